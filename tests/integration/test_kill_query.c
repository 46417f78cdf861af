/* mo_client_kill_query / mo_client_kill_query_start against the real server: a statement
 * stopped from a second connection ends with MO_E_INTERRUPTED (1317) while its connection
 * stays in sync and its handle usable — a session keeps its transaction; from another thread
 * during a blocking call, and as an op driven next to the op it stops; a killed lock wait
 * leaves nothing behind; unknown ids, idle connections, dry-run and bad arguments. */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "test_support.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static uint64_t session_id(mo_session *s) {
    uint64_t id = 0;
    assert_mo_ok(mo_session_connection_id(s, &id));
    assert_true(id > 0);
    return id;
}

/* ------------------------------------------------------------------ from another thread */

typedef struct {
    mo_session *s;
    const char *sql;
    mo_status status;
    int server_code;
    double elapsed;
} statement_job;

static void *run_statement(void *arg) {
    statement_job *job = arg;
    double t0 = now();
    mo_result *r = NULL;
    job->status = mo_session_execute(&r, job->s, job->sql, strlen(job->sql), NULL);
    job->elapsed = now() - t0;
    job->server_code = job->status < 0 ? mo_error_server_code(mo_error_last()) : 0;
    mo_result_free(r);
    return NULL;
}

static void test_a_blocking_statement_is_killed_from_another_thread(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS kill_keep");
    mo_test_exec_ok(c, "CREATE TABLE kill_keep (id INT PRIMARY KEY)");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO kill_keep VALUES (1)");
    uint64_t id = session_id(s);
    uint64_t client_id = 0;
    assert_mo_ok(mo_client_connection_id(c, &client_id));
    assert_int_not_equal(id, client_id); /* a session has a connection of its own */

    statement_job job = {.s = s, .sql = "SELECT SLEEP(5)"};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_statement, &job), 0);
    sleep_ms(200);
    assert_mo_ok(mo_client_kill_query(c, id)); /* c is not busy; the session is */
    pthread_join(t, NULL);

    assert_int_equal(job.status, MO_E_INTERRUPTED);
    assert_int_equal(job.server_code, mo_test_killed_query_code()); /* MatrixOne: 1105 */
    assert_true(job.elapsed < 2.0);
    /* Not poisoned: the transaction is still open with its row, and commits. */
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    mo_test_session_exec_ok(s, "INSERT INTO kill_keep VALUES (2)");
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM kill_keep"), 2);
    mo_test_exec_ok(c, "DROP TABLE kill_keep");
    mo_client_close(c);
}

/* ------------------------------------------------------------------ as an op */

static mo_status drive_two(mo_op *a, mo_status sa, mo_op *b, mo_status sb, mo_status *out_b) {
    mo_op *ops[2] = {a, b};
    mo_status sts[2] = {sa, sb};
    while (sts[0] == MO_AGAIN || sts[1] == MO_AGAIN) {
        struct pollfd fds[2];
        int which[2], k = 0;
        for (int i = 0; i < 2; i++) {
            if (sts[i] != MO_AGAIN) continue;
            int ev = mo_op_events(ops[i]);
            fds[k].fd = mo_op_socket(ops[i]);
            fds[k].events = (short)(((ev & MO_WAIT_READ) ? POLLIN : 0) | ((ev & MO_WAIT_WRITE) ? POLLOUT : 0));
            fds[k].revents = 0;
            which[k++] = i;
        }
        assert_true(poll(fds, (nfds_t)k, 10000) > 0);
        for (int j = 0; j < k; j++) {
            int ev = 0;
            if (fds[j].revents & (POLLIN | POLLHUP | POLLERR)) ev |= MO_WAIT_READ;
            if (fds[j].revents & (POLLOUT | POLLHUP | POLLERR)) ev |= MO_WAIT_WRITE;
            if (ev) sts[which[j]] = mo_op_continue(ops[which[j]], ev);
        }
    }
    *out_b = sts[1];
    return sts[0];
}

static void test_the_kill_op_stops_a_pending_op_without_poisoning(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(c, &id));

    mo_op *stmt = NULL;
    const char *sql = "SELECT SLEEP(5)";
    double t0 = now();
    mo_status st = mo_client_execute_start(&stmt, c, sql, strlen(sql), NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    assert_int_equal(mo_client_ping(c), MO_E_MISUSE); /* busy with the statement */

    mo_op *kill = NULL;
    mo_status sk = mo_client_kill_query_start(&kill, c, id); /* allowed while c is busy */
    assert_true(sk == MO_AGAIN || sk == MO_OK);
    mo_status kill_status;
    st = drive_two(stmt, st, kill, sk, &kill_status);
    assert_mo_ok(kill_status);
    assert_int_equal(st, MO_E_INTERRUPTED);
    assert_true(now() - t0 < 2.0);
    mo_result *r = NULL;
    assert_int_equal(mo_op_finish_result(stmt, &r), MO_E_INTERRUPTED);
    assert_int_equal(mo_error_server_code(mo_error_last()), mo_test_killed_query_code());
    assert_null(r);
    mo_op_free(stmt);
    mo_op_free(kill);

    /* The client is in sync and usable; its next statement is not affected. */
    assert_mo_ok(mo_client_ping(c));
    assert_int_equal(mo_test_query_int(c, "SELECT SLEEP(0.05) + 5"), 5);
    mo_client_close(c);
}

/* ------------------------------------------------------------------ a killed lock wait */

static void test_a_killed_lock_wait_leaves_nothing_behind(void **state) {
    (void)state;
    mo_client *holder = mo_test_connect();
    mo_test_exec_ok(holder, "DROP TABLE IF EXISTS kill_lock");
    mo_test_exec_ok(holder, "CREATE TABLE kill_lock (id INT PRIMARY KEY, who VARCHAR(10))");
    mo_session *lock = NULL;
    assert_mo_ok(mo_session_open(&lock, holder));
    mo_test_session_exec_ok(lock, "INSERT INTO kill_lock VALUES (1, 'holder')");

    /* An autocommit insert of the same key waits for the row lock. */
    mo_client *waiter = mo_test_connect();
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(waiter, &id));
    mo_op *insert = NULL;
    const char *sql = "INSERT INTO kill_lock VALUES (1, 'waiter')";
    mo_status st = mo_client_execute_start(&insert, waiter, sql, strlen(sql), NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    mo_op *kill = NULL;
    mo_status sk = mo_client_kill_query_start(&kill, holder, id);
    mo_status kill_status;
    st = drive_two(insert, st, kill, sk, &kill_status);
    assert_mo_ok(kill_status);
    assert_int_equal(st, MO_E_INTERRUPTED);
    mo_op_free(insert);
    mo_op_free(kill);

    /* Once the lock is gone, the killed insert has not happened (a poisoning cancel would
     * have let the server finish it), and the waiter inserts for real. */
    assert_mo_ok(mo_session_rollback(lock));
    mo_session_close(lock);
    assert_int_equal(mo_test_query_int(holder, "SELECT COUNT(*) FROM kill_lock"), 0);
    mo_test_exec_ok(waiter, "INSERT INTO kill_lock VALUES (1, 'waiter')");
    assert_int_equal(mo_test_query_int(holder, "SELECT COUNT(*) FROM kill_lock WHERE who = 'waiter'"), 1);
    mo_test_exec_ok(holder, "DROP TABLE kill_lock");
    mo_client_close(waiter);
    mo_client_close(holder);
}

/* ------------------------------------------------------------------ edges */

static void test_idle_and_unknown_connections_and_bad_arguments(void **state) {
    (void)state;
    mo_client *c = mo_test_connect();
    mo_client *idle = mo_test_connect();
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(idle, &id));
    /* Nothing running: the kill succeeds and the next statement runs normally. */
    assert_mo_ok(mo_client_kill_query(c, id));
    assert_int_equal(mo_test_query_int(idle, "SELECT 41 + 1"), 42);
    mo_client_close(idle);

    assert_int_equal(mo_client_kill_query(c, 999999999), MO_E_NOT_FOUND);
    /* MatrixOne: 20101 "internal error: Unknown connection id ..." (a message rule) */
    assert_int_equal(mo_error_server_code(mo_error_last()), mo_test_server_is_matrixone() ? 20101 : 1094);
    assert_string_equal(mo_error_operation(mo_error_last()), "client.kill_query");
    assert_mo_ok(mo_client_ping(c)); /* c itself is untouched */

    assert_int_equal(mo_client_kill_query(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_client_kill_query(c, 0), MO_E_INVALID_ARGUMENT);
    mo_op *op = (mo_op *)&op;
    assert_int_equal(mo_client_kill_query_start(&op, NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_null(op);
    assert_int_equal(mo_client_kill_query_start(NULL, c, 1), MO_E_INVALID_ARGUMENT);
    uint64_t sid = 7;
    assert_int_equal(mo_session_connection_id(NULL, &sid), MO_E_INVALID_ARGUMENT);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_int_equal(mo_session_connection_id(s, NULL), MO_E_INVALID_ARGUMENT);
    mo_session_close(s);

    mo_client_close(c);

    /* Dry-run: journaled, nothing sent. */
    mo_client *dry = mo_test_dry_run_client(NULL);
    assert_mo_ok(mo_client_kill_query(dry, 42));
    JOURNAL(dry, "KILL QUERY 42");
    mo_session *ds = NULL;
    assert_mo_ok(mo_session_open(&ds, dry));
    sid = 7;
    assert_mo_ok(mo_session_connection_id(ds, &sid));
    assert_int_equal(sid, 0); /* no connection in dry-run */
    mo_session_close(ds);
    mo_client_close(dry);
}

int main(void) {
    if (!mo_test_url()) {
        fprintf(stderr, "skipped: no test server (run through ctest)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_blocking_statement_is_killed_from_another_thread),
        cmocka_unit_test(test_the_kill_op_stops_a_pending_op_without_poisoning),
        cmocka_unit_test(test_a_killed_lock_wait_leaves_nothing_behind),
        cmocka_unit_test(test_idle_and_unknown_connections_and_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
