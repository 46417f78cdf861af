"""mocore.dbapi — a PEP 249 (DB-API 2.0) driver on the mocore C core.

    import mocore.dbapi as dbapi
    conn = dbapi.connect("mysql://user:pw@127.0.0.1:3306/db")   # or host=..., user=..., ...
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM t WHERE id > ?", (10,))
    for row in cur:
        print(row)
    cur.executemany("INSERT INTO t (name) VALUES (?)", [("a",), ("b",)])   # one statement
    conn.commit()

Placeholders. ``paramstyle`` is declared ``qmark``, and PyMySQL's and mysqlclient's ``%s``
(format) and ``%(name)s`` (pyformat) are accepted as well, so their code runs unchanged:

    cur.execute("SELECT * FROM t WHERE id = %s AND name = %s", (1, "a"))
    cur.execute("SELECT * FROM t WHERE id = %(id)s", {"id": 1})
    cur.execute("SELECT * FROM t WHERE id IN %s", ([1, 2, 3],))     # -> IN (1,2,3)

Why ``qmark`` is the declared one: ``?`` is the C core's own form (it substitutes typed values
itself: strings escaped for every sql_mode, blobs as hex literals), so what reads
``paramstyle`` to generate SQL (SQLAlchemy's generic dialects) hands its statements straight to
C, and literal ``%`` signs (``LIKE 'a%'``, ``DATE_FORMAT(d, '%Y')``) need no doubling. The
style of a statement is read from the statement and its parameters, by the C core's lexer
(placeholders inside literals, quoted identifiers and comments are none):

* a mapping: pyformat, ``%(name)s``;
* a sequence: format when the statement has ``%s``, qmark when it has ``?`` (both: an error);
* no parameters (None, or none given): the SQL is sent as it is, ``%%`` included, as PyMySQL
  sends it.

In the format and pyformat styles PyMySQL's rules hold: each placeholder takes one value; a
list or tuple value becomes a parenthesized list of its items (``IN %s``; ``()`` when empty);
``%%`` is one ``%`` (also inside literals) whenever parameters are given, even an empty
tuple: the one place where a statement without placeholders is read differently from qmark.
A ``%`` before anything else stays as it is (Python's ``%`` would refuse it). Either way the
placeholders become ``?`` for the C core and the values are rendered by it, never pasted into
the text in Python. A count mismatch names the style it saw ("statement has 1 %s placeholder
(format style) but 2 parameters were given").

Errors follow PyMySQL and mysqlclient: ``e.args == (errno, message)`` (the server's error
number, 0 for a client-side error), with ``e.errno``, ``e.sqlstate`` and mocore's ``category``
and ``operation``.

Connecting: ``host="localhost"`` means TCP to localhost:port as in PyMySQL; a Unix socket only
when ``unix_socket=`` is given (or ``transport="socket"``). A connect failure names its cause
in the words people search for ("connection refused", "timed out").

Transactions follow PEP 249: a connection starts with autocommit off (``SET autocommit=0`` on
the server, as mysqlclient does), so the server opens a transaction with the first statement
and ``commit()`` / ``rollback()`` end it. ``conn.autocommit = True`` switches the server to
autocommit. Everything runs on ONE server connection (a ``mocore.Client``), so session
variables (isolation level, sql_mode, time zone) and the transaction are shared by the
cursors of the connection and by the mocore managers bound to it (``conn.client``).

``executemany`` of ``INSERT/REPLACE ... VALUES (...)`` sends multi-row statements, each kept
under the server's ``max_allowed_packet``; other statements run once per parameter row.
``execute`` and ``executemany`` return ``rowcount``, as mysqlclient and PyMySQL do.

mysqlclient's and PyMySQL's surface (docs/python-dbapi.md, "mysqlclient compatibility"):
the cursor classes DictCursor, SSCursor and SSDictCursor (also in ``mocore.dbapi.cursors``;
``connect(cursorclass=...)``, ``conn.cursor(DictCursor)``), ``cursor.mogrify`` (the text the C
core renders), ``init_command``, ``sql_mode``, ``ssl={...}``, ``read_default_file`` /
``read_default_group``, ``local_infile``, ``conn.autocommit(True)``, ``select_db``,
``ping(reconnect=True)``, ``insert_id()``, ``cursor.scroll`` (forward). An unknown option is a
TypeError.

Column values are the native types of the mocore binding (int, float, Decimal, str, bytes,
date, datetime, timedelta for TIME). ``description`` type codes are mocore column types
(``mocore.mocore_core.MO_TYPE_*``); compare them with STRING, BINARY, NUMBER, DATETIME,
ROWID."""

import datetime as _dt
from collections.abc import Mapping as _Mapping
import re as _re
import time as _time

from . import mocore_core as _core
from . import Client as _Client, Result as _Result, _params
from .errors import (Warning, Error, InterfaceError, DatabaseError, DataError,  # noqa: F401
                     OperationalError, IntegrityError, InternalError, ProgrammingError,
                     NotSupportedError)

__all__ = ["apilevel", "threadsafety", "paramstyle", "connect", "Connection", "Cursor",
           "DictCursor", "SSCursor", "SSDictCursor",
           "Warning", "Error", "InterfaceError", "DatabaseError", "DataError",
           "OperationalError", "IntegrityError", "InternalError", "ProgrammingError",
           "NotSupportedError", "Date", "Time", "Timestamp", "DateFromTicks", "TimeFromTicks",
           "TimestampFromTicks", "Binary", "STRING", "BINARY", "NUMBER", "DATETIME", "ROWID"]

apilevel = "2.0"
#: Threads may share the module, not connections (a connection is one server session; the
#: C core reports concurrent use of one connection as InterfaceError instead of corrupting it).
threadsafety = 1
#: The C core's own placeholder; ``%s`` and ``%(name)s`` are accepted too (module docstring).
paramstyle = "qmark"
__version__ = _core.mo_version_string()


# ---------------------------------------------------------------- types and constructors
class DBAPITypeObject:
    """A PEP 249 type object: equal to every mocore column type code it groups."""

    def __init__(self, name, *codes):
        self.name = name
        self.values = frozenset(codes)

    def __eq__(self, other):
        if isinstance(other, DBAPITypeObject):
            return self.values == other.values
        return other in self.values

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.values)

    def __repr__(self):
        return f"<DBAPITypeObject {self.name}>"


STRING = DBAPITypeObject("STRING", _core.MO_TYPE_TEXT, _core.MO_TYPE_JSON, _core.MO_TYPE_ENUM,
                         _core.MO_TYPE_SET, _core.MO_TYPE_UUID, _core.MO_TYPE_VECTOR)
BINARY = DBAPITypeObject("BINARY", _core.MO_TYPE_BLOB, _core.MO_TYPE_GEOMETRY)
NUMBER = DBAPITypeObject("NUMBER", _core.MO_TYPE_INT8, _core.MO_TYPE_INT16, _core.MO_TYPE_INT24,
                         _core.MO_TYPE_INT32, _core.MO_TYPE_INT64, _core.MO_TYPE_FLOAT,
                         _core.MO_TYPE_DOUBLE, _core.MO_TYPE_DECIMAL, _core.MO_TYPE_YEAR,
                         _core.MO_TYPE_BIT)
DATETIME = DBAPITypeObject("DATETIME", _core.MO_TYPE_DATE, _core.MO_TYPE_TIME,
                           _core.MO_TYPE_DATETIME, _core.MO_TYPE_TIMESTAMP)
#: MySQL-family servers have no row-id column type: ROWID equals no type code.
ROWID = DBAPITypeObject("ROWID")

Date = _dt.date
Time = _dt.time
Timestamp = _dt.datetime
Binary = bytes


def DateFromTicks(ticks):
    return Date(*_time.localtime(ticks)[:3])


def TimeFromTicks(ticks):
    return Time(*_time.localtime(ticks)[3:6])


def TimestampFromTicks(ticks):
    return Timestamp(*_time.localtime(ticks)[:6])


# ---------------------------------------------------------------- INSERT ... VALUES splitting
def _split_insert(sql):
    """For ``INSERT|REPLACE ... VALUES (row)[ tail]``: (head, row, tail, placeholders in row),
    where head ends after VALUES and neither head nor tail holds a placeholder, as the C
    core's lexer reads the statement (mo_sql_insert_row). None when the statement is not of
    that shape or its row has no placeholder (then executemany runs it once per row)."""
    split = _core.mo_py_insert_row(sql)
    return split if split is not None and split[3] else None


_HEX_FORM = b"\\\0\x1a"   # a text holding one of these is sent as a hex literal (_utf8mb4 X'..')


# The bound for the types whose rendering has a fixed maximum length (a float or a date/time
# type renders in at most 32 characters), found by one dict lookup.
_FIXED_SIZE = {type(None): 5, bool: 5, int: 21, float: 96, _dt.date: 96, _dt.datetime: 96,
               _dt.time: 96, _dt.timedelta: 96}


def _rendered_size(value):
    """An upper bound of the bytes the C core renders for one parameter value."""
    n = _FIXED_SIZE.get(type(value))
    if n is not None:
        return n
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 21
    if isinstance(value, str):
        b = value.encode("utf-8", "surrogatepass")
        if len(b.translate(None, _HEX_FORM)) != len(b):
            return 2 * len(b) + 17  # two digits a byte + "CAST(X'' AS CHAR)" or "_utf8mb4 X''"
        return len(b) + 2 + b.count(b"'")  # quotes doubled
    if isinstance(value, (bytes, bytearray, memoryview)):
        return 2 * len(value) + 3
    if isinstance(value, (list, tuple)):
        return 2 + 26 * len(value)
    if isinstance(value, dict):
        import json
        return 2 * len(json.dumps(value).encode()) + 2
    return 64 + len(str(value))  # Decimal, subclasses of float and date/time: short texts


def _row_size(row):
    """The sum of _rendered_size over a parameter row; executemany calls it for every row,
    so the fixed-width types are sized by the lookup alone, without a call per value."""
    size = 0
    for v in row:
        n = _FIXED_SIZE.get(type(v))
        size += n if n is not None else _rendered_size(v)
    return size


# ---------------------------------------------------------------- connection
#: connect()'s keyword options: the mocore.Client ones (mo_config_set's keys and the Client
#: arguments), the spellings mysqlclient and PyMySQL use, and what this module handles itself
#: (_CONNECTION_ONLY). Any other name is a TypeError, as an unknown keyword argument is.
_CLIENT_OPTIONS = frozenset((
    "host", "port", "user", "password", "database", "account", "role", "unix_socket",
    "transport", "connect_timeout", "read_timeout", "write_timeout", "connect_timeout_ms",
    "read_timeout_ms", "write_timeout_ms", "ssl_mode", "ssl_ca", "ssl_cert", "ssl_key",
    "log_mode", "slow_query_threshold", "max_sql_display_length", "dry_run", "server_kind",
    "logger", "on_connect", "local_infile_dirs", "db", "passwd", "schema"))
_DRIVER_OPTIONS = frozenset((
    "charset", "client_flag", "use_unicode", "local_infile", "ssl", "ssl_verify_cert",
    "ssl_verify_identity", "ssl_disabled", "read_default_file", "read_default_group"))
#: kept by client_options for the Connection (a Client does not take them)
_CONNECTION_ONLY = frozenset(("init_command", "sql_mode", "cursorclass"))

# my.cnf option -> connect() option (MySQL spells - and _ alike); other options of the
# groups (pager, prompt, ... shared by every MySQL program) mean nothing to a driver
_MYCNF = {"host": "host", "port": "port", "user": "user", "password": "password",
          "database": "database", "socket": "unix_socket",
          "default_character_set": "charset", "connect_timeout": "connect_timeout",
          "ssl_ca": "ssl_ca", "ssl_cert": "ssl_cert", "ssl_key": "ssl_key",
          "ssl_mode": "ssl_mode", "init_command": "init_command"}

# PyMySQL's ssl={"verify_mode": ...} spellings (ssl.CERT_NONE/OPTIONAL/REQUIRED are 0/1/2)
_VERIFY_MODES = {"none": False, "0": False, "false": False, "no": False,
                 "optional": True, "1": True, "required": True, "2": True, "true": True,
                 "yes": True}


def _read_my_cnf(path, group):
    """The options of groups [client] and [group] (the latter wins) of the option file
    ``path``, as connect() options, read the way mysqlclient's C library reads them:
    ``!include FILE`` and ``!includedir DIR`` (its *.cnf files) are followed, a value in
    quotes loses them, options without a value are allowed. A file that cannot be read or
    parsed is an InterfaceError naming it."""
    import configparser
    import glob
    import os

    def lines_of(file, depth):
        try:
            with open(os.path.expanduser(file), encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise InterfaceError(f"read_default_file: cannot read {file!r}: {e.strerror}", 0,
                                 "", "dbapi.connect", "invalid_argument") from None
        out = []
        for line in text.splitlines():
            word = line.strip().split(None, 1)
            if word and word[0] in ("!include", "!includedir") and len(word) == 2 and depth < 10:
                target = os.path.expanduser(word[1].strip())
                files = ([target] if word[0] == "!include"
                         else sorted(glob.glob(os.path.join(target, "*.cnf"))))
                for inc in files:
                    out.extend(lines_of(inc, depth + 1))
            else:
                out.append(line)
        return out

    cfg = configparser.RawConfigParser(allow_no_value=True, strict=False,
                                       inline_comment_prefixes=("#",))
    try:
        cfg.read_string("\n".join(lines_of(path, 0)), source=path)
    except configparser.Error as e:
        raise InterfaceError(f"read_default_file {path!r}: {e.message}", 0, "",
                             "dbapi.connect", "invalid_argument") from None
    found = {}
    for section in ("client", group):
        if section and cfg.has_section(section):
            for key, value in cfg.items(section):
                name = _MYCNF.get(key.replace("-", "_"))
                if name is None or value is None:
                    continue
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                found[name] = value
    return found


def _ssl_options(ssl, options):
    """PyMySQL's and mysqlclient's ssl={...} into mocore's ssl_* options: ca, cert, key;
    check_hostname (default True) and verify_mode (ssl.CERT_* or PyMySQL's words) decide
    the verification. A key mocore has no counterpart for is refused by name."""
    if not isinstance(ssl, _Mapping):
        raise NotSupportedError("ssl must be a dict of ca, cert, key, check_hostname, "
                                "verify_mode", 0, "", "dbapi.connect", "unsupported")
    unknown = sorted(set(ssl) - {"ca", "cert", "key", "check_hostname", "verify_mode"})
    if unknown:
        raise NotSupportedError(f"ssl: {', '.join(unknown)} not supported (mocore takes ca, "
                                "cert, key, check_hostname, verify_mode)", 0, "",
                                "dbapi.connect", "unsupported")
    for key in ("ca", "cert", "key"):
        if ssl.get(key):
            options["ssl_" + key] = ssl[key]
    verify = ssl.get("verify_mode")
    if verify is None:
        verify = bool(ssl.get("ca"))            # PyMySQL: CERT_REQUIRED with a CA
    elif not isinstance(verify, bool):
        verify = _VERIFY_MODES.get(str(int(verify) if isinstance(verify, int) else verify)
                                   .lower(), True)
    if options.get("ssl_mode") is None:
        options["ssl_mode"] = ("required" if not verify else
                               "verify_identity" if ssl.get("check_hostname", True)
                               else "verify_ca")


def client_options(options, dsn=None):
    """connect()'s keyword options made mocore.Client options (a new dict), plus the
    _CONNECTION_ONLY ones the Connection takes out (connection_options). Option-file values
    (read_default_file) come first, keyword options override them. Options other drivers
    accept that mean nothing here (the wire is always utf8mb4, FOUND_ROWS is always on) are
    accepted and dropped so code and URLs written for them work; an unknown name is a
    TypeError. The transport is PyMySQL's: TCP (also to "localhost") unless a Unix socket
    is asked for."""
    unknown = sorted(set(options) - _CLIENT_OPTIONS - _DRIVER_OPTIONS - _CONNECTION_ONLY)
    if unknown:
        raise TypeError(f"connect() got an unexpected keyword argument {unknown[0]!r}")
    options = dict(options)
    cnf = options.pop("read_default_file", None)
    group = options.pop("read_default_group", None)
    if cnf:
        merged = _read_my_cnf(cnf, group)
        if options.get("db") is not None or options.get("schema") is not None:
            merged.pop("database", None)
        if options.get("passwd") is not None:
            merged.pop("password", None)
        merged.update((k, v) for k, v in options.items() if v is not None)
        options = merged
    if (options.get("transport") is None and not options.get("unix_socket")
            and not _url_names_socket(dsn)):
        options["transport"] = "tcp"
    charset = options.pop("charset", None)
    if charset and charset.lower() not in ("utf8mb4", "utf8", "utf8mb3"):
        raise NotSupportedError(f"mocore always talks utf8mb4, not {charset!r}", 0, "",
                                "dbapi.connect", "unsupported")
    for key in ("client_flag", "use_unicode"):
        options.pop(key, None)
    if options.pop("local_infile", None) and options.get("local_infile_dirs") is None:
        # mysqlclient's local_infile=1: LOAD DATA LOCAL allowed; mocore allows it for the
        # files under its allowed directories: the working directory (docs/python-dbapi.md)
        import os
        options["local_infile_dirs"] = [os.getcwd()]
    if options.pop("ssl_disabled", None):
        options.setdefault("ssl_mode", "disabled")
    verify_cert = options.pop("ssl_verify_cert", None)
    verify_identity = options.pop("ssl_verify_identity", None)
    if options.get("ssl_mode") is None and (verify_cert or verify_identity):
        options["ssl_mode"] = "verify_identity" if verify_identity else "verify_ca"
    ssl = options.pop("ssl", None)
    if ssl:
        _ssl_options(ssl, options)
    return options


def connection_options(options):
    """Take the _CONNECTION_ONLY options (init_command, sql_mode, cursorclass) out of the
    result of client_options: (client options, connection options)."""
    options = dict(options)
    return options, {k: options.pop(k) for k in _CONNECTION_ONLY if k in options}


def connect(dsn=None, *, autocommit=False, **options):
    """Open a connection. ``dsn`` is a mocore URL ("mysql://user:pw@host:port/db?opt=val",
    also "matrixone://..."); keyword options are the mocore.Client options (host, port, user,
    password, database, unix_socket, connect_timeout, read_timeout, write_timeout, ssl_mode,
    ssl_ca, ssl_cert, ssl_key, account, role, log_mode, dry_run, server_kind...) plus the
    spellings other drivers use (db, passwd), and mysqlclient's and PyMySQL's options:
    charset, ssl={...}, ssl_disabled, ssl_verify_cert, ssl_verify_identity, init_command,
    sql_mode, cursorclass, read_default_file, read_default_group, local_infile (module
    docstring). ``autocommit`` (default False, as PEP 249 asks). Any other keyword is a
    TypeError."""
    return Connection(dsn, autocommit=autocommit, **options)


class _Autocommit:
    """``conn.autocommit``: equal to the mode (a bool) and, called, the setter, so that both
    ``conn.autocommit = True`` (PEP 249 drivers, SQLAlchemy) and ``conn.autocommit(True)``
    (mysqlclient, PyMySQL) work."""

    __slots__ = ("_conn", "_on")

    def __init__(self, conn):
        self._conn = conn
        self._on = conn._autocommit

    def __call__(self, on):
        self._conn._set_autocommit(on)

    def __bool__(self):
        return bool(self._on)

    def __eq__(self, other):
        return self._on == other

    def __hash__(self):
        return hash(self._on)

    def __repr__(self):
        return repr(self._on)


class Connection:
    """A PEP 249 connection: one server session (see the module docstring)."""

    Warning = Warning
    Error = Error
    InterfaceError = InterfaceError
    DatabaseError = DatabaseError
    DataError = DataError
    OperationalError = OperationalError
    IntegrityError = IntegrityError
    InternalError = InternalError
    ProgrammingError = ProgrammingError
    NotSupportedError = NotSupportedError

    def __init__(self, dsn=None, *, autocommit=False, client=None, **options):
        options, extra = connection_options(client_options(options, dsn))
        self._dsn = dsn
        self._client_opts = options
        self._init_command = extra.get("init_command")
        self._sql_mode = extra.get("sql_mode")
        self.cursorclass = extra.get("cursorclass") or Cursor
        self._client = client if client is not None else _Client(dsn, **options)
        self._options_database = options.get("database") or options.get("db") or (
            _database_of(dsn) if isinstance(dsn, str) else None)
        self._autocommit = None
        self._max_packet = None
        self._insert_id = 0
        self.messages = []
        self._session_setup(bool(autocommit))

    def _session_setup(self, autocommit):
        """What a new server session gets before use, as mysqlclient does it: sql_mode, then
        init_command, then the autocommit mode."""
        if self._sql_mode is not None:
            self._client.execute("SET sql_mode = ?", [self._sql_mode]).close()
        if self._init_command:
            self._client.execute(self._init_command).close()
        self._autocommit = None
        self._set_autocommit(autocommit)

    # ---- state
    def _check(self):
        if self._client is None:
            raise InterfaceError("the connection is closed", 0, "", "connection", "misuse")
        return self._client

    @property
    def closed(self):
        return self._client is None

    @property
    def client(self):
        """The mocore.Client underneath: its managers run on this very connection and in its
        transaction."""
        return self._check()

    def _set_autocommit(self, on):
        on = bool(on)
        if on != self._autocommit:
            self._check().execute("SET autocommit=1" if on else "SET autocommit=0")
            self._autocommit = on

    @property
    def autocommit(self):
        """The autocommit mode, settable (``conn.autocommit = True``), and callable as in
        mysqlclient and PyMySQL (``conn.autocommit(True)``): an _Autocommit, equal to the
        bool."""
        return _Autocommit(self)

    @autocommit.setter
    def autocommit(self, on):
        self._set_autocommit(on)

    def get_autocommit(self):  # mysqlclient spelling
        return self._autocommit

    def select_db(self, db):
        """``USE db`` (mysqlclient, PyMySQL); ``database`` follows."""
        self._check().execute("USE `" + str(db).replace("`", "``") + "`").close()
        self._options_database = db

    def insert_id(self):
        """The AUTO_INCREMENT value the connection's last statement generated (0 when it
        generated none), as mysql_insert_id()."""
        self._check()
        return self._insert_id

    @property
    def server_version(self):
        return self._check().server_version

    @property
    def server_kind(self):
        return self._check().server_kind

    @property
    def max_allowed_packet(self):
        """The server's max_allowed_packet (read once per connection); settable to split
        executemany statements smaller."""
        if self._max_packet is None:
            self._max_packet = self._check().max_allowed_packet
        return self._max_packet

    @max_allowed_packet.setter
    def max_allowed_packet(self, n):
        self._max_packet = int(n) if n else None

    @property
    def dry_run(self):
        """True for a dry-run connection: statements are journaled (``client.journal``),
        nothing is sent, and results are empty."""
        c = self._check()
        return c.connection_id == 0 and not c.server_version

    @property
    def database(self):
        """The database given at connect (None when none was); ``USE`` is not tracked."""
        return self._options_database

    def character_set_name(self):
        return "utf8mb4"

    # ---- PEP 249
    def cursor(self, cursorclass=None, stream=False):
        """A new cursor of ``cursorclass`` (mysqlclient's and PyMySQL's
        ``conn.cursor(DictCursor)``; default: connect()'s ``cursorclass=``, else Cursor).
        ``stream=True`` (or an SSCursor class): a server-side (unbuffered) cursor that
        reads rows from the wire as they are fetched."""
        self._check()
        if isinstance(cursorclass, bool):   # the former cursor(stream) positional form
            cursorclass, stream = None, cursorclass
        cls = cursorclass or self.cursorclass
        if not (isinstance(cls, type) and issubclass(cls, Cursor)):
            raise ProgrammingError(f"cursorclass must be a mocore.dbapi cursor class, not "
                                   f"{cls!r}", 0, "", "connection.cursor", "invalid_argument")
        return cls(self, stream=stream or cls._server_side)

    def _execute_sets(self, client, operation, parameters):
        """Run a statement reading every result set it returns (a CALL), chained for
        mo_result_next_set. (Overridden where the wait goes to an event loop:
        mocore.sqlalchemy_async.)"""
        h = _core.mo_client_execute_ex(client._handle(), operation, _params(parameters),
                                       _core.MO_EXEC_MORE_RESULTS)
        return _Result(h)

    def commit(self):
        self._check().execute("COMMIT")

    def rollback(self):
        self._check().execute("ROLLBACK")

    def close(self):
        """Close the connection; an open transaction is rolled back by the server. Closing
        twice is allowed."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def ping(self, reconnect=False):
        """Check the server answers. ``reconnect=True`` (PyMySQL): when it does not, open a
        new session with the same options (sql_mode, init_command and the autocommit mode
        are set again; the old session's transaction and variables are gone) instead of
        raising. Default False, as mysqlclient: a lost session is reported."""
        client = self._check()
        try:
            client.ping()
        except Error:  # OperationalError; MisuseError once the loss was seen before
            if not reconnect:
                raise
            if type(client) is not _Client:  # the asyncio dialect's client: no reconnect
                raise
            autocommit = self._autocommit
            self._client = None
            client.close()
            self._client = _Client(self._dsn, **self._client_opts)
            self._session_setup(autocommit)
        return True

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, exc_type, exc, tb):
        """Commit on normal exit, roll back on an exception; then close."""
        try:
            if self._client is not None:
                if exc_type is None:
                    self.commit()
                else:
                    try:
                        self.rollback()
                    except Error:
                        pass  # the original exception matters more
        finally:
            self.close()
        return False


# ---------------------------------------------------------------- cursor
class Cursor:
    """A PEP 249 cursor. Results are buffered (all rows read by execute) unless the cursor
    was made with ``stream=True`` (SSCursor). Rows are tuples (DictCursor: dicts)."""

    _server_side = False   # SSCursor, SSDictCursor: True

    def __init__(self, connection, stream=False):
        self.connection = connection
        self.arraysize = 1
        self._stream = bool(stream) or self._server_side
        self._result = None
        self._stream_rows = None  # iter(result) of a stream: Client streaming's batches
        self._description = None
        self._rowcount = -1
        self._lastrowid = None
        self._rownumber = None
        self._closed = False
        self._sets = []          # further result sets already read (callproc)
        self.messages = []

    # ---- attributes
    @property
    def description(self):
        return self._description

    @property
    def rowcount(self):
        return self._rowcount

    @property
    def lastrowid(self):
        return self._lastrowid

    @property
    def server_side(self):
        """True for a streaming (server-side, unbuffered) cursor."""
        return self._stream

    @property
    def rownumber(self):
        return self._rownumber

    def setinputsizes(self, sizes):
        """Accepted and ignored (PEP 249 allows it): values are typed by their Python type."""

    def setoutputsize(self, size, column=None):
        """Accepted and ignored (PEP 249 allows it): values are never truncated."""

    # ---- execution
    def _client(self):
        if self._closed:
            raise ProgrammingError("the cursor is closed", 0, "", "cursor", "misuse")
        return self.connection._check()

    def _reset(self):
        if self._result is not None:
            self._result.close()
        self._result = None
        self._stream_rows = None
        self._sets = []
        self._description = None
        self._rowcount = -1
        self._lastrowid = None
        self._rownumber = None

    def _run(self, client, operation, parameters):
        if parameters is not None:
            operation, parameters = _placeholders(operation, parameters, "cursor.execute")
        if not self._stream and _is_call(operation):
            # a CALL may return several result sets: keep them for nextset()
            return self.connection._execute_sets(client, operation,
                                                 parameters if parameters else None)
        return client.execute(operation, parameters if parameters else None,
                              stream=self._stream)

    def _take(self, result):
        self._result = result
        h = result._h
        if _core.mo_result_column_count(h):
            # (name, type_code, None, display_size, precision, scale, null_ok) per column, in
            # one C call; precision and scale only for DECIMAL, FLOAT and DOUBLE
            self._description = _core.mo_py_describe(h)
            self._rownumber = 0
            self._rowcount = -1 if self._stream else result.rowcount
            if self._stream and type(result) is _Result:
                # rows one at a time (fetchone, iteration) come from the iteration of
                # mocore.Result, which reads a stream 1024 rows per C call
                self._stream_rows = iter(result)
        else:
            self._rowcount = result.rowcount
        self._lastrowid = result.lastrowid
        self.connection._insert_id = self._lastrowid or 0

    def execute(self, operation, parameters=None):
        """Run one statement; ``?`` placeholders are filled from the ``parameters`` sequence
        (none given: the SQL is sent as is). Returns ``rowcount``, as mysqlclient and PyMySQL
        do (affected rows; rows of a buffered SELECT; -1 for a stream)."""
        client = self._client()
        self._reset()
        self._take(self._run(client, operation, parameters))
        return self._rowcount

    def executemany(self, operation, seq_of_parameters):
        """Run the statement for every parameter sequence. An ``INSERT/REPLACE ... VALUES
        (...)`` becomes multi-row statements, each under max_allowed_packet; rowcount is the
        total of affected rows, which it returns (as mysqlclient and PyMySQL)."""
        client = self._client()
        self._reset()
        rows = [p if isinstance(p, (list, tuple)) else _sequence(p, "cursor.executemany")
                for p in seq_of_parameters]
        if not rows:
            self._rowcount = 0
            return self._rowcount
        if "%" in operation or isinstance(rows[0], _Mapping):
            # format/pyformat: each row in the `?` form; one template when they agree (no
            # row expands a list differently), else the rows run one by one
            done = [_placeholders(operation, r, "cursor.executemany") for r in rows]
            if any(d[0] != done[0][0] for d in done):
                return self._finish_many(self._each(
                    done, lambda d: client.execute(d[0], d[1] if d[1] else None)))
            operation = done[0][0]
            rows = [d[1] for d in done]
        split = _split_insert(operation) if len(rows) > 1 else None
        total = 0
        if split is not None and all(len(r) == split[3] for r in rows):
            head, group, tail, _ = split
            limit = self.connection.max_allowed_packet - 1024  # packet header, safety
            base = len(head.encode()) + len(tail.encode())
            group_len = len(group.encode()) + 1
            chunk, size = [], base
            for r in rows:
                row_size = group_len + _row_size(r)
                if chunk and size + row_size > limit:
                    total += self._insert_rows(client, head, group, tail, chunk)
                    chunk, size = [], base
                chunk.append(r)
                size += row_size
            total += self._insert_rows(client, head, group, tail, chunk)
        else:
            total = self._each(rows, lambda r: self._run(client, operation, r))
        return self._finish_many(total)

    def _each(self, items, run):
        """Run each item one by one (run(item) -> a result): the summed row count; the last
        insert id is the last statement's."""
        total = 0
        for item in items:
            res = run(item)
            total += res.rowcount
            self._lastrowid = res.lastrowid
            res.close()
        return total

    def _finish_many(self, total):
        self._rowcount = total
        self.connection._insert_id = self._lastrowid or 0
        return self._rowcount

    def _insert_rows(self, client, head, group, tail, chunk):
        sql = head + ",".join([group] * len(chunk)) + tail
        flat = [v for r in chunk for v in r]
        res = client.execute(sql, flat)
        self._lastrowid = res.lastrowid
        n = res.rowcount
        res.close()
        return n

    def callproc(self, procname, parameters=()):
        """CALL a stored procedure. Every parameter goes through a user variable
        (@_<procname>_<i>), so OUT and INOUT values come back: the returned sequence holds
        the values after the call. The procedure's first result set, if any, is fetchable."""
        client = self._client()
        self._reset()
        params = list(parameters)
        name = _quote_routine(procname)
        var = procname.replace(".", "_").replace("$", "_")
        names = [f"@_{var}_{i}" for i in range(len(params))]
        for n, v in zip(names, params):
            client.execute(f"SET {n} = ?", [v]).close()
        stream, self._stream = self._stream, False
        try:
            result = self._run(client, f"CALL {name}({', '.join(names)})", None)
        finally:
            self._stream = stream
        # the sets are taken off the chain now, so nextset() walks them after the OUT values
        # are read back
        sets = []
        h = _core.mo_result_next_set(result._h)
        while h is not None:
            sets.append(_Result(h))
            h = _core.mo_result_next_set(h)
        out = list(client.execute("SELECT " + ", ".join(names)).fetchone()) if params else []
        self._take(result)
        self._sets = sets
        return out

    def nextset(self):
        """Move to the next result set of the last statement (a CALL returns one per SELECT
        in the procedure, then one without rows for the CALL itself): True, or None when
        there is none. Rows left in the current set are discarded."""
        self._client()
        if self._result is None:
            return None
        if self._sets:
            nxt = self._sets.pop(0)
        else:
            h = _core.mo_result_next_set(self._result._h) if self._result._h is not None else None
            nxt = _Result(h) if h is not None else None
        if nxt is None:
            return None
        rest = self._sets
        self._reset()
        self._sets = rest
        self._take(nxt)
        return True

    # ---- fetching
    def _rows(self):
        self._client()
        if self._result is None:
            raise ProgrammingError("no statement was executed", 0, "", "cursor.fetch",
                                   "misuse")
        if self._description is None:
            raise ProgrammingError("the last statement returned no rows", 0, "",
                                   "cursor.fetch", "misuse")
        return self._result

    def fetchone(self):
        if self._stream_rows is not None:
            return self._stream_next()
        res = self._result
        if (type(res) is _Result and not self._closed and self._description is not None
                and self.connection._client is not None):
            # what _rows() checks holds (cursor and connection open, the statement returned
            # rows): take the next row mocore.Result has converted already (it reads a
            # buffered result ahead) without the calls of the general path
            row = next(res._ready, None)
            if row is not None:
                self._rownumber += 1
                return row
        row = self._rows().fetchone()
        if row is not None:
            self._rownumber += 1
        elif self._stream:
            self._rowcount = self._rownumber
        return row

    def _stream_next(self):
        self._rows()
        row = next(self._stream_rows, None)
        if row is None:
            self._rowcount = self._rownumber
        else:
            self._rownumber += 1
        return row

    def mogrify(self, operation, parameters=None):
        """The statement exactly as execute() would send it: the placeholders (?, %s or
        %(name)s) replaced by the values as the C core renders them for this connection
        (mo_executor_render_sql); nothing is sent. Without parameters: ``operation``."""
        client = self._client()
        if parameters is None:
            return operation
        operation, values = _placeholders(operation, parameters, "cursor.mogrify")
        return _core.mo_executor_render_sql(client._executor(), operation,
                                            _params(values) if values else None)

    def scroll(self, value, mode="relative"):
        """Move by ``value`` rows ("relative") or to row ``value`` ("absolute"), forward
        only: the skipped rows are read and dropped (a buffered result's converted rows are
        not kept, a stream's are gone). Backward: NotSupportedError. Past the end of a
        buffered result: IndexError, as in mysqlclient."""
        self._rows()
        if mode == "relative":
            target = self._rownumber + value
        elif mode == "absolute":
            target = value
        else:
            raise ProgrammingError(f"unknown scroll mode {mode!r}", 0, "", "cursor.scroll",
                                   "invalid_argument")
        if target < self._rownumber:
            raise NotSupportedError("scroll backward is not supported (rows are read once)",
                                    0, "", "cursor.scroll", "unsupported")
        if not self._stream and target > self._rowcount:
            raise IndexError("out of range")
        while self._rownumber < target:
            if Cursor.fetchone(self) is None:
                raise IndexError("out of range")

    def fetchmany(self, size=None):
        rows = self._rows().fetchmany(self.arraysize if size is None else size)
        self._rownumber += len(rows)
        if self._stream and len(rows) < (self.arraysize if size is None else size):
            self._rowcount = self._rownumber
        return rows

    def fetchall(self):
        rows = self._rows().fetchall()
        self._rownumber += len(rows)
        if self._stream:
            self._rowcount = self._rownumber
        return rows

    def __iter__(self):
        # A stream of tuples is iterated by a generator over the result's batches (mocore.Result
        # converts 1024 rows per C call), not by one __next__ call per row; a subclass with
        # rows of its own shape (DictCursor) keeps __next__.
        if self._stream_rows is not None and type(self).__next__ is Cursor.__next__:
            return self._stream_iter(self._stream_rows)
        return self

    def _stream_iter(self, rows):
        conn = self.connection
        for row in rows:
            if self._closed or conn._client is None:
                self._client()  # raises: the cursor or the connection was closed in the loop
            if self._stream_rows is not rows:
                # another execute in the loop body: go on with its rows, as __next__ does
                yield from iter(self.__next__, None)
                return
            self._rownumber += 1
            yield row
        if self._stream_rows is rows:
            self._rowcount = self._rownumber

    def __next__(self):
        if self._stream_rows is not None:
            row = self._stream_next()
            if row is None:
                raise StopIteration
            return row
        res = self._result
        if (type(res) is _Result and not self._closed and self._description is not None
                and self.connection._client is not None):
            row = next(res._ready, None)  # the fast path of fetchone
            if row is not None:
                self._rownumber += 1
                return row
        row = Cursor.fetchone(self)
        if row is None:
            raise StopIteration
        return row

    def close(self):
        """Release the result (a streaming one is drained). Closing twice is allowed."""
        if self._result is not None:
            self._result.close()
            self._result = None
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class DictCursor(Cursor):
    """Rows as dicts {column name: value} (mysqlclient's and PyMySQL's DictCursor; a later
    column of the same name overwrites an earlier one: alias them)."""

    def _names(self):
        d = self._description
        return [c[0] for c in d] if d is not None else None

    def fetchone(self):
        row = Cursor.fetchone(self)
        return None if row is None else dict(zip(self._names(), row))

    def fetchmany(self, size=None):
        names = self._names()
        return [dict(zip(names, r)) for r in Cursor.fetchmany(self, size)]

    def fetchall(self):
        names = self._names()
        return [dict(zip(names, r)) for r in Cursor.fetchall(self)]

    def __next__(self):
        return dict(zip(self._names(), Cursor.__next__(self)))


class SSCursor(Cursor):
    """A server-side (unbuffered) cursor: rows are read from the wire as fetched, one at a
    time in batches of up to 1024 rows per C call (mysqlclient's and PyMySQL's SSCursor)."""

    _server_side = True


class SSDictCursor(DictCursor):
    """SSCursor with rows as dicts."""

    _server_side = True


def _cursors_module():
    """``mocore.dbapi.cursors``: where mysqlclient (MySQLdb.cursors) and PyMySQL
    (pymysql.cursors) users import the cursor classes from; ``import mocore.dbapi.cursors``
    and ``from mocore.dbapi.cursors import DictCursor`` both work."""
    import sys
    import types
    mod = types.ModuleType(__name__ + ".cursors", "The cursor classes of mocore.dbapi.")
    for cls in (Cursor, DictCursor, SSCursor, SSDictCursor):
        setattr(mod, cls.__name__, cls)
    mod.BaseCursor = Cursor
    mod.__all__ = ["Cursor", "DictCursor", "SSCursor", "SSDictCursor"]
    sys.modules[mod.__name__] = mod
    return mod


cursors = _cursors_module()


def _database_of(url):
    """The database part of a mocore URL ("mysql://u:p@h:1/db?x=y" -> "db")."""
    from urllib.parse import unquote, urlsplit
    try:
        path = urlsplit(url).path.lstrip("/")
    except ValueError:
        return None
    return unquote(path) or None


_ROUTINE = _re.compile(r"[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)?\Z")


def _quote_routine(name):
    """`db`.`proc` for "db.proc" or "proc". Only plain identifier characters are accepted,
    so the backticks need no escaping (anything else is refused, never pasted)."""
    if not isinstance(name, str) or not _ROUTINE.match(name):
        raise ProgrammingError(f"callproc: {name!r} is not a procedure name ([db.]name of "
                               "letters, digits, _ and $)", 0, "", "cursor.callproc",
                               "invalid_argument")
    return ".".join("`" + part + "`" for part in name.split("."))


def _sequence(parameters, operation):
    """The parameters of one statement as a list, or the mapping itself (pyformat); a string
    or a non-iterable is a mistake (a str would silently become one parameter per
    character)."""
    if isinstance(parameters, _Mapping):
        return parameters
    if (isinstance(parameters, (str, bytes, bytearray))
            or not hasattr(parameters, "__iter__")):
        raise ProgrammingError("parameters are a sequence (list or tuple) of values or a "
                               f"mapping (pyformat), not a {type(parameters).__name__}", 0, "",
                               operation, "invalid_argument")
    return list(parameters)


def _placeholders(sql, parameters, operation):
    """(sql, values) in the `?` form the C core renders (module docstring, Placeholders): a
    qmark statement as it is, a format or pyformat one through mo_py_format (the C lexer
    finds the placeholders; the values stay values)."""
    if isinstance(parameters, _Mapping):
        return _core.mo_py_format(sql, parameters, 1)
    if not isinstance(parameters, (list, tuple)):
        parameters = _sequence(parameters, operation)
    if "%" not in sql:  # neither %s nor %%: qmark, or no placeholder at all
        return sql, parameters
    converted = _core.mo_py_format(sql, parameters, 0)
    return (sql, parameters) if converted is None else converted


def _url_names_socket(url):
    """True when a mocore URL asks for a Unix socket (?unix_socket=... or ?transport=...)."""
    if not isinstance(url, str) or "?" not in url:
        return False
    from urllib.parse import parse_qs, urlsplit
    try:
        query = parse_qs(urlsplit(url).query)
    except ValueError:
        return False
    return bool(query.get("unix_socket") or query.get("transport"))


_CALL = _re.compile(r"(\s+|--[^\n]*(\n|$)|#[^\n]*(\n|$)|/\*.*?\*/)*CALL\b",
                   _re.IGNORECASE | _re.DOTALL)


def _is_call(sql):
    return bool(_CALL.match(sql))
