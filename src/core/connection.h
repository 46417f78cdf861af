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
    MO_CONN_OP_RESET,          /* COM_RESET_CONNECTION (a pool taking a connection back) */
    MO_CONN_OP_CLOSE,          /* COM_QUIT; libmariadb frees the MYSQL when it is done */
    /* the binary protocol (a server-side prepared statement, op_stmt) */
    MO_CONN_OP_STMT_PREPARE,
    MO_CONN_OP_STMT_EXECUTE,
    MO_CONN_OP_STMT_STORE_RESULT,
    MO_CONN_OP_STMT_FETCH,
    MO_CONN_OP_STMT_CLOSE
} mo_conn_op;

/* One server-side prepared statement in a connection's statement cache (statement.c). The
 * cache holds one reference; a result reading the statement's rows holds another, so the
 * statement is never re-executed, evicted or closed under it. */
typedef struct mo_stmt {
    MYSQL_STMT *handle;        /* NULL until prepared */
    char *sql;                 /* the key: the statement's text with its `?` */
    size_t len;
    atomic_int refs;
    unsigned uses;             /* executions seen (the prepare_threshold policy) */
    int prepared;              /* the server prepared it (handle is usable) */
    int unpreparable;          /* the server cannot prepare it: always the text protocol */
    signed char loss[2];       /* mo_sql_answer_loss of its text, autocommit / in a
                                * transaction (-1: not classified yet) */
    int marks_known;           /* marks and mark_count hold its `?` (mo_stmt_placeholders) */
    size_t *marks;
    size_t mark_count;         /* MO_SQL_AMBIGUOUS: they depend on the server's sql_mode */
    struct mo_stmt *prev, *next; /* the cache's list, most recently used first */
} mo_stmt;

union mo_bind_value {
    int64_t i;
    uint64_t u;
    double d;
};

/* The statement cache of a connection, by SQL text: at most `capacity` statements prepared
 * on the server and `capacity` others, least recently used evicted (a prepared one closed on
 * the server). */
typedef struct mo_stmt_cache {
    mo_stmt *head, *tail;
    size_t count;
    size_t prepared;           /* entries with a statement on the server */
    size_t capacity;           /* 0: no entry at all, no statement is ever prepared */
    int threshold;             /* prepare from this use on without MO_EXEC_PREPARED (0: never;
                                * MO_PREPARE_THRESHOLD_AUTO: by server kind) */
    uint64_t hits, misses, evictions, reprepares, fallbacks;
} mo_stmt_cache;

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
    MYSQL_STMT *op_stmt;       /* the statement a binary-protocol step operates on */
    mo_stmt_cache stmts;       /* server-side prepared statements by SQL text (statement.c) */
    struct mo_params *stmt_params; /* the values of the statement being executed in the binary
                                    * protocol, copied (private, reused) */
    MYSQL_BIND *binds;         /* and how they are bound (statement.c) */
    mo_buf text;               /* the memory of the last statement rendered as text, kept
                                * for the next one (execute.c) */
    union mo_bind_value *bind_values;
    size_t bind_cap;
    struct mo_result *stream;  /* the streaming result that owns the wire, if any */
    uint64_t max_allowed_packet; /* the server's, read once (by the executor before a
                                  * statement over 1024 bytes, or by batch inserts); 0 = not
                                  * yet */
    mo_wait_function wait_function; /* the config's; NULL = poll() */
    void *wait_function_userdata;
    int cancelled;             /* the wait function cancelled the operation in flight */
    char charset[32];          /* the client character set, as the server last reported it */
    char unsafe_charset[32];   /* set when the server reported an unsafe client character set:
                                * the connection is given up and says why */
    unsigned process;          /* mo_process_generation() of the process that connected */
    atomic_int session_open;   /* a session of a pooled client runs on this connection: the
                                * client's own calls are refused until it closes */
} mo_conn;

/* Create a connection object with cfg's options applied (no I/O). */
MO_INTERNAL mo_status mo_conn_new(mo_conn **out, const struct mo_config *cfg, const char *operation);
MO_INTERNAL void mo_conn_ref(mo_conn *c);
/* Drop a reference; the last one closes the socket (COM_QUIT, best effort) and frees. In a
 * child of fork() it sends nothing (no COM_QUIT, no TLS close_notify): the parent still
 * talks on that connection. */
MO_INTERNAL void mo_conn_unref(mo_conn *c);

MO_INTERNAL mo_status mo_conn_connect_start(mo_conn *c, const struct mo_config *cfg,
                                            const char *login_user);
MO_INTERNAL mo_status mo_conn_query_start(mo_conn *c, const char *sql, size_t len);
MO_INTERNAL mo_status mo_conn_store_result_start(mo_conn *c);
MO_INTERNAL mo_status mo_conn_next_result_start(mo_conn *c);
MO_INTERNAL mo_status mo_conn_fetch_row_start(mo_conn *c, MYSQL_RES *res);
MO_INTERNAL mo_status mo_conn_free_result_start(mo_conn *c, MYSQL_RES *res);
MO_INTERNAL mo_status mo_conn_ping_start(mo_conn *c);
/* COM_RESET_CONNECTION: the server rolls back, drops the session's state and answers OK. */
MO_INTERNAL mo_status mo_conn_reset_start(mo_conn *c);
/* 1 when the server's last answer said a transaction is open (SERVER_STATUS_IN_TRANS). */
MO_INTERNAL int mo_conn_in_transaction(const mo_conn *c);
/* Say goodbye (COM_QUIT) and free the MYSQL; afterwards c->mysql is NULL and only the struct
 * is left for mo_conn_unref. */
MO_INTERNAL mo_status mo_conn_close_start(mo_conn *c);
/* The binary protocol's steps on c->mysql's statement `stmt` (mysql_stmt_*_start). A failed
 * step reports the statement's error, classified like every other. */
MO_INTERNAL mo_status mo_conn_stmt_prepare_start(mo_conn *c, MYSQL_STMT *stmt, const char *sql,
                                                 size_t len);
MO_INTERNAL mo_status mo_conn_stmt_execute_start(mo_conn *c, MYSQL_STMT *stmt);
MO_INTERNAL mo_status mo_conn_stmt_store_result_start(mo_conn *c, MYSQL_STMT *stmt);
/* MO_ROW with the row in the statement's result callback, MO_DONE at the end, or an error. */
MO_INTERNAL mo_status mo_conn_stmt_fetch_start(mo_conn *c, MYSQL_STMT *stmt);
MO_INTERNAL mo_status mo_conn_stmt_close_start(mo_conn *c, MYSQL_STMT *stmt);
MO_INTERNAL mo_status mo_conn_continue(mo_conn *c, int events);
MO_INTERNAL int mo_conn_wait_events(const mo_conn *c);
MO_INTERNAL int mo_conn_socket(const mo_conn *c);
MO_INTERNAL unsigned mo_conn_timeout_ms(const mo_conn *c);
/* Wait for the events the operation in flight asks for, with the config's wait function or
 * poll(); returns the events that happened (MYSQL_WAIT_* bits, MYSQL_WAIT_TIMEOUT when its
 * timeout passed). When the wait function cancels, the connection is given up and the
 * events returned let libmariadb run into the closed socket: the step fails with
 * MO_E_INTERRUPTED. */
MO_INTERNAL int mo_conn_wait(mo_conn *c);
/* Drive `st` (the return of a _start call) to completion, waiting with poll(). */
MO_INTERNAL mo_status mo_conn_run(mo_conn *c, mo_status st);
/* Give the connection up mid-exchange: poisoned, and its socket shut down at once so the
 * server sees the connection end (and rolls back what it had open) even while handles still
 * reference it. The descriptor stays libmariadb's until the connection is freed, so its
 * number cannot be reused under it. */
MO_INTERNAL void mo_conn_give_up(mo_conn *c);

/* Claim the connection for one public call: fails with MO_E_MISUSE when it is poisoned or
 * already in use by another thread. */
MO_INTERNAL mo_status mo_conn_enter(mo_conn *c, const char *operation);
MO_INTERNAL void mo_conn_leave(mo_conn *c);
/* The introducer of hex-form text literals (see mo_sql_append_string_literal): the client
 * character set, utf8mb4 unless the server's session tracking reported another safe one
 * (utf8mb4 for NULL, the dry-run); MO_SQL_NO_INTRODUCER for MatrixOne, which has none. */
MO_INTERNAL const char *mo_conn_charset(const mo_conn *c, mo_server_kind kind);

/* ------------------------------------------------------------------ statement.c */
MO_INTERNAL void mo_stmt_cache_init(mo_stmt_cache *cache, const struct mo_config *cfg);
/* The cache entry of `sql`, found or made (most recently used from now on), or NULL when
 * the cache is off, the flags ask for several result sets, the statement is of a kind the
 * cache does not keep (or a new text over 64 KB without MO_EXEC_PREPARED), or memory is
 * short. Borrowed: valid until the next lookup on the
 * connection. Counts nothing; no I/O except closing an evicted statement. */
MO_INTERNAL mo_stmt *mo_stmt_lookup(mo_conn *c, const char *sql, size_t len, unsigned flags);
/* The entry `s` (may be NULL) referenced for the caller (mo_stmt_unref) when the binary
 * protocol runs it, or NULL for the text protocol: the policy (MO_EXEC_PREPARED in flags,
 * the prepare_threshold by server kind) and the entry's state. Counts the use. */
MO_INTERNAL mo_stmt *mo_stmt_choose(mo_conn *c, mo_server_kind kind, mo_stmt *s,
                                    unsigned flags);
/* The offsets of the entry's `?` (found once), *count of them (MO_SQL_AMBIGUOUS possible);
 * NULL when memory is short. */
MO_INTERNAL const size_t *mo_stmt_placeholders(mo_stmt *s, size_t *count);
/* mo_sql_answer_loss of the entry's text (classified once per in_transaction). */
MO_INTERNAL int mo_stmt_answer_loss(mo_stmt *s, int in_transaction);
MO_INTERNAL void mo_stmt_unref(mo_stmt *s);
/* 1 when mo_stmt_lookup gives (or makes) an entry for `sql`: the executor then decides the
 * protocol and renders it itself (changes nothing). */
MO_INTERNAL int mo_stmt_cacheable(const mo_conn *c, const char *sql, size_t len,
                                  unsigned flags);
/* Give up every cached statement and the binding buffers (the connection is closed: no
 * I/O). */
MO_INTERNAL void mo_stmt_cache_clear(mo_conn *c);
/* Drop every cached statement: the server no longer has them (COM_RESET_CONNECTION). */
MO_INTERNAL void mo_stmt_cache_forget(mo_conn *c);
/* The statement's MYSQL_STMT, made when it has none (no I/O). */
MO_INTERNAL mo_status mo_stmt_open(mo_conn *c, mo_stmt *s, const char *operation);
/* The server refused to prepare it with `code`: remember when it never can. */
MO_INTERNAL void mo_stmt_refused(mo_stmt *s, int code, const char *message);
/* Bind `params` (a copy: they must live until the execution ends) to the prepared statement;
 * a count that differs from the server's placeholders is MO_E_INVALID_ARGUMENT. */
MO_INTERNAL mo_status mo_stmt_bind(mo_conn *c, mo_stmt *s, const struct mo_params *params,
                                   const char *operation);
/* binary_row.c: libmariadb's result callback (STMT_ATTR_CB_RESULT); its user data is the
 * mo_result being read. */
MO_INTERNAL void mo_binary_row_column(void *result, unsigned int column, unsigned char **row);

/* ------------------------------------------------------------------ handles */
struct mo_client {
    mo_handle h;
    atomic_int refs;           /* the caller's handle + sessions + results */
    /* The memory of the last result freed (result.c), for the next statement's result: a
     * statement allocates nothing for its result handle. */
    _Atomic(struct mo_result *) spare_result;
    struct mo_config *cfg;     /* private copy */
    char *login_user;
    mo_conn *conn;             /* NULL in dry-run */
    mo_server_kind kind;
    char *version_string;
    int version_known;
    unsigned version[3];
    uint64_t connection_id;
    struct mo_pool_entry *pool_entry; /* set while the client belongs to a pool (pool.c):
                                       * mo_client_close gives it back */
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
    uint64_t connection_id;    /* the server's id of conn (KILL QUERY); 0 in dry-run */
    int borrowed;              /* conn is its pooled client's connection (not its own) */
    int flag_held;             /* holds conn->session_open (borrowed, until closed) */
};

struct mo_result {
    mo_handle h;
    atomic_int refs;           /* the caller's handle + an op draining or reading it */
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
    struct mo_result *next_set; /* the statement's next result set (MO_EXEC_MORE_RESULTS),
                                 * owned here until mo_result_next_set hands it out */
    /* The binary protocol (binary_row.c): row is `cells` while a row is current. */
    mo_stmt *stmt;             /* referenced: its MYSQL_STMT holds the rows; NULL: text */
    int stmt_pending;          /* streaming: rows are still on the wire */
    const unsigned char **cells; /* the current row: where each value lies (NULL: SQL NULL) */
    signed char *widths;       /* each column's wire width (mo_binary_wire_width) */
    char *text;                /* MO_CELL_TEXT bytes per column: text forms made on demand */
    size_t *text_len;
    uint64_t *text_row;        /* the row (rows_read) each text form was made for */
    const char **row_values;   /* mo_result_row's view of a binary row */
    int binary_block;          /* allocated with its per-column arrays in one block */
    size_t block_size;         /* that block's size, or of a bare result without rows (text):
                                * freed, it becomes its client's spare_result */
    MYSQL_ROWS *cursor;        /* buffered binary rows: the next one (libmariadb's stored list) */
    int *kinds;                /* mo_result_row_typed's mo_cell_kind per column (binary: in the
                                * block; text: made on first use) */
    const void **typed_values; /* and its values (text results: the row itself) */
};

/* ------------------------------------------------------------------ binary_row.c */
#define MO_CELL_TEXT 352       /* room for the text of any number or temporal value (a
                                * double in MatrixOne's plain form: up to 343 characters) */
/* The bytes of a value of this wire type: 0..8, or one of these for a length-prefixed one. */
#define MO_WIRE_BYTES (-1)     /* its bytes are its text form (strings, DECIMAL, BIT, JSON...) */
#define MO_WIRE_TEMPORAL (-2)  /* packed date/time fields */
MO_INTERNAL int mo_binary_wire_width(enum enum_field_types type);
/* Read a stored binary row (a packet of the binary protocol) into r->cells / r->lengths. */
MO_INTERNAL void mo_binary_decode_row(mo_result *r, const unsigned char *row);
/* 1 when the column's wire form is its text form (strings, DECIMAL, BIT, JSON...). */
MO_INTERNAL int mo_binary_has_text(const mo_result *r, size_t column);
/* 1 when the column is a fixed-width number on the wire (integers, YEAR, FLOAT, DOUBLE). */
MO_INTERNAL int mo_binary_is_number(const mo_result *r, size_t column);
/* The current row's non-NULL integer column as int64 (want_signed) or uint64; out of range
 * is MO_E_DATA. */
MO_INTERNAL mo_status mo_binary_integer(const mo_result *r, size_t column, int want_signed,
                                        int64_t *s_out, uint64_t *u_out, const char *operation);
/* The current row's non-NULL number column as the text protocol's value would read. */
MO_INTERNAL double mo_binary_double(const mo_result *r, size_t column);
/* The current row's value in the text protocol's form (NULL for SQL NULL), borrowed until
 * the next row. */
MO_INTERNAL void mo_binary_text(mo_result *r, size_t column, const char **out, size_t *len);

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
/* The server's max_allowed_packet on the client's connection (mo_conn_max_packet), for the
 * bindings that split rows by it (the Python DB-API's executemany). Not in the C ABI. */
MO_INTERNAL mo_status mo_client_max_allowed_packet(mo_client *c, uint64_t *out);

/* Build the result handle for the statement that just ran on conn (res may be NULL). */
MO_INTERNAL mo_status mo_result_create(mo_result **out, mo_client *client, mo_session *session,
                                       mo_conn *conn, MYSQL_RES *res, int streaming,
                                       const char *operation);
/* Report the text columns named `name` (ASCII case-insensitive) as MO_TYPE_VECTOR. For
 * results whose vector column the library knows (vector_ops searches): MatrixOne sends a
 * vecf32/vecf64 column as MYSQL_TYPE_VARCHAR (15), the same number it uses for BINARY, ENUM,
 * and the columns of SHOW statements, so the wire alone cannot tell. */
MO_INTERNAL void mo_result_mark_vector_column(mo_result *r, const char *name);
/* The result of a prepared statement that just ran on conn: takes over the caller's
 * reference on `stmt`. Buffered rows were stored; streaming rows are read by
 * mo_result_next. */
MO_INTERNAL mo_status mo_result_create_binary(mo_result **out, mo_client *client,
                                              mo_session *session, mo_conn *conn, mo_stmt *stmt,
                                              int streaming, const char *operation);
MO_INTERNAL void mo_result_ref(mo_result *r);
MO_INTERNAL void mo_result_unref(mo_result *r);

/* ------------------------------------------------------------------ resumable machines
 * Every operation that can wait is a small state machine over the mo_conn start/continue
 * steps. A machine's run function is called with the status of the step it waits for (MO_OK
 * for its first call, stage 0) and returns MO_AGAIN when it started a step that waits on the
 * socket, or its final status. Machines nest: a parent stage forwards the status to its
 * child's run function until the child returns something other than MO_AGAIN. The blocking
 * API and the asynchronous API (mo_op, op.c) drive the very same machines. */

/* Read and discard further result sets of a multi-result statement (CALL). *stage starts
 * at 0. */
MO_INTERNAL mo_status mo_drain_run(mo_conn *c, int *stage, mo_status st);

/* Read the rest of a streaming result so its connection is free again (the result is then
 * done; marked abandoned when another statement needed the wire). Holds a reference on the
 * result while it runs. */
typedef struct mo_stream_end {
    int stage;
    int drain;
    int abandoned;
    mo_result *r;              /* referenced while running; NULL when idle */
} mo_stream_end;
MO_INTERNAL void mo_stream_end_init(mo_stream_end *m, mo_result *r, int abandoned);
MO_INTERNAL mo_status mo_stream_end_run(mo_stream_end *m, mo_status st);
/* The connection was poisoned under it: finish without I/O. */
MO_INTERNAL void mo_stream_end_abort(mo_stream_end *m);

/* The one statement executor. Runs `sql` (with `params` substituted) on `conn` for `client`
 * (and `session`, when not NULL) and builds the result. In dry-run (conn == NULL) the final
 * SQL is journaled and an empty result returned. `flags` are MO_EXEC_*. The caller holds the
 * handle it was called through; the executor claims the connection from mo_exec_begin until
 * it finishes. */
typedef struct mo_exec {
    int stage;                 /* 0: idle (not begun or finished) */
    int drain;
    mo_stream_end settle;      /* an earlier streaming result being drained first */
    mo_client *client;
    mo_session *session;
    mo_conn *conn;
    mo_buf text;               /* the final SQL */
    unsigned flags;
    int outcome_sensitive;
    int entered;               /* holds conn's busy flag */
    int packet_only;           /* mo_conn_max_packet: the packet stage is the whole job */
    const char *operation;
    double started;            /* when it began (only when logging) */
    int logging;               /* the client's log shows this statement */
    mo_result *result;         /* the output on success (owned by the caller afterwards) */
    mo_result *tail;           /* MO_EXEC_MORE_RESULTS: the last result set chained so far */
    /* The binary protocol (statement.c): the cached statement (referenced until a result
     * takes it), its values (a private copy), and what was sent. */
    struct mo_stmt *stmt;
    const struct mo_params *params;
    const char *template_sql;  /* the statement's text with its `?` (the cache's copy) */
    size_t template_len;
    size_t wire_len;           /* about the size of the COM_STMT_EXECUTE packet */
    int binary;                /* it ran in the binary protocol */
    int reprepared;            /* re-prepared once after 1615 */
    int stepped;               /* the helper just called started a connection step */
} mo_exec;
/* The MO_EXEC_* flags are known: one result mode, at most one log override; MORE_RESULTS
 * only with buffered results. */
static inline int mo_exec_flags_valid(unsigned flags) {
    return !(flags & ~(unsigned)(MO_EXEC_STREAMING | MO_EXEC_MORE_RESULTS | MO_EXEC_PREPARED |
                                 0xF0)) &&
           (flags & 0xF0) <= MO_EXEC_LOG_AUTO &&
           !((flags & MO_EXEC_STREAMING) && (flags & MO_EXEC_MORE_RESULTS));
}
/* Internal: the statement text is already rendered (never a template for the binary
 * protocol). */
#define MO_EXEC_TEXT_ONLY 0x1000u
/* Internal: the caller's SQL text and values outlive the execution (a blocking call): the
 * binary protocol binds the values where they are, nothing is copied. */
#define MO_EXEC_BORROWED 0x2000u
/* INVALID_ARGUMENT (error set) when the rendered statement would switch the client character
 * set to an unsafe one or stop the server reporting it (mo_sql_unsafe_charset_change). */
MO_INTERNAL mo_status mo_exec_refuse_unsafe_charset(const mo_buf *text, const char *operation);
/* outcome_sensitive of mo_exec_begin: classify the statement (mo_sql_answer_loss) as run in
 * autocommit or inside a transaction; a cached statement is classified once. */
#define MO_LOSS_CLASSIFY_AUTOCOMMIT (-1)
#define MO_LOSS_CLASSIFY_IN_TRANSACTION (-2)
/* Validate and render (no I/O). On failure nothing is held. */
MO_INTERNAL mo_status mo_exec_begin(mo_exec *ex, mo_client *client, mo_session *session,
                                    mo_conn *conn, const char *sql, size_t len,
                                    const mo_params *params, unsigned flags,
                                    int outcome_sensitive, const char *operation);
MO_INTERNAL mo_status mo_exec_run(mo_exec *ex, mo_status st);
/* The connection was poisoned under a running executor: release everything without I/O. */
MO_INTERNAL void mo_exec_abort(mo_exec *ex);
/* The server's max_allowed_packet from its text form (MatrixOne answers every system variable
 * as text): at least 1024; 0 when the text is not a number. */
MO_INTERNAL uint64_t mo_parse_max_packet(const char *text, size_t len);
/* The server's max_allowed_packet on conn (client's, for logging): the value the executor
 * learned, else read now, blocking, by the executor's packet stage (SELECT
 * @@max_allowed_packet, once per connection); MO_DRY_RUN_MAX_PACKET in dry-run (conn NULL).
 * The caller holds the handle it was called through. */
#define MO_DRY_RUN_MAX_PACKET (16u * 1024u * 1024u)
MO_INTERNAL mo_status mo_conn_max_packet(uint64_t *out, mo_client *client, mo_conn *conn,
                                         const char *operation);
/* Blocking: begin + run to completion. */
MO_INTERNAL mo_status mo_execute(mo_result **out, mo_client *client, mo_session *session,
                                 mo_conn *conn, const char *sql, size_t len,
                                 const mo_params *params, unsigned flags, int outcome_sensitive,
                                 const char *operation);

/* ------------------------------------------------------------------ operations (op.c) */
typedef mo_status (*mo_op_run_fn)(struct mo_op *op, mo_status st);

typedef enum {
    MO_OP_OUT_NONE = 0,
    MO_OP_OUT_CLIENT,
    MO_OP_OUT_SESSION,
    MO_OP_OUT_RESULT
} mo_op_output;

/* One operation: public (heap, registered) for the asynchronous API, or on the stack of a
 * blocking call. Every field a machine uses is released by mo_op_release. */
struct mo_op {
    mo_handle h;
    const char *operation;
    mo_op_run_fn run;
    int stage;
    int begun;                 /* the machine ran (a failed start never begins) */
    int done;
    mo_status status;          /* the final status once done */
    mo_conn *conn;             /* the connection whose step is in flight (referenced) */
    mo_client *client;         /* referenced when set */
    mo_session *session;       /* referenced when set */
    mo_result *result;         /* referenced when set */
    void *busy_handle;         /* whose busy flag the op holds until it finishes */
    mo_conn *busy_conn;        /* a connection whose busy flag the op holds directly */
    mo_exec ex;
    mo_stream_end se;
    mo_buf stmt;               /* a rendered statement waiting for BEGIN to finish (or the
                                * template of one the binary protocol may run) */
    struct mo_params *params;  /* a copy of that template's values (mo_params_copy_values) */
    const char *sql;           /* the template the statement stage runs: stmt and params, or */
    size_t sql_len;            /* the caller's own text and values (MO_EXEC_BORROWED) */
    const struct mo_params *values;
    unsigned flags;
    unsigned flags_extra;      /* MO_EXEC_TEXT_ONLY when stmt is rendered */
    mo_status pending;         /* a status to report once a cleanup step finished */
    const struct mo_op_owner *owner; /* the noun that started it (see mo_op_owner) */
    void *output;              /* not yet taken by a finish call */
    void *extra;               /* a noun's own state for its machine (pool.c's acquire);
                                * its owner's release frees it */
    /* A wait on something other than a connection step (a pool acquire waiting for a
     * connection to be handed to it): the op waits for self_fd to become readable, or for
     * self_deadline (monotonic seconds; 0: none). conn is NULL meanwhile. The machine is
     * then called with MO_OK and finds the events that happened in self_events. */
    int self_waiting;
    int self_fd;
    double self_deadline;
    int self_events;
    mo_error_kept kept;        /* the error a cleanup that spans steps must not replace */
    struct mo_error *error;    /* the final error of a failed op (heap, made only then) */
};

/* What the noun that starts an op (client.c, session.c, result.c, kill.c) lends it and how to
 * take it back. op.c drives every machine through these and knows no noun: it never closes
 * a client, poisons a session or rewinds a result itself. */
typedef struct mo_op_owner {
    mo_op_output output;        /* the kind of output mo_op_finish_* may take */
    void (*abandon)(mo_op *op); /* cancelled mid-step: let go of the noun's state without I/O
                                   (the connection is already given up); NULL: nothing to do */
    void (*release)(mo_op *op); /* free an output nobody took and drop the noun's references */
} mo_op_owner;

/* The owner of an op that only references its client (ping, close, kill_query). */
MO_INTERNAL extern const mo_op_owner mo_client_op_owner;

/* Prepare an op (no I/O). */
MO_INTERNAL void mo_op_init(mo_op *op, const char *operation, mo_op_run_fn run,
                            const mo_op_owner *owner);
/* The start of every asynchronous call (mo_*_start): *out cleared and a zeroed heap op in
 * *op for the call's mo_*_op to prepare, then mo_op_publish hands it out. */
MO_INTERNAL mo_status mo_op_new(mo_op **op, mo_op **out, const char *operation);
/* Run the machine from its first stage: MO_AGAIN or the final status (the op is then done). */
MO_INTERNAL mo_status mo_op_begin(mo_op *op);
/* Mark the op done with its final status (keeps a copy of the error); returns st. */
MO_INTERNAL mo_status mo_op_complete(mo_op *op, mo_status st);
/* Blocking: wait with poll() and continue until the op is done. */
MO_INTERNAL mo_status mo_op_wait(mo_op *op, mo_status st);
/* A nested op (a pool acquire drives a connect or a ping op): forward the status of the
 * nested op's connection step; MO_AGAIN or its final status (it is then done). */
MO_INTERNAL mo_status mo_op_resume(mo_op *op, mo_status st);
/* Monotonic seconds. */
MO_INTERNAL double mo_monotonic_seconds(void);
/* Cancel when still pending, release everything the op holds (outputs not taken too). */
MO_INTERNAL void mo_op_release(mo_op *op);
/* Hand a finished op out through the public API: a heap copy, registered. On failure the op
 * is released and the error returned. */
MO_INTERNAL mo_status mo_op_publish(mo_op **out, mo_op *op, mo_status st);
/* Blocking: wait for `st` (an op starter's return), take the output into *out (may be NULL
 * when there is none) and release the op. The error of a failure stays mo_error_last(). */
MO_INTERNAL mo_status mo_op_block(mo_op *op, mo_status st, void **out);

/* The op starters (no registration), used by the public _start functions and by the blocking
 * calls. They return MO_AGAIN, the final status, or an error with nothing held. */
MO_INTERNAL mo_status mo_client_connect_op(mo_op *op, const mo_config *cfg);
MO_INTERNAL mo_status mo_client_execute_op(mo_op *op, mo_client *c, const char *sql,
                                           size_t sql_len, const mo_params *params,
                                           unsigned flags);
MO_INTERNAL mo_status mo_client_ping_op(mo_op *op, mo_client *c);
MO_INTERNAL mo_status mo_client_kill_query_op(mo_op *op, mo_client *c, uint64_t connection_id);
MO_INTERNAL mo_status mo_client_close_op(mo_op *op, mo_client *c);
MO_INTERNAL mo_status mo_session_open_op(mo_op *op, mo_client *client);
MO_INTERNAL mo_status mo_session_execute_op(mo_op *op, mo_session *s, const char *sql,
                                            size_t sql_len, const mo_params *params,
                                            unsigned flags, int enter, const char *operation);
enum { MO_CONTROL_COMMIT = 1, MO_CONTROL_ROLLBACK, MO_CONTROL_BEGIN };
MO_INTERNAL mo_status mo_session_control_op(mo_op *op, mo_session *s, int kind);
MO_INTERNAL mo_status mo_session_close_op(mo_op *op, mo_session *s);
MO_INTERNAL mo_status mo_result_next_op(mo_op *op, mo_result *r);
/* mo_client_close of a pooled client (pool.c): the handle goes at once, the connection is
 * reset and kept or closed. Never fails. */
MO_INTERNAL mo_status mo_pool_return_op(mo_op *op, mo_client *c);
/* The same in a child of fork(): only the handle goes, nothing is sent or touched. */
MO_INTERNAL void mo_pool_return_inherited(mo_client *c);

#endif
