/* src/core/pool.c — mo_pool: a thread-safe pool of clients over one or more endpoints.
 *
 * The pool owns entries, one per connection that exists. An entry is idle (on the LIFO idle
 * list), checked (an acquire pings it), or handed out (its client handle registered and the
 * caller's). `open` counts every entry plus every connect in flight, and never exceeds
 * size + max_overflow. One mutex guards the lists, the counters and the endpoints; no I/O is
 * done under it.
 *
 * An acquire is an op (async.h) whose machine takes an idle entry, or connects a new one
 * (a nested client.connect op), or pings one first (a nested client.ping op), or waits in a
 * first-come-first-served queue. Whoever gives a connection back (or frees room for a new
 * one) hands it to the head waiter directly and wakes it. A blocking acquire (mo_pool_acquire)
 * lives on its caller's stack and sleeps on a semaphore right where it queues; an asynchronous
 * one owns an eventfd, made readable for the caller's loop. Statistics are atomic counters,
 * so the usual acquire takes the lock once and the usual give-back once.
 *
 * Giving back is mo_client_close on a pooled client (client.c calls mo_pool_return_op): the
 * handle is unregistered at once, the connection reset (COM_RESET_CONNECTION, a connection
 * step of its own) and then kept, handed to a waiter, or closed. */
#include <errno.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "connection.h"

#define MAX_ENDPOINTS 64
/* The acquire-time histogram: values below 16 us exactly, then 8 log-linear sub-buckets per
 * power of two up to 2^48 us. */
#define HIST_LINEAR 16
#define HIST_SUB 8
#define HIST_BUCKETS (HIST_LINEAR + HIST_SUB * 45)
#define STAT_COUNT 16

typedef struct endpoint {
    mo_config *cfg;          /* a registered copy of the pool's config with this host/port */
    char *host;
    unsigned port;
    int up;
    double retry_at;         /* while down: tried again from then on */
    unsigned open;           /* its connections that exist or are being made */
} endpoint;

struct mo_pool_entry {
    mo_pool *pool;           /* referenced by the entry */
    mo_client *client;       /* the pool's reference */
    size_t endpoint;
    double created;
    struct mo_pool_entry *next; /* the idle list */
};
typedef struct mo_pool_entry entry;

typedef struct waiter {
    struct waiter *next, *prev;
    int blocking;            /* woken through sem, else through fd */
    sem_t sem;               /* posted once something was handed to this waiter */
    atomic_int given;        /* stored (release) just before the post: what was written for
                              * the waiter is visible to it once it loads this (acquire) */
    int fd;                  /* eventfd: readable once something was handed to this waiter */
    entry *handed;           /* a connection given to it */
    int slot;                /* room for a new connection given to it (counted in open) */
    int closed;              /* the pool was freed */
} waiter;

struct mo_pool {
    mo_handle h;
    atomic_int refs;         /* the caller's handle + each entry + each acquire in flight */
    pthread_mutex_t lock;
    /* closed, reset and reset_refused are written under the lock and read without it where
     * a connection is given back (one lock less per query). */
    atomic_int closed;
    unsigned size, max_overflow, timeout_ms, recycle_ms, retry_ms;
    int pre_ping;
    atomic_int reset;        /* mo_pool_reset */
    mo_pool_balance balance;
    endpoint *endpoints;
    size_t endpoint_count;
    size_t rr;               /* the next round-robin position */
    entry *idle;
    unsigned idle_count, in_use, open;
    atomic_int reset_refused; /* the server answered COM_RESET_CONNECTION with an error */
    waiter *head, *tail;
    unsigned waiting;
    _Atomic uint64_t stats[STAT_COUNT]; /* counted without the lock (relaxed) */
    _Atomic uint64_t hist[HIST_BUCKETS];
};

static void pool_ref(mo_pool *p) { atomic_fetch_add(&p->refs, 1); }

static void pool_unref(mo_pool *p) {
    if (!p || atomic_fetch_sub(&p->refs, 1) != 1) return;
    for (size_t i = 0; i < p->endpoint_count; i++) {
        mo_config_free(p->endpoints[i].cfg);
        free(p->endpoints[i].host);
    }
    free(p->endpoints);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static uint64_t micros(double seconds) { return seconds <= 0 ? 0 : (uint64_t)(seconds * 1e6); }

/* ------------------------------------------------------------------ the histogram */

static size_t hist_index(uint64_t us) {
    if (us < HIST_LINEAR) return (size_t)us;
    int e = 63 - __builtin_clzll(us);            /* 2^e <= us < 2^(e+1), e >= 4 */
    size_t sub = (size_t)(us >> (e - 3)) & (HIST_SUB - 1);
    size_t i = HIST_LINEAR + (size_t)(e - 4) * HIST_SUB + sub;
    return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

/* The largest value of bucket i. */
static uint64_t hist_upper(size_t i) {
    if (i < HIST_LINEAR) return i;
    size_t e = (i - HIST_LINEAR) / HIST_SUB + 4, sub = (i - HIST_LINEAR) % HIST_SUB;
    uint64_t base = (uint64_t)1 << e, step = base >> 3;
    return base + (sub + 1) * step - 1;
}

/* A successful acquire that took `us` (no lock: the counters are atomic). */
static void record_acquire(mo_pool *p, uint64_t us) {
    p->stats[MO_POOL_STAT_ACQUIRES]++;
    p->stats[MO_POOL_STAT_WAIT_TOTAL_US] += us;
    uint64_t max = p->stats[MO_POOL_STAT_WAIT_MAX_US];
    while (us > max && !atomic_compare_exchange_weak(&p->stats[MO_POOL_STAT_WAIT_MAX_US], &max, us)) {
    }
    p->hist[hist_index(us)]++;
}

/* ------------------------------------------------------------------ wake-up descriptors
 * A waiter's eventfd. Under load most acquires wait, so each thread keeps one spare
 * descriptor (drained) instead of making and closing one per wait. */

static _Thread_local int spare_fd = -1;
static _Thread_local unsigned spare_generation; /* a child of fork() makes its own */

static void drain_eventfd(int fd) {
    uint64_t v;
    ssize_t n = read(fd, &v, sizeof v);
    (void)n; /* EAGAIN when nothing was written: nothing to drain */
}

static int wake_fd_take(void) {
    int fd = spare_fd;
    spare_fd = -1;
    if (fd >= 0 && spare_generation == mo_process_generation()) return fd;
    if (fd >= 0) close(fd); /* the parent's (the descriptor is shared with it) */
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

static void wake_fd_put(int fd) {
    if (fd < 0) return;
    if (spare_fd >= 0) {
        close(fd);
        return;
    }
    drain_eventfd(fd);
    spare_fd = fd;
    spare_generation = mo_process_generation();
}

/* ------------------------------------------------------------------ waiters (lock held) */

static void waiter_link(mo_pool *p, waiter *w) {
    w->next = NULL;
    w->prev = p->tail;
    if (p->tail) p->tail->next = w;
    else p->head = w;
    p->tail = w;
    p->waiting++;
}

static void waiter_unlink(mo_pool *p, waiter *w) {
    if (w->prev) w->prev->next = w->next;
    else p->head = w->next;
    if (w->next) w->next->prev = w->prev;
    else p->tail = w->prev;
    w->next = w->prev = NULL;
    p->waiting--;
}

/* Wake a waiter that was just unlinked and given something. Under the lock this is always
 * safe. After it, only for a blocking waiter: one that finds something given to it waits for
 * this post even when its own wait timed out, so its semaphore outlives the post. An
 * asynchronous waiter can be freed as soon as the lock is released, and its descriptor
 * reused, so it is always signalled under the lock. */
static void waiter_signal(waiter *w) {
    if (w->blocking) {
        atomic_store_explicit(&w->given, 1, memory_order_release);
        sem_post(&w->sem);
        return;
    }
    uint64_t one = 1;
    ssize_t n = write(w->fd, &one, sizeof one);
    (void)n; /* an eventfd write of 1 cannot fail short of overflow */
}

/* Room for one more connection was freed (open was decremented): give it to the head
 * waiter, if any (open counts it again for that waiter). */
static void grant_slot(mo_pool *p) {
    waiter *w = p->head;
    if (!w || p->closed) return;
    waiter_unlink(p, w);
    w->slot = 1;
    p->open++;
    waiter_signal(w);
}

/* ------------------------------------------------------------------ entries */

/* Forget an entry that exists no longer (lock held): its room goes to a waiter. */
static void entry_forget(mo_pool *p, entry *e) {
    p->open--;
    p->endpoints[e->endpoint].open--;
    grant_slot(p);
}

/* Close an entry's connection (no lock held). The client is released; a lost or poisoned
 * connection is just dropped, a good one says goodbye (bounded, mo_conn_unref). */
static void entry_close(entry *e) {
    mo_pool *p = e->pool;
    e->client->pool_entry = NULL;
    mo_client_unref(e->client);
    free(e);
    pool_unref(p);
}

static int entry_expired(const mo_pool *p, const entry *e, double now) {
    return p->recycle_ms && (now - e->created) * 1000.0 >= (double)p->recycle_ms;
}

/* Where a connection that is no longer in use goes (lock held): to the head waiter, whose
 * wake-up is left to the caller in *wake when it may be done after the lock (waiter_signal),
 * else to the idle list, else it is forgotten and returned for the caller to close. */
static entry *place_entry(mo_pool *p, entry *e, int reusable, waiter **wake) {
    if (reusable && !p->closed && p->head) {
        waiter *w = p->head;
        waiter_unlink(p, w);
        w->handed = e;
        p->in_use++;
        if (w->blocking) *wake = w;
        else waiter_signal(w);
        return NULL;
    }
    if (reusable && !p->closed && p->idle_count < p->size) {
        e->next = p->idle;
        p->idle = e;
        p->idle_count++;
        return NULL;
    }
    entry_forget(p, e); /* an overflow connection, or not reusable */
    return e;
}

/* ------------------------------------------------------------------ endpoints */

/* The endpoint for a new connection (lock held), not in `tried`; SIZE_MAX when every one was
 * tried. Endpoints that are up come first; a down one only when its retry time has come, or,
 * when none is up, the one down longest. */
static size_t choose_endpoint(mo_pool *p, uint64_t tried, double now) {
    size_t best = SIZE_MAX;
    size_t n = p->endpoint_count;
    for (size_t k = 0; k < n; k++) {
        size_t i = p->balance == MO_POOL_ROUND_ROBIN ? (p->rr + k) % n : k;
        endpoint *ep = &p->endpoints[i];
        if (tried & ((uint64_t)1 << i)) continue;
        if (!ep->up && now < ep->retry_at) continue;
        if (p->balance == MO_POOL_ROUND_ROBIN) {
            best = i;
            break;
        }
        if (best == SIZE_MAX || ep->open < p->endpoints[best].open) best = i;
    }
    if (best == SIZE_MAX) {
        /* Every endpoint left is down and waiting for its retry: try the one down longest. */
        for (size_t i = 0; i < n; i++) {
            if (tried & ((uint64_t)1 << i)) continue;
            if (best == SIZE_MAX || p->endpoints[i].retry_at < p->endpoints[best].retry_at)
                best = i;
        }
    }
    if (best != SIZE_MAX && p->balance == MO_POOL_ROUND_ROBIN) p->rr = (best + 1) % n;
    return best;
}

static void endpoint_failed(mo_pool *p, size_t i, double now) {
    p->endpoints[i].up = 0;
    p->endpoints[i].retry_at = now + (double)p->retry_ms / 1000.0;
}

/* ------------------------------------------------------------------ acquire */

enum { ACQ_TAKE = 0, ACQ_WAIT, ACQ_CONNECT, ACQ_PING };

typedef struct acquire {
    mo_pool *pool;           /* referenced */
    mo_op *inner;            /* the connect or ping in flight (heap), or NULL */
    waiter w;                /* w.blocking: mo_pool_acquire's, on its caller's stack */
    int queued;              /* w is in the pool's queue */
    int counted_wait;
    entry *entry;            /* being pinged */
    int slot;                /* holds room for a connection (counted in open) without an entry */
    size_t endpoint;         /* of the connect in flight */
    uint64_t tried;          /* endpoints this acquire tried */
    double started, deadline;
} acquire;

static mo_status acquire_connect(mo_op *op, acquire *a);
static mo_status acquire_connected(mo_op *op, acquire *a, mo_status st);
static mo_status acquire_pinged(mo_op *op, acquire *a, mo_status st);

/* The client goes to the caller. The op holds nothing of it any more. */
static mo_status hand_out(mo_op *op, acquire *a, entry *e, int registered) {
    mo_pool *p = a->pool;
    if (!registered) {
        mo_status st = mo_handle_register(&e->client->h, MO_HANDLE_CLIENT, op->operation);
        if (st < 0) {
            p->stats[MO_POOL_STAT_ACQUIRE_FAILURES]++;
            pthread_mutex_lock(&p->lock);
            p->in_use--;
            entry_forget(p, e);
            pthread_mutex_unlock(&p->lock);
            entry_close(e);
            return st;
        }
    }
    record_acquire(p, micros(mo_monotonic_seconds() - a->started));
    op->output = e->client;
    return MO_OK;
}

static void inner_free(acquire *a) {
    if (!a->inner) return;
    mo_op_release(a->inner);
    free(a->inner);
    a->inner = NULL;
}

/* Drop the op's reference to the connection of the nested step. */
static void drop_conn(mo_op *op) {
    mo_conn_unref(op->conn);
    op->conn = NULL;
}

/* No connection within the timeout (lock held, the acquire not queued): counted, unlocked. */
static mo_status acquire_timeout(mo_op *op, mo_pool *p) {
    p->stats[MO_POOL_STAT_TIMEOUTS]++;
    p->stats[MO_POOL_STAT_ACQUIRE_FAILURES]++;
    unsigned n = p->open, ms = p->timeout_ms;
    pthread_mutex_unlock(&p->lock);
    return mo_error_set(MO_E_TIMEOUT, op->operation,
                        "no connection of the pool was free within %u ms (all %u in use)", ms, n);
}

/* Something was given to the queued acquire: a connection, room for one, or the pool's end.
 * Whoever gave it unlinked the waiter, so it is the acquire's alone (no lock needed). */
static mo_status acquire_given(mo_op *op, acquire *a) {
    a->queued = 0;
    if (a->w.handed) {
        entry *e = a->w.handed;
        a->w.handed = NULL;
        return hand_out(op, a, e, 0); /* just reset and given back: no ping needed */
    }
    if (a->w.slot) {
        a->w.slot = 0;
        a->slot = 1;
        return acquire_connect(op, a);
    }
    a->pool->stats[MO_POOL_STAT_ACQUIRE_FAILURES]++;
    return mo_error_set(MO_E_MISUSE, op->operation, "the pool was freed while waiting");
}

static int waiter_was_given(const waiter *w) { return w->handed || w->slot || w->closed; }

/* A blocking acquire waits in its queue on its semaphore (no lock held). */
static mo_status acquire_wait_here(mo_op *op, acquire *a) {
    mo_pool *p = a->pool;
    struct timespec until;
    until.tv_sec = (time_t)a->deadline;
    until.tv_nsec = (long)((a->deadline - (double)until.tv_sec) * 1e9);
    int r;
    do {
        r = sem_clockwait(&a->w.sem, CLOCK_MONOTONIC, &until);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        pthread_mutex_lock(&p->lock);
        if (!waiter_was_given(&a->w)) {
            waiter_unlink(p, &a->w);
            a->queued = 0;
            return acquire_timeout(op, p);
        }
        pthread_mutex_unlock(&p->lock);
        /* Given as the wait timed out: its post is certain, but may not have happened yet. */
        while (sem_wait(&a->w.sem) < 0 && errno == EINTR) {
        }
    }
    /* The semaphore orders memory too (POSIX); this load says so where ThreadSanitizer, which
     * does not see through sem_clockwait, can see it. */
    (void)atomic_load_explicit(&a->w.given, memory_order_acquire);
    return acquire_given(op, a);
}

/* Take an idle entry, or room for a new one, or join the queue. */
static mo_status acquire_take(mo_op *op, acquire *a) {
    mo_pool *p = a->pool;
    double now = a->started;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        if (p->closed) {
            p->stats[MO_POOL_STAT_ACQUIRE_FAILURES]++;
            pthread_mutex_unlock(&p->lock);
            return mo_error_set(MO_E_MISUSE, op->operation, "the pool was freed");
        }
        entry *e = p->idle;
        if (e) {
            p->idle = e->next;
            p->idle_count--;
            e->next = NULL;
            if (entry_expired(p, e, now)) {
                p->stats[MO_POOL_STAT_RECYCLES]++;
                entry_forget(p, e);
                pthread_mutex_unlock(&p->lock);
                entry_close(e);
                now = mo_monotonic_seconds(); /* no clock read under the lock */
                continue;
            }
            if (p->pre_ping && e->client->conn) {
                pthread_mutex_unlock(&p->lock);
                a->entry = e;
                mo_status st = mo_handle_register(&e->client->h, MO_HANDLE_CLIENT, op->operation);
                if (st < 0) return st; /* the entry is closed by the release */
                a->inner = calloc(1, sizeof *a->inner);
                if (!a->inner) return mo_error_oom(op->operation);
                op->stage = ACQ_PING;
                st = mo_client_ping_op(a->inner, e->client);
                if (st == MO_AGAIN) {
                    op->conn = e->client->conn;
                    mo_conn_ref(op->conn);
                }
                return st == MO_AGAIN ? st : acquire_pinged(op, a, st);
            }
            p->in_use++;
            pthread_mutex_unlock(&p->lock);
            return hand_out(op, a, e, 0);
        }
        if (p->open < p->size + p->max_overflow) {
            p->open++;
            a->slot = 1;
            pthread_mutex_unlock(&p->lock);
            return acquire_connect(op, a);
        }
        if (now >= a->deadline || p->timeout_ms == 0) return acquire_timeout(op, p);
        if (!a->w.blocking && a->w.fd < 0) a->w.fd = wake_fd_take();
        if (!a->w.blocking && a->w.fd < 0) {
            pthread_mutex_unlock(&p->lock);
            return mo_error_set(MO_E_RESOURCE, op->operation, "eventfd failed: no descriptor to wait on");
        }
        waiter_link(p, &a->w);
        a->queued = 1;
        if (!a->counted_wait) p->stats[MO_POOL_STAT_WAITS]++;
        a->counted_wait = 1;
        pthread_mutex_unlock(&p->lock);
        if (a->w.blocking) return acquire_wait_here(op, a);
        op->stage = ACQ_WAIT;
        op->self_fd = a->w.fd;
        op->self_deadline = a->deadline;
        op->self_waiting = 1;
        return MO_AGAIN;
    }
}

/* An asynchronous acquire's descriptor became readable (or its time is up). */
static mo_status acquire_woken(mo_op *op, acquire *a) {
    mo_pool *p = a->pool;
    double now = mo_monotonic_seconds();
    pthread_mutex_lock(&p->lock);
    if (waiter_was_given(&a->w)) {
        pthread_mutex_unlock(&p->lock);
        drain_eventfd(a->w.fd);
        return acquire_given(op, a);
    }
    if (now >= a->deadline) {
        waiter_unlink(p, &a->w);
        a->queued = 0;
        return acquire_timeout(op, p);
    }
    pthread_mutex_unlock(&p->lock);
    drain_eventfd(a->w.fd);
    op->self_fd = a->w.fd;
    op->self_deadline = a->deadline;
    op->self_waiting = 1; /* not yet: wait on */
    return MO_AGAIN;
}

/* Connect a new entry in the room the acquire holds (a->slot). */
static mo_status acquire_connect(mo_op *op, acquire *a) {
    mo_pool *p = a->pool;
    double now = mo_monotonic_seconds();
    pthread_mutex_lock(&p->lock);
    size_t i = choose_endpoint(p, a->tried, now);
    if (i == SIZE_MAX) i = a->endpoint; /* cannot happen: the first call has tried nothing */
    a->endpoint = i;
    a->tried |= (uint64_t)1 << i;
    p->endpoints[i].open++;
    mo_config *cfg = p->endpoints[i].cfg;
    pthread_mutex_unlock(&p->lock);

    a->inner = calloc(1, sizeof *a->inner);
    if (!a->inner) return mo_error_oom(op->operation);
    op->stage = ACQ_CONNECT;
    mo_status st = mo_client_connect_op(a->inner, cfg);
    if (st == MO_AGAIN) {
        op->conn = a->inner->conn;
        mo_conn_ref(op->conn);
        return st;
    }
    return acquire_connected(op, a, st);
}

/* The nested connect finished with st. */
static mo_status acquire_connected(mo_op *op, acquire *a, mo_status st) {
    mo_pool *p = a->pool;
    mo_client *c = st >= 0 ? a->inner->output : NULL;
    if (c) a->inner->output = NULL;
    drop_conn(op);
    inner_free(a);
    double now = mo_monotonic_seconds();
    if (c) {
        entry *e = calloc(1, sizeof *e);
        if (!e) {
            mo_client_close(c);
            st = mo_error_oom(op->operation);
        } else {
            e->pool = p;
            pool_ref(p);
            e->client = c;
            e->endpoint = a->endpoint;
            e->created = now;
            c->pool_entry = e;
            p->stats[MO_POOL_STAT_CONNECTS]++;
            pthread_mutex_lock(&p->lock);
            p->endpoints[a->endpoint].up = 1;
            p->in_use++;
            a->slot = 0;
            pthread_mutex_unlock(&p->lock);
            return hand_out(op, a, e, 1); /* connect registered the handle */
        }
    }
    pthread_mutex_lock(&p->lock);
    p->stats[MO_POOL_STAT_CONNECT_FAILURES]++;
    p->endpoints[a->endpoint].open--;
    if (st == MO_E_CONNECT || st == MO_E_TIMEOUT) {
        endpoint_failed(p, a->endpoint, now);
        if (choose_endpoint(p, a->tried, now) != SIZE_MAX && !p->closed) {
            /* Another endpoint is left: try it with the same room. */
            pthread_mutex_unlock(&p->lock);
            return acquire_connect(op, a);
        }
    }
    a->slot = 0;
    p->open--;
    grant_slot(p);
    p->stats[MO_POOL_STAT_ACQUIRE_FAILURES]++;
    pthread_mutex_unlock(&p->lock);
    return st;
}

/* The nested pre-ping finished with st. */
static mo_status acquire_pinged(mo_op *op, acquire *a, mo_status st) {
    mo_pool *p = a->pool;
    entry *e = a->entry;
    drop_conn(op);
    inner_free(a);
    a->entry = NULL;
    if (st >= 0) {
        pthread_mutex_lock(&p->lock);
        p->in_use++;
        pthread_mutex_unlock(&p->lock);
        return hand_out(op, a, e, 1);
    }
    /* Dead: replace it, in the same room. */
    mo_handle_unregister(&e->client->h);
    p->stats[MO_POOL_STAT_PING_FAILURES]++;
    p->stats[MO_POOL_STAT_DISCARDS]++;
    pthread_mutex_lock(&p->lock);
    p->endpoints[e->endpoint].open--;
    a->slot = 1;
    pthread_mutex_unlock(&p->lock);
    entry_close(e);
    mo_error_clear();
    return acquire_connect(op, a);
}

static mo_status acquire_run(mo_op *op, mo_status st) {
    acquire *a = op->extra;
    switch (op->stage) {
    case ACQ_TAKE:
        return acquire_take(op, a);
    case ACQ_WAIT:
        return acquire_woken(op, a);
    case ACQ_CONNECT:
        st = mo_op_resume(a->inner, st);
        if (st == MO_AGAIN) return st;
        return acquire_connected(op, a, st);
    case ACQ_PING:
        st = mo_op_resume(a->inner, st);
        if (st == MO_AGAIN) return st;
        return acquire_pinged(op, a, st);
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

static void acquire_free(acquire *a) {
    if (a->w.blocking) {
        sem_destroy(&a->w.sem); /* the caller's stack */
        return;
    }
    wake_fd_put(a->w.fd);
    free(a);
}

/* Everything an acquire holds goes back: its place in the queue (and what was handed to it
 * meanwhile), a nested op, an entry being pinged, its room, an output not taken. */
static void release_acquire(mo_op *op) {
    acquire *a = op->extra;
    if (op->output) mo_client_close(op->output);
    op->output = NULL;
    if (!a) return;
    op->extra = NULL;
    mo_pool *p = a->pool;
    inner_free(a);
    if (!a->queued && !a->entry && !a->slot) {
        /* The usual end: nobody else can reach the acquire any more, nothing to give back. */
        acquire_free(a);
        pool_unref(p);
        return;
    }
    entry *handed = NULL;
    waiter *wake = NULL;
    pthread_mutex_lock(&p->lock);
    if (a->queued) {
        if (a->w.handed) handed = a->w.handed;
        else if (a->w.slot) a->slot = 1;
        else if (!a->w.closed) waiter_unlink(p, &a->w);
    }
    if (handed) {
        /* Given to us but never taken: as if given back now. */
        p->in_use--;
        handed = place_entry(p, handed, 1, &wake);
    }
    if (a->entry) {
        mo_handle_unregister(&a->entry->client->h);
        p->stats[MO_POOL_STAT_DISCARDS]++;
        entry_forget(p, a->entry);
    }
    if (a->slot) {
        p->open--;
        grant_slot(p);
    }
    pthread_mutex_unlock(&p->lock);
    if (wake) waiter_signal(wake);
    if (handed) entry_close(handed);
    if (a->entry) entry_close(a->entry);
    acquire_free(a);
    pool_unref(p);
}

static const mo_op_owner acquire_owner = {MO_OP_OUT_CLIENT, NULL, release_acquire};

/* `a` is mo_pool_acquire's (on its stack, waits blocking) or NULL (made here, waits through
 * its descriptor). */
static mo_status acquire_op(mo_op *op, mo_pool *p, acquire *a) {
    const char *opname = "pool.acquire";
    mo_op_init(op, opname, acquire_run, &acquire_owner);
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, opname);
    if (st < 0) return st;
    if (a) {
        memset(a, 0, sizeof *a);
        a->w.blocking = 1;
        sem_init(&a->w.sem, 0, 0);
    } else if (!(a = calloc(1, sizeof *a))) {
        return mo_error_oom(opname);
    }
    a->pool = p;
    pool_ref(p);
    a->w.fd = -1;
    a->started = mo_monotonic_seconds();
    a->deadline = a->started + (double)p->timeout_ms / 1000.0;
    op->extra = a;
    return mo_op_begin(op);
}

mo_status mo_pool_acquire(mo_client **out, mo_pool *p) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "pool.acquire", "out is NULL");
    *out = NULL;
    mo_op op;
    acquire a;
    void *client = NULL;
    mo_status st = mo_op_block(&op, acquire_op(&op, p, &a), &client);
    *out = client;
    return st;
}

mo_status mo_pool_acquire_start(mo_op **out, mo_pool *p) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "pool.acquire");
    if (st < 0) return st;
    return mo_op_publish(out, op, acquire_op(op, p, NULL));
}

/* ------------------------------------------------------------------ giving back */

enum { RETURN_BEGIN = 0, RETURN_RESET, RETURN_ROLLBACK };

/* The entry's connection is clean (reusable) or not: keep it, hand it to the head waiter,
 * or close it. */
static void give_back(entry *e, int reusable) {
    mo_pool *p = e->pool;
    double now = p->recycle_ms ? mo_monotonic_seconds() : 0; /* entry_expired reads it then */
    waiter *wake = NULL;
    p->stats[MO_POOL_STAT_RELEASES]++;
    pthread_mutex_lock(&p->lock);
    p->in_use--;
    if (reusable && !p->closed && entry_expired(p, e, now)) {
        p->stats[MO_POOL_STAT_RECYCLES]++;
        reusable = 0;
    } else if (!reusable) {
        p->stats[MO_POOL_STAT_DISCARDS]++;
    }
    e = place_entry(p, e, reusable, &wake);
    pthread_mutex_unlock(&p->lock);
    if (wake) waiter_signal(wake);
    if (e) entry_close(e);
}

static mo_status return_done(mo_op *op, mo_status st) {
    entry *e = op->extra;
    op->extra = NULL;
    /* Nothing of the connection may stay with the op once another thread can get it. */
    if (op->busy_conn) mo_conn_leave(op->busy_conn);
    op->busy_conn = NULL;
    drop_conn(op);
    give_back(e, st >= 0);
    mo_error_put_back(&op->kept);
    return MO_OK; /* giving back never fails */
}

static mo_status rollback_done(mo_op *op, mo_status st) {
    mo_result_free(op->ex.result);
    op->ex.result = NULL;
    return return_done(op, st);
}

/* A server without COM_RESET_CONNECTION (MatrixOne v4.2 answers 20101 "unsupported
 * command"): a transaction left open is rolled back with ROLLBACK, through the executor;
 * session state stays as the caller left it. */
static mo_status return_rollback(mo_op *op) {
    entry *e = op->extra;
    mo_conn *conn = e->client->conn;
    if (op->busy_conn) mo_conn_leave(op->busy_conn); /* the executor claims it itself */
    op->busy_conn = NULL;
    if (!mo_conn_in_transaction(conn)) return return_done(op, MO_OK);
    op->stage = RETURN_ROLLBACK;
    mo_status st = mo_exec_begin(&op->ex, e->client, NULL, conn, "ROLLBACK", 8, NULL, 0,
                                 MO_LOSS_READ_ONLY, "pool.rollback");
    if (st < 0) return return_done(op, st);
    st = mo_exec_run(&op->ex, MO_OK);
    if (st == MO_AGAIN) return st;
    return rollback_done(op, st);
}

static mo_status return_run(mo_op *op, mo_status st) {
    entry *e = op->extra;
    switch (op->stage) {
    case RETURN_RESET:
        if (st < 0 && !e->client->conn->poisoned && mo_error_server_code(mo_error_last()) != 0) {
            /* Refused by the server, the connection in sync: remember, and roll back. */
            atomic_store(&e->pool->reset_refused, 1);
            return return_rollback(op);
        }
        return return_done(op, st);
    case RETURN_ROLLBACK:
        st = mo_exec_run(&op->ex, st);
        if (st == MO_AGAIN) return st;
        return rollback_done(op, st);
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

/* A pending reset cancelled (the op freed early): the connection is given up already. */
static void release_return(mo_op *op) {
    if (op->extra) return_done(op, MO_E_INTERRUPTED);
}

static const mo_op_owner return_owner = {MO_OP_OUT_NONE, NULL, release_return};

mo_status mo_pool_return_op(mo_op *op, mo_client *c) {
    mo_op_init(op, "client.close", return_run, &return_owner);
    entry *e = c->pool_entry;
    mo_pool *p = e->pool;
    mo_handle_unregister(&c->h);
    mo_error_keep(&op->kept);
    op->extra = e;
    mo_conn *conn = c->conn;
    if (!conn) return mo_op_complete(op, return_done(op, MO_OK)); /* dry-run */
    int alone = atomic_load(&conn->refs) == 1;
    int reusable = alone && conn->connected && !conn->poisoned && conn->op == MO_CONN_OP_NONE &&
                   !atomic_load(&conn->busy) && !conn->stream && !conn->unsafe_charset[0] &&
                   !atomic_load(&conn->session_open);
    if (!alone || atomic_load(&conn->session_open)) {
        /* A session (or a streaming result, or an op) still runs on it: close the connection
         * under it, so the server rolls back what it had open now, and never reuse it. */
        mo_conn_give_up(conn);
        reusable = 0;
    }
    int closed = atomic_load(&p->closed), refused = atomic_load(&p->reset_refused);
    mo_pool_reset mode = (mo_pool_reset)atomic_load(&p->reset);
    int reset = reusable && !closed &&
                (mode == MO_POOL_RESET_ALWAYS ||
                 (mode == MO_POOL_RESET_TRANSACTION && mo_conn_in_transaction(conn)));
    if (!reset) return mo_op_complete(op, return_done(op, reusable ? MO_OK : MO_E_MISUSE));
    op->conn = conn;
    mo_conn_ref(conn);
    op->begun = 1;
    mo_status st;
    if (refused) {
        st = return_rollback(op);
    } else if ((st = mo_conn_enter(conn, op->operation)) >= 0) {
        op->busy_conn = conn;
        conn->operation = "pool.reset";
        op->stage = RETURN_RESET;
        st = mo_conn_reset_start(conn);
        if (st != MO_AGAIN) st = return_run(op, st);
    } else {
        st = return_done(op, st);
    }
    return st == MO_AGAIN ? st : mo_op_complete(op, st);
}

void mo_pool_return_inherited(mo_client *c) {
    /* A child of fork(): the pool and the connection are the parent's; only the handle goes. */
    mo_handle_unregister(&c->h);
}

int mo_client_is_pooled(const mo_client *c) {
    return mo_handle_is_live(c, MO_HANDLE_CLIENT) && c->pool_entry != NULL;
}

/* ------------------------------------------------------------------ the pool */

static mo_status add_endpoint(mo_pool *p, const mo_config *base, const char *host, unsigned port,
                              const char *opname) {
    if (p->endpoint_count == MAX_ENDPOINTS)
        return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "a pool has at most %d endpoints",
                            MAX_ENDPOINTS);
    mo_config *cfg = NULL;
    mo_status st = mo_config_copy(&cfg, base);
    if (st >= 0 && host) st = mo_config_set_host(cfg, host);
    if (st >= 0) st = mo_config_set_port(cfg, port);
    char *h = st >= 0 ? mo_strdup(cfg->host ? cfg->host : "") : NULL;
    if (st >= 0 && !h) st = mo_error_oom(opname);
    endpoint *grown = st >= 0 ? realloc(p->endpoints, (p->endpoint_count + 1) * sizeof *grown) : NULL;
    if (st >= 0 && !grown) st = mo_error_oom(opname);
    if (st < 0) {
        free(h);
        mo_config_free(cfg);
        return st;
    }
    p->endpoints = grown;
    endpoint *ep = &p->endpoints[p->endpoint_count++];
    memset(ep, 0, sizeof *ep);
    ep->cfg = cfg;
    ep->host = h;
    ep->port = cfg->port;
    ep->up = 1;
    return MO_OK;
}

mo_status mo_pool_new(mo_pool **out, const mo_config *cfg) {
    const char *opname = "pool.new";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");
    *out = NULL;
    mo_status st = mo_handle_check(cfg, MO_HANDLE_CONFIG, opname);
    if (st < 0) return st;
    mo_pool *p = calloc(1, sizeof *p);
    if (!p) return mo_error_oom(opname);
    atomic_init(&p->refs, 1);
    pthread_mutex_init(&p->lock, NULL);
    p->size = 5;
    p->max_overflow = 10;
    p->timeout_ms = 30000;
    p->retry_ms = 5000;
    p->reset = MO_POOL_RESET_ALWAYS;
    p->balance = MO_POOL_ROUND_ROBIN;
    st = add_endpoint(p, cfg, NULL, cfg->port, opname);
    if (st >= 0) st = mo_handle_register(&p->h, MO_HANDLE_POOL, opname);
    if (st < 0) {
        pool_unref(p);
        return st;
    }
    *out = p;
    return MO_OK;
}

void mo_pool_free(mo_pool *p) {
    if (!p || !mo_handle_is_live(p, MO_HANDLE_POOL)) return;
    mo_handle_unregister(&p->h);
    if (mo_handle_inherited(&p->h)) {
        /* A child of fork(): another thread of the parent may have held the lock when the
         * process was copied, and the connections are the parent's. Leave it all. */
        return;
    }
    pthread_mutex_lock(&p->lock);
    p->closed = 1;
    entry *idle = p->idle;
    p->idle = NULL;
    for (entry *e = idle; e; e = e->next) {
        p->open--;
        p->endpoints[e->endpoint].open--;
    }
    p->idle_count = 0;
    while (p->head) {
        waiter *w = p->head;
        waiter_unlink(p, w);
        w->closed = 1;
        waiter_signal(w);
    }
    pthread_mutex_unlock(&p->lock);
    while (idle) {
        entry *next = idle->next;
        entry_close(idle);
        idle = next;
    }
    pool_unref(p);
}

/* Settings: check the handle, then set under the lock. */
#define POOL_SETTER(name, field, type, check)                                        \
    mo_status mo_pool_set_##name(mo_pool *p, type value) {                           \
        mo_status st = mo_handle_check(p, MO_HANDLE_POOL, "pool.set_" #name);        \
        if (st < 0) return st;                                                       \
        if (!(check))                                                                \
            return mo_error_set(MO_E_INVALID_ARGUMENT, "pool.set_" #name,            \
                                "invalid value for " #name);                         \
        pthread_mutex_lock(&p->lock);                                                \
        p->field = value;                                                            \
        pthread_mutex_unlock(&p->lock);                                              \
        return MO_OK;                                                                \
    }

POOL_SETTER(size, size, unsigned, value >= 1)
POOL_SETTER(max_overflow, max_overflow, unsigned, value <= 1000000)
POOL_SETTER(timeout_ms, timeout_ms, unsigned, 1)
POOL_SETTER(recycle_ms, recycle_ms, unsigned, 1)
POOL_SETTER(pre_ping, pre_ping, int, value == 0 || value == 1)
POOL_SETTER(reset, reset, mo_pool_reset,
            value == MO_POOL_RESET_ALWAYS || value == MO_POOL_RESET_TRANSACTION ||
                value == MO_POOL_RESET_NONE)
POOL_SETTER(balance, balance, mo_pool_balance,
            value == MO_POOL_ROUND_ROBIN || value == MO_POOL_LEAST_BUSY)
POOL_SETTER(retry_ms, retry_ms, unsigned, 1)

mo_status mo_pool_add_endpoint(mo_pool *p, const char *host, unsigned port) {
    const char *opname = "pool.add_endpoint";
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, opname);
    if (st < 0) return st;
    if (!host || !*host) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "host is NULL or empty");
    if (port == 0 || port > 65535)
        return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "port %u is out of range", port);
    pthread_mutex_lock(&p->lock);
    st = add_endpoint(p, p->endpoints[0].cfg, host, port, opname);
    pthread_mutex_unlock(&p->lock);
    return st;
}

mo_status mo_pool_endpoint_count(mo_pool *p, size_t *out) {
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, "pool.endpoint_count");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "pool.endpoint_count", "out is NULL");
    pthread_mutex_lock(&p->lock);
    *out = p->endpoint_count;
    pthread_mutex_unlock(&p->lock);
    return MO_OK;
}

mo_status mo_pool_endpoint_get(mo_pool *p, size_t index, const char **host, unsigned *port,
                               int *up, unsigned *connections) {
    const char *opname = "pool.endpoint_get";
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, opname);
    if (st < 0) return st;
    pthread_mutex_lock(&p->lock);
    if (index >= p->endpoint_count) {
        size_t n = p->endpoint_count;
        pthread_mutex_unlock(&p->lock);
        return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "endpoint %zu out of range (%zu)", index, n);
    }
    endpoint *ep = &p->endpoints[index];
    if (host) *host = ep->host;
    if (port) *port = ep->port;
    if (up) *up = ep->up;
    if (connections) *connections = ep->open;
    pthread_mutex_unlock(&p->lock);
    return MO_OK;
}

mo_status mo_pool_check_endpoints(mo_pool *p, size_t *up_count) {
    const char *opname = "pool.check_endpoints";
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, opname);
    if (st < 0) return st;
    pthread_mutex_lock(&p->lock);
    size_t n = p->endpoint_count;
    pthread_mutex_unlock(&p->lock);
    size_t up = 0;
    for (size_t i = 0; i < n; i++) {
        pthread_mutex_lock(&p->lock);
        int was_up = p->endpoints[i].up;
        mo_config *cfg = p->endpoints[i].cfg;
        pthread_mutex_unlock(&p->lock);
        if (was_up) {
            up++;
            continue;
        }
        mo_client *c = NULL;
        mo_error_guard guard;
        mo_error_guard_begin(&guard);
        mo_status cst = mo_client_connect(&c, cfg);
        mo_client_close(c);
        mo_error_guard_end(&guard);
        pthread_mutex_lock(&p->lock);
        if (cst >= 0) {
            p->endpoints[i].up = 1;
            up++;
        } else {
            endpoint_failed(p, i, mo_monotonic_seconds());
        }
        pthread_mutex_unlock(&p->lock);
    }
    if (up_count) *up_count = up;
    return MO_OK;
}

mo_status mo_pool_stat(mo_pool *p, mo_pool_stat_kind kind, uint64_t *out) {
    const char *opname = "pool.stat";
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, opname);
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");
    if ((unsigned)kind >= STAT_COUNT)
        return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "unknown statistic %d", (int)kind);
    pthread_mutex_lock(&p->lock);
    switch (kind) {
    case MO_POOL_STAT_IN_USE: *out = p->in_use; break;
    case MO_POOL_STAT_IDLE: *out = p->idle_count; break;
    case MO_POOL_STAT_OPEN: *out = p->open; break;
    case MO_POOL_STAT_WAITING: *out = p->waiting; break;
    default: *out = p->stats[kind]; break;
    }
    pthread_mutex_unlock(&p->lock);
    return MO_OK;
}

mo_status mo_pool_wait_quantile_us(mo_pool *p, double q, uint64_t *out) {
    const char *opname = "pool.wait_quantile_us";
    mo_status st = mo_handle_check(p, MO_HANDLE_POOL, opname);
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");
    if (!(q > 0 && q <= 1)) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "q must be in (0, 1]");
    *out = 0;
    /* The counters move while they are read (no lock): one copy of the histogram, and its own
     * total, so the answer is one that was true. */
    uint64_t hist[HIST_BUCKETS], total = 0;
    for (size_t i = 0; i < HIST_BUCKETS; i++) total += hist[i] = p->hist[i];
    if (total) {
        double want = q * (double)total;
        uint64_t seen = 0;
        for (size_t i = 0; i < HIST_BUCKETS; i++) {
            seen += hist[i];
            if ((double)seen >= want && hist[i]) {
                uint64_t upper = hist_upper(i), max = p->stats[MO_POOL_STAT_WAIT_MAX_US];
                *out = upper < max ? upper : max;
                break;
            }
        }
    }
    return MO_OK;
}
