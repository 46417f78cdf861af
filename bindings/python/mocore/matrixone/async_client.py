"""AsyncClient: the SDK's asyncio client, on mocore.

``await AsyncClient().connect(...)`` makes a SQLAlchemy AsyncEngine of mocore's
``mysql+mocore_async`` dialect (mocore.sqlalchemy_async): every pooled connection is a
mocore.aio.AsyncClient, whose statements wait in the event loop (no thread, no aiomysql).
``execute`` runs a statement on a pooled connection in its own transaction, so
``asyncio.gather`` of many ``execute`` calls runs them on as many connections at once. The
managers (``client.snapshots`` ...) are the SDK's Async* classes; they reach mocore's managers
through ``_mocore_async()``: a pooled connection per call, in autocommit mode.

Transactions:

* ``async with client.session() as s:`` -- an AsyncSession (mocore.matrixone.async_session),
  the SQLAlchemy AsyncSession with the managers bound to its transaction.
* ``async with client.transaction() as tx:`` -- the unified transaction: ``await
  tx.execute(sql, params)``, every manager (``await tx.snapshots.create(...)``), the ORM
  through ``tx.get_sqlalchemy_session()`` (a synchronous SQLAlchemy Session, see
  AsyncTransaction) and ``tx.session`` (the AsyncSession), all on ONE connection in ONE
  database transaction: committed together when the block ends, rolled back together when
  it raises.

Parameters of string SQL are never pasted into the text: ``?`` and ``%s`` with a sequence,
``%(name)s`` or ``:name`` with a mapping; mocore's C core renders the values."""

import asyncio as _asyncio
import contextlib as _contextlib
import inspect as _inspect
import time as _time

from .. import aio as _aio
from .base_client import MANAGERS, BaseMatrixOneClient, ManagerAccess, build_login
from .client import Client as _Client, ResultSet, SnapshotClient, driver_sql, result_set
from .client import _USE, _check_log_mode, _errors_of, _register_dialect
from .exceptions import ConnectionError, QueryError, reraise_as, translate
from ._table import create_table_sql
from .session import EXPLICIT_BEGIN

__all__ = ["AsyncClient", "AsyncResultSet", "AsyncTransaction", "AsyncSnapshotClient",
           "ASYNC_MANAGERS", "AsyncSnapshotManager", "AsyncCloneManager",
           "AsyncRestoreManager", "AsyncMoCtlManager"]

#: manager property -> (module of this package, SDK Async* class)
ASYNC_MANAGERS = {name: (module, "Async" + cls) for name, (module, cls) in MANAGERS.items()}

# Names the SDK's async_client module holds (four of its managers are defined there): here
# they live in their own modules and are found on first use.
_REEXPORTED = dict({cls: module for module, cls in ASYNC_MANAGERS.values()},
                   Snapshot="snapshot", SnapshotLevel="snapshot", AsyncSession="async_session")


def __getattr__(name):
    module = _REEXPORTED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    return getattr(import_module(f"{__package__}.{module}"), name)


class AsyncResultSet(ResultSet):
    """The rows of a statement, all read (the SDK's AsyncResultSet): ``columns``, ``rows``,
    ``affected_rows`` (also as ``rowcount``); fetchone/fetchmany/fetchall/scalar are plain
    methods (nothing is awaited: the rows are in memory)."""

    @property
    def rowcount(self):
        return self.affected_rows


def _async_result_set(rs):
    return AsyncResultSet(rs.columns, rs.rows, rs.affected_rows)


def _run_statement(conn, sql_or_stmt, params):
    """On a synchronous SQLAlchemy Connection (inside run_sync): the statement's ResultSet."""
    if isinstance(sql_or_stmt, str):
        return result_set(driver_sql(conn, sql_or_stmt, params))
    result = conn.execute(sql_or_stmt, params) if params else conn.execute(sql_or_stmt)
    return result_set(result)


_DATABASE_KEY = "mocore.matrixone.database"  # the pooled connection's current database


def _run_and_track(conn, sql_or_stmt, params):
    """_run_statement, and after a USE: the database now current (also recorded on the
    pooled connection)."""
    rs = _run_statement(conn, sql_or_stmt, params)
    if isinstance(sql_or_stmt, str) and _USE.match(sql_or_stmt):
        database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
        conn.connection.info[_DATABASE_KEY] = database
        return rs, database
    return rs, None


def _shown(sql_or_stmt):
    return sql_or_stmt if isinstance(sql_or_stmt, str) else f"<SQLAlchemy {type(sql_or_stmt).__name__}>"




def _logged(logger, sql_or_stmt, start, rows, log_mode):
    if logger is not None:
        logger.log_query(_shown(sql_or_stmt), _time.time() - start, rows, success=True,
                         log_mode=log_mode)


def _failed(logger, sql_or_stmt, start, e, log_mode, context):
    """Log a failed statement and raise it as QueryError (also the mocore category class of
    the cause); errors that are neither mocore's nor SQLAlchemy's pass unchanged."""
    if logger is not None:
        logger.log_query(_shown(sql_or_stmt), _time.time() - start, success=False,
                         log_mode=log_mode)
        logger.log_error(e, context=context)
    if _errors_of(e):
        raise translate(e, QueryError) from e
    raise e


def _row_count(rs):
    return len(rs.rows) if rs.columns else rs.affected_rows


def _table_name(table):
    if isinstance(table, str):
        return table
    name = getattr(table, "__tablename__", None)
    return name if name is not None else getattr(table, "name", table)


# ---------------------------------------------------------------- mocore targets
class _Rows:
    """What mocore.aio.AsyncResult gives the managers' plans (columns, rowcount, awaitable
    fetchall), over rows already read."""

    __slots__ = ("columns", "rowcount", "_rows")

    def __init__(self, rs):
        self.columns = rs.columns
        self.rowcount = rs.affected_rows if not rs.columns else len(rs.rows)
        self._rows = rs.rows

    async def fetchall(self):
        return list(self._rows)


def _green_client(sync_conn):
    """The mocore connection under a synchronous SQLAlchemy Connection of the
    mysql+mocore_async dialect (mocore.sqlalchemy_async._GreenClient: a mocore.aio
    AsyncClient whose blocking calls, the managers', wait through the event loop)."""
    dbapi = sync_conn.connection.dbapi_connection
    if not hasattr(dbapi, "client"):
        raise ConnectionError("the engine does not use mocore's dialect (mysql+mocore_async)")
    return dbapi.client


def _call_manager(sync_conn, name, method, args, kwargs):
    """mocore's ``<name>.<method>(*args, **kwargs)`` on the connection (inside run_sync)."""
    target = getattr(_aio._BlockingView(_green_client(sync_conn)), name)
    if method is not None:
        target = getattr(target, method)
    return target(*args, **kwargs)


@_aio._with_async_managers
class _PooledTarget:
    """AsyncClient._mocore_async(): mocore's managers (awaitable, mocore.aio's names) and
    ``execute``, each call on a pooled connection in autocommit mode."""

    def __init__(self, client):
        self._client = client

    @_contextlib.asynccontextmanager
    async def _autocommit(self):
        async with self._client._require_engine().connect() as conn:
            yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def _run_manager(self, name, method, args, kwargs):
        async with self._autocommit() as conn:
            return await conn.run_sync(_call_manager, name, method, args, kwargs)

    async def execute(self, sql, params=None):
        async with self._autocommit() as conn:
            return _Rows(await conn.run_sync(_run_statement, sql, params))


@_aio._with_async_managers
class _TransactionTarget:
    """The _mocore_async() of a transaction or session: mocore's managers and ``execute``
    on its connection, inside its transaction (pending ORM rows flushed first), one call
    at a time."""

    def __init__(self, owner):
        self._owner = owner  # an AsyncTransaction or an AsyncSession

    async def _run_manager(self, name, method, args, kwargs):
        return await self._owner._run_sync(_call_manager, name, method, args, kwargs)

    async def execute(self, sql, params=None):
        return _Rows(await self._owner._run_sync(_run_statement, sql, params))


def _manager_alias(name):
    """A property for another name of manager property ``name`` (setting it replaces the
    manager the property gives)."""
    def get(self):
        return getattr(self, name)

    def put(self, manager):
        self.__dict__.setdefault("_managers", {})[name] = manager
    return property(get, put)


# ---------------------------------------------------------------- the client
class AsyncClient(BaseMatrixOneClient, ManagerAccess):
    """The SDK's AsyncClient (see the module docstring). Options beyond the SDK's
    (``pool_size``, ``max_overflow``, ``pool_timeout``, ``pool_recycle``; ``dry_run=True``,
    ``server_kind=...``, ``log_mode`` ...: mocore.Client options) go to every connection
    of the engine."""

    _MANAGER_TABLE = ASYNC_MANAGERS

    def __init__(self, connection_timeout=30, query_timeout=300, auto_commit=True,
                 charset="utf8mb4", logger=None, sql_log_mode="auto", slow_query_threshold=1.0,
                 max_sql_display_length=500, *, pool_size=5, max_overflow=10, pool_timeout=30,
                 pool_recycle=3600, **mocore_options):
        self._init_settings(connection_timeout, query_timeout, auto_commit, charset, pool_size,
                            max_overflow, pool_timeout, pool_recycle, logger, sql_log_mode,
                            slow_query_threshold, max_sql_display_length, mocore_options)
        self._target = _PooledTarget(self)

    # ------------------------------------------------------------------ connecting
    async def connect(self, host="localhost", port=6001, user="root", password="111",
                      database=None, *, account=None, role=None, charset="utf8mb4",
                      connection_timeout=30, auto_commit=True, on_connect=None,
                      ssl_mode=None, ssl_ca=None, ssl_cert=None, ssl_key=None,
                      **mocore_options):
        """Make the engine (see the module docstring) and check that it connects. ``user``
        may carry the account and role ("acc#user#role", "acc:user:role"), or give them as
        ``account``/``role``. ``on_connect``: the SDK's connection hook, run on every new
        connection (default: ConnectionAction.ENABLE_ALL; [] for none). Failure raises
        ConnectionError (also the mocore category class of the cause)."""
        from sqlalchemy.engine import URL
        from sqlalchemy.ext.asyncio import create_async_engine
        login, info = build_login(user, account, role)
        if self._engine is not None:
            await self.disconnect()
        self._login_info = info
        self._connection_params = {
            "host": host, "port": port, "user": login, "password": password,
            "database": database, "charset": charset, "connect_timeout": connection_timeout,
            "autocommit": auto_commit}
        args = {"connect_timeout": connection_timeout, "charset": charset}
        for key, value in (("ssl_mode", ssl_mode), ("ssl_ca", ssl_ca), ("ssl_cert", ssl_cert),
                           ("ssl_key", ssl_key)):
            if value:
                args[key] = value
                self._connection_params[key] = value
        args.update(self._mocore_options)
        args.update(mocore_options)
        hook = self._connection_hook(on_connect)
        if hook is not None:
            args["on_connect"] = hook
        _register_dialect()
        url = URL.create("mysql+mocore_async", username=login, password=password, host=host,
                         port=port, database=database or None)
        try:
            self._adopt(create_async_engine(
                url, pool_size=self.pool_size, max_overflow=self.max_overflow,
                pool_timeout=self.pool_timeout, pool_recycle=self.pool_recycle,
                pool_pre_ping=True, connect_args=args), True)
            version = await self._server_version()      # connects now: errors surface here
            self.logger.log_connection(host, port, login, database, success=True)
        except Exception as e:
            await self._release()
            self.logger.log_connection(host, port, login, database, success=False)
            self.logger.log_error(e, context="Async connection")
            text = str(e)
            if "Unknown database" in text or "1049" in text:
                message = f"Database '{database}' does not exist. Please create it first: {text}"
            else:
                message = f"Failed to connect to MatrixOne: {text}"
            raise translate(e, ConnectionError, message) from e
        self._set_detected_version(version)
        await self._call_hook_now(on_connect)
        return self

    def _connection_hook(self, on_connect):
        """The on_connect value for mocore's connections (the SDK's default: ENABLE_ALL). A
        coroutine function as the custom hook cannot run inside a connection's connect
        (nothing can be awaited there): it is awaited once, right after connect(), and the
        actions run on every connection."""
        from .connection_hooks import ConnectionHook, split
        actions, fn, _unknown = split(on_connect)
        if fn is not None and _inspect.iscoroutinefunction(fn):
            on_connect = ConnectionHook(actions) if actions else []
        return _Client._connection_hook(self, on_connect)

    async def _call_hook_now(self, on_connect):
        """As the SDK: the custom hook is also called once with the client after connecting
        (awaited when it is a coroutine function)."""
        from .connection_hooks import split
        fn = split(on_connect)[1]
        if fn is None:
            return
        try:
            done = fn(self)
            if _inspect.isawaitable(done):
                await done
        except Exception as e:  # noqa: BLE001 — hooks are logged, never raised
            self.logger.warning(f"Immediate connection hook execution failed: {e}")

    def _adopt(self, engine, owned):
        """Use ``engine``: a pooled connection entering use goes to the client's current
        database (the connect's, or the last ``USE`` one of execute ran)."""
        from sqlalchemy import event
        self._engine, self._owns_engine = engine, owned
        self._database = engine.url.database
        self._checkout_listener = self._on_checkout
        event.listen(engine.sync_engine, "checkout", self._checkout_listener)

    _on_checkout = _Client._on_checkout      # (the pool's checkout event: no I/O but USE)
    _current_database = _Client._current_database

    async def _server_version(self):
        async with self._require_engine().connect() as conn:
            raw = await conn.get_raw_connection()
            return raw.driver_connection.server_version

    def _set_detected_version(self, server_version):
        from .version import parse_server_version
        found = parse_server_version(server_version)
        if found:
            self.set_backend_version(found)
        else:
            self.logger.debug(f"Could not parse version string: {server_version}")

    @classmethod
    def from_engine(cls, engine, **kwargs):
        """An AsyncClient on an existing AsyncEngine. An engine of mocore's dialect
        (``mysql+mocore_async://``) is used as it is (and left to its owner by disconnect).
        An engine of another MySQL driver (aiomysql, asyncmy) is not used: the client makes
        its own engine of mocore's dialect from the same URL (mocore runs every statement)
        and disposes of it on disconnect. A non-MySQL engine raises ConnectionError.
        ``kwargs`` are the constructor's (logger, sql_log_mode...)."""
        if not cls._is_mysql_async_engine(engine):
            raise ConnectionError("MatrixOne AsyncClient only supports MySQL drivers. "
                                  "Please use mysql+mocore_async:// connection strings. "
                                  f"Current engine uses: {engine.dialect.name}")
        from sqlalchemy.ext.asyncio import create_async_engine
        _register_dialect()
        return cls._on_engine(engine, kwargs, "mocore_async", create_async_engine)

    @staticmethod
    def _is_mysql_async_engine(engine):
        """True for an engine of a MySQL or MariaDB dialect (any driver)."""
        name = str(getattr(getattr(engine, "dialect", None), "name", "")).lower()
        return name in ("mysql", "mariadb")

    async def _release(self):
        engine, self._engine = self._engine, None
        if engine is None:
            return
        if self._owns_engine:
            await engine.dispose()
        else:  # the owner's engine goes on without this client
            from sqlalchemy import event
            event.remove(engine.sync_engine, "checkout", self._checkout_listener)

    async def disconnect(self):
        """Close the pooled connections and dispose of the engine (one the client was given
        by from_engine is left to its owner)."""
        if self._engine is None:
            return
        try:
            await self._release()
            self.logger.log_disconnection(success=True)
        except Exception as e:
            self.logger.log_disconnection(success=False)
            self.logger.log_error(e, context="Async disconnection")
            raise

    def disconnect_sync(self):
        """disconnect() for code that cannot await (the event loop is closed): the pooled
        connections are dropped without a goodbye (the server rolls back what was open)."""
        engine, self._engine = self._engine, None
        if engine is None:
            return
        try:
            if self._owns_engine:
                engine.sync_engine.dispose()
            self.logger.log_disconnection(success=True)
        except Exception as e:  # noqa: BLE001 — cleanup goes on
            self.logger.log_disconnection(success=False)
            self.logger.log_error(e, context="Sync disconnection")

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        if self.connected():
            await self.disconnect()
        return False

    # the SDK's private names of two managers (code written for the SDK reads and sets them)
    _vector = _manager_alias("vector_ops")
    _fulltext_index = _manager_alias("fulltext_index")

    # ------------------------------------------------------------------ mocore
    def _mocore_async(self):
        """mocore's managers, awaitable, each call on a pooled connection in autocommit mode
        (the contract of the SDK-shaped Async* managers)."""
        self._require_engine()
        return self._target

    # ------------------------------------------------------------------ statements
    async def execute(self, sql_or_stmt, params=None, log_mode=None):
        """Run one statement in its own transaction on a pooled connection; an
        AsyncResultSet. ``sql_or_stmt``: a SQL string (parameters: a sequence for
        ``?``/``%s``, a mapping for ``:name``/``%(name)s``) or a SQLAlchemy statement.
        Failure raises QueryError (also the mocore category class of the server's error)."""
        engine = self._require_engine()
        _check_log_mode(log_mode)
        start = _time.time()
        try:
            async with engine.begin() as conn:
                rs, database = await conn.run_sync(_run_and_track, sql_or_stmt, params)
            if database is not None:
                self._database = database
        except Exception as e:
            _failed(self.logger, sql_or_stmt, start, e, log_mode, "Async query execution")
        _logged(self.logger, sql_or_stmt, start, _row_count(rs), log_mode)
        return _async_result_set(rs)

    async def insert(self, table_name_or_model, data):
        """INSERT one row (a dict; values are parameters); an AsyncResultSet with
        ``affected_rows``."""
        with reraise_as(QueryError):
            rs = await self._mocore_async().insert(_table_name(table_name_or_model), data)
        return AsyncResultSet([], [], rs.affected_rows)

    async def batch_insert(self, table_name_or_model, data_list):
        """INSERT rows (dicts with the same columns) in multi-row statements; an
        AsyncResultSet with ``affected_rows`` (0 and nothing sent for an empty list)."""
        with reraise_as(QueryError):
            rs = await self._mocore_async().batch_insert(_table_name(table_name_or_model),
                                                         data_list)
        return AsyncResultSet([], [], rs.affected_rows)

    def query(self, *columns, snapshot=None):
        """The SDK's async query builder (mocore.matrixone.async_orm.AsyncMatrixOneQuery):
        ``await client.query(Model).filter_by(...).all()``."""
        from .async_orm import query_for
        return query_for(self, *columns, snapshot=snapshot)

    @_contextlib.asynccontextmanager
    async def snapshot(self, snapshot_name):
        """``async with client.snapshot("s1") as snap: await snap.execute("SELECT ...")``:
        reads at the snapshot (MatrixOne's ``{snapshot = '...'}``)."""
        self._require_engine()
        yield AsyncSnapshotClient(self, snapshot_name)

    # ------------------------------------------------------------------ transactions
    @_contextlib.asynccontextmanager
    async def session(self):
        """``async with client.session() as s:`` -- an AsyncSession (a SQLAlchemy
        AsyncSession with the managers bound to its transaction): committed when the block
        ends, rolled back when it raises, then closed."""
        from .async_session import AsyncSession
        s = AsyncSession(bind=self._require_engine(), client=self)
        try:
            await s.begin()
            yield s
            await s.commit()
        except BaseException:
            await s.rollback()
            raise
        finally:
            await s.close()

    @_contextlib.asynccontextmanager
    async def transaction(self):
        """``async with client.transaction() as tx:`` -- the unified transaction (see
        AsyncTransaction): ORM work, raw SQL and manager statements on one connection,
        committed together when the block ends, rolled back together when it raises."""
        tx = AsyncTransaction(self)
        await tx._open()
        try:
            yield tx
        except BaseException:
            await tx._end(commit=False)
            raise
        await tx._end(commit=True)

    # ------------------------------------------------------------------ tables
    async def create_table(self, table_name_or_model, columns=None, **kwargs):
        """CREATE TABLE from a model (its metadata) or from a name and a dict column -> type
        text ("int", "varchar(100)", "vecf32(128)"; "int primary key" marks the key;
        ``primary_key=`` names it too; a single integer key is AUTO_INCREMENT, as
        Client.create_table). Returns the client (chaining)."""
        if hasattr(table_name_or_model, "__table__"):
            with reraise_as(QueryError):
                async with self._require_engine().begin() as conn:
                    await conn.run_sync(table_name_or_model.__table__.create)
            return self
        if columns is None:
            raise ValueError("columns parameter is required when table_name_or_model is a string")
        with reraise_as(QueryError):
            await self._mocore_async().execute(create_table_sql(
                table_name_or_model, columns, kwargs.pop("primary_key", None)))
        return self

    async def drop_table(self, table_name_or_model):
        """DROP TABLE IF EXISTS. Returns the client (chaining)."""
        with reraise_as(QueryError):
            await self._mocore_async().drop_table(_table_name(table_name_or_model))
        return self

    async def create_table_with_index(self, table_name, columns, indexes=None, **kwargs):
        """create_table, then ``CREATE [UNIQUE] INDEX`` for each of ``indexes`` (dicts with
        "name", "columns" and optional "unique"). Returns the client (chaining)."""
        await self.create_table(table_name, columns, **kwargs)
        if indexes:
            statements = _index_statements(table_name, indexes)
            with reraise_as(QueryError):
                async with self._require_engine().begin() as conn:
                    for stmt in statements:
                        await conn.exec_driver_sql(stmt)
        return self

    async def create_table_orm(self, table_name, *columns, **kwargs):
        """CREATE TABLE from SQLAlchemy Column objects. Returns the client (chaining)."""
        from sqlalchemy import MetaData, Table
        metadata = MetaData()
        Table(table_name, metadata, *columns, **kwargs)
        with reraise_as(QueryError):
            async with self._require_engine().begin() as conn:
                await conn.run_sync(metadata.create_all)
        return self

    async def create_all(self, base_class=None):
        """CREATE TABLE for every table of a declarative base's metadata."""
        if base_class is None:
            return self
        with reraise_as(QueryError):
            async with self._require_engine().begin() as conn:
                await conn.run_sync(base_class.metadata.create_all)
        return self

    async def drop_all(self, base_class=None):
        """DROP TABLE IF EXISTS for every table of a declarative base's metadata (one by
        one: a failure is logged and the others still go)."""
        if base_class is None:
            return self
        for table in reversed(base_class.metadata.sorted_tables):
            try:
                await self.drop_table(table.name)
            except Exception as e:  # noqa: BLE001 — as the SDK: warn and go on
                self.logger.warning(f"Failed to drop table {table.name}: {e}")
        return self

    # ------------------------------------------------------------------ server
    async def version(self):
        """The server's version string (SELECT VERSION())."""
        return await self._scalar_info("SELECT VERSION()", "version")

    async def git_version(self):
        """MatrixOne's git version (SELECT git_version())."""
        return await self._scalar_info("SELECT git_version()", "git version")

    async def _scalar_info(self, sql, what):
        if not self.connected():
            raise ConnectionError("Not connected to MatrixOne")
        try:
            rs = await self.execute(sql)
        except QueryError as e:
            raise translate(e, QueryError, f"Failed to get {what}: {e}") from e
        if not rs.rows:
            raise QueryError(f"Failed to get {what} information")
        return rs.rows[0][0]

    # the version API does no I/O: the Client's methods
    _parse_matrixone_version = _Client._parse_matrixone_version
    set_backend_version = _Client.set_backend_version
    get_backend_version = _Client.get_backend_version
    is_feature_available = _Client.is_feature_available
    get_feature_info = _Client.get_feature_info
    check_version_compatibility = _Client.check_version_compatibility
    get_version_hint = _Client.get_version_hint
    is_development_version = _Client.is_development_version

    # ------------------------------------------------------------------ indexes
    def _indexes(self):
        from .index_utils import AsyncIndexInspector
        return AsyncIndexInspector(self)

    async def get_secondary_index_tables(self, table_name, database_name=None):
        """The physical tables of the table's secondary (MULTIPLE) and UNIQUE indexes."""
        return await self._indexes().get_secondary_index_tables(
            table_name, self._current_database(database_name))

    async def get_secondary_index_table_by_name(self, table_name, index_name, database_name=None):
        """The physical table of index ``index_name`` of the table (None when none)."""
        return await self._indexes().get_secondary_index_table_by_name(
            table_name, index_name, self._current_database(database_name))

    async def get_table_indexes_detail(self, table_name, database_name=None):
        """Every index table of the table (IVF, HNSW, fulltext, secondary) as dicts."""
        return await self._indexes().get_table_indexes_detail(
            table_name, self._current_database(database_name))

    async def verify_table_index_counts(self, table_name):
        """The table's row count when every secondary index table has as many rows (else
        ValueError naming every count)."""
        return await self._indexes().verify_table_index_counts(
            table_name, self._current_database(None))

    def get_pinecone_index(self, table_name_or_model, vector_column):
        """The Pinecone-compatible index over a table (mocore.matrixone.search_vector_index)."""
        from .search_vector_index import PineconeCompatibleIndex
        return PineconeCompatibleIndex(client=self, table_name=_table_name(table_name_or_model),
                                       vector_column=vector_column)


def _index_statements(table_name, indexes):
    """CREATE [UNIQUE] INDEX statements, every name quoted by the C core."""
    from .index_utils import quote_identifier
    table = ".".join(quote_identifier(part) for part in table_name.split(".", 1))
    out = []
    for index in indexes:
        columns = ", ".join(quote_identifier(c, "column name") for c in index["columns"])
        unique = "UNIQUE " if index.get("unique", False) else ""
        out.append(f"CREATE {unique}INDEX {quote_identifier(index['name'], 'index name')} "
                   f"ON {table} ({columns})")
    return out


# ---------------------------------------------------------------- snapshot reads
class AsyncSnapshotClient(SnapshotClient):
    """Reads at a snapshot: ``await execute(sql, params)`` adds MatrixOne's
    ``{snapshot = 'name'}`` to the first table of the FROM clause."""

    async def execute(self, sql, params=None):
        return await self.client.execute(self._snapshot_sql(sql), params)


# ---------------------------------------------------------------- the unified transaction
class _TransactionRows:
    """insert / batch_insert / query of AsyncTransaction and AsyncSession: on ``self._target``
    (a _TransactionTarget), inside the transaction."""

    async def insert(self, table_name_or_model, data):
        """INSERT one row (a dict; values are parameters) inside the transaction; a result
        with ``rowcount`` and ``affected_rows``."""
        with reraise_as(QueryError):
            rs = await self._target.insert(_table_name(table_name_or_model), data)
        return AsyncResultSet([], [], rs.affected_rows)

    async def batch_insert(self, table_name_or_model, data_list):
        """INSERT rows (dicts with the same columns) inside the transaction."""
        with reraise_as(QueryError):
            rs = await self._target.batch_insert(_table_name(table_name_or_model), data_list)
        return AsyncResultSet([], [], rs.affected_rows)

    def query(self, *columns, snapshot=None):
        """The SDK's async query builder, run inside the transaction."""
        from .async_orm import query_for
        return query_for(self.client, *columns, snapshot=snapshot, transaction_wrapper=self)


class AsyncTransaction(_TransactionRows, ManagerAccess):
    """One connection, one database transaction, for everything of an ``async with
    client.transaction() as tx:`` block (see AsyncClient.transaction):

    * ``await tx.execute(sql, params)`` -- raw SQL (``?``/``%s`` parameters): an
      AsyncResultSet; ``await tx.insert(...)``, ``await tx.batch_insert(...)``;
    * ``await tx.snapshots.create(...)``, ``tx.clone``, ``tx.moctl``... -- every manager;
    * ``tx.session`` -- the AsyncSession (SQLAlchemy AsyncSession) of the transaction:
      ``tx.session.add(obj)``, ``await tx.session.execute(select(...))``;
    * ``await tx.get_sqlalchemy_session()`` -- the same session as a synchronous SQLAlchemy
      Session (``session.add(u); session.flush(); session.query(User).all()``), as in the
      SDK's documents. Its statements block the event loop while they run (synchronous
      code cannot wait in the loop). An awaited statement starts on the next turn of the
      loop, so synchronous ORM steps of tasks gathered with it run first; a synchronous
      statement while an awaited one of the same transaction is in flight raises
      MisuseError.

    Pending ORM changes are flushed before each raw statement and manager call, so
    statements reach the server in the order written. Awaited statements run one at a
    time (``asyncio.gather`` over one transaction queues them). MySQL and MariaDB commit
    implicitly before DDL (CREATE TABLE, CREATE SNAPSHOT is MatrixOne's), which ends the
    transaction there; MatrixOne keeps it."""

    _MANAGER_TABLE = ASYNC_MANAGERS

    def __init__(self, client):
        self.client = client
        self._conn = None       # the AsyncConnection
        self._dbapi = None      # its mocore.sqlalchemy_async connection
        self._session = None    # the AsyncSession joined to the connection's transaction
        self._lock = _asyncio.Lock()
        self._target = _TransactionTarget(self)

    def _manager_owner(self):
        return self.client, self

    async def _open(self):
        from .async_session import AsyncSession
        conn = await self.client._require_engine().connect()
        try:
            await conn.begin()
            await conn.exec_driver_sql(EXPLICIT_BEGIN)
            raw = await conn.get_raw_connection()
            self._dbapi = raw.dbapi_connection
            self._dbapi.allow_blocking(True)
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        # joins the connection's transaction: the session's own commit() does not end it
        self._session = AsyncSession(bind=conn, client=self.client)

    async def _end(self, commit):
        conn = self._conn
        if conn is None:
            return
        try:
            async with self._lock:
                if commit:
                    await self._session.flush()
                    await conn.commit()
                else:
                    try:
                        await conn.rollback()
                    except Exception:  # noqa: BLE001 — the block's exception matters more
                        pass
        finally:
            self._conn = None
            try:
                await self._session.close()
            finally:
                try:
                    self._dbapi.allow_blocking(False)
                except Exception:  # noqa: BLE001 — a closed connection is not pooled again
                    pass
                await conn.close()

    def _check(self):
        if self._conn is None:
            raise ConnectionError("the transaction is over")

    async def _run_sync(self, fn, *args):
        """fn(sync Connection, *args) on the transaction's connection, pending ORM changes
        flushed first, one call at a time."""
        self._check()
        # The statement starts on the next turn of the loop: synchronous ORM work of the
        # tasks started with it (asyncio.gather of awaited and synchronous steps, as in the
        # SDK's document) runs first, while the connection is idle.
        await _asyncio.sleep(0)
        async with self._lock:
            session = self._session

            def run(sync_session):
                sync_session.flush()
                return fn(sync_session.connection(), *args)

            return await session.run_sync(run)

    def _mocore_async(self):
        """mocore's managers, awaitable, on the transaction's connection."""
        self._check()
        return self._target

    @property
    def connection(self):
        """The SQLAlchemy AsyncConnection of the transaction."""
        self._check()
        return self._conn

    def get_connection(self):
        """The SQLAlchemy AsyncConnection of the transaction (as the sync wrapper's)."""
        return self.connection

    @property
    def session(self):
        """The AsyncSession of the transaction (mocore.matrixone.async_session)."""
        self._check()
        return self._session

    async def get_sqlalchemy_session(self):
        """The transaction's ORM session as a synchronous SQLAlchemy Session (see the class
        docstring): its work commits or rolls back with the transaction."""
        self._check()
        return self._session.sync_session

    async def execute(self, sql_or_stmt, params=None, log_mode=None):
        """Run a statement inside the transaction; an AsyncResultSet (QueryError on failure,
        also the mocore category class of the server's error)."""
        _check_log_mode(log_mode)
        start = _time.time()
        try:
            rs = await self._run_sync(_run_statement, sql_or_stmt, params)
        except Exception as e:
            _failed(self.client.logger, sql_or_stmt, start, e, log_mode,
                    "Async transaction execution")
        _logged(self.client.logger, sql_or_stmt, start, _row_count(rs), log_mode)
        return _async_result_set(rs)

    # the SDK documents' AsyncTransactionWrapper names
    async def commit_sqlalchemy(self):
        """Flush the ORM session's pending changes into the transaction (they commit with
        it)."""
        await self._run_sync(lambda conn: None)

    async def rollback_sqlalchemy(self):
        """Forget the ORM session's pending (unflushed) changes; what was flushed stays in
        the transaction until it ends."""
        self._check()
        self._session.expunge_all()

    async def close_sqlalchemy(self):
        """Nothing to do: the session closes with the transaction."""
