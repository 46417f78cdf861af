/* tests/fuzz/fuzz_common.h — what the fuzz targets share: reading typed pieces out of the
 * fuzz input, reporting a finding, and a small MySQL lexer of their own.
 *
 * The lexer is deliberately independent of src/core/sqltext.c: the targets use it as the
 * oracle for what mocore renders, so it is written from MySQL's lexical rules (sql_lex.cc),
 * not from mocore's code. It knows whitespace, the three comment forms, '..' and ".." strings
 * (a doubled quote stands for itself; a backslash escapes the next byte unless
 * NO_BACKSLASH_ESCAPES), `..` identifiers, words (identifiers, keywords, numbers, with an
 * X/N/B or _charset prefix glued to a following quote), `?`, and single-byte operators. */
#ifndef MOCORE_FUZZ_COMMON_H
#define MOCORE_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ findings */

static inline void fuzz_dump(const char *label, const void *data, size_t len) {
    fprintf(stderr, "  %s (%zu bytes): \"", label, len);
    const unsigned char *p = data;
    for (size_t i = 0; i < len && i < 2000; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') fputc(p[i], stderr);
        else fprintf(stderr, "\\x%02x", p[i]);
    }
    fprintf(stderr, "\"%s\n", len > 2000 ? "..." : "");
}

/* A finding: say what is wrong and abort (libFuzzer saves the input as a crash). */
#define FUZZ_FINDING(...)                                                                       \
    do {                                                                                        \
        fprintf(stderr, "FINDING %s:%d: ", __FILE__, __LINE__);                                 \
        fprintf(stderr, __VA_ARGS__);                                                           \
        fputc('\n', stderr);                                                                    \
        fuzz_report_context();                                                                  \
        abort();                                                                                \
    } while (0)

/* Each target may set these so a finding prints the input it was about. */
static const void *fuzz_ctx_a, *fuzz_ctx_b;
static size_t fuzz_ctx_a_len, fuzz_ctx_b_len;
static const char *fuzz_ctx_a_label = "input", *fuzz_ctx_b_label = "output";
static inline void fuzz_report_context(void) {
    if (fuzz_ctx_a) fuzz_dump(fuzz_ctx_a_label, fuzz_ctx_a, fuzz_ctx_a_len);
    if (fuzz_ctx_b) fuzz_dump(fuzz_ctx_b_label, fuzz_ctx_b, fuzz_ctx_b_len);
}

/* ------------------------------------------------------------------ the input reader */

typedef struct fuzz_in {
    const uint8_t *p;
    size_t n;
} fuzz_in;

static inline uint8_t fuzz_u8(fuzz_in *in) {
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

static inline uint64_t fuzz_u64(fuzz_in *in, int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint64_t)fuzz_u8(in) << (8 * i);
    return v;
}

/* The next `len` bytes (fewer at the end of the input), borrowed. */
static inline const uint8_t *fuzz_bytes(fuzz_in *in, size_t len, size_t *got) {
    if (len > in->n) len = in->n;
    const uint8_t *p = in->p;
    in->p += len;
    in->n -= len;
    *got = len;
    return p;
}

/* A piece with a one-byte length in front. */
static inline const uint8_t *fuzz_piece(fuzz_in *in, size_t *got) { return fuzz_bytes(in, fuzz_u8(in), got); }

/* A malloc'd NUL-terminated copy of bytes (which may hold NUL: the C string then ends there). */
static inline char *fuzz_cstr(const uint8_t *p, size_t n) {
    char *s = malloc(n + 1);
    if (!s) abort();
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static inline const void *fuzz_memmem(const void *hay, size_t hn, const void *needle, size_t nn) {
    if (nn == 0 || nn > hn) return NULL;
    return memmem(hay, hn, needle, nn);
}

/* ------------------------------------------------------------------ the lexer */

typedef enum {
    TOK_END,
    TOK_SPACE,
    TOK_COMMENT,
    TOK_STRING,      /* '..' or ".." */
    TOK_QIDENT,      /* `..` */
    TOK_WORD,        /* identifier, keyword or number (maybe with a glued prefixed string) */
    TOK_PLACEHOLDER, /* ? */
    TOK_OP
} tok_kind;

static inline int lx_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline int lx_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int lx_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
/* Bytes of an unquoted identifier in MySQL: letters, digits, '_', '$' and any non-ASCII byte. */
static inline int lx_word(unsigned char c) { return lx_alpha(c) || lx_digit(c) || c == '_' || c == '$' || c >= 0x80; }

/* The end of the quoted run that starts at s[i] (quote s[i]); n when unterminated, and then
 * *closed (if given) is 0. */
static inline size_t lx_quoted_run(const char *s, size_t n, size_t i, int backslash, int *closed) {
    char q = s[i];
    size_t j = i + 1;
    if (closed) *closed = 0;
    while (j < n) {
        if (backslash && s[j] == '\\') {
            j += 2;
            continue;
        }
        if (s[j] == q) {
            if (j + 1 < n && s[j + 1] == q) {
                j += 2;
                continue;
            }
            if (closed) *closed = 1;
            return j + 1;
        }
        j++;
    }
    return n;
}
static inline size_t lx_quoted_end(const char *s, size_t n, size_t i, int backslash) {
    return lx_quoted_run(s, n, i, backslash, NULL);
}

/* The token at s[i]: its kind, and *end just past it. */
static inline tok_kind lx_token(const char *s, size_t n, size_t i, int nbe, size_t *end) {
    if (i >= n) {
        *end = n;
        return TOK_END;
    }
    unsigned char c = (unsigned char)s[i];
    if (lx_space(c)) {
        size_t j = i;
        while (j < n && lx_space((unsigned char)s[j])) j++;
        *end = j;
        return TOK_SPACE;
    }
    /* Comments: '#' to the end of the line; "--" followed by a space, a control byte or the
     * end; slash-star to star-slash (not nested; the executable form is a comment here). */
    int line = c == '#';
    if (c == '-' && i + 1 < n && s[i + 1] == '-')
        line = i + 2 >= n || (unsigned char)s[i + 2] <= ' ' || (unsigned char)s[i + 2] == 0x7f;
    if (line) {
        const char *nl = memchr(s + i, '\n', n - i);
        *end = nl ? (size_t)(nl - s) + 1 : n;
        return TOK_COMMENT;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
        size_t j = i + 2;
        while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/')) j++;
        *end = j + 1 < n ? j + 2 : n;
        return TOK_COMMENT;
    }
    if (c == '\'' || c == '"') {
        *end = lx_quoted_end(s, n, i, !nbe);
        return TOK_STRING;
    }
    if (c == '`') {
        *end = lx_quoted_end(s, n, i, 0);
        return TOK_QIDENT;
    }
    if (c == '?') {
        *end = i + 1;
        return TOK_PLACEHOLDER;
    }
    if (lx_digit(c) || (c == '.' && i + 1 < n && lx_digit((unsigned char)s[i + 1]))) {
        /* A number: digits [. digits] [e [+-] digits]; word bytes right after a number
         * without a '.' make it one identifier (MySQL's 1abc, 1e5x) and stay in the token;
         * after a '.' (0.x, 1.5e2y) they are a word of their own. */
        size_t j = i;
        int dot = 0;
        while (j < n && lx_digit((unsigned char)s[j])) j++;
        if (j < n && s[j] == '.') {
            dot = 1;
            j++;
            while (j < n && lx_digit((unsigned char)s[j])) j++;
        }
        if (j < n && (s[j] == 'e' || s[j] == 'E')) {
            size_t k = j + 1;
            if (k < n && (s[k] == '+' || s[k] == '-')) k++;
            if (k < n && lx_digit((unsigned char)s[k])) {
                j = k;
                while (j < n && lx_digit((unsigned char)s[j])) j++;
            }
        }
        if (!dot)
            while (j < n && lx_word((unsigned char)s[j])) j++;
        *end = j;
        return TOK_WORD;
    }
    if (lx_word(c)) {
        size_t j = i;
        while (j < n && lx_word((unsigned char)s[j])) j++;
        /* X'..', N'..', B'..' and _charset'..' are one token. */
        int prefix = (j == i + 1 && strchr("xXnNbB", c)) || c == '_';
        if (prefix && j < n && s[j] == '\'') j = lx_quoted_end(s, n, j, !nbe);
        *end = j;
        return TOK_WORD;
    }
    *end = i + 1;
    return TOK_OP;
}

/* The offsets of the `?` placeholders of sql, at most max; returns how many there are. */
static inline size_t lx_placeholders(const char *s, size_t n, int nbe, size_t *offsets, size_t max) {
    size_t count = 0, i = 0, end;
    tok_kind k;
    while ((k = lx_token(s, n, i, nbe, &end)) != TOK_END) {
        if (k == TOK_PLACEHOLDER) {
            if (count < max) offsets[count] = i;
            count++;
        }
        i = end;
    }
    return count;
}

/* Decode the body of a quoted run s[i..end) (quotes included) into out (malloc'd). */
static inline char *lx_unquote(const char *s, size_t i, size_t end, int nbe, size_t *out_len) {
    char q = s[i];
    char *out = malloc(end - i + 1);
    if (!out) abort();
    size_t o = 0;
    for (size_t j = i + 1; j + 1 < end; j++) {
        if (!nbe && q != '`' && s[j] == '\\' && j + 2 < end) {
            char e = s[++j];
            switch (e) {
            case '0': out[o++] = '\0'; break;
            case 'b': out[o++] = '\b'; break;
            case 'n': out[o++] = '\n'; break;
            case 'r': out[o++] = '\r'; break;
            case 't': out[o++] = '\t'; break;
            case 'Z': out[o++] = 0x1a; break;
            case '%': case '_': out[o++] = '\\'; out[o++] = e; break; /* kept as they are */
            default: out[o++] = e; break;
            }
        } else if (s[j] == q) {
            out[o++] = q; /* doubled */
            j++;
        } else {
            out[o++] = s[j];
        }
    }
    *out_len = o;
    return out;
}

static inline int lx_hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* X'..' at s[i]: decoded bytes (malloc'd) and *end, or NULL. */
static inline char *lx_hex_literal(const char *s, size_t n, size_t i, size_t *end, size_t *out_len) {
    if (i + 2 > n || (s[i] != 'X' && s[i] != 'x') || s[i + 1] != '\'') return NULL;
    size_t j = i + 2;
    while (j < n && lx_hex_digit(s[j]) >= 0) j++;
    if (j >= n || s[j] != '\'' || (j - i - 2) % 2) return NULL;
    char *out = malloc((j - i - 2) / 2 + 1);
    if (!out) abort();
    size_t o = 0;
    for (size_t k = i + 2; k < j; k += 2) out[o++] = (char)(lx_hex_digit(s[k]) * 16 + lx_hex_digit(s[k + 1]));
    *end = j + 1;
    *out_len = o;
    return out;
}

/* A value literal mocore may render for bytes at s[i]: '..' (both escape forms), X'..',
 * _charset X'..' / _charset '..' (introducer, optional blanks), CAST(X'..' AS CHAR).
 * Returns the decoded bytes (malloc'd) or NULL; *form: 'q' quoted, 'x' bare hex, 'i' with an
 * introducer (its name in *cs, up to 31 bytes), 'c' the cast. */
static inline char *lx_value_literal(const char *s, size_t n, size_t i, int nbe, size_t *end,
                              size_t *out_len, char *form, char cs[32]) {
    cs[0] = '\0';
    if (i < n && s[i] == '\'') {
        int closed;
        size_t e = lx_quoted_run(s, n, i, !nbe, &closed);
        if (!closed) return NULL; /* an unterminated literal runs to the end: not a value */
        *form = 'q';
        *end = e;
        return lx_unquote(s, i, e, nbe, out_len);
    }
    if (i < n && (s[i] == 'X' || s[i] == 'x')) {
        *form = 'x';
        return lx_hex_literal(s, n, i, end, out_len);
    }
    if (i < n && s[i] == '_') {
        size_t j = i + 1;
        while (j < n && (lx_alpha((unsigned char)s[j]) || lx_digit((unsigned char)s[j]) || s[j] == '_')) j++;
        if (j - i - 1 == 0 || j - i - 1 >= 32) return NULL;
        memcpy(cs, s + i + 1, j - i - 1);
        cs[j - i - 1] = '\0';
        while (j < n && lx_space((unsigned char)s[j])) j++;
        char inner;
        char cs2[32];
        if (j < n && s[j] == '_') return NULL;
        char *v = lx_value_literal(s, n, j, nbe, end, out_len, &inner, cs2);
        if (v) *form = 'i';
        return v;
    }
    static const char cast_open[] = "CAST(", cast_close[] = " AS CHAR)";
    if (n - i >= sizeof cast_open - 1 && memcmp(s + i, cast_open, sizeof cast_open - 1) == 0) {
        size_t e;
        char *v = lx_hex_literal(s, n, i + sizeof cast_open - 1, &e, out_len);
        if (!v) return NULL;
        if (n - e < sizeof cast_close - 1 || memcmp(s + e, cast_close, sizeof cast_close - 1)) {
            free(v);
            return NULL;
        }
        *end = e + sizeof cast_close - 1;
        *form = 'c';
        return v;
    }
    return NULL;
}

#endif
