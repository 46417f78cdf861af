"""mocore.matrixone.orm, the SDK's query builder (client.query(...)): the statement each
chain makes (its ``?`` text and values, and the text to_sql() shows), that no value or name
given to it can change a statement's structure, and the builder for real on the test server
(MariaDB in CI)."""

import asyncio
import unittest
import uuid

from sqlalchemy import Column, Integer, Numeric, String, and_, func, not_, or_
from sqlalchemy.exc import MultipleResultsFound, NoResultFound
from sqlalchemy.orm import declarative_base

import mocore.matrixone as mx
from mocore.matrixone.orm import CTE, desc, logical_in, query_for
from mocore.matrixone.sqlalchemy_ext import boolean_match
from servers import server_url
from test_matrixone_sdk_client import connect_args, dry_client
from test_matrixone_sdk_fulltext import HOSTILE

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(100))
    age = Column(Integer)
    city = Column(String(50))
    salary = Column(Numeric(10, 2))
    department_id = Column(Integer)


def q(*columns, **kw):
    return query_for(None, *columns, **kw)


class TestStatements(unittest.TestCase):
    def check(self, query, sql, params=(), shown=None):
        self.assertEqual(query._statement(), (sql, list(params)))
        if shown is not None:
            self.assertEqual(query.to_sql(), shown)

    def test_select_filter_order_limit(self):
        self.check(q(User).filter(User.age > 25).filter("city = ?", "x").order_by(desc("age"))
                   .limit(3).offset(1),
                   "SELECT * FROM users WHERE age > ? AND city = ? ORDER BY age DESC LIMIT 3 "
                   "OFFSET 1", [25, "x"],
                   "SELECT * FROM users WHERE age > 25 AND city = 'x' ORDER BY age DESC LIMIT 3 "
                   "OFFSET 1")
        self.check(q(User).filter_by(name="O'Brien", nope=1), "SELECT * FROM users WHERE name = ?",
                   ["O'Brien"], "SELECT * FROM users WHERE name = 'O''Brien'")

    def test_question_marks_inside_literals_are_text(self):
        self.check(q(User).filter("name = 'what?'"), "SELECT * FROM users WHERE name = 'what?'")
        self.check(q(User).filter("name = 'it''s ?' AND city = ? -- ?", "x"),
                   "SELECT * FROM users WHERE name = 'it''s ?' AND city = ? -- ?", ["x"])
        self.check(q(User).filter("`a?` = ? AND b = \"?\" /* ? */", 1),
                   "SELECT * FROM users WHERE `a?` = ? AND b = \"?\" /* ? */", [1])

    def test_or_keeps_its_parentheses(self):
        self.check(q(User).filter(or_(User.age < 30, User.city == "北京")).filter(User.id > 1),
                   "SELECT * FROM users WHERE (age < ? OR city = ?) AND id > ?", [30, "北京", 1])
        self.check(q(User).filter("age < 30 OR city = 'a'").filter("id > 1"),
                   "SELECT * FROM users WHERE (age < 30 OR city = 'a') AND id > 1")

    def test_expressions(self):
        self.check(q(User).filter(User.city.in_(["a", "b"]), ).filter(User.age.between(1, 3))
                   .filter(not_(User.id == 3)).filter(User.name.like("张%")),
                   "SELECT * FROM users WHERE city IN (?, ?) AND age BETWEEN ? AND ? AND id != ? "
                   "AND name LIKE ?", ["a", "b", 1, 3, 3, "张%"])
        self.check(q(User).filter(and_(User.age > 1, User.age < 9)),
                   "SELECT * FROM users WHERE age > ? AND age < ?", [1, 9])

    def test_columns_functions_labels_group_having(self):
        self.check(q(User).select("city", func.count("id").label("n")).group_by(User.city)
                   .having(func.count("id") > 1).order_by("n DESC"),
                   "SELECT city, count(id) AS n FROM users GROUP BY city HAVING count(id) > ? "
                   "ORDER BY n DESC", [1])
        self.check(q(User.city, func.avg(User.age)),
                   "SELECT city, avg(age) AS avg FROM users")
        self.check(q(User).alias("u").select(func.count("u.id").label("c")).filter("u.age > ?", 5),
                   "SELECT count(u.id) AS c FROM users AS u WHERE u.age > ?", [5])
        self.check(q(User).select("COUNT(id) AS total"), "SELECT COUNT(id) AS total FROM users")

    def test_function_string_arguments(self):
        # a function's only argument, a column name, is that column (the SDK's func.count("id"));
        # every other string is a value, as in SQLAlchemy
        self.check(q(User).select(func.count("id"), func.lag("salary", 1).over(order_by="id"),
                                  func.count("CASE WHEN 1 THEN 1 END"), func.count("*")),
                   "SELECT count(id) AS count, lag(?, ?) OVER (ORDER BY id), count(?) AS "
                   "count, count(*) AS count FROM users", ["salary", 1, "CASE WHEN 1 THEN 1 END"])
        # in WHERE/HAVING/GROUP BY of a query without joins the alias goes (one table)
        self.check(q(User).alias("u").select(func.count("u.id").label("n"))
                   .having(func.count("u.id") > 1),
                   "SELECT count(u.id) AS n FROM users AS u HAVING count(id) > ?", [1])
        self.check(q(User).alias("u").join("d x", "x.id = u.id").having(func.count("u.id") > 1),
                   "SELECT * FROM users AS u INNER JOIN d x ON x.id = u.id HAVING count(u.id) > ?",
                   [1])

    def test_joins(self):
        self.check(q(User).alias("u").select("u.name", "d.name AS dept")
                   .join("departments d", "u.department_id = d.id")
                   .leftjoin("projects p", "p.id = d.id").rightjoin("x", "x.id = u.id")
                   .fullouterjoin("y", "y.id = u.id"),
                   "SELECT u.name, d.name AS dept FROM users AS u INNER JOIN departments d ON "
                   "u.department_id = d.id LEFT OUTER JOIN projects p ON p.id = d.id RIGHT JOIN "
                   "x ON x.id = u.id FULL OUTER JOIN y ON y.id = u.id")
        self.check(q(User).join(User, User.id == User.department_id).filter(User.age > 1),
                   "SELECT * FROM users INNER JOIN users ON users.id = users.department_id WHERE "
                   "users.age > ?", [1])

    def test_several_criteria_in_one_filter(self):
        self.check(q(User).filter(boolean_match("name").encourage("py"), "city = 'a'",
                                  User.age > 3),
                   "SELECT * FROM users WHERE MATCH(name) AGAINST(? IN BOOLEAN MODE) AND "
                   "city = 'a' AND age > ?", ["py", 3])
        self.check(q(User).group_by("city").having(func.count("id") > 1, "max(age) < 9"),
                   "SELECT * FROM users GROUP BY city HAVING count(id) > ? AND max(age) < 9", [1])

    def test_logical_in(self):
        self.check(q(User).filter(logical_in("city", ["a", "b"])).filter(logical_in(User.id, [])),
                   "SELECT * FROM users WHERE city IN (?,?) AND 1=0", ["a", "b"])
        self.check(q(User).filter(logical_in("id", q(User).select(User.id).filter(User.age > 3))),
                   "SELECT * FROM users WHERE id IN (SELECT id FROM users WHERE age > ?)", [3])
        self.check(q(User).filter(logical_in("id", boolean_match("name").must("x"))),
                   "SELECT * FROM users WHERE id IN (SELECT id FROM users WHERE MATCH(name) "
                   "AGAINST(? IN BOOLEAN MODE))", ["+x"])
        self.assertEqual(logical_in("city", ["a'b", 2]).compile(), "city IN ('a''b',2)")

    def test_fulltext_filter_and_score(self):
        self.check(q(User.id, boolean_match("name").encourage("py").label("score"))
                   .filter(boolean_match("name").must("py")).filter(User.city == "c"),
                   "SELECT id, MATCH(name) AGAINST(? IN BOOLEAN MODE) AS score FROM users WHERE "
                   "MATCH(name) AGAINST(? IN BOOLEAN MODE) AND city = ?", ["py", "+py", "c"])

    def test_cte_subquery_snapshot(self):
        high = q(User).filter(User.salary > 75000).cte("high")
        self.check(q(high), "WITH high AS (SELECT * FROM users WHERE salary > ?) SELECT * FROM high",
                   [75000])
        self.assertEqual(high.as_sql(), ("SELECT * FROM users WHERE salary > 75000", []))
        self.check(q(CTE("raw", "SELECT 1 AS a")), "WITH raw AS (SELECT 1 AS a) SELECT * FROM raw")
        self.assertEqual(q(User).alias("u").select(func.avg("u.age")).subquery("a"),
                         "(SELECT avg(u.age) AS avg FROM users AS u) AS a")
        self.check(q(User, snapshot="snap1"), "SELECT * FROM users{snapshot = ?}", ["snap1"],
                   "SELECT * FROM users{snapshot = 'snap1'}")

    def test_update_delete_count_explain(self):
        self.check(q(User).update(name="N", age=User.age + 1).filter(User.id == 1),
                   "UPDATE users SET name = ?, age = age + ? WHERE id = ?", ["N", 1, 1])
        self.assertEqual(q(User).filter(User.id == 2)._delete_statement(),
                         ("DELETE FROM users WHERE id = ?", [2]))
        self.assertEqual(q(User).filter(User.id == 2)._select_statement(count=True),
                         ("SELECT COUNT(*) FROM users WHERE id = ?", [2]))
        self.assertEqual(q(User).filter(User.id == 2)._explain_sql(True, True),
                         ("EXPLAIN ANALYZE VERBOSE SELECT * FROM users WHERE id = ?", [2]))
        with self.assertRaises(ValueError):
            q(User).update()._statement()

    def test_table_inferred_from_columns(self):
        self.check(q("t.title", "t.body"), "SELECT t.title, t.body FROM t")
        self.check(q(User.id, User.name), "SELECT id, name FROM users")
        with self.assertRaises(ValueError):
            q(func.count("id"))._statement()

    def test_hostile_values_and_names(self):
        for s in HOSTILE:
            sql, params = q(User).filter(User.name == s).filter("city = ?", s).filter_by(name=s) \
                .filter(logical_in("city", [s]))._statement()
            self.assertEqual(sql, "SELECT * FROM users WHERE name = ? AND city = ? AND name = ? "
                                  "AND city IN (?)")
            self.assertEqual(params, [s, s, s, s])
            sql, params = q(User).update(name=s).filter(User.id == 1)._statement()
            self.assertEqual((sql, params), ("UPDATE users SET name = ? WHERE id = ?", [s, 1]))
            if s:
                sql, params = q(User, snapshot=s)._statement()
                self.assertEqual((sql, params), ("SELECT * FROM users{snapshot = ?}", [s]))
        self.check(q("db.t`x").alias("a b").select(func.count("id").label("n`m"))
                   .update(**{"c`d": 1}),
                   "UPDATE db.`t``x` SET `c``d` = ?", [1])
        self.check(q("db.t`x").alias("a b").select(func.count("id").label("n`m")),
                   "SELECT count(id) AS `n``m` FROM db.`t``x` AS `a b`")
        with self.assertRaises(ValueError):      # placeholders and values must agree
            q(User).filter("a = ? AND b = ?", 1)
        with self.assertRaises(ValueError):
            q(User).limit("1; DROP TABLE users")


class TestExportsDryRun(unittest.TestCase):
    """What export_to_file / export_to_stage send (the dry-run journal of mocore's export
    manager)."""

    def test_export_manager_takes_the_builder_statement(self):
        from mocore.matrixone.export import query_sql
        self.assertEqual(query_sql(q(User).filter(User.name == "it's")),
                         ("SELECT * FROM users WHERE name = ?", ["it's"]))

    def test_sent_statements(self):
        c = dry_client()
        try:
            c.query(User).filter(User.name == "it's").export_to_file(
                "/tmp/u.csv", header=True, fields_terminated_by="|")
            c.query(User).select(User.id).export_to_stage("stg", "u.jsonl", format="jsonline")
            sent = c._mocore().journal[-2:]
            with self.assertRaises(ValueError):
                c.query(User).export_to_file("/tmp/u.csv", max_file_size=10)
            with self.assertRaises(ValueError):
                c.query(User).export_to_file("/tmp/u.csv", format="parquet")
        finally:
            c.disconnect()
        self.assertEqual(sent, [
            "SELECT * FROM users WHERE name = 'it''s' INTO OUTFILE '/tmp/u.csv' FIELDS "
            "TERMINATED BY '|' LINES TERMINATED BY '\\n' header 'true'",
            "SELECT id FROM users INTO OUTFILE 'stage://stg/u.jsonl'"])


class TestOnServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.c = mx.Client(sql_log_mode="off")
        cls.c.connect(**connect_args(server_url()), on_connect=[])
        cls.Base = declarative_base()
        suffix = uuid.uuid4().hex[:8]

        class Person(cls.Base):
            __tablename__ = f"orm_people_{suffix}"
            id = Column(Integer, primary_key=True)
            name = Column(String(100))
            age = Column(Integer)
            city = Column(String(50))
        cls.P = Person
        cls.Base.metadata.create_all(cls.c.get_sqlalchemy_engine())

    @classmethod
    def tearDownClass(cls):
        cls.Base.metadata.drop_all(cls.c.get_sqlalchemy_engine())
        cls.c.disconnect()

    def setUp(self):
        t = self.P.__tablename__
        self.c.execute(f"DELETE FROM {t}")
        self.c.execute(f"INSERT INTO {t} (id, name, age, city) VALUES (?, ?, ?, ?), (?, ?, ?, ?), "
                       "(?, ?, ?, ?), (?, ?, ?, ?)",
                       [1, "Ann", 30, "北京", 2, "Bob", 25, "上海", 3, "O'Brien", 40, "Cork",
                        4, "Dee", 35, "北京"])

    def test_all_first_one_count_scalar(self):
        P = self.P
        people = self.c.query(P).filter(P.age > 26).order_by(desc("age")).all()
        self.assertEqual([p.name for p in people], ["O'Brien", "Dee", "Ann"])
        self.assertIsInstance(people[0], P)
        self.assertEqual(self.c.query(P).order_by("id").first().name, "Ann")
        self.assertEqual(self.c.query(P).filter_by(name="O'Brien").one().id, 3)
        self.assertIsNone(self.c.query(P).filter(P.id == 99).one_or_none())
        with self.assertRaises(NoResultFound):
            self.c.query(P).filter(P.id == 99).one()
        with self.assertRaises(MultipleResultsFound):
            self.c.query(P).one_or_none()
        self.assertEqual(self.c.query(P).filter(P.city == "北京").count(), 2)
        self.assertEqual(self.c.query(P).select(func.max(P.age)).scalar(), 40)

    def test_group_having_labels_and_logical_in(self):
        P = self.P
        rows = self.c.query(P.city, func.count(P.id).label("n")).group_by(P.city) \
            .having(func.count(P.id) > 1).all()
        self.assertEqual([(r.city, r.n) for r in rows], [("北京", 2)])
        got = self.c.query(P).filter(logical_in("city", ["北京", "上海"])).filter("age > ?", 26).all()
        self.assertEqual(sorted(p.id for p in got), [1, 4])
        sub = self.c.query(P).select(P.id).filter(P.age >= 35)
        self.assertEqual(sorted(p.id for p in self.c.query(P).filter(logical_in(P.id, sub)).all()),
                         [3, 4])

    def test_cte_update_delete_explain(self):
        P = self.P
        old = self.c.query(P).filter(P.age > 30).cte("old")
        self.assertEqual(sorted(r._values[0] for r in self.c.query(old).all()), [3, 4])
        self.c.query(P).update(age=P.age + 1, name="Bobby").filter(P.id == 2).execute()
        bob = self.c.query(P).filter(P.id == 2).first()
        self.assertEqual((bob.name, bob.age), ("Bobby", 26))
        self.c.query(P).filter(P.id.in_([1, 2])).delete()
        self.assertEqual(self.c.query(P).count(), 2)
        self.assertTrue(self.c.query(P).filter(P.id == 3).explain().rows)

    def test_hostile_values_match_literally(self):
        P = self.P
        for s in HOSTILE:
            if "\0" in s:
                continue
            self.assertEqual(self.c.query(P).filter(P.name == s).all(), [], s)
            self.assertEqual(self.c.query(P).filter("name = ?", s).count(), 0, s)
            self.assertEqual(self.c.query(P).filter(logical_in("name", [s, "zz"])).all(), [], s)
        self.assertEqual(self.c.query(P).filter_by(name="O'Brien").count(), 1)
        self.assertEqual(self.c.query(P).filter("name != 'what?' AND age > ?", 34).count(), 2)
        self.c.query(P).update(name="x') OR 1=1 -- ").filter(P.id == 1).execute()
        self.assertEqual(self.c.query(P).filter(P.name == "x') OR 1=1 -- ").one().id, 1)
        self.assertEqual(self.c.query(P).count(), 4)


    def test_async_client_query(self):
        P = self.P

        async def run():
            c = mx.AsyncClient(sql_log_mode="off")
            await c.connect(on_connect=[], **connect_args(server_url()))
            try:
                people = await c.query(P).filter(P.age > 26).order_by(P.id).all()
                n = await c.query(P).filter_by(city="北京").count()
                first = await c.query(P).order_by(desc("age")).first()
                await c.query(P).update(name="Z").filter(P.id == 4).execute()
                z = await c.query(P).filter(P.name == "Z").one()
                await c.query(P).filter(P.id == 4).delete()
                left = await c.query(P).count()
                async with c.session() as s:
                    in_tx = await s.query(P).filter(P.id == 1).one_or_none()
                return [p.id for p in people], n, first.name, z.id, left, in_tx.name
            finally:
                await c.disconnect()

        self.assertEqual(asyncio.run(run()), ([1, 3, 4], 2, "O'Brien", 4, 3, "Ann"))


if __name__ == "__main__":
    unittest.main()
