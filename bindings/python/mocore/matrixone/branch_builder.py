"""The SDK's branch statement builders: ``str(create_table_branch("dev").from_table("prod"))``
is the ``data branch create table`` statement, ready for ``client.execute``.

The text is made by mocore's branch manager (src/managers/branch.c) on a dry-run client
(_manager.statement): names are quoted identifiers, snapshots and paths escaped literals,
where the SDK pastes them raw."""

from enum import Enum
from typing import Optional, Type, Union

from ._manager import CopyBuilder, StatementBuilder, non_empty, statement, table_name
from .branch import MergeConflictStrategy

__all__ = ["DiffOutputOption", "BranchStatement", "CreateTableBranch", "CreateDatabaseBranch",
           "DeleteTableBranch", "DeleteDatabaseBranch", "DiffTableBranch", "MergeTableBranch",
           "create_table_branch", "create_database_branch", "delete_table_branch",
           "delete_database_branch", "diff_table_branch", "merge_table_branch"]


class DiffOutputOption(str, Enum):
    """The ``output`` clause of a diff."""
    COUNT = "count"
    LIMIT = "limit"
    FILE = "file"
    AS = "as"


def _table(table, what):
    name = table_name(table)
    if not isinstance(name, str):
        raise ValueError(f"Invalid table parameter: {table}. Expected string or ORM model.")
    return non_empty(name, what)


class BranchStatement(StatementBuilder):
    """A branch statement; ``compile()`` / ``str()`` is its SQL text."""


class CreateTableBranch(CopyBuilder, BranchStatement):
    """``create_table_branch(target).from_table(source, snapshot=None)[.to_account(a)]``."""

    def __init__(self, target_table: Union[str, Type]):
        super().__init__(_table(target_table, "target_table"))

    def from_table(self, source: Union[str, Type], snapshot: Optional[str] = None) -> "CreateTableBranch":
        return self._from(_table(source, "source_table"), snapshot)

    def compile(self) -> str:
        self._require_source("source_table", "from_table")
        return statement("branch", "create_table_branch", self._target, self._source,
                         self._snapshot, to_account=self._account)


class CreateDatabaseBranch(CopyBuilder, BranchStatement):
    """``create_database_branch(target).from_database(source)``. mocore's database branch
    takes no snapshot and no account: giving one is a ValueError (docs/matrixone-sdk.md)."""

    def __init__(self, target_db: str):
        super().__init__(non_empty(target_db, "target_database"))

    def from_database(self, source: str, snapshot: Optional[str] = None) -> "CreateDatabaseBranch":
        return self._from(non_empty(source, "source_database"), snapshot)

    def compile(self) -> str:
        self._require_source("source_database", "from_database")
        if self._snapshot or self._account:
            raise ValueError("a database branch at a snapshot or to an account is not supported")
        return statement("branch", "create_database_branch", self._target, self._source)


class DeleteTableBranch(BranchStatement):
    """``delete_table_branch(table)``."""

    def __init__(self, table: Union[str, Type]):
        self._table = _table(table, "table")

    def compile(self) -> str:
        return statement("branch", "delete_table_branch", self._table)


class DeleteDatabaseBranch(BranchStatement):
    """``delete_database_branch(database)``."""

    def __init__(self, database: str):
        self._database = non_empty(database, "database")

    def compile(self) -> str:
        return statement("branch", "delete_database_branch", self._database)


class DiffTableBranch(BranchStatement):
    """``diff_table_branch(target)[.snapshot(s)].against(base, snapshot=None)`` and one of
    ``.output_count()``, ``.output_limit(n)``, ``.output_file(path)``, ``.output_as(table)``."""

    def __init__(self, target_table: Union[str, Type]):
        self._target = _table(target_table, "target_table")
        self._target_snapshot = self._base = self._base_snapshot = None
        self._output, self._value = None, None

    def snapshot(self, name: str) -> "DiffTableBranch":
        self._target_snapshot = non_empty(name, "snapshot_name")
        return self

    def against(self, base: Union[str, Type], snapshot: Optional[str] = None) -> "DiffTableBranch":
        self._base = _table(base, "base_table")
        self._base_snapshot = snapshot
        return self

    def output_count(self) -> "DiffTableBranch":
        self._output, self._value = DiffOutputOption.COUNT, None
        return self

    def output_limit(self, limit: int) -> "DiffTableBranch":
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise ValueError("limit must be a non-negative integer")
        self._output, self._value = DiffOutputOption.LIMIT, limit
        return self

    def output_file(self, path: str) -> "DiffTableBranch":
        self._output, self._value = DiffOutputOption.FILE, non_empty(path, "path")
        return self

    def output_as(self, table_name: str) -> "DiffTableBranch":
        self._output, self._value = DiffOutputOption.AS, non_empty(table_name, "table_name")
        return self

    def compile(self) -> str:
        if not self._base:
            raise ValueError("base_table must be set via against()")
        kw = {"table_snapshot": self._target_snapshot}
        if self._output is DiffOutputOption.COUNT:
            kw["output"] = "count"
        elif self._output is DiffOutputOption.LIMIT:
            kw.update(output="limit", limit=self._value)
        elif self._output is DiffOutputOption.FILE:
            kw.update(output="file", output_file=self._value)
        elif self._output is DiffOutputOption.AS:
            kw.update(output="as_table", output_table=self._value)
        return statement("branch", "diff_table", self._target, self._base, self._base_snapshot, **kw)


class MergeTableBranch(BranchStatement):
    """``merge_table_branch(source).into(target).when_conflict("skip" | "accept")``."""

    def __init__(self, source_table: Union[str, Type]):
        self._source = _table(source_table, "source_table")
        self._target = None
        self._strategy = MergeConflictStrategy.SKIP

    def into(self, target: Union[str, Type]) -> "MergeTableBranch":
        self._target = _table(target, "target_table")
        return self

    def when_conflict(self, strategy: Union[str, MergeConflictStrategy]) -> "MergeTableBranch":
        try:
            self._strategy = MergeConflictStrategy(strategy)
        except ValueError:
            raise ValueError(f"Invalid conflict strategy: '{strategy}'. "
                             "Must be 'skip' or 'accept'.") from None
        return self

    def compile(self) -> str:
        if not self._target:
            raise ValueError("target_table must be set via into()")
        return statement("branch", "merge_table", self._source, self._target, self._strategy.value)


def create_table_branch(target_table: Union[str, Type]) -> CreateTableBranch:
    return CreateTableBranch(target_table)


def create_database_branch(target_db: str) -> CreateDatabaseBranch:
    return CreateDatabaseBranch(target_db)


def delete_table_branch(table: Union[str, Type]) -> DeleteTableBranch:
    return DeleteTableBranch(table)


def delete_database_branch(database: str) -> DeleteDatabaseBranch:
    return DeleteDatabaseBranch(database)


def diff_table_branch(target_table: Union[str, Type]) -> DiffTableBranch:
    return DiffTableBranch(target_table)


def merge_table_branch(source_table: Union[str, Type]) -> MergeTableBranch:
    return MergeTableBranch(source_table)
