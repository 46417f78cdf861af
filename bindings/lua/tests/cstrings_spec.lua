-- A NUL inside a name never truncates it: every `const char *` argument of every wrapped C
-- function refuses a string holding NUL with the invalid_argument error table before the C
-- function runs; data arguments (`const char *, size_t` pairs: SQL text, parameter values,
-- blobs) keep NUL as data. The sweep reads the public headers (capi/mocore/*.h).
local mocore = require "mocore"
local H = require "helper"
local core = mocore.core

local function dry() return mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true") end

local function header_files()
  local p = io.popen('ls "' .. H.source_dir .. '"/capi/mocore/*.h')
  local out = {}
  for f in p:lines() do out[#out + 1] = f end
  p:close()
  return out
end

-- The Lua-level arguments of a C prototype: { {kind, name}, ... }; kinds "cstr", "data" (a
-- pair, a vector or a name list: one argument), "pointer", "number". Outputs are dropped.
local function lua_args(decls)
  local args, i = {}, 1
  local scalar_out = { int = 1, unsigned = 1, size_t = 1, int64_t = 1, uint64_t = 1, double = 1,
                       mo_type = 1, mo_server_kind = 1 }
  while i <= #decls do
    local d, nxt, nxt2 = decls[i], decls[i + 1] or "", decls[i + 2] or ""
    local name = d:match("([%w_]+)$")
    local base = d:match("^const%s+([%w_]+)%s*%*%s*[%w_]+$") or d:match("^([%w_]+)%s*%*%s*[%w_]+$")
    if d:find("^const char %*const %*") and d:find("column_names") then
      args[#args + 1] = { "data", name }; i = i + 3
    elseif d:find("^const char %*const %*") then
      args[#args + 1] = { "data", name }; i = i + 2
    elseif d:find("^const void %*") and nxt:find("^size_t") and nxt2:find("mo_vector_element") then
      args[#args + 1] = { "data", name }; i = i + 3
    elseif d:find("^const [cv][ho][ai][rd] %*[%w_]+$") and nxt:find("^size_t ") then
      args[#args + 1] = { "data", name }; i = i + 2
    elseif d:find("%*%*%s*[%w_]+$") or (base and scalar_out[base] and not d:find("^const char")) then
      i = i + 1
    elseif d:find("^const char %*[%w_]+$") then
      args[#args + 1] = { "cstr", name }; i = i + 1
    else
      args[#args + 1] = { d:find("%*") and "pointer" or "number", name }; i = i + 1
    end
  end
  return args
end

describe("C string arguments", function()
  it("refuse a NUL in every C-string argument of every wrapped function", function()
    local checked = 0
    for _, path in ipairs(header_files()) do
      local f = assert(io.open(path)); local text = f:read("a"); f:close()
      text = text:gsub("/%*.-%*/", "")
      for fname, params in text:gmatch("MO_API%s+[%w_%s%*]-(mo_[%w_]+)%s*%(([^;{]-)%)%s*;") do
        local fn = core[fname]
        params = params:gsub("%s+", " ")
        if fn and params ~= "" and params ~= "void" then
          local decls = {}
          for d in params:gmatch("[^,]+") do decls[#decls + 1] = d:match("^%s*(.-)%s*$") end
          local args = lua_args(decls)
          for k, a in ipairs(args) do
            if a[1] == "cstr" then
              local call = {}
              for j, b in ipairs(args) do
                if j == k then call[j] = "a\0; DROP TABLE t"
                elseif b[1] == "cstr" then call[j] = "x"
                elseif b[1] == "number" then call[j] = 0
                else call[j] = nil end
              end
              local ok, e = pcall(fn, table.unpack(call, 1, #args))
              assert(not ok, fname .. "(" .. a[2] .. ") accepted a NUL")
              assert.are.equal("table", type(e), fname .. ": " .. tostring(e))
              assert.are.equal("invalid_argument", e.category, fname .. ": " .. tostring(e.message))
              assert.are.equal(fname, e.operation)
              assert.truthy(e.message:find("argument '" .. a[2] .. "' contains a NUL byte at offset 1", 1, true),
                            fname .. ": " .. e.message)
              checked = checked + 1
            end
          end
        end
      end
    end
    assert.is_true(checked > 200, "checked " .. checked)
  end)

  it("a manager call with a NUL sends nothing", function()
    local c = dry()
    local e = H.raises("invalid_argument", nil, function()
      c.snapshots:create{ name = "a\0; DROP", level = "database", database = "db" } end)
    assert.truthy(e.message:find("'name'", 1, true))
    H.raises("invalid_argument", nil, function() c.snapshots:create("s1", "database", "db\0x") end)
    H.raises("invalid_argument", nil, function() c.account:create_user{ user_name = "u", password = "pw\0rest" } end)
    assert.are.same({}, c:journal())
    c.snapshots:create{ name = "a; DROP", level = "database", database = "db" }
    assert.are.equal("CREATE SNAPSHOT `a; DROP` FOR DATABASE `db`", c:journal()[1])
    H.raises("invalid_argument", nil, function() mocore.connect{ url = "matrixone://u:p@127.0.0.1:1/db?dry_run=true", user = "root\0x" } end)
    H.raises("invalid_argument", nil, function() c:session(function(s) s:savepoint("sp\0x") end) end)
  end)

  it("data arguments keep NUL: dry-run journal and a real round trip", function()
    local c = dry()
    c:execute("SELECT ?, ?", { "a\0b", mocore.blob("\0\1") })
    assert.are.same({ "SELECT CAST(X'610062' AS CHAR), X'0001'" }, c:journal())
    local s = mocore.connect(H.url)
    assert.are.equal("a\0b", s:execute("SELECT ?", { "a\0b" }):scalar())
    assert.are.equal("x\0y", s:execute("SELECT 'x\\0y'"):scalar())
    s:close()
  end)
end)
