-- bindings/lua/tests/vector_fulltext_metadata_spec.lua — the vector and fulltext managers in Lua (busted; ctest lua.tests):
-- vector_ops, fulltext_index, metadata, moctl, the table helpers and on_connect actions.
-- MatrixOne SQL through the dry-run journal (conformance vectors and the C tests'
-- expectations); round trips, FULLTEXT search and create/drop for real on MariaDB.
local mocore = require "mocore"
local json = require "dkjson"
local H = require "helper"

local function dry() return mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true") end
local function norm(s) return (s:gsub("%s+", " ")) end

describe("vector_ops, fulltext_index, metadata, moctl, table helpers (Lua)", function()
  it("produce the conformance SQL of every vector", function()
    local f = assert(io.open(H.source_dir .. "/tests/conformance/vector_fulltext_metadata_vectors.json"))
    local vectors = assert(json.decode(f:read("a"))); f:close()
    assert.are.equal(15, #vectors)
    for i, v in ipairs(vectors) do
      local c
      if v.manager == "connection_hooks" then
        c = mocore.connect{ url = "matrixone://u:p@127.0.0.1:1/db?dry_run=true", on_connect = v.args.actions }
      else
        c = dry()
        local m = c[v.manager]
        local a = {}
        for k, x in pairs(v.args) do a[k] = x end
        if next(a) == nil then m[v.method](m) else m[v.method](m, a) end
      end
      local want = v.expected_sql_sequence or { v.expected_sql }
      local got = c:journal()
      assert.are.equal(#want, #got, "vector " .. i)
      for k = 1, #want do assert.are.equal(norm(want[k]), norm(got[k]), "vector " .. i) end
    end
  end)

  it("vector_ops: indexes, searches and inserts", function()
    local c = dry()
    local v = c.vector_ops
    v:create_ivf("db.items", "i2", "v", 32, "vector_cosine_ops")
     :create_hnsw{ table_name = "items", name = "h", column = "v", m = 8, ef_construction = 100,
                   ef_search = 20, op_type = "vector_ip_ops" }
     :enable_ivf(3):disable_hnsw()
    assert.are.same({}, v:similarity_search{ table_name = "items", vector_column = "embedding",
                                             query_vector = { 0.1, 0.2, 0.3 } })
    v:range_search{ table_name = "items", vector_column = "v", query_vector = { 0.1, 0.2 },
                    max_distance = 2, select_columns = "id", where_clause = "id < 100" }
    v:search_with_rank{ table_name = "items", vector_column = "v", query_vector = { 0.1 }, limit = 7,
                        rank_mode = "PRE" }
    v:insert("items", { id = 1, embedding = { 0.5, 1.25 } })
    v:batch_insert("items", { { id = 1, embedding = { 0.5, 1.25 } }, { id = 2, embedding = mocore.null } })
    assert.are.same({
      "SET experimental_ivf_index = 1", "SET probe_limit = 1",
      "CREATE INDEX `i2` USING ivfflat ON `db`.`items`(`v`) LISTS 32 op_type 'vector_cosine_ops'",
      "SET experimental_hnsw_index = 1",
      "CREATE INDEX `h` USING hnsw ON `items`(`v`) M 8 EF_CONSTRUCTION 100 EF_SEARCH 20 op_type 'vector_ip_ops'",
      "SET experimental_ivf_index = 1", "SET probe_limit = 3", "SET experimental_hnsw_index = 0",
      "SELECT *, l2_distance(`embedding`, '[0.1,0.2,0.3]') as distance FROM `items` ORDER BY distance LIMIT 10",
      "SELECT `id`, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` WHERE (id < 100) AND l2_distance(`v`, '[0.1,0.2]') <= 2e0 ORDER BY distance",
      "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=pre'",
      "INSERT INTO `items` (`embedding`, `id`) VALUES ('[0.5,1.25]', 1)",
      "INSERT INTO `items` (`embedding`, `id`) VALUES ('[0.5,1.25]', 1), (NULL, 2)",
    }, c:journal())
  end)

  it("bad arguments are invalid_argument with nothing sent", function()
    local c = dry()
    local v = c.vector_ops
    for i, f in ipairs({
      function() v:similarity_search{ table_name = "t", vector_column = "v", query_vector = { 1 }, distance_type = "manhattan" } end,
      function() v:similarity_search{ table_name = "t", vector_column = "v", query_vector = { "x" } } end,
      function() v:similarity_search{ table_name = "t", vector_column = "v", query_vector = {} } end,
      function() v:similarity_search{ table_name = "t", vector_column = "v", query_vector = { 0 / 0 } } end,
      function() v:similarity_search{ table_name = "t", vector_column = "v", query_vector = "[1]" } end,
      function() v:similarity_search{ table_name = "t", vector_column = "v", query_vector = { 1 }, where_clause = "a = ?" } end,
      function() v:create_ivf{ table_name = "t", name = "i", column = "v", op_type = "vector_xx_ops" } end,
      function() v:create_ivf{ table_name = "t", name = "i", column = "v", bogus = 1 } end,
      function() v.create_ivf("t", "i", "v") end,
      function() c:batch_insert("t", { { a = 1 }, { b = 2 } }) end,
      function() c:create_table("t", { id = "int" }) end,
      function() c:create_table("t", { { "a", "geometry" } }) end,
      function() c:create_table("t", { { "a\0b", "int" } }) end,
      function() c:insert("t", { ["c\0d"] = 1 }) end,
      function() c.fulltext_index:create{ table_name = "t", name = "i", columns = "c", parser = "klingon" } end,
      function() c.metadata:scan{ dbname = "db", tablename = "t", columns = { "no_such_column" } } end,
    }) do
      local ok, e = pcall(f)
      assert(not ok, "case " .. i .. " passed")
      assert.are.equal("invalid_argument", e.category, "case " .. i .. ": " .. tostring(e.message))
    end
    assert.are.same({}, c:journal())
  end)

  it("fulltext, metadata, moctl and the table helpers in dry-run, also in a session", function()
    local c = dry()
    c.fulltext_index:create("articles", "ftidx", { "title", "content" }):drop("articles", "ftidx")
    c.fulltext_index:search{ table_name = "articles", columns = "title", query = "+a -b\0c", mode = "boolean",
                             select_columns = { "id", "title" }, where_clause = "id > 3", limit = 5 }
    c.metadata:scan{ dbname = "db", tablename = "t", is_tombstone = true, indexname = "idx" }
    assert.are.same({}, c.metadata:get_table_brief_stats{ dbname = "db", tablename = "t", include_tombstone = true,
                                                           include_indexes = { "i1" } })
    assert.are.equal("OK", c.moctl:flush_table("d'b", "t").return_str)
    c:create_table("db.t2", { { "a", "vecf64(3)" }, { "b", "TEXT" } }):drop_table("db.t2")
    c:session(function(s) s.vector_ops:enable_ivf(); s:insert("t", { a = "x" }) end)
    assert.are.same({
      "CREATE FULLTEXT INDEX `ftidx` ON `articles` (`title`, `content`)", "DROP INDEX `ftidx` ON `articles`",
      "SELECT `id`, `title` FROM `articles` WHERE MATCH(`title`) AGAINST('+a -b\\0c' IN BOOLEAN MODE) AND (id > 3) LIMIT 5",
      "SELECT * FROM metadata_scan('db.t.?idx.#', '*') g",
      "SELECT * FROM metadata_scan('db.t', '*') g", "SELECT * FROM metadata_scan('db.t.#', '*') g",
      "SELECT * FROM metadata_scan('db.t.?i1', '*') g",
      "SELECT mo_ctl('dn', 'flush', 'd''b.t')",
      "CREATE TABLE `db`.`t2` (`a` vecf64(3), `b` TEXT)", "DROP TABLE IF EXISTS `db`.`t2`",
      "BEGIN", "SET experimental_ivf_index = 1", "SET probe_limit = 1", "INSERT INTO `t` (`a`) VALUES ('x')", "COMMIT",
    }, c:journal())
  end)

  describe("on MariaDB", function()
    local c, t
    before_each(function()
      c = mocore.connect(H.url)
      t = H.unique("mbl")
    end)
    after_each(function() c:drop_table(t); c:close() end)

    it("create_table, insert and batch_insert round-trip", function()
      c:create_table(t, { { "id", "int" }, { "s", "text" }, { "b", "blob" }, { "f", "double" } }, "id")
      assert.are.equal(1, c:insert(t, { id = 1, s = "O'Brien \\ \0 😀", b = mocore.blob("\0'\255"), f = 0.1 }))
      local rows = {}
      for i = 2, 301 do rows[#rows + 1] = { id = i, s = "r" .. i .. "'", b = mocore.null, f = i / 4 } end
      assert.are.equal(300, c:batch_insert(t, rows))
      local got = c:execute("SELECT id, s, b, f FROM `" .. t .. "` ORDER BY id"):fetchall()
      assert.are.equal(301, #got)
      assert.are.same({ 1, "O'Brien \\ \0 😀", "\0'\255", 0.1 }, got[1])
      assert.are.same({ 301, "r301'", nil, 301 / 4 }, got[301])
      H.raises("already_exists", nil, function() c:create_table(t, { { "a", "int" } }) end)
    end)

    it("fulltext create and search", function()
      c:create_table(t, { { "id", "int" }, { "title", "varchar(200)" }, { "body", "text" } }, "id")
      c:batch_insert(t, { { id = 1, title = "MatrixOne database", body = "vector search engine" },
                          { id = 2, title = "Cooking pasta", body = "boiling water and salt" },
                          { id = 3, title = "Database internals", body = "storage engines and indexes" } })
      c.fulltext_index:create(t, "ft", { "title", "body" })
      local hits = c.fulltext_index:search{ table_name = t, columns = { "title", "body" }, query = "database",
                                           select_columns = "id" }
      local ids = {}
      for _, h in ipairs(hits) do ids[#ids + 1] = h.id end
      table.sort(ids)
      assert.are.same({ 1, 3 }, ids)
      hits = c.fulltext_index:search{ table_name = t, columns = "title, body", query = "+database -vector",
                                      mode = "boolean", select_columns = { "id", "title" } }
      assert.are.same({ { id = 3, title = "Database internals" } }, hits)
    end)

    it("MatrixOne-only calls are unsupported; actions are skipped on MariaDB", function()
      H.requires_mariadb(pending, "MatrixOne runs these calls and actions; matrixone_spec.lua has them for real")
      H.raises("unsupported", nil, function() c.vector_ops:create_ivf(t, "i", "v") end)
      H.raises("unsupported", nil, function() c.moctl:global_checkpoint() end)
      local h = mocore.connect{ url = H.url, on_connect = "enable_all" }
      assert.are.equal(1, h:execute("SELECT 1"):scalar())
      h:close()
      c:create_table(t, { { "a", "int" } })
    end)
  end)
end)
