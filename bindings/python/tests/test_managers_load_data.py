"""load_data, stage, cdc and export in Python with the SDK's surface. MatrixOne SQL through the
dry-run journal (expected texts of tests/unit/test_managers_load_sql.c); LOAD DATA LOCAL for
real on MariaDB (allowed directory, progress callable, rows read back; refused outside the
allowed directories with nothing sent); stage / cdc are UnsupportedError on MariaDB."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
import uuid

import mocore
from servers import requires_mariadb, server_url
from test_managers import dry_client


class DryRun(unittest.TestCase):
    def setUp(self):
        self.c = dry_client()

    def journal(self):
        j = [" ".join(s.split()) for s in self.c.journal]
        self.c.clear_journal()
        return j

    def test_load_data(self):
        ld = self.c.load_data
        self.assertEqual(ld.read_csv("/path/to/data.csv", "test_table"), 0)
        ld.read_csv("/path/to/data.txt", "test_table", sep="|", quotechar='"', skiprows=1)
        ld.read_csv("/path/to/data.csv", "test_table", names=["id", "name", "email"])
        ld.from_file("/path/to/data.csv", "test_table", parallel=True)
        self.assertEqual(self.journal(), [
            "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ','",
            "LOAD DATA INFILE '/path/to/data.txt' INTO TABLE `test_table` FIELDS TERMINATED BY '|' "
            "ENCLOSED BY '\"' IGNORE 1 LINES",
            "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ',' "
            "(`id`, `name`, `email`)",
            "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ',' "
            "PARALLEL 'true'"])
        with self.assertRaises(mocore.InvalidArgumentError):
            ld.from_file("/d", "t", ignore_lines=-1)
        with self.assertRaises(mocore.InvalidArgumentError):
            ld.from_file("/d", "t", set_clause={"a": "1; DROP TABLE t"})
        self.assertEqual(self.journal(), [])

    def test_stage(self):
        st = self.c.stage
        s = st.create("my_stage", "file:///data/")
        self.assertEqual((s.name, s.url, s.status), ("my_stage", "file:///data/", "enabled"))
        st.create("my_stage", "file:///data/", if_not_exists=True)
        st.create("s3_stage", "s3://bucket/path/",
                  credentials={"AWS_KEY_ID": "key123", "AWS_SECRET_KEY": "secret456"})
        st.drop("my_stage", if_exists=True)
        st.show("my_stage%")
        self.assertEqual(self.journal(), [
            "CREATE STAGE `my_stage` URL='file:///data/'",
            "CREATE STAGE IF NOT EXISTS `my_stage` URL='file:///data/'",
            "CREATE STAGE `s3_stage` URL='s3://bucket/path/' CREDENTIALS={'AWS_KEY_ID'='key123', "
            "'AWS_SECRET_KEY'='secret456'}",
            "DROP STAGE IF EXISTS `my_stage`",
            "SHOW STAGES LIKE 'my_stage%'"])
        with self.assertRaises(mocore.InvalidArgumentError):
            st.create("x", "file:///d/", credentials=["not", "a", "dict"])

    def test_cdc(self):
        cdc = self.c.cdc
        self.assertEqual(cdc.build_mysql_uri("127.0.0.1", 6001, "admin", "pwd", account="acc"),
                         "mysql://acc#admin:pwd@127.0.0.1:6001")
        t = cdc.create_table_task("table_alpha", "mysql://src", "matrixone", "mysql://sink",
                                  [("db1", "orders", "backup_db", "orders")],
                                  options={"NoFull": True, "Frequency": "1h"})
        self.assertEqual(t.task_name, "table_alpha")
        cdc.drop("cdc_task")
        cdc.pause_all()
        cdc.restart("task1")
        self.assertEqual(self.journal(), [
            "CREATE CDC `table_alpha` 'mysql://src' 'matrixone' 'mysql://sink' "
            "'db1.orders:backup_db.orders' {'NoFull'='true', 'Frequency'='1h', 'Level'='table'}",
            "DROP CDC TASK `cdc_task`",
            "PAUSE CDC ALL",
            "RESUME CDC TASK `task1` 'restart'"])

    def test_export(self):
        ex = self.c.export
        ex.to_jsonl("/tmp/out.jsonl", "SELECT * FROM t WHERE id > ?;", params=[5])
        ex.to_csv_stage("st", "o.csv", "SELECT 1", sep="|")
        j = self.journal()
        self.assertEqual(j[0], "SELECT * FROM t WHERE id > 5 INTO OUTFILE '/tmp/out.jsonl'")
        self.assertTrue(j[1].startswith("SELECT 1 INTO OUTFILE 'stage://st/o.csv' "
                                        "FIELDS TERMINATED BY '|'"), j[1])
        with self.assertRaises(mocore.InvalidArgumentError):
            ex.to_csv("/tmp/x", "SELECT 1", sep="")

    def test_on_a_session(self):
        with self.c.session() as s:
            s.load_data.read_csv("/path/to/data.csv", "test_table")
            s.stage.drop("my_stage")
        self.assertIn("DROP STAGE `my_stage`", self.journal())


class OnMariaDB(unittest.TestCase):
    def setUp(self):
        self.url = server_url()
        if not self.url:
            self.skipTest("no test server")
        self.dir = tempfile.mkdtemp(prefix="mocore-py-load-")
        self.other = tempfile.mkdtemp(prefix="mocore-py-other-")
        self.c = mocore.connect(self.url, local_infile_dirs=[self.dir])
        self.t = "pyload_" + uuid.uuid4().hex[:8]
        self.c.execute(f"CREATE TABLE {self.t} (id INT PRIMARY KEY, name VARCHAR(40))")

    def tearDown(self):
        self.c.execute(f"DROP TABLE IF EXISTS {self.t}")
        self.c.close()

    def _csv(self, directory, n):
        path = os.path.join(directory, "rows.csv")
        with open(path, "w") as f:
            f.write("id,name\n")
            for i in range(n):
                f.write(f"{i},name {i}\n")
        return path

    def test_local_load_with_progress(self):
        path = self._csv(self.dir, 5000)
        calls = []
        n = self.c.load_data.from_local_file(path, self.t, ignore_lines=1,
                                             progress=lambda s, t: calls.append((s, t)))
        self.assertEqual(n, 5000)
        self.assertTrue(calls)
        size = os.path.getsize(path)
        self.assertEqual(calls[-1], (size, size))
        self.assertEqual(self.c.scalar(f"SELECT COUNT(*) FROM {self.t}"), 5000)
        self.assertEqual(self.c.query(f"SELECT name FROM {self.t} WHERE id = 4999")[0][0],
                         "name 4999")

    def test_progress_runs_on_the_callers_stack(self):
        # The progress callable needs a real thread stack: json.dumps of a 5000-deep list
        # recurses in C through several frames per level (libmariadb's coroutine stack, ~60 KiB,
        # used to crash the process here). Run in a child so a crash is a failure, not the end.
        path = self._csv(self.dir, 3000)
        child = textwrap.dedent("""
            import json, sys
            import mocore
            url, directory, path, table = sys.argv[1:5]
            sys.setrecursionlimit(50000)
            nested = []
            for _ in range(5000):
                nested = [nested]
            def deep(n):
                return 0 if n == 0 else 1 + deep(n - 1)
            calls = []
            def progress(sent, total):
                calls.append([sent, total, len(json.dumps(nested)), deep(5000)])
            with mocore.connect(url, local_infile_dirs=[directory]) as c:
                rows = c.load_data.from_local_file(path, table, ignore_lines=1, progress=progress)
                count = c.scalar(f"SELECT COUNT(*) FROM {table}")
            print(json.dumps({"rows": rows, "count": count, "calls": calls}))
            """)
        p = subprocess.run([sys.executable, "-c", child, self.url, self.dir, path, self.t],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        out = json.loads(p.stdout)
        self.assertEqual(out["rows"], 3000)
        self.assertEqual(out["count"], 3000)
        size = os.path.getsize(path)
        self.assertTrue(out["calls"])
        self.assertEqual(out["calls"][-1][:2], [size, size])
        for sent, total, encoded, depth in out["calls"]:
            self.assertEqual(total, size)
            self.assertEqual(encoded, 2 * 5001)  # the whole list encoded, no RecursionError
            self.assertEqual(depth, 5000)

    def test_local_refused_outside_allowed_dirs(self):
        path = self._csv(self.other, 3)
        with self.assertRaises(mocore.InvalidArgumentError) as cm:
            self.c.load_data.from_local_file(path, self.t)
        self.assertIn("load_data", cm.exception.operation)
        self.assertEqual(self.c.scalar(f"SELECT COUNT(*) FROM {self.t}"), 0)
        # a client without local_infile_dirs refuses too
        c2 = mocore.connect(self.url)
        with self.assertRaises(mocore.InvalidArgumentError):
            c2.load_data.from_local_file(self._csv(self.dir, 3), self.t)
        c2.close()

    @requires_mariadb("stage and cdc are MatrixOne's; test_matrixone.py has them for real")
    def test_stage_and_cdc_unsupported(self):
        with self.assertRaises(mocore.UnsupportedError):
            self.c.stage.create_local("st", self.dir)
        with self.assertRaises(mocore.UnsupportedError):
            self.c.stage.list()
        with self.assertRaises(mocore.UnsupportedError):
            self.c.cdc.list()
        with self.assertRaises(mocore.UnsupportedError):
            self.c.cdc.drop("t")
