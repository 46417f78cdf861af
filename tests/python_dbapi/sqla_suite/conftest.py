"""SQLAlchemy's dialect compliance suite (sqlalchemy.testing.suite), run the way third-party
dialects run it: this conftest loads SQLAlchemy's pytest plugin, setup.cfg names the
requirement class, and the database URL comes from --dburi (run.py passes it).

Both drivers run with the SAME requirement class (requirements.py), so their pass / fail /
skip counts compare like with like."""

import pytest
from sqlalchemy.dialects import registry

registry.register("mysql.mocore", "mocore.sqlalchemy_dialect", "MySQLDialect_mocore")
registry.register("mariadb.mocore", "mocore.sqlalchemy_dialect", "MariaDBDialect_mocore")

pytest.register_assert_rewrite("sqlalchemy.testing.assertions")

from sqlalchemy.testing.plugin.pytestplugin import *  # noqa: E402,F401,F403
