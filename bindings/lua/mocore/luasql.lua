-- bindings/lua/mocore/luasql.lua — LuaSQL's interface (luasql.mysql 2.6) over mocore, so a
-- LuaSQL program switches by changing its require:
--
--   local driver = require "mocore.luasql"          -- was: require "luasql.mysql"
--   local env = driver.mysql()
--   local conn = assert(env:connect("db", "user", "pw", "127.0.0.1", 3306))
--   local cur = assert(conn:execute("SELECT id, name FROM t"))
--   local row = cur:fetch({}, "a")
--   while row do print(row.id, row.name); row = cur:fetch(row, "a") end
--
-- As LuaSQL: values are strings as the server sent them (NULL is nil), execute returns a
-- cursor for a statement with a result set and the affected-row count otherwise, a failure is
-- `nil, "LuaSQL: ... MySQL: <message>"` (a call on a closed object raises), a cursor closes
-- itself after its last row, autocommit is on until setautocommit(false).
-- Where it differs (docs/lua.md): escape() writes a quote as '' (the library's literal rule:
-- valid in every sql_mode; backslash escapes are exact in the default mode) where libmysql
-- writes \'; getcoltypes() names text columns
-- "string" and binary ones "binary" whatever their width (LuaSQL reads the protocol type:
-- TEXT is "binary" there, VARBINARY "string"); with autocommit off, the statements run on a
-- mocore session, a connection of its own (session variables and temporary tables set before
-- setautocommit(false) are not seen there).
local mocore = require "mocore"
local core = mocore.core

local M = { _VERSION = "mocore.luasql " .. mocore.VERSION .. " (LuaSQL 2.6 interface)" }

local function closed(kind, method)
  error(("calling '%s' on bad self (%s is closed)"):format(method, kind), 3)
end

local function message(e)
  if type(e) == "table" and e.message then return e.message end
  return tostring(e)
end

-- LuaSQL's names of the column types (ls_mysql.c getcolumntype), from mocore's types.
local TYPE_NAMES = {
  [core.MO_TYPE_INT8] = "number", [core.MO_TYPE_INT16] = "number", [core.MO_TYPE_INT24] = "number",
  [core.MO_TYPE_INT32] = "number", [core.MO_TYPE_INT64] = "number", [core.MO_TYPE_FLOAT] = "number",
  [core.MO_TYPE_DOUBLE] = "number", [core.MO_TYPE_YEAR] = "number",
  [core.MO_TYPE_DECIMAL] = "undefined",   -- as LuaSQL 2.6, which does not know NEWDECIMAL
  [core.MO_TYPE_DATE] = "date", [core.MO_TYPE_TIME] = "time", [core.MO_TYPE_DATETIME] = "datetime",
  [core.MO_TYPE_TIMESTAMP] = "timestamp", [core.MO_TYPE_TEXT] = "string", [core.MO_TYPE_ENUM] = "string",
  [core.MO_TYPE_SET] = "string", [core.MO_TYPE_BLOB] = "binary", [core.MO_TYPE_JSON] = "binary",
  [core.MO_TYPE_NULL] = "null",
}

---------------------------------------------------------------- cursor
local Cursor = {}
Cursor.__index = Cursor
Cursor.__name = "MySQL cursor"
Cursor.__tostring = function(c) return ("MySQL cursor (%s)"):format(c.id) end

-- The whole result, read at execute as LuaSQL's mysql_store_result does: the rows as arrays
-- of strings (nil for NULL), the column names and types.
-- MatrixOne sends DECIMAL with the pre-5.0 type code (MYSQL_TYPE_DECIMAL), which LuaSQL
-- names "number"; MariaDB's NEWDECIMAL is LuaSQL's "undefined". mocore has one DECIMAL type,
-- so the server kind tells them apart.
local function read_result(h, matrixone)
  local ncol = core.mo_result_column_count(h)
  local names, types = {}, {}
  for i = 0, ncol - 1 do
    names[i + 1] = core.mo_result_column_name(h, i)
    local t = core.mo_result_column_type(h, i)
    local name = (matrixone and t == core.MO_TYPE_DECIMAL) and "number" or TYPE_NAMES[t] or "undefined"
    types[i + 1] = ("%s(%d)"):format(name, core.mo_result_column_length(h, i))
  end
  local rows = {}
  while core.mo_result_next(h) == core.MO_ROW do
    local row = {}
    for i = 0, ncol - 1 do
      if core.mo_result_is_null(h, i) == 0 then row[i + 1] = core.mo_result_get_text(h, i) end
    end
    rows[#rows + 1] = row
  end
  return names, types, rows
end

-- cur:fetch([table [, mode]]): the next row, nil after the last one (the cursor is then
-- closed). With a table: filled by position ("n", the default), by column name ("a") or both
-- ("an"), and returned; without one: the values as multiple results.
function Cursor:fetch(t, mode)
  if self.closed then closed("cursor", "fetch") end
  local row = self.rows[self.pos]
  if not row then self:close(); return nil end
  self.pos = self.pos + 1
  local n = #self.names
  if t == nil then return table.unpack(row, 1, n) end
  mode = mode or "n"
  local num, alpha = mode:find("n", 1, true), mode:find("a", 1, true)
  for i = 1, n do
    if num then t[i] = row[i] end
    if alpha then t[self.names[i]] = row[i] end
  end
  return t
end

function Cursor:getcolnames()
  if self.closed then closed("cursor", "getcolnames") end
  return self.names
end

function Cursor:getcoltypes()
  if self.closed then closed("cursor", "getcoltypes") end
  return self.types
end

function Cursor:numrows()
  if self.closed then closed("cursor", "numrows") end
  return #self.rows
end

-- true, or false when already closed
function Cursor:close()
  if self.closed then return false end
  self.closed = true
  self.rows = nil
  return true
end

---------------------------------------------------------------- connection
local Connection = {}
Connection.__index = Connection
Connection.__name = "MySQL connection"
Connection.__tostring = function(c) return ("MySQL connection (%s)"):format(c.id) end

local function target(conn) return conn.session or conn.client end

-- conn:execute(sql): a cursor for a statement with a result set, the number of affected rows
-- otherwise; nil and the message on failure.
function Connection:execute(sql)
  if self.closed then closed("connection", "execute") end
  local ok, res = pcall(function()
    local r = target(self):execute(sql, nil, { stream = true })
    self.last_id = r:lastrowid()
    if core.mo_result_column_count(r.h) == 0 then
      local n = r:rowcount()
      core.mo_lua_release(r.h)
      return n
    end
    local names, types, rows = read_result(r.h, self.client:server_kind() == "matrixone")
    core.mo_lua_release(r.h)
    return setmetatable({ names = names, types = types, rows = rows, pos = 1, closed = false,
                          id = tostring(rows):match("0x%x+") or "?" }, Cursor)
  end)
  if not ok then return nil, "LuaSQL: error executing query. MySQL: " .. message(res) end
  return res
end

-- true, or false with autocommit on (nothing to commit); nil and the message on failure.
function Connection:commit()
  if self.closed then closed("connection", "commit") end
  if not self.session then return true end
  local ok, e = pcall(self.session.commit, self.session)
  if not ok then return nil, "LuaSQL: error committing. MySQL: " .. message(e) end
  return true
end

function Connection:rollback()
  if self.closed then closed("connection", "rollback") end
  if not self.session then return true end
  local ok, e = pcall(self.session.rollback, self.session)
  if not ok then return nil, "LuaSQL: error rolling back. MySQL: " .. message(e) end
  return true
end

-- setautocommit(false): the next statements run in a transaction, until commit or rollback
-- (then the next statement begins another). setautocommit(true) commits an open one, as
-- MySQL's SET autocommit = 1 does.
function Connection:setautocommit(on)
  if self.closed then closed("connection", "setautocommit") end
  local ok, e = pcall(function()
    if on and self.session then
      local s = self.session
      self.session = nil
      if s:state() == core.MO_SESSION_IN_TRANSACTION then s:commit() end
      s:close()
    elseif not on and not self.session then
      self.session = self.client:session()
    end
  end)
  if not ok then return nil, "LuaSQL: error setting autocommit. MySQL: " .. message(e) end
  return true
end

-- The text for the inside of a '...' literal (the library's rule for quoted literals).
function Connection:escape(s)
  if self.closed then closed("connection", "escape") end
  return core.mo_lua_escape(s)
end

function Connection:getlastautoid()
  if self.closed then closed("connection", "getlastautoid") end
  return self.last_id or 0
end

-- true, or false when already closed. An open transaction is rolled back.
function Connection:close()
  if self.closed then return false end
  self.closed = true
  if self.session then pcall(self.session.close, self.session); self.session = nil end
  self.client:close()
  return true
end

---------------------------------------------------------------- environment
local Environment = {}
Environment.__index = Environment
Environment.__name = "MySQL environment"
Environment.__tostring = function(e) return ("MySQL environment (%s)"):format(e.id) end

-- env:connect(database, user, password, host, port [, options]): a connection, or nil and
-- the message. `options` (mocore's, not LuaSQL's) is a table of further mocore.connect options,
-- e.g. { log = function(level, line) ... end, ssl_mode = "required" }.
function Environment:connect(database, user, password, host, port, options)
  if self.closed then closed("environment", "connect") end
  local opts = {}
  for k, v in pairs(options or {}) do opts[k] = v end
  opts.database, opts.user, opts.password, opts.host = database, user, password, host
  if port ~= nil and port ~= 0 then opts.port = port end
  local ok, client = pcall(mocore.connect, opts)
  if not ok then return nil, "LuaSQL: error connecting to database. MySQL: " .. message(client) end
  local conn = setmetatable({ client = client, closed = false }, Connection)
  conn.id = tostring({}):match("0x%x+") or "?"
  return conn
end

-- true, or false when already closed
function Environment:close()
  if self.closed then return false end
  self.closed = true
  return true
end

-- driver.mysql(): an environment (LuaSQL's entry point of the MySQL driver).
function M.mysql()
  local env = setmetatable({ closed = false }, Environment)
  env.id = tostring({}):match("0x%x+") or "?"
  return env
end

return M
