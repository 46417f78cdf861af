"""Unified transactions: SQLAlchemy ORM work, raw SQL and the mocore managers in ONE
transaction, on an engine of the ``mysql+mocore`` dialect.

    from mocore.orm import Session, session
    engine = create_engine("mysql+mocore://user:pw@host:6001/db")

    with session(engine) as s:                  # like the MatrixOne SDK's client.session()
        s.add(User(name="ada"))                 # ORM
        s.execute("UPDATE stats SET n = n + ? WHERE id = ?", [1, 7])   # raw SQL, ? params
        s.batch_insert("events", [{"kind": "signup"}])                 # a manager
        s.snapshots.create("before_merge", "table", database="db", table="users")
    # committed together here; an exception anywhere in the block rolls all of it back

How: every DB-API connection of mocore.dbapi is one mocore.Client on one server connection,
and the managers of that client run on that very connection. A unified session asks the
SQLAlchemy Session for its current connection (``Session.connection()``, which begins the
transaction when none is open) and runs the managers' statements there, after flushing
pending ORM changes so statements reach the server in the order they were written. So the
managers share the transaction of the ORM work, whatever SQLAlchemy does with it:
``commit()``/``rollback()`` in the middle behave as SQLAlchemy documents (the session begins
a new transaction on next use, possibly on another pooled connection, which the managers
then follow).

Three ways in, as in the SDK:
  * ``Session(bind=engine, **kw)`` — an ``sqlalchemy.orm.Session`` subclass with the managers
    attached (``sessionmaker(engine, class_=Session)`` works); ``execute`` also takes SQL
    strings with ``?`` parameters.
  * ``Session(wrap_session=existing)`` / ``wrap(existing)`` — the managers bound to an
    existing SQLAlchemy Session (every other attribute is the wrapped session's).
  * ``session(engine or wrap_session=...)`` — a context manager: commit on normal exit,
    rollback and re-raise on an exception, close (a wrapped session is left open).

MySQL and MariaDB commit implicitly before DDL and account statements (CREATE TABLE,
CREATE USER, GRANT...): such manager operations end the transaction on those servers (the
ORM rows before them are then committed); plain DML (insert, batch_insert...) does not."""

import contextlib as _contextlib

import sqlalchemy.orm as _sa_orm

from .errors import InterfaceError as _InterfaceError
from .managers import _Managers

__all__ = ["Session", "WrappedSession", "AsyncWrappedSession", "wrap", "wrap_async", "session"]


class _Unified(_Managers):
    """The managers, raw SQL and the journal, over ``self._orm()`` (a SQLAlchemy Session)."""

    def _orm(self):
        raise NotImplementedError

    def dbapi_connection(self):
        """The mocore.dbapi Connection of the session's current transaction (begun if none
        is open)."""
        conn = self._orm().connection().connection.dbapi_connection
        if not hasattr(conn, "client"):
            raise _InterfaceError("the session's engine does not use the mysql+mocore dialect",
                                  0, "", "orm.session", "misuse")
        return conn

    def _executor(self):
        orm = self._orm()
        orm.flush()                      # pending ORM rows go first, in the order written
        return self.dbapi_connection().client._executor()

    def _execute_sql(self, sql, params=None, execution_options=None):
        """A SQL string with ``?`` placeholders on the session's connection, through
        SQLAlchemy (its events fire); returns a CursorResult."""
        orm = self._orm()
        orm.flush()
        conn = orm.connection()
        if params is None:
            return conn.exec_driver_sql(sql, execution_options=execution_options)
        if isinstance(params, list) and params and isinstance(params[0], (list, tuple)):
            return conn.exec_driver_sql(sql, [tuple(p) for p in params],
                                        execution_options=execution_options)
        return conn.exec_driver_sql(sql, tuple(params), execution_options=execution_options)

    @property
    def journal(self):
        """The dry-run journal of the current connection (statements in order)."""
        return self.dbapi_connection().client.journal


class Session(_Unified, _sa_orm.Session):
    """An SQLAlchemy Session with the mocore managers (see the module docstring).
    ``Session(wrap_session=s)`` returns a :class:`WrappedSession` around ``s`` instead."""

    def __new__(cls, *args, wrap_session=None, client=None, **kw):
        if wrap_session is not None:
            return WrappedSession(wrap_session)
        return super().__new__(cls)

    def __init__(self, bind=None, *, wrap_session=None, client=None, **kw):
        # ``client=`` is the SDK's spelling: an Engine, or anything with an ``engine``
        if bind is None and client is not None:
            bind = getattr(client, "engine", client)
        super().__init__(bind=bind, **kw)

    def _orm(self):
        return self

    def execute(self, statement, params=None, *args, **kw):
        """SQL strings run as driver SQL with ``?`` parameters (a sequence, or a list of
        sequences for executemany); anything else is SQLAlchemy's Session.execute."""
        if isinstance(statement, str):
            return self._execute_sql(statement, params, kw.get("execution_options"))
        return super().execute(statement, params, *args, **kw)


class WrappedSession(_Unified):
    """The mocore managers and raw SQL over an existing SQLAlchemy Session; every other
    attribute (add, flush, commit, scalars, ...) is the wrapped session's own."""

    def __init__(self, orm_session):
        if not isinstance(orm_session, _sa_orm.Session):
            raise TypeError("wrap_session must be a sqlalchemy.orm.Session")
        object.__setattr__(self, "_wrapped", orm_session)

    def _orm(self):
        return self._wrapped

    @property
    def session(self):
        """The wrapped SQLAlchemy Session."""
        return self._wrapped

    def execute(self, statement, params=None, *args, **kw):
        """SQL strings run as driver SQL with ``?`` parameters, as Session.execute above;
        anything else goes to the wrapped SQLAlchemy session."""
        if isinstance(statement, str):
            return self._execute_sql(statement, params, kw.get("execution_options"))
        return self._wrapped.execute(statement, params, *args, **kw)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)

    def __setattr__(self, name, value):
        setattr(self._wrapped, name, value)


def wrap(orm_session):
    """The managers and raw SQL bound to an existing SQLAlchemy Session."""
    return WrappedSession(orm_session)


def _async_managers(cls):
    from .aio import _with_async_managers  # mocore.aio's generator of the awaitable names
    return _with_async_managers(cls)


@_async_managers
class AsyncWrappedSession:
    """The managers bound to a SQLAlchemy AsyncSession of a ``mysql+mocore_async`` engine,
    as awaitables with the names of the synchronous ones:

        async with async_sessionmaker(engine)() as s:
            s.add(User(name="ada"))
            await mocore.orm.wrap_async(s).batch_insert("events", [{"kind": "signup"}])
            await s.commit()                # the ORM row and the events together

    Each call runs in ``AsyncSession.run_sync`` on the session's current transaction (pending
    ORM changes flushed first), exactly as on the synchronous unified session; its network
    waits go to the event loop (the AsyncClient's wait function, inside SQLAlchemy's
    greenlet). Every other attribute is the AsyncSession's."""

    def __init__(self, async_session):
        object.__setattr__(self, "_async_session", async_session)

    async def _run_manager(self, name, method, args, kwargs):
        def call(sync_session):
            target = getattr(WrappedSession(sync_session), name)
            if method is not None:
                target = getattr(target, method)
            return target(*args, **kwargs)
        return await self._async_session.run_sync(call)

    def __getattr__(self, name):
        return getattr(self._async_session, name)


def wrap_async(async_session):
    """The managers bound to an existing SQLAlchemy AsyncSession, awaitable (see
    AsyncWrappedSession)."""
    return AsyncWrappedSession(async_session)


@_contextlib.contextmanager
def session(bind=None, *, wrap_session=None, **kw):
    """A unified session as a transaction block, as the SDK's ``client.session()``: commit
    on normal exit, rollback and re-raise on any exception, then close (a wrapped session
    is not closed: it belongs to the caller). ``kw`` goes to the SQLAlchemy Session
    (``expire_on_commit=False`` by default, as in the SDK)."""
    if wrap_session is not None:
        s, own = WrappedSession(wrap_session), False
    else:
        kw.setdefault("expire_on_commit", False)
        s, own = Session(bind, **kw), True
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        if own:
            s.close()
