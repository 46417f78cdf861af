"""AsyncSession: the SDK's asyncio session, a SQLAlchemy AsyncSession with the managers
bound to its transaction (``async with client.session() as s:``).

    async with client.session() as s:
        s.add(User(name="ada"))                                   # ORM
        await s.execute("UPDATE stats SET n = n + ? WHERE id = ?", (1, 7))   # raw SQL
        await s.snapshots.create("s1", SnapshotLevel.TABLE, database="db", table="users")
    # committed together here; an exception in the block rolls all of it back

It runs on an AsyncEngine (or AsyncConnection) of mocore's ``mysql+mocore_async`` dialect.
String SQL runs on the session's connection through SQLAlchemy (``?``/``%s`` parameters
with a sequence, ``%(name)s``/``:name`` with a mapping; the values are rendered by mocore's
C core, never pasted), after pending ORM changes are flushed. The managers
(``s.snapshots``, ``s.clone``, ``s.vector_ops`` ...) are the SDK's Async* classes with the
session as executor; their statements run on the session's current connection, inside its
transaction (``_mocore_async()``). Statements and manager calls of one session run one at
a time (``asyncio.gather`` over one session queues them)."""

import asyncio as _asyncio
import time as _time

from sqlalchemy.ext.asyncio import AsyncEngine as _AsyncEngine, AsyncSession as _SAAsyncSession

from .async_client import (ASYNC_MANAGERS, _TransactionRows, _TransactionTarget, _failed,
                           _logged, _table_name)
from .base_client import ManagerAccess
from .client import _check_log_mode, driver_sql
from .exceptions import QueryError, reraise_as
from ._table import create_table_sql
from .session import explicit_begin

__all__ = ["AsyncSession"]


class AsyncSession(_TransactionRows, ManagerAccess, _SAAsyncSession):
    """The SDK's AsyncSession (see the module docstring). ``AsyncSession(bind=engine,
    client=async_client)``; ``AsyncSession(client=..., wrap_session=existing)`` takes over an
    existing SQLAlchemy AsyncSession (its state is shared). ``expire_on_commit`` is False,
    as in the SDK."""

    _MANAGER_TABLE = ASYNC_MANAGERS

    def __init__(self, bind=None, client=None, wrap_session=None, **kwargs):
        self.client = client
        if wrap_session is not None:
            self.__dict__.update(wrap_session.__dict__)
        else:
            kwargs.setdefault("expire_on_commit", False)
            super().__init__(bind=bind, **kwargs)
            if isinstance(bind, _AsyncEngine):
                # each transaction the session begins on a connection of its own is an
                # explicit one (session.EXPLICIT_BEGIN); a session bound to a connection
                # joins the transaction its owner began
                explicit_begin(self.sync_session)
        self._lock = _asyncio.Lock()
        self._target = _TransactionTarget(self)

    def _manager_owner(self):
        return self.client, self

    def _mocore_async(self):
        """mocore's managers, awaitable, on the session's connection and transaction."""
        return self._target

    async def _run_sync(self, fn, *args):
        """fn(sync Connection, *args) on the session's connection (a transaction begun if
        none is open), pending ORM changes flushed first, one call at a time."""
        async with self._lock:
            def run(sync_session):
                sync_session.flush()
                return fn(sync_session.connection(), *args)
            return await self.run_sync(run)

    async def execute(self, sql_or_stmt, params=None, **kwargs):
        """A SQL string (see the module docstring) or any SQLAlchemy statement, inside the
        session's transaction; SQLAlchemy's result. ``log_mode=`` overrides the client's SQL
        log mode for this call. Failure raises QueryError (also the mocore category class of
        the server's error)."""
        log_mode = kwargs.pop("log_mode", None)
        _check_log_mode(log_mode)
        start = _time.time()
        try:
            if isinstance(sql_or_stmt, str):
                result = await self._run_sync(driver_sql, sql_or_stmt, params)
            else:
                result = await super().execute(sql_or_stmt, params, **kwargs)
        except Exception as e:
            _failed(self._logger(), sql_or_stmt, start, e, log_mode,
                    "Async session query execution")
        rows = None if getattr(result, "returns_rows", False) else getattr(result, "rowcount", 0)
        _logged(self._logger(), sql_or_stmt, start, rows, log_mode)
        return result

    def _logger(self):
        return getattr(self.client, "logger", None)

    async def create_table(self, table_name, columns, **kwargs):
        """CREATE TABLE (see AsyncClient.create_table) on the session's connection."""
        with reraise_as(QueryError):
            await self._target.execute(create_table_sql(table_name, columns,
                                                        kwargs.pop("primary_key", None)))
        return self

    async def drop_table(self, table_name):
        """DROP TABLE IF EXISTS on the session's connection."""
        with reraise_as(QueryError):
            await self._target.drop_table(_table_name(table_name))
        return self
