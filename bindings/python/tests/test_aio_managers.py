"""The managers of mocore.aio as awaitables, against the real MariaDB of the test harness:
every name of the synchronous surface exists and is a coroutine; managers blocked on the
server (row locks) leave the loop running and overlap, on one thread; session managers commit
and roll back with the session; cancellation raises the cancellation and poisons the handle;
errors keep their categories; LOAD DATA LOCAL with progress; dry-run SQL identical to the
synchronous client's.

Runs under pytest or unittest (asyncio.run per test)."""

import asyncio
import inspect
import os
import tempfile
import threading
import time
import unittest
import uuid

import mocore
from mocore import aio
from mocore.managers import _Managers

from servers import server_kind, server_url

DRY_URL = "matrixone://u:p@127.0.0.1:1/db?dry_run=true"


def run(coro):
    return asyncio.run(coro)


def mixin_names():
    props, methods = [], []
    for mixin in (_Managers,):
        for name, attr in vars(mixin).items():
            if name.startswith("_"):
                continue
            (props if isinstance(attr, property) else methods).append(name)
    return props, methods


class Surface(unittest.TestCase):
    def test_every_sync_manager_name_is_awaitable_on_clients_and_sessions(self):
        props, methods = mixin_names()
        self.assertIn("snapshots", props)
        self.assertIn("load_data", props)
        self.assertIn("batch_insert", methods)
        sync = mocore.connect(DRY_URL)

        async def main():
            client = await aio.connect(DRY_URL)
            session = await client.session()
            for owner in (client, session):
                for name in props:
                    manager = getattr(owner, name)
                    self.assertIsInstance(manager, aio.AsyncManager)
                    expected = [n for n in dir(getattr(sync, name))
                                if not n.startswith("_") and callable(getattr(getattr(sync, name), n))]
                    self.assertTrue(expected, name)
                    for meth in expected:
                        fn = getattr(manager, meth)
                        self.assertTrue(inspect.iscoroutinefunction(fn), f"{name}.{meth}")
                        # same signature as the synchronous method
                        self.assertEqual(fn.__doc__, getattr(getattr(sync, name), meth).__doc__)
                for name in methods:
                    self.assertTrue(inspect.iscoroutinefunction(getattr(owner, name)), name)
            await session.close()
            await client.close()

        run(main())
        sync.close()

    def test_dry_run_sql_is_the_sync_clients(self):
        def calls(c):
            yield c.snapshots.create("s1", "database", database="d")
            yield c.clone.clone_database("t", "d", snapshot_name="s1")
            yield c.pitr.create_cluster_pitr("p1", 2, "d")
            yield c.load_data.read_csv("/data/x.csv", "t", sep="|", skiprows=1)
            yield c.stage.create("st", "file:///tmp/", if_not_exists=True)

        sync = mocore.connect(DRY_URL)
        for _ in calls(sync):
            pass
        expected = sync.journal
        sync.close()

        async def main():
            c = await aio.connect(DRY_URL)
            for coro in calls(c):
                await coro
            got = c.journal
            c.clear_journal()
            self.assertEqual(c.journal, [])
            await c.close()
            return got

        self.assertEqual(run(main()), expected)
        self.assertGreaterEqual(len(expected), 5)


class OnMariaDB(unittest.TestCase):
    def setUp(self):
        self.url = server_url()
        self.t = "aiomgr_" + uuid.uuid4().hex[:8]
        with mocore.connect(self.url) as c:
            c.execute(f"CREATE TABLE {self.t} (id INT PRIMARY KEY, name VARCHAR(40))")

    def tearDown(self):
        with mocore.connect(self.url) as c:
            c.execute(f"DROP TABLE IF EXISTS {self.t}")

    def count(self):
        with mocore.connect(self.url) as c:
            return c.scalar(f"SELECT COUNT(*) FROM {self.t}")

    def test_managers_blocked_on_the_server_overlap_and_leave_the_loop_running(self):
        async def main():
            threads_before = threading.active_count()
            holder = await aio.connect(self.url)
            # Ten tables, each with an uncommitted row: an insert of the same key waits for
            # its row lock (one table each: waiters on neighbouring keys of one table could
            # deadlock on gap locks when the holder rolls back).
            tables = [f"{self.t}_{i}" for i in range(10)]
            for t in tables:
                await holder.execute(f"CREATE TABLE {t} (id INT PRIMARY KEY, name VARCHAR(40))")
            lock = await holder.session()
            for t in tables:
                await lock.execute(f"INSERT INTO {t} VALUES (1, 'held')")
            clients = await asyncio.gather(*(aio.connect(self.url) for _ in range(10)))
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            async def release():
                await asyncio.sleep(0.4)
                released_at = time.monotonic()
                await lock.rollback()
                return released_at

            watcher = asyncio.ensure_future(ticker())
            started = time.monotonic()
            *counts, released_at = await asyncio.gather(
                *(c.insert(t, {"id": 1, "name": f"mine {i}"})
                  for i, (c, t) in enumerate(zip(clients, tables))),
                release())
            elapsed = time.monotonic() - started
            watcher.cancel()
            print(f"\n# 10 inserts (manager) each waiting 0.4 s on a row lock, one loop: "
                  f"{elapsed:.3f} s (serial >= 4 s); loop ticks meanwhile: {ticks}")
            self.assertEqual([r.affected_rows for r in counts], [1] * 10)
            self.assertGreaterEqual(released_at - started, 0.4)  # they really waited...
            self.assertLess(elapsed, 1.5)                        # ...all at once
            self.assertGreaterEqual(ticks, 20)                   # the loop ran meanwhile
            self.assertEqual(threading.active_count(), threads_before)  # no thread pool
            for i, t in enumerate(tables):
                self.assertEqual(await holder.query(f"SELECT id, name FROM {t}"), [(1, f"mine {i}")])
                await holder.execute(f"DROP TABLE {t}")
            for c in clients:
                await c.close()
            await lock.close()
            await holder.close()

        run(main())

    def test_session_managers_commit_and_roll_back_with_the_session(self):
        async def main():
            c = await aio.connect(self.url)
            async with c.session() as s:
                await s.execute(f"INSERT INTO {self.t} VALUES (1, 'sql')")
                await s.insert(self.t, {"id": 2, "name": "insert"})
                r = await s.batch_insert(self.t, [{"id": 3, "name": "a"}, {"id": 4, "name": "b"}])
                self.assertEqual(r.affected_rows, 2)
                self.assertEqual(self.count(), 0)  # not visible before commit
            self.assertEqual(self.count(), 4)
            with self.assertRaises(ZeroDivisionError):
                async with c.session() as s:
                    await s.batch_insert(self.t, [{"id": 10 + i, "name": "x"} for i in range(50)])
                    1 / 0
            self.assertEqual(self.count(), 4)
            await c.close()

        run(main())

    def test_cancelling_a_waiting_manager_raises_the_cancellation_and_poisons(self):
        async def main():
            holder = await aio.connect(self.url)
            lock = await holder.session()
            await lock.execute(f"INSERT INTO {self.t} VALUES (1, 'held')")

            c = await aio.connect(self.url)
            started = time.monotonic()
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(c.insert(self.t, {"id": 1, "name": "late"}), 0.2)
            self.assertLess(time.monotonic() - started, 1.0)
            with self.assertRaises(mocore.MisuseError):
                await c.ping()

            s = await (await aio.connect(self.url)).session()
            task = asyncio.ensure_future(s.batch_insert(self.t, [{"id": 1, "name": "x"}]))
            await asyncio.sleep(0.1)
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            self.assertEqual(s.state, "poisoned")
            await s.close()

            await lock.rollback()
            await lock.close()
            # A new client works.
            fresh = await aio.connect(self.url)
            self.assertEqual((await fresh.insert(self.t, {"id": 100, "name": "ok"})).affected_rows, 1)
            await fresh.close()
            await holder.close()
            await c.close()

        run(main())

    def test_manager_errors_keep_their_categories(self):
        async def main():
            c = await aio.connect(self.url)
            await c.insert(self.t, {"id": 1, "name": "a"})
            with self.assertRaises(mocore.ConstraintError) as cm:
                await c.insert(self.t, {"id": 1, "name": "again"})
            self.assertEqual(cm.exception.errno, 1062)
            self.assertEqual(cm.exception.operation, "table.insert")
            # MatrixOne-only: UNSUPPORTED with nothing sent elsewhere; MatrixOne answers itself
            # (there is no database d)
            with self.assertRaises(mocore.DatabaseError if server_kind() == "matrixone"
                                   else mocore.UnsupportedError):
                await c.snapshots.create("s1", "database", database="d")
            with self.assertRaises(mocore.InvalidArgumentError):
                await c.insert(self.t, {})
            with self.assertRaises(TypeError):
                await c.snapshots.create()
            # the client is still fine after each of them
            self.assertEqual(await c.scalar(f"SELECT COUNT(*) FROM {self.t}"), 1)
            await c.close()

        run(main())

    def test_records_and_load_data_local_with_progress(self):
        d = tempfile.mkdtemp(prefix="mocore-aio-load-")
        path = os.path.join(d, "rows.csv")
        with open(path, "w") as f:
            for i in range(3000):
                f.write(f"{i},name {i}\n")

        async def main():
            c = await aio.connect(self.url, local_infile_dirs=[d])
            calls = []
            n = await c.load_data.from_local_file(path, self.t,
                                                  progress=lambda s, t: calls.append((s, t)))
            self.assertEqual(n, 3000)
            size = os.path.getsize(path)
            self.assertEqual(calls[-1], (size, size))
            self.assertEqual(await c.scalar(f"SELECT COUNT(*) FROM {self.t}"), 3000)
            users = await c.account.list_users()
            with mocore.connect(self.url) as sync:
                self.assertEqual(users, sync.account.list_users())
            self.assertTrue(any(u.name for u in users))
            await c.close()

        run(main())


if __name__ == "__main__":
    unittest.main()


class KillOnCancel(unittest.TestCase):
    """AsyncClient(cancel="kill"): a cancelled statement or manager is stopped on the server
    (KILL QUERY from a second connection) and its answer read; nothing is poisoned."""

    def setUp(self):
        self.url = server_url()
        self.t = "aiokill_" + uuid.uuid4().hex[:8]
        with mocore.connect(self.url) as c:
            c.execute(f"CREATE TABLE {self.t} (id INT PRIMARY KEY, name VARCHAR(40))")

    def tearDown(self):
        with mocore.connect(self.url) as c:
            c.execute(f"DROP TABLE IF EXISTS {self.t}")

    def test_a_cancelled_statement_is_killed_and_the_client_and_session_stay_usable(self):
        async def main():
            c = await aio.connect(self.url, cancel="kill")
            started = time.monotonic()
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(c.execute("SELECT SLEEP(5)"), 0.2)
            self.assertLess(time.monotonic() - started, 1.5)  # killed, not slept out
            self.assertEqual(await c.scalar("SELECT 7"), 7)     # same connection, in sync

            s = await c.session()
            await s.execute(f"INSERT INTO {self.t} VALUES (1, 'kept')")
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(s.execute("SELECT SLEEP(5)"), 0.2)
            self.assertEqual(s.state, "in_transaction")        # the transaction survived
            await s.execute(f"INSERT INTO {self.t} VALUES (2, 'after')")
            await s.commit()
            await s.close()
            self.assertEqual(await c.query(f"SELECT id FROM {self.t} ORDER BY id"), [(1,), (2,)])
            await c.close()

        run(main())

    def test_a_cancelled_manager_lock_wait_is_killed_and_never_happens(self):
        async def main():
            holder = await aio.connect(self.url)
            lock = await holder.session()
            await lock.execute(f"INSERT INTO {self.t} VALUES (1, 'held')")
            c = await aio.connect(self.url, cancel="kill")
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(c.insert(self.t, {"id": 1, "name": "killed"}), 0.2)
            self.assertEqual(await c.scalar("SELECT 1"), 1)    # not poisoned
            await lock.rollback()
            await lock.close()
            # With cancel="close" the server would finish this insert once the lock is gone;
            # killed, it never happens.
            await asyncio.sleep(0.1)
            self.assertEqual(await holder.scalar(f"SELECT COUNT(*) FROM {self.t}"), 0)
            # a session manager: its transaction survives the kill
            s = await c.session()
            await s.insert(self.t, {"id": 5, "name": "kept"})
            lock = await holder.session()
            await lock.execute(f"INSERT INTO {self.t} VALUES (6, 'held')")
            task = asyncio.ensure_future(s.batch_insert(self.t, [{"id": 6, "name": "x"}]))
            await asyncio.sleep(0.2)
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            self.assertEqual(s.state, "in_transaction")
            await s.commit()
            await lock.rollback()
            await lock.close()
            self.assertEqual(await holder.query(f"SELECT id, name FROM {self.t}"), [(5, "kept")])
            await c.close()
            await holder.close()

        run(main())

    def test_kill_query_and_bad_options(self):
        async def main():
            victim = await aio.connect(self.url)
            killer = await aio.connect(self.url)
            task = asyncio.ensure_future(victim.execute("SELECT SLEEP(5)"))
            await asyncio.sleep(0.2)
            await killer.kill_query(victim.connection_id)
            with self.assertRaises(mocore.InterruptedError) as cm:
                await task
            # MatrixOne: 1105 "context canceled"
            self.assertEqual(cm.exception.errno, 1105 if server_kind() == "matrixone" else 1317)
            self.assertEqual(await victim.scalar("SELECT 3"), 3)
            with self.assertRaises(mocore.NotFoundError):
                await killer.kill_query(999999999)
            await victim.close()
            await killer.close()

        run(main())
        with self.assertRaises(mocore.ProgrammingError):
            aio.AsyncClient(self.url, cancel="later")
