# frozen_string_literal: true

# bindings/ruby/tests/test_logging.rb — the log sink: MoCore.logger (a Logger, a callable, a
# block via MoCore.on_log), a client's own logger:, logger: false, secrets redacted, lines
# from calls that run without the GVL, a logger that raises. Loaded by test_mocore.rb.
require "minitest/autorun"
require "logger"
require "stringio"
require "mocore"
require_relative "test_mocore" unless defined?(MoCoreTest)

class LoggingTest < Minitest::Test
  DRY = "matrixone://u:p@127.0.0.1:1/db?dry_run=true"

  def teardown
    MoCore.logger = nil
  end

  def test_global_logger_gets_the_sql_log_with_secrets_redacted
    out = StringIO.new
    MoCore.logger = Logger.new(out)
    c = MoCore::Client.new(DRY, log_mode: :full)
    c.execute("CREATE USER u IDENTIFIED BY 'hunter2'")
    c.account.create_user("u2", "s3cr3t-pw")
    c.execute("SELECT ?", ["x"], log: :off)
    c.close
    text = out.string
    assert_includes text, "INFO -- mocore: "
    assert_includes text, "CREATE USER u IDENTIFIED BY '***'"
    assert_includes text, "IDENTIFIED BY '***'"
    refute_includes text, "hunter2"
    refute_includes text, "s3cr3t-pw"
    refute_includes text, "SELECT 'x'"
  end

  def test_block_and_callable_and_per_client_logger
    lines = []
    MoCore.on_log { |level, message| lines << [level, message] }
    c = MoCore::Client.new(DRY, log_mode: :simple)
    c.execute("SELECT 1")
    assert(lines.any? { |l, m| l == :info && m.include?("SELECT") }, lines.inspect)
    # MoCore.logger is read per line: a later change applies to clients made before it
    mine = []
    MoCore.logger = ->(level, message) { mine << [level, message] }
    c.execute("SELECT 2")
    assert_equal 1, mine.length
    # a client's own logger wins over MoCore.logger
    own = []
    c2 = MoCore::Client.new(DRY, log_mode: :simple, logger: ->(l, m) { own << [l, m] })
    c2.execute("DELETE FROM t")
    assert(own.any? { |_l, m| m.include?("DELETE") }, own.inspect)
    assert_equal 1, mine.length
    [c, c2].each(&:close)
    assert_raises(MoCore::InvalidArgumentError) { MoCore.logger = 42 }
    assert_raises(MoCore::InvalidArgumentError) { MoCore::Client.new(DRY, logger: "stdout") }
    assert_raises(MoCore::InvalidArgumentError) { MoCore.on_log }
  end

  def test_default_and_false_write_to_stderr
    out, err = capture_subprocess_io do
      c = MoCore::Client.new(DRY, log_mode: :simple)
      c.execute("SELECT 11")
      c.close
      c = MoCore::Client.new(DRY, log_mode: :simple, logger: false) # the C library's own sink
      c.execute("SELECT 12")
      c.close
    end
    assert_equal "", out
    assert_match(/SELECT.*\n.*SELECT/m, err)
  end

  def test_a_raising_logger_does_not_break_the_statement
    MoCore.logger = ->(_l, _m) { raise "logger down" }
    c = MoCore::Client.new(DRY, log_mode: :simple)
    _out, err = capture_subprocess_io { c.execute("SELECT 3") }
    assert_includes err, "the Ruby logger raised"
    assert_equal ["SELECT 3"], c.journal.last(1)
    c.close
  end

  # On a real server the statements run without the GVL: the sink takes it back, from many
  # threads at once; the connect line does not show the password.
  def test_lines_from_calls_without_the_gvl
    skip "no test server" unless MoCoreTest::URL
    lines = Queue.new
    MoCore.logger = ->(level, message) { lines << [level, message, Thread.current] }
    threads = Array.new(4) do |i|
      Thread.new do
        c = MoCore::Client.new(MoCoreTest::URL, log_mode: :full)
        5.times { |k| c.execute("SELECT #{i * 100 + k}") }
        c.execute("SELECT SLEEP(0)")
        c.close
      end
    end
    threads.each(&:join)
    all = Array.new(lines.size) { lines.pop }
    assert_operator all.length, :>=, 4 * 6
    (0..3).each { |i| assert(all.any? { |_l, m, _t| m.include?("SELECT #{i * 100 + 4}") }, i.to_s) }
    pw = URI.decode_www_form_component(URI(MoCoreTest::URL).password)
    all.each { |_l, m, _t| refute_includes m, pw }
    assert_operator all.map(&:last).uniq.length, :>=, 2
  end
end
