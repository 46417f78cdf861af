/* src/core/json.c: the one JSON reader (mo_ctl answers, CDC task columns, test vectors). */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"
#include "internal.h"

static mo_json *parse(const char *text) { return mo_json_parse(text, strlen(text), NULL); }

static void members_elements_and_types(void **state) {
    (void)state;
    mo_json *j = parse(" {\"method\": \"Flush\", \"result\": [{\"returnStr\": \"OK\", \"n\": -1.5e3},"
                       " true, null], \"a\\\"b\": 1, \"nested\": {\"x\": {\"y\": [1, [2, 3]]}}} ");
    assert_non_null(j);
    assert_int_equal(j->type, MO_JSON_OBJECT);
    assert_int_equal(mo_json_count(j), 4);
    assert_string_equal(mo_json_get(j, "method")->string, "Flush");
    const mo_json *result = mo_json_get(j, "result");
    assert_int_equal(mo_json_count(result), 3);
    assert_string_equal(mo_json_get(mo_json_at(result, 0), "returnStr")->string, "OK");
    assert_true(mo_json_get(mo_json_at(result, 0), "n")->number == -1500.0);
    assert_int_equal(mo_json_at(result, 1)->type, MO_JSON_BOOL);
    assert_true(mo_json_at(result, 1)->boolean);
    assert_int_equal(mo_json_at(result, 2)->type, MO_JSON_NULL);
    assert_null(mo_json_at(result, 3));
    assert_non_null(mo_json_get(j, "a\"b"));
    const mo_json *y = mo_json_get(mo_json_get(mo_json_get(j, "nested"), "x"), "y");
    assert_true(mo_json_at(mo_json_at(y, 1), 0)->number == 2.0);
    assert_null(mo_json_get(j, "missing"));
    assert_null(mo_json_get(mo_json_get(j, "method"), "x"));
    assert_null(mo_json_get(NULL, "x"));
    assert_int_equal(mo_json_count(NULL), 0);
    mo_json_free(j);
}

static void invalid_documents_are_refused(void **state) {
    (void)state;
    static const char *const bad[] = {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\" 1}",
                                      "tru", "\"unterminated", "{\"a\":1} x", "-", "1.x",
                                      "\"ctl\x01\"", "{'a':1}", "\"\\x\"", "\"\\ud83d\"",
                                      /* numbers outside RFC 8259's grammar (strtod takes
                                       * them; found by tests/fuzz/fuzz_json.c) */
                                      "00", "01", "-01", "1.", "-.5", ".5", "1e", "1e+", "+1",
                                      "[1.e5]", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        assert_null(mo_json_parse(bad[i], strlen(bad[i]), &why));
        assert_non_null(why);
    }
    char deep[4001]; /* nesting is bounded, not a stack overflow */
    memset(deep, '[', 4000);
    deep[4000] = 0;
    assert_null(parse(deep));
}

static void numbers_follow_the_rfc_grammar(void **state) {
    (void)state;
    static const char *const good[] = {"0", "-0", "10", "-1.5", "0.25e-3", "1E+2", "2e10"};
    static const double values[] = {0, -0.0, 10, -1.5, 0.25e-3, 1e2, 2e10};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        mo_json *j = parse(good[i]);
        assert_non_null(j);
        assert_int_equal(j->type, MO_JSON_NUMBER);
        assert_true(j->number == values[i]);
        mo_json_free(j);
    }
}

static void strings_decode_escapes_and_surrogates(void **state) {
    (void)state;
    mo_json *j = parse("\"a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u2713\\ud83d\\ude00\\u0000z\"");
    assert_non_null(j);
    assert_int_equal(j->len, strlen("a\"b\\c/d\n\té✓😀") + 2);
    assert_memory_equal(j->string, "a\"b\\c/d\n\té✓😀\0z", j->len);
    mo_json_free(j);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_elements_and_types),
        cmocka_unit_test(invalid_documents_are_refused),
        cmocka_unit_test(numbers_follow_the_rfc_grammar),
        cmocka_unit_test(strings_decode_escapes_and_surrogates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
