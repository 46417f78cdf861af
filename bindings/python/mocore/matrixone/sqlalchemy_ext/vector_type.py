"""The SDK's vector types (``matrixone.sqlalchemy_ext.vector_type``): Vectorf32, Vectorf64,
VectorType, VectorTypeDecorator, VectorPrecision, VectorColumn / create_vector_column and the
distance functions, on :mod:`mocore.sqlalchemy_vector` (the type mocore's dialects reflect).

    from sqlalchemy import Column, Integer, select
    from mocore.matrixone.sqlalchemy_ext import Vectorf32, create_vector_column, l2_distance

    class Doc(Base):
        __tablename__ = "docs"
        id = Column(Integer, primary_key=True)
        embedding = create_vector_column(3, "f32")       # vecf32(3), with distance methods

    select(Doc.id).order_by(Doc.embedding.l2_distance([0.1, 0.2, 0.3])).limit(5)
    select(Doc.id).where(l2_distance(Doc.embedding, [0.1, 0.2, 0.3]) < 0.5)

Binds and results are VectorType's: lists, tuples and float buffers (numpy, no copy on
mocore's dialects) go in as bound vector parameters; lists of float (or numpy arrays with
``as_numpy=True``) come out."""

from typing import Optional

from sqlalchemy import Column, TypeDecorator

from ...sqlalchemy_vector import (VectorType, _VectorComparator, cosine_distance,
                                  inner_product, l2_distance, l2_distance_sq, most_similar,
                                  negative_inner_product, parse_vector, vector_similarity_search,
                                  vector_text, within_distance)

__all__ = ["VectorPrecision", "VectorType", "Vectorf32", "Vectorf64", "VectorTypeDecorator",
           "VectorColumn", "create_vector_column", "l2_distance", "l2_distance_sq",
           "cosine_distance", "inner_product", "negative_inner_product", "within_distance",
           "most_similar", "vector_similarity_search", "vector_distance_functions",
           "vector_text", "parse_vector"]


class VectorPrecision:
    """The element type of a vector column: ``F32`` (vecf32) or ``F64`` (vecf64)."""

    F32 = "f32"
    F64 = "f64"


class _VectorDecorator(TypeDecorator):
    """Vectorf32 / Vectorf64 / VectorTypeDecorator: a TypeDecorator over VectorType (the
    SDK's classes are TypeDecorators); DDL, binds and results are VectorType's."""

    impl = VectorType
    cache_ok = True
    comparator_factory = _VectorComparator
    _precision = VectorPrecision.F32

    def __init__(self, dimension: Optional[int] = None, precision: Optional[str] = None,
                 as_numpy: bool = False, **kwargs):
        precision = precision or self._precision
        super().__init__(dimension=dimension, precision=precision, as_numpy=as_numpy)
        self.dimension = dimension
        self.precision = precision
        self.as_numpy = as_numpy

    # DDL, python_type and str() are VectorType's own (same attributes)
    get_col_spec = VectorType.get_col_spec
    python_type = VectorType.python_type
    __str__ = VectorType.__str__

    def load_dialect_impl(self, dialect):
        return self.impl_instance

    def process_bind_param(self, value, dialect):
        return value  # the impl's bind processor does the work (runs after this)

    def process_result_value(self, value, dialect):
        return value  # idem, before this

    def copy(self, **kw):
        return self.__class__(self.dimension, self.precision, self.as_numpy)

    def __repr__(self):
        name = type(self).__name__
        return f"{name}(dimension={self.dimension})" if self.dimension else f"{name}()"


class Vectorf32(_VectorDecorator):
    """``vecf32(dimension)``."""

    cache_ok = True
    _precision = VectorPrecision.F32

    def __init__(self, dimension: Optional[int] = None, as_numpy: bool = False):
        super().__init__(dimension, VectorPrecision.F32, as_numpy)

    def copy(self, **kw):
        return Vectorf32(self.dimension, self.as_numpy)


class Vectorf64(_VectorDecorator):
    """``vecf64(dimension)``."""

    cache_ok = True
    _precision = VectorPrecision.F64

    def __init__(self, dimension: Optional[int] = None, as_numpy: bool = False):
        super().__init__(dimension, VectorPrecision.F64, as_numpy)

    def copy(self, **kw):
        return Vectorf64(self.dimension, self.as_numpy)


class VectorTypeDecorator(_VectorDecorator):
    """A vector of either precision: ``VectorTypeDecorator(128, VectorPrecision.F64)``."""

    cache_ok = True

    def __repr__(self):
        if self.dimension:
            return f"VectorTypeDecorator(dimension={self.dimension}, precision='{self.precision}')"
        return f"VectorTypeDecorator(precision='{self.precision}')"


def vector_distance_functions():
    """The names of MatrixOne's vector distance functions."""
    return ["l2_distance", "l2_distance_sq", "cosine_distance"]


class VectorColumn(Column):
    """A Column with the distance methods (what ``create_vector_column`` makes)."""

    inherit_cache = True

    def l2_distance(self, other):
        return l2_distance(self, other)

    def l2_distance_sq(self, other):
        return l2_distance_sq(self, other)

    def cosine_distance(self, other):
        return cosine_distance(self, other)

    def inner_product(self, other):
        return inner_product(self, other)

    def negative_inner_product(self, other):
        return negative_inner_product(self, other)

    def similarity_search(self, other, distance_type="l2", max_distance=None):
        return vector_similarity_search(self, other, distance_type, max_distance)

    def within_distance(self, other, max_distance, distance_type="l2"):
        return within_distance(self, other, max_distance, distance_type)

    def most_similar(self, other, distance_type="l2", limit=10):
        return most_similar(self, other, distance_type)


def create_vector_column(dimension: int, precision: str = VectorPrecision.F32, **kwargs):
    """A VectorColumn of ``vecf32(dimension)`` / ``vecf64(dimension)``; ``kwargs`` are
    Column's (a first positional name may be given as ``name=``)."""
    if precision == VectorPrecision.F32:
        type_ = Vectorf32(dimension=dimension)
    elif precision == VectorPrecision.F64:
        type_ = Vectorf64(dimension=dimension)
    else:
        raise ValueError(f"Precision must be '{VectorPrecision.F32}' or '{VectorPrecision.F64}'")
    name = kwargs.pop("name", None)
    return VectorColumn(name, type_, **kwargs) if name else VectorColumn(type_, **kwargs)
