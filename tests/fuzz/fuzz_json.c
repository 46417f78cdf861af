/* tests/fuzz/fuzz_json.c — the JSON reader (src/core/json.c) on arbitrary bytes.
 *
 * Never a crash or a read out of bounds; a document it accepts is valid RFC 8259 JSON by the
 * small validator below (written from the RFC, not from json.c), and a valid document of
 * modest depth is accepted. Every node of an accepted tree is walked through the accessors. */
#include "fuzz_common.h"
#include "internal.h"

typedef struct { const char *s; size_t n, i; int depth, max_depth, surrogate; } vj;

static void vj_ws(vj *v) {
    while (v->i < v->n && strchr(" \t\n\r", v->s[v->i]) && v->s[v->i]) v->i++;
}
static int vj_lit(vj *v, const char *w) {
    size_t l = strlen(w);
    if (v->n - v->i < l || memcmp(v->s + v->i, w, l)) return 0;
    v->i += l;
    return 1;
}
static int vj_hex4(vj *v, unsigned *out) {
    unsigned u = 0;
    for (int k = 0; k < 4; k++) {
        if (v->i >= v->n || lx_hex_digit(v->s[v->i]) < 0) return 0;
        u = u * 16 + (unsigned)lx_hex_digit(v->s[v->i++]);
    }
    *out = u;
    return 1;
}
static int vj_string(vj *v) {
    if (v->i >= v->n || v->s[v->i] != '"') return 0;
    v->i++;
    while (v->i < v->n) {
        unsigned char c = (unsigned char)v->s[v->i++];
        if (c == '"') return 1;
        if (c < 0x20) return 0;
        if (c == '\\') {
            if (v->i >= v->n) return 0;
            char e = v->s[v->i++];
            if (e == 'u') {
                unsigned u;
                if (!vj_hex4(v, &u)) return 0;
                if (u >= 0xd800 && u <= 0xdfff) v->surrogate = 1; /* the RFC leaves these open */
            } else if (!strchr("\"\\/bfnrt", e) || !e) {
                return 0;
            }
        }
    }
    return 0;
}
static int vj_number(vj *v) {
    size_t st = v->i;
    if (v->i < v->n && v->s[v->i] == '-') v->i++;
    if (v->i >= v->n || !lx_digit((unsigned char)v->s[v->i])) return 0;
    if (v->s[v->i] == '0') v->i++;
    else while (v->i < v->n && lx_digit((unsigned char)v->s[v->i])) v->i++;
    if (v->i < v->n && v->s[v->i] == '.') {
        v->i++;
        if (v->i >= v->n || !lx_digit((unsigned char)v->s[v->i])) return 0;
        while (v->i < v->n && lx_digit((unsigned char)v->s[v->i])) v->i++;
    }
    if (v->i < v->n && (v->s[v->i] == 'e' || v->s[v->i] == 'E')) {
        v->i++;
        if (v->i < v->n && (v->s[v->i] == '+' || v->s[v->i] == '-')) v->i++;
        if (v->i >= v->n || !lx_digit((unsigned char)v->s[v->i])) return 0;
        while (v->i < v->n && lx_digit((unsigned char)v->s[v->i])) v->i++;
    }
    return v->i > st;
}
static int vj_value(vj *v) {
    vj_ws(v);
    if (v->i >= v->n) return 0;
    char c = v->s[v->i];
    if (c == '{' || c == '[') {
        if (++v->depth > v->max_depth) v->max_depth = v->depth;
        if (v->depth > 1000) return 0;
        v->i++;
        vj_ws(v);
        char close = c == '{' ? '}' : ']';
        if (v->i < v->n && v->s[v->i] == close) {
            v->i++;
            v->depth--;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                vj_ws(v);
                if (!vj_string(v)) return 0;
                vj_ws(v);
                if (v->i >= v->n || v->s[v->i++] != ':') return 0;
            }
            if (!vj_value(v)) return 0;
            vj_ws(v);
            if (v->i >= v->n) return 0;
            char d = v->s[v->i++];
            if (d == close) break;
            if (d != ',') return 0;
        }
        v->depth--;
        return 1;
    }
    if (c == '"') return vj_string(v);
    if (vj_lit(v, "true") || vj_lit(v, "false") || vj_lit(v, "null")) return 1;
    return vj_number(v);
}

/* Walk the tree through the accessors; returns the node count. */
static size_t walk(const mo_json *j) {
    size_t nodes = 1;
    if (j->type == MO_JSON_STRING && j->len && !j->string) FUZZ_FINDING("a string node without bytes");
    if (j->type == MO_JSON_ARRAY || j->type == MO_JSON_OBJECT) {
        size_t count = mo_json_count(j), k = 0;
        for (const mo_json *c = j->child; c; c = c->next, k++) {
            if (mo_json_at(j, k) != c) FUZZ_FINDING("mo_json_at(%zu) is not the %zu-th child", k, k);
            if (j->type == MO_JSON_OBJECT) {
                if (!c->key) FUZZ_FINDING("an object member without a key");
                if (!mo_json_get(j, c->key)) FUZZ_FINDING("mo_json_get does not find member '%s'", c->key);
            }
            nodes += walk(c);
        }
        if (k != count) FUZZ_FINDING("mo_json_count says %zu, the tree has %zu", count, k);
        if (mo_json_at(j, count)) FUZZ_FINDING("mo_json_at past the end is not NULL");
    }
    return nodes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    const char *error = NULL;
    fuzz_ctx_a = data, fuzz_ctx_a_len = size, fuzz_ctx_a_label = "document";
    mo_json *j = mo_json_parse(text, size, &error);
    vj v = {text, size, 0, 0, 0, 0};
    int valid = vj_value(&v);
    vj_ws(&v);
    valid = valid && v.i == size;
    if (j) {
        if (error) FUZZ_FINDING("a parsed document with an error set");
        if (!valid) FUZZ_FINDING("json.c accepts a document that is not valid JSON");
        walk(j);
        mo_json_free(j);
    } else {
        if (!error) FUZZ_FINDING("a refused document without a reason");
        if (valid && v.max_depth <= 32 && !v.surrogate && strcmp(error, "out of memory") != 0 &&
            strcmp(error, "number too long") != 0)
            FUZZ_FINDING("json.c refuses a valid document: %s", error);
    }
    fuzz_ctx_a = NULL;
    return 0;
}
