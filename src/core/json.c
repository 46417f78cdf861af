/* src/core/json.c — a small JSON reader (RFC 8259) for the few server answers that are JSON
 * documents (mo_ctl). Builds a tree of mo_json nodes; depth is bounded so hostile input
 * cannot exhaust the stack. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define JSON_MAX_DEPTH 64

typedef struct {
    const char *s;
    size_t len, i;
    const char *error;
} reader;

static void skip_ws(reader *r) {
    while (r->i < r->len && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
                             r->s[r->i] == '\r'))
        r->i++;
}

static mo_json *fail(reader *r, const char *why, mo_json *partial) {
    if (!r->error) r->error = why;
    mo_json_free(partial);
    return NULL;
}

static int hex4(reader *r, unsigned *out) {
    if (r->len - r->i < 4) return 0;
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = r->s[r->i++];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(mo_buf *b, unsigned cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) u[0] = (char)cp, n = 1;
    else if (cp < 0x800) u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    mo_buf_append(b, u, n);
}

/* A string at r->i (the opening quote): its bytes into *out / *len. */
static int read_string(reader *r, char **out, size_t *len) {
    mo_buf b;
    mo_buf_init(&b);
    r->i++;
    while (r->i < r->len) {
        unsigned char c = (unsigned char)r->s[r->i++];
        if (c == '"') {
            *out = mo_buf_detach(&b, len);
            if (!*out) *out = mo_strdup(""), *len = 0;
            if (!*out) r->error = "out of memory";
            return *out != NULL;
        }
        if (c < 0x20) break;
        if (c != '\\') {
            mo_buf_append_char(&b, (char)c);
            continue;
        }
        if (r->i >= r->len) break;
        char e = r->s[r->i++];
        unsigned cp;
        switch (e) {
        case '"': case '\\': case '/': mo_buf_append_char(&b, e); break;
        case 'b': mo_buf_append_char(&b, '\b'); break;
        case 'f': mo_buf_append_char(&b, '\f'); break;
        case 'n': mo_buf_append_char(&b, '\n'); break;
        case 'r': mo_buf_append_char(&b, '\r'); break;
        case 't': mo_buf_append_char(&b, '\t'); break;
        case 'u':
            if (!hex4(r, &cp)) goto bad;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo;
                if (r->len - r->i < 6 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u') goto bad;
                r->i += 2;
                if (!hex4(r, &lo) || lo < 0xdc00 || lo > 0xdfff) goto bad;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                goto bad;
            }
            put_utf8(&b, cp);
            break;
        default: goto bad;
        }
    }
bad:
    mo_buf_free(&b);
    r->error = r->error ? r->error : "invalid string";
    return 0;
}

static mo_json *read_value(reader *r, int depth);

static mo_json *new_node(reader *r, mo_json_type t) {
    mo_json *j = calloc(1, sizeof *j);
    if (!j) r->error = "out of memory";
    else j->type = t;
    return j;
}

static mo_json *read_container(reader *r, int depth, int object) {
    mo_json *j = new_node(r, object ? MO_JSON_OBJECT : MO_JSON_ARRAY);
    if (!j) return NULL;
    char close = object ? '}' : ']';
    r->i++;
    skip_ws(r);
    if (r->i < r->len && r->s[r->i] == close) {
        r->i++;
        return j;
    }
    mo_json **tail = &j->child;
    for (;;) {
        char *key = NULL;
        size_t key_len = 0;
        skip_ws(r);
        if (object) {
            if (r->i >= r->len || r->s[r->i] != '"' || !read_string(r, &key, &key_len))
                return fail(r, "expected a member name", j);
            skip_ws(r);
            if (r->i >= r->len || r->s[r->i] != ':') {
                free(key);
                return fail(r, "expected ':'", j);
            }
            r->i++;
        }
        mo_json *v = read_value(r, depth + 1);
        if (!v) {
            free(key);
            return fail(r, "invalid value", j);
        }
        v->key = key;
        *tail = v;
        tail = &v->next;
        skip_ws(r);
        if (r->i < r->len && r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->i < r->len && r->s[r->i] == close) {
            r->i++;
            return j;
        }
        return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'", j);
    }
}

static int match_word(reader *r, const char *w) {
    size_t n = strlen(w);
    if (r->len - r->i < n || memcmp(r->s + r->i, w, n) != 0) return 0;
    r->i += n;
    return 1;
}

/* Skip one or more digits; with `integer_part`, a leading 0 stands alone. 0 when none. */
static int scan_digits(reader *r, int integer_part) {
    size_t start = r->i;
    if (integer_part && r->i < r->len && r->s[r->i] == '0') {
        r->i++;
        return 1;
    }
    while (r->i < r->len && r->s[r->i] >= '0' && r->s[r->i] <= '9') r->i++;
    return r->i > start;
}

static mo_json *read_value(reader *r, int depth) {
    if (depth > JSON_MAX_DEPTH) return fail(r, "nested too deeply", NULL);
    skip_ws(r);
    if (r->i >= r->len) return fail(r, "unexpected end", NULL);
    char c = r->s[r->i];
    if (c == '{' || c == '[') return read_container(r, depth, c == '{');
    if (c == '"') {
        mo_json *j = new_node(r, MO_JSON_STRING);
        if (j && !read_string(r, &j->string, &j->len)) return fail(r, "invalid string", j);
        return j;
    }
    if (match_word(r, "true") || match_word(r, "false")) {
        mo_json *j = new_node(r, MO_JSON_BOOL);
        if (j) j->boolean = r->s[r->i - 1] == 'e' && r->s[r->i - 2] == 'u';
        return j;
    }
    if (match_word(r, "null")) return new_node(r, MO_JSON_NULL);
    if (c == '-' || (c >= '0' && c <= '9')) {
        /* RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? — strtod alone
         * would also take "00", "1.", "-.5" and "1e". */
        size_t start = r->i;
        if (r->s[r->i] == '-') r->i++;
        if (!scan_digits(r, 1)) return fail(r, "invalid number", NULL);
        if (r->i < r->len && r->s[r->i] == '.') {
            r->i++;
            if (!scan_digits(r, 0)) return fail(r, "invalid number", NULL);
        }
        if (r->i < r->len && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
            r->i++;
            if (r->i < r->len && (r->s[r->i] == '+' || r->s[r->i] == '-')) r->i++;
            if (!scan_digits(r, 0)) return fail(r, "invalid number", NULL);
        }
        char buf[64];
        size_t n = r->i - start;
        if (n >= sizeof buf) return fail(r, "number too long", NULL);
        memcpy(buf, r->s + start, n);
        buf[n] = 0;
        char *end;
        double v = mo_strtod_c(buf, &end);
        if (*end) return fail(r, "invalid number", NULL);
        mo_json *j = new_node(r, MO_JSON_NUMBER);
        if (j) j->number = v;
        return j;
    }
    return fail(r, "unexpected character", NULL);
}

mo_json *mo_json_parse(const char *text, size_t len, const char **error) {
    reader r = {text ? text : "", text ? len : 0, 0, NULL};
    mo_json *j = read_value(&r, 0);
    if (j) {
        skip_ws(&r);
        if (r.i != r.len) j = fail(&r, "trailing characters", j);
    }
    if (error) *error = j ? NULL : r.error ? r.error : "invalid JSON";
    return j;
}

void mo_json_free(mo_json *j) {
    while (j) {
        mo_json *next = j->next;
        mo_json_free(j->child);
        free(j->string);
        free(j->key);
        free(j);
        j = next;
    }
}

const mo_json *mo_json_get(const mo_json *j, const char *key) {
    if (!j || j->type != MO_JSON_OBJECT) return NULL;
    for (const mo_json *c = j->child; c; c = c->next)
        if (c->key && strcmp(c->key, key) == 0) return c;
    return NULL;
}

const mo_json *mo_json_at(const mo_json *j, size_t i) {
    if (!j || (j->type != MO_JSON_ARRAY && j->type != MO_JSON_OBJECT)) return NULL;
    const mo_json *c = j->child;
    while (c && i--) c = c->next;
    return c;
}

size_t mo_json_count(const mo_json *j) {
    size_t n = 0;
    if (j && (j->type == MO_JSON_ARRAY || j->type == MO_JSON_OBJECT))
        for (const mo_json *c = j->child; c; c = c->next) n++;
    return n;
}
