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

mo_client *mo_executor_client(const mo_executor *ex) {
    return mo_handle_is_live(ex, MO_HANDLE_EXECUTOR) ? ex->client : NULL;
}

mo_session *mo_executor_session(const mo_executor *ex) {
    return mo_handle_is_live(ex, MO_HANDLE_EXECUTOR) ? ex->session : NULL;
}

void mo_executor_free(mo_executor *ex) {
    if (!ex || mo_handle_enter(ex, MO_HANDLE_EXECUTOR, "executor.free") < 0) return;
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
    if (st < 0) return st;
    if (ex->session) st = mo_handle_enter(ex->session, MO_HANDLE_SESSION, op);
    else st = mo_handle_enter(ex->client, MO_HANDLE_CLIENT, op);
    if (st < 0) mo_handle_leave(ex);
    return st;
}

void mo_mgr_leave(mo_executor *ex) {
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

mo_conn *mo_mgr_conn(const mo_executor *ex) {
    return ex->session ? ex->session->conn : ex->client->conn;
}

mo_status mo_mgr_exec(mo_executor *ex, mo_buf *sql, const char *op, mo_result **out) {
    mo_result *r = NULL;
    mo_status st = mo_mgr_sql_ok(sql, op);
    if (st < 0) return st;
    const char *text = mo_buf_cstr(sql);
    if (ex->session) {
        st = mo_session_run(&r, ex->session, text, sql->len, NULL, 0, op);
    } else {
        /* As mo_client_execute: a write that loses its connection has an unknown outcome. */
        int sensitive = !mo_sql_is_read_only(text, sql->len);
        st = mo_execute(&r, ex->client, NULL, ex->client->conn, text, sql->len, NULL, 0,
                        sensitive, op);
    }
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

mo_status mo_mgr_finish(mo_executor *ex, mo_buf *sql, mo_status st, const char *op,
                        mo_result **out, const char *fmt, ...) {
    if (st >= 0) {
        st = mo_mgr_exec(ex, sql, op, out);
        if (st < 0) {
            va_list ap;
            va_start(ap, fmt);
            wrap_v(st, op, fmt, ap);
            va_end(ap);
        }
    }
    mo_buf_free(sql);
    mo_mgr_leave(ex);
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
    mo_mgr_literal_len(ex, b, s ? s : "", s ? strlen(s) : 0);
}

void mo_mgr_literal_len(const mo_executor *ex, mo_buf *b, const char *s, size_t len) {
    /* Dry-run has no connection: backslash escapes on, the server default. */
    mo_sql_append_string_literal(b, s, len, mo_mgr_no_backslash_escapes(ex));
}

int mo_mgr_no_backslash_escapes(const mo_executor *ex) {
    const mo_conn *conn = mo_mgr_conn(ex);
    return conn ? mo_conn_no_backslash_escapes(conn) : 0;
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

mo_status mo_mgr_hand_out(void **out, mo_record *rec, mo_status st, const char *op) {
    if (st < 0 || !out) {
        mo_record_destroy(rec);
        return st < 0 ? st : MO_OK;
    }
    st = mo_record_publish(rec, op);
    if (st >= 0) *out = rec;
    return st;
}
