"""Connection hooks: ``Client(..., on_connect=...)`` runs MatrixOne session settings
(ConnectionAction) and/or a callable on every new connection; the callable receives a
HookConnection bound to that connection, with execute/query/scalar and every manager.

``on_connect`` defaults to no actions (the SDK's default is ENABLE_ALL): the actions are
MatrixOne session variables, skipped (with a log line) on MySQL/MariaDB. A callable receives
a ``HookConnection`` bound to the new connection (the SDK passes the client)."""

import enum as _enum

from . import mocore_core as _core
from . import _manager_runtime as _rt
from .managers import _Managers

__all__ = ["ConnectionAction", "ConnectionHook", "HookConnection"]


class ConnectionAction(str, _enum.Enum):
    """The SDK's on_connect actions."""
    ENABLE_IVF = "enable_ivf"
    ENABLE_HNSW = "enable_hnsw"
    ENABLE_FULLTEXT = "enable_fulltext"
    ENABLE_VECTOR = "enable_vector"
    ENABLE_ALL = "enable_all"


class ConnectionHook:
    """``ConnectionHook(actions=[...], custom_hook=fn)``: actions, then ``fn(connection)``."""

    def __init__(self, actions=None, custom_hook=None):
        self.actions = list(actions or [])
        self.custom_hook = custom_hook


class HookConnection(_Managers):
    """The new connection, as an on_connect callable sees it: ``execute``/``query``/``scalar``
    and every manager run on that connection (autocommit). Valid only during the call."""

    def __init__(self, handle):
        self._ex_h = handle

    def _executor(self):
        if self._ex_h is None:
            raise _rt.bad("on_connect", "the hook connection is only valid during the hook call")
        return self._ex_h

    def execute(self, sql, params=None):
        """Run one statement on the new connection; a mocore.Result."""
        from . import Result, _params
        if not isinstance(sql, str):
            raise _rt.bad("executor.execute", f"sql must be a str, not {type(sql).__name__}")
        return Result(_core.mo_executor_execute(self._executor(), sql, _params(params)))

    def query(self, sql, params=None):
        """execute(...).fetchall()"""
        return self.execute(sql, params).fetchall()

    def scalar(self, sql, params=None):
        """The first column of the first row (None when there is none)."""
        return self.execute(sql, params).scalar()


def _actions(op, value):
    """on_connect actions -> (flags, callable or None)."""
    if value is None:
        return 0, None
    if isinstance(value, ConnectionHook):
        flags, _ = _actions(op, value.actions)
        return flags, value.custom_hook
    if callable(value) and not isinstance(value, (str, _enum.Enum)):
        return 0, value
    items = [value] if isinstance(value, (str, _enum.Enum)) else list(value)
    flags, fn = 0, None
    for item in items:
        if callable(item) and not isinstance(item, (str, _enum.Enum)):
            fn = item
            continue
        name = getattr(item, "value", item)
        if not isinstance(name, str):
            raise _rt.bad(op, f"on_connect actions must be ConnectionAction or str, not {type(item).__name__}")
        flags |= _core.mo_connect_action_parse(name)
    return flags, fn


def install_hooks(cfg, on_connect, sink):
    """Configure cfg's on_connect; returns the object the caller must keep alive (or None)."""
    import logging
    flags, fn = _actions("client.connect", on_connect)
    if flags:
        _core.mo_config_set_connect_actions(cfg, flags)
    if fn is None:
        return None

    def entry(handle):
        conn = HookConnection(handle)
        try:
            fn(conn)
        except Exception as e:  # the SDK logs hook failures and goes on
            message = f"Connection hook execution failed: {e}"
            if sink is not None:
                sink(logging.WARNING, message)
            else:
                logging.getLogger("mocore").warning("%s", message)
        finally:
            conn._ex_h = None

    _core.mo_py_config_set_connect_callable(cfg, entry)
    return entry
