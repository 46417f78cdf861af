/* src/core/strmap.c — the ordered text map of capi/mocore/strmap.h. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

mo_status mo_strmap_new(mo_strmap **out) {
    const char *op = "strmap.new";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_strmap *m = calloc(1, sizeof *m);
    if (!m) return mo_error_oom(op);
    mo_status st = mo_handle_register(&m->h, MO_HANDLE_STRMAP, op);
    if (st < 0) {
        free(m);
        return st;
    }
    *out = m;
    return MO_OK;
}

mo_status mo_strmap_set(mo_strmap *m, const char *key, const char *value) {
    const char *op = "strmap.set";
    mo_status st = mo_handle_enter(m, MO_HANDLE_STRMAP, op);
    if (st < 0) return st;
    if (!key || !*key) {
        mo_handle_leave(m);
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "key must be a non-empty string");
    }
    char *v = NULL;
    if (value && !(v = mo_strdup(value))) st = mo_error_oom(op);
    size_t i = 0;
    while (st >= 0 && i < m->count && strcmp(m->keys[i], key) != 0) i++;
    if (st >= 0 && i < m->count) {
        free(m->values[i]);
        m->values[i] = v;
        v = NULL;
    } else if (st >= 0) {
        if (m->count == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 4;
            char **keys = realloc(m->keys, cap * sizeof *keys);
            if (keys) m->keys = keys;
            char **values = keys ? realloc(m->values, cap * sizeof *values) : NULL;
            if (values) m->values = values;
            if (!keys || !values) st = mo_error_oom(op);
            else m->cap = cap;
        }
        char *k = st >= 0 ? mo_strdup(key) : NULL;
        if (st >= 0 && !k) st = mo_error_oom(op);
        if (st >= 0) {
            m->keys[m->count] = k;
            m->values[m->count] = v;
            m->count++;
            v = NULL;
        }
    }
    free(v);
    mo_handle_leave(m);
    return st;
}

size_t mo_strmap_count(const mo_strmap *m) {
    return mo_handle_is_live(m, MO_HANDLE_STRMAP) ? m->count : 0;
}

const char *mo_strmap_key(const mo_strmap *m, size_t index) {
    return mo_handle_is_live(m, MO_HANDLE_STRMAP) && index < m->count ? m->keys[index] : NULL;
}

const char *mo_strmap_value(const mo_strmap *m, size_t index) {
    return mo_handle_is_live(m, MO_HANDLE_STRMAP) && index < m->count ? m->values[index] : NULL;
}

const char *mo_strmap_find(const mo_strmap *m, const char *key) {
    for (size_t i = 0; m && key && i < m->count; i++)
        if (strcmp(m->keys[i], key) == 0) return m->values[i] ? m->values[i] : "";
    return NULL;
}

void mo_strmap_free(mo_strmap *m) {
    if (!m || mo_handle_enter_release(m, MO_HANDLE_STRMAP, "strmap.free") < 0) return;
    mo_handle_leave(m);
    mo_handle_unregister(&m->h);
    for (size_t i = 0; i < m->count; i++) {
        free(m->keys[i]);
        free(m->values[i]);
    }
    free(m->keys);
    free(m->values);
    free(m);
}
