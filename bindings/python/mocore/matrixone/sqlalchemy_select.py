"""The SDK's ``matrixone.sqlalchemy_select``: ``select`` with snapshot reads and
``compile_select_to_sql`` (see sqlalchemy_ext.snapshot).

    from mocore.matrixone import select
    stmt = select(users.c.id).snapshot("before_import")   # FROM users {snapshot = '...'}"""

from .sqlalchemy_ext.snapshot import compile_select, select

__all__ = ["select", "compile_select_to_sql"]


def compile_select_to_sql(stmt, engine=None) -> str:
    """The statement's SQL with its values as literals (display only)."""
    return compile_select(stmt, engine)
