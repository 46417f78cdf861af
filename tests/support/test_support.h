/* tests/support/test_support.h — shared helpers for the cmocka tests. */
#ifndef MOCORE_TEST_SUPPORT_H
#define MOCORE_TEST_SUPPORT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "mocore.h"

/* The URL of the test server (non-root user with all privileges on the test database):
 * $MOCORE_TEST_URL, else the url file the harness wrote, else NULL. */
const char *mo_test_url(void);
/* The same for the server's root account ($MOCORE_TEST_ROOT_URL or the root_url file). */
const char *mo_test_root_url(void);
/* Connect to mo_test_url(); fails the test on error. */
mo_client *mo_test_connect(void);
/* Connect to $MOCORE_TEST_MATRIXONE_URL (on `database` instead of the URL's unless NULL, with
 * LOAD DATA LOCAL allowed under `local_dir` unless NULL) and assert the server is MatrixOne;
 * fails the test on error. The caller skips first when the variable is not set. */
mo_client *mo_test_matrixone_connect(const char *database, const char *local_dir);
/* A config for mo_test_url(); fails the test on error. Caller frees. */
mo_config *mo_test_config(void);
/* Execute and return the status; the result is freed. */
mo_status mo_test_exec(mo_client *c, const char *sql);
mo_status mo_test_session_exec(mo_session *s, const char *sql);
/* Execute, asserting success, and free the result. */
void mo_test_exec_ok(mo_client *c, const char *sql);
void mo_test_session_exec_ok(mo_session *s, const char *sql);
/* Run a query expected to return one row with one integer, and return it. */
int64_t mo_test_query_int(mo_client *c, const char *sql);
/* 1 when the test server (mo_test_url()) is MatrixOne: the same programs run against it
 * (MOCORE_TEST_URL=mysql://root:111@127.0.0.1:6001/test), and what MatrixOne does not have
 * is skipped with the reason. Connects once; 0 without a test server. */
int mo_test_server_is_matrixone(void);
/* Inside a test: on MatrixOne, print "skipped on MatrixOne: <reason>" and skip. */
#define MO_TEST_SKIP_ON_MATRIXONE(reason)                                                 \
    do {                                                                                 \
        if (mo_test_server_is_matrixone()) {                                             \
            print_message("skipped on MatrixOne: %s\n", reason);                         \
            skip();                                                                      \
        }                                                                                \
    } while (0)
/* The server number of a statement stopped by KILL QUERY: 1317 on MySQL/MariaDB, 1105
 * ("context canceled") on MatrixOne. */
int mo_test_killed_query_code(void);
/* Print mo_error_last() to stderr when a status is an error (debugging aid). */
void mo_test_print_error(mo_status st, const char *context);

#define assert_mo_ok(expr)                                                               \
    do {                                                                                 \
        mo_status st__ = (expr);                                                         \
        if (st__ < 0) mo_test_print_error(st__, #expr);                                  \
        assert_true(st__ >= 0);                                                          \
    } while (0)
/* ---- dry-run helpers for the manager SQL tests (no server) ---- */

/* A dry-run client posing as MatrixOne on port 1 (were anything sent, it would fail);
 * url_extra (may be NULL) is appended to the URL's query, e.g. "&server_kind=mariadb". */
mo_client *mo_test_dry_run_client(const char *url_extra);
/* cmocka setup/teardown of a dry-run client and an executor on it (*state is a
 * mo_test_dry_run). */
typedef struct {
    mo_client *client;
    mo_executor *ex;
} mo_test_dry_run;
int mo_test_dry_run_setup(void **state);
int mo_test_dry_run_teardown(void **state);
#define mo_test_dry_run_test(fn) \
    cmocka_unit_test_setup_teardown(fn, mo_test_dry_run_setup, mo_test_dry_run_teardown)
/* A malloc'd copy with whitespace runs collapsed to one space and trimmed (the conformance
 * vectors' comparison rule); sdk_equivalent also drops backticks and the backslash of \". */
char *mo_test_normalise(const char *s, int sdk_equivalent);
/* Assert the journal holds exactly `expected` (NULL-terminated), byte for byte or, when
 * `normalised`, after mo_test_normalise; then clear it. */
void mo_test_journal_check(mo_client *c, const char *const *expected, int normalised);
#define JOURNAL(c, ...) mo_test_journal_check((c), (const char *const[]){__VA_ARGS__, NULL}, 0)
#define JOURNAL_EMPTY(c) mo_test_journal_check((c), (const char *const[]){NULL}, 0)
/* Assert st is `category`, the last error names `op`, and (when not NULL) its message.
 * (Unprefixed, like assert_mo_ok: it reads as an assertion at the many call sites.) */
void error_is(mo_status st, mo_status category, const char *op, const char *message);

#endif
