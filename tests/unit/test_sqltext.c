/* tests/unit/test_sqltext.c — identifier quoting, string literals, the placeholder lexer and
 * statement classification (src/core/sqltext.c), plus the byte buffer (src/core/buf.c). */
#include "test_support.h"
#include "internal.h"

#include <stdlib.h>

/* ------------------------------------------------------------------ helpers */

static size_t placeholders(const char *sql, int no_backslash_escapes) {
    return mo_sql_find_placeholders(sql, strlen(sql), no_backslash_escapes, NULL, 0);
}

/* The string literal for s[0..len), checked against expected[0..expected_len). */
static void assert_literal(const char *s, size_t len, int no_backslash_escapes,
                           const char *expected, size_t expected_len) {
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, s, len, no_backslash_escapes);
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

static void string_literal_escapes_like_mysql_real_escape_string(void **state) {
    const char in[] = "a\\b'c\"d\0e\nf\rg\x1ah";
    const char out[] = "'a\\\\b\\'c\\\"d\\0e\\nf\\rg\\Zh'";
    assert_literal(in, sizeof in - 1, 0, out, sizeof out - 1);
}

static void string_literal_under_no_backslash_escapes_only_doubles_quotes(void **state) {
    const char in[] = "a\\b'c\"d\0e\nf";
    const char out[] = "'a\\b''c\"d\0e\nf'";
    assert_literal(in, sizeof in - 1, 1, out, sizeof out - 1);
}

static void empty_string_literal_is_two_quotes(void **state) {
    assert_literal("", 0, 0, "''", 2);
    assert_literal("", 0, 1, "''", 2);
}

static void multibyte_text_passes_through_unchanged(void **state) {
    const char *s = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80";
    const char *q = "'h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80'";
    assert_literal(s, strlen(s), 0, q, strlen(q));
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
    assert_int_equal(placeholders("SELECT ?, ?, ?", 0), 3);
    assert_int_equal(placeholders("SELECT 1", 0), 0);
    assert_int_equal(placeholders("??", 0), 2);
    assert_int_equal(placeholders("", 0), 0);
}

static void placeholder_offsets_are_reported(void **state) {
    const char *sql = "a ? 'b?' ?";
    size_t off[4];
    assert_int_equal(mo_sql_find_placeholders(sql, strlen(sql), 0, off, 4), 2);
    assert_int_equal(off[0], 2);
    assert_int_equal(off[1], 9);
    /* Only `max` offsets are written, but every placeholder is counted. */
    size_t one[1];
    assert_int_equal(mo_sql_find_placeholders(sql, strlen(sql), 0, one, 1), 2);
    assert_int_equal(one[0], 2);
}

static void question_mark_inside_single_quotes_is_not_a_placeholder(void **state) {
    assert_int_equal(placeholders("SELECT '?', ?", 0), 1);
}

static void question_mark_inside_double_quotes_is_not_a_placeholder(void **state) {
    assert_int_equal(placeholders("SELECT \"?\", ?", 0), 1);
}

static void question_mark_inside_backticks_is_not_a_placeholder(void **state) {
    assert_int_equal(placeholders("SELECT `a?b` FROM t WHERE x = ?", 0), 1);
}

static void doubled_backtick_does_not_end_a_quoted_identifier(void **state) {
    assert_int_equal(placeholders("SELECT `a``?` , ?", 0), 1);
}

static void doubled_single_quote_does_not_end_a_literal(void **state) {
    assert_int_equal(placeholders("SELECT 'it''s ?', ?", 0), 1);
    assert_int_equal(placeholders("SELECT 'it''s ?', ?", 1), 1);
}

static void doubled_double_quote_does_not_end_a_literal(void **state) {
    assert_int_equal(placeholders("SELECT \"say \"\"?\"\"\", ?", 0), 1);
}

static void backslash_escaped_quote_stays_inside_the_literal(void **state) {
    /* 'a\'?' is one literal when backslashes escape. */
    assert_int_equal(placeholders("SELECT 'a\\'?'", 0), 0);
}

static void under_no_backslash_escapes_a_backslash_is_literal(void **state) {
    /* 'a\' is a whole literal; then ? is a placeholder and ' opens an unterminated literal. */
    assert_int_equal(placeholders("SELECT 'a\\'?'", 1), 1);
}

static void backslash_does_not_escape_inside_backticks(void **state) {
    assert_int_equal(placeholders("SELECT `a\\` , ?", 0), 1);
}

static void dash_dash_space_comment_hides_placeholders_to_end_of_line(void **state) {
    assert_int_equal(placeholders("SELECT ? -- what?\n, ?", 0), 2);
    assert_int_equal(placeholders("SELECT ? --\twhat?", 0), 1);
    assert_int_equal(placeholders("SELECT ? --\n?", 0), 2);
    assert_int_equal(placeholders("SELECT ? --", 0), 1);
}

static void dash_dash_without_whitespace_is_not_a_comment(void **state) {
    assert_int_equal(placeholders("SELECT 1--x ?", 0), 1);
    assert_int_equal(placeholders("SELECT 1--?", 0), 1);
}

static void hash_comment_hides_placeholders_to_end_of_line(void **state) {
    assert_int_equal(placeholders("SELECT ? # why?\n + ?", 0), 2);
    assert_int_equal(placeholders("SELECT ? #?", 0), 1);
}

static void block_comment_hides_placeholders(void **state) {
    assert_int_equal(placeholders("SELECT /* ? */ ?", 0), 1);
    assert_int_equal(placeholders("SELECT /* a /* ? */ ?", 0), 1); /* comments do not nest */
    assert_int_equal(placeholders("SELECT /*/ ? */ ?", 0), 1);     /* slash-star-slash is open */
}

static void unterminated_literal_or_comment_runs_to_the_end(void **state) {
    assert_int_equal(placeholders("SELECT ?, 'abc ?", 0), 1);
    assert_int_equal(placeholders("SELECT ?, \"abc ?", 0), 1);
    assert_int_equal(placeholders("SELECT ?, `abc ?", 0), 1);
    assert_int_equal(placeholders("SELECT ? /* ?", 0), 1);
    assert_int_equal(placeholders("SELECT ? '\\", 0), 1);
}

static void comment_markers_inside_literals_are_text(void **state) {
    assert_int_equal(placeholders("SELECT '-- ', ?", 0), 1);
    assert_int_equal(placeholders("SELECT '#', ?", 0), 1);
    assert_int_equal(placeholders("SELECT '/*', ?, '*/'", 0), 1);
}

static void quotes_inside_comments_do_not_open_literals(void **state) {
    assert_int_equal(placeholders("SELECT ? /* it's */ , ?", 0), 2);
    assert_int_equal(placeholders("SELECT ? -- it's\n, ?", 0), 2);
}

static void nul_bytes_and_newlines_do_not_confuse_the_lexer(void **state) {
    const char sql[] = "SELECT '\0?', ?\n, \"\n?\"";
    assert_int_equal(mo_sql_find_placeholders(sql, sizeof sql - 1, 0, NULL, 0), 1);
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
        cmocka_unit_test(string_literal_escapes_like_mysql_real_escape_string),
        cmocka_unit_test(string_literal_under_no_backslash_escapes_only_doubles_quotes),
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
        cmocka_unit_test(backslash_escaped_quote_stays_inside_the_literal),
        cmocka_unit_test(under_no_backslash_escapes_a_backslash_is_literal),
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
