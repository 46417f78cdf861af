# Types of mocore.dbapi.cursors: the cursor classes of mocore.dbapi, where mysqlclient
# (MySQLdb.cursors) and PyMySQL (pymysql.cursors) code imports them from. At run time it is a
# module attribute made by mocore/dbapi.py; this directory holds only stubs (no __init__.py),
# so the import system still loads mocore/dbapi.py.
from . import (Cursor as Cursor, DictCursor as DictCursor, SSCursor as SSCursor,
               SSDictCursor as SSDictCursor)

__all__ = ["Cursor", "DictCursor", "SSCursor", "SSDictCursor"]
