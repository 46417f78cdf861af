/* bench/c/pool.c — C: THREADS threads of point queries on a mo_pool of CONNS connections
 * against THREADS private clients (one per thread), run by bench/run.sh.
 *
 *   bench_pool URL ROWS QUERIES REPEAT
 *
 * Tasks (best of REPEAT runs, wall clock, each thread QUERIES queries
 * SELECT name FROM bench_rows WHERE id = ? with a random id in 1..ROWS):
 *   pool16  16 threads;  pool64  64 threads; the pool has 16 connections (no overflow).
 * Impls: mocore.pool (the pool, reset "transaction": a connection given back is reset only
 * when a transaction is open), mocore.pool_reset (reset "always": COM_RESET_CONNECTION on
 * every give-back, one more round trip per query), private (a connected mo_client per
 * thread, no pool). Every connection runs WARM_QUERIES queries before the clock starts. Prints "BENCH c <impl> <task> <seconds>" and, for the pools,
 * "POOL c <impl> <task> <queries/s> <p50 us> <p99 us> <max us>" (acquire time: from the call
 * to the hand-out, histogram of mo_pool_wait_quantile_us, over the best run). */
#define _POSIX_C_SOURCE 200809L
#include <mocore.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POINT_SQL "SELECT name FROM bench_rows WHERE id = ?"
#define POOL_CONNS 16
#define WARM_QUERIES 20 /* per connection, before the clock starts */

static const char *url;
static size_t rows, queries;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die_mo(mo_status st, const char *what) {
    fprintf(stderr, "bench_pool: %s: %s: %s\n", what, mo_error_category_name(st),
            mo_error_message(mo_error_last()));
    exit(1);
}

static void point_query(mo_client *c, unsigned *seed) {
    mo_params *p = NULL;
    mo_result *r = NULL;
    mo_status st = mo_params_new(&p);
    if (st >= 0) st = mo_params_add_int64(p, 1 + (int64_t)(rand_r(seed) % rows));
    if (st >= 0) st = mo_client_execute(&r, c, POINT_SQL, strlen(POINT_SQL), p);
    if (st >= 0 && (st = mo_result_next(r)) != MO_ROW) die_mo(st < 0 ? st : MO_E_INTERNAL, "no row");
    if (st < 0) die_mo(st, "point query");
    mo_result_free(r);
    mo_params_free(p);
}

struct worker {
    pthread_t t;
    mo_pool *pool;     /* or */
    mo_client *client; /* a private one */
    unsigned seed;
};

static void *run_worker(void *arg) {
    struct worker *w = arg;
    for (size_t i = 0; i < queries; i++) {
        if (w->pool) {
            mo_client *c = NULL;
            mo_status st = mo_pool_acquire(&c, w->pool);
            if (st < 0) die_mo(st, "acquire");
            point_query(c, &w->seed);
            mo_client_close(c); /* gives it back */
        } else {
            point_query(w->client, &w->seed);
        }
    }
    return NULL;
}

static mo_config *config(void) {
    mo_config *cfg = NULL;
    mo_status st = mo_config_from_url(&cfg, url);
    if (st < 0) die_mo(st, "config");
    return cfg;
}

static mo_pool *new_pool(mo_pool_reset reset) {
    mo_config *cfg = config();
    mo_pool *p = NULL;
    mo_status st = mo_pool_new(&p, cfg);
    mo_config_free(cfg);
    if (st >= 0) st = mo_pool_set_size(p, POOL_CONNS);
    if (st >= 0) st = mo_pool_set_max_overflow(p, 0);
    if (st >= 0) st = mo_pool_set_timeout_ms(p, 60000);
    if (st >= 0) st = mo_pool_set_reset(p, reset);
    if (st < 0) die_mo(st, "pool");
    /* Warm up as the private clients are: every connection made and used a few times. */
    mo_client *warm[POOL_CONNS];
    unsigned seed = 99;
    for (int i = 0; i < POOL_CONNS; i++) {
        if ((st = mo_pool_acquire(&warm[i], p)) < 0) die_mo(st, "warm up");
        for (int k = 0; k < WARM_QUERIES; k++) point_query(warm[i], &seed);
    }
    for (int i = 0; i < POOL_CONNS; i++) mo_client_close(warm[i]);
    return p;
}

/* One timed run: `threads` threads on `pool`, or on private clients when pool is NULL. */
static double run_once(int threads, mo_pool *pool) {
    struct worker *w = calloc((size_t)threads, sizeof *w);
    mo_config *cfg = pool ? NULL : config();
    for (int i = 0; i < threads; i++) {
        w[i].pool = pool;
        w[i].seed = 1234u + (unsigned)i;
        if (!pool) {
            mo_status st = mo_client_connect(&w[i].client, cfg);
            if (st < 0) die_mo(st, "connect");
            for (int k = 0; k < WARM_QUERIES; k++) point_query(w[i].client, &w[i].seed);
        }
    }
    mo_config_free(cfg);
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&w[i].t, NULL, run_worker, &w[i]);
    for (int i = 0; i < threads; i++) pthread_join(w[i].t, NULL);
    double t = now() - t0;
    for (int i = 0; i < threads; i++) mo_client_close(w[i].client);
    free(w);
    return t;
}

struct pool_result {
    double best;
    uint64_t p50, p99, max;
};

/* Best of `repeat` runs on a fresh pool each; the acquire times of the best run. */
static struct pool_result bench_pool(int threads, mo_pool_reset reset, int repeat) {
    struct pool_result out = {1e9, 0, 0, 0};
    for (int i = 0; i < repeat; i++) {
        mo_pool *p = new_pool(reset);
        uint64_t warm = 0;
        mo_pool_stat(p, MO_POOL_STAT_ACQUIRES, &warm);
        double t = run_once(threads, p);
        if (t < out.best) {
            out.best = t;
            mo_pool_wait_quantile_us(p, 0.5, &out.p50);
            mo_pool_wait_quantile_us(p, 0.99, &out.p99);
            mo_pool_stat(p, MO_POOL_STAT_WAIT_MAX_US, &out.max);
        }
        mo_pool_free(p);
    }
    return out;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: bench_pool URL ROWS QUERIES REPEAT\n");
        return 2;
    }
    url = argv[1];
    rows = (size_t)strtoull(argv[2], NULL, 10);
    queries = (size_t)strtoull(argv[3], NULL, 10);
    int repeat = atoi(argv[4]);
    static const int thread_counts[] = {16, 64};
    for (size_t k = 0; k < 2; k++) {
        int threads = thread_counts[k];
        char task[16];
        snprintf(task, sizeof task, "pool%d", threads);
        double total = (double)threads * (double)queries;
        struct pool_result pool = bench_pool(threads, MO_POOL_RESET_TRANSACTION, repeat);
        struct pool_result reset = bench_pool(threads, MO_POOL_RESET_ALWAYS, repeat);
        double priv = 1e9;
        for (int i = 0; i < repeat; i++) {
            double t = run_once(threads, NULL);
            if (t < priv) priv = t;
        }
        printf("BENCH c mocore.pool %s %.4f\n", task, pool.best);
        printf("BENCH c mocore.pool_reset %s %.4f\n", task, reset.best);
        printf("BENCH c private %s %.4f\n", task, priv);
        printf("POOL c mocore.pool %s %.0f %llu %llu %llu\n", task, total / pool.best,
               (unsigned long long)pool.p50, (unsigned long long)pool.p99,
               (unsigned long long)pool.max);
        printf("POOL c mocore.pool_reset %s %.0f %llu %llu %llu\n", task, total / reset.best,
               (unsigned long long)reset.p50, (unsigned long long)reset.p99,
               (unsigned long long)reset.max);
        printf("POOL c private %s %.0f - - -\n", task, total / priv);
        fflush(stdout);
    }
    return 0;
}
