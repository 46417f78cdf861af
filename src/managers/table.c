/* src/managers/table.c — insert / batch_insert of typed rows, create_table and drop_table
 * (reference §10.1, §10.2). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

/* Room left in a packet for the protocol's own bytes (command byte, header). */
#define PACKET_MARGIN 1024

/* "INSERT INTO `t` (`a`, `b`) VALUES " */
static mo_status insert_head(mo_buf *b, const char *table, const char *const *columns,
                             size_t n, const char *op) {
    mo_buf_append_str(b, "INSERT INTO ");
    mo_status st = mo_mgr_qualified(b, table, "table name", 0, op);
    mo_buf_append_str(b, " (");
    for (size_t i = 0; i < n && st >= 0; i++) {
        if (i) mo_buf_append_str(b, ", ");
        st = mo_mgr_ident(b, columns[i], "column name", op);
    }
    mo_buf_append_str(b, ") VALUES ");
    return st;
}

/* "(v1, v2)" for row `row`. */
static void render_row(mo_buf *b, const mo_params *values, size_t row, size_t n,
                       const char *charset) {
    mo_buf_append_char(b, '(');
    for (size_t i = 0; i < n; i++) {
        if (i) mo_buf_append_str(b, ", ");
        mo_params_append_value(b, values, row * n + i, charset);
    }
    mo_buf_append_char(b, ')');
}

static mo_status send_insert(uint64_t *affected, mo_executor *ex, mo_buf *sql, const char *op) {
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, sql, op, &r);
    uint64_t n = 0;
    if (st >= 0 && affected && mo_result_affected_rows(r, &n) >= 0) *affected += n;
    mo_result_free(r);
    return st;
}

mo_status mo_table_insert_rows(uint64_t *affected, mo_executor *ex, const char *table,
                               const char *const *columns, size_t column_count,
                               const mo_params *values, size_t row_count, const char *op) {
    if (affected) *affected = 0;
    if (!columns || column_count == 0)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "at least one column is required");
    mo_status st = mo_handle_check(values, MO_HANDLE_PARAMS, op);
    if (st < 0) return st;
    size_t have = mo_params_count(values);
    if (row_count > SIZE_MAX / column_count || have != row_count * column_count)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "values holds %zu values; %zu row%s of %zu column%s need %zu", have,
                            row_count, row_count == 1 ? "" : "s", column_count,
                            column_count == 1 ? "" : "s", row_count * column_count);
    mo_buf head;
    mo_buf_init(&head);
    st = insert_head(&head, table, columns, column_count, op);
    if (st >= 0) st = mo_mgr_sql_ok(&head, op);
    if (st < 0 || row_count == 0) {
        mo_buf_free(&head);
        return st;
    }
    /* Hex-form text values name the connection's client character set. */
    const char *charset = mo_mgr_charset(ex);

    uint64_t limit = UINT64_MAX;
    if (row_count > 1) {
        st = mo_conn_max_packet(&limit, ex->client, mo_mgr_conn(ex), op);
        if (st < 0) {
            mo_buf_free(&head);
            return st;
        }
        limit = limit > PACKET_MARGIN ? limit - PACKET_MARGIN : limit / 2;
        /* First make sure every row fits a statement of its own: nothing is sent when one
         * cannot be sent at all. */
        mo_buf row;
        mo_buf_init(&row);
        for (size_t i = 0; i < row_count && st >= 0; i++) {
            mo_buf_reset(&row);
            render_row(&row, values, i, column_count, charset);
            if (!mo_buf_ok(&row)) st = mo_error_oom(op);
            else if (head.len + row.len > limit)
                st = mo_error_set(MO_E_RESOURCE, op,
                                  "row %zu needs a %zu-byte statement; the server's "
                                  "max_allowed_packet allows %llu", i, head.len + row.len,
                                  (unsigned long long)limit);
        }
        mo_buf_free(&row);
    }
    mo_buf sql, row;
    mo_buf_init(&sql);
    mo_buf_init(&row);
    size_t in_statement = 0;
    for (size_t i = 0; i < row_count && st >= 0; i++) {
        mo_buf_reset(&row);
        render_row(&row, values, i, column_count, charset);
        if (!mo_buf_ok(&row)) {
            st = mo_error_oom(op);
            break;
        }
        if (in_statement && sql.len + 2 + row.len > limit) {
            st = send_insert(affected, ex, &sql, op);
            in_statement = 0;
            if (st < 0) break;
        }
        if (!in_statement) {
            mo_buf_reset(&sql);
            mo_buf_append(&sql, head.data, head.len);
        } else {
            mo_buf_append_str(&sql, ", ");
        }
        mo_buf_append(&sql, row.data, row.len);
        in_statement++;
    }
    if (st >= 0 && in_statement) st = send_insert(affected, ex, &sql, op);
    mo_buf_free(&row);
    mo_buf_free(&sql);
    mo_buf_free(&head);
    return st;
}

static mo_status table_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                              const char *const *columns, size_t column_count,
                              const mo_params *values, size_t row_count, const char *op) {
    if (affected_rows) *affected_rows = 0;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_table_insert_rows(affected_rows, ex, table, columns, column_count, values, row_count,
                              op);
    if (st < 0 && st != MO_E_INVALID_ARGUMENT && st != MO_E_RESOURCE)
        mo_mgr_wrap(st, op, "Failed to insert into table %s", table);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_table_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                          const char *const *columns, size_t column_count,
                          const mo_params *values) {
    return table_insert(affected_rows, ex, table, columns, column_count, values, 1,
                        "table.insert");
}

mo_status mo_table_batch_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                                const char *const *columns, size_t column_count,
                                const mo_params *values, size_t row_count) {
    return table_insert(affected_rows, ex, table, columns, column_count, values, row_count,
                        "table.batch_insert");
}

/* ------------------------------------------------------------------ create / drop */

#define SUPPORTED_TYPES                                                                      \
    "int, integer, bigint, bigint unsigned, smallint, tinyint, float, float(p), double, "    \
    "decimal(p,s), varchar(n), char(n), text, tinytext, mediumtext, longtext, date, "        \
    "datetime, timestamp, time, boolean, bool, json, jsonb, blob, tinyblob, mediumblob, "    \
    "longblob, binary(n), varbinary(n), vecf32(n), vecf64(n)"

/* Parse up to `max` comma-separated positive numbers "(a[,b])" at *p (spaces allowed).
 * Returns how many were read (0 on a syntax error). */
static int read_args(const char *p, unsigned long *args, int max, const char **end) {
    int n = 0;
    if (*p != '(') return 0;
    p++;
    for (;;) {
        while (*p == ' ') p++;
        if (!isdigit((unsigned char)*p) || n == max) return 0;
        unsigned long v = 0;
        int digits = 0;
        while (isdigit((unsigned char)*p)) {
            if (++digits > 9) return 0;
            v = v * 10 + (unsigned long)(*p++ - '0');
        }
        args[n++] = v;
        while (*p == ' ') p++;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p != ')') return 0;
        *end = p + 1;
        return n;
    }
}

/* The SQL for one of the SDK's type strings; -1 when it is not one. */
static int render_type(mo_buf *b, const char *type) {
    static const struct { const char *in, *out; } plain[] = {
        {"int", "INT"}, {"integer", "INT"}, {"bigint", "BIGINT"},
        {"bigint unsigned", "BIGINT UNSIGNED"}, {"smallint", "SMALLINT"}, {"tinyint", "TINYINT"},
        {"float", "FLOAT"}, {"double", "DOUBLE"}, {"text", "TEXT"}, {"tinytext", "TINYTEXT"},
        {"mediumtext", "MEDIUMTEXT"}, {"longtext", "LONGTEXT"}, {"date", "DATE"},
        {"datetime", "DATETIME"}, {"timestamp", "TIMESTAMP"}, {"time", "TIME"},
        {"boolean", "BOOLEAN"}, {"bool", "BOOLEAN"}, {"json", "JSON"}, {"jsonb", "JSON"},
        {"blob", "BLOB"}, {"tinyblob", "TINYBLOB"}, {"mediumblob", "MEDIUMBLOB"},
        {"longblob", "LONGBLOB"},
    };
    static const struct { const char *in, *out; int min, max; } sized[] = {
        {"varchar", "VARCHAR", 1, 1}, {"char", "CHAR", 1, 1}, {"decimal", "DECIMAL", 1, 2},
        {"float", "FLOAT", 1, 1}, {"binary", "BINARY", 1, 1}, {"varbinary", "VARBINARY", 1, 1},
        {"vecf32", "vecf32", 1, 1}, {"vecf64", "vecf64", 1, 1},
    };
    if (!type) return -1;
    char t[64];
    const char *s = type;
    while (*s == ' ') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') n--;
    if (n == 0 || n >= sizeof t) return -1;
    for (size_t i = 0; i < n; i++) t[i] = (char)tolower((unsigned char)s[i]);
    t[n] = 0;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (strcmp(t, plain[i].in) == 0) {
            mo_buf_append_str(b, plain[i].out);
            return 0;
        }
    }
    char *paren = strchr(t, '(');
    if (!paren) return -1;
    size_t base = (size_t)(paren - t);
    while (base && t[base - 1] == ' ') base--;
    for (size_t i = 0; i < sizeof sized / sizeof sized[0]; i++) {
        if (strlen(sized[i].in) != base || strncmp(t, sized[i].in, base) != 0) continue;
        unsigned long args[2];
        const char *end = NULL;
        int got = read_args(paren, args, sized[i].max, &end);
        if (got < sized[i].min || *end) return -1;
        if (args[0] == 0 && strcmp(sized[i].in, "decimal") != 0) return -1;
        mo_buf_printf(b, "%s(%lu", sized[i].out, args[0]);
        if (got == 2) mo_buf_printf(b, ",%lu", args[1]);
        mo_buf_append_char(b, ')');
        return 0;
    }
    return -1;
}

/* The integer types SQLAlchemy's MySQL dialect gives AUTO_INCREMENT to as a table's one
 * primary key column (autoincrement="auto"), as the SDK's table builder renders them. */
static int is_integer_sql(const char *rendered) {
    static const char *const integer[] = {"INT", "BIGINT", "BIGINT UNSIGNED", "SMALLINT",
                                          "TINYINT"};
    for (size_t i = 0; i < sizeof integer / sizeof integer[0]; i++)
        if (strcmp(rendered, integer[i]) == 0) return 1;
    return 0;
}

mo_status mo_table_create_sql(mo_buf *sql, const char *table, const char *const *column_names,
                              const char *const *column_types, size_t column_count,
                              const char *primary_key, int auto_increment, const char *op) {
    mo_status st = MO_OK;
    if (!column_names || !column_types || column_count == 0)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "at least one column is required");
    int single_key = primary_key && *primary_key && !strchr(primary_key, ',');
    mo_buf_append_str(sql, "CREATE TABLE ");
    if (st >= 0) st = mo_mgr_qualified(sql, table, "table name", 0, op);
    mo_buf_append_str(sql, " (");
    for (size_t i = 0; i < column_count && st >= 0; i++) {
        if (i) mo_buf_append_str(sql, ", ");
        st = mo_mgr_ident(sql, column_names[i], "column name", op);
        mo_buf_append_char(sql, ' ');
        size_t type_at = sql->len;
        if (st >= 0 && render_type(sql, column_types[i]) < 0)
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                              "Unsupported column type '%s' for column '%s'. Supported types: %s",
                              column_types[i] ? column_types[i] : "(null)", column_names[i],
                              SUPPORTED_TYPES);
        if (st >= 0 && auto_increment && single_key && mo_buf_ok(sql) &&
            strcmp(column_names[i], primary_key) == 0) {
            if (is_integer_sql(sql->data + type_at)) /* the buffer is NUL-terminated */
                mo_buf_append_str(sql, " AUTO_INCREMENT");
        }
    }
    if (st >= 0 && primary_key && *primary_key) {
        mo_buf_append_str(sql, ", PRIMARY KEY (");
        st = mo_mgr_ident_list(sql, primary_key, "primary key column", op);
        mo_buf_append_char(sql, ')');
    }
    mo_buf_append_char(sql, ')');
    return st;
}

mo_status mo_table_create(mo_executor *ex, const char *table, const char *const *column_names,
                          const char *const *column_types, size_t column_count,
                          const char *primary_key) {
    const char *op = "table.create_table";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_table_create_sql(&sql, table, column_names, column_types, column_count, primary_key,
                             0, op);
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to create table '%s'", table);
}

mo_status mo_table_drop(mo_executor *ex, const char *table) {
    const char *op = "table.drop_table";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "DROP TABLE IF EXISTS ");
    st = mo_mgr_qualified(&sql, table, "table name", 0, op);
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to drop table '%s'", table);
}
