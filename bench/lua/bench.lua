-- bench/lua/bench.lua — Lua 5.4: mocore against LuaSQL-MySQL (Debian lua-sql-mysql), side by
-- side (bench/run.sh). Environment: MOCORE_BENCH_URL, MOCORE_BENCH_ROWS, MOCORE_BENCH_INSERTS,
-- MOCORE_BENCH_REPEAT; LUA_PATH/LUA_CPATH find mocore (the build tree).
-- Tasks (best of REPEAT, wall clock):
--   fetch   all rows of bench_rows as array tables; mocore returns typed values (integer,
--           string, float, string, string), LuaSQL strings; both also convert id and score to
--           numbers where the driver did not (tonumber), so both end with the same values
--   insert  MOCORE_BENCH_INSERTS single-row INSERTs in one transaction: mocore with `?`
--           parameters, LuaSQL with conn:escape + string.format (it has no parameters)
-- Impls: mocore (default policy), mocore.prepared (binary protocol throughout),
-- mocore.text (text protocol only), luasql.
-- Prints "BENCH lua <impl> <task> <seconds>".
local URL = assert(os.getenv("MOCORE_BENCH_URL"))
local ROWS = tonumber(os.getenv("MOCORE_BENCH_ROWS") or "100000")
local INSERTS = tonumber(os.getenv("MOCORE_BENCH_INSERTS") or "10000")
local REPEAT = tonumber(os.getenv("MOCORE_BENCH_REPEAT") or "5")
local FETCH = "SELECT id, name, score, created, amount FROM bench_rows"
local clock = os.clock   -- CPU time would hide the server: use wall time from a monotonic source
do
  local ok, system = pcall(require, "system")   -- luasystem (a busted dependency) has gettime
  if ok and system.monotime then clock = system.monotime elseif ok and system.gettime then clock = system.gettime end
end

local impls = {}

-- ---------------------------------------------------------------- mocore
-- "mocore": the default policy (prepare_threshold auto: a statement is prepared from its 2nd
-- execution on MySQL/MariaDB, so the inserts run in the binary protocol and the single fetch
-- in text); "mocore.prepared": prepare_threshold=1, every statement in the binary protocol
-- (the fetch too); "mocore.text": prepare_threshold=0, the text protocol only.
local function with_option(url, opt)
  return url .. (url:find("?", 1, true) and "&" or "?") .. opt
end
local mocore = require "mocore"
for _, variant in ipairs({ { "mocore", URL },
                           { "mocore.prepared", with_option(URL, "prepare_threshold=1") },
                           { "mocore.text", with_option(URL, "prepare_threshold=0") } }) do
  local c = mocore.connect(variant[2])
  impls[#impls + 1] = { variant[1],
    function()
      local n, sum = 0, 0
      for row in c:execute(FETCH):rows() do
        n = n + 1
        sum = sum + row[1] + row[3]   -- already integer and float
      end
      assert(n == ROWS and sum > 0)
    end,
    function()
      c:execute("TRUNCATE TABLE bench_ins")
      c:session(function(s)
        local dec = mocore.decimal("1234.56")
        for i = 0, INSERTS - 1 do
          s:execute("INSERT INTO bench_ins VALUES (?, ?, ?, ?, ?)",
                    { i, "name-" .. i, i * 0.25, ("2024-01-%02d 12:30:15"):format(1 + i % 28), dec })
        end
      end)
    end }
end

-- ---------------------------------------------------------------- LuaSQL
do
  local ok, driver = pcall(require, "luasql.mysql")
  if not ok then
    io.stderr:write("bench lua: luasql skipped (apt install lua-sql-mysql)\n")
  else
    local user, pw, host, port, db = URL:match("^%w+://([^:]+):([^@]+)@([^:]+):(%d+)/(.+)$")
    local env = driver.mysql()
    local conn = assert(env:connect(db, user, pw, host, tonumber(port)))
    conn:execute("SET NAMES utf8mb4")
    impls[#impls + 1] = { "luasql",
      function()
        local cur = assert(conn:execute(FETCH))
        local n, sum = 0, 0
        local row = cur:fetch({}, "n")
        while row do
          n = n + 1
          sum = sum + tonumber(row[1]) + tonumber(row[3])   -- LuaSQL may return strings
          row = cur:fetch({}, "n")
        end
        cur:close()
        assert(n == ROWS and sum > 0)
      end,
      function()
        assert(conn:execute("TRUNCATE TABLE bench_ins"))
        conn:setautocommit(false)
        for i = 0, INSERTS - 1 do
          assert(conn:execute(("INSERT INTO bench_ins VALUES (%d, '%s', %.17g, '2024-01-%02d 12:30:15', 1234.56)")
            :format(i, conn:escape("name-" .. i), i * 0.25, 1 + i % 28)))
        end
        conn:commit()
        conn:setautocommit(true)
      end }
  end
end

-- interleaved, best of REPEAT: every driver sees the same machine state
local best = {}
for _ = 1, REPEAT do
  for _, impl in ipairs(impls) do
    for k, task in ipairs({ "fetch", "insert" }) do
      local t0 = clock()
      impl[k + 1]()
      local t = clock() - t0
      local key = impl[1] .. " " .. task
      if not best[key] or t < best[key] then best[key] = t end
    end
  end
end
for _, impl in ipairs(impls) do
  for _, task in ipairs({ "fetch", "insert" }) do
    print(("BENCH lua %s %s %.4f"):format(impl[1], task, best[impl[1] .. " " .. task]))
  end
end
