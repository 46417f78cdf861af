/* tests/unit/test_sqltext_scan.c — the placeholder scan and the statement classification
 * (src/core/sqltext.c, whose walkers skip plain runs of bytes in bulk, and lex for a word
 * only when the raw text holds it) against the byte-at-a-time walkers they replaced, kept
 * below as the reference, on random statements built from the bytes and words that matter
 * to the lexer. */
#include "test_support.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ the reference scanner */


/* If a comment starts at s[i], the index just past it, else i. */
static size_t ref_skip_comment(const char *s, size_t len, size_t i) {
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
enum { ref_SQ_BACKSLASH = 1, ref_DQ_BACKSLASH = 2 };
static const int ref_readings[] = {
    ref_SQ_BACKSLASH | ref_DQ_BACKSLASH, /* the default mode */
    0,                           /* NO_BACKSLASH_ESCAPES (with or without ANSI_QUOTES) */
    ref_SQ_BACKSLASH,                /* ANSI_QUOTES: ".." is an identifier, '..' escapes */
};
enum { ref_READINGS = sizeof ref_readings / sizeof ref_readings[0] };

/* The number of ref_readings to check: 1 when no backslash can make them differ. */
static size_t ref_readings_for(const char *s, size_t len) {
    return len && memchr(s, '\\', len) ? ref_READINGS : 1;
}

/* The end of the quoted string or identifier opening at s[i] (' " or `) in a reading: the
 * index just past its closing quote (*closed = 1), or len when it is not closed (*closed = 0).
 * A doubled quote stands for itself; a backslash escapes where the reading says so. */
static size_t ref_quoted_end(const char *s, size_t len, size_t i, int reading, int *closed) {
    char q = s[i];
    int backslash = q == '\'' ? reading & ref_SQ_BACKSLASH : q == '"' ? reading & ref_DQ_BACKSLASH : 0;
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

static int ref_is_quote_char(char c) { return c == '\'' || c == '"' || c == '`'; }

/* If a string literal or quoted identifier starts at s[i], the index just past it, else i. */
static size_t ref_skip_quoted(const char *s, size_t len, size_t i, int reading) {
    int closed;
    return ref_is_quote_char(s[i]) ? ref_quoted_end(s, len, i, reading, &closed) : i;
}

/* The index of the next byte at or after i that is outside literals and comments. */
static size_t ref_skip_quoted_and_comments(const char *s, size_t len, size_t i, int reading) {
    while (i < len) {
        size_t j = ref_skip_quoted(s, len, i, reading);
        if (j == i) j = ref_skip_comment(s, len, i);
        if (j == i) break;
        i = j;
    }
    return i;
}

/* The next byte of `marks` at or after i (which is outside literals in this reading), or len. */
static size_t ref_next_mark(const char *s, size_t len, size_t i, int reading, const char *marks) {
    while ((i = ref_skip_quoted_and_comments(s, len, i, reading)) < len) {
        if (s[i] && strchr(marks, s[i])) return i;
        i++;
    }
    return len;
}

/* The ref_readings are walked in step: a mark counts only when every reading finds it at the
 * same place, so what mocore substitutes is what the server will take for a value whatever
 * its mode. Without a backslash in the text this is one scan. The next mark at or after i,
 * len at the end, MO_SQL_AMBIGUOUS when the ref_readings disagree. */
static size_t ref_next_mark_in_every_reading(const char *s, size_t len, size_t i, const char *marks) {
    size_t n = ref_readings_for(s, len);
    size_t at = ref_next_mark(s, len, i, ref_readings[0], marks);
    for (size_t r = 1; r < n; r++)
        if (ref_next_mark(s, len, i, ref_readings[r], marks) != at) return MO_SQL_AMBIGUOUS;
    return at;
}

static size_t ref_mo_sql_find_placeholders(const char *sql, size_t len, size_t *offsets, size_t max) {
    size_t count = 0;
    size_t i = 0;
    for (;;) {
        size_t at = ref_next_mark_in_every_reading(sql, len, i, "?");
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
static size_t ref_mo_sql_find_format_placeholders(const char *sql, size_t len, size_t *offsets,
                                       size_t *lengths, size_t max, size_t *qmarks) {
    size_t count = 0, questions = 0;
    size_t i = 0;
    for (;;) {
        size_t at = ref_next_mark_in_every_reading(sql, len, i, "%?");
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

static int ref_is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int ref_is_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int ref_is_word_char(unsigned char c) {
    return ref_is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* Skip whitespace and comments (and '(' when `parens`) from i. */
static size_t ref_skip_blanks(const char *s, size_t len, size_t i, int parens) {
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (ref_is_space(c) || (parens && c == '(')) {
            i++;
            continue;
        }
        size_t j = ref_skip_comment(s, len, i);
        if (j == i) break;
        i = j;
    }
    return i;
}

/* Read the keyword at s[*i] (a letter, then letters, digits and '_'), upper-cased into out,
 * and advance *i past it. 0 (out = "") when there is none or it does not fit. */
static size_t ref_read_keyword(const char *s, size_t len, size_t *i, char *out, size_t out_size) {
    size_t start = *i, n = 0;
    if (out_size > 0) out[0] = '\0';
    if (start >= len || !ref_is_alpha((unsigned char)s[start])) return 0;
    while (start + n < len && ref_is_word_char((unsigned char)s[start + n])) n++;
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

static size_t ref_mo_sql_first_keyword(const char *sql, size_t len, char *out, size_t out_size) {
    size_t i = ref_skip_blanks(sql, len, 0, 1);
    return ref_read_keyword(sql, len, &i, out, out_size);
}

/* 1 when a second statement follows a ';' (in the given reading). */
static int ref_has_second_statement(const char *s, size_t len, int reading) {
    size_t i = 0;
    while ((i = ref_skip_quoted_and_comments(s, len, i, reading)) < len) {
        if (s[i] == ';') {
            size_t j = ref_skip_blanks(s, len, i + 1, 0);
            if (j < len && s[j] != ';') return 1;
        }
        i++;
    }
    return 0;
}

/* 1 when one of `words` (upper case, NULL-terminated) appears as a word outside literals and
 * comments (in the given reading). EXPLAIN ANALYZE (and MatrixOne's EXPLAIN (ANALYZE ...))
 * runs the statement it explains; SET GLOBAL, SELECT ... INTO OUTFILE and the like change
 * something that outlives the connection. */
static int ref_mentions_word(const char *s, size_t len, int reading, const char *const *words) {
    size_t i = 0;
    while ((i = ref_skip_quoted_and_comments(s, len, i, reading)) < len) {
        if (ref_is_alpha((unsigned char)s[i]) && (i == 0 || !ref_is_word_char((unsigned char)s[i - 1]))) {
            char word[16];
            if (!ref_read_keyword(s, len, &i, word, sizeof word)) continue;
            for (const char *const *w = words; *w; w++)
                if (strcmp(word, *w) == 0) return 1;
        } else {
            i++;
        }
    }
    return 0;
}

static int ref_keyword_in(const char *kw, const char *const *list) {
    for (const char *const *k = list; *k; k++)
        if (strcmp(kw, *k) == 0) return 1;
    return 0;
}

static int ref_mo_sql_is_read_only(const char *sql, size_t len) {
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
    if (!ref_mo_sql_first_keyword(sql, len, kw, sizeof kw)) return 0;
    if (!ref_keyword_in(kw, read_only)) return 0;
    int is_explain = strcmp(kw, "EXPLAIN") == 0 || strncmp(kw, "DESC", 4) == 0;
    int is_set = strcmp(kw, "SET") == 0;
    /* The server's escape mode is not known here, so every reading of the text must pass. */
    size_t n = ref_readings_for(sql, len);
    for (size_t r = 0; r < n; r++) {
        if (ref_mentions_word(sql, len, ref_readings[r], writes)) return 0;
        if (is_explain && ref_mentions_word(sql, len, ref_readings[r], explain_writes)) return 0;
        if (is_set && ref_mentions_word(sql, len, ref_readings[r], set_writes)) return 0;
        /* With multi-statements a write could follow the first statement. */
        if (ref_has_second_statement(sql, len, ref_readings[r])) return 0;
    }
    return 1;
}

/* 1 when the statement is known to run inside the open transaction without committing it
 * (plain DML, savepoints, rollback): losing its answer loses the transaction, never commits
 * it. DDL, LOCK TABLES, SET autocommit, CALL (a procedure may COMMIT), LOAD and anything
 * unknown may commit implicitly. */
static int ref_keeps_transaction(const char *sql, size_t len) {
    static const char *const dml[] = {"SELECT", "INSERT", "UPDATE",   "DELETE", "REPLACE",
                                      "WITH",   "VALUES", "TABLE",    "SHOW",   "DESCRIBE",
                                      "DESC",   "EXPLAIN", "SAVEPOINT", "RELEASE", "ROLLBACK",
                                      NULL};
    static const char *const commits[] = {"OUTFILE", "DUMPFILE", "MO_CTL", NULL};
    char kw[16];
    if (!ref_mo_sql_first_keyword(sql, len, kw, sizeof kw) || !ref_keyword_in(kw, dml)) return 0;
    size_t n = ref_readings_for(sql, len);
    for (size_t r = 0; r < n; r++)
        if (ref_mentions_word(sql, len, ref_readings[r], commits) ||
            ref_has_second_statement(sql, len, ref_readings[r]))
            return 0;
    return 1;
}

static mo_answer_loss ref_mo_sql_answer_loss(const char *sql, size_t len, int in_transaction) {
    if (!sql) return MO_LOSS_UNKNOWN;
    int read_only = ref_mo_sql_is_read_only(sql, len);
    /* Inside a transaction every lost answer loses the transaction; the category says whether
     * it may have been committed on the way. */
    if (in_transaction)
        return read_only || ref_keeps_transaction(sql, len) ? MO_LOSS_ROLLED_BACK : MO_LOSS_UNKNOWN;
    return read_only ? MO_LOSS_READ_ONLY : MO_LOSS_UNKNOWN;
}

/* ------------------------------------------------------------------ the comparison */

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;
static uint64_t next_random(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Pieces a statement is made of: every byte the lexer treats specially, alone and in the
 * pairs that open comments, and plain runs. */
static const char *const pieces[] = {
    "'", "\"", "`", "\\", "?", "%", "%s", "%%", "%(a)s", "-", "--", "-- ", "--\t", "#", "/", "/*",
    "*/", "*", "\n", " ", "\t", "(", ")", "s", "a", "1", "e", ".", ",", "SELECT ", " FROM t ",
    "WHERE x = ", "\xc3\xa9", "\x80", "; ", "''", "\"\"", "\\'", "plain text of some length ",
};

static void same_placeholders(const char *sql, size_t len) {
    size_t got[64], want[64];
    size_t n = mo_sql_find_placeholders(sql, len, got, 64);
    size_t m = ref_mo_sql_find_placeholders(sql, len, want, 64);
    if (n != m) fail_msg("\"%.*s\": %zu placeholders, reference %zu", (int)len, sql, n, m);
    if (n != MO_SQL_AMBIGUOUS)
        for (size_t k = 0; k < n && k < 64; k++)
            if (got[k] != want[k]) fail_msg("\"%.*s\": placeholder %zu at %zu, reference %zu",
                                            (int)len, sql, k, got[k], want[k]);
    size_t got_len[64], want_len[64], got_q = 0, want_q = 0;
    n = mo_sql_find_format_placeholders(sql, len, got, got_len, 64, &got_q);
    m = ref_mo_sql_find_format_placeholders(sql, len, want, want_len, 64, &want_q);
    if (n != m || (n != MO_SQL_AMBIGUOUS && got_q != want_q))
        fail_msg("\"%.*s\": %zu format placeholders (%zu ?), reference %zu (%zu ?)", (int)len,
                 sql, n, got_q, m, want_q);
    if (n != MO_SQL_AMBIGUOUS)
        for (size_t k = 0; k < n && k < 64; k++)
            if (got[k] != want[k] || got_len[k] != want_len[k])
                fail_msg("\"%.*s\": format placeholder %zu differs", (int)len, sql, k);
}

static void scan_matches_the_byte_at_a_time_reference(void **state) {
    (void)state;
    char sql[512];
    for (int i = 0; i < 300000; i++) {
        size_t len = 0;
        int count = (int)(next_random() % 24);
        for (int k = 0; k < count; k++) {
            const char *piece = pieces[next_random() % (sizeof pieces / sizeof pieces[0])];
            size_t n = strlen(piece);
            if (len + n > sizeof sql) break;
            memcpy(sql + len, piece, n);
            len += n;
        }
        same_placeholders(sql, len);
        if (len) same_placeholders(sql, len - 1); /* cut anywhere, even inside a pair */
    }
}

/* The statement classes the walkers that skip in bulk decide (a second statement, a word
 * that writes), outside and inside a transaction. */
static void same_answer_loss(const char *sql, size_t len) {
    for (int in_transaction = 0; in_transaction <= 1; in_transaction++) {
        mo_answer_loss got = mo_sql_answer_loss(sql, len, in_transaction);
        mo_answer_loss want = ref_mo_sql_answer_loss(sql, len, in_transaction);
        if (got != want)
            fail_msg("\"%.*s\": answer loss %d, reference %d", (int)len, sql, (int)got,
                     (int)want);
    }
}

static const char *const statement_pieces[] = {
    "SELECT ", "INSERT ", "SET ", "EXPLAIN ", "DESC ", "WITH ", "into outfile ", "OUTFILE",
    "GLOBAL", "analyze", "autocommit", "MO_CTL", "x", "_", "1", "; ", ";", " ", "\n", "'", "\"",
    "`", "\\", "-- ", "--", "#", "/*", "*/", "(", ")", "a1b", "\xc3\xa9", "plain words here ",
    /* the words in other cases and glued to other bytes: the raw-text prefilter of the word
     * search must let every one through that the lexer reads */
    "dumpfile", "Mo_Ctl", "persist_only", "Role", "$", "/*!", "0x", "OUTFILE2",
};

static void classification_matches_the_byte_at_a_time_reference(void **state) {
    (void)state;
    char sql[512];
    for (int i = 0; i < 300000; i++) {
        size_t len = 0;
        int count = 1 + (int)(next_random() % 16);
        for (int k = 0; k < count; k++) {
            const char *piece = statement_pieces[next_random() % (sizeof statement_pieces /
                                                                  sizeof statement_pieces[0])];
            size_t n = strlen(piece);
            if (len + n > sizeof sql) break;
            memcpy(sql + len, piece, n);
            len += n;
        }
        same_answer_loss(sql, len);
        if (len) same_answer_loss(sql, len - 1);
    }
}

static void scan_of_empty_and_plain_text(void **state) {
    (void)state;
    same_placeholders("", 0);
    same_placeholders("SELECT 1", 8);
    same_placeholders("?", 1);
    same_placeholders("a\0?", 3); /* a NUL byte is plain text */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scan_of_empty_and_plain_text),
        cmocka_unit_test(scan_matches_the_byte_at_a_time_reference),
        cmocka_unit_test(classification_matches_the_byte_at_a_time_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
