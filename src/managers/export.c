/* src/managers/export.c — SELECT ... INTO OUTFILE (reference §9.14).
 *
 * Differences from the SDK: separator, quote character and line terminator are all sent
 * whenever given (the SDK drops the separator when a quote character is set, and the quote
 * character when the separator is ','); they and the path are escaped literals; the query may
 * carry `?` parameters; header is written on MatrixOne instead of only warned about, and a
 * CSV without header says header 'false' there (MatrixOne writes one by default).
 * The row count is what the server reports: MatrixOne v4.2 reports 0 for INTO OUTFILE. */
#include <string.h>
#include "managers/managers_internal.h"

typedef struct {
    int csv;
    const char *sep, *quotechar, *lineterminator;
    int header;
} export_format;

static mo_status build_export(mo_buf *sql, mo_executor *ex, const char *path, const char *query,
                              const mo_params *params, const export_format *f, const char *op) {
    mo_status st = mo_mgr_require(query, op, "query must be a non-empty string");
    if (st < 0) return st;
    size_t len = strlen(query);
    while (len > 0 && strchr(" \t\r\n;", query[len - 1])) len--;
    if (!len) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "query must be a non-empty string");
    st = mo_params_render(sql, query, len, params, mo_mgr_charset(ex), op);
    if (st < 0) return st;
    mo_buf_append_str(sql, " INTO OUTFILE ");
    mo_mgr_literal(ex, sql, path);
    if (!f->csv) return MO_OK;
    mo_buf_append_str(sql, " FIELDS TERMINATED BY ");
    mo_mgr_literal(ex, sql, f->sep);
    if (f->quotechar) {
        mo_buf_append_str(sql, " ENCLOSED BY ");
        mo_mgr_literal(ex, sql, f->quotechar);
    }
    mo_buf_append_str(sql, " LINES TERMINATED BY ");
    mo_mgr_literal(ex, sql, f->lineterminator);
    if (f->header) mo_buf_append_str(sql, " header 'true'");
    /* MatrixOne writes a header line unless told not to (v4.2): said whenever the server is
     * known to be MatrixOne (a dry-run client without server_version sends what the SDK
     * does, no header clause). */
    else if (mo_mgr_matrixone_since(ex, 0, 0, 0)) mo_buf_append_str(sql, " header 'false'");
    return MO_OK;
}

static mo_status export_run(mo_executor *ex, const char *stage, const char *filename,
                            const char *query, const mo_params *params, export_format *f,
                            uint64_t *affected_rows, const char *op) {
    if (affected_rows) *affected_rows = 0;
    mo_status st = params ? mo_handle_check(params, MO_HANDLE_PARAMS, op) : MO_OK;
    if (st < 0) return st;
    st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    if (stage || (f->csv && f->header)) st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf path, sql;
    mo_buf_init(&path);
    mo_buf_init(&sql);
    if (stage) {
        if (st >= 0) st = mo_mgr_require(stage, op, "stage_name must be a non-empty string");
        if (st >= 0) st = mo_mgr_require(filename, op, "filename must be a non-empty string");
        if (st >= 0 && strchr(stage, '/'))
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "stage_name must not contain '/'");
        if (st >= 0) mo_buf_printf(&path, "stage://%s/%s", stage, filename);
    } else {
        if (st >= 0) st = mo_mgr_require(filename, op, "path must be a non-empty string");
        if (st >= 0) mo_buf_append_str(&path, filename);
    }
    if (st >= 0 && f->csv) {
        if (!f->sep) f->sep = ",";
        if (!f->lineterminator) f->lineterminator = "\n";
        if (!*f->sep) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "sep cannot be empty");
        else if (f->quotechar && !strcmp(f->sep, f->quotechar))
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                              "sep and quotechar cannot be the same: '%s'", f->sep);
        else if (!*f->lineterminator)
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "lineterminator cannot be empty");
        else if (f->quotechar && strlen(f->quotechar) != 1)
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                              "quotechar must be a single character, got '%s'", f->quotechar);
    }
    if (st >= 0) st = mo_mgr_sql_ok(&path, op);
    if (st >= 0) st = build_export(&sql, ex, mo_buf_cstr(&path), query, params, f, op);
    mo_buf_free(&path);
    mo_result *r = NULL;
    st = mo_mgr_finish(ex, &sql, st, op, &r, "Failed to export query result");
    if (st >= 0 && affected_rows) mo_result_affected_rows(r, affected_rows);
    mo_result_free(r);
    return st;
}

mo_status mo_export_to_csv(mo_executor *ex, const char *path, const char *query,
                           const mo_params *params, const char *sep, const char *quotechar,
                           const char *lineterminator, int header, uint64_t *affected_rows) {
    export_format f = {1, sep, quotechar, lineterminator, header};
    return export_run(ex, NULL, path, query, params, &f, affected_rows, "export.to_csv");
}

mo_status mo_export_to_jsonl(mo_executor *ex, const char *path, const char *query,
                             const mo_params *params, uint64_t *affected_rows) {
    export_format f = {0, NULL, NULL, NULL, 0};
    return export_run(ex, NULL, path, query, params, &f, affected_rows, "export.to_jsonl");
}

mo_status mo_export_to_csv_stage(mo_executor *ex, const char *stage_name, const char *filename,
                                 const char *query, const mo_params *params, const char *sep,
                                 const char *quotechar, const char *lineterminator, int header,
                                 uint64_t *affected_rows) {
    export_format f = {1, sep, quotechar, lineterminator, header};
    return export_run(ex, stage_name, filename, query, params, &f, affected_rows,
                      "export.to_csv_stage");
}

mo_status mo_export_to_jsonl_stage(mo_executor *ex, const char *stage_name, const char *filename,
                                   const char *query, const mo_params *params,
                                   uint64_t *affected_rows) {
    export_format f = {0, NULL, NULL, NULL, 0};
    return export_run(ex, stage_name, filename, query, params, &f, affected_rows,
                      "export.to_jsonl_stage");
}
