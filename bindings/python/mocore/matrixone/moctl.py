"""MatrixOne's mo_ctl, as the SDK's matrixone.moctl: ``client.moctl.flush_table(db, table)``,
``increment_checkpoint()``, ``global_checkpoint()`` (sys account only).

The SQL is mocore's moctl manager's (src/managers/moctl.c), the target bound as a literal.
Each returns the server's parsed JSON answer; a failure (a returnStr other than OK
included) is MoCtlError."""

from typing import Any, Dict

from ._manager import AsyncManager, SyncManager, delegate
from .exceptions import MoCtlError

__all__ = ["MoCtlError", "MoCtlManager", "AsyncMoCtlManager"]


def _do(method, *args):
    return delegate(MoCtlError, "mo_ctl operation failed", "moctl", method, *args)


class MoCtlManager(SyncManager):
    """``client.moctl`` (also ``MoCtlManager(client)``)."""

    _error = MoCtlError

    def flush_table(self, database: str, table: str) -> Dict[str, Any]:
        return self._run(_do("flush_table", database, table))

    def increment_checkpoint(self) -> Dict[str, Any]:
        return self._run(_do("increment_checkpoint"))

    def global_checkpoint(self) -> Dict[str, Any]:
        return self._run(_do("global_checkpoint"))


class AsyncMoCtlManager(AsyncManager):
    """The asyncio twin of MoCtlManager."""

    _error = MoCtlError

    async def flush_table(self, database: str, table: str) -> Dict[str, Any]:
        return await self._run(_do("flush_table", database, table))

    async def increment_checkpoint(self) -> Dict[str, Any]:
        return await self._run(_do("increment_checkpoint"))

    async def global_checkpoint(self) -> Dict[str, Any]:
        return await self._run(_do("global_checkpoint"))
