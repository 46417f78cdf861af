-- bindings/lua/tests/load_stage_cdc_export_spec.lua — load_data, stage, cdc and export in Lua (busted;
-- ctest lua.tests). MatrixOne SQL through the dry-run journal (every vector of
-- tests/conformance/load_stage_cdc_vectors.json, plus the C tests' own expectations); LOAD DATA
-- LOCAL for real on MariaDB (allowed directory, progress function, rows read back; refused
-- outside the allowed directories and when LOCAL is off, nothing loaded); INTO OUTFILE read
-- back; stage / cdc are the unsupported error on MariaDB; wrong types and nil are
-- invalid_argument error tables, never a crash.
local mocore = require "mocore"
local H = require "helper"

local function dry() return mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true") end
local function norm(s) return (s:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")) end
-- mocore quotes the names the SDK pastes raw and escapes '"' in literals (docs/managers.md):
-- without the backticks and with \" written as ", its text is the SDK's.
local function sdk_text(s) return norm(s):gsub("`", ""):gsub('\\"', '"') end

local function tmpdir(prefix)
  local p = io.popen("mktemp -d /tmp/" .. prefix .. "XXXXXX")
  local d = p:read("l"); p:close()
  return d
end
local function write_csv(dir, n)
  local path = dir .. "/rows.csv"
  local f = assert(io.open(path, "w"))
  f:write("id,name\n")
  for i = 0, n - 1 do f:write(i, ",name ", i, "\n") end
  f:close()
  return path
end
local function size_of(path)
  local f = assert(io.open(path, "rb"))
  local n = f:seek("end"); f:close()
  return n
end
local function read_all(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a"); f:close()
  return s
end

describe("load_data, stage, cdc, export (Lua)", function()
  it("produce the SQL of every conformance vector", function()
    local f = assert(io.open(H.source_dir .. "/tests/conformance/load_stage_cdc_vectors.json"))
    local vectors, order = H.json_ordered(f:read("a")); f:close()
    assert.are.equal(35, #vectors)
    local checked = 0
    for i, v in ipairs(vectors) do
      local c = dry()
      local m = c[v.manager]
      local a, any = {}, false
      for k, x in pairs(v.args) do
        -- an ordered JSON object (credentials, options) -> {key, value} pairs in its order
        if type(x) == "table" and order[x] then
          local pairs_ = {}
          for _, key in ipairs(order[x]) do pairs_[#pairs_ + 1] = { key, x[key] } end
          x = pairs_
        end
        a[k] = x; any = true
      end
      local ok, got = pcall(function()
        if any then return m[v.method](m, a) end
        return m[v.method](m)
      end)
      local what = ("vector %d %s.%s"):format(i, v.manager, v.method)
      if v.expected_error then
        -- the SDK's "port must be an integer" (a string port): the same refusal here
        assert(not ok, what .. " passed")
        assert.are.equal("invalid_argument", got.category, what)
        assert.truthy(got.message:find("port must be an integer", 1, true), what .. ": " .. got.message)
        assert.are.same({}, c:journal())
      else
        assert(ok, what .. ": " .. tostring(got))
        if v.expected_value then assert.are.equal(v.expected_value, got, what) end
        local want = v.expected_sql_sequence or (v.expected_sql and { v.expected_sql }) or {}
        local journal = c:journal()
        assert.are.equal(#want, #journal, what)
        for k = 1, #want do assert.are.equal(norm(want[k]), sdk_text(journal[k]), what) end
      end
      checked = checked + 1
    end
    assert.are.equal(35, checked)
  end)

  it("build the SQL of the C tests for the forms the vectors miss", function()
    local c = dry()
    local ld = c.load_data
    assert.are.equal(0, ld:from_file{ file_path = "/d/a.csv", table_name_or_model = "db.t", fields_enclosed_by = '"',
                                      fields_optionally_enclosed = true, fields_escaped_by = "\\",
                                      lines_terminated_by = "\r\n", lines_starting_by = "x", ignore_lines = 2,
                                      character_set = "utf8mb4", columns = { "a", "@b" },
                                      set_clause = { { "c", "UPPER(@b)" }, { "d", "NOW()" } } })
    ld:read_json("/d/a.jsonl", "t", true, "values", "gzip")
    ld:read_json_inline('{"a":1}', "t")
    ld:read_csv_stage("st", "f.csv", "t", "|")
    ld:read_parquet("/d/p.parquet", "t")
    ld:read_csv{ filepath_or_buffer = "1,x\n", table = "t", inline = true }
    ld:from_stage{ stage_name = "st", filename = "x.csv", table_name_or_model = "t", parallel = true }
    assert.are.same({
      "LOAD DATA INFILE '/d/a.csv' INTO TABLE `db`.`t` CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' "
        .. "OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '\\\\' LINES STARTING BY 'x' TERMINATED BY '\\r\\n' "
        .. "IGNORE 2 LINES (`a`, @`b`) SET `c`=UPPER(@b), `d`=NOW()",
      "LOAD DATA INFILE {'filepath'='/d/a.jsonl', 'format'='jsonline', 'jsondata'='array', 'compression'='gzip'} "
        .. "INTO TABLE `t`",
      "LOAD DATA INLINE FORMAT='jsonline', DATA='{\"a\":1}', JSONTYPE='object' INTO TABLE `t`",
      "LOAD DATA INFILE 'stage://st/f.csv' INTO TABLE `t` FIELDS TERMINATED BY '|'",
      "LOAD DATA INFILE {'filepath'='/d/p.parquet', 'format'='parquet'} INTO TABLE `t`",
      "LOAD DATA INLINE FORMAT='csv', DATA='1,x\\n' INTO TABLE `t` FIELDS TERMINATED BY ','",
      "LOAD DATA INFILE 'stage://st/x.csv' INTO TABLE `t` FIELDS TERMINATED BY ',' PARALLEL 'true'",
    }, c:journal())
  end)

  it("stage, cdc and export in dry-run, on a client and in a session", function()
    local c = dry()
    local s = c.stage:create("my_stage", "file:///data/", { AWS_SECRET_KEY = "s", AWS_KEY_ID = "k" }, "it's")
    assert.are.same({ name = "my_stage", url = "file:///data/", status = "enabled", comment = "it's" },
                    { name = s.name, url = s.url, status = s.status, comment = s.comment })
    c.stage:create_s3{ name = "s3", bucket = "b", path = "p", aws_key_id = "k", aws_secret_key = "x", if_not_exists = true }
    c.stage:alter{ name = "my_stage", enable = false }
    c.stage:drop("my_stage", true)
    assert.are.same({}, c.stage:show("my%"))
    assert.are.equal("boolean", type(c.stage:exists("nope")))
    assert.are.same({}, c.stage:list())
    local t = c.cdc:create_database_task{ task_name = "db_task", source_uri = "mysql://s", sink_type = "MySQL",
                                          sink_uri = "mysql://k", source_database = "src",
                                          options = { Frequency = "1h", NoFull = false } }
    assert.are.equal("db_task", t.task_name)
    assert.are.equal("src:src", t.table_mapping)
    assert.are.same({ Frequency = "1h", Level = "database", NoFull = "false" }, t.additional_config)   -- parsed by C
    c.cdc:create_table_task{ task_name = "m", source_uri = "mysql://s", sink_type = "matrixone", sink_uri = "mysql://k",
                             table_mappings = { ["db.a"] = "db2.a" } }
    c.cdc:create_table_task("x", "mysql://s", "matrixone", "mysql://k", { "a.b:c.d", { "db", "t", "t2" }, { "d", "u" } })
    c.cdc:drop("cdc_task"); c.cdc:pause_all(); c.cdc:restart("task1"); c.cdc:drop_all()
    assert.are.same({}, c.cdc:show_all():fetchall())   -- the result object
    assert.are.same({}, c.cdc:list_late_table_watermarks{ default_threshold = 90, thresholds = { t = "5m" }, now_ms = 1 })
    assert.are.equal(0, c.export:to_csv{ path = "/tmp/o.csv", query = "SELECT * FROM t WHERE a = ?;", params = { "x'y" },
                                         sep = "|", quotechar = '"', lineterminator = "\r\n" })
    c.export:to_jsonl{ path = "/tmp/out.jsonl", query = "SELECT * FROM t WHERE id > ?", params = { 5 } }
    c.export:to_csv_stage{ stage_name = "st", filename = "o.csv", query = "SELECT 1", sep = "|", header = true }
    c.export:to_jsonl_stage("st", "o.jsonl", "SELECT 1")
    c:session(function(ses)
      ses.load_data:read_csv("/path/to/data.csv", "test_table")
      ses.stage:drop("s2")
      ses.export:to_jsonl{ path = "/o", query = "SELECT 2" }
    end)
    local j = c:journal()
    for k = 1, #j do j[k] = norm(j[k]) end
    assert.are.same({
      "CREATE STAGE `my_stage` URL='file:///data/' CREDENTIALS={'AWS_KEY_ID'='k', 'AWS_SECRET_KEY'='s'} COMMENT='it''s'",
      "CREATE STAGE IF NOT EXISTS `s3` URL='s3://b/p' CREDENTIALS={'AWS_KEY_ID'='k', 'AWS_SECRET_KEY'='x'}",
      "ALTER STAGE `my_stage` SET ENABLE=FALSE",
      "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages WHERE stage_name = 'my_stage'",
      "DROP STAGE IF EXISTS `my_stage`",
      "SHOW STAGES LIKE 'my%'",
      "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages WHERE stage_name = 'nope'",
      "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages",
      "CREATE CDC `db_task` 'mysql://s' 'mysql' 'mysql://k' 'src:src' {'Frequency'='1h', 'NoFull'='false', 'Level'='database'}",
      "CREATE CDC `m` 'mysql://s' 'matrixone' 'mysql://k' 'db.a:db2.a' {'Level'='table'}",
      "CREATE CDC `x` 'mysql://s' 'matrixone' 'mysql://k' 'a.b:c.d,db.t:db.t2,d.u:d.u' {'Level'='table'}",
      "DROP CDC TASK `cdc_task`", "PAUSE CDC ALL", "RESUME CDC TASK `task1` 'restart'", "DROP CDC ALL",
      "SHOW CDC ALL",
      -- list_late_table_watermarks reads the tasks (their Frequency) and the watermarks
      "SELECT task_id, task_name, source_uri, sink_uri, sink_type, tables, filters, start_ts, end_ts, state, "
        .. "checkpoint, no_full, err_msg, task_create_time, additional_config FROM mo_catalog.mo_cdc_task "
        .. "WHERE account_id = current_account_id()",
      "SELECT w.task_id, t.task_name, w.db_name, w.table_name, w.watermark, w.err_msg FROM mo_catalog.mo_cdc_watermark w "
        .. "JOIN mo_catalog.mo_cdc_task t ON w.task_id = t.task_id WHERE w.account_id = current_account_id()",
      "SELECT * FROM t WHERE a = 'x''y' INTO OUTFILE '/tmp/o.csv' FIELDS TERMINATED BY '|' ENCLOSED BY '\"' "
        .. "LINES TERMINATED BY '\\r\\n'",
      "SELECT * FROM t WHERE id > 5 INTO OUTFILE '/tmp/out.jsonl'",
      "SELECT 1 INTO OUTFILE 'stage://st/o.csv' FIELDS TERMINATED BY '|' LINES TERMINATED BY '\\n' header 'true'",
      "SELECT 1 INTO OUTFILE 'stage://st/o.jsonl'",
      "BEGIN", "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ','",
      "DROP STAGE `s2`", "SELECT 2 INTO OUTFILE '/o'", "COMMIT",
    }, j)
    assert.are.equal("mysql://root:p%40ss%3Aw@[::1]:6001", c.cdc:build_mysql_uri{ host = "::1", port = 6001, user = "root",
                                                                                  password = "p@ss:w" })
  end)

  it("wrong types, nil and bad values are invalid_argument with nothing sent", function()
    local c = dry()
    local ld, st, cdc, ex = c.load_data, c.stage, c.cdc, c.export
    for i, f in ipairs({
      function() ld:from_file() end,
      function() ld:from_file(nil, "t") end,
      function() ld:from_file("/d", nil) end,
      function() ld:from_file(42, "t") end,
      function() ld:from_file("/d", { "t" }) end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", ignore_lines = -1 } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", ignore_lines = "1" } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", ignore_lines = 1.5 } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", parallel = "yes" } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", columns = { 1 } } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", set_clause = { a = "1; DROP TABLE t" } } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", set_clause = "a=1" } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", fields_terminated_by = "" } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", fields_terminated_by = false } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", compression = "gzip" } end,
      function() ld:from_file{ file_path = "/d", table_name_or_model = "t", bogus = 1 } end,
      function() ld:from_file("/d", "t", ",") end,   -- options only by name
      function() ld:from_file{ file_path = "a\0b", table_name_or_model = "t" } end,
      function() ld:from_local_file{ file_path = "/d", table_name_or_model = "t", progress = "print" } end,
      function() ld:from_local_file{ file_path = "/d", table_name_or_model = "t", progress = {} } end,
      function() ld:from_inline(nil, "t") end,
      function() ld:from_inline({}, "t") end,
      function() ld:read_csv{ filepath_or_buffer = "/d", table = "t", quoting = 1 } end,
      function() ld:read_json{ filepath_or_buffer = "/d", table = "t", inline = "no" } end,
      function() ld.read_csv("/d", "t") end,
      function() ld:read_parquet() end,
      function() st:create{ name = "x", url = "file:///d/", credentials = "k=v" } end,
      function() st:create{ name = "x", url = "file:///d/", credentials = { k = {} } } end,
      function() st:create{ name = "x", url = "file:///d/", credentials = { [1] = { 2, "v" } } } end,
      function() st:create{ name = "x", url = "file:///d/", if_not_exists = "true" } end,
      function() st:create{ name = nil, url = "file:///d/" } end,
      function() st:alter{ name = "x" } end,   -- nothing to change
      function() st:drop() end,
      function() st:get(false) end,
      function() cdc:build_mysql_uri("h", "6001", "u") end,
      function() cdc:build_mysql_uri("h", -1, "u") end,
      function() cdc:build_mysql_uri("h", 0, "u") end,
      function() cdc:build_mysql_uri("h", 70000, "u") end,
      function() cdc:create_table_task("t", "mysql://s", "matrixone", "mysql://k", {}) end,
      function() cdc:create_table_task("t", "mysql://s", "matrixone", "mysql://k", nil) end,
      function() cdc:create_table_task("t", "mysql://s", "matrixone", "mysql://k", { { "a" } }) end,
      function() cdc:create_table_task("t", "mysql://s", "matrixone", "mysql://k", { { "a", 1 } }) end,
      function() cdc:create_table_task("t", "mysql://s", "kafka", "mysql://k", { "a.b:c.d" }) end,
      function() cdc:create_database_task("t", "mysql://s", "mysql", "mysql://k", "db", nil, { Level = "table" }) end,
      function() cdc:create("t", "mysql://s", "mysql", "mysql://k", "a:b", { { "NoFull" } }) end,   -- no value
      function() cdc:drop(nil) end,
      function() cdc:list_late_table_watermarks{ default_threshold = "10m" } end,
      function() cdc:list_late_table_watermarks("t") end,
      function() ex:to_csv("/tmp/x", "SELECT 1", { sep = "" }) end,
      function() ex:to_csv{ path = "/tmp/x", query = "SELECT 1", params = 5 } end,
      function() ex:to_csv{ path = "/tmp/x", query = "SELECT ?", params = { {} } } end,
      function() ex:to_jsonl{ path = "/tmp/x" } end,
      function() ex:to_jsonl{ path = "/tmp/x", query = 1 } end,
      function() ex:to_csv_stage{ stage_name = "a/b", filename = "f", query = "SELECT 1" } end,
    }) do
      local ok, e = pcall(f)
      assert(not ok, "case " .. i .. " passed")
      assert(type(e) == "table", "case " .. i .. ": not an error table: " .. tostring(e))
      assert.are.equal("invalid_argument", e.category, "case " .. i .. ": " .. tostring(e.message))
      assert.truthy(e.operation:find("^load_data%.") or e.operation:find("^load_options%.") or e.operation:find("^stage%.") or e.operation:find("^cdc%.")
                    or e.operation:find("^export%.") or e.operation == "lua" or e.operation == "params"
                    or e.operation:find("^mo_"),   -- a NUL, refused by the C wrapper
                    "case " .. i .. ": operation " .. tostring(e.operation))
    end
    assert.are.same({}, c:journal())
    -- the C entry point checks its own arguments too
    for i, args in ipairs({ {}, { c }, { c:_executor() }, { c:_executor(), "/d" },
                            { c:_executor(), "/d", "t", "opts" }, { c:_executor(), "/d", "t", nil, 5 } }) do
      local ok, e = pcall(mocore.core.mo_lua_load_data_from_local_file, table.unpack(args, 1, 5))
      assert(not ok and type(e) == "table" and e.category == "invalid_argument", "raw case " .. i)
    end
  end)

  it("every method, called with garbage, raises an error table and never crashes", function()
    local c = dry()
    local garbage = { {}, { 1, 2, 3, 4, 5, 6, 7, 8 }, { true, false }, { {}, {}, {} }, { { bogus = 1 } },
                      { { 1 } }, { function() end }, { "a\0b", "t" }, { "x", "y", "z", "w", "v", "u", "s" } }
    local n = 0
    for _, name in ipairs({ "load_data", "stage", "cdc", "export" }) do
      local m = c[name]
      for meth, fn in pairs(getmetatable(m)) do
        if type(fn) == "function" then
          for _, g in ipairs(garbage) do
            local ok, e = pcall(fn, m, table.unpack(g, 1, 8))
            assert(ok or (type(e) == "table" and mocore.categories[e.category]),
                   ("%s.%s: %s"):format(name, meth, tostring(e)))
            n = n + 1
          end
          local ok, e = pcall(fn)   -- not as a method
          assert(not ok and e.category == "invalid_argument", name .. "." .. meth)
        end
      end
    end
    assert.is_true(n > 300)
  end)

  describe("on MariaDB", function()
    local dir, other, c, t
    before_each(function()
      dir, other = tmpdir("mocore-lua-load-"), tmpdir("mocore-lua-other-")
      c = mocore.connect{ url = H.url, local_infile_dirs = { dir } }
      t = H.unique("lload")
      c:execute("CREATE TABLE " .. t .. " (id INT PRIMARY KEY, name VARCHAR(40))")
    end)
    after_each(function()
      c:execute("DROP TABLE IF EXISTS " .. t)
      c:close()
      os.execute("rm -rf '" .. dir .. "' '" .. other .. "'")
    end)

    it("LOAD DATA LOCAL of a few thousand rows, progress told the file size", function()
      local path = write_csv(dir, 5000)
      local size = size_of(path)
      local calls = {}
      local n = c.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1,
                                             progress = function(sent, total) calls[#calls + 1] = { sent, total } end }
      assert.are.equal(5000, n)
      assert.is_true(#calls >= 1)
      assert.are.same({ size, size }, calls[#calls])
      for k = 1, #calls do
        assert.are.equal(size, calls[k][2])
        assert.is_true(k == 1 or calls[k][1] >= calls[k - 1][1])
      end
      assert.are.equal(5000, c:execute("SELECT COUNT(*) FROM " .. t):scalar())
      assert.are.equal("name 4999", c:execute("SELECT name FROM " .. t .. " WHERE id = 4999"):scalar())
      assert.are.equal(4999 * 5000 // 2, c:execute("SELECT SUM(id) FROM " .. t):scalar() + 0)
    end)

    it("a failing or re-entering progress function does not break the load", function()
      local path = write_csv(dir, 3000)
      local called = 0
      local n = c.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1,
                                             progress = function() called = called + 1; error("boom") end }
      assert.are.equal(3000, n)
      assert.are.equal(1, called)   -- not called again after its error
      c:execute("DELETE FROM " .. t)
      -- using the client from inside the load: refused (the connection is busy), load goes on
      local inner
      n = c.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1,
                                       progress = function() inner = inner or select(2, pcall(c.execute, c, "SELECT 1")) end }
      assert.are.equal(3000, n)
      assert.are.equal("misuse", inner.category)   -- one call at a time on a client
      assert.are.equal(3000, c:execute("SELECT COUNT(*) FROM " .. t):scalar())
      -- inside a coroutine: called on the coroutine's own state
      c:execute("DELETE FROM " .. t)
      local co = coroutine.wrap(function()
        local last
        local rows = c.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1,
                                                  progress = function(sent) last = sent end }
        return rows, last
      end)
      local rows, last = co()
      assert.are.equal(3000, rows)
      assert.are.equal(size_of(path), last)
      -- a yield from the progress function cannot cross the C call: an error, reported, load goes on
      c:execute("DELETE FROM " .. t)
      local tries = 0
      co = coroutine.create(function()
        return c.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1,
                                            progress = function() tries = tries + 1; coroutine.yield("no") end }
      end)
      local ok, res = coroutine.resume(co)
      assert.is_true(ok)
      assert.are.equal(3000, res)
      assert.are.equal("dead", coroutine.status(co))
      assert.are.equal(1, tries)
      -- a callable table is a progress function too
      c:execute("DELETE FROM " .. t)
      local seen = 0
      local callable = setmetatable({}, { __call = function(_, sent) seen = sent end })
      c.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1, progress = callable }
      assert.are.equal(size_of(path), seen)
    end)

    it("LOCAL is refused outside the allowed directories and when not allowed", function()
      local outside = write_csv(other, 3)
      local e = H.raises("invalid_argument", nil, function() c.load_data:from_local_file(outside, t) end)
      assert.are.equal("load_data.from_local_file", e.operation)
      -- through a symlink inside the allowed directory: resolved, still outside
      os.execute("ln -s '" .. outside .. "' '" .. dir .. "/link.csv'")
      H.raises("invalid_argument", nil, function() c.load_data:from_local_file(dir .. "/link.csv", t) end)
      assert.are.equal(0, c:execute("SELECT COUNT(*) FROM " .. t):scalar())
      -- a client without local_infile_dirs refuses every file
      local c2 = mocore.connect(H.url)
      e = H.raises("invalid_argument", nil, function()
        c2.load_data:from_local_file{ file_path = write_csv(dir, 3), table_name_or_model = t }
      end)
      assert.truthy(e.message:find("not allowed", 1, true), e.message)
      -- and a server request no call armed (LOAD DATA LOCAL as plain SQL) is refused by mocore
      e = H.raises("server", nil, function()
        c:execute("LOAD DATA LOCAL INFILE '" .. dir .. "/rows.csv' INTO TABLE " .. t)
      end)
      assert.are.equal(0, c:execute("SELECT COUNT(*) FROM " .. t):scalar())
      c2:close()
      -- a bad directory is refused at connect
      H.raises("invalid_argument", nil, function() mocore.connect{ url = H.url, local_infile_dirs = { other .. "/nope" } } end)
      H.raises("invalid_argument", nil, function() mocore.connect{ url = H.url, local_infile_dirs = { 1 } } end)
    end)

    it("a LOCAL load in a session rolls back with the session", function()
      local path = write_csv(dir, 100)
      local ok = pcall(c.session, c, function(s)
        assert.are.equal(100, s.load_data:from_local_file{ file_path = path, table_name_or_model = t, ignore_lines = 1 })
        assert.are.equal(100, s:execute("SELECT COUNT(*) FROM " .. t):scalar())
        error("roll back")
      end)
      assert.is_false(ok)
      assert.are.equal(0, c:execute("SELECT COUNT(*) FROM " .. t):scalar())
    end)

    it("export INTO OUTFILE writes what it says and loads back", function()
      local files = c:execute("SELECT @@secure_file_priv"):scalar()
      files = files and files:gsub("/+$", "")
      if not files or files == "" or not io.open(files) then
        pending("the server's secure_file_priv directory is not on this machine")
        return
      end
      c:execute("INSERT INTO " .. t .. " VALUES (1, 'plain'), (2, 'a|b'), (3, 'say \"hi\"'), (4, 'x'), (5, NULL)")
      local out = ("%s/%s.csv"):format(files, t)
      local n = c.export:to_csv{ path = out, query = "SELECT id, name FROM " .. t .. " WHERE id <= ? ORDER BY id;",
                                 params = { 3 }, sep = "|", quotechar = '"', lineterminator = "\r\n" }
      assert.are.equal(3, n)
      assert.are.equal('"1"|"plain"\r\n"2"|"a|b"\r\n"3"|"say \\"hi\\""\r\n', read_all(out))
      -- read back by the server with the same options
      local back = t .. "_b"
      c:execute("CREATE TABLE " .. back .. " (id INT, name VARCHAR(40))")
      local ok, err = pcall(function()
        assert.are.equal(3, c.load_data:from_file{ file_path = out, table_name_or_model = back, fields_terminated_by = "|",
                                                   fields_enclosed_by = '"', lines_terminated_by = "\r\n" })
        assert.are.equal(3, c:execute("SELECT COUNT(*) FROM " .. back .. " b JOIN " .. t
                                      .. " s ON b.id = s.id AND b.name = s.name"):scalar())
      end)
      c:execute("DROP TABLE " .. back)
      assert(ok, tostring(err))
      -- jsonl on MariaDB: the server's default layout; an existing file is the server's error
      local out2 = ("%s/%s.jsonl"):format(files, t)
      assert.are.equal(5, c.export:to_jsonl(out2, "SELECT id FROM " .. t))
      assert.are.equal("1\n2\n3\n4\n5\n", read_all(out2))
      H.raises("server", nil, function() c.export:to_jsonl(out2, "SELECT id FROM " .. t) end)
      -- header is MatrixOne's: refused here, nothing written
      H.raises("unsupported", nil, function() c.export:to_csv{ path = files .. "/h.csv", query = "SELECT 1", header = true } end)
      os.remove(out); os.remove(out2)
    end)

    it("stage and cdc are unsupported on MariaDB, nothing sent", function()
      H.requires_mariadb(pending, "stage and cdc are MatrixOne's; matrixone_spec.lua has them for real")
      local before = c:execute("SHOW SESSION STATUS LIKE 'Questions'"):next()[2] + 0
      for i, f in ipairs({
        function() c.stage:create_local("st", dir) end,
        function() c.stage:list() end,
        function() c.stage:exists("st") end,
        function() c.cdc:list() end,
        function() c.cdc:drop("t") end,
        function() c.cdc:create_table_task("t", "mysql://s", "matrixone", "mysql://k", { "a.b:c.d" }) end,
        function() c.load_data:read_csv_inline("1,a\n", t) end,
        function() c.load_data:read_parquet("/x.parquet", t) end,
        function() c.export:to_jsonl_stage("st", "o.jsonl", "SELECT 1") end,
      }) do
        local ok, e = pcall(f)
        assert(not ok, "case " .. i .. " passed")
        assert.are.equal("unsupported", e.category, "case " .. i .. ": " .. tostring(e.message))
      end
      -- the status query itself is the one Question counted since
      assert.are.equal(before + 1, c:execute("SHOW SESSION STATUS LIKE 'Questions'"):next()[2] + 0)
      assert.are.equal("mysql://u:p@h:1", c.cdc:build_mysql_uri("h", 1, "u", "p"))
    end)
  end)
end)
