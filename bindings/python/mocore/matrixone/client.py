"""Client: the SDK's synchronous client, on mocore.

``Client.connect(...)`` makes a SQLAlchemy engine of mocore's ``mysql+mocore`` dialect
(mocore.sqlalchemy_dialect): every pooled connection is a mocore.dbapi connection, i.e. one
mocore.Client on one server connection. The client keeps one pooled connection in autocommit
mode for itself: ``execute``, ``insert``, the table helpers and every manager
(``client.snapshots`` ...) run there (``_mocore()`` is its mocore.Client, with mocore's
managers), so a ``USE db`` sent through ``execute`` holds for the managers too, and the
sessions and transactions the client opens on other pooled connections start in that
database as well.

Parameters of string SQL are never pasted into the text: ``?`` and ``%s`` with a sequence,
``%(name)s`` or ``:name`` with a mapping; mocore's C core renders the values."""

import re as _re
import threading as _threading
import time as _time
from contextlib import contextmanager as _contextmanager

from .base_client import (MANAGERS, BaseMatrixOneClient, ManagerAccess, build_login,
                          create_vector_indexes)
from .exceptions import ConnectionError, QueryError, mocore_error, reraise_as, translate
from ._table import create_table_sql
from ..result_set import ResultSet

__all__ = ["Client", "ResultSet", "SnapshotClient", "ClientExecutor"]

_LOG_MODES = (None, "off", "auto", "simple", "full")
_USE = _re.compile(r"\s*use\s", _re.IGNORECASE)
_DATABASE_KEY = "mocore.matrixone.database"  # a pooled connection's current database (record.info)


def _check_log_mode(log_mode):
    if log_mode not in _LOG_MODES:
        raise ValueError(f"Invalid log_mode '{log_mode}'. Must be one of 'off', 'auto', "
                         "'simple', 'full'")


def _register_dialect():
    from .. import sqlalchemy_dialect
    sqlalchemy_dialect.register()


def __getattr__(name):
    """The SDK's client module also exports the manager classes (``from matrixone.client
    import VectorManager``): looked up in their modules on use."""
    for module, cls in MANAGERS.values():
        if cls == name:
            from importlib import import_module
            return getattr(import_module(f"{__package__}.{module}"), cls)
    if name == "Session":
        from .session import Session
        return Session
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def result_set(result):
    """A ResultSet of a SQLAlchemy CursorResult, a mocore.Result or a manager's result set
    (rows read). The rows of a CursorResult stay SQLAlchemy Rows, as in the SDK: indexable,
    equal to tuples, and ``row.column`` (``client.query(M).filter(...).execute()
    .fetchall()[0].id``)."""
    if isinstance(result, ResultSet):
        return result
    if hasattr(result, "returns_rows"):
        if result.returns_rows:
            return ResultSet(list(result.keys()), list(result.fetchall()))
        return ResultSet([], [], affected_rows=result.rowcount)
    columns = list(getattr(result, "columns", ()) or ())
    if columns:
        return ResultSet(columns, [tuple(r) for r in result.fetchall()])
    affected = getattr(result, "affected_rows", None)
    if affected is None:
        affected = getattr(result, "rowcount", 0)
    return ResultSet([], [], affected_rows=affected)


def driver_sql(conn, sql, params):
    """Run string SQL on a SQLAlchemy Connection with the SDK's parameter forms: None (the
    text as it is), a sequence for ``?`` or ``%s`` placeholders, a mapping for ``:name`` or
    ``%(name)s``. Values go to mocore's C core, never into the text here."""
    if params is None or (isinstance(params, (tuple, list, dict)) and not params):
        # mocore.dbapi reads %% as % when parameters (even none) are given, as PyMySQL does:
        # doubled, the text reaches the server exactly as written
        return conn.exec_driver_sql(sql.replace("%", "%%"))
    if isinstance(params, dict):
        if "%(" in sql:
            return conn.exec_driver_sql(sql, params)
        from sqlalchemy import text
        return conn.execute(text(sql), params)
    if isinstance(params, (tuple, list)):
        return conn.exec_driver_sql(sql, tuple(params))
    return conn.exec_driver_sql(sql, (params,))


def _sql_preview(sql, limit=500):
    """A statement on one line, cut at ``limit`` characters (for error texts)."""
    one = " ".join(sql.split())
    return one if len(one) <= limit else one[:limit] + " ..."


def _errors_of(e):
    """True when a mocore error or a SQLAlchemy error is behind e (translated to QueryError)."""
    from sqlalchemy import exc as sa_exc
    return mocore_error(e) is not None or isinstance(e, sa_exc.SQLAlchemyError)


def sql_literal(client, value):
    """``value`` as an SQL string literal, rendered by mocore's C core for the client's
    connection (a dry-run client when it has none)."""
    import mocore
    from .. import mocore_core as core
    get = getattr(client, "_mocore", None)
    executor = None
    if get is not None:
        try:
            executor = get()._executor()
        except Exception:  # noqa: BLE001 — not connected: render as a dry run would
            executor = None
    if executor is None:
        executor = _dry_client()._executor()
    return core.mo_executor_render_sql(executor, "?", mocore._params([value]))


_DRY = []


def _dry_client():
    if not _DRY:
        import mocore
        _DRY.append(mocore.Client(dry_run=True))
    return _DRY[0]


class Client(BaseMatrixOneClient, ManagerAccess):
    """The SDK's Client (see the module docstring). Connection arguments given to the
    constructor connect at once (all of host, port, user, password and database), else call
    ``connect``. Options beyond the SDK's (``dry_run=True``, ``server_kind=...``, ``log_mode``
    ... : mocore.Client options) go to every connection of the engine."""

    def __init__(self, host=None, port=None, user=None, password=None, database=None,
                 ssl_mode="preferred", ssl_ca=None, ssl_cert=None, ssl_key=None, account=None,
                 role=None, pool_size=10, max_overflow=20, pool_timeout=30, pool_recycle=3600,
                 connection_timeout=30, query_timeout=300, auto_commit=True, charset="utf8mb4",
                 logger=None, sql_log_mode="auto", slow_query_threshold=1.0,
                 max_sql_display_length=500, on_connect=None, **mocore_options):
        self._init_settings(connection_timeout, query_timeout, auto_commit, charset, pool_size,
                            max_overflow, pool_timeout, pool_recycle, logger, sql_log_mode,
                            slow_query_threshold, max_sql_display_length, mocore_options)
        self._conn = None               # the client's own SQLAlchemy Connection (autocommit)
        self._conn_made = self._conn_used = 0.0
        self._lock = _threading.RLock()
        self._on_connect = None
        if all(v is not None for v in (host, port, user, password, database)):
            self.connect(host=host, port=port, user=user, password=password, database=database,
                         ssl_mode=ssl_mode, ssl_ca=ssl_ca, ssl_cert=ssl_cert, ssl_key=ssl_key,
                         account=account, role=role, charset=charset,
                         connection_timeout=connection_timeout, auto_commit=auto_commit,
                         on_connect=on_connect)

    # ------------------------------------------------------------------ connecting
    def connect(self, host="localhost", port=6001, user="root", password="111", database=None,
                *, ssl_mode="preferred", ssl_ca=None, ssl_cert=None, ssl_key=None, account=None,
                role=None, charset="utf8mb4", connection_timeout=30, auto_commit=True,
                on_connect=None, **mocore_options):
        """Make the engine (see the class docstring) and connect. ``user`` may carry the
        account and role ("acc#user#role", "acc:user:role"), or give them as
        ``account``/``role``. ``ssl_mode``: disabled, preferred, required, verify_ca,
        verify_identity. ``on_connect``: the SDK's connection hook, run on every new
        connection (default ConnectionAction.ENABLE_ALL; [] for none; see
        connection_hooks). Failure raises ConnectionError (also the mocore category class of
        the cause)."""
        from sqlalchemy import create_engine, event
        from sqlalchemy.engine import URL
        login, info = build_login(user, account, role)
        if self._engine is not None:
            self.disconnect()
        self._login_info = info
        self._connection_params = {
            "host": host, "port": port, "user": login, "password": password,
            "database": database, "charset": charset, "connect_timeout": connection_timeout,
            "autocommit": auto_commit, "ssl_mode": ssl_mode}
        args = {"connect_timeout": connection_timeout, "charset": charset}
        if ssl_mode:
            args["ssl_mode"] = ssl_mode
        for key, value in (("ssl_ca", ssl_ca), ("ssl_cert", ssl_cert), ("ssl_key", ssl_key)):
            if value:
                args[key] = value
                self._connection_params[key] = value
        args.update(self._mocore_options)
        args.update(mocore_options)
        self._on_connect = on_connect
        hook = self._connection_hook(on_connect)
        if hook is not None:
            args["on_connect"] = hook
        _register_dialect()
        url = URL.create("mysql+mocore", username=login, password=password, host=host,
                         port=port, database=database or None)
        try:
            engine = create_engine(url, pool_size=self.pool_size, max_overflow=self.max_overflow,
                                   pool_timeout=self.pool_timeout, pool_recycle=self.pool_recycle,
                                   pool_pre_ping=True, connect_args=args)
            self._adopt(engine, True)
            self._connection()               # connects now: errors surface here
            self.logger.log_connection(host, port, login, database, success=True)
        except Exception as e:
            self._release()
            self.logger.log_connection(host, port, login, database, success=False)
            self.logger.log_error(e, context="Connection")
            text = str(e)
            if "Unknown database" in text or "1049" in text:
                message = f"Database '{database}' does not exist. Please create it first: {text}"
            else:
                message = f"Failed to connect to MatrixOne: {text}"
            raise translate(e, ConnectionError, message) from e
        self._detect_backend_version()
        self._call_hook_now(on_connect)

    def _connection_hook(self, on_connect):
        """The on_connect value for mocore's connections (the SDK's default: ENABLE_ALL)."""
        from .connection_hooks import mocore_hook
        if on_connect is None:
            on_connect = ["enable_all"]
        return mocore_hook(self, on_connect)

    def _call_hook_now(self, on_connect):
        """The SDK also calls a custom hook once with the client right after connecting."""
        from .connection_hooks import split
        fn = split(on_connect)[1]
        if fn is None:
            return
        try:
            fn(self)
        except Exception as e:  # noqa: BLE001 — hooks are logged, never raised
            self.logger.warning(f"Immediate connection hook execution failed: {e}")

    def _adopt(self, engine, owned):
        """Use ``engine``: new pooled connections enter the client's current database."""
        from sqlalchemy import event
        self._engine, self._owns_engine = engine, owned
        self._database = engine.url.database
        event.listen(engine, "checkout", self._on_checkout)

    def _on_checkout(self, dbapi_connection, record, proxy):
        wanted = self._database
        if not wanted or not hasattr(dbapi_connection, "select_db"):
            return
        current = record.info.get(_DATABASE_KEY, self._engine.url.database)
        if current != wanted:
            dbapi_connection.select_db(wanted)
            record.info[_DATABASE_KEY] = wanted

    @classmethod
    def from_engine(cls, engine, **kwargs):
        """A Client on an existing SQLAlchemy engine. An engine of mocore's dialect
        (``mysql+mocore://``) is used as it is (and left to its owner by disconnect). An
        engine of another MySQL driver (PyMySQL, mysqlclient...) is not used: the client
        makes its own engine of mocore's dialect from the same URL (mocore runs every
        statement) and disposes of it on disconnect. A non-MySQL engine raises
        ConnectionError. ``kwargs`` are the constructor's (logger, sql_log_mode...)."""
        if not cls._is_mysql_engine(engine):
            raise ConnectionError("MatrixOne Client only supports MySQL drivers. "
                                  "Please use mysql+mocore:// connection strings. "
                                  f"Current engine uses: {engine.dialect.name}")
        from sqlalchemy import create_engine
        _register_dialect()
        client = cls._on_engine(engine, kwargs, "mocore", create_engine)
        client._detect_backend_version()
        return client

    @staticmethod
    def _is_mysql_engine(engine):
        """True for an engine of a MySQL or MariaDB dialect (any driver)."""
        name = str(getattr(getattr(engine, "dialect", None), "name", "")).lower()
        if name in ("mysql", "mariadb"):
            return True
        url = str(getattr(engine, "url", "")).lower()
        return url.startswith(("mysql+", "mysql:", "mariadb+", "mariadb:"))

    def _detect_backend_version(self):
        from .version import parse_server_version
        try:
            text = self._mocore().server_version
        except Exception as e:  # noqa: BLE001 — the SDK only warns
            self.logger.warning(f"Failed to detect backend version: {e}")
            return
        found = parse_server_version(text)
        if found:
            self.set_backend_version(found)
        else:
            self.logger.debug(f"Could not parse version string: {text}")

    def _release(self):
        from sqlalchemy import event
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 — a dead connection goes anyway
                pass
        engine, self._engine = self._engine, None
        if engine is not None:
            try:
                event.remove(engine, "checkout", self._on_checkout)
            except Exception:  # noqa: BLE001
                pass
            if self._owns_engine:
                engine.dispose()

    def disconnect(self):
        """Close the client's connection and dispose of the engine (an engine given to
        from_engine is left to its owner)."""
        if self._engine is None:
            return
        try:
            self._release()
            self.logger.log_disconnection(success=True)
        except Exception as e:
            self.logger.log_disconnection(success=False)
            self.logger.log_error(e, context="Disconnection")
            raise

    # ------------------------------------------------------------------ the client's connection
    #: seconds the client's connection may sit idle before its next use pings it first
    #: (the pool's pre-ping, for the one connection the client keeps)
    IDLE_PING_SECONDS = 30.0

    def _connection(self):
        """The client's own SQLAlchemy Connection, in autocommit mode: made on first use;
        pinged before use after IDLE_PING_SECONDS idle, replaced when the server dropped
        it or when it is older than pool_recycle."""
        engine = self._require_engine()
        conn = self._conn
        now = _time.monotonic()
        if conn is not None and not (conn.closed or conn.invalidated):
            if self.pool_recycle and self.pool_recycle > 0 and now - self._conn_made > self.pool_recycle:
                self._drop_connection()
                conn = None
            elif now - self._conn_used > self.IDLE_PING_SECONDS:
                try:
                    conn.connection.dbapi_connection.ping()
                except Exception:  # noqa: BLE001 — gone: a new one below
                    self._drop_connection(invalidate=True)
                    conn = None
        elif conn is not None:
            self._drop_connection()
            conn = None
        if conn is None:
            conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if not hasattr(conn.connection.dbapi_connection, "client"):
                conn.close()
                raise ConnectionError("the engine does not use mocore's dialect (mysql+mocore)")
            self._conn, self._conn_made = conn, now
        self._conn_used = now
        return conn

    def _drop_connection(self, invalidate=False):
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if invalidate:
                conn.invalidate()
            conn.close()
        except Exception:  # noqa: BLE001 — a dead connection goes anyway
            pass

    def _mocore(self):
        """The mocore.Client of the client's connection: mocore's managers, autocommit."""
        return self._connection().connection.dbapi_connection.client

    def _track_database(self, conn):
        """After a USE: the database every connection of the client enters (and the one
        this connection is in, for when the pool hands it out again)."""
        self._database = conn.connection.dbapi_connection.client.scalar("SELECT DATABASE()")
        conn.connection.info[_DATABASE_KEY] = self._database

    # ------------------------------------------------------------------ statements
    def execute(self, sql_or_stmt, params=None, log_mode=None):
        """Run one statement (autocommit); a ResultSet. ``sql_or_stmt``: a SQL string
        (parameters: a sequence for ``?``/``%s``, a mapping for ``:name``/``%(name)s``) or
        a SQLAlchemy statement (select, insert, update, delete, text, DDL). Failure raises
        QueryError (also the mocore category class of the server's error:
        ``except mocore.ConstraintError`` catches a duplicate key)."""
        self._require_engine()
        _check_log_mode(log_mode)
        is_text = isinstance(sql_or_stmt, str)
        shown = sql_or_stmt if is_text else f"<SQLAlchemy {type(sql_or_stmt).__name__}>"
        start = _time.time()
        with self._lock:
            try:
                conn = self._connection()
                if is_text:
                    result = driver_sql(conn, sql_or_stmt, params)
                else:
                    result = conn.execute(sql_or_stmt, params) if params else conn.execute(sql_or_stmt)
                rs = result_set(result)
                if is_text and _USE.match(sql_or_stmt):
                    self._track_database(conn)
            except Exception as e:
                self._after_error()
                self.logger.log_query(shown, _time.time() - start, success=False, log_mode=log_mode)
                self.logger.log_error(e, context="Query execution")
                if _errors_of(e):
                    err = translate(e, QueryError)
                    if is_text:  # the statement follows the error, as SQLAlchemy shows it
                        err = translate(e, QueryError, f"{err}\n[SQL: {_sql_preview(sql_or_stmt)}]")
                    raise err from e
                raise
        rows = len(rs.rows) if rs.columns else rs.affected_rows
        self.logger.log_query(shown, _time.time() - start, rows, success=True, log_mode=log_mode)
        return rs

    def _after_error(self):
        conn = self._conn
        if conn is not None and conn.invalidated:
            self._drop_connection()

    def _execute_with_logging(self, connection, sql, context="SQL execution", log_mode=None):
        """The SDK's internal helper: ``sql`` on a SQLAlchemy connection, logged; errors as
        QueryError."""
        start = _time.time()
        try:
            result = driver_sql(connection, sql, None)
        except Exception as e:
            self.logger.log_query(sql, _time.time() - start, success=False, log_mode=log_mode)
            self.logger.log_error(e, context=context)
            raise translate(e, QueryError) from e
        self.logger.log_query(sql, _time.time() - start, None, success=True, log_mode=log_mode)
        return result

    def insert(self, table_name_or_model, data):
        """INSERT one row (a dict column -> value; the values are parameters). A table name
        ("t" or "db.t") or an ORM model. Returns a ResultSet (affected_rows)."""
        with self._lock, reraise_as(QueryError):
            return result_set(self._mocore().insert(table_name_or_model, data))

    def batch_insert(self, table_name_or_model, data_list):
        """INSERT rows (dicts with the same columns) as multi-row statements, each under the
        server's max_allowed_packet; an empty list sends nothing. Returns a ResultSet."""
        with self._lock, reraise_as(QueryError):
            return result_set(self._mocore().batch_insert(table_name_or_model, data_list))

    def query(self, *columns, snapshot=None):
        """The SDK's query builder on this client (mocore.matrixone.orm.MatrixOneQuery):
        ``query(Model)``, ``query("table")``, ``query(Model.a, func.count(Model.b))``,
        ``query(cte)``; ``snapshot`` reads at that snapshot (MatrixOne)."""
        from .orm import query_for
        return query_for(self, *columns, snapshot=snapshot)

    def get_pinecone_index(self, table_name_or_model, vector_column):
        """The Pinecone-compatible index over a table or model's table
        (mocore.matrixone.search_vector_index)."""
        from .search_vector_index import get_pinecone_index
        return get_pinecone_index(self, table_name_or_model, vector_column)

    @_contextmanager
    def snapshot(self, snapshot_name):
        """``with client.snapshot("name") as snap: snap.execute("SELECT ... FROM t")``:
        reads of MatrixOne's snapshot (``FROM t{snapshot = 'name'}``)."""
        self._require_engine()
        yield SnapshotClient(self, snapshot_name)

    # ------------------------------------------------------------------ sessions
    @_contextmanager
    def session(self):
        """A transaction: ``with client.session() as s:`` yields a Session (an SQLAlchemy
        Session with every manager bound to its transaction), committed when the block
        ends, rolled back when it raises."""
        from .session import Session
        s = Session(bind=self._require_engine(), client=self)
        try:
            s.begin()
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @_contextmanager
    def transaction(self):
        """The unified transaction: ``with client.transaction() as tx:`` -- raw SQL
        (``tx.execute(sql, params)``, ``%s`` or ``?`` parameters), ORM work on
        ``tx.get_sqlalchemy_session()`` and every manager (``tx.snapshots``, ``tx.clone``
        ...) in ONE database transaction: committed together when the block ends, rolled
        back together when it raises. (MySQL/MariaDB end a transaction at DDL themselves.)"""
        from .session import TransactionWrapper
        with self.session() as s:
            yield TransactionWrapper(s, self)

    # ------------------------------------------------------------------ tables
    def create_table(self, table_name_or_model, columns=None, **kwargs):
        """CREATE TABLE from an ORM model (its indexes too), or from a name and a dict
        column -> SDK type text ("int", "varchar(100)", "vecf32(128)"; "int primary key" or
        ``primary_key=`` (a column or a list) names the key; a single integer key is
        AUTO_INCREMENT, as the SDK's table builder makes it). Returns the client."""
        if hasattr(table_name_or_model, "__table__"):
            self._run_ddl(lambda conn: table_name_or_model.__table__.create(conn),
                          f"Creating table '{table_name_or_model.__tablename__}'")
            return self
        if columns is None:
            raise ValueError("columns must be provided when table_name is a string")
        with self._lock, reraise_as(QueryError):
            self._mocore().execute(create_table_sql(table_name_or_model, columns,
                                                    kwargs.get("primary_key")))
        return self

    def drop_table(self, table_name_or_model):
        """DROP TABLE IF EXISTS (a name, "db.t", or an ORM model). Returns the client."""
        with self._lock, reraise_as(QueryError):
            self._mocore().drop_table(table_name_or_model)
        return self

    def create_table_with_index(self, table_name, columns, indexes=None, **kwargs):
        """create_table, then the vector indexes of ``indexes``: dicts of ``name``,
        ``column``, ``type`` ("ivfflat" or "hnsw") and ``params`` (the index's options)."""
        self.create_table(table_name, columns, **kwargs)
        create_vector_indexes(self.vector_ops, table_name, indexes)
        return self

    def create_table_orm(self, table_name, *columns, **kwargs):
        """CREATE TABLE from SQLAlchemy Column and Index objects (as ``Table(name,
        MetaData(), *columns)``). Returns the client."""
        from sqlalchemy import MetaData, Table
        table = Table(table_name, MetaData(), *columns)
        self._run_ddl(lambda conn: table.create(conn), f"Creating table '{table_name}'")
        return self

    def create_all(self, base_class=None):
        """CREATE TABLE for every table of a declarative base's metadata (those missing)."""
        if base_class is not None:
            self._run_ddl(lambda conn: base_class.metadata.create_all(conn), "create_all")
        return self

    def drop_all(self, base_class=None):
        """DROP TABLE IF EXISTS for every table of a declarative base's metadata."""
        tables = base_class.metadata.sorted_tables if base_class is not None else []
        for table in reversed(tables):
            name = f"{table.schema}.{table.name}" if table.schema else table.name
            self.drop_table(name)
        return self

    def _run_ddl(self, run, context):
        with self._lock:
            try:
                run(self._connection())
            except Exception as e:
                self._after_error()
                self.logger.log_error(e, context=context)
                if _errors_of(e):
                    raise translate(e, QueryError, f"{context} failed: {e}") from e
                raise

    # ------------------------------------------------------------------ indexes
    def _current_database(self, database_name):
        """``database_name``, else the database of the client's connection (its last USE),
        else the connect's."""
        return database_name or self._database or self._connection_params.get("database")

    def _indexes(self):
        from .index_utils import IndexInspector
        return IndexInspector(self)

    def get_secondary_index_tables(self, table_name, database_name=None):
        """The physical tables of the table's secondary (MULTIPLE) and UNIQUE indexes (in
        the current database unless ``database_name``)."""
        return self._indexes().get_secondary_index_tables(
            table_name, self._current_database(database_name))

    def get_secondary_index_table_by_name(self, table_name, index_name, database_name=None):
        """The physical table of index ``index_name`` of the table (None when none)."""
        return self._indexes().get_secondary_index_table_by_name(
            table_name, index_name, self._current_database(database_name))

    def get_table_indexes_detail(self, table_name, database_name=None):
        """Every index table of the table (IVF, HNSW, fulltext, secondary): dicts of
        index_name, index_type, algo, algo_table_type, physical_table_name, columns,
        algo_params."""
        return self._indexes().get_table_indexes_detail(
            table_name, self._current_database(database_name))

    def verify_table_index_counts(self, table_name):
        """COUNT(*) of the table, checked against each of its secondary index tables in one
        statement; ValueError naming every count when one differs."""
        return self._indexes().verify_table_index_counts(
            table_name, self._current_database(None))

    # ------------------------------------------------------------------ versions
    def version(self):
        """The server's version string (SELECT VERSION())."""
        self._require_engine()
        rs = self.execute("SELECT VERSION()")
        if not rs.rows:
            raise QueryError("Failed to get version information")
        return rs.rows[0][0]

    def git_version(self):
        """MatrixOne's git version (SELECT git_version())."""
        self._require_engine()
        rs = self.execute("SELECT git_version()")
        if not rs.rows:
            raise QueryError("Failed to get git version information")
        return rs.rows[0][0]

    def _parse_matrixone_version(self, version_string):
        from .version import parse_server_version
        return parse_server_version(version_string)

    def set_backend_version(self, version):
        """Set the server version the feature checks use ("4.2.0")."""
        self._version_manager.set_backend_version(version)
        self._backend_version = str(version)
        self.logger.info(f"Backend version set to: {version}")

    def get_backend_version(self):
        """The server version the feature checks use ("4.2.0"; None before it is known)."""
        found = self._version_manager.get_backend_version()
        return str(found) if found else None

    def is_feature_available(self, feature_name):
        """Whether the server version has the feature (version.FEATURES)."""
        return self._version_manager.is_feature_available(feature_name)

    def get_feature_info(self, feature_name):
        """The feature's requirement as a dict, or None."""
        r = self._version_manager.get_feature_info(feature_name)
        if r is None:
            return None
        return {"feature_name": r.feature_name,
                "min_version": str(r.min_version) if r.min_version else None,
                "max_version": str(r.max_version) if r.max_version else None,
                "description": r.description, "alternative": r.alternative}

    def check_version_compatibility(self, required_version, operator=">="):
        """Whether the server version ``operator`` ``required_version``."""
        return self._version_manager.is_version_compatible(required_version, operator=operator)

    def get_version_hint(self, feature_name, error_context=""):
        """Why a feature is unavailable, and the alternative."""
        return self._version_manager.get_version_hint(feature_name, error_context)

    def is_development_version(self):
        """True on a development build of MatrixOne (999.x.x)."""
        return self._version_manager.is_development_version()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.disconnect()
        return False


class ClientExecutor:
    """The SDK's executor over a client: ``insert``/``batch_insert``/``execute``."""

    def __init__(self, client):
        self.client = client
        self.base_client = client

    def execute(self, sql, params=None):
        """client.execute"""
        return self.client.execute(sql, params)

    def insert(self, table_name, data):
        """client.insert"""
        return self.client.insert(table_name, data)

    def batch_insert(self, table_name, data_list):
        """client.batch_insert"""
        return self.client.batch_insert(table_name, data_list)


_FROM_TABLE = _re.compile(r"(\bFROM\s+)((?:`[^`]*`|\w+)(?:\.(?:`[^`]*`|\w+))?)", _re.IGNORECASE)


class SnapshotClient:
    """Reads at a snapshot: ``execute`` adds MatrixOne's ``{snapshot = 'name'}`` to the first
    table of the FROM clause (the name as a string literal rendered by mocore)."""

    def __init__(self, client, snapshot_name):
        self.client = client
        self.snapshot_name = snapshot_name

    def _snapshot_sql(self, sql):
        hint = "{snapshot = " + sql_literal(self.client, self.snapshot_name) + "}"
        return _FROM_TABLE.sub(lambda m: m.group(1) + m.group(2) + hint, sql, count=1)

    def execute(self, sql, params=None):
        """``sql`` at the snapshot; a ResultSet."""
        return self.client.execute(self._snapshot_sql(sql), params)
