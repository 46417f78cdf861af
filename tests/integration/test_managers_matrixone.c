/* Managers against a real MatrixOne. Runs only when MOCORE_TEST_MATRIXONE_URL is set (e.g.
 * "matrixone://root:111@127.0.0.1:6001/test"); otherwise every test is reported as skipped
 * with that reason. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_support.h"

static mo_client *mo_connect_or_skip(void) {
    const char *url = getenv("MOCORE_TEST_MATRIXONE_URL");
    if (!url || !*url) {
        print_message("skipped: MOCORE_TEST_MATRIXONE_URL is not set (no MatrixOne server)\n");
        return NULL;
    }
    return mo_test_matrixone_connect(NULL, NULL);
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


static int64_t count(mo_client *c, const char *sql) { return mo_test_query_int(c, sql); }

/* restore with the v4.0.0+ grammar, read back from the data; clone from the snapshot. */
static void restore_table_and_database_from_a_snapshot(void **state) {
    mo_client *c = mo_connect_or_skip();
    if (!c) skip();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_rdb");
    mo_test_exec_ok(c, "CREATE DATABASE mocore_mo_rdb");
    mo_test_exec_ok(c, "CREATE TABLE mocore_mo_rdb.t (a INT PRIMARY KEY)");
    mo_test_exec_ok(c, "INSERT INTO mocore_mo_rdb.t VALUES (1), (2)");
    mo_snapshots_delete(ex, "mocore_mo_rsnap");
    assert_mo_ok(mo_snapshots_create(NULL, ex, "mocore_mo_rsnap", "database", "mocore_mo_rdb", NULL, NULL));
    /* read back from the server's own catalog */
    mo_snapshot_list *l = NULL;
    assert_mo_ok(mo_snapshots_list(&l, ex));
    int found = 0;
    for (size_t i = 0; i < mo_snapshot_list_count(l); i++)
        if (!strcmp(mo_snapshot_name(mo_snapshot_list_get(l, i)), "mocore_mo_rsnap")) found = 1;
    assert_true(found);
    mo_snapshot_list_free(l);
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mo_catalog.mo_snapshots WHERE sname = 'mocore_mo_rsnap'"), 1);

    mo_test_exec_ok(c, "INSERT INTO mocore_mo_rdb.t VALUES (3)");
    /* RESTORE TABLE `sys`.`mocore_mo_rdb`.`t` {SNAPSHOT = `mocore_mo_rsnap`}: the old
     * FROM SNAPSHOT form is a 1064 on v4.x */
    assert_mo_ok(mo_restore_table(ex, "mocore_mo_rsnap", "sys", "mocore_mo_rdb", "t", NULL));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mocore_mo_rdb.t"), 2);
    mo_test_exec_ok(c, "INSERT INTO mocore_mo_rdb.t VALUES (4), (5)");
    assert_mo_ok(mo_restore_database(ex, "mocore_mo_rsnap", "sys", "mocore_mo_rdb", NULL));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mocore_mo_rdb.t"), 2);

    /* clone a table from the snapshot */
    mo_test_exec_ok(c, "INSERT INTO mocore_mo_rdb.t VALUES (6)");
    assert_mo_ok(mo_clone_table_with_snapshot(ex, "mocore_mo_rdb.t_clone", "mocore_mo_rdb.t",
                                              "mocore_mo_rsnap", 0));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mocore_mo_rdb.t_clone"), 2);
    assert_mo_ok(mo_snapshots_delete(ex, "mocore_mo_rsnap"));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mo_catalog.mo_snapshots WHERE sname = 'mocore_mo_rsnap'"), 0);
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_rdb");
    mo_executor_free(ex);
    mo_client_close(c);
}

/* data branch: create, diff, merge (client), merge on a session refused, delete. */
static void branch_create_diff_merge_delete(void **state) {
    mo_client *c = mo_connect_or_skip();
    if (!c) skip();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_bdb");
    mo_test_exec_ok(c, "CREATE DATABASE mocore_mo_bdb");
    mo_test_exec_ok(c, "CREATE TABLE mocore_mo_bdb.base (a INT PRIMARY KEY, b INT)");
    mo_test_exec_ok(c, "INSERT INTO mocore_mo_bdb.base VALUES (1, 1), (2, 2)");
    assert_mo_ok(mo_branch_create_table(ex, "mocore_mo_bdb.br", "mocore_mo_bdb.base", NULL, NULL));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mocore_mo_bdb.br"), 2);
    mo_test_exec_ok(c, "INSERT INTO mocore_mo_bdb.br VALUES (3, 3)");
    mo_result *r = NULL;
    assert_mo_ok(mo_branch_diff_table(&r, ex, "mocore_mo_bdb.br", NULL, "mocore_mo_bdb.base", NULL,
                                      MO_BRANCH_DIFF_ROWS, 0, NULL));
    int rows = 0;
    while (mo_result_next(r) == MO_ROW) rows++;
    assert_int_equal(rows, 1);
    mo_result_free(r);
    /* on a session: MatrixOne refuses DATA BRANCH MERGE in a transaction (20101): MISUSE,
     * nothing sent */
    mo_session *s = NULL;
    mo_executor *sx = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_mo_ok(mo_session_executor(&sx, s));
    assert_int_equal(mo_branch_merge_table(sx, "mocore_mo_bdb.br", "mocore_mo_bdb.base", NULL),
                     MO_E_MISUSE);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    mo_executor_free(sx);
    mo_session_close(s);
    assert_mo_ok(mo_branch_merge_table(ex, "mocore_mo_bdb.br", "mocore_mo_bdb.base", "skip"));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mocore_mo_bdb.base"), 3);
    assert_mo_ok(mo_branch_delete_table(ex, "mocore_mo_bdb.br"));
    assert_int_not_equal(mo_test_exec(c, "SELECT * FROM mocore_mo_bdb.br"), MO_OK);
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_bdb");
    mo_executor_free(ex);
    mo_client_close(c);
}

/* Accounts, users, roles; a publication to a second account and its subscription there;
 * list_subscriptions() with and without filters on the real rows. */
static void accounts_publication_and_subscription(void **state) {
    mo_client *c = mo_connect_or_skip();
    if (!c) skip();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_account_drop_account(ex, "mocore_mo_acc2", 1);
    mo_account *a = NULL;
    assert_mo_ok(mo_account_create_account(&a, ex, "mocore_mo_acc2", "admin", "pw2", "mocore test"));
    assert_string_equal(mo_account_name(a), "mocore_mo_acc2");
    mo_account_free(a);
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mo_catalog.mo_account WHERE account_name = 'mocore_mo_acc2'"), 1);
    mo_account_drop_user(ex, "mocore_mo_u1", 1);
    mo_account_drop_role(ex, "mocore_mo_r1", 1);
    assert_mo_ok(mo_account_create_user(NULL, ex, "mocore_mo_u1", "pw-u1", NULL));
    assert_mo_ok(mo_account_create_role(NULL, ex, "mocore_mo_r1", NULL));
    assert_mo_ok(mo_account_grant_role(ex, "mocore_mo_r1", "mocore_mo_u1"));
    mo_role *role = NULL;
    assert_mo_ok(mo_account_get_role(&role, ex, "mocore_mo_r1"));
    mo_role_free(role);
    assert_mo_ok(mo_account_drop_user(ex, "mocore_mo_u1", 0));
    assert_mo_ok(mo_account_drop_role(ex, "mocore_mo_r1", 0));

    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_pubdb");
    mo_test_exec_ok(c, "CREATE DATABASE mocore_mo_pubdb");
    mo_test_exec_ok(c, "CREATE TABLE mocore_mo_pubdb.t (a INT)");
    mo_test_exec_ok(c, "INSERT INTO mocore_mo_pubdb.t VALUES (7)");
    mo_pubsub_drop_publication(ex, "mocore_mo_pub");
    mo_publication *p = NULL;
    assert_mo_ok(mo_pubsub_create_database_publication(&p, ex, "mocore_mo_pub", "mocore_mo_pubdb",
                                                       "mocore_mo_acc2"));
    assert_string_equal(mo_publication_name(p), "mocore_mo_pub");
    mo_publication_free(p);

    /* the subscriber: the second account's admin */
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, getenv("MOCORE_TEST_MATRIXONE_URL")));
    assert_mo_ok(mo_config_set_user(cfg, "admin"));
    assert_mo_ok(mo_config_set_account(cfg, "mocore_mo_acc2"));
    assert_mo_ok(mo_config_set_password(cfg, "pw2"));
    assert_mo_ok(mo_config_set_database(cfg, NULL));
    mo_client *c2 = NULL;
    assert_mo_ok(mo_client_connect(&c2, cfg));
    mo_config_free(cfg);
    mo_executor *ex2 = NULL;
    assert_mo_ok(mo_client_executor(&ex2, c2));
    mo_subscription *sub = NULL;
    assert_mo_ok(mo_pubsub_create_subscription(&sub, ex2, "mocore_mo_sub", "mocore_mo_pub", "sys"));
    assert_string_equal(mo_subscription_sub_name(sub), "mocore_mo_sub");
    mo_subscription_free(sub);
    assert_int_equal(count(c2, "SELECT COUNT(*) FROM mocore_mo_sub.t"), 1);
    /* no filter: every row (this crashed on the first row); filters: exact, on the rows */
    mo_subscription_list *sl = NULL;
    assert_mo_ok(mo_pubsub_list_subscriptions(&sl, ex2, NULL, NULL));
    assert_true(mo_subscription_list_count(sl) >= 1);
    mo_subscription_list_free(sl);
    assert_mo_ok(mo_pubsub_list_subscriptions(&sl, ex2, "sys", "mocore_mo_pubdb"));
    assert_int_equal(mo_subscription_list_count(sl), 1);
    assert_string_equal(mo_subscription_pub_name(mo_subscription_list_get(sl, 0)), "mocore_mo_pub");
    mo_subscription_list_free(sl);
    assert_mo_ok(mo_pubsub_list_subscriptions(&sl, ex2, "mocore_mo_nosuch", NULL));
    assert_int_equal(mo_subscription_list_count(sl), 0);
    mo_subscription_list_free(sl);
    mo_test_exec_ok(c2, "DROP DATABASE IF EXISTS mocore_mo_sub");
    mo_executor_free(ex2);
    mo_client_close(c2);

    assert_mo_ok(mo_pubsub_drop_publication(ex, "mocore_mo_pub"));
    assert_int_equal(mo_pubsub_get_publication(&p, ex, "mocore_mo_pub"), MO_E_NOT_FOUND);
    assert_mo_ok(mo_account_drop_account(ex, "mocore_mo_acc2", 0));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM mo_catalog.mo_account WHERE account_name = 'mocore_mo_acc2'"), 0);
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_pubdb");
    mo_executor_free(ex);
    mo_client_close(c);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* LOAD DATA server-side, LOCAL, inline and from a stage; exports read back byte for byte. */
static void load_data_stage_and_export(void **state) {
    mo_client *probe = mo_connect_or_skip();
    if (!probe) skip();
    mo_test_exec_ok(probe, "DROP DATABASE IF EXISTS mocore_mo_ldb");
    mo_test_exec_ok(probe, "CREATE DATABASE mocore_mo_ldb");
    mo_client_close(probe);
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/mocore_mo_load_%d", (int)getpid());
    mkdir(dir, 0777);
    mo_client *c = mo_test_matrixone_connect("mocore_mo_ldb", dir);
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "CREATE TABLE t (id INT, name VARCHAR(20))");
    char path[128];
    snprintf(path, sizeof path, "%s/in.csv", dir);
    write_file(path, "1,one\n2,two\n3,three\n");
    uint64_t n = 0;
    /* server-side: the server reads the file (same machine here) */
    assert_mo_ok(mo_load_data_from_file(ex, path, "t", NULL, &n));
    assert_int_equal(n, 3);
    /* LOCAL: this process reads it; @@local_infile reads 0 on MatrixOne and is not consulted */
    assert_mo_ok(mo_load_data_from_local_file(ex, path, "t", NULL, &n));
    assert_int_equal(n, 3);
    const char inline_csv[] = "4,four\n5,five\n";
    assert_mo_ok(mo_load_data_from_inline(ex, inline_csv, sizeof inline_csv - 1, "t", NULL, &n));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM t"), 8);

    /* export, byte for byte (no header: mocore says header 'false' on MatrixOne) */
    char out[160];
    snprintf(out, sizeof out, "%s/out.csv", dir);
    unlink(out);
    assert_mo_ok(mo_export_to_csv(ex, out, "SELECT id, name FROM t WHERE id <= 2 ORDER BY id, name",
                                  NULL, NULL, NULL, NULL, 0, &n));
    assert_int_equal(n, 0); /* MatrixOne reports no count for INTO OUTFILE */
    size_t len = 0;
    char *text = slurp(out, &len);
    assert_non_null(text);
    /* MatrixOne encloses strings in '"' although no ENCLOSED BY was given */
    assert_string_equal(text, "1,\"one\"\n1,\"one\"\n2,\"two\"\n2,\"two\"\n");
    free(text);
    snprintf(out, sizeof out, "%s/out.jsonl", dir);
    unlink(out);
    assert_mo_ok(mo_export_to_jsonl(ex, out, "SELECT id FROM t WHERE id = 5", NULL, &n));
    text = slurp(out, &len);
    assert_non_null(text);
    assert_string_equal(text, "{\"id\":5}\n");
    free(text);

    /* a stage on the directory: export into it, load from it, read the catalog */
    mo_stage_drop(ex, "mocore_mo_stage", 1);
    mo_stage *st = NULL;
    assert_mo_ok(mo_stage_create_local(&st, ex, "mocore_mo_stage", dir, NULL, 0));
    mo_stage_free(st);
    int exists = 0;
    assert_mo_ok(mo_stage_exists(ex, "mocore_mo_stage", &exists));
    assert_int_equal(exists, 1);
    assert_mo_ok(mo_export_to_csv_stage(ex, "mocore_mo_stage", "staged.csv",
                                        "SELECT id, name FROM t WHERE id = 3", NULL, NULL, NULL,
                                        NULL, 0, NULL));
    mo_test_exec_ok(c, "DELETE FROM t");
    assert_mo_ok(mo_load_data_from_stage(ex, "mocore_mo_stage", "staged.csv", "t", NULL, &n));
    assert_int_equal(count(c, "SELECT COUNT(*) FROM t WHERE id = 3"), 2);
    assert_mo_ok(mo_stage_drop(ex, "mocore_mo_stage", 0));
    assert_mo_ok(mo_stage_exists(ex, "mocore_mo_stage", &exists));
    assert_int_equal(exists, 0);

    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_ldb");
    mo_executor_free(ex);
    mo_client_close(c);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* CDC needs a PITR of at least 2 hours on the source: the server's answer is NOT_FOUND with
 * the reason; with one the task is created, listed and dropped. */
static void cdc_needs_a_pitr_on_the_source(void **state) {
    mo_client *c = mo_connect_or_skip();
    if (!c) skip();
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_cdc_src");
    mo_test_exec_ok(c, "CREATE DATABASE mocore_mo_cdc_src");
    mo_test_exec_ok(c, "CREATE TABLE mocore_mo_cdc_src.t (a INT PRIMARY KEY)");
    mo_cdc_drop(ex, "mocore_mo_cdc");
    mo_cdc_task *t = NULL;
    const char *uri = "mysql://root:111@127.0.0.1:6001";
    mo_status st = mo_cdc_create_database_task(&t, ex, "mocore_mo_cdc", uri, "matrixone", uri,
                                               "mocore_mo_cdc_src", "mocore_mo_cdc_dst", NULL);
    if (st == MO_OK) {
        /* A PITR covering the source exists on this server (e.g. a cluster-level one that is
         * not ours to drop): the task is created; read it back and drop it. */
        print_message("a PITR covers the source here: CREATE CDC succeeded, the missing-PITR "
                      "answer could not be provoked\n");
        int exists = 0;
        assert_mo_ok(mo_cdc_exists(ex, "mocore_mo_cdc", &exists));
        assert_int_equal(exists, 1);
        assert_mo_ok(mo_cdc_drop(ex, "mocore_mo_cdc"));
        assert_mo_ok(mo_cdc_exists(ex, "mocore_mo_cdc", &exists));
        assert_int_equal(exists, 0);
    } else {
        /* 20101 "no valid PITR configuration found ... minimum required length: 2 hours" */
        assert_int_equal(st, MO_E_NOT_FOUND);
        assert_non_null(strstr(mo_error_message(mo_error_last()), "PITR"));
    }
    mo_cdc_task_free(t);
    mo_executor_free(ex);
    mo_test_exec_ok(c, "DROP DATABASE IF EXISTS mocore_mo_cdc_src");
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
        cmocka_unit_test(restore_table_and_database_from_a_snapshot),
        cmocka_unit_test(branch_create_diff_merge_delete),
        cmocka_unit_test(accounts_publication_and_subscription),
        cmocka_unit_test(load_data_stage_and_export),
        cmocka_unit_test(cdc_needs_a_pitr_on_the_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
