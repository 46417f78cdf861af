"""SQLAlchemy 2.x Core and ORM through the mysql+mocore dialect, against the real MariaDB."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

sqlalchemy = pytest.importorskip("sqlalchemy")
if int(sqlalchemy.__version__.split(".")[0]) < 2:
    pytest.skip("SQLAlchemy 2.x is needed", allow_module_level=True)

from sqlalchemy import (JSON, Column, DateTime, ForeignKey, Integer, LargeBinary,  # noqa: E402
                        MetaData, Numeric, String, Table, create_engine, event, func, insert,
                        select, text, update, delete)
from sqlalchemy.orm import (DeclarativeBase, Mapped, Session, mapped_column,  # noqa: E402
                            relationship, selectinload)

from sqlalchemy.dialects import mysql  # noqa: E402
import mocore.sqlalchemy_dialect as mocore_dialect  # noqa: E402
from conftest import (SentStatements, requires_mariadb, seq, server_kind,  # noqa: E402
                      sqlalchemy_url)

mocore_dialect.register()


@pytest.fixture
def engine(url):
    e = create_engine(sqlalchemy_url(url))
    yield e
    e.dispose()


@pytest.fixture
def suffix():
    return uuid.uuid4().hex[:8]


@pytest.fixture
def models(engine, suffix):
    """A parent/child model pair with server defaults and the interesting types, created
    with create_all and dropped with drop_all."""

    class Base(DeclarativeBase):
        pass

    class Author(Base):
        __tablename__ = f"sa_author_{suffix}"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(100), unique=True)
        status: Mapped[str] = mapped_column(String(20), server_default=text("'new'"))
        created: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
        books: Mapped[list["Book"]] = relationship(back_populates="author",
                                                   cascade="all, delete-orphan")

    class Book(Base):
        __tablename__ = f"sa_book_{suffix}"
        id: Mapped[int] = mapped_column(primary_key=True)
        author_id: Mapped[int] = mapped_column(ForeignKey(f"sa_author_{suffix}.id"))
        title: Mapped[str] = mapped_column(String(200))
        price: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=True)
        meta: Mapped[dict] = mapped_column(JSON, nullable=True)
        cover: Mapped[bytes] = mapped_column(LargeBinary, nullable=True)
        published: Mapped[dt.datetime] = mapped_column(DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb"), nullable=True)
        author: Mapped[Author] = relationship(back_populates="books")

    Base.metadata.create_all(engine)
    yield Author, Book
    Base.metadata.drop_all(engine)


def test_engine_url_and_dialect(engine):
    assert engine.dialect.driver == "mocore"
    assert engine.dialect.paramstyle == "qmark"
    with engine.connect() as c:
        assert c.execute(text("SELECT 1 + :x"), {"x": 41}).scalar() == 42
        assert c.dialect.is_mariadb is (server_kind() == "mariadb")
        assert c.dialect.is_matrixone is (server_kind() == "matrixone")
        assert c.exec_driver_sql("SELECT '%', '?'").one() == ("%", "?")


def test_entry_point_or_registry_resolves():
    from sqlalchemy.engine.url import make_url
    assert make_url("mysql+mocore://u:p@h/db").get_dialect() is mocore_dialect.MySQLDialect_mocore
    assert make_url("mariadb+mocore://u:p@h/db").get_dialect() is mocore_dialect.MariaDBDialect_mocore


def test_matrixone_detection_turns_features_off():
    d = mocore_dialect.MySQLDialect_mocore()
    assert d._parse_server_version("8.0.30-MatrixOne-v2.1.0") == (8, 0, 30)
    assert d.is_matrixone and not d.is_mariadb
    d._matrixone_limits()
    assert not d.supports_sequences and not d.insert_returning and not d.delete_returning
    assert not d.supports_for_update_of
    assert d.get_isolation_level_values(None) == ("REPEATABLE READ", "AUTOCOMMIT")
    m = mocore_dialect.MySQLDialect_mocore()
    m._parse_server_version("10.11.6-MariaDB-0+deb12u1")
    assert m.is_mariadb and not m.is_matrixone


def test_core_create_insert_select_update_delete(engine, suffix):
    md = MetaData()
    t = Table(f"sa_core_{suffix}", md, Column("id", Integer, primary_key=True),
              Column("name", String(50)), Column("n", Numeric(12, 4)))
    md.create_all(engine)
    try:
        with engine.begin() as c:
            r = c.execute(insert(t).values(name="one", n=Decimal("1.2345")))
            assert r.inserted_primary_key == (1,)
            c.execute(insert(t), [{"name": f"r{i}", "n": i} for i in range(10)])
        with engine.connect() as c:
            assert c.execute(select(func.count()).select_from(t)).scalar() == 11
            assert c.execute(select(t.c.n).where(t.c.name == "one")).scalar() == Decimal("1.2345")
            assert c.execute(select(t.c.name).where(t.c.name.like("r%")).order_by(t.c.id)
                             .limit(2)).scalars().all() == ["r0", "r1"]
        with engine.begin() as c:
            assert c.execute(update(t).where(t.c.n > 5).values(name="big")).rowcount == 4
            assert c.execute(delete(t).where(t.c.name == "big")).rowcount == 4
        with engine.connect() as c:
            assert c.execute(select(func.count()).select_from(t)).scalar() == 7
    finally:
        md.drop_all(engine)


def test_orm_add_flush_commit_relationships_and_types(engine, models):
    Author, Book = models
    when = dt.datetime(2024, 1, 2, 3, 4, 5, 678901)
    with Session(engine) as s:
        a = Author(name="Ada")
        a.books = [Book(title="Notes", price=Decimal("9.99"), meta={"tags": ["a", "b"], "n": 1},
                        cover=b"\x00\x01\xffpng", published=when),
                   Book(title="Sketches")]
        s.add(a)
        s.flush()
        assert a.id is not None and all(b.id for b in a.books)
        s.commit()
    with Session(engine) as s:
        a = s.scalars(select(Author).options(selectinload(Author.books))
                      .where(Author.name == "Ada")).one()
        assert a.status == "new"                                  # server default
        assert isinstance(a.created, dt.datetime)                 # server default now()
        notes = next(b for b in a.books if b.title == "Notes")
        assert notes.price == Decimal("9.99")
        assert notes.meta == {"tags": ["a", "b"], "n": 1}
        assert notes.cover == b"\x00\x01\xffpng"
        assert notes.published == when
        assert notes.author is a
        notes.price = Decimal("12.50")
        s.delete(next(b for b in a.books if b.title == "Sketches"))
        s.commit()
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Book)) == 1
        assert s.scalar(select(Book.price)) == Decimal("12.50")
        s.execute(update(Author).where(Author.name == "Ada").values(status="done"))
        s.rollback()
        assert s.scalar(select(Author.status)) == "new"


def test_orm_rollback_on_integrity_error(engine, models):
    Author, _ = models
    with Session(engine) as s:
        s.add(Author(name="dup"))
        s.commit()
        s.add(Author(name="dup"))
        with pytest.raises(sqlalchemy.exc.IntegrityError) as ei:
            s.commit()
        assert ei.value.orig.code == 1062
        s.rollback()
        assert s.scalar(select(func.count()).select_from(Author)) == 1


def test_bulk_insert_mappings_is_multi_row(url, models):
    Author, Book = models
    statements = []
    sent = SentStatements()                 # what the C core sends, on any server
    engine = create_engine(sqlalchemy_url(url), connect_args=sent.options)

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT"):
            statements.append((statement, executemany))

    try:
        with Session(engine) as s:
            s.add(Author(id=1, name="bulk"))
            s.flush()
            statements.clear()
            sent.clear()
            s.bulk_insert_mappings(Book, [{"author_id": 1, "title": f"t{i}", "price": i}
                                          for i in range(500)])
            inserts = sent.starting("INSERT")
            s.commit()
        assert len(statements) == 1 and statements[0][1] is True   # one executemany
        assert inserts == 1                                        # one INSERT on the wire
        with Session(engine) as s:
            assert s.scalar(select(func.count()).select_from(Book)) == 500
    finally:
        engine.dispose()


def test_cursor_execute_events(engine):
    seen = []

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(("before", statement, parameters))
        return "/* tagged */ " + statement, parameters

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        seen.append(("after", statement, cursor.rowcount))

    with engine.connect() as c:
        assert c.execute(text("SELECT :a + 1"), {"a": 1}).scalar() == 2
    assert ("before", "SELECT ? + 1", (1,)) in seen
    assert ("after", "/* tagged */ SELECT ? + 1", 1) in seen


def test_isolation_level_and_autocommit(engine, url):
    # MatrixOne has one level, its snapshot isolation (REPEATABLE READ)
    level = "REPEATABLE READ" if server_kind() == "matrixone" else "READ COMMITTED"
    e = create_engine(sqlalchemy_url(url), isolation_level=level)
    with e.connect() as c:
        assert c.get_isolation_level() == level
        assert c.exec_driver_sql("SELECT @@tx_isolation").scalar() == level.replace(" ", "-")
    with e.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        assert c.connection.dbapi_connection.autocommit == True  # noqa: E712
        # (CAST: system variables are text on MatrixOne)
        assert c.exec_driver_sql("SELECT CAST(@@autocommit AS SIGNED)").scalar() == 1
    with e.connect() as c:      # back from the pool: autocommit off again
        assert c.exec_driver_sql("SELECT CAST(@@autocommit AS SIGNED)").scalar() == 0
    e.dispose()


def test_matrixone_refuses_other_isolation_levels_from_the_first_connection():
    # the engine's level is checked on each new connection before initialize() has run on
    # the first one: MatrixOne is known from the connection itself (dry-run: no server)
    e = create_engine("mysql+mocore://u:p@127.0.0.1:1/db?dry_run=true&server_kind=matrixone",
                      isolation_level="READ COMMITTED")
    try:
        with pytest.raises(sqlalchemy.exc.ArgumentError, match="READ COMMITTED"):
            e.connect()
    finally:
        e.dispose()
    e = create_engine("mysql+mocore://u:p@127.0.0.1:1/db?dry_run=true&server_kind=matrixone",
                      isolation_level="REPEATABLE READ")
    try:
        with e.connect() as c:
            assert c.dialect.is_matrixone
    finally:
        e.dispose()


def test_pool_options(url, admin_url):
    e = create_engine(sqlalchemy_url(url), pool_size=2, max_overflow=1, pool_timeout=1,
                      pool_pre_ping=True, pool_recycle=3600)
    try:
        conns = [e.connect() for _ in range(3)]                # 2 + 1 overflow
        ids = {c.exec_driver_sql("SELECT CONNECTION_ID()").scalar() for c in conns}
        assert len(ids) == 3
        with pytest.raises(sqlalchemy.exc.TimeoutError):
            e.connect()                                        # pool exhausted
        for c in conns:
            c.close()
        assert e.pool.checkedin() == 2                         # overflow closed
        # pool_pre_ping: a connection killed on the server is replaced at checkout
        with e.connect() as c:
            victim = c.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
        from mocore import dbapi
        admin = dbapi.connect(admin_url, autocommit=True)
        for cid in ids | {victim}:
            try:
                admin.cursor().execute(f"KILL {int(cid)}")
            except dbapi.DatabaseError:
                pass                                           # already closed
        admin.close()
        with e.connect() as c:
            assert c.exec_driver_sql("SELECT 1").scalar() == 1
            assert c.exec_driver_sql("SELECT CONNECTION_ID()").scalar() not in ids
    finally:
        e.dispose()


def test_pool_recycle_replaces_old_connections(url):
    import time
    e = create_engine(sqlalchemy_url(url), pool_recycle=1, pool_size=1)
    try:
        with e.connect() as c:
            first = c.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
        time.sleep(1.2)
        with e.connect() as c:
            assert c.exec_driver_sql("SELECT CONNECTION_ID()").scalar() != first
    finally:
        e.dispose()


def test_disconnect_is_detected(engine, admin_url):
    from mocore import dbapi
    with engine.connect() as c:
        cid = c.exec_driver_sql("SELECT CONNECTION_ID()").scalar()
        admin = dbapi.connect(admin_url, autocommit=True)
        admin.cursor().execute(f"KILL {int(cid)}")
        admin.close()
        with pytest.raises(sqlalchemy.exc.DBAPIError) as ei:
            c.exec_driver_sql("SELECT 1")
        assert ei.value.connection_invalidated
    with engine.connect() as c:                               # the pool recovers
        assert c.exec_driver_sql("SELECT 1").scalar() == 1


def test_server_side_cursor_streams(engine):
    with engine.connect() as c:
        r = c.execution_options(stream_results=True).exec_driver_sql(
            f"SELECT seq FROM {seq(20000)}")
        assert r.cursor.server_side
        total = sum(row[0] for row in r.partitions(1000) for row in row)
        assert total == 20000 * 20001 // 2


def test_package_metadata_declares_the_entry_points(tmp_path):
    """What `pip install ./bindings/python` registers: setup.py's egg_info writes the
    package metadata (no compiling), whose sqlalchemy.dialects entry points load the dialect."""
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
    eps = {name: EntryPoint(name, value, "sqlalchemy.dialects")
           for name, value in cfg["sqlalchemy.dialects"].items()}
    assert eps["mysql.mocore"].load() is mocore_dialect.MySQLDialect_mocore
    assert eps["mariadb.mocore"].load() is mocore_dialect.MariaDBDialect_mocore
