# frozen_string_literal: true

# bindings/ruby/tests/test_pool.rb — MoCore::Pool against the real server: reuse and reset,
# the block form, timeouts, threads, a dead endpoint. Loaded by test_mocore.rb.
require "minitest/autorun"
require "mocore"
require_relative "test_mocore" unless defined?(MoCoreTest)
require_relative "mini_scheduler"

class PoolTest < Minitest::Test
  def pool(**opts)
    MoCore::Pool.new(MoCoreTest::URL, log_mode: :off, **opts)
  end

  def test_clients_are_reused_and_reset
    p = pool(pool_size: 1, max_overflow: 0)
    first = p.connection do |c|
      assert c.pooled?
      c.execute("SET @pool_rb = 4")
      c.connection_id
    end
    p.connection do |c|
      assert_equal first, c.connection_id
      # COM_RESET_CONNECTION clears user variables; MatrixOne refuses it and the pool falls
      # back to ROLLBACK, so they survive there (docs/pool.md)
      if MoCoreTest.matrixone?
        assert_equal "4", c.scalar("SELECT @pool_rb")
      else
        assert_nil c.scalar("SELECT @pool_rb")
      end
    end
    st = p.stats
    assert_equal 2, st[:acquires]
    assert_equal 2, st[:releases]
    assert_equal 0, st[:in_use]
    assert_equal 1, st[:connects]
    assert_operator st[:wait_p99], :<=, st[:wait_max]
  ensure
    p&.close
  end

  def test_the_block_gives_the_client_back_when_it_raises
    p = pool(pool_size: 1, max_overflow: 0)
    assert_raises(MoCore::SyntaxError) { p.connection { |c| c.execute("SELECT nonsense FROM") } }
    assert_equal 0, p.stats[:in_use]
    assert_equal 1, p.connection { |c| c.scalar("SELECT 1") }
  ensure
    p&.close
  end

  def test_an_exhausted_pool_raises_timeout
    p = pool(pool_size: 1, max_overflow: 0, pool_timeout: 0.2)
    held = p.acquire
    t0 = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_raises(MoCore::TimeoutError) { p.acquire }
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - t0, :>=, 0.18
    assert_equal 1, p.stats[:timeouts]
    held.close
    p.acquire.close
  ensure
    p&.close
  end

  def test_threads_share_a_small_pool
    p = pool(pool_size: 2, max_overflow: 1, pool_timeout: 30)
    threads = Array.new(8) do
      Thread.new { Array.new(25) { |i| p.connection { |c| c.scalar("SELECT ? + 1", [i]) } } }
    end
    threads.each { |t| assert_equal (1..25).to_a, t.value }
    st = p.stats
    assert_equal 200, st[:acquires]
    assert_equal 200, st[:releases]
    assert_operator st[:open], :<=, 3
  ensure
    p&.close
  end

  def test_a_dead_endpoint_is_skipped
    p = pool(pool_size: 2, endpoints: ["127.0.0.1:1"], retry_interval: 60)
    a = p.acquire
    b = p.acquire
    assert_equal 5, a.scalar("SELECT 5")
    assert_equal 5, b.scalar("SELECT 5")
    eps = p.endpoints
    assert_equal 2, eps.size
    assert eps[0][:up]
    assert_equal 2, eps[0][:connections]
    refute eps[1][:up]
    assert_equal 1, p.stats[:connect_failures]
    a.close
    b.close
  ensure
    p&.close
  end

  # Under a Fiber scheduler a waiting acquire waits on the pool's descriptor (IOWait): a
  # second fiber waits for the first's connection without blocking the thread.
  def test_fibers_share_a_pool_of_one_under_a_scheduler
    p = pool(pool_size: 1, max_overflow: 0, pool_timeout: 10)
    events = []
    Thread.new do
      Fiber.set_scheduler(MiniScheduler.new)
      2.times do |i|
        Fiber.schedule do
          p.connection do |c|
            events << [:got, i]
            c.scalar("SELECT SLEEP(0.2)")
            events << [:done, i]
          end
        end
      end
      Fiber.set_scheduler(nil)
    end.join
    assert_equal [[:got, 0], [:done, 0], [:got, 1], [:done, 1]], events
    st = p.stats
    assert_equal 1, st[:waits]
    assert_equal 2, st[:releases]
    assert_equal 1, st[:connects]
  ensure
    p&.close
  end

  def test_bad_settings
    assert_raises(MoCore::InvalidArgumentError) { pool(pool_reset: :never) }
    assert_raises(MoCore::InvalidArgumentError) { pool(pool_size: 0) }
  end
end
