"""The asyncio SQLAlchemy dialect mysql+mocore_async (mocore/sqlalchemy_async.py) against the
real MariaDB of the test harness: AsyncEngine/AsyncConnection, AsyncSession with the ORM,
async_sessionmaker, run_sync, stream/stream_scalars, rollback on an exception, 20 concurrent
queries on 20 pooled connections in one thread, and task cancellation mid-query.

Each test runs its own event loop (asyncio.run); no pytest plugin is needed."""

import asyncio
import threading
import time
import uuid

import pytest
from sqlalchemy import (Column, Integer, MetaData, String, Table, event, exc, func, insert,
                        inspect, select, text)
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import AsyncAdaptedQueuePool

from mocore import aio, dbapi
from mocore import sqlalchemy_async, sqlalchemy_dialect

from conftest import procedure_ddl, requires_mariadb, seq, server_kind, server_url

sqlalchemy_dialect.register()  # also registers the async dialect


def async_url(url=None):
    """mysql://... (the harness URL) -> mysql+mocore_async://..."""
    return "mysql+mocore_async://" + (url or server_url()).split("://", 1)[1]


def run(coro):
    return asyncio.run(coro)


def make_model(table):
    class Base(DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = table
        id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
        name: Mapped[str] = mapped_column(String(50))
        qty: Mapped[int] = mapped_column(default=0)

    return Base, Item


@pytest.fixture
def table():
    return "sqla_async_" + uuid.uuid4().hex[:10]


# ---------------------------------------------------------------- the dialect itself
def test_dialect_is_async_on_the_sync_dialect_with_the_async_pool():
    engine = create_async_engine(async_url())
    try:
        d = engine.dialect
        assert isinstance(engine, AsyncEngine)
        assert isinstance(d, sqlalchemy_async.MySQLDialect_mocore_async)
        assert isinstance(d, sqlalchemy_dialect.MySQLDialect_mocore)  # compiler, types: reused
        assert d.is_async and d.has_terminate and d.driver == "mocore_async"
        assert d.paramstyle == "qmark"
        assert d.loaded_dbapi.Error is dbapi.Error
        assert isinstance(engine.pool, AsyncAdaptedQueuePool)
    finally:
        run(engine.dispose())


def test_registry_names():
    from sqlalchemy.dialects import registry
    assert registry.load("mysql.mocore_async") is sqlalchemy_async.MySQLDialect_mocore_async
    assert registry.load("mariadb.mocore_async") is sqlalchemy_async.MariaDBDialect_mocore_async


def test_package_metadata_declares_the_async_entry_points(tmp_path):
    """What `pip install ./bindings/python` registers (setup.py egg_info, no compiling)."""
    import configparser
    import os
    import subprocess
    import sys
    from importlib.metadata import EntryPoint
    setup_dir = os.path.join(os.path.dirname(__file__), "..", "..", "bindings", "python")
    subprocess.run([sys.executable, "setup.py", "-q", "egg_info", "--egg-base", str(tmp_path)],
                   cwd=setup_dir, check=True, capture_output=True)
    cfg = configparser.ConfigParser()
    cfg.read(tmp_path / "mocore.egg-info" / "entry_points.txt")
    eps = cfg["sqlalchemy.dialects"]
    assert (EntryPoint("mysql.mocore_async", eps["mysql.mocore_async"], "sqlalchemy.dialects")
            .load() is sqlalchemy_async.MySQLDialect_mocore_async)
    assert (EntryPoint("mariadb.mocore_async", eps["mariadb.mocore_async"],
                       "sqlalchemy.dialects").load()
            is sqlalchemy_async.MariaDBDialect_mocore_async)


def test_create_async_engine_refuses_the_sync_dialect():
    # the sync dialect is not accepted by create_async_engine (SQLAlchemy's own check)
    with pytest.raises(exc.InvalidRequestError):
        create_async_engine("mysql+mocore://" + server_url().split("://", 1)[1])


# ---------------------------------------------------------------- Core
def test_core_execute_params_description_and_raw_driver_connection(table):
    async def main():
        engine = create_async_engine(async_url())
        meta = MetaData()
        t = Table(table, meta, Column("id", Integer, primary_key=True),
                  Column("name", String(40)), Column("note", String(40), nullable=True))
        try:
            async with engine.begin() as conn:
                await conn.run_sync(meta.create_all)
                r = await conn.execute(insert(t), [{"id": 1, "name": "a"}, {"id": 2, "name": "b%"},
                                                   {"id": 3, "name": "c", "note": "x"}])
                assert r.rowcount == 3  # executemany of mocore.dbapi: one multi-row INSERT
            async with engine.connect() as conn:
                rows = (await conn.execute(select(t.c.id, t.c.name).where(t.c.name.like("b%%"))
                                           .order_by(t.c.id))).all()
                assert [tuple(r) for r in rows] == [(2, "b%")]
                r = await conn.execute(text(f"SELECT id, name FROM {table} WHERE id > :x "
                                            "ORDER BY id"), {"x": 1})
                assert list(r.keys()) == ["id", "name"]
                assert r.cursor.description[0][0] == "id"
                assert [tuple(x) for x in r] == [(2, "b%"), (3, "c")]
                assert await conn.scalar(select(func.count()).select_from(t)) == 3
                # the driver connection is the mocore.aio client, usable directly
                raw = await conn.get_raw_connection()
                assert isinstance(raw.driver_connection, aio.AsyncClient)
                assert isinstance(raw.dbapi_connection, dbapi.Connection)
                got = await conn.run_sync(
                    lambda sync_conn: sync_conn.connection.dbapi_connection.run_async(
                        lambda client: client.scalar("SELECT 40 + 2")))
                assert got == 42
                names = await conn.run_sync(lambda c: inspect(c).get_table_names())
                assert table in names
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(meta.drop_all)
            await engine.dispose()

    run(main())


def test_pre_ping_isolation_levels_and_async_creator(table):
    async def main():
        url = server_url()
        engine = create_async_engine(async_url(), pool_pre_ping=True, pool_size=1,
                                     max_overflow=0)
        try:
            async with engine.begin() as conn:  # (DDL commits at COMMIT on MatrixOne)
                await conn.execute(text(f"CREATE TABLE {table} (id INT PRIMARY KEY)"))
            async with engine.connect() as conn:  # checked out again: pre-pinged first
                ac = await conn.execution_options(isolation_level="AUTOCOMMIT")
                assert (await ac.get_raw_connection()).dbapi_connection.autocommit == True  # noqa: E712
                await ac.execute(text(f"INSERT INTO {table} VALUES (1)"))
                await ac.rollback()  # nothing to roll back: autocommit
            async with engine.connect() as conn:  # back to a transaction per connection
                assert (await conn.get_raw_connection()).dbapi_connection.autocommit == False  # noqa: E712
                await conn.execute(text(f"INSERT INTO {table} VALUES (2)"))
                await conn.rollback()
                ids = (await conn.execute(text(f"SELECT id FROM {table}"))).scalars().all()
                assert ids == [1]
            # async_creator: the application makes the mocore.aio client itself
            made = []

            async def creator():
                client = await aio.connect(url)
                made.append(client)
                return client

            engine2 = create_async_engine("mysql+mocore_async://", async_creator=creator)
            try:
                async with engine2.connect() as conn:
                    assert await conn.scalar(text(f"SELECT COUNT(*) FROM {table}")) == 1
                    raw = await conn.get_raw_connection()
                    assert made and raw.driver_connection is made[0]
            finally:
                await engine2.dispose()
            assert made[0].closed
        finally:
            async with engine.begin() as conn:
                await conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
            await engine.dispose()

    run(main())


def test_errors_are_sqlalchemy_errors_and_the_connection_stays_usable(table):
    async def main():
        engine = create_async_engine(async_url())
        try:
            async with engine.begin() as conn:
                await conn.execute(text(f"CREATE TABLE {table} (id INT PRIMARY KEY)"))
                await conn.execute(text(f"INSERT INTO {table} VALUES (1)"))
            async with engine.connect() as conn:
                with pytest.raises(exc.IntegrityError) as ei:
                    await conn.execute(text(f"INSERT INTO {table} VALUES (1)"))
                assert isinstance(ei.value.orig, dbapi.IntegrityError)
                await conn.rollback()
                with pytest.raises(exc.ProgrammingError):
                    await conn.execute(text("SELEKT 1"))
                await conn.rollback()
                assert await conn.scalar(text("SELECT 7")) == 7
        finally:
            async with engine.begin() as conn:
                await conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
            await engine.dispose()

    run(main())


def test_callproc_and_nextset_on_the_adapted_connection(table):
    """A CALL's result sets are all read while the statement is awaited; callproc() and
    nextset() then walk them without waiting (mocore.dbapi's code, on the greenlet bridge)."""
    proc = table + "_p"

    def sync(sync_conn):
        cur = sync_conn.connection.dbapi_connection.cursor()
        out = cur.callproc(proc, (2, 40, None))
        first = cur.fetchall()
        assert cur.nextset() is True
        second = cur.fetchall()
        assert cur.nextset() is True and cur.description is None  # the CALL's own status
        assert cur.nextset() is None
        cur.close()
        return out, first, second

    async def main():
        engine = create_async_engine(async_url())
        try:
            async with engine.connect() as conn:
                ddl = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await ddl.execute(text(procedure_ddl(
                    proc, "IN a INT, INOUT b INT, OUT c VARCHAR(20)",
                    "SET b = a + b; SET c = CONCAT('sum=', b); SELECT a, b; "
                    "SELECT 'x' AS s UNION ALL SELECT 'y' ORDER BY s;")))
            async with engine.connect() as conn:
                out, first, second = await conn.run_sync(sync)
                # MatrixOne reads user variables back as text
                assert [str(v) for v in out] == ["2", "42", "sum=42"]
                if server_kind() != "matrixone":
                    assert out == [2, 42, "sum=42"]
                assert first == [(2, 42)] and second == [("x",), ("y",)]
                await conn.execute(text("SET @b = 1"))
                r = await conn.execute(text(f"CALL `{proc}`(1, @b, @c)"))
                assert r.all() == [(1, 2)]
                assert await conn.scalar(text("SELECT @c")) == "sum=2"
        finally:
            async with engine.connect() as conn:
                ddl = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await ddl.execute(text(f"DROP PROCEDURE IF EXISTS `{proc}`"))
            await engine.dispose()

    run(main())


# ---------------------------------------------------------------- ORM
def test_async_session_orm_round_trip_with_sessionmaker_and_run_sync(table):
    Base, Item = make_model(table)

    async def main():
        engine = create_async_engine(async_url())
        Session = async_sessionmaker(engine, expire_on_commit=False)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)  # run_sync: sync DDL code
            async with Session() as session:
                session.add_all([Item(name="apple", qty=3), Item(name="pear", qty=5)])
                await session.commit()
                ids = (await session.scalars(select(Item.id).order_by(Item.id))).all()
                assert len(ids) == 2 and ids[0] < ids[1]  # autoincrement ids came back
            async with Session() as session:
                pear = (await session.scalars(select(Item).where(Item.name == "pear"))).one()
                assert pear.qty == 5
                pear.qty = 6
                await session.commit()
                got = await session.get(Item, pear.id)
                assert got.qty == 6
                await session.delete(got)
                await session.commit()
            async with Session() as session:
                names = (await session.scalars(select(Item.name))).all()
                assert names == ["apple"]
                # run_sync on a session: sync ORM code in the greenlet
                count = await session.run_sync(
                    lambda s: s.query(Item).filter(Item.qty > 0).count())
                assert count == 1
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()

    run(main())


def test_exception_inside_session_begin_rolls_back(table):
    Base, Item = make_model(table)

    async def main():
        engine = create_async_engine(async_url())
        Session = async_sessionmaker(engine)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            with pytest.raises(ValueError):
                async with Session() as session:
                    async with session.begin():
                        session.add(Item(name="ghost"))
                        await session.flush()  # the INSERT reached the server
                        assert (await session.scalar(select(func.count(Item.id)))) == 1
                        raise ValueError("boom")
            async with Session() as session:
                assert (await session.scalar(select(func.count(Item.id)))) == 0
            async with Session() as session, session.begin():
                session.add(Item(name="kept"))
            async with Session() as session:
                assert (await session.scalars(select(Item.name))).all() == ["kept"]
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()

    run(main())


def test_stream_and_stream_scalars_read_from_the_wire(table):
    Base, Item = make_model(table)

    async def main():
        engine = create_async_engine(async_url())
        Session = async_sessionmaker(engine)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
                await conn.execute(insert(Item), [{"name": f"n{i}", "qty": i}
                                                  for i in range(1000)])
            async with engine.connect() as conn:
                result = await conn.stream(select(Item.qty).order_by(Item.id))
                assert result._real_result.context._is_server_side
                cursor = result._real_result.cursor
                assert cursor.server_side  # a mocore.dbapi streaming cursor
                total, n = 0, 0
                async for row in result:
                    total += row.qty
                    n += 1
                assert (n, total) == (1000, sum(range(1000)))
                # partitions, and a stream left unread is drained before the next statement
                result = await conn.stream(select(Item.id).order_by(Item.id))
                first = await result.fetchmany(10)
                assert len(first) == 10
                await result.close()
                assert await conn.scalar(select(func.count()).select_from(Item)) == 1000
            async with Session() as session:
                scalars = await session.stream_scalars(select(Item.name).order_by(Item.id))
                names = [name async for name in scalars]
                assert names[:3] == ["n0", "n1", "n2"] and len(names) == 1000
                result = await session.stream(select(Item).where(Item.qty < 5).order_by(Item.id))
                items = [row.Item async for row in result]
                assert [i.qty for i in items] == [0, 1, 2, 3, 4]
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()

    run(main())


def test_no_blocking_call_is_made(table, monkeypatch):
    """Every wait goes to the event loop: with the blocking entry points of the binding
    turned into tripwires (connect, execute, ping, session calls, the next-row read of a
    streaming result), connecting, DDL, the ORM, executemany, a CALL, a stream and a
    rollback all still work."""
    import mocore
    from mocore import mocore_core as core

    def tripwire(name):
        def refuse(*args, **kwargs):
            raise AssertionError(f"blocking call {name} in the async dialect")
        return refuse

    for name in ("mo_client_connect", "mo_client_execute", "mo_client_execute_ex",
                 "mo_client_ping", "mo_session_open", "mo_session_execute",
                 "mo_session_execute_ex", "mo_session_commit", "mo_session_rollback",
                 "mo_result_next"):
        monkeypatch.setattr(core, name, tripwire(name))
    monkeypatch.setattr(mocore.Client, "__init__", tripwire("mocore.Client()"))
    fetch = core.mo_py_fetch

    def fetch_buffered_only(r, meta, n, stream):
        assert not stream, "a blocking read of a streaming result in the async dialect"
        return fetch(r, meta, n, stream)

    monkeypatch.setattr(core, "mo_py_fetch", fetch_buffered_only)
    Base, Item = make_model(table)

    async def main():
        engine = create_async_engine(async_url(), pool_pre_ping=True)
        Session = async_sessionmaker(engine)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
                await conn.execute(insert(Item), [{"name": f"n{i}"} for i in range(50)])
            async with Session() as session, session.begin():
                session.add(Item(name="orm"))
            with pytest.raises(ValueError):
                async with Session() as session, session.begin():
                    session.add(Item(name="rolled back"))
                    await session.flush()
                    raise ValueError
            async with Session() as session:
                names = [n async for n in await session.stream_scalars(
                    select(Item.name).order_by(Item.id))]
                assert len(names) == 51 and names[-1] == "orm"
            async with engine.connect() as conn:
                ddl = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await ddl.execute(text(procedure_ddl(f"{table}_p", "", "SELECT 1 AS a;")))
                assert (await ddl.execute(text(f"CALL `{table}_p`()"))).all() == [(1,)]
                await ddl.execute(text(f"DROP PROCEDURE `{table}_p`"))
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()

    run(main())


# ---------------------------------------------------------------- concurrency
def test_twenty_sleeps_on_twenty_pooled_connections_overlap_in_one_thread():
    async def main():
        engine = create_async_engine(async_url(), pool_size=20, max_overflow=0)
        try:
            threads_before = threading.active_count()

            async def one():
                async with engine.connect() as conn:
                    row = (await conn.execute(text("SELECT SLEEP(0.2), CONNECTION_ID()"))).one()
                    return tuple(row)

            # fill the pool first, so the timed part measures queries, not connects
            warm = await asyncio.gather(*(one() for _ in range(20)))
            assert len({cid for _, cid in warm}) == 20
            assert engine.pool.checkedin() == 20

            seen = []

            async def watch():  # sample the thread count while the queries run
                while True:
                    seen.append(threading.active_count())
                    await asyncio.sleep(0.02)

            watcher = asyncio.ensure_future(watch())
            started = time.monotonic()
            rows = await asyncio.gather(*(one() for _ in range(20)))
            elapsed = time.monotonic() - started
            watcher.cancel()
            print(f"\n# 20 x SELECT SLEEP(0.2) on 20 pooled connections through AsyncEngine, "
                  f"one event loop: {elapsed:.3f} s (serial: 4.0 s)")
            assert [s for s, _ in rows] == [0] * 20
            assert {cid for _, cid in rows} == {cid for _, cid in warm}  # the pooled ones
            assert elapsed < 2.0
            # not a thread pool: no thread was started at any point
            assert seen and set(seen) == {threads_before}
            assert threading.active_count() == threads_before
        finally:
            await engine.dispose()

    run(main())


# ---------------------------------------------------------------- cancellation
def test_cancelling_a_task_mid_query_discards_its_pooled_connection():
    async def main():
        engine = create_async_engine(async_url(), pool_size=1, max_overflow=0)
        invalidated = []
        event.listen(engine.sync_engine.pool, "invalidate",
                     lambda dbapi_conn, rec, e: invalidated.append(type(e).__name__))
        try:
            async with engine.connect() as conn:
                first_id = await conn.scalar(text("SELECT CONNECTION_ID()"))

            entered = asyncio.Event()

            async def slow():
                async with engine.connect() as conn:
                    entered.set()
                    await conn.execute(text("SELECT SLEEP(5)"))

            task = asyncio.ensure_future(slow())
            await entered.wait()
            await asyncio.sleep(0.3)  # the statement is on the server now
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.monotonic() - started < 2.0  # nobody waited for the 5 s sleep
            # the documented state: the connection was invalidated and discarded by the pool
            assert invalidated == ["CancelledError"]
            assert engine.pool.checkedout() == 0
            # the next checkout opens a new connection, which works
            async with engine.connect() as conn:
                second_id = await conn.scalar(text("SELECT CONNECTION_ID()"))
                assert await conn.scalar(text("SELECT 1")) == 1
            assert second_id != first_id
        finally:
            await engine.dispose()

    run(main())


@requires_mariadb("MatrixOne computes SLEEP() for a whole batch of rows before it sends the "
                  "first of them, so no stream can be made to wait between two rows")
def test_cancelling_a_task_while_a_stream_waits_for_rows_discards_the_connection():
    async def main():
        engine = create_async_engine(async_url(), pool_size=1, max_overflow=0)
        invalidated = []
        event.listen(engine.sync_engine.pool, "invalidate",
                     lambda dbapi_conn, rec, e: invalidated.append(type(e).__name__))
        got = []

        async def reader():
            async with engine.connect() as conn:
                # one row every 0.2 s, each larger than the server's net buffer (sent at once)
                result = await conn.stream(text(
                    f"SELECT seq, SLEEP(0.2), REPEAT('x', 20000) FROM {seq(50)}"))
                async for row in result:
                    got.append(row[0])

        try:
            task = asyncio.ensure_future(reader())
            while len(got) < 2 and not task.done():  # a failed reader ends the wait too
                await asyncio.sleep(0.05)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert 2 <= len(got) < 50
            assert invalidated == ["CancelledError"]
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT 1")) == 1
        finally:
            await engine.dispose()

    run(main())


@requires_mariadb("SQLAlchemy's mariadb+ flavour refuses a server that is not MariaDB")
def test_mariadb_flavour():
    async def main():
        engine = create_async_engine("mariadb+mocore_async://" + server_url().split("://", 1)[1])
        try:
            assert engine.dialect.is_mariadb and engine.dialect.is_async
            async with engine.connect() as conn:
                assert await conn.scalar(text("SELECT 1")) == 1
        finally:
            await engine.dispose()

    run(main())


def test_cancelling_an_orm_session_mid_transaction_rolls_it_back(table):
    Base, Item = make_model(table)

    async def main():
        engine = create_async_engine(async_url(), pool_size=2, max_overflow=0)
        Session = async_sessionmaker(engine)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            entered = asyncio.Event()

            async def work():
                async with Session() as session, session.begin():
                    session.add(Item(name="half-done"))
                    await session.flush()
                    entered.set()
                    await session.execute(text("SELECT SLEEP(3)"))

            task = asyncio.ensure_future(work())
            await entered.wait()
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            async with Session() as session:
                # the flushed INSERT was never committed: the server rolls it back when it
                # sees the connection closed (at the latest when the SLEEP ends; its locks are
                # held until then, so the INSERT and the DROP below may wait that long)
                assert await session.scalar(select(func.count(Item.id))) == 0
                await session.rollback()
                session.add(Item(name="after"))
                await session.commit()
                assert (await session.scalars(select(Item.name))).all() == ["after"]
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()

    run(main())


# ---------------------------------------------------------------- managers (mocore.orm.wrap_async)
def test_managers_await_in_the_async_session_transaction(table):
    """mocore.orm.wrap_async(session): the managers as awaitables inside the AsyncSession's
    transaction: ORM rows and batch_insert/insert commit together and roll back together;
    a manager blocked on a row lock leaves the loop running (its waits go to the loop
    through the AsyncClient's wait function inside SQLAlchemy's greenlet)."""
    import mocore
    import mocore.orm

    Base, Item = make_model(table)

    async def main():
        engine = create_async_engine(async_url())
        Session = async_sessionmaker(engine, expire_on_commit=False)
        holder = await aio.connect(server_url())
        lock = None
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            async with Session() as session:
                session.add(Item(name="orm", qty=1))
                managers = mocore.orm.wrap_async(session)
                r = await managers.batch_insert(table, [{"name": "m1", "qty": 2},
                                                        {"name": "m2", "qty": 3}])
                assert r.affected_rows == 2
                await session.rollback()
            async with Session() as session:
                assert (await session.scalar(select(func.count()).select_from(Item))) == 0
                session.add(Item(name="orm", qty=1))
                await mocore.orm.wrap_async(session).insert(table, {"name": "m", "qty": 2})
                await session.commit()
            async with Session() as session:
                names = sorted((await session.scalars(select(Item.name))).all())
                assert names == ["m", "orm"]

            # Blocked on a row lock held by another connection: the loop keeps running.
            lock = await holder.session()
            await lock.execute(f"INSERT INTO {table} (id, name, qty) VALUES (1000, 'held', 0)")
            ticks = 0

            async def ticker():
                nonlocal ticks
                while True:
                    ticks += 1
                    await asyncio.sleep(0.01)

            async def release():
                await asyncio.sleep(0.3)
                await lock.rollback()

            watcher = asyncio.ensure_future(ticker())
            async with Session() as session:
                managers = mocore.orm.wrap_async(session)
                await asyncio.gather(managers.insert(table, {"id": 1000, "name": "mine", "qty": 0}),
                                     release())
                await session.commit()
            watcher.cancel()
            assert ticks >= 15
            async with Session() as session:
                assert (await session.get(Item, 1000)).name == "mine"
        finally:
            if lock is not None:
                await lock.close()  # its open transaction would hold the table's metadata lock
            await holder.close()
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()

    run(main())


def test_allow_blocking_lets_plain_code_share_the_connection(table):
    """Outside a greenlet a connection fails as SQLAlchemy makes it fail (MissingGreenlet);
    with allow_blocking(True) a synchronous Session bound to it runs blocking on the same
    server connection, inside the same transaction as the awaited statements."""
    from sqlalchemy.orm import Session

    async def main():
        engine = create_async_engine(async_url())
        Base, Item = make_model(table)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            async with engine.connect() as conn:
                await conn.begin()
                raw = (await conn.get_raw_connection()).dbapi_connection
                with pytest.raises(exc.MissingGreenlet):
                    Session(bind=conn.sync_connection).execute(text("SELECT 1"))
                raw.allow_blocking(True)
                await conn.execute(insert(Item.__table__).values(name="awaited"))
                plain = Session(bind=conn.sync_connection)
                plain.add(Item(name="plain"))
                plain.flush()                                    # blocking, same connection
                assert plain.scalar(select(func.count()).select_from(Item)) == 2
                assert await conn.scalar(select(func.count()).select_from(Item)) == 2
                plain.close()
                raw.allow_blocking(False)
                await conn.rollback()                            # both rows vanish together
                with pytest.raises(exc.MissingGreenlet):
                    Session(bind=conn.sync_connection).execute(text("SELECT 1"))
            async with engine.connect() as conn:
                assert await conn.scalar(select(func.count()).select_from(Item)) == 0
        finally:
            async with engine.begin() as conn:
                await conn.run_sync(Base.metadata.drop_all)
            await engine.dispose()
    run(main())
