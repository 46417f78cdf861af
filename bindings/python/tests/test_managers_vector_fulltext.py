"""In Python: vector_ops, fulltext_index, metadata, moctl, the table helpers and the
connection hooks with the SDK's surface. MatrixOne SQL through the dry-run journal (the
conformance vectors of tests/conformance/vector_fulltext_metadata_vectors.json and the C tests'
expectations in tests/unit/test_vector_fulltext_sql.c); insert/batch_insert round trips,
fulltext create + search, create/drop table and hooks for real on MariaDB."""

import array
import datetime as dt
import decimal
import json
import logging
import os
import unittest
import uuid

import mocore
from servers import requires_mariadb, server_url
from test_managers import HERE, dry_client

VECTORS = os.path.join(HERE, "..", "..", "..", "tests", "conformance",
                       "vector_fulltext_metadata_vectors.json")


def _norm(sql):
    return " ".join(sql.split())


class Conformance(unittest.TestCase):
    def test_vectors(self):
        with open(VECTORS) as f:
            vectors = json.load(f)
        self.assertEqual(len(vectors), 15)
        for v in vectors:
            with self.subTest(manager=v["manager"], method=v["method"], args=v["args"]):
                if v["manager"] == "connection_hooks":
                    c = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true",
                                       on_connect=v["args"]["actions"])
                else:
                    c = dry_client()
                    getattr(getattr(c, v["manager"]), v["method"])(**v["args"])
                got = [_norm(s) for s in c.journal]
                if "expected_sql_sequence" in v:
                    self.assertEqual(got, [_norm(s) for s in v["expected_sql_sequence"]])
                else:
                    self.assertEqual(got, [_norm(v["expected_sql"])])


class VectorOps(unittest.TestCase):
    def setUp(self):
        self.c = dry_client()
        self.v = self.c.vector_ops

    def journal(self):
        j = self.c.journal
        self.c.clear_journal()
        return j

    def test_indexes(self):
        # methods chain, as in the SDK
        self.v.create_ivf("items", "idx", "embedding").create_ivf(
            "db.items", "i2", "v", lists=32, op_type=mocore.VectorOpType.VECTOR_COSINE_OPS)
        self.assertEqual(self.journal(), [
            "SET experimental_ivf_index = 1", "SET probe_limit = 1",
            "CREATE INDEX `idx` USING ivfflat ON `items`(`embedding`) LISTS 100 op_type 'vector_l2_ops'",
            "SET experimental_ivf_index = 1", "SET probe_limit = 1",
            "CREATE INDEX `i2` USING ivfflat ON `db`.`items`(`v`) LISTS 32 op_type 'vector_cosine_ops'"])
        self.v.create_hnsw("items", "h", "v", m=8, ef_construction=100, ef_search=20,
                           op_type="vector_ip_ops")
        self.v.drop("items", "idx").enable_ivf().enable_hnsw().disable_hnsw()
        self.assertEqual(self.journal(), [
            "SET experimental_hnsw_index = 1",
            "CREATE INDEX `h` USING hnsw ON `items`(`v`) M 8 EF_CONSTRUCTION 100 EF_SEARCH 20 op_type 'vector_ip_ops'",
            "DROP INDEX `idx` ON `items`", "SET experimental_ivf_index = 1",
            "SET probe_limit = 1", "SET experimental_hnsw_index = 1",
            "SET experimental_hnsw_index = 0"])

    def test_searches(self):
        self.assertEqual(self.v.similarity_search("items", "embedding", [0.1, 0.2, 0.3]), [])
        self.v.similarity_search("items", "v", (1.0, -2.5, 1e-7), limit=5,
                                 select_columns=["id", "title"],
                                 where_clause="category = ? AND id > 3", where_params=["it's"],
                                 distance_type="cosine")
        self.v.similarity_search("items", "v", [0.1], limit=3,
                                 distance_type=mocore.DistanceType.INNER_PRODUCT)
        self.v.range_search("items", "v", array.array("f", [0.1, 0.2]), 0.5)
        self.v.range_search("items", "v", [0.1, 0.2], 2, select_columns="id",
                            where_clause="id < 100")
        for mode in ("post", "PRE", mocore.IVFRankMode.FORCE):
            self.v.search_with_rank("items", "v", [0.1], limit=7, rank_mode=mode)
        self.assertEqual(self.journal(), [
            "SELECT *, l2_distance(`embedding`, '[0.1,0.2,0.3]') as distance FROM `items` ORDER BY distance LIMIT 10",
            "SELECT `id`, `title`, cosine_distance(`v`, '[1,-2.5,1e-07]') as distance FROM `items` "
            "WHERE (category = 'it''s' AND id > 3) ORDER BY distance LIMIT 5",
            "SELECT *, inner_product(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 3",
            "SELECT *, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` "
            "WHERE l2_distance(`v`, '[0.1,0.2]') <= 0.5e0 ORDER BY distance",
            "SELECT `id`, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` "
            "WHERE (id < 100) AND l2_distance(`v`, '[0.1,0.2]') <= 2e0 ORDER BY distance",
            "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=post'",
            "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=pre'",
            "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=force'"])

    def test_vector_text_of_search_results_becomes_a_list(self):
        """MatrixOne may send a vector column as text; the searches convert the searched
        column (what a row of the real server holds: test_matrixone.py Vectors) with C's
        parser, mo_text_to_vector."""
        from mocore.mocore_core import mo_py_text_vector as _vector
        self.assertEqual(_vector("[1,2.5,-3e-05]"), [1.0, 2.5, -3e-05])
        self.assertEqual(_vector("[]"), [])
        for other in ("[not, numbers]", "plain", None, 5, [1.0]):
            self.assertEqual(_vector(other), other)

    def test_vector_inputs(self):
        """Lists, tuples, array('f'), array('d'), memoryviews of floats and integer arrays are
        vectors; float32 buffers are read as float32 (shortest float32 text)."""
        for vec, text in (([0.5, 1.25], "[0.5,1.25]"), ((0.5, 1.25), "[0.5,1.25]"),
                          (array.array("f", [0.1, 0.2]), "[0.1,0.2]"),
                          (array.array("d", [0.1, 0.2]), "[0.1,0.2]"),
                          (memoryview(array.array("f", [1.5])), "[1.5]"),
                          (array.array("i", [1, 2]), "[1,2]"), (range(3), "[0,1,2]")):
            with self.subTest(vec=vec):
                self.v.similarity_search("t", "v", vec, limit=1)
                self.assertEqual(self.journal(), [
                    f"SELECT *, l2_distance(`v`, '{text}') as distance FROM `t` ORDER BY distance LIMIT 1"])
        for bad in (["x"], [True], b"\x00\x00\x80?", 5, object()):
            with self.subTest(bad=bad), self.assertRaises(TypeError):
                self.v.similarity_search("t", "v", bad)
        for bad, msg in (([], "vector is empty"), ([0.0, float("nan")], "NaN or infinite"),
                         (None, "query vector is NULL")):
            with self.subTest(bad=bad), self.assertRaises(mocore.InvalidArgumentError) as cm:
                self.v.similarity_search("t", "v", bad)
            self.assertIn(msg, cm.exception.message)
            self.assertEqual(cm.exception.operation, "vector_ops.similarity_search")
        self.assertEqual(self.journal(), [])

    def test_insert(self):
        self.v.insert("items", {"id": 1, "embedding": [0.5, 1.25]})
        self.v.batch_insert("items", [{"id": 1, "embedding": array.array("f", [0.5, 1.25])},
                                      {"id": 2, "embedding": None}])
        self.v.batch_insert("items", [])
        self.assertEqual(self.journal(), [
            "INSERT INTO `items` (`id`, `embedding`) VALUES (1, '[0.5,1.25]')",
            "INSERT INTO `items` (`id`, `embedding`) VALUES (1, '[0.5,1.25]'), (2, NULL)"])

    def test_bad_arguments_send_nothing(self):
        cases = [
            lambda: self.v.similarity_search("t", "v", [1.0], distance_type="manhattan"),
            lambda: self.v.search_with_rank("t", "v", [1.0], rank_mode="sideways"),
            lambda: self.v.create_ivf("t", "i", "v", op_type="vector_xx_ops"),
            lambda: self.v.create_ivf("t", "i", "v", lists=0),
            lambda: self.v.similarity_search("t", "v", [1.0], limit=-1),
            lambda: self.v.similarity_search("t", "v", [1.0], log_mode="loud"),
            lambda: self.v.similarity_search("t", "v", [1.0], where_clause="a = ?"),
            lambda: self.v.similarity_search("t", "v", [1.0], where_clause="1; DROP TABLE t"),
            lambda: self.v.range_search("t", "v", [1.0], "far"),
            lambda: self.v.insert("t", {}),
            lambda: self.v.batch_insert("t", [{"a": 1}, {"b": 2}]),
            lambda: self.v.batch_insert("t", [{"a": 1}, {"a": 1, "b": 2}]),
            lambda: self.v.drop("t\0x", "i"),
        ]
        for i, case in enumerate(cases):
            with self.subTest(case=i), self.assertRaises(mocore.InvalidArgumentError):
                case()
        self.assertEqual(self.c.journal, [])

    def test_ivf_stats_in_dry_run(self):
        """Dry-run journals the catalog read and returns the asked-for names (the C manager's
        dry-run read-back), with an empty distribution."""
        st = self.v.get_ivf_stats("items", "embedding")
        self.assertEqual(st, {"index_tables": {}, "distribution": {"centroid_count": [],
                                                                    "centroid_id": [],
                                                                    "centroid_version": []},
                              "database": "db", "table_name": "items",
                              "column_name": "embedding"})
        self.assertEqual(_norm(self.c.journal[0]), _norm(
            "SELECT i.algo_table_type, i.index_table_name FROM `mo_catalog`.`mo_indexes` AS i "
            "JOIN `mo_catalog`.`mo_tables` AS t ON i.table_id = t.rel_id AND i.column_name = "
            "'embedding' AND t.relname = 'items' AND t.reldatabase = 'db' AND i.algo='ivfflat'"))

    @requires_mariadb("get_ivf_stats is MatrixOne's: UNSUPPORTED elsewhere")
    def test_ivf_stats_unsupported_on_mariadb(self):
        with self.assertRaises(mocore.UnsupportedError):
            mocore.connect(server_url()).vector_ops.get_ivf_stats("items")


class OtherManagers(unittest.TestCase):
    def test_fulltext(self):
        c = dry_client()
        ft = c.fulltext_index
        ft.create("articles", "ftidx", ["title", "content"]).create(
            "articles", "ft2", "body", parser="ngram").drop("articles", "ftidx")
        ft.enable_fulltext().disable_fulltext()
        self.assertEqual(ft.search("articles", "title", "+a -b\0c", mode="boolean",
                                   select_columns=["id", "title"], where_clause="id > 3",
                                   limit=5), [])
        ft.search("articles", "title", "db", mode=mocore.FulltextSearchMode.QUERY_EXPANSION)
        ft.search("articles", ["title", "content"], "it's \"x\"")
        self.assertEqual(c.journal, [
            "CREATE FULLTEXT INDEX `ftidx` ON `articles` (`title`, `content`)",
            "CREATE FULLTEXT INDEX `ft2` ON `articles` (`body`) WITH PARSER ngram",
            "DROP INDEX `ftidx` ON `articles`", "SET experimental_fulltext_index = 1",
            "SET experimental_fulltext_index = 0",
            "SELECT `id`, `title` FROM `articles` WHERE MATCH(`title`) AGAINST('+a -b\\0c' IN BOOLEAN MODE) AND (id > 3) LIMIT 5",
            "SELECT * FROM `articles` WHERE MATCH(`title`) AGAINST('db' WITH QUERY EXPANSION)",
            "SELECT * FROM `articles` WHERE MATCH(`title`, `content`) AGAINST('it''s \"x\"')"])
        with self.assertRaises(mocore.InvalidArgumentError):
            ft.create("t", "i", "c", parser="klingon")

    def test_metadata(self):
        c = dry_client()
        m = c.metadata
        self.assertIsInstance(m.scan("db", "t", is_tombstone=True, indexname="idx"), mocore.Result)
        self.assertEqual(m.scan("db", "t", columns=[mocore.MetadataColumn.COL_NAME, "rows_cnt"],
                                distinct_object_name=True), [])
        self.assertEqual(m.scan("db", "t", columns="*"), [])
        self.assertEqual(m.get_table_brief_stats("db", "t", include_tombstone=True,
                                                 include_indexes=["i1", "i2"]), {})
        self.assertEqual(m.get_table_detail_stats("db", "t", indexname="i1"), {})
        self.assertEqual(c.journal, [
            "SELECT * FROM metadata_scan('db.t.?idx.#', '*') g",
            "SELECT DISTINCT(object_name) as object_name, `col_name`, `rows_cnt` FROM metadata_scan('db.t', '*') g",
            "SELECT * FROM metadata_scan('db.t', '*') g",
            "SELECT * FROM metadata_scan('db.t', '*') g", "SELECT * FROM metadata_scan('db.t.#', '*') g",
            "SELECT * FROM metadata_scan('db.t.?i1', '*') g", "SELECT * FROM metadata_scan('db.t.?i2', '*') g",
            "SELECT * FROM metadata_scan('db.t.?i1', '*') g"])
        with self.assertRaises(mocore.InvalidArgumentError):
            m.scan("db", "t", columns=["no_such_column"])

    def test_moctl(self):
        c = dry_client()
        self.assertEqual(c.moctl.flush_table("db1", "users")["result"][0]["returnStr"], "OK")
        c.moctl.flush_table("d'b", "t\\")
        c.moctl.increment_checkpoint()
        c.moctl.global_checkpoint()
        self.assertEqual(c.journal, [
            "SELECT mo_ctl('dn', 'flush', 'db1.users')", "SELECT mo_ctl('dn', 'flush', 'd''b.t\\\\')",
            "SELECT mo_ctl('dn', 'checkpoint', '')", "SELECT mo_ctl('dn', 'globalcheckpoint', '')"])

    def test_table_helpers_sql(self):
        c = dry_client()
        r = c.insert("db.t", {"n": None, "i": -7, "d": 0.25, "s": "O'Brien \\ \0x",
                              "b": b"\x00\xff", "dt": dt.date(2024, 2, 29),
                              "ts": dt.datetime(2024, 1, 2, 3, 4, 5, 6), "ok": True,
                              "dec": decimal.Decimal("12.50"), "j": {"a": 1}})
        self.assertEqual(r.affected_rows, 0)
        self.assertEqual(c.batch_insert("t", []).affected_rows, 0)
        self.assertIs(c.create_table("t", {"id": "INT", "name": "varchar(100)",
                                           "price": "decimal(10, 2)", "v": "vecf32(128)"},
                                     primary_key="id"), c)
        c.create_table("db.t2", {"a": "vecf64(3)", "b": "TEXT"}).drop_table("db.t")
        self.assertEqual(c.journal, [
            "INSERT INTO `db`.`t` (`n`, `i`, `d`, `s`, `b`, `dt`, `ts`, `ok`, `dec`, `j`) "
            "VALUES (NULL, -7, 0.25e0, CAST(X'4F27427269656E205C200078' AS CHAR), X'00FF', '2024-02-29', "
            "'2024-01-02 03:04:05.000006', TRUE, 12.50, '{\"a\": 1}')",
            "CREATE TABLE `t` (`id` INT, `name` VARCHAR(100), `price` DECIMAL(10,2), `v` vecf32(128), PRIMARY KEY (`id`))",
            "CREATE TABLE `db`.`t2` (`a` vecf64(3), `b` TEXT)", "DROP TABLE IF EXISTS `db`.`t`"])
        with self.assertRaises(mocore.InvalidArgumentError) as cm:
            c.create_table("t", {"a": "geometry"})
        self.assertIn("Unsupported column type 'geometry' for column 'a'", cm.exception.message)
        with self.assertRaises(mocore.InvalidArgumentError):
            c.create_table("t", {"a": "int; DROP TABLE x"})
        with self.assertRaises(mocore.InvalidArgumentError):
            c.create_table("t", {"a\0b": "int"})

    def test_session_managers_run_in_the_transaction(self):
        c = dry_client()
        with c.session() as s:
            s.vector_ops.enable_ivf(3)
            s.insert("t", {"a": "x"})
            s.moctl.increment_checkpoint()
        self.assertEqual(c.journal, ["BEGIN", "SET experimental_ivf_index = 1",
                                     "SET probe_limit = 3", "INSERT INTO `t` (`a`) VALUES ('x')",
                                     "SELECT mo_ctl('dn', 'checkpoint', '')", "COMMIT"])

    def test_models_as_tables(self):
        class Doc:
            __tablename__ = "docs"
            __table_args__ = {"schema": "lib"}
        c = dry_client()
        c.fulltext_index.drop(Doc, "ft")
        c.drop_table(Doc)
        self.assertEqual(c.journal, ["DROP INDEX `ft` ON `lib`.`docs`", "DROP TABLE IF EXISTS `lib`.`docs`"])


class Hooks(unittest.TestCase):
    def test_actions_and_callable_in_dry_run(self):
        seen = []

        def hook(conn):
            seen.append(conn)
            conn.execute("SET @hook_calls = ?", [len(seen)])

        c = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true",
                           on_connect=mocore.ConnectionHook([mocore.ConnectionAction.ENABLE_ALL], hook))
        self.assertEqual(c.journal, ["SET experimental_ivf_index = 1", "SET experimental_hnsw_index = 1",
                                     "SET experimental_fulltext_index = 1", "SET @hook_calls = 1"])
        with c.session():
            pass
        self.assertEqual(c.journal[4:], ["SET experimental_ivf_index = 1", "SET experimental_hnsw_index = 1",
                                         "SET experimental_fulltext_index = 1", "SET @hook_calls = 2",
                                         "BEGIN", "COMMIT"])
        with self.assertRaises(mocore.InvalidArgumentError):   # only valid during the call
            seen[0].execute("SELECT 1")

    def test_failures_are_logged_not_raised(self):
        lines = []

        def bad(conn):
            raise RuntimeError("boom")

        c = mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true", on_connect=bad,
                           logger=lambda level, msg: lines.append((level, msg)))
        self.assertIn((logging.WARNING, "Connection hook execution failed: boom"), lines)
        self.assertEqual(c.journal, [])
        with self.assertRaises(mocore.InvalidArgumentError):
            mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true", on_connect=["enable_nothing"])


class Misuse(unittest.TestCase):
    def test_none_and_wrong_types_to_every_method(self):
        """Nones, numbers and odd objects everywhere: an exception or a valid call, never a
        crash, never a wrong value pasted into SQL."""
        import inspect
        c = dry_client()
        n = 0
        methods = [fn for obj in (c.vector_ops, c.fulltext_index, c.metadata, c.moctl)
                   for name, fn in inspect.getmembers(obj, inspect.ismethod)
                   if not name.startswith("_")]
        methods += [c.insert, c.batch_insert, c.create_table, c.drop_table]
        for fn in methods:
            n += 1
            for args in ((None,), (None, None, None), (42,), (object(), [], {}),
                         ("t", "c", {}), ("t", "c", [object()])):
                try:
                    fn(*args)
                except (mocore.Error, TypeError, ValueError):
                    pass
        self.assertGreater(n, 25)
        # what went through are valid calls (("t", "c") is a fine metadata scan); no wrong
        # value was ever turned into SQL text
        for sql in c.journal:
            self.assertNotRegex(sql, r"object at|None|\{\}|\[\]")


class OnMariaDB(unittest.TestCase):
    def setUp(self):
        self.c = mocore.connect(server_url())
        self.t = "mb_" + uuid.uuid4().hex[:10]

    def tearDown(self):
        self.c.drop_table(self.t)
        self.c.close()

    def test_create_insert_batch_insert_round_trip(self):
        self.c.create_table(self.t, {"id": "int", "s": "text", "b": "blob", "d": "date",
                                     "ts": "datetime", "dec": "decimal(10,2)", "j": "json",
                                     "f": "double"}, primary_key="id")
        row = {"id": 1, "s": "O'Brien \\ \0 😀", "b": b"\x00'\\\xff", "d": dt.date(2024, 2, 29),
               "ts": dt.datetime(2024, 1, 2, 3, 4, 5), "dec": decimal.Decimal("12.50"),
               "j": {"k": "v'"}, "f": 0.1}
        self.assertEqual(self.c.insert(self.t, row).affected_rows, 1)
        rows = [{"id": i, "s": f"r{i}'", "b": bytes([i % 256]), "d": None, "ts": None, "dec": None,
                 "j": None, "f": i / 3} for i in range(2, 502)]
        self.assertEqual(self.c.batch_insert(self.t, rows).affected_rows, 500)
        got = self.c.query(f"SELECT id, s, b, d, ts, `dec`, j, f FROM `{self.t}` ORDER BY id")
        self.assertEqual(len(got), 501)
        self.assertEqual(got[0][:6], (1, row["s"], row["b"], row["d"], row["ts"], row["dec"]))
        self.assertEqual(json.loads(got[0][6]), {"k": "v'"})
        self.assertEqual(got[0][7], 0.1)
        self.assertEqual(got[-1][:3], (501, "r501'", bytes([501 % 256])))
        self.assertAlmostEqual(got[-1][7], 501 / 3)
        # a failing batch in a session leaves nothing behind
        with self.assertRaises(mocore.ConstraintError):
            with self.c.session() as s:
                s.batch_insert(self.t, [{"id": 1000}, {"id": 1}])
        self.assertEqual(self.c.scalar(f"SELECT COUNT(*) FROM `{self.t}` WHERE id = 1000"), 0)

    def test_drop_table_is_idempotent_and_create_twice_fails(self):
        self.c.create_table(self.t, {"a": "int"})
        with self.assertRaises(mocore.AlreadyExistsError):
            self.c.create_table(self.t, {"a": "int"})
        self.c.drop_table(self.t).drop_table(self.t)
        with self.assertRaises(mocore.NotFoundError):
            self.c.execute(f"SELECT * FROM `{self.t}`")

    def test_fulltext_create_and_search(self):
        self.c.create_table(self.t, {"id": "int", "title": "varchar(200)", "body": "text"},
                            primary_key="id")
        self.c.batch_insert(self.t, [
            {"id": 1, "title": "MatrixOne database", "body": "vector search engine"},
            {"id": 2, "title": "Cooking pasta", "body": "boiling water and salt"},
            {"id": 3, "title": "Database internals", "body": "storage engines and indexes"}])
        self.c.fulltext_index.create(self.t, "ft_" + self.t, ["title", "body"])
        hits = self.c.fulltext_index.search(self.t, ["title", "body"], "database",
                                            select_columns=["id"])
        self.assertEqual(sorted(h["id"] for h in hits), [1, 3])
        hits = self.c.fulltext_index.search(self.t, "title, body", "+database -vector",
                                            mode="boolean", select_columns="id, title")
        self.assertEqual(hits, [{"id": 3, "title": "Database internals"}])
        hits = self.c.fulltext_index.search(self.t, ["title", "body"], "engine*", mode="boolean",
                                            where_clause="id > ?", where_params=[1], limit=5)
        self.assertEqual([h["id"] for h in hits], [3])
        self.c.fulltext_index.drop(self.t, "ft_" + self.t)
        with self.assertRaises(mocore.Error):  # no index any more: the server refuses MATCH
            self.c.fulltext_index.search(self.t, ["title", "body"], "database")

    @requires_mariadb("MatrixOne runs these calls; test_matrixone.py has them for real")
    def test_matrixone_only_calls_are_unsupported_and_send_nothing(self):
        q = lambda: int(self.c.query("SHOW SESSION STATUS LIKE 'Questions'")[0][1])
        n = q()
        for call in (lambda: self.c.vector_ops.create_ivf(self.t, "i", "v"),
                     lambda: self.c.vector_ops.similarity_search(self.t, "v", [1.0]),
                     lambda: self.c.metadata.scan("db", self.t),
                     lambda: self.c.moctl.global_checkpoint(),
                     lambda: self.c.fulltext_index.enable_fulltext()):
            with self.assertRaises(mocore.UnsupportedError):
                call()
        self.assertEqual(q(), n + 1)   # only the first SHOW STATUS itself

    def test_hook_callback_runs_on_every_connection(self):
        seen = []

        def hook(conn):
            seen.append(conn.scalar("SELECT CONNECTION_ID()"))
            conn.execute("SET @hooked = ?", ["yes"])

        c = mocore.connect(server_url(), on_connect=hook)
        try:
            self.assertEqual(c.scalar("SELECT @hooked"), "yes")
            self.assertEqual(seen, [c.connection_id])
            with c.session() as s:
                self.assertEqual(s.scalar("SELECT @hooked"), "yes")
                self.assertEqual(s.scalar("SELECT CONNECTION_ID()"), seen[1])
            self.assertEqual(len(seen), 2)
            self.assertNotEqual(seen[0], seen[1])
        finally:
            c.close()

    @requires_mariadb("the actions are MatrixOne session variables: run there, skipped elsewhere")
    def test_hook_actions_are_skipped_on_mariadb(self):
        # actions are MatrixOne variables: skipped on MariaDB, the connect goes on
        lines = []
        c = mocore.connect(server_url(), on_connect="enable_all",
                           logger=lambda level, msg: lines.append(msg), log_mode="simple")
        self.assertEqual(c.scalar("SELECT 1"), 1)
        self.assertTrue(any("Connection hook actions skipped" in m for m in lines), lines)
        c.close()


if __name__ == "__main__":
    unittest.main()
