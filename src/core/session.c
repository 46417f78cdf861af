/* src/core/session.c — one connection in one transaction, and the scoped transaction helper. */
#include <stdlib.h>
#include <string.h>
#include "connection.h"

void mo_session_ref(mo_session *s) { atomic_fetch_add(&s->refs, 1); }

void mo_session_unref(mo_session *s) {
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
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

/* The session's state allows a statement; begin a transaction if none is open. */
static mo_status ready_for_statement(mo_session *s, const char *operation) {
    switch (s->state) {
    case MO_SESSION_POISONED:
        return mo_error_set(MO_E_MISUSE, operation,
                            "the session's connection was lost; close it and open a new session");
    case MO_SESSION_ABORTED:
        return mo_error_set(MO_E_MISUSE, operation,
                            "the transaction was rolled back by a retryable error; call "
                            "mo_session_rollback() or mo_session_begin() before running more statements");
    case MO_SESSION_IDLE: {
        mo_status st = run_control(s, "BEGIN", 5, 0, operation);
        if (st < 0) return st;
        s->state = MO_SESSION_IN_TRANSACTION;
        return MO_OK;
    }
    case MO_SESSION_IN_TRANSACTION:
        return MO_OK;
    }
    return MO_OK;
}

mo_status mo_session_open(mo_session **out, mo_client *client) {
    const char *op = "session.open";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_handle_check(client, MO_HANDLE_CLIENT, op);
    if (st < 0) return st;

    mo_session *s = calloc(1, sizeof *s);
    if (!s) return mo_error_oom(op);
    atomic_init(&s->refs, 1);
    s->client = client;
    mo_client_ref(client);
    s->state = MO_SESSION_IDLE;
    if (!client->cfg->dry_run) {
        st = mo_conn_new(&s->conn, client->cfg, op);
        if (st >= 0) {
            s->conn->operation = op;
            st = mo_conn_run(s->conn, mo_conn_connect_start(s->conn, client->cfg, client->login_user));
        }
    }
    if (st >= 0) mo_hooks_run(client, s->conn, op); /* on_connect: logged, never fatal */
    if (st >= 0) st = ready_for_statement(s, op);
    if (st >= 0) st = mo_handle_register(&s->h, MO_HANDLE_SESSION, op);
    if (st < 0) {
        struct mo_error saved;
        int had;
        mo_error_save(&saved, &had);
        mo_session_unref(s);
        mo_error_restore(&saved, had);
        return st;
    }
    *out = s;
    return MO_OK;
}

mo_status mo_session_begin(mo_session *s) {
    const char *op = "session.begin";
    mo_status st = mo_handle_enter(s, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    if (s->state == MO_SESSION_IN_TRANSACTION) {
        st = mo_error_set(MO_E_MISUSE, op, "a transaction is already open");
    } else if (s->state == MO_SESSION_ABORTED) {
        /* Make sure nothing of the aborted transaction survives, then start afresh. */
        st = run_control(s, "ROLLBACK", 8, 0, op);
        if (st >= 0) s->state = MO_SESSION_IDLE;
    }
    if (st >= 0) st = ready_for_statement(s, op);
    mo_handle_leave(s);
    return st;
}

mo_status mo_session_run(mo_result **out, mo_session *s, const char *sql, size_t len,
                         const mo_params *params, unsigned flags, const char *op) {
    mo_status st = ready_for_statement(s, op);
    if (st >= 0) {
        st = mo_execute(out, s->client, s, s->conn, sql, len, params, flags, 0, op);
        if (st < 0 && s->conn && s->conn->poisoned) {
            s->state = MO_SESSION_POISONED;
        } else if (st == MO_E_RETRYABLE) {
            /* A deadlock rolls the transaction back on the server; a lock wait timeout only
             * the statement. Roll back fully either way, so RETRYABLE always means "the
             * whole transaction is gone, run it again". */
            struct mo_error saved;
            int had;
            mo_error_save(&saved, &had);
            if (run_control(s, "ROLLBACK", 8, 0, op) >= 0) s->state = MO_SESSION_ABORTED;
            mo_error_restore(&saved, had);
        }
    }
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
    *out = NULL;
    mo_status st = mo_handle_enter(s, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    if (params) st = mo_handle_check(params, MO_HANDLE_PARAMS, op);
    if (st >= 0 && !sql) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "sql is NULL");
    if (st >= 0) st = mo_session_run(out, s, sql, sql_len, params, flags, op);
    mo_handle_leave(s);
    return st;
}

mo_status mo_session_commit(mo_session *s) {
    const char *op = "session.commit";
    mo_status st = mo_handle_enter(s, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    if (s->state == MO_SESSION_POISONED) {
        st = mo_error_set(MO_E_MISUSE, op, "the session's connection was lost; nothing can be committed");
    } else if (s->state == MO_SESSION_ABORTED) {
        st = mo_error_set(MO_E_MISUSE, op,
                          "the transaction was already rolled back by a retryable error");
    } else if (s->state != MO_SESSION_IN_TRANSACTION) {
        st = mo_error_set(MO_E_MISUSE, op, "no transaction is open");
    } else {
        /* A connection lost after COMMIT was sent leaves the outcome unknown. */
        st = run_control(s, "COMMIT", 6, 1, op);
        if (st >= 0) {
            s->state = MO_SESSION_IDLE;
        } else if (s->state != MO_SESSION_POISONED) {
            /* The server refused to commit (e.g. a write conflict): the transaction is over. */
            struct mo_error saved;
            int had;
            mo_error_save(&saved, &had);
            if (run_control(s, "ROLLBACK", 8, 0, op) >= 0) s->state = MO_SESSION_IDLE;
            mo_error_restore(&saved, had);
        }
    }
    mo_handle_leave(s);
    return st;
}

mo_status mo_session_rollback(mo_session *s) {
    const char *op = "session.rollback";
    mo_status st = mo_handle_enter(s, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    if (s->state == MO_SESSION_POISONED) {
        st = mo_error_set(MO_E_MISUSE, op,
                          "the session's connection was lost; the server rolls the transaction back");
    } else if (s->state != MO_SESSION_IDLE) {
        st = run_control(s, "ROLLBACK", 8, 0, op);
        if (st >= 0) s->state = MO_SESSION_IDLE;
    }
    mo_handle_leave(s);
    return st;
}

static mo_status savepoint_statement(mo_session *s, const char *prefix, const char *name,
                                     const char *op) {
    mo_status st = mo_handle_enter(s, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    if (s->state != MO_SESSION_IN_TRANSACTION) {
        st = mo_error_set(MO_E_MISUSE, op, "savepoints need an open transaction");
    } else {
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append_str(&sql, prefix);
        st = mo_sql_append_identifier(&sql, name, "savepoint name", op);
        if (st >= 0 && !mo_buf_ok(&sql)) st = mo_error_oom(op);
        if (st >= 0) st = run_control(s, sql.data, sql.len, 0, op);
        mo_buf_free(&sql);
    }
    mo_handle_leave(s);
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

void mo_session_close(mo_session *s) {
    if (!s || mo_handle_enter(s, MO_HANDLE_SESSION, "session.close") < 0) return;
    if (s->state == MO_SESSION_IN_TRANSACTION || s->state == MO_SESSION_ABORTED) {
        struct mo_error saved;
        int had;
        mo_error_save(&saved, &had);
        run_control(s, "ROLLBACK", 8, 0, "session.close");
        mo_error_restore(&saved, had);
    }
    s->state = MO_SESSION_IDLE;
    mo_handle_leave(s);
    mo_handle_unregister(&s->h);
    mo_session_unref(s);
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
        if (st == MO_E_RETRYABLE && attempt < max_retries) continue;
        return st;
    }
}
