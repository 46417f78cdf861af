/* src/managers/snapshot.c — snapshots (reference §9.1). MatrixOne-only.
 *
 * Differences from the SDK: names are backtick-quoted (`CREATE SNAPSHOT `s` FOR TABLE `db`
 * `t``), the name in get() is an escaped string literal; level strings are checked before
 * anything is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "managers/managers_internal.h"

/* The SDK's get() template, whitespace included (the vectors assert it verbatim). */
#define SNAPSHOT_SELECT                                                                      \
    "\n                SELECT sname, ts, level, account_name, database_name, table_name\n"   \
    "                FROM mo_catalog.mo_snapshots\n"                                         \
    "                WHERE sname = "
#define SNAPSHOT_SELECT_END "\n            "

static const int snapshot_map[] = {0, 1, 2, 3, 4, 5};

/* ts (ns since the epoch) -> num and created_at text; level lower-cased when known. */
static mo_status finish_snapshot(mo_record *r, const char *op) {
    if (r->text[1]) {
        r->num = strtoll(r->text[1], NULL, 10);
        time_t secs = (time_t)(r->num / 1000000000);
        long micros = (long)((r->num % 1000000000) / 1000);
        struct tm tm;
        char buf[64];
        if (gmtime_r(&secs, &tm)) {
            size_t n = strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
            snprintf(buf + n, sizeof buf - n, ".%06ld", micros);
            mo_status st = mo_record_set_str(r, 6, buf, op);
            if (st < 0) return st;
        }
    }
    static const char *levels[] = {"cluster", "account", "database", "table"};
    for (size_t i = 0; r->text[2] && i < 4; i++)
        if (mo_mgr_ieq(r->text[2], levels[i])) memcpy(r->text[2], levels[i], strlen(levels[i]));
    return MO_OK;
}

/* The get() path without entering the executor: used by exists too, and the read-back of
 * create (a mo_mgr_get_fn; name is the snapshot's). */
static mo_status snapshot_get(void **out, mo_executor *ex, const void *name, const char *op) {
    mo_status st = mo_mgr_require(name, op, "Snapshot name must be a non-empty string");
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, SNAPSHOT_SELECT);
    mo_mgr_literal(ex, &sql, name);
    mo_buf_append_str(&sql, SNAPSHOT_SELECT_END);
    mo_result *r = NULL;
    st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    if (st < 0) return mo_mgr_wrap(st, op, "Failed to get snapshot");
    mo_record_list *l = NULL;
    st = mo_records_from_result(&l, r, MO_REC_SNAPSHOT, snapshot_map, 6, NULL, NULL, op);
    mo_result_free(r);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, MO_REC_SNAPSHOT, 0, name, "Snapshot", op);
    if (st >= 0) st = finish_snapshot(rec, op);
    return mo_mgr_hand_out(out, rec, st, op);
}

mo_status mo_snapshots_create(mo_snapshot **out, mo_executor *ex, const char *name,
                              const char *level, const char *database, const char *table,
                              const char *description) {
    const char *op = "snapshots.create";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, "snapshot_creation", 1, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0) st = mo_mgr_require(name, op, "Snapshot name must be a non-empty string");
    if (st >= 0 && !level) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "Invalid snapshot level: None");
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE SNAPSHOT ");
        st = mo_mgr_ident(&sql, name, "snapshot name", op);
    }
    if (st >= 0) {
        if (mo_mgr_ieq(level, "cluster")) {
            mo_buf_append_str(&sql, " FOR CLUSTER");
        } else if (mo_mgr_ieq(level, "account")) {
            mo_buf_append_str(&sql, " FOR ACCOUNT");
        } else if (mo_mgr_ieq(level, "database")) {
            st = mo_mgr_require(database, op, "Database name required for database level snapshot");
            if (st >= 0) {
                mo_buf_append_str(&sql, " FOR DATABASE ");
                st = mo_mgr_ident(&sql, database, "database name", op);
            }
        } else if (mo_mgr_ieq(level, "table")) {
            if (!database || !*database || !table || !*table)
                st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                  "Database and table names required for table level snapshot");
            if (st >= 0) {
                mo_buf_append_str(&sql, " FOR TABLE ");
                st = mo_mgr_ident(&sql, database, "database name", op);
            }
            if (st >= 0) {
                mo_buf_append_char(&sql, ' ');
                st = mo_mgr_ident(&sql, table, "table name", op);
            }
        } else {
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "Invalid snapshot level: %s", level);
        }
    }
    return mo_mgr_finish_read_back(ex, &sql, st, op, snapshot_get, name, (void **)out,
                                   "Failed to create snapshot");
}

mo_status mo_snapshots_get(mo_snapshot **out, mo_executor *ex, const char *name) {
    const char *op = "snapshots.get";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = snapshot_get((void **)out, ex, name, op);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_snapshots_exists(mo_executor *ex, const char *name, int *exists) {
    return mo_mgr_exists(ex, "snapshots.exists", snapshot_get, name, exists);
}

mo_status mo_snapshots_list(mo_snapshot_list **out, mo_executor *ex) {
    const char *op = "snapshots.list";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append_str(&sql, "SELECT sname, ts, level, account_name, database_name, table_name "
                                "FROM mo_catalog.mo_snapshots");
        mo_result *r = NULL;
        st = mo_mgr_exec(ex, &sql, op, &r);
        mo_buf_free(&sql);
        mo_record_list *l = NULL;
        if (st < 0) mo_mgr_wrap(st, op, "Failed to list snapshots");
        else st = mo_records_from_result(&l, r, MO_REC_SNAPSHOT, snapshot_map, 6, NULL, NULL, op);
        mo_result_free(r);
        for (size_t i = 0; st >= 0 && i < l->count; i++) st = finish_snapshot(l->items[i], op);
        st = mo_mgr_hand_out_list((void **)out, l, st, op);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_snapshots_delete(mo_executor *ex, const char *name) {
    return mo_mgr_drop_named(ex, "snapshots.delete", 1, "DROP SNAPSHOT ", name,
                             "Snapshot name must be a non-empty string", "snapshot name",
                             "Failed to delete snapshot");
}
