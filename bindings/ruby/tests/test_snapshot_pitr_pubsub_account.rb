# frozen_string_literal: true

# bindings/ruby/tests/test_snapshot_pitr_pubsub_account.rb — snapshots, clone, branch, restore,
# pitr, pubsub and account in Ruby: the SDK's surface with keyword
# arguments, the conformance SQL through the dry-run journal, real users/roles/grants on
# MariaDB, UNSUPPORTED for MatrixOne-only calls, sessions. Loaded by test_mocore.rb (ctest
# ruby.tests). The vectors are the project's copy in tests/conformance/snapshot_pitr_pubsub_account_vectors.json.
require "minitest/autorun"
require "json"
require "securerandom"
require "mocore"
require_relative "test_mocore" unless defined?(MoCoreTest)

VECTORS = File.expand_path("../../../tests/conformance/snapshot_pitr_pubsub_account_vectors.json", __dir__)

def dry_client
  # Port 1: were anything sent, it would fail.
  MoCore::Client.new("matrixone://u:p@127.0.0.1:1/db?dry_run=true")
end

class ConformanceTest < Minitest::Test
  def teardown
    @c&.close
  end

  # The SDK's builders (clone_builder, branch_builder) are the managers' methods here.
  def call_vector(c, v)
    m = v["manager"]
    meth = v["method"]
    a = v["args"].transform_keys(&:to_sym)
    case [m, meth]
    when %w[clone_builder clone_table], %w[clone_builder clone_database]
      src = a.delete(:from_table) || a.delete(:from_database)
      c.clone.public_send(meth, a.delete(:target), src, snapshot_name: a.delete(:snapshot), **a)
    when %w[branch_builder create_table_branch]
      c.branch.create_table_branch(a[:target], a[:from_table], a[:snapshot], to_account: a[:to_account])
    when %w[branch_builder diff_table_branch]
      kw = { table_snapshot: a[:snapshot], snapshot_name: a[:against_snapshot] }
      kw.update(output: :file, output_file: a[:output_file]) if a[:output_file]
      c.branch.diff_table(a[:target], a[:against], **kw)
    else
      c.public_send(m).public_send(meth, **a)
    end
  end

  def unquoted(sql)
    sql.delete("`").tr('"', "'")
  end

  # Every vector: the SDK's arguments, by name, to the same method; the journal is the SDK's
  # statement sequence: byte for byte where the SDK's text is safe, and where the SDK pastes
  # names raw (no backticks in its text), the same text with mocore's quoting.
  def test_vectors
    vectors = JSON.parse(File.read(VECTORS))
    assert_operator vectors.length, :>=, 50
    @c = dry_client
    vectors.each_with_index do |v, i|
      @c.clear_journal
      call_vector(@c, v)
      want = v["expected_sql_sequence"] || [v["expected_sql"]]
      got = @c.journal
      where = "vector #{i} #{v['manager']}.#{v['method']}"
      assert_equal want.length, got.length, "#{where}: #{got.inspect}"
      got.zip(want).each do |g, w|
        next if g == w
        refute_includes w, "`", "#{where}: SDK text already quoted: must match exactly"
        assert_includes g, "`", "#{where}: mocore quotes the names the SDK pastes raw"
        assert_equal unquoted(w), unquoted(g), where
      end
    end
  end

  def test_keyword_and_positional_arguments_send_the_same_sql
    @c = dry_client
    @c.snapshots.create("s1", level: :database, database: "db")
    a = @c.journal
    @c.clear_journal
    @c.snapshots.create("s1", :database, database: "db")
    b = @c.journal
    @c.clear_journal
    @c.snapshots.create(name: "s1", level: "DATABASE", database: "db")
    assert_equal a, b
    assert_equal a, @c.journal
    assert_equal "CREATE SNAPSHOT `s1` FOR DATABASE `db`", a[0]
  end

  # The SDK's short names of the branch manager are the long ones (database: true picks the
  # database branch); their mistakes carry the operation of the method they forward to.
  def test_branch_short_names_send_the_same_sql
    @c = dry_client
    b = @c.branch
    [[-> { b.create("t2", "t1", "s1") }, -> { b.create_table_branch("t2", "t1", "s1") }],
     [-> { b.create("db2", "db1", database: true) }, -> { b.create_database_branch("db2", "db1") }],
     [-> { b.delete("t2") }, -> { b.delete_table_branch("t2") }],
     [-> { b.delete(name: "db2", database: true) }, -> { b.delete_database_branch("db2") }],
     [-> { b.diff("t1", "t2", "s", :count) }, -> { b.diff_table("t1", "t2", "s", output: :count) }],
     [-> { b.merge("t1", "t2", "accept") }, -> { b.merge_table("t1", "t2", on_conflict: "accept") }]].each do |short, long|
      short.call
      got = @c.journal
      @c.clear_journal
      long.call
      refute_empty got
      assert_equal @c.journal, got
      @c.clear_journal
    end
    e = assert_raises(MoCore::InvalidArgumentError) { b.create("t2", "t1", database: "yes") }
    assert_equal ["database must be a boolean, not a string", "branch.create_table_branch"], [e.message, e.operation]
    assert_equal [], @c.journal
  end

  # Real methods: the SDK's arguments are the Ruby parameters, positional in the SDK's order,
  # the keyword-only ones Ruby keywords with the SDK's defaults.
  def test_methods_have_the_sdk_parameters
    create = MoCore::Managers::SnapshotManager.instance_method(:create).parameters
    assert_equal %i[name level database table description], create.select { |k, _| k == :opt }.map(&:last)
    diff = MoCore::Managers::BranchManager.instance_method(:diff_table).parameters
    assert_equal %i[table_snapshot limit output_file output_table], diff.select { |k, _| k == :key }.map(&:last)
    @c = dry_client
    e = assert_raises(MoCore::InvalidArgumentError) { @c.snapshots.list { nil } }
    assert_equal ["list takes no block", "snapshots.list"], [e.message, e.operation]
    e = assert_raises(MoCore::InvalidArgumentError) { @c.branch.diff_table("a", "b", "s", :rows, "x") }
    assert_equal "too many arguments (5 for at most 4)", e.message
  end

  def test_same_sql_in_a_session
    @c = dry_client
    @c.pitr.create_database_pitr("p1", "db1", range_value: 2, range_unit: "h")
    on_client = @c.journal
    @c.clear_journal
    @c.session { |s| s.pitr.create_database_pitr("p1", "db1", range_value: 2, range_unit: "h") }
    assert_equal ["BEGIN", *on_client, "COMMIT"], @c.journal
  end

  def test_records_have_the_sdk_attributes
    @c = dry_client
    snap = @c.snapshots.create("s1", level: :table, database: "db", table: "t")
    assert_instance_of MoCore::Snapshot, snap
    assert_equal "s1", snap.name
    assert_equal Encoding::UTF_8, snap.name.encoding
    assert_equal "snap-é", @c.snapshots.create("snap-é", level: :cluster).name
    %i[name level created_at description database table].each { |m| assert_respond_to snap, m }
    p = @c.pitr.create_cluster_pitr("p", range_value: 3, range_unit: "mo")
    assert_instance_of MoCore::Pitr, p
    assert_equal "p", p.name
    %i[created_time modified_time level account_name database_name table_name range_value range_unit].each do |m|
      assert_respond_to p, m
    end
    pub = @c.pubsub.create_database_publication("pub", "db", %w[a1 a2])
    assert_instance_of MoCore::Publication, pub
    assert_equal "pub", pub.name
    assert_includes @c.journal[-2], "ACCOUNT `a1`, `a2`"
    assert_equal "sub", @c.pubsub.create_subscription("sub", "pub", "acc").sub_name
    acc = @c.account.create_account("acc", "admin", "pw")
    assert_instance_of MoCore::Account, acc
    assert_equal "acc", acc.name
    assert_equal [], @c.snapshots.list
    assert_equal [], @c.pitr.list(level: "cluster")
    assert_equal "SHOW PITR WHERE pitr_level = 'cluster'", @c.journal[-1]
    assert_same true, @c.snapshots.exists("s1")
    assert_equal [], @c.branch.diff_table("t1", "t2", output: :count)
    assert_equal "data branch diff `t1` against `t2` output count", @c.journal[-1]
    assert_same true, @c.restore.restore_cluster("s")
    assert_equal "", @c.pubsub.show_create_publication("pub")
    assert_equal %i[grant_statement privilege object_type object_name user], MoCore::Grant.members
    assert_equal %i[name id created_time comment], MoCore::Role.members
  end

  def test_names_and_values_are_quoted
    @c = dry_client
    @c.snapshots.delete("x`; DROP DATABASE y; --")
    assert_equal "DROP SNAPSHOT `x``; DROP DATABASE y; --`", @c.journal[-1]
    @c.account.create_user("u", "it's")
    assert_equal "CREATE USER `u` IDENTIFIED BY 'it''s'", @c.journal[-2]
  end

  def test_bad_arguments_name_the_operation_and_send_nothing
    @c = dry_client
    c = @c
    cases = [
      [-> { c.snapshots.create("s", "galaxy") }, "snapshots.create", "Invalid snapshot level: galaxy"],
      [-> { c.snapshots.create("s", "database") }, "snapshots.create", nil],
      [-> { c.snapshots.create(nil, :cluster) }, "snapshots.create", "name is required"],
      [-> { c.snapshots.create(42, :cluster) }, "snapshots.create", "name must be a string, not an integer"],
      [-> { c.snapshots.create("s") }, "snapshots.create", "level is required"],
      [-> { c.snapshots.create("s", :cluster, colour: 1) }, "snapshots.create", "unknown argument colour; expected one of name, level, database, table, description"],
      [-> { c.snapshots.create("s", :cluster, level: :cluster) }, "snapshots.create", "level given twice"],
      [-> { c.snapshots.get("a", "b") }, "snapshots.get", "too many arguments"],
      [-> { c.pitr.create_cluster_pitr("p", range_value: 0) }, "pitr.create_cluster_pitr", "Range value must be between 1 and 100"],
      [-> { c.pitr.create_cluster_pitr("p", range_value: "1") }, "pitr.create_cluster_pitr", "range_value must be an integer, not a string"],
      [-> { c.pitr.create_cluster_pitr("p", range_unit: "w") }, "pitr.create_cluster_pitr", nil],
      [-> { c.branch.merge_table("a", "b", on_conflict: "maybe") }, "branch.merge_table", "on_conflict must be 'skip' or 'accept', got 'maybe'"],
      [-> { c.branch.diff_table("a", "b", output: :nope) }, "branch.diff_table", "output must be one of"],
      [-> { c.branch.diff_table("a", "b", output: :limit) }, "branch.diff_table", "limit is required"],
      [-> { c.account.grant_privilege("SELECT", "TABLE", "t") }, "account.grant_privilege", "Must specify either to_user or to_role"],
      [-> { c.clone.clone_table("", "src") }, "clone.clone_table", nil],
      [-> { c.clone.clone_table("t", "s", if_not_exists: "yes") }, "clone.clone_table", "if_not_exists must be a boolean, not a string"],
      [-> { c.account.alter_user("u", lock: 1) }, "account.alter_user", "lock must be a boolean, not an integer"],
      [-> { c.pubsub.create_database_publication("p", "db", []) }, "pubsub.create_database_publication", "account must not be empty"],
      [-> { c.account.list_grants(user: Object.new) }, "account.list_grants", "user must be a string, not an object"]
    ]
    cases.each do |fn, op, msg|
      e = assert_raises(MoCore::InvalidArgumentError, op) { fn.call }
      assert_kind_of MoCore::ProgrammingError, e
      assert_equal op, e.operation
      assert_includes e.message, msg if msg
    end
    assert_equal [], @c.journal # nothing was sent
  end

  # Every manager method, with nil and with objects of the wrong type in 0..5 positions and
  # as keywords, raises a Ruby exception (or returns); nothing crashes, and no object's text
  # ends up in the SQL.
  def test_every_manager_method_survives_nil_and_wrong_types
    @c = dry_client
    managers = %i[snapshots clone branch restore pitr pubsub account].map { |m| @c.public_send(m) }
    managers.each do |mgr|
      mgr.class.public_instance_methods(false).each do |meth|
        [nil, Object.new, 42, [], {}].each do |bad|
          (0..5).each do |n|
            mgr.public_send(meth, *Array.new(n, bad))
          rescue MoCore::Error, TypeError, ArgumentError
            nil
          end
          begin
            mgr.public_send(meth, "x", name: bad)
          rescue MoCore::Error, TypeError, ArgumentError
            nil
          end
        end
      end
    end
    @c.journal.each { |sql| refute_match(/Object|#</, sql) }
  end

  def test_raw_core_functions_reject_nil_and_wrong_handles
    core = MoCore::Core
    assert_raises(MoCore::InvalidArgumentError) { core.mo_snapshots_list(nil) }
    assert_raises(TypeError) { core.mo_snapshots_list("executor") }
    @c = dry_client
    ex = core.mo_client_executor(@c.instance_variable_get(:@h))
    assert_raises(TypeError) { core.mo_snapshots_delete(ex, 5) }
    core.mo_rb_release(ex)
    e = assert_raises(RuntimeError) { core.mo_snapshots_list(ex) } # SWIG: ObjectPreviouslyDeleted
    assert_match(/mo_executor/, e.message)
    assert_nil core.mo_snapshot_name(nil)
    assert_equal 0, core.mo_snapshot_list_count(nil)
    assert_equal "", core.mo_swig_record_fields(nil)
  end
end

class MariaDBManagersTest < Minitest::Test
  def setup
    skip "no test server" unless MoCoreTest::ROOT_URL
    requires_mariadb("users, roles and grants as MariaDB spells them, MatrixOne-only calls " \
                     "UNSUPPORTED; test_matrixone.rb has MatrixOne's")
    @root = MoCore::Client.new(MoCoreTest::ROOT_URL)
    @name = "rb_#{SecureRandom.hex(5)}"
  end

  def teardown
    return unless @root
    @root.execute("DROP USER IF EXISTS `#{@name}_u`")
    @root.execute("DROP ROLE IF EXISTS `#{@name}_r`")
    @root.close
  end

  def test_users_roles_and_grants_for_real
    acc = @root.account
    u = "#{@name}_u"
    r = "#{@name}_r"
    user = acc.create_user(u, "pw'1")
    assert_instance_of MoCore::User, user
    assert_equal [u, "%"], [user.name, user.host]
    role = acc.create_role(r)
    assert_instance_of MoCore::Role, role
    assert_equal r, role.name
    assert_equal r, acc.get_role(r).name
    assert_includes acc.list_roles.map(&:name), r
    acc.grant_privilege("SELECT, INSERT", "TABLE", "mocore_test.*", to_user: u)
    acc.grant_privilege("SELECT", "DATABASE", "mocore_test", to_role: r)
    acc.grant_role(r, u)
    grants = acc.list_grants(u)
    assert(grants.all? { |g| g.is_a?(MoCore::Grant) })
    stmts = grants.map(&:grant_statement).join(" | ")
    assert_includes stmts, "SELECT, INSERT ON `mocore_test`.*"
    assert_includes stmts, "GRANT `#{r}` TO `#{u}`"
    assert(grants.any? { |g| g.privilege == "SELECT, INSERT" && g.object_type == "DATABASE" }, grants.inspect)
    # the new user can log in with its password (the quote was escaped correctly)
    base = MoCoreTest::ROOT_URL.split("@", 2)[1]
    MoCore.connect("mysql://#{u}:pw%271@#{base}") do |uc|
      assert_equal u, uc.account.get_current_user.name
    end
    acc.revoke_role(r, u)
    acc.revoke_privilege("SELECT, INSERT", "TABLE", "mocore_test.*", from_user: u)
    refute_includes acc.list_grants(user: u).map(&:grant_statement).join(" "), "INSERT"
    acc.alter_user(u, lock: true)
    e = assert_raises(MoCore::DatabaseError) { MoCore::Client.new("mysql://#{u}:pw%271@#{base}") }
    assert_includes [3118, 4151], e.code
    acc.drop_role(r)
    e = assert_raises(MoCore::NotFoundError) { acc.get_role(r) }
    assert_includes e.message, "Role '#{r}' not found"
    assert_equal "account.get_role", e.operation
    acc.drop_user(u)
    acc.drop_user(u, if_exists: true)
    e = assert_raises(MoCore::DatabaseError) { acc.drop_user(u) }
    refute_equal 0, e.code # the server's errno is kept
  end

  def test_current_user_and_list_users
    assert_equal "root", @root.account.get_current_user.name
    users = @root.account.list_users
    assert_equal 1, users.length
    assert_equal "root", users[0].name
  end

  def test_matrixone_only_calls_are_unsupported_and_send_nothing
    c = MoCore::Client.new(MoCoreTest::URL)
    calls = {
      "snapshots.create" => -> { c.snapshots.create("s", level: :cluster) },
      "snapshots.list" => -> { c.snapshots.list },
      "clone.clone_database" => -> { c.clone.clone_database("a", "b") },
      "branch.create_table_branch" => -> { c.branch.create_table_branch("a", "b") },
      "restore.restore_cluster" => -> { c.restore.restore_cluster("s") },
      "pitr.create_cluster_pitr" => -> { c.pitr.create_cluster_pitr("p") },
      "pitr.list" => -> { c.pitr.list },
      "pubsub.list_publications" => -> { c.pubsub.list_publications },
      "pubsub.create_subscription" => -> { c.pubsub.create_subscription("a", "b", "c") },
      "account.create_account" => -> { c.account.create_account("a", "b", "c") },
      "account.list_accounts" => -> { c.account.list_accounts }
    }
    calls.each do |op, fn|
      e = assert_raises(MoCore::UnsupportedError, op) { fn.call }
      assert_kind_of MoCore::NotSupportedError, e
      assert_equal op, e.operation
    end
    assert_equal 1, c.scalar("SELECT 1") # the connection is fine
  ensure
    c&.close
  end

  def test_manager_in_a_rolled_back_session_leaves_no_trace
    c = MoCore::Client.new(MoCoreTest::URL)
    t = "#{@name}_t"
    c.execute("CREATE TABLE `#{t}` (id INT PRIMARY KEY)")
    assert_raises(MoCore::AuthError) do # mocore may not read mysql.user: the session rolls back
      c.session do |s|
        s.execute("INSERT INTO `#{t}` VALUES (1)")
        assert_equal "mocore", s.account.get_current_user.name # on the session's connection
        s.account.list_roles
      end
    end
    assert_equal 0, c.scalar("SELECT COUNT(*) FROM `#{t}`")
    c.session do |s|
      s.execute("INSERT INTO `#{t}` VALUES (2)")
      assert_raises(MoCore::UnsupportedError) { s.snapshots.create("s", level: :cluster) }
      s.rollback
    end
    assert_equal 0, c.scalar("SELECT COUNT(*) FROM `#{t}`")
    # a closed session's managers fail cleanly
    s = c.session
    acc = s.account
    s.close
    assert_raises(MoCore::MisuseError) { acc.list_roles }
  ensure
    c&.execute("DROP TABLE IF EXISTS `#{t}`")
    c&.close
  end
end
