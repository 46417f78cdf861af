# frozen_string_literal: true

module MoCore
  # Managers-B with the MatrixOne Python SDK's names: client.vector_ops, client.fulltext_index,
  # client.metadata, client.moctl, the table helpers client.insert / batch_insert /
  # create_table / drop_table, and the connection hooks (Client.new(on_connect: ...)). The same
  # on a session (inside its transaction) and on the connection a hook block receives.
  #
  # Arguments by position (the SDK's order) or keyword, defaults as in the SDK (see
  # Managers::DSL). The SQL is built in C (capi/mocore/vector.h, fulltext.h, metadata.h,
  # moctl.h, table.h, hooks.h): names are quoted identifiers, values escaped literals or typed
  # parameters. Differences from the SDK, all deliberate (docs/managers.md):
  # - searches return Arrays of Hashes (column name => value); `where_clause` is SQL written
  #   by the caller: put values in `where_params:` (`?` placeholders), never paste them;
  # - an unknown distance_type / op_type / rank_mode / mode is InvalidArgumentError;
  # - log_mode: is checked but the client's log mode applies;
  # - on_connect defaults to no actions (the SDK's default is :enable_all).
  #
  # Records are Structs: MoCore::MetadataRow, MoCore::TableStats (generated from the field
  # table of bindings/mocore.i), MoCore::IvfStats, MoCore::ResultSet.
  module Managers
    # What insert / batch_insert return (the SDK's ResultSet): a write has no rows.
    ::MoCore::ResultSet = Struct.new(:columns, :rows, :affected_rows, keyword_init: true)
    # get_ivf_stats: index_tables ("metadata"/"centroids"/"entries" => table name),
    # distribution ({centroid_id: [...], centroid_version: [...], centroid_count: [...]}).
    ::MoCore::IvfStats = Struct.new(:index_tables, :distribution, :database, :table_name, :column_name,
                                    keyword_init: true)

    DISTANCES = { "l2" => Core::MO_VECTOR_L2, "cosine" => Core::MO_VECTOR_COSINE,
                  "inner_product" => Core::MO_VECTOR_INNER_PRODUCT }.freeze
    OP_TYPES = { "vector_l2_ops" => Core::MO_VECTOR_L2, "vector_cosine_ops" => Core::MO_VECTOR_COSINE,
                 "vector_ip_ops" => Core::MO_VECTOR_INNER_PRODUCT }.freeze
    RANK_MODES = { "post" => Core::MO_IVF_RANK_POST, "pre" => Core::MO_IVF_RANK_PRE,
                   "force" => Core::MO_IVF_RANK_FORCE }.freeze
    FULLTEXT_MODES = { "natural" => Core::MO_FULLTEXT_NATURAL, "natural_language" => Core::MO_FULLTEXT_NATURAL,
                       "boolean" => Core::MO_FULLTEXT_BOOLEAN,
                       "query_expansion" => Core::MO_FULLTEXT_QUERY_EXPANSION }.freeze
    LOG_MODES = [nil, "off", "auto", "simple", "full"].freeze

    # A Symbol or String (any case) of `table` -> its C value; nil -> the default's.
    def self.choice(operation, name, value, table, default)
      return table.fetch(default) if value.nil?
      key = value.is_a?(Symbol) || value.is_a?(String) ? value.to_s.downcase : nil
      table.fetch(key) do
        raise MoCore.error(:invalid_argument, "#{name} must be one of #{table.keys.map(&:to_sym).inspect}, " \
                                              "got #{value.inspect}", operation)
      end
    end

    def self.check_log_mode(operation, value)
      return if LOG_MODES.include?(value.is_a?(Symbol) ? value.to_s : value)
      raise MoCore.error(:invalid_argument,
                         "Invalid log_mode #{value.inspect}. Must be one of 'off', 'auto', 'simple', 'full'", operation)
    end

    # A mo_params of `values` (an Array) for the block, released afterwards; nil -> nil.
    def self.with_params(operation, values, what = "where_params")
      if values.nil?
        return yield(nil)
      end
      unless values.is_a?(Array)
        raise MoCore.error(:invalid_argument, "#{what} must be an Array of values, not #{values.class}", operation)
      end
      p = Core.mo_params_new
      begin
        Core.mo_rb_params_add(p, values)
        yield p
      ensure
        Core.mo_rb_release(p)
      end
    end

    # Rows (Hashes column => value, String or Symbol keys) -> [column names, their values row
    # after row]. Every row needs exactly the first row's columns.
    def self.rows_of(operation, rows)
      first = rows.first
      unless first.is_a?(Hash) && !first.empty?
        raise MoCore.error(:invalid_argument, "data must be a non-empty Hash (column => value)", operation)
      end
      cols = first.keys.map { |k| convert(operation, :column, :str, k) }
      values = []
      rows.each_with_index do |row, i|
        unless row.is_a?(Hash)
          raise MoCore.error(:invalid_argument, "row #{i} must be a Hash (column => value), not #{row.class}", operation)
        end
        by_name = row.to_h { |k, v| [convert(operation, :column, :str, k), v] }
        if by_name.length != row.length || by_name.length != cols.length || !cols.all? { |c| by_name.key?(c) }
          raise MoCore.error(:invalid_argument,
                             "row #{i} has columns #{row.keys.inspect}; every row needs exactly #{cols.inspect}", operation)
        end
        values.concat(cols.map { |c| by_name[c] })
      end
      [cols, values]
    end

    # The Managers-B argument types of DSL#op (see Managers.convert for the others).
    def self.convert_b(operation, name, type, v)
      bad = ->(what) { raise MoCore.error(:invalid_argument, "#{name} must be #{what}, not #{v.class}", operation) }
      case type
      when :table
        # a String/Symbol ("db.table" allowed) or a model class with .table_name (ActiveRecord)
        v = v.table_name if !v.is_a?(String) && !v.is_a?(Symbol) && v.respond_to?(:table_name)
        convert(operation, name, :str, v)
      when :vector
        return nil if v.nil? # the C side says "query vector is NULL"
        bad.call("an Array of numbers") unless v.is_a?(Array) && v.all? { |x| x.is_a?(Integer) || x.is_a?(Float) }
        v
      when :positive
        bad.call("an Integer") unless v.is_a?(Integer)
        raise MoCore.error(:invalid_argument, "#{name} must be > 0, got #{v}", operation) unless v.positive?
        v
      when :opt_positive
        v.nil? ? 0 : convert_b(operation, name, :positive, v)
      when :number
        bad.call("a number") unless v.is_a?(Integer) || v.is_a?(Float)
        v.to_f
      when :bool # the SDK's truthiness: nil/false -> 0
        v ? 1 : 0
      when :data
        bad.call("a non-empty Hash (column => value)") unless v.is_a?(Hash) && !v.empty?
        v
      when :rows
        v = v.to_a if v.respond_to?(:to_a) && !v.is_a?(Array) && !v.is_a?(Hash)
        bad.call("an Array of Hashes") unless v.is_a?(Array)
        v
      when :columns # create_table: { name => type } or [[name, type], ...]
        ok = (v.is_a?(Hash) || v.is_a?(Array)) && !v.empty?
        bad.call("a non-empty Hash (column name => type)") unless ok
        v
      else convert(operation, name, type, v)
      end
    end

    # Manager base for Managers-B: the DSL with the extra argument types.
    class BaseB < Base
      def self.op(meth, operation, params, &body)
        names = params.map(&:first)
        define_method(meth) do |*args, **kw|
          MoCore::Managers.call_op_b(self, operation, params, names, args, kw, body)
        end
      end

      private

      # A Result's rows as Hashes (the owner's result options: symbolize_keys, time_zone...).
      # vector_column: the searched vector column, whose values become Arrays of Float even
      # where the server sends the column as text (MatrixOne's vecf32/vecf64).
      def hashes(h, vector_column = nil)
        opts = @owner.respond_to?(:result_options, true) ? @owner.send(:result_options) : {}
        rows = Result.new(h, as: :hash, time_zone: opts[:time_zone] || :local, decimal: opts[:decimal] || :bigdecimal,
                             symbolize_keys: opts[:symbolize_keys] || false).to_a
        return rows unless vector_column
        key = opts[:symbolize_keys] ? vector_column.to_sym : vector_column
        rows.each { |r| r[key] = Managers.vector_from_text(r[key]) if r.key?(key) }
      end

      def result(h)
        opts = @owner.respond_to?(:result_options, true) ? @owner.send(:result_options) : {}
        Result.new(h, as: opts[:as] || :array, time_zone: opts[:time_zone] || :local,
                      decimal: opts[:decimal] || :bigdecimal, symbolize_keys: opts[:symbolize_keys] || false)
      end
    end

    # MatrixOne's text of a vector ("[1,2.5]") -> Array of Float; anything else unchanged.
    def self.vector_from_text(value)
      return value unless value.is_a?(String) && value.start_with?("[") && value.end_with?("]")
      value[1...-1].split(",").map { |x| Float(x) }
    rescue ArgumentError
      value
    end

    # Managers.call_op with convert_b for the argument types.
    def self.call_op_b(manager, operation, params, names, args, kw, body)
      if args.length > params.length
        raise MoCore.error(:invalid_argument,
                           "too many arguments (#{args.length} for at most #{params.length})", operation)
      end
      unknown = kw.keys - names
      unless unknown.empty?
        raise MoCore.error(:invalid_argument, "unknown argument#{'s' if unknown.length > 1} " \
                                              "#{unknown.map(&:inspect).join(', ')}; expected #{names.join(', ')}",
                           operation)
      end
      values = {}
      params.each_with_index do |(name, type, *default), i|
        given_pos = i < args.length
        raise MoCore.error(:invalid_argument, "#{name} given twice", operation) if given_pos && kw.key?(name)
        present = given_pos || kw.key?(name)
        v = given_pos ? args[i] : kw[name]
        unless present
          raise MoCore.error(:invalid_argument, "#{name} is required", operation) if default.empty?
          v = default.first
        end
        values[name] = type == :any ? v : convert_b(operation, name, type, v)
      end
      manager.instance_exec(values, &body)
    end

    # client.vector_ops (MatrixOne; drop and insert run everywhere). Methods that change
    # something return the manager, so calls chain as in the SDK. Vectors are Arrays of
    # numbers (sent as float64 text). op_type: :vector_l2_ops (default), :vector_cosine_ops,
    # :vector_ip_ops; distance_type: :l2 (default), :cosine, :inner_product; rank_mode: :post
    # (default), :pre, :force.
    class VectorManager < BaseB
      op :create_ivf, "vector_ops.create_ivf",
         [[:table_name, :table], [:name, :str], [:column, :str], [:lists, :positive, 100], [:op_type, :any, nil]] do |a|
        Core.mo_vector_create_ivf(ex, a[:table_name], a[:name], a[:column], a[:lists],
                                  Managers.choice("vector_ops.create_ivf", :op_type, a[:op_type], OP_TYPES,
                                                  "vector_l2_ops"))
        self
      end
      op :create_hnsw, "vector_ops.create_hnsw",
         [[:table_name, :table], [:name, :str], [:column, :str], [:m, :positive, 16],
          [:ef_construction, :positive, 200], [:ef_search, :positive, 50], [:op_type, :any, nil]] do |a|
        Core.mo_vector_create_hnsw(ex, a[:table_name], a[:name], a[:column], a[:m], a[:ef_construction],
                                   a[:ef_search], Managers.choice("vector_ops.create_hnsw", :op_type, a[:op_type],
                                                                  OP_TYPES, "vector_l2_ops"))
        self
      end
      op :drop, "vector_ops.drop", [[:table_name, :table], [:name, :str]] do |a|
        Core.mo_vector_drop(ex, a[:table_name], a[:name])
        self
      end
      op :enable_ivf, "vector_ops.enable_ivf", [[:probe_limit, :positive, 1]] do |a|
        Core.mo_vector_enable_ivf(ex, a[:probe_limit])
        self
      end
      op(:disable_ivf, "vector_ops.disable_ivf", []) { |_a| Core.mo_vector_disable_ivf(ex); self }
      op(:enable_hnsw, "vector_ops.enable_hnsw", []) { |_a| Core.mo_vector_enable_hnsw(ex); self }
      op(:disable_hnsw, "vector_ops.disable_hnsw", []) { |_a| Core.mo_vector_disable_hnsw(ex); self }
      op :insert, "vector_ops.insert", [[:table_name, :table], [:data, :data]] do |a|
        cols, values = Managers.rows_of("vector_ops.insert", [a[:data]])
        Managers.with_params("vector_ops.insert", values, "data") do |p|
          Core.mo_vector_insert(ex, a[:table_name], cols, p)
        end
        self
      end
      op :batch_insert, "vector_ops.batch_insert", [[:table_name, :table], [:data_list, :rows]] do |a|
        rows = a[:data_list]
        unless rows.empty?
          cols, values = Managers.rows_of("vector_ops.batch_insert", rows)
          Managers.with_params("vector_ops.batch_insert", values, "data_list") do |p|
            Core.mo_vector_batch_insert(ex, a[:table_name], cols, p, rows.length)
          end
        end
        self
      end
      op :similarity_search, "vector_ops.similarity_search",
         [[:table_name, :table], [:vector_column, :str], [:query_vector, :vector], [:limit, :positive, 10],
          [:select_columns, :opt_names, nil], [:where_clause, :opt_str, nil], [:distance_type, :any, "l2"],
          [:log_mode, :any, nil], [:where_params, :any, nil]] do |a|
        op = "vector_ops.similarity_search"
        Managers.check_log_mode(op, a[:log_mode])
        dist = Managers.choice(op, :distance_type, a[:distance_type], DISTANCES, "l2")
        Managers.with_params(op, a[:where_params]) do |p|
          hashes(Core.mo_vector_similarity_search(ex, a[:table_name], a[:vector_column], a[:query_vector],
                                                  a[:limit], a[:select_columns], a[:where_clause], p, dist), a[:vector_column])
        end
      end
      op :range_search, "vector_ops.range_search",
         [[:table_name, :table], [:vector_column, :str], [:query_vector, :vector], [:max_distance, :number],
          [:select_columns, :opt_names, nil], [:where_clause, :opt_str, nil], [:log_mode, :any, nil],
          [:where_params, :any, nil]] do |a|
        op = "vector_ops.range_search"
        Managers.check_log_mode(op, a[:log_mode])
        Managers.with_params(op, a[:where_params]) do |p|
          hashes(Core.mo_vector_range_search(ex, a[:table_name], a[:vector_column], a[:query_vector],
                                             a[:max_distance], a[:select_columns], a[:where_clause], p), a[:vector_column])
        end
      end
      op :search_with_rank, "vector_ops.search_with_rank",
         [[:table_name, :table], [:vector_column, :str], [:query_vector, :vector], [:limit, :positive, 10],
          [:select_columns, :opt_names, nil], [:where_clause, :opt_str, nil], [:distance_type, :any, "l2"],
          [:rank_mode, :any, nil], [:log_mode, :any, nil], [:where_params, :any, nil]] do |a|
        op = "vector_ops.search_with_rank"
        Managers.check_log_mode(op, a[:log_mode])
        dist = Managers.choice(op, :distance_type, a[:distance_type], DISTANCES, "l2")
        rank = Managers.choice(op, :rank_mode, a[:rank_mode], RANK_MODES, "post")
        Managers.with_params(op, a[:where_params]) do |p|
          hashes(Core.mo_vector_search_with_rank(ex, a[:table_name], a[:vector_column], a[:query_vector],
                                                 a[:limit], a[:select_columns], a[:where_clause], p, dist, rank), a[:vector_column])
        end
      end
      # column_name nil: the table's only vector column; database nil: the connection's.
      op :get_ivf_stats, "vector_ops.get_ivf_stats",
         [[:table_name, :table], [:column_name, :opt_str, nil], [:database, :opt_str, nil]] do |a|
        s = Core.mo_vector_get_ivf_stats(ex, a[:table_name], a[:column_name], a[:database])
        begin
          tables = %w[metadata centroids entries].each_with_object({}) do |kind, h|
            t = Core.mo_ivf_stats_index_table(s, kind)
            h[kind] = t if t
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
      end
    end

    # client.fulltext_index. create/drop/search are plain MySQL (also MariaDB/MySQL); the
    # experimental switch and the json parser are MatrixOne's. mode: :natural (default),
    # :boolean, :query_expansion.
    class FulltextIndexManager < BaseB
      # columns: a name, "a, b" or an Array; algorithm is accepted as the SDK's (which never
      # sends it); parser: nil, "ngram" or "json".
      op :create, "fulltext_index.create",
         [[:table_name, :table], [:name, :str], [:columns, :names], [:algorithm, :opt_str, "TF-IDF"],
          [:parser, :opt_str, nil]] do |a|
        Core.mo_fulltext_create(ex, a[:table_name], a[:name], a[:columns], a[:parser])
        self
      end
      op :drop, "fulltext_index.drop", [[:table_name, :table], [:name, :str]] do |a|
        Core.mo_fulltext_drop(ex, a[:table_name], a[:name])
        self
      end
      op(:enable_fulltext, "fulltext_index.enable_fulltext", []) { |_a| Core.mo_fulltext_enable(ex); self }
      op(:disable_fulltext, "fulltext_index.disable_fulltext", []) { |_a| Core.mo_fulltext_disable(ex); self }
      # MATCH(columns) AGAINST(query [mode]) -> Array of Hashes.
      op :search, "fulltext_index.search",
         [[:table_name, :table], [:columns, :names], [:query, :str], [:mode, :any, "natural"],
          [:select_columns, :opt_names, nil], [:where_clause, :opt_str, nil], [:limit, :opt_positive, nil],
          [:where_params, :any, nil]] do |a|
        op = "fulltext_index.search"
        mode = Managers.choice(op, :mode, a[:mode], FULLTEXT_MODES, "natural")
        Managers.with_params(op, a[:where_params]) do |p|
          hashes(Core.mo_fulltext_search(ex, a[:table_name], a[:columns], a[:query], mode, a[:select_columns],
                                         a[:where_clause], p, a[:limit]))
        end
      end
    end

    # client.metadata (MatrixOne metadata_scan).
    class MetadataManager < BaseB
      # columns nil -> the Result (a cursor); "*" or [] -> Array of MetadataRow; names (an
      # Array or "a, b") -> Array of Hashes with those keys.
      op :scan, "metadata.scan",
         [[:dbname, :str], [:tablename, :str], [:is_tombstone, :bool, nil], [:indexname, :opt_str, nil],
          [:columns, :any, nil], [:distinct_object_name, :bool, nil]] do |a|
        args = [ex, a[:dbname], a[:tablename], a[:is_tombstone], a[:indexname], a[:distinct_object_name]]
        cols = a[:columns]
        if cols == "*" || cols == :* || cols == []
          take_list("metadata_row", Core.mo_metadata_scan_rows(*args))
        elsif cols.nil?
          result(Core.mo_metadata_scan(*args, nil))
        else
          hashes(Core.mo_metadata_scan(*args, Managers.convert("metadata.scan", :columns, :names, cols)))
        end
      end
      # { key => TableStats } (key: the table, "tombstone", each index).
      op :get_table_brief_stats, "metadata.get_table_brief_stats",
         [[:dbname, :str], [:tablename, :str], [:is_tombstone, :bool, nil], [:indexname, :opt_str, nil],
          [:include_tombstone, :bool, false], [:include_indexes, :opt_names, nil]] do |a|
        take_list("table_stats", Core.mo_metadata_brief_stats(ex, a[:dbname], a[:tablename], a[:is_tombstone],
                                                              a[:indexname], a[:include_tombstone],
                                                              a[:include_indexes])).to_h { |s| [s.key, s] }
      end
      # { key => [TableStats, ...] }: one per scanned object.
      op :get_table_detail_stats, "metadata.get_table_detail_stats",
         [[:dbname, :str], [:tablename, :str], [:is_tombstone, :bool, nil], [:indexname, :opt_str, nil],
          [:include_tombstone, :bool, false], [:include_indexes, :opt_names, nil]] do |a|
        take_list("table_stats", Core.mo_metadata_detail_stats(ex, a[:dbname], a[:tablename], a[:is_tombstone],
                                                               a[:indexname], a[:include_tombstone],
                                                               a[:include_indexes])).group_by(&:key)
      end
    end

    # client.moctl (MatrixOne mo_ctl). Each returns the server's answer as parsed JSON
    # ({"method" => ..., "result" => [{"returnStr" => "OK"}]}); a returnStr other than OK
    # raises ServerError "mo_ctl operation failed: ...".
    class MoCtlManager < BaseB
      op :flush_table, "moctl.flush_table", [[:database, :str], [:table, :str]] do |a|
        answer(Core.mo_moctl_flush_table(ex, a[:database], a[:table]))
      end
      op(:increment_checkpoint, "moctl.increment_checkpoint", []) { |_a| answer(Core.mo_moctl_increment_checkpoint(ex)) }
      op(:global_checkpoint, "moctl.global_checkpoint", []) { |_a| answer(Core.mo_moctl_global_checkpoint(ex)) }

      private

      def answer(h)
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
    end

    # The SDK's Client.insert / batch_insert / create_table / drop_table (Access delegates).
    class TableHelpers < BaseB
      op :insert, "table.insert", [[:table_name, :table], [:data, :data]] do |a|
        cols, values = Managers.rows_of("table.insert", [a[:data]])
        n = Managers.with_params("table.insert", values, "data") do |p|
          Core.mo_table_insert(ex, a[:table_name], cols, p)
        end
        ResultSet.new(columns: [], rows: [], affected_rows: n)
      end
      op :batch_insert, "table.batch_insert", [[:table_name, :table], [:data_list, :rows]] do |a|
        rows = a[:data_list]
        next ResultSet.new(columns: [], rows: [], affected_rows: 0) if rows.empty?
        cols, values = Managers.rows_of("table.batch_insert", rows)
        n = Managers.with_params("table.batch_insert", values, "data_list") do |p|
          Core.mo_table_batch_insert(ex, a[:table_name], cols, p, rows.length)
        end
        ResultSet.new(columns: [], rows: [], affected_rows: n)
      end
      # columns: { name => type } (the SDK's type strings: "int", "varchar(100)",
      # "vecf32(128)", ...) or [[name, type], ...]; primary_key: a name or an Array of names.
      op :create_table, "table.create_table",
         [[:table_name, :table], [:columns, :columns], [:primary_key, :opt_names, nil]] do |a|
        Core.mo_table_create(ex, a[:table_name], a[:columns], a[:primary_key])
        @owner
      end
      op :drop_table, "table.drop_table", [[:table_name, :table]] do |a|
        Core.mo_table_drop(ex, a[:table_name])
        @owner
      end
    end

    # The Managers-B attributes of Client, Session and HookConnection.
    module AccessB
      def vector_ops = Managers::VectorManager.new(self)
      def fulltext_index = Managers::FulltextIndexManager.new(self)
      def metadata = Managers::MetadataManager.new(self)
      def moctl = Managers::MoCtlManager.new(self)

      # INSERT INTO table (cols) VALUES (...) of one Hash (column => value); values are typed
      # parameters (nil, numbers, Strings, binary Strings, Date/Time, BigDecimal, Hash as JSON,
      # Arrays of numbers as vectors). Returns a ResultSet with affected_rows.
      def insert(*args, **kw) = Managers::TableHelpers.new(self).insert(*args, **kw)

      # Rows (Hashes with the same columns) as multi-row INSERTs, each under the server's
      # max_allowed_packet. An empty Array sends nothing.
      def batch_insert(*args, **kw) = Managers::TableHelpers.new(self).batch_insert(*args, **kw)

      # CREATE TABLE; returns self (chainable, as in the SDK).
      def create_table(*args, **kw) = Managers::TableHelpers.new(self).create_table(*args, **kw)

      # DROP TABLE IF EXISTS; returns self.
      def drop_table(*args, **kw) = Managers::TableHelpers.new(self).drop_table(*args, **kw)
    end
  end
end
