"""DB-API code written for mysqlclient / PyMySQL, run on mocore.dbapi: ``%s`` parameters, a
list expanded for IN, the server's error number in ``e.args[0]``.

    python3 examples/python/mysqlclient_style.py mysql://root@127.0.0.1:3306/test
"""
import os
import sys
from typing import Any

import mocore.dbapi as MySQLdb  # the one line that changes: was `import MySQLdb`


def main(url: str) -> None:
    conn = MySQLdb.connect(url)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS example_dbapi")
    cur.execute("CREATE TABLE example_dbapi (id INT PRIMARY KEY, name VARCHAR(32))")
    cur.executemany("INSERT INTO example_dbapi (id, name) VALUES (%s, %s)",
                    [(1, "one"), (2, "two"), (3, "three")])
    conn.commit()

    cur.execute("SELECT id, name FROM example_dbapi WHERE id IN %s ORDER BY id", ([1, 3],))
    assert cur.description is not None
    columns = [d[0] for d in cur.description]
    rows: list[dict[str, Any]] = [dict(zip(columns, row)) for row in cur.fetchall()]
    print(rows)

    try:
        cur.execute("INSERT INTO example_dbapi (id, name) VALUES (%s, %s)", (1, "again"))
    except MySQLdb.IntegrityError as e:
        print("error", e.args[0], e.args[1])  # 1062, "Duplicate entry ..."
        conn.rollback()
    cur.execute("DROP TABLE example_dbapi")
    cur.close()
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ["MOCORE_URL"])
