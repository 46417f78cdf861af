"""Client: the SDK's synchronous client, on mocore.

``Client.connect(...)`` makes a SQLAlchemy engine of mocore's ``mysql+mocore`` dialect
(mocore.sqlalchemy_dialect): every pooled connection is a mocore.dbapi connection, i.e. one
mocore.Client on one server connection. ``execute`` runs a statement on a pooled connection
in its own transaction (autocommit behaviour, as in the SDK); the managers
(``client.snapshots`` ...) run on one pooled connection the client keeps in autocommit mode
(``_mocore()``: the mocore.Client of that connection, with mocore's managers).

Parameters of string SQL are never pasted into the text: ``?`` and ``%s`` with a sequence,
``%(name)s`` or ``:name`` with a mapping; mocore's C core renders the values."""

import time as _time

from .. import errors as _errors
from .base_client import BaseMatrixOneClient, ManagerAccess, build_login
from .exceptions import ConnectionError, QueryError, translate

__all__ = ["Client", "ResultSet", "SnapshotClient"]

_LOG_MODES = (None, "off", "auto", "simple", "full")


def _check_log_mode(log_mode):
    if log_mode not in _LOG_MODES:
        raise ValueError(f"Invalid log_mode '{log_mode}'. Must be one of 'off', 'auto', "
                         "'simple', 'full'")


def _register_dialect():
    from .. import sqlalchemy_dialect
    sqlalchemy_dialect.register()


class ResultSet:
    """The rows of a statement, all read: ``columns`` (names), ``rows`` (tuples),
    ``affected_rows``; fetchone/fetchmany/fetchall/scalar move a cursor over ``rows``."""

    def __init__(self, columns, rows, affected_rows=0):
        self.columns = columns
        self.rows = rows
        self.affected_rows = affected_rows
        self._cursor = 0

    def fetchall(self):
        """The rows not fetched yet."""
        rest = self.rows[self._cursor:]
        self._cursor = len(self.rows)
        return rest

    def fetchone(self):
        """The next row, or None."""
        if self._cursor >= len(self.rows):
            return None
        row = self.rows[self._cursor]
        self._cursor += 1
        return row

    def fetchmany(self, size=1):
        """Up to ``size`` next rows."""
        rows = self.rows[self._cursor:self._cursor + size]
        self._cursor += len(rows)
        return rows

    def scalar(self):
        """The first column of the first row (None when there is none)."""
        return self.rows[0][0] if self.rows and self.columns else None

    def keys(self):
        """The column names."""
        return iter(self.columns)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return f"ResultSet(columns={self.columns!r}, rows={len(self.rows)}, affected_rows={self.affected_rows})"


def result_set(result):
    """A ResultSet of a SQLAlchemy CursorResult (or a mocore.Result), rows read. The rows of
    a CursorResult stay SQLAlchemy Rows, as in the SDK: indexable, equal to tuples, and
    ``row.column`` (``client.query(M).filter(...).execute().fetchall()[0].id``)."""
    if hasattr(result, "returns_rows"):
        if result.returns_rows:
            return ResultSet(list(result.keys()), list(result.fetchall()))
        return ResultSet([], [], affected_rows=result.rowcount)
    if result.columns:
        return ResultSet(list(result.columns), result.fetchall())
    return ResultSet([], [], affected_rows=result.rowcount)


def driver_sql(conn, sql, params):
    """Run string SQL on a SQLAlchemy Connection with the SDK's parameter forms: None (the
    text as it is), a sequence for ``?`` or ``%s`` placeholders, a mapping for ``:name`` or
    ``%(name)s``. Values go to mocore's C core, never into the text here."""
    if params is None or (isinstance(params, (tuple, list)) and not params):
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
                 max_sql_display_length=500, **mocore_options):
        from .logger import create_default_logger
        self.connection_timeout = connection_timeout
        self.query_timeout = query_timeout
        self.auto_commit = auto_commit
        self.charset = charset
        self.pool_size = pool_size
        self.max_overflow = max_overflow
        self.pool_timeout = pool_timeout
        self.pool_recycle = pool_recycle
        self.logger = logger if logger is not None else create_default_logger(
            sql_log_mode=sql_log_mode, slow_query_threshold=slow_query_threshold,
            max_sql_display_length=max_sql_display_length)
        self._mocore_options = dict(mocore_options)
        self._engine = None
        self._owns_engine = False
        self._pinned = None
        self._connection_params = {}
        self._login_info = None
        self._backend_version = None
        if all(v is not None for v in (host, port, user, password, database)):
            self.connect(host=host, port=port, user=user, password=password, database=database,
                         ssl_mode=ssl_mode, ssl_ca=ssl_ca, ssl_cert=ssl_cert, ssl_key=ssl_key,
                         account=account, role=role, charset=charset,
                         connection_timeout=connection_timeout, auto_commit=auto_commit)

    # ------------------------------------------------------------------ connecting
    def connect(self, host="localhost", port=6001, user="root", password="111", database=None,
                *, ssl_mode="preferred", ssl_ca=None, ssl_cert=None, ssl_key=None, account=None,
                role=None, charset="utf8mb4", connection_timeout=30, auto_commit=True,
                on_connect=None, **mocore_options):
        """Make the engine (see the class docstring) and check that it connects.
        ``user`` may carry the account and role ("acc#user#role", "acc:user:role"), or give
        them as ``account``/``role``. ``on_connect``: the SDK's connection hook, run on every
        new connection (default: ConnectionAction.ENABLE_ALL; [] for none). Failure raises
        ConnectionError (also the mocore category class of the cause)."""
        from sqlalchemy import create_engine
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
            self._engine, self._owns_engine = engine, True
            self._mocore()                      # connects now: errors surface here
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

    def _connection_hook(self, on_connect):
        """The on_connect value for mocore.Client: the SDK's default is ENABLE_ALL."""
        if on_connect is None:
            return ["enable_all"]
        if isinstance(on_connect, (list, tuple)) and not on_connect:
            return None
        try:
            from .connection_hooks import mocore_hook
        except ImportError:
            return on_connect
        return mocore_hook(self, on_connect)

    @classmethod
    def from_engine(cls, engine, **kwargs):
        """A Client on an existing SQLAlchemy engine of the ``mysql+mocore`` dialect (an
        engine of another MySQL driver is refused: mocore runs everything)."""
        if engine.dialect.name.lower() not in ("mysql", "mariadb"):
            raise ConnectionError("MatrixOne Client only supports MySQL drivers. "
                                  f"Current engine uses: {engine.dialect.name}")
        if getattr(engine.dialect, "driver", None) not in ("mocore",):
            raise ConnectionError(
                "Client.from_engine needs an engine of mocore's dialect (mysql+mocore://...), "
                f"not {engine.dialect.name}+{engine.dialect.driver}")
        client = cls(**kwargs)
        client._engine, client._owns_engine = engine, False
        url = engine.url
        client._connection_params = {"host": url.host, "port": url.port, "user": url.username,
                                     "password": url.password, "database": url.database}
        if url.username:
            client._login_info = build_login(url.username)[1]
        client._detect_backend_version()
        return client

    def _detect_backend_version(self):
        try:
            from .version import parse_server_version
            found = parse_server_version(self._mocore().server_version)
        except Exception as e:  # noqa: BLE001 — the SDK only warns
            self.logger.warning(f"Failed to detect backend version: {e}")
            return
        if found:
            self.set_backend_version(found)

    def _release(self):
        pinned, self._pinned = self._pinned, None
        if pinned is not None:
            try:
                pinned.dbapi_connection.autocommit = False
                pinned.close()
            except Exception:  # noqa: BLE001 — a dead connection goes anyway
                pinned.invalidate()
        engine, self._engine = self._engine, None
        if engine is not None and self._owns_engine:
            engine.dispose()

    def disconnect(self):
        """Close the managers' connection and dispose of the engine."""
        if self._engine is None:
            return
        try:
            self._release()
            self.logger.log_disconnection(success=True)
        except Exception as e:
            self.logger.log_disconnection(success=False)
            self.logger.log_error(e, context="Disconnection")
            raise

    def connected(self):
        """True between connect() and disconnect()."""
        return self._engine is not None

    def get_sqlalchemy_engine(self):
        """The SQLAlchemy engine (ConnectionError when not connected)."""
        return self._require_engine()

    @property
    def engine(self):
        """The SQLAlchemy engine (None when not connected)."""
        return self._engine

    def get_login_info(self):
        """{"account", "user", "role"} of the login, or None before connect()."""
        return self._login_info

    def _require_engine(self):
        if self._engine is None:
            raise ConnectionError("Not connected to database")
        return self._engine

    # ------------------------------------------------------------------ mocore
    def _mocore(self):
        """The mocore.Client the managers run on: a pooled connection kept by this client,
        in autocommit mode."""
        engine = self._require_engine()
        pinned = self._pinned
        if pinned is not None and (pinned.dbapi_connection is None or pinned.dbapi_connection.closed):
            pinned.invalidate()
            pinned = self._pinned = None
        if pinned is None:
            pinned = engine.raw_connection()
            dbapi = pinned.dbapi_connection
            if not hasattr(dbapi, "client"):
                pinned.close()
                raise ConnectionError("the engine does not use mocore's dialect (mysql+mocore)")
            dbapi.autocommit = True
            self._pinned = pinned
        return pinned.dbapi_connection.client

    # ------------------------------------------------------------------ statements
    def execute(self, sql_or_stmt, params=None, log_mode=None):
        """Run one statement in its own transaction; a ResultSet. ``sql_or_stmt``: a SQL
        string (parameters: a sequence for ``?``/``%s``, a mapping for ``:name``/
        ``%(name)s``) or a SQLAlchemy statement (select, insert, update, delete, text).
        Failure raises QueryError (also the mocore category class of the server's error:
        ``except mocore.ConstraintError`` catches a duplicate key)."""
        engine = self._require_engine()
        _check_log_mode(log_mode)
        shown = sql_or_stmt if isinstance(sql_or_stmt, str) else f"<SQLAlchemy {type(sql_or_stmt).__name__}>"
        start = _time.time()
        try:
            with engine.begin() as conn:
                if isinstance(sql_or_stmt, str):
                    result = driver_sql(conn, sql_or_stmt, params)
                else:
                    result = conn.execute(sql_or_stmt, params) if params else conn.execute(sql_or_stmt)
                rs = result_set(result)
        except Exception as e:
            self.logger.log_query(shown, _time.time() - start, success=False, log_mode=log_mode)
            self.logger.log_error(e, context="Query execution")
            if _errors_of(e):
                raise translate(e, QueryError) from e
            raise
        rows = len(rs.rows) if rs.columns else rs.affected_rows
        self.logger.log_query(shown, _time.time() - start, rows, success=True, log_mode=log_mode)
        return rs

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

    # ------------------------------------------------------------------ versions
    def set_backend_version(self, version):
        """Set the server version the feature checks use ("4.2.0")."""
        from .version import get_version_manager
        get_version_manager().set_backend_version(version)
        self._backend_version = str(version)

    def get_backend_version(self):
        """The server version the feature checks use (None before it is known)."""
        return self._backend_version

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.disconnect()
        return False


def _errors_of(e):
    """True when a mocore error or a SQLAlchemy error is behind e (translated to QueryError)."""
    from sqlalchemy import exc as sa_exc
    from .exceptions import mocore_error
    return mocore_error(e) is not None or isinstance(e, sa_exc.SQLAlchemyError)


class SnapshotClient:
    """Reads at a snapshot: ``execute`` adds MatrixOne's ``{snapshot = 'name'}`` to the first
    table of the FROM clause."""

    def __init__(self, client, snapshot_name):
        self.client = client
        self.snapshot_name = snapshot_name
