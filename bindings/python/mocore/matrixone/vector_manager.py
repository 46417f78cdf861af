"""The SDK's vector manager (``client.vector_ops``; ``matrixone.vector_manager``) on mocore's
own vector manager (``client._mocore().vector_ops``, mocore_vector_* in C).

    client.vector_ops.create_ivf("docs", "idx_emb", "embedding", lists=16)
    client.vector_ops.insert("docs", {"id": 1, "embedding": [0.1, 0.2, 0.3]})
    client.vector_ops.similarity_search("docs", "embedding", [0.1, 0.2, 0.3], limit=5,
                                        where_clause="category = ?", where_params=["news"])
    client.vector_ops.get_ivf_stats("docs", "embedding")

The methods, arguments and results are the SDK's (changes return the manager, so calls
chain; searches return a list of dicts, the searched vector column as lists of float). What
differs (docs/matrixone-sdk.md): names are quoted as identifiers and values bound, never
pasted; ``where_clause`` may hold ``?`` placeholders for ``where_params`` and is refused when
it holds a second statement or a comment; numbers and choices (``lists``, ``distance_type``,
``op_type``, ``rank_mode``) are checked before anything is sent. Failures raise QueryError
with the SDK's message prefix (also the mocore category class of the cause)."""

from .exceptions import QueryError, translate

__all__ = ["VectorManager", "AsyncVectorManager"]


def _table(table_name):
    """A name, an ORM model (mocore's managers read __tablename__/schema) or a Table."""
    fullname = getattr(table_name, "fullname", None)
    if isinstance(fullname, str) and not hasattr(table_name, "__tablename__"):
        return fullname
    return table_name


def _shown(table_name):
    if isinstance(table_name, str):
        return table_name
    return getattr(table_name, "__tablename__", None) or getattr(table_name, "name", table_name)


def _failure(err, message):
    """QueryError(message: err) — also the mocore category class when err is mocore's."""
    if isinstance(err, QueryError):
        return err
    return translate(err, QueryError, f"{message}: {err}")


# (manager method, SDK failure message) for each method; the message is formatted with the
# call's arguments
_MESSAGES = {
    "create_ivf": "Failed to create IVFFLAT vector index {name} on table {table}",
    "create_hnsw": "Failed to create HNSW vector index {name} on table {table}",
    "drop": "Failed to drop vector index {name} on table {table}",
    "enable_ivf": "IVF indexing is not supported",
    "disable_ivf": "Failed to disable IVF indexing",
    "enable_hnsw": "Failed to enable HNSW indexing",
    "disable_hnsw": "Failed to disable HNSW indexing",
    "insert": "Failed to insert vector data into table {table}",
    "batch_insert": "Failed to batch insert vector data into table {table}",
    "similarity_search": "Failed to perform similarity search on table {table}",
    "range_search": "Failed to perform range search on table {table}",
    "search_with_rank": "Failed to perform vector search with rank on table {table}",
    "get_ivf_stats": "Failed to get IVF stats of table {table}",
}


def _rank_mode(rank_mode):
    """The SDK's rank_mode: None (post), a string (any case) or an IVFRankMode."""
    from .ivf_rank import IVFRankMode
    if rank_mode is None:
        return IVFRankMode.POST.value
    if isinstance(rank_mode, str):
        try:
            return IVFRankMode(rank_mode.lower()).value
        except ValueError as e:
            raise QueryError(str(e)) from e
    value = getattr(rank_mode, "value", None)
    if value is None:
        raise QueryError(f"rank_mode must be IVFRankMode or string, got "
                         f"{type(rank_mode).__name__}")
    return value


def _search_rank_mode(rank_mode, fmt):
    """_rank_mode for search_with_rank: a refusal says which search it stopped."""
    try:
        return _rank_mode(rank_mode)
    except QueryError as e:
        raise QueryError(f"{_MESSAGES['search_with_rank'].format(**fmt)}: {e}") from e


class _VectorManagerBase:
    def __init__(self, client, executor=None):
        self.client = client
        self.executor = executor

    def _database(self, database):
        """The SDK's default database of get_ivf_stats: the one connected to."""
        if database:
            return database
        params = getattr(self.client, "_connection_params", None) or {}
        return params.get("database") or getattr(self.client, "database", None) or None

    @staticmethod
    def _search_kwargs(limit, select_columns, where_clause, distance_type, log_mode,
                       where_params):
        kw = {"limit": limit, "select_columns": select_columns, "where_clause": where_clause,
              "distance_type": distance_type, "log_mode": log_mode}
        if where_params is not None:
            kw["where_params"] = where_params
        return kw


class VectorManager(_VectorManagerBase):
    """``client.vector_ops`` / ``session.vector_ops``: runs on ``(executor or
    client)._mocore().vector_ops`` (autocommit for a client, inside the transaction for a
    session)."""

    def _ops(self):
        return (self.executor or self.client)._mocore().vector_ops

    def _call(self, method, fmt, *args, **kwargs):
        try:
            return getattr(self._ops(), method)(*args, **kwargs)
        except QueryError:
            raise
        except Exception as e:  # noqa: BLE001 — the SDK wraps every failure in QueryError
            raise _failure(e, _MESSAGES[method].format(**fmt)) from e

    def create_ivf(self, table_name, name, column, lists=100, op_type=None):
        self._call("create_ivf", {"name": name, "table": _shown(table_name)},
                   _table(table_name), name, column, lists, op_type)
        return self

    def create_hnsw(self, table_name, name, column, m=16, ef_construction=200, ef_search=50,
                    op_type=None):
        self._call("create_hnsw", {"name": name, "table": _shown(table_name)},
                   _table(table_name), name, column, m, ef_construction, ef_search, op_type)
        return self

    def drop(self, table_name, name):
        self._call("drop", {"name": name, "table": _shown(table_name)}, _table(table_name), name)
        return self

    def enable_ivf(self, probe_limit=1):
        self._call("enable_ivf", {}, probe_limit)
        return self

    def disable_ivf(self):
        self._call("disable_ivf", {})
        return self

    def enable_hnsw(self):
        self._call("enable_hnsw", {})
        return self

    def disable_hnsw(self):
        self._call("disable_hnsw", {})
        return self

    def insert(self, table_name, data):
        self._call("insert", {"table": _shown(table_name)}, _table(table_name), data)
        return self

    def batch_insert(self, table_name, data_list):
        self._call("batch_insert", {"table": _shown(table_name)}, _table(table_name),
                   list(data_list))
        return self

    def similarity_search(self, table_name, vector_column, query_vector, limit=10,
                          select_columns=None, where_clause=None, distance_type="l2",
                          log_mode=None, where_params=None):
        return self._call("similarity_search", {"table": _shown(table_name)},
                          _table(table_name), vector_column, query_vector,
                          **self._search_kwargs(limit, select_columns, where_clause,
                                                distance_type, log_mode, where_params))

    def range_search(self, table_name, vector_column, query_vector, max_distance,
                     select_columns=None, where_clause=None, log_mode=None, where_params=None):
        kw = {"select_columns": select_columns, "where_clause": where_clause,
              "log_mode": log_mode}
        if where_params is not None:
            kw["where_params"] = where_params
        return self._call("range_search", {"table": _shown(table_name)}, _table(table_name),
                          vector_column, query_vector, max_distance, **kw)

    def search_with_rank(self, table_name, vector_column, query_vector, limit=10,
                         select_columns=None, where_clause=None, distance_type="l2",
                         rank_mode=None, log_mode=None, where_params=None):
        fmt = {"table": _shown(table_name)}
        mode = _search_rank_mode(rank_mode, fmt)
        kw = self._search_kwargs(limit, select_columns, where_clause, distance_type, log_mode,
                                 where_params)
        return self._call("search_with_rank", fmt, _table(table_name), vector_column,
                          query_vector, rank_mode=mode, **kw)

    def get_ivf_stats(self, table_name, column_name=None, database=None):
        """``{'index_tables', 'distribution', 'database', 'table_name', 'column_name'}`` of
        the table's IVF index (the vector column found when not given)."""
        return self._call("get_ivf_stats", {"table": _shown(table_name)}, _table(table_name),
                          column_name, self._database(database))


class AsyncVectorManager(_VectorManagerBase):
    """``async_client.vector_ops``: the same methods as coroutines, on
    ``(executor or client)._mocore_async().vector_ops``."""

    def _ops(self):
        return (self.executor or self.client)._mocore_async().vector_ops

    async def _call(self, method, fmt, *args, **kwargs):
        try:
            ops = self._ops()
            if hasattr(ops, "__await__"):
                ops = await ops
            return await getattr(ops, method)(*args, **kwargs)
        except QueryError:
            raise
        except Exception as e:  # noqa: BLE001 — the SDK wraps every failure in QueryError
            raise _failure(e, _MESSAGES[method].format(**fmt)) from e

    async def create_ivf(self, table_name, name, column, lists=100, op_type=None):
        await self._call("create_ivf", {"name": name, "table": _shown(table_name)},
                         _table(table_name), name, column, lists, op_type)
        return self

    async def create_hnsw(self, table_name, name, column, m=16, ef_construction=200,
                          ef_search=50, op_type=None):
        await self._call("create_hnsw", {"name": name, "table": _shown(table_name)},
                         _table(table_name), name, column, m, ef_construction, ef_search,
                         op_type)
        return self

    async def drop(self, table_name, name):
        await self._call("drop", {"name": name, "table": _shown(table_name)},
                         _table(table_name), name)
        return self

    async def enable_ivf(self, probe_limit=1):
        await self._call("enable_ivf", {}, probe_limit)
        return self

    async def disable_ivf(self):
        await self._call("disable_ivf", {})
        return self

    async def enable_hnsw(self):
        await self._call("enable_hnsw", {})
        return self

    async def disable_hnsw(self):
        await self._call("disable_hnsw", {})
        return self

    async def insert(self, table_name, data):
        await self._call("insert", {"table": _shown(table_name)}, _table(table_name), data)
        return self

    async def batch_insert(self, table_name, data_list):
        await self._call("batch_insert", {"table": _shown(table_name)}, _table(table_name),
                         list(data_list))
        return self

    async def similarity_search(self, table_name, vector_column, query_vector, limit=10,
                                select_columns=None, where_clause=None, distance_type="l2",
                                log_mode=None, where_params=None):
        return await self._call("similarity_search", {"table": _shown(table_name)},
                                _table(table_name), vector_column, query_vector,
                                **self._search_kwargs(limit, select_columns, where_clause,
                                                      distance_type, log_mode, where_params))

    async def range_search(self, table_name, vector_column, query_vector, max_distance,
                           select_columns=None, where_clause=None, log_mode=None,
                           where_params=None):
        kw = {"select_columns": select_columns, "where_clause": where_clause,
              "log_mode": log_mode}
        if where_params is not None:
            kw["where_params"] = where_params
        return await self._call("range_search", {"table": _shown(table_name)},
                                _table(table_name), vector_column, query_vector, max_distance,
                                **kw)

    async def search_with_rank(self, table_name, vector_column, query_vector, limit=10,
                               select_columns=None, where_clause=None, distance_type="l2",
                               rank_mode=None, log_mode=None, where_params=None):
        fmt = {"table": _shown(table_name)}
        mode = _search_rank_mode(rank_mode, fmt)
        kw = self._search_kwargs(limit, select_columns, where_clause, distance_type, log_mode,
                                 where_params)
        return await self._call("search_with_rank", fmt, _table(table_name), vector_column,
                                query_vector, rank_mode=mode, **kw)

    async def get_ivf_stats(self, table_name, column_name=None, database=None):
        return await self._call("get_ivf_stats", {"table": _shown(table_name)},
                                _table(table_name), column_name, self._database(database))
