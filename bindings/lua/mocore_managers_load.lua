-- bindings/lua/mocore_managers_load.lua — load_data, stage, cdc and export for the Lua binding,
-- with the MatrixOne Python SDK's method and argument names (as bindings/python/mocore/
-- managers_load.py), on a client (autocommit) and on a session (inside its transaction).
--
--   local c = mocore.connect{ url = url, local_infile_dirs = { "/srv/import" } }
--   local n = c.load_data:from_local_file{ file_path = "/srv/import/rows.csv", table_name_or_model = "t",
--       ignore_lines = 1, progress = function(sent, total) io.write(sent, "/", total, "\r") end }
--   c.load_data:read_csv{ filepath_or_buffer = "/var/lib/mysql-files/a.csv", table = "t", sep = "|" }
--   c.export:to_csv{ path = "/var/lib/mysql-files/out.csv", query = "SELECT * FROM t WHERE id > ?",
--                    params = { 5 }, sep = "|" }
--   c.stage:create{ name = "s", url = "s3://b/p/", credentials = { AWS_KEY_ID = "k", AWS_SECRET_KEY = "s" } }
--   c.cdc:create_table_task{ task_name = "t1", source_uri = src, sink_type = "matrixone", sink_uri = dst,
--       table_mappings = { { "db1", "orders", "backup", "orders" } }, options = { { "NoFull", true } } }
--
-- Arguments by name in one table, or positionally in the SDK's order (the load options, which
-- the SDK takes as keywords, only by name). The SQL is built in C (capi/mocore/load_data.h,
-- stage.h, cdc.h, export.h): names quoted, values escaped; docs/managers.md lists the
-- differences from the SDK. Lua-specific:
-- - loads and exports return the number of rows (0 in dry-run).
-- - LOAD DATA LOCAL reads only files under a directory of `local_infile_dirs` (connect option);
--   anything else is invalid_argument with nothing sent. progress = function(bytes_sent,
--   total_bytes) is called during the load, on the calling coroutine's state; an error in it
--   is written to stderr once and the load goes on (the protocol cannot stop it).
-- - key/value arguments (credentials, cdc options, set_clause, thresholds) are either a table
--   {key = value} — sent in key order: Lua tables have none — or an array of {key, value}
--   pairs, sent in the order given. Values: strings, numbers, booleans ("true"/"false").
-- - records are plain tables (Stage, CDCTaskInfo, CDCWatermarkInfo attributes);
--   CDCTaskInfo.additional_config is its JSON text; cdc:show_all/show_task return rows keyed
--   by column name.
-- - stage and cdc (but build_mysql_uri) are MatrixOne only: on MySQL/MariaDB they raise the
--   unsupported error with nothing sent.
local core = require "mocore_core"
local B = require "mocore_managers_b"

local U = B.util
local argerror, str, int, flag, record, dicts = U.argerror, U.str, U.int, U.flag, U.record, U.dicts

local M = {}
local mocore   -- the mocore module (make_params), set by install

-- Named (one table, every name in pos and kw) or positional (only the names in pos).
local function args(op, pos, kw, ...)
  local n = select("#", ...)
  local first = ...
  if not (n == 1 and type(first) == "table" and getmetatable(first) == nil and first[1] == nil) and n > #pos then
    argerror(op, ("expected at most %d arguments (the others by name), got %d"):format(#pos, n))
  end
  local names = table.move(pos, 1, #pos, 1, {})
  table.move(kw or {}, 1, #(kw or {}), #names + 1, names)
  return U.args(op, names, ...)
end

local function records(kind, l)
  -- items are borrowed from the list: copy each while `l` is alive
  local out, get = {}, core["mo_" .. kind .. "_list_get"]
  for i = 0, core["mo_" .. kind .. "_list_count"](l) - 1 do out[i + 1] = record(kind, get(l, i)) end
  return out
end

local function text(op, what, v)
  local t = type(v)
  if t == "string" then return v end
  if t == "boolean" then return v and "true" or "false" end
  if t == "number" then return tostring(v) end
  argerror(op, ("%s values must be strings, numbers or booleans, not %s"):format(what, t))
end

-- {key = value} (key order) or { {key, value}, ... } (given order) -> ordered {{k, v}, ...}
local function pairs_of(op, what, t)
  if type(t) ~= "table" or getmetatable(t) ~= nil then
    argerror(op, ("%s must be a table {key = value} or an array of {key, value} pairs, not %s"):format(what, type(t)))
  end
  local out = {}
  if #t > 0 then
    for i, p in ipairs(t) do
      if type(p) ~= "table" or type(p[1]) ~= "string" then
        argerror(op, ("%s[%d] must be a {key, value} pair with a string key"):format(what, i))
      end
      out[i] = { p[1], p[2] }
    end
    local n = 0
    for _ in pairs(t) do n = n + 1 end
    if n ~= #t then argerror(op, what .. " mixes {key, value} pairs and key = value entries") end
    return out
  end
  for k, v in pairs(t) do
    if type(k) ~= "string" then argerror(op, ("%s keys must be strings, not %s"):format(what, type(k))) end
    out[#out + 1] = { k, v }
  end
  table.sort(out, function(x, y) return x[1] < y[1] end)
  return out
end

-- a key/value argument (or nil) -> mo_strmap (nil stays nil)
local function strmap(op, a, what)
  if a[what] == nil then return nil end
  local m = core.mo_strmap_new()
  for _, p in ipairs(pairs_of(op, what, a[what])) do
    local v = p[2]
    if v ~= nil then v = text(op, what, v) end
    core.mo_strmap_set(m, p[1], v)
  end
  return m
end

local function table_arg(op, a, name) return str(op, a, name or "table_name_or_model") end

local function func(op, a, name)
  local f = a[name]
  if f == nil or type(f) == "function" then return f end
  local mt = getmetatable(f)
  if type(mt) == "table" and mt.__call then return function(...) return f(...) end end
  argerror(op, ("%s must be a function(bytes_sent, total_bytes), not %s"):format(name, type(f)))
end

-- ---------------------------------------------------------------- load options
-- The keyword options of the SDK's from_file, in its order.
local option_names = { "fields_terminated_by", "fields_enclosed_by", "fields_optionally_enclosed",
                       "fields_escaped_by", "lines_terminated_by", "lines_starting_by", "ignore_lines",
                       "character_set", "parallel", "columns", "format", "jsondata", "compression",
                       "set_clause" }

-- a: the named arguments; sep_default: fields_terminated_by when not given ("," as the SDK's
-- from_file; nil for the JSON and parquet forms).
local function options(op, a, sep_default)
  local o = core.mo_load_options_new()
  local sep = sep_default
  if a.fields_terminated_by ~= nil then sep = str(op, a, "fields_terminated_by") end
  if sep ~= nil then core.mo_load_options_set_fields_terminated_by(o, sep) end
  if a.fields_enclosed_by ~= nil then
    core.mo_load_options_set_fields_enclosed_by(o, str(op, a, "fields_enclosed_by"),
                                                flag(op, a, "fields_optionally_enclosed"))
  else
    flag(op, a, "fields_optionally_enclosed")   -- still type-checked
  end
  local setters = { fields_escaped_by = core.mo_load_options_set_fields_escaped_by,
                    lines_terminated_by = core.mo_load_options_set_lines_terminated_by,
                    lines_starting_by = core.mo_load_options_set_lines_starting_by,
                    character_set = core.mo_load_options_set_character_set,
                    format = core.mo_load_options_set_format,
                    jsondata = core.mo_load_options_set_jsondata,
                    compression = core.mo_load_options_set_compression }
  for _, name in ipairs(option_names) do
    local set = setters[name]
    if set and a[name] ~= nil then set(o, str(op, a, name)) end
  end
  local skip = int(op, a, "ignore_lines", 0)
  if skip ~= 0 then core.mo_load_options_set_ignore_lines(o, skip) end
  if flag(op, a, "parallel") ~= 0 then core.mo_load_options_set_parallel(o, 1) end
  local cols = a.columns
  if cols ~= nil then
    if type(cols) ~= "table" then argerror(op, "columns must be an array of names, not " .. type(cols)) end
    for i = 1, #cols do
      if type(cols[i]) ~= "string" then argerror(op, ("columns[%d] must be a string, not %s"):format(i, type(cols[i]))) end
      core.mo_load_options_add_column(o, cols[i])
    end
  end
  if a.set_clause ~= nil then
    for _, p in ipairs(pairs_of(op, "set_clause", a.set_clause)) do
      if type(p[2]) ~= "string" then argerror(op, "set_clause expressions must be SQL text (strings)") end
      core.mo_load_options_add_set_expression(o, p[1], p[2])
    end
  end
  return o
end

local managers = {}

-- ---------------------------------------------------------------- load_data
local L = {}
managers.load_data = L

function L:from_file(...)
  local op = "load_data.from_file"
  local a = args(op, { "file_path", "table_name_or_model" }, option_names, ...)
  return core.mo_load_data_from_file(self.owner:_executor(), str(op, a, "file_path"), table_arg(op, a),
                                     options(op, a, ","))
end
function L:from_local_file(...)
  local op = "load_data.from_local_file"
  local a = args(op, { "file_path", "table_name_or_model", "progress" }, option_names, ...)
  local path, tbl, fn = str(op, a, "file_path"), table_arg(op, a), func(op, a, "progress")
  return core.mo_lua_load_data_from_local_file(self.owner:_executor(), path, tbl, options(op, a, ","), fn)
end
function L:from_stage(...)
  local op = "load_data.from_stage"
  local a = args(op, { "stage_name", "filename", "table_name_or_model" }, option_names, ...)
  return core.mo_load_data_from_stage(self.owner:_executor(), str(op, a, "stage_name"), str(op, a, "filename"),
                                      table_arg(op, a), options(op, a, ","))
end
function L:from_inline(...)
  local op = "load_data.from_inline"
  local a = args(op, { "data", "table_name_or_model" }, option_names, ...)
  return core.mo_load_data_from_inline(self.owner:_executor(), str(op, a, "data"), table_arg(op, a),
                                       options(op, a, ","))
end

-- read_csv's arguments -> from_file's option names
local csv_names = { "sep", "quotechar", "quoting", "escapechar", "skiprows", "names", "encoding", "parallel",
                    "compression", "set_clause" }
local function csv_options(a)
  return { fields_terminated_by = a.sep == nil and "," or a.sep, fields_enclosed_by = a.quotechar,
           fields_optionally_enclosed = a.quoting, fields_escaped_by = a.escapechar, ignore_lines = a.skiprows,
           columns = a.names, character_set = a.encoding, parallel = a.parallel, compression = a.compression,
           set_clause = a.set_clause }
end
local function with(o, extra)
  for k, v in pairs(extra) do o[k] = v end
  return o
end

function L:read_csv(...)
  local op = "load_data.read_csv"
  local pos = { "filepath_or_buffer", "table" }
  local a = args(op, table.move(csv_names, 1, #csv_names, 3, pos), { "inline" }, ...)
  if flag(op, a, "inline") ~= 0 then
    return self:read_csv_inline{ data = a.filepath_or_buffer, table = a.table, sep = a.sep, quotechar = a.quotechar }
  end
  return self:from_file(with(csv_options(a), { file_path = a.filepath_or_buffer, table_name_or_model = a.table }))
end
function L:read_csv_stage(...)
  local op = "load_data.read_csv_stage"
  local pos = { "stage_name", "filename", "table" }
  local a = args(op, table.move(csv_names, 1, #csv_names, 4, pos), nil, ...)
  return self:from_stage(with(csv_options(a), { stage_name = a.stage_name, filename = a.filename,
                                                table_name_or_model = a.table }))
end
function L:read_csv_inline(...)
  local a = args("load_data.read_csv_inline", { "data", "table", "sep", "quotechar" }, nil, ...)
  return self:from_inline{ data = a.data, table_name_or_model = a.table, fields_terminated_by = a.sep == nil and "," or a.sep,
                           fields_enclosed_by = a.quotechar, format = "csv" }
end

-- The brace forms (jsonline, parquet; no FIELDS TERMINATED BY). kind: "file" (path),
-- "stage" (stage_name, filename) or "inline" (data); the strings were checked by the caller.
local function brace(self, op, format, tbl, o, kind, x, y)
  local ex = self.owner:_executor()
  o.format = format
  local opts = options(op, o, nil)
  if kind == "file" then return core.mo_load_data_from_file(ex, x, tbl, opts) end
  if kind == "stage" then return core.mo_load_data_from_stage(ex, x, y, tbl, opts) end
  return core.mo_load_data_from_inline(ex, x, tbl, opts)
end

local orients = { records = "object", values = "array" }
local function jsondata(orient) return orients[orient] or "object" end   -- the SDK: other -> object

function L:read_json(...)
  local op = "load_data.read_json"
  local a = args(op, { "filepath_or_buffer", "table", "lines", "orient", "compression", "inline" }, nil, ...)
  flag(op, a, "lines")   -- the SDK's `lines` is ignored there too (JSON lines is the only form)
  if flag(op, a, "inline") ~= 0 then
    return self:read_json_inline{ data = a.filepath_or_buffer, table = a.table, orient = a.orient }
  end
  return brace(self, op, "jsonline", str(op, a, "table"),
               { jsondata = jsondata(a.orient), compression = a.compression }, "file", str(op, a, "filepath_or_buffer"))
end
function L:read_json_stage(...)
  local op = "load_data.read_json_stage"
  local a = args(op, { "stage_name", "filename", "table", "orient", "compression" }, nil, ...)
  return brace(self, op, "jsonline", str(op, a, "table"), { jsondata = jsondata(a.orient), compression = a.compression },
               "stage", str(op, a, "stage_name"), str(op, a, "filename"))
end
function L:read_json_inline(...)
  local op = "load_data.read_json_inline"
  local a = args(op, { "data", "table", "orient" }, nil, ...)
  return brace(self, op, "jsonline", str(op, a, "table"), { jsondata = jsondata(a.orient) }, "inline", str(op, a, "data"))
end
function L:read_parquet(...)
  local op = "load_data.read_parquet"
  local a = args(op, { "path", "table" }, nil, ...)
  return brace(self, op, "parquet", str(op, a, "table"), {}, "file", str(op, a, "path"))
end
function L:read_parquet_stage(...)
  local op = "load_data.read_parquet_stage"
  local a = args(op, { "stage_name", "filename", "table" }, nil, ...)
  return brace(self, op, "parquet", str(op, a, "table"), {}, "stage", str(op, a, "stage_name"), str(op, a, "filename"))
end

-- ---------------------------------------------------------------- stage
local S = {}
managers.stage = S

function S:create(...)
  local op = "stage.create"
  local a = args(op, { "name", "url", "credentials", "comment", "if_not_exists" }, nil, ...)
  return record("stage", core.mo_stage_create(self.owner:_executor(), str(op, a, "name"), str(op, a, "url"),
    strmap(op, a, "credentials"), str(op, a, "comment", true), flag(op, a, "if_not_exists")))
end
function S:create_local(...)
  local op = "stage.create_local"
  local a = args(op, { "name", "path", "comment", "if_not_exists" }, nil, ...)
  return record("stage", core.mo_stage_create_local(self.owner:_executor(), str(op, a, "name"), str(op, a, "path"),
    str(op, a, "comment", true), flag(op, a, "if_not_exists")))
end
function S:create_s3(...)
  local op = "stage.create_s3"
  local a = args(op, { "name", "bucket", "path", "aws_key_id", "aws_secret_key", "aws_region", "endpoint",
                       "comment", "if_not_exists" }, nil, ...)
  if a.path == nil then a.path = "" end
  return record("stage", core.mo_stage_create_s3(self.owner:_executor(), str(op, a, "name"), str(op, a, "bucket"),
    str(op, a, "path"), str(op, a, "aws_key_id", true), str(op, a, "aws_secret_key", true),
    str(op, a, "aws_region", true), str(op, a, "endpoint", true), str(op, a, "comment", true),
    flag(op, a, "if_not_exists")))
end
function S:alter(...)
  local op = "stage.alter"
  local a = args(op, { "name", "url", "credentials", "comment", "enable", "if_exists" }, nil, ...)
  local enable = a.enable == nil and -1 or flag(op, a, "enable")
  return record("stage", core.mo_stage_alter(self.owner:_executor(), str(op, a, "name"), str(op, a, "url", true),
    strmap(op, a, "credentials"), str(op, a, "comment", true), enable, flag(op, a, "if_exists")))
end
function S:drop(...)
  local op = "stage.drop"
  local a = args(op, { "name", "if_exists" }, nil, ...)
  core.mo_stage_drop(self.owner:_executor(), str(op, a, "name"), flag(op, a, "if_exists"))
end
function S:show(...)
  local op = "stage.show"
  local a = args(op, { "like_pattern" }, nil, ...)
  return records("stage", core.mo_stage_show(self.owner:_executor(), str(op, a, "like_pattern", true)))
end
function S:list() return records("stage", core.mo_stage_list_stages(self.owner:_executor())) end
function S:get(...)
  local a = args("stage.get", { "name" }, nil, ...)
  return record("stage", core.mo_stage_get(self.owner:_executor(), str("stage.get", a, "name")))
end
function S:exists(...)
  local a = args("stage.exists", { "name" }, nil, ...)
  return core.mo_stage_exists(self.owner:_executor(), str("stage.exists", a, "name")) ~= 0
end

-- ---------------------------------------------------------------- cdc
local C = {}
managers.cdc = C

-- The SDK's table_mappings: {src = sink} (key order), an array of "a:b" strings, of
-- {"db.t", "sdb.st"} pairs, or of {db, t[, st | sdb, st]} -> the strmap of cdc.h.
local function mappings(op, a)
  local tm = a.table_mappings
  if type(tm) ~= "table" or next(tm) == nil then argerror(op, "table_mappings must be a non-empty table") end
  local m = core.mo_strmap_new()
  if #tm == 0 then
    for _, p in ipairs(pairs_of(op, "table_mappings", tm)) do
      if type(p[2]) ~= "string" then argerror(op, "table_mappings values must be strings") end
      core.mo_strmap_set(m, p[1] .. ":" .. p[2], nil)
    end
    return m
  end
  for i, item in ipairs(tm) do
    local bad = ("invalid table mapping entry %d"):format(i)
    if type(item) == "string" then
      core.mo_strmap_set(m, item, nil)
    elseif type(item) == "table" and #item >= 2 and #item <= 4 then
      for k = 1, #item do
        if type(item[k]) ~= "string" then argerror(op, bad .. ": its parts must be strings") end
      end
      if #item == 2 and item[1]:find(".", 1, true) and item[2]:find(".", 1, true) then
        core.mo_strmap_set(m, item[1] .. ":" .. item[2], nil)
      else
        local value = #item == 3 and item[3] or #item == 4 and (item[3] .. "." .. item[4]) or nil
        core.mo_strmap_set(m, item[1] .. "." .. item[2], value)
      end
    else
      argerror(op, bad .. ": a string or an array of 2 to 4 strings")
    end
  end
  return m
end

function C:build_mysql_uri(...)
  local op = "cdc.build_mysql_uri"
  local a = args(op, { "host", "port", "user", "password", "account" }, nil, ...)
  local port = int(op, a, "port")
  if port < 0 or port > 0xffffffff then argerror(op, "port must be between 1 and 65535") end
  return core.mo_cdc_build_mysql_uri(self.owner:_executor(), str(op, a, "host"), port, str(op, a, "user"),
                                     a.password == nil and "" or str(op, a, "password"), str(op, a, "account", true))
end
local task_head = { "task_name", "source_uri", "sink_type", "sink_uri" }
local function head(op, a)
  return str(op, a, "task_name"), str(op, a, "source_uri"), str(op, a, "sink_type"), str(op, a, "sink_uri")
end
function C:create(...)
  local op = "cdc.create"
  local a = args(op, { "task_name", "source_uri", "sink_type", "sink_uri", "table_mapping", "options" }, nil, ...)
  local t, s, k, u = head(op, a)
  return record("cdc_task", core.mo_cdc_create(self.owner:_executor(), t, s, k, u, str(op, a, "table_mapping"),
                                               strmap(op, a, "options")))
end
function C:create_database_task(...)
  local op = "cdc.create_database_task"
  local a = args(op, { "task_name", "source_uri", "sink_type", "sink_uri", "source_database", "sink_database",
                       "options" }, nil, ...)
  local t, s, k, u = head(op, a)
  return record("cdc_task", core.mo_cdc_create_database_task(self.owner:_executor(), t, s, k, u,
    str(op, a, "source_database"), str(op, a, "sink_database", true), strmap(op, a, "options")))
end
function C:create_table_task(...)
  local op = "cdc.create_table_task"
  local a = args(op, { "task_name", "source_uri", "sink_type", "sink_uri", "table_mappings", "options" }, nil, ...)
  local t, s, k, u = head(op, a)
  return record("cdc_task", core.mo_cdc_create_table_task(self.owner:_executor(), t, s, k, u, mappings(op, a),
                                                          strmap(op, a, "options")))
end
for _, name in ipairs({ "drop", "pause", "resume", "restart" }) do
  local fn, op = core["mo_cdc_" .. name], "cdc." .. name
  C[name] = function(self, ...)
    local a = args(op, { "task_name" }, nil, ...)
    fn(self.owner:_executor(), str(op, a, "task_name"))
  end
end
function C:drop_all() core.mo_cdc_drop_all(self.owner:_executor()) end
function C:pause_all() core.mo_cdc_pause_all(self.owner:_executor()) end
function C:show_all() return dicts(core.mo_cdc_show_all(self.owner:_executor())) end
function C:show_task(...)
  local a = args("cdc.show_task", { "task_name" }, nil, ...)
  return dicts(core.mo_cdc_show_task(self.owner:_executor(), str("cdc.show_task", a, "task_name")))
end
function C:list(...)
  local a = args("cdc.list", { "task_name" }, nil, ...)
  return records("cdc_task", core.mo_cdc_list_tasks(self.owner:_executor(), str("cdc.list", a, "task_name", true)))
end
function C:get(...)
  local a = args("cdc.get", { "task_name" }, nil, ...)
  return record("cdc_task", core.mo_cdc_get(self.owner:_executor(), str("cdc.get", a, "task_name")))
end
function C:exists(...)
  local a = args("cdc.exists", { "task_name" }, nil, ...)
  return core.mo_cdc_exists(self.owner:_executor(), str("cdc.exists", a, "task_name")) ~= 0
end
function C:list_watermarks(...)
  local op = "cdc.list_watermarks"
  local a = args(op, { "task_name" }, nil, ...)
  return records("cdc_watermark", core.mo_cdc_list_watermarks(self.owner:_executor(), str(op, a, "task_name", true)))
end
function C:list_failing_tasks() return records("cdc_task", core.mo_cdc_list_failing_tasks(self.owner:_executor())) end
function C:list_stuck_tasks() return records("cdc_task", core.mo_cdc_list_stuck_tasks(self.owner:_executor())) end
-- default_threshold: seconds (a number; nil = 10 minutes); thresholds: {["task.table"|"table"] =
-- seconds or "90s" / "5m" / "1h" / "250ms"}; now_ms: milliseconds since the epoch (0 = now).
function C:list_late_table_watermarks(...)
  local op = "cdc.list_late_table_watermarks"
  local a = args(op, {}, { "task_name", "default_threshold", "thresholds", "now_ms" }, ...)
  local ms = -1
  if a.default_threshold ~= nil then
    if type(a.default_threshold) ~= "number" then argerror(op, "default_threshold must be a number of seconds") end
    ms = math.floor(a.default_threshold * 1000)
  end
  return records("cdc_watermark", core.mo_cdc_list_late_table_watermarks(self.owner:_executor(),
    str(op, a, "task_name", true), ms, strmap(op, a, "thresholds"), int(op, a, "now_ms", 0)))
end

-- ---------------------------------------------------------------- export
local E = {}
managers.export = E

local function params(op, a)
  local p = a.params
  if p == nil then return nil end
  if type(p) ~= "table" then argerror(op, "params must be an array of values") end
  return mocore.make_params(p)
end
local csv = { "sep", "quotechar", "lineterminator", "header", "params" }
local function csv_args(op, a)
  return a.sep == nil and "," or str(op, a, "sep"), str(op, a, "quotechar", true),
         a.lineterminator == nil and "\n" or str(op, a, "lineterminator"), flag(op, a, "header")
end
function E:to_csv(...)
  local op = "export.to_csv"
  local a = args(op, { "path", "query" }, csv, ...)
  local path, query = str(op, a, "path"), str(op, a, "query")
  local sep, q, lt, header = csv_args(op, a)
  return core.mo_export_to_csv(self.owner:_executor(), path, query, params(op, a), sep, q, lt, header)
end
function E:to_jsonl(...)
  local op = "export.to_jsonl"
  local a = args(op, { "path", "query" }, { "params" }, ...)
  local path, query = str(op, a, "path"), str(op, a, "query")
  return core.mo_export_to_jsonl(self.owner:_executor(), path, query, params(op, a))
end
function E:to_csv_stage(...)
  local op = "export.to_csv_stage"
  local a = args(op, { "stage_name", "filename", "query" }, csv, ...)
  local st, fname, query = str(op, a, "stage_name"), str(op, a, "filename"), str(op, a, "query")
  local sep, q, lt, header = csv_args(op, a)
  return core.mo_export_to_csv_stage(self.owner:_executor(), st, fname, query, params(op, a), sep, q, lt, header)
end
function E:to_jsonl_stage(...)
  local op = "export.to_jsonl_stage"
  local a = args(op, { "stage_name", "filename", "query" }, { "params" }, ...)
  local st, fname, query = str(op, a, "stage_name"), str(op, a, "filename"), str(op, a, "query")
  return core.mo_export_to_jsonl_stage(self.owner:_executor(), st, fname, query, params(op, a))
end

-- Every public method checks that it is called as a method (c.load_data:read_csv{...}).
for name, cls in pairs(managers) do
  cls.__index = cls
  for mname, fn in pairs(cls) do
    if type(fn) == "function" then
      cls[mname] = function(self, ...)
        if type(self) ~= "table" or not self.owner then
          argerror(name .. "." .. mname, "call it as a method: " .. name .. ":" .. mname .. "{...}")
        end
        return fn(self, ...)
      end
    end
  end
end

-- Install the manager attributes on a class whose instances have :_executor(); mod is the
-- mocore module (its make_params renders export parameters).
function M.install(cls, mod)
  mocore = mod
  local index = cls.__index
  cls.__index = function(obj, key)
    local m = managers[key]
    if m then
      local mgr = setmetatable({ owner = obj }, m)
      rawset(obj, key, mgr)
      return mgr
    end
    if type(index) == "function" then return index(obj, key) end
    return index[key]
  end
end

-- connect option local_infile_dirs: a directory or an array of them -> the config.
function M.local_infile_dirs(cfg, v)
  local dirs = type(v) == "table" and v or { v }
  for i = 1, #dirs do
    if type(dirs[i]) ~= "string" then argerror("client.connect", "local_infile_dirs must be a directory or an array of them") end
    core.mo_config_add_local_infile_dir(cfg, dirs[i])
  end
end

M.names = {}
for k in pairs(managers) do M.names[#M.names + 1] = k end
table.sort(M.names)

return M
