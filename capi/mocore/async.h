/** @file
 * capi/mocore/async.h — non-blocking operations driven by the caller's event loop. */
#ifndef MOCORE_ASYNC_H
#define MOCORE_ASYNC_H
#include "mocore/common.h"
#include "mocore/config.h"
#include "mocore/params.h"

MO_BEGIN_DECLS

/** One operation in flight (a connect, a statement, a row of a streaming result, a commit...).
 *  Opaque. Every call that can wait on the network has a `_start` form here; the blocking call
 *  of the same name is exactly `_start`, then poll() + mo_op_continue() until it is done, then
 *  the finish: the same state machine, not a copy. See docs/async.md.
 *
 *  The protocol:
 *    st = mo_client_execute_start(&op, client, sql, len, NULL, 0);
 *    while (st == MO_AGAIN) {
 *        wait until mo_op_socket(op) is ready for mo_op_events(op) (MO_WAIT_READ/WRITE), or
 *        until mo_op_timeout_ms(op) passed when MO_WAIT_TIMEOUT is set;
 *        st = mo_op_continue(op, <the MO_WAIT_* bits that happened>);
 *    }
 *    if (st >= 0) st = mo_op_finish_result(op, &result);
 *    mo_op_free(op);
 *
 *  A `_start` call that fails returns the error and *out == NULL (nothing to free). Any other
 *  return leaves an op in *out that the caller releases with mo_op_free(): MO_AGAIN (it waits),
 *  or its final status when it finished without waiting. mo_op_continue() returns MO_AGAIN or
 *  the final status; the final status is also available later from mo_op_finish*().
 *  The socket can differ between steps: read mo_op_socket() and mo_op_events() again after
 *  every mo_op_continue().
 *
 *  While an op is pending, the handle it runs on (client, session or result) is busy: every
 *  other call on it, blocking or not, fails with MO_E_MISUSE. The op keeps its handles alive:
 *  closing a client while an op on it is pending is safe. An op is used from one thread at a
 *  time; different ops (on different connections) may be driven from one thread together. */
typedef struct mo_op mo_op;

/** The events an op waits for; mo_op_continue() takes the ones that happened. Stable numbers. */
enum {
    MO_WAIT_READ = 1,    /* the socket is readable (or hung up / in error) */
    MO_WAIT_WRITE = 2,   /* the socket is writable */
    MO_WAIT_EXCEPT = 4,  /* urgent data (poll's POLLPRI); rarely requested */
    MO_WAIT_TIMEOUT = 8  /* mo_op_timeout_ms() passed (the configured read/write/connect timeout) */
};

/* ---- starting operations (each mirrors the blocking call of the same name) ---- */

/** mo_client_connect. Finish with mo_op_finish_client. */
MO_API mo_status mo_client_connect_start(mo_op **out, const mo_config *cfg);
/** mo_client_execute_ex (sql and params are copied: they may be freed after the call).
 *  Finish with mo_op_finish_result. */
MO_API mo_status mo_client_execute_start(mo_op **out, mo_client *c, const char *sql,
                                         size_t sql_len, const mo_params *params, unsigned flags);
/** mo_client_ping. */
MO_API mo_status mo_client_ping_start(mo_op **out, mo_client *c);
/** mo_client_close: the handle is released at once (as by mo_client_close); the op says goodbye
 *  to the server without blocking when nothing else holds the connection. Never fails once
 *  started; an op freed early just drops the socket. */
MO_API mo_status mo_client_close_start(mo_op **out, mo_client *c);

/** mo_client_kill_query: connect, KILL QUERY, goodbye, on a connection of its own. Does not
 *  make `c` busy: start it while an op of `c` (or of a session of it) is pending, drive both,
 *  and that op ends with MO_E_INTERRUPTED on a connection still in sync — the cancel that
 *  does not poison (docs/async.md). */
MO_API mo_status mo_client_kill_query_start(mo_op **out, mo_client *c, uint64_t connection_id);

/** mo_session_open (connect, then BEGIN). Finish with mo_op_finish_session. */
MO_API mo_status mo_session_open_start(mo_op **out, mo_client *client);
/** mo_session_execute_ex (BEGIN first when idle, the same RETRYABLE handling).
 *  Finish with mo_op_finish_result. */
MO_API mo_status mo_session_execute_start(mo_op **out, mo_session *s, const char *sql,
                                          size_t sql_len, const mo_params *params,
                                          unsigned flags);
/** mo_session_commit / mo_session_rollback. */
MO_API mo_status mo_session_commit_start(mo_op **out, mo_session *s);
/** The non-blocking mo_session_rollback; finish with mo_op_finish. */
MO_API mo_status mo_session_rollback_start(mo_op **out, mo_session *s);
/** mo_session_close: roll back an open transaction, release the handle (at once, as by
 *  mo_session_close) and the connection. */
MO_API mo_status mo_session_close_start(mo_op **out, mo_session *s);

/** mo_result_next: the final status is MO_ROW (the row is readable with the mo_result_get_*
 *  getters until the next call on the result), MO_DONE, or an error. Buffered results never
 *  wait; streaming results read from the wire. */
MO_API mo_status mo_result_next_start(mo_op **out, mo_result *r);

/* ---- driving an operation ---- */

/** Continue after `events` (MO_WAIT_* bits) happened: MO_AGAIN or the final status.
 *  MO_E_MISUSE when the op already finished (its status is then in mo_op_finish). */
MO_API mo_status mo_op_continue(mo_op *op, int events);
/** The MO_WAIT_* bits the op waits for; 0 when it finished (or for NULL). */
MO_API int mo_op_events(const mo_op *op);
/** The socket to wait on; -1 when the op finished (or for NULL). */
MO_API int mo_op_socket(const mo_op *op);
/** Milliseconds until MO_WAIT_TIMEOUT is due; meaningful only when mo_op_events() has
 *  MO_WAIT_TIMEOUT (0 otherwise). */
MO_API unsigned mo_op_timeout_ms(const mo_op *op);
/** 1 when the op finished (its final status is known), else 0 (also for NULL). */
MO_API int mo_op_done(const mo_op *op);

/* ---- finishing ---- */

/** The final status of a finished op (MO_OK, MO_ROW, MO_DONE or the error, which also becomes
 *  this thread's mo_error_last() again). MO_E_MISUSE while it is still pending. */
MO_API mo_status mo_op_finish(mo_op *op);
/** The typed outputs; each can be taken once and is then owned by the caller. MO_E_MISUSE for
 *  an op of another kind, a pending op, or an output already taken; the op's error when it
 *  failed (then *out is NULL). */
MO_API mo_status mo_op_finish_client(mo_op *op, mo_client **out);
/** The session a finished mo_session_open_start made (as mo_op_finish_client). */
MO_API mo_status mo_op_finish_session(mo_op *op, mo_session **out);
/** The result a finished execute op made (as mo_op_finish_client). */
MO_API mo_status mo_op_finish_result(mo_op *op, mo_result **out);

/** Cancel a pending op. Its connection is in an unknown protocol state, so it is closed: the
 *  client or session it ran on is poisoned (every later call fails with MO_E_MISUSE; a session
 *  reports MO_SESSION_POISONED; close it and open a new one), a streaming result reports its
 *  error. The op finishes with MO_E_INTERRUPTED. The server rolls back an open transaction
 *  when it sees the connection close. A finished op is left as it is (MO_OK). */
MO_API mo_status mo_op_cancel(mo_op *op);

/** Release the op (cancelling it first if it is pending, see mo_op_cancel) and any output
 *  that was not taken. NULL is a no-op. */
MO_API void mo_op_free(mo_op *op);

/* ---- waiting inside blocking calls (coroutine runtimes) ---- */

/** How a blocking call waits, instead of poll(). Called on the thread of the blocking call
 *  whenever it must wait for the network: `fd` is the socket, `events` the MO_WAIT_* bits it
 *  waits for, `timeout_ms` the milliseconds left when `events` has MO_WAIT_TIMEOUT (else 0).
 *  Return the MO_WAIT_* bits that happened (MO_WAIT_TIMEOUT when the time ran out),
 *  MO_WAIT_USE_POLL to have the library wait with poll() this time (e.g. when called outside
 *  any coroutine), or a negative number to cancel the call: its connection is closed as by
 *  mo_op_cancel (the client or session is poisoned) and the call fails with
 *  MO_E_INTERRUPTED.
 *
 *  Why: a runtime with stackful coroutines (Python greenlets, Ruby fibers, ucontext) can
 *  switch to its event loop inside this function, so every blocking call — the managers,
 *  LOAD DATA, anything without a `_start` form — becomes a suspension point of the caller's
 *  loop, on the same state machines. The thread's last error (mo_error_last) is saved before
 *  the call and restored after it, so the loop may run other mocore calls meanwhile. The
 *  asynchronous `_start` operations never call it: they hand the wait to the caller. */
typedef int (*mo_wait_function)(void *userdata, int fd, int events, unsigned timeout_ms);
/** A wait function's answer: "wait with poll() as without a wait function". Stable number. */
enum { MO_WAIT_USE_POLL = 0x100 };

/** Install the wait function of every connection made from this config (clients made later
 *  from it, and their sessions); NULL restores poll(). `userdata` is borrowed: keep it alive
 *  as long as any client made from the config. */
MO_API mo_status mo_config_set_wait_function(mo_config *cfg, mo_wait_function fn,
                                             void *userdata);

MO_END_DECLS
#endif
