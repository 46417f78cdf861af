"""``python -m mocore``, the SQL shell, run as a subprocess against the test server: -e with
table / JSON / CSV output, the URL from MOCORE_URL, errors (stderr, exit status 1), statements
read from stdin, and the interactive mode on a terminal with its readline history."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

from servers import server_url


def shell(*args, url=None, stdin=None, env=None):
    """Run the shell; (exit status, stdout, stderr)."""
    e = dict(os.environ)
    e.pop("MOCORE_URL", None)
    e.update(env or {})
    argv = [sys.executable, "-m", "mocore"] + ([url] if url else []) + list(args)
    p = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=e, timeout=60)
    return p.returncode, p.stdout, p.stderr


class ShellTest(unittest.TestCase):
    def setUp(self):
        self.url = server_url()

    def test_execute_prints_a_table(self):
        rc, out, err = shell("-e", "SELECT 1 AS a, 'xyz' AS b, NULL AS c", url=self.url)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, "+---+-----+------+\n"
                              "| a | b   | c    |\n"
                              "+---+-----+------+\n"
                              "| 1 | xyz | NULL |\n"
                              "+---+-----+------+\n"
                              "1 row in set\n")

    def test_each_execute_is_one_statement(self):
        rc, out, err = shell("-e", "SELECT 1 AS one;", "-e", "SELECT 2 AS two", url=self.url)
        self.assertEqual((rc, err), (0, ""))
        self.assertIn("| one |", out)
        self.assertIn("| two |", out)

    def test_json_output(self):
        rc, out, err = shell("--json", "-e",
                             "SELECT 1 AS a, 'x' AS b, NULL AS c, CAST(1.50 AS DECIMAL(5,2)) AS d,"
                             " DATE '2024-02-29' AS e, X'FF00' AS f", url=self.url)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(json.loads(out), [{"a": 1, "b": "x", "c": None, "d": "1.50",
                                            "e": "2024-02-29", "f": "0xff00"}])

    def test_json_output_of_a_statement_without_rows(self):
        rc, out, err = shell("--json", "-e", "SET @mocore_shell = 1", url=self.url)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(json.loads(out), {"affected_rows": 0, "last_insert_id": 0})

    def test_csv_output(self):
        rc, out, err = shell("--csv", "-e", "SELECT 1 AS a, 'x,\"y' AS b, NULL AS c",
                             url=self.url)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, 'a,b,c\n1,"x,""y",\n')

    def test_the_url_from_the_environment(self):
        rc, out, err = shell("--csv", "-e", "SELECT 7 AS n", env={"MOCORE_URL": self.url})
        self.assertEqual((rc, out, err), (0, "n\n7\n", ""))

    def test_no_url_is_a_usage_error(self):
        rc, out, err = shell("-e", "SELECT 1")
        self.assertEqual(rc, 2)
        self.assertIn("MOCORE_URL", err)

    def test_an_error_exits_1_with_category_errno_and_message(self):
        rc, out, err = shell("-e", "SELECT 1 AS first", "-e", "SELECT * FROM no_such_table_sh",
                             "-e", "SELECT 3 AS never", url=self.url)
        self.assertEqual(rc, 1)
        self.assertIn("| first |", out)
        self.assertNotIn("never", out)
        # MariaDB: 1146 (42S02); MatrixOne: 1064 (HY000); the category is the same
        self.assertRegex(err, r"\AERROR [1-9]\d* \(\w{5}\) \[not_found\]: .*no_such_table_sh.*\n\Z")

    def test_a_connect_error_exits_1(self):
        bad = self.url.replace("://", "://nobody_sh:wrong@", 1) if "@" not in self.url else \
            "mysql://nobody_sh:wrong@" + self.url.split("@", 1)[1]
        rc, out, err = shell("-e", "SELECT 1", url=bad)
        self.assertEqual((rc, out), (1, ""))
        self.assertRegex(err, r"\AERROR [1-9]\d* \(\w{5}\) \[auth\]: ")
        self.assertNotIn("wrong", err)

    def test_statements_from_stdin(self):
        script = ("CREATE TEMPORARY TABLE sh_t (a INT, b VARCHAR(10));\n"
                  "INSERT INTO sh_t VALUES\n  (1, 'one'),\n  (2, 'two');\n"
                  "SELECT a, b\n  FROM sh_t ORDER BY a;\n"
                  "quit\n"
                  "SELECT 'after quit';\n")
        rc, out, err = shell(url=self.url, stdin=script)
        self.assertEqual((rc, err), (0, ""))
        self.assertEqual(out, "Query OK, 0 rows affected\n"
                              "Query OK, 2 rows affected\n"
                              "+---+-----+\n"
                              "| a | b   |\n"
                              "+---+-----+\n"
                              "| 1 | one |\n"
                              "| 2 | two |\n"
                              "+---+-----+\n"
                              "2 rows in set\n")

    def test_stdin_stops_at_the_first_error(self):
        rc, out, err = shell("--csv", url=self.url,
                             stdin="SELECT 1 AS a;\nSELECT nope_col;\nSELECT 2 AS b;\n")
        self.assertEqual((rc, out), (1, "a\n1\n"))
        self.assertRegex(err, r"\AERROR [1-9]\d* \(\w{5}\) \[not_found\]: .*nope_col")

    @unittest.skipUnless(sys.platform.startswith("linux"), "pty")
    def test_interactive_on_a_terminal_keeps_a_history(self):
        import pty
        import select
        with tempfile.TemporaryDirectory() as d:
            hist = os.path.join(d, "history")
            env = dict(os.environ, MOCORE_HISTFILE=hist, TERM="dumb")
            env.pop("MOCORE_URL", None)
            pid, fd = pty.fork()
            if pid == 0:  # the child: the shell on the terminal
                os.execve(sys.executable, [sys.executable, "-m", "mocore", self.url], env)
            out = b""

            def read_until(marker):
                nonlocal out
                while marker not in out:
                    r, _, _ = select.select([fd], [], [], 30)
                    if not r:
                        raise AssertionError(f"no {marker!r} in {out!r}")
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        raise AssertionError(f"no {marker!r} in {out!r}")
                    if not chunk:
                        raise AssertionError(f"no {marker!r} in {out!r}")
                    out += chunk

            read_until(b"mocore> ")
            os.write(fd, b"SELECT 40 + 2\n")
            read_until(b"    -> ")                    # the statement goes on
            os.write(fd, b"  AS answer;\n")
            read_until(b"1 row in set")
            os.write(fd, b"SELECT * FROM no_such_table_tty;\n")
            read_until(b"[not_found]")                # reported, the shell goes on
            os.write(fd, b"quit\n")
            _, status = os.waitpid(pid, 0)
            os.close(fd)
            self.assertEqual(os.waitstatus_to_exitcode(status), 0, out)
            self.assertIn(b"| 42     |", out)
            with open(hist) as f:
                lines = f.read().splitlines()
            self.assertIn("SELECT 40 + 2", lines)
            self.assertIn("  AS answer;", lines)


if __name__ == "__main__":
    unittest.main()
