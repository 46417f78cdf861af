"""PEP 249 conformance of mocore.dbapi against the real MariaDB: every module global,
constructor, type object, exception, Connection and Cursor method, one test (or more) each."""

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest

import mocore
import mocore.dbapi as dbapi
from conftest import SentStatements, procedure_ddl, requires_mariadb, seq, server_kind


@pytest.fixture
def conn(url):
    c = dbapi.connect(url)
    yield c
    c.close()


@pytest.fixture
def table(url, conn, table_name):
    cur = conn.cursor()
    cur.execute(f"CREATE TABLE `{table_name}` (id INT AUTO_INCREMENT PRIMARY KEY, "
                "name VARCHAR(100), amount DECIMAL(10,2), data BLOB, created DATETIME(6), "
                "UNIQUE KEY (name))")
    conn.commit()                # DDL commits by itself on MariaDB, at COMMIT on MatrixOne
    yield table_name
    if not conn.closed:
        conn.rollback()          # else DROP TABLE waits for this transaction's metadata lock
    c2 = dbapi.connect(url)
    c2.cursor().execute(f"DROP TABLE IF EXISTS `{table_name}`")
    c2.close()


@pytest.fixture
def sent(url):
    """The statements sent on ``sent.conn`` (a connection of its own, logged by the C core)."""
    log = SentStatements()
    log.conn = dbapi.connect(url, **log.options)
    yield log
    log.conn.close()


# ---------------------------------------------------------------- module globals
def test_module_globals():
    assert dbapi.apilevel == "2.0"
    assert dbapi.threadsafety == 1
    assert dbapi.paramstyle == "qmark"
    assert callable(dbapi.connect)


def test_exception_hierarchy():
    assert issubclass(dbapi.Warning, Exception)
    assert issubclass(dbapi.Error, Exception)
    assert not issubclass(dbapi.Warning, dbapi.Error)
    for name in ("InterfaceError", "DatabaseError"):
        assert issubclass(getattr(dbapi, name), dbapi.Error)
    for name in ("DataError", "OperationalError", "IntegrityError", "InternalError",
                 "ProgrammingError", "NotSupportedError"):
        assert issubclass(getattr(dbapi, name), dbapi.DatabaseError)
    # the category classes of the binding are subclasses of the same PEP 249 classes
    assert issubclass(mocore.ConstraintError, dbapi.IntegrityError)
    assert issubclass(mocore.RetryableError, dbapi.OperationalError)


def test_exceptions_are_connection_attributes(conn):
    for name in ("Warning", "Error", "InterfaceError", "DatabaseError", "DataError",
                 "OperationalError", "IntegrityError", "InternalError", "ProgrammingError",
                 "NotSupportedError"):
        assert getattr(conn, name) is getattr(dbapi, name)


def test_constructors():
    assert dbapi.Date(2024, 2, 29) == dt.date(2024, 2, 29)
    assert dbapi.Time(13, 4, 5) == dt.time(13, 4, 5)
    assert dbapi.Timestamp(2024, 2, 29, 13, 4, 5) == dt.datetime(2024, 2, 29, 13, 4, 5)
    t = time.mktime((2024, 2, 29, 13, 4, 5, 0, 0, -1))
    assert dbapi.DateFromTicks(t) == dt.date(2024, 2, 29)
    assert dbapi.TimeFromTicks(t) == dt.time(13, 4, 5)
    assert dbapi.TimestampFromTicks(t) == dt.datetime(2024, 2, 29, 13, 4, 5)
    assert dbapi.Binary(b"\x00\x01") == b"\x00\x01"


def test_type_objects_against_description(conn):
    cur = conn.cursor()
    cur.execute("SELECT 1, 1.5e0, CAST(2.5 AS DECIMAL(4,2)), 'x', CAST('y' AS BINARY), "
                "CURRENT_DATE, CURRENT_TIME, NOW(), CAST('2024-01-01' AS DATETIME)")
    codes = [d[1] for d in cur.description]
    assert codes[0] == dbapi.NUMBER and codes[1] == dbapi.NUMBER and codes[2] == dbapi.NUMBER
    assert codes[3] == dbapi.STRING and codes[3] != dbapi.BINARY
    assert codes[4] == dbapi.BINARY and codes[4] != dbapi.STRING
    assert all(c == dbapi.DATETIME for c in codes[5:])
    assert all(c != dbapi.ROWID for c in codes)
    assert dbapi.NUMBER != dbapi.STRING and hash(dbapi.NUMBER) == hash(dbapi.NUMBER)


# ---------------------------------------------------------------- connect / Connection
def test_connect_by_url_and_options(url):
    from urllib.parse import urlparse, unquote
    u = urlparse(url)
    c = dbapi.connect(host=u.hostname, port=u.port, user=unquote(u.username),
                      passwd=unquote(u.password), db=u.path.lstrip("/"), charset="utf8mb4")
    cur = c.cursor()
    cur.execute("SELECT DATABASE(), CAST(@@autocommit AS SIGNED)")   # text on MatrixOne
    assert cur.fetchone() == (u.path.lstrip("/"), 0)
    c.close()
    with pytest.raises(dbapi.OperationalError):
        dbapi.connect(host=u.hostname, port=u.port, user="nobody", password="wrong")
    with pytest.raises(dbapi.NotSupportedError):
        dbapi.connect(url, charset="latin1")


def test_commit_and_rollback(url, conn, table):
    cur = conn.cursor()
    cur.execute(f"INSERT INTO `{table}` (name) VALUES (?)", ["kept"])
    conn.commit()
    cur.execute(f"INSERT INTO `{table}` (name) VALUES (?)", ["dropped"])
    other = dbapi.connect(url)
    oc = other.cursor()
    oc.execute(f"SELECT name FROM `{table}` ORDER BY id")
    assert oc.fetchall() == [("kept",)]          # uncommitted work is invisible elsewhere
    conn.rollback()
    cur.execute(f"SELECT name FROM `{table}` ORDER BY id")
    assert cur.fetchall() == [("kept",)]
    conn.commit()  # nothing open: a no-op, not an error
    conn.rollback()
    other.close()


def test_autocommit_control(url, conn, table):
    assert conn.autocommit == False and conn.get_autocommit() is False  # noqa: E712
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT CAST(@@autocommit AS SIGNED)")  # system variables: text on MatrixOne
    assert cur.fetchone() == (1,)
    cur.execute(f"INSERT INTO `{table}` (name) VALUES ('auto')")
    other = dbapi.connect(url, autocommit=True)
    oc = other.cursor()
    oc.execute(f"SELECT COUNT(*) FROM `{table}`")
    assert oc.fetchone() == (1,)               # visible without commit
    conn.autocommit = False
    cur.execute(f"INSERT INTO `{table}` (name) VALUES ('manual')")
    oc.execute(f"SELECT COUNT(*) FROM `{table}`")
    assert oc.fetchone() == (1,)
    conn.rollback()
    other.close()


def test_close_is_final(url):
    c = dbapi.connect(url)
    cur = c.cursor()
    c.close()
    c.close()                                   # twice is fine
    assert c.closed
    for call in (c.cursor, c.commit, c.rollback):
        with pytest.raises(dbapi.InterfaceError):
            call()
    with pytest.raises(dbapi.Error):
        cur.execute("SELECT 1")


def test_close_rolls_back(url, table):
    c = dbapi.connect(url)
    c.cursor().execute(f"INSERT INTO `{table}` (name) VALUES ('gone')")
    c.close()
    other = dbapi.connect(url)
    oc = other.cursor()
    oc.execute(f"SELECT COUNT(*) FROM `{table}`")
    assert oc.fetchone() == (0,)
    other.close()


def test_context_manager_commits_or_rolls_back(url, table):
    with dbapi.connect(url) as c:
        c.cursor().execute(f"INSERT INTO `{table}` (name) VALUES ('ctx')")
    assert c.closed
    with pytest.raises(ZeroDivisionError):
        with dbapi.connect(url) as c:
            c.cursor().execute(f"INSERT INTO `{table}` (name) VALUES ('ctx-error')")
            1 / 0
    with dbapi.connect(url) as c:
        cur = c.cursor()
        cur.execute(f"SELECT name FROM `{table}`")
        assert cur.fetchall() == [("ctx",)]


def test_ping(conn):
    assert conn.ping() is True


# ---------------------------------------------------------------- Cursor
def test_cursor_attributes_before_execute(conn):
    cur = conn.cursor()
    assert cur.description is None
    assert cur.rowcount == -1
    assert cur.arraysize == 1
    assert cur.connection is conn
    with pytest.raises(dbapi.Error):
        cur.fetchone()


def test_execute_with_parameters_and_types(conn, table):
    cur = conn.cursor()
    when = dt.datetime(2024, 5, 6, 7, 8, 9, 123456)
    cur.execute(f"INSERT INTO `{table}` (name, amount, data, created) VALUES (?, ?, ?, ?)",
                ("it's \"quoted\" ? \\", Decimal("12.34"), b"\x00\xff'", when))
    assert cur.rowcount == 1
    assert cur.lastrowid == 1
    assert cur.description is None
    cur.execute(f"SELECT name, amount, data, created FROM `{table}` WHERE id = ?", (1,))
    assert cur.fetchone() == ("it's \"quoted\" ? \\", Decimal("12.34"), b"\x00\xff'", when)
    cur.execute("SELECT ?, ?, ?, ?", [None, True, 2 ** 63, 1.25])
    assert cur.fetchone() == (None, 1, 2 ** 63, 1.25)


def test_no_parameters_sends_sql_verbatim(conn):
    cur = conn.cursor()
    cur.execute("SELECT '?', '%s', 'a%b'")
    assert cur.fetchone() == ("?", "%s", "a%b")


def test_parameter_errors(conn):
    cur = conn.cursor()
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute("SELECT ?, ?", (1,))          # count mismatch
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute("SELECT ?", {"a": 1})         # qmark takes sequences
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute("SELECT ?", "x")              # not one parameter per character
    with pytest.raises(dbapi.ProgrammingError):
        cur.executemany("SELECT ?", [{"a": 1}, {"a": 2}])
    cur.execute("SELECT ?, ?", iter([1, 2]))      # any other iterable is a sequence
    assert cur.fetchone() == (1, 2)
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute("SELEC 1")                    # syntax
    with pytest.raises(dbapi.ProgrammingError):
        cur.execute("SELECT * FROM no_such_table_x")


def test_integrity_error(conn, table):
    cur = conn.cursor()
    cur.execute(f"INSERT INTO `{table}` (name) VALUES ('dup')")
    with pytest.raises(dbapi.IntegrityError) as ei:
        cur.execute(f"INSERT INTO `{table}` (name) VALUES ('dup')")
    assert ei.value.code == 1062


def test_description_columns(conn, table):
    cur = conn.cursor()
    cur.execute(f"SELECT id, name, amount FROM `{table}`")
    d = cur.description
    assert [c[0] for c in d] == ["id", "name", "amount"]
    assert all(len(c) == 7 for c in d)
    assert d[2][4] == 10 + 2 and d[2][5] == 2           # precision (display) and scale
    assert d[1][4] is None and d[1][5] is None and d[1][2] is None
    assert d[1][1] == dbapi.STRING and d[2][1] == dbapi.NUMBER
    assert cur.rowcount == 0
    cur.execute("SELECT 1.5e0 AS `é ñ`")
    assert [c[0] for c in cur.description] == ["é ñ"]
    assert cur.description[0][1] == dbapi.NUMBER


@requires_mariadb("MatrixOne's column metadata has no NOT NULL flag, a VARCHAR's display "
                  "size is 2^32-1, a DOUBLE's scale 0, and SELECT NULL names its column 'null'")
def test_description_null_ok_and_sizes(conn, table):
    cur = conn.cursor()
    cur.execute(f"SELECT id, name FROM `{table}`")
    d = cur.description
    assert d[0][6] is False and d[1][6] is True         # null_ok
    assert d[1][3] == 400                               # VARCHAR(100) utf8mb4
    cur.execute("SELECT 1.5e0 AS `é ñ`, NULL")
    assert [c[0] for c in cur.description] == ["é ñ", "NULL"]
    assert cur.description[0][4:6] == (cur.description[0][3], 31)   # DOUBLE: no fixed scale


def test_fetch_methods_and_arraysize(conn):
    cur = conn.cursor()
    cur.execute(f"SELECT seq FROM {seq(10)}")
    assert cur.rowcount == 10
    assert cur.fetchone() == (1,)
    assert cur.rownumber == 1
    assert cur.fetchmany() == [(2,)]                    # arraysize 1
    cur.arraysize = 3
    assert cur.fetchmany() == [(3,), (4,), (5,)]
    assert cur.fetchmany(2) == [(6,), (7,)]
    assert cur.fetchall() == [(8,), (9,), (10,)]
    assert cur.fetchone() is None
    assert cur.fetchmany(5) == []
    assert cur.fetchall() == []
    cur.execute("SET @dbapi_no_rows = 1")
    with pytest.raises(dbapi.Error):
        cur.fetchall()                                  # no result set


def test_iteration(conn):
    cur = conn.cursor()
    cur.execute(f"SELECT seq FROM {seq(5)}")
    assert iter(cur) is cur
    assert [r[0] for r in cur] == [1, 2, 3, 4, 5]
    with pytest.raises(StopIteration):
        next(cur)


def test_fetch_mixed_across_read_ahead_batches(conn):
    # a buffered result is converted ahead in growing batches (1, 4, 16 ... 1024 rows):
    # every fetch method, mixed, still walks the rows once, in order, with rownumber kept
    cur = conn.cursor()
    cur.execute(f"SELECT seq FROM {seq(5000)}")
    got = [cur.fetchone()[0] for _ in range(100)]
    assert cur.rownumber == 100
    got += [r[0] for r in cur.fetchmany(7)]
    got += [next(cur)[0] for _ in range(10)]
    cur.arraysize = 3
    got += [r[0] for r in cur.fetchmany()]
    got += [r[0] for r in cur.fetchmany(2000)]
    assert cur.rownumber == 2120
    for r in cur:
        got.append(r[0])
        if len(got) == 3000:
            break
    got += [r[0] for r in cur.fetchall()]
    assert got == list(range(1, 5001))
    assert cur.rownumber == 5000 and cur.rowcount == 5000
    assert cur.fetchone() is None and cur.fetchall() == []
    cur.execute(f"SELECT seq FROM {seq(3)}")           # a new statement starts afresh
    assert cur.fetchone() == (1,) and cur.rownumber == 1
    assert cur.fetchall() == [(2,), (3,)]


def test_fetch_refused_once_closed_with_rows_converted(url):
    conn = dbapi.connect(url)
    cur = conn.cursor()
    cur.execute(f"SELECT seq FROM {seq(100)}")
    assert cur.fetchone() == (1,) and cur.fetchone() == (2,)    # later rows read ahead
    cur.close()
    with pytest.raises(dbapi.ProgrammingError):
        cur.fetchone()
    with pytest.raises(dbapi.ProgrammingError):
        next(cur)
    cur = conn.cursor()
    cur.execute(f"SELECT seq FROM {seq(100)}")
    assert next(cur) == (1,) and next(cur) == (2,)
    conn.close()
    with pytest.raises(dbapi.InterfaceError):
        cur.fetchone()
    with pytest.raises(dbapi.InterfaceError):
        next(cur)


def test_streaming_cursor(conn):
    buffered = conn.cursor()
    buffered.execute(f"SELECT seq FROM {seq(1000)}")
    cur = conn.cursor(stream=True)
    cur.execute(f"SELECT seq FROM {seq(1000)}")
    assert cur.rowcount == -1                           # not known until read
    assert cur.description == buffered.description     # known before any row is read
    assert cur.description[0][:2] == ("seq", dbapi.NUMBER)
    assert cur.fetchone() == (1,)
    assert len(cur.fetchmany(10)) == 10
    rest = cur.fetchall()
    assert rest[-1] == (1000,) and cur.rowcount == 1000
    cur.execute(f"SELECT seq FROM {seq(100)}")        # abandoning mid-way is safe
    cur.fetchone()
    other = conn.cursor()
    other.execute("SELECT 42")
    assert other.fetchone() == (42,)


def test_streaming_cursor_iteration(conn):
    # iterating a stream goes through the result's batches; the cursor keeps count as it goes
    cur = conn.cursor(stream=True)
    cur.execute(f"SELECT seq FROM {seq(3000)}")
    seen = []
    for row in cur:
        seen.append(row[0])
        assert cur.rownumber == len(seen)
        if len(seen) == 5:
            assert cur.fetchone() == (6,)             # a fetch in the loop takes the next row
            seen.append(6)
    assert seen == list(range(1, 3001)) and cur.rowcount == 3000
    assert list(cur) == []
    # another execute in the loop body: the loop goes on with its rows
    cur.execute(f"SELECT seq FROM {seq(3)}")
    got = []
    for row in cur:
        got.append(row[0])
        if row[0] == 2 and len(got) == 2:
            cur.execute("SELECT seq * 10 FROM " + seq(2))
    assert got == [1, 2, 10, 20]
    # closing the cursor or the connection in the loop body ends it with their error
    cur.execute(f"SELECT seq FROM {seq(3000)}")
    with pytest.raises(dbapi.ProgrammingError, match="cursor is closed"):
        for _ in cur:
            cur.close()
    # DictCursor's rows stay dicts
    dcur = conn.cursor(dbapi.SSDictCursor)
    dcur.execute(f"SELECT seq FROM {seq(3)}")
    assert [r["seq"] for r in dcur] == [1, 2, 3]


def test_rowcount_of_writes(conn, table):
    cur = conn.cursor()
    cur.executemany(f"INSERT INTO `{table}` (name) VALUES (?)", [("a",), ("b",), ("c",)])
    assert cur.rowcount == 3
    cur.execute(f"UPDATE `{table}` SET amount = 1 WHERE name IN ('a', 'b')")
    assert cur.rowcount == 2
    cur.execute(f"UPDATE `{table}` SET amount = 1 WHERE name = 'a'")
    assert cur.rowcount == 1                            # FOUND_ROWS: matched, not changed
    cur.execute(f"DELETE FROM `{table}` WHERE name = 'zzz'")
    assert cur.rowcount == 0


def test_lastrowid(conn, table):
    cur = conn.cursor()
    cur.execute(f"INSERT INTO `{table}` (name) VALUES ('x')")
    first = cur.lastrowid
    cur.execute(f"INSERT INTO `{table}` (name) VALUES ('y')")
    assert cur.lastrowid == first + 1


def test_executemany_insert_is_one_statement(table, sent):
    conn = sent.conn
    rows = [(f"name-{i}", Decimal(i) / 4) for i in range(1000)]
    cur = conn.cursor()
    sent.clear()
    cur.executemany(f"INSERT INTO `{table}` (name, amount) VALUES (?, ?)", rows)
    assert sent.starting("INSERT") == 1               # 1000 rows, one INSERT
    assert cur.rowcount == 1000
    cur.execute(f"SELECT name, amount FROM `{table}` ORDER BY id")
    assert cur.fetchall() == rows


def test_executemany_splits_under_max_allowed_packet(table, sent):
    conn = sent.conn
    conn.max_allowed_packet = 16 * 1024                 # as if the server allowed 16 KiB
    payload = "x" * 90
    rows = [(f"{i:04d}{payload}",) for i in range(1000)]   # ~100 KB of values
    cur = conn.cursor()
    sent.clear()
    cur.executemany(f"INSERT INTO `{table}` (name) VALUES (?)", rows)
    statements = sent.starting("INSERT")
    assert all(len(sql.encode()) <= 16 * 1024 - 1024 for sql in sent)
    row_bytes = len(rows[0][0]) + 2 + len("(?),")
    per_statement = (16 * 1024 - 1024) // row_bytes
    assert statements == -(-1000 // per_statement)      # ceil: as many as needed, no more
    assert 5 < statements < 20
    assert cur.rowcount == 1000
    cur.execute(f"SELECT COUNT(*), MIN(name), MAX(name) FROM `{table}`")
    assert cur.fetchone() == (1000, rows[0][0], rows[-1][0])


def test_executemany_size_bound_of_typed_values(url):
    # executemany sizes rows by type (one dict lookup for the fixed-width ones): the bound
    # holds for every type, and every statement the C core renders stays under the limit
    conn = dbapi.connect(url + "?dry_run=true")
    conn.max_allowed_packet = 8 * 1024
    when = dt.datetime(2024, 2, 29, 23, 59, 58, 999999)
    rows = [(i, -2 ** 63, 2 ** 64 - 1, 1 / 3, -1.2345678901234567e-300, None, True,
             Decimal("-12345678901234567890.123456789"), f"it's \\ \"{i}\"\n\x1a\0 é€𝄞",
             b"\x00'\xff", when, when.date(), dt.time(1, 2, 3, 4), dt.timedelta(days=-34, seconds=5))
            for i in range(200)]
    cur = conn.cursor()
    cur.executemany("INSERT INTO t VALUES (" + ", ".join(["?"] * 14) + ")", rows)
    journal = [sql for sql in conn.client.journal if sql.startswith("INSERT")]
    assert len(journal) > 1
    assert all(len(sql.encode()) <= 8 * 1024 - 1024 for sql in journal)
    assert sum(sql.count("),(") + 1 for sql in journal) == len(rows)
    for v in rows[0]:                                   # each value as the C core renders it
        conn.client.clear_journal()
        cur.execute("SELECT ?", [v])
        rendered = conn.client.journal[-1][len("SELECT "):]
        assert len(rendered.encode()) <= dbapi._row_size([v]), (v, rendered)
        assert dbapi._row_size([v]) >= dbapi._rendered_size(v)
        if not isinstance(v, (float, dt.date, dt.time, dt.timedelta)):
            assert dbapi._row_size([v]) == dbapi._rendered_size(v)
    conn.close()


def test_executemany_uses_the_real_max_allowed_packet(url):
    # the size executemany splits by is the one the C core checks every statement against:
    # read once per connection, by whichever needs it first; 16 MiB in dry-run, as in C
    lines = []
    logging = dict(log_mode="full", logger=lambda level, message: lines.append(message))
    conn = dbapi.connect(client=mocore.Client(url, **logging))
    cur = conn.cursor()
    cur.execute("SELECT CAST(@@max_allowed_packet AS SIGNED)")   # text on MatrixOne
    real = cur.fetchone()[0]
    cur.execute("SELECT LENGTH(?)", ["x" * 4000])       # the core learns the size for this
    lines.clear()
    assert conn.max_allowed_packet == real
    assert lines == []                                  # known already: nothing sent
    conn.close()
    fresh = dbapi.connect(client=mocore.Client(url, **logging))
    lines.clear()
    assert fresh.max_allowed_packet == real
    assert len(lines) == 1 and lines[0].endswith("SELECT @@max_allowed_packet")
    fresh.close()
    dry = dbapi.connect(url + "?dry_run=true")
    assert dry.max_allowed_packet == 16 * 1024 * 1024
    dry.close()


def test_executemany_shapes(table, sent):
    conn = sent.conn
    cur = conn.cursor()
    # ON DUPLICATE KEY UPDATE tail, a literal with ')' and '?' in the row, REPLACE
    # (a key repeated within one statement is a 1062 on MatrixOne: the duplicates are of
    # rows already there)
    sql = (f"INSERT INTO `{table}` (name, amount) VALUES (?, CAST('1?)' AS CHAR(1)) + ?) "
           "ON DUPLICATE KEY UPDATE amount = VALUES(amount) + 100")
    sent.clear()
    cur.executemany(sql, [("a", 1), ("b", 2)])
    cur.executemany(sql, [("a", 3), ("b", 0)])
    assert sent.starting("INSERT") == 2                 # one per executemany
    cur.execute(f"SELECT name, amount FROM `{table}` ORDER BY name")
    assert cur.fetchall() == [("a", Decimal("104.00")), ("b", Decimal("101.00"))]
    cur.executemany(f"REPLACE INTO `{table}` (name, amount) VALUES (?, ?);", [("b", 9), ("c", 8)])
    cur.execute(f"SELECT name, amount FROM `{table}` ORDER BY name")
    assert cur.fetchall()[1:] == [("b", Decimal("9.00")), ("c", Decimal("8.00"))]
    # UPDATE runs once per row; rowcount is the total
    cur.executemany(f"UPDATE `{table}` SET amount = ? WHERE name = ?", [(1, "a"), (2, "b"), (3, "zz")])
    assert cur.rowcount == 2
    cur.executemany(f"INSERT INTO `{table}` (name) VALUES (?)", [])
    assert cur.rowcount == 0
    with pytest.raises(dbapi.IntegrityError):
        cur.executemany(f"INSERT INTO `{table}` (name) VALUES (?)", [("new",), ("a",)])


def create_procedure(cur, name, params, body):
    """procedure_ddl(...) outside a transaction (MatrixOne refuses it inside one: 20101)."""
    cur.connection.commit()
    cur.execute(procedure_ddl(name, params, body))


def drop_procedure(cur, name):
    cur.connection.rollback()
    cur.execute(f"DROP PROCEDURE `{name}`")


def test_callproc(conn, table_name):
    cur = conn.cursor()
    proc = table_name + "_p"
    create_procedure(cur, proc, "IN a INT, INOUT b INT, OUT c VARCHAR(20)",
                     "SET b = a + b; SET c = CONCAT('sum=', b); SELECT a, b;")
    try:
        out = cur.callproc(proc, (2, 40, None))
        if server_kind() == "matrixone":
            assert out == ["2", "42", "sum=42"]         # its user variables read back as text
        else:
            assert out == [2, 42, "sum=42"]
        assert cur.fetchall() == [(2, 42)]
        assert cur.nextset() is True                    # the CALL's own status
        assert cur.description is None
        assert cur.nextset() is None
        with pytest.raises(dbapi.ProgrammingError):
            cur.callproc("x`; DROP TABLE y; --", ())
    finally:
        drop_procedure(cur, proc)


def test_nextset(conn, table_name):
    cur = conn.cursor()
    cur.execute("SELECT 1")
    assert cur.nextset() is None                        # one statement, one set
    proc = table_name + "_sets"
    create_procedure(cur, proc, "", "SELECT 1 AS a; SELECT 'x' AS b, 2 AS c UNION ALL "
                     "SELECT 'y', 3 ORDER BY b;")     # a UNION's order is the server's
    try:
        cur.execute(f"  /* sets */ call `{proc}`()")
        assert [d[0] for d in cur.description] == ["a"]
        assert cur.fetchall() == [(1,)]
        assert cur.nextset() is True
        assert [d[0] for d in cur.description] == ["b", "c"]
        assert cur.fetchone() == ("x", 2)               # the rest is discarded by nextset
        assert cur.nextset() is True and cur.description is None
        assert cur.nextset() is None
        cur.execute(f"CALL `{proc}`()")                 # the sets were all read by execute:
        cur2 = conn.cursor()                            # other statements may run first
        cur2.execute("SELECT 7")
        assert cur2.fetchone() == (7,)
        assert cur.nextset() is True
        assert cur.fetchall() == [("x", 2), ("y", 3)]
    finally:
        drop_procedure(cur, proc)


def test_setinputsizes_setoutputsize(conn):
    cur = conn.cursor()
    cur.setinputsizes([None, 10])
    cur.setoutputsize(100)
    cur.setoutputsize(100, 0)
    cur.execute("SELECT ?", ["ok"])
    assert cur.fetchone() == ("ok",)


def test_cursor_close(conn):
    cur = conn.cursor()
    cur.execute("SELECT 1")
    cur.close()
    cur.close()
    with pytest.raises(dbapi.Error):
        cur.execute("SELECT 1")
    with pytest.raises(dbapi.Error):
        cur.fetchone()
    with conn.cursor() as c2:
        c2.execute("SELECT 2")
    with pytest.raises(dbapi.Error):
        c2.fetchone()


def test_connection_not_shared_across_threads_silently(url):
    # threadsafety 1: concurrent use of one connection is refused, never corrupts it
    c = dbapi.connect(url)
    errors, done = [], []

    def worker():
        cur = c.cursor()
        try:
            for _ in range(20):
                cur.execute("SELECT SLEEP(0.01)")
            done.append(1)
        except dbapi.InterfaceError as e:
            errors.append(e)

    ts = [threading.Thread(target=worker) for _ in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(done) + len(errors) == 3
    cur = c.cursor()
    cur.execute("SELECT 7")
    assert cur.fetchone() == (7,)
    c.close()
