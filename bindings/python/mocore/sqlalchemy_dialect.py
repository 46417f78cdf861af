"""The SQLAlchemy 2.x dialect ``mysql+mocore`` (and ``mariadb+mocore``) on mocore.dbapi.

    from sqlalchemy import create_engine
    engine = create_engine("mysql+mocore://user:pw@127.0.0.1:3306/db")
    engine = create_engine("mysql+mocore://acc#user:pw@host:6001/db")   # MatrixOne login

Registered through the ``sqlalchemy.dialects`` entry points of the mocore package; without
installing the package, call :func:`register` (or ``sqlalchemy.dialects.registry.register(
"mysql.mocore", "mocore.sqlalchemy_dialect", "MySQLDialect_mocore")``).

Built on SQLAlchemy's MySQL dialect the way its mysqlclient and MariaDB Connector dialects
are: SQL compilation, DDL, types and reflection are SQLAlchemy's; this module supplies the
connection arguments, the ``qmark`` parameter style (``paramstyle="format"`` or
``"pyformat"`` given to ``create_engine`` work too, as does a dialect subclass of SQLAlchemy's
MySQL dialect given mocore.dbapi: mocore.dbapi accepts what they compile), server-side cursors (``stream_results``),
autocommit/isolation control, error codes and disconnect detection for mocore. URL query
options are mocore.Client options (``?connect_timeout=5&ssl_mode=required&log_mode=auto``).

MatrixOne is detected from the server version string ("8.0.30-MatrixOne-v2.1.0"): the
dialect then reads the MySQL version part, and turns off what MatrixOne lacks — sequences,
INSERT/DELETE ... RETURNING, FOR UPDATE OF / FOR SHARE, XA two-phase commit, isolation levels
other than its snapshot isolation (REPEATABLE READ). Reflection gives MatrixOne's
``vecf32(n)`` / ``vecf64(n)`` columns as :class:`mocore.sqlalchemy_vector.VectorType`, and its
IVF/HNSW indexes as indexes with a ``"vector"`` entry (algorithm and options)."""

import re

from sqlalchemy import exc, util
from sqlalchemy.dialects.mysql.base import MySQLCompiler, MySQLDialect, MySQLExecutionContext
from sqlalchemy.dialects.mysql.types import BIT
from sqlalchemy.sql.selectable import Alias

from . import sqlalchemy_vector

__all__ = ["MySQLDialect_mocore", "MariaDBDialect_mocore", "register", "dialect"]


def register():
    """Make ``mysql+mocore://`` and ``mariadb+mocore://`` known to SQLAlchemy in this process
    (what the package's entry points do once it is installed), and the asyncio dialects
    ``mysql+mocore_async://`` / ``mariadb+mocore_async://`` (mocore.sqlalchemy_async)."""
    from sqlalchemy.dialects import registry
    registry.register("mysql.mocore", __name__, "MySQLDialect_mocore")
    registry.register("mariadb.mocore", __name__, "MariaDBDialect_mocore")
    registry.register("mysql.mocore_async", "mocore.sqlalchemy_async", "MySQLDialect_mocore_async")
    registry.register("mariadb.mocore_async", "mocore.sqlalchemy_async",
                      "MariaDBDialect_mocore_async")


class _MocoreBIT(BIT):
    """mocore hands BIT values over as int already (mysqlclient gives bytes)."""

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None or isinstance(value, int):
                return value
            v = 0
            for byte in value:
                v = v << 8 | byte
            return v
        return process


class MySQLExecutionContext_mocore(MySQLExecutionContext):
    def create_server_side_cursor(self):
        return self._dbapi_connection.cursor(stream=True)

    def create_default_cursor(self):
        return self._dbapi_connection.cursor()


class MySQLCompiler_mocore(MySQLCompiler):
    def format_from_hint_text(self, sqltext, table, hint, iscrud):
        # MatrixOne's snapshot clause (a table hint made by mocore.matrixone's snapshot
        # reads) follows the table's name, before its alias: "t {snapshot = 's'} AS a"
        if (hint and hint.startswith("{snapshot = '") and not iscrud
                and isinstance(table, Alias)):
            head, sep, tail = sqltext.rpartition(" AS ")
            if sep:
                return f"{head} {hint}{sep}{tail}"
        return super().format_from_hint_text(sqltext, table, hint, iscrud)


class MySQLDialect_mocore(MySQLDialect):
    driver = "mocore"
    supports_statement_cache = True
    supports_unicode_statements = True
    supports_sane_rowcount = True          # the C core connects with CLIENT_FOUND_ROWS
    supports_sane_multi_rowcount = True    # executemany returns the total of affected rows
    supports_native_decimal = True
    supports_server_side_cursors = True
    default_paramstyle = "qmark"
    execution_ctx_cls = MySQLExecutionContext_mocore
    statement_compiler = MySQLCompiler_mocore
    colspecs = util.update_copy(MySQLDialect.colspecs, {BIT: _MocoreBIT})
    # reflection knows MatrixOne's vecf32(n) / vecf64(n): sqlalchemy_vector.VectorType
    ischema_names = sqlalchemy_vector.ischema_names(MySQLDialect.ischema_names)

    #: True once connected to MatrixOne
    is_matrixone = False

    @classmethod
    def load_provisioning(cls):
        # the test suite's provisioning hooks are the MySQL dialect's (this module lives
        # outside sqlalchemy.dialects.mysql, where the default lookup would search)
        __import__("sqlalchemy.dialects.mysql.provision")

    @classmethod
    def import_dbapi(cls):
        from mocore import dbapi
        return dbapi

    def create_connect_args(self, url):
        opts = url.translate_connect_args(username="user")
        opts.update(url.query)
        return [], opts

    # ---- server detection
    def _parse_server_version(self, val):
        if "matrixone" in val.lower():
            m = re.match(r"\s*(\d+)\.(\d+)\.(\d+)", val)
            version = tuple(int(x) for x in m.groups()) if m else (8, 0, 30)
            self.is_matrixone = True
            self._set_mariadb(False, version)
            self._mariadb_normalized_version_info = version
            self.server_version_info = version
            return version
        return super()._parse_server_version(val)

    def initialize(self, connection):
        dbapi_conn = connection.connection.dbapi_connection
        if getattr(dbapi_conn, "dry_run", False):
            self._initialize_dry_run(dbapi_conn)
            return
        super().initialize(connection)
        if self.is_matrixone:
            self._matrixone_limits()

    def _initialize_dry_run(self, dbapi_conn):
        """A dry-run connection (``?dry_run=true``) sends nothing and reads nothing back:
        what initialize() would ask the server comes from the configuration instead (the
        server kind, MatrixOne by default for ``server_kind=matrixone``), and statements are
        only journaled (``dbapi_connection.client.journal``)."""
        self._connection_charset = "utf8mb4"
        if dbapi_conn.server_kind == "matrixone":
            self._parse_server_version("8.0.30-MatrixOne-v")
        elif dbapi_conn.server_kind == "mariadb":
            self._parse_server_version("10.11.0-MariaDB")
        else:
            self._parse_server_version("8.0.30")
        self.default_schema_name = dbapi_conn.database
        self.default_isolation_level = "REPEATABLE READ"
        self._sql_mode = ""
        self._server_ansiquotes = False
        self._backslash_escapes = True
        self._casing = 0
        self.supports_sequences = False
        self.supports_for_update_of = self._is_mysql
        self.use_mysql_for_share = self._is_mysql
        self.delete_returning = self.insert_returning = False  # no rows come back
        if self.is_matrixone:
            self._matrixone_limits()

    def _matrixone_limits(self):
        """What MatrixOne does not have, turned off in the compiler and the feature flags."""
        self.supports_sequences = False
        self.sequences_optional = False
        self.insert_returning = False
        self.delete_returning = False
        self.update_returning = False
        self.supports_for_update_of = False
        self.use_mysql_for_share = False
        self._requires_alias_for_on_duplicate_key = False

    # ---- reflection: MatrixOne's vector index lines of SHOW CREATE TABLE are indexes too
    @util.memoized_property
    def _tabledef_parser(self):
        from sqlalchemy.dialects.mysql.reflection import MySQLTableDefinitionParser
        return sqlalchemy_vector.table_parser(MySQLTableDefinitionParser)(
            self, self.identifier_preparer)

    def get_indexes(self, connection, table_name, schema=None, **kw):
        """SQLAlchemy's, and for a MatrixOne vector index ``"vector"``: its algorithm and
        options ({'algorithm': 'ivfflat', 'lists': 4, 'op_type': 'vector_l2_ops'})."""
        indexes = super().get_indexes(connection, table_name, schema, **kw)
        state = self._parsed_state_or_create(connection, table_name, schema, **kw)
        vectors = sqlalchemy_vector.vector_index_info(state.keys)
        for index in indexes:
            if index["name"] in vectors:
                index["vector"] = vectors[index["name"]]
        return indexes

    # ---- errors and connections
    def _extract_error_code(self, exception):
        return getattr(exception, "code", -1)

    def is_disconnect(self, e, connection, cursor):
        if super().is_disconnect(e, connection, cursor):
            return True
        if isinstance(e, self.loaded_dbapi.Error):
            if getattr(e, "category", "") in ("connection_lost", "outcome_unknown"):
                return True
            text = str(e)
            return "connection is closed" in text or "connection was lost" in text
        return False

    def _detect_charset(self, connection):
        return "utf8mb4"

    def do_ping(self, dbapi_connection):
        dbapi_connection.ping()
        return True

    def do_execute(self, cursor, statement, parameters, context=None):
        # A statement SQLAlchemy compiled for qmark keeps its % signs as written: without
        # parameters it goes as it is (the empty tuple SQLAlchemy passes would make
        # mocore.dbapi read %% as %, PyMySQL's rule). SQL handed over as a string
        # (exec_driver_sql) keeps the empty tuple and so that rule, as with PyMySQL: code
        # written for it doubles its % signs there.
        if (not parameters and self.paramstyle == "qmark" and context is not None
                and context.compiled is not None):
            parameters = None
        cursor.execute(statement, parameters)

    def do_executemany(self, cursor, statement, parameters, context=None):
        cursor.executemany(statement, parameters)
        if context is not None:
            context._rowcount = cursor.rowcount

    # ---- transactions
    def _on_matrixone(self, dbapi_conn):
        """MatrixOne, from the connection itself (no I/O): the engine's isolation_level is
        applied to a new connection before initialize() has run on the first one."""
        return self.is_matrixone or getattr(dbapi_conn, "server_kind", None) == "matrixone"

    def get_isolation_level_values(self, dbapi_conn):
        if self._on_matrixone(dbapi_conn):
            return ("REPEATABLE READ", "AUTOCOMMIT")
        return ("SERIALIZABLE", "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ",
                "AUTOCOMMIT")

    def detect_autocommit_setting(self, dbapi_conn):
        return bool(dbapi_conn.autocommit)

    def set_isolation_level(self, dbapi_connection, level):
        if level == "AUTOCOMMIT":
            dbapi_connection.autocommit = True
            return
        dbapi_connection.autocommit = False
        if self._on_matrixone(dbapi_connection):
            return  # snapshot isolation is MatrixOne's only level (REPEATABLE READ)
        super().set_isolation_level(dbapi_connection, level)

    def get_isolation_level(self, dbapi_connection):
        if self._on_matrixone(dbapi_connection):
            try:
                return super().get_isolation_level(dbapi_connection)
            except Exception:  # noqa: BLE001 — older MatrixOne lacks the variable
                return "REPEATABLE READ"
        return super().get_isolation_level(dbapi_connection)

    def do_begin_twophase(self, connection, xid):
        if self.is_matrixone:
            raise exc.NotSupportedError("XA two-phase commit", None,
                                        self.loaded_dbapi.NotSupportedError(
                                            "MatrixOne has no XA transactions"))
        super().do_begin_twophase(connection, xid)


class MariaDBDialect_mocore(MySQLDialect_mocore):
    """``mariadb+mocore://``: SQLAlchemy's MariaDB flavour (is_mariadb set up front)."""

    is_mariadb = True
    supports_statement_cache = True
    name = "mariadb"


dialect = MySQLDialect_mocore
