#!/usr/bin/env python3
"""tests/docs/check_doc_comments.py [HEADER...] — ctest docs.comments.

Every exported function (a declaration that starts with MO_API) in capi/mocore/*.h has its
own doc comment, a /** ... */ block that ends on the line right before the declaration: the
comment Doxygen attaches to it (docs/Doxyfile.in) and the reference a reader of the header
sees. Prints each declaration without one (file:line: name) and fails if there is any."""
import pathlib
import re
import sys

DECL = re.compile(r"^MO_API\b[^(]*?\b(\w+)\s*\(")


def missing(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    out, count = [], 0
    for i, line in enumerate(lines):
        m = DECL.match(line)
        if not m:
            continue
        count += 1
        j = i - 1
        ok = j >= 0 and lines[j].rstrip().endswith("*/")
        if ok:  # find where that comment opens: it must be a /** comment
            while j >= 0 and "/*" not in lines[j]:
                j -= 1
            ok = j >= 0 and lines[j].lstrip().startswith("/**") and not lines[j].lstrip().startswith("/***")
        if not ok:
            out.append(f"{path}:{i + 1}: {m.group(1)}")
    return out, count


def main(argv):
    root = pathlib.Path(__file__).resolve().parents[2]
    headers = [pathlib.Path(a) for a in argv] or sorted((root / "capi" / "mocore").glob("*.h"))
    bad, total = [], 0
    for h in headers:
        b, n = missing(h)
        bad += b
        total += n
    for b in bad:
        print(f"no doc comment: {b}")
    print(f"{total - len(bad)} of {total} MO_API functions in {len(headers)} headers have a /** */ doc comment")
    return 1 if bad or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
