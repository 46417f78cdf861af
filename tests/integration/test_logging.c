/* Statement logging with a sink, against the real server: modes, per-call override, slow
 * statements, failures, and secrets that never reach a log line or an error message. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"

struct captured {
    int count;
    int level;
    char last[4096];
};

static void capture(void *userdata, int level, const char *message, size_t len) {
    struct captured *c = userdata;
    c->count++;
    c->level = level;
    snprintf(c->last, sizeof c->last, "%.*s", (int)len, message);
}

/* A statement at or above `slow_ms` is logged as [SLOW]; a test that expects a statement to be
 * fast gives a threshold that no loaded machine (valgrind under CI) reaches. */
#define NEVER_SLOW_MS 60000

static mo_client *connect_logging(struct captured *cap, mo_log_mode mode, unsigned slow_ms) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_log_mode(cfg, mode));
    assert_mo_ok(mo_config_set_log_sink(cfg, capture, cap));
    assert_mo_ok(mo_config_set_log_slow_threshold_ms(cfg, slow_ms));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

static void each_statement_is_logged_with_time_rows_and_sql(void **state) {
    struct captured cap = {0};
    mo_client *c = connect_logging(&cap, MO_LOG_FULL, NEVER_SLOW_MS);
    cap.count = 0;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 41));
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, c, "SELECT ? + 1", 12, p));
    mo_result_free(r);
    mo_params_free(p);
    assert_int_equal(cap.count, 1);
    assert_int_equal(cap.level, MO_LOG_LEVEL_INFO);
    assert_non_null(strstr(cap.last, "✓ | "));
    assert_non_null(strstr(cap.last, "s | 1 rows | SELECT 41 + 1")); /* after substitution */
    mo_client_close(c);
}

static void failures_are_logged_as_errors_with_full_text(void **state) {
    struct captured cap = {0};
    mo_client *c = connect_logging(&cap, MO_LOG_SIMPLE, NEVER_SLOW_MS);
    cap.count = 0;
    assert_int_equal(mo_test_exec(c, "SELECT * FROM missing_table_for_log"), MO_E_NOT_FOUND);
    assert_int_equal(cap.count, 1);
    assert_int_equal(cap.level, MO_LOG_LEVEL_ERROR);
    assert_non_null(strstr(cap.last, "✗"));
    assert_non_null(strstr(cap.last, "[ERROR] SELECT * FROM missing_table_for_log"));
    mo_client_close(c);
}

static void slow_statements_are_marked_and_shown_in_full(void **state) {
    struct captured cap = {0};
    mo_client *c = connect_logging(&cap, MO_LOG_SIMPLE, 150);
    cap.count = 0;
    mo_test_exec_ok(c, "SELECT SLEEP(0.2)");
    assert_int_equal(cap.count, 1);
    assert_non_null(strstr(cap.last, "[SLOW] SELECT SLEEP(0.2)"));
    mo_client_close(c);
}

static void the_per_call_override_beats_the_configured_mode(void **state) {
    struct captured cap = {0};
    mo_client *c = connect_logging(&cap, MO_LOG_FULL, NEVER_SLOW_MS);
    cap.count = 0;
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute_ex(&r, c, "SELECT 1", 8, NULL, MO_EXEC_LOG_OFF));
    mo_result_free(r);
    assert_int_equal(cap.count, 0);
    mo_client_close(c);

    c = connect_logging(&cap, MO_LOG_OFF, NEVER_SLOW_MS);
    cap.count = 0;
    assert_mo_ok(mo_client_execute_ex(&r, c, "SELECT 2", 8, NULL, MO_EXEC_LOG_FULL));
    mo_result_free(r);
    assert_int_equal(cap.count, 1);
    assert_non_null(strstr(cap.last, "SELECT 2"));
    mo_test_exec_ok(c, "SELECT 3");
    assert_int_equal(cap.count, 1); /* off stays off, even for the next statement */
    mo_client_close(c);
}

static void passwords_never_reach_logs_or_error_messages(void **state) {
    struct captured cap = {0};
    mo_client *c = connect_logging(&cap, MO_LOG_FULL, NEVER_SLOW_MS);
    /* A failing statement whose server message echoes the password. */
    assert_int_equal(mo_test_exec(c, "CREATE USER 'x'@'%' IDENTIFIED BY 'hunter2-secret' GARBAGE"),
                     MO_E_SYNTAX);
    assert_null(strstr(cap.last, "hunter2-secret"));
    assert_non_null(strstr(cap.last, "IDENTIFIED BY '***'"));
    assert_null(strstr(mo_error_message(mo_error_last()), "hunter2-secret"));
    mo_client_close(c);

    /* The connect password is not in any log line or error either. */
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_password(cfg, "hunter3-secret"));
    assert_mo_ok(mo_config_set_log_mode(cfg, MO_LOG_FULL));
    assert_mo_ok(mo_config_set_log_sink(cfg, capture, &cap));
    cap.count = 0;
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_AUTH);
    assert_null(strstr(mo_error_message(mo_error_last()), "hunter3-secret"));
    if (cap.count) assert_null(strstr(cap.last, "hunter3-secret"));
    mo_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_statement_is_logged_with_time_rows_and_sql),
        cmocka_unit_test(failures_are_logged_as_errors_with_full_text),
        cmocka_unit_test(slow_statements_are_marked_and_shown_in_full),
        cmocka_unit_test(the_per_call_override_beats_the_configured_mode),
        cmocka_unit_test(passwords_never_reach_logs_or_error_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
