/* MatrixOne's error answers, each provoked for real, and the categories mocore gives them
 * (docs/matrixone.md, "Error map"): a bad login, a killed query, a deadlock (both sides, and
 * the retry helper re-running it), a lock wait timeout, unknown table / column / database /
 * connection id, an export onto an existing file, a duplicate key; savepoints refused before
 * sending. Runs only when MOCORE_TEST_MATRIXONE_URL is set (e.g.
 * "matrixone://root:111@127.0.0.1:6001/test"); otherwise it reports as skipped. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "test_support.h"

#define DB "mocore_mo_errdb"

static const char *url(void) { return getenv("MOCORE_TEST_MATRIXONE_URL"); }


static void expect(mo_status st, mo_status category, int code, const char *sqlstate) {
    const mo_error *e = mo_error_last();
    if (st != category || mo_error_server_code(e) != code) {
        mo_test_print_error(st, "unexpected answer");
        fail_msg("expected %s / %d", mo_error_category_name(category), code);
    }
    if (sqlstate) assert_string_equal(mo_error_sqlstate(e), sqlstate);
}

static int setup(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(NULL, NULL);
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS " DB);
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS " DB ".acct");
    mo_test_exec_ok(c, "CREATE TABLE " DB ".acct (id INT PRIMARY KEY, balance INT)");
    mo_client_close(c);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(NULL, NULL);
    mo_test_exec(c, "DROP DATABASE IF EXISTS " DB);
    mo_client_close(c);
    return 0;
}

static int reset(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    mo_test_exec_ok(c, "DELETE FROM acct");
    mo_test_exec_ok(c, "INSERT INTO acct VALUES (1, 100), (2, 100)");
    mo_client_close(c);
    return 0;
}

/* ------------------------------------------------------------------ logins */

static mo_status connect_as(const char *user, const char *account, const char *password) {
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url()));
    assert_mo_ok(mo_config_set_user(cfg, user));
    if (account) assert_mo_ok(mo_config_set_account(cfg, account));
    assert_mo_ok(mo_config_set_password(cfg, password));
    mo_client *c = NULL;
    mo_status st = mo_client_connect(&c, cfg);
    mo_config_free(cfg);
    assert_null(c);
    return st;
}

static void bad_password_user_and_account_are_auth(void **state) {
    (void)state;
    expect(connect_as("root", NULL, "wrong-password"), MO_E_AUTH, 1045, NULL);
    assert_null(strstr(mo_error_message(mo_error_last()), "wrong-password"));
    /* 20101 "internal error: there is no user ..." / "... there is no tenant ..." */
    expect(connect_as("mocore_mo_nosuchuser", NULL, "111"), MO_E_AUTH, 20101, NULL);
    expect(connect_as("root", "mocore_mo_nosuchacct", "111"), MO_E_AUTH, 20101, NULL);
}

/* ------------------------------------------------------------------ object errors */

static void unknown_objects_are_not_found(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    /* 1064 "SQL parser error: table "x" does not exist" is a missing table, not a syntax error */
    expect(mo_test_exec(c, "SELECT * FROM mocore_mo_no_such_table"), MO_E_NOT_FOUND, 1064, NULL);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "does not exist"));
    expect(mo_test_exec(c, "SELECT no_such_column FROM acct"), MO_E_NOT_FOUND, 20301, NULL);
    expect(mo_test_exec(c, "USE mocore_mo_no_such_db"), MO_E_NOT_FOUND, 1049, NULL);
    expect(mo_test_exec(c, "KILL 987654321"), MO_E_NOT_FOUND, 20101, NULL);
    expect(mo_client_kill_query(c, 987654321), MO_E_NOT_FOUND, 20101, NULL);
    /* a real syntax error stays SYNTAX */
    expect(mo_test_exec(c, "SELEKT 1"), MO_E_SYNTAX, 1064, NULL);
    /* the connection is fine after each */
    assert_int_equal(mo_test_query_int(c, "SELECT 40 + 2"), 42);
    mo_client_close(c);
}

static void duplicate_key_is_constraint_with_sqlstate_hy000(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    expect(mo_test_exec(c, "INSERT INTO acct VALUES (1, 5)"), MO_E_CONSTRAINT, 1062, "HY000");
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Duplicate entry"));
    mo_client_close(c);
}

static void export_onto_an_existing_file_is_already_exists(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    char path[128];
    snprintf(path, sizeof path, "/tmp/mocore_mo_err_export_%d.csv", (int)getpid());
    unlink(path);
    assert_mo_ok(mo_export_to_csv(ex, path, "SELECT id FROM acct ORDER BY id", NULL, NULL, NULL,
                                  NULL, 0, NULL));
    expect(mo_export_to_csv(ex, path, "SELECT id FROM acct", NULL, NULL, NULL, NULL, 0, NULL),
           MO_E_ALREADY_EXISTS, 20406, NULL);
    unlink(path);
    mo_executor_free(ex);
    mo_client_close(c);
}

/* ------------------------------------------------------------------ KILL QUERY */

typedef struct {
    mo_session *s;
    mo_status st;
    int code;
} sleeper;

static void *run_sleep(void *arg) {
    sleeper *z = arg;
    z->st = mo_test_session_exec(z->s, "SELECT SLEEP(5)");
    z->code = mo_error_server_code(mo_error_last());
    return NULL;
}

static void a_killed_query_is_interrupted_and_the_session_goes_on(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (3, 3)");
    uint64_t id = 0;
    assert_mo_ok(mo_session_connection_id(s, &id));
    sleeper z = {s, 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_sleep, &z), 0);
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL);
    assert_mo_ok(mo_client_kill_query(c, id));
    pthread_join(t, NULL);
    /* 1105 "context canceled": INTERRUPTED, and the connection stays usable */
    assert_int_equal(z.st, MO_E_INTERRUPTED);
    assert_int_equal(z.code, 1105);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM acct WHERE id = 3"), 1);
    mo_client_close(c);
}

/* ------------------------------------------------------------------ lock conflicts */

typedef struct {
    mo_session *s;
    const char *sql;
    mo_status st;
    int code;
} locker;

static void *run_locker(void *arg) {
    locker *l = arg;
    l->st = mo_test_session_exec(l->s, l->sql);
    l->code = mo_error_server_code(mo_error_last());
    return NULL;
}

static void a_deadlock_is_retryable_on_both_sides(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    mo_session *a = NULL, *b = NULL;
    assert_mo_ok(mo_session_open(&a, c));
    assert_mo_ok(mo_session_open(&b, c));
    mo_test_session_exec_ok(a, "UPDATE acct SET balance = balance + 1 WHERE id = 1");
    mo_test_session_exec_ok(b, "UPDATE acct SET balance = balance + 1 WHERE id = 2");
    locker la = {a, "UPDATE acct SET balance = balance + 1 WHERE id = 2", 0, 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_locker, &la), 0);
    struct timespec pause = {0, 500 * 1000 * 1000};
    nanosleep(&pause, NULL); /* a waits for b's row */
    locker lb = {b, "UPDATE acct SET balance = balance + 1 WHERE id = 1", 0, 0};
    run_locker(&lb);
    pthread_join(t, NULL);
    /* MatrixOne (v4.2) answers 20701 "deadlock detected" after ~8 s, to both transactions
     * (MySQL picks one victim). Each one is RETRYABLE and rolled back. */
    assert_true(la.st == MO_E_RETRYABLE || lb.st == MO_E_RETRYABLE);
    if (la.st < 0) assert_int_equal(la.code, 20701);
    if (lb.st < 0) assert_int_equal(lb.code, 20701);
    print_message("deadlock: a %s (%d), b %s (%d)\n", mo_error_category_name(la.st), la.code,
                  mo_error_category_name(lb.st), lb.code);
    if (la.st < 0) assert_int_equal(mo_session_get_state(a), MO_SESSION_ABORTED);
    if (lb.st < 0) assert_int_equal(mo_session_get_state(b), MO_SESSION_ABORTED);
    mo_session_rollback(a);
    mo_session_rollback(b);
    mo_session_close(a);
    mo_session_close(b);
    mo_client_close(c);
}

typedef struct {
    int attempts;
    int other_attempts;
    mo_status other;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int holding;       /* the other side holds row 2 */
    int body_holding;  /* the body holds row 1 */
} deadlock_pair;

static void raise_flag(deadlock_pair *d, int *flag) {
    pthread_mutex_lock(&d->lock);
    *flag = 1;
    pthread_cond_broadcast(&d->changed);
    pthread_mutex_unlock(&d->lock);
}

static void wait_flag(deadlock_pair *d, const int *flag) {
    pthread_mutex_lock(&d->lock);
    while (!*flag) pthread_cond_wait(&d->changed, &d->lock);
    pthread_mutex_unlock(&d->lock);
}

/* The other side: row 2, then row 1 (on its first attempt), in the retry helper too. */
static mo_status other_body(mo_session *s, void *userdata) {
    deadlock_pair *d = userdata;
    d->other_attempts++;
    if (d->other_attempts == 1) wait_flag(d, &d->body_holding);
    mo_status st = mo_test_session_exec(s, "UPDATE acct SET balance = balance + 10 WHERE id = 2");
    if (d->other_attempts == 1) raise_flag(d, &d->holding);
    if (st < 0) return st;
    return mo_test_session_exec(s, "UPDATE acct SET balance = balance + 10 WHERE id = 1");
}

static void *run_other(void *arg) {
    deadlock_pair *d = arg;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    d->other = mo_client_transaction(c, 3, other_body, d);
    mo_client_close(c);
    return NULL;
}

static mo_status body(mo_session *s, void *userdata) {
    deadlock_pair *d = userdata;
    d->attempts++;
    mo_status st = mo_test_session_exec(s, "UPDATE acct SET balance = balance - 1 WHERE id = 1");
    if (d->attempts == 1) raise_flag(d, &d->body_holding); /* (also on failure) */
    if (st < 0) return st;
    if (d->attempts == 1) wait_flag(d, &d->holding);
    return mo_test_session_exec(s, "UPDATE acct SET balance = balance - 1 WHERE id = 2");
}

static void the_retry_helper_reruns_a_real_deadlock(void **state) {
    (void)state;
    deadlock_pair d = {0, 0, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_other, &d), 0);
    mo_status st = mo_client_transaction(c, 3, body, &d);
    pthread_join(t, NULL);
    if (st < 0) mo_test_print_error(st, "mo_client_transaction");
    assert_mo_ok(st);
    assert_mo_ok(d.other);
    assert_true(d.attempts >= 2 || d.other_attempts >= 2); /* a 20701 was re-run */
    print_message("retry helper: body %d attempt(s), other side %d\n", d.attempts,
                  d.other_attempts);
    /* Each transaction took effect exactly once. */
    assert_int_equal(mo_test_query_int(c, "SELECT balance FROM acct WHERE id = 1"), 109);
    assert_int_equal(mo_test_query_int(c, "SELECT balance FROM acct WHERE id = 2"), 109);
    mo_client_close(c);
}

/* lock_wait_timeout (there is no innodb_lock_wait_timeout), set when each connection is
 * made: a SET inside a transaction would commit it (and mocore refuses it on a session). */
static mo_status short_lock_wait(mo_executor *ex, void *userdata) {
    (void)userdata;
    static const char sql[] = "SET SESSION lock_wait_timeout = 1";
    mo_result *r = NULL;
    mo_status st = mo_executor_execute(&r, ex, sql, sizeof sql - 1, NULL);
    mo_result_free(r);
    return st;
}

static void a_lock_wait_timeout_is_retryable(void **state) {
    (void)state;
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url()));
    assert_mo_ok(mo_config_set_database(cfg, DB));
    assert_mo_ok(mo_config_set_connect_hook(cfg, short_lock_wait, NULL));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    mo_session *holder = NULL, *waiter = NULL;
    assert_mo_ok(mo_session_open(&holder, c));
    assert_mo_ok(mo_session_open(&waiter, c));
    mo_test_session_exec_ok(holder, "UPDATE acct SET balance = 0 WHERE id = 1");
    expect(mo_test_session_exec(waiter, "UPDATE acct SET balance = 1 WHERE id = 1"),
           MO_E_RETRYABLE, 1205, NULL);
    assert_int_equal(mo_session_get_state(waiter), MO_SESSION_ABORTED);
    mo_session_close(holder);
    mo_session_close(waiter);
    mo_client_close(c);
}

/* ------------------------------------------------------------------ savepoints */

static void savepoints_are_refused_before_sending(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (5, 5)");
    assert_int_equal(mo_session_savepoint(s, "sp1"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_session_rollback_to_savepoint(s, "sp1"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_session_release_savepoint(s, "sp1"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_error_server_code(mo_error_last()), 0); /* nothing was sent */
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    /* What the server does with them, sent as plain statements: SAVEPOINT and RELEASE are
     * accepted and do nothing, ROLLBACK TO fails (20101, a message rule: UNSUPPORTED). */
    mo_test_session_exec_ok(s, "SAVEPOINT sp1");
    mo_test_session_exec_ok(s, "RELEASE SAVEPOINT sp1");
    mo_test_session_exec_ok(s, "SAVEPOINT sp2");
    expect(mo_test_session_exec(s, "ROLLBACK TO SAVEPOINT sp2"), MO_E_UNSUPPORTED, 20101, NULL);
    mo_session_rollback(s);
    mo_session_close(s);
    mo_client_close(c);
}


/* A SET inside a transaction commits it on MatrixOne v4.2 (the work before it survives a
 * rollback): refused on a session before sending; on the client it runs. */
static void a_set_on_a_session_is_refused_before_sending(void **state) {
    (void)state;
    mo_client *c = mo_test_matrixone_connect(DB, NULL);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "UPDATE acct SET balance = 5 WHERE id = 1");
    assert_int_equal(mo_test_session_exec(s, "SET @mocore_x = 1"), MO_E_MISUSE);
    assert_int_equal(mo_error_server_code(mo_error_last()), 0);
    assert_int_equal(mo_test_session_exec(s, "  /* c */ set session lock_wait_timeout = 5"), MO_E_MISUSE);
    mo_executor *sx = NULL;
    assert_mo_ok(mo_session_executor(&sx, s));
    assert_int_equal(mo_vector_enable_ivf(sx, 3), MO_E_MISUSE); /* a manager's SET too */
    mo_executor_free(sx);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    assert_mo_ok(mo_session_rollback(s)); /* still a real transaction: the update is undone */
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(c, "SELECT balance FROM acct WHERE id = 1"), 100);
    mo_test_exec_ok(c, "SET @mocore_x = 1"); /* the client runs in autocommit */
    mo_client_close(c);
}

int main(void) {
    if (!url() || !*url()) {
        /* 77 is the ctest SKIP_RETURN_CODE: the run shows as skipped, with this reason. */
        printf("skipped: MOCORE_TEST_MATRIXONE_URL is not set (no MatrixOne server)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_password_user_and_account_are_auth),
        cmocka_unit_test_setup(unknown_objects_are_not_found, reset),
        cmocka_unit_test_setup(duplicate_key_is_constraint_with_sqlstate_hy000, reset),
        cmocka_unit_test_setup(export_onto_an_existing_file_is_already_exists, reset),
        cmocka_unit_test_setup(a_killed_query_is_interrupted_and_the_session_goes_on, reset),
        cmocka_unit_test_setup(a_deadlock_is_retryable_on_both_sides, reset),
        cmocka_unit_test_setup(the_retry_helper_reruns_a_real_deadlock, reset),
        cmocka_unit_test_setup(a_lock_wait_timeout_is_retryable, reset),
        cmocka_unit_test_setup(savepoints_are_refused_before_sending, reset),
        cmocka_unit_test_setup(a_set_on_a_session_is_refused_before_sending, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
