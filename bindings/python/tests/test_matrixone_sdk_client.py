"""mocore.matrixone, the MatrixOne SDK's API on mocore: the package, its exceptions and the
synchronous Client. The SQL each SDK call sends is read from the dry-run journal; what
MariaDB can run runs on the test server (servers.server_url())."""

import pickle
import unittest
import urllib.parse
import uuid

import mocore
import mocore.matrixone as mx
from mocore.matrixone import exceptions as mxe
from servers import server_url


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


if __name__ == "__main__":
    unittest.main()
