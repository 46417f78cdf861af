/* src/managers/account.c — accounts, users, roles and grants (reference §9.7).
 *
 * Account DDL (CREATE/ALTER/DROP/SHOW ACCOUNT(S)) is MatrixOne-only. Users, roles and grants
 * are MySQL-like and also run on MySQL/MariaDB, with these per-server forms:
 *  - ALTER USER lock: MatrixOne `LOCK`/`UNLOCK` (the SDK's text), MySQL/MariaDB
 *    `ACCOUNT LOCK`/`ACCOUNT UNLOCK`;
 *  - grants ON DATABASE d: MatrixOne `ON DATABASE `d``, MySQL/MariaDB `ON `d`.*`; ON ACCOUNT is
 *    MatrixOne-only;
 *  - roles are read back with SHOW ROLES on Matrixone, from mysql.user (is_role) on MariaDB;
 *    MySQL has no role listing statement: get/list roles are UNSUPPORTED there and create_role
 *    returns a record without a read-back.
 * Differences from the SDK everywhere: names are quoted identifiers with inner backticks
 * doubled ("db.t" split into `db`.`t`, "*" kept bare), passwords and comments are escaped
 * literals (the SDK pastes them inside quotes unescaped), privileges and object types are
 * validated keywords instead of raw text, and giving both to_user and to_role is an error
 * (the SDK silently prefers the user). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

/* ------------------------------------------------------------------ helpers */

/* Map result columns to record fields by (case-insensitive) column name. */
static void map_by_name(mo_result *r, const char *const *names, size_t nnames, int *map,
                        size_t *map_len) {
    size_t n = mo_result_column_count(r);
    if (n > 32) n = 32;
    for (size_t i = 0; i < n; i++) {
        const char *col;
        size_t len;
        map[i] = -1;
        if (mo_result_column_name(r, i, &col, &len) < 0) continue;
        for (size_t k = 0; k < nnames; k++) {
            for (const char *p = names[k]; p; p = NULL) {
                if (strlen(p) == len && strncasecmp(col, p, len) == 0) map[i] = (int)k;
            }
        }
    }
    *map_len = n;
}

static mo_status query_records(mo_executor *ex, mo_buf *sql, int kind, const char *const *names,
                               const char *const *alt, size_t nnames, mo_record_filter filter,
                               void *ud, mo_record_list **l, const char *op) {
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, sql, op, &r);
    if (st >= 0) {
        int map[32], map2[32];
        size_t n = 0, n2 = 0;
        map_by_name(r, names, nnames, map, &n);
        if (alt) {
            map_by_name(r, alt, nnames, map2, &n2);
            for (size_t i = 0; i < n; i++)
                if (map[i] < 0) map[i] = map2[i];
        }
        int any = 0;
        for (size_t i = 0; i < n; i++) any |= map[i] >= 0;
        if (!any && n) map[0] = 0; /* unknown layout: at least the name */
        st = mo_records_from_result(l, r, kind, map, n, filter, ud, op);
    }
    mo_result_free(r);
    return st;
}

static int name_is(const mo_record *r, void *ud) {
    return r->text[0] && strcmp(r->text[0], (const char *)ud) == 0;
}

static const char *const account_cols[] = {"account_name", "admin_name", "created_time", "status",
                                           "suspended_time", "comments", "suspended_reason"};
static const char *const account_alt[] = {"account", "admin", "created", "state", "suspended",
                                          "comment", "reason"};
static const char *const role_cols[] = {"role_name", "role_id", "created_time", "comments"};
static const char *const role_alt[] = {"user", "id", "created", "comment"};

/* ------------------------------------------------------------------ accounts */

/* get(), and the read-back of create/alter (a mo_mgr_get_fn): name is the account's. */
static mo_status account_get(void **out, mo_executor *ex, const void *name, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SHOW ACCOUNTS");
    mo_record_list *l = NULL;
    mo_status st = query_records(ex, &sql, MO_REC_ACCOUNT, account_cols, account_alt, 7, name_is,
                                 (void *)name, &l, op);
    mo_buf_free(&sql);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, MO_REC_ACCOUNT, 0, name, "Account", op);
    return mo_mgr_hand_out(out, rec, st, op);
}

mo_status mo_account_create_account(mo_account **out, mo_executor *ex, const char *account_name,
                                    const char *admin_name, const char *password,
                                    const char *comment) {
    const char *op = "account.create_account";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(account_name, op, "account_name must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(admin_name, op, "admin_name must be a non-empty string");
    if (st >= 0 && !password) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "password is NULL");
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE ACCOUNT ");
        st = mo_mgr_ident(&sql, account_name, "account name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " ADMIN_NAME ");
        mo_mgr_literal(ex, &sql, admin_name);
        mo_buf_append_str(&sql, " IDENTIFIED BY ");
        mo_mgr_literal(ex, &sql, password);
        if (comment) {
            mo_buf_append_str(&sql, " COMMENT ");
            mo_mgr_literal(ex, &sql, comment);
        }
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, account_get, account_name, (void **)out,
                                   "Failed to create account '%s'", account_name);
}

mo_status mo_account_drop_account(mo_executor *ex, const char *account_name, int if_exists) {
    return mo_mgr_drop_named(ex, "account.drop_account", 1,
                             if_exists ? "DROP ACCOUNT IF EXISTS " : "DROP ACCOUNT ", account_name,
                             "account_name must be a non-empty string", "account name",
                             "Failed to drop account '%s'", account_name);
}

mo_status mo_account_alter_account(mo_account **out, mo_executor *ex, const char *account_name,
                                   const char *comment, int suspend, const char *suspend_reason) {
    const char *op = "account.alter_account";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(account_name, op, "account_name must be a non-empty string");
    if (st >= 0 && !comment && suspend < 0)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "nothing to alter: give a comment or suspend");
    if (st >= 0) {
        mo_buf_append_str(&sql, "ALTER ACCOUNT ");
        st = mo_mgr_ident(&sql, account_name, "account name", op);
    }
    if (st >= 0) {
        if (comment) {
            mo_buf_append_str(&sql, " COMMENT ");
            mo_mgr_literal(ex, &sql, comment);
        }
        if (suspend > 0) {
            mo_buf_append_str(&sql, " SUSPEND");
            if (suspend_reason) {
                mo_buf_append_str(&sql, " COMMENT ");
                mo_mgr_literal(ex, &sql, suspend_reason);
            }
        } else if (suspend == 0) {
            mo_buf_append_str(&sql, " OPEN");
        }
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, account_get, account_name, (void **)out,
                                   "Failed to alter account '%s'", account_name);
}

mo_status mo_account_get_account(mo_account **out, mo_executor *ex, const char *account_name) {
    const char *op = "account.get_account";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(account_name, op, "account_name must be a non-empty string");
    if (st >= 0) {
        st = account_get((void **)out, ex, account_name, op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to get account '%s'", account_name);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_account_list_accounts(mo_account_list **out, mo_executor *ex) {
    const char *op = "account.list_accounts";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append_str(&sql, "SHOW ACCOUNTS");
        mo_record_list *l = NULL;
        st = query_records(ex, &sql, MO_REC_ACCOUNT, account_cols, account_alt, 7, NULL, NULL, &l, op);
        mo_buf_free(&sql);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list accounts");
        st = mo_mgr_hand_out_list((void **)out, l, st, op);
    }
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ users */

/* A synthetic user record (the SDK builds these without reading the server). */
static mo_status user_record(mo_record **out, const char *name, size_t name_len,
                             const char *host, const char *account, const char *status,
                             const char *op) {
    mo_record *r = mo_record_new(MO_REC_USER);
    if (!r) return mo_error_oom(op);
    mo_status st = mo_record_set(r, 0, name, name_len, op);
    if (st >= 0) st = mo_record_set_str(r, 1, host, op);
    if (st >= 0) st = mo_record_set_str(r, 2, account, op);
    if (st >= 0) st = mo_record_set_str(r, 4, status, op);
    if (st < 0) {
        mo_record_destroy(r);
        return st;
    }
    *out = r;
    return MO_OK;
}

/* On MatrixOne the SDK guesses the user's account from SHOW ACCOUNTS: the one row's name, else
 * "sys". *account is malloc'd (NULL on other servers: nothing is sent). */
static mo_status guess_account(mo_executor *ex, char **account, const char *op) {
    *account = NULL;
    if (mo_mgr_kind(ex) != MO_SERVER_MATRIXONE) return MO_OK;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SHOW ACCOUNTS");
    mo_record_list *l = NULL;
    mo_status st = query_records(ex, &sql, MO_REC_ACCOUNT, account_cols, account_alt, 7, NULL,
                                 NULL, &l, op);
    mo_buf_free(&sql);
    if (st < 0) return st;
    *account = mo_strdup(l->count == 1 && l->items[0]->text[0] ? l->items[0]->text[0] : "sys");
    mo_record_list_destroy(l);
    return *account ? MO_OK : mo_error_oom(op);
}

/* The read-back of create_user (a mo_mgr_get_fn): the user's record, built locally as
 * the SDK does, with the account read from the server. */
static mo_status created_user(void **out, mo_executor *ex, const void *user_name,
                              const char *op) {
    char *account = NULL;
    mo_status st = guess_account(ex, &account, op);
    mo_record *r = NULL;
    if (st >= 0) st = user_record(&r, user_name, strlen(user_name), "%", account, "ACTIVE", op);
    free(account);
    return mo_mgr_hand_out(out, r, st, op);
}

mo_status mo_account_create_user(mo_user **out, mo_executor *ex, const char *user_name,
                                 const char *password, const char *comment) {
    const char *op = "account.create_user";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require(user_name, op, "user_name must be a non-empty string");
    if (st >= 0 && !password) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "password is NULL");
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE USER ");
        st = mo_mgr_ident(&sql, user_name, "user name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " IDENTIFIED BY ");
        mo_mgr_literal(ex, &sql, password);
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, created_user, user_name, (void **)out,
                                   "Failed to create user '%s'", user_name);
}

mo_status mo_account_drop_user(mo_executor *ex, const char *user_name, int if_exists) {
    return mo_mgr_drop_named(ex, "account.drop_user", 0,
                             if_exists ? "DROP USER IF EXISTS " : "DROP USER ", user_name,
                             "user_name must be a non-empty string", "user name",
                             "Failed to drop user '%s'", user_name);
}

mo_status mo_account_alter_user(mo_user **out, mo_executor *ex, const char *user_name,
                                const char *password, const char *comment, int lock,
                                const char *lock_reason) {
    const char *op = "account.alter_user";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    int mo = mo_mgr_kind(ex) == MO_SERVER_MATRIXONE;
    st = mo_mgr_require(user_name, op, "user_name must be a non-empty string");
    if (st >= 0 && comment)
        st = mo_error_set(MO_E_UNSUPPORTED, op,
                          "Failed to alter user '%s': MatrixOne doesn't support COMMENT in ALTER "
                          "USER. Comment: '%s'", user_name, comment);
    if (st >= 0) {
        mo_buf_append_str(&sql, "ALTER USER ");
        st = mo_mgr_ident(&sql, user_name, "user name", op);
    }
    if (st >= 0 && (password || lock >= 0)) {
        if (password) {
            mo_buf_append_str(&sql, " IDENTIFIED BY ");
            mo_mgr_literal(ex, &sql, password);
        }
        if (lock > 0) mo_buf_append_str(&sql, mo ? " LOCK" : " ACCOUNT LOCK");
        else if (lock == 0) mo_buf_append_str(&sql, mo ? " UNLOCK" : " ACCOUNT UNLOCK");
        st = mo_mgr_exec(ex, &sql, op, NULL);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to alter user '%s'", user_name);
    }
    if (st >= 0) {
        mo_record *r = NULL;
        st = user_record(&r, user_name, strlen(user_name), "%", mo ? "sys" : NULL,
                         lock > 0 ? "LOCKED" : "ACTIVE", op);
        if (st >= 0 && lock > 0) st = mo_record_set_str(r, 7, lock_reason, op);
        st = mo_mgr_hand_out((void **)out, r, st, op);
    }
    mo_buf_free(&sql);
    mo_mgr_leave(ex);
    return st;
}

/* Run a one-value query ("SELECT USER()") and split "name@host" into a user record. */
static mo_status user_from_query(mo_record **out, mo_executor *ex, const char *query,
                                 const char *status, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, query);
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    const char *text = "";
    size_t len = 0;
    if (st >= 0) {
        mo_status row = mo_result_next(r);
        if (row == MO_ROW) st = mo_result_get_text(r, 0, &text, &len);
        else if (row < 0) st = row;
    }
    if (st >= 0) {
        const char *at = memchr(text, '@', len);
        size_t name_len = at ? (size_t)(at - text) : len;
        char *host = at ? mo_strndup(at + 1, len - name_len - 1) : NULL;
        if (at && !host) st = mo_error_oom(op);
        if (st >= 0) st = user_record(out, text, name_len, host ? host : "%", NULL, status, op);
        free(host);
    }
    mo_result_free(r);
    return st;
}

mo_status mo_account_get_current_user(mo_user **out, mo_executor *ex) {
    const char *op = "account.get_current_user";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_record *r = NULL;
    st = user_from_query(&r, ex, "SELECT USER()", "ACTIVE", op);
    if (st < 0) mo_mgr_wrap(st, op, "Failed to get current user");
    st = mo_mgr_hand_out((void **)out, r, st, op);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_account_list_users(mo_user_list **out, mo_executor *ex) {
    const char *op = "account.list_users";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_record *r = NULL;
    char *account = NULL;
    st = user_from_query(&r, ex, "SELECT CURRENT_USER()", "OPEN", op);
    if (st >= 0) st = guess_account(ex, &account, op);
    if (st >= 0) st = mo_record_set_str(r, 2, account, op);
    free(account);
    mo_record_list *l = NULL;
    if (st >= 0) {
        l = mo_record_list_new(MO_REC_USER);
        st = l ? mo_record_list_add(l, r, op) : mo_error_oom(op);
        r = NULL;
    }
    mo_record_destroy(r);
    st = mo_mgr_hand_out_list((void **)out, l, st, op);
    if (st < 0) mo_mgr_wrap(st, op, "Failed to list users");
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ roles */

static mo_status roles_query(mo_executor *ex, mo_buf *sql, const char *op) {
    switch (mo_mgr_kind(ex)) {
    case MO_SERVER_MATRIXONE: mo_buf_append_str(sql, "SHOW ROLES"); return MO_OK;
    case MO_SERVER_MARIADB:
        mo_buf_append_str(sql, "SELECT User AS role_name FROM mysql.user WHERE is_role = 'Y'");
        return MO_OK;
    default:
        return mo_error_set(MO_E_UNSUPPORTED, op, "MySQL has no statement that lists roles");
    }
}

static void finish_role(mo_record *r) { r->num = r->text[1] ? strtoll(r->text[1], NULL, 10) : 0; }

static mo_status role_get(void **out, mo_executor *ex, const void *name, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_status st = roles_query(ex, &sql, op);
    mo_record_list *l = NULL;
    if (st >= 0)
        st = query_records(ex, &sql, MO_REC_ROLE, role_cols, role_alt, 4, name_is, (void *)name, &l, op);
    mo_buf_free(&sql);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, MO_REC_ROLE, 0, name, "Role", op);
    if (st >= 0) finish_role(rec);
    return mo_mgr_hand_out(out, rec, st, op);
}

/* The read-back of create_role (a mo_mgr_get_fn): MySQL has no role listing, so there
 * the record carries only the name. */
static mo_status created_role(void **out, mo_executor *ex, const void *role_name,
                              const char *op) {
    if (mo_mgr_kind(ex) != MO_SERVER_MYSQL) return role_get(out, ex, role_name, op);
    mo_record *r = mo_record_new(MO_REC_ROLE);
    mo_status st = r ? mo_record_set_str(r, 0, role_name, op) : mo_error_oom(op);
    return mo_mgr_hand_out(out, r, st, op);
}

mo_status mo_account_create_role(mo_role **out, mo_executor *ex, const char *role_name,
                                 const char *comment) {
    const char *op = "account.create_role";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require(role_name, op, "role_name must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE ROLE ");
        st = mo_mgr_ident(&sql, role_name, "role name", op);
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, created_role, role_name, (void **)out,
                                   "Failed to create role '%s'", role_name);
}

mo_status mo_account_drop_role(mo_executor *ex, const char *role_name, int if_exists) {
    return mo_mgr_drop_named(ex, "account.drop_role", 0,
                             if_exists ? "DROP ROLE IF EXISTS " : "DROP ROLE ", role_name,
                             "role_name must be a non-empty string", "role name",
                             "Failed to drop role '%s'", role_name);
}

mo_status mo_account_get_role(mo_role **out, mo_executor *ex, const char *role_name) {
    const char *op = "account.get_role";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require(role_name, op, "role_name must be a non-empty string");
    if (st >= 0) {
        st = role_get((void **)out, ex, role_name, op);
        if (st < 0 && st != MO_E_UNSUPPORTED) mo_mgr_wrap(st, op, "Failed to get role '%s'", role_name);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_account_list_roles(mo_role_list **out, mo_executor *ex) {
    const char *op = "account.list_roles";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = roles_query(ex, &sql, op);
    mo_record_list *l = NULL;
    if (st >= 0) {
        st = query_records(ex, &sql, MO_REC_ROLE, role_cols, role_alt, 4, NULL, NULL, &l, op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list roles");
    }
    mo_buf_free(&sql);
    if (st >= 0)
        for (size_t i = 0; i < l->count; i++) finish_role(l->items[i]);
    st = mo_mgr_hand_out_list((void **)out, l, st, op);
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ grants */

/* Privileges are keywords: letters, '_', spaces and commas ("SELECT, INSERT", "ALL
 * PRIVILEGES", "CREATE USER"). They cannot be quoted, so anything else is rejected. */
static mo_status privilege_ok(const char *p, const char *op) {
    if (!p || !*p) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "privilege must be a non-empty string");
    int letters = 0;
    for (const char *c = p; *c; c++) {
        if (isalpha((unsigned char)*c) || *c == '_') letters = 1;
        else if (*c != ' ' && *c != ',')
            return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                "invalid privilege '%s': only keywords, spaces and commas", p);
    }
    return letters ? MO_OK : mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid privilege '%s'", p);
}

static mo_status privilege_statement(mo_executor *ex, int grant, const char *privilege,
                                     const char *object_type, const char *object_name,
                                     const char *user, const char *role, const char *op) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    int mo = mo_mgr_kind(ex) == MO_SERVER_MATRIXONE;
    st = privilege_ok(privilege, op);
    if (st >= 0 && !user && !role)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, grant ? "Must specify either to_user or to_role"
                                                           : "Must specify either from_user or from_role");
    if (st >= 0 && user && role)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, grant ? "Specify only one of to_user and to_role"
                                                           : "Specify only one of from_user and from_role");
    if (st >= 0) st = mo_mgr_require(object_name, op, "object_name must be a non-empty string");
    static const char *types[] = {"TABLE", "DATABASE", "ACCOUNT", "FUNCTION", "PROCEDURE"};
    const char *type = NULL;
    if (st >= 0 && object_type && *object_type) {
        for (size_t i = 0; i < 5; i++)
            if (mo_mgr_ieq(object_type, types[i])) type = types[i];
        if (!type)
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                              "invalid object_type '%s': TABLE, DATABASE, ACCOUNT, FUNCTION or PROCEDURE",
                              object_type);
        else if (!mo && strcmp(type, "ACCOUNT") == 0)
            st = mo_error_set(MO_E_UNSUPPORTED, op, "privileges ON ACCOUNT are MatrixOne-only");
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, grant ? "GRANT " : "REVOKE ");
        mo_buf_append_str(&sql, privilege);
        mo_buf_append_str(&sql, " ON ");
        if (type && !(strcmp(type, "DATABASE") == 0 && !mo)) {
            mo_buf_append_str(&sql, type);
            mo_buf_append_char(&sql, ' ');
        }
        st = mo_mgr_qualified(&sql, object_name, "object name", 1, op);
        if (st >= 0 && type && strcmp(type, "DATABASE") == 0 && !mo && !strchr(object_name, '.'))
            mo_buf_append_str(&sql, ".*");
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, grant ? " TO " : " FROM ");
        st = mo_mgr_ident(&sql, user ? user : role, user ? "user name" : "role name", op);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "%s",
                         grant ? "Failed to grant privilege" : "Failed to revoke privilege");
}

mo_status mo_account_grant_privilege(mo_executor *ex, const char *privilege,
                                     const char *object_type, const char *object_name,
                                     const char *to_user, const char *to_role) {
    return privilege_statement(ex, 1, privilege, object_type, object_name, to_user, to_role,
                               "account.grant_privilege");
}

mo_status mo_account_revoke_privilege(mo_executor *ex, const char *privilege,
                                      const char *object_type, const char *object_name,
                                      const char *from_user, const char *from_role) {
    return privilege_statement(ex, 0, privilege, object_type, object_name, from_user, from_role,
                               "account.revoke_privilege");
}

static mo_status role_statement(mo_executor *ex, int grant, const char *role, const char *user,
                                const char *op) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require(role, op, "role_name must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(user, op, grant ? "to_user must be a non-empty string"
                                                     : "from_user must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, grant ? "GRANT " : "REVOKE ");
        st = mo_mgr_ident(&sql, role, "role name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, grant ? " TO " : " FROM ");
        st = mo_mgr_ident(&sql, user, "user name", op);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "%s '%s' %s '%s'",
                         grant ? "Failed to grant role" : "Failed to revoke role", role ? role : "",
                         grant ? "to user" : "from user", user ? user : "");
}

mo_status mo_account_grant_role(mo_executor *ex, const char *role_name, const char *to_user) {
    return role_statement(ex, 1, role_name, to_user, "account.grant_role");
}

mo_status mo_account_revoke_role(mo_executor *ex, const char *role_name, const char *from_user) {
    return role_statement(ex, 0, role_name, from_user, "account.revoke_role");
}

/* The keyword `kw` as a word outside quotes in [s, end), or NULL. */
static const char *find_keyword(const char *s, const char *end, const char *kw) {
    size_t at = mo_sql_find_word(s, (size_t)(end - s), 0, kw);
    return at < (size_t)(end - s) ? s + at : NULL;
}

static const char *skip_spaces(const char *s, const char *end) {
    while (s < end && *s == ' ') s++;
    return s;
}

static const char *trim_spaces(const char *start, const char *end) {
    while (end > start && end[-1] == ' ') end--;
    return end;
}

/* The user name out of "`u`@`h`", "'u'@'h'" or "u@h" (quotes undone, doubled quotes kept
 * single). */
static mo_status grant_user(mo_record *r, const char *s, const char *end, const char *op) {
    mo_buf b;
    mo_buf_init(&b);
    if (s < end && (*s == '`' || *s == '\'' || *s == '"')) {
        char q = *s++;
        while (s < end) {
            if (*s == q) {
                if (s + 1 < end && s[1] == q) {
                    mo_buf_append_char(&b, q);
                    s += 2;
                    continue;
                }
                break;
            }
            mo_buf_append_char(&b, *s++);
        }
    } else {
        while (s < end && *s != '@' && *s != ' ') mo_buf_append_char(&b, *s++);
    }
    mo_status st = mo_buf_ok(&b) ? mo_record_set(r, 4, b.data ? b.data : "", b.len, op) : mo_error_oom(op);
    mo_buf_free(&b);
    return st;
}

/* "GRANT <priv> ON [<type>] <object> TO <user>..." -> privilege, object_type, object_name,
 * user. A role grant ("GRANT `r` TO `u`") has no privilege/object. The SDK splits on spaces
 * (privilege = word 1, type = word 3, object = word 4), which breaks on "ALL PRIVILEGES" and
 * MySQL's "ON *.*"; we split on the keywords. Without an explicit type, "*.*" is GLOBAL,
 * "db.*" DATABASE, anything else TABLE. */
static mo_status parse_grant(mo_record *r, const char *op) {
    const char *s = r->text[0];
    if (!s) return MO_OK;
    const char *end = s + strlen(s);
    if (strncasecmp(s, "GRANT ", 6) != 0) return MO_OK;
    const char *body = s + 6;
    const char *on = find_keyword(body, end, "ON");
    const char *to = find_keyword(on ? on : body, end, "TO");
    mo_status st = MO_OK;
    if (on && to) {
        st = mo_record_set(r, 1, body, (size_t)(trim_spaces(body, on) - body), op);
        const char *obj = skip_spaces(on + 2, to), *obj_end = trim_spaces(obj, to);
        static const char *types[] = {"TABLE ", "DATABASE ", "ACCOUNT ", "FUNCTION ", "PROCEDURE "};
        for (size_t i = 0; i < 5 && st >= 0; i++) {
            size_t k = strlen(types[i]);
            if ((size_t)(obj_end - obj) > k && strncasecmp(obj, types[i], k) == 0) {
                st = mo_record_set(r, 2, obj, k - 1, op);
                obj += k;
                break;
            }
        }
        if (st >= 0 && !r->text[2]) {
            size_t n = (size_t)(obj_end - obj);
            const char *type = n == 3 && memcmp(obj, "*.*", 3) == 0 ? "GLOBAL"
                               : n >= 2 && memcmp(obj_end - 2, ".*", 2) == 0 ? "DATABASE" : "TABLE";
            st = mo_record_set_str(r, 2, type, op);
        }
        if (st >= 0) st = mo_record_set(r, 3, obj, (size_t)(obj_end - obj), op);
    }
    if (st >= 0 && to) st = grant_user(r, skip_spaces(to + 2, end), end, op);
    return st;
}

mo_status mo_account_list_grants(mo_grant_list **out, mo_executor *ex, const char *user) {
    const char *op = "account.list_grants";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SHOW GRANTS");
    if (user) {
        mo_buf_append_str(&sql, " FOR ");
        st = mo_mgr_ident(&sql, user, "user name", op);
    }
    mo_record_list *l = NULL;
    if (st >= 0) {
        mo_result *r = NULL;
        static const int map[] = {0};
        st = mo_mgr_exec(ex, &sql, op, &r);
        if (st >= 0) st = mo_records_from_result(&l, r, MO_REC_GRANT, map, 1, NULL, NULL, op);
        mo_result_free(r);
        for (size_t i = 0; st >= 0 && i < l->count; i++) st = parse_grant(l->items[i], op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list grants");
    }
    mo_buf_free(&sql);
    st = mo_mgr_hand_out_list((void **)out, l, st, op);
    mo_mgr_leave(ex);
    return st;
}
