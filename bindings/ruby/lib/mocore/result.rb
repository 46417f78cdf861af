# frozen_string_literal: true

module MoCore
  # The rows and counters of one statement: a forward-only cursor. Enumerable: #each yields
  # each row once (an Array of native values, or a Hash with `as: :hash`); #to_a keeps them.
  #
  # Value mapping: integer types, YEAR and BIT -> Integer; FLOAT/DOUBLE -> Float; DECIMAL ->
  # BigDecimal (String with `decimal: :string`); DATE -> Date; DATETIME/TIMESTAMP -> Time
  # (local time, or UTC with `time_zone: :utc`); TIME -> String ("-838:59:59".."838:59:59"
  # is a duration, not a time of day); binary strings/BLOB -> String in ASCII-8BIT; text,
  # JSON, ENUM, SET -> UTF-8 String; a column typed as a vector -> Array of Float; NULL -> nil.
  # MatrixOne (v4.2) sends vecf32/vecf64 columns as text, so a query returns the String
  # "[1,2.5]"; the vector_ops searches return the searched column as Arrays of Float.
  # Zero dates ("0000-00-00") stay Strings. Each row is built in one C call.
  class Result
    include Enumerable

    FLAG_STREAM = 1
    FLAG_HASH = 2
    FLAG_UTC = 4
    FLAG_DECIMAL_STRING = 8
    FLAG_CURRENT = 16 # build the row the result holds (after mo_result_next_start)
    FLAG_TEXT = 32    # cast: false
    FLAG_MYSQL2 = 64  # cast: :mysql2
    CAST_FLAGS = { true => 0, false => FLAG_TEXT, mysql2: FLAG_MYSQL2 }.freeze

    # Rows changed by INSERT/UPDATE/DELETE (rows returned for a buffered SELECT).
    attr_reader :affected_rows
    # The AUTO_INCREMENT id of the last insert (0 if none).
    attr_reader :last_insert_id
    attr_reader :warning_count

    # cast: true maps values as above; false gives every value as its String (ASCII-8BIT for
    # binary columns; NULL stays nil); :mysql2 is mysql2's mapping (lib/mocore/mysql2.rb).
    def initialize(handle, stream: false, as: :array, time_zone: :local, decimal: :bigdecimal,
                   symbolize_keys: false, cast: true)
      @h = handle
      @stream = stream
      ncol, @affected_rows, @last_insert_id, @warning_count, meta, @names = Core.mo_rb_result_info(handle)
      @meta = meta || "".b  # read now: a finished stream has no metadata
      @as = as
      @symbolize_keys = symbolize_keys
      @base_flags = (stream ? FLAG_STREAM : 0) |
                    (time_zone.to_s == "utc" ? FLAG_UTC : 0) |
                    (decimal.to_s == "string" ? FLAG_DECIMAL_STRING : 0) |
                    Result.cast_flags(cast)
      finish if ncol.zero?
    end

    NO_NAMES = [].freeze
    NO_META = "".b.freeze

    # The Result of a statement without rows, made of its counters (the C result is already
    # released): what Result.new makes of such a result, without reading a handle.
    def self.of_counts(affected_rows, last_insert_id, warning_count)
      allocate.tap { |r| r.send(:set_counts, affected_rows, last_insert_id, warning_count) }
    end

    SHARED_COUNTS = []
    private_constant :SHARED_COUNTS

    # The Result of a statement without rows that changed `affected_rows` rows (a small
    # count), with no insert id and no warnings: one such Result per count, shared (it holds
    # nothing but its counters and nothing changes them), so a loop of INSERTs makes none.
    def self.of_count(affected_rows)
      SHARED_COUNTS[affected_rows] ||= of_counts(affected_rows, 0, 0)
    end

    # The row-building flags of a cast: value (ArgumentError-like InvalidArgumentError else).
    def self.cast_flags(cast)
      CAST_FLAGS.fetch(cast) do
        raise MoCore.error(:invalid_argument, "cast: must be true, false or :mysql2, not #{cast.inspect}",
                           "result.each")
      end
    end

    # Column names (Strings).
    def columns
      @names
    end
    alias fields columns

    # MoCore::Core::MO_TYPE_* numbers of the columns.
    def column_types
      @meta.unpack("C*").each_slice(2).map(&:first)
    end

    # Yield each remaining row; `as: :hash` (or :array) overrides the result's row shape,
    # `symbolize_keys: true` makes Hash keys Symbols. Without a block: an Enumerator.
    def each(as: nil, symbolize_keys: nil, &block)
      return enum_for(:each, as: as, symbolize_keys: symbolize_keys) unless block
      return self if @h.nil?
      flags, keys = row_shape(as, symbolize_keys)
      fetch_rows(flags, keys, -1, &block)
      finish
      self
    end

    # The next row, or nil when there is none; with n: up to n rows in an Array.
    def first(n = nil, as: nil, symbolize_keys: nil)
      return fetch(1, as, symbolize_keys).first if n.nil?
      fetch(Integer(n), as, symbolize_keys)
    end
    alias fetch_one first

    # The rest of the rows in an Array.
    def to_a(as: nil, symbolize_keys: nil)
      fetch(-1, as, symbolize_keys)
    end
    alias rows to_a
    alias fetch_all to_a

    # The first column of the next row (nil when there is no row).
    def scalar
      row = first(as: :array)
      row && row[0]
    end

    # Release the result now (a streaming result is drained). Counters and columns stay.
    def close
      finish
      nil
    end

    def closed?
      @h.nil?
    end

    def inspect
      "#<#{self.class.name} columns=#{@names.inspect} affected_rows=#{@affected_rows}#{closed? ? ' done' : ''}>"
    end

    private

    def set_counts(affected_rows, last_insert_id, warning_count)
      @h = nil
      @stream = false
      @affected_rows = affected_rows
      @last_insert_id = last_insert_id
      @warning_count = warning_count
      @meta = NO_META
      @names = NO_NAMES
      @as = :array
      @symbolize_keys = false
      @base_flags = 0
    end

    def row_shape(as, symbolize_keys)
      as ||= @as
      case as
      when :array then [@base_flags, nil]
      when :hash
        sym = symbolize_keys.nil? ? @symbolize_keys : symbolize_keys
        [@base_flags | FLAG_HASH, sym ? (@sym_keys ||= @names.map(&:to_sym).freeze) : @names]
      else raise MoCore.error(:invalid_argument, "as: must be :array or :hash, not #{as.inspect}",
                              "result.each")
      end
    end

    def fetch(max, as, symbolize_keys)
      return [] if @h.nil? || max.zero?
      flags, keys = row_shape(as, symbolize_keys)
      rows = fetch_rows(flags, keys, max)
      finish if max.negative? || rows.length < max
      rows
    end

    # Up to max rows (all when negative), yielded or returned. A streaming result under a
    # Fiber scheduler reads each row with a non-blocking op (IOWait); otherwise one C call.
    def fetch_rows(flags, keys, max, &block)
      return Core.mo_rb_fetch(@h, @meta, keys, flags, max, &block) unless @stream && MoCore.io_wait?
      rows = block ? nil : []
      count = 0
      while @h && (max.negative? || count < max)
        if IOWait.await(Core.mo_result_next_start(@h)) == Core::MO_DONE
          @done = true
          break
        end
        row = Core.mo_rb_fetch(@h, @meta, keys, flags | FLAG_CURRENT, 1)[0]
        count += 1
        block ? yield(row) : rows << row
      end
      block ? count : rows
    end

    def finish
      h = @h
      @h = nil
      return unless h
      # Freeing a stream not read to its end drains it (blocking): under a Fiber scheduler
      # drain it with non-blocking ops first.
      if @stream && !@done && MoCore.io_wait?
        begin
          loop { break if IOWait.await(Core.mo_result_next_start(h)) == Core::MO_DONE }
        rescue MoCore::Error
          nil
        end
      end
      Core.mo_rb_release(h)
    end
  end
end
