/* tests/unit/test_sqltext_scan.c — the placeholder scan (src/core/sqltext.c, which skips
 * plain runs of bytes in bulk) against the byte-at-a-time scanner it replaced, kept below as
 * the reference, on random statements built from the bytes that matter to the lexer. */
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
