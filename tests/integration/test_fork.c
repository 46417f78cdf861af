/* Fork safety against the real server: a child of fork() inherits the parent's handles and
 * sockets. Every call on them there is MO_E_MISUSE without I/O, and closing them sends
 * nothing (no query, no COM_QUIT), so the parent goes on on the very same connection. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_support.h"

static uint64_t connection_id(mo_client *c) {
    return (uint64_t)mo_test_query_int(c, "SELECT CONNECTION_ID()");
}

/* In the child: 1 when st is MISUSE and the message names the creating process. */
static int misuse_naming(mo_status st, pid_t parent) {
    char want[64];
    snprintf(want, sizeof want, "created in process %d; use it only there", (int)parent);
    const mo_error *e = mo_error_last();
    return st == MO_E_MISUSE && e && strstr(mo_error_message(e), want) != NULL;
}

static void inherited_handles_are_misuse_in_the_child_and_the_parent_goes_on(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS fork_t");
    mo_test_exec_ok(c, "CREATE TABLE fork_t (id INT PRIMARY KEY) ENGINE=InnoDB");
    uint64_t id = connection_id(c);

    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO fork_t VALUES (1)");
    uint64_t sid = 0;
    assert_mo_ok(mo_session_connection_id(s, &sid));

    /* A streaming result half read: its rows are still on the parent's socket. */
    mo_result *stream = NULL;
    const char *big = mo_test_server_is_matrixone()
                          ? "SELECT result AS seq FROM generate_series(1, 100000) g"
                          : "SELECT seq FROM seq_1_to_100000";
    assert_mo_ok(mo_client_execute_ex(&stream, c, big, strlen(big), NULL, MO_EXEC_STREAMING));
    assert_int_equal(mo_result_next(stream), MO_ROW);

    pid_t parent = getpid();
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int failed = 0;
        mo_result *r = NULL;
        if (!misuse_naming(mo_client_execute(&r, c, "SELECT 1", 8, NULL), parent)) failed |= 1;
        if (r) failed |= 2;
        if (!misuse_naming(mo_session_execute(&r, s, "DELETE FROM fork_t", 18, NULL), parent))
            failed |= 4;
        if (!misuse_naming(mo_session_commit(s), parent)) failed |= 8;
        if (!misuse_naming(mo_result_next(stream), parent)) failed |= 16;
        if (!misuse_naming(mo_client_ping(c), parent)) failed |= 32;
        /* Releasing is allowed and sends nothing: no drain, no ROLLBACK, no COM_QUIT. */
        mo_result_free(stream);
        mo_session_close(s);
        mo_client_close(c);
        /* A new client in the child is its own. */
        mo_client *mine = NULL;
        mo_config *cfg = mo_test_config();
        if (mo_client_connect(&mine, cfg) < 0 || mo_test_exec(mine, "SELECT 1") < 0) failed |= 64;
        mo_client_close(mine);
        mo_config_free(cfg);
        _exit(failed);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* The parent reads the rest of its stream: nothing was taken from its socket. */
    int64_t rows = 1;
    mo_status st;
    while ((st = mo_result_next(stream)) == MO_ROW) rows++;
    assert_int_equal(st, MO_DONE);
    assert_int_equal(rows, 100000);
    mo_result_free(stream);
    /* Same connection, same transaction. */
    assert_int_equal(connection_id(c), id);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    mo_result *r = NULL;
    assert_mo_ok(mo_session_execute(&r, s, "SELECT CONNECTION_ID()", 22, NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t now_sid = 0;
    assert_mo_ok(mo_result_get_int64(r, 0, &now_sid));
    assert_int_equal((uint64_t)now_sid, sid);
    mo_result_free(r);
    assert_mo_ok(mo_session_commit(s));
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM fork_t"), 1);
    mo_session_close(s);
    mo_test_exec_ok(c, "DROP TABLE fork_t");
    mo_client_close(c);
}

static void a_child_that_only_closes_leaves_the_parent_connected(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    uint64_t id = connection_id(c);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        mo_client_close(c); /* before: COM_QUIT for the parent's connection */
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(connection_id(c), id);
    mo_client_close(c);
}

/* Over TLS the child's goodbye would be a valid TLS record (COM_QUIT, then close_notify) in
 * the parent's stream: the server would end the parent's connection. */
static void over_tls_a_child_sends_nothing_on_the_parents_stream(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("the MatrixOne test server answers @@have_ssl = YES but "
                              "negotiates no TLS");
    (void)state;
    mo_client *probe = mo_test_connect();
    int tls = (int)mo_test_query_int(probe, "SELECT @@have_ssl = 'YES'");
    mo_client_close(probe);
    if (!tls && getenv("MOCORE_TEST_REQUIRE_TLS"))
        fail_msg("MOCORE_TEST_REQUIRE_TLS is set but the test server offers no TLS");
    if (!tls) {
        fprintf(stderr, "skipped: the test server offers no TLS (no openssl for the harness, "
                        "or an external server without TLS); ctest integration.test_fork_tls runs "
                        "it against a TLS server\n");
        skip();
    }
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_tls_mode(cfg, MO_TLS_REQUIRED));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    assert_int_equal(mo_test_query_int(c, "SELECT VARIABLE_VALUE <> '' FROM "
                                          "information_schema.SESSION_STATUS WHERE "
                                          "VARIABLE_NAME = 'Ssl_cipher'"), 1);
    uint64_t id = connection_id(c);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        int failed = 0;
        mo_result *r = NULL;
        if (mo_client_execute(&r, c, "SELECT 1", 8, NULL) != MO_E_MISUSE) failed |= 1;
        mo_client_close(c);
        _exit(failed);
    }
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    /* The parent's TLS stream first: it is what a goodbye from the child would break. */
    assert_int_equal(connection_id(c), id);
    assert_int_equal(mo_test_query_int(c, "SELECT 40 + 2"), 42);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    mo_client_close(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inherited_handles_are_misuse_in_the_child_and_the_parent_goes_on),
        cmocka_unit_test(a_child_that_only_closes_leaves_the_parent_connected),
        cmocka_unit_test(over_tls_a_child_sends_nothing_on_the_parents_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
