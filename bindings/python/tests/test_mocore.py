"""mocore Python binding against the real MariaDB of the ctest `server` fixture, or the
server of MOCORE_TEST_URL (MariaDB, MySQL or MatrixOne: servers.py; what holds on one kind
only says so with requires_mariadb / requires_matrixone, and server error numbers that differ
are given per kind). Else <MOCORE_TEST_SERVER_DIR>/url (ctest sets MOCORE_TEST_SERVER_DIR).
Plain unittest, so it runs under pytest or `python -m unittest`."""

import datetime as dt
import logging
import os
import threading
import time
import unittest
import uuid
from decimal import Decimal
from urllib.parse import urlparse, unquote

import mocore
from servers import requires_mariadb, requires_matrixone, seq, server_kind, server_url


def table_name():
    return "py_" + uuid.uuid4().hex[:12]


class Base(unittest.TestCase):
    def setUp(self):
        self.url = server_url()
        self.client = mocore.connect(self.url)
        self.tables = []

    def tearDown(self):
        for t in self.tables:
            self.client.execute(f"DROP TABLE IF EXISTS `{t}`")
        self.client.close()

    def make_table(self, cols):
        t = table_name()
        self.client.execute(f"CREATE TABLE `{t}` ({cols})")
        self.tables.append(t)
        return t


class ConnectTest(Base):
    def test_connect_by_url(self):
        self.assertEqual(self.client.scalar("SELECT 1"), 1)
        version = self.client.server_version
        kind = ("matrixone" if "MatrixOne" in version else
                "mariadb" if "MariaDB" in version else "mysql")
        self.assertEqual(self.client.server_kind, kind)       # from the version string
        self.assertGreaterEqual(self.client.version[0], 10 if kind == "mariadb" else 1)

    def test_connect_by_options(self):
        u = urlparse(self.url)
        c = mocore.Client(host=u.hostname, port=u.port, user=unquote(u.username),
                          password=unquote(u.password), database=u.path.lstrip("/"),
                          connect_timeout=5)
        with c:
            self.assertEqual(c.scalar("SELECT DATABASE()"), u.path.lstrip("/"))

    def test_failed_connects_raise_their_category(self):
        u = urlparse(self.url)
        with self.assertRaises(mocore.AuthError) as cm:
            mocore.Client(host=u.hostname, port=u.port, user="nobody", password="wrong")
        self.assertIsInstance(cm.exception, mocore.OperationalError)
        # MatrixOne: 20101 "there is no user nobody"
        self.assertEqual(cm.exception.code, 20101 if server_kind() == "matrixone" else 1045)
        self.assertEqual(cm.exception.operation, "client.connect")
        self.assertNotIn("wrong", str(cm.exception))
        with self.assertRaises(mocore.ConnectError):
            mocore.Client(host="127.0.0.1", port=1, connect_timeout=2)
        with self.assertRaises(mocore.InvalidArgumentError) as cm:
            mocore.Client(host="127.0.0.1", no_such_option=1)
        self.assertIsInstance(cm.exception, mocore.ProgrammingError)


class ErrorTest(Base):
    def test_category_classes_come_from_the_table(self):
        self.assertTrue(issubclass(mocore.RetryableError, mocore.OperationalError))
        self.assertTrue(issubclass(mocore.ConstraintError, mocore.IntegrityError))
        self.assertTrue(issubclass(mocore.DataError, mocore.DatabaseError))
        self.assertEqual(mocore.error_class("not_found"), mocore.NotFoundError)
        self.assertEqual(len(mocore.errors.CATEGORY_CLASSES), mocore.mocore_core.mo_swig_category_count())
        for base in (mocore.InterfaceError, mocore.DatabaseError):
            self.assertTrue(issubclass(base, mocore.Error))

    def test_duplicate_key_is_an_integrity_error(self):
        t = self.make_table("id INT PRIMARY KEY")
        self.client.execute(f"INSERT INTO `{t}` VALUES (?)", [1])
        with self.assertRaises(mocore.IntegrityError) as cm:
            self.client.execute(f"INSERT INTO `{t}` VALUES (?)", [1])
        e = cm.exception
        self.assertIsInstance(e, mocore.ConstraintError)
        # MatrixOne sends SQLSTATE HY000 with its errors (the server's SQLSTATE is kept)
        sqlstate = "HY000" if server_kind() == "matrixone" else "23000"
        self.assertEqual((e.category, e.code, e.sqlstate), ("constraint", 1062, sqlstate))
        self.assertEqual(e.operation, "client.execute")
        self.assertIn("Duplicate", e.message)

    def test_six_categories(self):
        t = self.make_table("id INT PRIMARY KEY, v TINYINT NOT NULL")
        mo = server_kind() == "matrixone"
        # the server's error numbers: MariaDB's, and MatrixOne's where they differ
        cases = [
            ("SELEC 1", mocore.SyntaxError, mocore.ProgrammingError, 1064),
            ("SELECT * FROM no_such_table_xyz", mocore.NotFoundError, mocore.ProgrammingError,
             1064 if mo else 1146),
            (f"CREATE TABLE `{t}` (id INT)", mocore.AlreadyExistsError, mocore.ProgrammingError, 1050),
            (f"INSERT INTO `{t}` VALUES (1, NULL)", mocore.ConstraintError, mocore.IntegrityError,
             3819 if mo else 1048),
            ("SELECT * FROM mysql.user", mocore.AuthError, mocore.OperationalError, 1142),
            ("SET SESSION sql_mode='STRICT_ALL_TABLES'", None, None, 0),
            (f"INSERT INTO `{t}` VALUES (2, 1000)", mocore.DataError, mocore.DatabaseError,
             1690 if mo else 1264),
        ]
        for sql, cls, base, code in cases:
            with self.subTest(sql=sql):
                if cls is None:
                    self.client.execute(sql)
                    continue
                if mo and "mysql.user" in sql:
                    self.skipTest("MariaDB/MySQL only (mocore's user may not read mysql.user); "
                                  "MatrixOne's root reads it")
                with self.assertRaises(cls) as cm:
                    self.client.execute(sql)
                self.assertIsInstance(cm.exception, base)
                self.assertEqual(cm.exception.code, code)

    def test_wrong_types_give_clear_errors(self):
        with self.assertRaises(mocore.ProgrammingError):
            self.client.execute(None)
        with self.assertRaises(mocore.ProgrammingError):
            self.client.execute("SELECT ?", "not a list")
        with self.assertRaises(TypeError):
            self.client.execute("SELECT ?", [object()])
        with self.assertRaises(mocore.InvalidArgumentError):
            self.client.execute("SELECT ?, ?", [1])
        with self.assertRaises(mocore.InvalidArgumentError):
            self.client.execute("SELECT ?", [float("nan")])
        with self.assertRaises(mocore.InvalidArgumentError):   # NULL handle
            mocore.mocore_core.mo_client_ping(None)
        with self.assertRaises(TypeError):                      # not a handle at all
            mocore.mocore_core.mo_client_ping("client")
        c = mocore.connect(self.url)
        c.close()
        with self.assertRaises(mocore.InterfaceError):
            c.execute("SELECT 1")


class LostAnswerTest(Base):
    """A statement whose answer is lost to the read timeout: TimeoutError only when it is
    read-only; a write may have committed, so it is OutcomeUnknownError."""

    def test_a_write_cut_by_the_read_timeout_is_outcome_unknown(self):
        t = self.make_table("id INT PRIMARY KEY, v INT")
        self.client.execute(f"INSERT INTO `{t}` VALUES (1, 0)")
        c = mocore.connect(self.url, read_timeout=1)
        try:
            with self.assertRaises(mocore.OutcomeUnknownError) as cm:
                c.execute(f"UPDATE `{t}` SET v = v + 1 WHERE id = 1 AND SLEEP(3) = 0")
            self.assertIsInstance(cm.exception, mocore.OperationalError)
            self.assertEqual(cm.exception.category, "outcome_unknown")
        finally:
            c.close()
        # The locking read waits for the statement the server still runs: on MariaDB it
        # committed; MatrixOne cancels a statement whose connection went away (either may be).
        row = self.client.execute(f"SELECT v FROM `{t}` WHERE id = 1 FOR UPDATE").fetchone()
        if server_kind() == "matrixone":
            self.assertIn(row[0], (0, 1))
        else:
            self.assertEqual(row[0], 1)

    def test_a_read_only_statement_cut_by_the_read_timeout_is_a_timeout(self):
        c = mocore.connect(self.url, read_timeout=1)
        try:
            with self.assertRaises(mocore.TimeoutError) as cm:
                c.execute("SELECT SLEEP(3)")
            self.assertNotIsInstance(cm.exception, mocore.OutcomeUnknownError)
        finally:
            c.close()


class ForkTest(Base):
    """A child of os.fork() inherits the client: using it there raises MisuseError without
    touching the parent's connection, and closing it there sends nothing."""

    def test_a_forked_child_cannot_use_the_parents_client(self):
        own_id = self.client.execute("SELECT CONNECTION_ID()").fetchone()[0]
        session = self.client.session()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report through the pipe, never return into unittest
            code = 1
            try:
                os.close(read)
                try:
                    self.client.execute("SELECT 1")
                    outcome = "no error"
                except mocore.MisuseError as e:
                    outcome = "misuse" if f"created in process {os.getppid()}" in e.message else e.message
                except BaseException as e:  # noqa: BLE001 (reported to the parent)
                    outcome = repr(e)
                try:
                    session.execute("SELECT 1")
                    outcome += " / no error"
                except mocore.MisuseError:
                    pass
                session.close()
                self.client.close()  # before: COM_QUIT on the parent's connection
                os.write(write, outcome.encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        with os.fdopen(read, "rb") as f:
            told = f.read().decode()
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        self.assertEqual(told, "misuse")
        # The same connection, still working; the session's transaction still open.
        self.assertEqual(self.client.execute("SELECT CONNECTION_ID()").fetchone()[0], own_id)
        self.assertEqual(session.state, "in_transaction")
        session.execute("SELECT 1")
        session.commit()
        session.close()


class ParamsAndTypesTest(Base):
    def test_every_param_type_round_trips(self):
        t = self.make_table(
            "id INT AUTO_INCREMENT PRIMARY KEY, i BIGINT, u BIGINT UNSIGNED, b BOOL, f DOUBLE,"
            " s VARCHAR(100), bl BLOB, d DECIMAL(20,6), da DATE, dtm DATETIME(6), tm TIME(6),"
            " td TIME(6), j JSON, n INT")
        values = [-(2**63), 2**64 - 1, True, 0.1 + 0.2, "it's a \"test\" \\ \u00e9\u4e2d",
                  bytes(range(256)), Decimal("-12345.678901"), dt.date(2024, 2, 29),
                  dt.datetime(2024, 12, 31, 23, 59, 58, 123456), dt.time(13, 14, 15, 500),
                  dt.timedelta(hours=-30, minutes=-1, seconds=-2), {"a": [1, 2], "b": "x"}, None]
        r = self.client.execute(
            f"INSERT INTO `{t}` (i,u,b,f,s,bl,d,da,dtm,tm,td,j,n) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            values)
        self.assertEqual(r.rowcount, 1)
        self.assertEqual(r.lastrowid, 1)
        row = self.client.execute(f"SELECT i,u,b,f,s,bl,d,da,dtm,tm,td,j,n FROM `{t}`").fetchone()
        self.assertEqual(row[0], -(2**63))
        self.assertEqual(row[1], 2**64 - 1)
        self.assertEqual(row[2], 1)
        self.assertEqual(row[3], 0.1 + 0.2)
        self.assertEqual(row[4], values[4])
        self.assertEqual(row[5], values[5])
        self.assertEqual(row[6], Decimal("-12345.678901"))
        self.assertEqual(row[7], dt.date(2024, 2, 29))
        self.assertEqual(row[8], values[8])
        self.assertEqual(row[9], dt.timedelta(hours=13, minutes=14, seconds=15, microseconds=500))
        self.assertEqual(row[10], values[10])
        self.assertIn('"a"', row[11])
        self.assertIsNone(row[12])
        self.assertIsInstance(row, tuple)

    def test_prepared_statements_give_the_same_rows(self):
        # the binary protocol (prepare_threshold=1: every SELECT prepared) against the text one
        t = self.make_table(
            "id INT PRIMARY KEY, i BIGINT, u BIGINT UNSIGNED, ti TINYINT, f FLOAT, d DOUBLE,"
            " s VARCHAR(40), bl BLOB, de DECIMAL(20,6), da DATE, dtm DATETIME(6), tm TIME(6),"
            " j JSON, n INT")
        self.client.execute(
            f"INSERT INTO `{t}` VALUES (1, ?, ?, -5, 1.5, ?, 'x', ?, ?, '2024-02-29',"
            " '2024-12-31 23:59:58.123456', '-30:01:02.5', '[1, 2]', NULL), (2, 0, 0, 0, 0, 0,"
            " '', '', 0, '2000-01-01', '2000-01-01 00:00:00', '00:00:00', '{}', 7)",
            [-(2**63), 2**64 - 1, 0.1 + 0.2, bytes(range(256)), Decimal("-12345.678901")])
        query = f"SELECT * FROM `{t}` ORDER BY id"
        text = mocore.connect(self.url + "?prepare_threshold=0")
        binary = mocore.connect(self.url + "?prepare_threshold=1")
        try:
            expected = text.execute(query).fetchall()
            self.assertEqual(binary.execute(query).fetchall(), expected)  # prepared
            self.assertEqual(binary.execute(query).fetchall(), expected)  # from the cache
        finally:
            text.close()
            binary.close()

    def test_vector_param_renders_a_literal(self):
        self.assertEqual(self.client.scalar("SELECT ?", [[1.5, -2.0, 3]]), "[1.5,-2,3]")

    def test_row_types(self):
        t = self.make_table("a TINYINT, b SMALLINT UNSIGNED, c MEDIUMINT, d YEAR, e BIT(10),"
                            " f FLOAT, g TIMESTAMP NULL, h VARBINARY(4), k TEXT, m ENUM('x','y')")
        self.client.execute(f"INSERT INTO `{t}` VALUES (-5, 65535, 3, 2024, b'1000000001', 1.5,"
                            " '2020-01-02 03:04:05', x'0001', 'txt', 'y')")
        r = self.client.execute(f"SELECT * FROM `{t}`")
        self.assertEqual(r.columns, ["a", "b", "c", "d", "e", "f", "g", "h", "k", "m"])
        self.assertEqual(r.fetchall(), [(-5, 65535, 3, 2024, 513, 1.5,
                                         dt.datetime(2020, 1, 2, 3, 4, 5), b"\x00\x01", "txt", "y")])

    @requires_mariadb("zero and impossible dates are MariaDB's (ALLOW_INVALID_DATES)")
    def test_dates_the_calendar_lacks_stay_text(self):
        t = self.make_table("d DATE, w DATETIME, v TIME")
        mode = self.client.scalar("SELECT @@SESSION.sql_mode")
        self.client.execute("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'")
        try:
            self.client.execute(f"INSERT INTO `{t}` VALUES ('2023-02-30', '2023-02-29 10:00:00',"
                                " '-838:59:59'), ('0000-00-00', '2024-02-29 23:59:59.25', '00:00:01')")
        finally:
            self.client.execute("SET SESSION sql_mode = ?", [mode])
        rows = self.client.execute(f"SELECT d, w, v FROM `{t}` ORDER BY w").fetchall()
        self.assertEqual(rows[0], ("2023-02-30", "2023-02-29 10:00:00",
                                   -dt.timedelta(hours=838, minutes=59, seconds=59)))
        self.assertEqual(rows[1], ("0000-00-00", dt.datetime(2024, 2, 29, 23, 59, 59),
                                   dt.timedelta(seconds=1)))

    def test_fetch_api(self):
        r = self.client.execute(f"SELECT seq FROM {seq(10)}")
        self.assertEqual(r.fetchone(), (1,))
        self.assertEqual(r.fetchmany(3), [(2,), (3,), (4,)])
        self.assertEqual([x[0] for x in r], [5, 6, 7, 8, 9, 10])
        self.assertIsNone(r.fetchone())
        self.assertEqual(self.client.execute(f"SELECT seq FROM {seq(3)}").fetchall(), [(1,), (2,), (3,)])
        self.assertIsNone(self.client.execute(f"SELECT 1 FROM {seq(3)} WHERE seq > 5").scalar())

    def test_fetch_mixed_across_read_ahead(self):
        # buffered rows are converted ahead in growing batches; a stream is read row by row
        for stream in (False, True):
            r = self.client.execute(f"SELECT seq FROM {seq(3000)}", stream=stream)
            got = [r.fetchone()[0] for _ in range(30)]
            got += [x[0] for x in r.fetchmany(5)] + [x[0] for x in r.fetchmany(1500)]
            got.append(r.fetchone()[0])
            for x in r:
                got.append(x[0])
                if len(got) == 2000:
                    break
            got += [x[0] for x in r.fetchmany(0)] + [x[0] for x in r.fetchall()]
            self.assertEqual(got, list(range(1, 3001)), stream)
            self.assertIsNone(r.fetchone())
            self.assertEqual(r.fetchmany(10), [])
            # fetches inside the loop take the next rows; the loop goes on after them
            r = self.client.execute(f"SELECT seq FROM {seq(3000)}", stream=stream)
            got = []
            for x in r:
                got.append(x[0])
                if x[0] % 100 == 0:
                    got.append(r.fetchone()[0])
                if x[0] % 700 == 0:
                    got += [y[0] for y in r.fetchmany(1100)]
            self.assertEqual(got, list(range(1, 3001)), stream)
            r = self.client.execute(f"SELECT seq FROM {seq(10)}", stream=stream)
            it = iter(r)
            self.assertEqual((next(it), r.fetchone(), next(it)), ((1,), (2,), (3,)))
            self.assertEqual(r.fetchall()[0], (4,))
            self.assertEqual(list(it), [])

    def test_streaming_100k_rows(self):
        r = self.client.execute(f"SELECT seq, 'abc', seq * 0.5 FROM {seq(100000)}", stream=True)
        n = 0
        total = 0
        for row in r:
            n += 1
            total += row[0]
        self.assertEqual(n, 100000)
        self.assertEqual(total, 100000 * 100001 // 2)


class SessionTest(Base):
    def test_with_commits(self):
        t = self.make_table("id INT PRIMARY KEY")
        with self.client.session() as s:
            s.execute(f"INSERT INTO `{t}` VALUES (1)")
            self.assertEqual(s.state, "in_transaction")
        self.assertEqual(self.client.scalar(f"SELECT COUNT(*) FROM `{t}`"), 1)

    def test_with_rolls_back_and_reraises(self):
        t = self.make_table("id INT PRIMARY KEY")
        with self.assertRaises(RuntimeError):
            with self.client.session() as s:
                s.execute(f"INSERT INTO `{t}` VALUES (1)")
                raise RuntimeError("boom")
        self.assertEqual(self.client.scalar(f"SELECT COUNT(*) FROM `{t}`"), 0)
        with self.assertRaises(mocore.IntegrityError):
            with self.client.session() as s:
                s.execute(f"INSERT INTO `{t}` VALUES (2)")
                s.execute(f"INSERT INTO `{t}` VALUES (2)")
        self.assertEqual(self.client.scalar(f"SELECT COUNT(*) FROM `{t}`"), 0)

    def test_explicit_commit_and_rollback(self):
        t = self.make_table("id INT PRIMARY KEY")
        s = self.client.session()
        s.execute(f"INSERT INTO `{t}` VALUES (1)")
        s.commit()
        s.execute(f"INSERT INTO `{t}` VALUES (3)")
        s.rollback()
        s.close()
        self.assertEqual(self.client.query(f"SELECT id FROM `{t}`"), [(1,)])
        with self.assertRaises(mocore.InterfaceError):
            s.execute("SELECT 1")

    @requires_mariadb("MatrixOne has no savepoints")
    def test_explicit_commit_rollback_savepoint(self):
        t = self.make_table("id INT PRIMARY KEY")
        s = self.client.session()
        s.execute(f"INSERT INTO `{t}` VALUES (1)")
        s.savepoint("sp1")
        s.execute(f"INSERT INTO `{t}` VALUES (2)")
        s.rollback_to_savepoint("sp1")
        s.commit()
        s.execute(f"INSERT INTO `{t}` VALUES (3)")
        s.rollback()
        s.close()
        self.assertEqual(self.client.query(f"SELECT id FROM `{t}`"), [(1,)])
        with self.assertRaises(mocore.InterfaceError):
            s.execute("SELECT 1")

    @requires_matrixone("savepoints are MatrixOne's UNSUPPORTED")
    def test_savepoints_are_unsupported_on_matrixone(self):
        t = self.make_table("id INT PRIMARY KEY")
        with self.client.session() as s:
            s.execute(f"INSERT INTO `{t}` VALUES (1)")
            with self.assertRaises(mocore.UnsupportedError) as cm:
                s.savepoint("sp1")
            self.assertEqual(cm.exception.operation, "session.savepoint")
            s.rollback()
        self.assertEqual(self.client.query(f"SELECT id FROM `{t}`"), [])

    def test_transaction_helper(self):
        t = self.make_table("id INT PRIMARY KEY")
        calls = []

        def body(s):
            calls.append(1)
            s.execute(f"INSERT INTO `{t}` VALUES (?)", [len(calls)])
            if len(calls) < 3:
                raise mocore.RetryableError("simulated deadlock", 1213, "40001", "test")
            return "done"

        self.assertEqual(self.client.transaction(body, retries=5), "done")
        self.assertEqual(self.client.query(f"SELECT id FROM `{t}`"), [(3,)])

    def test_many_session_cycles(self):
        for _ in range(2000):
            with self.client.session() as s:
                pass


class CharsetAndSqlModeTest(Base):
    """No value becomes SQL whatever the sql_mode, and the client character set stays one in
    which no byte of a multi-byte character can be a backslash (docs/security.md)."""

    PAYLOADS = ["\u4f60' OR 1=1 -- ", "\u4f60\\' OR 1=1 -- ", "' OR '1'='1", "\\", "'\\",
                "nul\x00inside'"]

    def test_injection_payloads_stay_values_in_both_sql_modes(self):
        t = self.make_table("id INT PRIMARY KEY, v VARCHAR(100) CHARACTER SET utf8mb4")
        for mode in ("", "NO_BACKSLASH_ESCAPES"):
            self.client.execute("SET SESSION sql_mode = ?", [mode])
            self.client.execute(f"DELETE FROM `{t}`")
            for i, p in enumerate(self.PAYLOADS):
                self.client.execute(f"INSERT INTO `{t}` VALUES (?, ?)", [i, p])
            for i, p in enumerate(self.PAYLOADS):
                rows = self.client.execute(f"SELECT id, v FROM `{t}` WHERE v = ?", [p]).fetchall()
                self.assertEqual(rows, [(i, p)], (mode, p))
        self.client.execute("SET SESSION sql_mode = DEFAULT")

    def test_set_names_to_an_unsafe_charset_is_refused_before_sending(self):
        for cs in ("gbk", "big5", "sjis", "cp932"):
            with self.assertRaises(mocore.InvalidArgumentError) as e:
                self.client.execute(f"SET NAMES {cs}")
            self.assertIn(cs, e.exception.message)
        self.assertEqual(self.client.scalar("SELECT @@character_set_client"), "utf8mb4")

    @requires_mariadb("MatrixOne sends no session state; it keeps character_set_client "
                      "utf8mb4 whatever SET NAMES says (docs/matrixone.md)")
    def test_a_switch_the_text_does_not_show_gives_the_connection_up(self):
        c = mocore.connect(self.url)
        try:
            c.execute("PREPARE py_charset_s FROM 'SET NAMES gbk'")
            with self.assertRaises(mocore.MisuseError) as e:
                c.execute("EXECUTE py_charset_s")
            self.assertIn("gbk", e.exception.message)
            with self.assertRaises(mocore.MisuseError):
                c.execute("SELECT ?", ["\u4f60' OR 1=1 -- "])
        finally:
            c.close()


class GilTest(Base):
    def test_blocking_calls_release_the_gil(self):
        clients = [mocore.connect(self.url) for _ in range(2)]
        errors = []

        def run(c):
            try:
                c.execute("SELECT SLEEP(0.5)")
            except Exception as e:  # pragma: no cover
                errors.append(e)

        threads = [threading.Thread(target=run, args=(c,)) for c in clients]
        start = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - start
        self.assertEqual(errors, [])
        self.assertLess(elapsed, 0.9)


class DryRunAndLoggingTest(Base):
    def test_dry_run_journal(self):
        c = mocore.Client(host="127.0.0.1", port=9, dry_run=True)
        c.execute("CREATE DATABASE x")
        c.execute("INSERT INTO t VALUES (?, ?)", ["o'k", None])
        with c.session() as s:
            s.execute("DELETE FROM t WHERE id = ?", [7])
        j = c.journal
        self.assertIn("CREATE DATABASE x", j)
        self.assertIn("INSERT INTO t VALUES ('o''k', NULL)", [x.replace("\\'", "''") for x in j])
        self.assertIn("DELETE FROM t WHERE id = 7", j)
        c.clear_journal()
        self.assertEqual(c.journal, [])

    def test_logging_goes_to_the_mocore_logger(self):
        with self.assertLogs("mocore", level="INFO") as cm:
            c = mocore.connect(self.url + "?log_mode=full")
            c.execute("SELECT ? AS logged", [42])
        self.assertTrue(any("SELECT 42 AS logged" in line for line in cm.output), cm.output)
        with self.assertRaises(mocore.Error):
            mocore.connect(self.url + "?log_mode=full&password=secret-pw-x", user="nobody")


if __name__ == "__main__":
    logging.basicConfig()
    unittest.main()
