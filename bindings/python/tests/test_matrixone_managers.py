"""mocore.matrixone's SDK-shaped managers (snapshot, clone, branch, pitr, restore, pubsub,
account, moctl, load_data, stage, export, cdc, metadata, index_utils) and the clone / branch
statement builders: the SQL each SDK call sends (dry-run journal; hostile names stay
quoted), the SDK objects returned, the errors translated (the SDK class that is also the
mocore category class); the async twins; on the test server (MariaDB in CI) what it runs:
LOAD DATA LOCAL through the SDK's loader, the index count check, users and grants."""

import asyncio
import os
import re
import tempfile
import unittest
import uuid

import mocore
from mocore import aio
import mocore.matrixone as mx
from mocore.matrixone import branch_builder as bb
from mocore.matrixone import clone_builder as cb
from mocore.matrixone import exceptions as mxe
from mocore.matrixone.account import AccountManager
from mocore.matrixone.branch import AsyncBranchManager, BranchManager
from mocore.matrixone.cdc import CDCManager, CDCTaskInfo, build_mysql_uri
from mocore.matrixone.clone import CloneManager
from mocore.matrixone.export import ExportManager, query_sql
from mocore.matrixone.index_utils import (IndexInspector, build_get_index_tables_sql,
                                          build_get_indexed_tables_sql, build_get_ivf_indexes_sql,
                                          build_verify_counts_sql, process_verify_result)
from mocore.matrixone.load_data import AsyncLoadDataManager, LoadDataFormat, LoadDataManager
from mocore.matrixone.metadata import MetadataManager, MetadataRow
from mocore.matrixone.moctl import MoCtlManager
from mocore.matrixone.pitr import PitrManager
from mocore.matrixone.pubsub import PubSubManager
from mocore.matrixone.restore import RestoreManager
from mocore.matrixone.snapshot import (AsyncSnapshotManager, Snapshot, SnapshotLevel,
                                       SnapshotManager)
from mocore.matrixone.stage import Stage, StageManager
from servers import matrixone_url, requires_mariadb, server_url

DRY = "matrixone://u:p@127.0.0.1:1/db?dry_run=true"  # port 1: nothing could be sent
HOSTILE = "x`; DROP DATABASE y; --"


def _flat(sql):
    """A journal entry on one line (the line breaks and indentation of the C texts)."""
    return re.sub(r"\s*\n\s*", " ", sql).strip()


class Owner:
    """The executor contract of the managers: ``_mocore()`` (and ``_mocore_async()``) give
    the mocore client the managers run on."""

    def __init__(self, core=None, acore=None):
        self.core, self.acore = core, acore

    def _mocore(self):
        return self.core

    def _mocore_async(self):
        return self.acore


class DrySql(unittest.TestCase):
    def setUp(self):
        self.core = mocore.connect(DRY)
        self.owner = Owner(self.core)

    def sent(self):
        out = [_flat(s) for s in self.core.journal]
        self.core.clear_journal()
        return out

    def test_snapshots(self):
        m = SnapshotManager(self.owner)
        snap = m.create(HOSTILE, SnapshotLevel.TABLE, database="d", table="t")
        self.assertIsInstance(snap, Snapshot)
        m.create("s2", "database", database="d")
        m.delete("s2")
        self.assertEqual(self.sent(), [
            "CREATE SNAPSHOT `x``; DROP DATABASE y; --` FOR TABLE `d` `t`",
            "SELECT sname, ts, level, account_name, database_name, table_name FROM "
            "mo_catalog.mo_snapshots WHERE sname = 'x`; DROP DATABASE y; --'",
            "CREATE SNAPSHOT `s2` FOR DATABASE `d`",
            "SELECT sname, ts, level, account_name, database_name, table_name FROM "
            "mo_catalog.mo_snapshots WHERE sname = 's2'",
            "DROP SNAPSHOT `s2`"])

    def test_snapshot_mistakes_are_snapshot_errors(self):
        m = SnapshotManager(self.owner)
        with self.assertRaises(mx.SnapshotError):
            m.create("s", "bogus")
        with self.assertRaises(mx.SnapshotError):
            m.create("s", SnapshotLevel.DATABASE)  # no database
        with self.assertRaises(mocore.InvalidArgumentError) as cm:  # also the mocore class
            m.create("", SnapshotLevel.CLUSTER)
        self.assertIsInstance(cm.exception, mx.SnapshotError)
        self.assertIn("Failed to create snapshot", str(cm.exception))
        self.assertEqual(self.sent(), [])

    def test_snapshot_object(self):
        s = Snapshot("n", "TABLE", None, database="d", table="t")
        self.assertIs(s.level, SnapshotLevel.TABLE)
        self.assertEqual(s.level, mx.SnapshotLevel.TABLE)
        with self.assertRaises(mx.SnapshotError):
            Snapshot("n", "nope", None)

    def test_clone_and_restore(self):
        CloneManager(self.owner).clone_table("db2.t", HOSTILE, snapshot_name="s'1",
                                             if_not_exists=True)
        CloneManager(self.owner).clone_database("d2", "d1")
        self.assertTrue(RestoreManager(self.owner).restore_table("s", "acc", "d", "t"))
        self.assertEqual(self.sent(), [
            "CREATE TABLE IF NOT EXISTS `db2`.`t` CLONE `x``; DROP DATABASE y; --` "
            "{snapshot = 's''1'}",
            "CREATE DATABASE `d2` CLONE `d1`",
            "RESTORE ACCOUNT `acc` DATABASE `d` TABLE `t` FROM SNAPSHOT `s`"])

    def test_branch(self):
        class Model:
            __tablename__ = "m`odel"
        m = BranchManager(self.owner)
        m.create_table_branch("b1", Model, snapshot_name="s1")
        m.diff("b1", "t", output="count")
        m.merge("b1", "t", on_conflict="accept")
        m.delete("bdb", database=True)
        self.assertEqual(self.sent(), [
            "data branch create table `b1` from `m``odel`{snapshot='s1'}",
            "data branch diff `b1` against `t` output count",
            "data branch merge `b1` into `t` when conflict accept",
            "data branch delete database `bdb`"])
        with self.assertRaises(mx.BranchError):
            m.merge("a", "b", on_conflict="overwrite")
        with self.assertRaises(mx.BranchError):
            m.create_table_branch("", "t")
        self.assertEqual(self.sent(), [])

    def test_pitr_pubsub_account_moctl(self):
        PitrManager(self.owner).create_database_pitr("p1", "db1", 2, "h")
        with self.assertRaises(mx.PitrError):
            PitrManager(self.owner).create_cluster_pitr("p", 101)
        PubSubManager(self.owner).create_database_publication("pub", "db", ["a1", "a2"])
        AccountManager(self.owner).create_user("u", "it's")
        MoCtlManager(self.owner).flush_table("d", "t")
        sent = self.sent()
        self.assertEqual(sent[0], "CREATE PITR `p1` FOR DATABASE `db1` RANGE 2 'h'")
        self.assertIn("CREATE PUBLICATION `pub` DATABASE `db` ACCOUNT `a1`, `a2`", sent)
        self.assertIn("CREATE USER `u` IDENTIFIED BY 'it''s'", sent)
        self.assertEqual(sent[-1], "SELECT mo_ctl('dn', 'flush', 'd.t')")
        self.assertEqual(AccountManager(self.owner)._get_current_account_from_results(
            [("a1", "adm")]), "a1")

    def test_load_data(self):
        m = LoadDataManager(self.owner)
        r = m.read_csv("/d/a.csv", HOSTILE, sep="|", quotechar='"', skiprows=1, names=["a", "b"])
        self.assertEqual((r.affected_rows, r.rowcount), (0, 0))
        m.read_csv_stage("st", "f.csv", "t", sep="\t")
        m.read_json("/d/x.jl", "t", orient="values")
        m.read_json_inline('{"a": 1}', "t")
        m.read_csv_inline("1,a\n", "t")
        m.read_parquet_stage("st", "p.parq", "t")
        m.from_file("/d/a.csv", "t", format=LoadDataFormat.CSV, lines_terminated_by="\r\n")
        self.assertEqual(self.sent(), [
            "LOAD DATA INFILE '/d/a.csv' INTO TABLE `x``; DROP DATABASE y; --` FIELDS "
            "TERMINATED BY '|' ENCLOSED BY '\"' IGNORE 1 LINES (`a`, `b`)",
            "LOAD DATA INFILE 'stage://st/f.csv' INTO TABLE `t` FIELDS TERMINATED BY '\t'",
            "LOAD DATA INFILE {'filepath'='/d/x.jl', 'format'='jsonline', 'jsondata'='array'} "
            "INTO TABLE `t`",
            "LOAD DATA INLINE FORMAT='jsonline', DATA='{\"a\": 1}', JSONTYPE='object' INTO TABLE `t`",
            "LOAD DATA INLINE FORMAT='csv', DATA='1,a\\n' INTO TABLE `t` FIELDS TERMINATED BY ','",
            "LOAD DATA INFILE {'filepath'='stage://st/p.parq', 'format'='parquet'} INTO TABLE `t`",
            "LOAD DATA INFILE '/d/a.csv' INTO TABLE `t` FIELDS TERMINATED BY ',' LINES "
            "TERMINATED BY '\\r\\n'"])

    def test_load_data_mistakes(self):
        m = LoadDataManager(self.owner)
        with self.assertRaises(ValueError):
            m.from_file("", "t")
        with self.assertRaises(ValueError):
            m.from_file("/d/a.csv", "t", ignore_lines=-1)
        with self.assertRaises(ValueError):
            m.read_json("/d/x.jl", "t", orient="table")
        with self.assertRaises(mocore.InvalidArgumentError) as cm:  # C's check, as QueryError
            m.from_file("/d/a.csv", "t", set_clause={"a": "1; DROP TABLE t"})
        self.assertIsInstance(cm.exception, mx.QueryError)
        self.assertEqual(self.sent(), [])

    def test_stage(self):
        m = StageManager(self.owner)
        s = m.create("st", "file:///data/", comment="it's")
        self.assertIsInstance(s, Stage)
        self.assertEqual((s.name, s.url, s.status), ("st", "file:///data/", "enabled"))
        s.load_csv("a.csv", "t")
        s.export_to_jsonl("out.jl", "SELECT 1")
        m.drop(HOSTILE, if_exists=True)
        with self.assertRaises(ValueError):
            m.alter("st")
        self.assertEqual(self.sent(), [
            "CREATE STAGE `st` URL='file:///data/' COMMENT='it''s'",
            "LOAD DATA INFILE 'stage://st/a.csv' INTO TABLE `t` FIELDS TERMINATED BY ','",
            "SELECT 1 INTO OUTFILE 'stage://st/out.jl'",
            "DROP STAGE IF EXISTS `x``; DROP DATABASE y; --`"])

    def test_stage_is_bound_to_its_owner(self):
        session = Owner(self.core)  # a session or transaction: the stage loads there
        st = StageManager(None, executor=session).get("st")
        self.assertIs(st._client, session)
        self.assertEqual(Stage("n", "file:///d/").__repr__(), "Stage(name='n', url='file:///d/', status='None')")
        with self.assertRaises(ValueError):
            Stage("n", "file:///d/").load_csv("a.csv", "t")  # no client

    def test_s3_credentials_from_the_environment(self):
        old = {k: os.environ.pop(k, None) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
        try:
            os.environ.update(AWS_ACCESS_KEY_ID="k'1", AWS_SECRET_ACCESS_KEY="s2")
            StageManager(self.owner).create_s3("s3st", "bucket", "p/")
        finally:
            for k, v in old.items():
                os.environ.pop(k, None)
                if v is not None:
                    os.environ[k] = v
        sent = self.sent()[0]
        self.assertTrue(sent.startswith("CREATE STAGE `s3st` URL='s3://bucket/p'"), sent)
        self.assertIn("'k''1'", sent)

    def test_export_binds_statement_values(self):
        import sqlalchemy as sa
        t = sa.table("t", sa.column("id"), sa.column("name"))
        stmt = sa.select(t).where(t.c.name == "it's'; DROP TABLE t; --")
        self.assertEqual(query_sql(stmt)[1], ["it's'; DROP TABLE t; --"])
        r = ExportManager(self.owner).to_csv("/tmp/o.csv", stmt, sep="|")
        self.assertEqual(r.affected_rows, 0)
        self.assertEqual(self.sent(), [
            "SELECT t.id, t.name FROM t WHERE t.name = 'it''s''; DROP TABLE t; --' INTO OUTFILE "
            "'/tmp/o.csv' FIELDS TERMINATED BY '|' LINES TERMINATED BY '\\n'"])
        with self.assertRaises(ValueError):
            ExportManager(self.owner).to_csv("/tmp/o.csv", "SELECT 1", sep="")
        with self.assertRaises(ValueError):
            ExportManager(self.owner).to_csv("/tmp/o.csv", "SELECT 1", sep='"', quotechar='"')
        with self.assertRaises(TypeError):
            ExportManager(self.owner).to_jsonl("/tmp/o.jl", 42)

    def test_cdc(self):
        self.assertEqual(build_mysql_uri("h", 6001, "u", "p", account="acc"), "mysql://acc#u:p@h:6001")
        with self.assertRaises(ValueError):
            build_mysql_uri("h", "6001", "u")
        task = CDCManager(self.owner).create("t1", "mysql://a", "mysql", "mysql://b", "db.t:db2.t")
        self.assertIsInstance(task, CDCTaskInfo)
        self.assertEqual(self.sent()[0], "CREATE CDC `t1` 'mysql://a' 'mysql' 'mysql://b' 'db.t:db2.t'")

    def test_metadata(self):
        m = MetadataManager(self.owner)
        self.assertEqual(m.scan("db", "t").fetchall(), [])
        self.assertEqual(m.scan("db", "t", columns="*"), [])
        m.scan("db", "t", columns=[mx.metadata.MetadataColumn.COL_NAME, "rows_cnt"])
        self.assertEqual(self.sent(), ["SELECT * FROM metadata_scan('db.t', '*') g",
                                       "SELECT * FROM metadata_scan('db.t', '*') g",
                                       "SELECT `col_name`, `rows_cnt` FROM metadata_scan('db.t', '*') g"])
        with self.assertRaises(mx.QueryError):
            m.scan("db", "t", columns=["no_such_column"])

    def test_metadata_row_from_a_row_with_mapping(self):
        from mocore.matrixone._manager import ResultRows
        cols = ["col_name", "object_name", "is_hidden", "obj_loc", "create_ts", "delete_ts",
                "rows_cnt", "null_cnt", "compress_size", "origin_size", "min", "max", "sum"]
        rs = ResultRows(cols, [("id", "o1", "true", "loc", "t0", "t1", 3, 0, 10, 20, 1, 3, 6)])
        row = rs.fetchone()
        self.assertEqual(row._mapping["rows_cnt"], 3)
        self.assertEqual(row.col_name, "id")
        mr = MetadataRow.from_sqlalchemy_row(row)
        self.assertEqual((mr.is_hidden, mr.rows_cnt, mr.sum), (True, 3, 6))

    def test_index_utils(self):
        self.assertEqual(build_verify_counts_sql("t`1", ["__mo_index_secondary_x"]),
                         "SELECT (SELECT COUNT(*) FROM `t``1`) AS main_count, "
                         "(SELECT COUNT(*) FROM `__mo_index_secondary_x`) AS idx0_count")
        sql, params = build_get_index_tables_sql("t'1", "db")
        self.assertNotIn("t'1", sql)
        self.assertEqual(params, ("t'1", "db"))
        self.assertEqual(process_verify_result("t", ["i"], (3, 3)), 3)
        with self.assertRaisesRegex(ValueError, "MISMATCH"):
            process_verify_result("t", ["i"], (3, 2))
        with self.assertRaises(mocore.InvalidArgumentError):
            build_verify_counts_sql("", [])
        IndexInspector(self.owner).get_secondary_index_table_by_name("t'1", "idx", "db")
        self.assertEqual(self.sent()[-1],
                         "SELECT DISTINCT index_table_name FROM mo_catalog.mo_indexes JOIN "
                         "mo_catalog.mo_tables ON mo_indexes.table_id = mo_tables.rel_id WHERE "
                         "relname = 't''1' AND name = 'idx' AND reldatabase = 'db'")
        # mo-diag's database-wide lists: the same catalog join, the database bound
        for build in (build_get_indexed_tables_sql, build_get_ivf_indexes_sql):
            sql, params = build("o'db")
            self.assertIn("FROM mo_catalog.mo_indexes\n    JOIN mo_catalog.mo_tables", sql)
            self.assertNotIn("o'db", sql)
            self.assertEqual(params[0], "o'db")

    def test_index_introspection_is_index_utils_for_sync_and_async(self):
        # the one place of the catalog SQL: both clients delegate to index_utils' inspectors
        from mocore.matrixone import index_utils
        self.assertIsInstance(mx.Client()._indexes(), index_utils.IndexInspector)
        self.assertIsInstance(mx.AsyncClient()._indexes(), index_utils.AsyncIndexInspector)


class Builders(unittest.TestCase):
    def test_clone(self):
        self.assertEqual(str(cb.clone_table("db.t2").if_not_exists().from_table(HOSTILE, snapshot="s1")),
                         "CREATE TABLE IF NOT EXISTS `db`.`t2` CLONE `x``; DROP DATABASE y; --` "
                         "{snapshot = 's1'}")
        self.assertEqual(cb.clone_database("d2").from_database("d1").to_account("acc").compile(),
                         "CREATE DATABASE `d2` CLONE `d1` TO ACCOUNT `acc`")
        with self.assertRaises(ValueError):
            cb.clone_table("t").compile()
        with self.assertRaises(ValueError):
            cb.clone_table("")

    def test_branch(self):
        class Model:
            __tablename__ = "base"
        self.assertEqual(str(bb.create_table_branch("dev").from_table(Model, snapshot="s'1")),
                         "data branch create table `dev` from `base`{snapshot='s''1'}")
        self.assertEqual(str(bb.diff_table_branch("a").snapshot("s0").against("b", "s1").output_limit(5)),
                         "data branch diff `a`{snapshot='s0'} against `b`{snapshot='s1'} output limit 5")
        self.assertEqual(str(bb.diff_table_branch("a").against("b").output_file("/tmp/it's")),
                         "data branch diff `a` against `b` output file '/tmp/it''s'")
        self.assertEqual(str(bb.diff_table_branch("a").against("b").output_as("d`t")),
                         "data branch diff `a` against `b` output as `d``t`")
        self.assertEqual(str(bb.merge_table_branch("a").into("b").when_conflict("accept")),
                         "data branch merge `a` into `b` when conflict accept")
        self.assertEqual(str(bb.delete_table_branch(HOSTILE)),
                         "data branch delete table `x``; DROP DATABASE y; --`")
        self.assertEqual(str(bb.create_database_branch("d2").from_database("d1")),
                         "data branch create database `d2` from `d1`")
        with self.assertRaises(ValueError):
            bb.merge_table_branch("a").when_conflict("nope")
        with self.assertRaises(ValueError):
            bb.diff_table_branch("a").compile()
        with self.assertRaises(ValueError):  # mocore's database branch has no snapshot form
            bb.create_database_branch("d2").from_database("d1", snapshot="s").compile()


class AsyncTwins(unittest.TestCase):
    def test_same_sql_awaited(self):
        async def run():
            core = await aio.connect(DRY)
            owner = Owner(acore=core)
            snap = await AsyncSnapshotManager(owner).create("s1", "database", database="d")
            self.assertIsInstance(snap, Snapshot)
            await AsyncBranchManager(owner).diff_table("a", "b", output="count")
            r = await AsyncLoadDataManager(owner).read_csv("/d/a.csv", "t")
            self.assertEqual(r.affected_rows, 0)
            with self.assertRaises(mx.SnapshotError):
                await AsyncSnapshotManager(owner).create("", "cluster")
            journal = [_flat(s) for s in core.journal]
            await core.close()
            return journal
        journal = asyncio.run(run())
        self.assertNotIn("BEGIN", journal)
        self.assertEqual(journal[0], "CREATE SNAPSHOT `s1` FOR DATABASE `d`")
        self.assertIn("data branch diff `a` against `b` output count", journal)
        self.assertEqual(journal[-1],
                         "LOAD DATA INFILE '/d/a.csv' INTO TABLE `t` FIELDS TERMINATED BY ','")


class OnTheSdkClient(unittest.TestCase):
    """The managers as mocore.matrixone.Client makes them (its manager properties)."""

    def test_client_managers_are_these_classes(self):
        c = mx.Client(sql_log_mode="off")
        c.connect(host="127.0.0.1", port=6001, user="root", password="111", database="test",
                  dry_run=True, server_kind="matrixone")
        try:
            self.assertIsInstance(c.snapshots, SnapshotManager)
            self.assertIsInstance(c.load_data, LoadDataManager)
            self.assertIsInstance(c.stage, StageManager)
            self.assertIsInstance(c.metadata, MetadataManager)
            core = c._mocore()
            core.clear_journal()
            c.snapshots.delete(HOSTILE)
            c.clone.clone_database("d2", "d1", snapshot_name="s1")
            self.assertEqual(core.journal, ["DROP SNAPSHOT `x``; DROP DATABASE y; --`",
                                            "CREATE DATABASE `d2` CLONE `d1` {snapshot = 's1'}"])
        finally:
            c.disconnect()


class OnServer(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="mocore-mx-load-")
        self.core = mocore.connect(server_url(), local_infile_dirs=[self.dir])
        self.owner = Owner(self.core)
        self.t = "mx_load_" + uuid.uuid4().hex[:8]
        self.core.execute(f"CREATE TABLE {self.t} (id INT PRIMARY KEY, name VARCHAR(40))")

    def tearDown(self):
        self.core.execute(f"DROP TABLE IF EXISTS {self.t}")
        self.core.close()

    @requires_mariadb("LOAD DATA LOCAL into a table of the test server")
    def test_local_load_through_the_sdk_loader(self):
        path = os.path.join(self.dir, "rows.csv")
        with open(path, "w") as f:
            f.write("id|name\n1|it's\n2|b\n3|c\n")
        r = LoadDataManager(self.owner).from_local_file(path, self.t, fields_terminated_by="|",
                                                        ignore_lines=1)
        self.assertEqual((r.affected_rows, r.rowcount), (3, 3))
        self.assertEqual(self.core.query(f"SELECT name FROM {self.t} WHERE id = 1"), [("it's",)])
        with self.assertRaises(mx.QueryError) as cm:  # a file outside the allowed directories
            LoadDataManager(self.owner).from_local_file("/etc/passwd", self.t)
        self.assertIsInstance(cm.exception, mocore.Error)

    @requires_mariadb("INTO OUTFILE and LOAD DATA INFILE in the test server's files directory")
    def test_export_then_load_back(self):
        d = os.environ.get("MOCORE_TEST_SERVER_DIR")
        if not d or not os.path.isdir(os.path.join(d, "files")):
            self.skipTest("needs the ctest server fixture's files directory")
        import sqlalchemy as sa
        self.core.execute(f"INSERT INTO {self.t} VALUES (1, 'a'), (2, 'it''s'), (3, 'c')")
        path = os.path.join(d, "files", f"{self.t}.csv")
        t = sa.table(self.t, sa.column("id"), sa.column("name"))
        r = ExportManager(self.owner).to_csv(path, sa.select(t).where(t.c.id >= 2), sep="|")
        self.assertIsNotNone(r)
        self.core.execute(f"DELETE FROM {self.t}")
        r = LoadDataManager(self.owner).read_csv(path, self.t, sep="|")
        self.assertEqual(r.affected_rows, 2)
        self.assertEqual(self.core.query(f"SELECT id, name FROM {self.t} ORDER BY id"),
                         [(2, "it's"), (3, "c")])

    def test_index_count_check_runs(self):
        self.core.execute(f"INSERT INTO {self.t} VALUES (1, 'a'), (2, 'b')")
        rows = self.core.query(build_verify_counts_sql(self.t, [self.t]))
        self.assertEqual(process_verify_result(self.t, [self.t], rows[0]), 2)

    @requires_mariadb("MatrixOne-only managers are refused on MariaDB")
    def test_matrixone_only_manager_is_translated(self):
        with self.assertRaises(mocore.UnsupportedError) as cm:
            SnapshotManager(self.owner).create("s1", "cluster")
        self.assertIsInstance(cm.exception, mx.SnapshotError)
        self.assertIsInstance(cm.exception, mxe.MatrixOneError)


class OnMatrixOne(unittest.TestCase):
    """The MatrixOne profile (MOCORE_TEST_MATRIXONE_URL): the managers on a real MatrixOne."""

    def setUp(self):
        self.core = mocore.connect(matrixone_url())
        self.owner = Owner(self.core)
        self.dir = tempfile.mkdtemp(prefix="mocore-mx-")
        os.chmod(self.dir, 0o755)  # the server reads the files (it runs on this machine)
        self.uid = uuid.uuid4().hex[:8]
        self.t = f"mx_mgr_{self.uid}"
        self.core.execute(f"CREATE TABLE {self.t} (id INT PRIMARY KEY, name VARCHAR(40), "
                          "KEY idx_name (name))")

    def tearDown(self):
        self.core.execute(f"DROP TABLE IF EXISTS {self.t}")
        self.core.close()

    def test_load_stage_export_metadata_indexes(self):
        path = os.path.join(self.dir, "a.csv")
        with open(path, "w") as f:
            f.write("1,it's\n2,b\n3,c\n")
        self.assertEqual(LoadDataManager(self.owner).read_csv(path, self.t).affected_rows, 3)
        st = StageManager(self.owner).create_local(f"mx_st_{self.uid}", self.dir + "/")
        try:
            self.assertEqual(st.export_to_csv("out.csv", f"SELECT * FROM {self.t}").affected_rows, 0)
            self.assertTrue(os.path.exists(os.path.join(self.dir, "out.csv")))
            self.assertTrue(StageManager(self.owner).exists(st.name))
            with self.assertRaises(ValueError):
                StageManager(self.owner).get(f"mx_nost_{self.uid}")
        finally:
            StageManager(self.owner).drop(st.name, if_exists=True)
        MoCtlManager(self.owner).flush_table(self.core.scalar("SELECT DATABASE()"), self.t)
        db = self.core.scalar("SELECT DATABASE()")
        rows = MetadataManager(self.owner).scan(db, self.t, columns="*")
        self.assertTrue(rows and all(isinstance(r, MetadataRow) for r in rows))
        raw = MetadataManager(self.owner).scan(db, self.t).fetchone()
        self.assertEqual(MetadataRow.from_sqlalchemy_row(raw).rows_cnt, raw._mapping["rows_cnt"])
        with self.assertRaises(mocore.NotFoundError) as cm:
            MetadataManager(self.owner).scan(db, f"mx_none_{self.uid}")
        self.assertIsInstance(cm.exception, mx.QueryError)
        self.assertEqual(IndexInspector(self.owner).verify_table_index_counts(self.t), 3)
        self.assertEqual(len(IndexInspector(self.owner).get_secondary_index_tables(self.t)), 1)

    def test_snapshot_clone_restore(self):
        db = self.core.scalar("SELECT DATABASE()")
        self.core.execute(f"INSERT INTO {self.t} VALUES (1, 'a')")
        snaps = SnapshotManager(self.owner)
        name = f"mx_snap_{self.uid}"
        snap = snaps.create(name, SnapshotLevel.TABLE, database=db, table=self.t)
        try:
            self.assertEqual((snap.name, snap.level, snap.database, snap.table),
                             (name, SnapshotLevel.TABLE, db, self.t))
            self.assertIn(name, [s.name for s in snaps.list()])
            self.core.execute(f"INSERT INTO {self.t} VALUES (2, 'b')")
            CloneManager(self.owner).clone_table_with_snapshot(f"{self.t}_c", self.t, name)
            try:
                self.assertEqual(self.core.scalar(f"SELECT COUNT(*) FROM {self.t}_c"), 1)
            finally:
                self.core.execute(f"DROP TABLE IF EXISTS {self.t}_c")
            self.assertTrue(RestoreManager(self.owner).restore_table(name, "sys", db, self.t))
            self.assertEqual(self.core.scalar(f"SELECT COUNT(*) FROM {self.t}"), 1)
        finally:
            snaps.delete(name)
        self.assertFalse(snaps.exists(name))
        with self.assertRaises(mx.SnapshotError) as cm:
            snaps.get(name)
        self.assertIsInstance(cm.exception, mocore.NotFoundError)
        self.assertEqual(str(cm.exception), f"Snapshot '{name}' not found")


if __name__ == "__main__":
    unittest.main()
