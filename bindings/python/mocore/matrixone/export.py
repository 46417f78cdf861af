"""Exports (SELECT ... INTO OUTFILE), as the SDK's matrixone.export: ``client.export.to_csv(path,
query, sep=",", quotechar=None, lineterminator="\\n", header=False)``, ``to_jsonl``, and their
``*_stage`` forms. ``query`` is SQL text, a SQLAlchemy statement or a query builder
(``client.query(Model)...``).

The statement is mocore's export manager's (src/managers/export.c): the path and the
separators escaped literals. A SQLAlchemy statement is compiled with ``?`` placeholders and
its values go to the C core as parameters (the SDK renders them into the text with
literal_binds). Returns the SDK's result of a write; the SDK's own checks are ValueError,
failures QueryError (also the mocore category class)."""

import warnings
from typing import Any, Optional, Union

from ..result_set import ResultSet
from ._manager import AsyncManager, SyncManager, call, failed
from .exceptions import QueryError

__all__ = ["ExportManager", "AsyncExportManager", "query_sql"]


def query_sql(query):
    """(sql, params) of a query: SQL text as it is (params None); a query builder's
    statement (mocore.matrixone.orm: ``_statement()``, ``?`` SQL and its values; another
    builder's ``_build_sql()``); a SQLAlchemy statement compiled for MySQL with ``?``
    placeholders and its bound values."""
    if isinstance(query, str):
        return query, None
    if hasattr(query, "_statement"):
        sql, params = query._statement()
        return sql, list(params) if params else None
    if hasattr(query, "_build_sql"):
        sql, params = query._build_sql()
        return sql, list(params) if params else None
    if hasattr(query, "compile"):
        from sqlalchemy.dialects import mysql
        try:
            compiled = query.compile(dialect=mysql.dialect(paramstyle="qmark"),
                                     compile_kwargs={"render_postcompile": True})
        except Exception as e:  # noqa: BLE001 -- the SDK's error
            raise ValueError(f"Failed to compile SQLAlchemy statement: {e}") from e
        names = compiled.positiontup or []
        return str(compiled), [compiled.params[n] for n in names] or None
    raise TypeError(f"Unsupported query type: {type(query)}. "
                    "Expected str, SQLAlchemy select(), or MatrixOneQuery object.")


def _check_csv(sep, quotechar):
    if not sep:
        raise ValueError("sep cannot be empty")
    if len(sep) > 1:
        warnings.warn(f"sep is '{sep}' (length {len(sep)}). MatrixOne may only support "
                      "single-character separators.", UserWarning)
    if quotechar and sep == quotechar:
        raise ValueError(f"sep and quotechar cannot be the same: '{sep}'")


def _written(step):
    try:
        n = yield step
    except Exception as err:
        raise failed(err, QueryError, "Failed to export query result")
    return ResultSet(affected_rows=n)


class _Plans:
    @staticmethod
    def to_csv(path, query, sep, quotechar, lineterminator, header):
        _check_csv(sep, quotechar)
        sql, params = query_sql(query)
        return _written(call("export", "to_csv", path, sql, sep=sep, quotechar=quotechar or None,
                             lineterminator=lineterminator, header=bool(header), params=params))

    @staticmethod
    def to_jsonl(path, query):
        sql, params = query_sql(query)
        return _written(call("export", "to_jsonl", path, sql, params=params))

    @staticmethod
    def to_csv_stage(stage_name, filename, query, sep, quotechar, lineterminator, header):
        _check_csv(sep, quotechar)
        sql, params = query_sql(query)
        return _written(call("export", "to_csv_stage", stage_name, filename, sql, sep=sep,
                             quotechar=quotechar or None, lineterminator=lineterminator,
                             header=bool(header), params=params))

    @staticmethod
    def to_jsonl_stage(stage_name, filename, query):
        sql, params = query_sql(query)
        return _written(call("export", "to_jsonl_stage", stage_name, filename, sql,
                             params=params))


class ExportManager(SyncManager):
    """``client.export`` / ``session.export`` (also ``ExportManager(client_or_session)``)."""

    _error = QueryError

    def to_csv(self, path: str, query: Union[str, Any], *, sep: str = ",",
               quotechar: Optional[str] = None, lineterminator: str = "\n",
               header: bool = False, **kwargs) -> Any:
        """query's rows to path (a server path or ``stage://stage/file``) as CSV."""
        return self._run(_Plans.to_csv(path, query, sep, quotechar, lineterminator, header))

    def to_jsonl(self, path: str, query: Union[str, Any], **kwargs) -> Any:
        """query's rows to path as JSON lines."""
        return self._run(_Plans.to_jsonl(path, query))

    def to_csv_stage(self, stage_name: str, filename: str, query: Union[str, Any], *,
                     sep: str = ",", quotechar: Optional[str] = None,
                     lineterminator: str = "\n", header: bool = False, **kwargs) -> Any:
        """query's rows to a file of a stage as CSV."""
        return self._run(_Plans.to_csv_stage(stage_name, filename, query, sep, quotechar,
                                             lineterminator, header))

    def to_jsonl_stage(self, stage_name: str, filename: str, query: Union[str, Any],
                       **kwargs) -> Any:
        """query's rows to a file of a stage as JSON lines."""
        return self._run(_Plans.to_jsonl_stage(stage_name, filename, query))


class AsyncExportManager(AsyncManager):
    """The asyncio twin of ExportManager."""

    _error = QueryError

    async def to_csv(self, path: str, query: Union[str, Any], *, sep: str = ",",
                     quotechar: Optional[str] = None, lineterminator: str = "\n",
                     header: bool = False, **kwargs) -> Any:
        return await self._run(_Plans.to_csv(path, query, sep, quotechar, lineterminator, header))

    async def to_jsonl(self, path: str, query: Union[str, Any], **kwargs) -> Any:
        return await self._run(_Plans.to_jsonl(path, query))

    async def to_csv_stage(self, stage_name: str, filename: str, query: Union[str, Any], *,
                           sep: str = ",", quotechar: Optional[str] = None,
                           lineterminator: str = "\n", header: bool = False, **kwargs) -> Any:
        return await self._run(_Plans.to_csv_stage(stage_name, filename, query, sep, quotechar,
                                                   lineterminator, header))

    async def to_jsonl_stage(self, stage_name: str, filename: str, query: Union[str, Any],
                             **kwargs) -> Any:
        return await self._run(_Plans.to_jsonl_stage(stage_name, filename, query))
