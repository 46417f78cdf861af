/* src/managers/executor.c — the one path every manager runs on, and the record handles.
 *
 * Why an executor handle instead of (client, session) argument pairs: one opaque handle is
 * the natural FFI object for `client.snapshots` / `session.snapshots` in the bindings, a
 * manager function cannot be called with both or neither, and the handle keeps its client or
 * session alive like any other child handle. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

/* ------------------------------------------------------------------ executor handle */

static mo_status executor_new(mo_executor **out, mo_client *c, mo_session *s, const char *op) {
    mo_executor *ex = calloc(1, sizeof *ex);
    if (!ex) return mo_error_oom(op);
    ex->client = c;
    mo_client_ref(c);
    if (s) {
        ex->session = s;
        mo_session_ref(s);
    }
    mo_status st = mo_handle_register(&ex->h, MO_HANDLE_EXECUTOR, op);
    if (st < 0) {
        if (s) mo_session_unref(s);
        mo_client_unref(c);
        free(ex);
        return st;
    }
    *out = ex;
    return MO_OK;
}

mo_status mo_client_executor(mo_executor **out, mo_client *client) {
    const char *op = "client.executor";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_handle_check(client, MO_HANDLE_CLIENT, op);
    if (st < 0) return st;
    return executor_new(out, client, NULL, op);
}

mo_status mo_session_executor(mo_executor **out, mo_session *session) {
    const char *op = "session.executor";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_handle_check(session, MO_HANDLE_SESSION, op);
    if (st < 0) return st;
    return executor_new(out, session->client, session, op);
}

mo_status mo_executor_bind(mo_executor **out, mo_client *client, mo_conn *conn, const char *op) {
    mo_status st = executor_new(out, client, NULL, op);
    if (st >= 0) {
        (*out)->bound = 1;
        (*out)->conn = conn;
    }
    return st;
}

mo_client *mo_executor_client(const mo_executor *ex) {
    return mo_handle_is_live(ex, MO_HANDLE_EXECUTOR) ? ex->client : NULL;
}

mo_session *mo_executor_session(const mo_executor *ex) {
    return mo_handle_is_live(ex, MO_HANDLE_EXECUTOR) ? ex->session : NULL;
}

mo_status mo_executor_render_sql(mo_executor *ex, const char **out, size_t *len,
                                 const char *sql, size_t sql_len, const mo_params *params) {
    const char *op = "executor.render_sql";
    if (!out || !len) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out or len is NULL");
    *out = NULL;
    *len = 0;
    if (!sql) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "sql is NULL");
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf b;
    mo_buf_init(&b);
    /* the renderer of every statement sent (mo_exec_begin), with the connection's charset */
    st = mo_params_render(&b, sql, sql_len, params, mo_mgr_charset(ex), op);
    if (st >= 0) st = mo_mgr_sql_ok(&b, op);
    if (st >= 0) {
        free(ex->text);
        ex->text = mo_buf_detach(&b, len);
        *out = ex->text;
    }
    mo_buf_free(&b);
    mo_mgr_leave(ex);
    return st;
}

void mo_executor_free(mo_executor *ex) {
    if (!ex || mo_handle_enter_release(ex, MO_HANDLE_EXECUTOR, "executor.free") < 0) return;
    mo_handle_leave(ex);
    mo_handle_unregister(&ex->h);
    if (ex->session) mo_session_unref(ex->session);
    mo_client_unref(ex->client);
    free(ex->text);
    free(ex);
}

/* Claim the executor, then the client or session it runs on: concurrent use of the session
 * through the executor and directly is MISUSE, and a closed session is MISUSE. */
mo_status mo_mgr_enter(mo_executor *ex, const char *op) {
    mo_status st = mo_handle_enter(ex, MO_HANDLE_EXECUTOR, op);
    if (st < 0 || ex->bound) return st;
    if (ex->session) st = mo_handle_enter(ex->session, MO_HANDLE_SESSION, op);
    else st = mo_handle_enter(ex->client, MO_HANDLE_CLIENT, op);
    if (st < 0) mo_handle_leave(ex);
    return st;
}

void mo_mgr_leave(mo_executor *ex) {
    if (ex->bound) {
        mo_handle_leave(ex);
        return;
    }
    if (ex->session) mo_handle_leave(ex->session);
    else mo_handle_leave(ex->client);
    mo_handle_leave(ex);
}

int mo_mgr_dry_run(const mo_executor *ex) { return ex->client->cfg->dry_run; }

mo_server_kind mo_mgr_kind(const mo_executor *ex) { return ex->client->kind; }

static const char *kind_name(mo_server_kind k) {
    switch (k) {
    case MO_SERVER_MATRIXONE: return "MatrixOne";
    case MO_SERVER_MYSQL: return "MySQL";
    case MO_SERVER_MARIADB: return "MariaDB";
    case MO_SERVER_AUTO: break;
    }
    return "an unknown server";
}

mo_status mo_mgr_require_matrixone(const mo_executor *ex, const char *op, const char *feature,
                                   unsigned maj, unsigned min, unsigned pat) {
    const mo_client *c = ex->client;
    if (c->kind != MO_SERVER_MATRIXONE)
        return mo_error_set(MO_E_UNSUPPORTED, op,
                            "%s is a MatrixOne-only operation; the server is %s", op,
                            kind_name(c->kind));
    if (feature && c->version_known) {
        unsigned have[3] = {c->version[0], c->version[1], c->version[2]};
        unsigned need[3] = {maj, min, pat};
        for (int i = 0; i < 3; i++) {
            if (have[i] > need[i]) break;
            if (have[i] < need[i])
                return mo_error_set(MO_E_UNSUPPORTED, op,
                                    "Feature '%s' is not available in current backend version.\n"
                                    "It requires MatrixOne %u.%u.%u or newer; the server is %u.%u.%u",
                                    feature, maj, min, pat, have[0], have[1], have[2]);
        }
    }
    return MO_OK;
}

int mo_mgr_matrixone_since(const mo_executor *ex, unsigned maj, unsigned min, unsigned pat) {
    const mo_client *c = ex->client;
    if (c->kind != MO_SERVER_MATRIXONE || !c->version_known) return 0;
    unsigned have[3] = {c->version[0], c->version[1], c->version[2]};
    unsigned need[3] = {maj, min, pat};
    for (int i = 0; i < 3; i++)
        if (have[i] != need[i]) return have[i] > need[i];
    return 1;
}

mo_conn *mo_mgr_conn(const mo_executor *ex) {
    if (ex->bound) return ex->conn;
    return ex->session ? ex->session->conn : ex->client->conn;
}

/* The one path of a statement with parameters: session (inside its transaction) or the
 * client's / a bound connection (autocommit). */
static mo_status exec_text(mo_executor *ex, const char *text, size_t len, const mo_params *params,
                           const char *op, mo_result **out) {
    if (ex->session && !ex->bound) return mo_session_run(out, ex->session, text, len, params, 0, op);
    /* As mo_client_execute: a write that loses its connection has an unknown outcome. */
    int sensitive = mo_sql_answer_loss(text, len, 0);
    return mo_execute(out, ex->client, NULL, mo_mgr_conn(ex), text, len, params, 0, sensitive, op);
}

mo_status mo_mgr_exec(mo_executor *ex, mo_buf *sql, const char *op, mo_result **out) {
    mo_result *r = NULL;
    mo_status st = mo_mgr_sql_ok(sql, op);
    if (st < 0) return st;
    st = exec_text(ex, mo_buf_cstr(sql), sql->len, NULL, op, &r);
    if (out) *out = r;
    else mo_result_free(r);
    return st;
}

static mo_status wrap_v(mo_status st, const char *op, const char *fmt, va_list ap) {
    const mo_error *e = mo_error_last();
    struct mo_error copy;
    memset(&copy, 0, sizeof copy);
    if (e) copy = *e;
    mo_buf msg;
    mo_buf_init(&msg);
    mo_buf_vprintf(&msg, fmt, ap);
    mo_buf_append_str(&msg, ": ");
    mo_buf_append_str(&msg, copy.message);
    if (copy.server_code)
        mo_error_set_server(st, op, copy.server_code, copy.sqlstate, mo_buf_cstr(&msg));
    else
        mo_error_set(st, op, "%s", mo_buf_cstr(&msg));
    mo_buf_free(&msg);
    return st;
}

mo_status mo_mgr_wrap(mo_status st, const char *op, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    wrap_v(st, op, fmt, ap);
    va_end(ap);
    return st;
}

/* The one tail: run, read back (when read_back is given), prefix a failure, release, leave. */
static mo_status finish_v(mo_executor *ex, mo_buf *sql, mo_status st, const char *op,
                          mo_result **out, mo_mgr_get_fn read_back, const void *ctx,
                          void **rec_out, const char *fmt, va_list ap) {
    if (st >= 0) {
        st = mo_mgr_exec(ex, sql, op, out);
        if (st >= 0 && read_back) st = read_back(rec_out, ex, ctx, op);
        if (st < 0) wrap_v(st, op, fmt, ap);
    }
    mo_buf_free(sql);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_mgr_finish(mo_executor *ex, mo_buf *sql, mo_status st, const char *op,
                        mo_result **out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    st = finish_v(ex, sql, st, op, out, NULL, NULL, NULL, fmt, ap);
    va_end(ap);
    return st;
}

mo_status mo_mgr_finish_read_back(mo_executor *ex, mo_buf *sql, mo_status st, const char *op,
                                  mo_mgr_get_fn read_back, const void *ctx, void **out,
                                  const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    st = finish_v(ex, sql, st, op, NULL, read_back, ctx, out, fmt, ap);
    va_end(ap);
    return st;
}

mo_status mo_mgr_exists(mo_executor *ex, const char *op, mo_mgr_get_fn get, const void *ctx,
                        int *exists) {
    if (!exists) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "exists is NULL");
    *exists = 0;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        st = get(NULL, ex, ctx, op);
        if (st >= 0) *exists = 1;
        else if (st == MO_E_NOT_FOUND) st = MO_OK;
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_mgr_drop_named(mo_executor *ex, const char *op, int matrixone_only,
                            const char *statement, const char *name, const char *required,
                            const char *what, const char *fmt, ...) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    if (matrixone_only) st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, required);
    if (st >= 0) {
        mo_buf_append_str(&sql, statement);
        st = mo_mgr_ident(&sql, name, what, op);
    }
    va_list ap;
    va_start(ap, fmt);
    st = finish_v(ex, &sql, st, op, NULL, NULL, NULL, NULL, fmt, ap);
    va_end(ap);
    return st;
}

/* Replace every occurrence of `needle` in text with "***"; 1 when anything changed. */
static int replace_all(mo_buf *out, const char *text, const char *needle) {
    size_t n = strlen(needle);
    const char *p = text, *hit;
    int changed = 0;
    while (n && (hit = strstr(p, needle))) {
        mo_buf_append(out, p, (size_t)(hit - p));
        mo_buf_append_str(out, "***");
        p = hit + n;
        changed = 1;
    }
    mo_buf_append_str(out, p);
    return changed;
}

void mo_mgr_scrub_secret(const mo_executor *ex, const char *secret) {
    const mo_error *e = mo_error_last();
    if (!e || !secret || !*secret) return;
    struct mo_error copy = *e;
    /* The raw secret and the body of its escaped literal (as a server quotes it back). */
    mo_buf lit, a, b;
    mo_buf_init(&lit);
    mo_buf_init(&a);
    mo_buf_init(&b);
    mo_mgr_literal(ex, &lit, secret);
    const char *body = mo_buf_cstr(&lit);
    char *inner = lit.len >= 2 ? mo_strndup(body + 1, lit.len - 2) : NULL;
    int changed = replace_all(&a, copy.message, secret);
    if (inner) changed |= replace_all(&b, mo_buf_cstr(&a), inner);
    else mo_buf_append_str(&b, mo_buf_cstr(&a));
    if (changed && mo_buf_ok(&b)) {
        if (copy.server_code)
            mo_error_set_server(copy.category, copy.operation, copy.server_code, copy.sqlstate,
                                mo_buf_cstr(&b));
        else
            mo_error_set(copy.category, copy.operation, "%s", mo_buf_cstr(&b));
    } else if (changed) {
        mo_error_set(copy.category, copy.operation, "(message withheld: it held a secret)");
    }
    free(inner);
    mo_buf_free(&lit);
    mo_buf_free(&a);
    mo_buf_free(&b);
}

mo_status mo_mgr_require(const char *s, const char *op, const char *msg) {
    if (!s || !*s) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s", msg);
    return MO_OK;
}

mo_status mo_mgr_sql_ok(const mo_buf *b, const char *op) {
    return mo_buf_ok(b) ? MO_OK : mo_error_oom(op);
}

int mo_mgr_ieq(const char *s, const char *t) {
    if (!s || !t) return 0;
    for (; *s && *t; s++, t++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*t)) return 0;
    return *s == *t;
}

/* ------------------------------------------------------------------ SQL pieces */

mo_status mo_mgr_ident(mo_buf *b, const char *name, const char *what, const char *op) {
    return mo_sql_append_identifier(b, name, what, op);
}

/* Quote name[0..len) through the one identifier function (it needs a C string). */
static mo_status ident_part(mo_buf *b, const char *name, size_t len, const char *what,
                            int allow_star, const char *op) {
    if (allow_star && len == 1 && name[0] == '*') {
        mo_buf_append_char(b, '*');
        return MO_OK;
    }
    char *part = mo_strndup(name, len);
    if (!part) return mo_error_oom(op);
    mo_status st = mo_sql_append_identifier(b, part, what, op);
    free(part);
    return st;
}

mo_status mo_mgr_qualified(mo_buf *b, const char *name, const char *what, int allow_star,
                           const char *op) {
    if (!name) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid %s: NULL", what);
    const char *dot = strchr(name, '.');
    if (!dot) return ident_part(b, name, strlen(name), what, allow_star, op);
    mo_status st = ident_part(b, name, (size_t)(dot - name), what, allow_star, op);
    if (st < 0) return st;
    mo_buf_append_char(b, '.');
    return ident_part(b, dot + 1, strlen(dot + 1), what, allow_star, op);
}

mo_status mo_mgr_ident_list(mo_buf *b, const char *names, const char *what, const char *op) {
    if (!names) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid %s: NULL", what);
    const char *p = names;
    for (int first = 1;; first = 0) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *s = p, *e = end;
        while (s < e && *s == ' ') s++;
        while (e > s && e[-1] == ' ') e--;
        if (!first) mo_buf_append_str(b, ", ");
        mo_status st = ident_part(b, s, (size_t)(e - s), what, 0, op);
        if (st < 0) return st;
        if (!comma) return MO_OK;
        p = comma + 1;
    }
}

void mo_mgr_literal(const mo_executor *ex, mo_buf *b, const char *s) {
    mo_mgr_literal_n(ex, b, s ? s : "", s ? strlen(s) : 0);
}

const char *mo_mgr_charset(const mo_executor *ex) {
    /* Dry-run has no connection: utf8mb4, what every connection starts with. */
    return mo_conn_charset(mo_mgr_conn(ex), ex->client->kind);
}

void mo_mgr_literal_n(const mo_executor *ex, mo_buf *b, const char *s, size_t len) {
    mo_sql_append_string_literal(b, s, len, MO_LITERAL_QUOTED, NULL);
}

mo_status mo_mgr_where(const mo_executor *ex, mo_buf *b, const char *joiner,
                       const char *where_sql, const mo_params *params, const char *op) {
    if (params) {
        mo_status st = mo_handle_check(params, MO_HANDLE_PARAMS, op);
        if (st < 0) return st;
    }
    if (!where_sql || !*where_sql) {
        if (params && mo_params_count(params))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "where_params given without where_sql");
        return MO_OK;
    }
    /* Parenthesised, so an OR in the caller's filter cannot escape our own conditions; and
     * it must be closed in itself (no ';', open literal or comment, stray ')') so it cannot
     * reach past them either. */
    const char *problem = mo_sql_fragment_problem(where_sql, strlen(where_sql), 1);
    if (problem)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "where_sql contains %s", problem);
    /* NULL params is "no parameters", not "send the ? as written". */
    size_t marks = params ? 0 : mo_sql_find_placeholders(where_sql, strlen(where_sql), NULL, 0);
    if (marks == MO_SQL_AMBIGUOUS)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "where_sql's placeholders depend on the server's backslash escape "
                            "mode (NO_BACKSLASH_ESCAPES)");
    if (marks)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "where_sql has %zu placeholder%s but no parameters were given", marks,
                            marks == 1 ? "" : "s");
    mo_buf_append_str(b, joiner);
    mo_buf_append_char(b, '(');
    mo_status st = mo_params_render(b, where_sql, strlen(where_sql), params, mo_mgr_charset(ex), op);
    mo_buf_append_char(b, ')');
    return st;
}

mo_status mo_mgr_split_table(const mo_executor *ex, const char *table, const char *database,
                             char **db_out, char **table_out, const char *op) {
    *db_out = *table_out = NULL;
    if (!table || !*table)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "table_name must be a non-empty string");
    const char *dot = strchr(table, '.');
    if (dot) {
        size_t n = (size_t)(dot - table);
        if (database && *database && (strlen(database) != n || strncmp(database, table, n) != 0))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                "table '%s' names its database, and database='%s' is another one",
                                table, database);
        *db_out = mo_strndup(table, n);
        *table_out = mo_strdup(dot + 1);
    } else {
        if (!database || !*database) database = ex->client->cfg->database;
        if (!database || !*database)
            return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                "Database name must be provided or set in connection parameters");
        *db_out = mo_strdup(database);
        *table_out = mo_strdup(table);
    }
    if (!*db_out || !*table_out) {
        free(*db_out);
        free(*table_out);
        *db_out = *table_out = NULL;
        return mo_error_oom(op);
    }
    return MO_OK;
}

mo_status mo_mgr_select_list(mo_buf *b, const char *columns, const char *op) {
    if (!columns || !*columns) {
        mo_buf_append_char(b, '*');
        return MO_OK;
    }
    return mo_mgr_ident_list(b, columns, "column name", op);
}

mo_status mo_mgr_vector_literal(mo_buf *b, const void *values, size_t count, int f32,
                                const char *op) {
    if (count == 0) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "vector is empty");
    mo_buf text;
    mo_buf_init(&text);
    mo_status st = mo_sql_append_vector_text(&text, values, count, f32, op);
    /* Only digits, signs, '.', 'e' and ',': a plain quoted literal. */
    if (st >= 0) mo_sql_append_string_literal(b, mo_buf_cstr(&text), text.len, MO_LITERAL_QUOTED, NULL);
    mo_buf_free(&text);
    return st;
}

mo_status mo_mgr_check_name(const char *name, const char *what, const char *op) {
    mo_buf probe;
    mo_buf_init(&probe);
    mo_status st = mo_sql_append_identifier(&probe, name, what, op);
    mo_buf_free(&probe);
    return st;
}

mo_status mo_mgr_dotless_name(const char *name, const char *what, const char *op) {
    mo_status st = mo_mgr_check_name(name, what, op);
    if (st >= 0 && strchr(name, '.'))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid %s: '.' cannot be expressed here",
                          what);
    return st;
}

mo_status mo_executor_execute(mo_result **out, mo_executor *ex, const char *sql, size_t sql_len,
                              const mo_params *params) {
    const char *op = "executor.execute";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    if (!sql) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "sql is NULL");
    if (st >= 0 && params) st = mo_handle_check(params, MO_HANDLE_PARAMS, op);
    if (st >= 0) st = exec_text(ex, sql, sql_len, params, op, out);
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ records */

mo_record *mo_record_new(int kind) {
    mo_record *r = calloc(1, sizeof *r);
    if (r) r->kind = kind;
    return r;
}

void mo_record_destroy(mo_record *r) {
    if (!r) return;
    for (int i = 0; i < MO_RECORD_TEXTS; i++) free(r->text[i]);
    free(r->nums);
    free(r);
}

mo_status mo_record_publish(mo_record *r, const char *op) {
    mo_status st = mo_handle_register(&r->h, MO_HANDLE_RECORD, op);
    if (st < 0) mo_record_destroy(r);
    return st;
}

mo_status mo_record_set(mo_record *r, int field, const char *s, size_t len, const char *op) {
    free(r->text[field]);
    r->text[field] = NULL;
    if (!s) return MO_OK;
    r->text[field] = mo_strndup(s, len);
    return r->text[field] ? MO_OK : mo_error_oom(op);
}

mo_status mo_record_set_str(mo_record *r, int field, const char *s, const char *op) {
    return mo_record_set(r, field, s, s ? strlen(s) : 0, op);
}

mo_record_list *mo_record_list_new(int kind) {
    mo_record_list *l = calloc(1, sizeof *l);
    if (l) l->kind = kind;
    return l;
}

mo_status mo_record_list_add(mo_record_list *l, mo_record *r, const char *op) {
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        mo_record **items = realloc(l->items, cap * sizeof *items);
        if (!items) {
            mo_record_destroy(r);
            return mo_error_oom(op);
        }
        l->items = items;
        l->cap = cap;
    }
    r->borrowed = 1;
    l->items[l->count++] = r;
    return MO_OK;
}

mo_record *mo_record_list_take(mo_record_list *l, size_t i) {
    mo_record *r = l->items[i];
    l->items[i] = NULL;
    if (r) r->borrowed = 0;
    return r;
}

void mo_record_list_destroy(mo_record_list *l) {
    if (!l) return;
    for (size_t i = 0; i < l->count; i++) {
        if (!l->items[i]) continue;
        if (l->items[i]->h.type) mo_handle_unregister(&l->items[i]->h);
        mo_record_destroy(l->items[i]);
    }
    free(l->items);
    free(l);
}

mo_status mo_record_list_publish(mo_record_list *l, const char *op) {
    /* Compact holes left by mo_record_list_take, then register items and the list. */
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i]) l->items[n++] = l->items[i];
    l->count = n;
    mo_status st = MO_OK;
    for (size_t i = 0; i < l->count && st >= 0; i++)
        st = mo_handle_register(&l->items[i]->h, MO_HANDLE_RECORD, op);
    if (st >= 0) st = mo_handle_register(&l->h, MO_HANDLE_RECORD_LIST, op);
    if (st < 0) mo_record_list_destroy(l);
    return st;
}

mo_status mo_records_from_result(mo_record_list **out, mo_result *r, int kind, const int *map,
                                 size_t map_len, mo_record_filter filter, void *userdata,
                                 const char *op) {
    *out = NULL;
    mo_record_list *l = mo_record_list_new(kind);
    if (!l) return mo_error_oom(op);
    mo_status st;
    while ((st = mo_result_next(r)) == MO_ROW) {
        const char *const *values;
        const size_t *lengths;
        size_t count;
        st = mo_result_row(r, &values, &lengths, &count);
        if (st < 0) break;
        mo_record *rec = mo_record_new(kind);
        if (!rec) {
            st = mo_error_oom(op);
            break;
        }
        for (size_t i = 0; i < count && i < map_len && st >= 0; i++)
            if (map[i] >= 0) st = mo_record_set(rec, map[i], values[i], lengths[i], op);
        if (st < 0) {
            mo_record_destroy(rec);
            break;
        }
        if (filter && !filter(rec, userdata)) {
            mo_record_destroy(rec);
            continue;
        }
        st = mo_record_list_add(l, rec, op);
        if (st < 0) break;
    }
    if (st != MO_DONE) {
        mo_record_list_destroy(l);
        return st < 0 ? st : mo_error_set(MO_E_INTERNAL, op, "unexpected status %d", st);
    }
    *out = l;
    return MO_OK;
}

/* ------------------------------------------------------------------ public accessors
 * Generated per type (the macros are in managers_internal.h): a record handle of another kind
 * reads as "not a live record". */

const mo_record *mo_live_record(const void *p, int kind) {
    const mo_record *r = p;
    if (!mo_handle_is_live(r, MO_HANDLE_RECORD) || r->kind != kind) return NULL;
    return r;
}

const mo_record_list *mo_live_record_list(const void *p, int kind) {
    const mo_record_list *l = p;
    if (!mo_handle_is_live(l, MO_HANDLE_RECORD_LIST) || l->kind != kind) return NULL;
    return l;
}

MO_RECORD_TYPE(mo_snapshot, mo_snapshot, MO_REC_SNAPSHOT)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_name, MO_REC_SNAPSHOT, 0)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_level, MO_REC_SNAPSHOT, 2)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_account, MO_REC_SNAPSHOT, 3)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_database, MO_REC_SNAPSHOT, 4)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_table, MO_REC_SNAPSHOT, 5)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_created_at, MO_REC_SNAPSHOT, 6)
MO_TEXT_FIELD(mo_snapshot, mo_snapshot_description, MO_REC_SNAPSHOT, 7)
MO_NUM_FIELD(mo_snapshot, mo_snapshot_ts, MO_REC_SNAPSHOT)

MO_RECORD_TYPE(mo_pitr, mo_pitr, MO_REC_PITR)
MO_TEXT_FIELD(mo_pitr, mo_pitr_name, MO_REC_PITR, 0)
MO_TEXT_FIELD(mo_pitr, mo_pitr_created_time, MO_REC_PITR, 1)
MO_TEXT_FIELD(mo_pitr, mo_pitr_modified_time, MO_REC_PITR, 2)
MO_TEXT_FIELD(mo_pitr, mo_pitr_level, MO_REC_PITR, 3)
MO_TEXT_FIELD(mo_pitr, mo_pitr_account_name, MO_REC_PITR, 4)
MO_TEXT_FIELD(mo_pitr, mo_pitr_database_name, MO_REC_PITR, 5)
MO_TEXT_FIELD(mo_pitr, mo_pitr_table_name, MO_REC_PITR, 6)
MO_TEXT_FIELD(mo_pitr, mo_pitr_range_unit, MO_REC_PITR, 8)
MO_NUM_FIELD(mo_pitr, mo_pitr_range_value, MO_REC_PITR)

MO_RECORD_TYPE(mo_publication, mo_publication, MO_REC_PUBLICATION)
MO_TEXT_FIELD(mo_publication, mo_publication_name, MO_REC_PUBLICATION, 0)
MO_TEXT_FIELD(mo_publication, mo_publication_database, MO_REC_PUBLICATION, 1)
MO_TEXT_FIELD(mo_publication, mo_publication_tables, MO_REC_PUBLICATION, 2)
MO_TEXT_FIELD(mo_publication, mo_publication_sub_account, MO_REC_PUBLICATION, 3)
MO_TEXT_FIELD(mo_publication, mo_publication_subscribed_accounts, MO_REC_PUBLICATION, 4)
MO_TEXT_FIELD(mo_publication, mo_publication_created_time, MO_REC_PUBLICATION, 5)
MO_TEXT_FIELD(mo_publication, mo_publication_update_time, MO_REC_PUBLICATION, 6)
MO_TEXT_FIELD(mo_publication, mo_publication_comments, MO_REC_PUBLICATION, 7)

MO_RECORD_TYPE(mo_subscription, mo_subscription, MO_REC_SUBSCRIPTION)
MO_TEXT_FIELD(mo_subscription, mo_subscription_pub_name, MO_REC_SUBSCRIPTION, 0)
MO_TEXT_FIELD(mo_subscription, mo_subscription_pub_account, MO_REC_SUBSCRIPTION, 1)
MO_TEXT_FIELD(mo_subscription, mo_subscription_pub_database, MO_REC_SUBSCRIPTION, 2)
MO_TEXT_FIELD(mo_subscription, mo_subscription_pub_tables, MO_REC_SUBSCRIPTION, 3)
MO_TEXT_FIELD(mo_subscription, mo_subscription_pub_comment, MO_REC_SUBSCRIPTION, 4)
MO_TEXT_FIELD(mo_subscription, mo_subscription_pub_time, MO_REC_SUBSCRIPTION, 5)
MO_TEXT_FIELD(mo_subscription, mo_subscription_sub_name, MO_REC_SUBSCRIPTION, 6)
MO_TEXT_FIELD(mo_subscription, mo_subscription_sub_time, MO_REC_SUBSCRIPTION, 7)
MO_NUM_FIELD(mo_subscription, mo_subscription_status, MO_REC_SUBSCRIPTION)

MO_RECORD_TYPE(mo_account, mo_account, MO_REC_ACCOUNT)
MO_TEXT_FIELD(mo_account, mo_account_name, MO_REC_ACCOUNT, 0)
MO_TEXT_FIELD(mo_account, mo_account_admin_name, MO_REC_ACCOUNT, 1)
MO_TEXT_FIELD(mo_account, mo_account_created_time, MO_REC_ACCOUNT, 2)
MO_TEXT_FIELD(mo_account, mo_account_status, MO_REC_ACCOUNT, 3)
MO_TEXT_FIELD(mo_account, mo_account_suspended_time, MO_REC_ACCOUNT, 4)
MO_TEXT_FIELD(mo_account, mo_account_comment, MO_REC_ACCOUNT, 5)
MO_TEXT_FIELD(mo_account, mo_account_suspended_reason, MO_REC_ACCOUNT, 6)

MO_RECORD_TYPE(mo_user, mo_user, MO_REC_USER)
MO_TEXT_FIELD(mo_user, mo_user_name, MO_REC_USER, 0)
MO_TEXT_FIELD(mo_user, mo_user_host, MO_REC_USER, 1)
MO_TEXT_FIELD(mo_user, mo_user_account, MO_REC_USER, 2)
MO_TEXT_FIELD(mo_user, mo_user_created_time, MO_REC_USER, 3)
MO_TEXT_FIELD(mo_user, mo_user_status, MO_REC_USER, 4)
MO_TEXT_FIELD(mo_user, mo_user_comment, MO_REC_USER, 5)
MO_TEXT_FIELD(mo_user, mo_user_locked_time, MO_REC_USER, 6)
MO_TEXT_FIELD(mo_user, mo_user_locked_reason, MO_REC_USER, 7)

MO_RECORD_TYPE(mo_role, mo_role, MO_REC_ROLE)
MO_TEXT_FIELD(mo_role, mo_role_name, MO_REC_ROLE, 0)
MO_TEXT_FIELD(mo_role, mo_role_created_time, MO_REC_ROLE, 2)
MO_TEXT_FIELD(mo_role, mo_role_comment, MO_REC_ROLE, 3)
MO_NUM_FIELD(mo_role, mo_role_id, MO_REC_ROLE)

MO_RECORD_TYPE(mo_grant, mo_grant, MO_REC_GRANT)
MO_TEXT_FIELD(mo_grant, mo_grant_statement, MO_REC_GRANT, 0)
MO_TEXT_FIELD(mo_grant, mo_grant_privilege, MO_REC_GRANT, 1)
MO_TEXT_FIELD(mo_grant, mo_grant_object_type, MO_REC_GRANT, 2)
MO_TEXT_FIELD(mo_grant, mo_grant_object_name, MO_REC_GRANT, 3)
MO_TEXT_FIELD(mo_grant, mo_grant_user, MO_REC_GRANT, 4)

/* ------------------------------------------ metadata, table stats, stage and CDC records */

#define MO_RECORD_FREE(type, prefix, kind)                                                   \
    void prefix##_free(type *x) {                                                            \
        mo_record *r = (mo_record *)mo_live_record(x, kind);                                    \
        if (!r || r->borrowed) return;                                                       \
        mo_handle_unregister(&r->h);                                                         \
        mo_record_destroy(r);                                                                \
    }
/* A number the server sent as text (metadata_scan columns); 0 when absent. */
#define MO_TEXT_NUM_FIELD(type, fn, kind, idx)                                               \
    int64_t fn(const type *x) {                                                              \
        const mo_record *r = mo_live_record(x, kind);                                           \
        return r && r->text[idx] ? strtoll(r->text[idx], NULL, 10) : 0;                      \
    }
/* Element i of the record's number array. */
#define MO_NUMS_FIELD(type, fn, kind, i)                                                     \
    int64_t fn(const type *x) {                                                              \
        const mo_record *r = mo_live_record(x, kind);                                           \
        return r && r->num_count > (i) ? r->nums[i] : 0;                                     \
    }

MO_RECORD_FREE(mo_ivf_stats, mo_ivf_stats, MO_REC_IVF_STATS)
MO_TEXT_FIELD(mo_ivf_stats, mo_ivf_stats_database, MO_REC_IVF_STATS, 0)
MO_TEXT_FIELD(mo_ivf_stats, mo_ivf_stats_table_name, MO_REC_IVF_STATS, 1)
MO_TEXT_FIELD(mo_ivf_stats, mo_ivf_stats_column_name, MO_REC_IVF_STATS, 2)

const char *mo_ivf_stats_index_table(const mo_ivf_stats *s, const char *algo_table_type) {
    const mo_record *r = mo_live_record(s, MO_REC_IVF_STATS);
    if (!r || !algo_table_type) return NULL;
    if (strcmp(algo_table_type, "metadata") == 0) return r->text[3];
    if (strcmp(algo_table_type, "centroids") == 0) return r->text[4];
    if (strcmp(algo_table_type, "entries") == 0) return r->text[5];
    return NULL;
}

size_t mo_ivf_stats_centroid_count(const mo_ivf_stats *s) {
    const mo_record *r = mo_live_record(s, MO_REC_IVF_STATS);
    return r ? r->num_count / 3 : 0;
}

mo_status mo_ivf_stats_centroid(const mo_ivf_stats *s, size_t index, int64_t *centroid_id,
                                int64_t *centroid_version, int64_t *entry_count) {
    const char *op = "vector_ops.ivf_stats_centroid";
    mo_status st = mo_handle_check(s, MO_HANDLE_RECORD, op);
    if (st < 0) return st;
    const mo_record *r = mo_live_record(s, MO_REC_IVF_STATS);
    if (!r) return mo_error_set(MO_E_MISUSE, op, "not an IVF stats record");
    if (index >= r->num_count / 3)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "centroid index %zu out of range (%zu)",
                            index, r->num_count / 3);
    if (centroid_id) *centroid_id = r->nums[index * 3];
    if (centroid_version) *centroid_version = r->nums[index * 3 + 1];
    if (entry_count) *entry_count = r->nums[index * 3 + 2];
    return MO_OK;
}

MO_RECORD_TYPE(mo_metadata_row, mo_metadata_row, MO_REC_METADATA_ROW)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_col_name, MO_REC_METADATA_ROW, 0)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_object_name, MO_REC_METADATA_ROW, 1)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_obj_loc, MO_REC_METADATA_ROW, 3)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_create_ts, MO_REC_METADATA_ROW, 4)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_delete_ts, MO_REC_METADATA_ROW, 5)
MO_TEXT_NUM_FIELD(mo_metadata_row, mo_metadata_row_rows_cnt, MO_REC_METADATA_ROW, 6)
MO_TEXT_NUM_FIELD(mo_metadata_row, mo_metadata_row_null_cnt, MO_REC_METADATA_ROW, 7)
MO_TEXT_NUM_FIELD(mo_metadata_row, mo_metadata_row_compress_size, MO_REC_METADATA_ROW, 8)
MO_TEXT_NUM_FIELD(mo_metadata_row, mo_metadata_row_origin_size, MO_REC_METADATA_ROW, 9)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_min, MO_REC_METADATA_ROW, 10)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_max, MO_REC_METADATA_ROW, 11)
MO_TEXT_FIELD(mo_metadata_row, mo_metadata_row_sum, MO_REC_METADATA_ROW, 12)

int mo_metadata_row_is_hidden(const mo_metadata_row *x) {
    const mo_record *r = mo_live_record(x, MO_REC_METADATA_ROW);
    return r && r->text[2] && strcmp(r->text[2], "true") == 0;
}

MO_RECORD_TYPE(mo_table_stats, mo_table_stats, MO_REC_TABLE_STATS)
MO_TEXT_FIELD(mo_table_stats, mo_table_stats_key, MO_REC_TABLE_STATS, 0)
MO_TEXT_FIELD(mo_table_stats, mo_table_stats_object_name, MO_REC_TABLE_STATS, 1)
MO_TEXT_FIELD(mo_table_stats, mo_table_stats_create_ts, MO_REC_TABLE_STATS, 2)
MO_TEXT_FIELD(mo_table_stats, mo_table_stats_delete_ts, MO_REC_TABLE_STATS, 3)
MO_TEXT_FIELD(mo_table_stats, mo_table_stats_original_size_text, MO_REC_TABLE_STATS, 4)
MO_TEXT_FIELD(mo_table_stats, mo_table_stats_compress_size_text, MO_REC_TABLE_STATS, 5)
MO_NUMS_FIELD(mo_table_stats, mo_table_stats_total_objects, MO_REC_TABLE_STATS, 0)
MO_NUMS_FIELD(mo_table_stats, mo_table_stats_row_cnt, MO_REC_TABLE_STATS, 1)
MO_NUMS_FIELD(mo_table_stats, mo_table_stats_null_cnt, MO_REC_TABLE_STATS, 2)
MO_NUMS_FIELD(mo_table_stats, mo_table_stats_original_size, MO_REC_TABLE_STATS, 3)
MO_NUMS_FIELD(mo_table_stats, mo_table_stats_compress_size, MO_REC_TABLE_STATS, 4)

MO_RECORD_FREE(mo_moctl_result, mo_moctl_result, MO_REC_MOCTL)
MO_TEXT_FIELD(mo_moctl_result, mo_moctl_result_method, MO_REC_MOCTL, 0)
MO_TEXT_FIELD(mo_moctl_result, mo_moctl_result_return_str, MO_REC_MOCTL, 1)
MO_TEXT_FIELD(mo_moctl_result, mo_moctl_result_json, MO_REC_MOCTL, 2)

mo_status mo_mgr_first_record(mo_record **out, const mo_executor *ex, mo_record_list *l, int kind,
                              int name_field, const char *name, const char *what, const char *op) {
    mo_status st = MO_OK;
    *out = NULL;
    if (l->count) {
        *out = mo_record_list_take(l, 0);
    } else if (mo_mgr_dry_run(ex)) {
        *out = mo_record_new(kind);
        st = *out ? mo_record_set_str(*out, name_field, name, op) : mo_error_oom(op);
    } else {
        st = mo_error_set(MO_E_NOT_FOUND, op, "%s '%s' not found", what, name);
    }
    mo_record_list_destroy(l);
    return st;
}

mo_status mo_mgr_hand_out_list(void **out, mo_record_list *l, mo_status st, const char *op) {
    if (st < 0) {
        mo_record_list_destroy(l);
        return st;
    }
    st = mo_record_list_publish(l, op);
    if (st >= 0) *out = l;
    return st;
}

mo_status mo_mgr_hand_out(void **out, mo_record *rec, mo_status st, const char *op) {
    if (st < 0 || !out) {
        mo_record_destroy(rec);
        return st < 0 ? st : MO_OK;
    }
    st = mo_record_publish(rec, op);
    if (st >= 0) *out = rec;
    return st;
}
