# frozen_string_literal: true

# bindings/ruby/tests/test_io_wait.rb — calls that wait with IO#wait_readable/wait_writable on
# the C library's non-blocking ops (lib/mocore/io_wait.rb): two fibers under a Fiber scheduler
# run two slow queries at the same time in one thread (a minimal scheduler, and the `async`
# gem's when installed); the whole surface through the op path without a scheduler
# (MoCore.io_wait = true); timeouts; a fiber stopped mid-query. Loaded by test_mocore.rb.
#
# Timing: two SELECT SLEEP(1) on two connections take 2 s one after the other; interleaved
# they take 1 s plus overhead. The bound is 1.8 s: generous on a loaded 2-core machine, and
# still impossible without the interleaving.
require "minitest/autorun"
require "mocore"
require_relative "test_mocore" unless defined?(MoCoreTest)
require_relative "mini_scheduler"

class IOWaitTest < MoCoreTest::Base
  BOUND = 1.8

  def teardown
    MoCore.io_wait = :auto
    super
  end

  def now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  # Two fibers, two clients, SELECT SLEEP(1) each, in one thread under `scheduler`; returns
  # [elapsed, events, thread counts seen].
  def two_slow_queries(scheduler)
    events = []
    threads = []
    t0 = now
    Thread.new do
      Fiber.set_scheduler(scheduler)
      2.times do |i|
        Fiber.schedule do
          c = MoCore::Client.new(MoCoreTest::URL)
          events << [:start, i, MoCore.io_wait?]
          threads << Thread.list.length
          v = c.scalar("SELECT SLEEP(1) + ?", [i])
          events << [:end, i, v]
          c.close
        end
      end
      Fiber.set_scheduler(nil) # runs the scheduler until both fibers are done
    end.join
    [now - t0, events, threads]
  end

  def check_interleaved(elapsed, events)
    assert_equal [[:start, 0, true], [:start, 1, true]], events.first(2).sort, "both queries start before either ends"
    assert_equal [[:end, 0, 0], [:end, 1, 1]], events.last(2).sort
    assert_operator elapsed, :>=, 0.95
    assert_operator elapsed, :<, BOUND, "two 1 s queries in #{elapsed.round(3)} s: not interleaved"
  end

  def test_two_fibers_interleave_two_slow_queries_under_a_minimal_scheduler
    elapsed, events, threads = two_slow_queries(MiniScheduler.new)
    check_interleaved(elapsed, events)
    assert_equal 1, threads.uniq.length, "no thread was started for the waits"
    puts "\n  minimal scheduler: two SELECT SLEEP(1) in two fibers: #{elapsed.round(3)} s"
  end

  def test_two_fibers_interleave_under_the_async_gem
    begin
      require "async"
    rescue LoadError
      skip "the async gem is not installed (Debian ruby-async, scripts/deps.sh)"
    end
    events = []
    t0 = now
    Async do |task|
      2.times.map do |i|
        task.async do
          c = MoCore::Client.new(MoCoreTest::URL)
          events << [:start, i, MoCore.io_wait?]
          events << [:end, i, c.scalar("SELECT SLEEP(1) + ?", [i])]
          c.close
        end
      end.each(&:wait)
    end
    elapsed = now - t0
    check_interleaved(elapsed, events)
    puts "\n  async gem #{Async::VERSION}: two SELECT SLEEP(1) in two tasks: #{elapsed.round(3)} s"
  end

  # Everything a client does, through the ops, without a scheduler (IO#wait_* blocks).
  def test_the_whole_surface_through_the_op_path
    MoCore.io_wait = true
    assert MoCore.io_wait?
    t = make_table("id INT PRIMARY KEY, s VARCHAR(20)")
    c = MoCore::Client.new(MoCoreTest::URL)
    assert c.ping
    assert_equal 1, c.execute("INSERT INTO `#{t}` VALUES (?, ?)", [1, "a'b"]).affected_rows
    assert_equal [[1, "a'b"]], c.execute("SELECT id, s FROM `#{t}`").to_a
    c.session { |s| s.execute("INSERT INTO `#{t}` VALUES (2, 'c')") }
    assert_raises(RuntimeError) do
      c.session do |s|
        s.execute("INSERT INTO `#{t}` VALUES (3, 'd')")
        raise "roll back"
      end
    end
    assert_equal [1, 2], c.execute("SELECT id FROM `#{t}` ORDER BY id").map(&:first)
    rows = c.execute("SELECT seq FROM #{MoCoreTest.seq(500)}", stream: true)
    assert_equal (1..500).to_a, rows.map(&:first)
    partial = c.execute("SELECT seq FROM #{MoCoreTest.seq(500)}", stream: true)
    assert_equal [[1], [2]], partial.first(2)
    partial.close # drained through ops
    assert_equal 7, c.scalar("SELECT 7")
    e = assert_raises(MoCore::SyntaxError) { c.execute("SELEC 1") }
    assert_equal "client.execute", e.operation
    assert_raises(MoCore::ConstraintError) { c.execute("INSERT INTO `#{t}` VALUES (1, 'x')") }
    s = c.session
    s.execute("INSERT INTO `#{t}` VALUES (9, 'z')")
    s.rollback
    s.close
    assert_equal 0, c.scalar("SELECT COUNT(*) FROM `#{t}` WHERE id = 9")
    # hooks and the log sink run inside ops too
    lines = []
    hooked = MoCore::Client.new(MoCoreTest::URL, log_mode: :simple, logger: ->(_l, m) { lines << m },
                                                 on_connect: ->(conn) { conn.execute("SET @h = 'five'") })
    assert_equal "five", hooked.scalar("SELECT @h")
    assert(lines.any? { |m| m.include?("Connected") }, lines.inspect)
    hooked.close
    d = MoCore::Client.new("mysql://u:p@127.0.0.1:1/db?dry_run=true")
    d.session { |ds| ds.execute("DELETE FROM x WHERE id = ?", [1]) }
    assert_equal ["BEGIN", "DELETE FROM x WHERE id = 1", "COMMIT"], d.journal
    d.close
    c.close
    assert_raises(MoCore::MisuseError) { c.execute("SELECT 1") }
    e = assert_raises(MoCore::ConnectError) { MoCore::Client.new(host: "127.0.0.1", port: 1, connect_timeout: 5) }
    assert_equal "client.connect", e.operation
    assert_raises(MoCore::InvalidArgumentError) { MoCore.io_wait = :sometimes }
  end

  def test_a_read_timeout_under_a_scheduler
    err = nil
    elapsed = nil
    Thread.new do
      Fiber.set_scheduler(MiniScheduler.new)
      Fiber.schedule do
        c = MoCore::Client.new(MoCoreTest::URL, read_timeout: 1)
        t0 = now
        begin
          c.execute("SELECT SLEEP(4)")
        rescue MoCore::Error => e
          err = e
        end
        elapsed = now - t0
        c.close
      end
      Fiber.set_scheduler(nil)
    end.join
    assert_instance_of MoCore::TimeoutError, err
    assert_operator elapsed, :<, 3.5
  end

  # A fiber stopped while its query runs: the op is cancelled, that client is poisoned (as
  # documented in docs/async.md), the other fiber and new clients are unaffected.
  def test_a_fiber_stopped_mid_query
    stopped = nil
    other = nil
    after = nil
    Thread.new do
      Fiber.set_scheduler(MiniScheduler.new)
      c = nil
      victim = Fiber.schedule do
        c = MoCore::Client.new(MoCoreTest::URL)
        c.execute("SELECT SLEEP(5)")
      rescue RuntimeError => e
        stopped = e
      end
      Fiber.schedule do
        d = MoCore::Client.new(MoCoreTest::URL)
        sleep 0.3
        victim.raise(RuntimeError, "stop")
        other = d.scalar("SELECT 3")
        d.close
      end
      Fiber.set_scheduler(nil)
      after = begin
        c.scalar("SELECT 1")
      rescue MoCore::Error => e
        e
      end
      c.close
    end.join
    assert_equal "stop", stopped&.message
    assert_equal 3, other
    assert_kind_of MoCore::MisuseError, after
    MoCore::Client.open(MoCoreTest::URL) { |n| assert_equal 1, n.scalar("SELECT 1") }
  end
end
