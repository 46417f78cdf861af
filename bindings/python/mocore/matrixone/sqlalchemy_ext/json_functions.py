"""MatrixOne's JSON functions for SQLAlchemy (the SDK's ``matrixone.sqlalchemy_ext.json_functions``).

    from mocore.matrixone.sqlalchemy_ext import json_extract, json_extract_string, json_set
    select(Product.name, json_extract_string(Product.specs, "$.brand"))
    update(Product).values(specs=json_set(Product.specs, "$.ram", 32, "$.warranty", "3 years"))

Paths and values are bound parameters (``json_extract(specs, ?)``), never pasted into the
statement: a path is only ever a path. ``json_extract`` keeps JSON's text (``'"Dell"'``);
``json_extract_string`` gives the unquoted string, ``json_extract_float64`` a number."""

import operator

from sqlalchemy import Float, String, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import functions
from sqlalchemy.sql.elements import ClauseElement, ColumnElement

__all__ = ["json_extract", "json_extract_string", "json_extract_float64", "json_set",
           "json_insert", "json_replace", "json_quote", "json_unquote", "json_row",
           "JSON_EXTRACT", "JSON_EXTRACT_STRING", "JSON_EXTRACT_FLOAT64", "JSON_SET",
           "JSON_INSERT", "JSON_REPLACE", "JSON_QUOTE", "JSON_UNQUOTE", "JSON_ROW"]


def _path(path):
    if isinstance(path, ClauseElement):
        return path
    if not isinstance(path, str):
        raise TypeError(f"a JSON path must be a string, not {type(path).__name__}")
    return bindparam(None, path, type_=String())


def _value(value):
    """A value of json_set/insert/replace: an expression as it is, else a bound parameter
    (a number stays a JSON number, a str becomes a JSON string)."""
    if isinstance(value, ClauseElement) or hasattr(value, "__clause_element__"):
        return value
    return bindparam(None, value)


class JSONText(ColumnElement):
    """A JSON document given as its text, compared as JSON: ``CAST(? AS JSON)`` (MariaDB,
    which has no JSON type to cast to, compares the text: ``?``)."""

    inherit_cache = True
    type = String()

    def __init__(self, text):
        super().__init__()
        self.value = bindparam(None, text, type_=String())

    @property
    def _from_objects(self):
        return []


@compiles(JSONText)
def _compile_json_text(element, compiler, **kw):
    kw.pop("mo_in_function", None)
    value = compiler.process(element.value, **kw)
    if getattr(compiler.dialect, "is_mariadb", False):
        return value
    return f"CAST({value} AS JSON)"


class _JSONResult(String):
    """The type of json_extract: a comparison with a JSON string's text (``'"Dell"'``)
    compares JSON with JSON (MatrixOne compares a JSON value with a string by the string's
    bare text, so ``'"Dell"'`` would never match)."""

    cache_ok = True

    class comparator_factory(String.Comparator):
        def operate(self, op, *other, **kwargs):
            if (op in (operator.eq, operator.ne) and len(other) == 1
                    and isinstance(other[0], str) and other[0].startswith('"')):
                other = (JSONText(other[0]),)
            return super().operate(op, *other, **kwargs)


def _pairs(path_value_pairs):
    if len(path_value_pairs) % 2:
        raise ValueError("json_set/json_insert/json_replace take (path, value) pairs")
    args = []
    for i, arg in enumerate(path_value_pairs):
        args.append(_path(arg) if i % 2 == 0 else _value(arg))
    return args


class _JSONFunction(functions.GenericFunction):
    """A MatrixOne JSON function: ``name(arg, ...)``, its arguments compiled as expressions."""

    inherit_cache = True


def _compile(element, compiler, **kw):
    # the arguments are plain expressions here (a bound string is a value, never a name)
    kw.pop("mo_in_function", None)
    args = ", ".join(compiler.process(c, **kw) for c in element.clauses)
    return f"{element.name}({args})"


class json_extract(_JSONFunction):
    """``json_extract(doc, path[, path...])``: the JSON text at the path(s)."""

    name = "json_extract"
    type = _JSONResult()
    inherit_cache = True

    def __init__(self, json_column, *paths, **kwargs):
        super().__init__(json_column, *[_path(p) for p in paths], **kwargs)


class json_extract_string(_JSONFunction):
    """``json_extract_string(doc, path)``: the string at path, unquoted."""

    name = "json_extract_string"
    type = String()
    inherit_cache = True

    def __init__(self, json_column, path, **kwargs):
        super().__init__(json_column, _path(path), **kwargs)


class json_extract_float64(_JSONFunction):
    """``json_extract_float64(doc, path)``: the number at path."""

    name = "json_extract_float64"
    type = Float()
    inherit_cache = True

    def __init__(self, json_column, path, **kwargs):
        super().__init__(json_column, _path(path), **kwargs)


class json_set(_JSONFunction):
    """``json_set(doc, path, value, ...)``: set (insert or replace) the values."""

    name = "json_set"
    inherit_cache = True

    def __init__(self, json_column, *path_value_pairs, **kwargs):
        super().__init__(json_column, *_pairs(path_value_pairs), **kwargs)


class json_insert(_JSONFunction):
    """``json_insert(doc, path, value, ...)``: add the values where the paths are absent."""

    name = "json_insert"
    inherit_cache = True

    def __init__(self, json_column, *path_value_pairs, **kwargs):
        super().__init__(json_column, *_pairs(path_value_pairs), **kwargs)


class json_replace(_JSONFunction):
    """``json_replace(doc, path, value, ...)``: replace the values where the paths exist."""

    name = "json_replace"
    inherit_cache = True

    def __init__(self, json_column, *path_value_pairs, **kwargs):
        super().__init__(json_column, *_pairs(path_value_pairs), **kwargs)


class json_quote(_JSONFunction):
    """``json_quote(s)``: s as a JSON string."""

    name = "json_quote"
    type = String()
    inherit_cache = True


class json_unquote(_JSONFunction):
    """``json_unquote(j)``: the string value of a JSON string."""

    name = "json_unquote"
    type = String()
    inherit_cache = True


class json_row(_JSONFunction):
    """``json_row(...)``: MatrixOne's JSON row constructor."""

    name = "json_row"
    inherit_cache = True


for _cls in (json_extract, json_extract_string, json_extract_float64, json_set, json_insert,
             json_replace, json_quote, json_unquote, json_row):
    compiles(_cls)(_compile)

JSON_EXTRACT = json_extract
JSON_EXTRACT_STRING = json_extract_string
JSON_EXTRACT_FLOAT64 = json_extract_float64
JSON_SET = json_set
JSON_INSERT = json_insert
JSON_REPLACE = json_replace
JSON_QUOTE = json_quote
JSON_UNQUOTE = json_unquote
JSON_ROW = json_row
