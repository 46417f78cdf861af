"""mocore.aio against the real MariaDB of the test harness: concurrency in one event loop
without threads, streaming, sessions, cancellation and errors.

Runs under pytest or unittest (plain TestCase classes, asyncio.run per test). The server URL
comes from MOCORE_TEST_URL, else <MOCORE_TEST_SERVER_DIR>/url (ctest sets it)."""

import asyncio
import threading
import time
import unittest
import uuid

import mocore
from mocore import aio
from servers import connection_ids, requires_mariadb, seq, server_kind, server_url


def run(coro):
    return asyncio.run(coro)


class Concurrency(unittest.TestCase):
    def test_fifty_sleeps_on_fifty_connections_overlap_in_one_thread(self):
        url = server_url()

        async def main():
            threads_before = threading.active_count()
            clients = await asyncio.gather(*(aio.connect(url, log_mode="off") for _ in range(50)))
            self.assertEqual(len({c.connection_id for c in clients}), 50)
            seen = []

            async def watch():  # sample the thread count while the queries run
                while True:
                    seen.append(threading.active_count())
                    await asyncio.sleep(0.02)

            watcher = asyncio.ensure_future(watch())
            started = time.monotonic()
            results = await asyncio.gather(*(c.scalar("SELECT SLEEP(0.2)") for c in clients))
            elapsed = time.monotonic() - started
            watcher.cancel()
            print(f"\n# 50 x SELECT SLEEP(0.2) on 50 connections, one event loop: {elapsed:.3f} s "
                  f"(serial: 10.0 s)")
            self.assertEqual(results, [0] * 50)
            self.assertLess(elapsed, 2.0)
            # Not a thread pool: no thread was started at any point.
            self.assertTrue(seen)
            self.assertEqual(set(seen), {threads_before})
            self.assertEqual(threading.active_count(), threads_before)
            await asyncio.gather(*(c.close() for c in clients))

        run(main())

    def test_a_busy_client_refuses_a_second_operation(self):
        async def main():
            async with aio.AsyncClient(server_url()) as c:
                first = asyncio.ensure_future(c.execute("SELECT SLEEP(0.1)"))
                await asyncio.sleep(0.02)
                with self.assertRaises(mocore.error_class("misuse")):
                    await c.execute("SELECT 1")
                await first
                self.assertEqual(await c.scalar("SELECT 1"), 1)  # free again

        run(main())


class Statements(unittest.TestCase):
    def test_execute_params_and_buffered_rows(self):
        async def main():
            c = await aio.connect(server_url())
            self.assertEqual(c.server_kind, server_kind())   # as the blocking client says
            r = await c.execute("SELECT ? + 1 AS n, ? AS s", [41, "héllo"])
            self.assertEqual(r.columns, ["n", "s"])
            self.assertEqual([row async for row in r], [(42, "héllo")])
            await c.ping()
            await c.close()
            self.assertTrue(c.closed)

        run(main())

    def test_streaming_rows_come_one_await_at_a_time(self):
        async def main():
            c = await aio.connect(server_url())
            sql = ("WITH RECURSIVE t(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM t WHERE n < 99) "
                   "SELECT a.n * 100 + b.n + 1, REPEAT('x', 100) FROM t a, t b WHERE a.n < 30")
            r = await c.execute(sql, stream=True)
            total = count = 0
            async for n, pad in r:
                total += n
                count += 1
                self.assertEqual(len(pad), 100)
            self.assertEqual(count, 3000)
            self.assertEqual(total, 3000 * 3001 // 2)
            self.assertEqual(r.rowcount, 3000)
            self.assertEqual(await c.scalar("SELECT 5"), 5)
            await c.close()

        run(main())

    @requires_mariadb("MariaDB sends each row when it is made; MatrixOne runs a batch's "
                      "SLEEPs before its first row, so there is nothing left to wait for")
    def test_aclose_drains_a_stream_through_the_loop(self):
        async def main():
            c = await aio.connect(server_url())
            # rows come 0.05 s apart (each larger than the server's 16 KB net buffer, so each
            # is sent when made): draining them blocking would starve the ticker
            r = await c.execute(f"SELECT seq, SLEEP(0.05), REPEAT('x', 20000) FROM {seq(10)}",
                                stream=True)
            self.assertEqual((await r.fetchone())[0], 1)
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            t = asyncio.ensure_future(ticker())
            await r.aclose()
            t.cancel()
            self.assertGreater(ticks, 5)
            await r.aclose()  # twice is fine
            self.assertEqual(await c.scalar("SELECT 5"), 5)  # the wire is free
            await c.close()

        run(main())

    def test_terminate_drops_the_connection_without_awaiting(self):
        async def main():
            admin = mocore.connect(server_url())
            c = await aio.connect(server_url())
            cid = c.connection_id
            c.terminate()
            self.assertTrue(c.closed)
            c.terminate()  # twice is fine
            await c.close()
            for _ in range(50):  # the server sees the connection end
                ids = connection_ids(admin)
                if cid not in ids:
                    break
                await asyncio.sleep(0.1)
            self.assertNotIn(cid, ids)
            admin.close()

        run(main())

    def test_errors_keep_their_categories(self):
        async def main():
            c = await aio.connect(server_url())
            with self.assertRaises(mocore.error_class("syntax")) as e:
                await c.execute("SELEC 1")
            self.assertEqual(e.exception.code, 1064)
            self.assertIsInstance(e.exception, mocore.ProgrammingError)
            with self.assertRaises(mocore.error_class("not_found")):
                await c.execute("SELECT * FROM no_such_table_at_all")
            with self.assertRaises(mocore.error_class("auth")):
                await aio.connect(server_url(), password="wrong-password")
            self.assertEqual(await c.scalar("SELECT 1"), 1)  # still usable
            await c.close()

        run(main())


class Sessions(unittest.TestCase):
    def setUp(self):
        self.table = "aio_" + uuid.uuid4().hex[:8]
        self.sync = mocore.connect(server_url())
        self.sync.execute(f"CREATE TABLE {self.table} (id INT PRIMARY KEY) ENGINE=InnoDB")

    def tearDown(self):
        self.sync.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.sync.close()

    def count(self):
        return self.sync.scalar(f"SELECT COUNT(*) FROM {self.table}")

    def test_async_with_commits_on_exit(self):
        async def main():
            c = await aio.connect(server_url())
            async with c.session() as s:
                await s.execute(f"INSERT INTO {self.table} VALUES (?)", [1])
                self.assertEqual(self.count(), 0)  # not visible before commit
                self.assertEqual(s.state, "in_transaction")
            self.assertEqual(self.count(), 1)
            s = await c.session()
            await s.execute(f"INSERT INTO {self.table} VALUES (2)")
            await s.rollback()
            await s.execute(f"INSERT INTO {self.table} VALUES (3)")
            await s.commit()
            await s.close()
            await c.close()

        run(main())
        self.assertEqual(sorted(r[0] for r in self.sync.query(f"SELECT id FROM {self.table}")), [1, 3])

    def test_an_exception_in_async_with_rolls_back(self):
        async def main():
            c = await aio.connect(server_url())
            with self.assertRaises(ZeroDivisionError):
                async with c.session() as s:
                    await s.execute(f"INSERT INTO {self.table} VALUES (10)")
                    1 / 0
            await c.close()

        run(main())
        self.assertEqual(self.count(), 0)  # seen from another connection

    def test_cancelling_a_task_mid_query_poisons_its_session_and_a_new_one_works(self):
        async def main():
            c = await aio.connect(server_url())
            s = await c.session()
            await s.execute(f"INSERT INTO {self.table} VALUES (20)")
            task = asyncio.ensure_future(s.execute("SELECT SLEEP(1)"))
            await asyncio.sleep(0.05)
            started = time.monotonic()
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            self.assertLess(time.monotonic() - started, 0.5)
            # The documented state: the session is poisoned, never out of sync.
            self.assertEqual(s.state, "poisoned")
            with self.assertRaises(mocore.error_class("misuse")):
                await s.execute("SELECT 1")
            await s.close()
            # The client and new sessions are unaffected.
            self.assertEqual(await c.scalar("SELECT 1"), 1)
            async with c.session() as s2:
                await s2.execute(f"INSERT INTO {self.table} VALUES (21)")

            # Cancelling on the client poisons the client; a new connection works.
            task = asyncio.ensure_future(c.execute("SELECT SLEEP(1)"))
            await asyncio.sleep(0.05)
            task.cancel()
            with self.assertRaises(asyncio.CancelledError):
                await task
            with self.assertRaises(mocore.error_class("misuse")):
                await c.execute("SELECT 1")
            await c.close()
            fresh = await aio.connect(server_url())
            self.assertEqual(await fresh.scalar("SELECT 2"), 2)
            await fresh.close()

        run(main())
        # 20 was never committed (the server rolled it back); 21 was.
        self.assertEqual([r[0] for r in self.sync.query(f"SELECT id FROM {self.table}")], [21])

    def test_wait_for_timeout_cancels_cleanly(self):
        async def main():
            c = await aio.connect(server_url())
            with self.assertRaises(asyncio.TimeoutError):
                await asyncio.wait_for(c.execute("SELECT SLEEP(1)"), 0.1)
            with self.assertRaises(mocore.error_class("misuse")):
                await c.ping()
            await c.close()

        run(main())


if __name__ == "__main__":
    unittest.main()
