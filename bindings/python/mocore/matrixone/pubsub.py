"""Publications and subscriptions, as the SDK's matrixone.pubsub:
``client.pubsub.create_database_publication(name, database, account)``...

The SQL is mocore's pubsub manager's (src/managers/pubsub.c): names and account lists
quoted, filters bound. Publication and Subscription are mocore's records (the SDK's fields,
in the SDK's order). Errors are PubSubError."""

from typing import List, Optional

from mocore.managers import Publication, Subscription

from ._manager import AsyncManager, SyncManager, delegate
from .exceptions import PubSubError

__all__ = ["Publication", "Subscription", "PubSubManager", "AsyncPubSubManager"]


def _do(what, method, *args, **kwargs):
    return delegate(PubSubError, what, "pubsub", method, *args, **kwargs)


def _get(kind, method, name):
    try:
        return (yield from _do(f"Failed to get {kind.lower()} '{name}'", method, name))
    except PubSubError as err:
        if getattr(err, "category", None) == "not_found":
            err._sdk_text = f"{kind} '{name}' not found"
        raise


class _Plans:
    """The plans of both managers (each method returns a generator for _run)."""

    @staticmethod
    def create_database_publication(name, database, account):
        return _do(f"Failed to create database publication '{name}'",
                   "create_database_publication", name, database, account)

    @staticmethod
    def create_table_publication(name, database, table, account):
        return _do(f"Failed to create table publication '{name}'", "create_table_publication",
                   name, database, table, account)

    @staticmethod
    def get_publication(name):
        return _get("Publication", "get_publication", name)

    @staticmethod
    def list_publications(account, database):
        return _do("Failed to list publications", "list_publications", account=account,
                   database=database)

    @staticmethod
    def alter_publication(name, account, database, table):
        return _do(f"Failed to alter publication '{name}'", "alter_publication", name,
                   account=account, database=database, table=table)

    @staticmethod
    def drop_publication(name):
        return _do(f"Failed to drop publication '{name}'", "drop_publication", name)

    @staticmethod
    def show_create_publication(name):
        return _do(f"Failed to show create publication '{name}'", "show_create_publication", name)

    @staticmethod
    def create_subscription(subscription_name, publication_name, publisher_account):
        return _do(f"Failed to create subscription '{subscription_name}'", "create_subscription",
                   subscription_name, publication_name, publisher_account)

    @staticmethod
    def get_subscription(name):
        return _get("Subscription", "get_subscription", name)

    @staticmethod
    def list_subscriptions(pub_account, pub_database):
        return _do("Failed to list subscriptions", "list_subscriptions", pub_account=pub_account,
                   pub_database=pub_database)


class PubSubManager(SyncManager):
    """``client.pubsub`` / ``session.pubsub``."""

    _error = PubSubError

    def create_database_publication(self, name: str, database: str, account: str) -> Publication:
        return self._run(_Plans.create_database_publication(name, database, account))

    def create_table_publication(self, name: str, database: str, table: str,
                                 account: str) -> Publication:
        return self._run(_Plans.create_table_publication(name, database, table, account))

    def get_publication(self, name: str) -> Publication:
        return self._run(_Plans.get_publication(name))

    def list_publications(self, account: Optional[str] = None,
                          database: Optional[str] = None) -> List[Publication]:
        return self._run(_Plans.list_publications(account, database))

    def alter_publication(self, name: str, account: Optional[str] = None,
                          database: Optional[str] = None, table: Optional[str] = None) -> Publication:
        return self._run(_Plans.alter_publication(name, account, database, table))

    def drop_publication(self, name: str) -> bool:
        return self._run(_Plans.drop_publication(name))

    def show_create_publication(self, name: str) -> str:
        return self._run(_Plans.show_create_publication(name))

    def create_subscription(self, subscription_name: str, publication_name: str,
                            publisher_account: str) -> Subscription:
        return self._run(_Plans.create_subscription(subscription_name, publication_name,
                                                    publisher_account))

    def get_subscription(self, name: str) -> Subscription:
        return self._run(_Plans.get_subscription(name))

    def list_subscriptions(self, pub_account: Optional[str] = None,
                           pub_database: Optional[str] = None) -> List[Subscription]:
        return self._run(_Plans.list_subscriptions(pub_account, pub_database))


class AsyncPubSubManager(AsyncManager):
    """The asyncio twin of PubSubManager."""

    _error = PubSubError

    async def create_database_publication(self, name: str, database: str,
                                          account: str) -> Publication:
        return await self._run(_Plans.create_database_publication(name, database, account))

    async def create_table_publication(self, name: str, database: str, table: str,
                                       account: str) -> Publication:
        return await self._run(_Plans.create_table_publication(name, database, table, account))

    async def get_publication(self, name: str) -> Publication:
        return await self._run(_Plans.get_publication(name))

    async def list_publications(self, account: Optional[str] = None,
                                database: Optional[str] = None) -> List[Publication]:
        return await self._run(_Plans.list_publications(account, database))

    async def alter_publication(self, name: str, account: Optional[str] = None,
                                database: Optional[str] = None,
                                table: Optional[str] = None) -> Publication:
        return await self._run(_Plans.alter_publication(name, account, database, table))

    async def drop_publication(self, name: str) -> bool:
        return await self._run(_Plans.drop_publication(name))

    async def show_create_publication(self, name: str) -> str:
        return await self._run(_Plans.show_create_publication(name))

    async def create_subscription(self, subscription_name: str, publication_name: str,
                                  publisher_account: str) -> Subscription:
        return await self._run(_Plans.create_subscription(subscription_name, publication_name,
                                                          publisher_account))

    async def get_subscription(self, name: str) -> Subscription:
        return await self._run(_Plans.get_subscription(name))

    async def list_subscriptions(self, pub_account: Optional[str] = None,
                                 pub_database: Optional[str] = None) -> List[Subscription]:
        return await self._run(_Plans.list_subscriptions(pub_account, pub_database))
