"""``python -m mocore`` (also the ``mocore`` command): an SQL shell on a mocore Client.

    python -m mocore mysql://root:111@127.0.0.1:6001/test          # interactive
    python -m mocore URL -e "SELECT 1" -e "SELECT 2" [--json|--csv]  # one statement per -e
    echo "SELECT 1;" | python -m mocore URL                          # statements from stdin

The URL comes from the argument, else from ``MOCORE_URL``. Output is a table, or with
``--json`` one JSON array of row objects per statement (an object with ``affected_rows`` and
``last_insert_id`` for a statement without rows), or with ``--csv`` a header line and the rows
(NULL is an empty field). Values: NULL is ``NULL`` in a table; bytes that are not UTF-8 are
shown as ``0x`` and hex digits; dates, decimals and times as their text.

Each ``-e`` is one statement, sent as it is (a trailing ';' is dropped): the C core does not
expose its lexer, and splitting SQL on ';' outside it would misread ';' in literals. In the
interactive mode, and when reading stdin, a statement ends at a line ending with ';'.
Interactive input has readline editing and history in ``~/.mocore_history`` (``MOCORE_HISTFILE``
overrides it); ``quit``, ``exit`` or ``\\q`` leave.

On an error the shell prints ``ERROR <errno> (<sqlstate>) [<category>]: <message>`` on stderr;
``-e`` and stdin stop there with exit status 1, the interactive mode goes on. Exit status 2 is
a usage error (no URL)."""

import argparse
import csv
import datetime
import decimal
import json
import os
import sys

import mocore

_QUIT = {"quit", "exit", "\\q", "quit;", "exit;"}


def _text(value, null="NULL"):
    """How a value is shown in a table or a CSV field."""
    if value is None:
        return null
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return "0x" + value.hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return _text(value)


class _Printer:
    """Writes the result of each statement in one of the output formats."""

    def __init__(self, fmt, out):
        self.fmt = fmt
        self.out = out

    def result(self, res):
        columns = list(res.columns) if res.columns else []
        if not columns:
            self._no_rows(res)
            return
        rows = res.fetchall()
        getattr(self, "_" + self.fmt)(columns, rows)

    def _no_rows(self, res):
        if self.fmt == "json":
            self.out.write(json.dumps({"affected_rows": res.rowcount,
                                       "last_insert_id": res.lastrowid}) + "\n")
        elif self.fmt == "table":
            n = res.rowcount
            self.out.write(f"Query OK, {n} row{'' if n == 1 else 's'} affected\n")

    def _table(self, columns, rows):
        cells = [[_text(v) for v in row] for row in rows]
        widths = [len(c) for c in columns]
        for row in cells:
            for i, c in enumerate(row):
                widths[i] = max(widths[i], len(c))
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+\n"
        w = self.out.write
        w(rule)
        w("| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(columns)) + " |\n")
        w(rule)
        for row in cells:
            w("| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(row)) + " |\n")
        if cells:
            w(rule)
        w(f"{len(rows)} row{'' if len(rows) == 1 else 's'} in set\n")

    def _json(self, columns, rows):
        self.out.write(json.dumps([{c: _json_value(v) for c, v in zip(columns, row)}
                                   for row in rows]) + "\n")

    def _csv(self, columns, rows):
        writer = csv.writer(self.out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(v, null="") for v in row])


def _report(err):
    """The error line on stderr: errno, SQLSTATE, category, message."""
    if isinstance(err, mocore.Error):
        state = f" ({err.sqlstate})" if err.sqlstate else ""
        sys.stderr.write(f"ERROR {err.code}{state} [{err.category}]: {err.message}\n")
    else:
        sys.stderr.write(f"ERROR: {err}\n")
    sys.stderr.flush()


def _run(client, printer, sql):
    """Execute one statement and print its result. False on an error (reported)."""
    sql = sql.strip()
    while sql.endswith(";"):
        sql = sql[:-1].rstrip()
    if not sql:
        return True
    try:
        with client.execute(sql) as res:
            printer.result(res)
    except mocore.Error as e:
        printer.out.flush()
        _report(e)
        return False
    printer.out.flush()
    return True


def _statements(lines):
    """Statements from input lines: each ends at a line ending with ';' (or at the end);
    a quit command on a line of its own ends the input."""
    buf = []
    for line in lines:
        if not buf and line.strip().lower() in _QUIT:
            return
        buf.append(line)
        if line.rstrip().endswith(";"):
            yield "\n".join(buf)
            buf = []
    if "".join(buf).strip():
        yield "\n".join(buf)


def _tty_lines(prompt="mocore> ", more="    -> "):
    """Lines read with readline (history in ~/.mocore_history); the prompt says whether a
    statement is being continued."""
    try:
        import readline
    except ImportError:  # no readline on this Python: plain input()
        readline = None
    hist = os.environ.get("MOCORE_HISTFILE") or os.path.join(os.path.expanduser("~"),
                                                              ".mocore_history")
    if readline is not None:
        try:
            readline.read_history_file(hist)
        except OSError:
            pass
    state = {"open": False}
    try:
        while True:
            try:
                line = input(more if state["open"] else prompt)
            except EOFError:
                sys.stdout.write("\n")
                return
            except KeyboardInterrupt:  # ^C drops the statement being typed
                sys.stdout.write("\n")
                state["open"] = False
                continue
            stripped = line.rstrip()
            state["open"] = (state["open"] or bool(stripped)) and not stripped.endswith(";")
            yield line
    finally:
        if readline is not None:
            try:
                readline.write_history_file(hist)
            except OSError:
                pass


def main(argv=None):
    """Run the shell; returns the exit status."""
    parser = argparse.ArgumentParser(prog="mocore", description="SQL shell on mocore.")
    parser.add_argument("url", nargs="?", default=None,
                        help="mysql://user:password@host:port/database (default: $MOCORE_URL)")
    parser.add_argument("-e", "--execute", action="append", metavar="SQL", default=[],
                        help="run this statement and exit (repeatable; one statement each)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--json", dest="fmt", action="store_const", const="json",
                     help="print each result as a JSON array of row objects")
    fmt.add_argument("--csv", dest="fmt", action="store_const", const="csv",
                     help="print each result as CSV with a header line")
    args = parser.parse_args(argv)
    url = args.url or os.environ.get("MOCORE_URL")
    if not url:
        parser.error("no URL: give one or set MOCORE_URL")
    printer = _Printer(args.fmt or "table", sys.stdout)

    try:
        client = mocore.connect(url)
    except mocore.Error as e:
        _report(e)
        return 1
    with client:
        if args.execute:
            for sql in args.execute:
                if not _run(client, printer, sql):
                    return 1
            return 0
        interactive = sys.stdin.isatty()
        lines = _tty_lines() if interactive else (l.rstrip("\n") for l in sys.stdin)
        status = 0
        for sql in _statements(lines):
            if not _run(client, printer, sql):
                status = 1
                if not interactive:
                    return 1
        return 0 if interactive else status


if __name__ == "__main__":
    sys.exit(main())
