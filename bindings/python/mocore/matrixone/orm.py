"""The SDK's ORM query builder (``client.query(...)``, ``session.query(...)``) on SQLAlchemy
Core and mocore's parameters.

    users = client.query(User).filter(User.age > 25).order_by(User.name.desc()).limit(10).all()
    client.query(User).filter("city = ?", city).filter_by(active=1).count()
    client.query(User.department, func.count(User.id).label("n")).group_by(User.department) \\
        .having(func.count(User.id) > 1).all()          # rows with .department and .n
    client.query(Article).filter(boolean_match("title", "body").must("python")).all()
    client.query(User).filter(User.id == 3).update(name="Ada").execute()
    high = client.query(User).filter(User.salary > 75000).cte("high")
    client.query(high).all()                             # WITH high AS (...) SELECT * FROM high

The statement is assembled as the SDK assembles it (``SELECT ... FROM t [AS a]
[{snapshot = 's'}] [JOIN ...] [WHERE c1 AND c2] [GROUP BY] [HAVING] [ORDER BY] [LIMIT]
[OFFSET]``, columns written without their table's name unless the query joins tables), but:
  * every value is a parameter: SQLAlchemy expressions are compiled with mocore's dialect and
    their values bound; ``filter("a = ?", v)`` binds ``v``; the C core renders the values
    when the statement is sent (the SDK pasted strings into the SQL unescaped);
  * names (tables, aliases, columns of filter_by/update, labels) go through the one quoting
    function; SQL text written by the program (``filter("age > 30")``, ``select("COUNT(id)
    AS n")``, ``order_by("age DESC")``, a join's ON text) is used as written, like
    ``sqlalchemy.text``;
  * ``to_sql()``, ``_build_sql()``, ``subquery()`` and ``CTE.as_sql()`` show the statement
    with its values rendered exactly as mocore sends them;
  * ``or_`` conditions next to others keep their parentheses (the SDK joined ``a OR b`` and
    ``c`` into ``a OR b AND c``); ``rightjoin`` emits RIGHT JOIN (the SDK emitted LEFT JOIN).

``query_for(client, *columns, snapshot=None, transaction_wrapper=None)`` is what
``Client.query`` / ``Session.query`` call; ``AsyncMatrixOneQuery`` is the async twin (its
``all``/``first``/``count``/``execute``... are coroutines; mocore.matrixone.async_orm is its
SDK address)."""

import re
from typing import Any, List, Optional

from sqlalchemy import Boolean, and_, inspect as _sa_inspect
from sqlalchemy.orm import declarative_base  # noqa: F401  (the SDK's matrixone.orm export)
from sqlalchemy.sql import ClauseElement, operators
from sqlalchemy.sql.elements import ColumnElement, Grouping, Label
from sqlalchemy.sql.functions import FunctionElement

from ._sql import Fragment, compile_clause, placeholder_split, quote, quote_path, render

__all__ = ["declarative_base", "Query", "MatrixOneQuery", "BaseMatrixOneQuery",
           "AsyncMatrixOneQuery", "CTE", "LogicalIn", "logical_in", "desc", "asc", "query_for"]

_OR = re.compile(r"\bor\b", re.IGNORECASE)
_TABLE_REF = re.compile(r"\s*((?:[A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*)"
                        r"(?:\s+(?:AS\s+)?([A-Za-z_][\w$]*))?\s*\Z", re.IGNORECASE)


class _Text(Fragment):
    """SQL text written by the program, in parentheses when it holds an OR and is joined
    to other conditions with AND."""
    inherit_cache = False

    def self_group(self, against=None):
        if against is operators.and_ and _OR.search(self.text):
            return Grouping(self)
        return self


def _is_query(value):
    return isinstance(value, BaseMatrixOneQuery)


def _text(text, params=()):
    """A piece of program-written SQL with its values: each ``?`` takes the next value; a
    query builder value becomes its statement in parentheses, its values joining the
    list. Values with no ``?`` left are appended (``filter("id IN", sub)``, the SDK's
    form), each as `` ?`` or `` (subquery)``."""
    text = str(text)
    params = list(params)
    if not params:
        return _Text(text)
    pieces = placeholder_split(text)
    if len(pieces) == 1:
        out, values = [text], []
        for value in params:
            if _is_query(value):
                sub, sub_params = value._statement()
                out.append(f" ({sub})")
                values.extend(sub_params)
            else:
                out.append(" ?")
                values.append(value)
        return _Text("".join(out), values)
    if len(pieces) - 1 != len(params):
        raise ValueError(f"{text!r} has {len(pieces) - 1} ? placeholder(s) for "
                         f"{len(params)} value(s)")
    out, values = [pieces[0]], []
    for value, piece in zip(params, pieces[1:]):
        if _is_query(value):
            sub, sub_params = value._statement()
            out.append(f"({sub})")
            values.extend(sub_params)
        else:
            out.append("?")
            values.append(value)
        out.append(piece)
    return _Text("".join(out), values)


def _condition(condition, params=()):
    """A WHERE/HAVING condition as a SQLAlchemy element."""
    if isinstance(condition, LogicalIn):
        return condition
    if isinstance(condition, ClauseElement):
        if params:
            raise ValueError("parameters go with a string condition, not an expression")
        return condition
    return _text(condition, params)


def _criterion(value):
    """One of several conditions given to filter()/having(): an expression or SQL text (a
    value is no condition: after an expression there are no ``?`` values)."""
    if _is_clause(value):
        return _clause(value)
    if isinstance(value, str):
        return _text(value)
    raise ValueError(f"{value!r} is not a condition (an expression or SQL text); values go with "
                     "a condition's ? placeholders")


def _table_of(target):
    """The FROM/JOIN text of a join target: a CTE, a model, a Table or a string
    ``"name"`` / ``"db.name"`` / ``"name alias"`` (quoted), other text as written."""
    if isinstance(target, CTE):
        return quote(target.name)
    name = getattr(target, "__tablename__", None)
    if name is not None:
        return quote_path(name)
    if hasattr(target, "_table_name") and not isinstance(target, str):
        return quote_path(target._table_name)
    if getattr(target, "name", None) and hasattr(target, "columns") and not isinstance(target, str):
        return quote_path(target.name)
    text = str(target)
    m = _TABLE_REF.match(text)
    if m is None:
        return text
    table, alias = m.group(1), m.group(2)
    return quote_path(table) + (f" {quote(alias)}" if alias else "")


class _Row:
    """A row of a query with chosen columns: attributes by column name, and a sequence."""

    def __init__(self, values, names):
        self._values = tuple(values)
        for name, value in zip(names, self._values):
            if name is not None:
                setattr(self, name.replace(" ", "_"), value)

    def __getitem__(self, index):
        return self._values[index]

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __repr__(self):
        return f"Row{self._values!r}"


RowData = _Row


def _rows_and_names(result):
    """(rows, column names or None) of a ResultSet or a SQLAlchemy Result."""
    if hasattr(result, "rows"):
        names = getattr(result, "columns", None)
        return list(result.rows), (list(names) if names else None)
    names = None
    try:
        names = list(result.keys())
    except Exception:  # noqa: BLE001 — a result without keys (no rows returned)
        pass
    return list(result.fetchall()), names


def _attr_name(col):
    """The attribute a selected column gets on the rows (the SDK's names)."""
    if isinstance(col, Label):
        return col.name
    from .sqlalchemy_ext.fulltext_search import FulltextFilter
    if isinstance(col, FulltextFilter):
        return "MATCH_" + "_".join(c.split(".")[-1] for c in col.columns)
    if isinstance(col, FunctionElement):
        name = getattr(col, "name", "") or ""
        if name.upper() == "DISTINCT":
            args = [getattr(c, "value", None) or getattr(c, "name", None) or str(c)
                    for c in col.clauses]
            return f"DISTINCT_{args[0] if args else ''}"
        return name
    if isinstance(col, ClauseElement) or hasattr(col, "__clause_element__"):
        name = getattr(col, "key", None) or getattr(col, "name", None)
        return name if isinstance(name, str) else None
    text = str(col)
    low = text.lower()
    if " as " in low:
        return text[low.rfind(" as ") + 4:].strip().strip("'\"`")
    if "(" in text and ")" in text:
        func = text.split("(")[0].strip()
        arg = text.split("(")[1].split(")")[0].strip().strip("'\"`")
        return f"DISTINCT_{arg}" if func.upper() == "DISTINCT" else f"{func.upper()}_{arg}"
    if "." in text and not text.startswith("("):
        return text.split(".")[-1]
    return text


class CTE:
    """A common table expression: ``query.cte("name")`` or ``CTE("name", "SELECT ...")``;
    used as ``client.query(cte)`` or ``query.with_cte(cte).join(cte, ...)``."""

    def __init__(self, name: str, query, recursive: bool = False):
        self.name = name
        self.query = query
        self.recursive = recursive

    def _statement(self):
        if _is_query(self.query):
            return self.query._statement()
        if isinstance(self.query, str):
            return self.query, []
        raise ValueError("CTE query must be a BaseMatrixOneQuery object or SQL string")

    def as_sql(self):
        """(the CTE's statement with its values rendered, [])."""
        text, params = self._statement()
        client = getattr(self.query, "client", None)
        return render(client, text, params), []

    def __str__(self):
        return f"CTE({self.name})"


class LogicalIn(ColumnElement):
    """``column IN (...)`` for filter(): a list (each value a parameter; empty: ``1=0``),
    a single value, a query builder or SQLAlchemy select (a subquery), or a FulltextFilter
    (``column IN (SELECT id FROM <the query's table> WHERE MATCH ...)``)."""
    inherit_cache = False
    type = Boolean()

    def __init__(self, column, values):
        super().__init__()
        self.column = column
        self.values = values
        self.table_name = None          # set by the query it filters (fulltext form)

    def self_group(self, against=None):
        return self

    def _element(self):
        from .sqlalchemy_ext.fulltext_search import FulltextFilter
        col = self.column
        name = getattr(col, "name", None) if not isinstance(col, str) else None
        column = _text(quote_path(name)) if isinstance(name, str) else _text(col)
        values = self.values
        if isinstance(values, FulltextFilter):
            match, params = compile_clause(values)
            table = quote_path(self.table_name or "table")
            return _text(f"{column.text} IN (SELECT id FROM {table} WHERE {match})", params)
        if _is_query(values):
            sub, params = values._statement()
            return _text(f"{column.text} IN ({sub})", params)
        if isinstance(values, ClauseElement):
            sub, params = compile_clause(values)
            return _text(f"{column.text} IN ({sub})", params)
        if isinstance(values, (list, tuple, set)):
            values = list(values)
            if not values:
                return _text("1=0")
            return _text(f"{column.text} IN ({','.join('?' for _ in values)})", values)
        return _text(f"{column.text} IN (?)", [values])

    def compile(self, compile_kwargs=None, **kw):
        """The condition's text with its values rendered (the SDK's ``compile()``)."""
        if compile_kwargs is None and not kw:
            return render(None, *compile_clause(self._element()))
        return super().compile(compile_kwargs=compile_kwargs, **kw)


from sqlalchemy.ext.compiler import compiles as _compiles  # noqa: E402


@_compiles(LogicalIn)
def _compile_logical_in(element, compiler, **kw):
    return compiler.process(element._element(), **kw)


def logical_in(column, values):
    """A LogicalIn condition for ``filter()``: ``filter(logical_in("city", ["a", "b"]))``."""
    return LogicalIn(column, values)


def desc(column):
    """``column DESC`` for order_by (an expression's ``.desc()`` for SQLAlchemy columns)."""
    if isinstance(column, ClauseElement) or hasattr(column, "__clause_element__"):
        return column.desc()
    return f"{column} DESC"


def asc(column):
    if isinstance(column, ClauseElement) or hasattr(column, "__clause_element__"):
        return column.asc()
    return f"{column} ASC"


def _is_clause(value):
    return isinstance(value, ClauseElement) or hasattr(value, "__clause_element__")


def _clause(value):
    return value.__clause_element__() if hasattr(value, "__clause_element__") else value


class BaseMatrixOneQuery:
    """What the sync and async query builders share: the statement."""

    def __init__(self, model_class, client, transaction_wrapper=None, snapshot=None):
        self.model_class = model_class
        self.client = client
        self.transaction_wrapper = transaction_wrapper
        self._snapshot_name = snapshot
        self._table_alias = None
        self._select_columns: List[Any] = []
        self._joins: List[tuple] = []
        self._where_conditions: List[Any] = []
        self._group_by_columns: List[Any] = []
        self._having_conditions: List[Any] = []
        self._order_by_columns: List[Any] = []
        self._limit_count = None
        self._offset_count = None
        self._ctes: List[CTE] = []
        self._query_type = "SELECT"
        self._update_set: List[tuple] = []
        self._columns = {}
        self._is_sqlalchemy_model = False
        self._table_name = None
        if model_class is None:
            return
        if isinstance(model_class, str):
            self._table_name = model_class
        elif hasattr(model_class, "__tablename__") and hasattr(model_class, "__table__"):
            self._is_sqlalchemy_model = hasattr(model_class, "__mapper__")
            self._table_name = model_class.__tablename__
            schema = getattr(model_class.__table__, "schema", None)
            if schema:
                self._table_name = f"{schema}.{self._table_name}"
            self._columns = {c.name: c for c in model_class.__table__.columns}
        else:
            self._table_name = getattr(model_class, "_table_name", model_class.__name__.lower())
            self._columns = dict(getattr(model_class, "_columns", {}) or {})

    # ---- building -------------------------------------------------------------------
    def select(self, *columns) -> "BaseMatrixOneQuery":
        self._select_columns = list(columns)
        return self

    def cte(self, name: str, recursive: bool = False) -> CTE:
        return CTE(name, self, recursive)

    def with_cte(self, *ctes) -> "BaseMatrixOneQuery":
        for cte in ctes:
            if not isinstance(cte, CTE):
                raise ValueError("All arguments must be CTE objects")
            self._ctes.append(cte)
        return self

    def join(self, target, onclause=None, isouter=False, full=False) -> "BaseMatrixOneQuery":
        kind = "FULL OUTER JOIN" if full else "LEFT OUTER JOIN" if isouter else "INNER JOIN"
        self._joins.append((kind, target, onclause))
        return self

    def innerjoin(self, target, onclause=None) -> "BaseMatrixOneQuery":
        return self.join(target, onclause)

    def leftjoin(self, target, onclause=None) -> "BaseMatrixOneQuery":
        return self.join(target, onclause, isouter=True)

    def outerjoin(self, target, onclause=None) -> "BaseMatrixOneQuery":
        return self.leftjoin(target, onclause)

    def rightjoin(self, target, onclause=None) -> "BaseMatrixOneQuery":
        self._joins.append(("RIGHT JOIN", target, onclause))
        return self

    def fullouterjoin(self, target, onclause=None) -> "BaseMatrixOneQuery":
        return self.join(target, onclause, full=True)

    def filter(self, condition, *params) -> "BaseMatrixOneQuery":
        """A WHERE condition: SQL text with ``?`` for ``params``, or SQLAlchemy expressions
        (FulltextFilter and logical_in included): ``filter(a, b, "c > 1")`` adds each, as
        SQLAlchemy's ``filter(*criterion)`` does."""
        if not _is_clause(condition):
            self._where_conditions.append(_condition(condition, params))
            return self
        for each in (condition, *params):
            if isinstance(each, LogicalIn) and each.table_name is None:
                each.table_name = self._table_name
            self._where_conditions.append(_criterion(each))
        return self

    def where(self, condition, *params) -> "BaseMatrixOneQuery":
        return self.filter(condition, *params)

    def filter_by(self, **kwargs) -> "BaseMatrixOneQuery":
        """``column = value`` for each keyword that names a column of the model (others are
        ignored, as in the SDK)."""
        for key, value in kwargs.items():
            if key in self._columns:
                self._where_conditions.append(_text(f"{quote(key)} = ?", [value]))
        return self

    def logical_in(self, column, values) -> "BaseMatrixOneQuery":
        return self.filter(LogicalIn(column, values))

    def group_by(self, *columns) -> "BaseMatrixOneQuery":
        self._group_by_columns.extend(columns)
        return self

    def having(self, condition, *params) -> "BaseMatrixOneQuery":
        """A HAVING condition, as filter() takes them."""
        if not _is_clause(condition):
            self._having_conditions.append(_condition(condition, params))
            return self
        for each in (condition, *params):
            self._having_conditions.append(_criterion(each))
        return self

    def order_by(self, *columns) -> "BaseMatrixOneQuery":
        self._order_by_columns.extend(columns)
        return self

    def limit(self, count: int) -> "BaseMatrixOneQuery":
        self._limit_count = int(count)
        return self

    def offset(self, count: int) -> "BaseMatrixOneQuery":
        self._offset_count = int(count)
        return self

    def snapshot(self, snapshot_name: str) -> "BaseMatrixOneQuery":
        self._snapshot_name = snapshot_name
        return self

    def alias(self, alias_name: str) -> "BaseMatrixOneQuery":
        self._table_alias = alias_name
        return self

    def update(self, **kwargs) -> "BaseMatrixOneQuery":
        """UPDATE the rows the filters select: ``update(name="x", n=User.n + 1)``; run with
        execute()."""
        self._query_type = "UPDATE"
        self._update_set.extend(kwargs.items())
        return self

    # ---- compiling ------------------------------------------------------------------
    def _with_tables(self):
        """Whether columns keep their table's name: when tables are joined (and the query's
        own table has no alias)."""
        return bool(self._joins) and not self._table_alias

    def _compile(self, element, tables=None, strip_names=False):
        return compile_clause(_clause(element), self._with_tables() if tables is None else tables,
                              strip_names)

    def _clause_compile(self, element):
        """A WHERE/HAVING/GROUP BY/ORDER BY expression: as _compile, and on a query without
        joins a function's column-name string loses its alias (``count("u.id") > 1`` ->
        ``count(id) > 1``, as the SDK writes it; the one table makes them the same)."""
        return self._compile(element, strip_names=not self._joins)

    def _items(self, items, params):
        """Comma-separated GROUP BY / ORDER BY items (text as written, expressions compiled)."""
        out = []
        for item in items:
            if _is_clause(item):
                text, values = self._clause_compile(item)
                out.append(text)
                params.extend(values)
            else:
                out.append(str(item))
        return ", ".join(out)

    def _select_item(self, col, params):
        from .sqlalchemy_ext.fulltext_search import FulltextFilter
        if not _is_clause(col):
            return str(col)
        col = _clause(col)
        if isinstance(col, Label):
            text, values = self._compile(col.element)
            params.extend(values)
            return f"{text} AS {quote(col.name)}"
        text, values = self._compile(col)
        params.extend(values)
        if isinstance(col, FunctionElement) and not isinstance(col, FulltextFilter):
            name = getattr(col, "name", None)
            if name and name.upper() != "DISTINCT":
                return f"{text} AS {quote(name)}"
        return text

    def _conditions(self, conditions, params):
        text, values = self._clause_compile(and_(*conditions))
        params.extend(values)
        return text

    def _from(self, params):
        text = quote_path(self._table_name)
        if self._table_alias:
            text += f" AS {quote(self._table_alias)}"
        if self._snapshot_name:
            text += "{snapshot = ?}"
            params.append(self._snapshot_name)
        return text

    def _statement(self):
        """(SQL text with ``?`` marks, values) of the query (SELECT, UPDATE or DELETE)."""
        if self._query_type == "UPDATE":
            return self._update_statement()
        if self._query_type == "DELETE":
            return self._delete_statement()
        return self._select_statement()

    def _select_statement(self, count=False):
        if not self._table_name:
            raise ValueError("Table name is required. Provide a model class or set table name "
                             "manually.")
        params: List[Any] = []
        parts = []
        if self._ctes:
            defs = []
            for cte in self._ctes:
                sub, values = cte._statement()
                defs.append(f"{quote(cte.name)} AS ({sub})")
                params.extend(values)
            recursive = "RECURSIVE " if any(c.recursive for c in self._ctes) else ""
            parts.append(f"WITH {recursive}" + ", ".join(defs))
        if count and not self._select_columns:
            parts.append("SELECT COUNT(*)")
        elif self._select_columns:
            parts.append("SELECT " + ", ".join(self._select_item(c, params)
                                               for c in self._select_columns))
        else:
            parts.append("SELECT *")
        parts.append("FROM " + self._from(params))
        for kind, target, onclause in self._joins:
            join = f"{kind} {_table_of(target)}"
            if onclause is not None:
                if _is_clause(onclause):
                    text, values = self._compile(onclause, tables=True)
                    params.extend(values)
                else:
                    text = str(onclause)
                join += f" ON {text}"
            parts.append(join)
        if self._where_conditions:
            parts.append("WHERE " + self._conditions(self._where_conditions, params))
        if self._group_by_columns:
            parts.append("GROUP BY " + self._items(self._group_by_columns, params))
        if self._having_conditions:
            parts.append("HAVING " + self._conditions(self._having_conditions, params))
        if self._order_by_columns:
            parts.append("ORDER BY " + self._items(self._order_by_columns, params))
        if self._limit_count is not None:
            parts.append(f"LIMIT {int(self._limit_count)}")
        if self._offset_count is not None:
            parts.append(f"OFFSET {int(self._offset_count)}")
        sql = " ".join(parts)
        if count and self._select_columns:
            sql = f"SELECT COUNT(*) FROM ({sql}) AS _mo_count"
        return sql, params

    def _update_statement(self):
        if not self._update_set:
            raise ValueError("No SET clauses provided for UPDATE")
        params: List[Any] = []
        sets = []
        for key, value in self._update_set:
            if _is_clause(value):
                text, values = self._compile(value)
                sets.append(f"{quote(key)} = {text}")
                params.extend(values)
            else:
                sets.append(f"{quote(key)} = ?")
                params.append(value)
        sql = f"UPDATE {quote_path(self._table_name)} SET {', '.join(sets)}"
        if self._where_conditions:
            sql += " WHERE " + self._conditions(self._where_conditions, params)
        return sql, params

    def _delete_statement(self):
        params: List[Any] = []
        sql = f"DELETE FROM {quote_path(self._table_name)}"
        if self._where_conditions:
            sql += " WHERE " + self._conditions(self._where_conditions, params)
        return sql, params

    def _display(self, text, params):
        return render(self.transaction_wrapper or self.client, text, params)

    def _build_sql(self):
        """(the statement with its values rendered as mocore sends them, []): for display."""
        return self._display(*self._statement()), []

    def _build_update_sql(self):
        return self._display(*self._update_statement()), []

    def _build_delete_sql(self):
        return self._display(*self._delete_statement()), []

    def subquery(self, alias_name: str = None) -> str:
        """The query as ``(SELECT ...) [AS alias]`` text, values rendered."""
        sql = self._display(*self._select_statement())
        return f"({sql}) AS {quote(alias_name)}" if alias_name else f"({sql})"

    def to_sql(self) -> str:
        """The statement as mocore would send it (values rendered)."""
        return self._display(*self._statement())

    # ---- rows -----------------------------------------------------------------------
    def _extract_select_columns(self):
        return [_attr_name(c) for c in self._select_columns]

    def _model_keys(self):
        """column name -> attribute name of the model."""
        try:
            mapper = _sa_inspect(self.model_class).mapper
            return {col.name: key for key, col in mapper.columns.items()}
        except Exception:  # noqa: BLE001 — not a mapped class
            return {name: name for name in self._columns}

    def _objects(self, result):
        rows, names = _rows_and_names(result)
        if self._select_columns:
            attrs = self._extract_select_columns()
            if names and (attrs == ["*"] or len(attrs) != len(names)):
                attrs = [n.split(".")[-1] for n in names] if "*" in attrs else attrs
            return [_Row(row, attrs) for row in rows]
        if self.model_class is None or isinstance(self.model_class, str):
            return [_Row(row, names or []) for row in rows]
        keys = self._model_keys()
        order = names if names and all(n in keys for n in names) else list(self._columns)
        out = []
        for row in rows:
            values = {keys.get(name, name): value for name, value in zip(order, row)}
            out.append(self.model_class(**values))
        return out

    def _scalar_of(self, obj):
        if obj is None:
            return None
        if isinstance(obj, _Row):
            return obj[0] if len(obj) else None
        if self._columns:
            first = next(iter(self._columns))
            return getattr(obj, self._model_keys().get(first, first), None)
        return obj

    @staticmethod
    def _one_of(objects, method):
        from sqlalchemy.exc import MultipleResultsFound, NoResultFound
        if not objects:
            if method == "one":
                raise NoResultFound("No row was found for one()")
            return None
        if len(objects) > 1:
            raise MultipleResultsFound(f"Multiple rows were found for {method}()")
        return objects[0]

    @staticmethod
    def _count_of(result):
        rows, _ = _rows_and_names(result)
        return rows[0][0] if rows else 0

    def _explain_sql(self, analyze, verbose):
        sql, params = self._select_statement()
        head = "EXPLAIN " + ("ANALYZE " if analyze else "") + ("VERBOSE " if verbose else "")
        return head + sql, params

    def _export(self, path=None, stage=None, filename=None, format="csv",
                fields_terminated_by=None, fields_enclosed_by=None, lines_terminated_by=None,
                header=False, **unsupported):
        """(method name, args, kwargs) of mocore's export manager for this query."""
        sql, params = self._select_statement()
        fmt = str(getattr(format, "value", format)).lower()
        if fmt not in ("csv", "jsonline", "jsonl"):
            raise ValueError(f"export format must be 'csv' or 'jsonline', not {format!r}")
        given = {k: v for k, v in unsupported.items() if v not in (None, False)}
        if given:
            raise ValueError(f"export option(s) not supported: {', '.join(sorted(given))}")
        kwargs = {"params": params or None}
        if fmt == "csv":
            if fields_terminated_by is not None:
                kwargs["sep"] = fields_terminated_by
            if fields_enclosed_by is not None:
                kwargs["quotechar"] = fields_enclosed_by
            if lines_terminated_by is not None:
                kwargs["lineterminator"] = lines_terminated_by
            kwargs["header"] = bool(header)
        kind = "to_csv" if fmt == "csv" else "to_jsonl"
        if stage is not None:
            return kind + "_stage", (stage, filename, sql), kwargs
        return kind, (path, sql), kwargs

    def _owner(self):
        return self.transaction_wrapper or self.client


class MatrixOneQuery(BaseMatrixOneQuery):
    """The query builder of a client or session (blocking)."""

    def _execute(self, sql, params=None):
        return self._owner().execute(sql, params or None)

    def all(self) -> List:
        return self._objects(self._execute(*self._select_statement()))

    def first(self) -> Optional[Any]:
        self._limit_count = 1
        objects = self.all()
        return objects[0] if objects else None

    def one(self):
        return self._one_of(self.all(), "one")

    def one_or_none(self):
        return self._one_of(self.all(), "one_or_none")

    def scalar(self):
        return self._scalar_of(self.first())

    def count(self) -> int:
        return self._count_of(self._execute(*self._select_statement(count=True)))

    def execute(self) -> Any:
        """Run the statement (SELECT, or the UPDATE started by update()); the result."""
        return self._execute(*self._statement())

    def delete(self) -> Any:
        """DELETE the rows the filters select (now)."""
        self._query_type = "DELETE"
        return self._execute(*self._delete_statement())

    def explain(self, verbose: bool = False) -> Any:
        return self._execute(*self._explain_sql(False, verbose))

    def explain_analyze(self, verbose: bool = False) -> Any:
        return self._execute(*self._explain_sql(True, verbose))

    def _run_export(self, method, args, kwargs):
        return getattr(self._owner()._mocore().export, method)(*args, **kwargs)

    def export_to_file(self, filepath: str, format: str = "csv", **options) -> Any:
        """SELECT ... INTO OUTFILE 'filepath' (a file on the server)."""
        return self._run_export(*self._export(path=filepath, format=format, **options))

    def export_to_stage(self, stage_name: str, filename: str, format: str = "csv",
                        **options) -> Any:
        """SELECT ... INTO OUTFILE 'stage://stage_name/filename'."""
        return self._run_export(*self._export(stage=stage_name, filename=filename,
                                              format=format, **options))

    def export_to(self, stage_or_filepath: str, filename: Optional[str] = None, **kwargs) -> Any:
        if filename:
            return self.export_to_stage(stage_or_filepath, filename, **kwargs)
        return self.export_to_file(stage_or_filepath, **kwargs)


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


class Query(MatrixOneQuery):
    """The SDK's older builder name: ``Query(model, client, snapshot_name=None)``."""

    def __init__(self, model_class, client, snapshot_name: Optional[str] = None):
        super().__init__(model_class, client, snapshot=snapshot_name)


def query_for(client, *columns, snapshot=None, transaction_wrapper=None, query_class=None):
    """The query builder of ``client.query(*columns, snapshot=...)`` (also sessions:
    ``transaction_wrapper`` is the session whose connection runs it). ``columns``: a model
    or table name; a CTE; columns / expressions / labels (the table is taken from the first
    column that has one, or from a ``"table.column"`` string); or a model with extra
    columns."""
    cls = query_class or MatrixOneQuery

    def make(model):
        return cls(model, client, transaction_wrapper=transaction_wrapper, snapshot=snapshot)

    if len(columns) == 1:
        only = columns[0]
        if isinstance(only, str) or hasattr(only, "__tablename__"):
            return make(only)
        if isinstance(only, CTE):
            query = make(None)
            query._table_name = only.name
            query._select_columns = ["*"]
            query._ctes = [only]
            return query
    model = next((c for c in columns if hasattr(c, "__tablename__")), None)
    query = make(model)
    extra = [c for c in columns if c is not model]
    if extra:
        query._select_columns = extra
    if model is None:
        for col in extra:
            table = getattr(_clause(col), "table", None)
            if table is not None and getattr(table, "name", None):
                query._table_name = table.name
                break
            if isinstance(col, str) and "." in col:
                query._table_name = col.rsplit(".", 1)[0]
                break
    return query
