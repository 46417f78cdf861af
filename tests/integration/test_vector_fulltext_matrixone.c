/* Vector and fulltext indexes, metadata and mo_ctl against a real MatrixOne: vector table, IVF index, searches, IVF
 * stats, fulltext, metadata_scan after a flush, mo_ctl answers parsed, hooks. Runs only when
 * MOCORE_TEST_MATRIXONE_URL is set; otherwise it reports as skipped with that reason. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include "test_support.h"

static void vector_fulltext_metadata_moctl(void **state) {
    (void)state;
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, getenv("MOCORE_TEST_MATRIXONE_URL")));
    assert_mo_ok(mo_config_set_connect_actions(cfg, MO_CONNECT_ENABLE_ALL));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    assert_int_equal(mo_client_server_kind(c), MO_SERVER_MATRIXONE);
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS mocore_vec_db");
    mo_test_exec_ok(c, "USE mocore_vec_db");

    const char *names[] = {"id", "title", "embedding"};
    const char *types[] = {"int", "varchar(200)", "vecf32(3)"};
    assert_mo_ok(mo_table_drop(ex, "mocore_vec_db.items"));
    assert_mo_ok(mo_table_create(ex, "mocore_vec_db.items", names, types, 3, "id"));
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 0; i < 20; i++) {
        const float v[] = {(float)i, (float)(i % 3), 1.0f};
        char title[32];
        snprintf(title, sizeof title, "item %d database", i);
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_text(p, title, strlen(title)));
        assert_mo_ok(mo_params_add_vector_f32(p, v, 3));
    }
    uint64_t n = 0;
    assert_mo_ok(mo_vector_batch_insert(&n, ex, "mocore_vec_db.items", names, 3, p, 20));
    assert_int_equal(n, 20);
    mo_params_free(p);
    assert_mo_ok(mo_vector_create_ivf(ex, "mocore_vec_db.items", "idx_emb", "embedding", 4, MO_VECTOR_L2));

    const float q[] = {3.f, 0.f, 1.f};
    mo_result *r = NULL;
    assert_mo_ok(mo_vector_similarity_search(&r, ex, "mocore_vec_db.items", "embedding", q, 3,
                                             MO_VECTOR_F32, 3, "id", NULL, NULL, MO_VECTOR_L2));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t id = -1;
    assert_mo_ok(mo_result_get_int64(r, 0, &id));
    assert_int_equal(id, 3);
    mo_result_free(r);
    /* The vector column of a search result is MO_TYPE_VECTOR (MatrixOne sends it as
     * MYSQL_TYPE_VARCHAR, like BINARY and SHOW columns; a plain SELECT reports TEXT). */
    assert_mo_ok(mo_vector_similarity_search(&r, ex, "mocore_vec_db.items", "embedding", q, 3,
                                             MO_VECTOR_F32, 1, "id, embedding", NULL, NULL,
                                             MO_VECTOR_L2));
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_type type;
    assert_mo_ok(mo_result_column_type(r, 1, &type));
    assert_int_equal(type, MO_TYPE_VECTOR);
    const char *vt = NULL;
    size_t vn = 0;
    assert_mo_ok(mo_result_get_text(r, 1, &vt, &vn));
    assert_memory_equal(vt, "[3, 0, 1]", vn);
    assert_mo_ok(mo_result_column_type(r, 2, &type)); /* distance */
    assert_int_not_equal(type, MO_TYPE_VECTOR);
    mo_result_free(r);
    r = NULL;
    const char *plain = "SELECT embedding FROM mocore_vec_db.items WHERE id = 3";
    assert_mo_ok(mo_client_execute(&r, c, plain, strlen(plain), NULL));
    assert_mo_ok(mo_result_column_type(r, 0, &type));
    assert_int_equal(type, MO_TYPE_TEXT);
    mo_result_free(r);
    assert_mo_ok(mo_vector_range_search(&r, ex, "mocore_vec_db.items", "embedding", q, 3,
                                        MO_VECTOR_F32, 0.5, "id", NULL, NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_result_free(r);
    mo_ivf_stats *s = NULL;
    assert_mo_ok(mo_vector_get_ivf_stats(&s, ex, "items", NULL, "mocore_vec_db"));
    assert_string_equal(mo_ivf_stats_column_name(s), "embedding");
    assert_non_null(mo_ivf_stats_index_table(s, "entries"));
    int64_t total = 0;
    for (size_t i = 0; i < mo_ivf_stats_centroid_count(s); i++) {
        int64_t cid, ver, count;
        assert_mo_ok(mo_ivf_stats_centroid(s, i, &cid, &ver, &count));
        total += count;
    }
    assert_int_equal(total, 20);
    mo_ivf_stats_free(s);
    /* "db.table" names the database as database= does (it was NOT_FOUND) */
    assert_mo_ok(mo_vector_get_ivf_stats(&s, ex, "mocore_vec_db.items", "embedding", NULL));
    assert_string_equal(mo_ivf_stats_database(s), "mocore_vec_db");
    assert_string_equal(mo_ivf_stats_table_name(s), "items");
    assert_true(mo_ivf_stats_centroid_count(s) > 0);
    mo_ivf_stats_free(s);
    assert_mo_ok(mo_vector_drop(ex, "mocore_vec_db.items", "idx_emb"));

    assert_mo_ok(mo_fulltext_create(ex, "mocore_vec_db.items", "ft_title", "title", NULL));
    assert_mo_ok(mo_fulltext_search(&r, ex, "mocore_vec_db.items", "title", "database", 8,
                                    MO_FULLTEXT_NATURAL, "id", NULL, NULL, 0));
    int rows = 0;
    while (mo_result_next(r) == MO_ROW) rows++;
    assert_int_equal(rows, 20);
    mo_result_free(r);
    assert_mo_ok(mo_fulltext_drop(ex, "mocore_vec_db.items", "ft_title"));

    mo_moctl_result *m = NULL;
    assert_mo_ok(mo_moctl_flush_table(&m, ex, "mocore_vec_db", "items"));
    assert_string_equal(mo_moctl_result_return_str(m), "OK");
    mo_moctl_result_free(m);
    mo_metadata_row_list *l = NULL;
    assert_mo_ok(mo_metadata_scan_rows(&l, ex, "mocore_vec_db", "items", 0, NULL, 0));
    assert_true(mo_metadata_row_list_count(l) > 0);
    assert_non_null(mo_metadata_row_col_name(mo_metadata_row_list_get(l, 0)));
    mo_metadata_row_list_free(l);
    mo_table_stats_list *st = NULL;
    assert_mo_ok(mo_metadata_brief_stats(&st, ex, "mocore_vec_db", "items", 0, NULL, 0, NULL));
    assert_int_equal(mo_table_stats_list_count(st), 1);
    assert_true(mo_table_stats_row_cnt(mo_table_stats_list_get(st, 0)) >= 20);
    mo_table_stats_list_free(st);

    assert_mo_ok(mo_table_drop(ex, "mocore_vec_db.items"));
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_vec_db");
    mo_executor_free(ex);
    mo_client_close(c);
}


/* An HNSW index and a search that uses it. */
static void hnsw_index_and_search(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(NULL, NULL);
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS mocore_mo_hnsw");
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS mocore_mo_hnsw.pts");
    mo_test_exec_ok(c, "CREATE TABLE mocore_mo_hnsw.pts (id BIGINT PRIMARY KEY, v vecf32(2))");
    const char *names[] = {"id", "v"};
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 0; i < 50; i++) {
        const float v[] = {(float)i, (float)(50 - i)};
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_vector_f32(p, v, 2));
    }
    uint64_t n = 0;
    assert_mo_ok(mo_vector_batch_insert(&n, ex, "mocore_mo_hnsw.pts", names, 2, p, 50));
    assert_int_equal(n, 50);
    mo_params_free(p);
    assert_mo_ok(mo_vector_create_hnsw(ex, "mocore_mo_hnsw.pts", "idx_h", "v", 16, 64, 32,
                                       MO_VECTOR_L2));
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM mo_catalog.mo_indexes WHERE name = 'idx_h'") > 0, 1);
    const float q[] = {10.f, 40.f};
    mo_result *r = NULL;
    assert_mo_ok(mo_vector_similarity_search(&r, ex, "mocore_mo_hnsw.pts", "v", q, 2, MO_VECTOR_F32,
                                             3, "id", NULL, NULL, MO_VECTOR_L2));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t id = -1;
    assert_mo_ok(mo_result_get_int64(r, 0, &id));
    assert_int_equal(id, 10);
    mo_result_free(r);
    assert_mo_ok(mo_vector_drop(ex, "mocore_mo_hnsw.pts", "idx_h"));
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_hnsw");
    mo_executor_free(ex);
    mo_client_close(c);
}

/* Every parameter type MatrixOne has, inserted with `?` and read back. */
static void every_parameter_type_round_trips(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(NULL, NULL);
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS mocore_mo_params");
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS mocore_mo_params.p");
    mo_test_exec_ok(c, "CREATE TABLE mocore_mo_params.p (n INT NULL, b BOOL, i BIGINT, u BIGINT UNSIGNED, "
                       "d DOUBLE, t VARCHAR(100), bl BLOB, dec_ DECIMAL(30,10), j JSON, dt DATE, "
                       "tm TIME(6), dtm DATETIME(6), vf vecf32(3), vd vecf64(3))");
    unsigned char blob[256];
    for (int i = 0; i < 256; i++) blob[i] = (unsigned char)i;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_null(p));
    assert_mo_ok(mo_params_add_bool(p, 1));
    assert_mo_ok(mo_params_add_int64(p, INT64_MIN));
    assert_mo_ok(mo_params_add_uint64(p, UINT64_MAX));
    assert_mo_ok(mo_params_add_double(p, 0.1));
    assert_mo_ok(mo_params_add_text(p, "text ' ? \xc3\xa9", 12));
    assert_mo_ok(mo_params_add_blob(p, blob, sizeof blob));
    assert_mo_ok(mo_params_add_decimal(p, "-12345678901234567890.0123456789", 32));
    assert_mo_ok(mo_params_add_json(p, "{\"a\": [1, \"x'y\"]}", 17));
    assert_mo_ok(mo_params_add_date(p, 2024, 2, 29));
    assert_mo_ok(mo_params_add_time(p, 0, 23, 59, 58, 999999));
    assert_mo_ok(mo_params_add_datetime(p, 1999, 12, 31, 23, 59, 59, 123456));
    const float vf[] = {0.5f, -2.5f, 3.0f};
    const double vd[] = {0.25, -2.5, 1e10};
    assert_mo_ok(mo_params_add_vector_f32(p, vf, 3));
    assert_mo_ok(mo_params_add_vector_f64(p, vd, 3));
    const char *ins = "INSERT INTO mocore_mo_params.p VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, ins, strlen(ins), p);
    assert_mo_ok(st);
    mo_result_free(r);
    mo_params_free(p);
    const char *sel = "SELECT * FROM mocore_mo_params.p";
    assert_mo_ok(mo_client_execute(&r, c, sel, strlen(sel), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int is_null = 0;
    assert_mo_ok(mo_result_is_null(r, 0, &is_null));
    assert_true(is_null);
    int64_t i64;
    assert_mo_ok(mo_result_get_int64(r, 1, &i64));
    assert_int_equal(i64, 1);
    assert_mo_ok(mo_result_get_int64(r, 2, &i64));
    assert_true(i64 == INT64_MIN);
    uint64_t u64;
    assert_mo_ok(mo_result_get_uint64(r, 3, &u64));
    assert_true(u64 == UINT64_MAX);
    double d;
    assert_mo_ok(mo_result_get_double(r, 4, &d));
    assert_true(d == 0.1);
    const char *s;
    size_t n;
    assert_mo_ok(mo_result_get_text(r, 5, &s, &n));
    assert_int_equal(n, 12);
    assert_memory_equal(s, "text ' ? \xc3\xa9", 12);
    const void *bytes;
    assert_mo_ok(mo_result_get_blob(r, 6, &bytes, &n));
    assert_int_equal(n, 256);
    assert_memory_equal(bytes, blob, 256);
    assert_mo_ok(mo_result_get_text(r, 7, &s, &n));
    assert_memory_equal(s, "-12345678901234567890.0123456789", n);
    assert_mo_ok(mo_result_get_text(r, 8, &s, &n));
    assert_non_null(memmem(s, n, "x'y", 3));
    assert_mo_ok(mo_result_get_text(r, 9, &s, &n));
    assert_memory_equal(s, "2024-02-29", n);
    assert_mo_ok(mo_result_get_text(r, 10, &s, &n));
    assert_memory_equal(s, "23:59:58.999999", n);
    assert_mo_ok(mo_result_get_text(r, 11, &s, &n));
    assert_memory_equal(s, "1999-12-31 23:59:59.123456", n);
    assert_mo_ok(mo_result_get_text(r, 12, &s, &n)); /* vectors come back as text */
    assert_memory_equal(s, "[0.5, -2.5, 3]", n);
    assert_mo_ok(mo_result_get_text(r, 13, &s, &n));
    assert_memory_equal(s, "[0.25, -2.5, 10000000000]", n);
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_params");
    mo_client_close(c);
}

int main(void) {
    const char *url = getenv("MOCORE_TEST_MATRIXONE_URL");
    if (!url || !*url) {
        printf("skipped: MOCORE_TEST_MATRIXONE_URL is not set (no MatrixOne server)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vector_fulltext_metadata_moctl),
        cmocka_unit_test(hnsw_index_and_search),
        cmocka_unit_test(every_parameter_type_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
