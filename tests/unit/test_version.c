/* tests/unit/test_version.c — mo_server_version_parse: the SDK's MatrixOne rules (conformance
 * vectors, manager "version") plus MySQL and MariaDB detection. */
#include "test_support.h"
#include "internal.h"

typedef struct {
    const char *input;
    int ok; /* 0: the SDK returns None, mocore MO_E_INVALID_ARGUMENT */
    mo_server_kind kind;
    unsigned major, minor, patch;
} version_case;

static void check_case(const version_case *c) {
    mo_server_kind kind = (mo_server_kind)99;
    unsigned major = 12345, minor = 12345, patch = 12345;
    mo_status st = mo_server_version_parse(c->input, &kind, &major, &minor, &patch);
    if (!c->ok) {
        if (st != MO_E_INVALID_ARGUMENT) fail_msg("'%s' parsed but should not", c->input);
        assert_non_null(strstr(mo_error_message(mo_error_last()), "unparsable server version"));
        assert_int_equal(kind, 99); /* outputs untouched on failure */
        return;
    }
    if (st != MO_OK) fail_msg("'%s' did not parse: %s", c->input, mo_error_message(mo_error_last()));
    if (kind != c->kind || major != c->major || minor != c->minor || patch != c->patch)
        fail_msg("'%s' -> kind %d %u.%u.%u, expected kind %d %u.%u.%u", c->input, kind, major,
                 minor, patch, c->kind, c->major, c->minor, c->patch);
}

/* Every entry of mo_sql_vectors.json with manager "version"
 * (VersionManager._parse_matrixone_version, clients/python/tests/offline/
 * test_matrixone_version_parsing.py). */
static const version_case sdk_vectors[] = {
    {"8.0.30-MatrixOne-v", 1, MO_SERVER_MATRIXONE, 999, 0, 0},
    {"8.0.30-MatrixOne-v3.0.0", 1, MO_SERVER_MATRIXONE, 3, 0, 0},
    {"8.0.30-MatrixOne-v3.0", 1, MO_SERVER_MATRIXONE, 3, 0, 99999},
    {"MatrixOne 3.0.1", 1, MO_SERVER_MATRIXONE, 3, 0, 1},
    {"3.0.1", 1, MO_SERVER_MATRIXONE, 3, 0, 1},
    {"8.0.30-MatrixOne", 0, 0, 0, 0, 0},
    {"8.0.30-MatrixOne-v-", 0, 0, 0, 0, 0},
};

static void every_sdk_version_vector_parses_as_the_sdk_does(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof sdk_vectors / sizeof sdk_vectors[0]; i++)
        check_case(&sdk_vectors[i]);
}

static void development_build_ranks_above_every_release(void **state) {
    (void)state;
    unsigned major = 0;
    assert_int_equal(mo_server_version_parse("8.0.30-MatrixOne-v", NULL, &major, NULL, NULL),
                     MO_OK);
    assert_int_equal(major, 999);
}

static void other_matrixone_forms_follow_the_sdk(void **state) {
    (void)state;
    static const version_case cases[] = {
        {"Version 2.5.0", 1, MO_SERVER_MATRIXONE, 2, 5, 0},
        {"MatrixOne v1.2.3 (build abc)", 1, MO_SERVER_MATRIXONE, 1, 2, 3},
        {"  8.0.30-MatrixOne-v2.1.0\n", 1, MO_SERVER_MATRIXONE, 2, 1, 0}, /* stripped */
        {"8.0.30-MatrixOne-v10.20.30", 1, MO_SERVER_MATRIXONE, 10, 20, 30},
        {"MatrixOne dev", 0, 0, 0, 0, 0},              /* prefix but no X.Y.Z */
        {"8.0.30-MatrixOne-v3.0.0-rc1", 0, 0, 0, 0, 0}, /* anchored at the end */
        {"8.0.30-MatrixOne-v3", 0, 0, 0, 0, 0},
        {"8.0.30-matrixone-v3.0.0", 0, 0, 0, 0, 0}, /* the SDK's match is case-sensitive */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
}

static void mariadb_strings_are_mariadb(void **state) {
    (void)state;
    static const version_case cases[] = {
        {"10.11.6-MariaDB", 1, MO_SERVER_MARIADB, 10, 11, 6},
        {"11.4.2-MariaDB-ubu2404", 1, MO_SERVER_MARIADB, 11, 4, 2},
        {"10.6.18-MariaDB-0ubuntu0.22.04.1-log", 1, MO_SERVER_MARIADB, 10, 6, 18},
        {"5.5.5-10.11.6-MariaDB-1:10.11.6+maria~ubu2204", 1, MO_SERVER_MARIADB, 10, 11, 6},
        {"5.5.5-10.3.39-MariaDB", 1, MO_SERVER_MARIADB, 10, 3, 39},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
}

static void mysql_strings_with_a_suffix_are_mysql(void **state) {
    (void)state;
    static const version_case cases[] = {
        {"8.0.36-0ubuntu0.22.04.1", 1, MO_SERVER_MYSQL, 8, 0, 36},
        {"8.0.36-log", 1, MO_SERVER_MYSQL, 8, 0, 36},
        {"5.7.44-debug", 1, MO_SERVER_MYSQL, 5, 7, 44},
        {"8.4.0 MySQL Community Server", 1, MO_SERVER_MYSQL, 8, 4, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
}

static void bare_version_is_matrixone_as_in_the_sdk(void **state) {
    (void)state;
    static const version_case c = {"8.0.36", 1, MO_SERVER_MATRIXONE, 8, 0, 36};
    check_case(&c);
}

static void garbage_is_unparsable(void **state) {
    (void)state;
    static const version_case cases[] = {
        {"", 0, 0, 0, 0, 0},        {"   ", 0, 0, 0, 0, 0},
        {"8.0", 0, 0, 0, 0, 0},     {"v8.0.36", 0, 0, 0, 0, 0},
        {"abc", 0, 0, 0, 0, 0},     {"MariaDB", 0, 0, 0, 0, 0},
        {"99999999999.0.0-log", 0, 0, 0, 0, 0}, /* overflows unsigned */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) check_case(&cases[i]);
}

static void null_version_is_an_invalid_argument(void **state) {
    (void)state;
    unsigned major = 7;
    assert_int_equal(mo_server_version_parse(NULL, NULL, &major, NULL, NULL),
                     MO_E_INVALID_ARGUMENT);
    assert_int_equal(major, 7);
}

static void every_out_pointer_may_be_null(void **state) {
    (void)state;
    assert_int_equal(mo_server_version_parse("10.11.6-MariaDB", NULL, NULL, NULL, NULL), MO_OK);
    mo_server_kind kind = MO_SERVER_AUTO;
    assert_int_equal(mo_server_version_parse("10.11.6-MariaDB", &kind, NULL, NULL, NULL), MO_OK);
    assert_int_equal(kind, MO_SERVER_MARIADB);
    unsigned patch = 0;
    assert_int_equal(mo_server_version_parse("8.0.36-log", NULL, NULL, NULL, &patch), MO_OK);
    assert_int_equal(patch, 36);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_sdk_version_vector_parses_as_the_sdk_does),
        cmocka_unit_test(development_build_ranks_above_every_release),
        cmocka_unit_test(other_matrixone_forms_follow_the_sdk),
        cmocka_unit_test(mariadb_strings_are_mariadb),
        cmocka_unit_test(mysql_strings_with_a_suffix_are_mysql),
        cmocka_unit_test(bare_version_is_matrixone_as_in_the_sdk),
        cmocka_unit_test(garbage_is_unparsable),
        cmocka_unit_test(null_version_is_an_invalid_argument),
        cmocka_unit_test(every_out_pointer_may_be_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
