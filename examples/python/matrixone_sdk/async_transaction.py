"""The MatrixOne SDK's asyncio API on mocore: AsyncClient, and the unified transaction of the
SDK's documents -- ORM work, raw SQL and manager calls in ONE transaction that commits or
vanishes as a whole. On MatrixOne the transaction also clones the table, and a snapshot is
taken after it.

    MOCORE_URL=matrixone://root:111@127.0.0.1:6001/test python3 async_transaction.py
    python3 async_transaction.py mysql://root@127.0.0.1:3306/test     # MariaDB runs it too
"""
import asyncio
import os
import sys
from urllib.parse import unquote, urlsplit

from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

from mocore.matrixone import AsyncClient, SnapshotLevel

Base = declarative_base()


class User(Base):
    __tablename__ = "async_example_users"
    id = Column(Integer, primary_key=True, autoincrement=True)
    name = Column(String(100), nullable=False)
    email = Column(String(100), nullable=False, unique=True)


async def names(client):
    rs = await client.execute("SELECT name FROM async_example_users ORDER BY name")
    return [row[0] for row in rs.rows]


async def main(url):
    u = urlsplit(url)
    client = AsyncClient(sql_log_mode="off")
    await client.connect(host=u.hostname, port=u.port or 3306, user=unquote(u.username or "root"),
                         password=unquote(u.password or ""), database=u.path.lstrip("/"),
                         on_connect=[])
    matrixone = client.get_backend_version() is not None and "MatrixOne" in await client.version()
    await client.drop_all(Base)
    await client.create_all(Base)

    # 1. ORM, raw SQL and a manager in one transaction: all committed at the end of the block
    async with client.transaction() as tx:
        session = await tx.get_sqlalchemy_session()          # a synchronous SQLAlchemy Session
        session.add(User(name="Alice", email="alice@example.com"))
        session.flush()
        await tx.execute("INSERT INTO async_example_users (name, email) VALUES (%s, %s)",
                         ("Bob", "bob@example.com"))
        await tx.batch_insert(User, [{"name": "Carol", "email": "carol@example.com"}])
        if matrixone:          # a MatrixOne manager in the same transaction: the copy
            await tx.clone.clone_table("async_example_copy", "async_example_users")  # has 3 rows
        print("inside the transaction, others see:", await names(client))
    print("after commit:", await names(client))
    if matrixone:
        # MatrixOne 4.2 refuses CREATE SNAPSHOT inside a transaction (error 20101): take it in
        # autocommit, through the client
        await client.snapshots.create(name="async_example_snap", level=SnapshotLevel.TABLE,
                                      database=u.path.lstrip("/"), table="async_example_users")
        copied = await client.execute("SELECT COUNT(*) FROM async_example_copy")
        print("rows in the clone:", copied.scalar())

    # 2. an error anywhere rolls everything of the block back
    try:
        async with client.transaction() as tx:
            (await tx.get_sqlalchemy_session()).add(User(name="Dan", email="dan@example.com"))
            await tx.execute("INSERT INTO async_example_users (name, email) VALUES (?, ?)",
                             ("Eve", "eve@example.com"))
            await tx.execute("INSERT INTO async_example_no_such_table VALUES (1)")
    except Exception as e:  # a QueryError, also mocore.NotFoundError
        print("rolled back:", type(e).__name__, e.errno)
    print("after rollback:", await names(client))

    # 3. awaited statements of one transaction may be gathered: they run one after another
    async with client.transaction() as tx:
        await asyncio.gather(*(tx.execute("UPDATE async_example_users SET name = CONCAT(name, ?) "
                                          "WHERE email = ?", ("!", e))
                               for e in ("alice@example.com", "bob@example.com")))
    print("after the gathered updates:", await names(client))

    # 4. execute calls gathered on the client run on several pooled connections at once
    counts = await asyncio.gather(*(client.execute("SELECT COUNT(*) FROM async_example_users")
                                    for _ in range(3)))
    print("counts:", [rs.scalar() for rs in counts])

    if matrixone:
        await client.snapshots.delete("async_example_snap")
        await client.drop_table("async_example_copy")
    await client.drop_all(Base)
    await client.disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else os.environ["MOCORE_URL"]))
