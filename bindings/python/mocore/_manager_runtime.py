"""What the generated mocore.managers (bindings/managers/emit_python.py) calls: the one argument
converter (the [types] checks of bindings/managers.toml, one message per mistake), the arity check,
record and list conversion from the C handles, the result kinds, and the few method bodies
the description marks custom. Messages name value kinds as the description does ("an
integer", "null"), never Python type names."""

import datetime as _dt
import enum as _enum
import functools as _functools
import inspect as _inspect
import json as _json

from . import mocore_core as _core
from .errors import BY_CATEGORY as _BY_CATEGORY

# Filled by the generated module from bindings/managers.toml: [messages], [value_kinds],
# [types] (type -> its `expected` text and checks) and [choices] (word -> C value).
MESSAGES = {}
VALUE_KINDS = {}
TYPES = {}
CHOICES = {}


def bad(op, message):
    return _BY_CATEGORY["invalid_argument"](message, 0, "", op)


def fail(op, key, **fields):
    raise bad(op, MESSAGES[key].format(**fields))


_KINDS = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
          ((bytes, bytearray, memoryview), "bytes"), ((list, tuple), "list"), (dict, "map"))


def _kind(v):
    """The key of [value_kinds] of a value's kind."""
    if v is None:
        return "null"
    for cls, k in _KINDS:
        if isinstance(v, cls):
            return k
    return "function" if callable(v) else "object"


def kind_of(v):
    """The description's name of a value's kind ({got} of the messages)."""
    return VALUE_KINDS[_kind(v)]


def _wrong(op, what, type_, v):
    fail(op, "type", arg=what, expected=TYPES[type_]["expected"], got=kind_of(v))


def _quoted(words):
    return ", ".join(f"'{w}'" for w in words)


# ---------------------------------------------------------------- the arity check

def checked(op):
    """Decorate a generated method: a call that does not fit its signature raises
    InvalidArgumentError with the description's message (too_many, unknown, twice, missing)
    instead of Python's TypeError. The method keeps its signature (inspect, help)."""
    def wrap(fn):
        sig = _inspect.signature(fn)
        params = list(sig.parameters.values())[1:]
        positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        names = [p.name for p in params]

        @_functools.wraps(fn)
        def call(self, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs)
            except TypeError:
                try:
                    sig.bind(self, *args, **kwargs)
                except TypeError:
                    arity(op, positional, names, params, args, kwargs)
                raise
        return call
    return wrap


class CallError(_BY_CATEGORY["invalid_argument"], TypeError):
    """A call that does not fit the method's signature: the invalid_argument category of
    every language, and a TypeError as Python's own calls raise."""


def arity(op, positional, names, params, args, kwargs):
    def call_error(key, **fields):
        raise CallError(MESSAGES[key].format(**fields), 0, "", op)

    if len(args) > len(positional):
        call_error("too_many", given=len(args), max=len(positional))
    unknown = sorted(k for k in kwargs if k not in names)
    if unknown:
        call_error("unknown", arg=unknown[0], expected=", ".join(names))
    for name in positional[:len(args)]:
        if name in kwargs:
            call_error("twice", arg=name)
    given = set(positional[:len(args)]) | set(kwargs)
    for p in params:
        if p.default is p.empty and p.name not in given:
            call_error("missing", arg=p.name)


# ---------------------------------------------------------------- the argument converter

def arg(op, what, type_, v, optional=False, words=None, default=None, join=",", empty_ok=False):
    """The one converter: argument `what` of type `type_` -> the value C receives. The checks
    are the description's ([types] in TYPES); what a checked value becomes is _BUILD's.
    `words`/`default`: a choice's words (case-insensitive) -> C values, the default word."""
    t = TYPES[type_]
    if isinstance(v, _enum.Enum):
        v = v.value
    if type_ == "table" and hasattr(v, "__tablename__"):
        args = getattr(v, "__table_args__", None)
        schema = args.get("schema") if isinstance(args, dict) else None
        v = f"{schema}.{v.__tablename__}" if schema else v.__tablename__
    if v is None:
        if words is not None and default is not None:
            return words[default]
        if optional or t.get("optional"):
            return t.get("no_value")
        fail(op, "missing", arg=what)
    if words is not None:
        got = f"'{v}'" if isinstance(v, str) else kind_of(v)
        if not isinstance(v, str) or v.lower() not in words:
            fail(op, "choice", arg=what, choices=_quoted(sorted(words)), got=got)
        return words[v.lower()]
    k = _kind(v)
    if k == "integer" and type_ in ("flag", "tristate"):
        k = "boolean"   # Python's 0 and 1 are flags too
    if "accepts" in t and k not in t["accepts"]:
        _wrong(op, what, type_, v)
    if "min" in t and v < t["min"]:
        fail(op, "positive", arg=what, got=v)
    if t.get("non_empty") and k in ("list", "map") and not v and not empty_ok:
        fail(op, "empty", arg=what)
    build = _BUILD.get(type_)
    return build(op, what, v, join) if build else v


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(getattr(value, "value", value))


def _strmap(op, what, v, pairs=None):
    if not isinstance(v, dict):
        _wrong(op, what, "strmap", v)
    m = _core.mo_strmap_new()
    for k, x in (pairs if pairs is not None else v.items()):
        _core.mo_strmap_set(m, arg(op, what, "string", k), _text(x))
    return m


def _params(op, what, v, _join=None):
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__len__"):
        _wrong(op, what, "params", v)
    p = _core.mo_params_new()
    _core.mo_py_params_add(p, v)
    return p


def _columns(op, what, row):
    if not isinstance(row, dict):
        _wrong(op, what, "row", row)
    if not row:
        fail(op, "empty", arg=what)
    return [arg(op, "column name", "string", c) for c in row]


def _row_params(op, columns, rows):
    p = _core.mo_params_new()
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            fail(op, "row_type", index=i, got=kind_of(row))
        if len(row) != len(columns) or any(c not in row for c in columns):
            fail(op, "row_columns", index=i, got=_quoted(sorted(row)), expected=_quoted(columns))
        _core.mo_py_params_add(p, [row[c] for c in columns])
    return p


def _row(op, what, v, _join=None):
    """One dict column -> value -> (columns, mo_params)."""
    cols = _columns(op, what, v)
    return cols, _row_params(op, cols, [v])


def _rows(op, what, v, _join=None):
    """Dicts with the same columns -> (columns, mo_params, count); None when there are none."""
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__iter__"):
        _wrong(op, what, "rows", v)
    items = list(v)
    if not items:
        return None
    if not isinstance(items[0], dict):
        fail(op, "row_type", index=0, got=kind_of(items[0]))
    cols = _columns(op, what, items[0])
    return cols, _row_params(op, cols, items), len(items)


def _column_types(op, what, v, _join=None):
    if not isinstance(v, dict):
        _wrong(op, what, "column_types", v)
    return [(arg(op, "column name", "string", k), arg(op, "column type", "string", t)) for k, t in v.items()]


def _mapping(op, what, item):
    """One of the SDK's table mappings -> (key, value) of the strmap of cdc.h."""
    if isinstance(item, str):
        return item, None
    if not isinstance(item, (tuple, list)) or len(item) not in (2, 3, 4):
        _wrong(op, what, "table_mappings", item)
    if len(item) == 2 and "." in item[0] and "." in item[1]:
        return f"{item[0]}:{item[1]}", None
    key = f"{arg(op, what, 'string', item[0])}.{arg(op, what, 'string', item[1])}"
    return key, (None if len(item) == 2 else item[2] if len(item) == 3 else f"{item[2]}.{item[3]}")


def _table_mappings(op, what, v, _join=None):
    if isinstance(v, dict):
        items = [(f"{arg(op, what, 'string', k)}:{arg(op, what, 'string', x)}", None) for k, x in v.items()]
    elif isinstance(v, (list, tuple)):
        items = [_mapping(op, what, item) for item in v]
    else:
        _wrong(op, what, "table_mappings", v)
    m = _core.mo_strmap_new()
    for k, x in items:
        _core.mo_strmap_set(m, k, x)
    return m


def _ms(op, what, v, _join=None):
    """A datetime.timedelta or seconds -> milliseconds."""
    if hasattr(v, "total_seconds"):
        return int(v.total_seconds() * 1000)
    return int(arg(op, what, "number", v) * 1000)


def _thresholds(op, what, v, _join=None):
    return _strmap(op, what, v, [(k, f"{_ms(op, what, x)}ms" if hasattr(x, "total_seconds") else x)
                                 for k, x in (v.items() if isinstance(v, dict) else ())])


# type -> what a checked value becomes (the other types go to C as they are)
_BUILD = {
    "data": lambda op, what, v, join: v.encode() if isinstance(v, str) else v,
    "names": lambda op, what, v, join: (join.join(arg(op, what, "string", x) for x in v)
                                        if isinstance(v, (list, tuple)) else v),
    "number": lambda op, what, v, join: float(v),
    "flag": lambda op, what, v, join: 1 if v else 0,
    "tristate": lambda op, what, v, join: 1 if v else 0,
    "strmap": lambda op, what, v, join: _strmap(op, what, v),
    "params": _params, "row": _row, "rows": _rows, "column_types": _column_types,
    "table_mappings": _table_mappings, "duration_ms": _ms, "thresholds": _thresholds,
}


def load_options(op, spec, values):
    """mo_load_options from `values` (option -> value) and the generated option table
    `spec` [(name, setter, type, with, each)]."""
    o = _core.mo_load_options_new()
    for name, setter, kind, with_, each in spec:
        v = values.get(name)
        if setter is None or v is None or v is False or (kind == "int" and v == 0) or (each and not v):
            continue
        if kind == "callable":
            _core.mo_py_load_options_set_progress_callable(o, arg(op, name, "callable", v))
            continue
        set_ = getattr(_core, f"mo_load_options_{setter}")
        if kind == "strmap":
            if not isinstance(v, dict):
                _wrong(op, name, "strmap", v)
            for k, x in v.items():
                set_(o, arg(op, name, "string", k), arg(op, name, "string", x))
        elif each:
            for x in ([v] if isinstance(v, str) else v):
                set_(o, arg(op, name, "string", x))
        elif with_:
            set_(o, arg(op, name, "string", v), arg(op, with_, "flag", values.get(with_) or False))
        else:
            set_(o, arg(op, name, kind, v))
    return o


# ---------------------------------------------------------------- records and lists

_RECORDS = {}   # kind -> (class, [(attr, accessor, type)], {attr: conversion})
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def register_record(kind, cls, conversions):
    """Bind a generated record class to its C accessors (mo_swig_record_fields: the same
    field table the generator read)."""
    fields = []
    for item in _core.mo_swig_record_fields(kind).split():
        attr, suffix, t = item.split(":")
        fields.append((attr, getattr(_core, f"mo_{kind}_{suffix}"), t))
    _RECORDS[kind] = (cls, fields, conversions)


def record(kind, h):
    cls, fields, conversions = _RECORDS[kind]
    values = {attr: (bool(get(h)) if t == "b" else get(h)) for attr, get, t in fields}
    for attr, (how, arg) in conversions.items():
        if how == "utc_ns":
            ns = values[arg]
            values[attr] = _EPOCH + _dt.timedelta(microseconds=ns // 1000) if ns else None
        elif how == "choice":
            try:
                values[attr] = arg(values[attr])
            except ValueError:
                pass
        elif how == "json_object":
            try:
                values[attr] = _json.loads(values[attr] or "{}")
            except ValueError:
                values[attr] = {"raw": values[attr]}
    return cls(**values)


def records(kind, lst):
    # Items are borrowed from the list: copy each while `lst` is alive.
    get = getattr(_core, f"mo_{kind}_list_get")
    return [record(kind, get(lst, i)) for i in range(getattr(_core, f"mo_{kind}_list_count")(lst))]


# ---------------------------------------------------------------- results

class ResultSet:
    """What the SDK's ``insert`` / ``batch_insert`` return: ``columns``, ``rows``,
    ``affected_rows`` (a write has no rows)."""

    __slots__ = ("columns", "rows", "affected_rows")

    def __init__(self, columns=(), rows=(), affected_rows=0):
        self.columns, self.rows, self.affected_rows = list(columns), list(rows), affected_rows

    def fetchall(self):
        """A copy of the rows, as a list."""
        return list(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __repr__(self):
        return f"ResultSet(columns={self.columns!r}, rows={self.rows!r}, affected_rows={self.affected_rows})"


def result(h):
    from . import Result
    return Result(h)


def row_tuples(h):
    return result(h).fetchall()


def vector_value(value):
    """MatrixOne's text of a vector ("[1,2.5]") -> list of float; anything else unchanged."""
    if isinstance(value, str) and value[:1] == "[" and value[-1:] == "]":
        inner = value[1:-1]
        try:
            return [float(x) for x in inner.split(",")] if inner.strip() else []
        except ValueError:
            return value
    return value


def dicts(h, vector_column=None):
    """Rows as dicts. ``vector_column``: the searched vector column, whose values become lists
    of float even where the server sends the column as text (MatrixOne's vecf32/vecf64)."""
    res = result(h)
    cols = res.columns
    out = [dict(zip(cols, r)) for r in res.fetchall()]
    if vector_column is not None and vector_column in cols:
        for r in out:
            r[vector_column] = vector_value(r[vector_column])
    return out


def moctl(h):
    text_ = _core.mo_moctl_result_json(h)
    if text_:
        try:
            return _json.loads(text_)
        except ValueError:
            pass
    return {"method": _core.mo_moctl_result_method(h),
            "result": [{"returnStr": _core.mo_moctl_result_return_str(h)}]}


def ivf_stats(s):
    """{'index_tables': {algo_table_type: table}, 'distribution': {'centroid_count': [...],
    'centroid_id': [...], 'centroid_version': [...]}, 'database', 'table_name', 'column_name'}"""
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


def table_stats(lst, variant):
    """brief: {key: {total_objects, row_cnt, null_cnt, original_size, compress_size}};
    detail: {key: [{object_name, create_ts, delete_ts, row_cnt, ...}]}."""
    out = {}
    get = _core.mo_table_stats_list_get
    for i in range(_core.mo_table_stats_list_count(lst)):
        s = get(lst, i)
        base = {"row_cnt": _core.mo_table_stats_row_cnt(s),
                "null_cnt": _core.mo_table_stats_null_cnt(s),
                "original_size": _core.mo_table_stats_original_size_text(s),
                "compress_size": _core.mo_table_stats_compress_size_text(s)}
        key = _core.mo_table_stats_key(s)
        if variant == "detail":
            out.setdefault(key, []).append({"object_name": _core.mo_table_stats_object_name(s),
                                            "create_ts": _core.mo_table_stats_create_ts(s),
                                            "delete_ts": _core.mo_table_stats_delete_ts(s),
                                            **base})
        else:
            out[key] = {"total_objects": _core.mo_table_stats_total_objects(s), **base}
    return out


# ---------------------------------------------------------------- the manager base

class Manager:
    """A manager bound to a client (autocommit) or a session (its transaction)."""

    __slots__ = ("_owner",)

    def __init__(self, owner):
        self._owner = owner

    def _ex(self):
        return self._owner._executor()


# ---------------------------------------------------------------- custom bodies

def branch_diff_table(m, op, table_, against_table, snapshot_name, output, table_snapshot,
                      limit, output_file, output_table):
    """output selects what reaches C's single output_target: the file, the table, or neither."""
    mode = arg(op, "output", "choice", output, words=CHOICES["branch_diff_output"], default="rows")
    target = None
    if mode == _core.MO_BRANCH_DIFF_FILE:
        target = arg(op, "output_file", "string", output_file)
    elif mode == _core.MO_BRANCH_DIFF_AS_TABLE:
        target = arg(op, "output_table", "string", output_table)
    n = arg(op, "limit", "positive", limit) if mode == _core.MO_BRANCH_DIFF_LIMIT else 0
    h = _core.mo_branch_diff_table(m._ex(), arg(op, "table", "table", table_),
                                   arg(op, "table_snapshot", "string", table_snapshot, True),
                                   arg(op, "against_table", "table", against_table),
                                   arg(op, "snapshot_name", "string", snapshot_name, True), mode, n, target)
    return row_tuples(h)


def metadata_scan(m, op, dbname, tablename, is_tombstone, indexname, columns, distinct_object_name):
    """columns None -> the Result (a cursor); "*" or [] -> list of MetadataRow; a list of
    names / MetadataColumn -> list of dicts with those keys."""
    args = (m._ex(), arg(op, "dbname", "string", dbname), arg(op, "tablename", "string", tablename),
            arg(op, "is_tombstone", "flag", is_tombstone, True),
            arg(op, "indexname", "string", indexname, True),
            arg(op, "distinct_object_name", "flag", distinct_object_name, True))
    if columns == "*" or (isinstance(columns, (list, tuple)) and not columns):
        return records("metadata_row", _core.mo_metadata_scan_rows(*args))
    if columns is None:
        return result(_core.mo_metadata_scan(*args, None))
    return dicts(_core.mo_metadata_scan(*args, arg(op, "columns", "names", columns, join=", ")))
