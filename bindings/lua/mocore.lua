-- bindings/lua/mocore.lua — the Lua 5.4 binding of mocore (C part: mocore_core.so, from mocore.i).
--
--   local mocore = require "mocore"
--   local c = mocore.connect("mysql://user:pw@127.0.0.1:3306/db")   -- or a table of options
--   c:execute("INSERT INTO t VALUES (?, ?)", {1, "x"})
--   for row in c:execute("SELECT id, name FROM t"):rows() do print(row[1], row[2]) end
--   c:session(function(s) s:execute(...) end)   -- commit on return, rollback on error
--   c:transaction(function(s) ... end, 3)       -- the same, run again on a retryable error
--
-- Values: integers -> integer, FLOAT/DOUBLE -> number, DECIMAL/DATE/DATETIME/TIME -> string
-- (exact, as the server prints them), BIT -> integer, text/blob -> string, NULL -> nil (rows
-- are arrays, so a NULL is a hole: use result:columns() and the column index).
-- Parameters: nil is not representable inside a Lua array: use mocore.null. booleans,
-- integers (int64), floats, strings (sent as text; mocore.blob(s) sends bytes),
-- mocore.decimal("1.50"), mocore.json(text), an array of numbers (a vector).
-- Errors are tables {category, code, sqlstate, message, operation, status} with __tostring;
-- mocore.categories lists the categories (from the C category table).
local core = require "mocore_core"

local M = { core = core }
M.VERSION = core.mo_version_string()
M.null = setmetatable({}, { __tostring = function() return "mocore.null" end })

-- the category table, generated from capi/mocore/error_categories.def
M.categories = {}
for i = 0, core.mo_swig_category_count() - 1 do
  local lower = core.mo_swig_category_lower(i)
  M.categories[lower] = { name = core.mo_swig_category_name(i), status = -core.mo_swig_category_number(i),
                          pep249 = core.mo_swig_category_pep249(i) }
end

local tagged = {}
local function tag(kind, v) return setmetatable({ kind = kind, value = v }, tagged) end
function M.blob(s) return tag("blob", s) end
function M.decimal(s) return tag("decimal", tostring(s)) end
function M.json(s) return tag("json", s) end

local function usage(msg) core.mo_lua_raise_invalid("lua", msg) end

-- Every value in one C call (mo_lua_params_pack): nil -> mocore.null is NULL, booleans,
-- integers, floats, strings, tagged values, arrays of numbers (vectors).
local function make_params(list)
  if list == nil then return nil end
  if type(list) ~= "table" then usage("params must be a table (array) of values") end
  return core.mo_lua_params_pack(list, M.null, tagged)
end

local Result = {}
Result.__index = Result
function Result:next() return core.mo_lua_fetch(self.h) end
function Result:rows() return core.mo_lua_fetch, self.h end
function Result:fetchall()
  local out = {}
  for row in self:rows() do out[#out + 1] = row end
  return out
end
function Result:scalar() local r = self:next(); return r and r[1] end
function Result:columns()
  local cols = {}
  for i = 0, core.mo_result_column_count(self.h) - 1 do cols[i + 1] = core.mo_result_column_name(self.h, i) end
  return cols
end
function Result:rowcount() return core.mo_result_affected_rows(self.h) end
function Result:lastrowid() return core.mo_result_last_insert_id(self.h) end

-- The result of a statement without rows: its counters, read in the execute call (no handle).
-- Read-only: one without an insert id is shared by the statements of the same count.
local Counts = {}
Counts.__index = Counts
local function no_row() return nil end
function Counts:next() return nil end
function Counts:rows() return no_row end
function Counts:fetchall() return {} end
function Counts:scalar() return nil end
function Counts:columns() return {} end
function Counts:rowcount() return self.affected end
function Counts:lastrowid() return self.last_id end

-- Check, pack, run and (without rows) read the counters in one C call (mo_lua_execute), which
-- makes the Result or Counts table itself.
core.mo_lua_execute_setup(M.null, tagged, Result, Counts)
local execute = core.mo_lua_execute

local Session = {}
Session.__index = Session
function Session:execute(sql, params, opts) return execute(self.h, sql, params, opts, true) end
function Session:commit() core.mo_session_commit(self.h) end
function Session:rollback() core.mo_session_rollback(self.h) end
function Session:begin() core.mo_session_begin(self.h) end
function Session:savepoint(n) core.mo_session_savepoint(self.h, n) end
function Session:rollback_to_savepoint(n) core.mo_session_rollback_to_savepoint(self.h, n) end
function Session:release_savepoint(n) core.mo_session_release_savepoint(self.h, n) end
function Session:state() return core.mo_session_get_state(self.h) end
-- Roll back if still open and release the connection now (else at garbage collection).
function Session:close() core.mo_lua_release(self.ex); self.ex = nil; core.mo_lua_release(self.h); self.h = nil end
function Session:_executor()
  if not self.ex then self.ex = core.mo_session_executor(self.h) end
  return self.ex
end

local Client = {}
Client.__index = Client
function Client:execute(sql, params, opts) return execute(self.h, sql, params, opts, false) end
function Client:ping() core.mo_client_ping(self.h) end
function Client:server_version() return core.mo_client_server_version(self.h) end
-- "matrixone", "mysql" or "mariadb": what the server said it is at connect.
local SERVER_KINDS = { [0] = "auto", "matrixone", "mysql", "mariadb" }
function Client:server_kind() return SERVER_KINDS[core.mo_client_server_kind(self.h)] or "unknown" end
function Client:journal()
  local out = {}
  for i = 0, core.mo_client_journal_count(self.h) - 1 do out[i + 1] = core.mo_client_journal_get(self.h, i) end
  return out
end
function Client:clear_journal() core.mo_client_journal_clear(self.h) end
-- Release the executor (it references the connection), then the connection, now.
local function release(obj)
  core.mo_lua_release(obj.ex); obj.ex = nil
  core.mo_lua_release(obj.h); obj.h = nil
end
function Client:close() release(self) end
function Client:_executor()
  if not self.ex then self.ex = core.mo_client_executor(self.h) end
  return self.ex
end

M.make_params = make_params

-- Run fn(session) in a transaction: commit when it returns, roll back and re-raise on error.
-- Returns fn's results.
function Client:session(fn)
  local s = setmetatable({ h = core.mo_session_open(self.h) }, Session)
  if fn == nil then return s end
  local res = table.pack(pcall(fn, s))
  if res[1] then
    if core.mo_session_get_state(s.h) == core.MO_SESSION_IN_TRANSACTION then s:commit() end
    release(s)
    return table.unpack(res, 2, res.n)
  end
  pcall(core.mo_session_rollback, s.h)
  release(s)
  error(res[2], 0)
end

-- Run fn(session) in a transaction (as Client:session(fn)); when it fails with a "retryable"
-- error (deadlock, lock wait timeout, write conflict: the server rolled it back) run the whole
-- transaction again, up to `retries` more times (default 0), each after the core's random
-- pause (mo_transaction_retry_pause_ms: up to 10, 20, 40 ... ms, at most 0.5 s): two
-- transactions that deadlocked and started again at once would cross again. Returns fn's
-- results. (The same for the coroutine API's clients, mocore_async.lua, whose pause does not
-- yield: it is short, and the yield protocol has no descriptor-less wait.)
local function transaction(client, fn, retries)
  if type(fn) ~= "function" then usage("transaction expects a function(session)") end
  retries = retries or 0
  if math.type(retries) ~= "integer" or retries < 0 then usage("retries must be an integer >= 0") end
  for attempt = 0, retries do
    local res = table.pack(pcall(client.session, client, fn))
    if res[1] then return table.unpack(res, 2, res.n) end
    local e = res[2]
    if attempt == retries or type(e) ~= "table" or e.category ~= "retryable" then error(e, 0) end
    core.mo_lua_poll({}, core.mo_transaction_retry_pause_ms(attempt + 1))
  end
end
Client.transaction = transaction

-- a string or an array of strings -> the array
local function names_of(v, msg)
  local list = type(v) == "table" and v or { v }
  for i = 1, #list do
    if type(list[i]) ~= "string" then usage(msg) end
  end
  return list
end

local function make_config(opts)
  local cfg
  if type(opts) == "string" then cfg = core.mo_config_from_url(opts)
  elseif type(opts) == "table" then
    cfg = opts.url and core.mo_config_from_url(opts.url) or core.mo_config_new()
    for k, v in pairs(opts) do
      if k ~= "url" and k ~= "on_connect" and k ~= "local_infile_dirs" and k ~= "log" then
        core.mo_config_set(cfg, k, tostring(v))
      end
    end
    -- log: a function(level, line) that receives the log lines ("debug" | "info" | "warning" |
    -- "error"; log_mode says which statements are logged) instead of stderr
    if opts.log ~= nil then core.mo_lua_config_set_log_function(cfg, opts.log) end
    -- local_infile_dirs: LOAD DATA LOCAL only for files under these directories (else off)
    if opts.local_infile_dirs ~= nil then
      for _, dir in ipairs(names_of(opts.local_infile_dirs, "local_infile_dirs must be a directory or an array of them")) do
        core.mo_config_add_local_infile_dir(cfg, dir)
      end
    end
    -- on_connect: the SDK's actions ("enable_all", "enable_ivf", ... or an array of them)
    if opts.on_connect ~= nil then
      local flags = 0
      for _, name in ipairs(names_of(opts.on_connect, "on_connect must be action names")) do
        flags = flags | core.mo_connect_action_parse(name)
      end
      core.mo_config_set_connect_actions(cfg, flags)
    end
  else usage("connect expects a URL string or a table of options") end
  return cfg
end

-- mocore.connect(url) or mocore.connect{host=..., port=..., user=..., ...} (mo_config_set keys,
-- plus on_connect = "enable_all" | {"enable_ivf", "enable_fulltext"}: run on every new connection,
-- local_infile_dirs = {"/dir", ...}: the only directories LOAD DATA LOCAL may read from,
-- log = function(level, line) ... end: where the log lines go instead of stderr)
function M.connect(opts)
  return setmetatable({ h = core.mo_client_connect(make_config(opts)) }, Client)
end

-- A pool of connections (mo_pool), shared by coroutines or by the threads of a host:
--   local pool = mocore.pool{ url = url, pool_size = 8, max_overflow = 8, pool_timeout = 10,
--                             pool_recycle = 3600, pre_ping = true, endpoints = {"cn2:6001"} }
--   pool:connection(function(c) return c:execute("SELECT 1"):scalar() end)  -- given back after
--   local c = pool:acquire(); ...; c:close()                                -- the same by hand
-- pool_timeout, pool_recycle and retry_interval are seconds; pool_reset = "always" |
-- "transaction" | "none"; pool_balance = "round_robin" | "least_busy". The other keys are
-- mocore.connect's. pool:stats() is a table of the counters (in_use, idle, waits, timeouts,
-- ...) and wait_p99 (seconds); pool:endpoints() an array of {host, port, up, connections}.
local POOL_KEYS = { pool_size = true, max_overflow = true, pool_timeout = true, pool_recycle = true,
                    pre_ping = true, pool_reset = true, pool_balance = true, endpoints = true,
                    retry_interval = true }
local RESETS = { always = core.MO_POOL_RESET_ALWAYS, transaction = core.MO_POOL_RESET_TRANSACTION,
                 none = core.MO_POOL_RESET_NONE }
local BALANCES = { round_robin = core.MO_POOL_ROUND_ROBIN, least_busy = core.MO_POOL_LEAST_BUSY }
local STATS = { "in_use", "idle", "open", "waiting", "acquires", "releases", "waits", "timeouts",
                "connects", "connect_failures", "discards", "recycles", "ping_failures",
                "acquire_failures" } -- in the order of mo_pool_stat_kind

local function ms(seconds, name)
  if seconds == nil or seconds < 0 then return 0 end
  if type(seconds) ~= "number" then usage(name .. " must be a number of seconds") end
  return math.floor(seconds * 1000 + 0.5)
end

local function choice(t, v, name)
  local x = t[v]
  if x == nil then usage(name .. " is not one of the known values: " .. tostring(v)) end
  return x
end

local Pool = {}
Pool.__index = Pool
function Pool:acquire() return setmetatable({ h = core.mo_pool_acquire(self.h), pool = self }, Client) end
-- Run fn(client) on a pooled connection and give it back, also when fn raises. Returns fn's results.
function Pool:connection(fn)
  local c = self:acquire()
  local res = table.pack(pcall(fn, c))
  release(c)
  if not res[1] then error(res[2], 0) end
  return table.unpack(res, 2, res.n)
end
function Pool:stats()
  local out = {}
  for i, name in ipairs(STATS) do out[name] = core.mo_pool_stat(self.h, i - 1) end
  out.wait_max = core.mo_pool_stat(self.h, core.MO_POOL_STAT_WAIT_MAX_US) / 1e6
  out.wait_p50 = core.mo_pool_wait_quantile_us(self.h, 0.5) / 1e6
  out.wait_p99 = core.mo_pool_wait_quantile_us(self.h, 0.99) / 1e6
  return out
end
function Pool:endpoints()
  local out = {}
  for i = 0, core.mo_pool_endpoint_count(self.h) - 1 do
    local host, port, up, connections = core.mo_pool_endpoint_get(self.h, i)
    out[i + 1] = { host = host, port = port, up = up == 1, connections = connections }
  end
  return out
end
function Pool:check_endpoints() return core.mo_pool_check_endpoints(self.h) end
-- Close the idle connections now; clients still out are closed when given back.
function Pool:close() core.mo_lua_release(self.h); self.h = nil end

function M.pool(opts)
  local popts, copts = {}, opts
  if type(opts) == "table" then
    copts = {}
    for k, v in pairs(opts) do
      if POOL_KEYS[k] then popts[k] = v else copts[k] = v end
    end
  end
  local h = core.mo_pool_new(make_config(copts))
  if popts.pool_size ~= nil then core.mo_pool_set_size(h, popts.pool_size) end
  if popts.max_overflow ~= nil then core.mo_pool_set_max_overflow(h, popts.max_overflow) end
  if popts.pool_timeout ~= nil then core.mo_pool_set_timeout_ms(h, ms(popts.pool_timeout, "pool_timeout")) end
  if popts.pool_recycle ~= nil then core.mo_pool_set_recycle_ms(h, ms(popts.pool_recycle, "pool_recycle")) end
  if popts.pre_ping ~= nil then core.mo_pool_set_pre_ping(h, popts.pre_ping and 1 or 0) end
  if popts.pool_reset ~= nil then core.mo_pool_set_reset(h, choice(RESETS, popts.pool_reset, "pool_reset")) end
  if popts.pool_balance ~= nil then core.mo_pool_set_balance(h, choice(BALANCES, popts.pool_balance, "pool_balance")) end
  if popts.retry_interval ~= nil then core.mo_pool_set_retry_ms(h, ms(popts.retry_interval, "retry_interval")) end
  for _, ep in ipairs(popts.endpoints or {}) do
    local host, port
    if type(ep) == "table" then host, port = ep[1], ep[2] else host, port = tostring(ep):match("^(.*):(%d+)$") end
    if not host then usage("endpoint " .. tostring(ep) .. " is not 'host:port'") end
    core.mo_pool_add_endpoint(h, host, math.tointeger(tonumber(port)))
  end
  return setmetatable({ h = h }, Pool)
end
-- true for a client handed out by a pool (close gives it back)
function Client:pooled() return self.h ~= nil and core.mo_client_is_pooled(self.h) == 1 end

-- Shared with mocore_async.lua (the coroutine-friendly API, `require "mocore_async"`) and the
-- managers' runtime (mocore_managers_runtime.lua).
M._internal = { make_config = make_config, make_params = make_params, usage = usage, transaction = transaction,
                tagged = tagged, result = function(h) return setmetatable({ h = h }, Result) end }

-- The managers (client.snapshots:create{...}, client.vector_ops:similarity_search{...},
-- client:insert(...), s.account:list_roles(), ...), generated from bindings/managers.toml
-- into mocore_managers.lua; mocore.enums holds the SDK's enums (mocore.enums.DistanceType.L2).
local managers = require "mocore_managers"
managers.install(Client, M)
managers.install(Session, M)
M.enums = managers.enums

return M
