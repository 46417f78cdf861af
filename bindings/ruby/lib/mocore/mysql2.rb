# frozen_string_literal: true

# mysql2's surface on mocore: code written for the mysql2 gem runs with only the require changed.
#
#   require "mocore/mysql2"          # instead of require "mysql2"
#   client = Mysql2::Client.new(host: "127.0.0.1", username: "u", password: "pw", database: "db")
#   client.query("SELECT id, name FROM t").each { |row| row["name"] }
#   stmt = client.prepare("SELECT * FROM t WHERE id = ?")
#   stmt.execute(1).to_a
#
# The classes live in MoCore::Mysql2 (Client, Result, Statement, Error with ConnectionError and
# TimeoutError). Requiring this file is the opt-in to the top-level alias `Mysql2 =
# MoCore::Mysql2`; it is not made when the real mysql2 gem is already loaded (then
# MoCore::Mysql2 is still there under its own name). Everything runs through MoCore::Client and
# the C core: statements and `?` values are rendered by the core's literal functions, escape
# uses the core's string-literal function, rows are built in C with mysql2's casting.
#
# Options mysql2 honours and mocore cannot raise ArgumentError naming the option (async: true,
# cast_booleans: true, flags: MULTI_STATEMENTS, local_infile: true, init_command:, ...); none is
# dropped silently. Keys neither gem knows are ignored, as mysql2 ignores them (a Rails-style
# config Hash with adapter:/pool: works); MoCore's own connection options (account:, role:,
# logger:, local_infile_dirs:, ...) pass through to MoCore::Client.
require "mocore"

module MoCore
  module Mysql2
    # mysql2's Mysql2::Error: error_number (the server's or client's error number, nil for
    # errors of the layer itself), sql_state (nil when there is none), message. The MoCore::Error
    # it was made from is its #cause.
    class Error < StandardError
      ConnectionError = Class.new(self)
      TimeoutError = Class.new(self)

      # mysql2's table: the error numbers raised as a subclass.
      CODES = {
        1205 => TimeoutError, # ER_LOCK_WAIT_TIMEOUT
        1044 => ConnectionError, 1045 => ConnectionError, 1152 => ConnectionError,
        1153 => ConnectionError, 1154 => ConnectionError, 1155 => ConnectionError,
        1156 => ConnectionError, 1157 => ConnectionError, 1158 => ConnectionError,
        1159 => ConnectionError, 1160 => ConnectionError, 1161 => ConnectionError,
        2001 => ConnectionError, 2002 => ConnectionError, 2003 => ConnectionError,
        2004 => ConnectionError, 2005 => ConnectionError, 2006 => ConnectionError,
        2007 => ConnectionError, 2009 => ConnectionError, 2012 => ConnectionError,
        2013 => ConnectionError, 2020 => ConnectionError, 2026 => ConnectionError,
        2027 => ConnectionError, 2047 => ConnectionError, 2048 => ConnectionError,
        2049 => ConnectionError
      }.freeze

      # mocore's error categories that mean what mysql2's subclasses mean (when the number
      # is not in CODES: mocore reports connect failures and its own timeouts by category).
      CATEGORIES = { connect: ConnectionError, auth: ConnectionError, connection_lost: ConnectionError,
                     outcome_unknown: ConnectionError, timeout: TimeoutError }.freeze

      attr_reader :error_number, :sql_state

      alias errno error_number
      alias error message

      def initialize(msg, server_version = nil, error_number = nil, sql_state = nil)
        @server_version = server_version
        @error_number = error_number
        @sql_state = sql_state
        super(msg)
      end

      def self.new_with_args(msg, server_version, error_number, sql_state)
        CODES.fetch(error_number, self).new(msg, server_version, error_number, sql_state)
      end

      # The mysql2 error of a MoCore::Error.
      def self.from_mocore(err, server_version = nil)
        number = err.code.zero? ? nil : err.code
        cls = CODES[number] || CATEGORIES[err.category] || self
        cls.new(err.message, server_version, number, err.sqlstate.empty? ? nil : err.sqlstate)
      end
    end

    # Runs the block, raising a MoCore failure as the mysql2 error (the MoCore::Error stays
    # reachable as #cause).
    def self.translate(server_version = nil)
      yield
    rescue MoCore::Error => e
      raise Error.from_mocore(e, server_version)
    end

    # The rows of one statement. Buffered (the default): re-iterable; each, to_a, count/size.
    # stream: true: rows are read from the wire while iterating, once.
    class Result
      include Enumerable

      attr_reader :server_flags

      def initialize(mo_result, options)
        @options = options
        @symbolize = options[:symbolize_keys] ? true : false
        @names = mo_result.columns
        @fields = @symbolize ? @names.map(&:to_sym) : @names
        @app_tz = options[:application_timezone]
        @server_flags = nil
        @as = options[:as] == :array ? :array : :hash
        # mysql2 casts a statement's DECIMAL(n,0) to BigDecimal (binary protocol), a query's
        # to Integer
        @decimal_cols = if options[:statement] && options[:cast]
                          mo_result.column_types.each_index.select { |i| mo_result.column_types[i] == MoCore::Core::MO_TYPE_DECIMAL }
                        else
                          []
                        end
        if options[:stream]
          @stream = mo_result
          @count = 0
        else
          @rows = convert_times(mo_result.to_a)
          mo_result.close
        end
      end

      # Column names: Strings, or Symbols with symbolize_keys: true.
      attr_reader :fields

      # Yield each row: a Hash (as: :hash, the default) or an Array (as: :array); options
      # given here (as:, symbolize_keys:) override the query's for this iteration.
      def each(options = {}, &block)
        return enum_for(:each, options) unless block
        as = (options[:as] || @as) == :array ? :array : :hash
        sym = options.key?(:symbolize_keys) ? (options[:symbolize_keys] ? true : false) : @symbolize
        if @stream
          each_streamed(as, sym, &block)
        else
          shaped(as, sym).each(&block)
        end
        self
      end

      # The number of rows (of a streaming result: the rows read so far, as mysql2 counts).
      def count(*args, &block)
        return super if !args.empty? || block
        @stream ? @count : @rows.length
      end
      alias size count

      def free
        @stream&.close
        nil
      end

      private

      def each_streamed(as, sym)
        if @streamed
          raise Error, "You have already fetched all the rows for this query and streaming is true. " \
                       "(to reiterate you must requery)."
        end
        @streamed = true
        Mysql2.translate do
          @stream.each do |row|
            @count += 1
            row = convert_times([row])[0] if @app_tz || !@decimal_cols.empty?
            yield reshape(row, as, sym)
          end
        end
      end

      # The cached rows in the asked shape (built in C in the query's shape; another shape is
      # made from it once and kept).
      def shaped(as, sym)
        return @rows if as == @as && (as == :array || sym == @symbolize)
        @shapes ||= {}
        @shapes[[as, sym]] ||= @rows.map { |r| reshape(r, as, sym) }
      end

      def reshape(row, as, sym)
        if row.is_a?(Array)
          return row if as == :array
          (sym ? (@sym_names ||= @names.map(&:to_sym)) : @names).zip(row).to_h
        else
          return row.values if as == :array
          return row if sym == @symbolize
          sym ? row.transform_keys(&:to_sym) : row.transform_keys(&:to_s)
        end
      end

      def decimals(rows)
        big = ->(v) { v.is_a?(Integer) ? BigDecimal(v) : v }
        rows.map do |r|
          r = r.dup
          if r.is_a?(Array)
            @decimal_cols.each { |i| r[i] = big.call(r[i]) }
          else
            keys = r.keys
            @decimal_cols.each { |i| r[keys[i]] = big.call(r[keys[i]]) }
          end
          r
        end
      end

      # application_timezone: :local / :utc — Times moved into that zone (the database zone
      # chose how the stored value was read).
      def convert_times(rows)
        rows = decimals(rows) unless @decimal_cols.empty?
        return rows unless @app_tz
        conv = ->(v) { v.is_a?(::Time) ? (@app_tz == :utc ? v.getutc : v.getlocal) : v }
        rows.map { |r| r.is_a?(Array) ? r.map(&conv) : r.transform_values(&conv) }
      end
    end

    # Client#prepare: a statement with `?` placeholders. The values are rendered into the
    # statement by the core's literal functions (text protocol), not bound server-side.
    class Statement
      attr_reader :affected_rows, :last_id, :param_count

      def initialize(client, sql)
        @client = client
        @sql = sql
        @param_count = Mysql2.translate { MoCore::Core.mo_rb_placeholder_count(sql) }
        @fields = nil
        @affected_rows = 0
        @last_id = 0
      end

      # Run with the values for the placeholders; a Result for a statement with columns, nil
      # otherwise. Options as Client#query's.
      def execute(*args, **options)
        raise Error, "Statement is closed" if @closed
        if args.length != @param_count
          raise Error, "Bind parameter count (#{@param_count}) doesn't match number of arguments (#{args.length})"
        end
        result = @client.send(:run, @sql, args, options.merge(statement: true))
        @affected_rows = @client.affected_rows
        @last_id = @client.last_id
        @fields = result ? result.fields : []
        result
      end

      # The result columns: known once the statement has run (mocore renders statements
      # client-side, so there is no server metadata at prepare time); nil before.
      attr_reader :fields

      def close
        @closed = true
        nil
      end

      def closed?
        @closed ? true : false
      end
    end

    # mysql2's Mysql2::Client over a MoCore::Client.
    class Client
      # mysql2's connect flags (the numbers mysql2 0.5 with libmariadb defines).
      LONG_PASSWORD = 0
      FOUND_ROWS = 2
      LONG_FLAG = 4
      CONNECT_WITH_DB = 8
      NO_SCHEMA = 16
      COMPRESS = 32
      ODBC = 64
      LOCAL_FILES = 128
      IGNORE_SPACE = 256
      PROTOCOL_41 = 512
      INTERACTIVE = 1024
      SSL = 2048
      IGNORE_SIGPIPE = 4096
      TRANSACTIONS = 8192
      RESERVED = 16_384
      SECURE_CONNECTION = 32_768
      MULTI_STATEMENTS = 65_536
      MULTI_RESULTS = 131_072
      PS_MULTI_RESULTS = 262_144
      CONNECT_ATTRS = 1_048_576
      SSL_VERIFY_SERVER_CERT = 1_073_741_824
      REMEMBER_OPTIONS = 2_147_483_648
      SSL_MODE_DISABLED = :disabled
      SSL_MODE_PREFERRED = :preferred
      SSL_MODE_REQUIRED = :required
      SSL_MODE_VERIFY_CA = :verify_ca
      SSL_MODE_VERIFY_IDENTITY = :verify_identity

      # The flags mocore's connections have anyway (FOUND_ROWS always: affected_rows of an
      # UPDATE counts the rows matched), or that change nothing without multi-statements.
      HONOURED_FLAGS = LONG_PASSWORD | FOUND_ROWS | LONG_FLAG | CONNECT_WITH_DB | PROTOCOL_41 |
                       IGNORE_SIGPIPE | TRANSACTIONS | RESERVED | SECURE_CONNECTION | MULTI_RESULTS |
                       PS_MULTI_RESULTS | CONNECT_ATTRS | REMEMBER_OPTIONS
      DEFAULT_FLAGS = REMEMBER_OPTIONS | LONG_PASSWORD | LONG_FLAG | TRANSACTIONS | PROTOCOL_41 |
                      SECURE_CONNECTION | CONNECT_ATTRS

      def self.default_query_options
        @default_query_options ||= {
          as: :hash, async: false, cast_booleans: false, symbolize_keys: false,
          database_timezone: :local, application_timezone: nil, cache_rows: true,
          connect_flags: DEFAULT_FLAGS, cast: true, default_file: nil, default_group: nil
        }
      end

      # The query options: name => the check a value passes to be honoured (nil: any value).
      QUERY_OPTIONS = {
        as: ->(v) { %i[hash array].include?(v) || %w[hash array].include?(v) },
        symbolize_keys: nil, cast: nil, cache_rows: nil, stream: nil,
        database_timezone: ->(v) { %i[local utc].include?(v) },
        application_timezone: ->(v) { v.nil? || %i[local utc].include?(v) },
        async: ->(v) { !v }, cast_booleans: ->(v) { !v },
        connect_flags: nil, default_file: ->(v) { v.nil? }, default_group: ->(v) { v.nil? },
        statement: nil # set by Statement#execute
      }.freeze

      # mysql2's connection options mocore cannot honour with the value given.
      REFUSED = {
        local_infile: ->(v) { !v },              # LOAD DATA LOCAL: MoCore's local_infile_dirs:
        reconnect: ->(v) { !v },
        init_command: ->(v) { v.nil? },
        default_file: ->(v) { v.nil? }, default_group: ->(v) { v.nil? },
        sslcapath: ->(v) { v.nil? }, sslcipher: ->(v) { v.nil? },
        enable_cleartext_plugin: ->(v) { !v }, default_auth: ->(v) { v.nil? },
        connect_attrs: ->(v) { v.nil? }, automatic_close: ->(v) { v.nil? || v },
        get_server_public_key: ->(v) { !v }
      }.freeze

      # mysql2 option => MoCore::Client option.
      RENAMED = { host: :host, hostname: :host, username: :user, user: :user, password: :password,
                  pass: :password, database: :database, dbname: :database, db: :database,
                  port: :port, socket: :unix_socket, sock: :unix_socket, sslca: :ssl_ca,
                  sslcert: :ssl_cert, sslkey: :ssl_key, connect_timeout: :connect_timeout,
                  read_timeout: :read_timeout, write_timeout: :write_timeout }.freeze

      # MoCore::Client's own options, passed through as they are.
      MOCORE_OPTIONS = %i[url account role transport logger on_connect local_infile_dirs log_mode
                          slow_query_threshold max_sql_display_length dry_run server_kind
                          connect_timeout_ms read_timeout_ms write_timeout_ms ssl_ca ssl_cert
                          ssl_key unix_socket decimal].freeze

      attr_reader :query_options, :read_timeout, :affected_rows, :last_id, :warning_count

      def initialize(opts = {})
        raise Error, "Options parameter must be a Hash" unless opts.is_a?(Hash)
        opts = opts.transform_keys(&:to_sym)
        @query_options = self.class.default_query_options.dup
        opts.each { |k, v| @query_options[k] = v if QUERY_OPTIONS.key?(k) }
        check_query_options(@query_options)
        @read_timeout = opts[:read_timeout]
        @affected_rows = 0
        @last_id = 0
        @warning_count = 0
        @mo = Mysql2.translate { MoCore::Client.new(**mocore_options(opts)) }
        @server_version = nil
      end

      # Run one statement: a Result for a statement with columns, nil otherwise. Options
      # (over query_options): as: (:hash, :array), symbolize_keys:, cast: (false: Strings),
      # stream:, cache_rows:, database_timezone:, application_timezone: (:local, :utc).
      def query(sql, options = {})
        raise TypeError, "wrong argument type #{sql.class} (expected String)" unless sql.is_a?(String)
        run(sql, nil, options)
      end

      # `str` escaped for a quoted string literal ('#{client.escape(s)}'), by the core's
      # string-literal function: quotes doubled, backslash, NUL, CR, LF and ^Z escaped.
      def escape(str)
        connection
        self.class.escape(str)
      end

      def self.escape(str)
        MoCore::Core.mo_rb_escape_string(str)
      end

      def prepare(sql)
        connection
        Statement.new(self, sql)
      end

      # {id: 100611, version: "10.6.11-MariaDB"}: the server's version as mysql2 gives it.
      def server_info
        c = connection
        Mysql2.translate do
          major, minor, patch = c.version
          { id: (major * 10_000) + (minor * 100) + patch, version: c.server_version }
        end
      end

      # The client library: mocore's version.
      def self.info
        major, minor, patch = MoCore::VERSION.split(".").map(&:to_i)
        { id: (major.to_i * 10_000) + (minor.to_i * 100) + patch.to_i, version: MoCore::VERSION,
          header_version: MoCore::VERSION }
      end

      def info
        self.class.info
      end

      # true when the server answers, false when it does not or the client is closed.
      def ping
        return false if @mo.closed?
        @mo.ping
      rescue MoCore::Error
        false
      end

      # Drop what a streaming result has not read yet, so the connection can run the next
      # statement.
      def abandon_results!
        @stream&.close
        @stream = nil
        nil
      end

      def close
        abandon_results!
        @mo.close
        nil
      end

      def closed?
        @mo.closed?
      end

      def thread_id
        Mysql2.translate { connection.connection_id }
      end

      def encoding
        Encoding::UTF_8
      end

      # USE `db` (the name quoted by the core's identifier function).
      def select_db(name)
        run("USE #{Mysql2.translate { MoCore::Core.mo_rb_quote_identifier(name.to_s, 'database name') }}", nil, {})
        name
      end

      # One statement per query (no multi-statements): never more results.
      def more_results?
        false
      end

      def next_result
        false
      end

      def automatic_close?
        true
      end

      # The MoCore::Client underneath (MoCore's own API: sessions, managers, ...).
      def mocore
        connection
      end

      private

      def connection
        raise Error, "MySQL client is not connected" if @mo.closed?
        @mo
      end

      def check_query_options(opts)
        opts.each do |k, v|
          check = QUERY_OPTIONS[k]
          next if check.nil? || check.call(v)
          raise ArgumentError, "#{k}: #{v.inspect} is not supported by mocore's mysql2 layer"
        end
      end

      def run(sql, params, options)
        c = connection
        opts = options.empty? ? @query_options : @query_options.merge(options.transform_keys(&:to_sym))
        check_query_options(opts)
        abandon_results!
        stream = opts[:stream] ? true : false
        r = Mysql2.translate(@server_version) do
          c.execute(sql, params, stream: stream, as: opts[:as].to_sym == :array ? :array : :hash,
                                 symbolize_keys: opts[:symbolize_keys] ? true : false,
                                 time_zone: opts[:database_timezone] == :utc ? :utc : :local,
                                 cast: opts[:cast] ? :mysql2 : false)
        end
        @affected_rows = r.affected_rows
        @last_id = r.last_insert_id
        @warning_count = r.warning_count
        if r.columns.empty?
          r.close
          return nil
        end
        @stream = r if stream
        Result.new(r, opts)
      end

      def mocore_options(opts)
        out = {}
        opts.each do |k, v|
          if (check = REFUSED[k])
            next if check.call(v)
            raise ArgumentError, "#{k}: #{v.inspect} is not supported by mocore's mysql2 layer"
          end
          if RENAMED.key?(k)
            out[RENAMED[k]] = v unless v.nil?
          elsif MOCORE_OPTIONS.include?(k)
            out[k] = v
          end
        end
        check_encoding(opts[:encoding])
        check_flags(opts[:flags])
        ssl = ssl_mode(opts)
        out[:ssl_mode] = ssl if ssl
        out[:port] = Integer(out[:port]) if out[:port]
        out
      end

      def check_encoding(enc)
        return if enc.nil? || %w[utf8 utf8mb4 utf8mb3].include?(enc.to_s.downcase)
        raise ArgumentError, "encoding: #{enc.inspect} is not supported by mocore (connections are utf8mb4)"
      end

      def check_flags(flags)
        bits = case flags
               when nil then return
               when Integer then flags
               when String, Array
                 (flags.is_a?(String) ? flags.split : flags).each do |f|
                   f = f.to_s
                   if f.start_with?("-")
                     raise ArgumentError, "flags: #{f} is not supported by mocore's mysql2 layer"
                   end
                   unless f.match?(/\A[A-Z_0-9]+\z/) && self.class.const_defined?(f)
                     raise ArgumentError, "flags: unknown flag #{f}"
                   end
                 end
                 (flags.is_a?(String) ? flags.split : flags).sum { |f| self.class.const_get(f.to_s) }
               else raise ArgumentError, "flags: must be an Integer, String or Array, not #{flags.class}"
               end
        extra = bits & ~HONOURED_FLAGS
        return if extra.zero?
        names = self.class.constants.select do |n|
          v = self.class.const_get(n)
          n.to_s.match?(/\A[A-Z_0-9]+\z/) && v.is_a?(Integer) && v.positive? && (extra & v) == v &&
            (v & (v - 1)).zero?
        end
        raise ArgumentError, "flags: #{names.join(', ')} not supported by mocore's mysql2 layer"
      end

      def ssl_mode(opts)
        mode = opts[:ssl_mode]
        return opts[:sslverify] ? "verify_identity" : nil if mode.nil?
        m = mode.to_s.downcase.delete_prefix("ssl_mode_")
        return m if %w[disabled preferred required verify_ca verify_identity].include?(m)
        raise ArgumentError, "ssl_mode: #{mode.inspect} is not an ssl mode (disabled, preferred, required, " \
                             "verify_ca, verify_identity)"
      end
    end
  end
end

# The opt-in alias: `Mysql2::Client.new(...)` as with the mysql2 gem (not when that gem is loaded).
Mysql2 = MoCore::Mysql2 unless defined?(::Mysql2)
