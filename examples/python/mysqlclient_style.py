"""A program written for mysqlclient (MySQLdb), run on mocore.dbapi: only the imports change.
``%s`` parameters (a list expanded for IN), DictCursor rows, the server's error number in
``e.args[0]``. ctest python.sdist runs it from the package pip installs from the sdist.

    python3 examples/python/mysqlclient_style.py mysql://root@127.0.0.1:3306/test
"""
import os
import sys

import mocore.dbapi as MySQLdb  # was: import MySQLdb
from mocore.dbapi.cursors import DictCursor  # was: from MySQLdb.cursors import DictCursor


def main(url: str) -> None:
    conn = MySQLdb.connect(url)
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS example_dbapi")
    cur.execute("CREATE TABLE example_dbapi (id INT PRIMARY KEY, name VARCHAR(32))")
    cur.executemany("INSERT INTO example_dbapi (id, name) VALUES (%s, %s)",
                    [(1, "one"), (2, "two"), (3, "three")])
    conn.commit()

    dict_cur = conn.cursor(DictCursor)
    dict_cur.execute("SELECT id, name FROM example_dbapi WHERE id IN %s ORDER BY id", ([1, 3],))
    rows = dict_cur.fetchall()
    print(rows)  # [{'id': 1, 'name': 'one'}, {'id': 3, 'name': 'three'}]
    assert [row["name"] for row in rows] == ["one", "three"], rows
    dict_cur.close()

    try:
        cur.execute("INSERT INTO example_dbapi (id, name) VALUES (%s, %s)", (1, "again"))
    except MySQLdb.IntegrityError as e:
        print("error", e.args[0], e.args[1])  # 1062, "Duplicate entry ..."
        assert e.args[0] == 1062, e.args
        conn.rollback()
    else:
        sys.exit("the duplicate key was not refused")
    cur.execute("DROP TABLE example_dbapi")
    cur.close()
    conn.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.environ["MOCORE_URL"])
