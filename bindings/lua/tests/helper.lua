-- bindings/lua/tests/helper.lua — shared by the busted specs (ctest lua.tests).
local assert = require "luassert"
local H = {}

local function read_file(path)
  local f = io.open(path)
  if not f then return nil end
  local s = f:read("l"); f:close()
  return s
end

local dir = os.getenv("MOCORE_TEST_SERVER_DIR") or ""
H.url = os.getenv("MOCORE_TEST_URL") or read_file(dir .. "/url")
H.root_url = os.getenv("MOCORE_TEST_ROOT_URL") or read_file(dir .. "/root_url") or H.url
assert(H.url, "no test server: set MOCORE_TEST_URL or MOCORE_TEST_SERVER_DIR")

-- The project's copy of the conformance vectors (tests/conformance/).
H.source_dir = os.getenv("MOCORE_SOURCE_DIR") or "."

-- Resident set size of this process in KiB.
function H.rss_kib()
  for line in io.lines("/proc/self/status") do
    local kb = line:match("^VmRSS:%s+(%d+)")
    if kb then return tonumber(kb) end
  end
end

-- Call fn expecting a mocore error table of `category` (and server code); returns it.
function H.raises(category, code, fn)
  local ok, e = pcall(fn)
  assert(not ok, "expected a " .. category .. " error")
  assert(type(e) == "table", "error is not a table: " .. tostring(e))
  assert.are.equal(category, e.category)
  if code then assert.are.equal(code, e.code) end
  assert.truthy(tostring(e):find(category, 1, true), "tostring names the category")
  return e
end

-- A JSON decoder that keeps the key order of objects (the SDK's dicts are ordered; dkjson's
-- tables are not): returns the value and a table object -> array of its keys in order.
-- Only what the conformance files hold: objects, arrays, strings (\" \\ \/ \n \t \uXXXX for
-- ASCII), numbers, true, false, null (-> nil).
function H.json_ordered(text)
  local order, pos = setmetatable({}, { __mode = "k" }), 1
  local value
  local function ws() pos = text:find("[^ \t\r\n]", pos) or #text + 1 end
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == '"' then pos = pos + 1; return table.concat(out) end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        if e == "u" then
          out[#out + 1] = utf8.char(tonumber(text:sub(pos + 2, pos + 5), 16)); pos = pos + 6
        else
          out[#out + 1] = ({ n = "\n", t = "\t", r = "\r", b = "\b", f = "\f" })[e] or e; pos = pos + 2
        end
      elseif c == "" then error("unterminated string")
      else out[#out + 1] = c; pos = pos + 1 end
    end
  end
  function value()
    ws()
    local c = text:sub(pos, pos)
    if c == "{" then
      local obj, keys = {}, {}
      pos = pos + 1; ws()
      if text:sub(pos, pos) == "}" then pos = pos + 1; order[obj] = keys; return obj end
      while true do
        ws(); local k = str(); ws()
        assert(text:sub(pos, pos) == ":", "':' expected at " .. pos); pos = pos + 1
        obj[k] = value(); keys[#keys + 1] = k; ws()
        local d = text:sub(pos, pos); pos = pos + 1
        if d == "}" then order[obj] = keys; return obj end
        assert(d == ",", "',' expected at " .. pos)
      end
    elseif c == "[" then
      local arr, n = {}, 0
      pos = pos + 1; ws()
      if text:sub(pos, pos) == "]" then pos = pos + 1; return arr end
      while true do
        n = n + 1; arr[n] = value(); ws()
        local d = text:sub(pos, pos); pos = pos + 1
        if d == "]" then return arr end
        assert(d == ",", "',' expected at " .. pos)
      end
    elseif c == '"' then return str()
    elseif text:find("^true", pos) then pos = pos + 4; return true
    elseif text:find("^false", pos) then pos = pos + 5; return false
    elseif text:find("^null", pos) then pos = pos + 4; return nil
    end
    local num = text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    assert(num and #num > 0, "bad JSON at " .. pos)
    pos = pos + #num
    return math.tointeger(tonumber(num)) or tonumber(num)
  end
  return value(), order
end

-- The kind of the test server as the client reports it ("mariadb", "mysql", "matrixone").
local kind
function H.server_kind()
  if not kind then
    local mocore = require "mocore"
    local c = mocore.connect(H.url)
    kind = c:server_kind(); c:close()
  end
  return kind
end

-- A test that holds on one kind of server only: skips (busted's pending, with the reason) on
-- the others. `pending` is the running test's own (busted defines it inside the test only):
--   it("...", function() H.requires_mariadb(pending, "mysql.user is MariaDB's"); ... end)
local function requires(kinds, label, pending, reason)
  local k = H.server_kind()
  for _, want in ipairs(kinds) do if k == want then return end end
  pending(("%s only (%s); the test server is %s"):format(label, reason, k))
end
function H.requires_mariadb(pending, reason)
  requires({ "mariadb", "mysql" }, "MariaDB/MySQL", pending, reason)
end
function H.requires_matrixone(pending, reason)
  requires({ "matrixone" }, "MatrixOne", pending, reason)
end

function H.is_matrixone() return H.server_kind() == "matrixone" end

-- A table expression of the integers 1..n in a column `seq`: MariaDB's Sequence engine table
-- seq_1_to_<n>, MatrixOne's generate_series elsewhere.
function H.seq(n)
  if H.is_matrixone() then
    return ("(SELECT result AS seq FROM generate_series(1, %d) g) AS seq_1_to_%d"):format(n, n)
  end
  return ("seq_1_to_%d"):format(n)
end

-- MOCORE_TEST_MATRIXONE_URL: the MatrixOne profile (matrixone_spec.lua); nil when not set.
H.matrixone_url = os.getenv("MOCORE_TEST_MATRIXONE_URL")
if H.matrixone_url == "" then H.matrixone_url = nil end

function H.unique(prefix)
  return ("%s_%d_%d"):format(prefix, os.time(), math.random(1, 1e9))
end

return H
