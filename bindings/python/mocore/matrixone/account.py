"""Accounts, users, roles and grants, as the SDK's matrixone.account:
``client.account.create_account(account_name, admin_name, password, comment=None)``...

The SQL is mocore's account manager's (src/managers/account.c): names quoted identifiers,
passwords and comments escaped literals. Account, User, Role and Grant are mocore's records
(the SDK's fields, in the SDK's order). Errors are AccountError."""

from typing import List, Optional

from mocore.managers import Account, Grant, Role, User

from ._manager import AsyncManager, SyncManager, delegate
from .exceptions import AccountError

__all__ = ["Account", "User", "Role", "Grant", "AccountManager", "AsyncAccountManager"]


def _do(what, method, *args, **kwargs):
    return delegate(AccountError, what, "account", method, *args, **kwargs)


def current_account_from_results(accounts):
    """The current account, from the rows of SHOW ACCOUNTS: sys sees every account, any
    other account only itself (no row: "sys")."""
    if len(accounts) == 1:
        return accounts[0][0]
    return "sys"


class _Plans:
    @staticmethod
    def create_account(account_name, admin_name, password, comment):
        return _do(f"Failed to create account '{account_name}'", "create_account", account_name,
                   admin_name, password, comment)

    @staticmethod
    def drop_account(account_name, if_exists):
        return _do(f"Failed to drop account '{account_name}'", "drop_account", account_name,
                   if_exists=bool(if_exists))

    @staticmethod
    def alter_account(account_name, comment, suspend, suspend_reason):
        return _do(f"Failed to alter account '{account_name}'", "alter_account", account_name,
                   comment=comment, suspend=suspend, suspend_reason=suspend_reason)

    @staticmethod
    def get_account(account_name):
        return _do(f"Failed to get account '{account_name}'", "get_account", account_name)

    @staticmethod
    def list_accounts():
        return _do("Failed to list accounts", "list_accounts")

    @staticmethod
    def create_user(user_name, password, comment):
        return _do(f"Failed to create user '{user_name}'", "create_user", user_name, password,
                   comment)

    @staticmethod
    def drop_user(user_name, if_exists):
        return _do(f"Failed to drop user '{user_name}'", "drop_user", user_name,
                   if_exists=bool(if_exists))

    @staticmethod
    def alter_user(user_name, password, comment, lock, lock_reason):
        return _do(f"Failed to alter user '{user_name}'", "alter_user", user_name,
                   password=password, comment=comment, lock=lock, lock_reason=lock_reason)

    @staticmethod
    def get_current_user():
        return _do("Failed to get current user", "get_current_user")

    @staticmethod
    def list_users():
        return _do("Failed to list users", "list_users")

    @staticmethod
    def create_role(role_name, comment):
        return _do(f"Failed to create role '{role_name}'", "create_role", role_name, comment)

    @staticmethod
    def drop_role(role_name, if_exists):
        return _do(f"Failed to drop role '{role_name}'", "drop_role", role_name,
                   if_exists=bool(if_exists))

    @staticmethod
    def get_role(role_name):
        return _do(f"Failed to get role '{role_name}'", "get_role", role_name)

    @staticmethod
    def list_roles():
        return _do("Failed to list roles", "list_roles")

    @staticmethod
    def grant_privilege(privilege, object_type, object_name, to_user, to_role):
        return _do(f"Failed to grant privilege '{privilege}'", "grant_privilege", privilege,
                   object_type, object_name, to_user=to_user, to_role=to_role)

    @staticmethod
    def revoke_privilege(privilege, object_type, object_name, from_user, from_role):
        return _do(f"Failed to revoke privilege '{privilege}'", "revoke_privilege", privilege,
                   object_type, object_name, from_user=from_user, from_role=from_role)

    @staticmethod
    def grant_role(role_name, to_user):
        return _do(f"Failed to grant role '{role_name}'", "grant_role", role_name, to_user)

    @staticmethod
    def revoke_role(role_name, from_user):
        return _do(f"Failed to revoke role '{role_name}'", "revoke_role", role_name, from_user)

    @staticmethod
    def list_grants(user):
        return _do("Failed to list grants", "list_grants", user)


class AccountManager(SyncManager):
    """``client.account`` / ``session.account`` (also ``AccountManager(client)``)."""

    _error = AccountError

    def create_account(self, account_name: str, admin_name: str, password: str,
                       comment: Optional[str] = None) -> Account:
        return self._run(_Plans.create_account(account_name, admin_name, password, comment))

    def drop_account(self, account_name: str, if_exists: bool = False) -> None:
        return self._run(_Plans.drop_account(account_name, if_exists))

    def alter_account(self, account_name: str, comment: Optional[str] = None,
                      suspend: Optional[bool] = None,
                      suspend_reason: Optional[str] = None) -> Account:
        return self._run(_Plans.alter_account(account_name, comment, suspend, suspend_reason))

    def get_account(self, account_name: str) -> Account:
        return self._run(_Plans.get_account(account_name))

    def list_accounts(self) -> List[Account]:
        return self._run(_Plans.list_accounts())

    def create_user(self, user_name: str, password: str, comment: Optional[str] = None) -> User:
        return self._run(_Plans.create_user(user_name, password, comment))

    def drop_user(self, user_name: str, if_exists: bool = False) -> None:
        return self._run(_Plans.drop_user(user_name, if_exists))

    def alter_user(self, user_name: str, password: Optional[str] = None,
                   comment: Optional[str] = None, lock: Optional[bool] = None,
                   lock_reason: Optional[str] = None) -> User:
        return self._run(_Plans.alter_user(user_name, password, comment, lock, lock_reason))

    def get_current_user(self) -> User:
        return self._run(_Plans.get_current_user())

    def list_users(self) -> List[User]:
        return self._run(_Plans.list_users())

    def create_role(self, role_name: str, comment: Optional[str] = None) -> Role:
        return self._run(_Plans.create_role(role_name, comment))

    def drop_role(self, role_name: str, if_exists: bool = False) -> None:
        return self._run(_Plans.drop_role(role_name, if_exists))

    def get_role(self, role_name: str) -> Role:
        return self._run(_Plans.get_role(role_name))

    def list_roles(self) -> List[Role]:
        return self._run(_Plans.list_roles())

    def grant_privilege(self, privilege: str, object_type: str, object_name: str,
                        to_user: Optional[str] = None, to_role: Optional[str] = None) -> None:
        return self._run(_Plans.grant_privilege(privilege, object_type, object_name, to_user,
                                                to_role))

    def revoke_privilege(self, privilege: str, object_type: str, object_name: str,
                         from_user: Optional[str] = None, from_role: Optional[str] = None) -> None:
        return self._run(_Plans.revoke_privilege(privilege, object_type, object_name, from_user,
                                                 from_role))

    def grant_role(self, role_name: str, to_user: str) -> None:
        return self._run(_Plans.grant_role(role_name, to_user))

    def revoke_role(self, role_name: str, from_user: str) -> None:
        return self._run(_Plans.revoke_role(role_name, from_user))

    def list_grants(self, user: Optional[str] = None) -> List[Grant]:
        return self._run(_Plans.list_grants(user))

    def _get_current_account_from_results(self, accounts) -> str:
        return current_account_from_results(accounts)


class AsyncAccountManager(AsyncManager):
    """The asyncio twin of AccountManager."""

    _error = AccountError

    async def create_account(self, account_name: str, admin_name: str, password: str,
                             comment: Optional[str] = None) -> Account:
        return await self._run(_Plans.create_account(account_name, admin_name, password, comment))

    async def drop_account(self, account_name: str, if_exists: bool = False) -> None:
        return await self._run(_Plans.drop_account(account_name, if_exists))

    async def alter_account(self, account_name: str, comment: Optional[str] = None,
                            suspend: Optional[bool] = None,
                            suspend_reason: Optional[str] = None) -> Account:
        return await self._run(_Plans.alter_account(account_name, comment, suspend,
                                                    suspend_reason))

    async def get_account(self, account_name: str) -> Account:
        return await self._run(_Plans.get_account(account_name))

    async def list_accounts(self) -> List[Account]:
        return await self._run(_Plans.list_accounts())

    async def create_user(self, user_name: str, password: str,
                          comment: Optional[str] = None) -> User:
        return await self._run(_Plans.create_user(user_name, password, comment))

    async def drop_user(self, user_name: str, if_exists: bool = False) -> None:
        return await self._run(_Plans.drop_user(user_name, if_exists))

    async def alter_user(self, user_name: str, password: Optional[str] = None,
                         comment: Optional[str] = None, lock: Optional[bool] = None,
                         lock_reason: Optional[str] = None) -> User:
        return await self._run(_Plans.alter_user(user_name, password, comment, lock, lock_reason))

    async def get_current_user(self) -> User:
        return await self._run(_Plans.get_current_user())

    async def list_users(self) -> List[User]:
        return await self._run(_Plans.list_users())

    async def create_role(self, role_name: str, comment: Optional[str] = None) -> Role:
        return await self._run(_Plans.create_role(role_name, comment))

    async def drop_role(self, role_name: str, if_exists: bool = False) -> None:
        return await self._run(_Plans.drop_role(role_name, if_exists))

    async def get_role(self, role_name: str) -> Role:
        return await self._run(_Plans.get_role(role_name))

    async def list_roles(self) -> List[Role]:
        return await self._run(_Plans.list_roles())

    async def grant_privilege(self, privilege: str, object_type: str, object_name: str,
                              to_user: Optional[str] = None, to_role: Optional[str] = None) -> None:
        return await self._run(_Plans.grant_privilege(privilege, object_type, object_name,
                                                      to_user, to_role))

    async def revoke_privilege(self, privilege: str, object_type: str, object_name: str,
                               from_user: Optional[str] = None,
                               from_role: Optional[str] = None) -> None:
        return await self._run(_Plans.revoke_privilege(privilege, object_type, object_name,
                                                       from_user, from_role))

    async def grant_role(self, role_name: str, to_user: str) -> None:
        return await self._run(_Plans.grant_role(role_name, to_user))

    async def revoke_role(self, role_name: str, from_user: str) -> None:
        return await self._run(_Plans.revoke_role(role_name, from_user))

    async def list_grants(self, user: Optional[str] = None) -> List[Grant]:
        return await self._run(_Plans.list_grants(user))

    def _get_current_account_from_results(self, accounts) -> str:
        return current_account_from_results(accounts)
