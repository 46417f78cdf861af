# frozen_string_literal: true

module MoCore
  # A thread-safe pool of connections (the C library's mo_pool).
  #
  #   pool = MoCore::Pool.new("mysql://root:111@127.0.0.1:6001/test", pool_size: 8,
  #                           max_overflow: 8, pool_timeout: 10, pool_recycle: 3600,
  #                           pre_ping: true, endpoints: ["cn2:6001"])
  #   pool.connection { |client| client.scalar("SELECT 1") }   # given back after the block
  #   c = pool.acquire; ...; c.close                            # the same by hand
  #   pool.stats    # {in_use:, idle:, waits:, timeouts:, ..., wait_p99: (seconds)}
  #
  # pool_timeout, pool_recycle and retry_interval are seconds (pool_recycle -1 or nil: never);
  # pool_reset: :always (COM_RESET_CONNECTION on every give-back, default), :transaction (only
  # when a transaction is open), :none; pool_balance: :round_robin or :least_busy. Every other
  # option is Client.new's. The clients it hands out are ordinary MoCore::Clients; under a
  # Fiber scheduler an acquire that waits waits with IO#wait_readable (IOWait).
  class Pool
    include Configuring
    RESETS = { always: Core::MO_POOL_RESET_ALWAYS, transaction: Core::MO_POOL_RESET_TRANSACTION,
               none: Core::MO_POOL_RESET_NONE }.freeze
    BALANCES = { round_robin: Core::MO_POOL_ROUND_ROBIN, least_busy: Core::MO_POOL_LEAST_BUSY }.freeze
    STATS = %i[in_use idle open waiting acquires releases waits timeouts connects connect_failures
               discards recycles ping_failures acquire_failures].freeze # mo_pool_stat_kind order

    def initialize(url_or_options = nil, pool_size: nil, max_overflow: nil, pool_timeout: nil,
                   pool_recycle: nil, pre_ping: nil, pool_reset: nil, pool_balance: nil,
                   endpoints: nil, retry_interval: nil, **options)
      cfg = configure(url_or_options, options, "pool.new")
      begin
        @p = Core.mo_pool_new(cfg)
      ensure
        Core.mo_rb_release(cfg)
      end
      Core.mo_pool_set_size(@p, pool_size) unless pool_size.nil?
      Core.mo_pool_set_max_overflow(@p, max_overflow) unless max_overflow.nil?
      Core.mo_pool_set_timeout_ms(@p, ms(pool_timeout)) unless pool_timeout.nil?
      Core.mo_pool_set_recycle_ms(@p, ms(pool_recycle)) unless pool_recycle.nil?
      Core.mo_pool_set_pre_ping(@p, pre_ping ? 1 : 0) unless pre_ping.nil?
      Core.mo_pool_set_reset(@p, choice(RESETS, pool_reset, :pool_reset)) unless pool_reset.nil?
      Core.mo_pool_set_balance(@p, choice(BALANCES, pool_balance, :pool_balance)) unless pool_balance.nil?
      Core.mo_pool_set_retry_ms(@p, ms(retry_interval)) unless retry_interval.nil?
      Array(endpoints).each { |ep| Core.mo_pool_add_endpoint(@p, *endpoint(ep)) }
    end

    # A Client on a pooled connection (waits up to pool_timeout, then MoCore::TimeoutError).
    def acquire
      p = pool_handle
      h = if MoCore.io_wait?
            IOWait.await(Core.mo_pool_acquire_start(p)) { |op| Core.mo_op_finish_client(op) }
          else
            Core.mo_pool_acquire(p)
          end
      Client.adopt(h, self, @result_options)
    end

    # Yield a pooled Client and give it back afterwards (also when the block raises);
    # returns the block's value. Without a block: acquire.
    def connection
      c = acquire
      return c unless block_given?
      begin
        yield c
      ensure
        c.close
      end
    end

    # The counters and the acquire time in seconds (wait_max, wait_p50, wait_p99).
    def stats
      p = pool_handle
      out = STATS.each_with_index.to_h { |name, i| [name, Core.mo_pool_stat(p, i)] }
      out[:wait_max] = Core.mo_pool_stat(p, Core::MO_POOL_STAT_WAIT_MAX_US) / 1e6
      out[:wait_p50] = Core.mo_pool_wait_quantile_us(p, 0.5) / 1e6
      out[:wait_p99] = Core.mo_pool_wait_quantile_us(p, 0.99) / 1e6
      out
    end

    # [{host:, port:, up:, connections:}] of every endpoint, the config's first.
    def endpoints
      p = pool_handle
      Array.new(Core.mo_pool_endpoint_count(p)) do |i|
        host, port, up, connections = Core.mo_pool_endpoint_get(p, i)
        { host: host, port: port, up: up == 1, connections: connections }
      end
    end

    # Connect to every endpoint that is down; the number up afterwards.
    def check_endpoints
      Core.mo_pool_check_endpoints(pool_handle)
    end

    # Close the idle connections; clients still out are closed when given back.
    def close
      p = @p
      @p = nil
      Core.mo_rb_release(p) if p
      nil
    end

    def closed?
      @p.nil?
    end

    def inspect
      "#<#{self.class.name} #{closed? ? 'closed' : stats.slice(:in_use, :idle, :open)}>"
    end

    private

    def pool_handle
      @p or raise MoCore.error(:misuse, "the pool is closed", "pool.acquire")
    end

    def ms(seconds)
      return 0 if seconds.negative?
      (seconds * 1000).round
    end

    def choice(table, value, name)
      table.fetch(value.to_sym) do
        raise MoCore.error(:invalid_argument, "#{name}: must be one of #{table.keys.inspect}", "pool.new")
      end
    end

    def endpoint(ep)
      host, port = ep.is_a?(Array) ? ep : ep.to_s.split(/:(?=\d+\z)/)
      raise MoCore.error(:invalid_argument, "endpoint #{ep.inspect} is not \"host:port\"", "pool.add_endpoint") unless port

      [host, Integer(port)]
    end
  end
end
