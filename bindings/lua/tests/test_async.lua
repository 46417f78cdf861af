-- bindings/lua/tests/test_async.lua — the coroutine API (mocore_async) against the real
-- MariaDB of the test harness (ctest lua.async): two coroutines driven by one poll loop run
-- two slow queries at the same time; streaming, sessions and errors through the same path.
local mocore = require "mocore"
local A = require "mocore_async"

local function read_file(path)
  local f = io.open(path)
  if not f then return nil end
  local s = f:read("l"); f:close()
  return s
end
local url = os.getenv("MOCORE_TEST_URL") or read_file((os.getenv("MOCORE_TEST_SERVER_DIR") or "") .. "/url")
if not url then print("SKIP: no test server (MOCORE_TEST_URL or MOCORE_TEST_SERVER_DIR)"); os.exit(77) end

-- The event loop: resume every coroutine; each one that yields (fd, events, timeout) waits in
-- one shared poll(); resume it with the events that happened. Runs until all have finished.
local function run(...)
  local tasks = {}
  for i, fn in ipairs({ ... }) do tasks[i] = { co = coroutine.create(fn) } end
  local function step(t, ...)
    local ok, fd, events, timeout = coroutine.resume(t.co, ...)
    if not ok then error(fd, 0) end
    t.fd, t.events, t.timeout = fd, events, timeout
  end
  for _, t in ipairs(tasks) do step(t) end
  while true do
    local waiting, list, timeout = {}, {}, -1
    for _, t in ipairs(tasks) do
      if coroutine.status(t.co) == "suspended" then
        waiting[#waiting + 1] = t
        list[#list + 1] = { t.fd, t.events }
        if (t.events & A.TIMEOUT) ~= 0 and (timeout < 0 or t.timeout < timeout) then timeout = t.timeout end
      end
    end
    if #waiting == 0 then return end
    local ready = A.poll(list, timeout)
    for i, t in ipairs(waiting) do
      if ready[i] ~= 0 then step(t, ready[i]) end
    end
  end
end

local passed, failed = 0, 0
local function test(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1; print("ok - " .. name)
  else failed = failed + 1; print("not ok - " .. name .. ": " .. tostring(err)) end
end

test("two slow queries on two connections interleave in one poll loop", function()
  -- Each query reports when the server started it (NOW(6)) and when it finished (SYSDATE(6),
  -- evaluated after the SLEEP). Run one after the other, the two intervals would be disjoint;
  -- run at the same time, they overlap. The proof is the order of events, not a wall-clock
  -- budget (a loaded machine only stretches both intervals; MatrixOne's UNIX_TIMESTAMP is
  -- whole seconds).
  local log, span = {}, {}
  local function worker(id)
    return function()
      local c = A.connect(url)
      log[#log + 1] = id .. " start"
      local row = c:execute("SELECT CAST(NOW(6) AS CHAR), SLEEP(0.3), CAST(SYSDATE(6) AS CHAR)"):next()
      assert(row[2] == 0, "SLEEP returned " .. tostring(row[2]))
      span[id] = { row[1], row[3] }
      log[#log + 1] = id .. " done"
      c:close()
    end
  end
  run(worker("a"), worker("b"))
  print(("# two SELECT SLEEP(0.3) in two coroutines, one poll loop: a %s .. %s, b %s .. %s"):format(
    span.a[1], span.a[2], span.b[1], span.b[2]))
  -- both started before either finished: the loop drove them at the same time
  assert(log[1]:find("start") and log[2]:find("start"), table.concat(log, ", "))
  -- and the server ran them at the same time (same-format timestamps compare as strings)
  assert(span.a[1] < span.b[2] and span.b[1] < span.a[2],
         ("disjoint: a %s .. %s, b %s .. %s"):format(span.a[1], span.a[2], span.b[1], span.b[2]))
end)

test("streaming rows, sessions and errors through the coroutine path", function()
  run(function()
    local c = A.connect(url)
    -- streaming: 3000 rows, the server pauses half-way so a fetch must wait
    local r = c:execute("WITH RECURSIVE t(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM t WHERE n < 99) " ..
                        "SELECT a.n * 100 + b.n + 1, IF(a.n = 15 AND b.n = 0, SLEEP(0.05), 0) " ..
                        "FROM t a, t b WHERE a.n < 30", nil, { stream = true })
    local n, sum = 0, 0
    for row in r:rows() do n = n + 1; sum = sum + row[1] end
    assert(n == 3000 and sum == 3000 * 3001 // 2, ("%d rows, sum %d"):format(n, sum))
    assert(r:rowcount() == 3000)

    c:execute("DROP TABLE IF EXISTS lua_async")
    c:execute("CREATE TABLE lua_async (id INT PRIMARY KEY) ENGINE=InnoDB")
    c:session(function(s) s:execute("INSERT INTO lua_async VALUES (?)", { 1 }) end)
    local ok, e = pcall(c.session, c, function(s)
      s:execute("INSERT INTO lua_async VALUES (2)")
      error("boom")
    end)
    assert(not ok and tostring(e):find("boom"))
    local s = c:session()
    s:execute("INSERT INTO lua_async VALUES (3)")
    s:rollback()
    assert(c:execute("SELECT COUNT(*) FROM lua_async"):scalar() == 1)

    local ok2, err = pcall(c.execute, c, "INSERT INTO lua_async VALUES (1)")
    assert(not ok2 and err.category == "constraint" and err.code == 1062, tostring(err))
    local ok3, err3 = pcall(c.execute, c, "SELEC 1")
    assert(not ok3 and err3.category == "syntax" and err3.operation == "client.execute", tostring(err3))
    c:ping()
    c:execute("DROP TABLE lua_async")
    c:close()
  end, function()
    -- a second coroutine sleeping on the server meanwhile
    local c = A.connect(url)
    assert(c:execute("SELECT SLEEP(0.1)"):scalar() == 0)
    c:close()
  end)
end)

test("coroutines share a pool of one: the second waits in the loop", function()
  local pool = mocore.pool{ url = url, pool_size = 1, max_overflow = 0, pool_timeout = 10 }
  local log = {}
  local function worker(id)
    return function()
      local c = A.acquire(pool)
      log[#log + 1] = id .. " got"
      assert(c:execute("SELECT SLEEP(0.2)"):scalar() == 0)
      log[#log + 1] = id .. " done"
      c:close()
    end
  end
  run(worker("a"), worker("b"))
  assert(table.concat(log, ",") == "a got,a done,b got,b done", table.concat(log, ","))
  local st = pool:stats()
  assert(st.waits == 1 and st.releases == 2 and st.connects == 1, "waits " .. st.waits)
  pool:close()
end)

test("outside a coroutine the same calls block", function()
  local c = A.connect(url)
  assert(c:execute("SELECT 40 + 2"):scalar() == 42)
  local r = c:execute("SELECT 1 UNION ALL SELECT 2", nil, { stream = true })
  assert(#r:fetchall() == 2)
  c:close()
end)

print(("%d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
