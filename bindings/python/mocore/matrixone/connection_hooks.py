"""The SDK's connection hooks: ``on_connect`` actions (ConnectionAction) and a callable, run
on every new connection of a client's engine.

mocore runs them in its C core, once per physical connection, before the connection is
used (mocore.hooks): the actions set MatrixOne's session variables (skipped with a log line
on MySQL/MariaDB), then the callable runs. As in the SDK the callable receives the client
(``fn(client)``), here a view of it whose ``execute`` runs on the new connection; the
client's connect() also calls it once with the client itself, as the SDK does. A failing hook
is logged, never raised."""

from sqlalchemy import event as _event

from ..hooks import ConnectionAction, ConnectionHook as _MocoreHook

__all__ = ["ConnectionAction", "ConnectionHook", "create_connection_hook"]

# action -> (what it enables, as the log lines name it; the statement)
_IVF = (("IVF", "IVF vector operations", "SET experimental_ivf_index = 1"),)
_HNSW = (("HNSW", "HNSW vector operations", "SET experimental_hnsw_index = 1"),)
_FULLTEXT = (("fulltext", "fulltext search operations", "SET experimental_fulltext_index = 1"),)
_SQL = {ConnectionAction.ENABLE_IVF: _IVF, ConnectionAction.ENABLE_HNSW: _HNSW,
        ConnectionAction.ENABLE_FULLTEXT: _FULLTEXT, ConnectionAction.ENABLE_VECTOR: _IVF + _HNSW,
        ConnectionAction.ENABLE_ALL: _IVF + _HNSW + _FULLTEXT}


def _action(value):
    """The ConnectionAction of an action or its name (ValueError when unknown)."""
    return value if isinstance(value, ConnectionAction) else ConnectionAction(getattr(value, "value", value))


class ConnectionHook(_MocoreHook):
    """``ConnectionHook(actions=[...], custom_hook=fn)``: the actions, then ``fn(client)``."""

    def __init__(self, actions=None, custom_hook=None):
        super().__init__(actions, custom_hook)
        self._client_ref = None

    def set_client(self, client):
        """The client the custom hook receives."""
        self._client_ref = client

    def attach_to_engine(self, engine):
        """Run the hook on every new connection of a SQLAlchemy engine (of any driver: the
        actions go through the DB-API cursor). Engines of a mocore Client need no call:
        their connections run the hook in mocore's C core."""
        target = getattr(engine, "sync_engine", engine)
        _event.listen(target, "connect", lambda dbapi_conn, record:
                      self.execute_sync_with_connection(self._client_ref, dbapi_conn))

    def _warn(self, client, message):
        log = getattr(client, "logger", None)
        if log is not None:
            log.warning(message)

    def _statements(self, client):
        """(label, description, statement) of every action, in order; unknown actions are
        logged."""
        for item in self.actions:
            try:
                yield from _SQL[_action(item)]
            except ValueError:
                self._warn(client, f"Unknown connection action: {item}")

    @staticmethod
    def _debug(client, message):
        log = getattr(client, "logger", None)
        if log is not None:
            log.debug(message)

    def execute_sync(self, client):
        """Run the actions on a connection of the client's engine and call the custom hook
        with the client."""
        try:
            engine = getattr(client, "_engine", None)
            if engine is None:
                self._warn(client, "No engine available for connection hook execution")
                return
            with engine.connect() as conn:
                self.execute_sync_with_connection(client, conn.connection)
        except Exception as e:  # noqa: BLE001 — hooks never fail the caller
            self._warn(client, f"Connection hook execution failed: {e}")

    def execute_sync_with_connection(self, client, dbapi_connection):
        """Run the actions on ``dbapi_connection`` (a DB-API cursor statement each; a
        failure is logged and the next action runs), then the custom hook with ``client``."""
        for label, what, sql in self._statements(client):
            try:
                cursor = dbapi_connection.cursor()
                try:
                    cursor.execute(sql)
                finally:
                    cursor.close()
                self._debug(client, f"✓ Enabled {what}")
            except Exception as e:  # noqa: BLE001
                self._warn(client, f"Failed to enable {label}: {e}")
        if self.custom_hook is not None:
            try:
                self.custom_hook(client)
            except Exception as e:  # noqa: BLE001
                self._warn(client, f"Connection hook execution failed: {e}")

    async def execute_async(self, client):
        """The async form of execute_sync, on a connection of the client's AsyncEngine; a
        coroutine custom hook is awaited."""
        import inspect
        try:
            engine = getattr(client, "_engine", None)
            if engine is None:
                self._warn(client, "No engine available for connection hook execution")
                return
            async with engine.begin() as conn:
                for label, what, sql in self._statements(client):
                    try:
                        await conn.exec_driver_sql(sql)
                        self._debug(client, f"✓ Enabled {what}")
                    except Exception as e:  # noqa: BLE001
                        self._warn(client, f"Failed to enable {label}: {e}")
            if self.custom_hook is not None:
                result = self.custom_hook(client)
                if inspect.isawaitable(result):
                    await result
        except Exception as e:  # noqa: BLE001
            self._warn(client, f"Connection hook execution failed: {e}")


def create_connection_hook(actions=None, custom_hook=None):
    """A ConnectionHook of actions and/or a custom callable."""
    return ConnectionHook(actions, custom_hook)


class _HookClient:
    """What a custom hook receives for a new connection: the client, with ``execute``
    running on that connection (its other attributes are the client's)."""

    def __init__(self, client, connection):
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_connection", connection)

    def execute(self, sql, params=None):
        """Run one statement on the new connection; a ResultSet."""
        from .client import result_set
        return result_set(self._connection.execute(sql, params))

    def __getattr__(self, name):
        return getattr(self._client, name)


def split(on_connect):
    """(actions, custom callable) of an ``on_connect`` value: a ConnectionHook, a callable,
    an action or its name, or a list of them. Unknown action names are dropped (the SDK
    logs them); returns also the dropped names."""
    if on_connect is None:
        return [], None, []
    if isinstance(on_connect, _MocoreHook):
        items, fn = list(on_connect.actions), on_connect.custom_hook
    elif callable(on_connect) and not isinstance(on_connect, (str, ConnectionAction)):
        items, fn = [], on_connect
    elif isinstance(on_connect, (str, ConnectionAction)):
        items, fn = [on_connect], None
    else:
        items, fn = [], None
        for item in on_connect:
            if callable(item) and not isinstance(item, (str, ConnectionAction)):
                fn = item
            else:
                items.append(item)
    actions, unknown = [], []
    for item in items:
        try:
            actions.append(_action(item))
        except ValueError:
            unknown.append(item)
    return actions, fn, unknown


def mocore_hook(client, on_connect):
    """The ``on_connect`` value for mocore's connections of ``client``: the actions, and the
    custom callable called with a _HookClient of the new connection."""
    actions, fn, unknown = split(on_connect)
    for item in unknown:
        client.logger.warning(f"Unknown connection action: {item}")
    if fn is None:
        return _MocoreHook(actions) if actions else None

    def per_connection(connection):
        fn(_HookClient(client, connection))
    return _MocoreHook(actions, per_connection)
