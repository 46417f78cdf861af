-- bindings/lua/tests/test_mocore.lua — the Lua binding against the real MariaDB (ctest lua.tests).
local mocore = require "mocore"

local url = os.getenv("MOCORE_TEST_URL")
if not url then
  local f = assert(io.open((os.getenv("MOCORE_TEST_SERVER_DIR") or "") .. "/url"), "no test server url")
  url = f:read("l"); f:close()
end

local passed, failed = 0, 0
local function test(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1; print("ok   " .. name)
  else failed = failed + 1; print("FAIL " .. name .. ": " .. tostring(err)) end
end
local function eq(a, b, what) if a ~= b then error(("%s: expected %s, got %s"):format(what or "value", tostring(b), tostring(a)), 2) end end
local function raises(category, code, fn)
  local ok, e = pcall(fn)
  assert(not ok, "expected an error")
  assert(type(e) == "table", "error is not a table: " .. tostring(e))
  eq(e.category, category, "category")
  if code then eq(e.code, code, "code") end
  assert(tostring(e):find(category, 1, true), "tostring names the category")
  return e
end

local c = mocore.connect(url)
local t = ("lua_%d_%d"):format(os.time(), math.random(1e6))

test("connect by url and by options", function()
  eq(c:execute("SELECT 1"):scalar(), 1)
  local user, pw, host, port, db = url:match("^%w+://([^:]+):([^@]+)@([^:]+):(%d+)/(.+)$")
  local c2 = mocore.connect{ host = host, port = port, user = user, password = pw, database = db }
  eq(c2:execute("SELECT DATABASE()"):scalar(), db)
end)

test("failed connects", function()
  local host, port = url:match("@([^:]+):(%d+)/")
  raises("auth", 1045, function() mocore.connect{ host = host, port = port, user = "nobody", password = "x" } end)
  raises("connect", nil, function() mocore.connect{ host = "127.0.0.1", port = 1, connect_timeout = 2 } end)
  raises("invalid_argument", nil, function() mocore.connect{ bogus_option = 1 } end)
end)

test("categories come from the C table", function()
  eq(mocore.categories.constraint.pep249, "IntegrityError")
  eq(mocore.categories.retryable.status, mocore.core.MO_E_RETRYABLE)
end)

test("params round trip and row types", function()
  c:execute(("CREATE TABLE %s (id INT PRIMARY KEY, b BIGINT, f DOUBLE, s VARCHAR(50), bl BLOB, d DECIMAL(10,2), dt DATETIME, n INT, bt BIT(8))"):format(t))
  local r = c:execute(("INSERT INTO %s VALUES (?,?,?,?,?,?,?,?,b'101')"):format(t),
    { 1, -9007199254740993, 0.25, "it's", mocore.blob("\0\1\2"), mocore.decimal("12.50"), "2024-01-02 03:04:05", mocore.null })
  eq(r:rowcount(), 1)
  local row = c:execute(("SELECT id, b, f, s, bl, d, dt, n, bt, ? FROM %s"):format(t), { true }):next()
  eq(row[1], 1); eq(math.type(row[1]), "integer"); eq(row[2], -9007199254740993); eq(row[3], 0.25)
  eq(row[4], "it's"); eq(row[5], "\0\1\2"); eq(row[6], "12.50"); eq(row[7], "2024-01-02 03:04:05")
  eq(row[8], nil); eq(row[9], 5); eq(row[10], 1)
end)

test("duplicate key is a constraint error with 1062", function()
  local e = raises("constraint", 1062, function() c:execute(("INSERT INTO %s (id) VALUES (1)"):format(t)) end)
  eq(e.sqlstate, "23000"); eq(e.operation, "client.execute")
end)

test("other categories", function()
  raises("syntax", 1064, function() c:execute("SELEC 1") end)
  raises("not_found", 1146, function() c:execute("SELECT * FROM no_such_table_lua") end)
  raises("already_exists", 1050, function() c:execute(("CREATE TABLE %s (x INT)"):format(t)) end)
  raises("invalid_argument", nil, function() c:execute("SELECT ?, ?", { 1 }) end)
  raises("invalid_argument", nil, function() c:execute(nil) end)
end)

test("rows iterator and streaming", function()
  local n, sum = 0, 0
  for row in c:execute("SELECT seq FROM seq_1_to_100000", nil, { stream = true }):rows() do
    n = n + 1; sum = sum + row[1]
  end
  eq(n, 100000); eq(sum, 100000 * 100001 // 2)
  eq(#c:execute("SELECT seq FROM seq_1_to_5"):fetchall(), 5)
end)

test("session commit, rollback on error", function()
  c:session(function(s) s:execute(("INSERT INTO %s (id) VALUES (2)"):format(t)) end)
  eq(c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar(), 2)
  local ok, e = pcall(c.session, c, function(s)
    s:execute(("INSERT INTO %s (id) VALUES (3)"):format(t))
    error("boom")
  end)
  assert(not ok and tostring(e):find("boom"))
  eq(c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar(), 2)
  raises("constraint", 1062, function()
    c:session(function(s) s:execute(("INSERT INTO %s (id) VALUES (4), (4)"):format(t)) end)
  end)
  eq(c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar(), 2)
end)

test("dry-run journal", function()
  local d = mocore.connect{ host = "127.0.0.1", port = 9, dry_run = true }
  d:execute("DELETE FROM x WHERE id = ?", { 7 })
  eq(d:journal()[1], "DELETE FROM x WHERE id = 7")
  d:clear_journal(); eq(#d:journal(), 0)
end)

test("many session cycles", function()
  for _ = 1, 1000 do c:session(function() end) end
end)

c:execute("DROP TABLE IF EXISTS " .. t)
print(("%d passed, %d failed"):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
