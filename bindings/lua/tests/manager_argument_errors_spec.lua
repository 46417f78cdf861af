-- bindings/lua/tests/manager_argument_errors_spec.lua — every case of
-- tests/vectors/manager_argument_errors.toml through Lua (busted; ctest lua.tests): the same
-- argument mistake gives the same error category, operation and message as in Python and
-- Ruby, and nothing reaches the journal. The build writes the cases as JSON (gen-managers.py
-- --vectors; MOCORE_MANAGER_VECTORS_JSON names the file), no value as null.
local mocore = require "mocore"
local json = require "dkjson"   -- shipped with busted (Debian lua-dkjson)

local path = os.getenv("MOCORE_MANAGER_VECTORS_JSON")
assert(path and path ~= "", "MOCORE_MANAGER_VECTORS_JSON: the generated vectors file (ctest sets it)")
local NO_VALUE = {}
local f = assert(io.open(path))
local cases = assert(json.decode(f:read("a"), 1, NO_VALUE)).case
f:close()

-- positional args, and kwargs by name in the same table (m:f{ a, b, name = ... }); null -> nil
local function call(target, method, case)
  local args, n = {}, case.args and #case.args or 0
  for i = 1, n do
    if case.args[i] ~= NO_VALUE then args[i] = case.args[i] end
  end
  if case.kwargs then
    for k, x in pairs(case.kwargs) do
      if x ~= NO_VALUE then args[k] = x end
    end
    return target[method](target, args)
  end
  return target[method](target, table.unpack(args, 1, n))
end

describe("argument errors (tests/vectors/manager_argument_errors.toml)", function()
  it("give the one message of the description in Lua, sending nothing", function()
    assert.is_true(#cases >= 30)
    for i, case in ipairs(cases) do
      local c = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true")
      local target = case.manager == "table" and c or c[case.manager]
      local what = ("case %d %s.%s"):format(i, case.manager, case.method)
      local ok, e = pcall(call, target, case.method, case)
      assert(not ok, what .. " passed")
      assert(type(e) == "table", what .. ": not an error table: " .. tostring(e))
      assert.are.equal(case.category, e.category, what)
      assert.are.equal(case.operation, e.operation, what)
      assert.are.equal(case.message, e.message, what)
      assert.are.same({}, c:journal(), what)
      c:close()
    end
  end)
end)

describe("every generated method", function()
  it("called with garbage, raises an error table (or runs), never a string or a crash", function()
    local managers = require "mocore_managers"
    local c = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true")
    local garbage = { {}, { 1, 2, 3, 4, 5, 6, 7, 8 }, { true, false }, { {}, {}, {} }, { { bogus = 1 } },
                      { { 1 } }, { function() end }, { "a\0b", "t" }, { mocore.null, mocore.null },
                      { { "x", { "y" }, z = 1 } }, { "x", "y", "z", "w", "v", "u", "s" } }
    local n = 0
    local function sweep(what, obj, methods)
      for name, fn in pairs(methods) do
        if type(fn) == "function" then
          for _, g in ipairs(garbage) do
            local ok, e = pcall(fn, obj, table.unpack(g, 1, 8))
            assert(ok or (type(e) == "table" and mocore.categories[e.category]),
                   ("%s.%s: %s"):format(what, name, tostring(e)))
            n = n + 1
          end
        end
      end
    end
    for _, name in ipairs(managers.names) do sweep(name, c[name], getmetatable(c[name])) end
    sweep("client", c, { insert = c.insert, batch_insert = c.batch_insert, create_table = c.create_table,
                         drop_table = c.drop_table })
    assert.is_true(n > 1300, "calls: " .. n)
  end)
end)
