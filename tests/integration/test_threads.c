/* Threads against the real server: what the ThreadSanitizer build (scripts/test.sh `tsan`)
 * checks for data races. Two threads on one handle get MO_OK or MO_E_MISUSE and never
 * corrupt it; many sessions on their own clients run in parallel; handles are created and
 * freed on many threads at once (one registry); a result is read and freed on another
 * thread than the one that made it (after a join: one thread at a time). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"

#define ROUNDS 40
#define SESSIONS 6
#define ROWS 20

typedef struct {
    mo_client *client;
    mo_session *session;
    int ok, misuse, other;
} racer;

static void *race_client(void *arg) {
    racer *r = arg;
    for (int i = 0; i < ROUNDS; i++) {
        mo_status st = r->session ? mo_test_session_exec(r->session, "SELECT 1")
                                  : mo_test_exec(r->client, "SELECT 1");
        if (st == MO_OK) r->ok++;
        else if (st == MO_E_MISUSE) r->misuse++;
        else r->other++;
    }
    return NULL;
}

static void two_threads_on_one_client_get_ok_or_misuse(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    racer a = {c, NULL, 0, 0, 0}, b = {c, NULL, 0, 0, 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race_client, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race_client, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.other + b.other, 0);
    assert_int_equal(a.ok + a.misuse, ROUNDS);
    assert_int_equal(b.ok + b.misuse, ROUNDS);
    assert_true(a.ok + b.ok > 0);
    /* Whatever interleaving happened, the connection is in step. */
    assert_int_equal(mo_test_query_int(c, "SELECT 7"), 7);
    mo_client_close(c);
}

static void two_threads_on_one_session_get_ok_or_misuse(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    racer a = {c, s, 0, 0, 0}, b = {c, s, 0, 0, 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race_client, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race_client, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.other + b.other, 0);
    assert_int_equal(a.ok + a.misuse + b.ok + b.misuse, 2 * ROUNDS);
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    mo_client_close(c);
}

typedef struct {
    int id;
    mo_config *cfg; /* made on the main thread (the test support reads its URL unlocked) */
    mo_status st;
} worker;

/* One client and one session per thread: ROWS inserts with parameters, then commit. */
static void *run_session(void *arg) {
    worker *w = arg;
    mo_client *c = NULL;
    mo_session *s = NULL;
    mo_params *p = NULL;
    w->st = mo_client_connect(&c, w->cfg);
    if (w->st == MO_OK) w->st = mo_session_open(&s, c);
    if (w->st == MO_OK) w->st = mo_params_new(&p);
    static const char sql[] = "INSERT INTO threads_rows (worker, n) VALUES (?, ?)";
    for (int i = 0; i < ROWS && w->st == MO_OK; i++) {
        mo_result *res = NULL;
        mo_params_clear(p);
        mo_params_add_int64(p, w->id);
        mo_params_add_int64(p, i);
        w->st = mo_session_execute(&res, s, sql, strlen(sql), p);
        mo_result_free(res);
    }
    if (w->st == MO_OK) w->st = mo_session_commit(s);
    if (w->st < 0) mo_test_print_error(w->st, "session worker");
    mo_params_free(p);
    mo_session_close(s);
    mo_client_close(c);
    return NULL;
}

static void many_sessions_commit_in_parallel(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS threads_rows");
    mo_test_exec_ok(c, "CREATE TABLE threads_rows (worker INT, n INT, PRIMARY KEY (worker, n))");
    pthread_t t[SESSIONS];
    worker w[SESSIONS];
    for (int i = 0; i < SESSIONS; i++) {
        w[i] = (worker){i, mo_test_config(), MO_OK};
        assert_int_equal(pthread_create(&t[i], NULL, run_session, &w[i]), 0);
    }
    for (int i = 0; i < SESSIONS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < SESSIONS; i++) {
        mo_config_free(w[i].cfg);
        assert_mo_ok(w[i].st);
    }
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM threads_rows"), SESSIONS * ROWS);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(DISTINCT worker) FROM threads_rows"), SESSIONS);
    mo_test_exec_ok(c, "DROP TABLE threads_rows");
    mo_client_close(c);
}

/* Handles of every kind made and freed on many threads at once, errors set on each. */
static void *churn_handles(void *arg) {
    int *failures = arg;
    for (int i = 0; i < 200; i++) {
        mo_params *p = NULL;
        mo_config *cfg = NULL;
        if (mo_params_new(&p) != MO_OK || mo_params_add_text(p, "x", 1) != MO_OK) (*failures)++;
        if (mo_config_from_url(&cfg, "mysql://u:secret@127.0.0.1:1/db") != MO_OK) (*failures)++;
        /* A freed handle is a clean error on this thread, whatever the others do. */
        mo_params_free(p);
        if (mo_params_add_null(p) != MO_E_MISUSE) (*failures)++;
        if (mo_error_category(mo_error_last()) != MO_E_MISUSE) (*failures)++;
        mo_config_free(cfg);
    }
    return NULL;
}

static void handles_are_made_and_freed_on_many_threads(void **state) {
    (void)state;
    pthread_t t[4];
    int failures[4] = {0};
    for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, churn_handles, &failures[i]), 0);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) assert_int_equal(failures[i], 0);
}

typedef struct {
    mo_result *res;
    int64_t sum;
    mo_status st;
} reader;

static void *read_rows(void *arg) {
    reader *r = arg;
    mo_status st;
    while ((st = mo_result_next(r->res)) == MO_ROW) {
        int64_t v;
        if (mo_result_get_int64(r->res, 0, &v) < 0) break;
        r->sum += v;
    }
    r->st = st;
    mo_result_free(r->res);
    return NULL;
}

static void a_result_is_read_and_freed_on_another_thread(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    static const char sql[] = "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3";
    reader r = {NULL, 0, MO_OK};
    assert_mo_ok(mo_client_execute(&r.res, c, sql, strlen(sql), NULL));
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_rows, &r), 0);
    pthread_join(t, NULL);
    assert_int_equal(r.st, MO_DONE);
    assert_int_equal(r.sum, 6);
    assert_int_equal(mo_test_query_int(c, "SELECT 8"), 8);
    mo_client_close(c);
}

int main(void) {
    if (!mo_test_url()) {
        fprintf(stderr, "skipped: no test server (run through ctest)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_threads_on_one_client_get_ok_or_misuse),
        cmocka_unit_test(two_threads_on_one_session_get_ok_or_misuse),
        cmocka_unit_test(many_sessions_commit_in_parallel),
        cmocka_unit_test(handles_are_made_and_freed_on_many_threads),
        cmocka_unit_test(a_result_is_read_and_freed_on_another_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
