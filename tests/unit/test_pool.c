/* mo_pool without a server: a pool of dry-run clients (nothing is sent) exercises the
 * bookkeeping — hand-out and give-back, the size and overflow bounds, the FIFO queue and its
 * hand-off across threads, timeouts, the eventfd of the non-blocking acquire, the acquire-time
 * quantiles, and argument checks. */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "test_support.h"

static mo_pool *dry_pool(unsigned size, unsigned overflow) {
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, "matrixone://u:p@127.0.0.1:1/db?dry_run=true"));
    mo_pool *p = NULL;
    assert_mo_ok(mo_pool_new(&p, cfg));
    mo_config_free(cfg);
    assert_mo_ok(mo_pool_set_size(p, size));
    assert_mo_ok(mo_pool_set_max_overflow(p, overflow));
    return p;
}

static uint64_t stat_of(mo_pool *p, mo_pool_stat_kind kind) {
    uint64_t v = 0;
    assert_mo_ok(mo_pool_stat(p, kind, &v));
    return v;
}

static void size_and_overflow_bound_the_connections(void **state) {
    (void)state;
    mo_pool *p = dry_pool(2, 1);
    assert_mo_ok(mo_pool_set_timeout_ms(p, 0));
    mo_client *c[3];
    for (int i = 0; i < 3; i++) assert_mo_ok(mo_pool_acquire(&c[i], p));
    mo_client *x = NULL;
    assert_int_equal(mo_pool_acquire(&x, p), MO_E_TIMEOUT);
    assert_null(x);
    assert_int_equal(stat_of(p, MO_POOL_STAT_OPEN), 3);
    assert_int_equal(stat_of(p, MO_POOL_STAT_IN_USE), 3);
    /* dry-run clients journal what they would send */
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, c[0], "SELECT 1", 8, NULL));
    mo_result_free(r);
    for (int i = 0; i < 3; i++) mo_client_close(c[i]);
    assert_int_equal(stat_of(p, MO_POOL_STAT_IDLE), 2); /* the third was overflow */
    assert_int_equal(stat_of(p, MO_POOL_STAT_OPEN), 2);
    assert_int_equal(stat_of(p, MO_POOL_STAT_CONNECTS), 3);
    assert_int_equal(stat_of(p, MO_POOL_STAT_TIMEOUTS), 1);
    /* LIFO: the last one given back (and kept) is handed out first */
    mo_client *again = NULL;
    assert_mo_ok(mo_pool_acquire(&again, p));
    assert_ptr_equal(again, c[1]);
    mo_client_close(again);
    mo_pool_free(p);
}

struct giver {
    mo_client *client;
    useconds_t delay;
    mo_pool *queue; /* when set: the delay starts once an acquire waits in its queue */
};

/* Gives the client back `delay` after an acquire is queued (when `queue` is set), so that
 * acquire waited at least `delay` however late its thread got to run. */
static void *give_back_later(void *arg) {
    struct giver *g = arg;
    while (g->queue && stat_of(g->queue, MO_POOL_STAT_WAITING) == 0) usleep(1000);
    usleep(g->delay);
    mo_client_close(g->client);
    return NULL;
}

static void waiters_are_served_first_come_first_served(void **state) {
    (void)state;
    mo_pool *p = dry_pool(1, 0);
    assert_mo_ok(mo_pool_set_timeout_ms(p, 5000));
    mo_client *held = NULL;
    assert_mo_ok(mo_pool_acquire(&held, p));
    mo_op *first = NULL, *second = NULL;
    assert_int_equal(mo_pool_acquire_start(&first, p), MO_AGAIN);
    assert_int_equal(mo_pool_acquire_start(&second, p), MO_AGAIN);
    assert_int_equal(stat_of(p, MO_POOL_STAT_WAITING), 2);
    struct giver g = {held, 20000, NULL};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, give_back_later, &g), 0);
    struct pollfd pfd[2] = {{mo_op_socket(first), POLLIN, 0}, {mo_op_socket(second), POLLIN, 0}};
    assert_int_equal(poll(pfd, 2, 2000), 1);
    assert_true(pfd[0].revents & POLLIN); /* the first in the queue got it */
    assert_false(pfd[1].revents & POLLIN);
    pthread_join(t, NULL);
    assert_mo_ok(mo_op_continue(first, MO_WAIT_READ));
    mo_client *c = NULL;
    assert_mo_ok(mo_op_finish_client(first, &c));
    assert_ptr_equal(c, held); /* handed over directly */
    mo_op_free(first);
    /* A spurious wake-up of the second waits on. */
    assert_int_equal(mo_op_continue(second, MO_WAIT_READ), MO_AGAIN);
    mo_client_close(c);
    assert_int_equal(poll(&pfd[1], 1, 2000), 1);
    assert_mo_ok(mo_op_continue(second, MO_WAIT_READ));
    assert_mo_ok(mo_op_finish_client(second, &c));
    mo_op_free(second);
    mo_client_close(c);
    assert_int_equal(stat_of(p, MO_POOL_STAT_WAITS), 2);
    assert_int_equal(stat_of(p, MO_POOL_STAT_CONNECTS), 1);
    mo_pool_free(p);
}

static void a_handed_connection_not_taken_goes_to_the_next(void **state) {
    (void)state;
    mo_pool *p = dry_pool(1, 0);
    assert_mo_ok(mo_pool_set_timeout_ms(p, 5000));
    mo_client *held = NULL;
    assert_mo_ok(mo_pool_acquire(&held, p));
    mo_op *first = NULL, *second = NULL;
    assert_int_equal(mo_pool_acquire_start(&first, p), MO_AGAIN);
    assert_int_equal(mo_pool_acquire_start(&second, p), MO_AGAIN);
    mo_client_close(held);   /* handed to `first` */
    mo_op_free(first);       /* ... which never takes it: it goes on to `second` */
    struct pollfd pfd = {mo_op_socket(second), POLLIN, 0};
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_mo_ok(mo_op_continue(second, MO_WAIT_READ));
    mo_client *c = NULL;
    assert_mo_ok(mo_op_finish_client(second, &c));
    mo_op_free(second);
    assert_ptr_equal(c, held);
    mo_client_close(c);
    assert_int_equal(stat_of(p, MO_POOL_STAT_IN_USE), 0);
    assert_int_equal(stat_of(p, MO_POOL_STAT_IDLE), 1);
    assert_int_equal(stat_of(p, MO_POOL_STAT_WAITING), 0);
    mo_pool_free(p);
}

static void a_waiting_acquire_times_out_through_its_op(void **state) {
    (void)state;
    mo_pool *p = dry_pool(1, 0);
    assert_mo_ok(mo_pool_set_timeout_ms(p, 100));
    mo_client *held = NULL;
    assert_mo_ok(mo_pool_acquire(&held, p));
    mo_op *op = NULL;
    assert_int_equal(mo_pool_acquire_start(&op, p), MO_AGAIN);
    unsigned ms = mo_op_timeout_ms(op);
    assert_true(ms > 0 && ms <= 100);
    usleep(120000);
    error_is(mo_op_continue(op, MO_WAIT_TIMEOUT), MO_E_TIMEOUT, "pool.acquire", NULL);
    assert_int_equal(mo_op_done(op), 1);
    mo_op_free(op);
    mo_client_close(held);
    assert_int_equal(stat_of(p, MO_POOL_STAT_TIMEOUTS), 1);
    assert_int_equal(stat_of(p, MO_POOL_STAT_WAITING), 0);
    mo_pool_free(p);
}

static void freeing_the_pool_fails_its_waiters(void **state) {
    (void)state;
    mo_pool *p = dry_pool(1, 0);
    assert_mo_ok(mo_pool_set_timeout_ms(p, 5000));
    mo_client *held = NULL;
    assert_mo_ok(mo_pool_acquire(&held, p));
    mo_op *op = NULL;
    assert_int_equal(mo_pool_acquire_start(&op, p), MO_AGAIN);
    mo_pool_free(p);
    struct pollfd pfd = {mo_op_socket(op), POLLIN, 0};
    assert_int_equal(poll(&pfd, 1, 1000), 1);
    error_is(mo_op_continue(op, MO_WAIT_READ), MO_E_MISUSE, "pool.acquire", NULL);
    mo_op_free(op);
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, held, "SELECT 1", 8, NULL)); /* still usable */
    mo_result_free(r);
    mo_client_close(held); /* closed: the pool is gone */
}

static void quantiles_follow_the_acquire_times(void **state) {
    (void)state;
    mo_pool *p = dry_pool(1, 0);
    assert_mo_ok(mo_pool_set_timeout_ms(p, 5000));
    uint64_t q = 99;
    assert_mo_ok(mo_pool_wait_quantile_us(p, 0.99, &q));
    assert_int_equal(q, 0);
    for (int i = 0; i < 99; i++) {
        mo_client *c = NULL;
        assert_mo_ok(mo_pool_acquire(&c, p));
        mo_client_close(c);
    }
    /* One acquire that waits ~50 ms. */
    mo_client *held = NULL;
    assert_mo_ok(mo_pool_acquire(&held, p));
    struct giver g = {held, 50000, p};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, give_back_later, &g), 0);
    mo_client *c = NULL;
    assert_mo_ok(mo_pool_acquire(&c, p));
    pthread_join(t, NULL);
    mo_client_close(c);
    uint64_t p50 = 0, p99 = 0, p100 = 0, max = stat_of(p, MO_POOL_STAT_WAIT_MAX_US);
    assert_mo_ok(mo_pool_wait_quantile_us(p, 0.5, &p50));
    assert_mo_ok(mo_pool_wait_quantile_us(p, 0.99, &p99));
    assert_mo_ok(mo_pool_wait_quantile_us(p, 1.0, &p100));
    assert_true(max >= 50000);          /* the giver waited for the queue, then 50 ms */
    assert_true(p50 < 1000);           /* the fast ones */
    assert_true(p100 <= max && p100 >= max - max / 8);
    assert_true(p99 <= p100);
    assert_int_equal(stat_of(p, MO_POOL_STAT_ACQUIRES), 101);
    assert_true(stat_of(p, MO_POOL_STAT_WAIT_TOTAL_US) >= max);
    mo_pool_free(p);
}

static void arguments_are_checked(void **state) {
    (void)state;
    mo_pool *p = NULL;
    error_is(mo_pool_new(NULL, NULL), MO_E_INVALID_ARGUMENT, "pool.new", NULL);
    error_is(mo_pool_new(&p, NULL), MO_E_INVALID_ARGUMENT, "pool.new", NULL);
    assert_null(p);
    mo_client *c = NULL;
    error_is(mo_pool_acquire(NULL, NULL), MO_E_INVALID_ARGUMENT, "pool.acquire", NULL);
    error_is(mo_pool_acquire(&c, NULL), MO_E_INVALID_ARGUMENT, "pool.acquire", NULL);
    mo_op *op = NULL;
    error_is(mo_pool_acquire_start(&op, NULL), MO_E_INVALID_ARGUMENT, "pool.acquire", NULL);
    assert_null(op);
    assert_int_equal(mo_client_is_pooled(NULL), 0);
    mo_pool_free(NULL);
    p = dry_pool(1, 0);
    size_t n = 0;
    assert_mo_ok(mo_pool_endpoint_count(p, &n));
    assert_int_equal(n, 1);
    const char *host = NULL;
    unsigned port = 0, conns = 9;
    int up = -1;
    assert_mo_ok(mo_pool_endpoint_get(p, 0, &host, &port, &up, &conns));
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 1);
    assert_int_equal(up, 1);
    assert_int_equal(conns, 0);
    error_is(mo_pool_endpoint_count(p, NULL), MO_E_INVALID_ARGUMENT, "pool.endpoint_count", NULL);
    error_is(mo_pool_stat(p, MO_POOL_STAT_IDLE, NULL), MO_E_INVALID_ARGUMENT, "pool.stat", NULL);
    error_is(mo_pool_wait_quantile_us(p, 1.5, &(uint64_t){0}), MO_E_INVALID_ARGUMENT,
             "pool.wait_quantile_us", NULL);
    assert_mo_ok(mo_pool_acquire(&c, p));
    assert_int_equal(mo_client_is_pooled(c), 1);
    mo_client_close(c);
    mo_pool_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(size_and_overflow_bound_the_connections),
        cmocka_unit_test(waiters_are_served_first_come_first_served),
        cmocka_unit_test(a_handed_connection_not_taken_goes_to_the_next),
        cmocka_unit_test(a_waiting_acquire_times_out_through_its_op),
        cmocka_unit_test(freeing_the_pool_fails_its_waiters),
        cmocka_unit_test(quantiles_follow_the_acquire_times),
        cmocka_unit_test(arguments_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
