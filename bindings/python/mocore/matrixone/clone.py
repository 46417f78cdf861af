"""Clones of databases and tables, as the SDK's matrixone.clone:
``client.clone.clone_database(target_db, source_db, snapshot_name=None, if_not_exists=False)``.

The SQL is mocore's clone manager's (src/managers/clone.c), names quoted; "db.table" names
are split and each part quoted. Errors are CloneError."""

from typing import Optional

from ._manager import AsyncManager, SyncManager, call, failed
from .exceptions import CloneError

__all__ = ["CloneManager", "AsyncCloneManager"]


def _clone(what, method, target, source, snapshot_name, if_not_exists):
    try:
        yield call("clone", method, target, source, snapshot_name=snapshot_name,
                   if_not_exists=bool(if_not_exists))
    except Exception as err:
        raise failed(err, CloneError, f"Failed to clone {what}")


def _clone_at(what, method, target, source, snapshot_name, if_not_exists):
    """The *_with_snapshot methods: the snapshot must exist (CloneError otherwise)."""
    try:
        found = yield call("snapshots", "exists", snapshot_name)
    except Exception as err:
        raise failed(err, CloneError, f"Failed to clone {what}")
    if not found:
        raise CloneError(f"Snapshot '{snapshot_name}' does not exist")
    yield from _clone(what, method, target, source, snapshot_name, if_not_exists)


class CloneManager(SyncManager):
    """``client.clone`` / ``session.clone``."""

    _error = CloneError

    def clone_database(self, target_db: str, source_db: str, snapshot_name: Optional[str] = None,
                       if_not_exists: bool = False) -> None:
        """CREATE DATABASE target_db CLONE source_db [{snapshot = ...}]."""
        return self._run(_clone("database", "clone_database", target_db, source_db,
                                snapshot_name, if_not_exists))

    def clone_table(self, target_table: str, source_table: str,
                    snapshot_name: Optional[str] = None, if_not_exists: bool = False) -> None:
        """CREATE TABLE target_table CLONE source_table [{snapshot = ...}]."""
        return self._run(_clone("table", "clone_table", target_table, source_table,
                                snapshot_name, if_not_exists))

    def clone_database_with_snapshot(self, target_db: str, source_db: str, snapshot_name: str,
                                     if_not_exists: bool = False) -> None:
        """clone_database at an existing snapshot."""
        return self._run(_clone_at("database", "clone_database", target_db, source_db,
                                   snapshot_name, if_not_exists))

    def clone_table_with_snapshot(self, target_table: str, source_table: str, snapshot_name: str,
                                  if_not_exists: bool = False) -> None:
        """clone_table at an existing snapshot."""
        return self._run(_clone_at("table", "clone_table", target_table, source_table,
                                   snapshot_name, if_not_exists))


class AsyncCloneManager(AsyncManager):
    """The asyncio twin of CloneManager."""

    _error = CloneError

    async def clone_database(self, target_db: str, source_db: str,
                             snapshot_name: Optional[str] = None,
                             if_not_exists: bool = False) -> None:
        return await self._run(_clone("database", "clone_database", target_db, source_db,
                                      snapshot_name, if_not_exists))

    async def clone_table(self, target_table: str, source_table: str,
                          snapshot_name: Optional[str] = None, if_not_exists: bool = False) -> None:
        return await self._run(_clone("table", "clone_table", target_table, source_table,
                                      snapshot_name, if_not_exists))

    async def clone_database_with_snapshot(self, target_db: str, source_db: str,
                                           snapshot_name: str, if_not_exists: bool = False) -> None:
        return await self._run(_clone_at("database", "clone_database", target_db, source_db,
                                         snapshot_name, if_not_exists))

    async def clone_table_with_snapshot(self, target_table: str, source_table: str,
                                        snapshot_name: str, if_not_exists: bool = False) -> None:
        return await self._run(_clone_at("table", "clone_table", target_table, source_table,
                                         snapshot_name, if_not_exists))
