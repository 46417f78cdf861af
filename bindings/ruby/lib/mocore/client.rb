# frozen_string_literal: true

module MoCore
  # What Client and Session share: execute and its shortcuts, over one C handle.
  module Executor
    include Managers::Access

    LOG_FLAGS = { off: 0x10, simple: 0x20, full: 0x30, auto: 0x40 }.freeze

    # Run one statement; `?` placeholders are filled from `params` (an Array) in C.
    # stream: true reads rows from the wire as you iterate (flat memory for big results).
    # as: :hash makes rows Hashes; time_zone: :utc, decimal: :string change the value
    # mapping (see Result; cast: false gives Strings); log: (:off, :simple, :full, :auto)
    # overrides the log mode.
    def execute(sql, params = nil, stream: false, as: nil, time_zone: nil, decimal: nil,
                symbolize_keys: nil, log: nil, cast: true)
      Result.cast_flags(cast) unless cast == true # checked before the statement runs
      flags = stream ? Core::MO_EXEC_STREAMING : Core::MO_EXEC_BUFFERED
      if log
        flags |= LOG_FLAGS.fetch(log.to_sym) do
          raise MoCore.error(:invalid_argument, "log: must be one of #{LOG_FLAGS.keys.inspect}", exec_operation)
        end
      end
      # sql and params are checked, packed and run in one C call (mo_rb_execute); under a
      # Fiber scheduler the statement is a non-blocking op waited for with IO#wait_* (IOWait)
      h = if MoCore.io_wait?
            IOWait.await(Core.mo_rb_execute_start(handle, sql, params, flags)) { |op| Core.mo_op_finish_result(op) }
          else
            Core.mo_rb_execute_counts(handle, sql, params, flags)
          end
      # a statement without rows came back as its counters (an Integer: the affected rows
      # alone, without an insert id or warnings): a Result of them alone
      return Result.of_count(h) if h.instance_of?(Integer)
      return Result.of_counts(*h) if h.instance_of?(Array)

      o = result_options
      Result.new(h, stream: stream, as: as || o[:as], time_zone: time_zone || o[:time_zone],
                    decimal: decimal || o[:decimal],
                    symbolize_keys: symbolize_keys.nil? ? o[:symbolize_keys] : symbolize_keys, cast: cast)
    end
    alias query execute

    # execute(...).first: the first row or nil.
    def first(sql, params = nil, **opts)
      r = execute(sql, params, **opts)
      row = r.first
      r.close
      row
    end

    # The first column of the first row (nil when there is no row).
    def scalar(sql, params = nil, **opts)
      r = execute(sql, params, **opts)
      v = r.scalar
      r.close
      v
    end

    # Run `sql` once per element of `params_list`; returns the total affected rows.
    def execute_many(sql, params_list)
      params_list.sum { |params| execute(sql, params).affected_rows }
    end

    def closed?
      @h.nil?
    end

    private

    # Release a client/session handle now: the blocking close (GVL released), or under a
    # Fiber scheduler the non-blocking one (a close never fails; a failed goodbye is dropped).
    def close_handle(h)
      return unless h
      if MoCore.io_wait?
        pair = Core.mo_rb_close_start(h)
        begin
          IOWait.await(pair) if pair
        rescue MoCore::Error
          nil
        end
      else
        Core.mo_rb_release(h)
      end
    end

    def handle
      @h or raise MoCore.error(:misuse, "the #{self.class.name.split('::').last.downcase} is closed",
                               exec_operation)
    end
  end

  # One connection in one transaction (BEGIN is sent when it opens). Use it through
  # Client#session with a block: commit on normal exit, rollback and re-raise on an exception.
  class Session
    include Executor

    STATES = { 0 => :idle, 1 => :in_transaction, 2 => :aborted, 3 => :poisoned }.freeze

    attr_reader :client

    def initialize(client)
      @client = client
      ch = client.send(:handle)
      @h = if MoCore.io_wait?
             IOWait.await(Core.mo_session_open_start(ch)) { |op| Core.mo_op_finish_session(op) }
           else
             Core.mo_session_open(ch)
           end
    end

    def begin
      Core.mo_session_begin(handle)
      self
    end

    def commit
      MoCore.io_wait? ? IOWait.await(Core.mo_session_commit_start(handle)) : Core.mo_session_commit(handle)
      nil
    end

    def rollback
      MoCore.io_wait? ? IOWait.await(Core.mo_session_rollback_start(handle)) : Core.mo_session_rollback(handle)
      nil
    end

    def savepoint(name)
      Core.mo_session_savepoint(handle, name)
      nil
    end

    def rollback_to_savepoint(name)
      Core.mo_session_rollback_to_savepoint(handle, name)
      nil
    end

    def release_savepoint(name)
      Core.mo_session_release_savepoint(handle, name)
      nil
    end

    # :idle, :in_transaction, :aborted or :poisoned.
    def state
      STATES.fetch(Core.mo_session_get_state(handle), :unknown)
    end

    def in_transaction?
      state == :in_transaction
    end

    # Roll back an open transaction and release the connection (now, not at GC).
    def close
      release_executor   # it holds a reference to the session
      h = @h
      @h = nil
      close_handle(h)
      nil
    end

    def inspect
      "#<#{self.class.name} #{closed? ? 'closed' : state}>"
    end

    private

    def new_executor(h)
      Core.mo_session_executor(h)
    end

    def exec_operation
      "session.execute"
    end

    def result_options
      @client.send(:result_options)
    end
  end

  # The options of Client.new and Pool.new, read into a mo_config.
  module Configuring
    private

    # The mo_config of Client.new / Pool.new (the caller releases it), and this object's
    # result options and callbacks (kept as long as the object).
    def configure(url_or_options, options, operation)
      case url_or_options
      when nil then nil
      when String then options = { url: url_or_options }.merge(options)
      when Hash then options = url_or_options.transform_keys(&:to_sym).merge(options)
      else
        raise MoCore.error(:invalid_argument,
                           "#{self.class.name.split('::').last}.new expects a URL String or a Hash of " \
                           "options, not #{url_or_options.class}", operation)
      end
      @result_options = { as: :array, symbolize_keys: false, time_zone: :local, decimal: :bigdecimal }
      url = options.delete(:url)
      logger = Callbacks.check_logger(options.delete(:logger), operation, allow_false: true)
      actions, hook = Callbacks.parse_on_connect(options.delete(:on_connect))
      local_dirs = options.delete(:local_infile_dirs)
      cfg = url.nil? ? Core.mo_config_new : Core.mo_config_from_url(url)
      begin
        add_local_infile_dirs(cfg, local_dirs)
        Core.mo_config_set_connect_actions(cfg, actions) if actions.positive?
        if logger != false || hook
          id = Callbacks.register(logger || nil, hook)
          ObjectSpace.define_finalizer(self, Callbacks.finalizer(id))
          Core.mo_rb_config_set_callbacks(cfg, id, logger == false ? 0 : 1, hook ? 1 : 0)
        end
        options.each do |key, value|
          key = Client::ALIASES.fetch(key.to_sym, key.to_sym)
          if Client::RESULT_OPTIONS.include?(key)
            @result_options[key] = value
            next
          end
          next if value.nil?
          Core.mo_config_set(cfg, key.to_s, option_value(value))
        end
      rescue Exception # rubocop:disable Lint/RescueException -- release, re-raise
        Core.mo_rb_release(cfg)
        raise
      end
      cfg
    end

    # LOAD DATA LOCAL only for files under these directories (none: LOCAL off).
    def add_local_infile_dirs(cfg, dirs)
      return if dirs.nil?
      (dirs.is_a?(Array) ? dirs : [dirs]).each do |d|
        d = d.to_path if d.respond_to?(:to_path) # Pathname, Dir
        unless d.is_a?(String)
          raise MoCore.error(:invalid_argument, "local_infile_dirs must be directory paths (Strings or Pathnames), " \
                                                "not #{d.class}", "client.connect")
        end
        Core.mo_config_add_local_infile_dir(cfg, d)
      end
    end

    def option_value(value)
      case value
      when true then "true"
      when false then "false"
      else value.to_s
      end
    end
  end

  # A connection in autocommit mode and the factory of sessions.
  #
  #   MoCore::Client.new("mysql://user:pw@127.0.0.1:3306/db?connect_timeout=5")
  #   MoCore::Client.new(host: "127.0.0.1", port: 6001, user: "root", password: "111",
  #                      database: "test", account: "acc", role: "r")
  #
  # Options are the library's option names (mo_config_set): host, port, user, password,
  # database, account, role, unix_socket, connect_timeout, read_timeout, write_timeout
  # (seconds), ssl_mode, ssl_ca, ssl_cert, ssl_key, log_mode, slow_query_threshold,
  # max_sql_display_length, dry_run, server_kind; url: starts from a URL; username, db,
  # schema and socket are accepted as aliases. Ruby-side defaults for results: as: (:array,
  # :hash), symbolize_keys:, time_zone: (:local, :utc), decimal: (:bigdecimal, :string).
  # logger: this client's log lines (a Logger, a callable(level, message), or false for the C
  # library's stderr sink; default: MoCore.logger, see callbacks.rb). on_connect: actions
  # (:enable_ivf, :enable_hnsw, :enable_fulltext, :enable_vector, :enable_all, or an Array),
  # a callable / ConnectionHook run with a HookConnection on every new connection (the
  # client's and each session's); its failures are logged, never raised.
  # local_infile_dirs: a directory or an Array of them, the only places
  # load_data.from_local_file may read (none: LOAD DATA LOCAL is off).
  class Client
    include Executor
    include Configuring

    ALIASES = { username: :user, db: :database, schema: :database, socket: :unix_socket,
                pass: :password }.freeze
    RESULT_OPTIONS = %i[as symbolize_keys time_zone decimal].freeze
    SERVER_KINDS = { 0 => :auto, 1 => :matrixone, 2 => :mysql, 3 => :mariadb }.freeze

    def initialize(url_or_options = nil, **options)
      cfg = configure(url_or_options, options, "client.connect")
      begin
        @h = if MoCore.io_wait?
               IOWait.await(Core.mo_client_connect_start(cfg)) { |op| Core.mo_op_finish_client(op) }
             else
               Core.mo_client_connect(cfg)
             end
      ensure
        Core.mo_rb_release(cfg)
      end
    end

    # A client on a pooled connection (Pool#acquire): closing it gives the connection back.
    def self.adopt(handle, pool, result_options)
      c = allocate
      c.instance_variable_set(:@h, handle)
      c.instance_variable_set(:@pool, pool) # keeps the pool's callbacks alive
      c.instance_variable_set(:@result_options, result_options)
      c
    end

    # true for a client handed out by a Pool (close gives it back).
    def pooled?
      !@h.nil? && Core.mo_client_is_pooled(@h) == 1
    end

    # Connect, yield the client, close it afterwards; returns the block's value.
    def self.open(*args, **opts)
      c = new(*args, **opts)
      return c unless block_given?
      begin
        yield c
      ensure
        c.close
      end
    end

    # Close the connection now. Sessions and results already made stay usable.
    def close
      release_executor
      h = @h
      @h = nil
      close_handle(h)
      nil
    end

    def ping
      MoCore.io_wait? ? IOWait.await(Core.mo_client_ping_start(handle)) : Core.mo_client_ping(handle)
      true
    end

    # :matrixone, :mysql or :mariadb.
    def server_kind
      SERVER_KINDS.fetch(Core.mo_client_server_kind(handle), :unknown)
    end

    def server_version
      Core.mo_client_server_version(handle)
    end

    # [major, minor, patch] (MatrixOne's release for MatrixOne).
    def version
      Core.mo_client_version(handle)
    end

    def connection_id
      Core.mo_client_connection_id(handle)
    end

    # A new Session (BEGIN sent). With a block: yields it, commits when the block returns,
    # rolls back and re-raises when it raises, closes it either way; returns the block's value.
    def session
      s = Session.new(self)
      return s unless block_given?
      begin
        value = yield s
        s.commit if s.in_transaction?
        value
      rescue Exception # rubocop:disable Lint/RescueException -- roll back on anything, re-raise
        begin
          s.rollback unless s.closed?
        rescue MoCore::Error
          nil # the original exception matters more
        end
        raise
      ensure
        s.close
      end
    end

    # Run the block in a session; on RetryableError (deadlock, lock wait timeout, write
    # conflict) run the whole transaction again, up to `retries` more times, each after the
    # core's random pause (mo_transaction_retry_pause_ms: up to 10 ms, 20 ms, 40 ms, ..., at
    # most 0.5 s): two transactions that deadlocked and started again at once would cross again.
    def transaction(retries: 0, &block)
      attempt = 0
      begin
        session(&block)
      rescue RetryableError
        raise if attempt >= retries
        attempt += 1
        sleep(Core.mo_transaction_retry_pause_ms(attempt) / 1000.0)
        retry
      end
    end

    # The statements a dry-run client (and its sessions) would have sent, in order.
    def journal
      h = handle
      Array.new(Core.mo_client_journal_count(h)) { |i| Core.mo_client_journal_get(h, i) }
    end

    def clear_journal
      Core.mo_client_journal_clear(handle)
      nil
    end

    def inspect
      "#<#{self.class.name} #{closed? ? 'closed' : server_kind}>"
    end

    private

    attr_reader :result_options

    def new_executor(h)
      Core.mo_client_executor(h)
    end

    def exec_operation
      "client.execute"
    end
  end

  # MoCore.connect(url_or_options) is Client.new.
  def self.connect(*args, **opts, &block)
    Client.open(*args, **opts, &block)
  end
end
