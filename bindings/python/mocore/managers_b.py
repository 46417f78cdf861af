"""Managers-B with the MatrixOne Python SDK's surface: ``vector_ops``, ``fulltext_index``,
``metadata``, ``moctl``, the table helpers ``insert`` / ``batch_insert`` / ``create_table`` /
``drop_table``, and the connection hooks (``Client(..., on_connect=...)``).

Available on a client (autocommit) and on a session (inside its transaction), and on the
connection a hook callback receives. The SQL is built in C (capi/mocore/vector.h, fulltext.h,
metadata.h, moctl.h, table.h, hooks.h): names are quoted identifiers, values escaped literals
or typed parameters; docs/managers.md lists where that differs from the SDK.

Vectors (query vectors and vector values in rows) may be lists or tuples of numbers (sent as
float64 text), ``array.array('f')`` / numpy float32 arrays (float32) or ``array('d')`` /
float64 buffers: anything with the buffer protocol of floats is read without a copy.

Differences from the SDK, all deliberate:
- ``similarity_search`` / ``range_search`` / ``search_with_rank`` / ``fulltext_index.search``
  return a list of dicts (column name -> value); in the vector searches the searched vector
  column's values are lists of float (MatrixOne may send vector columns as text, which a plain
  ``execute`` returns as ``str`` "[1,2.5]"; the searches know which column is the vector). ``where_clause`` is SQL written by the caller;
  put values in ``where_params`` (``?`` placeholders) instead of pasting them in.
- an unknown ``distance_type`` / ``op_type`` / ``rank_mode`` is InvalidArgumentError (the SDK
  falls back to L2 for distance types).
- ``log_mode`` is accepted for compatibility and checked, but the client's log mode applies.
- ``on_connect`` defaults to no actions (the SDK's default is ENABLE_ALL): the actions are
  MatrixOne session variables, skipped (with a log line) on MySQL/MariaDB. A callable receives
  a ``HookConnection`` bound to the new connection (the SDK passes the client).
"""

import enum as _enum
import json as _json
from dataclasses import dataclass as _dataclass
from typing import Optional

from . import mocore_core as _core
from .managers import (_Manager, _bad, _str, _int, _flag, _fields, _to_record,
                       _model_name, _Managers)

__all__ = ["VectorOpType", "DistanceType", "IVFRankMode", "FulltextSearchMode",
           "ConnectionAction", "ConnectionHook", "MetadataColumn", "MetadataRow", "ResultSet",
           "VectorManager", "FulltextIndexManager", "MetadataManager", "MoCtlManager",
           "HookConnection"]


class VectorOpType(str, _enum.Enum):
    """Index operator classes (``op_type`` of create_ivf / create_hnsw)."""
    VECTOR_L2_OPS = "vector_l2_ops"
    VECTOR_COSINE_OPS = "vector_cosine_ops"
    VECTOR_IP_OPS = "vector_ip_ops"


class DistanceType(str, _enum.Enum):
    """``distance_type`` of the searches."""
    L2 = "l2"
    COSINE = "cosine"
    INNER_PRODUCT = "inner_product"


class IVFRankMode(str, _enum.Enum):
    """``rank_mode`` of search_with_rank (strings accepted, case-insensitive)."""
    PRE = "pre"
    POST = "post"
    FORCE = "force"


class FulltextSearchMode(str, _enum.Enum):
    NATURAL_LANGUAGE = "natural"
    BOOLEAN = "boolean"
    QUERY_EXPANSION = "query_expansion"


class ConnectionAction(str, _enum.Enum):
    """The SDK's on_connect actions."""
    ENABLE_IVF = "enable_ivf"
    ENABLE_HNSW = "enable_hnsw"
    ENABLE_FULLTEXT = "enable_fulltext"
    ENABLE_VECTOR = "enable_vector"
    ENABLE_ALL = "enable_all"


class ConnectionHook:
    """``ConnectionHook(actions=[...], custom_hook=fn)``: actions, then ``fn(connection)``."""

    def __init__(self, actions=None, custom_hook=None):
        self.actions = list(actions or [])
        self.custom_hook = custom_hook


class MetadataColumn(str, _enum.Enum):
    COL_NAME = "col_name"
    OBJECT_NAME = "object_name"
    IS_HIDDEN = "is_hidden"
    OBJ_LOC = "obj_loc"
    CREATE_TS = "create_ts"
    DELETE_TS = "delete_ts"
    ROWS_CNT = "rows_cnt"
    NULL_CNT = "null_cnt"
    COMPRESS_SIZE = "compress_size"
    ORIGIN_SIZE = "origin_size"
    MIN = "min"
    MAX = "max"
    SUM = "sum"


@_dataclass
class MetadataRow:
    col_name: Optional[str]
    object_name: Optional[str]
    is_hidden: bool
    obj_loc: Optional[str]
    create_ts: Optional[str]
    delete_ts: Optional[str]
    rows_cnt: int
    null_cnt: int
    compress_size: int
    origin_size: int
    min: Optional[str] = None
    max: Optional[str] = None
    sum: Optional[str] = None


class ResultSet:
    """What the SDK's ``insert`` / ``batch_insert`` return: ``columns``, ``rows``,
    ``affected_rows`` (a write has no rows)."""

    __slots__ = ("columns", "rows", "affected_rows")

    def __init__(self, columns=(), rows=(), affected_rows=0):
        self.columns, self.rows, self.affected_rows = list(columns), list(rows), affected_rows

    def fetchall(self):
        return list(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return f"ResultSet(columns={self.columns!r}, rows={self.rows!r}, affected_rows={self.affected_rows})"


# ---------------------------------------------------------------- argument helpers

_LOG_MODES = (None, "off", "auto", "simple", "full")
_DISTANCES = {"l2": _core.MO_VECTOR_L2, "cosine": _core.MO_VECTOR_COSINE,
              "inner_product": _core.MO_VECTOR_INNER_PRODUCT}
_OPS = {"vector_l2_ops": _core.MO_VECTOR_L2, "vector_cosine_ops": _core.MO_VECTOR_COSINE,
        "vector_ip_ops": _core.MO_VECTOR_INNER_PRODUCT}
_RANKS = {"post": _core.MO_IVF_RANK_POST, "pre": _core.MO_IVF_RANK_PRE,
          "force": _core.MO_IVF_RANK_FORCE}
_FT_MODES = {"natural": _core.MO_FULLTEXT_NATURAL, "natural_language": _core.MO_FULLTEXT_NATURAL,
             "boolean": _core.MO_FULLTEXT_BOOLEAN,
             "query_expansion": _core.MO_FULLTEXT_QUERY_EXPANSION}


def _choice(op, what, value, table, default):
    if value is None:
        return table[default]
    v = getattr(value, "value", value)
    if not isinstance(v, str) or v.lower() not in table:
        raise _bad(op, f"{what} must be one of {sorted(table)}, got {value!r}")
    return table[v.lower()]


def _log_mode(op, log_mode):
    if log_mode not in _LOG_MODES:
        raise _bad(op, f"Invalid log_mode {log_mode!r}. Must be one of 'off', 'auto', 'simple', 'full'")


def _table(op, table):
    return _model_name(op, "table_name", table)


def _name_list(op, what, value, optional=True):
    """None, a comma-separated str, or a list/tuple of names (str or enum) -> "a, b"."""
    if value is None:
        if optional:
            return None
        raise _bad(op, f"{what} is required (got None)")
    if isinstance(value, (list, tuple)):
        return ", ".join(_str(op, what, getattr(v, "value", v)) for v in value)
    return _str(op, what, value)


def _positive(op, what, value):
    n = _int(op, what, value)
    if n <= 0:
        raise _bad(op, f"{what} must be > 0, got {n}")
    return n


def _where(op, where_clause, where_params):
    where = _str(op, "where_clause", where_clause, True)
    params = None
    if where_params is not None:
        if isinstance(where_params, (str, bytes, dict)) or not hasattr(where_params, "__len__"):
            raise _bad(op, "where_params must be a list or tuple of values")
        params = _core.mo_params_new()
        _core.mo_py_params_add(params, where_params)
    return where, params


def _vector(value):
    """MatrixOne's text of a vector ("[1,2.5]") -> list of float; anything else unchanged."""
    if isinstance(value, str) and value[:1] == "[" and value[-1:] == "]":
        inner = value[1:-1]
        try:
            return [float(x) for x in inner.split(",")] if inner.strip() else []
        except ValueError:
            return value
    return value


def _dicts(handle, vector_column=None):
    """Rows as dicts. ``vector_column``: the searched vector column, whose values become lists
    of float even where the server sends the column as text (MatrixOne's vecf32/vecf64)."""
    from . import Result
    res = Result(handle)
    cols = res.columns
    rows = [dict(zip(cols, row)) for row in res.fetchall()]
    if vector_column is not None and vector_column in cols:
        for r in rows:
            r[vector_column] = _vector(r[vector_column])
    return rows


def _row_params(op, columns, rows):
    """Column names and one mo_params of every row's values, row after row."""
    params = _core.mo_params_new()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise _bad(op, f"row {i} must be a dict (column -> value), not {type(row).__name__}")
        if len(row) != len(columns) or any(c not in row for c in columns):
            raise _bad(op, f"row {i} has columns {sorted(row)}; every row needs exactly {columns}")
        _core.mo_py_params_add(params, [row[c] for c in columns])
    return params


def _columns_of(op, data):
    if not isinstance(data, dict) or not data:
        raise _bad(op, "data must be a non-empty dict (column -> value)")
    cols = list(data)
    for c in cols:
        _str(op, "column name", c)
    return cols


# ---------------------------------------------------------------- vector_ops

class VectorManager(_Manager):
    """``client.vector_ops`` (MatrixOne; ``drop`` and ``insert`` run everywhere). Methods that
    change something return the manager, so calls chain as in the SDK."""

    def create_ivf(self, table_name, name, column, lists=100, op_type=None):
        op = "vector_ops.create_ivf"
        _core.mo_vector_create_ivf(self._ex(), _table(op, table_name), _str(op, "name", name),
                                   _str(op, "column", column), _positive(op, "lists", lists),
                                   _choice(op, "op_type", op_type, _OPS, "vector_l2_ops"))
        return self

    def create_hnsw(self, table_name, name, column, m=16, ef_construction=200, ef_search=50,
                    op_type=None):
        op = "vector_ops.create_hnsw"
        _core.mo_vector_create_hnsw(self._ex(), _table(op, table_name), _str(op, "name", name),
                                    _str(op, "column", column), _positive(op, "m", m),
                                    _positive(op, "ef_construction", ef_construction),
                                    _positive(op, "ef_search", ef_search),
                                    _choice(op, "op_type", op_type, _OPS, "vector_l2_ops"))
        return self

    def drop(self, table_name, name):
        op = "vector_ops.drop"
        _core.mo_vector_drop(self._ex(), _table(op, table_name), _str(op, "name", name))
        return self

    def enable_ivf(self, probe_limit=1):
        _core.mo_vector_enable_ivf(self._ex(), _positive("vector_ops.enable_ivf", "probe_limit",
                                                         probe_limit))
        return self

    def disable_ivf(self):
        _core.mo_vector_disable_ivf(self._ex())
        return self

    def enable_hnsw(self):
        _core.mo_vector_enable_hnsw(self._ex())
        return self

    def disable_hnsw(self):
        _core.mo_vector_disable_hnsw(self._ex())
        return self

    def insert(self, table_name, data):
        op = "vector_ops.insert"
        cols = _columns_of(op, data)
        _core.mo_vector_insert(self._ex(), _table(op, table_name), cols,
                               _row_params(op, cols, [data]))
        return self

    def batch_insert(self, table_name, data_list):
        op = "vector_ops.batch_insert"
        rows = list(data_list)
        if rows:
            cols = _columns_of(op, rows[0])
            _core.mo_vector_batch_insert(self._ex(), _table(op, table_name), cols,
                                         _row_params(op, cols, rows), len(rows))
        return self

    def similarity_search(self, table_name, vector_column, query_vector, limit=10,
                          select_columns=None, where_clause=None, distance_type="l2",
                          log_mode=None, *, where_params=None):
        op = "vector_ops.similarity_search"
        _log_mode(op, log_mode)
        where, params = _where(op, where_clause, where_params)
        h = _core.mo_vector_similarity_search(
            self._ex(), _table(op, table_name), _str(op, "vector_column", vector_column),
            query_vector, _positive(op, "limit", limit),
            _name_list(op, "select_columns", select_columns), where, params,
            _choice(op, "distance_type", distance_type, _DISTANCES, "l2"))
        return _dicts(h, vector_column)

    def range_search(self, table_name, vector_column, query_vector, max_distance,
                     select_columns=None, where_clause=None, log_mode=None, *, where_params=None):
        op = "vector_ops.range_search"
        _log_mode(op, log_mode)
        if isinstance(max_distance, bool) or not isinstance(max_distance, (int, float)):
            raise _bad(op, f"max_distance must be a number, not {type(max_distance).__name__}")
        where, params = _where(op, where_clause, where_params)
        h = _core.mo_vector_range_search(
            self._ex(), _table(op, table_name), _str(op, "vector_column", vector_column),
            query_vector, float(max_distance), _name_list(op, "select_columns", select_columns),
            where, params)
        return _dicts(h, vector_column)

    def search_with_rank(self, table_name, vector_column, query_vector, limit=10,
                         select_columns=None, where_clause=None, distance_type="l2",
                         rank_mode=None, log_mode=None, *, where_params=None):
        op = "vector_ops.search_with_rank"
        _log_mode(op, log_mode)
        where, params = _where(op, where_clause, where_params)
        h = _core.mo_vector_search_with_rank(
            self._ex(), _table(op, table_name), _str(op, "vector_column", vector_column),
            query_vector, _positive(op, "limit", limit),
            _name_list(op, "select_columns", select_columns), where, params,
            _choice(op, "distance_type", distance_type, _DISTANCES, "l2"),
            _choice(op, "rank_mode", rank_mode, _RANKS, "post"))
        return _dicts(h, vector_column)

    def get_ivf_stats(self, table_name, column_name=None, database=None):
        """{'index_tables': {algo_table_type: table}, 'distribution': {'centroid_count': [...],
        'centroid_id': [...], 'centroid_version': [...]}, 'database', 'table_name',
        'column_name'}"""
        op = "vector_ops.get_ivf_stats"
        s = _core.mo_vector_get_ivf_stats(self._ex(), _table(op, table_name),
                                          _str(op, "column_name", column_name, True),
                                          _str(op, "database", database, True))
        tables = {}
        for kind in ("metadata", "centroids", "entries"):
            t = _core.mo_ivf_stats_index_table(s, kind)
            if t is not None:
                tables[kind] = t
        dist = {"centroid_count": [], "centroid_id": [], "centroid_version": []}
        for i in range(_core.mo_ivf_stats_centroid_count(s)):
            cid, version, count = _core.mo_ivf_stats_centroid(s, i)
            dist["centroid_count"].append(count)
            dist["centroid_id"].append(cid)
            dist["centroid_version"].append(version)
        return {"index_tables": tables, "distribution": dist,
                "database": _core.mo_ivf_stats_database(s),
                "table_name": _core.mo_ivf_stats_table_name(s),
                "column_name": _core.mo_ivf_stats_column_name(s)}


# ---------------------------------------------------------------- fulltext_index

class FulltextIndexManager(_Manager):
    """``client.fulltext_index``. create/drop/search are plain MySQL (also MariaDB/MySQL)."""

    def create(self, table_name, name, columns, algorithm="TF-IDF", parser=None):
        """``columns``: a name, "a, b" or a list. ``algorithm`` is accepted as the SDK's (which
        never sends it); ``parser``: None, "ngram" or "json"."""
        op = "fulltext_index.create"
        _str(op, "algorithm", algorithm, True)
        _core.mo_fulltext_create(self._ex(), _table(op, table_name), _str(op, "name", name),
                                 _name_list(op, "columns", columns, False),
                                 _str(op, "parser", parser, True))
        return self

    def drop(self, table_name, name):
        op = "fulltext_index.drop"
        _core.mo_fulltext_drop(self._ex(), _table(op, table_name), _str(op, "name", name))
        return self

    def enable_fulltext(self):
        _core.mo_fulltext_enable(self._ex())
        return self

    def disable_fulltext(self):
        _core.mo_fulltext_disable(self._ex())
        return self

    def search(self, table_name, columns, query, mode="natural", select_columns=None,
               where_clause=None, limit=None, *, where_params=None):
        """``MATCH(columns) AGAINST(query [mode])`` -> list of dicts. mode: "natural",
        "boolean" or "query_expansion" (or FulltextSearchMode)."""
        op = "fulltext_index.search"
        where, params = _where(op, where_clause, where_params)
        h = _core.mo_fulltext_search(
            self._ex(), _table(op, table_name), _name_list(op, "columns", columns, False),
            _str(op, "query", query), _choice(op, "mode", mode, _FT_MODES, "natural"),
            _name_list(op, "select_columns", select_columns), where, params,
            0 if limit is None else _positive(op, "limit", limit))
        return _dicts(h)


# ---------------------------------------------------------------- metadata

def _metadata_rows(lst):
    get = _core.mo_metadata_row_list_get
    out = []
    for i in range(_core.mo_metadata_row_list_count(lst)):
        r = _to_record(MetadataRow, "metadata_row", get(lst, i))
        r.is_hidden = bool(r.is_hidden)
        out.append(r)
    return out


def _stats(lst, detail):
    out = {}
    get = _core.mo_table_stats_list_get
    for i in range(_core.mo_table_stats_list_count(lst)):
        s = get(lst, i)
        base = {"row_cnt": _core.mo_table_stats_row_cnt(s),
                "null_cnt": _core.mo_table_stats_null_cnt(s),
                "original_size": _core.mo_table_stats_original_size_text(s),
                "compress_size": _core.mo_table_stats_compress_size_text(s)}
        key = _core.mo_table_stats_key(s)
        if detail:
            out.setdefault(key, []).append({"object_name": _core.mo_table_stats_object_name(s),
                                            "create_ts": _core.mo_table_stats_create_ts(s),
                                            "delete_ts": _core.mo_table_stats_delete_ts(s),
                                            **base})
        else:
            out[key] = {"total_objects": _core.mo_table_stats_total_objects(s), **base}
    return out


class MetadataManager(_Manager):
    """``client.metadata`` (MatrixOne ``metadata_scan``)."""

    def scan(self, dbname, tablename, is_tombstone=None, indexname=None, columns=None,
             distinct_object_name=None):
        """columns None -> the Result (a cursor); "*" or [] -> list of MetadataRow; a list of
        names / MetadataColumn -> list of dicts with those keys."""
        op = "metadata.scan"
        args = (self._ex(), _str(op, "dbname", dbname), _str(op, "tablename", tablename),
                _flag(op, "is_tombstone", bool(is_tombstone)), _str(op, "indexname", indexname, True),
                _flag(op, "distinct_object_name", bool(distinct_object_name)))
        if columns == "*" or (isinstance(columns, (list, tuple)) and not columns):
            return _metadata_rows(_core.mo_metadata_scan_rows(*args))
        if columns is None:
            from . import Result
            return Result(_core.mo_metadata_scan(*args, None))
        return _dicts(_core.mo_metadata_scan(*args, _name_list(op, "columns", columns)))

    def _stats(self, fn, op, dbname, tablename, is_tombstone, indexname, include_tombstone,
               include_indexes, detail):
        lst = fn(self._ex(), _str(op, "dbname", dbname), _str(op, "tablename", tablename),
                 _flag(op, "is_tombstone", bool(is_tombstone)),
                 _str(op, "indexname", indexname, True),
                 _flag(op, "include_tombstone", include_tombstone),
                 _name_list(op, "include_indexes", include_indexes))
        return _stats(lst, detail)

    def get_table_brief_stats(self, dbname, tablename, is_tombstone=None, indexname=None,
                              include_tombstone=False, include_indexes=None):
        return self._stats(_core.mo_metadata_brief_stats, "metadata.get_table_brief_stats",
                           dbname, tablename, is_tombstone, indexname, include_tombstone,
                           include_indexes, False)

    def get_table_detail_stats(self, dbname, tablename, is_tombstone=None, indexname=None,
                               include_tombstone=False, include_indexes=None):
        return self._stats(_core.mo_metadata_detail_stats, "metadata.get_table_detail_stats",
                           dbname, tablename, is_tombstone, indexname, include_tombstone,
                           include_indexes, True)


# ---------------------------------------------------------------- moctl

def _moctl(h):
    text = _core.mo_moctl_result_json(h)
    if text:
        try:
            return _json.loads(text)
        except ValueError:
            pass
    return {"method": _core.mo_moctl_result_method(h),
            "result": [{"returnStr": _core.mo_moctl_result_return_str(h)}]}


class MoCtlManager(_Manager):
    """``client.moctl`` (MatrixOne ``mo_ctl``). Each returns the server's parsed JSON answer
    (a returnStr other than OK raises ServerError "mo_ctl operation failed: ...")."""

    def flush_table(self, database, table):
        op = "moctl.flush_table"
        return _moctl(_core.mo_moctl_flush_table(self._ex(), _str(op, "database", database),
                                                 _str(op, "table", table)))

    def increment_checkpoint(self):
        return _moctl(_core.mo_moctl_increment_checkpoint(self._ex()))

    def global_checkpoint(self):
        return _moctl(_core.mo_moctl_global_checkpoint(self._ex()))


# ---------------------------------------------------------------- the mixin

class _ManagersB:
    """vector_ops, fulltext_index, metadata, moctl and the table helpers, for Client, Session
    and HookConnection (anything with ``_executor()``)."""

    @property
    def vector_ops(self):
        return VectorManager(self)

    @property
    def fulltext_index(self):
        return FulltextIndexManager(self)

    @property
    def metadata(self):
        return MetadataManager(self)

    @property
    def moctl(self):
        return MoCtlManager(self)

    def insert(self, table_name, data):
        """``INSERT INTO table (cols) VALUES (...)`` of one dict (column -> value); values are
        typed parameters (None, numbers, str, bytes, dates, Decimal, dict as JSON, vectors).
        Returns a ResultSet with ``affected_rows``."""
        op = "table.insert"
        cols = _columns_of(op, data)
        n = _core.mo_table_insert(self._executor(), _table(op, table_name), cols,
                                  _row_params(op, cols, [data]))
        return ResultSet(affected_rows=n)

    def batch_insert(self, table_name, data_list):
        """Rows (dicts with the same columns) as multi-row INSERTs, each under the server's
        max_allowed_packet. An empty list sends nothing."""
        op = "table.batch_insert"
        rows = list(data_list)
        if not rows:
            return ResultSet(affected_rows=0)
        cols = _columns_of(op, rows[0])
        n = _core.mo_table_batch_insert(self._executor(), _table(op, table_name), cols,
                                        _row_params(op, cols, rows), len(rows))
        return ResultSet(affected_rows=n)

    def create_table(self, table_name, columns, primary_key=None):
        """``columns``: {name: type} with the SDK's type strings ("int", "varchar(100)",
        "vecf32(128)", ...); ``primary_key``: a column name or a list of them."""
        op = "table.create_table"
        if not isinstance(columns, dict) or not columns:
            raise _bad(op, "columns must be a non-empty dict (column name -> type)")
        _core.mo_table_create(self._executor(), _str(op, "table_name", table_name),
                              [(_str(op, "column name", k), _str(op, "column type", v))
                               for k, v in columns.items()],
                              _name_list(op, "primary_key", primary_key))
        return self

    def drop_table(self, table_name):
        op = "table.drop_table"
        _core.mo_table_drop(self._executor(), _table(op, table_name))
        return self


# ---------------------------------------------------------------- connection hooks

class HookConnection(_Managers, _ManagersB):
    """The new connection, as an on_connect callable sees it: ``execute``/``query``/``scalar``
    and every manager run on that connection (autocommit). Valid only during the call."""

    def __init__(self, handle):
        self._ex_h = handle

    def _executor(self):
        if self._ex_h is None:
            raise _bad("on_connect", "the hook connection is only valid during the hook call")
        return self._ex_h

    def execute(self, sql, params=None):
        from . import Result, _params
        if not isinstance(sql, str):
            raise _bad("executor.execute", f"sql must be a str, not {type(sql).__name__}")
        return Result(_core.mo_executor_execute(self._executor(), sql, _params(params)))

    def query(self, sql, params=None):
        return self.execute(sql, params).fetchall()

    def scalar(self, sql, params=None):
        return self.execute(sql, params).scalar()


def _actions(op, value):
    """on_connect actions -> (flags, callable or None)."""
    if value is None:
        return 0, None
    if isinstance(value, ConnectionHook):
        flags, _ = _actions(op, value.actions)
        return flags, value.custom_hook
    if callable(value) and not isinstance(value, (str, _enum.Enum)):
        return 0, value
    items = [value] if isinstance(value, (str, _enum.Enum)) else list(value)
    flags, fn = 0, None
    for item in items:
        if callable(item) and not isinstance(item, (str, _enum.Enum)):
            fn = item
            continue
        name = getattr(item, "value", item)
        if not isinstance(name, str):
            raise _bad(op, f"on_connect actions must be ConnectionAction or str, not {type(item).__name__}")
        flags |= _core.mo_connect_action_parse(name)
    return flags, fn


def install_hooks(cfg, on_connect, sink):
    """Configure cfg's on_connect; returns the object the caller must keep alive (or None)."""
    import logging
    flags, fn = _actions("client.connect", on_connect)
    if flags:
        _core.mo_config_set_connect_actions(cfg, flags)
    if fn is None:
        return None

    def entry(handle):
        conn = HookConnection(handle)
        try:
            fn(conn)
        except Exception as e:  # the SDK logs hook failures and goes on
            message = f"Connection hook execution failed: {e}"
            if sink is not None:
                sink(logging.WARNING, message)
            else:
                logging.getLogger("mocore").warning("%s", message)
        finally:
            conn._ex_h = None

    _core.mo_py_config_set_connect_callable(cfg, entry)
    return entry
