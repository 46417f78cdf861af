# frozen_string_literal: true

# bindings/ruby/tests/test_mysql2.rb — mysql2's surface (lib/mocore/mysql2.rb) against the test
# server. The best proof that mysql2 code runs unchanged: examples/ruby/mysql2_style.rb is run
# once with the real mysql2 gem (Debian's ruby-mysql2) and once with mocore's layer, and the
# outputs must be the same (the class names printed differ only by the MoCore:: prefix).
require "open3"
require "rbconfig"
require "mocore/mysql2"

class Mysql2LayerTest < MoCoreTest::Base
  EXAMPLE = File.expand_path("../../../examples/ruby/mysql2_style.rb", __dir__)
  M2 = MoCore::Mysql2

  def setup
    super
    @m2 = M2::Client.new(mysql2_options)
  end

  def teardown
    @m2&.close
    super
  end

  def mysql2_options
    { host: uri.host, port: uri.port, username: URI.decode_www_form_component(uri.user),
      password: URI.decode_www_form_component(uri.password.to_s), database: uri.path.delete_prefix("/") }
  end

  def real_mysql2?
    out, st = Open3.capture2e(RbConfig.ruby, "-e", "require 'mysql2'")
    st.success? || (warn(out) && false)
  end

  def run_example(real)
    env = { "MOCORE_MYSQL2_REAL" => real ? "1" : "0" }
    lib = $LOAD_PATH.grep(%r{bindings/ruby\z}).first || File.dirname($LOADED_FEATURES.grep(%r{/mocore\.rb\z}).first)
    out, err, st = Open3.capture3(env, RbConfig.ruby, "-I", lib, EXAMPLE, MoCoreTest::URL)
    assert st.success?, "#{real ? 'mysql2' : 'mocore'} run failed:\n#{out}\n#{err}"
    out
  end

  def test_the_same_program_prints_the_same_with_mysql2_and_mocore
    skip "the mysql2 gem is not installed (Debian: ruby-mysql2)" unless real_mysql2?
    real = run_example(true).lines
    ours = run_example(false).lines.map { |l| l.gsub("MoCore::Mysql2::", "Mysql2::") }
    assert_operator real.length, :>=, 20
    real.zip(ours).each_with_index { |(a, b), i| assert_equal a, b, "line #{i + 1}" }
    assert_equal real.length, ours.length
  end

  def test_alias_and_namespaces
    assert_same MoCore::Mysql2, ::Mysql2 unless defined?(::Mysql2::VERSION) # the real gem wins
    assert_operator M2::Error::ConnectionError, :<, M2::Error
    assert_operator M2::Error::TimeoutError, :<, M2::Error
    assert_same @client.class, @m2.mocore.class # MoCore's own API beside it
  end

  def test_query_results_are_reiterable_and_shaped
    t = make_table("id INT PRIMARY KEY, name VARCHAR(20)")
    assert_nil @m2.query("INSERT INTO `#{t}` VALUES (1, 'a'), (2, 'b')")
    assert_equal 2, @m2.affected_rows
    r = @m2.query("SELECT id, name FROM `#{t}` ORDER BY id")
    assert_equal %w[id name], r.fields
    assert_equal [2, 2], [r.count, r.size]
    assert_equal [{ "id" => 1, "name" => "a" }, { "id" => 2, "name" => "b" }], r.to_a
    assert_equal r.to_a, r.each.to_a # again
    assert_equal [[1, "a"], [2, "b"]], r.each(as: :array).to_a
    assert_equal [{ id: 1, name: "a" }, { id: 2, name: "b" }], r.each(symbolize_keys: true).to_a
    s = @m2.query("SELECT id FROM `#{t}` ORDER BY id", symbolize_keys: true)
    assert_equal [:id], s.fields
    assert_equal [{ id: 1 }, { id: 2 }], s.to_a
    assert_equal [["1", "a"]], @m2.query("SELECT id, name FROM `#{t}` WHERE id = 1", as: :array, cast: false).to_a
  end

  def test_mocore_execute_cast_option
    assert_equal [["1", nil, "2.50"]], @client.execute("SELECT 1, NULL, CAST(2.5 AS DECIMAL(4,2))", cast: false).to_a
    assert_equal [[1, nil, BigDecimal("2.5")]], @client.execute("SELECT 1, NULL, CAST(2.5 AS DECIMAL(4,2))").to_a
    e = assert_raises(MoCore::InvalidArgumentError) { @client.execute("SELECT 1", cast: :sometimes) }
    assert_includes e.message, "cast:"
  end

  def test_stream_reads_once
    st = @m2.query("SELECT seq FROM #{MoCoreTest.seq(5)} ORDER BY seq", stream: true, cache_rows: false)
    assert_equal [1, 2, 3, 4, 5], st.map { |r| r["seq"] }
    assert_equal 5, st.count
    e = assert_raises(M2::Error) { st.each { nil } }
    assert_match(/already fetched all the rows/, e.message)
    half = @m2.query("SELECT seq FROM #{MoCoreTest.seq(100)}", stream: true)
    half.each { break }
    assert_nil @m2.abandon_results!
    assert_equal [[7]], @m2.query("SELECT 7", as: :array).to_a
  end

  def test_values_cast_as_mysql2_casts_them
    requires_mariadb("TIME, BIT and YEAR columns as MariaDB types them")
    row = @m2.query("SELECT CAST(1.50 AS DECIMAL(5,2)) d, CAST(7 AS DECIMAL(5,0)) i, 2.5e0 f, " \
                    "CAST('2024-01-02' AS DATE) dt, CAST('2024-01-02 03:04:05' AS DATETIME) ts, " \
                    "CAST('10:11:12' AS TIME) tm, b'101' bits, NULL n, 'x' s, CAST('0000-00-00' AS DATE) z",
                    as: :array).first
    assert_equal [BigDecimal("1.5"), 7, 2.5, Date.new(2024, 1, 2), Time.local(2024, 1, 2, 3, 4, 5),
                  Time.local(2000, 1, 1, 10, 11, 12), "\x05".b, nil, "x"], row[0, 9]
    assert_nil row[9] # a zero date is nil, as in mysql2 (when the server lets it through)
    utc = @m2.query("SELECT CAST('2024-01-02 03:04:05' AS DATETIME) ts", database_timezone: :utc).first["ts"]
    assert_equal Time.utc(2024, 1, 2, 3, 4, 5), utc
    assert utc.utc?
    local = @m2.query("SELECT CAST('2024-01-02 03:04:05' AS DATETIME) ts", database_timezone: :utc,
                                                                          application_timezone: :local).first["ts"]
    assert_equal utc, local
    refute local.utc?
  end

  def test_prepare_and_execute
    t = make_table("id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,0)")
    ins = @m2.prepare("INSERT INTO `#{t}` (name, price) VALUES (?, ?)")
    assert_equal 2, ins.param_count
    assert_nil ins.execute("a'b", 5)
    assert_equal [1, 1], [ins.affected_rows, ins.last_id]
    ins.execute(nil, nil)
    assert_equal 2, @m2.last_id
    e = assert_raises(M2::Error) { ins.execute("only one") }
    assert_match(/Bind parameter count \(2\)/, e.message)
    sel = @m2.prepare("SELECT id, name, price FROM `#{t}` WHERE id >= ? ORDER BY id")
    r = sel.execute(1, as: :array)
    assert_equal [[1, "a'b", BigDecimal("5")], [2, nil, nil]], r.to_a
    assert_kind_of BigDecimal, r.first[2] # DECIMAL(8,0) from a statement, as mysql2's binary protocol
    assert_equal %w[id name price], sel.fields
    sel.close
    assert sel.closed?
  end

  def test_escape_uses_the_core_literal_rules
    nasty = "a'b\\c\"d\n\r\0\x1a;--"
    assert_equal "a''b\\\\c\"d\\n\\r\\0\\Z;--", @m2.escape(nasty)
    assert_equal M2::Client.escape(nasty), @m2.escape(nasty)
    assert_equal nasty, @m2.query("SELECT '#{@m2.escape(nasty)}' AS v").first["v"]
    assert_raises(TypeError) { @m2.escape(1) }
  end

  def test_server_info_ping_info_close
    info = @m2.server_info
    assert_equal %i[id version], info.keys.sort
    major, minor, patch = @client.version
    assert_equal (major * 10_000) + (minor * 100) + patch, info[:id]
    assert_equal @client.server_version, info[:version]
    assert_equal MoCore::VERSION, @m2.info[:version]
    assert_equal true, @m2.ping
    assert_kind_of Integer, @m2.thread_id
    assert_equal :hash, @m2.query_options[:as]
    @m2.close
    assert @m2.closed?
    assert_equal false, @m2.ping
    e = assert_raises(M2::Error) { @m2.query("SELECT 1") }
    assert_equal ["MySQL client is not connected", nil], [e.message, e.error_number]
    assert_raises(M2::Error) { @m2.escape("x") }
    assert_raises(M2::Error) { @m2.server_info }
  end

  def test_errors_carry_number_and_sql_state
    t = make_table("id INT PRIMARY KEY")
    @m2.query("INSERT INTO `#{t}` VALUES (1)")
    e = assert_raises(M2::Error) { @m2.query("INSERT INTO `#{t}` VALUES (1)") }
    # MatrixOne (v4.2) sends ER_DUP_ENTRY with the generic SQLSTATE HY000
    assert_equal [M2::Error, 1062, MoCoreTest.matrixone? ? "HY000" : "23000"], [e.class, e.error_number, e.sql_state]
    assert_equal e.error_number, e.errno
    assert_kind_of MoCore::ConstraintError, e.cause
    assert_match(/Duplicate entry/i, e.message)
    e = assert_raises(M2::Error) { @m2.query("SELEKT 1") }
    assert_equal [1064, MoCoreTest.matrixone? ? "HY000" : "42000"], [e.error_number, e.sql_state]
    e = assert_raises(M2::Error::ConnectionError) do
      M2::Client.new(mysql2_options.merge(password: "wrong-secret"))
    end
    assert_equal 1045, e.error_number # ER_ACCESS_DENIED_ERROR (MatrixOne too, for a known user)
    e = assert_raises(M2::Error::ConnectionError) { M2::Client.new(host: "127.0.0.1", port: 1, connect_timeout: 2) }
    assert_kind_of MoCore::ConnectError, e.cause
  end

  def test_options_mocore_cannot_honour_raise_naming_them
    { async: true, cast_booleans: true, as: :struct, database_timezone: :pacific }.each do |k, v|
      e = assert_raises(ArgumentError) { @m2.query("SELECT 1", k => v) }
      assert_includes e.message, k.to_s
    end
    { flags: M2::Client::MULTI_STATEMENTS, local_infile: true, init_command: "SET @a = 1", reconnect: true,
      encoding: "latin1", ssl_mode: :sometimes, default_file: "/etc/my.cnf" }.each do |k, v|
      e = assert_raises(ArgumentError) { M2::Client.new(mysql2_options.merge(k => v)) }
      assert_includes e.message, k.to_s
    end
    e = assert_raises(ArgumentError) { M2::Client.new(mysql2_options.merge(flags: "MULTI_STATEMENTS")) }
    assert_includes e.message, "MULTI_STATEMENTS"
    # what mysql2 ignores is ignored (a Rails-style config); flags mocore has anyway are fine
    c = M2::Client.new(mysql2_options.merge(adapter: "mysql2", pool: 5, flags: M2::Client::FOUND_ROWS,
                                            symbolize_keys: true, encoding: "utf8mb4"))
    assert_equal [{ one: 1 }], c.query("SELECT 1 AS one").to_a # symbolize_keys from new is honoured
    c.close
  end

  def test_select_db_quotes_by_the_core
    db = uri.path.delete_prefix("/")
    assert_equal db, @m2.select_db(db)
    e = assert_raises(M2::Error) { @m2.select_db("no_such_db_#{SecureRandom.hex(3)}`; DROP") }
    refute_nil e.error_number
  end
end
