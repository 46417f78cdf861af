# frozen_string_literal: true

# bindings/ruby/tests/test_load_stage_cdc.rb — load_data, stage, cdc and export in Ruby with the
# SDK's surface. MatrixOne SQL through the dry-run journal (every vector of
# tests/conformance/load_stage_cdc_vectors.json, replayed from its JSON arguments); on the real
# MariaDB: LOAD DATA LOCAL from an allowed directory with a progress proc (rows read back, the
# proc called with the GVL on the calling thread, total = the file's size), LOCAL refused
# outside the allowed directories and without any, SELECT ... INTO OUTFILE read back from the
# server's secure_file_priv directory and loaded back, a load rolled back with its session,
# stage / cdc UnsupportedError with nothing sent. Loaded by test_mocore.rb (ctest ruby.tests).
require "minitest/autorun"
require "json"
require "pathname"
require "securerandom"
require "tmpdir"
require "mocore"
require_relative "test_mocore" unless defined?(MoCoreTest)

LOAD_VECTORS = File.expand_path("../../../tests/conformance/load_stage_cdc_vectors.json", __dir__)
LOAD_DRY_URL = "matrixone://u:p@127.0.0.1:1/db?dry_run=true" # port 1: were anything sent, it would fail

class LoadConformanceTest < Minitest::Test
  def setup
    @c = MoCore::Client.new(LOAD_DRY_URL)
  end

  def teardown
    @c.close
  end

  def journal
    j = @c.journal
    @c.clear_journal
    j
  end

  # The SDK's text up to mocore's quoting: identifier backticks dropped, \" written as ",
  # whitespace runs as one space.
  def sdk_form(sql)
    sql.delete("`").gsub('\\"', '"').split.join(" ")
  end

  # Every vector: the SDK's arguments, by name, to the method of the same name. The journal is
  # the SDK's statement sequence: byte for byte where the SDK's text is safe, and where the SDK
  # pastes names raw, the same text with mocore's quoting. Values (build_mysql_uri) are equal;
  # the SDK's errors are InvalidArgumentError.
  def test_every_vector
    vectors = JSON.parse(File.read(LOAD_VECTORS))
    assert_equal 35, vectors.length
    checked = Hash.new(0)
    vectors.each_with_index do |v, i|
      where = "vector #{i} #{v['manager']}.#{v['method']}"
      call = -> { @c.public_send(v["manager"]).public_send(v["method"], **v["args"].transform_keys(&:to_sym)) }
      if v["expected_error"]
        e = assert_raises(MoCore::InvalidArgumentError, where) { call.call }
        assert_includes e.message, "port must be", where
        assert_empty journal, where
        checked[:error] += 1
        next
      end
      value = call.call
      if v.key?("expected_value")
        assert_equal v["expected_value"], value, where
        assert_empty journal, where
        checked[:value] += 1
        next
      end
      want = v["expected_sql_sequence"] || [v["expected_sql"]]
      got = journal
      assert_equal want.length, got.length, "#{where}: #{got.inspect}"
      got.zip(want).each do |g, w|
        next if g == w
        refute_includes w, "`", "#{where}: SDK text already quoted: must match exactly"
        assert_equal sdk_form(w), sdk_form(g), where
      end
      checked[:sql] += 1
    end
    assert_equal({ sql: 32, value: 2, error: 1 }, checked)
  end

  def test_every_method_of_each_manager_is_covered_by_name
    assert_equal %i[from_file from_local_file from_stage from_inline read_csv read_csv_stage read_csv_inline
                    read_json read_json_stage read_json_inline read_parquet read_parquet_stage].sort,
                 MoCore::Managers::LoadDataManager.public_instance_methods(false).sort
    assert_equal %i[to_csv to_jsonl to_csv_stage to_jsonl_stage].sort,
                 MoCore::Managers::ExportManager.public_instance_methods(false).sort
  end
end

class LoadDryRunTest < Minitest::Test
  def setup
    @c = MoCore::Client.new(LOAD_DRY_URL)
  end

  def teardown
    @c.close
  end

  def journal
    j = @c.journal
    @c.clear_journal
    j
  end

  def test_load_options_and_shortcuts
    ld = @c.load_data
    assert_equal 0, ld.from_file("/d/a.csv", "db.t", fields_terminated_by: "\t", fields_enclosed_by: '"',
                                                     fields_optionally_enclosed: true, fields_escaped_by: "\\",
                                                     lines_terminated_by: "\r\n", lines_starting_by: "x",
                                                     ignore_lines: 2, character_set: "utf8mb4",
                                                     columns: ["a", "@b"], set_clause: { "b" => "UPPER(@b)" })
    sql = journal[0]
    assert_match(/\ALOAD DATA INFILE '\/d\/a.csv' INTO TABLE `db`.`t` CHARACTER SET utf8mb4 FIELDS TERMINATED BY /, sql)
    %w[OPTIONALLY ENCLOSED ESCAPED STARTING IGNORE\ 2\ LINES (`a`,\ @`b`) SET\ `b`=UPPER(@b)].each do |w|
      assert_includes sql, w
    end
    ld.read_json("/d/x.jsonl", "t", orient: "values")
    ld.read_parquet_stage("st", "p.parquet", "t")
    ld.read_json_inline('{"a":1}', "t")
    ld.read_csv("1,x\n", "t", inline: true)
    assert_equal ["LOAD DATA INFILE {'filepath'='/d/x.jsonl', 'format'='jsonline', 'jsondata'='array'} INTO TABLE `t`",
                  "LOAD DATA INFILE {'filepath'='stage://st/p.parquet', 'format'='parquet'} INTO TABLE `t`",
                  "LOAD DATA INLINE FORMAT='jsonline', DATA='{\"a\":1}', JSONTYPE='object' INTO TABLE `t`",
                  "LOAD DATA INLINE FORMAT='csv', DATA='1,x\\n' INTO TABLE `t` FIELDS TERMINATED BY ','"], journal
    # a model class (ActiveRecord-style .table_name) names the table
    model = Class.new { def self.table_name = "lib.docs" }
    ld.read_csv("/d/a.csv", model, names: %w[id body])
    assert_equal "LOAD DATA INFILE '/d/a.csv' INTO TABLE `lib`.`docs` FIELDS TERMINATED BY ',' (`id`, `body`)",
                 journal[0]
  end

  def test_the_same_sql_in_a_session
    @c.load_data.read_csv("/path/to/data.csv", "test_table")
    @c.stage.drop("my_stage")
    @c.export.to_csv("/tmp/o.csv", "SELECT 1")
    on_client = journal
    @c.session do |s|
      s.load_data.read_csv("/path/to/data.csv", "test_table")
      s.stage.drop("my_stage")
      s.export.to_csv("/tmp/o.csv", "SELECT 1")
    end
    assert_equal ["BEGIN", *on_client, "COMMIT"], journal
  end

  def test_stage_and_cdc_records
    s = @c.stage.create_local("loc", "/data/in", comment: "c")
    assert_instance_of MoCore::Stage, s
    assert_equal ["loc", "file:///data/in/", "enabled", "c"], [s.name, s.url, s.status, s.comment]
    assert_equal %i[name url status comment created_time], MoCore::Stage.members
    @c.stage.create_s3("s3", "bkt", path: "p", aws_key_id: "k", aws_secret_key: "s", aws_region: "r")
    assert_includes journal.last, "CREDENTIALS={"
    assert_same true, @c.stage.exists?("loc")
    journal
    t = @c.cdc.create_database_task("dbt", "mysql://a", "mysql", "mysql://b", "src", options: { "Frequency" => "1h" })
    assert_instance_of MoCore::CDCTaskInfo, t
    assert_equal({ "Frequency" => "1h", "Level" => "database" }, t.additional_config)
    assert_equal "src:src", t.table_mapping
    assert_equal "CREATE CDC `dbt` 'mysql://a' 'mysql' 'mysql://b' 'src:src' {'Frequency'='1h', 'Level'='database'}",
                 journal[0]
    %w[db.t a:b].zip([["db.t", "db.t"], ["a", "b"]]).each do |item, (src, dst)|
      @c.cdc.create_table_task("tt", "mysql://a", "mysql", "mysql://b", [item])
      assert_includes journal[0], "'#{src}:#{dst}'"
    end
    @c.cdc.create_table_task("tt", "mysql://a", "mysql", "mysql://b", { "db.t" => "db2.t2" })
    assert_includes journal[0], "'db.t:db2.t2'"
    @c.cdc.create_table_task("tt", "mysql://a", "mysql", "mysql://b", [%w[db t t3]])
    assert_includes journal[0], "'db.t:db.t3'"
    assert_equal [], @c.cdc.list_watermarks("t1")
    assert_equal [], @c.cdc.list_late_table_watermarks(task_name: "t1", default_threshold: 1.5,
                                                       thresholds: { "t" => 60, "u" => "2m" })
    assert_equal %i[task_id task_name database table watermark err_msg lag_ms], MoCore::CDCWatermarkInfo.members
    r = @c.cdc.show_all
    assert_instance_of MoCore::Result, r
    r.close
    assert_same true, @c.cdc.exists("t1")
  end

  def test_export_forms
    ex = @c.export
    assert_equal 0, ex.to_csv("/o/a.csv", "SELECT * FROM t WHERE a = ? AND b = ?;", params: ["x'y", nil],
                                                                                sep: "|", quotechar: '"',
                                                                                lineterminator: "\r\n")
    assert_equal "SELECT * FROM t WHERE a = 'x''y' AND b = NULL INTO OUTFILE '/o/a.csv' FIELDS TERMINATED BY '|' " \
                 "ENCLOSED BY '\"' LINES TERMINATED BY '\\r\\n'", journal[0]
    ex.to_jsonl_stage("st", "o.jsonl", "SELECT 1")
    ex.to_csv_stage("st", "o.csv", "SELECT 1", header: true)
    assert_equal ["SELECT 1 INTO OUTFILE 'stage://st/o.jsonl'",
                  "SELECT 1 INTO OUTFILE 'stage://st/o.csv' FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n' " \
                  "header 'true'"], journal
  end

  # Bad input: InvalidArgumentError naming the operation, before anything is sent.
  def test_bad_arguments_send_nothing
    ld = @c.load_data
    cases = {
      "load_data.from_file" => [
        -> { ld.from_file("/d", "t", ignore_lines: -1) },
        -> { ld.from_file("/d", "t", set_clause: { "a" => "1; DROP TABLE t" }) },
        -> { ld.from_file("/d", "t", set_clause: "a = 1") },
        -> { ld.from_file("/d", "t", columns: [1]) },
        -> { ld.from_file("/d", "t", fields_terminated_by: "") },
        -> { ld.from_file("/d", "t", parallel: "yes") },
        -> { ld.from_file("/d", "t", "|") },
        -> { ld.from_file("/d", "t", sep: "|") },
        -> { ld.from_file(nil, "t") },
        -> { ld.from_file("/d", nil) },
        -> { ld.from_file("/d\0x", "t") },
        -> { ld.from_file("/d", "t") { nil } }
      ],
      "load_data.from_local_file" => [
        -> { ld.from_local_file("/d", "t", progress: 42) },
        -> { ld.from_local_file("/d", "t", ->(*) {}) { nil } },
        -> { ld.from_local_file("/etc/hostname", "t") } # this client allows no directory
      ],
      "load_data.from_inline" => [-> { ld.from_inline(nil, "t") }, -> { ld.from_inline(42, "t") }],
      "stage.create" => [-> { @c.stage.create("s", "file:///d/", credentials: %w[not a hash]) },
                         -> { @c.stage.create("s", "file:///d/", credentials: { "k" => Object.new }) }],
      "stage.alter" => [-> { @c.stage.alter("s") }, -> { @c.stage.alter("s", enable: "no") }],
      "cdc.build_mysql_uri" => [-> { @c.cdc.build_mysql_uri("h", "6001", "u") },
                                -> { @c.cdc.build_mysql_uri("h", 0, "u") },
                                -> { @c.cdc.build_mysql_uri("h", 70_000, "u") }],
      "cdc.create_table_task" => [-> { @c.cdc.create_table_task("t", "s", "mysql", "k", []) },
                                  -> { @c.cdc.create_table_task("t", "s", "mysql", "k", nil) },
                                  -> { @c.cdc.create_table_task("t", "s", "mysql", "k", [[1, 2, 3, 4, 5]]) },
                                  -> { @c.cdc.create_table_task("t", "s", "mysql", "k", "db.t") }],
      "cdc.create" => [-> { @c.cdc.create("t", "s", "kafka", "k", "a:b") }],
      "cdc.list_late_table_watermarks" => [-> { @c.cdc.list_late_table_watermarks(default_threshold: "10m") },
                                           -> { @c.cdc.list_late_table_watermarks(default_threshold: Float::NAN) },
                                           -> { @c.cdc.list_late_table_watermarks(thresholds: { "t" => 1e300 }) },
                                           -> { @c.cdc.list_late_table_watermarks("t") }],
      "export.to_csv" => [-> { @c.export.to_csv("/x", "SELECT 1", sep: "") },
                          -> { @c.export.to_csv("/x", "SELECT 1", sep: ",", quotechar: ",") },
                          -> { @c.export.to_csv("/x", "SELECT 1", params: "notalist") },
                          -> { @c.export.to_csv("/x", nil) }]
    }
    cases.each do |op, calls|
      calls.each_with_index do |fn, i|
        e = assert_raises(MoCore::InvalidArgumentError, "#{op} case #{i}") { fn.call }
        assert_equal op, e.operation, "#{op} case #{i}: #{e.message}"
      end
    end
    assert_empty @c.journal
  end

  # Every method with nil, numbers and odd objects: an exception or a valid call, never a
  # crash, never an object's text in the SQL.
  def test_every_method_survives_nil_and_wrong_types
    targets = [@c.load_data, @c.stage, @c.cdc, @c.export]
    calls = targets.flat_map { |o| o.class.public_instance_methods(false).map { |m| o.method(m) } }
    assert_operator calls.length, :>=, 45
    [[], [nil], [nil, nil, nil], [42], [Object.new, [], {}], ["t", "c", {}], ["t", "c", [Object.new]],
     [:a, 1.5, true, nil, Object.new, [], {}]].each do |args|
      calls.each do |fn|
        r = fn.call(*args)
        r.close if r.is_a?(MoCore::Result)
      rescue MoCore::Error, TypeError, ArgumentError
        nil
      end
    end
    @c.journal.each { |sql| refute_match(/Object|#<|\{\}|\[\]/, sql) }
  end

  def test_local_infile_dirs_option
    Dir.mktmpdir("mocore-rb-dirs-") do |d|
      [d, [d], Pathname(d), [d, Pathname(d)]].each { |dirs| MoCore::Client.new(LOAD_DRY_URL, local_infile_dirs: dirs).close }
      e = assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(LOAD_DRY_URL, local_infile_dirs: 42) }
      assert_equal "client.connect", e.operation
      assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(LOAD_DRY_URL, local_infile_dirs: [d, nil]) }
      assert_raises(MoCore::InvalidArgumentError) do
        MoCore::Client.new(LOAD_DRY_URL, local_infile_dirs: File.join(d, "no-such-dir"))
      end
    end
  end
end

class LoadOnMariaDBTest < MoCoreTest::Base
  def setup
    super
    @dir = Dir.mktmpdir("mocore-rb-load-")
    @other = Dir.mktmpdir("mocore-rb-other-")
    @lc = MoCore::Client.new(MoCoreTest::URL, local_infile_dirs: [@dir])
    @t = make_table("id INT PRIMARY KEY, name VARCHAR(40)")
  end

  def teardown
    @lc&.close
    FileUtils.rm_rf([@dir, @other]) if @dir
    super
  end

  def csv(directory, n)
    path = File.join(directory, "rows.csv")
    File.open(path, "w") do |f|
      f.write("id,name\n")
      n.times { |i| f.write("#{i},name #{i}\n") }
    end
    path
  end

  def count
    @client.scalar("SELECT COUNT(*) FROM `#{@t}`")
  end

  def test_local_load_with_progress
    path = csv(@dir, 5000)
    size = File.size(path)
    calls = []
    threads = []
    n = @lc.load_data.from_local_file(path, @t, ignore_lines: 1, progress: lambda { |sent, total|
      calls << [sent, total]
      threads << Thread.current
    })
    assert_equal 5000, n
    refute_empty calls
    assert_equal [size, size], calls.last
    assert(calls.all? { |_s, t| t == size })
    assert_equal calls.map(&:first).sort, calls.map(&:first)
    assert(threads.all? { |t| t.equal?(Thread.current) }, "progress runs on the thread of the load")
    assert_equal 5000, count
    assert_equal "name 4999", @client.scalar("SELECT name FROM `#{@t}` WHERE id = 4999")
  end

  def test_local_load_with_a_progress_block_and_a_raising_progress
    path = csv(@dir, 2000)
    seen = 0
    assert_equal 2000, @lc.load_data.from_local_file(path, @t, ignore_lines: 1) { |_sent, _total| seen += 1 }
    assert_operator seen, :>, 0
    @client.execute("DELETE FROM `#{@t}`")
    # a progress proc that raises does not break the load: the error goes to $stderr
    _out, err = capture_io do
      assert_equal 2000, @lc.load_data.from_local_file(path, @t, ignore_lines: 1, progress: ->(*) { raise "boom" })
    end
    assert_includes err, "RuntimeError: boom"
    assert_equal 2000, count
  end

  # Not a StandardError (Interrupt, SystemExit...): the load finishes (the later reports are
  # dropped), then it is raised.
  def test_an_interrupt_in_progress_is_raised_after_the_load
    path = csv(@dir, 3000)
    stop = Class.new(Exception) # rubocop:disable Lint/InheritException
    calls = 0
    assert_raises(stop) do
      @lc.load_data.from_local_file(path, @t, ignore_lines: 1) do |_s, _t|
        calls += 1
        raise stop
      end
    end
    assert_equal 1, calls
    assert_equal 3000, count
  end

  # The reports come from a worker thread (libmariadb reads the file on a coroutine stack where
  # Ruby must not run): meanwhile other threads run, the proc may allocate and collect, and the
  # client's log lines of that statement reach the Ruby logger too. That other threads run is
  # shown, not timed (a count of a busy thread's turns depends on the machine's load and on how
  # fast the server loads): a row of the file is held by another session, and the load can only
  # finish when another Ruby thread rolls that session back once the load is under way.
  def test_progress_with_gc_logging_and_other_threads
    path = csv(@dir, 50_000)
    lines = []
    c = MoCore::Client.new(MoCoreTest::URL, local_infile_dirs: @dir, log_mode: :simple,
                                            logger: ->(_level, msg) { lines << msg })
    holder = @client.session
    holder.execute("INSERT INTO `#{@t}` VALUES (25000, 'held')")
    seen = 0
    released_after_report = nil
    releaser = Thread.new do
      deadline = Time.now + 30
      sleep 0.01 while seen.zero? && Time.now < deadline # the load is under way: it reported
      released_after_report = seen.positive?
      holder.rollback
    end
    n = c.load_data.from_local_file(path, @t, ignore_lines: 1) do |sent, total|
      seen += 1
      GC.start if seen == 1
      Array.new(1000) { |i| "#{i}-#{sent}/#{total}" }
    end
    releaser.join
    c.close
    assert_equal 50_000, n
    # the row was released by the other thread while the load ran: the load waited for it
    assert released_after_report, "the releasing thread ran before any progress report"
    # one report per network step that sent bytes: on loopback the whole file may go in one
    assert_operator seen, :>=, 1
    assert(lines.any? { |l| l.include?("LOAD DATA LOCAL INFILE") }, lines.inspect)
    assert_equal "name 25000", @client.scalar("SELECT name FROM `#{@t}` WHERE id = 25000")
  ensure
    releaser&.join
    holder&.close
  end

  def test_local_load_in_a_session_rolls_back
    path = csv(@dir, 300)
    assert_raises(RuntimeError) do
      @lc.session do |s|
        assert_equal 300, s.load_data.from_local_file(path, @t, ignore_lines: 1)
        assert_equal 300, s.scalar("SELECT COUNT(*) FROM `#{@t}`")
        raise "roll back"
      end
    end
    assert_equal 0, count
    @lc.session { |s| s.load_data.from_local_file(path, @t, ignore_lines: 1) }
    assert_equal 300, count
  end

  def test_local_refused_outside_allowed_dirs
    path = csv(@other, 3)
    e = assert_raises(MoCore::InvalidArgumentError) { @lc.load_data.from_local_file(path, @t) }
    assert_equal "load_data.from_local_file", e.operation
    # a symlink inside the allowed directory to a file outside it is refused too
    link = File.join(@dir, "link.csv")
    File.symlink(path, link)
    assert_raises(MoCore::InvalidArgumentError) { @lc.load_data.from_local_file(link, @t) }
    assert_equal 0, count
    # a client without local_infile_dirs refuses every file
    e = assert_raises(MoCore::InvalidArgumentError) { @client.load_data.from_local_file(csv(@dir, 3), @t) }
    assert_includes e.message, "not allowed"
    assert_equal 0, count
  end

  def questions(c)
    c.first("SHOW SESSION STATUS LIKE 'Questions'")[1].to_i
  end

  def test_stage_and_cdc_unsupported_with_nothing_sent
    requires_mariadb("stage and cdc are MatrixOne's; test_matrixone.rb has them for real")
    before = questions(@lc)
    calls = [-> { @lc.stage.create_local("st", @dir) }, -> { @lc.stage.list }, -> { @lc.stage.drop("st") },
             -> { @lc.cdc.list }, -> { @lc.cdc.drop("t") }, -> { @lc.cdc.show_all },
             -> { @lc.load_data.read_csv_stage("st", "f.csv", @t) }, -> { @lc.load_data.read_csv_inline("1,a", @t) },
             -> { @lc.export.to_csv_stage("st", "o.csv", "SELECT 1") }]
    calls.each { |fn| assert_raises(MoCore::UnsupportedError) { fn.call } }
    assert_equal before + 1, questions(@lc) # only the second SHOW STATUS
    # build_mysql_uri is pure: any server
    assert_equal "mysql://root:111@127.0.0.1:6001", @lc.cdc.build_mysql_uri("127.0.0.1", 6001, "root", "111")
  end

  # The server's file directory (secure_file_priv), when it is on this machine.
  def server_files
    dir = @client.scalar("SELECT @@secure_file_priv")
    skip "the server's secure_file_priv directory is not on this machine" unless dir && File.directory?(dir)
    dir.chomp("/")
  end

  def test_export_read_back_and_loaded_back
    files = server_files
    src = make_table("id INT, name VARCHAR(50)")
    @client.execute("INSERT INTO `#{src}` VALUES (1, 'plain'), (2, 'a|b'), (3, 'say \"hi\"'), (4, 'ü✓'), (5, NULL)")
    out = File.join(files, "rb-export-#{SecureRandom.hex(4)}.csv")
    begin
      n = @client.export.to_csv(out, "SELECT id, name FROM `#{src}` WHERE id <= ? ORDER BY id;", params: [4],
                                                                                                 sep: "|", quotechar: '"', lineterminator: "\r\n")
      assert_equal 4, n
      assert_equal "\"1\"|\"plain\"\r\n\"2\"|\"a|b\"\r\n\"3\"|\"say \\\"hi\\\"\"\r\n\"4\"|\"ü✓\"\r\n",
                   File.binread(out).force_encoding(Encoding::UTF_8)
      back = make_table("id INT, name VARCHAR(50)")
      assert_equal 4, @client.load_data.from_file(out, back, fields_terminated_by: "|", fields_enclosed_by: '"',
                                                             lines_terminated_by: "\r\n", character_set: "utf8mb4")
      assert_equal 4, @client.scalar("SELECT COUNT(*) FROM `#{back}` b JOIN `#{src}` s ON b.id = s.id AND b.name = s.name")
      # a header line is MatrixOne's: UnsupportedError here
      assert_raises(MoCore::UnsupportedError) { @client.export.to_csv("#{out}.h", "SELECT 1", header: true) }
    ensure
      File.delete(out) if File.exist?(out)
    end
  end

  def test_export_jsonl_and_the_gvl_is_released
    files = server_files
    out = File.join(files, "rb-export-#{SecureRandom.hex(4)}.jsonl")
    ticks = 0
    stop = false
    ticker = Thread.new { until stop; ticks += 1; Thread.pass; end }
    sleep 0.05
    before = ticks
    begin
      assert_equal 1, @client.export.to_jsonl(out, "SELECT SLEEP(0.4), ?", params: ["x"])
      during = ticks - before
      stop = true
      ticker.join
      assert_operator during, :>, 10, "the ticker thread should run while the export is in flight"
      assert_equal "0\tx\n", File.read(out)
    ensure
      stop = true
      ticker.join
      File.delete(out) if File.exist?(out)
    end
  end
end
