/* tests/unit/test_log.c — the SQL log line (modes, slow/error, time and row columns), the
 * statement summary, secret redaction and delivery to the sink. Expected lines follow the
 * MatrixOne SDK's logger (mo-sql-reference.md §4) with mocore's corrections. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "test_support.h"
#include "internal.h"

#define OK_MARK "\xe2\x9c\x93"   /* U+2713 */
#define FAIL_MARK "\xe2\x9c\x97" /* U+2717 */

/* ------------------------------------------------------------------ helpers */

static char line_buf[8192];
static int line_level;

/* Format with mo_log_format_query; NULL when it decided to log nothing. */
static const char *format_line(mo_log_mode mode, unsigned slow_ms, unsigned max_len,
                               const char *sql, double seconds, int64_t rows, int success) {
    mo_buf b;
    mo_buf_init(&b);
    line_level = -1;
    int logged = mo_log_format_query(&b, &line_level, mode, slow_ms, max_len, sql, strlen(sql),
                                     seconds, rows, success);
    assert_true(mo_buf_ok(&b));
    if (!logged) {
        assert_int_equal(b.len, 0);
        mo_buf_free(&b);
        return NULL;
    }
    assert_true(b.len < sizeof line_buf);
    memcpy(line_buf, mo_buf_cstr(&b), b.len + 1);
    mo_buf_free(&b);
    return line_buf;
}

static char text_buf[8192];

static const char *summary(const char *sql) {
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_summary(&b, sql, strlen(sql));
    assert_true(mo_buf_ok(&b));
    assert_true(b.len < sizeof text_buf);
    memcpy(text_buf, mo_buf_cstr(&b), b.len + 1);
    mo_buf_free(&b);
    return text_buf;
}

static const char *redact(const char *text) {
    mo_buf b;
    mo_buf_init(&b);
    mo_redact_secrets(&b, text, strlen(text));
    assert_true(mo_buf_ok(&b));
    assert_true(b.len < sizeof text_buf);
    memcpy(text_buf, mo_buf_cstr(&b), b.len + 1);
    mo_buf_free(&b);
    return text_buf;
}

typedef struct {
    int calls;
    int level;
    size_t len;
    char message[8192];
} capture;

static void capture_sink(void *userdata, int level, const char *message, size_t message_len) {
    capture *c = userdata;
    c->calls++;
    c->level = level;
    c->len = message_len;
    assert_true(message_len < sizeof c->message);
    assert_int_equal(message[message_len], '\0'); /* NUL-terminated, as documented */
    memcpy(c->message, message, message_len + 1);
}

static void init_cfg(struct mo_config *cfg, mo_log_mode mode, capture *cap) {
    memset(cfg, 0, sizeof *cfg);
    memset(cap, 0, sizeof *cap);
    cfg->log_mode = mode;
    cfg->log_slow_threshold_ms = 1000;
    cfg->log_max_display_length = 500;
    cfg->log_sink = capture_sink;
    cfg->log_sink_userdata = cap;
}

static const char *long_select(void) {
    static char sql[700];
    strcpy(sql, "SELECT id, name FROM users WHERE name IN (");
    while (strlen(sql) < 600) strcat(sql, "'abcdefgh', ");
    strcat(sql, "'z')");
    return sql;
}

/* ------------------------------------------------------------------ the line */

static void success_line_shows_mark_time_rows_and_sql(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, "SELECT * FROM users", 0.012, 5, 1),
                        OK_MARK " | 0.012s | 5 rows | SELECT * FROM users");
    assert_int_equal(line_level, MO_LOG_LEVEL_INFO);
}

static void negative_time_omits_the_time_column(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, "SELECT 1", -1, 1, 1),
                        OK_MARK " | 1 rows | SELECT 1");
}

static void negative_rows_omit_the_row_column(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, "SELECT 1", 0.5, -1, 1),
                        OK_MARK " | 0.500s | SELECT 1");
}

static void without_time_and_rows_only_mark_and_sql_remain(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, "SELECT 1", -1, -1, 1),
                        OK_MARK " | SELECT 1");
}

static void zero_rows_and_zero_time_are_shown(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, "DELETE FROM t", 0.0, 0, 1),
                        OK_MARK " | 0.000s | 0 rows | DELETE FROM t");
}

static void time_is_rounded_to_three_decimals(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 100000, 500, "SELECT 1", 12.3456, -1, 1),
                        OK_MARK " | 12.346s | SELECT 1");
}

static void large_row_counts_are_printed_in_full(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, "SELECT 1", -1, 9000000000LL, 1),
                        OK_MARK " | 9000000000 rows | SELECT 1");
}

static void time_uses_a_dot_even_under_a_decimal_comma_locale(void **state) {
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8"};
    const char *set = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set) skip(); /* no decimal-comma locale installed on this machine */
    const char *line = format_line(MO_LOG_FULL, 100000, 500, "SELECT 1", 1.25, -1, 1);
    setlocale(LC_NUMERIC, "C");
    assert_string_equal(line, OK_MARK " | 1.250s | SELECT 1");
}

static void surrounding_whitespace_is_stripped(void **state) {
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, " \n\tSELECT 1 ;\n  ", -1, -1, 1),
                        OK_MARK " | SELECT 1 ;");
}

static void failed_query_is_an_error_line_with_the_full_sql_in_every_mode(void **state) {
    const char *sql = long_select();
    char expected[1024];
    snprintf(expected, sizeof expected, FAIL_MARK " | 0.010s | [ERROR] %s", sql);
    mo_log_mode modes[] = {MO_LOG_SIMPLE, MO_LOG_FULL, MO_LOG_AUTO};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(format_line(modes[i], 1000, 20, sql, 0.01, -1, 0), expected);
        assert_int_equal(line_level, MO_LOG_LEVEL_ERROR);
    }
}

static void slow_query_is_marked_and_shown_in_full_in_every_mode(void **state) {
    const char *sql = long_select();
    char expected[1024];
    snprintf(expected, sizeof expected, OK_MARK " | 2.000s | 10 rows | [SLOW] %s", sql);
    mo_log_mode modes[] = {MO_LOG_SIMPLE, MO_LOG_FULL, MO_LOG_AUTO};
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(format_line(modes[i], 1000, 20, sql, 2.0, 10, 1), expected);
        assert_int_equal(line_level, MO_LOG_LEVEL_WARNING); /* slow is not an error */
    }
}

static void a_query_exactly_at_the_threshold_is_slow(void **state) {
    assert_string_equal(format_line(MO_LOG_SIMPLE, 250, 500, "SELECT * FROM t", 0.25, -1, 1),
                        OK_MARK " | 0.250s | [SLOW] SELECT * FROM t");
    assert_string_equal(format_line(MO_LOG_SIMPLE, 250, 500, "SELECT * FROM t", 0.249, -1, 1),
                        OK_MARK " | 0.249s | SELECT FROM T");
}

static void a_zero_threshold_makes_every_timed_query_slow_but_not_untimed_ones(void **state) {
    assert_string_equal(format_line(MO_LOG_SIMPLE, 0, 500, "SELECT * FROM t", 0.0, -1, 1),
                        OK_MARK " | 0.000s | [SLOW] SELECT * FROM t");
    assert_string_equal(format_line(MO_LOG_SIMPLE, 0, 500, "SELECT * FROM t", -1, -1, 1),
                        OK_MARK " | SELECT FROM T");
}

static void error_takes_precedence_over_slow(void **state) {
    assert_string_equal(format_line(MO_LOG_AUTO, 100, 500, "SELECT 1", 5.0, -1, 0),
                        FAIL_MARK " | 5.000s | [ERROR] SELECT 1");
}

static void off_mode_formats_nothing_even_for_errors_or_slow_queries(void **state) {
    assert_null(format_line(MO_LOG_OFF, 1000, 500, "SELECT 1", 0.001, 1, 1));
    assert_null(format_line(MO_LOG_OFF, 1000, 500, "SELECT 1", 0.001, 1, 0));
    assert_null(format_line(MO_LOG_OFF, 1000, 500, "SELECT 1", 99.0, 1, 1));
}

static void simple_mode_shows_the_summary(void **state) {
    assert_string_equal(
        format_line(MO_LOG_SIMPLE, 1000, 500, "select * from users where id = 7", 0.001, 1, 1),
        OK_MARK " | 0.001s | 1 rows | SELECT FROM USERS");
    assert_int_equal(line_level, MO_LOG_LEVEL_INFO);
    /* No table for the SDK's shape: the statement itself, redacted. */
    assert_string_equal(format_line(MO_LOG_SIMPLE, 1000, 500, "SELECT 1", 0.001, 1, 1),
                        OK_MARK " | 0.001s | 1 rows | SELECT 1");
    assert_string_equal(
        format_line(MO_LOG_SIMPLE, 1000, 500, "SELECT PASSWORD('pw') AS h", -1, -1, 1),
        OK_MARK " | SELECT PASSWORD('***') AS h");
}

static void full_mode_shows_long_sql_in_full(void **state) {
    const char *sql = long_select();
    char expected[1024];
    snprintf(expected, sizeof expected, OK_MARK " | %s", sql);
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 20, sql, -1, -1, 1), expected);
}

static void auto_mode_shows_sql_of_exactly_the_maximum_length_in_full(void **state) {
    const char *sql = "SELECT * FROM abcdef"; /* 20 characters */
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 20, sql, -1, -1, 1),
                        OK_MARK " | SELECT * FROM abcdef");
}

static void auto_mode_summarises_sql_one_character_over_the_maximum(void **state) {
    const char *sql = "SELECT * FROM abcdefg"; /* 21 characters */
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 20, sql, -1, -1, 1),
                        OK_MARK " | SELECT FROM ABCDEFG [SQL length: 21 chars]");
}

static void auto_mode_counts_utf8_characters_not_bytes(void **state) {
    /* 14 characters, 19 bytes */
    const char *sql = "SELECT '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9'";
    char expected[128];
    snprintf(expected, sizeof expected, OK_MARK " | %s", sql);
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 14, sql, -1, -1, 1), expected);
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 13, sql, -1, -1, 1),
                        OK_MARK " | SELECT '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9' [SQL length: 14 chars]");
}

static void auto_mode_measures_the_stripped_sql(void **state) {
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 8, "   SELECT 1   \n", -1, -1, 1),
                        OK_MARK " | SELECT 1");
}

static void an_unrecognised_mode_shows_the_full_sql(void **state) {
    assert_string_equal(
        format_line((mo_log_mode)99, 1000, 5, "SELECT * FROM users", -1, -1, 1),
        OK_MARK " | SELECT * FROM users");
}

static void secrets_are_redacted_in_every_mode_and_state(void **state) {
    const char *sql = "CREATE USER alice IDENTIFIED BY 'hunter2'";
    assert_string_equal(format_line(MO_LOG_FULL, 1000, 500, sql, -1, -1, 1),
                        OK_MARK " | CREATE USER alice IDENTIFIED BY '***'");
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 500, sql, -1, -1, 1),
                        OK_MARK " | CREATE USER alice IDENTIFIED BY '***'");
    assert_string_equal(format_line(MO_LOG_SIMPLE, 1000, 500, sql, -1, -1, 0),
                        FAIL_MARK " | [ERROR] CREATE USER alice IDENTIFIED BY '***'");
    assert_string_equal(format_line(MO_LOG_SIMPLE, 10, 500, sql, 0.5, -1, 1),
                        OK_MARK " | 0.500s | [SLOW] CREATE USER alice IDENTIFIED BY '***'");
}

static void a_summarised_statement_never_shows_a_cut_secret(void **state) {
    const char *sql = "ALTER STAGE s SET URL='s3://AKIAEXAMPLE:abcdefghijklmnopqrstuvwxyz"
                      "0123456789@bucket/path'";
    /* The 50-character cut would fall inside the password if it were made first. */
    assert_string_equal(format_line(MO_LOG_AUTO, 1000, 10, sql, -1, -1, 1),
                        OK_MARK " | ALTER STAGE s SET URL='s3://AKIAEXAMPLE:***@bucket..."
                                " [SQL length: 89 chars]");
}

/* ------------------------------------------------------------------ the summary */

static void select_summary_names_the_upper_cased_table(void **state) {
    assert_string_equal(summary("select id from users where id = 1"), "SELECT FROM USERS");
}

static void select_summary_drops_the_quotes_around_the_table(void **state) {
    assert_string_equal(summary("SELECT * FROM `orders` o"), "SELECT FROM ORDERS");
    assert_string_equal(summary("SELECT * FROM \"items\""), "SELECT FROM ITEMS");
}

static void select_without_a_table_shows_the_statement(void **state) {
    assert_string_equal(summary("SELECT 1"), "SELECT 1");
    assert_string_equal(summary("select now(), @@version"), "select now(), @@version");
}

static void keywords_inside_identifiers_are_not_keywords(void **state) {
    assert_string_equal(summary("SELECT datefrom FROM events"), "SELECT FROM EVENTS");
    assert_string_equal(summary("CREATE INDEX idx_common ON docs (a)"), "CREATE INDEX ON DOCS");
}

static void summary_ignores_leading_whitespace_and_case(void **state) {
    assert_string_equal(summary("\n   DeLeTe FrOm Logs WHERE 1"), "DELETE FROM LOGS");
}

static void single_row_insert_summary(void **state) {
    assert_string_equal(summary("INSERT INTO t (a, b) VALUES (1, 2)"), "INSERT INTO T");
}

static void insert_select_summary(void **state) {
    assert_string_equal(summary("insert into archive select * from t"), "INSERT INTO ARCHIVE");
}

static void batch_insert_without_spaces_counts_rows(void **state) {
    assert_string_equal(summary("INSERT INTO t VALUES (1),(2),(3)"),
                        "BATCH INSERT INTO T (3 rows)");
}

static void batch_insert_with_spaces_counts_rows(void **state) {
    /* The SDK's own batch_insert writes "), (", which the SDK summary never detected. */
    assert_string_equal(summary("INSERT INTO users (id, name) VALUES (1, 'a'), (2, 'b')"),
                        "BATCH INSERT INTO USERS (2 rows)");
    assert_string_equal(summary("INSERT INTO t VALUES (1) ,\n (2)"),
                        "BATCH INSERT INTO T (2 rows)");
}

static void row_separators_inside_string_values_are_not_counted(void **state) {
    assert_string_equal(summary("INSERT INTO t VALUES ('a),(b')"), "INSERT INTO T");
}

static void update_summary(void **state) {
    assert_string_equal(summary("update accounts set balance = 0"), "UPDATE ACCOUNTS");
}

static void delete_summary(void **state) {
    assert_string_equal(summary("DELETE FROM sessions WHERE expired = 1"),
                        "DELETE FROM SESSIONS");
    assert_string_equal(summary("DELETE t FROM t JOIN u"), "DELETE t FROM t JOIN u");
}

static void create_index_summary(void **state) {
    assert_string_equal(summary("CREATE INDEX idx_vec USING ivfflat ON docs(v) LISTS 16"),
                        "CREATE INDEX ON DOCS");
    assert_string_equal(summary("create unique index u1 on `people` (email)"),
                        "CREATE INDEX ON PEOPLE");
}

static void create_table_summary_skips_if_not_exists(void **state) {
    assert_string_equal(summary("CREATE TABLE t1 (id INT)"), "CREATE TABLE T1");
    assert_string_equal(summary("CREATE TABLE IF NOT EXISTS t2 (id INT)"), "CREATE TABLE T2");
}

static void create_table_with_an_inline_index_is_a_table(void **state) {
    assert_string_equal(summary("CREATE TABLE docs (id INT, body TEXT, INDEX (id))"),
                        "CREATE TABLE DOCS");
}

static void other_create_summary(void **state) {
    assert_string_equal(summary("CREATE DATABASE shop"), "CREATE");
    assert_string_equal(summary("CREATE SNAPSHOT s1 FOR ACCOUNT"), "CREATE");
}

static void drop_summaries(void **state) {
    assert_string_equal(summary("DROP TABLE orders"), "DROP TABLE ORDERS");
    assert_string_equal(summary("drop table if exists `orders`"), "DROP TABLE ORDERS");
    assert_string_equal(summary("DROP INDEX idx ON t"), "DROP INDEX");
    assert_string_equal(summary("DROP DATABASE shop"), "DROP");
}

static void set_summary(void **state) {
    assert_string_equal(summary("SET experimental_ivf_index = 1"), "SET VARIABLE");
}

static void other_statements_of_at_most_fifty_characters_are_shown_whole(void **state) {
    assert_string_equal(summary("SHOW TABLES"), "SHOW TABLES");
    const char *fifty = "SHOW COLUMNS FROM abcdefghijklmnopqrstuvwxyz012345"; /* 50 chars */
    assert_int_equal(strlen(fifty), 50);
    assert_string_equal(summary(fifty), fifty);
}

static void other_statements_over_fifty_characters_are_cut_with_an_ellipsis(void **state) {
    assert_string_equal(summary("SHOW COLUMNS FROM abcdefghijklmnopqrstuvwxyz0123456"),
                        "SHOW COLUMNS FROM abcdefghijklmnopqrstuvwxyz012345...");
}

static void the_fallback_cut_counts_characters_and_never_splits_one(void **state) {
    char sql[256] = "SHOW ";
    char expected[256] = "SHOW ";
    for (int i = 0; i < 60; i++) strcat(sql, "\xc3\xa9");
    for (int i = 0; i < 45; i++) strcat(expected, "\xc3\xa9");
    strcat(expected, "...");
    assert_string_equal(summary(sql), expected);
}

static void the_fallback_is_redacted(void **state) {
    assert_string_equal(summary("GRANT x TO u IDENTIFIED BY 'pw'"),
                        "GRANT x TO u IDENTIFIED BY '***'");
}

static void empty_sql_summarises_to_nothing(void **state) {
    assert_string_equal(summary("   "), "");
}

/* ------------------------------------------------------------------ redaction */

static void identified_by_literal_is_redacted(void **state) {
    assert_string_equal(redact("CREATE USER 'u'@'%' IDENTIFIED BY 'pw'"),
                        "CREATE USER 'u'@'%' IDENTIFIED BY '***'");
}

static void identified_by_matches_any_case_and_whitespace(void **state) {
    assert_string_equal(redact("create user u identified\n\tby   'pw' comment 'x'"),
                        "create user u identified\n\tby   '***' comment 'x'");
    assert_string_equal(redact("ALTER USER u IDENTIFIED BY\"pw\""),
                        "ALTER USER u IDENTIFIED BY\"***\"");
}

static void a_password_containing_a_doubled_quote_is_fully_redacted(void **state) {
    assert_string_equal(redact("CREATE USER u IDENTIFIED BY 'it''s' COMMENT 'c'"),
                        "CREATE USER u IDENTIFIED BY '***' COMMENT 'c'");
}

static void a_password_containing_a_backslash_escaped_quote_is_fully_redacted(void **state) {
    assert_string_equal(redact("ALTER USER u IDENTIFIED BY 'a\\'b' ACCOUNT LOCK"),
                        "ALTER USER u IDENTIFIED BY '***' ACCOUNT LOCK");
}

/* A `?` value holding a backslash is written as a hex literal behind an introducer. */
static void secrets_in_the_hex_form_of_a_value_are_redacted(void **state) {
    assert_string_equal(redact("ALTER USER u IDENTIFIED BY _utf8mb4 X'615C62' ACCOUNT LOCK"),
                        "ALTER USER u IDENTIFIED BY _utf8mb4 X'***' ACCOUNT LOCK");
    assert_string_equal(redact("SET PASSWORD = _utf8mb4 X'615C62'"),
                        "SET PASSWORD = _utf8mb4 X'***'");
    assert_string_equal(redact("ALTER USER u IDENTIFIED BY CAST(X'615C62' AS CHAR)"),
                        "ALTER USER u IDENTIFIED BY CAST(X'***' AS CHAR)");
    assert_string_equal(redact("SET PASSWORD = PASSWORD(X'615C62')"),
                        "SET PASSWORD = PASSWORD(X'***')");
    assert_string_equal(redact("CREATE STAGE s URL='s3://b' CREDENTIALS={'AWS_SECRET_KEY'=_utf8mb4 X'5C'}"),
                        "CREATE STAGE s URL='s3://b' CREDENTIALS={'AWS_SECRET_KEY'=_utf8mb4 X'***'}");
    /* mysql://u:p\w@h inside a hex literal: the URI's password is found in the bytes */
    assert_string_equal(redact("SELECT _utf8mb4 X'6D7973716C3A2F2F753A705C7740682F64'"),
                        "SELECT _utf8mb4 X'***'");
    /* hex with nothing secret in it stays */
    assert_string_equal(redact("SELECT _utf8mb4 X'615C62', X'00FF', X''"),
                        "SELECT _utf8mb4 X'615C62', X'00FF', X''");
}

static void identified_with_a_plugin_is_redacted(void **state) {
    assert_string_equal(
        redact("CREATE USER u IDENTIFIED WITH mysql_native_password BY 'pw'"),
        "CREATE USER u IDENTIFIED WITH mysql_native_password BY '***'");
}

static void the_replaced_password_is_redacted_too(void **state) {
    assert_string_equal(redact("ALTER USER u IDENTIFIED BY 'new' REPLACE 'old'"),
                        "ALTER USER u IDENTIFIED BY '***' REPLACE '***'");
}

static void create_account_keeps_everything_but_the_password(void **state) {
    assert_string_equal(
        redact("CREATE ACCOUNT `acc` ADMIN_NAME 'root' IDENTIFIED BY '111' COMMENT 'team'"),
        "CREATE ACCOUNT `acc` ADMIN_NAME 'root' IDENTIFIED BY '***' COMMENT 'team'");
}

static void password_function_and_assignment_are_redacted(void **state) {
    assert_string_equal(redact("SET PASSWORD = PASSWORD('x')"), "SET PASSWORD = PASSWORD('***')");
    assert_string_equal(redact("SET PASSWORD = 'x'"), "SET PASSWORD = '***'");
    assert_string_equal(redact("ALTER USER u PASSWORD 'x'"), "ALTER USER u PASSWORD '***'");
    assert_string_equal(redact("SET PASSWORD FOR 'u'@'localhost' = 'x'"),
                        "SET PASSWORD FOR 'u'@'localhost' = '***'");
}

static void the_word_password_in_ordinary_text_is_left_alone(void **state) {
    const char *texts[] = {
        "INSERT INTO notes VALUES ('forgot password')",
        "Access denied for user 'root'@'localhost' (using password: YES)",
        "SELECT 'password', token, secret FROM t WHERE token = 5",
        "ALTER USER u IDENTIFIED BY RANDOM PASSWORD",
        "SELECT caching_sha2_password('x')",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_string_equal(redact(texts[i]), texts[i]);
}

static void ordinary_sql_is_copied_unchanged(void **state) {
    const char *texts[] = {
        "SELECT 'a''b', \"c\\\"d\", `e` FROM t WHERE x = 'y' -- comment",
        "INSERT INTO t VALUES (1, 'it''s'), (2, '{\"a\": 1}')",
        "CREATE STAGE s URL='file:///tmp/data/'",
        "SELECT * FROM t {snapshot = 'snap1'}",
        "",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_string_equal(redact(texts[i]), texts[i]);
}

static void stage_credentials_are_redacted_but_region_and_url_kept(void **state) {
    assert_string_equal(
        redact("CREATE STAGE s URL='s3://bucket/path' CREDENTIALS={'AWS_KEY_ID'='AKIAX',"
               "'AWS_SECRET_KEY'='sec/ret+key','AWS_REGION'='us-east-1'}"),
        "CREATE STAGE s URL='s3://bucket/path' CREDENTIALS={'AWS_KEY_ID'='***',"
        "'AWS_SECRET_KEY'='***','AWS_REGION'='us-east-1'}");
}

static void credential_pairs_may_have_spaces_and_double_quotes(void **state) {
    assert_string_equal(
        redact("CREDENTIALS={ 'aws_key_id' = 'a' , \"aws_secret_access_key\" = \"b\" }"),
        "CREDENTIALS={ 'aws_key_id' = '***' , \"aws_secret_access_key\" = \"***\" }");
}

static void bare_credential_keys_inside_braces_are_redacted(void **state) {
    assert_string_equal(redact("CREDENTIALS={aws_secret_access_key=abc, region=us}"),
                        "CREDENTIALS={aws_secret_access_key=***, region=us}");
    assert_string_equal(redact("CREDENTIALS={token='t1', Password = 'p'}"),
                        "CREDENTIALS={token='***', Password = '***'}");
}

static void s3option_keys_are_redacted(void **state) {
    assert_string_equal(
        redact("LOAD DATA URL s3option{'endpoint'='s3.example.com', 'access_key_id'='AK', "
               "'secret_access_key'='SK', 'bucket'='b', 'filepath'='f.csv'} INTO TABLE t"),
        "LOAD DATA URL s3option{'endpoint'='s3.example.com', 'access_key_id'='***', "
        "'secret_access_key'='***', 'bucket'='b', 'filepath'='f.csv'} INTO TABLE t");
}

static void uri_password_is_redacted(void **state) {
    assert_string_equal(redact("connect to mysql://acc#admin:s3cr3t@127.0.0.1:6001 failed"),
                        "connect to mysql://acc#admin:***@127.0.0.1:6001 failed");
}

static void uri_passwords_inside_literals_are_redacted(void **state) {
    assert_string_equal(
        redact("CREATE CDC t1 'mysql://u:pw@h:6001' 'matrixone' 'mysql://u2:pw2@h2:6001' "
               "'db.t:db.t' {'Level'='table'}"),
        "CREATE CDC t1 'mysql://u:***@h:6001' 'matrixone' 'mysql://u2:***@h2:6001' "
        "'db.t:db.t' {'Level'='table'}");
}

static void uri_password_may_contain_at_slash_and_quotes(void **state) {
    assert_string_equal(redact("mysql://u:p@ss/w@host:1/db"), "mysql://u:***@host:1/db");
    assert_string_equal(redact("SET x = 'mysql://u:it''s@h:1'"), "SET x = 'mysql://u:***@h:1'");
    assert_string_equal(redact("SET x = 'mysql://u:it\\'s@h:1'"), "SET x = 'mysql://u:***@h:1'");
}

static void uris_without_a_password_are_unchanged(void **state) {
    const char *texts[] = {
        "mysql://root@localhost:3306/db",
        "https://example.com:8443/path?q=1",
        "stage://my_stage/file.csv",
        "a: b :// c",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_string_equal(redact(texts[i]), texts[i]);
}

static void url_query_password_is_redacted(void **state) {
    assert_string_equal(redact("mysql://h/db?user=u&password=pw&ssl_mode=required"),
                        "mysql://h/db?user=u&password=***&ssl_mode=required");
    /* A query value runs to the next '&': ',' ';' ')' and quotes are password bytes there
     * (found by tests/fuzz/fuzz_config_redact.c: ",secret" was shown whole). */
    assert_string_equal(redact("mysql://h/db?password=,secret;x)y'z&a=1"), "mysql://h/db?password=***&a=1");
    assert_string_equal(redact("{mysql://h/db?password=,s}x&y=1"), "{mysql://h/db?password=***&y=1");
    /* Inside CREDENTIALS={...} they still end the value. */
    assert_string_equal(redact("CREDENTIALS={aws_secret_access_key=abc,region=r}"),
                        "CREDENTIALS={aws_secret_access_key=***,region=r}");
}

static void an_unterminated_secret_is_hidden_to_the_end(void **state) {
    /* Server error messages quote SQL without escaping its quotes. */
    const char *out = redact("You have an error near 'IDENTIFIED BY 'hunter2'' at line 1");
    assert_null(strstr(out, "hunter2"));
    assert_string_equal(out, "You have an error near 'IDENTIFIED BY '***");
}

static void redaction_is_idempotent(void **state) {
    const char *in = "CREATE USER u IDENTIFIED BY 'x'; mysql://a:b@c {'secret'='s'}";
    char once[256];
    strcpy(once, redact(in));
    assert_string_equal(redact(once), once);
}

static void redaction_appends_and_accepts_null(void **state) {
    mo_buf b;
    mo_buf_init(&b);
    mo_buf_append_str(&b, "prefix:");
    mo_redact_secrets(&b, NULL, 0);
    mo_redact_secrets(&b, "PASSWORD 'x'", 12);
    assert_string_equal(mo_buf_cstr(&b), "prefix:PASSWORD '***'");
    mo_buf_free(&b);
}

static void only_the_given_length_is_read(void **state) {
    mo_buf b;
    mo_buf_init(&b);
    mo_redact_secrets(&b, "SELECT 1; IDENTIFIED BY 'x'", 8);
    assert_string_equal(mo_buf_cstr(&b), "SELECT 1");
    mo_buf_free(&b);
}

/* ------------------------------------------------------------------ delivery */

static void the_sink_receives_exactly_the_formatted_line(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_AUTO, &cap);
    const char *sql = "UPDATE t SET a = 1";
    mo_log_query(&cfg, MO_EXEC_LOG_DEFAULT, sql, strlen(sql), 0.003, 2, 1);
    assert_int_equal(cap.calls, 1);
    assert_string_equal(cap.message, format_line(MO_LOG_AUTO, 1000, 500, sql, 0.003, 2, 1));
    assert_string_equal(cap.message, OK_MARK " | 0.003s | 2 rows | UPDATE t SET a = 1");
    assert_int_equal(cap.len, strlen(cap.message));
    assert_int_equal(cap.level, MO_LOG_LEVEL_INFO);
}

static void the_sink_gets_error_level_for_a_failed_statement(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_SIMPLE, &cap);
    mo_log_query(&cfg, 0, "SELECT nope", 11, -1, -1, 0);
    assert_int_equal(cap.calls, 1);
    assert_int_equal(cap.level, MO_LOG_LEVEL_ERROR);
    assert_string_equal(cap.message, FAIL_MARK " | [ERROR] SELECT nope");
}

static void the_configured_thresholds_are_used(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_AUTO, &cap);
    cfg.log_slow_threshold_ms = 50;
    cfg.log_max_display_length = 10;
    mo_log_query(&cfg, 0, "SELECT * FROM users", 19, 0.01, -1, 1);
    assert_string_equal(cap.message, OK_MARK " | 0.010s | SELECT FROM USERS [SQL length: 19 chars]");
    mo_log_query(&cfg, 0, "SELECT * FROM users", 19, 0.05, -1, 1);
    assert_string_equal(cap.message, OK_MARK " | 0.050s | [SLOW] SELECT * FROM users");
    assert_int_equal(cap.level, MO_LOG_LEVEL_WARNING);
}

static void off_sends_nothing_even_for_errors(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_OFF, &cap);
    mo_log_query(&cfg, 0, "SELECT 1", 8, 0.001, 1, 1);
    mo_log_query(&cfg, 0, "SELECT 1", 8, 0.001, 1, 0);
    mo_log_query(&cfg, 0, "SELECT 1", 8, 100.0, 1, 1);
    mo_log_message(&cfg, MO_LOG_LEVEL_ERROR, "connect failed");
    assert_int_equal(cap.calls, 0);
}

static void a_per_call_override_beats_the_configured_mode(void **state) {
    struct mo_config cfg;
    capture cap;
    const char *sql = "SELECT * FROM users";
    size_t len = strlen(sql);

    init_cfg(&cfg, MO_LOG_OFF, &cap);
    mo_log_query(&cfg, MO_EXEC_LOG_FULL, sql, len, -1, -1, 1);
    assert_int_equal(cap.calls, 1);
    assert_string_equal(cap.message, OK_MARK " | SELECT * FROM users");

    init_cfg(&cfg, MO_LOG_FULL, &cap);
    mo_log_query(&cfg, MO_EXEC_LOG_OFF, sql, len, -1, -1, 0);
    assert_int_equal(cap.calls, 0);

    init_cfg(&cfg, MO_LOG_FULL, &cap);
    mo_log_query(&cfg, MO_EXEC_LOG_SIMPLE, sql, len, -1, -1, 1);
    assert_string_equal(cap.message, OK_MARK " | SELECT FROM USERS");

    init_cfg(&cfg, MO_LOG_FULL, &cap);
    cfg.log_max_display_length = 5;
    mo_log_query(&cfg, MO_EXEC_LOG_AUTO, sql, len, -1, -1, 1);
    assert_string_equal(cap.message, OK_MARK " | SELECT FROM USERS [SQL length: 19 chars]");
}

static void the_override_may_be_passed_with_the_other_execute_flags(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_FULL, &cap);
    mo_log_query(&cfg, MO_EXEC_STREAMING | MO_EXEC_LOG_SIMPLE, "SELECT * FROM t", 15, -1, -1, 1);
    assert_string_equal(cap.message, OK_MARK " | SELECT FROM T");
    mo_log_query(&cfg, MO_EXEC_STREAMING, "SELECT * FROM t", 15, -1, -1, 1);
    assert_string_equal(cap.message, OK_MARK " | SELECT * FROM t"); /* no override: FULL */
}

static void query_logging_without_a_config_does_nothing(void **state) {
    mo_log_query(NULL, MO_EXEC_LOG_FULL, "SELECT 1", 8, -1, -1, 1);
    mo_log_message(NULL, MO_LOG_LEVEL_INFO, "hello");
}

static void messages_are_formatted_redacted_and_leveled(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_SIMPLE, &cap);
    mo_log_message(&cfg, MO_LOG_LEVEL_WARNING, "%s to %s | port=%d", "\xe2\x9c\x97 Connection failed",
                   "mysql://root:topsecret@db", 6001);
    assert_int_equal(cap.calls, 1);
    assert_int_equal(cap.level, MO_LOG_LEVEL_WARNING);
    assert_string_equal(cap.message, FAIL_MARK " Connection failed to mysql://root:***@db | port=6001");
    assert_int_equal(cap.len, strlen(cap.message));
}

static void messages_follow_the_configured_mode_not_a_query_override(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_FULL, &cap);
    mo_log_message(&cfg, MO_LOG_LEVEL_INFO, "%s", OK_MARK " Disconnected from MatrixOne");
    assert_string_equal(cap.message, OK_MARK " Disconnected from MatrixOne");
}

/* Run fn with stderr redirected to a temporary file; return what was written. */
static char stderr_text[4096];

static const char *capture_stderr(void (*fn)(const struct mo_config *), const struct mo_config *cfg) {
    char path[] = "/tmp/mocore_test_log_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    fn(cfg);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    ssize_t got = pread(fd, stderr_text, sizeof stderr_text - 1, 0);
    assert_true(got >= 0);
    stderr_text[got] = 0;
    close(fd);
    unlink(path);
    return stderr_text;
}

static void log_two_queries(const struct mo_config *cfg) {
    mo_log_query(cfg, 0, "SELECT 1", 8, 0.25, 1, 1);
    mo_log_query(cfg, 0, "CREATE USER u IDENTIFIED BY 'pw'", 32, -1, -1, 0);
}

static void the_default_sink_writes_one_line_per_entry_to_stderr(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_FULL, &cap);
    cfg.log_sink = NULL;
    cfg.log_sink_userdata = NULL;
    assert_string_equal(capture_stderr(log_two_queries, &cfg),
                        OK_MARK " | 0.250s | 1 rows | SELECT 1\n" FAIL_MARK
                               " | [ERROR] CREATE USER u IDENTIFIED BY '***'\n");
}

static void log_nothing_much(const struct mo_config *cfg) {
    mo_log_query(cfg, 0, "SELECT 1", 8, 0.25, 1, 0);
    mo_log_message(cfg, MO_LOG_LEVEL_INFO, "hello");
}

static void the_default_sink_is_silent_when_off(void **state) {
    struct mo_config cfg;
    capture cap;
    init_cfg(&cfg, MO_LOG_OFF, &cap);
    cfg.log_sink = NULL;
    assert_string_equal(capture_stderr(log_nothing_much, &cfg), "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        /* the line */
        cmocka_unit_test(success_line_shows_mark_time_rows_and_sql),
        cmocka_unit_test(negative_time_omits_the_time_column),
        cmocka_unit_test(negative_rows_omit_the_row_column),
        cmocka_unit_test(without_time_and_rows_only_mark_and_sql_remain),
        cmocka_unit_test(zero_rows_and_zero_time_are_shown),
        cmocka_unit_test(time_is_rounded_to_three_decimals),
        cmocka_unit_test(large_row_counts_are_printed_in_full),
        cmocka_unit_test(time_uses_a_dot_even_under_a_decimal_comma_locale),
        cmocka_unit_test(surrounding_whitespace_is_stripped),
        cmocka_unit_test(failed_query_is_an_error_line_with_the_full_sql_in_every_mode),
        cmocka_unit_test(slow_query_is_marked_and_shown_in_full_in_every_mode),
        cmocka_unit_test(a_query_exactly_at_the_threshold_is_slow),
        cmocka_unit_test(a_zero_threshold_makes_every_timed_query_slow_but_not_untimed_ones),
        cmocka_unit_test(error_takes_precedence_over_slow),
        cmocka_unit_test(off_mode_formats_nothing_even_for_errors_or_slow_queries),
        cmocka_unit_test(simple_mode_shows_the_summary),
        cmocka_unit_test(full_mode_shows_long_sql_in_full),
        cmocka_unit_test(auto_mode_shows_sql_of_exactly_the_maximum_length_in_full),
        cmocka_unit_test(auto_mode_summarises_sql_one_character_over_the_maximum),
        cmocka_unit_test(auto_mode_counts_utf8_characters_not_bytes),
        cmocka_unit_test(auto_mode_measures_the_stripped_sql),
        cmocka_unit_test(an_unrecognised_mode_shows_the_full_sql),
        cmocka_unit_test(secrets_are_redacted_in_every_mode_and_state),
        cmocka_unit_test(a_summarised_statement_never_shows_a_cut_secret),
        /* the summary */
        cmocka_unit_test(select_summary_names_the_upper_cased_table),
        cmocka_unit_test(select_summary_drops_the_quotes_around_the_table),
        cmocka_unit_test(select_without_a_table_shows_the_statement),
        cmocka_unit_test(keywords_inside_identifiers_are_not_keywords),
        cmocka_unit_test(summary_ignores_leading_whitespace_and_case),
        cmocka_unit_test(single_row_insert_summary),
        cmocka_unit_test(insert_select_summary),
        cmocka_unit_test(batch_insert_without_spaces_counts_rows),
        cmocka_unit_test(batch_insert_with_spaces_counts_rows),
        cmocka_unit_test(row_separators_inside_string_values_are_not_counted),
        cmocka_unit_test(update_summary),
        cmocka_unit_test(delete_summary),
        cmocka_unit_test(create_index_summary),
        cmocka_unit_test(create_table_summary_skips_if_not_exists),
        cmocka_unit_test(create_table_with_an_inline_index_is_a_table),
        cmocka_unit_test(other_create_summary),
        cmocka_unit_test(drop_summaries),
        cmocka_unit_test(set_summary),
        cmocka_unit_test(other_statements_of_at_most_fifty_characters_are_shown_whole),
        cmocka_unit_test(other_statements_over_fifty_characters_are_cut_with_an_ellipsis),
        cmocka_unit_test(the_fallback_cut_counts_characters_and_never_splits_one),
        cmocka_unit_test(the_fallback_is_redacted),
        cmocka_unit_test(empty_sql_summarises_to_nothing),
        /* redaction */
        cmocka_unit_test(identified_by_literal_is_redacted),
        cmocka_unit_test(secrets_in_the_hex_form_of_a_value_are_redacted),
        cmocka_unit_test(identified_by_matches_any_case_and_whitespace),
        cmocka_unit_test(a_password_containing_a_doubled_quote_is_fully_redacted),
        cmocka_unit_test(a_password_containing_a_backslash_escaped_quote_is_fully_redacted),
        cmocka_unit_test(identified_with_a_plugin_is_redacted),
        cmocka_unit_test(the_replaced_password_is_redacted_too),
        cmocka_unit_test(create_account_keeps_everything_but_the_password),
        cmocka_unit_test(password_function_and_assignment_are_redacted),
        cmocka_unit_test(the_word_password_in_ordinary_text_is_left_alone),
        cmocka_unit_test(ordinary_sql_is_copied_unchanged),
        cmocka_unit_test(stage_credentials_are_redacted_but_region_and_url_kept),
        cmocka_unit_test(credential_pairs_may_have_spaces_and_double_quotes),
        cmocka_unit_test(bare_credential_keys_inside_braces_are_redacted),
        cmocka_unit_test(s3option_keys_are_redacted),
        cmocka_unit_test(uri_password_is_redacted),
        cmocka_unit_test(uri_passwords_inside_literals_are_redacted),
        cmocka_unit_test(uri_password_may_contain_at_slash_and_quotes),
        cmocka_unit_test(uris_without_a_password_are_unchanged),
        cmocka_unit_test(url_query_password_is_redacted),
        cmocka_unit_test(an_unterminated_secret_is_hidden_to_the_end),
        cmocka_unit_test(redaction_is_idempotent),
        cmocka_unit_test(redaction_appends_and_accepts_null),
        cmocka_unit_test(only_the_given_length_is_read),
        /* delivery */
        cmocka_unit_test(the_sink_receives_exactly_the_formatted_line),
        cmocka_unit_test(the_sink_gets_error_level_for_a_failed_statement),
        cmocka_unit_test(the_configured_thresholds_are_used),
        cmocka_unit_test(off_sends_nothing_even_for_errors),
        cmocka_unit_test(a_per_call_override_beats_the_configured_mode),
        cmocka_unit_test(the_override_may_be_passed_with_the_other_execute_flags),
        cmocka_unit_test(query_logging_without_a_config_does_nothing),
        cmocka_unit_test(messages_are_formatted_redacted_and_leveled),
        cmocka_unit_test(messages_follow_the_configured_mode_not_a_query_override),
        cmocka_unit_test(the_default_sink_writes_one_line_per_entry_to_stderr),
        cmocka_unit_test(the_default_sink_is_silent_when_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
