/* NO_BACKSLASH_ESCAPES that the server does not report (what MatrixOne does), reproduced
 * against the real MariaDB: the client talks to it through tests/support/nbe_proxy.c, which
 * clears only the 0x200 status bit of the server's OK/EOF packets. The server really reads
 * without backslash escapes; mocore is never told. Values must still be exact and never SQL. */
#include <stdio.h>
#include <stdlib.h>
#include "nbe_proxy.h"
#include "test_support.h"

typedef struct {
    nbe_proxy *proxy;
    mo_client *client;
} fixture;

/* mysql://user:pw@HOST:PORT/db -> the same URL on 127.0.0.1:proxy_port; host and port out. */
static int split_url(const char *url, char *host, size_t host_size, int *port, const char **rest,
                     size_t *prefix_len) {
    const char *at = strrchr(url, '@');
    if (!at) return -1;
    const char *colon = strchr(at, ':');
    const char *slash = strchr(at, '/');
    if (!colon || !slash || colon > slash) return -1;
    size_t n = (size_t)(colon - at - 1);
    if (n + 1 > host_size) return -1;
    memcpy(host, at + 1, n);
    host[n] = '\0';
    *port = atoi(colon + 1);
    *rest = slash;
    *prefix_len = (size_t)(at + 1 - url);
    return 0;
}

static int setup(void **state) {
    const char *url = mo_test_url();
    if (!url) fail_msg("no test server");
    char host[64];
    int port = 0;
    const char *rest = NULL;
    size_t prefix = 0;
    if (split_url(url, host, sizeof host, &port, &rest, &prefix) < 0) fail_msg("bad url %s", url);
    fixture *f = calloc(1, sizeof *f);
    f->proxy = nbe_proxy_start(host, port);
    assert_non_null(f->proxy);
    char proxied[1024];
    snprintf(proxied, sizeof proxied, "%.*s127.0.0.1:%d%s", (int)prefix, url,
             nbe_proxy_port(f->proxy), rest);
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, proxied));
    assert_mo_ok(mo_client_connect(&f->client, cfg));
    mo_config_free(cfg);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    mo_client_close(f->client);
    nbe_proxy_stop(f->proxy);
    free(f);
    return 0;
}

static mo_result *run(mo_client *c, const char *sql, mo_params *p) {
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, sql, strlen(sql), p);
    if (st < 0) mo_test_print_error(st, sql);
    assert_mo_ok(st);
    return r;
}

static void the_server_runs_no_backslash_escapes_and_does_not_say_so(void **state) {
    fixture *f = *state;
    if (mo_client_server_kind(f->client) == MO_SERVER_MATRIXONE) {
        /* MatrixOne never sets the flag: there is nothing for the relay to clear (the
         * values test below runs on it all the same). */
        skip();
    }
    mo_test_exec_ok(f->client, "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
    size_t cleared = nbe_proxy_cleared(f->proxy);
    assert_true(cleared > 0); /* the OK of the SET had the bit; the client never saw it */
    /* the server reads without escapes: '\\' is two characters long */
    assert_int_equal(mo_test_query_int(f->client, "SELECT LENGTH('a\\\\b')"), 4);
    assert_true(nbe_proxy_cleared(f->proxy) > cleared);
}

static void values_are_exact_and_never_sql_under_unreported_nbe(void **state) {
    fixture *f = *state;
    mo_client *c = f->client;
    mo_test_exec_ok(c, "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS nbe_t");
    mo_test_exec_ok(c, "CREATE TABLE nbe_t (id INT PRIMARY KEY, v VARCHAR(100) CHARACTER SET utf8mb4)");
    static const char nul[] = "a\0'b";
    static const struct {
        const char *s;
        size_t n;
    } values[] = {{"' OR '1'='1", 11},   {"\\' OR 1=1 -- ", 13}, {"\\", 1}, {"'\\", 2},
                  {"\\\\''", 4},          {"it's", 4},           {nul, sizeof nul - 1},
                  {"\xe4\xbd\xa0' OR 1=1 -- ", 14}};
    enum { N = sizeof values / sizeof values[0] };
    for (int i = 0; i < N; i++) {
        mo_params *p = NULL;
        assert_mo_ok(mo_params_new(&p));
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_text(p, values[i].s, values[i].n));
        mo_result_free(run(c, "INSERT INTO nbe_t VALUES (?, ?)", p));
        mo_params_free(p);
    }
    for (int i = 0; i < N; i++) {
        mo_params *p = NULL;
        assert_mo_ok(mo_params_new(&p));
        assert_mo_ok(mo_params_add_text(p, values[i].s, values[i].n));
        mo_result *r = run(c, "SELECT id, HEX(v), v FROM nbe_t WHERE v = ?", p);
        assert_int_equal(mo_result_next(r), MO_ROW);
        int64_t id = -1;
        assert_mo_ok(mo_result_get_int64(r, 0, &id));
        assert_int_equal(id, i);
        const char *v = NULL;
        size_t n = 0;
        assert_mo_ok(mo_result_get_text(r, 2, &v, &n));
        assert_int_equal(n, values[i].n);
        assert_memory_equal(v, values[i].s, n);
        assert_int_equal(mo_result_next(r), MO_DONE); /* exactly one row */
        mo_result_free(r);
        mo_params_free(p);
    }
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM nbe_t"), N);
    mo_test_exec_ok(c, "DROP TABLE nbe_t");
}

/* The template's own backslash: 'a\' , ? has a placeholder only under NO_BACKSLASH_ESCAPES,
 * so mocore refuses it rather than guess, and nothing is sent. */
static void a_placeholder_that_depends_on_the_mode_is_refused(void **state) {
    fixture *f = *state;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, " OR 1=1 -- ", 11));
    mo_result *r = NULL;
    const char *sql = "SELECT 'a\\' , ?";
    assert_int_equal(mo_client_execute(&r, f->client, sql, strlen(sql), p), MO_E_INVALID_ARGUMENT);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "NO_BACKSLASH_ESCAPES"));
    mo_params_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_server_runs_no_backslash_escapes_and_does_not_say_so, setup, teardown),
        cmocka_unit_test_setup_teardown(values_are_exact_and_never_sql_under_unreported_nbe, setup, teardown),
        cmocka_unit_test_setup_teardown(a_placeholder_that_depends_on_the_mode_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
