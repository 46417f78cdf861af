"""mocore.matrixone, the MatrixOne SDK's API on mocore: the package, its exceptions and the
synchronous Client. The SQL each SDK call sends is read from the dry-run journal; what
MariaDB can run runs on the test server (servers.server_url())."""

import logging
import os
import pickle
import types
import unittest
import urllib.parse
import uuid

import mocore
import mocore.matrixone as mx
from mocore.matrixone import exceptions as mxe
from servers import matrixone_url, root_url, server_kind, server_url


def connect_args(url):
    """Client.connect keywords of a mocore URL."""
    u = urllib.parse.urlsplit(url)
    return {"host": u.hostname, "port": u.port or 3306, "user": urllib.parse.unquote(u.username or ""),
            "password": urllib.parse.unquote(u.password or ""), "database": u.path.lstrip("/") or None}


def dry_client(**kw):
    c = mx.Client(sql_log_mode="off")
    c.connect(host="127.0.0.1", port=6001, user="root", password="111", database="test",
              dry_run=True, server_kind="matrixone", **kw)
    return c


class TestPackage(unittest.TestCase):
    def test_lazy_names(self):
        self.assertIs(mx.Client, mx.client.Client)
        self.assertIs(mx.QueryError, mxe.QueryError)
        self.assertIn("SnapshotManager", mx.__all__)
        with self.assertRaises(AttributeError):
            mx.NoSuchName

    def test_sdk_exception_tree(self):
        for name in ("ConnectionError", "QueryError", "ConfigurationError", "SnapshotError",
                     "CloneError", "BranchError", "MoCtlError", "RestoreError", "PitrError",
                     "PubSubError", "AccountError", "VersionError"):
            self.assertTrue(issubclass(getattr(mx, name), mx.MatrixOneError), name)
        e = mx.QueryError("plain")
        self.assertEqual((str(e), e.message, e.errno, e.sqlstate), ("plain", "plain", None, None))


class TestTranslate(unittest.TestCase):
    def dup(self):
        return mocore.ConstraintError("Duplicate entry '1' for key 'PRIMARY'", 1062, "23000",
                                      "client.execute")

    def test_both_classes(self):
        t = mxe.translate(self.dup(), mx.QueryError)
        self.assertIsInstance(t, mx.QueryError)
        self.assertIsInstance(t, mocore.ConstraintError)
        self.assertIsInstance(t, mocore.IntegrityError)
        self.assertEqual((t.errno, t.code, t.sqlstate, t.category), (1062, 1062, "23000", "constraint"))
        self.assertIn("Duplicate entry", t.message)
        self.assertIs(type(t), type(mxe.translate(self.dup(), mx.QueryError)))  # one class per pair
        self.assertIsNot(type(t), type(mxe.translate(self.dup(), mx.SnapshotError)))

    def test_message_and_pickle(self):
        t = mxe.translate(self.dup(), mx.SnapshotError, "snapshot failed")
        self.assertEqual(str(t), "snapshot failed")
        back = pickle.loads(pickle.dumps(t))
        self.assertIsInstance(back, mx.SnapshotError)
        self.assertIsInstance(back, mocore.ConstraintError)
        self.assertEqual((str(back), back.errno), ("snapshot failed", 1062))

    def test_not_a_mocore_error(self):
        t = mxe.translate(ValueError("x"), mx.CloneError)
        self.assertIs(type(t), mx.CloneError)
        self.assertEqual(str(t), "x")

    def test_reraise_as(self):
        with self.assertRaises(mocore.ConstraintError) as cm:
            with mxe.reraise_as(mx.PitrError):
                raise self.dup()
        self.assertIsInstance(cm.exception, mx.PitrError)
        self.assertIsInstance(cm.exception.__cause__, mocore.ConstraintError)
        with self.assertRaises(ValueError):  # not a database error: unchanged
            with mxe.reraise_as(mx.PitrError):
                raise ValueError("bad")
        with self.assertRaises(mx.AccountError) as cm:  # an SDK error: unchanged
            with mxe.reraise_as(mx.PitrError):
                raise mx.AccountError("a")
        self.assertIs(type(cm.exception), mx.AccountError)


class TestClientDryRun(unittest.TestCase):
    def test_connect_hooks_and_parameters(self):
        c = dry_client()
        self.assertTrue(c.connected())
        self.assertEqual(c.get_login_info(), {"account": "sys", "user": "root", "role": None})
        m = c._mocore()
        self.assertIsInstance(m, mocore.Client)
        # the SDK's default on_connect (ENABLE_ALL) ran on the connection
        self.assertIn("SET experimental_ivf_index = 1", m.journal)
        c.disconnect()
        self.assertFalse(c.connected())
        with self.assertRaises(mx.ConnectionError):
            c.execute("SELECT 1")

    def test_login_formats(self):
        from mocore.matrixone.base_client import build_login
        self.assertEqual(build_login("acc:u:r")[0], "acc#u#r")
        self.assertEqual(build_login("u", role="r"), ("sys#u#r", {"account": "sys", "user": "u", "role": "r"}))
        self.assertEqual(build_login("u", account="a")[0], "a#u")
        with self.assertRaises(ValueError):
            build_login("a#u", account="b")
        with self.assertRaises(ValueError):
            build_login("a#u#r#x")


class TestClientMariaDB(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = mx.Client(sql_log_mode="off")
        cls.c.connect(**connect_args(server_url()), on_connect=[])
        cls.t = "mx_client_" + uuid.uuid4().hex[:8]
        cls.c.execute(f"CREATE TABLE {cls.t} (id INT PRIMARY KEY, name VARCHAR(20))")

    @classmethod
    def tearDownClass(cls):
        cls.c.execute(f"DROP TABLE IF EXISTS {cls.t}")
        cls.c.disconnect()

    def test_execute_params_and_result_set(self):
        t = self.t
        self.assertEqual(self.c.execute(f"INSERT INTO {t} VALUES (?, ?)", (1, "o'brien")).affected_rows, 1)
        self.c.execute(f"INSERT INTO {t} VALUES (%s, %s)", [2, "50%"])
        self.c.execute(f"INSERT INTO {t} VALUES (:id, :name)", {"id": 3, "name": ":x"})
        rs = self.c.execute(f"SELECT id, name FROM {t} WHERE name LIKE '%%' AND id < 10 ORDER BY id")
        self.assertEqual(rs.columns, ["id", "name"])
        self.assertEqual(rs.rows[0].name, "o'brien")   # SQLAlchemy rows: named access too
        self.assertEqual(rs.fetchone(), (1, "o'brien"))
        self.assertEqual(rs.fetchall(), [(2, "50%"), (3, ":x")])
        self.assertEqual(len(rs), 3)
        self.assertEqual(self.c.execute(f"SELECT COUNT(*) FROM {t} WHERE name = ?", ("50%",)).scalar(), 1)

    def test_duplicate_key_is_query_error_and_constraint_error(self):
        self.c.execute(f"INSERT INTO {self.t} VALUES (10, 'a')")
        with self.assertRaises(mx.QueryError) as cm:
            self.c.execute(f"INSERT INTO {self.t} VALUES (10, 'b')")
        self.assertIsInstance(cm.exception, mocore.ConstraintError)
        self.assertEqual(cm.exception.errno, 1062)

    def test_bad_sql_is_query_error(self):
        with self.assertRaises(mx.QueryError) as cm:
            self.c.execute("SELEC 1")
        self.assertIsInstance(cm.exception, mocore.Error)

    def test_connect_failure(self):
        args = connect_args(server_url())
        args["password"] = "wrong-" + uuid.uuid4().hex[:6]
        with self.assertRaises(mx.ConnectionError) as cm:
            mx.Client(sql_log_mode="off").connect(**args, on_connect=[])
        self.assertIsInstance(cm.exception, mocore.Error)



class TestJournal(unittest.TestCase):
    """The SQL each SDK call sends (dry run: nothing reaches a server)."""

    def setUp(self):
        self.c = dry_client(on_connect=[])
        self.m = self.c._mocore()
        self.m.clear_journal()

    def tearDown(self):
        self.c.disconnect()

    def test_execute_parameter_forms(self):
        self.c.execute("SELECT * FROM t WHERE a = ? AND b = ?", ("x'y", 2))
        self.c.execute("SELECT * FROM t WHERE a = %s", ["50%"])
        self.c.execute("SELECT * FROM t WHERE a = :a", {"a": "z"})
        self.c.execute("SELECT '100%' FROM t")
        self.assertEqual(self.m.journal, [
            "SELECT * FROM t WHERE a = 'x''y' AND b = 2",
            "SELECT * FROM t WHERE a = '50%'",
            "SELECT * FROM t WHERE a = 'z'",
            "SELECT '100%' FROM t"])

    def test_insert_and_batch_insert_quote_names_and_bind_values(self):
        self.c.insert("db.t", {"id": 1, "na`me": "o'k"})
        self.c.batch_insert("t", [{"id": 1}, {"id": 2}])
        self.c.batch_insert("t", [])                      # sends nothing
        self.assertEqual(len(self.m.journal), 2)
        self.assertIn("`na``me`", self.m.journal[0])
        self.assertIn("'o''k'", self.m.journal[0])
        self.assertIn("(1),(2)", self.m.journal[1].replace(" ", ""))

    def test_snapshot_read(self):
        with self.c.snapshot("snap'1") as snap:
            snap.execute("SELECT id FROM db.users WHERE id > ?", (3,))
        self.assertEqual(self.m.journal,
                         ["SELECT id FROM db.users{snapshot = 'snap''1'} WHERE id > 3"])

    def test_use_is_followed_by_sessions(self):
        self.c.execute("USE other")
        self.assertIn("USE other", self.m.journal)

    def test_transaction_one_connection(self):
        from sqlalchemy import text
        with self.c.transaction() as tx:
            mo = tx._mocore()
            mo.clear_journal() if hasattr(mo, "clear_journal") else None
            tx.execute("INSERT INTO t VALUES (%s, %s)", (1, "a"))
            tx.execute(text("UPDATE t SET b = 1"))
            tx.insert("t", {"id": 2})
            mo.snapshots.create("s1", "table", database="db", table="t")
            journal = mo.journal
            self.assertIs(tx.get_sqlalchemy_session(), tx._session())
        tail = journal[journal.index("INSERT INTO t VALUES (1, 'a')"):]
        self.assertEqual(tail[1], "UPDATE t SET b = 1")
        self.assertIn("INSERT INTO `t`", tail[2])
        self.assertIn("CREATE SNAPSHOT", tail[3])

    def test_transactions_begin_explicitly(self):
        with self.c.transaction() as tx:
            tx.execute("UPDATE t SET a = %s", (1,))
            with tx.get_sqlalchemy_session().begin_nested():
                tx.execute("UPDATE t SET a = 2")
            journal = [s.strip() for s in tx._mocore().journal]
        with self.c.session() as s:
            s.execute("UPDATE t SET a = 3")
            with s.begin_nested():
                s.execute("UPDATE t SET a = 4")
            journal2 = [x.strip() for x in s._mocore().journal]
        for first, j in (("UPDATE t SET a = 1", journal), ("UPDATE t SET a = 3", journal2)):
            at = j.index(first)
            self.assertEqual(j[at - 1], "BEGIN")
            self.assertTrue(j[at + 1].startswith("SAVEPOINT"), j)   # no BEGIN for a SAVEPOINT
            self.assertNotIn("BEGIN", j[at:])
        # a Session over an existing session joins its transaction: no BEGIN of its own
        import sqlalchemy.orm
        plain = sqlalchemy.orm.Session(bind=self.c.get_sqlalchemy_engine())
        try:
            s = mx.session.wrap_session(plain, self.c)
            s.execute("UPDATE t SET a = 5")
            j = [x.strip() for x in s._mocore().journal]
            self.assertNotEqual(j[j.index("UPDATE t SET a = 5") - 1], "BEGIN")
        finally:
            plain.rollback()
            plain.close()

    def test_table_helpers(self):
        self.c.create_table("t1", {"id": "int", "v": "vecf32(3)"}, primary_key="id")
        self.c.drop_table("t1")
        self.assertIn("CREATE TABLE", self.m.journal[0])
        self.assertIn("vecf32(3)", self.m.journal[0])
        self.assertIn("DROP TABLE IF EXISTS", self.m.journal[1])


class TestJournalTables(unittest.TestCase):
    """DDL of the table helpers (dry run)."""

    def setUp(self):
        self.c = dry_client(on_connect=[])
        self.m = self.c._mocore()
        self.m.clear_journal()

    def tearDown(self):
        self.c.disconnect()

    def test_create_table_orm_and_model(self):
        from sqlalchemy import Column, Index, Integer, String
        from sqlalchemy.orm import declarative_base
        self.c.create_table_orm("t_orm", Column("id", Integer, primary_key=True),
                                Column("na`me", String(10)), Index("ix_name", "na`me"))
        base = declarative_base()

        class M(base):
            __tablename__ = "t_model"
            id = Column(Integer, primary_key=True)
        self.c.create_table(M)
        self.c.drop_all(base)      # (create_all reflects first: not in a dry run)
        j = self.m.journal
        self.assertTrue(j[0].strip().startswith("CREATE TABLE t_orm"), j[0])
        self.assertIn("`na``me` VARCHAR(10)", j[0])
        self.assertIn("CREATE INDEX ix_name ON t_orm (`na``me`)", j[1])
        self.assertIn("CREATE TABLE t_model", j[2])
        self.assertIn("DROP TABLE IF EXISTS `t_model`", j[-1])

    def test_create_table_auto_increment_as_the_sdk_builder(self):
        # the SDK's Client builds a SQLAlchemy Table: a single integer primary key gets
        # AUTO_INCREMENT; other keys do not. Every name quoted, nothing pasted.
        self.c.create_table("db.u`s", {"id": "int", "na`me": "varchar(50)"}, primary_key="id")
        self.c.create_table("t2", {"id": "int primary key", "v": "vecf32(3)"})
        self.c.create_table("t3", {"k": "varchar(10)", "n": "bigint"}, primary_key="k")
        self.c.create_table("t4", {"a": "bigint unsigned", "b": "int"}, primary_key=["a", "b"])
        self.c.create_table("t5", {"id": "BIGINT", "x": "int"}, primary_key="id")
        self.c.create_table("t6", {"x": "int"})
        self.assertEqual(self.m.journal, [
            "CREATE TABLE `db`.`u``s` (`id` INT AUTO_INCREMENT, `na``me` VARCHAR(50), "
            "PRIMARY KEY (`id`))",
            "CREATE TABLE `t2` (`id` INT AUTO_INCREMENT, `v` vecf32(3), PRIMARY KEY (`id`))",
            "CREATE TABLE `t3` (`k` VARCHAR(10), `n` BIGINT, PRIMARY KEY (`k`))",
            "CREATE TABLE `t4` (`a` BIGINT UNSIGNED, `b` INT, PRIMARY KEY (`a`, `b`))",
            "CREATE TABLE `t5` (`id` BIGINT AUTO_INCREMENT, `x` INT, PRIMARY KEY (`id`))",
            "CREATE TABLE `t6` (`x` INT)",
        ])
        # mocore's own manager keeps its statement (no AUTO_INCREMENT)
        self.m.clear_journal()
        self.m.create_table("t7", {"id": "int"}, primary_key="id")
        self.assertEqual(self.m.journal, ["CREATE TABLE `t7` (`id` INT, PRIMARY KEY (`id`))"])

    def test_create_table_errors(self):
        with self.assertRaises(mx.QueryError) as cm:
            self.c.create_table("t", {"id": "int); DROP TABLE x; --"})
        self.assertIsInstance(cm.exception, mocore.InvalidArgumentError)
        self.assertIn("Unsupported column type", str(cm.exception))
        with self.assertRaises(mx.QueryError):
            self.c.create_table("t", {})
        with self.assertRaises(mx.QueryError):
            self.c.create_table("", {"id": "int"})
        with self.assertRaises(ValueError):
            self.c.create_table("t")
        self.assertEqual(self.m.journal, [])

    def test_create_table_in_session_and_transaction(self):
        with self.c.session() as s:
            s.create_table("ts", {"id": "int", "n": "text"}, primary_key="id")
            journal = s._mocore().journal
        self.assertIn("CREATE TABLE `ts` (`id` INT AUTO_INCREMENT, `n` TEXT, PRIMARY KEY (`id`))",
                      journal)
        with self.c.transaction() as tx:
            tx.create_table("tt", {"id": "smallint primary key"})
            journal = tx._mocore().journal
        self.assertIn("CREATE TABLE `tt` (`id` SMALLINT AUTO_INCREMENT, PRIMARY KEY (`id`))",
                      journal)

    def test_create_table_with_index(self):
        self.c.create_table_with_index("docs", {"id": "int", "v": "vecf32(3)"},
                                       [{"name": "idx_v", "column": "v", "type": "ivfflat",
                                         "params": {"lists": 4}}], primary_key="id")
        j = " | ".join(self.m.journal)
        self.assertIn("CREATE TABLE", j)
        self.assertIn("idx_v", j)
        self.assertIn("ivfflat", j.lower())
        with self.assertRaises(ValueError):
            self.c.create_table_with_index("d2", {"id": "int"}, [{"name": "i", "column": "id",
                                                                  "type": "btree"}])


class TestMariaDBTransactions(unittest.TestCase):
    """The unified transaction of the SDK documents (seeds 001 and 003), on MariaDB."""

    @classmethod
    def setUpClass(cls):
        from sqlalchemy import Column, Integer, String
        from sqlalchemy.orm import declarative_base
        cls.c = mx.Client(sql_log_mode="off")
        cls.c.connect(**connect_args(server_url()), on_connect=[])
        cls.t = "mx_tx_" + uuid.uuid4().hex[:8]
        base = declarative_base()

        class User(base):
            __tablename__ = cls.t
            id = Column(Integer, primary_key=True)
            name = Column(String(100), nullable=False)
            email = Column(String(100), nullable=False, unique=True)
        cls.User = User
        cls.c.create_table(User)

    @classmethod
    def tearDownClass(cls):
        cls.c.drop_table(cls.User)
        cls.c.disconnect()

    def setUp(self):
        self.c.execute(f"DELETE FROM {self.t}")

    def count(self):
        return self.c.execute(f"SELECT COUNT(*) FROM {self.t}").scalar()

    def test_orm_raw_sql_and_managers_commit_together(self):
        with self.c.transaction() as tx:
            session = tx.get_sqlalchemy_session()
            session.add(self.User(id=1, name="Alice", email="alice@example.com"))
            session.flush()
            tx.execute(f"INSERT INTO {self.t} (id, name, email) VALUES (%s, %s, %s)",
                       (2, "Bob", "bob@example.com"))
            tx.batch_insert(self.t, [{"id": 3, "name": "Carol", "email": "c@example.com"}])
            self.assertEqual(tx.execute(f"SELECT COUNT(*) FROM {self.t}").scalar(), 3)
            self.assertEqual(self.count(), 0)   # the client's own connection: not yet
        self.assertEqual(self.count(), 3)

    def test_an_error_rolls_everything_back(self):
        with self.assertRaises(mx.QueryError) as cm:
            with self.c.transaction() as tx:
                tx.get_sqlalchemy_session().add(self.User(id=1, name="A", email="a@x"))
                tx.execute(f"INSERT INTO {self.t} (id, name, email) VALUES (%s, %s, %s)",
                           (2, "B", "b@x"))
                tx.insert(self.t, {"id": 3, "name": "C", "email": "a@x"})   # duplicate email
        self.assertIsInstance(cm.exception, mocore.ConstraintError)
        self.assertEqual(self.count(), 0)

    def test_session_is_sqlalchemy_session_with_managers(self):
        import sqlalchemy.orm
        from sqlalchemy import select
        with self.c.session() as s:
            self.assertIsInstance(s, sqlalchemy.orm.Session)
            s.add(self.User(id=5, name="E", email="e@x"))
            self.assertEqual(s.insert(self.t, {"id": 6, "name": "F", "email": "f@x"}).rowcount, 1)
            names = s.execute(select(self.User.name).order_by(self.User.id)).scalars().all()
            self.assertEqual(names, ["E", "F"])
            self.assertIs(s._mocore()._orm(), s)
        self.assertEqual(self.count(), 2)

    def test_session_rollback_on_exception(self):
        with self.assertRaises(RuntimeError):
            with self.c.session() as s:
                s.execute(f"INSERT INTO {self.t} VALUES (?, ?, ?)", (7, "G", "g@x"))
                raise RuntimeError("stop")
        self.assertEqual(self.count(), 0)

    def test_wrap_session(self):
        from sqlalchemy.orm import Session as SASession
        from mocore.matrixone.session import wrap_session
        with SASession(self.c.get_sqlalchemy_engine()) as plain:
            s = wrap_session(plain, self.c)
            s.execute(f"INSERT INTO {self.t} VALUES (?, ?, ?)", (8, "H", "h@x"))
            plain.commit()
        self.assertEqual(self.count(), 1)

    def test_create_all_and_drop_all(self):
        from sqlalchemy import Column, Integer
        from sqlalchemy.orm import declarative_base
        base = declarative_base()
        name = "mx_all_" + uuid.uuid4().hex[:8]

        class T(base):
            __tablename__ = name
            id = Column(Integer, primary_key=True)
        self.c.create_all(base)
        self.c.create_all(base)            # the ones missing only
        self.assertEqual(self.c.insert(T, {"id": 1}).affected_rows, 1)
        self.c.drop_all(base)
        with self.assertRaises(mx.QueryError) as cm:
            self.c.execute(f"SELECT * FROM {name}")
        self.assertIsInstance(cm.exception, mocore.NotFoundError)

    def test_bad_identifiers_are_names_not_sql(self):
        evil = {"id) VALUES (1); DROP TABLE x; --": 1}
        with self.assertRaises(mx.QueryError) as cm:
            self.c.insert(self.t, evil)
        self.assertIsInstance(cm.exception, mocore.Error)
        with self.assertRaises(mx.QueryError):
            self.c.insert(self.t + "`; DROP TABLE x; --", {"id": 1})
        self.assertEqual(self.count(), 0)   # the table is still there


class TestMariaDBClient(unittest.TestCase):
    def test_use_database_followed_by_sessions(self):
        c = mx.Client(sql_log_mode="off")
        c.connect(**connect_args(root_url()), on_connect=[])
        db = "mx_use_" + uuid.uuid4().hex[:6]
        try:
            c.execute(f"CREATE DATABASE {db}")
            c.execute(f"USE {db}")
            with c.session() as s:
                self.assertEqual(s.execute("SELECT DATABASE()").scalar(), db)
            self.assertEqual(c._mocore().scalar("SELECT DATABASE()"), db)
        finally:
            c.execute(f"DROP DATABASE IF EXISTS {db}")
            c.disconnect()

    def test_connection_dropped_by_the_server_is_replaced(self):
        c = mx.Client(sql_log_mode="off")
        c.connect(**connect_args(root_url()), on_connect=[])
        c.IDLE_PING_SECONDS = 0          # ping before every use
        try:
            first = c._mocore().connection_id
            with mocore.connect(root_url()) as killer:
                killer.execute("KILL ?", [first])
            self.assertEqual(c.execute("SELECT 1").scalar(), 1)
            self.assertNotEqual(c._mocore().connection_id, first)
        finally:
            c.disconnect()

    def test_hooks_run_on_each_connection(self):
        seen = []

        def hook(client):
            seen.append(client.execute("SELECT CONNECTION_ID()").scalar())
        c = mx.Client(sql_log_mode="off")
        c.connect(**connect_args(server_url()), on_connect=hook)
        try:
            own = c._mocore().connection_id
            self.assertIn(own, seen)                   # run on the new connection itself
            self.assertGreaterEqual(len(seen), 2)      # and once at connect, as in the SDK
            with c.session() as s:
                other = s.execute("SELECT CONNECTION_ID()").scalar()
            self.assertIn(other, seen)
        finally:
            c.disconnect()

    def test_from_engine(self):
        from sqlalchemy import create_engine
        from mocore import sqlalchemy_dialect
        sqlalchemy_dialect.register()
        a = connect_args(server_url())
        engine = create_engine(f"mysql+mocore://{a['user']}:{a['password']}@{a['host']}:{a['port']}/{a['database']}")
        c = mx.Client.from_engine(engine, sql_log_mode="off")
        self.assertEqual(c.execute("SELECT 1").scalar(), 1)
        c.disconnect()
        engine.dispose()
        with self.assertRaises(mx.ConnectionError):
            mx.Client.from_engine(create_engine("sqlite://"))
        # another MySQL driver's engine: the client makes its own of mocore's dialect
        other = create_engine(engine.url.set(drivername="mysql+mysqldb"), module=types.SimpleNamespace(paramstyle="format"))
        c = mx.Client.from_engine(other, sql_log_mode="off")
        self.assertEqual(c.get_sqlalchemy_engine().dialect.driver, "mocore")
        self.assertEqual(c.execute("SELECT 2").scalar(), 2)
        c.disconnect()

    def test_version_api(self):
        c = mx.Client(sql_log_mode="off")
        c.connect(**connect_args(server_url()), on_connect=[])
        try:
            # the server's own version string, per server
            self.assertIn("MatrixOne" if server_kind() == "matrixone" else "MariaDB", c.version())
            c.set_backend_version("3.0.1")
            self.assertEqual(c.get_backend_version(), "3.0.1")
            self.assertTrue(c.check_version_compatibility("3.0.0"))
            self.assertFalse(c.check_version_compatibility("3.0.2"))
            self.assertFalse(c.is_development_version())
        finally:
            c.disconnect()


class TestVersion(unittest.TestCase):
    def test_parse_server_version_is_mocores(self):
        from mocore.matrixone.version import parse_server_version
        self.assertEqual(parse_server_version("8.0.30-MatrixOne-v4.2.0"), "4.2.0")
        self.assertEqual(parse_server_version("8.0.30-MatrixOne-v3.0"), "3.0.99999")
        self.assertEqual(parse_server_version("8.0.30-MatrixOne-v"), "999.0.0")
        self.assertIsNone(parse_server_version("8.0.30-MatrixOne"))
        self.assertIsNone(parse_server_version("10.11.6-MariaDB"))

    def test_manager_and_decorator(self):
        from mocore.matrixone import version
        vm = version.VersionManager()
        self.assertEqual(vm.compare_versions("3.0.2", "3.0.1"), version.VersionComparison.GREATER)
        self.assertLess(vm.parse_version("2.1.19"), vm.parse_version("3.0.9"))
        with self.assertRaises(ValueError):
            vm.parse_version("3.0")
        vm.set_backend_version("3.0.1")
        vm.register_feature_requirement(version.FeatureRequirement("f", "3.1.0", alternative="alt"))
        self.assertFalse(vm.is_feature_available("f"))
        self.assertIn("alt", vm.get_version_hint("f"))
        self.assertTrue(vm.is_feature_available("unknown"))
        g = version.get_version_manager()
        old = g.get_backend_version()
        g.set_backend_version("1.0.0")
        try:
            @version.requires_version("9.0.0", feature_name="mx_test_feature")
            def newer():
                return 1
            with self.assertRaises(mx.VersionError) as cm:
                newer()
            self.assertIn("9.0.0", str(cm.exception))
            self.assertIs(version.VersionError, mx.VersionError)
        finally:
            g._current_backend_version = old


class TestConfigLoggerHooks(unittest.TestCase):
    def test_config_environment(self):
        from mocore.matrixone.config import MatrixOneConfig, get_connection_kwargs
        saved = {k: os.environ.get(k) for k in ("MATRIXONE_PORT", "MATRIXONE_ON_CONNECT", "MATRIXONE_AUTOCOMMIT")}
        try:
            os.environ.update(MATRIXONE_PORT="7001", MATRIXONE_ON_CONNECT="enable_ivf, enable_hnsw",
                              MATRIXONE_AUTOCOMMIT="off")
            cfg = MatrixOneConfig.get_config(host="h")
            self.assertEqual((cfg["host"], cfg["port"], cfg["autocommit"]), ("h", 7001, False))
            self.assertEqual(cfg["on_connect"], ["enable_ivf", "enable_hnsw"])
            self.assertEqual(get_connection_kwargs()["connection_timeout"], 30)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    def test_logger_modes(self):
        from mocore.matrixone.logger import create_custom_logger
        records = []

        class Catch(logging.Handler):
            def emit(self, record):
                records.append(record.getMessage())
        base = logging.getLogger("mx_test_logger")
        base.setLevel(logging.INFO)
        base.addHandler(Catch())
        log = create_custom_logger(base, sql_log_mode="simple")
        log.log_query("INSERT INTO t VALUES (1),(2)", 0.01, 2)
        log.log_query("SELECT 1", 0.01, 1, log_mode="off")
        log.update_config(sql_log_mode="auto", max_sql_display_length=10)
        log.log_query("SELECT * FROM a_long_table_name", 0.01, 1)
        log.log_query("SELECT broken", 2.0, success=False)
        self.assertIn("BATCH INSERT INTO t (2 rows)", records[0])
        self.assertEqual(len(records), 3)
        self.assertIn("SELECT FROM a_long_table_name [SQL length:", records[1])
        self.assertIn("[ERROR] SELECT broken", records[2])
        with self.assertRaises(ValueError):
            log.update_config(sql_log_mode="loud")

    def test_hook_split(self):
        from mocore.matrixone.connection_hooks import ConnectionAction, create_connection_hook, split
        fn = lambda c: None  # noqa: E731
        self.assertEqual(split([ConnectionAction.ENABLE_IVF, "enable_hnsw", fn, "nope"]),
                         ([ConnectionAction.ENABLE_IVF, ConnectionAction.ENABLE_HNSW], fn, ["nope"]))
        hook = create_connection_hook(["enable_all"], fn)
        self.assertEqual(split(hook)[:2], ([ConnectionAction.ENABLE_ALL], fn))


class TestMatrixOne(unittest.TestCase):
    """The client on a real MatrixOne (MOCORE_TEST_MATRIXONE_URL; skipped without it)."""

    @classmethod
    def setUpClass(cls):
        cls.c = mx.Client(sql_log_mode="off")
        cls.c.connect(**connect_args(matrixone_url()))
        cls.t = "mx_mo_" + uuid.uuid4().hex[:8]
        cls.c.execute(f"CREATE TABLE {cls.t} (id INT PRIMARY KEY, name VARCHAR(20), KEY idx_name (name))")

    @classmethod
    def tearDownClass(cls):
        cls.c.drop_table(cls.t)
        cls.c.disconnect()

    def setUp(self):
        self.c.execute(f"DELETE FROM {self.t}")

    def count(self):
        return self.c.execute(f"SELECT COUNT(*) FROM {self.t}").scalar()

    def test_backend_version(self):
        self.assertRegex(self.c.get_backend_version(), r"^\d+\.\d+\.\d+$")
        self.assertIn("MatrixOne", self.c.version())
        self.assertTrue(self.c.git_version())

    def test_transaction_commits_and_rolls_back_together(self):
        with self.c.transaction() as tx:
            tx.execute(f"INSERT INTO {self.t} VALUES (%s, %s)", (1, "a"))
            tx.insert(self.t, {"id": 2, "name": "b"})
            self.assertEqual(self.count(), 0)
        self.assertEqual(self.count(), 2)
        with self.assertRaises(mx.QueryError) as cm:
            with self.c.transaction() as tx:
                tx.execute(f"INSERT INTO {self.t} VALUES (%s, %s)", (3, "c"))
                tx.insert(self.t, {"id": 1, "name": "dup"})
        self.assertIsInstance(cm.exception, mocore.ConstraintError)
        self.assertEqual(self.count(), 2)

    def test_snapshot_in_a_transaction_is_refused_and_rolls_back(self):
        # MatrixOne v4.2 refuses CREATE SNAPSHOT in an uncommitted transaction
        name = "mx_snap_" + uuid.uuid4().hex[:8]
        with self.assertRaises(mx.SnapshotError) as cm:
            with self.c.transaction() as tx:
                tx.execute(f"INSERT INTO {self.t} VALUES (%s, %s)", (1, "a"))
                tx.snapshots.create(name, mx.SnapshotLevel.TABLE,
                                    database=connect_args(matrixone_url())["database"], table=self.t)
        self.assertIsInstance(cm.exception, mocore.Error)
        self.assertEqual(self.count(), 0)

    def test_clone_in_a_transaction_sees_its_rows(self):
        # MatrixOne: a CLONE in an implicit (autocommit=0) transaction does not see the
        # transaction's own rows; the session's transactions begin with an explicit BEGIN
        copies = [self.t + "_c1", self.t + "_c2"]
        try:
            with self.c.transaction() as tx:
                tx.execute(f"INSERT INTO {self.t} VALUES (%s, %s)", (1, "a"))
                tx.insert(self.t, {"id": 2, "name": "b"})
                tx.clone.clone_table(copies[0], self.t)
            with self.c.session() as s:
                s.execute(f"INSERT INTO {self.t} VALUES (%s, %s)", (3, "c"))
                s.clone.clone_table(copies[1], self.t)
            self.assertEqual(self.c.execute(f"SELECT COUNT(*) FROM {copies[0]}").scalar(), 2)
            self.assertEqual(self.c.execute(f"SELECT COUNT(*) FROM {copies[1]}").scalar(), 3)
        finally:
            for copy in copies:
                self.c.drop_table(copy)

    def test_snapshot_read(self):
        db = connect_args(matrixone_url())["database"]
        name = "mx_snap_" + uuid.uuid4().hex[:8]
        self.c.insert(self.t, {"id": 1, "name": "a"})
        self.c.snapshots.create(name, mx.SnapshotLevel.TABLE, database=db, table=self.t)
        try:
            self.c.insert(self.t, {"id": 2, "name": "b"})
            with self.c.snapshot(name) as snap:
                self.assertEqual(snap.execute(f"SELECT COUNT(*) FROM {self.t}").scalar(), 1)
            self.assertEqual(self.count(), 2)
        finally:
            self.c.snapshots.delete(name)

    def test_index_introspection(self):
        self.c.batch_insert(self.t, [{"id": i, "name": f"n{i}"} for i in range(5)])
        tables = self.c.get_secondary_index_tables(self.t)
        self.assertEqual(len(tables), 1)
        self.assertEqual(self.c.get_secondary_index_table_by_name(self.t, "idx_name"), tables[0])
        detail = self.c.get_table_indexes_detail(self.t)
        self.assertEqual([d["index_name"] for d in detail], ["idx_name"])
        self.assertEqual(detail[0]["columns"][0], "name")   # then MatrixOne's hidden key column
        self.assertEqual(self.c.verify_table_index_counts(self.t), 5)

    def test_duplicate_key(self):
        self.c.insert(self.t, {"id": 1, "name": "a"})
        with self.assertRaises(mx.QueryError) as cm:
            self.c.execute(f"INSERT INTO {self.t} VALUES (1, 'b')")
        self.assertIsInstance(cm.exception, mocore.ConstraintError)
        self.assertEqual(cm.exception.errno, 1062)


if __name__ == "__main__":
    unittest.main()
