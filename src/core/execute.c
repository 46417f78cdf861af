/* src/core/execute.c — the one statement executor shared by clients, sessions and managers. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "connection.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static mo_status run_on_connection(mo_result **out, mo_client *client, mo_session *session,
                                   mo_conn *conn, const char *sql, size_t len, unsigned flags,
                                   int outcome_sensitive, const char *operation) {
    mo_status st = mo_conn_settle(conn, operation);
    if (st < 0) return st;
    conn->outcome_sensitive = outcome_sensitive;
    st = mo_conn_run(conn, mo_conn_query_start(conn, sql, len));
    conn->outcome_sensitive = 0;
    if (st < 0) return st;

    MYSQL_RES *res = NULL;
    int streaming = 0;
    if (mysql_field_count(conn->mysql)) {
        if (flags & MO_EXEC_STREAMING) {
            /* mysql_use_result does no I/O: rows are read by mo_result_next. */
            res = mysql_use_result(conn->mysql);
            if (!res) return mo_error_set_server(0, operation, (int)mysql_errno(conn->mysql),
                                                 mysql_sqlstate(conn->mysql), mysql_error(conn->mysql));
            streaming = 1;
        } else {
            st = mo_conn_run(conn, mo_conn_store_result_start(conn));
            if (st < 0) return st;
            res = conn->ret_res;
            conn->ret_res = NULL;
        }
    }
    st = mo_result_create(out, client, session, conn, res, streaming, operation);
    if (st < 0) {
        if (res) {
            /* Keep the wire in sync even when we cannot hand the rows out. */
            mo_conn_run(conn, mo_conn_free_result_start(conn, res));
            mo_conn_drain_more_results(conn);
        }
        return st;
    }
    if (!streaming && (flags & MO_EXEC_MORE_RESULTS)) {
        mo_result_keep_more(*out, conn);
    } else if (!streaming) {
        st = mo_conn_drain_more_results(conn);
        if (st < 0) {
            mo_result_free(*out);
            *out = NULL;
            return st;
        }
    }
    return MO_OK;
}

mo_status mo_execute(mo_result **out, mo_client *client, mo_session *session, mo_conn *conn,
                     const char *sql, size_t len, const mo_params *params, unsigned flags,
                     int outcome_sensitive, const char *operation) {
    *out = NULL;
    if (!sql) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "sql is NULL");
    if (flags & ~(unsigned)(MO_EXEC_STREAMING | MO_EXEC_MORE_RESULTS | 0xF0) ||
        (flags & 0xF0) > MO_EXEC_LOG_AUTO)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "unknown execute flags 0x%x", flags);
    if ((flags & MO_EXEC_STREAMING) && (flags & MO_EXEC_MORE_RESULTS))
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "MO_EXEC_MORE_RESULTS needs a buffered result, not MO_EXEC_STREAMING");
    if (conn) {
        mo_status st = mo_conn_enter(conn, operation);
        if (st < 0) return st;
    }

    mo_buf text;
    mo_buf_init(&text);
    mo_status st = mo_params_render(&text, sql, len, params,
                                    conn ? mo_conn_no_backslash_escapes(conn) : 0, operation);
    if (st >= 0 && !mo_buf_ok(&text)) st = mo_error_oom(operation);
    if (st < 0) {
        if (conn) mo_conn_leave(conn);
        mo_buf_free(&text);
        return st;
    }

    double started = now_seconds();
    if (!conn) {
        st = mo_client_journal_append(client, text.data ? text.data : "", text.len, operation);
        if (st >= 0) st = mo_result_create(out, client, session, NULL, NULL, 0, operation);
    } else {
        st = run_on_connection(out, client, session, conn, text.data ? text.data : "", text.len,
                               flags, outcome_sensitive, operation);
    }
    double elapsed = now_seconds() - started;

    int64_t rows = -1;
    if (st >= 0 && *out && !(*out)->streaming) rows = (int64_t)(*out)->affected_rows;
    mo_log_query(client->cfg, flags & 0xF0, text.data ? text.data : "", text.len, elapsed, rows,
                 st >= 0);
    if (conn) mo_conn_leave(conn);
    mo_buf_free(&text);
    return st;
}
