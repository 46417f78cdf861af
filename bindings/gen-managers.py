#!/usr/bin/env python3
"""Generate the manager layers from bindings/managers.toml (stdlib only).

    gen-managers.py --check                      validate the description against
                                                 abi/mocore.manifest and bindings/managers/record_fields.c,
                                                 and that docs/managers-reference.md is current
    gen-managers.py --lang python --out FILE     write one language's manager module
    gen-managers.py --lang docs --out FILE       write the reference table
    gen-managers.py --vectors TOML --out FILE    write a vector file (tests/vectors/*.toml)
                                                 as JSON, { no_value = true } as null, for
                                                 test suites without a TOML reader

Every --lang run validates first: a description that names a missing C function, a wrong
arity or an unknown record kind fails the build. The emitters live in bindings/managers/
(emit_<lang>.py, each `emit(surface) -> str`) and receive the model of
bindings/managers/model.py."""

import argparse
import glob
import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "managers"))
sys.dont_write_bytecode = True

import model  # noqa: E402

LANGS = ("python", "lua", "ruby", "docs", "c")
DOC = os.path.join(ROOT, "docs", "managers-reference.md")


def load():
    surface = model.load(os.path.join(HERE, "managers.toml"),
                         os.path.join(HERE, "managers", "record_fields.c"))
    headers = "".join(open(p, encoding="utf-8").read()
                      for p in sorted(glob.glob(os.path.join(ROOT, "capi", "mocore", "*.h"))))
    model.check_against_manifest(surface, os.path.join(ROOT, "abi", "mocore.manifest"), headers)
    return surface


def emit(surface, lang):
    return importlib.import_module(f"emit_{lang}").emit(surface)


def write_if_changed(path, text):
    old = None
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
    if old != text:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def vectors_json(toml_path):
    """The vector file as JSON text: TOML has no null, the table { no_value = true } is one."""
    def plain(v):
        if isinstance(v, dict):
            return None if v == {"no_value": True} else {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v
    with open(toml_path, "rb") as f:
        return json.dumps(plain(model.tomllib.load(f)), indent=1, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lang", choices=LANGS)
    ap.add_argument("--out")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--vectors", metavar="TOML")
    a = ap.parse_args()
    if a.vectors:
        if not a.out:
            sys.exit("gen-managers: --vectors needs --out")
        write_if_changed(a.out, vectors_json(a.vectors))
        return
    try:
        surface = load()
    except model.DescriptionError as e:
        sys.exit(f"gen-managers: {e}")
    if a.check:
        with open(DOC, encoding="utf-8") as f:
            if f.read() != emit(surface, "docs"):
                sys.exit("gen-managers: docs/managers-reference.md is stale; run "
                         "python3 bindings/gen-managers.py --lang docs --out docs/managers-reference.md")
        n = sum(1 for _ in surface.methods())
        print(f"gen-managers: {len(surface.managers)} managers, {n} methods, "
              f"{len(surface.records)} record kinds: ok")
    if a.lang:
        if not a.out:
            sys.exit("gen-managers: --lang needs --out")
        write_if_changed(a.out, emit(surface, a.lang))


if __name__ == "__main__":
    main()
