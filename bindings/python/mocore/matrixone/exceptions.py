"""The SDK's exceptions, and their bridge to mocore's error categories.

The classes are the SDK's (MatrixOneError and one subclass per area). An error that came from
mocore (a ``mocore.Error``: a server error or a refused argument) is raised as the SDK class
AND as its mocore category class at once::

    try:
        client.execute("INSERT INTO t VALUES (1)")     # a duplicate key
    except mocore.ConstraintError as e:                  # catches it ...
        assert isinstance(e, QueryError)                 # ... and so does `except QueryError`
        e.errno, e.sqlstate, e.message                   # 1062, "23000", the server's text

``translate(err, SDKClass)`` makes such an instance (its class is a subclass of both, made
once per pair); ``with reraise_as(SDKClass):`` translates what its block raises."""

import contextlib as _contextlib

from .. import errors as _errors

__all__ = ["MatrixOneError", "ConnectionError", "QueryError", "ConfigurationError",
           "SnapshotError", "CloneError", "BranchError", "MoCtlError", "RestoreError",
           "PitrError", "PubSubError", "AccountError", "VersionError", "translate",
           "reraise_as", "mocore_error"]


class MatrixOneError(Exception):
    """Base of every SDK exception. ``errno``, ``sqlstate`` and ``message`` are the server's
    (or mocore's) when the error came from mocore, else None, None and the text."""

    code = None
    sqlstate = None

    @property
    def errno(self):
        """The server's error number (None when the error did not come from the server)."""
        return self.code

    def __getattr__(self, name):
        if name == "message":
            return str(self)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


class ConnectionError(MatrixOneError):  # noqa: A001  (the SDK's name)
    """Connecting to MatrixOne failed, or the client is not connected."""


class QueryError(MatrixOneError):
    """A statement failed."""


class ConfigurationError(MatrixOneError):
    """A configuration value is invalid."""


class SnapshotError(MatrixOneError):
    """A snapshot operation failed."""


class CloneError(MatrixOneError):
    """A clone operation failed."""


class BranchError(MatrixOneError):
    """A data-branch operation failed."""


class MoCtlError(MatrixOneError):
    """A mo_ctl operation failed."""


class RestoreError(MatrixOneError):
    """A restore operation failed."""


class PitrError(MatrixOneError):
    """A PITR operation failed."""


class PubSubError(MatrixOneError):
    """A publication or subscription operation failed."""


class AccountError(MatrixOneError):
    """An account, user or role operation failed."""


class VersionError(MatrixOneError):
    """The server's version lacks what was asked for."""


def mocore_error(err):
    """The mocore.Error behind ``err``: err itself, the DB-API error a SQLAlchemy exception
    wraps (``.orig``), or one in its ``__cause__``/``__context__`` chain; None if there is none."""
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, _errors.Error):
            return err
        orig = getattr(err, "orig", None)
        if isinstance(orig, _errors.Error):
            return orig
        err = err.__cause__ or err.__context__
    return None


_PAIRS = {}


def _pair(sdk_class, category_class):
    """The class that is both sdk_class and category_class (made once per pair)."""
    cls = _PAIRS.get((sdk_class, category_class))
    if cls is None:
        cls = type(sdk_class.__name__, (sdk_class, category_class), {
            "__module__": sdk_class.__module__,
            "__qualname__": sdk_class.__qualname__,
            "__doc__": f"{sdk_class.__name__} from a mocore {category_class.__name__}.",
            "__reduce__": _reduce,
            "__str__": _str,
        })
        _PAIRS[(sdk_class, category_class)] = cls
    return cls


def _str(self):
    text = self.__dict__.get("_sdk_text")
    return text if text is not None else _errors.Error.__str__(self)


def _reduce(self):
    base = type(self).__mro__
    sdk = next(c for c in base if issubclass(c, MatrixOneError) and c not in _PAIRS.values())
    category = next(c for c in base if issubclass(c, _errors.Error) and not issubclass(c, MatrixOneError))
    return (_rebuild, (sdk, category, self.message, self.code, self.sqlstate, self.operation,
                       self.category, self.__dict__.get("_sdk_text")))


def _rebuild(sdk_class, category_class, message, code, sqlstate, operation, category, text):
    exc = _pair(sdk_class, category_class).__new__(_pair(sdk_class, category_class))
    _errors.Error.__init__(exc, message, code, sqlstate, operation, category)
    if text is not None:
        exc._sdk_text = text
    return exc


def translate(err, sdk_class, message=None):
    """``err`` as an ``sdk_class`` instance. When a mocore.Error is behind it (see
    mocore_error), the instance is also of that error's mocore category class and keeps its
    errno/code, sqlstate, message, operation and category; ``message`` (optional) replaces
    the text str() shows. Otherwise a plain ``sdk_class(message or str(err))``."""
    if isinstance(err, sdk_class) and message is None:
        return err
    cause = mocore_error(err)
    if cause is None:
        return sdk_class(message if message is not None else str(err))
    category_class = type(cause)
    if issubclass(category_class, MatrixOneError):  # already translated: its mocore class
        category_class = next(c for c in category_class.__mro__
                              if issubclass(c, _errors.Error) and not issubclass(c, MatrixOneError))
    exc = _rebuild(sdk_class, category_class, cause.message, cause.code, cause.sqlstate,
                   cause.operation, cause.category, message)
    return exc


@_contextlib.contextmanager
def reraise_as(sdk_class, message=None):
    """Run the block; a mocore error it raises (directly or wrapped by SQLAlchemy) is raised
    again as ``translate(err, sdk_class, message)``, chained to the original. SDK exceptions
    and other exceptions (ValueError, TypeError...) pass through unchanged. ``message`` may
    be a callable(err) -> str."""
    try:
        yield
    except MatrixOneError:
        raise
    except Exception as err:  # noqa: BLE001 — only mocore's errors are translated
        if mocore_error(err) is None:
            raise
        text = message(err) if callable(message) else message
        raise translate(err, sdk_class, text) from err
