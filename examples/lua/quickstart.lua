-- mocore from Lua: a client, a query with parameters, a transaction, an error.
--   lua5.4 examples/lua/quickstart.lua mysql://root@127.0.0.1:3306/test
local mocore = require "mocore"

local c = mocore.connect(arg[1] or os.getenv("MOCORE_URL"))
c:execute("DROP TABLE IF EXISTS quickstart_lua")
c:execute("CREATE TABLE quickstart_lua (id INT PRIMARY KEY, name VARCHAR(32), price DECIMAL(8,2))")

c:session(function(s)                    -- BEGIN ... COMMIT (ROLLBACK when the function errors)
  s:execute("INSERT INTO quickstart_lua VALUES (?, ?, ?)", {1, "pen", mocore.decimal("1.50")})
  s:execute("INSERT INTO quickstart_lua VALUES (?, ?, ?)", {2, "ink", mocore.decimal("4.00")})
end)

for row in c:execute("SELECT id, name, price FROM quickstart_lua WHERE id >= ?", {1}):rows() do
  print(row[1], row[2], row[3])          -- 1  pen  1.50   (DECIMAL as exact text)
end

local ok, e = pcall(c.execute, c, "INSERT INTO quickstart_lua VALUES (1, 'again', 0)")
assert(not ok and e.category == "constraint", tostring(e))
print("duplicate:", e.category, e.code, e.sqlstate)   -- constraint  1062  23000
c:execute("DROP TABLE quickstart_lua")
c:close()
