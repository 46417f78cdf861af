"""mo-diag (mocore.matrixone.cli_tools): the SDK's MatrixOneCLI on mocore.matrixone.Client.

What each command sends is read from the dry-run journal (hostile names stay quoted,
values are literals rendered by the C core); the argument mistakes send nothing; the
console-script entry point and its CDC subcommands; on the test server (MariaDB in CI) the
commands that need no MatrixOne catalog; on MatrixOne (MOCORE_TEST_MATRIXONE_URL) the index
and storage reports on real tables."""

import contextlib
import datetime
import io
import os
import re
import unittest
import urllib.parse
import uuid

import mocore.matrixone as mx
from mocore.matrixone import cli_tools
from mocore.matrixone.cli_tools import MatrixOneCLI, main_cli
from servers import matrixone_url, server_url

HOSTILE = "x`; DROP DATABASE y; --"


def _flat(sql):
    return re.sub(r"\s*\n\s*", " ", sql).strip()


def connect_args(url):
    u = urllib.parse.urlsplit(url)
    return {"host": u.hostname, "port": u.port or 3306,
            "user": urllib.parse.unquote(u.username or ""),
            "password": urllib.parse.unquote(u.password or ""),
            "database": u.path.lstrip("/") or None}


def run(cli, line):
    """What one command prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.onecmd(line)
    return out.getvalue()


class DryRun(unittest.TestCase):
    """The statements of each command (dry run: nothing reaches a server, results are empty)."""

    def setUp(self):
        self.client = mx.Client(sql_log_mode="off")
        self.client.connect(host="127.0.0.1", port=6001, user="root", password="111",
                            database="test", dry_run=True, server_kind="matrixone", on_connect=[])
        self.core = self.client._mocore()
        self.core.clear_journal()
        self.cli = MatrixOneCLI(self.client)

    def tearDown(self):
        self.client.disconnect()

    def sent(self):
        out = [_flat(s) for s in self.core.journal]
        self.core.clear_journal()
        return out

    def test_current_database_from_the_client(self):
        self.assertEqual(self.cli.current_database, "test")
        self.assertIn("test", self.cli.prompt)

    def test_use_quotes_the_database(self):
        out = run(self.cli, f'use "{HOSTILE}"')
        self.assertIn("Switched to database", out)
        self.assertIn("USE `x``; DROP DATABASE y; --`", self.sent())
        self.assertEqual(self.cli.current_database, HOSTILE)

    def test_tables_and_databases(self):
        self.assertIn("No tables found", run(self.cli, f"tables 'd`b'"))
        self.assertEqual(self.sent(), ["SHOW TABLES FROM `d``b`"])
        self.assertIn("No databases found", run(self.cli, "databases"))
        self.assertEqual(self.sent(), ["SHOW DATABASES"])

    def test_verify_counts_names_the_database_and_quotes_the_table(self):
        out = run(self.cli, f"verify_counts '{HOSTILE}' other")
        sent = self.sent()
        self.assertIn("relname = 'x`; DROP DATABASE y; --'", sent[0])
        self.assertIn("reldatabase = 'other'", sent[0])
        self.assertEqual(sent[1], "SELECT (SELECT COUNT(*) FROM `other`.`x``; DROP DATABASE y; --`)")
        self.assertNotIn("USE", " ".join(sent))  # the SDK switches databases; this names it
        self.assertIn("❌ Error", out)          # a dry run returns no count

    def test_show_indexes_binds_the_names(self):
        out = run(self.cli, f"show_indexes '{HOSTILE}'")
        self.assertIn("No secondary indexes found", out)
        (sent,) = self.sent()
        self.assertIn("mo_tables.relname = 'x`; DROP DATABASE y; --' AND mo_tables.reldatabase = 'test'", sent)

    def test_show_all_indexes_and_ivf_status(self):
        self.assertIn("No tables with secondary indexes", run(self.cli, 'show_all_indexes "o\'db"'))
        (sent,) = self.sent()
        self.assertIn("mo_indexes.type IN ('MULTIPLE', 'UNIQUE', 'FULLTEXT')", sent)
        self.assertIn("mo_tables.reldatabase = 'o''db'", sent)
        self.assertIn("No IVF indexes found for database 'test'", run(self.cli, "show_ivf_status"))
        (sent,) = self.sent()
        self.assertIn("mo_tables.reldatabase = 'test' AND mo_indexes.algo LIKE '%ivf%'", sent)
        self.assertIn("No IVF indexes found for table 't'", run(self.cli, "show_ivf_status -t t -v"))

    def test_show_table_stats_scans_table_and_tombstone(self):
        out = run(self.cli, "show_table_stats t1 -a")
        self.assertIn("Table Statistics for 'test.t1'", out)
        sent = self.sent()
        self.assertEqual(sent[:2], ["SELECT * FROM metadata_scan('test.t1', '*') g",
                                    "SELECT * FROM metadata_scan('test.t1.#', '*') g"])
        self.assertIn("mo_tables.relname = 't1'", sent[2])  # -a: the table's indexes
        out = run(self.cli, "show_table_stats t1 d2 -d")
        self.assertIn("Detailed Table Statistics for 'd2.t1'", out)
        self.assertIn("Table: t1:N/A", out)
        self.assertEqual(self.sent()[0], "SELECT * FROM metadata_scan('d2.t1', '*') g")

    def test_flush_table(self):
        out = run(self.cli, "flush_table t1")
        self.assertIn("Flushing table", out)
        self.assertIn("Index physical tables: 0/0 flushed", out)
        self.assertEqual(self.sent()[0], "SELECT mo_ctl('dn', 'flush', 'test.t1')")

    def test_sql(self):
        self.assertIn("0 rows returned", run(self.cli, "sql SELECT 'a''b'"))
        self.assertEqual(self.sent(), ["SELECT 'a''b'"])

    def test_cdc_reports(self):
        self.assertIn("No CDC tasks found.", run(self.cli, "cdc_tasks"))
        self.assertIn("FROM mo_catalog.mo_cdc_task", self.sent()[0])
        out = run(self.cli, "cdc_health --threshold=90s")
        self.assertIn("Threshold for watermark lag: 1.5m", out)
        self.assertIn("Evaluated CDC tasks: 0", out)
        self.assertIn("mo_catalog.mo_cdc_watermark", self.sent()[-1])

    def test_argument_mistakes_send_nothing(self):
        for line, said in (("show_indexes", "Usage: show_indexes"),
                           ("verify_counts", "Usage: verify_counts"),
                           ("show_table_stats", "Usage: show_table_stats"),
                           ("flush_table", "Table name is required"),
                           ("use", "Usage: use"),
                           ("sql", "Usage: sql"),
                           ("connect a b", "Usage: connect"),
                           ("cdc_task", "Usage: cdc_task"),
                           ("cdc_task t --pause --resume", "only one of"),
                           ("cdc_task t --watermarks-only --no-watermarks", "cannot be combined"),
                           ("cdc_task t --threshold", "requires a value"),
                           ("cdc_task t --bogus", "Unknown option"),
                           ("cdc_health --threshold=5x", "Unable to parse duration"),
                           ("cdc_health soon", "Unknown option"),
                           ("cdc_tasks --all", "Unknown option"),
                           ("cdc_drop", "Usage: cdc_drop"),
                           ("cdc_create --table-level --database-level", "Usage: cdc_create"),
                           ("history x", "Invalid number"),
                           ("no_such_command", "Unknown command")):
            self.assertIn(said, run(self.cli, line), line)
        self.assertEqual(self.sent(), [])

    def test_without_a_database(self):
        self.cli._set_database(None)
        for line in ("show_all_indexes", "show_ivf_status", "tables", "verify_counts t",
                     "show_table_stats t"):
            self.assertIn("No database specified", run(self.cli, line), line)
        self.assertEqual(self.sent(), [])

    def test_cdc_drop_asks_twice(self):
        answers = iter(["yes", "wrong"])
        self.cli._prompt = lambda *a, **k: next(answers)
        out = run(self.cli, "cdc_drop t1")  # a dry run finds no task: nothing to drop
        self.assertIn("Failed to load CDC task 't1'", out)
        self.assertNotIn("DROP CDC", " ".join(self.sent()))

    def test_help_and_empty_line(self):
        out = io.StringIO()
        self.cli.stdout = out
        self.cli.onecmd("help show_table_stats")
        self.assertIn("-a  with the tombstones and every index", out.getvalue())
        self.assertFalse(self.cli.onecmd(""))
        self.assertEqual(self.sent(), [])

    def test_exit_disconnects(self):
        with contextlib.redirect_stdout(io.StringIO()):
            self.assertTrue(self.cli.onecmd("exit"))
        self.assertFalse(self.client.connected())


class NotConnected(unittest.TestCase):
    def test_every_command_says_connect_first(self):
        cli = MatrixOneCLI()
        for line in ("tables", "databases", "sql SELECT 1", "use d", "show_indexes t d",
                     "verify_counts t d", "flush_table t d", "cdc_tasks", "cdc_health",
                     "cdc_task t", "cdc_drop t", "cdc_create"):
            self.assertIn("Not connected", run(cli, line), line)

    def test_connect_failure_is_reported(self):
        cli = MatrixOneCLI()
        out = run(cli, "connect 127.0.0.1 1 u p")
        self.assertIn("Connection failed", out)


class Helpers(unittest.TestCase):
    def test_durations(self):
        self.assertEqual(cli_tools.parse_duration("30s"), datetime.timedelta(seconds=30))
        self.assertEqual(cli_tools.parse_duration("1.5h"), datetime.timedelta(minutes=90))
        self.assertEqual(cli_tools.parse_duration("5"), datetime.timedelta(minutes=5))
        for bad in ("", "-1m", "fast"):
            with self.assertRaises(ValueError):
                cli_tools.parse_duration(bad)
        self.assertEqual([cli_tools.format_duration(datetime.timedelta(seconds=s))
                          for s in (0, 7200, 300, 45, 90)], ["0s", "2h", "5m", "45s", "1.5m"])

    def test_options_and_mappings(self):
        self.assertEqual(cli_tools.parse_options("Frequency=1h, NoFull=TRUE,,x=a=b"),
                         {"Frequency": "1h", "NoFull": True, "x": "a=b"})
        with self.assertRaises(ValueError):
            cli_tools.parse_options("Frequency")
        self.assertEqual(cli_tools.parse_table_mapping("s.t:d.u"),
                         {"source_db": "s", "source_table": "t", "sink_db": "d", "sink_table": "u"})
        self.assertEqual(cli_tools.parse_table_mapping("s.t")["sink_table"], "t")
        for bad in ("t", "s.t:u", ".t"):
            with self.assertRaises(ValueError):
                cli_tools.parse_table_mapping(bad)

    def test_watermarks_and_cdc_values(self):
        when = cli_tools.watermark_time("1796228026875460950-0")
        self.assertEqual(when.year, 2026)
        self.assertEqual(cli_tools.watermark_time("2024-01-02 03:04:05.5").second, 5)
        self.assertIsNone(cli_tools.watermark_time("soon"))
        self.assertIsNone(cli_tools.watermark_time(None))
        hexed = '{"a": 1}'.encode().hex()
        self.assertEqual(cli_tools.cdc_text(hexed), '{\n  "a": 1\n}')
        self.assertEqual(cli_tools.cdc_text("plain"), "plain")
        self.assertIsNone(cli_tools.cdc_text(None))

    def test_object_totals_count_each_object_once(self):
        class Row:
            def __init__(self, name, rows):
                self.object_name, self.rows_cnt, self.null_cnt = name, rows, 0
                self.origin_size, self.compress_size, self.create_ts = 2048, 1024, "1-0"
        totals = cli_tools.ObjectTotals([Row("a", 5), Row("a", 5), Row("b", 3)])  # a: two columns
        self.assertEqual((len(totals.objects), totals.total("rows_cnt")), (2, 8))
        self.assertEqual(totals.summary(), "Objects: 2 | Rows: 8 | Null: 0 | Original: 4.00 KB | "
                                           "Compressed: 2.00 KB")


class EntryPoint(unittest.TestCase):
    def test_cdc_subcommand_lines(self):
        p = cli_tools._parser()
        self.assertEqual(cli_tools._cdc_command(p.parse_args(["cdc", "show"])), "cdc_tasks")
        self.assertEqual(cli_tools._cdc_command(p.parse_args(
            ["cdc", "show", "t", "--details", "--strict", "--threshold", "5m", "--table", "db.x"])),
            "cdc_task t --details --strict --threshold=5m --table=db.x")
        self.assertEqual(cli_tools._cdc_command(p.parse_args(["cdc", "drop", "t", "--force"])),
                         "cdc_drop t --force")
        self.assertEqual(cli_tools._cdc_command(p.parse_args(["cdc", "create", "--table-level"])),
                         "cdc_create --table-level")

    def test_mistakes_do_not_connect(self):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(main_cli(["--port", "1", "cdc", "show", "--strict"]), 2)
            self.assertEqual(main_cli(["--port", "1", "cdc", "create", "--table-level",
                                       "--database-level"]), 2)
        self.assertIn("require a task name", out.getvalue())

    def test_connection_failure_exits_1(self):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            with self.assertRaises(SystemExit) as cm:
                main_cli(["--host", "127.0.0.1", "--port", "1", "-c", "tables"])
        self.assertEqual(cm.exception.code, 1)
        self.assertIn("Failed to connect", out.getvalue())

    def test_console_script_is_declared(self):
        setup = os.path.join(os.path.dirname(__file__), "..", "setup.py")
        with open(setup) as f:
            self.assertIn('"mo-diag = mocore.matrixone.cli_tools:main_cli"', f.read())


class OnServer(unittest.TestCase):
    """The commands that need no MatrixOne catalog, on the test server (MariaDB in CI)."""

    def setUp(self):
        self.args = connect_args(server_url())
        self.client = mx.Client(sql_log_mode="off")
        self.client.connect(**self.args)
        self.cli = MatrixOneCLI(self.client)

    def tearDown(self):
        self.client.disconnect()

    def test_sql_tables_databases(self):
        out = run(self.cli, "sql SELECT 1 AS one, NULL AS nothing")
        self.assertIn("one | nothing", out)
        self.assertIn("1 | NULL", out)
        self.assertIn("1 row(s) returned", out)
        self.assertIn("❌ Error", run(self.cli, "sql SELECT * FROM"))
        name = "mocli_" + uuid.uuid4().hex[:8]
        self.client.execute(f"CREATE TABLE {name} (id INT PRIMARY KEY)")
        try:
            out = run(self.cli, "tables")
            self.assertIn(name, out)
            self.assertIn("Total:", out)
        finally:
            self.client.execute(f"DROP TABLE {name}")
        out = run(self.cli, "databases")
        self.assertIn("Databases:", out)
        self.assertIn(f"{self.args['database']} ", out)  # the current one, marked

    def test_failures_keep_the_shell_going(self):
        self.assertIn("Failed to switch database", run(self.cli, "use mocli_no_such_db"))
        self.assertEqual(self.cli.current_database, self.args["database"])
        self.assertIn("❌ Error", run(self.cli, "tables mocli_no_such_db"))
        self.assertIn("Failed to flush main table", run(self.cli, "flush_table mocli_no_such_table"))
        self.assertIn("❌ Error", run(self.cli, "show_table_stats mocli_no_such_table"))

    def test_one_command_from_the_command_line(self):
        a = self.args
        argv = ["--host", a["host"], "--port", str(a["port"]), "--user", a["user"],
                "--password", a["password"], "-d", a["database"], "-c", "sql SELECT 41 + 1"]
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(main_cli(argv), 0)
        self.assertIn("42", out.getvalue())


class OnMatrixOne(unittest.TestCase):
    """The index and storage reports on real tables (MOCORE_TEST_MATRIXONE_URL)."""

    @classmethod
    def setUpClass(cls):
        cls.args = connect_args(matrixone_url())
        cls.client = mx.Client(sql_log_mode="off")
        cls.client.connect(**cls.args)
        cls.db = cls.args["database"]
        cls.t = "mocli_" + uuid.uuid4().hex[:8]
        c = cls.client
        c.execute(f"CREATE TABLE {cls.t} (id INT PRIMARY KEY, name VARCHAR(40), "
                  "email VARCHAR(40) UNIQUE, KEY idx_name (name))")
        c.execute(f"INSERT INTO {cls.t} SELECT result, CONCAT('n', result), CONCAT('e', result) "
                  "FROM generate_series(1, 50) g")
        c.execute(f"DELETE FROM {cls.t} WHERE id <= 10")
        c.moctl.flush_table(cls.db, cls.t)

    @classmethod
    def tearDownClass(cls):
        cls.client.execute(f"DROP TABLE IF EXISTS {cls.t}")
        cls.client.disconnect()

    def setUp(self):
        self.cli = MatrixOneCLI(self.client)

    def test_index_reports(self):
        out = run(self.cli, f"show_indexes {self.t}")
        self.assertIn("Secondary Indexes", out)
        self.assertIn("idx_name", out)
        self.assertIn("Total: 2 index tables", out)
        out = run(self.cli, f"verify_counts {self.t}")
        self.assertIn("PASSED: All index tables match (40 rows)", out)
        out = run(self.cli, "show_all_indexes")
        self.assertIn("Index Health Report", out)
        self.assertRegex(out, rf"{self.t}\s+\| 2\s+\| ✓ 40 rows")

    def test_table_stats(self):
        out = run(self.cli, f"show_table_stats {self.t} -t")
        self.assertIn("Tombstone rows: 10", out)
        self.assertRegex(out, rf"{self.t}\s+\| 1\s+\| 40 ")
        out = run(self.cli, f"show_table_stats {self.t} -a -d")
        for part in ("Detailed Table Statistics", "Index: idx_name", "Index: email", "Data",
                     "Tombstone", "Object Name"):
            self.assertIn(part, out)

    def test_flush_table_flushes_the_index_tables(self):
        out = run(self.cli, f"flush_table {self.t}")
        self.assertIn("Index physical tables: 2/2 flushed successfully", out)
        out = run(self.cli, f"show_table_stats {self.t} -i idx_name")
        self.assertRegex(out, r"└─ index: idx_name\s+\| 1\s+\| 40 ")


if __name__ == "__main__":
    unittest.main()
