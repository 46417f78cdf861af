/* Managers against the real MariaDB: MatrixOne-only calls are refused before anything is
 * sent; users, roles and grants run for real and are checked by reading the server back. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"
#include "managers/managers_internal.h"

static mo_client *root_connect(void) {
    const char *url = mo_test_root_url();
    assert_non_null(url);
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

static int64_t questions(mo_client *c) {
    mo_result *r = NULL;
    const char *sql = "SHOW SESSION STATUS LIKE 'Questions'";
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    const char *v;
    size_t n;
    assert_mo_ok(mo_result_get_text(r, 1, &v, &n));
    int64_t q = strtoll(v, NULL, 10);
    mo_result_free(r);
    return q;
}

static void matrixone_only_calls_are_unsupported_and_send_nothing(void **state) {
    mo_client *c = mo_test_connect();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    int64_t before = questions(c);
    mo_snapshot *s = NULL;
    mo_pitr *p = NULL;
    mo_result *r = NULL;
    const char *text = NULL;
    assert_int_equal(mo_snapshots_create(&s, ex, "s", "cluster", NULL, NULL, NULL), MO_E_UNSUPPORTED);
    assert_string_equal(mo_error_operation(mo_error_last()), "snapshots.create");
    assert_non_null(strstr(mo_error_message(mo_error_last()), "MariaDB"));
    assert_null(s);
    assert_int_equal(mo_snapshots_get(&s, ex, "s"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_snapshots_delete(ex, "s"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_clone_database(ex, "a", "b", NULL, 0, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_clone_table(ex, "a", "b", NULL, 0, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_branch_create_table(ex, "a", "b", NULL, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_branch_diff_table(&r, ex, "a", NULL, "b", NULL, MO_BRANCH_DIFF_COUNT, 0, NULL),
                     MO_E_UNSUPPORTED);
    assert_null(r);
    assert_int_equal(mo_branch_merge_table(ex, "a", "b", NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_restore_cluster(ex, "s"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_restore_table(ex, "s", "a", "d", "t", NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_pitr_create_cluster(&p, ex, "p", 1, "d"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_pitr_delete(ex, "p"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_pubsub_drop_publication(ex, "p"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_pubsub_show_create_publication(ex, "p", &text, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_pubsub_create_subscription(NULL, ex, "s", "p", "a"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_account_create_account(NULL, ex, "a", "adm", "pw", NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_account_drop_account(ex, "a", 1), MO_E_UNSUPPORTED);
    assert_int_equal(mo_account_grant_privilege(ex, "ALL", "ACCOUNT", "*", "u", NULL), MO_E_UNSUPPORTED);
    /* Only the second status query reached the server. */
    assert_int_equal(questions(c) - before, 1);
    mo_executor_free(ex);
    mo_client_close(c);
}

static int64_t count_of(mo_client *c, const char *sql) { return mo_test_query_int(c, sql); }

static void users_roles_and_grants_run_for_real(void **state) {
    mo_client *c = root_connect();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS mgr_db");
    mo_test_exec_ok(c, "CREATE TABLE IF NOT EXISTS mgr_db.t (id INT)");
    const char *user = "mgr`u'1"; /* a hostile name, stored exactly */
    mo_account_drop_user(ex, user, 1);
    mo_account_drop_role(ex, "mgr_role", 1);

    mo_user *u = NULL;
    assert_mo_ok(mo_account_create_user(&u, ex, user, "p'w\\d", NULL));
    assert_string_equal(mo_user_name(u), user);
    assert_string_equal(mo_user_host(u), "%");
    mo_user_free(u);
    assert_int_equal(count_of(c, "SELECT COUNT(*) FROM mysql.user WHERE User = 'mgr`u\\'1' AND Host = '%'"), 1);
    /* the password went in escaped: logging in with it works */
    {
        mo_config *cfg = mo_test_config();
        assert_mo_ok(mo_config_set_user(cfg, user));
        assert_mo_ok(mo_config_set_password(cfg, "p'w\\d"));
        assert_mo_ok(mo_config_set_database(cfg, ""));
        mo_client *as_user = NULL;
        assert_mo_ok(mo_client_connect(&as_user, cfg));
        mo_executor *uex = NULL;
        assert_mo_ok(mo_client_executor(&uex, as_user));
        assert_mo_ok(mo_account_get_current_user(&u, uex));
        assert_string_equal(mo_user_name(u), user);
        mo_user_free(u);
        mo_executor_free(uex);
        mo_client_close(as_user);
        mo_config_free(cfg);
    }

    mo_role *r = NULL;
    assert_mo_ok(mo_account_create_role(&r, ex, "mgr_role", NULL));
    assert_string_equal(mo_role_name(r), "mgr_role");
    mo_role_free(r);
    mo_role_list *rl = NULL;
    assert_mo_ok(mo_account_list_roles(&rl, ex));
    int found = 0;
    for (size_t i = 0; i < mo_role_list_count(rl); i++)
        found |= strcmp(mo_role_name(mo_role_list_get(rl, i)), "mgr_role") == 0;
    assert_true(found);
    mo_role_list_free(rl);

    assert_mo_ok(mo_account_grant_privilege(ex, "SELECT, INSERT", "TABLE", "mgr_db.t", user, NULL));
    assert_mo_ok(mo_account_grant_privilege(ex, "SELECT", "DATABASE", "mgr_db", NULL, "mgr_role"));
    assert_mo_ok(mo_account_grant_role(ex, "mgr_role", user));
    assert_int_equal(count_of(c, "SELECT COUNT(*) FROM mysql.tables_priv WHERE User = 'mgr`u\\'1' "
                                 "AND Db = 'mgr_db' AND Table_name = 't'"), 1);
    assert_int_equal(count_of(c, "SELECT COUNT(*) FROM mysql.roles_mapping WHERE User = 'mgr`u\\'1' "
                                 "AND Role = 'mgr_role'"), 1);

    mo_grant_list *gl = NULL;
    assert_mo_ok(mo_account_list_grants(&gl, ex, user));
    int table_grant = 0, role_grant = 0;
    for (size_t i = 0; i < mo_grant_list_count(gl); i++) {
        const mo_grant *g = mo_grant_list_get(gl, i);
        assert_string_equal(mo_grant_user(g), user);
        if (mo_grant_object_name(g) && strcmp(mo_grant_object_name(g), "`mgr_db`.`t`") == 0) {
            table_grant = 1;
            assert_string_equal(mo_grant_object_type(g), "TABLE");
            assert_non_null(strstr(mo_grant_privilege(g), "SELECT"));
            assert_non_null(strstr(mo_grant_privilege(g), "INSERT"));
        }
        if (!mo_grant_privilege(g) && strstr(mo_grant_statement(g), "mgr_role")) role_grant = 1;
    }
    assert_true(table_grant);
    assert_true(role_grant);
    mo_grant_list_free(gl);

    assert_mo_ok(mo_account_revoke_role(ex, "mgr_role", user));
    assert_mo_ok(mo_account_revoke_privilege(ex, "SELECT, INSERT", "TABLE", "mgr_db.t", user, NULL));
    assert_int_equal(count_of(c, "SELECT COUNT(*) FROM mysql.tables_priv WHERE User = 'mgr`u\\'1'"), 0);
    assert_int_equal(count_of(c, "SELECT COUNT(*) FROM mysql.roles_mapping WHERE User = 'mgr`u\\'1'"), 0);

    assert_mo_ok(mo_account_alter_user(&u, ex, user, NULL, NULL, 1, NULL));
    mo_user_free(u);
    assert_mo_ok(mo_account_alter_user(NULL, ex, user, NULL, NULL, 0, NULL));

    /* missing objects and server errors keep their category */
    assert_int_equal(mo_account_get_role(&r, ex, "mgr_no_such_role"), MO_E_NOT_FOUND);
    assert_string_equal(mo_error_message(mo_error_last()),
                        "Failed to get role 'mgr_no_such_role': Role 'mgr_no_such_role' not found");
    /* 1396 "Operation CREATE ROLE failed": the category the error table gives that code */
    mo_status st = mo_account_create_role(NULL, ex, "mgr_role", NULL);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1396);
    assert_int_equal(st, mo_error_category_for_code(1396));
    assert_string_equal(mo_error_operation(mo_error_last()), "account.create_role");
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Failed to create role 'mgr_role': "));

    assert_mo_ok(mo_account_drop_role(ex, "mgr_role", 0));
    assert_mo_ok(mo_account_drop_user(ex, user, 0));
    assert_int_equal(count_of(c, "SELECT COUNT(*) FROM mysql.user WHERE User IN ('mgr`u\\'1', 'mgr_role')"), 0);
    assert_mo_ok(mo_account_drop_user(ex, user, 1)); /* IF EXISTS: fine when gone */
    mo_executor_free(ex);
    mo_client_close(c);
}

static void session_executor_runs_in_the_transaction_and_rollback_leaves_no_trace(void **state) {
    mo_client *c = mo_test_connect();
    mo_test_exec_ok(c, "CREATE TABLE IF NOT EXISTS mgr_tx (id INT) ENGINE=InnoDB");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_executor *ex = NULL;
    assert_mo_ok(mo_session_executor(&ex, s));
    mo_test_session_exec_ok(s, "INSERT INTO mgr_tx VALUES (1)");
    mo_user *u = NULL;
    assert_mo_ok(mo_account_get_current_user(&u, ex)); /* same connection, same transaction */
    assert_non_null(mo_user_name(u));
    mo_user_free(u);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    /* a refused MatrixOne call does not disturb the transaction */
    assert_int_equal(mo_snapshots_delete(ex, "x"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    assert_mo_ok(mo_session_rollback(s));
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM mgr_tx"), 0);
    assert_int_equal(mo_account_get_current_user(&u, ex), MO_E_MISUSE); /* session closed */
    mo_executor_free(ex);
    mo_test_exec_ok(c, "DROP TABLE mgr_tx");
    mo_client_close(c);
}


/* SHOW SUBSCRIPTIONS rows are MatrixOne's; the manager's row reader is the same for any row
 * set of that shape, so a SELECT of literal rows on MariaDB stands in for it. With no filter
 * (the plain list_subscriptions()) the reader crashed (SIGSEGV) on the first row. */
static const char subscription_rows[] =
    "SELECT 'pub1' AS pub_name, 'sys' AS pub_account, 'db1' AS pub_database, '*' AS pub_tables,"
    " '' AS pub_comment, '2026-01-01 00:00:00' AS pub_time, 'sub1' AS sub_name,"
    " '2026-01-01 00:00:01' AS sub_time, 0 AS status, NULL AS task_id"
    " UNION ALL SELECT 'pub2', 'acc2', 'db2', 't1', 'c', '2026-01-02 00:00:00', 'sub2',"
    " '2026-01-02 00:00:01', 2, NULL";

static const mo_subscription_list *read_subscriptions(mo_client *c, const char *pub_account,
                                                      const char *pub_database) {
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, c, subscription_rows, strlen(subscription_rows), NULL));
    mo_record_list *l = NULL;
    assert_mo_ok(mo_pubsub_subscriptions_from_result(&l, r, pub_account, pub_database, "test"));
    mo_result_free(r);
    assert_mo_ok(mo_record_list_publish(l, "test"));
    return (const mo_subscription_list *)(const void *)l;
}

static void subscription_rows_are_read_with_and_without_a_filter(void **state) {
    mo_client *c = mo_test_connect();
    const mo_subscription_list *all = read_subscriptions(c, NULL, NULL);
    assert_int_equal(mo_subscription_list_count(all), 2);
    const mo_subscription *s = mo_subscription_list_get(all, 1);
    assert_string_equal(mo_subscription_pub_name(s), "pub2");
    assert_string_equal(mo_subscription_pub_account(s), "acc2");
    assert_string_equal(mo_subscription_pub_database(s), "db2");
    assert_string_equal(mo_subscription_sub_name(s), "sub2");
    assert_int_equal(mo_subscription_status(s), 2);
    mo_subscription_list_free((mo_subscription_list *)all);

    /* pub_account / pub_database filter the rows exactly (the server has no WHERE here). */
    const mo_subscription_list *l = read_subscriptions(c, "sys", NULL);
    assert_int_equal(mo_subscription_list_count(l), 1);
    assert_string_equal(mo_subscription_sub_name(mo_subscription_list_get(l, 0)), "sub1");
    mo_subscription_list_free((mo_subscription_list *)l);
    l = read_subscriptions(c, "acc2", "db2");
    assert_int_equal(mo_subscription_list_count(l), 1);
    mo_subscription_list_free((mo_subscription_list *)l);
    l = read_subscriptions(c, "acc", NULL); /* exact, not a substring */
    assert_int_equal(mo_subscription_list_count(l), 0);
    mo_subscription_list_free((mo_subscription_list *)l);
    l = read_subscriptions(c, "sys", "db2");
    assert_int_equal(mo_subscription_list_count(l), 0);
    mo_subscription_list_free((mo_subscription_list *)l);
    mo_client_close(c);
}

int main(void) {
    if (mo_test_server_is_matrixone()) {
        printf("skipped on MatrixOne (MOCORE_TEST_URL names one): this program checks that MatrixOne-only calls are refused on MariaDB; the MatrixOne profile is test_managers_matrixone\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matrixone_only_calls_are_unsupported_and_send_nothing),
        cmocka_unit_test(users_roles_and_grants_run_for_real),
        cmocka_unit_test(session_executor_runs_in_the_transaction_and_rollback_leaves_no_trace),
        cmocka_unit_test(subscription_rows_are_read_with_and_without_a_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
