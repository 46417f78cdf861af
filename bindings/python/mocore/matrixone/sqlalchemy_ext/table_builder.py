"""Table builders with vector columns (the SDK's ``matrixone.sqlalchemy_ext.table_builder``):
VectorTableBuilder and the ready-made layouts.

    from mocore.matrixone.sqlalchemy_ext import create_vector_table, IVFVectorIndex
    table = (create_vector_table("docs", metadata)
             .add_int_column("id", primary_key=True)
             .add_string_column("title", 200)
             .add_vecf32_column("embedding", 384)
             .add_vector_index(IVFVectorIndex("idx_emb", "embedding", lists=16))
             .build())                                     # a sqlalchemy Table
    metadata.create_all(engine)

Every method returns the builder; ``build()`` makes the Table (columns, indexes,
constraints) in the builder's MetaData."""

from typing import List, Optional, Union

from sqlalchemy import (TIMESTAMP, BigInteger, Boolean, Column, Date, DateTime, Enum, Float,
                        ForeignKeyConstraint, Index, Integer, LargeBinary, MetaData, Numeric,
                        PrimaryKeyConstraint, SmallInteger, String, Table, Text, Time)
from sqlalchemy.dialects.mysql import (BLOB, JSON, LONGBLOB, MEDIUMBLOB, SET, TINYBLOB, TINYINT,
                                       VARBINARY, YEAR)

from .vector_type import VectorPrecision, VectorType, Vectorf32, Vectorf64

__all__ = ["VectorTableBuilder", "create_vector_table", "create_vector_index_table",
           "create_document_vector_table", "create_product_vector_table"]


class VectorTableBuilder:
    """Columns, indexes and constraints of one table, then ``build()``."""

    def __init__(self, table_name: str, metadata: Optional[MetaData] = None):
        self.table_name = table_name
        self.metadata = metadata if metadata is not None else MetaData()
        self.columns: list = []
        self.indexes: list = []
        self.constraints: list = []

    def add_column(self, name: str, type_, **kwargs):
        self.columns.append(Column(name, type_, **kwargs))
        return self

    def _key(self, name, type_, primary_key, kwargs):
        if primary_key:
            kwargs["primary_key"] = True
        return self.add_column(name, type_, **kwargs)

    def add_int_column(self, name: str, primary_key: bool = False, **kwargs):
        return self._key(name, Integer, primary_key, kwargs)

    def add_bigint_column(self, name: str, primary_key: bool = False, **kwargs):
        return self._key(name, BigInteger, primary_key, kwargs)

    def add_smallint_column(self, name: str, primary_key: bool = False, **kwargs):
        return self._key(name, SmallInteger, primary_key, kwargs)

    def add_tinyint_column(self, name: str, primary_key: bool = False, **kwargs):
        return self._key(name, TINYINT, primary_key, kwargs)

    def add_string_column(self, name: str, length: int = 255, **kwargs):
        return self.add_column(name, String(length), **kwargs)

    def add_text_column(self, name: str, **kwargs):
        return self.add_column(name, Text, **kwargs)

    def add_json_column(self, name: str, **kwargs):
        return self.add_column(name, JSON, **kwargs)

    def add_vector_column(self, name: str, dimension: int, precision: str = VectorPrecision.F32,
                          **kwargs):
        if precision == VectorPrecision.F32:
            type_ = Vectorf32(dimension=dimension)
        elif precision == VectorPrecision.F64:
            type_ = Vectorf64(dimension=dimension)
        else:
            type_ = VectorType(dimension=dimension, precision=precision)  # raises ValueError
        return self.add_column(name, type_, **kwargs)

    def add_vecf32_column(self, name: str, dimension: int, **kwargs):
        return self.add_vector_column(name, dimension, VectorPrecision.F32, **kwargs)

    def add_vecf64_column(self, name: str, dimension: int, **kwargs):
        return self.add_vector_column(name, dimension, VectorPrecision.F64, **kwargs)

    def add_numeric_column(self, name: str, column_type: str, precision: Optional[int] = None,
                           scale: Optional[int] = None, **kwargs):
        if column_type in ("float", "double"):
            return self.add_column(name, Float(precision=precision), **kwargs)
        if column_type in ("decimal", "numeric"):
            return self.add_column(name, Numeric(precision=precision, scale=scale), **kwargs)
        raise ValueError(f"Unsupported numeric type: {column_type}")

    def add_datetime_column(self, name: str, column_type: str, **kwargs):
        types = {"date": Date, "datetime": DateTime, "timestamp": TIMESTAMP, "time": Time,
                 "year": YEAR}
        if column_type not in types:
            raise ValueError(f"Unsupported datetime type: {column_type}")
        return self.add_column(name, types[column_type], **kwargs)

    def add_boolean_column(self, name: str, **kwargs):
        return self.add_column(name, Boolean, **kwargs)

    def add_binary_column(self, name: str, column_type: str, **kwargs):
        types = {"blob": BLOB, "longblob": LONGBLOB, "mediumblob": MEDIUMBLOB,
                 "tinyblob": TINYBLOB, "binary": LargeBinary, "varbinary": VARBINARY}
        if column_type not in types:
            raise ValueError(f"Unsupported binary type: {column_type}")
        return self.add_column(name, types[column_type], **kwargs)

    def add_enum_column(self, name: str, column_type: str, values: list, **kwargs):
        if column_type == "enum":
            return self.add_column(name, Enum(*values), **kwargs)
        if column_type == "set":
            return self.add_column(name, SET(*values), **kwargs)
        raise ValueError(f"Unsupported enum type: {column_type}")

    def add_index(self, columns: Union[str, List[str]], name: Optional[str] = None, **kwargs):
        columns = [columns] if isinstance(columns, str) else list(columns)
        self.indexes.append(Index(name or f"idx_{self.table_name}_{'_'.join(columns)}",
                                  *columns, **kwargs))
        return self

    def add_vector_index(self, index):
        """A VectorIndex (IVFVectorIndex, HnswVectorIndex, create_ivfflat_index(...))."""
        self.indexes.append(index)
        return self

    def add_primary_key(self, columns: Union[str, List[str]]):
        columns = [columns] if isinstance(columns, str) else list(columns)
        self.constraints.append(PrimaryKeyConstraint(*columns))
        return self

    def add_foreign_key(self, columns: Union[str, List[str]], ref_table: str,
                        ref_columns: Union[str, List[str]], name: Optional[str] = None):
        columns = [columns] if isinstance(columns, str) else list(columns)
        ref_columns = [ref_columns] if isinstance(ref_columns, str) else list(ref_columns)
        self.constraints.append(ForeignKeyConstraint(
            columns, [f"{ref_table}.{c}" for c in ref_columns],
            name=name or f"fk_{self.table_name}_{'_'.join(columns)}"))
        return self

    def build(self) -> Table:
        return Table(self.table_name, self.metadata, *self.columns, *self.indexes,
                     *self.constraints)

    build_table = build  # the name the SDK's sessions call


def create_vector_table(table_name: str, metadata: Optional[MetaData] = None):
    return VectorTableBuilder(table_name, metadata)


def create_vector_index_table(table_name: str, metadata: Optional[MetaData] = None):
    """The SDK's sample layout: a INT key, b vecf32(128), c INT with index c_k."""
    return (VectorTableBuilder(table_name, metadata).add_int_column("a", primary_key=True)
            .add_vecf32_column("b", dimension=128).add_int_column("c")
            .add_index("c", name="c_k"))


def create_document_vector_table(table_name: str, metadata: Optional[MetaData] = None,
                                 vector_dim: int = 384):
    return (VectorTableBuilder(table_name, metadata)
            .add_int_column("id", primary_key=True, autoincrement=True)
            .add_string_column("document_id", length=100, nullable=False, unique=True)
            .add_string_column("title", length=255).add_text_column("content")
            .add_vecf32_column("embedding", dimension=vector_dim, nullable=False)
            .add_json_column("metadata").add_index("document_id").add_index("title"))


def create_product_vector_table(table_name: str, metadata: Optional[MetaData] = None,
                                vector_dim: int = 512):
    return (VectorTableBuilder(table_name, metadata)
            .add_int_column("id", primary_key=True, autoincrement=True)
            .add_string_column("product_id", length=50, nullable=False, unique=True)
            .add_string_column("name", length=200).add_text_column("description")
            .add_vecf32_column("embedding", dimension=vector_dim, nullable=False)
            .add_string_column("category", length=100).add_string_column("price", length=20)
            .add_index("product_id").add_index("category"))
