"""``client.load_data``, ``client.stage``, ``client.cdc`` and ``client.export`` with the
MatrixOne Python SDK's method and argument names, on a client (autocommit) and on a session
(inside its transaction). The SQL is built in C (capi/mocore/load_data.h, stage.h, cdc.h,
export.h): names are quoted identifiers, values escaped literals; docs/managers.md lists where
that differs from the SDK.

Differences from the SDK, all deliberate:
- loads and exports return the number of rows loaded / written (an int; 0 in dry-run), not a
  ResultSet.
- LOAD DATA LOCAL (``from_local_file``) works only for files under a directory given to
  ``Client(..., local_infile_dirs=[...])``; any other path is InvalidArgumentError with nothing
  sent. ``progress=fn`` is called as ``fn(bytes_sent, total_bytes)`` while the file is sent.
- ``set_clause`` is a dict column -> SQL expression (e.g. ``{"name": "UPPER(@n)"}``), checked
  for ';', comments and unbalanced quotes.
- credentials, options, table mappings and thresholds are dicts (insertion order kept).
- stage and cdc are MatrixOne only: on MySQL/MariaDB they raise UnsupportedError, nothing sent.
"""

import json as _json
from dataclasses import dataclass as _dataclass, field as _field
from typing import Optional

from . import mocore_core as _core
from .managers import _Manager, _bad, _str, _int, _flag, _to_record, _model_name, _fields

__all__ = ["Stage", "CDCTaskInfo", "CDCWatermarkInfo", "LoadDataManager", "StageManager",
           "CDCManager", "ExportManager"]


@_dataclass
class Stage:
    name: str
    url: Optional[str] = None
    status: Optional[str] = None
    comment: Optional[str] = None
    created_time: Optional[str] = None


@_dataclass
class CDCTaskInfo:
    task_id: Optional[str] = None
    task_name: Optional[str] = None
    source_uri: Optional[str] = None
    sink_uri: Optional[str] = None
    sink_type: Optional[str] = None
    table_mapping: Optional[str] = None
    tables: Optional[str] = None
    filters: Optional[str] = None
    start_ts: Optional[str] = None
    end_ts: Optional[str] = None
    state: Optional[str] = None
    checkpoint: Optional[str] = None
    no_full: Optional[str] = None
    err_msg: Optional[str] = None
    created_time: Optional[str] = None
    additional_config: dict = _field(default_factory=dict)


@_dataclass
class CDCWatermarkInfo:
    task_id: Optional[str] = None
    task_name: Optional[str] = None
    database: Optional[str] = None
    table: Optional[str] = None
    watermark: Optional[str] = None
    err_msg: Optional[str] = None
    lag_ms: int = 0


def _record(cls, kind, h):
    values = {attr: get(h) for attr, get in _fields(kind)}
    if cls is CDCTaskInfo:
        try:
            values["additional_config"] = _json.loads(values["additional_config"] or "{}")
        except ValueError:
            values["additional_config"] = {"raw": values["additional_config"]}
    return cls(**values)


def _records(cls, kind, lst):
    get = getattr(_core, f"mo_{kind}_list_get")
    return [_record(cls, kind, get(lst, i))
            for i in range(getattr(_core, f"mo_{kind}_list_count")(lst))]


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(getattr(value, "value", value))


def _strmap(op, what, mapping):
    """A dict (or None) -> mo_strmap (None stays None)."""
    if mapping is None:
        return None
    if not isinstance(mapping, dict):
        raise _bad(op, f"{what} must be a dict, not {type(mapping).__name__}")
    m = _core.mo_strmap_new()
    for k, v in mapping.items():
        _core.mo_strmap_set(m, _str(op, f"{what} key", k), _text(v))
    return m


def _table(op, table):
    return _model_name(op, "table_name", table)


def _options(op, fields_terminated_by=",", fields_enclosed_by=None,
             fields_optionally_enclosed=False, fields_escaped_by=None, lines_terminated_by=None,
             lines_starting_by=None, ignore_lines=0, character_set=None, parallel=False,
             columns=None, format=None, jsondata=None, compression=None, set_clause=None,
             progress=None):
    o = _core.mo_load_options_new()
    if fields_terminated_by is not None:
        _core.mo_load_options_set_fields_terminated_by(o, _str(op, "sep", fields_terminated_by))
    if fields_enclosed_by is not None:
        _core.mo_load_options_set_fields_enclosed_by(
            o, _str(op, "quotechar", fields_enclosed_by),
            _flag(op, "optionally", fields_optionally_enclosed))
    if fields_escaped_by is not None:
        _core.mo_load_options_set_fields_escaped_by(o, _str(op, "escapechar", fields_escaped_by))
    if lines_terminated_by is not None:
        _core.mo_load_options_set_lines_terminated_by(o, _str(op, "lines_terminated_by",
                                                             lines_terminated_by))
    if lines_starting_by is not None:
        _core.mo_load_options_set_lines_starting_by(o, _str(op, "lines_starting_by",
                                                           lines_starting_by))
    if ignore_lines:
        _core.mo_load_options_set_ignore_lines(o, _int(op, "ignore_lines", ignore_lines))
    if character_set is not None:
        _core.mo_load_options_set_character_set(o, _str(op, "character_set", character_set))
    if parallel:
        _core.mo_load_options_set_parallel(o, 1)
    for c in columns or ():
        _core.mo_load_options_add_column(o, _str(op, "columns", c))
    if format is not None:
        _core.mo_load_options_set_format(o, _str(op, "format", format))
    if jsondata is not None:
        _core.mo_load_options_set_jsondata(o, _str(op, "jsondata", jsondata))
    if compression is not None:
        _core.mo_load_options_set_compression(o, _str(op, "compression", compression))
    if set_clause:
        if not isinstance(set_clause, dict):
            raise _bad(op, "set_clause must be a dict column -> SQL expression")
        for col, expr in set_clause.items():
            _core.mo_load_options_add_set_expression(o, _str(op, "set_clause column", col),
                                                     _str(op, "set_clause expression", expr))
    if progress is not None:
        if not callable(progress):
            raise _bad(op, "progress must be a callable(bytes_sent, total_bytes)")
        _core.mo_py_load_options_set_progress_callable(o, progress)
    return o


_ORIENT = {"records": "object", "values": "array"}


# ---------------------------------------------------------------- load_data

class LoadDataManager(_Manager):
    """``client.load_data``. Every method returns the rows loaded."""

    def from_file(self, file_path, table_name_or_model, **kw):
        op = "load_data.from_file"
        opts = _options(op, **kw)
        return _core.mo_load_data_from_file(self._ex(), _str(op, "file_path", file_path),
                                            _table(op, table_name_or_model), opts)

    def from_local_file(self, file_path, table_name_or_model, progress=None, **kw):
        op = "load_data.from_local_file"
        opts = _options(op, progress=progress, **kw)  # opts keeps `progress` referenced
        n = _core.mo_load_data_from_local_file(self._ex(), _str(op, "file_path", file_path),
                                               _table(op, table_name_or_model), opts)
        del progress
        return n

    def from_stage(self, stage_name, filename, table_name_or_model, **kw):
        op = "load_data.from_stage"
        return _core.mo_load_data_from_stage(self._ex(), _str(op, "stage_name", stage_name),
                                             _str(op, "filename", filename),
                                             _table(op, table_name_or_model), _options(op, **kw))

    def from_inline(self, data, table_name_or_model, **kw):
        op = "load_data.from_inline"
        if isinstance(data, str):
            data = data.encode()
        return _core.mo_load_data_from_inline(self._ex(), data, _table(op, table_name_or_model),
                                              _options(op, **kw))

    @staticmethod
    def _csv_kw(sep, quotechar, quoting, escapechar, skiprows, names, encoding, parallel,
                compression, set_clause):
        return dict(fields_terminated_by=sep, fields_enclosed_by=quotechar,
                    fields_optionally_enclosed=quoting, fields_escaped_by=escapechar,
                    ignore_lines=skiprows, columns=names, character_set=encoding,
                    parallel=parallel, compression=compression, set_clause=set_clause)

    def read_csv(self, filepath_or_buffer, table, sep=",", quotechar=None, quoting=False,
                 escapechar=None, skiprows=0, names=None, encoding=None, parallel=False,
                 compression=None, set_clause=None, inline=False):
        kw = self._csv_kw(sep, quotechar, quoting, escapechar, skiprows, names, encoding,
                          parallel, compression, set_clause)
        if inline:
            return self.read_csv_inline(filepath_or_buffer, table, sep=sep, quotechar=quotechar)
        return self.from_file(filepath_or_buffer, table, **kw)

    def read_csv_stage(self, stage_name, filename, table, sep=",", quotechar=None,
                       quoting=False, escapechar=None, skiprows=0, names=None, encoding=None,
                       parallel=False, compression=None, set_clause=None):
        kw = self._csv_kw(sep, quotechar, quoting, escapechar, skiprows, names, encoding,
                          parallel, compression, set_clause)
        return self.from_stage(stage_name, filename, table, **kw)

    def read_csv_inline(self, data, table, sep=",", quotechar=None):
        return self.from_inline(data, table, fields_terminated_by=sep,
                                fields_enclosed_by=quotechar, format="csv")

    def read_json(self, filepath_or_buffer, table, lines=True, orient="records",
                  compression=None, inline=False):
        if inline:
            return self.read_json_inline(filepath_or_buffer, table, orient=orient)
        return self.from_file(filepath_or_buffer, table, fields_terminated_by=None,
                              format="jsonline", jsondata=_ORIENT.get(orient, "object"),
                              compression=compression)

    def read_json_stage(self, stage_name, filename, table, orient="records", compression=None):
        return self.from_stage(stage_name, filename, table, fields_terminated_by=None,
                               format="jsonline", jsondata=_ORIENT.get(orient, "object"),
                               compression=compression)

    def read_json_inline(self, data, table, orient="records"):
        return self.from_inline(data, table, fields_terminated_by=None, format="jsonline",
                                jsondata=_ORIENT.get(orient, "object"))

    def read_parquet(self, path, table):
        return self.from_file(path, table, fields_terminated_by=None, format="parquet")

    def read_parquet_stage(self, stage_name, filename, table):
        return self.from_stage(stage_name, filename, table, fields_terminated_by=None,
                               format="parquet")


# ---------------------------------------------------------------- stage

class StageManager(_Manager):
    """``client.stage`` (MatrixOne)."""

    def create(self, name, url, credentials=None, comment=None, if_not_exists=False):
        op = "stage.create"
        h = _core.mo_stage_create(self._ex(), _str(op, "name", name), _str(op, "url", url),
                                  _strmap(op, "credentials", credentials),
                                  _str(op, "comment", comment, True),
                                  _flag(op, "if_not_exists", if_not_exists))
        return _record(Stage, "stage", h)

    def create_local(self, name, path, comment=None, if_not_exists=False):
        op = "stage.create_local"
        h = _core.mo_stage_create_local(self._ex(), _str(op, "name", name),
                                        _str(op, "path", path), _str(op, "comment", comment, True),
                                        _flag(op, "if_not_exists", if_not_exists))
        return _record(Stage, "stage", h)

    def create_s3(self, name, bucket, path="", aws_key_id=None, aws_secret_key=None,
                  aws_region=None, endpoint=None, comment=None, if_not_exists=False):
        op = "stage.create_s3"
        h = _core.mo_stage_create_s3(self._ex(), _str(op, "name", name),
                                     _str(op, "bucket", bucket), _str(op, "path", path, True),
                                     _str(op, "aws_key_id", aws_key_id, True),
                                     _str(op, "aws_secret_key", aws_secret_key, True),
                                     _str(op, "aws_region", aws_region, True),
                                     _str(op, "endpoint", endpoint, True),
                                     _str(op, "comment", comment, True),
                                     _flag(op, "if_not_exists", if_not_exists))
        return _record(Stage, "stage", h)

    def alter(self, name, url=None, credentials=None, comment=None, enable=None,
              if_exists=False):
        op = "stage.alter"
        h = _core.mo_stage_alter(self._ex(), _str(op, "name", name), _str(op, "url", url, True),
                                 _strmap(op, "credentials", credentials),
                                 _str(op, "comment", comment, True),
                                 -1 if enable is None else _flag(op, "enable", enable),
                                 _flag(op, "if_exists", if_exists))
        return _record(Stage, "stage", h)

    def drop(self, name, if_exists=False):
        op = "stage.drop"
        _core.mo_stage_drop(self._ex(), _str(op, "name", name), _flag(op, "if_exists", if_exists))

    def show(self, like_pattern=None):
        return _records(Stage, "stage", _core.mo_stage_show(
            self._ex(), _str("stage.show", "like_pattern", like_pattern, True)))

    def list(self):
        return _records(Stage, "stage", _core.mo_stage_list_stages(self._ex()))

    def get(self, name):
        return _record(Stage, "stage", _core.mo_stage_get(self._ex(),
                                                          _str("stage.get", "name", name)))

    def exists(self, name):
        return bool(_core.mo_stage_exists(self._ex(), _str("stage.exists", "name", name)))


# ---------------------------------------------------------------- cdc

def _mappings(op, table_mappings):
    """The SDK's table_mappings (dict, list of str / tuples) -> the strmap of cdc.h."""
    if not table_mappings:
        raise _bad(op, "table_mappings must not be empty")
    m = _core.mo_strmap_new()
    items = table_mappings.items() if isinstance(table_mappings, dict) else table_mappings
    for item in items:
        if isinstance(table_mappings, dict):
            k, v = item
            _core.mo_strmap_set(m, f"{_str(op, 'table_mappings', k)}:{_str(op, 'table_mappings', v)}", None)
        elif isinstance(item, str):
            _core.mo_strmap_set(m, _str(op, "table_mappings", item), None)
        elif isinstance(item, (tuple, list)) and len(item) == 2 and "." in item[0] and "." in item[1]:
            _core.mo_strmap_set(m, f"{item[0]}:{item[1]}", None)
        elif isinstance(item, (tuple, list)) and len(item) in (2, 3, 4):
            key = f"{_str(op, 'table_mappings', item[0])}.{_str(op, 'table_mappings', item[1])}"
            value = None if len(item) == 2 else (
                item[2] if len(item) == 3 else f"{item[2]}.{item[3]}")
            _core.mo_strmap_set(m, key, value)
        else:
            raise _bad(op, f"invalid table mapping entry: {item!r}")
    return m


class CDCManager(_Manager):
    """``client.cdc`` (MatrixOne)."""

    def build_mysql_uri(self, host, port, user, password="", account=None):
        op = "cdc.build_mysql_uri"
        return _core.mo_cdc_build_mysql_uri(self._ex(), _str(op, "host", host),
                                            _int(op, "port", port), _str(op, "user", user),
                                            _str(op, "password", password, True),
                                            _str(op, "account", account, True))

    def create(self, task_name, source_uri, sink_type, sink_uri, table_mapping, options=None):
        op = "cdc.create"
        h = _core.mo_cdc_create(self._ex(), _str(op, "task_name", task_name),
                                _str(op, "source_uri", source_uri),
                                _str(op, "sink_type", sink_type), _str(op, "sink_uri", sink_uri),
                                _str(op, "table_mapping", table_mapping),
                                _strmap(op, "options", options))
        return _record(CDCTaskInfo, "cdc_task", h)

    def create_database_task(self, task_name, source_uri, sink_type, sink_uri,
                             source_database, sink_database=None, options=None):
        op = "cdc.create_database_task"
        h = _core.mo_cdc_create_database_task(
            self._ex(), _str(op, "task_name", task_name), _str(op, "source_uri", source_uri),
            _str(op, "sink_type", sink_type), _str(op, "sink_uri", sink_uri),
            _str(op, "source_database", source_database),
            _str(op, "sink_database", sink_database, True), _strmap(op, "options", options))
        return _record(CDCTaskInfo, "cdc_task", h)

    def create_table_task(self, task_name, source_uri, sink_type, sink_uri, table_mappings,
                          options=None):
        op = "cdc.create_table_task"
        h = _core.mo_cdc_create_table_task(
            self._ex(), _str(op, "task_name", task_name), _str(op, "source_uri", source_uri),
            _str(op, "sink_type", sink_type), _str(op, "sink_uri", sink_uri),
            _mappings(op, table_mappings), _strmap(op, "options", options))
        return _record(CDCTaskInfo, "cdc_task", h)

    def drop(self, task_name):
        _core.mo_cdc_drop(self._ex(), _str("cdc.drop", "task_name", task_name))

    def drop_all(self):
        _core.mo_cdc_drop_all(self._ex())

    def pause(self, task_name):
        _core.mo_cdc_pause(self._ex(), _str("cdc.pause", "task_name", task_name))

    def pause_all(self):
        _core.mo_cdc_pause_all(self._ex())

    def resume(self, task_name):
        _core.mo_cdc_resume(self._ex(), _str("cdc.resume", "task_name", task_name))

    def restart(self, task_name):
        _core.mo_cdc_restart(self._ex(), _str("cdc.restart", "task_name", task_name))

    def show_all(self):
        from . import Result
        return Result(_core.mo_cdc_show_all(self._ex()))

    def show_task(self, task_name):
        from . import Result
        return Result(_core.mo_cdc_show_task(self._ex(),
                                             _str("cdc.show_task", "task_name", task_name)))

    def list(self, task_name=None):
        return _records(CDCTaskInfo, "cdc_task", _core.mo_cdc_list_tasks(
            self._ex(), _str("cdc.list", "task_name", task_name, True)))

    def get(self, task_name):
        return _record(CDCTaskInfo, "cdc_task", _core.mo_cdc_get(
            self._ex(), _str("cdc.get", "task_name", task_name)))

    def exists(self, task_name):
        return bool(_core.mo_cdc_exists(self._ex(), _str("cdc.exists", "task_name", task_name)))

    def list_watermarks(self, task_name=None):
        return _records(CDCWatermarkInfo, "cdc_watermark", _core.mo_cdc_list_watermarks(
            self._ex(), _str("cdc.list_watermarks", "task_name", task_name, True)))

    def list_failing_tasks(self):
        return _records(CDCTaskInfo, "cdc_task", _core.mo_cdc_list_failing_tasks(self._ex()))

    def list_stuck_tasks(self):
        return _records(CDCTaskInfo, "cdc_task", _core.mo_cdc_list_stuck_tasks(self._ex()))

    def list_late_table_watermarks(self, *, task_name=None, default_threshold=None,
                                   thresholds=None, now_ms=0):
        """default_threshold: a datetime.timedelta or seconds (None: 10 minutes)."""
        op = "cdc.list_late_table_watermarks"
        if default_threshold is None:
            ms = -1
        elif hasattr(default_threshold, "total_seconds"):
            ms = int(default_threshold.total_seconds() * 1000)
        else:
            ms = int(float(default_threshold) * 1000)
        th = None if thresholds is None else {
            k: (f"{int(v.total_seconds() * 1000)}ms" if hasattr(v, "total_seconds") else v)
            for k, v in thresholds.items()}
        return _records(CDCWatermarkInfo, "cdc_watermark",
                        _core.mo_cdc_list_late_table_watermarks(
                            self._ex(), _str(op, "task_name", task_name, True), ms,
                            _strmap(op, "thresholds", th), _int(op, "now_ms", now_ms)))


# ---------------------------------------------------------------- export

class ExportManager(_Manager):
    """``client.export``: SELECT ... INTO OUTFILE; ``params`` fill ``?`` placeholders."""

    def _params(self, params):
        from . import _params
        return _params(params)

    def to_csv(self, path, query, *, sep=",", quotechar=None, lineterminator="\n",
               header=False, params=None):
        op = "export.to_csv"
        return _core.mo_export_to_csv(self._ex(), _str(op, "path", path),
                                      _str(op, "query", query), self._params(params),
                                      _str(op, "sep", sep, True),
                                      _str(op, "quotechar", quotechar, True),
                                      _str(op, "lineterminator", lineterminator, True),
                                      _flag(op, "header", header))

    def to_jsonl(self, path, query, *, params=None):
        op = "export.to_jsonl"
        return _core.mo_export_to_jsonl(self._ex(), _str(op, "path", path),
                                        _str(op, "query", query), self._params(params))

    def to_csv_stage(self, stage_name, filename, query, *, sep=",", quotechar=None,
                     lineterminator="\n", header=False, params=None):
        op = "export.to_csv_stage"
        return _core.mo_export_to_csv_stage(self._ex(), _str(op, "stage_name", stage_name),
                                            _str(op, "filename", filename),
                                            _str(op, "query", query), self._params(params),
                                            _str(op, "sep", sep, True),
                                            _str(op, "quotechar", quotechar, True),
                                            _str(op, "lineterminator", lineterminator, True),
                                            _flag(op, "header", header))

    def to_jsonl_stage(self, stage_name, filename, query, *, params=None):
        op = "export.to_jsonl_stage"
        return _core.mo_export_to_jsonl_stage(self._ex(), _str(op, "stage_name", stage_name),
                                              _str(op, "filename", filename),
                                              _str(op, "query", query), self._params(params))


class _ManagersLoad:
    """The manager attributes shared by Client and Session (mixin)."""

    @property
    def load_data(self):
        return LoadDataManager(self)

    @property
    def stage(self):
        return StageManager(self)

    @property
    def cdc(self):
        return CDCManager(self)

    @property
    def export(self):
        return ExportManager(self)
