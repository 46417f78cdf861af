/* tests/unit/test_errors.c — server/client error numbers map to mocore's categories
 * (DESIGN.md §3, mo-sql-reference.md §7.3), category names, and the per-thread last error. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include "test_support.h"
#include "internal.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Check every code and name the first one that maps elsewhere. */
static void assert_codes_map_to(const int *codes, size_t n, mo_status expected) {
    for (size_t i = 0; i < n; i++) {
        mo_status got = mo_error_category_for_code(codes[i]);
        if (got != expected)
            fail_msg("error %d maps to %s (%d), expected %s (%d)", codes[i],
                     mo_error_category_name(got), got, mo_error_category_name(expected),
                     expected);
    }
}

/* ------------------------------------------------------------------ code -> category */

/* The version is written once, in common.h; the library reports exactly that. */
static void version_string_is_the_header_version(void **state) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", MOCORE_VERSION_MAJOR, MOCORE_VERSION_MINOR,
             MOCORE_VERSION_PATCH);
    assert_string_equal(mo_version_string(), expected);
}

static void access_denied_codes_are_auth(void **state) {
    static const int codes[] = {1045, 1044, 1142, 1227, 3118, 4151};
    assert_codes_map_to(codes, COUNT(codes), MO_E_AUTH);
}

static void unreachable_server_and_too_many_connections_are_connect(void **state) {
    static const int codes[] = {2002, 2003, 2005, 1040};
    assert_codes_map_to(codes, COUNT(codes), MO_E_CONNECT);
}

static void gone_away_and_lost_connection_are_connection_lost(void **state) {
    static const int codes[] = {2006, 2013, 1927, 2055};
    assert_codes_map_to(codes, COUNT(codes), MO_E_CONNECTION_LOST);
}

static void killed_and_timed_out_statements_are_interrupted(void **state) {
    static const int codes[] = {1317, 1969, 3024};
    assert_codes_map_to(codes, COUNT(codes), MO_E_INTERRUPTED);
}

static void deadlock_lock_wait_and_write_conflict_are_retryable(void **state) {
    static const int codes[] = {1213, 1205, 20502};
    assert_codes_map_to(codes, COUNT(codes), MO_E_RETRYABLE);
}

static void parse_errors_are_syntax(void **state) {
    static const int codes[] = {1064, 1149, 20302, 20303};
    assert_codes_map_to(codes, COUNT(codes), MO_E_SYNTAX);
}

static void unknown_objects_are_not_found(void **state) {
    static const int codes[] = {1049, 1146, 1054, 1051, 1091, 20402, 20403, 20309};
    assert_codes_map_to(codes, COUNT(codes), MO_E_NOT_FOUND);
}

static void existing_objects_are_already_exists(void **state) {
    static const int codes[] = {1007, 1050, 20420, 20421};
    assert_codes_map_to(codes, COUNT(codes), MO_E_ALREADY_EXISTS);
}

static void a_duplicate_key_name_is_already_exists_not_constraint(void **state) {
    /* 1061 ER_DUP_KEYNAME is about an index name in DDL, not about row data; the SDK's
     * "duplicate" rule lumps it with 1062. */
    assert_int_equal(mo_error_category_for_code(1061), MO_E_ALREADY_EXISTS);
}

static void integrity_violations_are_constraint(void **state) {
    static const int codes[] = {1062, 1048, 1451, 1452, 3819, 1216,  1217,
                                1364, 20307, 20623, 20304};
    assert_codes_map_to(codes, COUNT(codes), MO_E_CONSTRAINT);
}

static void bad_values_are_data(void **state) {
    static const int codes[] = {1264, 1265, 1292, 1366, 1406, 1367, 1690, 20301};
    assert_codes_map_to(codes, COUNT(codes), MO_E_DATA);
}

static void unsupported_features_are_unsupported(void **state) {
    static const int codes[] = {1235, 20105};
    assert_codes_map_to(codes, COUNT(codes), MO_E_UNSUPPORTED);
}

static void memory_packet_and_disk_limits_are_resource(void **state) {
    static const int codes[] = {1153, 2008, 1114, 1021, 1041, 1037, 1038};
    assert_codes_map_to(codes, COUNT(codes), MO_E_RESOURCE);
}

static void unknown_numbers_are_server_errors(void **state) {
    static const int codes[] = {1105, 99999, 20101, 0, -1};
    assert_codes_map_to(codes, COUNT(codes), MO_E_SERVER);
}

/* ------------------------------------------------------------------ names */

static void every_category_has_its_lower_case_name(void **state) {
    assert_string_equal(mo_error_category_name(MO_E_INVALID_ARGUMENT), "invalid_argument");
    assert_string_equal(mo_error_category_name(MO_E_MISUSE), "misuse");
    assert_string_equal(mo_error_category_name(MO_E_CONNECT), "connect");
    assert_string_equal(mo_error_category_name(MO_E_AUTH), "auth");
    assert_string_equal(mo_error_category_name(MO_E_CONNECTION_LOST), "connection_lost");
    assert_string_equal(mo_error_category_name(MO_E_OUTCOME_UNKNOWN), "outcome_unknown");
    assert_string_equal(mo_error_category_name(MO_E_TIMEOUT), "timeout");
    assert_string_equal(mo_error_category_name(MO_E_INTERRUPTED), "interrupted");
    assert_string_equal(mo_error_category_name(MO_E_RETRYABLE), "retryable");
    assert_string_equal(mo_error_category_name(MO_E_SYNTAX), "syntax");
    assert_string_equal(mo_error_category_name(MO_E_NOT_FOUND), "not_found");
    assert_string_equal(mo_error_category_name(MO_E_ALREADY_EXISTS), "already_exists");
    assert_string_equal(mo_error_category_name(MO_E_CONSTRAINT), "constraint");
    assert_string_equal(mo_error_category_name(MO_E_DATA), "data");
    assert_string_equal(mo_error_category_name(MO_E_UNSUPPORTED), "unsupported");
    assert_string_equal(mo_error_category_name(MO_E_RESOURCE), "resource");
    assert_string_equal(mo_error_category_name(MO_E_SERVER), "server");
    assert_string_equal(mo_error_category_name(MO_E_INTERNAL), "internal");
}

static void category_numbers_are_stable(void **state) {
    assert_int_equal(MO_E_INVALID_ARGUMENT, -1);
    assert_int_equal(MO_E_CONSTRAINT, -13);
    assert_int_equal(MO_E_INTERNAL, -18);
}

static void ok_is_named_ok(void **state) { assert_string_equal(mo_error_category_name(MO_OK), "ok"); }

static void anything_else_is_named_unknown(void **state) {
    assert_string_equal(mo_error_category_name(-999), "unknown");
    /* the end marker is counted from the .def: one past the last category listed there */
    assert_int_equal(MO_E__LAST_PLUS_ONE_, MO_E_INTERNAL - 1);
    assert_string_equal(mo_error_category_name(MO_E__LAST_PLUS_ONE_ + 1), "internal");
    assert_string_equal(mo_error_category_name(MO_E__LAST_PLUS_ONE_), "unknown");
    assert_string_equal(mo_error_category_name(MO_ROW), "unknown");
    assert_string_equal(mo_error_category_name(12345), "unknown");
}

/* ------------------------------------------------------------------ the last error */

static int clear_error(void **state) {
    mo_error_clear();
    return 0;
}

static void a_client_side_error_round_trips_through_the_accessors(void **state) {
    assert_int_equal(mo_error_set(MO_E_INVALID_ARGUMENT, "config.set", "bad value %d for %s", 42,
                                  "port"),
                     MO_E_INVALID_ARGUMENT);
    const mo_error *e = mo_error_last();
    assert_non_null(e);
    assert_int_equal(mo_error_category(e), MO_E_INVALID_ARGUMENT);
    assert_string_equal(mo_error_message(e), "bad value 42 for port");
    assert_string_equal(mo_error_operation(e), "config.set");
    assert_int_equal(mo_error_server_code(e), 0);
    assert_string_equal(mo_error_sqlstate(e), "");
}

static void a_server_error_takes_its_category_from_the_code(void **state) {
    assert_int_equal(mo_error_set_server(0, "client.execute", 1062, "23000",
                                         "Duplicate entry '1' for key 'PRIMARY'"),
                     MO_E_CONSTRAINT);
    const mo_error *e = mo_error_last();
    assert_int_equal(mo_error_category(e), MO_E_CONSTRAINT);
    assert_int_equal(mo_error_server_code(e), 1062);
    assert_string_equal(mo_error_sqlstate(e), "23000");
    assert_string_equal(mo_error_message(e), "Duplicate entry '1' for key 'PRIMARY'");
    assert_string_equal(mo_error_operation(e), "client.execute");
}

static void an_explicit_category_overrides_the_code(void **state) {
    assert_int_equal(mo_error_set_server(MO_E_OUTCOME_UNKNOWN, "session.commit", 2013, "HY000",
                                         "Lost connection to server during query"),
                     MO_E_OUTCOME_UNKNOWN);
    assert_int_equal(mo_error_category(mo_error_last()), MO_E_OUTCOME_UNKNOWN);
    assert_int_equal(mo_error_server_code(mo_error_last()), 2013);
}

static void error_messages_have_secrets_redacted(void **state) {
    mo_error_set(MO_E_SYNTAX, "client.execute", "near 'CREATE USER u IDENTIFIED BY '%s'",
                 "hunter2");
    assert_null(strstr(mo_error_message(mo_error_last()), "hunter2"));
    mo_error_set_server(0, "client.connect", 1045, "28000",
                        "Access denied for mysql://root:hunter2@db:3306");
    assert_string_equal(mo_error_message(mo_error_last()),
                        "Access denied for mysql://root:***@db:3306");
}

static void an_out_of_memory_error_is_resource(void **state) {
    assert_int_equal(mo_error_oom("result.next"), MO_E_RESOURCE);
    assert_int_equal(mo_error_category(mo_error_last()), MO_E_RESOURCE);
    assert_string_equal(mo_error_operation(mo_error_last()), "result.next");
}

static void after_clear_there_is_no_last_error(void **state) {
    mo_error_set(MO_E_MISUSE, "x", "y");
    mo_error_clear();
    assert_null(mo_error_last());
}

static void accessors_accept_null_and_never_return_null_strings(void **state) {
    assert_int_equal(mo_error_category(NULL), MO_OK);
    assert_int_equal(mo_error_server_code(NULL), 0);
    assert_string_equal(mo_error_sqlstate(NULL), "");
    assert_string_equal(mo_error_message(NULL), "");
    assert_string_equal(mo_error_operation(NULL), "");
}

static void *set_error_in_thread(void *arg) {
    mo_error_set(MO_E_TIMEOUT, "thread.op", "from another thread");
    *(mo_status *)arg = mo_error_category(mo_error_last());
    return NULL;
}

static void the_last_error_belongs_to_the_calling_thread(void **state) {
    mo_error_set(MO_E_DATA, "main.op", "from main");
    mo_status seen_in_thread = MO_OK;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, set_error_in_thread, &seen_in_thread), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(seen_in_thread, MO_E_TIMEOUT);
    assert_int_equal(mo_error_category(mo_error_last()), MO_E_DATA);
    assert_string_equal(mo_error_message(mo_error_last()), "from main");
}


/* ------------------------------------------------------------------ MatrixOne's answers
 * The messages are MatrixOne v4.2.0's, as the real server sends them (the MatrixOne profile
 * of tests/integration/test_errors_matrixone.c provokes each one). */

typedef struct {
    int code;
    const char *message;
    mo_status category;
} answer;

static void assert_answers(const answer *a, size_t n) {
    for (size_t i = 0; i < n; i++) {
        mo_status got = mo_error_set_server(0, "client.execute", a[i].code, "HY000", a[i].message);
        if (got != a[i].category || mo_error_category(mo_error_last()) != got)
            fail_msg("%d '%s' is %s, expected %s", a[i].code, a[i].message,
                     mo_error_category_name(got), mo_error_category_name(a[i].category));
        assert_int_equal(mo_error_server_code(mo_error_last()), a[i].code);
    }
}

static void matrixone_login_failures_are_auth(void **state) {
    static const answer a[] = {
        {20101, "internal error: there is no tenant nosuchacct", MO_E_AUTH},
        {20101, "internal error: there is no user nosuchuser", MO_E_AUTH},
        {20101, "internal error: check password failed", MO_E_AUTH},
        {20101, "internal error: Account acc1 is suspended", MO_E_AUTH},
        {20101, "internal error: user is locked, please try again later", MO_E_AUTH},
        {20101, "internal error: do not have privilege to execute the statement", MO_E_AUTH},
    };
    assert_answers(a, COUNT(a));
}

static void matrixone_catch_all_numbers_take_their_category_from_the_message(void **state) {
    static const answer a[] = {
        {1105, "context canceled", MO_E_INTERRUPTED},
        {1064, "SQL parser error: table \"nosuch\" does not exist", MO_E_NOT_FOUND},
        {20301, "invalid input: column nosuch does not exist", MO_E_NOT_FOUND},
        {20101, "internal error: Unknown connection id 987654", MO_E_NOT_FOUND},
        {20101, "internal error: snapshot s1 does not exist", MO_E_NOT_FOUND},
        {20101, "internal error: snapshot s1 already exists", MO_E_ALREADY_EXISTS},
        {20101, "internal error: savepoint has not been implemented yet. please rollback the "
                "transaction.", MO_E_UNSUPPORTED},
        /* Anything else under a catch-all number keeps the number's own category. */
        {20101, "internal error: something else", MO_E_SERVER},
        {1105, "some other failure", MO_E_SERVER},
        {1064, "SQL parser error: You have an error in your SQL syntax", MO_E_SYNTAX},
        {20301, "invalid input: bad value", MO_E_DATA},
        /* A rule is keyed by the code: the same text under another number is not matched. */
        {1105, "internal error: there is no user x", MO_E_SERVER},
    };
    assert_answers(a, COUNT(a));
}

static void matrixone_numbers_map_to_their_categories(void **state) {
    static const int retryable[] = {20701, 1205, 20601, 20618, 20619, 20628, 20632, 20706};
    assert_codes_map_to(retryable, COUNT(retryable), MO_E_RETRYABLE);
    static const int not_found[] = {1049, 1146, 1008, 20405, 20906};
    assert_codes_map_to(not_found, COUNT(not_found), MO_E_NOT_FOUND);
    static const int exists[] = {20406, 1007, 1050, 1060, 13180};
    assert_codes_map_to(exists, COUNT(exists), MO_E_ALREADY_EXISTS);
    static const int unsupported[] = {20102, 20105};
    assert_codes_map_to(unsupported, COUNT(unsupported), MO_E_UNSUPPORTED);
    assert_int_equal(mo_error_category_for_code(1062), MO_E_CONSTRAINT);
    assert_int_equal(mo_error_category_for_code(20638), MO_E_OUTCOME_UNKNOWN);
    assert_int_equal(mo_error_category_for_code(3015), MO_E_RESOURCE);
    /* The public lookup is by number alone: 20101 is SERVER without its message. */
    assert_int_equal(mo_error_category_for_code(20101), MO_E_SERVER);
}

/* A cleanup's guard: its errors are its own (mo_error_last reads them inside) and are gone
 * when it ends; the error before it is back, untouched, and so is "no error". */
static void a_guard_keeps_the_callers_error(void **state) {
    (void)state;
    mo_error_set(MO_E_CONSTRAINT, "test.outer", "the caller's error");
    mo_error_guard outer;
    mo_error_guard_begin(&outer);
    assert_null(mo_error_last());
    mo_error_set(MO_E_SERVER, "test.cleanup", "a cleanup failed");
    assert_string_equal(mo_error_operation(mo_error_last()), "test.cleanup");
    mo_error_guard inner;
    mo_error_guard_begin(&inner);
    mo_error_oom("test.inner");
    assert_int_equal(mo_error_category(mo_error_last()), MO_E_RESOURCE);
    mo_error_guard_end(&inner);
    assert_string_equal(mo_error_operation(mo_error_last()), "test.cleanup");
    mo_error_guard_end(&outer);
    const mo_error *e = mo_error_last();
    assert_int_equal(mo_error_category(e), MO_E_CONSTRAINT);
    assert_string_equal(mo_error_message(e), "the caller's error");
    mo_error_clear();
    mo_error_guard_begin(&outer);
    mo_error_set(MO_E_SERVER, "test.cleanup", "a cleanup failed");
    mo_error_guard_end(&outer);
    assert_null(mo_error_last());
}

/* An error kept across the steps of an op (a heap copy) comes back as it was; none kept puts
 * back "no error". A suspended state (a caller's wait function) comes back too. */
static void kept_and_suspended_errors_come_back(void **state) {
    (void)state;
    mo_error_set(MO_E_RETRYABLE, "test.step", "deadlock");
    mo_error_kept k = {0};
    mo_error_keep(&k);
    mo_error_set(MO_E_SERVER, "test.rollback", "rollback failed");
    mo_error_put_back(&k);
    assert_int_equal(mo_error_category(mo_error_last()), MO_E_RETRYABLE);
    assert_string_equal(mo_error_message(mo_error_last()), "deadlock");
    assert_null(k.record);
    mo_error_clear();
    mo_error_keep(&k);
    mo_error_set(MO_E_SERVER, "test.rollback", "rollback failed");
    mo_error_put_back(&k);
    assert_null(mo_error_last());

    mo_error_set(MO_E_DATA, "test.wait", "before the wait");
    mo_error_suspended s;
    mo_error_suspend(&s);
    mo_error_set(MO_E_SERVER, "test.other", "another call in the caller's loop");
    mo_error_resume(&s);
    assert_string_equal(mo_error_message(mo_error_last()), "before the wait");
    mo_error_guard g;
    mo_error_guard_begin(&g);
    mo_error_set(MO_E_SERVER, "test.cleanup", "in the guard");
    mo_error_suspend(&s);
    /* the other calls start outside the guard, from the thread's own record */
    assert_string_equal(mo_error_message(mo_error_last()), "before the wait");
    mo_error_set(MO_E_SERVER, "test.other", "another call");
    mo_error_resume(&s);
    assert_string_equal(mo_error_message(mo_error_last()), "in the guard");
    mo_error_guard_end(&g);
    assert_string_equal(mo_error_message(mo_error_last()), "before the wait");
    mo_error_clear();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_string_is_the_header_version),
        cmocka_unit_test(access_denied_codes_are_auth),
        cmocka_unit_test(unreachable_server_and_too_many_connections_are_connect),
        cmocka_unit_test(gone_away_and_lost_connection_are_connection_lost),
        cmocka_unit_test(killed_and_timed_out_statements_are_interrupted),
        cmocka_unit_test(deadlock_lock_wait_and_write_conflict_are_retryable),
        cmocka_unit_test(parse_errors_are_syntax),
        cmocka_unit_test(unknown_objects_are_not_found),
        cmocka_unit_test(existing_objects_are_already_exists),
        cmocka_unit_test(a_duplicate_key_name_is_already_exists_not_constraint),
        cmocka_unit_test(integrity_violations_are_constraint),
        cmocka_unit_test(bad_values_are_data),
        cmocka_unit_test(unsupported_features_are_unsupported),
        cmocka_unit_test(memory_packet_and_disk_limits_are_resource),
        cmocka_unit_test(unknown_numbers_are_server_errors),
        cmocka_unit_test_setup(matrixone_login_failures_are_auth, clear_error),
        cmocka_unit_test_setup(matrixone_catch_all_numbers_take_their_category_from_the_message,
                               clear_error),
        cmocka_unit_test(matrixone_numbers_map_to_their_categories),
        cmocka_unit_test(every_category_has_its_lower_case_name),
        cmocka_unit_test(category_numbers_are_stable),
        cmocka_unit_test(ok_is_named_ok),
        cmocka_unit_test(anything_else_is_named_unknown),
        cmocka_unit_test_setup(a_client_side_error_round_trips_through_the_accessors, clear_error),
        cmocka_unit_test_setup(a_server_error_takes_its_category_from_the_code, clear_error),
        cmocka_unit_test_setup(an_explicit_category_overrides_the_code, clear_error),
        cmocka_unit_test_setup(error_messages_have_secrets_redacted, clear_error),
        cmocka_unit_test_setup(an_out_of_memory_error_is_resource, clear_error),
        cmocka_unit_test_setup(after_clear_there_is_no_last_error, clear_error),
        cmocka_unit_test(accessors_accept_null_and_never_return_null_strings),
        cmocka_unit_test(a_guard_keeps_the_callers_error),
        cmocka_unit_test(kept_and_suspended_errors_come_back),
        cmocka_unit_test_setup(the_last_error_belongs_to_the_calling_thread, clear_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
