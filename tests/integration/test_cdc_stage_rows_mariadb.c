/* The read side of stages and CDC with real rows: the real MariaDB holds tables shaped like
 * MatrixOne's mo_catalog.mo_stages / mo_cdc_task / mo_cdc_watermark (and a
 * current_account_id() function), and the client poses as MatrixOne so the managers' SELECTs
 * run against them for real. This checks row mapping, every record accessor, NOT_FOUND, the
 * account filter and the failing / stuck / late-watermark rules end to end. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"

static mo_client *root_as_matrixone(void) {
    const char *url = mo_test_root_url();
    assert_non_null(url);
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url));
    assert_mo_ok(mo_config_set_server_kind(cfg, MO_SERVER_MATRIXONE));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

static const char *const setup_sql[] = {
    "DROP DATABASE IF EXISTS mo_catalog",
    "CREATE DATABASE mo_catalog",
    "DROP FUNCTION IF EXISTS current_account_id",
    "CREATE FUNCTION current_account_id() RETURNS INT DETERMINISTIC RETURN 0",
    "CREATE TABLE mo_catalog.mo_stages (stage_name VARCHAR(64) PRIMARY KEY, url TEXT, "
    "stage_status VARCHAR(16), comment TEXT, created_time DATETIME)",
    "INSERT INTO mo_catalog.mo_stages VALUES ('s1', 'file:///data/', 'enabled', 'first', "
    "'2024-01-02 03:04:05'), ('s2', 's3://b/p', 'disabled', NULL, '2024-02-03 04:05:06')",
    "CREATE TABLE mo_catalog.mo_cdc_task (account_id INT, task_id VARCHAR(64) PRIMARY KEY, "
    "task_name VARCHAR(64), source_uri TEXT, sink_uri TEXT, sink_type VARCHAR(16), tables TEXT, "
    "filters TEXT, start_ts VARCHAR(32), end_ts VARCHAR(32), state VARCHAR(16), checkpoint "
    "BIGINT, no_full BOOL, err_msg TEXT, task_create_time DATETIME, additional_config TEXT)",
    "INSERT INTO mo_catalog.mo_cdc_task VALUES "
    "(0, 'id1', 't_ok', 'mysql://a:x@h:1', 'mysql://b:y@h:2', 'mysql', "
    "'{\"table\":\"db1.a:db2.a,db1.b:db2.b\"}', '*.*', '', '', 'running', 42, 1, '', "
    "'2024-01-01 00:00:00', '{\"Frequency\":\"1h\",\"Level\":\"table\"}'), "
    "(0, 'id2', 't_fail', 's', 'k', 'matrixone', 'not json', NULL, NULL, NULL, 'paused', 0, 0, "
    "'sink down', '2024-01-01 00:00:01', '{}'), "
    "(0, 'id3', 't_stuck', 's', 'k', 'mysql', NULL, NULL, NULL, NULL, 'running', 0, 0, '', "
    "'2024-01-01 00:00:02', NULL), "
    "(1, 'id4', 't_other_account', 's', 'k', 'mysql', NULL, NULL, NULL, NULL, 'running', 0, 0, "
    "'x', '2024-01-01 00:00:03', NULL)",
    "CREATE TABLE mo_catalog.mo_cdc_watermark (account_id INT, task_id VARCHAR(64), db_name "
    "VARCHAR(64), table_name VARCHAR(64), watermark VARCHAR(64), err_msg TEXT)",
    /* now = 1700000000000 ms (2023-11-14 22:13:20 UTC) in the late-watermark calls below */
    "INSERT INTO mo_catalog.mo_cdc_watermark VALUES "
    "(0, 'id1', 'db1', 'a', '1699998200000000000-0', ''), "      /* 30 min behind */
    "(0, 'id1', 'db1', 'b', '2023-11-14 20:00:00', ''), "        /* 133 min 20 s behind */
    "(0, 'id2', 'db1', 'c', 'garbage', ''), "                     /* unreadable: skipped */
    "(0, 'id3', 'db1', 'd', '1700000000000000000-1', 'table error'), "
    "(1, 'id4', 'db1', 'e', '2000-01-01 00:00:00', 'other account')",
};

static int setup(void **state) {
    mo_client *c = root_as_matrixone();
    for (size_t i = 0; i < sizeof setup_sql / sizeof setup_sql[0]; i++)
        mo_test_exec_ok(c, setup_sql[i]);
    *state = c;
    return 0;
}

static int teardown(void **state) {
    mo_client *c = *state;
    mo_test_exec_ok(c, "DROP DATABASE mo_catalog");
    mo_test_exec_ok(c, "DROP FUNCTION current_account_id");
    mo_client_close(c);
    return 0;
}

static void stage_rows_map_to_records(void **state) {
    mo_client *c = *state;
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_stage_list *l = NULL;
    assert_mo_ok(mo_stage_list_stages(&l, ex));
    assert_int_equal(mo_stage_list_count(l), 2);
    const mo_stage *s = mo_stage_list_get(l, 1);
    assert_string_equal(mo_stage_name(s), "s2");
    assert_string_equal(mo_stage_url(s), "s3://b/p");
    assert_string_equal(mo_stage_status(s), "disabled");
    assert_null(mo_stage_comment(s));
    assert_string_equal(mo_stage_created_time(s), "2024-02-03 04:05:06");
    assert_null(mo_stage_list_get(l, 2));
    mo_stage_free((mo_stage *)s); /* borrowed from the list: a no-op */
    mo_stage_list_free(l);
    mo_stage *one = NULL;
    assert_mo_ok(mo_stage_get(&one, ex, "s1"));
    assert_string_equal(mo_stage_comment(one), "first");
    mo_stage_free(one);
    assert_int_equal(mo_stage_get(&one, ex, "nope"), MO_E_NOT_FOUND);
    assert_string_equal(mo_error_message(mo_error_last()), "Stage 'nope' not found");
    assert_null(one);
    int exists = -1;
    assert_mo_ok(mo_stage_exists(ex, "s1", &exists));
    assert_int_equal(exists, 1);
    assert_mo_ok(mo_stage_exists(ex, "s1' OR '1'='1", &exists));
    assert_int_equal(exists, 0);
    mo_executor_free(ex);
}

static void cdc_rows_map_to_records(void **state) {
    mo_client *c = *state;
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_cdc_task_list *l = NULL;
    assert_mo_ok(mo_cdc_list_tasks(&l, ex, NULL));
    assert_int_equal(mo_cdc_task_list_count(l), 3); /* not the other account's */
    const mo_cdc_task *t = mo_cdc_task_list_get(l, 0);
    assert_string_equal(mo_cdc_task_id(t), "id1");
    assert_string_equal(mo_cdc_task_name(t), "t_ok");
    assert_string_equal(mo_cdc_task_source_uri(t), "mysql://a:x@h:1");
    assert_string_equal(mo_cdc_task_sink_uri(t), "mysql://b:y@h:2");
    assert_string_equal(mo_cdc_task_sink_type(t), "mysql");
    assert_string_equal(mo_cdc_task_tables(t), "{\"table\":\"db1.a:db2.a,db1.b:db2.b\"}");
    assert_string_equal(mo_cdc_task_table_mapping(t), "db1.a:db2.a,db1.b:db2.b");
    assert_string_equal(mo_cdc_task_filters(t), "*.*");
    assert_string_equal(mo_cdc_task_start_ts(t), "");
    assert_string_equal(mo_cdc_task_end_ts(t), "");
    assert_string_equal(mo_cdc_task_state(t), "running");
    assert_string_equal(mo_cdc_task_checkpoint(t), "42");
    assert_string_equal(mo_cdc_task_no_full(t), "1");
    assert_string_equal(mo_cdc_task_err_msg(t), "");
    assert_string_equal(mo_cdc_task_created_time(t), "2024-01-01 00:00:00");
    assert_string_equal(mo_cdc_task_additional_config(t), "{\"Frequency\":\"1h\",\"Level\":\"table\"}");
    mo_cdc_task_list_free(l);

    mo_cdc_task *one = NULL;
    assert_mo_ok(mo_cdc_get(&one, ex, "t_fail"));
    assert_string_equal(mo_cdc_task_table_mapping(one), "not json"); /* raw when not JSON */
    assert_null(mo_cdc_task_filters(one));
    mo_cdc_task_free(one);
    assert_int_equal(mo_cdc_get(&one, ex, "t_other_account"), MO_E_NOT_FOUND);
    assert_string_equal(mo_error_message(mo_error_last()), "CDC task 't_other_account' not found");
    int exists = -1;
    assert_mo_ok(mo_cdc_exists(ex, "t_stuck", &exists));
    assert_int_equal(exists, 1);

    mo_cdc_watermark_list *w = NULL;
    assert_mo_ok(mo_cdc_list_watermarks(&w, ex, "t_ok"));
    assert_int_equal(mo_cdc_watermark_list_count(w), 2);
    const mo_cdc_watermark *m = mo_cdc_watermark_list_get(w, 1);
    assert_string_equal(mo_cdc_watermark_task_id(m), "id1");
    assert_string_equal(mo_cdc_watermark_task_name(m), "t_ok");
    assert_string_equal(mo_cdc_watermark_database(m), "db1");
    assert_string_equal(mo_cdc_watermark_table(m), "b");
    assert_string_equal(mo_cdc_watermark_watermark(m), "2023-11-14 20:00:00");
    assert_string_equal(mo_cdc_watermark_err_msg(m), "");
    assert_int_equal(mo_cdc_watermark_lag_ms(m), 0);
    mo_cdc_watermark_list_free(w);
    assert_mo_ok(mo_cdc_list_watermarks(&w, ex, NULL));
    assert_int_equal(mo_cdc_watermark_list_count(w), 4);
    mo_cdc_watermark_list_free(w);

    /* failing: err_msg set; stuck: running with a watermark error */
    assert_mo_ok(mo_cdc_list_failing_tasks(&l, ex));
    assert_int_equal(mo_cdc_task_list_count(l), 1);
    assert_string_equal(mo_cdc_task_name(mo_cdc_task_list_get(l, 0)), "t_fail");
    mo_cdc_task_list_free(l);
    assert_mo_ok(mo_cdc_list_stuck_tasks(&l, ex));
    assert_int_equal(mo_cdc_task_list_count(l), 1);
    assert_string_equal(mo_cdc_task_name(mo_cdc_task_list_get(l, 0)), "t_stuck");
    mo_cdc_task_list_free(l);

    /* late: t_ok has Frequency 1h -> threshold 70 min: b (133 min) is late, a (30 min) is not;
     * t_stuck has no frequency -> the default 10 min: d (0 min) is not late */
    const int64_t now = 1700000000000LL;
    assert_mo_ok(mo_cdc_list_late_table_watermarks(&w, ex, NULL, -1, NULL, now));
    assert_int_equal(mo_cdc_watermark_list_count(w), 1);
    m = mo_cdc_watermark_list_get(w, 0);
    assert_string_equal(mo_cdc_watermark_table(m), "b");
    assert_int_equal(mo_cdc_watermark_lag_ms(m), 8000000);
    mo_cdc_watermark_list_free(w);
    mo_strmap *th = NULL;
    assert_mo_ok(mo_strmap_new(&th));
    assert_mo_ok(mo_strmap_set(th, "t_ok.b", "200m"));
    assert_mo_ok(mo_strmap_set(th, "a", "10m"));
    assert_mo_ok(mo_cdc_list_late_table_watermarks(&w, ex, "t_ok", -1, th, now));
    assert_int_equal(mo_cdc_watermark_list_count(w), 1);
    assert_string_equal(mo_cdc_watermark_table(mo_cdc_watermark_list_get(w, 0)), "a");
    mo_cdc_watermark_list_free(w);
    mo_strmap_free(th);
    mo_executor_free(ex);
}

int main(void) {
    if (mo_test_server_is_matrixone()) {
        printf("skipped on MatrixOne (MOCORE_TEST_URL names one): this program builds mo_catalog stand-in tables, which MatrixOne has for real; the MatrixOne profile is test_managers_matrixone\n");
        return 77;
    }
    if (!mo_test_root_url()) {
        fprintf(stderr, "skipped: no test server (run through ctest or set MOCORE_TEST_URL)\n");
        return 77;
    }
    if (getenv("MOCORE_TEST_URL") && !getenv("MOCORE_TEST_ROOT_URL")) {
        fprintf(stderr, "skipped: needs a root URL to create the mo_catalog stand-in tables\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stage_rows_map_to_records),
        cmocka_unit_test(cdc_rows_map_to_records),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
