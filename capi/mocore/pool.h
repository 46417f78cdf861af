/** @file
 * capi/mocore/pool.h — a thread-safe pool of client connections over one or more endpoints. */
#ifndef MOCORE_POOL_H
#define MOCORE_POOL_H
#include "mocore/common.h"
#include "mocore/config.h"
#include "mocore/async.h"

MO_BEGIN_DECLS

/** A pool of connected clients. Opaque. Every call except mo_pool_free may be made from any
 *  number of threads at once; mo_pool_free must not race with other calls on the same pool.
 *
 *  mo_pool_acquire hands out an ordinary mo_client (every client call, session and manager
 *  works on it); mo_client_close gives it back: the handle is dead from then on (MO_E_MISUSE)
 *  and its connection is reset (mo_pool_set_reset) and kept for the next acquire, or closed
 *  when it cannot be reused (lost, poisoned, too old, still in use by a session or a streaming
 *  result, the pool freed). A pooled client's session (mo_session_open) runs on the client's
 *  own pooled connection (one session at a time; the client's autocommit calls are
 *  MO_E_MISUSE while it is open); giving the client back with a session still open closes
 *  that connection, so the server rolls the transaction back and the session reports its
 *  connection lost.
 *
 *  Size: at most `size` + `max_overflow` connections exist at once; up to `size` are kept
 *  when idle, overflow connections are closed when given back. An acquire with none free
 *  waits (first come, first served) up to the pool timeout, then fails with MO_E_TIMEOUT.
 *
 *  Endpoints: the config's host and port, plus any added with mo_pool_add_endpoint (e.g. the
 *  CNs of a MatrixOne cluster), chosen round-robin or least-busy for each new connection.
 *  An endpoint that refuses a connection (MO_E_CONNECT, MO_E_TIMEOUT) is marked down and
 *  skipped for the retry interval, then tried again; an acquire tries each endpoint that is
 *  up once before it fails with the last connect error.
 *
 *  In a child of fork() every call on an inherited pool fails with MO_E_MISUSE and sends
 *  nothing; mo_pool_free there only releases memory. */
typedef struct mo_pool mo_pool;

/** How a new connection's endpoint is chosen. Stable numbers. */
typedef enum {
    MO_POOL_ROUND_ROBIN = 0, /* the endpoints that are up, in turn (default) */
    MO_POOL_LEAST_BUSY = 1   /* the endpoint that is up with the fewest open connections */
} mo_pool_balance;

/** What a connection given back goes through before it is kept. Stable numbers. */
typedef enum {
    MO_POOL_RESET_ALWAYS = 0,      /* COM_RESET_CONNECTION: rolls back an open transaction,
                                    * drops user variables, temporary tables, prepared
                                    * statements, named locks; session variables back to
                                    * their global values (default) */
    MO_POOL_RESET_TRANSACTION = 1, /* the same, but only when the server reports a
                                    * transaction open (no round trip otherwise; session
                                    * state survives) */
    MO_POOL_RESET_NONE = 2         /* nothing: the caller keeps connections clean */
} mo_pool_reset;

/** The counters of mo_pool_stat. Stable numbers. */
typedef enum {
    MO_POOL_STAT_IN_USE = 0,        /* clients handed out now */
    MO_POOL_STAT_IDLE = 1,          /* connections kept, free */
    MO_POOL_STAT_OPEN = 2,          /* connections that exist or are being made (in use +
                                     * idle + connecting/checking) */
    MO_POOL_STAT_WAITING = 3,       /* acquires waiting for a connection now */
    MO_POOL_STAT_ACQUIRES = 4,      /* successful acquires */
    MO_POOL_STAT_RELEASES = 5,      /* clients given back */
    MO_POOL_STAT_WAITS = 6,         /* acquires that had to wait for a connection */
    MO_POOL_STAT_TIMEOUTS = 7,      /* acquires that failed with MO_E_TIMEOUT */
    MO_POOL_STAT_CONNECTS = 8,      /* connections made */
    MO_POOL_STAT_CONNECT_FAILURES = 9, /* connection attempts that failed */
    MO_POOL_STAT_DISCARDS = 10,     /* connections closed instead of kept: lost, poisoned,
                                     * failed reset or pre-ping, still in use when given back */
    MO_POOL_STAT_RECYCLES = 11,     /* connections closed for their age */
    MO_POOL_STAT_PING_FAILURES = 12, /* pre-pings that found a connection dead */
    MO_POOL_STAT_ACQUIRE_FAILURES = 13, /* acquires that failed (timeouts included) */
    MO_POOL_STAT_WAIT_MAX_US = 14,  /* the longest acquire, microseconds */
    MO_POOL_STAT_WAIT_TOTAL_US = 15 /* the time of all acquires together, microseconds */
} mo_pool_stat_kind;

/** Make a pool whose connections use `cfg` (copied; its host and port are the first
 *  endpoint). No connection is made yet. *out is owned by the caller (mo_pool_free).
 *  Defaults: size 5, max_overflow 10, timeout 30 s, no recycling, no pre-ping, reset
 *  ALWAYS, round-robin, retry a dead endpoint after 5 s. */
MO_API mo_status mo_pool_new(mo_pool **out, const mo_config *cfg);

/** Close the idle connections, fail the waiting acquires with MO_E_MISUSE, and release the
 *  caller's handle. Clients still handed out stay usable; their connections are closed
 *  when they are given back. NULL is a no-op. */
MO_API void mo_pool_free(mo_pool *p);

/* ---- settings (any time; they apply to the acquires and returns that follow) ---- */

/** Connections kept when idle (the SDK's pool_size). At least 1. */
MO_API mo_status mo_pool_set_size(mo_pool *p, unsigned size);
/** Connections allowed beyond `size` under load, closed when given back (max_overflow). */
MO_API mo_status mo_pool_set_max_overflow(mo_pool *p, unsigned max_overflow);
/** How long an acquire waits for a free connection (pool_timeout); 0: fail at once. */
MO_API mo_status mo_pool_set_timeout_ms(mo_pool *p, unsigned ms);
/** Close and replace connections older than this (pool_recycle); 0: never (default). */
MO_API mo_status mo_pool_set_recycle_ms(mo_pool *p, unsigned ms);
/** Ping an idle connection before handing it out (pre_ping); a dead one is replaced. */
MO_API mo_status mo_pool_set_pre_ping(mo_pool *p, int enabled);
/** What a connection given back goes through (mo_pool_reset). */
MO_API mo_status mo_pool_set_reset(mo_pool *p, mo_pool_reset reset);
/** How a new connection's endpoint is chosen (mo_pool_balance). */
MO_API mo_status mo_pool_set_balance(mo_pool *p, mo_pool_balance balance);
/** How long an endpoint that failed to connect is skipped before it is tried again. */
MO_API mo_status mo_pool_set_retry_ms(mo_pool *p, unsigned ms);

/* ---- endpoints ---- */

/** Add an endpoint: the pool's config with this host and port. */
MO_API mo_status mo_pool_add_endpoint(mo_pool *p, const char *host, unsigned port);
/** The number of endpoints (at least 1). */
MO_API mo_status mo_pool_endpoint_count(mo_pool *p, size_t *out);
/** Endpoint `index`: its host (borrowed, valid as long as the pool), port, whether it is up
 *  (1) or skipped after a failed connect (0), and its open connections. Any out may be NULL. */
MO_API mo_status mo_pool_endpoint_get(mo_pool *p, size_t index, const char **host,
                                      unsigned *port, int *up, unsigned *connections);
/** Health check, blocking: connect to every endpoint that is down (and close again); mark
 *  those that answer up. *up_count (may be NULL) is the number of endpoints up afterwards. */
MO_API mo_status mo_pool_check_endpoints(mo_pool *p, size_t *up_count);

/* ---- acquiring ---- */

/** Hand out a client: an idle connection (pinged first with pre_ping, replaced when too old
 *  or dead), or a new one while the pool has room, or the first one given back within the
 *  pool timeout (else MO_E_TIMEOUT). A failed connect is its error (MO_E_CONNECT, MO_E_AUTH,
 *  ...). *out is owned by the caller until mo_client_close gives it back. */
MO_API mo_status mo_pool_acquire(mo_client **out, mo_pool *p);
/** The non-blocking mo_pool_acquire (async.h): waits on a connection step or, when the pool
 *  is exhausted, on a descriptor that becomes readable when a connection is handed to this
 *  acquire (MO_WAIT_READ) and on the pool timeout (MO_WAIT_TIMEOUT). Finish with
 *  mo_op_finish_client. mo_op_free/mo_op_cancel of a waiting acquire leaves the queue. */
MO_API mo_status mo_pool_acquire_start(mo_op **out, mo_pool *p);

/** 1 when `c` was handed out by a pool (mo_client_close gives it back), else 0. */
MO_API int mo_client_is_pooled(const mo_client *c);

/* ---- statistics ---- */

/** One counter (mo_pool_stat_kind) into *out. */
MO_API mo_status mo_pool_stat(mo_pool *p, mo_pool_stat_kind kind, uint64_t *out);
/** The acquire time (from the call to the hand-out, waits, connects and pings included) at
 *  quantile q (0 < q <= 1, e.g. 0.99) over every successful acquire so far, in microseconds,
 *  from a log-linear histogram (within 1/8 of the value); 0 before the first acquire. */
MO_API mo_status mo_pool_wait_quantile_us(mo_pool *p, double q, uint64_t *out);

MO_END_DECLS
#endif
