"""ctest python.typing: the stubs (mocore/*.pyi, hand-written) against the modules, then
``mypy --strict`` on examples/python with those stubs.

    python3 typing_check.py EXAMPLE.py...     (PYTHONPATH: the built package)

The check: every name of mocore.__all__, mocore.dbapi.__all__ and every category class of
mocore.errors is in its stub, and __all__ in the stub is the module's (a star import sees
the same names); what is in the stubs and not at runtime fails too. mocore.dbapi's stubs are a
directory (dbapi/__init__.pyi, dbapi/cursors.pyi) so that ``mocore.dbapi.cursors``, a module
attribute at run time, is a module to mypy as well."""
import ast
import os
import subprocess
import sys

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
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                        "--cache-dir", os.devnull, *sys.argv[1:]], env=env)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
