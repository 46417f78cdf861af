# frozen_string_literal: true

module MoCore
  # The MatrixOne managers with the MatrixOne Python SDK's surface, in Ruby form.
  #
  # client.snapshots, client.clone, client.branch, client.restore, client.pitr,
  # client.pubsub and client.account (and the same on a session, where every statement runs
  # inside the session's transaction) have the SDK's method names and argument names. Each
  # argument can be given by position (in the SDK's order) or by keyword, and the optional
  # ones default as in the SDK:
  #
  #   client.snapshots.create("s1", level: :database, database: "db")
  #   client.snapshots.create("s1", :table, database: "db", table: "t")
  #   session.pitr.create_database_pitr("p1", "db1", range_value: 2, range_unit: "h")
  #
  # Records are Structs with the SDK's attribute names (Snapshot, Pitr, Publication,
  # Subscription, Account, User, Role, Grant; Managers-B: MetadataRow, TableStats; load/stage/cdc:
  # Stage, CDCTaskInfo, CDCWatermarkInfo), generated
  # from the one field table of bindings/mocore.i; lists are Arrays of them. Snapshot#level is a Symbol (:cluster,
  # :account, :database, :table), Snapshot#created_at a UTC Time (the SDK uses local time),
  # Snapshot#ts the timestamp in nanoseconds.
  #
  # The SQL is built in C (capi/mocore/managers.h): names are always quoted identifiers and
  # values escaped literals (docs/managers.md lists where this differs from the SDK). Errors:
  # bad input -> InvalidArgumentError, missing object -> NotFoundError, a MatrixOne-only call
  # on MySQL/MariaDB -> UnsupportedError (nothing is sent); #operation names the method
  # ("snapshots.create"). A dry-run client journals every statement, read-backs included.
  module Managers
    # kind => Struct class, from mo_swig_record_fields
    RECORD_KINDS = {
      "snapshot" => :Snapshot, "pitr" => :Pitr, "publication" => :Publication,
      "subscription" => :Subscription, "account" => :Account, "user" => :User,
      "role" => :Role, "grant" => :Grant, "metadata_row" => :MetadataRow, "table_stats" => :TableStats,
      "stage" => :Stage, "cdc_task" => :CDCTaskInfo, "cdc_watermark" => :CDCWatermarkInfo
    }.freeze
    FIELDS = {}
    RECORD_KINDS.each do |kind, const|
      fields = Core.mo_swig_record_fields(kind).split.map do |item|
        attr, suffix, type = item.split(":")
        [attr.to_sym, Core.method(:"mo_#{kind}_#{suffix}"), type]
      end
      FIELDS[kind] = fields.freeze
      MoCore.const_set(const, Struct.new(*fields.map(&:first), keyword_init: true))
    end
    FIELDS.freeze

    SNAPSHOT_LEVELS = %w[cluster account database table].to_h { |l| [l, l.to_sym] }.freeze
    DIFF_OUTPUTS = { rows: Core::MO_BRANCH_DIFF_ROWS, count: Core::MO_BRANCH_DIFF_COUNT,
                     limit: Core::MO_BRANCH_DIFF_LIMIT, file: Core::MO_BRANCH_DIFF_FILE,
                     as_table: Core::MO_BRANCH_DIFF_AS_TABLE }.freeze

    # Copy a record handle's fields into its Struct (kind "snapshot", ...).
    def self.record(kind, h)
      values = FIELDS.fetch(kind).to_h do |attr, get, type|
        v = get.call(h)
        [attr, type == "b" ? v == 1 : v]   # "b": a flag (0/1 in C)
      end
      if kind == "snapshot"
        ts = values[:ts]
        values[:created_at] = ts.positive? ? Time.at(ts / 1_000_000_000, ts % 1_000_000_000, :nsec).utc : nil
        values[:level] = SNAPSHOT_LEVELS.fetch(values[:level], values[:level])
      end
      MoCore.const_get(RECORD_KINDS.fetch(kind)).new(**values)
    end

    # Convert an owned record handle and release it.
    def self.take(kind, h)
      record(kind, h)
    ensure
      Core.mo_rb_release(h) if h
    end

    # Convert an owned list handle (its items are borrowed from it) and release it.
    def self.take_list(kind, lst)
      Array.new(Core.public_send(:"mo_#{kind}_list_count", lst)) do |i|
        item = Core.public_send(:"mo_#{kind}_list_get", lst, i)
        begin
          record(kind, item)
        ensure
          Core.mo_rb_release(item)   # detach the borrowed item: it dies with the list
        end
      end
    ensure
      Core.mo_rb_release(lst) if lst
    end

    # One manager method: `params` are the SDK's argument names in order, each
    # [name, type] or [name, type, default]; a parameter without a default is required.
    # Types: :str (String or Symbol), :opt_str (also nil), :names (a String, Symbol or an
    # Array of them, joined with ","), :opt_names, :int, :flag (true/false), :tristate
    # (nil/true/false -> -1/0/1), :any (passed through to the body).
    # The body receives the executor handle and the converted arguments as a Hash.
    module DSL
      def op(meth, operation, params, &body)
        names = params.map(&:first)
        define_method(meth) do |*args, **kw|
          MoCore::Managers.call_op(self, operation, params, names, args, kw, body)
        end
      end
    end

    def self.call_op(manager, operation, params, names, args, kw, body)
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
        if given_pos && kw.key?(name)
          raise MoCore.error(:invalid_argument, "#{name} given twice", operation)
        end
        present = given_pos || kw.key?(name)
        v = given_pos ? args[i] : kw[name]
        if !present
          if default.empty?
            raise MoCore.error(:invalid_argument, "#{name} is required", operation)
          end
          v = default.first
        end
        values[name] = convert(operation, name, type, v)
      end
      manager.instance_exec(values, &body)
    end

    def self.convert(operation, name, type, v)
      bad = ->(what) { raise MoCore.error(:invalid_argument, "#{name} must be #{what}, not #{v.class}", operation) }
      case type
      when :str, :opt_str
        return nil if v.nil? && type == :opt_str
        raise MoCore.error(:invalid_argument, "#{name} is required (got nil)", operation) if v.nil?
        v = v.to_s if v.is_a?(Symbol)
        bad.call("a String") unless v.is_a?(String)
        v
      when :names, :opt_names
        if v.is_a?(Array)
          raise MoCore.error(:invalid_argument, "#{name} must not be empty", operation) if v.empty?
          return v.map { |x| convert(operation, name, :str, x) }.join(",")
        end
        convert(operation, name, type == :names ? :str : :opt_str, v)
      when :int
        bad.call("an Integer") unless v.is_a?(Integer)
        v
      when :flag
        bad.call("true or false") unless [true, false].include?(v)
        v ? 1 : 0
      when :tristate
        return -1 if v.nil?
        bad.call("true, false or nil") unless [true, false].include?(v)
        v ? 1 : 0
      else v
      end
    end

    # A manager bound to a Client (autocommit) or a Session (its transaction).
    class Base
      extend DSL

      def initialize(owner)
        @owner = owner
      end

      def inspect
        "#<#{self.class.name} on #{@owner.inspect}>"
      end

      private

      def ex
        @owner.send(:executor)
      end

      def take(kind, h)
        Managers.take(kind, h)
      end

      def take_list(kind, h)
        Managers.take_list(kind, h)
      end
    end

    # client.snapshots (MatrixOne). level: :cluster, :account, :database, :table (or Strings).
    class SnapshotManager < Base
      op :create, "snapshots.create",
         [[:name, :str], [:level, :str], [:database, :opt_str, nil], [:table, :opt_str, nil],
          [:description, :opt_str, nil]] do |a|
        take("snapshot", Core.mo_snapshots_create(ex, a[:name], a[:level], a[:database], a[:table],
                                                  a[:description]))
      end
      op(:get, "snapshots.get", [[:name, :str]]) { |a| take("snapshot", Core.mo_snapshots_get(ex, a[:name])) }
      op(:list, "snapshots.list", []) { |_a| take_list("snapshot", Core.mo_snapshots_list(ex)) }
      op(:delete, "snapshots.delete", [[:name, :str]]) { |a| Core.mo_snapshots_delete(ex, a[:name]) && nil }
      op(:exists, "snapshots.exists", [[:name, :str]]) { |a| Core.mo_snapshots_exists(ex, a[:name]) == 1 }
      alias exists? exists
    end

    # client.clone (MatrixOne). Table names may be "db.table".
    class CloneManager < Base
      op :clone_database, "clone.clone_database",
         [[:target_db, :str], [:source_db, :str], [:snapshot_name, :opt_str, nil],
          [:if_not_exists, :flag, false], [:to_account, :opt_str, nil]] do |a|
        Core.mo_clone_database(ex, a[:target_db], a[:source_db], a[:snapshot_name], a[:if_not_exists],
                               a[:to_account])
        nil
      end
      op :clone_table, "clone.clone_table",
         [[:target_table, :str], [:source_table, :str], [:snapshot_name, :opt_str, nil],
          [:if_not_exists, :flag, false], [:to_account, :opt_str, nil]] do |a|
        Core.mo_clone_table(ex, a[:target_table], a[:source_table], a[:snapshot_name], a[:if_not_exists],
                            a[:to_account])
        nil
      end
      op :clone_database_with_snapshot, "clone.clone_database_with_snapshot",
         [[:target_db, :str], [:source_db, :str], [:snapshot_name, :str], [:if_not_exists, :flag, false]] do |a|
        Core.mo_clone_database_with_snapshot(ex, a[:target_db], a[:source_db], a[:snapshot_name],
                                             a[:if_not_exists])
        nil
      end
      op :clone_table_with_snapshot, "clone.clone_table_with_snapshot",
         [[:target_table, :str], [:source_table, :str], [:snapshot_name, :str], [:if_not_exists, :flag, false]] do |a|
        Core.mo_clone_table_with_snapshot(ex, a[:target_table], a[:source_table], a[:snapshot_name],
                                          a[:if_not_exists])
        nil
      end
    end

    # client.branch (MatrixOne >= 3.0.5). Table names may be "db.table".
    class BranchManager < Base
      op :create_table_branch, "branch.create_table_branch",
         [[:target_table, :str], [:source_table, :str], [:snapshot_name, :opt_str, nil],
          [:to_account, :opt_str, nil]] do |a|
        Core.mo_branch_create_table(ex, a[:target_table], a[:source_table], a[:snapshot_name], a[:to_account])
        nil
      end
      op(:delete_table_branch, "branch.delete_table_branch", [[:table, :str]]) do |a|
        Core.mo_branch_delete_table(ex, a[:table])
        nil
      end
      op :create_database_branch, "branch.create_database_branch",
         [[:target_database, :str], [:source_database, :str]] do |a|
        Core.mo_branch_create_database(ex, a[:target_database], a[:source_database])
        nil
      end
      op(:delete_database_branch, "branch.delete_database_branch", [[:database, :str]]) do |a|
        Core.mo_branch_delete_database(ex, a[:database])
        nil
      end
      # output: :rows (default), :count, :limit (with limit:), :file (with output_file:),
      # :as_table (with output_table:); table_snapshot: reads `table` at a snapshot too.
      # Returns the rows as an Array of Arrays.
      op :diff_table, "branch.diff_table",
         [[:table, :str], [:against_table, :str], [:snapshot_name, :opt_str, nil], [:output, :any, :rows],
          [:table_snapshot, :opt_str, nil], [:limit, :any, nil], [:output_file, :opt_str, nil],
          [:output_table, :opt_str, nil]] do |a|
        op = "branch.diff_table"
        mode = DIFF_OUTPUTS.fetch(a[:output].to_s.to_sym) do
          raise MoCore.error(:invalid_argument,
                             "output must be one of #{DIFF_OUTPUTS.keys.inspect}, got #{a[:output].inspect}", op)
        end
        target = case mode
                 when Core::MO_BRANCH_DIFF_FILE then Managers.convert(op, :output_file, :str, a[:output_file])
                 when Core::MO_BRANCH_DIFF_AS_TABLE then Managers.convert(op, :output_table, :str, a[:output_table])
                 end
        n = mode == Core::MO_BRANCH_DIFF_LIMIT ? Managers.convert(op, :limit, :int, a[:limit]) : 0
        raise MoCore.error(:invalid_argument, "limit must be >= 0", op) if n.negative?
        h = Core.mo_branch_diff_table(ex, a[:table], a[:table_snapshot], a[:against_table], a[:snapshot_name],
                                      mode, n, target)
        Result.new(h).to_a
      end
      op :merge_table, "branch.merge_table",
         [[:source_table, :str], [:target_table, :str], [:on_conflict, :str, "skip"]] do |a|
        Core.mo_branch_merge_table(ex, a[:source_table], a[:target_table], a[:on_conflict])
        nil
      end
    end

    # client.restore (MatrixOne). Each returns true.
    class RestoreManager < Base
      op(:restore_cluster, "restore.restore_cluster", [[:snapshot_name, :str]]) do |a|
        Core.mo_restore_cluster(ex, a[:snapshot_name])
        true
      end
      op :restore_tenant, "restore.restore_tenant",
         [[:snapshot_name, :str], [:account_name, :str], [:to_account, :opt_str, nil]] do |a|
        Core.mo_restore_tenant(ex, a[:snapshot_name], a[:account_name], a[:to_account])
        true
      end
      op :restore_database, "restore.restore_database",
         [[:snapshot_name, :str], [:account_name, :str], [:database_name, :str], [:to_account, :opt_str, nil]] do |a|
        Core.mo_restore_database(ex, a[:snapshot_name], a[:account_name], a[:database_name], a[:to_account])
        true
      end
      op :restore_table, "restore.restore_table",
         [[:snapshot_name, :str], [:account_name, :str], [:database_name, :str], [:table_name, :str],
          [:to_account, :opt_str, nil]] do |a|
        Core.mo_restore_table(ex, a[:snapshot_name], a[:account_name], a[:database_name], a[:table_name],
                              a[:to_account])
        true
      end
    end

    # client.pitr (MatrixOne). range_value 1..100, range_unit "h", "d", "mo" or "y".
    class PitrManager < Base
      op :create_cluster_pitr, "pitr.create_cluster_pitr",
         [[:name, :str], [:range_value, :int, 1], [:range_unit, :str, "d"]] do |a|
        take("pitr", Core.mo_pitr_create_cluster(ex, a[:name], a[:range_value], a[:range_unit]))
      end
      op :create_account_pitr, "pitr.create_account_pitr",
         [[:name, :str], [:account_name, :opt_str, nil], [:range_value, :int, 1], [:range_unit, :str, "d"]] do |a|
        take("pitr", Core.mo_pitr_create_account(ex, a[:name], a[:account_name], a[:range_value], a[:range_unit]))
      end
      op :create_database_pitr, "pitr.create_database_pitr",
         [[:name, :str], [:database_name, :str], [:range_value, :int, 1], [:range_unit, :str, "d"]] do |a|
        take("pitr", Core.mo_pitr_create_database(ex, a[:name], a[:database_name], a[:range_value],
                                                  a[:range_unit]))
      end
      op :create_table_pitr, "pitr.create_table_pitr",
         [[:name, :str], [:database_name, :str], [:table_name, :str], [:range_value, :int, 1],
          [:range_unit, :str, "d"]] do |a|
        take("pitr", Core.mo_pitr_create_table(ex, a[:name], a[:database_name], a[:table_name], a[:range_value],
                                               a[:range_unit]))
      end
      op(:get, "pitr.get", [[:name, :str]]) { |a| take("pitr", Core.mo_pitr_get(ex, a[:name])) }
      op :list, "pitr.list",
         [[:level, :opt_str, nil], [:account_name, :opt_str, nil], [:database_name, :opt_str, nil],
          [:table_name, :opt_str, nil]] do |a|
        take_list("pitr", Core.mo_pitr_list_pitrs(ex, a[:level], a[:account_name], a[:database_name],
                                                  a[:table_name]))
      end
      op :alter, "pitr.alter", [[:name, :str], [:range_value, :int], [:range_unit, :str]] do |a|
        take("pitr", Core.mo_pitr_alter(ex, a[:name], a[:range_value], a[:range_unit]))
      end
      op(:delete, "pitr.delete", [[:name, :str]]) do |a|
        Core.mo_pitr_delete(ex, a[:name])
        true
      end
    end

    # client.pubsub (MatrixOne). account: one account, a comma-separated String, an Array of
    # accounts, or "all"; table likewise.
    class PubSubManager < Base
      op :create_database_publication, "pubsub.create_database_publication",
         [[:name, :str], [:database, :str], [:account, :names]] do |a|
        take("publication", Core.mo_pubsub_create_database_publication(ex, a[:name], a[:database], a[:account]))
      end
      op :create_table_publication, "pubsub.create_table_publication",
         [[:name, :str], [:database, :str], [:table, :names], [:account, :names]] do |a|
        take("publication", Core.mo_pubsub_create_table_publication(ex, a[:name], a[:database], a[:table],
                                                                    a[:account]))
      end
      op(:get_publication, "pubsub.get_publication", [[:name, :str]]) do |a|
        take("publication", Core.mo_pubsub_get_publication(ex, a[:name]))
      end
      op :list_publications, "pubsub.list_publications",
         [[:account, :opt_str, nil], [:database, :opt_str, nil]] do |a|
        take_list("publication", Core.mo_pubsub_list_publications(ex, a[:account], a[:database]))
      end
      op :alter_publication, "pubsub.alter_publication",
         [[:name, :str], [:account, :opt_names, nil], [:database, :opt_str, nil], [:table, :opt_names, nil]] do |a|
        take("publication", Core.mo_pubsub_alter_publication(ex, a[:name], a[:account], a[:database], a[:table]))
      end
      op(:drop_publication, "pubsub.drop_publication", [[:name, :str]]) do |a|
        Core.mo_pubsub_drop_publication(ex, a[:name])
        true
      end
      op(:show_create_publication, "pubsub.show_create_publication", [[:name, :str]]) do |a|
        Core.mo_pubsub_show_create_publication(ex, a[:name])
      end
      op :create_subscription, "pubsub.create_subscription",
         [[:subscription_name, :str], [:publication_name, :str], [:publisher_account, :str]] do |a|
        take("subscription", Core.mo_pubsub_create_subscription(ex, a[:subscription_name], a[:publication_name],
                                                                a[:publisher_account]))
      end
      op(:get_subscription, "pubsub.get_subscription", [[:name, :str]]) do |a|
        take("subscription", Core.mo_pubsub_get_subscription(ex, a[:name]))
      end
      op :list_subscriptions, "pubsub.list_subscriptions",
         [[:pub_account, :opt_str, nil], [:pub_database, :opt_str, nil]] do |a|
        take_list("subscription", Core.mo_pubsub_list_subscriptions(ex, a[:pub_account], a[:pub_database]))
      end
    end

    # client.account. Account DDL is MatrixOne-only; users, roles and grants also run on
    # MySQL/MariaDB.
    class AccountManager < Base
      op :create_account, "account.create_account",
         [[:account_name, :str], [:admin_name, :str], [:password, :str], [:comment, :opt_str, nil]] do |a|
        take("account", Core.mo_account_create_account(ex, a[:account_name], a[:admin_name], a[:password],
                                                       a[:comment]))
      end
      op :drop_account, "account.drop_account", [[:account_name, :str], [:if_exists, :flag, false]] do |a|
        Core.mo_account_drop_account(ex, a[:account_name], a[:if_exists])
        nil
      end
      op :alter_account, "account.alter_account",
         [[:account_name, :str], [:comment, :opt_str, nil], [:suspend, :tristate, nil],
          [:suspend_reason, :opt_str, nil]] do |a|
        take("account", Core.mo_account_alter_account(ex, a[:account_name], a[:comment], a[:suspend],
                                                      a[:suspend_reason]))
      end
      op(:get_account, "account.get_account", [[:account_name, :str]]) do |a|
        take("account", Core.mo_account_get_account(ex, a[:account_name]))
      end
      op(:list_accounts, "account.list_accounts", []) { |_a| take_list("account", Core.mo_account_list_accounts(ex)) }
      op :create_user, "account.create_user",
         [[:user_name, :str], [:password, :str], [:comment, :opt_str, nil]] do |a|
        take("user", Core.mo_account_create_user(ex, a[:user_name], a[:password], a[:comment]))
      end
      op :drop_user, "account.drop_user", [[:user_name, :str], [:if_exists, :flag, false]] do |a|
        Core.mo_account_drop_user(ex, a[:user_name], a[:if_exists])
        nil
      end
      op :alter_user, "account.alter_user",
         [[:user_name, :str], [:password, :opt_str, nil], [:comment, :opt_str, nil], [:lock, :tristate, nil],
          [:lock_reason, :opt_str, nil]] do |a|
        take("user", Core.mo_account_alter_user(ex, a[:user_name], a[:password], a[:comment], a[:lock],
                                                a[:lock_reason]))
      end
      op(:get_current_user, "account.get_current_user", []) { |_a| take("user", Core.mo_account_get_current_user(ex)) }
      op(:list_users, "account.list_users", []) { |_a| take_list("user", Core.mo_account_list_users(ex)) }
      op :create_role, "account.create_role", [[:role_name, :str], [:comment, :opt_str, nil]] do |a|
        take("role", Core.mo_account_create_role(ex, a[:role_name], a[:comment]))
      end
      op :drop_role, "account.drop_role", [[:role_name, :str], [:if_exists, :flag, false]] do |a|
        Core.mo_account_drop_role(ex, a[:role_name], a[:if_exists])
        nil
      end
      op(:get_role, "account.get_role", [[:role_name, :str]]) { |a| take("role", Core.mo_account_get_role(ex, a[:role_name])) }
      op(:list_roles, "account.list_roles", []) { |_a| take_list("role", Core.mo_account_list_roles(ex)) }
      op :grant_privilege, "account.grant_privilege",
         [[:privilege, :str], [:object_type, :opt_str], [:object_name, :str], [:to_user, :opt_str, nil],
          [:to_role, :opt_str, nil]] do |a|
        Core.mo_account_grant_privilege(ex, a[:privilege], a[:object_type], a[:object_name], a[:to_user],
                                        a[:to_role])
        nil
      end
      op :revoke_privilege, "account.revoke_privilege",
         [[:privilege, :str], [:object_type, :opt_str], [:object_name, :str], [:from_user, :opt_str, nil],
          [:from_role, :opt_str, nil]] do |a|
        Core.mo_account_revoke_privilege(ex, a[:privilege], a[:object_type], a[:object_name], a[:from_user],
                                         a[:from_role])
        nil
      end
      op :grant_role, "account.grant_role", [[:role_name, :str], [:to_user, :str]] do |a|
        Core.mo_account_grant_role(ex, a[:role_name], a[:to_user])
        nil
      end
      op :revoke_role, "account.revoke_role", [[:role_name, :str], [:from_user, :str]] do |a|
        Core.mo_account_revoke_role(ex, a[:role_name], a[:from_user])
        nil
      end
      op(:list_grants, "account.list_grants", [[:user, :opt_str, nil]]) do |a|
        take_list("grant", Core.mo_account_list_grants(ex, a[:user]))
      end
    end

    # The manager attributes of Client and Session.
    module Access
      def snapshots = Managers::SnapshotManager.new(self)
      def branch = Managers::BranchManager.new(self)
      def restore = Managers::RestoreManager.new(self)
      def pitr = Managers::PitrManager.new(self)
      def pubsub = Managers::PubSubManager.new(self)
      def account = Managers::AccountManager.new(self)

      # The SDK's `clone` manager. (Object#clone, which makes no sense for a connection, is
      # still reached with arguments: clone(freeze: false).)
      def clone(*args, **kw)
        return super if !args.empty? || !kw.empty?
        Managers::CloneManager.new(self)
      end

      private

      # The C executor of this client/session, made on first use and released with it.
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
