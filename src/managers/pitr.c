/* src/managers/pitr.c — point-in-time recovery ranges (reference §9.5). MatrixOne-only.
 * The SDK already backticks names; we double inner backticks, and the name in
 * `SHOW PITR WHERE pitr_name = '..'` is an escaped literal (the SDK only wraps it in quotes).
 * For plain names the text is the SDK's byte for byte. */
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

/* SHOW PITR: pitr_name, created_time, modified_time, pitr_level, account_name,
 * database_name, table_name, pitr_length, pitr_unit. */
static const int pitr_map[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};

static void finish_pitr(mo_record *r) {
    for (int f = 4; f <= 6; f++)
        if (r->text[f] && strcmp(r->text[f], "*") == 0) {
            free(r->text[f]);
            r->text[f] = NULL;
        }
    r->num = r->text[7] ? strtoll(r->text[7], NULL, 10) : 0;
}

static mo_status validate_range(int value, const char *unit, const char *op) {
    if (value < 1 || value > 100)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "Range value must be between 1 and 100");
    if (strcmp(unit, "h") && strcmp(unit, "d") && strcmp(unit, "mo") && strcmp(unit, "y"))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "Range unit must be one of: h, d, mo, y");
    return MO_OK;
}

static mo_status run_query(mo_executor *ex, mo_buf *sql, mo_record_list **l, const char *op) {
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, sql, op, &r);
    if (st >= 0) st = mo_records_from_result(l, r, MO_REC_PITR, pitr_map, 9, NULL, NULL, op);
    mo_result_free(r);
    if (st >= 0)
        for (size_t i = 0; i < (*l)->count; i++) finish_pitr((*l)->items[i]);
    return st;
}

/* get() on an entered executor, and the read-back of create/alter (a mo_mgr_get_fn; name
 * is the PITR's). out may be NULL (read-back whose record is discarded). */
static mo_status pitr_get(void **out, mo_executor *ex, const void *name, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SHOW PITR WHERE pitr_name = ");
    mo_mgr_literal(ex, &sql, name);
    mo_record_list *l = NULL;
    mo_status st = run_query(ex, &sql, &l, op);
    mo_buf_free(&sql);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, MO_REC_PITR, 0, name, "PITR", op);
    return mo_mgr_hand_out(out, rec, st, op);
}

typedef enum { PITR_CLUSTER, PITR_ACCOUNT, PITR_DATABASE, PITR_TABLE, PITR_ALTER } pitr_kind;

static mo_status pitr_create(mo_pitr **out, mo_executor *ex, pitr_kind kind, const char *name,
                             const char *account, const char *database, const char *table,
                             int range_value, const char *range_unit, const char *op,
                             const char *what) {
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    const char *unit = range_unit ? range_unit : "d";
    /* The SDK's prefix: "Failed to alter PITR 'n'" / "Failed to create <what> PITR 'n'". */
    const char *verb = kind == PITR_ALTER ? "alter" : "create ";
    mo_buf sql;
    mo_buf_init(&sql);
    st = kind == PITR_CLUSTER ? mo_mgr_require_matrixone(ex, op, "pitr_cluster_level", 1, 0, 0)
                              : mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, "PITR name must be a non-empty string");
    if (st >= 0) {
        st = validate_range(range_value, unit, op);
        /* The SDK wraps validation errors in the method's prefix. */
        if (st < 0) mo_mgr_wrap(st, op, "Failed to %s%s PITR '%s'", verb, what, name);
    }
    if (st >= 0 && kind == PITR_DATABASE)
        st = mo_mgr_require(database, op, "database_name must be a non-empty string");
    if (st >= 0 && kind == PITR_TABLE) {
        st = mo_mgr_require(database, op, "database_name must be a non-empty string");
        if (st >= 0) st = mo_mgr_require(table, op, "table_name must be a non-empty string");
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, kind == PITR_ALTER ? "ALTER PITR " : "CREATE PITR ");
        st = mo_mgr_ident(&sql, name, "PITR name", op);
    }
    if (st >= 0) {
        switch (kind) {
        case PITR_CLUSTER: mo_buf_append_str(&sql, " FOR CLUSTER"); break;
        case PITR_ACCOUNT:
            mo_buf_append_str(&sql, " FOR ACCOUNT");
            if (account) {
                mo_buf_append_char(&sql, ' ');
                st = mo_mgr_ident(&sql, account, "account name", op);
            }
            break;
        case PITR_DATABASE:
            mo_buf_append_str(&sql, " FOR DATABASE ");
            st = mo_mgr_ident(&sql, database, "database name", op);
            break;
        case PITR_TABLE:
            mo_buf_append_str(&sql, " FOR TABLE ");
            st = mo_mgr_ident(&sql, database, "database name", op);
            if (st >= 0) {
                mo_buf_append_char(&sql, ' ');
                st = mo_mgr_ident(&sql, table, "table name", op);
            }
            break;
        case PITR_ALTER: break;
        }
    }
    if (st >= 0) {
        /* unit is one of four fixed spellings (validated): the literal is exactly 'unit'. */
        mo_buf_printf(&sql, " RANGE %d ", range_value);
        mo_mgr_literal(ex, &sql, unit);
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, pitr_get, name, (void **)out,
                                   "Failed to %s%s PITR '%s'", verb, what, name);
}

mo_status mo_pitr_create_cluster(mo_pitr **out, mo_executor *ex, const char *name,
                                 int range_value, const char *range_unit) {
    return pitr_create(out, ex, PITR_CLUSTER, name, NULL, NULL, NULL, range_value, range_unit,
                       "pitr.create_cluster_pitr", "cluster");
}

mo_status mo_pitr_create_account(mo_pitr **out, mo_executor *ex, const char *name,
                                 const char *account, int range_value, const char *range_unit) {
    return pitr_create(out, ex, PITR_ACCOUNT, name, account, NULL, NULL, range_value, range_unit,
                       "pitr.create_account_pitr", "account");
}

mo_status mo_pitr_create_database(mo_pitr **out, mo_executor *ex, const char *name,
                                  const char *database, int range_value, const char *range_unit) {
    return pitr_create(out, ex, PITR_DATABASE, name, NULL, database, NULL, range_value,
                       range_unit, "pitr.create_database_pitr", "database");
}

mo_status mo_pitr_create_table(mo_pitr **out, mo_executor *ex, const char *name,
                               const char *database, const char *table, int range_value,
                               const char *range_unit) {
    return pitr_create(out, ex, PITR_TABLE, name, NULL, database, table, range_value, range_unit,
                       "pitr.create_table_pitr", "table");
}

mo_status mo_pitr_alter(mo_pitr **out, mo_executor *ex, const char *name, int range_value,
                        const char *range_unit) {
    return pitr_create(out, ex, PITR_ALTER, name, NULL, NULL, NULL, range_value, range_unit,
                       "pitr.alter", "");
}

mo_status mo_pitr_get(mo_pitr **out, mo_executor *ex, const char *name) {
    const char *op = "pitr.get";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(name, op, "PITR name must be a non-empty string");
    if (st >= 0) {
        st = pitr_get((void **)out, ex, name, op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to get PITR '%s'", name);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_pitr_list_pitrs(mo_pitr_list **out, mo_executor *ex, const char *level,
                       const char *account, const char *database, const char *table) {
    const char *op = "pitr.list";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append_str(&sql, "SHOW PITR");
        const char *cols[] = {"pitr_level", "account_name", "database_name", "table_name"};
        const char *vals[] = {level, account, database, table};
        int n = 0;
        for (int i = 0; i < 4; i++) {
            if (!vals[i]) continue;
            mo_buf_append_str(&sql, n++ ? " AND " : " WHERE ");
            mo_buf_append_str(&sql, cols[i]);
            mo_buf_append_str(&sql, " = ");
            mo_mgr_literal(ex, &sql, vals[i]);
        }
        mo_record_list *l = NULL;
        st = run_query(ex, &sql, &l, op);
        mo_buf_free(&sql);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list PITRs");
        st = mo_mgr_hand_out_list((void **)out, l, st, op);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_pitr_delete(mo_executor *ex, const char *name) {
    return mo_mgr_drop_named(ex, "pitr.delete", 1, "DROP PITR ", name,
                             "PITR name must be a non-empty string", "PITR name",
                             "Failed to delete PITR '%s'", name);
}
