"""PEP 249 exceptions, plus one subclass per mocore error category.

The category classes are generated at import time from the C library's category table
(capi/mocore/error_categories.def, compiled into the extension): for each category NAME with
PEP 249 base BASE there is a class ``<CamelName>Error(BASE)`` -- ``ConstraintError``
(IntegrityError), ``RetryableError`` (OperationalError), ``NotFoundError``
(ProgrammingError), ... Nothing here lists the categories by hand.

Every exception raised by mocore carries ``category`` (the lower-case name, e.g.
"constraint"), ``code`` (the server error number, 0 if none; also ``errno``), ``sqlstate``
("" if none), ``message`` and ``operation`` (e.g. "client.execute"). ``e.args`` is
``(code, message)``, as PyMySQL and mysqlclient have it: code that reads the server's error
number from ``e.args[0]`` (SQLAlchemy's MySQL dialects, the MatrixOne SDK) reads it here too."""

import builtins as _builtins

from . import mocore_core as _core


class Error(Exception):
    """Base of every mocore exception (PEP 249 ``Error``)."""

    category = "internal"
    status = 0

    def __init__(self, message="", code=0, sqlstate="", operation="", category=None):
        super().__init__(code, message)
        self.message = message
        self.code = code
        self.sqlstate = sqlstate
        self.operation = operation
        if category is not None:
            self.category = category

    @property
    def errno(self):  # mysqlclient / PyMySQL spelling
        """The server error number (``code``), as mysqlclient and PyMySQL name it."""
        return self.code

    def __reduce__(self):
        # args is (code, message), not the constructor's order: pickle by the attributes
        return (type(self), (self.message, self.code, self.sqlstate, self.operation,
                             self.category), self.__dict__)

    def __str__(self):
        parts = []
        if self.code:
            parts.append(f"({self.code}{', ' + self.sqlstate if self.sqlstate else ''})")
        parts.append(self.message)
        if self.operation:
            parts.append(f"[{self.category} in {self.operation}]")
        return " ".join(parts)

    def __repr__(self):
        return (f"{type(self).__name__}(message={self.message!r}, code={self.code}, "
                f"sqlstate={self.sqlstate!r}, operation={self.operation!r})")


class Warning(Exception):  # noqa: A001  (PEP 249 name)
    """PEP 249 ``Warning`` (mocore reports warnings as Result.warning_count, never raises this)."""


class InterfaceError(Error):
    """PEP 249: misuse of the interface (a closed client, a wrong argument type, concurrent use)."""


class DatabaseError(Error):
    """PEP 249: base of the errors reported by or about the database."""


class DataError(DatabaseError):
    """PEP 249: a value the server or the library cannot take (out of range, bad date...)."""


class OperationalError(DatabaseError):
    """PEP 249: the connection or the server's operation failed (lost connection, timeout, deadlock)."""


class IntegrityError(DatabaseError):
    """PEP 249: a constraint was violated (duplicate key, foreign key, NOT NULL)."""


class InternalError(DatabaseError):
    """PEP 249: an internal error of the server or the library."""


class ProgrammingError(DatabaseError):
    """PEP 249: a statement error (syntax, unknown table or column, wrong parameter count)."""


class NotSupportedError(DatabaseError):
    """PEP 249: the server does not support the operation."""


_PEP249 = {c.__name__: c for c in (Error, InterfaceError, DatabaseError, DataError,
                                    OperationalError, IntegrityError, InternalError,
                                    ProgrammingError, NotSupportedError)}

#: status number (negative) -> category class
BY_STATUS = {}
#: lower-case category name -> category class
BY_CATEGORY = {}


def _camel(name):
    return "".join(part.capitalize() for part in name.split("_")) + "Error"


def _generate():
    made = {}
    for i in range(_core.mo_swig_category_count()):
        name = _core.mo_swig_category_name(i)
        lower = _core.mo_swig_category_lower(i)
        base = _PEP249[_core.mo_swig_category_pep249(i)]
        status = -_core.mo_swig_category_number(i)
        cls = type(_camel(name), (base,), {
            "__doc__": f"mocore category {lower!r} (status {status}); a {base.__name__}.",
            "__module__": "mocore",
            "category": lower,
            "status": status,
        })
        made[cls.__name__] = cls
        BY_STATUS[status] = cls
        BY_CATEGORY[lower] = cls
    return made


CATEGORY_CLASSES = _generate()
globals().update(CATEGORY_CLASSES)


def _factory(status, code, sqlstate, message, operation):
    cls = BY_STATUS.get(status, InternalError)
    exc = cls(message, code, sqlstate, operation)
    if status == _core.MO_E_INTERRUPTED:
        # A call cancelled while it waited in a greenlet raises the cancellation itself.
        from . import _green
        return _green.error(exc)
    return exc


_core.mo_py_set_error_factory(_factory)

#: The category classes named like a built-in exception (TimeoutError, InterruptedError,
#: SyntaxError): attributes of the module, but left out of ``import *``, which would shadow
#: Python's own.
SHADOWING_BUILTINS = frozenset(n for n in CATEGORY_CLASSES if hasattr(_builtins, n))

__all__ = ["Error", "Warning", "InterfaceError", "DatabaseError", "DataError",
           "OperationalError", "IntegrityError", "InternalError", "ProgrammingError",
           "NotSupportedError", "BY_STATUS", "BY_CATEGORY", "CATEGORY_CLASSES",
           *(n for n in CATEGORY_CLASSES if n not in SHADOWING_BUILTINS)]
