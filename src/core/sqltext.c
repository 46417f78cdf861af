/* src/core/sqltext.c — SQL text: the one identifier-quoting function, the one string-literal
 * function, and a small lexer that knows where literals and comments are (for `?`
 * placeholders and for classifying a statement by its first keyword).
 *
 * The lexer follows MySQL's rules: '..' and ".." literals end at an unescaped quote (a doubled
 * quote is part of the literal; a backslash escapes the next byte unless NO_BACKSLASH_ESCAPES);
 * `..` identifiers double the backtick; `--` starts a comment only before whitespace, a
 * control character or the end; `#` runs to the end of the line; slash-star comments do not
 * nest. Anything unterminated runs to the end of the text, as the server would read it. */
#include <string.h>

#include "internal.h"

#define MO_IDENTIFIER_MAX 256      /* bytes, any name */
#define MO_OBJECT_NAME_MAX_CHARS 64 /* characters, names of the kinds limited_kind lists */

int mo_utf8_valid(const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t follow;
        uint32_t cp, min;
        if (c >= 0xc2 && c <= 0xdf) {
            follow = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            follow = 2, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            follow = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return 0; /* a continuation byte, 0xc0/0xc1 (always overlong) or 0xf5.. */
        }
        if ((size_t)(end - p) <= follow) return 0;
        for (size_t k = 1; k <= follow; k++) {
            if ((p[k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (p[k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        p += follow + 1;
    }
    return 1;
}

/* The limits of the kind of name `what` says ("table name", "source database", "snapshot
 * name"...), matched on its last words. Databases, tables, columns and indexes: MySQL and
 * MariaDB refuse more than 64 characters and a trailing space (errors 1059, 1102, 1103, 1166,
 * 1280; MatrixOne takes both, mocore keeps the portable rule). MatrixOne keeps snapshot,
 * publication and stage names in VARCHAR(64) catalog columns and cuts longer ones silently
 * (the object then cannot be found by the name it was created with). Other names (users,
 * roles, accounts, PITRs, CDC tasks, savepoints...) have rules of their own per server
 * (MariaDB takes 80-character user names, MatrixOne 300): only the general bounds apply. */
typedef struct {
    const char *suffix;
    int trailing_space_refused;
} name_kind;

static const name_kind *limited_kind(const char *what) {
    static const name_kind kinds[] = {
        {"database", 1},        {"database name", 1},    {"table name", 1},
        {"column name", 1},     {"index name", 1},       {"object name", 1},
        {"snapshot name", 0},   {"publication name", 0}, {"stage name", 0},
        {"subscription name", 1}, /* a database */       {NULL, 0},
    };
    size_t n = strlen(what);
    for (const name_kind *k = kinds; k->suffix; k++) {
        size_t m = strlen(k->suffix);
        if (n >= m && strcmp(what + n - m, k->suffix) == 0 && (n == m || what[n - m - 1] == ' '))
            return k;
    }
    return NULL;
}

mo_status mo_sql_append_identifier(mo_buf *b, const char *name, const char *what,
                                   const char *operation) {
    if (!name) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "invalid %s: NULL", what);
    /* A C string cannot carry an embedded NUL: it ends the name, so only its length is seen. */
    size_t len = strnlen(name, MO_IDENTIFIER_MAX + 1);
    if (len == 0) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "invalid %s: empty", what);
    if (len > MO_IDENTIFIER_MAX)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "invalid %s: longer than %d bytes", what, MO_IDENTIFIER_MAX);
    if (!mo_utf8_valid(name, len))
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "invalid %s: not valid UTF-8",
                            what);
    /* What the servers refuse anyway is refused here, before anything is sent. A quoted
     * identifier holds characters of the Basic Multilingual Plane only (MySQL, MariaDB:
     * "Invalid utf8mb4 character string"). */
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c >= 0xf0)
            return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                                "invalid %s: a character outside the Basic Multilingual Plane "
                                "(4-byte UTF-8) cannot be part of an identifier", what);
        if ((c & 0xc0) != 0x80) chars++;
    }
    const name_kind *kind = limited_kind(what);
    if (kind && chars > MO_OBJECT_NAME_MAX_CHARS)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "invalid %s: %zu characters, longer than the %d the server allows",
                            what, chars, MO_OBJECT_NAME_MAX_CHARS);
    if (kind && kind->trailing_space_refused && name[len - 1] == ' ')
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "invalid %s: ends with a space (the server refuses it)", what);
    mo_buf_append_char(b, '`');
    const char *run = name;
    for (const char *p = name; p < name + len; p++) {
        if (*p != '`') continue;
        mo_buf_append(b, run, (size_t)(p + 1 - run)); /* the backtick itself, then again */
        mo_buf_append_char(b, '`');
        run = p + 1;
    }
    mo_buf_append(b, run, (size_t)(name + len - run));
    mo_buf_append_char(b, '`');
    return MO_OK;
}

/* A text value goes in as a hex literal when it holds a byte whose reading depends on the
 * server's state: a backslash (an escape, or not, by NO_BACKSLASH_ESCAPES), NUL and ^Z (which
 * some tools treat as the end of the text). */
int mo_sql_text_needs_hex_form(const char *s, size_t len) {
    return memchr(s, '\\', len) || memchr(s, '\0', len) || memchr(s, 0x1a, len);
}

/* Doubled quotes are read as one quote with and without NO_BACKSLASH_ESCAPES, and the quote
 * byte 0x27 is never the second byte of a character in any character set (a multi-byte
 * character cannot swallow it). Only the backslash reads differently in the two modes, so:
 *  - MO_LITERAL_VALUE: a value without backslash, NUL or ^Z is 'it''s'; one with them is a
 *    hex literal behind a character set introducer, _utf8mb4 X'E4BDA05C', which is a string
 *    of that character set (not a binary string), has no escapes at all and reads exactly
 *    the same in every mode. No backslash is ever written.
 *  - MO_LITERAL_QUOTED, for places whose grammar takes only a quoted string (IDENTIFIED BY,
 *    ESCAPED BY, COMMENT, a path): the quote is doubled, and backslash, NUL, \n, \r and ^Z
 *    are written \\, \0, \n, \r, \Z. Every backslash written starts a two-byte escape whose
 *    second byte is never a quote, so the literal ends where mocore ended it in both modes;
 *    the value is exact in the default mode, and under NO_BACKSLASH_ESCAPES those five bytes
 *    arrive as their two-byte escapes (never as anything that ends the literal).
 * `charset` names the introducer: the client character set the bytes are in (NULL for
 * utf8mb4), or MO_SQL_NO_INTRODUCER for CAST(X'..' AS CHAR) on MatrixOne, which has no
 * introducers (v4.2 answers _utf8mb4 X'..' with a syntax error). */
/* How a byte is written inside quotes in the quoted form, NULL when as it is: the escapes are mysql_real_escape_string's except that the
 * quote is doubled (and '"' needs nothing inside single quotes). */
static const char *quoted_escape(char c) {
    switch (c) {
    case '\'': return "''";
    case '\\': return "\\\\";
    case '\0': return "\\0";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case 0x1a: return "\\Z";
    default: return NULL;
    }
}

void mo_sql_append_string_literal(mo_buf *b, const char *s, size_t len, mo_literal_form form,
                                  const char *charset) {
    if (form == MO_LITERAL_VALUE && len && mo_sql_text_needs_hex_form(s, len)) {
        if (!charset) charset = MO_SQL_DEFAULT_CHARSET;
        if (!*charset) {
            /* MatrixOne: no introducers; a bare X'..' is binary there (a JSON column
             * refuses it), the cast makes it a string. */
            mo_buf_append_str(b, "CAST(");
            mo_sql_append_hex_literal(b, s, len);
            mo_buf_append_str(b, " AS CHAR)");
            return;
        }
        mo_buf_append_char(b, '_');
        mo_buf_append_str(b, charset);
        mo_buf_append_char(b, ' ');
        mo_sql_append_hex_literal(b, s, len);
        return;
    }
    mo_buf_append_char(b, '\'');
    if (form == MO_LITERAL_VALUE) {
        /* only the quote is doubled: from one to the next */
        const char *run = s, *end = s + len, *quote;
        while (run < end && (quote = memchr(run, '\'', (size_t)(end - run))) != NULL) {
            mo_buf_append(b, run, (size_t)(quote + 1 - run));
            mo_buf_append_char(b, '\'');
            run = quote + 1;
        }
        mo_buf_append(b, run, (size_t)(end - run));
        mo_buf_append_char(b, '\'');
        return;
    }
    size_t run = 0; /* start of the bytes not yet appended */
    for (size_t i = 0; i < len; i++) {
        const char *e = quoted_escape(s[i]);
        if (!e) continue;
        mo_buf_append(b, s + run, i - run);
        mo_buf_append_str(b, e);
        run = i + 1;
    }
    mo_buf_append(b, s + run, len - run);
    mo_buf_append_char(b, '\'');
}

void mo_sql_append_hex_literal(mo_buf *b, const void *data, size_t len) {
    static const char digits[] = "0123456789ABCDEF";
    const unsigned char *p = data;
    char chunk[256];
    mo_buf_append(b, "X'", 2);
    while (len > 0) {
        size_t n = len < sizeof chunk / 2 ? len : sizeof chunk / 2;
        for (size_t i = 0; i < n; i++) {
            chunk[2 * i] = digits[p[i] >> 4];
            chunk[2 * i + 1] = digits[p[i] & 0x0f];
        }
        mo_buf_append(b, chunk, 2 * n);
        p += n;
        len -= n;
    }
    mo_buf_append_char(b, '\'');
}

/* ------------------------------------------------------------------ the lexer */

/* If a comment starts at s[i], the index just past it, else i. */
static size_t skip_comment(const char *s, size_t len, size_t i) {
    int line = s[i] == '#';
    if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
        /* MySQL: "--" is a comment only when followed by whitespace or a control character;
         * "1--1" is one minus minus one. */
        unsigned char next = i + 2 < len ? (unsigned char)s[i + 2] : ' ';
        line = next <= ' ' || next == 0x7f;
    }
    if (line) {
        const char *nl = memchr(s + i, '\n', len - i);
        return nl ? (size_t)(nl - s) + 1 : len;
    }
    if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
        for (size_t j = i + 2; j + 1 < len; j++)
            if (s[j] == '*' && s[j + 1] == '/') return j + 2;
        return len;
    }
    return i;
}

/* How the server reads quotes, which depends on its sql_mode (that mocore cannot know for
 * sure: MatrixOne honours NO_BACKSLASH_ESCAPES without reporting it, and a SET inside a
 * procedure changes the mode unseen). A reading says whether a backslash escapes inside
 * '..' and inside "..". Every reading the server can have is one of these three; when the
 * text holds no backslash at all they are the same and only the first is scanned. */
enum { SQ_BACKSLASH = 1, DQ_BACKSLASH = 2 };
static const int readings[] = {
    SQ_BACKSLASH | DQ_BACKSLASH, /* the default mode */
    0,                           /* NO_BACKSLASH_ESCAPES (with or without ANSI_QUOTES) */
    SQ_BACKSLASH,                /* ANSI_QUOTES: ".." is an identifier, '..' escapes */
};
enum { READINGS = sizeof readings / sizeof readings[0] };

/* The number of readings to check: 1 when no backslash can make them differ. */
static size_t readings_for(const char *s, size_t len) {
    return len && memchr(s, '\\', len) ? READINGS : 1;
}

/* The end of the quoted string or identifier opening at s[i] (' " or `) in a reading: the
 * index just past its closing quote (*closed = 1), or len when it is not closed (*closed = 0).
 * A doubled quote stands for itself; a backslash escapes where the reading says so. */
static size_t quoted_end(const char *s, size_t len, size_t i, int reading, int *closed) {
    char q = s[i];
    int backslash = q == '\'' ? reading & SQ_BACKSLASH : q == '"' ? reading & DQ_BACKSLASH : 0;
    size_t j = i + 1;
    while (j < len) {
        if (backslash && s[j] == '\\') {
            j += 2;
        } else if (s[j] == q) {
            if (j + 1 < len && s[j + 1] == q) {
                j += 2;
            } else {
                *closed = 1;
                return j + 1;
            }
        } else {
            j++;
        }
    }
    *closed = 0;
    return len;
}

static int is_quote_char(char c) { return c == '\'' || c == '"' || c == '`'; }

/* If a string literal or quoted identifier starts at s[i], the index just past it, else i. */
static size_t skip_quoted(const char *s, size_t len, size_t i, int reading) {
    int closed;
    return is_quote_char(s[i]) ? quoted_end(s, len, i, reading, &closed) : i;
}

/* The default reading, which is also the one that makes a literal longest: a reader that
 * hides or skips literals (the statement log's redaction, a parser of server answers) errs on
 * the side of taking too much. */
size_t mo_sql_quoted_end(const char *s, size_t len, size_t i, int *closed) {
    int ignored;
    if (!closed) closed = &ignored;
    if (i >= len || !is_quote_char(s[i])) {
        *closed = 0;
        return i;
    }
    return quoted_end(s, len, i, readings[0], closed);
}

/* The index of the next byte at or after i that is outside literals and comments. */
static size_t skip_quoted_and_comments(const char *s, size_t len, size_t i, int reading) {
    while (i < len) {
        size_t j = skip_quoted(s, len, i, reading);
        if (j == i) j = skip_comment(s, len, i);
        if (j == i) break;
        i = j;
    }
    return i;
}

/* What a byte can be to the walkers below, which skip runs of bytes that are none of what
 * they look for in bulk: the start of a literal or a comment (' " ` # - /), a placeholder
 * mark (? %), a statement end, the start of a word. */
enum { BYTE_LEXER = 1, BYTE_MARK = 2, BYTE_SEMICOLON = 4, BYTE_ALPHA = 8 };
static const unsigned char byte_class[256] = {
    ['\''] = BYTE_LEXER, ['"'] = BYTE_LEXER, ['`'] = BYTE_LEXER, ['#'] = BYTE_LEXER,
    ['-'] = BYTE_LEXER,  ['/'] = BYTE_LEXER, ['?'] = BYTE_MARK,  ['%'] = BYTE_MARK,
    [';'] = BYTE_SEMICOLON,
};

/* The first index at or after i whose byte is of a class in `classes` (BYTE_LEXER always
 * included), or len. */
static size_t skip_plain(const char *s, size_t len, size_t i, unsigned classes) {
    classes |= BYTE_LEXER;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (byte_class[c] & classes) break;
        if ((classes & BYTE_ALPHA) && (unsigned)((c | 0x20) - 'a') < 26) break; /* A-Z a-z */
    }
    return i;
}

/* The next '?' (and '%' when `percent`) at or after i (which is outside literals in this
 * reading), or len. */
static size_t next_mark(const char *s, size_t len, size_t i, int reading, int percent) {
    while ((i = skip_plain(s, len, i, BYTE_MARK)) < len) {
        char c = s[i];
        if (c == '?' || (c == '%' && percent)) return i;
        size_t j = byte_class[(unsigned char)c] & BYTE_LEXER ? skip_quoted(s, len, i, reading) : i;
        if (j == i) j = skip_comment(s, len, i);
        i = j == i ? i + 1 : j; /* a '%' not looked for, or a '-' or '/' that starts nothing */
    }
    return len;
}

/* The readings are walked in step: a mark counts only when every reading finds it at the
 * same place, so what mocore substitutes is what the server will take for a value whatever
 * its mode. Without a backslash in the text this is one scan. The next mark at or after i,
 * len at the end, MO_SQL_AMBIGUOUS when the readings disagree. */
static size_t next_mark_in_every_reading(const char *s, size_t len, size_t i, size_t n,
                                         int percent) {
    size_t at = next_mark(s, len, i, readings[0], percent);
    for (size_t r = 1; r < n; r++)
        if (next_mark(s, len, i, readings[r], percent) != at) return MO_SQL_AMBIGUOUS;
    return at;
}

size_t mo_sql_find_placeholders(const char *sql, size_t len, size_t *offsets, size_t max) {
    size_t count = 0;
    size_t i = 0, n = readings_for(sql, len);
    for (;;) {
        size_t at = next_mark_in_every_reading(sql, len, i, n, 0);
        if (at == MO_SQL_AMBIGUOUS) return MO_SQL_AMBIGUOUS;
        if (at >= len) return count;
        if (count < max) offsets[count] = at;
        count++;
        i = at + 1;
    }
}

/* PyMySQL's placeholders are read by the same walk: a '%' outside literals and comments
 * starts "%%" (no placeholder: the pair is one '%' once parameters are rendered), "%s", or
 * "%(name)s" (the name runs to the first ')'); any other '%' (a modulo) is text. */
size_t mo_sql_find_format_placeholders(const char *sql, size_t len, size_t *offsets,
                                       size_t *lengths, size_t max, size_t *qmarks) {
    size_t count = 0, questions = 0;
    size_t i = 0, n = readings_for(sql, len);
    for (;;) {
        size_t at = next_mark_in_every_reading(sql, len, i, n, 1);
        if (at == MO_SQL_AMBIGUOUS) return MO_SQL_AMBIGUOUS;
        if (at >= len) break;
        size_t hole = 0;
        if (sql[at] == '?') {
            questions++;
        } else if (at + 1 < len && sql[at + 1] == '%') {
            at++; /* the pair: its second '%' starts nothing */
        } else if (at + 1 < len && sql[at + 1] == 's') {
            hole = 2;
        } else if (at + 1 < len && sql[at + 1] == '(') {
            const char *close = memchr(sql + at + 2, ')', len - at - 2);
            if (close && (size_t)(close - sql) + 1 < len && close[1] == 's')
                hole = (size_t)(close - sql) + 2 - at;
        }
        if (hole) {
            if (count < max) {
                offsets[count] = at;
                lengths[count] = hole;
            }
            count++;
            i = at + hole;
        } else {
            i = at + 1;
        }
    }
    if (qmarks) *qmarks = questions;
    return count;
}

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }
static char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c; }

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Bytes of words (keywords, names): letters (3), digits and '_' (1). A designator starts a
 * run: the values after it go to the bytes that follow. */
static const unsigned char word_class[256] = {
    ['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['A'] = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    ['_'] = 1,
    ['a'] = 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
};

static int is_alpha(unsigned char c) { return word_class[c] == 3; }

static int is_word_char(unsigned char c) { return word_class[c] != 0; }

/* Skip whitespace and comments (and '(' when `parens`) from i. */
static size_t skip_blanks(const char *s, size_t len, size_t i, int parens) {
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c) || (parens && c == '(')) {
            i++;
            continue;
        }
        size_t j = skip_comment(s, len, i);
        if (j == i) break;
        i = j;
    }
    return i;
}

/* Read the keyword at s[*i] (a letter, then letters, digits and '_'), upper-cased into out,
 * and advance *i past it. 0 (out = "") when there is none or it does not fit. */
static size_t read_keyword(const char *s, size_t len, size_t *i, char *out, size_t out_size) {
    size_t start = *i, n = 0;
    if (out_size > 0) out[0] = '\0';
    if (start >= len || !is_alpha((unsigned char)s[start])) return 0;
    while (start + n < len && is_word_char((unsigned char)s[start + n])) n++;
    *i = start + n;
    /* A truncated keyword could pass for a different one ("SELECTED" -> "SELECT"). */
    if (n >= out_size) return 0;
    for (size_t k = 0; k < n; k++) {
        out[k] = ascii_upper(s[start + k]);
    }
    out[n] = '\0';
    return n;
}

size_t mo_sql_first_keyword(const char *sql, size_t len, char *out, size_t out_size) {
    size_t i = skip_blanks(sql, len, 0, 1);
    return read_keyword(sql, len, &i, out, out_size);
}

size_t mo_sql_find_word(const char *sql, size_t len, size_t from, const char *word) {
    size_t i = from;
    while ((i = skip_quoted_and_comments(sql, len, i, readings[0])) < len) {
        if (is_word_char((unsigned char)sql[i]) && (i == 0 || !is_word_char((unsigned char)sql[i - 1]))) {
            size_t start = i;
            char kw[32];
            if (is_alpha((unsigned char)sql[i]) && read_keyword(sql, len, &i, kw, sizeof kw) &&
                strcmp(kw, word) == 0)
                return start;
            while (i < len && is_word_char((unsigned char)sql[i])) i++;
        } else {
            i++;
        }
    }
    return len;
}

int mo_sql_is_against_operand(const char *sql, size_t at) {
    static const char word[] = "AGAINST";
    size_t i = at;
    while (i > 0 && is_space((unsigned char)sql[i - 1])) i--;
    if (i == 0 || sql[i - 1] != '(') return 0;
    i--;
    while (i > 0 && is_space((unsigned char)sql[i - 1])) i--;
    if (i < sizeof word - 1) return 0;
    i -= sizeof word - 1;
    for (size_t k = 0; k < sizeof word - 1; k++)
        if ((sql[i + k] & ~0x20) != word[k]) return 0;
    /* "xAGAINST(" or "$AGAINST(" is an identifier, not the keyword */
    unsigned char before = i ? (unsigned char)sql[i - 1] : ' ';
    return !(is_word_char(before) || before == '$' || before >= 0x80);
}

/* The row of INSERT|REPLACE ... VALUES (row) [tail] in one reading: 1 with out[] = row start,
 * row end, `?` in the row, tail end; 0 when the statement is not of that shape. */
static int insert_row(const char *s, size_t len, int reading, size_t out[4]) {
    char kw[16];
    if (!mo_sql_first_keyword(s, len, kw, sizeof kw) ||
        (strcmp(kw, "INSERT") != 0 && strcmp(kw, "REPLACE") != 0))
        return 0;
    size_t i = 0, start = 0, end = 0, holes = 0, tail_end = len;
    int depth = 0, after_values = 0;
    while ((i = skip_quoted_and_comments(s, len, i, reading)) < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == '?') {
            if (!start || end) return 0; /* a placeholder outside the row */
            holes++;
        } else if (c == '(') {
            if (after_values && !start && depth == 0) start = i + 1;
            depth++;
        } else if (c == ')') {
            if (--depth == 0 && start && !end) end = i + 1;
        } else if (c == ';' && depth == 0) {
            if (skip_blanks(s, len, i + 1, 0) != len) return 0; /* a second statement */
            tail_end = i;
            break;
        } else if (is_alpha(c) && (i == 0 || !(is_word_char((unsigned char)s[i - 1]) ||
                                               s[i - 1] == '$'))) {
            char word[8];
            size_t at = i;
            if (read_keyword(s, len, &i, word, sizeof word) && depth == 0 && !start &&
                strcmp(word, "VALUES") == 0 && (i >= len || s[i] != '$'))
                after_values = 1;
            if (i == at) i++;
            continue;
        }
        i++;
    }
    if (!end) return 0;
    size_t next = skip_blanks(s, len, end, 0);
    if (next < len && s[next] == ',') return 0; /* several rows already */
    out[0] = start - 1;
    out[1] = end;
    out[2] = holes;
    out[3] = tail_end;
    return 1;
}

int mo_sql_find_insert_row(const char *sql, size_t len, size_t out[4]) {
    size_t n = readings_for(sql, len);
    if (!insert_row(sql, len, readings[0], out)) return 0;
    for (size_t r = 1; r < n; r++) {
        size_t other[4];
        if (!insert_row(sql, len, readings[r], other) || memcmp(other, out, sizeof other) != 0)
            return 0;
    }
    return 1;
}

/* 1 when text[0..len) contains `word` (ASCII letters compared in either case). */
static int contains_ci(const char *text, size_t len, const char *word) {
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++) {
        size_t k = 0;
        while (k < n && ascii_lower(text[i + k]) == ascii_lower(word[k])) k++;
        if (k == n) return 1;
    }
    return 0;
}

/* 1 when one of `words` (upper case, at most 31 bytes) is a whole word of the raw text: a
 * maximal run of letters, digits and '_' that starts with a letter, compared in either case.
 * Every word the lexer reads outside literals and comments is such a run of the raw text,
 * so 0 here means it finds none of them either. */
static int raw_text_has_word(const char *s, size_t len, const char *const *words) {
    uint32_t lengths = 0; /* bit n: a word of n bytes is listed */
    for (const char *const *w = words; *w; w++) lengths |= UINT32_C(1) << (strlen(*w) & 31);
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    for (;;) {
        while (p < end && !is_word_char(*p)) p++;
        if (p == end) return 0;
        const unsigned char *start = p;
        while (p < end && is_word_char(*p)) p++;
        size_t n = (size_t)(p - start);
        if (n > 31 || !(lengths >> n & 1) || !is_alpha(*start)) continue;
        for (const char *const *w = words; *w; w++) {
            size_t k = 0;
            while (k < n && ascii_upper((char)start[k]) == (*w)[k]) k++;
            if (k == n && (*w)[n] == '\0') return 1;
        }
    }
}

/* 1 when a second statement follows a ';' (in the given reading). */
static int has_second_statement(const char *s, size_t len, int reading) {
    /* exact: a ';' outside literals is a ';' of the text */
    if (!memchr(s, ';', len)) return 0;
    size_t i = 0;
    while ((i = skip_quoted_and_comments(s, len, i, reading)) < len) {
        if (s[i] == ';') {
            size_t j = skip_blanks(s, len, i + 1, 0);
            if (j < len && s[j] != ';') return 1;
        }
        i = skip_plain(s, len, i + 1, BYTE_SEMICOLON);
    }
    return 0;
}

/* 1 when one of `words` (upper case, NULL-terminated) appears as a word outside literals and
 * comments (in the given reading). EXPLAIN ANALYZE (and MatrixOne's EXPLAIN (ANALYZE ...))
 * runs the statement it explains; SET GLOBAL, SELECT ... INTO OUTFILE and the like change
 * something that outlives the connection. */
static int mentions_word(const char *s, size_t len, int reading, const char *const *words) {
    /* the usual statement holds none of them anywhere: no lexing then */
    if (!raw_text_has_word(s, len, words)) return 0;
    size_t i = 0;
    while ((i = skip_quoted_and_comments(s, len, i, reading)) < len) {
        if (is_alpha((unsigned char)s[i]) && (i == 0 || !is_word_char((unsigned char)s[i - 1]))) {
            char word[16];
            if (!read_keyword(s, len, &i, word, sizeof word)) continue;
            for (const char *const *w = words; *w; w++)
                if (strcmp(word, *w) == 0) return 1;
        } else {
            i = skip_plain(s, len, i + 1, BYTE_ALPHA);
        }
    }
    return 0;
}

/* An executable comment (slash-star-bang, or MariaDB's slash-star-M-bang) at s[i]: the server
 * runs its body as code, so it is not a comment to a check that skips comments. */
static int is_executable_comment(const char *s, size_t len, size_t i) {
    return i + 2 < len && s[i] == '/' && s[i + 1] == '*' &&
           (s[i + 2] == '!' || (s[i + 2] == 'M' && i + 3 < len && s[i + 3] == '!'));
}

static const char *fragment_problem(const char *s, size_t len, int reading, int comments) {
    int depth = 0;
    size_t i = 0;
    while (i < len) {
        if (is_quote_char(s[i])) {
            int closed;
            i = quoted_end(s, len, i, reading, &closed);
            if (!closed) return "an unterminated quoted string or identifier";
            continue;
        }
        if (is_executable_comment(s, len, i)) return "an executable comment";
        size_t j = skip_comment(s, len, i);
        if (j != i && !comments) return "a comment";
        if (j != i) {
            int block = s[i] == '/';
            if (block ? !(j >= i + 4 && s[j - 1] == '/' && s[j - 2] == '*') : s[j - 1] != '\n')
                return "an unterminated comment";
            i = j;
            continue;
        }
        if (s[i] == ';') return "a ';'";
        if (s[i] == '(') depth++;
        if (s[i] == ')' && --depth < 0) return "unbalanced parentheses";
        i++;
    }
    return depth ? "unbalanced parentheses" : NULL;
}

/* The fragment must be closed in itself in every reading the server may have. */
const char *mo_sql_fragment_problem(const char *s, size_t len, int comments) {
    size_t n = readings_for(s, len);
    for (size_t r = 0; r < n; r++) {
        const char *problem = fragment_problem(s, len, readings[r], comments);
        if (problem) return problem;
    }
    return NULL;
}

static int keyword_in(const char *kw, const char *const *list) {
    for (const char *const *k = list; *k; k++)
        if (kw[0] == (*k)[0] && strcmp(kw, *k) == 0) return 1;
    return 0;
}

int mo_sql_is_read_only(const char *sql, size_t len) {
    /* WITH can lead an UPDATE or DELETE; transaction control is not read-only because losing
     * a COMMIT leaves its outcome unknown. Anything not listed is assumed to write. */
    static const char *const read_only[] = {"SELECT", "SHOW",   "DESCRIBE", "DESC",
                                            "EXPLAIN", "HELP",  "USE",      "SET",
                                            "DO",     "VALUES", "TABLE",    NULL};
    /* Words that make a listed statement change what outlives the connection:
     * SELECT ... INTO OUTFILE/DUMPFILE writes a file; MatrixOne's mo_ctl() flushes and
     * checkpoints; EXPLAIN ANALYZE runs the statement it explains; SET GLOBAL/PERSIST,
     * SET PASSWORD and SET [DEFAULT] ROLE change the server or the grant tables, and
     * SET autocommit = 1 commits an implicit transaction. A stored function called by a SELECT
     * or DO cannot be seen from here: it is assumed not to write. */
    static const char *const writes[] = {"OUTFILE", "DUMPFILE", "MO_CTL", NULL};
    static const char *const explain_writes[] = {"ANALYZE", NULL};
    static const char *const set_writes[] = {"GLOBAL", "PERSIST", "PERSIST_ONLY", "PASSWORD",
                                             "ROLE",   "AUTOCOMMIT", NULL};
    char kw[16];
    if (!mo_sql_first_keyword(sql, len, kw, sizeof kw)) return 0;
    if (!keyword_in(kw, read_only)) return 0;
    int is_explain = strcmp(kw, "EXPLAIN") == 0 || strncmp(kw, "DESC", 4) == 0;
    int is_set = strcmp(kw, "SET") == 0;
    /* The server's escape mode is not known here, so every reading of the text must pass. */
    size_t n = readings_for(sql, len);
    for (size_t r = 0; r < n; r++) {
        if (mentions_word(sql, len, readings[r], writes)) return 0;
        if (is_explain && mentions_word(sql, len, readings[r], explain_writes)) return 0;
        if (is_set && mentions_word(sql, len, readings[r], set_writes)) return 0;
        /* With multi-statements a write could follow the first statement. */
        if (has_second_statement(sql, len, readings[r])) return 0;
    }
    return 1;
}

/* 1 when the statement is known to run inside the open transaction without committing it
 * (plain DML, savepoints, rollback): losing its answer loses the transaction, never commits
 * it. DDL, LOCK TABLES, SET autocommit, CALL (a procedure may COMMIT), LOAD and anything
 * unknown may commit implicitly. */
static int keeps_transaction(const char *sql, size_t len) {
    static const char *const dml[] = {"SELECT", "INSERT", "UPDATE",   "DELETE", "REPLACE",
                                      "WITH",   "VALUES", "TABLE",    "SHOW",   "DESCRIBE",
                                      "DESC",   "EXPLAIN", "SAVEPOINT", "RELEASE", "ROLLBACK",
                                      NULL};
    static const char *const commits[] = {"OUTFILE", "DUMPFILE", "MO_CTL", NULL};
    char kw[16];
    if (!mo_sql_first_keyword(sql, len, kw, sizeof kw) || !keyword_in(kw, dml)) return 0;
    size_t n = readings_for(sql, len);
    for (size_t r = 0; r < n; r++)
        if (mentions_word(sql, len, readings[r], commits) ||
            has_second_statement(sql, len, readings[r]))
            return 0;
    return 1;
}

mo_answer_loss mo_sql_answer_loss(const char *sql, size_t len, int in_transaction) {
    if (!sql) return MO_LOSS_UNKNOWN;
    int read_only = mo_sql_is_read_only(sql, len);
    /* Inside a transaction every lost answer loses the transaction; the category says whether
     * it may have been committed on the way. */
    if (in_transaction)
        return read_only || keeps_transaction(sql, len) ? MO_LOSS_ROLLED_BACK : MO_LOSS_UNKNOWN;
    return read_only ? MO_LOSS_READ_ONLY : MO_LOSS_UNKNOWN;
}

/* ------------------------------------------------------------------ client character sets */

/* The client character sets in which no byte below 0x80 is ever part of a multi-byte
 * character, so a quote, backslash or backtick is always itself: the single-byte sets, the
 * UTF-8 family, and the EUC sets (whose bytes after the first are 0xA1-0xFE). big5, gbk,
 * gb18030, sjis and cp932 are not here: their second bytes include 0x40-0x7E, so 0x5C
 * (backslash) and 0x60 (backtick) can end a character. A name not listed is refused, so a
 * set added to a server later is unsafe until it is known to be safe. */
static const char *const safe_charsets[] = {
    "utf8mb4", "utf8mb3", "utf8", "ascii", "binary", "latin1", "latin2", "latin5", "latin7",
    "armscii8", "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866", "dec8",
    "geostd8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "macce", "macroman",
    "swe7", "tis620", "euckr", "ujis", "eucjpms", "gb2312"};

int mo_sql_charset_is_safe(const char *name, size_t len) {
    for (size_t k = 0; k < sizeof safe_charsets / sizeof safe_charsets[0]; k++) {
        const char *safe = safe_charsets[k];
        if (strlen(safe) != len) continue;
        size_t i = 0;
        while (i < len && ascii_lower(name[i]) == safe[i]) i++;
        if (i == len) return 1;
    }
    return 0;
}

/* A token of a statement read as the server executes it: literals are one token (their
 * body), comments are skipped, but the body of an executable comment (slash-star-bang with
 * an optional version, or MariaDB's slash-star-M-bang) is read as code. */
typedef enum { TOKEN_END, TOKEN_WORD, TOKEN_QUOTED, TOKEN_OTHER } token_kind;
typedef struct {
    token_kind kind;
    const char *text;
    size_t len;
} token;

static int word_equals(const token *t, const char *upper) {
    size_t n = strlen(upper);
    if (t->kind != TOKEN_WORD || t->len != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_upper(t->text[i]) != upper[i]) return 0;
    return 1;
}

static token next_token(const char *s, size_t len, size_t *pos) {
    size_t i = *pos;
    token t = {TOKEN_END, s + len, 0};
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            i++;
        } else if (c == '/' && i + 2 < len && s[i + 1] == '*' &&
                   (s[i + 2] == '!' || (s[i + 2] == 'M' && i + 3 < len && s[i + 3] == '!'))) {
            i += s[i + 2] == '!' ? 3 : 4; /* executable: its body is code */
            while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        } else if (c == '*' && i + 1 < len && s[i + 1] == '/') {
            i += 2; /* the end of an executable comment */
        } else {
            size_t j = skip_comment(s, len, i);
            if (j == i) break;
            i = j;
        }
    }
    if (i >= len) {
        *pos = len;
        return t;
    }
    unsigned char c = (unsigned char)s[i];
    size_t j = skip_quoted(s, len, i, 0);
    if (j != i) {
        t.kind = TOKEN_QUOTED;
        t.text = s + i + 1;
        t.len = j - i - (j - i >= 2 && s[j - 1] == s[i] ? 2 : 1);
    } else if (is_word_char(c) || c == '$' || c >= 0x80) {
        while (j < len && (is_word_char((unsigned char)s[j]) || s[j] == '$' ||
                           (unsigned char)s[j] >= 0x80))
            j++;
        t.kind = TOKEN_WORD;
        t.text = s + i;
        t.len = j - i;
    } else {
        j = i + 1;
        t.kind = TOKEN_OTHER;
        t.text = s + i;
        t.len = 1;
    }
    *pos = j;
    return t;
}

/* A SET statement that names a client character set mocore cannot keep safe: SET NAMES x,
 * SET CHARACTER SET x, SET CHARSET x, SET [SESSION|LOCAL|@@session.|@@] character_set_client
 * = x, also inside executable comments and among other assignments. The name goes into out
 * (truncated to out_size - 1) and MO_SQL_SET_UNSAFE_CHARSET is returned. A value that is not
 * a name (DEFAULT, a variable, an expression) is left to the server's session tracking,
 * which reports the set that results; so an assignment to session_track_system_variables
 * that leaves character_set_client out (and is not '*') is MO_SQL_SET_UNTRACKED, its value
 * in out. 0 when there is neither. */
static void copy_token(const token *v, char *out, size_t out_size) {
    size_t n = v->len < out_size ? v->len : out_size ? out_size - 1 : 0;
    if (!out_size) return;
    memcpy(out, v->text, n);
    out[n] = '\0';
}

int mo_sql_unsafe_charset_change(const char *sql, size_t len, char *out, size_t out_size) {
    size_t pos = 0;
    token t = next_token(sql, len, &pos);
    if (!word_equals(&t, "SET")) return 0;
    int depth = 0;
    token prev = t;
    for (;;) {
        t = next_token(sql, len, &pos);
        if (t.kind == TOKEN_END) return 0;
        if (t.kind == TOKEN_OTHER && t.text[0] == '(') depth++;
        if (t.kind == TOKEN_OTHER && t.text[0] == ')') depth--;
        int starts = depth == 0 && (word_equals(&prev, "SET") ||
                                    (prev.kind == TOKEN_OTHER && prev.text[0] == ','));
        int value_follows = 0, tracking = 0;
        if (starts && (word_equals(&t, "NAMES") || word_equals(&t, "CHARSET"))) {
            value_follows = 1;
        } else if (starts && word_equals(&t, "CHARACTER")) {
            size_t save = pos;
            token set = next_token(sql, len, &pos);
            if (word_equals(&set, "SET")) value_follows = 1;
            else pos = save;
        } else if (depth == 0 && (word_equals(&t, "CHARACTER_SET_CLIENT") ||
                                  word_equals(&t, "SESSION_TRACK_SYSTEM_VARIABLES"))) {
            tracking = !word_equals(&t, "CHARACTER_SET_CLIENT");
            size_t save = pos;
            token op = next_token(sql, len, &pos);
            if (op.kind == TOKEN_OTHER && op.text[0] == ':') op = next_token(sql, len, &pos);
            if (op.kind == TOKEN_OTHER && op.text[0] == '=') value_follows = 1;
            else pos = save;
        }
        if (value_follows) {
            token v = next_token(sql, len, &pos);
            /* An introducer before a quoted name: _utf8mb4'gbk'. */
            if (v.kind == TOKEN_WORD && v.len > 1 && v.text[0] == '_') {
                size_t save = pos;
                token q = next_token(sql, len, &pos);
                if (q.kind == TOKEN_QUOTED) v = q;
                else pos = save;
            }
            int name = v.kind == TOKEN_QUOTED || (v.kind == TOKEN_WORD && !word_equals(&v, "DEFAULT"));
            if (name && tracking && !contains_ci(v.text, v.len, "character_set_client") &&
                !contains_ci(v.text, v.len, "*")) {
                copy_token(&v, out, out_size);
                return MO_SQL_SET_UNTRACKED;
            }
            if (name && !tracking && !mo_sql_charset_is_safe(v.text, v.len)) {
                copy_token(&v, out, out_size);
                return MO_SQL_SET_UNSAFE_CHARSET;
            }
        }
        prev = t;
    }
}
