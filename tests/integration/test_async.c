/* The non-blocking API (capi/mocore/async.h) against the real server: several connections
 * driven by one poll() loop, streaming through the asynchronous path, transactions, cancelling
 * a statement in flight, misuse, and errors that keep their categories. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "test_support.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The caller's event loop: one poll() over every pending op, each continued with the events
 * that happened. sts[i] is MO_AGAIN while ops[i] is pending and its final status after. */
static void drive(mo_op **ops, mo_status *sts, size_t n) {
    for (;;) {
        struct pollfd fds[16];
        size_t which[16], k = 0;
        int timeout = -1;
        for (size_t i = 0; i < n; i++) {
            if (sts[i] != MO_AGAIN) continue;
            int ev = mo_op_events(ops[i]);
            assert_true(ev != 0);
            assert_true(mo_op_socket(ops[i]) >= 0);
            fds[k].fd = mo_op_socket(ops[i]);
            fds[k].events = (short)(((ev & MO_WAIT_READ) ? POLLIN : 0) | ((ev & MO_WAIT_WRITE) ? POLLOUT : 0));
            fds[k].revents = 0;
            if ((ev & MO_WAIT_TIMEOUT) && (timeout < 0 || (int)mo_op_timeout_ms(ops[i]) < timeout))
                timeout = (int)mo_op_timeout_ms(ops[i]);
            which[k++] = i;
        }
        if (k == 0) return;
        int ready = poll(fds, k, timeout);
        assert_true(ready >= 0);
        for (size_t j = 0; j < k; j++) {
            mo_op *op = ops[which[j]];
            int ev = 0;
            if (fds[j].revents & (POLLIN | POLLHUP | POLLERR)) ev |= MO_WAIT_READ;
            if (fds[j].revents & POLLOUT) ev |= MO_WAIT_WRITE;
            if (ready == 0 && (mo_op_events(op) & MO_WAIT_TIMEOUT)) ev |= MO_WAIT_TIMEOUT;
            if (ev) sts[which[j]] = mo_op_continue(op, ev);
        }
    }
}

static mo_status drive_one(mo_op *op, mo_status st) {
    drive(&op, &st, 1);
    return st;
}

static mo_client *connect_async(void) {
    mo_config *cfg = mo_test_config();
    mo_op *op = NULL;
    mo_status st = mo_client_connect_start(&op, cfg);
    mo_config_free(cfg); /* copied at start */
    assert_true(st >= 0 || st == MO_AGAIN);
    assert_non_null(op);
    assert_mo_ok(drive_one(op, st));
    assert_int_equal(mo_op_done(op), 1);
    assert_int_equal(mo_op_events(op), 0);
    assert_int_equal(mo_op_socket(op), -1);
    mo_client *c = NULL;
    assert_mo_ok(mo_op_finish_client(op, &c));
    assert_non_null(c);
    mo_client *again = NULL;
    assert_int_equal(mo_op_finish_client(op, &again), MO_E_MISUSE); /* taken once */
    assert_null(again);
    mo_op_free(op);
    return c;
}

/* Run one statement asynchronously to completion; returns the status, *out the result. */
static mo_status exec_async(mo_client *c, const char *sql, unsigned flags, mo_result **out) {
    mo_op *op = NULL;
    mo_status st = mo_client_execute_start(&op, c, sql, strlen(sql), NULL, flags);
    if (!op) return st;
    st = drive_one(op, st);
    if (st >= 0) {
        mo_result *r = NULL;
        assert_mo_ok(mo_op_finish_result(op, &r));
        if (out) *out = r;
        else mo_result_free(r);
    }
    mo_op_free(op);
    return st;
}

static void two_slow_queries_on_two_connections_overlap(void **state) {
    (void)state;
    mo_client *c[2] = {connect_async(), connect_async()};
    mo_op *ops[2];
    mo_status sts[2];
    const char *sql = "SELECT SLEEP(0.3)";
    double started = now();
    for (int i = 0; i < 2; i++) {
        sts[i] = mo_client_execute_start(&ops[i], c[i], sql, strlen(sql), NULL, 0);
        assert_int_equal(sts[i], MO_AGAIN); /* the server needs 0.3 s: it must wait */
    }
    drive(ops, sts, 2);
    double elapsed = now() - started;
    printf("# two SELECT SLEEP(0.3) on two connections, one poll loop: %.3f s (serial: 0.600 s)\n",
           elapsed);
    /* Run one after the other they need at least 0.6 s on the server: anything below proves
     * they overlapped (typically 0.30 s; the margin is for valgrind on a loaded machine). */
    assert_true(elapsed < 0.6);
    for (int i = 0; i < 2; i++) {
        assert_mo_ok(sts[i]);
        mo_result *r = NULL;
        assert_mo_ok(mo_op_finish_result(ops[i], &r));
        assert_int_equal(mo_result_next(r), MO_ROW);
        int64_t v = -1;
        assert_mo_ok(mo_result_get_int64(r, 0, &v));
        assert_int_equal(v, 0);
        mo_result_free(r);
        mo_op_free(ops[i]);
        mo_client_close(c[i]);
    }
}

static void a_streaming_result_is_read_row_by_row_through_the_async_path(void **state) {
    (void)state;
    mo_client *c = connect_async();
    mo_result *r = NULL;
    assert_mo_ok(exec_async(c,
                            "WITH RECURSIVE t(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM t "
                            "WHERE n < 99) SELECT a.n * 100 + b.n + 1, REPEAT('x', 200), "
                            "IF(a.n = 25 AND b.n = 0, SLEEP(0.5), 0) "
                            "FROM t a, t b WHERE a.n < 50",
                            MO_EXEC_STREAMING, &r));
    int64_t count = 0, sum = 0;
    int waited = 0;
    for (;;) {
        mo_op *op = NULL;
        mo_status st = mo_result_next_start(&op, r);
        assert_non_null(op);
        if (st == MO_AGAIN) waited++;
        st = drive_one(op, st);
        assert_int_equal(mo_op_finish(op), st);
        mo_op_free(op);
        if (st == MO_DONE) break;
        assert_int_equal(st, MO_ROW);
        int64_t n = 0;
        assert_mo_ok(mo_result_get_int64(r, 0, &n));
        count++;
        sum += n;
    }
    assert_int_equal(count, 5000);
    assert_int_equal(sum, (int64_t)5000 * 5001 / 2);
    /* The server pauses half-way: a fetch had to wait. (MatrixOne evaluates SLEEP for a whole
     * batch before it sends any of it, so there the pause comes before the first row.) */
    if (!mo_test_server_is_matrixone()) assert_true(waited > 0);
    uint64_t rows = 0;
    assert_mo_ok(mo_result_affected_rows(r, &rows));
    assert_int_equal(rows, 5000);
    mo_result_free(r);

    /* A stream abandoned half-way is drained by the next asynchronous statement. */
    assert_mo_ok(exec_async(c, "SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3", MO_EXEC_STREAMING, &r));
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_op *op = NULL;
    mo_status st = mo_client_execute_start(&op, c, "SELECT 42", 9, NULL, 0);
    assert_non_null(op);
    assert_mo_ok(drive_one(op, st));
    mo_result *r2 = NULL;
    assert_mo_ok(mo_op_finish_result(op, &r2));
    mo_op_free(op);
    assert_int_equal(mo_result_next(r), MO_E_MISUSE); /* abandoned */
    assert_int_equal(mo_result_next(r2), MO_ROW);
    mo_result_free(r2);
    mo_result_free(r);

    /* Buffered results never wait. */
    assert_mo_ok(exec_async(c, "SELECT 7", 0, &r));
    assert_int_equal(mo_result_next_start(&op, r), MO_ROW);
    mo_op_free(op);
    assert_int_equal(mo_result_next_start(&op, r), MO_DONE);
    mo_op_free(op);
    mo_result_free(r);
    mo_client_close(c);
}

static int64_t count_rows(mo_client *c) {
    return mo_test_query_int(c, "SELECT COUNT(*) FROM async_t");
}

static void sessions_commit_and_roll_back_asynchronously(void **state) {
    (void)state;
    mo_client *c = connect_async();
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS async_t");
    mo_test_exec_ok(c, "CREATE TABLE async_t (id INT PRIMARY KEY) ENGINE=InnoDB");

    mo_op *op = NULL;
    mo_status st = mo_session_open_start(&op, c);
    assert_mo_ok(drive_one(op, st));
    mo_session *s = NULL;
    assert_int_equal(mo_op_finish_result(op, NULL), MO_E_INVALID_ARGUMENT);
    mo_result *wrong = NULL;
    assert_int_equal(mo_op_finish_result(op, &wrong), MO_E_MISUSE); /* an open, not a statement */
    assert_mo_ok(mo_op_finish_session(op, &s));
    mo_op_free(op);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);

    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 1));
    const char *ins = "INSERT INTO async_t VALUES (?)";
    st = mo_session_execute_start(&op, s, ins, strlen(ins), p, 0);
    mo_params_free(p); /* rendered at start */
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op); /* the untaken result is released with the op */
    assert_int_equal(count_rows(c), 0); /* not yet visible */

    st = mo_session_commit_start(&op, s);
    assert_mo_ok(drive_one(op, st));
    assert_mo_ok(mo_op_finish(op));
    mo_op_free(op);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IDLE);
    assert_int_equal(count_rows(c), 1);

    /* The next statement begins a new transaction (BEGIN inside the same op). */
    st = mo_session_execute_start(&op, s, "INSERT INTO async_t VALUES (2)", 30, NULL, 0);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    st = mo_session_rollback_start(&op, s);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IDLE);
    assert_int_equal(count_rows(c), 1);

    /* Closing rolls back an open transaction. */
    st = mo_session_execute_start(&op, s, "INSERT INTO async_t VALUES (3)", 30, NULL, 0);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    st = mo_session_close_start(&op, s);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED); /* no longer a live handle */
    assert_int_equal(count_rows(c), 1);

    /* ping and close */
    st = mo_client_ping_start(&op, c);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    mo_test_exec_ok(c, "DROP TABLE async_t");
    st = mo_client_close_start(&op, c);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    assert_int_equal(mo_client_ping(c), MO_E_MISUSE); /* released at start */
}

static void cancelling_a_query_poisons_its_connection_and_a_new_one_works(void **state) {
    (void)state;
    mo_client *c = connect_async();
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(c, &id));
    mo_op *op = NULL;
    double started = now();
    mo_status st = mo_client_execute_start(&op, c, "SELECT SLEEP(5)", 15, NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    struct pollfd p = {.fd = mo_op_socket(op), .events = POLLIN};
    assert_int_equal(poll(&p, 1, 100), 0); /* still running */
    assert_int_equal(mo_op_finish(op), MO_E_MISUSE); /* pending */
    assert_mo_ok(mo_op_cancel(op));
    assert_int_equal(mo_op_done(op), 1);
    assert_int_equal(mo_op_continue(op, MO_WAIT_READ), MO_E_MISUSE);
    assert_int_equal(mo_op_finish(op), MO_E_INTERRUPTED);
    assert_string_equal(mo_error_operation(mo_error_last()), "client.execute");
    mo_op_free(op);
    assert_true(now() - started < 2.0); /* not the 5 s of the statement */

    /* Documented state: the client is poisoned, nothing is ever sent on it again. */
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE);
    assert_int_equal(mo_client_ping(c), MO_E_MISUSE);
    mo_client_close(c);

    /* A new connection works; the old one is gone from the server's point of view. */
    mo_client *fresh = connect_async();
    mo_result *r = NULL;
    assert_mo_ok(exec_async(fresh, "SELECT 1", 0, &r));
    mo_result_free(r);
    mo_client_close(fresh);

    /* Cancelling inside a session poisons the session, and its transaction is rolled back
     * by the server. */
    mo_client *admin = connect_async();
    mo_test_exec_ok(admin, "DROP TABLE IF EXISTS async_c");
    mo_test_exec_ok(admin, "CREATE TABLE async_c (id INT PRIMARY KEY) ENGINE=InnoDB");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, admin));
    mo_test_session_exec_ok(s, "INSERT INTO async_c VALUES (1)");
    st = mo_session_execute_start(&op, s, "SELECT SLEEP(1)", 15, NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    mo_op_free(op); /* freeing a pending op cancels it */
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    assert_int_equal(mo_test_session_exec(s, "SELECT 1"), MO_E_MISUSE);
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(admin, "SELECT COUNT(*) FROM async_c"), 0);
    mo_test_exec_ok(admin, "DROP TABLE async_c");
    mo_client_close(admin);
}

/* The server must see a cancelled connection end even while the op and the client are still
 * held (a binding keeps them until its garbage collector runs): the socket is shut down at
 * cancel, so the server ends the session — and rolls back its transaction, releasing its
 * locks — as soon as the statement it is running returns. */
static void cancelling_ends_the_server_session_while_the_handles_are_still_held(void **state) {
    (void)state;
    MO_TEST_SKIP_ON_MATRIXONE("the check reads information_schema.innodb_trx (InnoDB's)");
    mo_client *admin = connect_async();
    mo_test_exec_ok(admin, "DROP TABLE IF EXISTS async_held");
    mo_test_exec_ok(admin, "CREATE TABLE async_held (id INT PRIMARY KEY) ENGINE=InnoDB");
    mo_client *c = connect_async();
    uint64_t id = 0;
    assert_mo_ok(mo_client_connection_id(c, &id));
    mo_test_exec_ok(c, "SET autocommit=0");
    mo_test_exec_ok(c, "INSERT INTO async_held VALUES (1)"); /* an open transaction */
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = %llu",
             (unsigned long long)id);
    assert_int_equal(mo_test_query_int(admin, sql), 1);

    mo_op *op = NULL;
    assert_int_equal(mo_client_execute_start(&op, c, "SELECT SLEEP(0.3)", 17, NULL, 0), MO_AGAIN);
    assert_mo_ok(mo_op_cancel(op)); /* op and client NOT released yet */
    double started = now();
    int64_t open = 1;
    while (open && now() - started < 5.0) {
        /* >= 0.1 s apart: InnoDB refreshes its INNODB_TRX cache only when it was not read
         * in the last 0.1 s */
        struct timespec pause = {0, 200 * 1000 * 1000};
        nanosleep(&pause, NULL);
        open = mo_test_query_int(admin, sql);
    }
    assert_int_equal(open, 0);
    assert_int_equal(mo_test_query_int(admin, "SELECT COUNT(*) FROM async_held"), 0);
    mo_test_exec_ok(admin, "DROP TABLE async_held"); /* no metadata lock left behind */
    mo_op_free(op);
    mo_client_close(c);
    mo_client_close(admin);
}

static void a_busy_handle_refuses_a_second_operation(void **state) {
    (void)state;
    mo_client *c = connect_async();
    mo_op *op = NULL, *second = NULL;
    mo_status st = mo_client_execute_start(&op, c, "SELECT SLEEP(0.2)", 17, NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    assert_int_equal(mo_client_execute_start(&second, c, "SELECT 1", 8, NULL, 0), MO_E_MISUSE);
    assert_null(second);
    assert_int_equal(mo_client_ping_start(&second, c), MO_E_MISUSE);
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE); /* the blocking call too */
    assert_int_equal(mo_client_ping(c), MO_E_MISUSE);
    assert_int_equal(mo_op_continue(op, 0xF0), MO_E_INVALID_ARGUMENT);
    assert_mo_ok(drive_one(op, st));
    mo_op_free(op);
    /* Free again once the op is done. */
    assert_mo_ok(mo_client_ping(c));
    /* Closing a client with a pending op is safe: the op keeps it alive. */
    st = mo_client_execute_start(&op, c, "SELECT SLEEP(0.1)", 17, NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    mo_client_close(c);
    assert_mo_ok(drive_one(op, st));
    mo_result *r = NULL;
    assert_mo_ok(mo_op_finish_result(op, &r));
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_result_free(r);
    mo_op_free(op);
    /* NULL and dead handles */
    assert_int_equal(mo_client_execute_start(NULL, c, "SELECT 1", 8, NULL, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_client_execute_start(&op, NULL, "SELECT 1", 8, NULL, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_op_continue(NULL, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_op_events(NULL), 0);
    assert_int_equal(mo_op_socket(NULL), -1);
    assert_int_equal(mo_op_cancel(NULL), MO_E_INVALID_ARGUMENT);
    mo_op_free(NULL);
}

static void a_read_timeout_is_reported_as_a_timeout_event(void **state) {
    (void)state;
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set(cfg, "read_timeout", "1"));
    mo_op *op = NULL;
    mo_status st = mo_client_connect_start(&op, cfg);
    mo_config_free(cfg);
    assert_mo_ok(drive_one(op, st));
    mo_client *c = NULL;
    assert_mo_ok(mo_op_finish_client(op, &c));
    mo_op_free(op);

    double started = now();
    st = mo_client_execute_start(&op, c, "SELECT SLEEP(3)", 15, NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    assert_true(mo_op_events(op) & MO_WAIT_TIMEOUT);
    unsigned ms = mo_op_timeout_ms(op);
    assert_true(ms > 0 && ms <= 1000);
    st = drive_one(op, st); /* the loop passes MO_WAIT_TIMEOUT when poll() times out */
    assert_int_equal(st, MO_E_TIMEOUT);
    double elapsed = now() - started;
    assert_true(elapsed >= 0.9 && elapsed < 2.9); /* not the 3 s of the statement */
    mo_op_free(op);
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE); /* poisoned */
    mo_client_close(c);
}

static void errors_keep_their_categories(void **state) {
    (void)state;
    mo_client *c = connect_async();
    mo_result *r = NULL;
    assert_int_equal(exec_async(c, "SELEC 1", 0, &r), MO_E_SYNTAX);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1064);
    assert_string_equal(mo_error_operation(mo_error_last()), "client.execute");
    assert_int_equal(exec_async(c, "SELECT * FROM no_such_table_here", 0, &r), MO_E_NOT_FOUND);
    /* MatrixOne: 1064 "SQL parser error: table ... does not exist" (a message rule) */
    assert_int_equal(mo_error_server_code(mo_error_last()), mo_test_server_is_matrixone() ? 1064 : 1146);

    /* The error stays with the op: mo_op_finish reports it again later. (The statement
     * sleeps first, so the op surely waits before the error arrives.) */
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS async_e");
    mo_test_exec_ok(c, "CREATE TABLE async_e (id INT PRIMARY KEY) ENGINE=InnoDB");
    mo_test_exec_ok(c, "INSERT INTO async_e VALUES (1)");
    const char *dup = "INSERT INTO async_e SELECT 1 FROM DUAL WHERE SLEEP(0.05) = 0";
    mo_op *op = NULL;
    mo_status st = mo_client_execute_start(&op, c, dup, strlen(dup), NULL, 0);
    assert_int_equal(st, MO_AGAIN);
    st = drive_one(op, st);
    assert_int_equal(st, MO_E_CONSTRAINT);
    mo_error_clear();
    assert_int_equal(mo_op_finish(op), MO_E_CONSTRAINT);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1062);
    assert_string_equal(mo_error_operation(mo_error_last()), "client.execute");
    assert_int_equal(mo_op_finish_result(op, &r), MO_E_CONSTRAINT);
    assert_null(r);
    mo_op_free(op);

    /* Parameter count mismatch: rejected at start, nothing sent, no op. */
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    op = NULL;
    assert_int_equal(mo_client_execute_start(&op, c, "SELECT ?", 8, p, 0), MO_E_INVALID_ARGUMENT);
    assert_null(op);
    mo_params_free(p);

    /* A duplicate key inside a session is a constraint error; the session stays usable. */
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO async_e VALUES (2)");
    op = NULL;
    st = mo_session_execute_start(&op, s, "INSERT INTO async_e VALUES (2)", 30, NULL, 0);
    if (op) st = drive_one(op, st); /* an error may also arrive without waiting: then no op */
    assert_int_equal(st, MO_E_CONSTRAINT);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1062);
    mo_op_free(op);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    mo_test_exec_ok(c, "DROP TABLE async_e");
    mo_client_close(c);

    /* Connect failures: a closed port is CONNECT, a wrong password AUTH. */
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set(cfg, "password", "definitely-wrong"));
    st = mo_client_connect_start(&op, cfg);
    if (op) {
        st = drive_one(op, st);
        mo_client *none = NULL;
        assert_int_equal(mo_op_finish_client(op, &none), MO_E_AUTH);
        assert_null(none);
        mo_op_free(op);
    }
    assert_int_equal(st, MO_E_AUTH);
    assert_mo_ok(mo_config_set(cfg, "host", "127.0.0.1"));
    assert_mo_ok(mo_config_set(cfg, "port", "1"));
    op = NULL;
    st = mo_client_connect_start(&op, cfg);
    if (op) {
        st = drive_one(op, st);
        mo_op_free(op);
    }
    assert_int_equal(st, MO_E_CONNECT);
    mo_config_free(cfg);
}

int main(void) {
    if (!mo_test_url()) {
        fprintf(stderr, "no test server (MOCORE_TEST_URL or the server fixture)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_slow_queries_on_two_connections_overlap),
        cmocka_unit_test(a_streaming_result_is_read_row_by_row_through_the_async_path),
        cmocka_unit_test(sessions_commit_and_roll_back_asynchronously),
        cmocka_unit_test(cancelling_a_query_poisons_its_connection_and_a_new_one_works),
        cmocka_unit_test(cancelling_ends_the_server_session_while_the_handles_are_still_held),
        cmocka_unit_test(a_busy_handle_refuses_a_second_operation),
        cmocka_unit_test(a_read_timeout_is_reported_as_a_timeout_event),
        cmocka_unit_test(errors_keep_their_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
