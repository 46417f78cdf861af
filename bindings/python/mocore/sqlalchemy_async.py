"""The asyncio SQLAlchemy dialect ``mysql+mocore_async`` (and ``mariadb+mocore_async``) on
mocore.aio.

    from sqlalchemy.ext.asyncio import create_async_engine, async_sessionmaker
    engine = create_async_engine("mysql+mocore_async://user:pw@127.0.0.1:3306/db")
    Session = async_sessionmaker(engine)
    async with Session() as session, session.begin():
        session.add(obj)

Registered through the ``sqlalchemy.dialects`` entry points of the mocore package; without
installing the package, call :func:`register` (``mocore.sqlalchemy_dialect.register()`` does
it too).

How it is built — the way SQLAlchemy's asyncmy/aiomysql dialects are: SQLAlchemy runs its
synchronous engine and ORM code inside a greenlet and, wherever a driver call must wait, the
adapted DB-API object hands the driver's coroutine to ``await_only``, which switches to the
event loop's side, awaits it there, and switches back with the result. So:

* the dialect is :class:`mocore.sqlalchemy_dialect.MySQLDialect_mocore` (SQL compilation,
  types, reflection, MatrixOne detection, isolation levels, disconnect detection) with
  ``is_async = True``, ``has_terminate = True`` and ``AsyncAdaptedQueuePool``;
* the DB-API connection and cursor ARE :class:`mocore.dbapi.Connection` and
  :class:`mocore.dbapi.Cursor` (parameters, ``executemany`` batching, ``description`` and type
  codes, transactions are their code); only the object they run statements on differs: a
  :class:`mocore.aio.AsyncClient` seen through :class:`_GreenClient`, whose every wait is
  ``await_only(async_client.execute(...))``. Buffered rows are read while the statement is
  awaited and fetched without waiting; server-side cursors (``stream()``,
  ``stream_scalars()``, ``stream_results=True``) await each ``fetchmany``.

Every wait is a ``loop.add_reader``/``add_writer`` registration of mocore.aio: no thread, no
``run_in_executor``.

Cancellation: cancelling the task while a statement is in flight cancels the C operation; its
connection is poisoned and its socket shut down (never left out of sync, see docs/async.md),
and SQLAlchemy invalidates that pooled connection (``CancelledError`` is an exit exception to
it): the pool discards it (``terminate()``) and the next checkout opens a new one. The server
rolls back what the connection had open once the statement it is running returns.

Differences from ``mysql+mocore``: the mocore managers and ``mocore.orm`` unified
transactions need the blocking ``mocore.Client``; they have no non-blocking form yet."""

import asyncio

from sqlalchemy import pool
from sqlalchemy.engine import AdaptedConnection
from sqlalchemy.util.concurrency import await_only, in_greenlet

from . import Result, _journal, _params, aio, dbapi
from . import mocore_core as _core
from .sqlalchemy_dialect import MySQLDialect_mocore

__all__ = ["MySQLDialect_mocore_async", "MariaDBDialect_mocore_async", "register", "dialect"]


def register():
    """Make ``mysql+mocore_async://`` and ``mariadb+mocore_async://`` known to SQLAlchemy in
    this process (what the package's entry points do once it is installed)."""
    from sqlalchemy.dialects import registry
    registry.register("mysql.mocore_async", __name__, "MySQLDialect_mocore_async")
    registry.register("mariadb.mocore_async", __name__, "MariaDBDialect_mocore_async")


# ---------------------------------------------------------------- the greenlet bridge
class _GreenStream:
    """A streaming :class:`mocore.aio.AsyncResult` behind the interface of mocore.Result that
    mocore.dbapi.Cursor reads: each fetch awaits the rows from the wire."""

    def __init__(self, result, await_):
        self._a = result
        self._await = await_

    # metadata and counters (no I/O): those of the underlying mocore.Result
    _h = property(lambda self: self._a._r._h)
    _meta = property(lambda self: self._a._r._meta)
    columns = property(lambda self: self._a.columns)
    column_types = property(lambda self: self._a.column_types)
    rowcount = property(lambda self: self._a.rowcount)
    lastrowid = property(lambda self: self._a.lastrowid)

    def fetchone(self):
        return self._await(self._a.fetchone())

    def fetchmany(self, size=100):
        return self._await(self._a.fetchmany(size))

    def fetchall(self):
        return self._await(self._a.fetchall())

    def scalar(self):
        return self._await(self._a.scalar())

    def close(self):
        """Rows not read yet are read to the end through the event loop (the wire must be
        free for the next statement); outside a greenlet (garbage collection) the release
        drains them blocking, as mocore.aio documents."""
        if in_greenlet():
            self._await(self._a.aclose())
        else:
            self._a.close()


class _GreenClient:
    """What mocore.dbapi.Connection and Cursor call on their mocore.Client (execute, scalar,
    ping, close and the server properties), over a connected :class:`mocore.aio.AsyncClient`:
    every call that waits is ``await_(coroutine)``, so it runs on the event loop of the
    greenlet's caller."""

    #: False (default): a call made outside a greenlet fails as SQLAlchemy makes it fail
    #: (MissingGreenlet). True (AsyncAdapt_mocore_connection.allow_blocking): such a call
    #: runs the blocking C call on this same connection, so a synchronous SQLAlchemy Session
    #: bound to the connection works from plain code (blocking the loop while it runs).
    blocking = False

    def __init__(self, async_client, await_):
        self.aio = async_client
        self._await = await_

    def _plain(self):
        """True when this call must run blocking (see ``blocking``)."""
        return self.blocking and not in_greenlet()

    def _handle(self):
        return self.aio._handle()

    def _executor(self):
        """The managers' executor (mocore.orm): their blocking calls wait through the loop
        (the AsyncClient's wait function, inside SQLAlchemy's greenlet)."""
        return self.aio._executor()

    def execute(self, sql, params=None, stream=False):
        if self._plain():
            flags = _core.MO_EXEC_STREAMING if stream else _core.MO_EXEC_BUFFERED
            return Result(_core.mo_client_execute_ex(self._handle(), sql, _params(params), flags),
                          stream)
        result = self._await(self.aio.execute(sql, params, stream=stream))
        # a buffered AsyncResult holds a plain mocore.Result: its rows are in memory already
        return _GreenStream(result, self._await) if stream else result._r

    def execute_sets(self, sql, params=None):
        """A buffered execute that reads every result set (MO_EXEC_MORE_RESULTS), as
        mocore.dbapi runs a CALL."""
        if self._plain():
            return Result(_core.mo_client_execute_ex(self._handle(), sql, _params(params),
                                                     _core.MO_EXEC_MORE_RESULTS))
        started = _core.mo_client_execute_start(self._handle(), sql, _params(params),
                                                _core.MO_EXEC_MORE_RESULTS)
        _st, op = self._await(aio._drive(started))
        return Result(_core.mo_op_finish_result(op))

    def scalar(self, sql, params=None):
        return self.execute(sql, params).scalar()

    def ping(self):
        if self._plain():
            _core.mo_client_ping(self._handle())
            return
        self._await(self.aio.ping())

    def close(self):
        if not in_greenlet():
            # nothing can be awaited here (garbage collection, a synchronous dispose): the
            # socket is dropped without a goodbye; the server rolls back what was open
            self.aio.terminate()
            return
        self._await(self.aio.close())

    @property
    def closed(self):
        return self.aio.closed

    server_kind = property(lambda self: self.aio.server_kind)
    server_version = property(lambda self: self.aio.server_version)
    connection_id = property(lambda self: self.aio.connection_id)

    @property
    def max_allowed_packet(self):
        """As mocore.Client's: a blocking C call like the managers', whose wait (the one
        SELECT @@max_allowed_packet of the connection, if the core did not read it yet) goes
        to the loop through the AsyncClient's wait function."""
        return _core.mo_client_max_allowed_packet(self._handle())

    @property
    def journal(self):
        """The statements a dry-run connection would have sent (as mocore.Client.journal)."""
        return _journal(self._handle())


# ---------------------------------------------------------------- adapted DB-API objects
class AsyncAdapt_mocore_cursor(dbapi.Cursor):
    """mocore.dbapi.Cursor on the greenlet bridge (see the module docstring)."""

    async def _async_soft_close(self):
        """Called by SQLAlchemy's asyncio layer before a buffered result is handed to code
        outside the greenlet: its rows are in memory already and fetching them never waits,
        so there is nothing to do."""


class AsyncAdapt_mocore_connection(dbapi.Connection, AdaptedConnection):
    """mocore.dbapi.Connection over a :class:`mocore.aio.AsyncClient` (``driver_connection``;
    ``run_async(fn)`` awaits ``fn(async_client)``)."""

    await_ = staticmethod(await_only)

    def __init__(self, dsn=None, *, autocommit=False, async_creator_fn=None, **options):
        options = dbapi.client_options(options)
        if async_creator_fn is not None:
            # create_async_engine(async_creator=...): a coroutine function that returns a
            # connected mocore.aio.AsyncClient
            async_client = self.await_(async_creator_fn())
            if not isinstance(async_client, aio.AsyncClient):
                raise dbapi.InterfaceError("async_creator must return a mocore.aio.AsyncClient",
                                           0, "", "dbapi.connect", "invalid_argument")
        else:
            async_client = self.await_(
                aio.AsyncClient(dsn, **dbapi.connection_options(options)[0]).connect())
        self._connection = async_client
        try:
            super().__init__(dsn, autocommit=autocommit,
                             client=_GreenClient(async_client, self.await_), **options)
        except BaseException:
            self.terminate()
            raise

    def cursor(self, stream=False):
        self._check()
        return AsyncAdapt_mocore_cursor(self, stream=stream)

    def allow_blocking(self, on=True):
        """Let plain (non-greenlet) code use this connection: its statements then run
        blocking on the same server connection instead of raising MissingGreenlet. For a
        synchronous SQLAlchemy Session sharing this connection's transaction with awaited
        work (mocore.matrixone's ``tx.get_sqlalchemy_session()``); turn it off again before
        the connection goes back to the pool. A blocking statement while an awaited one is
        in flight on the connection raises MisuseError (one operation at a time)."""
        self._check().blocking = bool(on)

    def _execute_sets(self, client, operation, parameters):
        # a CALL: every result set is read while the statement is awaited; nextset() and
        # callproc() then walk them in memory (mo_result_next_set does no I/O)
        return client.execute_sets(operation, parameters)

    def terminate(self):
        """Close without failing: SQLAlchemy calls it to discard an invalidated connection
        (after a cancellation, a lost connection) and for connections garbage-collected
        outside the greenlet. Inside a greenlet the goodbye is awaited (shielded from a
        second cancellation); otherwise, or when that fails, the socket is just dropped."""
        async_client = self._connection
        self._client = None  # the dbapi.Connection is closed from here on
        if async_client.closed:
            return
        if in_greenlet():
            try:
                self.await_(asyncio.shield(async_client.close()))
                return
            except (asyncio.CancelledError, asyncio.TimeoutError, OSError, dbapi.Error) as e:
                async_client.terminate()
                if isinstance(e, asyncio.CancelledError):
                    raise
                return
        async_client.terminate()


class AsyncAdapt_mocore_dbapi:
    """The DB-API module SQLAlchemy sees: mocore.dbapi (its exceptions, type objects,
    ``paramstyle``...), with ``connect`` making :class:`AsyncAdapt_mocore_connection`."""

    def __init__(self):
        self.dbapi = dbapi

    def __getattr__(self, name):
        return getattr(dbapi, name)

    def connect(self, dsn=None, **options):
        return AsyncAdapt_mocore_connection(dsn, **options)


# ---------------------------------------------------------------- the dialect
class MySQLDialect_mocore_async(MySQLDialect_mocore):
    driver = "mocore_async"
    is_async = True
    has_terminate = True
    supports_statement_cache = True
    supports_server_side_cursors = True

    @classmethod
    def import_dbapi(cls):
        return AsyncAdapt_mocore_dbapi()

    @classmethod
    def get_pool_class(cls, url):
        return pool.AsyncAdaptedQueuePool

    def do_terminate(self, dbapi_connection):
        dbapi_connection.terminate()

    def get_driver_connection(self, connection):
        return connection._connection


class MariaDBDialect_mocore_async(MySQLDialect_mocore_async):
    """``mariadb+mocore_async://``: SQLAlchemy's MariaDB flavour (is_mariadb set up front)."""

    is_mariadb = True
    supports_statement_cache = True
    name = "mariadb"


dialect = MySQLDialect_mocore_async
