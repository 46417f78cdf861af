# frozen_string_literal: true

# bindings/ruby/tests/mini_scheduler.rb — the smallest Fiber::Scheduler that runs the IOWait
# tests without any gem: io_wait (IO.select), kernel_sleep, block/unblock, fiber. Ruby's own
# test suite has a fuller one (test/fiber/scheduler.rb); the `async` gem's Async::Scheduler is
# tested too when installed (Debian ruby-async, scripts/deps.sh).
class MiniScheduler
  def initialize
    @io = {}      # fiber => [io, events]
    @timers = {}  # fiber => deadline (monotonic seconds)
    @blocked = {} # fiber => true (waiting for unblock)
    @ready = []   # fibers unblocked (possibly from other threads)
    @lock = Thread::Mutex.new
    @wake_r, @wake_w = IO.pipe
  end

  def now
    Process.clock_gettime(Process::CLOCK_MONOTONIC)
  end

  def io_wait(io, events, timeout)
    f = Fiber.current
    @io[f] = [io, events]
    @timers[f] = now + timeout if timeout
    Fiber.yield # the ready events, or false on timeout
  ensure
    @io.delete(f)
    @timers.delete(f)
  end

  def kernel_sleep(duration = nil)
    f = Fiber.current
    if duration
      @timers[f] = now + duration
    else
      @blocked[f] = true
    end
    Fiber.yield
  ensure
    @timers.delete(f)
    @blocked.delete(f)
  end

  def block(_blocker, timeout = nil)
    f = Fiber.current
    @blocked[f] = true
    @timers[f] = now + timeout if timeout
    Fiber.yield
  ensure
    @blocked.delete(f)
    @timers.delete(f)
  end

  def unblock(_blocker, fiber)
    @lock.synchronize { @ready << fiber }
    @wake_w.write_nonblock("x", exception: false)
  end

  def fiber(&block)
    f = Fiber.new(blocking: false, &block)
    f.resume
    f
  end

  def close
    run
  ensure
    @wake_r.close
    @wake_w.close
  end

  def run
    until @io.empty? && @timers.empty? && @blocked.empty? && @ready.empty?
      readers = @io.values.filter_map { |io, ev| io if ev & IO::READABLE != 0 }
      writers = @io.values.filter_map { |io, ev| io if ev & IO::WRITABLE != 0 }
      deadline = @timers.values.min
      timeout = deadline && [deadline - now, 0].max
      timeout = 0 unless @ready.empty?
      r, w = IO.select(readers + [@wake_r], writers, [], timeout)
      r ||= []
      w ||= []
      @wake_r.read_nonblock(1024, exception: false) if r.include?(@wake_r)
      @lock.synchronize { @ready.slice!(0..) }.each { |f| f.resume if f.alive? }
      @io.dup.each do |f, entry|
        io, ev = entry
        got = 0
        got |= IO::READABLE if ev & IO::READABLE != 0 && r.include?(io)
        got |= IO::WRITABLE if ev & IO::WRITABLE != 0 && w.include?(io)
        f.resume(got) if got != 0 && @io[f].equal?(entry)
      end
      t = now
      @timers.dup.each { |f, d| f.resume(false) if d <= t && @timers[f] == d && f.alive? }
    end
  end
end
