"""The Python idiom of the generated mocore.managers (bindings/managers/emit_python.py). Each
method is one mo_call (bindings/managers/call.h): C checks the arguments (arity, defaults,
types, the one message per mistake), runs the method and gives its outcome as a tree. Here:
Python values -> the call's shape and leaves, and the outcome -> records, results, dicts."""

import datetime as _dt
import enum as _enum
import functools as _functools
import inspect as _inspect
from decimal import Decimal as _Decimal

from . import Result as _Result, mocore_core as _core
from .result_set import ResultSet
from .errors import BY_CATEGORY as _BY_CATEGORY

_InvalidArgument = _BY_CATEGORY["invalid_argument"]


def bad(op, message):   # an invalid_argument error of `op` (the checks of hooks.py)
    return _InvalidArgument(message, 0, "", op)


class CallError(_InvalidArgument, TypeError):
    """A call that does not fit the method: invalid_argument, and a TypeError as in Python."""


# ---------------------------------------------------------------- Python values -> the call

_SQL_DEPTH = {"params": 1, "row": 1, "rows": 2}   # where a dict is JSON, a timedelta a TIME
_NODES = ((type(None), "n"), (bool, "b"), (int, "i"), (float, "d"), (str, "s"), ((bytes, bytearray), "y"),
          ((_dt.date, _dt.time, _dt.timedelta, dict, _Decimal), "v"))


def _walk(c, v, shape, leaves, type_=None, depth=-1):
    """Append `v` (an argument of type `type_`; `depth`: how far below are SQL values) to the
    call: its nodes to `shape`, the values of its leaves to `leaves`."""
    if isinstance(v, _enum.Enum):
        v = v.value
    elif hasattr(v, "__tablename__"):   # an ORM model: "schema.table"
        args = getattr(v, "__table_args__", None)
        schema = args.get("schema") if isinstance(args, dict) else None
        v = f"{schema}.{v.__tablename__}" if schema else v.__tablename__
    if type_ in ("flag", "tristate") and type(v) is int:
        v = bool(v)                     # Python's 0 and 1 are flags too
    depth, fmt = _SQL_DEPTH.get(type_, depth), None
    try:                                # a buffer (array, memoryview, numpy): its item format
        with memoryview(v) as m:
            fmt = None if isinstance(v, (bytes, bytearray)) else m.format.lstrip("@=<")
    except TypeError:
        pass
    if isinstance(v, dict) and depth != 0:
        shape.append("{")
        for k, x in v.items():
            _walk(c, k, shape, leaves)
            _walk(c, x, shape, leaves, depth=depth - 1)
        return shape.append("}")
    elif isinstance(v, (list, tuple, range)) or fmt not in (None, "f", "d", "B"):
        shape.append("(")
        for x in v:
            _walk(c, x, shape, leaves, depth=depth - 1)
        return shape.append(")")
    elif isinstance(v, _dt.timedelta) and depth != 0:
        node, v = "d", v.total_seconds()    # a duration, in seconds
    elif fmt:                               # float32/float64: a vector; B: bytes
        node, v = ("v", v) if fmt in ("f", "d") else ("y", bytes(v))
    else:
        node = next((n for t, n in _NODES if isinstance(v, t)), None)
        if node is None and callable(v):    # the load progress callback
            _core.mo_py_load_options_set_progress_callable(_core.mo_call_progress(c), v)
            node, v = "f", None
        elif node is None:
            node, v = "o", None
    shape.append(node)
    leaves.append(v)


def method(name, record=None, vector=None, types=None):
    """A generated def (its signature and docstring stay for help and inspect) as the mo_call
    `name` of what was given, its outcome by kind. `record`: the class of records; `vector`:
    the argument naming the vector column of dicts; `types`: arguments walked as flags etc."""
    types = types or {}

    def wrap(fn):
        sig = _inspect.signature(fn)
        params = list(sig.parameters)[1:]

        @_functools.wraps(fn)
        def call(self, *args, **kwargs):
            c = _core.mo_call_new(name)
            shape, leaves = ["("], []
            for i, v in enumerate(args):
                _walk(c, v, shape, leaves, types.get(params[i]) if i < len(params) else None)
            shape.append("){")
            for k, v in kwargs.items():
                _walk(c, k, shape, leaves)
                _walk(c, v, shape, leaves, types.get(k))
            _core.mo_py_params_add(_core.mo_call_values(c), leaves)
            _core.mo_call_set_shape(c, "".join(shape) + "}")
            try:
                _core.mo_call_run(c, self._executor())
            except _InvalidArgument as e:
                if _core.mo_call_arity_mistake(c):
                    raise CallError(e.message, e.code, e.sqlstate, e.operation) from None
                raise
            kind, out = _core.mo_call_outcome_kind(c), _tree(c)
            if kind in ("self", "owner"):
                return self
            if kind in ("record", "records"):
                return None if out is None else _record(record, out) if kind == "record" else \
                    [_record(record, x) for x in out]
            if kind == "dicts":
                given = sig.bind(self, *args, **kwargs)
                given.apply_defaults()
                col = given.arguments[vector] if vector else None
                return dicts(_Result(out), col.value if isinstance(col, _enum.Enum) else col)
            if kind in ("rows", "result"):
                return _Result(out) if kind == "result" else _Result(out).fetchall()
            return ResultSet(**out) if kind == "result_set" else out
        return call
    return wrap


# ---------------------------------------------------------------- the outcome -> Python values

_LEAF = {"n": lambda c, i: None, "b": lambda c, i: bool(_core.mo_call_outcome_int(c, i)),
         "i": _core.mo_call_outcome_int, "d": _core.mo_call_outcome_number,
         "s": _core.mo_py_call_text, "r": lambda c, i: _core.mo_call_take_result(c),
         "t": lambda c, i: _EPOCH + _dt.timedelta(microseconds=_core.mo_call_outcome_int(c, i) // 1000)}
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _tree(c):
    """The outcome as None/bool/int/float/str, lists and dicts (the result handle for r)."""
    stack, leaf = [[]], 0
    for k in _core.mo_call_outcome_shape(c):
        if k in "({":
            stack.append([])
            continue
        if k in ")}":
            items = stack.pop()
            v = items if k == ")" else dict(zip(items[::2], items[1::2]))
        else:
            v, leaf = _LEAF[k](c, leaf), leaf + 1
        stack[-1].append(v)
    return stack[0][0] if stack[0] else None


CHOICES = {}    # record class -> {attr: the enum of its words}


def _record(cls, values):
    """A record of the outcome (the map of its fields, as mo_swig_record_fields) as `cls`;
    the word of a choice as its enum member."""
    for attr, enum in CHOICES.get(cls, {}).items():
        values[attr] = next((m for m in enum if m.value == values[attr]), values[attr])
    return cls(**values)


def dicts(res, vector_column=None):
    """Rows as dicts; the searched vector column's text (MatrixOne's) as lists of float."""
    out = [dict(zip(res.columns, r)) for r in res.fetchall()]
    for r in out if vector_column in res.columns else ():
        r[vector_column] = _core.mo_py_text_vector(r[vector_column])
    return out
