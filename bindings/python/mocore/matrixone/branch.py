"""Data branches (MatrixOne >= 3.0.5), as the SDK's matrixone.branch:
``client.branch.create_table_branch(target, source, snapshot_name=None)``, diff, merge...

The SQL is mocore's branch manager's (src/managers/branch.c), names quoted. Tables may be
names ("db.table") or SQLAlchemy models. Errors are BranchError."""

from enum import Enum
from typing import Any, List, Optional, Type, Union

from mocore.managers import DiffOutput  # the SDK's ROWS and COUNT, and LIMIT, FILE, AS_TABLE

from ._manager import AsyncManager, SyncManager, call, failed, table_name
from .exceptions import BranchError

__all__ = ["DiffOutput", "MergeConflictStrategy", "BranchManager", "AsyncBranchManager"]


class MergeConflictStrategy(str, Enum):
    """What merge_table does with a row both tables changed."""
    SKIP = "skip"
    ACCEPT = "accept"


def _table(table, what):
    name = table_name(table)
    if not isinstance(name, str) or not name:
        raise BranchError(f"{what} must be a non-empty string or an ORM model")
    return name


def _strategy(on_conflict):
    if isinstance(on_conflict, MergeConflictStrategy):
        return on_conflict.value
    try:
        return MergeConflictStrategy(on_conflict).value
    except ValueError:
        raise BranchError(f"on_conflict must be 'skip' or 'accept', got '{on_conflict}'") from None


def _do(what, method, *args, **kwargs):
    try:
        return (yield call("branch", method, *args, **kwargs))
    except Exception as err:
        raise failed(err, BranchError, f"Failed to {what}")


def _create_table(target, source, snapshot_name):
    if snapshot_name is not None and not isinstance(snapshot_name, str):
        raise BranchError("snapshot_name must be a string or None")
    return _do("create table branch", "create_table_branch", _table(target, "target_table"),
               _table(source, "source_table"), snapshot_name)


def _delete_table(table):
    return _do("delete table branch", "delete_table_branch", _table(table, "table"))


def _create_database(target, source):
    return _do("create database branch", "create_database_branch", target, source)


def _delete_database(database):
    return _do("delete database branch", "delete_database_branch", database)


def _diff(table, against, snapshot_name, output):
    return _do("diff tables", "diff_table", _table(table, "table"),
               _table(against, "against_table"), snapshot_name, output=output)


def _merge(source, target, on_conflict):
    return _do("merge tables", "merge_table", _table(source, "source_table"),
               _table(target, "target_table"), _strategy(on_conflict))


class BranchManager(SyncManager):
    """``client.branch`` / ``session.branch``."""

    _error = BranchError

    def create_table_branch(self, target_table: Union[str, Type], source_table: Union[str, Type],
                            snapshot_name: Optional[str] = None) -> None:
        """data branch create table target from source [{snapshot = ...}]."""
        return self._run(_create_table(target_table, source_table, snapshot_name))

    def delete_table_branch(self, table: Union[str, Type]) -> None:
        """data branch delete table table."""
        return self._run(_delete_table(table))

    def create_database_branch(self, target_database: str, source_database: str) -> None:
        """data branch create database target from source."""
        return self._run(_create_database(target_database, source_database))

    def delete_database_branch(self, database: str) -> None:
        """data branch delete database database."""
        return self._run(_delete_database(database))

    def diff_table(self, table: Union[str, Type], against_table: Union[str, Type],
                   snapshot_name: Optional[str] = None,
                   output: DiffOutput = DiffOutput.ROWS) -> List[Any]:
        """The rows of data branch diff table against against_table [at snapshot_name]
        (output "count": one row with the count)."""
        return self._run(_diff(table, against_table, snapshot_name, output))

    def merge_table(self, source_table: Union[str, Type], target_table: Union[str, Type],
                    on_conflict: Union[str, MergeConflictStrategy] = "skip") -> None:
        """data branch merge source into target when conflict skip|accept."""
        return self._run(_merge(source_table, target_table, on_conflict))

    def create(self, target, source, snapshot: Optional[str] = None, database: bool = False) -> None:
        """create_table_branch, or create_database_branch with database=True."""
        if database:
            return self.create_database_branch(str(target), str(source))
        return self.create_table_branch(target, source, snapshot)

    def delete(self, name, database: bool = False) -> None:
        """delete_table_branch, or delete_database_branch with database=True."""
        if database:
            return self.delete_database_branch(str(name))
        return self.delete_table_branch(name)

    def diff(self, table, against, snapshot: Optional[str] = None,
             output: DiffOutput = DiffOutput.ROWS) -> List[Any]:
        """diff_table(table, against, snapshot, output)."""
        return self.diff_table(table, against, snapshot, output)

    def merge(self, source, target, on_conflict: Union[str, MergeConflictStrategy] = "skip") -> None:
        """merge_table(source, target, on_conflict)."""
        return self.merge_table(source, target, on_conflict)


class AsyncBranchManager(AsyncManager):
    """The asyncio twin of BranchManager."""

    _error = BranchError

    async def create_table_branch(self, target_table, source_table,
                                  snapshot_name: Optional[str] = None) -> None:
        return await self._run(_create_table(target_table, source_table, snapshot_name))

    async def delete_table_branch(self, table) -> None:
        return await self._run(_delete_table(table))

    async def create_database_branch(self, target_database: str, source_database: str) -> None:
        return await self._run(_create_database(target_database, source_database))

    async def delete_database_branch(self, database: str) -> None:
        return await self._run(_delete_database(database))

    async def diff_table(self, table, against_table, snapshot_name: Optional[str] = None,
                         output: DiffOutput = DiffOutput.ROWS) -> List[Any]:
        return await self._run(_diff(table, against_table, snapshot_name, output))

    async def merge_table(self, source_table, target_table,
                          on_conflict: Union[str, MergeConflictStrategy] = "skip") -> None:
        return await self._run(_merge(source_table, target_table, on_conflict))

    async def create(self, target, source, snapshot: Optional[str] = None,
                     database: bool = False) -> None:
        if database:
            return await self.create_database_branch(str(target), str(source))
        return await self.create_table_branch(target, source, snapshot)

    async def delete(self, name, database: bool = False) -> None:
        if database:
            return await self.delete_database_branch(str(name))
        return await self.delete_table_branch(name)

    async def diff(self, table, against, snapshot: Optional[str] = None,
                   output: DiffOutput = DiffOutput.ROWS) -> List[Any]:
        return await self.diff_table(table, against, snapshot, output)

    async def merge(self, source, target,
                    on_conflict: Union[str, MergeConflictStrategy] = "skip") -> None:
        return await self.merge_table(source, target, on_conflict)
