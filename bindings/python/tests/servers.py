"""Where the Python suites find their servers and which kind of server they talk to.

The general suites run against the server of MOCORE_TEST_URL / MOCORE_TEST_ROOT_URL, else the
ctest `server` fixture's files (MOCORE_TEST_SERVER_DIR/url, root_url): MariaDB in CI,
MatrixOne when pointed at one. A test that holds only on one kind says so with
``requires_mariadb(reason)`` / ``requires_matrixone(reason)``: it skips with the reason on the
other kind, read from what the client reports (``Client.server_kind``).

The MatrixOne profile (test_matrixone.py) uses MOCORE_TEST_MATRIXONE_URL."""

import functools
import os
import unittest

import mocore


def _server_file(name, env):
    url = os.environ.get(env)
    if url:
        return url
    d = os.environ.get("MOCORE_TEST_SERVER_DIR")
    if d and os.path.exists(os.path.join(d, name)):
        with open(os.path.join(d, name)) as f:
            return f.read().strip()
    raise unittest.SkipTest("no test server: set MOCORE_TEST_URL or MOCORE_TEST_SERVER_DIR")


def server_url():
    return _server_file("url", "MOCORE_TEST_URL")


def root_url():
    return os.environ.get("MOCORE_TEST_ROOT_URL") or _server_file("root_url", "MOCORE_TEST_URL")


def matrixone_url():
    """MOCORE_TEST_MATRIXONE_URL, or SkipTest."""
    url = os.environ.get("MOCORE_TEST_MATRIXONE_URL")
    if not url:
        raise unittest.SkipTest("MatrixOne profile: set MOCORE_TEST_MATRIXONE_URL "
                                "(e.g. matrixone://root:111@127.0.0.1:6001/test)")
    return url


_kind = []


def server_kind():
    """"mariadb", "mysql" or "matrixone": what the client reports for the test server."""
    if not _kind:
        with mocore.connect(server_url()) as c:
            _kind.append(c.server_kind)
    return _kind[0]


def _requires(kinds, label, reason):
    def check():
        kind = server_kind()
        if kind not in kinds:
            raise unittest.SkipTest(f"{label} only ({reason}); the test server is {kind}")

    def deco(obj):
        if isinstance(obj, type):
            setup = obj.setUp

            @functools.wraps(setup)
            def setUp(self, *a, **kw):
                check()
                return setup(self, *a, **kw)
            obj.setUp = setUp
            return obj

        @functools.wraps(obj)
        def run(*a, **kw):
            check()
            return obj(*a, **kw)
        return run
    return deco


def requires_mariadb(reason):
    """Decorator for a test (or a TestCase class) that holds on MariaDB/MySQL only."""
    return _requires(("mariadb", "mysql"), "MariaDB/MySQL", reason)


def requires_matrixone(reason):
    """Decorator for a test (or a TestCase class) that holds on MatrixOne only."""
    return _requires(("matrixone",), "MatrixOne", reason)


def seq(n):
    """A table expression of the integers 1..n in a column ``seq``: MariaDB's Sequence engine
    table seq_1_to_<n>, MatrixOne's generate_series elsewhere."""
    n = int(n)
    if server_kind() == "matrixone":
        return f"(SELECT result AS seq FROM generate_series(1, {n}) g) AS seq_1_to_{n}"
    return f"seq_1_to_{n}"


def connection_ids(client):
    """The connection ids the server lists in information_schema.PROCESSLIST."""
    col = "conn_id" if server_kind() == "matrixone" else "ID"
    return [r[0] for r in client.query(f"SELECT {col} FROM information_schema.PROCESSLIST")]
