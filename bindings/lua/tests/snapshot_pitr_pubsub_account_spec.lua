-- bindings/lua/tests/snapshot_pitr_pubsub_account_spec.lua — snapshots, clone, branch, restore,
-- pitr, pubsub and account in Lua (busted; ctest lua.tests):
-- conformance SQL through the dry-run journal, real users/roles/grants on MariaDB,
-- UNSUPPORTED for MatrixOne-only calls, managers inside sessions.
local mocore = require "mocore"
local json = require "dkjson"   -- shipped with busted (Debian lua-dkjson)
local H = require "helper"

local function dry()
  return mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true")  -- port 1: nothing is sent
end

-- the SDK's builders are the managers' methods here
local function call(c, v)
  local m, meth, a = v.manager, v.method, v.args
  if m == "clone_builder" then
    local fn = meth == "clone_table" and "clone_table" or "clone_database"
    local names = fn == "clone_table" and { "target_table", "source_table" } or { "target_db", "source_db" }
    return c.clone[fn](c.clone, { [names[1]] = a.target, [names[2]] = a.from_table or a.from_database,
                                   snapshot_name = a.snapshot, if_not_exists = a.if_not_exists,
                                   to_account = a.to_account })
  elseif m == "branch_builder" and meth == "create_table_branch" then
    return c.branch:create_table_branch{ target_table = a.target, source_table = a.from_table,
                                         snapshot_name = a.snapshot, to_account = a.to_account }
  elseif m == "branch_builder" then
    return c.branch:diff_table{ table = a.target, against_table = a.against, table_snapshot = a.snapshot,
                                snapshot_name = a.against_snapshot,
                                output = a.output_file and "file" or nil, output_file = a.output_file }
  end
  return c[m][meth](c[m], a)
end

local function unquoted(s) return (s:gsub("`", ""):gsub('"', "'")) end

describe("managers (Lua)", function()
  it("produce the conformance SQL of every vector", function()
    local f = assert(io.open(H.source_dir .. "/tests/conformance/snapshot_pitr_pubsub_account_vectors.json"))
    local vectors = assert(json.decode(f:read("a"))); f:close()
    assert.is_true(#vectors >= 50)
    local c = dry()
    for i, v in ipairs(vectors) do
      c:clear_journal()
      local ok, err = pcall(call, c, v)
      assert(ok, ("vector %d %s.%s: %s"):format(i, v.manager, v.method, tostring(err)))
      local want = v.expected_sql_sequence or { v.expected_sql }
      local got = c:journal()
      assert(#got == #want, ("vector %d: %d statements, want %d"):format(i, #got, #want))
      for k = 1, #want do
        if got[k] ~= want[k] then
          -- where the SDK pastes names raw, mocore quotes them (docs/managers.md)
          assert(not want[k]:find("`", 1, true), ("vector %d: %q ~= %q"):format(i, got[k], want[k]))
          assert(got[k]:find("`", 1, true), ("vector %d: not quoted: %q"):format(i, got[k]))
          assert.are.equal(unquoted(want[k]), unquoted(got[k]))
        end
      end
    end
  end)

  it("take named or positional arguments and return tables with the SDK's attributes", function()
    local c = dry()
    local s = c.snapshots:create{ name = "s1", level = "table", database = "db", table = "t" }
    assert.are.equal("s1", s.name)
    assert.are.equal(0, s.ts)
    assert.are.equal("CREATE SNAPSHOT `s1` FOR TABLE `db` `t`", c:journal()[1])
    c:clear_journal()
    c.snapshots:create("s2", "database", "db")
    assert.are.equal("CREATE SNAPSHOT `s2` FOR DATABASE `db`", c:journal()[1])
    local p = c.pitr:create_database_pitr{ name = "p", database_name = "db" }   -- defaults 1 'd'
    assert.are.equal("p", p.name)
    assert.are.equal("CREATE PITR `p` FOR DATABASE `db` RANGE 1 'd'", c:journal()[3])
    assert.are.same({}, c.snapshots:list())
    assert.is_true(c.snapshots:exists("s1"))
    assert.is_true(c.restore:restore_cluster("snap"))
    assert.are.equal("", c.pubsub:show_create_publication("pub"))
    c.pubsub:create_database_publication{ name = "pub", database = "db", account = { "a1", "a2" } }
    assert.are.equal("CREATE PUBLICATION `pub` DATABASE `db` ACCOUNT `a1`, `a2`", c:journal()[#c:journal() - 1])
    assert.are.same({}, c.branch:diff_table{ table = "a", against_table = "b", output = "limit", limit = 5 })
    assert.are.equal("data branch diff `a` against `b` output limit 5", c:journal()[#c:journal()])
  end)

  it("have every alias of the description: the SQL of the method it stands for", function()
    local c = dry()
    local function sql(fn) c:clear_journal(); fn(); return c:journal() end
    local b = c.branch
    assert.are.same(sql(function() b:create_table_branch("t2", "db.t", "snap") end),
                    sql(function() b:create("t2", "db.t", "snap") end))
    assert.are.same(sql(function() b:create_database_branch("d2", "d") end),
                    sql(function() b:create{ target = "d2", source = "d", database = true } end))
    assert.are.same(sql(function() b:delete_table_branch("t2") end), sql(function() b:delete("t2") end))
    assert.are.same(sql(function() b:delete_database_branch("d2") end), sql(function() b:delete("d2", true) end))
    assert.are.same(sql(function() b:diff_table("a", "b", "s", "count") end),
                    sql(function() b:diff{ table = "a", against = "b", snapshot = "s", output = "count" } end))
    assert.are.same(sql(function() b:merge_table("a", "b", "accept") end),
                    sql(function() b:merge{ "a", "b", on_conflict = "accept" } end))
    assert.are.same({ "data branch create table `t2` from `db`.`t`{snapshot='snap'}" },
                    sql(function() b:create("t2", "db.t", "snap") end))
  end)

  it("take positional and named arguments in one table; mocore.null is no value; enums", function()
    local c = dry()
    c.snapshots:create{ "s1", "database", database = "db" }
    assert.are.equal("CREATE SNAPSHOT `s1` FOR DATABASE `db`", c:journal()[1])
    c:clear_journal()
    -- object_type may be no value: nil (not given) or mocore.null
    c.account:grant_privilege("SELECT", mocore.null, "*", "u")
    c.account:grant_privilege{ privilege = "SELECT", object_name = "*", to_user = "u" }
    assert.are.equal(c:journal()[1], c:journal()[2])
    assert.are.equal("cosine", mocore.enums.DistanceType.COSINE)
    assert.are.equal("natural", mocore.enums.FulltextSearchMode.NATURAL_LANGUAGE)
    c:clear_journal()
    c.vector_ops:similarity_search("t", "v", { 1 }, 3, nil, nil, mocore.enums.DistanceType.COSINE)
    assert.truthy(c:journal()[1]:find("cosine_distance", 1, true), c:journal()[1])
  end)

  it("reject bad arguments with invalid_argument naming the operation, sending nothing", function()
    local c = dry()
    local cases = {
      { "snapshots.create", function() c.snapshots:create{ name = "s", level = "galaxy" } end, "Invalid snapshot level: galaxy" },
      { "snapshots.create", function() c.snapshots:create{ level = "cluster" } end, "name is required" },
      { "snapshots.create", function() c.snapshots:create{ name = 42, level = "cluster" } end, "name must be a string" },
      { "pitr.create_cluster_pitr", function() c.pitr:create_cluster_pitr{ name = "p", range_value = 0 } end, "Range value must be between 1 and 100" },
      { "pitr.create_cluster_pitr", function() c.pitr:create_cluster_pitr{ name = "p", range_value = 1.5 } end, "range_value must be an integer" },
      { "branch.merge_table", function() c.branch:merge_table("a", "b", "maybe") end, "on_conflict must be 'skip' or 'accept'" },
      { "branch.diff_table", function() c.branch:diff_table{ table = "a", against_table = "b", output = "x" } end, "output must be" },
      { "account.grant_privilege", function() c.account:grant_privilege{ privilege = "SELECT", object_type = "TABLE", object_name = "t" } end, "Must specify either to_user or to_role" },
      { "clone.clone_table", function() c.clone:clone_table{ target_table = "t", source_table = "s", if_not_exists = "yes" } end, "if_not_exists must be a boolean" },
      { "account.drop_user", function() c.account:drop_user("a", false, "extra") end, "too many arguments (3 for at most 2)" },
      { "snapshots.get", function() c.snapshots.get() end, "call it as a method" },
    }
    for _, case in ipairs(cases) do
      local e = H.raises("invalid_argument", nil, case[2])
      assert.are.equal(case[1], e.operation)
      assert(e.message:find(case[3], 1, true), e.message)
    end
    assert.are.same({}, c:journal())
  end)

  it("same statements in a session, inside BEGIN ... COMMIT", function()
    local c = dry()
    c.account:create_role{ role_name = "r" }
    local on_client = c:journal()
    c:clear_journal()
    c:session(function(s) s.account:create_role{ role_name = "r" } end)
    local want = { "BEGIN" }
    for _, q in ipairs(on_client) do want[#want + 1] = q end
    want[#want + 1] = "COMMIT"
    assert.are.same(want, c:journal())
  end)

  describe("on MariaDB", function()
    it("creates users and roles and grants for real", function()
      H.requires_mariadb(pending, "users, roles and grants as MariaDB spells them; matrixone_spec.lua has MatrixOne's")
      local root = mocore.connect(H.root_url)
      local acc = root.account
      local u, r = H.unique("lu"), H.unique("lr")
      local ok, err = pcall(function()
        local user = acc:create_user{ user_name = u, password = "pw'1" }
        assert.are.same({ u, "%" }, { user.name, user.host })
        assert.are.equal(r, acc:create_role(r).name)
        assert.are.equal(r, acc:get_role(r).name)
        acc:grant_privilege{ privilege = "SELECT, INSERT", object_type = "TABLE", object_name = "mocore_test.*", to_user = u }
        acc:grant_role(r, u)
        local stmts = {}
        for _, g in ipairs(acc:list_grants(u)) do stmts[#stmts + 1] = g.grant_statement end
        stmts = table.concat(stmts, " | ")
        assert.truthy(stmts:find("SELECT, INSERT ON `mocore_test`.*", 1, true), stmts)
        assert.truthy(stmts:find(("GRANT `%s` TO `%s`"):format(r, u), 1, true), stmts)
        local base = H.root_url:match("@(.*)$")
        local uc = mocore.connect(("mysql://%s:pw%%271@%s"):format(u, base))
        assert.are.equal(u, uc.account:get_current_user().name)
        acc:revoke_role{ role_name = r, from_user = u }
        acc:drop_role(r)
        local e = H.raises("not_found", nil, function() acc:get_role(r) end)
        assert.are.equal("account.get_role", e.operation)
      end)
      pcall(acc.drop_user, acc, u, true)
      pcall(acc.drop_role, acc, r, true)
      assert(ok, tostring(err))
    end)

    it("MatrixOne-only calls are unsupported and send nothing", function()
      H.requires_mariadb(pending, "MatrixOne runs these calls; matrixone_spec.lua has them for real")
      local c = mocore.connect(H.url)
      for _, case in ipairs({
        { "snapshots.create", function() c.snapshots:create{ name = "s", level = "cluster" } end },
        { "clone.clone_database", function() c.clone:clone_database("a", "b") end },
        { "branch.merge_table", function() c.branch:merge_table("a", "b") end },
        { "restore.restore_cluster", function() c.restore:restore_cluster("s") end },
        { "pitr.list", function() c.pitr:list() end },
        { "pubsub.list_subscriptions", function() c.pubsub:list_subscriptions() end },
        { "account.list_accounts", function() c.account:list_accounts() end },
      }) do
        local e = H.raises("unsupported", nil, case[2])
        assert.are.equal(case[1], e.operation)
      end
      assert.are.equal(1, c:execute("SELECT 1"):scalar())
    end)

    it("a manager error inside a session rolls the session back, leaving no trace", function()
      H.requires_mariadb(pending, "mocore's user may not read mysql.user there; MatrixOne's root reads its catalog")
      local c = mocore.connect(H.url)
      local t = H.unique("lm")
      c:execute(("CREATE TABLE %s (id INT PRIMARY KEY)"):format(t))
      local ok, e = pcall(c.session, c, function(s)
        s:execute(("INSERT INTO %s VALUES (1)"):format(t))
        assert.are.equal("mocore", s.account:get_current_user().name)
        s.account:list_roles()   -- mocore may not read mysql.user: auth error
      end)
      local n = c:execute(("SELECT COUNT(*) FROM %s"):format(t)):scalar()
      c:execute("DROP TABLE " .. t)
      assert.is_false(ok)
      assert.are.equal("auth", e.category)
      assert.are.equal(0, n)
    end)
  end)
end)
