"""The table helpers' column dict (create_table of Client, Session, TransactionWrapper,
AsyncClient, AsyncSession and AsyncTransaction): one reading of it and one statement.

The SDK's sync create_table builds a SQLAlchemy Table, so a single integer primary key
column gets AUTO_INCREMENT (SQLAlchemy's autoincrement="auto"); its async client pastes
"name type" texts, where "int primary key" marks the key. Here both forms are read by
``split_primary_key`` and the statement is the C core's (mo_py_create_table_sql: the type
strings and quoting of mo_table_create, plus that AUTO_INCREMENT), run by the caller on
its own connection. mocore's own create_table manager (mocore.Client.create_table) adds no
AUTO_INCREMENT."""

from .. import _manager_runtime as _rt
from .. import mocore_core as _core

__all__ = ["split_primary_key", "create_table_sql"]

_OP = "table.create_table"


def split_primary_key(columns, primary_key=None):
    """(types, key) for a column dict: a trailing "primary key" in a type text ("int
    primary key") is removed and marks that column as the key; an explicit
    ``primary_key`` (a name or a list) wins. key is None, a name, or a list."""
    if not isinstance(columns, dict):
        return columns, primary_key
    types, keys = {}, []
    for name, text in columns.items():
        if isinstance(text, str):
            words = text.split()
            if len(words) >= 3 and [w.lower() for w in words[-2:]] == ["primary", "key"]:
                text = " ".join(words[:-2])
                keys.append(name)
        types[name] = text
    if primary_key is not None:
        return types, primary_key
    if not keys:
        return types, None
    return types, keys[0] if len(keys) == 1 else keys


def create_table_sql(table_name, columns, primary_key=None):
    """The CREATE TABLE statement for a name and a column dict (SDK type texts), every name
    quoted by the C core, a single integer primary key AUTO_INCREMENT."""
    types, key = split_primary_key(columns, primary_key)
    if not isinstance(types, dict):
        raise _rt.bad(_OP, f"columns must be a map, not {type(types).__name__}")
    if isinstance(key, (list, tuple)):
        key = ",".join(key)
    return _core.mo_py_create_table_sql(table_name, list(types.items()), key)
