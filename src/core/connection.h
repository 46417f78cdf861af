/* src/core/connection.h — one server connection, driven non-blocking, and the handles built on
 * it (client, session, result) plus the one statement executor they all share.
 *
 * Every network step is a libmariadb start/continue pair. An operation is started with one of
 * the mo_conn_*_start functions, which returns MO_OK when it finished at once, MO_AGAIN when it
 * waits for the socket (mo_conn_wait_events() says for what), or an error. The caller continues
 * it with mo_conn_continue() and the events that happened. mo_conn_run() is the blocking loop
 * over the same steps; the public blocking API is built only from it, so an asynchronous API
 * reuses the very same code path. */
#ifndef MOCORE_CONNECTION_H
#define MOCORE_CONNECTION_H

#include <pthread.h>
#include <mysql.h>
#include "internal.h"

typedef enum {
    MO_CONN_OP_NONE = 0,
    MO_CONN_OP_CONNECT,
    MO_CONN_OP_QUERY,
    MO_CONN_OP_STORE_RESULT,
    MO_CONN_OP_NEXT_RESULT,
    MO_CONN_OP_FETCH_ROW,
    MO_CONN_OP_FREE_RESULT,
    MO_CONN_OP_PING,
    MO_CONN_OP_CLOSE
} mo_conn_op;

typedef struct mo_conn {
    MYSQL *mysql;
    atomic_int refs;
    atomic_int busy;           /* an operation is running (detects use from two threads) */
    int connected;
    int poisoned;              /* lost, timed out or out of sync: never used again */
    int require_tls;           /* the TLS mode demands an encrypted connection */
    /* the operation in flight */
    mo_conn_op op;
    int wait;                  /* MYSQL_WAIT_* bits libmariadb waits for; 0 when done */
    int timed_out;             /* the wait ran into the libmariadb timeout */
    int outcome_sensitive;     /* losing the connection now leaves a commit's outcome unknown */
    const char *operation;     /* for error messages, e.g. "session.commit" */
    MYSQL *ret_mysql;
    int ret_int;
    my_bool ret_bool;
    MYSQL_RES *ret_res;
    MYSQL_ROW ret_row;
    MYSQL_RES *op_res;         /* the result a fetch/free operates on */
    struct mo_result *stream;  /* the streaming result that owns the wire, if any */
    uint64_t max_allowed_packet; /* the server's, read once by batch inserts; 0 = not yet */
    uint64_t statement_seq;    /* bumped by every query: tells a result whether it is latest */
} mo_conn;

/* Create a connection object with cfg's options applied (no I/O). */
MO_INTERNAL mo_status mo_conn_new(mo_conn **out, const struct mo_config *cfg, const char *operation);
MO_INTERNAL void mo_conn_ref(mo_conn *c);
/* Drop a reference; the last one closes the socket (COM_QUIT, best effort) and frees. */
MO_INTERNAL void mo_conn_unref(mo_conn *c);

MO_INTERNAL mo_status mo_conn_connect_start(mo_conn *c, const struct mo_config *cfg,
                                            const char *login_user);
MO_INTERNAL mo_status mo_conn_query_start(mo_conn *c, const char *sql, size_t len);
MO_INTERNAL mo_status mo_conn_store_result_start(mo_conn *c);
MO_INTERNAL mo_status mo_conn_next_result_start(mo_conn *c);
MO_INTERNAL mo_status mo_conn_fetch_row_start(mo_conn *c, MYSQL_RES *res);
MO_INTERNAL mo_status mo_conn_free_result_start(mo_conn *c, MYSQL_RES *res);
MO_INTERNAL mo_status mo_conn_ping_start(mo_conn *c);
MO_INTERNAL mo_status mo_conn_continue(mo_conn *c, int events);
MO_INTERNAL int mo_conn_wait_events(const mo_conn *c);
MO_INTERNAL int mo_conn_socket(const mo_conn *c);
MO_INTERNAL unsigned mo_conn_timeout_ms(const mo_conn *c);
/* Drive `st` (the return of a _start call) to completion, waiting with poll(). */
MO_INTERNAL mo_status mo_conn_run(mo_conn *c, mo_status st);

/* Claim the connection for one public call: fails with MO_E_MISUSE when it is poisoned or
 * already in use by another thread. */
MO_INTERNAL mo_status mo_conn_enter(mo_conn *c, const char *operation);
MO_INTERNAL void mo_conn_leave(mo_conn *c);
/* Make the wire ready for a new statement: drain a streaming result still reading (it is
 * marked abandoned) and any further result sets. */
MO_INTERNAL mo_status mo_conn_settle(mo_conn *c, const char *operation);
/* Read and discard further result sets of a multi-result statement (CALL). */
MO_INTERNAL mo_status mo_conn_drain_more_results(mo_conn *c);
MO_INTERNAL int mo_conn_no_backslash_escapes(const mo_conn *c);

/* ------------------------------------------------------------------ handles */
struct mo_client {
    mo_handle h;
    atomic_int refs;           /* the caller's handle + sessions + results */
    struct mo_config *cfg;     /* private copy */
    char *login_user;
    mo_conn *conn;             /* NULL in dry-run */
    mo_server_kind kind;
    char *version_string;
    int version_known;
    unsigned version[3];
    uint64_t connection_id;
    pthread_mutex_t journal_lock;
    char **journal;
    size_t *journal_lengths;
    size_t journal_count;
    size_t journal_capacity;
};

struct mo_session {
    mo_handle h;
    atomic_int refs;           /* the caller's handle + results */
    mo_client *client;         /* referenced */
    mo_conn *conn;             /* NULL in dry-run */
    mo_session_state state;
};

struct mo_result {
    mo_handle h;
    mo_client *client;         /* referenced: keeps config and journal alive */
    mo_session *session;       /* referenced when created by a session */
    mo_conn *conn;             /* referenced while streaming */
    MYSQL_RES *res;            /* NULL for statements without rows and in dry-run */
    MYSQL_FIELD *fields;
    mo_type *types;
    size_t column_count;
    MYSQL_ROW row;
    size_t *lengths;           /* size_t copy of the current row's lengths */
    int streaming;
    int done;
    int abandoned;             /* its connection moved on to another statement */
    uint64_t affected_rows;
    uint64_t insert_id;
    unsigned warnings;
    uint64_t rows_read;
    mo_conn *more_conn;        /* referenced while further result sets wait (MORE_RESULTS) */
    uint64_t more_seq;         /* more_conn->statement_seq when they started waiting */
};

MO_INTERNAL void mo_client_ref(mo_client *c);
MO_INTERNAL void mo_client_unref(mo_client *c);
MO_INTERNAL void mo_session_ref(mo_session *s);
MO_INTERNAL void mo_session_unref(mo_session *s);
/* Run one statement inside the session's transaction exactly as mo_session_execute_ex does
 * (BEGIN when idle, poisoned/aborted state handling, full rollback on RETRYABLE), for a caller
 * that already holds the session handle (the managers' executor). */
MO_INTERNAL mo_status mo_session_run(mo_result **out, mo_session *s, const char *sql, size_t len,
                                     const mo_params *params, unsigned flags,
                                     const char *operation);
MO_INTERNAL mo_status mo_client_journal_append(mo_client *c, const char *sql, size_t len,
                                               const char *operation);

/* The one statement executor. Runs `sql` (with `params` substituted) on `conn` for `client`
 * (and `session`, when not NULL) and builds the result. In dry-run (conn == NULL) the final
 * SQL is journaled and an empty result returned. `flags` are MO_EXEC_*. The caller holds the
 * handle it was called through; this claims the connection itself. */
MO_INTERNAL mo_status mo_execute(mo_result **out, mo_client *client, mo_session *session,
                                 mo_conn *conn, const char *sql, size_t len,
                                 const mo_params *params, unsigned flags, int outcome_sensitive,
                                 const char *operation);

/* Build the result handle for the statement that just ran on conn (res may be NULL). */
MO_INTERNAL mo_status mo_result_create(mo_result **out, mo_client *client, mo_session *session,
                                       mo_conn *conn, MYSQL_RES *res, int streaming,
                                       const char *operation);
/* Remember that further result sets of r's statement wait on conn (MO_EXEC_MORE_RESULTS). */
MO_INTERNAL void mo_result_keep_more(mo_result *r, mo_conn *conn);
/* Drain and detach a streaming result (its connection needs the wire back). */
MO_INTERNAL mo_status mo_result_abandon(mo_result *r);

#endif
