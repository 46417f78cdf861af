-- bindings/lua/tests/pool_spec.lua — mocore.pool against the real server (busted; lua.tests).
local mocore = require "mocore"
local H = require "helper"

describe("mocore.pool (Lua)", function()
  it("hands out clients, resets and reuses their connections", function()
    local pool = mocore.pool{ url = H.url, pool_size = 1, max_overflow = 0, log_mode = "off" }
    local first = pool:connection(function(c)
      assert.is_true(c:pooled())
      c:execute("SET @pool_lua = 3")
      return c:execute("SELECT CONNECTION_ID()"):scalar()
    end)
    local again, var = pool:connection(function(c)
      return c:execute("SELECT CONNECTION_ID()"):scalar(), c:execute("SELECT @pool_lua"):scalar()
    end)
    assert.are.equal(first, again)
    -- COM_RESET_CONNECTION clears user variables; MatrixOne refuses it and the pool falls back
    -- to ROLLBACK, so they survive there (docs/pool.md)
    if H.is_matrixone() then assert.are.equal("3", var) else assert.is_nil(var) end
    local st = pool:stats()
    assert.are.equal(2, st.acquires)
    assert.are.equal(2, st.releases)
    assert.are.equal(0, st.in_use)
    assert.are.equal(1, st.connects)
    assert.is_true(st.wait_p99 <= st.wait_max)
    pool:close()
  end)

  it("gives the client back when the block raises", function()
    local pool = mocore.pool{ url = H.url, pool_size = 1, max_overflow = 0, log_mode = "off" }
    local ok = pcall(pool.connection, pool, function(c) c:execute("SELECT nonsense FROM") end)
    assert.is_false(ok)
    assert.are.equal(0, pool:stats().in_use)
    assert.are.equal(1, pool:connection(function(c) return c:execute("SELECT 1"):scalar() end))
    pool:close()
  end)

  it("times out when exhausted, with a timeout error", function()
    local pool = mocore.pool{ url = H.url, pool_size = 1, max_overflow = 0, pool_timeout = 0.2,
                              log_mode = "off" }
    local held = pool:acquire()
    H.raises("timeout", nil, function() pool:acquire() end)
    assert.are.equal(1, pool:stats().timeouts)
    held:close()
    pool:acquire():close()
    pool:close()
  end)

  it("skips a dead endpoint", function()
    local pool = mocore.pool{ url = H.url, endpoints = { "127.0.0.1:1" }, pool_size = 2,
                              retry_interval = 60, log_mode = "off" }
    local a, b = pool:acquire(), pool:acquire()
    assert.are.equal(5, a:execute("SELECT 5"):scalar())
    assert.are.equal(5, b:execute("SELECT 5"):scalar())
    local eps = pool:endpoints()
    assert.are.equal(2, #eps)
    assert.is_true(eps[1].up)
    assert.are.equal(2, eps[1].connections)
    assert.is_false(eps[2].up)
    assert.are.equal(1, pool:stats().connect_failures)
    a:close(); b:close()
    pool:close()
  end)

  it("refuses bad settings", function()
    H.raises("invalid_argument", nil, function() mocore.pool{ url = H.url, pool_reset = "never" } end)
    H.raises("invalid_argument", nil, function() mocore.pool{ url = H.url, pool_size = 0 } end)
  end)
end)
