"""PyMySQL's conventions in mocore.dbapi and the SQLAlchemy dialects, each rule a test,
against the real MariaDB: the rules docs/python-dbapi.md lists under "PyMySQL
compatibility", which code written for PyMySQL (the MatrixOne SDK among it) relies on."""

import socket

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.dialects.mysql.base import MySQLDialect

import mocore.dbapi as dbapi
from mocore.sqlalchemy_dialect import register

from conftest import server_kind, sqlalchemy_url

register()

# The server's answer to a missing table: 1146 / 42S02 on MariaDB; MatrixOne v4.2 answers
# 1064 / HY000 ("SQL parser error: table ... does not exist").
NO_TABLE = (1064, "HY000") if server_kind() == "matrixone" else (1146, "42S02")


def peer_host(run_scalar):
    """How the server sees this session's peer: "host:port" over TCP. MatrixOne's processlist
    names the session conn_id and the peer client_host."""
    if server_kind() == "matrixone":
        return run_scalar("SELECT client_host FROM information_schema.processlist "
                          "WHERE conn_id = CONNECTION_ID()")
    return run_scalar("SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()")


@pytest.fixture
def conn(url):
    c = dbapi.connect(url)
    yield c
    c.close()


def one(conn, sql, params=None):
    cur = conn.cursor()
    cur.execute(sql, params)
    return cur.fetchone()


# ---------------------------------------------------------------- 1. e.args == (errno, message)
def test_args_are_errno_and_message(conn):
    with pytest.raises(dbapi.ProgrammingError) as ei:
        conn.cursor().execute("SELECT * FROM no_such_table_pymysql")
    e = ei.value
    errno, sqlstate = NO_TABLE
    assert e.args[0] == errno and e.args == (errno, e.message)
    assert e.errno == e.code == errno
    assert e.sqlstate == sqlstate
    assert e.category == "not_found" and e.operation  # mocore's own attributes stay
    assert "no_such_table_pymysql" in e.args[1]


def test_args_of_client_side_errors_carry_errno_zero(conn):
    with pytest.raises(dbapi.ProgrammingError) as ei:
        conn.cursor().execute("SELECT ?", (1, 2))
    assert ei.value.args == (0, ei.value.message)


def test_exceptions_pickle_with_their_attributes(conn):
    import pickle
    with pytest.raises(dbapi.Error) as ei:
        conn.cursor().execute("SELECT * FROM no_such_table_pymysql")
    back = pickle.loads(pickle.dumps(ei.value))
    assert type(back) is type(ei.value)
    assert back.args == ei.value.args and back.sqlstate == NO_TABLE[1]


def test_sqlalchemy_has_table_reads_errno_from_args(url):
    # The MySQL dialect's has_table runs DESCRIBE and takes args[0] == 1146 for "no table".
    class ArgsReadingDialect(MySQLDialect):
        driver = "mocore"
        supports_statement_cache = True

        def _extract_error_code(self, exception):
            return exception.args[0] if exception.args and isinstance(exception.args[0], int) \
                else None

    engine = create_engine(sqlalchemy_url(url))
    dbapi_module = engine.dialect.dbapi
    engine.dialect = ArgsReadingDialect()
    engine.dialect.dbapi = dbapi_module
    try:
        with engine.connect() as c:
            # a dialect put in after create_engine is not initialized: name the schema
            db = c.exec_driver_sql("SELECT DATABASE()").scalar()
            assert inspect(c).has_table("no_such_table_pymysql", schema=db) is False
    finally:
        engine.dispose()


def test_star_import_does_not_shadow_builtin_exceptions():
    import mocore
    for module in ("mocore", "mocore.errors", "mocore.dbapi"):
        ns = {}
        exec(f"from {module} import *", ns)
        for name in ("TimeoutError", "InterruptedError", "SyntaxError"):
            assert name not in ns, (module, name)
        assert "Error" in ns and "OperationalError" in ns
    # the category classes are still there by name
    assert issubclass(mocore.TimeoutError, mocore.OperationalError)
    assert issubclass(mocore.SyntaxError, mocore.ProgrammingError)
    assert mocore.InterruptedError.category == "interrupted"


# ---------------------------------------------------------------- 2. %s and %(name)s
def test_format_placeholders(conn):
    assert one(conn, "SELECT %s, %s, %s", (1, "it's", None)) == (1, "it's", None)


def test_pyformat_placeholders(conn):
    assert one(conn, "SELECT %(a)s, %(b)s, %(a)s", {"a": 7, "b": "x"}) == (7, "x", 7)


def test_qmark_still_works(conn):
    assert one(conn, "SELECT ?, ?", (1, "a")) == (1, "a")


def test_placeholders_in_literals_identifiers_and_comments_are_text(conn):
    row = one(conn, "SELECT %s, '%s', \"%s\" AS `%s` -- %s\n", ("v",))
    assert row == ("v", "%s", "%s")


def test_values_are_rendered_by_the_core_not_pasted(conn):
    evil = "x' OR '1'='1"
    assert one(conn, "SELECT %s", (evil,)) == (evil,)
    assert one(conn, "SELECT %(v)s", {"v": "a\\' -- b"}) == ("a\\' -- b",)


def test_a_list_parameter_expands_for_in(conn):
    assert one(conn, "SELECT 2 IN %s, 5 IN %s", ([1, 2, 3], (4, 6))) == (1, 0)
    assert one(conn, "SELECT %(v)s IN %(set)s", {"v": "b", "set": ["a", "b"]}) == (1,)


def test_an_empty_list_parameter_is_empty_parentheses_as_in_pymysql(conn):
    with pytest.raises(dbapi.ProgrammingError) as ei:
        conn.cursor().execute("SELECT 1 IN %s", ([],))   # IN () is a syntax error
    assert ei.value.args[0] == 1064


def test_count_errors_name_the_style_they_saw(conn):
    cur = conn.cursor()
    with pytest.raises(dbapi.ProgrammingError, match=r"1 %s placeholder \(format style\)"):
        cur.execute("SELECT %s", (1, 2))
    with pytest.raises(dbapi.ProgrammingError, match=r"2 \? placeholders"):
        cur.execute("SELECT ?, ?", (1,))
    with pytest.raises(dbapi.ProgrammingError, match=r"pyformat.*mapping"):
        cur.execute("SELECT %(a)s", (1,))
    with pytest.raises(dbapi.ProgrammingError, match=r"format style.*sequence"):
        cur.execute("SELECT %s", {"a": 1})
    with pytest.raises(dbapi.ProgrammingError, match=r"no 'b'"):
        cur.execute("SELECT %(b)s", {"a": 1})
    with pytest.raises(dbapi.ProgrammingError, match=r"mixes \?"):
        cur.execute("SELECT ?, %s", (1, 2))


def test_executemany_with_format_and_pyformat(conn, table_name):
    cur = conn.cursor()
    cur.execute(f"CREATE TABLE `{table_name}` (id INT PRIMARY KEY, name VARCHAR(20))")
    try:
        cur.executemany(f"INSERT INTO `{table_name}` (id, name) VALUES (%s, %s)",
                        [(1, "a"), (2, "b%")])
        assert cur.rowcount == 2
        cur.executemany(f"INSERT INTO `{table_name}` (id, name) VALUES (%(id)s, %(n)s)",
                        [{"id": 3, "n": "c"}, {"id": 4, "n": "d"}])
        assert cur.rowcount == 2
        cur.execute(f"SELECT name FROM `{table_name}` WHERE id IN %s ORDER BY id",
                    ([1, 2, 3, 4],))
        assert cur.fetchall() == [("a",), ("b%",), ("c",), ("d",)]
        # lists of different lengths give each row its own template: run one by one, the
        # row counts summed
        assert cur.executemany(f"DELETE FROM `{table_name}` WHERE id IN %s",
                               [([1, 2],), ([4],)]) == 3
        assert cur.rowcount == 3
        cur.execute(f"SELECT id FROM `{table_name}`")
        assert cur.fetchall() == [(3,)]
    finally:
        cur.execute(f"DROP TABLE `{table_name}`")


# ---------------------------------------------------------------- 3. %% is %
def test_double_percent_is_one_percent_once_parameters_are_given(conn):
    assert one(conn, "SELECT %s, '100%%', 7 %% 4", ("x",)) == ("x", "100%", 3)
    assert one(conn, "SELECT %(a)s, '100%%'", {"a": 1}) == (1, "100%")


def test_double_percent_with_empty_parameters_is_one_percent(conn):
    # PyMySQL formats whenever args is not None: ``query % ()`` turns %% into %
    assert one(conn, "SELECT '100%%'", ()) == ("100%",)
    assert one(conn, "SELECT '100%%'", {}) == ("100%",)


def test_double_percent_without_parameters_is_sent_as_is(conn):
    # args None: PyMySQL sends the query untouched
    assert one(conn, "SELECT '100%%', 'a%b'") == ("100%%", "a%b")


def test_double_percent_in_a_qmark_statement_is_kept(conn):
    assert one(conn, "SELECT ?, '100%%'", (1,)) == (1, "100%%")


def test_a_lone_percent_stays(conn):
    assert one(conn, "SELECT %s, 'a%b', 7 % 4", (1,)) == (1, "a%b", 3)


# ---------------------------------------------------------------- 4. localhost is TCP
def test_localhost_is_tcp(url):
    from urllib.parse import urlsplit
    u = urlsplit(url)
    c = dbapi.connect(host="localhost", port=u.port, user=u.username or "root",
                      password=u.password or "", database=u.path.lstrip("/") or None)
    try:
        # a TCP session has a host:port peer; a socket session is "localhost" alone
        assert ":" in peer_host(lambda sql: one(c, sql)[0])
    finally:
        c.close()


def test_unix_socket_when_asked_for(tmp_path):
    path = str(tmp_path / "no.sock")
    with pytest.raises(dbapi.OperationalError) as ei:
        dbapi.connect(host="localhost", unix_socket=path, connect_timeout=5)
    assert ei.value.args[0] == 2002 and "through socket" in ei.value.args[1]


def test_transport_tcp_is_a_client_option(url):
    import mocore
    from urllib.parse import urlsplit
    port = urlsplit(url).port
    sep = "&" if "?" in url else "?"
    # libmariadb alone would take "localhost" for the Unix socket
    with mocore.connect(url.replace(urlsplit(url).hostname, "localhost", 1) +
                        f"{sep}transport=tcp") as c:
        assert ":" in peer_host(c.scalar)
    with pytest.raises(mocore.InvalidArgumentError, match="auto, tcp or socket"):
        mocore.Client(host="localhost", port=port, transport="carrier-pigeon")


# ---------------------------------------------------------------- 5. connect errors
def _closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_refused_says_so():
    with pytest.raises(dbapi.OperationalError) as ei:
        dbapi.connect(host="127.0.0.1", port=_closed_port(), user="root", connect_timeout=5)
    e = ei.value
    assert "connection refused" in str(e).lower()
    assert e.args[0] in (2002, 2003) and e.sqlstate == "HY000"
    assert e.category == "connect"


def test_connect_timeout_says_timed_out():
    # a listening socket that never answers the handshake
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    try:
        with pytest.raises(dbapi.OperationalError) as ei:
            dbapi.connect(host="127.0.0.1", port=s.getsockname()[1], user="root",
                          connect_timeout=1)
        assert "timed out" in str(ei.value).lower()
        assert ei.value.args[0] != 0
    finally:
        s.close()


# ---------------------------------------------------------------- 6. engines built the PyMySQL way
def test_engine_with_paramstyle_format(url):
    engine = create_engine(sqlalchemy_url(url), paramstyle="format")
    try:
        assert engine.dialect.paramstyle == "format"
        with engine.connect() as c:
            assert c.execute(text("SELECT :a, '100%', :b LIKE 'x%'"),
                             {"a": 1, "b": "xy"}).one() == (1, "100%", 1)
            assert c.execute(text("SELECT '100%'")).scalar() == "100%"
            assert c.exec_driver_sql("SELECT %s, '5%%'", (2,)).one() == (2, "5%")
    finally:
        engine.dispose()


def test_qmark_engine_keeps_percent_signs_as_written(url):
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT '100%%', '5%'")).one() == ("100%%", "5%")
            assert c.execute(text("SELECT :a, '100%%'"), {"a": 1}).one() == (1, "100%%")
            # SQL handed to the driver as it is follows PyMySQL's rule (an empty tuple of
            # parameters: %% is %), which code written for PyMySQL relies on
            assert c.exec_driver_sql("SELECT '100%%'").scalar() == "100%"
    finally:
        engine.dispose()


def test_mysql_dialect_subclass_with_format_paramstyle(url, table_name):
    """What the MatrixOne SDK does: an engine made from the URL, then its dialect replaced by
    a subclass of SQLAlchemy's MySQL dialect (paramstyle "format", its own execution context
    and error-code reading) that keeps mocore.dbapi as its DB-API."""
    class PyMySQLStyleDialect(MySQLDialect):
        name = "matrixone"
        driver = "pymysql"
        supports_statement_cache = True

        def __init__(self, **kw):
            super().__init__(**kw)
            self._connection_charset = "utf8mb4"

        def _extract_error_code(self, exception):
            if exception.args and isinstance(exception.args[0], int):
                return exception.args[0]
            return None

    engine = create_engine(sqlalchemy_url(url), pool_pre_ping=True)
    dbapi_module = engine.dialect.dbapi
    engine.dialect = PyMySQLStyleDialect()
    engine.dialect.dbapi = dbapi_module
    try:
        assert engine.dialect.paramstyle == "format"
        with engine.begin() as c:
            c.execute(text(f"CREATE TABLE `{table_name}` (id INT PRIMARY KEY, v VARCHAR(20))"))
            c.execute(text(f"INSERT INTO `{table_name}` VALUES (:i, :v)"),
                      [{"i": 1, "v": "50%"}, {"i": 2, "v": "b"}])
        with engine.connect() as c:
            rows = c.execute(text(f"SELECT v FROM `{table_name}` WHERE v LIKE '%\\%' "
                                  "OR id = :i ORDER BY id"), {"i": 2}).all()
            assert rows == [("50%",), ("b",)]
            db = c.exec_driver_sql("SELECT DATABASE()").scalar()
            assert inspect(c).has_table(table_name, schema=db) is True
            assert inspect(c).has_table(table_name + "_none", schema=db) is False
    finally:
        with engine.begin() as c:
            c.execute(text(f"DROP TABLE IF EXISTS `{table_name}`"))
        engine.dispose()


def test_engine_with_pymysql_connect_args(url):
    """connect_args the PyMySQL way: charset, ssl={} left empty, host="localhost"."""
    from urllib.parse import urlsplit
    u = urlsplit(url)
    engine = create_engine(f"mysql+mocore://{u.username or 'root'}:{u.password or ''}@localhost:"
                           f"{u.port}/{u.path.lstrip('/')}?charset=utf8mb4",
                           connect_args={"ssl": {}})
    try:
        with engine.connect() as c:
            assert c.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
