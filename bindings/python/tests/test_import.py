"""`import mocore` stays cheap: the optional dependencies (SQLAlchemy, greenlet, numpy), the
generated managers, the hooks and logging are imported on first use, not by the import."""
import os
import subprocess
import sys
import unittest

LAZY = ("sqlalchemy", "greenlet", "numpy", "asyncio", "logging", "mocore.managers", "mocore.hooks",
        "mocore._manager_runtime", "mocore.aio", "mocore.orm")


def loaded_after(code):
    """The LAZY modules in sys.modules after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {LAZY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True, env=os.environ).stdout
    return out.split()


class LazyImport(unittest.TestCase):
    def test_import_mocore_loads_none_of_the_optional_modules(self):
        self.assertEqual(loaded_after("import mocore"), [])

    def test_the_dbapi_loads_none_either(self):
        self.assertEqual(loaded_after("import mocore.dbapi"), [])

    def test_a_manager_name_imports_the_managers(self):
        got = loaded_after("import mocore; mocore.SnapshotLevel")
        self.assertEqual(sorted(got), ["mocore._manager_runtime", "mocore.managers"])

    def test_a_client_has_the_managers_once_asked(self):
        got = loaded_after("import mocore, mocore.managers as m\n"
                           "c = mocore.connect('matrixone://u:p@127.0.0.1:1/db?dry_run=true')\n"
                           "assert not isinstance(c, m._Managers)\n"
                           "assert type(c.snapshots).__name__ == 'SnapshotManager'\n"
                           "assert isinstance(c, m._Managers) and 'snapshots' in dir(c)\n"
                           "try:\n    c.no_such_attribute\nexcept AttributeError:\n    pass\n"
                           "else:\n    raise AssertionError('no AttributeError')")
        self.assertIn("mocore.managers", got)
        self.assertNotIn("sqlalchemy", got)

    def test_logger_and_star_import(self):
        got = subprocess.run([sys.executable, "-c", "import mocore, logging\n"
                              "assert mocore.logger is logging.getLogger('mocore')\n"
                              "ns = {}\nexec('from mocore import *', ns)\n"
                              "assert ns['ConnectionAction'].ENABLE_ALL and ns['logger']\n"
                              "assert ns.get('TimeoutError') is None\nprint('ok')"],
                             check=True, capture_output=True, text=True).stdout
        self.assertEqual(got.strip(), "ok")


if __name__ == "__main__":
    unittest.main()
