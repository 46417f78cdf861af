# frozen_string_literal: true

# bindings/ruby/tests/test_mocore.rb — the Ruby binding against the real MariaDB of the ctest
# `server` fixture (ctest ruby.tests), or the server of MOCORE_TEST_URL (MatrixOne too: what
# holds on one kind says so with requires_mariadb, server error numbers that differ are given
# per kind). Minitest.
#
# The server URL comes from MOCORE_TEST_URL, else <MOCORE_TEST_SERVER_DIR>/url (ctest sets
# MOCORE_TEST_SERVER_DIR); the admin URL (accounts, users, roles) from MOCORE_TEST_ROOT_URL,
# else <MOCORE_TEST_SERVER_DIR>/root_url.
require "minitest/autorun"
require "securerandom"
require "socket"
require "uri"
require "mocore"

module MoCoreTest
  def self.read_url(env, file)
    return ENV[env] if ENV[env] && !ENV[env].empty?
    dir = ENV["MOCORE_TEST_SERVER_DIR"]
    path = dir && File.join(dir, file)
    path && File.exist?(path) ? File.read(path).strip : nil
  end

  URL = read_url("MOCORE_TEST_URL", "url")
  ROOT_URL = read_url("MOCORE_TEST_ROOT_URL", "root_url") || URL

  # The resident set size of this process in KiB.
  def self.rss_kb
    File.read("/proc/self/status")[/^VmRSS:\s+(\d+)/, 1].to_i
  end

  # MOCORE_TEST_MATRIXONE_URL: the MatrixOne profile (test_matrixone.rb); nil when not set.
  MATRIXONE_URL = ENV["MOCORE_TEST_MATRIXONE_URL"].then { |u| u && !u.empty? ? u : nil }

  # The kind of the test server as the client reports it (:mariadb, :mysql, :matrixone).
  def self.server_kind
    @server_kind ||= begin
      c = MoCore::Client.new(URL)
      c.server_kind.tap { c.close }
    end
  end

  def self.matrixone? = server_kind == :matrixone

  # A table expression of the integers 1..n in a column `seq`: MariaDB's Sequence engine table
  # seq_1_to_<n>, MatrixOne's generate_series elsewhere.
  def self.seq(n)
    return "seq_1_to_#{Integer(n)}" unless matrixone?
    "(SELECT result AS seq FROM generate_series(1, #{Integer(n)}) g) AS seq_1_to_#{Integer(n)}"
  end

  # A test that holds on one kind of server only skips, with the reason, on the others:
  #   def test_x; requires_mariadb("mysql.user is MariaDB's"); ...; end
  module ServerKinds
    def requires_mariadb(reason)
      requires_kind(%i[mariadb mysql], "MariaDB/MySQL", reason)
    end

    def requires_matrixone(reason)
      requires_kind(%i[matrixone], "MatrixOne", reason)
    end

    private

    def requires_kind(kinds, label, reason)
      skip "no test server: set MOCORE_TEST_URL or MOCORE_TEST_SERVER_DIR" unless URL
      kind = MoCoreTest.server_kind
      skip "#{label} only (#{reason}); the test server is #{kind}" unless kinds.include?(kind)
    end
  end
  Minitest::Test.include(ServerKinds)

  class Base < Minitest::Test
    def setup
      skip "no test server: set MOCORE_TEST_URL or MOCORE_TEST_SERVER_DIR" unless URL
      @client = MoCore::Client.new(MoCoreTest::URL)
      @tables = []
    end

    def teardown
      return unless @client
      @tables.each { |t| @client.execute("DROP TABLE IF EXISTS `#{t}`") } unless @client.closed?
      @client.close
    end

    def make_table(cols)
      t = "rb_#{SecureRandom.hex(6)}"
      @client.execute("CREATE TABLE `#{t}` (#{cols})")
      @tables << t
      t
    end

    def uri
      URI(URL)
    end
  end
end

class ConnectTest < MoCoreTest::Base
  def test_connect_by_url
    assert_equal 1, @client.scalar("SELECT 1")
    version = @client.server_version
    kind = if version.include?("MatrixOne") then :matrixone
           elsif version.include?("MariaDB") then :mariadb
           else :mysql
           end
    assert_equal kind, @client.server_kind # from the version string
    assert_operator @client.version[0], :>=, kind == :mariadb ? 10 : 1
    assert_equal Encoding::UTF_8, @client.server_version.encoding
    assert_kind_of Integer, @client.connection_id
    assert @client.ping
  end

  def test_connect_by_options
    opts = { host: uri.host, port: uri.port, user: URI.decode_www_form_component(uri.user),
             password: URI.decode_www_form_component(uri.password),
             database: uri.path.delete_prefix("/"), connect_timeout: 5 }
    c = MoCore::Client.new(opts)                      # a Hash
    assert_equal opts[:database], c.scalar("SELECT DATABASE()")
    c.close
    c = MoCore::Client.new(**opts, account: nil, role: nil)   # keywords; nil means unset
    assert_equal opts[:database], c.scalar("SELECT DATABASE()")
    c.close
    assert c.closed?
    assert_equal 5, MoCore.connect(MoCoreTest::URL) { |cc| cc.scalar("SELECT 5") }
  end

  def test_failed_connects_raise_their_category
    e = assert_raises(MoCore::AuthError) do
      MoCore::Client.new(host: uri.host, port: uri.port, user: "nobody", password: "wrong-secret")
    end
    assert_kind_of MoCore::OperationalError, e
    # MatrixOne: 20101 "there is no user nobody"
    assert_equal [:auth, MoCoreTest.matrixone? ? 20101 : 1045, "client.connect"], [e.category, e.code, e.operation]
    refute_includes e.message, "wrong-secret"

    e = assert_raises(MoCore::ConnectError) { MoCore::Client.new(host: "127.0.0.1", port: 1, connect_timeout: 2) }
    assert_equal :connect, e.category

    silent = TCPServer.new("127.0.0.1", 0)   # accepts, never sends the handshake
    begin
      e = assert_raises(MoCore::TimeoutError) do
        MoCore::Client.new(host: "127.0.0.1", port: silent.addr[1], connect_timeout: 1)
      end
      assert_equal :timeout, e.category
    ensure
      silent.close
    end

    e = assert_raises(MoCore::NotFoundError) { MoCore::Client.new(MoCoreTest::ROOT_URL.sub(%r{/[^/?]*\z}, "/no_such_db_rb")) }
    assert_equal 1049, e.code

    e = assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(host: "127.0.0.1", no_such_option: 1) }
    assert_kind_of MoCore::ProgrammingError, e
    assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new("bogus://x") }
    assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(42) }
  end
end

class ErrorTest < MoCoreTest::Base
  def test_category_classes_come_from_the_table
    core = MoCore::Core
    assert_equal core.mo_swig_category_count, MoCore::CATEGORY_CLASSES.length
    core.mo_swig_category_count.times do |i|
      cls = MoCore.error_class(core.mo_swig_category_lower(i))
      assert_equal(-core.mo_swig_category_number(i), cls.status)
      assert_operator cls, :<, MoCore.const_get(core.mo_swig_category_pep249(i)) unless
        cls.name.end_with?(core.mo_swig_category_pep249(i))
    end
    assert_operator MoCore::Error, :<, StandardError
    assert_operator MoCore::DatabaseError, :<, MoCore::Error
    assert_operator MoCore::InterfaceError, :<, MoCore::Error
    assert_operator MoCore::ConstraintError, :<, MoCore::IntegrityError
    assert_operator MoCore::RetryableError, :<, MoCore::OperationalError
    assert_operator MoCore::DataError, :<, MoCore::DatabaseError
    assert_equal MoCore::NotFoundError, MoCore.error_class(:not_found)
    assert_equal core::MO_E_CONSTRAINT, MoCore::ConstraintError.status
  end

  def test_six_categories_raise_their_class_with_the_server_errno
    t = make_table("id INT PRIMARY KEY, v TINYINT NOT NULL")
    @client.execute("INSERT INTO `#{t}` VALUES (?, ?)", [1, 1])
    @client.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")
    # the server's error numbers and SQLSTATEs: MariaDB's, then MatrixOne's (always HY000)
    cases = [
      ["SELEC 1", MoCore::SyntaxError, MoCore::ProgrammingError, 1064, "42000", 1064],
      ["SELECT * FROM no_such_table_rb", MoCore::NotFoundError, MoCore::ProgrammingError, 1146, "42S02", 1064],
      ["CREATE TABLE `#{t}` (id INT)", MoCore::AlreadyExistsError, MoCore::ProgrammingError, 1050, "42S01", 1050],
      ["INSERT INTO `#{t}` VALUES (1, 1)", MoCore::ConstraintError, MoCore::IntegrityError, 1062, "23000", 1062],
      ["INSERT INTO `#{t}` VALUES (2, NULL)", MoCore::ConstraintError, MoCore::IntegrityError, 1048, "23000", 3819],
      ["SELECT * FROM mysql.user", MoCore::AuthError, MoCore::OperationalError, 1142, "42000", nil],
      ["INSERT INTO `#{t}` VALUES (3, 1000)", MoCore::DataError, MoCore::DatabaseError, 1264, "22003", 1690]
    ]
    mo = MoCoreTest.matrixone?
    cases.each do |sql, cls, base, code, state, mo_code|
      next if mo && mo_code.nil? # MatrixOne's root may read mysql.user

      e = assert_raises(cls, sql) { @client.execute(sql) }
      assert_kind_of base, e
      assert_equal mo ? mo_code : code, e.code, sql
      assert_equal mo ? "HY000" : state, e.sqlstate, sql
      assert_equal "client.execute", e.operation
      assert_equal cls.category, e.category
      refute_empty e.message
    end
    e = assert_raises(MoCore::ConstraintError) { @client.execute("INSERT INTO `#{t}` VALUES (1, 1)") }
    assert_match(/Duplicate/, e.message)
    assert_includes e.inspect, "code=1062"
  end

  def test_retryable_is_raised_with_its_errno
    requires_mariadb("innodb_lock_wait_timeout is InnoDB's; test_matrixone.rb has a real MatrixOne deadlock")
    t = make_table("id INT PRIMARY KEY, v INT")
    @client.execute("INSERT INTO `#{t}` VALUES (1, 0)")
    @client.session do |s|
      s.execute("UPDATE `#{t}` SET v = 1 WHERE id = 1")
      other = MoCore::Client.new(MoCoreTest::URL)
      e = assert_raises(MoCore::RetryableError) do
        other.session do |s2|   # a session has its own connection
          s2.execute("SET SESSION innodb_lock_wait_timeout = 1")
          s2.execute("UPDATE `#{t}` SET v = 2 WHERE id = 1")
        end
      end
      assert_equal 1205, e.code
      other.close
    end
  end
end

class ParamsAndTypesTest < MoCoreTest::Base
  def test_crud_with_every_parameter_type
    t = make_table(
      "id INT AUTO_INCREMENT PRIMARY KEY, i BIGINT, u BIGINT UNSIGNED, b BOOL, f DOUBLE," \
      " s VARCHAR(100), sy VARCHAR(10), bl BLOB, d DECIMAL(20,6), da DATE, dtm DATETIME(6)," \
      " dtx DATETIME, tm TIME(6), j JSON, n INT"
    )
    text = "it's a \"test\" \\ é中 ?"
    blob = (0..255).to_a.pack("C*")
    time = Time.new(2024, 12, 31, 23, 59, 58.123456r)
    values = [-(2**63), 2**64 - 1, true, 0.1 + 0.2, text, :sym, blob, BigDecimal("-12345.678901"),
              Date.new(2024, 2, 29), time, DateTime.new(2020, 1, 2, 3, 4, 5), "-30:01:02.5",
              { "a" => [1, 2], "b" => "x" }, nil]
    r = @client.execute("INSERT INTO `#{t}` (i,u,b,f,s,sy,bl,d,da,dtm,dtx,tm,j,n) " \
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values)
    assert_equal 1, r.affected_rows
    assert_equal 1, r.last_insert_id
    row = @client.first("SELECT i,u,b,f,s,sy,bl,d,da,dtm,dtx,tm,j,n FROM `#{t}` WHERE id = ?", [1])
    assert_equal(-(2**63), row[0])
    assert_equal 2**64 - 1, row[1]
    assert_equal 1, row[2]
    assert_equal 0.1 + 0.2, row[3]
    assert_equal text, row[4]
    assert_equal Encoding::UTF_8, row[4].encoding
    assert_equal "sym", row[5]
    assert_equal blob, row[6]
    assert_equal Encoding::ASCII_8BIT, row[6].encoding
    assert_equal BigDecimal("-12345.678901"), row[7]
    assert_kind_of BigDecimal, row[7]
    assert_equal Date.new(2024, 2, 29), row[8]
    assert_instance_of Date, row[8]
    assert_equal time, row[9]
    assert_equal 123_456, row[9].usec
    assert_equal Time.new(2020, 1, 2, 3, 4, 5, "+00:00").utc.to_a[0, 6], row[10].utc.to_a[0, 6] if ENV["TZ"] == "UTC"
    assert_equal [2020, 1, 2], [row[10].year, row[10].month, row[10].day]
    assert_equal "-30:01:02.500000", row[11]
    assert_equal({ "a" => [1, 2], "b" => "x" }, JSON.parse(row[12]))
    assert_nil row[13]

    # update and delete with parameters
    r = @client.execute("UPDATE `#{t}` SET s = ?, n = ? WHERE id = ?", ["neu", 5, 1])
    assert_equal 1, r.affected_rows
    assert_equal ["neu", 5], @client.first("SELECT s, n FROM `#{t}`")
    assert_equal 0, @client.execute("DELETE FROM `#{t}` WHERE id = ?", [2]).affected_rows
    assert_equal 1, @client.execute("DELETE FROM `#{t}` WHERE s = ?", ["neu"]).affected_rows
    assert_equal 0, @client.scalar("SELECT COUNT(*) FROM `#{t}`")
  end

  def test_result_of_a_statement_without_rows
    # read from the execute call itself, no result handle kept: the same answers as a Result
    t = make_table("id INT AUTO_INCREMENT PRIMARY KEY, v TINYINT")
    r = @client.execute("INSERT INTO `#{t}` (v) VALUES (?), (?)", [1, 2])
    assert_instance_of MoCore::Result, r
    # a multi-row INSERT's id: the first row's (MariaDB), the last row's (MatrixOne, docs/matrixone.md)
    first_id = MoCoreTest.matrixone? ? 2 : 1
    assert_equal [2, first_id, 0], [r.affected_rows, r.last_insert_id, r.warning_count]
    assert r.closed?
    assert_equal [], r.columns
    assert_equal [], r.column_types
    assert_equal [], r.to_a
    assert_nil r.first
    assert_nil r.scalar
    assert_equal [], r.each.to_a
    assert_nil r.close
    assert_match(/affected_rows=2 done/, r.inspect)
    @client.session do |s|
      w = s.execute("INSERT INTO `#{t}` (v) VALUES (?)", [3])
      assert_equal [1, 3], [w.affected_rows, w.last_insert_id]
    end
    assert_equal [[1], [2], [3]], @client.execute("SELECT v FROM `#{t}` ORDER BY id").to_a
  end

  def test_vector_and_float_parameters_render_literals
    assert_equal "[1.5,-2,3]", @client.scalar("SELECT ?", [[1.5, -2.0, 3]])
    assert_equal "0.1", @client.scalar("SELECT CAST(? AS CHAR)", [0.1])
    assert_equal "o'k\\", @client.scalar("SELECT ?", ["o'k\\"])
    assert_equal "latin", @client.scalar("SELECT ?", ["latin".encode("ISO-8859-1")])
  end

  def test_dates_the_calendar_lacks_stay_strings
    requires_mariadb("impossible dates are MariaDB's (ALLOW_INVALID_DATES)")
    t = make_table("d DATE, w DATETIME")
    mode = @client.scalar("SELECT @@SESSION.sql_mode")
    @client.execute("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'")
    begin
      @client.execute("INSERT INTO `#{t}` VALUES ('2023-02-30', '2023-02-29 10:00:00'), " \
                      "('2024-02-29', '2024-02-29 23:59:59')")
    ensure
      @client.execute("SET SESSION sql_mode = ?", [mode])
    end
    rows = @client.execute("SELECT d, w FROM `#{t}` ORDER BY d").to_a
    assert_equal ["2023-02-30", "2023-02-29 10:00:00"], rows[0]   # Date.civil would raise
    assert_equal [Date.new(2024, 2, 29), Time.local(2024, 2, 29, 23, 59, 59)], rows[1]
  end

  def test_row_types
    requires_mariadb("zero dates ('0000-00-00') are MariaDB's")
    t = make_table("a TINYINT, b SMALLINT UNSIGNED, c MEDIUMINT, d YEAR, e BIT(10), f FLOAT," \
                   " g TIMESTAMP NULL, h VARBINARY(4), k TEXT, m ENUM('x','y'), n DECIMAL(5,2)," \
                   " o DATE, p TIME, q DATETIME")
    @client.execute("INSERT INTO `#{t}` VALUES (-5, 65535, 3, 2024, b'1000000001', 1.5," \
                    " '2020-01-02 03:04:05', x'0001', 'txt', 'y', 1.50, '0000-00-00', '12:34:56'," \
                    " '2021-06-07 08:09:10')")
    r = @client.execute("SELECT * FROM `#{t}`")
    assert_equal %w[a b c d e f g h k m n o p q], r.columns
    row = r.first
    assert_equal [-5, 65535, 3, 2024, 513, 1.5], row[0, 6]
    assert_equal Time.local(2020, 1, 2, 3, 4, 5), row[6]
    assert_equal "\x00\x01".b, row[7]
    assert_equal ["txt", "y", BigDecimal("1.5"), "0000-00-00", "12:34:56"], row[8, 5]
    assert_equal Time.local(2021, 6, 7, 8, 9, 10), row[13]
    assert_nil r.first, "one row only"

    utc = @client.first("SELECT q, n FROM `#{t}`", time_zone: :utc, decimal: :string)
    assert_equal Time.utc(2021, 6, 7, 8, 9, 10), utc[0]
    assert utc[0].utc?
    assert_equal "1.50", utc[1]
  end

  def test_local_times_follow_tz
    old = ENV["TZ"]
    ENV["TZ"] = "America/New_York"
    summer = @client.scalar("SELECT CAST('2021-07-01 12:00:00' AS DATETIME)")
    winter = @client.scalar("SELECT CAST('2021-01-01 12:00:00' AS DATETIME)")
    gap_day = @client.scalar("SELECT CAST('2021-03-14 12:00:00' AS DATETIME)")
    assert_equal(-4 * 3600, summer.utc_offset)
    assert_equal(-5 * 3600, winter.utc_offset)
    assert_equal(-4 * 3600, gap_day.utc_offset)
    assert_equal 12, gap_day.hour
  ensure
    ENV["TZ"] = old
  end

  def test_result_api
    r = @client.execute("SELECT seq, seq * 2 AS twice FROM #{MoCoreTest.seq(10)}")
    assert_equal %w[seq twice], r.columns
    assert_equal [1, 2], r.first
    assert_equal [[2, 4], [3, 6]], r.first(2)
    assert_equal({ "seq" => 4, "twice" => 8 }, r.first(as: :hash))
    assert_equal [{ seq: 5, twice: 10 }], r.first(1, as: :hash, symbolize_keys: true)
    seen = []
    r.each(as: :hash) { |h| seen << h["seq"] }
    assert_equal [6, 7, 8, 9, 10], seen
    assert r.closed?
    assert_nil r.first
    assert_equal [], r.to_a

    r = @client.execute("SELECT seq FROM #{MoCoreTest.seq(5)}")
    assert_kind_of Enumerator, r.each
    assert_equal [2, 4], r.select { |(x)| x.even? }.map(&:first)
    assert_equal [[1], [2], [3]], @client.execute("SELECT seq FROM #{MoCoreTest.seq(3)}").to_a
    assert_equal 15, @client.execute("SELECT seq FROM #{MoCoreTest.seq(5)}").sum { |(x)| x }
    assert_nil @client.scalar("SELECT 1 FROM #{MoCoreTest.seq(3)} WHERE seq > 5")
    h = @client.execute("SELECT 1 AS a", as: :hash).first
    assert_equal({ "a" => 1 }, h)

    # breaking out of each keeps the cursor; closing inside each stops it
    r = @client.execute("SELECT seq FROM #{MoCoreTest.seq(5)}")
    r.each { |(x)| break if x == 2 }
    assert_equal [3], r.first
    n = 0
    r.each { n += 1; r.close }
    assert_equal 1, n
    c = MoCore::Client.new(MoCoreTest::URL, as: :hash, symbolize_keys: true)
    assert_equal({ x: 1 }, c.first("SELECT 1 AS x"))
    c.close
  end

  def test_streaming_100k_rows_with_flat_memory
    GC.start
    r = @client.execute("SELECT seq, 'abcdefghijklmnopqrstuvwxyz', seq * 0.5, NOW() FROM #{MoCoreTest.seq(100000)}",
                        stream: true)
    n = 0
    total = 0
    rss_early = nil
    r.each do |row|
      n += 1
      total += row[0]
      rss_early = MoCoreTest.rss_kb if n == 10_000
    end
    rss_end = MoCoreTest.rss_kb
    assert_equal 100_000, n
    assert_equal 100_000 * 100_001 / 2, total
    growth = rss_end - rss_early
    puts "\n  streaming 100k rows: RSS #{rss_early} KiB after 10k rows, #{rss_end} KiB after 100k (+#{growth})"
    assert_operator growth, :<, 16 * 1024, "RSS grew #{growth} KiB while streaming"
  end
end

class SessionTest < MoCoreTest::Base
  def test_block_commits
    t = make_table("id INT PRIMARY KEY")
    v = @client.session do |s|
      s.execute("INSERT INTO `#{t}` VALUES (?)", [1])
      assert_equal :in_transaction, s.state
      :value
    end
    assert_equal :value, v
    assert_equal 1, @client.scalar("SELECT COUNT(*) FROM `#{t}`")
  end

  def test_block_rolls_back_and_reraises
    t = make_table("id INT PRIMARY KEY")
    sess = nil
    assert_raises(RuntimeError) do
      @client.session do |s|
        sess = s
        s.execute("INSERT INTO `#{t}` VALUES (1)")
        raise "boom"
      end
    end
    assert sess.closed?
    assert_equal 0, @client.scalar("SELECT COUNT(*) FROM `#{t}`")
    assert_raises(MoCore::ConstraintError) do
      @client.session do |s|
        s.execute("INSERT INTO `#{t}` VALUES (2)")
        s.execute("INSERT INTO `#{t}` VALUES (2)")
      end
    end
    assert_equal 0, @client.scalar("SELECT COUNT(*) FROM `#{t}`")
    # throw/break also leave through the rollback path
    catch(:out) { @client.session { |s| s.execute("INSERT INTO `#{t}` VALUES (3)"); throw :out } }
    assert_equal 0, @client.scalar("SELECT COUNT(*) FROM `#{t}`")
  end

  def test_explicit_commit_and_rollback
    t = make_table("id INT PRIMARY KEY")
    s = @client.session
    s.execute("INSERT INTO `#{t}` VALUES (1)")
    s.commit
    assert_equal :idle, s.state
    s.execute("INSERT INTO `#{t}` VALUES (3)")
    s.rollback
    s.close
    assert_equal [[1]], @client.execute("SELECT id FROM `#{t}`").to_a
  end

  def test_savepoints_are_unsupported_on_matrixone
    requires_matrixone("MatrixOne has no savepoints")
    s = @client.session
    e = assert_raises(MoCore::UnsupportedError) { s.savepoint("sp1") }
    assert_equal "session.savepoint", e.operation
    s.rollback
    s.close
  end

  def test_explicit_commit_rollback_savepoints
    requires_mariadb("MatrixOne has no savepoints")
    t = make_table("id INT PRIMARY KEY")
    s = @client.session
    s.execute("INSERT INTO `#{t}` VALUES (1)")
    s.savepoint("sp1")
    s.execute("INSERT INTO `#{t}` VALUES (2)")
    s.rollback_to_savepoint("sp1")
    s.commit
    assert_equal :idle, s.state
    s.execute("INSERT INTO `#{t}` VALUES (3)")
    s.rollback
    s.close
    s.close # twice is fine
    assert_equal [[1]], @client.execute("SELECT id FROM `#{t}`").to_a
    e = assert_raises(MoCore::MisuseError) { s.execute("SELECT 1") }
    assert_kind_of MoCore::InterfaceError, e
  end

  def test_transaction_retries_retryable_errors
    t = make_table("id INT PRIMARY KEY")
    calls = 0
    v = @client.transaction(retries: 5) do |s|
      calls += 1
      s.execute("INSERT INTO `#{t}` VALUES (?)", [calls])
      raise MoCore::RetryableError.new("simulated deadlock", code: 1213) if calls < 3
      :done
    end
    assert_equal :done, v
    assert_equal [[3]], @client.execute("SELECT id FROM `#{t}`").to_a
  end

  def test_10k_session_cycles_without_memory_growth
    1_000.times { @client.session { |s| s.in_transaction? } }
    GC.start
    before = MoCoreTest.rss_kb
    9_000.times { @client.session { |s| s.in_transaction? } }
    GC.start
    after = MoCoreTest.rss_kb
    puts "\n  10k session cycles: RSS #{before} KiB after 1k, #{after} KiB after 10k (+#{after - before})"
    assert_operator after - before, :<, 8 * 1024
  end
end

class GvlTest < MoCoreTest::Base
  def test_another_thread_runs_while_a_query_is_in_flight
    ticks = 0
    stop = false
    ticker = Thread.new { until stop; ticks += 1; Thread.pass; end }
    sleep 0.05
    before = ticks
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_equal 0, @client.scalar("SELECT SLEEP(0.5)")
    elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
    during = ticks - before
    stop = true
    ticker.join
    assert_operator elapsed, :>=, 0.45
    # With the GVL held through the call the ticker could not run at all; any real count
    # proves it was released (the bound is low so a loaded machine does not flake).
    assert_operator during, :>, 10, "the ticker thread should run while SLEEP(0.5) is in flight"
  end

  def test_two_sleeps_overlap
    clients = Array.new(2) { MoCore::Client.new(MoCoreTest::URL) }
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    clients.map { |c| Thread.new { c.execute("SELECT SLEEP(1)").to_a } }.each(&:join)
    elapsed = Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0
    clients.each(&:close)
    assert_operator elapsed, :<, 1.8, "serial would take 2 s"
  end
end

class MisuseTest < MoCoreTest::Base
  def test_nil_and_wrong_types_give_clear_errors
    assert_raises(MoCore::InvalidArgumentError) { @client.execute(nil) }
    assert_raises(MoCore::InvalidArgumentError) { @client.execute(42) }
    assert_raises(MoCore::InvalidArgumentError) { @client.execute("SELECT ?", "not an array") }
    assert_raises(TypeError) { @client.execute("SELECT ?", [Object.new]) }
    assert_raises(TypeError) { @client.execute("SELECT ?", [[1, "x"]]) }
    assert_raises(RangeError) { @client.execute("SELECT ?", [2**64]) }
    assert_raises(MoCore::InvalidArgumentError) { @client.execute("SELECT ?, ?", [1]) }
    assert_raises(MoCore::InvalidArgumentError) { @client.execute("SELECT ?", [Float::NAN]) }
    assert_raises(MoCore::InvalidArgumentError) { @client.execute("SELECT 1", log: :loud) }
    assert_raises(MoCore::InvalidArgumentError) { @client.execute("SELECT 1").each(as: :set) { nil } }
    assert_raises(ArgumentError) { @client.execute("SELECT 1").first("x") }
    s = @client.session
    assert_raises(MoCore::InvalidArgumentError) { s.savepoint(nil) }
    assert_raises(TypeError) { s.savepoint(42) }
    e = assert_raises(MoCore::InvalidArgumentError) { s.savepoint("a\0b") }   # never cut short
    assert_match(/argument 'name' contains a NUL byte at offset 1/, e.message)
    assert_equal "mo_session_savepoint", e.operation
    s.close
    assert_raises(MoCore::MisuseError) { s.commit }
    c = MoCore::Client.new(MoCoreTest::URL)
    c.close
    assert_raises(MoCore::MisuseError) { c.execute("SELECT 1") }
    assert_raises(MoCore::MisuseError) { c.session }
    assert_raises(MoCore::MisuseError) { c.journal }
  end

  # Every public method of Client, Session and Result, called with nil and with an object of
  # the wrong type for each argument, raises a Ruby exception; nothing crashes.
  def test_every_public_method_survives_nil_and_wrong_types
    objects = {
      MoCore::Client => -> { MoCore::Client.new(MoCoreTest::URL) },
      MoCore::Session => -> { @client.session },
      MoCore::Result => -> { @client.execute("SELECT 1") }
    }
    objects.each do |cls, make|
      cls.public_instance_methods(false).each do |m|
        arity = cls.instance_method(m).arity
        n = arity.negative? ? -arity - 1 : arity
        next if n.zero?
        [nil, Object.new, 1.5].each do |bad|
          o = make.call
          begin
            o.public_send(m, *Array.new(n, bad))
          rescue MoCore::Error, TypeError, ArgumentError, NoMethodError
            nil
          ensure
            o.close
          end
        end
      end
    end
    pass
  end

  CAPI = File.expand_path("../../../capi/mocore", __dir__)

  # [function, [kind per Ruby argument]] of every MO_API function, from the public headers:
  # :cstr (a plain C string), :data (a (pointer, length) pair, a list or a vector: one
  # argument), :pointer (a handle), :number. Output parameters have no Ruby argument (mocore.i's typemaps).
  def self.prototypes
    out_param = /\*\*\s*\w+\z|\A(?:const\s+)?(?:int|unsigned|size_t|int64_t|uint64_t|double|mo_type|mo_server_kind)\s*\*\s*\w+\z/
    Dir[File.join(CAPI, "*.h")].sort.flat_map do |path|
      text = File.read(path).gsub(%r{/\*.*?\*/}m, "")
      text.scan(/MO_API\s+[\w\s*]+?\b(mo_\w+)\s*\(([^;{]*?)\)\s*;/m).filter_map do |name, params|
        decls = params.split.join(" ").split(",").map(&:strip)
        next if decls.empty? || decls == ["void"]
        kinds = []
        i = 0
        while i < decls.length
          d = decls[i]
          nxt = decls[i + 1].to_s
          if d.start_with?("const char *const *")
            kinds << :data; i += d.include?("column_names") ? 3 : 2
          elsif d.start_with?("const void *") && nxt.start_with?("size_t") && decls[i + 2].to_s.include?("mo_vector_element")
            kinds << :data; i += 3
          elsif d.match?(/\Aconst (char|void) \*\w+\z/) && nxt.start_with?("size_t ")
            kinds << :data; i += 2
          elsif d.match?(out_param)
            i += 1
          else
            kinds << (d.match?(/\Aconst char \*\w+\z/) ? :cstr : d.include?("*") ? :pointer : :number); i += 1
          end
        end
        [name, kinds]
      end
    end
  end

  # Every `const char *` argument of every wrapped function refuses a String holding NUL with
  # InvalidArgumentError before the C function runs (data arguments keep NUL as data).
  def test_every_c_string_argument_refuses_nul
    checked = 0
    self.class.prototypes.each do |name, kinds|
      next unless MoCore::Core.respond_to?(name)
      kinds.each_with_index do |kind, k|
        next unless kind == :cstr
        args = kinds.each_with_index.map { |kk, j| j == k ? "a\0b" : kk == :number ? 0 : nil }
        e = assert_raises(MoCore::InvalidArgumentError, "#{name} argument #{k}") { MoCore::Core.public_send(name, *args) }
        assert_match(/contains a NUL byte at offset 1/, e.message, name)
        assert_equal name.to_s, e.operation
        checked += 1
      end
    end
    assert_operator checked, :>=, 50
    # data keeps NUL
    assert_equal "a\0b", @client.scalar("SELECT ?", ["a\0b"])
  end

  # The raw C API: every wrapped function with nil arguments raises, never crashes.
  def test_every_core_function_survives_nil_arguments
    skip_list = %i[mo_rb_set_error_factory mo_rb_set_callback_receiver]
    MoCore::Core.singleton_methods.grep(/\Amo_/).sort.each do |m|
      next if skip_list.include?(m)
      (0..9).each do |n|
        MoCore::Core.public_send(m, *Array.new(n, nil))
        break
      rescue ArgumentError => e
        next if e.message.match?(/wrong # of arguments|wrong number of arguments/)
        break
      rescue MoCore::Error, TypeError
        break
      end
    end
    e = assert_raises(MoCore::InvalidArgumentError) { MoCore::Core.mo_client_ping(nil) }
    assert_equal :invalid_argument, e.category
    assert_raises(TypeError) { MoCore::Core.mo_client_ping("client") }
    pass
  end
end

class DryRunTest < MoCoreTest::Base
  def test_dry_run_journal
    c = MoCore::Client.new(host: "127.0.0.1", port: 9, dry_run: true)
    c.execute("CREATE DATABASE x")
    c.execute("INSERT INTO t VALUES (?, ?)", ["o'k", nil])
    c.session { |s| s.execute("DELETE FROM t WHERE id = ?", [7]) }
    j = c.journal
    assert_includes j, "CREATE DATABASE x"
    assert_includes j.map { |x| x.gsub("\\'", "''") }, "INSERT INTO t VALUES ('o''k', NULL)"
    assert_includes j, "DELETE FROM t WHERE id = 7"
    c.clear_journal
    assert_equal [], c.journal
    c.close
  end
end

require_relative "test_snapshot_pitr_pubsub_account"
require_relative "test_vector_fulltext_metadata"
require_relative "test_load_stage_cdc"
require_relative "test_manager_argument_errors"
require_relative "test_logging"
require_relative "test_io_wait"
require_relative "test_mysql2"
require_relative "test_pool"

# A child of fork inherits the client: using it there raises MisuseError without touching the
# parent's connection, and closing it there sends nothing.
class ForkTest < MoCoreTest::Base
  def test_a_forked_child_cannot_use_the_parents_client
    own_id = @client.first("SELECT CONNECTION_ID()")[0]
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      told =
        begin
          @client.execute("SELECT 1")
          "no error"
        rescue MoCore::MisuseError => e
          e.message.include?("created in process #{Process.ppid}") ? "misuse" : e.message
        rescue Exception => e # rubocop:disable Lint/RescueException (reported to the parent)
          e.inspect
        end
      @client.close # before: COM_QUIT on the parent's connection
      writer.write(told)
      writer.close
      exit!(0)
    end
    writer.close
    told = reader.read
    reader.close
    _, status = Process.waitpid2(pid)
    assert_equal 0, status.exitstatus
    assert_equal "misuse", told
    assert_equal own_id, @client.first("SELECT CONNECTION_ID()")[0]
  end
end

require_relative "test_matrixone"
