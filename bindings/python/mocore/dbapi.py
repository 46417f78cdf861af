"""mocore.dbapi — a PEP 249 (DB-API 2.0) driver on the mocore C core.

    import mocore.dbapi as dbapi
    conn = dbapi.connect("mysql://user:pw@127.0.0.1:3306/db")   # or host=..., user=..., ...
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM t WHERE id > ?", (10,))
    for row in cur:
        print(row)
    cur.executemany("INSERT INTO t (name) VALUES (?)", [("a",), ("b",)])   # one statement
    conn.commit()

paramstyle is ``qmark``. Why: the C core substitutes ``?`` placeholders itself (typed values,
strings escaped for the connection's sql_mode, blobs as hex literals), so the driver hands
SQLAlchemy's compiled ``?`` statements and parameter tuples straight to C with no Python-side
rewriting, and literal ``%`` signs in SQL (``LIKE 'a%'``, ``DATE_FORMAT(d, '%Y')``) need no
doubling, which the ``format``/``pyformat`` styles of mysqlclient and PyMySQL require.

Transactions follow PEP 249: a connection starts with autocommit off (``SET autocommit=0`` on
the server, as mysqlclient does), so the server opens a transaction with the first statement
and ``commit()`` / ``rollback()`` end it. ``conn.autocommit = True`` switches the server to
autocommit. Everything runs on ONE server connection (a ``mocore.Client``), so session
variables (isolation level, sql_mode, time zone) and the transaction are shared by the
cursors of the connection and by the mocore managers bound to it (``conn.client``).

``executemany`` of ``INSERT/REPLACE ... VALUES (...)`` sends multi-row statements, each kept
under the server's ``max_allowed_packet``; other statements run once per parameter row.

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
           "Warning", "Error", "InterfaceError", "DatabaseError", "DataError",
           "OperationalError", "IntegrityError", "InternalError", "ProgrammingError",
           "NotSupportedError", "Date", "Time", "Timestamp", "DateFromTicks", "TimeFromTicks",
           "TimestampFromTicks", "Binary", "STRING", "BINARY", "NUMBER", "DATETIME", "ROWID"]

apilevel = "2.0"
#: Threads may share the module, not connections (a connection is one server session; the
#: C core reports concurrent use of one connection as InterfaceError instead of corrupting it).
threadsafety = 1
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
def _skip_quoted(sql, i):
    """sql[i] opens a quote or a comment: the index just past it (len(sql) if unterminated)."""
    c, n = sql[i], len(sql)
    if c in "'\"`":
        j = i + 1
        while j < n:
            if sql[j] == "\\" and c != "`":
                j += 2
                continue
            if sql[j] == c:
                if j + 1 < n and sql[j + 1] == c:  # doubled quote
                    j += 2
                    continue
                return j + 1
            j += 1
        return n
    if c == "#" or sql.startswith("--", i):
        j = sql.find("\n", i)
        return n if j < 0 else j + 1
    if sql.startswith("/*", i):
        j = sql.find("*/", i + 2)
        return n if j < 0 else j + 2
    return i + 1


def _is_quote_start(sql, i):
    c = sql[i]
    return (c in "'\"`#" or sql.startswith("/*", i) or
            (sql.startswith("--", i) and (i + 2 >= len(sql) or sql[i + 2] in " \t\r\n")))


def _split_insert(sql):
    """For ``INSERT|REPLACE ... VALUES (row)[ tail]``: (head, row, tail, placeholders in row),
    where head ends after VALUES and neither head nor tail holds a placeholder. None when
    the statement is not of that shape (then executemany runs it once per row)."""
    s = sql.lstrip()
    word = s[:7].upper()
    if not (word.startswith("INSERT") or word.startswith("REPLACE")):
        return None
    i, n = 0, len(sql)
    values_end = -1
    row_start = row_end = -1
    depth = 0
    holes_before = holes_row = holes_after = 0
    while i < n:
        c = sql[i]
        if _is_quote_start(sql, i):
            i = _skip_quoted(sql, i)
            continue
        if c == "?":
            if row_start >= 0 and row_end < 0:
                holes_row += 1
            elif row_end >= 0:
                holes_after += 1
            else:
                holes_before += 1
        elif c == "(":
            if values_end >= 0 and row_start < 0 and depth == 0:
                row_start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0 and row_start >= 0 and row_end < 0:
                row_end = i + 1
        elif (c in "vV" and depth == 0 and row_start < 0 and sql[i:i + 6].upper() == "VALUES"
              and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] in "_$"))
              and (i + 6 >= n or not (sql[i + 6].isalnum() or sql[i + 6] in "_$"))):
            values_end = i + 6
            i += 6
            continue
        i += 1
    if row_end < 0 or holes_before or holes_after or holes_row == 0:
        return None
    tail = sql[row_end:]
    if tail.strip().startswith(","):  # already several rows
        return None
    if tail.strip().endswith(";"):
        tail = tail.rstrip()[:-1]
    return sql[:row_start], sql[row_start:row_end], tail, holes_row


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
def client_options(options):
    """The mocore.Client options among connect()'s keyword options (a new dict). Options
    other drivers accept that mean nothing here (the wire is always utf8mb4, FOUND_ROWS is
    always on) are accepted and dropped so URLs written for them work."""
    options = dict(options)
    charset = options.pop("charset", None)
    if charset is not None and charset.lower() not in ("utf8mb4", "utf8", "utf8mb3"):
        raise NotSupportedError(f"mocore always talks utf8mb4, not {charset!r}", 0, "",
                                "dbapi.connect", "unsupported")
    for key in ("client_flag", "use_unicode", "local_infile"):
        options.pop(key, None)
    return options


def connect(dsn=None, *, autocommit=False, **options):
    """Open a connection. ``dsn`` is a mocore URL ("mysql://user:pw@host:port/db?opt=val",
    also "matrixone://..."); keyword options are the mocore.Client options (host, port, user,
    password, database, unix_socket, connect_timeout, read_timeout, write_timeout, ssl_mode,
    ssl_ca, ssl_cert, ssl_key, account, role, log_mode, dry_run, server_kind...) plus the
    spellings other drivers use (db, passwd). ``autocommit`` (default False, as PEP 249 asks)."""
    return Connection(dsn, autocommit=autocommit, **options)


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
        options = client_options(options)
        self._client = client if client is not None else _Client(dsn, **options)
        self._options_database = options.get("database") or options.get("db") or (
            _database_of(dsn) if isinstance(dsn, str) else None)
        self._autocommit = None
        self._max_packet = None
        self.messages = []
        self.autocommit = bool(autocommit)

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

    @property
    def autocommit(self):
        return self._autocommit

    @autocommit.setter
    def autocommit(self, on):
        on = bool(on)
        if on != self._autocommit:
            self._check().execute("SET autocommit=1" if on else "SET autocommit=0")
            self._autocommit = on

    def get_autocommit(self):  # mysqlclient spelling
        return self._autocommit

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
    def cursor(self, stream=False):
        """A new cursor. ``stream=True``: a server-side (unbuffered) cursor that reads rows
        from the wire as they are fetched."""
        self._check()
        return Cursor(self, stream=stream)

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
        self._check().ping()
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
    was made with ``stream=True``."""

    def __init__(self, connection, stream=False):
        self.connection = connection
        self.arraysize = 1
        self._stream = bool(stream)
        self._result = None
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
        self._sets = []
        self._description = None
        self._rowcount = -1
        self._lastrowid = None
        self._rownumber = None

    def _run(self, client, operation, parameters):
        if parameters is not None and not isinstance(parameters, (list, tuple)):
            parameters = _sequence(parameters, "cursor.execute")
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
        else:
            self._rowcount = result.rowcount
        self._lastrowid = result.lastrowid

    def execute(self, operation, parameters=None):
        """Run one statement; ``?`` placeholders are filled from the ``parameters`` sequence
        (none given: the SQL is sent as is). Returns the cursor."""
        client = self._client()
        self._reset()
        self._take(self._run(client, operation, parameters))
        return self

    def executemany(self, operation, seq_of_parameters):
        """Run the statement for every parameter sequence. An ``INSERT/REPLACE ... VALUES
        (...)`` becomes multi-row statements, each under max_allowed_packet; rowcount is the
        total of affected rows."""
        client = self._client()
        self._reset()
        rows = [p if isinstance(p, (list, tuple)) else _sequence(p, "cursor.executemany")
                for p in seq_of_parameters]
        if not rows:
            self._rowcount = 0
            return self
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
            for r in rows:
                res = self._run(client, operation, r)
                total += res.rowcount
                self._lastrowid = res.lastrowid
                res.close()
        self._rowcount = total
        return self

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
        return self

    def __next__(self):
        res = self._result
        if (type(res) is _Result and not self._closed and self._description is not None
                and self.connection._client is not None):
            row = next(res._ready, None)  # the fast path of fetchone
            if row is not None:
                self._rownumber += 1
                return row
        row = self.fetchone()
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
    """The parameters of one statement as a list; a mapping, a string or a non-iterable is a
    mistake under the qmark style (a str would silently become one parameter per character)."""
    if (isinstance(parameters, (_Mapping, str, bytes, bytearray))
            or not hasattr(parameters, "__iter__")):
        raise ProgrammingError("paramstyle is qmark: parameters are a sequence (list or tuple) "
                               f"of values, not a {type(parameters).__name__}", 0, "",
                               operation, "invalid_argument")
    return list(parameters)


_CALL = _re.compile(r"(\s+|--[^\n]*(\n|$)|#[^\n]*(\n|$)|/\*.*?\*/)*CALL\b",
                   _re.IGNORECASE | _re.DOTALL)


def _is_call(sql):
    return bool(_CALL.match(sql))
