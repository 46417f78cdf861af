# frozen_string_literal: true

require "io/wait" # IO#wait_writable, IO#wait(events, timeout) (Ruby 3.1)

module MoCore
  # Fiber-scheduler-friendly waiting, on the C library's non-blocking API
  # (capi/mocore/async.h, docs/async.md).
  #
  # Under a Fiber scheduler (Fiber.set_scheduler; the `async` gem's Async { ... }), every call
  # that waits on the network — connect, execute, session open/commit/rollback/close, ping,
  # close, streaming row fetches — starts a C operation and, while it says MO_AGAIN, waits on
  # its socket with IO#wait_readable / IO#wait_writable (IO.for_fd(fd, autoclose: false)). The
  # scheduler runs other fibers meanwhile: two fibers with two clients run two slow queries at
  # the same time, in one thread. Outside a scheduler the same calls release the GVL and block
  # as before.
  #
  #   MoCore.io_wait = :auto   # (default) the op path inside non-blocking fibers of a scheduler
  #   MoCore.io_wait = true    # always (without a scheduler IO#wait_* blocks this thread, GVL released)
  #   MoCore.io_wait = false   # never: the blocking C calls (GVL released)
  #
  # Manager calls and Session#begin have no non-blocking form in C: they block (GVL released).
  # An exception in a waiting fiber (Timeout, Fiber#raise, the task stopped) cancels the
  # operation: its client or session is then unusable (poisoned, docs/async.md) — close it.
  module IOWait
    AGAIN = Core::MO_AGAIN
    READ = Core::MO_WAIT_READ
    WRITE = Core::MO_WAIT_WRITE
    EXCEPT = Core::MO_WAIT_EXCEPT
    TIMEOUT = Core::MO_WAIT_TIMEOUT

    class << self
      # Drive the op of a `_start` call ([status, op]) to its end; yields the finished op (to
      # take its output) and returns the block's value, or the final status without a block.
      # The op is released in any case (a pending one is cancelled).
      def await(pair)
        st, op = pair
        begin
          st = run(op, st)
          block_given? ? yield(op) : st
        ensure
          Core.mo_rb_release(op) if op
        end
      end

      # Continue `op` until it is done; returns its final status (errors raise).
      def run(op, st)
        io = nil
        while st == AGAIN
          events = Core.mo_op_events(op)
          fd = Core.mo_op_socket(op)
          timeout = events & TIMEOUT != 0 ? Core.mo_op_timeout_ms(op) / 1000.0 : nil
          io = IO.for_fd(fd, autoclose: false) if fd >= 0 && (io.nil? || io.fileno != fd)
          st = Core.mo_op_continue(op, wait(fd >= 0 ? io : nil, events, timeout))
        end
        st
      end

      private

      # Wait as the op asks; returns the MO_WAIT_* bits that happened.
      def wait(io, events, timeout)
        want = events & (READ | WRITE | EXCEPT)
        if io.nil? || want.zero?
          sleep(timeout) if timeout # a pure timer (nothing to watch)
          return TIMEOUT
        end
        case want
        when READ then io.wait_readable(timeout) ? READ : TIMEOUT
        when WRITE then io.wait_writable(timeout) ? WRITE : TIMEOUT
        else
          mask = 0
          mask |= IO::READABLE if want & READ != 0
          mask |= IO::WRITABLE if want & WRITE != 0
          mask |= IO::PRIORITY if want & EXCEPT != 0
          ready = io.wait(mask, timeout)
          return TIMEOUT unless ready
          # IO#wait answers the ready mask (or the IO itself on some paths: then all asked)
          ready = mask unless ready.is_a?(Integer)
          out = 0
          out |= READ if ready & IO::READABLE != 0
          out |= WRITE if ready & IO::WRITABLE != 0
          out |= EXCEPT if ready & IO::PRIORITY != 0
          out.zero? ? TIMEOUT : out
        end
      end
    end
  end

  class << self
    # :auto (default), true or false: see MoCore::IOWait.
    def io_wait
      @io_wait.nil? ? :auto : @io_wait
    end

    def io_wait=(mode)
      unless [:auto, true, false].include?(mode)
        raise MoCore.error(:invalid_argument, "io_wait must be :auto, true or false, not #{mode.inspect}",
                           "MoCore.io_wait=")
      end
      @io_wait = mode
    end

    # Whether the calls made now take the non-blocking path.
    def io_wait?
      case @io_wait
      when true then true
      when false then false
      else !Fiber.scheduler.nil? && !Fiber.current.blocking?
      end
    end
  end
end
