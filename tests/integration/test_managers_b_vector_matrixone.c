/* Managers-B (vector half) against a real MatrixOne: vector table, IVF index, searches, IVF
 * stats, fulltext, metadata_scan after a flush, mo_ctl answers parsed, hooks. Runs only when
 * MOCORE_TEST_MATRIXONE_URL is set; otherwise it reports as skipped with that reason. */
#include <stdio.h>
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

int main(void) {
    const char *url = getenv("MOCORE_TEST_MATRIXONE_URL");
    if (!url || !*url) {
        printf("skipped: MOCORE_TEST_MATRIXONE_URL is not set (no MatrixOne server)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vector_fulltext_metadata_moctl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
