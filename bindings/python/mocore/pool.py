"""mocore.Pool — a thread-safe pool of connections (the C library's mo_pool).

    pool = mocore.Pool("mysql://root:111@127.0.0.1:6001/test", pool_size=8, max_overflow=8,
                       pool_timeout=10, pool_recycle=3600, pre_ping=True,
                       endpoints=["cn2:6001", ("cn3", 6001)])
    with pool.connection() as client:        # an ordinary mocore.Client, given back on exit
        client.execute("SELECT 1")
    pool.stats                               # in_use, idle, waits, timeouts, wait_p99, ...

    client = mocore.Client(url, pool_size=8)   # the same, behind one thread-safe client
    client.execute("SELECT 1")                 # each call borrows a connection and gives it back

The pool arguments are the MatrixOne SDK's (SQLAlchemy's): ``pool_size`` connections kept,
``max_overflow`` more under load, ``pool_timeout`` seconds an acquire waits (then
mocore.TimeoutError), ``pool_recycle`` seconds after which a connection is replaced (-1:
never), ``pre_ping`` (ping an idle connection before handing it out; a dead one is replaced).
``reset`` says what a connection given back goes through: "always" (COM_RESET_CONNECTION:
an open transaction is rolled back, variables and temporary tables dropped; default),
"transaction" (only when a transaction is open) or "none". ``endpoints``: more servers
("host:port" or (host, port)), chosen by ``balance`` ("round_robin" or "least_busy"); one that
refuses connections is skipped for ``retry_interval`` seconds, then tried again.
"""

import threading as _threading

from . import mocore_core as _core
from . import Client, _config, _install_hooks
from .errors import InterfaceError, ProgrammingError

__all__ = ["Pool", "PoolClient", "POOL_OPTIONS"]

#: The keyword arguments that make mocore.Client a pool-backed client.
POOL_OPTIONS = ("pool_size", "max_overflow", "pool_timeout", "pool_recycle", "pre_ping",
                "pool_reset", "pool_balance", "endpoints", "retry_interval")

_RESETS = {"always": _core.MO_POOL_RESET_ALWAYS, "transaction": _core.MO_POOL_RESET_TRANSACTION,
           "none": _core.MO_POOL_RESET_NONE}
_BALANCES = {"round_robin": _core.MO_POOL_ROUND_ROBIN, "least_busy": _core.MO_POOL_LEAST_BUSY}
_STATS = {"in_use": _core.MO_POOL_STAT_IN_USE, "idle": _core.MO_POOL_STAT_IDLE,
          "open": _core.MO_POOL_STAT_OPEN, "waiting": _core.MO_POOL_STAT_WAITING,
          "acquires": _core.MO_POOL_STAT_ACQUIRES, "releases": _core.MO_POOL_STAT_RELEASES,
          "waits": _core.MO_POOL_STAT_WAITS, "timeouts": _core.MO_POOL_STAT_TIMEOUTS,
          "connects": _core.MO_POOL_STAT_CONNECTS,
          "connect_failures": _core.MO_POOL_STAT_CONNECT_FAILURES,
          "discards": _core.MO_POOL_STAT_DISCARDS, "recycles": _core.MO_POOL_STAT_RECYCLES,
          "ping_failures": _core.MO_POOL_STAT_PING_FAILURES,
          "acquire_failures": _core.MO_POOL_STAT_ACQUIRE_FAILURES}


def _ms(seconds, name):
    if seconds is None or seconds < 0:
        return 0
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise ProgrammingError(f"{name} must be a number of seconds", 0, "", "pool.new",
                               "invalid_argument")
    return int(round(seconds * 1000))


def _endpoint(ep):
    if isinstance(ep, str):
        host, sep, port = ep.rpartition(":")
        if not sep or not port.isdigit():
            raise ProgrammingError(f"endpoint {ep!r} is not 'host:port'", 0, "",
                                   "pool.add_endpoint", "invalid_argument")
        return host, int(port)
    host, port = ep
    return host, int(port)


def _choice(table, value, name):
    try:
        return table[value]
    except (KeyError, TypeError):
        raise ProgrammingError(f"{name} must be one of {', '.join(table)}", 0, "", "pool.new",
                               "invalid_argument") from None


class Pool:
    """A thread-safe pool of connections. ``acquire()`` (or ``connection()``, the same, read
    as ``with pool.connection() as client:``) hands out an ordinary mocore.Client; closing it
    gives the connection back. Options other than the pool's are mocore.Client's."""

    def __init__(self, url=None, *, pool_size=5, max_overflow=10, pool_timeout=30.0,
                 pool_recycle=-1, pre_ping=False, pool_reset="always",
                 pool_balance="round_robin", endpoints=(), retry_interval=5.0, logger=None,
                 on_connect=None, _wait=None, **options):
        cfg, self._sink = _config(url, logger, options)
        self._hook = _install_hooks(cfg, on_connect, self._sink)  # C borrows both
        if _wait is not None:  # mocore.aio: blocking calls of its clients wait in the loop
            _core.mo_py_config_set_wait_callable(cfg, _wait)
        self._wait = _wait  # borrowed by the C side too
        h = _core.mo_pool_new(cfg)
        _core.mo_pool_set_size(h, int(pool_size))
        _core.mo_pool_set_max_overflow(h, int(max_overflow))
        _core.mo_pool_set_timeout_ms(h, _ms(pool_timeout, "pool_timeout"))
        _core.mo_pool_set_recycle_ms(h, _ms(pool_recycle, "pool_recycle"))
        _core.mo_pool_set_pre_ping(h, 1 if pre_ping else 0)
        _core.mo_pool_set_reset(h, _choice(_RESETS, pool_reset, "pool_reset"))
        _core.mo_pool_set_balance(h, _choice(_BALANCES, pool_balance, "pool_balance"))
        _core.mo_pool_set_retry_ms(h, _ms(retry_interval, "retry_interval"))
        for ep in endpoints:
            _core.mo_pool_add_endpoint(h, *_endpoint(ep))
        self._h = h

    def _handle(self):
        if self._h is None:
            raise InterfaceError("the pool is closed", 0, "", "pool", "misuse")
        return self._h

    def acquire(self):
        """A Client on a pooled connection (waits up to pool_timeout when all are in use:
        then mocore.TimeoutError). ``client.close()`` (or leaving ``with``) gives it back."""
        return self._adopt(_core.mo_pool_acquire(self._handle()))

    connection = acquire

    def _adopt(self, h):
        client = Client.__new__(Client)
        client._h = h
        client._pool = self  # keeps the log sink and hooks the C side borrows alive
        return client

    @property
    def stats(self):
        """The counters (in_use, idle, open, waiting, acquires, releases, waits, timeouts,
        connects, connect_failures, discards, recycles, ping_failures, acquire_failures),
        and the acquire time in seconds: wait_max, wait_p50, wait_p99."""
        h = self._handle()
        out = {name: _core.mo_pool_stat(h, kind) for name, kind in _STATS.items()}
        out["wait_max"] = _core.mo_pool_stat(h, _core.MO_POOL_STAT_WAIT_MAX_US) / 1e6
        out["wait_p50"] = _core.mo_pool_wait_quantile_us(h, 0.5) / 1e6
        out["wait_p99"] = _core.mo_pool_wait_quantile_us(h, 0.99) / 1e6
        return out

    @property
    def endpoints(self):
        """[(host, port, up, connections)] of every endpoint, the config's first."""
        h = self._handle()
        return [tuple(_core.mo_pool_endpoint_get(h, i))
                for i in range(_core.mo_pool_endpoint_count(h))]

    def check_endpoints(self):
        """Connect to every endpoint that is down; returns how many are up afterwards."""
        return _core.mo_pool_check_endpoints(self._handle())

    def close(self):
        """Close the idle connections; clients still out are closed when given back."""
        self._h = None

    @property
    def closed(self):
        """True once close() was called."""
        return self._h is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class PoolClient(Client):
    """``mocore.Client(url, pool_size=...)``: one client object for many threads, backed by a
    Pool. ``execute``/``query``/``scalar``/``executemany``/``ping`` borrow a connection for
    the call (a streaming result keeps it until it is read or closed); ``session()`` and
    ``transaction()`` run on a borrowed connection for the session's life. The managers and
    the server properties run on a connection lent to the calling thread until ``close()``.
    ``pool`` is the Pool (its ``stats``)."""

    def __init__(self, url=None, *, logger=None, on_connect=None, **options):
        pool_options = {k: options.pop(k) for k in POOL_OPTIONS if k in options}
        self.pool = Pool(url, logger=logger, on_connect=on_connect, **pool_options, **options)
        self._local = _threading.local()
        self._leases = []  # every thread's lent client, released by close()
        self._lock = _threading.Lock()
        self._h = None

    def _lease(self):
        return self.pool.acquire()

    def execute(self, sql, params=None, stream=False, log=None):
        """Client.execute on a borrowed connection (kept by a streaming result until it is
        read or closed, given back at once otherwise)."""
        lease = self._lease()
        try:
            result = lease.execute(sql, params, stream, log)
        except BaseException:
            lease.close()
            raise
        if stream:
            result._lease = lease  # given back when the result goes
        else:
            lease.close()
        return result

    def ping(self):
        """Ping a borrowed connection."""
        with self._lease() as lease:
            lease.ping()

    def session(self):
        """A Session on a borrowed connection, given back when the session closes."""
        lease = self._lease()
        try:
            s = lease.session()
        except BaseException:
            lease.close()
            raise
        s._lease = lease  # given back when the session closes
        s.client = self
        return s

    # the managers, properties, journal: on the calling thread's lent connection
    def _handle(self):
        lease = getattr(self._local, "client", None)
        if lease is None or lease.closed:
            if self.pool.closed:
                raise InterfaceError("the client is closed", 0, "", "client", "misuse")
            lease = self._lease()
            self._local.client = lease
            with self._lock:
                self._leases.append(lease)
        return lease._handle()

    def _executor(self):
        self._handle()
        return self._local.client._executor()

    def close(self):
        """Give back every lent connection and close the pool."""
        with self._lock:
            leases, self._leases = self._leases, []
        for lease in leases:
            lease.close()
        self.pool.close()

    @property
    def closed(self):
        """True once close() was called."""
        return self.pool.closed
