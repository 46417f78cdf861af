"""Restores from snapshots, as the SDK's matrixone.restore: ``client.restore.restore_table(
snapshot_name, account_name, database_name, table_name, to_account=None)``...

The SQL is mocore's restore manager's (src/managers/restore.c), names quoted. Each returns
True; errors are RestoreError."""

from typing import Optional

from ._manager import AsyncManager, SyncManager, delegate
from .exceptions import RestoreError

__all__ = ["RestoreManager", "AsyncRestoreManager"]


def _restore(what, method, *args):
    return delegate(RestoreError, f"Failed to restore {what}", "restore", method, *args)


class RestoreManager(SyncManager):
    """``client.restore`` / ``session.restore``."""

    _error = RestoreError

    def restore_cluster(self, snapshot_name: str) -> bool:
        return self._run(_restore("cluster", "restore_cluster", snapshot_name))

    def restore_tenant(self, snapshot_name: str, account_name: str,
                       to_account: Optional[str] = None) -> bool:
        return self._run(_restore("tenant", "restore_tenant", snapshot_name, account_name,
                                  to_account))

    def restore_database(self, snapshot_name: str, account_name: str, database_name: str,
                         to_account: Optional[str] = None) -> bool:
        return self._run(_restore("database", "restore_database", snapshot_name, account_name,
                                  database_name, to_account))

    def restore_table(self, snapshot_name: str, account_name: str, database_name: str,
                      table_name: str, to_account: Optional[str] = None) -> bool:
        return self._run(_restore("table", "restore_table", snapshot_name, account_name,
                                  database_name, table_name, to_account))


class AsyncRestoreManager(AsyncManager):
    """The asyncio twin of RestoreManager."""

    _error = RestoreError

    async def restore_cluster(self, snapshot_name: str) -> bool:
        return await self._run(_restore("cluster", "restore_cluster", snapshot_name))

    async def restore_tenant(self, snapshot_name: str, account_name: str,
                             to_account: Optional[str] = None) -> bool:
        return await self._run(_restore("tenant", "restore_tenant", snapshot_name, account_name,
                                        to_account))

    async def restore_database(self, snapshot_name: str, account_name: str, database_name: str,
                               to_account: Optional[str] = None) -> bool:
        return await self._run(_restore("database", "restore_database", snapshot_name,
                                        account_name, database_name, to_account))

    async def restore_table(self, snapshot_name: str, account_name: str, database_name: str,
                            table_name: str, to_account: Optional[str] = None) -> bool:
        return await self._run(_restore("table", "restore_table", snapshot_name, account_name,
                                        database_name, table_name, to_account))
