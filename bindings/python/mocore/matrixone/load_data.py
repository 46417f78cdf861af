"""LOAD DATA, as the SDK's matrixone.load_data: ``client.load_data.read_csv(path, table, sep=",",
...)``, ``from_file``, ``read_json``, ``read_parquet``, their ``*_stage`` and ``*_inline``
forms and ``from_local_file``.

The statements are mocore's load manager's (src/managers/load_data.c): the table a quoted
identifier, the path and every separator escaped literals, SET expressions checked. Each
returns the SDK's result of a write (``affected_rows``, ``rowcount``). Mistakes the SDK
catches itself are ValueError; failures are QueryError (also the mocore category class)."""

from enum import Enum
from typing import Dict, List, Optional

from ..result_set import ResultSet
from ._manager import AsyncManager, SyncManager, call, failed, table_name
from .exceptions import QueryError

__all__ = ["LoadDataFormat", "CompressionFormat", "JsonDataStructure", "LoadDataManager",
           "AsyncLoadDataManager"]


class LoadDataFormat(str, Enum):
    CSV = "csv"
    JSONLINE = "jsonline"
    PARQUET = "parquet"


class CompressionFormat(str, Enum):
    NONE = "none"
    GZIP = "gzip"
    GZ = "gz"
    BZIP2 = "bzip2"
    BZ2 = "bz2"
    LZ4 = "lz4"
    TAR_GZ = "tar.gz"
    TAR_BZ2 = "tar.bz2"


class JsonDataStructure(str, Enum):
    OBJECT = "object"
    ARRAY = "array"


_STAGE = "stage://"


def _value(v):
    return v.value if isinstance(v, Enum) else v


def _jsondata(orient):
    if orient == "records":
        return "object"
    if orient == "values":
        return "array"
    raise ValueError(f"orient must be 'records' or 'values', got {orient!r}")


# What only the CSV form of LOAD DATA carries; the brace form (jsonline, parquet) takes none
# of it, as the SDK, which leaves these out of its statement.
_CSV_ONLY = ("fields_terminated_by", "fields_enclosed_by", "fields_optionally_enclosed",
             "fields_escaped_by", "lines_terminated_by", "lines_starting_by", "ignore_lines",
             "character_set", "parallel", "columns", "set_clause")


def _options(options):
    """The keyword arguments of mocore's load call: enum members as their words, unset
    options left out, and the CSV-only ones dropped for the brace form."""
    out = {k: _value(v) for k, v in options.items() if v is not None}
    if out.get("format") in ("jsonline", "parquet"):
        for k in _CSV_ONLY:
            out.pop(k, None)
        out["fields_terminated_by"] = None
    return out


def _load(file_path, table, options, local=False):
    """The plan of one LOAD DATA of a file (``stage://stage/file`` paths load from the stage)."""
    name = table_name(table)
    if not file_path or not isinstance(file_path, str):
        raise ValueError("file_path must be a non-empty string")
    if not name or not isinstance(name, str):
        raise ValueError("table_name must be a non-empty string")
    ignore = options.get("ignore_lines", 0)
    if not isinstance(ignore, int) or ignore < 0:
        raise ValueError("ignore_lines must be a non-negative integer")
    options = _options(options)
    if local:
        step = call("load_data", "from_local_file", file_path, name, **options)
    elif file_path.startswith(_STAGE) and "/" in file_path[len(_STAGE):]:
        stage, filename = file_path[len(_STAGE):].split("/", 1)
        step = call("load_data", "from_stage", stage, filename, name, **options)
    else:
        step = call("load_data", "from_file", file_path, name, **options)
    return _count(step)


def _inline(data, table, options):
    name = table_name(table)
    if not name or not isinstance(name, str):
        raise ValueError("table_name must be a non-empty string")
    return _count(call("load_data", "from_inline", data, name, **_options(options)))


def _count(step):
    try:
        n = yield step
    except Exception as err:
        raise failed(err, QueryError, "Failed to load data")
    return ResultSet(affected_rows=n)


def _csv_options(sep, quotechar, quoting, escapechar, skiprows, names, encoding, parallel,
                 compression, set_clause, kwargs):
    opts = dict(fields_terminated_by=sep, fields_enclosed_by=quotechar,
                fields_optionally_enclosed=bool(quoting) if quotechar else False,
                fields_escaped_by=escapechar, ignore_lines=skiprows, columns=names,
                character_set=encoding, parallel=parallel, compression=compression,
                set_clause=set_clause)
    opts.update(kwargs)
    return opts


class _Plans:
    @staticmethod
    def from_file(file_path, table, options):
        return _load(file_path, table, options)

    @staticmethod
    def from_local_file(file_path, table, options):
        return _load(file_path, table, options, local=True)

    @staticmethod
    def read_csv(path, table, inline, options):
        if inline:
            options = dict(options, format="csv")
            return _inline(path, table, options)
        return _load(path, table, options)

    @staticmethod
    def read_json(path, table, orient, compression, inline, kwargs):
        options = dict(kwargs, format="jsonline", jsondata=_jsondata(orient),
                       compression=compression)
        if inline:
            return _inline(path, table, options)
        return _load(path, table, options)

    @staticmethod
    def read_parquet(path, table, kwargs):
        return _load(path, table, dict(kwargs, format="parquet"))

    @staticmethod
    def read_csv_inline(data, table, sep, quotechar, kwargs):
        return _inline(data, table, dict(kwargs, format="csv", fields_terminated_by=sep,
                                         fields_enclosed_by=quotechar))

    @staticmethod
    def read_json_inline(data, table, orient, kwargs):
        return _inline(data, table, dict(kwargs, format="jsonline", jsondata=_jsondata(orient)))


def _stage_path(stage_name, filename):
    if not stage_name or not filename:
        raise ValueError("stage_name and filename must be non-empty strings")
    return f"{_STAGE}{stage_name}/{filename}"


class LoadDataManager(SyncManager):
    """``client.load_data`` / ``session.load_data``."""

    _error = QueryError

    def from_file(self, file_path: str, table_name_or_model, fields_terminated_by: str = ",",
                  fields_enclosed_by: Optional[str] = None, fields_optionally_enclosed: bool = False,
                  fields_escaped_by: Optional[str] = None, lines_terminated_by: Optional[str] = None,
                  lines_starting_by: Optional[str] = None, ignore_lines: int = 0,
                  character_set: Optional[str] = None, parallel: bool = False,
                  columns: Optional[List[str]] = None, format=None, jsondata=None,
                  compression=None, set_clause: Optional[Dict[str, str]] = None, **kwargs):
        """LOAD DATA INFILE file_path INTO TABLE table with the options."""
        opts = dict(fields_terminated_by=fields_terminated_by, fields_enclosed_by=fields_enclosed_by,
                    fields_optionally_enclosed=fields_optionally_enclosed,
                    fields_escaped_by=fields_escaped_by, lines_terminated_by=lines_terminated_by,
                    lines_starting_by=lines_starting_by, ignore_lines=ignore_lines,
                    character_set=character_set, parallel=parallel, columns=columns,
                    format=format, jsondata=jsondata, compression=compression,
                    set_clause=set_clause, **kwargs)
        return self._run(_Plans.from_file(file_path, table_name_or_model, opts))

    def from_local_file(self, file_path: str, table_name_or_model, **kwargs):
        """LOAD DATA LOCAL INFILE (the file must be under one of the client's
        local_infile_dirs)."""
        return self._run(_Plans.from_local_file(file_path, table_name_or_model, kwargs))

    def read_csv(self, filepath_or_buffer: str, table, sep: str = ",",
                 quotechar: Optional[str] = None, quoting: bool = False,
                 escapechar: Optional[str] = None, skiprows: int = 0,
                 names: Optional[List[str]] = None, encoding: Optional[str] = None,
                 parallel: bool = False, compression=None,
                 set_clause: Optional[Dict[str, str]] = None, inline: bool = False, **kwargs):
        """CSV from a server file, a ``stage://`` path, or (inline=True) the text itself."""
        opts = _csv_options(sep, quotechar, quoting, escapechar, skiprows, names, encoding,
                            parallel, compression, set_clause, kwargs)
        return self._run(_Plans.read_csv(filepath_or_buffer, table, inline, opts))

    def read_csv_stage(self, stage_name: str, filename: str, table, sep: str = ",",
                       quotechar: Optional[str] = None, quoting: bool = False,
                       escapechar: Optional[str] = None, skiprows: int = 0,
                       names: Optional[List[str]] = None, encoding: Optional[str] = None,
                       parallel: bool = False, compression=None,
                       set_clause: Optional[Dict[str, str]] = None, **kwargs):
        """CSV from a file of a stage."""
        opts = _csv_options(sep, quotechar, quoting, escapechar, skiprows, names, encoding,
                            parallel, compression, set_clause, kwargs)
        return self._run(_Plans.read_csv(_stage_path(stage_name, filename), table, False, opts))

    def read_csv_inline(self, data: str, table, sep: str = ",", quotechar: Optional[str] = None,
                        **kwargs):
        """CSV given as text (LOAD DATA INLINE)."""
        return self._run(_Plans.read_csv_inline(data, table, sep, quotechar, kwargs))

    def read_json(self, filepath_or_buffer: str, table, lines: bool = True,
                  orient: str = "records", compression=None, inline: bool = False, **kwargs):
        """JSON lines (orient "records": objects, "values": arrays)."""
        return self._run(_Plans.read_json(filepath_or_buffer, table, orient, compression, inline,
                                          kwargs))

    def read_json_stage(self, stage_name: str, filename: str, table, lines: bool = True,
                        orient: str = "records", compression=None, **kwargs):
        return self._run(_Plans.read_json(_stage_path(stage_name, filename), table, orient,
                                          compression, False, kwargs))

    def read_json_inline(self, data: str, table, orient: str = "records", **kwargs):
        return self._run(_Plans.read_json_inline(data, table, orient, kwargs))

    def read_parquet(self, filepath_or_buffer: str, table, **kwargs):
        return self._run(_Plans.read_parquet(filepath_or_buffer, table, kwargs))

    def read_parquet_stage(self, stage_name: str, filename: str, table, **kwargs):
        return self._run(_Plans.read_parquet(_stage_path(stage_name, filename), table, kwargs))


class AsyncLoadDataManager(AsyncManager):
    """The asyncio twin of LoadDataManager."""

    _error = QueryError

    async def from_file(self, file_path: str, table_name_or_model, fields_terminated_by: str = ",",
                        fields_enclosed_by: Optional[str] = None,
                        fields_optionally_enclosed: bool = False,
                        fields_escaped_by: Optional[str] = None,
                        lines_terminated_by: Optional[str] = None,
                        lines_starting_by: Optional[str] = None, ignore_lines: int = 0,
                        character_set: Optional[str] = None, parallel: bool = False,
                        columns: Optional[List[str]] = None, format=None, jsondata=None,
                        compression=None, set_clause: Optional[Dict[str, str]] = None, **kwargs):
        opts = dict(fields_terminated_by=fields_terminated_by, fields_enclosed_by=fields_enclosed_by,
                    fields_optionally_enclosed=fields_optionally_enclosed,
                    fields_escaped_by=fields_escaped_by, lines_terminated_by=lines_terminated_by,
                    lines_starting_by=lines_starting_by, ignore_lines=ignore_lines,
                    character_set=character_set, parallel=parallel, columns=columns,
                    format=format, jsondata=jsondata, compression=compression,
                    set_clause=set_clause, **kwargs)
        return await self._run(_Plans.from_file(file_path, table_name_or_model, opts))

    async def from_local_file(self, file_path: str, table_name_or_model, **kwargs):
        return await self._run(_Plans.from_local_file(file_path, table_name_or_model, kwargs))

    async def read_csv(self, filepath_or_buffer: str, table, sep: str = ",",
                       quotechar: Optional[str] = None, quoting: bool = False,
                       escapechar: Optional[str] = None, skiprows: int = 0,
                       names: Optional[List[str]] = None, encoding: Optional[str] = None,
                       parallel: bool = False, compression=None,
                       set_clause: Optional[Dict[str, str]] = None, inline: bool = False,
                       **kwargs):
        opts = _csv_options(sep, quotechar, quoting, escapechar, skiprows, names, encoding,
                            parallel, compression, set_clause, kwargs)
        return await self._run(_Plans.read_csv(filepath_or_buffer, table, inline, opts))

    async def read_csv_stage(self, stage_name: str, filename: str, table, sep: str = ",",
                             quotechar: Optional[str] = None, quoting: bool = False,
                             escapechar: Optional[str] = None, skiprows: int = 0,
                             names: Optional[List[str]] = None, encoding: Optional[str] = None,
                             parallel: bool = False, compression=None,
                             set_clause: Optional[Dict[str, str]] = None, **kwargs):
        opts = _csv_options(sep, quotechar, quoting, escapechar, skiprows, names, encoding,
                            parallel, compression, set_clause, kwargs)
        return await self._run(_Plans.read_csv(_stage_path(stage_name, filename), table, False,
                                               opts))

    async def read_csv_inline(self, data: str, table, sep: str = ",",
                              quotechar: Optional[str] = None, **kwargs):
        return await self._run(_Plans.read_csv_inline(data, table, sep, quotechar, kwargs))

    async def read_json(self, filepath_or_buffer: str, table, lines: bool = True,
                        orient: str = "records", compression=None, inline: bool = False,
                        **kwargs):
        return await self._run(_Plans.read_json(filepath_or_buffer, table, orient, compression,
                                                inline, kwargs))

    async def read_json_stage(self, stage_name: str, filename: str, table, lines: bool = True,
                              orient: str = "records", compression=None, **kwargs):
        return await self._run(_Plans.read_json(_stage_path(stage_name, filename), table, orient,
                                                compression, False, kwargs))

    async def read_json_inline(self, data: str, table, orient: str = "records", **kwargs):
        return await self._run(_Plans.read_json_inline(data, table, orient, kwargs))

    async def read_parquet(self, filepath_or_buffer: str, table, **kwargs):
        return await self._run(_Plans.read_parquet(filepath_or_buffer, table, kwargs))

    async def read_parquet_stage(self, stage_name: str, filename: str, table, **kwargs):
        return await self._run(_Plans.read_parquet(_stage_path(stage_name, filename), table,
                                                   kwargs))
