"""The MatrixOne managers, with the MatrixOne Python SDK's surface.

``client.snapshots``, ``client.clone``, ``client.branch``, ``client.restore``, ``client.pitr``,
``client.pubsub`` and ``client.account`` (and the same attributes on a session, where every
statement runs inside the session's transaction) have the SDK's method names, argument names
and defaults, and return records with the SDK's attribute names (``Snapshot``, ``Pitr``,
``Publication``, ``Subscription``, ``Account``, ``User``, ``Role``, ``Grant``) and lists as
Python lists, so an SDK user's manager code runs unchanged.

The SQL is built in C (capi/mocore/managers.h): names are always quoted identifiers and
values escaped literals, where the SDK pastes them raw (docs/managers.md lists the
differences). Errors are mocore's exceptions: bad input -> ``InvalidArgumentError``
(a ``ProgrammingError``), missing object -> ``NotFoundError``, a MatrixOne-only call on
MySQL/MariaDB -> ``UnsupportedError`` (a ``NotSupportedError``; nothing is sent), server
errors keep their category, code and SQLSTATE; ``e.operation`` names the method
("snapshots.create"). A dry-run client journals every statement, read-backs included.

Differences from the SDK's records: ``Snapshot.created_at`` is a timezone-aware UTC
``datetime`` (the SDK uses local time) and Snapshot also has ``ts`` (nanoseconds) and
``account``; the PITR, publication, subscription, account and user times are the server's
text; ``Subscription.status`` is the server's status column (the SDK always reports 0)."""

import datetime as _dt
import enum as _enum
from dataclasses import dataclass as _dataclass
from typing import Optional

from . import mocore_core as _core
from .errors import BY_CATEGORY as _BY_CATEGORY

__all__ = ["SnapshotLevel", "DiffOutput", "Snapshot", "Pitr", "Publication", "Subscription",
           "Account", "User", "Role", "Grant", "SnapshotManager", "CloneManager",
           "BranchManager", "RestoreManager", "PitrManager", "PubSubManager", "AccountManager"]


class SnapshotLevel(str, _enum.Enum):
    """Snapshot levels (strings are accepted too, case-insensitive)."""
    CLUSTER = "cluster"
    ACCOUNT = "account"
    DATABASE = "database"
    TABLE = "table"


class DiffOutput(str, _enum.Enum):
    """What ``branch.diff_table`` returns: the rows (default), their count, the first
    ``limit`` rows, or writes them to a file / a table."""
    ROWS = "rows"
    COUNT = "count"
    LIMIT = "limit"
    FILE = "file"
    AS_TABLE = "as_table"


_DIFF = {DiffOutput.ROWS: _core.MO_BRANCH_DIFF_ROWS, DiffOutput.COUNT: _core.MO_BRANCH_DIFF_COUNT,
         DiffOutput.LIMIT: _core.MO_BRANCH_DIFF_LIMIT, DiffOutput.FILE: _core.MO_BRANCH_DIFF_FILE,
         DiffOutput.AS_TABLE: _core.MO_BRANCH_DIFF_AS_TABLE}


# ---------------------------------------------------------------- records (SDK dataclasses)

@_dataclass
class Snapshot:
    name: str
    level: object
    created_at: Optional[_dt.datetime]
    description: Optional[str] = None
    database: Optional[str] = None
    table: Optional[str] = None
    ts: int = 0
    account: Optional[str] = None


@_dataclass
class Pitr:
    name: str
    created_time: Optional[str]
    modified_time: Optional[str]
    level: Optional[str]
    account_name: Optional[str] = None
    database_name: Optional[str] = None
    table_name: Optional[str] = None
    range_value: int = 1
    range_unit: str = "d"


@_dataclass
class Publication:
    name: str
    database: Optional[str]
    tables: Optional[str]
    sub_account: Optional[str]
    subscribed_accounts: Optional[str]
    created_time: Optional[str] = None
    update_time: Optional[str] = None
    comments: Optional[str] = None


@_dataclass
class Subscription:
    pub_name: str
    pub_account: Optional[str]
    pub_database: Optional[str]
    pub_tables: Optional[str]
    sub_name: Optional[str]
    pub_comment: Optional[str] = None
    pub_time: Optional[str] = None
    sub_time: Optional[str] = None
    status: int = 0


@_dataclass
class Account:
    name: str
    admin_name: Optional[str]
    created_time: Optional[str] = None
    status: Optional[str] = None
    comment: Optional[str] = None
    suspended_time: Optional[str] = None
    suspended_reason: Optional[str] = None


@_dataclass
class User:
    name: str
    host: Optional[str]
    account: Optional[str]
    created_time: Optional[str] = None
    status: Optional[str] = None
    comment: Optional[str] = None
    locked_time: Optional[str] = None
    locked_reason: Optional[str] = None


@_dataclass
class Role:
    name: str
    id: int
    created_time: Optional[str] = None
    comment: Optional[str] = None


@_dataclass
class Grant:
    grant_statement: str
    privilege: Optional[str] = None
    object_type: Optional[str] = None
    object_name: Optional[str] = None
    user: Optional[str] = None


# kind -> [(attribute, accessor)], from the one field table in bindings/mocore.i
_FIELDS = {}


def _fields(kind):
    f = _FIELDS.get(kind)
    if f is None:
        f = []
        for item in _core.mo_swig_record_fields(kind).split():
            attr, suffix, _t = item.split(":")
            f.append((attr, getattr(_core, f"mo_{kind}_{suffix}")))
        _FIELDS[kind] = f
    return f


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_LEVELS = {lv.value: lv for lv in SnapshotLevel}


def _to_record(cls, kind, h):
    values = {attr: get(h) for attr, get in _fields(kind)}
    if cls is Snapshot:
        ts = values["ts"]
        values["created_at"] = _EPOCH + _dt.timedelta(microseconds=ts // 1000) if ts else None
        values["level"] = _LEVELS.get(values["level"], values["level"])
    return cls(**values)


def _to_list(cls, kind, lst):
    # Items are borrowed from the list: copy each while `lst` is alive.
    get = getattr(_core, f"mo_{kind}_list_get")
    return [_to_record(cls, kind, get(lst, i))
            for i in range(getattr(_core, f"mo_{kind}_list_count")(lst))]


# ---------------------------------------------------------------- argument checks

def _bad(op, message):
    return _BY_CATEGORY["invalid_argument"](f"{message}", 0, "", op)


def _str(op, what, value, optional=False):
    if value is None:
        if optional:
            return None
        raise _bad(op, f"{what} is required (got None)")
    if isinstance(value, _enum.Enum):
        value = value.value
    if not isinstance(value, str):
        raise _bad(op, f"{what} must be a str, not {type(value).__name__}")
    return value


def _names(op, what, value, optional=False):
    """One name, a comma-separated string, or a list/tuple of names."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise _bad(op, f"{what} must not be empty")
        return ",".join(_str(op, what, v) for v in value)
    return _str(op, what, value, optional)


def _int(op, what, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(op, f"{what} must be an int, not {type(value).__name__}")
    return value


def _flag(op, what, value):
    if not isinstance(value, (bool, int)):
        raise _bad(op, f"{what} must be a bool, not {type(value).__name__}")
    return 1 if value else 0


def _tristate(op, what, value):
    """None -> -1 (leave), False -> 0, True -> 1."""
    return -1 if value is None else _flag(op, what, value)


class _Manager:
    """A manager bound to a client (autocommit) or a session (its transaction)."""

    __slots__ = ("_owner",)

    def __init__(self, owner):
        self._owner = owner

    def _ex(self):
        return self._owner._executor()


# ---------------------------------------------------------------- snapshots

class SnapshotManager(_Manager):
    """``client.snapshots`` (MatrixOne)."""

    def create(self, name, level, database=None, table=None, description=None):
        op = "snapshots.create"
        h = _core.mo_snapshots_create(self._ex(), _str(op, "name", name),
                                      _str(op, "level", level),
                                      _str(op, "database", database, True),
                                      _str(op, "table", table, True),
                                      _str(op, "description", description, True))
        return _to_record(Snapshot, "snapshot", h)

    def get(self, name):
        h = _core.mo_snapshots_get(self._ex(), _str("snapshots.get", "name", name))
        return _to_record(Snapshot, "snapshot", h)

    def list(self):
        return _to_list(Snapshot, "snapshot", _core.mo_snapshots_list(self._ex()))

    def delete(self, name):
        _core.mo_snapshots_delete(self._ex(), _str("snapshots.delete", "name", name))

    def exists(self, name):
        return bool(_core.mo_snapshots_exists(self._ex(), _str("snapshots.exists", "name", name)))


# ---------------------------------------------------------------- clone

class CloneManager(_Manager):
    """``client.clone`` (MatrixOne). Table names may be "db.table"."""

    def clone_database(self, target_db, source_db, snapshot_name=None, if_not_exists=False,
                       to_account=None):
        op = "clone.clone_database"
        _core.mo_clone_database(self._ex(), _str(op, "target_db", target_db),
                                _str(op, "source_db", source_db),
                                _str(op, "snapshot_name", snapshot_name, True),
                                _flag(op, "if_not_exists", if_not_exists),
                                _str(op, "to_account", to_account, True))

    def clone_table(self, target_table, source_table, snapshot_name=None, if_not_exists=False,
                    to_account=None):
        op = "clone.clone_table"
        _core.mo_clone_table(self._ex(), _str(op, "target_table", target_table),
                             _str(op, "source_table", source_table),
                             _str(op, "snapshot_name", snapshot_name, True),
                             _flag(op, "if_not_exists", if_not_exists),
                             _str(op, "to_account", to_account, True))

    def clone_database_with_snapshot(self, target_db, source_db, snapshot_name,
                                     if_not_exists=False):
        op = "clone.clone_database_with_snapshot"
        _core.mo_clone_database_with_snapshot(self._ex(), _str(op, "target_db", target_db),
                                              _str(op, "source_db", source_db),
                                              _str(op, "snapshot_name", snapshot_name),
                                              _flag(op, "if_not_exists", if_not_exists))

    def clone_table_with_snapshot(self, target_table, source_table, snapshot_name,
                                  if_not_exists=False):
        op = "clone.clone_table_with_snapshot"
        _core.mo_clone_table_with_snapshot(self._ex(), _str(op, "target_table", target_table),
                                           _str(op, "source_table", source_table),
                                           _str(op, "snapshot_name", snapshot_name),
                                           _flag(op, "if_not_exists", if_not_exists))


# ---------------------------------------------------------------- branch

def _model_name(op, what, obj):
    """A table name, or an ORM model (``__tablename__`` + ``__table_args__['schema']``)."""
    name = getattr(obj, "__tablename__", None)
    if name is None:
        return _str(op, what, obj)
    args = getattr(obj, "__table_args__", None)
    schema = args.get("schema") if isinstance(args, dict) else None
    return f"{schema}.{name}" if schema else name


class BranchManager(_Manager):
    """``client.branch`` (MatrixOne >= 3.0.5). Table names may be "db.table"."""

    def create_table_branch(self, target_table, source_table, snapshot_name=None,
                            to_account=None):
        op = "branch.create_table_branch"
        _core.mo_branch_create_table(self._ex(), _str(op, "target_table", target_table),
                                     _str(op, "source_table", source_table),
                                     _str(op, "snapshot_name", snapshot_name, True),
                                     _str(op, "to_account", to_account, True))

    def delete_table_branch(self, table):
        _core.mo_branch_delete_table(self._ex(),
                                     _str("branch.delete_table_branch", "table", table))

    def create_database_branch(self, target_database, source_database):
        op = "branch.create_database_branch"
        _core.mo_branch_create_database(self._ex(), _str(op, "target_database", target_database),
                                        _str(op, "source_database", source_database))

    def delete_database_branch(self, database):
        _core.mo_branch_delete_database(
            self._ex(), _str("branch.delete_database_branch", "database", database))

    def diff_table(self, table, against_table, snapshot_name=None, output=DiffOutput.ROWS, *,
                   table_snapshot=None, limit=None, output_file=None, output_table=None):
        """``data branch diff table against against_table{snapshot=snapshot_name}``; returns
        the rows as a list of tuples. ``output``: DiffOutput or its value; LIMIT takes
        ``limit``, FILE ``output_file``, AS_TABLE ``output_table``. ``table_snapshot`` reads
        ``table`` at a snapshot too (the SDK's builder)."""
        op = "branch.diff_table"
        try:
            mode = DiffOutput(getattr(output, "value", output))
        except ValueError:
            raise _bad(op, f"output must be one of {[d.value for d in DiffOutput]}, got {output!r}") from None
        target = None
        if mode is DiffOutput.FILE:
            target = _str(op, "output_file", output_file)
        elif mode is DiffOutput.AS_TABLE:
            target = _str(op, "output_table", output_table)
        n = _int(op, "limit", limit) if mode is DiffOutput.LIMIT else 0
        if n < 0:
            raise _bad(op, "limit must be >= 0")
        h = _core.mo_branch_diff_table(self._ex(), _str(op, "table", table),
                                       _str(op, "table_snapshot", table_snapshot, True),
                                       _str(op, "against_table", against_table),
                                       _str(op, "snapshot_name", snapshot_name, True),
                                       _DIFF[mode], n, target)
        from . import Result
        return Result(h).fetchall()

    def merge_table(self, source_table, target_table, on_conflict="skip"):
        op = "branch.merge_table"
        _core.mo_branch_merge_table(self._ex(), _str(op, "source_table", source_table),
                                    _str(op, "target_table", target_table),
                                    _str(op, "on_conflict", on_conflict))

    # the SDK's conveniences, which also take ORM models
    def create(self, target, source, snapshot=None, database=False):
        if database:
            return self.create_database_branch(target, source)
        op = "branch.create_table_branch"
        return self.create_table_branch(_model_name(op, "target_table", target),
                                        _model_name(op, "source_table", source), snapshot)

    def delete(self, name, database=False):
        if database:
            return self.delete_database_branch(name)
        return self.delete_table_branch(_model_name("branch.delete_table_branch", "table", name))

    def diff(self, table, against, snapshot=None, output=DiffOutput.ROWS):
        op = "branch.diff_table"
        return self.diff_table(_model_name(op, "table", table),
                               _model_name(op, "against_table", against), snapshot, output)

    def merge(self, source, target, on_conflict="skip"):
        op = "branch.merge_table"
        return self.merge_table(_model_name(op, "source_table", source),
                                _model_name(op, "target_table", target), on_conflict)


# ---------------------------------------------------------------- restore

class RestoreManager(_Manager):
    """``client.restore`` (MatrixOne). Each returns True."""

    def restore_cluster(self, snapshot_name):
        _core.mo_restore_cluster(self._ex(),
                                 _str("restore.restore_cluster", "snapshot_name", snapshot_name))
        return True

    def restore_tenant(self, snapshot_name, account_name, to_account=None):
        op = "restore.restore_tenant"
        _core.mo_restore_tenant(self._ex(), _str(op, "snapshot_name", snapshot_name),
                                _str(op, "account_name", account_name),
                                _str(op, "to_account", to_account, True))
        return True

    def restore_database(self, snapshot_name, account_name, database_name, to_account=None):
        op = "restore.restore_database"
        _core.mo_restore_database(self._ex(), _str(op, "snapshot_name", snapshot_name),
                                  _str(op, "account_name", account_name),
                                  _str(op, "database_name", database_name),
                                  _str(op, "to_account", to_account, True))
        return True

    def restore_table(self, snapshot_name, account_name, database_name, table_name,
                      to_account=None):
        op = "restore.restore_table"
        _core.mo_restore_table(self._ex(), _str(op, "snapshot_name", snapshot_name),
                               _str(op, "account_name", account_name),
                               _str(op, "database_name", database_name),
                               _str(op, "table_name", table_name),
                               _str(op, "to_account", to_account, True))
        return True


# ---------------------------------------------------------------- PITR

class PitrManager(_Manager):
    """``client.pitr`` (MatrixOne). range_value 1..100, range_unit "h", "d", "mo" or "y"."""

    def create_cluster_pitr(self, name, range_value=1, range_unit="d"):
        op = "pitr.create_cluster_pitr"
        h = _core.mo_pitr_create_cluster(self._ex(), _str(op, "name", name),
                                         _int(op, "range_value", range_value),
                                         _str(op, "range_unit", range_unit))
        return _to_record(Pitr, "pitr", h)

    def create_account_pitr(self, name, account_name=None, range_value=1, range_unit="d"):
        op = "pitr.create_account_pitr"
        h = _core.mo_pitr_create_account(self._ex(), _str(op, "name", name),
                                         _str(op, "account_name", account_name, True),
                                         _int(op, "range_value", range_value),
                                         _str(op, "range_unit", range_unit))
        return _to_record(Pitr, "pitr", h)

    def create_database_pitr(self, name, database_name, range_value=1, range_unit="d"):
        op = "pitr.create_database_pitr"
        h = _core.mo_pitr_create_database(self._ex(), _str(op, "name", name),
                                          _str(op, "database_name", database_name),
                                          _int(op, "range_value", range_value),
                                          _str(op, "range_unit", range_unit))
        return _to_record(Pitr, "pitr", h)

    def create_table_pitr(self, name, database_name, table_name, range_value=1, range_unit="d"):
        op = "pitr.create_table_pitr"
        h = _core.mo_pitr_create_table(self._ex(), _str(op, "name", name),
                                       _str(op, "database_name", database_name),
                                       _str(op, "table_name", table_name),
                                       _int(op, "range_value", range_value),
                                       _str(op, "range_unit", range_unit))
        return _to_record(Pitr, "pitr", h)

    def get(self, name):
        return _to_record(Pitr, "pitr", _core.mo_pitr_get(self._ex(), _str("pitr.get", "name", name)))

    def list(self, level=None, account_name=None, database_name=None, table_name=None):
        op = "pitr.list"
        lst = _core.mo_pitr_list_pitrs(self._ex(), _str(op, "level", level, True),
                                       _str(op, "account_name", account_name, True),
                                       _str(op, "database_name", database_name, True),
                                       _str(op, "table_name", table_name, True))
        return _to_list(Pitr, "pitr", lst)

    def alter(self, name, range_value, range_unit):
        op = "pitr.alter"
        h = _core.mo_pitr_alter(self._ex(), _str(op, "name", name),
                                _int(op, "range_value", range_value),
                                _str(op, "range_unit", range_unit))
        return _to_record(Pitr, "pitr", h)

    def delete(self, name):
        _core.mo_pitr_delete(self._ex(), _str("pitr.delete", "name", name))
        return True


# ---------------------------------------------------------------- publications / subscriptions

class PubSubManager(_Manager):
    """``client.pubsub`` (MatrixOne). ``account`` is one account, a comma-separated string,
    a list of accounts, or "all"; ``table`` likewise."""

    def create_database_publication(self, name, database, account):
        op = "pubsub.create_database_publication"
        h = _core.mo_pubsub_create_database_publication(
            self._ex(), _str(op, "name", name), _str(op, "database", database),
            _names(op, "account", account))
        return _to_record(Publication, "publication", h)

    def create_table_publication(self, name, database, table, account):
        op = "pubsub.create_table_publication"
        h = _core.mo_pubsub_create_table_publication(
            self._ex(), _str(op, "name", name), _str(op, "database", database),
            _names(op, "table", table), _names(op, "account", account))
        return _to_record(Publication, "publication", h)

    def get_publication(self, name):
        h = _core.mo_pubsub_get_publication(self._ex(),
                                            _str("pubsub.get_publication", "name", name))
        return _to_record(Publication, "publication", h)

    def list_publications(self, account=None, database=None):
        op = "pubsub.list_publications"
        lst = _core.mo_pubsub_list_publications(self._ex(), _str(op, "account", account, True),
                                                _str(op, "database", database, True))
        return _to_list(Publication, "publication", lst)

    def alter_publication(self, name, account=None, database=None, table=None):
        op = "pubsub.alter_publication"
        h = _core.mo_pubsub_alter_publication(
            self._ex(), _str(op, "name", name), _names(op, "account", account, True),
            _str(op, "database", database, True), _names(op, "table", table, True))
        return _to_record(Publication, "publication", h)

    def drop_publication(self, name):
        _core.mo_pubsub_drop_publication(self._ex(), _str("pubsub.drop_publication", "name", name))
        return True

    def show_create_publication(self, name):
        return _core.mo_pubsub_show_create_publication(
            self._ex(), _str("pubsub.show_create_publication", "name", name))

    def create_subscription(self, subscription_name, publication_name, publisher_account):
        op = "pubsub.create_subscription"
        h = _core.mo_pubsub_create_subscription(
            self._ex(), _str(op, "subscription_name", subscription_name),
            _str(op, "publication_name", publication_name),
            _str(op, "publisher_account", publisher_account))
        return _to_record(Subscription, "subscription", h)

    def get_subscription(self, name):
        h = _core.mo_pubsub_get_subscription(self._ex(),
                                             _str("pubsub.get_subscription", "name", name))
        return _to_record(Subscription, "subscription", h)

    def list_subscriptions(self, pub_account=None, pub_database=None):
        op = "pubsub.list_subscriptions"
        lst = _core.mo_pubsub_list_subscriptions(self._ex(),
                                                 _str(op, "pub_account", pub_account, True),
                                                 _str(op, "pub_database", pub_database, True))
        return _to_list(Subscription, "subscription", lst)


# ---------------------------------------------------------------- accounts, users, roles, grants

class AccountManager(_Manager):
    """``client.account``. Account DDL is MatrixOne-only; users, roles and grants also run on
    MySQL/MariaDB."""

    def create_account(self, account_name, admin_name, password, comment=None):
        op = "account.create_account"
        h = _core.mo_account_create_account(self._ex(), _str(op, "account_name", account_name),
                                            _str(op, "admin_name", admin_name),
                                            _str(op, "password", password),
                                            _str(op, "comment", comment, True))
        return _to_record(Account, "account", h)

    def drop_account(self, account_name, if_exists=False):
        op = "account.drop_account"
        _core.mo_account_drop_account(self._ex(), _str(op, "account_name", account_name),
                                      _flag(op, "if_exists", if_exists))

    def alter_account(self, account_name, comment=None, suspend=None, suspend_reason=None):
        op = "account.alter_account"
        h = _core.mo_account_alter_account(self._ex(), _str(op, "account_name", account_name),
                                           _str(op, "comment", comment, True),
                                           _tristate(op, "suspend", suspend),
                                           _str(op, "suspend_reason", suspend_reason, True))
        return _to_record(Account, "account", h)

    def get_account(self, account_name):
        h = _core.mo_account_get_account(
            self._ex(), _str("account.get_account", "account_name", account_name))
        return _to_record(Account, "account", h)

    def list_accounts(self):
        return _to_list(Account, "account", _core.mo_account_list_accounts(self._ex()))

    def create_user(self, user_name, password, comment=None):
        op = "account.create_user"
        h = _core.mo_account_create_user(self._ex(), _str(op, "user_name", user_name),
                                         _str(op, "password", password),
                                         _str(op, "comment", comment, True))
        return _to_record(User, "user", h)

    def drop_user(self, user_name, if_exists=False):
        op = "account.drop_user"
        _core.mo_account_drop_user(self._ex(), _str(op, "user_name", user_name),
                                   _flag(op, "if_exists", if_exists))

    def alter_user(self, user_name, password=None, comment=None, lock=None, lock_reason=None):
        op = "account.alter_user"
        h = _core.mo_account_alter_user(self._ex(), _str(op, "user_name", user_name),
                                        _str(op, "password", password, True),
                                        _str(op, "comment", comment, True),
                                        _tristate(op, "lock", lock),
                                        _str(op, "lock_reason", lock_reason, True))
        return _to_record(User, "user", h)

    def get_current_user(self):
        return _to_record(User, "user", _core.mo_account_get_current_user(self._ex()))

    def list_users(self):
        return _to_list(User, "user", _core.mo_account_list_users(self._ex()))

    def create_role(self, role_name, comment=None):
        op = "account.create_role"
        h = _core.mo_account_create_role(self._ex(), _str(op, "role_name", role_name),
                                         _str(op, "comment", comment, True))
        return _to_record(Role, "role", h)

    def drop_role(self, role_name, if_exists=False):
        op = "account.drop_role"
        _core.mo_account_drop_role(self._ex(), _str(op, "role_name", role_name),
                                   _flag(op, "if_exists", if_exists))

    def get_role(self, role_name):
        h = _core.mo_account_get_role(self._ex(), _str("account.get_role", "role_name", role_name))
        return _to_record(Role, "role", h)

    def list_roles(self):
        return _to_list(Role, "role", _core.mo_account_list_roles(self._ex()))

    def grant_privilege(self, privilege, object_type, object_name, to_user=None, to_role=None):
        op = "account.grant_privilege"
        _core.mo_account_grant_privilege(self._ex(), _str(op, "privilege", privilege),
                                         _str(op, "object_type", object_type, True),
                                         _str(op, "object_name", object_name),
                                         _str(op, "to_user", to_user, True),
                                         _str(op, "to_role", to_role, True))

    def revoke_privilege(self, privilege, object_type, object_name, from_user=None,
                         from_role=None):
        op = "account.revoke_privilege"
        _core.mo_account_revoke_privilege(self._ex(), _str(op, "privilege", privilege),
                                          _str(op, "object_type", object_type, True),
                                          _str(op, "object_name", object_name),
                                          _str(op, "from_user", from_user, True),
                                          _str(op, "from_role", from_role, True))

    def grant_role(self, role_name, to_user):
        op = "account.grant_role"
        _core.mo_account_grant_role(self._ex(), _str(op, "role_name", role_name),
                                    _str(op, "to_user", to_user))

    def revoke_role(self, role_name, from_user):
        op = "account.revoke_role"
        _core.mo_account_revoke_role(self._ex(), _str(op, "role_name", role_name),
                                     _str(op, "from_user", from_user))

    def list_grants(self, user=None):
        lst = _core.mo_account_list_grants(self._ex(),
                                           _str("account.list_grants", "user", user, True))
        return _to_list(Grant, "grant", lst)


class _Managers:
    """The manager attributes shared by Client and Session (mixin)."""

    @property
    def snapshots(self):
        return SnapshotManager(self)

    @property
    def clone(self):
        return CloneManager(self)

    @property
    def branch(self):
        return BranchManager(self)

    @property
    def restore(self):
        return RestoreManager(self)

    @property
    def pitr(self):
        return PitrManager(self)

    @property
    def pubsub(self):
        return PubSubManager(self)

    @property
    def account(self):
        return AccountManager(self)
