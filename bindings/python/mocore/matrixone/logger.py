"""MatrixOneLogger: the SDK's logger, on Python ``logging``.

The SQL log modes are the SDK's (and mocore's own log_mode words):
``off`` nothing; ``simple`` one summary per statement ("INSERT INTO t"); ``full`` the whole
statement; ``auto`` (default) the whole statement up to ``max_sql_display_length``
characters, else its summary and length. A failed or slow statement (at least
``slow_query_threshold`` seconds) is always logged in full. Records go to the ``logging``
logger "matrixone" (a stdout handler is added when it has none) or to the logger given."""

import logging
import re
import sys

__all__ = ["MatrixOneLogger", "create_default_logger", "create_custom_logger", "SQL_LOG_MODES"]

#: the SQL log modes
SQL_LOG_MODES = ("off", "auto", "simple", "full")

_DEFAULT_FORMAT = "%(asctime)s|%(name)s|%(levelname)s|[%(filename)s:%(lineno)d]: %(message)s"


def _check_mode(mode):
    if mode not in SQL_LOG_MODES:
        raise ValueError(f"Invalid sql_log_mode '{mode}'. Must be one of {list(SQL_LOG_MODES)}")
    return mode


def _first_name(pattern, sql):
    m = re.search(pattern, sql, re.IGNORECASE)
    return m.group(1).strip('`"') if m else "?"


def sql_summary(sql):
    """The one-line summary of a statement that the ``simple`` mode logs."""
    text = sql.strip()
    head = text.upper()
    if head.startswith("SELECT"):
        return "SELECT FROM " + _first_name(r'FROM\s+([`"]?\w+[`"]?)', text)
    if head.startswith("INSERT"):
        table = _first_name(r'INSERT\s+INTO\s+([`"]?\w+[`"]?)', text)
        rows = text.count("),(") + 1 if "VALUES" in head else 1
        return f"BATCH INSERT INTO {table} ({rows} rows)" if rows > 1 else f"INSERT INTO {table}"
    if head.startswith("UPDATE"):
        return "UPDATE " + _first_name(r'UPDATE\s+([`"]?\w+[`"]?)', text)
    if head.startswith("DELETE"):
        return "DELETE FROM " + _first_name(r'DELETE\s+FROM\s+([`"]?\w+[`"]?)', text)
    if head.startswith("CREATE"):
        if "INDEX" in head:
            return "CREATE INDEX ON " + _first_name(r'ON\s+([`"]?\w+[`"]?)', text)
        if "TABLE" in head:
            return "CREATE TABLE " + _first_name(r'CREATE\s+TABLE\s+([`"]?\w+[`"]?)', text)
        return "CREATE"
    if head.startswith("DROP"):
        if "TABLE" in head:
            return "DROP TABLE " + _first_name(
                r'DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([`"]?\w+[`"]?)', text)
        return "DROP INDEX" if "INDEX" in head else "DROP"
    if head.startswith("SET"):
        return "SET VARIABLE"
    return text[:50] + "..." if len(text) > 50 else text


class MatrixOneLogger:
    """The SDK's logger: connection events, errors and SQL statements (see the module
    docstring for the SQL modes)."""

    def __init__(self, logger=None, level=logging.INFO, format_string=None,
                 sql_log_mode="auto", slow_query_threshold=1.0, max_sql_display_length=500):
        self.sql_log_mode = _check_mode(sql_log_mode)
        self.slow_query_threshold = slow_query_threshold
        self.max_sql_display_length = max_sql_display_length
        self._is_custom = logger is not None
        self.logger = logger if logger is not None else self._default(level, format_string)

    @staticmethod
    def _default(level, format_string):
        logger = logging.getLogger("matrixone")
        if logger.handlers:
            return logger
        logger.setLevel(level)
        handler = logging.StreamHandler(sys.stdout)
        handler.setLevel(level)
        handler.setFormatter(logging.Formatter(format_string or _DEFAULT_FORMAT))
        logger.addHandler(handler)
        logger.propagate = False
        return logger

    def _emit(self, level, message, exc_info=None, depth=2):
        """One record, attributed to the caller's caller (the SDK code that logged)."""
        if not self.logger.isEnabledFor(level):
            return
        frame = sys._getframe(depth)
        record = self.logger.makeRecord(self.logger.name, level, frame.f_code.co_filename,
                                        frame.f_lineno, message, (), exc_info,
                                        frame.f_code.co_name)
        self.logger.handle(record)

    @staticmethod
    def _format_message(message, **context):
        if not context:
            return message
        return message + " | " + " | ".join(f"{k}={v}" for k, v in context.items())

    def debug(self, message, **context):
        """Log at DEBUG (``context`` appended as ``key=value``)."""
        self._emit(logging.DEBUG, self._format_message(message, **context))

    def info(self, message, **context):
        """Log at INFO."""
        self._emit(logging.INFO, self._format_message(message, **context))

    def warning(self, message, **context):
        """Log at WARNING."""
        self._emit(logging.WARNING, self._format_message(message, **context))

    def error(self, message, **context):
        """Log at ERROR."""
        self._emit(logging.ERROR, self._format_message(message, **context))

    def critical(self, message, **context):
        """Log at CRITICAL."""
        self._emit(logging.CRITICAL, self._format_message(message, **context))

    def log_connection(self, host, port, user, database, success=True):
        """A connection attempt and its outcome."""
        status = "✓ Connected" if success else "✗ Connection failed"
        self._emit(logging.INFO, self._format_message(f"{status} to MatrixOne", host=host,
                                                      port=port, user=user, database=database))

    def log_disconnection(self, success=True):
        """A disconnection and its outcome."""
        status = "✓ Disconnected" if success else "✗ Disconnection failed"
        self._emit(logging.INFO, f"{status} from MatrixOne")

    def log_error(self, error, context=None, include_traceback=False):
        """An exception, with an optional context ("Query execution") and traceback."""
        kind = type(error).__name__
        fields = {"error_type": kind, "error_message": str(error)}
        if context:
            fields["context"] = context
        self._emit(logging.ERROR, self._format_message(f"Error occurred: {kind}", **fields),
                   exc_info=sys.exc_info() if include_traceback else None)

    def _extract_sql_summary(self, sql):
        return sql_summary(sql)

    def _format_sql_for_log(self, sql, is_error=False, is_slow=False, log_mode=None):
        mode = log_mode if log_mode is not None else self.sql_log_mode
        if mode == "off":
            return ""
        text = sql.strip()
        if is_error or is_slow or mode == "full":
            return text
        if mode == "simple":
            return sql_summary(sql)
        if len(text) <= self.max_sql_display_length:
            return text
        return f"{sql_summary(sql)} [SQL length: {len(text)} chars]"

    def update_config(self, sql_log_mode=None, slow_query_threshold=None,
                      max_sql_display_length=None):
        """Change the SQL log settings at run time."""
        if sql_log_mode is not None:
            self.sql_log_mode = _check_mode(sql_log_mode)
        if slow_query_threshold is not None:
            if slow_query_threshold < 0:
                raise ValueError("slow_query_threshold must be non-negative")
            self.slow_query_threshold = slow_query_threshold
        if max_sql_display_length is not None:
            if max_sql_display_length < 1:
                raise ValueError("max_sql_display_length must be positive")
            self.max_sql_display_length = max_sql_display_length

    def log_query(self, query, execution_time=None, affected_rows=None, success=True,
                  log_mode=None):
        """A statement, its time and affected rows, shaped by the SQL log mode (``log_mode``
        overrides it for this one)."""
        mode = log_mode if log_mode is not None else self.sql_log_mode
        if mode == "off":
            return
        slow = execution_time is not None and execution_time >= self.slow_query_threshold
        shown = self._format_sql_for_log(str(query), not success, slow, mode)
        if not shown:
            return
        parts = ["✓" if success else "✗"]
        if execution_time is not None:
            parts.append(f"{execution_time:.3f}s")
        if affected_rows is not None:
            parts.append(f"{affected_rows} rows")
        parts.append(f"[ERROR] {shown}" if not success else f"[SLOW] {shown}" if slow else shown)
        self._emit(logging.ERROR if not success else logging.INFO, " | ".join(parts))

    def set_level(self, level):
        """Set the level of the logger and of its handlers."""
        self.logger.setLevel(level)
        for handler in self.logger.handlers:
            handler.setLevel(level)

    def add_handler(self, handler):
        """Add a logging handler."""
        self.logger.addHandler(handler)

    def remove_handler(self, handler):
        """Remove a logging handler."""
        self.logger.removeHandler(handler)

    def is_custom(self):
        """True when the logger was given (not the default "matrixone" one)."""
        return self._is_custom


def create_default_logger(level=logging.INFO, format_string=None, sql_log_mode="auto",
                          slow_query_threshold=1.0, max_sql_display_length=500):
    """A MatrixOneLogger on the logger "matrixone"."""
    return MatrixOneLogger(None, level, format_string, sql_log_mode, slow_query_threshold,
                           max_sql_display_length)


def create_custom_logger(logger, sql_log_mode="auto", slow_query_threshold=1.0,
                         max_sql_display_length=500):
    """A MatrixOneLogger on the given logging.Logger."""
    return MatrixOneLogger(logger, sql_log_mode=sql_log_mode,
                           slow_query_threshold=slow_query_threshold,
                           max_sql_display_length=max_sql_display_length)
