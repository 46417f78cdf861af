/* src/managers/restore.c — restore from a snapshot (reference §9.4). MatrixOne-only.
 * The SDK already backticks these names; we also double inner backticks, so for plain names
 * the text is byte for byte the SDK's. The SDK (0.1.16) sends only the FROM SNAPSHOT form,
 * which MatrixOne v4.0.0 replaced (a 1064 there): the form follows the server version. */
#include "managers/managers_internal.h"

/* The form of MatrixOne before v4.0.0 (and the SDK 0.1.16's, which the conformance vectors
 * hold): RESTORE CLUSTER | ACCOUNT a [DATABASE d [TABLE t]] FROM SNAPSHOT s [TO ACCOUNT b]. */
static mo_status restore_sql_before_v4(mo_buf *sql, const char *snapshot, const char *account,
                                       const char *database, const char *table, const char *op) {
    mo_status st = MO_OK;
    if (!account) {
        mo_buf_append_str(sql, "RESTORE CLUSTER");
    } else {
        mo_buf_append_str(sql, "RESTORE ACCOUNT ");
        st = mo_mgr_ident(sql, account, "account name", op);
        if (st >= 0 && database) {
            mo_buf_append_str(sql, " DATABASE ");
            st = mo_mgr_ident(sql, database, "database name", op);
        }
        if (st >= 0 && table) {
            mo_buf_append_str(sql, " TABLE ");
            st = mo_mgr_ident(sql, table, "table name", op);
        }
    }
    if (st >= 0) {
        mo_buf_append_str(sql, " FROM SNAPSHOT ");
        st = mo_mgr_ident(sql, snapshot, "snapshot name", op);
    }
    return st;
}

/* The form since MatrixOne v4.0.0 (pkg/sql/parsers/dialect/mysql/mysql_sql.y,
 * snapshot_restore_stmt): RESTORE CLUSTER | ACCOUNT a | DATABASE a.d | TABLE a.d.t
 * {SNAPSHOT = s}. The snapshot is sent as an identifier, as CREATE SNAPSHOT names it (the
 * grammar's string form would lower-case it). */
static mo_status restore_sql_v4(mo_buf *sql, const char *snapshot, const char *account,
                                const char *database, const char *table, const char *op) {
    mo_status st = MO_OK;
    if (!account) {
        mo_buf_append_str(sql, "RESTORE CLUSTER");
    } else {
        mo_buf_append_str(sql, table ? "RESTORE TABLE " : database ? "RESTORE DATABASE "
                                                                   : "RESTORE ACCOUNT ");
        st = mo_mgr_ident(sql, account, "account name", op);
        if (st >= 0 && database) {
            mo_buf_append_char(sql, '.');
            st = mo_mgr_ident(sql, database, "database name", op);
        }
        if (st >= 0 && table) {
            mo_buf_append_char(sql, '.');
            st = mo_mgr_ident(sql, table, "table name", op);
        }
    }
    if (st >= 0) {
        mo_buf_append_str(sql, " {SNAPSHOT = ");
        st = mo_mgr_ident(sql, snapshot, "snapshot name", op);
        mo_buf_append_char(sql, '}');
    }
    return st;
}

static mo_status restore(mo_executor *ex, const char *snapshot, const char *account,
                         const char *database, const char *table, const char *to_account,
                         const char *op) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(snapshot, op, "snapshot_name must be a non-empty string");
    if (st >= 0)
        st = mo_mgr_matrixone_since(ex, 4, 0, 0)
                 ? restore_sql_v4(&sql, snapshot, account, database, table, op)
                 : restore_sql_before_v4(&sql, snapshot, account, database, table, op);
    if (st >= 0 && to_account) {
        mo_buf_append_str(&sql, " TO ACCOUNT ");
        st = mo_mgr_ident(&sql, to_account, "account name", op);
    }
    if (st >= 0) {
        st = mo_mgr_exec(ex, &sql, op, NULL);
        if (st < 0) {
            if (!account) mo_mgr_wrap(st, op, "Failed to restore cluster from snapshot '%s'", snapshot);
            else if (table) mo_mgr_wrap(st, op, "Failed to restore table '%s' from snapshot '%s'", table, snapshot);
            else if (database) mo_mgr_wrap(st, op, "Failed to restore database '%s' from snapshot '%s'", database, snapshot);
            else mo_mgr_wrap(st, op, "Failed to restore tenant '%s' from snapshot '%s'", account, snapshot);
        }
    }
    mo_buf_free(&sql);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_restore_cluster(mo_executor *ex, const char *snapshot) {
    return restore(ex, snapshot, NULL, NULL, NULL, NULL, "restore.restore_cluster");
}

mo_status mo_restore_tenant(mo_executor *ex, const char *snapshot, const char *account,
                            const char *to_account) {
    const char *op = "restore.restore_tenant";
    if (!account || !*account)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "account_name must be a non-empty string");
    return restore(ex, snapshot, account, NULL, NULL, to_account, op);
}

mo_status mo_restore_database(mo_executor *ex, const char *snapshot, const char *account,
                              const char *database, const char *to_account) {
    const char *op = "restore.restore_database";
    if (!account || !*account)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "account_name must be a non-empty string");
    if (!database || !*database)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "database_name must be a non-empty string");
    return restore(ex, snapshot, account, database, NULL, to_account, op);
}

mo_status mo_restore_table(mo_executor *ex, const char *snapshot, const char *account,
                           const char *database, const char *table, const char *to_account) {
    const char *op = "restore.restore_table";
    if (!account || !*account)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "account_name must be a non-empty string");
    if (!database || !*database)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "database_name must be a non-empty string");
    if (!table || !*table)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "table_name must be a non-empty string");
    return restore(ex, snapshot, account, database, table, to_account, op);
}
