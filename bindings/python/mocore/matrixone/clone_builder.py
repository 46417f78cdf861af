"""The SDK's clone statement builders: ``str(clone_table("t2").from_table("t1"))`` is the
CREATE TABLE ... CLONE statement, ready for ``client.execute``.

The text is made by mocore's clone manager (src/managers/clone.c) on a dry-run client
(_manager.statement), so names are quoted identifiers and the snapshot an escaped literal:
``CREATE TABLE `t2` CLONE `t1` {snapshot = 's1'}``, where the SDK pastes the names raw."""

from typing import Optional, Type, Union

from ._manager import non_empty, statement, table_name

__all__ = ["CloneStatement", "CloneTable", "CloneDatabase", "clone_table", "clone_database"]


class CloneStatement:
    """A clone statement; ``compile()`` / ``str()`` is its SQL text."""

    def compile(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.compile()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.compile()}>"


class CloneTable(CloneStatement):
    """``clone_table(target).from_table(source, snapshot=None)[.if_not_exists()][.to_account(a)]``."""

    def __init__(self, target_table: Union[str, Type]):
        self._target = non_empty(table_name(target_table), "target_table")
        self._source = self._snapshot = self._account = None
        self._if_not_exists = False

    def from_table(self, source: Union[str, Type], snapshot: Optional[str] = None) -> "CloneTable":
        self._source = non_empty(table_name(source), "source_table")
        self._snapshot = snapshot
        return self

    def if_not_exists(self) -> "CloneTable":
        self._if_not_exists = True
        return self

    def to_account(self, account: str) -> "CloneTable":
        self._account = non_empty(account, "account")
        return self

    def compile(self) -> str:
        if not self._source:
            raise ValueError("source_table must be set via from_table()")
        return statement("clone", "clone_table", self._target, self._source,
                         snapshot_name=self._snapshot, if_not_exists=self._if_not_exists,
                         to_account=self._account)


class CloneDatabase(CloneStatement):
    """``clone_database(target).from_database(source, snapshot=None)[.if_not_exists()][.to_account(a)]``."""

    def __init__(self, target_db: str):
        self._target = non_empty(target_db, "target_database")
        self._source = self._snapshot = self._account = None
        self._if_not_exists = False

    def from_database(self, source: str, snapshot: Optional[str] = None) -> "CloneDatabase":
        self._source = non_empty(source, "source_database")
        self._snapshot = snapshot
        return self

    def if_not_exists(self) -> "CloneDatabase":
        self._if_not_exists = True
        return self

    def to_account(self, account: str) -> "CloneDatabase":
        self._account = non_empty(account, "account")
        return self

    def compile(self) -> str:
        if not self._source:
            raise ValueError("source_database must be set via from_database()")
        return statement("clone", "clone_database", self._target, self._source,
                         snapshot_name=self._snapshot, if_not_exists=self._if_not_exists,
                         to_account=self._account)


def clone_table(target_table: Union[str, Type]) -> CloneTable:
    """A CREATE TABLE target_table CLONE ... builder."""
    return CloneTable(target_table)


def clone_database(target_db: str) -> CloneDatabase:
    """A CREATE DATABASE target_db CLONE ... builder."""
    return CloneDatabase(target_db)
