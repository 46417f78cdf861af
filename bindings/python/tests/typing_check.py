"""ctest python.typing: the stubs (mocore/*.pyi, hand-written) against the modules, then
``mypy --strict`` on examples/python with those stubs.

    python3 typing_check.py EXAMPLE.py... DOC.md...     (PYTHONPATH: the built package)

The check: every name of mocore.__all__, mocore.dbapi.__all__ and every category class of
mocore.errors is in its stub, and __all__ in the stub is the module's (a star import sees
the same names); what is in the stubs and not at runtime fails too. mocore.dbapi's stubs are a
directory (dbapi/__init__.pyi, dbapi/cursors.pyi) so that ``mocore.dbapi.cursors``, a module
attribute at run time, is a module to mypy as well.

A Markdown argument contributes its ```python blocks, each checked as a program of its own; a
block that is a fragment (names defined elsewhere, top-level ``await``) is marked so by the
line ``<!-- python: fragment -->`` just before its fence, and is skipped."""
import ast
import os
import re
import subprocess
import sys
import tempfile

import mocore
import mocore.dbapi
import mocore.dbapi.cursors
import mocore.errors

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(os.path.dirname(HERE), "mocore")


def stub_names(module):
    """The top-level names a stub defines, and its __all__ (None when it has none)."""
    with open(os.path.join(PACKAGE, module + ".pyi"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    names, exported = set(), None
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    if t.id == "__all__":
                        exported = [ast.literal_eval(e) for e in node.value.elts]
                    else:
                        names.add(t.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname for a in node.names if a.asname and a.asname == a.name)
    return names, exported


FRAGMENT = "<!-- python: fragment -->"


def doc_programs(md, outdir):
    """The complete-program ```python blocks of md, each written to a file in outdir."""
    with open(md, encoding="utf-8") as f:
        text = f.read()
    files = []
    for m in re.finditer(r"^```python\n(.*?)^```$", text, re.M | re.S):
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = text.count("\n", 0, m.start()) + 1
        if before.strip() == FRAGMENT:
            continue
        name = re.sub(r"\W", "_", os.path.splitext(os.path.basename(md))[0])
        path = os.path.join(outdir, f"{name}_line{line}.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(m.group(1))
        files.append(path)
    return files


def main():
    problems = []
    for mod, stub in ((mocore, "__init__"), (mocore.dbapi, "dbapi/__init__"),
                      (mocore.dbapi.cursors, "dbapi/cursors"), (mocore.errors, "errors")):
        names, exported = stub_names(stub)
        public = set(mod.__all__)
        if mod is mocore.errors:
            public |= set(mod.CATEGORY_CLASSES)
        for n in sorted(public - names):
            problems.append(f"{mod.__name__}.{n} is not in {stub}.pyi")
        for n in sorted(names):
            if not n.startswith("_") and not hasattr(mod, n):
                problems.append(f"{stub}.pyi names {n}, which {mod.__name__} has not")
        if exported is not None and sorted(exported) != sorted(mod.__all__):
            problems.append(f"{stub}.pyi: __all__ differs from {mod.__name__}.__all__: "
                            f"{sorted(set(exported) ^ set(mod.__all__))}")
    for p in problems:
        print("typing_check:", p)
    if problems:
        return 1
    env = dict(os.environ, MYPYPATH=os.path.dirname(PACKAGE))
    with tempfile.TemporaryDirectory(prefix="mocore-doc-snippets.") as snippets:
        files = []
        for arg in sys.argv[1:]:
            if arg.endswith(".md"):
                found = doc_programs(arg, snippets)
                print(f"typing_check: {len(found)} python block(s) of {arg}")
                files += found
            else:
                files.append(arg)
        r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                            "--cache-dir", os.devnull, *files], env=env)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
