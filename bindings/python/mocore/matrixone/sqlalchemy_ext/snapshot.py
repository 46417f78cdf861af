"""Snapshot reads in SQLAlchemy (the SDK's ``matrixone.sqlalchemy_ext.snapshot``): a SELECT
whose tables are read as they were at a MatrixOne snapshot.

    from mocore.matrixone.sqlalchemy_ext.snapshot import select, with_snapshot
    stmt = select(users.c.id, users.c.name).snapshot("before_import")   # or snapshot=...
    stmt = select(users, snapshot="before_import").where(users.c.id > 10)
    stmt = with_snapshot(sqlalchemy.select(users), "before_import")
    # SELECT users.id, users.name FROM users {snapshot = 'before_import'}

The clause is a table hint of SQLAlchemy (``Select.with_hint``), so it is part of the
statement's cache key and follows each table of the FROM list (joins too). The name goes in
as a quoted string literal; a name that could leave it (a quote, a backslash, a control
character, NUL) or is empty or longer than 256 bytes raises ValueError: a snapshot name can
never change the statement's structure."""

from sqlalchemy.sql import Select
from sqlalchemy.sql.selectable import Join, TableClause

__all__ = ["select", "with_snapshot", "snapshot_clause", "compile_select", "SnapshotSelect"]

_DIALECTS = ("mysql", "mariadb")


def snapshot_clause(name):
    """``{snapshot = 'name'}`` for a checked snapshot name."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"a snapshot name must be a non-empty string, not {name!r}")
    if len(name.encode("utf-8", "surrogatepass")) > 256:
        raise ValueError("a snapshot name is at most 256 bytes")
    if any(c in "'\\\"`" or ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        raise ValueError(f"snapshot name {name!r} holds a quote, a backslash or a control "
                         "character")
    return "{snapshot = '" + name + "'}"


def _tables(froms):
    """The tables and table aliases of a FROM list (mocore's compiler puts the clause of an
    alias after the table's name: ``t {snapshot = 's'} AS a``, as MatrixOne wants it)."""
    for f in froms:
        if isinstance(f, Join):
            yield from _tables((f.left, f.right))
        elif isinstance(f, TableClause) or isinstance(getattr(f, "element", None), TableClause):
            yield f
        else:
            raise ValueError(f"a snapshot read needs tables in its FROM list, not {f!r}")


def with_snapshot(stmt, name):
    """``stmt`` (a Select) reading every table of its FROM list at snapshot ``name``."""
    hint = snapshot_clause(name)
    froms = stmt.get_final_froms()
    if not froms:
        raise ValueError("a snapshot read needs a FROM clause")
    for table in _tables(froms):
        for dialect in _DIALECTS:
            stmt = stmt.with_hint(table, hint, dialect_name=dialect)
    return stmt


class SnapshotSelect(Select):
    """A Select with ``.snapshot(name)`` (and the SDK's ``.with_snapshot(name)``)."""

    inherit_cache = True

    def snapshot(self, name):
        return with_snapshot(self, name)

    with_snapshot = snapshot


def select(*entities, snapshot=None):
    """``sqlalchemy.select(*entities)`` with ``.snapshot(name)``; ``snapshot=`` applies it
    now (FROM is then what the entities give)."""
    stmt = SnapshotSelect(*entities)
    return with_snapshot(stmt, snapshot) if snapshot else stmt


def compile_select(stmt, engine=None):
    """The statement's SQL text with its values rendered as literals (for display; run the
    statement itself to bind them)."""
    kwargs = {"compile_kwargs": {"literal_binds": True}}
    if engine is not None:
        return str(stmt.compile(bind=engine, **kwargs))
    from ...sqlalchemy_dialect import MySQLDialect_mocore
    return str(stmt.compile(dialect=MySQLDialect_mocore(), **kwargs))
