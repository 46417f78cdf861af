/* The SQL of every manager function, checked through the dry-run journal (no server).
 *
 * Expectations come from the SDK's conformance vectors for these managers (a copy is in
 * tests/conformance/snapshot_pitr_pubsub_account_vectors.json; vector ids below are "<manager>.<method>#n", n
 * counting from 1 within that manager+method in the file). Where the SDK text is safe it is
 * matched byte for byte; where mocore quotes names / escapes values the SDK pastes raw, the
 * expected mocore text is given and the vector is named in the comment. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"
#include "connection.h" /* to pose as a server of a given kind/version */

typedef mo_test_dry_run fixture;


#define SNAP_GET(name)                                                                       \
    "\n                SELECT sname, ts, level, account_name, database_name, table_name\n"   \
    "                FROM mo_catalog.mo_snapshots\n"                                         \
    "                WHERE sname = '" name "'\n            "

/* ------------------------------------------------------------------ snapshots */

static void snapshots_create_sends_ddl_then_reads_back(void **state) {
    fixture *f = *state;
    mo_snapshot *s = NULL;
    /* snapshots.create#1: SDK "CREATE SNAPSHOT cluster_snap FOR CLUSTER" (name unquoted). */
    assert_mo_ok(mo_snapshots_create(&s, f->ex, "cluster_snap", "CLUSTER", NULL, NULL, NULL));
    JOURNAL(f->client, "CREATE SNAPSHOT `cluster_snap` FOR CLUSTER", SNAP_GET("cluster_snap"));
    /* dry-run read-back: an empty record carrying the name */
    assert_string_equal(mo_snapshot_name(s), "cluster_snap");
    assert_null(mo_snapshot_database(s));
    assert_int_equal(mo_snapshot_ts(s), 0);
    mo_snapshot_free(s);
    /* snapshots.create#2: SDK "CREATE SNAPSHOT db_snap FOR DATABASE test_db". */
    assert_mo_ok(mo_snapshots_create(NULL, f->ex, "db_snap", "database", "test_db", NULL, NULL));
    JOURNAL(f->client, "CREATE SNAPSHOT `db_snap` FOR DATABASE `test_db`", SNAP_GET("db_snap"));
    /* snapshots.create#3: SDK "CREATE SNAPSHOT table_snap FOR TABLE test_db test_table". */
    assert_mo_ok(mo_snapshots_create(NULL, f->ex, "table_snap", "table", "test_db", "test_table", NULL));
    JOURNAL(f->client, "CREATE SNAPSHOT `table_snap` FOR TABLE `test_db` `test_table`",
            SNAP_GET("table_snap"));
    assert_mo_ok(mo_snapshots_create(NULL, f->ex, "acc_snap", "Account", NULL, NULL, "ignored"));
    JOURNAL(f->client, "CREATE SNAPSHOT `acc_snap` FOR ACCOUNT", SNAP_GET("acc_snap"));
}

static void snapshots_get_list_exists_delete(void **state) {
    fixture *f = *state;
    mo_snapshot *s = NULL;
    assert_mo_ok(mo_snapshots_get(&s, f->ex, "s1"));
    mo_snapshot_free(s);
    JOURNAL(f->client, SNAP_GET("s1"));
    mo_snapshot_list *l = NULL;
    assert_mo_ok(mo_snapshots_list(&l, f->ex));
    assert_int_equal(mo_snapshot_list_count(l), 0);
    assert_null(mo_snapshot_list_get(l, 0));
    mo_snapshot_list_free(l);
    JOURNAL(f->client, "SELECT sname, ts, level, account_name, database_name, table_name "
                       "FROM mo_catalog.mo_snapshots");
    int exists = 0;
    assert_mo_ok(mo_snapshots_exists(f->ex, "s1", &exists));
    assert_int_equal(exists, 1);
    JOURNAL(f->client, SNAP_GET("s1"));
    /* snapshots.delete#1: SDK "DROP SNAPSHOT test_snap". */
    assert_mo_ok(mo_snapshots_delete(f->ex, "test_snap"));
    JOURNAL(f->client, "DROP SNAPSHOT `test_snap`");
}

static void snapshots_validation_sends_nothing(void **state) {
    fixture *f = *state;
    error_is(mo_snapshots_create(NULL, f->ex, "s", "galaxy", NULL, NULL, NULL),
             MO_E_INVALID_ARGUMENT, "snapshots.create", "Invalid snapshot level: galaxy");
    error_is(mo_snapshots_create(NULL, f->ex, "s", "database", NULL, NULL, NULL),
             MO_E_INVALID_ARGUMENT, "snapshots.create",
             "Database name required for database level snapshot");
    error_is(mo_snapshots_create(NULL, f->ex, "s", "table", "db", "", NULL),
             MO_E_INVALID_ARGUMENT, "snapshots.create",
             "Database and table names required for table level snapshot");
    error_is(mo_snapshots_create(NULL, f->ex, "", "cluster", NULL, NULL, NULL),
             MO_E_INVALID_ARGUMENT, "snapshots.create", NULL);
    error_is(mo_snapshots_delete(f->ex, NULL), MO_E_INVALID_ARGUMENT, "snapshots.delete", NULL);
    error_is(mo_snapshots_get(NULL, f->ex, "x"), MO_E_INVALID_ARGUMENT, "snapshots.get", NULL);
    JOURNAL_EMPTY(f->client);
}

static void hostile_names_are_quoted_and_values_escaped(void **state) {
    fixture *f = *state;
    assert_mo_ok(mo_snapshots_create(NULL, f->ex, "a`b; DROP DATABASE x; --", "table",
                                     "d'b\\", "t\"\n", NULL));
    JOURNAL(f->client, "CREATE SNAPSHOT `a``b; DROP DATABASE x; --` FOR TABLE `d'b\\` `t\"\n`",
            "\n                SELECT sname, ts, level, account_name, database_name, table_name\n"
            "                FROM mo_catalog.mo_snapshots\n"
            "                WHERE sname = 'a`b; DROP DATABASE x; --'\n            ");
    mo_snapshot *s = NULL;
    assert_mo_ok(mo_snapshots_get(&s, f->ex, "x' OR '1'='1\\"));
    mo_snapshot_free(s);
    JOURNAL(f->client, SNAP_GET("x'' OR ''1''=''1\\\\"));
    /* multibyte names pass through unchanged inside the quotes */
    assert_mo_ok(mo_snapshots_delete(f->ex, "快照`ü"));
    JOURNAL(f->client, "DROP SNAPSHOT `快照``ü`");
    /* invalid UTF-8 is rejected, nothing journaled */
    error_is(mo_snapshots_delete(f->ex, "bad\xff"), MO_E_INVALID_ARGUMENT, "snapshots.delete", NULL);
    error_is(mo_clone_table(f->ex, "db.", "src", NULL, 0, NULL), MO_E_INVALID_ARGUMENT,
             "clone.clone_table", NULL);
    JOURNAL_EMPTY(f->client);
}

/* ------------------------------------------------------------------ clone */

static void clone_statements(void **state) {
    fixture *f = *state;
    /* clone.clone_database#1: SDK "CREATE DATABASE target_db CLONE source_db". */
    assert_mo_ok(mo_clone_database(f->ex, "target_db", "source_db", NULL, 0, NULL));
    JOURNAL(f->client, "CREATE DATABASE `target_db` CLONE `source_db`");
    /* clone_builder.clone_table#1: SDK
     * CREATE TABLE IF NOT EXISTS tgt CLONE src {snapshot = "snap1"} TO ACCOUNT tenant1 */
    assert_mo_ok(mo_clone_table(f->ex, "tgt", "src", "snap1", 1, "tenant1"));
    JOURNAL(f->client, "CREATE TABLE IF NOT EXISTS `tgt` CLONE `src` {snapshot = 'snap1'} TO ACCOUNT `tenant1`");
    /* clone_builder.clone_database#1: SDK CREATE DATABASE tgt_db CLONE src_db {snapshot = "snap1"} */
    assert_mo_ok(mo_clone_database(f->ex, "tgt_db", "src_db", "snap1", 0, NULL));
    JOURNAL(f->client, "CREATE DATABASE `tgt_db` CLONE `src_db` {snapshot = 'snap1'}");
    assert_mo_ok(mo_clone_table(f->ex, "db1.t`1", "db0.t0", "s\"'", 0, NULL));
    JOURNAL(f->client, "CREATE TABLE `db1`.`t``1` CLONE `db0`.`t0` {snapshot = 's\"'''}");
    /* *_with_snapshot: the existence check is journaled first */
    assert_mo_ok(mo_clone_table_with_snapshot(f->ex, "t2", "t1", "sn", 1));
    JOURNAL(f->client, SNAP_GET("sn"), "CREATE TABLE IF NOT EXISTS `t2` CLONE `t1` {snapshot = 'sn'}");
    assert_mo_ok(mo_clone_database_with_snapshot(f->ex, "d2", "d1", "sn", 0));
    JOURNAL(f->client, SNAP_GET("sn"), "CREATE DATABASE `d2` CLONE `d1` {snapshot = 'sn'}");
    error_is(mo_clone_table(f->ex, "", "src", NULL, 0, NULL), MO_E_INVALID_ARGUMENT,
             "clone.clone_table", "target_table must be a non-empty string");
    error_is(mo_clone_table(f->ex, "t", NULL, NULL, 0, NULL), MO_E_INVALID_ARGUMENT,
             "clone.clone_table", "source_table must be set via from_table()");
    error_is(mo_clone_database(f->ex, "t", "s", NULL, 0, ""), MO_E_INVALID_ARGUMENT,
             "clone.clone_database", "account must be a non-empty string");
    error_is(mo_clone_database_with_snapshot(f->ex, "t", "s", NULL, 0), MO_E_INVALID_ARGUMENT,
             "clone.clone_database_with_snapshot", NULL);
    JOURNAL_EMPTY(f->client);
}

/* ------------------------------------------------------------------ branch */

static void branch_statements(void **state) {
    fixture *f = *state;
    /* branch.create_table_branch#1: SDK "data branch create table branch_tbl from base_tbl" */
    assert_mo_ok(mo_branch_create_table(f->ex, "branch_tbl", "base_tbl", NULL, NULL));
    JOURNAL(f->client, "data branch create table `branch_tbl` from `base_tbl`");
    /* branch.create_table_branch#2: SDK ...from base_tbl{snapshot="snapshot_1"} */
    assert_mo_ok(mo_branch_create_table(f->ex, "branch_tbl", "base_tbl", "snapshot_1", NULL));
    JOURNAL(f->client, "data branch create table `branch_tbl` from `base_tbl`{snapshot='snapshot_1'}");
    /* branch_builder.create_table_branch#1: SDK
     * data branch create table tgt from src{snapshot="snap1"} to account tenant1 */
    assert_mo_ok(mo_branch_create_table(f->ex, "tgt", "src", "snap1", "tenant1"));
    JOURNAL(f->client, "data branch create table `tgt` from `src`{snapshot='snap1'} to account `tenant1`");
    /* branch.delete_table_branch#1 */
    assert_mo_ok(mo_branch_delete_table(f->ex, "branch_tbl"));
    JOURNAL(f->client, "data branch delete table `branch_tbl`");
    /* branch.create_database_branch#1, branch.delete_database_branch#1 */
    assert_mo_ok(mo_branch_create_database(f->ex, "dst_db", "src_db"));
    assert_mo_ok(mo_branch_delete_database(f->ex, "dst_db"));
    JOURNAL(f->client, "data branch create database `dst_db` from `src_db`",
            "data branch delete database `dst_db`");
    mo_result *r = NULL;
    /* branch.diff_table#1..#3 */
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t2", NULL, "t1", NULL, MO_BRANCH_DIFF_ROWS, 0, NULL));
    assert_int_equal(mo_result_next(r), MO_DONE);
    mo_result_free(r);
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t2", NULL, "t1", "snapshot_1", MO_BRANCH_DIFF_ROWS, 0, NULL));
    mo_result_free(r);
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t2", NULL, "t1", NULL, MO_BRANCH_DIFF_COUNT, 0, NULL));
    mo_result_free(r);
    JOURNAL(f->client, "data branch diff `t2` against `t1`",
            "data branch diff `t2` against `t1`{snapshot='snapshot_1'}",
            "data branch diff `t2` against `t1` output count");
    /* branch_builder.diff_table_branch#1, #2; plus limit and as-table */
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t1", "s1", "t2", "s2", MO_BRANCH_DIFF_ROWS, 0, NULL));
    mo_result_free(r);
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t1", NULL, "t2", NULL, MO_BRANCH_DIFF_FILE, 0, "/tmp/diff.sql"));
    mo_result_free(r);
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "db.t1", NULL, "t2", NULL, MO_BRANCH_DIFF_LIMIT, 10, NULL));
    mo_result_free(r);
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t1", NULL, "t2", NULL, MO_BRANCH_DIFF_AS_TABLE, 0, "out`t"));
    mo_result_free(r);
    assert_mo_ok(mo_branch_diff_table(&r, f->ex, "t1", NULL, "t2", NULL, MO_BRANCH_DIFF_FILE, 0, "/tmp/it's"));
    mo_result_free(r);
    JOURNAL(f->client, "data branch diff `t1`{snapshot='s1'} against `t2`{snapshot='s2'}",
            "data branch diff `t1` against `t2` output file '/tmp/diff.sql'",
            "data branch diff `db`.`t1` against `t2` output limit 10",
            "data branch diff `t1` against `t2` output as `out``t`",
            "data branch diff `t1` against `t2` output file '/tmp/it''s'");
    /* branch.merge_table#1, #2 */
    assert_mo_ok(mo_branch_merge_table(f->ex, "t2", "t1", NULL));
    assert_mo_ok(mo_branch_merge_table(f->ex, "t2", "t1", "accept"));
    JOURNAL(f->client, "data branch merge `t2` into `t1` when conflict skip",
            "data branch merge `t2` into `t1` when conflict accept");
    error_is(mo_branch_merge_table(f->ex, "t2", "t1", "overwrite"), MO_E_INVALID_ARGUMENT,
             "branch.merge_table", "on_conflict must be 'skip' or 'accept', got 'overwrite'");
    error_is(mo_branch_create_table(f->ex, "", "s", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "branch.create_table_branch", "target_table must be a non-empty string");
    error_is(mo_branch_create_table(f->ex, "t", "", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "branch.create_table_branch", "source_table must be a non-empty string");
    error_is(mo_branch_delete_table(f->ex, ""), MO_E_INVALID_ARGUMENT,
             "branch.delete_table_branch", "table must be a non-empty string");
    error_is(mo_branch_create_database(f->ex, "", "s"), MO_E_INVALID_ARGUMENT,
             "branch.create_database_branch", "target_database must be a non-empty string");
    error_is(mo_branch_delete_database(f->ex, NULL), MO_E_INVALID_ARGUMENT,
             "branch.delete_database_branch", "database must be a non-empty string");
    error_is(mo_branch_diff_table(&r, f->ex, "t", NULL, "u", NULL, (mo_branch_diff_output)9, 0, NULL),
             MO_E_INVALID_ARGUMENT, "branch.diff_table", NULL);
    assert_null(r);
    JOURNAL_EMPTY(f->client);
}

/* ------------------------------------------------------------------ restore */

static void restore_statements_match_the_sdk_byte_for_byte(void **state) {
    fixture *f = *state;
    /* restore.* vectors #1..#7: the SDK backticks these already. */
    assert_mo_ok(mo_restore_cluster(f->ex, "cluster_snapshot_1"));
    assert_mo_ok(mo_restore_tenant(f->ex, "acc1_snap1", "acc1", NULL));
    assert_mo_ok(mo_restore_tenant(f->ex, "acc1_snap1", "acc1", "acc2"));
    assert_mo_ok(mo_restore_database(f->ex, "acc1_db_snap1", "acc1", "db1", NULL));
    assert_mo_ok(mo_restore_database(f->ex, "acc1_db_snap1", "acc1", "db1", "acc2"));
    assert_mo_ok(mo_restore_table(f->ex, "acc1_tab_snap1", "acc1", "db1", "t1", NULL));
    assert_mo_ok(mo_restore_table(f->ex, "acc1_tab_snap1", "acc1", "db1", "t1", "acc2"));
    JOURNAL(f->client, "RESTORE CLUSTER FROM SNAPSHOT `cluster_snapshot_1`",
            "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `acc1_snap1`",
            "RESTORE ACCOUNT `acc1` FROM SNAPSHOT `acc1_snap1` TO ACCOUNT `acc2`",
            "RESTORE ACCOUNT `acc1` DATABASE `db1` FROM SNAPSHOT `acc1_db_snap1`",
            "RESTORE ACCOUNT `acc1` DATABASE `db1` FROM SNAPSHOT `acc1_db_snap1` TO ACCOUNT `acc2`",
            "RESTORE ACCOUNT `acc1` DATABASE `db1` TABLE `t1` FROM SNAPSHOT `acc1_tab_snap1`",
            "RESTORE ACCOUNT `acc1` DATABASE `db1` TABLE `t1` FROM SNAPSHOT `acc1_tab_snap1` TO ACCOUNT `acc2`");
    /* The SDK does not double inner backticks; we do. */
    assert_mo_ok(mo_restore_tenant(f->ex, "s`", "a`b", NULL));
    JOURNAL(f->client, "RESTORE ACCOUNT `a``b` FROM SNAPSHOT `s```");
    error_is(mo_restore_cluster(f->ex, ""), MO_E_INVALID_ARGUMENT, "restore.restore_cluster", NULL);
    /* Since MatrixOne v4.0.0 the grammar is RESTORE <level> [account.]target {SNAPSHOT = s};
     * FROM SNAPSHOT is a 1064 there. A dry-run client knows a version when configured. */
    const char *const versions[] = {"&server_version=8.0.30-MatrixOne-v4.2.0", "&server_version=4.0.0",
                                    "&server_version=8.0.30-MatrixOne-v"};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        mo_client *c = mo_test_dry_run_client(versions[i]);
        mo_executor *ex = NULL;
        assert_mo_ok(mo_client_executor(&ex, c));
        assert_mo_ok(mo_restore_cluster(ex, "cluster_snapshot_1"));
        assert_mo_ok(mo_restore_tenant(ex, "acc1_snap1", "acc1", "acc2"));
        assert_mo_ok(mo_restore_database(ex, "acc1_db_snap1", "acc1", "db1", NULL));
        assert_mo_ok(mo_restore_table(ex, "acc1_tab_snap1", "sys", "db1", "t1", "acc2"));
        assert_mo_ok(mo_restore_tenant(ex, "s`", "a`b", NULL));
        JOURNAL(c, "RESTORE CLUSTER {SNAPSHOT = `cluster_snapshot_1`}",
                "RESTORE ACCOUNT `acc1` {SNAPSHOT = `acc1_snap1`} TO ACCOUNT `acc2`",
                "RESTORE DATABASE `acc1`.`db1` {SNAPSHOT = `acc1_db_snap1`}",
                "RESTORE TABLE `sys`.`db1`.`t1` {SNAPSHOT = `acc1_tab_snap1`} TO ACCOUNT `acc2`",
                "RESTORE ACCOUNT `a``b` {SNAPSHOT = `s```}");
        mo_executor_free(ex);
        mo_client_close(c);
    }
    /* Before v4.0.0 the old form, as with no version. */
    mo_client *c = mo_test_dry_run_client("&server_version=3.0.18");
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    assert_mo_ok(mo_restore_table(ex, "s", "a", "d", "t", NULL));
    JOURNAL(c, "RESTORE ACCOUNT `a` DATABASE `d` TABLE `t` FROM SNAPSHOT `s`");
    mo_executor_free(ex);
    mo_client_close(c);
    mo_config *cfg = NULL;
    assert_int_equal(mo_config_from_url(&cfg, "mysql://u@h/d?server_version=banana"),
                     MO_E_INVALID_ARGUMENT);
    error_is(mo_restore_table(f->ex, "s", "a", "d", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "restore.restore_table", NULL);
    JOURNAL_EMPTY(f->client);
}

/* ------------------------------------------------------------------ pitr */

static void pitr_statements_match_the_sdk(void **state) {
    fixture *f = *state;
    mo_pitr *p = NULL;
    /* pitr.create_cluster_pitr#1 (sequence) */
    assert_mo_ok(mo_pitr_create_cluster(&p, f->ex, "cluster_pitr1", 1, "d"));
    assert_string_equal(mo_pitr_name(p), "cluster_pitr1");
    assert_null(mo_pitr_level(p));
    mo_pitr_free(p);
    JOURNAL(f->client, "CREATE PITR `cluster_pitr1` FOR CLUSTER RANGE 1 'd'",
            "SHOW PITR WHERE pitr_name = 'cluster_pitr1'");
    /* pitr.create_account_pitr#1, #2 */
    assert_mo_ok(mo_pitr_create_account(NULL, f->ex, "account_pitr1", NULL, 2, "h"));
    assert_mo_ok(mo_pitr_create_account(NULL, f->ex, "account_pitr2", "acc1", 1, "d"));
    JOURNAL(f->client, "CREATE PITR `account_pitr1` FOR ACCOUNT RANGE 2 'h'",
            "SHOW PITR WHERE pitr_name = 'account_pitr1'",
            "CREATE PITR `account_pitr2` FOR ACCOUNT `acc1` RANGE 1 'd'",
            "SHOW PITR WHERE pitr_name = 'account_pitr2'");
    /* pitr.create_database_pitr#1, pitr.create_table_pitr#1 */
    assert_mo_ok(mo_pitr_create_database(NULL, f->ex, "db_pitr1", "db1", 1, "mo"));
    assert_mo_ok(mo_pitr_create_table(NULL, f->ex, "tab_pitr1", "db1", "t1", 1, "y"));
    JOURNAL(f->client, "CREATE PITR `db_pitr1` FOR DATABASE `db1` RANGE 1 'mo'",
            "SHOW PITR WHERE pitr_name = 'db_pitr1'",
            "CREATE PITR `tab_pitr1` FOR TABLE `db1` `t1` RANGE 1 'y'",
            "SHOW PITR WHERE pitr_name = 'tab_pitr1'");
    /* pitr.alter#1, pitr.get#1, pitr.delete#1, pitr.list#1 */
    assert_mo_ok(mo_pitr_alter(NULL, f->ex, "test_pitr", 3, "d"));
    assert_mo_ok(mo_pitr_get(&p, f->ex, "test_pitr"));
    mo_pitr_free(p);
    assert_mo_ok(mo_pitr_delete(f->ex, "test_pitr"));
    mo_pitr_list *l = NULL;
    assert_mo_ok(mo_pitr_list_pitrs(&l, f->ex, NULL, NULL, NULL, NULL));
    assert_int_equal(mo_pitr_list_count(l), 0);
    mo_pitr_list_free(l);
    assert_mo_ok(mo_pitr_list_pitrs(&l, f->ex, "table", NULL, "db'1", "t1"));
    mo_pitr_list_free(l);
    JOURNAL(f->client, "ALTER PITR `test_pitr` RANGE 3 'd'", "SHOW PITR WHERE pitr_name = 'test_pitr'",
            "SHOW PITR WHERE pitr_name = 'test_pitr'", "DROP PITR `test_pitr`", "SHOW PITR",
            "SHOW PITR WHERE pitr_level = 'table' AND database_name = 'db''1' AND table_name = 't1'");
    /* The SDK pastes the name raw into the literal; we escape it. */
    assert_mo_ok(mo_pitr_get(&p, f->ex, "p'; DROP PITR x; --"));
    mo_pitr_free(p);
    JOURNAL(f->client, "SHOW PITR WHERE pitr_name = 'p''; DROP PITR x; --'");
}

static void pitr_validation(void **state) {
    fixture *f = *state;
    error_is(mo_pitr_create_cluster(NULL, f->ex, "p", 0, "d"), MO_E_INVALID_ARGUMENT,
             "pitr.create_cluster_pitr",
             "Failed to create cluster PITR 'p': Range value must be between 1 and 100");
    error_is(mo_pitr_create_database(NULL, f->ex, "p", "db", 101, "d"), MO_E_INVALID_ARGUMENT,
             "pitr.create_database_pitr",
             "Failed to create database PITR 'p': Range value must be between 1 and 100");
    error_is(mo_pitr_create_table(NULL, f->ex, "p", "db", "t", 5, "w"), MO_E_INVALID_ARGUMENT,
             "pitr.create_table_pitr",
             "Failed to create table PITR 'p': Range unit must be one of: h, d, mo, y");
    error_is(mo_pitr_alter(NULL, f->ex, "p", 1, "m"), MO_E_INVALID_ARGUMENT, "pitr.alter",
             "Failed to alter PITR 'p': Range unit must be one of: h, d, mo, y");
    error_is(mo_pitr_create_table(NULL, f->ex, "p", "db", NULL, 5, "d"), MO_E_INVALID_ARGUMENT,
             "pitr.create_table_pitr", NULL);
    error_is(mo_pitr_delete(f->ex, ""), MO_E_INVALID_ARGUMENT, "pitr.delete", NULL);
    /* range limits themselves are fine */
    assert_mo_ok(mo_pitr_create_account(NULL, f->ex, "p", NULL, 100, NULL));
    JOURNAL(f->client, "CREATE PITR `p` FOR ACCOUNT RANGE 100 'd'", "SHOW PITR WHERE pitr_name = 'p'");
}

/* ------------------------------------------------------------------ executors */

static void session_executor_runs_inside_the_transaction(void **state) {
    fixture *f = *state;
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, f->client));
    mo_executor *ex = NULL;
    assert_mo_ok(mo_session_executor(&ex, s));
    assert_ptr_equal(mo_executor_session(ex), s);
    assert_ptr_equal(mo_executor_client(ex), f->client);
    assert_mo_ok(mo_snapshots_delete(ex, "a"));
    assert_mo_ok(mo_session_commit(s));
    assert_mo_ok(mo_snapshots_delete(ex, "b")); /* idle again: BEGIN first */
    mo_session_close(s);                       /* rolls back */
    JOURNAL(f->client, "BEGIN", "DROP SNAPSHOT `a`", "COMMIT", "BEGIN", "DROP SNAPSHOT `b`",
            "ROLLBACK");
    /* a closed session: the executor reports misuse, nothing is sent */
    error_is(mo_snapshots_delete(ex, "c"), MO_E_MISUSE, "snapshots.delete", NULL);
    JOURNAL_EMPTY(f->client);
    mo_executor_free(ex);
    mo_executor_free(NULL);
    error_is(mo_snapshots_delete(NULL, "c"), MO_E_INVALID_ARGUMENT, "snapshots.delete", NULL);
    mo_snapshot_free(NULL);
    mo_snapshot_list_free(NULL);
    assert_null(mo_snapshot_name(NULL));
}

static void version_gate_applies_when_the_version_is_known(void **state) {
    fixture *f = *state;
    /* A dry-run client knows no version: every gate is open (as the SDK with no version). */
    f->client->version_known = 1;
    f->client->version[0] = 3;
    f->client->version[1] = 0;
    f->client->version[2] = 4;
    error_is(mo_branch_create_table(f->ex, "a", "b", NULL, NULL), MO_E_UNSUPPORTED,
             "branch.create_table_branch", NULL);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "table_branching"));
    assert_mo_ok(mo_branch_delete_table(f->ex, "a")); /* not gated in the SDK */
    f->client->version[2] = 5;
    assert_mo_ok(mo_branch_create_table(f->ex, "a", "b", NULL, NULL));
    f->client->version[0] = 0;
    error_is(mo_snapshots_create(NULL, f->ex, "s", "cluster", NULL, NULL, NULL), MO_E_UNSUPPORTED,
             "snapshots.create", NULL);
    f->client->kind = MO_SERVER_MARIADB;
    error_is(mo_restore_cluster(f->ex, "s"), MO_E_UNSUPPORTED, "restore.restore_cluster", NULL);
    f->client->kind = MO_SERVER_MATRIXONE;
    f->client->version_known = 0;
    JOURNAL(f->client, "data branch delete table `a`", "data branch create table `a` from `b`");
}


/* ------------------------------------------------------------------ pubsub */

static void pubsub_statements(void **state) {
    fixture *f = *state;
    mo_publication *p = NULL;
    /* pubsub.create_database_publication#1 (sequence), byte for byte */
    assert_mo_ok(mo_pubsub_create_database_publication(&p, f->ex, "db_pub1", "central_db", "acc1"));
    assert_string_equal(mo_publication_name(p), "db_pub1");
    mo_publication_free(p);
    /* pubsub.create_table_publication#1 */
    assert_mo_ok(mo_pubsub_create_table_publication(NULL, f->ex, "table_pub1", "central_db", "users", "acc1"));
    JOURNAL(f->client, "CREATE PUBLICATION `db_pub1` DATABASE `central_db` ACCOUNT `acc1`",
            "SHOW PUBLICATIONS",
            "CREATE PUBLICATION `table_pub1` DATABASE `central_db` TABLE `users` ACCOUNT `acc1`",
            "SHOW PUBLICATIONS");
    /* pubsub.drop_publication#1, get_publication#1, list_publications#1 */
    assert_mo_ok(mo_pubsub_drop_publication(f->ex, "db_pub1"));
    assert_mo_ok(mo_pubsub_get_publication(&p, f->ex, "db_pub1"));
    mo_publication_free(p);
    mo_publication_list *pl = NULL;
    assert_mo_ok(mo_pubsub_list_publications(&pl, f->ex, "acc1", NULL));
    assert_int_equal(mo_publication_list_count(pl), 0);
    mo_publication_list_free(pl);
    JOURNAL(f->client, "DROP PUBLICATION `db_pub1`", "SHOW PUBLICATIONS", "SHOW PUBLICATIONS");
    /* pubsub.create_subscription#1, get_subscription#1 */
    mo_subscription *sub = NULL;
    assert_mo_ok(mo_pubsub_create_subscription(&sub, f->ex, "sub_db1", "pub1", "acc1"));
    assert_string_equal(mo_subscription_sub_name(sub), "sub_db1");
    mo_subscription_free(sub);
    assert_mo_ok(mo_pubsub_get_subscription(&sub, f->ex, "sub_db1"));
    mo_subscription_free(sub);
    JOURNAL(f->client, "CREATE DATABASE `sub_db1` FROM `acc1` PUBLICATION `pub1`",
            "SHOW SUBSCRIPTIONS", "SHOW SUBSCRIPTIONS");
    /* methods without vectors */
    mo_subscription_list *sl = NULL;
    assert_mo_ok(mo_pubsub_list_subscriptions(&sl, f->ex, NULL, NULL));
    mo_subscription_list_free(sl);
    assert_mo_ok(mo_pubsub_list_subscriptions(&sl, f->ex, "acc'1", "db1"));
    mo_subscription_list_free(sl);
    assert_mo_ok(mo_pubsub_list_subscriptions(&sl, f->ex, NULL, "db1"));
    mo_subscription_list_free(sl);
    assert_mo_ok(mo_pubsub_alter_publication(NULL, f->ex, "p1", "a1, a`2", "db", "t1,t2"));
    assert_mo_ok(mo_pubsub_alter_publication(NULL, f->ex, "p1", "ALL", NULL, NULL));
    const char *text = NULL;
    size_t len = 1;
    assert_mo_ok(mo_pubsub_show_create_publication(f->ex, "p1", &text, &len));
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    /* Filters are applied to the rows: MatrixOne v4.2 has no SHOW SUBSCRIPTIONS WHERE (1064). */
    JOURNAL(f->client, "SHOW SUBSCRIPTIONS", "SHOW SUBSCRIPTIONS", "SHOW SUBSCRIPTIONS",
            "ALTER PUBLICATION `p1` ACCOUNT `a1`, `a``2` DATABASE `db` TABLE `t1`, `t2`",
            "SHOW PUBLICATIONS", "ALTER PUBLICATION `p1` ACCOUNT ALL", "SHOW PUBLICATIONS",
            "SHOW CREATE PUBLICATION `p1`");
    error_is(mo_pubsub_alter_publication(NULL, f->ex, "p1", NULL, NULL, NULL), MO_E_INVALID_ARGUMENT,
             "pubsub.alter_publication", NULL);
    error_is(mo_pubsub_create_database_publication(NULL, f->ex, "p", "db", "a,,b"),
             MO_E_INVALID_ARGUMENT, "pubsub.create_database_publication", NULL);
    error_is(mo_pubsub_create_subscription(NULL, f->ex, "s", "", "a"), MO_E_INVALID_ARGUMENT,
             "pubsub.create_subscription", NULL);
    JOURNAL_EMPTY(f->client);
}

/* ------------------------------------------------------------------ account */

static void account_statements(void **state) {
    fixture *f = *state;
    mo_account *a = NULL;
    /* account.create_account#1 (sequence) */
    assert_mo_ok(mo_account_create_account(&a, f->ex, "test_acc", "admin", "pass123", "comment"));
    assert_string_equal(mo_account_name(a), "test_acc");
    mo_account_free(a);
    /* account.drop_account#1, #2, get_account#1, list_accounts#1 */
    assert_mo_ok(mo_account_drop_account(f->ex, "test_acc", 0));
    assert_mo_ok(mo_account_drop_account(f->ex, "test_acc", 1));
    assert_mo_ok(mo_account_get_account(&a, f->ex, "acc1"));
    mo_account_free(a);
    mo_account_list *al = NULL;
    assert_mo_ok(mo_account_list_accounts(&al, f->ex));
    mo_account_list_free(al);
    JOURNAL(f->client,
            "CREATE ACCOUNT `test_acc` ADMIN_NAME 'admin' IDENTIFIED BY 'pass123' COMMENT 'comment'",
            "SHOW ACCOUNTS", "DROP ACCOUNT `test_acc`", "DROP ACCOUNT IF EXISTS `test_acc`",
            "SHOW ACCOUNTS", "SHOW ACCOUNTS");
    /* The SDK pastes passwords and comments between quotes unescaped. */
    assert_mo_ok(mo_account_create_account(NULL, f->ex, "a`c", "ad'min", "p'w\\", "it's"));
    assert_mo_ok(mo_account_alter_account(NULL, f->ex, "acc", "c", 1, "why"));
    assert_mo_ok(mo_account_alter_account(NULL, f->ex, "acc", NULL, 0, NULL));
    JOURNAL(f->client,
            "CREATE ACCOUNT `a``c` ADMIN_NAME 'ad''min' IDENTIFIED BY 'p''w\\\\' COMMENT 'it''s'",
            "SHOW ACCOUNTS", "ALTER ACCOUNT `acc` COMMENT 'c' SUSPEND COMMENT 'why'", "SHOW ACCOUNTS",
            "ALTER ACCOUNT `acc` OPEN", "SHOW ACCOUNTS");
    /* account.create_user#1 (comment ignored), drop_user#1, #2, list_users#1 */
    mo_user *u = NULL;
    assert_mo_ok(mo_account_create_user(&u, f->ex, "test_user", "pass123", "ignored"));
    assert_string_equal(mo_user_name(u), "test_user");
    assert_string_equal(mo_user_host(u), "%");
    assert_string_equal(mo_user_account(u), "sys");
    mo_user_free(u);
    assert_mo_ok(mo_account_drop_user(f->ex, "test_user", 0));
    assert_mo_ok(mo_account_drop_user(f->ex, "test_user", 1));
    mo_user_list *ul = NULL;
    assert_mo_ok(mo_account_list_users(&ul, f->ex));
    assert_int_equal(mo_user_list_count(ul), 1);
    mo_user_list_free(ul);
    JOURNAL(f->client, "CREATE USER `test_user` IDENTIFIED BY 'pass123'", "SHOW ACCOUNTS",
            "DROP USER `test_user`", "DROP USER IF EXISTS `test_user`", "SELECT CURRENT_USER()",
            "SHOW ACCOUNTS");
    /* methods without vectors */
    assert_mo_ok(mo_account_alter_user(&u, f->ex, "u", "n'pw", NULL, 1, "r"));
    assert_string_equal(mo_user_status(u), "LOCKED");
    mo_user_free(u);
    assert_mo_ok(mo_account_alter_user(NULL, f->ex, "u", NULL, NULL, -1, NULL)); /* nothing sent */
    assert_mo_ok(mo_account_get_current_user(&u, f->ex));
    mo_user_free(u);
    mo_role *r = NULL;
    assert_mo_ok(mo_account_create_role(&r, f->ex, "r1", NULL));
    assert_string_equal(mo_role_name(r), "r1");
    mo_role_free(r);
    assert_mo_ok(mo_account_drop_role(f->ex, "r1", 1));
    mo_role_list *rl = NULL;
    assert_mo_ok(mo_account_list_roles(&rl, f->ex));
    mo_role_list_free(rl);
    JOURNAL(f->client, "ALTER USER `u` IDENTIFIED BY 'n''pw' LOCK", "SELECT USER()",
            "CREATE ROLE `r1`", "SHOW ROLES", "DROP ROLE IF EXISTS `r1`", "SHOW ROLES");
    assert_mo_ok(mo_account_grant_privilege(f->ex, "SELECT, INSERT", "table", "db.t", "u", NULL));
    assert_mo_ok(mo_account_grant_privilege(f->ex, "ALL PRIVILEGES", "DATABASE", "db", NULL, "r`1"));
    assert_mo_ok(mo_account_revoke_privilege(f->ex, "SELECT", NULL, "db.*", "u", NULL));
    assert_mo_ok(mo_account_grant_privilege(f->ex, "CREATE DATABASE", "account", "*", NULL, "r"));
    assert_mo_ok(mo_account_grant_role(f->ex, "r1", "u1"));
    assert_mo_ok(mo_account_revoke_role(f->ex, "r1", "u1"));
    mo_grant_list *gl = NULL;
    assert_mo_ok(mo_account_list_grants(&gl, f->ex, NULL));
    mo_grant_list_free(gl);
    assert_mo_ok(mo_account_list_grants(&gl, f->ex, "u'1"));
    mo_grant_list_free(gl);
    JOURNAL(f->client, "GRANT SELECT, INSERT ON TABLE `db`.`t` TO `u`",
            "GRANT ALL PRIVILEGES ON DATABASE `db` TO `r``1`", "REVOKE SELECT ON `db`.* FROM `u`",
            "GRANT CREATE DATABASE ON ACCOUNT * TO `r`", "GRANT `r1` TO `u1`", "REVOKE `r1` FROM `u1`",
            "SHOW GRANTS", "SHOW GRANTS FOR `u'1`");
    error_is(mo_account_grant_privilege(f->ex, "SELECT", "TABLE", "t", NULL, NULL),
             MO_E_INVALID_ARGUMENT, "account.grant_privilege", "Must specify either to_user or to_role");
    error_is(mo_account_grant_privilege(f->ex, "SELECT", "TABLE", "t", "u", "r"),
             MO_E_INVALID_ARGUMENT, "account.grant_privilege", NULL);
    error_is(mo_account_grant_privilege(f->ex, "SELECT; DROP TABLE x", "TABLE", "t", "u", NULL),
             MO_E_INVALID_ARGUMENT, "account.grant_privilege", NULL);
    error_is(mo_account_grant_privilege(f->ex, "SELECT", "TABLE; --", "t", "u", NULL),
             MO_E_INVALID_ARGUMENT, "account.grant_privilege", NULL);
    error_is(mo_account_alter_user(NULL, f->ex, "u", NULL, "hello", -1, NULL), MO_E_UNSUPPORTED,
             "account.alter_user",
             "Failed to alter user 'u': MatrixOne doesn't support COMMENT in ALTER USER. Comment: 'hello'");
    error_is(mo_account_create_user(NULL, f->ex, "", "pw", NULL), MO_E_INVALID_ARGUMENT,
             "account.create_user", NULL);
    JOURNAL_EMPTY(f->client);
}

/* Every name argument of a representative method per manager, fed with hostile text, is
 * either quoted (so the statement means what was asked) or rejected with nothing journaled. */
static void injection_corpus(void **state) {
    fixture *f = *state;
    static const struct { const char *in, *quoted; } names[] = {
        {"a`b", "`a``b`"},
        {"x'; DROP DATABASE d; --", "`x'; DROP DATABASE d; --`"},
        {"back\\slash", "`back\\slash`"},
        {"new\nline", "`new\nline`"},
        {"-- c", "`-- c`"},
        {"/* c */", "`/* c */`"},
        {"数据库", "`数据库`"},
        {"````", "``````````"},
    };
    char want[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        assert_mo_ok(mo_branch_delete_database(f->ex, names[i].in));
        snprintf(want, sizeof want, "data branch delete database %s", names[i].quoted);
        JOURNAL(f->client, want);
        assert_mo_ok(mo_pubsub_drop_publication(f->ex, names[i].in));
        snprintf(want, sizeof want, "DROP PUBLICATION %s", names[i].quoted);
        JOURNAL(f->client, want);
        assert_mo_ok(mo_account_drop_role(f->ex, names[i].in, 0));
        snprintf(want, sizeof want, "DROP ROLE %s", names[i].quoted);
        JOURNAL(f->client, want);
        assert_mo_ok(mo_pitr_delete(f->ex, names[i].in));
        snprintf(want, sizeof want, "DROP PITR %s", names[i].quoted);
        JOURNAL(f->client, want);
    }
    /* rejected: empty, invalid UTF-8, over-long */
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    const char *bad[] = {"", "\xc3\x28", longname};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(mo_restore_cluster(f->ex, bad[i]), MO_E_INVALID_ARGUMENT);
        assert_int_equal(mo_clone_database(f->ex, bad[i], "s", NULL, 0, NULL), MO_E_INVALID_ARGUMENT);
        assert_int_equal(mo_account_drop_user(f->ex, bad[i], 0), MO_E_INVALID_ARGUMENT);
        assert_int_equal(mo_pubsub_drop_publication(f->ex, bad[i]), MO_E_INVALID_ARGUMENT);
    }
    JOURNAL_EMPTY(f->client);
    /* values: every special byte of a literal is escaped (backslash mode, dry-run) */
    mo_pitr_list *pl = NULL;
    assert_mo_ok(mo_pitr_list_pitrs(&pl, f->ex, "a'\\\n\r\x1a\"", NULL, NULL, NULL));
    mo_pitr_list_free(pl);
    JOURNAL(f->client, "SHOW PITR WHERE pitr_level = 'a''\\\\\\n\\r\\Z\"'");
}


/* MatrixOne has no savepoints: SAVEPOINT / RELEASE do nothing there and ROLLBACK TO fails
 * (20101), so a known MatrixOne version refuses all three before sending. */
static void savepoints_are_refused_on_matrixone_before_sending(void **state) {
    (void)state;
    mo_client *c = mo_test_dry_run_client("&server_version=8.0.30-MatrixOne-v4.2.0");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_mo_ok(mo_client_journal_clear(c));
    error_is(mo_session_savepoint(s, "sp1"), MO_E_UNSUPPORTED, "session.savepoint", NULL);
    error_is(mo_session_rollback_to_savepoint(s, "sp1"), MO_E_UNSUPPORTED,
             "session.rollback_to_savepoint", NULL);
    error_is(mo_session_release_savepoint(s, "sp1"), MO_E_UNSUPPORTED,
             "session.release_savepoint", NULL);
    JOURNAL_EMPTY(c);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION); /* still usable */
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    mo_client_close(c);
    /* No version known (dry-run's default): journaled, as the other version gates. */
    c = mo_test_dry_run_client(NULL);
    assert_mo_ok(mo_session_open(&s, c));
    assert_mo_ok(mo_client_journal_clear(c));
    assert_mo_ok(mo_session_savepoint(s, "sp1"));
    assert_mo_ok(mo_session_rollback_to_savepoint(s, "sp1"));
    JOURNAL(c, "SAVEPOINT `sp1`", "ROLLBACK TO SAVEPOINT `sp1`");
    mo_session_close(s);
    mo_client_close(c);
}

/* DATA BRANCH MERGE inside a transaction is a 20101 on MatrixOne: refused on a session. */
static void branch_merge_on_a_session_is_refused_before_sending(void **state) {
    (void)state;
    mo_client *c = mo_test_dry_run_client(NULL);
    mo_session *s = NULL;
    mo_executor *ex = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_mo_ok(mo_session_executor(&ex, s));
    assert_mo_ok(mo_client_journal_clear(c));
    error_is(mo_branch_merge_table(ex, "db.a", "db.b", NULL), MO_E_MISUSE, "branch.merge_table", NULL);
    JOURNAL_EMPTY(c);
    mo_executor_free(ex);
    mo_session_close(s);
    mo_client_close(c);
}


/* A SET inside a transaction commits it on MatrixOne v4.2: refused on a session of a known
 * MatrixOne version before sending (journaled without a version, as the other gates). */
static void a_set_on_a_matrixone_session_is_refused_before_sending(void **state) {
    (void)state;
    mo_client *c = mo_test_dry_run_client("&server_version=8.0.30-MatrixOne-v4.2.0");
    mo_session *s = NULL;
    mo_executor *ex = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    assert_mo_ok(mo_session_executor(&ex, s));
    assert_mo_ok(mo_client_journal_clear(c));
    mo_result *r = NULL;
    error_is(mo_session_execute(&r, s, "SET @x = 1", 10, NULL), MO_E_MISUSE, "session.execute", NULL);
    error_is(mo_session_execute(&r, s, " -- c\n set autocommit = 0", 26, NULL), MO_E_MISUSE,
             "session.execute", NULL);
    error_is(mo_vector_enable_ivf(ex, 3), MO_E_MISUSE, "vector_ops.enable_ivf", NULL);
    JOURNAL_EMPTY(c);
    assert_mo_ok(mo_session_execute(&r, s, "SELECT 1", 8, NULL)); /* others run */
    mo_result_free(r);
    JOURNAL(c, "SELECT 1");
    mo_executor_free(ex);
    mo_session_close(s);
    mo_client_close(c);
    /* On the client (autocommit) a SET is sent. */
    c = mo_test_dry_run_client("&server_version=4.2.0");
    assert_mo_ok(mo_client_execute(&r, c, "SET @x = 1", 10, NULL));
    mo_result_free(r);
    JOURNAL(c, "SET @x = 1");
    mo_client_close(c);
}

/* mo_executor_render_sql gives the very text execute sends (the journal holds what a
 * dry-run client would send) and sends nothing itself; count mismatches fail as execute's. */
static void render_sql_is_the_text_execute_sends(void **state) {
    fixture *f = *state;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 7));
    assert_mo_ok(mo_params_add_text(p, "it's", 4));
    assert_mo_ok(mo_params_add_null(p));
    const char *sql = "SELECT ?, ?, ? FROM t WHERE s = '?'";
    const char *text = NULL;
    size_t len = 0;
    assert_mo_ok(mo_executor_render_sql(f->ex, &text, &len, sql, strlen(sql), p));
    assert_string_equal(text, "SELECT 7, 'it''s', NULL FROM t WHERE s = '?'");
    assert_int_equal(len, strlen(text));
    JOURNAL_EMPTY(f->client);
    char *copy = strdup(text);
    mo_result *r = NULL;
    assert_mo_ok(mo_client_execute(&r, f->client, sql, strlen(sql), p));
    mo_result_free(r);
    JOURNAL(f->client, copy);
    free(copy);
    assert_mo_ok(mo_executor_render_sql(f->ex, &text, &len, "SELECT ?", 8, NULL));
    assert_string_equal(text, "SELECT ?"); /* no parameters: as it is */
    error_is(mo_executor_render_sql(f->ex, &text, &len, "SELECT ?", 8, p),
             MO_E_INVALID_ARGUMENT, "executor.render_sql",
             "statement has 1 ? placeholder but 3 parameters were given");
    assert_null(text);
    error_is(mo_executor_render_sql(f->ex, NULL, &len, "SELECT 1", 8, NULL),
             MO_E_INVALID_ARGUMENT, "executor.render_sql", NULL);
    mo_params_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        mo_test_dry_run_test(snapshots_create_sends_ddl_then_reads_back),
        mo_test_dry_run_test(snapshots_get_list_exists_delete),
        mo_test_dry_run_test(snapshots_validation_sends_nothing),
        mo_test_dry_run_test(hostile_names_are_quoted_and_values_escaped),
        mo_test_dry_run_test(clone_statements),
        mo_test_dry_run_test(branch_statements),
        mo_test_dry_run_test(restore_statements_match_the_sdk_byte_for_byte),
        mo_test_dry_run_test(pitr_statements_match_the_sdk),
        mo_test_dry_run_test(pitr_validation),
        mo_test_dry_run_test(session_executor_runs_inside_the_transaction),
        mo_test_dry_run_test(version_gate_applies_when_the_version_is_known),
        mo_test_dry_run_test(pubsub_statements),
        mo_test_dry_run_test(account_statements),
        mo_test_dry_run_test(injection_corpus),
        mo_test_dry_run_test(render_sql_is_the_text_execute_sends),
        cmocka_unit_test(savepoints_are_refused_on_matrixone_before_sending),
        cmocka_unit_test(branch_merge_on_a_session_is_refused_before_sending),
        cmocka_unit_test(a_set_on_a_matrixone_session_is_refused_before_sending),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
