/* src/core/session.c — one connection in one transaction, and the scoped transaction helper. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "connection.h"

void mo_session_ref(mo_session *s) { atomic_fetch_add(&s->refs, 1); }

/* A session of a pooled client lets its client's connection go. */
static void session_let_go(mo_session *s) {
    if (s->flag_held) atomic_store(&s->conn->session_open, 0);
    s->flag_held = 0;
}

void mo_session_unref(mo_session *s) {
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
    session_let_go(s);
    mo_conn_unref(s->conn);
    mo_client_unref(s->client);
    free(s);
}

/* Run a statement of our own (BEGIN, COMMIT, SAVEPOINT...) through the one executor and
 * track what a lost connection means for the session. */
static mo_status run_control(mo_session *s, const char *sql, size_t len, int outcome_sensitive,
                             const char *operation) {
    mo_result *r = NULL;
    mo_status st = mo_execute(&r, s->client, s, s->conn, sql, len, NULL, 0, outcome_sensitive,
                              operation);
    mo_result_free(r);
    if (st < 0 && s->conn && s->conn->poisoned) s->state = MO_SESSION_POISONED;
    return st;
}

/* Why a statement cannot run now (no I/O), or MO_OK. */
static mo_status session_usable(mo_session *s, const char *operation) {
    switch (s->state) {
    case MO_SESSION_POISONED:
        return mo_error_set(MO_E_MISUSE, operation,
                            "the session's connection was lost; close it and open a new session");
    case MO_SESSION_ABORTED:
        return mo_error_set(MO_E_MISUSE, operation,
                            "the transaction was rolled back by a retryable error; call "
                            "mo_session_rollback() or mo_session_begin() before running more statements");
    case MO_SESSION_IDLE:
    case MO_SESSION_IN_TRANSACTION:
        break;
    }
    return MO_OK;
}

/* ------------------------------------------------------------------ control statements
 * BEGIN, COMMIT and ROLLBACK inside an op: the executor machine, its (empty) result dropped,
 * and a lost connection recorded as the POISONED state. */

static mo_status control_run(mo_op *op, mo_session *s, mo_status st) {
    st = mo_exec_run(&op->ex, st);
    if (st == MO_AGAIN) return st;
    mo_result_free(op->ex.result);
    op->ex.result = NULL;
    if (st < 0 && s->conn && s->conn->poisoned) s->state = MO_SESSION_POISONED;
    return st;
}

static mo_status control_start(mo_op *op, mo_session *s, const char *sql, int outcome_sensitive) {
    mo_status st = mo_exec_begin(&op->ex, s->client, s, s->conn, sql, strlen(sql), NULL, 0,
                                 outcome_sensitive, op->operation);
    if (st < 0) {
        if (s->conn && s->conn->poisoned) s->state = MO_SESSION_POISONED;
        return st;
    }
    return control_run(op, s, MO_OK);
}

/* Keep the error of `st` while a cleanup ROLLBACK runs; control_cleanup_done reports it. */
static mo_status control_cleanup_start(mo_op *op, mo_session *s, mo_status st, int stage) {
    op->pending = st;
    mo_error_keep(&op->kept);
    op->stage = stage;
    return control_start(op, s, "ROLLBACK", 0);
}

static mo_status control_cleanup_done(mo_op *op, mo_session *s, mo_status st,
                                      mo_session_state after) {
    if (st >= 0) s->state = after;
    mo_error_put_back(&op->kept);
    return op->pending;
}

/* ------------------------------------------------------------------ open */

enum { OPEN_BEGIN = 0, OPEN_CONNECT, OPEN_TRANSACTION };

/* ------------------------------------------------------------------ what ops borrow */

/* An op cancelled mid-step leaves the transaction in an unknown state: the session is
 * poisoned (its connection is already given up). */
static void abandon_session(mo_op *op) {
    if (op->session && op->session->conn == op->conn) op->session->state = MO_SESSION_POISONED;
}

static void release_session(mo_op *op) {
    mo_session_unref(op->session);
    op->session = NULL;
}

/* An open that did not hand its session out closes it. */
static void release_session_open(mo_op *op) {
    if (op->output) mo_session_close(op->output);
    op->output = NULL;
    release_session(op);
}

static void release_session_execute(mo_op *op) {
    if (op->output) mo_result_free(op->output);
    op->output = NULL;
    release_session(op);
}

static const mo_op_owner session_owner = {MO_OP_OUT_NONE, abandon_session, release_session};
static const mo_op_owner open_owner = {MO_OP_OUT_SESSION, abandon_session, release_session_open};
static const mo_op_owner execute_owner = {MO_OP_OUT_RESULT, abandon_session, release_session_execute};

static mo_status open_transaction_done(mo_op *op, mo_session *s, mo_status st) {
    if (st < 0) return st;
    s->state = MO_SESSION_IN_TRANSACTION;
    st = mo_handle_register(&s->h, MO_HANDLE_SESSION, op->operation);
    if (st < 0) return st;
    op->output = s; /* the construction reference moves to the caller */
    op->session = NULL;
    return MO_OK;
}

static mo_status open_connected(mo_op *op, mo_session *s, mo_status st) {
    if (st < 0) return st;
    if (s->conn) s->connection_id = mysql_thread_id(s->conn->mysql); /* 0 in dry-run */
    /* on_connect hooks: logged, never fatal (they run blocking, and only when configured) */
    if (!s->borrowed) mo_hooks_run(s->client, s->conn, op->operation);
    op->stage = OPEN_TRANSACTION;
    st = control_start(op, s, "BEGIN", 0);
    if (st == MO_AGAIN) return st;
    return open_transaction_done(op, s, st);
}

static mo_status open_run(mo_op *op, mo_status st) {
    mo_session *s = op->session;
    switch (op->stage) {
    case OPEN_BEGIN:
        /* dry-run, or a pooled client's connection: connected already */
        if (!s->conn || s->borrowed) return open_connected(op, s, MO_OK);
        op->stage = OPEN_CONNECT;
        st = mo_conn_connect_start(s->conn, s->client->cfg, s->client->login_user);
        if (st == MO_AGAIN) return st;
        return open_connected(op, s, st);
    case OPEN_CONNECT:
        return open_connected(op, s, st);
    case OPEN_TRANSACTION:
        st = control_run(op, s, st);
        if (st == MO_AGAIN) return st;
        return open_transaction_done(op, s, st);
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

mo_status mo_session_open_op(mo_op *op, mo_client *client) {
    const char *opname = "session.open";
    mo_op_init(op, opname, open_run, &open_owner);
    mo_status st = mo_handle_check(client, MO_HANDLE_CLIENT, opname);
    if (st < 0) return st;
    mo_session *s = calloc(1, sizeof *s);
    if (!s) return mo_error_oom(opname);
    atomic_init(&s->refs, 1);
    s->client = client;
    mo_client_ref(client);
    s->state = MO_SESSION_IDLE;
    op->session = s; /* released by the op on any failure */
    if (!client->cfg->dry_run && client->pool_entry) {
        /* A pooled client's session runs on the client's own connection. */
        if (atomic_exchange(&client->conn->session_open, 1))
            return mo_error_set(MO_E_MISUSE, opname,
                                "a session already runs on this pooled client's connection "
                                "(one at a time)");
        s->conn = client->conn;
        mo_conn_ref(s->conn);
        s->borrowed = 1;
        s->flag_held = 1;
        op->conn = s->conn;
        mo_conn_ref(s->conn);
    } else if (!client->cfg->dry_run) {
        st = mo_conn_new(&s->conn, client->cfg, opname);
        if (st < 0) return st;
        s->conn->operation = opname;
        op->conn = s->conn;
        mo_conn_ref(s->conn);
    }
    return mo_op_begin(op);
}

mo_status mo_session_open(mo_session **out, mo_client *client) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "session.open", "out is NULL");
    mo_op op;
    void *session = NULL;
    mo_status st = mo_op_block(&op, mo_session_open_op(&op, client), &session);
    *out = session;
    return st;
}

/* Claim the session for an op (unless the caller already holds it) and reference it. */
static mo_status session_op_enter(mo_op *op, mo_session *s, int enter) {
    mo_status st = enter ? mo_handle_enter(s, MO_HANDLE_SESSION, op->operation)
                         : mo_handle_check(s, MO_HANDLE_SESSION, op->operation);
    if (st < 0) return st;
    if (enter) op->busy_handle = s;
    op->session = s;
    mo_session_ref(s);
    if (s->conn) {
        op->conn = s->conn;
        mo_conn_ref(s->conn);
    }
    return MO_OK;
}

/* ------------------------------------------------------------------ execute */

enum { EXEC_BEGIN = 0, EXEC_TRANSACTION, EXEC_STATEMENT, EXEC_ROLLBACK };

static mo_status execute_statement_done(mo_op *op, mo_session *s, mo_status st) {
    if (st >= 0) {
        op->output = op->ex.result;
        op->ex.result = NULL;
        return st;
    }
    if (s->conn && s->conn->poisoned) {
        s->state = MO_SESSION_POISONED;
        return st;
    }
    if (st != MO_E_RETRYABLE) return st;
    /* A deadlock rolls the transaction back on the server; a lock wait timeout only the
     * statement. Roll back fully either way, so RETRYABLE always means "the whole
     * transaction is gone, run it again". */
    st = control_cleanup_start(op, s, st, EXEC_ROLLBACK);
    if (st == MO_AGAIN) return st;
    return control_cleanup_done(op, s, st, MO_SESSION_ABORTED);
}

static mo_status execute_transaction_done(mo_op *op, mo_session *s, mo_status st) {
    if (st < 0) return st;
    s->state = MO_SESSION_IN_TRANSACTION;
    op->stage = EXEC_STATEMENT;
    /* A lost answer to plain DML loses the transaction (the server rolls it back); to DDL or
     * anything that may commit implicitly, it leaves the outcome unknown. */
    st = mo_exec_begin(&op->ex, s->client, s, s->conn, op->sql, op->sql_len, op->values,
                       op->flags | op->flags_extra, MO_LOSS_CLASSIFY_IN_TRANSACTION,
                       op->operation);
    if (st >= 0) st = mo_exec_run(&op->ex, MO_OK);
    if (st == MO_AGAIN) return st;
    return execute_statement_done(op, s, st);
}

static mo_status execute_run(mo_op *op, mo_status st) {
    mo_session *s = op->session;
    switch (op->stage) {
    case EXEC_BEGIN:
        st = session_usable(s, op->operation);
        if (st < 0) return st;
        if (s->state == MO_SESSION_IN_TRANSACTION) return execute_transaction_done(op, s, MO_OK);
        op->stage = EXEC_TRANSACTION;
        st = control_start(op, s, "BEGIN", 0);
        if (st == MO_AGAIN) return st;
        return execute_transaction_done(op, s, st);
    case EXEC_TRANSACTION:
        st = control_run(op, s, st);
        if (st == MO_AGAIN) return st;
        return execute_transaction_done(op, s, st);
    case EXEC_STATEMENT:
        st = mo_exec_run(&op->ex, st);
        if (st == MO_AGAIN) return st;
        return execute_statement_done(op, s, st);
    case EXEC_ROLLBACK:
        st = control_run(op, s, st);
        if (st == MO_AGAIN) return st;
        return control_cleanup_done(op, s, st, MO_SESSION_ABORTED);
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

static mo_status matrixone_set_gate(const mo_session *s, const char *sql, size_t len,
                                    const char *op);

mo_status mo_session_execute_op(mo_op *op, mo_session *s, const char *sql, size_t sql_len,
                                const mo_params *params, unsigned flags, int enter,
                                const char *operation) {
    mo_op_init(op, operation, execute_run, &execute_owner);
    int borrowed = (flags & MO_EXEC_BORROWED) != 0;
    flags &= ~MO_EXEC_BORROWED;
    mo_status st = MO_OK;
    if (params) st = mo_handle_check(params, MO_HANDLE_PARAMS, operation);
    if (st >= 0 && !sql) st = mo_error_set(MO_E_INVALID_ARGUMENT, operation, "sql is NULL");
    if (st >= 0 && !mo_exec_flags_valid(flags))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, operation, "unknown execute flags 0x%x", flags);
    if (st >= 0) st = session_op_enter(op, s, enter);
    if (st < 0) return st;
    /* Inside an open transaction (nothing is sent before the statement), a statement of a
     * kind the statement cache keeps goes to the executor as its text and a copy of its
     * values: the executor chooses the protocol and renders it, with its placeholders found
     * once. Otherwise it is rendered now, so bad parameters fail before BEGIN is sent; either
     * way the caller's SQL and parameters may be freed while the op runs. */
    int template = s->conn && s->state == MO_SESSION_IN_TRANSACTION &&
                   mo_stmt_cacheable(s->conn, sql, sql_len, flags);
    if (template && borrowed) {
        /* the caller waits for the statement: its text and values stay where they are */
        op->sql = sql;
        op->sql_len = sql_len;
        op->values = params;
        op->flags_extra = MO_EXEC_BORROWED;
    } else if (template) {
        /* a SELECT/INSERT/UPDATE/DELETE... (the cache keeps no other kind): no SET to gate */
        mo_buf_append(&op->stmt, sql, sql_len);
        if (params) st = mo_params_copy_values(&op->params, params, operation);
    } else {
        st = mo_params_render(&op->stmt, sql, sql_len, params, mo_conn_charset(s->conn, s->client->kind), operation);
        if (params) op->flags_extra = MO_EXEC_TEXT_ONLY; /* a rendered text is no template */
    }
    if (st >= 0 && !mo_buf_ok(&op->stmt)) st = mo_error_oom(operation);
    /* before BEGIN, so a refused statement sends nothing at all */
    if (st >= 0 && !template) st = mo_exec_refuse_unsafe_charset(&op->stmt, operation);
    /* after the charset check: an unsafe SET NAMES is refused for what it is everywhere */
    if (st >= 0 && !template) st = matrixone_set_gate(s, sql, sql_len, operation);
    if (st < 0) {
        if (op->busy_handle) mo_handle_leave(op->busy_handle);
        op->busy_handle = NULL;
        return st;
    }
    if (!op->sql) {
        op->sql = op->stmt.data ? op->stmt.data : "";
        op->sql_len = op->stmt.len;
        op->values = op->params;
    }
    op->flags = flags;
    return mo_op_begin(op);
}

mo_status mo_session_run(mo_result **out, mo_session *s, const char *sql, size_t len,
                         const mo_params *params, unsigned flags, const char *op) {
    mo_op o;
    void *result = NULL;
    mo_status st = mo_op_block(
        &o, mo_session_execute_op(&o, s, sql, len, params, flags | MO_EXEC_BORROWED, 0, op),
        &result);
    *out = result;
    return st;
}

mo_status mo_session_execute(mo_result **out, mo_session *s, const char *sql, size_t sql_len,
                             const mo_params *params) {
    return mo_session_execute_ex(out, s, sql, sql_len, params, 0);
}

mo_status mo_session_execute_ex(mo_result **out, mo_session *s, const char *sql, size_t sql_len,
                                const mo_params *params, unsigned flags) {
    const char *op = "session.execute";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    mo_op o;
    void *result = NULL;
    mo_status st = mo_op_block(
        &o, mo_session_execute_op(&o, s, sql, sql_len, params, flags | MO_EXEC_BORROWED, 1, op),
        &result);
    *out = result;
    return st;
}

/* ------------------------------------------------------------------ commit, rollback, begin */

enum { CONTROL_BEGIN = 0, CONTROL_MAIN, CONTROL_CLEANUP, CONTROL_TRANSACTION };

/* One control statement finished (stage says which); decide what follows. */
static mo_status control_step_done(mo_op *op, mo_session *s, mo_status st) {
    int kind = (int)op->flags;
    switch (op->stage) {
    case CONTROL_MAIN:
        if (kind == MO_CONTROL_COMMIT) {
            if (st >= 0) {
                s->state = MO_SESSION_IDLE;
                return st;
            }
            if (s->state == MO_SESSION_POISONED) return st;
            /* The server refused to commit (e.g. a write conflict): the transaction is over. */
            st = control_cleanup_start(op, s, st, CONTROL_CLEANUP);
            if (st == MO_AGAIN) return st;
            return control_cleanup_done(op, s, st, MO_SESSION_IDLE);
        }
        if (st < 0) return st;
        s->state = MO_SESSION_IDLE;
        if (kind == MO_CONTROL_ROLLBACK) return st;
        /* MO_CONTROL_BEGIN after an aborted transaction was rolled back: */
        op->stage = CONTROL_TRANSACTION;
        st = control_start(op, s, "BEGIN", 0);
        if (st == MO_AGAIN) return st;
        return control_step_done(op, s, st);
    case CONTROL_CLEANUP:
        return control_cleanup_done(op, s, st, MO_SESSION_IDLE);
    case CONTROL_TRANSACTION:
        if (st >= 0) s->state = MO_SESSION_IN_TRANSACTION;
        return st;
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

static mo_status control_op_run(mo_op *op, mo_status st) {
    mo_session *s = op->session;
    int kind = (int)op->flags;
    if (op->stage != CONTROL_BEGIN) {
        st = control_run(op, s, st);
        if (st == MO_AGAIN) return st;
        return control_step_done(op, s, st);
    }
    const char *sql = NULL;
    int sensitive = 0;
    if (kind == MO_CONTROL_COMMIT) {
        if (s->state == MO_SESSION_POISONED)
            return mo_error_set(MO_E_MISUSE, op->operation,
                                "the session's connection was lost; nothing can be committed");
        if (s->state == MO_SESSION_ABORTED)
            return mo_error_set(MO_E_MISUSE, op->operation,
                                "the transaction was already rolled back by a retryable error");
        if (s->state != MO_SESSION_IN_TRANSACTION)
            return mo_error_set(MO_E_MISUSE, op->operation, "no transaction is open");
        sql = "COMMIT";
        sensitive = MO_LOSS_UNKNOWN; /* a COMMIT whose answer is lost may have committed */
    } else if (kind == MO_CONTROL_ROLLBACK) {
        if (s->state == MO_SESSION_POISONED)
            return mo_error_set(MO_E_MISUSE, op->operation,
                                "the session's connection was lost; the server rolls the transaction back");
        if (s->state == MO_SESSION_IDLE) return MO_OK;
        sql = "ROLLBACK";
        sensitive = MO_LOSS_ROLLED_BACK;
    } else {
        if (s->state == MO_SESSION_IN_TRANSACTION)
            return mo_error_set(MO_E_MISUSE, op->operation, "a transaction is already open");
        if (s->state == MO_SESSION_POISONED) return session_usable(s, op->operation);
        if (s->state == MO_SESSION_ABORTED) {
            sql = "ROLLBACK"; /* nothing of the aborted transaction survives */
        } else {
            op->stage = CONTROL_TRANSACTION;
            st = control_start(op, s, "BEGIN", 0);
            if (st == MO_AGAIN) return st;
            return control_step_done(op, s, st);
        }
    }
    op->stage = CONTROL_MAIN;
    st = control_start(op, s, sql, sensitive);
    if (st == MO_AGAIN) return st;
    return control_step_done(op, s, st);
}

mo_status mo_session_control_op(mo_op *op, mo_session *s, int kind) {
    const char *opname = kind == MO_CONTROL_COMMIT     ? "session.commit"
                         : kind == MO_CONTROL_ROLLBACK ? "session.rollback"
                                                       : "session.begin";
    mo_op_init(op, opname, control_op_run, &session_owner);
    mo_status st = session_op_enter(op, s, 1);
    if (st < 0) return st;
    op->flags = (unsigned)kind;
    return mo_op_begin(op);
}

mo_status mo_session_begin(mo_session *s) {
    mo_op op;
    return mo_op_block(&op, mo_session_control_op(&op, s, MO_CONTROL_BEGIN), NULL);
}

mo_status mo_session_commit(mo_session *s) {
    mo_op op;
    return mo_op_block(&op, mo_session_control_op(&op, s, MO_CONTROL_COMMIT), NULL);
}

mo_status mo_session_rollback(mo_session *s) {
    mo_op op;
    return mo_op_block(&op, mo_session_control_op(&op, s, MO_CONTROL_ROLLBACK), NULL);
}

/* MatrixOne has no savepoints (checked on v4.2.0): SAVEPOINT and RELEASE SAVEPOINT are
 * accepted and do nothing, and ROLLBACK TO SAVEPOINT fails with 20101 "savepoint has not been
 * implemented yet" — a caller who relies on one would lose work silently. So all three are
 * refused before sending on every MatrixOne release up to the newest checked one (the gate
 * moves when a release implements them); a dry-run client without a configured
 * server_version journals them, as the other version gates do. */
#define MO_SAVEPOINTS_CHECKED_UP_TO_MAJOR 4
#define MO_SAVEPOINTS_CHECKED_UP_TO_MINOR 2

/* 1 when the client talks to a MatrixOne release known to behave as checked here (its
 * version known and at most 4.2, or a development build, read as 999.0.0). */
static int matrixone_as_checked(const mo_client *c) {
    if (c->kind != MO_SERVER_MATRIXONE || !c->version_known) return 0;
    int newer = c->version[0] > MO_SAVEPOINTS_CHECKED_UP_TO_MAJOR ||
                (c->version[0] == MO_SAVEPOINTS_CHECKED_UP_TO_MAJOR &&
                 c->version[1] > MO_SAVEPOINTS_CHECKED_UP_TO_MINOR);
    return !newer || c->version[0] == 999;
}

/* On MatrixOne (checked on v4.2.0) any SET sent inside a transaction commits it, and the
 * statements after it run in autocommit: the session would believe in a transaction the
 * server no longer has, and a later rollback would undo nothing. A session always runs its
 * statements in a transaction, so a SET on a MatrixOne session (directly or from a manager
 * on a session executor, e.g. vector_ops.enable_ivf) is refused before sending. */
static mo_status matrixone_set_gate(const mo_session *s, const char *sql, size_t len,
                                    const char *op) {
    char kw[8];
    if (!matrixone_as_checked(s->client)) return MO_OK;
    if (!mo_sql_first_keyword(sql, len, kw, sizeof kw) || strcmp(kw, "SET") != 0) return MO_OK;
    return mo_error_set(MO_E_MISUSE, op,
                        "a SET inside a transaction commits it on MatrixOne %u.%u.%u; run it on "
                        "the client (autocommit) or in a connection hook, not on a session; "
                        "nothing was sent",
                        s->client->version[0], s->client->version[1], s->client->version[2]);
}

static mo_status matrixone_savepoint_gate(const mo_session *s, const char *op) {
    const mo_client *c = s->client;
    if (!matrixone_as_checked(c)) return MO_OK;
    return mo_error_set(MO_E_UNSUPPORTED, op,
                        "MatrixOne %u.%u.%u does not implement savepoints (SAVEPOINT and "
                        "RELEASE do nothing there, ROLLBACK TO SAVEPOINT fails); nothing was sent",
                        c->version[0], c->version[1], c->version[2]);
}

static mo_status savepoint_statement(mo_session *s, const char *prefix, const char *name,
                                     const char *op) {
    mo_status st = mo_handle_enter(s, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    /* A close from another thread while this runs only drops the handle (as for every op). */
    mo_session_ref(s);
    if (s->state != MO_SESSION_IN_TRANSACTION) {
        st = mo_error_set(MO_E_MISUSE, op, "savepoints need an open transaction");
    } else {
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append_str(&sql, prefix);
        /* a bad name is the caller's error on every server, before the server's limits */
        st = mo_sql_append_identifier(&sql, name, "savepoint name", op);
        if (st >= 0 && !mo_buf_ok(&sql)) st = mo_error_oom(op);
        if (st >= 0) st = matrixone_savepoint_gate(s, op); /* refused before sending */
        if (st >= 0) st = run_control(s, sql.data, sql.len, MO_LOSS_ROLLED_BACK, op);
        mo_buf_free(&sql);
    }
    mo_handle_leave(s);
    mo_session_unref(s);
    return st;
}

mo_status mo_session_savepoint(mo_session *s, const char *name) {
    return savepoint_statement(s, "SAVEPOINT ", name, "session.savepoint");
}

mo_status mo_session_rollback_to_savepoint(mo_session *s, const char *name) {
    return savepoint_statement(s, "ROLLBACK TO SAVEPOINT ", name, "session.rollback_to_savepoint");
}

mo_status mo_session_release_savepoint(mo_session *s, const char *name) {
    return savepoint_statement(s, "RELEASE SAVEPOINT ", name, "session.release_savepoint");
}

mo_session_state mo_session_get_state(const mo_session *s) {
    return mo_handle_is_live(s, MO_HANDLE_SESSION) ? s->state : MO_SESSION_POISONED;
}

mo_client *mo_session_client(const mo_session *s) {
    return mo_handle_is_live(s, MO_HANDLE_SESSION) ? s->client : NULL;
}

mo_status mo_session_connection_id(const mo_session *s, uint64_t *out) {
    mo_status st = mo_handle_check(s, MO_HANDLE_SESSION, "session.connection_id");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "session.connection_id", "out is NULL");
    *out = s->connection_id;
    return MO_OK;
}

/* ------------------------------------------------------------------ close */

enum { CLOSE_BEGIN = 0, CLOSE_ROLLBACK, CLOSE_QUIT };

static mo_status close_release(mo_op *op, mo_session *s) {
    s->state = MO_SESSION_IDLE;
    session_let_go(s);
    if (op->busy_handle) mo_handle_leave(op->busy_handle);
    op->busy_handle = NULL;
    mo_conn *conn = s->conn;
    /* Say goodbye without blocking when the op holds the last reference to the session and
     * the session the last to its connection (no result still uses them). */
    if (conn && atomic_load(&s->refs) == 1 && atomic_load(&conn->refs) == 2 /* s + op */ &&
        conn->connected && !conn->poisoned && conn->op == MO_CONN_OP_NONE &&
        !atomic_load(&conn->busy)) {
        op->stage = CLOSE_QUIT;
        mo_status st = mo_conn_close_start(conn);
        if (st == MO_AGAIN) return st;
    }
    return MO_OK;
}

static mo_status close_run(mo_op *op, mo_status st) {
    mo_session *s = op->session;
    switch (op->stage) {
    case CLOSE_BEGIN:
        if (s->state != MO_SESSION_IN_TRANSACTION && s->state != MO_SESSION_ABORTED)
            return close_release(op, s);
        mo_error_keep(&op->kept);
        op->stage = CLOSE_ROLLBACK;
        st = control_start(op, s, "ROLLBACK", 0);
        if (st == MO_AGAIN) return st;
        mo_error_put_back(&op->kept);
        return close_release(op, s);
    case CLOSE_ROLLBACK:
        st = control_run(op, s, st);
        if (st == MO_AGAIN) return st;
        mo_error_put_back(&op->kept);
        return close_release(op, s);
    case CLOSE_QUIT:
        return MO_OK; /* a failed goodbye changes nothing: the socket is closed either way */
    }
    return MO_OK;
}

mo_status mo_session_close_op(mo_op *op, mo_session *s) {
    const char *opname = "session.close";
    mo_op_init(op, opname, close_run, &session_owner);
    mo_status st = mo_handle_check(s, MO_HANDLE_SESSION, opname);
    if (st < 0) return st;
    if (atomic_exchange(&s->h.busy, 1)) {
        /* A pending op runs on it: release the handle; the op keeps the session alive and
         * the last release drops the connection. */
        mo_handle_unregister(&s->h);
        mo_session_unref(s);
        return mo_op_complete(op, MO_OK);
    }
    op->busy_handle = s;
    op->session = s; /* takes over the caller's reference */
    mo_handle_unregister(&s->h);
    if (s->conn) {
        op->conn = s->conn;
        mo_conn_ref(s->conn);
    }
    return mo_op_begin(op);
}

void mo_session_close(mo_session *s) {
    if (!s || !mo_handle_is_live(s, MO_HANDLE_SESSION)) return;
    if (mo_handle_inherited(&s->h)) {
        /* A child of fork(): no ROLLBACK, no goodbye; the parent's transaction goes on. */
        mo_handle_unregister(&s->h);
        mo_session_unref(s);
        return;
    }
    mo_op op;
    mo_op_block(&op, mo_session_close_op(&op, s), NULL);
}

/* A fresh random number on every call: from the kernel, so that a forked child and its
 * parent (or two threads) never draw the same pauses, which a seeded generator copied by
 * fork() would. A retry is rare; one system call is nothing beside the transaction. */
static uint64_t random_u64(void) {
    uint64_t r;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) == (ssize_t)sizeof r) return r;
    struct timespec t; /* no entropy yet (early boot): still differs per process and instant */
    clock_gettime(CLOCK_MONOTONIC, &t);
    r = (uint64_t)t.tv_nsec * 0x9E3779B97F4A7C15u ^ (uint64_t)t.tv_sec ^ ((uint64_t)getpid() << 32);
    return r ^ (r >> 29);
}

unsigned mo_transaction_retry_pause_ms(unsigned attempt) {
    if (attempt == 0) return 0;
    unsigned cap = attempt >= 7 ? 500 : 5u << attempt; /* 10, 20, 40, 80, 160, 320, 500 */
    return (unsigned)(random_u64() % (cap + 1));
}

static void sleep_ms(unsigned ms) {
    struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {} /* a signal: sleep what is left */
}

mo_status mo_client_transaction(mo_client *c, unsigned max_retries, mo_transaction_fn fn,
                                void *userdata) {
    const char *op = "client.transaction";
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, op);
    if (st < 0) return st;
    if (!fn) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "fn is NULL");
    for (unsigned attempt = 0;; attempt++) {
        mo_session *s = NULL;
        st = mo_session_open(&s, c);
        if (st < 0) return st;
        st = fn(s, userdata);
        if (st > 0) st = MO_OK; /* states such as MO_DONE are success */
        if (st == MO_OK && s->state == MO_SESSION_IN_TRANSACTION) st = mo_session_commit(s);
        else if (st == MO_OK && s->state == MO_SESSION_ABORTED)
            st = mo_error_set(MO_E_RETRYABLE, op, "the transaction was rolled back by a retryable error");
        else if (st == MO_OK && s->state == MO_SESSION_POISONED)
            st = mo_error_set(MO_E_CONNECTION_LOST, op, "the session's connection was lost");
        if (st < 0 && mo_error_last() == NULL)
            mo_error_set(st, op, "the transaction body failed with status %d", st);
        mo_session_close(s); /* rolls back whatever is still open, keeps the error */
        if (st != MO_E_RETRYABLE || attempt >= max_retries) return st;
        sleep_ms(mo_transaction_retry_pause_ms(attempt + 1));
    }
}

/* ------------------------------------------------------------------ asynchronous starts
 * The same ops as the blocking calls above, handed to the caller (async.h). */

mo_status mo_session_open_start(mo_op **out, mo_client *client) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "session.open");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_session_open_op(op, client));
}

mo_status mo_session_execute_start(mo_op **out, mo_session *s, const char *sql, size_t sql_len,
                                   const mo_params *params, unsigned flags) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "session.execute");
    if (st < 0) return st;
    return mo_op_publish(out, op,
                         mo_session_execute_op(op, s, sql, sql_len, params, flags, 1, "session.execute"));
}

mo_status mo_session_commit_start(mo_op **out, mo_session *s) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "session.commit");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_session_control_op(op, s, MO_CONTROL_COMMIT));
}

mo_status mo_session_rollback_start(mo_op **out, mo_session *s) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "session.rollback");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_session_control_op(op, s, MO_CONTROL_ROLLBACK));
}

mo_status mo_session_close_start(mo_op **out, mo_session *s) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "session.close");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_session_close_op(op, s));
}
