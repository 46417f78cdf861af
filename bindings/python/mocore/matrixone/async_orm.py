"""The SDK's async query builder (``await async_client.query(Model).filter(...).all()``): the
statement of mocore.matrixone.orm's builder, run on an AsyncClient, AsyncSession or async
transaction; the running methods are coroutines."""

from typing import Any, List, Optional

from .orm import BaseMatrixOneQuery, query_for as _query_for

__all__ = ["AsyncMatrixOneQuery", "query_for"]


class AsyncMatrixOneQuery(BaseMatrixOneQuery):
    """The query builder of an AsyncClient / AsyncSession: the running methods are
    coroutines."""

    def __init__(self, model_class, client, database: str = None, transaction_wrapper=None,
                 snapshot=None):
        super().__init__(model_class, client, transaction_wrapper, snapshot)
        self.database = database
        if database and self._table_name and "." not in self._table_name:
            self._table_name = f"{database}.{self._table_name}"

    async def _execute(self, sql, params=None):
        return await self._owner().execute(sql, params or None)

    async def all(self) -> List:
        return self._objects(await self._execute(*self._select_statement()))

    async def first(self) -> Optional[Any]:
        self._limit_count = 1
        objects = await self.all()
        return objects[0] if objects else None

    async def one(self):
        return self._one_of(await self.all(), "one")

    async def one_or_none(self):
        return self._one_of(await self.all(), "one_or_none")

    async def scalar(self):
        return self._scalar_of(await self.first())

    async def count(self) -> int:
        return self._count_of(await self._execute(*self._select_statement(count=True)))

    async def execute(self) -> Any:
        return await self._execute(*self._statement())

    async def delete(self) -> Any:
        self._query_type = "DELETE"
        return await self._execute(*self._delete_statement())

    async def explain(self, verbose: bool = False) -> Any:
        return await self._execute(*self._explain_sql(False, verbose))

    async def explain_analyze(self, verbose: bool = False) -> Any:
        return await self._execute(*self._explain_sql(True, verbose))

    async def _run_export(self, method, args, kwargs):
        return await getattr(self._owner()._mocore_async().export, method)(*args, **kwargs)

    async def export_to_file(self, filepath: str, format: str = "csv", **options) -> Any:
        return await self._run_export(*self._export(path=filepath, format=format, **options))

    async def export_to_stage(self, stage_name: str, filename: str, format: str = "csv",
                              **options) -> Any:
        return await self._run_export(*self._export(stage=stage_name, filename=filename,
                                                    format=format, **options))


def query_for(client, columns, snapshot=None, transaction_wrapper=None):
    """The AsyncMatrixOneQuery of ``client.query(*columns, snapshot=...)`` (``columns`` as
    a tuple; ``transaction_wrapper``: the async session or transaction that runs it)."""
    return _query_for(client, *columns, snapshot=snapshot,
                      transaction_wrapper=transaction_wrapper, query_class=AsyncMatrixOneQuery)
