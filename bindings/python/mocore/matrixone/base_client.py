"""What the SDK's clients, sessions and transactions share: the manager properties, and the
login-name rules.

Every manager property (``snapshots``, ``clone``, ``branch``, ...) makes, on first use, the
SDK-shaped manager class of the module named as in the SDK (``snapshot.SnapshotManager``...)
with ``(client, executor)``: the client, and the object it runs on (None for the client
itself, the session or transaction wrapper otherwise). The manager reaches mocore's own
manager of the same name through ``(executor or client)._mocore()``."""

from importlib import import_module as _import_module

from .exceptions import ConnectionError as _ConnectionError

__all__ = ["MANAGERS", "ManagerAccess", "BaseMatrixOneClient", "BaseMatrixOneExecutor",
           "build_login", "create_vector_indexes"]

#: manager property -> (module of this package, SDK class)
MANAGERS = {
    "snapshots": ("snapshot", "SnapshotManager"),
    "clone": ("clone", "CloneManager"),
    "branch": ("branch", "BranchManager"),
    "moctl": ("moctl", "MoCtlManager"),
    "restore": ("restore", "RestoreManager"),
    "pitr": ("pitr", "PitrManager"),
    "pubsub": ("pubsub", "PubSubManager"),
    "account": ("account", "AccountManager"),
    "load_data": ("load_data", "LoadDataManager"),
    "stage": ("stage", "StageManager"),
    "export": ("export", "ExportManager"),
    "cdc": ("cdc", "CDCManager"),
    "metadata": ("metadata", "MetadataManager"),
    "vector_ops": ("vector_manager", "VectorManager"),
    "fulltext_index": ("fulltext_manager", "FulltextIndexManager"),
}


def manager_class(name, table=None):
    """The SDK manager class behind property ``name`` (imports its module)."""
    module, cls = (table or MANAGERS)[name]
    return getattr(_import_module(f"{__package__}.{module}"), cls)


def _manager_property(name):
    def get(self):
        made = self.__dict__.setdefault("_managers", {})
        manager = made.get(name)
        if manager is None:
            client, executor = self._manager_owner()
            manager = made[name] = manager_class(name, self._MANAGER_TABLE)(client, executor)
        return manager
    get.__name__ = name
    module, cls = MANAGERS[name]
    get.__doc__ = f"The {cls} (mocore.matrixone.{module}), bound to this object."
    return property(get)


class ManagerAccess:
    """The manager properties. A subclass says who the managers run for
    (``_manager_owner() -> (client, executor)``) and may swap the table (async managers)."""

    _MANAGER_TABLE = MANAGERS

    def _manager_owner(self):
        return self, None


for _name in MANAGERS:
    setattr(ManagerAccess, _name, _manager_property(_name))
del _name


def build_login(user, account=None, role=None):
    """The SDK's login rules: ``(login name, {"account", "user", "role"})``.

    ``user`` may already be "account#user", "account#user#role" (or with ':' instead of
    '#', normalized to '#'); then ``account``/``role`` must not be given too. Otherwise
    account and role are added: role alone means account "sys"."""
    delimiter = "#" if "#" in user else ":" if ":" in user else None
    if delimiter is not None:
        if account is not None or role is not None:
            raise ValueError(
                f"Conflict: user parameter '{user}' already contains account/role info, "
                f"but account='{account}' and role='{role}' are also provided. "
                "Use either user format or separate account/role parameters, not both.")
        parts = user.split(delimiter)
        if len(parts) not in (2, 3):
            raise ValueError(f"Invalid user format: '{user}'. Expected 'user', 'account#user', "
                             "'account#user#role', 'account:user', or 'account:user:role'")
        acc, name, rol = parts[0], parts[1], parts[2] if len(parts) == 3 else None
        login = "#".join(p for p in (acc, name, rol) if p is not None)
    else:
        acc = "sys" if account is None else account
        name, rol = user, role
        if account is None and role is None:
            login = user
        else:
            login = "#".join(p for p in (acc, name, rol) if p is not None)
    return login, {"account": acc, "user": name, "role": rol}


def create_vector_indexes(vector_ops, table_name, indexes):
    """The vector indexes of create_table_with_index on ``table_name``: dicts of ``name``,
    ``column``, ``type`` ("ivfflat"/"ivf" or "hnsw"; default "ivfflat") and ``params`` (the
    index's options), made through ``vector_ops`` (a VectorManager)."""
    for index in indexes or ():
        kind = index.get("type", "ivfflat")
        params = dict(index.get("params") or {})
        if kind in ("ivfflat", "ivf"):
            vector_ops.create_ivf(table_name, name=index["name"], column=index["column"],
                                  **params)
        elif kind == "hnsw":
            vector_ops.create_hnsw(table_name, name=index["name"], column=index["column"],
                                   **params)
        else:
            raise ValueError(f"Unsupported index type: {kind}")


class BaseMatrixOneClient:
    """The SDK's common base of Client and AsyncClient: what does no I/O over ``_engine``
    (the SQLAlchemy Engine, or AsyncEngine for AsyncClient) and ``_login_info``."""

    def _init_settings(self, connection_timeout, query_timeout, auto_commit, charset, pool_size,
                       max_overflow, pool_timeout, pool_recycle, logger, sql_log_mode,
                       slow_query_threshold, max_sql_display_length, mocore_options):
        """The constructor arguments both clients keep, and their state before connect()."""
        from .logger import create_default_logger
        from .version import get_version_manager
        self.connection_timeout = connection_timeout
        self.query_timeout = query_timeout
        self.auto_commit = auto_commit
        self.charset = charset
        self.pool_size = pool_size
        self.max_overflow = max_overflow
        self.pool_timeout = pool_timeout
        self.pool_recycle = pool_recycle
        self.logger = logger if logger is not None else create_default_logger(
            sql_log_mode=sql_log_mode, slow_query_threshold=slow_query_threshold,
            max_sql_display_length=max_sql_display_length)
        self._mocore_options = dict(mocore_options)
        self._version_manager = get_version_manager()
        self._engine = None
        self._owns_engine = False
        self._database = None           # the database of the client's connection (USE)
        self._connection_params = {}
        self._login_info = None
        self._backend_version = None

    @classmethod
    def _on_engine(cls, engine, kwargs, driver, create_engine):
        """What Client.from_engine and AsyncClient.from_engine share: a client of ``kwargs``
        on ``engine`` when its dialect's driver is mocore's ``driver``, else on a new engine of
        ``create_engine`` (sqlalchemy's create_engine or create_async_engine) for the same URL
        with mocore's dialect, which the client owns (disposes of on disconnect)."""
        client = cls(**kwargs)
        url = engine.url
        owned = getattr(engine.dialect, "driver", None) != driver
        if owned:
            engine = create_engine(url.set(drivername=f"mysql+{driver}", query={}),
                                   pool_size=client.pool_size, max_overflow=client.max_overflow,
                                   pool_timeout=client.pool_timeout,
                                   pool_recycle=client.pool_recycle, pool_pre_ping=True,
                                   connect_args=dict(client._mocore_options))
        client._connection_params = {"host": url.host, "port": url.port, "user": url.username,
                                     "password": url.password, "database": url.database}
        if url.username:
            try:
                client._login_info = build_login(url.username)[1]
            except ValueError:
                client._login_info = None
        client._adopt(engine, owned)
        return client

    def connected(self):
        """True between connect() and disconnect()."""
        return self._engine is not None

    def get_sqlalchemy_engine(self):
        """The SQLAlchemy engine (ConnectionError when not connected)."""
        return self._require_engine()

    @property
    def engine(self):
        """The SQLAlchemy engine (None when not connected)."""
        return self._engine

    def get_login_info(self):
        """{"account", "user", "role"} of the login, or None before connect()."""
        return self._login_info

    def _require_engine(self):
        if self._engine is None:
            raise _ConnectionError("Not connected to database")
        return self._engine


class BaseMatrixOneExecutor:
    """The SDK's base of the executors: insert/batch_insert over ``base_client``."""

    def __init__(self, base_client):
        self.base_client = base_client

    def insert(self, table_name, data):
        """Insert one row (a dict) through the client."""
        return self.base_client.insert(table_name, data)

    def batch_insert(self, table_name, data_list):
        """Insert rows (dicts) through the client."""
        return self.base_client.batch_insert(table_name, data_list)
