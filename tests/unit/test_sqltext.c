/* tests/unit/test_sqltext.c — identifier quoting, string literals, the placeholder lexer and
 * statement classification (src/core/sqltext.c), plus the byte buffer (src/core/buf.c). */
#include "test_support.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ helpers */

static size_t placeholders(const char *sql) {
    return mo_sql_find_placeholders(sql, strlen(sql), NULL, 0);
}

/* The string literal for s[0..len), checked against expected[0..expected_len). */
static void assert_literal(const char *s, size_t len, const char *charset,
                           const char *expected, size_t expected_len) {
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, s, len, MO_LITERAL_VALUE, charset);
    assert_true(mo_buf_ok(&b));
    assert_int_equal(b.len, expected_len);
    assert_memory_equal(b.data, expected, expected_len);
    mo_buf_free(&b);
}

static void assert_identifier(const char *name, const char *expected) {
    mo_buf b;
    mo_buf_init(&b);
    assert_int_equal(mo_sql_append_identifier(&b, name, "table name", "test.quote"), MO_OK);
    assert_string_equal(mo_buf_cstr(&b), expected);
    mo_buf_free(&b);
}

static void assert_identifier_rejected(const char *name, const char *message) {
    mo_buf b;
    mo_buf_init(&b);
    assert_int_equal(mo_sql_append_identifier(&b, name, "snapshot name", "snapshots.create"),
                     MO_E_INVALID_ARGUMENT);
    assert_int_equal(b.len, 0);
    const mo_error *e = mo_error_last();
    assert_non_null(e);
    assert_int_equal(mo_error_category(e), MO_E_INVALID_ARGUMENT);
    assert_string_equal(mo_error_message(e), message);
    assert_string_equal(mo_error_operation(e), "snapshots.create");
    mo_buf_free(&b);
}

static int read_only(const char *sql) { return mo_sql_is_read_only(sql, strlen(sql)); }

/* ------------------------------------------------------------------ buf */

static void buffer_grows_and_stays_nul_terminated(void **state) {
    mo_buf b;
    mo_buf_init(&b);
    assert_string_equal(mo_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++) mo_buf_append_str(&b, "abc");
    mo_buf_printf(&b, "%d-%s", 42, "x");
    assert_true(mo_buf_ok(&b));
    assert_int_equal(b.len, 3004);
    assert_string_equal(b.data + 2997, "abc42-x");
    size_t len = 0;
    char *s = mo_buf_detach(&b, &len);
    assert_int_equal(len, 3004);
    assert_int_equal(strlen(s), 3004);
    assert_int_equal(b.len, 0);
    assert_null(b.data);
    free(s);
}

static void buffer_printf_longer_than_the_stack_chunk(void **state) {
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    mo_buf b;
    mo_buf_init(&b);
    mo_buf_append_char(&b, '<');
    mo_buf_printf(&b, "%s>", big);
    assert_int_equal(b.len, 1001);
    assert_int_equal(b.data[1000], '>');
    assert_int_equal(b.data[1001], '\0');
    mo_buf_reset(&b);
    assert_string_equal(mo_buf_cstr(&b), "");
    mo_buf_free(&b);
}

static void detaching_an_empty_buffer_gives_an_empty_string(void **state) {
    mo_buf b;
    mo_buf_init(&b);
    size_t len = 99;
    char *s = mo_buf_detach(&b, &len);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
}

static void strndup_copies_exactly_n_bytes_including_nul(void **state) {
    char *s = mo_strndup("a\0b", 3);
    assert_memory_equal(s, "a\0b", 4);
    free(s);
    assert_null(mo_strdup(NULL));
    s = mo_strdup("xyz");
    assert_string_equal(s, "xyz");
    free(s);
}

/* ------------------------------------------------------------------ UTF-8 */

static void utf8_validation_accepts_well_formed_text(void **state) {
    const char *s = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80 \xe2\x82\xac \xf4\x8f\xbf\xbf";
    assert_true(mo_utf8_valid(s, strlen(s)));
    assert_true(mo_utf8_valid("a\0b", 3));
    assert_true(mo_utf8_valid(NULL, 0));
}

static void utf8_validation_rejects_malformed_text(void **state) {
    assert_false(mo_utf8_valid("\x80", 1));             /* lone continuation */
    assert_false(mo_utf8_valid("\xc3", 1));             /* truncated */
    assert_false(mo_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(mo_utf8_valid("\xe0\x80\xaf", 3));     /* overlong, 3 bytes */
    assert_false(mo_utf8_valid("\xed\xa0\x80", 3));     /* surrogate U+D800 */
    assert_false(mo_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(mo_utf8_valid("\xff", 1));
    assert_false(mo_utf8_valid("ok\xe2\x82", 4)); /* truncated at the end */
}

/* ------------------------------------------------------------------ identifiers */

static void identifiers_are_backtick_quoted(void **state) {
    assert_identifier("orders", "`orders`");
    assert_identifier("my table", "`my table`");
    assert_identifier("t\xc3\xa4" "ble", "`t\xc3\xa4" "ble`");
}

static void backticks_inside_identifiers_are_doubled(void **state) {
    assert_identifier("a`b", "`a``b`");
    assert_identifier("`", "````");
    assert_identifier("x`; DROP TABLE t; --", "`x``; DROP TABLE t; --`");
}

static void identifier_of_256_bytes_is_accepted(void **state) {
    char name[257];
    memset(name, 'n', 256);
    name[256] = '\0';
    mo_buf b;
    mo_buf_init(&b);
    assert_int_equal(mo_sql_append_identifier(&b, name, "account name", "t"), MO_OK);
    assert_int_equal(b.len, 258);
    mo_buf_free(&b);
}

static mo_status quote_as(const char *name, const char *what) {
    mo_buf b;
    mo_buf_init(&b);
    mo_status st = mo_sql_append_identifier(&b, name, what, "t");
    mo_buf_free(&b);
    return st;
}

static void schema_object_names_follow_the_servers_limits(void **state) {
    char ascii[66], accented[2 * 65 + 1];
    memset(ascii, 'n', 65);
    ascii[65] = '\0';
    for (int i = 0; i < 65; i++) memcpy(accented + 2 * i, "\xc3\xa9", 2); /* é */
    accented[2 * 65] = '\0';
    /* 64 characters are fine even as 128 bytes: characters are counted, not bytes. */
    assert_int_equal(quote_as(ascii + 1, "table name"), MO_OK);
    assert_int_equal(quote_as(accented + 2, "column name"), MO_OK);
    assert_int_equal(quote_as(ascii, "table name"), MO_E_INVALID_ARGUMENT);
    assert_string_equal(mo_error_message(mo_error_last()),
                        "invalid table name: 65 characters, longer than the 64 the server allows");
    assert_int_equal(quote_as(accented, "database name"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as(ascii, "source database"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as(ascii, "vector column name"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as(ascii, "index name"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as("t ", "table name"), MO_E_INVALID_ARGUMENT);
    assert_string_equal(mo_error_message(mo_error_last()),
                        "invalid table name: ends with a space (the server refuses it)");
    assert_int_equal(quote_as(" t", "table name"), MO_OK);
    assert_int_equal(quote_as("my table", "table name"), MO_OK);
}

static void matrixone_catalog_names_are_at_most_64_characters(void **state) {
    char name[66];
    memset(name, 's', 65);
    name[65] = '\0';
    /* MatrixOne would cut them to 64 silently: the object could not be found by its name. */
    assert_int_equal(quote_as(name, "snapshot name"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as(name, "publication name"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as(name, "stage name"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(quote_as(name + 1, "snapshot name"), MO_OK);
    assert_int_equal(quote_as("s ", "snapshot name"), MO_OK);
}

static void other_names_keep_their_own_rules(void **state) {
    char longer[81];
    memset(longer, 'u', 80);
    longer[80] = '\0';
    /* MariaDB takes 80-character user names and longer role and savepoint names; MatrixOne
     * accounts, snapshots, stages have rules of their own: only the byte bound applies. */
    assert_int_equal(quote_as(longer, "user name"), MO_OK);
    assert_int_equal(quote_as(longer, "role name"), MO_OK);
    assert_int_equal(quote_as(longer, "savepoint name"), MO_OK);
    assert_int_equal(quote_as(longer, "PITR name"), MO_OK);
    assert_int_equal(quote_as(longer, "task name"), MO_OK);
    assert_int_equal(quote_as("u ", "user name"), MO_OK);
    assert_int_equal(quote_as("tablename", "account name"), MO_OK);
}

static void characters_outside_the_bmp_are_rejected_in_every_name(void **state) {
    const char *emoji = "t\xf0\x9f\x98\x80"; /* t😀 */
    const char *const whats[] = {"table name", "user name", "snapshot name", "savepoint name"};
    for (size_t i = 0; i < sizeof whats / sizeof whats[0]; i++) {
        assert_int_equal(quote_as(emoji, whats[i]), MO_E_INVALID_ARGUMENT);
        assert_non_null(strstr(mo_error_message(mo_error_last()), "Basic Multilingual Plane"));
    }
    assert_int_equal(quote_as("t\xe2\x82\xac", "table name"), MO_OK); /* € is 3 bytes */
}

static void bad_identifiers_are_rejected_naming_what(void **state) {
    char name[258];
    memset(name, 'n', 257);
    name[257] = '\0';
    assert_identifier_rejected(NULL, "invalid snapshot name: NULL");
    assert_identifier_rejected("", "invalid snapshot name: empty");
    assert_identifier_rejected(name, "invalid snapshot name: longer than 256 bytes");
    assert_identifier_rejected("bad\xff", "invalid snapshot name: not valid UTF-8");
}

/* ------------------------------------------------------------------ string literals */

/* What a server reads back from a literal mocore wrote, in either escape mode: the text
 * between the quotes with '' read as ' (and, in the default mode, \x read as an escape), or
 * the bytes of a hex literal behind an introducer. Returns 0 when the literal is not one
 * whole literal in that mode (what would let a value end the string early). */
static int read_back(const char *lit, size_t n, int backslash_escapes, char *out, size_t *out_len) {
    size_t i = 0, o = 0;
    if (lit[0] == '_') {
        while (i < n && lit[i] != ' ') i++;
        if (i + 3 > n || lit[i + 1] != 'X' || lit[i + 2] != '\'' || lit[n - 1] != '\'') return 0;
        for (size_t k = i + 3; k + 1 < n - 0 && lit[k] != '\''; k += 2) {
            unsigned v;
            if (sscanf(lit + k, "%2x", &v) != 1) return 0;
            out[o++] = (char)v;
        }
        *out_len = o;
        return 1;
    }
    if (n < 2 || lit[0] != '\'') return 0;
    for (i = 1; i < n; i++) {
        if (backslash_escapes && lit[i] == '\\') return 0; /* mocore never writes one */
        if (lit[i] == '\'') {
            if (i + 1 < n && lit[i + 1] == '\'') {
                out[o++] = '\'';
                i++;
                continue;
            }
            *out_len = o;
            return i == n - 1; /* the closing quote is the last byte */
        }
        out[o++] = lit[i];
    }
    return 0;
}

static void assert_round_trip(const char *s, size_t len) {
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, s, len, MO_LITERAL_VALUE, NULL);
    assert_true(mo_buf_ok(&b));
    assert_null(memchr(b.data, '\\', b.len));
    for (int mode = 0; mode <= 1; mode++) {
        char out[256];
        size_t out_len = 0;
        assert_true(read_back(b.data, b.len, mode, out, &out_len));
        assert_int_equal(out_len, len);
        assert_memory_equal(out, s, len);
    }
    mo_buf_free(&b);
}

static void string_literal_doubles_quotes_and_writes_no_backslash(void **state) {
    const char in[] = "it's \"q\"\nnew\rline";
    const char out[] = "'it''s \"q\"\nnew\rline'";
    assert_literal(in, sizeof in - 1, NULL, out, sizeof out - 1);
    /* quotes first, last and side by side; nothing at all */
    assert_literal("'", 1, NULL, "''''", 4);
    assert_literal("''x'", 4, NULL, "'''''x'''", 9);
    assert_literal("", 0, NULL, "''", 2);
    /* a long value: the backslash last, the quote first */
    char long_value[80];
    memset(long_value, 'a', sizeof long_value);
    long_value[79] = '\\';
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, long_value, sizeof long_value, MO_LITERAL_VALUE, NULL);
    assert_true(mo_buf_ok(&b));
    assert_int_equal(b.len, strlen("_utf8mb4 X''") + 2 * sizeof long_value);
    assert_memory_equal(b.data + b.len - 3, "5C'", 3);
    mo_buf_free(&b);
    long_value[79] = 'a';
    long_value[0] = '\'';
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, long_value, sizeof long_value, MO_LITERAL_VALUE, NULL);
    assert_int_equal(b.len, sizeof long_value + 3);
    assert_memory_equal(b.data, "'''aa", 5);
    mo_buf_free(&b);
}

static void value_with_a_backslash_nul_or_ctrl_z_is_a_hex_literal_with_introducer(void **state) {
    assert_literal("a\\b", 3, NULL, "_utf8mb4 X'615C62'", 18);
    assert_literal("a\0b", 3, NULL, "_utf8mb4 X'610062'", 18);
    assert_literal("a\x1a" "b", 3, NULL, "_utf8mb4 X'611A62'", 18);
    /* the introducer is the connection's client character set, or none */
    assert_literal("\\", 1, "latin1", "_latin1 X'5C'", 13);
    assert_literal("\\", 1, MO_SQL_NO_INTRODUCER, "CAST(X'5C' AS CHAR)", 19);
}

static void gbk_injection_payload_is_a_hex_literal(void **state) {
    /* 你' OR 1=1 -- with a backslash before the quote: once escaped as E4 BD A0 5C 27, which
     * GBK reads as [E4 BD][A0 5C] ' so the quote ended the string. */
    const char in[] = "\xe4\xbd\xa0\\' OR 1=1 -- ";
    const char out[] = "_utf8mb4 X'E4BDA05C27204F5220313D31202D2D20'";
    assert_literal(in, sizeof in - 1, NULL, out, sizeof out - 1);
    /* without the backslash the quote is doubled: 0x27 is never a second byte of a character */
    const char in2[] = "\xe4\xbd\xa0' OR 1=1 -- ";
    const char out2[] = "'\xe4\xbd\xa0'' OR 1=1 -- '";
    assert_literal(in2, sizeof in2 - 1, NULL, out2, sizeof out2 - 1);
}

static void rendered_literals_read_back_exactly_in_both_escape_modes(void **state) {
    static const char *const values[] = {"", "'", "''", "\\", "\\'", "'\\", "a\\'b", "\\\\''",
                                         "x' OR '1'='1", "\xe4\xbd\xa0' OR 1=1 -- ",
                                         "\xe4\xbd\xa0\\' OR 1=1 -- ", "\"", "`", "-- ", "/*"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        assert_round_trip(values[i], strlen(values[i]));
    const char nul[] = "a\0'\\\x1a";
    assert_round_trip(nul, sizeof nul - 1);
    /* every byte value, one at a time and next to a quote */
    for (int c = 0; c < 256; c++) {
        char one[3] = {(char)c, '\'', (char)c};
        assert_round_trip(one, 1);
        assert_round_trip(one, 3);
    }
}

/* The quoted form (manager positions that take only a quoted string): read with backslash
 * escapes it is the value; read without, it still ends at its last byte. */
static void quoted_form_ends_where_written_in_both_modes(void **state) {
    for (int c = 0; c < 256; c++) {
        const char v[4] = {(char)c, '\'', '\\', (char)c};
        for (size_t len = 1; len <= 4; len++) {
            mo_buf b;
            mo_buf_init(&b);
            mo_sql_append_string_literal(&b, v, len, MO_LITERAL_QUOTED, NULL);
            /* no backslash escapes: only '' pairs, and the first lone quote is the last byte */
            size_t i = 1;
            while (i < b.len && !(b.data[i] == '\'' && !(i + 1 < b.len && b.data[i + 1] == '\'')))
                i += b.data[i] == '\'' ? 2 : 1;
            assert_int_equal(i, b.len - 1);
            /* backslash escapes: \x pairs and '' pairs, then the last byte */
            i = 1;
            while (i < b.len && !(b.data[i] == '\'' && !(i + 1 < b.len && b.data[i + 1] == '\'')))
                i += b.data[i] == '\'' || b.data[i] == '\\' ? 2 : 1;
            assert_int_equal(i, b.len - 1);
            mo_buf_free(&b);
        }
    }
}

static void empty_string_literal_is_two_quotes(void **state) {
    assert_literal("", 0, NULL, "''", 2);
    assert_literal(NULL, 0, NULL, "''", 2);
}

static void multibyte_text_passes_through_unchanged(void **state) {
    const char *s = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80";
    const char *q = "'h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80'";
    assert_literal(s, strlen(s), NULL, q, strlen(q));
}

static void hex_literal_covers_every_byte_value(void **state) {
    unsigned char bytes[256];
    for (int i = 0; i < 256; i++) bytes[i] = (unsigned char)i;
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_hex_literal(&b, bytes, sizeof bytes);
    assert_int_equal(b.len, 3 + 512);
    assert_memory_equal(b.data, "X'000102", 8);
    assert_string_equal(b.data + b.len - 7, "FDFEFF'");
    mo_buf_reset(&b);
    mo_sql_append_hex_literal(&b, NULL, 0);
    assert_string_equal(mo_buf_cstr(&b), "X''");
    mo_buf_free(&b);
}

/* ------------------------------------------------------------------ placeholders */

static void bare_question_marks_are_placeholders(void **state) {
    assert_int_equal(placeholders("SELECT ?, ?, ?"), 3);
    assert_int_equal(placeholders("SELECT 1"), 0);
    assert_int_equal(placeholders("??"), 2);
    assert_int_equal(placeholders(""), 0);
}

static void placeholder_offsets_are_reported(void **state) {
    const char *sql = "a ? 'b?' ?";
    size_t off[4];
    assert_int_equal(mo_sql_find_placeholders(sql, strlen(sql), off, 4), 2);
    assert_int_equal(off[0], 2);
    assert_int_equal(off[1], 9);
    /* Only `max` offsets are written, but every placeholder is counted. */
    size_t one[1];
    assert_int_equal(mo_sql_find_placeholders(sql, strlen(sql), one, 1), 2);
    assert_int_equal(one[0], 2);
}

static void question_mark_inside_single_quotes_is_not_a_placeholder(void **state) {
    assert_int_equal(placeholders("SELECT '?', ?"), 1);
}

static void question_mark_inside_double_quotes_is_not_a_placeholder(void **state) {
    assert_int_equal(placeholders("SELECT \"?\", ?"), 1);
}

static void question_mark_inside_backticks_is_not_a_placeholder(void **state) {
    assert_int_equal(placeholders("SELECT `a?b` FROM t WHERE x = ?"), 1);
}

static void doubled_backtick_does_not_end_a_quoted_identifier(void **state) {
    assert_int_equal(placeholders("SELECT `a``?` , ?"), 1);
}

static void doubled_single_quote_does_not_end_a_literal(void **state) {
    assert_int_equal(placeholders("SELECT 'it''s ?', ?"), 1);
    assert_int_equal(placeholders("SELECT 'it''s ?', ?"), 1);
}

static void doubled_double_quote_does_not_end_a_literal(void **state) {
    assert_int_equal(placeholders("SELECT \"say \"\"?\"\"\", ?"), 1);
}

static void placeholders_that_depend_on_the_escape_mode_are_ambiguous(void **state) {
    /* 'a\'?' is one literal when backslashes escape; under NO_BACKSLASH_ESCAPES 'a\' ends
     * and ? is a placeholder: substituting on a guess could put a value where SQL is read. */
    assert_int_equal(placeholders("SELECT 'a\\'?'"), MO_SQL_AMBIGUOUS);
    assert_int_equal(placeholders("SELECT '\\' , ?"), MO_SQL_AMBIGUOUS);
    /* ANSI_QUOTES: ".." is an identifier, where a backslash does not escape */
    assert_int_equal(placeholders("SELECT \"a\\\" , ?, '\\''"), MO_SQL_AMBIGUOUS);
}

static void backslashes_that_mean_the_same_in_every_mode_are_fine(void **state) {
    assert_int_equal(placeholders("SELECT 'a\\b', ?"), 1);
    assert_int_equal(placeholders("SELECT ?, 'C:\\\\dir'"), 1);
    assert_int_equal(placeholders("SELECT ? -- it\\'s\n, ?"), 2);
    size_t off[2];
    const char *sql = "SELECT '\\n', ? , \"x\\y\" , ?";
    assert_int_equal(mo_sql_find_placeholders(sql, strlen(sql), off, 2), 2);
    assert_int_equal(off[0], 13);
    assert_int_equal(off[1], 25);
}

static void fragment_must_be_closed_in_every_reading(void **state) {
    /* closed with backslash escapes, but under NO_BACKSLASH_ESCAPES 'a\' ends early and the
     * rest runs into an open literal */
    assert_string_equal(mo_sql_fragment_problem("x = 'a\\' OR 1=1 OR 'b'", 22, 1),
                        "an unterminated quoted string or identifier");
    assert_string_equal(mo_sql_fragment_problem("x = 'a\\''", 9, 1),
                        "an unterminated quoted string or identifier");
    assert_null(mo_sql_fragment_problem("x = 'a\\b' AND (y = 1)", 21, 1));
    assert_null(mo_sql_fragment_problem("x = 1", 5, 1));
}

static void fragment_must_not_hide_code_in_an_executable_comment(void **state) {
    /* the server runs the body of slash-star-bang: a ')' in it would leave the parentheses */
    assert_string_equal(mo_sql_fragment_problem("1 /*! ) OR (1 */", 16, 1), "an executable comment");
    assert_string_equal(mo_sql_fragment_problem("1 /*M!100000 ) */", 17, 1), "an executable comment");
    assert_string_equal(mo_sql_fragment_problem("1 /*!", 5, 1), "an executable comment");
    assert_null(mo_sql_fragment_problem("1 /* ) plain */", 15, 1));
    assert_string_equal(mo_sql_fragment_problem("1 -- c", 6, 1), "an unterminated comment");
    assert_null(mo_sql_fragment_problem("1 -- c\n", 7, 1));
    /* without comments (a LOAD DATA SET expression): any comment, closed or not */
    assert_string_equal(mo_sql_fragment_problem("1 /* plain */", 13, 0), "a comment");
    assert_string_equal(mo_sql_fragment_problem("1 -- c\n", 7, 0), "a comment");
    assert_string_equal(mo_sql_fragment_problem("1 # c\n", 6, 0), "a comment");
    const char *quoted = "CONCAT('/*', \"--\", `#`)"; /* comment marks inside quotes */
    assert_null(mo_sql_fragment_problem(quoted, strlen(quoted), 0));
}

static void quoted_end_reads_the_default_way_and_says_whether_it_closed(void **state) {
    int closed = -1;
    const char *s = "'it''s' x";
    assert_int_equal(mo_sql_quoted_end(s, strlen(s), 0, &closed), 7);
    assert_int_equal(closed, 1);
    s = "'a\\'b' x"; /* 'a\'b' : the backslash escapes the quote */
    assert_int_equal(mo_sql_quoted_end(s, strlen(s), 0, &closed), 6);
    assert_int_equal(closed, 1);
    s = "`a\\` x"; /* no escapes in backticks */
    assert_int_equal(mo_sql_quoted_end(s, strlen(s), 0, &closed), 4);
    assert_int_equal(closed, 1);
    s = "\"open";
    assert_int_equal(mo_sql_quoted_end(s, strlen(s), 0, &closed), strlen(s));
    assert_int_equal(closed, 0);
    s = "x'";
    assert_int_equal(mo_sql_quoted_end(s, strlen(s), 0, &closed), 0); /* no quote opens at 0 */
    assert_int_equal(closed, 0);
    assert_int_equal(mo_sql_quoted_end(s, strlen(s), 1, NULL), 2);
}

static void find_word_skips_literals_comments_and_longer_words(void **state) {
    const char *s = "GRANT SELECT(`on`, 'to on') ON /* ON */ `db`.* TO `u`@`%`";
    size_t n = strlen(s);
    size_t on = mo_sql_find_word(s, n, 0, "ON");
    assert_int_equal(on, 28);
    assert_int_equal(mo_sql_find_word(s, n, on, "TO"), 47);
    assert_int_equal(mo_sql_find_word("ONTO DONE", 9, 0, "ON"), 9);
    assert_int_equal(mo_sql_find_word("x on", 4, 0, "ON"), 2);
}

/* The placeholder after AGAINST( is the fulltext search string (params.c refuses some values
 * there on MatrixOne): any case and blanks count; a longer identifier does not. */
static void against_operand_is_the_placeholder_after_the_keyword_and_paren(void **state) {
    static const struct { const char *sql; int yes; } cases[] = {
        { "MATCH(a) AGAINST(?)", 1 },        { "match(a) against ( \t\n?)", 1 },
        { "AGAINST(?", 1 },                  { "x AGAINST\f(?", 1 },
        { "MATCH(a) XAGAINST(?)", 0 },       { "$AGAINST(?", 0 },
        { "AGAINST ?", 0 },                  { "GAINST(?", 0 },
        { "(?", 0 },                         { "?", 0 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *q = strchr(cases[k].sql, '?');
        assert_int_equal(mo_sql_is_against_operand(cases[k].sql, (size_t)(q - cases[k].sql)),
                         cases[k].yes);
    }
}

static void backslash_does_not_escape_inside_backticks(void **state) {
    assert_int_equal(placeholders("SELECT `a\\` , ?"), 1);
}

static void dash_dash_space_comment_hides_placeholders_to_end_of_line(void **state) {
    assert_int_equal(placeholders("SELECT ? -- what?\n, ?"), 2);
    assert_int_equal(placeholders("SELECT ? --\twhat?"), 1);
    assert_int_equal(placeholders("SELECT ? --\n?"), 2);
    assert_int_equal(placeholders("SELECT ? --"), 1);
}

static void dash_dash_without_whitespace_is_not_a_comment(void **state) {
    assert_int_equal(placeholders("SELECT 1--x ?"), 1);
    assert_int_equal(placeholders("SELECT 1--?"), 1);
}

static void hash_comment_hides_placeholders_to_end_of_line(void **state) {
    assert_int_equal(placeholders("SELECT ? # why?\n + ?"), 2);
    assert_int_equal(placeholders("SELECT ? #?"), 1);
}

static void block_comment_hides_placeholders(void **state) {
    assert_int_equal(placeholders("SELECT /* ? */ ?"), 1);
    assert_int_equal(placeholders("SELECT /* a /* ? */ ?"), 1); /* comments do not nest */
    assert_int_equal(placeholders("SELECT /*/ ? */ ?"), 1);     /* slash-star-slash is open */
}

static void unterminated_literal_or_comment_runs_to_the_end(void **state) {
    assert_int_equal(placeholders("SELECT ?, 'abc ?"), 1);
    assert_int_equal(placeholders("SELECT ?, \"abc ?"), 1);
    assert_int_equal(placeholders("SELECT ?, `abc ?"), 1);
    assert_int_equal(placeholders("SELECT ? /* ?"), 1);
    assert_int_equal(placeholders("SELECT ? '\\"), 1);
}

static void comment_markers_inside_literals_are_text(void **state) {
    assert_int_equal(placeholders("SELECT '-- ', ?"), 1);
    assert_int_equal(placeholders("SELECT '#', ?"), 1);
    assert_int_equal(placeholders("SELECT '/*', ?, '*/'"), 1);
}

static void quotes_inside_comments_do_not_open_literals(void **state) {
    assert_int_equal(placeholders("SELECT ? /* it's */ , ?"), 2);
    assert_int_equal(placeholders("SELECT ? -- it's\n, ?"), 2);
}

static void nul_bytes_and_newlines_do_not_confuse_the_lexer(void **state) {
    const char sql[] = "SELECT '\0?', ?\n, \"\n?\"";
    assert_int_equal(mo_sql_find_placeholders(sql, sizeof sql - 1, NULL, 0), 1);
}

/* ------------------------------------------------------------------ client character sets */

static void unsafe_client_charsets_are_known(void **state) {
    static const char *const unsafe[] = {"gbk", "GBK", "big5", "sjis", "cp932", "gb18030", "", "utf16", "nonsense"};
    static const char *const safe[] = {"utf8mb4", "UTF8MB4", "utf8mb3", "utf8", "latin1", "ascii", "binary", "euckr", "ujis", "gb2312"};
    for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
        assert_false(mo_sql_charset_is_safe(unsafe[i], strlen(unsafe[i])));
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
        assert_true(mo_sql_charset_is_safe(safe[i], strlen(safe[i])));
}

static const char *unsafe_change(const char *sql) {
    static char name[32];
    return mo_sql_unsafe_charset_change(sql, strlen(sql), name, sizeof name) ==
                   MO_SQL_SET_UNSAFE_CHARSET
               ? name
               : NULL;
}

static void set_statements_to_unsafe_charsets_are_found(void **state) {
    assert_string_equal(unsafe_change("SET NAMES gbk"), "gbk");
    assert_string_equal(unsafe_change("set names 'big5' collate big5_bin"), "big5");
    assert_string_equal(unsafe_change("SET CHARACTER SET sjis"), "sjis");
    assert_string_equal(unsafe_change("SET CHARSET \"cp932\""), "cp932");
    assert_string_equal(unsafe_change("SET character_set_client = gb18030"), "gb18030");
    assert_string_equal(unsafe_change("SET @@session.character_set_client:=`gbk`"), "gbk");
    assert_string_equal(unsafe_change("SET SESSION character_set_client=gbk"), "gbk");
    assert_string_equal(unsafe_change("SET @@character_set_client = _utf8mb4'gbk'"), "gbk");
    assert_string_equal(unsafe_change("SET autocommit = 1, NAMES gbk"), "gbk");
    assert_string_equal(unsafe_change("/*!40101 SET NAMES gbk */"), "gbk");
    assert_string_equal(unsafe_change("/*M!100000 SET NAMES gbk */"), "gbk");
    assert_string_equal(unsafe_change("  -- c\n SET /* x */ NAMES gbk"), "gbk");
    assert_null(unsafe_change("SET NAMES utf8mb4"));
    assert_null(unsafe_change("SET NAMES latin1"));
    assert_null(unsafe_change("SET NAMES DEFAULT"));
    assert_null(unsafe_change("SET character_set_client = @cs"));
    assert_null(unsafe_change("SET character_set_results = gbk")); /* lexing is by the client set */
    assert_null(unsafe_change("SELECT names FROM t"));
    assert_null(unsafe_change("SET @names = 'gbk'"));
    assert_null(unsafe_change("SET @x = (SELECT names FROM t)"));
    assert_null(unsafe_change("SELECT 'SET NAMES gbk'"));
    assert_null(unsafe_change("/* SET NAMES gbk */ SELECT 1"));
    assert_null(unsafe_change(""));
}

static void turning_charset_tracking_off_is_found(void **state) {
    char name[64];
    static const char *const off[] = {
        "SET session_track_system_variables = ''",
        "SET @@session.session_track_system_variables = 'autocommit,time_zone'",
        "SET GLOBAL session_track_system_variables = ''",
        "/*!50000 SET session_track_system_variables = 'time_zone' */"};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
        assert_int_equal(mo_sql_unsafe_charset_change(off[i], strlen(off[i]), name, sizeof name),
                         MO_SQL_SET_UNTRACKED);
    static const char *const on[] = {
        "SET session_track_system_variables = 'autocommit,character_set_client'",
        "SET session_track_system_variables = '*'",
        "SET session_track_system_variables = DEFAULT",
        "SELECT @@session_track_system_variables"};
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++)
        assert_int_equal(mo_sql_unsafe_charset_change(on[i], strlen(on[i]), name, sizeof name), 0);
}

/* ------------------------------------------------------------------ statement kind */

static void first_keyword_is_upper_cased(void **state) {
    char kw[16];
    const char *sql = "  /* hint */ -- c\n # c\n ((select 1))";
    assert_int_equal(mo_sql_first_keyword(sql, strlen(sql), kw, sizeof kw), 6);
    assert_string_equal(kw, "SELECT");
    assert_int_equal(mo_sql_first_keyword("  ", 2, kw, sizeof kw), 0);
    assert_string_equal(kw, "");
}

static void first_keyword_that_does_not_fit_is_not_truncated(void **state) {
    char kw[7];
    assert_int_equal(mo_sql_first_keyword("SELECTED", 8, kw, sizeof kw), 0);
    assert_int_equal(mo_sql_first_keyword("SELECT", 6, kw, sizeof kw), 6);
}

static void queries_are_read_only(void **state) {
    assert_true(read_only("SELECT * FROM t"));
    assert_true(read_only("select 1"));
    assert_true(read_only("  (SELECT 1) UNION (SELECT 2)"));
    assert_true(read_only("/* c */ SHOW TABLES"));
    assert_true(read_only("DESCRIBE t"));
    assert_true(read_only("desc t"));
    assert_true(read_only("EXPLAIN SELECT 1"));
    assert_true(read_only("HELP 'x'"));
    assert_true(read_only("USE db"));
    assert_true(read_only("SET @a = 1"));
    assert_true(read_only("DO 1"));
    assert_true(read_only("VALUES ROW(1)"));
    assert_true(read_only("TABLE t"));
    assert_true(read_only("SELECT * FROM t FOR UPDATE"));
    assert_true(read_only("SELECT 1;"));
    assert_true(read_only("SELECT ';DELETE FROM t'"));
}

static void writes_and_transaction_control_are_not_read_only(void **state) {
    assert_false(read_only("INSERT INTO t VALUES (1)"));
    assert_false(read_only("UPDATE t SET a = 1"));
    assert_false(read_only("DELETE FROM t"));
    assert_false(read_only("WITH x AS (SELECT 1) DELETE FROM t"));
    assert_false(read_only("WITH x AS (SELECT 1) SELECT * FROM x"));
    assert_false(read_only("BEGIN"));
    assert_false(read_only("START TRANSACTION"));
    assert_false(read_only("COMMIT"));
    assert_false(read_only("ROLLBACK"));
    assert_false(read_only("SAVEPOINT s"));
    assert_false(read_only("RELEASE SAVEPOINT s"));
    assert_false(read_only("CREATE TABLE t (a INT)"));
    assert_false(read_only("CALL p()"));
    assert_false(read_only(""));
    assert_false(read_only("-- only a comment"));
    assert_false(read_only("SELECTX 1"));
}

static void explain_analyze_runs_the_statement_so_is_not_read_only(void **state) {
    assert_false(read_only("EXPLAIN ANALYZE SELECT 1"));
    assert_false(read_only("explain (analyze true) INSERT INTO t VALUES (1)"));
    assert_false(read_only("DESC ANALYZE DELETE FROM t"));
    assert_true(read_only("EXPLAIN SELECT 'analyze'"));
}

static void statements_that_outlive_the_connection_are_not_read_only(void **state) {
    assert_false(read_only("SET GLOBAL max_connections = 10"));
    assert_false(read_only("SET @@global.max_connections = 10"));
    assert_false(read_only("SET @a = 1, PERSIST x = 2"));
    assert_false(read_only("SET PASSWORD FOR u = PASSWORD('x')"));
    assert_false(read_only("SET DEFAULT ROLE r TO u"));
    assert_false(read_only("SET autocommit = 1"));
    assert_false(read_only("SELECT * FROM t INTO OUTFILE '/tmp/x'"));
    assert_false(read_only("SELECT 1 INTO DUMPFILE '/tmp/x'"));
    assert_false(read_only("select mo_ctl('dn', 'flush', 'db.t')"));
    /* The words count only as words, outside literals and comments. */
    assert_true(read_only("SET @a = 'GLOBAL'"));
    assert_true(read_only("SET SESSION sql_mode = 'ANSI' /* global */"));
    assert_true(read_only("SELECT password, role FROM users"));
    assert_true(read_only("SELECT 'into outfile'"));
}

static mo_answer_loss loss(const char *sql, int in_transaction) {
    return mo_sql_answer_loss(sql, strlen(sql), in_transaction);
}

static void a_lost_answer_is_classified_by_what_the_statement_may_have_done(void **state) {
    /* Autocommit: a read-only statement changed nothing; anything else may have committed. */
    assert_int_equal(loss("SELECT SLEEP(3)", 0), MO_LOSS_READ_ONLY);
    assert_int_equal(loss("UPDATE t SET v = v + 1", 0), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("CREATE SNAPSHOT s FOR ACCOUNT", 0), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("SET GLOBAL x = 1", 0), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("COMMIT", 0), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("", 0), MO_LOSS_UNKNOWN);
    /* Inside a transaction: DML and reads lose the transaction (rolled back)... */
    assert_int_equal(loss("SELECT 1", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("INSERT INTO t VALUES (1)", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("update t set v = 1", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("DELETE FROM t", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("REPLACE INTO t VALUES (1)", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("WITH x AS (SELECT 1) DELETE FROM t", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("SAVEPOINT a", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("ROLLBACK TO SAVEPOINT a", 1), MO_LOSS_ROLLED_BACK);
    assert_int_equal(loss("SET @a = 1", 1), MO_LOSS_ROLLED_BACK);
    /* ...what may commit implicitly leaves the outcome unknown. */
    assert_int_equal(loss("CREATE TABLE t (a INT)", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("DROP TABLE t", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("ALTER TABLE t ADD b INT", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("TRUNCATE t", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("COMMIT", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("CALL p()", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("LOCK TABLES t WRITE", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("SET autocommit = 1", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("LOAD DATA INFILE 'x' INTO TABLE t", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("SELECT * FROM t INTO OUTFILE '/tmp/x'", 1), MO_LOSS_UNKNOWN);
    assert_int_equal(loss("INSERT INTO t VALUES (1); CREATE TABLE u (a INT)", 1), MO_LOSS_UNKNOWN);
}

static void a_second_statement_makes_the_text_not_read_only(void **state) {
    assert_false(read_only("SELECT 1; DELETE FROM t"));
    /* Read without backslash escapes, 'a\' ends before ;DELETE. */
    assert_false(read_only("SELECT 'a\\';DELETE FROM t -- '"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffer_grows_and_stays_nul_terminated),
        cmocka_unit_test(buffer_printf_longer_than_the_stack_chunk),
        cmocka_unit_test(detaching_an_empty_buffer_gives_an_empty_string),
        cmocka_unit_test(strndup_copies_exactly_n_bytes_including_nul),
        cmocka_unit_test(utf8_validation_accepts_well_formed_text),
        cmocka_unit_test(utf8_validation_rejects_malformed_text),
        cmocka_unit_test(identifiers_are_backtick_quoted),
        cmocka_unit_test(backticks_inside_identifiers_are_doubled),
        cmocka_unit_test(identifier_of_256_bytes_is_accepted),
        cmocka_unit_test(schema_object_names_follow_the_servers_limits),
        cmocka_unit_test(matrixone_catalog_names_are_at_most_64_characters),
        cmocka_unit_test(other_names_keep_their_own_rules),
        cmocka_unit_test(characters_outside_the_bmp_are_rejected_in_every_name),
        cmocka_unit_test(bad_identifiers_are_rejected_naming_what),
        cmocka_unit_test(string_literal_doubles_quotes_and_writes_no_backslash),
        cmocka_unit_test(value_with_a_backslash_nul_or_ctrl_z_is_a_hex_literal_with_introducer),
        cmocka_unit_test(gbk_injection_payload_is_a_hex_literal),
        cmocka_unit_test(rendered_literals_read_back_exactly_in_both_escape_modes),
        cmocka_unit_test(quoted_form_ends_where_written_in_both_modes),
        cmocka_unit_test(empty_string_literal_is_two_quotes),
        cmocka_unit_test(multibyte_text_passes_through_unchanged),
        cmocka_unit_test(hex_literal_covers_every_byte_value),
        cmocka_unit_test(bare_question_marks_are_placeholders),
        cmocka_unit_test(placeholder_offsets_are_reported),
        cmocka_unit_test(question_mark_inside_single_quotes_is_not_a_placeholder),
        cmocka_unit_test(question_mark_inside_double_quotes_is_not_a_placeholder),
        cmocka_unit_test(question_mark_inside_backticks_is_not_a_placeholder),
        cmocka_unit_test(doubled_backtick_does_not_end_a_quoted_identifier),
        cmocka_unit_test(doubled_single_quote_does_not_end_a_literal),
        cmocka_unit_test(doubled_double_quote_does_not_end_a_literal),
        cmocka_unit_test(placeholders_that_depend_on_the_escape_mode_are_ambiguous),
        cmocka_unit_test(backslashes_that_mean_the_same_in_every_mode_are_fine),
        cmocka_unit_test(fragment_must_be_closed_in_every_reading),
        cmocka_unit_test(unsafe_client_charsets_are_known),
        cmocka_unit_test(set_statements_to_unsafe_charsets_are_found),
        cmocka_unit_test(turning_charset_tracking_off_is_found),
        cmocka_unit_test(backslash_does_not_escape_inside_backticks),
        cmocka_unit_test(dash_dash_space_comment_hides_placeholders_to_end_of_line),
        cmocka_unit_test(dash_dash_without_whitespace_is_not_a_comment),
        cmocka_unit_test(hash_comment_hides_placeholders_to_end_of_line),
        cmocka_unit_test(block_comment_hides_placeholders),
        cmocka_unit_test(unterminated_literal_or_comment_runs_to_the_end),
        cmocka_unit_test(comment_markers_inside_literals_are_text),
        cmocka_unit_test(quotes_inside_comments_do_not_open_literals),
        cmocka_unit_test(nul_bytes_and_newlines_do_not_confuse_the_lexer),
        cmocka_unit_test(first_keyword_is_upper_cased),
        cmocka_unit_test(first_keyword_that_does_not_fit_is_not_truncated),
        cmocka_unit_test(queries_are_read_only),
        cmocka_unit_test(writes_and_transaction_control_are_not_read_only),
        cmocka_unit_test(explain_analyze_runs_the_statement_so_is_not_read_only),
        cmocka_unit_test(statements_that_outlive_the_connection_are_not_read_only),
        cmocka_unit_test(a_lost_answer_is_classified_by_what_the_statement_may_have_done),
        cmocka_unit_test(a_second_statement_makes_the_text_not_read_only),
        cmocka_unit_test(fragment_must_not_hide_code_in_an_executable_comment),
        cmocka_unit_test(quoted_end_reads_the_default_way_and_says_whether_it_closed),
        cmocka_unit_test(find_word_skips_literals_comments_and_longer_words),
        cmocka_unit_test(against_operand_is_the_placeholder_after_the_keyword_and_paren),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
