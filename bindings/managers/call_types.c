/* bindings/managers/call_types.c — each argument type of bindings/managers.toml: its checks
 * (the [types] table in managers_table.c) and what a checked value becomes for C.
 *
 * The checks run in the description's order: no value (allowed or the `missing` mistake),
 * the value kinds a type accepts (`type`), the smallest integer (`positive`), an empty list
 * or map (`empty`); then the type's builder makes the C value: joined names, a mo_strmap,
 * a mo_params, column arrays. What a builder allocates lives until the run ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_internal.h"

static void release_strmap(void *p) { mo_strmap_free(p); }
static void release_params(void *p) { mo_params_free(p); }

static mo_strmap *new_strmap(mo_call *c) {
    mo_strmap *m = NULL;
    if (mo_strmap_new(&m) < 0 || mo_call_keep(c, m, release_strmap) < 0) return NULL;
    return m;
}

static mo_params *new_params(mo_call *c) {
    mo_params *p = NULL;
    if (mo_params_new(&p) < 0 || mo_call_keep(c, p, release_params) < 0) return NULL;
    return p;
}

/* The items of list or map node `n`, one after the other. */
#define EACH_CHILD(c, n, x) for (size_t x = (n) + 1; x < (c)->nodes[n].end; x = (c)->nodes[x].end)

/* A C string argument must not hold NUL: C would see a shorter value. */
static mo_status no_nul(const char *op, const char *what, const mo_call_item *it) {
    const char *nul = it->s ? memchr(it->s, '\0', it->len) : NULL;
    if (!nul) return MO_OK;
    return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                        "argument '%s' contains a NUL byte at offset %zu: names and options "
                        "cannot hold NUL (it would cut the value short)",
                        what, (size_t)(nul - it->s));
}

/* `it` as argument `what` of type string (for the items of composite values). */
static mo_status string_of(mo_call *c, const char *op, const char *what, const mo_call_item *it,
                           const char **out) {
    mo_call_arg a = {what, MO_CALL_T_STRING, MO_CALL_REQUIRED, 'r', NULL, 0, NULL, NULL, ",", -1};
    mo_call_value v = {0};
    mo_status st = mo_call_convert(c, op, &a, it, &v);
    *out = v.s;
    return st;
}

/* ---------------------------------------------------------------- values as text / params */

/* A map value as text: a boolean true/false, a number as written, text as it is. */
static mo_status value_text(mo_call *c, const char *op, const char *what, const mo_call_item *it,
                            const char **out) {
    char buf[48];
    *out = NULL;
    switch (it->kind) {
    case 'n': return MO_OK;
    case 'b': *out = it->i ? "true" : "false"; return MO_OK;
    case 'i': snprintf(buf, sizeof buf, "%lld", (long long)it->i); break;
    case 'd': {
        int p = 15;
        do snprintf(buf, sizeof buf, "%.*g", p, it->d);
        while (mo_strtod_c(buf, NULL) != it->d && ++p <= 17);
        if (!strpbrk(buf, ".eni")) strcat(buf, ".0");
        break;
    }
    case 's': case 'y': case 'v':
        if (no_nul(op, what, it) < 0) return MO_E_INVALID_ARGUMENT;
        *out = it->s;
        return MO_OK;
    default: return mo_call_wrong(op, what, MO_CALL_T_STRING, it);
    }
    *out = mo_call_keep_text(c, buf, strlen(buf));
    return *out ? MO_OK : mo_error_oom(op);
}

/* Append node `n` to p as one SQL value: a list of numbers is a vector, a map JSON text is
 * not supported (the language gives it as a v value). */
static mo_status add_param(mo_call *c, const char *op, const char *what, mo_params *p, size_t n) {
    mo_call_item it = mo_call_item_of(c, n);
    switch (it.kind) {
    case 'n': return mo_params_add_null(p);
    case 'b': case 'i': case 'd': case 's': case 'y': case 'v':
        return mo_params_add_copy(p, c->values, c->nodes[n].leaf, op);
    case '(': {
        size_t count = c->nodes[n].children, k = 0;
        if (count == 0)
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s: an empty list is not an SQL value",
                                what);
        double *xs = malloc(count * sizeof *xs);
        if (!xs) return mo_error_oom(op);
        EACH_CHILD(c, n, x) {
            mo_call_item e = mo_call_item_of(c, x);
            if (e.kind != 'i' && e.kind != 'd') {
                free(xs);
                return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                    "%s: a list value must hold numbers (a vector), not %s", what,
                                    mo_call_kind_text[mo_call_kind(&e)]);
            }
            xs[k++] = e.d;
        }
        mo_status st = mo_params_add_vector_f64(p, xs, count);
        free(xs);
        return st;
    }
    default:
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s: %s cannot be an SQL value", what,
                            mo_call_kind_text[mo_call_kind(&it)]);
    }
}

/* ---------------------------------------------------------------- composite builders */

static mo_status build_names(mo_call *c, const char *op, const mo_call_arg *a,
                             const mo_call_item *it, mo_call_value *v) {
    if (it->kind == 's') {
        v->s = it->s;
        return no_nul(op, a->name, it);
    }
    mo_buf b;
    mo_buf_init(&b);
    int first = 1;
    EACH_CHILD(c, it->node, x) {
        mo_call_item e = mo_call_item_of(c, x);
        const char *s;
        mo_status st = string_of(c, op, a->name, &e, &s);
        if (st < 0) {
            mo_buf_free(&b);
            return st;
        }
        if (!first) mo_buf_append_str(&b, a->join);
        mo_buf_append_str(&b, s);
        first = 0;
    }
    v->s = mo_call_keep_text(c, mo_buf_cstr(&b), b.len);
    int ok = mo_buf_ok(&b);
    mo_buf_free(&b);
    return v->s && ok ? MO_OK : mo_error_oom(op);
}

/* Seconds (a number) -> milliseconds; NaN, infinities and absurd durations are mistakes. */
static mo_status duration_ms(const char *op, const char *what, const mo_call_item *it, int64_t *ms) {
    double x = it->d * 1000;
    if ((it->kind != 'i' && it->kind != 'd') || !(x > -4.6e18 && x < 4.6e18))
        return mo_call_wrong(op, what, MO_CALL_T_DURATION_MS, it);
    *ms = (int64_t)x;
    return MO_OK;
}

/* A map of text -> value (strmap, thresholds). */
static mo_status build_strmap(mo_call *c, const char *op, const mo_call_arg *a,
                              const mo_call_item *it, mo_call_value *v) {
    mo_call_entries e;
    size_t kn, vn;
    if (!mo_call_entries_of(c, it, &e)) return mo_call_wrong(op, a->name, a->type, it);
    mo_strmap *m = new_strmap(c);
    if (!m) return mo_error_oom(op);
    while (mo_call_next_entry(&e, &kn, &vn)) {
        mo_call_item key = mo_call_item_of(c, kn), val = mo_call_item_of(c, vn);
        const char *ks, *vs;
        mo_status st = string_of(c, op, a->name, &key, &ks);
        if (st >= 0 && a->type == MO_CALL_T_THRESHOLDS && (val.kind == 'i' || val.kind == 'd')) {
            /* a duration in seconds (the language's duration type gives seconds too) */
            char ms[32];
            int64_t n = 0;
            st = duration_ms(op, a->name, &val, &n);
            snprintf(ms, sizeof ms, "%lldms", (long long)n);
            if (st >= 0 && !(vs = mo_call_keep_text(c, ms, strlen(ms)))) st = mo_error_oom(op);
        } else if (st >= 0) {
            st = value_text(c, op, a->name, &val, &vs);
        }
        if (st >= 0) st = mo_strmap_set(m, ks, vs);
        if (st < 0) return st;
    }
    v->map = m;
    return MO_OK;
}

static mo_status build_params(mo_call *c, const char *op, const mo_call_arg *a,
                              const mo_call_item *it, mo_call_value *v) {
    if (it->kind != '(') return mo_call_wrong(op, a->name, a->type, it);
    mo_params *p = new_params(c);
    if (!p) return mo_error_oom(op);
    EACH_CHILD(c, it->node, x) {
        mo_status st = add_param(c, op, a->name, p, x);
        if (st < 0) return st;
    }
    v->params = p;
    return MO_OK;
}

static mo_status build_vector(mo_call *c, const char *op, const mo_call_arg *a,
                              const mo_call_item *it, mo_call_value *v) {
    size_t count = 0;
    double *xs = NULL;
    if (it->kind == '(') {
        count = c->nodes[it->node].children;
        xs = malloc((count ? count : 1) * sizeof *xs);
        if (!xs || mo_call_keep(c, xs, free) < 0) return mo_error_oom(op);
        size_t k = 0;
        EACH_CHILD(c, it->node, x) {
            mo_call_item e = mo_call_item_of(c, x);
            if (e.kind != 'i' && e.kind != 'd') {
                mo_status st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                            "%s: vector elements must be numbers, not %s",
                                            a->name, mo_call_kind_text[mo_call_kind(&e)]);
                mo_call_mark_type_mistake();
                return st;
            }
            xs[k++] = e.d;
        }
    } else if (it->kind == 'v' && it->len >= 2 && it->s[0] == '[' && it->s[it->len - 1] == ']') {
        /* a float buffer, as the params adder stored it: its vector text [x,y,...] */
        xs = malloc((it->len / 2 + 1) * sizeof *xs);
        if (!xs || mo_call_keep(c, xs, free) < 0) return mo_error_oom(op);
        for (const char *p = it->s + 1; *p && *p != ']';) {
            char *end;
            xs[count++] = mo_strtod_c(p, &end);
            if (end == p) return mo_call_wrong(op, a->name, a->type, it);
            p = *end == ',' ? end + 1 : end;
        }
    } else {
        return mo_call_wrong(op, a->name, a->type, it);
    }
    v->vec = xs;
    v->count = count;
    v->elem = MO_VECTOR_F64;
    return MO_OK;
}

/* The columns of one row (a map): its keys, checked as text. */
static mo_status row_columns(mo_call *c, const char *op, const mo_call_arg *a,
                             const mo_call_item *row, mo_call_value *v) {
    mo_call_entries e;
    size_t kn, vn;
    if (!mo_call_entries_of(c, row, &e)) return mo_call_wrong(op, a->name, MO_CALL_T_ROW, row);
    size_t n = mo_call_entry_count(&e);
    if (n == 0) return mo_call_fail(op, MO_CALL_MSG_EMPTY, "arg", a->name, (const char *)NULL);
    v->names = malloc(n * sizeof *v->names);
    if (!v->names || mo_call_keep(c, (void *)v->names, free) < 0) return mo_error_oom(op);
    size_t k = 0;
    while (mo_call_next_entry(&e, &kn, &vn)) {
        mo_call_item key = mo_call_item_of(c, kn);
        mo_status st = string_of(c, op, "column name", &key, &v->names[k++]);
        if (st < 0) return st;
    }
    v->count = n;
    return MO_OK;
}

/* 'a', 'b' of keys sorted, or of the columns as they are. */
static void quoted(mo_buf *b, const char *const *names, size_t n, int sort) {
    const char **order = malloc((n ? n : 1) * sizeof *order);
    if (!order) return;
    memcpy(order, names, n * sizeof *order);
    for (size_t i = 1; sort && i < n; i++)
        for (size_t j = i; j > 0 && strcmp(order[j - 1], order[j]) > 0; j--) {
            const char *t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) mo_buf_printf(b, "%s'%s'", i ? ", " : "", order[i]);
    free(order);
}

/* Append the values of row `index` (node `row`) to p in the order of v->names. */
static mo_status row_values(mo_call *c, const char *op, const mo_call_arg *a, size_t row,
                            size_t index, const mo_call_value *v, mo_params *p) {
    mo_call_item it = mo_call_item_of(c, row);
    char ix[24];
    snprintf(ix, sizeof ix, "%zu", index);
    mo_call_entries e;
    size_t kn, vn;
    if (!mo_call_entries_of(c, &it, &e))
        return mo_call_fail(op, MO_CALL_MSG_ROW_TYPE, "index", ix, "got",
                            mo_call_kind_text[mo_call_kind(&it)], (const char *)NULL);
    size_t n = mo_call_entry_count(&e), found = 0;
    size_t *at = malloc((v->count ? v->count : 1) * sizeof *at);
    if (!at) return mo_error_oom(op);
    for (size_t k = 0; k < v->count; k++) {
        at[k] = SIZE_MAX;
        mo_call_entries x = e;
        while (mo_call_next_entry(&x, &kn, &vn)) {
            mo_call_item key = mo_call_item_of(c, kn);
            if (key.kind == 's' && key.len == strlen(v->names[k]) &&
                memcmp(key.s, v->names[k], key.len) == 0)
                at[k] = vn;
        }
        found += at[k] != SIZE_MAX;
    }
    mo_status st = MO_OK;
    if (n != v->count || found != v->count) {
        const char **keys = malloc((n ? n : 1) * sizeof *keys);
        mo_buf got, expected;
        mo_buf_init(&got);
        mo_buf_init(&expected);
        size_t k = 0;
        for (mo_call_entries x = e; keys && mo_call_next_entry(&x, &kn, &vn);) {
            mo_call_item key = mo_call_item_of(c, kn);
            keys[k++] = key.kind == 's' ? key.s : "?";
        }
        if (keys) quoted(&got, keys, n, 1);
        quoted(&expected, v->names, v->count, 0);
        st = mo_call_fail(op, MO_CALL_MSG_ROW_COLUMNS, "index", ix, "got", mo_buf_cstr(&got),
                          "expected", mo_buf_cstr(&expected), (const char *)NULL);
        free(keys);
        mo_buf_free(&got);
        mo_buf_free(&expected);
    }
    for (size_t k = 0; st >= 0 && k < v->count; k++) st = add_param(c, op, a->name, p, at[k]);
    free(at);
    return st;
}

static mo_status build_rows(mo_call *c, const char *op, const mo_call_arg *a,
                            const mo_call_item *it, mo_call_value *v) {
    mo_params *p = NULL;
    size_t index = 0;
    mo_status st = MO_OK;
    if (a->type == MO_CALL_T_ROW) {
        st = row_columns(c, op, a, it, v);
        if (st >= 0 && !(p = new_params(c))) st = mo_error_oom(op);
        if (st >= 0) st = row_values(c, op, a, it->node, 0, v, p);
    } else {
        if (it->kind != '(') return mo_call_wrong(op, a->name, a->type, it);
        if (c->nodes[it->node].children == 0) return MO_OK; /* nothing to send */
        size_t first = it->node + 1;
        mo_call_item head = mo_call_item_of(c, first);
        mo_call_entries e;
        if (!mo_call_entries_of(c, &head, &e))
            return mo_call_fail(op, MO_CALL_MSG_ROW_TYPE, "index", "0", "got",
                                mo_call_kind_text[mo_call_kind(&head)], (const char *)NULL);
        st = row_columns(c, op, a, &head, v);
        if (st >= 0 && !(p = new_params(c))) st = mo_error_oom(op);
        EACH_CHILD(c, it->node, x) {
            if (st < 0) break;
            st = row_values(c, op, a, x, index++, v, p);
        }
    }
    if (st < 0) return st;
    v->params = p;
    v->rows = a->type == MO_CALL_T_ROW ? 1 : index;
    v->given = 1;
    return MO_OK;
}

static mo_status build_column_types(mo_call *c, const char *op, const mo_call_arg *a,
                                    const mo_call_item *it, mo_call_value *v) {
    mo_call_entries e;
    size_t kn, vn;
    if (!mo_call_entries_of(c, it, &e)) return mo_call_wrong(op, a->name, a->type, it);
    size_t n = mo_call_entry_count(&e), k = 0;
    v->names = malloc((n ? n : 1) * sizeof *v->names);
    v->types = malloc((n ? n : 1) * sizeof *v->types);
    if (!v->names || mo_call_keep(c, (void *)v->names, free) < 0) return mo_error_oom(op);
    if (!v->types || mo_call_keep(c, (void *)v->types, free) < 0) return mo_error_oom(op);
    for (; mo_call_next_entry(&e, &kn, &vn); k++) {
        mo_call_item name = mo_call_item_of(c, kn), type = mo_call_item_of(c, vn);
        mo_status st = string_of(c, op, "column name", &name, &v->names[k]);
        if (st >= 0) st = string_of(c, op, "column type", &type, &v->types[k]);
        if (st < 0) return st;
    }
    v->count = n;
    return MO_OK;
}

/* text[0..] joined: a, sep, b (kept until the run ends). */
static const char *joined(mo_call *c, const char *a, const char *sep, const char *b) {
    mo_buf j;
    mo_buf_init(&j);
    mo_buf_printf(&j, "%s%s%s", a, sep, b);
    const char *out = mo_buf_ok(&j) ? mo_call_keep_text(c, j.data, j.len) : NULL;
    mo_buf_free(&j);
    return out;
}

/* One of the SDK's table mappings: "db.t:db2.t" text, or a (db, table[, sink_db[,
 * sink_table]]) list -> the key and value of cdc.h's strmap. */
static mo_status one_mapping(mo_call *c, const char *op, const mo_call_arg *a, size_t n,
                             const char **key, const char **value) {
    mo_call_item it = mo_call_item_of(c, n);
    *value = NULL;
    if (it.kind == 's') return string_of(c, op, a->name, &it, key);
    size_t count = it.kind == '(' ? c->nodes[n].children : 0;
    if (count < 2 || count > 4) return mo_call_wrong(op, a->name, a->type, &it);
    const char *part[4] = {NULL};
    size_t k = 0;
    EACH_CHILD(c, n, x) {
        mo_call_item e = mo_call_item_of(c, x);
        mo_status st = string_of(c, op, a->name, &e, &part[k++]);
        if (st < 0) return st;
    }
    if (count == 2 && strchr(part[0], '.') && strchr(part[1], '.')) {
        *key = joined(c, part[0], ":", part[1]);
    } else {
        *key = joined(c, part[0], ".", part[1]);
        if (count == 3) *value = part[2];
        if (count == 4 && !(*value = joined(c, part[2], ".", part[3]))) return mo_error_oom(op);
    }
    return *key ? MO_OK : mo_error_oom(op);
}

static mo_status build_table_mappings(mo_call *c, const char *op, const mo_call_arg *a,
                                      const mo_call_item *it, mo_call_value *v) {
    if (it->kind != '{' && it->kind != '(') return mo_call_wrong(op, a->name, a->type, it);
    mo_strmap *m = new_strmap(c);
    if (!m) return mo_error_oom(op);
    mo_status st = MO_OK;
    if (it->kind == '{') {
        for (size_t x = it->node + 1; st >= 0 && x < c->nodes[it->node].end; x = c->nodes[x + 1].end) {
            mo_call_item from = mo_call_item_of(c, x), to = mo_call_item_of(c, x + 1);
            const char *f, *t, *key = NULL;
            st = string_of(c, op, a->name, &from, &f);
            if (st >= 0) st = string_of(c, op, a->name, &to, &t);
            if (st >= 0 && !(key = joined(c, f, ":", t))) st = mo_error_oom(op);
            if (st >= 0) st = mo_strmap_set(m, key, NULL);
        }
    } else {
        EACH_CHILD(c, it->node, x) {
            const char *key, *value;
            if (st >= 0) st = one_mapping(c, op, a, x, &key, &value);
            if (st >= 0) st = mo_strmap_set(m, key, value);
        }
    }
    v->map = m;
    return st;
}

/* ---------------------------------------------------------------- the converter */

static mo_status convert_choice(const char *op, const mo_call_arg *a, const mo_call_item *it,
                                mo_call_value *v) {
    const mo_call_choice *ch = a->choice;
    const char *word = it->s;
    size_t len = it->len;
    if (it->kind == 'n') {
        if (!a->default_word) {
            if (a->flags & MO_CALL_NULLABLE) return MO_OK;
            return mo_call_fail(op, MO_CALL_MSG_MISSING, "arg", a->name, (const char *)NULL);
        }
        word = a->default_word;
        len = strlen(word);
    }
    if (it->kind == 's' || it->kind == 'n')
        for (size_t k = 0; k < ch->count; k++)
            if (strlen(ch->words[k].word) == len && strncasecmp(ch->words[k].word, word, len) == 0) {
                v->i = ch->words[k].constant;
                v->s = ch->words[k].text;
                v->given = 1;
                return MO_OK;
            }
    mo_buf words, got;
    mo_buf_init(&words);
    mo_buf_init(&got);
    for (size_t k = 0; k < ch->count; k++) mo_buf_printf(&words, "%s'%s'", k ? ", " : "", ch->words[k].word);
    if (it->kind == 's') mo_buf_printf(&got, "'%.*s'", (int)it->len, it->s);
    else mo_buf_append_str(&got, mo_call_kind_text[mo_call_kind(it)]);
    mo_status st = mo_call_fail(op, MO_CALL_MSG_CHOICE, "arg", a->name, "choices", mo_buf_cstr(&words),
                                "got", mo_buf_cstr(&got), (const char *)NULL);
    mo_buf_free(&words);
    mo_buf_free(&got);
    return st;
}

static mo_status convert(mo_call *c, const char *op, const mo_call_arg *a,
                         const mo_call_item *it, mo_call_value *v) {
    const mo_call_type *t = &mo_call_types[a->type];
    memset(v, 0, sizeof *v);
    if (a->type == MO_CALL_T_CHOICE) return convert_choice(op, a, it, v);
    if (it->kind == 'n') {
        if (!(a->flags & MO_CALL_NULLABLE) && !t->optional)
            return mo_call_fail(op, MO_CALL_MSG_MISSING, "arg", a->name, (const char *)NULL);
        v->i = t->no_value;
        return MO_OK;
    }
    int kind = mo_call_kind(it);
    if (t->accepts && !(t->accepts & MO_CALL_ACCEPTS(kind))) return mo_call_wrong(op, a->name, a->type, it);
    if (t->has_min && it->i < t->min) {
        char got[24];
        snprintf(got, sizeof got, "%lld", (long long)it->i);
        return mo_call_fail(op, MO_CALL_MSG_POSITIVE, "arg", a->name, "got", got, (const char *)NULL);
    }
    if (t->non_empty && (it->kind == '(' || it->kind == '{') && c->nodes[it->node].children == 0 &&
        !(a->flags & MO_CALL_EMPTY_OK))
        return mo_call_fail(op, MO_CALL_MSG_EMPTY, "arg", a->name, (const char *)NULL);
    v->given = 1;
    switch (a->type) {
    case MO_CALL_T_STRING: case MO_CALL_T_TABLE:
        v->s = it->s;
        v->len = it->len;
        return no_nul(op, a->name, it);
    case MO_CALL_T_TEXT: case MO_CALL_T_DATA:
        v->s = it->s;
        v->len = it->len;
        return MO_OK;
    case MO_CALL_T_NAMES: return build_names(c, op, a, it, v);
    case MO_CALL_T_INT: case MO_CALL_T_POSITIVE:
        v->i = it->i;
        return MO_OK;
    case MO_CALL_T_NUMBER:
        v->d = it->d;
        return MO_OK;
    case MO_CALL_T_FLAG: case MO_CALL_T_TRISTATE:
        v->i = it->i != 0;
        return MO_OK;
    case MO_CALL_T_STRMAP: case MO_CALL_T_THRESHOLDS: return build_strmap(c, op, a, it, v);
    case MO_CALL_T_PARAMS: return build_params(c, op, a, it, v);
    case MO_CALL_T_VECTOR: return build_vector(c, op, a, it, v);
    case MO_CALL_T_ROW: case MO_CALL_T_ROWS:
        v->given = 0;
        return build_rows(c, op, a, it, v);
    case MO_CALL_T_COLUMN_TYPES: return build_column_types(c, op, a, it, v);
    case MO_CALL_T_TABLE_MAPPINGS: return build_table_mappings(c, op, a, it, v);
    case MO_CALL_T_DURATION_MS: return duration_ms(op, a->name, it, &v->i);
    case MO_CALL_T_CALLABLE: return MO_OK;
    default: return mo_error_set(MO_E_INTERNAL, op, "argument type %d has no builder", a->type);
    }
}

mo_status mo_call_convert(mo_call *c, const char *op, const mo_call_arg *a,
                          const mo_call_item *it, mo_call_value *v) {
    mo_status st = convert(c, op, a, it, v);
    return st < 0 ? mo_call_relabel(st, op) : st;
}
