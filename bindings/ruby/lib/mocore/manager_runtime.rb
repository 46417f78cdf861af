# frozen_string_literal: true

module MoCore
  # What the generated managers (mocore/managers.rb) call: each method is one C call
  # (bindings/managers/call.h via mo_rb_call) that checks, defaults and runs it. Here only the
  # Ruby idiom: Ruby values -> the call's shape, its outcome -> Structs, Results, rows.
  module Managers
    # "Not given": the default of every positional parameter of a generated method.
    NONE = Object.new.tap { |o| def o.inspect = "NONE" }.freeze

    # insert / batch_insert (the SDK's ResultSet: a write has no rows); get_ivf_stats (index_tables
    # "metadata"/"centroids"/"entries" => table, distribution {centroid_id: [...], ...}).
    ::MoCore::ResultSet = Struct.new(:columns, :rows, :affected_rows, keyword_init: true)
    ::MoCore::IvfStats = Struct.new(:index_tables, :distribution, :database, :table_name, :column_name,
                                    keyword_init: true)

    # A Ruby value -> shape letters and leaf values (packed by mo_rb_params_add): Symbols are
    # text, a model class its .table_name, a duration (#in_milliseconds) seconds, a callable a
    # function (the first is the progress). `sql`: how deep below the value its SQL values are
    # (params and a row 1, rows 2); there anything but nil, booleans, numbers and text is a
    # `v` the params adder converts (Hash -> JSON, Array -> vector, Time, Date, BigDecimal).
    class Walk
      attr_reader :shape, :leaves, :progress

      def initialize
        @shape = +""
        @leaves = []
      end

      # The arguments: "(" positional ")" "{" name, value ... "}".
      def arguments(positional, pairs, depth)
        nest("(", ")", positional) { |name, x| value(x, depth[name]) }
        nest("{", "}", pairs) { |name, x| [value(name.to_s), value(x, depth[name.to_sym])] }
      end

      def value(x, sql = nil)
        case x
        when nil then leaf("n", nil)
        when true, false then leaf("b", x)
        when Integer then leaf("i", x)
        when Float then leaf("d", x)
        when Symbol then leaf("s", x.to_s)
        when String then leaf(x.encoding == Encoding::BINARY ? "y" : "s", x)
        else
          if sql&.zero? then leaf("v", x)
          elsif x.is_a?(Hash) then nest("{", "}", x) { |k, e| [value(k), value(e, sql && sql - 1)] }
          elsif x.is_a?(Array) || (sql == 2 && x.respond_to?(:to_a)) # rows: any Enumerable
            nest("(", ")", x.to_a) { |e| value(e, sql && sql - 1) }
          elsif x.respond_to?(:call) then leaf("f", @progress ||= x)
          elsif x.respond_to?(:table_name) then value(x.table_name.to_s)
          elsif x.respond_to?(:in_milliseconds) then leaf("d", x.in_milliseconds / 1000.0)
          elsif x.is_a?(Numeric) && x.real? then leaf("d", x.to_f)
          else leaf("o", nil)
          end
        end
      end

      private

      def leaf(letter, x) = (@shape << letter; @leaves << (letter == "f" ? nil : x)) # f: a placeholder
      def nest(open, close, items, &blk) = (@shape << open; items.each(&blk); @shape << close)
    end

    # Records: Structs of mo_swig_record_fields from the outcome's maps; a word of a choice
    # (CHOICES) as a Symbol.
    module Record
      CLASSES = {} # kind => Struct class
      CHOICE_FIELDS = {} # kind => { attr => choices }

      def self.define(kind, const, choice_fields)
        fields = Core.mo_swig_record_fields(kind).split.map { |item| item.split(":").first.to_sym }
        CLASSES[kind] = MoCore.const_set(const, Struct.new(*fields, keyword_init: true))
        CHOICE_FIELDS[kind] = choice_fields.freeze
      end

      def self.build(kind, map)
        values = map.transform_keys(&:to_sym)
        CHOICE_FIELDS.fetch(kind).each { |attr, c| values[attr] = values[attr].to_sym if CHOICES.fetch(c).include?(values[attr]) }
        CLASSES.fetch(kind).new(**values)
      end
    end

    # A manager bound to a Client (autocommit), a Session (its transaction) or the
    # connection an on_connect hook receives.
    class Manager
      def initialize(owner) = @owner = owner
      def inspect = "#<#{self.class.name} on #{@owner.inspect}>"

      private

      # The call of `method` ("snapshots.create"): `values` of the positional parameters
      # `names` (NONE: not given, nor any after it), `extra` beyond them, `keywords` of the
      # keyword parameters, `named` what Ruby did not bind. A block is the argument `block_as`
      # (else a mistake of operation `op`); `sql`: the depth of SQL values by argument.
      def invoke(method, names, values, extra, keywords, named, blk, block_as: nil, op: method, sql: {})
        raise MoCore.error(:invalid_argument, "#{method.split('.').last} takes no block", op) if blk && !block_as

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

      def given(value, named, name) = value.equal?(NONE) ? named[name] : value # positionally or by name

      # ------------------------------------------------------------ result kinds
      # (nothing, self, owner, bool, string, count and moctl need no conversion)
      def record(kind, map) = map && Record.build(kind, map)
      def records(kind, list) = list.map { |map| Record.build(kind, map) }
      def rows(h) = Result.new(h).to_a
      def result_set(map) = ResultSet.new(**map.transform_keys(&:to_sym))

      # The Result with the owner's result options.
      def result(h, as: nil)
        o = @owner.respond_to?(:result_options, true) ? @owner.send(:result_options) : {}
        Result.new(h, as: as || o[:as] || :array, time_zone: o[:time_zone] || :local,
                      decimal: o[:decimal] || :bigdecimal, symbolize_keys: o[:symbolize_keys] || false)
      end

      # The rows as Hashes; vector_column's values Arrays of Float even where the server sends
      # the column as text (MatrixOne's vecf32/vecf64).
      def dicts(h, vector_column = nil)
        rows = result(h, as: :hash).to_a
        key = rows.first&.keys&.find { |k| k.to_s == vector_column.to_s }
        key ? rows.each { |r| r[key] = Core.mo_rb_text_vector(r[key]) } : rows
      end

      def ivf_stats(map)
        IvfStats.new(**map.transform_keys(&:to_sym), distribution: map["distribution"].transform_keys(&:to_sym))
      end

      # brief: { key => TableStats } (key: the table, "tombstone", each index); detail:
      # { key => [TableStats, ...] }, one per scanned object; the sizes as C's text.
      def table_stats(map)
        one = lambda do |key, e|
          Record.build("table_stats", e.merge("key" => key, "original_size" => nil, "compress_size" => nil,
                                              "original_size_text" => e["original_size"],
                                              "compress_size_text" => e["compress_size"]))
        end
        map.to_h { |key, e| [key, e.is_a?(Array) ? e.map { |x| one.call(key, x) } : one.call(key, e)] }
      end

      # metadata.scan: records for "*" or [], the Result without columns, Hashes for names.
      def metadata_scan(outcome, columns)
        outcome.is_a?(Array) ? records("metadata_row", outcome) : columns.nil? ? result(outcome) : dicts(outcome)
      end
    end

    # The executor of a Client or Session, made on first use (HookConnection has the hook's).
    module Owner
      private

      def executor = @executor ||= new_executor(handle)

      def release_executor
        ex = @executor
        @executor = nil
        Core.mo_rb_release(ex) if ex
      end
    end
  end
end
