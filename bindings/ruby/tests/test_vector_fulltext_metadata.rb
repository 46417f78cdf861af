# frozen_string_literal: true

# bindings/ruby/tests/test_vector_fulltext_metadata.rb — vector_ops, fulltext_index,
# metadata, moctl, the table helpers and the connection hooks with the SDK's names and keyword
# arguments. MatrixOne SQL through the dry-run journal (the conformance vectors of
# tests/conformance/vector_fulltext_metadata_vectors.json and the expectations of
# tests/unit/test_vector_fulltext_sql.c); insert/batch_insert round trips, FULLTEXT create +
# MATCH search, create/drop table and hooks for real on MariaDB. Loaded by test_mocore.rb.
require "minitest/autorun"
require "bigdecimal"
require "date"
require "json"
require "securerandom"
require "mocore"
require_relative "test_mocore" unless defined?(MoCoreTest)
require_relative "test_snapshot_pitr_pubsub_account" unless defined?(ConformanceTest)

VECTORS_B = File.expand_path("../../../tests/conformance/vector_fulltext_metadata_vectors.json", __dir__)
DRY_URL = "matrixone://u:p@127.0.0.1:1/db?dry_run=true"

module JournalHelpers
  def norm(sql)
    sql.split.join(" ")
  end

  def journal
    j = @c.journal
    @c.clear_journal
    j
  end
end

class VectorFulltextConformanceTest < Minitest::Test
  include JournalHelpers

  def teardown
    @c&.close
  end

  def test_vectors
    vectors = JSON.parse(File.read(VECTORS_B))
    assert_equal 15, vectors.length
    vectors.each do |v|
      args = v["args"].transform_keys(&:to_sym)
      if v["manager"] == "connection_hooks"
        @c = MoCore::Client.new(DRY_URL, on_connect: args[:actions])
      else
        @c = dry_client
        @c.public_send(v["manager"]).public_send(v["method"], **args)
      end
      want = v["expected_sql_sequence"] || [v["expected_sql"]]
      assert_equal want.map { |s| norm(s) }, @c.journal.map { |s| norm(s) }, "#{v['manager']}.#{v['method']} #{args}"
      @c.close
    end
  end
end

class VectorOpsTest < Minitest::Test
  include JournalHelpers

  # MatrixOne may send a vector column as text; the searches convert the searched column
  # (rows of the real server: test_matrixone.rb) with C's parser, mo_text_to_vector.
  def test_vector_text_of_search_results_becomes_an_array
    assert_equal [1.0, 2.5, -3e-05], MoCore::Core.mo_rb_text_vector("[1,2.5,-3e-05]")
    assert_equal [], MoCore::Core.mo_rb_text_vector("[]")
    ["[not, numbers]", "plain", nil, 5, [1.0]].each { |v| assert_equal v, MoCore::Core.mo_rb_text_vector(v) }
  end

  def setup
    @c = dry_client
    @v = @c.vector_ops
  end

  def teardown
    @c.close
  end

  def test_indexes_chain_as_in_the_sdk
    @v.create_ivf("items", "idx", "embedding").create_ivf("db.items", "i2", "v", lists: 32, op_type: :vector_cosine_ops)
    assert_equal ["SET experimental_ivf_index = 1", "SET probe_limit = 1",
                  "CREATE INDEX `idx` USING ivfflat ON `items`(`embedding`) LISTS 100 op_type 'vector_l2_ops'",
                  "SET experimental_ivf_index = 1", "SET probe_limit = 1",
                  "CREATE INDEX `i2` USING ivfflat ON `db`.`items`(`v`) LISTS 32 op_type 'vector_cosine_ops'"], journal
    @v.create_hnsw("items", "h", "v", m: 8, ef_construction: 100, ef_search: 20, op_type: "VECTOR_IP_OPS")
    @v.create_hnsw(table_name: "items", name: "h", column: "v")
    assert_same @v, @v.drop("items", "idx").enable_ivf.enable_hnsw.disable_hnsw
    @v.enable_ivf(probe_limit: 3).disable_ivf
    assert_equal ["SET experimental_hnsw_index = 1",
                  "CREATE INDEX `h` USING hnsw ON `items`(`v`) M 8 EF_CONSTRUCTION 100 EF_SEARCH 20 op_type 'vector_ip_ops'",
                  "SET experimental_hnsw_index = 1",
                  "CREATE INDEX `h` USING hnsw ON `items`(`v`) M 16 EF_CONSTRUCTION 200 EF_SEARCH 50 op_type 'vector_l2_ops'",
                  "DROP INDEX `idx` ON `items`", "SET experimental_ivf_index = 1", "SET probe_limit = 1",
                  "SET experimental_hnsw_index = 1", "SET experimental_hnsw_index = 0",
                  "SET experimental_ivf_index = 1", "SET probe_limit = 3", "SET experimental_ivf_index = 0"], journal
  end

  def test_searches
    assert_equal [], @v.similarity_search("items", "embedding", [0.1, 0.2, 0.3])
    @v.similarity_search("items", "v", [1.0, -2.5, 1e-7], limit: 5, select_columns: %w[id title],
                                                         where_clause: "category = ? AND id > 3", where_params: ["it's"],
                                                         distance_type: :cosine)
    @v.similarity_search("items", "v", [0.1], 3, distance_type: "inner_product")
    @v.range_search("items", "v", [0.1, 0.2], 0.5)
    @v.range_search("items", "v", [0.1, 0.2], 2, select_columns: "id", where_clause: "id < 100")
    [:post, "PRE", "force"].each { |m| @v.search_with_rank("items", "v", [0.1], limit: 7, rank_mode: m) }
    assert_equal [
      "SELECT *, l2_distance(`embedding`, '[0.1,0.2,0.3]') as distance FROM `items` ORDER BY distance LIMIT 10",
      "SELECT `id`, `title`, cosine_distance(`v`, '[1,-2.5,1e-07]') as distance FROM `items` " \
      "WHERE (category = 'it''s' AND id > 3) ORDER BY distance LIMIT 5",
      "SELECT *, inner_product(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 3",
      "SELECT *, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` " \
      "WHERE l2_distance(`v`, '[0.1,0.2]') <= 0.5e0 ORDER BY distance",
      "SELECT `id`, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` " \
      "WHERE (id < 100) AND l2_distance(`v`, '[0.1,0.2]') <= 2e0 ORDER BY distance",
      "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=post'",
      "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=pre'",
      "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=force'"
    ], journal
  end

  def test_insert_and_batch_insert
    assert_same @v, @v.insert("items", { id: 1, embedding: [0.5, 1.25] })
    @v.batch_insert("items", [{ "id" => 1, "embedding" => [0.5, 1.25] }, { "id" => 2, "embedding" => nil }])
    @v.batch_insert("items", [])
    assert_equal ["INSERT INTO `items` (`id`, `embedding`) VALUES (1, '[0.5,1.25]')",
                  "INSERT INTO `items` (`id`, `embedding`) VALUES (1, '[0.5,1.25]'), (2, NULL)"], journal
  end

  def test_bad_arguments_send_nothing
    v = @v
    cases = {
      "distance_type must be one of" => -> { v.similarity_search("t", "v", [1.0], distance_type: :manhattan) },
      "rank_mode must be one of" => -> { v.search_with_rank("t", "v", [1.0], rank_mode: "sideways") },
      "op_type must be one of" => -> { v.create_ivf("t", "i", "v", op_type: "vector_xx_ops") },
      "lists must be > 0" => -> { v.create_ivf("t", "i", "v", lists: 0) },
      "limit must be > 0" => -> { v.similarity_search("t", "v", [1.0], limit: -1) },
      "log_mode must be one of 'auto', 'full', 'off', 'simple', got 'loud'" => -> { v.similarity_search("t", "v", [1.0], log_mode: "loud") },
      "placeholder" => -> { v.similarity_search("t", "v", [1.0], where_clause: "a = ?") },
      "where" => -> { v.similarity_search("t", "v", [1.0], where_clause: "1; DROP TABLE t") },
      "max_distance must be a number" => -> { v.range_search("t", "v", [1.0], "far") },
      "data must not be empty" => -> { v.insert("t", {}) },
      "every row needs exactly" => -> { v.batch_insert("t", [{ a: 1 }, { b: 2 }]) },
      "every row needs exactly " => -> { v.batch_insert("t", [{ a: 1 }, { a: 1, b: 2 }]) },
      "NUL" => -> { v.drop("t\0x", "i") },
      "vector is empty" => -> { v.similarity_search("t", "v", []) },
      "NaN or infinite" => -> { v.similarity_search("t", "v", [0.0, Float::NAN]) },
      "query vector is NULL" => -> { v.similarity_search("t", "v", nil) },
      "vector elements must be numbers" => -> { v.similarity_search("t", "v", ["x"]) },
      "vector elements must be numbers " => -> { v.similarity_search("t", "v", [true]) },
      "unknown argument colour; expected one of table_name, name" => -> { v.drop("t", "i", colour: 1) }
    }
    cases.each do |msg, fn|
      e = assert_raises(MoCore::InvalidArgumentError, msg) { fn.call }
      assert_includes e.message, msg.strip
    end
    e = assert_raises(MoCore::InvalidArgumentError) { v.similarity_search("t", "v", [1.0], limit: 0) }
    assert_equal "vector_ops.similarity_search", e.operation
    assert_equal [], @c.journal
  end

  def test_ivf_stats_in_dry_run
    st = @v.get_ivf_stats("items", "embedding")
    assert_instance_of MoCore::IvfStats, st
    assert_equal({}, st.index_tables)
    assert_equal({ centroid_id: [], centroid_version: [], centroid_count: [] }, st.distribution)
    assert_equal %w[db items embedding], [st.database, st.table_name, st.column_name]
    assert_equal norm("SELECT i.algo_table_type, i.index_table_name FROM `mo_catalog`.`mo_indexes` AS i " \
                      "JOIN `mo_catalog`.`mo_tables` AS t ON i.table_id = t.rel_id AND i.column_name = " \
                      "'embedding' AND t.relname = 'items' AND t.reldatabase = 'db' AND i.algo='ivfflat'"),
                 norm(@c.journal[0])
  end
end

class FulltextMetadataMoctlTablesTest < Minitest::Test
  include JournalHelpers

  def setup
    @c = dry_client
  end

  def teardown
    @c.close
  end

  def test_fulltext
    ft = @c.fulltext_index
    ft.create("articles", "ftidx", %w[title content]).create("articles", "ft2", "body", parser: "ngram")
      .drop("articles", "ftidx")
    ft.enable_fulltext.disable_fulltext
    assert_equal [], ft.search("articles", "title", "+a -b\0c", mode: :boolean, select_columns: %w[id title],
                                                                where_clause: "id > ?", where_params: [3], limit: 5)
    ft.search("articles", "title", "db", mode: :query_expansion)
    ft.search(table_name: "articles", columns: %w[title content], query: "it's \"x\"")
    assert_equal [
      "CREATE FULLTEXT INDEX `ftidx` ON `articles` (`title`, `content`)",
      "CREATE FULLTEXT INDEX `ft2` ON `articles` (`body`) WITH PARSER ngram",
      "DROP INDEX `ftidx` ON `articles`", "SET experimental_fulltext_index = 1",
      "SET experimental_fulltext_index = 0",
      "SELECT `id`, `title` FROM `articles` WHERE MATCH(`title`) AGAINST('+a -b\\0c' IN BOOLEAN MODE) AND (id > 3) LIMIT 5",
      "SELECT * FROM `articles` WHERE MATCH(`title`) AGAINST('db' WITH QUERY EXPANSION)",
      "SELECT * FROM `articles` WHERE MATCH(`title`, `content`) AGAINST('it''s \"x\"')"
    ], journal
    e = assert_raises(MoCore::InvalidArgumentError) { ft.create("t", "i", "c", parser: "klingon") }
    assert_includes e.message, "Invalid parser 'klingon'"
    assert_raises(MoCore::InvalidArgumentError) { ft.search("t", "c", "q", mode: :fuzzy) }
    assert_equal [], @c.journal
  end

  def test_metadata
    m = @c.metadata
    r = m.scan("db", "t", is_tombstone: true, indexname: "idx")
    assert_instance_of MoCore::Result, r
    r.close
    assert_equal [], m.scan("db", "t", columns: %w[col_name rows_cnt], distinct_object_name: true)
    assert_equal [], m.scan("db", "t", columns: "*")
    assert_equal({}, m.get_table_brief_stats("db", "t", include_tombstone: true, include_indexes: %w[i1 i2]))
    assert_equal({}, m.get_table_detail_stats("db", "t", indexname: "i1"))
    assert_equal [
      "SELECT * FROM metadata_scan('db.t.?idx.#', '*') g",
      "SELECT DISTINCT(object_name) as object_name, `col_name`, `rows_cnt` FROM metadata_scan('db.t', '*') g",
      "SELECT * FROM metadata_scan('db.t', '*') g",
      "SELECT * FROM metadata_scan('db.t', '*') g", "SELECT * FROM metadata_scan('db.t.#', '*') g",
      "SELECT * FROM metadata_scan('db.t.?i1', '*') g", "SELECT * FROM metadata_scan('db.t.?i2', '*') g",
      "SELECT * FROM metadata_scan('db.t.?i1', '*') g"
    ], journal
    e = assert_raises(MoCore::InvalidArgumentError) { m.scan("db", "t", columns: ["secret"]) }
    assert_includes e.message, "unknown metadata column 'secret'"
    e = assert_raises(MoCore::InvalidArgumentError) { m.scan("d.b", "t") }
    assert_includes e.message, "'.' cannot be expressed here"
    assert_equal [], @c.journal
    assert_equal %i[col_name object_name is_hidden obj_loc create_ts delete_ts rows_cnt null_cnt compress_size
                    origin_size min max sum], MoCore::MetadataRow.members
    assert_includes MoCore::TableStats.members, :original_size_text
  end

  def test_moctl
    assert_equal "OK", @c.moctl.flush_table("db1", "users")["result"][0]["returnStr"]
    @c.moctl.flush_table(database: "d'b", table: "t\\")
    @c.moctl.increment_checkpoint
    @c.moctl.global_checkpoint
    assert_equal ["SELECT mo_ctl('dn', 'flush', 'db1.users')", "SELECT mo_ctl('dn', 'flush', 'd''b.t\\\\')",
                  "SELECT mo_ctl('dn', 'checkpoint', '')", "SELECT mo_ctl('dn', 'globalcheckpoint', '')"], journal
    e = assert_raises(MoCore::InvalidArgumentError) { @c.moctl.flush_table("db", "a.b") }
    assert_equal "moctl.flush_table", e.operation
  end

  def test_table_helpers_sql
    r = @c.insert("db.t", { n: nil, i: -7, d: 0.25, s: "O'Brien \\ \0x", b: "\x00\xff".b,
                            dt: Date.new(2024, 2, 29), ts: Time.new(2024, 1, 2, 3, 4, 5.000006r, "+00:00"),
                            ok: true, dec: BigDecimal("12.50"), j: { "a" => 1 } })
    assert_instance_of MoCore::ResultSet, r
    assert_equal 0, r.affected_rows
    assert_equal 0, @c.batch_insert("t", []).affected_rows
    assert_same @c, @c.create_table("t", { id: "INT", name: "varchar(100)", price: "decimal(10, 2)", v: "vecf32(128)" },
                                    primary_key: "id")
    @c.create_table("db.t2", [%w[a vecf64(3)], %w[b TEXT]]).drop_table("db.t")
    assert_equal [
      "INSERT INTO `db`.`t` (`n`, `i`, `d`, `s`, `b`, `dt`, `ts`, `ok`, `dec`, `j`) " \
      "VALUES (NULL, -7, 0.25e0, CAST(X'4F27427269656E205C200078' AS CHAR), X'00FF', '2024-02-29', " \
      "'2024-01-02 03:04:05.000006', TRUE, 12.5, '{\"a\":1}')",
      "CREATE TABLE `t` (`id` INT, `name` VARCHAR(100), `price` DECIMAL(10,2), `v` vecf32(128), PRIMARY KEY (`id`))",
      "CREATE TABLE `db`.`t2` (`a` vecf64(3), `b` TEXT)", "DROP TABLE IF EXISTS `db`.`t`"
    ], journal
    e = assert_raises(MoCore::InvalidArgumentError) { @c.create_table("t", { a: "geometry" }) }
    assert_includes e.message, "Unsupported column type 'geometry' for column 'a'"
    assert_raises(MoCore::InvalidArgumentError) { @c.create_table("t", { a: "int; DROP TABLE x" }) }
    assert_raises(MoCore::InvalidArgumentError) { @c.create_table("t", { "a\0b" => "int" }) }
    assert_raises(MoCore::InvalidArgumentError) { @c.create_table("t", {}) }
    assert_raises(MoCore::InvalidArgumentError) { @c.insert("t", [1, 2]) }
    assert_equal [], @c.journal
  end

  def test_session_managers_run_in_the_transaction
    @c.session do |s|
      s.vector_ops.enable_ivf(3)
      s.insert("t", { a: "x" })
      s.moctl.increment_checkpoint
    end
    assert_equal ["BEGIN", "SET experimental_ivf_index = 1", "SET probe_limit = 3",
                  "INSERT INTO `t` (`a`) VALUES ('x')", "SELECT mo_ctl('dn', 'checkpoint', '')", "COMMIT"], journal
  end

  Model = Struct.new(:x) do
    def self.table_name = "lib.docs"
  end

  def test_model_classes_as_tables
    @c.fulltext_index.drop(Model, "ft")
    @c.drop_table(Model)
    assert_equal ["DROP INDEX `ft` ON `lib`.`docs`", "DROP TABLE IF EXISTS `lib`.`docs`"], journal
  end

  # Every vector_ops / fulltext_index / metadata / moctl method and table helper with nil, numbers and odd objects: an exception or a valid call,
  # never a crash, never an object's text in the SQL.
  def test_every_method_survives_nil_and_wrong_types
    targets = [@c.vector_ops, @c.fulltext_index, @c.metadata, @c.moctl]
    calls = targets.flat_map { |o| o.class.public_instance_methods(false).map { |m| o.method(m) } }
    calls += %i[insert batch_insert create_table drop_table].map { |m| @c.method(m) }
    assert_operator calls.length, :>=, 25
    [[nil], [nil, nil, nil], [42], [Object.new, [], {}], ["t", "c", {}], ["t", "c", [Object.new]]].each do |args|
      calls.each do |fn|
        r = fn.call(*args)
        r.close if r.is_a?(MoCore::Result)
      rescue MoCore::Error, TypeError, ArgumentError
        nil
      end
    end
    @c.journal.each { |sql| refute_match(/Object|#<|\{\}|\[\]/, sql) }
  end
end

class HooksTest < Minitest::Test
  def test_actions_and_block_in_dry_run
    seen = []
    hook = MoCore::ConnectionHook.new(actions: [:enable_all]) do |conn|
      seen << conn
      conn.execute("SET @hook_calls = ?", [seen.length])
    end
    c = MoCore::Client.new(DRY_URL, on_connect: hook)
    assert_equal ["SET experimental_ivf_index = 1", "SET experimental_hnsw_index = 1",
                  "SET experimental_fulltext_index = 1", "SET @hook_calls = 1"], c.journal
    c.session { nil }
    assert_equal ["SET experimental_ivf_index = 1", "SET experimental_hnsw_index = 1",
                  "SET experimental_fulltext_index = 1", "SET @hook_calls = 2", "BEGIN", "COMMIT"], c.journal[4..]
    assert_instance_of MoCore::HookConnection, seen[0]
    e = assert_raises(MoCore::MisuseError) { seen[0].execute("SELECT 1") } # only valid during the call
    assert_includes e.message, "only valid during the on_connect call"
    assert_raises(MoCore::MisuseError) { seen[0].vector_ops.enable_hnsw }
    c.close
  end

  def test_action_forms
    [%i[enable_ivf enable_fulltext], "ENABLE_VECTOR", [MoCore::ConnectionHook.new(actions: "enable_hnsw")]].each do |a|
      c = MoCore::Client.new(DRY_URL, on_connect: a)
      refute_empty c.journal
      c.close
    end
    e = assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(DRY_URL, on_connect: :enable_nothing) }
    assert_includes e.message, "'enable_nothing' is not a valid ConnectionAction"
    assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(DRY_URL, on_connect: 42) }
  end

  def test_failures_are_logged_not_raised
    lines = []
    c = MoCore::Client.new(DRY_URL, on_connect: ->(_conn) { raise "boom" }, logger: ->(l, m) { lines << [l, m] })
    assert_includes lines, [:warn, "Connection hook execution failed: boom"]
    assert_equal [], c.journal
    c.close
  end
end

class TablesFulltextHooksOnMariaDBTest < MoCoreTest::Base
  def setup
    super
    @t = "mb_#{SecureRandom.hex(5)}"
    @tables << @t
  end

  def test_create_insert_batch_insert_round_trip
    @client.create_table(@t, { id: "int", s: "text", b: "blob", d: "date", ts: "datetime", dec: "decimal(10,2)",
                               j: "json", f: "double" }, primary_key: "id")
    row = { id: 1, s: "O'Brien \\ \0 😀", b: "\x00'\\\xff".b, d: Date.new(2024, 2, 29),
            ts: Time.new(2024, 1, 2, 3, 4, 5), dec: BigDecimal("12.50"), j: { "k" => "v'" }, f: 0.1 }
    assert_equal 1, @client.insert(@t, row).affected_rows
    rows = (2..501).map do |i|
      { id: i, s: "r#{i}'", b: [i % 256].pack("C"), d: nil, ts: nil, dec: nil, j: nil, f: i / 3.0 }
    end
    assert_equal 500, @client.batch_insert(@t, rows).affected_rows
    got = @client.execute("SELECT id, s, b, d, ts, `dec`, j, f FROM `#{@t}` ORDER BY id").to_a
    assert_equal 501, got.length
    assert_equal [1, row[:s], row[:b], row[:d], row[:ts], row[:dec]], got[0][0, 6]
    assert_equal({ "k" => "v'" }, JSON.parse(got[0][6]))
    assert_equal 0.1, got[0][7]
    assert_equal [501, "r501'", [501 % 256].pack("C")], got[-1][0, 3]
    assert_in_delta 501 / 3.0, got[-1][7]
    # a failing batch in a session leaves nothing behind
    assert_raises(MoCore::ConstraintError) do
      @client.session { |s| s.batch_insert(@t, [{ id: 1000 }, { id: 1 }]) }
    end
    assert_equal 0, @client.scalar("SELECT COUNT(*) FROM `#{@t}` WHERE id = 1000")
  end

  def test_drop_table_is_idempotent_and_create_twice_fails
    @client.create_table(@t, { a: "int" })
    assert_raises(MoCore::AlreadyExistsError) { @client.create_table(@t, { a: "int" }) }
    @client.drop_table(@t).drop_table(@t)
    assert_raises(MoCore::NotFoundError) { @client.execute("SELECT * FROM `#{@t}`") }
  end

  def test_fulltext_create_and_search
    @client.create_table(@t, { id: "int", title: "varchar(200)", body: "text" }, primary_key: "id")
    @client.batch_insert(@t, [
                           { id: 1, title: "MatrixOne database", body: "vector search engine" },
                           { id: 2, title: "Cooking pasta", body: "boiling water and salt" },
                           { id: 3, title: "Database internals", body: "storage engines and indexes" }
                         ])
    ft = @client.fulltext_index
    ft.create(@t, "ft_#{@t}", %w[title body])
    hits = ft.search(@t, %w[title body], "database", select_columns: ["id"])
    assert_equal [1, 3], hits.map { |h| h["id"] }.sort
    hits = ft.search(@t, "title, body", "+database -vector", mode: :boolean, select_columns: "id, title")
    assert_equal [{ "id" => 3, "title" => "Database internals" }], hits
    hits = ft.search(@t, %w[title body], "engine*", mode: :boolean, where_clause: "id > ?", where_params: [1], limit: 5)
    assert_equal [3], hits.map { |h| h["id"] }
    ft.drop(@t, "ft_#{@t}")
    assert_raises(MoCore::Error) { ft.search(@t, %w[title body], "database") } # no index: MATCH refused
  end

  def test_matrixone_only_calls_are_unsupported_and_send_nothing
    requires_mariadb("MatrixOne runs these calls; test_matrixone.rb has them for real")
    q = -> { @client.execute("SHOW SESSION STATUS LIKE 'Questions'").first[1].to_i }
    n = q.call
    [-> { @client.vector_ops.create_ivf(@t, "i", "v") },
     -> { @client.vector_ops.similarity_search(@t, "v", [1.0]) },
     -> { @client.metadata.scan("db", @t) },
     -> { @client.moctl.global_checkpoint },
     -> { @client.fulltext_index.enable_fulltext }].each do |call|
      assert_raises(MoCore::UnsupportedError) { call.call }
    end
    assert_equal n + 1, q.call # only the first SHOW STATUS itself
  end

  def test_hook_block_runs_on_every_connection
    seen = []
    c = MoCore::Client.new(MoCoreTest::URL, on_connect: lambda do |conn|
      seen << conn.scalar("SELECT CONNECTION_ID()")
      conn.execute("SET @hooked = ?", ["yes"])
    end)
    assert_equal "yes", c.scalar("SELECT @hooked")
    assert_equal [c.connection_id], seen
    c.session do |s|
      assert_equal "yes", s.scalar("SELECT @hooked")
      assert_equal seen[1], s.scalar("SELECT CONNECTION_ID()")
    end
    assert_equal 2, seen.length
    refute_equal seen[0], seen[1]
    c.close
  end

  def test_hook_actions_are_skipped_on_mariadb
    requires_mariadb("the actions are MatrixOne session variables: run there, skipped elsewhere")
    # actions are MatrixOne variables: skipped on MariaDB (logged), the connect goes on
    lines = []
    c = MoCore::Client.new(MoCoreTest::URL, on_connect: :enable_all, log_mode: :simple,
                                            logger: ->(_l, m) { lines << m })
    assert_equal 1, c.scalar("SELECT 1")
    assert(lines.any? { |m| m.include?("Connection hook actions skipped") }, lines.inspect)
    c.close
  end

  # The hook runs inside connect, which runs without the GVL: it takes the GVL back; other
  # threads keep running meanwhile.
  def test_hook_from_threads
    threads = Array.new(4) do
      Thread.new do
        seen = 0
        c = MoCore::Client.new(MoCoreTest::URL, on_connect: ->(conn) { seen += conn.scalar("SELECT 1") })
        3.times { c.session { |s| s.scalar("SELECT 1") } }
        c.close
        seen
      end
    end
    assert_equal [4, 4, 4, 4], threads.map(&:value)
  end
end
