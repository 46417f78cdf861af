"""Fulltext search expressions: MATCH (columns) AGAINST (query [mode]) as a SQLAlchemy
expression, and the SDK's builders of boolean-mode query strings.

    from mocore.matrixone.sqlalchemy_ext import boolean_match, natural_match, group

    boolean_match("title", "body").must("python").must_not("legacy")
        # MATCH(title, body) AGAINST(? IN BOOLEAN MODE), with '+python -legacy' bound
    boolean_match(Article.title).must(group().medium("java", "kotlin")).encourage("guide")
        # '+(java kotlin) guide'
    natural_match(Article.title, Article.body, query="vector search").label("score")

The query string is always a bound parameter (never pasted into the SQL text) and the column
names go through the one quoting function, so a search string cannot change the statement.
A filter works in ``select(...).where(...)``, in ``client.query(...).filter(...)``, inside
``and_``/``or_``, and as a selected column (its relevance score), labelled or not.

Boolean-mode operators, as in MatrixOne (and MySQL): ``+term`` required, ``-term`` excluded,
``term`` optional, ``~term`` lowers the score, ``>term`` / ``<term`` raise / lower a term's
weight inside a group, ``"a phrase"``, ``prefix*``, ``(...)`` a group."""

from typing import Any, List, Optional

from sqlalchemy import Boolean, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import and_, bindparam, or_
from sqlalchemy.sql.elements import ColumnElement, Label

from .._sql import compile_clause, quote_path, render


class FulltextSearchMode:
    """The search modes (MATCH ... AGAINST (... IN <mode>))."""
    NATURAL_LANGUAGE = "natural language mode"
    BOOLEAN = "boolean mode"
    QUERY_EXPANSION = "query expansion mode"


class FulltextSearchAlgorithm:
    """The relevance algorithms of MatrixOne's ft_relevancy_algorithm."""
    TF_IDF = "TF-IDF"
    BM25 = "BM25"


_AGAINST_SUFFIX = {
    FulltextSearchMode.NATURAL_LANGUAGE: "",
    FulltextSearchMode.BOOLEAN: " IN BOOLEAN MODE",
    FulltextSearchMode.QUERY_EXPANSION: " WITH QUERY EXPANSION",
}


def _against_suffix(mode):
    """The text after the query inside AGAINST(...) for a mode (the SDK's mode strings,
    any case); an unknown mode is refused rather than pasted."""
    key = str(mode).lower().strip()
    aliases = {"natural": FulltextSearchMode.NATURAL_LANGUAGE,
               "natural_language": FulltextSearchMode.NATURAL_LANGUAGE,
               "in natural language mode": FulltextSearchMode.NATURAL_LANGUAGE,
               "boolean": FulltextSearchMode.BOOLEAN,
               "in boolean mode": FulltextSearchMode.BOOLEAN,
               "query_expansion": FulltextSearchMode.QUERY_EXPANSION,
               "with query expansion": FulltextSearchMode.QUERY_EXPANSION}
    key = aliases.get(key, key)
    if key not in _AGAINST_SUFFIX:
        raise ValueError(f"unknown fulltext search mode {mode!r}; one of "
                         f"{', '.join(repr(m) for m in _AGAINST_SUFFIX)}")
    return _AGAINST_SUFFIX[key]


class FulltextElement:
    """One item of a boolean query: ``<operator><weight><content>`` ("+python", "~old")."""

    def __init__(self, content: str, operator: str = "", weight_modifier: str = ""):
        self.content = content
        self.operator = operator
        self.weight_modifier = weight_modifier

    def build(self) -> str:
        return f"{self.operator}{self.weight_modifier}{self.content}"


def _terms_check(method, items):
    for item in items:
        if isinstance(item, (list, tuple)):
            raise TypeError(f"{method}() received a {type(item).__name__} object, but expected "
                            f"individual terms. Use {method}(*terms) instead of "
                            f"{method}(terms).")


class FulltextGroup:
    """A parenthesised group of a boolean query. Its kind comes from how it is used:
    ``must(group)`` -> ``+(...)``, ``must_not(group)`` -> ``-(...)``,
    ``encourage(group)`` -> ``(...)``, ``discourage(group)`` -> ``~(...)``.
    Inside a group, ``medium``/``encourage`` add plain terms, ``high``/``low`` add ``>term``
    / ``<term``."""

    def __init__(self, group_type: str = "or"):
        self.elements: List[FulltextElement] = []
        self.groups: List["FulltextGroup"] = []
        self.group_type = group_type        # "or" (plain), "and" (+), "not" (-)
        self.is_tilde = False               # ~(...)

    def _add(self, terms, operator="", weight=""):
        for term in terms:
            self.elements.append(FulltextElement(str(term), operator, weight))
        return self

    def must(self, *terms: str) -> "FulltextGroup":
        return self._add(terms, "" if self.group_type in ("or", "not") else "+")

    def must_not(self, *terms: str) -> "FulltextGroup":
        return self._add(terms, "" if self.group_type in ("or", "not") else "-")

    def encourage(self, *terms: str) -> "FulltextGroup":
        return self._add(terms)

    def medium(self, *terms: str) -> "FulltextGroup":
        return self._add(terms)

    def high(self, *terms: str) -> "FulltextGroup":
        return self._add(terms, "", ">")

    def low(self, *terms: str) -> "FulltextGroup":
        return self._add(terms, "", "<")

    def phrase(self, phrase: str) -> "FulltextGroup":
        self.elements.append(FulltextElement(f'"{phrase}"'))
        return self

    def prefix(self, prefix: str) -> "FulltextGroup":
        self.elements.append(FulltextElement(f"{prefix}*"))
        return self

    def boost(self, term: str, weight: float) -> "FulltextGroup":
        self.elements.append(FulltextElement(f"{term}^{weight}"))
        return self

    def add_group(self, *groups: "FulltextGroup") -> "FulltextGroup":
        self.groups.extend(groups)
        return self

    def add_tilde_group(self, group: "FulltextGroup") -> "FulltextGroup":
        group.is_tilde = True
        self.groups.append(group)
        return self

    def build(self) -> str:
        parts = [element.build() for element in self.elements]
        for sub in self.groups:
            inner = sub.build()
            if not inner:
                continue
            if sub.is_tilde:
                parts.append(f"~({inner})")
            elif sub.group_type == "not":
                parts.append(f"-({inner})")
            elif sub.group_type == "and":
                parts.append(f"+({inner})")
            else:
                parts.append(f"({inner})")
        return " ".join(parts)


class FulltextQueryBuilder:
    """The boolean query string of a FulltextFilter: must (+), must_not (-), encourage
    (plain), discourage (~), phrase, prefix, boost, group."""

    def __init__(self):
        self.main_group = FulltextGroup("and")

    def _items(self, method, items, group_type, term):
        _terms_check(method, items)
        for item in items:
            if isinstance(item, FulltextGroup):
                if group_type == "tilde":
                    self.main_group.add_tilde_group(item)
                else:
                    item.group_type = group_type
                    self.main_group.add_group(item)
            else:
                term(str(item))
        return self

    def must(self, *items) -> "FulltextQueryBuilder":
        return self._items("must", items, "and", self.main_group.must)

    def must_not(self, *items) -> "FulltextQueryBuilder":
        return self._items("must_not", items, "not", self.main_group.must_not)

    def encourage(self, *items) -> "FulltextQueryBuilder":
        return self._items("encourage", items, "or", self.main_group.encourage)

    def discourage(self, *items) -> "FulltextQueryBuilder":
        return self._items("discourage", items, "tilde",
                           lambda t: self.main_group.elements.append(FulltextElement(t, "", "~")))

    def phrase(self, *phrases: str) -> "FulltextQueryBuilder":
        for p in phrases:
            self.main_group.phrase(p)
        return self

    def prefix(self, *prefixes: str) -> "FulltextQueryBuilder":
        for p in prefixes:
            self.main_group.prefix(p)
        return self

    def boost(self, term: str, weight: float) -> "FulltextQueryBuilder":
        self.main_group.boost(term, weight)
        return self

    def group(self, *builders: "FulltextQueryBuilder") -> "FulltextQueryBuilder":
        """Each builder's items as one plain group ``(...)``."""
        for b in builders:
            g = FulltextGroup("or")
            g.elements.extend(b.main_group.elements)
            g.groups.extend(b.main_group.groups)
            self.main_group.groups.append(g)
        return self

    def build(self) -> str:
        return self.main_group.build()

    def as_sql(self, table: str, columns: List[str], mode: str = FulltextSearchMode.BOOLEAN,
               include_score: bool = False, select_columns: Optional[List[str]] = None,
               where_conditions: Optional[List[str]] = None, order_by: Optional[str] = None,
               limit: Optional[int] = None, offset: Optional[int] = None) -> str:
        """A whole SELECT on ``table`` (for display; the query string rendered as mocore
        would send it)."""
        text, params = _select_text(table, columns, mode, self.build(), include_score,
                                    select_columns, where_conditions, order_by, limit, offset)
        return render(None, text, params)

    def as_score_sql(self, table: str, columns: List[str],
                     mode: str = FulltextSearchMode.BOOLEAN) -> str:
        return self.as_sql(table, columns, mode, include_score=True)


def _column_name(col):
    """A column given as a model attribute / Column (its name) or a string."""
    name = getattr(col, "name", None)
    if isinstance(name, str) and not isinstance(col, str):
        return name
    return str(col)


class FulltextFilter(ColumnElement):
    """MATCH (columns) AGAINST (query [mode]): a boolean SQLAlchemy expression (a WHERE
    condition) whose value as a selected column is the relevance score.

    The columns must be those of one FULLTEXT index, in its order (a MatrixOne rule)."""
    inherit_cache = False

    def __init__(self, columns: List[str], mode: str = FulltextSearchMode.BOOLEAN):
        super().__init__()
        self.columns = list(columns)
        self.mode = mode
        self.query_builder = FulltextQueryBuilder()
        self._natural_query = None
        self.type = Boolean()

    def __bool__(self):
        raise NotImplementedError("FulltextFilter cannot be used as a boolean value directly. "
                                  "Use it within SQLAlchemy expressions like select().where()")

    def self_group(self, against=None):
        return self

    def must(self, *items) -> "FulltextFilter":
        self.query_builder.must(*items)
        return self

    def must_not(self, *items) -> "FulltextFilter":
        self.query_builder.must_not(*items)
        return self

    def encourage(self, *items) -> "FulltextFilter":
        self.query_builder.encourage(*items)
        return self

    def discourage(self, *items) -> "FulltextFilter":
        self.query_builder.discourage(*items)
        return self

    def phrase(self, *phrases: str) -> "FulltextFilter":
        self.query_builder.phrase(*phrases)
        return self

    def prefix(self, *terms: str) -> "FulltextFilter":
        self.query_builder.prefix(*terms)
        return self

    def boost(self, term: str, weight: float) -> "FulltextFilter":
        self.query_builder.boost(term, weight)
        return self

    def group(self, *filters: "FulltextFilter") -> "FulltextFilter":
        self.query_builder.group(*(f.query_builder for f in filters))
        return self

    def set_natural_query(self, query: str) -> "FulltextFilter":
        self._natural_query = query
        return self

    def natural_language(self) -> "FulltextFilter":
        self.mode = FulltextSearchMode.NATURAL_LANGUAGE
        return self

    def boolean_mode(self) -> "FulltextFilter":
        self.mode = FulltextSearchMode.BOOLEAN
        return self

    def query_expansion(self) -> "FulltextFilter":
        self.mode = FulltextSearchMode.QUERY_EXPANSION
        return self

    def query_string(self) -> str:
        """The AGAINST query: the natural query in natural-language mode, else the boolean
        query built from must/must_not/..."""
        if self.mode == FulltextSearchMode.NATURAL_LANGUAGE and self._natural_query:
            return self._natural_query
        return self.query_builder.build()

    def _parts(self):
        if not self.columns:
            raise ValueError("Columns must be specified")
        query = self.query_string()
        if not query:
            raise ValueError("Query cannot be empty")
        return ", ".join(quote_path(c) for c in self.columns), query, _against_suffix(self.mode)

    def label(self, name: str):
        """The relevance score as a named column (``... AS name``)."""
        return Label(name, self, type_=Float())

    def compile(self, bind=None, dialect=None, **kw):
        """With no arguments: the SQL text as mocore would send it (the SDK's
        ``filter.compile()`` gives a string); with a bind or dialect: SQLAlchemy's."""
        if bind is None and dialect is None and not kw:
            return render(None, *compile_clause(self))
        return super().compile(bind=bind, dialect=dialect, **kw)

    def as_text(self):
        return self

    def __str__(self):
        return f"FulltextFilter({self.columns}, mode={self.mode})"

    def __repr__(self):
        return (f"FulltextFilter(columns={self.columns}, mode='{self.mode}', "
                f"query={self.query_string()!r})")

    @classmethod
    def _create_and(cls, *conditions):
        return and_(*conditions)

    @classmethod
    def _create_or(cls, *conditions):
        return or_(*conditions)


@compiles(FulltextFilter)
def _compile_fulltext_filter(element, compiler, **kw):
    columns, query, suffix = element._parts()
    bound = compiler.process(bindparam(None, query), **kw)
    return f"MATCH({columns}) AGAINST({bound}{suffix})"


def boolean_match(*columns) -> FulltextFilter:
    """MATCH(columns) AGAINST(<query> IN BOOLEAN MODE); build the query with must(),
    must_not(), encourage(), discourage(), phrase(), prefix(), boost(), group()."""
    return FulltextFilter([_column_name(c) for c in columns], FulltextSearchMode.BOOLEAN)


def natural_match(*columns, query: str) -> FulltextFilter:
    """MATCH(columns) AGAINST(<query>) in natural-language mode."""
    return FulltextFilter([_column_name(c) for c in columns],
                          FulltextSearchMode.NATURAL_LANGUAGE).set_natural_query(query)


def group() -> FulltextGroup:
    """A group for must()/must_not()/encourage()/discourage(): fill it with medium(),
    high(), low(), phrase(), prefix()."""
    return FulltextGroup("or")


def _select_text(table, columns, mode, query, include_score, select_columns=None,
                 where_conditions=None, order_by=None, limit=None, offset=None):
    """(text, params) of SELECT ... FROM table WHERE MATCH(...) AGAINST(?...) [...].
    select_columns, where_conditions and order_by are SQL text written by the program."""
    if not query:
        raise ValueError("Query is required - add at least one search term")
    if not table:
        raise ValueError("Table name is required")
    if not columns:
        raise ValueError("Search columns are required")
    match = (f"MATCH({', '.join(quote_path(c) for c in columns)}) "
             f"AGAINST(?{_against_suffix(mode)})")
    params = []
    select = list(select_columns) if select_columns else ["*"]
    if include_score:
        select.append(f"{match} AS score")
        params.append(query)
    parts = [f"SELECT {', '.join(select)}", f"FROM {quote_path(table)}",
             "WHERE " + " AND ".join([match] + list(where_conditions or []))]
    params.append(query)
    if order_by:
        parts.append(f"ORDER BY {order_by}")
    if limit:
        parts.append(f"LIMIT {int(limit)}")
    if offset:
        parts.append(f"OFFSET {int(offset)}")
    return " ".join(parts), params


class FulltextSearchBuilder:
    """A whole fulltext SELECT, run on a client: table(), columns(), query() / add_term() /
    add_phrase() / add_wildcard(), with_mode(), with_score(), select(), where(), order_by(),
    limit(), offset(), then execute() (or explain() for its SQL text)."""

    def __init__(self, client):
        self.client = client
        self._table_name: Optional[str] = None
        self._columns: List[str] = []
        self._search_mode = FulltextSearchMode.NATURAL_LANGUAGE
        self._algorithm = FulltextSearchAlgorithm.BM25
        self._query_obj = FulltextQueryBuilder()
        self._include_score = False
        self._where_conditions: List[str] = []
        self._order_by: Optional[str] = None
        self._limit_value: Optional[int] = None
        self._offset_value: Optional[int] = None
        self._select_columns: List[str] = ["*"]

    def table(self, table_name: str) -> "FulltextSearchBuilder":
        self._table_name = getattr(table_name, "__tablename__", table_name)
        return self

    def columns(self, columns: List[str]) -> "FulltextSearchBuilder":
        self._columns = [_column_name(c) for c in columns]
        return self

    def with_mode(self, mode: str) -> "FulltextSearchBuilder":
        _against_suffix(mode)
        self._search_mode = mode
        return self

    def with_algorithm(self, algorithm: str) -> "FulltextSearchBuilder":
        self._algorithm = algorithm
        return self

    def query(self, query_string: str) -> "FulltextSearchBuilder":
        self._query_obj = FulltextQueryBuilder()
        self._query_obj.encourage(query_string)
        return self

    def add_term(self, term: str, required: bool = False, excluded: bool = False,
                 proximity: Optional[int] = None) -> "FulltextSearchBuilder":
        if required:
            self._query_obj.must(term)
        elif excluded:
            self._query_obj.must_not(term)
        else:
            self._query_obj.encourage(term)
        return self

    def add_phrase(self, phrase: str) -> "FulltextSearchBuilder":
        self._query_obj.phrase(phrase)
        return self

    def add_wildcard(self, pattern: str) -> "FulltextSearchBuilder":
        self._query_obj.prefix(pattern.rstrip("*"))
        return self

    def with_score(self, include: bool = True) -> "FulltextSearchBuilder":
        self._include_score = include
        return self

    def select(self, columns: List[str]) -> "FulltextSearchBuilder":
        self._select_columns = list(columns)
        return self

    def where(self, condition: str) -> "FulltextSearchBuilder":
        self._where_conditions.append(condition)
        return self

    def order_by(self, column: str, direction: str = "DESC") -> "FulltextSearchBuilder":
        if str(direction).upper() not in ("ASC", "DESC"):
            raise ValueError(f"direction must be ASC or DESC, not {direction!r}")
        self._order_by = f"{column} {str(direction).upper()}"
        return self

    def limit(self, count: int) -> "FulltextSearchBuilder":
        self._limit_value = int(count)
        return self

    def offset(self, count: int) -> "FulltextSearchBuilder":
        self._offset_value = int(count)
        return self

    def _statement(self):
        return _select_text(self._table_name, self._columns, self._search_mode,
                            self._query_obj.build(), self._include_score,
                            self._select_columns, self._where_conditions, self._order_by,
                            self._limit_value, self._offset_value)

    def _build_sql(self) -> str:
        return render(self.client, *self._statement())

    def execute(self) -> Any:
        text, params = self._statement()
        return self.client.execute(text, params or None)

    def explain(self) -> str:
        return self._build_sql()


class FulltextIndexManager:
    """The SDK's older fulltext manager of this module (create/drop/search on a client);
    ``client.fulltext_index`` is mocore.matrixone.fulltext_manager.FulltextIndexManager."""

    def __init__(self, client):
        self.client = client

    def create(self, table_name: str, name: str, columns: List[str],
               algorithm: str = FulltextSearchAlgorithm.BM25) -> bool:
        from ..fulltext_manager import FulltextIndexManager as _Manager
        _Manager(self.client).create(table_name, name, columns, algorithm)
        return True

    def drop(self, table_name: str, name: str) -> bool:
        from ..fulltext_manager import FulltextIndexManager as _Manager
        _Manager(self.client).drop(table_name, name)
        return True

    def search(self) -> FulltextSearchBuilder:
        return FulltextSearchBuilder(self.client)


__all__ = ["FulltextSearchMode", "FulltextSearchAlgorithm", "FulltextElement", "FulltextGroup",
           "FulltextQueryBuilder", "FulltextFilter", "FulltextSearchBuilder",
           "FulltextIndexManager", "boolean_match", "natural_match", "group"]
