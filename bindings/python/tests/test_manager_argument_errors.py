"""The shared argument-error vectors (tests/vectors/manager_argument_errors.toml), replayed
through the Python managers: each mistake raises its category with the operation and the
exact message every language gives, and sends nothing. Also: every manager method of
bindings/managers.toml exists here, with the description's argument names and defaults."""

import inspect
import os
import sys
import tomllib
import unittest

import mocore

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
VECTORS = os.path.join(ROOT, "tests", "vectors", "manager_argument_errors.toml")
DRY_URL = "matrixone://u:p@127.0.0.1:1/db?dry_run=true"


def value(v):
    """TOML has no null: { no_value = true } stands for None."""
    if isinstance(v, dict):
        if v == {"no_value": True}:
            return None
        return {k: value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [value(x) for x in v]
    return v


def target(client, manager, method):
    owner = client if manager == "table" else getattr(client, manager)
    return getattr(owner, method)


class ArgumentErrorVectors(unittest.TestCase):
    def test_every_case_gives_the_shared_message(self):
        with open(VECTORS, "rb") as f:
            cases = tomllib.load(f)["case"]
        self.assertGreater(len(cases), 20)
        c = mocore.connect(DRY_URL)
        for case in cases:
            args = value(case.get("args", []))
            kwargs = value(case.get("kwargs", {}))
            with self.subTest(manager=case["manager"], method=case["method"], args=args, kwargs=kwargs):
                fn = target(c, case["manager"], case["method"])
                with self.assertRaises(mocore.Error) as cm:
                    fn(*args, **kwargs)
                e = cm.exception
                self.assertEqual(e.category, case["category"])
                self.assertIsInstance(e, mocore.errors.BY_CATEGORY[case["category"]])
                self.assertEqual(e.operation, case["operation"])
                self.assertEqual(e.message, case["message"])
        self.assertEqual(c.journal, [])  # nothing was sent


class Surface(unittest.TestCase):
    def test_every_described_method_exists_with_its_signature(self):
        sys.path.insert(0, os.path.join(ROOT, "bindings", "managers"))
        try:
            import model
        finally:
            sys.path.pop(0)
        surface = model.load(os.path.join(ROOT, "bindings", "managers.toml"),
                             os.path.join(ROOT, "bindings", "managers", "record_fields.c"))
        c = mocore.connect(DRY_URL)
        n = 0
        for mgr, m in surface.methods():
            fn = target(c, "table" if mgr.attach == "owner" else mgr.name, m.name)
            params = inspect.signature(fn).parameters
            expected = [a.name for a in m.args] + [o.name for o in m.load_options]
            self.assertEqual(list(params), expected, m.operation)
            for a in m.args:
                p = params[a.name]
                self.assertEqual(p.kind is p.KEYWORD_ONLY, a.keyword_only, f"{mgr.name}.{m.name}({a.name})")
                if not a.required:
                    self.assertEqual(p.default, a.default, f"{mgr.name}.{m.name}({a.name})")
            self.assertTrue(fn.__doc__)
            n += 1
        self.assertGreater(n, 120)


if __name__ == "__main__":
    unittest.main()
