-- bindings/lua/mocore_managers_runtime.lua — the Lua idiom around the one C call
-- (bindings/managers/call.h: checks, defaults, aliases, C values) of each generated manager
-- method (mocore_managers.lua): the calling convention (m:f(a, b), m:f{ a = ..., b = ... } or
-- m:f{ a, b = ... }; nil is "not given", mocore.null "no value"), which Lua values are lists,
-- maps, bytes, SQL values or functions, and the outcome as records, results, rows and dicts.
local core = require "mocore_core"

local R = { core = core }
local NULL, tagged, new_result   -- from mocore.lua (R.module's install)

-- a table of the caller's (a JSON decoder's tables included), not one of mocore's values
local function plain(x) return type(x) == "table" and x ~= NULL and getmetatable(x) ~= tagged end

-- the shape letter and leaf value of x, unless it is a list or a map
local function leaf_of(x)
  local t, mt = type(x), getmetatable(x)
  if x == nil or x == NULL then return "n", NULL end
  if t == "boolean" or t == "string" then return t:sub(1, 1), x end
  if t == "number" then return math.type(x) == "integer" and "i" or "d", x end
  if t == "function" or (type(mt) == "table" and mt.__call) then return "f", NULL end
  if mt == tagged then return x.kind == "blob" and "y" or "v", x end   -- as mocore.lua packs it
  if not plain(x) then return "o", NULL end
end

-- x -> shape letters (into `shape`) and leaf values (into `leaves`); returns fn, or x if it
-- is the first function (the progress of a load)
local function walk(x, shape, leaves, fn)
  local letter, leaf = leaf_of(x)
  local keys, n = {}, 0
  if letter == nil then
    for k in pairs(x) do n, keys[#keys + 1] = n + 1, type(k) == "string" and k or nil end
    -- a sequence (an empty table is one; an array of {key, value} pairs is a map to C)
    if n == #x then
      shape[#shape + 1] = "("
      for i = 1, n do fn = walk(x[i], shape, leaves, fn) end
      shape[#shape + 1] = ")"
      return fn
    end
    table.sort(keys)   -- a Lua table has no order: a map goes in key order
    if n ~= #keys then letter, leaf = "o", NULL end   -- other keys: only a mistake
  end
  if letter then
    shape[#shape + 1], leaves[#leaves + 1] = letter, leaf
    return letter == "f" and (fn or x) or fn
  end
  shape[#shape + 1] = "{"
  for _, k in ipairs(keys) do
    shape[#shape + 1], leaves[#leaves + 1] = "s", k
    fn = walk(x[k], shape, leaves, fn)
  end
  shape[#shape + 1] = "}"
  return fn
end

-- The call of `method` ("snapshots.create") on self (a manager, or the client / session
-- itself) with the Lua arguments; `names` are the positional parameters' names, `nullable`
-- the required ones nil leaves as no value, `ordered` the maps whose order matters (a Lua map
-- has none: an array of {key, value} pairs is the way). Returns the outcome, its kind and the
-- given arguments.
function R.call(self, method, names, ...)
  local owner = type(self) == "table" and (rawget(self, "owner") or self)
  if type(owner) ~= "table" or type(owner._executor) ~= "function" then
    core.mo_lua_raise_invalid(method, "call it as a method, with a colon: m:f(...)")
  end
  local n, first = select("#", ...), ...
  local pos, named = { ... }, {}
  if n == 1 and plain(first) then   -- m:f{ a, b = ... }: the array part positional
    pos, n = {}, 0
    for k, x in pairs(first) do
      if math.type(k) == "integer" and k >= 1 then
        pos[k], n = x, math.max(n, k)
      else
        named[type(k) == "string" and k or tostring(k)] = x   -- not a name: C's unknown argument
      end
    end
  end
  -- a hole (nil: not given) ends the positional values; those after it go by name
  local cut = n
  for i = 1, n do if pos[i] == nil then cut = i - 1; break end end
  if n > #names then cut = n end   -- too many: C counts them
  for j = cut + 1, n do if pos[j] ~= nil and named[names[j]] ~= nil then cut = n end end   -- twice: C says so
  for j = cut + 1, n do if pos[j] ~= nil then named[names[j]] = pos[j] end end
  local function slot(k)   -- where argument k is
    for i = 1, cut do if names[i] == k then return pos, i end end
    return named, k
  end
  for _, k in ipairs(names.nullable or {}) do
    local t, i = slot(k)
    if t[i] == nil then t[i] = NULL end
  end
  for _, k in ipairs(names.ordered or {}) do
    local t, i = slot(k)
    if plain(t[i]) and #t[i] == 0 and next(t[i]) ~= nil then
      core.mo_lua_raise_invalid(method, k .. " must be an array of {key, value} pairs: a Lua table has no order")
    end
  end
  local shape, leaves, fn = { "(" }, {}, nil
  for i = 1, cut do fn = walk(pos[i], shape, leaves, fn) end
  shape[#shape + 1] = ")"
  fn = walk(named, shape, leaves, fn)
  if shape[#shape] == ")" then shape[#shape - 1], shape[#shape] = "{", "}" end   -- none by name
  local out, kind = core.mo_lua_call(method, owner:_executor(), table.concat(shape), leaves, NULL, tagged, fn)
  for i = 1, math.min(cut, #names) do named[names[i]] = pos[i] end
  return out, kind, named
end

function R.record(class, map) return map and setmetatable(map, class) end
function R.records(class, list)
  for _, map in ipairs(list or {}) do setmetatable(map, class) end
  return list
end
function R.result(h) return new_result(h) end
function R.rows(h) return new_result(h):fetchall() end

-- rows as tables keyed by column name (a NULL is a missing key); vector_column's values as
-- arrays of numbers where the server sends them as text (MatrixOne's vecf32/vecf64)
function R.dicts(h, vector_column)
  local r, out = new_result(h), {}
  local cols = r:columns()
  for row in r:rows() do
    local d = {}
    for i, c in ipairs(cols) do
      d[c] = (c == vector_column and type(row[i]) == "string") and core.mo_lua_text_vector(row[i]) or row[i]
    end
    out[#out + 1] = d
  end
  return out
end

-- mo_ctl's answer (its JSON as tables: {method, result = {{returnStr = ...}}}) and its
-- return_str, the text of its first result
function R.moctl(t)
  local first = type(t) == "table" and type(t.result) == "table" and t.result[1]
  if type(first) == "table" then t.return_str = first.returnStr end
  return t
end

-- an outcome whose kind C picks at run time (a custom method), converted by that kind
function R.outcome(class, out, kind)
  if kind == "records" then return R.records(class, out) end
  if kind == "dicts" or kind == "rows" or kind == "result" then return R[kind](out) end
  return out
end

-- The generated module: managers (name -> class), the owner's own methods, the record
-- classes and enums; install(cls, mocore) puts them on a class whose instances have
-- :_executor() (mocore.lua's Client and Session).
function R.module(managers, owner_methods, records, enums)
  local M = { managers = managers, records = records, enums = enums, names = {} }
  for k in pairs(managers) do table.insert(M.names, k) end
  table.sort(M.names)
  function M.install(cls, mocore)
    NULL, tagged, new_result = mocore.null, mocore._internal.tagged, mocore._internal.result
    for k, fn in pairs(owner_methods) do cls[k] = fn end
    local index = cls.__index   -- the class itself (Client, Session)
    cls.__index = function(obj, key)
      if not managers[key] then return index[key] end
      local mgr = setmetatable({ owner = obj }, managers[key])
      rawset(obj, key, mgr)   -- one manager per object, made on first use
      return mgr
    end
  end
  return M
end

return R
