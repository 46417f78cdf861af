/* Vector and fulltext indexes, table helpers and hooks against the real MariaDB: FULLTEXT index + MATCH search, typed
 * insert/batch_insert round-trips, a 50 MB batch insert split under max_allowed_packet,
 * create/drop table, connection hooks on connect, and MatrixOne-only calls refused before
 * anything is sent. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"

static int64_t status_value(mo_client *c, const char *name) {
    char sql[128];
    snprintf(sql, sizeof sql, "SHOW SESSION STATUS LIKE '%s'", name);
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    const char *v;
    size_t n;
    assert_mo_ok(mo_result_get_text(r, 1, &v, &n));
    int64_t q = strtoll(v, NULL, 10);
    mo_result_free(r);
    return q;
}

typedef struct {
    mo_client *c;
    mo_executor *ex;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    f->c = mo_test_connect();
    assert_mo_ok(mo_client_executor(&f->ex, f->c));
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    mo_executor_free(f->ex);
    mo_client_close(f->c);
    free(f);
    return 0;
}

static void fulltext_index_and_match_search(void **state) {
    fixture *f = *state;
    const char *names[] = {"id", "title", "body"};
    const char *types[] = {"int", "varchar(200)", "text"};
    assert_mo_ok(mo_table_drop(f->ex, "ft_docs"));
    assert_mo_ok(mo_table_create(f->ex, "ft_docs", names, types, 3, "id"));
    static const char *const rows[][2] = {
        {"Vector database systems", "Approximate nearest neighbour search over embeddings"},
        {"Fulltext search", "MATCH AGAINST finds documents by relevance"},
        {"Cooking pasta", "Boil water, add salt, then the pasta"},
        {"O'Brien's database notes", "Quotes and backslashes \\ in a database text"},
    };
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 0; i < 4; i++) {
        assert_mo_ok(mo_params_add_int64(p, i + 1));
        assert_mo_ok(mo_params_add_text(p, rows[i][0], strlen(rows[i][0])));
        assert_mo_ok(mo_params_add_text(p, rows[i][1], strlen(rows[i][1])));
    }
    uint64_t affected = 0;
    assert_mo_ok(mo_table_batch_insert(&affected, f->ex, "ft_docs", names, 3, p, 4));
    assert_int_equal(affected, 4);
    mo_params_free(p);
    assert_mo_ok(mo_fulltext_create(f->ex, "ft_docs", "ft_idx", "title, body", NULL));

    /* natural language: the two rows about databases, nothing else */
    mo_result *r = NULL;
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "ft_docs", "title,body", "database", 8,
                                    MO_FULLTEXT_NATURAL, "id", NULL, NULL, 0));
    int seen = 0;
    while (mo_result_next(r) == MO_ROW) {
        int64_t id;
        assert_mo_ok(mo_result_get_int64(r, 0, &id));
        seen |= 1 << id;
    }
    mo_result_free(r);
    assert_int_equal(seen, (1 << 1) | (1 << 4));
    /* boolean mode with an exclusion, a filter with a parameter and a limit */
    mo_params *w = NULL;
    assert_mo_ok(mo_params_new(&w));
    assert_mo_ok(mo_params_add_int64(w, 0));
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "ft_docs", "title, body", "+database -notes", 16,
                                    MO_FULLTEXT_BOOLEAN, "id, title", "id > ?", w, 10));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t id = 0;
    assert_mo_ok(mo_result_get_int64(r, 0, &id));
    assert_int_equal(id, 1);
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);
    mo_params_free(w);
    /* a query with a quote is a literal, not SQL */
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "ft_docs", "title,body", "O'Brien's') OR 1=1 -- ", 22,
                                    MO_FULLTEXT_NATURAL, "id", NULL, NULL, 0));
    int n = 0;
    while (mo_result_next(r) == MO_ROW) n++;
    assert_true(n <= 1);
    mo_result_free(r);
    /* query expansion runs */
    assert_mo_ok(mo_fulltext_search(&r, f->ex, "ft_docs", "title,body", "pasta", 5,
                                    MO_FULLTEXT_QUERY_EXPANSION, "id", NULL, NULL, 1));
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_result_free(r);
    assert_mo_ok(mo_fulltext_drop(f->ex, "ft_docs", "ft_idx"));
    /* without the index MATCH fails with the server's error, wrapped */
    assert_true(mo_fulltext_search(&r, f->ex, "ft_docs", "title,body", "x", 1, MO_FULLTEXT_NATURAL,
                                   NULL, NULL, NULL, 0) < 0);
    assert_string_equal(mo_error_operation(mo_error_last()), "fulltext_index.search");
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Failed to search fulltext index on table ft_docs: "));
    assert_mo_ok(mo_table_drop(f->ex, "ft_docs"));
}

/* Insert the awkward values on `ex` and read them back through the client. */
static void round_trip(mo_client *c, mo_executor *ex, int batch) {
    const char *names[] = {"id", "s", "b", "d", "dt", "n"};
    const char *types[] = {"int", "longtext", "blob", "date", "datetime", "int"};
    assert_mo_ok(mo_table_drop(ex, "rt"));
    /* DATETIME without fraction: the table helper's type set has no fractional DATETIME */
    assert_mo_ok(mo_table_create(ex, "rt", names, types, 6, "id"));
    static const struct { const char *s; size_t len; } texts[] = {
        {"O'Brien \"quoted\"", 16}, {"back\\slash \\' \\\\", 16}, {"nul\0inside", 10},
        {"emoji 🙂 数据", 18}, {"'; DROP TABLE rt; --", 20},
    };
    unsigned char blob[256];
    for (int i = 0; i < 256; i++) blob[i] = (unsigned char)i;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 0; i < 5; i++) {
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_text(p, texts[i].s, texts[i].len));
        assert_mo_ok(mo_params_add_blob(p, blob, 256));
        assert_mo_ok(mo_params_add_date(p, 2024, 2, 29));
        assert_mo_ok(mo_params_add_datetime(p, 1999, 12, 31, 23, 59, 58, 0));
        if (i % 2) assert_mo_ok(mo_params_add_null(p));
        else assert_mo_ok(mo_params_add_int64(p, -i));
        if (!batch) {
            assert_mo_ok(mo_table_insert(NULL, ex, "rt", names, 6, p));
            assert_mo_ok(mo_params_clear(p));
        }
    }
    if (batch) assert_mo_ok(mo_table_batch_insert(NULL, ex, "rt", names, 6, p, 5));
    mo_params_free(p);
    if (mo_executor_session(ex)) assert_mo_ok(mo_session_commit(mo_executor_session(ex)));
    mo_result *r = NULL;
    const char *q = "SELECT id, s, b, d, dt, n FROM rt ORDER BY id";
    assert_mo_ok(mo_client_execute(&r, c, q, strlen(q), NULL));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(mo_result_next(r), MO_ROW);
        const char *s;
        size_t len;
        const void *b;
        assert_mo_ok(mo_result_get_text(r, 1, &s, &len));
        assert_int_equal(len, texts[i].len);
        assert_memory_equal(s, texts[i].s, len);
        assert_mo_ok(mo_result_get_blob(r, 2, &b, &len));
        assert_int_equal(len, 256);
        assert_memory_equal(b, blob, 256);
        assert_mo_ok(mo_result_get_text(r, 3, &s, &len));
        assert_string_equal(s, "2024-02-29");
        assert_mo_ok(mo_result_get_text(r, 4, &s, &len));
        assert_string_equal(s, "1999-12-31 23:59:58");
        int is_null = 0;
        assert_mo_ok(mo_result_is_null(r, 5, &is_null));
        assert_int_equal(is_null, i % 2);
    }
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);
    assert_mo_ok(mo_table_drop(ex, "rt"));
}

static void insert_and_batch_insert_round_trip(void **state) {
    fixture *f = *state;
    round_trip(f->c, f->ex, 0);
    round_trip(f->c, f->ex, 1);
    /* and on a session whose connection runs with NO_BACKSLASH_ESCAPES: the literals follow */
    mo_session *s = NULL;
    mo_executor *sex = NULL;
    assert_mo_ok(mo_session_open(&s, f->c));
    mo_result *r = NULL;
    const char *mode = "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'";
    assert_mo_ok(mo_session_execute(&r, s, mode, strlen(mode), NULL));
    mo_result_free(r);
    assert_mo_ok(mo_session_executor(&sex, s));
    round_trip(f->c, sex, 1);
    mo_executor_free(sex);
    mo_session_close(s);
}

static void fifty_megabytes_split_under_max_allowed_packet(void **state) {
    fixture *f = *state;
    const char *names[] = {"id", "payload"};
    const char *types[] = {"int", "longtext"};
    assert_mo_ok(mo_table_drop(f->ex, "big"));
    assert_mo_ok(mo_table_create(f->ex, "big", names, types, 2, "id"));
    int64_t packet = mo_test_query_int(f->c, "SELECT @@max_allowed_packet");
    size_t row_bytes = 256 * 1024, rows = 200; /* 50 MiB of payload */
    char *text = malloc(row_bytes);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (size_t i = 0; i < rows; i++) {
        memset(text, 'a' + (int)(i % 26), row_bytes);
        assert_mo_ok(mo_params_add_int64(p, (int64_t)i));
        assert_mo_ok(mo_params_add_text(p, text, row_bytes));
    }
    int64_t inserts_before = status_value(f->c, "Com_insert");
    uint64_t affected = 0;
    assert_mo_ok(mo_table_batch_insert(&affected, f->ex, "big", names, 2, p, rows));
    int64_t statements = status_value(f->c, "Com_insert") - inserts_before;
    assert_int_equal(affected, rows);
    /* rows of ~256 KiB + 10 bytes fill each statement up to the packet size */
    int64_t per_statement = (packet - 1024 - 64) / (int64_t)(row_bytes + 16);
    int64_t expected = ((int64_t)rows + per_statement - 1) / per_statement;
    fprintf(stderr, "# 50 MiB batch insert: max_allowed_packet %lld, %lld INSERT statements\n",
            (long long)packet, (long long)statements);
    assert_true(statements >= expected && statements <= expected + 1);
    assert_true(statements >= 4); /* 50 MiB cannot fit in fewer 16 MiB packets */
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM big"), (int64_t)rows);
    assert_int_equal(mo_test_query_int(f->c, "SELECT CAST(SUM(LENGTH(payload)) AS SIGNED) FROM big"),
                     (int64_t)(rows * row_bytes));
    int64_t first_bytes = 0;
    for (size_t i = 0; i < rows; i++) first_bytes += 'a' + (int)(i % 26);
    assert_int_equal(mo_test_query_int(f->c, "SELECT CAST(SUM(ASCII(payload)) AS SIGNED) FROM big"),
                     first_bytes);
    mo_params_free(p);
    /* a row that cannot fit any packet: RESOURCE, and not even the rows before it are sent */
    size_t huge = (size_t)packet + 1;
    char *h = malloc(huge);
    memset(h, 'z', huge);
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 1000));
    assert_mo_ok(mo_params_add_text(p, "small", 5));
    assert_mo_ok(mo_params_add_int64(p, 1001));
    assert_mo_ok(mo_params_add_text(p, h, huge));
    assert_int_equal(mo_table_batch_insert(NULL, f->ex, "big", names, 2, p, 2), MO_E_RESOURCE);
    assert_string_equal(mo_error_operation(mo_error_last()), "table.batch_insert");
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM big"), (int64_t)rows);
    mo_params_free(p);
    free(h);
    free(text);
    assert_mo_ok(mo_table_drop(f->ex, "big"));
}

static void create_and_drop_table(void **state) {
    fixture *f = *state;
    const char *names[] = {"id", "name", "price", "flag", "doc", "big", "c", "bin", "day"};
    const char *types[] = {"integer", "VARCHAR(40)", "decimal(10,2)", "bool", "json",
                           "bigint unsigned", "char(3)", "varbinary(16)", "date"};
    assert_mo_ok(mo_table_drop(f->ex, "made"));
    assert_mo_ok(mo_table_create(f->ex, "made", names, types, 9, "id, name"));
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM information_schema.columns "
                                             "WHERE table_schema = DATABASE() AND table_name = 'made'"), 9);
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM information_schema.columns "
                                             "WHERE table_schema = DATABASE() AND table_name = 'made' "
                                             "AND column_key = 'PRI'"), 2);
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM information_schema.columns "
                                             "WHERE table_schema = DATABASE() AND table_name = 'made' "
                                             "AND column_name = 'big' AND column_type LIKE '%unsigned'"), 1);
    /* creating it twice: the server's ALREADY_EXISTS, with the SDK's prefix */
    assert_int_equal(mo_table_create(f->ex, "made", names, types, 9, NULL), MO_E_ALREADY_EXISTS);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Failed to create table 'made': "));
    assert_mo_ok(mo_table_drop(f->ex, "made"));
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM information_schema.tables "
                                             "WHERE table_schema = DATABASE() AND table_name = 'made'"), 0);
    assert_mo_ok(mo_table_drop(f->ex, "made")); /* IF EXISTS */
    /* a hostile table name is a name */
    const char *n1[] = {"a"};
    const char *t1[] = {"int"};
    assert_mo_ok(mo_table_create(f->ex, "x`; DROP TABLE y; --", n1, t1, 1, NULL));
    assert_int_equal(mo_test_query_int(f->c, "SELECT COUNT(*) FROM information_schema.tables "
                                             "WHERE table_schema = DATABASE() AND table_name = 'x`; DROP TABLE y; --'"), 1);
    assert_mo_ok(mo_table_drop(f->ex, "x`; DROP TABLE y; --"));
}

/* ------------------------------------------------------------------ hooks */

typedef struct {
    int calls;
    int fail;
} hook_state;

static mo_status hook(mo_executor *ex, void *userdata) {
    hook_state *h = userdata;
    h->calls++;
    mo_params *p = NULL;
    mo_result *r = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, h->calls));
    assert_mo_ok(mo_executor_execute(&r, ex, "SET @hooked = ?", 15, p));
    mo_result_free(r);
    mo_params_free(p);
    if (h->fail) {
        /* a real server error from the hook's own statement */
        mo_status st = mo_executor_execute(&r, ex, "SELECT * FROM no_such_table_here", 32, NULL);
        assert_true(st < 0);
        return st;
    }
    return MO_OK;
}

static int hook_warnings;
static void sink(void *userdata, int level, const char *message, size_t len) {
    (void)userdata;
    (void)len;
    if (level == MO_LOG_LEVEL_WARNING &&
        (strstr(message, "Connection hook") || strstr(message, "Failed to enable")))
        hook_warnings++;
}

static void hooks_run_on_connect(void **state) {
    (void)state;
    hook_state h = {0, 0};
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_connect_actions(cfg, MO_CONNECT_ENABLE_ALL));
    assert_mo_ok(mo_config_set_connect_hook(cfg, hook, &h));
    assert_mo_ok(mo_config_set_log_sink(cfg, sink, NULL));
    assert_mo_ok(mo_config_set_log_mode(cfg, MO_LOG_SIMPLE));
    hook_warnings = 0;
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    assert_int_equal(h.calls, 1);
    /* the hook ran on the client's own connection */
    assert_int_equal(mo_test_query_int(c, "SELECT @hooked"), 1);
    assert_int_equal(hook_warnings, 1); /* MariaDB: the MatrixOne switches are skipped, logged */
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_int_equal(h.calls, 2);
    mo_result *r = NULL;
    const char *q = "SELECT @hooked";
    assert_mo_ok(mo_session_execute(&r, s, q, strlen(q), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t v = 0;
    assert_mo_ok(mo_result_get_int64(r, 0, &v));
    assert_int_equal(v, 2); /* the session's connection got its own run */
    mo_result_free(r);
    mo_session_close(s);
    mo_client_close(c);

    /* failures are not fatal: the SET switches fail on MariaDB (posing as MatrixOne) and the
     * callback fails; the connect succeeds and the connection works */
    assert_mo_ok(mo_config_set_server_kind(cfg, MO_SERVER_MATRIXONE));
    h.fail = 1;
    hook_warnings = 0;
    assert_mo_ok(mo_client_connect(&c, cfg));
    assert_int_equal(h.calls, 3);
    assert_int_equal(hook_warnings, 4); /* IVF, HNSW, fulltext, the callback */
    assert_int_equal(mo_test_query_int(c, "SELECT @hooked"), 3);
    assert_mo_ok(mo_session_open(&s, c));
    assert_int_equal(h.calls, 4);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    mo_session_close(s);
    mo_client_close(c);
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ gating */

static void matrixone_only_calls_send_nothing(void **state) {
    fixture *f = *state;
    mo_executor *ex = f->ex;
    int64_t before = status_value(f->c, "Questions");
    const float q[] = {1.f};
    mo_result *r = NULL;
    mo_ivf_stats *s = NULL;
    mo_metadata_row_list *rows = NULL;
    mo_table_stats_list *stats = NULL;
    mo_moctl_result *m = NULL;
    assert_int_equal(mo_vector_create_ivf(ex, "t", "i", "v", 0, MO_VECTOR_L2), MO_E_UNSUPPORTED);
    assert_string_equal(mo_error_operation(mo_error_last()), "vector_ops.create_ivf");
    assert_non_null(strstr(mo_error_message(mo_error_last()), "MariaDB"));
    assert_int_equal(mo_vector_create_hnsw(ex, "t", "i", "v", 0, 0, 0, MO_VECTOR_L2), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_enable_ivf(ex, 1), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_disable_ivf(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_enable_hnsw(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_disable_hnsw(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_similarity_search(&r, ex, "t", "v", q, 1, MO_VECTOR_F32, 0, NULL,
                                                 NULL, NULL, MO_VECTOR_COSINE), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_range_search(&r, ex, "t", "v", q, 1, MO_VECTOR_F32, 1, NULL, NULL,
                                            NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_vector_search_with_rank(&r, ex, "t", "v", q, 1, MO_VECTOR_F32, 0, NULL,
                                                NULL, NULL, MO_VECTOR_L2, MO_IVF_RANK_FORCE),
                     MO_E_UNSUPPORTED);
    assert_null(r);
    assert_int_equal(mo_vector_get_ivf_stats(&s, ex, "t", NULL, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_fulltext_enable(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_fulltext_disable(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_fulltext_create(ex, "t", "i", "c", "json"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_scan(&r, ex, "d", "t", 1, "i", 1, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_scan_rows(&rows, ex, "d", "t", 0, NULL, 0), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_brief_stats(&stats, ex, "d", "t", 0, NULL, 1, "i"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_metadata_detail_stats(&stats, ex, "d", "t", 0, NULL, 1, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_moctl_flush_table(&m, ex, "d", "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_moctl_increment_checkpoint(&m, ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_moctl_global_checkpoint(&m, ex), MO_E_UNSUPPORTED);
    assert_null(m);
    /* only the second SHOW STATUS itself was counted */
    assert_int_equal(status_value(f->c, "Questions") - before, 1);
}

int main(void) {
    if (mo_test_server_is_matrixone()) {
        printf("skipped on MatrixOne (MOCORE_TEST_URL names one): this program tests MariaDB FULLTEXT and hooks; the MatrixOne profile is test_vector_fulltext_matrixone\n");
        return 77;
    }
    if (!mo_test_url()) {
        fprintf(stderr, "no test server (MOCORE_TEST_URL or the harness url file)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fulltext_index_and_match_search, setup, teardown),
        cmocka_unit_test_setup_teardown(insert_and_batch_insert_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(fifty_megabytes_split_under_max_allowed_packet, setup, teardown),
        cmocka_unit_test_setup_teardown(create_and_drop_table, setup, teardown),
        cmocka_unit_test(hooks_run_on_connect),
        cmocka_unit_test_setup_teardown(matrixone_only_calls_send_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
