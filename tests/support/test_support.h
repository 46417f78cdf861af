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
/* Print mo_error_last() to stderr when a status is an error (debugging aid). */
void mo_test_print_error(mo_status st, const char *context);

#define assert_mo_ok(expr)                                                               \
    do {                                                                                 \
        mo_status st__ = (expr);                                                         \
        if (st__ < 0) mo_test_print_error(st__, #expr);                                  \
        assert_true(st__ >= 0);                                                          \
    } while (0)
#endif
