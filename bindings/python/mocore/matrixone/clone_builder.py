"""The SDK's clone statement builders: ``str(clone_table("t2").from_table("t1"))`` is the
CREATE TABLE ... CLONE statement, ready for ``client.execute``.

The text is made by mocore's clone manager (src/managers/clone.c) on a dry-run client
(_manager.statement), so names are quoted identifiers and the snapshot an escaped literal:
``CREATE TABLE `t2` CLONE `t1` {snapshot = 's1'}``, where the SDK pastes the names raw."""

from typing import Optional, Type, Union

from ._manager import CopyBuilder, StatementBuilder, non_empty, statement, table_name

__all__ = ["CloneStatement", "CloneTable", "CloneDatabase", "clone_table", "clone_database"]


class CloneStatement(StatementBuilder):
    """A clone statement; ``compile()`` / ``str()`` is its SQL text."""


class _Clone(CopyBuilder, CloneStatement):
    """CloneTable / CloneDatabase: ``_method`` of mocore's clone manager, whose source is
    ``_what``, set by ``_via()``."""

    _method = _what = _via = None

    def __init__(self, target):
        super().__init__(target)
        self._if_not_exists = False

    def if_not_exists(self):
        self._if_not_exists = True
        return self

    def compile(self) -> str:
        self._require_source(self._what, self._via)
        return statement("clone", self._method, self._target, self._source,
                         snapshot_name=self._snapshot, if_not_exists=self._if_not_exists,
                         to_account=self._account)


class CloneTable(_Clone):
    """``clone_table(target).from_table(source, snapshot=None)[.if_not_exists()][.to_account(a)]``."""

    _method, _what, _via = "clone_table", "source_table", "from_table"

    def __init__(self, target_table: Union[str, Type]):
        super().__init__(non_empty(table_name(target_table), "target_table"))

    def from_table(self, source: Union[str, Type], snapshot: Optional[str] = None) -> "CloneTable":
        return self._from(non_empty(table_name(source), "source_table"), snapshot)


class CloneDatabase(_Clone):
    """``clone_database(target).from_database(source, snapshot=None)[.if_not_exists()][.to_account(a)]``."""

    _method, _what, _via = "clone_database", "source_database", "from_database"

    def __init__(self, target_db: str):
        super().__init__(non_empty(target_db, "target_database"))

    def from_database(self, source: str, snapshot: Optional[str] = None) -> "CloneDatabase":
        return self._from(non_empty(source, "source_database"), snapshot)


def clone_table(target_table: Union[str, Type]) -> CloneTable:
    """A CREATE TABLE target_table CLONE ... builder."""
    return CloneTable(target_table)


def clone_database(target_db: str) -> CloneDatabase:
    """A CREATE DATABASE target_db CLONE ... builder."""
    return CloneDatabase(target_db)
