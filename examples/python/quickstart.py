"""mocore from Python: a client, a query with parameters, a transaction, an error.

    python3 examples/python/quickstart.py mysql://root@127.0.0.1:3306/test
    MOCORE_URL=matrixone://root:111@127.0.0.1:6001/test python3 examples/python/quickstart.py
"""
import os
import sys

import mocore


def main(url: str) -> None:
    with mocore.connect(url) as client:
        print(client.server_kind, client.server_version)
        client.execute("DROP TABLE IF EXISTS quickstart_py")
        client.execute("CREATE TABLE quickstart_py (id INT PRIMARY KEY, name VARCHAR(32))")

        with client.session() as s:  # BEGIN ... COMMIT (ROLLBACK when the block raises)
            s.executemany("INSERT INTO quickstart_py VALUES (?, ?)", [(1, "one"), (2, "two")])

        for row_id, name in client.execute("SELECT id, name FROM quickstart_py WHERE id >= ?", [1]):
            print(row_id, name)
        count: int = client.scalar("SELECT COUNT(*) FROM quickstart_py")

        try:
            client.execute("INSERT INTO quickstart_py VALUES (?, ?)", [1, "again"])
        except mocore.ConstraintError as e:  # a category class: an IntegrityError
            print("duplicate:", e.code, e.sqlstate, e.category)
        client.execute("DROP TABLE quickstart_py")
        print("rows:", count)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ["MOCORE_URL"])
