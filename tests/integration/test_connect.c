/* Connecting, server detection, ping, dry-run and handle misuse against the real server. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <unistd.h>
#include "test_support.h"

static mo_config *config_with(const char *key, const char *value) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set(cfg, key, value));
    return cfg;
}

static void connect_detects_mariadb_and_its_version(void **state) {
    mo_client *c = mo_test_connect();
    unsigned major = 0, minor = 0, patch = 0;
    assert_mo_ok(mo_client_version(c, &major, &minor, &patch));
    if (mo_test_server_is_matrixone()) { /* "8.0.30-MatrixOne-v4.2.0" is MatrixOne 4.2.0 */
        assert_int_equal(mo_client_server_kind(c), MO_SERVER_MATRIXONE);
        assert_non_null(strstr(mo_client_server_version(c), "MatrixOne"));
        assert_true(major >= 1);
    } else {
        assert_int_equal(mo_client_server_kind(c), MO_SERVER_MARIADB);
        assert_non_null(strstr(mo_client_server_version(c), "MariaDB"));
        assert_true(major >= 10);
    }
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(c, &id));
    assert_int_equal((int64_t)id, mo_test_query_int(c, "SELECT CONNECTION_ID()"));
    assert_mo_ok(mo_client_ping(c));
    mo_client_close(c);
}

static void connection_uses_utf8mb4(void **state) {
    mo_client *c = mo_test_connect();
    mo_result *r = NULL;
    const char *sql = "SELECT @@character_set_client, @@character_set_results";
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    const char *v;
    size_t n;
    assert_mo_ok(mo_result_get_text(r, 0, &v, &n));
    assert_memory_equal(v, "utf8mb4", n);
    mo_result_free(r);
    mo_client_close(c);
}

static void wrong_password_is_an_auth_error(void **state) {
    mo_config *cfg = config_with("password", "definitely-wrong");
    mo_client *c = (mo_client *)0x1;
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_AUTH);
    assert_null(c);
    const mo_error *e = mo_error_last();
    assert_int_equal(mo_error_server_code(e), 1045);
    assert_string_equal(mo_error_sqlstate(e), "28000");
    assert_string_equal(mo_error_operation(e), "client.connect");
    assert_null(strstr(mo_error_message(e), "definitely-wrong"));
    mo_config_free(cfg);
}

static void unreachable_server_is_a_connect_error(void **state) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_host(cfg, "127.0.0.1"));
    assert_mo_ok(mo_config_set_port(cfg, 1)); /* nothing listens on port 1 */
    mo_client *c = NULL;
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_CONNECT);
    assert_int_equal(mo_error_server_code(mo_error_last()), 2002);
    assert_string_equal(mo_error_sqlstate(mo_error_last()), "HY000");
    /* libmariadb's "(111)" is said in the words people search for */
    assert_non_null(strstr(mo_error_message(mo_error_last()), "(111): connection refused"));
    mo_config_free(cfg);
}

static void tcp_transport_connects_to_localhost_over_tcp(void **state) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_host(cfg, "localhost")); /* libmariadb's socket, by default */
    assert_mo_ok(mo_config_set_unix_socket(cfg, "/nonexistent/mocore.sock"));
    mo_client *c = NULL;
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_CONNECT); /* auto: the socket path */
    assert_mo_ok(mo_config_set_transport(cfg, MO_TRANSPORT_TCP));
    assert_mo_ok(mo_client_connect(&c, cfg));
    /* a TCP session's peer is "host:port" in the processlist; a socket's is "localhost".
     * MatrixOne's processlist names the session conn_id and the peer client_host. */
    mo_result *r = NULL;
    const char *sql = mo_test_server_is_matrixone()
                          ? "SELECT client_host FROM information_schema.processlist "
                            "WHERE conn_id = CONNECTION_ID()"
                          : "SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()";
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    const char *host;
    size_t host_len;
    assert_mo_ok(mo_result_get_text(r, 0, &host, &host_len));
    assert_non_null(memchr(host, ':', host_len));
    mo_result_free(r);
    mo_client_close(c);
    assert_mo_ok(mo_config_set_transport(cfg, MO_TRANSPORT_SOCKET));
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_CONNECT); /* the (missing) socket */
    assert_non_null(strstr(mo_error_message(mo_error_last()), "no such socket file"));
    mo_config_free(cfg);
}

static void a_server_that_never_answers_the_connect_is_a_timeout(void **state) {
    /* A listener that accepts and never sends the handshake. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t alen = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &alen);
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_host(cfg, "127.0.0.1"));
    assert_mo_ok(mo_config_set_port(cfg, ntohs(addr.sin_port)));
    assert_mo_ok(mo_config_set(cfg, "connect_timeout", "1"));
    mo_client *c = NULL;
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_TIMEOUT);
    assert_null(c);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "timed out"));
    mo_config_free(cfg);
    close(fd);
}

static void unknown_database_is_not_found(void **state) {
    mo_config *cfg = config_with("database", "no_such_database_here");
    mo_client *c = NULL;
    mo_status st = mo_client_connect(&c, cfg);
    /* MariaDB answers 1044 (access denied to that database) for users without global
     * rights, 1049 for those with them; both name the database. */
    assert_true(st == MO_E_NOT_FOUND || st == MO_E_AUTH);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "no_such_database_here"));
    mo_config_free(cfg);
}

static void required_tls_against_a_server_without_tls_fails_to_connect(void **state) {
    /* The test server has no certificate: a real TLS requirement must refuse it, which
     * proves the setting reaches libmariadb instead of being ignored. */
    mo_config *cfg = config_with("ssl_mode", "required");
    mo_client *c = NULL;
    mo_status st = mo_client_connect(&c, cfg);
    assert_int_equal(st, MO_E_CONNECT);
    assert_null(c);
    mo_config_free(cfg);
    cfg = config_with("ssl_mode", "verify_identity");
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_CONNECT);
    mo_config_free(cfg);
}

static void preferred_tls_falls_back_to_plain_when_the_server_has_none(void **state) {
    mo_config *cfg = config_with("ssl_mode", "preferred");
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_client_close(c);
    mo_config_free(cfg);
}

static void invalid_login_combination_fails_before_connecting(void **state) {
    mo_config *cfg = config_with("user", "acc#bob");
    assert_mo_ok(mo_config_set_account(cfg, "other"));
    mo_client *c = NULL;
    assert_int_equal(mo_client_connect(&c, cfg), MO_E_INVALID_ARGUMENT);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Conflict"));
    mo_config_free(cfg);
}

static void dry_run_sends_nothing_and_journals_every_statement(void **state) {
    mo_config *cfg = NULL;
    /* Port 1: were anything sent, it would fail. */
    assert_mo_ok(mo_config_from_url(&cfg, "mysql://u:p@127.0.0.1:1/db?dry_run=true"));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    assert_int_equal(mo_client_server_kind(c), MO_SERVER_MATRIXONE);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, "it's", 4));
    mo_result *r = NULL;
    const char *sql = "SELECT * FROM t WHERE name = ?";
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), p));
    assert_int_equal(mo_result_column_count(r), 0);
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);

    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_mo_ok(mo_test_session_exec(s, "DROP SNAPSHOT x"));
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);

    size_t count = 0;
    assert_mo_ok(mo_client_journal_count(c, &count));
    assert_int_equal(count, 4);
    const char *expected[] = {"SELECT * FROM t WHERE name = 'it''s'", "BEGIN", "DROP SNAPSHOT x", "COMMIT"};
    for (size_t i = 0; i < count; i++) {
        const char *got;
        size_t len;
        assert_mo_ok(mo_client_journal_get(c, i, &got, &len));
        assert_int_equal(len, strlen(expected[i]));
        assert_string_equal(got, expected[i]);
    }
    const char *got;
    assert_int_equal(mo_client_journal_get(c, 4, &got, NULL), MO_E_INVALID_ARGUMENT);
    assert_mo_ok(mo_client_journal_clear(c));
    assert_mo_ok(mo_client_journal_count(c, &count));
    assert_int_equal(count, 0);
    mo_params_free(p);
    mo_client_close(c);
    mo_config_free(cfg);
}

static void null_and_closed_handles_give_clean_errors(void **state) {
    mo_result *r = NULL;
    assert_int_equal(mo_client_execute(&r, NULL, "SELECT 1", 8, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_client_ping(NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_client_connect(NULL, NULL), MO_E_INVALID_ARGUMENT);
    mo_client *c = NULL;
    assert_int_equal(mo_client_connect(&c, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_session_commit(NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_result_next(NULL), MO_E_INVALID_ARGUMENT);

    c = mo_test_connect();
    mo_client_close(c);
    /* The pointer is dangling now; the registry answers instead of the memory. */
    assert_int_equal(mo_client_ping(c), MO_E_MISUSE);
    assert_int_equal(mo_client_execute(&r, c, "SELECT 1", 8, NULL), MO_E_MISUSE);
    mo_client_close(c); /* a second close is a no-op */
    mo_client_close(NULL);
    mo_session_close(NULL);
    mo_result_free(NULL);
    /* A handle of the wrong type is misuse too. */
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_int_equal(mo_client_ping((mo_client *)p), MO_E_MISUSE);
    mo_params_free(p);
}

static void results_outlive_their_client(void **state) {
    mo_client *c = mo_test_connect();
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, c, "SELECT 42", 9, NULL));
    mo_client_close(c);
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t v = 0;
    assert_mo_ok(mo_result_get_int64(r, 0, &v));
    assert_int_equal(v, 42);
    mo_result_free(r);
}

struct sleeper {
    mo_client *c;
    mo_status st;
};

static void *sleep_on_client(void *arg) {
    struct sleeper *sl = arg;
    sl->st = mo_test_exec(sl->c, "SELECT SLEEP(1)");
    return NULL;
}

static void concurrent_use_of_one_client_is_misuse(void **state) {
    mo_client *c = mo_test_connect();
    struct sleeper sl = {c, 0};
    pthread_t t;
    pthread_create(&t, NULL, sleep_on_client, &sl);
    usleep(300 * 1000);
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "in use"));
    pthread_join(t, NULL);
    assert_mo_ok(sl.st);
    /* The connection was not disturbed. */
    assert_int_equal(mo_test_query_int(c, "SELECT 7"), 7);
    mo_client_close(c);
}

static void ping_after_the_server_killed_the_connection_is_connection_lost(void **state) {
    mo_client *c = mo_test_connect();
    mo_client *killer = mo_test_connect();
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(c, &id));
    char sql[64];
    snprintf(sql, sizeof sql, "KILL CONNECTION %llu", (unsigned long long)id);
    mo_test_exec_ok(killer, sql);
    usleep(100 * 1000);
    assert_int_equal(mo_client_ping(c), MO_E_CONNECTION_LOST);
    /* No reconnect: the client stays unusable. */
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE);
    mo_client_close(c);
    mo_client_close(killer);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_detects_mariadb_and_its_version),
        cmocka_unit_test(connection_uses_utf8mb4),
        cmocka_unit_test(wrong_password_is_an_auth_error),
        cmocka_unit_test(unreachable_server_is_a_connect_error),
        cmocka_unit_test(tcp_transport_connects_to_localhost_over_tcp),
        cmocka_unit_test(a_server_that_never_answers_the_connect_is_a_timeout),
        cmocka_unit_test(unknown_database_is_not_found),
        cmocka_unit_test(required_tls_against_a_server_without_tls_fails_to_connect),
        cmocka_unit_test(preferred_tls_falls_back_to_plain_when_the_server_has_none),
        cmocka_unit_test(invalid_login_combination_fails_before_connecting),
        cmocka_unit_test(dry_run_sends_nothing_and_journals_every_statement),
        cmocka_unit_test(null_and_closed_handles_give_clean_errors),
        cmocka_unit_test(results_outlive_their_client),
        cmocka_unit_test(concurrent_use_of_one_client_is_misuse),
        cmocka_unit_test(ping_after_the_server_killed_the_connection_is_connection_lost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
