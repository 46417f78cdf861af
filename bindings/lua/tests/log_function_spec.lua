-- bindings/lua/tests/log_function_spec.lua — the log sink as a Lua function (the `log` option
-- of mocore.connect, mocore_lua.i mo_lua_config_set_log_function), against the real server.
local mocore = require "mocore"
local H = require "helper"

describe("log = function(level, line)", function()
  local function collector()
    local lines = {}
    return lines, function(level, line) lines[#lines + 1] = { level = level, line = line } end
  end
  local function find(lines, level, text)
    for _, l in ipairs(lines) do
      if l.level == level and l.line:find(text, 1, true) then return l end
    end
  end

  it("receives the statement log at its level, instead of stderr", function()
    local lines, fn = collector()
    local c = mocore.connect{ url = H.url, log_mode = "full", log = fn }
    assert.are.equal(1, c:execute("SELECT 1"):scalar())
    H.raises("syntax", nil, function() c:execute("SELEC 1") end)
    assert.truthy(find(lines, "info", "SELECT 1"), "the statement at info")
    assert.truthy(find(lines, "error", "SELEC 1"), "the failed statement at error")
    for _, l in ipairs(lines) do
      assert.is_string(l.line)
      assert.truthy(({ debug = 1, info = 1, warning = 1, error = 1 })[l.level], l.level)
    end
    c:close()
  end)

  it("never sees the password", function()
    local lines, fn = collector()
    local pw = H.url:match("^%w+://[^:]+:([^@]+)@")
    local c = mocore.connect{ url = H.url, log_mode = "full", log = fn }
    c:execute("SELECT 2")
    c:close()
    assert.is_true(#lines > 0)
    for _, l in ipairs(lines) do assert.is_nil(l.line:find(pw, 1, true), l.line) end
  end)

  it("a failing function does not fail the statement", function()
    local calls = 0
    local c = mocore.connect{ url = H.url, log_mode = "full",
                              log = function() calls = calls + 1; error("logger broke") end }
    assert.are.equal(3, c:execute("SELECT 3"):scalar())
    assert.are.equal(4, c:execute("SELECT 4"):scalar())
    assert.is_true(calls >= 2)
    c:close()
  end)

  it("is called from statements run inside coroutines", function()
    local lines, fn = collector()
    local c = mocore.connect{ url = H.url, log_mode = "full", log = fn }
    local co = coroutine.wrap(function()
      local v = c:execute("SELECT 5"):scalar()
      coroutine.yield(v)
      return c:execute("SELECT 6"):scalar()
    end)
    assert.are.equal(5, co())
    assert.are.equal(6, co())
    assert.truthy(find(lines, "info", "SELECT 5"))
    assert.truthy(find(lines, "info", "SELECT 6"))
    c:close()
  end)

  it("one function serves many clients", function()
    local lines, fn = collector()
    for i = 1, 20 do
      local c = mocore.connect{ url = H.url, log_mode = "full", log = fn }
      c:execute("SELECT " .. i)
      c:close()
    end
    assert.truthy(find(lines, "info", "SELECT 20"))
    collectgarbage()
    assert.truthy(find(lines, "info", "SELECT 1"))
  end)

  it("a value that is not a function is an invalid_argument", function()
    H.raises("invalid_argument", nil, function() mocore.connect{ url = H.url, log = "stderr" } end)
  end)

  it("reaches the LuaSQL layer through its options", function()
    local lines, fn = collector()
    local user, pw, host, port, db = H.url:match("^%w+://([^:]+):([^@]+)@([^:]+):(%d+)/(.+)$")
    local env = require("mocore.luasql").mysql()
    local conn = assert(env:connect(db, user, pw, host, tonumber(port), { log_mode = "full", log = fn }))
    -- SET, not DO: MatrixOne has no DO statement
    assert.are.equal(0, conn:execute("SET @mocore_log = 1"))
    conn:close()
    assert.truthy(find(lines, "info", "SET @mocore_log = 1"))
  end)
end)
