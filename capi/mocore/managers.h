/* capi/mocore/managers.h — the MatrixOne managers: snapshots, clone, branch, restore, PITR,
 * publications/subscriptions and accounts (users, roles, grants).
 *
 * Every manager function runs on a mo_executor: an opaque handle obtained from a client
 * (statements run in autocommit) or from a session (statements run inside its transaction,
 * BEGIN first when the session is idle). A manager never knows which one it runs on. The
 * executor keeps its client or session alive; closing that session makes the executor's calls
 * fail with MO_E_MISUSE.
 *
 * Conventions (see docs/managers.md for the SQL of every function and where it differs from
 * the MatrixOne Python SDK):
 *  - Names (databases, tables, snapshots, accounts...) are plain C strings and are always sent
 *    as backtick-quoted identifiers; "db.table" arguments are split at the first '.' and each
 *    part quoted. Values (passwords, comments, paths, filters) go in as escaped string literals.
 *  - Optional arguments are NULL (strings) or documented sentinel values; no structs by value,
 *    no varargs.
 *  - Records (mo_snapshot, mo_pitr, ...) are opaque handles owned by the caller (release with
 *    their _free, which accepts NULL). Text accessors return borrowed strings valid until the
 *    record is freed, or NULL when the field is absent (SQL NULL / the SDK's None) or the handle
 *    is not a live record of that type.
 *  - Lists are handles with _count and _get(i); _get returns a record borrowed from the list
 *    (valid until the list is freed; its _free is a no-op).
 *  - Errors: bad input -> MO_E_INVALID_ARGUMENT (nothing sent); missing object ->
 *    MO_E_NOT_FOUND ("Snapshot 'x' not found"); MatrixOne-only operations on MySQL/MariaDB, or
 *    on a MatrixOne older than the SDK's minimum version -> MO_E_UNSUPPORTED (nothing sent);
 *    server errors keep their category, with the SDK's message prefix ("Failed to create
 *    snapshot: ..."). mo_error_operation() names the function ("snapshots.create").
 *  - Dry-run clients journal every statement, read-backs included; a read-back then yields a
 *    record carrying only the names that were asked for, instead of MO_E_NOT_FOUND.
 *  - Functions whose record out-parameter is documented "may be NULL" still run the read-back
 *    (the SDK's statement sequence) and discard the record. */
#ifndef MOCORE_MANAGERS_H
#define MOCORE_MANAGERS_H
#include "mocore/common.h"
#include "mocore/result.h"

MO_BEGIN_DECLS

/* ============================================================== executor */

typedef struct mo_executor mo_executor;

/** An executor running on `client` in autocommit. *out is owned by the caller
 *  (mo_executor_free); it keeps the client alive. */
MO_API mo_status mo_client_executor(mo_executor **out, mo_client *client);
/** An executor running inside `session`'s transaction. *out keeps the session alive. */
MO_API mo_status mo_session_executor(mo_executor **out, mo_session *session);
/** The client the executor runs on (borrowed; for a session executor, the session's client). */
MO_API mo_client *mo_executor_client(const mo_executor *ex);
/** The session, or NULL for a client executor (borrowed). */
MO_API mo_session *mo_executor_session(const mo_executor *ex);
/** Release. NULL is a no-op. */
MO_API void mo_executor_free(mo_executor *ex);
/** The text mo_client_execute / mo_session_execute would send for `sql` and `params` on
 *  the executor's connection: each `?` replaced by its value rendered as those calls render
 *  it (the connection's character set decides the string introducer); nothing is sent.
 *  params NULL: sql as it is. A placeholder-count mismatch is MO_E_INVALID_ARGUMENT, as
 *  execute reports it. *out (*len bytes, NUL-terminated) is borrowed from the executor until
 *  its next call. */
MO_API mo_status mo_executor_render_sql(mo_executor *ex, const char **out, size_t *len,
                                        const char *sql, size_t sql_len,
                                        const mo_params *params);

/* ============================================================== records */

typedef struct mo_snapshot mo_snapshot;
typedef struct mo_snapshot_list mo_snapshot_list;
typedef struct mo_pitr mo_pitr;
typedef struct mo_pitr_list mo_pitr_list;
typedef struct mo_publication mo_publication;
typedef struct mo_publication_list mo_publication_list;
typedef struct mo_subscription mo_subscription;
typedef struct mo_subscription_list mo_subscription_list;
typedef struct mo_account mo_account;
typedef struct mo_account_list mo_account_list;
typedef struct mo_user mo_user;
typedef struct mo_user_list mo_user_list;
typedef struct mo_role mo_role;
typedef struct mo_role_list mo_role_list;
typedef struct mo_grant mo_grant;
typedef struct mo_grant_list mo_grant_list;

/* Snapshot(name, level, created_at, description, database, table) + account. */
MO_API const char *mo_snapshot_name(const mo_snapshot *s);
/** "cluster", "account", "database", "table" (lower case), or the server's text if unknown. */
MO_API const char *mo_snapshot_level(const mo_snapshot *s);
/** The snapshot timestamp in nanoseconds since the epoch (mo_snapshots.ts); 0 if unknown. */
MO_API int64_t mo_snapshot_ts(const mo_snapshot *s);
/** The timestamp as "YYYY-MM-DD HH:MM:SS.ffffff" in UTC (the SDK uses local time). */
MO_API const char *mo_snapshot_created_at(const mo_snapshot *s);
MO_API const char *mo_snapshot_description(const mo_snapshot *s); /* always NULL, as the SDK */
MO_API const char *mo_snapshot_account(const mo_snapshot *s);
MO_API const char *mo_snapshot_database(const mo_snapshot *s);
MO_API const char *mo_snapshot_table(const mo_snapshot *s);
MO_API void mo_snapshot_free(mo_snapshot *s);
MO_API size_t mo_snapshot_list_count(const mo_snapshot_list *l);
MO_API const mo_snapshot *mo_snapshot_list_get(const mo_snapshot_list *l, size_t index);
MO_API void mo_snapshot_list_free(mo_snapshot_list *l);

/* Pitr(name, created_time, modified_time, level, account_name, database_name, table_name,
 * range_value, range_unit). '*' from the server is reported as NULL, as the sync SDK does. */
MO_API const char *mo_pitr_name(const mo_pitr *p);
MO_API const char *mo_pitr_created_time(const mo_pitr *p);
MO_API const char *mo_pitr_modified_time(const mo_pitr *p);
MO_API const char *mo_pitr_level(const mo_pitr *p);
MO_API const char *mo_pitr_account_name(const mo_pitr *p);
MO_API const char *mo_pitr_database_name(const mo_pitr *p);
MO_API const char *mo_pitr_table_name(const mo_pitr *p);
MO_API int64_t mo_pitr_range_value(const mo_pitr *p);
MO_API const char *mo_pitr_range_unit(const mo_pitr *p);
MO_API void mo_pitr_free(mo_pitr *p);
MO_API size_t mo_pitr_list_count(const mo_pitr_list *l);
MO_API const mo_pitr *mo_pitr_list_get(const mo_pitr_list *l, size_t index);
MO_API void mo_pitr_list_free(mo_pitr_list *l);

/* Publication(name, database, tables, sub_account, subscribed_accounts, created_time,
 * update_time, comments). */
MO_API const char *mo_publication_name(const mo_publication *p);
MO_API const char *mo_publication_database(const mo_publication *p);
MO_API const char *mo_publication_tables(const mo_publication *p);
MO_API const char *mo_publication_sub_account(const mo_publication *p);
MO_API const char *mo_publication_subscribed_accounts(const mo_publication *p);
MO_API const char *mo_publication_created_time(const mo_publication *p);
MO_API const char *mo_publication_update_time(const mo_publication *p);
MO_API const char *mo_publication_comments(const mo_publication *p);
MO_API void mo_publication_free(mo_publication *p);
MO_API size_t mo_publication_list_count(const mo_publication_list *l);
MO_API const mo_publication *mo_publication_list_get(const mo_publication_list *l, size_t index);
MO_API void mo_publication_list_free(mo_publication_list *l);

/* Subscription(pub_name, pub_account, pub_database, pub_tables, sub_name, pub_comment,
 * pub_time, sub_time, status). */
MO_API const char *mo_subscription_pub_name(const mo_subscription *s);
MO_API const char *mo_subscription_pub_account(const mo_subscription *s);
MO_API const char *mo_subscription_pub_database(const mo_subscription *s);
MO_API const char *mo_subscription_pub_tables(const mo_subscription *s);
MO_API const char *mo_subscription_sub_name(const mo_subscription *s);
MO_API const char *mo_subscription_pub_comment(const mo_subscription *s);
MO_API const char *mo_subscription_pub_time(const mo_subscription *s);
MO_API const char *mo_subscription_sub_time(const mo_subscription *s);
MO_API int64_t mo_subscription_status(const mo_subscription *s);
MO_API void mo_subscription_free(mo_subscription *s);
MO_API size_t mo_subscription_list_count(const mo_subscription_list *l);
MO_API const mo_subscription *mo_subscription_list_get(const mo_subscription_list *l,
                                                       size_t index);
MO_API void mo_subscription_list_free(mo_subscription_list *l);

/* Account(name, admin_name, created_time, status, comment, suspended_time, suspended_reason). */
MO_API const char *mo_account_name(const mo_account *a);
MO_API const char *mo_account_admin_name(const mo_account *a);
MO_API const char *mo_account_created_time(const mo_account *a);
MO_API const char *mo_account_status(const mo_account *a);
MO_API const char *mo_account_comment(const mo_account *a);
MO_API const char *mo_account_suspended_time(const mo_account *a);
MO_API const char *mo_account_suspended_reason(const mo_account *a);
MO_API void mo_account_free(mo_account *a);
MO_API size_t mo_account_list_count(const mo_account_list *l);
MO_API const mo_account *mo_account_list_get(const mo_account_list *l, size_t index);
MO_API void mo_account_list_free(mo_account_list *l);

/* User(name, host, account, created_time, status, comment, locked_time, locked_reason). */
MO_API const char *mo_user_name(const mo_user *u);
MO_API const char *mo_user_host(const mo_user *u);
MO_API const char *mo_user_account(const mo_user *u);
MO_API const char *mo_user_created_time(const mo_user *u);
MO_API const char *mo_user_status(const mo_user *u);
MO_API const char *mo_user_comment(const mo_user *u);
MO_API const char *mo_user_locked_time(const mo_user *u);
MO_API const char *mo_user_locked_reason(const mo_user *u);
MO_API void mo_user_free(mo_user *u);
MO_API size_t mo_user_list_count(const mo_user_list *l);
MO_API const mo_user *mo_user_list_get(const mo_user_list *l, size_t index);
MO_API void mo_user_list_free(mo_user_list *l);

/* Role(name, id, created_time, comment). */
MO_API const char *mo_role_name(const mo_role *r);
MO_API int64_t mo_role_id(const mo_role *r);
MO_API const char *mo_role_created_time(const mo_role *r);
MO_API const char *mo_role_comment(const mo_role *r);
MO_API void mo_role_free(mo_role *r);
MO_API size_t mo_role_list_count(const mo_role_list *l);
MO_API const mo_role *mo_role_list_get(const mo_role_list *l, size_t index);
MO_API void mo_role_list_free(mo_role_list *l);

/* Grant(grant_statement, privilege, object_type, object_name, user). */
MO_API const char *mo_grant_statement(const mo_grant *g);
MO_API const char *mo_grant_privilege(const mo_grant *g);
MO_API const char *mo_grant_object_type(const mo_grant *g);
MO_API const char *mo_grant_object_name(const mo_grant *g);
MO_API const char *mo_grant_user(const mo_grant *g);
MO_API void mo_grant_free(mo_grant *g);
MO_API size_t mo_grant_list_count(const mo_grant_list *l);
MO_API const mo_grant *mo_grant_list_get(const mo_grant_list *l, size_t index);
MO_API void mo_grant_list_free(mo_grant_list *l);

/* ============================================================== snapshots (MatrixOne) */

/** CREATE SNAPSHOT, then read it back. level: "cluster", "account", "database" or "table"
 *  (case-insensitive); database is required for database and table level, table for table
 *  level (otherwise ignored, may be NULL). description is ignored (as the SDK). *out may be
 *  NULL. */
MO_API mo_status mo_snapshots_create(mo_snapshot **out, mo_executor *ex, const char *name,
                                     const char *level, const char *database, const char *table,
                                     const char *description);
/** MO_E_NOT_FOUND "Snapshot '<name>' not found" when there is none. */
MO_API mo_status mo_snapshots_get(mo_snapshot **out, mo_executor *ex, const char *name);
MO_API mo_status mo_snapshots_list(mo_snapshot_list **out, mo_executor *ex);
MO_API mo_status mo_snapshots_delete(mo_executor *ex, const char *name);
/** *exists is 1 when the snapshot exists, else 0 (an error other than not-found is returned). */
MO_API mo_status mo_snapshots_exists(mo_executor *ex, const char *name, int *exists);

/* ============================================================== clone (MatrixOne) */

/** CREATE DATABASE [IF NOT EXISTS] target CLONE source [{snapshot = 's'}] [TO ACCOUNT a].
 *  snapshot and to_account may be NULL. */
MO_API mo_status mo_clone_database(mo_executor *ex, const char *target_database,
                                   const char *source_database, const char *snapshot,
                                   int if_not_exists, const char *to_account);
/** CREATE TABLE ... CLONE ...; tables may be "db.table". */
MO_API mo_status mo_clone_table(mo_executor *ex, const char *target_table,
                                const char *source_table, const char *snapshot,
                                int if_not_exists, const char *to_account);
/** As above, but first check that the snapshot exists (MO_E_NOT_FOUND
 *  "Snapshot '<s>' does not exist" otherwise), as the SDK's *_with_snapshot methods. */
MO_API mo_status mo_clone_database_with_snapshot(mo_executor *ex, const char *target_database,
                                                 const char *source_database,
                                                 const char *snapshot, int if_not_exists);
MO_API mo_status mo_clone_table_with_snapshot(mo_executor *ex, const char *target_table,
                                              const char *source_table, const char *snapshot,
                                              int if_not_exists);

/* ============================================================== branch (MatrixOne >= 3.0.5) */

typedef enum {
    MO_BRANCH_DIFF_ROWS = 0,     /* the differing rows (default) */
    MO_BRANCH_DIFF_COUNT = 1,    /* output count */
    MO_BRANCH_DIFF_LIMIT = 2,    /* output limit N */
    MO_BRANCH_DIFF_FILE = 3,     /* output file '<path>' */
    MO_BRANCH_DIFF_AS_TABLE = 4  /* output as <table> */
} mo_branch_diff_output;

/** data branch create table target from source[{snapshot='s'}][ to account a]. */
MO_API mo_status mo_branch_create_table(mo_executor *ex, const char *target_table,
                                        const char *source_table, const char *snapshot,
                                        const char *to_account);
MO_API mo_status mo_branch_delete_table(mo_executor *ex, const char *table);
MO_API mo_status mo_branch_create_database(mo_executor *ex, const char *target_database,
                                           const char *source_database);
MO_API mo_status mo_branch_delete_database(mo_executor *ex, const char *database);
/** data branch diff table[{snapshot='s1'}] against other[{snapshot='s2'}][ output ...].
 *  `limit` is used by MO_BRANCH_DIFF_LIMIT; `output_target` is the file path
 *  (MO_BRANCH_DIFF_FILE) or the table name (MO_BRANCH_DIFF_AS_TABLE). *out is the result
 *  cursor (owned by the caller; in dry-run an empty result). */
MO_API mo_status mo_branch_diff_table(mo_result **out, mo_executor *ex, const char *table,
                                      const char *table_snapshot, const char *against_table,
                                      const char *against_snapshot,
                                      mo_branch_diff_output output, uint64_t limit,
                                      const char *output_target);
/** data branch merge source into target when conflict skip|accept. on_conflict NULL = "skip". */
MO_API mo_status mo_branch_merge_table(mo_executor *ex, const char *source_table,
                                       const char *target_table, const char *on_conflict);

/* ============================================================== restore (MatrixOne) */

MO_API mo_status mo_restore_cluster(mo_executor *ex, const char *snapshot);
/** to_account may be NULL. */
MO_API mo_status mo_restore_tenant(mo_executor *ex, const char *snapshot, const char *account,
                                   const char *to_account);
MO_API mo_status mo_restore_database(mo_executor *ex, const char *snapshot, const char *account,
                                     const char *database, const char *to_account);
MO_API mo_status mo_restore_table(mo_executor *ex, const char *snapshot, const char *account,
                                  const char *database, const char *table,
                                  const char *to_account);

/* ============================================================== PITR (MatrixOne) */

/** range_value 1..100; range_unit "h", "d", "mo" or "y" (NULL = "d"). Each create reads the
 *  PITR back; *out may be NULL. */
MO_API mo_status mo_pitr_create_cluster(mo_pitr **out, mo_executor *ex, const char *name,
                                        int range_value, const char *range_unit);
/** account NULL: the current account. */
MO_API mo_status mo_pitr_create_account(mo_pitr **out, mo_executor *ex, const char *name,
                                        const char *account, int range_value,
                                        const char *range_unit);
MO_API mo_status mo_pitr_create_database(mo_pitr **out, mo_executor *ex, const char *name,
                                         const char *database, int range_value,
                                         const char *range_unit);
MO_API mo_status mo_pitr_create_table(mo_pitr **out, mo_executor *ex, const char *name,
                                      const char *database, const char *table, int range_value,
                                      const char *range_unit);
/** MO_E_NOT_FOUND "PITR '<name>' not found". */
MO_API mo_status mo_pitr_get(mo_pitr **out, mo_executor *ex, const char *name);
/** The SDK's pitr.list() (renamed: mo_pitr_list is the list type). Filters may be NULL. */
MO_API mo_status mo_pitr_list_pitrs(mo_pitr_list **out, mo_executor *ex, const char *level,
                              const char *account, const char *database, const char *table);
MO_API mo_status mo_pitr_alter(mo_pitr **out, mo_executor *ex, const char *name, int range_value,
                               const char *range_unit);
MO_API mo_status mo_pitr_delete(mo_executor *ex, const char *name);

/* ============================================================== publications (MatrixOne) */

/** account: one account, a comma-separated list, or "all". Reads the publication back. */
MO_API mo_status mo_pubsub_create_database_publication(mo_publication **out, mo_executor *ex,
                                                       const char *name, const char *database,
                                                       const char *account);
/** table: one table or a comma-separated list. */
MO_API mo_status mo_pubsub_create_table_publication(mo_publication **out, mo_executor *ex,
                                                    const char *name, const char *database,
                                                    const char *table, const char *account);
/** MO_E_NOT_FOUND "Publication '<name>' not found". */
MO_API mo_status mo_pubsub_get_publication(mo_publication **out, mo_executor *ex,
                                           const char *name);
/** Client-side filters (NULL = any): account is a substring of sub_account, database equal. */
MO_API mo_status mo_pubsub_list_publications(mo_publication_list **out, mo_executor *ex,
                                             const char *account, const char *database);
/** At least one of account, database, table. */
MO_API mo_status mo_pubsub_alter_publication(mo_publication **out, mo_executor *ex,
                                             const char *name, const char *account,
                                             const char *database, const char *table);
MO_API mo_status mo_pubsub_drop_publication(mo_executor *ex, const char *name);
/** The CREATE PUBLICATION statement; *sql is borrowed from the executor until its next call
 *  ("" in dry-run). */
MO_API mo_status mo_pubsub_show_create_publication(mo_executor *ex, const char *name,
                                                   const char **sql, size_t *sql_len);
MO_API mo_status mo_pubsub_create_subscription(mo_subscription **out, mo_executor *ex,
                                               const char *subscription_name,
                                               const char *publication_name,
                                               const char *publisher_account);
/** MO_E_NOT_FOUND "Subscription '<name>' not found". */
MO_API mo_status mo_pubsub_get_subscription(mo_subscription **out, mo_executor *ex,
                                            const char *name);
MO_API mo_status mo_pubsub_list_subscriptions(mo_subscription_list **out, mo_executor *ex,
                                              const char *pub_account, const char *pub_database);

/* ============================================================== accounts, users, roles, grants
 * Account DDL is MatrixOne-only; users, roles and grants also work on MySQL/MariaDB (see
 * docs/managers.md for the per-server statements). */

MO_API mo_status mo_account_create_account(mo_account **out, mo_executor *ex,
                                           const char *account_name, const char *admin_name,
                                           const char *password, const char *comment);
MO_API mo_status mo_account_drop_account(mo_executor *ex, const char *account_name,
                                         int if_exists);
/** suspend: -1 leave, 0 OPEN, 1 SUSPEND (with suspend_reason as its COMMENT, may be NULL). */
MO_API mo_status mo_account_alter_account(mo_account **out, mo_executor *ex,
                                          const char *account_name, const char *comment,
                                          int suspend, const char *suspend_reason);
/** MO_E_NOT_FOUND "Account '<name>' not found". */
MO_API mo_status mo_account_get_account(mo_account **out, mo_executor *ex,
                                        const char *account_name);
MO_API mo_status mo_account_list_accounts(mo_account_list **out, mo_executor *ex);

/** CREATE USER `u` IDENTIFIED BY 'pw'. comment is ignored (as the SDK). *out (may be NULL) is
 *  a synthetic record (host '%', status ACTIVE). */
MO_API mo_status mo_account_create_user(mo_user **out, mo_executor *ex, const char *user_name,
                                        const char *password, const char *comment);
MO_API mo_status mo_account_drop_user(mo_executor *ex, const char *user_name, int if_exists);
/** password may be NULL; lock: -1 leave, 0 unlock, 1 lock. A comment is MO_E_UNSUPPORTED.
 *  Nothing is sent when there is nothing to change. */
MO_API mo_status mo_account_alter_user(mo_user **out, mo_executor *ex, const char *user_name,
                                       const char *password, const char *comment, int lock,
                                       const char *lock_reason);
/** SELECT USER(), split at '@' into name and host. */
MO_API mo_status mo_account_get_current_user(mo_user **out, mo_executor *ex);
/** SELECT CURRENT_USER() (then SHOW ACCOUNTS on MatrixOne): one record, the current user. */
MO_API mo_status mo_account_list_users(mo_user_list **out, mo_executor *ex);

MO_API mo_status mo_account_create_role(mo_role **out, mo_executor *ex, const char *role_name,
                                        const char *comment);
MO_API mo_status mo_account_drop_role(mo_executor *ex, const char *role_name, int if_exists);
/** MO_E_NOT_FOUND "Role '<name>' not found". */
MO_API mo_status mo_account_get_role(mo_role **out, mo_executor *ex, const char *role_name);
MO_API mo_status mo_account_list_roles(mo_role_list **out, mo_executor *ex);

/** GRANT privilege ON object_type object TO user|role. privilege: keywords such as "SELECT",
 *  "SELECT, INSERT", "ALL PRIVILEGES"; object_type: "TABLE", "DATABASE", "ACCOUNT",
 *  "FUNCTION", "PROCEDURE" or "" / NULL; object_name: "name", "db.table", "db.*" or "*".
 *  Exactly one of to_user and to_role. */
MO_API mo_status mo_account_grant_privilege(mo_executor *ex, const char *privilege,
                                            const char *object_type, const char *object_name,
                                            const char *to_user, const char *to_role);
MO_API mo_status mo_account_revoke_privilege(mo_executor *ex, const char *privilege,
                                             const char *object_type, const char *object_name,
                                             const char *from_user, const char *from_role);
MO_API mo_status mo_account_grant_role(mo_executor *ex, const char *role_name,
                                       const char *to_user);
MO_API mo_status mo_account_revoke_role(mo_executor *ex, const char *role_name,
                                        const char *from_user);
/** SHOW GRANTS [FOR `user`], one record per line. */
MO_API mo_status mo_account_list_grants(mo_grant_list **out, mo_executor *ex, const char *user);

MO_END_DECLS
#endif
