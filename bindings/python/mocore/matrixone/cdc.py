"""Change data capture, as the SDK's matrixone.cdc: ``client.cdc.create(task_name, source_uri,
sink_type, sink_uri, table_mapping, options=None)``, the database and table task helpers,
drop / pause / resume / restart, the SHOW CDC results, tasks, watermarks and their health.

The SQL is mocore's CDC manager's (src/managers/cdc.c): task names quoted, URIs, mappings
and options escaped literals. Tasks and watermarks are the SDK's dataclasses. ``get`` of a
missing task is ValueError (as the SDK); failures are QueryError."""

import datetime
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Optional, Sequence

import mocore

from ._manager import AsyncManager, SyncManager, call, failed
from .exceptions import QueryError

__all__ = ["CDCSinkType", "CDCTaskInfo", "CDCWatermarkInfo", "CDCManager", "AsyncCDCManager",
           "build_mysql_uri"]


class CDCSinkType(str, Enum):
    MYSQL = "mysql"
    MATRIXONE = "matrixone"

    def __str__(self) -> str:
        return self.value


def build_mysql_uri(host: str, port: int, user: str, password: str = "",
                    account: Optional[str] = None) -> str:
    """mysql://[account#]user:password@host:port, the URI of a CDC source or sink (mocore's
    mo_cdc_build_mysql_uri; a missing host, port or user is ValueError as in the SDK)."""
    if not host:
        raise ValueError("host is required")
    if port is None:
        raise ValueError("port is required")
    if not isinstance(port, int) or isinstance(port, bool):
        raise ValueError("port must be an integer")
    if not user:
        raise ValueError("user is required")
    dry = mocore.connect("matrixone://cdc@127.0.0.1:1/cdc?dry_run=true")
    try:
        return dry.cdc.build_mysql_uri(host, port, user, password or "", account)
    finally:
        dry.close()


@dataclass
class CDCTaskInfo:
    """A CDC task."""
    task_id: Optional[str]
    task_name: str
    source_uri: Optional[str]
    sink_uri: Optional[str]
    sink_type: Optional[str]
    table_mapping: Optional[str]
    state: Optional[str]
    checkpoint: Optional[Any]
    err_msg: Optional[str]
    created_time: Optional[Any]
    no_full: Optional[bool] = None
    filters: Optional[str] = None
    additional_config: Optional[Dict[str, Any]] = None
    raw_row: Optional[Sequence[Any]] = field(default=None, repr=False)


@dataclass
class CDCWatermarkInfo:
    """The watermark of one table of a CDC task."""
    task_id: str
    task_name: Optional[str]
    database: Optional[str]
    table: Optional[str]
    watermark: Optional[str]
    err_msg: Optional[str]
    raw_row: Optional[Sequence[Any]] = field(default=None, repr=False)


def _no_full(v):
    if v is None or isinstance(v, bool):
        return v
    return str(v).lower() in ("true", "1", "yes")


def _task(rec):
    return CDCTaskInfo(task_id=rec.task_id, task_name=rec.task_name, source_uri=rec.source_uri,
                       sink_uri=rec.sink_uri, sink_type=rec.sink_type,
                       table_mapping=rec.table_mapping, state=rec.state,
                       checkpoint=rec.checkpoint, err_msg=rec.err_msg,
                       created_time=rec.created_time, no_full=_no_full(rec.no_full),
                       filters=rec.filters, additional_config=rec.additional_config or None)


def _watermark(rec):
    return CDCWatermarkInfo(task_id=rec.task_id, task_name=rec.task_name, database=rec.database,
                            table=rec.table, watermark=rec.watermark, err_msg=rec.err_msg)


def _do(what, method, *args, convert=None, **kwargs):
    try:
        value = yield call("cdc", method, *args, **kwargs)
    except Exception as err:
        raise failed(err, QueryError, what)
    return convert(value) if convert else value


def _tasks(recs):
    return [_task(r) for r in recs]


def _watermarks(recs):
    return [_watermark(r) for r in recs]


def _seconds(d):
    return d.total_seconds() if isinstance(d, datetime.timedelta) else d


class _Plans:
    @staticmethod
    def create(task_name, source_uri, sink_type, sink_uri, table_mapping, options):
        return _do(f"Failed to create CDC task '{task_name}'", "create", task_name, source_uri,
                   str(sink_type), sink_uri, table_mapping, options, convert=_task)

    @staticmethod
    def create_database_task(task_name, source_uri, sink_type, sink_uri, source_database,
                             sink_database, options):
        return _do(f"Failed to create CDC task '{task_name}'", "create_database_task", task_name,
                   source_uri, str(sink_type), sink_uri, source_database, sink_database, options,
                   convert=_task)

    @staticmethod
    def create_table_task(task_name, source_uri, sink_type, sink_uri, table_mappings, options):
        return _do(f"Failed to create CDC task '{task_name}'", "create_table_task", task_name,
                   source_uri, str(sink_type), sink_uri, table_mappings, options, convert=_task)

    @staticmethod
    def simple(method, *args):
        what = f"Failed to {method.replace('_', ' ')} CDC task" + (f" '{args[0]}'" if args else "s")
        return _do(what, method, *args)

    @staticmethod
    def show(method, *args):
        from ._manager import ResultRows
        return _do("Failed to show CDC tasks", method, *args, convert=ResultRows.of)

    @staticmethod
    def list(task_name):
        return _do("Failed to list CDC tasks", "list", task_name, convert=_tasks)

    @staticmethod
    def get(task_name):
        tasks = yield from _Plans.list(task_name)
        if not tasks:
            raise ValueError(f"CDC task '{task_name}' not found")
        return tasks[0]

    @staticmethod
    def exists(task_name):
        return _do("Failed to list CDC tasks", "exists", task_name)

    @staticmethod
    def list_watermarks(task_name):
        return _do("Failed to list CDC watermarks", "list_watermarks", task_name,
                   convert=_watermarks)

    @staticmethod
    def failing():
        return _do("Failed to list CDC tasks", "list_failing_tasks", convert=_tasks)

    @staticmethod
    def stuck():
        return _do("Failed to list CDC tasks", "list_stuck_tasks", convert=_tasks)

    @staticmethod
    def late(task_name, default_threshold, thresholds):
        if thresholds:
            thresholds = {k: _seconds(v) for k, v in thresholds.items()}
        return _do("Failed to list CDC watermarks", "list_late_table_watermarks",
                   task_name=task_name, default_threshold=_seconds(default_threshold),
                   thresholds=thresholds or None, convert=_watermarks)


_TEN_MINUTES = datetime.timedelta(minutes=10)


class CDCManager(SyncManager):
    """``client.cdc`` / ``session.cdc``."""

    _error = QueryError

    def create(self, task_name: str, source_uri: str, sink_type, sink_uri: str,
               table_mapping: str, options: Optional[Dict[str, Any]] = None) -> CDCTaskInfo:
        return self._run(_Plans.create(task_name, source_uri, sink_type, sink_uri, table_mapping,
                                       options))

    def create_database_task(self, task_name: str, source_uri: str, sink_type, sink_uri: str,
                             source_database: str, sink_database: Optional[str] = None,
                             options: Optional[Dict[str, Any]] = None) -> CDCTaskInfo:
        return self._run(_Plans.create_database_task(task_name, source_uri, sink_type, sink_uri,
                                                     source_database, sink_database, options))

    def create_table_task(self, task_name: str, source_uri: str, sink_type, sink_uri: str,
                          table_mappings, options: Optional[Dict[str, Any]] = None) -> CDCTaskInfo:
        return self._run(_Plans.create_table_task(task_name, source_uri, sink_type, sink_uri,
                                                  table_mappings, options))

    def drop(self, task_name: str) -> None:
        return self._run(_Plans.simple("drop", task_name))

    def drop_all(self) -> None:
        return self._run(_Plans.simple("drop_all"))

    def pause(self, task_name: str) -> None:
        return self._run(_Plans.simple("pause", task_name))

    def pause_all(self) -> None:
        return self._run(_Plans.simple("pause_all"))

    def resume(self, task_name: str) -> None:
        return self._run(_Plans.simple("resume", task_name))

    def restart(self, task_name: str) -> None:
        return self._run(_Plans.simple("restart", task_name))

    def show_all(self):
        return self._run(_Plans.show("show_all"))

    def show_task(self, task_name: str):
        return self._run(_Plans.show("show_task", task_name))

    def list(self, task_name: Optional[str] = None) -> List[CDCTaskInfo]:
        return self._run(_Plans.list(task_name))

    def get(self, task_name: str) -> CDCTaskInfo:
        return self._run(_Plans.get(task_name))

    def exists(self, task_name: str) -> bool:
        return self._run(_Plans.exists(task_name))

    def list_watermarks(self, task_name: Optional[str] = None) -> List[CDCWatermarkInfo]:
        return self._run(_Plans.list_watermarks(task_name))

    def list_failing_tasks(self) -> List[CDCTaskInfo]:
        return self._run(_Plans.failing())

    def list_stuck_tasks(self) -> List[CDCTaskInfo]:
        return self._run(_Plans.stuck())

    def list_late_table_watermarks(self, *, task_name: Optional[str] = None,
                                   default_threshold: datetime.timedelta = _TEN_MINUTES,
                                   thresholds: Optional[Dict[str, datetime.timedelta]] = None
                                   ) -> List[CDCWatermarkInfo]:
        return self._run(_Plans.late(task_name, default_threshold, thresholds))


class AsyncCDCManager(AsyncManager):
    """The asyncio twin of CDCManager."""

    _error = QueryError

    async def create(self, task_name: str, source_uri: str, sink_type, sink_uri: str,
                     table_mapping: str, options: Optional[Dict[str, Any]] = None) -> CDCTaskInfo:
        return await self._run(_Plans.create(task_name, source_uri, sink_type, sink_uri,
                                             table_mapping, options))

    async def create_database_task(self, task_name: str, source_uri: str, sink_type,
                                   sink_uri: str, source_database: str,
                                   sink_database: Optional[str] = None,
                                   options: Optional[Dict[str, Any]] = None) -> CDCTaskInfo:
        return await self._run(_Plans.create_database_task(task_name, source_uri, sink_type,
                                                           sink_uri, source_database,
                                                           sink_database, options))

    async def create_table_task(self, task_name: str, source_uri: str, sink_type, sink_uri: str,
                                table_mappings,
                                options: Optional[Dict[str, Any]] = None) -> CDCTaskInfo:
        return await self._run(_Plans.create_table_task(task_name, source_uri, sink_type,
                                                        sink_uri, table_mappings, options))

    async def drop(self, task_name: str) -> None:
        return await self._run(_Plans.simple("drop", task_name))

    async def drop_all(self) -> None:
        return await self._run(_Plans.simple("drop_all"))

    async def pause(self, task_name: str) -> None:
        return await self._run(_Plans.simple("pause", task_name))

    async def pause_all(self) -> None:
        return await self._run(_Plans.simple("pause_all"))

    async def resume(self, task_name: str) -> None:
        return await self._run(_Plans.simple("resume", task_name))

    async def restart(self, task_name: str) -> None:
        return await self._run(_Plans.simple("restart", task_name))

    async def show_all(self):
        return await self._run(_Plans.show("show_all"))

    async def show_task(self, task_name: str):
        return await self._run(_Plans.show("show_task", task_name))

    async def list(self, task_name: Optional[str] = None) -> List[CDCTaskInfo]:
        return await self._run(_Plans.list(task_name))

    async def get(self, task_name: str) -> CDCTaskInfo:
        return await self._run(_Plans.get(task_name))

    async def exists(self, task_name: str) -> bool:
        return await self._run(_Plans.exists(task_name))

    async def list_watermarks(self, task_name: Optional[str] = None) -> List[CDCWatermarkInfo]:
        return await self._run(_Plans.list_watermarks(task_name))

    async def list_failing_tasks(self) -> List[CDCTaskInfo]:
        return await self._run(_Plans.failing())

    async def list_stuck_tasks(self) -> List[CDCTaskInfo]:
        return await self._run(_Plans.stuck())

    async def list_late_table_watermarks(self, *, task_name: Optional[str] = None,
                                         default_threshold: datetime.timedelta = _TEN_MINUTES,
                                         thresholds: Optional[Dict[str, datetime.timedelta]] = None
                                         ) -> List[CDCWatermarkInfo]:
        return await self._run(_Plans.late(task_name, default_threshold, thresholds))
