"""The MatrixOne SDK's Client on mocore: one changed import, then the SDK's code -- execute
with parameters, insert, the unified transaction (ORM work, raw SQL and manager calls commit
or vanish together), errors that are both the SDK's and mocore's classes, and on MatrixOne a
snapshot read.

    MOCORE_URL=matrixone://root:111@127.0.0.1:6001/test python3 transaction.py
    python3 transaction.py mysql://root@127.0.0.1:3306/test     # MariaDB runs it too
"""
import os
import sys
from urllib.parse import unquote, urlsplit

from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

import mocore
from mocore.matrixone import Client, QueryError, SnapshotLevel   # was: from matrixone import ...

Base = declarative_base()


class User(Base):
    __tablename__ = "sdk_example_users"
    id = Column(Integer, primary_key=True, autoincrement=True)
    name = Column(String(100), nullable=False)
    email = Column(String(100), nullable=False, unique=True)


def names(client):
    return [row.name for row in client.execute("SELECT name FROM sdk_example_users ORDER BY name").rows]


def main(url):
    u = urlsplit(url)
    client = Client(sql_log_mode="off")
    client.connect(host=u.hostname, port=u.port or 3306, user=unquote(u.username or "root"),
                   password=unquote(u.password or ""), database=u.path.lstrip("/"),
                   on_connect=[])
    matrixone = client.get_backend_version() is not None
    client.drop_all(Base)
    client.create_all(Base)

    # values are parameters, never pasted into the SQL text
    client.insert(User, {"name": "O'Brien", "email": "ob@example.com"})
    print("found:", client.execute("SELECT email FROM sdk_example_users WHERE name = ?",
                                   ("O'Brien",)).scalar())

    # 1. ORM, raw SQL and a manager in one transaction: all committed at the end of the block
    with client.transaction() as tx:
        session = tx.get_sqlalchemy_session()
        session.add(User(name="Alice", email="alice@example.com"))
        session.flush()
        tx.execute("INSERT INTO sdk_example_users (name, email) VALUES (%s, %s)",
                   ("Bob", "bob@example.com"))
        tx.batch_insert(User, [{"name": "Carol", "email": "carol@example.com"}])
        print("inside the transaction, the client sees:", names(client))
    print("after commit:", names(client))

    # 2. an error anywhere rolls everything of the block back; the error is the SDK's
    #    QueryError and mocore's category class at once
    try:
        with client.transaction() as tx:
            tx.get_sqlalchemy_session().add(User(name="Dan", email="dan@example.com"))
            tx.insert(User, {"name": "Eve", "email": "alice@example.com"})   # duplicate email
    except mocore.ConstraintError as e:
        print("rolled back:", isinstance(e, QueryError), e.errno)
    print("after rollback:", names(client))

    # 3. on MatrixOne: a snapshot (taken in autocommit: MatrixOne 4.2 refuses CREATE SNAPSHOT
    #    inside a transaction) and a read at it
    if matrixone:
        client.snapshots.create("sdk_example_snap", SnapshotLevel.TABLE,
                                database=u.path.lstrip("/"), table="sdk_example_users")
        client.insert(User, {"name": "Zed", "email": "zed@example.com"})
        with client.snapshot("sdk_example_snap") as snap:
            print("rows at the snapshot:", snap.execute("SELECT COUNT(*) FROM sdk_example_users").scalar())
        client.snapshots.delete("sdk_example_snap")

    client.drop_all(Base)
    client.disconnect()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MOCORE_URL", "mysql://root@127.0.0.1:3306/test"))
