"""The SDK's dialect class name (``matrixone.sqlalchemy_ext.dialect.MatrixOneDialect``) on mocore's
``mysql+mocore`` dialect.

``MatrixOneDialect`` IS :class:`mocore.sqlalchemy_dialect.MySQLDialect_mocore` (SQL compilation,
MatrixOne detection, reflection of ``vecf32(n)`` / ``vecf64(n)`` as VectorType) with what the
SDK's class adds: ``has_table`` / ``get_table_names`` with ``schema=None`` read the current
database (``SELECT DATABASE()``) and say so when none is selected. Its ``name`` stays
``"mysql"`` so that everything SQLAlchemy and mocore have for MySQL (DDL, index options, the
vector index compilers) applies; ``sdk_name`` is the SDK's ``"matrixone"``.

The SDK's own code puts it under a PyMySQL engine (``engine.dialect = MatrixOneDialect()`` then
``engine.dialect.dbapi = pymysql``): setting ``dbapi`` takes that module's parameter style, so
such an engine keeps working; an engine of mocore's (``mysql+mocore://``) needs none of this."""

from sqlalchemy import text

from ...sqlalchemy_dialect import MySQLDialect_mocore

__all__ = ["MatrixOneDialect", "MatrixOneCompiler", "MatrixOneTypeCompiler"]


class MatrixOneCompiler(MySQLDialect_mocore.statement_compiler):
    """mocore's statement compiler with the SDK's ``visit_user_defined_type``."""

    def visit_user_defined_type(self, type_, **kw):
        return type_.get_col_spec(**kw)


class MatrixOneTypeCompiler(MySQLDialect_mocore.type_compiler_cls):
    """SQLAlchemy MySQL's type compiler (vector types compile through their get_col_spec),
    with the lower-case visit names the SDK's compiler has."""

    def visit_timestamp(self, type_, **kw):
        return self.visit_TIMESTAMP(type_, **kw)

    def visit_VECTOR(self, type_, **kw):
        return type_.get_col_spec(**kw)


class MatrixOneDialect(MySQLDialect_mocore):
    """mocore's ``mysql+mocore`` dialect under the SDK's name."""

    supports_statement_cache = True
    sdk_name = "matrixone"
    statement_compiler = MatrixOneCompiler
    type_compiler_cls = MatrixOneTypeCompiler

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._connection_charset = "utf8mb4"

    # The SDK assigns a DB-API module after construction; take its parameter style then
    # (the compilers read paramstyle/positional when they compile; nothing is cached before).
    @property
    def dbapi(self):
        return self.__dict__.get("_mx_dbapi")

    @dbapi.setter
    def dbapi(self, module):
        self.__dict__["_mx_dbapi"] = module
        style = getattr(module, "paramstyle", None)
        if style and "positional" in self.__dict__:  # after __init__ chose its style
            self.paramstyle = style
            self.positional = style in ("qmark", "format", "numeric", "numeric_dollar")

    def _extract_error_code(self, exception):
        """The server's error number of a mocore or a PyMySQL error (None when there is
        none): ``code`` when it is a number, else a numeric ``args[0]``."""
        code = getattr(exception, "code", None)
        if isinstance(code, int) and not isinstance(code, bool):
            return code
        args = getattr(exception, "args", None) or ()
        return args[0] if args and isinstance(args[0], int) else None

    def _current_schema(self, connection, schema):
        if schema is not None:
            return schema
        try:
            schema = connection.execute(text("SELECT DATABASE()")).scalar()
        except Exception as e:  # noqa: BLE001 — the SDK's message, the cause chained
            raise ValueError("Failed to get current database. Use 'USE database_name' or "
                             "specify schema parameter.") from e
        if not schema:
            raise ValueError("No database selected. Use 'USE database_name' or specify schema "
                             "parameter.")
        return schema

    def get_table_names(self, connection, schema=None, **kw):
        return super().get_table_names(connection, self._current_schema(connection, schema),
                                       **kw)

    def has_table(self, connection, table_name, schema=None, **kw):
        return super().has_table(connection, table_name,
                                 self._current_schema(connection, schema), **kw)
