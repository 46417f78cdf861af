#!/usr/bin/env python3
"""Build the Python API reference from the docstrings with pdoc (PyPI: pdoc), as HTML.

    python3 scripts/docs-python.py OUTDIR    # the `docs-python` target: <build>/docs/python

The package must be importable (PYTHONPATH=<build>/bindings/python, as the target sets it).
After writing, the reference is checked: a page per module, and the pages carry the
docstrings (a missing page or an empty reference fails the build rather than shipping)."""

import os
import sys
from pathlib import Path

#: The documented modules; mocore.__main__ is the shell (python -m mocore).
MODULES = ["mocore", "mocore.aio", "mocore.errors", "mocore.hooks", "mocore.managers",
           "mocore.dbapi", "mocore.orm", "mocore.sqlalchemy_dialect", "mocore.sqlalchemy_async",
           "mocore.__main__"]

#: Text each page must hold: a docstring of the module's main API.
EXPECTED = {"mocore": "Run one statement", "mocore/aio": "AsyncClient",
            "mocore/__main__": "MOCORE_URL"}


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: docs-python.py OUTDIR\n")
        return 2
    out = argv[1]
    try:
        import pdoc
    except ImportError:
        sys.stderr.write("docs-python: pdoc is not installed (python3 -m pip install pdoc; "
                         "scripts/deps.sh installs it)\n")
        return 1
    import warnings
    # SQLAlchemy's name-mangled Session.__binds, which pdoc cannot place: not mocore's API.
    warnings.filterwarnings("ignore", message="Cannot determine where .*__binds")
    pdoc.render.configure(docformat="restructuredtext", footer_text="mocore")
    pdoc.pdoc(*MODULES, output_directory=Path(out))
    for mod in MODULES:
        page = os.path.join(out, *mod.split(".")) + ".html"
        if not os.path.exists(page):
            sys.stderr.write(f"docs-python: no page for {mod} ({page})\n")
            return 1
        key = mod.replace(".", "/")
        if key in EXPECTED:
            with open(page, encoding="utf-8") as f:
                if EXPECTED[key] not in f.read():
                    sys.stderr.write(f"docs-python: {page} lacks {EXPECTED[key]!r}\n")
                    return 1
    print(f"docs-python: the API reference of {len(MODULES)} modules is in {out}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
