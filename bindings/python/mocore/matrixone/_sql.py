"""SQL text of the SDK-shaped builders (orm.py's query builder, the fulltext builders): how a
SQLAlchemy expression becomes ``?`` text and its values, how a name is quoted, and how a
statement is shown.

One path for each concern:
  * names: the identifier preparer of mocore's MySQL dialect (backticks when a name needs
    them, inner backticks doubled; ``quote_path`` quotes each part of ``db.table.column``);
  * values: never in the text. ``compile_clause`` compiles an expression with mocore's dialect
    in the ``qmark`` style, so every value is a ``?`` with its value in the parameter list,
    which the C core renders when the statement is sent;
  * display (``to_sql()``, ``_build_sql()``): ``render`` asks the C core to fill the ``?``
    exactly as it would send them (mo_executor_render_sql) on the query's own connection.

``Fragment`` carries a piece of SQL text written by the program (``filter("age > ?", 30)``)
with its values into SQLAlchemy expressions; its ``?`` marks are the values' places, as in
the SDK (a ``?`` in such a text is always a placeholder)."""

import re

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ClauseElement, bindparam
from sqlalchemy.sql.elements import ColumnElement

from mocore.sqlalchemy_dialect import MySQLDialect_mocore

_NAME_PATH = re.compile(r"(?:[A-Za-z_][\w$]*\.){0,2}(?:[A-Za-z_][\w$]*|\*)\Z")


class _Compiler(MySQLDialect_mocore.statement_compiler):
    """mocore's statement compiler, with the SDK's conventions for its query builder:
    columns without their table's name unless ``mo_tables`` is set (the SDK writes
    ``age > 30``, not ``users.age > 30``), and the string that is a function's only argument,
    when it is a column name (``func.count("id")``, ``func.avg("u.age")``), taken as that
    column, quoted, as the SDK does (without its table or alias when ``mo_strip_names`` is
    set). Any other string stays a bound value (the SDK pasted ``func.count("<any SQL>")``
    into the statement)."""

    def visit_column(self, column, include_table=True, **kw):
        return super().visit_column(column, include_table=include_table and
                                    kw.get("mo_tables", True), **kw)

    def visit_function(self, func, **kw):
        kw["mo_in_function"] = len(func.clauses) == 1
        return super().visit_function(func, **kw)

    def visit_bindparam(self, bindparam, **kw):
        value = bindparam.value
        if (kw.get("mo_in_function") and isinstance(value, str) and not bindparam.expanding
                and _NAME_PATH.match(value)):
            if value == "*":
                return value
            return quote_path(value.split(".")[-1] if kw.get("mo_strip_names") else value)
        return super().visit_bindparam(bindparam, **kw)


class _Dialect(MySQLDialect_mocore):
    statement_compiler = _Compiler


_DIALECT = _Dialect(paramstyle="qmark")


def dialect():
    """mocore's MySQL dialect (qmark parameters), as the builders compile with it."""
    return _DIALECT


def preparer():
    """The identifier preparer of mocore's dialect (the one quoting function)."""
    return _DIALECT.identifier_preparer


def quote(name):
    """``name`` as an identifier: as is when it needs no quoting, else in backticks."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"an identifier must be a non-empty string, not {name!r}")
    return _DIALECT.identifier_preparer.quote(name)


def quote_path(name):
    """``db.table`` / ``table.column`` / ``name``: each part quoted."""
    return ".".join(quote(part) for part in str(name).split("."))


def placeholder_split(text):
    """``text`` cut at its ``?`` placeholders: the ``?`` outside string literals, quoted
    identifiers and comments, as mocore's C core finds them (``'it''s ?'`` holds none)."""
    pieces, start, i, n = [], 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            i += 1
            while i < n:
                if text[i] == "\\" and c != "`":
                    i += 2
                    continue
                if text[i] == c:
                    if i + 1 < n and text[i + 1] == c:   # a doubled quote
                        i += 2
                        continue
                    break
                i += 1
        elif c == "#" or (c == "-" and text.startswith("-- ", i)):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 1
        elif c == "?":
            pieces.append(text[start:i])
            start = i + 1
        i += 1
    pieces.append(text[start:])
    return pieces


class Fragment(ColumnElement):
    """SQL text written by the program, its ``?`` placeholders standing for ``params``
    (without params the text holds none: it is used as written)."""
    inherit_cache = False
    type = String()

    def __init__(self, text, params=()):
        super().__init__()
        self.text = text
        self.params = list(params)

    def __bool__(self):
        raise TypeError("a SQL fragment has no truth value")


@compiles(Fragment)
def _compile_fragment(element, compiler, **kw):
    params = element.params
    if not params:
        return element.text
    pieces = placeholder_split(element.text)
    if len(pieces) - 1 != len(params):
        raise ValueError(f"{element.text!r} has {len(pieces) - 1} ? placeholder(s) for "
                         f"{len(params)} parameter(s)")
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:]):
        out.append(compiler.process(bindparam(None, value), **kw))
        out.append(piece)
    return "".join(out)


def compile_clause(element, tables=True, strip_names=False):
    """(text, params) of a SQLAlchemy expression or statement, values as ``?``; columns
    without their table's name when ``tables`` is false, column-name strings of functions
    without theirs when ``strip_names`` is set."""
    compiled = _Compiler(_DIALECT, element,
                         compile_kwargs={"render_postcompile": True, "mo_tables": tables,
                                         "mo_strip_names": strip_names})
    values = compiled.construct_params()
    params = [values[name] for name in (compiled.positiontup or ())]
    return compiled.string, params


def is_clause(value):
    return isinstance(value, ClauseElement)


_DISPLAY = None


def _display_executor(client):
    """An executor that renders like the query's connection: the client's mocore
    connection when there is one, else a dry-run client (which sends nothing)."""
    global _DISPLAY
    get = getattr(client, "_mocore", None)
    if get is not None:
        try:
            return get()._executor()
        except Exception:  # not connected: render as a dry run would
            pass
    if _DISPLAY is None:
        import mocore
        _DISPLAY = mocore.Client("mysql://display@127.0.0.1/display", dry_run=True)
    return _DISPLAY._executor()


def render(client, text, params):
    """``text`` with its ``?`` filled as mocore would send it (for display)."""
    if not params:
        return text
    import mocore
    from mocore import mocore_core as core
    return core.mo_executor_render_sql(_display_executor(client), text,
                                       mocore._params(list(params)))


__all__ = ["Fragment", "compile_clause", "dialect", "placeholder_split", "is_clause", "preparer", "quote", "quote_path",
           "render"]
