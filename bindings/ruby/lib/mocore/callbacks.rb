# frozen_string_literal: true

require "logger"

module MoCore
  # Log lines of the C library go to MoCore.logger (or a client's own `logger:`):
  #
  #   MoCore.logger = Logger.new($stdout)          # any object with #add(severity, message, progname)
  #   MoCore.logger = ->(level, message) { ... }   # or a callable: level is :debug, :info, :warn, :error
  #   MoCore.on_log { |level, message| ... }        # the same with a block
  #   MoCore.logger = nil                           # the default: lines go to $stderr
  #   MoCore::Client.new(url, log_mode: :simple, logger: my_logger)   # one client's own
  #   MoCore::Client.new(url, logger: false)        # the C library's own stderr sink
  #
  # Lines are produced when log_mode is not :off (the SQL log: the MatrixOne SDK's format) and
  # for warnings (a failing connection hook). Passwords and other secrets in the SQL are
  # redacted by the C library before any line reaches Ruby. A logger that raises loses that
  # line (it is written to $stderr instead); the statement is not affected.
  class << self
    attr_reader :logger

    def logger=(logger)
      @logger = Callbacks.check_logger(logger, "MoCore.logger=")
    end

    # MoCore.on_log { |level, message| ... } sets MoCore.logger to the block.
    def on_log(&block)
      raise MoCore.error(:invalid_argument, "on_log needs a block", "MoCore.on_log") unless block
      self.logger = block
    end
  end

  # The SDK's on_connect actions (Client.new(on_connect: ...)): Symbols or Strings.
  CONNECTION_ACTIONS = %i[enable_ivf enable_hnsw enable_fulltext enable_vector enable_all].freeze

  # on_connect: actions (run first) and a block run on every new connection.
  #   MoCore::ConnectionHook.new(actions: [:enable_all]) { |conn| conn.execute("SET ...") }
  class ConnectionHook
    attr_reader :actions, :custom_hook

    def initialize(actions: [], custom_hook: nil, &block)
      @actions = Array(actions)
      @custom_hook = custom_hook || block
    end
  end

  # The new connection, as an on_connect block sees it: execute / query / first / scalar and
  # every manager run on that connection (autocommit, before a session's BEGIN). Valid only
  # during the block: later use raises MisuseError.
  class HookConnection
    include Managers::Access

    def initialize(executor)
      @ex = executor
    end

    def execute(sql, params = nil)
      op = "executor.execute"
      raise MoCore.error(:invalid_argument, "sql must be a String, not #{sql.class}", op) unless sql.is_a?(String)
      unless params.nil? || params.is_a?(Array)
        raise MoCore.error(:invalid_argument, "params must be a list of values, not #{params.class}", op)
      end

      p = params && Core.mo_params_new
      Core.mo_rb_params_add(p, params) if p
      Result.new(Core.mo_executor_execute(executor, sql, p))
    ensure
      Core.mo_rb_release(p) if p
    end

    def query(sql, params = nil)
      execute(sql, params).to_a
    end

    def first(sql, params = nil)
      r = execute(sql, params)
      r.first.tap { r.close }
    end

    def scalar(sql, params = nil)
      r = execute(sql, params)
      r.scalar.tap { r.close }
    end

    def closed?
      @ex.nil?
    end

    def inspect
      "#<#{self.class.name}#{closed? ? ' done' : ''}>"
    end

    # The hook call is over.
    def detach
      @ex = nil
    end

    private

    def executor
      @ex or raise MoCore.error(:misuse, "the hook connection is only valid during the on_connect call",
                                "on_connect")
    end

    def release_executor; end
  end

  # What the C callbacks reach (mocore_ruby.i: mo_rb_log_sink, mo_rb_connect_hook,
  # mo_rb_load_progress): a table id => [logger, hook block] per client, and id => progress
  # callable per LOCAL load. The id, not an object, is the C userdata.
  module Callbacks
    LEVELS = { 10 => :debug, 20 => :info, 30 => :warn, 40 => :error }.freeze
    SEVERITY = { debug: Logger::DEBUG, info: Logger::INFO, warn: Logger::WARN, error: Logger::ERROR }.freeze
    WARNING = 30
    @table = {}
    @progress = {}
    @next_id = 0
    @lock = Mutex.new

    class << self
      # A logger, a callable, nil or (where allowed) false; anything else is InvalidArgumentError.
      def check_logger(logger, operation, allow_false: false)
        return logger if logger.nil? || (allow_false && logger == false)
        return logger if logger.respond_to?(:add) || logger.respond_to?(:call)
        raise MoCore.error(:invalid_argument,
                           "logger must be a Logger (#add), a callable (level, message)#{' or false' if allow_false}, " \
                           "not #{logger.class}", operation)
      end

      # Register a client's callbacks; returns the id for the C userdata.
      def register(logger, hook)
        @lock.synchronize do
          @next_id += 1
          @table[@next_id] = [logger, hook]
          @next_id
        end
      end

      # A finalizer (for ObjectSpace.define_finalizer) that drops the id's entry. Finalizers
      # run in trap context, where a Mutex cannot be taken: Hash#delete is one call under the GVL.
      def finalizer(id)
        table = @table
        proc { table.delete(id) }
      end

      # A progress callable for the duration of one load; returns the id for the C userdata.
      def register_progress(fn)
        @lock.synchronize do
          @next_id += 1
          @progress[@next_id] = fn
          @next_id
        end
      end

      def unregister_progress(id)
        @lock.synchronize { @progress.delete(id) }
      end

      # From C, with the GVL held, on the thread of the load: fn(bytes_sent, total_bytes). A
      # progress report never breaks the load (as in Python): a StandardError of fn is written
      # to $stderr and the load goes on. Anything else (Interrupt, SystemExit) is kept by the C
      # side, which drops the later reports and raises it once the load is over.
      def dispatch_progress(id, bytes_sent, total_bytes)
        fn = @progress[id]
        fn&.call(bytes_sent, total_bytes)
        nil
      rescue StandardError => e
        $stderr.write("mocore: the load progress callback raised #{e.class}: #{e.message} (the load goes on)\n")
        nil
      end

      # From C: one log line (level 10/20/30/40, message already redacted).
      def dispatch_log(id, level, message)
        entry = @table[id]
        logger = entry ? entry[0] : nil
        logger = MoCore.logger if logger.nil?
        sym = LEVELS.fetch(level) { level >= 40 ? :error : :info }
        if logger.nil?
          $stderr.write("#{message}\n")
        elsif logger.respond_to?(:add)
          logger.add(SEVERITY.fetch(sym), message, "mocore")
        else
          logger.call(sym, message)
        end
        nil
      end

      # From C: the connection hook on a new connection; true when it ran (its failure is
      # logged here and never fails the connect, as in the SDK).
      def dispatch_hook(id, executor)
        entry = @table[id]
        hook = entry && entry[1]
        return true unless hook
        conn = HookConnection.new(executor)
        begin
          hook.call(conn)
        rescue Exception => e # rubocop:disable Lint/RescueException -- nothing may cross into C
          dispatch_log(id, WARNING, "Connection hook execution failed: #{e.message}")
        ensure
          conn.detach
        end
        true
      end

      # on_connect: -> [action flags, hook block or nil].
      def parse_on_connect(value, operation = "client.connect")
        case value
        when nil then [0, nil]
        when ConnectionHook
          flags, = parse_on_connect(value.actions, operation)
          [flags, value.custom_hook]
        when Symbol, String then [action(value, operation), nil]
        when Array
          value.reduce([0, nil]) do |(flags, fn), item|
            f, h = parse_on_connect(item, operation)
            [flags | f, h || fn]
          end
        else
          return [0, value] if value.respond_to?(:call)
          raise MoCore.error(:invalid_argument, "on_connect must be an action (#{CONNECTION_ACTIONS.join(', ')}), " \
                                                "an Array of them, a ConnectionHook or a callable, not #{value.class}",
                             operation)
        end
      end

      def action(name, _operation)
        Core.mo_connect_action_parse(name.to_s)
      end
    end
  end

  Core.mo_rb_set_callback_receiver(Callbacks)
end
