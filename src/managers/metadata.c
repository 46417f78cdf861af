/* src/managers/metadata.c — metadata_scan and table statistics (reference §9.10,
 * client.metadata). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

static const char *const metadata_columns[] = {
    "col_name", "object_name", "is_hidden", "obj_loc", "create_ts", "delete_ts", "rows_cnt",
    "null_cnt", "compress_size", "origin_size", "min", "max", "sum"};
#define METADATA_COLUMNS (sizeof metadata_columns / sizeof metadata_columns[0])
enum { MD_COL_NAME, MD_OBJECT_NAME, MD_IS_HIDDEN, MD_OBJ_LOC, MD_CREATE_TS, MD_DELETE_TS,
       MD_ROWS_CNT, MD_NULL_CNT, MD_COMPRESS_SIZE, MD_ORIGIN_SIZE, MD_MIN, MD_MAX, MD_SUM };

/* "SELECT ... FROM metadata_scan('<ref>', '*') g" */
static mo_status scan_sql(mo_buf *sql, const mo_executor *ex, const char *db, const char *table,
                          int tombstone, const char *index, int distinct, const char *columns,
                          const char *op) {
    mo_status st = mo_mgr_dotless_name(db, "database name", op);
    if (st >= 0) st = mo_mgr_dotless_name(table, "table name", op);
    if (st >= 0 && index && *index) st = mo_mgr_dotless_name(index, "index name", op);
    if (st < 0) return st;
    mo_buf_append_str(sql, distinct ? "SELECT DISTINCT(object_name) as object_name, " : "SELECT ");
    if (!columns || !*columns || strcmp(columns, "*") == 0) {
        mo_buf_append_char(sql, '*');
    } else {
        /* Each name must be one of metadata_scan's columns; then it is quoted like any. */
        const char *p = columns;
        for (int first = 1; st >= 0; first = 0) {
            const char *comma = strchr(p, ',');
            const char *s = p, *e = comma ? comma : p + strlen(p);
            while (s < e && *s == ' ') s++;
            while (e > s && e[-1] == ' ') e--;
            size_t k = 0;
            while (k < METADATA_COLUMNS && !(strlen(metadata_columns[k]) == (size_t)(e - s) &&
                                             strncmp(metadata_columns[k], s, (size_t)(e - s)) == 0))
                k++;
            if (k == METADATA_COLUMNS)
                return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                    "unknown metadata column '%.*s'", (int)(e - s), s);
            if (!first) mo_buf_append_str(sql, ", ");
            st = mo_mgr_ident(sql, metadata_columns[k], "column name", op);
            if (!comma) break;
            p = comma + 1;
        }
    }
    mo_buf ref;
    mo_buf_init(&ref);
    mo_buf_printf(&ref, "%s.%s", db, table);
    if (index && *index) mo_buf_printf(&ref, ".?%s", index);
    if (tombstone) mo_buf_append_str(&ref, ".#");
    mo_buf_append_str(sql, " FROM metadata_scan(");
    mo_mgr_literal(ex, sql, mo_buf_cstr(&ref));
    mo_buf_append_str(sql, ", '*') g");
    mo_buf_free(&ref);
    return st;
}

mo_status mo_metadata_scan(mo_result **out, mo_executor *ex, const char *database_arg,
                           const char *table_arg, int is_tombstone, const char *index_name,
                           int distinct_object_name, const char *columns) {
    const char *op = "metadata.scan";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    char *database = NULL, *table = NULL;
    if (st >= 0) st = mo_mgr_split_table(ex, table_arg, database_arg, &database, &table, op);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0)
        st = scan_sql(&sql, ex, database, table, is_tombstone, index_name, distinct_object_name,
                      columns, op);
    st = mo_mgr_finish(ex, &sql, st, op, out, "Failed to scan metadata of %s.%s",
                       database ? database : "", table ? table : "");
    free(database);
    free(table);
    return st;
}

/* Run a full scan and read it into METADATA_ROW records, columns matched by name. */
static mo_status scan_records(mo_record_list **out, mo_executor *ex, const char *db,
                              const char *table, int tombstone, const char *index, int distinct,
                              const char *op) {
    *out = NULL;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_status st = scan_sql(&sql, ex, db, table, tombstone, index, distinct, NULL, op);
    mo_result *r = NULL;
    if (st >= 0) st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    if (st < 0) {
        mo_result_free(r);
        return st;
    }
    int map[64];
    size_t n = mo_result_column_count(r);
    if (n > 64) n = 64;
    for (size_t i = 0; i < n; i++) {
        const char *name = NULL;
        size_t len = 0;
        map[i] = -1;
        if (mo_result_column_name(r, i, &name, &len) < 0) continue;
        for (size_t k = 0; k < METADATA_COLUMNS; k++)
            if (strlen(metadata_columns[k]) == len && strncmp(metadata_columns[k], name, len) == 0)
                map[i] = (int)k;
    }
    st = mo_records_from_result(out, r, MO_REC_METADATA_ROW, map, n, NULL, NULL, op);
    mo_result_free(r);
    return st;
}

mo_status mo_metadata_scan_rows(mo_metadata_row_list **out, mo_executor *ex,
                                const char *database_arg, const char *table_arg,
                                int is_tombstone, const char *index_name,
                                int distinct_object_name) {
    const char *op = "metadata.scan";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    char *database = NULL, *table = NULL;
    if (st >= 0) st = mo_mgr_split_table(ex, table_arg, database_arg, &database, &table, op);
    mo_record_list *l = NULL;
    if (st >= 0)
        st = scan_records(&l, ex, database, table, is_tombstone, index_name, distinct_object_name,
                          op);
    if (st < 0 && st != MO_E_INVALID_ARGUMENT)
        mo_mgr_wrap(st, op, "Failed to scan metadata of %s.%s", database, table);
    st = mo_mgr_hand_out_list((void **)out, l, st, op);
    free(database);
    free(table);
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ statistics
 * TABLE_STATS fields: 0 key, 1 object_name, 2 create_ts, 3 delete_ts, 4 original size text,
 * 5 compress size text; nums: total_objects, row_cnt, null_cnt, original_size, compress_size. */

enum { ST_KEY, ST_OBJECT, ST_CREATE, ST_DELETE, ST_ORIG_TEXT, ST_COMP_TEXT };
enum { SN_OBJECTS, SN_ROWS, SN_NULLS, SN_ORIG, SN_COMP, SN_COUNT };

static int64_t num(const mo_record *r, int field) {
    return r->text[field] ? strtoll(r->text[field], NULL, 10) : 0;
}

/* The SDK's _format_size. */
static void format_size(char *out, size_t size, int64_t bytes) {
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB"};
    double v = (double)bytes;
    int u = 0;
    while (v >= 1024 && u < 4) v /= 1024, u++;
    if (v == (double)(int64_t)v) {
        snprintf(out, size, "%lld %s", (long long)v, units[u]);
        return;
    }
    char n[64];
    snprintf(n, sizeof n, "%.2f", v);
    size_t len = strlen(n);
    while (len && n[len - 1] == '0') n[--len] = 0;
    if (len && n[len - 1] == '.') n[--len] = 0;
    snprintf(out, size, "%s %s", n, units[u]);
}

static mo_status stats_record(mo_record **out, const char *key, const char *op) {
    mo_record *s = mo_record_new(MO_REC_TABLE_STATS);
    if (!s) return mo_error_oom(op);
    s->nums = calloc(SN_COUNT, sizeof *s->nums);
    s->num_count = SN_COUNT;
    mo_status st = s->nums ? mo_record_set_str(s, ST_KEY, key, op) : mo_error_oom(op);
    if (st < 0) {
        mo_record_destroy(s);
        return st;
    }
    *out = s;
    return MO_OK;
}

static mo_status finish_sizes(mo_record *s, const char *op) {
    char t[64];
    format_size(t, sizeof t, s->nums[SN_ORIG]);
    mo_status st = mo_record_set_str(s, ST_ORIG_TEXT, t, op);
    format_size(t, sizeof t, s->nums[SN_COMP]);
    if (st >= 0) st = mo_record_set_str(s, ST_COMP_TEXT, t, op);
    return st;
}

/* Aggregate (brief) or copy per row (detail) the scan rows of one key into `list`. */
static mo_status add_key(mo_record_list *list, const mo_record_list *rows, const char *key,
                         int detail, const char *op) {
    if (!rows->count) return MO_OK; /* the SDK leaves the key out */
    mo_status st = MO_OK;
    if (detail) {
        for (size_t i = 0; i < rows->count && st >= 0; i++) {
            const mo_record *r = rows->items[i];
            mo_record *s = NULL;
            st = stats_record(&s, key, op);
            if (st < 0) break;
            s->nums[SN_OBJECTS] = 1;
            s->nums[SN_ROWS] = num(r, MD_ROWS_CNT);
            s->nums[SN_NULLS] = num(r, MD_NULL_CNT);
            s->nums[SN_ORIG] = num(r, MD_ORIGIN_SIZE);
            s->nums[SN_COMP] = num(r, MD_COMPRESS_SIZE);
            st = mo_record_set_str(s, ST_OBJECT, r->text[MD_OBJECT_NAME], op);
            if (st >= 0) st = mo_record_set_str(s, ST_CREATE, r->text[MD_CREATE_TS], op);
            if (st >= 0) st = mo_record_set_str(s, ST_DELETE, r->text[MD_DELETE_TS], op);
            if (st >= 0) st = finish_sizes(s, op);
            if (st < 0) mo_record_destroy(s);
            else st = mo_record_list_add(list, s, op);
        }
        return st;
    }
    mo_record *s = NULL;
    st = stats_record(&s, key, op);
    if (st < 0) return st;
    for (size_t i = 0; i < rows->count; i++) {
        const mo_record *r = rows->items[i];
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) {
            const char *a = rows->items[k]->text[MD_OBJECT_NAME], *b = r->text[MD_OBJECT_NAME];
            seen = (a == b) || (a && b && strcmp(a, b) == 0);
        }
        if (!seen) s->nums[SN_OBJECTS]++;
        s->nums[SN_ROWS] += num(r, MD_ROWS_CNT);
        s->nums[SN_NULLS] += num(r, MD_NULL_CNT);
        s->nums[SN_ORIG] += num(r, MD_ORIGIN_SIZE);
        s->nums[SN_COMP] += num(r, MD_COMPRESS_SIZE);
    }
    st = finish_sizes(s, op);
    if (st < 0) {
        mo_record_destroy(s);
        return st;
    }
    return mo_record_list_add(list, s, op);
}

static mo_status table_stats(mo_table_stats_list **out, mo_executor *ex, const char *db_arg,
                             const char *table_arg, int tombstone, const char *index,
                             int include_tombstone, const char *include_indexes, int detail,
                             const char *op) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    char *db = NULL, *table = NULL;
    if (st >= 0) st = mo_mgr_split_table(ex, table_arg, db_arg, &db, &table, op);
    /* Validate every index name before the first scan is sent. */
    char *indexes = NULL;
    if (st >= 0 && include_indexes && *include_indexes) {
        indexes = mo_strdup(include_indexes);
        if (!indexes) st = mo_error_oom(op);
        for (char *p = indexes; st >= 0 && p;) {
            char *comma = strchr(p, ',');
            if (comma) *comma = 0;
            while (*p == ' ') p++;
            for (size_t n = strlen(p); n && p[n - 1] == ' ';) p[--n] = 0;
            st = mo_mgr_dotless_name(p, "index name", op);
            if (comma) *comma = ',';
            p = comma ? comma + 1 : NULL;
        }
    }
    mo_record_list *list = st >= 0 ? mo_record_list_new(MO_REC_TABLE_STATS) : NULL;
    if (st >= 0 && !list) st = mo_error_oom(op);
    mo_record_list *rows = NULL;
    if (st >= 0) st = scan_records(&rows, ex, db, table, tombstone, index, 0, op);
    if (st >= 0) st = add_key(list, rows, table, detail, op);
    mo_record_list_destroy(rows);
    rows = NULL;
    if (st >= 0 && include_tombstone) {
        st = scan_records(&rows, ex, db, table, 1, NULL, 0, op);
        if (st >= 0) st = add_key(list, rows, "tombstone", detail, op);
        mo_record_list_destroy(rows);
        rows = NULL;
    }
    for (char *p = indexes; st >= 0 && p;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = 0;
        while (*p == ' ') p++;
        for (size_t n = strlen(p); n && p[n - 1] == ' ';) p[--n] = 0;
        st = scan_records(&rows, ex, db, table, 0, p, 0, op);
        if (st >= 0) st = add_key(list, rows, p, detail, op);
        mo_record_list_destroy(rows);
        rows = NULL;
        p = comma ? comma + 1 : NULL;
    }
    free(indexes);
    if (st < 0 && st != MO_E_INVALID_ARGUMENT && st != MO_E_UNSUPPORTED)
        mo_mgr_wrap(st, op, "Failed to get table stats of %s.%s", db ? db : "", table ? table : "");
    st = mo_mgr_hand_out_list((void **)out, list, st, op);
    free(db);
    free(table);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_metadata_brief_stats(mo_table_stats_list **out, mo_executor *ex,
                                  const char *database, const char *table, int is_tombstone,
                                  const char *index_name, int include_tombstone,
                                  const char *include_indexes) {
    return table_stats(out, ex, database, table, is_tombstone, index_name, include_tombstone,
                       include_indexes, 0, "metadata.get_table_brief_stats");
}

mo_status mo_metadata_detail_stats(mo_table_stats_list **out, mo_executor *ex,
                                   const char *database, const char *table, int is_tombstone,
                                   const char *index_name, int include_tombstone,
                                   const char *include_indexes) {
    return table_stats(out, ex, database, table, is_tombstone, index_name, include_tombstone,
                       include_indexes, 1, "metadata.get_table_detail_stats");
}
