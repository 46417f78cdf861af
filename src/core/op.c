/* src/core/op.c — mo_op: one operation in flight, and the one driver of every machine.
 *
 * An op wraps one resumable machine (client.c, session.c, result.c) and the connection whose
 * step is in flight. The blocking API runs an op on its own stack with mo_op_wait (poll +
 * continue); the asynchronous API hands the same op to the caller, who waits in their own
 * event loop and calls mo_op_continue. Nothing else differs. */
#include <stdlib.h>
#include <string.h>
#include "connection.h"

_Static_assert(MO_WAIT_READ == MYSQL_WAIT_READ && MO_WAIT_WRITE == MYSQL_WAIT_WRITE &&
                   MO_WAIT_EXCEPT == MYSQL_WAIT_EXCEPT && MO_WAIT_TIMEOUT == MYSQL_WAIT_TIMEOUT,
               "MO_WAIT_* are passed to libmariadb unchanged");

void mo_op_init(mo_op *op, const char *operation, mo_op_run_fn run, mo_op_output output_kind) {
    memset(op, 0, sizeof *op);
    op->operation = operation;
    op->run = run;
    op->output_kind = output_kind;
    mo_buf_init(&op->stmt);
}

mo_status mo_op_complete(mo_op *op, mo_status st) {
    op->done = 1;
    op->status = st;
    if (st < 0) {
        const mo_error *e = mo_error_last();
        if (e) {
            op->error = *e;
            op->has_error = 1;
        }
    }
    /* The handle is free for the next call as soon as the op is done, not when it is freed. */
    if (op->busy_conn) mo_conn_leave(op->busy_conn);
    if (op->busy_handle) mo_handle_leave(op->busy_handle);
    op->busy_conn = NULL;
    op->busy_handle = NULL;
    return st;
}

/* `st` is the status of the op's connection step (start or continue). */
static mo_status op_step(mo_op *op, mo_status st) {
    if (st != MO_AGAIN) st = op->run(op, st);
    if (st != MO_AGAIN) mo_op_complete(op, st);
    return st;
}

mo_status mo_op_begin(mo_op *op) {
    op->stage = 0;
    op->begun = 1;
    return op_step(op, MO_OK);
}

mo_status mo_op_wait(mo_op *op, mo_status st) {
    while (st == MO_AGAIN) st = op_step(op, mo_conn_continue(op->conn, mo_conn_wait(op->conn)));
    return st;
}

/* A pending op's connection is mid-step: nothing can be sent on it again without reading what
 * the step was waiting for, so it is given up (poisoned) and every machine let go without
 * I/O. The thread's last error is not touched. */
static void op_cancel(mo_op *op) {
    if (op->done || !op->begun) return;
    struct mo_error saved;
    int had;
    mo_error_save(&saved, &had);
    if (op->conn) mo_conn_give_up(op->conn);
    mo_exec_abort(&op->ex);
    mo_stream_end_abort(&op->se);
    if (op->session && op->session->conn == op->conn) op->session->state = MO_SESSION_POISONED;
    if (op->result) {
        op->result->row = NULL;
        op->result->done = 1;
        if (op->result->conn && op->result->conn->stream == op->result) op->result->conn->stream = NULL;
    }
    mo_error_set(MO_E_INTERRUPTED, op->operation,
                 "cancelled by the caller; its connection was closed (the handle is poisoned)");
    mo_op_complete(op, MO_E_INTERRUPTED);
    mo_error_restore(&saved, had);
}

void mo_op_release(mo_op *op) {
    struct mo_error saved;
    int had;
    mo_error_save(&saved, &had);
    op_cancel(op);
    if (op->output) {
        switch (op->output_kind) {
        case MO_OP_OUT_CLIENT: mo_client_close(op->output); break;
        case MO_OP_OUT_SESSION: mo_session_close(op->output); break;
        case MO_OP_OUT_RESULT: mo_result_free(op->output); break;
        case MO_OP_OUT_NONE: break;
        }
        op->output = NULL;
    }
    mo_result_unref(op->result);
    mo_session_unref(op->session);
    mo_client_unref(op->client);
    mo_conn_unref(op->conn);
    op->result = NULL;
    op->session = NULL;
    op->client = NULL;
    op->conn = NULL;
    mo_buf_free(&op->stmt);
    mo_error_restore(&saved, had);
}

mo_status mo_op_block(mo_op *op, mo_status st, void **out) {
    st = mo_op_wait(op, st);
    if (out) {
        *out = st >= 0 ? op->output : NULL;
        if (st >= 0) op->output = NULL;
    }
    mo_op_release(op);
    return st;
}

mo_status mo_op_publish(mo_op **out, mo_op *op, mo_status st) {
    if (st < 0) {
        /* A start that fails leaves nothing to free. */
        mo_op_release(op);
        free(op);
        return st;
    }
    mo_status reg = mo_handle_register(&op->h, MO_HANDLE_OP, op->operation);
    if (reg < 0) {
        mo_op_release(op);
        free(op);
        return reg;
    }
    *out = op;
    return st;
}

/* ------------------------------------------------------------------ the public API */

#define START(opname, call)                                                                \
    do {                                                                                   \
        if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");       \
        *out = NULL;                                                                       \
        mo_op *op = malloc(sizeof *op);                                                    \
        if (!op) return mo_error_oom(opname);                                              \
        return mo_op_publish(out, op, call);                                               \
    } while (0)

mo_status mo_client_connect_start(mo_op **out, const mo_config *cfg) {
    START("client.connect", mo_client_connect_op(op, cfg));
}

mo_status mo_client_execute_start(mo_op **out, mo_client *c, const char *sql, size_t sql_len,
                                  const mo_params *params, unsigned flags) {
    START("client.execute", mo_client_execute_op(op, c, sql, sql_len, params, flags));
}

mo_status mo_client_ping_start(mo_op **out, mo_client *c) {
    START("client.ping", mo_client_ping_op(op, c));
}

mo_status mo_client_kill_query_start(mo_op **out, mo_client *c, uint64_t connection_id) {
    START("client.kill_query", mo_client_kill_query_op(op, c, connection_id));
}

mo_status mo_client_close_start(mo_op **out, mo_client *c) {
    START("client.close", mo_client_close_op(op, c));
}

mo_status mo_session_open_start(mo_op **out, mo_client *client) {
    START("session.open", mo_session_open_op(op, client));
}

mo_status mo_session_execute_start(mo_op **out, mo_session *s, const char *sql, size_t sql_len,
                                   const mo_params *params, unsigned flags) {
    START("session.execute",
          mo_session_execute_op(op, s, sql, sql_len, params, flags, 1, "session.execute"));
}

mo_status mo_session_commit_start(mo_op **out, mo_session *s) {
    START("session.commit", mo_session_control_op(op, s, MO_CONTROL_COMMIT));
}

mo_status mo_session_rollback_start(mo_op **out, mo_session *s) {
    START("session.rollback", mo_session_control_op(op, s, MO_CONTROL_ROLLBACK));
}

mo_status mo_session_close_start(mo_op **out, mo_session *s) {
    START("session.close", mo_session_close_op(op, s));
}

mo_status mo_result_next_start(mo_op **out, mo_result *r) {
    START("result.next", mo_result_next_op(op, r));
}

mo_status mo_op_continue(mo_op *op, int events) {
    const char *opname = "op.continue";
    mo_status st = mo_handle_enter(op, MO_HANDLE_OP, opname);
    if (st < 0) return st;
    if (op->done) {
        st = mo_error_set(MO_E_MISUSE, op->operation,
                          "the operation already finished; read its status with mo_op_finish");
    } else if (events & ~(MO_WAIT_READ | MO_WAIT_WRITE | MO_WAIT_EXCEPT | MO_WAIT_TIMEOUT)) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, opname, "unknown event bits 0x%x", (unsigned)events);
    } else {
        st = op_step(op, mo_conn_continue(op->conn, events));
    }
    mo_handle_leave(op);
    return st;
}

int mo_op_events(const mo_op *op) {
    if (!mo_handle_is_live(op, MO_HANDLE_OP) || op->done || !op->conn) return 0;
    return mo_conn_wait_events(op->conn);
}

int mo_op_socket(const mo_op *op) {
    if (!mo_handle_is_live(op, MO_HANDLE_OP) || op->done || !op->conn) return -1;
    return mo_conn_socket(op->conn);
}

unsigned mo_op_timeout_ms(const mo_op *op) {
    if (!mo_handle_is_live(op, MO_HANDLE_OP) || op->done || !op->conn) return 0;
    return mo_conn_timeout_ms(op->conn);
}

int mo_op_done(const mo_op *op) { return mo_handle_is_live(op, MO_HANDLE_OP) && op->done; }

mo_status mo_op_finish(mo_op *op) {
    mo_status st = mo_handle_check(op, MO_HANDLE_OP, "op.finish");
    if (st < 0) return st;
    if (!op->done)
        return mo_error_set(MO_E_MISUSE, op->operation,
                            "the operation is still pending (continue it until it is done)");
    if (op->status < 0 && op->has_error) mo_error_restore(&op->error, 1);
    return op->status;
}

static mo_status finish_output(mo_op *op, mo_op_output kind, void **out, const char *opname) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");
    *out = NULL;
    mo_status st = mo_op_finish(op);
    if (st < 0) return st;
    if (op->output_kind != kind)
        return mo_error_set(MO_E_MISUSE, opname, "this operation (%s) has no output of that kind",
                            op->operation);
    if (!op->output)
        return mo_error_set(MO_E_MISUSE, opname, "the output of this operation was already taken");
    *out = op->output;
    op->output = NULL;
    return MO_OK;
}

mo_status mo_op_finish_client(mo_op *op, mo_client **out) {
    return finish_output(op, MO_OP_OUT_CLIENT, (void **)out, "op.finish_client");
}

mo_status mo_op_finish_session(mo_op *op, mo_session **out) {
    return finish_output(op, MO_OP_OUT_SESSION, (void **)out, "op.finish_session");
}

mo_status mo_op_finish_result(mo_op *op, mo_result **out) {
    return finish_output(op, MO_OP_OUT_RESULT, (void **)out, "op.finish_result");
}

mo_status mo_op_cancel(mo_op *op) {
    mo_status st = mo_handle_enter(op, MO_HANDLE_OP, "op.cancel");
    if (st < 0) return st;
    op_cancel(op);
    mo_handle_leave(op);
    return MO_OK;
}

void mo_op_free(mo_op *op) {
    if (!op || !mo_handle_is_live(op, MO_HANDLE_OP)) return;
    mo_handle_unregister(&op->h);
    mo_op_release(op);
    free(op);
}
