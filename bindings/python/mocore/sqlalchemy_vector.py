"""MatrixOne's vector column type for SQLAlchemy on mocore's dialects, and the vector distance
functions (``mysql+mocore`` / ``mysql+mocore_async`` reflect ``vecf32(n)`` / ``vecf64(n)``
columns as :class:`VectorType`; mocore.matrixone.sqlalchemy_ext adds the SDK's names).

    from sqlalchemy import Column, Integer, MetaData, Table, select
    from mocore.sqlalchemy_vector import VectorType, l2_distance

    items = Table("items", MetaData(), Column("id", Integer, primary_key=True),
                  Column("embedding", VectorType(3, "f32")))           # vecf32(3)
    select(items.c.id).order_by(items.c.embedding.l2_distance([0.1, 0.2, 0.3])).limit(5)
    select(items.c.id).where(l2_distance(items.c.embedding, [0.1, 0.2, 0.3]) < 0.5)

Values going in: a list or tuple of numbers, a float32/float64 buffer (numpy array,
``array('f')``, memoryview) or MatrixOne's text ``"[1,2.5]"``. On mocore's dialects lists and
buffers are handed to the C core as they are: it renders them as the vector literal
``'[0.1,0.2]'`` (a float32 buffer is read in place, no copy, and written in float32's
shortest text). A vector is always a bound parameter, never pasted into the statement.

Values coming out: lists of float (MatrixOne sends vector columns as text ``"[...]"``, which
is parsed; a driver that gives lists already is passed through), or numpy arrays of the
column's precision with ``as_numpy=True``.
"""

import re
from typing import Any, Optional

from sqlalchemy import Float, bindparam, func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import UserDefinedType

__all__ = ["VectorType", "l2_distance", "l2_distance_sq", "cosine_distance", "inner_product",
           "negative_inner_product", "within_distance", "most_similar",
           "vector_similarity_search", "vector_text", "parse_vector", "ischema_names",
           "table_parser", "vector_index_info"]


_PRECISIONS = ("f32", "f64")


def _check_type_args(dimension, precision):
    if dimension is not None and (not isinstance(dimension, int) or isinstance(dimension, bool)
                                  or dimension <= 0):
        raise ValueError(f"vector dimension must be a positive int, not {dimension!r}")
    if precision not in _PRECISIONS:
        raise ValueError("Precision must be 'f32' or 'f64'")


def _col_spec(dimension, precision):
    return f"vec{precision}({dimension})" if dimension is not None else f"vec{precision}"


def _is_float_buffer(value):
    """A C-contiguous 1-D buffer of float32/float64 (numpy arrays, array('f'/'d'), their
    memoryviews): what mocore's C core reads in place."""
    try:
        m = memoryview(value)
    except TypeError:
        return False
    with m:
        return m.ndim == 1 and m.format in ("f", "d", "<f", "<d", "=f", "=d") and m.c_contiguous


def vector_text(value):
    """MatrixOne's text of a vector, ``[1,2.5]``, from a sequence of numbers (for drivers
    that take no list parameters). Elements must be real numbers: anything else raises
    TypeError (a string element could otherwise hide SQL in the text)."""
    parts = []
    for x in value:
        if isinstance(x, bool) or not isinstance(x, (int, float)) and not hasattr(x, "__float__"):
            raise TypeError(f"vector element must be a number, not {type(x).__name__}")
        parts.append(repr(float(x)) if not isinstance(x, int) else str(x))
    return "[" + ",".join(parts) + "]"


def _to_sequence(value):
    """numpy arrays and other sequences of numbers as a list of Python numbers."""
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else list(value)


def _bind(dialect, value):
    """A vector as the driver takes it: mocore takes lists, tuples and float buffers as
    vector parameters (rendered by the C core); other drivers get the text."""
    if value is None or isinstance(value, str):
        return value
    mocore_driver = getattr(dialect, "driver", None) in ("mocore", "mocore_async")
    if _is_float_buffer(value):
        return value if mocore_driver else vector_text(_to_sequence(value))
    if isinstance(value, (list, tuple)):
        if mocore_driver:
            vector_text(value)  # type check of the elements (the C core checks NaN/inf)
            return list(value)
        return vector_text(value)
    if hasattr(value, "__len__") and hasattr(value, "__iter__"):
        seq = _to_sequence(value)  # numpy arrays of other dtypes, array('i'), ...
        return seq if mocore_driver else vector_text(seq)
    raise TypeError(f"a vector must be a list of numbers, a float buffer or its text, "
                    f"not {type(value).__name__}")


def parse_vector(value):
    """``"[1,2.5]"`` -> ``[1.0, 2.5]``; a list stays a list; anything else unchanged."""
    if isinstance(value, str):
        s = value.strip()
        if s[:1] == "[" and s[-1:] == "]":
            inner = s[1:-1].strip()
            try:
                return [float(x) for x in inner.split(",")] if inner else []
            except ValueError:
                return value
        return value
    if isinstance(value, tuple):
        return list(value)
    return value


def _result(value, precision, as_numpy):
    value = parse_vector(value)
    if as_numpy and isinstance(value, list):
        import numpy
        return numpy.asarray(value, dtype=numpy.float32 if precision == "f32" else numpy.float64)
    return value


class _VectorComparator(UserDefinedType.Comparator):
    """The distance methods on any expression of a vector type (``Column(Vectorf32(3))``,
    a model attribute): ``col.l2_distance(v)``, ``col.cosine_distance(v)``, ..."""

    def l2_distance(self, other):
        return l2_distance(self.expr, other)

    def l2_distance_sq(self, other):
        return l2_distance_sq(self.expr, other)

    def cosine_distance(self, other):
        return cosine_distance(self.expr, other)

    def inner_product(self, other):
        return inner_product(self.expr, other)

    def negative_inner_product(self, other):
        return negative_inner_product(self.expr, other)

    def similarity_search(self, other, distance_type="l2", max_distance=None):
        return vector_similarity_search(self.expr, other, distance_type, max_distance)

    def within_distance(self, other, max_distance, distance_type="l2"):
        return within_distance(self.expr, other, max_distance, distance_type)

    def most_similar(self, other, distance_type="l2", limit=10):
        return most_similar(self.expr, other, distance_type)


class VectorType(UserDefinedType):
    """``vecf32(n)`` / ``vecf64(n)``: a vector column of ``dimension`` elements of
    ``precision`` (VectorPrecision.F32 or F64). Compiles on every MySQL-family dialect (its
    DDL is ``get_col_spec()``); reflection of mocore's dialects gives this type."""

    cache_ok = True
    comparator_factory = _VectorComparator

    def __init__(self, dimension: Optional[int] = None, precision: str = "f32",
                 as_numpy: bool = False):
        _check_type_args(dimension, precision)
        self.dimension = dimension
        self.precision = precision
        self.as_numpy = as_numpy

    def get_col_spec(self, **kw: Any) -> str:
        return _col_spec(self.dimension, self.precision)

    def bind_processor(self, dialect):
        return lambda value: _bind(dialect, value)

    def result_processor(self, dialect, coltype):
        precision, as_numpy = self.precision, self.as_numpy
        return lambda value: _result(value, precision, as_numpy)

    def process_bind_param(self, value, dialect):
        return _bind(dialect, value)

    def process_result_value(self, value, dialect):
        return _result(value, self.precision, self.as_numpy)

    @property
    def python_type(self):
        return list

    def __str__(self):
        return self.get_col_spec()

    def __repr__(self):
        if self.dimension:
            return f"VectorType(dimension={self.dimension}, precision='{self.precision}')"
        return f"VectorType(precision='{self.precision}')"


# ---------------------------------------------------------------- distance functions
def _vector_arg(column, other):
    """The second argument of a distance function: a column/expression as it is, a vector
    (list, buffer or its text) as a bound parameter of the column's vector type."""
    if isinstance(other, ColumnElement) or hasattr(other, "__clause_element__"):
        return other
    type_ = getattr(column, "type", None)
    if not isinstance(getattr(type_, "impl_instance", type_), VectorType):
        type_ = VectorType()
    if isinstance(other, (list, tuple)):
        vector_text(other)  # refuse what is no vector now, not at execution
    elif not isinstance(other, str) and not _is_float_buffer(other) and not (
            hasattr(other, "__len__") and hasattr(other, "__iter__")):
        raise TypeError(f"a vector must be a list of numbers, a float buffer or its text, "
                        f"not {type(other).__name__}")
    return bindparam(None, other, type_=type_)


def _distance(name, column, other):
    return getattr(func, name)(column, _vector_arg(column, other), type_=Float())


def l2_distance(column, other):
    """``l2_distance(column, other)``: the Euclidean distance."""
    return _distance("l2_distance", column, other)


def l2_distance_sq(column, other):
    """``l2_distance_sq(column, other)``: the squared Euclidean distance."""
    return _distance("l2_distance_sq", column, other)


def cosine_distance(column, other):
    """``cosine_distance(column, other)``: 1 - cosine similarity."""
    return _distance("cosine_distance", column, other)


def inner_product(column, other):
    """``inner_product(column, other)``: the dot product (larger is more similar)."""
    return _distance("inner_product", column, other)


def negative_inner_product(column, other):
    """``-inner_product(column, other)`` (MatrixOne has no function of its own for it):
    smaller is more similar, as with the distances."""
    return -inner_product(column, other)


_BY_TYPE = {"l2": l2_distance, "l2_sq": l2_distance_sq, "cosine": cosine_distance,
            "inner_product": inner_product, "negative_inner_product": negative_inner_product}


def _by_type(distance_type):
    fn = _BY_TYPE.get(distance_type)
    if fn is None:
        raise ValueError(f"Unsupported distance type: {distance_type}")
    return fn


def vector_similarity_search(column, query_vector, distance_type="l2", max_distance=None):
    """The distance expression of ``distance_type`` ("l2", "l2_sq", "cosine",
    "inner_product", "negative_inner_product") to order or filter by."""
    return _by_type(distance_type)(column, query_vector)


def within_distance(column, query_vector, max_distance, distance_type="l2"):
    """``distance < max_distance`` (for "inner_product": ``inner_product > max_distance``);
    the threshold is a bound parameter."""
    expr = _by_type(distance_type)(column, query_vector)
    return expr > max_distance if distance_type == "inner_product" else expr < max_distance


def most_similar(column, query_vector, distance_type="l2"):
    """The ORDER BY expression putting the most similar rows first."""
    expr = _by_type(distance_type)(column, query_vector)
    return expr.desc() if distance_type == "inner_product" else expr


# ---------------------------------------------------------------- reflection
class _ReflectedVecf32(VectorType):
    """What get_columns gives for a ``vecf32(n)`` column (a VectorType)."""

    def __init__(self, dimension=None):
        super().__init__(dimension, "f32")


class _ReflectedVecf64(VectorType):
    """What get_columns gives for a ``vecf64(n)`` column (a VectorType)."""

    def __init__(self, dimension=None):
        super().__init__(dimension, "f64")


def ischema_names(base):
    """SQLAlchemy MySQL's type-name table ``base`` with MatrixOne's vector types."""
    names = dict(base)
    names["vecf32"] = _ReflectedVecf32
    names["vecf64"] = _ReflectedVecf64
    return names


# MatrixOne's SHOW CREATE TABLE line of a vector index:
#   KEY `idx` USING ivfflat (`col`) lists = 4  op_type 'vector_l2_ops' ,
#   KEY `idx` USING hnsw (`col`) m = 8  ef_construction = 100  ef_search = 20  op_type '...'
_VECTOR_KEY = re.compile(r"(?P<key>  KEY +`(?:``|[^`])+` +USING +(?P<algo>ivfflat|hnsw) +\(.+?\))"
                         r"(?P<options>(?: +\w+ *=? *(?:'[^']*'|[^\s',]+))*) *(?P<comma>,?)$",
                         re.I)
_VECTOR_OPTION = re.compile(r"(\w+) *=? *('[^']*'|[^\s',]+)")


def table_parser(base):
    """SQLAlchemy MySQL's SHOW CREATE TABLE parser class ``base``, reading MatrixOne's vector
    index lines too (as indexes on their columns, the algorithm and options kept)."""

    class MatrixOneTableParser(base):
        def _parse_constraints(self, line):
            m = _VECTOR_KEY.match(line)
            if m:
                kind, spec = super()._parse_constraints(m.group("key") + m.group("comma"))
                if kind == "key":
                    options = {k.lower(): v.strip("'") for k, v in
                               _VECTOR_OPTION.findall(m.group("options"))}
                    options = {k: int(v) if v.isdigit() else v for k, v in options.items()}
                    spec["mo_vector"] = {"algorithm": m.group("algo").lower(), **options}
                    return kind, spec
            return super()._parse_constraints(line)

    return MatrixOneTableParser


def vector_index_info(parsed_keys):
    """{index name: {'algorithm', 'lists' | 'm', 'ef_construction', 'ef_search', 'op_type'}}
    of the vector indexes in a parsed table definition."""
    return {k["name"]: k["mo_vector"] for k in parsed_keys if k.get("mo_vector")}
