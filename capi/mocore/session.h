/** @file
 * capi/mocore/session.h — one connection in one transaction. */
#ifndef MOCORE_SESSION_H
#define MOCORE_SESSION_H
#include "mocore/common.h"

MO_BEGIN_DECLS

/** One connection in one transaction. Opaque. Use from one thread at a time.
 *  Results created from a session keep it alive; closing it rolls back an open transaction.
 *
 *  States: a session opens in a transaction. commit/rollback end it; the next execute (or
 *  mo_session_begin) starts a new one. A RETRYABLE error (deadlock, lock wait timeout,
 *  write conflict) rolls the whole transaction back and leaves the session "aborted": execute
 *  fails with MO_E_MISUSE until mo_session_rollback() or mo_session_begin() is called.
 *  A lost connection poisons the session for good: every later call fails with MO_E_MISUSE
 *  without any I/O. No reconnect ever happens. */

typedef enum {
    MO_SESSION_IDLE = 0,          /* no transaction open; execute begins one */
    MO_SESSION_IN_TRANSACTION = 1,
    MO_SESSION_ABORTED = 2,       /* rolled back by a RETRYABLE error; rollback or begin */
    MO_SESSION_POISONED = 3       /* connection lost or protocol state unknown; close it */
} mo_session_state;

/** Open a connection for `client` and BEGIN. *out is owned by the caller (mo_session_close). */
MO_API mo_status mo_session_open(mo_session **out, mo_client *client);

/** BEGIN explicitly (MO_E_MISUSE if a transaction is already open). */
MO_API mo_status mo_session_begin(mo_session *s);

/** Run one statement inside the transaction; see mo_client_execute. */
MO_API mo_status mo_session_execute(mo_result **out, mo_session *s, const char *sql,
                                    size_t sql_len, const mo_params *params);
/** mo_session_execute with MO_EXEC_* flags (see mo_client_execute_ex). */
MO_API mo_status mo_session_execute_ex(mo_result **out, mo_session *s, const char *sql,
                                       size_t sql_len, const mo_params *params, unsigned flags);

/** COMMIT. MO_E_MISUSE when no transaction is open. If COMMIT's answer is lost (the
 *  connection lost or killed, or the read timeout passed) the result is MO_E_OUTCOME_UNKNOWN:
 *  the transaction may or may not have committed. A lost answer to a statement inside the
 *  transaction is MO_E_CONNECTION_LOST (the server rolls the transaction back), or
 *  MO_E_OUTCOME_UNKNOWN for DDL and other statements that commit implicitly
 *  (docs/security.md, "Lost answers"). */
MO_API mo_status mo_session_commit(mo_session *s);
/** ROLLBACK. Also clears the ABORTED state. Rolling back with no open transaction is ok. */
MO_API mo_status mo_session_rollback(mo_session *s);

/** SAVEPOINT / ROLLBACK TO SAVEPOINT / RELEASE SAVEPOINT; the name is quoted as an
 *  identifier. MO_E_MISUSE outside a transaction. */
MO_API mo_status mo_session_savepoint(mo_session *s, const char *name);
/** See mo_session_savepoint. */
MO_API mo_status mo_session_rollback_to_savepoint(mo_session *s, const char *name);
/** See mo_session_savepoint. */
MO_API mo_status mo_session_release_savepoint(mo_session *s, const char *name);

/** The session's state (mo_session_state); MO_SESSION_POISONED for NULL. */
MO_API mo_session_state mo_session_get_state(const mo_session *s);
/** The client this session came from (borrowed). */
MO_API mo_client *mo_session_client(const mo_session *s);
/** The server's id of the session's connection (its own, not the client's): what
 *  mo_client_kill_query takes. 0 in dry-run. Readable while the session is busy. */
MO_API mo_status mo_session_connection_id(const mo_session *s, uint64_t *out);

/** Roll back if a transaction is open and release the connection. NULL is a no-op. */
MO_API void mo_session_close(mo_session *s);

/** The body of a scoped transaction. Return MO_OK to commit; any negative status rolls back
 *  and is returned by mo_client_transaction (a RETRYABLE status is re-run first). */
typedef mo_status (*mo_transaction_fn)(mo_session *s, void *userdata);

/** Run `fn` in a new session: commit if it returns MO_OK, roll back on any error. When the
 *  body or the commit fails with MO_E_RETRYABLE, the whole transaction is run again, up to
 *  `max_retries` more times, each time after mo_transaction_retry_pause_ms(attempt)
 *  milliseconds. OUTCOME_UNKNOWN is never retried. Returns the final status;
 *  mo_error_last() describes the last failure. */
MO_API mo_status mo_client_transaction(mo_client *c, unsigned max_retries, mo_transaction_fn fn,
                                       void *userdata);

/** How long to wait, in milliseconds, before the `attempt`-th re-run (1, 2, ...) of a
 *  transaction that failed with MO_E_RETRYABLE: a random number between 0 and
 *  min(5 * 2^attempt, 500), so up to 10, 20, 40 ... ms and never more than half a second.
 *  Two transactions that deadlocked and started again at once would cross again; a random
 *  pause ("full jitter") sets them apart. 0 for attempt 0. Thread-safe. mo_client_transaction
 *  waits this long; the bindings' transaction helpers ask it and sleep their own way. */
MO_API unsigned mo_transaction_retry_pause_ms(unsigned attempt);

MO_END_DECLS
#endif
