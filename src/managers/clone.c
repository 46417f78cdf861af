/* src/managers/clone.c — database and table clones (reference §9.2, clone_builder). MatrixOne-only.
 *
 * Differences from the SDK: names are backtick-quoted ("db.t" split and quoted per part), and
 * the snapshot goes in as an escaped single-quoted literal — `{snapshot = 'snap1'}` where the
 * SDK pastes `{snapshot = "snap1"}` unescaped. */
#include "managers/managers_internal.h"

static mo_status snapshot_hint(mo_executor *ex, mo_buf *sql, const char *snapshot,
                               const char *op) {
    if (!snapshot) return MO_OK;
    mo_status st = mo_mgr_require(snapshot, op, "snapshot_name must be a non-empty string");
    if (st < 0) return st;
    mo_buf_append_str(sql, " {snapshot = ");
    mo_mgr_literal(ex, sql, snapshot);
    mo_buf_append_char(sql, '}');
    return MO_OK;
}

static mo_status clone_object(mo_executor *ex, int database, const char *target,
                              const char *source, const char *snapshot, int if_not_exists,
                              const char *to_account, int check_snapshot, const char *op) {
    if (check_snapshot && (!snapshot || !*snapshot))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "snapshot_name must be a non-empty string");
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = database ? mo_mgr_require_matrixone(ex, op, "database_cloning", 1, 0, 0)
                  : mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0)
        st = mo_mgr_require(target, op, database ? "target_database must be a non-empty string"
                                                 : "target_table must be a non-empty string");
    if (st >= 0)
        st = mo_mgr_require(source, op, database ? "source_database must be set via from_database()"
                                                 : "source_table must be set via from_table()");
    if (st >= 0 && to_account) st = mo_mgr_require(to_account, op, "account must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, database ? "CREATE DATABASE " : "CREATE TABLE ");
        if (if_not_exists) mo_buf_append_str(&sql, "IF NOT EXISTS ");
        st = database ? mo_mgr_ident(&sql, target, "target database", op)
                      : mo_mgr_qualified(&sql, target, "target table", 0, op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " CLONE ");
        st = database ? mo_mgr_ident(&sql, source, "source database", op)
                      : mo_mgr_qualified(&sql, source, "source table", 0, op);
    }
    if (st >= 0) st = snapshot_hint(ex, &sql, snapshot, op);
    if (st >= 0 && to_account) {
        mo_buf_append_str(&sql, " TO ACCOUNT ");
        st = mo_mgr_ident(&sql, to_account, "account name", op);
    }
    mo_mgr_leave(ex);
    /* Every argument is validated (the statement is built) before anything is sent: only then
     * does the SDK's snapshots.exists() check run, on the same executor. */
    if (st >= 0 && check_snapshot) {
        int exists = 0;
        st = mo_snapshots_exists(ex, snapshot, &exists);
        if (st < 0) mo_mgr_wrap(st, op, database ? "Failed to clone database" : "Failed to clone table");
        else if (!exists) st = mo_error_set(MO_E_NOT_FOUND, op, "Snapshot '%s' does not exist", snapshot);
    }
    if (st >= 0) st = mo_mgr_enter(ex, op);
    if (st >= 0) {
        st = mo_mgr_exec(ex, &sql, op, NULL);
        if (st < 0)
            mo_mgr_wrap(st, op, database ? "Failed to clone database" : "Failed to clone table");
        mo_mgr_leave(ex);
    }
    mo_buf_free(&sql);
    return st;
}

mo_status mo_clone_database(mo_executor *ex, const char *target_database,
                            const char *source_database, const char *snapshot, int if_not_exists,
                            const char *to_account) {
    return clone_object(ex, 1, target_database, source_database, snapshot, if_not_exists,
                        to_account, 0, "clone.clone_database");
}

mo_status mo_clone_table(mo_executor *ex, const char *target_table, const char *source_table,
                         const char *snapshot, int if_not_exists, const char *to_account) {
    return clone_object(ex, 0, target_table, source_table, snapshot, if_not_exists, to_account,
                        0, "clone.clone_table");
}

mo_status mo_clone_database_with_snapshot(mo_executor *ex, const char *target_database,
                                          const char *source_database, const char *snapshot,
                                          int if_not_exists) {
    return clone_object(ex, 1, target_database, source_database, snapshot, if_not_exists, NULL,
                        1, "clone.clone_database_with_snapshot");
}

mo_status mo_clone_table_with_snapshot(mo_executor *ex, const char *target_table,
                                       const char *source_table, const char *snapshot,
                                       int if_not_exists) {
    return clone_object(ex, 0, target_table, source_table, snapshot, if_not_exists, NULL, 1,
                        "clone.clone_table_with_snapshot");
}
