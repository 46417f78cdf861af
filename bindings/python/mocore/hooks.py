"""Connection hooks: ``Client(..., on_connect=...)`` runs MatrixOne session settings
(ConnectionAction) and/or a callable on every new connection; the callable receives a
HookConnection bound to that connection, with execute/query/scalar and every manager.

``on_connect`` defaults to no actions (the SDK's default is ENABLE_ALL): the actions are
MatrixOne session variables, skipped (with a log line) on MySQL/MariaDB. A callable receives
a ``HookConnection`` bound to the new connection (the SDK passes the client)."""

import enum as _enum

from . import _Executor, mocore_core as _core
from . import _manager_runtime as _rt

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


class HookConnection(_Executor):
    """The new connection, as an on_connect callable sees it: ``execute``/``query``/``scalar``
    and every manager run on that connection (autocommit). Valid only during the call."""
    _exec = staticmethod(lambda ex, sql, params, flags: _core.mo_executor_execute(ex, sql, params))

    def __init__(self, handle):
        self._h = self._ex = handle     # the hook's executor runs both

    def _handle(self):
        if self._h is None:
            raise _rt.bad("on_connect", "the hook connection is only valid during the hook call")
        return self._h


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
            conn._h = conn._ex = None

    _core.mo_py_config_set_connect_callable(cfg, entry)
    return entry
