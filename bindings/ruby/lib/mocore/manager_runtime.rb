# frozen_string_literal: true

module MoCore
  # What the generated managers (mocore/managers.rb, from bindings/managers.toml) call. Each
  # method is one C call (bindings/managers/call.h, run by mo_rb_call of mocore_ruby.i), which
  # checks the arguments with the description's one message per mistake, applies defaults and
  # aliases, builds the composite values and runs the C function. Here only the Ruby idiom:
  # Ruby values -> the shape alphabet (Symbols as words, model classes with .table_name as
  # tables, a block or callable as the progress), and the outcome -> Structs, Results, rows.
  module Managers
    # "Not given": the default of every positional parameter of a generated method, so a
    # missing argument differs from an explicit nil.
    NONE = Object.new.tap { |o| def o.inspect = "NONE" }.freeze

    # What insert / batch_insert return (the SDK's ResultSet): a write has no rows.
    ::MoCore::ResultSet = Struct.new(:columns, :rows, :affected_rows, keyword_init: true)
    # get_ivf_stats: index_tables ("metadata"/"centroids"/"entries" => table name),
    # distribution ({centroid_id: [...], centroid_version: [...], centroid_count: [...]}).
    ::MoCore::IvfStats = Struct.new(:index_tables, :distribution, :database, :table_name, :column_name,
                                    keyword_init: true)

    # A Ruby value -> shape letters and leaf values (packed by mo_rb_params_add). `sql`: how
    # deep below this value the SQL values are (params and a row 1, rows 2); there anything
    # but nil, booleans, numbers and text is a `v` the params adder converts (Hash -> JSON,
    # Array -> vector, Time, Date, BigDecimal).
    class Walk
      attr_reader :shape, :leaves, :progress

      def initialize
        @shape = +""
        @leaves = []
      end

      def value(x, sql = nil)
        deeper = sql && sql - 1
        case x
        when nil then leaf("n", nil)
        when true, false then leaf("b", x)
        when Integer then leaf("i", x)
        when Float then leaf("d", x)
        when Symbol then leaf("s", x.to_s)
        when String then leaf(x.encoding == Encoding::BINARY ? "y" : "s", x)
        else
          return leaf("v", x) if sql&.zero?

          other(x, sql, deeper)
        end
      end

      # The arguments: "(" positional ")" "{" name, value ... "}".
      def arguments(positional, pairs, depth)
        @shape << "("
        positional.each { |name, x| value(x, depth[name]) }
        @shape << ")" << "{"
        pairs.each do |name, x|
          value(name.to_s)
          value(x, depth[name.to_sym])
        end
        @shape << "}"
      end

      private

      def leaf(letter, x)
        @shape << letter
        @leaves << x
      end

      def other(x, sql, deeper)
        if x.is_a?(Array) || (sql == 2 && !x.is_a?(Hash) && x.respond_to?(:to_a))
          @shape << "("
          x.to_a.each { |e| value(e, deeper) }
          @shape << ")"
        elsif x.is_a?(Hash)
          @shape << "{"
          x.each do |k, e|
            value(k)
            value(e, deeper)
          end
          @shape << "}"
        elsif x.respond_to?(:call) then (@progress ||= x) && leaf("f", nil)
        elsif x.respond_to?(:table_name) then value(x.table_name.to_s)
        elsif x.respond_to?(:in_milliseconds) then leaf("d", x.in_milliseconds / 1000.0) # a duration
        elsif x.is_a?(Numeric) && x.real? then leaf("d", x.to_f)
        else leaf("o", nil)
        end
      end
    end

    # Records: Structs with the fields of mo_swig_record_fields (bindings/mocore.i), from the
    # outcome's map of a record, with the description's conversions.
    module Record
      CLASSES = {}      # kind => Struct class
      CONVERSIONS = {}  # kind => { attr => [how, argument] }

      def self.define(kind, const, conversions)
        fields = Core.mo_swig_record_fields(kind).split.map { |item| item.split(":").first.to_sym }
        CLASSES[kind] = MoCore.const_set(const, Struct.new(*fields, keyword_init: true))
        CONVERSIONS[kind] = conversions.freeze
      end

      def self.build(kind, map)
        values = map.transform_keys(&:to_sym)
        CONVERSIONS.fetch(kind).each do |attr, (how, arg)|
          v = values[attr]
          values[attr] = case how
                         when :utc_ns
                           ns = values[arg.to_sym]
                           ns.positive? ? Time.at(ns / 1_000_000_000, ns % 1_000_000_000, :nsec).utc : nil
                         when :choice then CHOICES.fetch(arg).include?(v) ? v.to_sym : v
                         when :json_object then Managers.json_object(v)
                         end
        end
        CLASSES.fetch(kind).new(**values)
      end
    end

    # JSON text -> a Hash ({} when empty, {"raw" => text} when unreadable).
    def self.json_object(text)
      text.nil? || text.empty? ? {} : JSON.parse(text)
    rescue JSON::ParserError
      { "raw" => text }
    end

    # MatrixOne's text of a vector ("[1,2.5]") -> Array of Float; anything else unchanged.
    def self.vector_from_text(value)
      return value unless value.is_a?(String) && value.start_with?("[") && value.end_with?("]")

      value[1...-1].split(",").map { |x| Float(x) }
    rescue ArgumentError
      value
    end

    # A mo_params of `values` (an Array, or nil -> nil) for the block, released afterwards
    # (HookConnection#execute).
    def self.with_params(operation, values, what = "params")
      unless values.nil? || values.is_a?(Array)
        raise MoCore.error(:invalid_argument, "#{what} must be a list of values, not #{values.class}", operation)
      end

      p = values && Core.mo_params_new
      Core.mo_rb_params_add(p, values) if p
      yield p
    ensure
      Core.mo_rb_release(p) if p
    end

    # A manager bound to a Client (autocommit), a Session (its transaction) or the
    # connection an on_connect hook receives.
    class Manager
      def initialize(owner)
        @owner = owner
      end

      def inspect
        "#<#{self.class.name} on #{@owner.inspect}>"
      end

      private

      # The call of `method` ("snapshots.create"): `values` those of the positional parameters
      # `names` (NONE: not given, and so none after it), `extra` the ones beyond
      # them, `keywords` the keyword parameters, `named` what Ruby did not bind; a block is the
      # argument `block_as` (else a mistake of operation `op`); `sql` says where SQL values are.
      def invoke(method, names, values, extra, keywords, named, blk, block_as: nil, op: method, sql: {})
        if blk && !block_as
          raise MoCore.error(:invalid_argument, "#{method.split('.').last} takes no block", op)
        end

        given = names.zip(values).take_while { |_, x| !x.equal?(NONE) } + extra.map { |x| [nil, x] }
        pairs = keywords.reject { |k, x| x.equal?(NONE) || (blk && k == block_as && x.nil?) }.to_a + named.to_a
        pairs << [block_as, blk] if blk
        w = Walk.new
        w.arguments(given, pairs, sql)
        id = w.progress && Callbacks.register_progress(w.progress)
        Core.mo_rb_call(@owner.send(:executor), method, w.shape, w.leaves, id || 0)
      ensure
        Callbacks.unregister_progress(id) if id
      end

      # The value given for a parameter, positionally or by name.
      def given(value, named, name) = value.equal?(NONE) ? named[name] : value

      # ------------------------------------------------------------ result kinds
      def record(kind, map) = map && Record.build(kind, map)
      def records(kind, list) = list.map { |map| Record.build(kind, map) }

      def owner_options
        @owner.respond_to?(:result_options, true) ? @owner.send(:result_options) : {}
      end

      # The rows as Arrays.
      def rows(h) = Result.new(h).to_a

      # The Result with the owner's result options.
      def result(h, as: nil)
        o = owner_options
        Result.new(h, as: as || o[:as] || :array, time_zone: o[:time_zone] || :local,
                      decimal: o[:decimal] || :bigdecimal, symbolize_keys: o[:symbolize_keys] || false)
      end

      # The rows as Hashes (the owner's result options). vector_column: the searched vector
      # column, whose values become Arrays of Float even where the server sends the column as
      # text (MatrixOne's vecf32/vecf64).
      def dicts(h, vector_column = nil)
        rows = result(h, as: :hash).to_a
        return rows unless vector_column

        key = owner_options[:symbolize_keys] ? vector_column.to_sym : vector_column.to_s
        rows.each { |r| r[key] = Managers.vector_from_text(r[key]) if r.key?(key) }
      end

      def ivf_stats(map)
        IvfStats.new(**map.transform_keys(&:to_sym)).tap { |s| s.distribution = s.distribution.transform_keys(&:to_sym) }
      end

      # brief: { key => TableStats } (key: the table, "tombstone", each index); detail:
      # { key => [TableStats, ...] }, one per scanned object; the sizes as C's text.
      def table_stats(map, _variant)
        map.to_h do |key, entry|
          stats = ->(e) { Record.build("table_stats", e.merge("key" => key, "original_size_text" => e.delete("original_size"), "compress_size_text" => e.delete("compress_size"))) }
          [key, entry.is_a?(Array) ? entry.map(&stats) : stats.call(entry)]
        end
      end

      def result_set(map) = ResultSet.new(**map.transform_keys(&:to_sym))

      # metadata.scan: records for "*" or [], the Result for no columns, Hashes for names.
      def metadata_scan(outcome, columns)
        return records("metadata_row", outcome) if outcome.is_a?(Array)

        columns.nil? ? result(outcome) : dicts(outcome)
      end
    end

    # The executor of a Client or Session, made on first use and released with it
    # (HookConnection has its own: the hook's borrowed one).
    module Owner
      private

      def executor
        @executor ||= new_executor(handle)
      end

      def release_executor
        ex = @executor
        @executor = nil
        Core.mo_rb_release(ex) if ex
      end
    end
  end
end
