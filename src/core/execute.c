/* src/core/execute.c — the one statement executor shared by clients, sessions and managers,
 * and the two small machines it is built from (draining extra result sets, finishing a
 * streaming result). Each is resumable (see "resumable machines" in connection.h): the
 * blocking mo_execute and the asynchronous operations run the same code. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errmsg.h>
#include "connection.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ extra result sets */

enum { DRAIN_BEGIN = 0, DRAIN_NEXT, DRAIN_STORE };

mo_status mo_drain_run(mo_conn *c, int *stage, mo_status st) {
    for (;;) {
        switch (*stage) {
        case DRAIN_NEXT:
            if (st < 0) return st;
            if (c->ret_int != 0) return MO_OK; /* -1: no more results */
            if (mysql_field_count(c->mysql)) {
                *stage = DRAIN_STORE;
                st = mo_conn_store_result_start(c);
                if (st == MO_AGAIN) return st;
                continue;
            }
            break;
        case DRAIN_STORE:
            if (st < 0) return st;
            mysql_free_result(c->ret_res);
            c->ret_res = NULL;
            break;
        default:
            break;
        }
        if (!mysql_more_results(c->mysql)) return MO_OK;
        *stage = DRAIN_NEXT;
        st = mo_conn_next_result_start(c);
        if (st == MO_AGAIN) return st;
    }
}

/* ------------------------------------------------------------------ finishing a stream */

enum { STREAM_BEGIN = 0, STREAM_FETCH, STREAM_DRAIN };

void mo_stream_end_init(mo_stream_end *m, mo_result *r, int abandoned) {
    m->stage = STREAM_BEGIN;
    m->drain = 0;
    m->abandoned = abandoned;
    m->r = r;
    mo_result_ref(r);
}

static mo_status stream_end_done(mo_stream_end *m, mo_status st) {
    mo_result *r = m->r;
    if (r->conn && r->conn->stream == r) r->conn->stream = NULL;
    r->done = 1;
    r->row = NULL;
    if (m->abandoned) r->abandoned = 1;
    m->r = NULL;
    mo_result_unref(r);
    return st;
}

/* The MYSQL_RES is kept, without I/O left in it, so column metadata stays valid until the
 * result is freed. libmariadb detaches the result from the connection (res->handle = NULL)
 * once it has seen the last row or an error. */
mo_status mo_stream_end_run(mo_stream_end *m, mo_status st) {
    mo_result *r = m->r;
    mo_conn *c = r->conn;
    for (;;) {
        switch (m->stage) {
        case STREAM_BEGIN:
            st = MO_OK;
            break;
        case STREAM_FETCH:
            break;
        case STREAM_DRAIN:
            st = mo_drain_run(c, &m->drain, st);
            if (st == MO_AGAIN) return st;
            return stream_end_done(m, st);
        }
        if (r->stmt && st > 0) {
            /* the binary protocol's fetch: MO_ROW, or MO_DONE at the end */
            if (st == MO_DONE) r->stmt_pending = 0;
            st = MO_OK;
        }
        if (st < 0) return stream_end_done(m, st);
        if (r->stmt && r->stmt_pending) {
            m->stage = STREAM_FETCH;
            st = mo_conn_stmt_fetch_start(c, r->stmt->handle);
            if (st == MO_AGAIN) return st;
            continue;
        }
        if (r->res && r->res->handle) {
            m->stage = STREAM_FETCH;
            st = mo_conn_fetch_row_start(c, r->res);
            if (st == MO_AGAIN) return st;
            continue;
        }
        /* A prepared statement's rows end its answer (no CALL runs in the binary protocol). */
        if (c->poisoned || r->stmt) return stream_end_done(m, MO_OK);
        m->stage = STREAM_DRAIN;
        st = MO_OK;
    }
}

void mo_stream_end_abort(mo_stream_end *m) {
    if (m->r) stream_end_done(m, MO_OK);
}

/* ------------------------------------------------------------------ the executor */

enum { EXEC_IDLE = 0, EXEC_BEGIN, EXEC_SETTLE, EXEC_PACKET_QUERY, EXEC_PACKET_STORE,
       EXEC_PACKET_KNOWN, EXEC_QUERY, EXEC_STORE, EXEC_DRAIN, EXEC_MORE, EXEC_MORE_NEXT,
       EXEC_MORE_STORE, EXEC_STMT_PREPARE, EXEC_STMT_EXECUTE, EXEC_STMT_STORE };

/* ------------------------------------------------------------------ max_allowed_packet
 * A statement larger than the server's max_allowed_packet makes the server drop the
 * connection (error 1153, the handle poisoned, an open transaction lost). The executor checks
 * before sending. The server's value is read once per connection, by the executor's packet
 * stage and nowhere else: lazily, when a statement could exceed it (every server takes at
 * least 1024 bytes, MariaDB's and MySQL's minimum, so small statements never cost the extra
 * round trip), or on request (mo_conn_max_packet: batch inserts and the bindings split rows
 * by it). MatrixOne answers every system variable as text, so the value is read as text and
 * parsed. */
#define MO_PACKET_FLOOR 1024u

uint64_t mo_parse_max_packet(const char *text, size_t len) {
    uint64_t v = 0;
    if (!text || len == 0 || len > 20) return 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') return 0;
        uint64_t d = (uint64_t)(text[i] - '0');
        if (v > (UINT64_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    return v < MO_PACKET_FLOOR ? MO_PACKET_FLOOR : v;
}

static const char packet_query[] = "SELECT @@max_allowed_packet";

/* Read the stored answer of packet_query into the connection's cache (left 0 when the
 * server's answer is not a number: then nothing is checked). */
static void exec_note_max_packet(mo_conn *c, MYSQL_RES *res) {
    MYSQL_ROW row = res && mysql_num_fields(res) == 1 ? mysql_fetch_row(res) : NULL;
    unsigned long *lengths = row ? mysql_fetch_lengths(res) : NULL;
    if (row && row[0] && lengths) c->max_allowed_packet = mo_parse_max_packet(row[0], lengths[0]);
}

/* MO_EXEC_MORE_RESULTS: chain the result set that just arrived (res may be NULL: the status
 * of a CALL) behind the ones already read. Every set is read at once, like the first one is
 * buffered: nothing stays pending on the wire, so no other call has to know about them. */
static mo_status exec_chain(mo_exec *ex, MYSQL_RES *res) {
    mo_result *r = NULL;
    mo_status st = mo_result_create(&r, ex->client, ex->session, ex->conn, res, 0, ex->operation);
    if (st < 0) return st;
    ex->tail->next_set = r;
    ex->tail = r;
    return MO_OK;
}

/* A statement that would switch the client character set to one where a multi-byte character
 * can end in a backslash or backtick (SET NAMES gbk) is not sent: every later quoted value or
 * identifier could be read differently by the server. Session tracking (conn.c) catches the
 * changes this cannot see (procedures, prepared statements, SET NAMES DEFAULT), so turning
 * the tracking of character_set_client off is refused too. */
mo_status mo_exec_refuse_unsafe_charset(const mo_buf *text, const char *operation) {
    char name[64];
    int kind = mo_sql_unsafe_charset_change(text->data ? text->data : "", text->len, name,
                                            sizeof name);
    if (!kind) return MO_OK;
    if (kind == MO_SQL_SET_UNTRACKED)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "refused to set session_track_system_variables to '%s': mocore "
                            "reads character_set_client from the server's session state to "
                            "keep quoted values intact, so the list must keep it (or '*')",
                            name);
    return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                        "refused to switch the client character set to '%s': in it a byte of a "
                        "multi-byte character can be a backslash or a backtick, so quoted values "
                        "and identifiers could not be kept intact (use utf8mb4)",
                        name);
}

/* A connection keeps the memory of the text it sent last for the next statement, up to
 * KEPT_TEXT_MAX: the statements of a loop fit in it, and rendering one allocates nothing. An
 * executor takes it while it has the connection entered (no other statement can render on
 * that connection meanwhile) and gives it back before leaving. */
#define KEPT_TEXT_MAX 16384

static void take_text(mo_exec *ex, mo_conn *conn) {
    ex->text = conn->text;
    mo_buf_init(&conn->text);
    mo_buf_reset(&ex->text);
}

static void give_back_text(mo_exec *ex, mo_conn *conn) {
    if (conn && !conn->text.data && ex->text.cap <= KEPT_TEXT_MAX) {
        conn->text = ex->text;
        mo_buf_init(&ex->text);
    } else {
        mo_buf_free(&ex->text);
    }
}

mo_status mo_exec_begin(mo_exec *ex, mo_client *client, mo_session *session, mo_conn *conn,
                        const char *sql, size_t len, const mo_params *params, unsigned flags,
                        int outcome_sensitive, const char *operation) {
    memset(ex, 0, sizeof *ex);
    mo_buf_init(&ex->text);
    if (!sql) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "sql is NULL");
    if (!mo_exec_flags_valid(flags & ~(MO_EXEC_TEXT_ONLY | MO_EXEC_BORROWED)))
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "unknown execute flags 0x%x",
                            flags & ~(MO_EXEC_TEXT_ONLY | MO_EXEC_BORROWED));
    if (conn) {
        if (!session && atomic_load(&conn->session_open))
            return mo_error_set(MO_E_MISUSE, operation,
                                "a session runs on this pooled client's connection; use the "
                                "session until it is closed");
        mo_status st = mo_conn_enter(conn, operation);
        if (st < 0) return st;
        take_text(ex, conn);
    }
    /* The cache entry of the text (NULL when it keeps none): the binary protocol's statement,
     * or for the text protocol where its `?` are and its answer-loss class. */
    mo_stmt *entry = conn && !(flags & MO_EXEC_TEXT_ONLY) ? mo_stmt_lookup(conn, sql, len, flags)
                                                          : NULL;
    mo_stmt *stmt = entry ? mo_stmt_choose(conn, client->kind, entry, flags) : NULL;
    mo_status st;
    if (stmt) {
        /* The binary protocol: nothing is rendered; the values are copied (they are sent
         * after an asynchronous start returned) unless they are a copy already or the caller
         * waits for the execution (a blocking call). */
        int copy = params && !mo_params_is_copy(params) && !(flags & MO_EXEC_BORROWED);
        ex->stmt = stmt;
        ex->template_sql = stmt->sql;
        ex->template_len = stmt->len;
        st = copy ? mo_params_copy_values(&conn->stmt_params, params, operation) : MO_OK;
        ex->params = copy ? conn->stmt_params : params;
        ex->wire_len = len + 16 + mo_params_wire_bytes(ex->params);
    } else {
        const char *charset = mo_conn_charset(conn, client ? client->kind : MO_SERVER_AUTO);
        size_t marks_found = 0;
        const size_t *marks = entry && params ? mo_stmt_placeholders(entry, &marks_found) : NULL;
        st = marks ? mo_params_render_at(&ex->text, sql, len, marks, marks_found, params, charset,
                                         operation)
                   : mo_params_render(&ex->text, sql, len, params, charset, operation);
        if (st >= 0 && !mo_buf_ok(&ex->text)) st = mo_error_oom(operation);
        /* A cached text starts with SELECT, INSERT, ... (never SET, statement.c): the values
         * in place of its `?` cannot make it a change of character set. */
        if (st >= 0 && !entry) st = mo_exec_refuse_unsafe_charset(&ex->text, operation);
    }
    if (st < 0) {
        give_back_text(ex, conn);
        if (conn) mo_conn_leave(conn);
        mo_stmt_unref(ex->stmt);
        ex->stmt = NULL;
        return st;
    }
    if (outcome_sensitive < 0) {
        int in_transaction = outcome_sensitive == MO_LOSS_CLASSIFY_IN_TRANSACTION;
        outcome_sensitive = entry ? mo_stmt_answer_loss(entry, in_transaction)
                                  : (int)mo_sql_answer_loss(sql, len, in_transaction);
    }
    ex->stage = EXEC_BEGIN;
    ex->client = client;
    ex->session = session;
    ex->conn = conn;
    ex->flags = flags;
    ex->outcome_sensitive = outcome_sensitive;
    ex->entered = conn != NULL;
    ex->operation = operation;
    /* A client's log mode is fixed (its config is a private copy): the clock is read, and the
     * log line made, only when it logs. */
    ex->logging = mo_log_enabled(client ? client->cfg : NULL, flags & 0xF0);
    if (ex->logging) ex->started = now_seconds();
    return MO_OK;
}

static const char *exec_text(mo_exec *ex) { return ex->text.data ? ex->text.data : ""; }

/* Log, release the connection, and hand out (or drop) the result. */
static mo_status exec_finish(mo_exec *ex, mo_status st) {
    if (st < 0 && ex->result) {
        mo_result_free(ex->result);
        ex->result = NULL;
    }
    if (ex->logging) {
        double elapsed = now_seconds() - ex->started;
        int64_t rows = -1;
        if (st >= 0 && ex->result && !ex->result->streaming)
            rows = (int64_t)ex->result->affected_rows;
        if (ex->binary && !ex->text.len) {
            /* The log shows the statement with its values, as for the text protocol. */
            mo_error_guard guard;
            mo_error_guard_begin(&guard);
            if (mo_params_render(&ex->text, ex->template_sql, ex->template_len, ex->params,
                                 mo_conn_charset(ex->conn, ex->client->kind), ex->operation) < 0)
                mo_buf_reset(&ex->text);
            mo_error_guard_end(&guard);
        }
        mo_log_query(ex->client->cfg, ex->flags & 0xF0, exec_text(ex), ex->text.len, elapsed,
                     rows, st >= 0);
    }
    mo_stmt_unref(ex->stmt);
    ex->stmt = NULL;
    /* Until here a lost answer (also of a later result set or of the rows of a write that
     * returns some) leaves the outcome as the statement's class says. */
    if (ex->conn) ex->conn->outcome_sensitive = MO_LOSS_READ_ONLY;
    give_back_text(ex, ex->entered ? ex->conn : NULL);
    if (ex->entered) mo_conn_leave(ex->conn);
    ex->entered = 0;
    ex->stage = EXEC_IDLE;
    return st;
}

/* The size of what is sent: the text, or about the binary protocol's execute packet. */
static size_t exec_size(const mo_exec *ex) { return ex->stmt ? ex->wire_len : ex->text.len; }

/* The binary protocol: bind the values and execute the prepared statement. */
static mo_status exec_execute_binary(mo_exec *ex) {
    mo_status st = mo_stmt_bind(ex->conn, ex->stmt, ex->params, ex->operation);
    if (st < 0) return st;
    ex->stage = EXEC_STMT_EXECUTE;
    ex->stepped = 1;
    return mo_conn_stmt_execute_start(ex->conn, ex->stmt->handle);
}

static mo_status exec_start_binary(mo_exec *ex) {
    mo_conn *c = ex->conn;
    ex->binary = 1;
    if (ex->stmt->prepared) return exec_execute_binary(ex);
    mo_status st = mo_stmt_open(c, ex->stmt, ex->operation);
    if (st < 0) return st;
    ex->stage = EXEC_STMT_PREPARE;
    ex->stepped = 1;
    return mo_conn_stmt_prepare_start(c, ex->stmt->handle, ex->stmt->sql, ex->stmt->len);
}

static mo_status exec_start_query(mo_exec *ex) {
    mo_conn *c = ex->conn;
    if (ex->packet_only) {
        /* The packet query was the statement: nothing more is sent. */
        ex->stage = EXEC_PACKET_KNOWN;
        return MO_OK;
    }
    c->operation = ex->operation;
    /* The COM_QUERY packet is the command byte and the text, and the server takes packets
     * shorter than max_allowed_packet (MariaDB refuses one of exactly that size). */
    if (c->max_allowed_packet && exec_size(ex) + 1 >= c->max_allowed_packet)
        return mo_error_set(MO_E_INVALID_ARGUMENT, ex->operation,
                            "the statement is %zu bytes, too large for the server's "
                            "max_allowed_packet of %llu bytes (at most %llu); nothing was sent",
                            exec_size(ex), (unsigned long long)c->max_allowed_packet,
                            (unsigned long long)c->max_allowed_packet - 2);
    c->outcome_sensitive = ex->outcome_sensitive;
    if (ex->stmt) return exec_start_binary(ex);
    ex->stage = EXEC_QUERY;
    ex->stepped = 1;
    return mo_conn_query_start(c, exec_text(ex), ex->text.len);
}

/* The server could not prepare the statement (a server error; the connection is fine): run
 * it in the text protocol this time, which reports the error itself if it is one. */
static mo_status exec_fall_back(mo_exec *ex) {
    const mo_error *e = mo_error_last();
    mo_stmt_refused(ex->stmt, e ? mo_error_server_code(e) : 0, e ? mo_error_message(e) : "");
    ex->conn->stmts.fallbacks++;
    if (ex->stmt->prepared) {
        /* a failed re-prepare leaves the statement unprepared on the server */
        ex->stmt->prepared = 0;
        ex->conn->stmts.prepared--;
    }
    ex->binary = 0;
    mo_status st = mo_params_render(&ex->text, ex->template_sql, ex->template_len, ex->params,
                                    mo_conn_charset(ex->conn, ex->client->kind), ex->operation);
    if (st >= 0 && !mo_buf_ok(&ex->text)) st = mo_error_oom(ex->operation);
    mo_stmt_unref(ex->stmt);
    ex->stmt = NULL;
    if (st < 0) return st;
    return exec_start_query(ex);
}

/* Before the statement: learn the server's max_allowed_packet when the statement could be
 * larger than it (or the size is all that was asked for) and it is not known yet. */
static mo_status exec_before_query(mo_exec *ex) {
    mo_conn *c = ex->conn;
    if (c->max_allowed_packet || (!ex->packet_only && exec_size(ex) + 1 < MO_PACKET_FLOOR))
        return exec_start_query(ex);
    c->operation = ex->operation;
    ex->stage = EXEC_PACKET_QUERY;
    ex->stepped = 1;
    return mo_conn_query_start(c, packet_query, sizeof packet_query - 1);
}

/* The packet query's step finished with st: go on to the statement unless the connection is
 * gone (a server error only leaves the size unchecked) or the size was all that was asked. */
static mo_status exec_packet_step_failed(mo_exec *ex, mo_status st) {
    if (ex->conn->poisoned || ex->packet_only) return st;
    return exec_start_query(ex);
}

mo_status mo_exec_run(mo_exec *ex, mo_status st) {
    mo_conn *c = ex->conn;
    for (;;) {
        /* A helper that starts a step sets `stepped`: a step that fails at once hands its
         * status to the stage it set (the next turn), as one that waited would; a failure
         * before any step ends the executor. */
        ex->stepped = 0;
        switch (ex->stage) {
        case EXEC_IDLE:
            return mo_error_set(MO_E_INTERNAL, ex->operation, "executor run while idle");
        case EXEC_BEGIN:
            if (!c) {
                /* Dry-run: journal the final SQL, hand out an empty result. */
                st = mo_client_journal_append(ex->client, exec_text(ex), ex->text.len, ex->operation);
                if (st >= 0)
                    st = mo_result_create(&ex->result, ex->client, ex->session, NULL, NULL, 0,
                                          ex->operation);
                return exec_finish(ex, st);
            }
            if (c->stream) {
                /* A streaming result still owns the wire: read it to its end first. */
                c->operation = "result.abandon";
                mo_stream_end_init(&ex->settle, c->stream, 1);
                ex->stage = EXEC_SETTLE;
                st = MO_OK;
                continue;
            }
            st = exec_before_query(ex);
            if (st == MO_AGAIN) return st;
            if (st < 0 && !ex->stepped) return exec_finish(ex, st);
            continue;
        case EXEC_SETTLE:
            st = mo_stream_end_run(&ex->settle, st);
            if (st == MO_AGAIN) return st;
            if (st < 0) return exec_finish(ex, st);
            st = exec_before_query(ex);
            if (st == MO_AGAIN) return st;
            if (st < 0 && !ex->stepped) return exec_finish(ex, st);
            continue;
        case EXEC_PACKET_QUERY:
            if (st < 0) {
                st = exec_packet_step_failed(ex, st);
            } else {
                ex->stage = EXEC_PACKET_STORE;
                ex->stepped = 1;
                st = mo_conn_store_result_start(c);
            }
            if (st == MO_AGAIN) return st;
            if (st < 0 && !ex->stepped) return exec_finish(ex, st);
            continue;
        case EXEC_PACKET_STORE:
            if (st < 0) {
                st = exec_packet_step_failed(ex, st);
            } else {
                exec_note_max_packet(c, c->ret_res);
                mysql_free_result(c->ret_res);
                c->ret_res = NULL;
                st = exec_start_query(ex);
            }
            if (st == MO_AGAIN) return st;
            if (st < 0 && !ex->stepped) return exec_finish(ex, st);
            continue;
        case EXEC_PACKET_KNOWN:
            return exec_finish(ex, MO_OK);
        case EXEC_QUERY:
            if (st < 0) return exec_finish(ex, st);
            if (!mysql_field_count(c->mysql)) {
                st = mo_result_create(&ex->result, ex->client, ex->session, c, NULL, 0, ex->operation);
                if (st < 0) return exec_finish(ex, st);
                if (ex->flags & MO_EXEC_MORE_RESULTS) {
                    ex->tail = ex->result;
                    ex->stage = EXEC_MORE;
                    continue;
                }
            } else if (ex->flags & MO_EXEC_STREAMING) {
                /* mysql_use_result does no I/O: rows are read by mo_result_next. */
                MYSQL_RES *res = mysql_use_result(c->mysql);
                if (!res)
                    return exec_finish(ex, mo_error_set_server(0, ex->operation, (int)mysql_errno(c->mysql),
                                                               mysql_sqlstate(c->mysql), mysql_error(c->mysql)));
                st = mo_result_create(&ex->result, ex->client, ex->session, c, res, 1, ex->operation);
                if (st < 0) {
                    /* The rows cannot be handed out nor read without a handle: the wire
                     * would be out of sync, so the connection is given up. */
                    c->poisoned = 1;
                    res->handle = NULL;
                    mysql_free_result(res);
                }
                return exec_finish(ex, st);
            } else {
                ex->stage = EXEC_STORE;
                st = mo_conn_store_result_start(c);
                if (st == MO_AGAIN) return st;
                continue;
            }
            ex->stage = EXEC_DRAIN;
            ex->drain = 0;
            st = MO_OK;
            continue;
        case EXEC_STORE: {
            if (st < 0) return exec_finish(ex, st);
            MYSQL_RES *res = c->ret_res;
            c->ret_res = NULL;
            /* Created before draining: affected rows and insert id belong to this set. */
            st = mo_result_create(&ex->result, ex->client, ex->session, c, res, 0, ex->operation);
            if (st < 0) {
                mysql_free_result(res);
                c->poisoned = 1; /* further result sets may be pending: never out of sync */
                return exec_finish(ex, st);
            }
            if (ex->flags & MO_EXEC_MORE_RESULTS) {
                ex->tail = ex->result;
                ex->stage = EXEC_MORE;
                continue;
            }
            ex->stage = EXEC_DRAIN;
            ex->drain = 0;
            st = MO_OK;
            continue;
        }
        case EXEC_DRAIN:
            st = mo_drain_run(c, &ex->drain, st);
            if (st == MO_AGAIN) return st;
            return exec_finish(ex, st);
        case EXEC_MORE:
            if (!mysql_more_results(c->mysql)) return exec_finish(ex, MO_OK);
            ex->stage = EXEC_MORE_NEXT;
            st = mo_conn_next_result_start(c);
            if (st == MO_AGAIN) return st;
            continue;
        case EXEC_MORE_NEXT:
            /* An error in a later set (a procedure failing after its first SELECTs) fails
             * the statement, as it does without the flag. */
            if (st < 0) return exec_finish(ex, st);
            if (c->ret_int != 0) return exec_finish(ex, MO_OK); /* -1: no more results */
            if (mysql_field_count(c->mysql)) {
                ex->stage = EXEC_MORE_STORE;
                st = mo_conn_store_result_start(c);
                if (st == MO_AGAIN) return st;
                continue;
            }
            st = exec_chain(ex, NULL);
            if (st < 0) {
                c->poisoned = 1; /* further result sets may be pending: never out of sync */
                return exec_finish(ex, st);
            }
            ex->stage = EXEC_MORE;
            continue;
        case EXEC_MORE_STORE: {
            if (st < 0) return exec_finish(ex, st);
            MYSQL_RES *res = c->ret_res;
            c->ret_res = NULL;
            st = exec_chain(ex, res);
            if (st < 0) {
                mysql_free_result(res);
                c->poisoned = 1;
                return exec_finish(ex, st);
            }
            ex->stage = EXEC_MORE;
            continue;
        }
        case EXEC_STMT_PREPARE:
            if (st < 0) {
                if (c->poisoned) return exec_finish(ex, st);
                st = exec_fall_back(ex);
            } else {
                if (!ex->stmt->prepared) {
                    ex->stmt->prepared = 1;
                    c->stmts.prepared++;
                }
                st = exec_execute_binary(ex);
            }
            if (st == MO_AGAIN) return st;
            if (st < 0 && !ex->stepped) return exec_finish(ex, st);
            continue;
        case EXEC_STMT_EXECUTE: {
            MYSQL_STMT *h = ex->stmt->handle;
            if (st < 0) {
                const mo_error *e = mo_error_last();
                /* 1615 "Prepared statement needs to be re-prepared" (MySQL, MatrixOne), or
                 * libmariadb's 2057 when the server re-prepared it itself and its columns
                 * changed (MariaDB after ALTER TABLE; the rows wait on the wire and the
                 * prepare reads and drops them): prepared again once, then executed. */
                int code = e ? mo_error_server_code(e) : 0;
                if (code == CR_NEW_STMT_METADATA && (ex->reprepared || c->poisoned))
                    mo_conn_give_up(c); /* rows pending and no re-prepare to read them */
                if (!c->poisoned && !ex->reprepared &&
                    (code == 1615 || code == CR_NEW_STMT_METADATA)) {
                    ex->reprepared = 1;
                    c->stmts.reprepares++;
                    ex->stage = EXEC_STMT_PREPARE;
                    st = mo_conn_stmt_prepare_start(c, h, ex->stmt->sql, ex->stmt->len);
                    if (st == MO_AGAIN) return st;
                    continue;
                }
                return exec_finish(ex, st);
            }
            if (mysql_stmt_field_count(h) && !(ex->flags & MO_EXEC_STREAMING)) {
                ex->stage = EXEC_STMT_STORE;
                st = mo_conn_stmt_store_result_start(c, h);
                if (st == MO_AGAIN) return st;
                continue;
            }
            /* no rows, or rows read by mo_result_next (the statement reads nothing yet) */
            st = mo_result_create_binary(&ex->result, ex->client, ex->session, c, ex->stmt,
                                         (ex->flags & MO_EXEC_STREAMING) != 0, ex->operation);
            ex->stmt = NULL;
            if (st < 0 && mysql_stmt_field_count(h) && (ex->flags & MO_EXEC_STREAMING))
                c->poisoned = 1; /* rows pending without a reader: never out of sync */
            return exec_finish(ex, st);
        }
        case EXEC_STMT_STORE:
            if (st < 0) return exec_finish(ex, st);
            st = mo_result_create_binary(&ex->result, ex->client, ex->session, c, ex->stmt, 0,
                                         ex->operation);
            ex->stmt = NULL;
            return exec_finish(ex, st);
        }
    }
}

void mo_exec_abort(mo_exec *ex) {
    if (ex->stage == EXEC_IDLE) {
        mo_stmt_unref(ex->stmt);
        ex->stmt = NULL;
        return;
    }
    mo_stream_end_abort(&ex->settle);
    exec_finish(ex, MO_E_INTERRUPTED);
}

/* Run a begun executor to its end, waiting on its connection with poll(). */
static mo_status exec_block(mo_exec *ex) {
    mo_status st = mo_exec_run(ex, MO_OK);
    while (st == MO_AGAIN) {
        st = mo_conn_continue(ex->conn, mo_conn_wait(ex->conn));
        if (st != MO_AGAIN) st = mo_exec_run(ex, st);
    }
    return st;
}

mo_status mo_execute(mo_result **out, mo_client *client, mo_session *session, mo_conn *conn,
                     const char *sql, size_t len, const mo_params *params, unsigned flags,
                     int outcome_sensitive, const char *operation) {
    *out = NULL;
    mo_exec ex;
    mo_status st = mo_exec_begin(&ex, client, session, conn, sql, len, params, flags,
                                 outcome_sensitive, operation);
    if (st < 0) return st;
    st = exec_block(&ex);
    if (st >= 0) *out = ex.result;
    return st;
}

mo_status mo_conn_max_packet(uint64_t *out, mo_client *client, mo_conn *conn,
                             const char *operation) {
    *out = 0;
    if (!conn) {
        *out = MO_DRY_RUN_MAX_PACKET;
        return MO_OK;
    }
    if (!conn->max_allowed_packet) {
        /* The executor's own packet stage, with packet_query as the statement (so it is
         * logged as what was sent) and nothing sent after it. */
        mo_exec ex;
        mo_status st = mo_exec_begin(&ex, client, NULL, conn, packet_query,
                                     sizeof packet_query - 1, NULL, 0, MO_LOSS_READ_ONLY,
                                     operation);
        if (st < 0) return st;
        ex.packet_only = 1;
        st = exec_block(&ex);
        if (st < 0) return st;
        if (!conn->max_allowed_packet)
            return mo_error_set(MO_E_INTERNAL, operation,
                                "%s did not return a number", packet_query);
    }
    *out = conn->max_allowed_packet;
    return MO_OK;
}
