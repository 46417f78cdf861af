/* src/core/kill.c — interrupting a running statement from a second connection.
 *
 * A statement in flight cannot be stopped on its own connection: the protocol has no cancel
 * message, and a connection abandoned mid-exchange is out of sync (mo_op_cancel poisons it).
 * The server can stop it, though: `KILL QUERY <id>` from another connection ends the statement
 * with ER_QUERY_INTERRUPTED (1317) as its answer, and its connection stays in sync — the
 * caller reads that answer (MO_E_INTERRUPTED) and goes on using the handle. The kill
 * connection is made from the client's configuration, used once and closed; the client
 * itself is only read (its private config never changes), so the kill can be sent from
 * another thread while the client is busy with the statement it kills. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "connection.h"

enum { KILL_CONNECT = 0, KILL_SEND, KILL_CLOSE, KILL_CLOSED };

static mo_status kill_run(mo_op *op, mo_status st) {
    mo_conn *conn = op->conn;
    switch (op->stage) {
    case KILL_CONNECT:
        op->stage = KILL_SEND;
        st = mo_conn_connect_start(conn, op->client->cfg, op->client->login_user);
        if (st == MO_AGAIN) return st;
        /* fall through */
    case KILL_SEND:
        if (st < 0) return st;
        op->stage = KILL_CLOSE;
        st = mo_conn_query_start(conn, op->stmt.data, op->stmt.len);
        if (st == MO_AGAIN) return st;
        /* fall through */
    case KILL_CLOSE:
        op->pending = st; /* the KILL's answer; the goodbye below cannot change it */
        if (st < 0) return st; /* a failed KILL leaves nothing to say goodbye to politely */
        op->stage = KILL_CLOSED;
        st = mo_conn_close_start(conn);
        if (st == MO_AGAIN) return st;
        /* fall through */
    case KILL_CLOSED:
        return op->pending;
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

mo_status mo_client_kill_query_op(mo_op *op, mo_client *c, uint64_t connection_id) {
    const char *opname = "client.kill_query";
    mo_op_init(op, opname, kill_run, &mo_client_op_owner);
    /* Checked, not entered: the client may be busy with the very statement to kill. */
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, opname);
    if (st < 0) return st;
    if (connection_id == 0)
        return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "connection_id is 0");
    char sql[48];
    int n = snprintf(sql, sizeof sql, "KILL QUERY %" PRIu64, connection_id);
    mo_buf_append(&op->stmt, sql, (size_t)n);
    if (!mo_buf_ok(&op->stmt)) return mo_error_oom(opname);
    if (c->cfg->dry_run) {
        st = mo_client_journal_append(c, op->stmt.data, op->stmt.len, opname);
        return st < 0 ? st : mo_op_complete(op, MO_OK);
    }
    st = mo_conn_new(&op->conn, c->cfg, opname);
    if (st < 0) return st; /* the caller releases the op (and its statement) */
    op->conn->operation = opname;
    op->client = c;
    mo_client_ref(c);
    return mo_op_begin(op);
}

mo_status mo_client_kill_query(mo_client *c, uint64_t connection_id) {
    mo_op op;
    return mo_op_block(&op, mo_client_kill_query_op(&op, c, connection_id), NULL);
}

mo_status mo_client_kill_query_start(mo_op **out, mo_client *c, uint64_t connection_id) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "client.kill_query");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_client_kill_query_op(op, c, connection_id));
}
