-- bindings/lua/tests/luasql_program.lua DRIVER URL — a small LuaSQL program, run unchanged by
-- ctest lua.luasql with DRIVER = luasql.mysql (LuaSQL itself, Debian lua-sql-mysql) and with
-- DRIVER = mocore.luasql; the two outputs must be the same (tests/bindings/luasql-compare.sh).
-- It prints what a LuaSQL program sees: values, counts, column names and types, errors.
local driver = require(arg[1])
local user, pw, host, port, db = arg[2]:match("^mysql://([^:]+):([^@]+)@([^:]+):(%d+)/(.+)$")
assert(user, "URL: mysql://user:pw@host:port/db")

local env = driver.mysql()
local conn = assert(env:connect(db, user, pw, host, tonumber(port)))
print("connect", conn ~= nil)

local function show(label, ...) print(label, select("#", ...), ...) end
show("drop", conn:execute("DROP TABLE IF EXISTS luasql_program"))
show("create", conn:execute([[CREATE TABLE luasql_program (id INT PRIMARY KEY AUTO_INCREMENT,
  name VARCHAR(20) NOT NULL, price DECIMAL(8,2), ratio DOUBLE, born DATE, seen DATETIME,
  data BLOB, n BIGINT)]]))
show("insert", conn:execute([[INSERT INTO luasql_program (name, price, ratio, born, seen, data, n)
  VALUES ('ann', 1.50, 0.25, '1990-05-17', '2020-01-02 03:04:05', 'x', 9007199254740993),
         ('bob', NULL, 1e20, NULL, NULL, NULL, -1)]]))
show("lastid", conn:getlastautoid())
local tricky = "it's a \\ back\nslash"
show("insert-escaped", conn:execute("INSERT INTO luasql_program (name, n) VALUES ('" ..
  conn:escape(tricky:sub(1, 20)) .. "', 3)"))
show("update", conn:execute("UPDATE luasql_program SET n = n + 1 WHERE n > 0"))

local cur = assert(conn:execute("SELECT * FROM luasql_program ORDER BY id"))
print("numrows", cur:numrows())
print("colnames", table.concat(cur:getcolnames(), ","))
print("coltypes", table.concat(cur:getcoltypes(), ","))
local row = cur:fetch({}, "a")
while row do
  local cols = {}
  for _, name in ipairs(cur:getcolnames()) do cols[#cols + 1] = name .. "=" .. tostring(row[name]) end
  print("row-a", table.concat(cols, " "))
  row = cur:fetch(row, "a")
end
show("after-last", cur:close())

cur = assert(conn:execute("SELECT id, name, price FROM luasql_program ORDER BY id"))
show("multi", cur:fetch())
local t = cur:fetch({}, "n")
print("row-n", #t, t[1], t[2], t[3])
show("close", cur:close())
show("close-again", cur:close())

cur = assert(conn:execute("SELECT id FROM luasql_program WHERE id < 0"))
print("empty", cur:numrows(), cur:fetch())

-- errors: nil and a message
local ok, err = conn:execute("SELEC 1")
print("syntax", ok, (err:gsub("near.*", "near ...")))
ok, err = conn:execute("INSERT INTO luasql_program (id, name) VALUES (1, 'dup')")
print("duplicate", ok, err)

-- transactions
show("autocommit-off", conn:setautocommit(false))
show("tx-insert", conn:execute("INSERT INTO luasql_program (name) VALUES ('rolled back')"))
show("rollback", conn:rollback())
show("tx-insert", conn:execute("INSERT INTO luasql_program (name) VALUES ('kept')"))
show("commit", conn:commit())
show("autocommit-on", conn:setautocommit(true))
cur = assert(conn:execute("SELECT name FROM luasql_program WHERE id > 3 ORDER BY id"))
show("tx-rows", cur:fetch({}, "n")[1], cur:fetch({}, "n"))
cur:close()

show("drop", conn:execute("DROP TABLE luasql_program"))
show("conn-close", conn:close())
show("conn-close-again", conn:close())
show("env-close", env:close())
show("env-close-again", env:close())

local env2 = driver.mysql()
local bad, msg = env2:connect(db, user, "wrong-" .. pw, host, tonumber(port))
print("bad-login", bad, (msg:gsub("'[^']*'@'[^']*'", "'user'@'host'")))
env2:close()
