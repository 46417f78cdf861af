"""Secondary-index introspection, as the SDK's matrixone.index_utils (and what Client and
AsyncClient's get_secondary_index_tables, get_secondary_index_table_by_name,
get_table_indexes_detail and verify_table_index_counts run).

The catalog queries bind the table, index and database names as ``?`` parameters; the one
statement that names tables (the count check) quotes them with mocore's identifier function
(mocore_core.mo_py_quote_identifier, the C core's mo_sql_append_identifier), where the SDK
pastes them between backticks unescaped."""

from typing import List, Optional, Tuple

from .. import mocore_core as _core
from ._manager import AsyncManager, SyncManager, sql
from .exceptions import QueryError

__all__ = ["build_get_index_tables_sql", "build_get_index_table_by_name_sql",
           "build_get_table_indexes_detail_sql", "build_get_indexed_tables_sql",
           "build_get_ivf_indexes_sql", "build_verify_counts_sql",
           "process_verify_result", "quote_identifier", "IndexInspector", "AsyncIndexInspector"]

_FROM = """
    FROM mo_catalog.mo_indexes
    JOIN mo_catalog.mo_tables ON mo_indexes.table_id = mo_tables.rel_id"""


def quote_identifier(name: str, what: str = "table name") -> str:
    """`name` as a backtick-quoted identifier (inner backticks doubled; an empty name or one
    with NUL is InvalidArgumentError), by the C core's one identifier function."""
    return _core.mo_py_quote_identifier(name, what, "index_utils")


def build_get_index_tables_sql(table_name: str, database: str = None) -> Tuple[str, Tuple]:
    """(sql, params): the physical tables of table_name's secondary (MULTIPLE, UNIQUE)
    indexes, in `database` when given."""
    text = "SELECT DISTINCT index_table_name" + _FROM + "\n    WHERE relname = ?"
    params = (table_name,)
    if database:
        text += " AND reldatabase = ?"
        params += (database,)
    return text + " AND type IN ('MULTIPLE', 'UNIQUE')", params


def build_get_index_table_by_name_sql(table_name: str, index_name: str,
                                      database: str = None) -> Tuple[str, Tuple]:
    """(sql, params): the physical table of table_name's index index_name."""
    text = "SELECT DISTINCT index_table_name" + _FROM + "\n    WHERE relname = ? AND name = ?"
    params = (table_name, index_name)
    if database:
        text += " AND reldatabase = ?"
        params += (database,)
    return text, params


def build_get_table_indexes_detail_sql(table_name: str, database: str) -> Tuple[str, Tuple]:
    """(sql, params): every index of table_name but the primary key, one row per physical
    table: name, type, algo, algo_table_type, physical table, columns, algo_params."""
    text = ("SELECT mo_indexes.name AS index_name, mo_indexes.type AS index_type,"
            " mo_indexes.algo AS algo, mo_indexes.algo_table_type AS algo_table_type,"
            " mo_indexes.index_table_name AS physical_table_name,"
            " GROUP_CONCAT(mo_indexes.column_name ORDER BY mo_indexes.ordinal_position"
            " SEPARATOR ', ') AS columns, mo_indexes.algo_params AS algo_params,"
            " CASE mo_indexes.algo_table_type WHEN 'metadata' THEN 1 WHEN 'centroids' THEN 2"
            " WHEN 'entries' THEN 3 ELSE 4 END AS sort_order" + _FROM +
            "\n    WHERE mo_tables.relname = ? AND mo_tables.reldatabase = ?"
            " AND mo_indexes.type != 'PRIMARY' AND mo_indexes.index_table_name IS NOT NULL"
            " GROUP BY mo_indexes.name, mo_indexes.type, mo_indexes.algo,"
            " mo_indexes.algo_table_type, mo_indexes.index_table_name, mo_indexes.algo_params"
            " ORDER BY mo_indexes.name, sort_order")
    return text, (table_name, database)


def build_get_indexed_tables_sql(database: str) -> Tuple[str, Tuple]:
    """(sql, params): the tables of `database` that have secondary (MULTIPLE, UNIQUE,
    FULLTEXT) indexes, by name (mo-diag's show_all_indexes)."""
    return ("SELECT DISTINCT mo_tables.relname" + _FROM +
            "\n    WHERE mo_indexes.type IN ('MULTIPLE', 'UNIQUE', 'FULLTEXT')"
            " AND mo_tables.reldatabase = ? ORDER BY mo_tables.relname", (database,))


def build_get_ivf_indexes_sql(database: str) -> Tuple[str, Tuple]:
    """(sql, params): (table, index, column) of every IVF index of `database`, by table and
    index (mo-diag's show_ivf_status)."""
    return ("SELECT mo_tables.relname, mo_indexes.name, mo_indexes.column_name" + _FROM +
            "\n    WHERE mo_tables.reldatabase = ? AND mo_indexes.algo LIKE ?"
            " GROUP BY mo_tables.relname, mo_indexes.name, mo_indexes.column_name"
            " ORDER BY mo_tables.relname, mo_indexes.name", (database, "%ivf%"))


def build_verify_counts_sql(table_name: str, index_tables: List[str]) -> str:
    """One SELECT of the row counts of table_name and of each index table (names quoted)."""
    main = f"SELECT COUNT(*) FROM {quote_identifier(table_name)}"
    if not index_tables:
        return main
    parts = [f"({main}) AS main_count"]
    for i, t in enumerate(index_tables):
        parts.append(f"(SELECT COUNT(*) FROM {quote_identifier(t, 'index table name')}) AS idx{i}_count")
    return "SELECT " + ", ".join(parts)


def process_verify_result(table_name: str, index_tables: List[str], row: Tuple) -> int:
    """The main table's count when every index table has as many rows; ValueError listing
    every count otherwise."""
    main = row[0]
    counts = {t: row[i + 1] for i, t in enumerate(index_tables)}
    bad = [t for t, n in counts.items() if n != main]
    if bad:
        lines = [f"Main table '{table_name}': {main} rows"]
        lines += [f"{'✗ MISMATCH' if t in bad else '✓'} Index '{t}': {n} rows"
                  for t, n in counts.items()]
        raise ValueError("Index count verification failed!\n" + "\n".join(lines))
    return main


def _detail(row):
    return {"index_name": row[0], "index_type": row[1], "algo": row[2] or None,
            "algo_table_type": row[3] or None, "physical_table_name": row[4],
            "columns": row[5].split(", ") if row[5] else [], "algo_params": row[6] or None}


class _Plans:
    @staticmethod
    def database(database):
        if database:
            return database
        rows = yield sql("SELECT DATABASE()")
        return rows.rows[0][0] if rows.rows else None

    @staticmethod
    def index_tables(table_name, database):
        db = yield from _Plans.database(database)
        rows = yield sql(*build_get_index_tables_sql(table_name, db))
        return [r[0] for r in rows.rows]

    @staticmethod
    def index_table_by_name(table_name, index_name, database):
        db = yield from _Plans.database(database)
        rows = yield sql(*build_get_index_table_by_name_sql(table_name, index_name, db))
        return rows.rows[0][0] if rows.rows else None

    @staticmethod
    def indexes_detail(table_name, database):
        db = yield from _Plans.database(database)
        if not db:
            raise ValueError("Database name must be provided or set in connection parameters")
        rows = yield sql(*build_get_table_indexes_detail_sql(table_name, db))
        return [_detail(r) for r in rows.rows]

    @staticmethod
    def verify_counts(table_name, database):
        tables = yield from _Plans.index_tables(table_name, database)
        rows = yield sql(build_verify_counts_sql(table_name, tables))
        return process_verify_result(table_name, tables, rows.rows[0])


class IndexInspector(SyncManager):
    """The index introspection of a client or session (``IndexInspector(client)``): what
    Client.get_secondary_index_tables and its siblings run. Failures are QueryError."""

    _error = QueryError

    def get_secondary_index_tables(self, table_name: str,
                                   database_name: Optional[str] = None) -> List[str]:
        return self._run(_Plans.index_tables(table_name, database_name))

    def get_secondary_index_table_by_name(self, table_name: str, index_name: str,
                                          database_name: Optional[str] = None) -> Optional[str]:
        return self._run(_Plans.index_table_by_name(table_name, index_name, database_name))

    def get_table_indexes_detail(self, table_name: str,
                                 database_name: Optional[str] = None) -> List[dict]:
        return self._run(_Plans.indexes_detail(table_name, database_name))

    def verify_table_index_counts(self, table_name: str, database_name: Optional[str] = None) -> int:
        return self._run(_Plans.verify_counts(table_name, database_name))


class AsyncIndexInspector(AsyncManager):
    """The asyncio twin of IndexInspector."""

    _error = QueryError

    async def get_secondary_index_tables(self, table_name: str,
                                         database_name: Optional[str] = None) -> List[str]:
        return await self._run(_Plans.index_tables(table_name, database_name))

    async def get_secondary_index_table_by_name(self, table_name: str, index_name: str,
                                                database_name: Optional[str] = None) -> Optional[str]:
        return await self._run(_Plans.index_table_by_name(table_name, index_name, database_name))

    async def get_table_indexes_detail(self, table_name: str,
                                       database_name: Optional[str] = None) -> List[dict]:
        return await self._run(_Plans.indexes_detail(table_name, database_name))

    async def verify_table_index_counts(self, table_name: str,
                                        database_name: Optional[str] = None) -> int:
        return await self._run(_Plans.verify_counts(table_name, database_name))
