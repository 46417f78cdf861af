"""HNSW index settings of a MatrixOne session through a SQLAlchemy engine or connection (the
SDK's ``matrixone.sqlalchemy_ext.hnsw_config``): HNSWConfig and its one-call helpers.

    from mocore.matrixone.sqlalchemy_ext import enable_hnsw_indexing, get_hnsw_status
    enable_hnsw_indexing(engine)                  # SET experimental_hnsw_index = 1
    enable_hnsw_indexing(engine, connection=conn) # on that connection (its session)
    get_hnsw_status(engine)                       # True / False / None (unknown)

The setters return True, or False when the server refused (the SDK's contract)."""

from typing import Optional

from .ivf_config import _variable

__all__ = ["HNSWConfig", "create_hnsw_config", "enable_hnsw_indexing", "disable_hnsw_indexing",
           "get_hnsw_status"]


class HNSWConfig:
    """HNSW settings through ``engine`` (or a given connection)."""

    def __init__(self, engine):
        self.engine = engine

    def _set(self, value, connection):
        sql = f"SET experimental_hnsw_index = {value}"
        try:
            if connection is not None:
                connection.exec_driver_sql(sql)
            else:
                with self.engine.begin() as conn:
                    conn.exec_driver_sql(sql)
            return True
        except Exception as e:  # noqa: BLE001 — the SDK's bool contract
            print(f"Failed to set experimental_hnsw_index: {e}")
            return False

    def enable_hnsw_indexing(self, connection=None) -> bool:
        return self._set(1, connection)

    def disable_hnsw_indexing(self, connection=None) -> bool:
        return self._set(0, connection)

    def get_hnsw_status(self, connection=None) -> Optional[bool]:
        try:
            if connection is not None:
                value = _variable(connection, "experimental_hnsw_index")
            else:
                with self.engine.begin() as conn:
                    value = _variable(conn, "experimental_hnsw_index")
        except Exception as e:  # noqa: BLE001
            print(f"Failed to get HNSW status: {e}")
            return None
        return None if value is None else str(value).lower() in ("1", "on", "true")


def create_hnsw_config(engine) -> HNSWConfig:
    return HNSWConfig(engine)


def enable_hnsw_indexing(engine, connection=None) -> bool:
    return HNSWConfig(engine).enable_hnsw_indexing(connection)


def disable_hnsw_indexing(engine, connection=None) -> bool:
    return HNSWConfig(engine).disable_hnsw_indexing(connection)


def get_hnsw_status(engine, connection=None) -> Optional[bool]:
    return HNSWConfig(engine).get_hnsw_status(connection)
