/* src/core/log.c — the SQL log line, statement summaries and secret redaction.
 *
 * The line follows the MatrixOne SDK's MatrixOneLogger.log_query (reference §4) with three
 * corrections: every piece of SQL that reaches a sink has passed through mo_redact_secrets()
 * (the SDK logs CREATE USER ... IDENTIFIED BY 'pw' verbatim), `off` silences everything, and
 * batch inserts written as "), (" are recognised. The summary keeps the SDK's shapes but
 * matches keywords as whole words, and where the SDK finds no table ("SELECT 1" printed as
 * "SELECT FROM ?") it shows the statement's head, as for statements it has no shape for.
 * Slow statements are WARNING lines (the SDK: INFO), so a logger at WARNING shows slow and
 * failed statements only. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* U+2713 CHECK MARK and U+2717 BALLOT X, spelled as UTF-8 bytes so the output does not depend
 * on the compiler's execution character set. */
#define MO_LOG_MARK_OK "\xe2\x9c\x93"
#define MO_LOG_MARK_FAILED "\xe2\x9c\x97"

/* The SDK's fallback summary: this many characters of the statement, then "...". */
#define MO_SUMMARY_FALLBACK_CHARS 50

/* ------------------------------------------------------------------ small text helpers */

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Python's \w on str is Unicode-aware; any non-ASCII byte counts as a word byte so that a
 * keyword is never found inside a non-ASCII identifier. */
static int is_word(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c == '_' || c >= 0x80;
}

static int is_quote(unsigned char c) { return c == '\'' || c == '"'; }

static char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c; }

static char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* Trim ASCII whitespace from both ends (the SDK's str.strip()). */
static void strip(const char **s, size_t *n) {
    while (*n > 0 && is_space((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_space((unsigned char)(*s)[*n - 1])) (*n)--;
}

static size_t skip_space(const char *s, size_t n, size_t p) {
    while (p < n && is_space((unsigned char)s[p])) p++;
    return p;
}

/* Characters, not bytes: the SDK compares Python string lengths. Invalid UTF-8 still counts
 * every byte that is not a continuation byte, which is good enough for a log decision. */
static size_t utf8_chars(const char *s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
    return count;
}

/* The number of bytes taken by the first `chars` characters of s[0..n). */
static size_t utf8_prefix_bytes(const char *s, size_t n, size_t chars) {
    size_t i = 0, seen = 0;
    while (i < n) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (seen == chars) break;
            seen++;
        }
        i++;
    }
    return i;
}

static int starts_with_ci(const char *s, size_t n, const char *prefix) {
    size_t len = strlen(prefix);
    if (len > n) return 0;
    for (size_t i = 0; i < len; i++)
        if (ascii_upper(s[i]) != prefix[i]) return 0;
    return 1;
}

/* 1 when the upper-case keyword `w` is at s[p] as a whole word, in any case. */
static int word_at(const char *s, size_t n, size_t p, const char *w) {
    size_t len = strlen(w);
    if (p + len > n) return 0;
    if (p > 0 && is_word((unsigned char)s[p - 1])) return 0;
    for (size_t i = 0; i < len; i++)
        if (ascii_upper(s[p + i]) != w[i]) return 0;
    return p + len == n || !is_word((unsigned char)s[p + len]);
}

static int contains_word(const char *s, size_t n, const char *w) {
    for (size_t p = 0; p < n; p++)
        if (word_at(s, n, p, w)) return 1;
    return 0;
}

/* The opening quote of the literal value at s[p]: p itself for '..' or "..", and past the
 * prefix of the other forms a value may take: a hex or national literal (X'..', N'..') and
 * a character set introducer (_utf8mb4 X'..', _latin1'..', which is how a `?` value holding
 * a backslash is written; CAST(X'..' AS CHAR) on MatrixOne). n when no literal starts at p. */
static size_t value_quote(const char *s, size_t n, size_t p) {
    if (p >= n) return n;
    if (is_quote((unsigned char)s[p])) return p;
    if (word_at(s, n, p, "CAST")) { /* MatrixOne's hex form: CAST(X'..' AS CHAR) */
        size_t k = skip_space(s, n, p + 4);
        if (k >= n || s[k] != '(') return n;
        p = skip_space(s, n, k + 1);
    }
    if (s[p] == '_') {
        size_t k = p + 1;
        while (k < n && is_word((unsigned char)s[k])) k++;
        if (k == p + 1) return n;
        p = skip_space(s, n, k);
        if (p < n && s[p] == '\'') return p;
    }
    if (p + 1 < n && strchr("xXnN", s[p]) && s[p + 1] == '\'') return p + 1;
    return n;
}

/* ------------------------------------------------------------------ redaction */

/* Credential keys are recognised by these fragments (case-insensitive), so AWS_KEY_ID,
 * aws_secret_access_key, 'secret', access_key_id, session_token... are all caught. */
static const char *const credential_fragments[] = {"secret", "password", "token", "key_id",
                                                   "access_key"};

static int is_credential_key(const char *k, size_t n);

/* Inside CREDENTIALS={...} every value is hidden except under these plainly public keys
 * (case-insensitive fragments), so an unusual credential name (role_arn, external_id...)
 * cannot slip through. */
static const char *const public_fragments[] = {"region", "endpoint", "provider", "bucket"};

static int contains_fragment(const char *k, size_t n, const char *const *frags, size_t count) {
    for (size_t f = 0; f < count; f++) {
        const char *frag = frags[f];
        size_t flen = strlen(frag);
        for (size_t i = 0; i + flen <= n; i++) {
            size_t j = 0;
            while (j < flen && ascii_lower(k[i + j]) == frag[j]) j++;
            if (j == flen) return 1;
        }
    }
    return 0;
}

/* In a credentials map: every key is secret but the public ones. */
static int is_secret_in_map(const char *k, size_t n) {
    return is_credential_key(k, n) ||
           !contains_fragment(k, n, public_fragments,
                              sizeof public_fragments / sizeof public_fragments[0]);
}

static int is_credential_key(const char *k, size_t n) {
    return contains_fragment(k, n, credential_fragments,
                             sizeof credential_fragments / sizeof credential_fragments[0]);
}

/* Redaction copies the text through, replacing hidden spans with "***". `copied` marks how
 * much of the input has been written so far. */
typedef struct {
    mo_buf *out;
    const char *s;
    size_t n;
    size_t copied;
    int all_keys; /* inside CREDENTIALS={...}: every value is a secret, whatever its key */
} redactor;

static void hide(redactor *r, size_t start, size_t end) {
    mo_buf_append(r->out, r->s + r->copied, start - r->copied);
    mo_buf_append_str(r->out, "***");
    r->copied = end;
}

/* Hide the contents of the literal opening at p, keeping its quotes. Returns the index after
 * it. An unterminated literal is hidden to the end of the text. */
static size_t hide_literal(redactor *r, size_t p) {
    int closed;
    size_t end = mo_sql_quoted_end(r->s, r->n, p, &closed);
    hide(r, p + 1, closed ? end - 1 : end);
    return end;
}

/* scheme://user:password@host — hide the password. The userinfo may hold '@', '/' and
 * quotes (the SDK's build_mysql_uri does not escape), so the search runs to the end of the
 * token (whitespace or an unescaped quote) and uses the last '@'. A later '@' in a path or
 * query makes this hide too much, never too little. */
static size_t redact_uri(redactor *r, size_t i) {
    const char *s = r->s;
    size_t n = r->n;
    if (i == 0 || i + 2 >= n || s[i] != ':' || s[i + 1] != '/' || s[i + 2] != '/') return 0;
    unsigned char prev = (unsigned char)s[i - 1];
    if (!(is_word(prev) || prev == '+' || prev == '-' || prev == '.')) return 0;

    size_t colon = 0, at = 0, k = i + 3;
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        if (is_space(c) || c == '"' || c == '`') break;
        if (c == '\\') { /* an escaped quote inside a literal is part of the password */
            k += 2;
            continue;
        }
        if (c == '\'') {
            if (k + 1 < n && s[k + 1] == '\'') {
                k += 2;
                continue;
            }
            break;
        }
        if (c == ':' && colon == 0) colon = k;
        if (c == '@') at = k;
        k++;
    }
    if (colon == 0 || at == 0 || at < colon) return 0;
    hide(r, colon + 1, at);
    return at;
}

/* 'aws_secret_access_key'='value' (the MatrixOne CREDENTIALS={...} / s3option form). The key
 * must look like an identifier, which keeps a closing quote of an unrelated literal from
 * being taken for the opening quote of a key. */
static size_t redact_quoted_key(redactor *r, size_t i) {
    const char *s = r->s;
    size_t n = r->n;
    char q = s[i];
    size_t k = i + 1;
    if (r->all_keys) { /* any literal is a key */
        int closed;
        k = mo_sql_quoted_end(s, n, i, &closed) - 1;
        if (!closed || !is_secret_in_map(s + i + 1, k - i - 1)) return 0;
    } else {
        while (k < n && (is_word((unsigned char)s[k]) || s[k] == '.' || s[k] == '-')) k++;
        if (k == i + 1 || k >= n || s[k] != q) return 0;
        if (!is_credential_key(s + i + 1, k - i - 1)) return 0;
    }
    size_t j = skip_space(s, n, k + 1);
    if (j >= n || s[j] != '=') return 0;
    j = value_quote(s, n, skip_space(s, n, j + 1));
    if (j >= n) return 0;
    return hide_literal(r, j);
}

/* key=value with a bare key: inside {...} (CREDENTIALS={aws_key_id='x'}) or as a URL query
 * parameter (?password=x&...). The value may be a literal or a bare token. */
static size_t redact_bare_key(redactor *r, size_t i, int in_braces) {
    const char *s = r->s;
    size_t n = r->n;
    int in_query = i > 0 && (s[i - 1] == '?' || s[i - 1] == '&');
    if (!in_braces && !in_query) return 0;
    if (i > 0 && is_word((unsigned char)s[i - 1])) return 0;
    size_t w = i;
    while (w < n && is_word((unsigned char)s[w])) w++;
    if (w == i) return 0;
    if (r->all_keys ? !is_secret_in_map(s + i, w - i) : !is_credential_key(s + i, w - i))
        return 0;
    size_t j = skip_space(s, n, w);
    if (j >= n || s[j] != '=') return 0;
    j = skip_space(s, n, j + 1);
    size_t q = value_quote(s, n, j);
    if (q < n) return hide_literal(r, q);
    /* A query value (after '?' or '&', even inside {...}) runs to the next parameter: ',',
     * ';', ')', '}' and quotes are password bytes there (?password=,x hides ",x"); in a
     * {...} map they end the value. */
    const char *stops = in_query ? "&#" : ",;&#}){'\"";
    size_t v = j;
    while (v < n && !is_space((unsigned char)s[v]) && !strchr(stops, s[v])) v++;
    if (v == j) return 0;
    hide(r, j, v);
    return v;
}

/* IDENTIFIED [WITH plugin] BY|AS 'secret' [REPLACE 'old secret']. */
static size_t redact_identified(redactor *r, size_t i) {
    const char *s = r->s;
    size_t n = r->n;
    if (!word_at(s, n, i, "IDENTIFIED")) return 0;
    size_t j = skip_space(s, n, i + 10);
    if (word_at(s, n, j, "WITH")) {
        j = skip_space(s, n, j + 4);
        if (j < n && (is_quote((unsigned char)s[j]) || s[j] == '`'))
            j = mo_sql_quoted_end(s, n, j, NULL);
        else
            while (j < n && is_word((unsigned char)s[j])) j++;
        j = skip_space(s, n, j);
    }
    if (!word_at(s, n, j, "BY") && !word_at(s, n, j, "AS")) return 0;
    j = value_quote(s, n, skip_space(s, n, j + 2));
    if (j >= n) return 0;
    size_t end = hide_literal(r, j);
    size_t k = skip_space(s, n, end);
    if (word_at(s, n, k, "REPLACE")) {
        k = value_quote(s, n, skip_space(s, n, k + 7));
        if (k < n) return hide_literal(r, k);
    }
    return end;
}

/* PASSWORD 'x', PASSWORD('x'), PASSWORD = 'x', password='x', and
 * SET PASSWORD FOR user@host = 'x'. At least one of space, '=' or '(' must separate the
 * keyword from the literal, so "...password')" at the end of some literal is left alone. */
static size_t redact_password(redactor *r, size_t i) {
    const char *s = r->s;
    size_t n = r->n;
    if (!word_at(s, n, i, "PASSWORD")) return 0;
    size_t start = i + 8, j = start;
    while (j < n && (is_space((unsigned char)s[j]) || s[j] == '=' || s[j] == '(')) j++;
    if (word_at(s, n, j, "FOR")) {
        /* Skip the account name (possibly 'u'@'h') up to the '=' of this statement. */
        size_t k = j + 3;
        while (k < n && s[k] != '=' && s[k] != ';') {
            if (is_quote((unsigned char)s[k]) || s[k] == '`')
                k = mo_sql_quoted_end(s, n, k, NULL);
            else
                k++;
        }
        if (k >= n || s[k] != '=') return 0;
        j = k;
        while (j < n && (is_space((unsigned char)s[j]) || s[j] == '=' || s[j] == '(')) j++;
    }
    if (j == start) return 0;
    j = value_quote(s, n, j);
    if (j >= n) return 0;
    return hide_literal(r, j);
}

static int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10
           : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void redact(mo_buf *out, const char *text, size_t len, int decode_hex);

/* X'..' at s[i]: a `?` value holding a backslash is written as one (_utf8mb4 X'..'), so a
 * secret inside it (a URI's password, key=value) would pass the patterns in hex. The bytes
 * are decoded and redacted as text; when that hides anything, the whole literal's digits
 * are hidden. Returns the index after the literal, or 0 when it is not one. */
static size_t redact_hex_literal(redactor *r, size_t i) {
    const char *s = r->s;
    size_t n = r->n;
    if (i + 1 >= n || (s[i] != 'x' && s[i] != 'X') || s[i + 1] != '\'') return 0;
    if (i > 0 && is_word((unsigned char)s[i - 1])) return 0;
    size_t k = i + 2;
    while (k < n && hex_digit(s[k]) >= 0) k++;
    if (k >= n || s[k] != '\'' || (k - i - 2) % 2) return 0;
    mo_buf bytes, redacted;
    mo_buf_init(&bytes);
    mo_buf_init(&redacted);
    for (size_t d = i + 2; d < k; d += 2)
        mo_buf_append_char(&bytes, (char)(hex_digit(s[d]) * 16 + hex_digit(s[d + 1])));
    redact(&redacted, mo_buf_cstr(&bytes), bytes.len, 0);
    int secret = !mo_buf_ok(&bytes) || !mo_buf_ok(&redacted) || redacted.len != bytes.len ||
                 (bytes.len && memcmp(redacted.data, bytes.data, bytes.len) != 0);
    mo_buf_free(&bytes);
    mo_buf_free(&redacted);
    if (secret) hide(r, i + 2, k);
    return k + 1;
}

/* CREDENTIALS [=] { at s[i]: the index of the '{', else 0. */
static size_t credentials_brace(const char *s, size_t n, size_t i) {
    if (!word_at(s, n, i, "CREDENTIALS")) return 0;
    size_t j = skip_space(s, n, i + 11);
    if (j < n && s[j] == '=') j = skip_space(s, n, j + 1);
    return j < n && s[j] == '{' ? j : 0;
}

void mo_redact_secrets(mo_buf *out, const char *text, size_t len) { redact(out, text, len, 1); }

static void redact(mo_buf *out, const char *text, size_t len, int decode_hex) {
    redactor r = {out, text ? text : "", text ? len : 0, 0, 0};
    const char *s = r.s;
    int depth = 0;      /* {...} nesting: credential maps */
    int cred_depth = 0; /* the depth inside CREDENTIALS={...}, 0 when not in one */
    size_t i = 0;
    while (i < r.n) {
        unsigned char c = (unsigned char)s[i];
        size_t next = 0;
        size_t brace = is_word(c) ? credentials_brace(s, r.n, i) : 0;
        if (brace) {
            i = brace; /* the '{' below opens the map */
            c = '{';
            cred_depth = depth + 1;
        }
        r.all_keys = cred_depth && depth >= cred_depth;
        if (c == ':')
            next = redact_uri(&r, i);
        else if (is_quote(c))
            next = redact_quoted_key(&r, i);
        else if (is_word(c) && (i == 0 || !is_word((unsigned char)s[i - 1]))) {
            if (decode_hex) next = redact_hex_literal(&r, i);
            if (!next) next = redact_bare_key(&r, i, depth > 0);
            if (!next) next = redact_identified(&r, i);
            if (!next) next = redact_password(&r, i);
        }
        if (next > i) {
            i = next;
            continue;
        }
        if (c == '{') {
            depth++;
        } else if (c == '}' && depth > 0) {
            depth--;
            if (depth < cred_depth) cred_depth = 0;
        }
        i++;
    }
    mo_buf_append(out, s + r.copied, r.n - r.copied);
}

/* ------------------------------------------------------------------ summary */

/* Where the SDK runs re.search(r'W1\s+W2\s+([`"]?\w+[`"]?)'): the first place where the
 * keywords, each followed by whitespace, precede a table token. The token is returned
 * without its quotes (the SDK strips them). Keywords must be whole words here, so "FROM"
 * inside "DATEFROM" or "ON" inside "IDX_COMMON" is not taken for the keyword.
 * `if_exists`: allow IF [NOT] EXISTS before the name. */
static int find_table(const char *s, size_t n, const char *const *words, size_t nwords,
                      int if_exists, const char **tok, size_t *tok_len) {
    for (size_t p = 0; p < n; p++) {
        size_t q = p;
        size_t w;
        for (w = 0; w < nwords; w++) {
            if (!word_at(s, n, q, words[w])) break;
            q += strlen(words[w]);
            if (q >= n || !is_space((unsigned char)s[q])) break;
            q = skip_space(s, n, q);
        }
        if (w < nwords) continue;
        if (if_exists && word_at(s, n, q, "IF")) {
            size_t e = skip_space(s, n, q + 2);
            if (word_at(s, n, e, "NOT")) e = skip_space(s, n, e + 3);
            if (word_at(s, n, e, "EXISTS") && e + 6 < n && is_space((unsigned char)s[e + 6]))
                q = skip_space(s, n, e + 6);
        }
        if (q < n && (s[q] == '`' || s[q] == '"')) q++;
        size_t start = q;
        while (q < n && is_word((unsigned char)s[q])) q++;
        if (q == start) continue;
        *tok = s + start;
        *tok_len = q - start;
        return 1;
    }
    return 0;
}

/* Append "<prefix><TABLE>" with the table upper-cased (the SDK summarises the upper-cased
 * SQL). 0, appending nothing, when no table was found: where the SDK prints "<prefix>?"
 * ("SELECT 1" became "SELECT FROM ?") the caller shows the statement itself instead. */
static int append_with_table(mo_buf *out, const char *prefix, const char *s, size_t n,
                             const char *const *words, size_t nwords, int if_exists) {
    const char *tok;
    size_t tok_len;
    if (!find_table(s, n, words, nwords, if_exists, &tok, &tok_len)) return 0;
    mo_buf_append_str(out, prefix);
    for (size_t i = 0; i < tok_len; i++) mo_buf_append_char(out, ascii_upper(tok[i]));
    return 1;
}

/* The SDK's fallback summary: the first characters of the statement, then "...". The text is
 * redacted before it is cut: a cut could otherwise separate a URI password from its '@' and
 * leave it unrecognisable. */
static void append_statement_head(mo_buf *out, const char *s, size_t n) {
    mo_buf redacted;
    mo_buf_init(&redacted);
    mo_redact_secrets(&redacted, s, n);
    const char *t = mo_buf_cstr(&redacted);
    size_t tn = mo_buf_ok(&redacted) ? redacted.len : 0;
    if (utf8_chars(t, tn) > MO_SUMMARY_FALLBACK_CHARS) {
        mo_buf_append(out, t, utf8_prefix_bytes(t, tn, MO_SUMMARY_FALLBACK_CHARS));
        mo_buf_append_str(out, "...");
    } else {
        mo_buf_append(out, t, tn);
    }
    if (!mo_buf_ok(&redacted)) out->failed = 1;
    mo_buf_free(&redacted);
}

/* Row separators of a multi-row VALUES list: ')' ',' '(' with optional whitespace around the
 * comma ("),(" as the SDK counts, "), (" as the SDK itself writes). Quoted text is skipped so
 * a value containing "),(" does not count. */
static size_t count_row_separators(const char *s, size_t n) {
    size_t count = 0, i = 0;
    while (i < n) {
        if (is_quote((unsigned char)s[i]) || s[i] == '`') {
            i = mo_sql_quoted_end(s, n, i, NULL);
            continue;
        }
        if (s[i] == ')') {
            size_t j = skip_space(s, n, i + 1);
            if (j < n && s[j] == ',') {
                j = skip_space(s, n, j + 1);
                if (j < n && s[j] == '(') count++;
            }
        }
        i++;
    }
    return count;
}

/* The statement head: the text before the first '(' — decides CREATE INDEX vs CREATE TABLE,
 * so "CREATE TABLE t (a INT, INDEX (a))" is a table, not an index. */
static size_t head_length(const char *s, size_t n) {
    const char *paren = memchr(s, '(', n);
    return paren ? (size_t)(paren - s) : n;
}

void mo_sql_summary(mo_buf *out, const char *sql, size_t len) {
    static const char *const from[] = {"FROM"};
    static const char *const insert_into[] = {"INSERT", "INTO"};
    static const char *const update[] = {"UPDATE"};
    static const char *const delete_from[] = {"DELETE", "FROM"};
    static const char *const on[] = {"ON"};
    static const char *const create_table[] = {"CREATE", "TABLE"};
    static const char *const drop_table[] = {"DROP", "TABLE"};
    const char *s = sql ? sql : "";
    size_t n = sql ? len : 0;
    int shaped = 1; /* 0: no SDK shape applies, show the statement's head */
    strip(&s, &n);

    if (starts_with_ci(s, n, "SELECT")) {
        shaped = append_with_table(out, "SELECT FROM ", s, n, from, 1, 0);
    } else if (starts_with_ci(s, n, "INSERT")) {
        size_t rows = contains_word(s, n, "VALUES") ? count_row_separators(s, n) + 1 : 1;
        if (rows > 1) {
            shaped = append_with_table(out, "BATCH INSERT INTO ", s, n, insert_into, 2, 0);
            if (shaped) mo_buf_printf(out, " (%zu rows)", rows);
        } else {
            shaped = append_with_table(out, "INSERT INTO ", s, n, insert_into, 2, 0);
        }
    } else if (starts_with_ci(s, n, "UPDATE")) {
        shaped = append_with_table(out, "UPDATE ", s, n, update, 1, 0);
    } else if (starts_with_ci(s, n, "DELETE")) {
        shaped = append_with_table(out, "DELETE FROM ", s, n, delete_from, 2, 0);
    } else if (starts_with_ci(s, n, "CREATE")) {
        size_t head = head_length(s, n);
        if (contains_word(s, head, "INDEX"))
            shaped = append_with_table(out, "CREATE INDEX ON ", s, n, on, 1, 0);
        else if (contains_word(s, head, "TABLE"))
            shaped = append_with_table(out, "CREATE TABLE ", s, n, create_table, 2, 1);
        else
            mo_buf_append_str(out, "CREATE");
    } else if (starts_with_ci(s, n, "DROP")) {
        if (contains_word(s, n, "TABLE"))
            shaped = append_with_table(out, "DROP TABLE ", s, n, drop_table, 2, 1);
        else if (contains_word(s, n, "INDEX"))
            mo_buf_append_str(out, "DROP INDEX");
        else
            mo_buf_append_str(out, "DROP");
    } else if (starts_with_ci(s, n, "SET")) {
        mo_buf_append_str(out, "SET VARIABLE");
    } else {
        shaped = 0;
    }
    if (!shaped) append_statement_head(out, s, n);
}

/* ------------------------------------------------------------------ the query line */

/* "%.3fs", but always with a '.': printf follows LC_NUMERIC, and a host program that set a
 * decimal-comma locale must not change the log format. */
static void append_seconds(mo_buf *out, double seconds) {
    char tmp[400]; /* DBL_MAX has 309 integer digits */
    int len = snprintf(tmp, sizeof tmp, "%.3f", seconds);
    if (len < 0 || (size_t)len >= sizeof tmp) {
        mo_buf_append_str(out, "?s");
        return;
    }
    size_t int_len = 0;
    while (tmp[int_len] >= '0' && tmp[int_len] <= '9') int_len++;
    const char *frac = tmp + len - 3;
    int frac_ok = len >= 5 && int_len > 0 && int_len < (size_t)len - 3;
    for (int i = 0; frac_ok && i < 3; i++)
        if (frac[i] < '0' || frac[i] > '9') frac_ok = 0;
    if (!frac_ok) { /* inf and the like: print what printf gave */
        mo_buf_append(out, tmp, (size_t)len);
    } else {
        mo_buf_append(out, tmp, int_len);
        mo_buf_append_char(out, '.');
        mo_buf_append(out, frac, 3);
    }
    mo_buf_append_char(out, 's');
}

int mo_log_format_query(mo_buf *out, int *level, mo_log_mode mode, unsigned slow_threshold_ms,
                        unsigned max_display_length, const char *sql, size_t len, double seconds,
                        int64_t rows, int success) {
    if (mode == MO_LOG_OFF) return 0;
    const char *s = sql ? sql : "";
    size_t n = sql ? len : 0;
    strip(&s, &n);

    int timed = seconds >= 0; /* false for NaN too */
    int is_slow = timed && seconds >= slow_threshold_ms / 1000.0;
    int is_error = !success;
    if (level)
        *level = is_error ? MO_LOG_LEVEL_ERROR : is_slow ? MO_LOG_LEVEL_WARNING : MO_LOG_LEVEL_INFO;

    mo_buf_append_str(out, success ? MO_LOG_MARK_OK : MO_LOG_MARK_FAILED);
    if (timed) {
        mo_buf_append_str(out, " | ");
        append_seconds(out, seconds);
    }
    if (rows >= 0) mo_buf_printf(out, " | %" PRId64 " rows", rows);
    mo_buf_append_str(out, " | ");
    if (is_error)
        mo_buf_append_str(out, "[ERROR] ");
    else if (is_slow)
        mo_buf_append_str(out, "[SLOW] ");

    /* Failed and slow statements are shown in full whatever the mode: that is when the text
     * is needed. Unknown modes show the full text, as the SDK's last branch does. */
    size_t chars = utf8_chars(s, n);
    if (!is_error && !is_slow && mode == MO_LOG_SIMPLE) {
        mo_sql_summary(out, s, n);
    } else if (!is_error && !is_slow && mode == MO_LOG_AUTO && chars > max_display_length) {
        mo_sql_summary(out, s, n);
        mo_buf_printf(out, " [SQL length: %zu chars]", chars);
    } else {
        mo_redact_secrets(out, s, n);
    }
    return 1;
}

/* Hand one line to the sink, or to stderr with a newline in a single fwrite so concurrent
 * writers cannot interleave within a line. A line that could not be built (out of memory)
 * is dropped: logging must never turn into a failure of the statement. */
static void emit(const struct mo_config *cfg, int level, mo_buf *line) {
    if (!mo_buf_ok(line)) return;
    if (cfg->log_sink) {
        size_t len = line->len;
        cfg->log_sink(cfg->log_sink_userdata, level, mo_buf_cstr(line), len);
        return;
    }
    mo_buf_append_char(line, '\n');
    if (!mo_buf_ok(line)) return;
    fwrite(line->data, 1, line->len, stderr);
}

/* A MO_EXEC_LOG_* override (the flag bits of an _execute_ex call may be passed whole). */
static mo_log_mode effective_mode(mo_log_mode configured, unsigned mode_override) {
    switch (mode_override & 0xF0u) {
    case MO_EXEC_LOG_OFF: return MO_LOG_OFF;
    case MO_EXEC_LOG_SIMPLE: return MO_LOG_SIMPLE;
    case MO_EXEC_LOG_FULL: return MO_LOG_FULL;
    case MO_EXEC_LOG_AUTO: return MO_LOG_AUTO;
    default: return configured;
    }
}

int mo_log_enabled(const struct mo_config *cfg, unsigned mode_override) {
    return cfg && effective_mode(cfg->log_mode, mode_override) != MO_LOG_OFF;
}

void mo_log_query(const struct mo_config *cfg, unsigned mode_override, const char *sql,
                  size_t len, double seconds, int64_t rows, int success) {
    if (!cfg) return;
    mo_log_mode mode = effective_mode(cfg->log_mode, mode_override);
    if (mode == MO_LOG_OFF) return;
    mo_buf line;
    int level = MO_LOG_LEVEL_INFO;
    mo_buf_init(&line);
    if (mo_log_format_query(&line, &level, mode, cfg->log_slow_threshold_ms,
                            cfg->log_max_display_length, sql, len, seconds, rows, success))
        emit(cfg, level, &line);
    mo_buf_free(&line);
}

void mo_log_message(const struct mo_config *cfg, int level, const char *fmt, ...) {
    if (!cfg || !fmt || cfg->log_mode == MO_LOG_OFF) return;
    mo_buf raw, line;
    mo_buf_init(&raw);
    mo_buf_init(&line);
    va_list ap;
    va_start(ap, fmt);
    mo_buf_vprintf(&raw, fmt, ap);
    va_end(ap);
    if (mo_buf_ok(&raw)) {
        mo_redact_secrets(&line, mo_buf_cstr(&raw), raw.len);
        emit(cfg, level, &line);
    }
    mo_buf_free(&raw);
    mo_buf_free(&line);
}
