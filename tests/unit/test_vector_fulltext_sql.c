/* The SQL of the vector, fulltext, metadata and mo_ctl functions (vector_ops,
 * fulltext_index, metadata, moctl, table helpers, connection hooks), checked through the dry-run journal (no server).
 *
 * conformance_vectors_pass reads tests/conformance/vector_fulltext_metadata_vectors.json (the SDK's
 * vectors for these managers, copied from the shared set) and checks every one: the journal
 * must equal expected_sql_sequence (or [expected_sql]) after whitespace normalisation. For
 * all 15 the SDK text is already safe for plain names, so mocore sends it unchanged. The
 * other tests cover every method the vectors miss, with the expected mocore text (names
 * quoted, values escaped — where the SDK pastes them raw, the SDK text is in a comment). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"
#include "internal.h" /* mo_json: the vectors file is read with the library's JSON reader */

typedef mo_test_dry_run fixture;


/* ------------------------------------------------------------------ the vectors */

static const char *jstr(const mo_json *args, const char *key) {
    const mo_json *v = mo_json_get(args, key);
    return v && v->type == MO_JSON_STRING ? v->string : NULL;
}

static int jbool(const mo_json *args, const char *key) {
    const mo_json *v = mo_json_get(args, key);
    return v && v->type == MO_JSON_BOOL && v->boolean;
}

/* Run one vector's call; the statements land in c's journal. */
static void run_vector(mo_client **c, mo_executor *ex, const char *manager, const char *method,
                       const mo_json *args) {
    mo_result *r = NULL;
    if (strcmp(manager, "vector_ops") == 0 && strcmp(method, "enable_ivf") == 0) {
        const mo_json *p = mo_json_get(args, "probe_limit");
        assert_mo_ok(mo_vector_enable_ivf(ex, p ? (int)p->number : 0));
    } else if (strcmp(manager, "vector_ops") == 0 && strcmp(method, "disable_ivf") == 0) {
        assert_mo_ok(mo_vector_disable_ivf(ex));
    } else if (strcmp(manager, "metadata") == 0 && strcmp(method, "scan") == 0) {
        assert_mo_ok(mo_metadata_scan(&r, ex, jstr(args, "dbname"), jstr(args, "tablename"),
                                      jbool(args, "is_tombstone"), jstr(args, "indexname"),
                                      jbool(args, "distinct_object_name"), NULL));
        mo_result_free(r);
    } else if (strcmp(manager, "moctl") == 0 && strcmp(method, "flush_table") == 0) {
        assert_mo_ok(mo_moctl_flush_table(NULL, ex, jstr(args, "database"), jstr(args, "table")));
    } else if (strcmp(manager, "moctl") == 0 && strcmp(method, "increment_checkpoint") == 0) {
        assert_mo_ok(mo_moctl_increment_checkpoint(NULL, ex));
    } else if (strcmp(manager, "moctl") == 0 && strcmp(method, "global_checkpoint") == 0) {
        assert_mo_ok(mo_moctl_global_checkpoint(NULL, ex));
    } else if (strcmp(manager, "connection_hooks") == 0 && strcmp(method, "on_connect") == 0) {
        /* A new dry-run client with these actions: its connect journals the hook. */
        unsigned flags = 0;
        const mo_json *list = mo_json_get(args, "actions");
        for (size_t i = 0; i < mo_json_count(list); i++) {
            unsigned one = 0;
            assert_mo_ok(mo_connect_action_parse(mo_json_at(list, i)->string, &one));
            flags |= one;
        }
        mo_config *cfg = NULL;
        assert_mo_ok(mo_config_from_url(&cfg, "matrixone://u:p@127.0.0.1:1/db?dry_run=true"));
        assert_mo_ok(mo_config_set_connect_actions(cfg, flags));
        mo_client_close(*c);
        assert_mo_ok(mo_client_connect(c, cfg));
        mo_config_free(cfg);
    } else {
        fprintf(stderr, "no runner for %s.%s\n", manager, method);
        fail();
    }
}

static void conformance_vectors_pass(void **state) {
    (void)state;
    FILE *fp = fopen(MOCORE_SOURCE_DIR "/tests/conformance/vector_fulltext_metadata_vectors.json", "rb");
    assert_non_null(fp);
    char *text = malloc(1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, fp);
    fclose(fp);
    const char *why = NULL;
    mo_json *all = mo_json_parse(text, len, &why);
    if (!all) fprintf(stderr, "vectors: %s\n", why);
    assert_non_null(all);
    size_t checked = 0;
    for (size_t i = 0; i < mo_json_count(all); i++) {
        const mo_json *v = mo_json_at(all, i);
        const char *manager = jstr(v, "manager"), *method = jstr(v, "method");
        mo_client *c = mo_test_dry_run_client(NULL);
        mo_executor *ex = NULL;
        if (strcmp(manager, "connection_hooks") == 0) {
            run_vector(&c, NULL, manager, method, mo_json_get(v, "args"));
        } else {
            assert_mo_ok(mo_client_executor(&ex, c));
            run_vector(&c, ex, manager, method, mo_json_get(v, "args"));
        }
        const char *expected[16] = {0};
        const mo_json *seq = mo_json_get(v, "expected_sql_sequence");
        if (seq) {
            assert_true(mo_json_count(seq) < 16);
            for (size_t k = 0; k < mo_json_count(seq); k++) expected[k] = mo_json_at(seq, k)->string;
        } else {
            expected[0] = jstr(v, "expected_sql");
        }
        assert_non_null(expected[0]);
        mo_test_journal_check(c, expected, 1);
        mo_executor_free(ex);
        mo_client_close(c);
        checked++;
    }
    /* Every vector of the copy was applicable and checked. */
    assert_int_equal(checked, 15);
    mo_json_free(all);
    free(text);
}

/* ------------------------------------------------------------------ vector_ops */

static void vector_index_statements(void **state) {
    fixture *f = *state;
    /* SDK: CREATE INDEX idx USING ivfflat ON items(embedding) LISTS 100 op_type 'vector_l2_ops' */
    assert_mo_ok(mo_vector_create_ivf(f->ex, "items", "idx", "embedding", 0, MO_VECTOR_L2));
    JOURNAL(f->client, "SET experimental_ivf_index = 1", "SET probe_limit = 1",
            "CREATE INDEX `idx` USING ivfflat ON `items`(`embedding`) LISTS 100 op_type 'vector_l2_ops'");
    assert_mo_ok(mo_vector_create_ivf(f->ex, "db.items", "i2", "v", 32, MO_VECTOR_COSINE));
    JOURNAL(f->client, "SET experimental_ivf_index = 1", "SET probe_limit = 1",
            "CREATE INDEX `i2` USING ivfflat ON `db`.`items`(`v`) LISTS 32 op_type 'vector_cosine_ops'");
    /* SDK: CREATE INDEX h USING hnsw ON items(v) M 16 EF_CONSTRUCTION 200 EF_SEARCH 50
     * op_type 'vector_l2_ops' without the SET (mocore sets the switch, as create_ivf does). */
    assert_mo_ok(mo_vector_create_hnsw(f->ex, "items", "h", "v", 0, 0, 0, MO_VECTOR_L2));
    JOURNAL(f->client, "SET experimental_hnsw_index = 1",
            "CREATE INDEX `h` USING hnsw ON `items`(`v`) M 16 EF_CONSTRUCTION 200 EF_SEARCH 50 op_type 'vector_l2_ops'");
    assert_mo_ok(mo_vector_create_hnsw(f->ex, "items", "h", "v", 8, 100, 20, MO_VECTOR_INNER_PRODUCT));
    JOURNAL(f->client, "SET experimental_hnsw_index = 1",
            "CREATE INDEX `h` USING hnsw ON `items`(`v`) M 8 EF_CONSTRUCTION 100 EF_SEARCH 20 op_type 'vector_ip_ops'");
    assert_mo_ok(mo_vector_drop(f->ex, "items", "idx"));
    JOURNAL(f->client, "DROP INDEX `idx` ON `items`");
    assert_mo_ok(mo_vector_enable_ivf(f->ex, 0));
    JOURNAL(f->client, "SET experimental_ivf_index = 1", "SET probe_limit = 1");
    assert_mo_ok(mo_vector_enable_hnsw(f->ex));
    assert_mo_ok(mo_vector_disable_hnsw(f->ex));
    JOURNAL(f->client, "SET experimental_hnsw_index = 1", "SET experimental_hnsw_index = 0");
    error_is(mo_vector_create_ivf(f->ex, "items", "idx", "v", 0, (mo_vector_distance)9),
             MO_E_INVALID_ARGUMENT, "vector_ops.create_ivf", "invalid op_type 9");
    error_is(mo_vector_create_hnsw(f->ex, "items", "", "v", 0, 0, 0, MO_VECTOR_L2),
             MO_E_INVALID_ARGUMENT, "vector_ops.create_hnsw", "invalid index name: empty");
    error_is(mo_vector_drop(f->ex, NULL, "i"), MO_E_INVALID_ARGUMENT, "vector_ops.drop", NULL);
    JOURNAL_EMPTY(f->client);
}

static void vector_search_statements(void **state) {
    fixture *f = *state;
    const float q32[] = {0.1f, 0.2f, 0.3f};
    const double q64[] = {1.0, -2.5, 1e-7};
    mo_result *r = NULL;
    /* SDK: SELECT *, l2_distance(embedding, '[0.1,0.2,0.3]') as distance FROM items ORDER BY
     * distance LIMIT 10 */
    assert_mo_ok(mo_vector_similarity_search(&r, f->ex, "items", "embedding", q32, 3, MO_VECTOR_F32,
                                             0, NULL, NULL, NULL, MO_VECTOR_L2));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT *, l2_distance(`embedding`, '[0.1,0.2,0.3]') as distance FROM `items` "
                       "ORDER BY distance LIMIT 10");
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, "it's", 4));
    assert_mo_ok(mo_vector_similarity_search(&r, f->ex, "items", "v", q64, 3, MO_VECTOR_F64, 5,
                                             "id, title", "category = ? AND id > 3", p,
                                             MO_VECTOR_COSINE));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT `id`, `title`, cosine_distance(`v`, '[1,-2.5,1e-07]') as distance "
                       "FROM `items` WHERE (category = 'it''s' AND id > 3) ORDER BY distance LIMIT 5");
    assert_mo_ok(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 1, MO_VECTOR_F32, 3,
                                             NULL, NULL, NULL, MO_VECTOR_INNER_PRODUCT));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT *, inner_product(`v`, '[0.1]') as distance FROM `items` "
                       "ORDER BY distance LIMIT 3");
    /* SDK: ... WHERE l2_distance(v, '[..]') <= 0.5 ORDER BY distance */
    assert_mo_ok(mo_vector_range_search(&r, f->ex, "items", "v", q32, 2, MO_VECTOR_F32, 0.5, NULL,
                                        NULL, NULL));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT *, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` "
                       "WHERE l2_distance(`v`, '[0.1,0.2]') <= 0.5e0 ORDER BY distance");
    assert_mo_ok(mo_vector_range_search(&r, f->ex, "items", "v", q32, 2, MO_VECTOR_F32, 2, "id",
                                        "id < 100", NULL));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT `id`, l2_distance(`v`, '[0.1,0.2]') as distance FROM `items` "
                       "WHERE (id < 100) AND l2_distance(`v`, '[0.1,0.2]') <= 2e0 ORDER BY distance");
    static const char *const modes[] = {"post", "pre", "force"};
    for (int m = 0; m < 3; m++) {
        char want[256];
        assert_mo_ok(mo_vector_search_with_rank(&r, f->ex, "items", "v", q32, 1, MO_VECTOR_F32, 7,
                                                NULL, NULL, NULL, MO_VECTOR_L2, (mo_ivf_rank_mode)m));
        mo_result_free(r);
        snprintf(want, sizeof want, "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` "
                 "ORDER BY distance LIMIT 7 BY RANK WITH OPTION 'mode=%s'", modes[m]);
        JOURNAL(f->client, want);
    }
    /* validation: nothing sent */
    const float bad[] = {0.f, NAN};
    error_is(mo_vector_similarity_search(&r, f->ex, "items", "v", bad, 2, MO_VECTOR_F32, 0, NULL,
                                         NULL, NULL, MO_VECTOR_L2),
             MO_E_INVALID_ARGUMENT, "vector_ops.similarity_search", "vector element 1 is NaN or infinite");
    error_is(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 0, MO_VECTOR_F32, 0, NULL,
                                         NULL, NULL, MO_VECTOR_L2),
             MO_E_INVALID_ARGUMENT, "vector_ops.similarity_search", "vector is empty");
    error_is(mo_vector_similarity_search(&r, f->ex, "items", "v", NULL, 3, MO_VECTOR_F32, 0, NULL,
                                         NULL, NULL, MO_VECTOR_L2),
             MO_E_INVALID_ARGUMENT, "vector_ops.similarity_search", "query vector is NULL");
    error_is(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 3, (mo_vector_element)5, 0,
                                         NULL, NULL, NULL, MO_VECTOR_L2),
             MO_E_INVALID_ARGUMENT, "vector_ops.similarity_search", "invalid vector element type 5");
    error_is(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 3, MO_VECTOR_F32, 0, NULL,
                                         NULL, NULL, (mo_vector_distance)4),
             MO_E_INVALID_ARGUMENT, "vector_ops.similarity_search", "invalid distance type 4");
    error_is(mo_vector_search_with_rank(&r, f->ex, "items", "v", q32, 3, MO_VECTOR_F32, 0, NULL,
                                        NULL, NULL, MO_VECTOR_L2, (mo_ivf_rank_mode)3),
             MO_E_INVALID_ARGUMENT, "vector_ops.search_with_rank",
             "Failed to perform vector search with rank on table items: '3' is not a valid IVFRankMode");
    error_is(mo_vector_range_search(&r, f->ex, "items", "v", q32, 3, MO_VECTOR_F32, INFINITY, NULL,
                                    NULL, NULL),
             MO_E_INVALID_ARGUMENT, "vector_ops.range_search", "max_distance must be a finite number");
    /* where fragments that would reach past their parentheses */
    static const char *const frags[] = {"1); DROP TABLE t; --", "1 -- x", "a = 'open",
                                        "1) OR (1", "x /* y", "a = 1; SELECT 2"};
    for (size_t i = 0; i < sizeof frags / sizeof frags[0]; i++)
        assert_int_equal(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 3, MO_VECTOR_F32,
                                                     0, NULL, frags[i], NULL, MO_VECTOR_L2),
                         MO_E_INVALID_ARGUMENT);
    /* params without a filter, and a placeholder count mismatch */
    error_is(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 3, MO_VECTOR_F32, 0, NULL,
                                         NULL, p, MO_VECTOR_L2),
             MO_E_INVALID_ARGUMENT, "vector_ops.similarity_search", "where_params given without where_sql");
    assert_int_equal(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 3, MO_VECTOR_F32, 0,
                                                 NULL, "a = ? AND b = ?", p, MO_VECTOR_L2),
                     MO_E_INVALID_ARGUMENT);
    assert_null(r);
    mo_params_free(p);
    JOURNAL_EMPTY(f->client);
    /* a comment closed by a line break, and ';' inside a literal, are fine */
    assert_mo_ok(mo_vector_similarity_search(&r, f->ex, "items", "v", q32, 1, MO_VECTOR_F32, 1, NULL,
                                             "a = 'x;y' -- note\n", NULL, MO_VECTOR_L2));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT *, l2_distance(`v`, '[0.1]') as distance FROM `items` "
                       "WHERE (a = 'x;y' -- note\n) ORDER BY distance LIMIT 1");
}

static void vector_insert_statements(void **state) {
    fixture *f = *state;
    const float v[] = {0.5f, 1.25f};
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 1));
    assert_mo_ok(mo_params_add_vector_f32(p, v, 2));
    const char *cols[] = {"id", "embedding"};
    uint64_t n = 99;
    /* SDK: INSERT INTO items (id, embedding) VALUES (1, '[0.5,1.25]') */
    assert_mo_ok(mo_vector_insert(&n, f->ex, "items", cols, 2, p));
    assert_int_equal(n, 0);
    JOURNAL(f->client, "INSERT INTO `items` (`id`, `embedding`) VALUES (1, '[0.5,1.25]')");
    assert_mo_ok(mo_params_add_int64(p, 2));
    assert_mo_ok(mo_params_add_null(p));
    /* SDK: one INSERT per row; mocore: one multi-row INSERT */
    assert_mo_ok(mo_vector_batch_insert(NULL, f->ex, "items", cols, 2, p, 2));
    JOURNAL(f->client, "INSERT INTO `items` (`id`, `embedding`) VALUES (1, '[0.5,1.25]'), (2, NULL)");
    error_is(mo_vector_insert(NULL, f->ex, "items", cols, 2, p), MO_E_INVALID_ARGUMENT,
             "vector_ops.insert", "values holds 4 values; 1 row of 2 columns need 2");
    mo_params_free(p);
    JOURNAL_EMPTY(f->client);
}

static void ivf_stats_reads_back(void **state) {
    fixture *f = *state;
    mo_ivf_stats *s = NULL;
    /* dry-run: every statement up to the first that needs a name only the server knows is
     * journaled, and the record carries what was asked (no NOT_FOUND, as every read-back) */
    assert_mo_ok(mo_vector_get_ivf_stats(&s, f->ex, "items", "embedding", NULL));
    assert_string_equal(mo_ivf_stats_database(s), "db");
    assert_string_equal(mo_ivf_stats_table_name(s), "items");
    assert_string_equal(mo_ivf_stats_column_name(s), "embedding");
    assert_int_equal(mo_ivf_stats_centroid_count(s), 0);
    mo_ivf_stats_free(s);
    s = NULL;
    JOURNAL(f->client,
            "SELECT i.algo_table_type, i.index_table_name FROM `mo_catalog`.`mo_indexes` AS i "
            "JOIN `mo_catalog`.`mo_tables` AS t ON i.table_id = t.rel_id AND i.column_name = "
            "'embedding' AND t.relname = 'items' AND t.reldatabase = 'db' AND i.algo='ivfflat'");
    assert_mo_ok(mo_vector_get_ivf_stats(&s, f->ex, "items", NULL, "other"));
    assert_null(mo_ivf_stats_column_name(s));
    mo_ivf_stats_free(s);
    s = NULL;
    JOURNAL(f->client, "SELECT column_name, data_type FROM information_schema.columns WHERE "
                       "table_schema = 'other' AND table_name = 'items' AND (data_type LIKE "
                       "'%VEC%' OR data_type LIKE '%vec%')");
    /* "db.table" names the database as database= does (it was NOT_FOUND: the dotted name
     * was looked up as a table of the connection's database) */
    assert_mo_ok(mo_vector_get_ivf_stats(&s, f->ex, "other.items", NULL, NULL));
    assert_string_equal(mo_ivf_stats_database(s), "other");
    assert_string_equal(mo_ivf_stats_table_name(s), "items");
    mo_ivf_stats_free(s);
    s = NULL;
    JOURNAL(f->client, "SELECT column_name, data_type FROM information_schema.columns WHERE "
                       "table_schema = 'other' AND table_name = 'items' AND (data_type LIKE "
                       "'%VEC%' OR data_type LIKE '%vec%')");
    error_is(mo_vector_get_ivf_stats(&s, f->ex, "other.items", NULL, "db"), MO_E_INVALID_ARGUMENT,
             "vector_ops.get_ivf_stats",
             "table 'other.items' names its database, and database='db' is another one");
    JOURNAL_EMPTY(f->client);
    error_is(mo_vector_get_ivf_stats(NULL, f->ex, "items", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "vector_ops.get_ivf_stats", "out is NULL");
    /* accessors on NULL / a foreign handle */
    assert_null(mo_ivf_stats_database(NULL));
    assert_null(mo_ivf_stats_table_name(NULL));
    assert_null(mo_ivf_stats_column_name(NULL));
    assert_null(mo_ivf_stats_index_table(NULL, "entries"));
    assert_int_equal(mo_ivf_stats_centroid_count(NULL), 0);
    assert_int_equal(mo_ivf_stats_centroid(NULL, 0, NULL, NULL, NULL), MO_E_INVALID_ARGUMENT);
    mo_ivf_stats_free(NULL);
}

/* ------------------------------------------------------------------ fulltext_index */

static void fulltext_statements(void **state) {
    fixture *f = *state;
    /* SDK: CREATE FULLTEXT INDEX ftidx ON articles (title, content) */
    assert_mo_ok(mo_fulltext_create(f->ex, "articles", "ftidx", "title, content", NULL));
    JOURNAL(f->client, "CREATE FULLTEXT INDEX `ftidx` ON `articles` (`title`, `content`)");
    /* ORM DDL: ... WITH PARSER ngram */
    assert_mo_ok(mo_fulltext_create(f->ex, "articles", "ft2", "body", "NGRAM"));
    assert_mo_ok(mo_fulltext_create(f->ex, "docs", "ft3", "j", "json"));
    JOURNAL(f->client, "CREATE FULLTEXT INDEX `ft2` ON `articles` (`body`) WITH PARSER ngram",
            "CREATE FULLTEXT INDEX `ft3` ON `docs` (`j`) WITH PARSER json");
    error_is(mo_fulltext_create(f->ex, "articles", "x", "body", "bm25"), MO_E_INVALID_ARGUMENT,
             "fulltext_index.create", "Invalid parser 'bm25': must be 'ngram' or 'json'");
    assert_mo_ok(mo_fulltext_drop(f->ex, "articles", "ftidx"));
    assert_mo_ok(mo_fulltext_enable(f->ex));
    assert_mo_ok(mo_fulltext_disable(f->ex));
    JOURNAL(f->client, "DROP INDEX `ftidx` ON `articles`", "SET experimental_fulltext_index = 1",
            "SET experimental_fulltext_index = 0");
    mo_result *r = NULL;
    /* SDK: MATCH(title, content) AGAINST('<q>') with the query unescaped */
    /* a ? without parameters: nothing sent */
    assert_int_equal(mo_fulltext_search(&r, f->ex, "articles", "title", "+a -b\0c", 7,
                                        MO_FULLTEXT_BOOLEAN, "id, title", "id > ?", NULL, 5),
                     MO_E_INVALID_ARGUMENT);
    assert_null(r);
    JOURNAL_EMPTY(f->client);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 3));
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "articles", "title", "+a -b\0c", 7,
                                    MO_FULLTEXT_BOOLEAN, "id, title", "id > ?", p, 5));
    mo_result_free(r);
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "articles", "title", "db", 2,
                                    MO_FULLTEXT_QUERY_EXPANSION, NULL, NULL, NULL, 0));
    mo_result_free(r);
    mo_params_free(p);
    mo_test_journal_check(f->client, (const char *const[]){
        "SELECT `id`, `title` FROM `articles` WHERE MATCH(`title`) AGAINST('+a -b\\0c' IN BOOLEAN MODE) AND (id > 3) LIMIT 5",
        "SELECT * FROM `articles` WHERE MATCH(`title`) AGAINST('db' WITH QUERY EXPANSION)", NULL}, 0);
    error_is(mo_fulltext_search(&r, f->ex, "articles", "title", "\xff", 1, MO_FULLTEXT_NATURAL,
                                NULL, NULL, NULL, 0),
             MO_E_INVALID_ARGUMENT, "fulltext_index.search", "query is not valid UTF-8");
    error_is(mo_fulltext_search(&r, f->ex, "articles", "title", "q", 1, (mo_fulltext_mode)7,
                                NULL, NULL, NULL, 0),
             MO_E_INVALID_ARGUMENT, "fulltext_index.search", "invalid fulltext mode 7");
    JOURNAL_EMPTY(f->client);
}

static void fulltext_natural_query_is_escaped(void **state) {
    fixture *f = *state;
    mo_result *r = NULL;
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "articles", "title,content", "it's \"x\"", 8,
                                    MO_FULLTEXT_NATURAL, NULL, NULL, NULL, 0));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT * FROM `articles` WHERE MATCH(`title`, `content`) AGAINST('it''s \"x\"')");
}

/* ------------------------------------------------------------------ metadata */

static void metadata_statements(void **state) {
    fixture *f = *state;
    mo_result *r = NULL;
    /* the SDK builds db.t.?idx.# for tombstone + index (no vector) */
    assert_mo_ok(mo_metadata_scan(&r, f->ex, "db", "t", 1, "idx", 0, NULL));
    mo_result_free(r);
    assert_mo_ok(mo_metadata_scan(&r, f->ex, "db", "t", 0, NULL, 1, "col_name, rows_cnt"));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT * FROM metadata_scan('db.t.?idx.#', '*') g",
            "SELECT DISTINCT(object_name) as object_name, `col_name`, `rows_cnt` FROM metadata_scan('db.t', '*') g");
    error_is(mo_metadata_scan(&r, f->ex, "db", "t", 0, NULL, 0, "rows_cnt, secret"),
             MO_E_INVALID_ARGUMENT, "metadata.scan", "unknown metadata column 'secret'");
    error_is(mo_metadata_scan(&r, f->ex, "d.b", "t", 0, NULL, 0, NULL), MO_E_INVALID_ARGUMENT,
             "metadata.scan", "invalid database name: '.' cannot be expressed here");
    JOURNAL_EMPTY(f->client);
    mo_metadata_row_list *rows = NULL;
    assert_mo_ok(mo_metadata_scan_rows(&rows, f->ex, "db", "t", 0, NULL, 0));
    assert_int_equal(mo_metadata_row_list_count(rows), 0);
    assert_null(mo_metadata_row_list_get(rows, 0));
    mo_metadata_row_list_free(rows);
    JOURNAL(f->client, "SELECT * FROM metadata_scan('db.t', '*') g");
    mo_table_stats_list *stats = NULL;
    assert_mo_ok(mo_metadata_brief_stats(&stats, f->ex, "db", "t", 0, NULL, 1, "i1, i2"));
    assert_int_equal(mo_table_stats_list_count(stats), 0);
    mo_table_stats_list_free(stats);
    JOURNAL(f->client, "SELECT * FROM metadata_scan('db.t', '*') g",
            "SELECT * FROM metadata_scan('db.t.#', '*') g",
            "SELECT * FROM metadata_scan('db.t.?i1', '*') g",
            "SELECT * FROM metadata_scan('db.t.?i2', '*') g");
    assert_mo_ok(mo_metadata_detail_stats(&stats, f->ex, "db", "t", 0, "i1", 0, NULL));
    mo_table_stats_list_free(stats);
    JOURNAL(f->client, "SELECT * FROM metadata_scan('db.t.?i1', '*') g");
    /* "db.table" as everywhere; a bare table is in the connection's database */
    assert_mo_ok(mo_metadata_scan(&r, f->ex, NULL, "db2.t", 0, NULL, 0, NULL));
    mo_result_free(r);
    assert_mo_ok(mo_metadata_scan_rows(&rows, f->ex, NULL, "t", 0, NULL, 0));
    mo_metadata_row_list_free(rows);
    assert_mo_ok(mo_metadata_detail_stats(&stats, f->ex, "db2", "db2.t", 0, NULL, 0, NULL));
    mo_table_stats_list_free(stats);
    JOURNAL(f->client, "SELECT * FROM metadata_scan('db2.t', '*') g",
            "SELECT * FROM metadata_scan('db.t', '*') g", "SELECT * FROM metadata_scan('db2.t', '*') g");
    /* every index name is checked before the first scan */
    error_is(mo_metadata_brief_stats(&stats, f->ex, "db", "t", 0, NULL, 0, "ok, b.ad"),
             MO_E_INVALID_ARGUMENT, "metadata.get_table_brief_stats",
             "invalid index name: '.' cannot be expressed here");
    JOURNAL_EMPTY(f->client);
    /* record accessors are NULL-safe */
    assert_null(mo_metadata_row_col_name(NULL));
    assert_null(mo_metadata_row_object_name(NULL));
    assert_int_equal(mo_metadata_row_is_hidden(NULL), 0);
    assert_null(mo_metadata_row_obj_loc(NULL));
    assert_null(mo_metadata_row_create_ts(NULL));
    assert_null(mo_metadata_row_delete_ts(NULL));
    assert_int_equal(mo_metadata_row_rows_cnt(NULL), 0);
    assert_int_equal(mo_metadata_row_null_cnt(NULL), 0);
    assert_int_equal(mo_metadata_row_compress_size(NULL), 0);
    assert_int_equal(mo_metadata_row_origin_size(NULL), 0);
    assert_null(mo_metadata_row_min(NULL));
    assert_null(mo_metadata_row_max(NULL));
    assert_null(mo_metadata_row_sum(NULL));
    mo_metadata_row_free(NULL);
    assert_null(mo_table_stats_key(NULL));
    assert_null(mo_table_stats_object_name(NULL));
    assert_null(mo_table_stats_create_ts(NULL));
    assert_null(mo_table_stats_delete_ts(NULL));
    assert_int_equal(mo_table_stats_total_objects(NULL), 0);
    assert_int_equal(mo_table_stats_row_cnt(NULL), 0);
    assert_int_equal(mo_table_stats_null_cnt(NULL), 0);
    assert_int_equal(mo_table_stats_original_size(NULL), 0);
    assert_int_equal(mo_table_stats_compress_size(NULL), 0);
    assert_null(mo_table_stats_original_size_text(NULL));
    assert_null(mo_table_stats_compress_size_text(NULL));
    mo_table_stats_free(NULL);
    assert_null(mo_table_stats_list_get(NULL, 0));
}

/* ------------------------------------------------------------------ moctl */

static void moctl_statements(void **state) {
    fixture *f = *state;
    mo_moctl_result *m = NULL;
    assert_mo_ok(mo_moctl_flush_table(&m, f->ex, "db1", "users"));
    assert_string_equal(mo_moctl_result_return_str(m), "OK"); /* dry-run */
    assert_null(mo_moctl_result_method(m));
    assert_string_equal(mo_moctl_result_json(m), "");
    mo_moctl_result_free(m);
    JOURNAL(f->client, "SELECT mo_ctl('dn', 'flush', 'db1.users')");
    assert_mo_ok(mo_moctl_flush_table(NULL, f->ex, "d'b", "t\\"));
    JOURNAL(f->client, "SELECT mo_ctl('dn', 'flush', 'd''b.t\\\\')"); /* SDK: 'd'b.t\' */
    /* "db.table" is read as everywhere (mo_mgr_split_table); no database: the connection's */
    assert_mo_ok(mo_moctl_flush_table(NULL, f->ex, NULL, "db1.users"));
    assert_mo_ok(mo_moctl_flush_table(NULL, f->ex, "db1", "db1.users"));
    assert_mo_ok(mo_moctl_flush_table(NULL, f->ex, "", "t"));
    JOURNAL(f->client, "SELECT mo_ctl('dn', 'flush', 'db1.users')",
            "SELECT mo_ctl('dn', 'flush', 'db1.users')", "SELECT mo_ctl('dn', 'flush', 'db.t')");
    error_is(mo_moctl_flush_table(NULL, f->ex, "db", "a.b"), MO_E_INVALID_ARGUMENT,
             "moctl.flush_table", "table 'a.b' names its database, and database='db' is another one");
    error_is(mo_moctl_flush_table(NULL, f->ex, "db", "a.b.c"), MO_E_INVALID_ARGUMENT,
             "moctl.flush_table", "table 'a.b.c' names its database, and database='db' is another one");
    error_is(mo_moctl_flush_table(NULL, f->ex, NULL, "a.b.c"), MO_E_INVALID_ARGUMENT,
             "moctl.flush_table", "invalid table name: '.' cannot be expressed here");
    error_is(mo_moctl_flush_table(NULL, f->ex, NULL, ""), MO_E_INVALID_ARGUMENT,
             "moctl.flush_table", "table_name must be a non-empty string");
    JOURNAL_EMPTY(f->client);
}

/* The JSON answer parsing of mo_ctl, on the reader the manager uses. */
static void json_reader(void **state) {
    (void)state;
    const char *why = NULL;
    const char *doc = "{\"method\": \"Flush\", \"result\": [{\"returnStr\": \"OK\\u00e9\\ud83d\\ude00\"}], "
                      "\"n\": -1.5e2, \"t\": true, \"f\": false, \"z\": null}";
    mo_json *j = mo_json_parse(doc, strlen(doc), &why);
    assert_non_null(j);
    assert_string_equal(mo_json_get(j, "method")->string, "Flush");
    assert_string_equal(mo_json_get(mo_json_at(mo_json_get(j, "result"), 0), "returnStr")->string,
                        "OK\xc3\xa9\xf0\x9f\x98\x80");
    assert_true(mo_json_get(j, "n")->number == -150.0);
    assert_int_equal(mo_json_get(j, "t")->boolean, 1);
    assert_int_equal(mo_json_get(j, "f")->boolean, 0);
    assert_int_equal(mo_json_get(j, "z")->type, MO_JSON_NULL);
    assert_null(mo_json_get(j, "absent"));
    mo_json_free(j);
    static const char *const bad[] = {"", "{", "{\"a\" 1}", "[1,]", "\"\\ud800\"", "{} x",
                                      "\"a\x01\"", "tru", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(mo_json_parse(bad[i], strlen(bad[i]), &why));
        assert_non_null(why);
    }
}

/* ------------------------------------------------------------------ table helpers */

static void insert_renders_every_type(void **state) {
    fixture *f = *state;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_null(p));
    assert_mo_ok(mo_params_add_int64(p, -7));
    assert_mo_ok(mo_params_add_double(p, 0.25));
    assert_mo_ok(mo_params_add_text(p, "O'Brien \\ \0x", 12));
    assert_mo_ok(mo_params_add_blob(p, "\x00\xff", 2));
    assert_mo_ok(mo_params_add_date(p, 2024, 2, 29));
    assert_mo_ok(mo_params_add_datetime(p, 2024, 1, 2, 3, 4, 5, 6));
    assert_mo_ok(mo_params_add_bool(p, 1));
    assert_mo_ok(mo_params_add_decimal(p, "12.50", 5));
    assert_mo_ok(mo_params_add_json(p, "{\"a\":1}", 7));
    const char *cols[] = {"n", "i", "d", "s", "b", "dt", "ts", "ok", "dec", "j"};
    /* SDK: INSERT INTO t (n, i, ...) VALUES (NULL, '-7', '0.25', 'O'Brien ...', ...) */
    assert_mo_ok(mo_table_insert(NULL, f->ex, "db.t", cols, 10, p));
    JOURNAL(f->client, "INSERT INTO `db`.`t` (`n`, `i`, `d`, `s`, `b`, `dt`, `ts`, `ok`, `dec`, `j`) "
                       "VALUES (NULL, -7, 0.25e0, CAST(X'4F27427269656E205C200078' AS CHAR), X'00FF', '2024-02-29', "
                       "'2024-01-02 03:04:05.000006', TRUE, 12.50, '{\"a\":1}')");
    error_is(mo_table_insert(NULL, f->ex, "t", cols, 0, p), MO_E_INVALID_ARGUMENT, "table.insert",
             "at least one column is required");
    error_is(mo_table_insert(NULL, f->ex, "t", cols, 3, p), MO_E_INVALID_ARGUMENT, "table.insert",
             "values holds 10 values; 1 row of 3 columns need 3");
    error_is(mo_table_insert(NULL, f->ex, "t", cols, 10, NULL), MO_E_INVALID_ARGUMENT,
             "table.insert", NULL);
    /* batch of 0 rows sends nothing */
    mo_params *empty = NULL;
    assert_mo_ok(mo_params_new(&empty));
    uint64_t n = 5;
    assert_mo_ok(mo_table_batch_insert(&n, f->ex, "t", cols, 2, empty, 0));
    assert_int_equal(n, 0);
    mo_params_free(empty);
    mo_params_free(p);
    JOURNAL_EMPTY(f->client);
}

static void batch_insert_splits_under_max_allowed_packet(void **state) {
    fixture *f = *state;
    /* dry-run assumes 16 MiB; 40 rows of 1 MiB text need 3 statements */
    size_t big = 1024 * 1024, rows = 40;
    char *text = malloc(big);
    memset(text, 'x', big);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (size_t i = 0; i < rows; i++) {
        assert_mo_ok(mo_params_add_int64(p, (int64_t)i));
        assert_mo_ok(mo_params_add_text(p, text, big));
    }
    const char *cols[] = {"id", "payload"};
    assert_mo_ok(mo_table_batch_insert(NULL, f->ex, "t", cols, 2, p, rows));
    size_t count = 0, total_rows = 0;
    assert_mo_ok(mo_client_journal_count(f->client, &count));
    assert_int_equal(count, 3);
    for (size_t i = 0; i < count; i++) {
        const char *sql;
        size_t len;
        assert_mo_ok(mo_client_journal_get(f->client, i, &sql, &len));
        assert_true(len <= 16u * 1024 * 1024 - 1024);
        assert_true(strncmp(sql, "INSERT INTO `t` (`id`, `payload`) VALUES (", 42) == 0);
        for (const char *s = sql; (s = strstr(s, "'x")); s++) total_rows++;
    }
    assert_int_equal(total_rows, rows);
    assert_mo_ok(mo_client_journal_clear(f->client));
    /* a row larger than the packet: RESOURCE, nothing sent, not even the rows before it */
    char *huge = malloc(17u * 1024 * 1024);
    memset(huge, 'y', 17u * 1024 * 1024);
    assert_mo_ok(mo_params_add_int64(p, 99));
    assert_mo_ok(mo_params_add_text(p, huge, 17u * 1024 * 1024));
    assert_int_equal(mo_table_batch_insert(NULL, f->ex, "t", cols, 2, p, rows + 1), MO_E_RESOURCE);
    JOURNAL_EMPTY(f->client);
    free(huge);
    free(text);
    mo_params_free(p);
}

static void create_and_drop_table(void **state) {
    fixture *f = *state;
    const char *names[] = {"id", "name", "price", "v", "doc", "flag", "big", "at", "c", "bin"};
    const char *types[] = {"INT", "varchar(100)", "decimal(10, 2)", "vecf32(128)", "jsonb",
                           "bool", "bigint unsigned", "datetime", "char(3)", "varbinary(16)"};
    /* SDK (SQLAlchemy): CREATE TABLE t (\n\tid INTEGER NOT NULL AUTO_INCREMENT, ...) */
    assert_mo_ok(mo_table_create(f->ex, "t", names, types, 10, "id"));
    JOURNAL(f->client, "CREATE TABLE `t` (`id` INT, `name` VARCHAR(100), `price` DECIMAL(10,2), "
                       "`v` vecf32(128), `doc` JSON, `flag` BOOLEAN, `big` BIGINT UNSIGNED, "
                       "`at` DATETIME, `c` CHAR(3), `bin` VARBINARY(16), PRIMARY KEY (`id`))");
    const char *n2[] = {"a", "b"};
    const char *t2[] = {"vecf64(3)", "TEXT"};
    assert_mo_ok(mo_table_create(f->ex, "db.t2", n2, t2, 2, NULL));
    JOURNAL(f->client, "CREATE TABLE `db`.`t2` (`a` vecf64(3), `b` TEXT)");
    static const char *const bad[] = {"varchar", "varchar(0)", "int; DROP TABLE x", "geometry",
                                      "decimal(1,2,3)", "vecf32(1234567890)", "", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *tt[] = {bad[i]};
        assert_int_equal(mo_table_create(f->ex, "t", n2, tt, 1, NULL), MO_E_INVALID_ARGUMENT);
    }
    const char *tt[] = {"geometry"};
    error_is(mo_table_create(f->ex, "t", n2, tt, 1, NULL), MO_E_INVALID_ARGUMENT,
             "table.create_table", NULL);
    assert_non_null(strstr(mo_error_message(mo_error_last()),
                           "Unsupported column type 'geometry' for column 'a'. Supported types: int,"));
    JOURNAL_EMPTY(f->client);
    assert_mo_ok(mo_table_drop(f->ex, "db.t"));
    JOURNAL(f->client, "DROP TABLE IF EXISTS `db`.`t`");
}

/* ------------------------------------------------------------------ hooks */

typedef struct {
    int calls;
    mo_status result;
} hook_state;

static mo_status count_hook(mo_executor *ex, void *userdata) {
    hook_state *h = userdata;
    h->calls++;
    mo_params *p = NULL;
    mo_result *r = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, h->calls));
    assert_mo_ok(mo_executor_execute(&r, ex, "SET @hook_calls = ?", 19, p));
    mo_result_free(r);
    mo_params_free(p);
    if (h->result < 0) return mo_executor_execute(&r, ex, NULL, 0, NULL); /* fails: sql NULL */
    return h->result;
}

static int warnings;
static void sink(void *userdata, int level, const char *message, size_t len) {
    (void)userdata;
    (void)len;
    if (level == MO_LOG_LEVEL_WARNING && strstr(message, "Connection hook")) warnings++;
}

static void hooks_run_on_every_new_connection(void **state) {
    (void)state;
    hook_state h = {0, MO_OK};
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, "matrixone://u:p@127.0.0.1:1/db?dry_run=true"));
    assert_mo_ok(mo_config_set_connect_actions(cfg, MO_CONNECT_ENABLE_ALL));
    assert_mo_ok(mo_config_set_connect_hook(cfg, count_hook, &h));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    assert_int_equal(h.calls, 1);
    JOURNAL(c, "SET experimental_ivf_index = 1", "SET experimental_hnsw_index = 1",
            "SET experimental_fulltext_index = 1", "SET @hook_calls = 1");
    /* a session is a new connection: the hook runs before its BEGIN */
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_int_equal(h.calls, 2);
    JOURNAL(c, "SET experimental_ivf_index = 1", "SET experimental_hnsw_index = 1",
            "SET experimental_fulltext_index = 1", "SET @hook_calls = 2", "BEGIN");
    mo_session_close(s);
    assert_mo_ok(mo_client_journal_clear(c));
    mo_client_close(c);
    /* a failing callback is logged and the connect goes on */
    h.result = MO_E_SERVER;
    warnings = 0;
    assert_mo_ok(mo_config_set_log_sink(cfg, sink, NULL));
    assert_mo_ok(mo_config_set_log_mode(cfg, MO_LOG_SIMPLE));
    assert_mo_ok(mo_config_set_connect_actions(cfg, MO_CONNECT_ENABLE_IVF));
    assert_mo_ok(mo_client_connect(&c, cfg));
    assert_int_equal(h.calls, 3);
    assert_int_equal(warnings, 1);
    mo_client_close(c);
    /* removing the hook; unknown action bits; action names */
    assert_mo_ok(mo_config_set_connect_hook(cfg, NULL, NULL));
    error_is(mo_config_set_connect_actions(cfg, 8), MO_E_INVALID_ARGUMENT,
             "config.set_connect_actions", "unknown connect action bits 0x8");
    unsigned a = 0;
    assert_mo_ok(mo_connect_action_parse("ENABLE_VECTOR", &a));
    assert_int_equal(a, MO_CONNECT_ENABLE_VECTOR);
    error_is(mo_connect_action_parse("enable_everything", &a), MO_E_INVALID_ARGUMENT,
             "config.connect_action_parse", "'enable_everything' is not a valid ConnectionAction");
    mo_config_free(cfg);
    /* on a server that is not MatrixOne the SET actions are skipped; the callback runs */
    h.calls = 0;
    h.result = MO_OK;
    assert_mo_ok(mo_config_from_url(&cfg, "mysql://u:p@127.0.0.1:1/db?dry_run=true&server_kind=mariadb"));
    assert_mo_ok(mo_config_set_connect_actions(cfg, MO_CONNECT_ENABLE_ALL));
    assert_mo_ok(mo_config_set_connect_hook(cfg, count_hook, &h));
    assert_mo_ok(mo_client_connect(&c, cfg));
    assert_int_equal(h.calls, 1);
    JOURNAL(c, "SET @hook_calls = 1");
    mo_client_close(c);
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ gating, sessions */

static void matrixone_only_calls_are_unsupported_elsewhere(void **state) {
    (void)state;
    mo_client *c = mo_test_dry_run_client("&server_kind=mariadb");
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    const float q[] = {1.f};
    mo_result *r = NULL;
    mo_ivf_stats *s = NULL;
    mo_metadata_row_list *rows = NULL;
    mo_table_stats_list *stats = NULL;
    assert_int_equal(mo_vector_create_ivf(ex, "t", "i", "v", 0, MO_VECTOR_L2), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_create_hnsw(ex, "t", "i", "v", 0, 0, 0, MO_VECTOR_L2), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_enable_ivf(ex, 1), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_disable_ivf(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_enable_hnsw(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_disable_hnsw(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_similarity_search(&r, ex, "t", "v", q, 1, MO_VECTOR_F32, 0, NULL,
                                                 NULL, NULL, MO_VECTOR_L2), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_range_search(&r, ex, "t", "v", q, 1, MO_VECTOR_F32, 1, NULL, NULL,
                                            NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_search_with_rank(&r, ex, "t", "v", q, 1, MO_VECTOR_F32, 0, NULL,
                                                NULL, NULL, MO_VECTOR_L2, MO_IVF_RANK_PRE),
                     MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_get_ivf_stats(&s, ex, "t", "v", NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_fulltext_enable(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_fulltext_disable(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_fulltext_create(ex, "t", "i", "c", "json"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_scan(&r, ex, "d", "t", 0, NULL, 0, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_scan_rows(&rows, ex, "d", "t", 0, NULL, 0), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_brief_stats(&stats, ex, "d", "t", 0, NULL, 0, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_detail_stats(&stats, ex, "d", "t", 0, NULL, 0, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_moctl_flush_table(NULL, ex, "d", "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_moctl_increment_checkpoint(NULL, ex), MO_E_UNSUPPORTED);
    error_is(mo_moctl_global_checkpoint(NULL, ex), MO_E_UNSUPPORTED, "moctl.global_checkpoint",
             "moctl.global_checkpoint is a MatrixOne-only operation; the server is MariaDB");
    JOURNAL_EMPTY(c);
    /* the plain-MySQL ones run */
    assert_mo_ok(mo_vector_drop(ex, "t", "i"));
    assert_mo_ok(mo_fulltext_create(ex, "t", "i", "c", "ngram"));
    assert_mo_ok(mo_fulltext_drop(ex, "t", "i"));
    assert_mo_ok(mo_table_drop(ex, "t"));
    JOURNAL(c, "DROP INDEX `i` ON `t`", "CREATE FULLTEXT INDEX `i` ON `t` (`c`) WITH PARSER ngram",
            "DROP INDEX `i` ON `t`", "DROP TABLE IF EXISTS `t`");
    mo_executor_free(ex);
    mo_client_close(c);
}

static void session_executor_runs_inside_the_transaction(void **state) {
    fixture *f = *state;
    mo_session *s = NULL;
    mo_executor *ex = NULL;
    assert_mo_ok(mo_session_open(&s, f->client));
    assert_mo_ok(mo_session_executor(&ex, s));
    assert_mo_ok(mo_vector_enable_ivf(ex, 3));
    const char *cols[] = {"a"};
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, "x", 1));
    assert_mo_ok(mo_table_insert(NULL, ex, "t", cols, 1, p));
    mo_result *r = NULL;
    assert_mo_ok(mo_executor_execute(&r, ex, "SELECT ?", 8, p));
    mo_result_free(r);
    mo_params_free(p);
    JOURNAL(f->client, "BEGIN", "SET experimental_ivf_index = 1", "SET probe_limit = 3",
            "INSERT INTO `t` (`a`) VALUES ('x')", "SELECT 'x'");
    mo_session_close(s);
    /* a closed session's executor refuses */
    error_is(mo_table_drop(ex, "t"), MO_E_MISUSE, "table.drop_table", NULL);
    error_is(mo_executor_execute(NULL, ex, "SELECT 1", 8, NULL), MO_E_INVALID_ARGUMENT,
             "executor.execute", "out is NULL");
    mo_executor_free(ex);
    assert_mo_ok(mo_client_journal_clear(f->client));
}

/* ------------------------------------------------------------------ injection sweep
 * Every name argument of every function gets hostile text; each call either quotes it (the
 * last statement is exactly the template with the quoted name) or rejects it with
 * INVALID_ARGUMENT and nothing journaled. */

static const struct { const char *in, *ident, *literal; } hostile[] = {
    {"a`b", "`a``b`", "a`b"},
    {"x'; DROP TABLE t; --", "`x'; DROP TABLE t; --`", "x''; DROP TABLE t; --"},
    {"back\\slash", "`back\\slash`", "back\\\\slash"},
    {"semi;colon", "`semi;colon`", "semi;colon"},
    {"-- c", "`-- c`", "-- c"},
    {"/* c */", "`/* c */`", "/* c */"},
    {"new\nline", "`new\nline`", "new\\nline"},
    {"q\"uote", "`q\"uote`", "q\"uote"},
    {"数据库€", "`数据库€`", "数据库€"},
    {"````", "``````````", "````"},
};
/* ... and 4-byte UTF-8 (outside the BMP): no server takes it in an identifier. */
static const char *const rejected[] = {"", "\xc3\x28", "\xed\xa0\x80", "数据库🙂", NULL};

typedef mo_status (*name_call)(mo_executor *ex, const char *name);
#define NAME_CALL(fn, body) static mo_status fn(mo_executor *ex, const char *n) { body }

static const float qv[] = {1.f};
NAME_CALL(c_ivf_table, return mo_vector_create_ivf(ex, n, "i", "v", 0, MO_VECTOR_L2);)
NAME_CALL(c_ivf_name, return mo_vector_create_ivf(ex, "t", n, "v", 0, MO_VECTOR_L2);)
NAME_CALL(c_ivf_col, return mo_vector_create_ivf(ex, "t", "i", n, 0, MO_VECTOR_L2);)
NAME_CALL(c_hnsw_table, return mo_vector_create_hnsw(ex, n, "i", "v", 0, 0, 0, MO_VECTOR_L2);)
NAME_CALL(c_hnsw_name, return mo_vector_create_hnsw(ex, "t", n, "v", 0, 0, 0, MO_VECTOR_L2);)
NAME_CALL(c_hnsw_col, return mo_vector_create_hnsw(ex, "t", "i", n, 0, 0, 0, MO_VECTOR_L2);)
NAME_CALL(c_vdrop_table, return mo_vector_drop(ex, n, "i");)
NAME_CALL(c_vdrop_name, return mo_vector_drop(ex, "t", n);)
static mo_status search(mo_executor *ex, const char *t, const char *c, const char *sel, int kind) {
    mo_result *r = NULL;
    mo_status st = kind == 0 ? mo_vector_similarity_search(&r, ex, t, c, qv, 1, MO_VECTOR_F32, 1,
                                                           sel, NULL, NULL, MO_VECTOR_L2)
                 : kind == 1 ? mo_vector_range_search(&r, ex, t, c, qv, 1, MO_VECTOR_F32, 1, sel,
                                                      NULL, NULL)
                             : mo_vector_search_with_rank(&r, ex, t, c, qv, 1, MO_VECTOR_F32, 1, sel,
                                                          NULL, NULL, MO_VECTOR_L2, MO_IVF_RANK_PRE);
    mo_result_free(r);
    return st;
}
NAME_CALL(c_sim_table, return search(ex, n, "v", NULL, 0);)
NAME_CALL(c_sim_col, return search(ex, "t", n, NULL, 0);)
NAME_CALL(c_sim_sel, return search(ex, "t", "v", n, 0);)
NAME_CALL(c_range_table, return search(ex, n, "v", NULL, 1);)
NAME_CALL(c_range_col, return search(ex, "t", n, NULL, 1);)
NAME_CALL(c_rank_table, return search(ex, n, "v", NULL, 2);)
NAME_CALL(c_rank_sel, return search(ex, "t", "v", n, 2);)
static mo_status ins(mo_executor *ex, const char *t, const char *c, int vector) {
    mo_params *p = NULL;
    mo_params_new(&p);
    mo_params_add_int64(p, 1);
    const char *cols[] = {c};
    mo_status st = vector ? mo_vector_insert(NULL, ex, t, cols, 1, p)
                          : mo_table_batch_insert(NULL, ex, t, cols, 1, p, 1);
    mo_params_free(p);
    return st;
}
NAME_CALL(c_vins_table, return ins(ex, n, "c", 1);)
NAME_CALL(c_vins_col, return ins(ex, "t", n, 1);)
NAME_CALL(c_tins_table, return ins(ex, n, "c", 0);)
NAME_CALL(c_tins_col, return ins(ex, "t", n, 0);)
NAME_CALL(c_ft_table, return mo_fulltext_create(ex, n, "i", "c", NULL);)
NAME_CALL(c_ft_name, return mo_fulltext_create(ex, "t", n, "c", NULL);)
NAME_CALL(c_ft_drop, return mo_fulltext_drop(ex, "t", n);)
static mo_status fts(mo_executor *ex, const char *t, const char *c, const char *sel) {
    mo_result *r = NULL;
    mo_status st = mo_fulltext_search(&r, ex, t, c, "q", 1, MO_FULLTEXT_NATURAL, sel, NULL, NULL, 0);
    mo_result_free(r);
    return st;
}
NAME_CALL(c_fts_table, return fts(ex, n, "c", NULL);)
NAME_CALL(c_fts_sel, return fts(ex, "t", "c", n);)
NAME_CALL(c_create_table, const char *cn[] = {"a"}; const char *ct[] = {"int"};
          return mo_table_create(ex, n, cn, ct, 1, NULL);)
NAME_CALL(c_create_col, const char *cn[] = {n}; const char *ct[] = {"int"};
          return mo_table_create(ex, "t", cn, ct, 1, NULL);)
NAME_CALL(c_create_pk, const char *cn[] = {"a"}; const char *ct[] = {"int"};
          return mo_table_create(ex, "t", cn, ct, 1, n);)
NAME_CALL(c_drop_table, return mo_table_drop(ex, n);)
static mo_status stats(mo_executor *ex, const char *d, const char *t, const char *column) {
    mo_ivf_stats *s = NULL;
    mo_status st = mo_vector_get_ivf_stats(&s, ex, t, column, d);
    mo_ivf_stats_free(s);
    return st == MO_E_NOT_FOUND ? MO_OK : st; /* dry-run: nothing in the catalog */
}
NAME_CALL(c_ivfstats_table, return stats(ex, "db", n, "v");)
NAME_CALL(c_ivfstats_col, return stats(ex, "db", "t", n);)
NAME_CALL(c_ivfstats_db, return stats(ex, n, "t", NULL);)
/* names that travel inside a literal */
static mo_status scan(mo_executor *ex, const char *d, const char *t, const char *i) {
    mo_result *r = NULL;
    mo_status st = mo_metadata_scan(&r, ex, d, t, 0, i, 0, NULL);
    mo_result_free(r);
    return st;
}
NAME_CALL(c_scan_db, return scan(ex, n, "t", NULL);)
NAME_CALL(c_scan_table, return scan(ex, "db", n, NULL);)
NAME_CALL(c_scan_index, return scan(ex, "db", "t", n);)
NAME_CALL(c_brief_index, mo_table_stats_list *l = NULL;
          mo_status st = mo_metadata_brief_stats(&l, ex, "db", "t", 0, NULL, 0, n);
          mo_table_stats_list_free(l); return st;)
NAME_CALL(c_flush_db, return mo_moctl_flush_table(NULL, ex, n, "t");)
NAME_CALL(c_flush_table, return mo_moctl_flush_table(NULL, ex, "db", n);)

/* %I = the quoted identifier, %L = the name inside a literal. */
static const struct { name_call fn; const char *tmpl; } sweep[] = {
    {c_ivf_table, "CREATE INDEX `i` USING ivfflat ON %I(`v`) LISTS 100 op_type 'vector_l2_ops'"},
    {c_ivf_name, "CREATE INDEX %I USING ivfflat ON `t`(`v`) LISTS 100 op_type 'vector_l2_ops'"},
    {c_ivf_col, "CREATE INDEX `i` USING ivfflat ON `t`(%I) LISTS 100 op_type 'vector_l2_ops'"},
    {c_hnsw_table, "CREATE INDEX `i` USING hnsw ON %I(`v`) M 16 EF_CONSTRUCTION 200 EF_SEARCH 50 op_type 'vector_l2_ops'"},
    {c_hnsw_name, "CREATE INDEX %I USING hnsw ON `t`(`v`) M 16 EF_CONSTRUCTION 200 EF_SEARCH 50 op_type 'vector_l2_ops'"},
    {c_hnsw_col, "CREATE INDEX `i` USING hnsw ON `t`(%I) M 16 EF_CONSTRUCTION 200 EF_SEARCH 50 op_type 'vector_l2_ops'"},
    {c_vdrop_table, "DROP INDEX `i` ON %I"},
    {c_vdrop_name, "DROP INDEX %I ON `t`"},
    {c_sim_table, "SELECT *, l2_distance(`v`, '[1]') as distance FROM %I ORDER BY distance LIMIT 1"},
    {c_sim_col, "SELECT *, l2_distance(%I, '[1]') as distance FROM `t` ORDER BY distance LIMIT 1"},
    {c_sim_sel, "SELECT %I, l2_distance(`v`, '[1]') as distance FROM `t` ORDER BY distance LIMIT 1"},
    {c_range_table, "SELECT *, l2_distance(`v`, '[1]') as distance FROM %I WHERE l2_distance(`v`, '[1]') <= 1e0 ORDER BY distance"},
    {c_range_col, "SELECT *, l2_distance(%I, '[1]') as distance FROM `t` WHERE l2_distance(%I, '[1]') <= 1e0 ORDER BY distance"},
    {c_rank_table, "SELECT *, l2_distance(`v`, '[1]') as distance FROM %I ORDER BY distance LIMIT 1 BY RANK WITH OPTION 'mode=pre'"},
    {c_rank_sel, "SELECT %I, l2_distance(`v`, '[1]') as distance FROM `t` ORDER BY distance LIMIT 1 BY RANK WITH OPTION 'mode=pre'"},
    {c_vins_table, "INSERT INTO %I (`c`) VALUES (1)"},
    {c_vins_col, "INSERT INTO `t` (%I) VALUES (1)"},
    {c_tins_table, "INSERT INTO %I (`c`) VALUES (1)"},
    {c_tins_col, "INSERT INTO `t` (%I) VALUES (1)"},
    {c_ft_table, "CREATE FULLTEXT INDEX `i` ON %I (`c`)"},
    {c_ft_name, "CREATE FULLTEXT INDEX %I ON `t` (`c`)"},
    {c_ft_drop, "DROP INDEX %I ON `t`"},
    {c_fts_table, "SELECT * FROM %I WHERE MATCH(`c`) AGAINST('q')"},
    {c_fts_sel, "SELECT %I FROM `t` WHERE MATCH(`c`) AGAINST('q')"},
    {c_create_table, "CREATE TABLE %I (`a` INT)"},
    {c_create_col, "CREATE TABLE `t` (%I INT)"},
    {c_create_pk, "CREATE TABLE `t` (`a` INT, PRIMARY KEY (%I))"},
    {c_drop_table, "DROP TABLE IF EXISTS %I"},
    {c_ivfstats_table, "SELECT i.algo_table_type, i.index_table_name FROM `mo_catalog`.`mo_indexes` AS i JOIN `mo_catalog`.`mo_tables` AS t ON i.table_id = t.rel_id AND i.column_name = 'v' AND t.relname = '%L' AND t.reldatabase = 'db' AND i.algo='ivfflat'"},
    {c_ivfstats_col, "SELECT i.algo_table_type, i.index_table_name FROM `mo_catalog`.`mo_indexes` AS i JOIN `mo_catalog`.`mo_tables` AS t ON i.table_id = t.rel_id AND i.column_name = '%L' AND t.relname = 't' AND t.reldatabase = 'db' AND i.algo='ivfflat'"},
    {c_ivfstats_db, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '%L' AND table_name = 't' AND (data_type LIKE '%VEC%' OR data_type LIKE '%vec%')"},
    {c_scan_db, "SELECT * FROM metadata_scan('%L.t', '*') g"},
    {c_scan_table, "SELECT * FROM metadata_scan('db.%L', '*') g"},
    {c_scan_index, "SELECT * FROM metadata_scan('db.t.?%L', '*') g"},
    {c_brief_index, "SELECT * FROM metadata_scan('db.t.?%L', '*') g"},
    {c_flush_db, "SELECT mo_ctl('dn', 'flush', '%L.t')"},
    {c_flush_table, "SELECT mo_ctl('dn', 'flush', 'db.%L')"},
};

static void expand(char *out, size_t size, const char *tmpl, const char *ident, const char *lit) {
    size_t n = 0;
    for (const char *p = tmpl; *p && n + 1 < size; p++) {
        if (p[0] == '%' && (p[1] == 'I' || p[1] == 'L')) {
            const char *s = p[1] == 'I' ? ident : lit;
            size_t l = strlen(s);
            if (n + l >= size) break;
            memcpy(out + n, s, l);
            n += l;
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = 0;
}

static void injection_sweep(void **state) {
    fixture *f = *state;
    size_t checked = 0;
    char want[1024];
    for (size_t k = 0; k < sizeof sweep / sizeof sweep[0]; k++) {
        for (size_t h = 0; h < sizeof hostile / sizeof hostile[0]; h++) {
            const char *in = hostile[h].in;
            /* Where a name is split at '.' or travels inside a literal, a dot is rejected;
             * none of the hostile names has one, so each must be quoted. */
            mo_status st = sweep[k].fn(f->ex, in);
            if (st != MO_OK) {
                fprintf(stderr, "sweep %zu, name %zu: status %d\n", k, h, st);
                fail();
            }
            size_t n = 0;
            const char *last = NULL;
            assert_mo_ok(mo_client_journal_count(f->client, &n));
            assert_true(n > 0);
            assert_mo_ok(mo_client_journal_get(f->client, n - 1, &last, NULL));
            expand(want, sizeof want, sweep[k].tmpl, hostile[h].ident, hostile[h].literal);
            if (strcmp(last, want) != 0) {
                fprintf(stderr, "sweep %zu, name %zu:\n got  [%s]\n want [%s]\n", k, h, last, want);
                fail();
            }
            assert_mo_ok(mo_client_journal_clear(f->client));
            checked++;
        }
        for (size_t r = 0; r < sizeof rejected / sizeof rejected[0]; r++) {
            /* c_fts_sel/c_sim_sel/c_rank_sel: NULL/"" select lists mean '*', not a name */
            if (rejected[r] == NULL || rejected[r][0] == 0) {
                if (sweep[k].fn == c_fts_sel || sweep[k].fn == c_sim_sel || sweep[k].fn == c_rank_sel ||
                    sweep[k].fn == c_create_pk || sweep[k].fn == c_scan_index ||
                    sweep[k].fn == c_brief_index || sweep[k].fn == c_ivfstats_db ||
                    sweep[k].fn == c_ivfstats_col || sweep[k].fn == c_scan_db ||
                    sweep[k].fn == c_flush_db) {
                    /* (a database of NULL/"" is the connection's: mo_mgr_split_table) */
                    assert_mo_ok(mo_client_journal_clear(f->client));
                    continue;
                }
            }
            mo_status st = sweep[k].fn(f->ex, rejected[r]);
            if (st != MO_E_INVALID_ARGUMENT) {
                fprintf(stderr, "sweep %zu, rejected %zu: status %d\n", k, r, st);
                fail();
            }
            JOURNAL_EMPTY(f->client);
        }
        /* a dotted name in a literal position is rejected */
        if (strstr(sweep[k].tmpl, "%L") && sweep[k].fn != c_ivfstats_table &&
            sweep[k].fn != c_ivfstats_col && sweep[k].fn != c_ivfstats_db) {
            assert_int_equal(sweep[k].fn(f->ex, "a.b"), MO_E_INVALID_ARGUMENT);
            JOURNAL_EMPTY(f->client);
        }
    }
    assert_int_equal(checked, (sizeof sweep / sizeof sweep[0]) * (sizeof hostile / sizeof hostile[0]));
}

/* Values: every special byte of the fulltext query (with NUL, via its length) and of an
 * inserted text value is escaped; the where parameters too. */
static void hostile_values_are_escaped(void **state) {
    fixture *f = *state;
    mo_result *r = NULL;
    const char q[] = "a'\\\n\r\x1a\"\0z;--`";
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "t", "c", q, sizeof q - 1, MO_FULLTEXT_BOOLEAN,
                                    NULL, NULL, NULL, 0));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT * FROM `t` WHERE MATCH(`c`) AGAINST('a''\\\\\\n\\r\\Z\"\\0z;--`' IN BOOLEAN MODE)");
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, q, sizeof q - 1));
    const char *cols[] = {"c"};
    assert_mo_ok(mo_table_insert(NULL, f->ex, "t", cols, 1, p));
    JOURNAL(f->client, "INSERT INTO `t` (`c`) VALUES (CAST(X'61275C0A0D1A22007A3B2D2D60' AS CHAR))");
    const float v[] = {1.f};
    assert_mo_ok(mo_vector_similarity_search(&r, f->ex, "t", "v", v, 1, MO_VECTOR_F32, 1, NULL,
                                             "c = ?", p, MO_VECTOR_L2));
    mo_result_free(r);
    JOURNAL(f->client, "SELECT *, l2_distance(`v`, '[1]') as distance FROM `t` WHERE (c = "
                       "CAST(X'61275C0A0D1A22007A3B2D2D60' AS CHAR)) ORDER BY distance LIMIT 1");
    mo_params_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conformance_vectors_pass),
        mo_test_dry_run_test(vector_index_statements),
        mo_test_dry_run_test(vector_search_statements),
        mo_test_dry_run_test(vector_insert_statements),
        mo_test_dry_run_test(ivf_stats_reads_back),
        mo_test_dry_run_test(fulltext_statements),
        mo_test_dry_run_test(fulltext_natural_query_is_escaped),
        mo_test_dry_run_test(metadata_statements),
        mo_test_dry_run_test(moctl_statements),
        cmocka_unit_test(json_reader),
        mo_test_dry_run_test(insert_renders_every_type),
        mo_test_dry_run_test(batch_insert_splits_under_max_allowed_packet),
        mo_test_dry_run_test(create_and_drop_table),
        cmocka_unit_test(hooks_run_on_every_new_connection),
        cmocka_unit_test(matrixone_only_calls_are_unsupported_elsewhere),
        mo_test_dry_run_test(session_executor_runs_inside_the_transaction),
        mo_test_dry_run_test(injection_sweep),
        mo_test_dry_run_test(hostile_values_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
