"""mocore.matrixone's asyncio side: AsyncClient, AsyncSession and the unified transaction
(``async with client.transaction() as tx``) of the SDK's documents, on mocore.aio and the
mysql+mocore_async dialect. The examples of the SDK's async + SQLAlchemy document
(../shared/seeds/001) run on the test MariaDB where MariaDB can run them; what only
MatrixOne runs (snapshots, clones) is checked through the dry-run journal. Runs under pytest
or unittest (asyncio.run per test)."""

import asyncio
import unittest
import urllib.parse
import uuid

import mocore
import mocore.matrixone as mx
from mocore.matrixone.async_client import AsyncResultSet, AsyncTransaction
from mocore.matrixone.async_session import AsyncSession
from servers import matrixone_url, root_url, server_kind, server_url
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy import Column, DateTime, Integer, String, func, select, text
from sqlalchemy.orm import Session as SASession, declarative_base

Base = declarative_base()


def connect_args(url):
    u = urllib.parse.urlsplit(url)
    return {"host": u.hostname, "port": u.port or 3306,
            "user": urllib.parse.unquote(u.username or ""),
            "password": urllib.parse.unquote(u.password or ""),
            "database": u.path.lstrip("/") or None}


async def mariadb_client():
    c = mx.AsyncClient(sql_log_mode="off")
    await c.connect(on_connect=[], **connect_args(server_url()))
    return c


async def dry_client():
    c = mx.AsyncClient(sql_log_mode="off")
    await c.connect(host="127.0.0.1", port=6001, user="root", password="111", database="test",
                    dry_run=True, server_kind="matrixone", on_connect=[])
    return c


def run(coro):
    return asyncio.run(coro)


def model(table):
    """A fresh declarative User model on ``table`` (the seed's User, one table per test)."""
    base = declarative_base()

    class User(base):
        __tablename__ = table
        id = Column(Integer, primary_key=True, autoincrement=True)
        name = Column(String(100), nullable=False)
        email = Column(String(100), nullable=False, unique=True)
        status = Column(String(20), default="pending")
        created_at = Column(DateTime)

    return base, User


class WithTable(unittest.TestCase):
    """Each test gets its own users table (the seed's schema) on the MariaDB."""

    def setUp(self):
        self.table = f"mxa_users_{uuid.uuid4().hex[:8]}"
        self.base, self.User = model(self.table)

    async def client_with_table(self):
        c = await mariadb_client()
        await c.create_all(self.base)
        return c

    async def names(self, c):
        rs = await c.execute(f"SELECT name FROM {self.table} ORDER BY name")
        return [r[0] for r in rs.rows]

    async def drop(self, c):
        await c.drop_all(self.base)
        await c.disconnect()


class TestNames(unittest.TestCase):
    def test_the_sdk_names_of_async_client(self):
        from mocore.matrixone import async_client, clone, fulltext_manager, moctl, snapshot
        self.assertIs(mx.AsyncClient, async_client.AsyncClient)
        self.assertIs(async_client.AsyncSnapshotManager, snapshot.AsyncSnapshotManager)
        self.assertIs(async_client.AsyncCloneManager, clone.AsyncCloneManager)
        self.assertIs(async_client.AsyncMoCtlManager, moctl.AsyncMoCtlManager)
        self.assertIs(async_client.AsyncFulltextIndexManager, fulltext_manager.AsyncFulltextIndexManager)
        self.assertIs(async_client.AsyncSession, AsyncSession)
        with self.assertRaises(AttributeError):
            async_client.NoSuchName


class TestAsyncClientMariaDB(WithTable):
    def test_execute_params_result_set_and_errors(self):
        async def main():
            c = await mariadb_client()
            try:
                rs = await c.execute("SELECT ? AS a, ? AS b", (42, "x'y"))
                self.assertIsInstance(rs, AsyncResultSet)
                self.assertEqual((rs.columns, rs.fetchone(), rs.fetchone()), (["a", "b"], (42, "x'y"), None))
                rs = await c.execute("SELECT %s AS a", ("o'k",))
                self.assertEqual(rs.rows, [("o'k",)])
                self.assertEqual((await c.execute("SELECT :n AS n", {"n": 5})).scalar(), 5)
                with self.assertRaises(mx.QueryError) as cm:
                    await c.execute("SELECT ?, %s", (1, 2))       # one placeholder style only
                self.assertIsInstance(cm.exception, mocore.InvalidArgumentError)
                self.assertEqual(list((await c.execute("SELECT 1 AS n")).keys()), ["n"])
                self.assertEqual((await c.execute("SELECT 'a%b'")).scalar(), "a%b")
                with self.assertRaises(mx.QueryError) as cm:
                    await c.execute("SELECT * FROM mxa_no_such_table")
                self.assertIsInstance(cm.exception, mocore.NotFoundError)
                # the server's number: MariaDB 1146 (42S02), MatrixOne 1064 (HY000); same category
                self.assertEqual(cm.exception.errno, 1064 if server_kind() == "matrixone" else 1146)
                with self.assertRaises(mx.QueryError):
                    await c.execute("INVALID SQL STATEMENT")
                self.assertEqual((await c.execute(select(func.abs(-3)))).scalar(), 3)
            finally:
                await c.disconnect()
            self.assertFalse(c.connected())
            with self.assertRaises(mx.ConnectionError):
                await c.execute("SELECT 1")
        run(main())

    def test_gather_runs_on_several_pooled_connections(self):
        async def main():
            c = await mariadb_client()
            try:
                started = asyncio.get_running_loop().time()
                results = await asyncio.gather(*(c.execute("SELECT SLEEP(0.3), CONNECTION_ID()")
                                                 for _ in range(3)))
                elapsed = asyncio.get_running_loop().time() - started
                self.assertEqual(len({r.rows[0][1] for r in results}), 3)
                self.assertLess(elapsed, 0.85)   # overlapped, not 3 x 0.3 s one after another
            finally:
                await c.disconnect()
        run(main())

    def test_use_is_followed_by_every_pooled_connection(self):
        async def main():
            c = mx.AsyncClient(sql_log_mode="off")
            await c.connect(on_connect=[], **connect_args(root_url()))
            db = f"mxa_db_{uuid.uuid4().hex[:8]}"
            try:
                await c.execute(f"CREATE DATABASE {db}")
                await c.execute(f"USE {db}")
                # gather: three pooled connections at once, each in the database USE chose
                results = await asyncio.gather(*(c.execute("SELECT DATABASE(), SLEEP(0.1)")
                                                 for _ in range(3)))
                self.assertEqual([r.rows[0][0] for r in results], [db] * 3)
                async with c.session() as s:
                    self.assertEqual((await s.execute("SELECT DATABASE()")).scalar(), db)
            finally:
                await c.execute(f"DROP DATABASE IF EXISTS {db}")
                await c.disconnect()
        run(main())

    def test_create_table_integer_key_is_auto_increment(self):
        # one statement for the sync and async helpers (mocore.matrixone._table): the key of
        # "int primary key" (or primary_key=) is AUTO_INCREMENT, as the SDK's table builder
        async def main():
            c = await mariadb_client()
            t1, t2 = (f"mxa_ai_{uuid.uuid4().hex[:8]}" for _ in range(2))
            try:
                await c.create_table(t1, {"id": "int primary key", "name": "varchar(20)"})
                async with c.session() as s:
                    await s.create_table(t2, {"id": "bigint", "name": "varchar(20)"},
                                         primary_key="id")
                for t in (t1, t2):
                    await c.insert(t, {"name": "a"})
                    await c.insert(t, {"name": "b"})
                    rs = await c.execute(f"SELECT id, name FROM {t} ORDER BY id")
                    self.assertEqual(rs.rows, [(1, "a"), (2, "b")])
                    show = (await c.execute(f"SHOW CREATE TABLE {t}")).rows[0][1]
                    self.assertIn("AUTO_INCREMENT", show)
            finally:
                await c.drop_table(t1)
                await c.drop_table(t2)
                await c.disconnect()
        run(main())

    def test_table_helpers_insert_and_duplicate_key(self):
        async def main():
            c = await mariadb_client()
            t = f"mxa_t_{uuid.uuid4().hex[:8]}"
            try:
                self.assertIs(await c.create_table_with_index(
                    t, {"id": "int primary key", "name": "varchar(100)", "email": "varchar(255)"},
                    [{"name": "idx_name", "columns": ["name"]},
                     {"name": "idx_email", "columns": ["email"], "unique": True}]), c)
                keys = {r[2] for r in (await c.execute(f"SHOW INDEX FROM {t}")).rows}
                self.assertEqual(keys, {"PRIMARY", "idx_name", "idx_email"})
                self.assertEqual((await c.insert(t, {"id": 1, "name": "a", "email": "a@x"})).affected_rows, 1)
                rs = await c.batch_insert(t, [{"id": 2, "name": "b", "email": "b@x"},
                                              {"id": 3, "name": "c", "email": "c@x"}])
                self.assertEqual(rs.affected_rows, 2)
                self.assertEqual((await c.batch_insert(t, [])).affected_rows, 0)
                with self.assertRaises(mocore.ConstraintError) as cm:
                    await c.insert(t, {"id": 1, "name": "dup", "email": "d@x"})
                self.assertIsInstance(cm.exception, mx.QueryError)
                self.assertEqual(cm.exception.errno, 1062)
                self.assertEqual((await c.execute(f"SELECT COUNT(*) FROM {t}")).scalar(), 3)
            finally:
                self.assertIs(await c.drop_table(t), c)
                await c.disconnect()
        run(main())

    def test_disconnect_sync_and_async_with(self):
        async def main():
            c = await mariadb_client()
            await asyncio.gather(*(c.execute("SELECT SLEEP(0.05)") for _ in range(2)))
            c.disconnect_sync()              # nothing awaited: the pooled sockets are dropped
            self.assertFalse(c.connected())
            c.disconnect_sync()              # twice is fine
            async with mx.AsyncClient(sql_log_mode="off") as c2:
                await c2.connect(on_connect=[], **connect_args(server_url()))
                self.assertEqual((await c2.execute("SELECT 1")).scalar(), 1)
            self.assertFalse(c2.connected())
        run(main())

    def test_connection_hooks(self):
        async def main():
            seen = []

            async def async_hook(client):          # awaited once, with the client
                seen.append(("async", client))
                await client.execute("SELECT 1")

            c = mx.AsyncClient(sql_log_mode="off")
            await c.connect(on_connect=async_hook, **connect_args(server_url()))
            await asyncio.gather(*(c.execute("SELECT SLEEP(0.05)") for _ in range(2)))
            self.assertEqual(seen, [("async", c)])
            await c.disconnect()

            calls = []                               # a plain hook: once, then per connection
            c = mx.AsyncClient(sql_log_mode="off")
            await c.connect(on_connect=lambda cl: calls.append(cl), **connect_args(server_url()))
            self.assertIs(calls[-1], c)
            before = len(calls)
            await asyncio.gather(*(c.execute("SELECT SLEEP(0.05)") for _ in range(3)))
            self.assertGreaterEqual(len(calls), before + 2)   # new pooled connections
            await c.disconnect()
        run(main())

    def test_connect_failure_is_connection_error(self):
        async def main():
            args = connect_args(server_url())
            args["password"] = "wrong-" + uuid.uuid4().hex
            c = mx.AsyncClient(sql_log_mode="off")
            with self.assertRaises(mx.ConnectionError) as cm:
                await c.connect(on_connect=[], **args)
            self.assertIsInstance(cm.exception, mocore.Error)
            self.assertFalse(c.connected())
        run(main())

    def test_from_engine_and_engine_checks(self):
        async def main():
            c = await mariadb_client()
            try:
                other = mx.AsyncClient.from_engine(c.get_sqlalchemy_engine(), sql_log_mode="off")
                self.assertEqual((await other.execute("SELECT 7")).scalar(), 7)
                await other.disconnect()            # not its engine: left to its owner
                self.assertEqual((await c.execute("SELECT 8")).scalar(), 8)
            finally:
                await c.disconnect()
            from sqlalchemy import create_engine
            with self.assertRaises(mx.ConnectionError):
                mx.AsyncClient.from_engine(create_engine("sqlite://"))

            class OtherDriverEngine:            # an aiomysql engine, as SDK code makes them
                url = make_url(server_url()).set(drivername="mysql+aiomysql")

                class dialect:
                    name, driver = "mysql", "aiomysql"

            c = mx.AsyncClient.from_engine(OtherDriverEngine(), sql_log_mode="off")
            try:
                self.assertEqual(c.get_sqlalchemy_engine().dialect.driver, "mocore_async")
                self.assertEqual((await c.execute("SELECT 9")).scalar(), 9)
            finally:
                await c.disconnect()
        run(main())


class TestAsyncSessionMariaDB(WithTable):
    def test_session_commits_or_vanishes_with_orm_sql_and_managers(self):
        async def main():
            c = await self.client_with_table()
            try:
                async with c.session() as s:
                    self.assertIsInstance(s, AsyncSession)
                    s.add(self.User(name="orm", email="orm@x"))
                    await s.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("sql", "sql@x"))
                    self.assertEqual((await s.insert(self.table, {"name": "mgr", "email": "m@x"})).rowcount, 1)
                    r = await s.execute(f"SELECT COUNT(*) FROM {self.table}")
                    self.assertEqual(r.fetchone()[0], 3)            # all three, not committed yet
                self.assertEqual(await self.names(c), ["mgr", "orm", "sql"])
                with self.assertRaises(RuntimeError):
                    async with c.session() as s:
                        s.add(self.User(name="orm2", email="orm2@x"))
                        await s.execute(f"INSERT INTO {self.table} (name, email) VALUES (%s, %s)", ("sql2", "s2@x"))
                        await s.batch_insert(self.table, [{"name": "mgr2", "email": "m2@x"}])
                        raise RuntimeError("roll back")
                self.assertEqual(await self.names(c), ["mgr", "orm", "sql"])
            finally:
                await self.drop(c)
        run(main())

    def test_wrap_an_existing_sqlalchemy_async_session(self):
        async def main():
            from sqlalchemy.ext.asyncio import async_sessionmaker
            c = await self.client_with_table()
            try:
                existing = async_sessionmaker(bind=c.get_sqlalchemy_engine())()
                mo = AsyncSession(client=c, wrap_session=existing)
                try:
                    mo.add(self.User(name="orm", email="orm@x"))
                    await mo.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("sql", "s@x"))
                    await mo.vector_ops.insert(self.table, {"name": "mgr", "email": "m@x"})
                    self.assertEqual(await self.names(c), [])
                    await mo.commit()
                finally:
                    await mo.close()
                self.assertEqual(await self.names(c), ["mgr", "orm", "sql"])
            finally:
                await self.drop(c)
        run(main())

    def test_session_statements_are_queued_under_gather(self):
        async def main():
            c = await self.client_with_table()
            try:
                async with c.session() as s:
                    await asyncio.gather(*(s.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)",
                                                     (f"u{i}", f"u{i}@x")) for i in range(5)))
                self.assertEqual(len(await self.names(c)), 5)
            finally:
                await self.drop(c)
        run(main())


class TestUnifiedTransactionMariaDB(WithTable):
    """``async with client.transaction() as tx`` on the MariaDB: the seed's examples."""

    def test_seed_basic_orm_sql_and_manager_commit_together(self):
        async def main():
            c = await self.client_with_table()
            try:
                async with c.transaction() as tx:
                    self.assertIsInstance(tx, AsyncTransaction)
                    session = await tx.get_sqlalchemy_session()
                    self.assertIsInstance(session, SASession)       # synchronous, as in the seed
                    user = self.User(name="Alice", email="alice@example.com")
                    session.add(user)
                    session.flush()
                    self.assertIsNotNone(user.id)                   # flushed on the connection
                    await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (%s, %s)",
                                     ("Bob", "bob@example.com"))
                    await tx.batch_insert(self.table, [{"name": "Carol", "email": "carol@example.com"}])
                    await tx.vector_ops.insert(self.table, {"name": "Dave", "email": "dave@example.com"})
                    # one connection: the ORM sees the raw row, raw SQL sees the ORM row
                    self.assertEqual(session.query(self.User).count(), 4)
                    self.assertEqual((await tx.execute(f"SELECT COUNT(*) FROM {self.table}")).scalar(), 4)
                    self.assertEqual(await tx.query(self.User).filter_by(name="Dave").count(), 1)
                    # ... and nobody else sees them before the commit
                    self.assertEqual(await self.names(c), [])
                self.assertEqual(await self.names(c), ["Alice", "Bob", "Carol", "Dave"])
            finally:
                await self.drop(c)
        run(main())

    def test_seed_error_rolls_back_orm_sql_and_manager(self):
        async def main():
            c = await self.client_with_table()
            try:
                with self.assertRaises(mx.QueryError) as cm:
                    async with c.transaction() as tx:
                        session = await tx.get_sqlalchemy_session()
                        session.add(self.User(name="Alice", email="alice@example.com"))
                        session.flush()
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (%s, %s)",
                                         ("Bob", "bob@example.com"))
                        await tx.insert(self.table, {"name": "Carol", "email": "carol@example.com"})
                        # an SDK manager bound to the transaction (vector_ops.insert also runs on MariaDB)
                        self.assertIs(await tx.vector_ops.insert(self.table, {"name": "Dave", "email": "d@x"}),
                                      tx.vector_ops)
                        self.assertEqual((await tx.execute(f"SELECT COUNT(*) FROM {self.table}")).scalar(), 4)
                        await tx.execute("INSERT INTO mxa_nonexistent_table (name) VALUES ('test')")
                self.assertIsInstance(cm.exception, mocore.NotFoundError)
                self.assertEqual(await self.names(c), [])
                # a plain exception in the block does the same
                with self.assertRaises(KeyError):
                    async with c.transaction() as tx:
                        (await tx.get_sqlalchemy_session()).add(self.User(name="Dan", email="d@x"))
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("Eve", "e@x"))
                        raise KeyError("x")
                self.assertEqual(await self.names(c), [])
            finally:
                await self.drop(c)
        run(main())

    def test_seed_concurrent_awaited_statements_are_queued(self):
        async def main():
            c = await self.client_with_table()
            try:
                async with c.transaction() as tx:
                    session = await tx.get_sqlalchemy_session()

                    async def create_user_async(name, email):
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (%s, %s)",
                                         (name, email))

                    # ORM objects added before the gather go out with the first statement
                    session.add(self.User(name="User2", email="user2@example.com"))
                    session.add(self.User(name="User4", email="user4@example.com"))
                    await asyncio.gather(create_user_async("User1", "user1@example.com"),
                                         create_user_async("User3", "user3@example.com"),
                                         create_user_async("User5", "user5@example.com"))
                self.assertEqual(await self.names(c), ["User1", "User2", "User3", "User4", "User5"])
            finally:
                await self.drop(c)
        run(main())

    def test_seed_concurrent_orm_and_sql_steps_gathered(self):
        async def main():
            c = await self.client_with_table()
            try:
                async with c.transaction() as tx:
                    session = await tx.get_sqlalchemy_session()

                    async def create_user_async(name, email):
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (%s, %s)",
                                         (name, email))

                    async def create_user_sqlalchemy(name, email):
                        session.add(self.User(name=name, email=email))
                        session.flush()

                    await asyncio.gather(create_user_async("User1", "user1@example.com"),
                                         create_user_sqlalchemy("User2", "user2@example.com"),
                                         create_user_async("User3", "user3@example.com"),
                                         create_user_sqlalchemy("User4", "user4@example.com"))
                    self.assertEqual(await self.names(c), [])
                self.assertEqual(await self.names(c), ["User1", "User2", "User3", "User4"])
            finally:
                await self.drop(c)
        run(main())

    def test_seed_data_migration_and_batch_processing(self):
        async def main():
            c = await self.client_with_table()
            try:
                await c.batch_insert(self.table, [{"name": f"p{i}", "email": f"p{i}@x", "status": "pending"}
                                                  for i in range(4)])
                async with c.transaction() as tx:
                    session = await tx.get_sqlalchemy_session()
                    users = session.query(self.User).filter(self.User.status == "pending").all()
                    self.assertEqual(len(users), 4)
                    await asyncio.gather(*(tx.execute(f"UPDATE {self.table} SET status = %s WHERE id = %s",
                                                      ("processed", u.id)) for u in users))
                rs = await c.execute(f"SELECT status, COUNT(*) FROM {self.table} GROUP BY status")
                self.assertEqual(rs.rows, [("processed", 4)])
            finally:
                await self.drop(c)
        run(main())

    def test_async_session_of_the_transaction_and_its_managers(self):
        async def main():
            c = await self.client_with_table()
            try:
                with self.assertRaises(ZeroDivisionError):
                    async with c.transaction() as tx:
                        tx.session.add(self.User(name="orm", email="orm@x"))
                        await tx.session.flush()
                        n = (await tx.session.execute(select(func.count()).select_from(self.User))).scalar()
                        self.assertEqual(n, 1)
                        await tx._mocore_async().insert(self.table, {"name": "mgr", "email": "m@x"})
                        self.assertEqual((await tx.execute(f"SELECT COUNT(*) FROM {self.table}")).scalar(), 2)
                        1 / 0
                self.assertEqual(await self.names(c), [])
                async with c.transaction() as tx:
                    tx.session.add(self.User(name="orm", email="orm@x"))
                    await tx._mocore_async().insert(self.table, {"name": "mgr", "email": "m@x"})
                self.assertEqual(await self.names(c), ["mgr", "orm"])
            finally:
                await self.drop(c)
        run(main())

    def test_over_after_the_block_and_connection_back_to_normal(self):
        async def main():
            c = await self.client_with_table()
            try:
                async with c.transaction() as tx:
                    dbapi = tx._dbapi
                    session = await tx.get_sqlalchemy_session()
                with self.assertRaises(mx.ConnectionError):
                    await tx.execute("SELECT 1")
                with self.assertRaises(mx.ConnectionError):
                    await tx.get_sqlalchemy_session()
                self.assertFalse(dbapi.client.blocking)     # pooled again, as any connection
                with self.assertRaises(sa_exc.ResourceClosedError):  # its connection went back
                    session.query(self.User).all()
            finally:
                await self.drop(c)
        run(main())

    def test_cancelled_transaction_vanishes_and_the_client_goes_on(self):
        async def main():
            c = await self.client_with_table()
            try:
                async def work():
                    async with c.transaction() as tx:
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("a", "a@x"))
                        await tx.execute("SELECT SLEEP(1)")
                task = asyncio.ensure_future(work())
                await asyncio.sleep(0.3)
                task.cancel()
                with self.assertRaises(asyncio.CancelledError):
                    await task
                self.assertEqual(await self.names(c), [])
                results = await asyncio.gather(*(c.execute("SELECT 1") for _ in range(3)))
                self.assertEqual([r.scalar() for r in results], [1, 1, 1])
            finally:
                await self.drop(c)
        run(main())

    def test_sync_statement_while_an_awaited_one_runs_is_refused(self):
        async def main():
            c = await self.client_with_table()
            try:
                with self.assertRaises(sa_exc.InterfaceError) as cm:
                    async with c.transaction() as tx:
                        session = await tx.get_sqlalchemy_session()
                        slow = asyncio.ensure_future(tx.execute("SELECT SLEEP(0.3)"))
                        await asyncio.sleep(0.05)
                        try:
                            session.execute(text("SELECT 1"))
                        finally:
                            await slow
                self.assertIsInstance(cm.exception.orig, mocore.MisuseError)
                self.assertEqual(await self.names(c), [])
            finally:
                await self.drop(c)
        run(main())


class TestUnifiedTransactionMatrixOne(unittest.TestCase):
    """The MatrixOne profile (MOCORE_TEST_MATRIXONE_URL): the seed's manager statements in the
    transaction on a real MatrixOne."""

    def setUp(self):
        self.url = matrixone_url()
        self.table = f"mxa_mo_{uuid.uuid4().hex[:8]}"
        self.base, self.User = model(self.table)

    async def client(self):
        c = mx.AsyncClient(sql_log_mode="off")
        await c.connect(on_connect=[], **connect_args(self.url))
        await c.create_all(self.base)
        return c

    def test_clone_commits_or_vanishes_with_orm_and_sql(self):
        async def main():
            c = await self.client()
            copy = self.table + "_copy"
            try:
                with self.assertRaises(RuntimeError):
                    async with c.transaction() as tx:
                        (await tx.get_sqlalchemy_session()).add(self.User(name="a", email="a@x"))
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("b", "b@x"))
                        await tx.clone.clone_table(copy, self.table)
                        raise RuntimeError("roll back")
                self.assertEqual((await c.execute(f"SHOW TABLES LIKE '{copy}'")).rows, [])
                self.assertEqual((await c.execute(f"SELECT COUNT(*) FROM {self.table}")).scalar(), 0)
                async with c.transaction() as tx:
                    (await tx.get_sqlalchemy_session()).add(self.User(name="a", email="a@x"))
                    await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("b", "b@x"))
                    await tx.clone.clone_table(copy, self.table)     # sees the two rows
                    await tx.moctl.flush_table(connect_args(self.url)["database"], self.table)
                self.assertEqual((await c.execute(f"SELECT COUNT(*) FROM {copy}")).scalar(), 2)
            finally:
                await c.drop_table(copy)
                await c.drop_all(self.base)
                await c.disconnect()
        run(main())

    def test_snapshot_inside_a_transaction_is_refused_by_matrixone(self):
        async def main():
            c = await self.client()
            try:
                with self.assertRaises(mx.SnapshotError) as cm:
                    async with c.transaction() as tx:
                        await tx.execute(f"INSERT INTO {self.table} (name, email) VALUES (?, ?)", ("a", "a@x"))
                        await tx.snapshots.create(name="mxa_tx_snap", level=mx.SnapshotLevel.DATABASE,
                                                  database=connect_args(self.url)["database"])
                self.assertIsInstance(cm.exception, mocore.Error)
                self.assertEqual(cm.exception.errno, 20101)      # "... in uncommitted transaction"
                self.assertEqual((await c.execute(f"SELECT COUNT(*) FROM {self.table}")).scalar(), 0)
                self.assertFalse(await c.snapshots.exists("mxa_tx_snap"))
            finally:
                await c.drop_all(self.base)
                await c.disconnect()
        run(main())


class TestUnifiedTransactionJournal(unittest.TestCase):
    """What only MatrixOne runs (snapshots, clones), read from the dry-run journal: every
    statement of the block on the transaction's one connection, in the order written."""

    def test_seed_basic_with_snapshot_and_clone(self):
        async def main():
            c = await dry_client()
            base, User = model("users")
            try:
                async with c.transaction() as tx:
                    green = tx._dbapi.client
                    before = len(green.journal)
                    session = await tx.get_sqlalchemy_session()
                    session.add(User(id=1, name="Alice", email="alice@example.com"))
                    session.flush()
                    await tx.execute("INSERT INTO users (name, email) VALUES (%s, %s)",
                                     ("Bob's", "bob@example.com"))
                    snapshot = await tx.snapshots.create(name="transaction_snapshot",
                                                         level=mx.SnapshotLevel.DATABASE,
                                                         database="test")
                    self.assertEqual(snapshot.name, "transaction_snapshot")
                    await tx.clone.clone_database_with_snapshot("backup", "test",
                                                                "transaction_snapshot")
                    await tx.moctl.flush_table("test", "users")
                # (the snapshot manager reads the new snapshot back: a SELECT of mo_catalog)
                journal = [s.strip() for s in green.journal[before:] if "mo_catalog" not in s]
                self.assertEqual(journal[:4], [
                    "INSERT INTO users (id, name, email, status, created_at) VALUES (1, 'Alice', "
                    "'alice@example.com', 'pending', NULL)",
                    "INSERT INTO users (name, email) VALUES ('Bob''s', 'bob@example.com')",
                    "CREATE SNAPSHOT `transaction_snapshot` FOR DATABASE `test`",
                    "CREATE DATABASE `backup` CLONE `test` {snapshot = 'transaction_snapshot'}",
                ])
                self.assertEqual(journal[4:6], ["SELECT mo_ctl('dn', 'flush', 'test.users')", "COMMIT"])
            finally:
                await c.disconnect()
        run(main())

    def test_rollback_on_error(self):
        async def main():
            c = await dry_client()
            try:
                with self.assertRaises(ValueError):
                    async with c.transaction() as tx:
                        green = tx._dbapi.client
                        before = len(green.journal)
                        await tx.execute("UPDATE t SET a = ? WHERE id = ?", (1, 2))
                        await tx.snapshots.delete("s1")
                        raise ValueError("no")
                # an explicit BEGIN (MatrixOne treats autocommit=0 transactions differently)
                self.assertEqual([s.strip() for s in green.journal[before - 1:before + 3]],
                                 ["BEGIN", "UPDATE t SET a = 1 WHERE id = 2", "DROP SNAPSHOT `s1`",
                                  "ROLLBACK"])
            finally:
                await c.disconnect()
        run(main())

    def test_query_filter_expression_then_text_conditions(self):
        async def main():
            from mocore.matrixone.sqlalchemy_ext import boolean_match
            c = await dry_client()
            try:
                q = c.query("docs").filter(boolean_match("title", "body").must("py"),
                                           "category = 'Programming'", "id > 2")
                sql = q.to_sql()
                self.assertIn("MATCH(title, body) AGAINST('+py' IN BOOLEAN MODE)", sql)
                self.assertIn("AND category = 'Programming' AND id > 2", sql)
                with self.assertRaises(ValueError):   # a value is no condition
                    c.query("docs").filter(boolean_match("title").must("py"), 3)
                await q.execute()
            finally:
                await c.disconnect()
        run(main())

    def test_session_transactions_begin_explicitly(self):
        async def main():
            c = await dry_client()
            try:
                async with c.session() as s:
                    await s.execute("UPDATE t SET a = ?", (1,))
                    journal = (await s.connection()).sync_connection.connection.dbapi_connection.client.journal
                    self.assertEqual([j.strip() for j in journal[-2:]], ["BEGIN", "UPDATE t SET a = 1"])
                    await s.commit()
                    await s.execute("UPDATE t SET a = ?", (2,))      # the next transaction too
                    journal = (await s.connection()).sync_connection.connection.dbapi_connection.client.journal
                    self.assertIn("COMMIT", journal)
                    self.assertEqual([j.strip() for j in journal[-2:]], ["BEGIN", "UPDATE t SET a = 2"])
            finally:
                await c.disconnect()
        run(main())

    def test_client_managers_run_in_autocommit(self):
        async def main():
            c = await dry_client()
            try:
                target = c._mocore_async()
                await target.snapshots.create("s2", "table", database="db", table="t")
                rows = await target.execute("SELECT ?", [1])
                self.assertEqual((rows.columns, await rows.fetchall()), ([], []))
            finally:
                await c.disconnect()
        run(main())


if __name__ == "__main__":
    unittest.main()
