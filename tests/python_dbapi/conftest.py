"""Shared fixtures for the mocore.dbapi / SQLAlchemy dialect / unified-transaction tests.

The server is the real MariaDB of the ctest `server` fixture: its URL comes from
MOCORE_TEST_URL, else <MOCORE_TEST_SERVER_DIR>/url (root_url likewise for admin tests)."""

import os
import uuid

import pytest


def _read(name, env):
    url = os.environ.get(env)
    if url:
        return url
    d = os.environ.get("MOCORE_TEST_SERVER_DIR")
    if d and os.path.exists(os.path.join(d, name)):
        with open(os.path.join(d, name)) as f:
            return f.read().strip()
    return None


def server_url():
    url = _read("url", "MOCORE_TEST_URL")
    if not url:
        pytest.skip("no test server: set MOCORE_TEST_URL or MOCORE_TEST_SERVER_DIR")
    return url


def root_url():
    return _read("root_url", "MOCORE_TEST_ROOT_URL") or server_url()


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
