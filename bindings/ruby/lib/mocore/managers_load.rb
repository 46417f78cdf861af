# frozen_string_literal: true

module MoCore
  # client.load_data, client.stage, client.cdc and client.export with the MatrixOne Python
  # SDK's method and argument names, on a client (autocommit) and on a session (inside its
  # transaction). Arguments by position (the SDK's order) or keyword, defaults as in the SDK;
  # the load options (fields_terminated_by:, ignore_lines:, columns:, ...) and the export
  # options (sep:, quotechar:, ...) are keyword arguments only, as in the SDK.
  #
  # The SQL is built in C (capi/mocore/load_data.h, stage.h, cdc.h, export.h): names are
  # quoted identifiers, values escaped literals. Differences from the SDK, all deliberate
  # (docs/managers.md):
  # - loads and exports return the number of rows loaded / written (0 in dry-run);
  # - LOAD DATA LOCAL (from_local_file) reads only files under a directory given to
  #   Client.new(..., local_infile_dirs: [...]); any other path is InvalidArgumentError with
  #   nothing sent. `progress:` (a callable, or a block) is called as (bytes_sent, total_bytes)
  #   while the file is sent, on the calling thread with the GVL held;
  # - set_clause: is a Hash column => SQL expression ({ "name" => "UPPER(@n)" }), checked for
  #   ';', comments and unbalanced quotes;
  # - credentials, options, table mappings and thresholds are Hashes (insertion order kept);
  # - stage and cdc are MatrixOne only: on MySQL/MariaDB they raise UnsupportedError with
  #   nothing sent.
  #
  # Records are Structs: MoCore::Stage, MoCore::CDCTaskInfo (additional_config a Hash),
  # MoCore::CDCWatermarkInfo (generated from the field table of bindings/mocore.i).
  module Managers
    # The SDK's orient -> MatrixOne's jsondata (anything else: "object", as the SDK).
    ORIENTS = { "records" => "object", "values" => "array" }.freeze

    # The load options (keyword arguments of from_file, from_local_file, from_stage,
    # from_inline), with their SDK defaults.
    LOAD_OPTIONS = [
      [:fields_terminated_by, :opt_str, ","], [:fields_enclosed_by, :opt_str, nil],
      [:fields_optionally_enclosed, :flag, false], [:fields_escaped_by, :opt_str, nil],
      [:lines_terminated_by, :opt_str, nil], [:lines_starting_by, :opt_str, nil],
      [:ignore_lines, :int, 0], [:character_set, :opt_str, nil], [:parallel, :flag, false],
      [:columns, :any, nil], [:format, :opt_str, nil], [:jsondata, :opt_str, nil],
      [:compression, :opt_str, nil], [:set_clause, :any, nil]
    ].freeze
    # The same, converted (flags as 0/1), for the SDK's read_* shortcuts.
    LOAD_DEFAULTS = { fields_terminated_by: ",", fields_enclosed_by: nil, fields_optionally_enclosed: 0,
                      fields_escaped_by: nil, lines_terminated_by: nil, lines_starting_by: nil,
                      ignore_lines: 0, character_set: nil, parallel: 0, columns: nil, format: nil,
                      jsondata: nil, compression: nil, set_clause: nil, progress: nil }.freeze

    # A mo_load_options of `a` (converted option values, LOAD_DEFAULTS' keys) and the id of its
    # progress proc (registered in Callbacks; nil without one) for the block; released and
    # unregistered afterwards.
    def self.with_load_options(operation, a)
      a = LOAD_DEFAULTS.merge(a.slice(*LOAD_DEFAULTS.keys))
      o = Core.mo_load_options_new
      id = nil
      begin
        set_load_options(o, operation, a)
        if (fn = a[:progress])
          unless fn.respond_to?(:call)
            raise MoCore.error(:invalid_argument, "progress must be a callable (bytes_sent, total_bytes), " \
                                                  "not #{fn.class}", operation)
          end
          id = Callbacks.register_progress(fn)
        end
        yield o, id
      ensure
        Callbacks.unregister_progress(id) if id
        Core.mo_rb_release(o)
      end
    end

    # Set every option of `a` on `o` (the C setters check the values).
    def self.set_load_options(o, operation, a)
      Core.mo_load_options_set_fields_terminated_by(o, a[:fields_terminated_by]) unless a[:fields_terminated_by].nil?
      unless a[:fields_enclosed_by].nil?
        Core.mo_load_options_set_fields_enclosed_by(o, a[:fields_enclosed_by], a[:fields_optionally_enclosed])
      end
      Core.mo_load_options_set_fields_escaped_by(o, a[:fields_escaped_by]) unless a[:fields_escaped_by].nil?
      Core.mo_load_options_set_lines_terminated_by(o, a[:lines_terminated_by]) unless a[:lines_terminated_by].nil?
      Core.mo_load_options_set_lines_starting_by(o, a[:lines_starting_by]) unless a[:lines_starting_by].nil?
      Core.mo_load_options_set_ignore_lines(o, a[:ignore_lines]) unless a[:ignore_lines].zero?
      Core.mo_load_options_set_character_set(o, a[:character_set]) unless a[:character_set].nil?
      Core.mo_load_options_set_parallel(o, 1) if a[:parallel] == 1
      load_columns(operation, a[:columns]).each { |c| Core.mo_load_options_add_column(o, c) }
      Core.mo_load_options_set_format(o, a[:format]) unless a[:format].nil?
      Core.mo_load_options_set_jsondata(o, a[:jsondata]) unless a[:jsondata].nil?
      Core.mo_load_options_set_compression(o, a[:compression]) unless a[:compression].nil?
      set_clause(operation, a[:set_clause]).each do |col, expr|
        Core.mo_load_options_add_set_expression(o, col, expr)
      end
    end

    # columns: nil, one name, or an Array of names ("@var" for a user variable).
    def self.load_columns(operation, columns)
      return [] if columns.nil?
      list = columns.is_a?(Array) ? columns : [columns]
      list.map { |c| convert(operation, :columns, :str, c) }
    end

    # set_clause: nil or a Hash column => SQL expression.
    def self.set_clause(operation, clause)
      return [] if clause.nil? || (clause.is_a?(Hash) && clause.empty?)
      unless clause.is_a?(Hash)
        raise MoCore.error(:invalid_argument, "set_clause must be a Hash (column => SQL expression), " \
                                              "not #{clause.class}", operation)
      end
      clause.map do |col, expr|
        [convert(operation, :"set_clause column", :str, col), convert(operation, :"set_clause expression", :str, expr)]
      end
    end

    # A map value as text: Strings, Symbols, numbers; true/false as "true"/"false"; nil (a
    # key without a value). Any other object is refused (its #to_s is no value for SQL).
    def self.map_text(operation, what, value)
      case value
      when nil, String then value
      when true, false, Symbol, Integer, Float then value.to_s
      else
        raise MoCore.error(:invalid_argument, "#{what} values must be Strings, numbers, true/false or nil, " \
                                              "not #{value.class}", operation)
      end
    end

    # A mo_strmap of `mapping` (a Hash, or nil -> NULL) for the block, released afterwards.
    def self.with_strmap(operation, what, mapping)
      return yield(nil) if mapping.nil?
      unless mapping.is_a?(Hash)
        raise MoCore.error(:invalid_argument, "#{what} must be a Hash, not #{mapping.class}", operation)
      end
      fill_strmap(operation, mapping.map { |k, v| [convert(operation, :"#{what} key", :str, k), map_text(operation, what, v)] }) do |m|
        yield m
      end
    end

    # [[key, value], ...] -> a mo_strmap for the block, released afterwards.
    def self.fill_strmap(_operation, pairs)
      m = Core.mo_strmap_new
      begin
        pairs.each { |k, v| Core.mo_strmap_set(m, k, v) }
        yield m
      ensure
        Core.mo_rb_release(m)
      end
    end

    # The SDK's table_mappings -> the entries of cdc.h's map: a Hash "db.t" => "sdb.st",
    # or an Array of "src:sink" Strings, [db, table], [db, table, sink_table],
    # [db, table, sink_db, sink_table] or ["db.t", "sdb.st"].
    def self.table_mappings(operation, mappings)
      if mappings.nil? || ((mappings.is_a?(Hash) || mappings.is_a?(Array)) && mappings.empty?)
        raise MoCore.error(:invalid_argument, "table_mappings must not be empty", operation)
      end
      str = ->(x) { convert(operation, :table_mappings, :str, x) }
      case mappings
      when Hash then mappings.map { |k, v| ["#{str.call(k)}:#{str.call(v)}", nil] }
      when Array
        mappings.map do |item|
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
            raise MoCore.error(:invalid_argument, "invalid table mapping entry: #{item.inspect}", operation)
          end
        end
      else
        raise MoCore.error(:invalid_argument, "table_mappings must be a Hash or an Array, not #{mappings.class}",
                           operation)
      end
    end

    # Seconds (Integer/Float; nil: the C default) -> milliseconds for cdc.h.
    def self.threshold_ms(operation, name, value)
      unless value.is_a?(Integer) || value.is_a?(Float)
        raise MoCore.error(:invalid_argument, "#{name} must be a number of seconds, not #{value.class}", operation)
      end
      ms = value.is_a?(Float) && !value.finite? ? nil : (value * 1000).round
      unless ms && ms.abs < 2**62
        raise MoCore.error(:invalid_argument, "#{name} must be a finite number of seconds, got #{value}", operation)
      end
      ms
    end

    # Manager base for load_data / stage / cdc / export: the Managers-B DSL, plus keyword-only
    # arguments (`keywords`, after the positional ones), a block given to a method with a
    # `progress` argument becoming that argument, and the method's operation name on every
    # InvalidArgumentError.
    class LoadBase < BaseB
      def self.op(meth, operation, params, keywords = [], &body)
        all = params + keywords
        names = all.map(&:first)
        define_method(meth) do |*args, **kw, &block|
          if args.length > params.length
            extra = keywords.empty? ? "" : "; the options (#{keywords.first.first}: ...) are keyword arguments"
            raise MoCore.error(:invalid_argument,
                               "too many arguments (#{args.length} for at most #{params.length}#{extra})", operation)
          end
          if block
            raise MoCore.error(:invalid_argument, "#{meth} takes no block", operation) unless names.include?(:progress)
            raise MoCore.error(:invalid_argument, "progress given twice", operation) if kw.key?(:progress) || args.length > names.index(:progress)
            kw = kw.merge(progress: block)
          end
          begin
            MoCore::Managers.call_op_b(self, operation, all, names, args, kw, body)
          rescue InvalidArgumentError => e
            # a C helper's check (a NUL in a string: "mo_...", an option setter:
            # "load_options.set_...") is reported as this method's, like every other
            raise unless e.operation.start_with?("mo_", "load_options.")
            raise MoCore.error(:invalid_argument, e.message, operation)
          end
        end
      end

      private

      def task(h)
        t = take("cdc_task", h)
        Managers.parse_config(t)
      end

      def tasks(h)
        take_list("cdc_task", h).each { |t| Managers.parse_config(t) }
      end
    end

    # CDCTaskInfo#additional_config: the JSON text -> a Hash ({"raw" => text} if unreadable).
    def self.parse_config(task)
      text = task.additional_config
      task.additional_config = begin
        text.nil? || text.empty? ? {} : JSON.parse(text)
      rescue JSON::ParserError
        { "raw" => text }
      end
      task
    end

    # client.load_data. Every method returns the rows loaded (0 in dry-run). Tables may be
    # "db.table" or a model class with .table_name.
    class LoadDataManager < LoadBase
      op :from_file, "load_data.from_file", [[:file_path, :str], [:table_name_or_model, :table]], LOAD_OPTIONS do |a|
        Managers.with_load_options("load_data.from_file", a) do |o|
          Core.mo_load_data_from_file(ex, a[:file_path], a[:table_name_or_model], o)
        end
      end
      # LOAD DATA LOCAL: only under Client.new(local_infile_dirs: [...]). progress: a callable
      # or a block, called as (bytes_sent, total_bytes).
      op :from_local_file, "load_data.from_local_file",
         [[:file_path, :str], [:table_name_or_model, :table], [:progress, :any, nil]], LOAD_OPTIONS do |a|
        Managers.with_load_options("load_data.from_local_file", a) do |o, progress|
          if progress # on a worker thread, the reports come back to this one (mocore_ruby.i)
            Core.mo_rb_load_local_file(ex, a[:file_path], a[:table_name_or_model], o, progress)
          else
            Core.mo_load_data_from_local_file(ex, a[:file_path], a[:table_name_or_model], o)
          end
        end
      end
      op :from_stage, "load_data.from_stage",
         [[:stage_name, :str], [:filename, :str], [:table_name_or_model, :table]], LOAD_OPTIONS do |a|
        Managers.with_load_options("load_data.from_stage", a) do |o|
          Core.mo_load_data_from_stage(ex, a[:stage_name], a[:filename], a[:table_name_or_model], o)
        end
      end
      # data: a String (its bytes, NUL included).
      op :from_inline, "load_data.from_inline", [[:data, :any], [:table_name_or_model, :table]], LOAD_OPTIONS do |a|
        op = "load_data.from_inline"
        data = a[:data]
        data = data.to_s if data.is_a?(Symbol)
        raise MoCore.error(:invalid_argument, "data is required (got nil)", op) if data.nil?
        raise MoCore.error(:invalid_argument, "data must be a String, not #{data.class}", op) unless data.is_a?(String)
        Managers.with_load_options(op, a) do |o|
          Core.mo_load_data_from_inline(ex, data, a[:table_name_or_model], o)
        end
      end

      CSV_PARAMS = [[:sep, :str, ","], [:quotechar, :opt_str, nil], [:quoting, :flag, false],
                    [:escapechar, :opt_str, nil], [:skiprows, :int, 0], [:names, :any, nil],
                    [:encoding, :opt_str, nil], [:parallel, :flag, false], [:compression, :opt_str, nil],
                    [:set_clause, :any, nil]].freeze

      def self.csv_options(a)
        { fields_terminated_by: a[:sep], fields_enclosed_by: a[:quotechar], fields_optionally_enclosed: a[:quoting],
          fields_escaped_by: a[:escapechar], ignore_lines: a[:skiprows], columns: a[:names],
          character_set: a[:encoding], parallel: a[:parallel], compression: a[:compression],
          set_clause: a[:set_clause] }
      end

      op :read_csv, "load_data.read_csv",
         [[:filepath_or_buffer, :any], [:table, :table], *CSV_PARAMS, [:inline, :flag, false]] do |a|
        if a[:inline] == 1
          next read_csv_inline(a[:filepath_or_buffer], a[:table], sep: a[:sep], quotechar: a[:quotechar])
        end
        path = Managers.convert("load_data.read_csv", :filepath_or_buffer, :str, a[:filepath_or_buffer])
        Managers.with_load_options("load_data.read_csv", LoadDataManager.csv_options(a)) do |o|
          Core.mo_load_data_from_file(ex, path, a[:table], o)
        end
      end
      op :read_csv_stage, "load_data.read_csv_stage",
         [[:stage_name, :str], [:filename, :str], [:table, :table], *CSV_PARAMS] do |a|
        Managers.with_load_options("load_data.read_csv_stage", LoadDataManager.csv_options(a)) do |o|
          Core.mo_load_data_from_stage(ex, a[:stage_name], a[:filename], a[:table], o)
        end
      end
      op :read_csv_inline, "load_data.read_csv_inline",
         [[:data, :any], [:table, :table], [:sep, :str, ","], [:quotechar, :opt_str, nil]] do |a|
        from_inline(a[:data], a[:table], fields_terminated_by: a[:sep], fields_enclosed_by: a[:quotechar],
                                         format: "csv")
      end
      op :read_json, "load_data.read_json",
         [[:filepath_or_buffer, :any], [:table, :table], [:lines, :any, true], [:orient, :str, "records"],
          [:compression, :opt_str, nil], [:inline, :flag, false]] do |a|
        next read_json_inline(a[:filepath_or_buffer], a[:table], orient: a[:orient]) if a[:inline] == 1
        from_file(a[:filepath_or_buffer], a[:table], fields_terminated_by: nil, format: "jsonline",
                                                     jsondata: ORIENTS.fetch(a[:orient], "object"),
                                                     compression: a[:compression])
      end
      op :read_json_stage, "load_data.read_json_stage",
         [[:stage_name, :str], [:filename, :str], [:table, :table], [:orient, :str, "records"],
          [:compression, :opt_str, nil]] do |a|
        from_stage(a[:stage_name], a[:filename], a[:table], fields_terminated_by: nil, format: "jsonline",
                                                             jsondata: ORIENTS.fetch(a[:orient], "object"),
                                                             compression: a[:compression])
      end
      op :read_json_inline, "load_data.read_json_inline",
         [[:data, :any], [:table, :table], [:orient, :str, "records"]] do |a|
        from_inline(a[:data], a[:table], fields_terminated_by: nil, format: "jsonline",
                                         jsondata: ORIENTS.fetch(a[:orient], "object"))
      end
      op :read_parquet, "load_data.read_parquet", [[:path, :str], [:table, :table]] do |a|
        from_file(a[:path], a[:table], fields_terminated_by: nil, format: "parquet")
      end
      op :read_parquet_stage, "load_data.read_parquet_stage",
         [[:stage_name, :str], [:filename, :str], [:table, :table]] do |a|
        from_stage(a[:stage_name], a[:filename], a[:table], fields_terminated_by: nil, format: "parquet")
      end
    end

    # client.stage (MatrixOne). Each create/alter returns a MoCore::Stage.
    class StageManager < LoadBase
      # credentials: a Hash ({ "AWS_KEY_ID" => ..., "AWS_SECRET_KEY" => ... }); never logged.
      op :create, "stage.create",
         [[:name, :str], [:url, :str], [:credentials, :any, nil], [:comment, :opt_str, nil],
          [:if_not_exists, :flag, false]] do |a|
        Managers.with_strmap("stage.create", :credentials, a[:credentials]) do |m|
          take("stage", Core.mo_stage_create(ex, a[:name], a[:url], m, a[:comment], a[:if_not_exists]))
        end
      end
      op :create_local, "stage.create_local",
         [[:name, :str], [:path, :str], [:comment, :opt_str, nil], [:if_not_exists, :flag, false]] do |a|
        take("stage", Core.mo_stage_create_local(ex, a[:name], a[:path], a[:comment], a[:if_not_exists]))
      end
      op :create_s3, "stage.create_s3",
         [[:name, :str], [:bucket, :str], [:path, :str, ""], [:aws_key_id, :opt_str, nil],
          [:aws_secret_key, :opt_str, nil], [:aws_region, :opt_str, nil], [:endpoint, :opt_str, nil],
          [:comment, :opt_str, nil], [:if_not_exists, :flag, false]] do |a|
        take("stage", Core.mo_stage_create_s3(ex, a[:name], a[:bucket], a[:path], a[:aws_key_id], a[:aws_secret_key],
                                              a[:aws_region], a[:endpoint], a[:comment], a[:if_not_exists]))
      end
      # enable: nil (leave), true, false.
      op :alter, "stage.alter",
         [[:name, :str], [:url, :opt_str, nil], [:credentials, :any, nil], [:comment, :opt_str, nil],
          [:enable, :tristate, nil], [:if_exists, :flag, false]] do |a|
        Managers.with_strmap("stage.alter", :credentials, a[:credentials]) do |m|
          take("stage", Core.mo_stage_alter(ex, a[:name], a[:url], m, a[:comment], a[:enable], a[:if_exists]))
        end
      end
      op :drop, "stage.drop", [[:name, :str], [:if_exists, :flag, false]] do |a|
        Core.mo_stage_drop(ex, a[:name], a[:if_exists])
        nil
      end
      op(:show, "stage.show", [[:like_pattern, :opt_str, nil]]) { |a| take_list("stage", Core.mo_stage_show(ex, a[:like_pattern])) }
      op(:list, "stage.list", []) { |_a| take_list("stage", Core.mo_stage_list_stages(ex)) }
      op(:get, "stage.get", [[:name, :str]]) { |a| take("stage", Core.mo_stage_get(ex, a[:name])) }
      op(:exists, "stage.exists", [[:name, :str]]) { |a| Core.mo_stage_exists(ex, a[:name]) == 1 }
      alias exists? exists
    end

    # client.cdc (MatrixOne; build_mysql_uri runs anywhere). options: a Hash (values Strings,
    # numbers or true/false, sent as text).
    class CDCManager < LoadBase
      # mysql://[account#]user:password@host:port, user/password/account percent-encoded.
      op :build_mysql_uri, "cdc.build_mysql_uri",
         [[:host, :str], [:port, :int], [:user, :str], [:password, :opt_str, ""], [:account, :opt_str, nil]] do |a|
        unless (1..65_535).cover?(a[:port])
          raise MoCore.error(:invalid_argument, "port must be an integer between 1 and 65535", "cdc.build_mysql_uri")
        end
        Core.mo_cdc_build_mysql_uri(ex, a[:host], a[:port], a[:user], a[:password], a[:account])
      end
      op :create, "cdc.create",
         [[:task_name, :str], [:source_uri, :str], [:sink_type, :str], [:sink_uri, :str], [:table_mapping, :str],
          [:options, :any, nil]] do |a|
        Managers.with_strmap("cdc.create", :options, a[:options]) do |o|
          task(Core.mo_cdc_create(ex, a[:task_name], a[:source_uri], a[:sink_type], a[:sink_uri], a[:table_mapping], o))
        end
      end
      op :create_database_task, "cdc.create_database_task",
         [[:task_name, :str], [:source_uri, :str], [:sink_type, :str], [:sink_uri, :str], [:source_database, :str],
          [:sink_database, :opt_str, nil], [:options, :any, nil]] do |a|
        Managers.with_strmap("cdc.create_database_task", :options, a[:options]) do |o|
          task(Core.mo_cdc_create_database_task(ex, a[:task_name], a[:source_uri], a[:sink_type], a[:sink_uri],
                                                a[:source_database], a[:sink_database], o))
        end
      end
      op :create_table_task, "cdc.create_table_task",
         [[:task_name, :str], [:source_uri, :str], [:sink_type, :str], [:sink_uri, :str], [:table_mappings, :any],
          [:options, :any, nil]] do |a|
        op = "cdc.create_table_task"
        Managers.fill_strmap(op, Managers.table_mappings(op, a[:table_mappings])) do |m|
          Managers.with_strmap(op, :options, a[:options]) do |o|
            task(Core.mo_cdc_create_table_task(ex, a[:task_name], a[:source_uri], a[:sink_type], a[:sink_uri], m, o))
          end
        end
      end
      op(:drop, "cdc.drop", [[:task_name, :str]]) { |a| Core.mo_cdc_drop(ex, a[:task_name]) && nil }
      op(:drop_all, "cdc.drop_all", []) { |_a| Core.mo_cdc_drop_all(ex) && nil }
      op(:pause, "cdc.pause", [[:task_name, :str]]) { |a| Core.mo_cdc_pause(ex, a[:task_name]) && nil }
      op(:pause_all, "cdc.pause_all", []) { |_a| Core.mo_cdc_pause_all(ex) && nil }
      op(:resume, "cdc.resume", [[:task_name, :str]]) { |a| Core.mo_cdc_resume(ex, a[:task_name]) && nil }
      op(:restart, "cdc.restart", [[:task_name, :str]]) { |a| Core.mo_cdc_restart(ex, a[:task_name]) && nil }
      # SHOW CDC ALL / SHOW CDC TASK: the raw MoCore::Result.
      op(:show_all, "cdc.show_all", []) { |_a| result(Core.mo_cdc_show_all(ex)) }
      op(:show_task, "cdc.show_task", [[:task_name, :str]]) { |a| result(Core.mo_cdc_show_task(ex, a[:task_name])) }
      op(:list, "cdc.list", [[:task_name, :opt_str, nil]]) { |a| tasks(Core.mo_cdc_list_tasks(ex, a[:task_name])) }
      op(:get, "cdc.get", [[:task_name, :str]]) { |a| task(Core.mo_cdc_get(ex, a[:task_name])) }
      op(:exists, "cdc.exists", [[:task_name, :str]]) { |a| Core.mo_cdc_exists(ex, a[:task_name]) == 1 }
      alias exists? exists
      op :list_watermarks, "cdc.list_watermarks", [[:task_name, :opt_str, nil]] do |a|
        take_list("cdc_watermark", Core.mo_cdc_list_watermarks(ex, a[:task_name]))
      end
      op(:list_failing_tasks, "cdc.list_failing_tasks", []) { |_a| tasks(Core.mo_cdc_list_failing_tasks(ex)) }
      op(:list_stuck_tasks, "cdc.list_stuck_tasks", []) { |_a| tasks(Core.mo_cdc_list_stuck_tasks(ex)) }
      # default_threshold: seconds (nil: 10 minutes); thresholds: { "task.table" or "table" =>
      # seconds or "<n>ms|s|m|h" }; now_ms: milliseconds since the epoch (0: now).
      op :list_late_table_watermarks, "cdc.list_late_table_watermarks", [],
         [[:task_name, :opt_str, nil], [:default_threshold, :any, nil], [:thresholds, :any, nil], [:now_ms, :int, 0]] do |a|
        op = "cdc.list_late_table_watermarks"
        ms = a[:default_threshold].nil? ? -1 : Managers.threshold_ms(op, :default_threshold, a[:default_threshold])
        th = a[:thresholds]
        if th.is_a?(Hash)
          th = th.transform_values { |v| v.is_a?(Integer) || v.is_a?(Float) ? "#{Managers.threshold_ms(op, :thresholds, v)}ms" : v }
        end
        Managers.with_strmap(op, :thresholds, th) do |m|
          take_list("cdc_watermark", Core.mo_cdc_list_late_table_watermarks(ex, a[:task_name], ms, m, a[:now_ms]))
        end
      end
    end

    # client.export: SELECT ... INTO OUTFILE, written by the server. query is SQL text with
    # `?` placeholders filled from params: (an Array). Returns the rows written (0 in dry-run).
    class ExportManager < LoadBase
      CSV_OPTIONS = [[:sep, :opt_str, ","], [:quotechar, :opt_str, nil], [:lineterminator, :opt_str, "\n"],
                     [:header, :flag, false], [:params, :any, nil]].freeze

      op :to_csv, "export.to_csv", [[:path, :str], [:query, :str]], CSV_OPTIONS do |a|
        Managers.with_params("export.to_csv", a[:params], "params") do |p|
          Core.mo_export_to_csv(ex, a[:path], a[:query], p, a[:sep], a[:quotechar], a[:lineterminator], a[:header])
        end
      end
      op :to_jsonl, "export.to_jsonl", [[:path, :str], [:query, :str]], [[:params, :any, nil]] do |a|
        Managers.with_params("export.to_jsonl", a[:params], "params") do |p|
          Core.mo_export_to_jsonl(ex, a[:path], a[:query], p)
        end
      end
      op :to_csv_stage, "export.to_csv_stage", [[:stage_name, :str], [:filename, :str], [:query, :str]], CSV_OPTIONS do |a|
        Managers.with_params("export.to_csv_stage", a[:params], "params") do |p|
          Core.mo_export_to_csv_stage(ex, a[:stage_name], a[:filename], a[:query], p, a[:sep], a[:quotechar],
                                      a[:lineterminator], a[:header])
        end
      end
      op :to_jsonl_stage, "export.to_jsonl_stage", [[:stage_name, :str], [:filename, :str], [:query, :str]],
         [[:params, :any, nil]] do |a|
        Managers.with_params("export.to_jsonl_stage", a[:params], "params") do |p|
          Core.mo_export_to_jsonl_stage(ex, a[:stage_name], a[:filename], a[:query], p)
        end
      end
    end

    # The load_data / stage / cdc / export attributes of Client, Session and HookConnection.
    module AccessLoad
      def load_data = Managers::LoadDataManager.new(self)
      def stage = Managers::StageManager.new(self)
      def cdc = Managers::CDCManager.new(self)
      def export = Managers::ExportManager.new(self)
    end
  end
end
