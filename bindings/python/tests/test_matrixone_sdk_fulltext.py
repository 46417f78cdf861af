"""mocore.matrixone's fulltext search: MATCH ... AGAINST expressions (boolean_match,
natural_match, the boolean query builder), FULLTEXT index DDL (FulltextIndex in models,
create_all/drop_all), client.fulltext_index, and the search builders. Compilation is checked
against the exact MatrixOne SQL; hostile search strings and names are checked never to change
the statement; what MariaDB can run (its FULLTEXT indexes and MATCH ... AGAINST) runs on the
test server."""

import unittest
import uuid

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, and_, select
from sqlalchemy.orm import declarative_base
from sqlalchemy.schema import CreateIndex, DropIndex

import mocore
import mocore.matrixone as mx
from mocore.matrixone._sql import compile_clause, dialect
from mocore.matrixone.sqlalchemy_ext import (FulltextIndex, FulltextParserType, boolean_match,
                                             create_fulltext_index, fulltext_search_builder,
                                             group, natural_match)
from mocore.matrixone.sqlalchemy_ext.fulltext_search import FulltextSearchBuilder
from servers import server_kind, server_url
from test_matrixone_sdk_client import connect_args, dry_client

# Search strings and names that would end or extend a statement if pasted into it.
HOSTILE = ["x') OR 1=1 -- ", "a'; DROP TABLE t; --", "back\\' slash", "q\"uote", "per%cent",
           "ques?tion", "new\nline", "nul\0byte", "`tick`", "{snapshot = 'x'}", "é中文", ""]


def ddl(element):
    return str(element.compile(dialect=dialect())).strip()


class TestBooleanQueryStrings(unittest.TestCase):
    """The query strings the SDK's builder makes (the value bound to AGAINST)."""

    def q(self, f):
        return compile_clause(f)[1][0]

    def test_operators(self):
        f = boolean_match("title", "body")
        self.assertEqual(self.q(f.must("python")), "+python")
        self.assertEqual(self.q(boolean_match("t").must("a", "b").must_not("c")), "+a +b -c")
        self.assertEqual(self.q(boolean_match("t").encourage("guide").discourage("old")),
                         "guide ~old")
        self.assertEqual(self.q(boolean_match("t").phrase("machine learning")),
                         '"machine learning"')
        self.assertEqual(self.q(boolean_match("t").prefix("neur")), "neur*")
        self.assertEqual(self.q(boolean_match("t").boost("py", 2.5)), "py^2.5")

    def test_groups(self):
        self.assertEqual(self.q(boolean_match("t").must(group().medium("java", "kotlin"))),
                         "+(java kotlin)")
        self.assertEqual(self.q(boolean_match("t").must("red").must_not(
            group().low("blue").high("is"))), "+red -(<blue >is)")
        self.assertEqual(self.q(boolean_match("t").encourage(group().medium("a", "b"))),
                         "(a b)")
        self.assertEqual(self.q(boolean_match("t").discourage(group().medium("old"))), "~(old)")
        self.assertEqual(self.q(boolean_match("t").must("x").group(
            boolean_match("t").must("y"), boolean_match("t").encourage("z"))), "+x (+y) (z)")

    def test_list_argument_is_refused(self):
        for method in ("must", "must_not", "encourage", "discourage"):
            with self.assertRaises(TypeError):
                getattr(boolean_match("t"), method)(["a", "b"])

    def test_empty_query_and_no_columns_are_errors(self):
        with self.assertRaises(ValueError):
            compile_clause(boolean_match("title"))
        with self.assertRaises(ValueError):
            compile_clause(boolean_match().must("x"))


class TestMatchCompilation(unittest.TestCase):
    """MATCH(columns) AGAINST(? <mode>) with the query string bound."""

    def test_modes(self):
        self.assertEqual(compile_clause(boolean_match("title", "body").must("py")),
                         ("MATCH(title, body) AGAINST(? IN BOOLEAN MODE)", ["+py"]))
        self.assertEqual(compile_clause(natural_match("title", "body", query="vector search")),
                         ("MATCH(title, body) AGAINST(?)", ["vector search"]))
        self.assertEqual(compile_clause(boolean_match("t").encourage("a").query_expansion()),
                         ("MATCH(t) AGAINST(? WITH QUERY EXPANSION)", ["a"]))

    def test_model_columns_and_quoted_names(self):
        Base = declarative_base()

        class Doc(Base):
            __tablename__ = "docs"
            id = Column(Integer, primary_key=True)
            title = Column(String(100))
            Select = Column("select", Text)   # a reserved word as a column name

        self.assertEqual(compile_clause(boolean_match(Doc.title, Doc.Select).must("x")),
                         ("MATCH(title, `select`) AGAINST(? IN BOOLEAN MODE)", ["+x"]))

    def test_in_select_where_and_as_score(self):
        t = Table("articles", MetaData(), Column("id", Integer), Column("title", Text),
                  Column("category", String(20)))
        f = boolean_match("title").must("python")
        sql, params = compile_clause(select(t.c.id, f.label("score"))
                                     .where(and_(f, t.c.category == "AI")))
        self.assertEqual(sql, "SELECT articles.id, MATCH(title) AGAINST(? IN BOOLEAN MODE) AS "
                              "score \nFROM articles \nWHERE MATCH(title) AGAINST(? IN BOOLEAN "
                              "MODE) AND articles.category = ?")
        self.assertEqual(params, ["+python", "+python", "AI"])

    def test_compile_without_arguments_renders_the_value(self):
        self.assertEqual(boolean_match("title").must("it's").compile(),
                         "MATCH(title) AGAINST('+it''s' IN BOOLEAN MODE)")

    def test_hostile_search_strings_stay_one_bound_value(self):
        for s in HOSTILE:
            if not s:
                continue
            for f in (natural_match("title", query=s), boolean_match("title").must(s),
                      boolean_match("title").phrase(s)):
                sql, params = compile_clause(f)
                self.assertIn(sql, ("MATCH(title) AGAINST(?)",
                                    "MATCH(title) AGAINST(? IN BOOLEAN MODE)"), s)
                self.assertEqual(len(params), 1)
                self.assertIn(s, params[0])

    def test_hostile_column_names_are_quoted(self):
        sql, _ = compile_clause(boolean_match("a`b) AGAINST('x') OR (1", "t.c").must("x"))
        self.assertEqual(sql, "MATCH(`a``b) AGAINST('x') OR (1`, t.c) AGAINST(? IN BOOLEAN MODE)")

    def test_unknown_mode_is_refused(self):
        f = boolean_match("t").must("x")
        f.mode = "boolean mode) OR (1"
        with self.assertRaises(ValueError):
            compile_clause(f)


class TestFulltextIndexDDL(unittest.TestCase):
    def model(self):
        Base = declarative_base()

        class Article(Base):
            __tablename__ = "articles"
            id = Column(Integer, primary_key=True)
            title = Column(String(200))
            body = Column(Text)
            doc = Column(Text)
            __table_args__ = (FulltextIndex("ftidx_article", ["title", "body"]),
                              FulltextIndex("ftidx_ngram", "body", parser=FulltextParserType.NGRAM),
                              FulltextIndex("ftidx_json", "doc", parser="json"))
        return Article

    def test_create_and_drop_in_a_model(self):
        Article = self.model()
        got = sorted(ddl(CreateIndex(i)) for i in Article.__table__.indexes)
        self.assertEqual(got, [
            "CREATE FULLTEXT INDEX ftidx_article ON articles (title, body)",
            "CREATE FULLTEXT INDEX ftidx_json ON articles (doc) WITH PARSER json",
            "CREATE FULLTEXT INDEX ftidx_ngram ON articles (body) WITH PARSER ngram"])
        self.assertEqual(sorted(ddl(DropIndex(i)) for i in Article.__table__.indexes),
                         ["DROP INDEX ftidx_article ON articles", "DROP INDEX ftidx_json ON articles",
                          "DROP INDEX ftidx_ngram ON articles"])

    def test_names_are_quoted_and_bad_parser_refused(self):
        self.assertEqual(FulltextIndex("x`y", ["select"])._create_index_sql("db.t"),
                         "CREATE FULLTEXT INDEX `x``y` ON db.t (`select`)")
        with self.assertRaises(ValueError):
            FulltextIndex("i", "c", parser="ngram; DROP TABLE t")
        with self.assertRaises(ValueError):
            FulltextIndex("i", [])
        with self.assertRaises(TypeError):
            FulltextIndex("i", [1])
        self.assertEqual(FulltextIndex("i", "c").get_columns(), ["c"])

    def test_package_names(self):
        for name in ("FulltextIndex", "FulltextAlgorithmType", "FulltextModeType",
                     "FulltextParserType", "FulltextSearchBuilder", "boolean_match",
                     "natural_match", "group", "create_fulltext_index", "fulltext_search_builder"):
            self.assertTrue(hasattr(mx, name), name)


class TestSearchBuilders(unittest.TestCase):
    def test_table_builder_statement(self):
        b = (fulltext_search_builder("articles", ["title", "body"]).search("python")
             .set_mode("boolean mode").set_with_score().where("category = 'AI'").limit(5))
        self.assertEqual(b._statement(), (
            "SELECT *, MATCH(title, body) AGAINST(? IN BOOLEAN MODE) AS score FROM articles "
            "WHERE MATCH(title, body) AGAINST(? IN BOOLEAN MODE) AND category = 'AI' "
            "ORDER BY score DESC LIMIT 5", ["python", "python"]))
        self.assertEqual(b.build_sql(), (
            "SELECT *, MATCH(title, body) AGAINST('python' IN BOOLEAN MODE) AS score FROM "
            "articles WHERE MATCH(title, body) AGAINST('python' IN BOOLEAN MODE) AND "
            "category = 'AI' ORDER BY score DESC LIMIT 5"))
        with self.assertRaises(ValueError):
            fulltext_search_builder("t", "c").set_order_by("score", "DESC; DROP")

    def test_client_builder_binds_the_query(self):
        b = (FulltextSearchBuilder(None).table("docs").columns(["title"]).query("it's ?")
             .with_mode("natural language mode").add_term("must", required=True).limit(3))
        self.assertEqual(b._statement(), ("SELECT * FROM docs WHERE MATCH(title) AGAINST(?) "
                                          "LIMIT 3", ["it's ? +must"]))
        self.assertEqual(b.explain(), "SELECT * FROM docs WHERE MATCH(title) AGAINST("
                                      "'it''s ? +must') LIMIT 3")


class TestManagerDryRun(unittest.TestCase):
    def test_manager_sql(self):
        c = dry_client()
        try:
            c.fulltext_index.enable_fulltext()
            c.fulltext_index.create("articles", "ft`x", ["title", "body"], parser="ngram")
            c.fulltext_index.drop("articles", "ft`x")
            c.fulltext_index.disable_fulltext()
            journal = c._mocore().journal[-4:]
        finally:
            c.disconnect()
        self.assertEqual(journal, [
            "SET experimental_fulltext_index = 1",
            "CREATE FULLTEXT INDEX `ft``x` ON `articles` (`title`, `body`) WITH PARSER ngram",
            "DROP INDEX `ft``x` ON `articles`",
            "SET experimental_fulltext_index = 0"])


class TestOnServer(unittest.TestCase):
    """FULLTEXT indexes and searches for real (MariaDB in CI, MatrixOne when pointed at it)."""

    @classmethod
    def setUpClass(cls):
        cls.c = mx.Client(sql_log_mode="off")
        cls.c.connect(**connect_args(server_url()), on_connect=[])
        cls.suffix = uuid.uuid4().hex[:8]
        cls.Base = declarative_base()

        class Doc(cls.Base):
            __tablename__ = f"ft_docs_{cls.suffix}"
            id = Column(Integer, primary_key=True)
            title = Column(String(200))
            body = Column(Text)
            __table_args__ = (FulltextIndex(f"ftidx_{cls.suffix}", ["title", "body"]),)
        cls.Doc = Doc
        cls.Base.metadata.create_all(cls.c.get_sqlalchemy_engine())
        cls.c.execute(f"INSERT INTO {Doc.__tablename__} VALUES (1, 'python guide', "
                      "'learn python programming'), (2, 'java book', 'java enterprise'), "
                      "(3, 'rust notes', 'systems programming'), (4, 'cooking', 'soup')")

    @classmethod
    def tearDownClass(cls):
        cls.Base.metadata.drop_all(cls.c.get_sqlalchemy_engine())
        cls.c.disconnect()

    def test_index_was_created_by_create_all(self):
        rows = self.c.execute("SELECT index_type FROM information_schema.statistics WHERE "
                              "table_schema = DATABASE() AND table_name = ? AND index_name = ?",
                              [self.Doc.__tablename__, f"ftidx_{self.suffix}"]).rows
        # the server's spelling: MariaDB FULLTEXT, MatrixOne fulltext
        self.assertEqual({r[0] for r in rows},
                         {"fulltext" if server_kind() == "matrixone" else "FULLTEXT"})

    def test_boolean_and_natural_searches(self):
        D = self.Doc
        got = [d.id for d in self.c.query(D).filter(boolean_match(D.title, D.body)
                                                     .must("programming").must_not("rust")).all()]
        self.assertEqual(got, [1])
        got = self.c.query(D.id, natural_match(D.title, D.body, query="java").label("score")) \
            .order_by("score DESC").all()
        self.assertEqual(got[0].id, 2)
        self.assertGreater(got[0].score, 0)
        rs = self.c.execute(select(D.id).where(boolean_match(D.title, D.body).must("soup")))
        self.assertEqual(rs.rows, [(4,)])

    def test_hostile_search_strings_find_nothing_and_break_nothing(self):
        D = self.Doc
        for s in HOSTILE:
            if not s or "\0" in s:
                continue
            if server_kind() == "matrixone" and "\\" in s:
                # no literal reads the same in both sql_modes there: refused, never sent
                with self.assertRaises(mocore.InvalidArgumentError, msg=s):
                    self.c.query(D).filter(natural_match(D.title, D.body, query=s)).all()
                continue
            self.assertEqual(self.c.query(D).filter(natural_match(D.title, D.body, query=s))
                             .all(), [], s)
        self.assertEqual(self.c.query(D).count(), 4)

    def test_manager_and_helpers_on_the_server(self):
        D = self.Doc
        name = f"ft2_{self.suffix}"
        self.c.fulltext_index.create(D, name, "title")
        self.c.fulltext_index.drop(D.__tablename__, name)
        with self.assertRaises(mx.QueryError) as cm:
            self.c.fulltext_index.create(D, name, ["no_such_column"])
        self.assertIsInstance(cm.exception, mocore.Error)
        self.assertIn(f"Failed to create fulltext index {name}", str(cm.exception))
        engine = self.c.get_sqlalchemy_engine()
        self.assertTrue(create_fulltext_index(engine, D.__tablename__, name, ["body"]))
        self.assertTrue(FulltextIndex.drop_index(engine, D.__tablename__, name))
        with engine.connect() as conn:
            rows = (fulltext_search_builder(D.__tablename__, ["title", "body"])
                    .search("enterprise").execute(conn).fetchall())
        self.assertEqual([r[0] for r in rows], [2])


if __name__ == "__main__":
    unittest.main()
