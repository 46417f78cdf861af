"""Unified transactions (mocore.orm): ORM rows, raw SQL and manager operations in one
transaction on the real MariaDB, and the MatrixOne-only statements through the dry-run
journal."""

import uuid

import pytest

sqlalchemy = pytest.importorskip("sqlalchemy")
if int(sqlalchemy.__version__.split(".")[0]) < 2:
    pytest.skip("SQLAlchemy 2.x is needed", allow_module_level=True)

from sqlalchemy import String, create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker  # noqa: E402
from sqlalchemy.pool import StaticPool  # noqa: E402

import mocore  # noqa: E402
import mocore.orm as mo_orm  # noqa: E402
import mocore.sqlalchemy_dialect as mocore_dialect  # noqa: E402
from conftest import requires_mariadb, requires_matrixone, sqlalchemy_url  # noqa: E402

mocore_dialect.register()


@pytest.fixture
def engine(url):
    e = create_engine(sqlalchemy_url(url))
    yield e
    e.dispose()


@pytest.fixture
def schema(engine):
    """An ORM model (users), a raw-SQL table (events) and a manager table (audit)."""
    sfx = uuid.uuid4().hex[:8]

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = f"uni_users_{sfx}"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(50), unique=True)

    events, audit = f"uni_events_{sfx}", f"uni_audit_{sfx}"
    Base.metadata.create_all(engine)
    with engine.begin() as c:
        c.exec_driver_sql(f"CREATE TABLE `{events}` (id INT AUTO_INCREMENT PRIMARY KEY, "
                          "kind VARCHAR(20))")
        c.exec_driver_sql(f"CREATE TABLE `{audit}` (id INT PRIMARY KEY, what VARCHAR(50))")
    yield User, events, audit
    with engine.begin() as c:
        c.exec_driver_sql(f"DROP TABLE IF EXISTS `{events}`, `{audit}`")
    Base.metadata.drop_all(engine)


def counts(url, User, events, audit):
    """Row counts seen from ANOTHER connection (what is committed)."""
    with mocore.connect(url) as c:
        return (c.scalar(f"SELECT COUNT(*) FROM `{User.__tablename__}`"),
                c.scalar(f"SELECT COUNT(*) FROM `{events}`"),
                c.scalar(f"SELECT COUNT(*) FROM `{audit}`"))


def work(s, User, events, audit, tag=""):
    """ORM rows + raw SQL rows + manager rows, in that order."""
    s.add_all([User(name=f"ada{tag}"), User(name=f"grace{tag}")])
    s.execute(f"INSERT INTO `{events}` (kind) VALUES (?)", ["signup"])
    s.execute(f"INSERT INTO `{events}` (kind) VALUES (?)", [["a"], ["b"]])   # executemany
    s.insert(audit, {"id": 1, "what": "one"})
    s.batch_insert(audit, [{"id": 2, "what": "two"}, {"id": 3, "what": "three"}])


def test_orm_raw_sql_and_managers_commit_together(url, engine, schema):
    User, events, audit = schema
    with mo_orm.session(engine) as s:
        work(s, User, events, audit)
        assert counts(url, *schema) == (0, 0, 0)           # one open transaction, unseen
        assert s.scalar(select(func.count()).select_from(User)) == 2
        assert s.execute(f"SELECT COUNT(*) FROM `{audit}`").scalar() == 3
    assert counts(url, *schema) == (2, 3, 3)


def test_an_exception_in_the_block_rolls_everything_back(url, engine, schema):
    User, events, audit = schema
    with pytest.raises(RuntimeError):
        with mo_orm.session(engine) as s:
            work(s, User, events, audit)
            raise RuntimeError("boom")
    assert counts(url, *schema) == (0, 0, 0)


def test_a_manager_error_rolls_back_the_orm_work(url, engine, schema):
    User, events, audit = schema
    with pytest.raises(mocore.ConstraintError) as ei:
        with mo_orm.session(engine) as s:
            s.add(User(name="kept?"))
            s.execute(f"INSERT INTO `{events}` (kind) VALUES ('x')")
            s.batch_insert(audit, [{"id": 1, "what": "a"}, {"id": 1, "what": "dup"}])
    assert ei.value.operation == "table.batch_insert"
    assert counts(url, *schema) == (0, 0, 0)
    with pytest.raises(mocore.NotFoundError):
        with mo_orm.session(engine) as s:
            s.add(User(name="kept?"))
            s.insert("no_such_table_" + uuid.uuid4().hex[:6], {"id": 1})
    assert counts(url, *schema) == (0, 0, 0)


def test_an_orm_error_rolls_back_the_manager_work(url, engine, schema):
    User, events, audit = schema
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        with mo_orm.session(engine) as s:
            s.batch_insert(audit, [{"id": 1, "what": "a"}])
            s.add_all([User(name="same"), User(name="same")])
            s.flush()
    assert counts(url, *schema) == (0, 0, 0)


def test_explicit_commit_and_rollback_in_the_middle(url, engine, schema):
    User, events, audit = schema
    with mo_orm.session(engine) as s:
        s.add(User(name="first"))
        s.insert(audit, {"id": 1, "what": "first"})
        s.commit()                                         # SQLAlchemy: committed now
        assert counts(url, *schema) == (1, 0, 1)
        s.add(User(name="second"))                         # autobegins a new transaction
        s.insert(audit, {"id": 2, "what": "second"})
        s.execute(f"INSERT INTO `{events}` (kind) VALUES ('second')")
        s.rollback()                                       # all of the second part
        assert counts(url, *schema) == (1, 0, 1)
        s.add(User(name="third"))
        s.batch_insert(audit, [{"id": 3, "what": "third"}])
        assert counts(url, *schema) == (1, 0, 1)           # open again, unseen
    assert counts(url, *schema) == (2, 0, 2)
    with engine.connect() as c:
        names = c.execute(select(User.name).order_by(User.id)).scalars().all()
    assert names == ["first", "third"]


def test_wrapping_an_existing_sqlalchemy_session(url, engine, schema):
    User, events, audit = schema
    factory = sessionmaker(engine)
    with factory() as orm_session:
        s = mo_orm.Session(wrap_session=orm_session)        # the SDK's spelling
        assert isinstance(s, mo_orm.WrappedSession) and s.session is orm_session
        orm_session.add(User(name="wrapped"))
        s.insert(audit, {"id": 1, "what": "wrapped"})
        s.execute(f"INSERT INTO `{events}` (kind) VALUES (?)", ["wrapped"])
        assert counts(url, *schema) == (0, 0, 0)
        orm_session.commit()                               # the owner's commit covers all
    assert counts(url, *schema) == (1, 1, 1)
    with factory() as orm_session:
        with pytest.raises(ValueError):
            with mo_orm.session(wrap_session=orm_session) as s:
                s.add(User(name="gone"))
                s.batch_insert(audit, [{"id": 9, "what": "gone"}])
                raise ValueError
        assert orm_session.is_active                       # not closed: the caller's
    assert counts(url, *schema) == (1, 1, 1)


def test_session_class_is_an_sqlalchemy_session(url, engine, schema):
    User, events, audit = schema
    factory = sessionmaker(engine, class_=mo_orm.Session)
    with factory() as s, s.begin():                        # SQLAlchemy's own idiom
        assert isinstance(s, sqlalchemy.orm.Session)
        s.add(User(name="sm"))
        s.insert(audit, {"id": 5, "what": "sm"})
        rows = s.execute(text(f"SELECT what FROM `{audit}`")).scalars().all()
        assert rows == ["sm"]
    assert counts(url, *schema) == (1, 0, 1)


@requires_mariadb("MariaDB's implicit commit before account statements and its mysql.user / "
                  "mysql.roles_mapping tables; MatrixOne refuses them inside a transaction "
                  "(test_account_managers_in_a_session_are_refused_by_matrixone)")
def test_account_managers_in_a_session(admin_url, engine, schema):
    """CREATE USER / CREATE ROLE through the session's connection. MariaDB commits
    implicitly before such statements, so the ORM rows written before them are committed
    even when the block fails afterwards (documented in mocore.orm)."""
    User, events, audit = schema
    admin = create_engine(sqlalchemy_url(admin_url))
    sfx = uuid.uuid4().hex[:6]
    user, role = f"uni_u_{sfx}", f"uni_r_{sfx}"
    try:
        with mo_orm.session(admin) as s:
            s.insert(audit, {"id": 1, "what": "with-user"})
            s.account.create_user(user, "pw-" + sfx)
            s.account.create_role(role)
            s.account.grant_role(role, user)
        with mocore.connect(admin_url) as c:
            assert c.scalar("SELECT COUNT(*) FROM mysql.user WHERE User = ?", [user]) == 1
            assert c.scalar("SELECT COUNT(*) FROM mysql.roles_mapping WHERE User = ? "
                            "AND Role = ?", [user, role]) == 1
            assert c.scalar(f"SELECT COUNT(*) FROM `{audit}`") == 1
        with pytest.raises(RuntimeError):
            with mo_orm.session(admin) as s:
                s.insert(audit, {"id": 2, "what": "before-ddl"})
                s.account.drop_user(user)                  # implicit commit on MariaDB
                s.insert(audit, {"id": 3, "what": "after-ddl"})
                raise RuntimeError
        with mocore.connect(admin_url) as c:
            assert c.query(f"SELECT id FROM `{audit}` ORDER BY id") == [(1,), (2,)]
            assert c.scalar("SELECT COUNT(*) FROM mysql.user WHERE User = ?", [user]) == 0
    finally:
        with mocore.connect(admin_url) as c:
            c.execute(f"DROP USER IF EXISTS `{user}`")
            c.execute(f"DROP ROLE IF EXISTS `{role}`")
        admin.dispose()


@requires_matrixone("MatrixOne refuses account statements inside a transaction; MariaDB "
                    "commits before them (test_account_managers_in_a_session)")
def test_account_managers_in_a_session_are_refused_by_matrixone(admin_url, engine, schema):
    User, events, audit = schema
    admin = create_engine(sqlalchemy_url(admin_url))
    user = "uni_u_" + uuid.uuid4().hex[:6]
    try:
        with pytest.raises(mocore.Error) as ei:
            with mo_orm.session(admin) as s:
                s.insert(audit, {"id": 1, "what": "with-user"})
                s.account.create_user(user, "pw-x")
        assert ei.value.code == 20101 and "transaction" in str(ei.value)
        with mocore.connect(admin_url) as c:       # the whole transaction was rolled back
            assert c.scalar(f"SELECT COUNT(*) FROM `{audit}`") == 0
            assert c.scalar("SELECT COUNT(*) FROM mo_catalog.mo_user WHERE user_name = ?",
                            [user]) == 0
    finally:
        with mocore.connect(admin_url) as c:
            c.execute(f"DROP USER IF EXISTS `{user}`")
        admin.dispose()


def test_dry_run_records_matrixone_statements_in_order(schema):
    User, events, audit = schema
    engine = create_engine("mysql+mocore://root:pw@127.0.0.1:6001/db"
                           "?dry_run=true&server_kind=matrixone", poolclass=StaticPool)
    try:
        with mo_orm.session(engine) as s:
            s.journal                                          # connects and begins
            assert s.bind.dialect.is_matrixone                 # from server_kind, no I/O
            s.dbapi_connection().client.clear_journal()
            s.add(User(id=1, name="ada"))
            s.snapshots.create("snap_users", "table", database="db", table=User.__tablename__)
            s.execute(f"UPDATE `{User.__tablename__}` SET name = ? WHERE id = ?", ["ada2", 1])
            s.clone.clone_table("db.users_copy", f"db.{User.__tablename__}",
                                snapshot_name="snap_users")
            s.batch_insert(audit, [{"id": 1, "what": "x"}, {"id": 2, "what": "y"}])
        journal = engine.raw_connection().dbapi_connection.client.journal
    finally:
        engine.dispose()
    ut = User.__tablename__

    def index(prefix):
        hits = [i for i, sql in enumerate(journal) if sql.startswith(prefix)]
        assert hits, f"{prefix!r} not in {journal!r}"
        return hits[0]

    order = [index(f"INSERT INTO {ut} (id, name) VALUES (1, 'ada')"),   # the ORM's flush
             index("CREATE SNAPSHOT `snap_users` FOR TABLE `db` `" + ut + "`"),
             index(f"UPDATE `{ut}` SET name = 'ada2' WHERE id = 1"),
             index("CREATE TABLE `db`.`users_copy` CLONE `db`.`" + ut + "` "
                   "{snapshot = 'snap_users'}"),
             index(f"INSERT INTO `{audit}` (`id`, `what`) VALUES (1, 'x'), (2, 'y')"),
             index("COMMIT")]
    assert order == sorted(order), journal
    assert order[-1] == order[0] + 6        # only the snapshot read-back in between


def test_orm_rows_and_load_data_local_commit_and_roll_back_together(url, schema, tmp_path):
    """LOAD DATA LOCAL on the session's connection is part of its transaction: committed with
    the ORM rows, and gone with them when the block raises."""
    User, events, audit = schema
    csv = tmp_path / "audit.csv"
    csv.write_text("".join(f"{i},row {i}\n" for i in range(1, 101)))
    e = create_engine(sqlalchemy_url(url), connect_args={"local_infile_dirs": [str(tmp_path)]})
    try:
        with pytest.raises(RuntimeError):
            with mo_orm.session(e) as s:
                s.add(User(name="ada"))
                assert s.load_data.from_local_file(str(csv), audit) == 100
                assert s.execute(f"SELECT COUNT(*) FROM `{audit}`").scalar() == 100
                raise RuntimeError("boom")
        assert counts(url, *schema) == (0, 0, 0)
        seen = []
        with mo_orm.session(e) as s:
            s.add(User(name="ada"))
            assert s.load_data.from_local_file(str(csv), audit,
                                               progress=lambda a, b: seen.append(a)) == 100
            assert counts(url, *schema) == (0, 0, 0)           # not yet committed
        assert seen and counts(url, *schema) == (1, 0, 100)
    finally:
        e.dispose()
