/* The wait function (async.h, mo_config_set_wait_function) against the real server: a
 * blocking call waits through it; stackful coroutines (ucontext here, greenlets and fibers in
 * the bindings) switch away inside it, so two blocking calls — a manager among them — run
 * interleaved on one thread; a negative answer cancels the call, poisons its handle and the
 * server sees the connection end; the thread's last error survives whatever ran meanwhile. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>
#include <sys/mman.h>
#include "test_support.h"
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for one socket with poll(): what the library does without a wait function. */
static int poll_one(int fd, int events, unsigned timeout_ms) {
    struct pollfd p = {.fd = fd, .events = 0};
    if (events & MO_WAIT_READ) p.events |= POLLIN;
    if (events & MO_WAIT_WRITE) p.events |= POLLOUT;
    int n = poll(&p, 1, (events & MO_WAIT_TIMEOUT) ? (int)timeout_ms : -1);
    if (n == 0) return MO_WAIT_TIMEOUT;
    int ready = 0;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) ready |= MO_WAIT_READ;
    if (p.revents & (POLLOUT | POLLHUP | POLLERR)) ready |= MO_WAIT_WRITE;
    return ready;
}

static mo_client *connect_with(mo_wait_function fn, void *userdata) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_wait_function(cfg, fn, userdata));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

/* ------------------------------------------------------------------ counting, errors kept */

typedef struct {
    int calls;
    int saw_read;
    int fail_other_call; /* make a failing mocore call meanwhile, as a loop's other work would */
} counting;

static int counting_wait(void *userdata, int fd, int events, unsigned timeout_ms) {
    counting *k = userdata;
    k->calls++;
    if (events & MO_WAIT_READ) k->saw_read = 1;
    if (k->fail_other_call) assert_int_equal(mo_config_set_port(NULL, 1), MO_E_INVALID_ARGUMENT);
    return poll_one(fd, events, timeout_ms);
}

static void test_blocking_calls_wait_through_the_function(void **state) {
    (void)state;
    counting k = {0};
    mo_client *c = connect_with(counting_wait, &k);
    int after_connect = k.calls;
    assert_true(after_connect > 0); /* the handshake waited for the server's greeting */
    assert_int_equal(mo_test_query_int(c, "SELECT SLEEP(0.1) + 7"), 7);
    assert_true(k.calls > after_connect);
    assert_int_equal(k.saw_read, 1);

    /* A session made from the client waits through it as well. */
    int before = k.calls;
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "SELECT SLEEP(0.05)"); /* (MatrixOne has no DO) */
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    assert_true(k.calls > before);

    /* NULL restores poll(): a client made then never calls it. */
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_wait_function(cfg, counting_wait, &k));
    assert_mo_ok(mo_config_set_wait_function(cfg, NULL, &k));
    mo_client *plain = NULL;
    before = k.calls;
    assert_mo_ok(mo_client_connect(&plain, cfg));
    assert_int_equal(mo_test_query_int(plain, "SELECT SLEEP(0.05) + 1"), 1);
    assert_int_equal(k.calls, before);
    mo_client_close(plain);
    mo_config_free(cfg);
    assert_int_equal(mo_config_set_wait_function(NULL, counting_wait, &k), MO_E_INVALID_ARGUMENT);
    mo_client_close(c);
}

/* "Wait with poll() this time": the answer of a wait function called outside any coroutine. */
static int deferring_wait(void *userdata, int fd, int events, unsigned timeout_ms) {
    (void)fd;
    (void)events;
    (void)timeout_ms;
    ++*(int *)userdata;
    return MO_WAIT_USE_POLL;
}

static void test_a_wait_function_can_leave_the_wait_to_poll(void **state) {
    (void)state;
    int calls = 0;
    mo_client *c = connect_with(deferring_wait, &calls);
    assert_true(calls > 0);
    int before = calls;
    assert_int_equal(mo_test_query_int(c, "SELECT SLEEP(0.1) + 3"), 3);
    assert_true(calls > before);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "SELECT SLEEP(0.05)"); /* (MatrixOne has no DO) */
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    mo_client_close(c);
}

static void test_last_error_survives_the_wait(void **state) {
    (void)state;
    counting k = {0};
    mo_client *c = connect_with(counting_wait, &k);
    k.fail_other_call = 1; /* each wait now overwrites the thread's error... */

    /* ...yet a failing statement reports its own error, */
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, "SELECT SLEEP(0.1), no_such_column FROM DUAL", strlen("SELECT SLEEP(0.1), no_such_column FROM DUAL"), NULL);
    assert_int_equal(st, MO_E_NOT_FOUND);
    assert_null(r);
    /* MatrixOne: 20301 "invalid input: column ... does not exist" (a message rule) */
    assert_int_equal(mo_error_server_code(mo_error_last()), mo_test_server_is_matrixone() ? 20301 : 1054);
    assert_string_equal(mo_error_operation(mo_error_last()), "client.execute");

    /* and an error set before a blocking call is the one left after it, not the wait's. */
    assert_int_equal(mo_config_set_host(NULL, "x"), MO_E_INVALID_ARGUMENT);
    const char *before = mo_error_operation(mo_error_last());
    assert_int_equal(mo_test_query_int(c, "SELECT SLEEP(0.05) + 2"), 2);
    assert_true(k.calls > 0);
    assert_non_null(mo_error_last());
    assert_string_equal(mo_error_operation(mo_error_last()), before);
    mo_client_close(c);
}

/* ------------------------------------------------------------------ cancelling */

typedef struct {
    int calls;
    int cancel_at; /* answer -1 on this call (1-based) */
} cancelling;

static int cancelling_wait(void *userdata, int fd, int events, unsigned timeout_ms) {
    cancelling *k = userdata;
    if (++k->calls == k->cancel_at) return -1;
    return poll_one(fd, events, timeout_ms);
}

static int processlist_has(mo_client *observer, int64_t id) {
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %llu",
             (unsigned long long)id);
    /* The server notices the closed socket when the running statement (SLEEP(1)) ends. */
    for (int i = 0; i < 250; i++) {
        if (mo_test_query_int(observer, sql) == 0) return 0;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 1;
}

static void test_cancel_poisons_and_the_server_rolls_back(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("MatrixOne v4.2 reports the table created just before BEGIN as "
                              "missing inside that transaction (1146), and the check reads "
                              "information_schema.PROCESSLIST by MariaDB's ids");
    (void)state;
    mo_client *observer = mo_test_connect();
    mo_test_exec_ok(observer, "DROP TABLE IF EXISTS wait_fn_cancel");
    mo_test_exec_ok(observer, "CREATE TABLE wait_fn_cancel (id INT PRIMARY KEY)");

    cancelling k = {0, 0};
    mo_client *c = connect_with(cancelling_wait, &k);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_result *r = NULL;
    int64_t id = 0;
    assert_mo_ok(mo_session_execute(&r, s, "SELECT CONNECTION_ID()", 22, NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    assert_mo_ok(mo_result_get_int64(r, 0, &id));
    mo_result_free(r);
    mo_test_session_exec_ok(s, "INSERT INTO wait_fn_cancel VALUES (1)");

    k.cancel_at = k.calls + 1; /* the next wait: the statement below is in flight */
    r = NULL;
    double t0 = now();
    mo_status st = mo_session_execute(&r, s, "SELECT SLEEP(1)", strlen("SELECT SLEEP(1)"), NULL);
    assert_true(now() - t0 < 0.5); /* at once, not when the statement ends */
    assert_int_equal(st, MO_E_INTERRUPTED);
    assert_null(r);
    assert_string_equal(mo_error_operation(mo_error_last()), "session.execute");
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    assert_int_equal(mo_session_commit(s), MO_E_MISUSE);
    mo_session_close(s);

    /* The server saw the connection end (once its statement ended) and rolled back. */
    assert_int_equal(processlist_has(observer, id), 0);
    assert_int_equal(mo_test_query_int(observer, "SELECT COUNT(*) FROM wait_fn_cancel"), 0);

    /* A cancelled client statement poisons the client; a new client works. */
    k.cancel_at = k.calls + 1;
    assert_int_equal(mo_client_execute(&r, c, "SELECT SLEEP(1)", strlen("SELECT SLEEP(1)"), NULL), MO_E_INTERRUPTED);
    assert_int_equal(mo_client_ping(c), MO_E_MISUSE);
    mo_client_close(c);

    /* Cancelling the connect itself. */
    cancelling at_once = {0, 1};
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_wait_function(cfg, cancelling_wait, &at_once));
    mo_client *never = NULL;
    assert_int_equal(mo_client_connect(&never, cfg), MO_E_INTERRUPTED);
    assert_null(never);
    mo_config_free(cfg);

    mo_test_exec_ok(observer, "DROP TABLE wait_fn_cancel");
    mo_client_close(observer);
}

/* ------------------------------------------------------------------ coroutines */

/* A minimal scheduler of ucontext coroutines: a coroutine's wait function records what it
 * waits for and swaps back to the scheduler, which polls every waiting socket at once and
 * resumes the coroutines whose events happened. */
enum { STACK_SIZE = 512 * 1024, MAPPING_SIZE = 16 * 1024 * 1024, MAX_CO = 4 };

typedef struct coroutine {
    ucontext_t ctx;
    void *mapping;
    void *stack;
    unsigned valgrind_stack;
    void (*body)(struct coroutine *);
    int done;
    int fd, events;     /* what it waits for */
    int happened;       /* what the scheduler saw */
    int waits;
    int waits_during_sleeps; /* waits while a sleeper's statement was in flight */
    int64_t slept_from_us, slept_until_us; /* a sleeper's sleep on the server's clock */
    mo_status status;
    int64_t value;
} coroutine;

static ucontext_t scheduler_ctx;
static coroutine *running;
static int sleeps_in_flight;

static int coroutine_wait(void *userdata, int fd, int events, unsigned timeout_ms) {
    (void)userdata;
    (void)timeout_ms; /* no timeouts configured in these tests */
    coroutine *self = running;
    self->fd = fd;
    self->events = events;
    self->waits++;
    if (sleeps_in_flight) self->waits_during_sleeps++;
    swapcontext(&self->ctx, &scheduler_ctx);
    return self->happened;
}

static void coroutine_entry(void) {
    running->body(running);
    running->done = 1;
    /* uc_link returns to the scheduler */
}

static void coroutine_start(coroutine *co, void (*body)(coroutine *)) {
    memset(co, 0, sizeof *co);
    co->body = body;
    /* The stack is the middle of a large mapping of its own, so no other stack (libmariadb
     * keeps one per connection for its non-blocking contexts) can lie within a few MiB of
     * it: valgrind tells a stack switch from a big frame by that distance (--max-stackframe,
     * 2 MB). Untouched pages of the mapping cost nothing. */
    co->mapping = mmap(NULL, MAPPING_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    assert_true(co->mapping != MAP_FAILED);
    co->stack = (char *)co->mapping + (MAPPING_SIZE - STACK_SIZE) / 2;
#ifdef HAVE_VALGRIND_H
    co->valgrind_stack = VALGRIND_STACK_REGISTER(co->stack, (char *)co->stack + STACK_SIZE);
#endif
    getcontext(&co->ctx);
    co->ctx.uc_stack.ss_sp = co->stack;
    co->ctx.uc_stack.ss_size = STACK_SIZE;
    co->ctx.uc_link = &scheduler_ctx;
    makecontext(&co->ctx, coroutine_entry, 0);
}

static void run_all(coroutine *cos, size_t n) {
    for (size_t i = 0; i < n; i++) { /* first steps, up to their first wait */
        running = &cos[i];
        swapcontext(&scheduler_ctx, &cos[i].ctx);
    }
    for (;;) {
        struct pollfd fds[MAX_CO];
        size_t which[MAX_CO], k = 0;
        for (size_t i = 0; i < n; i++) {
            if (cos[i].done) continue;
            fds[k].fd = cos[i].fd;
            fds[k].events = (short)(((cos[i].events & MO_WAIT_READ) ? POLLIN : 0) |
                                    ((cos[i].events & MO_WAIT_WRITE) ? POLLOUT : 0));
            fds[k].revents = 0;
            which[k++] = i;
        }
        if (k == 0) break;
        assert_true(poll(fds, k, 10000) > 0);
        for (size_t j = 0; j < k; j++) {
            int ev = 0;
            if (fds[j].revents & (POLLIN | POLLHUP | POLLERR)) ev |= MO_WAIT_READ;
            if (fds[j].revents & (POLLOUT | POLLHUP | POLLERR)) ev |= MO_WAIT_WRITE;
            if (!ev) continue;
            coroutine *co = &cos[which[j]];
            co->happened = ev;
            running = co;
            swapcontext(&scheduler_ctx, &co->ctx);
        }
    }
    for (size_t i = 0; i < n; i++) {
#ifdef HAVE_VALGRIND_H
        VALGRIND_STACK_DEREGISTER(cos[i].valgrind_stack);
#endif
        munmap(cos[i].mapping, MAPPING_SIZE);
    }
}

static mo_client *coroutine_client(void) { return connect_with(coroutine_wait, NULL); }

/* The sleep's start and end on the server's clock (SYSDATE is evaluated when read, left to
 * right), so the test can tell whether two sleeps overlapped without timing anything here. */
static void sleeper(coroutine *co) {
    static const char sql[] = "SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01', SYSDATE(6)), "
                              "SLEEP(0.4) + 40, "
                              "TIMESTAMPDIFF(MICROSECOND, '1970-01-01', SYSDATE(6))";
    mo_client *c = coroutine_client();
    mo_result *r = NULL;
    sleeps_in_flight++;
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    sleeps_in_flight--;
    assert_int_equal(mo_result_next(r), MO_ROW);
    assert_mo_ok(mo_result_get_int64(r, 0, &co->slept_from_us));
    assert_mo_ok(mo_result_get_int64(r, 1, &co->value));
    assert_mo_ok(mo_result_get_int64(r, 2, &co->slept_until_us));
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);
    mo_client_close(c);
}

/* A manager (mo_table_batch_insert: reads max_allowed_packet, then INSERTs) and a count,
 * each a blocking call, all while the sleeper sleeps. */
static void inserter(coroutine *co) {
    mo_client *c = coroutine_client();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    const char *columns[] = {"id", "name"};
    mo_params *values = NULL;
    assert_mo_ok(mo_params_new(&values));
    for (int i = 0; i < 500; i++) {
        char name[32];
        snprintf(name, sizeof name, "row '%d'", i);
        assert_mo_ok(mo_params_add_int64(values, i));
        assert_mo_ok(mo_params_add_text(values, name, strlen(name)));
    }
    uint64_t affected = 0;
    co->status = mo_table_batch_insert(&affected, ex, "wait_fn_rows", columns, 2, values, 500);
    co->value = (int64_t)affected;
    if (co->status >= 0) co->value += 1000 * mo_test_query_int(c, "SELECT COUNT(*) FROM wait_fn_rows");
    mo_params_free(values);
    mo_executor_free(ex);
    mo_client_close(c);
}

static void test_coroutines_interleave_blocking_calls(void **state) {
    (void)state;
    mo_client *setup = mo_test_connect();
    mo_test_exec_ok(setup, "DROP TABLE IF EXISTS wait_fn_rows");
    mo_test_exec_ok(setup, "CREATE TABLE wait_fn_rows (id INT PRIMARY KEY, name VARCHAR(32))");

    coroutine cos[3];
    coroutine_start(&cos[0], sleeper);
    coroutine_start(&cos[1], sleeper);
    coroutine_start(&cos[2], inserter);
    double t0 = now();
    run_all(cos, 3);
    fprintf(stderr, "# two SLEEP(0.4) + a batch insert in three coroutines on one thread: %.3f s "
                    "(serial >= 0.8 s)\n", now() - t0);

    assert_int_equal(cos[0].value, 40);
    assert_int_equal(cos[1].value, 40);
    assert_mo_ok(cos[2].status);
    assert_int_equal(cos[2].value, 500 + 1000 * 500);
    for (int i = 0; i < 3; i++) assert_true(cos[i].waits > 0);
    /* The two sleeps overlapped on the server: each began before the other ended. Proven by
     * the server's clock, not by timing the run, so a loaded machine cannot fail it. */
    assert_true(cos[0].slept_from_us < cos[1].slept_until_us);
    assert_true(cos[1].slept_from_us < cos[0].slept_until_us);
    /* The manager ran during the sleeps: its blocking calls gave the thread back while a
     * sleep was in flight. */
    assert_true(cos[2].waits_during_sleeps > 0);
    assert_int_equal(mo_test_query_int(setup, "SELECT COUNT(*) FROM wait_fn_rows WHERE name = 'row ''7'''"), 1);

    mo_test_exec_ok(setup, "DROP TABLE wait_fn_rows");
    mo_client_close(setup);
}

int main(void) {
    if (!mo_test_url()) {
        fprintf(stderr, "skipped: no test server (run through ctest)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocking_calls_wait_through_the_function),
        cmocka_unit_test(test_a_wait_function_can_leave_the_wait_to_poll),
        cmocka_unit_test(test_last_error_survives_the_wait),
        cmocka_unit_test(test_cancel_poisons_and_the_server_rolls_back),
        cmocka_unit_test(test_coroutines_interleave_blocking_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
