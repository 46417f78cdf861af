"""mocore.aio — asyncio clients and sessions on the C library's non-blocking API.

    import asyncio
    from mocore import aio

    async def main():
        client = await aio.connect("mysql://user:pw@127.0.0.1:3306/db")
        result = await client.execute("SELECT id, name FROM t WHERE id > ?", [10])
        async for row in result:                  # tuples of native values
            print(row)
        async with client.session() as s:         # BEGIN ... COMMIT, ROLLBACK on error
            await s.execute("INSERT INTO t (name) VALUES (?)", ["x"])
        await client.close()

    asyncio.run(main())

How it waits: every call starts a C operation (``mo_*_start``, capi/mocore/async.h). While it
needs the network, the operation reports its socket, the events it waits for and a timeout;
this module registers the socket with the running loop (``loop.add_reader`` /
``loop.add_writer``, ``loop.call_later`` for the timeout), awaits, and continues the
operation with the events that happened. There are no threads and no executor: 50 queries on
50 connections run concurrently in one thread. The C state machines are the same ones the
blocking API runs, so results, errors (the same exception classes as ``mocore``) and
transaction semantics are identical.

Rows: ``stream=False`` (default) reads the whole result while the statement is awaited, then
iterating it never waits. ``stream=True`` reads one row per ``await`` from the wire.

Cancelling a task while a statement is in flight (``task.cancel()``, ``asyncio.wait_for``
timeouts) closes that statement's connection: the client or session it ran on is poisoned
(later calls raise ``MisuseError``, a session's ``state`` is ``"poisoned"``); open a new
client or session. The server rolls back an open transaction when the connection closes.
With ``AsyncClient(url, cancel="kill")`` (and its sessions) a cancelled statement is instead
stopped on the server (``KILL QUERY`` from a connection of its own) and its answer read: the
client or session stays usable (a session keeps its transaction; the killed statement did
not happen), and only when that fails within ``mocore._green.KILL_GRACE`` seconds (5) is
the connection closed. See docs/async.md.

A client, session or result runs one operation at a time: starting a second one while the
first is pending raises ``MisuseError`` (category ``"misuse"``). Use one client per
concurrent task (or a session each).
"""

import asyncio

from . import mocore_core as _core
from . import _green
from . import Result as _Result, _config, _install_hooks, _journal, _params, _SESSION_STATES, SERVER_KINDS
from .errors import InterfaceError, ProgrammingError, Error
from .managers import _Managers

__all__ = ["AsyncClient", "AsyncSession", "AsyncResult", "AsyncManager", "AsyncPool", "connect"]

_AGAIN = _core.MO_AGAIN


async def _drive(started, owner=None):
    """Wait in the running loop until the op of ``started`` (the (status, op) pair a
    ``mo_*_start`` call returns) is done. Returns (final status, op). Errors raise the
    category's exception. Cancelling the awaiting task cancels the op (see the module doc);
    a statement of an ``owner`` made with ``cancel="kill"`` is killed instead."""
    st, op = started
    while st == _AGAIN:
        try:
            ev = await _green.ready(_core.mo_op_socket(op), _core.mo_op_events(op),
                                    _core.mo_op_timeout_ms(op))
        except asyncio.CancelledError:
            killed = False  # True: the server stopped the statement, the handle is usable
            try:
                if owner is not None and owner._kill_on_cancel:
                    killed = await _kill_and_drain(owner, op)
            finally:
                if not killed:
                    _core.mo_op_cancel(op)
            raise
        except BaseException:
            # The loop is going away mid-operation: the wire is mid-step, so the C side
            # gives the connection up and the handle is poisoned, never out of sync.
            _core.mo_op_cancel(op)
            raise
        st = _core.mo_op_continue(op, ev)
    return st, op


async def _kill(owner):
    """KILL QUERY the statement running on owner's connection, from a connection of its own
    (mo_client_kill_query_start), within the connect timeout of the kill connection."""
    await _drive(_core.mo_client_kill_query_start(owner._client_handle(),
                                                  owner._connection_id()))


async def _kill_and_drain(owner, op):
    """The cancel that does not poison: kill the statement of the pending ``op``, then read
    its answer (ER_QUERY_INTERRUPTED, or its result when it finished first) so the connection
    stays in sync. True when that worked; False (the caller then cancels the op, poisoning the
    handle) when the kill failed, or the answer took longer than ``KILL_GRACE`` seconds."""
    async def kill_then_drain():
        await _kill(owner)
        try:
            await _drive((_AGAIN, op))
        except Error:
            pass  # the interrupted answer: read, the connection in sync

    try:
        await asyncio.wait_for(kill_then_drain(), _green.KILL_GRACE)
        return True
    except Exception:
        return False


def _flags(stream, log):
    flags = _core.MO_EXEC_STREAMING if stream else _core.MO_EXEC_BUFFERED
    if log is not None:
        flags |= {"off": _core.MO_EXEC_LOG_OFF, "simple": _core.MO_EXEC_LOG_SIMPLE,
                  "full": _core.MO_EXEC_LOG_FULL, "auto": _core.MO_EXEC_LOG_AUTO}[log]
    return flags


def _check_sql(sql):
    if not isinstance(sql, str):
        raise ProgrammingError(f"sql must be a str, not {type(sql).__name__}", 0, "",
                               "execute", "invalid_argument")


class AsyncResult:
    """The rows and counters of one statement. ``async for row in result``, or
    ``await fetchone() / fetchmany(n) / fetchall() / scalar()``. ``columns``, ``description``,
    ``rowcount`` and ``lastrowid`` as on mocore.Result."""

    __slots__ = ("_r", "_stream", "_done")

    def __init__(self, handle, stream):
        self._r = _Result(handle, stream)
        self._stream = stream
        self._done = _core.mo_result_column_count(handle) == 0

    columns = property(lambda self: self._r.columns, doc=_Result.columns.__doc__)
    column_types = property(lambda self: self._r.column_types, doc=_Result.column_types.__doc__)
    description = property(lambda self: self._r.description, doc=_Result.description.__doc__)
    rowcount = property(lambda self: self._r.rowcount, doc=_Result.rowcount.__doc__)
    lastrowid = property(lambda self: self._r.lastrowid, doc=_Result.lastrowid.__doc__)
    warning_count = property(lambda self: self._r.warning_count,
                             doc=_Result.warning_count.__doc__)

    async def fetchone(self):
        """The next row as a tuple, or None at the end (awaits the wire when streaming)."""
        if not self._stream:
            return self._r.fetchone()  # buffered: already in memory, never waits
        if self._done:
            return None
        h = self._r._h
        st, _op = await _drive(_core.mo_result_next_start(h))
        if st != _core.MO_ROW:
            self._done = True
            return None
        return _core.mo_py_row(h, self._r._meta)

    async def fetchmany(self, size=100):
        """Up to ``size`` next rows as a list of tuples."""
        rows = []
        while len(rows) < size:
            row = await self.fetchone()
            if row is None:
                break
            rows.append(row)
        return rows

    async def fetchall(self):
        """All the remaining rows as a list of tuples."""
        if not self._stream:
            return self._r.fetchall()
        rows = []
        while True:
            row = await self.fetchone()
            if row is None:
                return rows
            rows.append(row)

    async def scalar(self):
        """The first column of the first row (None when there is no row)."""
        row = await self.fetchone()
        return None if row is None else row[0]

    def __aiter__(self):
        return self

    async def __anext__(self):
        row = await self.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    def close(self):
        """Release the result (a stream not read to its end is drained by the next statement
        on its connection, or when the result is released — blocking; see aclose)."""
        self._r.close()

    async def aclose(self):
        """Read what is left of a stream to its end through the event loop (rows are not
        kept), then release the result: the release never blocks."""
        h = self._r._h
        try:
            if self._stream and h is not None:
                while not self._done:
                    st, _op = await _drive(_core.mo_result_next_start(h))
                    if st != _core.MO_ROW:
                        self._done = True
        finally:
            self._r.close()


class _BlockingView(_Managers):
    """The synchronous manager surface (mocore.Client's) over an async client or session;
    its calls are run by _green.run, so their waits go to the event loop."""

    def __init__(self, owner):
        self._owner = owner

    def _executor(self):
        return self._owner._executor()


class AsyncManager:
    """A manager (``client.snapshots``, ``s.load_data``...) whose methods are coroutines:
    ``await client.snapshots.create("s1", "database", database="db")``. The same methods,
    arguments and records as the synchronous manager of mocore.Client; each call runs
    through its owner's ``_run_manager``."""

    __slots__ = ("_owner", "_name")

    def __init__(self, owner, name):
        self._owner = owner
        self._name = name

    def _sync(self):
        return getattr(_BlockingView(None), self._name)  # constructing a manager does no I/O

    def __getattr__(self, method):
        attr = getattr(self._sync(), method)
        if method.startswith("_") or not callable(attr):
            return attr
        owner, name = self._owner, self._name

        async def call(*args, **kwargs):
            return await owner._run_manager(name, method, args, kwargs)

        call.__name__ = call.__qualname__ = method
        call.__doc__ = attr.__doc__
        return call

    def __dir__(self):
        return [n for n in dir(self._sync()) if not n.startswith("_")]

    def __repr__(self):
        return f"<async {type(self._sync()).__name__}>"


def _with_async_managers(cls):
    """Give cls every manager attribute of the synchronous Client and Session, awaitable:
    manager properties (``snapshots``, ``load_data``...) become AsyncManagers, methods
    (``insert``, ``batch_insert``...) coroutines; cls provides ``_run_manager(name, method,
    args, kwargs)`` (a coroutine). Generated from the mixins of the synchronous classes, so
    the names cannot drift apart."""
    for mixin in (_Managers,):
        for name, attr in vars(mixin).items():
            if name.startswith("_"):
                continue
            if isinstance(attr, property):
                setattr(cls, name, property(lambda self, name=name: AsyncManager(self, name),
                                            doc=attr.__doc__))
            elif callable(attr):
                async def method(self, *args, _name=name, **kwargs):
                    return await self._run_manager(_name, None, args, kwargs)
                method.__name__ = method.__qualname__ = name
                method.__doc__ = attr.__doc__
                setattr(cls, name, method)
    return cls


class _AsyncExecutor:
    _h = None
    _start = None
    _kill_on_cancel = False
    _ex = None      # the mo_executor of the managers, made on first use
    _new_executor = None

    def _executor(self):
        if self._ex is None:
            self._ex = type(self)._new_executor(self._handle())
        return self._ex

    def _run_manager(self, name, method, args, kwargs):
        target = getattr(_BlockingView(self), name)
        if method is not None:
            target = getattr(target, method)
        on_cancel = (lambda: _kill(self)) if self._kill_on_cancel else None
        return _green.run_with(on_cancel, target, args, kwargs)

    def _handle(self):
        if self._h is None:
            raise InterfaceError(f"the {type(self).__name__.lower()} is closed", 0, "",
                                 type(self).__name__.lower(), "misuse")
        return self._h

    async def execute(self, sql, params=None, stream=False, log=None):
        """Run one statement; ``?`` placeholders are filled from ``params``. ``stream=True``
        reads rows from the wire as you iterate; ``log`` overrides the log mode."""
        _check_sql(sql)
        started = type(self)._start(self._handle(), sql, _params(params), _flags(stream, log))
        _st, op = await _drive(started, self)
        return AsyncResult(_core.mo_op_finish_result(op), stream)

    async def query(self, sql, params=None):
        """await execute(...), then fetchall()."""
        return await (await self.execute(sql, params)).fetchall()

    async def scalar(self, sql, params=None):
        """The first column of the first row of ``sql`` (None when it returns no row)."""
        return await (await self.execute(sql, params)).scalar()


@_with_async_managers
class AsyncSession(_AsyncExecutor):
    """One connection in one transaction (BEGIN sent when opened). As an async context
    manager it commits on normal exit and rolls back (re-raising) on an exception."""

    _start = staticmethod(_core.mo_session_execute_start)
    _new_executor = staticmethod(_core.mo_session_executor)

    def __init__(self, client, handle):
        self.client = client
        self._h = handle
        self._kill_on_cancel = client._kill_on_cancel

    def _client_handle(self):
        return self.client._handle()

    def _connection_id(self):
        return _core.mo_session_connection_id(self._handle())

    async def commit(self):
        """COMMIT the transaction."""
        await _drive(_core.mo_session_commit_start(self._handle()))

    async def rollback(self):
        """ROLLBACK the transaction."""
        await _drive(_core.mo_session_rollback_start(self._handle()))

    @property
    def state(self):
        """"idle", "in_transaction", "aborted" or "poisoned"."""
        return _SESSION_STATES.get(_core.mo_session_get_state(self._handle()), "unknown")

    @property
    def in_transaction(self):
        """True while a transaction is open (state "in_transaction")."""
        return self.state == "in_transaction"

    @property
    def closed(self):
        """True once closed (for a client: also before connect())."""
        return self._h is None

    async def close(self):
        """Roll back an open transaction and release the connection."""
        self._ex = None  # the executor holds a reference to the session: release it first
        h, self._h = self._h, None
        if h is not None:
            h.thisown = False  # released by the op, not by the proxy's destructor
            await _drive(_core.mo_session_close_start(h))

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        try:
            if self._h is not None and self.state != "poisoned":
                if exc_type is None:
                    if self.in_transaction:
                        await self.commit()
                else:
                    try:
                        await self.rollback()
                    except Error:
                        pass  # the original exception matters more
        finally:
            await self.close()
        return False


class _SessionOpener:
    """``async with client.session() as s:`` or ``s = await client.session()``."""

    __slots__ = ("_client", "_session")

    def __init__(self, client):
        self._client = client
        self._session = None

    async def _open(self):
        _st, op = await _drive(_core.mo_session_open_start(self._client._handle()))
        return AsyncSession(self._client, _core.mo_op_finish_session(op))

    def __await__(self):
        return self._open().__await__()

    async def __aenter__(self):
        self._session = await self._open()
        return self._session

    async def __aexit__(self, *exc):
        return await self._session.__aexit__(*exc)


@_with_async_managers
class AsyncClient(_AsyncExecutor):
    """A connection in autocommit mode and the factory of sessions, for asyncio.

    ``client = await mocore.aio.connect(url, **options)``, or
    ``client = AsyncClient(url, **options); await client.connect()``, or
    ``async with AsyncClient(url, **options) as client:``. Options, ``logger`` and
    ``on_connect`` are those of mocore.Client. ``cancel``: what cancelling a task does to
    the statement it awaits — ``"close"`` (default: the connection is closed, the handle
    poisoned) or ``"kill"`` (KILL QUERY from a second connection; the handle stays usable);
    see the module doc."""

    _start = staticmethod(_core.mo_client_execute_start)
    _new_executor = staticmethod(_core.mo_client_executor)

    def __init__(self, url=None, *, logger=None, on_connect=None, cancel="close", **options):
        if cancel not in ("close", "kill"):
            raise ProgrammingError('cancel must be "close" or "kill"', 0, "", "client.connect",
                                   "invalid_argument")
        self._kill_on_cancel = cancel == "kill"
        self._cfg, self._sink = _config(url, logger, options)
        # on_connect hooks run inside the connect (blocking, and only when given)
        self._hook = _install_hooks(self._cfg, on_connect, self._sink)  # C borrows it
        # Blocking calls (the managers) wait through the loop: see mocore._green.
        _core.mo_py_config_set_wait_callable(self._cfg, _green.wait)
        self._h = None

    async def connect(self):
        """Open the connection (awaitable; ``async with AsyncClient(...)`` does it).
        Returns the client."""
        if self._h is None:
            _st, op = await _drive(_core.mo_client_connect_start(self._cfg))
            self._h = _core.mo_op_finish_client(op)
        return self

    async def close(self):
        """Say goodbye to the server and release the connection."""
        self._ex = None
        h, self._h = self._h, None
        if h is not None:
            h.thisown = False  # released by the op, not by the proxy's destructor
            await _drive(_core.mo_client_close_start(h))

    def terminate(self):
        """Release the connection at once, without awaiting anything: the socket is closed
        without a goodbye (the server sees the connection end and rolls back what was
        open). For cleanup where nothing can be awaited (garbage collection, a discarded
        pooled connection)."""
        self._ex = None
        h, self._h = self._h, None
        if h is not None:
            h.thisown = False  # released by the op, which is freed at once (drops the socket)
            _core.mo_client_close_start(h)

    @property
    def closed(self):
        """True once closed (for a client: also before connect())."""
        return self._h is None

    async def __aenter__(self):
        return await self.connect()

    async def __aexit__(self, *exc):
        await self.close()
        return False

    async def ping(self):
        """Check that the connection is alive; raises (ConnectionLostError...) when not."""
        await _drive(_core.mo_client_ping_start(self._handle()))

    def session(self):
        """A new AsyncSession (BEGIN already sent): ``async with client.session() as s:``
        or ``s = await client.session()``."""
        return _SessionOpener(self)

    @property
    def server_kind(self):
        """"matrixone", "mysql" or "mariadb"."""
        return SERVER_KINDS.get(_core.mo_client_server_kind(self._handle()), "unknown")

    @property
    def server_version(self):
        """The server's version string (SELECT VERSION())."""
        return _core.mo_client_server_version(self._handle())

    @property
    def connection_id(self):
        """The server's id of this connection (CONNECTION_ID())."""
        return _core.mo_client_connection_id(self._handle())

    def _client_handle(self):
        return self._handle()

    def _connection_id(self):
        return _core.mo_client_connection_id(self._handle())

    async def kill_query(self, connection_id):
        """Stop the statement running on server connection ``connection_id`` (KILL QUERY
        from a connection of its own; mo_client_kill_query). Usable while this client is
        busy; the killed statement raises InterruptedError and its handle stays usable."""
        await _drive(_core.mo_client_kill_query_start(self._handle(), connection_id))

    @property
    def journal(self):
        """The statements a dry-run client (and its sessions) would have sent, in order."""
        return _journal(self._handle())

    def clear_journal(self):
        """Forget the statements recorded so far by a dry-run client."""
        _core.mo_client_journal_clear(self._handle())


async def connect(url=None, **options):
    """``await mocore.aio.connect("mysql://user:pw@host:port/db")`` -> a connected AsyncClient."""
    return await AsyncClient(url, **options).connect()


class _PoolConnection:
    """``await pool.connection()`` -> an AsyncClient; ``async with pool.connection() as c:``
    gives it back on exit."""

    def __init__(self, pool):
        self._pool = pool
        self._client = None

    def __await__(self):
        return self._pool.acquire().__await__()

    async def __aenter__(self):
        self._client = await self._pool.acquire()
        return self._client

    async def __aexit__(self, *exc):
        await self._client.close()
        return False


class AsyncPool:
    """A pool of connections for asyncio (mo_pool through its non-blocking acquire).

    ``pool = AsyncPool(url, pool_size=8, max_overflow=8, pool_timeout=10, pre_ping=True)``
    takes mocore.Pool's arguments (``cancel`` as AsyncClient's). ``await pool.acquire()`` (or
    ``async with pool.connection() as client:``) hands out an AsyncClient on a pooled
    connection; ``await client.close()`` gives it back (the reset runs in the loop). An
    acquire that has to wait for a connection waits in the loop, not in a thread; cancelling
    it leaves the queue. ``pool.stats`` as mocore.Pool's."""

    def __init__(self, url=None, *, cancel="close", **options):
        if cancel not in ("close", "kill"):
            raise ProgrammingError('cancel must be "close" or "kill"', 0, "", "pool.new",
                                   "invalid_argument")
        from .pool import Pool
        self._kill_on_cancel = cancel == "kill"
        # Blocking calls of its clients (the managers) wait through the loop: mocore._green.
        self.pool = Pool(url, _wait=_green.wait, **options)

    async def acquire(self):
        """An AsyncClient on a pooled connection (waits in the loop up to pool_timeout)."""
        _st, op = await _drive(_core.mo_pool_acquire_start(self.pool._handle()))
        client = AsyncClient.__new__(AsyncClient)
        client._kill_on_cancel = self._kill_on_cancel
        client._cfg = None
        client._sink = None
        client._hook = None
        client._pool = self.pool  # keeps what the C side borrows alive
        client._h = _core.mo_op_finish_client(op)
        return client

    def connection(self):
        """``async with pool.connection() as client:`` (or ``await pool.connection()``)."""
        return _PoolConnection(self)

    @property
    def stats(self):
        """mocore.Pool.stats of the pool."""
        return self.pool.stats

    def close(self):
        """Close the idle connections; clients still out are closed when given back."""
        self.pool.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.close()
        return False
