"""``client.fulltext_index`` / ``session.fulltext_index``: the SDK's FulltextIndexManager on
mocore's fulltext manager (``(executor or client)._mocore().fulltext_index``), which quotes
every name and runs on the executor's connection (autocommit for a client, inside the
transaction for a session).

    client.fulltext_index.enable_fulltext()           # SET experimental_fulltext_index = 1
    client.fulltext_index.create("articles", "ftidx", ["title", "body"])
    client.fulltext_index.create(Article, "ftidx_json", "doc", parser="json")
    client.fulltext_index.drop("articles", "ftidx")   # DROP INDEX ftidx ON articles

Failures raise QueryError (also the mocore error class of the cause) whose message is
mocore's: "Failed to create fulltext index <name> on table <table>: <server message>"; the
SDK printed the server's message and lost it."""

from typing import List, Optional, Union

from .exceptions import QueryError, reraise_as


def _table_name(table_name_or_model):
    """A table name, or a model's (``__tablename__``, with its schema when it has one)."""
    name = getattr(table_name_or_model, "__tablename__", None)
    if name is None:
        table = getattr(table_name_or_model, "__table__", None)
        if table is not None:
            name = table.name
    if name is None:
        return table_name_or_model
    args = getattr(table_name_or_model, "__table_args__", None)
    schema = None
    if isinstance(args, dict):
        schema = args.get("schema")
    elif isinstance(args, tuple) and args and isinstance(args[-1], dict):
        schema = args[-1].get("schema")
    return f"{schema}.{name}" if schema else name


def _columns(columns):
    return [columns] if isinstance(columns, str) else list(columns)


class _FulltextManagerBase:
    def __init__(self, client, executor=None):
        self.client = client
        self.executor = executor if executor is not None else client


class FulltextIndexManager(_FulltextManagerBase):
    """Create and drop FULLTEXT indexes; turn the feature on or off for the session."""

    def _mocore(self):
        return self.executor._mocore().fulltext_index

    def create(self, table_name_or_model, name: str, columns: Union[str, List[str]],
               algorithm: str = "TF-IDF", parser: Optional[str] = None) -> "FulltextIndexManager":
        """CREATE FULLTEXT INDEX name ON table (columns) [WITH PARSER parser]. ``algorithm``
        is accepted as the SDK's (MatrixOne reads it from ft_relevancy_algorithm)."""
        table = _table_name(table_name_or_model)
        with reraise_as(QueryError):
            self._mocore().create(table, name, _columns(columns), algorithm=algorithm,
                                  parser=parser)
        return self

    def drop(self, table_name_or_model, name: str) -> "FulltextIndexManager":
        """DROP INDEX name ON table."""
        table = _table_name(table_name_or_model)
        with reraise_as(QueryError):
            self._mocore().drop(table, name)
        return self

    def enable_fulltext(self) -> "FulltextIndexManager":
        """SET experimental_fulltext_index = 1 (MatrixOne)."""
        with reraise_as(QueryError):
            self._mocore().enable_fulltext()
        return self

    def disable_fulltext(self) -> "FulltextIndexManager":
        """SET experimental_fulltext_index = 0 (MatrixOne)."""
        with reraise_as(QueryError):
            self._mocore().disable_fulltext()
        return self


class AsyncFulltextIndexManager(_FulltextManagerBase):
    """FulltextIndexManager's methods as coroutines (on ``_mocore_async()``)."""

    def _mocore(self):
        return self.executor._mocore_async().fulltext_index

    async def create(self, table_name_or_model, name: str, columns: Union[str, List[str]],
                     algorithm: str = "TF-IDF",
                     parser: Optional[str] = None) -> "AsyncFulltextIndexManager":
        table = _table_name(table_name_or_model)
        with reraise_as(QueryError):
            await self._mocore().create(table, name, _columns(columns), algorithm=algorithm,
                                        parser=parser)
        return self

    async def drop(self, table_name_or_model, name: str) -> "AsyncFulltextIndexManager":
        table = _table_name(table_name_or_model)
        with reraise_as(QueryError):
            await self._mocore().drop(table, name)
        return self

    async def enable_fulltext(self) -> "AsyncFulltextIndexManager":
        with reraise_as(QueryError):
            await self._mocore().enable_fulltext()
        return self

    async def disable_fulltext(self) -> "AsyncFulltextIndexManager":
        with reraise_as(QueryError):
            await self._mocore().disable_fulltext()
        return self


__all__ = ["FulltextIndexManager", "AsyncFulltextIndexManager"]
