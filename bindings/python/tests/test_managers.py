"""The managers in Python: the SDK's surface, conformance SQL through the dry-run journal,
real users/roles/grants on MariaDB, UNSUPPORTED for MatrixOne-only calls, sessions.

Servers: the ctest `server` fixture (MOCORE_TEST_SERVER_DIR/url and root_url) or
MOCORE_TEST_URL / MOCORE_TEST_ROOT_URL. The conformance vectors are the project's copy in
tests/conformance/snapshot_pitr_pubsub_account_vectors.json."""

import datetime as dt
import json
import os
import unittest
import uuid

import mocore
from servers import requires_mariadb, root_url, server_url

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "..", "..", "tests", "conformance", "snapshot_pitr_pubsub_account_vectors.json")


def dry_client():
    # Port 1: were anything sent, it would fail.
    return mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true")


# The SDK's builders (clone_builder, branch_builder) are the managers' methods here.
def _call(client, v):
    m, meth, a = v["manager"], v["method"], dict(v["args"])
    if m == "clone_builder":
        fn = client.clone.clone_table if meth == "clone_table" else client.clone.clone_database
        src = a.pop("from_table", None) or a.pop("from_database")
        return fn(a.pop("target"), src, snapshot_name=a.pop("snapshot", None), **a)
    if m == "branch_builder" and meth == "create_table_branch":
        return client.branch.create_table_branch(a["target"], a["from_table"], a.get("snapshot"),
                                                 to_account=a.get("to_account"))
    if m == "branch_builder" and meth == "diff_table_branch":
        kw = {"table_snapshot": a.get("snapshot"), "snapshot_name": a.get("against_snapshot")}
        if "output_file" in a:
            kw.update(output=mocore.DiffOutput.FILE, output_file=a["output_file"])
        return client.branch.diff_table(a["target"], a["against"], **kw)
    return getattr(getattr(client, m), meth)(**a)


def _unquoted(sql):
    return sql.replace("`", "").replace('"', "'")


class ConformanceTest(unittest.TestCase):
    """Every vector: the SDK's arguments, by name, to the same method; the journal is the
    SDK's statement sequence -- byte for byte where the SDK's text is safe, and where the SDK
    pastes names raw (no backticks in its text), the same text with mocore's quoting
    (docs/managers.md)."""

    def test_vectors(self):
        with open(VECTORS) as f:
            vectors = json.load(f)
        self.assertGreaterEqual(len(vectors), 50)
        c = dry_client()
        for i, v in enumerate(vectors):
            with self.subTest(i=i, manager=v["manager"], method=v["method"]):
                c.clear_journal()
                _call(c, v)
                want = v.get("expected_sql_sequence") or [v["expected_sql"]]
                got = c.journal
                self.assertEqual(len(got), len(want), got)
                for g, w in zip(got, want):
                    if g != w:
                        self.assertNotIn("`", w, "SDK text already quoted: must match exactly")
                        self.assertIn("`", g, "mocore quotes the names the SDK pastes raw")
                        self.assertEqual(_unquoted(g), _unquoted(w))

    def test_same_sql_in_a_session(self):
        c = dry_client()
        c.pitr.create_database_pitr("p1", "db1", 2, "h")
        on_client = c.journal
        c.clear_journal()
        with c.session() as s:
            s.pitr.create_database_pitr("p1", "db1", 2, "h")
        self.assertEqual(c.journal, ["BEGIN"] + on_client + ["COMMIT"])

    def test_records_have_the_sdk_attributes(self):
        c = dry_client()
        snap = c.snapshots.create("s1", mocore.SnapshotLevel.TABLE, database="db", table="t")
        self.assertIsInstance(snap, mocore.Snapshot)
        self.assertEqual(snap.name, "s1")
        for attr in ("name", "level", "created_at", "description", "database", "table"):
            self.assertTrue(hasattr(snap, attr), attr)
        p = c.pitr.create_cluster_pitr("p", 3, "mo")
        self.assertEqual(p.name, "p")
        for attr in ("created_time", "modified_time", "level", "account_name",
                     "database_name", "table_name", "range_value", "range_unit"):
            self.assertTrue(hasattr(p, attr), attr)
        pub = c.pubsub.create_database_publication("pub", "db", ["a1", "a2"])
        self.assertEqual(pub.name, "pub")
        self.assertIn("ACCOUNT `a1`, `a2`", c.journal[-2])
        self.assertEqual(c.pubsub.create_subscription("sub", "pub", "acc").sub_name, "sub")
        self.assertEqual(c.account.create_account("acc", "admin", "pw").name, "acc")
        self.assertEqual(c.snapshots.list(), [])
        self.assertEqual(c.pitr.list(level="cluster"), [])
        self.assertEqual(c.journal[-1], "SHOW PITR WHERE pitr_level = 'cluster'")
        self.assertIs(c.snapshots.exists("s1"), True)
        self.assertEqual(c.branch.diff_table("t1", "t2", output="count"), [])
        self.assertEqual(c.journal[-1], "data branch diff `t1` against `t2` output count")
        self.assertIs(c.restore.restore_cluster("s"), True)
        self.assertEqual(c.pubsub.show_create_publication("pub"), "")

    def test_names_and_values_are_quoted(self):
        c = dry_client()
        c.snapshots.delete("x`; DROP DATABASE y; --")
        self.assertEqual(c.journal[-1], "DROP SNAPSHOT `x``; DROP DATABASE y; --`")
        c.account.create_user("u", "it's")
        self.assertEqual(c.journal[-2], "CREATE USER `u` IDENTIFIED BY 'it''s'")

    def test_bad_arguments_name_the_operation(self):
        c = dry_client()
        cases = [
            (lambda: c.snapshots.create("s", "galaxy"), "snapshots.create", "Invalid snapshot level: galaxy"),
            (lambda: c.snapshots.create("s", "database"), "snapshots.create", None),
            (lambda: c.snapshots.create(None, "cluster"), "snapshots.create", "name is required"),
            (lambda: c.snapshots.create(42, "cluster"), "snapshots.create", "name must be a string, not an integer"),
            (lambda: c.pitr.create_cluster_pitr("p", 0), "pitr.create_cluster_pitr", "Range value must be between 1 and 100"),
            (lambda: c.pitr.create_cluster_pitr("p", "1"), "pitr.create_cluster_pitr", None),
            (lambda: c.pitr.create_cluster_pitr("p", 1, "w"), "pitr.create_cluster_pitr", None),
            (lambda: c.branch.merge_table("a", "b", "maybe"), "branch.merge_table", "on_conflict must be 'skip' or 'accept', got 'maybe'"),
            (lambda: c.branch.diff_table("a", "b", output="nope"), "branch.diff_table", None),
            (lambda: c.account.grant_privilege("SELECT", "TABLE", "t"), "account.grant_privilege", "Must specify either to_user or to_role"),
            (lambda: c.clone.clone_table("", "src"), "clone.clone_table", None),
            (lambda: c.clone.clone_table("t", "s", if_not_exists="yes"), "clone.clone_table", None),
            (lambda: c.account.list_grants(user=b"u"), "account.list_grants", None),
        ]
        for fn, op, msg in cases:
            with self.subTest(op=op, msg=msg):
                with self.assertRaises(mocore.InvalidArgumentError) as cm:
                    fn()
                self.assertIsInstance(cm.exception, mocore.ProgrammingError)
                self.assertEqual(cm.exception.operation, op)
                if msg:
                    self.assertIn(msg, cm.exception.message)
        self.assertEqual(c.journal, [])  # nothing was sent

    def test_raw_core_functions_reject_none_and_wrong_handles(self):
        core = mocore.mocore_core
        with self.assertRaises(mocore.InvalidArgumentError):
            core.mo_snapshots_list(None)
        with self.assertRaises(TypeError):
            core.mo_snapshots_list("executor")
        with self.assertRaises(TypeError):
            core.mo_snapshots_delete(core.mo_client_executor(dry_client()._h), 5)
        self.assertIsNone(core.mo_snapshot_name(None))
        self.assertEqual(core.mo_snapshot_list_count(None), 0)
        self.assertEqual(core.mo_swig_record_fields(None), "")


@requires_mariadb("users, roles and grants as MariaDB spells them, MatrixOne-only calls "
                  "UNSUPPORTED; test_matrixone.py has MatrixOne's")
class MariaDBTest(unittest.TestCase):
    def setUp(self):
        self.root = mocore.connect(root_url())
        self.name = "py_" + uuid.uuid4().hex[:10]

    def tearDown(self):
        self.root.execute(f"DROP USER IF EXISTS `{self.name}_u`")
        self.root.execute(f"DROP ROLE IF EXISTS `{self.name}_r`")
        self.root.close()

    def test_users_roles_and_grants_for_real(self):
        acc = self.root.account
        u, r = self.name + "_u", self.name + "_r"
        user = acc.create_user(u, "pw'1")
        self.assertIsInstance(user, mocore.User)
        self.assertEqual((user.name, user.host), (u, "%"))
        role = acc.create_role(r)
        self.assertIsInstance(role, mocore.Role)
        self.assertEqual(role.name, r)
        self.assertEqual(acc.get_role(r).name, r)
        self.assertIn(r, [x.name for x in acc.list_roles()])
        acc.grant_privilege("SELECT, INSERT", "TABLE", "mocore_test.*", to_user=u)
        acc.grant_privilege("SELECT", "DATABASE", "mocore_test", to_role=r)
        acc.grant_role(r, u)
        grants = acc.list_grants(u)
        self.assertTrue(all(isinstance(g, mocore.Grant) for g in grants))
        stmts = " | ".join(g.grant_statement for g in grants)
        self.assertIn("SELECT, INSERT ON `mocore_test`.*", stmts)
        self.assertIn(f"GRANT `{r}` TO `{u}`", stmts)
        self.assertTrue(any(g.privilege == "SELECT, INSERT" and g.object_type == "DATABASE"
                            for g in grants), grants)
        # the new user can log in with its password (quote escaped correctly)
        base = root_url().split("@", 1)[1]
        with mocore.connect(f"mysql://{u}:pw%271@{base}") as uc:
            self.assertEqual(uc.account.get_current_user().name, u)
        acc.revoke_role(r, u)
        acc.revoke_privilege("SELECT, INSERT", "TABLE", "mocore_test.*", from_user=u)
        self.assertNotIn("INSERT", " ".join(g.grant_statement for g in acc.list_grants(u)))
        acc.alter_user(u, lock=True)
        with self.assertRaises(mocore.AuthError) as cm:   # "this account is locked"
            mocore.connect(f"mysql://{u}:pw%271@{base}")
        self.assertIn(cm.exception.code, (3118, 4151))
        acc.drop_role(r)
        with self.assertRaises(mocore.NotFoundError) as cm:
            acc.get_role(r)
        self.assertIn(f"Role '{r}' not found", cm.exception.message)
        self.assertEqual(cm.exception.operation, "account.get_role")
        acc.drop_user(u)
        acc.drop_user(u, if_exists=True)
        with self.assertRaises(mocore.DatabaseError) as cm:
            acc.drop_user(u)
        self.assertTrue(cm.exception.code)  # the server's errno is kept

    def test_current_user_and_list_users(self):
        me = self.root.account.get_current_user()
        self.assertEqual(me.name, "root")
        users = self.root.account.list_users()
        self.assertEqual(len(users), 1)
        self.assertEqual(users[0].name, "root")

    def test_matrixone_only_calls_are_unsupported_and_send_nothing(self):
        c = mocore.connect(server_url())
        calls = [
            ("snapshots.create", lambda: c.snapshots.create("s", "cluster")),
            ("snapshots.list", lambda: c.snapshots.list()),
            ("clone.clone_database", lambda: c.clone.clone_database("a", "b")),
            ("branch.create_table_branch", lambda: c.branch.create_table_branch("a", "b")),
            ("restore.restore_cluster", lambda: c.restore.restore_cluster("s")),
            ("pitr.create_cluster_pitr", lambda: c.pitr.create_cluster_pitr("p")),
            ("pitr.list", lambda: c.pitr.list()),
            ("pubsub.list_publications", lambda: c.pubsub.list_publications()),
            ("pubsub.create_subscription", lambda: c.pubsub.create_subscription("a", "b", "c")),
            ("account.create_account", lambda: c.account.create_account("a", "b", "c")),
            ("account.list_accounts", lambda: c.account.list_accounts()),
        ]
        for op, fn in calls:
            with self.subTest(op=op):
                with self.assertRaises(mocore.UnsupportedError) as cm:
                    fn()
                self.assertIsInstance(cm.exception, mocore.NotSupportedError)
                self.assertEqual(cm.exception.operation, op)
        self.assertEqual(c.scalar("SELECT 1"), 1)  # the connection is fine

    def test_manager_in_a_rolled_back_session_leaves_no_trace(self):
        c = mocore.connect(server_url())
        t = self.name + "_t"
        c.execute(f"CREATE TABLE `{t}` (id INT PRIMARY KEY)")
        try:
            with self.assertRaises(mocore.AuthError):  # mocore may not read mysql.user
                with c.session() as s:
                    s.execute(f"INSERT INTO `{t}` VALUES (1)")
                    me = s.account.get_current_user()        # runs on the session's connection
                    self.assertEqual(me.name, "mocore")
                    s.account.list_roles()                     # raises: rollback
            self.assertEqual(c.scalar(f"SELECT COUNT(*) FROM `{t}`"), 0)
            with c.session() as s:
                s.execute(f"INSERT INTO `{t}` VALUES (2)")
                with self.assertRaises(mocore.UnsupportedError):
                    s.snapshots.create("s", "cluster")
                s.rollback()
            self.assertEqual(c.scalar(f"SELECT COUNT(*) FROM `{t}`"), 0)
            # a closed session's managers fail cleanly
            s = c.session()
            acc = s.account
            s.close()
            with self.assertRaises(mocore.InterfaceError):
                acc.list_roles()
        finally:
            c.execute(f"DROP TABLE `{t}`")


if __name__ == "__main__":
    unittest.main()
