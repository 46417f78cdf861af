"""mocore — the Python binding of the mocore C library (MatrixOne / MySQL / MariaDB).

    import mocore
    client = mocore.Client(host="127.0.0.1", port=6001, user="root", password="111",
                           database="test")            # or mocore.connect("mysql://...")
    for row in client.execute("SELECT id, name FROM t WHERE id > ?", [10]):
        print(row)                                      # tuples of native Python values
    with client.session() as s:                         # BEGIN ... COMMIT, ROLLBACK on error
        s.execute("INSERT INTO t (name) VALUES (?)", ["x"])

Value mapping of result columns: integer types, YEAR and BIT -> int; FLOAT/DOUBLE -> float;
DECIMAL -> decimal.Decimal; DATE -> datetime.date; DATETIME/TIMESTAMP -> datetime.datetime;
TIME -> datetime.timedelta; binary strings/BLOB -> bytes; text, JSON, ENUM, SET -> str;
a column typed as a vector -> list of float; NULL -> None. Zero dates ("0000-00-00") stay str.
MatrixOne (v4.2) sends vecf32/vecf64 columns as text, so a query returns them as the str
"[1,2.5]"; the vector_ops searches return the searched column as lists of float.

Parameters (``?`` placeholders, substituted safely in C): None, bool, int, float, str,
bytes/bytearray/memoryview, decimal.Decimal, datetime.date/datetime/time/timedelta,
list/tuple of numbers (vector), dict (JSON).

Every blocking call releases the GIL. A client, session or result is used by one thread at a
time (concurrent use raises InterfaceError/MisuseError rather than corrupting anything).
"""

import os as _os
from itertools import islice as _islice

from . import mocore_core as _core
from .errors import *  # noqa: F401,F403  (PEP 249 + generated category classes)
from .errors import Error, InterfaceError, ProgrammingError, BY_CATEGORY as _BY_CATEGORY
from .errors import CATEGORY_CLASSES as _CATEGORY_CLASSES, SHADOWING_BUILTINS as _SHADOWING
globals().update(_CATEGORY_CLASSES)  # mocore.TimeoutError too (not in errors' import *)

# The manager layer (mocore.managers, 1700 generated lines of classes, dataclasses and enums)
# and the connection hooks cost more to import than the rest of the package: they are
# imported on first use, so that `import mocore` stays cheap for code that only runs SQL.
# These names of the package are theirs (module __getattr__ below).
_LAZY = dict.fromkeys(("SnapshotLevel", "DiffOutput", "Snapshot", "Pitr", "Publication",
                       "Subscription", "Account", "User", "Role", "Grant", "VectorOpType",
                       "DistanceType", "IVFRankMode", "FulltextSearchMode", "MetadataColumn",
                       "MetadataRow", "TableStats", "ResultSet", "Stage", "CDCTaskInfo",
                       "CDCWatermarkInfo"), "managers")
_LAZY.update(dict.fromkeys(("ConnectionAction", "ConnectionHook", "HookConnection"), "hooks"))
# mocore.logger (logging.getLogger("mocore")) is looked up on use too: importing logging is a
# third of what importing the rest of the package costs.


def __getattr__(name):
    if name == "logger":  # the logger used when logging is requested
        import logging
        return logging.getLogger("mocore")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    value = getattr(import_module("." + module, __name__), name)
    _bind_managers()
    globals()[name] = value
    return value


def _install_hooks(cfg, on_connect, sink):
    """mocore.hooks.install_hooks, importing the hooks only for an ``on_connect``."""
    if on_connect is None:
        return None
    from .hooks import install_hooks
    return install_hooks(cfg, on_connect, sink)


__version__ = _core.mo_version_string()
apilevel = "2.0"
threadsafety = 1
paramstyle = "qmark"

SERVER_KINDS = {0: "auto", 1: "matrixone", 2: "mysql", 3: "mariadb"}
_SESSION_STATES = {0: "idle", 1: "in_transaction", 2: "aborted", 3: "poisoned"}


# Python keyword -> mo_config_set key, for the spellings other drivers use.
_ALIASES = {"db": "database", "passwd": "password", "schema": "database",
            "ssl_verify_cert": None, "autocommit": None}


def _option_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _log_sink(logger):
    """The sink of the C log lines for a logging.Logger: the line's level is the statement's
    (INFO, WARNING when slow, ERROR when failed) and the logger decides whether it is shown;
    Logger.log returns before building a record for a level it drops."""
    return lambda level, message: logger.log(level, "%s", message)


def _config(url, logger, options):
    """The mo_config of Client(url, logger=..., **options), and the log sink it borrows
    (keep it alive as long as the client). Shared with mocore.aio."""
    cfg = _core.mo_config_from_url(url) if url is not None else _core.mo_config_new()
    for key, value in options.items():
        if value is None:
            continue
        if key == "local_infile_dirs":  # LOAD DATA LOCAL only under these directories
            if isinstance(value, (str, bytes)):
                value = [value]
            for d in value:
                _core.mo_config_add_local_infile_dir(cfg, _os.fspath(d))
            continue
        key = _ALIASES.get(key, key)
        if key is None:
            continue
        _core.mo_config_set(cfg, key, _option_value(value))
    sink = None
    if logger is not False:
        import logging  # on first use, not at import (see __getattr__)
        if logger is None:
            sink = _log_sink(logging.getLogger("mocore"))
        elif isinstance(logger, logging.Logger):
            sink = _log_sink(logger)
        elif callable(logger):
            sink = logger
        else:
            raise ProgrammingError("logger must be a logging.Logger, a callable or False",
                                   0, "", "client.connect", "invalid_argument")
        _core.mo_py_config_set_log_callable(cfg, sink)
    return cfg, sink


_NO_ROWS = iter(())  # an exhausted iterator: no rows waiting


class Result:
    """The rows and counters of one statement. Iterate it, or use fetchone/fetchmany/
    fetchall/scalar. ``columns`` are the column names; ``rowcount`` the affected rows (rows
    returned for a buffered SELECT); ``lastrowid`` the last insert id."""

    __slots__ = ("_h", "_stream", "_ready", "_done", "_columns", "_types", "_meta", "_ahead",
                 "_lease")

    def __init__(self, handle, stream=False):
        self._h = handle
        self._lease = None  # a pool-backed client's connection, kept while this streams
        self._stream = 1 if stream else 0
        self._ready = _NO_ROWS  # iterator over the rows converted and not fetched yet
        ncol = _core.mo_result_column_count(handle)
        self._done = ncol == 0
        self._ahead = 1  # rows fetchone/fetchmany convert ahead on a buffered result
        self._columns = None
        self._types = None
        # Metadata is read up front: a finished stream no longer has it.
        self._meta = _core.mo_py_meta(handle) if ncol else b""
        if stream and ncol:
            self.columns

    # ---- metadata
    @property
    def columns(self):
        """The column names, in order (an empty list for a statement without rows)."""
        if self._columns is None:
            h = self._h
            self._columns = [_core.mo_result_column_name(h, i)
                             for i in range(_core.mo_result_column_count(h))]
        return self._columns

    @property
    def column_types(self):
        """mo_type numbers of the columns (see mocore_core.MO_TYPE_*)."""
        if self._types is None:
            h = self._h
            self._types = list(self._meta[0::2])
        return self._types

    @property
    def description(self):
        """PEP 249 description: (name, type_code, None, None, None, None, None)."""
        if not self.columns:
            return None
        return [(n, t, None, None, None, None, None) for n, t in zip(self.columns, self.column_types)]

    @property
    def rowcount(self):
        """Rows affected by an INSERT/UPDATE/DELETE; rows returned by a buffered SELECT."""
        return _core.mo_result_affected_rows(self._h)

    @property
    def lastrowid(self):
        """The AUTO_INCREMENT value of the last row inserted by the statement (0 if none)."""
        return _core.mo_result_last_insert_id(self._h)

    @property
    def warning_count(self):
        """The number of warnings the server reported for the statement."""
        return _core.mo_result_warning_count(self._h)

    # ---- rows
    # Rows are converted in C (mo_py_fetch) a batch at a time; the converted rows not fetched
    # yet wait in ONE list iterator, self._ready, which every fetch method and every iteration
    # consume, so they can be mixed and a loop left with break goes on at the next row.
    def _fill(self, n):
        """Convert up to ``n`` more rows (all when < 0) behind the waiting ones. False when
        none came (the result is done)."""
        if self._done:
            return False
        rows = _core.mo_py_fetch(self._h, self._meta, n, self._stream)
        if len(rows) < n or n < 0:
            self._done = True
        if not rows:
            return False
        rest = list(self._ready)
        self._ready = iter(rest + rows if rest else rows)
        return True

    def _read_ahead(self, n):
        """Convert at least ``n`` more rows of a buffered result, and more as fetching goes
        on: its rows are all in memory, so a loop of fetchone (a DB-API cursor, SQLAlchemy)
        makes one C call per batch of 1, 4, 16 ... 1024 rows instead of one per row, while
        a single fetchone on a big result still converts one row. A stream is never read
        ahead: it reads from the wire only the rows asked for."""
        if self._stream:
            return self._fill(n)
        ahead = self._ahead
        if ahead < 1024:
            self._ahead = ahead * 4
        return self._fill(max(n, ahead))

    def fetchone(self):
        """The next row as a tuple, or None when there are no more rows."""
        row = next(self._ready, None)
        if row is None and self._read_ahead(1):
            row = next(self._ready)
        return row

    def fetchmany(self, size=100):
        """Up to ``size`` next rows as a list of tuples (fewer, or [], at the end)."""
        if size <= 0:
            return []
        out = list(_islice(self._ready, size))
        if len(out) < size and self._read_ahead(size - len(out)):
            out.extend(_islice(self._ready, size - len(out)))
        return out

    def fetchall(self):
        """All the remaining rows as a list of tuples."""
        out = list(self._ready)
        self._ready = _NO_ROWS
        if not self._done:
            rows = _core.mo_py_fetch(self._h, self._meta, -1, self._stream)
            self._done = True
            if not out:
                return rows
            out.extend(rows)
        return out

    def scalar(self):
        """The first column of the first row, or None when there is no row."""
        row = self.fetchone()
        return None if row is None else row[0]

    def __iter__(self):
        while True:
            rows = self._ready
            yield from rows  # shared: a fetch in the loop body takes the next rows
            # a fetch in the loop body that converted more rows replaced self._ready
            if self._ready is rows and not self._fill(1024):
                return

    def close(self):
        """Release the result now (a streaming result is drained)."""
        self._h = None
        self._lease = None  # after the result: gives a pooled connection back
        self._done = True
        self._ready = _NO_ROWS

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _params(params):
    if params is None:
        return None
    if isinstance(params, (str, bytes, dict)):
        raise ProgrammingError("params must be a sequence of values (a list or tuple)", 0, "",
                               "params", "invalid_argument")
    p = _core.mo_params_new()
    _core.mo_py_params_add(p, params)
    return p


class _LazyManagers:
    """The stand-in base of _Executor until the managers are imported: the first attribute
    that an executor lacks imports mocore.managers and puts its _Managers mixin in this
    class's place, so Client and Session end up with the MRO they would have had with
    ``class _Executor(_Managers)`` (isinstance, help() and dir() included)."""

    def __getattr__(self, name):
        if _bind_managers():
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def _bind_managers():
    """Make _Managers the base of _Executor (once); False when it already was."""
    if _Executor.__bases__ != (_LazyManagers,):
        return False
    from .managers import _Managers
    _Executor.__bases__ = (_Managers,)
    return True


class _Executor(_LazyManagers):
    """What Client and Session share: execute/query/scalar and the managers
    (``snapshots``, ``clone``, ``branch``, ``restore``, ``pitr``, ``pubsub``, ``account``;
    ``vector_ops``, ``fulltext_index``, ``metadata``, ``moctl``, ``load_data``, ``stage``,
    ``cdc``, ``export``, ``insert``, ``batch_insert``, ``create_table``, ``drop_table``; see
    mocore.managers and docs/managers-reference.md),
    which run on this object: in autocommit on a client, inside the transaction on a session."""
    _h = None
    _exec = None
    _ex = None      # the mo_executor of the managers, made on first use

    def execute(self, sql, params=None, stream=False, log=None):
        """Run one statement; ``?`` placeholders are filled from ``params``. ``stream=True``
        reads rows from the wire as you iterate (flat memory for large results); ``log``
        overrides the log mode for this call ("off", "simple", "full", "auto")."""
        if not isinstance(sql, str):
            raise ProgrammingError(f"sql must be a str, not {type(sql).__name__}", 0, "",
                                   "execute", "invalid_argument")
        flags = _core.MO_EXEC_STREAMING if stream else _core.MO_EXEC_BUFFERED
        if log is not None:
            flags |= {"off": _core.MO_EXEC_LOG_OFF, "simple": _core.MO_EXEC_LOG_SIMPLE,
                      "full": _core.MO_EXEC_LOG_FULL, "auto": _core.MO_EXEC_LOG_AUTO}[log]
        h = type(self)._exec(self._handle(), sql, _params(params), flags)
        return Result(h, stream)

    def executemany(self, sql, seq_of_params):
        """Run ``sql`` once per parameter sequence of ``seq_of_params``; returns the total
        of the affected rows."""
        total = 0
        for params in seq_of_params:
            total += self.execute(sql, params).rowcount
        return total

    def query(self, sql, params=None):
        """execute(...).fetchall()"""
        return self.execute(sql, params).fetchall()

    def scalar(self, sql, params=None):
        """The first column of the first row of ``sql`` (None when it returns no row)."""
        return self.execute(sql, params).scalar()

    def _executor(self):
        if self._ex is None:
            self._ex = type(self)._new_executor(self._handle())
        return self._ex

    def _handle(self):
        if self._h is None:
            raise InterfaceError(f"the {type(self).__name__.lower()} is closed", 0, "",
                                 type(self).__name__.lower(), "misuse")
        return self._h


class Session(_Executor):
    """One connection in one transaction (opened with BEGIN). As a context manager it commits
    on normal exit and rolls back (re-raising) on an exception."""

    _exec = staticmethod(_core.mo_session_execute_ex)
    _new_executor = staticmethod(_core.mo_session_executor)
    _lease = None  # a pool-backed client's connection, given back when the session closes

    def __init__(self, client):
        self.client = client
        self._h = _core.mo_session_open(client._handle())

    def begin(self):
        """Start a new transaction (BEGIN) after a commit or rollback."""
        _core.mo_session_begin(self._handle())

    def commit(self):
        """COMMIT the transaction. The session stays open; begin() starts the next one."""
        _core.mo_session_commit(self._handle())

    def rollback(self):
        """ROLLBACK the transaction. The session stays open; begin() starts the next one."""
        _core.mo_session_rollback(self._handle())

    def savepoint(self, name):
        """SAVEPOINT ``name`` inside the transaction (the name is quoted as an identifier)."""
        _core.mo_session_savepoint(self._handle(), name)

    def rollback_to_savepoint(self, name):
        """ROLLBACK TO SAVEPOINT ``name``: undo what followed it, keep the transaction."""
        _core.mo_session_rollback_to_savepoint(self._handle(), name)

    def release_savepoint(self, name):
        """RELEASE SAVEPOINT ``name`` (its changes stay in the transaction)."""
        _core.mo_session_release_savepoint(self._handle(), name)

    @property
    def state(self):
        """"idle", "in_transaction", "aborted" or "poisoned"."""
        return _SESSION_STATES.get(_core.mo_session_get_state(self._handle()), "unknown")

    @property
    def in_transaction(self):
        """True while a transaction is open (state "in_transaction")."""
        return self.state == "in_transaction"

    def close(self):
        """Roll back an open transaction and release the connection."""
        self._ex = None  # the executor holds a reference to the session: release it first
        self._h = None  # the destructor (mo_session_close) runs when the last reference goes
        self._lease = None  # then a pooled connection goes back

    @property
    def closed(self):
        """True once close() was called."""
        return self._h is None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            if self._h is not None:
                if exc_type is None:
                    if self.state == "in_transaction":
                        self.commit()
                else:
                    try:
                        self.rollback()
                    except Error:
                        pass  # the original exception matters more
        finally:
            self.close()
        return False


class Client(_Executor):
    """A connection in autocommit mode and the factory of sessions.

    Keyword options are the library's option names (see mo_config_set): host, port, user,
    password, database, account, role, unix_socket, connect_timeout, read_timeout,
    write_timeout (seconds), ssl_mode, ssl_ca, ssl_cert, ssl_key, log_mode, slow_query_threshold,
    max_sql_display_length, dry_run, server_kind; local_infile_dirs=[...] (the directories
    load_data.from_local_file may read; none: LOAD DATA LOCAL off). ``url=`` starts from a URL. ``logger``:
    where log lines go when log_mode is not "off" — the ``logging`` logger "mocore" by
    default, any ``logging.Logger``, a callable(level, message), or False for the C default
    (stderr). ``on_connect``: the SDK's connection hook, run on every new physical connection
    (this client's and each session's): a ConnectionAction or its name ("enable_all",
    "enable_ivf", ...), a list of them, a ConnectionHook(actions, custom_hook), or a callable
    ``fn(connection)`` (a HookConnection on the new connection); failures are logged, never
    raised. Default: nothing (the SDK's default is ENABLE_ALL, which only MatrixOne knows)."""

    _exec = staticmethod(_core.mo_client_execute_ex)
    _new_executor = staticmethod(_core.mo_client_executor)
    _pool = None  # the Pool a pooled client came from (pool.acquire())

    def __new__(cls, *args, **kwargs):
        # Client(url, pool_size=..., ...) is a pool-backed client (mocore.pool.PoolClient).
        if cls is Client and any(k in kwargs for k in _POOL_OPTIONS):
            cls = PoolClient
        return super().__new__(cls)

    def __init__(self, url=None, *, logger=None, on_connect=None, **options):
        cfg, self._sink = _config(url, logger, options)
        self._hook = _install_hooks(cfg, on_connect, self._sink)  # kept alive: C borrows it
        self._h = _core.mo_client_connect(cfg)
        # the sink reference stays on self for the client's lifetime (the C side borrows it)

    # ---- lifecycle
    def close(self):
        """Close the connection (a pooled client: give it back to its pool). Open sessions
        keep their own connections until closed."""
        self._ex = None
        self._h = None

    @property
    def closed(self):
        """True once close() was called."""
        return self._h is None

    @property
    def pooled(self):
        """True for a client handed out by a Pool (closing it gives it back)."""
        return self._h is not None and bool(_core.mo_client_is_pooled(self._h))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def ping(self):
        """Check that the connection is alive; raises (ConnectionLostError...) when not."""
        _core.mo_client_ping(self._handle())

    # ---- server
    @property
    def server_kind(self):
        """"matrixone", "mysql" or "mariadb"."""
        return SERVER_KINDS.get(_core.mo_client_server_kind(self._handle()), "unknown")

    @property
    def server_version(self):
        """The server's version string (SELECT VERSION()), e.g. "8.0.30-MatrixOne-v4.2.0"."""
        return _core.mo_client_server_version(self._handle())

    @property
    def version(self):
        """(major, minor, patch) of the server (MatrixOne's release for MatrixOne)."""
        return tuple(_core.mo_client_version(self._handle()))

    @property
    def connection_id(self):
        """The server's id of this connection (CONNECTION_ID())."""
        return _core.mo_client_connection_id(self._handle())

    @property
    def max_allowed_packet(self):
        """The server's max_allowed_packet in bytes, as the library reads it to refuse an
        oversized statement before sending it: once per connection, 16 MiB in dry-run."""
        return _core.mo_client_max_allowed_packet(self._handle())

    # ---- sessions and transactions
    def session(self):
        """A new Session (BEGIN already sent). Use it as ``with client.session() as s:``."""
        return Session(self)

    def transaction(self, fn, retries=0):
        """Run ``fn(session)`` in a transaction: commit when it returns, roll back when it
        raises. On RetryableError (deadlock, lock wait timeout, write conflict) the whole
        transaction runs again, up to ``retries`` more times, each after the core's random
        pause (``mo_transaction_retry_pause_ms``: up to 10 ms, 20 ms, 40 ms, ..., at most
        0.5 s): two transactions that deadlocked and started again at once would cross
        again. Returns fn's return value."""
        import time
        from .errors import RetryableError  # generated from the category table
        attempt = 0
        while True:
            try:
                with self.session() as s:
                    return fn(s)
            except RetryableError:
                if attempt >= retries:
                    raise
                attempt += 1
                time.sleep(_core.mo_transaction_retry_pause_ms(attempt) / 1000)

    # ---- dry-run journal
    @property
    def journal(self):
        """The statements a dry-run client (and its sessions) would have sent, in order."""
        return _journal(self._handle())

    def clear_journal(self):
        """Forget the statements recorded so far by a dry-run client."""
        _core.mo_client_journal_clear(self._handle())


def _journal(h):
    """The journal of the client handle h, as a list of statements."""
    return [_core.mo_client_journal_get(h, i) for i in range(_core.mo_client_journal_count(h))]


def connect(url=None, **options):
    """mocore.connect("mysql://user:pw@host:port/db?opt=val") or connect(host=..., ...)."""
    return Client(url, **options)


def error_class(category):
    """The exception class of a category name ("constraint" -> ConstraintError)."""
    return _BY_CATEGORY[category]


from .pool import Pool, PoolClient, POOL_OPTIONS as _POOL_OPTIONS  # noqa: E402  (needs Client)

#: ``from mocore import *``: every public name but the submodules and the category classes
#: named like Python's built-in exceptions (mocore.TimeoutError, mocore.InterruptedError,
#: mocore.SyntaxError stay attributes; a star import must not shadow the built-ins).
__all__ = sorted([n for n, v in list(globals().items())
                  if not n.startswith("_") and n not in _SHADOWING
                  and type(v) is not type(_os)] + list(_LAZY) + ["logger"])
