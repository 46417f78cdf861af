"""The SDK's ``matrixone.async_orm``: AsyncMatrixOneQuery, the query builder of AsyncClient,
AsyncSession and the async transaction (``await client.query(User).filter_by(...).all()``).
It is defined in mocore.matrixone.orm next to its blocking twin (one statement builder for
both); this module is its SDK address."""

from .orm import AsyncMatrixOneQuery, BaseMatrixOneQuery, query_for as _query_for

__all__ = ["AsyncMatrixOneQuery", "BaseMatrixOneQuery", "query_for"]


def query_for(client, *columns, snapshot=None, transaction_wrapper=None):
    """The AsyncMatrixOneQuery of ``query(*columns, snapshot=...)`` on ``client`` (run on
    ``transaction_wrapper`` when given: a session or transaction)."""
    return _query_for(client, *columns, snapshot=snapshot,
                      transaction_wrapper=transaction_wrapper, query_class=AsyncMatrixOneQuery)
