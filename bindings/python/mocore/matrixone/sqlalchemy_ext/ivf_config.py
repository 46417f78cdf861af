"""IVF index settings of a MatrixOne session through a SQLAlchemy engine (the SDK's
``matrixone.sqlalchemy_ext.ivf_config``): IVFConfig and its one-call helpers.

    from mocore.matrixone.sqlalchemy_ext import enable_ivf_indexing, get_ivf_status
    enable_ivf_indexing(engine)            # SET experimental_ivf_index = 1
    get_ivf_status(engine)                 # {'ivf_enabled': True, 'probe_limit': 1, 'error': None}

Each call runs on one pooled connection of the engine (a session variable: it holds for
that connection). The setters return True, or False when the server refused (the SDK's
contract); ``probe_limit`` must be a positive int (ValueError otherwise, nothing sent)."""

from typing import Any, Dict, Optional

__all__ = ["IVFConfig", "create_ivf_config", "enable_ivf_indexing", "disable_ivf_indexing",
           "set_probe_limit", "get_ivf_status"]


def _positive_int(what, value):
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive int, not {value!r}")
    return value


def _run(engine, *statements):
    """True when every statement ran (in one transaction of one connection), else False."""
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)
        return True
    except Exception:  # noqa: BLE001 — the SDK's bool contract
        return False


def _variable(conn, name):
    """The value of session variable ``name`` (SHOW VARIABLES LIKE '<name>'), or None."""
    row = conn.exec_driver_sql(f"SHOW VARIABLES LIKE '{name}'").fetchone()
    return None if row is None else row[1]


class IVFConfig:
    """IVF settings through ``engine``."""

    def __init__(self, engine):
        self.engine = engine

    def enable_ivf_indexing(self) -> bool:
        return _run(self.engine, "SET experimental_ivf_index = 1")

    def disable_ivf_indexing(self) -> bool:
        return _run(self.engine, "SET experimental_ivf_index = 0")

    def set_probe_limit(self, limit: int) -> bool:
        return _run(self.engine, f"SET probe_limit = {_positive_int('probe_limit', limit)}")

    def get_ivf_status(self) -> Dict[str, Any]:
        """``{'ivf_enabled': bool|None, 'probe_limit': int|None, 'error': str|None}``."""
        status: Dict[str, Any] = {"ivf_enabled": None, "probe_limit": None, "error": None}
        try:
            with self.engine.begin() as conn:
                enabled = _variable(conn, "experimental_ivf_index")
                if enabled is not None:
                    status["ivf_enabled"] = str(enabled).lower() in ("1", "on", "true")
                limit = _variable(conn, "probe_limit")
                if limit is not None:
                    status["probe_limit"] = int(limit)
        except Exception as e:  # noqa: BLE001 — reported in the status, as the SDK does
            status["error"] = str(e)
        return status

    def configure_ivf(self, enabled: bool = True, probe_limit: Optional[int] = None) -> bool:
        ok = self.enable_ivf_indexing() if enabled else self.disable_ivf_indexing()
        if probe_limit is not None:
            ok = self.set_probe_limit(probe_limit) and ok
        return ok

    def is_ivf_supported(self) -> bool:
        try:
            with self.engine.begin() as conn:
                return _variable(conn, "experimental_ivf_index") is not None
        except Exception:  # noqa: BLE001
            return False


def create_ivf_config(engine) -> IVFConfig:
    return IVFConfig(engine)


def enable_ivf_indexing(engine) -> bool:
    return IVFConfig(engine).enable_ivf_indexing()


def disable_ivf_indexing(engine) -> bool:
    return IVFConfig(engine).disable_ivf_indexing()


def set_probe_limit(engine, limit: int) -> bool:
    return IVFConfig(engine).set_probe_limit(limit)


def get_ivf_status(engine) -> Dict[str, Any]:
    return IVFConfig(engine).get_ivf_status()
