#!/usr/bin/env python3
"""Run SQLAlchemy's dialect compliance suite against one MariaDB with the mocore driver
(mysql+mocore) and with mysqlclient (mysql+mysqldb), print both pass/fail/skip counts, and
fail when mocore passes fewer tests than mysqlclient or fails a test mysqlclient passes.

    tests/python_dbapi/sqla_suite/run.py [ADMIN_URL]

ADMIN_URL is a mysql:// URL of a user that may create databases (default: the ctest server
fixture's root_url, from MOCORE_TEST_ROOT_URL or <MOCORE_TEST_SERVER_DIR>/root_url). The suite
runs in its own database (mocore_sqla_suite) plus the schemas it needs (test_schema,
test_schema_2), so tables of other tests never show up in its reflection tests.
Exit status: 0 ok, 1 regression or error, 77 skipped (no server, SQLAlchemy or mysqlclient)."""

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SUITE_DB = "mocore_sqla_suite"
SCHEMAS = (SUITE_DB, "test_schema", "test_schema_2")


def admin_url():
    if len(sys.argv) > 1:
        return sys.argv[1]
    url = os.environ.get("MOCORE_TEST_ROOT_URL")
    if url:
        return url
    d = os.environ.get("MOCORE_TEST_SERVER_DIR")
    if d and os.path.exists(os.path.join(d, "root_url")):
        with open(os.path.join(d, "root_url")) as f:
            return f.read().strip()
    return None


def skip(reason):
    print(f"SKIPPED: {reason}")
    sys.exit(77)


def with_database(url, driver, database):
    rest = url.split("://", 1)[1]
    hostpart, _, _ = rest.partition("/")
    return f"mysql+{driver}://{hostpart}/{database}"


def run_suite(name, dburi):
    """(passed, failed, errors, skipped, set of passing test ids, set of failing ids)."""
    with tempfile.TemporaryDirectory() as tmp:
        xml = os.path.join(tmp, "junit.xml")
        cmd = [sys.executable, "-m", "pytest", "-q", "--tb=no", "-p", "no:cacheprovider",
               "-c", os.path.join(HERE, "setup.cfg"), "--rootdir", HERE,
               f"--junitxml={xml}", "--dburi", dburi, os.path.join(HERE, "test_suite.py")]
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in sys.path if p)
        proc = subprocess.run(cmd, cwd=HERE, env=env, capture_output=True, text=True)
        if not os.path.exists(xml):
            print(proc.stdout[-4000:], proc.stderr[-4000:], sep="\n")
            raise SystemExit(f"{name}: the suite did not run (pytest exit {proc.returncode})")
        passed, failed, errors, skipped = set(), set(), set(), set()
        for case in ET.parse(xml).getroot().iter("testcase"):
            # the class name carries the dialect+driver (..._mysql+mocore_10_11_6): drop it
            cls = case.get("classname", "").rsplit(".", 1)[-1]
            cls = cls.split("_mysql+")[0].split("_mariadb+")[0]
            tid = f"{cls}::{case.get('name')}"
            if case.find("skipped") is not None:
                skipped.add(tid)
            elif case.find("failure") is not None:
                failed.add(tid)
            elif case.find("error") is not None:
                errors.add(tid)
            else:
                passed.add(tid)
        return passed, failed, errors, skipped


def main():
    url = admin_url()
    if not url:
        skip("no server: set MOCORE_TEST_ROOT_URL or MOCORE_TEST_SERVER_DIR, or pass a URL")
    try:
        import sqlalchemy  # noqa: F401
        import MySQLdb  # noqa: F401
    except ImportError as e:
        skip(f"{e.name} is not installed (scripts/deps.sh installs sqlalchemy and mysqlclient)")
    import mocore
    admin = mocore.connect(url)
    for db in SCHEMAS:
        admin.execute(f"DROP DATABASE IF EXISTS `{db}`")
        admin.execute(f"CREATE DATABASE `{db}`")

    results = {}
    for name, driver in (("mocore", "mocore"), ("mysqlclient", "mysqldb")):
        results[name] = run_suite(name, with_database(url, driver, SUITE_DB))
        # a clean slate for the next driver
        for db in SCHEMAS:
            admin.execute(f"DROP DATABASE IF EXISTS `{db}`")
            admin.execute(f"CREATE DATABASE `{db}`")
    for db in SCHEMAS:
        admin.execute(f"DROP DATABASE IF EXISTS `{db}`")
    admin.close()

    print(f"{'driver':<12} {'passed':>7} {'failed':>7} {'errors':>7} {'skipped':>8}")
    for name, (p, f, e, s) in results.items():
        print(f"{name:<12} {len(p):>7} {len(f):>7} {len(e):>7} {len(s):>8}")
    for name, (p, f, e, s) in results.items():
        for t in sorted(f | e):
            print(f"  {name} fails: {t}")
    mp, mf, me, _ = results["mocore"]
    cp, _, _, _ = results["mysqlclient"]
    better = sorted(mp - cp)
    if better:
        print(f"\n{len(better)} tests pass with mocore and not with mysqlclient:")
        for t in better:
            print("  " + t)
    worse = sorted((cp - mp))
    if worse:
        print(f"\n{len(worse)} tests pass with mysqlclient and not with mocore:")
        for t in worse:
            print("  " + t)
    ok = len(mp) >= len(cp) and not worse
    print("\nmocore vs mysqlclient:", "OK" if ok else "REGRESSION")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
