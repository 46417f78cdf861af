"""mo-diag, the MatrixOne SDK's diagnostic command line (its ``matrixone.cli_tools``), on
mocore.matrixone.Client.

``MatrixOneCLI(client)`` is a ``cmd.Cmd`` shell; each ``do_<command>`` prints a report:

  connect / use / databases / tables / sql       the connection and plain statements
  show_indexes, show_all_indexes, verify_counts  secondary, vector and fulltext indexes
  show_ivf_status, show_table_stats, flush_table IVF centroids, metadata_scan objects, mo_ctl
  cdc_health, cdc_tasks, cdc_task, cdc_create, cdc_drop    CDC tasks and watermarks
  history, exit                                  the shell itself

``mo-diag`` (the console script, ``main_cli``) connects and starts the shell, or runs one
command (``-c "show_ivf_status"``), or a CDC subcommand (``mo-diag cdc show|create|drop``).

Everything runs through the client's own calls (``execute`` with ``?`` values,
``get_table_indexes_detail``, ``metadata.scan``, ``vector_ops.get_ivf_stats``,
``moctl.flush_table``, ``cdc.*``). A name that has to be in the text of a statement
(``USE``, ``SHOW TABLES FROM``, the row counts) is quoted by mocore's one identifier function
(index_utils.quote_identifier); values are parameters. Where the SDK pastes names unquoted
(``USE {database}``, ``verify_counts`` switching databases) this one quotes them and names the
database in the statement instead of switching. A command that fails prints ``❌ Error: ...``
and the shell goes on."""

import argparse
import cmd
import datetime
import getpass
import json
import logging
import os
import shlex
import string
import sys
import uuid
from typing import Any, Dict, List, Optional

from .cdc import CDCSinkType, build_mysql_uri
from .client import Client
from .exceptions import QueryError
from .index_utils import (build_get_indexed_tables_sql, build_get_ivf_indexes_sql,
                          quote_identifier)

__all__ = ["Colors", "MatrixOneCLI", "main_cli", "start_interactive_tool",
           "success", "error", "warning", "info", "bold", "header"]

#: where the interactive shell keeps its history (prompt_toolkit's FileHistory format)
HISTORY_FILE = os.path.join(os.path.expanduser("~"), ".mo_diag_history")

#: index algorithms with physical tables of their own kind (no row-count equality to check)
SPECIAL_ALGOS = ("ivfflat", "hnsw", "fulltext")


# ---------------------------------------------------------------------------- output
class Colors:
    """ANSI codes of the reports (the SDK's names); ``Colors.disable()`` blanks them (done
    when standard output is not a terminal)."""

    RESET = "\033[0m"
    BOLD = "\033[1m"
    RED = "\033[91m"
    GREEN = "\033[92m"
    YELLOW = "\033[93m"
    BLUE = "\033[94m"
    MAGENTA = "\033[95m"
    CYAN = "\033[96m"
    WHITE = "\033[97m"
    BG_RED = "\033[101m"
    BG_GREEN = "\033[102m"
    BG_YELLOW = "\033[103m"

    @staticmethod
    def disable():
        for name in list(vars(Colors)):
            if name.isupper():
                setattr(Colors, name, "")


if not sys.stdout.isatty():
    Colors.disable()


def _paint(color, msg):
    return f"{getattr(Colors, color)}{msg}{Colors.RESET}"


def success(msg):
    return _paint("GREEN", msg)


def error(msg):
    return _paint("RED", msg)


def warning(msg):
    return _paint("YELLOW", msg)


def info(msg):
    return _paint("CYAN", msg)


def bold(msg):
    return _paint("BOLD", msg)


def header(msg):
    return f"{Colors.BOLD}{Colors.CYAN}{msg}{Colors.RESET}"


def _size(n):
    """Bytes as B / KB / MB (a text the server already formatted stays as it is)."""
    if isinstance(n, str):
        return n
    n = int(n or 0)
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.2f} MB"
    if n >= 1024:
        return f"{n / 1024:.2f} KB"
    return f"{n} B"


# ---------------------------------------------------------------------------- arguments
def _words(arg):
    """The words of a command line, a trailing ';' dropped; a name with spaces or quotes
    is written in quotes, as in a POSIX shell (``verify_counts "my table"``)."""
    text = arg.strip().rstrip(";")
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: the words as typed
        return text.split()


def parse_duration(text):
    """'30s', '5m', '1.5h' or a bare number of minutes as a timedelta (ValueError if not)."""
    t = text.strip().lower()
    if not t:
        raise ValueError("Duration cannot be empty.")
    unit = {"s": "seconds", "m": "minutes", "h": "hours"}.get(t[-1])
    number = t[:-1] if unit else t
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(f"Unable to parse duration '{text}'. Use formats like 5m, 30s, 1.5h.") from None
    if amount < 0:
        raise ValueError("Duration must be non-negative.")
    return datetime.timedelta(**{unit or "minutes": amount})


def format_duration(delta):
    s = delta.total_seconds()
    if s == 0:
        return "0s"
    for size, suffix in ((3600, "h"), (60, "m")):
        if s % size == 0:
            return f"{s / size:g}{suffix}"
    return f"{s:g}s" if s < 60 else f"{s / 60:.1f}m"


def _utc(ts):
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=datetime.timezone.utc)
    return ts.astimezone(datetime.timezone.utc)


def format_timestamp(ts):
    return _utc(ts).strftime("%Y-%m-%d %H:%M:%S.%f UTC").replace(".000000 ", " ")


def watermark_time(mark):
    """The time of a CDC watermark: MatrixOne's '<physical ns>-<logical>' or a datetime
    text; None when it is neither."""
    if not mark:
        return None
    text = str(mark).strip()
    physical = text.split("-", 1)[0]
    if physical.isdigit() and len(physical) > 12:
        try:
            return datetime.datetime.fromtimestamp(int(physical) / 1e9, datetime.timezone.utc)
        except (OverflowError, ValueError):
            return None
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return _utc(datetime.datetime.strptime(text[:26], fmt))
        except ValueError:
            pass
    return None


def parse_options(text):
    """'Frequency=1h,NoFull=true' as {'Frequency': '1h', 'NoFull': True}."""
    options = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"Invalid option format: '{part}'. Expected key=value.")
        key, value = key.strip(), value.strip()
        if not key:
            raise ValueError("Option key cannot be empty.")
        options[key] = value.lower() == "true" if value.lower() in ("true", "false") else value
    return options


def parse_table_mapping(text):
    """'src_db.t[:sink_db.t2]' as {'source_db', 'source_table', 'sink_db', 'sink_table'}."""
    source, _, sink = text.partition(":")
    sink = sink or source
    out = {}
    for side, part in (("source", source.strip()), ("sink", sink.strip())):
        db, dot, table = part.partition(".")
        if not dot:
            raise ValueError(f"{side.capitalize()} mapping must include database.table "
                             "(e.g. src_db.orders)")
        if not db or not table:
            raise ValueError("Incomplete mapping. Provide both database and table names.")
        out[f"{side}_db"], out[f"{side}_table"] = db, table
    return out


def cdc_text(value):
    """A CDC field for display: JSON indented; hex-encoded text (MatrixOne's table mapping)
    decoded; None stays None."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value)
    raw = text.strip()
    if raw and len(raw) % 2 == 0 and all(c in string.hexdigits for c in raw):
        try:
            text = bytes.fromhex(raw).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            pass
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return text


def _print_field(label, value, indent="  "):
    text = cdc_text(value)
    if text is None:
        return
    if "\n" in text:
        print(f"{indent}{info(label)}")
        for line in text.splitlines():
            print(f"{indent}  {line}")
    else:
        print(f"{indent}{info(label)} {text}")


# ---------------------------------------------------------------------------- objects
class ObjectTotals:
    """The storage objects of one physical table (a metadata_scan, one row per column and
    object), counted once per object name."""

    def __init__(self, rows):
        seen = set()
        self.objects = []
        for row in rows or ():
            name = getattr(row, "object_name", None)
            if name and name not in seen:
                seen.add(name)
                self.objects.append(row)

    def total(self, field):
        return sum(int(getattr(o, field, 0) or 0) for o in self.objects)

    def summary(self):
        return (f"Objects: {len(self.objects)} | Rows: {self.total('rows_cnt'):,} | "
                f"Null: {self.total('null_cnt'):,} | Original: {_size(self.total('origin_size'))} | "
                f"Compressed: {_size(self.total('compress_size'))}")

    def print_objects(self, indent):
        print(f"\n{indent}{bold('Objects:')}")
        print(f"{indent}{'Object Name':<50} | {'Create Time':<22} | {'Rows':<10} | "
              f"{'Null Cnt':<10} | {'Original Size':<14} | {'Compressed Size':<15}")
        print(indent + "-" * 132)
        for o in self.objects:
            print(f"{indent}{o.object_name:<50} | {str(o.create_ts):<22} | {int(o.rows_cnt or 0):<10,} | "
                  f"{int(o.null_cnt or 0):<10,} | {_size(o.origin_size):<14} | "
                  f"{_size(o.compress_size):<15}")


def _group_by_index(details):
    """Index detail rows (one per physical table) grouped by index name, in order."""
    groups = {}
    for d in details:
        groups.setdefault(d["index_name"], []).append(d)
    return groups


# ---------------------------------------------------------------------------- the shell
def _print_findings(items, style, title, describe, all_clear):
    """One section of the CDC health report: the items found, one per line, under their
    title in ``style`` -- or the all-clear line when there are none."""
    if not items:
        print(success(all_clear))
        return
    print(style(f"{title} ({len(items)}):"))
    for item in items:
        print(f"  • {describe(item)}")


class MatrixOneCLI(cmd.Cmd):
    """The mo-diag shell over a mocore.matrixone Client (``client`` may be None: then
    ``connect`` first)."""

    intro = ("\nMatrixOne diagnostic tool (mocore). Type 'help' for the commands, "
             "'help <command>' for one.\n")
    prompt = "MO-DIAG> "

    def __init__(self, client: Optional[Client] = None):
        super().__init__()
        self.client = client
        self.current_database = None
        self.session = None  # the prompt_toolkit session of cmdloop, when there is one
        if client is not None:
            params = getattr(client, "_connection_params", None) or {}
            self._set_database(params.get("database"))

    # -------------------------------------------------------------- plumbing
    def _set_database(self, database):
        self.current_database = database
        self.prompt = f"MO-DIAG[{database}]> " if database else "MO-DIAG> "

    def _connected(self):
        if self.client is None:
            print("❌ Not connected. Use 'connect' first.")
            return False
        return True

    def _table_target(self, arg, usage):
        """``(table, database)`` of the command line ``<table> [database]`` (the current
        database when none is given), or None after saying why not (``usage`` when no table
        is given, not connected, no database)."""
        args = _words(arg)
        if not args:
            print(usage)
            return None
        if not self._connected():
            return None
        database = self._database(args[1] if len(args) > 1 else None)
        return (args[0], database) if database else None

    def _database(self, database):
        """The database a command works on (given, else the current one), or None after
        saying so."""
        db = database or self.current_database
        if not db:
            print("❌ No database specified and no current database set. "
                  "Use 'use <database>' or give the database name.")
        return db

    def _prompt(self, message, default=None, *, is_password=False):
        """One answer from the user (default when empty; "" at end of input)."""
        text = message + (f" [{default}]" if default and not is_password else "") + ": "
        try:
            if self.session is not None:
                answer = self.session.prompt(text, is_password=is_password)
            elif is_password:
                answer = getpass.getpass(text)
            else:
                answer = input(text)
        except (EOFError, KeyboardInterrupt):
            print()
            return ""
        return answer if answer or default is None else default

    def _rows(self, sql, params=None):
        return self.client.execute(sql, params).fetchall()

    def _table_id(self, table, database):
        try:
            rows = self._rows("SELECT rel_id FROM mo_catalog.mo_tables WHERE relname = ? AND "
                              "reldatabase = ?", (table, database))
            return rows[0][0] if rows else "N/A"
        except Exception:
            return "N/A"

    def _objects(self, database, table, tombstone):
        return ObjectTotals(self.client.metadata.scan(database, table, is_tombstone=tombstone,
                                                      columns="*"))

    def _counts(self, database, tables):
        """COUNT(*) of each of ``tables`` of ``database``, in one statement."""
        db = quote_identifier(database, "database name")
        parts = [f"(SELECT COUNT(*) FROM {db}.{quote_identifier(t)})" for t in tables]
        rows = self._rows("SELECT " + ", ".join(parts))
        if not rows:
            raise QueryError("the row counts returned no row")
        return list(rows[0])

    def emptyline(self):
        """An empty line does nothing (not the last command again)."""

    def default(self, line):
        print(f"❌ Unknown command: {line.split()[0]}. Type 'help' for the commands.")

    def onecmd(self, line):
        try:
            return super().onecmd(line)
        except Exception as e:  # a report failing half-way must not end the shell
            print(f"❌ Error: {e}")
            return False

    def cmdloop(self, intro=None):
        """The shell: prompt_toolkit's line editing, history and completion when it is
        installed, else cmd.Cmd's."""
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import FileHistory
        except ImportError:
            return super().cmdloop(intro)
        self.session = PromptSession(history=FileHistory(HISTORY_FILE),
                                     completer=_completer(self), complete_while_typing=False)
        self.preloop()
        print(self.intro if intro is None else intro)
        stop = False
        while not stop:
            try:
                line = self.session.prompt(self.prompt)
            except KeyboardInterrupt:
                print("^C")
                continue
            except EOFError:
                print()
                break
            line = self.precmd(line)
            stop = self.postcmd(self.onecmd(line), line)
        self.postloop()

    # -------------------------------------------------------------- connection
    def do_connect(self, arg):
        """Connect to MatrixOne.

        Usage: connect <host> <port> <user> <password> [database]
        Example: connect 127.0.0.1 6001 root 111 test"""
        args = _words(arg)
        if len(args) < 4 or not args[1].isdigit():
            print("❌ Usage: connect <host> <port> <user> <password> [database]")
            return
        host, port, user, password = args[0], int(args[1]), args[2], args[3]
        database = args[4] if len(args) > 4 else None
        try:
            if self.client is None:
                self.client = Client(sql_log_mode="off")
            self.client.connect(host=host, port=port, user=user, password=password,
                                database=database)
        except Exception as e:
            print(error(f"❌ Connection failed: {e}"))
            return
        self._set_database(database)
        print(success(f"✓ Connected to {host}:{port}" + (f" (database: {database})" if database else "")))

    def do_use(self, arg):
        """Switch to another database.

        Usage: use <database>"""
        args = _words(arg)
        if len(args) != 1:
            print("❌ Usage: use <database>")
            return
        if not self._connected():
            return
        try:
            self.client.execute("USE " + quote_identifier(args[0], "database name"))
        except Exception as e:
            print(f"❌ Failed to switch database: {e}")
            return
        self._set_database(args[0])
        print(success(f"✓ Switched to database: {args[0]}"))

    def do_databases(self, arg):
        """List the databases.

        Usage: databases"""
        if not self._connected():
            return
        try:
            names = [r[0] for r in self._rows("SHOW DATABASES")]
        except Exception as e:
            print(f"{error('❌ Error:')} {e}")
            return
        if not names:
            print(f"{warning('⚠️')} No databases found\n")
            return
        print(f"\n{header('🗄️  Databases:')}")
        print("=" * 80)
        for i, name in enumerate(names, 1):
            mark = f" {info('← current')}" if name == self.current_database else ""
            print(f"{i:4}. {success(name) if mark else name}{mark}")
        print("=" * 80)
        print(f"{info('Total:')} {len(names)} databases\n")

    def do_tables(self, arg):
        """List the tables of the current database or of the one given.

        Usage: tables [database]"""
        if not self._connected():
            return
        args = _words(arg)
        database = self._database(args[0] if args else None)
        if not database:
            return
        try:
            names = [r[0] for r in self._rows("SHOW TABLES FROM " + quote_identifier(database, "database name"))]
        except Exception as e:
            print(f"{error('❌ Error:')} {e}")
            return
        if not names:
            print(f"{warning('⚠️')} No tables found in database '{database}'\n")
            return
        print(f"\n{header('📋 Tables in database')} '{database}':")
        print("=" * 80)
        for i, name in enumerate(names, 1):
            print(f"{i:4}. {name}")
        print("=" * 80)
        print(f"{info('Total:')} {len(names)} tables\n")

    def do_sql(self, arg):
        """Run one SQL statement and print what it returns.

        Usage: sql <statement>
        Example: sql SELECT COUNT(*) FROM orders"""
        if not arg.strip():
            print("❌ Usage: sql <SQL statement>")
            return
        if not self._connected():
            return
        try:
            result = self.client.execute(arg)
            rows = result.fetchall()
        except Exception as e:
            print(f"❌ Error: {e}")
            return
        if not rows:
            print("✓ Query executed successfully (0 rows returned)\n")
            return
        names = [str(k) for k in result.keys()] if hasattr(result, "keys") else []
        if names:
            print("\n" + " | ".join(names))
            print("-" * (sum(map(len, names)) + 3 * len(names)))
        for row in rows:
            print(" | ".join("NULL" if v is None else str(v) for v in row))
        print(f"\n{len(rows)} row(s) returned\n")

    # -------------------------------------------------------------- indexes
    def do_show_indexes(self, arg):
        """Show every index table of a table (secondary, UNIQUE, IVF, HNSW, fulltext), one
        record per physical table, with the objects of vector and fulltext index tables.

        Usage: show_indexes <table> [database]"""
        target = self._table_target(arg, "❌ Usage: show_indexes <table_name> [database]")
        if target is None:
            return
        table, database = target
        try:
            details = self.client.get_table_indexes_detail(table, database)
        except Exception as e:
            print(f"❌ Error: {e}")
            return
        if not details:
            print(f"⚠️  No secondary indexes found for table '{table}' in database '{database}'")
            return
        print(f"\n{header('📊 Secondary Indexes for')} {bold(repr(f'{database}.{table}'))}\n")
        algos = {}
        for n, d in enumerate(details, 1):
            algo = d["algo"] or "regular"
            algos[algo] = algos.get(algo, 0) + 1
            columns = [c for c in d["columns"] if not c.startswith("__mo_alias_")]
            print(info(f"{'*' * 27} {n}. row {'*' * 27}"))
            print(f"      {bold('Index Name')}: {d['index_name']}")
            print(f"       {bold('Algorithm')}: {algo}")
            print(f"      {bold('Table Type')}: {d['algo_table_type'] or '-'}")
            print(f"  {bold('Physical Table')}: {d['physical_table_name']}")
            print(f"         {bold('Columns')}: {', '.join(columns) or 'N/A'}")
            if algo in SPECIAL_ALGOS:
                try:
                    objs = self._objects(database, d["physical_table_name"], False)
                except Exception:
                    continue  # no objects yet (nothing flushed): nothing to show
                print(f"      {bold('Statistics')}: {objs.summary()}")
        print(info("=" * 60))
        kinds = ", ".join(f"{c} {a}" for a, c in sorted(algos.items()))
        print(bold(f"Total: {len(details)} index tables") + f" ({kinds})\n")

    def do_verify_counts(self, arg):
        """Check that a table and each of its secondary (and UNIQUE) index tables have the
        same number of rows.

        Usage: verify_counts <table> [database]"""
        target = self._table_target(arg, "❌ Usage: verify_counts <table_name> [database]")
        if target is None:
            return
        table, database = target
        try:
            index_tables = self.client.get_secondary_index_tables(table, database)
            counts = self._counts(database, [table] + list(index_tables))
        except Exception as e:
            print(f"❌ Error: {e}")
            return
        main = counts[0]
        if not index_tables:
            print(f"⚠️  No secondary indexes found for table '{table}'")
            print(f"Main table '{table}': {main:,} rows")
            return
        print(f"\n{header('📊 Row Count Verification for')} {bold(repr(f'{database}.{table}'))}")
        print(info("=" * 80))
        print(bold(f"Main table: {main:,} rows"))
        print(info("-" * 80))
        bad = 0
        for name, n in zip(index_tables, counts[1:]):
            if n == main:
                print(f"{success('✓')} {name}: {bold(f'{n:,}')} rows")
            else:
                bad += 1
                print(f"{error('✗ MISMATCH')} {name}: {bold(f'{n:,}')} rows")
        print(info("=" * 80))
        if bad:
            print(f"❌ FAILED: {bad} index table(s) have mismatched counts!\n")
        else:
            print(f"✅ PASSED: All index tables match ({main:,} rows)\n")

    def _ivf_summary(self, table, column, database):
        """(centroids, vectors) of an IVF index (ValueError-free: errors propagate)."""
        stats = self.client.vector_ops.get_ivf_stats(table, column, database=database)
        counts = list((stats or {}).get("distribution", {}).get("centroid_count", []) or [])
        return len(counts), sum(counts), stats

    def do_show_all_indexes(self, arg):
        """Index health of every table of a database that has secondary indexes: row counts
        of the index tables against the table, IVF centroids, the index kinds.

        Usage: show_all_indexes [database]"""
        args = _words(arg)
        database = self._database(args[0] if args else None)
        if not database or not self._connected():
            return
        try:
            tables = [r[0] for r in self._rows(*build_get_indexed_tables_sql(database))]
        except Exception as e:
            print(f"❌ Error: {e}")
            return
        if not tables:
            print(f"⚠️  No tables with secondary indexes found in database '{database}'")
            return
        healthy, attention = [], []
        for table in tables:
            try:
                report = self._table_health(table, database)
            except Exception as e:
                report = {"name": table, "indexes": "?", "rows": "❌ Error",
                          "notes": "-", "issue": "Unable to verify table", "detail": str(e)}
            (attention if report.get("issue") else healthy).append(report)
        print(f"\n{header('📊 Index Health Report')} for Database '{database}':")
        print("=" * 120)
        if healthy:
            print(f"\n{success('✓ HEALTHY')} ({len(healthy)} tables)")
            print("-" * 120)
            print(f"{'Table Name':<35} | {'Indexes':<8} | {'Row Count':<20} | Notes")
            print("-" * 120)
            for t in healthy:
                print(f"{t['name']:<35} | {t['indexes']:<8} | {t['rows']:<20} | {t['notes']}")
        if attention:
            print(f"\n{warning('⚠️  ATTENTION NEEDED')} ({len(attention)} tables)")
            print("-" * 120)
            print(f"{'Table Name':<35} | {'Issue':<40} | Details")
            print("-" * 120)
            for t in attention:
                print(f"{t['name']:<35} | {t['issue']:<40} | {t['detail'][:60]}")
        print("\n" + "=" * 120)
        print(bold("Summary:"))
        print(f"  {success('✓')} {len(healthy)} healthy tables")
        if attention:
            print(f"  {warning('⚠️ ')} {len(attention)} tables need attention")
        else:
            print(f"  {success('✓')} All indexes healthy!")
        print(f"  Total: {len(tables)} tables with indexes\n")
        if attention:
            print(f"{info('💡 Tip:')} 'verify_counts <table>' and 'show_ivf_status' tell more")

    def _table_health(self, table, database):
        details = self.client.get_table_indexes_detail(table, database)
        indexes = _group_by_index(details)
        report = {"name": table, "indexes": len(indexes), "issue": None, "detail": ""}
        special = any(d["algo"] in SPECIAL_ALGOS for d in details)
        notes = []
        if special:  # the index tables of these hold other rows than the table's
            report["rows"] = f"{self._counts(database, [table])[0]:,} rows"
        else:
            index_tables = self.client.get_secondary_index_tables(table, database)
            counts = self._counts(database, [table] + list(index_tables))
            bad = [f"{t}: {n}" for t, n in zip(index_tables, counts[1:]) if n != counts[0]]
            report["rows"] = "❌ Mismatch" if bad else f"✓ {counts[0]:,} rows"
            if bad:
                report["issue"] = "Row count mismatch between indexes"
                report["detail"] = f"table: {counts[0]}; " + "; ".join(bad)
        for name, parts in indexes.items():
            algo = parts[0]["algo"]
            if algo == "ivfflat":
                try:
                    centroids, vectors, _ = self._ivf_summary(table, parts[0]["columns"][0], database)
                except Exception as e:
                    notes.append("IVF: error")
                    report["issue"] = report["issue"] or "Vector index error"
                    report["detail"] = report["detail"] or f"IVF stats of {name}: {e}"
                    continue
                if centroids:
                    notes.append(f"IVF: {centroids} centroids, {vectors} vectors")
                else:
                    notes.append("IVF: building")
                    report["issue"] = report["issue"] or "Vector index building incomplete"
                    report["detail"] = report["detail"] or f"{name}: no centroids yet (show_ivf_status)"
            elif algo == "hnsw":
                notes.append("HNSW index")
            elif algo == "fulltext":
                notes.append("Fulltext index")
        report["notes"] = ", ".join(notes) or "-"
        return report

    def do_show_ivf_status(self, arg):
        """The IVF indexes of a database: centroids, vectors, balance; -v for the physical
        tables and the largest centroids, -t to keep one table.

        Usage: show_ivf_status [database] [-v] [-t <table>]"""
        args = _words(arg)
        database, verbose, only = None, False, None
        i = 0
        while i < len(args):
            if args[i] == "-v":
                verbose = True
            elif args[i] == "-t" and i + 1 < len(args):
                only = args[i + 1]
                i += 1
            elif database is None:
                database = args[i]
            i += 1
        database = self._database(database)
        if not database or not self._connected():
            return
        try:
            found = self._rows(*build_get_ivf_indexes_sql(database))
        except Exception as e:
            print(f"❌ Error: {e}")
            return
        if only:
            found = [r for r in found if r[0] == only]
        if not found:
            where = f"table '{only}'" if only else f"database '{database}'"
            print(f"⚠️  No IVF indexes found for {where}")
            return
        print(f"\n📊 IVF Index Status in '{database}':")
        print("=" * 130)
        if not verbose:
            print(f"{'Table':<30} | {'Index':<25} | {'Column':<20} | {'Centroids':<10} | "
                  f"{'Vectors':<12} | {'Balance':<8} | Status")
            print("-" * 130)
        active = 0
        for table, index, column in found:
            try:
                centroids, vectors, stats = self._ivf_summary(table, column, database)
            except Exception as e:
                line = f"❌ {e}"
                print(f"\nTable: {table} | Index: {index}\nStatus: {line}" if verbose else
                      f"{table:<30} | {index:<25} | {column:<20} | {'?':<10} | {'?':<12} | {'?':<8} | {line[:40]}")
                continue
            dist = stats.get("distribution", {}) if stats else {}
            counts = list(dist.get("centroid_count", []) or [])
            balance = max(counts) / min(counts) if counts and min(counts) > 0 else 0.0
            if centroids:
                active += 1
            if not verbose:
                status = "✓ active" if centroids else "⚠️ empty"
                print(f"{table:<30} | {index:<25} | {column:<20} | {centroids:<10} | "
                      f"{vectors:<12,} | {balance:<8.2f} | {status}")
                continue
            print(f"\nTable: {table} | Index: {index} | Column: {column}")
            print("-" * 130)
            print("Physical Tables:")
            for kind, name in (stats.get("index_tables") or {}).items():
                print(f"  - {kind:<15}: {name}")
            if not counts:
                print("\nCentroid Distribution: ⚠️  No centroids found (empty index)")
                continue
            print("\nCentroid Distribution:")
            print(f"  Total Centroids: {centroids}")
            print(f"  Total Vectors:   {vectors:,}")
            print(f"  Min/Avg/Max:     {min(counts)} / {vectors / centroids:.1f} / {max(counts)}")
            print(f"  Load Balance:    {balance:.2f}x")
            ranked = sorted(zip(dist.get("centroid_id", []), counts,
                                dist.get("centroid_version", [None] * len(counts))),
                            key=lambda c: c[1], reverse=True)
            print("\n  Top Centroids (by vector count):")
            for n, (cid, count, version) in enumerate(ranked[:10], 1):
                print(f"    {n:2}. Centroid {cid}: {count:,} vectors (version {version})")
        print("=" * 130)
        if active:
            print(f"Total: {active} IVF indexes")
        else:
            print("⚠️  No accessible IVF indexes found")
        print()

    def do_show_table_stats(self, arg):
        """Storage statistics of a table from metadata_scan (objects, rows, sizes).

        Usage: show_table_stats <table> [database] [-t] [-i idx1,idx2] [-a] [-d]
          -t  with the tombstone objects      -i  with these indexes' tables
          -a  with the tombstones and every index (-a -d: the tree of physical tables)
          -d  every object, not only the totals"""
        args = _words(arg)
        if not args:
            print("❌ Usage: show_table_stats <table> [database] [-t] [-i index_names] [-a] [-d]")
            return
        table, database = args[0], None
        tombstone = detail = every = False
        wanted = None
        i = 1
        while i < len(args):
            a = args[i]
            if a == "-t":
                tombstone = True
            elif a == "-a":
                every = tombstone = True
            elif a == "-d":
                detail = True
            elif a == "-i" and i + 1 < len(args):
                wanted = [w.strip() for w in args[i + 1].split(",") if w.strip()]
                i += 1
            elif database is None:
                database = a
            i += 1
        database = self._database(database)
        if not database or not self._connected():
            return
        try:
            main = self._objects(database, table, False)
            main_tomb = self._objects(database, table, True) if tombstone else None
        except Exception as e:
            print(f"❌ Error: no statistics for '{database}.{table}': {e}")
            return
        indexes = {}
        if every or wanted:
            try:
                details = self.client.get_table_indexes_detail(table, database)
            except Exception as e:
                print(f"⚠️  Warning: Could not fetch index list: {e}")
                details = []
            indexes = {name: parts for name, parts in _group_by_index(details).items()
                       if every or name in wanted}
        title = "Detailed Table Statistics" if detail else "Table Statistics"
        print(f"\n📊 {title} for '{database}.{table}':")
        print("=" * 132)
        if detail:
            self._stats_tree(database, table, main, main_tomb, indexes)
        else:
            self._stats_brief(database, table, main, main_tomb, indexes)
        print("=" * 132)
        if not detail:
            print("\nTip: '-t' tombstones, '-i idx1,idx2' indexes, '-a' all, '-d' every object")
        print()

    def _physical(self, database, parts, tombstone):
        """(kind or None, name, data totals, tombstone totals or None, error or None) of each
        physical table of one index (kind only when the index has several tables)."""
        for part in parts:
            name = part["physical_table_name"]
            kind = (part["algo_table_type"] or "index") if len(parts) > 1 else None
            try:
                data = self._objects(database, name, False)
                tomb = self._objects(database, name, True) if tombstone else None
            except Exception as e:
                yield kind, name, None, None, e
                continue
            yield kind, name, data, tomb, None

    def _stats_brief(self, database, table, main, main_tomb, indexes):
        print(f"{'Component':<40} | {'Objects':<8} | {'Rows':<12} | {'Null Count':<10} | "
              f"{'Original Size':<14} | Compressed Size")
        print("-" * 132)

        def line(label, t):
            print(f"{label:<40} | {len(t.objects):<8} | {t.total('rows_cnt'):<12,} | "
                  f"{t.total('null_cnt'):<10,} | {_size(t.total('origin_size')):<14} | "
                  f"{_size(t.total('compress_size'))}")
        line(table, main)
        if main_tomb is not None:
            line("  └─ tombstone", main_tomb)
        for name, parts in indexes.items():
            for kind, _, data, tomb, err in self._physical(database, parts, main_tomb is not None):
                label = f"  └─ index: {name}" + (f" ({kind})" if kind else "")
                if err is not None:
                    print(f"{label:<40} | unavailable: {err}")
                    continue
                line(label, data)
                if tomb is not None and tomb.objects:
                    line("      └─ tombstone", tomb)
        print(f"\nObjects: {len(main.objects)} | Rows: {main.total('rows_cnt'):,}"
              + (f" | Tombstone rows: {main_tomb.total('rows_cnt'):,}" if main_tomb else ""))

    def _stats_tree(self, database, table, main, main_tomb, indexes):
        print(f"\n{bold('Table:')} {table}:{self._table_id(table, database)}")
        self._stats_node("  ", main, main_tomb)
        for name, parts in indexes.items():
            print(f"\n{bold('Index:')} {name}")
            for kind, physical, data, tomb, err in self._physical(database, parts, main_tomb is not None):
                label = f"({kind}): " if kind else ""
                print(f"  └─ {label}{physical}:{self._table_id(physical, database)}")
                if err is not None:
                    print(f"     └─ {bold('Data')} unavailable: {err}")
                    continue
                self._stats_node("     ", data, tomb)

    @staticmethod
    def _stats_node(indent, data, tomb):
        print(f"{indent}└─ {bold('Data')}")
        print(f"{indent}   {data.summary()}")
        if data.objects:
            data.print_objects(indent + "   ")
        if tomb is not None:
            print(f"\n{indent}└─ {bold('Tombstone')}")
            print(f"{indent}   {tomb.summary()}")
            if tomb.objects:
                tomb.print_objects(indent + "   ")

    def do_flush_table(self, arg):
        """Flush a table and every physical table of its indexes (mo_ctl; sys account).

        Usage: flush_table <table> [database]"""
        target = self._table_target(arg, f"{error('Error:')} Table name is required\n"
                                         f"{info('Usage:')} flush_table <table> [database]")
        if target is None:
            return
        table, database = target
        print(f"{info('🔄 Flushing table:')} {database}.{table}")
        try:
            self.client.moctl.flush_table(database, table)
        except Exception as e:
            print(f"{error('❌')} Failed to flush main table: {e}")
            return
        print(f"{success('✓')} Main table flushed successfully")
        try:
            indexes = _group_by_index(self.client.get_table_indexes_detail(table, database))
        except Exception as e:
            print(f"{warning('⚠️')} Failed to get index tables: {e}")
            print(f"{info('📊 Summary:')} Main table flushed; index tables not processed")
            return
        total = sum(len(parts) for parts in indexes.values())
        done = 0
        if total:
            print(f"{info('📋 Found')} {total} index physical tables")
        for name, parts in indexes.items():
            print(f"\n{info('📑 Index:')} {name}")
            for part in parts:
                kind = part["algo_table_type"] or "index"
                try:
                    self.client.moctl.flush_table(database, part["physical_table_name"])
                    done += 1
                    print(f"  {success('✓')} {kind}: {part['physical_table_name']}")
                except Exception as e:
                    print(f"  {error('❌')} {kind}: {part['physical_table_name']} - {e}")
        print(f"\n{info('📊 Summary:')}")
        print(f"  Main table: {success('✓')} flushed")
        print(f"  Index physical tables: {done}/{total} flushed successfully")

    # -------------------------------------------------------------- CDC
    def _cdc_threshold(self, token, current):
        """A --threshold=<duration> / bare minutes token as a timedelta, or None (printed)."""
        value = token.split("=", 1)[1] if token.startswith("--threshold=") else token
        try:
            return parse_duration(value)
        except ValueError as e:
            print(error(f"❌ {e}"))
            return None

    def do_cdc_health(self, arg):
        """Health of the CDC tasks: tasks with errors, running tasks with table errors,
        tables whose watermark lags more than the threshold (default 10 minutes).

        Usage: cdc_health [minutes] [--task=<name>] [--threshold=<duration>] [--strict] [--details]"""
        threshold = datetime.timedelta(minutes=10)
        task, strict, details = None, False, False
        for token in _words(arg):
            if token == "--strict":
                strict = True
            elif token == "--details":
                details = True
            elif token.startswith("--task="):
                task = token.split("=", 1)[1] or None
            elif token.startswith("--threshold=") or token.replace(".", "", 1).isdigit():
                threshold = self._cdc_threshold(token, threshold)
                if threshold is None:
                    return
            else:
                print("❌ Unknown option. Usage: cdc_health [minutes] [--task=<task>] "
                      "[--threshold=<duration>] [--strict] [--details]")
                return
        if strict:
            threshold = datetime.timedelta(0)
        if not self._connected():
            return
        cdc = self.client.cdc
        try:
            tasks = cdc.list(task)
            failing = [t for t in cdc.list_failing_tasks() if task is None or t.task_name == task]
            stuck = [t for t in cdc.list_stuck_tasks() if task is None or t.task_name == task]
            late = cdc.list_late_table_watermarks(task_name=task, default_threshold=threshold)
        except Exception as e:
            print(error(f"❌ CDC health check failed: {e}"))
            return
        print(f"\n{header('📈 CDC Health Overview')}")
        print(info(f"Threshold for watermark lag: {format_duration(threshold)}"))
        print(info(f"Evaluated CDC tasks: {len(tasks)}"))
        if task:
            print(info(f"Task filter: {task}"))
        print()
        _print_findings(failing, error, "Tasks reporting errors",
                        lambda t: f"{t.task_name} (state: {t.state or 'unknown'}, "
                                  f"error: {t.err_msg or '-'})",
                        "No CDC tasks currently report errors.")
        print()
        _print_findings(stuck, warning, "Running tasks with per-table errors",
                        lambda t: f"{t.task_name} (state: {t.state or 'unknown'})",
                        "No running tasks with per-table errors detected.")
        print()
        _print_findings(late, warning, "Tables lagging beyond threshold",
                        lambda w: ".".join(p for p in (w.task_name, w.database, w.table) if p)
                                  + f" (watermark: {w.watermark or 'N/A'})",
                        "All table watermarks are within the expected threshold.")
        bad = {t.task_name for t in failing} | {t.task_name for t in stuck}
        print(f"\n{info(f'Healthy tasks (no reported issues): {max(0, len(tasks) - len(bad))}')}")
        if details:
            print(f"\n{header('🛠 CDC Task Definitions')}")
            for t in tasks:
                self._print_task(t, full=True)

    def _print_task(self, t, full):
        print(bold(f"• {t.task_name}"))
        print(f"  {info('State:')} {t.state or 'unknown'}")
        print(f"  {info('Sink:')} {t.sink_type or 'unknown'}")
        if t.err_msg:
            print(f"  {error('Error:')} {t.err_msg}")
        _print_field("Mapping:", t.table_mapping)
        if full:
            _print_field("Source URI:", t.source_uri)
            _print_field("Sink URI:", t.sink_uri)
            _print_field("Options:", t.additional_config)
            _print_field("NoFull:", t.no_full)
            _print_field("Checkpoint:", t.checkpoint)
        print()

    def do_cdc_tasks(self, arg):
        """List the CDC tasks.

        Usage: cdc_tasks [--details]"""
        tokens = _words(arg)
        if any(t != "--details" for t in tokens):
            print("❌ Unknown option. Usage: cdc_tasks [--details]")
            return
        if not self._connected():
            return
        try:
            tasks = self.client.cdc.list()
        except Exception as e:
            print(error(f"❌ Failed to list CDC tasks: {e}"))
            return
        if not tasks:
            print(info("No CDC tasks found."))
            return
        print(f"\n{header('🧾 CDC Tasks Summary')}")
        print(info(f"Total tasks: {len(tasks)}"))
        for t in tasks:
            self._print_task(t, full=bool(tokens))

    def do_cdc_task(self, arg):
        """One CDC task: its definition and the watermark of each table; --pause, --resume or
        --restart it first.

        Usage: cdc_task <name> [--details] [--no-watermarks|--watermarks-only] [--table=<name>]
                        [--threshold=<duration>] [--strict] [--pause|--resume|--restart]"""
        tokens = _words(arg)
        if not tokens:
            print("❌ Usage: cdc_task <task_name> [--details] [--no-watermarks] [--table=<name>] "
                  "[--threshold=<duration>] [--strict] [--pause|--resume|--restart]")
            return
        name, rest = tokens[0], tokens[1:]
        details = strict = no_marks = only_marks = False
        table = action = None
        threshold = datetime.timedelta(minutes=10)
        i = 0
        while i < len(rest):
            t = rest[i]
            if t in ("--threshold", "--table"):  # the value as the next word
                if i + 1 >= len(rest):
                    print(f"❌ {t} requires a value.")
                    return
                i += 1
                t = f"{t}={rest[i]}"
            if t == "--details":
                details = True
            elif t == "--no-watermarks":
                no_marks = True
            elif t == "--watermarks-only":
                only_marks = True
            elif t == "--strict":
                strict = True
            elif t in ("--pause", "--resume", "--restart"):
                if action and action != t[2:]:
                    print("❌ Specify only one of --pause, --resume, or --restart.")
                    return
                action = t[2:]
            elif t.startswith("--threshold="):
                threshold = self._cdc_threshold(t, threshold)
                if threshold is None:
                    return
            elif t.startswith("--table="):
                table = t.split("=", 1)[1] or None
            else:
                print("❌ Unknown option. Use 'help cdc_task' for usage details.")
                return
            i += 1
        if no_marks and only_marks:
            print("❌ --watermarks-only cannot be combined with --no-watermarks.")
            return
        if strict:
            threshold = datetime.timedelta(0)
        if not self._connected():
            return
        cdc = self.client.cdc
        try:
            task = cdc.get(name)
        except Exception as e:
            print(error(f"❌ Failed to load CDC task '{name}': {e}"))
            return
        if action:
            try:
                getattr(cdc, action)(name)
                task = cdc.get(name)
            except Exception as e:
                print(error(f"❌ Failed to {action} task '{name}': {e}"))
                return
            done = {"pause": "paused", "resume": "resumed", "restart": "restarted"}[action]
            print(success(f"CDC task '{name}' {done} successfully."))
        if not only_marks:
            print(f"\n{header('🧭 CDC Task Inspect')}")
            print(info(f"Task: {task.task_name}"))
            print(info(f"State: {task.state or 'unknown'}"))
            print(info(f"Sink type: {task.sink_type or 'unknown'}"))
            if task.err_msg:
                print(error(f"Task error: {task.err_msg}"))
            for label, value in (("Checkpoint:", task.checkpoint), ("NoFull:", task.no_full),
                                 ("Options:", task.additional_config),
                                 ("Table mapping:", task.table_mapping),
                                 ("Source URI:", task.source_uri), ("Sink URI:", task.sink_uri)):
                _print_field(label, value)
        late = 0
        if no_marks:
            print(f"\n{info('Watermark listing skipped (--no-watermarks).')}")
        else:
            late = self._print_watermarks(name, table, threshold)
        print(info(f"Tables exceeding threshold: {late}"))
        if table:
            print(info(f"Watermark filter: {table}"))
        if details:
            try:
                shown = cdc.show_task(name)
                columns = list(getattr(shown, "columns", None) or [])
                rows = list(getattr(shown, "rows", None) or [])
                payload = [dict(zip(columns, r)) for r in rows] if columns else rows
                print(f"\n{header('📋 SHOW CDC TASK output')}")
                print(json.dumps(payload, indent=2, default=str))
            except Exception as e:
                print(error(f"❌ Failed to fetch SHOW CDC TASK output: {e}"))

    def _print_watermarks(self, name, table, threshold):
        """Print the task's watermarks (only ``table``'s when given); how many are late."""
        try:
            marks = self.client.cdc.list_watermarks(name)
        except Exception as e:
            print(error(f"❌ Failed to load watermarks: {e}"))
            marks = []
        if table:
            want = table.lower()
            marks = [m for m in marks if want in
                     {(m.table or "").lower(), (m.database or "").lower(),
                      f"{m.database}.{m.table}".lower()}]
        now = datetime.datetime.now(datetime.timezone.utc)
        print(f"\n{header('🕒 Watermarks')} (threshold {format_duration(threshold)})")
        print(info("Adjust with '--threshold=<duration>' (s/m/h) or '--strict' (zero tolerance)."))
        print(info(f"Current UTC: {format_timestamp(now)}"))
        if not marks:
            print(info("No watermarks found for this task."))
        late = 0
        for m in marks:
            where = ".".join(p for p in (m.database, m.table) if p) or "(unknown)"
            when = watermark_time(m.watermark)
            lag = (now - when).total_seconds() if when else None
            is_late = lag is not None and lag >= threshold.total_seconds()
            late += is_late
            status = warning("⚠️  late") if is_late else success("✓ on schedule")
            print(f"  • {where} → {m.watermark or 'N/A'}"
                  + (f" ({format_timestamp(when)})" if when else "") + f" ({status})"
                  + (f" Δ={lag:.3f}s" if lag is not None else "")
                  + (f" | error: {m.err_msg}" if getattr(m, "err_msg", None) else ""))
        return late

    def do_cdc_create(self, arg):
        """Create a CDC task step by step (asks for every setting, shows it, asks to confirm).

        Usage: cdc_create [--database-level|--table-level]"""
        tokens = _words(arg)
        levels = {"--database-level": "database", "--table-level": "table"}
        if any(t not in levels for t in tokens) or len(set(tokens)) > 1:
            print("❌ Usage: cdc_create [--database-level|--table-level] (only one of them)")
            return
        if not self._connected():
            return
        params = getattr(self.client, "_connection_params", None) or {}
        try:
            source_default = build_mysql_uri(params.get("host") or "127.0.0.1",
                                             int(params.get("port") or 6001),
                                             params.get("user") or "root",
                                             params.get("password") or "", params.get("account"))
        except Exception:
            source_default = ""
        db = params.get("database") or self.current_database
        name = self._prompt("Task name", f"{db}_cdc_{uuid.uuid4().hex[:4]}" if db
                            else f"cdc_task_{uuid.uuid4().hex[:6]}").strip()
        if not name:
            print("❌ Task name is required.")
            return
        sink_word = self._prompt("Sink type (mysql/matrixone)", CDCSinkType.MATRIXONE.value).strip().lower()
        try:
            sink_type = CDCSinkType(sink_word)
        except ValueError:
            print(f"❌ Invalid sink type '{sink_word}'. Choose from {[s.value for s in CDCSinkType]}.")
            return
        source_uri = self._prompt("Source URI", source_default).strip()
        sink_uri = self._prompt("Sink URI", source_uri).strip() if source_uri else ""
        if not source_uri or not sink_uri:
            print("❌ Source URI and sink URI are required.")
            return
        level = levels[tokens[0]] if tokens else self._prompt(
            "Replication level (database/table)", "database").strip().lower()
        if level not in ("database", "table"):
            print("❌ Replication level must be 'database' or 'table'.")
            return
        print(info("Options are key=value pairs separated by commas, e.g. Frequency=1h,NoFull=true "
                   "(Enter: none)."))
        options = None
        while True:
            text = self._prompt("Additional CDC options", "").strip()
            try:
                options = parse_options(text) if text else None
                break
            except ValueError as e:
                print(error(f"❌ {e}"))
        plan: Dict[str, Any] = {"task_name": name, "level": level, "source_uri": source_uri,
                                "sink_type": sink_type.value, "sink_uri": sink_uri}
        if options:
            plan["options"] = options
        if level == "database":
            source_db = self._prompt("Source database", db or "").strip()
            if not source_db:
                print("❌ Source database is required.")
                return
            plan["source_database"] = source_db
            plan["sink_database"] = self._prompt("Sink database", f"{source_db}_cdc").strip() or source_db
        else:
            print(info("Table mappings: source_db.table[:sink_db.table], an empty line ends."))
            mappings = []
            while True:
                text = self._prompt("Mapping (blank to finish)").strip()
                if not text:
                    break
                try:
                    mappings.append(parse_table_mapping(text))
                except ValueError as e:
                    print(error(f"❌ {e}"))
            if not mappings:
                print("❌ At least one table mapping is required for table-level replication.")
                return
            plan["table_mappings"] = mappings
        print(f"\n{header('📝 CDC Task Configuration Preview')}")
        print(json.dumps(plan, indent=2, ensure_ascii=False, default=str))
        if self._prompt("Proceed with CDC task creation? (yes/no)", "no").strip().lower() not in ("y", "yes"):
            print(info("CDC task creation cancelled."))
            return
        try:
            if level == "database":
                task = self.client.cdc.create_database_task(
                    task_name=name, source_uri=source_uri, sink_type=sink_type, sink_uri=sink_uri,
                    source_database=plan["source_database"], sink_database=plan["sink_database"],
                    options=options)
            else:
                task = self.client.cdc.create_table_task(
                    task_name=name, source_uri=source_uri, sink_type=sink_type, sink_uri=sink_uri,
                    table_mappings=[(m["source_db"], m["source_table"], m["sink_db"], m["sink_table"])
                                    for m in plan["table_mappings"]],
                    options=options)
        except Exception as e:
            print(error(f"❌ Failed to create CDC task: {e}"))
            return
        print(success(f"\nCDC task '{task.task_name}' created successfully."))
        print(info(f"Use 'cdc_task {task.task_name}' to inspect or manage the task."))

    def do_cdc_drop(self, arg):
        """Drop a CDC task: shows it, then asks twice (yes, then the task's name) unless
        --force.

        Usage: cdc_drop <name> [--force]"""
        tokens = _words(arg)
        if not tokens or any(t != "--force" for t in tokens[1:]):
            print("❌ Usage: cdc_drop <task_name> [--force]")
            return
        if not self._connected():
            return
        name, force = tokens[0], len(tokens) > 1
        try:
            task = self.client.cdc.get(name)
        except Exception as e:
            print(error(f"❌ Failed to load CDC task '{name}': {e}"))
            return
        print(f"\n{header('⚠️  CDC Task Drop Preview')}")
        print(json.dumps({"task_name": task.task_name, "state": task.state,
                          "sink_type": task.sink_type, "table_mapping": task.table_mapping,
                          "source_uri": task.source_uri, "sink_uri": task.sink_uri,
                          "options": task.additional_config, "no_full": task.no_full,
                          "checkpoint": task.checkpoint},
                         indent=2, ensure_ascii=False, default=str))
        if not force:
            if self._prompt(f"Confirm drop of CDC task '{name}'? (yes/no)", "no").strip().lower() not in ("y", "yes"):
                print(info("CDC task drop cancelled."))
                return
            if self._prompt(f"Type the task name '{name}' to confirm drop", "").strip() != name:
                print(info("Confirmation mismatch. CDC task drop cancelled."))
                return
        try:
            self.client.cdc.drop(name)
        except Exception as e:
            print(error(f"❌ Failed to drop CDC task '{name}': {e}"))
            return
        print(success(f"CDC task '{name}' dropped successfully."))

    # -------------------------------------------------------------- the shell itself
    def do_history(self, arg):
        """The commands typed in earlier sessions (last 20, or n), or -c to clear them.

        Usage: history [n|-c]"""
        arg = arg.strip()
        if arg == "-c":
            if os.path.exists(HISTORY_FILE):
                os.remove(HISTORY_FILE)
                print(success("✓ History cleared"))
            else:
                print(info("ℹ️ No history file found"))
            return
        if arg and not arg.isdigit():
            print(f"{error('❌ Error:')} Invalid number: {arg}")
            return
        count = int(arg) if arg else 20
        commands = []
        if os.path.exists(HISTORY_FILE):
            with open(HISTORY_FILE, encoding="utf-8") as f:
                for line in f:  # FileHistory: '+' before each line of an entry
                    entry = line.rstrip("\n")[1:] if line.startswith("+") else None
                    if entry and entry not in commands:
                        commands.append(entry)
        if not commands:
            print(info("ℹ️ No history yet"))
            return
        first = max(0, len(commands) - count)
        print(f"\n{header('📜 Command History')} (last {len(commands) - first} commands):")
        print("=" * 80)
        for n, entry in enumerate(commands[first:], first + 1):
            print(f"{n:4}. {entry}")
        print("=" * 80)
        print(f"{info('Total:')} {len(commands)} commands in history\n")

    def do_exit(self, arg):
        """Leave mo-diag (disconnects)."""
        print("\n👋 Goodbye!\n")
        if self.client is not None:
            try:
                self.client.disconnect()
            except Exception:
                pass
        return True

    def do_quit(self, arg):
        """Leave mo-diag (disconnects)."""
        return self.do_exit(arg)

    def do_EOF(self, arg):
        """Ctrl+D: leave mo-diag."""
        print()
        return self.do_exit(arg)


def _completer(cli):
    """prompt_toolkit completion of command names, then table / database / CDC task names
    (looked up on the connection when Tab is pressed)."""
    from prompt_toolkit.completion import Completer, Completion

    def names(sql):
        try:
            return [r[0] for r in cli.client.execute(sql).fetchall()] if cli.client else []
        except Exception:
            return []

    def tasks():
        try:
            return [t.task_name for t in cli.client.cdc.list()] if cli.client else []
        except Exception:
            return []

    takes_table = {"show_indexes", "show_table_stats", "verify_counts", "flush_table"}
    takes_db = {"use", "tables", "show_all_indexes", "show_ivf_status"}
    takes_task = {"cdc_task", "cdc_drop"}

    class _Complete(Completer):
        def get_completions(self, document, complete_event):
            text = document.text_before_cursor
            words = text.split()
            partial = "" if text.endswith(" ") else (words[-1] if words else "")
            if len(words) == 0 or (len(words) == 1 and partial):
                found = [n[3:] for n in cli.get_names() if n.startswith("do_")]
            elif words[0] in takes_table and len(words) - (1 if partial else 0) == 1:
                found = names("SHOW TABLES") if cli.current_database else []
            elif words[0] in takes_db or (words[0] in takes_table and len(words) - (1 if partial else 0) == 2):
                found = names("SHOW DATABASES")
            elif words[0] in takes_task:
                found = tasks()
            else:
                found = []
            for word in sorted(set(found)):
                if word.startswith(partial):
                    yield Completion(word, start_position=-len(partial))

    return _Complete()


# ---------------------------------------------------------------------------- entry points
def _connect(host, port, user, password, database, log_level):
    """A connected Client, the 'matrixone' logger at ``log_level`` (statements not logged
    below ERROR's verbosity)."""
    level = getattr(logging, str(log_level).upper(), logging.ERROR)
    logging.getLogger("matrixone").setLevel(level)
    client = Client(sql_log_mode="off" if level >= logging.ERROR else "auto")
    logging.getLogger("matrixone").setLevel(level)
    client.connect(host=host, port=port, user=user, password=password, database=database)
    return client


def start_interactive_tool(host="localhost", port=6001, user="root", password="111",
                           database=None, log_level="ERROR"):
    """Connect (or not: then 'connect' in the shell) and run the shell."""
    try:
        client = _connect(host, port, user, password, database, log_level)
        print(f"✓ Connected to {host}:{port}" + (f" (database: {database})" if database else ""))
    except Exception as e:
        print(f"⚠️  Failed to connect: {e}")
        print("You can connect manually using the 'connect' command.\n")
        client = None
    MatrixOneCLI(client).cmdloop()


def _cdc_command(args):
    """The shell command line of ``mo-diag cdc show|create|drop`` (None after an error)."""
    if args.cdc_command == "show":
        task_only = (args.no_watermarks, args.watermarks_only, args.threshold, args.table, args.strict)
        if not args.task_name:
            if any(task_only):
                print("❌ Options --no-watermarks/--watermarks-only/--threshold/--table/--strict "
                      "require a task name.")
                return None
            return "cdc_tasks" + (" --details" if args.details else "")
        words = ["cdc_task", args.task_name]
        words += [flag for flag, on in (("--details", args.details),
                                        ("--no-watermarks", args.no_watermarks),
                                        ("--watermarks-only", args.watermarks_only),
                                        ("--strict", args.strict)) if on]
        if args.threshold:
            words.append(f"--threshold={args.threshold}")
        if args.table:
            words.append(f"--table={args.table}")
        return " ".join(words)
    if args.cdc_command == "create":
        if args.database_level and args.table_level:
            print("❌ Specify only one of --database-level or --table-level.")
            return None
        return "cdc_create" + (" --database-level" if args.database_level else "") + \
            (" --table-level" if args.table_level else "")
    if args.cdc_command == "drop":
        return f"cdc_drop {args.task_name}" + (" --force" if args.force else "")
    print("❌ Usage: mo-diag cdc <show|create|drop> [...]")
    return None


def _parser():
    p = argparse.ArgumentParser(
        prog="mo-diag", description="MatrixOne diagnostic tool (mocore)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  mo-diag --host 127.0.0.1 --port 6001 --user root --password 111\n"
               "  mo-diag -d test -c \"show_ivf_status\"\n"
               "  mo-diag -d test -c \"show_table_stats orders -a\"\n"
               "  mo-diag cdc show my_task --threshold=5m")
    p.add_argument("--host", default="localhost", help="server host (default: localhost)")
    p.add_argument("--port", type=int, default=6001, help="server port (default: 6001)")
    p.add_argument("--user", default="root", help="user (default: root)")
    p.add_argument("--password", default="111", help="password (default: 111)")
    p.add_argument("--database", "-d", help="database")
    p.add_argument("--log-level", default="ERROR",
                   choices=["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
    p.add_argument("--command", "-c", help="run this one command and exit")
    sub = p.add_subparsers(dest="subcommand")
    cdc = sub.add_parser("cdc", help="CDC tasks").add_subparsers(dest="cdc_command")
    show = cdc.add_parser("show", help="the CDC tasks, or one task")
    show.add_argument("task_name", nargs="?")
    show.add_argument("--details", action="store_true")
    show.add_argument("--no-watermarks", action="store_true")
    show.add_argument("--watermarks-only", action="store_true")
    show.add_argument("--threshold")
    show.add_argument("--table")
    show.add_argument("--strict", action="store_true")
    create = cdc.add_parser("create", help="create a CDC task step by step")
    create.add_argument("--database-level", action="store_true")
    create.add_argument("--table-level", action="store_true")
    drop = cdc.add_parser("drop", help="drop a CDC task")
    drop.add_argument("task_name")
    drop.add_argument("--force", action="store_true")
    return p


def main_cli(argv: Optional[List[str]] = None):
    """The ``mo-diag`` console script: the shell, ``-c <command>``, or ``cdc ...``. Exit
    status 1 when the connection fails."""
    args = _parser().parse_args(argv)
    line = args.command
    if args.subcommand == "cdc":
        line = _cdc_command(args)
        if line is None:
            return 2
    if line is None:
        start_interactive_tool(args.host, args.port, args.user, args.password, args.database,
                               args.log_level)
        return 0
    try:
        client = _connect(args.host, args.port, args.user, args.password, args.database,
                          args.log_level)
    except Exception as e:
        print(f"❌ Failed to connect: {e}")
        sys.exit(1)
    try:
        MatrixOneCLI(client).onecmd(line)
    finally:
        try:
            client.disconnect()
        except Exception:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main_cli())
