-- bindings/lua/mocore_managers_runtime.lua — what the generated managers (mocore_managers.lua,
-- from bindings/managers.toml) call: the arity checks, the one argument converter (the checks of
-- [types] in the description, then a builder per type), the result kinds and the description's few `custom` bodies.
--
-- Every argument error is the invalid_argument error table with the method's operation and
-- one of the description's messages ([messages] and [value_kinds], handed over by the
-- generated module through R.describe), the same text as in Python and Ruby. What is Lua's
-- own here, because Lua has no such value:
-- - a call is m:f(a, b), m:f{ a = ..., b = ... } or both in one table (m:f{ a, b = ... });
--   nil is "not given" (the default applies), mocore.null is "no value";
-- - key/value maps (credentials, options, set_clause, thresholds) may also be an array of
--   {key, value} pairs, sent in that order (a Lua table has none: a map goes in key order);
-- - create_table's columns are an array of {name, type} pairs (a map has no column order);
-- - a record field the description converts (a time, an enum member, JSON) stays C's text.
local core = require "mocore_core"

local R = { core = core, custom = {} }

local messages, kinds, types, options
local NULL, tagged, make_params, new_result   -- from mocore.lua (R.setup)

function R.describe(d) messages, kinds, types = d.messages, d.value_kinds, d.types end
function R.describe_load_options(list) options = list end

function R.setup(mocore)
  local I = mocore._internal
  NULL, tagged, make_params, new_result = mocore.null, I.tagged, I.make_params, I.result
  R.NULL = NULL   -- "no value": what an alias gives for an option it unsets
end

-- ---------------------------------------------------------------- errors

local raise = core.mo_lua_raise_invalid   -- (operation, message): the binding's one error table

local function message(key, fields)
  return (messages[key]:gsub("{(%w+)}", function(k) return tostring(fields[k]) end))
end

-- a table of the caller's (a JSON decoder's tables included), not one of mocore's values
-- (mocore.null, mocore.blob(...), ...)
local function plain(x) return type(x) == "table" and x ~= NULL and getmetatable(x) ~= tagged end

-- a sequence (every key 1..#x; an empty table is one)
local function is_list(x)
  local n = 0
  for _ in pairs(x) do n = n + 1 end
  return n == #x
end

-- the key of [value_kinds] of a value's kind (a table with __call is a function)
local function kind_key(x)
  if x == nil or x == NULL then return "null" end
  local t, mt = type(x), getmetatable(x)
  if t == "boolean" or t == "string" or t == "function" then return t end
  if t == "number" then return math.type(x) == "integer" and "integer" or "number" end
  if t ~= "table" then return "object" end
  if mt == tagged then return x.kind == "blob" and "bytes" or "object" end
  if type(mt) == "table" and mt.__call then return "function" end
  return is_list(x) and "list" or "map"
end

-- how a message names the kind of a value ({got})
local function kind(x) return kinds[kind_key(x)] end

local function type_error(op, arg, what, x)
  raise(op, message("type", { arg = arg, expected = types[what] and types[what].expected or what, got = kind(x) }))
end

local function quoted(words)
  local q = {}
  for i, w in ipairs(words) do q[i] = "'" .. w .. "'" end
  return table.concat(q, ", ")
end

-- ---------------------------------------------------------------- converters

local function scalar_text(op, arg, x)
  local t = type(x)
  if t == "string" then return x end
  if t == "boolean" then return x and "true" or "false" end
  if t == "number" then return tostring(math.tointeger(x) or x) end
  type_error(op, arg, "string", x)
end

-- a map {key = value} (in key order) or an array of {key, value} pairs (in the order given)
local function pairs_of(op, a, x)
  if not plain(x) then type_error(op, a.name, a.type, x) end
  local out = {}
  if #x > 0 then
    if not is_list(x) then type_error(op, a.name, a.type, x) end
    for i, p in ipairs(x) do
      if not plain(p) or type(p[1]) ~= "string" then
        type_error(op, ("%s[%d]"):format(a.name, i - 1), "a {key, value} pair", p)
      end
      out[i] = { p[1], p[2] }
    end
    return out
  end
  for k, v in pairs(x) do
    if type(k) ~= "string" then type_error(op, a.name .. " key", "string", k) end
    out[#out + 1] = { k, v }
  end
  table.sort(out, function(p, q) return p[1] < q[1] end)
  return out
end

local function strmap(op, a, x, text)
  local items = pairs_of(op, a, x)
  for _, p in ipairs(items) do
    if p[2] ~= nil then p[2] = text(op, a.name .. "." .. p[1], p[2]) end
  end
  if a.each then return items end
  local m = core.mo_strmap_new()
  for _, p in ipairs(items) do core.mo_strmap_set(m, p[1], p[2]) end
  return m
end

-- the sorted column names of one row (a map column -> value)
local function columns_of(op, what, row)
  local cols = {}
  for k in pairs(row) do
    if type(k) ~= "string" then type_error(op, what .. " column name", "string", k) end
    cols[#cols + 1] = k
  end
  table.sort(cols)   -- a Lua table has no order: columns go in name order
  return cols
end

-- type -> what a value the description's checks let through becomes for C (the other
-- types go to C as they are)
local conv = {}
function conv.data(op, a, x) return type(x) == "table" and x.value or x end   -- a blob: its bytes
function conv.names(op, a, x)
  if type(x) == "string" then
    if not a.each then return x end
    local items = {}
    for item in x:gmatch("[^,]+") do items[#items + 1] = item:match("^%s*(.-)%s*$") end
    return items
  end
  for i = 1, #x do
    if type(x[i]) ~= "string" then type_error(op, ("%s[%d]"):format(a.name, i - 1), "string", x[i]) end
  end
  if a.each then return x end
  return table.concat(x, a.join or ",")
end
function conv.int(op, a, x) return math.tointeger(x) end
conv.positive = conv.int
function conv.number(op, a, x) return x + 0.0 end
function conv.flag(op, a, x) return x and 1 or 0 end
conv.tristate = conv.flag
function conv.choice(op, a, x)
  local c = type(x) == "string" and a.choices[x:lower()]
  if not c then
    local words = {}
    for w in pairs(a.choices) do words[#words + 1] = w end
    table.sort(words)
    raise(op, message("choice", { arg = a.name, choices = quoted(words),
                                  got = type(x) == "string" and quoted({ x }) or kind(x) }))
  end
  return c
end
function conv.strmap(op, a, x) return strmap(op, a, x, scalar_text) end
function conv.params(op, a, x)
  if not plain(x) or not is_list(x) then type_error(op, a.name, "params", x) end
  return make_params(x)
end
function conv.vector(op, a, x)   -- the elements: the vector typemap (mocore_lua.i)
  if type(x) ~= "table" then type_error(op, a.name, "vector", x) end
  return x
end
function conv.row(op, a, x)
  if not plain(x) or (next(x) ~= nil and is_list(x)) then type_error(op, a.name, "row", x) end
  if next(x) == nil then raise(op, message("empty", { arg = a.name })) end
  local cols = columns_of(op, a.name, x)
  local values = {}
  for i, c in ipairs(cols) do values[i] = x[c] end
  return { columns = cols, params = make_params(values) }
end
function conv.rows(op, a, x)
  if not plain(x) or not is_list(x) then type_error(op, a.name, "rows", x) end
  if #x == 0 then return { count = 0 } end
  local cols, want, values = nil, nil, {}
  for i, row in ipairs(x) do
    if not plain(row) or (next(row) ~= nil and is_list(row)) then
      raise(op, message("row_type", { index = i - 1, got = kind(row) }))
    end
    local rc = columns_of(op, a.name, row)
    if i == 1 then
      if #rc == 0 then raise(op, message("empty", { arg = "row 0" })) end
      cols, want = rc, quoted(rc)
    elseif quoted(rc) ~= want then
      raise(op, message("row_columns", { index = i - 1, got = quoted(rc), expected = want }))
    end
    for _, c in ipairs(cols) do values[#values + 1] = row[c] end
  end
  return { columns = cols, params = make_params(values), count = #x }
end
function conv.column_types(op, a, x)   -- {name, type} pairs, checked by the typemap
  if not plain(x) or not is_list(x) then
    type_error(op, a.name, "an array of {name, type} pairs (Lua tables have no order)", x)
  end
  if #x == 0 then raise(op, message("empty", { arg = a.name })) end
  return x
end
-- the SDK's table mappings: {["db.t"] = "db2.t"} (key order), or an array of "db.t:db2.t"
-- strings, {"db.t", "db2.t"} pairs and {db, table[, sink_table | sink_db, sink_table]} lists
function conv.table_mappings(op, a, x)
  if not plain(x) then type_error(op, a.name, "table_mappings", x) end
  if next(x) == nil then raise(op, message("empty", { arg = a.name })) end
  local m = core.mo_strmap_new()
  if not is_list(x) then
    for _, p in ipairs(pairs_of(op, a, x)) do
      if type(p[2]) ~= "string" then type_error(op, a.name .. "." .. p[1], "string", p[2]) end
      core.mo_strmap_set(m, p[1] .. ":" .. p[2], nil)
    end
    return m
  end
  for i, item in ipairs(x) do
    local ok = type(item) == "string" or (plain(item) and #item >= 2 and #item <= 4)
    if ok and type(item) == "table" then
      for k = 1, #item do ok = ok and type(item[k]) == "string" end
    end
    if not ok then
      type_error(op, ("%s[%d]"):format(a.name, i - 1), "a \"db.t:db2.t\" string or a list of 2 to 4 names", item)
    end
    if type(item) == "string" then
      core.mo_strmap_set(m, item, nil)
    elseif #item == 2 and item[1]:find(".", 1, true) and item[2]:find(".", 1, true) then
      core.mo_strmap_set(m, item[1] .. ":" .. item[2], nil)
    else
      core.mo_strmap_set(m, item[1] .. "." .. item[2],
                         #item == 3 and item[3] or #item == 4 and (item[3] .. "." .. item[4]) or nil)
    end
  end
  return m
end
function conv.duration_ms(op, a, x)   -- seconds
  if type(x) ~= "number" then type_error(op, a.name, "duration_ms", x) end
  return math.floor(x * 1000)
end
function conv.thresholds(op, a, x)   -- key -> seconds or "30s" / "5m" text
  return strmap(op, a, x, function(o, arg, v)
    if type(v) ~= "string" and type(v) ~= "number" then type_error(o, arg, "duration_ms", v) end
    return scalar_text(o, arg, v)
  end)
end
function conv.callable(op, a, x)
  if type(x) == "function" then return x end
  return function(...) return x(...) end
end

-- The one converter: the description's checks of a.type ([types]), then conv[a.type].
local function convert(op, a, x)
  local t = types[a.type]
  if x == nil or x == NULL then
    if x == NULL and (a.none or t.optional) then
      if a.none_value ~= nil then return a.none_value end
      return t.no_value
    end
    if a.default ~= nil then
      x = a.default
    elseif a.none or t.optional then
      if a.none_value ~= nil then return a.none_value end
      return t.no_value
    else
      raise(op, message("missing", { arg = a.name }))
    end
  end
  local k = kind_key(x)
  if k == "number" and math.tointeger(x) then k = "integer" end   -- 2.0 is an integer in Lua
  if t.accepts and not t.accepts[k] then type_error(op, a.name, a.type, x) end
  if t.min and x < t.min then raise(op, message("positive", { arg = a.name, got = x })) end
  if t.non_empty and (k == "list" or k == "map") and next(x) == nil and not a.empty_ok then
    raise(op, message("empty", { arg = a.name }))
  end
  if conv[a.type] then return conv[a.type](op, a, x) end
  return x
end

-- ---------------------------------------------------------------- calls

-- sig: the method's operation, how it attaches ("attribute": m = client.<manager>; "owner":
-- the client's own), how it is called (for the message), the positional count and the
-- argument specs { name, type, default =, none =, choices =, ... } in the SDK's order.
function R.signature(op, attach, where, npos, args)
  local index, names = {}, {}
  for i, a in ipairs(args) do
    a.name, a.type = a[1], a[2]
    assert(types[a.type], a.type)
    index[a.name], names[i] = i, a.name
  end
  return { op = op, attach = attach, where = where, npos = npos, args = args, index = index,
           expected = table.concat(names, ", ") }
end

-- The arguments of a call: positional values, or one table of them by name (its array part,
-- if any, positional). Checks the arity, then converts each argument in the SDK's order.
-- Returns the converted values and the values as given, by name.
function R.collect(self, sig, ...)
  local op = sig.op
  if sig.attach == "owner" then
    if type(self) ~= "table" or type(self._executor) ~= "function" then
      raise(op, "call it as a method: " .. sig.where .. "(...)")
    end
  elseif type(self) ~= "table" or rawget(self, "owner") == nil then
    raise(op, "call it as a method: " .. sig.where .. "{...}")
  end
  local n, first = select("#", ...), ...
  local pos, named = {}, nil
  if n == 1 and plain(first) then
    named, n = {}, 0
    for k, x in pairs(first) do
      if math.type(k) == "integer" and k >= 1 then
        if k > n then n = k end
      elseif type(k) == "string" then
        named[k] = x
      else
        raise(op, message("unknown", { arg = tostring(k), expected = sig.expected }))
      end
    end
    for i = 1, n do pos[i] = first[i] end
  else
    for i = 1, n do pos[i] = (select(i, ...)) end
  end
  if n > sig.npos then raise(op, message("too_many", { given = n, max = sig.npos })) end
  if named then
    local unknown = {}
    for k in pairs(named) do
      if not sig.index[k] then unknown[#unknown + 1] = k end
    end
    if #unknown > 0 then
      table.sort(unknown)
      raise(op, message("unknown", { arg = unknown[1], expected = sig.expected }))
    end
    for i = 1, n do
      if named[sig.args[i].name] ~= nil then raise(op, message("twice", { arg = sig.args[i].name })) end
    end
  end
  -- v: the converted values; given: as given (nil: the default), for an alias to forward
  -- (`raw` arguments are its target's to check)
  local v, given = {}, {}
  for i, a in ipairs(sig.args) do
    local x
    if i <= n then x = pos[i] elseif named then x = named[a.name] end
    if x == nil then given[a.name] = a.default else given[a.name] = x end
    if not a.raw then v[a.name] = convert(op, a, x) end
  end
  return v, given
end

-- fn(...) of the core module; an argument SWIG itself refuses (a string error: a negative
-- unsigned, a wrong handle) becomes the invalid_argument error table too.
function R.call(sig, fn, ...)
  local r = table.pack(pcall(fn, ...))
  if r[1] then return table.unpack(r, 2, r.n) end
  if type(r[2]) == "table" then error(r[2], 0) end
  raise(sig.op, tostring(r[2]))
end

-- A mo_load_options from the option values by name (nil: not set).
function R.load_options(sig, values)
  local o = R.call(sig, core.mo_load_options_new)
  for _, opt in ipairs(options) do
    local x, setter = values[opt[1]], opt[3]
    if setter and x ~= nil then
      if opt.each then
        for _, item in ipairs(x) do
          if type(item) == "table" then R.call(sig, setter, o, item[1], item[2]) else R.call(sig, setter, o, item) end
        end
      elseif opt.with then
        R.call(sig, setter, o, x, values[opt.with] or 0)
      else
        R.call(sig, setter, o, x)
      end
    end
  end
  return o
end

-- ---------------------------------------------------------------- results

function R.record_kind(kind, class, count, get, fields)
  return { kind = kind, class = class, count = count, get = get, fields = fields,
           mt = { __name = "mocore." .. class, class = class } }
end

function R.record(k, h)
  local r = {}
  for _, f in ipairs(k.fields) do
    local x = f[2](h)
    if f[3] == "b" then x = x ~= 0 end
    r[f[1]] = x
  end
  return setmetatable(r, k.mt)
end

-- items are borrowed from the list: each is copied while `l` is alive
function R.records(k, l)
  local out = {}
  for i = 0, k.count(l) - 1 do out[i + 1] = R.record(k, k.get(l, i)) end
  return out
end

function R.rows(h)
  local out = {}
  for row in core.mo_lua_fetch, h do out[#out + 1] = row end
  return out
end

function R.result(h) return new_result(h) end

-- MatrixOne's text of a vector ("[1,2.5]") -> an array of numbers; anything else unchanged.
local function vector(x)
  if type(x) ~= "string" or x:sub(1, 1) ~= "[" or x:sub(-1) ~= "]" then return x end
  local out = {}
  for item in x:sub(2, -2):gmatch("[^,]+") do
    local n = tonumber(item)
    if n == nil then return x end
    out[#out + 1] = n + 0.0
  end
  return out
end

-- rows as tables keyed by column name (a NULL is a missing key); vector_column's values as
-- arrays of numbers even where the server sends them as text (MatrixOne's vecf32/vecf64)
function R.dicts(h, vector_column)
  local cols = {}
  for i = 0, core.mo_result_column_count(h) - 1 do cols[i + 1] = core.mo_result_column_name(h, i) end
  local out = {}
  for row in core.mo_lua_fetch, h do
    local d = {}
    for i, c in ipairs(cols) do d[c] = c == vector_column and vector(row[i]) or row[i] end
    out[#out + 1] = d
  end
  return out
end

-- { method, return_str, json = the server's JSON text } (Lua has no JSON parser)
function R.moctl(h)
  return { method = core.mo_moctl_result_method(h), return_str = core.mo_moctl_result_return_str(h),
           json = core.mo_moctl_result_json(h) }
end

function R.ivf_stats(s)
  local tables = {}
  for _, k in ipairs({ "metadata", "centroids", "entries" }) do tables[k] = core.mo_ivf_stats_index_table(s, k) end
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

-- key (table or index) -> { row_cnt, null_cnt, original_size, compress_size, total_objects }
-- (brief), or key -> array of such entries per object (detail)
function R.table_stats(k, l, detail)
  local out = {}
  for _, r in ipairs(R.records(k, l)) do
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

-- ---------------------------------------------------------------- the custom bodies
-- custom(self, v (the converted arguments by name), sig)

-- output picks which of limit / output_file / output_table reaches C's one output_target
R.custom["branch.diff_table"] = function(self, v, sig)
  local limit, target = 0, nil
  if v.output == core.MO_BRANCH_DIFF_LIMIT then limit = v.limit
  elseif v.output == core.MO_BRANCH_DIFF_FILE then target = v.output_file
  elseif v.output == core.MO_BRANCH_DIFF_AS_TABLE then target = v.output_table end
  return R.rows(R.call(sig, core.mo_branch_diff_table, self.owner:_executor(), v.table, v.table_snapshot,
                       v.against_table, v.snapshot_name, v.output, limit, target))
end

-- columns picks the C function and the result: nil -> the result object; "*" or {} ->
-- MetadataRow records; names -> tables keyed by those columns
R.custom["metadata.scan"] = function(self, v, sig)
  local ex = self.owner:_executor()
  if v.columns == "*" or v.columns == "" then
    return R.records(R.kinds.metadata_row, R.call(sig, core.mo_metadata_scan_rows, ex, v.dbname, v.tablename,
                                                  v.is_tombstone, v.indexname, v.distinct_object_name))
  end
  local h = R.call(sig, core.mo_metadata_scan, ex, v.dbname, v.tablename, v.is_tombstone, v.indexname,
                   v.distinct_object_name, v.columns)
  if v.columns == nil then return R.result(h) end
  return R.dicts(h)
end

-- ---------------------------------------------------------------- the module

function R.manager_class(class)
  local cls = { __name = "mocore." .. class }
  cls.__index = cls
  return cls
end

-- The generated module: managers (name -> class), the owner's own methods, the record kinds,
-- choices and enums; install(cls, mocore) puts them on a class whose instances have
-- :_executor() (mocore.lua's Client and Session).
function R.module(managers, owner_methods, record_kinds, choices, enums)
  R.kinds = record_kinds
  local M = { managers = managers, records = record_kinds, choices = choices, enums = enums, names = {} }
  for k in pairs(managers) do M.names[#M.names + 1] = k end
  table.sort(M.names)
  function M.install(cls, mocore)
    R.setup(mocore)
    for k, fn in pairs(owner_methods) do cls[k] = fn end
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
  return M
end

return R
