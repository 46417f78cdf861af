/* src/managers/branch.c — data branches (reference §9.3, branch_builder). MatrixOne >= 3.0.5.
 *
 * Differences from the SDK: names are backtick-quoted ("db.t" split and quoted per part), the
 * snapshot is an escaped single-quoted literal (`{snapshot='s'}` for the SDK's unescaped
 * `{snapshot="s"}`), the output file path is an escaped literal, the output table a quoted
 * identifier. The SDK's lower-case keywords are kept. */
#include <inttypes.h>
#include "managers/managers_internal.h"

static mo_status hint(mo_executor *ex, mo_buf *sql, const char *snapshot, const char *op) {
    if (!snapshot) return MO_OK;
    mo_status st = mo_mgr_require(snapshot, op, "snapshot_name must be a string or None");
    if (st < 0) return st;
    mo_buf_append_str(sql, "{snapshot=");
    mo_mgr_literal(ex, sql, snapshot);
    mo_buf_append_char(sql, '}');
    return MO_OK;
}

mo_status mo_branch_create_table(mo_executor *ex, const char *target_table,
                                 const char *source_table, const char *snapshot,
                                 const char *to_account) {
    const char *op = "branch.create_table_branch";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, "table_branching", 3, 0, 5);
    if (st >= 0) st = mo_mgr_require(target_table, op, "target_table must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(source_table, op, "source_table must be a non-empty string");
    if (st >= 0 && to_account) st = mo_mgr_require(to_account, op, "account must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "data branch create table ");
        st = mo_mgr_qualified(&sql, target_table, "target table", 0, op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " from ");
        st = mo_mgr_qualified(&sql, source_table, "source table", 0, op);
    }
    if (st >= 0) st = hint(ex, &sql, snapshot, op);
    if (st >= 0 && to_account) {
        mo_buf_append_str(&sql, " to account ");
        st = mo_mgr_ident(&sql, to_account, "account name", op);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to create table branch");
}

mo_status mo_branch_delete_table(mo_executor *ex, const char *table) {
    const char *op = "branch.delete_table_branch";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(table, op, "table must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "data branch delete table ");
        st = mo_mgr_qualified(&sql, table, "table", 0, op);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to delete table branch");
}

mo_status mo_branch_create_database(mo_executor *ex, const char *target_database,
                                    const char *source_database) {
    const char *op = "branch.create_database_branch";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, "database_branching", 3, 0, 5);
    if (st >= 0) st = mo_mgr_require(target_database, op, "target_database must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(source_database, op, "source_database must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "data branch create database ");
        st = mo_mgr_ident(&sql, target_database, "target database", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " from ");
        st = mo_mgr_ident(&sql, source_database, "source database", op);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to create database branch");
}

mo_status mo_branch_delete_database(mo_executor *ex, const char *database) {
    const char *op = "branch.delete_database_branch";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(database, op, "database must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "data branch delete database ");
        st = mo_mgr_ident(&sql, database, "database", op);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to delete database branch");
}

mo_status mo_branch_diff_table(mo_result **out, mo_executor *ex, const char *table,
                               const char *table_snapshot, const char *against_table,
                               const char *against_snapshot, mo_branch_diff_output output,
                               uint64_t limit, const char *output_target) {
    const char *op = "branch.diff_table";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, "table_diffing", 3, 0, 5);
    /* The SDK validates nothing here; an empty name would only become a server syntax error. */
    if (st >= 0) st = mo_mgr_require(table, op, "table must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(against_table, op, "against_table must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, "data branch diff ");
        st = mo_mgr_qualified(&sql, table, "table", 0, op);
    }
    if (st >= 0) st = hint(ex, &sql, table_snapshot, op);
    if (st >= 0) {
        mo_buf_append_str(&sql, " against ");
        st = mo_mgr_qualified(&sql, against_table, "against table", 0, op);
    }
    if (st >= 0) st = hint(ex, &sql, against_snapshot, op);
    if (st >= 0) {
        switch (output) {
        case MO_BRANCH_DIFF_ROWS: break;
        case MO_BRANCH_DIFF_COUNT: mo_buf_append_str(&sql, " output count"); break;
        case MO_BRANCH_DIFF_LIMIT: mo_buf_printf(&sql, " output limit %" PRIu64, limit); break;
        case MO_BRANCH_DIFF_FILE:
            st = mo_mgr_require(output_target, op, "output file path must be a non-empty string");
            if (st >= 0) {
                mo_buf_append_str(&sql, " output file ");
                mo_mgr_literal(ex, &sql, output_target);
            }
            break;
        case MO_BRANCH_DIFF_AS_TABLE:
            st = mo_mgr_require(output_target, op, "output table must be a non-empty string");
            if (st >= 0) {
                mo_buf_append_str(&sql, " output as ");
                st = mo_mgr_qualified(&sql, output_target, "output table", 0, op);
            }
            break;
        default:
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "unknown diff output mode %d", (int)output);
        }
    }
    return mo_mgr_finish(ex, &sql, st, op, out, "Failed to diff tables");
}

mo_status mo_branch_merge_table(mo_executor *ex, const char *source_table,
                                const char *target_table, const char *on_conflict) {
    const char *op = "branch.merge_table";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    const char *policy = on_conflict ? on_conflict : "skip";
    st = mo_mgr_require_matrixone(ex, op, "table_merging", 3, 0, 5);
    /* MatrixOne (v4.2) refuses DATA BRANCH MERGE inside an explicit transaction (20101), and
     * the failed statement leaves the transaction to be rolled back: refused here instead. */
    if (st >= 0 && ex->session)
        st = mo_error_set(MO_E_MISUSE, op,
                          "DATA BRANCH MERGE cannot run inside a transaction on MatrixOne; "
                          "run it on the client (autocommit), not on a session; nothing was sent");
    if (st >= 0) st = mo_mgr_require(source_table, op, "source_table must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(target_table, op, "target_table must be a non-empty string");
    if (st >= 0 && !mo_mgr_ieq(policy, "skip") && !mo_mgr_ieq(policy, "accept"))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "on_conflict must be 'skip' or 'accept', got '%s'",
                          policy);
    if (st >= 0) {
        mo_buf_append_str(&sql, "data branch merge ");
        st = mo_mgr_qualified(&sql, source_table, "source table", 0, op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " into ");
        st = mo_mgr_qualified(&sql, target_table, "target table", 0, op);
    }
    if (st >= 0)
        mo_buf_append_str(&sql, mo_mgr_ieq(policy, "skip") ? " when conflict skip" : " when conflict accept");
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to merge tables");
}
