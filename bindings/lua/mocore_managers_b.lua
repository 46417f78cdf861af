-- bindings/lua/mocore_managers_b.lua — Managers-B for the Lua binding: vector_ops,
-- fulltext_index, metadata, moctl and the table helpers, with the MatrixOne Python SDK's names.
--
--   client.vector_ops:create_ivf{ table_name = "items", name = "idx", column = "embedding" }
--   local hits = client.vector_ops:similarity_search{ table_name = "items",
--       vector_column = "embedding", query_vector = {0.1, 0.2, 0.3}, limit = 5,
--       where_clause = "category = ?", where_params = {"books"} }   -- rows keyed by column
--   client:insert("items", { id = 1, embedding = {0.5, 1.25} })
--   client:batch_insert("items", { {id = 1, v = {1, 2}}, {id = 2, v = mocore.null} })
--   client:create_table("t", { {"id", "int"}, {"v", "vecf32(3)"} }, "id")   -- ordered pairs
--   client.fulltext_index:search{ table_name = "docs", columns = {"title"}, query = "db" }
--
-- Arguments by name in one table, or positionally in the SDK's order. Vectors are arrays of
-- numbers. Column lists may be an array or a comma-separated string. Search results are arrays
-- of tables keyed by column name (a NULL is a missing key); the searched vector column's values
-- are arrays of numbers (MatrixOne sends vector columns as text: a plain execute returns the
-- string "[1,2.5]"). Errors are mocore error tables;
-- an unknown distance_type / op_type / rank_mode / mode is invalid_argument.
local core = require "mocore_core"

local M = {}

local function argerror(op, msg)
  error(setmetatable({ category = "invalid_argument", status = core.MO_E_INVALID_ARGUMENT, code = 0,
                       sqlstate = "", message = msg, operation = op },
                     { __name = "mocore.Error",
                       __tostring = function(e)
                         return ("mocore invalid_argument error (0) in %s: %s"):format(e.operation, e.message)
                       end }), 4)
end

-- Named (one table) or positional arguments -> table keyed by the names.
local function args(op, names, ...)
  local n = select("#", ...)
  local first = ...
  if n == 1 and type(first) == "table" and getmetatable(first) == nil and first[1] == nil then
    for k in pairs(first) do
      local known = false
      for _, name in ipairs(names) do if name == k then known = true end end
      if not known then argerror(op, "unknown argument " .. tostring(k)) end
    end
    return first
  end
  if n > #names then argerror(op, ("expected at most %d arguments, got %d"):format(#names, n)) end
  local a = {}
  for i = 1, n do a[names[i]] = (select(i, ...)) end
  return a
end

local function str(op, a, name, optional)
  local v = a[name]
  if v == nil then
    if optional then return nil end
    argerror(op, name .. " is required (got nil)")
  end
  if type(v) ~= "string" then argerror(op, ("%s must be a string, not %s"):format(name, type(v))) end
  return v
end

local function list(op, a, name, optional)
  local v = a[name]
  if type(v) == "table" then
    for i = 1, #v do
      if type(v[i]) ~= "string" then argerror(op, ("%s[%d] must be a string"):format(name, i)) end
    end
    if #v == 0 then argerror(op, name .. " must not be empty") end
    return table.concat(v, ", ")
  end
  return str(op, a, name, optional)
end

local function int(op, a, name, default, min)
  local v = a[name]
  if v == nil then v = default end
  local n = math.type(v) and math.tointeger(v)
  if not n then argerror(op, ("%s must be an integer, not %s"):format(name, math.type(v) or type(v))) end
  if min and n < min then argerror(op, ("%s must be >= %d, got %d"):format(name, min, n)) end
  return n
end

local function choice(op, a, name, tbl, default)
  local v = a[name]
  if v == nil then v = default end
  local c = type(v) == "string" and tbl[v:lower()]
  if not c then argerror(op, ("%s: unknown value %s"):format(name, tostring(v))) end
  return c
end

local function flag(op, a, name)
  local v = a[name]
  if v == nil then return 0 end
  if type(v) ~= "boolean" then argerror(op, ("%s must be a boolean, not %s"):format(name, type(v))) end
  return v and 1 or 0
end

local distances = { l2 = core.MO_VECTOR_L2, cosine = core.MO_VECTOR_COSINE,
                    inner_product = core.MO_VECTOR_INNER_PRODUCT }
local ops = { vector_l2_ops = core.MO_VECTOR_L2, vector_cosine_ops = core.MO_VECTOR_COSINE,
              vector_ip_ops = core.MO_VECTOR_INNER_PRODUCT }
local ranks = { post = core.MO_IVF_RANK_POST, pre = core.MO_IVF_RANK_PRE, force = core.MO_IVF_RANK_FORCE }
local ft_modes = { natural = core.MO_FULLTEXT_NATURAL, boolean = core.MO_FULLTEXT_BOOLEAN,
                   query_expansion = core.MO_FULLTEXT_QUERY_EXPANSION }

-- MatrixOne's text of a vector ("[1,2.5]") -> an array of numbers; anything else unchanged.
local function vector(v)
  if type(v) ~= "string" or v:sub(1, 1) ~= "[" or v:sub(-1) ~= "]" then return v end
  local out = {}
  for item in v:sub(2, -2):gmatch("[^,]+") do
    local n = tonumber(item)
    if n == nil then return v end
    out[#out + 1] = n + 0.0
  end
  return out
end

-- rows of a result handle as tables keyed by column name; vector_column (the searched vector
-- column) as arrays of numbers even where the server sends it as text (MatrixOne's vecf32/vecf64)
local function dicts(h, vector_column)
  local cols = {}
  for i = 0, core.mo_result_column_count(h) - 1 do cols[i + 1] = core.mo_result_column_name(h, i) end
  local out = {}
  for row in core.mo_lua_fetch, h do
    local d = {}
    for i, c in ipairs(cols) do
      d[c] = row[i]
      if c == vector_column then d[c] = vector(row[i]) end
    end
    out[#out + 1] = d
  end
  return out
end

local mocore   -- the mocore module (make_params), set by install

local function where(op, a)
  local w = str(op, a, "where_clause", true)
  local p = a.where_params
  if p ~= nil and type(p) ~= "table" then argerror(op, "where_params must be an array of values") end
  return w, p and mocore.make_params(p) or nil
end

-- {col = value, ...} rows -> sorted column names + one params of every row's values
local function rows_params(op, rows)
  if type(rows[1]) ~= "table" then argerror(op, "a row must be a table (column -> value)") end
  local cols = {}
  for k in pairs(rows[1]) do
    if type(k) ~= "string" then argerror(op, "column names must be strings") end
    cols[#cols + 1] = k
  end
  if #cols == 0 then argerror(op, "a row must have at least one column") end
  table.sort(cols)   -- Lua tables have no order: columns go in name order
  local values = {}
  for r, row in ipairs(rows) do
    if type(row) ~= "table" then argerror(op, ("row %d must be a table"):format(r)) end
    local n = 0
    for _ in pairs(row) do n = n + 1 end
    if n ~= #cols then argerror(op, ("row %d must have exactly the columns of row 1"):format(r)) end
    for _, c in ipairs(cols) do
      local v = row[c]
      if v == nil then argerror(op, ("row %d has no column %s"):format(r, c)) end
      values[#values + 1] = v
    end
  end
  return cols, mocore.make_params(values)
end

local function table_name(op, a) return str(op, a, "table_name") end

local managers = {}

-- ---------------------------------------------------------------- vector_ops
local V = {}
managers.vector_ops = V
function V:create_ivf(...)
  local op = "vector_ops.create_ivf"
  local a = args(op, { "table_name", "name", "column", "lists", "op_type" }, ...)
  core.mo_vector_create_ivf(self.owner:_executor(), table_name(op, a), str(op, a, "name"),
                            str(op, a, "column"), int(op, a, "lists", 100, 1),
                            choice(op, a, "op_type", ops, "vector_l2_ops"))
  return self
end
function V:create_hnsw(...)
  local op = "vector_ops.create_hnsw"
  local a = args(op, { "table_name", "name", "column", "m", "ef_construction", "ef_search", "op_type" }, ...)
  core.mo_vector_create_hnsw(self.owner:_executor(), table_name(op, a), str(op, a, "name"),
                             str(op, a, "column"), int(op, a, "m", 16, 1),
                             int(op, a, "ef_construction", 200, 1), int(op, a, "ef_search", 50, 1),
                             choice(op, a, "op_type", ops, "vector_l2_ops"))
  return self
end
function V:drop(...)
  local op = "vector_ops.drop"
  local a = args(op, { "table_name", "name" }, ...)
  core.mo_vector_drop(self.owner:_executor(), table_name(op, a), str(op, a, "name"))
  return self
end
function V:enable_ivf(...)
  local a = args("vector_ops.enable_ivf", { "probe_limit" }, ...)
  core.mo_vector_enable_ivf(self.owner:_executor(), int("vector_ops.enable_ivf", a, "probe_limit", 1, 1))
  return self
end
function V:disable_ivf() core.mo_vector_disable_ivf(self.owner:_executor()); return self end
function V:enable_hnsw() core.mo_vector_enable_hnsw(self.owner:_executor()); return self end
function V:disable_hnsw() core.mo_vector_disable_hnsw(self.owner:_executor()); return self end
function V:insert(...)
  local op = "vector_ops.insert"
  local a = args(op, { "table_name", "data" }, ...)
  if type(a.data) ~= "table" then argerror(op, "data must be a table (column -> value)") end
  local cols, p = rows_params(op, { a.data })
  core.mo_vector_insert(self.owner:_executor(), table_name(op, a), cols, p)
  return self
end
function V:batch_insert(...)
  local op = "vector_ops.batch_insert"
  local a = args(op, { "table_name", "data_list" }, ...)
  if type(a.data_list) ~= "table" then argerror(op, "data_list must be an array of rows") end
  if #a.data_list > 0 then
    local cols, p = rows_params(op, a.data_list)
    core.mo_vector_batch_insert(self.owner:_executor(), table_name(op, a), cols, p, #a.data_list)
  end
  return self
end
function V:similarity_search(...)
  local op = "vector_ops.similarity_search"
  local a = args(op, { "table_name", "vector_column", "query_vector", "limit", "select_columns",
                       "where_clause", "distance_type", "where_params" }, ...)
  local w, p = where(op, a)
  return dicts(core.mo_vector_similarity_search(self.owner:_executor(), table_name(op, a),
    str(op, a, "vector_column"), a.query_vector, int(op, a, "limit", 10, 1),
    list(op, a, "select_columns", true), w, p, choice(op, a, "distance_type", distances, "l2")), a.vector_column)
end
function V:range_search(...)
  local op = "vector_ops.range_search"
  local a = args(op, { "table_name", "vector_column", "query_vector", "max_distance",
                       "select_columns", "where_clause", "where_params" }, ...)
  if type(a.max_distance) ~= "number" then argerror(op, "max_distance must be a number") end
  local w, p = where(op, a)
  return dicts(core.mo_vector_range_search(self.owner:_executor(), table_name(op, a),
    str(op, a, "vector_column"), a.query_vector, a.max_distance + 0.0,
    list(op, a, "select_columns", true), w, p), a.vector_column)
end
function V:search_with_rank(...)
  local op = "vector_ops.search_with_rank"
  local a = args(op, { "table_name", "vector_column", "query_vector", "limit", "select_columns",
                       "where_clause", "distance_type", "rank_mode", "where_params" }, ...)
  local w, p = where(op, a)
  return dicts(core.mo_vector_search_with_rank(self.owner:_executor(), table_name(op, a),
    str(op, a, "vector_column"), a.query_vector, int(op, a, "limit", 10, 1),
    list(op, a, "select_columns", true), w, p, choice(op, a, "distance_type", distances, "l2"),
    choice(op, a, "rank_mode", ranks, "post")), a.vector_column)
end
function V:get_ivf_stats(...)
  local op = "vector_ops.get_ivf_stats"
  local a = args(op, { "table_name", "column_name", "database" }, ...)
  local s = core.mo_vector_get_ivf_stats(self.owner:_executor(), table_name(op, a),
                                         str(op, a, "column_name", true), str(op, a, "database", true))
  local tables = {}
  for _, kind in ipairs({ "metadata", "centroids", "entries" }) do
    tables[kind] = core.mo_ivf_stats_index_table(s, kind)
  end
  local dist = { centroid_count = {}, centroid_id = {}, centroid_version = {} }
  for i = 0, core.mo_ivf_stats_centroid_count(s) - 1 do
    local id, version, count = core.mo_ivf_stats_centroid(s, i)
    table.insert(dist.centroid_count, count)
    table.insert(dist.centroid_id, id)
    table.insert(dist.centroid_version, version)
  end
  return { index_tables = tables, distribution = dist, database = core.mo_ivf_stats_database(s),
           table_name = core.mo_ivf_stats_table_name(s), column_name = core.mo_ivf_stats_column_name(s) }
end

-- ---------------------------------------------------------------- fulltext_index
local F = {}
managers.fulltext_index = F
function F:create(...)
  local op = "fulltext_index.create"
  local a = args(op, { "table_name", "name", "columns", "algorithm", "parser" }, ...)
  core.mo_fulltext_create(self.owner:_executor(), table_name(op, a), str(op, a, "name"),
                          list(op, a, "columns"), str(op, a, "parser", true))
  return self
end
function F:drop(...)
  local op = "fulltext_index.drop"
  local a = args(op, { "table_name", "name" }, ...)
  core.mo_fulltext_drop(self.owner:_executor(), table_name(op, a), str(op, a, "name"))
  return self
end
function F:enable_fulltext() core.mo_fulltext_enable(self.owner:_executor()); return self end
function F:disable_fulltext() core.mo_fulltext_disable(self.owner:_executor()); return self end
function F:search(...)
  local op = "fulltext_index.search"
  local a = args(op, { "table_name", "columns", "query", "mode", "select_columns", "where_clause",
                       "limit", "where_params" }, ...)
  local w, p = where(op, a)
  return dicts(core.mo_fulltext_search(self.owner:_executor(), table_name(op, a),
    list(op, a, "columns"), str(op, a, "query"), choice(op, a, "mode", ft_modes, "natural"),
    list(op, a, "select_columns", true), w, p, a.limit == nil and 0 or int(op, a, "limit", 0, 1)))
end

-- ---------------------------------------------------------------- metadata
local fields_cache = {}
local function record(kind, h)
  local f = fields_cache[kind]
  if not f then
    f = {}
    for attr, suffix, t in core.mo_swig_record_fields(kind):gmatch("([%w_]+):([%w_]+):(%a)") do
      f[#f + 1] = { attr, core["mo_" .. kind .. "_" .. suffix], t }
    end
    fields_cache[kind] = f
  end
  local r = {}
  for _, x in ipairs(f) do
    local v = x[2](h)
    if x[3] == "b" then v = v ~= 0 end
    r[x[1]] = v
  end
  return r
end

local Md = {}
managers.metadata = Md
local scan_names = { "dbname", "tablename", "is_tombstone", "indexname", "columns", "distinct_object_name" }
-- scan{...}: columns nil -> the rows as arrays (the raw result), "*" -> MetadataRow tables,
-- a list -> tables with those keys
function Md:scan(...)
  local op = "metadata.scan"
  local a = args(op, scan_names, ...)
  local ex = self.owner:_executor()
  local db, t = str(op, a, "dbname"), str(op, a, "tablename")
  local tomb, idx, dist = flag(op, a, "is_tombstone"), str(op, a, "indexname", true), flag(op, a, "distinct_object_name")
  if a.columns == "*" or (type(a.columns) == "table" and #a.columns == 0) then
    local l = core.mo_metadata_scan_rows(ex, db, t, tomb, idx, dist)
    local out = {}
    for i = 0, core.mo_metadata_row_list_count(l) - 1 do
      out[i + 1] = record("metadata_row", core.mo_metadata_row_list_get(l, i))
    end
    return out
  end
  local h = core.mo_metadata_scan(ex, db, t, tomb, idx, dist, list(op, a, "columns", true))
  if a.columns == nil then
    local rows = {}
    for row in core.mo_lua_fetch, h do rows[#rows + 1] = row end
    return rows
  end
  return dicts(h)
end
local function stats(self, op, fn, detail, ...)
  local a = args(op, { "dbname", "tablename", "is_tombstone", "indexname", "include_tombstone", "include_indexes" }, ...)
  local l = fn(self.owner:_executor(), str(op, a, "dbname"), str(op, a, "tablename"),
               flag(op, a, "is_tombstone"), str(op, a, "indexname", true),
               flag(op, a, "include_tombstone"), list(op, a, "include_indexes", true))
  local out = {}
  for i = 0, core.mo_table_stats_list_count(l) - 1 do
    local r = record("table_stats", core.mo_table_stats_list_get(l, i))
    local e = { row_cnt = r.row_cnt, null_cnt = r.null_cnt, original_size = r.original_size_text,
                compress_size = r.compress_size_text }
    if detail then
      e.object_name, e.create_ts, e.delete_ts = r.object_name, r.create_ts, r.delete_ts
      out[r.key] = out[r.key] or {}
      table.insert(out[r.key], e)
    else
      e.total_objects = r.total_objects
      out[r.key] = e
    end
  end
  return out
end
function Md:get_table_brief_stats(...)
  return stats(self, "metadata.get_table_brief_stats", core.mo_metadata_brief_stats, false, ...)
end
function Md:get_table_detail_stats(...)
  return stats(self, "metadata.get_table_detail_stats", core.mo_metadata_detail_stats, true, ...)
end

-- ---------------------------------------------------------------- moctl
local C = {}
managers.moctl = C
-- each returns { method = ..., return_str = ..., json = <the server's JSON text> }
local function moctl(h)
  return { method = core.mo_moctl_result_method(h), return_str = core.mo_moctl_result_return_str(h),
           json = core.mo_moctl_result_json(h) }
end
function C:flush_table(...)
  local op = "moctl.flush_table"
  local a = args(op, { "database", "table" }, ...)
  return moctl(core.mo_moctl_flush_table(self.owner:_executor(), str(op, a, "database"), str(op, a, "table")))
end
function C:increment_checkpoint() return moctl(core.mo_moctl_increment_checkpoint(self.owner:_executor())) end
function C:global_checkpoint() return moctl(core.mo_moctl_global_checkpoint(self.owner:_executor())) end

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

-- ---------------------------------------------------------------- table helpers (methods)
local helpers = {}
-- client:insert(table_name, {col = value, ...}) -> affected rows
function helpers.insert(self, ...)
  local op = "table.insert"
  local a = args(op, { "table_name", "data" }, ...)
  if type(a.data) ~= "table" then argerror(op, "data must be a table (column -> value)") end
  local cols, p = rows_params(op, { a.data })
  return core.mo_table_insert(self:_executor(), table_name(op, a), cols, p)
end
-- client:batch_insert(table_name, {row, row, ...}) -> affected rows (0 and nothing sent for {})
function helpers.batch_insert(self, ...)
  local op = "table.batch_insert"
  local a = args(op, { "table_name", "data_list" }, ...)
  if type(a.data_list) ~= "table" then argerror(op, "data_list must be an array of rows") end
  if #a.data_list == 0 then return 0 end
  local cols, p = rows_params(op, a.data_list)
  return core.mo_table_batch_insert(self:_executor(), table_name(op, a), cols, p, #a.data_list)
end
-- client:create_table(table_name, {{"id", "int"}, {"v", "vecf32(3)"}}, primary_key)
function helpers.create_table(self, ...)
  local op = "table.create_table"
  local a = args(op, { "table_name", "columns", "primary_key" }, ...)
  if type(a.columns) ~= "table" or #a.columns == 0 then
    argerror(op, "columns must be an array of {name, type} pairs (Lua tables have no order)")
  end
  core.mo_table_create(self:_executor(), table_name(op, a), a.columns, list(op, a, "primary_key", true))
  return self
end
function helpers.drop_table(self, ...)
  local op = "table.drop_table"
  local a = args(op, { "table_name" }, ...)
  core.mo_table_drop(self:_executor(), table_name(op, a))
  return self
end

-- on_connect actions: a name or an array of names -> flags
function M.actions(v)
  local names = type(v) == "table" and v or { v }
  local flags = 0
  for i = 1, #names do
    if type(names[i]) ~= "string" then argerror("client.connect", "on_connect must be action names") end
    flags = flags | core.mo_connect_action_parse(names[i])
  end
  return flags
end

-- Install the manager attributes and table helpers on a class whose instances have
-- :_executor(); mod is the mocore module (its make_params renders row values).
function M.install(cls, mod)
  mocore = mod
  for k, fn in pairs(helpers) do cls[k] = fn end
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

-- The argument helpers, shared with mocore_managers_load.lua (one copy).
M.util = { argerror = argerror, args = args, str = str, int = int, flag = flag, record = record, dicts = dicts }

M.names = {}
for k in pairs(managers) do M.names[#M.names + 1] = k end
table.sort(M.names)

return M
