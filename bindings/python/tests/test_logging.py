"""The statement log through Python's logging: the "mocore" logger by default, the record's
level from the statement (INFO, WARNING when slow, ERROR when failed), log_mode's meaning
(off / simple / full / auto and the per-call override), secrets redacted, and nothing built
for a logger that would drop the line."""

import logging
import unittest

import mocore
from servers import server_url


def _counting(name):
    """A registered logger (so setLevel reaches its level cache) that counts the records it
    makes in ``.made``: makeRecord runs only for an enabled level."""
    log = logging.getLogger(name)
    log.made = 0
    make = log.makeRecord

    def counted(*args, **kwargs):
        log.made += 1
        return make(*args, **kwargs)
    log.makeRecord = counted
    return log


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


class LoggingTest(unittest.TestCase):
    def setUp(self):
        self.url = server_url()

    def connect(self, mode, **options):
        # A statement a test expects to be fast must not turn [SLOW] on a loaded machine: the
        # threshold is 60 s unless the test sets its own.
        options.setdefault("slow_query_threshold", 60)
        sep = "&" if "?" in self.url else "?"
        return mocore.connect(self.url + sep + "log_mode=" + mode, **options)

    def lines(self, cm):
        return [(r.levelno, r.getMessage()) for r in cm.records]

    def test_the_default_logger_is_mocore_at_info(self):
        with self.assertLogs("mocore", level="DEBUG") as cm:
            with self.connect("full") as c:
                c.execute("SELECT ? AS logged", [42])
        hits = [(lv, m) for lv, m in self.lines(cm) if "SELECT 42 AS logged" in m]
        self.assertEqual(len(hits), 1, cm.output)
        self.assertEqual(hits[0][0], logging.INFO)
        self.assertTrue(hits[0][1].startswith("\u2713 | "), hits[0][1])
        self.assertEqual(cm.records[-1].name, "mocore")

    def test_a_slow_statement_is_a_warning_shown_in_full(self):
        with self.connect("simple", slow_query_threshold=0) as c:
            with self.assertLogs("mocore", level="DEBUG") as cm:
                c.execute("SELECT 1 AS slow_one")
        (level, message), = self.lines(cm)
        self.assertEqual(level, logging.WARNING)
        self.assertIn("[SLOW] SELECT 1 AS slow_one", message)

    def test_a_failed_statement_is_an_error_with_its_secrets_redacted(self):
        sql = "SELECT * FROM no_such_table_for_log WHERE password = 'hunter2'"
        with self.connect("simple") as c:
            with self.assertLogs("mocore", level="DEBUG") as cm:
                with self.assertRaises(mocore.Error):
                    c.execute(sql)
        (level, message), = self.lines(cm)
        self.assertEqual(level, logging.ERROR)
        self.assertIn("[ERROR] SELECT * FROM no_such_table_for_log WHERE password = '***'",
                      message)
        self.assertNotIn("hunter2", message)

    def test_simple_mode_keeps_the_statement_shape(self):
        with self.connect("simple") as c:
            with self.assertLogs("mocore", level="DEBUG") as cm:
                c.execute("SELECT 1")
                c.execute("select 2 AS b from (select 1 AS a) AS derived")
                c.execute("SELECT 'x' AS y", log="full")
        messages = [m.split(" | ")[-1] for _, m in self.lines(cm)]
        # no table for the SDK's "SELECT FROM <T>": the statement itself, not "SELECT FROM ?"
        self.assertEqual(messages, ["SELECT 1", "select 2 AS b from (select 1 AS a) AS derived",
                                    "SELECT 'x' AS y"])

    def test_simple_mode_names_the_table_as_the_sdk_does(self):
        with self.connect("simple") as c:
            c.execute("CREATE TEMPORARY TABLE log_shape (a INT)", log="off")
            with self.assertLogs("mocore", level="DEBUG") as cm:
                c.execute("INSERT INTO log_shape VALUES (1), (2)")
                c.execute("SELECT a FROM log_shape")
        messages = [m.split(" | ")[-1] for _, m in self.lines(cm)]
        self.assertEqual(messages, ["BATCH INSERT INTO LOG_SHAPE (2 rows)",
                                    "SELECT FROM LOG_SHAPE"])

    def test_auto_mode_summarises_only_long_statements(self):
        with self.connect("auto", max_sql_display_length=20) as c:
            with self.assertLogs("mocore", level="DEBUG") as cm:
                c.execute("SELECT 1 AS short")                                   # 17 chars
                c.execute("SELECT 1 AS a_much_longer_column_name_here")          # 42 chars
        messages = [m.split(" | ")[-1] for _, m in self.lines(cm)]
        self.assertEqual(messages, ["SELECT 1 AS short",
                                    "SELECT 1 AS a_much_longer_column_name_here"
                                    " [SQL length: 42 chars]"])

    def test_off_logs_nothing_even_errors(self):
        log = logging.getLogger("mocore")
        collect = _Collect()
        log.addHandler(collect)
        old = log.level
        log.setLevel(logging.DEBUG)
        try:
            with self.connect("off") as c:
                c.execute("SELECT 1")
                with self.assertRaises(mocore.Error):
                    c.execute("SELECT * FROM no_such_table_for_log")
        finally:
            log.removeHandler(collect)
            log.setLevel(old)
        self.assertEqual(collect.records, [])

    def test_the_level_follows_the_logger(self):
        log = _counting("mocore-test-level")
        collect = _Collect()
        log.addHandler(collect)
        log.setLevel(logging.WARNING)
        with self.connect("full", logger=log, slow_query_threshold=1000) as c:
            made_by_connect = log.made
            for _ in range(50):
                c.execute("SELECT 1")          # INFO: below WARNING, no record is made
            self.assertEqual(log.made, made_by_connect)
            with self.assertRaises(mocore.Error):
                c.execute("SELECT * FROM no_such_table_for_log")
            log.setLevel(logging.INFO)          # changed while connected: followed at once
            c.execute("SELECT 2")
        levels = [(r.levelno, r.getMessage().split(" | ")[-1]) for r in collect.records]
        self.assertEqual(levels[-2:], [(logging.ERROR, "[ERROR] SELECT * FROM no_such_table_for_log"),
                                       (logging.INFO, "SELECT 2")])
        self.assertFalse(any(m == "SELECT 1" for _, m in levels), levels)


if __name__ == "__main__":
    unittest.main()
