-- bindings/lua/mocore_async.lua — coroutine-friendly mocore for any event loop (luv, cqueues,
-- copas, a hand-written poll loop).
--
--   local A = require "mocore_async"
--   local co = coroutine.create(function()
--     local c = A.connect("mysql://user:pw@127.0.0.1:3306/db")
--     local r = c:execute("SELECT SLEEP(0.3)")       -- yields while the server works
--     print(r:scalar())
--   end)
--   -- the loop: resume; when it yields (fd, events, timeout_ms), wait for `events` on `fd`
--   -- (A.READ / A.WRITE bits; A.TIMEOUT: give up after timeout_ms), then
--   -- coroutine.resume(co, <the A.* bits that happened>).
--
-- Every call that would block yields (fd, events, timeout_ms) from the running coroutine and
-- expects to be resumed with the events that happened (A.TIMEOUT when the timeout passed).
-- Called outside a coroutine, the same calls simply block (they poll themselves). They run
-- the C library's non-blocking operations (capi/mocore/async.h): the same state machines as
-- the blocking API, so results, errors (tables with category, code, sqlstate, message,
-- operation) and transaction semantics are identical.
--
-- A.poll(list, timeout_ms) is a tiny poll(2): list = { {fd, events}, ... } -> a table of the
-- events that happened per entry. Enough to drive several coroutines in a script or a test.
--
-- Abandoning a coroutine that waits inside a call (never resuming it) cancels the operation
-- when its op is garbage collected: its connection is closed and the client or session is
-- poisoned (calls fail with category "misuse"); open a new one. See docs/async.md.
local core = require "mocore_core"
local mocore = require "mocore"
local I = mocore._internal

local A = { READ = core.MO_WAIT_READ, WRITE = core.MO_WAIT_WRITE, TIMEOUT = core.MO_WAIT_TIMEOUT }
A.poll = core.mo_lua_poll

-- Wait until the op of a mo_*_start call is done: yield (fd, events, timeout_ms) in a
-- coroutine, poll in place otherwise. Returns the final status and the op.
local function await(st, op)
  while st == core.MO_AGAIN do
    local fd, events, timeout = core.mo_op_socket(op), core.mo_op_events(op), core.mo_op_timeout_ms(op)
    local happened
    if coroutine.isyieldable() then
      happened = coroutine.yield(fd, events, timeout)
    else
      happened = core.mo_lua_poll({ { fd, events } }, (events & A.TIMEOUT) ~= 0 and timeout or -1)[1]
    end
    st = core.mo_op_continue(op, happened or 0)
  end
  return st, op
end
A.await = await

local function flags_of(opts)
  return (opts and opts.stream) and core.MO_EXEC_STREAMING or core.MO_EXEC_BUFFERED
end

-- ------------------------------------------------------------------ results
local Result = {}
Result.__index = Result

-- The next row (an array table), or nil at the end. Buffered results never wait.
function Result:next()
  if not self.stream then return core.mo_lua_fetch(self.h) end
  local st = await(core.mo_result_next_start(self.h))
  if st == core.MO_ROW then return core.mo_lua_row(self.h) end
  return nil
end
function Result:rows() return function() return self:next() end end
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

local function execute(start, h, sql, params, opts)
  if type(sql) ~= "string" then I.usage("sql must be a string") end
  local _, op = await(start(h, sql, I.make_params(params), flags_of(opts)))
  return setmetatable({ h = core.mo_op_finish_result(op), stream = flags_of(opts) ~= 0 }, Result)
end

-- ------------------------------------------------------------------ sessions
local Session = {}
Session.__index = Session
function Session:execute(sql, params, opts) return execute(core.mo_session_execute_start, self.h, sql, params, opts) end
function Session:commit() await(core.mo_session_commit_start(self.h)) end
function Session:rollback() await(core.mo_session_rollback_start(self.h)) end
function Session:state() return core.mo_session_get_state(self.h) end

-- ------------------------------------------------------------------ clients
local Client = {}
Client.__index = Client
function Client:execute(sql, params, opts) return execute(core.mo_client_execute_start, self.h, sql, params, opts) end
function Client:ping() await(core.mo_client_ping_start(self.h)) end
function Client:connection_id() return core.mo_client_connection_id(self.h) end
function Client:close() self.h = nil; collectgarbage() end

-- A new session (BEGIN sent). With fn: run fn(session) in it, commit when it returns, roll back
-- and re-raise on error (all waiting yields), and return fn's results.
function Client:session(fn)
  local _, op = await(core.mo_session_open_start(self.h))
  local s = setmetatable({ h = core.mo_op_finish_session(op) }, Session)
  if fn == nil then return s end
  local res = table.pack(pcall(fn, s))
  if res[1] then
    if core.mo_session_get_state(s.h) == core.MO_SESSION_IN_TRANSACTION then s:commit() end
    s.h = nil
    return table.unpack(res, 2, res.n)
  end
  if core.mo_session_get_state(s.h) ~= core.MO_SESSION_POISONED then pcall(s.rollback, s) end
  s.h = nil
  error(res[2], 0)
end

-- client:transaction(fn, retries): Client:session(fn) run again on a "retryable" error, up to
-- `retries` more times (mocore's Client:transaction, with this client's yielding session).
Client.transaction = I.transaction

-- A.connect(url) or A.connect{host=..., ...}: the options of mocore.connect.
function A.connect(opts)
  local _, op = await(core.mo_client_connect_start(I.make_config(opts)))
  return setmetatable({ h = core.mo_op_finish_client(op) }, Client)
end

-- A client on a pooled connection of `pool` (a mocore.pool{...}): when every connection is in
-- use, the acquire yields (the pool's descriptor, A.READ | A.TIMEOUT, the pool timeout left)
-- like every call here. client:close() gives it back.
function A.acquire(pool)
  local _, op = await(core.mo_pool_acquire_start(pool.h))
  return setmetatable({ h = core.mo_op_finish_client(op), pool = pool }, Client)
end

return A
