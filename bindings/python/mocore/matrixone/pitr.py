"""Point-in-time recovery ranges, as the SDK's matrixone.pitr: ``client.pitr.create_database_pitr(
name, database_name, range_value=1, range_unit="d")``...

The SQL is mocore's PITR manager's (src/managers/pitr.c): names quoted, the range checked in C
(1..100; h, d, mo, y). The Pitr record is mocore's (the SDK's fields, in the SDK's order).
Errors are PitrError."""

from typing import List, Optional

from mocore.managers import Pitr

from ._manager import AsyncManager, SyncManager, delegate
from .exceptions import PitrError

__all__ = ["Pitr", "PitrManager", "AsyncPitrManager"]

_UNITS = ("h", "d", "mo", "y")


def _check_range(range_value, range_unit):
    if not isinstance(range_value, int) or not 1 <= range_value <= 100:
        raise PitrError("Range value must be between 1 and 100")
    if range_unit not in _UNITS:
        raise PitrError(f"Range unit must be one of: {', '.join(_UNITS)}")


def _create(kind, method, name, *args):
    _check_range(*args[-2:])
    return delegate(PitrError, f"Failed to create {kind} PITR '{name}'", "pitr", method, name, *args)


def _get(name):
    try:
        return (yield from delegate(PitrError, f"Failed to get PITR '{name}'", "pitr", "get", name))
    except PitrError as err:
        if getattr(err, "category", None) == "not_found":
            err._sdk_text = f"PITR '{name}' not found"
        raise


def _list(level, account_name, database_name, table_name):
    return delegate(PitrError, "Failed to list PITRs", "pitr", "list", level=level,
                    account_name=account_name, database_name=database_name, table_name=table_name)


def _alter(name, range_value, range_unit):
    _check_range(range_value, range_unit)
    return delegate(PitrError, f"Failed to alter PITR '{name}'", "pitr", "alter", name,
                    range_value, range_unit)


def _delete(name):
    return delegate(PitrError, f"Failed to delete PITR '{name}'", "pitr", "delete", name)


class PitrManager(SyncManager):
    """``client.pitr`` / ``session.pitr``."""

    _error = PitrError

    def create_cluster_pitr(self, name: str, range_value: int = 1, range_unit: str = "d") -> Pitr:
        return self._run(_create("cluster", "create_cluster_pitr", name, range_value, range_unit))

    def create_account_pitr(self, name: str, account_name: Optional[str] = None,
                            range_value: int = 1, range_unit: str = "d") -> Pitr:
        return self._run(_create("account", "create_account_pitr", name, account_name,
                                 range_value, range_unit))

    def create_database_pitr(self, name: str, database_name: str, range_value: int = 1,
                             range_unit: str = "d") -> Pitr:
        return self._run(_create("database", "create_database_pitr", name, database_name,
                                 range_value, range_unit))

    def create_table_pitr(self, name: str, database_name: str, table_name: str,
                          range_value: int = 1, range_unit: str = "d") -> Pitr:
        return self._run(_create("table", "create_table_pitr", name, database_name, table_name,
                                 range_value, range_unit))

    def get(self, name: str) -> Pitr:
        return self._run(_get(name))

    def list(self, level: Optional[str] = None, account_name: Optional[str] = None,
             database_name: Optional[str] = None, table_name: Optional[str] = None) -> List[Pitr]:
        return self._run(_list(level, account_name, database_name, table_name))

    def alter(self, name: str, range_value: int, range_unit: str) -> Pitr:
        return self._run(_alter(name, range_value, range_unit))

    def delete(self, name: str) -> bool:
        return self._run(_delete(name))


class AsyncPitrManager(AsyncManager):
    """The asyncio twin of PitrManager."""

    _error = PitrError

    async def create_cluster_pitr(self, name: str, range_value: int = 1,
                                  range_unit: str = "d") -> Pitr:
        return await self._run(_create("cluster", "create_cluster_pitr", name, range_value,
                                       range_unit))

    async def create_account_pitr(self, name: str, account_name: Optional[str] = None,
                                  range_value: int = 1, range_unit: str = "d") -> Pitr:
        return await self._run(_create("account", "create_account_pitr", name, account_name,
                                       range_value, range_unit))

    async def create_database_pitr(self, name: str, database_name: str, range_value: int = 1,
                                   range_unit: str = "d") -> Pitr:
        return await self._run(_create("database", "create_database_pitr", name, database_name,
                                       range_value, range_unit))

    async def create_table_pitr(self, name: str, database_name: str, table_name: str,
                                range_value: int = 1, range_unit: str = "d") -> Pitr:
        return await self._run(_create("table", "create_table_pitr", name, database_name,
                                       table_name, range_value, range_unit))

    async def get(self, name: str) -> Pitr:
        return await self._run(_get(name))

    async def list(self, level: Optional[str] = None, account_name: Optional[str] = None,
                   database_name: Optional[str] = None,
                   table_name: Optional[str] = None) -> List[Pitr]:
        return await self._run(_list(level, account_name, database_name, table_name))

    async def alter(self, name: str, range_value: int, range_unit: str) -> Pitr:
        return await self._run(_alter(name, range_value, range_unit))

    async def delete(self, name: str) -> bool:
        return await self._run(_delete(name))
