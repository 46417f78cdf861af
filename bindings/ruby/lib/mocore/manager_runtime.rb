# frozen_string_literal: true

module MoCore
  # What the generated managers (mocore/managers.rb, from bindings/managers.toml) call: the
  # one argument converter (the [types] checks) with the description's one message per mistake, the arity check,
  # records and lists from the C handles, the result kinds, the owner's executor, and the few
  # method bodies the description marks custom. Messages name value kinds as the description
  # does ("an integer", "null"), never Ruby class names, so they read the same in Python, Lua
  # and Ruby. The Ruby idiom lives here too: Symbols for words, a block as the progress
  # argument, model classes with .table_name as tables.
  module Managers
    # "Not given": the default of every positional parameter of a generated method, so a
    # missing argument differs from an explicit nil.
    NONE = Object.new.tap { |o| def o.inspect = "NONE" }.freeze

    # A generated method's arguments: positional (SDK order) and keyword names, the defaults
    # of the optional positional ones, and the argument a block fills (progress).
    Signature = Struct.new(:operation, :positional, :keywords, :defaults, :callable) do
      def names = positional + keywords
    end

    # What insert / batch_insert return (the SDK's ResultSet): a write has no rows.
    ::MoCore::ResultSet = Struct.new(:columns, :rows, :affected_rows, keyword_init: true)
    # get_ivf_stats: index_tables ("metadata"/"centroids"/"entries" => table name),
    # distribution ({centroid_id: [...], centroid_version: [...], centroid_count: [...]}).
    ::MoCore::IvfStats = Struct.new(:index_tables, :distribution, :database, :table_name, :column_name,
                                    keyword_init: true)

    # The description's texts, filled in by the generated module.
    module Runtime
      @messages = {}
      @value_kinds = {}
      @types = {}

      class << self
        def messages(table) = @messages.update(table)
        def value_kinds(table) = @value_kinds.update(table)
        def types(table) = @types.update(table)

        # The checks of argument type `type` ([types]: expected, accepts, no_value, ...).
        def type(type) = @types.fetch(type)

        # The message `key` of [messages] with its {fields} filled in.
        def message(key, **fields)
          @messages.fetch(key).gsub(/\{(\w+)\}/) { fields.fetch(Regexp.last_match(1).to_sym).to_s }
        end

        # What the `type` message says a value of argument type `type` must be.
        def expected_of(type) = @types.fetch(type)[:expected]

        # The key of [value_kinds] of a value's kind.
        def kind_key(v)
          case v
          when nil then :null
          when true, false then :boolean
          when Integer then :integer
          when Numeric then :number
          when Symbol then :string
          when String then v.encoding == Encoding::BINARY ? :bytes : :string
          when Array then :list
          when Hash then :map
          else v.respond_to?(:call) ? :function : :object
          end
        end

        # The description's name of a value's kind ({got} of the messages).
        def kind_of(v) = @value_kinds.fetch(kind_key(v))

        def quoted(words) = words.map { |w| "'#{w}'" }.join(", ")
      end
    end

    # Records: Structs with the fields of mo_swig_record_fields (the one field table of
    # bindings/mocore.i), copied out of a C record handle.
    module Record
      FIELDS = {}        # kind => [[attr, accessor Method, type], ...]
      CLASSES = {}       # kind => Struct class
      CONVERSIONS = {}   # kind => { attr => [how, argument] }

      def self.define(kind, const, conversions)
        FIELDS[kind] = Core.mo_swig_record_fields(kind).split.map do |item|
          attr, suffix, type = item.split(":")
          [attr.to_sym, Core.method(:"mo_#{kind}_#{suffix}"), type]
        end.freeze
        CLASSES[kind] = MoCore.const_set(const, Struct.new(*FIELDS[kind].map(&:first), keyword_init: true))
        CONVERSIONS[kind] = conversions.freeze
      end

      def self.build(kind, h)
        values = FIELDS.fetch(kind).to_h do |attr, get, type|
          v = get.call(h)
          [attr, type == "b" ? v == 1 : v]   # "b": a flag (0/1 in C)
        end
        CONVERSIONS.fetch(kind).each do |attr, (how, arg)|
          v = values[attr]
          values[attr] = case how
                         when :utc_ns
                           ns = values[arg.to_sym]
                           ns.positive? ? Time.at(ns / 1_000_000_000, ns % 1_000_000_000, :nsec).utc : nil
                         when :choice then v && CHOICES.fetch(arg).key?(v) ? v.to_sym : v
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
      call = Call.new(operation)
      yield call.arg(:params, what, values, true)
    ensure
      call.release
    end

    # One manager call: binds the arguments to the signature, converts them (the `type`
    # methods below), owns the C handles it made and releases them when the call is over.
    class Call
      attr_reader :operation, :progress_id

      def initialize(operation)
        @operation = operation
        @handles = []
        @progress_id = nil
      end

      # `values`: the positional slots (NONE when not given) then the keyword values, in the
      # signature's order; `extra`: positional arguments beyond the signature; `named`: the
      # keywords Ruby did not bind (positional arguments given by name, or unknown ones).
      # Returns every value, defaults applied.
      def bind(sig, values, extra, named, blk)
        pos = sig.positional
        given = values.first(pos.length).index(NONE) || pos.length
        fail_with(:too_many, given: given + extra.length, max: pos.length) unless extra.empty?
        names = pos.map(&:to_s)
        unknown = named.keys.map(&:to_s).reject { |k| names.include?(k) }.sort
        fail_with(:unknown, arg: unknown.first, expected: sig.names.join(", ")) unless unknown.empty?
        values = values.dup
        named.each do |k, v|
          i = names.index(k.to_s)
          fail_with(:twice, arg: k) if i < given
          values[i] = v
        end
        take_block(sig, values, blk) if blk
        values.each_with_index do |v, i|
          next unless v.equal?(NONE)

          name = sig.names[i]
          fail_with(:missing, arg: name) unless sig.defaults.key?(name)
          values[i] = sig.defaults[name]
        end
        values
      end

      # Release what the call made (params, maps, load options, the progress registration).
      def release
        @handles.reverse_each { |h| Core.mo_rb_release(h) }
        @handles.clear
        Callbacks.unregister_progress(@progress_id) if @progress_id
        @progress_id = nil
      end

      def fail_with(key, **fields)
        raise MoCore.error(:invalid_argument, Runtime.message(key, **fields), @operation)
      end

      # ------------------------------------------------------------ the converter
      # The one converter: argument `name` of type `type` -> the value C receives. The checks
      # are the description's ([types]); what a checked value becomes is BUILD's. `words` /
      # `default`: a choice's words (a String or Symbol, any case) -> C values, the default word.
      def arg(type, name, v, optional = false, words: nil, default: nil, join: ",", empty_ok: false)
        t = Runtime.type(type)
        v = v.to_s if v.is_a?(Symbol)
        v = v.table_name if type == :table && !v.nil? && !v.is_a?(String) && v.respond_to?(:table_name)
        if v.nil?
          return words.fetch(default) if words && default
          return t[:no_value] if optional || t[:optional]

          fail_with(:missing, arg: name)
        end
        return word(name, v, words) if words

        k = Runtime.kind_key(v)
        wrong(name, type, v) if t[:accepts] && !t[:accepts].include?(k)
        fail_with(:positive, arg: name, got: v) if t[:min] && v < t[:min]
        fail_with(:empty, arg: name) if t[:non_empty] && %i[list map].include?(k) && v.empty? && !empty_ok
        BUILD.key?(type) ? send(BUILD[type], name, v, join) : v
      end

      # type -> the private method making a checked value what C receives (the other types
      # go to C as they are)
      BUILD = { names: :joined, number: :float, flag: :one_or_zero, tristate: :one_or_zero, strmap: :strmap,
                params: :params, vector: :vector, column_types: :column_types, row: :row, rows: :rows, table_mappings: :table_mappings,
                duration_ms: :duration_ms, thresholds: :thresholds }.freeze

      # mo_load_options from `values` (option => value) and the generated option table
      # `spec` [[name, setter, type, with, each]]. A progress callable is registered with
      # Callbacks: the load then runs through the extension's mo_rb_load_local_file.
      def load_options(spec, values)
        o = own(Core.mo_load_options_new)
        spec.each do |name, setter, type, with, each|
          v = values[name]
          next if setter.nil? || v.nil? || v == false || (type == :int && v == 0)
          next if each && v.respond_to?(:empty?) && v.empty?

          if type == :callable
            @progress_id = Callbacks.register_progress(arg(:callable, name.to_s, v))
          else
            set_option(Core.method(:"mo_load_options_#{setter}"), o, name.to_s, type, v, with, values[with])
          end
        end
        o
      end

      private

      def word(name, v, words)
        choices = Runtime.quoted(words.keys.sort)
        fail_with(:choice, arg: name, choices: choices, got: Runtime.kind_of(v)) unless v.is_a?(String)
        words.fetch(v.downcase) { fail_with(:choice, arg: name, choices: choices, got: "'#{v}'") }
      end

      def joined(name, v, join) = v.is_a?(Array) ? v.map { |x| arg(:string, name, x) }.join(join) : v
      def float(_name, v, _join) = v.to_f
      def one_or_zero(_name, v, _join) = v ? 1 : 0

      # A Hash of text => value -> mo_strmap.
      def strmap(name, v, _join)
        wrong(name, :strmap, v) unless v.is_a?(Hash)
        fill_strmap(v.map { |k, x| [arg(:string, name, k), map_text(name, x)] })
      end

      # Values for `?` placeholders -> mo_params.
      def params(name, v, _join)
        wrong(name, :params, v) unless v.is_a?(Array)
        p = own(Core.mo_params_new)
        Core.mo_rb_params_add(p, v)
        p
      end

      # An Array of numbers; the extension's typemap checks the elements, C rejects nil,
      # an empty vector and NaN with its own messages.
      def vector(name, v, _join)
        wrong(name, :vector, v) unless v.is_a?(Array)
        v
      end

      # One Hash column => value -> [column names, mo_params of the values].
      def row(name, v, _join)
        cols = columns_of(name, v)
        [cols, row_params(cols, [v])]
      end

      # Hashes with the same columns -> [column names, mo_params of every value, row count];
      # nil when there are none (nothing is sent).
      def rows(name, v, _join)
        v = v.to_a if !v.is_a?(Array) && !v.is_a?(Hash) && !v.is_a?(String) && v.respond_to?(:to_a)
        wrong(name, :rows, v) unless v.is_a?(Array)
        return nil if v.empty?

        fail_with(:row_type, index: 0, got: Runtime.kind_of(v[0])) unless v[0].is_a?(Hash)
        cols = columns_of(name, v[0])
        [cols, row_params(cols, v), v.length]
      end

      # create_table's columns: { name => type } or [[name, type], ...] (the typemap reads
      # the pairs).
      def column_types(name, v, _join)
        wrong(name, :column_types, v) unless v.is_a?(Hash) || v.is_a?(Array)
        v
      end

      # The SDK's table_mappings -> the mo_strmap of cdc.h: a Hash "db.t" => "sdb.st", or an
      # Array of "src:sink" Strings, [db, table], [db, table, sink_table],
      # [db, table, sink_db, sink_table] or ["db.t", "sdb.st"].
      def table_mappings(name, v, _join)
        wrong(name, :table_mappings, v) unless v.is_a?(Hash) || v.is_a?(Array)
        str = ->(x) { arg(:string, name, x) }
        fill_strmap(v.is_a?(Hash) ? v.map { |k, x| ["#{str.call(k)}:#{str.call(x)}", nil] }
                                  : v.map { |item| mapping_entry(name, item, str) })
      end

      # Seconds (a number; an ActiveSupport-like duration: #in_milliseconds) -> milliseconds.
      def duration_ms(name, v, _join = nil)
        ms = if v.respond_to?(:in_milliseconds) then v.in_milliseconds
             elsif v.is_a?(Numeric) && v.real? && (!v.is_a?(Float) || v.finite?) then v * 1000
             end
        wrong(name, :duration_ms, v) unless ms && ms.abs < 2**62
        ms.round
      end

      # { "task.table" or "table" => seconds (a duration) or "<n>ms|s|m|h" } -> mo_strmap.
      def thresholds(name, v, _join)
        wrong(name, :thresholds, v) unless v.is_a?(Hash)
        fill_strmap(v.map do |k, x|
          [arg(:string, name, k), x.is_a?(String) || x.is_a?(Symbol) ? x.to_s : "#{duration_ms(name, x)}ms"]
        end)
      end

      # One load option on `o`: a map and a list call the setter per entry; `with` is the
      # option the setter takes as its second argument.
      def set_option(set, o, name, type, v, with, with_value)
        case type
        when :strmap
          wrong(name, :strmap, v) unless v.is_a?(Hash)
          v.each { |k, x| set.call(o, arg(:string, name, k), arg(:string, name, x)) }
        when :names
          wrong(name, :names, v) unless v.is_a?(Array) || v.is_a?(String) || v.is_a?(Symbol)
          (v.is_a?(Array) ? v : [v]).each { |x| set.call(o, arg(:string, name, x)) }
        when :flag, :int then set.call(o, arg(type, name, v))
        else
          with ? set.call(o, arg(:string, name, v), arg(:flag, with.to_s, with_value || false)) : set.call(o, arg(:string, name, v))
        end
      end

      def wrong(name, type, v)
        fail_with(:type, arg: name, expected: Runtime.expected_of(type), got: Runtime.kind_of(v))
      end

      def own(handle)
        @handles << handle
        handle
      end

      def fill_strmap(pairs)
        m = own(Core.mo_strmap_new)
        pairs.each { |k, x| Core.mo_strmap_set(m, k, x) }
        m
      end

      # A map value as text: Strings, Symbols, numbers, true/false; nil (a key without a
      # value). Any other object is refused: its #to_s is no value for SQL.
      def map_text(name, x)
        case x
        when nil, String then x
        when true, false, Symbol, Integer, Float then x.to_s
        else
          fail_with(:type, arg: "#{name} value", expected: "#{Runtime.expected_of(:string)}, a number or a boolean",
                           got: Runtime.kind_of(x))
        end
      end

      def mapping_entry(name, item, str)
        if item.is_a?(String) || item.is_a?(Symbol)
          [str.call(item), nil]
        elsif item.is_a?(Array) && item.length == 2 && item.all? { |x| x.is_a?(String) && x.include?(".") }
          ["#{item[0]}:#{item[1]}", nil]
        elsif item.is_a?(Array) && (2..4).cover?(item.length)
          parts = item.map { |x| str.call(x) }
          value = case parts.length
                  when 2 then nil
                  when 3 then parts[2]
                  else "#{parts[2]}.#{parts[3]}"
                  end
          ["#{parts[0]}.#{parts[1]}", value]
        else
          wrong(name, :table_mappings, item)
        end
      end

      def column_text(k) = arg(:string, "column name", k)

      def columns_of(name, row)
        wrong(name, :row, row) unless row.is_a?(Hash)
        fail_with(:empty, arg: name) if row.empty?
        row.keys.map { |k| column_text(k) }
      end

      def row_params(cols, rows)
        p = own(Core.mo_params_new)
        rows.each_with_index do |row, i|
          fail_with(:row_type, index: i, got: Runtime.kind_of(row)) unless row.is_a?(Hash)
          by_name = row.to_h { |k, x| [column_text(k), x] }
          if by_name.length != row.length || by_name.length != cols.length || !cols.all? { |c| by_name.key?(c) }
            fail_with(:row_columns, index: i, got: Runtime.quoted(row.keys.map(&:to_s).sort),
                                    expected: Runtime.quoted(cols))
          end
          Core.mo_rb_params_add(p, cols.map { |c| by_name[c] })
        end
        p
      end

      def take_block(sig, values, blk)
        i = sig.callable && sig.names.index(sig.callable)
        raise MoCore.error(:invalid_argument, "#{@operation.split('.').last} takes no block", @operation) unless i
        fail_with(:twice, arg: sig.callable) unless values[i].equal?(NONE) || values[i].nil?
        values[i] = blk
      end
    end

    # A manager bound to a Client (autocommit), a Session (its transaction) or the
    # connection an on_connect hook receives.
    class Manager
      SIGNATURES = {}.freeze

      def initialize(owner)
        @owner = owner
      end

      def inspect
        "#<#{self.class.name} on #{@owner.inspect}>"
      end

      private

      def ex = @owner.send(:executor)

      # Bind, convert (in the block), release. A check of a C helper (a NUL in a string
      # names the C function, a load option setter "load_options.set_...") is reported as
      # this method's, like every other argument error.
      def run(meth, values, extra, named, blk)
        sig = self.class::SIGNATURES.fetch(meth)
        cv = Call.new(sig.operation)
        yield(cv, *cv.bind(sig, values, extra, named, blk))
      rescue InvalidArgumentError => e
        raise unless e.operation.start_with?("mo_", "load_options.")

        raise MoCore.error(:invalid_argument, e.message, sig.operation)
      ensure
        cv&.release
      end

      # ------------------------------------------------------------ result kinds
      # An owned record handle -> its Struct (the handle is released).
      def record(kind, h)
        Record.build(kind, h)
      ensure
        Core.mo_rb_release(h) if h
      end

      # An owned list handle -> Array of Structs (its items are borrowed from it).
      def records(kind, lst)
        Array.new(Core.public_send(:"mo_#{kind}_list_count", lst)) do |i|
          item = Core.public_send(:"mo_#{kind}_list_get", lst, i)
          begin
            Record.build(kind, item)
          ensure
            Core.mo_rb_release(item) # detach the borrowed item: it dies with the list
          end
        end
      ensure
        Core.mo_rb_release(lst) if lst
      end

      def owner_options
        @owner.respond_to?(:result_options, true) ? @owner.send(:result_options) : {}
      end

      # The rows as Arrays.
      def rows(h) = Result.new(h).to_a

      # The Result with the owner's result options.
      def result(h)
        o = owner_options
        Result.new(h, as: o[:as] || :array, time_zone: o[:time_zone] || :local, decimal: o[:decimal] || :bigdecimal,
                      symbolize_keys: o[:symbolize_keys] || false)
      end

      # The rows as Hashes (the owner's result options). vector_column: the searched vector
      # column, whose values become Arrays of Float even where the server sends the column as
      # text (MatrixOne's vecf32/vecf64).
      def dicts(h, vector_column = nil)
        o = owner_options
        rows = Result.new(h, as: :hash, time_zone: o[:time_zone] || :local, decimal: o[:decimal] || :bigdecimal,
                             symbolize_keys: o[:symbolize_keys] || false).to_a
        return rows unless vector_column

        key = o[:symbolize_keys] ? vector_column.to_sym : vector_column
        rows.each { |r| r[key] = Managers.vector_from_text(r[key]) if r.key?(key) }
      end

      # mo_ctl's answer as parsed JSON ({"method" => ..., "result" => [{"returnStr" => "OK"}]}).
      def moctl(h)
        text = Core.mo_moctl_result_json(h)
        begin
          return JSON.parse(text) unless text.nil? || text.empty?
        rescue JSON::ParserError
          nil
        end
        { "method" => Core.mo_moctl_result_method(h), "result" => [{ "returnStr" => Core.mo_moctl_result_return_str(h) }] }
      ensure
        Core.mo_rb_release(h)
      end

      def ivf_stats(s)
        tables = %w[metadata centroids entries].each_with_object({}) do |kind, t|
          name = Core.mo_ivf_stats_index_table(s, kind)
          t[kind] = name if name
        end
        dist = { centroid_id: [], centroid_version: [], centroid_count: [] }
        Core.mo_ivf_stats_centroid_count(s).times do |i|
          id, version, count = Core.mo_ivf_stats_centroid(s, i)
          dist[:centroid_id] << id
          dist[:centroid_version] << version
          dist[:centroid_count] << count
        end
        IvfStats.new(index_tables: tables, distribution: dist, database: Core.mo_ivf_stats_database(s),
                     table_name: Core.mo_ivf_stats_table_name(s), column_name: Core.mo_ivf_stats_column_name(s))
      ensure
        Core.mo_rb_release(s)
      end

      # brief: { key => TableStats } (key: the table, "tombstone", each index); detail:
      # { key => [TableStats, ...] }, one per scanned object.
      def table_stats(lst, variant)
        list = records("table_stats", lst)
        variant == :brief ? list.to_h { |s| [s.key, s] } : list.group_by(&:key)
      end

      def result_set(affected) = ResultSet.new(columns: [], rows: [], affected_rows: affected)

      # ------------------------------------------------------------ custom bodies
      # output selects what reaches C's single output_target: the file, the table, or neither.
      def custom_branch_diff_table(cv, table, against_table, snapshot_name, output, table_snapshot, limit,
                                   output_file, output_table)
        mode = cv.arg(:choice, "output", output, words: CHOICES["branch_diff_output"], default: "rows")
        target = case mode
                 when Core::MO_BRANCH_DIFF_FILE then cv.arg(:string, "output_file", output_file)
                 when Core::MO_BRANCH_DIFF_AS_TABLE then cv.arg(:string, "output_table", output_table)
                 end
        n = mode == Core::MO_BRANCH_DIFF_LIMIT ? cv.arg(:positive, "limit", limit) : 0
        rows(Core.mo_branch_diff_table(ex, cv.arg(:table, "table", table),
                                       cv.arg(:string, "table_snapshot", table_snapshot, true),
                                       cv.arg(:table, "against_table", against_table),
                                       cv.arg(:string, "snapshot_name", snapshot_name, true), mode, n, target))
      end

      # columns nil -> the Result (a cursor); "*" or [] -> Array of MetadataRow; names (an
      # Array or "a, b") -> Array of Hashes with those keys.
      def custom_metadata_scan(cv, dbname, tablename, is_tombstone, indexname, columns, distinct_object_name)
        args = [ex, cv.arg(:string, "dbname", dbname), cv.arg(:string, "tablename", tablename),
                cv.arg(:flag, "is_tombstone", is_tombstone, true), cv.arg(:string, "indexname", indexname, true),
                cv.arg(:flag, "distinct_object_name", distinct_object_name, true)]
        if columns == "*" || columns == :* || columns == []
          records("metadata_row", Core.mo_metadata_scan_rows(*args))
        elsif columns.nil?
          result(Core.mo_metadata_scan(*args, nil))
        else
          dicts(Core.mo_metadata_scan(*args, cv.arg(:names, "columns", columns, join: ", ")))
        end
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
