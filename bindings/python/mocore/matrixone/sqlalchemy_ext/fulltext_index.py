"""FULLTEXT indexes as SQLAlchemy indexes: in ``Table(...)`` or a model's
``__table_args__``, emitted by ``create_all`` / ``drop_all`` / ``Client.create_table``:

    class Article(Base):
        __tablename__ = "articles"
        id = Column(Integer, primary_key=True)
        title = Column(String(200))
        body = Column(Text)
        __table_args__ = (FulltextIndex("ftidx_article", ["title", "body"]),)
    # CREATE FULLTEXT INDEX ftidx_article ON articles (title, body)

    FulltextIndex("ftidx_json", "doc", parser=FulltextParserType.JSON)
    # CREATE FULLTEXT INDEX ftidx_json ON t (doc) WITH PARSER json

A FulltextIndex is SQLAlchemy's MySQL ``Index(..., mysql_prefix="FULLTEXT",
mysql_with_parser=...)``, so the DDL is SQLAlchemy's own (names quoted by the dialect's
preparer) on every MySQL-family dialect, mocore's included. The relevance algorithm
(TF-IDF, BM25) is MatrixOne's session variable ft_relevancy_algorithm, not part of the
index; ``algorithm`` is kept on the object as the SDK keeps it.

``create_fulltext_index`` / ``FulltextIndex.create_index`` / ``drop_index`` run the DDL on a
SQLAlchemy engine or connection; unlike the SDK they raise the server's error instead of
printing it and returning False."""

from typing import Any, List, Optional, Union

from sqlalchemy import Column, Index, MetaData, Table
from sqlalchemy.schema import CreateIndex, DropIndex

from .._sql import dialect as sql_dialect, render
from .fulltext_search import FulltextSearchMode, _select_text


class FulltextAlgorithmType:
    """Relevance algorithms (MatrixOne's ft_relevancy_algorithm)."""
    TF_IDF = "TF-IDF"
    BM25 = "BM25"


class FulltextParserType:
    """Parsers of ``WITH PARSER``: json (JSON documents), ngram (Chinese and other text
    without spaces)."""
    JSON = "json"
    NGRAM = "ngram"


class FulltextModeType:
    """Search modes (the same strings as FulltextSearchMode)."""
    NATURAL_LANGUAGE = FulltextSearchMode.NATURAL_LANGUAGE
    BOOLEAN = FulltextSearchMode.BOOLEAN
    QUERY_EXPANSION = FulltextSearchMode.QUERY_EXPANSION


_PARSERS = (FulltextParserType.JSON, FulltextParserType.NGRAM)


def _columns_list(columns):
    if isinstance(columns, str):
        columns = [columns]
    columns = list(columns or [])
    if not columns:
        raise ValueError("FulltextIndex requires at least one column")
    return columns


def _parser_checked(parser):
    if parser is None:
        return None
    if str(parser).lower() not in _PARSERS:
        raise ValueError(f"unknown fulltext parser {parser!r}; one of {', '.join(_PARSERS)}")
    return str(parser).lower()


def _table_name(table):
    return getattr(table, "__tablename__", None) or getattr(table, "name", None) or str(table)


def _detached_index(table_name, name, columns, parser):
    """A FulltextIndex bound to a stand-in Table of that name (for DDL on a name)."""
    parts = str(table_name).split(".")
    table = Table(parts[-1], MetaData(), *(Column(c) for c in columns),
                  schema=".".join(parts[:-1]) or None)
    return FulltextIndex(name, columns, parser=parser, _table=table)


def _run_ddl(bind, element):
    """Run a DDL element on an engine (in its own transaction) or a connection."""
    if hasattr(bind, "begin") and not hasattr(bind, "exec_driver_sql"):
        with bind.begin() as conn:
            return conn.execute(element)
    return bind.execute(element)


class FulltextIndex(Index):
    """CREATE FULLTEXT INDEX name ON table (columns) [WITH PARSER json|ngram]."""

    def __init__(self, name: str, columns: Union[str, List[str]],
                 algorithm: str = FulltextAlgorithmType.TF_IDF, parser: Optional[str] = None,
                 _table=None):
        columns = _columns_list(columns)
        if not all(isinstance(c, str) for c in columns):
            raise TypeError("All columns must be strings")
        self.algorithm = algorithm
        self.parser = _parser_checked(parser)
        self._column_names = list(columns)
        options = {}
        for dialect in _DIALECTS:
            options[f"{dialect}_prefix"] = "FULLTEXT"
            if self.parser:
                options[f"{dialect}_with_parser"] = self.parser
        exprs = [_table.c[c] for c in columns] if _table is not None else columns
        super().__init__(name, *exprs, **options)

    def get_columns(self):
        return list(self._column_names)

    def _create_index_sql(self, table_name: str) -> str:
        """The CREATE FULLTEXT INDEX statement of this index on ``table_name``."""
        index = _detached_index(table_name, self.name, self._column_names, self.parser)
        return str(CreateIndex(index).compile(dialect=sql_dialect()))

    @classmethod
    def create_index(cls, bind, table_name: str, name: str, columns: Union[str, List[str]],
                     algorithm: str = FulltextAlgorithmType.TF_IDF,
                     parser: Optional[str] = None) -> bool:
        """Create the index on a SQLAlchemy engine or connection; True (errors raise)."""
        columns = _columns_list(columns)
        _run_ddl(bind, CreateIndex(_detached_index(_table_name(table_name), name, columns,
                                                   _parser_checked(parser))))
        return True

    @classmethod
    def drop_index(cls, bind, table_name: str, name: str) -> bool:
        """DROP INDEX name ON table on a SQLAlchemy engine or connection; True."""
        index = _detached_index(_table_name(table_name), name, ["_"], None)
        _run_ddl(bind, DropIndex(index))
        return True

    def create(self, engine, table_name: Optional[str] = None) -> bool:
        """Create this index (on its table, or on ``table_name``)."""
        if table_name is None and self.table is not None:
            _run_ddl(engine, CreateIndex(self))
            return True
        return self.create_index(engine, table_name, self.name, self._column_names,
                                 self.algorithm, self.parser)

    def drop(self, engine, table_name: Optional[str] = None) -> bool:
        if table_name is None and self.table is not None:
            _run_ddl(engine, DropIndex(self))
            return True
        return self.drop_index(engine, table_name, self.name)


# SQLAlchemy keeps dialect options per class: the MySQL and MariaDB dialects' index options
# (prefix, with_parser) are declared for FulltextIndex too.
_DIALECTS = ("mysql", "mariadb")
for _dialect in _DIALECTS:
    for _option in ("prefix", "with_parser"):
        FulltextIndex.argument_for(_dialect, _option, None)


class FulltextSearchBuilder:
    """The SDK's table-bound search builder of this module:
    ``fulltext_search_builder("articles", ["title", "body"]).search("python")
    .set_mode(FulltextModeType.BOOLEAN).set_with_score().limit(10).execute(conn)``."""

    def __init__(self, table_name: str, columns: Union[str, List[str]]):
        self.table_name = _table_name(table_name)
        self.columns = [columns] if isinstance(columns, str) else list(columns)
        self.search_term = None
        self.search_mode = FulltextModeType.NATURAL_LANGUAGE
        self.include_score = False
        self.where_conditions = []
        self.order_clause = None
        self.limit_value = None
        self.offset_value = None

    @property
    def with_score(self):
        return self.include_score

    @property
    def mode(self):
        return self.search_mode

    @property
    def order_by(self):
        return self.order_clause

    def search(self, term: str) -> "FulltextSearchBuilder":
        self.search_term = term
        return self

    def set_mode(self, mode: str) -> "FulltextSearchBuilder":
        self.search_mode = mode
        return self

    def set_with_score(self, include_score: bool = True) -> "FulltextSearchBuilder":
        self.include_score = include_score
        return self

    def where(self, condition: str) -> "FulltextSearchBuilder":
        self.where_conditions.append(condition)
        return self

    def set_order_by(self, column: str, direction: str = "DESC") -> "FulltextSearchBuilder":
        if str(direction).upper() not in ("ASC", "DESC"):
            raise ValueError(f"direction must be ASC or DESC, not {direction!r}")
        self.order_clause = f"{column} {str(direction).upper()}"
        return self

    def limit(self, count: int) -> "FulltextSearchBuilder":
        self.limit_value = int(count)
        return self

    def offset(self, count: int) -> "FulltextSearchBuilder":
        self.offset_value = int(count)
        return self

    def _statement(self):
        if not self.search_term:
            raise ValueError("Search term is required")
        order = self.order_clause or ("score DESC" if self.include_score else None)
        return _select_text(self.table_name, self.columns, self.search_mode, self.search_term,
                            self.include_score, None, self.where_conditions, order,
                            self.limit_value, self.offset_value if self.limit_value else None)

    def build_sql(self) -> str:
        """The statement's text, the search term rendered as mocore would send it."""
        return render(None, *self._statement())

    def execute(self, connection) -> Any:
        """Run on a SQLAlchemy connection of the mysql+mocore dialect (qmark parameters)."""
        text, params = self._statement()
        return connection.exec_driver_sql(text, tuple(params))


def create_fulltext_index(engine, table_name: str, name: str, columns: Union[str, List[str]],
                          algorithm: str = FulltextAlgorithmType.TF_IDF,
                          parser: Optional[str] = None) -> bool:
    """CREATE FULLTEXT INDEX name ON table_name (columns) [WITH PARSER parser] on a
    SQLAlchemy engine or connection."""
    return FulltextIndex.create_index(engine, table_name, name, columns, algorithm, parser)


def fulltext_search_builder(table_name: str, columns: Union[str, List[str]]) -> FulltextSearchBuilder:
    return FulltextSearchBuilder(table_name, columns)


__all__ = ["FulltextAlgorithmType", "FulltextParserType", "FulltextModeType", "FulltextIndex",
           "FulltextSearchBuilder", "create_fulltext_index", "fulltext_search_builder"]
