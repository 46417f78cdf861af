"""Vector index DDL for SQLAlchemy (the SDK's ``matrixone.sqlalchemy_ext.vector_index``):
IVFVectorIndex, HnswVectorIndex, VectorIndex, CreateVectorIndex, the builders and constants.

    from sqlalchemy import Column, Integer, MetaData, Table
    from mocore.matrixone.sqlalchemy_ext import IVFVectorIndex, Vectorf32, VectorOpType

    docs = Table("docs", MetaData(), Column("id", Integer, primary_key=True),
                 Column("embedding", Vectorf32(3)),
                 IVFVectorIndex("idx_emb", "embedding", lists=16,
                                op_type=VectorOpType.VECTOR_COSINE_OPS))
    docs.metadata.create_all(engine)
    # CREATE TABLE docs (...)
    # SET experimental_ivf_index = 1; SET probe_limit = 1   (on MatrixOne)
    # CREATE INDEX idx_emb USING ivfflat ON docs(embedding) LISTS 16 op_type 'vector_cosine_ops'

A vector index is an ``Index``: ``create_all`` / ``drop_all`` / ``index.create(engine)`` emit
it, in ``Table(...)`` or a declarative model's ``__table_args__``. Before its CREATE INDEX, on
MatrixOne, the session switch of its kind is turned on (``experimental_ivf_index`` and
``probe_limit`` for IVF, ``experimental_hnsw_index`` for HNSW), as the SDK's helpers do.

Names are quoted by the identifier preparer of mocore's dialect; ``op_type`` must be one of
VectorOpType's values and ``lists`` / ``m`` / ``ef_*`` positive integers (anything else raises
ValueError): nothing of the caller's is pasted into the statement unchecked."""

from typing import List, Optional, Union

from sqlalchemy import Column, Index, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import DDLElement
from sqlalchemy.sql.ddl import CreateIndex

from ...sqlalchemy_dialect import MySQLDialect_mocore

__all__ = ["VectorIndexType", "VectorOpType", "VectorIndex", "IVFVectorIndex", "HnswVectorIndex",
           "CreateVectorIndex", "create_vector_index", "create_ivfflat_index", "create_hnsw_index",
           "VectorIndexBuilder", "vector_index_builder", "vector_index_sql"]


class VectorIndexType:
    """The vector index algorithms: ``IVFFLAT`` ("ivfflat"), ``HNSW`` ("hnsw")."""

    IVFFLAT = "ivfflat"
    HNSW = "hnsw"


class VectorOpType:
    """The distance a vector index is built for."""

    VECTOR_L2_OPS = "vector_l2_ops"
    VECTOR_IP_OPS = "vector_ip_ops"
    VECTOR_COSINE_OPS = "vector_cosine_ops"


_OP_TYPES = (VectorOpType.VECTOR_L2_OPS, VectorOpType.VECTOR_IP_OPS,
             VectorOpType.VECTOR_COSINE_OPS)
_PREPARER = MySQLDialect_mocore().identifier_preparer


def _op_type(value):
    value = getattr(value, "value", value)  # mocore.VectorOpType members too
    if value is None:
        return VectorOpType.VECTOR_L2_OPS
    if value not in _OP_TYPES:
        raise ValueError(f"op_type must be one of {', '.join(_OP_TYPES)}, not {value!r}")
    return value


def _positive(what, value, optional=False):
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive int, not {value!r}")
    return value


def _column_name(column):
    if isinstance(column, str):
        return column
    name = getattr(column, "name", None) or getattr(getattr(column, "property", None), "key",
                                                      None)
    if not name:
        raise ValueError(f"a vector index needs a column or a column name, not {column!r}")
    return name


def _quote_table(name, preparer=_PREPARER):
    """``db.table`` -> each part quoted (split at the first '.', as mocore's managers do)."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"a table name must be a non-empty string, not {name!r}")
    return ".".join(preparer.quote(part) for part in name.split(".", 1))


def vector_index_sql(name, table, column, index_type, *, lists=None, m=None,
                     ef_construction=None, ef_search=None, op_type=None, if_not_exists=False,
                     preparer=_PREPARER):
    """The CREATE INDEX statement of a vector index (``table``: a name, "db.table", or a
    Table, whose schema is used)."""
    if isinstance(table, str):
        qtable = _quote_table(table, preparer)
    else:
        qtable = preparer.format_table(table)
    parts = ["CREATE INDEX"]
    if if_not_exists:
        parts.append("IF NOT EXISTS")
    parts.append(f"{preparer.quote(name)} USING {index_type} ON "
                 f"{qtable}({preparer.quote(_column_name(column))})")
    if index_type == VectorIndexType.IVFFLAT:
        if lists is not None:
            parts.append(f"LISTS {_positive('lists', lists)}")
    elif index_type == VectorIndexType.HNSW:
        for word, value in (("M", m), ("EF_CONSTRUCTION", ef_construction),
                            ("EF_SEARCH", ef_search)):
            if value is not None:
                parts.append(f"{word} {_positive(word.lower(), value)}")
    else:
        raise ValueError(f"index_type must be 'ivfflat' or 'hnsw', not {index_type!r}")
    parts.append(f"op_type '{_op_type(op_type)}'")
    return " ".join(parts)


def _setup_statements(index_type):
    """What MatrixOne needs turned on in the session before creating such an index."""
    if index_type == VectorIndexType.IVFFLAT:
        return ["SET experimental_ivf_index = 1", "SET probe_limit = 1"]
    return ["SET experimental_hnsw_index = 1"]


def _on_matrixone(connection):
    dialect = connection.dialect
    if getattr(dialect, "is_matrixone", False):
        return True
    dbapi_conn = getattr(getattr(connection, "connection", None), "dbapi_connection", None)
    return getattr(dbapi_conn, "server_kind", None) == "matrixone"


def _before_create(index, connection, **kw):
    if _on_matrixone(connection):
        for sql in _setup_statements(index.index_type):
            connection.exec_driver_sql(sql)


class VectorIndex(Index):
    """A vector index on one vector column: ``index_type`` ivfflat (``lists``) or hnsw
    (``m``, ``ef_construction``, ``ef_search``), ``op_type`` a VectorOpType value."""

    def __init__(self, name: str, column: Union[str, Column],
                 index_type: str = VectorIndexType.IVFFLAT, lists: Optional[int] = None,
                 op_type: str = VectorOpType.VECTOR_L2_OPS, m: Optional[int] = None,
                 ef_construction: Optional[int] = None, ef_search: Optional[int] = None,
                 **kwargs):
        if index_type not in (VectorIndexType.IVFFLAT, VectorIndexType.HNSW):
            raise ValueError(f"index_type must be 'ivfflat' or 'hnsw', not {index_type!r}")
        self.index_type = index_type
        self.lists = _positive("lists", lists, optional=True)
        self.op_type = _op_type(op_type)
        self.m = _positive("m", m, optional=True)
        self.ef_construction = _positive("ef_construction", ef_construction, optional=True)
        self.ef_search = _positive("ef_search", ef_search, optional=True)
        self._column_name = _column_name(column)
        super().__init__(name, column, **kwargs)
        event.listen(self, "before_create", _before_create)

    def create_sql(self, table_name: str, if_not_exists: bool = False) -> str:
        """The CREATE INDEX statement of this index on ``table_name``."""
        return vector_index_sql(self.name, table_name, self._column_name, self.index_type,
                                lists=self.lists, m=self.m,
                                ef_construction=self.ef_construction,
                                ef_search=self.ef_search, op_type=self.op_type,
                                if_not_exists=if_not_exists)

    def drop_sql(self, table_name: str) -> str:
        """``DROP INDEX name ON table_name``."""
        return f"DROP INDEX {_PREPARER.quote(self.name)} ON {_quote_table(table_name)}"

    @classmethod
    def create_index(cls, engine, table_name: str, name: str, column: Union[str, Column],
                     *args, **kwargs) -> bool:
        """Create the index on ``table_name`` through ``engine`` (one transaction, the
        session switches first); True, or False with the failure printed (the SDK's
        contract). Arguments after ``column`` are the class's constructor's."""
        try:
            return cls(name, column, *args, **kwargs).create(engine, table_name)
        except ValueError as e:
            print(f"Failed to create vector index: {e}")
            return False

    @classmethod
    def drop_index(cls, engine, table_name: str, name: str) -> bool:
        """``DROP INDEX name ON table_name``; True, or False with the failure printed."""
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP INDEX {_PREPARER.quote(name)} ON "
                                     f"{_quote_table(table_name)}")
            return True
        except Exception as e:  # noqa: BLE001 — the SDK's bool contract
            print(f"Failed to drop vector index: {e}")
            return False

    def create(self, bind, table_name: Optional[str] = None, checkfirst: bool = False):
        """With ``table_name`` (the SDK's form): create this index on that table, True or
        False. Without: SQLAlchemy's ``Index.create(bind)`` for the index's own table."""
        if isinstance(table_name, bool):  # Index.create(bind, checkfirst) positionally
            table_name, checkfirst = None, table_name
        if table_name is None:
            return super().create(bind, checkfirst=checkfirst)
        try:
            sql = self.create_sql(table_name)
            with bind.begin() as conn:
                for setup in _setup_statements(self.index_type):
                    conn.exec_driver_sql(setup)
                conn.exec_driver_sql(sql)
            return True
        except Exception as e:  # noqa: BLE001 — the SDK's bool contract
            print(f"Failed to create vector index: {e}")
            return False

    def drop(self, bind, table_name: Optional[str] = None, checkfirst: bool = False):
        """With ``table_name``: drop this index from that table, True or False. Without:
        SQLAlchemy's ``Index.drop(bind)``."""
        if isinstance(table_name, bool):
            table_name, checkfirst = None, table_name
        if table_name is None:
            return super().drop(bind, checkfirst=checkfirst)
        return type(self).drop_index(bind, table_name, self.name)


class IVFVectorIndex(VectorIndex):
    """An IVF-flat index: ``lists`` clusters (default 100)."""

    def __init__(self, name: str, column: Union[str, Column], lists: int = 100,
                 op_type: str = VectorOpType.VECTOR_L2_OPS, **kwargs):
        super().__init__(name, column, VectorIndexType.IVFFLAT, lists=lists, op_type=op_type,
                         **kwargs)


class HnswVectorIndex(VectorIndex):
    """An HNSW index: ``m`` links per node, ``ef_construction``, ``ef_search``."""

    def __init__(self, name: str, column: Union[str, Column], m: int = 16,
                 ef_construction: int = 200, ef_search: int = 50,
                 op_type: str = VectorOpType.VECTOR_L2_OPS, **kwargs):
        super().__init__(name, column, VectorIndexType.HNSW, op_type=op_type, m=m,
                         ef_construction=ef_construction, ef_search=ef_search, **kwargs)


class CreateVectorIndex(DDLElement):
    """``CREATE INDEX [IF NOT EXISTS] ...`` of a VectorIndex bound to a table, as a DDL
    element (``conn.execute(CreateVectorIndex(index, if_not_exists=True))``)."""

    inherit_cache = False

    def __init__(self, index: VectorIndex, if_not_exists: bool = False):
        self.index = index
        self.if_not_exists = if_not_exists


def _index_ddl(index, compiler, if_not_exists):
    table = index.table
    if table is None:
        raise ValueError(f"vector index {index.name!r} is bound to no table")
    return vector_index_sql(index.name, table, index._column_name, index.index_type,
                            lists=index.lists, m=index.m, ef_construction=index.ef_construction,
                            ef_search=index.ef_search, op_type=index.op_type,
                            if_not_exists=if_not_exists, preparer=compiler.preparer)


@compiles(CreateVectorIndex)
def _compile_create_vector_index(element, compiler, **kw):
    return _index_ddl(element.index, compiler, element.if_not_exists)


def _previous_create_index(element, compiler, **kw):
    return compiler.visit_create_index(element, **kw)


@compiles(CreateIndex, "mysql")
@compiles(CreateIndex, "mariadb")
def _compile_create_index(element, compiler, **kw):
    index = element.element
    if isinstance(index, VectorIndex):
        return _index_ddl(index, compiler, element.if_not_exists)
    # another extension's form of CREATE INDEX (fulltext), else SQLAlchemy's
    dispatcher = getattr(CreateIndex, "_compiler_dispatcher", None)
    other = dispatcher.specs.get("default") if dispatcher is not None else None
    if other is not None and other is not _compile_create_index:
        return other(element, compiler, **kw)
    return compiler.visit_create_index(element, **kw)


def create_vector_index(name: str, column: Union[str, Column],
                        index_type: str = VectorIndexType.IVFFLAT, lists: Optional[int] = None,
                        op_type: str = VectorOpType.VECTOR_L2_OPS, m: Optional[int] = None,
                        ef_construction: Optional[int] = None, ef_search: Optional[int] = None,
                        **kwargs) -> VectorIndex:
    """A VectorIndex (for ``Table(...)`` or ``__table_args__``)."""
    return VectorIndex(name, column, index_type, lists=lists, op_type=op_type, m=m,
                       ef_construction=ef_construction, ef_search=ef_search, **kwargs)


def create_ivfflat_index(name: str, column: Union[str, Column], lists: int = 256,
                         op_type: str = VectorOpType.VECTOR_L2_OPS, **kwargs) -> VectorIndex:
    """An IVF-flat VectorIndex (the SDK's default: 256 lists)."""
    return create_vector_index(name, column, VectorIndexType.IVFFLAT, lists=lists,
                               op_type=op_type, **kwargs)


def create_hnsw_index(name: str, column: Union[str, Column], m: int = 48,
                      ef_construction: int = 64, ef_search: int = 64,
                      op_type: str = VectorOpType.VECTOR_L2_OPS, **kwargs) -> VectorIndex:
    """An HNSW VectorIndex (the SDK's defaults: m 48, ef_construction 64, ef_search 64)."""
    return create_vector_index(name, column, VectorIndexType.HNSW, m=m,
                               ef_construction=ef_construction, ef_search=ef_search,
                               op_type=op_type, **kwargs)


class VectorIndexBuilder:
    """Several vector indexes on one column: ``vector_index_builder("embedding")
    .l2_index("i1").hnsw_cosine_index("i2").build()``."""

    def __init__(self, column: Union[str, Column]):
        self.column = column
        self._indexes: List[VectorIndex] = []

    def ivfflat(self, name, lists=256, op_type=VectorOpType.VECTOR_L2_OPS, **kwargs):
        self._indexes.append(create_ivfflat_index(name, self.column, lists, op_type, **kwargs))
        return self

    def l2_index(self, name, lists=256, **kwargs):
        return self.ivfflat(name, lists, VectorOpType.VECTOR_L2_OPS, **kwargs)

    def cosine_index(self, name, lists=256, **kwargs):
        return self.ivfflat(name, lists, VectorOpType.VECTOR_COSINE_OPS, **kwargs)

    def ip_index(self, name, lists=256, **kwargs):
        return self.ivfflat(name, lists, VectorOpType.VECTOR_IP_OPS, **kwargs)

    def hnsw(self, name, m=48, ef_construction=64, ef_search=64,
             op_type=VectorOpType.VECTOR_L2_OPS, **kwargs):
        self._indexes.append(create_hnsw_index(name, self.column, m, ef_construction, ef_search,
                                               op_type, **kwargs))
        return self

    def hnsw_l2_index(self, name, m=48, ef_construction=64, ef_search=64, **kwargs):
        return self.hnsw(name, m, ef_construction, ef_search, VectorOpType.VECTOR_L2_OPS,
                         **kwargs)

    def hnsw_cosine_index(self, name, m=48, ef_construction=64, ef_search=64, **kwargs):
        return self.hnsw(name, m, ef_construction, ef_search, VectorOpType.VECTOR_COSINE_OPS,
                         **kwargs)

    def hnsw_ip_index(self, name, m=48, ef_construction=64, ef_search=64, **kwargs):
        return self.hnsw(name, m, ef_construction, ef_search, VectorOpType.VECTOR_IP_OPS,
                         **kwargs)

    def build(self) -> List[VectorIndex]:
        return list(self._indexes)

    def add_to_table(self, table):
        """Attach the indexes to ``table`` (their CREATE INDEX comes with create_all)."""
        for index in self._indexes:
            index._set_parent(table)
        return self


def vector_index_builder(column: Union[str, Column]) -> VectorIndexBuilder:
    return VectorIndexBuilder(column)
