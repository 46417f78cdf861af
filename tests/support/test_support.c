#include "test_support.h"
#include <stdio.h>
#include <stdlib.h>

static char url_buf[1024];
static char root_url_buf[1024];

static const char *read_url(const char *env, const char *file, char *buf, size_t size) {
    const char *v = getenv(env);
    if (v && *v) return v;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", MOCORE_TEST_SERVER_DIR, file);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    if (!fgets(buf, (int)size, f)) buf[0] = 0;
    fclose(f);
    buf[strcspn(buf, "\r\n")] = 0;
    return buf[0] ? buf : NULL;
}

const char *mo_test_url(void) { return read_url("MOCORE_TEST_URL", "url", url_buf, sizeof url_buf); }
const char *mo_test_root_url(void) {
    return read_url("MOCORE_TEST_ROOT_URL", "root_url", root_url_buf, sizeof root_url_buf);
}

void mo_test_print_error(mo_status st, const char *context) {
    const mo_error *e = mo_error_last();
    fprintf(stderr, "%s: status %d (%s): [%s] server %d %s: %s\n", context, st,
            mo_error_category_name(st), mo_error_operation(e), mo_error_server_code(e),
            mo_error_sqlstate(e), mo_error_message(e));
}

mo_config *mo_test_config(void) {
    const char *url = mo_test_url();
    if (!url) fail_msg("no test server: set MOCORE_TEST_URL or run through ctest (server fixture)");
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url));
    return cfg;
}

mo_client *mo_test_connect(void) {
    mo_config *cfg = mo_test_config();
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

mo_status mo_test_exec(mo_client *c, const char *sql) {
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, sql, strlen(sql), NULL);
    mo_result_free(r);
    return st;
}

mo_status mo_test_session_exec(mo_session *s, const char *sql) {
    mo_result *r = NULL;
    mo_status st = mo_session_execute(&r, s, sql, strlen(sql), NULL);
    mo_result_free(r);
    return st;
}

void mo_test_exec_ok(mo_client *c, const char *sql) { assert_mo_ok(mo_test_exec(c, sql)); }
void mo_test_session_exec_ok(mo_session *s, const char *sql) {
    assert_mo_ok(mo_test_session_exec(s, sql));
}

int64_t mo_test_query_int(mo_client *c, const char *sql) {
    mo_result *r = NULL;
    int64_t v = 0;
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    assert_mo_ok(mo_result_get_int64(r, 0, &v));
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);
    return v;
}
