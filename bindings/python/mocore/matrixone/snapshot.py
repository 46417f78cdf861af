"""Snapshots, as the SDK's matrixone.snapshot: ``client.snapshots.create(name, level, ...)``.

The SQL is mocore's snapshot manager's (src/managers/snapshot.c): names are quoted
identifiers, the read-back binds the name. Errors are SnapshotError (also the mocore category
class of the cause)."""

from datetime import datetime
from typing import List, Optional, Union

from mocore.managers import SnapshotLevel  # the same words as the SDK's enum (a str enum)

from ._manager import AsyncManager, SyncManager, call, failed
from .exceptions import SnapshotError, translate

__all__ = ["SnapshotLevel", "Snapshot", "SnapshotManager", "AsyncSnapshotManager"]


def _level(level):
    if isinstance(level, SnapshotLevel):
        return level
    if isinstance(level, str):
        try:
            return SnapshotLevel(level.lower())
        except ValueError:
            pass
    raise SnapshotError(f"Invalid snapshot level: {level}")


class Snapshot:
    """A snapshot: ``name``, ``level`` (SnapshotLevel), ``created_at`` (local time, as the
    SDK), ``description``, ``database``, ``table``."""

    def __init__(self, name: str, level: Union[str, SnapshotLevel], created_at: datetime,
                 description: Optional[str] = None, database: Optional[str] = None,
                 table: Optional[str] = None):
        self.name = name
        self.level = _level(level)
        self.created_at = created_at
        self.description = description
        self.database = database
        self.table = table

    def __repr__(self):
        return f"Snapshot(name='{self.name}', level='{self.level}', created_at='{self.created_at}')"


def _snapshot(rec):
    """mocore's Snapshot record -> the SDK's Snapshot (created_at from the ns timestamp)."""
    created = datetime.fromtimestamp(rec.ts / 1e9) if rec.ts else None
    try:
        level = _level(rec.level)
    except SnapshotError:
        level = rec.level
    snap = Snapshot.__new__(Snapshot)
    snap.name, snap.level, snap.created_at = rec.name, level, created
    snap.description, snap.database, snap.table = rec.description, rec.database, rec.table
    return snap


# ---------------------------------------------------------------- plans (see _manager)

def _create(name, level, database, table, description):
    level = _level(level)
    if level is SnapshotLevel.DATABASE and not database:
        raise SnapshotError("Database name required for database level snapshot")
    if level is SnapshotLevel.TABLE and (not database or not table):
        raise SnapshotError("Database and table names required for table level snapshot")
    try:
        rec = yield call("snapshots", "create", name, level.value, database=database, table=table,
                         description=description)
    except Exception as err:
        raise failed(err, SnapshotError, "Failed to create snapshot")
    return _snapshot(rec)


def _list():
    try:
        recs = yield call("snapshots", "list")
    except Exception as err:
        raise failed(err, SnapshotError, "Failed to list snapshots")
    return [_snapshot(r) for r in recs]


def _get(name):
    try:
        rec = yield call("snapshots", "get", name)
    except Exception as err:
        if getattr(err, "category", None) == "not_found":
            raise translate(err, SnapshotError, f"Snapshot '{name}' not found")
        raise failed(err, SnapshotError, "Failed to get snapshot")
    return _snapshot(rec)


def _delete(name):
    try:
        yield call("snapshots", "delete", name)
    except Exception as err:
        raise failed(err, SnapshotError, "Failed to delete snapshot")


def _exists(name):
    try:
        return (yield call("snapshots", "exists", name))
    except Exception as err:
        if getattr(err, "category", None) == "invalid_argument":
            return False  # the SDK: a name get() cannot find does not exist
        raise failed(err, SnapshotError, "Failed to check snapshot")


class SnapshotManager(SyncManager):
    """``client.snapshots`` / ``session.snapshots``: create, list, get, delete, exists."""

    _error = SnapshotError

    def create(self, name: str, level: Union[str, SnapshotLevel], database: Optional[str] = None,
               table: Optional[str] = None, description: Optional[str] = None) -> Snapshot:
        """CREATE SNAPSHOT name FOR <level> [...]; returns the Snapshot read back."""
        return self._run(_create(name, level, database, table, description))

    def list(self) -> List[Snapshot]:
        """Every snapshot."""
        return self._run(_list())

    def get(self, name: str) -> Snapshot:
        """The snapshot ``name`` (SnapshotError when there is none)."""
        return self._run(_get(name))

    def delete(self, name: str) -> None:
        """DROP SNAPSHOT name."""
        return self._run(_delete(name))

    def exists(self, name: str) -> bool:
        """Whether the snapshot ``name`` exists."""
        return self._run(_exists(name))


class AsyncSnapshotManager(AsyncManager):
    """The asyncio twin of SnapshotManager (``await client.snapshots.create(...)``)."""

    _error = SnapshotError

    async def create(self, name: str, level: Union[str, SnapshotLevel],
                     database: Optional[str] = None, table: Optional[str] = None,
                     description: Optional[str] = None) -> Snapshot:
        return await self._run(_create(name, level, database, table, description))

    async def list(self) -> List[Snapshot]:
        return await self._run(_list())

    async def get(self, name: str) -> Snapshot:
        return await self._run(_get(name))

    async def delete(self, name: str) -> None:
        return await self._run(_delete(name))

    async def exists(self, name: str) -> bool:
        return await self._run(_exists(name))
