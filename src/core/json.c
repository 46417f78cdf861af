/* src/core/json.c — a path lookup over a JSON text, no tree built (see internal.h). Strict
 * RFC 8259 syntax; nesting is bounded so hostile input cannot exhaust the stack. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define MO_JSON_MAX_DEPTH 64

typedef struct {
    const char *s;
    size_t n, i;
} jscan;

static void skip_ws(jscan *j) {
    while (j->i < j->n && strchr(" \t\r\n", j->s[j->i]) && j->s[j->i]) j->i++;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A string starting at j->i (the opening quote); on success j->i is after the closing quote
 * and *body and *len is the text between the quotes. */
static int scan_string(jscan *j, const char **body, size_t *len) {
    if (j->i >= j->n || j->s[j->i] != '"') return 0;
    size_t start = ++j->i;
    while (j->i < j->n) {
        unsigned char c = (unsigned char)j->s[j->i];
        if (c == '"') {
            if (body) *body = j->s + start;
            if (len) *len = j->i - start;
            j->i++;
            return 1;
        }
        if (c < 0x20) return 0;
        j->i += c == '\\' ? 2 : 1;
    }
    return 0;
}

static int scan_number(jscan *j) {
    size_t start = j->i;
    if (j->i < j->n && j->s[j->i] == '-') j->i++;
    if (j->i >= j->n || !is_digit(j->s[j->i])) return 0;
    while (j->i < j->n && is_digit(j->s[j->i])) j->i++;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (j->i >= j->n || !is_digit(j->s[j->i])) return 0;
        while (j->i < j->n && is_digit(j->s[j->i])) j->i++;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-')) j->i++;
        if (j->i >= j->n || !is_digit(j->s[j->i])) return 0;
        while (j->i < j->n && is_digit(j->s[j->i])) j->i++;
    }
    return j->i > start;
}

static int scan_word(jscan *j, const char *w) {
    size_t len = strlen(w);
    if (j->n - j->i < len || memcmp(j->s + j->i, w, len) != 0) return 0;
    j->i += len;
    return 1;
}

/* Skip one value; its type (MO_JSON_NONE on a syntax error). */
static mo_json_type skip_value(jscan *j, int depth) {
    skip_ws(j);
    if (j->i >= j->n || depth > MO_JSON_MAX_DEPTH) return MO_JSON_NONE;
    char c = j->s[j->i];
    if (c == '"') return scan_string(j, NULL, NULL) ? MO_JSON_STRING : MO_JSON_NONE;
    if (c == 't') return scan_word(j, "true") ? MO_JSON_TRUE : MO_JSON_NONE;
    if (c == 'f') return scan_word(j, "false") ? MO_JSON_FALSE : MO_JSON_NONE;
    if (c == 'n') return scan_word(j, "null") ? MO_JSON_NULL : MO_JSON_NONE;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->i++;
        skip_ws(j);
        if (j->i < j->n && j->s[j->i] == close) {
            j->i++;
            return c == '{' ? MO_JSON_OBJECT : MO_JSON_ARRAY;
        }
        for (;;) {
            if (c == '{') {
                skip_ws(j);
                if (!scan_string(j, NULL, NULL)) return MO_JSON_NONE;
                skip_ws(j);
                if (j->i >= j->n || j->s[j->i] != ':') return MO_JSON_NONE;
                j->i++;
            }
            if (!skip_value(j, depth + 1)) return MO_JSON_NONE;
            skip_ws(j);
            if (j->i >= j->n) return MO_JSON_NONE;
            if (j->s[j->i] == ',') {
                j->i++;
                continue;
            }
            if (j->s[j->i] != close) return MO_JSON_NONE;
            j->i++;
            return c == '{' ? MO_JSON_OBJECT : MO_JSON_ARRAY;
        }
    }
    return scan_number(j) ? MO_JSON_NUMBER : MO_JSON_NONE;
}

/* 1 when the raw key body equals seg[0..seg_len) (keys with escapes never match). */
static int key_is(const char *body, size_t len, const char *seg, size_t seg_len) {
    return len == seg_len && memchr(body, '\\', len) == NULL && memcmp(body, seg, len) == 0;
}

/* Descend into the container at j->i to the member named seg; j->i then at that value. */
static int enter_member(jscan *j, const char *seg, size_t seg_len) {
    skip_ws(j);
    if (j->i >= j->n) return 0;
    char c = j->s[j->i];
    if (c != '{' && c != '[') return 0;
    long want = -1;
    if (c == '[') {
        if (!seg_len) return 0;
        want = 0;
        for (size_t k = 0; k < seg_len; k++) {
            if (!is_digit(seg[k]) || want > 1000000) return 0;
            want = want * 10 + (seg[k] - '0');
        }
    }
    j->i++;
    for (long index = 0;; index++) {
        skip_ws(j);
        if (j->i < j->n && j->s[j->i] == (c == '{' ? '}' : ']') && index == 0) return 0;
        int match;
        if (c == '{') {
            const char *body;
            size_t len;
            if (!scan_string(j, &body, &len)) return 0;
            skip_ws(j);
            if (j->i >= j->n || j->s[j->i] != ':') return 0;
            j->i++;
            match = key_is(body, len, seg, seg_len);
        } else {
            match = index == want;
        }
        if (match) {
            skip_ws(j);
            return 1;
        }
        if (!skip_value(j, 1)) return 0;
        skip_ws(j);
        if (j->i >= j->n || j->s[j->i] != ',') return 0;
        j->i++;
    }
}

mo_json_type mo_json_find(const char *json, size_t len, const char *path, const char **val,
                          size_t *val_len) {
    if (!json) return MO_JSON_NONE;
    jscan whole = {json, len, 0};
    /* The document must be valid as a whole, not just along the path. */
    if (!skip_value(&whole, 0)) return MO_JSON_NONE;
    skip_ws(&whole);
    if (whole.i != len) return MO_JSON_NONE;

    jscan j = {json, len, 0};
    const char *p = path ? path : "";
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t seg_len = dot ? (size_t)(dot - p) : strlen(p);
        if (!enter_member(&j, p, seg_len)) return MO_JSON_NONE;
        p += seg_len;
        if (*p == '.') p++;
    }
    skip_ws(&j);
    size_t start = j.i;
    mo_json_type t = skip_value(&j, 0);
    if (t == MO_JSON_STRING) {
        if (val) *val = json + start + 1;
        if (val_len) *val_len = j.i - start - 2;
    } else {
        if (val) *val = json + start;
        if (val_len) *val_len = j.i - start;
    }
    return t;
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(mo_buf *out, unsigned cp) {
    char b[4];
    size_t n;
    if (cp < 0x80) b[0] = (char)cp, n = 1;
    else if (cp < 0x800) b[0] = (char)(0xc0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        b[0] = (char)(0xe0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
        b[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    else
        b[0] = (char)(0xf0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), b[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    mo_buf_append(out, b, n);
}

int mo_json_unescape(mo_buf *out, const char *raw, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (raw[i] != '\\') {
            mo_buf_append_char(out, raw[i]);
            continue;
        }
        if (++i >= len) return 0;
        switch (raw[i]) {
        case '"': mo_buf_append_char(out, '"'); break;
        case '\\': mo_buf_append_char(out, '\\'); break;
        case '/': mo_buf_append_char(out, '/'); break;
        case 'b': mo_buf_append_char(out, '\b'); break;
        case 'f': mo_buf_append_char(out, '\f'); break;
        case 'n': mo_buf_append_char(out, '\n'); break;
        case 'r': mo_buf_append_char(out, '\r'); break;
        case 't': mo_buf_append_char(out, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (i + 4 >= len || !hex4(raw + i + 1, &cp)) return 0;
            i += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (i + 6 >= len || raw[i + 1] != '\\' || raw[i + 2] != 'u' ||
                    !hex4(raw + i + 3, &lo) || lo < 0xdc00 || lo > 0xdfff)
                    return 0;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                i += 6;
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                return 0;
            }
            put_utf8(out, cp);
            break;
        }
        default: return 0;
        }
    }
    return 1;
}
