"""MatrixOne's JSON column type for SQLAlchemy (the SDK's ``matrixone.sqlalchemy_ext.json_type``),
with the SDK's path syntax.

    from mocore.matrixone.sqlalchemy_ext import JSON
    class Product(Base):
        specs = Column(JSON)

    Product.specs["brand"]                    # json_extract(specs, '$.brand')  -> '"Dell"'
    Product.specs["hardware"]["cpu"]          # json_extract(specs, '$.hardware.cpu')
    Product.specs["brand"].astext             # json_extract_string(specs, '$.brand') -> 'Dell'
    Product.specs["price"].cast(Numeric)      # json_extract_float64(specs, '$.price')
    Product.specs["active"].asbool            # json_extract(specs, '$.active') = 'true'
    Product.specs["brand"] == "Dell"          # compares with the JSON text '"Dell"'
    Product.specs["active"] == True           # compares with 'true'

Values of the column are dicts/lists in and out (SQLAlchemy MySQL's JSON: serialised with
``json.dumps``). Paths and compared values are bound parameters."""

from sqlalchemy import Float, Integer, Numeric, String, cast
from sqlalchemy.dialects.mysql import JSON as MySQLJSON
from sqlalchemy.types import TypeDecorator

from .json_functions import json_extract, json_extract_float64, json_extract_string

__all__ = ["JSON", "JSONPathElement", "MATRIXONE_JSON"]


def _json_text(value):
    """A Python value compared with a json_extract result, as the JSON text it matches
    (the SDK's rules: a str is quoted unless it already is JSON text, bools are true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value in ("true", "false", "null") or value.startswith('"'):
            return value
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


class JSONPathElement(json_extract):
    """``column[key]``: ``json_extract(column, '$.key')``, with ``[key]`` for deeper paths,
    ``astext``, ``asbool``, ``cast(type)`` and comparisons with the SDK's quoting rules."""

    name = "json_extract"
    _register = False  # json_extract stays the registered function of that name
    inherit_cache = True

    def __init__(self, column, key, _path=None):
        self._mx_column = column
        self._mx_path = _path or f"$.{key}"
        super().__init__(column, self._mx_path)

    def __getitem__(self, key):
        return JSONPathElement(self._mx_column, key, f"{self._mx_path}.{key}")

    @property
    def column(self):
        return self._mx_column

    @property
    def astext(self):
        return json_extract_string(self._mx_column, self._mx_path)

    @property
    def asbool(self):
        return json_extract(self._mx_column, self._mx_path) == "true"

    def cast(self, type_):
        kind = type_ if isinstance(type_, type) else type(type_)
        if issubclass(kind, (Integer, Float, Numeric)):
            return json_extract_float64(self._mx_column, self._mx_path)
        if issubclass(kind, String):
            return json_extract_string(self._mx_column, self._mx_path)
        return cast(json_extract(self._mx_column, self._mx_path), type_)

    def _plain(self):
        return json_extract(self._mx_column, self._mx_path)

    def __eq__(self, other):
        return self._plain() == _json_text(other)  # a JSON string: compared as JSON

    def __ne__(self, other):
        return self._plain() != _json_text(other)

    def __hash__(self):
        return id(self)


class JSON(TypeDecorator):
    """MatrixOne's JSON column (SQLAlchemy MySQL's JSON) with the SDK's ``[key]`` paths."""

    impl = MySQLJSON
    cache_ok = True

    class Comparator(MySQLJSON.Comparator):
        def __getitem__(self, key):
            return JSONPathElement(self.expr, key)

        @property
        def astext(self):
            return cast(self.expr, String)

    comparator_factory = Comparator


MATRIXONE_JSON = JSON
