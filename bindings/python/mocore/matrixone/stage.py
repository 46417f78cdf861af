"""Stages, as the SDK's matrixone.stage: ``client.stage.create(name, url, ...)``, ``create_local``,
``create_s3``, ``alter``, ``drop``, ``show``, ``list``, ``get``, ``exists``; a Stage loads
(``load_csv``, ``load_tsv``, ``load_json``, ``load_parquet``, ``load_files``) and exports
(``export_to_csv``, ``export_to_jsonl``) through the client or session it came from.

The SQL is mocore's stage manager's (src/managers/stage.c): names quoted, URLs, credentials
and comments escaped literals. ``get`` of a stage that is not there is ValueError (as the
SDK); other failures are QueryError (also the mocore category class)."""

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional

from ._manager import AsyncManager, SyncManager, delegate
from .exceptions import QueryError

__all__ = ["Stage", "StageManager", "AsyncStageManager"]


@dataclass
class Stage:
    """A stage: ``name``, ``url``, ``credentials``, ``status``, ``comment``,
    ``created_time``, ``modified_time``. Its load_* and export_* methods run on the client
    or session that returned it (coroutines when that is an async one)."""

    name: str
    url: str
    credentials: Optional[Dict[str, str]] = None
    status: Optional[str] = None
    comment: Optional[str] = None
    created_time: Optional[datetime] = None
    modified_time: Optional[datetime] = None
    _client: Optional[Any] = field(default=None, repr=False)
    _async: bool = field(default=False, repr=False)

    def __repr__(self):
        return f"Stage(name='{self.name}', url='{self.url}', status='{self.status}')"

    def _loader(self):
        if self._client is None:
            raise ValueError("Stage object must be associated with a client to load data")
        from .load_data import AsyncLoadDataManager, LoadDataManager
        return (AsyncLoadDataManager if self._async else LoadDataManager)(self._client)

    def _exporter(self):
        if self._client is None:
            raise ValueError("Stage object must be associated with a client to export data")
        from .export import AsyncExportManager, ExportManager
        return (AsyncExportManager if self._async else ExportManager)(self._client)

    def load_csv(self, filepath: str, table: Any, **kwargs) -> Any:
        """read_csv_stage(self.name, filepath, table, **kwargs)."""
        return self._loader().read_csv_stage(self.name, filepath, table, **kwargs)

    def load_tsv(self, filepath: str, table: Any, **kwargs) -> Any:
        """load_csv with sep='\\t'."""
        return self._loader().read_csv_stage(self.name, filepath, table, sep="\t", **kwargs)

    def load_json(self, filepath: str, table: Any, **kwargs) -> Any:
        """read_json_stage(self.name, filepath, table, **kwargs)."""
        return self._loader().read_json_stage(self.name, filepath, table, **kwargs)

    def load_parquet(self, filepath: str, table: Any, **kwargs) -> Any:
        """read_parquet_stage(self.name, filepath, table, **kwargs)."""
        return self._loader().read_parquet_stage(self.name, filepath, table, **kwargs)

    def _load_one(self, filepath, table, kwargs):
        if filepath.endswith(".tsv"):
            return self.load_tsv(filepath, table, **kwargs)
        if filepath.endswith((".jsonl", ".json")):
            return self.load_json(filepath, table, **kwargs)
        if filepath.endswith((".parquet", ".parq")):
            return self.load_parquet(filepath, table, **kwargs)
        return self.load_csv(filepath, table, **kwargs)

    def load_files(self, file_mappings: Dict[str, Any], **kwargs) -> Dict[str, Any]:
        """Load each file of {filepath: table} by its extension (.csv, .tsv, .json/.jsonl,
        .parquet/.parq; anything else as CSV); {filepath: result}. On an async client, a
        coroutine."""
        self._loader()
        if self._async:
            async def load_all():
                return {p: await self._load_one(p, t, kwargs) for p, t in file_mappings.items()}
            return load_all()
        return {p: self._load_one(p, t, kwargs) for p, t in file_mappings.items()}

    def export_to_csv(self, filename: str, query: Any, **kwargs) -> Any:
        """ExportManager.to_csv_stage(self.name, filename, query, **kwargs)."""
        return self._exporter().to_csv_stage(self.name, filename, query, **kwargs)

    def export_to_jsonl(self, filename: str, query: Any, **kwargs) -> Any:
        """ExportManager.to_jsonl_stage(self.name, filename, query, **kwargs)."""
        return self._exporter().to_jsonl_stage(self.name, filename, query, **kwargs)


def _stage(rec, owner, is_async, credentials=None):
    return Stage(name=rec.name, url=rec.url, credentials=credentials, status=rec.status,
                 comment=rec.comment, created_time=rec.created_time, _client=owner,
                 _async=is_async)


def _do(what, method, *args, **kwargs):
    return delegate(QueryError, what, "stage", method, *args, **kwargs)


class _Plans:
    @staticmethod
    def create(owner, is_async, name, url, credentials, comment, if_not_exists):
        rec = yield from _do(f"Failed to create stage '{name}'", "create", name, url,
                             credentials=credentials, comment=comment,
                             if_not_exists=bool(if_not_exists))
        return _stage(rec, owner, is_async, credentials)

    @staticmethod
    def create_local(owner, is_async, name, path, comment, if_not_exists):
        rec = yield from _do(f"Failed to create stage '{name}'", "create_local", name, path,
                             comment=comment, if_not_exists=bool(if_not_exists))
        return _stage(rec, owner, is_async)

    @staticmethod
    def create_s3(owner, is_async, name, bucket, path, aws_key_id, aws_secret_key, aws_region,
                  endpoint, comment, if_not_exists):
        # as the SDK: credentials not given come from the AWS environment variables
        env = os.environ.get
        aws_key_id = aws_key_id or env("AWS_ACCESS_KEY_ID") or env("AWS_KEY_ID")
        aws_secret_key = aws_secret_key or env("AWS_SECRET_ACCESS_KEY") or env("AWS_SECRET_KEY")
        aws_region = aws_region or env("AWS_DEFAULT_REGION") or env("AWS_REGION")
        rec = yield from _do(f"Failed to create stage '{name}'", "create_s3", name, bucket, path,
                             aws_key_id=aws_key_id, aws_secret_key=aws_secret_key,
                             aws_region=aws_region, endpoint=endpoint, comment=comment,
                             if_not_exists=bool(if_not_exists))
        return _stage(rec, owner, is_async)

    @staticmethod
    def alter(owner, is_async, name, url, credentials, comment, enable, if_exists):
        if not any([url, credentials, comment, enable is not None]):
            raise ValueError("At least one of url, credentials, comment, or enable must be provided")
        rec = yield from _do(f"Failed to alter stage '{name}'", "alter", name, url=url,
                             credentials=credentials, comment=comment, enable=enable,
                             if_exists=bool(if_exists))
        return _stage(rec, owner, is_async) if rec is not None else None

    @staticmethod
    def drop(name, if_exists):
        return _do(f"Failed to drop stage '{name}'", "drop", name, if_exists=bool(if_exists))

    @staticmethod
    def show(owner, is_async, like_pattern):
        recs = yield from _do("Failed to show stages", "show", like_pattern)
        return [_stage(r, owner, is_async) for r in recs]

    @staticmethod
    def list(owner, is_async):
        recs = yield from _do("Failed to list stages", "list")
        return [_stage(r, owner, is_async) for r in recs]

    @staticmethod
    def get(owner, is_async, name):
        try:
            rec = yield from _do(f"Failed to get stage '{name}'", "get", name)
        except QueryError as err:
            if getattr(err, "category", None) == "not_found":
                raise ValueError(f"Stage '{name}' not found") from err
            raise
        return _stage(rec, owner, is_async)

    @staticmethod
    def exists(name):
        try:
            return (yield from _do(f"Failed to check stage '{name}'", "exists", name))
        except QueryError:
            return False


class StageManager(SyncManager):
    """``client.stage`` / ``session.stage``."""

    _error = QueryError

    def _owner(self):
        return self._get_executor(), False

    def create(self, name: str, url: str, credentials: Optional[Dict[str, str]] = None,
               comment: Optional[str] = None, if_not_exists: bool = False) -> Stage:
        """CREATE STAGE name URL=url [CREDENTIALS={...}] [COMMENT=...]."""
        return self._run(_Plans.create(*self._owner(), name, url, credentials, comment,
                                       if_not_exists))

    def create_local(self, name: str, path: str, comment: Optional[str] = None,
                     if_not_exists: bool = False) -> Stage:
        """A stage on a server directory (file://path)."""
        return self._run(_Plans.create_local(*self._owner(), name, path, comment, if_not_exists))

    def create_s3(self, name: str, bucket: str, path: str = "", aws_key_id: Optional[str] = None,
                  aws_secret_key: Optional[str] = None, aws_region: Optional[str] = None,
                  endpoint: Optional[str] = None, comment: Optional[str] = None,
                  if_not_exists: bool = False) -> Stage:
        """A stage on an S3 bucket."""
        return self._run(_Plans.create_s3(*self._owner(), name, bucket, path, aws_key_id,
                                          aws_secret_key, aws_region, endpoint, comment,
                                          if_not_exists))

    def alter(self, name: str, url: Optional[str] = None,
              credentials: Optional[Dict[str, str]] = None, comment: Optional[str] = None,
              enable: Optional[bool] = None, if_exists: bool = False) -> Stage:
        """ALTER STAGE: url, credentials, comment, enable / disable."""
        return self._run(_Plans.alter(*self._owner(), name, url, credentials, comment, enable,
                                      if_exists))

    def drop(self, name: str, if_exists: bool = False) -> None:
        return self._run(_Plans.drop(name, if_exists))

    def show(self, like_pattern: Optional[str] = None) -> List[Stage]:
        return self._run(_Plans.show(*self._owner(), like_pattern))

    def list(self) -> List[Stage]:
        return self._run(_Plans.list(*self._owner()))

    def get(self, name: str) -> Stage:
        return self._run(_Plans.get(*self._owner(), name))

    def exists(self, name: str) -> bool:
        return self._run(_Plans.exists(name))


class AsyncStageManager(AsyncManager):
    """The asyncio twin of StageManager."""

    _error = QueryError

    def _owner(self):
        return self._get_executor(), True

    async def create(self, name: str, url: str, credentials: Optional[Dict[str, str]] = None,
                     comment: Optional[str] = None, if_not_exists: bool = False) -> Stage:
        return await self._run(_Plans.create(*self._owner(), name, url, credentials, comment,
                                             if_not_exists))

    async def create_local(self, name: str, path: str, comment: Optional[str] = None,
                           if_not_exists: bool = False) -> Stage:
        return await self._run(_Plans.create_local(*self._owner(), name, path, comment,
                                                   if_not_exists))

    async def create_s3(self, name: str, bucket: str, path: str = "",
                        aws_key_id: Optional[str] = None, aws_secret_key: Optional[str] = None,
                        aws_region: Optional[str] = None, endpoint: Optional[str] = None,
                        comment: Optional[str] = None, if_not_exists: bool = False) -> Stage:
        return await self._run(_Plans.create_s3(*self._owner(), name, bucket, path, aws_key_id,
                                                aws_secret_key, aws_region, endpoint, comment,
                                                if_not_exists))

    async def alter(self, name: str, url: Optional[str] = None,
                    credentials: Optional[Dict[str, str]] = None, comment: Optional[str] = None,
                    enable: Optional[bool] = None, if_exists: bool = False) -> Stage:
        return await self._run(_Plans.alter(*self._owner(), name, url, credentials, comment,
                                            enable, if_exists))

    async def drop(self, name: str, if_exists: bool = False) -> None:
        return await self._run(_Plans.drop(name, if_exists))

    async def show(self, like_pattern: Optional[str] = None) -> List[Stage]:
        return await self._run(_Plans.show(*self._owner(), like_pattern))

    async def list(self) -> List[Stage]:
        return await self._run(_Plans.list(*self._owner()))

    async def get(self, name: str) -> Stage:
        return await self._run(_Plans.get(*self._owner(), name))

    async def exists(self, name: str) -> bool:
        return await self._run(_Plans.exists(name))
