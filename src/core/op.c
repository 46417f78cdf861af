/* src/core/op.c — mo_op: one operation in flight, and the one driver of every machine.
 *
 * An op wraps one resumable machine (client.c, session.c, result.c) and the connection whose
 * step is in flight. The blocking API runs an op on its own stack with mo_op_wait (poll +
 * continue); the asynchronous API hands the same op to the caller, who waits in their own
 * event loop and calls mo_op_continue. Nothing else differs. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "connection.h"

_Static_assert(MO_WAIT_READ == MYSQL_WAIT_READ && MO_WAIT_WRITE == MYSQL_WAIT_WRITE &&
                   MO_WAIT_EXCEPT == MYSQL_WAIT_EXCEPT && MO_WAIT_TIMEOUT == MYSQL_WAIT_TIMEOUT,
               "MO_WAIT_* are passed to libmariadb unchanged");

void mo_op_init(mo_op *op, const char *operation, mo_op_run_fn run, const mo_op_owner *owner) {
    /* Every operation starts here; no error record is part of it (see mo_op_complete). */
    memset(op, 0, sizeof *op);
    op->operation = operation;
    op->run = run;
    op->owner = owner;
    mo_buf_init(&op->stmt);
}

mo_status mo_op_new(mo_op **op, mo_op **out, const char *operation) {
    *op = NULL;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "out is NULL");
    *out = NULL;
    *op = calloc(1, sizeof **op);
    return *op ? MO_OK : mo_error_oom(operation);
}

mo_status mo_op_complete(mo_op *op, mo_status st) {
    op->done = 1;
    op->status = st;
    if (st < 0) {
        /* Built only for a failure: mo_op_finish hands it out (maybe on another thread). */
        const mo_error *e = mo_error_last();
        if (e && !op->error) op->error = malloc(sizeof *op->error);
        if (e && op->error) mo_error_copy(op->error, e);
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

mo_status mo_op_resume(mo_op *op, mo_status st) { return op_step(op, st); }

double mo_monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds until the op's own deadline (rounded up; 0 when it passed). */
static unsigned self_timeout_ms(const mo_op *op) {
    double left = op->self_deadline - mo_monotonic_seconds();
    if (left <= 0) return 0;
    double ms = left * 1000.0 + 0.999;
    return ms > 4e9 ? 4000000000u : (unsigned)ms;
}

static int self_events_wanted(const mo_op *op) {
    return MO_WAIT_READ | (op->self_deadline > 0 ? MO_WAIT_TIMEOUT : 0);
}

/* The op's own wait is over (events happened, or a spurious wake-up): run the machine. */
static mo_status self_step(mo_op *op, int events) {
    op->self_waiting = 0;
    op->self_events = events;
    return op_step(op, MO_OK);
}

/* Blocking: one poll() on the op's own descriptor. */
static int self_wait(const mo_op *op) {
    struct pollfd p = {.fd = op->self_fd, .events = POLLIN};
    int timeout = op->self_deadline > 0 ? (int)self_timeout_ms(op) : -1;
    int n;
    do {
        n = poll(&p, 1, timeout);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return MO_WAIT_TIMEOUT;
    return MO_WAIT_READ;
}

mo_status mo_op_begin(mo_op *op) {
    op->stage = 0;
    op->begun = 1;
    return op_step(op, MO_OK);
}

mo_status mo_op_wait(mo_op *op, mo_status st) {
    while (st == MO_AGAIN) {
        if (op->self_waiting) st = self_step(op, self_wait(op));
        else st = op_step(op, mo_conn_continue(op->conn, mo_conn_wait(op->conn)));
    }
    return st;
}

/* A pending op's connection is mid-step: nothing can be sent on it again without reading what
 * the step was waiting for, so it is given up (poisoned) and every machine let go without
 * I/O. The thread's last error is not touched. */
static void op_cancel(mo_op *op) {
    if (op->done || !op->begun) return;
    mo_error_guard guard;
    mo_error_guard_begin(&guard);
    if (op->conn) mo_conn_give_up(op->conn);
    mo_exec_abort(&op->ex);
    mo_stream_end_abort(&op->se);
    if (op->owner && op->owner->abandon) op->owner->abandon(op);
    mo_error_set(MO_E_INTERRUPTED, op->operation,
                 "cancelled by the caller; its connection was closed (the handle is poisoned)");
    mo_op_complete(op, MO_E_INTERRUPTED);
    mo_error_guard_end(&guard);
}

void mo_op_release(mo_op *op) {
    mo_error_guard guard;
    mo_error_guard_begin(&guard);
    op_cancel(op);
    if (op->owner) op->owner->release(op);
    mo_conn_unref(op->conn);
    op->conn = NULL;
    mo_buf_free(&op->stmt);
    mo_params_free_copy(op->params);
    op->params = NULL;
    mo_error_kept_free(&op->kept);
    free(op->error);
    op->error = NULL;
    mo_error_guard_end(&guard);
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

/* ------------------------------------------------------------------ the public API
 * (each mo_*_start lives beside its blocking twin, in its noun's file) */

mo_status mo_op_continue(mo_op *op, int events) {
    const char *opname = "op.continue";
    mo_status st = mo_handle_enter(op, MO_HANDLE_OP, opname);
    if (st < 0) return st;
    if (op->done) {
        st = mo_error_set(MO_E_MISUSE, op->operation,
                          "the operation already finished; read its status with mo_op_finish");
    } else if (events & ~(MO_WAIT_READ | MO_WAIT_WRITE | MO_WAIT_EXCEPT | MO_WAIT_TIMEOUT)) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, opname, "unknown event bits 0x%x", (unsigned)events);
    } else if (op->self_waiting) {
        st = self_step(op, events);
    } else {
        st = op_step(op, mo_conn_continue(op->conn, events));
    }
    mo_handle_leave(op);
    return st;
}

int mo_op_events(const mo_op *op) {
    if (!mo_handle_is_live(op, MO_HANDLE_OP) || op->done) return 0;
    if (op->self_waiting) return self_events_wanted(op);
    if (!op->conn) return 0;
    return mo_conn_wait_events(op->conn);
}

int mo_op_socket(const mo_op *op) {
    if (!mo_handle_is_live(op, MO_HANDLE_OP) || op->done) return -1;
    if (op->self_waiting) return op->self_fd;
    if (!op->conn) return -1;
    return mo_conn_socket(op->conn);
}

unsigned mo_op_timeout_ms(const mo_op *op) {
    if (!mo_handle_is_live(op, MO_HANDLE_OP) || op->done) return 0;
    if (op->self_waiting) return op->self_deadline > 0 ? self_timeout_ms(op) : 0;
    if (!op->conn) return 0;
    return mo_conn_timeout_ms(op->conn);
}

int mo_op_done(const mo_op *op) { return mo_handle_is_live(op, MO_HANDLE_OP) && op->done; }

mo_status mo_op_finish(mo_op *op) {
    mo_status st = mo_handle_check(op, MO_HANDLE_OP, "op.finish");
    if (st < 0) return st;
    if (!op->done)
        return mo_error_set(MO_E_MISUSE, op->operation,
                            "the operation is still pending (continue it until it is done)");
    if (op->status < 0 && op->error) mo_error_restore(op->error);
    return op->status;
}

static mo_status finish_output(mo_op *op, mo_op_output kind, void **out, const char *opname) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");
    *out = NULL;
    mo_status st = mo_op_finish(op);
    if (st < 0) return st;
    if (!op->owner || op->owner->output != kind)
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
