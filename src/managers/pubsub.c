/* src/managers/pubsub.c — publications and subscriptions (reference §9.6). MatrixOne-only.
 *
 * The SDK already backticks names; we double inner backticks. Differences: a comma-separated
 * account or table list is quoted per element (`a`, `b`) instead of as one identifier
 * `a,b`, and the account list "all" is sent as the keyword ALL; list_subscriptions filters
 * on the rows of a plain SHOW SUBSCRIPTIONS (the SDK's `SHOW SUBSCRIPTIONS WHERE ...` is a
 * syntax error, 1064, on MatrixOne v4.2). */
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

/* SHOW PUBLICATIONS: publication, database, tables, sub_account, subscribed_accounts,
 * create_time, update_time, comments. */
static const int pub_map[] = {0, 1, 2, 3, 4, 5, 6, 7};
/* SHOW SUBSCRIPTIONS: pub_name, pub_account, pub_database, pub_tables, pub_comment, pub_time,
 * sub_name, sub_time, status. Our fields: 0 pub_name, 1 pub_account, 2 pub_database,
 * 3 pub_tables, 4 pub_comment, 5 pub_time, 6 sub_name, 7 sub_time, 8 status text. */
static const int sub_map[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};

/* Which rows a SHOW keeps. Every member may be NULL (no condition). */
typedef struct {
    const char *name;     /* exact match on field `field` */
    int field;
    const char *account;  /* substring of field `account_field` (publications: sub_account)
                           * or, when account_exact, exactly it (subscriptions: pub_account) */
    int account_field;
    int account_exact;
    const char *database; /* exact match on field `database_field` */
    int database_field;
} pub_filter;

static int field_is(const mo_record *r, int field, const char *want) {
    return r->text[field] && strcmp(r->text[field], want) == 0;
}

static int keep(const mo_record *r, void *ud) {
    const pub_filter *f = ud;
    if (!f) return 1;
    if (f->name && !field_is(r, f->field, f->name)) return 0;
    if (f->account) {
        const char *have = r->text[f->account_field];
        if (f->account_exact ? !field_is(r, f->account_field, f->account)
                             : (!have || !strstr(have, f->account)))
            return 0;
    }
    if (f->database && !field_is(r, f->database_field, f->database)) return 0;
    return 1;
}

static void finish_subscription(mo_record *r) {
    /* The SDK reports status 0 always; we keep the server's number when there is one. */
    r->num = r->text[8] ? strtoll(r->text[8], NULL, 10) : 0;
}

mo_status mo_pubsub_subscriptions_from_result(mo_record_list **out, mo_result *r,
                                              const char *pub_account, const char *pub_database,
                                              const char *op) {
    pub_filter f = {NULL, 0, pub_account, 1, 1, pub_database, 2};
    mo_status st = mo_records_from_result(out, r, MO_REC_SUBSCRIPTION, sub_map, 9, keep,
                                          pub_account || pub_database ? &f : NULL, op);
    if (st >= 0)
        for (size_t i = 0; i < (*out)->count; i++) finish_subscription((*out)->items[i]);
    return st;
}


/* Run a SHOW and collect the rows the filter keeps. */
static mo_status show(mo_executor *ex, const char *text, int kind, pub_filter *f,
                      mo_record_list **l, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, text);
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    if (st >= 0) st = mo_records_from_result(l, r, kind, kind == MO_REC_PUBLICATION ? pub_map : sub_map,
                                             kind == MO_REC_PUBLICATION ? 8 : 9, keep, f, op);
    mo_result_free(r);
    if (st >= 0 && kind == MO_REC_SUBSCRIPTION)
        for (size_t i = 0; i < (*l)->count; i++) finish_subscription((*l)->items[i]);
    return st;
}

/* Find one record by name (publication: field 0, subscription: field 6). In dry-run a miss
 * gives a record carrying the name. */
static mo_status find_one(void **out, mo_executor *ex, int kind, const char *name,
                          const char *op) {
    pub_filter f = {name, kind == MO_REC_PUBLICATION ? 0 : 6, NULL, 0, 0, NULL, 0};
    mo_record_list *l = NULL;
    mo_status st = show(ex, kind == MO_REC_PUBLICATION ? "SHOW PUBLICATIONS" : "SHOW SUBSCRIPTIONS",
                        kind, &f, &l, op);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, kind, f.field, name,
                             kind == MO_REC_PUBLICATION ? "Publication" : "Subscription", op);
    return mo_mgr_hand_out(out, rec, st, op);
}

/* The read-backs of create/alter publication and create subscription (mo_mgr_get_fn). */
static mo_status publication_read_back(void **out, mo_executor *ex, const void *name,
                                       const char *op) {
    return find_one(out, ex, MO_REC_PUBLICATION, name, op);
}

static mo_status subscription_read_back(void **out, mo_executor *ex, const void *name,
                                        const char *op) {
    return find_one(out, ex, MO_REC_SUBSCRIPTION, name, op);
}

/* "all" -> ALL, else a quoted list. */
static mo_status accounts(mo_buf *sql, const char *account, const char *op) {
    if (mo_mgr_ieq(account, "all")) {
        mo_buf_append_str(sql, "ALL");
        return MO_OK;
    }
    return mo_mgr_ident_list(sql, account, "account name", op);
}

static mo_status create_publication(mo_publication **out, mo_executor *ex, const char *name,
                                    const char *database, const char *table,
                                    const char *account, const char *op, const char *what) {
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, "publication name must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(database, op, "database must be a non-empty string");
    if (st >= 0 && what[0] == 't') st = mo_mgr_require(table, op, "table must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(account, op, "account must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE PUBLICATION ");
        st = mo_mgr_ident(&sql, name, "publication name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " DATABASE ");
        st = mo_mgr_ident(&sql, database, "database name", op);
    }
    if (st >= 0 && table) {
        mo_buf_append_str(&sql, " TABLE ");
        st = mo_mgr_ident_list(&sql, table, "table name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " ACCOUNT ");
        st = accounts(&sql, account, op);
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, publication_read_back, name, (void **)out,
                                   "Failed to create %s publication '%s'", what, name);
}

mo_status mo_pubsub_create_database_publication(mo_publication **out, mo_executor *ex,
                                                const char *name, const char *database,
                                                const char *account) {
    return create_publication(out, ex, name, database, NULL, account,
                              "pubsub.create_database_publication", "database");
}

mo_status mo_pubsub_create_table_publication(mo_publication **out, mo_executor *ex,
                                             const char *name, const char *database,
                                             const char *table, const char *account) {
    return create_publication(out, ex, name, database, table, account,
                              "pubsub.create_table_publication", "table");
}

/* get_publication / get_subscription. */
static mo_status get_one(void **out, mo_executor *ex, int kind, const char *name,
                         const char *op) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, "name must be a non-empty string");
    if (st >= 0) {
        st = find_one(out, ex, kind, name, op);
        if (st < 0)
            mo_mgr_wrap(st, op, kind == MO_REC_PUBLICATION ? "Failed to get publication '%s'"
                                                           : "Failed to get subscription '%s'",
                        name);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_pubsub_get_publication(mo_publication **out, mo_executor *ex, const char *name) {
    return get_one((void **)out, ex, MO_REC_PUBLICATION, name, "pubsub.get_publication");
}

mo_status mo_pubsub_get_subscription(mo_subscription **out, mo_executor *ex, const char *name) {
    return get_one((void **)out, ex, MO_REC_SUBSCRIPTION, name, "pubsub.get_subscription");
}

mo_status mo_pubsub_list_publications(mo_publication_list **out, mo_executor *ex,
                                      const char *account, const char *database) {
    const char *op = "pubsub.list_publications";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        pub_filter f = {NULL, 0, account, 3, 0, database, 1};
        mo_record_list *l = NULL;
        st = show(ex, "SHOW PUBLICATIONS", MO_REC_PUBLICATION, &f, &l, op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list publications");
        st = mo_mgr_hand_out_list((void **)out, l, st, op);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_pubsub_list_subscriptions(mo_subscription_list **out, mo_executor *ex,
                                       const char *pub_account, const char *pub_database) {
    const char *op = "pubsub.list_subscriptions";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        /* Filtered here, on the rows of SHOW SUBSCRIPTIONS (MatrixOne has no WHERE on it). */
        static const char q[] = "SHOW SUBSCRIPTIONS";
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append(&sql, q, sizeof q - 1);
        mo_result *r = NULL;
        mo_record_list *l = NULL;
        st = mo_mgr_exec(ex, &sql, op, &r);
        mo_buf_free(&sql);
        if (st >= 0) st = mo_pubsub_subscriptions_from_result(&l, r, pub_account, pub_database, op);
        mo_result_free(r);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list subscriptions");
        st = mo_mgr_hand_out_list((void **)out, l, st, op);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_pubsub_alter_publication(mo_publication **out, mo_executor *ex, const char *name,
                                      const char *account, const char *database,
                                      const char *table) {
    const char *op = "pubsub.alter_publication";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, "publication name must be a non-empty string");
    if (st >= 0 && !account && !database && !table)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                          "nothing to alter: give at least one of account, database, table");
    if (st >= 0) {
        mo_buf_append_str(&sql, "ALTER PUBLICATION ");
        st = mo_mgr_ident(&sql, name, "publication name", op);
    }
    if (st >= 0 && account) {
        mo_buf_append_str(&sql, " ACCOUNT ");
        st = accounts(&sql, account, op);
    }
    if (st >= 0 && database) {
        mo_buf_append_str(&sql, " DATABASE ");
        st = mo_mgr_ident(&sql, database, "database name", op);
    }
    if (st >= 0 && table) {
        mo_buf_append_str(&sql, " TABLE ");
        st = mo_mgr_ident_list(&sql, table, "table name", op);
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, publication_read_back, name, (void **)out,
                                   "Failed to alter publication '%s'", name);
}

mo_status mo_pubsub_drop_publication(mo_executor *ex, const char *name) {
    return mo_mgr_drop_named(ex, "pubsub.drop_publication", 1, "DROP PUBLICATION ", name,
                             "publication name must be a non-empty string", "publication name",
                             "Failed to drop publication '%s'", name);
}

mo_status mo_pubsub_show_create_publication(mo_executor *ex, const char *name, const char **out,
                                            size_t *out_len) {
    const char *op = "pubsub.show_create_publication";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "sql is NULL");
    *out = NULL;
    if (out_len) *out_len = 0;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, "publication name must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "SHOW CREATE PUBLICATION ");
        st = mo_mgr_ident(&sql, name, "publication name", op);
    }
    mo_result *r = NULL;
    if (st >= 0) st = mo_mgr_exec(ex, &sql, op, &r);
    if (st >= 0) {
        const char *text = "";
        size_t len = 0;
        mo_status row = mo_result_next(r);
        if (row == MO_ROW) st = mo_result_get_text(r, mo_result_column_count(r) > 1 ? 1 : 0, &text, &len);
        else if (row < 0) st = row;
        else if (!mo_mgr_dry_run(ex))
            st = mo_error_set(MO_E_NOT_FOUND, op, "Publication '%s' not found", name);
        if (st >= 0) {
            free(ex->text);
            ex->text = mo_strndup(text, len);
            if (!ex->text) st = mo_error_oom(op);
            else {
                *out = ex->text;
                if (out_len) *out_len = len;
            }
        }
    }
    if (st < 0 && r) mo_mgr_wrap(st, op, "Failed to show create publication '%s'", name);
    else if (st < 0 && sql.len) mo_mgr_wrap(st, op, "Failed to show create publication '%s'", name);
    mo_result_free(r);
    mo_buf_free(&sql);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_pubsub_create_subscription(mo_subscription **out, mo_executor *ex,
                                        const char *subscription_name,
                                        const char *publication_name,
                                        const char *publisher_account) {
    const char *op = "pubsub.create_subscription";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(subscription_name, op, "subscription name must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(publication_name, op, "publication name must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(publisher_account, op, "publisher account must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE DATABASE ");
        st = mo_mgr_ident(&sql, subscription_name, "subscription name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " FROM ");
        st = mo_mgr_ident(&sql, publisher_account, "publisher account", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " PUBLICATION ");
        st = mo_mgr_ident(&sql, publication_name, "publication name", op);
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, subscription_read_back, subscription_name,
                                   (void **)out, "Failed to create subscription '%s'",
                                   subscription_name);
}
