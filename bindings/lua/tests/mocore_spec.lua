-- bindings/lua/tests/mocore_spec.lua — the Lua binding against the real MariaDB (busted;
-- ctest lua.tests), or the server of MOCORE_TEST_URL (MatrixOne too: what holds on one kind
-- says so with H.requires_mariadb, server error numbers that differ are given per kind).
-- The same scenarios as the Python and Ruby suites.
local mocore = require "mocore"
local H = require "helper"

describe("mocore (Lua)", function()
  local c, t
  setup(function()
    c = mocore.connect(H.url)
    t = H.unique("lua")
    c:execute(("CREATE TABLE %s (id INT PRIMARY KEY, b BIGINT, f DOUBLE, s VARCHAR(50), bl BLOB,"
               .. " d DECIMAL(10,2), dt DATETIME(6), n INT, bt BIT(8), j JSON, tm TIME, da DATE)"):format(t))
  end)
  teardown(function()
    c:execute("DROP TABLE IF EXISTS " .. t)
  end)

  describe("connect", function()
    it("by URL and by a table of options", function()
      assert.are.equal(1, c:execute("SELECT 1"):scalar())
      local user, pw, host, port, db = H.url:match("^%w+://([^:]+):([^@]+)@([^:]+):(%d+)/(.+)$")
      local c2 = mocore.connect{ host = host, port = port, user = user, password = pw, database = db }
      assert.are.equal(db, c2:execute("SELECT DATABASE()"):scalar())
      local v = c2:server_version()
      assert.is_string(v)
      c2:close()
    end)

    it("a failed connect raises its category", function()
      local host, port = H.url:match("@([^:]+):(%d+)/")
      -- MatrixOne: 20101 "there is no user nobody"
      local e = H.raises("auth", H.is_matrixone() and 20101 or 1045, function()
        mocore.connect{ host = host, port = port, user = "nobody", password = "wrong-pw-x" }
      end)
      assert.are.equal("client.connect", e.operation)
      assert.falsy(tostring(e):find("wrong-pw-x", 1, true))  -- no secret in the message
      H.raises("connect", nil, function() mocore.connect{ host = "127.0.0.1", port = 1, connect_timeout = 2 } end)
      H.raises("invalid_argument", nil, function() mocore.connect{ bogus_option = 1 } end)
      H.raises("invalid_argument", nil, function() mocore.connect("nonsense://") end)
      H.raises("invalid_argument", nil, function() mocore.connect(42) end)
    end)
  end)

  it("VERSION is the library's version", function()
    assert.are.equal(mocore.core.mo_version_string(), mocore.VERSION)
    assert.truthy(mocore.VERSION:match("^%d+%.%d+%.%d+$"))
  end)

  it("error categories come from the C table", function()
    assert.are.equal("IntegrityError", mocore.categories.constraint.pep249)
    assert.are.equal(mocore.core.MO_E_RETRYABLE, mocore.categories.retryable.status)
  end)

  it("packs parameters in one call: every kind, and the errors of each", function()
    local row = c:execute("SELECT ?, ?, ?, ?, ?, ?, ?, ?",
      { false, 7, 2.5, "x", mocore.blob("\0"), mocore.decimal(1.5), mocore.json("[1]"), { 0.5, 1 } }):next()
    assert.are.equal(0, row[1]); assert.are.equal(7, row[2]); assert.are.equal(2.5, row[3])
    assert.are.equal("x", row[4]); assert.are.equal("\0", row[5]); assert.are.equal("1.5", row[6])
    assert.are.equal("[1]", row[7]); assert.are.equal("[0.5,1]", row[8])
    local function fails(params, category, message)
      local ok, e = pcall(c.execute, c, "SELECT ?", params)
      assert.is_false(ok); assert.are.equal(category, e.category)
      assert.truthy(e.message:find(message, 1, true), e.message)
    end
    fails({ print }, "invalid_argument", "parameter 1: cannot send a function")
    fails({ 1, {} }, "invalid_argument", "parameter 2: cannot send a table")
    fails({ setmetatable({}, {}) }, "invalid_argument", "parameter 1: cannot send a table")
    fails({ { 1, "x" } }, "invalid_argument", "vector elements must be numbers")
    fails({ "\255" }, "invalid_argument", "not valid UTF-8")
    fails({ mocore.decimal("1,5") }, "invalid_argument", "decimal value is not a number")
    fails({ 1, 2 }, "invalid_argument", "placeholder")
  end)

  it("a statement without rows answers with its counters alone", function()
    local tt = H.unique("lua_counts")
    c:execute(("CREATE TABLE %s (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"):format(tt))
    local r = c:execute(("INSERT INTO %s (v) VALUES (?), (?)"):format(tt), { 1, 2 })
    -- a multi-row INSERT's id: the first row's (MariaDB), the last row's (MatrixOne)
    assert.are.equal(2, r:rowcount()); assert.are.equal(H.is_matrixone() and 2 or 1, r:lastrowid())
    assert.is_nil(r:next()); assert.is_nil(r:scalar())
    assert.are.same({}, r:fetchall()); assert.are.same({}, r:columns())
    for _ in r:rows() do error("no rows expected") end
    c:session(function(s)
      local w = s:execute(("INSERT INTO %s (v) VALUES (?)"):format(tt), { 3 })
      assert.are.equal(1, w:rowcount()); assert.are.equal(3, w:lastrowid())
    end)
    assert.are.equal(3, c:execute(("SELECT COUNT(*) FROM %s"):format(tt)):scalar())
    c:execute("DROP TABLE " .. tt)
    local s = c:session()
    s:close()
    local ok, e = pcall(s.execute, s, "SELECT 1")
    assert.is_false(ok); assert.are.equal("invalid_argument", e.category)
  end)

  it("round-trips every parameter type (CRUD)", function()
    local r = c:execute(("INSERT INTO %s VALUES (?,?,?,?,?,?,?,?,b'101',?,?,?)"):format(t),
      { 1, -9007199254740993, 0.25, "it's \"q\" \\ \u{e9}", mocore.blob("\0\1\2\255"), mocore.decimal("12.50"),
        "2024-01-02 03:04:05.123456", mocore.null, mocore.json('{"a": [1, 2]}'), "-01:02:03", "2024-02-29" })
    assert.are.equal(1, r:rowcount())
    local row = c:execute(("SELECT id, b, f, s, bl, d, dt, n, bt, j, tm, da, ? FROM %s WHERE id = ?"):format(t),
                          { true, 1 }):next()
    assert.are.equal(1, row[1]); assert.are.equal("integer", math.type(row[1]))
    assert.are.equal(-9007199254740993, row[2]); assert.are.equal(0.25, row[3])
    assert.are.equal("it's \"q\" \\ \u{e9}", row[4]); assert.are.equal("\0\1\2\255", row[5])
    assert.are.equal("12.50", row[6]); assert.are.equal("2024-01-02 03:04:05.123456", row[7])
    assert.is_nil(row[8]); assert.are.equal(5, row[9])
    assert.truthy(row[10]:find('"a"', 1, true)); assert.are.equal("-01:02:03", row[11])
    assert.are.equal("2024-02-29", row[12]); assert.are.equal(1, row[13])
    assert.are.equal(1, c:execute(("UPDATE %s SET s = ? WHERE id = ?"):format(t), { "new", 1 }):rowcount())
    assert.are.equal("new", c:execute(("SELECT s FROM %s WHERE id = 1"):format(t)):scalar())
    assert.are.equal(1, c:execute(("DELETE FROM %s WHERE id = ?"):format(t), { 1 }):rowcount())
    assert.are.same({ "id" }, c:execute(("SELECT id FROM %s"):format(t)):columns())
  end)

  describe("errors", function()
    it("six categories each with the server errno", function()
      c:execute(("INSERT INTO %s (id) VALUES (100)"):format(t))
      -- the server's error numbers: MariaDB's, and MatrixOne's where they differ (MatrixOne
      -- sends SQLSTATE HY000; mocore keeps the server's)
      local mo = H.is_matrixone()
      local e = H.raises("constraint", 1062, function() c:execute(("INSERT INTO %s (id) VALUES (100)"):format(t)) end)
      assert.are.equal(mo and "HY000" or "23000", e.sqlstate); assert.are.equal("client.execute", e.operation)
      H.raises("syntax", 1064, function() c:execute("SELEC 1") end)
      H.raises("not_found", mo and 1064 or 1146, function() c:execute("SELECT * FROM no_such_table_lua") end)
      H.raises("already_exists", 1050, function() c:execute(("CREATE TABLE %s (x INT)"):format(t)) end)
      if not mo then   -- MatrixOne's root may read mysql.user
        H.raises("auth", 1142, function() c:execute("SELECT * FROM mysql.user") end)
      end
      c:execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")
      H.raises("data", mo and 1690 or 1264, function() c:execute(("INSERT INTO %s (id, b) VALUES (101, 1e30)"):format(t)) end)
      c:execute(("DELETE FROM %s WHERE id >= 100"):format(t))
    end)

    it("nil and wrong types to every public function give a clear error, not a crash", function()
      H.raises("invalid_argument", nil, function() c:execute(nil) end)
      H.raises("invalid_argument", nil, function() c:execute("SELECT ?", "not a table") end)
      H.raises("invalid_argument", nil, function() c:execute("SELECT ?", { {} }) end)
      H.raises("invalid_argument", nil, function() c:execute("SELECT ?", { print }) end)
      H.raises("invalid_argument", nil, function() c:execute("SELECT ?, ?", { 1 }) end)
      H.raises("invalid_argument", nil, function() c:execute("SELECT ?", { 0 / 0 }) end)
      local closed = mocore.connect(H.url)
      closed:close()
      H.raises("invalid_argument", nil, function() closed:execute("SELECT 1") end)
      -- every function of the C module, with nothing, nils and wrong types: an error or a
      -- value, never a crash
      local skip = { mo_lua_fetch = false }
      local n = 0
      for name, fn in pairs(mocore.core) do
        if type(fn) == "function" and skip[name] == nil then
          for _, args in ipairs({ {}, { nil, nil, nil, nil }, { 42, "x", {}, true }, { "x", 1, 2, 3, 4, 5, 6, 7 } }) do
            pcall(fn, table.unpack(args, 1, 8))
          end
          n = n + 1
        end
      end
      assert.is_true(n > 150)
      local ok, e = pcall(mocore.core.mo_lua_fetch, "not a result")
      assert.is_false(ok); assert.are.equal("invalid_argument", e.category)
      -- the methods of the Lua layer
      for _, obj in ipairs({ c, c:execute("SELECT 1") }) do
        for name, fn in pairs(getmetatable(obj)) do
          if type(fn) == "function" and name ~= "close" and name ~= "session" and name:sub(1, 1) ~= "_" then  -- methods
            pcall(fn, obj, nil, nil); pcall(fn, obj, 42, {}); pcall(fn, nil)
          end
        end
      end
      assert.are.equal(1, c:execute("SELECT 1"):scalar())  -- still fine
    end)
  end)

  describe("rows", function()
    it("iterate, fetch all, scalar", function()
      local n = 0
      for row in c:execute("SELECT seq FROM " .. H.seq(10)):rows() do n = n + row[1] end
      assert.are.equal(55, n)
      assert.are.equal(5, #c:execute("SELECT seq FROM " .. H.seq(5)):fetchall())
      assert.is_nil(c:execute("SELECT 1 FROM " .. H.seq(3) .. " WHERE seq > 5"):scalar())
    end)

    it("a row is a table built in ONE C call (no per-cell round trips)", function()
      local r = c:execute("SELECT seq, 'x', seq * 0.5e0, NULL, CAST(seq AS DECIMAL(5,1)) FROM " .. H.seq(100))
      local calls, saved = {}, {}
      for name, fn in pairs(mocore.core) do
        if type(fn) == "function" then
          saved[name] = fn
          mocore.core[name] = function(...) calls[name] = (calls[name] or 0) + 1; return fn(...) end
        end
      end
      local rows = {}
      local ok, err = pcall(function() for row in r:rows() do rows[#rows + 1] = row end end)
      for name, fn in pairs(saved) do mocore.core[name] = fn end
      assert(ok, err)
      assert.are.equal(100, #rows)
      assert.are.same({ mo_lua_fetch = 101 }, calls)   -- 100 rows + the end, nothing per cell
      assert.are.same({ 7, "x", 3.5 }, { rows[7][1], rows[7][2], rows[7][3] })
      assert.are.equal("integer", math.type(rows[7][1])); assert.are.equal("float", math.type(rows[7][3]))
    end)

    it("streams 100,000 rows with flat memory", function()
      collectgarbage(); collectgarbage()
      local n, sum, rss_10k = 0, 0, nil
      local r = c:execute("SELECT seq, 'abcdefghijklmnopqrstuvwxyz', seq * 0.5 FROM " .. H.seq(100000), nil,
                          { stream = true })
      for row in r:rows() do
        n = n + 1; sum = sum + row[1]
        if n == 10000 then collectgarbage(); rss_10k = H.rss_kib() end
      end
      collectgarbage()
      local growth = H.rss_kib() - rss_10k
      assert.are.equal(100000, n); assert.are.equal(100000 * 100001 // 2, sum)
      print(("\n  streamed 100,000 rows: RSS grew %d KiB from row 10,000 to the end"):format(growth))
      assert.is_true(growth < 4096, "RSS grew " .. growth .. " KiB")
    end)
  end)

  describe("prepared statements", function()
    it("give the same rows as the text protocol", function()
      -- prepare_threshold=1: every SELECT runs in the binary protocol (MO_EXEC_PREPARED)
      local sep = H.url:find("?", 1, true) and "&" or "?"
      local text = mocore.connect(H.url .. sep .. "prepare_threshold=0")
      local binary = mocore.connect(H.url .. sep .. "prepare_threshold=1")
      local q = "SELECT -9223372036854775807 - 1, CAST(18446744073709551615 AS UNSIGNED), 2.5e0,"
             .. " CAST(1.5 AS FLOAT), 'x', NULL, CAST('2024-02-29 10:11:12.5' AS DATETIME(1)),"
             .. " 12.50, CAST(7 AS SIGNED)"
      local function rows(cl)
        local out = {}
        for row in cl:execute(q):rows() do out[#out + 1] = row end
        return out
      end
      local want = rows(text)
      for _ = 1, 2 do -- prepared, then from the cache
        local got = rows(binary)
        assert.are.equal(#want, #got)
        for i = 1, 9 do
          assert.are.equal(want[1][i], got[1][i])
          assert.are.equal(math.type(want[1][i]), math.type(got[1][i]))
        end
      end
      text:close()
      binary:close()
    end)
  end)

  describe("sessions", function()
    it("commit on return, rollback on error and re-raise", function()
      c:execute(("DELETE FROM %s"):format(t))
      c:session(function(s) s:execute(("INSERT INTO %s (id) VALUES (2)"):format(t)) end)
      assert.are.equal(1, c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar())
      local ok, e = pcall(c.session, c, function(s)
        s:execute(("INSERT INTO %s (id) VALUES (3)"):format(t))
        error("boom")
      end)
      assert.is_false(ok); assert.truthy(tostring(e):find("boom"))
      assert.are.equal(1, c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar())
      H.raises("constraint", 1062, function()
        c:session(function(s) s:execute(("INSERT INTO %s (id) VALUES (4), (4)"):format(t)) end)
      end)
      assert.are.equal(1, c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar())
    end)

    it("transaction runs again on a retryable error, up to retries more times", function()
      c:execute(("DELETE FROM %s"):format(t))
      local calls = 0
      local function body(s)
        calls = calls + 1
        s:execute(("INSERT INTO %s (id) VALUES (?)"):format(t), { calls })
        if calls < 3 then
          error(setmetatable({ category = "retryable", code = 1213, message = "simulated deadlock" },
                             { __tostring = function(e) return "mocore retryable error: " .. e.message end }), 0)
        end
        return "done", calls
      end
      assert.are.same({ "done", 3 }, { c:transaction(body, 5) })
      assert.are.same({ { 3 } }, c:execute(("SELECT id FROM %s"):format(t)):fetchall())   -- 1, 2 rolled back
      calls = 0
      local e = H.raises("retryable", 1213, function() c:transaction(body, 1) end)
      assert.are.equal("simulated deadlock", e.message)
      assert.are.equal(2, calls)
      H.raises("constraint", 1062, function()   -- not retryable: raised at once
        c:transaction(function(s) s:execute(("INSERT INTO %s (id) VALUES (3)"):format(t)) end, 5)
      end)
      H.raises("invalid_argument", nil, function() c:transaction(body, -1) end)
    end)

    it("explicit commit and rollback", function()
      c:execute(("DELETE FROM %s"):format(t))
      local s = c:session()
      s:execute(("INSERT INTO %s (id) VALUES (10)"):format(t))
      s:commit()
      s:begin()
      s:execute(("INSERT INTO %s (id) VALUES (12)"):format(t))
      s:rollback()
      assert.are.same({ { 10 } }, c:execute(("SELECT id FROM %s"):format(t)):fetchall())
    end)

    it("savepoints are unsupported on MatrixOne, nothing sent", function()
      H.requires_matrixone(pending, "MatrixOne has no savepoints")
      local s = c:session()
      local e = H.raises("unsupported", nil, function() s:savepoint("sp") end)
      assert.are.equal("session.savepoint", e.operation)
      s:rollback()
    end)

    it("explicit commit, rollback and savepoints", function()
      H.requires_mariadb(pending, "MatrixOne has no savepoints")
      c:execute(("DELETE FROM %s"):format(t))
      local s = c:session()
      s:execute(("INSERT INTO %s (id) VALUES (10)"):format(t))
      s:savepoint("sp")
      s:execute(("INSERT INTO %s (id) VALUES (11)"):format(t))
      s:rollback_to_savepoint("sp")
      s:savepoint("sp2")
      s:release_savepoint("sp2")
      H.raises("not_found", nil, function() s:rollback_to_savepoint("sp2") end)   -- released (1305)
      s:commit()
      s:begin()
      s:execute(("INSERT INTO %s (id) VALUES (12)"):format(t))
      s:rollback()
      assert.are.same({ { 10 } }, c:execute(("SELECT id FROM %s"):format(t)):fetchall())
    end)

    it("open/close cycles without memory growth", function()
      -- What this proves: a session cycle leaks nothing. A leaked session holds at least a
      -- connection handle and its 16 KiB network buffer, so the bound is per cycle (under
      -- ~230 B/cycle on MariaDB, ~1.1 KiB on MatrixOne: far below one leaked handle). Every
      -- session opens a connection of its own: about a millisecond on the local MariaDB, so
      -- 10,000 cycles; about 45 ms on MatrixOne, where 10,000 would take 7.5 minutes and
      -- 1,000 already show one leaked handle a cycle as 15 MB.
      local warm, measured, bound_kib = 1000, 9000, 2048
      if H.is_matrixone() then warm, measured, bound_kib = 100, 900, 1024 end
      for _ = 1, warm do c:session(function() end) end
      collectgarbage(); collectgarbage()
      local before = H.rss_kib()
      for _ = 1, measured do c:session(function() end) end
      collectgarbage(); collectgarbage()
      local growth = H.rss_kib() - before
      print(("\n  %d session cycles: RSS grew %d KiB over the last %d"):format(warm + measured, growth, measured))
      assert.is_true(growth < bound_kib, "RSS grew " .. growth .. " KiB over " .. measured .. " cycles")
    end)
  end)

  it("dry-run journal", function()
    local d = mocore.connect{ host = "127.0.0.1", port = 9, dry_run = true }
    d:execute("DELETE FROM x WHERE id = ?", { 7 })
    assert.are.equal("DELETE FROM x WHERE id = 7", d:journal()[1])
    d:clear_journal()
    assert.are.equal(0, #d:journal())
  end)
end)
