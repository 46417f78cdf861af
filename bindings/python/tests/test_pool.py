"""mocore.Pool, the pool-backed mocore.Client(pool_size=...) and mocore.aio.AsyncPool against
the real server of the test harness: reuse, reset, sessions, timeouts, threads, stats."""

import asyncio
import threading
import time
import unittest

import mocore
from mocore import aio
from servers import root_url, server_kind, server_url


class PoolTests(unittest.TestCase):
    def test_a_connection_is_reused_and_reset(self):
        with mocore.Pool(server_url(), pool_size=1, max_overflow=0, log_mode="off") as pool:
            with pool.connection() as c:
                self.assertTrue(c.pooled)
                first = c.connection_id
                c.execute("SET @pool_py = 5")
            self.assertTrue(c.closed)
            with pool.connection() as c:
                self.assertEqual(c.connection_id, first)
                # COM_RESET_CONNECTION clears user variables; MatrixOne refuses it and the pool
                # falls back to ROLLBACK, so they survive there (docs/pool.md)
                self.assertEqual(c.scalar("SELECT @pool_py"),
                                 "5" if server_kind() == "matrixone" else None)
            stats = pool.stats
            self.assertEqual(stats["acquires"], 2)
            self.assertEqual(stats["releases"], 2)
            self.assertEqual(stats["connects"], 1)
            self.assertEqual(stats["in_use"], 0)
            self.assertEqual(stats["idle"], 1)
            self.assertGreaterEqual(stats["wait_max"], stats["wait_p99"])

    def test_an_exhausted_pool_raises_timeout(self):
        pool = mocore.Pool(server_url(), pool_size=1, max_overflow=0, pool_timeout=0.2,
                           log_mode="off")
        held = pool.acquire()
        started = time.monotonic()
        with self.assertRaises(mocore.error_class("timeout")) as cm:
            pool.acquire()
        self.assertGreaterEqual(time.monotonic() - started, 0.18)
        self.assertIn("within 200 ms", str(cm.exception))
        self.assertEqual(pool.stats["timeouts"], 1)
        held.close()
        pool.acquire().close()
        pool.close()
        with self.assertRaises(mocore.InterfaceError):
            pool.acquire()

    def test_a_session_runs_on_the_pooled_connection(self):
        with mocore.Pool(server_url(), pool_size=1, max_overflow=0, log_mode="off") as pool:
            with pool.connection() as c:
                with c.session() as s:
                    self.assertEqual(s.scalar("SELECT CONNECTION_ID()"), c.connection_id)
                    with self.assertRaises(mocore.error_class("misuse")):
                        c.execute("SELECT 1")
                self.assertEqual(c.scalar("SELECT 1"), 1)

    def test_threads_share_a_small_pool(self):
        with mocore.Pool(server_url(), pool_size=3, max_overflow=1, pool_timeout=30,
                         log_mode="off") as pool:
            errors = []

            def work(n):
                try:
                    for i in range(40):
                        with pool.connection() as c:
                            self.assertEqual(c.scalar("SELECT ? + 1", [i]), i + 1)
                except Exception as e:  # reported below
                    errors.append(e)

            threads = [threading.Thread(target=work, args=(n,)) for n in range(12)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            stats = pool.stats
            self.assertEqual(stats["acquires"], 12 * 40)
            self.assertEqual(stats["releases"], 12 * 40)
            self.assertLessEqual(stats["open"], 4)
            self.assertGreater(stats["waits"], 0)

    def test_pre_ping_replaces_a_killed_connection(self):
        with mocore.Pool(server_url(), pool_size=1, max_overflow=0, pre_ping=True,
                         log_mode="off") as pool:
            with pool.connection() as c:
                dead = c.connection_id
            with mocore.Client(root_url(), log_mode="off") as killer:
                killer.execute(f"KILL {int(dead)}")
            time.sleep(0.1)
            with pool.connection() as c:
                self.assertNotEqual(c.connection_id, dead)
                self.assertEqual(c.scalar("SELECT 2"), 2)
            self.assertEqual(pool.stats["ping_failures"], 1)

    def test_endpoints_skip_a_dead_one(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
        s.close()
        with mocore.Client(server_url(), log_mode="off") as probe:
            pass
        cfg_url = server_url()
        host_port = cfg_url.split("@", 1)[1].split("/", 1)[0]
        with mocore.Pool(cfg_url, endpoints=[f"127.0.0.1:{dead_port}"], pool_size=4,
                         retry_interval=60, log_mode="off") as pool:
            clients = [pool.acquire() for _ in range(4)]
            for c in clients:
                self.assertEqual(c.scalar("SELECT 3"), 3)
            eps = pool.endpoints
            self.assertEqual(len(eps), 2)
            self.assertEqual(eps[0][1], int(host_port.rsplit(":", 1)[1]))
            self.assertEqual((eps[1][1], eps[1][2], eps[1][3]), (dead_port, 0, 0))
            self.assertEqual(eps[0][3], 4)
            self.assertEqual(pool.stats["connect_failures"], 1)
            self.assertEqual(pool.check_endpoints(), 1)
            for c in clients:
                c.close()
        del probe

    def test_bad_arguments(self):
        with self.assertRaises(mocore.ProgrammingError):
            mocore.Pool(server_url(), pool_reset="sometimes")
        with self.assertRaises(mocore.ProgrammingError):
            mocore.Pool(server_url(), endpoints=["no-port"])
        with self.assertRaises(mocore.error_class("invalid_argument")):
            mocore.Pool(server_url(), pool_size=0)


class PoolClientTests(unittest.TestCase):
    def test_client_with_pool_size_is_thread_safe(self):
        client = mocore.Client(server_url(), pool_size=2, max_overflow=0, pool_timeout=30,
                               pool_recycle=3600, pre_ping=False, log_mode="off")
        self.assertIsInstance(client, mocore.PoolClient)
        errors = []

        def work():
            try:
                for i in range(30):
                    self.assertEqual(client.scalar("SELECT ?", [i]), i)
            except Exception as e:
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(client.pool.stats["in_use"], 0)
        self.assertLessEqual(client.pool.stats["open"], 2)
        # a stream keeps its connection until it is read
        rows = client.execute("SELECT 1 UNION ALL SELECT 2", stream=True)
        self.assertEqual(client.pool.stats["in_use"], 1)
        # UNION ALL without ORDER BY has no order (MatrixOne answers 2, 1)
        self.assertEqual(sorted(r[0] for r in rows), [1, 2])
        rows.close()
        self.assertEqual(client.pool.stats["in_use"], 0)
        # sessions and transactions on a borrowed connection
        client.execute("DROP TABLE IF EXISTS pool_py_t")
        client.execute("CREATE TABLE pool_py_t (id INT PRIMARY KEY)")
        with client.session() as s:
            s.execute("INSERT INTO pool_py_t VALUES (1)")
        client.transaction(lambda s: s.execute("INSERT INTO pool_py_t VALUES (2)"))
        self.assertEqual(client.scalar("SELECT COUNT(*) FROM pool_py_t"), 2)
        self.assertEqual(client.pool.stats["in_use"], 0)
        # properties run on the calling thread's lent connection
        self.assertIn(client.server_kind, ("mariadb", "mysql", "matrixone"))
        client.execute("DROP TABLE pool_py_t")
        client.close()
        self.assertTrue(client.closed)


class AsyncPoolTests(unittest.TestCase):
    def test_tasks_share_a_pool_in_one_loop(self):
        async def main():
            async with aio.AsyncPool(server_url(), pool_size=2, max_overflow=0,
                                     pool_timeout=30, log_mode="off") as pool:
                async def work(i):
                    async with pool.connection() as c:
                        return await c.scalar("SELECT ?", [i])

                results = await asyncio.gather(*(work(i) for i in range(20)))
                self.assertEqual(results, list(range(20)))
                stats = pool.stats
                self.assertEqual(stats["acquires"], 20)
                self.assertEqual(stats["releases"], 20)
                self.assertLessEqual(stats["open"], 2)
                self.assertGreater(stats["waits"], 0)

                # a waiting acquire cancelled leaves the queue
                held = [await pool.acquire(), await pool.acquire()]
                waiter = asyncio.ensure_future(pool.acquire())
                await asyncio.sleep(0.05)
                self.assertEqual(pool.stats["waiting"], 1)
                waiter.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await waiter
                del waiter
                import gc
                gc.collect()
                self.assertEqual(pool.stats["waiting"], 0)
                for c in held:
                    await c.close()
                c = await pool.acquire()
                self.assertEqual(await c.scalar("SELECT 7"), 7)
                await c.close()

        asyncio.run(main())


if __name__ == "__main__":
    unittest.main()
