"""Session: the SDK's transaction-aware SQLAlchemy Session, and the unified transaction of
``client.transaction()``.

``Session`` is an ``sqlalchemy.orm.Session`` with every manager of the SDK bound to its
transaction (``s.snapshots``, ``s.clone``, ``s.load_data`` ...): a manager's statements run on
the session's current connection, after the pending ORM changes are flushed, so ORM work, raw
SQL (``s.execute("...", params)``) and manager statements commit or roll back together. The
managers reach mocore's own managers through ``s._mocore()`` (mocore.orm.WrappedSession over
this session). ``Session(client=c, wrap_session=existing)`` / ``wrap_session(existing, c)``
bind the managers to an existing SQLAlchemy Session instead (both objects share one
state: what either does, the other sees).

``TransactionWrapper`` is what ``with client.transaction() as tx:`` yields: raw SQL,
``tx.get_sqlalchemy_session()`` (the Session of the transaction) and the managers, all on
the one transaction."""

import time as _time

import sqlalchemy.engine as _sa_engine
import sqlalchemy.orm as _sa_orm
from sqlalchemy import event as _event

from .base_client import ManagerAccess, create_vector_indexes
from .client import _check_log_mode, _errors_of, driver_sql, result_set
from .exceptions import QueryError, reraise_as, translate
from ._table import create_table_sql

__all__ = ["Session", "TransactionWrapper", "wrap_session", "AsyncSession"]


#: Sent when a session's transaction begins on a connection of its own (Session on an
#: engine, so client.session() and client.transaction(); the async sessions and
#: transactions too). The DB-API transaction of a mocore connection is implicit
#: (autocommit=0); MatrixOne 4.2 treats an implicit transaction differently from a BEGIN one
#: (a table CLONE inside it does not see the transaction's own rows), so the transaction is
#: made explicit, as the SDK's documents assume. (MySQL and MariaDB: no change, nothing is
#: pending at that point.)
EXPLICIT_BEGIN = "BEGIN"


def explicit_begin(session):
    """Make every transaction that the SQLAlchemy Session ``session`` (a sync Session, or an
    AsyncSession's sync_session) begins on a connection an explicit BEGIN; nested ones
    (SAVEPOINTs) are left alone. A session bound to a connection joins its owner's
    transaction instead: not for those."""
    _event.listen(session, "after_begin", _send_begin)


def _send_begin(session, transaction, connection):
    if not transaction.nested:
        connection.exec_driver_sql(EXPLICIT_BEGIN)


def __getattr__(name):
    if name == "AsyncSession":  # the SDK's session module holds both
        from .async_session import AsyncSession
        return AsyncSession
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _SessionOperations:
    """What Session and TransactionWrapper share on top of ``_session()`` (the Session) and
    ``client``."""

    def _mocore(self):
        """mocore's managers on the session's transaction (mocore.orm.WrappedSession)."""
        session = self._session()
        wrapped = session.__dict__.get("_mocore_wrapped")
        if wrapped is None:
            from ..orm import wrap
            wrapped = wrap(session)
            session.__dict__["_mocore_wrapped"] = wrapped
        return wrapped

    def _manager_owner(self):
        return self.client, self

    def insert(self, table_name, data):
        """INSERT one row in the transaction (values are parameters); a ResultSet
        (``affected_rows``, also ``rowcount``)."""
        with reraise_as(QueryError):
            return result_set(self._mocore().insert(table_name, data))

    def batch_insert(self, table_name, data_list):
        """INSERT rows in the transaction as multi-row statements; a ResultSet (an empty
        list sends nothing)."""
        with reraise_as(QueryError):
            return result_set(self._mocore().batch_insert(table_name, data_list))

    def query(self, *columns, snapshot=None):
        """The SDK's query builder, run on the transaction's connection."""
        from .orm import query_for
        return query_for(self.client, *columns, snapshot=snapshot, transaction_wrapper=self)

    def create_table(self, table_name, columns=None, **kwargs):
        """CREATE TABLE in the transaction: an ORM model, or a name and a dict column -> SDK
        type text (as Client.create_table). MySQL and MariaDB commit before DDL."""
        session = self._session()
        if hasattr(table_name, "__table__"):
            session.flush()
            with reraise_as(QueryError):
                table_name.__table__.create(session.connection())
            return self
        if columns is None:
            raise ValueError("columns must be provided when table_name is a string")
        with reraise_as(QueryError):
            self._mocore().execute(create_table_sql(table_name, columns,
                                                    kwargs.get("primary_key")))
        return self

    def drop_table(self, table_name):
        """DROP TABLE IF EXISTS in the transaction."""
        with reraise_as(QueryError):
            self._mocore().drop_table(table_name)
        return self

    def create_table_with_index(self, table_name, columns, indexes=None, **kwargs):
        """create_table, then the vector indexes (dicts of name, column, type, params)."""
        self.create_table(table_name, columns, **kwargs)
        create_vector_indexes(self.vector_ops, table_name, indexes)
        return self

    def create_table_orm(self, table_name, *columns, **kwargs):
        """CREATE TABLE from SQLAlchemy Column/Index objects, in the transaction."""
        from sqlalchemy import MetaData, Table
        session = self._session()
        table = Table(table_name, MetaData(), *columns)
        session.flush()
        with reraise_as(QueryError):
            table.create(session.connection())
        return self


def _execute(session, client, sql_or_stmt, params, kw, run_statement):
    """Session.execute of the SDK: strings as driver SQL with the SDK's parameter forms on
    the session's connection (pending ORM changes flushed first), statements through
    SQLAlchemy; logged by the client's logger; errors as QueryError."""
    log_mode = kw.pop("log_mode", None)
    _check_log_mode(log_mode)
    logger = getattr(client, "logger", None)
    is_text = isinstance(sql_or_stmt, str)
    shown = sql_or_stmt if is_text else f"<SQLAlchemy {type(sql_or_stmt).__name__}>"
    start = _time.time()
    try:
        if is_text:
            session.flush()
            result = driver_sql(session.connection(), sql_or_stmt, params)
        else:
            result = run_statement(sql_or_stmt, params, **kw)
    except Exception as e:
        if logger is not None:
            logger.log_query(shown, _time.time() - start, success=False, log_mode=log_mode)
            logger.log_error(e, context="Session query execution")
        if _errors_of(e):
            raise translate(e, QueryError) from e
        raise
    if logger is not None:
        rows = None if getattr(result, "returns_rows", False) else getattr(result, "rowcount", 0)
        logger.log_query(shown, _time.time() - start, rows, success=True, log_mode=log_mode)
    return result


class Session(_SessionOperations, ManagerAccess, _sa_orm.Session):
    """The SDK's Session (see the module docstring). ``Session(bind=engine, client=c)``;
    ``expire_on_commit`` defaults to False, as in the SDK."""

    def __init__(self, bind=None, client=None, wrap_session=None, **kwargs):
        if wrap_session is not None:
            if not isinstance(wrap_session, _sa_orm.Session):
                raise TypeError("wrap_session must be a sqlalchemy.orm.Session")
            # one state for both objects: the same identity map, transaction and connection
            object.__setattr__(self, "__dict__", wrap_session.__dict__)
        else:
            if bind is None and client is not None:
                bind = client.get_sqlalchemy_engine()
            kwargs.setdefault("expire_on_commit", False)
            super().__init__(bind=bind, **kwargs)
            if isinstance(bind, _sa_engine.Engine):
                explicit_begin(self)
        self.client = client

    def _session(self):
        return self

    def execute(self, sql_or_stmt, params=None, **kwargs):
        """A SQL string (``?``/``%s`` with a sequence, ``:name``/``%(name)s`` with a
        mapping) or a SQLAlchemy statement, in the session's transaction; SQLAlchemy's
        Result. ``log_mode=`` overrides the client's SQL log mode for this statement."""
        return _execute(self, self.client, sql_or_stmt, params, kwargs,
                        lambda stmt, p, **kw: super(Session, self).execute(stmt, p, **kw))

    def get_connection(self):
        """The SQLAlchemy Connection of the session's transaction."""
        return self.connection()


def wrap_session(session, client=None):
    """The SDK's managers and execute bound to an existing SQLAlchemy Session."""
    return Session(client=client, wrap_session=session)


class TransactionWrapper(_SessionOperations, ManagerAccess):
    """``with client.transaction() as tx:`` (see the module docstring). Attributes it does
    not define are the Session's (``tx.add``, ``tx.flush``...)."""

    def __init__(self, session, client):
        self._sa_session = session
        self.client = client

    def _session(self):
        return self._sa_session

    def execute(self, sql, params=None, **kwargs):
        """Raw SQL (or a SQLAlchemy statement) in the transaction; SQLAlchemy's Result."""
        return self._sa_session.execute(sql, params, **kwargs)

    def get_sqlalchemy_session(self):
        """The SQLAlchemy Session of the transaction (ORM work there joins it)."""
        return self._sa_session

    def get_connection(self):
        """The SQLAlchemy Connection of the transaction."""
        return self._sa_session.connection()

    def __getattr__(self, name):
        return getattr(self._sa_session, name)
