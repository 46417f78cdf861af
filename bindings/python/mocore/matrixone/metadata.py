"""MatrixOne's metadata_scan, as the SDK's matrixone.metadata: ``client.metadata.scan(dbname,
tablename, is_tombstone=None, indexname=None, columns=None, distinct_object_name=None)``,
``get_table_brief_stats``, ``get_table_detail_stats``.

The SQL is mocore's metadata manager's (src/managers/metadata.c): the table reference and
the column names checked and quoted. ``scan`` returns, as the SDK: without columns a result
whose rows have ``_mapping``; with ``columns="*"`` MetadataRow objects; with a list of
columns dicts of those. Failures are QueryError (also the mocore category class)."""

from dataclasses import dataclass, fields
from typing import Any, Dict, List, Optional, Union

from mocore.managers import MetadataColumn  # the SDK's members and words

from ._manager import AsyncManager, ResultRows, SyncManager, call, failed
from .exceptions import QueryError

__all__ = ["MetadataColumn", "MetadataRow", "MetadataManager", "AsyncMetadataManager"]


def _flag(v):
    if isinstance(v, str):
        return v.lower() == "true"
    return bool(v)


@dataclass
class MetadataRow:
    """One object of a metadata_scan."""
    col_name: str
    object_name: str
    is_hidden: bool
    obj_loc: str
    create_ts: str
    delete_ts: str
    rows_cnt: int
    null_cnt: int
    compress_size: int
    origin_size: int
    min: Optional[Any] = None
    max: Optional[Any] = None
    sum: Optional[Any] = None

    @classmethod
    def from_sqlalchemy_row(cls, row) -> "MetadataRow":
        """From a row with ``_mapping`` (a raw scan row, or a SQLAlchemy Row)."""
        m = row._mapping
        return cls(col_name=m["col_name"], object_name=m["object_name"],
                   is_hidden=_flag(m["is_hidden"]), obj_loc=m["obj_loc"],
                   create_ts=m["create_ts"], delete_ts=m["delete_ts"], rows_cnt=m["rows_cnt"],
                   null_cnt=m["null_cnt"], compress_size=m["compress_size"],
                   origin_size=m["origin_size"], min=m.get("min"), max=m.get("max"),
                   sum=m.get("sum"))


_FIELDS = [f.name for f in fields(MetadataRow)]


def _metadata_row(rec):
    return MetadataRow(**{name: getattr(rec, name) for name in _FIELDS})


def _scan(dbname, tablename, is_tombstone, indexname, columns, distinct_object_name):
    if isinstance(columns, (list, tuple)):
        columns = [c.value if isinstance(c, MetadataColumn) else c for c in columns]
    try:
        out = yield call("metadata", "scan", dbname, tablename, is_tombstone=is_tombstone,
                         indexname=indexname, columns=columns,
                         distinct_object_name=distinct_object_name)
    except Exception as err:
        raise failed(err, QueryError, "Failed to scan metadata")
    if columns is None:
        return ResultRows.of(out)
    if columns == "*" or not columns:
        return [_metadata_row(r) for r in out]
    return out


def _stats(kind, method, dbname, tablename, is_tombstone, indexname, include_tombstone,
           include_indexes):
    try:
        return (yield call("metadata", method, dbname, tablename, is_tombstone=is_tombstone,
                           indexname=indexname, include_tombstone=bool(include_tombstone),
                           include_indexes=include_indexes))
    except Exception as err:
        raise failed(err, QueryError, f"Failed to get {kind} stats")


class MetadataManager(SyncManager):
    """``client.metadata`` / ``session.metadata``."""

    _error = QueryError

    def scan(self, dbname: str, tablename: str, is_tombstone: Optional[bool] = None,
             indexname: Optional[str] = None,
             columns: Optional[Union[List[Union[MetadataColumn, str]], str]] = None,
             distinct_object_name: Optional[bool] = None):
        return self._run(_scan(dbname, tablename, is_tombstone, indexname, columns,
                               distinct_object_name))

    def get_table_brief_stats(self, dbname: str, tablename: str,
                              is_tombstone: Optional[bool] = None, indexname: Optional[str] = None,
                              include_tombstone: bool = False,
                              include_indexes: Optional[List[str]] = None) -> Dict[str, Dict[str, Any]]:
        return self._run(_stats("brief", "get_table_brief_stats", dbname, tablename, is_tombstone,
                                indexname, include_tombstone, include_indexes))

    def get_table_detail_stats(self, dbname: str, tablename: str,
                               is_tombstone: Optional[bool] = None, indexname: Optional[str] = None,
                               include_tombstone: bool = False,
                               include_indexes: Optional[List[str]] = None) -> Dict[str, List[Dict[str, Any]]]:
        return self._run(_stats("detail", "get_table_detail_stats", dbname, tablename,
                                is_tombstone, indexname, include_tombstone, include_indexes))


class AsyncMetadataManager(AsyncManager):
    """The asyncio twin of MetadataManager."""

    _error = QueryError

    async def scan(self, dbname: str, tablename: str, is_tombstone: Optional[bool] = None,
                   indexname: Optional[str] = None,
                   columns: Optional[Union[List[Union[MetadataColumn, str]], str]] = None,
                   distinct_object_name: Optional[bool] = None):
        return await self._run(_scan(dbname, tablename, is_tombstone, indexname, columns,
                                     distinct_object_name))

    async def get_table_brief_stats(self, dbname: str, tablename: str,
                                    is_tombstone: Optional[bool] = None,
                                    indexname: Optional[str] = None,
                                    include_tombstone: bool = False,
                                    include_indexes: Optional[List[str]] = None):
        return await self._run(_stats("brief", "get_table_brief_stats", dbname, tablename,
                                      is_tombstone, indexname, include_tombstone, include_indexes))

    async def get_table_detail_stats(self, dbname: str, tablename: str,
                                     is_tombstone: Optional[bool] = None,
                                     indexname: Optional[str] = None,
                                     include_tombstone: bool = False,
                                     include_indexes: Optional[List[str]] = None):
        return await self._run(_stats("detail", "get_table_detail_stats", dbname, tablename,
                                      is_tombstone, indexname, include_tombstone, include_indexes))
