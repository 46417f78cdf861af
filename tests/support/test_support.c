#include "test_support.h"
#include "internal.h"
#include <stdio.h>
#include <stdlib.h>

static char url_buf[1024];
/* What the test server is, learnt from the first connection a test makes (mo_test_connect)
 * or by a connection of its own (mo_test_server_is_matrixone). */
static int server_known = 0, server_is_matrixone = 0;
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
    if (!server_known) {
        server_is_matrixone = mo_client_server_kind(c) == MO_SERVER_MATRIXONE;
        server_known = 1;
    }
    return c;
}

mo_client *mo_test_matrixone_connect(const char *database, const char *local_dir) {
    const char *url = getenv("MOCORE_TEST_MATRIXONE_URL");
    assert_non_null(url);
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url));
    if (database) assert_mo_ok(mo_config_set_database(cfg, database));
    if (local_dir) assert_mo_ok(mo_config_add_local_infile_dir(cfg, local_dir));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    assert_int_equal(mo_client_server_kind(c), MO_SERVER_MATRIXONE);
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

int mo_test_server_is_matrixone(void) {
    int *known = &server_known, *matrixone_out = &server_is_matrixone;
    if (*known) return *matrixone_out;
    int matrixone = 0;
    const char *url = mo_test_url();
    if (!url) {
        *known = 1;
        return 0;
    }
    /* Called inside assertions: the caller's last error must survive the probe. */
    mo_error_guard guard;
    mo_error_guard_begin(&guard);
    mo_config *cfg = NULL;
    mo_client *c = NULL;
    if (mo_config_from_url(&cfg, url) >= 0 && mo_client_connect(&c, cfg) >= 0)
        matrixone = mo_client_server_kind(c) == MO_SERVER_MATRIXONE;
    mo_client_close(c);
    mo_config_free(cfg);
    mo_error_guard_end(&guard);
    *matrixone_out = matrixone;
    *known = 1;
    return matrixone;
}

int mo_test_killed_query_code(void) { return mo_test_server_is_matrixone() ? 1105 : 1317; }

/* ------------------------------------------------------------------ dry-run helpers */

mo_client *mo_test_dry_run_client(const char *url_extra) {
    char url[256];
    mo_config *cfg = NULL;
    mo_client *c = NULL;
    snprintf(url, sizeof url, "matrixone://u:p@127.0.0.1:1/db?dry_run=true%s",
             url_extra ? url_extra : "");
    assert_mo_ok(mo_config_from_url(&cfg, url));
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

int mo_test_dry_run_setup(void **state) {
    mo_test_dry_run *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->client = mo_test_dry_run_client(NULL);
    assert_mo_ok(mo_client_executor(&f->ex, f->client));
    *state = f;
    return 0;
}

int mo_test_dry_run_teardown(void **state) {
    mo_test_dry_run *f = *state;
    mo_executor_free(f->ex);
    mo_client_close(f->client);
    free(f);
    return 0;
}

char *mo_test_normalise(const char *s, int sdk_equivalent) {
    char *out = malloc(strlen(s) + 1), *o = out;
    assert_non_null(out);
    int space = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
            space = o != out;
            continue;
        }
        if (sdk_equivalent && *p == '`') continue;
        if (sdk_equivalent && *p == '\\' && p[1] == '"') continue;
        if (space) *o++ = ' ';
        space = 0;
        *o++ = *p;
    }
    *o = 0;
    return out;
}

void mo_test_journal_check(mo_client *c, const char *const *expected, int normalised) {
    size_t n = 0, want = 0;
    while (expected[want]) want++;
    assert_mo_ok(mo_client_journal_count(c, &n));
    for (size_t i = 0; i < n || i < want; i++) {
        const char *got = NULL;
        size_t len = 0;
        if (i < n) assert_mo_ok(mo_client_journal_get(c, i, &got, &len));
        int same = 0;
        if (i < n && i < want) {
            if (normalised) {
                char *a = mo_test_normalise(got, 0), *b = mo_test_normalise(expected[i], 0);
                same = strcmp(a, b) == 0;
                free(a);
                free(b);
            } else {
                same = len == strlen(expected[i]) && memcmp(got, expected[i], len) == 0;
            }
        }
        if (!same) {
            fprintf(stderr, "journal[%zu]: got  [%s]\n            want [%s]\n", i,
                    got ? got : "(none)", i < want ? expected[i] : "(none)");
            fail();
        }
    }
    assert_mo_ok(mo_client_journal_clear(c));
}

void error_is(mo_status st, mo_status category, const char *op, const char *message) {
    if (st != category) mo_test_print_error(st, op);
    assert_int_equal(st, category);
    const mo_error *e = mo_error_last();
    assert_string_equal(mo_error_operation(e), op);
    if (message) assert_string_equal(mo_error_message(e), message);
}
