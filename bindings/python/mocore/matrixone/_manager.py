"""What the SDK-shaped managers (snapshot.py, clone.py, stage.py ...) share.

A manager is ``XManager(client, executor=None)`` as in the SDK: it works on the executor (a
session or transaction) when one is given, else on the client, and reaches mocore's own
manager of its domain through ``executor._mocore()`` (``_mocore_async()`` for the async twin).

Each SDK method is written once, as a *plan*: a generator that yields the steps it needs --
``call("snapshots", "create", ...)`` (a method of mocore's manager) or ``sql(text, params)``
(one statement with ``?`` parameters, for the few SDK methods no C manager function backs)
-- and receives each step's value. ``SyncManager._run`` performs the steps directly and
``AsyncManager._run`` awaits them, so the sync and async classes are the same logic. An
error of mocore's that a plan does not handle leaves the manager as its SDK class
(``_error``) that is also the mocore category class (exceptions.translate)."""

import inspect as _inspect

from .. import errors as _errors
from .exceptions import MatrixOneError, translate
from ..result_set import ResultSet

__all__ = ["call", "sql", "Rows", "SyncManager", "AsyncManager", "table_name", "failed",
           "statement", "delegate", "Row", "ResultRows", "non_empty",
           "StatementBuilder", "CopyBuilder"]


class _Call:
    __slots__ = ("manager", "method", "args", "kwargs")

    def __init__(self, manager, method, args, kwargs):
        self.manager, self.method, self.args, self.kwargs = manager, method, args, kwargs


class _Sql:
    __slots__ = ("text", "params")

    def __init__(self, text, params):
        self.text, self.params = text, params


def call(manager, method, *args, **kwargs):
    """The step: ``<mocore target>.<manager>.<method>(*args, **kwargs)``."""
    return _Call(manager, method, args, kwargs)


def sql(text, params=None):
    """The step: run ``text`` (``?`` placeholders filled from ``params`` by the C core);
    its value is a Rows."""
    return _Sql(text, params)


class Rows:
    """The columns and rows (tuples) of a statement a plan ran."""

    __slots__ = ("columns", "rows", "rowcount")

    def __init__(self, columns, rows, rowcount=0):
        self.columns, self.rows, self.rowcount = list(columns or ()), list(rows), rowcount

    def dicts(self):
        return [dict(zip(self.columns, r)) for r in self.rows]


class Row(tuple):
    """A row of a ResultRows: a tuple that also answers as a SQLAlchemy Row does --
    ``row._mapping`` (column -> value), ``row._fields``, ``row.<column>``."""

    def __new__(cls, values, keys):
        row = tuple.__new__(cls, values)
        row._keys = keys
        return row

    @property
    def _mapping(self):
        return dict(zip(self._keys, self))

    @property
    def _fields(self):
        return tuple(self._keys)

    def _asdict(self):
        return dict(zip(self._keys, self))

    def __getattr__(self, name):
        keys = self.__dict__.get("_keys", ())
        if name in keys:
            return self[keys.index(name)]
        raise AttributeError(f"row has no column {name!r}")


class ResultRows(ResultSet):
    """The rows of a statement a manager returns as the SDK returns a result: ``columns``,
    ``rows`` (Rows), fetchone/fetchmany/fetchall/scalar over them, ``keys()``; its
    ``rowcount`` is the number of rows, and iterating it fetches them."""

    def __init__(self, columns, rows):
        columns = list(columns or ())
        super().__init__(columns, [Row(r, columns) for r in rows])

    @classmethod
    def of(cls, result):
        """A ResultRows of a mocore.Result (its rows read now)."""
        return cls(result.columns, result.fetchall() if result.columns else ())

    rowcount = property(lambda self: len(self.rows))

    def keys(self):
        return list(self.columns)

    def scalar(self):
        row = self.fetchone()
        return None if row is None else row[0]

    def __iter__(self):
        return iter(self.fetchall())


def non_empty(value, what):
    """``value`` when it is a non-empty string; the SDK's ValueError otherwise (the
    statement builders' check)."""
    if not value or not isinstance(value, str):
        raise ValueError(f"{what} must be a non-empty string")
    return value


def table_name(table):
    """The name of a table given as a string, a SQLAlchemy model (``__tablename__``, with its
    schema as "schema.table") or a Table (``.name`` / ``.schema``)."""
    if isinstance(table, str):
        return table
    name = getattr(table, "__tablename__", None)
    schema = None
    if name is not None:
        t = getattr(table, "__table__", None)
        schema = getattr(t, "schema", None)
    else:
        name = getattr(table, "name", None)
        schema = getattr(table, "schema", None)
    if not isinstance(name, str):
        return table  # mocore's argument check names the mistake
    return f"{schema}.{name}" if schema else name


def _mocore_error(err):
    """The mocore.Error ``err`` is (or the one a SQLAlchemy error wraps), else None. Unlike
    exceptions.mocore_error it does not follow the cause chain: a ValueError a plan raises
    *from* a mocore error stays a ValueError."""
    if isinstance(err, _errors.Error):
        return err
    orig = getattr(err, "orig", None)
    return orig if isinstance(orig, _errors.Error) else None


def failed(err, sdk_class, what):
    """What a plan raises for ``err``: a mocore error as ``sdk_class`` with the SDK's text
    "<what>: <mocore's message>" (also its mocore category class); SDK errors and other
    exceptions unchanged (and mocore's own text when it already says "Failed to ...").
    Use as ``raise failed(err, SnapshotError, "Failed to ...")``."""
    if isinstance(err, MatrixOneError):
        return err
    cause = _mocore_error(err)
    if cause is None:
        return err
    if str(cause.message).startswith("Failed to"):  # the C manager's text says it already
        return translate(err, sdk_class)
    return translate(err, sdk_class, f"{what}: {err}")


def delegate(error, what, manager, method, *args, **kwargs):
    """The plan of an SDK method that is one call of mocore's manager: its value, or
    ``failed(err, error, what)``."""
    try:
        return (yield call(manager, method, *args, **kwargs))
    except Exception as err:
        raise failed(err, error, what)


def statement(manager, method, *args, **kwargs):
    """The SQL text mocore's ``<manager>.<method>(...)`` sends, made by the C manager on a
    dry-run client (nothing is sent anywhere): the text of the statement builders
    (clone_builder, branch_builder), with every name quoted and every value escaped."""
    import mocore
    dry = mocore.connect("matrixone://builder@127.0.0.1:1/builder?dry_run=true")
    try:
        getattr(getattr(dry, manager), method)(*args, **kwargs)
        return dry.journal[0]
    finally:
        dry.close()


class StatementBuilder:
    """A statement builder (clone_builder, branch_builder): ``compile()`` / ``str()`` is its
    SQL text, made with statement()."""

    def compile(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.compile()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.compile()}>"


class CopyBuilder(StatementBuilder):
    """What the clone and branch-creation builders share: a target, a source (given by the
    subclass's ``from_table``/``from_database`` through _from) at an optional snapshot, and
    an optional account (``to_account``)."""

    def __init__(self, target):
        self._target = target
        self._source = self._snapshot = self._account = None

    def _from(self, source, snapshot):
        self._source = source
        self._snapshot = snapshot
        return self

    def to_account(self, account: str):
        self._account = non_empty(account, "account")
        return self

    def _require_source(self, what, method):
        if not self._source:
            raise ValueError(f"{what} must be set via {method}()")


class _Base:
    _error = MatrixOneError  # the SDK class of this manager's errors

    def __init__(self, client, executor=None):
        self.client = client
        self.executor = executor

    def _get_executor(self):
        return self.executor if self.executor is not None else self.client

    def _translated(self, err):
        return translate(err, self._error)


class SyncManager(_Base):
    """The base of the synchronous managers."""

    def _target(self):
        return self._get_executor()._mocore()

    def _step(self, target, step):
        if isinstance(step, _Call):
            return getattr(getattr(target, step.manager), step.method)(*step.args, **step.kwargs)
        res = target.execute(step.text, step.params)
        return Rows(res.columns, res.fetchall() if res.columns else (), res.rowcount)

    def _run(self, plan):
        try:
            target = self._target()
            step = next(plan)
            while True:
                try:
                    value = self._step(target, step)
                except Exception as err:  # noqa: BLE001 -- the plan sees it first
                    step = plan.throw(err)
                else:
                    step = plan.send(value)
        except StopIteration as stop:
            return stop.value
        except MatrixOneError:
            raise
        except Exception as err:  # noqa: BLE001
            if _mocore_error(err) is None:
                raise
            raise self._translated(err) from err


class AsyncManager(_Base):
    """The base of the asyncio managers (the methods are coroutines)."""

    async def _target(self):
        target = self._get_executor()._mocore_async()
        if _inspect.isawaitable(target):
            target = await target
        return target

    async def _step(self, target, step):
        if isinstance(step, _Call):
            return await getattr(getattr(target, step.manager), step.method)(*step.args, **step.kwargs)
        res = await target.execute(step.text, step.params)
        rows = await res.fetchall() if res.columns else ()
        return Rows(res.columns, rows, res.rowcount)

    async def _run(self, plan):
        try:
            target = await self._target()
            step = next(plan)
            while True:
                try:
                    value = await self._step(target, step)
                except Exception as err:  # noqa: BLE001 -- the plan sees it first
                    step = plan.throw(err)
                else:
                    step = plan.send(value)
        except StopIteration as stop:
            return stop.value
        except MatrixOneError:
            raise
        except Exception as err:  # noqa: BLE001
            if _mocore_error(err) is None:
                raise
            raise self._translated(err) from err
