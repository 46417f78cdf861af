/* bindings/managers/call.c — one manager call: its argument tree, the arity check, aliases,
 * load options and the C call (see call.h).
 *
 * A run binds the shape's positional and keyword arguments to the method's arguments (the
 * arity check), then either forwards them to the method an alias names or converts each one
 * (call_types.c) and calls the C function through the method's thunk (managers_table.c,
 * generated from bindings/managers.toml); call_outcome.c turns what C gave back into the
 * outcome tree. Every mistake is an invalid-argument error with the operation of the method
 * the description gives, and nothing reaches the server before every check has passed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_internal.h"

/* How an argument of one run is given. */
enum { BOUND_ABSENT, BOUND_NODE, BOUND_DEFAULT, BOUND_TEXT, BOUND_NONE };
typedef struct bound {
    int kind;
    size_t node;                /* BOUND_NODE */
    const mo_call_arg *def_of;  /* BOUND_DEFAULT: the alias argument whose default it is */
    const char *text;           /* BOUND_TEXT */
} bound;

#define MAX_ARGS 32

/* The kind of the last mistake set on this thread: 1 a call that does not fit the signature,
 * 2 a value of the wrong kind (see mo_call_arity_mistake). */
static _Thread_local int last_mistake;

static mo_status run_method(mo_call *c, mo_executor *ex, const mo_call_method *m,
                            const bound *b);

/* ---------------------------------------------------------------- the handle */

mo_status mo_call_new(mo_call **out, const char *method) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "call.new", "out is NULL");
    *out = NULL;
    const mo_call_method *m = NULL;
    for (size_t i = 0; method && i < mo_call_method_count && !m; i++)
        if (strcmp(mo_call_methods[i].name, method) == 0) m = &mo_call_methods[i];
    if (!m)
        return mo_error_set(MO_E_INVALID_ARGUMENT, "call.new", "unknown manager method %s",
                            method ? method : "(null)");
    mo_call *c = calloc(1, sizeof *c);
    if (!c) return mo_error_oom("call.new");
    mo_status st = mo_params_new(&c->values);
    if (st < 0) {
        free(c);
        return st;
    }
    mo_params_allow_non_finite(c->values); /* NaN is the argument type's to refuse */
    c->method = m;
    c->kind = "";
    mo_buf_init(&c->out_shape);
    *out = c;
    return MO_OK;
}

mo_params *mo_call_values(mo_call *c) { return c ? c->values : NULL; }

mo_status mo_call_set_shape(mo_call *c, const char *shape) {
    if (!c || !shape) return mo_error_set(MO_E_INVALID_ARGUMENT, "call.set_shape", "NULL argument");
    char *copy = mo_strdup(shape);
    if (!copy) return mo_error_oom("call.set_shape");
    free(c->shape);
    c->shape = copy;
    return MO_OK;
}

mo_load_options *mo_call_progress(mo_call *c) {
    if (c && !c->options && mo_load_options_new(&c->options) < 0) return NULL;
    return c ? c->options : NULL;
}

int mo_call_arity_mistake(const mo_call *c) { return c ? c->arity_mistake : 0; }

static void release_owned(mo_call *c) {
    for (size_t i = c->owned_count; i > 0; i--) c->owned[i - 1].release(c->owned[i - 1].p);
    c->owned_count = 0;
}

void mo_call_free(mo_call *c) {
    if (!c) return;
    release_owned(c);
    free(c->owned);
    mo_call_outcome_reset(c);
    free(c->leaves);
    mo_buf_free(&c->out_shape);
    mo_params_free(c->values);
    mo_load_options_free(c->options);
    free(c->nodes);
    free(c->shape);
    free(c);
}

int mo_call_keep(mo_call *c, void *p, void (*release)(void *p)) {
    if (c->owned_count == c->owned_cap) {
        size_t cap = c->owned_cap ? 2 * c->owned_cap : 16;
        mo_call_owned *o = realloc(c->owned, cap * sizeof *o);
        if (!o) {
            release(p);
            return -1;
        }
        c->owned = o;
        c->owned_cap = cap;
    }
    c->owned[c->owned_count++] = (mo_call_owned){p, release};
    return 0;
}

char *mo_call_keep_text(mo_call *c, const char *text, size_t len) {
    char *t = mo_strndup(text ? text : "", len);
    if (!t || mo_call_keep(c, t, free) < 0) return NULL;
    return t;
}

/* ---------------------------------------------------------------- messages */

void mo_call_mark_type_mistake(void) { last_mistake = 2; }

int mo_call_entries_of(const mo_call *c, const mo_call_item *it, mo_call_entries *e) {
    if (it->kind != '{' && it->kind != '(') return 0;
    size_t first = it->node + 1, end = c->nodes[it->node].end;
    *e = (mo_call_entries){c, first, end, it->kind == '('};
    for (size_t x = first; e->pairs && x < end; x = c->nodes[x].end)
        if (c->nodes[x].kind != '(' || c->nodes[x].children != 2) return 0;
    return 1;
}

int mo_call_next_entry(mo_call_entries *e, size_t *key, size_t *value) {
    if (e->at >= e->end) return 0;
    if (e->pairs) {
        *key = e->at + 1;
        *value = e->c->nodes[e->at + 1].end;
        e->at = e->c->nodes[e->at].end;
    } else {
        *key = e->at;
        *value = e->at + 1;
        e->at = e->c->nodes[e->at + 1].end;
    }
    return 1;
}

size_t mo_call_entry_count(const mo_call_entries *e) {
    mo_call_entries x = *e;
    size_t n = 0, k, v;
    while (mo_call_next_entry(&x, &k, &v)) n++;
    return n;
}

mo_status mo_call_fail(const char *op, int key, ...) {
    last_mistake = key == MO_CALL_MSG_TYPE || key == MO_CALL_MSG_ROW_TYPE ? 2 : 0;
    const char *fields[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, key);
    for (const char *f; n + 2 <= 16 && (f = va_arg(ap, const char *)) != NULL;) {
        fields[n++] = f;
        fields[n++] = va_arg(ap, const char *);
    }
    va_end(ap);
    mo_buf b;
    mo_buf_init(&b);
    for (const char *t = mo_call_message_text[key]; *t;) {
        const char *close = *t == '{' ? strchr(t, '}') : NULL;
        size_t k = 0;
        while (close && k < n && (strlen(fields[k]) != (size_t)(close - t - 1) ||
                                  memcmp(fields[k], t + 1, (size_t)(close - t - 1)) != 0))
            k += 2;
        if (close && k < n) {
            mo_buf_append_str(&b, fields[k + 1]);
            t = close + 1;
        } else {
            mo_buf_append_char(&b, *t++);
        }
    }
    mo_status st = mo_buf_ok(&b) ? mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s", mo_buf_cstr(&b))
                                 : mo_error_oom(op);
    mo_buf_free(&b);
    return st;
}

mo_status mo_call_relabel(mo_status st, const char *op) {
    const mo_error *e = mo_error_last();
    if (st != MO_E_INVALID_ARGUMENT || strcmp(mo_error_operation(e), op) == 0) return st;
    char message[sizeof e->message];
    snprintf(message, sizeof message, "%s", mo_error_message(e));
    return mo_error_set(st, op, "%s", message);
}

mo_status mo_call_wrong(const char *op, const char *what, int type, const mo_call_item *it) {
    return mo_call_fail(op, MO_CALL_MSG_TYPE, "arg", what, "expected", mo_call_types[type].expected,
                        "got", mo_call_kind_text[mo_call_kind(it)], (const char *)NULL);
}

/* ---------------------------------------------------------------- the tree */

/* Parse the shape into nodes, checking it against the values. */
static mo_status parse_shape(mo_call *c) {
    static const char op[] = "call.run";
    const char *s = c->shape ? c->shape : "";
    size_t n = strlen(s), leaves = 0, depth = 0;
    size_t stack[64];
    free(c->nodes);
    c->nodes = calloc(n ? n : 1, sizeof *c->nodes);
    c->node_count = 0;
    if (!c->nodes) return mo_error_oom(op);
    for (size_t i = 0; i < n; i++) {
        char k = s[i];
        if (k == ')' || k == '}') {
            if (!depth || c->nodes[stack[depth - 1]].kind != (k == ')' ? '(' : '{'))
                return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: unbalanced %c", k);
            mo_call_node *open = &c->nodes[stack[--depth]];
            open->end = c->node_count;
            if (open->kind == '{' && open->children % 2)
                return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: a map needs key, value pairs");
            continue;
        }
        if (!strchr("(){}nbidsyvfo", k))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: unknown node %c", k);
        if (depth) {
            mo_call_node *parent = &c->nodes[stack[depth - 1]];
            if (parent->kind == '{' && parent->children % 2 == 0 && (k == '(' || k == '{'))
                return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: a map key must be a leaf");
            parent->children++;
        }
        mo_call_node *node = &c->nodes[c->node_count];
        *node = (mo_call_node){k, 0, 0, c->node_count + 1};
        if (k == '(' || k == '{') {
            if (depth == sizeof stack / sizeof stack[0])
                return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: nested too deeply");
            stack[depth++] = c->node_count;
        } else {
            node->leaf = leaves++;
        }
        c->node_count++;
    }
    if (depth) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: unbalanced");
    if (leaves != mo_params_count(c->values))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "shape: %zu leaves for %zu values", leaves,
                            mo_params_count(c->values));
    for (size_t i = 0; i < c->node_count; i++) {
        mo_call_node *node = &c->nodes[i];
        if (strchr("(){}nfo", node->kind)) continue;
        mo_param_view v = mo_params_view(c->values, node->leaf);
        int ok = node->kind == 'v' ||
                 ((node->kind == 'b' || node->kind == 'i') &&
                  (v.kind == MO_PARAM_INT64 || v.kind == MO_PARAM_UINT64)) ||
                 (node->kind == 'd' && (v.kind == MO_PARAM_DOUBLE || v.kind == MO_PARAM_INT64)) ||
                 (node->kind == 's' && v.kind == MO_PARAM_STRING) ||
                 (node->kind == 'y' && v.kind == MO_PARAM_BLOB);
        if (!ok)
            return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                "shape: value %zu is not what node %c says", node->leaf, node->kind);
    }
    return MO_OK;
}

mo_call_item mo_call_item_of(const mo_call *c, size_t n) {
    const mo_call_node *node = &c->nodes[n];
    mo_call_item it = {node->kind, NULL, 0, 0, 0.0, n};
    if (strchr("(){}nfo", node->kind)) return it;
    mo_param_view v = mo_params_view(c->values, node->leaf);
    it.s = v.bytes;
    it.len = v.len;
    it.i = v.kind == MO_PARAM_UINT64 ? (int64_t)v.u : v.i;
    it.d = v.kind == MO_PARAM_DOUBLE ? v.d : (double)it.i;
    return it;
}

int mo_call_kind(const mo_call_item *it) {
    switch (it->kind) {
    case 'n': return MO_CALL_KIND_NULL;
    case 'b': return MO_CALL_KIND_BOOLEAN;
    case 'i': return MO_CALL_KIND_INTEGER;
    case 'd': return MO_CALL_KIND_NUMBER;
    case 's': return MO_CALL_KIND_STRING;
    case 'y': return MO_CALL_KIND_BYTES;
    case '(': return MO_CALL_KIND_LIST;
    case '{': return MO_CALL_KIND_MAP;
    case 'f': return MO_CALL_KIND_FUNCTION;
    default: return MO_CALL_KIND_OBJECT;
    }
}

/* ---------------------------------------------------------------- the arity check */

static int key_is(const mo_call *c, size_t node, const char *name) {
    mo_call_item k = mo_call_item_of(c, node);
    return k.kind == 's' && k.len == strlen(name) && memcmp(k.s, name, k.len) == 0;
}

/* A call that does not fit the signature: the mistake `key` (fields as mo_call_fail's). */
static mo_status arity(const char *op, int key, ...) {
    va_list ap;
    va_start(ap, key);
    const char *f[6] = {NULL};
    for (int i = 0; i < 6 && (f[i] = va_arg(ap, const char *)) != NULL; i++) {}
    va_end(ap);
    mo_status st = mo_call_fail(op, key, f[0], f[1], f[2], f[3], f[4], f[5], (const char *)NULL);
    last_mistake = 1;
    return st;
}

/* Bind the shape's "(" positional ")" "{" keywords "}" to m's arguments. */
static mo_status bind(mo_call *c, const mo_call_method *m, bound *b) {
    const char *op = m->operation;
    for (size_t k = 0; k < m->arg_count; k++) b[k] = (bound){BOUND_ABSENT, 0, NULL, NULL};
    size_t kw = SIZE_MAX, given = 0;
    if (c->node_count > 0) {
        if (c->nodes[0].kind != '(')
            return mo_error_set(MO_E_INVALID_ARGUMENT, "call.run", "shape: the arguments are (...){...}");
        given = c->nodes[0].children;
        size_t after = c->nodes[0].end;
        if (after < c->node_count) {
            if (c->nodes[after].kind != '{' || c->nodes[after].end != c->node_count)
                return mo_error_set(MO_E_INVALID_ARGUMENT, "call.run", "shape: the arguments are (...){...}");
            kw = after;
        }
    }
    if (given > m->positional) {
        char g[24], x[24];
        snprintf(g, sizeof g, "%zu", given);
        snprintf(x, sizeof x, "%zu", m->positional);
        return arity(op, MO_CALL_MSG_TOO_MANY, "given", g, "max", x, (const char *)NULL);
    }
    for (size_t n = 1, k = 0; k < given; k++, n = c->nodes[n].end) b[k] = (bound){BOUND_NODE, n, NULL, NULL};
    if (kw != SIZE_MAX) {
        /* unknown names first (the first in sorted order), then names given twice */
        const char *unknown = NULL;
        size_t unknown_len = 0;
        for (size_t n = kw + 1; n < c->nodes[kw].end; n = c->nodes[n + 1].end) {
            mo_call_item k = mo_call_item_of(c, n);
            if (k.kind != 's')
                return mo_error_set(MO_E_INVALID_ARGUMENT, "call.run", "shape: keyword names are s");
            size_t a = 0;
            while (a < m->arg_count && !key_is(c, n, m->args[a].name)) a++;
            if (a == m->arg_count) {
                size_t l = k.len < unknown_len ? k.len : unknown_len;
                int cmp = unknown ? memcmp(k.s, unknown, l) : -1;
                if (!unknown || cmp < 0 || (cmp == 0 && k.len < unknown_len)) {
                    unknown = k.s;
                    unknown_len = k.len;
                }
            }
        }
        if (unknown) {
            mo_buf names;
            mo_buf_init(&names);
            for (size_t a = 0; a < m->arg_count; a++) {
                if (a) mo_buf_append_str(&names, ", ");
                mo_buf_append_str(&names, m->args[a].name);
            }
            mo_status st = arity(op, MO_CALL_MSG_UNKNOWN, "arg", unknown, "expected",
                                 mo_buf_cstr(&names), (const char *)NULL);
            mo_buf_free(&names);
            return st;
        }
        for (size_t a = 0; a < given; a++)
            for (size_t n = kw + 1; n < c->nodes[kw].end; n = c->nodes[n + 1].end)
                if (key_is(c, n, m->args[a].name))
                    return arity(op, MO_CALL_MSG_TWICE, "arg", m->args[a].name, (const char *)NULL);
        for (size_t n = kw + 1; n < c->nodes[kw].end; n = c->nodes[n + 1].end) {
            size_t a = 0;
            while (!key_is(c, n, m->args[a].name)) a++;
            if (b[a].kind != BOUND_ABSENT)
                return arity(op, MO_CALL_MSG_TWICE, "arg", m->args[a].name, (const char *)NULL);
            b[a] = (bound){BOUND_NODE, n + 1, NULL, NULL};
        }
    }
    for (size_t a = 0; a < m->arg_count; a++)
        if ((m->args[a].flags & MO_CALL_REQUIRED) && b[a].kind == BOUND_ABSENT)
            return arity(op, MO_CALL_MSG_MISSING, "arg", m->args[a].name, (const char *)NULL);
    return MO_OK;
}

/* ---------------------------------------------------------------- converting */

static mo_call_item default_item(const mo_call_arg *a) {
    mo_call_item it = {'n', NULL, 0, 0, 0.0, 0};
    if (a->def == 's') {
        it.kind = 's';
        it.s = a->def_text;
        it.len = strlen(a->def_text);
    } else if (a->def == 'i' || a->def == 'b') {
        it.kind = a->def;
        it.i = a->def_int;
        it.d = (double)a->def_int;
    }
    return it;
}

static mo_call_item item_of_bound(const mo_call *c, const mo_call_arg *a, const bound *b) {
    mo_call_item it = {'n', NULL, 0, 0, 0.0, 0};
    switch (b->kind) {
    case BOUND_NODE: return mo_call_item_of(c, b->node);
    case BOUND_ABSENT: return default_item(a);
    case BOUND_DEFAULT: return default_item(b->def_of);
    case BOUND_TEXT:
        it.kind = 's';
        it.s = b->text;
        it.len = strlen(b->text);
        return it;
    default: return it;
    }
}

static mo_status convert_bound(mo_call *c, const char *op, const mo_call_arg *a, const bound *b,
                               mo_call_value *v) {
    mo_call_item it = item_of_bound(c, a, b);
    return mo_call_convert(c, op, a, &it, v);
}

/* The argument named `name` of m (its index), or -1. */
static int arg_index(const mo_call_method *m, const char *name) {
    for (size_t a = 0; a < m->arg_count; a++)
        if (strcmp(m->args[a].name, name) == 0) return (int)a;
    return -1;
}

/* ---------------------------------------------------------------- aliases */

static mo_status run_alias(mo_call *c, mo_executor *ex, const mo_call_method *m, const bound *b) {
    int database = 0, inline_ = 0;
    for (size_t a = 0; a < m->arg_count; a++) {
        if (!(m->args[a].flags & MO_CALL_NO_PASS)) continue;
        mo_call_value v = {0};
        mo_status st = convert_bound(c, m->operation, &m->args[a], &b[a], &v);
        if (st < 0) return st;
        if (strcmp(m->args[a].name, "database") == 0) database = v.i != 0;
        if (strcmp(m->args[a].name, "inline") == 0) inline_ = v.i != 0;
    }
    int target = m->target;
    const mo_call_forward *fw = m->forward;
    if (m->database_target >= 0 && database) {
        target = m->database_target;
        fw = m->database_forward;
    } else if (m->inline_target >= 0 && inline_) {
        target = m->inline_target;
        fw = m->inline_forward;
    }
    const mo_call_method *t = &mo_call_methods[target];
    bound tb[MAX_ARGS];
    for (size_t k = 0; k < t->arg_count; k++) {
        const mo_call_forward *f = &fw[k];
        tb[k] = (bound){BOUND_ABSENT, 0, NULL, NULL};
        if (f->kind == MO_CALL_FW_TEXT) {
            tb[k] = (bound){BOUND_TEXT, 0, NULL, f->text};
        } else if (f->kind == MO_CALL_FW_NONE) {
            tb[k].kind = BOUND_NONE;
        } else if (f->kind == MO_CALL_FW_ARG) {
            const mo_call_arg *a = &m->args[f->arg];
            if (a->type == MO_CALL_T_CHOICE && a->option >= 0) {
                /* a word for a load option is the alias's to check: the option gets its text */
                mo_call_value v = {0};
                mo_status st = convert_bound(c, m->operation, a, &b[f->arg], &v);
                if (st < 0) return st;
                tb[k] = v.s ? (bound){BOUND_TEXT, 0, NULL, v.s} : (bound){BOUND_NONE, 0, NULL, NULL};
            } else if (b[f->arg].kind == BOUND_ABSENT) {
                tb[k] = (bound){BOUND_DEFAULT, 0, a, NULL};
            } else {
                tb[k] = b[f->arg];
            }
        }
    }
    return run_method(c, ex, t, tb);
}

/* ---------------------------------------------------------------- load options */

/* Whether option argument `a` leaves its option unset, as no value, false, an integer 0 or
 * (a list option) nothing to add does. */
static int skipped_option(const mo_call *c, const mo_call_arg *a, const mo_call_item *it) {
    if (it->kind == 'n') return 1;
    if ((a->type == MO_CALL_T_FLAG || a->type == MO_CALL_T_TRISTATE) && it->kind == 'b' && it->i == 0)
        return 1;
    if (a->type == MO_CALL_T_INT && it->kind == 'i' && it->i == 0) return 1;
    if (!mo_call_load_options[a->option].each) return 0;
    return (it->kind == 'b' && it->i == 0) ||
           ((it->kind == '(' || it->kind == '{') && c->nodes[it->node].children == 0) ||
           (it->kind == 's' && it->len == 0);
}

/* Convert `it` as argument `name` of type `type` (no value is a mistake). */
static mo_status convert_as(mo_call *c, const char *op, const char *name, int type,
                            const mo_call_item *it, mo_call_value *v) {
    mo_call_arg a = {name, type, MO_CALL_REQUIRED, 'r', NULL, 0, NULL, NULL, ",", -1};
    return mo_call_convert(c, op, &a, it, v);
}

/* Fill c->options from m's option arguments, in the order of [load_options]. */
static mo_status apply_options(mo_call *c, const mo_call_method *m, const bound *b) {
    const char *op = m->operation;
    if (!c->options && mo_load_options_new(&c->options) < 0) return mo_error_oom(op);
    for (size_t k = 0; k < m->arg_count; k++) {
        const mo_call_arg *a = &m->args[k];
        if (a->option < 0) continue;
        const mo_call_load_option *o = &mo_call_load_options[a->option];
        mo_call_item it = item_of_bound(c, a, &b[k]);
        if (skipped_option(c, a, &it)) continue;
        mo_call_value v = {0}, w = {0};
        mo_status st = MO_OK;
        if (!o->set && o->type != MO_CALL_T_CALLABLE) {
            /* read through another option's `with` (quoting -> fields_enclosed_by): checked
             * here even when that option is not given */
            st = convert_as(c, op, a->name, a->type, &it, &v);
            if (st < 0) return mo_call_relabel(st, op);
            continue;
        }
        if (o->type == MO_CALL_T_CALLABLE) {
            /* the language has set its function on mo_call_progress(c) */
            if (it.kind != 'f') return mo_call_wrong(op, a->name, MO_CALL_T_CALLABLE, &it);
        } else if (o->type == MO_CALL_T_STRMAP) {
            mo_call_entries e;
            size_t kn, vn;
            if (!mo_call_entries_of(c, &it, &e)) return mo_call_wrong(op, a->name, MO_CALL_T_STRMAP, &it);
            while (st >= 0 && mo_call_next_entry(&e, &kn, &vn)) {
                mo_call_item key = mo_call_item_of(c, kn), val = mo_call_item_of(c, vn);
                st = convert_as(c, op, a->name, MO_CALL_T_STRING, &key, &v);
                if (st >= 0) st = convert_as(c, op, a->name, MO_CALL_T_STRING, &val, &w);
                if (st >= 0) st = o->set(c->options, v.s, w.s, 0);
            }
        } else if (o->each) {
            if (it.kind == 's') {
                st = convert_as(c, op, a->name, MO_CALL_T_STRING, &it, &v);
                if (st >= 0) st = o->set(c->options, v.s, NULL, 0);
            } else if (it.kind == '(') {
                for (size_t n = it.node + 1; st >= 0 && n < c->nodes[it.node].end; n = c->nodes[n].end) {
                    mo_call_item x = mo_call_item_of(c, n);
                    st = convert_as(c, op, a->name, MO_CALL_T_STRING, &x, &v);
                    if (st >= 0) st = o->set(c->options, v.s, NULL, 0);
                }
            } else {
                return mo_call_wrong(op, a->name, MO_CALL_T_NAMES, &it);
            }
        } else if (o->with >= 0) {
            mo_call_item flag = {'b', NULL, 0, 0, 0.0, 0};
            for (size_t x = 0; x < m->arg_count; x++)
                if (m->args[x].option == o->with) {
                    mo_call_item given = item_of_bound(c, &m->args[x], &b[x]);
                    if (given.kind != 'n') flag = given;
                }
            st = convert_as(c, op, a->name, MO_CALL_T_STRING, &it, &v);
            if (st >= 0)
                st = convert_as(c, op, mo_call_load_options[o->with].name, MO_CALL_T_FLAG, &flag, &w);
            if (st >= 0) st = o->set(c->options, v.s, NULL, w.i);
        } else {
            st = convert_as(c, op, a->name, a->type, &it, &v);
            if (st >= 0) st = o->set(c->options, v.s, NULL, v.i);
        }
        if (st < 0) return mo_call_relabel(st, op);
    }
    return MO_OK;
}

/* ---------------------------------------------------------------- custom bodies */

/* branch.diff_table: `output` selects which of output_file / output_table reaches C's one
 * output_target parameter, and whether `limit` does. */
static mo_status run_diff_table(mo_call *c, mo_executor *ex, const mo_call_method *m,
                                const bound *b) {
    const char *op = m->operation;
    int output = arg_index(m, "output"), file = arg_index(m, "output_file"),
        table = arg_index(m, "output_table"), limit = arg_index(m, "limit");
    mo_call_value mode = {0}, target = {0}, n = {0}, v[4] = {{0}};
    mo_status st = convert_bound(c, op, &m->args[output], &b[output], &mode);
    if (st >= 0 && (mode.i == MO_BRANCH_DIFF_FILE || mode.i == MO_BRANCH_DIFF_AS_TABLE)) {
        int k = mode.i == MO_BRANCH_DIFF_FILE ? file : table;
        mo_call_item it = item_of_bound(c, &m->args[k], &b[k]);
        st = convert_as(c, op, m->args[k].name, MO_CALL_T_STRING, &it, &target);
    }
    if (st >= 0 && mode.i == MO_BRANCH_DIFF_LIMIT) {
        mo_call_item it = item_of_bound(c, &m->args[limit], &b[limit]);
        st = convert_as(c, op, "limit", MO_CALL_T_POSITIVE, &it, &n);
    }
    static const char *const names[] = {"table", "table_snapshot", "against_table", "snapshot_name"};
    for (int k = 0; st >= 0 && k < 4; k++) {
        int a = arg_index(m, names[k]);
        st = convert_bound(c, op, &m->args[a], &b[a], &v[k]);
    }
    if (st < 0) return st;
    mo_call_out out = {0};
    mo_result *r = NULL;
    st = mo_branch_diff_table(&r, ex, v[0].s, v[1].s, v[2].s, v[3].s,
                              (mo_branch_diff_output)mode.i, (uint64_t)n.i, target.s);
    out.handle = r;
    if (st < 0) return st;
    return mo_call_outcome_build(c, m, MO_CALL_R_ROWS, NULL, &out);
}

/* metadata.scan: `columns` picks the C function and the result: no value -> the result,
 * "*" or an empty list -> the metadata_row records, names -> the rows as maps. */
static mo_status run_metadata_scan(mo_call *c, mo_executor *ex, const mo_call_method *m,
                                   const bound *b) {
    const char *op = m->operation;
    static const char *const names[] = {"dbname", "tablename", "is_tombstone", "indexname",
                                        "distinct_object_name"};
    mo_call_value v[5] = {{0}}, cols = {0};
    mo_status st = MO_OK;
    for (int k = 0; st >= 0 && k < 5; k++) {
        int a = arg_index(m, names[k]);
        st = convert_bound(c, op, &m->args[a], &b[a], &v[k]);
    }
    if (st < 0) return st;
    int a = arg_index(m, "columns");
    mo_call_item it = item_of_bound(c, &m->args[a], &b[a]);
    mo_call_out out = {0};
    if ((it.kind == 's' && it.len == 1 && it.s[0] == '*') ||
        (it.kind == '(' && c->nodes[it.node].children == 0)) {
        mo_metadata_row_list *rows = NULL;
        st = mo_metadata_scan_rows(&rows, ex, v[0].s, v[1].s, (int)v[2].i, v[3].s, (int)v[4].i);
        out.handle = rows;
        const mo_call_record *record = NULL;
        for (size_t k = 0; k < mo_call_record_count; k++)
            if (strcmp(mo_call_records[k].kind, "metadata_row") == 0) record = &mo_call_records[k];
        return st < 0 ? st : mo_call_outcome_build(c, m, MO_CALL_R_RECORDS, record, &out);
    }
    if (it.kind != 'n') {
        st = mo_call_convert(c, op, &m->args[a], &it, &cols);
        if (st < 0) return st;
    }
    mo_result *r = NULL;
    st = mo_metadata_scan(&r, ex, v[0].s, v[1].s, (int)v[2].i, v[3].s, (int)v[4].i, cols.s);
    out.handle = r;
    if (st < 0) return st;
    return mo_call_outcome_build(c, m, it.kind == 'n' ? MO_CALL_R_RESULT : MO_CALL_R_DICTS, NULL,
                                 &out);
}

/* ---------------------------------------------------------------- running */

static mo_status run_method(mo_call *c, mo_executor *ex, const mo_call_method *m,
                            const bound *b) {
    if (m->target >= 0) return run_alias(c, ex, m, b);
    if (m->custom == MO_CALL_CUSTOM_BRANCH_DIFF_TABLE) return run_diff_table(c, ex, m, b);
    if (m->custom == MO_CALL_CUSTOM_METADATA_SCAN) return run_metadata_scan(c, ex, m, b);
    mo_call_value v[MAX_ARGS];
    memset(v, 0, sizeof v);
    int options = 0, empty_rows = 0;
    mo_status st = MO_OK;
    /* the arguments only checked first, then those C receives, then the load options */
    for (int pass = 0; pass < 2 && st >= 0; pass++)
        for (size_t k = 0; k < m->arg_count && st >= 0; k++) {
            const mo_call_arg *a = &m->args[k];
            if (a->option >= 0) {
                options = 1;
                continue;
            }
            if ((pass == 0) != ((a->flags & MO_CALL_NO_PASS) != 0)) continue;
            st = convert_bound(c, m->operation, a, &b[k], &v[k]);
            if (a->type == MO_CALL_T_ROWS && !v[k].given) empty_rows = 1;
        }
    if (st >= 0 && options) st = apply_options(c, m, b);
    if (st < 0) return st;
    mo_call_out out = {0};
    if (!empty_rows) { /* an empty list of rows sends nothing */
        st = m->thunk(ex, v, c->options, &out);
        if (st < 0) return st;
    }
    return mo_call_outcome_build(c, m, m->result, m->record, &out);
}

mo_status mo_call_run(mo_call *c, mo_executor *ex) {
    if (!c) return mo_error_set(MO_E_INVALID_ARGUMENT, "call.run", "call is NULL");
    c->arity_mistake = 0;
    last_mistake = 0;
    mo_call_outcome_reset(c);
    bound b[MAX_ARGS];
    mo_status st = parse_shape(c);
    if (st >= 0) st = bind(c, c->method, b);
    if (st >= 0) st = run_method(c, ex, c->method, b);
    release_owned(c);
    mo_load_options_free(c->options); /* a run's options (and progress) are that run's */
    c->options = NULL;
    if (st < 0) {
        mo_call_outcome_reset(c);
        c->arity_mistake = st == MO_E_INVALID_ARGUMENT ? last_mistake : 0;
    }
    return st;
}
