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

function H.unique(prefix)
  return ("%s_%d_%d"):format(prefix, os.time(), math.random(1, 1e9))
end

return H
