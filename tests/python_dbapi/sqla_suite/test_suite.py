"""SQLAlchemy's whole dialect compliance suite, with the one hook third-party drivers must
supply themselves (the suite's own TODO says so): how to tell a server-side cursor."""
from sqlalchemy.testing.suite import *  # noqa: F401,F403
from sqlalchemy.testing.suite import ServerSideCursorsTest as _ServerSideCursorsTest


class ServerSideCursorsTest(_ServerSideCursorsTest):
    def _is_server_side(self, cursor):
        if self.engine.dialect.driver == "mocore":
            return cursor.server_side
        return super()._is_server_side(cursor)
