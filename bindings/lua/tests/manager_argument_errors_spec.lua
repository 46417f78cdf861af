-- bindings/lua/tests/manager_argument_errors_spec.lua — every case of
-- tests/vectors/manager_argument_errors.toml through Lua (busted; ctest lua.tests): the same
-- argument mistake gives the same error category, operation and message as in Python and
-- Ruby, and nothing reaches the journal. The build writes the cases as a Lua table
-- (gen-managers.py --lang lua --vectors; MOCORE_LUA_ARGUMENT_ERRORS names the file).
local mocore = require "mocore"

local path = os.getenv("MOCORE_LUA_ARGUMENT_ERRORS")
assert(path and path ~= "", "MOCORE_LUA_ARGUMENT_ERRORS: the generated vectors file (ctest sets it)")
local cases = dofile(path)

local function is_no_value(x) return type(x) == "table" and x.no_value == true end

-- positional args, and kwargs by name in the same table (m:f{ a, b, name = ... }); no_value -> nil
local function call(target, method, case)
  local args, n = {}, case.args and #case.args or 0
  for i = 1, n do
    if not is_no_value(case.args[i]) then args[i] = case.args[i] end
  end
  if case.kwargs then
    for k, x in pairs(case.kwargs) do
      if not is_no_value(x) then args[k] = x end
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
