/* bindings/managers/call_outcome.c — what a manager's C function gave back, as the outcome
 * tree of call.h: records as maps of their fields (mo_swig_record_fields, the one field
 * table), lists of them, counts, flags, text, the result handle, and the maps of moctl,
 * IVF statistics and table statistics the SDK returns. The C handles are released here;
 * every text is copied. */
#include <stdlib.h>
#include <string.h>

#include "call_internal.h"

void mo_call_outcome_reset(mo_call *c) {
    for (size_t i = 0; i < c->leaf_count; i++) free(c->leaves[i].text);
    c->leaf_count = 0;
    mo_buf_reset(&c->out_shape);
    mo_result_free(c->result);
    c->result = NULL;
    c->kind = "";
}

/* ---------------------------------------------------------------- leaves */

static mo_call_leaf *leaf(mo_call *c, char kind) {
    if (c->leaf_count == c->leaf_cap) {
        size_t cap = c->leaf_cap ? 2 * c->leaf_cap : 16;
        mo_call_leaf *l = realloc(c->leaves, cap * sizeof *l);
        if (!l) {
            c->out_shape.failed = 1;
            return NULL;
        }
        c->leaves = l;
        c->leaf_cap = cap;
    }
    mo_buf_append_char(&c->out_shape, kind);
    mo_call_leaf *l = &c->leaves[c->leaf_count++];
    *l = (mo_call_leaf){0, 0.0, NULL, 0};
    return l;
}

static void put_int(mo_call *c, char kind, int64_t v) {
    mo_call_leaf *l = leaf(c, kind);
    if (l) {
        l->i = v;
        l->d = (double)v;
    }
}

static void put_number(mo_call *c, double v) {
    mo_call_leaf *l = leaf(c, 'd');
    if (l) {
        l->d = v;
        l->i = (int64_t)v;
    }
}

/* A leaf of `kind` that holds a copy of the text. */
static mo_call_leaf *put_copy(mo_call *c, char kind, const char *s, size_t len) {
    mo_call_leaf *l = leaf(c, kind);
    if (l && !(l->text = mo_strndup(s, len))) c->out_shape.failed = 1;
    if (l) l->len = len;
    return l;
}

/* Text (NULL: no value, an n leaf). */
static void put_bytes(mo_call *c, const char *s, size_t len) {
    if (!s) leaf(c, 'n');
    else put_copy(c, 's', s, len);
}

static void put_text(mo_call *c, const char *s) { put_bytes(c, s, s ? strlen(s) : 0); }

/* A UTC time: nanoseconds, and C's text of it for a language without a time type. */
static void put_time(mo_call *c, int64_t ns, const char *text) {
    if (!text) text = "";
    mo_call_leaf *l = put_copy(c, 't', text, strlen(text));
    if (l) l->i = ns;
}

static void open_(mo_call *c, char kind) { mo_buf_append_char(&c->out_shape, kind); }

/* One entry of a map: its key, then its value. */
static void put_text_entry(mo_call *c, const char *key, const char *value) {
    put_text(c, key);
    put_text(c, value);
}

static void put_int_entry(mo_call *c, const char *key, int64_t value) {
    put_text(c, key);
    put_int(c, 'i', value);
}

/* ---------------------------------------------------------------- records */

static void put_json(mo_call *c, const mo_json *j);

/* JSON text as its tree; 0 (nothing put) when there is no text or it is not JSON. */
static int put_json_text(mo_call *c, const char *text) {
    const char *error = NULL;
    mo_json *j = text && *text ? mo_json_parse(text, strlen(text), &error) : NULL;
    if (j) put_json(c, j);
    mo_json_free(j);
    return j != NULL;
}

/* JSON text as the parsed tree: {} when empty, {"raw": text} when unreadable. */
static void put_json_object(mo_call *c, const char *text) {
    if (put_json_text(c, text)) return;
    open_(c, '{');
    if (text && *text) put_text_entry(c, "raw", text);
    open_(c, '}');
}

static const mo_call_field_convert *convert_of(const mo_call_record *r, size_t field) {
    for (size_t i = 0; i < r->convert_count; i++)
        if (r->converts[i].field == field) return &r->converts[i];
    return NULL;
}

/* The map of one record: each field of mo_swig_record_fields(kind) with its value. */
static void put_record(mo_call *c, const mo_call_record *r, const void *h) {
    mo_call_field f[32] = {{0}};
    r->read(h, f);
    const char *p = mo_swig_record_fields(r->kind);
    open_(c, '{');
    for (size_t k = 0; k < r->field_count && *p; k++) {
        const char *colon = strchr(p, ':'), *end = strchr(p, ' ');
        if (!end) end = p + strlen(p);
        put_bytes(c, p, (size_t)(colon - p));
        const mo_call_field_convert *cv = convert_of(r, k);
        char t = cv ? cv->how : end[-1];
        if (t == 't' && f[cv->source].i) put_time(c, f[cv->source].i, f[k].s);
        else if (t == 't') leaf(c, 'n');
        else if (t == 'j') put_json_object(c, f[k].s);
        else if (t == 's') put_text(c, f[k].s);
        else put_int(c, t == 'b' ? 'b' : 'i', t == 'b' ? f[k].i != 0 : f[k].i);
        p = *end ? end + 1 : end;
    }
    open_(c, '}');
}

static void put_records(mo_call *c, const mo_call_record *r, const void *list) {
    open_(c, '(');
    size_t n = r->list_count(list);
    for (size_t i = 0; i < n; i++) put_record(c, r, r->list_get(list, i));
    open_(c, ')');
}

/* ---------------------------------------------------------------- the SDK's maps */

static void put_json(mo_call *c, const mo_json *j) {
    switch (j->type) {
    case MO_JSON_NULL: leaf(c, 'n'); break;
    case MO_JSON_BOOL: put_int(c, 'b', j->boolean != 0); break;
    case MO_JSON_NUMBER:
        if (j->number == (double)(int64_t)j->number) put_int(c, 'i', (int64_t)j->number);
        else put_number(c, j->number);
        break;
    case MO_JSON_STRING: put_bytes(c, j->string, j->len); break;
    case MO_JSON_ARRAY: case MO_JSON_OBJECT:
        open_(c, j->type == MO_JSON_ARRAY ? '(' : '{');
        for (const mo_json *x = j->child; x; x = x->next) {
            if (j->type == MO_JSON_OBJECT) put_text(c, x->key);
            put_json(c, x);
        }
        open_(c, j->type == MO_JSON_ARRAY ? ')' : '}');
        break;
    }
}

/* mo_ctl's answer: its JSON, else {method, result: [{returnStr}]}. */
static void put_moctl(mo_call *c, const mo_moctl_result *r) {
    if (put_json_text(c, mo_moctl_result_json(r))) return;
    open_(c, '{');
    put_text_entry(c, "method", mo_moctl_result_method(r));
    put_text(c, "result");
    open_(c, '(');
    open_(c, '{');
    put_text_entry(c, "returnStr", mo_moctl_result_return_str(r));
    open_(c, '}');
    open_(c, ')');
    open_(c, '}');
}

static void put_ivf_stats(mo_call *c, const mo_ivf_stats *s) {
    static const char *const tables[] = {"metadata", "centroids", "entries"};
    static const char *const dist[] = {"centroid_count", "centroid_id", "centroid_version"};
    open_(c, '{');
    put_text(c, "index_tables");
    open_(c, '{');
    for (int k = 0; k < 3; k++) {
        const char *t = mo_ivf_stats_index_table(s, tables[k]);
        if (!t) continue;
        put_text(c, tables[k]);
        put_text(c, t);
    }
    open_(c, '}');
    put_text(c, "distribution");
    open_(c, '{');
    size_t n = mo_ivf_stats_centroid_count(s);
    for (int k = 0; k < 3; k++) {
        put_text(c, dist[k]);
        open_(c, '(');
        for (size_t i = 0; i < n; i++) {
            int64_t id = 0, version = 0, count = 0;
            mo_ivf_stats_centroid(s, i, &id, &version, &count);
            put_int(c, 'i', k == 0 ? count : k == 1 ? id : version);
        }
        open_(c, ')');
    }
    open_(c, '}');
    put_text_entry(c, "database", mo_ivf_stats_database(s));
    put_text_entry(c, "table_name", mo_ivf_stats_table_name(s));
    put_text_entry(c, "column_name", mo_ivf_stats_column_name(s));
    open_(c, '}');
}

/* One statistics entry: detail {object_name, create_ts, delete_ts, ...} or brief
 * {total_objects, ...}, then row_cnt, null_cnt and the sizes as text. */
static void put_stats_entry(mo_call *c, const mo_table_stats *s, int detail) {
    open_(c, '{');
    if (detail) {
        put_text_entry(c, "object_name", mo_table_stats_object_name(s));
        put_text_entry(c, "create_ts", mo_table_stats_create_ts(s));
        put_text_entry(c, "delete_ts", mo_table_stats_delete_ts(s));
    } else {
        put_int_entry(c, "total_objects", mo_table_stats_total_objects(s));
    }
    put_int_entry(c, "row_cnt", mo_table_stats_row_cnt(s));
    put_int_entry(c, "null_cnt", mo_table_stats_null_cnt(s));
    put_text_entry(c, "original_size", mo_table_stats_original_size_text(s));
    put_text_entry(c, "compress_size", mo_table_stats_compress_size_text(s));
    open_(c, '}');
}

static int same_key(const mo_table_stats *a, const mo_table_stats *b) {
    const char *x = mo_table_stats_key(a), *y = mo_table_stats_key(b);
    return x && y ? strcmp(x, y) == 0 : x == y;
}

/* {key: entry} (brief: the last entry of a key) or {key: [entries]} (detail), the keys in
 * the order they first appear. */
static void put_table_stats(mo_call *c, const mo_table_stats_list *l, int detail) {
    size_t n = mo_table_stats_list_count(l);
    open_(c, '{');
    for (size_t i = 0; i < n; i++) {
        const mo_table_stats *s = mo_table_stats_list_get(l, i);
        size_t first = 0;
        while (!same_key(mo_table_stats_list_get(l, first), s)) first++;
        if (first < i) continue;
        put_text(c, mo_table_stats_key(s));
        if (detail) open_(c, '(');
        size_t last = i;
        for (size_t k = i; k < n; k++) {
            const mo_table_stats *e = mo_table_stats_list_get(l, k);
            if (!same_key(e, s)) continue;
            if (detail) put_stats_entry(c, e, 1);
            last = k;
        }
        if (detail) open_(c, ')');
        else put_stats_entry(c, mo_table_stats_list_get(l, last), 0);
    }
    open_(c, '}');
}

/* ---------------------------------------------------------------- building */

static const char *const kind_names[] = {
    [MO_CALL_R_NOTHING] = "nothing", [MO_CALL_R_TRUE] = "true", [MO_CALL_R_SELF] = "self",
    [MO_CALL_R_OWNER] = "owner", [MO_CALL_R_BOOL] = "bool", [MO_CALL_R_STRING] = "string",
    [MO_CALL_R_COUNT] = "count", [MO_CALL_R_RECORD] = "record", [MO_CALL_R_RECORDS] = "records",
    [MO_CALL_R_ROWS] = "rows", [MO_CALL_R_RESULT] = "result", [MO_CALL_R_DICTS] = "dicts",
    [MO_CALL_R_MOCTL] = "moctl", [MO_CALL_R_IVF_STATS] = "ivf_stats",
    [MO_CALL_R_TABLE_STATS] = "table_stats", [MO_CALL_R_RESULT_SET] = "result_set",
};

mo_status mo_call_outcome_build(mo_call *c, const mo_call_method *m, int result,
                                const mo_call_record *record, mo_call_out *out) {
    mo_call_outcome_reset(c);
    c->kind = kind_names[result];
    switch (result) {
    case MO_CALL_R_TRUE: put_int(c, 'b', 1); break;
    case MO_CALL_R_BOOL: put_int(c, 'b', out->flag != 0); break;
    case MO_CALL_R_STRING:
        put_bytes(c, out->text, out->text && !out->len ? strlen(out->text) : out->len);
        break;
    case MO_CALL_R_COUNT: put_int(c, 'i', (int64_t)out->count); break;
    case MO_CALL_R_RECORD:
        if (out->handle) put_record(c, record, out->handle);
        else leaf(c, 'n');
        record->free(out->handle);
        break;
    case MO_CALL_R_RECORDS:
        if (out->handle) put_records(c, record, out->handle);
        else open_(c, '('), open_(c, ')');
        record->list_free(out->handle);
        break;
    case MO_CALL_R_ROWS: case MO_CALL_R_RESULT: case MO_CALL_R_DICTS:
        c->result = out->handle;
        leaf(c, 'r');
        break;
    case MO_CALL_R_MOCTL:
        if (out->handle) put_moctl(c, out->handle);
        mo_moctl_result_free(out->handle);
        break;
    case MO_CALL_R_IVF_STATS:
        if (out->handle) put_ivf_stats(c, out->handle);
        mo_ivf_stats_free(out->handle);
        break;
    case MO_CALL_R_TABLE_STATS:
        if (out->handle) put_table_stats(c, out->handle, m->detail);
        mo_table_stats_list_free(out->handle);
        break;
    case MO_CALL_R_RESULT_SET:
        open_(c, '{');
        put_text(c, "columns");
        open_(c, '(');
        open_(c, ')');
        put_text(c, "rows");
        open_(c, '(');
        open_(c, ')');
        put_int_entry(c, "affected_rows", (int64_t)out->count);
        open_(c, '}');
        break;
    default: break; /* nothing, self, owner */
    }
    if (!mo_buf_ok(&c->out_shape)) {
        mo_call_outcome_reset(c);
        return mo_error_oom(m->operation);
    }
    return MO_OK;
}

/* ---------------------------------------------------------------- reading */

const char *mo_call_outcome_shape(const mo_call *c) {
    return c && c->out_shape.len ? c->out_shape.data : "";
}

const char *mo_call_outcome_kind(const mo_call *c) { return c ? c->kind : ""; }

int64_t mo_call_outcome_int(const mo_call *c, size_t i) {
    return c && i < c->leaf_count ? c->leaves[i].i : 0;
}

double mo_call_outcome_number(const mo_call *c, size_t i) {
    return c && i < c->leaf_count ? c->leaves[i].d : 0.0;
}

const char *mo_call_outcome_text(const mo_call *c, size_t i, size_t *len) {
    const char *t = c && i < c->leaf_count ? c->leaves[i].text : NULL;
    if (len) *len = t ? c->leaves[i].len : 0;
    return t;
}

mo_result *mo_call_take_result(mo_call *c) {
    if (!c) return NULL;
    mo_result *r = c->result;
    c->result = NULL;
    return r;
}
