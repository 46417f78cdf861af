/* src/core/client.c — connect, autocommit execution, ping, server detection, the journal. */
#include <stdlib.h>
#include <string.h>
#include "connection.h"

void mo_client_ref(mo_client *c) { atomic_fetch_add(&c->refs, 1); }

void mo_client_unref(mo_client *c) {
    if (!c || atomic_fetch_sub(&c->refs, 1) != 1) return;
    mo_conn_unref(c->conn);
    free(atomic_load(&c->spare_result));
    for (size_t i = 0; i < c->journal_count; i++) free(c->journal[i]);
    free(c->journal);
    free(c->journal_lengths);
    pthread_mutex_destroy(&c->journal_lock);
    free(c->version_string);
    free(c->login_user);
    mo_config_free_private(c->cfg);
    free(c);
}

/* Decide the server kind from the handshake's version string (or the configured override)
 * and record the version numbers. */
static void detect_server(mo_client *c, const char *version) {
    free(c->version_string);
    c->version_string = mo_strdup(version ? version : "");
    mo_server_kind named = MO_SERVER_AUTO;
    unsigned v[3];
    if (version && mo_server_version_parse(version, &named, &v[0], &v[1], &v[2]) >= 0) {
        memcpy(c->version, v, sizeof v);
        c->version_known = 1;
    }
    mo_error_clear();
    if (c->cfg->server_kind != MO_SERVER_AUTO) {
        c->kind = c->cfg->server_kind;
    } else if (version && strstr(version, "MatrixOne")) {
        c->kind = MO_SERVER_MATRIXONE;
    } else if (version && strstr(version, "MariaDB")) {
        c->kind = MO_SERVER_MARIADB;
    } else {
        /* A bare "8.0.36" handshake is MySQL; the SDK's bare-version rule applies only to
         * strings already known to come from MatrixOne. */
        c->kind = MO_SERVER_MYSQL;
    }
}

/* ------------------------------------------------------------------ connect */

static mo_status connect_done(mo_op *op, mo_status st) {
    mo_client *c = op->client;
    if (st >= 0 && c->conn) {
        detect_server(c, mysql_get_server_info(c->conn->mysql));
        c->connection_id = mysql_thread_id(c->conn->mysql);
        mo_log_message(c->cfg, MO_LOG_LEVEL_INFO, "✓ Connected | host=%s | port=%u | user=%s | database=%s",
                       c->cfg->unix_socket ? c->cfg->unix_socket : c->cfg->host, c->cfg->port,
                       c->login_user, c->cfg->database ? c->cfg->database : "");
    }
    if (st >= 0) mo_hooks_run(c, c->conn, op->operation); /* on_connect: logged, never fatal */
    if (st >= 0) st = mo_handle_register(&c->h, MO_HANDLE_CLIENT, op->operation);
    if (st < 0) {
        if (c->conn)
            mo_log_message(c->cfg, MO_LOG_LEVEL_ERROR, "✗ Connection failed | host=%s | port=%u",
                           c->cfg->host ? c->cfg->host : "", c->cfg->port);
        return st; /* the op releases the unfinished client */
    }
    op->output = c; /* the construction reference moves to the caller */
    op->client = NULL;
    return MO_OK;
}

/* The config's hook runner (src/managers/hooks.c installs it) on a new connection. */
void mo_hooks_run(mo_client *client, struct mo_conn *conn, const char *operation) {
    if (client->cfg->connect_hooks_runner) client->cfg->connect_hooks_runner(client, conn, operation);
}

/* ------------------------------------------------------------------ what ops borrow */

/* Every client op holds a reference to its client (op->client) until it is released. */
static void release_client(mo_op *op) {
    mo_client_unref(op->client);
    op->client = NULL;
}

/* A connect that did not hand its client out closes it. */
static void release_connect(mo_op *op) {
    if (op->output) mo_client_close(op->output);
    op->output = NULL;
    release_client(op);
}

static void release_client_execute(mo_op *op) {
    if (op->output) mo_result_free(op->output);
    op->output = NULL;
    release_client(op);
}

const mo_op_owner mo_client_op_owner = {MO_OP_OUT_NONE, NULL, release_client};
static const mo_op_owner connect_owner = {MO_OP_OUT_CLIENT, NULL, release_connect};
static const mo_op_owner execute_owner = {MO_OP_OUT_RESULT, NULL, release_client_execute};

enum { CONNECT_BEGIN = 0, CONNECT_WAIT };

static mo_status connect_run(mo_op *op, mo_status st) {
    mo_client *c = op->client;
    if (op->stage == CONNECT_BEGIN) {
        if (!c->conn) return connect_done(op, MO_OK); /* dry-run: nothing is sent */
        op->stage = CONNECT_WAIT;
        st = mo_conn_connect_start(c->conn, c->cfg, c->login_user);
        if (st == MO_AGAIN) return st;
    }
    return connect_done(op, st);
}

mo_status mo_client_connect_op(mo_op *op, const mo_config *cfg) {
    const char *opname = "client.connect";
    mo_op_init(op, opname, connect_run, &connect_owner);
    mo_status st = mo_handle_check(cfg, MO_HANDLE_CONFIG, opname);
    if (st < 0) return st;

    mo_client *c = calloc(1, sizeof *c);
    if (!c) return mo_error_oom(opname);
    atomic_init(&c->refs, 1);
    pthread_mutex_init(&c->journal_lock, NULL);
    op->client = c; /* released by the op on any failure */
    st = mo_config_clone_private(&c->cfg, cfg);
    if (st >= 0) st = mo_login_build(c->cfg->user, c->cfg->account, c->cfg->role, &c->login_user, opname);
    if (st < 0) return st;

    if (c->cfg->dry_run) {
        /* Nothing is sent in dry-run; without an override assume MatrixOne, whose admin
         * statements are what dry-run exists to review. */
        c->kind = c->cfg->server_kind != MO_SERVER_AUTO ? c->cfg->server_kind : MO_SERVER_MATRIXONE;
        if (c->cfg->dry_run_version_known) {
            memcpy(c->version, c->cfg->dry_run_version, sizeof c->version);
            c->version_known = 1;
        }
        c->version_string = mo_strdup("");
        if (!c->version_string) return mo_error_oom(opname);
    } else {
        st = mo_conn_new(&c->conn, c->cfg, opname);
        if (st < 0) return st;
        c->conn->operation = opname;
        op->conn = c->conn;
        mo_conn_ref(op->conn);
    }
    return mo_op_begin(op);
}

mo_status mo_client_connect(mo_client **out, const mo_config *cfg) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "client.connect", "out is NULL");
    mo_op op;
    void *client = NULL;
    mo_status st = mo_op_block(&op, mo_client_connect_op(&op, cfg), &client);
    *out = client;
    return st;
}

/* ------------------------------------------------------------------ close */

enum { CLOSE_BEGIN = 0, CLOSE_WAIT };

static mo_status close_run(mo_op *op, mo_status st) {
    if (op->stage == CLOSE_BEGIN) {
        op->stage = CLOSE_WAIT;
        st = mo_conn_close_start(op->conn);
        if (st == MO_AGAIN) return st;
    }
    (void)st; /* a failed goodbye changes nothing: the socket is closed either way */
    return MO_OK;
}

mo_status mo_client_close_op(mo_op *op, mo_client *c) {
    mo_op_init(op, "client.close", close_run, &mo_client_op_owner);
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, "client.close");
    if (st < 0) return st;
    if (c->pool_entry) return mo_pool_return_op(op, c); /* given back to its pool */
    mo_handle_unregister(&c->h);
    mo_conn *conn = c->conn;
    /* Say goodbye without blocking only when nothing else uses the connection (no result,
     * session or pending op holds the client or its connection); otherwise the last
     * release says it. */
    int sole = conn && atomic_load(&c->refs) == 1 && atomic_load(&conn->refs) == 1 &&
               conn->connected && !conn->poisoned && conn->op == MO_CONN_OP_NONE &&
               !atomic_load(&conn->busy);
    if (sole) {
        op->conn = conn;
        mo_conn_ref(conn);
    }
    mo_client_unref(c);
    if (!sole) return mo_op_complete(op, MO_OK);
    return mo_op_begin(op);
}

void mo_client_close(mo_client *c) {
    if (!c || !mo_handle_is_live(c, MO_HANDLE_CLIENT)) return;
    if (mo_handle_inherited(&c->h)) {
        /* A child of fork(): release memory only; the connection is the parent's. */
        if (c->pool_entry) {
            mo_pool_return_inherited(c);
            return;
        }
        mo_handle_unregister(&c->h);
        mo_client_unref(c);
        return;
    }
    mo_op op;
    mo_op_block(&op, mo_client_close_op(&op, c), NULL);
}

/* ------------------------------------------------------------------ execute */

static mo_status client_execute_run(mo_op *op, mo_status st) {
    st = mo_exec_run(&op->ex, st);
    if (st >= 0 && st != MO_AGAIN) {
        op->output = op->ex.result;
        op->ex.result = NULL;
    }
    return st;
}

mo_status mo_client_execute_op(mo_op *op, mo_client *c, const char *sql, size_t sql_len,
                               const mo_params *params, unsigned flags) {
    const char *opname = "client.execute";
    mo_op_init(op, opname, client_execute_run, &execute_owner);
    mo_status st = mo_handle_enter(c, MO_HANDLE_CLIENT, opname);
    if (st < 0) return st;
    if (params) st = mo_handle_check(params, MO_HANDLE_PARAMS, opname);
    /* In autocommit a write whose answer is lost may or may not have committed: OUTCOME_UNKNOWN
     * for anything that is not read-only (classified by the executor: once per cached
     * statement). */
    if (st >= 0)
        st = mo_exec_begin(&op->ex, c, NULL, c->conn, sql, sql_len, params, flags,
                           MO_LOSS_CLASSIFY_AUTOCOMMIT, opname);
    if (st < 0) {
        mo_handle_leave(c);
        return st;
    }
    op->busy_handle = c;
    op->client = c;
    mo_client_ref(c);
    if (c->conn) {
        op->conn = c->conn;
        mo_conn_ref(c->conn);
    }
    return mo_op_begin(op);
}

mo_status mo_client_max_allowed_packet(mo_client *c, uint64_t *out) {
    const char *opname = "client.max_allowed_packet";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, opname, "out is NULL");
    *out = 0;
    mo_status st = mo_handle_enter(c, MO_HANDLE_CLIENT, opname);
    if (st < 0) return st;
    st = mo_conn_max_packet(out, c, c->conn, opname);
    mo_handle_leave(c);
    return st;
}

mo_status mo_client_execute(mo_result **out, mo_client *c, const char *sql, size_t sql_len,
                            const mo_params *params) {
    return mo_client_execute_ex(out, c, sql, sql_len, params, 0);
}

mo_status mo_client_execute_ex(mo_result **out, mo_client *c, const char *sql, size_t sql_len,
                               const mo_params *params, unsigned flags) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "client.execute", "out is NULL");
    mo_op op;
    void *result = NULL;
    mo_status st = mo_op_block(
        &op, mo_client_execute_op(&op, c, sql, sql_len, params, flags | MO_EXEC_BORROWED), &result);
    *out = result;
    return st;
}

/* ------------------------------------------------------------------ ping */

enum { PING_BEGIN = 0, PING_SETTLE, PING_WAIT };

static mo_status ping_done(mo_op *op, mo_status st) {
    /* A failed ping means the connection is gone, whatever libmariadb calls it. */
    if (st < 0 && op->conn->poisoned && st != MO_E_TIMEOUT && st != MO_E_INTERRUPTED) {
        const mo_error *e = mo_error_last();
        mo_error_set_server(MO_E_CONNECTION_LOST, op->operation, mo_error_server_code(e),
                            mo_error_sqlstate(e), mo_error_message(e));
        st = MO_E_CONNECTION_LOST;
    }
    return st;
}

static mo_status ping_start(mo_op *op) {
    op->conn->operation = op->operation;
    op->stage = PING_WAIT;
    mo_status st = mo_conn_ping_start(op->conn);
    if (st == MO_AGAIN) return st;
    return ping_done(op, st);
}

static mo_status ping_run(mo_op *op, mo_status st) {
    mo_conn *conn = op->conn;
    switch (op->stage) {
    case PING_BEGIN:
        if (!conn->stream) return ping_start(op);
        /* A streaming result still owns the wire: read it to its end first. */
        conn->operation = "result.abandon";
        mo_stream_end_init(&op->se, conn->stream, 1);
        op->stage = PING_SETTLE;
        st = MO_OK;
        /* fall through */
    case PING_SETTLE:
        st = mo_stream_end_run(&op->se, st);
        if (st == MO_AGAIN) return st;
        if (st < 0) return st;
        return ping_start(op);
    case PING_WAIT:
        return ping_done(op, st);
    }
    return mo_error_set(MO_E_INTERNAL, op->operation, "unknown stage");
}

mo_status mo_client_ping_op(mo_op *op, mo_client *c) {
    const char *opname = "client.ping";
    mo_op_init(op, opname, ping_run, &mo_client_op_owner);
    mo_status st = mo_handle_enter(c, MO_HANDLE_CLIENT, opname);
    if (st < 0) return st;
    if (!c->conn) { /* dry-run */
        mo_handle_leave(c);
        return mo_op_complete(op, MO_OK);
    }
    st = atomic_load(&c->conn->session_open)
             ? mo_error_set(MO_E_MISUSE, opname, "a session runs on this pooled client's "
                                                 "connection; use the session until it is closed")
             : mo_conn_enter(c->conn, opname);
    if (st < 0) {
        mo_handle_leave(c);
        return st;
    }
    op->busy_handle = c;
    op->busy_conn = c->conn;
    op->client = c;
    mo_client_ref(c);
    op->conn = c->conn;
    mo_conn_ref(c->conn);
    return mo_op_begin(op);
}

mo_status mo_client_ping(mo_client *c) {
    mo_op op;
    return mo_op_block(&op, mo_client_ping_op(&op, c), NULL);
}

mo_server_kind mo_client_server_kind(const mo_client *c) {
    return mo_handle_is_live(c, MO_HANDLE_CLIENT) ? c->kind : MO_SERVER_AUTO;
}

const char *mo_client_server_version(const mo_client *c) {
    return mo_handle_is_live(c, MO_HANDLE_CLIENT) && c->version_string ? c->version_string : "";
}

mo_status mo_client_version(const mo_client *c, unsigned *major, unsigned *minor, unsigned *patch) {
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, "client.version");
    if (st < 0) return st;
    if (!c->version_known)
        return mo_error_set(MO_E_NOT_FOUND, "client.version", "the server version is not known");
    if (major) *major = c->version[0];
    if (minor) *minor = c->version[1];
    if (patch) *patch = c->version[2];
    return MO_OK;
}

mo_status mo_client_connection_id(const mo_client *c, uint64_t *out) {
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, "client.connection_id");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "client.connection_id", "out is NULL");
    *out = c->connection_id;
    return MO_OK;
}

/* ------------------------------------------------------------------ journal
 * Sessions of a dry-run client journal into the client from any thread: a mutex guards it. */

mo_status mo_client_journal_append(mo_client *c, const char *sql, size_t len, const char *operation) {
    char *copy = mo_strndup(sql, len);
    if (!copy) return mo_error_oom(operation);
    pthread_mutex_lock(&c->journal_lock);
    if (c->journal_count == c->journal_capacity) {
        size_t cap = c->journal_capacity ? c->journal_capacity * 2 : 16;
        char **j = realloc(c->journal, cap * sizeof *j);
        if (j) c->journal = j;
        size_t *l = j ? realloc(c->journal_lengths, cap * sizeof *l) : NULL;
        if (l) c->journal_lengths = l;
        if (!j || !l) {
            pthread_mutex_unlock(&c->journal_lock);
            free(copy);
            return mo_error_oom(operation);
        }
        c->journal_capacity = cap;
    }
    c->journal[c->journal_count] = copy;
    c->journal_lengths[c->journal_count] = len;
    c->journal_count++;
    pthread_mutex_unlock(&c->journal_lock);
    return MO_OK;
}

mo_status mo_client_journal_count(const mo_client *c, size_t *out) {
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, "client.journal_count");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "client.journal_count", "out is NULL");
    pthread_mutex_lock((pthread_mutex_t *)&c->journal_lock);
    *out = c->journal_count;
    pthread_mutex_unlock((pthread_mutex_t *)&c->journal_lock);
    return MO_OK;
}

mo_status mo_client_journal_get(const mo_client *c, size_t index, const char **sql, size_t *sql_len) {
    const char *op = "client.journal_get";
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, op);
    if (st < 0) return st;
    if (!sql) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "sql is NULL");
    pthread_mutex_lock((pthread_mutex_t *)&c->journal_lock);
    if (index >= c->journal_count) {
        size_t n = c->journal_count;
        pthread_mutex_unlock((pthread_mutex_t *)&c->journal_lock);
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "journal index %zu out of range (%zu entries)",
                            index, n);
    }
    *sql = c->journal[index];
    if (sql_len) *sql_len = c->journal_lengths[index];
    pthread_mutex_unlock((pthread_mutex_t *)&c->journal_lock);
    return MO_OK;
}

mo_status mo_client_journal_clear(mo_client *c) {
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, "client.journal_clear");
    if (st < 0) return st;
    pthread_mutex_lock(&c->journal_lock);
    for (size_t i = 0; i < c->journal_count; i++) free(c->journal[i]);
    c->journal_count = 0;
    pthread_mutex_unlock(&c->journal_lock);
    return MO_OK;
}

/* ------------------------------------------------------------------ asynchronous starts
 * The same ops as the blocking calls above, handed to the caller (async.h). */

mo_status mo_client_connect_start(mo_op **out, const mo_config *cfg) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "client.connect");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_client_connect_op(op, cfg));
}

mo_status mo_client_execute_start(mo_op **out, mo_client *c, const char *sql, size_t sql_len,
                                  const mo_params *params, unsigned flags) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "client.execute");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_client_execute_op(op, c, sql, sql_len, params, flags));
}

mo_status mo_client_ping_start(mo_op **out, mo_client *c) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "client.ping");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_client_ping_op(op, c));
}

mo_status mo_client_close_start(mo_op **out, mo_client *c) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "client.close");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_client_close_op(op, c));
}
