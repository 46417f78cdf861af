/* src/managers/cdc.c — CDC tasks (reference §9.13). MatrixOne-only but for build_mysql_uri.
 *
 * Differences from the SDK: task names are backtick-quoted; URIs, sink type, mapping and
 * option keys/values are escaped literals; sink_type is checked; table-mapping parts may not
 * hold the mapping's own separators (',' ':' '.'); build_mysql_uri percent-encodes; the
 * password of a URI never reaches an error message (scrubbed) or a log line (redacted). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "managers/managers_internal.h"

enum {
    T_ID, T_NAME, T_SOURCE, T_SINK, T_SINK_TYPE, T_TABLES, T_FILTERS, T_START, T_END, T_STATE,
    T_CHECKPOINT, T_NO_FULL, T_ERR, T_CREATED, T_CONFIG, T_MAPPING
};
enum { W_TASK_ID, W_TASK_NAME, W_DB, W_TABLE, W_MARK, W_ERR };

static const int task_map[] = {T_ID, T_NAME, T_SOURCE, T_SINK, T_SINK_TYPE, T_TABLES, T_FILTERS,
                               T_START, T_END, T_STATE, T_CHECKPOINT, T_NO_FULL, T_ERR,
                               T_CREATED, T_CONFIG};
static const int watermark_map[] = {W_TASK_ID, W_TASK_NAME, W_DB, W_TABLE, W_MARK, W_ERR};

MO_RECORD_TYPE(mo_cdc_task, mo_cdc_task, MO_REC_CDC_TASK)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_id, MO_REC_CDC_TASK, T_ID)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_name, MO_REC_CDC_TASK, T_NAME)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_source_uri, MO_REC_CDC_TASK, T_SOURCE)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_sink_uri, MO_REC_CDC_TASK, T_SINK)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_sink_type, MO_REC_CDC_TASK, T_SINK_TYPE)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_tables, MO_REC_CDC_TASK, T_TABLES)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_filters, MO_REC_CDC_TASK, T_FILTERS)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_start_ts, MO_REC_CDC_TASK, T_START)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_end_ts, MO_REC_CDC_TASK, T_END)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_state, MO_REC_CDC_TASK, T_STATE)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_checkpoint, MO_REC_CDC_TASK, T_CHECKPOINT)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_no_full, MO_REC_CDC_TASK, T_NO_FULL)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_err_msg, MO_REC_CDC_TASK, T_ERR)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_created_time, MO_REC_CDC_TASK, T_CREATED)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_additional_config, MO_REC_CDC_TASK, T_CONFIG)
MO_TEXT_FIELD(mo_cdc_task, mo_cdc_task_table_mapping, MO_REC_CDC_TASK, T_MAPPING)

MO_RECORD_TYPE(mo_cdc_watermark, mo_cdc_watermark, MO_REC_CDC_WATERMARK)
MO_TEXT_FIELD(mo_cdc_watermark, mo_cdc_watermark_task_id, MO_REC_CDC_WATERMARK, W_TASK_ID)
MO_TEXT_FIELD(mo_cdc_watermark, mo_cdc_watermark_task_name, MO_REC_CDC_WATERMARK, W_TASK_NAME)
MO_TEXT_FIELD(mo_cdc_watermark, mo_cdc_watermark_database, MO_REC_CDC_WATERMARK, W_DB)
MO_TEXT_FIELD(mo_cdc_watermark, mo_cdc_watermark_table, MO_REC_CDC_WATERMARK, W_TABLE)
MO_TEXT_FIELD(mo_cdc_watermark, mo_cdc_watermark_watermark, MO_REC_CDC_WATERMARK, W_MARK)
MO_TEXT_FIELD(mo_cdc_watermark, mo_cdc_watermark_err_msg, MO_REC_CDC_WATERMARK, W_ERR)
MO_NUM_FIELD(mo_cdc_watermark, mo_cdc_watermark_lag_ms, MO_REC_CDC_WATERMARK)

#define TASK_SELECT                                                                          \
    "SELECT task_id, task_name, source_uri, sink_uri, sink_type, tables, filters, start_ts, " \
    "end_ts, state, checkpoint, no_full, err_msg, task_create_time, additional_config "      \
    "FROM mo_catalog.mo_cdc_task WHERE account_id = current_account_id()"
#define WATERMARK_SELECT                                                                     \
    "SELECT w.task_id, t.task_name, w.db_name, w.table_name, w.watermark, w.err_msg "        \
    "FROM mo_catalog.mo_cdc_watermark w JOIN mo_catalog.mo_cdc_task t ON w.task_id = "       \
    "t.task_id WHERE w.account_id = current_account_id()"

#define TEN_MINUTES_MS (10 * 60 * 1000LL)

/* ------------------------------------------------------------------ build_mysql_uri */

static void percent_encode(mo_buf *b, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            mo_buf_append_char(b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            mo_buf_append(b, e, 3);
        }
    }
}

static int host_ok(const char *h) {
    for (; *h; h++)
        if (!(isalnum((unsigned char)*h) || strchr("-._~%:[]", *h) || (unsigned char)*h >= 0x80))
            return 0;
    return 1;
}

mo_status mo_cdc_build_mysql_uri(mo_executor *ex, const char **uri, const char *host,
                                 unsigned port, const char *user, const char *password,
                                 const char *account) {
    const char *op = "cdc.build_mysql_uri";
    if (!uri) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "uri is NULL");
    *uri = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    if (!host || !*host) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "host is required");
    else if (port == 0 || port > 65535)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "port must be an integer between 1 and 65535");
    else if (!user || !*user) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "user is required");
    else if (!host_ok(host))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "host must be a host name or an IP address");
    if (st >= 0) {
        mo_buf b;
        mo_buf_init(&b);
        mo_buf_append_str(&b, "mysql://");
        if (account && *account) {
            percent_encode(&b, account);
            mo_buf_append_char(&b, '#');
        }
        percent_encode(&b, user);
        mo_buf_append_char(&b, ':');
        percent_encode(&b, password ? password : "");
        mo_buf_append_char(&b, '@');
        int v6 = strchr(host, ':') && host[0] != '[';
        if (v6) mo_buf_append_char(&b, '[');
        mo_buf_append_str(&b, host);
        if (v6) mo_buf_append_char(&b, ']');
        mo_buf_printf(&b, ":%u", port);
        st = mo_mgr_sql_ok(&b, op);
        if (st >= 0) {
            free(ex->text);
            ex->text = mo_buf_detach(&b, NULL);
            *uri = ex->text;
        }
        mo_buf_free(&b);
    }
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ create */

static int is_sink_type(const char *s) { return mo_mgr_ieq(s, "mysql") || mo_mgr_ieq(s, "matrixone"); }

static void json_string(mo_buf *b, const char *s) {
    mo_buf_append_char(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            mo_buf_append_char(b, '\\');
            mo_buf_append_char(b, (char)*p);
        } else if (*p < 0x20) {
            mo_buf_printf(b, "\\u%04x", *p);
        } else {
            mo_buf_append_char(b, (char)*p);
        }
    }
    mo_buf_append_char(b, '"');
}

/* ' {'k'='v', ...}' with the Level rule of _prepare_options (level NULL: none), and the same
 * options as a JSON object into json. */
static mo_status append_options(mo_buf *sql, mo_buf *json, const mo_executor *ex,
                                const mo_strmap *opts, const char *level, const char *op) {
    if (opts && !mo_handle_is_live(opts, MO_HANDLE_STRMAP))
        return mo_error_set(MO_E_MISUSE, op, "options is not a live strmap handle");
    size_t n = opts ? opts->count : 0;
    for (size_t i = 0; i < n; i++)
        if (!opts->values[i])
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "option '%s' needs a value",
                                opts->keys[i]);
    const char *existing = level ? mo_strmap_find(opts, "Level") : NULL;
    if (existing && !mo_mgr_ieq(existing, level))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "Level option mismatch: expected '%s', got '%s'", level, existing);
    if (!n && !level) return MO_OK;
    mo_buf_append_str(sql, " {");
    mo_buf_append_char(json, '{');
    for (size_t i = 0; i < n; i++) {
        if (i) mo_buf_append_str(sql, ", "), mo_buf_append_str(json, ", ");
        mo_mgr_literal(ex, sql, opts->keys[i]);
        mo_buf_append_char(sql, '=');
        mo_mgr_literal(ex, sql, opts->values[i]);
        json_string(json, opts->keys[i]);
        mo_buf_append_str(json, ": ");
        json_string(json, opts->values[i]);
    }
    if (level && !existing) {
        if (n) mo_buf_append_str(sql, ", "), mo_buf_append_str(json, ", ");
        mo_buf_append_str(sql, "'Level'=");
        mo_mgr_literal(ex, sql, level);
        mo_buf_append_str(json, "\"Level\": ");
        json_string(json, level);
    }
    mo_buf_append_char(sql, '}');
    mo_buf_append_char(json, '}');
    return MO_OK;
}

/* Remove the password of a URI from the current error (it may be echoed by the server). */
static void scrub_uri(const mo_executor *ex, const char *uri) {
    const char *scheme = uri ? strstr(uri, "://") : NULL;
    if (!scheme) return;
    const char *user = scheme + 3, *at = strrchr(user, '@');
    const char *colon = at ? memchr(user, ':', (size_t)(at - user)) : NULL;
    if (!colon || colon + 1 >= at) return;
    char *pw = mo_strndup(colon + 1, (size_t)(at - colon - 1));
    if (pw) mo_mgr_scrub_secret(ex, pw);
    free(pw);
}

static mo_status cdc_create(mo_cdc_task **out, mo_executor *ex, const char *task,
                            const char *source_uri, const char *sink_type, const char *sink_uri,
                            const char *mapping, const mo_strmap *opts, const char *level,
                            const char *op) {
    mo_buf sql, json;
    mo_buf_init(&sql);
    mo_buf_init(&json);
    mo_status st = mo_mgr_require(task, op, "task_name is required");
    if (st >= 0) st = mo_mgr_require(source_uri, op, "source_uri is required");
    if (st >= 0) st = mo_mgr_require(sink_uri, op, "sink_uri is required");
    if (st >= 0 && (!sink_type || !is_sink_type(sink_type)))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "sink_type must be 'mysql' or 'matrixone', got '%s'",
                          sink_type ? sink_type : "None");
    if (st >= 0) st = mo_mgr_require(mapping, op, "table_mapping is required");
    char type[16] = {0};
    for (size_t i = 0; st >= 0 && sink_type[i] && i < sizeof type - 1; i++)
        type[i] = (char)tolower((unsigned char)sink_type[i]);
    if (st >= 0) {
        mo_buf_append_str(&sql, "CREATE CDC ");
        st = mo_mgr_ident(&sql, task, "task name", op);
    }
    if (st >= 0) {
        mo_buf_append_char(&sql, ' ');
        mo_mgr_literal(ex, &sql, source_uri);
        mo_buf_append_char(&sql, ' ');
        mo_mgr_literal(ex, &sql, type);
        mo_buf_append_char(&sql, ' ');
        mo_mgr_literal(ex, &sql, sink_uri);
        mo_buf_append_char(&sql, ' ');
        mo_mgr_literal(ex, &sql, mapping);
        st = append_options(&sql, &json, ex, opts, level, op);
    }
    if (st >= 0) {
        st = mo_mgr_exec(ex, &sql, op, NULL);
        if (st < 0) {
            scrub_uri(ex, source_uri);
            scrub_uri(ex, sink_uri);
            mo_mgr_wrap(st, op, "Failed to create CDC task '%s'", task);
        }
    }
    mo_buf_free(&sql);
    if (st >= 0 && out) {
        /* The SDK's locally built CDCTaskInfo. */
        mo_record *rec = mo_record_new(MO_REC_CDC_TASK);
        if (!rec) st = mo_error_oom(op);
        if (st >= 0) st = mo_record_set_str(rec, T_NAME, task, op);
        if (st >= 0) st = mo_record_set_str(rec, T_SOURCE, source_uri, op);
        if (st >= 0) st = mo_record_set_str(rec, T_SINK, sink_uri, op);
        if (st >= 0) st = mo_record_set_str(rec, T_SINK_TYPE, type, op);
        if (st >= 0) st = mo_record_set_str(rec, T_MAPPING, mapping, op);
        if (st >= 0 && json.len) st = mo_record_set(rec, T_CONFIG, json.data, json.len, op);
        if (st >= 0 && !mo_buf_ok(&json)) st = mo_error_oom(op);
        if (rec) st = mo_mgr_hand_out((void **)out, rec, st, op);
    }
    mo_buf_free(&json);
    return st;
}

mo_status mo_cdc_create(mo_cdc_task **out, mo_executor *ex, const char *task_name,
                        const char *source_uri, const char *sink_type, const char *sink_uri,
                        const char *table_mapping, const mo_strmap *options) {
    const char *op = "cdc.create";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0)
        st = cdc_create(out, ex, task_name, source_uri, sink_type, sink_uri, table_mapping,
                        options, NULL, op);
    mo_mgr_leave(ex);
    return st;
}

/* A database or table name inside the mapping mini-language: no separators of it. */
static int mapping_part_ok(const char *s, size_t n) {
    if (!n) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == ':' || s[i] == '.' || (unsigned char)s[i] < 0x20) return 0;
    return mo_utf8_valid(s, n);
}

mo_status mo_cdc_create_database_task(mo_cdc_task **out, mo_executor *ex, const char *task_name,
                                      const char *source_uri, const char *sink_type,
                                      const char *sink_uri, const char *source_database,
                                      const char *sink_database, const mo_strmap *options) {
    const char *op = "cdc.create_database_task";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(source_database, op, "source_database is required");
    const char *sink = sink_database && *sink_database ? sink_database : source_database;
    if (st >= 0 && (!mapping_part_ok(source_database, strlen(source_database)) ||
                    !mapping_part_ok(sink, strlen(sink))))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                          "database names in a CDC mapping cannot contain ',', ':' or '.'");
    mo_buf mapping;
    mo_buf_init(&mapping);
    if (st >= 0) {
        mo_buf_printf(&mapping, "%s:%s", source_database, sink);
        st = mo_mgr_sql_ok(&mapping, op);
    }
    if (st >= 0)
        st = cdc_create(out, ex, task_name, source_uri, sink_type, sink_uri,
                        mo_buf_cstr(&mapping), options, "database", op);
    mo_buf_free(&mapping);
    mo_mgr_leave(ex);
    return st;
}

/* One mapping entry (see cdc.h) appended to b. */
static mo_status append_mapping(mo_buf *b, const char *key, const char *value, const char *op) {
    if (!value && strchr(key, ':')) { /* the SDK's string item, as given */
        mo_buf_append_str(b, key);
        return MO_OK;
    }
    const char *dot = strchr(key, '.');
    int ok = dot && mapping_part_ok(key, (size_t)(dot - key)) &&
             mapping_part_ok(dot + 1, strlen(dot + 1));
    const char *vdot = value ? strchr(value, '.') : NULL;
    if (ok && value) {
        ok = vdot ? mapping_part_ok(value, (size_t)(vdot - value)) &&
                        mapping_part_ok(vdot + 1, strlen(vdot + 1))
                  : mapping_part_ok(value, strlen(value));
    }
    if (!ok)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "Unsupported table mapping entry: '%s' -> '%s' (expected 'db.table' "
                            "-> NULL, 'table' or 'db.table'; names without ',', ':' or '.')",
                            key, value ? value : "NULL");
    mo_buf_append_str(b, key);
    mo_buf_append_char(b, ':');
    if (!value) {
        mo_buf_append_str(b, key);
    } else if (!vdot) {
        mo_buf_append(b, key, (size_t)(dot - key + 1));
        mo_buf_append_str(b, value);
    } else {
        mo_buf_append_str(b, value);
    }
    return MO_OK;
}

mo_status mo_cdc_create_table_task(mo_cdc_task **out, mo_executor *ex, const char *task_name,
                                   const char *source_uri, const char *sink_type,
                                   const char *sink_uri, const mo_strmap *table_mappings,
                                   const mo_strmap *options) {
    const char *op = "cdc.create_table_task";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf mapping;
    mo_buf_init(&mapping);
    if (st >= 0 && !table_mappings)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "table_mappings cannot be None");
    else if (st >= 0 && !mo_handle_is_live(table_mappings, MO_HANDLE_STRMAP))
        st = mo_error_set(MO_E_MISUSE, op, "table_mappings is not a live strmap handle");
    else if (st >= 0 && !table_mappings->count)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "table_mappings cannot be empty");
    for (size_t i = 0; st >= 0 && i < table_mappings->count; i++) {
        if (i) mo_buf_append_char(&mapping, ',');
        st = append_mapping(&mapping, table_mappings->keys[i], table_mappings->values[i], op);
    }
    if (st >= 0) st = mo_mgr_sql_ok(&mapping, op);
    if (st >= 0)
        st = cdc_create(out, ex, task_name, source_uri, sink_type, sink_uri,
                        mo_buf_cstr(&mapping), options, "table", op);
    mo_buf_free(&mapping);
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ task statements */

/* "<prefix> `task`[suffix]" or, with task == NULL and all != NULL, the ALL form. */
static mo_status task_statement(mo_executor *ex, mo_result **out, const char *op,
                                const char *prefix, const char *task, const char *suffix,
                                const char *all, const char *fail) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0 && all) {
        mo_buf_append_str(&sql, all);
    } else if (st >= 0) {
        st = mo_mgr_require(task, op, "task_name is required");
        if (st >= 0) {
            mo_buf_append_str(&sql, prefix);
            st = mo_mgr_ident(&sql, task, "task name", op);
            if (suffix) mo_buf_append_str(&sql, suffix);
        }
    }
    return mo_mgr_finish(ex, &sql, st, op, out, "%s", fail);
}

mo_status mo_cdc_drop(mo_executor *ex, const char *task_name) {
    return mo_mgr_drop_named(ex, "cdc.drop", 1, "DROP CDC TASK ", task_name,
                             "task_name is required", "task name", "Failed to drop CDC task");
}

mo_status mo_cdc_drop_all(mo_executor *ex) {
    return task_statement(ex, NULL, "cdc.drop_all", NULL, NULL, NULL, "DROP CDC ALL",
                          "Failed to drop CDC tasks");
}

mo_status mo_cdc_pause(mo_executor *ex, const char *task_name) {
    return task_statement(ex, NULL, "cdc.pause", "PAUSE CDC TASK ", task_name, NULL, NULL,
                          "Failed to pause CDC task");
}

mo_status mo_cdc_pause_all(mo_executor *ex) {
    return task_statement(ex, NULL, "cdc.pause_all", NULL, NULL, NULL, "PAUSE CDC ALL",
                          "Failed to pause CDC tasks");
}

mo_status mo_cdc_resume(mo_executor *ex, const char *task_name) {
    return task_statement(ex, NULL, "cdc.resume", "RESUME CDC TASK ", task_name, NULL, NULL,
                          "Failed to resume CDC task");
}

mo_status mo_cdc_restart(mo_executor *ex, const char *task_name) {
    return task_statement(ex, NULL, "cdc.restart", "RESUME CDC TASK ", task_name, " 'restart'",
                          NULL, "Failed to restart CDC task");
}

mo_status mo_cdc_show_all(mo_result **out, mo_executor *ex) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "cdc.show_all", "out is NULL");
    *out = NULL;
    return task_statement(ex, out, "cdc.show_all", NULL, NULL, NULL, "SHOW CDC ALL",
                          "Failed to show CDC tasks");
}

mo_status mo_cdc_show_task(mo_result **out, mo_executor *ex, const char *task_name) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "cdc.show_task", "out is NULL");
    *out = NULL;
    return task_statement(ex, out, "cdc.show_task", "SHOW CDC TASK ", task_name, NULL, NULL,
                          "Failed to show CDC task");
}

/* ------------------------------------------------------------------ reads */

/* table_mapping: the "table" member of the tables JSON when it is a non-empty string, else
 * the raw text (as _rows_to_tasks). */
static mo_status finish_task(mo_record *r, const char *op) {
    const char *tables = r->text[T_TABLES];
    if (!tables || !*tables) return MO_OK;
    mo_json *j = mo_json_parse(tables, strlen(tables), NULL);
    const mo_json *t = mo_json_get(j, "table");
    mo_status st = t && t->type == MO_JSON_STRING && t->len
                       ? mo_record_set(r, T_MAPPING, t->string, t->len, op)
                       : mo_record_set_str(r, T_MAPPING, tables, op);
    mo_json_free(j);
    return st;
}

static mo_status read_tasks(mo_record_list **out, mo_executor *ex, const char *task,
                            const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, TASK_SELECT);
    if (task && *task) {
        mo_buf_append_str(&sql, " AND task_name = ");
        mo_mgr_literal(ex, &sql, task);
    }
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    if (st < 0) return mo_mgr_wrap(st, op, "Failed to list CDC tasks");
    st = mo_records_from_result(out, r, MO_REC_CDC_TASK, task_map, 15, NULL, NULL, op);
    mo_result_free(r);
    for (size_t i = 0; st >= 0 && i < (*out)->count; i++) st = finish_task((*out)->items[i], op);
    if (st < 0) {
        mo_record_list_destroy(*out);
        *out = NULL;
    }
    return st;
}

static mo_status read_watermarks(mo_record_list **out, mo_executor *ex, const char *task,
                                 const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, WATERMARK_SELECT);
    if (task && *task) {
        mo_buf_append_str(&sql, " AND t.task_name = ");
        mo_mgr_literal(ex, &sql, task);
    }
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    if (st < 0) return mo_mgr_wrap(st, op, "Failed to list CDC watermarks");
    st = mo_records_from_result(out, r, MO_REC_CDC_WATERMARK, watermark_map, 6, NULL, NULL, op);
    mo_result_free(r);
    return st;
}

/* The frame of every read: out check, enter, MatrixOne gate. */
#define READ_BEGIN(op_name)                                                                  \
    const char *op = op_name;                                                                \
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");                 \
    *out = NULL;                                                                             \
    mo_status st = mo_mgr_enter(ex, op);                                                     \
    if (st < 0) return st;                                                                   \
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0)

mo_status mo_cdc_list_tasks(mo_cdc_task_list **out, mo_executor *ex, const char *task_name) {
    READ_BEGIN("cdc.list");
    mo_record_list *l = NULL;
    if (st >= 0) st = read_tasks(&l, ex, task_name, op);
    if (st >= 0) st = mo_mgr_hand_out_list((void **)out, l, st, op);
    mo_mgr_leave(ex);
    return st;
}

/* get() on an entered executor (a mo_mgr_get_fn: also the lookup of exists). */
static mo_status task_get(void **out, mo_executor *ex, const void *task, const char *op) {
    mo_status st = mo_mgr_require(task, op, "task_name is required");
    mo_record_list *l = NULL;
    if (st >= 0) st = read_tasks(&l, ex, task, op);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, MO_REC_CDC_TASK, T_NAME, task, "CDC task", op);
    return mo_mgr_hand_out(out, rec, st, op);
}

mo_status mo_cdc_get(mo_cdc_task **out, mo_executor *ex, const char *task_name) {
    READ_BEGIN("cdc.get");
    if (st >= 0) st = task_get((void **)out, ex, task_name, op);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_cdc_exists(mo_executor *ex, const char *task_name, int *exists) {
    return mo_mgr_exists(ex, "cdc.exists", task_get, task_name, exists);
}

mo_status mo_cdc_list_watermarks(mo_cdc_watermark_list **out, mo_executor *ex,
                                 const char *task_name) {
    READ_BEGIN("cdc.list_watermarks");
    mo_record_list *l = NULL;
    if (st >= 0) st = read_watermarks(&l, ex, task_name, op);
    if (st >= 0) st = mo_mgr_hand_out_list((void **)out, l, st, op);
    mo_mgr_leave(ex);
    return st;
}

static int has_error(const mo_record *r, void *userdata) {
    int field = *(const int *)userdata;
    return r->text[field] && r->text[field][0];
}

mo_status mo_cdc_list_failing_tasks(mo_cdc_task_list **out, mo_executor *ex) {
    READ_BEGIN("cdc.list_failing_tasks");
    mo_record_list *l = NULL;
    if (st >= 0) st = read_tasks(&l, ex, NULL, op);
    if (st >= 0) {
        int field = T_ERR;
        for (size_t i = 0; i < l->count; i++)
            if (!has_error(l->items[i], &field)) mo_record_destroy(mo_record_list_take(l, i));
        st = mo_mgr_hand_out_list((void **)out, l, st, op);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_cdc_list_stuck_tasks(mo_cdc_task_list **out, mo_executor *ex) {
    READ_BEGIN("cdc.list_stuck_tasks");
    mo_record_list *l = NULL;
    if (st >= 0) st = read_tasks(&l, ex, NULL, op);
    for (size_t i = 0; st >= 0 && i < l->count; i++) {
        mo_record *t = l->items[i];
        int keep = 0;
        if (!t->text[T_STATE] || mo_mgr_ieq(t->text[T_STATE], "running")) {
            mo_record_list *w = NULL;
            st = read_watermarks(&w, ex, t->text[T_NAME], op);
            int field = W_ERR;
            for (size_t k = 0; st >= 0 && k < w->count && !keep; k++)
                keep = has_error(w->items[k], &field);
            mo_record_list_destroy(w);
        }
        if (st >= 0 && !keep) mo_record_destroy(mo_record_list_take(l, i));
    }
    if (l) st = mo_mgr_hand_out_list((void **)out, l, st, op);
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ late watermarks */

/* "<n>ms|s|m|h" (case-insensitive, spaces around ignored) -> ms; with bare_seconds also a
 * bare number of seconds. -1 when unreadable. */
int64_t mo_cdc_duration_ms(const char *s, int bare_seconds) {
    if (!s) return -1;
    while (*s == ' ') s++;
    const char *p = s;
    int64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        if (v > INT64_MAX / 10 - 10) return -1;
        v = v * 10 + (*p++ - '0');
    }
    if (p == s) return -1;
    int64_t unit;
    if ((p[0] == 'm' || p[0] == 'M') && (p[1] == 's' || p[1] == 'S')) unit = 1, p += 2;
    else if (*p == 's' || *p == 'S') unit = 1000, p++;
    else if (*p == 'm' || *p == 'M') unit = 60000, p++;
    else if (*p == 'h' || *p == 'H') unit = 3600000, p++;
    else if (bare_seconds) unit = 1000;
    else return -1;
    while (*p == ' ') p++;
    if (*p || v > INT64_MAX / unit) return -1;
    return v * unit;
}

static int digits(const char **p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9') return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

/* A watermark as ms since the epoch: a nanosecond timestamp prefix (more than 4 leading
 * digits, then the end or '-'), or YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][Z|(+|-)HH[:]MM]. */
int mo_cdc_watermark_ms(const char *s, int64_t *out) {
    if (!s) return 0;
    while (*s == ' ') s++;
    size_t run = strspn(s, "0123456789");
    if (run > 4 && (s[run] == 0 || s[run] == '-' || s[run] == ' ')) {
        *out = strtoll(s, NULL, 10) / 1000000;
        return 1;
    }
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0, tzh = 0, tzm = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return 0;
    int64_t ms = 0;
    if (*p == ' ' || *p == 'T') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi)) return 0;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &sec)) return 0;
            if (*p == '.') {
                p++;
                int scale = 100, any = 0;
                while (*p >= '0' && *p <= '9') {
                    ms += (*p++ - '0') * scale;
                    scale /= 10;
                    any = 1;
                }
                if (!any) return 0;
            }
        }
        int sign = 0;
        if (*p == 'Z') p++;
        else if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
        if (sign) {
            if (!digits(&p, 2, &tzh)) return 0;
            if (*p == ':') p++;
            if (!digits(&p, 2, &tzm)) return 0;
            tzh *= sign, tzm *= sign;
        }
    }
    while (*p == ' ') p++;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return 0;
    struct tm tm = {0};
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
    tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
    time_t t = timegm(&tm);
    *out = ((int64_t)t - tzh * 3600 - tzm * 60) * 1000 + ms;
    return 1;
}

/* The task's Frequency option (a string such as "1h" in its JSON config), in ms; -1 if none.
 * A number is no frequency: the SDK's pattern needs a unit. */
static int64_t frequency_ms(const char *cfg) {
    if (!cfg) return -1;
    mo_json *j = mo_json_parse(cfg, strlen(cfg), NULL);
    const mo_json *f = mo_json_get(j, "Frequency");
    int64_t ms = f && f->type == MO_JSON_STRING ? mo_cdc_duration_ms(f->string, 0) : -1;
    mo_json_free(j);
    return ms;
}

int64_t mo_cdc_threshold_ms(const char *task, const char *table, const char *config,
                            const mo_strmap *thresholds, int64_t default_ms) {
    mo_buf key;
    mo_buf_init(&key);
    mo_buf_printf(&key, "%s.%s", task ? task : "", table);
    if (!mo_buf_ok(&key)) return -1;
    const char *v = mo_strmap_find(thresholds, mo_buf_cstr(&key));
    mo_buf_free(&key);
    if (!v) v = mo_strmap_find(thresholds, table);
    int64_t ms = v ? mo_cdc_duration_ms(v, 1) : -1;
    if (ms >= 0) return ms;
    int64_t freq = frequency_ms(config);
    return freq >= 0 ? freq + TEN_MINUTES_MS : default_ms;
}

mo_status mo_cdc_list_late_table_watermarks(mo_cdc_watermark_list **out, mo_executor *ex,
                                            const char *task_name, int64_t default_threshold_ms,
                                            const mo_strmap *thresholds, int64_t now_ms) {
    READ_BEGIN("cdc.list_late_table_watermarks");
    if (st >= 0 && thresholds && !mo_handle_is_live(thresholds, MO_HANDLE_STRMAP))
        st = mo_error_set(MO_E_MISUSE, op, "thresholds is not a live strmap handle");
    for (size_t i = 0; st >= 0 && thresholds && i < thresholds->count; i++)
        if (mo_cdc_duration_ms(thresholds->values[i], 1) < 0)
            st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                              "threshold '%s' must be '<n>ms', '<n>s', '<n>m', '<n>h' or seconds",
                              thresholds->keys[i]);
    if (default_threshold_ms < 0) default_threshold_ms = TEN_MINUTES_MS;
    if (now_ms == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    }
    mo_record_list *tasks = NULL, *marks = NULL;
    if (st >= 0) st = read_tasks(&tasks, ex, task_name, op);
    if (st >= 0) st = read_watermarks(&marks, ex, task_name, op);
    for (size_t i = 0; st >= 0 && i < marks->count; i++) {
        mo_record *w = marks->items[i];
        const mo_record *task = NULL;
        for (size_t k = 0; k < tasks->count && !task; k++)
            if (tasks->items[k]->text[T_NAME] && w->text[W_TASK_NAME] &&
                !strcmp(tasks->items[k]->text[T_NAME], w->text[W_TASK_NAME]))
                task = tasks->items[k];
        int64_t mark;
        int late = 0;
        if (task && mo_cdc_watermark_ms(w->text[W_MARK], &mark)) {
            const char *table = w->text[W_TABLE] ? w->text[W_TABLE] : "";
            int64_t threshold = mo_cdc_threshold_ms(task->text[T_NAME], table,
                                                    task->text[T_CONFIG], thresholds,
                                                    default_threshold_ms);
            if (threshold < 0) {
                st = mo_error_oom(op);
                break;
            }
            w->num = now_ms - mark;
            late = w->num > threshold;
        }
        if (!late) mo_record_destroy(mo_record_list_take(marks, i));
    }
    mo_record_list_destroy(tasks);
    if (marks) st = mo_mgr_hand_out_list((void **)out, marks, st, op);
    mo_mgr_leave(ex);
    return st;
}
