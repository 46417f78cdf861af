/* tests/unit/test_params.c — typed parameters and their rendering into SQL text
 * (src/core/params.c). Each test gets a fresh mo_params in *state. */
#include "test_support.h"
#include "internal.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ helpers */

static int setup(void **state) {
    mo_params *p = NULL;
    assert_int_equal(mo_params_new(&p), MO_OK);
    *state = p;
    return 0;
}

static int teardown(void **state) {
    mo_params_free(*state);
    return 0;
}

/* Render sql[0..len) with p; on success the text is checked against expected[0..exp_len). */
static void assert_render_bytes(const mo_params *p, const char *sql, size_t len,
                                const char *expected, size_t expected_len) {
    mo_buf out;
    mo_buf_init(&out);
    assert_int_equal(mo_params_render(&out, sql, len, p, NULL, "test.render"), MO_OK);
    if (out.len != expected_len || memcmp(out.data, expected, expected_len) != 0)
        fail_msg("rendered \"%s\", expected \"%s\"", mo_buf_cstr(&out), expected);
    mo_buf_free(&out);
}

static void assert_render(const mo_params *p, const char *sql, const char *expected) {
    assert_render_bytes(p, sql, strlen(sql), expected, strlen(expected));
}

/* The literal of the one value in p (rendering "?"), after which p is emptied again. */
static void assert_value(mo_params *p, const char *expected) {
    assert_int_equal(mo_params_count(p), 1);
    assert_render(p, "?", expected);
    assert_int_equal(mo_params_clear(p), MO_OK);
}

static mo_status render_status(const mo_params *p, const char *sql) {
    mo_buf out;
    mo_buf_init(&out);
    mo_status st = mo_params_render(&out, sql, strlen(sql), p, NULL, "test.render");
    mo_buf_free(&out);
    return st;
}

/* The last error is `category` from `operation` and its message contains `text`. */
static void assert_last_error(mo_status category, const char *operation, const char *text) {
    const mo_error *e = mo_error_last();
    assert_non_null(e);
    assert_int_equal(mo_error_category(e), category);
    assert_string_equal(mo_error_operation(e), operation);
    if (!strstr(mo_error_message(e), text))
        fail_msg("message \"%s\" lacks \"%s\"", mo_error_message(e), text);
}

/* A double renders as `expected`, which reads back as the same double. */
static void assert_double(mo_params *p, double v, const char *expected) {
    assert_int_equal(mo_params_add_double(p, v), MO_OK);
    assert_value(p, expected);
    double back = strtod(expected, NULL);
    assert_memory_equal(&back, &v, sizeof v);
}

static void assert_decimal(mo_params *p, const char *text, const char *expected) {
    assert_int_equal(mo_params_add_decimal(p, text, strlen(text)), MO_OK);
    assert_value(p, expected);
}

static void assert_decimal_rejected(mo_params *p, const char *text) {
    assert_int_equal(mo_params_add_decimal(p, text, strlen(text)), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(p), 0);
}

/* ------------------------------------------------------------------ handles */

static void new_requires_an_out_pointer(void **state) {
    assert_int_equal(mo_params_new(NULL), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.new", "out");
}

static void null_handle_is_an_invalid_argument(void **state) {
    assert_int_equal(mo_params_add_null(NULL), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_null", "");
    assert_int_equal(mo_params_add_int64(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_double(NULL, 1.0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_text(NULL, "a", 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_date(NULL, 2024, 1, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_clear(NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(NULL), 0);
    mo_params_free(NULL);
}

static void foreign_pointer_is_misuse(void **state) {
    static struct {
        mo_handle h;
        char pad[64];
    } fake;
    mo_params *p = (mo_params *)&fake;
    assert_int_equal(mo_params_add_bool(p, 1), MO_E_MISUSE);
    assert_last_error(MO_E_MISUSE, "params.add_bool", "");
    assert_int_equal(mo_params_count(p), 0);
}

static void clear_removes_values_and_keeps_the_handle(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_text(p, "abc", 3), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 1), MO_OK);
    assert_int_equal(mo_params_count(p), 2);
    assert_int_equal(mo_params_clear(p), MO_OK);
    assert_int_equal(mo_params_count(p), 0);
    assert_int_equal(mo_params_add_int64(p, 5), MO_OK);
    assert_value(p, "5");
}

/* The values share one growing buffer: the first ones stay intact while later ones make it
 * grow, and a cleared set is filled again from its start. */
static void many_values_keep_their_bytes(void **state) {
    mo_params *p = *state;
    /* static: a 63 KB frame would pass memcheck's --max-stackframe (tests/valgrind) */
    static char expected[300 * 210 + 1];
    char text[200], sql[2 * 300 + 1] = "";
    for (int round = 0; round < 2; round++) {
        size_t n = 0;
        sql[0] = expected[0] = 0;
        for (int i = 0; i < 300; i++) {
            int len = snprintf(text, sizeof text, "%d-%0*d", round, i % 150, i);
            if (i % 3 == 0) {
                assert_int_equal(mo_params_add_text(p, text, (size_t)len), MO_OK);
                n += (size_t)sprintf(expected + n, "%s'%s'", i ? "," : "", text);
            } else if (i % 3 == 1) {
                assert_int_equal(mo_params_add_decimal(p, "-0012.50", 8), MO_OK);
                n += (size_t)sprintf(expected + n, "%s-12.50", i ? "," : "");
            } else {
                assert_int_equal(mo_params_add_int64(p, i), MO_OK);
                n += (size_t)sprintf(expected + n, "%s%d", i ? "," : "", i);
            }
            strcat(sql, i ? ",?" : "?");
        }
        assert_render(p, sql, expected);
        assert_int_equal(mo_params_clear(p), MO_OK);
    }
}

static void values_are_copied_when_added(void **state) {
    mo_params *p = *state;
    char text[] = "before";
    assert_int_equal(mo_params_add_text(p, text, strlen(text)), MO_OK);
    memcpy(text, "AFTER!", 6);
    assert_value(p, "'before'");
}

/* ------------------------------------------------------------------ placeholder counting */

static void null_params_leave_sql_verbatim(void **state) {
    assert_render(NULL, "SELECT ?, '?' -- ?", "SELECT ?, '?' -- ?");
}

static void empty_params_with_no_placeholders_is_ok(void **state) {
    assert_render(*state, "SELECT 1", "SELECT 1");
}

static void empty_params_with_a_placeholder_is_a_count_mismatch(void **state) {
    assert_int_equal(render_status(*state, "SELECT ?"), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "test.render",
                      "statement has 1 ? placeholder but 0 parameters were given");
}

static void more_placeholders_than_parameters_is_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 1), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 2), MO_OK);
    assert_int_equal(render_status(p, "SELECT ?, ?, ?"), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "test.render",
                      "statement has 3 ? placeholders but 2 parameters were given");
}

static void fewer_placeholders_than_parameters_is_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 1), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 2), MO_OK);
    assert_int_equal(render_status(p, "SELECT ?"), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "test.render",
                      "statement has 1 ? placeholder but 2 parameters were given");
}

static void values_fill_placeholders_in_order(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 1), MO_OK);
    assert_int_equal(mo_params_add_text(p, "two", 3), MO_OK);
    assert_int_equal(mo_params_add_null(p), MO_OK);
    assert_render(p, "INSERT INTO t VALUES (?, ?, ?)", "INSERT INTO t VALUES (1, 'two', NULL)");
}

static void many_placeholders_render(void **state) {
    mo_params *p = *state;
    char sql[400] = "SELECT ";
    char expected[800] = "SELECT ";
    for (int i = 0; i < 100; i++) {
        assert_int_equal(mo_params_add_int64(p, i), MO_OK);
        strcat(sql, i ? ",?" : "?");
        snprintf(expected + strlen(expected), 8, i ? ",%d" : "%d", i);
    }
    assert_render(p, sql, expected);
}

static void question_mark_in_a_value_is_not_rescanned(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_text(p, "?", 1), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 2), MO_OK);
    assert_render(p, "SELECT ?, ?", "SELECT '?', 2");
}

static void question_mark_inside_single_quotes_is_not_a_placeholder(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT '?', ?", "SELECT '?', 7");
}

static void question_mark_inside_double_quotes_is_not_a_placeholder(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT \"?\", ?", "SELECT \"?\", 7");
}

static void question_mark_inside_backticks_is_not_a_placeholder(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT `a?` FROM t WHERE b = ?", "SELECT `a?` FROM t WHERE b = 7");
}

static void question_mark_in_a_dash_dash_comment_is_not_a_placeholder(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT ? -- why?\n", "SELECT 7 -- why?\n");
}

static void dash_dash_without_a_space_is_not_a_comment(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 3), MO_OK);
    assert_render(p, "SELECT 1--?", "SELECT 1--3");
}

static void question_mark_in_a_hash_comment_is_not_a_placeholder(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT ? # why?", "SELECT 7 # why?");
}

static void question_mark_in_a_block_comment_is_not_a_placeholder(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT /* ? */ ?", "SELECT /* ? */ 7");
}

static void doubled_quote_keeps_the_literal_open(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_render(p, "SELECT 'it''s ?', ?", "SELECT 'it''s ?', 7");
}

static void placeholder_that_depends_on_the_escape_mode_is_refused(void **state) {
    mo_params *p = *state;
    /* With backslash escapes 'a\'?' is one literal (no placeholder); under
     * NO_BACKSLASH_ESCAPES 'a\' ends and ? is one. mocore cannot know which the server has
     * (MatrixOne does not report the mode), so it substitutes in neither. */
    assert_int_equal(mo_params_add_int64(p, 7), MO_OK);
    assert_int_equal(render_status(p, "SELECT 'a\\'?'"), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "test.render", "NO_BACKSLASH_ESCAPES");
    assert_int_equal(render_status(p, "SELECT '\\' , ?"), MO_E_INVALID_ARGUMENT);
    /* a backslash that reads the same in every mode is fine */
    assert_render(p, "SELECT 'a\\\\b', ?", "SELECT 'a\\\\b', 7");
}

/* ------------------------------------------------------------------ text */

static void text_is_a_quoted_literal(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_text(p, "hello", 5), MO_OK);
    assert_value(p, "'hello'");
    assert_int_equal(mo_params_add_text(p, "", 0), MO_OK);
    assert_value(p, "''");
    assert_int_equal(mo_params_add_text(p, NULL, 0), MO_OK);
    assert_value(p, "''");
}

static void text_quotes_are_doubled_and_no_backslash_is_written(void **state) {
    mo_params *p = *state;
    const char *v = "O'Brien \"x\"";
    assert_int_equal(mo_params_add_text(p, v, strlen(v)), MO_OK);
    assert_value(p, "'O''Brien \"x\"'");
}

static void text_with_a_backslash_is_a_hex_literal_of_the_client_charset(void **state) {
    mo_params *p = *state;
    const char *v = "O'Brien \\ \"x\"";
    assert_int_equal(mo_params_add_text(p, v, strlen(v)), MO_OK);
    assert_value(p, "_utf8mb4 X'4F27427269656E205C20227822'");
}

static void gbk_payload_parameter_has_no_backslash(void **state) {
    mo_params *p = *state;
    const char *v = "\xe4\xbd\xa0\\' OR 1=1 -- ";
    assert_int_equal(mo_params_add_text(p, v, strlen(v)), MO_OK);
    assert_int_equal(mo_params_add_text(p, v + 3, 1), MO_OK);
    mo_buf out;
    mo_buf_init(&out);
    assert_int_equal(mo_params_render(&out, "SELECT ?, ?", 11, p, "latin1", "test.render"), MO_OK);
    assert_string_equal(mo_buf_cstr(&out),
                        "SELECT _latin1 X'E4BDA05C27204F5220313D31202D2D20', _latin1 X'5C'");
    mo_buf_free(&out);
}

static void text_with_nul_bytes_is_kept_whole(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_text(p, "a\0b", 3), MO_OK);
    assert_render_bytes(p, "?", 1, "_utf8mb4 X'610062'", 18);
}

static void text_with_newlines_and_control_z(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_text(p, "1\n2\r3", 5), MO_OK);
    assert_render_bytes(p, "?", 1, "'1\n2\r3'", 7);
    assert_int_equal(mo_params_clear(p), MO_OK);
    assert_int_equal(mo_params_add_text(p, "1\x1a", 2), MO_OK);
    assert_render_bytes(p, "?", 1, "_utf8mb4 X'311A'", 16);
}

static void multibyte_utf8_text_is_sent_unchanged(void **state) {
    mo_params *p = *state;
    const char *v = "h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80";
    assert_int_equal(mo_params_add_text(p, v, strlen(v)), MO_OK);
    assert_value(p, "'h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x98\x80'");
}

static void invalid_utf8_text_is_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_text(p, "ab\xc3(", 4), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_text", "not valid UTF-8");
    assert_int_equal(mo_params_count(p), 0);
    assert_int_equal(mo_params_add_text(p, NULL, 3), MO_E_INVALID_ARGUMENT);
}

static void json_is_a_string_literal(void **state) {
    mo_params *p = *state;
    const char *v = "{\"k\": \"it's\"}";
    assert_int_equal(mo_params_add_json(p, v, strlen(v)), MO_OK);
    assert_value(p, "'{\"k\": \"it''s\"}'");
    assert_int_equal(mo_params_add_json(p, "\"\xff\"", 3), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_json", "JSON value is not valid UTF-8");
}

/* ------------------------------------------------------------------ blobs */

static void blob_with_every_byte_value_is_a_hex_literal(void **state) {
    mo_params *p = *state;
    unsigned char bytes[256];
    char expected[3 + 512 + 1] = "X'";
    for (int i = 0; i < 256; i++) {
        bytes[i] = (unsigned char)i;
        snprintf(expected + 2 + 2 * i, 3, "%02X", i);
    }
    strcat(expected, "'");
    assert_int_equal(mo_params_add_blob(p, bytes, sizeof bytes), MO_OK);
    assert_value(p, expected);
}

static void empty_blob_is_an_empty_hex_literal(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_blob(p, NULL, 0), MO_OK);
    assert_value(p, "X''");
    assert_int_equal(mo_params_add_blob(p, NULL, 1), MO_E_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------------ numbers */

static void null_and_bool_render_as_keywords(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_null(p), MO_OK);
    assert_value(p, "NULL");
    assert_int_equal(mo_params_add_bool(p, 42), MO_OK);
    assert_value(p, "TRUE");
    assert_int_equal(mo_params_add_bool(p, 0), MO_OK);
    assert_value(p, "FALSE");
}

static void integers_render_exactly_at_their_limits(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, INT64_MIN), MO_OK);
    assert_value(p, "-9223372036854775808");
    assert_int_equal(mo_params_add_int64(p, INT64_MAX), MO_OK);
    assert_value(p, "9223372036854775807");
    assert_int_equal(mo_params_add_uint64(p, UINT64_MAX), MO_OK);
    assert_value(p, "18446744073709551615");
    assert_int_equal(mo_params_add_int64(p, 123456789012345678), MO_OK);
    assert_value(p, "123456789012345678");
}

/* A value stays one token of its own, as a server-side placeholder is: where the template
 * byte before or after the `?` would glue to the literal, a space separates them (found by
 * tests/fuzz/fuzz_params.c: "?\xfd" with 1 was the identifier 1\xfd). */
static void a_value_is_never_glued_to_a_neighbouring_token(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, 1), MO_OK);
    assert_int_equal(mo_params_add_uint64(p, 5), MO_OK);
    assert_int_equal(mo_params_add_text(p, "ab", 2), MO_OK);
    assert_int_equal(mo_params_add_text(p, "c", 1), MO_OK);
    assert_int_equal(mo_params_add_null(p), MO_OK);
    assert_render(p, "SELECT t?, ?e3, X?, 'a'?, ?x", "SELECT t 1, 5 e3, X 'ab', 'a' 'c', NULL x");
    assert_int_equal(mo_params_clear(p), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 2), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 3), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 4), MO_OK);
    assert_render(p, "SELECT 1.?, ?.5, ?\xfd", "SELECT 1. 2, 3 .5, 4 \xfd");
    assert_int_equal(mo_params_clear(p), MO_OK);
    assert_int_equal(mo_params_add_int64(p, -5), MO_OK);
    assert_render(p, "SELECT 1E?", "SELECT 1E -5"); /* not the number 1E-5 */
    assert_int_equal(mo_params_clear(p), MO_OK);
    assert_int_equal(mo_params_add_int64(p, 5), MO_OK);
    assert_render(p, "SELECT 1e-?", "SELECT 1e- 5"); /* not 1e-5 */
    assert_int_equal(mo_params_clear(p), MO_OK);
    /* Nothing changes where nothing would glue. */
    assert_int_equal(mo_params_add_int64(p, -1), MO_OK);
    assert_int_equal(mo_params_add_text(p, "d", 1), MO_OK);
    assert_render(p, "VALUES(?,?)", "VALUES(-1,'d')");
}

static void negative_number_after_a_minus_is_parenthesised(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_int64(p, -1), MO_OK);
    assert_int_equal(mo_params_add_double(p, -2.5), MO_OK);
    assert_int_equal(mo_params_add_decimal(p, "-3", 2), MO_OK);
    assert_int_equal(mo_params_add_int64(p, -4), MO_OK);
    assert_render(p, "SELECT 1-?, 1--?, 1 -?, 1 - ?", "SELECT 1-(-1), 1--(-2.5e0), 1 -(-3), 1 - -4");
}

static void doubles_render_in_shortest_round_trip_form_with_a_double_exponent(void **state) {
    mo_params *p = *state;
    /* Without an exponent MySQL would read "0.1" as an exact DECIMAL. */
    assert_double(p, 0.1, "0.1e0");
    assert_double(p, 1e-07, "1e-07");
    assert_double(p, 2.5, "2.5e0");
    assert_double(p, -1234.5678, "-1234.5678e0");
    assert_double(p, 0.1 + 0.2, "0.30000000000000004e0");
    assert_double(p, 1.0 / 3.0, "0.3333333333333333e0");
    assert_double(p, 123456789012345678.0, "1.2345678901234568e+17");
}

static void integral_doubles_get_an_exponent_to_stay_doubles(void **state) {
    mo_params *p = *state;
    assert_double(p, 1.0, "1e0");
    assert_double(p, 0.0, "0e0");
    assert_double(p, -0.0, "-0e0");
    assert_double(p, 100.0, "100e0");
    assert_double(p, 1e20, "1e+20");
}

static void extreme_doubles_round_trip(void **state) {
    mo_params *p = *state;
    assert_double(p, DBL_MAX, "1.7976931348623157e+308");
    assert_double(p, -DBL_MAX, "-1.7976931348623157e+308");
    assert_double(p, DBL_MIN, "2.2250738585072014e-308");
    assert_double(p, 4.9406564584124654e-324, "4.94065645841247e-324"); /* smallest denormal */
    assert_double(p, DBL_EPSILON, "2.220446049250313e-16");
}

static void random_doubles_round_trip(void **state) {
    srand(12345);
    mo_buf b;
    mo_buf_init(&b);
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = 0;
        for (int k = 0; k < 8; k++) bits = (bits << 8) | (uint64_t)(rand() & 0xff);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v)) continue;
        mo_buf_reset(&b);
        mo_sql_append_double(&b, v);
        double back = strtod(mo_buf_cstr(&b), NULL);
        if (memcmp(&back, &v, sizeof v) != 0) fail_msg("%s does not read back", b.data);
    }
    mo_buf_free(&b);
}

static void nan_and_infinity_are_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_double(p, NAN), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_double", "NaN");
    assert_int_equal(mo_params_add_double(p, INFINITY), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_double(p, -INFINITY), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(p), 0);
}

static void doubles_ignore_the_c_locale(void **state) {
    /* Needs a locale whose decimal point is ','; LOCPATH may point at one built by localedef. */
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "de_DE.utf8")) skip();
    mo_params *p = *state;
    assert_int_equal(mo_params_add_double(p, 2.5), MO_OK);
    float v[] = {0.25f};
    assert_int_equal(mo_params_add_vector_f32(p, v, 1), MO_OK);
    assert_int_equal(mo_params_add_vector_f64(p, (const double[]){0.1}, 1), MO_OK);
    mo_buf out;
    mo_buf_init(&out);
    mo_status st = mo_params_render(&out, "?,?,?", 5, p, 0, "test.render");
    setlocale(LC_NUMERIC, "C");
    assert_int_equal(st, MO_OK);
    assert_string_equal(mo_buf_cstr(&out), "2.5e0,'[0.25]','[0.1]'");
    mo_buf_free(&out);
}

static void decimals_render_unquoted_in_plain_notation(void **state) {
    mo_params *p = *state;
    assert_decimal(p, "-12.50", "-12.50");
    assert_decimal(p, "0", "0");
    assert_decimal(p, "+7", "7");
    assert_decimal(p, "007.10", "7.10");
    assert_decimal(p, ".5", "0.5");
    assert_decimal(p, "5.", "5");
    assert_decimal(p, "0.000", "0.000");
    /* the plain forms that are kept as they are, and their near misses */
    assert_decimal(p, "1234.56", "1234.56");
    assert_decimal(p, "-0", "-0");
    assert_decimal(p, "0.5", "0.5");
    assert_decimal(p, "-0.05", "-0.05");
    assert_decimal(p, "10", "10");
    assert_decimal(p, "00", "0");
    assert_decimal(p, "-007", "-7");
    assert_decimal(p, "-.5", "-0.5");
    assert_decimal(p, "-5.", "-5");
    const char *wide = "123456789012345678901234567890.123456789";
    assert_decimal(p, wide, wide);
}

static void decimal_exponents_are_applied_exactly(void **state) {
    mo_params *p = *state;
    assert_decimal(p, "1e3", "1000");
    assert_decimal(p, "1.5E+3", "1500");
    assert_decimal(p, "12.5e1", "125");
    assert_decimal(p, "12.50e1", "125.0");
    assert_decimal(p, "1.5e-3", "0.0015");
    assert_decimal(p, "-.5e-1", "-0.05");
    assert_decimal(p, "123e-1", "12.3");
    assert_decimal(p, "0e5", "0");
    assert_decimal(p, "5.e0", "5");
}

static void malformed_decimals_are_rejected(void **state) {
    mo_params *p = *state;
    assert_decimal_rejected(p, "1.2.3");
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_decimal", "not a number");
    assert_decimal_rejected(p, "abc");
    assert_decimal_rejected(p, "");
    assert_decimal_rejected(p, "1e");
    assert_decimal_rejected(p, "1e+");
    assert_decimal_rejected(p, "e5");
    assert_decimal_rejected(p, ".");
    assert_decimal_rejected(p, "-");
    assert_decimal_rejected(p, " 1");
    assert_decimal_rejected(p, "1 ");
    assert_decimal_rejected(p, "0x10");
    assert_decimal_rejected(p, "1; DROP TABLE t");
    assert_decimal_rejected(p, "1e1001");
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_decimal", "exponent");
    assert_int_equal(mo_params_add_decimal(p, "1\0", 2), MO_E_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------------ dates and times */

static void dates_render_quoted(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_date(p, 2024, 3, 7), MO_OK);
    assert_value(p, "'2024-03-07'");
    assert_int_equal(mo_params_add_date(p, 0, 1, 1), MO_OK);
    assert_value(p, "'0000-01-01'");
    assert_int_equal(mo_params_add_date(p, 9999, 12, 31), MO_OK);
    assert_value(p, "'9999-12-31'");
}

static void leap_days_follow_the_gregorian_rules(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_date(p, 2024, 2, 29), MO_OK);
    assert_int_equal(mo_params_add_date(p, 2000, 2, 29), MO_OK);
    assert_int_equal(mo_params_count(p), 2);
    assert_int_equal(mo_params_add_date(p, 2023, 2, 29), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_date", "day 29 is outside 1..28");
    assert_int_equal(mo_params_add_date(p, 1900, 2, 29), MO_E_INVALID_ARGUMENT);
}

static void out_of_range_dates_are_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_date(p, 2024, 13, 1), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_date", "month 13");
    assert_int_equal(mo_params_add_date(p, 2024, 0, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_date(p, 2024, 4, 31), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_date(p, 2024, 1, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_date(p, 0, 0, 0), MO_E_INVALID_ARGUMENT); /* zero date */
    assert_int_equal(mo_params_add_date(p, -1, 1, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_date(p, 10000, 1, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(p), 0);
}

static void times_render_with_a_fraction_only_when_needed(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_time(p, 0, 12, 34, 56, 0), MO_OK);
    assert_value(p, "'12:34:56'");
    assert_int_equal(mo_params_add_time(p, 0, 1, 2, 3, 4), MO_OK);
    assert_value(p, "'01:02:03.000004'");
    assert_int_equal(mo_params_add_time(p, 1, 838, 59, 59, 0), MO_OK);
    assert_value(p, "'-838:59:59'");
    assert_int_equal(mo_params_add_time(p, 0, 838, 59, 58, 999999), MO_OK);
    assert_value(p, "'838:59:58.999999'");
    assert_int_equal(mo_params_add_time(p, 1, 0, 0, 0, 500000), MO_OK);
    assert_value(p, "'-00:00:00.500000'");
}

static void out_of_range_times_are_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_time(p, 0, 839, 0, 0, 0), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_time", "hour 839");
    assert_int_equal(mo_params_add_time(p, 0, 838, 59, 59, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_time(p, 0, 1, 60, 0, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_time(p, 0, 1, 0, 60, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_time(p, 0, 1, 0, 0, 1000000), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(p), 0);
}

static void datetimes_render_quoted(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_datetime(p, 2024, 2, 29, 23, 59, 59, 0), MO_OK);
    assert_value(p, "'2024-02-29 23:59:59'");
    assert_int_equal(mo_params_add_datetime(p, 1999, 1, 2, 3, 4, 5, 123456), MO_OK);
    assert_value(p, "'1999-01-02 03:04:05.123456'");
}

static void out_of_range_datetimes_are_rejected(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_datetime(p, 2024, 1, 1, 24, 0, 0, 0), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_datetime", "hour 24");
    assert_int_equal(mo_params_add_datetime(p, 2023, 2, 29, 0, 0, 0, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_datetime(p, 2024, 1, 1, 0, 0, 0, 1000000),
                     MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(p), 0);
}

/* ------------------------------------------------------------------ vectors */

static void float32_vectors_render_shortest_elements(void **state) {
    mo_params *p = *state;
    const float v[] = {1.0f, 2.5f, -3e-07f, 0.1f, FLT_MAX, -0.0f};
    assert_int_equal(mo_params_add_vector_f32(p, v, 6), MO_OK);
    assert_value(p, "'[1,2.5,-3e-07,0.1,3.4028235e+38,-0]'");
}

static void float64_vectors_render_shortest_elements(void **state) {
    mo_params *p = *state;
    const double v[] = {1.0, 2.5, -3e-07, 0.1, 0.1 + 0.2};
    assert_int_equal(mo_params_add_vector_f64(p, v, 5), MO_OK);
    assert_value(p, "'[1,2.5,-3e-07,0.1,0.30000000000000004]'");
}

static void empty_vector_is_empty_brackets(void **state) {
    mo_params *p = *state;
    assert_int_equal(mo_params_add_vector_f32(p, NULL, 0), MO_OK);
    assert_value(p, "'[]'");
    assert_int_equal(mo_params_add_vector_f64(p, NULL, 0), MO_OK);
    assert_value(p, "'[]'");
}

static void vectors_with_nan_or_infinity_are_rejected(void **state) {
    mo_params *p = *state;
    const float f[] = {1.0f, NAN};
    const double d[] = {INFINITY};
    assert_int_equal(mo_params_add_vector_f32(p, f, 2), MO_E_INVALID_ARGUMENT);
    assert_last_error(MO_E_INVALID_ARGUMENT, "params.add_vector_f32", "element 1");
    assert_int_equal(mo_params_add_vector_f64(p, d, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_add_vector_f64(p, NULL, 2), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_params_count(p), 0);
}

static void float32_vector_elements_round_trip(void **state) {
    mo_params *p = *state;
    srand(777);
    float v[64];
    for (int i = 0; i < 64; i++) {
        uint32_t bits = ((uint32_t)rand() << 16) ^ (uint32_t)rand();
        memcpy(&v[i], &bits, sizeof bits);
        if (!isfinite(v[i])) v[i] = (float)i;
    }
    assert_int_equal(mo_params_add_vector_f32(p, v, 64), MO_OK);
    mo_buf out;
    mo_buf_init(&out);
    assert_int_equal(mo_params_render(&out, "?", 1, p, 0, "test.render"), MO_OK);
    const char *s = mo_buf_cstr(&out) + 2; /* past '[ */
    for (int i = 0; i < 64; i++) {
        char *end;
        float back = strtof(s, &end);
        assert_memory_equal(&back, &v[i], sizeof back);
        s = end + 1;
    }
    mo_buf_free(&out);
}

/* ------------------------------------------------------------------ PyMySQL's placeholders */

/* mo_sql_format_placeholders on sql: the placeholders as "offset:length" words, then
 * "?N" for the `?` count, e.g. "7:2 ?0". */
static void assert_format_holes(const char *sql, const char *expected) {
    size_t count = 99, qmarks = 99, at[8], len[8];
    assert_int_equal(mo_sql_format_placeholders(&count, &qmarks, sql, strlen(sql), at, len, 8),
                     MO_OK);
    char got[256] = "";
    size_t used = 0;
    for (size_t k = 0; k < count && k < 8; k++)
        used += (size_t)snprintf(got + used, sizeof got - used, "%zu:%zu ", at[k], len[k]);
    snprintf(got + used, sizeof got - used, "?%zu", qmarks);
    if (strcmp(got, expected) != 0) fail_msg("\"%s\": got \"%s\", expected \"%s\"", sql, got, expected);
}

static void format_placeholders_are_found_outside_literals_and_comments(void **state) {
    (void)state;
    assert_format_holes("SELECT %s, %s", "7:2 11:2 ?0");
    assert_format_holes("SELECT '%s', \"%s\", `%s`, %s", "25:2 ?0");
    assert_format_holes("SELECT 1 -- %s\n, %s # %s\n/* %s */", "17:2 ?0");
    assert_format_holes("SELECT %(name)s, %(a b)s", "7:8 17:7 ?0");
}

static void double_percent_and_a_lone_percent_are_no_placeholders(void **state) {
    (void)state;
    assert_format_holes("SELECT 7 %% 4, '100%%', %%s, %%%s", "31:2 ?0");
    assert_format_holes("SELECT 7 % 4, %d, %(unclosed", "?0");
}

static void question_marks_outside_literals_are_counted(void **state) {
    (void)state;
    assert_format_holes("SELECT ?, '?', %s", "15:2 ?1");
}

static void format_placeholders_that_depend_on_the_escape_mode_are_refused(void **state) {
    (void)state;
    size_t count, qmarks;
    const char *sql = "SELECT 'a\\', %s";
    assert_int_equal(mo_sql_format_placeholders(&count, &qmarks, sql, strlen(sql), NULL, NULL, 0),
                     MO_E_INVALID_ARGUMENT);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "NO_BACKSLASH_ESCAPES"));
}

static void format_placeholders_count_beyond_max_and_check_arguments(void **state) {
    (void)state;
    size_t count, qmarks, at[1], len[1];
    assert_int_equal(mo_sql_format_placeholders(&count, &qmarks, "%s %s %s", 8, at, len, 1), MO_OK);
    assert_int_equal(count, 3);
    assert_int_equal(at[0], 0);
    assert_int_equal(mo_sql_format_placeholders(NULL, &qmarks, "%s", 2, at, len, 1),
                     MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_sql_format_placeholders(&count, &qmarks, NULL, 2, at, len, 1),
                     MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_sql_format_placeholders(&count, &qmarks, "%s", 2, NULL, NULL, 1),
                     MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_sql_format_placeholders(&count, &qmarks, "%s", 2, NULL, NULL, 0), MO_OK);
    assert_int_equal(count, 1);
}

/* ------------------------------------------------------------------ INSERT ... VALUES rows */

/* mo_sql_insert_row on sql: "row|holes|tail" (the row's text, its `?` count, the tail's
 * text), or "-" for MO_DONE. */
static void assert_insert_row(const char *sql, const char *expected) {
    size_t start, end, holes, tail_end;
    mo_status st = mo_sql_insert_row(&start, &end, &holes, &tail_end, sql, strlen(sql));
    char got[256];
    if (st == MO_DONE)
        snprintf(got, sizeof got, "-");
    else if (st == MO_OK)
        snprintf(got, sizeof got, "%.*s|%zu|%.*s", (int)(end - start), sql + start, holes,
                 (int)(tail_end - end), sql + end);
    else
        fail_msg("\"%s\": status %d", sql, st);
    if (strcmp(got, expected) != 0) fail_msg("\"%s\": got \"%s\", expected \"%s\"", sql, got, expected);
}

static void insert_row_is_found_by_the_lexer(void **state) {
    (void)state;
    assert_insert_row("INSERT INTO t (a, b) VALUES (?, ?)", "(?, ?)|2|");
    assert_insert_row("replace t values (?, CAST('1?)' AS CHAR(1)) + ?) ON DUPLICATE KEY "
                      "UPDATE a = VALUES(a) + 1;  ",
                      "(?, CAST('1?)' AS CHAR(1)) + ?)|2| ON DUPLICATE KEY UPDATE a = VALUES(a) + 1");
    assert_insert_row("INSERT INTO `values` (`?`) VALUES /* ( */ (?) -- ?\n",
                      "(?)|1| -- ?\n");
    assert_insert_row("INSERT INTO t$values (a) VALUES (1)", "(1)|0|");
}

static void other_shapes_have_no_insert_row(void **state) {
    (void)state;
    assert_insert_row("UPDATE t SET a = ? WHERE b = ?", "-");
    assert_insert_row("INSERT INTO t (a) VALUES (?), (?)", "-");
    assert_insert_row("INSERT INTO t (a) SELECT ?", "-");
    assert_insert_row("INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE a = ?", "-");
    assert_insert_row("INSERT INTO t (a) VALUES (?); DROP TABLE t", "-");
    assert_insert_row("INSERT INTO t (a) VALUES (?", "-");
    assert_insert_row("INSERT INTO t (a) VALUES ('a\\', ?)", "-"); /* depends on the mode */
    size_t a, b, c, d;
    assert_int_equal(mo_sql_insert_row(NULL, &b, &c, &d, "x", 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_sql_insert_row(&a, &b, &c, &d, NULL, 1), MO_E_INVALID_ARGUMENT);
}

/* The temporal literals are written by hand: they are what printf's %04d-%02u-%02u and
 * %02u:%02u:%02u[.%06u] wrote, over a grid of every field's range. */
static void temporal_literals_match_printf(void **state) {
    mo_params *p = *state;
    char want[64];
    static const unsigned micros[] = {0, 1, 10, 999999, 123456, 500000};
    for (int year = 0; year <= 9999; year += 37) {
        unsigned month = 1 + (unsigned)year % 12, day = 1 + (unsigned)year % 28;
        for (unsigned hour = 0; hour < 24; hour += 5)
            for (unsigned k = 0; k < sizeof micros / sizeof micros[0]; k++) {
                unsigned minute = (hour * 7 + k) % 60, second = (hour * 13 + k * 11) % 60;
                assert_int_equal(mo_params_add_datetime(p, year, month, day, hour, minute, second,
                                                        micros[k]), MO_OK);
                if (micros[k])
                    snprintf(want, sizeof want, "'%04d-%02u-%02u %02u:%02u:%02u.%06u'", year, month,
                             day, hour, minute, second, micros[k]);
                else
                    snprintf(want, sizeof want, "'%04d-%02u-%02u %02u:%02u:%02u'", year, month, day,
                             hour, minute, second);
                assert_value(p, want);
            }
        assert_int_equal(mo_params_add_date(p, year, month, day), MO_OK);
        snprintf(want, sizeof want, "'%04d-%02u-%02u'", year, month, day);
        assert_value(p, want);
    }
    for (unsigned hours = 0; hours <= 838; hours += 19)
        for (int negative = 0; negative <= 1; negative++) {
            assert_int_equal(mo_params_add_time(p, negative, hours, 59, 7, negative ? 42 : 0), MO_OK);
            snprintf(want, sizeof want, negative ? "'-%02u:59:07.000042'" : "'%02u:59:07'", hours);
            assert_value(p, want);
        }
}

int main(void) {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(new_requires_an_out_pointer),
        T(temporal_literals_match_printf),
        T(null_handle_is_an_invalid_argument),
        T(foreign_pointer_is_misuse),
        T(clear_removes_values_and_keeps_the_handle),
        T(values_are_copied_when_added),
        T(null_params_leave_sql_verbatim),
        T(format_placeholders_are_found_outside_literals_and_comments),
        T(double_percent_and_a_lone_percent_are_no_placeholders),
        T(question_marks_outside_literals_are_counted),
        T(format_placeholders_that_depend_on_the_escape_mode_are_refused),
        T(format_placeholders_count_beyond_max_and_check_arguments),
        T(insert_row_is_found_by_the_lexer),
        T(other_shapes_have_no_insert_row),
        T(empty_params_with_no_placeholders_is_ok),
        T(empty_params_with_a_placeholder_is_a_count_mismatch),
        T(more_placeholders_than_parameters_is_rejected),
        T(fewer_placeholders_than_parameters_is_rejected),
        T(values_fill_placeholders_in_order),
        T(many_placeholders_render),
        T(question_mark_in_a_value_is_not_rescanned),
        T(question_mark_inside_single_quotes_is_not_a_placeholder),
        T(question_mark_inside_double_quotes_is_not_a_placeholder),
        T(question_mark_inside_backticks_is_not_a_placeholder),
        T(question_mark_in_a_dash_dash_comment_is_not_a_placeholder),
        T(dash_dash_without_a_space_is_not_a_comment),
        T(question_mark_in_a_hash_comment_is_not_a_placeholder),
        T(question_mark_in_a_block_comment_is_not_a_placeholder),
        T(doubled_quote_keeps_the_literal_open),
        T(placeholder_that_depends_on_the_escape_mode_is_refused),
        T(text_is_a_quoted_literal),
        T(text_quotes_are_doubled_and_no_backslash_is_written),
        T(text_with_a_backslash_is_a_hex_literal_of_the_client_charset),
        T(gbk_payload_parameter_has_no_backslash),
        T(text_with_nul_bytes_is_kept_whole),
        T(text_with_newlines_and_control_z),
        T(multibyte_utf8_text_is_sent_unchanged),
        T(invalid_utf8_text_is_rejected),
        T(json_is_a_string_literal),
        T(blob_with_every_byte_value_is_a_hex_literal),
        T(empty_blob_is_an_empty_hex_literal),
        T(null_and_bool_render_as_keywords),
        T(integers_render_exactly_at_their_limits),
        T(negative_number_after_a_minus_is_parenthesised),
        T(a_value_is_never_glued_to_a_neighbouring_token),
        T(doubles_render_in_shortest_round_trip_form_with_a_double_exponent),
        T(integral_doubles_get_an_exponent_to_stay_doubles),
        T(extreme_doubles_round_trip),
        T(random_doubles_round_trip),
        T(nan_and_infinity_are_rejected),
        T(doubles_ignore_the_c_locale),
        T(decimals_render_unquoted_in_plain_notation),
        T(many_values_keep_their_bytes),
        T(decimal_exponents_are_applied_exactly),
        T(malformed_decimals_are_rejected),
        T(dates_render_quoted),
        T(leap_days_follow_the_gregorian_rules),
        T(out_of_range_dates_are_rejected),
        T(times_render_with_a_fraction_only_when_needed),
        T(out_of_range_times_are_rejected),
        T(datetimes_render_quoted),
        T(out_of_range_datetimes_are_rejected),
        T(float32_vectors_render_shortest_elements),
        T(float64_vectors_render_shortest_elements),
        T(empty_vector_is_empty_brackets),
        T(vectors_with_nan_or_infinity_are_rejected),
        T(float32_vector_elements_round_trip),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
