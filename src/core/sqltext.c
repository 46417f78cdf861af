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

/* The escape for a byte inside a backslash-escaped literal, 0 when it goes in as it is. The
 * set is mysql_real_escape_string's. */
static char backslash_escape(unsigned char c) {
    switch (c) {
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case '\0': return '0';
    case '\n': return 'n';
    case '\r': return 'r';
    case 0x1a: return 'Z';
    default: return 0;
    }
}

void mo_sql_append_string_literal(mo_buf *b, const char *s, size_t len,
                                  int no_backslash_escapes) {
    mo_buf_append_char(b, '\'');
    size_t run = 0; /* start of the bytes not yet appended */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (no_backslash_escapes) {
            if (c != '\'') continue;
            mo_buf_append(b, s + run, i + 1 - run); /* up to and including the quote... */
            mo_buf_append_char(b, '\'');            /* ...which is then doubled */
        } else {
            char e = backslash_escape(c);
            if (!e) continue;
            mo_buf_append(b, s + run, i - run);
            mo_buf_append_char(b, '\\');
            mo_buf_append_char(b, e);
        }
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

/* If a string literal or quoted identifier starts at s[i], the index just past it, else i. */
static size_t skip_quoted(const char *s, size_t len, size_t i, int no_backslash_escapes) {
    char q = s[i];
    if (q != '\'' && q != '"' && q != '`') return i;
    int backslash = q != '`' && !no_backslash_escapes;
    size_t j = i + 1;
    while (j < len) {
        if (backslash && s[j] == '\\') {
            j += 2;
        } else if (s[j] == q) {
            if (j + 1 < len && s[j + 1] == q) {
                j += 2; /* a doubled quote stands for itself */
            } else {
                return j + 1;
            }
        } else {
            j++;
        }
    }
    return len;
}

/* The index of the next byte at or after i that is outside literals and comments. */
static size_t skip_quoted_and_comments(const char *s, size_t len, size_t i,
                                       int no_backslash_escapes) {
    while (i < len) {
        size_t j = skip_quoted(s, len, i, no_backslash_escapes);
        if (j == i) j = skip_comment(s, len, i);
        if (j == i) break;
        i = j;
    }
    return i;
}

size_t mo_sql_find_placeholders(const char *sql, size_t len, int no_backslash_escapes,
                                size_t *offsets, size_t max) {
    size_t count = 0;
    size_t i = 0;
    while ((i = skip_quoted_and_comments(sql, len, i, no_backslash_escapes)) < len) {
        if (sql[i] == '?') {
            if (count < max) offsets[count] = i;
            count++;
        }
        i++;
    }
    return count;
}

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int is_word_char(unsigned char c) {
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

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
        char c = s[start + k];
        out[k] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    out[n] = '\0';
    return n;
}

size_t mo_sql_first_keyword(const char *sql, size_t len, char *out, size_t out_size) {
    size_t i = skip_blanks(sql, len, 0, 1);
    return read_keyword(sql, len, &i, out, out_size);
}

/* 1 when a second statement follows a ';' (read with the given escape mode). */
static int has_second_statement(const char *s, size_t len, int no_backslash_escapes) {
    size_t i = 0;
    while ((i = skip_quoted_and_comments(s, len, i, no_backslash_escapes)) < len) {
        if (s[i] == ';') {
            size_t j = skip_blanks(s, len, i + 1, 0);
            if (j < len && s[j] != ';') return 1;
        }
        i++;
    }
    return 0;
}

/* 1 when one of `words` (upper case, NULL-terminated) appears as a word outside literals and
 * comments. EXPLAIN ANALYZE (and MatrixOne's EXPLAIN (ANALYZE ...)) runs the statement it
 * explains; SET GLOBAL, SELECT ... INTO OUTFILE and the like change something that outlives
 * the connection. */
static int mentions_word(const char *s, size_t len, int no_backslash_escapes,
                         const char *const *words) {
    size_t i = 0;
    while ((i = skip_quoted_and_comments(s, len, i, no_backslash_escapes)) < len) {
        if (is_alpha((unsigned char)s[i]) && (i == 0 || !is_word_char((unsigned char)s[i - 1]))) {
            char word[16];
            if (!read_keyword(s, len, &i, word, sizeof word)) continue;
            for (const char *const *w = words; *w; w++)
                if (strcmp(word, *w) == 0) return 1;
        } else {
            i++;
        }
    }
    return 0;
}

const char *mo_sql_fragment_problem(const char *s, size_t len, int no_backslash_escapes) {
    int depth = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = skip_quoted(s, len, i, no_backslash_escapes);
        if (j != i) {
            /* skip_quoted runs to the end when the literal is not closed; a closed one ends
             * with its quote character, not escaped. Re-scan to tell the two apart. */
            if (j == len) {
                size_t k = i + 1;
                int closed = 0;
                int backslash = s[i] != '`' && !no_backslash_escapes;
                while (k < len) {
                    if (backslash && s[k] == '\\') k += 2;
                    else if (s[k] == s[i] && k + 1 < len && s[k + 1] == s[i]) k += 2;
                    else if (s[k] == s[i]) { closed = k + 1 == len; break; }
                    else k++;
                }
                if (!closed) return "an unterminated quoted string or identifier";
            }
            i = j;
            continue;
        }
        j = skip_comment(s, len, i);
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

static int keyword_in(const char *kw, const char *const *list) {
    for (const char *const *k = list; *k; k++)
        if (strcmp(kw, *k) == 0) return 1;
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
    /* The server's escape mode is not known here, so both readings of the text must pass. */
    for (int nbe = 0; nbe <= 1; nbe++) {
        if (mentions_word(sql, len, nbe, writes)) return 0;
        if (is_explain && mentions_word(sql, len, nbe, explain_writes)) return 0;
        if (is_set && mentions_word(sql, len, nbe, set_writes)) return 0;
        /* With multi-statements a write could follow the first statement. */
        if (has_second_statement(sql, len, nbe)) return 0;
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
    for (int nbe = 0; nbe <= 1; nbe++)
        if (mentions_word(sql, len, nbe, commits) || has_second_statement(sql, len, nbe))
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
