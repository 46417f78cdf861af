/* Managers against a real MatrixOne. Runs only when MOCORE_TEST_MATRIXONE_URL is set (e.g.
 * "matrixone://root:111@127.0.0.1:6001/test"); otherwise every test is reported as skipped
 * with that reason. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"

static mo_client *mo_connect_or_skip(void) {
    const char *url = getenv("MOCORE_TEST_MATRIXONE_URL");
    if (!url || !*url) {
        print_message("skipped: MOCORE_TEST_MATRIXONE_URL is not set (no MatrixOne server)\n");
        return NULL;
    }
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, url));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    assert_int_equal(mo_client_server_kind(c), MO_SERVER_MATRIXONE);
    return c;
}

static void snapshot_lifecycle(void **state) {
    mo_client *c = mo_connect_or_skip();
    if (!c) skip();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS mocore_mgr_db");
    mo_snapshots_delete(ex, "mocore_mgr_snap");
    mo_snapshot *s = NULL;
    assert_mo_ok(mo_snapshots_create(&s, ex, "mocore_mgr_snap", "database", "mocore_mgr_db", NULL, NULL));
    assert_string_equal(mo_snapshot_name(s), "mocore_mgr_snap");
    assert_string_equal(mo_snapshot_level(s), "database");
    assert_true(mo_snapshot_ts(s) > 0);
    mo_snapshot_free(s);
    int exists = 0;
    assert_mo_ok(mo_snapshots_exists(ex, "mocore_mgr_snap", &exists));
    assert_int_equal(exists, 1);
    assert_mo_ok(mo_clone_database(ex, "mocore_mgr_clone", "mocore_mgr_db", "mocore_mgr_snap", 1, NULL));
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mgr_clone");
    assert_mo_ok(mo_snapshots_delete(ex, "mocore_mgr_snap"));
    assert_int_equal(mo_snapshots_get(&s, ex, "mocore_mgr_snap"), MO_E_NOT_FOUND);
    assert_string_equal(mo_error_message(mo_error_last()), "Snapshot 'mocore_mgr_snap' not found");
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mgr_db");
    mo_executor_free(ex);
    mo_client_close(c);
}

static void pitr_lifecycle(void **state) {
    mo_client *c = mo_connect_or_skip();
    if (!c) skip();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "CREATE DATABASE IF NOT EXISTS mocore_mgr_pdb");
    mo_pitr_delete(ex, "mocore_mgr_pitr");
    mo_pitr *p = NULL;
    assert_mo_ok(mo_pitr_create_database(&p, ex, "mocore_mgr_pitr", "mocore_mgr_pdb", 2, "d"));
    assert_string_equal(mo_pitr_name(p), "mocore_mgr_pitr");
    assert_int_equal(mo_pitr_range_value(p), 2);
    mo_pitr_free(p);
    assert_mo_ok(mo_pitr_alter(&p, ex, "mocore_mgr_pitr", 3, "d"));
    assert_int_equal(mo_pitr_range_value(p), 3);
    mo_pitr_free(p);
    assert_mo_ok(mo_pitr_delete(ex, "mocore_mgr_pitr"));
    assert_int_equal(mo_pitr_get(&p, ex, "mocore_mgr_pitr"), MO_E_NOT_FOUND);
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mgr_pdb");
    mo_executor_free(ex);
    mo_client_close(c);
}

int main(void) {
    const char *url = getenv("MOCORE_TEST_MATRIXONE_URL");
    if (!url || !*url) {
        /* 77 is the ctest SKIP_RETURN_CODE: the run shows as skipped, with this reason. */
        printf("skipped: MOCORE_TEST_MATRIXONE_URL is not set (no MatrixOne server)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(snapshot_lifecycle),
        cmocka_unit_test(pitr_lifecycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
