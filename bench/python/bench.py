"""Python: mocore against mysqlclient (MySQLdb) and PyMySQL, side by side (bench/run.sh).

Environment: MOCORE_BENCH_URL (mysql://user:pw@host:port/db), MOCORE_BENCH_ROWS,
MOCORE_BENCH_INSERTS, MOCORE_BENCH_REPEAT; PYTHONPATH finds mocore (the build tree).
Implementations: mocore (the mocore.Client API with its default policy: a statement runs as a
server-side prepared statement, the binary protocol, from its 2nd execution on MySQL/MariaDB),
mocore.text (the same with prepare_threshold=0: the text protocol), mocore.dbapi (the PEP 249
module, the same calls as the other DB-API drivers), mysqlclient, pymysql.
Tasks (best of REPEAT, wall clock), the same for every driver:
  fetch   all rows of bench_rows as tuples of native values (int, str, float, datetime, Decimal):
          execute + fetchall
  iter    the same rows, one at a time: ``for row in cursor`` (DB-API), ``for row in result``
  insert  MOCORE_BENCH_INSERTS single-row INSERTs with 5 parameters in one transaction
  many    the same rows in one executemany (DB-API drivers only: each sends multi-row INSERTs)
Prints "BENCH python <impl> <task> <seconds>"; a driver that is not installed is skipped."""

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from urllib.parse import unquote, urlparse

URL = os.environ["MOCORE_BENCH_URL"]
ROWS = int(os.environ.get("MOCORE_BENCH_ROWS", "100000"))
INSERTS = int(os.environ.get("MOCORE_BENCH_INSERTS", "10000"))
REPEAT = int(os.environ.get("MOCORE_BENCH_REPEAT", "5"))
FETCH = "SELECT id, name, score, created, amount FROM bench_rows"
u = urlparse(URL)
OPTS = dict(host=u.hostname, port=u.port, user=unquote(u.username), password=unquote(u.password),
            database=u.path.lstrip("/"))


def values(i):
    return (i, f"name-{i}", i * 0.25, dt.datetime(2024, 1, 1 + i % 28, 12, 30, 15), Decimal("1234.56"))


def check_row(r):
    assert isinstance(r[0], int) and isinstance(r[2], float), r
    assert isinstance(r[3], dt.datetime) and isinstance(r[4], Decimal), r


def check(rows):
    assert len(rows) == ROWS, len(rows)
    check_row(rows[1])


def check_iter(rows):
    n = 0
    for row in rows:
        n += 1
    assert n == ROWS, n
    check_row(row)


def bench_mocore(options=""):
    import mocore
    c = mocore.connect(URL + options)

    def fetch():
        check(c.execute(FETCH).fetchall())

    def iterate():
        check_iter(c.execute(FETCH))

    def insert():
        with c.session() as s:
            for i in range(INSERTS):
                s.execute("INSERT INTO bench_ins VALUES (?, ?, ?, ?, ?)", values(i))

    return {"fetch": fetch, "iter": iterate, "insert": insert}, \
        lambda: c.execute("TRUNCATE TABLE bench_ins")


def bench_dbapi(module):
    if module == "MySQLdb":
        import MySQLdb
        conn = MySQLdb.connect(host=OPTS["host"], port=OPTS["port"], user=OPTS["user"],
                               password=OPTS["password"], database=OPTS["database"],
                               charset="utf8mb4")
        mark = "%s"
    elif module == "pymysql":
        import pymysql
        conn = pymysql.connect(charset="utf8mb4", **OPTS)
        mark = "%s"
    else:
        import mocore.dbapi
        conn = mocore.dbapi.connect(URL)
        mark = "?"
    cur = conn.cursor()
    insert_sql = "INSERT INTO bench_ins VALUES (" + ", ".join([mark] * 5) + ")"

    def fetch():
        cur.execute(FETCH)
        check(cur.fetchall())

    def iterate():
        cur.execute(FETCH)
        check_iter(cur)

    def insert():
        for i in range(INSERTS):
            cur.execute(insert_sql, values(i))
        conn.commit()

    def many():
        cur.executemany(insert_sql, [values(i) for i in range(INSERTS)])
        conn.commit()
        assert cur.rowcount == INSERTS, cur.rowcount

    def truncate():
        cur.execute("TRUNCATE TABLE bench_ins")
        conn.commit()

    return {"fetch": fetch, "iter": iterate, "insert": insert, "many": many}, truncate


def main():
    impls = []
    # "mocore": the default policy (a statement is prepared from its 2nd execution on MySQL and
    # MariaDB: the binary protocol); "mocore.text": prepare_threshold=0, the text protocol
    for name, make in [("mocore", bench_mocore),
                       ("mocore.text", lambda: bench_mocore("?prepare_threshold=0")),
                       ("mocore.dbapi", lambda: bench_dbapi("mocore.dbapi")),
                       ("mysqlclient", lambda: bench_dbapi("MySQLdb")),
                       ("pymysql", lambda: bench_dbapi("pymysql"))]:
        try:
            impls.append((name,) + make())
        except ImportError as e:
            print(f"bench python: {name} skipped ({e})", file=sys.stderr)
    best = {}
    for _ in range(REPEAT):  # interleaved: every driver sees the same machine state
        for name, tasks, truncate in impls:
            for task, fn in tasks.items():
                if task in ("insert", "many"):
                    truncate()
                t0 = time.perf_counter()
                fn()
                t = time.perf_counter() - t0
                best[name, task] = min(t, best.get((name, task), t))
    for (name, task), t in best.items():
        print(f"BENCH python {name} {task} {t:.4f}")


if __name__ == "__main__":
    main()
