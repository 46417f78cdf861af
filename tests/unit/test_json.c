/* src/core/json.c: path lookup and string decoding over JSON text. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"
#include "internal.h"

static mo_json_type find(const char *json, const char *path, char *out, size_t size) {
    const char *val = NULL;
    size_t len = 0;
    mo_json_type t = mo_json_find(json, strlen(json), path, &val, &len);
    if (out && t != MO_JSON_NONE) snprintf(out, size, "%.*s", (int)len, val);
    return t;
}

static void paths_reach_members_and_elements(void **state) {
    (void)state;
    char v[128];
    const char *doc = " {\"method\": \"Flush\", \"result\": [{\"returnStr\": \"OK\", \"n\": -1.5e3},"
                      " true, null], \"a\\\"b\": 1, \"nested\": {\"x\": {\"y\": [1, [2, 3]]}}} ";
    assert_int_equal(find(doc, "method", v, sizeof v), MO_JSON_STRING);
    assert_string_equal(v, "Flush");
    assert_int_equal(find(doc, "result.0.returnStr", v, sizeof v), MO_JSON_STRING);
    assert_string_equal(v, "OK");
    assert_int_equal(find(doc, "result.0.n", v, sizeof v), MO_JSON_NUMBER);
    assert_string_equal(v, "-1.5e3");
    assert_int_equal(find(doc, "result.1", NULL, 0), MO_JSON_TRUE);
    assert_int_equal(find(doc, "result.2", NULL, 0), MO_JSON_NULL);
    assert_int_equal(find(doc, "result.3", NULL, 0), MO_JSON_NONE);
    assert_int_equal(find(doc, "result", NULL, 0), MO_JSON_ARRAY);
    assert_int_equal(find(doc, "nested.x.y.1.0", v, sizeof v), MO_JSON_NUMBER);
    assert_string_equal(v, "2");
    assert_int_equal(find(doc, "", NULL, 0), MO_JSON_OBJECT);
    assert_int_equal(find(doc, "missing", NULL, 0), MO_JSON_NONE);
    assert_int_equal(find(doc, "method.0", NULL, 0), MO_JSON_NONE);
    assert_int_equal(find("[]", "0", NULL, 0), MO_JSON_NONE);
    assert_int_equal(find("{}", "a", NULL, 0), MO_JSON_NONE);
}

static void invalid_documents_find_nothing(void **state) {
    (void)state;
    static const char *const bad[] = {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "{\"a\" 1}",
                                      "tru", "01x", "\"unterminated", "{\"a\":1} x", "-", "1.",
                                      "\"ctl\x01\"", "{'a':1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(find(bad[i], "", NULL, 0), MO_JSON_NONE);
    /* deep nesting is bounded, not a stack overflow */
    char deep[4001];
    memset(deep, '[', 4000);
    deep[4000] = 0;
    assert_int_equal(find(deep, "", NULL, 0), MO_JSON_NONE);
    assert_int_equal(mo_json_find(NULL, 0, "", NULL, NULL), MO_JSON_NONE);
}

static void strings_decode_escapes_and_surrogates(void **state) {
    (void)state;
    mo_buf b;
    mo_buf_init(&b);
    const char *raw = "a\\\"b\\\\c\\/d\\n\\t\\u00e9\\u2713\\ud83d\\ude00";
    assert_true(mo_json_unescape(&b, raw, strlen(raw)));
    assert_string_equal(mo_buf_cstr(&b), "a\"b\\c/d\n\té✓😀");
    static const char *const bad[] = {"\\", "\\x", "\\u12", "\\ud83d", "\\ude00", "\\ud83d\\u0041"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mo_buf_reset(&b);
        assert_false(mo_json_unescape(&b, bad[i], strlen(bad[i])));
    }
    mo_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths_reach_members_and_elements),
        cmocka_unit_test(invalid_documents_find_nothing),
        cmocka_unit_test(strings_decode_escapes_and_surrogates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
