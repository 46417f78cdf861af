"""Shared fixtures for the mocore.dbapi / SQLAlchemy dialect / unified-transaction tests.

The server is the one of the binding suites (bindings/python/tests/servers.py, shared, not
copied): MOCORE_TEST_URL / MOCORE_TEST_ROOT_URL, else the ctest `server` fixture's files
(MariaDB in CI, MatrixOne when pointed at one). A test that holds on one kind of server only
says so with ``requires_mariadb(reason)`` / ``requires_matrixone(reason)``."""

import os
import re
import sys
import uuid

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "bindings", "python", "tests"))

from servers import (requires_mariadb, requires_matrixone, root_url, seq,  # noqa: E402,F401
                     server_kind, server_url)


class SentStatements(list):
    """The statements the C core sends on the connections made with ``options`` (its log
    sink, log_mode "full"), in order: what reached the wire, counted the same way on every
    server (MariaDB's Com_insert status counter has no MatrixOne counterpart). ``options``
    go to mocore.dbapi.connect(...) or SQLAlchemy's ``connect_args``."""

    _LINE = re.compile(r"\S+ \| [0-9.]+s(?: \| -?[0-9]+ rows)? \| (?:\[ERROR\] |\[SLOW\] )?(.*)\Z",
                       re.S)

    def __init__(self):
        super().__init__()
        self.options = {"log_mode": "full", "logger": self._line}

    def _line(self, level, message):
        m = self._LINE.match(message)
        if m:                                       # not the "Connected" line
            self.append(m.group(1))

    def starting(self, *words):
        """How many of them start with one of ``words`` (case-insensitive)."""
        return sum(1 for sql in self if sql.split(None, 1)[0].upper() in words)


def procedure_ddl(name, params, body):
    """CREATE PROCEDURE `name`(params) running the statements of body: MariaDB's
    BEGIN ... END block, or on MatrixOne the same block as a string literal (its grammar).
    MatrixOne refuses procedure DDL inside a transaction: run it in autocommit."""
    block = f"BEGIN {body} END"
    if server_kind() == "matrixone":
        block = "'" + block.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"CREATE PROCEDURE `{name}`({params}) {block}"


def sqlalchemy_url(url):
    """mysql://... (the harness URL) -> mysql+mocore://..."""
    return "mysql+mocore://" + url.split("://", 1)[1]


@pytest.fixture
def url():
    return server_url()


@pytest.fixture
def admin_url():
    server_url()
    return root_url()


@pytest.fixture
def table_name():
    return "dbapi_" + uuid.uuid4().hex[:10]
