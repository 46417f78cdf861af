/* src/managers/load_data.c — LOAD DATA (reference §9.11).
 *
 * Differences from the SDK: the table and the columns are backtick-quoted, every value (path,
 * separators, character set, SET values, inline data, brace-form values) is an escaped
 * literal; compression with the CSV form and options the chosen form cannot carry are errors
 * instead of being dropped; LOCAL needs an allowed directory (local_infile.c). */
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"
#include "local_infile.h"

typedef struct {
    char *column;
    char *text;
    int is_expression;
} load_set;

struct mo_load_options {
    mo_handle h;
    char *fields_terminated_by; /* NULL: "," */
    char *enclosed_by;
    int optionally;
    char *escaped_by;
    char *lines_starting_by;
    char *lines_terminated_by;
    int64_t ignore_lines;
    char *character_set;
    int parallel;
    char **columns;
    size_t column_count;
    load_set *sets;
    size_t set_count;
    char *format;               /* NULL: csv; else "jsonline" / "parquet" (lower case) */
    char *jsondata;
    char *compression;
    mo_load_progress progress;
    void *progress_userdata;
};

/* ------------------------------------------------------------------ options handle */

mo_status mo_load_options_new(mo_load_options **out) {
    const char *op = "load_options.new";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_load_options *o = calloc(1, sizeof *o);
    if (!o) return mo_error_oom(op);
    mo_status st = mo_handle_register(&o->h, MO_HANDLE_LOAD_OPTIONS, op);
    if (st < 0) {
        free(o);
        return st;
    }
    *out = o;
    return MO_OK;
}

void mo_load_options_free(mo_load_options *o) {
    if (!o || mo_handle_enter_release(o, MO_HANDLE_LOAD_OPTIONS, "load_options.free") < 0) return;
    mo_handle_leave(o);
    mo_handle_unregister(&o->h);
    free(o->fields_terminated_by);
    free(o->enclosed_by);
    free(o->escaped_by);
    free(o->lines_starting_by);
    free(o->lines_terminated_by);
    free(o->character_set);
    for (size_t i = 0; i < o->column_count; i++) free(o->columns[i]);
    free(o->columns);
    for (size_t i = 0; i < o->set_count; i++) {
        free(o->sets[i].column);
        free(o->sets[i].text);
    }
    free(o->sets);
    free(o->format);
    free(o->jsondata);
    free(o->compression);
    free(o);
}

/* Replace *slot with a copy of value (NULL resets). */
static mo_status put(char **slot, const char *value, const char *op) {
    char *copy = NULL;
    if (value && !(copy = mo_strdup(value))) return mo_error_oom(op);
    free(*slot);
    *slot = copy;
    return MO_OK;
}

/* The shared frame of every setter: claim the handle, run, release. */
#define OPTION_SETTER(name, ...)                                                            \
    {                                                                                        \
        const char *op = "load_options." name;                                               \
        mo_status st = mo_handle_enter(o, MO_HANDLE_LOAD_OPTIONS, op);                       \
        if (st < 0) return st;                                                               \
        __VA_ARGS__;                                                                         \
        mo_handle_leave(o);                                                                  \
        return st;                                                                           \
    }

mo_status mo_load_options_set_fields_terminated_by(mo_load_options *o, const char *s)
    OPTION_SETTER("set_fields_terminated_by",
                  st = s && !*s ? mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                               "fields_terminated_by cannot be empty")
                                : put(&o->fields_terminated_by, s, op))

mo_status mo_load_options_set_fields_enclosed_by(mo_load_options *o, const char *q, int optionally)
    OPTION_SETTER("set_fields_enclosed_by", st = put(&o->enclosed_by, q, op);
                  if (st >= 0) o->optionally = q && optionally)

mo_status mo_load_options_set_fields_escaped_by(mo_load_options *o, const char *e)
    OPTION_SETTER("set_fields_escaped_by", st = put(&o->escaped_by, e, op))

mo_status mo_load_options_set_lines_starting_by(mo_load_options *o, const char *s)
    OPTION_SETTER("set_lines_starting_by", st = put(&o->lines_starting_by, s, op))

mo_status mo_load_options_set_lines_terminated_by(mo_load_options *o, const char *s)
    OPTION_SETTER("set_lines_terminated_by", st = put(&o->lines_terminated_by, s, op))

mo_status mo_load_options_set_ignore_lines(mo_load_options *o, int64_t n)
    OPTION_SETTER("set_ignore_lines",
                  if (n < 0) st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                               "ignore_lines must be a non-negative integer");
                  else o->ignore_lines = n)

static int is_charset_name(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

mo_status mo_load_options_set_character_set(mo_load_options *o, const char *cs)
    OPTION_SETTER("set_character_set",
                  if (cs && !is_charset_name(cs))
                      st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                        "character_set must be a character set name "
                                        "(letters, digits, '_')");
                  else st = put(&o->character_set, cs, op))

mo_status mo_load_options_set_parallel(mo_load_options *o, int parallel)
    OPTION_SETTER("set_parallel", o->parallel = parallel != 0)

mo_status mo_load_options_add_column(mo_load_options *o, const char *column)
    OPTION_SETTER("add_column",
                  if (!column || !*column || (column[0] == '@' && !column[1]))
                      st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                        "column must be a non-empty name");
                  else {
                      char **cols = realloc(o->columns, (o->column_count + 1) * sizeof *cols);
                      char *copy = cols ? mo_strdup(column) : NULL;
                      if (cols) o->columns = cols;
                      if (!copy) st = mo_error_oom(op);
                      else o->columns[o->column_count++] = copy;
                  })

static mo_status add_set(mo_load_options *o, const char *column, const char *text, int is_expr,
                         const char *op) {
    if (!column || !*column)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "column must be a non-empty name");
    if (!text || (is_expr && !*text))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s must not be NULL%s",
                            is_expr ? "expression" : "value", is_expr ? " or empty" : "");
    const char *problem = is_expr ? mo_sql_fragment_problem(text, strlen(text), 0) : NULL;
    if (problem)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "expression contains %s: %s", problem, text);
    load_set *sets = realloc(o->sets, (o->set_count + 1) * sizeof *sets);
    if (!sets) return mo_error_oom(op);
    o->sets = sets;
    load_set s = {mo_strdup(column), mo_strdup(text), is_expr};
    if (!s.column || !s.text) {
        free(s.column);
        free(s.text);
        return mo_error_oom(op);
    }
    o->sets[o->set_count++] = s;
    return MO_OK;
}

mo_status mo_load_options_add_set_value(mo_load_options *o, const char *column, const char *value)
    OPTION_SETTER("add_set_value", st = add_set(o, column, value, 0, op))

mo_status mo_load_options_add_set_expression(mo_load_options *o, const char *column,
                                             const char *expression)
    OPTION_SETTER("add_set_expression", st = add_set(o, column, expression, 1, op))

/* Store the lower-case form of one of `allowed` (case-insensitive), or fail with `msg`. */
static mo_status put_choice(char **slot, const char *value, const char *const *allowed,
                            const char *msg, const char *op) {
    if (!value) return put(slot, NULL, op);
    for (size_t i = 0; allowed[i]; i++)
        if (mo_mgr_ieq(value, allowed[i])) return put(slot, allowed[i], op);
    return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s, got '%s'", msg, value);
}

mo_status mo_load_options_set_format(mo_load_options *o, const char *format)
    OPTION_SETTER("set_format", {
        static const char *const formats[] = {"csv", "jsonline", "parquet", NULL};
        st = put_choice(&o->format, format, formats,
                        "format must be one of csv, jsonline, parquet", op);
        if (st >= 0 && o->format && !strcmp(o->format, "csv")) {
            free(o->format);
            o->format = NULL;
        }
    })

mo_status mo_load_options_set_jsondata(mo_load_options *o, const char *jsondata)
    OPTION_SETTER("set_jsondata", {
        static const char *const kinds[] = {"object", "array", NULL};
        st = put_choice(&o->jsondata, jsondata, kinds, "jsondata must be 'object' or 'array'", op);
    })

mo_status mo_load_options_set_compression(mo_load_options *o, const char *compression)
    OPTION_SETTER("set_compression",
                  if (compression && !is_charset_name(compression))
                      st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                        "compression must be a name such as gzip, bzip2, lz4 "
                                        "or none");
                  else st = put(&o->compression, compression, op))

mo_status mo_load_options_set_progress(mo_load_options *o, mo_load_progress progress,
                                       void *userdata)
    OPTION_SETTER("set_progress", o->progress = progress; o->progress_userdata = userdata)

/* ------------------------------------------------------------------ statements */

typedef enum { FORM_FILE, FORM_LOCAL, FORM_STAGE } load_form;

/* What a statement needs from opts, with NULL opts meaning the defaults. */
static const mo_load_options defaults;

static mo_status lit_clause(mo_buf *sql, const mo_executor *ex, const char *keyword,
                            const char *value) {
    mo_buf_append_str(sql, keyword);
    mo_mgr_literal(ex, sql, value);
    return MO_OK;
}

/* Options only the CSV (standard) form can carry. */
static const char *csv_only_option(const mo_load_options *o) {
    if (o->fields_terminated_by) return "fields_terminated_by";
    if (o->enclosed_by) return "fields_enclosed_by";
    if (o->escaped_by) return "fields_escaped_by";
    if (o->lines_starting_by) return "lines_starting_by";
    if (o->lines_terminated_by) return "lines_terminated_by";
    if (o->ignore_lines) return "ignore_lines";
    if (o->character_set) return "character_set";
    if (o->column_count) return "columns";
    if (o->set_count) return "set clauses";
    if (o->parallel) return "parallel";
    return NULL;
}

static mo_status append_column(mo_buf *sql, const char *column, const char *op) {
    if (column[0] == '@') {
        mo_buf_append_char(sql, '@');
        return mo_mgr_ident(sql, column + 1, "user variable", op);
    }
    return mo_mgr_ident(sql, column, "column name", op);
}

/* LOAD DATA [LOCAL ]INFILE ... for a file or stage path (already checked). */
static mo_status build_file_load(mo_buf *sql, mo_executor *ex, int local, const char *path,
                                 const char *table, const mo_load_options *o, const char *op) {
    mo_status st = MO_OK;
    mo_buf_append_str(sql, local ? "LOAD DATA LOCAL INFILE " : "LOAD DATA INFILE ");
    if (o->format) {
        /* MatrixOne's brace form */
        const char *extra = csv_only_option(o);
        if (extra)
            return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                "%s cannot be used with format '%s' (CSV form only)", extra,
                                o->format);
        if (o->jsondata && strcmp(o->format, "jsonline") != 0)
            return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                "jsondata applies to format 'jsonline' only");
        lit_clause(sql, ex, "{'filepath'=", path);
        lit_clause(sql, ex, ", 'format'=", o->format);
        if (o->jsondata) lit_clause(sql, ex, ", 'jsondata'=", o->jsondata);
        if (o->compression) lit_clause(sql, ex, ", 'compression'=", o->compression);
        mo_buf_append_str(sql, "} INTO TABLE ");
        return mo_mgr_qualified(sql, table, "table name", 0, op);
    }
    if (o->compression)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "compression needs format 'jsonline' or 'parquet' (the CSV form has "
                            "no compression clause)");
    if (o->jsondata)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "jsondata applies to format 'jsonline' only");
    mo_mgr_literal(ex, sql, path);
    mo_buf_append_str(sql, " INTO TABLE ");
    st = mo_mgr_qualified(sql, table, "table name", 0, op);
    if (st < 0) return st;
    if (o->character_set) {
        mo_buf_append_str(sql, " CHARACTER SET ");
        mo_buf_append_str(sql, o->character_set); /* checked: [A-Za-z0-9_]+ */
    }
    lit_clause(sql, ex, " FIELDS TERMINATED BY ",
               o->fields_terminated_by ? o->fields_terminated_by : ",");
    if (o->enclosed_by)
        lit_clause(sql, ex, o->optionally ? " OPTIONALLY ENCLOSED BY " : " ENCLOSED BY ",
                   o->enclosed_by);
    if (o->escaped_by) lit_clause(sql, ex, " ESCAPED BY ", o->escaped_by);
    if (o->lines_starting_by || o->lines_terminated_by) {
        mo_buf_append_str(sql, " LINES");
        if (o->lines_starting_by) lit_clause(sql, ex, " STARTING BY ", o->lines_starting_by);
        if (o->lines_terminated_by) lit_clause(sql, ex, " TERMINATED BY ", o->lines_terminated_by);
    }
    if (o->ignore_lines) mo_buf_printf(sql, " IGNORE %lld LINES", (long long)o->ignore_lines);
    for (size_t i = 0; i < o->column_count && st >= 0; i++) {
        mo_buf_append_str(sql, i ? ", " : " (");
        st = append_column(sql, o->columns[i], op);
    }
    if (o->column_count) mo_buf_append_char(sql, ')');
    for (size_t i = 0; i < o->set_count && st >= 0; i++) {
        mo_buf_append_str(sql, i ? ", " : " SET ");
        st = mo_mgr_ident(sql, o->sets[i].column, "column name", op);
        mo_buf_append_char(sql, '=');
        if (o->sets[i].is_expression) mo_buf_append_str(sql, o->sets[i].text);
        else mo_mgr_literal(ex, sql, o->sets[i].text);
    }
    if (o->parallel) mo_buf_append_str(sql, " PARALLEL 'true'");
    return st;
}

/* The MatrixOne-only parts of a file load, for the UNSUPPORTED gate. */
static int needs_matrixone(const mo_load_options *o) { return o->format || o->parallel; }

static mo_status run_load(mo_executor *ex, mo_buf *sql, mo_status st, const char *op,
                          uint64_t *affected_rows, const mo_local_infile_file *local,
                          const mo_load_options *o) {
    mo_result *r = NULL;
    if (st >= 0) {
        mo_conn *conn = mo_mgr_conn(ex);
        if (local && conn) mo_local_infile_arm(conn->mysql, local, o->progress, o->progress_userdata);
        st = mo_mgr_exec(ex, sql, op, &r);
        if (local && conn) {
            /* The connection's own error (lost, unknown outcome) would hide the reason. */
            const char *changed = mo_local_infile_changed();
            if (changed) st = mo_error_set(MO_E_DATA, op, "%s", changed);
            mo_local_infile_disarm();
        }
        if (st < 0) mo_mgr_wrap(st, op, "Failed to load data");
        else if (affected_rows) mo_result_affected_rows(r, affected_rows);
    }
    mo_result_free(r);
    mo_buf_free(sql);
    mo_mgr_leave(ex);
    return st;
}

static mo_status file_load(mo_executor *ex, load_form form, const char *stage,
                           const char *file_path, const char *table,
                           const mo_load_options *opts, uint64_t *affected_rows, const char *op) {
    if (affected_rows) *affected_rows = 0;
    mo_status st = opts ? mo_handle_check(opts, MO_HANDLE_LOAD_OPTIONS, op) : MO_OK;
    if (st < 0) return st;
    const mo_load_options *o = opts ? opts : &defaults;
    st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql, path;
    mo_buf_init(&sql);
    mo_buf_init(&path);
    mo_local_infile_file local = {0};
    if (form == FORM_STAGE || needs_matrixone(o)) st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0 && form == FORM_STAGE) {
        st = mo_mgr_require(stage, op, "stage_name must be a non-empty string");
        if (st >= 0) st = mo_mgr_require(file_path, op, "filename must be a non-empty string");
        if (st >= 0 && strchr(stage, '/'))
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "stage_name must not contain '/'");
        if (st >= 0) mo_buf_printf(&path, "stage://%s/%s", stage, file_path);
    } else if (st >= 0) {
        st = mo_mgr_require(file_path, op, "file_path must be a non-empty string");
    }
    if (st >= 0) st = mo_mgr_require(table, op, "table_name must be a non-empty string");
    if (st >= 0 && form == FORM_LOCAL) {
        st = mo_local_infile_check(&local, ex->client->cfg, file_path, op);
        if (st >= 0) mo_buf_append_str(&path, local.path);
    } else if (st >= 0 && form == FORM_FILE) {
        mo_buf_append_str(&path, file_path);
    }
    if (st >= 0) st = mo_mgr_sql_ok(&path, op);
    if (st >= 0) st = build_file_load(&sql, ex, form == FORM_LOCAL, mo_buf_cstr(&path), table, o, op);
    mo_buf_free(&path);
    st = run_load(ex, &sql, st, op, affected_rows, form == FORM_LOCAL ? &local : NULL, o);
    mo_local_infile_file_free(&local);
    return st;
}

mo_status mo_load_data_from_file(mo_executor *ex, const char *file_path, const char *table,
                                 const mo_load_options *opts, uint64_t *affected_rows) {
    return file_load(ex, FORM_FILE, NULL, file_path, table, opts, affected_rows,
                     "load_data.from_file");
}

mo_status mo_load_data_from_local_file(mo_executor *ex, const char *file_path, const char *table,
                                       const mo_load_options *opts, uint64_t *affected_rows) {
    return file_load(ex, FORM_LOCAL, NULL, file_path, table, opts, affected_rows,
                     "load_data.from_local_file");
}

mo_status mo_load_data_from_stage(mo_executor *ex, const char *stage_name, const char *filename,
                                  const char *table, const mo_load_options *opts,
                                  uint64_t *affected_rows) {
    return file_load(ex, FORM_STAGE, stage_name, filename, table, opts, affected_rows,
                     "load_data.from_stage");
}

mo_status mo_load_data_from_inline(mo_executor *ex, const char *data, size_t data_len,
                                   const char *table, const mo_load_options *opts,
                                   uint64_t *affected_rows) {
    const char *op = "load_data.from_inline";
    if (affected_rows) *affected_rows = 0;
    mo_status st = opts ? mo_handle_check(opts, MO_HANDLE_LOAD_OPTIONS, op) : MO_OK;
    if (st < 0) return st;
    const mo_load_options *o = opts ? opts : &defaults;
    st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0 && !data) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "data must not be NULL");
    if (st >= 0) st = mo_mgr_require(table, op, "table_name must be a non-empty string");
    const char *format = o->format ? o->format : "csv";
    if (st >= 0 && !strcmp(format, "parquet"))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "inline data must be csv or jsonline");
    if (st >= 0) {
        const char *extra = NULL;
        if (o->escaped_by) extra = "fields_escaped_by";
        else if (o->lines_starting_by) extra = "lines_starting_by";
        else if (o->lines_terminated_by) extra = "lines_terminated_by";
        else if (o->ignore_lines) extra = "ignore_lines";
        else if (o->character_set) extra = "character_set";
        else if (o->column_count) extra = "columns";
        else if (o->set_count) extra = "set clauses";
        else if (o->parallel) extra = "parallel";
        else if (o->compression) extra = "compression";
        else if (o->optionally) extra = "optionally enclosed";
        else if (strcmp(format, "csv") && (o->fields_terminated_by || o->enclosed_by))
            extra = "fields options (CSV only)";
        else if (o->jsondata && strcmp(format, "jsonline")) extra = "jsondata (jsonline only)";
        if (extra)
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s cannot be used with inline data",
                              extra);
    }
    if (st >= 0) {
        lit_clause(&sql, ex, "LOAD DATA INLINE FORMAT=", format);
        mo_buf_append_str(&sql, ", DATA=");
        mo_mgr_literal_n(ex, &sql, data, data_len);
        if (o->jsondata) lit_clause(&sql, ex, ", JSONTYPE=", o->jsondata);
        mo_buf_append_str(&sql, " INTO TABLE ");
        st = mo_mgr_qualified(&sql, table, "table name", 0, op);
    }
    if (st >= 0 && !strcmp(format, "csv")) {
        lit_clause(&sql, ex, " FIELDS TERMINATED BY ",
                   o->fields_terminated_by ? o->fields_terminated_by : ",");
        if (o->enclosed_by) lit_clause(&sql, ex, " ENCLOSED BY ", o->enclosed_by);
    }
    return run_load(ex, &sql, st, op, affected_rows, NULL, o);
}
