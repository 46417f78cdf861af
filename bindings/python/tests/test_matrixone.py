"""The MatrixOne profile in Python: every manager end to end on a real MatrixOne (objects made
through mocore, read back from MatrixOne's own catalog — SHOW SNAPSHOTS, SHOW PITR,
SHOW PUBLICATIONS, SHOW ACCOUNTS, mo_catalog tables — and dropped), sessions, the retry helper
on a real deadlock, every parameter type round-tripped, LOAD DATA (server file, LOCAL, inline,
stage), export read back byte for byte, fulltext and vector (IVF, HNSW) searches, mo_ctl, and
the error classes of MatrixOne's errors, each provoked for real.

Enabled by MOCORE_TEST_MATRIXONE_URL (e.g. matrixone://root:111@127.0.0.1:6001/test), skipped
with that reason otherwise. Objects are named mob_py_<random> and dropped; each run works in a
database of its own. The server reads and writes files on this machine (MatrixOne runs on
loopback here): server-side LOAD DATA and export use a directory under /tmp."""

import datetime as dt
import decimal
import json
import os
import shutil
import tempfile
import threading
import unittest
import urllib.parse
import uuid

import mocore
from servers import matrixone_url


def _with_database(url, db):
    u = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + db, u.query, u.fragment))


def _rows_as_dicts(client, sql):
    res = client.execute(sql)
    cols = [c.lower() for c in res.columns]
    return [dict(zip(cols, r)) for r in res.fetchall()]


def _catalog_has(client, sql, name):
    """Whether one row of `sql` (a SHOW or a catalog SELECT) holds `name` in some column."""
    return any(name in (v for v in row.values() if isinstance(v, str))
               for row in _rows_as_dicts(client, sql))


class MatrixOneBase(unittest.TestCase):
    """One database per class (mob_py_<random>) on a client connected to it."""

    @classmethod
    def setUpClass(cls):
        url = matrixone_url()
        cls.admin = mocore.connect(url)
        cls.db = "mob_py_" + uuid.uuid4().hex[:8]
        cls.admin.execute(f"CREATE DATABASE `{cls.db}`")
        cls.url = _with_database(url, cls.db)
        cls.c = mocore.connect(cls.url)
        cls.dir = tempfile.mkdtemp(prefix="mob_py_")
        os.chmod(cls.dir, 0o777)

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "c", None):
            cls.c.close()
        if getattr(cls, "admin", None):
            cls.admin.execute(f"DROP DATABASE IF EXISTS `{cls.db}`")
            cls.admin.close()
        if getattr(cls, "dir", None):
            shutil.rmtree(cls.dir, ignore_errors=True)

    def name(self, what="t"):
        return f"mob_py_{what}_{uuid.uuid4().hex[:8]}"

    def table(self, cols, what="t"):
        t = self.name(what)
        self.c.execute(f"CREATE TABLE `{t}` ({cols})")
        self.addCleanup(self.c.execute, f"DROP TABLE IF EXISTS `{t}`")
        return t

    def count(self, table, db=None):
        return self.c.scalar(f"SELECT COUNT(*) FROM `{db or self.db}`.`{table}`")


class Server(MatrixOneBase):
    def test_the_client_reports_matrixone(self):
        self.assertEqual(self.c.server_kind, "matrixone")
        self.assertGreaterEqual(self.c.version, (1, 0, 0))
        self.assertEqual(self.c.scalar("SELECT 1"), 1)


class Snapshots(MatrixOneBase):
    def test_database_and_table_snapshots_in_show_snapshots(self):
        t = self.table("id INT PRIMARY KEY")
        sdb, stb = self.name("sdb"), self.name("stb")
        snaps = self.c.snapshots
        s = snaps.create(sdb, "database", database=self.db)
        self.addCleanup(lambda: snaps.exists(sdb) and snaps.delete(sdb))
        self.assertIsInstance(s, mocore.Snapshot)
        self.assertEqual((s.name, s.level, s.database), (sdb, mocore.SnapshotLevel.DATABASE, self.db))
        snaps.create(stb, mocore.SnapshotLevel.TABLE, database=self.db, table=t)
        self.addCleanup(lambda: snaps.exists(stb) and snaps.delete(stb))
        self.assertTrue(_catalog_has(self.c, "SHOW SNAPSHOTS", sdb))
        self.assertTrue(_catalog_has(self.c, "SHOW SNAPSHOTS", stb))
        got = snaps.get(stb)
        self.assertEqual((got.level, got.database, got.table), (mocore.SnapshotLevel.TABLE, self.db, t))
        # created_at: an aware UTC datetime of the snapshot's ts (ns), made by C's outcome
        epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        self.assertEqual(got.created_at, epoch + dt.timedelta(microseconds=got.ts // 1000))
        self.assertIn(sdb, [x.name for x in snaps.list()])
        self.assertTrue(snaps.exists(sdb))
        snaps.delete(sdb)
        snaps.delete(stb)
        self.assertFalse(_catalog_has(self.c, "SHOW SNAPSHOTS", sdb))
        self.assertFalse(snaps.exists(stb))
        with self.assertRaises(mocore.NotFoundError):
            snaps.get(stb)


class CloneBranchRestore(MatrixOneBase):
    def test_clone_table_and_database(self):
        t = self.table("id INT PRIMARY KEY, v VARCHAR(10)")
        self.c.execute(f"INSERT INTO `{t}` VALUES (1, 'a'), (2, 'b')")
        t2 = self.name("clone")
        self.c.clone.clone_table(t2, t)
        self.addCleanup(self.c.execute, f"DROP TABLE IF EXISTS `{t2}`")
        self.assertEqual(self.c.query(f"SELECT id, v FROM `{t2}` ORDER BY id"), [(1, "a"), (2, "b")])
        # from a snapshot: the rows as they were
        snap = self.name("snap")
        self.c.snapshots.create(snap, "table", database=self.db, table=t)
        self.addCleanup(self.c.snapshots.delete, snap)
        self.c.execute(f"INSERT INTO `{t}` VALUES (3, 'c')")
        t3 = self.name("clone")
        self.c.clone.clone_table(t3, t, snapshot_name=snap)
        self.addCleanup(self.c.execute, f"DROP TABLE IF EXISTS `{t3}`")
        self.assertEqual(self.count(t3), 2)
        db2 = self.name("clonedb")
        self.c.clone.clone_database(db2, self.db)
        self.addCleanup(self.c.execute, f"DROP DATABASE IF EXISTS `{db2}`")
        self.assertIn(t, [r[0] for r in self.c.query(f"SHOW TABLES FROM `{db2}`")])
        self.assertEqual(self.count(t, db2), 3)
        with self.assertRaises(mocore.AlreadyExistsError):
            self.c.clone.clone_table(t2, t)
        self.c.clone.clone_table(t2, t, if_not_exists=True)

    def test_table_branch_diff_and_merge(self):
        t = self.table("id INT PRIMARY KEY, v VARCHAR(10)")
        self.c.execute(f"INSERT INTO `{t}` VALUES (1, 'a')")
        b = self.name("branch")
        self.c.branch.create_table_branch(b, t)
        self.addCleanup(self.c.execute, f"DROP TABLE IF EXISTS `{b}`")
        self.assertEqual(self.c.query(f"SELECT id, v FROM `{b}`"), [(1, "a")])
        self.c.execute(f"INSERT INTO `{b}` VALUES (2, 'b')")
        diff = self.c.branch.diff_table(b, t)
        self.assertTrue(any(2 in tuple(r.values() if isinstance(r, dict) else r) for r in diff), diff)
        self.c.branch.merge_table(b, t)
        self.assertEqual(self.c.query(f"SELECT id, v FROM `{t}` ORDER BY id"), [(1, "a"), (2, "b")])
        self.c.branch.delete_table_branch(b)
        self.assertNotIn(b, [r[0] for r in self.c.query("SHOW TABLES")])

    def test_restore_table_from_a_snapshot(self):
        t = self.table("id INT PRIMARY KEY")
        self.c.execute(f"INSERT INTO `{t}` VALUES (1), (2), (3)")
        snap = self.name("snap")
        self.c.snapshots.create(snap, "account")
        self.addCleanup(self.c.snapshots.delete, snap)
        self.c.execute(f"DELETE FROM `{t}` WHERE id > 1")
        self.assertEqual(self.count(t), 1)
        self.c.restore.restore_table(snap, "sys", self.db, t)
        self.assertEqual(self.c.query(f"SELECT id FROM `{t}` ORDER BY id"), [(1,), (2,), (3,)])
        self.c.execute(f"DELETE FROM `{t}`")
        self.c.restore.restore_database(snap, "sys", self.db)
        self.assertEqual(self.count(t), 3)


class Pitr(MatrixOneBase):
    def test_database_pitr_in_show_pitr(self):
        p = self.name("pitr")
        pitr = self.c.pitr.create_database_pitr(p, self.db, 2, "d")
        self.addCleanup(lambda: self.c.execute(f"DROP PITR IF EXISTS `{p}`"))
        self.assertIsInstance(pitr, mocore.Pitr)
        self.assertEqual((pitr.name, pitr.range_value, pitr.range_unit), (p, 2, "d"))
        self.assertTrue(_catalog_has(self.c, "SHOW PITR", p))
        self.assertEqual(self.c.pitr.get(p).database_name, self.db)
        self.assertIn(p, [x.name for x in self.c.pitr.list(database_name=self.db)])
        self.c.pitr.alter(p, 3, "d")
        self.assertEqual(self.c.pitr.get(p).range_value, 3)
        self.c.pitr.delete(p)
        self.assertFalse(_catalog_has(self.c, "SHOW PITR", p))


class AccountsAndPubSub(MatrixOneBase):
    def test_account_life_cycle_in_show_accounts(self):
        a = self.name("acc")
        acc = self.c.account.create_account(a, "admin", "pw'1", comment="mob test")
        self.addCleanup(lambda: self.c.account.drop_account(a, if_exists=True))
        self.assertEqual((acc.name, acc.admin_name), (a, "admin"))
        self.assertTrue(_catalog_has(self.c, "SHOW ACCOUNTS", a))
        self.assertIn(a, [x.name for x in self.c.account.list_accounts()])
        self.c.account.alter_account(a, comment="changed")
        self.assertEqual(self.c.account.get_account(a).comment, "changed")
        # the new account's admin logs in with the quoted password
        u = urllib.parse.urlsplit(self.url)
        host = u.netloc.rsplit("@", 1)[1]
        with mocore.connect(f"matrixone://{a}%23admin:pw%271@{host}/mo_catalog") as ac:
            self.assertEqual(ac.scalar("SELECT 1"), 1)
        self.c.account.drop_account(a)
        self.assertFalse(_catalog_has(self.c, "SHOW ACCOUNTS", a))

    def test_users_and_roles_in_mo_catalog(self):
        acc = self.c.account
        u, r = self.name("u"), self.name("r")
        acc.create_user(u, "pw1")
        self.addCleanup(lambda: acc.drop_user(u, if_exists=True))
        acc.create_role(r)
        self.addCleanup(lambda: acc.drop_role(r, if_exists=True))
        self.assertTrue(_catalog_has(self.c, "SELECT user_name FROM mo_catalog.mo_user", u))
        self.assertTrue(_catalog_has(self.c, "SELECT role_name FROM mo_catalog.mo_role", r))
        self.assertEqual(acc.list_users()[0].name, "root")     # the SDK's: the current user
        self.assertEqual(acc.get_role(r).name, r)
        acc.grant_privilege("SELECT", "TABLE", f"{self.db}.*", to_role=r)
        acc.grant_role(r, u)
        # MatrixOne lists the role's privileges among the user's grants
        self.assertTrue(any("select" in g.grant_statement.lower() for g in acc.list_grants(u)),
                        acc.list_grants(u))
        acc.revoke_role(r, u)
        acc.drop_role(r)
        acc.drop_user(u)
        self.assertFalse(_catalog_has(self.c, "SELECT user_name FROM mo_catalog.mo_user", u))

    def test_publication_and_subscription_across_accounts(self):
        a = self.name("sub")
        self.c.account.create_account(a, "admin", "pw1")
        self.addCleanup(lambda: self.c.account.drop_account(a, if_exists=True))
        t = self.table("id INT PRIMARY KEY")
        self.c.execute(f"INSERT INTO `{t}` VALUES (7)")
        pub = self.name("pub")
        p = self.c.pubsub.create_database_publication(pub, self.db, a)
        self.addCleanup(lambda: self.c.execute(f"DROP PUBLICATION IF EXISTS `{pub}`"))
        self.assertEqual((p.name, p.database), (pub, self.db))
        self.assertTrue(_catalog_has(self.c, "SHOW PUBLICATIONS", pub))
        self.assertIn(pub, [x.name for x in self.c.pubsub.list_publications()])
        self.assertIn(pub, self.c.pubsub.show_create_publication(pub))
        host = urllib.parse.urlsplit(self.url).netloc.rsplit("@", 1)[1]
        with mocore.connect(f"matrixone://{a}%23admin:pw1@{host}/mo_catalog") as sc:
            sub = self.name("subdb")
            sc.pubsub.create_subscription(sub, pub, "sys")
            self.assertTrue(_catalog_has(sc, "SHOW SUBSCRIPTIONS", pub))
            self.assertEqual(sc.scalar(f"SELECT id FROM `{sub}`.`{t}`"), 7)
            got = sc.pubsub.get_subscription(sub)
            self.assertEqual((got.pub_name, got.pub_account), (pub, "sys"))
            self.assertIn(sub, [x.sub_name for x in sc.pubsub.list_subscriptions()])
            sc.execute(f"DROP DATABASE `{sub}`")
        self.c.pubsub.drop_publication(pub)
        self.assertFalse(_catalog_has(self.c, "SHOW PUBLICATIONS", pub))


class Tables(MatrixOneBase):
    def test_create_insert_batch_insert_drop(self):
        t = self.name("tbl")
        self.c.create_table(t, {"id": "bigint", "name": "varchar(20)", "v": "vecf32(3)"},
                            primary_key="id")
        self.addCleanup(self.c.execute, f"DROP TABLE IF EXISTS `{t}`")
        self.assertIn(t, [r[0] for r in self.c.query("SHOW TABLES")])
        self.assertEqual(self.c.insert(t, {"id": 1, "name": "a", "v": [1, 2, 3]}).affected_rows, 1)
        rows = [{"id": i, "name": f"n{i}", "v": [i, 0.5, -i]} for i in range(2, 502)]
        self.assertEqual(self.c.batch_insert(t, rows).affected_rows, 500)
        self.assertEqual(self.count(t), 501)
        self.assertEqual(self.c.scalar(f"SELECT name FROM `{t}` WHERE id = 501"), "n501")
        self.c.drop_table(t)
        self.assertNotIn(t, [r[0] for r in self.c.query("SHOW TABLES")])


class Sessions(MatrixOneBase):
    def test_commit_rollback_and_rollback_on_error(self):
        t = self.table("id INT PRIMARY KEY")
        with self.c.session() as s:
            s.execute(f"INSERT INTO `{t}` VALUES (1)")
            self.assertEqual(s.state, "in_transaction")
        self.assertEqual(self.count(t), 1)
        s = self.c.session()
        s.execute(f"INSERT INTO `{t}` VALUES (2)")
        s.rollback()
        s.close()
        self.assertEqual(self.count(t), 1)
        with self.assertRaises(mocore.IntegrityError):
            with self.c.session() as s:
                s.execute(f"INSERT INTO `{t}` VALUES (3)")
                s.execute(f"INSERT INTO `{t}` VALUES (1)")   # duplicate: the block rolls back
        self.assertEqual(self.c.query(f"SELECT id FROM `{t}`"), [(1,)])
        # managers inside a session run in its transaction
        with self.c.session() as s:
            s.insert(t, {"id": 4})
            s.rollback()
        self.assertEqual(self.count(t), 1)

    def test_transaction_retries_a_real_deadlock(self):
        t = self.table("id INT PRIMARY KEY, n INT")
        self.c.execute(f"INSERT INTO `{t}` VALUES (1, 0), (2, 0)")
        both_hold_one = threading.Barrier(2, timeout=30)
        attempts, errors = [], []

        def worker(first, second):
            client = mocore.connect(self.url)

            def body(s):
                attempts.append(first)
                s.execute(f"UPDATE `{t}` SET n = n + 1 WHERE id = ?", [first])
                if len(attempts) <= 2:          # the first round: both hold a row, then cross
                    try:
                        both_hold_one.wait()
                    except threading.BrokenBarrierError:
                        pass
                s.execute(f"UPDATE `{t}` SET n = n + 1 WHERE id = ?", [second])
            try:
                client.transaction(body, retries=3)
            except Exception as e:   # reported below
                errors.append(e)
            finally:
                client.close()

        threads = [threading.Thread(target=worker, args=(1, 2)),
                   threading.Thread(target=worker, args=(2, 1))]
        for th in threads:
            th.start()
        for th in threads:
            th.join(120)
        self.assertEqual(errors, [])
        self.assertGreater(len(attempts), 2, "one transaction was chosen as the deadlock victim")
        self.assertEqual(self.c.query(f"SELECT id, n FROM `{t}` ORDER BY id"), [(1, 2), (2, 2)])


class Parameters(MatrixOneBase):
    def test_every_parameter_type_round_trips(self):
        t = self.table("id INT PRIMARY KEY, b BOOL, i BIGINT, u BIGINT UNSIGNED, f FLOAT, "
                       "d DOUBLE, dec DECIMAL(20,6), s VARCHAR(100), tx TEXT, bl BLOB, "
                       "dt DATE, ts DATETIME(6), tm TIME, j JSON, v VECF32(3), v64 VECF64(2)")
        values = [1, True, -(2 ** 62), 2 ** 63 + 5, 1.5, 2.25e100, decimal.Decimal("-12345.678901"),
                  "it's \"quoted\" \\ ü", "line\nbreak", b"\x00\x01'\xff",
                  dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 23, 59, 58, 123456),
                  dt.timedelta(hours=12, minutes=34, seconds=56), {"k": [1, "two"]},
                  [0.5, -1.25, 3.0], [1e-3, 2.0]]
        self.c.execute(f"INSERT INTO `{t}` VALUES ({', '.join('?' * len(values))})", values)
        self.c.execute(f"INSERT INTO `{t}` (id) VALUES (?)", [2])
        row = self.c.query(f"SELECT * FROM `{t}` WHERE id = 1")[0]
        got = list(row)
        self.assertEqual(got[0], 1)
        self.assertIn(got[1], (True, 1))
        self.assertEqual(got[2:4], [-(2 ** 62), 2 ** 63 + 5])
        self.assertEqual(got[4:6], [1.5, 2.25e100])
        self.assertEqual(got[6], decimal.Decimal("-12345.678901"))
        self.assertEqual(got[7:10], ["it's \"quoted\" \\ ü", "line\nbreak", b"\x00\x01'\xff"])
        self.assertEqual(got[10:13], values[10:13])
        self.assertEqual(json.loads(got[13]), {"k": [1, "two"]})
        # MatrixOne sends vecf32/vecf64 columns of a plain query as text (docs/matrixone.md,
        # Vectors); vector_ops searches give lists (the Vectors tests)
        self.assertEqual(got[14:16], ["[0.5, -1.25, 3]", "[0.001, 2]"])
        self.assertEqual(self.c.query(f"SELECT b, s, v FROM `{t}` WHERE id = ?", [2]),
                         [(None, None, None)])
        # MatrixOne prints a DOUBLE in full (1e-300 as 0.000...01, 302 characters)
        self.assertEqual(self.c.scalar("SELECT CAST(? AS DOUBLE)", [1e-300]), 1e-300)
        self.assertEqual(self.c.scalar("SELECT CAST(? AS DOUBLE)", [-1.7976931348623157e308]),
                         -1.7976931348623157e308)
        # a vector parameter in WHERE
        self.assertEqual(self.c.scalar(f"SELECT id FROM `{t}` WHERE l2_distance(v, ?) < 0.01",
                                       [[0.5, -1.25, 3.0]]), 1)


class LoadData(MatrixOneBase):
    def setUp(self):
        self.t = self.table("id INT PRIMARY KEY, name VARCHAR(20)")

    def rows(self):
        return self.c.query(f"SELECT id, name FROM `{self.t}` ORDER BY id")

    def test_server_side_file(self):
        path = os.path.join(self.dir, "server.csv")
        with open(path, "w") as f:
            f.write("id|name\n1|a\n2|\"b,c\"\n")
        os.chmod(path, 0o644)
        n = self.c.load_data.read_csv(path, self.t, sep="|", quotechar='"', skiprows=1)
        self.assertEqual(n, 2)
        self.assertEqual(self.rows(), [(1, "a"), (2, "b,c")])

    def test_local_file(self):
        path = os.path.join(self.dir, "local.csv")
        with open(path, "w") as f:
            f.write("".join(f"{i},n{i}\n" for i in range(1, 1001)))
        seen = []
        with mocore.connect(self.url, local_infile_dirs=[self.dir]) as lc:
            n = lc.load_data.from_local_file(path, self.t,
                                             progress=lambda done, total: seen.append((done, total)))
        self.assertEqual(n, 1000)
        self.assertEqual(self.count(self.t), 1000)
        self.assertEqual(self.c.scalar(f"SELECT name FROM `{self.t}` WHERE id = 1000"), "n1000")
        self.assertEqual(seen[-1][0], os.path.getsize(path))

    def test_inline(self):
        self.assertEqual(self.c.load_data.from_inline("1,x\n2,y\n", self.t), 2)
        self.assertEqual(self.rows(), [(1, "x"), (2, "y")])
        self.c.execute(f"DELETE FROM `{self.t}`")
        data = '{"id": 3, "name": "j"}\n'
        self.assertEqual(self.c.load_data.read_json_inline(data, self.t), 1)
        self.assertEqual(self.rows(), [(3, "j")])

    def test_stage_then_load_and_export(self):
        st = self.name("stage")
        stage = self.c.stage.create_local(st, self.dir + "/", comment="mob")
        self.addCleanup(lambda: self.c.stage.drop(st, if_exists=True))
        self.assertEqual(stage.name, st)
        self.assertTrue(_catalog_has(self.c, "SELECT stage_name FROM mo_catalog.mo_stages", st))
        self.assertTrue(self.c.stage.exists(st))
        with open(os.path.join(self.dir, "staged.csv"), "w") as f:
            f.write("5,five\n6,six\n")
        self.assertEqual(self.c.load_data.from_stage(st, "staged.csv", self.t), 2)
        self.assertEqual(self.rows(), [(5, "five"), (6, "six")])
        self.c.export.to_csv_stage(st, "out.csv", f"SELECT id, name FROM `{self.t}` ORDER BY id",
                                   quotechar='"')
        with open(os.path.join(self.dir, "out.csv"), "rb") as f:   # header=False: no header line
            self.assertEqual(f.read(), b'5,"five"\n6,"six"\n')
        self.c.stage.drop(st)
        self.assertFalse(_catalog_has(self.c, "SELECT stage_name FROM mo_catalog.mo_stages", st))


class Export(MatrixOneBase):
    def test_csv_and_jsonl_read_back_byte_for_byte(self):
        t = self.table("id INT PRIMARY KEY, name VARCHAR(20)")
        self.c.execute(f"INSERT INTO `{t}` VALUES (1, 'a'), (2, 'b\"q'), (3, NULL)")
        path = os.path.join(self.dir, "export.csv")
        n = self.c.export.to_csv(path, f"SELECT id, name FROM `{t}` WHERE id > ? ORDER BY id",
                                 params=[0], sep="|", quotechar='"')
        self.assertEqual(n, 0)  # MatrixOne v4.2 reports 0 rows for INTO OUTFILE; the file has 3
        with open(path, "rb") as f:
            data = f.read()
        # MatrixOne doubles a quote inside an enclosed field (MariaDB writes \")
        self.assertEqual(data, b'1|"a"\n2|"b""q"\n3|\\N\n')
        jpath = os.path.join(self.dir, "export.jsonl")
        self.c.export.to_jsonl(jpath, f"SELECT id, name FROM `{t}` WHERE id < 3 ORDER BY id")
        with open(jpath, "rb") as f:
            lines = [json.loads(x) for x in f.read().splitlines()]
        self.assertEqual(lines, [{"id": 1, "name": "a"}, {"id": 2, "name": 'b"q'}])


class Vectors(MatrixOneBase):
    def setUp(self):
        self.t = self.table("id BIGINT PRIMARY KEY, title VARCHAR(20), v VECF32(3)")
        self.v = self.c.vector_ops
        self.v.batch_insert(self.t, [{"id": i, "title": f"t{i}", "v": [i, i, i]}
                                     for i in range(1, 21)])

    def test_ivf_index_and_searches(self):
        self.v.create_ivf(self.t, "mob_ivf", "v", lists=2)
        self.assertTrue(_catalog_has(self.c, f"SHOW INDEX FROM `{self.t}`", "mob_ivf"))
        rows = self.v.similarity_search(self.t, "v", [5.1, 5.1, 5.1], limit=3,
                                        select_columns=["id", "title", "v"])
        self.assertEqual([r["id"] for r in rows], [5, 6, 4])
        self.assertEqual(rows[0]["v"], [5.0, 5.0, 5.0])         # the vector column as a list
        self.assertIsInstance(rows[0]["distance"], float)
        near = self.v.range_search(self.t, "v", [1, 1, 1], 2.0, select_columns="id")
        self.assertEqual(sorted(r["id"] for r in near), [1, 2])
        ranked = self.v.search_with_rank(self.t, "v", [20, 20, 20], limit=2,
                                         where_clause="id < ?", where_params=[20])
        self.assertEqual([r["id"] for r in ranked], [19, 18])
        self.assertEqual(ranked[0]["v"], [19.0, 19.0, 19.0])
        self.v.drop(self.t, "mob_ivf")
        self.assertFalse(_catalog_has(self.c, f"SHOW INDEX FROM `{self.t}`", "mob_ivf"))

    def test_hnsw_index_and_search(self):
        self.v.create_hnsw(self.t, "mob_hnsw", "v", m=8, ef_construction=32, ef_search=16)
        self.assertTrue(_catalog_has(self.c, f"SHOW INDEX FROM `{self.t}`", "mob_hnsw"))
        rows = self.v.similarity_search(self.t, "v", [9.9, 9.9, 9.9], limit=2,
                                        select_columns=["id"], distance_type="l2")
        self.assertEqual([r["id"] for r in rows], [10, 9])
        self.v.drop(self.t, "mob_hnsw")


class Fulltext(MatrixOneBase):
    def test_index_and_searches(self):
        t = self.table("id INT PRIMARY KEY, title VARCHAR(100), body TEXT")
        self.c.batch_insert(t, [
            {"id": 1, "title": "matrixone", "body": "a distributed database for vectors"},
            {"id": 2, "title": "mariadb", "body": "a fork of mysql"},
            {"id": 3, "title": "sqlite", "body": "an embedded database"}])
        ft = self.c.fulltext_index
        ft.create(t, "mob_ft", ["title", "body"])
        self.assertTrue(_catalog_has(self.c, f"SHOW INDEX FROM `{t}`", "mob_ft"))
        rows = ft.search(t, ["title", "body"], "distributed", select_columns=["id"])
        self.assertEqual([r["id"] for r in rows], [1])
        rows = ft.search(t, "title, body", "+database -embedded", mode="boolean",
                         select_columns="id")
        self.assertEqual([r["id"] for r in rows], [1])
        ft.drop(t, "mob_ft")
        self.assertFalse(_catalog_has(self.c, f"SHOW INDEX FROM `{t}`", "mob_ft"))


class MetadataAndMoCtl(MatrixOneBase):
    def test_flush_then_metadata_scan(self):
        t = self.table("id INT PRIMARY KEY, name VARCHAR(20)")
        self.c.batch_insert(t, [{"id": i, "name": f"n{i}"} for i in range(100)])
        self.c.moctl.flush_table(self.db, t)
        rows = self.c.metadata.scan(self.db, t, columns="*")   # MetadataRow records
        self.assertTrue(rows)
        self.assertTrue(all(isinstance(r, mocore.MetadataRow) for r in rows))
        self.assertEqual({"id", "name"} - {r.col_name for r in rows}, set())
        self.assertTrue(all(r.rows_cnt > 0 for r in rows if r.col_name == "id"))
        brief = self.c.metadata.get_table_brief_stats(self.db, t)
        # physical objects: until MatrixOne merges them a row may sit in more than one
        self.assertGreaterEqual(sum(s["row_cnt"] for s in brief.values()), 100)
        self.c.moctl.increment_checkpoint()

    def test_mo_ctl_unknown_table_is_an_error(self):
        with self.assertRaises(mocore.DatabaseError):
            self.c.moctl.flush_table(self.db, "mob_py_no_such_table")


class Cdc(MatrixOneBase):
    def test_task_life_cycle_in_mo_catalog(self):
        t = self.table("id INT PRIMARY KEY")
        sink_db = self.name("sink")
        self.c.execute(f"CREATE DATABASE `{sink_db}`")
        self.addCleanup(self.c.execute, f"DROP DATABASE IF EXISTS `{sink_db}`")
        u = urllib.parse.urlsplit(self.url)
        uri = self.c.cdc.build_mysql_uri(u.hostname, u.port or 6001, u.username,
                                         urllib.parse.unquote(u.password or ""), account="sys")
        task = self.name("cdc")
        info = self.c.cdc.create_table_task(task, uri, "mysql", uri,
                                            [(f"{self.db}.{t}", f"{sink_db}.{t}")])
        self.addCleanup(lambda: self.c.cdc.exists(task) and self.c.cdc.drop(task))
        self.assertEqual(info.task_name, task)
        self.assertTrue(_catalog_has(self.c, "SELECT task_name FROM mo_catalog.mo_cdc_task", task))
        self.assertTrue(self.c.cdc.exists(task))
        self.assertIn(task, [x.task_name for x in self.c.cdc.list()])
        self.assertEqual(self.c.cdc.get(task).task_name, task)
        self.c.cdc.drop(task)
        self.assertFalse(_catalog_has(self.c, "SELECT task_name FROM mo_catalog.mo_cdc_task", task))


class Errors(MatrixOneBase):
    def test_each_error_class_for_real(self):
        t = self.table("id INT PRIMARY KEY, s VARCHAR(2) NOT NULL")
        self.c.execute(f"INSERT INTO `{t}` VALUES (1, 'a')")
        with self.assertRaises(mocore.IntegrityError) as cm:
            self.c.execute(f"INSERT INTO `{t}` VALUES (1, 'b')")
        self.assertIsInstance(cm.exception, mocore.ConstraintError)
        self.assertTrue(cm.exception.code)
        with self.assertRaises(mocore.ConstraintError):
            self.c.execute(f"INSERT INTO `{t}` VALUES (2, NULL)")
        with self.assertRaises(mocore.DataError):
            self.c.execute(f"INSERT INTO `{t}` VALUES (3, 'too long')")
        with self.assertRaises(mocore.NotFoundError):
            self.c.execute("SELECT * FROM mob_py_no_such_table")
        with self.assertRaises(mocore.NotFoundError):
            self.c.execute("SELECT no_such_column FROM " + f"`{t}`")
        with self.assertRaises(mocore.NotFoundError):
            self.c.execute("USE mob_py_no_such_db")
        with self.assertRaises(mocore.AlreadyExistsError):
            self.c.execute(f"CREATE TABLE `{t}` (id INT)")
        with self.assertRaises(mocore.SyntaxError) as cm:
            self.c.execute("SELEC 1")
        self.assertIsInstance(cm.exception, mocore.ProgrammingError)
        u = urllib.parse.urlsplit(self.url)
        bad = urllib.parse.urlunsplit((u.scheme, f"{u.username}:wrong-password@{u.hostname}:{u.port}",
                                       u.path, "", ""))
        with self.assertRaises(mocore.AuthError) as cm:
            mocore.connect(bad).scalar("SELECT 1")
        self.assertNotIn("wrong-password", str(cm.exception))
        self.assertEqual(self.c.scalar("SELECT 1"), 1)   # the client is fine after all that


if __name__ == "__main__":
    unittest.main()
