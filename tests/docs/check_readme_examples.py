"""ctest docs.readme_examples: README's quickstart code blocks are the example programs CI runs.

    python3 check_readme_examples.py README.md
    python3 check_readme_examples.py docs/fulltext-search.md     (docs.fulltext_examples)

A fenced block preceded by ``<!-- example: PATH -->`` must be the text of PATH (relative to
the README's directory), line for line; and the Python, Lua and Ruby quickstarts must each have
such a block, so that the README cannot drift from what ctest runs (c.quickstart,
python.quickstart, lua.quickstart, ruby.quickstart). The C block is an excerpt of
examples/c/quickstart.c (the README links the full program), so it is not compared. Another
Markdown file (a docs page) is held to its own example blocks only, and must have one."""
import difflib
import os
import re
import sys

REQUIRED = ("examples/python/quickstart.py", "examples/lua/quickstart.lua",
            "examples/ruby/quickstart.rb")
MARK = re.compile(r"<!-- example: (\S+) -->\n```[A-Za-z0-9_+-]*\n(.*?)^```$", re.M | re.S)


def main(readme):
    root = os.path.dirname(os.path.abspath(readme))
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    problems, seen = [], []
    for m in MARK.finditer(text):
        path, shown = m.group(1), m.group(2)
        seen.append(path)
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                actual = f.read()
        except OSError as e:
            problems.append(f"{path}: {e.strerror}")
            continue
        if shown != actual:
            diff = difflib.unified_diff(shown.splitlines(True), actual.splitlines(True),
                                        os.path.basename(readme), path)
            problems.append(f"{os.path.basename(readme)}'s block for {path} differs from the "
                            "file:\n" + "".join(diff))
    is_readme = os.path.basename(readme) == "README.md"
    if not is_readme and not seen:
        problems.append(f"{readme} has no <!-- example: PATH --> block")
    for path in REQUIRED if is_readme else ():
        if path not in seen:
            problems.append(f"README has no <!-- example: {path} --> block")
    for p in problems:
        print("check_readme_examples:", p)
    if not problems:
        print(f"check_readme_examples: {len(seen)} blocks of {os.path.basename(readme)} are their "
              "example files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
