"""mysqlclient's and PyMySQL's surface in mocore.dbapi, against the real server of the
harness: the rules docs/python-dbapi.md lists under "mysqlclient compatibility", each a
test. The first test runs one program written for mysqlclient (mysqlclient_program.py)
UNCHANGED on MySQLdb and on mocore.dbapi and compares what both print."""

import os
import subprocess
import sys
from urllib.parse import unquote, urlsplit

import pytest

import mocore
import mocore.dbapi as dbapi
import mocore.dbapi.cursors
from mocore.dbapi.cursors import DictCursor, SSCursor, SSDictCursor

from conftest import SentStatements, requires_mariadb, server_kind

HERE = os.path.dirname(os.path.abspath(__file__))


def url_parts(url):
    u = urlsplit(url)
    return dict(host=u.hostname, port=u.port or 3306, user=unquote(u.username or ""),
                password=unquote(u.password or ""), database=unquote(u.path.lstrip("/")))


@pytest.fixture
def conn(url):
    c = dbapi.connect(url)
    yield c
    c.close()


def run_program(module, url, table):
    p = url_parts(url)
    out = subprocess.run([sys.executable, os.path.join(HERE, "mysqlclient_program.py"), module,
                          p["host"], str(p["port"]), p["user"], p["password"], p["database"],
                          table], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{module}: {out.stderr}"
    return out.stdout.splitlines()


# ---------------------------------------------------------------- the program, unchanged
@requires_mariadb("mysqlclient's server: the comparison is on MariaDB (MatrixOne has no "
                  "mysqlclient reference run here; mocore's own run is test_program_on_mocore)")
def test_mysqlclient_program_runs_unchanged(url, table_name):
    pytest.importorskip("MySQLdb", reason="mysqlclient (scripts/deps.sh installs it)")
    reference = run_program("MySQLdb", url, table_name)
    ours = run_program("mocore.dbapi", url, table_name)
    assert reference[-1] == "done" and len(reference) > 15
    assert ours == reference


def test_program_on_mocore(url, table_name):
    # the same program on mocore alone, on whatever server the harness gives (MatrixOne too)
    lines = run_program("mocore.dbapi", url, table_name)
    assert lines[-1] == "done"
    assert "duplicate 1062 True True" in lines
    # MatrixOne answers a missing table with its parser error 1064 (MariaDB: 1146)
    assert f"missing {1064 if server_kind() == 'matrixone' else 1146}" in lines


# ---------------------------------------------------------------- cursor classes
def test_cursor_classes_where_mysqlclient_users_import_them():
    assert mocore.dbapi.cursors.DictCursor is dbapi.DictCursor is DictCursor
    assert SSCursor is dbapi.SSCursor and SSDictCursor is dbapi.SSDictCursor
    assert issubclass(SSDictCursor, DictCursor) and issubclass(DictCursor, dbapi.Cursor)


def test_dict_cursor_from_connect_and_from_cursor(url):
    with dbapi.connect(url, cursorclass=DictCursor) as c:
        cur = c.cursor()
        assert isinstance(cur, DictCursor)
        cur.execute("SELECT 1 AS a, 'x' AS b")
        assert cur.fetchall() == [{"a": 1, "b": "x"}]
        plain = c.cursor(dbapi.Cursor)
        plain.execute("SELECT 1 AS a")
        assert plain.fetchone() == (1,)
    with dbapi.connect(url) as c:
        cur = c.cursor(DictCursor)
        cur.execute("SELECT 2 AS a UNION ALL SELECT 3 ORDER BY a")
        assert [r for r in cur] == [{"a": 2}, {"a": 3}]
        with pytest.raises(dbapi.ProgrammingError, match="cursorclass"):
            c.cursor(dict)


def test_sscursor_reads_batches_not_a_c_call_per_row(conn, monkeypatch):
    # the stream cursor's rows come from mocore.Result's iteration: 1024 rows per C call
    from mocore import mocore_core
    calls = []
    real = mocore_core.mo_py_fetch

    def counting(*a):
        calls.append(a[2])
        return real(*a)
    monkeypatch.setattr(mocore_core, "mo_py_fetch", counting)
    cur = conn.cursor(SSCursor)
    assert cur.server_side
    from conftest import seq
    cur.execute(f"SELECT seq FROM {seq(3000)} ORDER BY seq")
    first = cur.fetchone()
    rows = [first] + [r for r in cur]
    assert [r[0] for r in rows] == list(range(1, 3001))
    assert cur.rownumber == 3000 and cur.rowcount == 3000
    assert len(calls) <= 4 and set(calls) == {1024}


def test_sscursor_mixes_fetchone_fetchmany_and_iteration(conn):
    from conftest import seq
    cur = conn.cursor(SSDictCursor)
    cur.execute(f"SELECT seq AS n FROM {seq(10)} ORDER BY seq")
    assert cur.fetchone() == {"n": 1}
    assert cur.fetchmany(3) == [{"n": 2}, {"n": 3}, {"n": 4}]
    assert next(iter(cur)) == {"n": 5}
    assert cur.fetchall() == [{"n": i} for i in range(6, 11)]
    assert cur.fetchone() is None


def test_execute_returns_rowcount_as_mysqlclient(conn, table_name):
    cur = conn.cursor()
    assert cur.execute(f"CREATE TABLE {table_name} (id INT PRIMARY KEY)") == 0
    try:
        assert cur.executemany(f"INSERT INTO {table_name} VALUES (%s)", [(1,), (2,)]) == 2
        assert cur.execute(f"SELECT * FROM {table_name}") == 2
    finally:
        cur.execute(f"DROP TABLE {table_name}")


# ---------------------------------------------------------------- mogrify
def test_mogrify_is_the_text_sent(url):
    sent = SentStatements()
    with dbapi.connect(url, **sent.options) as c:
        cur = c.cursor()
        sql = "SELECT %s, %s, %s, %s FROM DUAL WHERE 1 IN %s"
        args = (1, "it's", None, b"\x00\x01", [1, 2])
        text = cur.mogrify(sql, args)
        assert text.startswith("SELECT 1, 'it''s', NULL, ")
        assert text.endswith(" FROM DUAL WHERE 1 IN (1,2)")
        cur.execute(sql, args)
        assert sent[-1] == text
        assert cur.mogrify("SELECT %(a)s", {"a": 2}) == "SELECT 2"
        assert cur.mogrify("SELECT ?", (3,)) == "SELECT 3"
        assert cur.mogrify("SELECT '100%%'") == "SELECT '100%%'"   # no parameters: as is
        assert cur.mogrify("SELECT '100%%' ,%s", (1,)) == "SELECT '100%' ,1"
        with pytest.raises(dbapi.ProgrammingError, match="format style"):
            cur.mogrify("SELECT %s", (1, 2))


# ---------------------------------------------------------------- connect options
def test_unknown_option_is_a_type_error_naming_it(url):
    with pytest.raises(TypeError, match="'no_such_option'"):
        dbapi.connect(url, no_such_option=1)


def test_init_command_and_sql_mode_run_at_connect(url):
    with dbapi.connect(url, init_command="SET @mocore_init = 42",
                       sql_mode="ANSI_QUOTES") as c:
        cur = c.cursor()
        cur.execute("SELECT @mocore_init, @@session.sql_mode")
        v, mode = cur.fetchone()
        assert str(v) == "42" and "ANSI_QUOTES" in mode  # MatrixOne: user variables as text


def test_init_command_error_fails_the_connect(url):
    with pytest.raises(dbapi.ProgrammingError) as ei:
        dbapi.connect(url, init_command="SELECT * FROM no_such_table_init")
    assert ei.value.args[0] == (1064 if server_kind() == "matrixone" else 1146)


def test_autocommit_constructor_callable_and_attribute(url):
    with dbapi.connect(url, autocommit=True) as c:
        assert c.autocommit == True and c.get_autocommit() is True  # noqa: E712
        c.autocommit(False)
        assert not c.autocommit and c.get_autocommit() is False
        cur = c.cursor()
        cur.execute("SELECT @@autocommit")
        assert int(cur.fetchone()[0]) == 0   # MatrixOne: as text
        c.autocommit = True
        cur.execute("SELECT @@autocommit")
        assert int(cur.fetchone()[0]) == 1


def test_duplicate_key_args_is_1062(conn, table_name):
    cur = conn.cursor()
    cur.execute(f"CREATE TABLE {table_name} (id INT PRIMARY KEY)")
    conn.commit()  # MatrixOne's DDL is transactional
    try:
        cur.execute(f"INSERT INTO {table_name} VALUES (%s)", (1,))
        with pytest.raises(dbapi.IntegrityError) as ei:
            cur.execute(f"INSERT INTO {table_name} VALUES (%s)", (1,))
        assert ei.value.args[0] == 1062
        # MatrixOne's SQLSTATE for it is HY000
        assert ei.value.sqlstate == ("HY000" if server_kind() == "matrixone" else "23000")
    finally:
        conn.rollback()
        cur.execute(f"DROP TABLE {table_name}")


def test_select_db_insert_id_lastrowid_rownumber(conn, table_name):
    cur = conn.cursor()
    cur.execute("SELECT DATABASE()")
    db = cur.fetchone()[0]
    conn.select_db("information_schema")
    cur.execute("SELECT DATABASE()")
    assert cur.fetchone()[0].lower() == "information_schema"
    assert conn.database == "information_schema"
    conn.select_db(db)
    cur.execute(f"CREATE TABLE {table_name} (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
    try:
        cur.execute(f"INSERT INTO {table_name} (v) VALUES (%s)", (7,))
        assert cur.lastrowid == conn.insert_id() == 1
        cur.execute(f"INSERT INTO {table_name} (v) VALUES (%s), (%s)", (8, 9))
        # the first id of a multi-row insert (MariaDB, as LAST_INSERT_ID()); MatrixOne: the last
        assert cur.lastrowid == conn.insert_id() == (3 if server_kind() == "matrixone" else 2)
        cur.execute(f"SELECT v FROM {table_name} ORDER BY id")
        assert cur.rownumber == 0
        cur.fetchone()
        assert cur.rownumber == 1
        cur.scroll(1)
        assert cur.rownumber == 2 and cur.fetchone() == (9,)
        with pytest.raises(dbapi.NotSupportedError):
            cur.scroll(0, mode="absolute")
        with pytest.raises(IndexError):
            cur.scroll(5)
    finally:
        cur.execute(f"DROP TABLE {table_name}")


@requires_mariadb("KILL of the own session: MatrixOne's KILL takes other arguments")
def test_ping_reconnect(url):
    with dbapi.connect(url, init_command="SET @mocore_init = 7") as c:
        cur = c.cursor()
        cur.execute("SELECT CONNECTION_ID()")
        first = cur.fetchone()[0]
        with dbapi.connect(url) as killer:
            killer.cursor().execute(f"KILL {first}")
        with pytest.raises(dbapi.OperationalError):
            c.ping()
        assert c.ping(reconnect=True) is True
        cur = c.cursor()
        cur.execute("SELECT CONNECTION_ID(), @mocore_init, @@autocommit")
        again, init, autocommit = cur.fetchone()
        assert again != first and init == 7 and autocommit == 0


def test_timeouts_are_accepted(url):
    with dbapi.connect(url, connect_timeout=5, read_timeout=30, write_timeout=30) as c:
        assert c.ping()


# ---------------------------------------------------------------- ssl dicts
def test_ssl_dicts_map_to_ssl_mode():
    opts = dbapi.client_options({"ssl": {"ca": "/ca.pem"}})
    assert opts["ssl_mode"] == "verify_identity" and opts["ssl_ca"] == "/ca.pem"
    opts = dbapi.client_options({"ssl": {"ca": "/ca.pem", "check_hostname": False}})
    assert opts["ssl_mode"] == "verify_ca"
    import ssl
    opts = dbapi.client_options({"ssl": {"ca": "/ca.pem", "verify_mode": ssl.CERT_NONE}})
    assert opts["ssl_mode"] == "required"
    opts = dbapi.client_options({"ssl": {"cert": "/c.pem", "key": "/k.pem"}})
    assert opts["ssl_mode"] == "required" and opts["ssl_key"] == "/k.pem"
    opts = dbapi.client_options({"ssl": {"verify_mode": "required", "check_hostname": False}})
    assert opts["ssl_mode"] == "verify_ca"
    with pytest.raises(dbapi.NotSupportedError, match="cipher"):
        dbapi.client_options({"ssl": {"ca": "/ca.pem", "cipher": "AES"}})
    assert dbapi.client_options({"ssl_disabled": True})["ssl_mode"] == "disabled"
    assert dbapi.client_options({"ssl_verify_identity": True})["ssl_mode"] == "verify_identity"


# ---------------------------------------------------------------- my.cnf
def test_read_default_file_client_and_named_group(url, tmp_path):
    p = url_parts(url)
    (tmp_path / "inc.cnf").write_text(f"[client]\nport = {p['port']}\n")
    cnf = tmp_path / "my.cnf"
    cnf.write_text(f"""
# comments and options of other programs are fine
[client]
host = {p['host']}
user = nobody
password = "wrong"
default-character-set = utf8mb4
skip-auto-rehash
!include {tmp_path / 'inc.cnf'}

[mocore_app]
user = {p['user']}
password = "{p['password']}"
database = {p['database']}
init-command = SET @from_cnf = 5

[mysql]
pager = less
""")
    with dbapi.connect(read_default_file=str(cnf), read_default_group="mocore_app") as c:
        cur = c.cursor()
        cur.execute("SELECT DATABASE(), @from_cnf")
        db, v = cur.fetchone()
        assert db == p["database"] and str(v) == "5"  # MatrixOne: user variables as text
    # keyword options override the file
    with pytest.raises(dbapi.OperationalError):
        dbapi.connect(read_default_file=str(cnf), read_default_group="mocore_app",
                      password="definitely-wrong")


def test_bad_my_cnf(tmp_path):
    with pytest.raises(dbapi.InterfaceError, match="cannot read"):
        dbapi.connect(read_default_file=str(tmp_path / "missing.cnf"))
    bad = tmp_path / "bad.cnf"
    bad.write_text("host = no section header\n")
    with pytest.raises(dbapi.InterfaceError, match="bad.cnf"):
        dbapi.connect(read_default_file=str(bad))
    latin = tmp_path / "latin.cnf"
    latin.write_text("[client]\ndefault-character-set = latin1\n")
    with pytest.raises(dbapi.NotSupportedError, match="latin1"):
        dbapi.connect(read_default_file=str(latin))


# ---------------------------------------------------------------- local_infile
def test_local_infile_true_allows_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    opts = dbapi.client_options({"local_infile": True})
    assert opts["local_infile_dirs"] == [str(tmp_path)]
    assert "local_infile_dirs" not in dbapi.client_options({"local_infile": False})
    mine = dbapi.client_options({"local_infile": True, "local_infile_dirs": ["/srv"]})
    assert mine["local_infile_dirs"] == ["/srv"]


def test_local_infile_loads_a_file_under_the_working_directory(url, table_name, tmp_path,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.csv").write_text("1,a\n2,b\n")
    with dbapi.connect(url, local_infile=True, autocommit=True) as c:
        cur = c.cursor()
        cur.execute(f"CREATE TABLE {table_name} (id INT, v VARCHAR(5))")
        try:
            n = c.client.load_data.from_local_file(str(tmp_path / "rows.csv"), table_name,
                                                   fields_terminated_by=",")
            assert n == 2
            cur.execute(f"SELECT COUNT(*) FROM {table_name}")
            assert cur.fetchone() == (2,)
            outside = "/etc/hostname"
            with pytest.raises(dbapi.Error):
                c.client.load_data.from_local_file(outside, table_name)
            # the statement itself: the server cannot pick the file, not even this one
            cur.execute(f"DELETE FROM {table_name}")
            with pytest.raises(dbapi.Error) as ei:
                cur.execute(f"LOAD DATA LOCAL INFILE '{tmp_path / 'rows.csv'}' "
                            f"INTO TABLE {table_name} FIELDS TERMINATED BY ','")
            assert ei.value.args[0] == 1148
            cur.execute(f"SELECT COUNT(*) FROM {table_name}")
            assert cur.fetchone() == (0,)
        finally:
            cur.execute(f"DROP TABLE {table_name}")
