/* src/core/conn.c — one server connection over libmariadb's non-blocking API.
 *
 * Each operation is started with a *_start call and continued with mo_conn_continue() until
 * libmariadb stops asking for socket events. Completion is checked in one place
 * (finish_operation) so error classification and poisoning are the same for every step. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <errmsg.h>
#include "connection.h"
#include "local_infile.h"

static unsigned seconds_rounded_up(unsigned ms) { return ms ? (ms + 999) / 1000 : 0; }

mo_status mo_conn_new(mo_conn **out, const struct mo_config *cfg, const char *operation) {
    *out = NULL;
    mo_conn *c = calloc(1, sizeof *c);
    if (!c) return mo_error_oom(operation);
    c->mysql = mysql_init(NULL);
    if (!c->mysql) {
        free(c);
        return mo_error_oom(operation);
    }
    atomic_init(&c->refs, 1);
    atomic_init(&c->busy, 0);
    c->process = mo_process_generation();
    mo_stmt_cache_init(&c->stmts, cfg);
    c->wait_function = cfg->wait_function;
    c->wait_function_userdata = cfg->wait_function_userdata;

    MYSQL *m = c->mysql;
    int failed = 0;
    failed |= mysql_options(m, MYSQL_OPT_NONBLOCK, 0);
    failed |= mysql_options(m, MYSQL_SET_CHARSET_NAME, MO_SQL_DEFAULT_CHARSET);
    strcpy(c->charset, MO_SQL_DEFAULT_CHARSET);
    /* libmariadb takes timeouts in whole seconds; round up so a short timeout never becomes
     * "no timeout". */
    unsigned connect_s = seconds_rounded_up(cfg->connect_timeout_ms ? cfg->connect_timeout_ms : 30000);
    unsigned read_s = seconds_rounded_up(cfg->read_timeout_ms);
    unsigned write_s = seconds_rounded_up(cfg->write_timeout_ms);
    failed |= mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_s);
    if (read_s) failed |= mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &read_s);
    if (write_s) failed |= mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &write_s);
    /* Never reconnect behind the caller's back: a lost connection must surface. */
    my_bool no = 0, yes = 1;
    failed |= mysql_options(m, MYSQL_OPT_RECONNECT, &no);
    /* LOAD DATA LOCAL stays off until a caller allows it for listed directories; even then
     * only mocore's handler decides which file is sent (local_infile.c). */
    failed |= mo_local_infile_install(m, cfg);

    /* The transport is said to libmariadb, never left to its "localhost" rule when chosen. */
    if (cfg->transport != MO_TRANSPORT_AUTO) {
        unsigned protocol = cfg->transport == MO_TRANSPORT_TCP ? MYSQL_PROTOCOL_TCP
                                                               : MYSQL_PROTOCOL_SOCKET;
        failed |= mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    }
    if (cfg->tls_ca) failed |= mysql_optionsv(m, MYSQL_OPT_SSL_CA, cfg->tls_ca);
    if (cfg->tls_cert) failed |= mysql_optionsv(m, MYSQL_OPT_SSL_CERT, cfg->tls_cert);
    if (cfg->tls_key) failed |= mysql_optionsv(m, MYSQL_OPT_SSL_KEY, cfg->tls_key);
    switch (cfg->tls_mode) {
    case MO_TLS_DISABLED:
        /* No TLS even if paths were given. */
        failed |= mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &no);
        m->options.use_ssl = 0;
        break;
    case MO_TLS_PREFERRED:
        /* libmariadb uses TLS when it has TLS options and the server offers it. */
        break;
    case MO_TLS_REQUIRED:
        c->require_tls = 1;
        failed |= mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
        failed |= mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &no);
        break;
    case MO_TLS_VERIFY_CA:
    case MO_TLS_VERIFY_IDENTITY:
        /* libmariadb verifies the chain and the host name together. */
        c->require_tls = 1;
        failed |= mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
        failed |= mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
        break;
    }
    if (failed) {
        mysql_close(m);
        free(c);
        return mo_error_set(MO_E_INTERNAL, operation, "libmariadb rejected a connection option");
    }
    *out = c;
    return MO_OK;
}

/* One poll() for the events the step in flight waits for: the MYSQL_WAIT_* bits that
 * happened, MYSQL_WAIT_TIMEOUT when timeout_ms (-1: none) passed, -1 when poll() failed. */
static int poll_socket(const mo_conn *c, int timeout_ms) {
    struct pollfd p = {.fd = mysql_get_socket(c->mysql), .events = 0};
    if (c->wait & MYSQL_WAIT_READ) p.events |= POLLIN;
    if (c->wait & MYSQL_WAIT_WRITE) p.events |= POLLOUT;
    if (c->wait & MYSQL_WAIT_EXCEPT) p.events |= POLLPRI;
    int n;
    do {
        n = poll(&p, 1, timeout_ms);
    } while (n < 0 && errno == EINTR);
    if (n == 0) return MYSQL_WAIT_TIMEOUT;
    if (n < 0) return -1;
    int ready = 0;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) ready |= MYSQL_WAIT_READ;
    if (p.revents & (POLLOUT | POLLHUP | POLLERR)) ready |= MYSQL_WAIT_WRITE;
    if (p.revents & POLLPRI) ready |= MYSQL_WAIT_EXCEPT;
    return ready & (c->wait | MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
}

void mo_conn_ref(mo_conn *c) { atomic_fetch_add(&c->refs, 1); }

static int conn_inherited(const mo_conn *c) { return c->process != mo_process_generation(); }

/* Free an inherited connection without a byte on the wire. mysql_close says goodbye (COM_QUIT
 * and, over TLS, close_notify) on the socket the parent still uses: its descriptor is pointed
 * at /dev/null first, so what libmariadb writes goes nowhere and its close closes only this
 * process's descriptor. (shutdown() would end the parent's connection: the socket is shared.) */
static void conn_free_inherited(mo_conn *c) {
    if (c->mysql) {
        my_socket fd = mysql_get_socket(c->mysql);
        if (fd != MARIADB_INVALID_SOCKET) {
            int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (devnull >= 0) {
                dup2(devnull, fd);
                close(devnull);
            } else {
                /* No /dev/null: leak the MYSQL rather than write on the parent's socket. */
                free(c);
                return;
            }
        }
        mysql_close(c->mysql);
    }
    mo_stmt_cache_clear(c);
    free(c);
}

void mo_conn_unref(mo_conn *c) {
    if (!c || atomic_fetch_sub(&c->refs, 1) != 1) return;
    if (conn_inherited(c)) {
        conn_free_inherited(c);
        return;
    }
    /* Best effort goodbye, through the same close step the asynchronous close uses, but
     * bounded: a server that is gone or slow must not hold up a release. A poisoned
     * connection may be mid-operation: just drop the socket. */
    if (c->mysql && c->connected && !c->poisoned && c->op == MO_CONN_OP_NONE) {
        mo_status st = mo_conn_close_start(c);
        while (st == MO_AGAIN) {
            int ready = poll_socket(c, 1000);
            if (ready < 0 || ready == MYSQL_WAIT_TIMEOUT) break;
            st = mo_conn_continue(c, ready);
        }
    }
    /* Closing the MYSQL detaches its prepared statements: the cache then frees memory only
     * (the server drops a connection's statements with it). */
    if (c->mysql) mysql_close(c->mysql);
    mo_stmt_cache_clear(c);
    free(c);
}

/* The refusal of a connection whose client character set became unsafe. */
static mo_status unsafe_charset_error(const mo_conn *c, const char *operation) {
    return mo_error_set(MO_E_MISUSE, operation,
                        "the server reported client character set %s, in which a byte of a "
                        "multi-byte character can be a backslash or a backtick, so quoted "
                        "values and identifiers cannot be kept intact; nothing more is sent "
                        "on this connection (close the handle)",
                        c->unsafe_charset);
}

mo_status mo_conn_enter(mo_conn *c, const char *operation) {
    if (conn_inherited(c))
        return mo_error_set(MO_E_MISUSE, operation,
                            "the connection was made in a parent process; use it only there "
                            "(this is process %d, a child of fork())", mo_process_pid());
    if (c->unsafe_charset[0]) return unsafe_charset_error(c, operation);
    if (c->poisoned)
        return mo_error_set(MO_E_MISUSE, operation,
                            "the connection was lost earlier; this handle can only be closed");
    if (atomic_exchange(&c->busy, 1))
        return mo_error_set(MO_E_MISUSE, operation,
                            "the connection is in use by another call or a pending asynchronous "
                            "operation (one call at a time)");
    return MO_OK;
}

void mo_conn_leave(mo_conn *c) { atomic_store(&c->busy, 0); }

const char *mo_conn_charset(const mo_conn *c, mo_server_kind kind) {
    if (kind == MO_SERVER_MATRIXONE) return MO_SQL_NO_INTRODUCER;
    return c && c->charset[0] ? c->charset : MO_SQL_DEFAULT_CHARSET;
}

/* Session state tracking: MariaDB (and MySQL 5.7+) report, in the OK packet of any statement
 * that changed them, the new values of the variables in session_track_system_variables;
 * character_set_client is in its default list. Whatever statement made the change (SET
 * NAMES, SET CHARACTER SET, an executable comment, a prepared statement, a procedure), the
 * value the server reports is the one it lexes the next statement with. An unsafe one gives
 * the connection up before anything else is sent on it. Returns st, or the refusal. */
static mo_status track_session_state(mo_conn *c, mo_status st) {
    const char *data = NULL;
    size_t len = 0;
    if (!c->mysql || mysql_session_track_get_first(c->mysql, SESSION_TRACK_SYSTEM_VARIABLES,
                                                   &data, &len) != 0)
        return st;
    /* The entries come as name, value, name, value... */
    for (;;) {
        const char *name = data;
        size_t name_len = len;
        if (mysql_session_track_get_next(c->mysql, SESSION_TRACK_SYSTEM_VARIABLES, &data,
                                         &len) != 0)
            break;
        static const char client[] = "character_set_client";
        if (name_len == sizeof client - 1 && memcmp(name, client, name_len) == 0) {
            size_t n = len < sizeof c->charset - 1 ? len : sizeof c->charset - 1;
            if (mo_sql_charset_is_safe(data, len) && n == len) {
                memcpy(c->charset, data, n);
                c->charset[n] = '\0';
            } else if (!c->unsafe_charset[0]) {
                memcpy(c->unsafe_charset, data, n);
                c->unsafe_charset[n] = '\0';
                if (!c->unsafe_charset[0]) strcpy(c->unsafe_charset, "(empty)");
            }
        }
        if (mysql_session_track_get_next(c->mysql, SESSION_TRACK_SYSTEM_VARIABLES, &data,
                                         &len) != 0)
            break;
    }
    if (!c->unsafe_charset[0]) return st;
    mo_conn_give_up(c);
    return unsafe_charset_error(c, c->operation);
}

int mo_conn_wait_events(const mo_conn *c) { return c->wait; }
int mo_conn_socket(const mo_conn *c) { return c->mysql ? (int)mysql_get_socket(c->mysql) : -1; }
unsigned mo_conn_timeout_ms(const mo_conn *c) {
    return c->mysql && (c->wait & MYSQL_WAIT_TIMEOUT) ? mysql_get_timeout_value_ms(c->mysql) : 0;
}

/* ------------------------------------------------------------------ completion */

/* libmariadb says why a connect failed as a system error number, "Can't connect to server on
 * '127.0.0.1' (111)": the words people search logs for are added to that ("...: connection
 * refused"), as other drivers print them. NULL when there is nothing to add. */
static const char *connect_failure_words(const char *message, int timed_out) {
    if (timed_out) return "timed out";
    size_t n = strlen(message);
    if (n < 3 || message[n - 1] != ')') return NULL;
    size_t i = n - 1;
    int number = 0, scale = 1;
    while (i > 0 && message[i - 1] >= '0' && message[i - 1] <= '9' && scale <= 10000) {
        number += (message[i - 1] - '0') * scale;
        scale *= 10;
        i--;
    }
    if (i == n - 1 || i == 0 || message[i - 1] != '(') return NULL;
    switch (number) {
    case ECONNREFUSED: return "connection refused";
    case ETIMEDOUT: return "timed out";
    case EHOSTUNREACH: return "no route to host";
    case ENETUNREACH: return "network is unreachable";
    case ECONNRESET: return "connection reset by peer";
    case ENOENT: return "no such socket file";
    case EACCES: return "permission denied";
    default: return NULL;
    }
}

/* The current libmariadb error as a mocore error, poisoning the connection when the wire
 * state can no longer be trusted. */
static mo_status fail_with(mo_conn *c, int code, const char *message, const char *sqlstate);

static mo_status fail_from_mysql(mo_conn *c) {
    return fail_with(c, (int)mysql_errno(c->mysql), mysql_error(c->mysql),
                     mysql_sqlstate(c->mysql));
}

/* The error of the statement step in flight: libmariadb keeps it in the MYSQL_STMT (a lost
 * connection too), and in the MYSQL only for some. */
static mo_status fail_from_stmt(mo_conn *c) {
    MYSQL_STMT *s = c->op_stmt;
    if (!s || !mysql_stmt_errno(s)) return fail_from_mysql(c);
    return fail_with(c, (int)mysql_stmt_errno(s), mysql_stmt_error(s), mysql_stmt_sqlstate(s));
}

static mo_status fail_with(mo_conn *c, int code, const char *message, const char *sqlstate) {
    mo_status category = code ? mo_error_category_for_server(code, message) : MO_E_INTERNAL;
    if (!code) {
        /* libmariadb gives up on some malformed server packets without setting an error
         * (found by tests/fuzz/fuzz_server.c): the answer is lost like a dropped one. */
        category = MO_E_CONNECTION_LOST;
        message = "the server's answer is malformed (libmariadb failed without an error)";
        c->poisoned = 1;
    }
    /* Client-side (2xxx) errors, kills and shutdowns leave the protocol state unknown. Not
     * CR_NEW_STMT_METADATA: a prepared statement's columns changed (ALTER TABLE) and its rows
     * wait on the wire, read and dropped by the re-prepare the executor does next. */
    if (((code >= 2000 && code < 3000) && !(code == CR_NEW_STMT_METADATA &&
                                             c->op == MO_CONN_OP_STMT_EXECUTE)) ||
        code == 1927 || code == 1053 || c->timed_out)
        c->poisoned = 1;
    if (c->op == MO_CONN_OP_CONNECT) {
        if (category == MO_E_CONNECTION_LOST) category = MO_E_CONNECT;
        c->poisoned = 1;
    }
    if (c->cancelled) {
        c->poisoned = 1;
        return mo_error_set(MO_E_INTERRUPTED, c->operation,
                            c->outcome_sensitive == MO_LOSS_UNKNOWN
                                ? "cancelled by the wait function; its connection was closed (the "
                                  "handle is poisoned) and the statement may or may not have "
                                  "taken effect"
                                : "cancelled by the wait function; its connection was closed (the "
                                  "handle is poisoned)");
    }
    /* The answer is lost: the read timed out, or the connection was reset or killed. What
     * that means depends on the statement (mo_sql_answer_loss), not on how it was lost. */
    if (c->op != MO_CONN_OP_CONNECT && (c->timed_out || category == MO_E_CONNECTION_LOST)) {
        /* Give the connection up at once: the server sees it end and rolls back what it had
         * open, instead of keeping locks until the handle is closed. */
        if (c->timed_out) mo_conn_give_up(c);
        c->poisoned = 1;
        const char *how = c->timed_out ? "no answer within the read/write timeout"
                                       : "the connection was lost";
        const char *detail = code ? message : "timeout";
        char text[640];
        switch ((mo_answer_loss)c->outcome_sensitive) {
        case MO_LOSS_UNKNOWN:
            snprintf(text, sizeof text,
                     "%s after the statement was sent; it may or may not have taken effect (%s)",
                     how, detail);
            return mo_error_set_server(MO_E_OUTCOME_UNKNOWN, c->operation, code,
                                       sqlstate, text);
        case MO_LOSS_ROLLED_BACK:
            snprintf(text, sizeof text,
                     "%s inside a transaction; the connection was given up and the server rolls "
                     "the transaction back: nothing of it is committed (%s)", how, detail);
            return mo_error_set_server(MO_E_CONNECTION_LOST, c->operation, code,
                                       sqlstate, text);
        case MO_LOSS_READ_ONLY:
            break;
        }
    }
    /* A read-only statement, or a connect, that ran into the timeout. */
    if (c->timed_out) category = MO_E_TIMEOUT;
    const char *words = c->op == MO_CONN_OP_CONNECT ? connect_failure_words(message, c->timed_out)
                                                    : NULL;
    if (words) {
        char text[640];
        snprintf(text, sizeof text, "%s: %s", message, words);
        return mo_error_set_server(category, c->operation, code, sqlstate, text);
    }
    return mo_error_set_server(category, c->operation, code, sqlstate, message);
}

static mo_status finish_operation(mo_conn *c) {
    mo_status st = MO_OK;
    switch (c->op) { /* c->op stays set until the end: fail_from_mysql reads it */
    case MO_CONN_OP_CONNECT:
        if (!c->ret_mysql) {
            st = fail_from_mysql(c);
        } else if (c->require_tls && !mysql_get_ssl_cipher(c->mysql)) {
            /* Checked here, not left to libmariadb: some versions fall back to plain text
             * when the server offers no TLS, even with TLS enforced. */
            c->connected = 1;
            c->poisoned = 1;
            st = mo_error_set(MO_E_CONNECT, c->operation,
                              "TLS is required but the server did not negotiate TLS");
        } else {
            c->connected = 1;
        }
        break;
    case MO_CONN_OP_QUERY:
    case MO_CONN_OP_PING:
    case MO_CONN_OP_RESET:
        /* COM_RESET_CONNECTION drops the server's prepared statements (libmariadb detaches
         * their handles): the cache forgets them */
        if (c->op == MO_CONN_OP_RESET) mo_stmt_cache_forget(c);
        if (c->ret_int) st = fail_from_mysql(c);
        else if (c->op != MO_CONN_OP_PING) st = track_session_state(c, st);
        break;
    case MO_CONN_OP_NEXT_RESULT:
        if (c->ret_int > 0) st = fail_from_mysql(c);
        else st = track_session_state(c, st);
        break;
    case MO_CONN_OP_STORE_RESULT:
        if (!c->ret_res && mysql_errno(c->mysql)) st = fail_from_mysql(c);
        break;
    case MO_CONN_OP_FETCH_ROW:
        if (!c->ret_row && mysql_errno(c->mysql)) st = fail_from_mysql(c);
        break;
    case MO_CONN_OP_CLOSE:
        /* libmariadb freed the MYSQL when the close finished. */
        c->mysql = NULL;
        c->connected = 0;
        break;
    case MO_CONN_OP_STMT_PREPARE:
    case MO_CONN_OP_STMT_EXECUTE:
    case MO_CONN_OP_STMT_STORE_RESULT:
        if (c->ret_int) st = fail_from_stmt(c);
        else if (c->op == MO_CONN_OP_STMT_EXECUTE) st = track_session_state(c, st);
        break;
    case MO_CONN_OP_STMT_FETCH:
        /* MYSQL_DATA_TRUNCATED cannot happen: no buffers are bound (statement.c) */
        if (c->ret_int == 0) st = MO_ROW;
        else if (c->ret_int == MYSQL_NO_DATA) st = MO_DONE;
        else st = fail_from_stmt(c);
        break;
    case MO_CONN_OP_STMT_CLOSE:
    case MO_CONN_OP_FREE_RESULT:
    case MO_CONN_OP_NONE:
        break;
    }
    c->op = MO_CONN_OP_NONE;
    c->timed_out = 0;
    return st;
}

static mo_status after_step(mo_conn *c, int wait) {
    c->wait = wait;
    /* LOAD DATA LOCAL progress: the read handler ran inside the step (libmariadb's coroutine,
     * its small stack); the callback is told here, back on the caller's stack. */
    if (c->op == MO_CONN_OP_QUERY) mo_local_infile_report(c->mysql);
    if (wait) return MO_AGAIN;
    return finish_operation(c);
}

static void begin_operation(mo_conn *c, mo_conn_op op) {
    c->op = op;
    c->timed_out = 0;
}

/* ------------------------------------------------------------------ operations */

mo_status mo_conn_connect_start(mo_conn *c, const struct mo_config *cfg, const char *login_user) {
    begin_operation(c, MO_CONN_OP_CONNECT);
    const char *db = cfg->database && cfg->database[0] ? cfg->database : NULL;
    /* CLIENT_MULTI_RESULTS so CALL works; never CLIENT_MULTI_STATEMENTS: one statement per
     * call is a safety property (no stacked-query injection). */
    /* TCP: host and port, whatever the socket path. SOCKET: no host (libmariadb would go to
     * TCP for one other than "localhost"). AUTO: a socket path wins over host and port. */
    const char *socket_path = cfg->transport == MO_TRANSPORT_TCP ? NULL : cfg->unix_socket;
    int by_socket = cfg->transport == MO_TRANSPORT_SOCKET || socket_path;
    int wait = mysql_real_connect_start(&c->ret_mysql, c->mysql, by_socket ? NULL : cfg->host,
                                        login_user, cfg->password ? cfg->password : "", db,
                                        by_socket ? 0 : cfg->port, socket_path,
                                        CLIENT_MULTI_RESULTS | CLIENT_FOUND_ROWS);
    return after_step(c, wait);
}

mo_status mo_conn_query_start(mo_conn *c, const char *sql, size_t len) {
    begin_operation(c, MO_CONN_OP_QUERY);
    return after_step(c, mysql_real_query_start(&c->ret_int, c->mysql, sql, (unsigned long)len));
}

mo_status mo_conn_store_result_start(mo_conn *c) {
    begin_operation(c, MO_CONN_OP_STORE_RESULT);
    return after_step(c, mysql_store_result_start(&c->ret_res, c->mysql));
}

mo_status mo_conn_next_result_start(mo_conn *c) {
    begin_operation(c, MO_CONN_OP_NEXT_RESULT);
    return after_step(c, mysql_next_result_start(&c->ret_int, c->mysql));
}

mo_status mo_conn_fetch_row_start(mo_conn *c, MYSQL_RES *res) {
    begin_operation(c, MO_CONN_OP_FETCH_ROW);
    c->op_res = res;
    return after_step(c, mysql_fetch_row_start(&c->ret_row, res));
}

mo_status mo_conn_free_result_start(mo_conn *c, MYSQL_RES *res) {
    begin_operation(c, MO_CONN_OP_FREE_RESULT);
    c->op_res = res;
    return after_step(c, mysql_free_result_start(res));
}

mo_status mo_conn_ping_start(mo_conn *c) {
    begin_operation(c, MO_CONN_OP_PING);
    return after_step(c, mysql_ping_start(&c->ret_int, c->mysql));
}

mo_status mo_conn_reset_start(mo_conn *c) {
    begin_operation(c, MO_CONN_OP_RESET);
    return after_step(c, mysql_reset_connection_start(&c->ret_int, c->mysql));
}

int mo_conn_in_transaction(const mo_conn *c) {
    unsigned status = 0;
    if (!c->mysql || mariadb_get_infov(c->mysql, MARIADB_CONNECTION_SERVER_STATUS, &status)) return 1;
    return (status & SERVER_STATUS_IN_TRANS) != 0;
}

mo_status mo_conn_close_start(mo_conn *c) {
    begin_operation(c, MO_CONN_OP_CLOSE);
    return after_step(c, mysql_close_start(c->mysql));
}

mo_status mo_conn_stmt_prepare_start(mo_conn *c, MYSQL_STMT *stmt, const char *sql, size_t len) {
    begin_operation(c, MO_CONN_OP_STMT_PREPARE);
    c->op_stmt = stmt;
    return after_step(c, mysql_stmt_prepare_start(&c->ret_int, stmt, sql, (unsigned long)len));
}

mo_status mo_conn_stmt_execute_start(mo_conn *c, MYSQL_STMT *stmt) {
    begin_operation(c, MO_CONN_OP_STMT_EXECUTE);
    c->op_stmt = stmt;
    return after_step(c, mysql_stmt_execute_start(&c->ret_int, stmt));
}

mo_status mo_conn_stmt_store_result_start(mo_conn *c, MYSQL_STMT *stmt) {
    begin_operation(c, MO_CONN_OP_STMT_STORE_RESULT);
    c->op_stmt = stmt;
    return after_step(c, mysql_stmt_store_result_start(&c->ret_int, stmt));
}

mo_status mo_conn_stmt_fetch_start(mo_conn *c, MYSQL_STMT *stmt) {
    begin_operation(c, MO_CONN_OP_STMT_FETCH);
    c->op_stmt = stmt;
    return after_step(c, mysql_stmt_fetch_start(&c->ret_int, stmt));
}

mo_status mo_conn_stmt_close_start(mo_conn *c, MYSQL_STMT *stmt) {
    begin_operation(c, MO_CONN_OP_STMT_CLOSE);
    c->op_stmt = stmt;
    return after_step(c, mysql_stmt_close_start(&c->ret_bool, stmt));
}

mo_status mo_conn_continue(mo_conn *c, int events) {
    if (events & MYSQL_WAIT_TIMEOUT) c->timed_out = 1;
    int wait = 0;
    switch (c->op) {
    case MO_CONN_OP_CONNECT: wait = mysql_real_connect_cont(&c->ret_mysql, c->mysql, events); break;
    case MO_CONN_OP_QUERY: wait = mysql_real_query_cont(&c->ret_int, c->mysql, events); break;
    case MO_CONN_OP_STORE_RESULT: wait = mysql_store_result_cont(&c->ret_res, c->mysql, events); break;
    case MO_CONN_OP_NEXT_RESULT: wait = mysql_next_result_cont(&c->ret_int, c->mysql, events); break;
    case MO_CONN_OP_FETCH_ROW: wait = mysql_fetch_row_cont(&c->ret_row, c->op_res, events); break;
    case MO_CONN_OP_FREE_RESULT: wait = mysql_free_result_cont(c->op_res, events); break;
    case MO_CONN_OP_PING: wait = mysql_ping_cont(&c->ret_int, c->mysql, events); break;
    case MO_CONN_OP_RESET: wait = mysql_reset_connection_cont(&c->ret_int, c->mysql, events); break;
    case MO_CONN_OP_CLOSE: wait = mysql_close_cont(c->mysql, events); break;
    case MO_CONN_OP_STMT_PREPARE: wait = mysql_stmt_prepare_cont(&c->ret_int, c->op_stmt, events); break;
    case MO_CONN_OP_STMT_EXECUTE: wait = mysql_stmt_execute_cont(&c->ret_int, c->op_stmt, events); break;
    case MO_CONN_OP_STMT_STORE_RESULT:
        wait = mysql_stmt_store_result_cont(&c->ret_int, c->op_stmt, events);
        break;
    case MO_CONN_OP_STMT_FETCH: wait = mysql_stmt_fetch_cont(&c->ret_int, c->op_stmt, events); break;
    case MO_CONN_OP_STMT_CLOSE: wait = mysql_stmt_close_cont(&c->ret_bool, c->op_stmt, events); break;
    case MO_CONN_OP_NONE:
        return mo_error_set(MO_E_MISUSE, c->operation, "no operation in progress");
    }
    return after_step(c, wait);
}

void mo_conn_give_up(mo_conn *c) {
    c->poisoned = 1;
    /* In a child of fork() the socket is still the parent's: never shut it down. */
    if (!c->mysql || conn_inherited(c)) return;
    my_socket fd = mysql_get_socket(c->mysql);
    if (fd != MARIADB_INVALID_SOCKET) shutdown(fd, SHUT_RDWR);
}

/* The caller's wait function. The thread's last error is kept across it: while the caller's
 * coroutine is switched out, its loop may run other mocore calls on this thread. */
static int wait_with_function(mo_conn *c) {
    mo_error_suspended saved;
    mo_error_suspend(&saved);
    int happened = c->wait_function(c->wait_function_userdata, mo_conn_socket(c), c->wait,
                                    mo_conn_timeout_ms(c));
    mo_error_resume(&saved);
    if (happened == MO_WAIT_USE_POLL) return happened;
    if (happened < 0) {
        /* Cancelled: drop the connection and let the step run into the closed socket, so it
         * ends through the one error path (fail_from_mysql reports MO_E_INTERRUPTED). */
        c->cancelled = 1;
        mo_conn_give_up(c);
        return MYSQL_WAIT_READ | MYSQL_WAIT_WRITE;
    }
    return happened & (c->wait | MYSQL_WAIT_READ | MYSQL_WAIT_WRITE);
}

int mo_conn_wait(mo_conn *c) {
    if (c->wait_function) {
        int happened = wait_with_function(c);
        if (happened != MO_WAIT_USE_POLL) return happened;
    }
    int ready = poll_socket(c, (c->wait & MYSQL_WAIT_TIMEOUT) ? (int)mo_conn_timeout_ms(c) : -1);
    /* A failed poll(): let libmariadb run into the error itself. */
    return ready < 0 ? c->wait & (MYSQL_WAIT_READ | MYSQL_WAIT_WRITE) : ready;
}

mo_status mo_conn_run(mo_conn *c, mo_status st) {
    while (st == MO_AGAIN) st = mo_conn_continue(c, mo_conn_wait(c));
    return st;
}
