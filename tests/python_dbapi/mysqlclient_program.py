"""A program written for mysqlclient (MySQLdb), run UNCHANGED on a driver module given by
name: `python mysqlclient_program.py MODULE HOST PORT USER PASSWORD DATABASE TABLE`, MODULE
being MySQLdb or mocore.dbapi. It prints what it sees; test_mysqlclient_compat.py runs it
with both and compares the outputs line by line. Nothing here knows which driver it runs on:
only the module name differs."""

import datetime
import decimal
import importlib
import sys

MySQLdb = importlib.import_module(sys.argv[1])
cursors = importlib.import_module(sys.argv[1] + ".cursors")
host, port, user, password, database, table = sys.argv[2:8]

conn = MySQLdb.connect(host=host, port=int(port), user=user, password=password,
                       database=database, charset="utf8mb4", connect_timeout=10)
conn.autocommit(False)
print("autocommit", conn.get_autocommit())
cur = conn.cursor()
cur.execute(f"CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) "
            "UNIQUE, price DECIMAL(10,2), at DATETIME NULL, note TEXT NULL)")
n = cur.executemany(f"INSERT INTO {table} (name, price, at, note) VALUES (%s, %s, %s, %s)", [
    ("ada", decimal.Decimal("1.50"), datetime.datetime(2024, 1, 2, 3, 4, 5), "it's"),
    ("bob", decimal.Decimal("2.00"), None, "100%"),
    ("cy", decimal.Decimal("0.10"), None, None),
])
print("executemany", n, cur.rowcount)
n = cur.execute(f"INSERT INTO {table} (name, price) VALUES (%(name)s, %(price)s)",
                {"name": "dee", "price": 4})
print("insert", n, cur.lastrowid, conn.insert_id())
conn.commit()

n = cur.execute(f"SELECT id, name, price, at, note FROM {table} WHERE id IN %s ORDER BY id",
                ([1, 2, 4],))
print("select", n, cur.rowcount, [d[0] for d in cur.description])
for row in cur.fetchall():
    print("row", row)

cur.execute(f"SELECT name FROM {table} WHERE note LIKE %s AND price > %s", ("100%%", 1))
print("like", cur.fetchone(), cur.fetchone())

dcur = conn.cursor(cursors.DictCursor)
dcur.execute(f"SELECT id, name, price FROM {table} WHERE name = %s", ("ada",))
print("dict", dcur.fetchone())
dcur.execute(f"SELECT name, price AS p FROM {table} ORDER BY id")
for row in dcur.fetchmany(2):
    print("dict of fetchmany", row)
for row in dcur.fetchall():
    print("dict of fetchall", row)
dcur.close()

try:
    cur.execute(f"INSERT INTO {table} (name, price) VALUES (%s, %s)", ("ada", 1))
except MySQLdb.IntegrityError as e:
    print("duplicate", e.args[0], isinstance(e, MySQLdb.IntegrityError),
          isinstance(e, MySQLdb.DatabaseError))
conn.rollback()
try:
    cur.execute("SELECT * FROM no_such_table_mysqlclient_program")
except MySQLdb.ProgrammingError as e:
    print("missing", e.args[0])
except MySQLdb.Error as e:
    print("missing (other class)", e.args[0], type(e).__name__)

cur.execute(f"UPDATE {table} SET price = price + %s WHERE price < %s", (1, 3))
print("update", cur.rowcount)
conn.commit()

ss = conn.cursor(cursors.SSCursor)
ss.execute(f"SELECT id, name FROM {table} ORDER BY id")
seen = [row for row in ss]
print("sscursor", seen)
ss.close()
ss = conn.cursor(cursors.SSDictCursor)
ss.execute(f"SELECT id, name FROM {table} ORDER BY id")
print("ssdict", ss.fetchone())
for row in ss.fetchmany(2):
    print("ssdict of fetchmany", row)
for row in ss:
    print("ssdict iterated", row)
ss.close()

cur.execute(f"DROP TABLE {table}")
cur.close()
conn.close()
print("done")
