"""A Pinecone-compatible index over a MatrixOne table with a vector column (the SDK's
``matrixone.search_vector_index``; ``client.get_pinecone_index(table, vector_column)``).

    index = client.get_pinecone_index("movies", "embedding")
    index.upsert([{"id": 1, "title": "Alien", "year": 1979, "embedding": [0.1, 0.2, 0.3]}])
    res = index.query([0.1, 0.2, 0.3], top_k=5,
                      filter={"year": {"$gte": 1970}, "$or": [{"genre": "scifi"},
                                                              {"genre": {"$in": ["horror"]}}]})
    for m in res.matches:
        m.id, m.score, m.metadata
    index.delete([1]); index.describe_index_stats()
    # async clients: query_async, upsert_async, delete_async, describe_index_stats_async,
    # batch_insert_async, _get_id_column_async, _get_metadata_columns_async

The table's primary key is the vector id, its other columns (but the vector) the metadata.
Filters take Pinecone's operators ``$eq $ne $in $nin $gt $gte $lt $lte $and $or`` (a bare
value means ``$eq``); every filter value is a bound parameter and every key must be a column
of the table (quoted as an identifier), so a filter can never change the statement's
structure. The search itself is mocore's ``vector_ops.similarity_search``."""

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .sqlalchemy_ext.vector_index import _PREPARER, _quote_table

__all__ = ["VectorMatch", "QueryResponse", "PineconeCompatibleIndex", "get_pinecone_index",
           "parse_filter"]


@dataclass
class VectorMatch:
    """One match: the row's key as a string, its distance, metadata and (asked for) values."""

    id: str
    score: float
    metadata: Dict[str, Any]
    values: Optional[List[float]] = None


@dataclass
class QueryResponse:
    """The matches of a query (Pinecone's response shape)."""

    matches: List[VectorMatch]
    namespace: str = ""
    usage: Optional[Dict[str, Any]] = None


_COMPARE = {"$eq": "=", "$ne": "!=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}


def _quote(name):
    if not isinstance(name, str) or not name or "\0" in name:
        raise ValueError(f"a filter key must be a column name, not {name!r}")
    return _PREPARER.quote(name)


def parse_filter(filter_dict, columns=None):
    """``(where_text, params)`` of a Pinecone filter: ``?`` placeholders for the values, keys
    quoted as identifiers (and, with ``columns``, required to be one of them, in any case).
    ``(None, [])`` for no filter. Unknown operators raise ValueError."""
    if not filter_dict:
        return None, []
    if not isinstance(filter_dict, dict):
        raise ValueError(f"a filter is a dict, not {type(filter_dict).__name__}")
    known = None if columns is None else {c.lower(): c for c in columns}
    params: List[Any] = []

    def column(key):
        if known is not None:
            if not isinstance(key, str) or key.lower() not in known:
                raise ValueError(f"filter key {key!r} is not a column of the table")
            key = known[key.lower()]
        return _quote(key)

    def value_of(v):
        if isinstance(v, (dict, list, tuple, set)):
            raise ValueError(f"a filter value must be a scalar, not {type(v).__name__}")
        return v

    def field(key, cond):
        col = column(key)
        if not isinstance(cond, dict):
            params.append(value_of(cond))
            return f"{col} = ?"
        parts = []
        for op, v in cond.items():
            if op in _COMPARE:
                params.append(value_of(v))
                parts.append(f"{col} {_COMPARE[op]} ?")
            elif op in ("$in", "$nin"):
                if not isinstance(v, (list, tuple)):
                    raise ValueError(f"{op} takes a list, not {type(v).__name__}")
                if not v:
                    parts.append("1=0" if op == "$in" else "1=1")
                    continue
                params.extend(value_of(x) for x in v)
                marks = ", ".join("?" for _ in v)
                parts.append(f"{col} {'IN' if op == '$in' else 'NOT IN'} ({marks})")
            else:
                raise ValueError(f"Unsupported operator in filter: {op!r}")
        if not parts:
            raise ValueError(f"filter of {key!r} has no operator")
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def group(items, joiner):
        if not isinstance(items, (list, tuple)) or not items:
            raise ValueError("$and / $or take a non-empty list of filters")
        return "(" + f" {joiner} ".join(node(item) for item in items) + ")"

    def node(d):
        if not isinstance(d, dict) or not d:
            raise ValueError("a filter is a non-empty dict")
        parts = []
        for key, cond in d.items():
            if key == "$and":
                parts.append(group(cond, "AND"))
            elif key == "$or":
                parts.append(group(cond, "OR"))
            elif isinstance(key, str) and key.startswith("$"):
                raise ValueError(f"Unsupported operator in filter: {key!r}")
            else:
                parts.append(field(key, cond))
        return " AND ".join(parts)

    return node(filter_dict), params


_VECTOR_COLUMN = r"`?{col}`?\s+vec(?:f32|f64)\s*\(\s*(\d+)\s*\)"
_INDEX_KEY = re.compile(r"KEY\s+`?([^`\s]+)`?\s+USING\s+(\w+)\s*\(([^)]*)\)([^\n]*)", re.I)
_PARAM = re.compile(r"(\w+)\s*=\s*'?([^,\s']+)'?")


def parse_index_info(create_sql, vector_column):
    """{'algorithm', 'metric', 'dimensions', 'parameters'} from SHOW CREATE TABLE's text."""
    info = {"algorithm": "ivf", "metric": "l2", "dimensions": None, "parameters": {}}
    m = re.search(_VECTOR_COLUMN.format(col=re.escape(vector_column)), create_sql, re.I)
    if m:
        info["dimensions"] = int(m.group(1))
    for name, algo, cols, rest in _INDEX_KEY.findall(create_sql):
        if vector_column.lower() not in cols.lower().replace("`", ""):
            continue
        info["algorithm"] = algo.lower()
        for key, value in _PARAM.findall(rest):
            info["parameters"][key.lower()] = int(value) if value.isdigit() else value
        op = re.search(r"op_type\s*=?\s*'?(\w+)", rest, re.I)
        if op:
            kind = op.group(1).lower()
            info["metric"] = "cosine" if "cosine" in kind else "ip" if "ip" in kind else "l2"
        break
    return info


def _is_async(client):
    import inspect
    return inspect.iscoroutinefunction(getattr(client, "execute", None))


def _vector_list(value):
    from .sqlalchemy_ext.vector_type import parse_vector
    return parse_vector(value)


class PineconeCompatibleIndex:
    """Pinecone's index API over ``table_name`` (a name or "db.table") and its
    ``vector_column``, on a Client or an AsyncClient (then use the ``_async`` methods)."""

    def __init__(self, client, table_name: str, vector_column: str):
        self.client = client
        self.table_name = table_name
        self.vector_column = vector_column
        self._index_info = None
        self._metadata_columns = None
        self._id_column = None
        self._columns = None

    # ------------------------------------------------------------------ table layout
    def _describe_sql(self):
        return f"DESCRIBE {_quote_table(self.table_name)}"

    def _read_layout(self, rows):
        self._columns = [row[0] for row in rows]
        key = next((row[0] for row in rows if len(row) > 3 and "PRI" in str(row[3]).upper()),
                   None)
        self._id_column = key or "id"
        skip = {self._id_column.lower(), self.vector_column.lower()}
        self._metadata_columns = [c for c in self._columns if c.lower() not in skip]

    def _layout(self):
        if self._columns is None:
            if _is_async(self.client):
                raise RuntimeError("Use the _async methods with an async client")
            self._read_layout(self.client.execute(self._describe_sql()).rows or [])
        return self

    async def _layout_async(self):
        if self._columns is None:
            self._read_layout((await self.client.execute(self._describe_sql())).rows or [])
        return self

    @property
    def metadata_columns(self):
        return self._layout()._metadata_columns

    def _get_id_column(self):
        return self._layout()._id_column

    def _get_metadata_columns(self):
        return self._layout()._metadata_columns

    async def _get_id_column_async(self):
        return (await self._layout_async())._id_column

    async def _get_metadata_columns_async(self):
        return (await self._layout_async())._metadata_columns

    def _show_create_sql(self):
        return f"SHOW CREATE TABLE {_quote_table(self.table_name)}"

    def _parse_index_info(self, create_sql):
        return parse_index_info(create_sql, self.vector_column)

    def _index_from(self, rs):
        if not rs.rows:
            raise ValueError(f"Table {self.table_name} not found")
        self._index_info = self._parse_index_info(rs.rows[0][1])
        return self._index_info

    def _get_index_info(self):
        if self._index_info is None:
            self._index_from(self.client.execute(self._show_create_sql()))
        return self._index_info

    async def _get_index_info_async(self):
        if self._index_info is None:
            self._index_from(await self.client.execute(self._show_create_sql()))
        return self._index_info

    # ------------------------------------------------------------------ query
    def _search_args(self, vector, top_k, include_metadata, include_values, filter):
        where, params = parse_filter(filter, self._columns)
        columns = [self._id_column]
        if include_metadata:
            columns += self._metadata_columns
        if include_values:
            columns.append(self.vector_column)
        return dict(vector_column=self.vector_column, query_vector=vector, limit=top_k,
                    select_columns=columns, where_clause=where,
                    where_params=params if where else None)

    def _response(self, rows, include_metadata, include_values, namespace):
        matches = []
        for row in rows:
            metadata = {}
            if include_metadata:
                metadata = {k: v for k, v in row.items()
                            if k != self.vector_column and k != "distance"}
            values = _vector_list(row.get(self.vector_column)) if include_values else None
            matches.append(VectorMatch(id=str(row.get(self._id_column)),
                                       score=float(row.get("distance") or 0.0),
                                       metadata=metadata, values=values))
        return QueryResponse(matches=matches, namespace=namespace,
                             usage={"read_units": len(matches)})

    def query(self, vector, top_k=10, include_metadata=True, include_values=False, filter=None,
              namespace="") -> QueryResponse:
        """The ``top_k`` rows nearest to ``vector`` (L2) that pass ``filter``."""
        self._layout()
        args = self._search_args(vector, top_k, include_metadata, include_values, filter)
        rows = self.client.vector_ops.similarity_search(self.table_name, **args)
        return self._response(rows, include_metadata, include_values, namespace)

    async def query_async(self, vector, top_k=10, include_metadata=True, include_values=False,
                          filter=None, namespace="") -> QueryResponse:
        await self._layout_async()
        args = self._search_args(vector, top_k, include_metadata, include_values, filter)
        rows = await self.client.vector_ops.similarity_search(self.table_name, **args)
        return self._response(rows, include_metadata, include_values, namespace)

    # ------------------------------------------------------------------ changes
    def _delete_sql(self, ids):
        marks = ", ".join("?" for _ in ids)
        return (f"DELETE FROM {_quote_table(self.table_name)} WHERE "
                f"{_quote(self._id_column)} IN ({marks})", list(ids))

    @staticmethod
    def _no_hnsw(info, what):
        if info["algorithm"] == "hnsw":
            raise ValueError(f"HNSW index does not support {what} operations. Only IVF index "
                             "supports INSERT/UPDATE/DELETE operations.")

    def delete(self, ids, namespace=""):
        """Delete the rows of these keys (not on an HNSW-indexed table)."""
        self._no_hnsw(self._get_index_info(), "delete")
        if ids:
            self._layout()
            self.client.execute(*self._delete_sql(ids))

    async def delete_async(self, ids, namespace=""):
        self._no_hnsw(await self._get_index_info_async(), "delete")
        if ids:
            await self._layout_async()
            await self.client.execute(*self._delete_sql(ids))

    def _count_sql(self):
        return f"SELECT COUNT(*) FROM {_quote_table(self.table_name)}"

    @staticmethod
    def _stats(count_rs, info):
        total = count_rs.rows[0][0] if count_rs.rows else 0
        return {"dimension": info.get("dimensions", 0), "index_fullness": 0.0,
                "total_vector_count": total, "namespaces": {"": {"vector_count": total}}}

    def describe_index_stats(self) -> Dict[str, Any]:
        """{'dimension', 'index_fullness', 'total_vector_count', 'namespaces'}."""
        return self._stats(self.client.execute(self._count_sql()), self._get_index_info())

    async def describe_index_stats_async(self) -> Dict[str, Any]:
        count = await self.client.execute(self._count_sql())
        return self._stats(count, await self._get_index_info_async())

    def _check_rows(self, vectors):
        for v in vectors:
            if self._id_column not in v:
                raise ValueError(f"Each vector must have '{self._id_column}' field (primary key)")
            if self.vector_column not in v:
                raise ValueError(f"Each vector must have '{self.vector_column}' field "
                                 "(vector values)")

    def _upsert_sql(self, row):
        columns = list(row)
        names = ", ".join(_quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{_quote(c)} = VALUES({_quote(c)})" for c in columns
                            if c != self._id_column)
        sql = f"INSERT INTO {_quote_table(self.table_name)} ({names}) VALUES ({marks})"
        if updates:
            sql += f" ON DUPLICATE KEY UPDATE {updates}"
        return sql, [_param(row[c]) for c in columns]

    def upsert(self, vectors, namespace=""):
        """Insert or replace rows (dicts with the key and the vector column)."""
        if not vectors:
            return {"upserted_count": 0}
        self._layout()
        self._check_rows(vectors)
        for row in vectors:
            self.client.execute(*self._upsert_sql(dict(row)))
        return {"upserted_count": len(vectors)}

    async def upsert_async(self, vectors, namespace=""):
        if not vectors:
            return {"upserted_count": 0}
        await self._layout_async()
        self._check_rows(vectors)
        for row in vectors:
            await self.client.execute(*self._upsert_sql(dict(row)))
        return {"upserted_count": len(vectors)}

    def batch_insert(self, vectors, namespace=""):
        """Insert rows (dicts with the key and the vector column) in batches."""
        if not vectors:
            return {"inserted_count": 0}
        self._layout()
        self._check_rows(vectors)
        self.client.batch_insert(self.table_name, [dict(v) for v in vectors])
        return {"inserted_count": len(vectors)}

    async def batch_insert_async(self, vectors, namespace=""):
        if not vectors:
            return {"inserted_count": 0}
        await self._layout_async()
        self._check_rows(vectors)
        insert = getattr(self.client, "batch_insert_async", None) or self.client.batch_insert
        await insert(self.table_name, [dict(v) for v in vectors])
        return {"inserted_count": len(vectors)}


def _param(value):
    """A row value as a parameter: tuples are vectors as lists are (mocore binds both)."""
    return list(value) if isinstance(value, tuple) else value


def get_pinecone_index(client, table_name_or_model, vector_column):
    """What ``client.get_pinecone_index(table, vector_column)`` returns: the index over a
    table name or an ORM model's table (``schema.table`` with a schema)."""
    name = getattr(table_name_or_model, "__tablename__", None)
    if name is not None:
        args = getattr(table_name_or_model, "__table_args__", None)
        schema = args.get("schema") if isinstance(args, dict) else None
        table_name_or_model = f"{schema}.{name}" if schema else name
    return PineconeCompatibleIndex(client, table_name_or_model, vector_column)
