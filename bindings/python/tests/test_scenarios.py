"""The common binding scenarios that need measurements: flat memory while streaming and over
many sessions, rows built in one C call, and misuse of every public function.

Memory is the process's resident set size (/proc/self/status VmRSS)."""

import gc
import inspect
import unittest

import mocore
from servers import seq
from test_mocore import Base


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise unittest.SkipTest("no /proc/self/status")


class MemoryTest(Base):
    def test_streaming_100k_rows_keeps_memory_flat(self):
        r = self.client.execute(
            f"SELECT seq, 'abcdefghijklmnopqrstuvwxyz', seq * 0.5e0, NOW() FROM {seq(100000)}",
            stream=True)
        n = 0
        at_10k = None
        for row in r:
            n += 1
            if n == 10000:
                gc.collect()
                at_10k = rss_kib()
        gc.collect()
        growth = rss_kib() - at_10k
        self.assertEqual(n, 100000)
        print(f"\n  streamed 100,000 rows: RSS grew {growth} KiB from row 10,000 to the end")
        self.assertLess(growth, 4096)
        # the same rows buffered would hold every row at once: the contrast is the point
        self.assertEqual(len(self.client.execute(f"SELECT seq FROM {seq(100000)}").fetchall()),
                         100000)

    def test_10k_session_cycles_without_memory_growth(self):
        for _ in range(1000):
            with self.client.session():
                pass
        gc.collect()
        before = rss_kib()
        for _ in range(9000):
            with self.client.session() as s:
                s.snapshots  # a manager attribute too (no executor is made until used)
        gc.collect()
        growth = rss_kib() - before
        print(f"\n  10,000 session cycles: RSS grew {growth} KiB over the last 9,000")
        self.assertLess(growth, 2048)

    def test_managers_in_a_loop_do_not_leak(self):
        c = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true")
        for _ in range(2000):
            c.snapshots.create("s", "cluster")
            c.pitr.list()
            c.clear_journal()
        gc.collect()
        before = rss_kib()
        for _ in range(20000):
            c.snapshots.create("s", "cluster")
            c.pitr.list()
            c.clear_journal()
        gc.collect()
        self.assertLess(rss_kib() - before, 2048)


class OneCallPerRowsTest(Base):
    def test_rows_are_built_in_c_without_per_cell_calls(self):
        core = mocore.mocore_core
        calls = {}
        saved = {}
        for name, fn in vars(core).items():
            if name.startswith("mo_") and callable(fn):
                saved[name] = fn

                def counting(*a, _n=name, _f=fn):
                    calls[_n] = calls.get(_n, 0) + 1
                    return _f(*a)
                setattr(core, name, counting)
        try:
            r = self.client.execute("SELECT seq, 'x', seq * 0.5e0, NULL, CAST(seq AS DECIMAL(6,1))"
                                    f" FROM {seq(5000)}")
            calls.clear()
            rows = list(r)
        finally:
            for name, fn in saved.items():
                setattr(core, name, fn)
        self.assertEqual(len(rows), 5000)
        self.assertIsInstance(rows[0], tuple)
        # one C call per batch of up to 1024 rows (5000 rows: 5 batches + the end), no per-cell calls
        self.assertEqual(set(calls), {"mo_py_fetch"})
        self.assertLessEqual(calls["mo_py_fetch"], 6)


class MisuseTest(Base):
    def test_none_and_wrong_types_to_every_core_function(self):
        """Every function of the C module with nothing, Nones and wrong types: an exception or
        a value, never a crash."""
        core = mocore.mocore_core
        skip = {"mo_py_set_error_factory"}  # would unhook the exception classes
        n = 0
        for name, fn in vars(core).items():
            if not name.startswith("mo_") or isinstance(fn, type) or not callable(fn) or name in skip:
                continue
            n += 1
            for args in ((), (None,) * 3, (None,) * 9, (42, "x", [], 1.5), ("x",) * 8,
                         (object(),) * 9):
                try:
                    fn(*args)
                except (mocore.Error, TypeError, ValueError, OverflowError):
                    pass
        self.assertGreater(n, 150)
        self.assertEqual(self.client.scalar("SELECT 1"), 1)

    def test_none_and_wrong_types_to_every_public_method(self):
        dry = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true")
        objects = [self.client, self.client.session(), self.client.execute("SELECT 1"),
                   dry.snapshots, dry.clone, dry.branch, dry.restore, dry.pitr, dry.pubsub,
                   dry.account]
        n = 0
        for obj in objects:
            for name, fn in inspect.getmembers(obj, inspect.ismethod):
                if name.startswith("_") or name in ("close", "session"):
                    continue
                n += 1
                for args in ((None,), (None, None, None), (42,), (object(), [], {})):
                    try:
                        fn(*args)
                    except (mocore.Error, TypeError, ValueError, KeyError):
                        pass
        self.assertGreater(n, 60)
        self.assertEqual(self.client.scalar("SELECT 1"), 1)
        with self.assertRaises(mocore.InvalidArgumentError) as cm:
            dry.snapshots.get(None)
        self.assertEqual(cm.exception.operation, "snapshots.get")


if __name__ == "__main__":
    unittest.main()
