/** @file
 * capi/mocore/cdc.h — MatrixOne change data capture tasks (the SDK's client.cdc).
 *
 * MatrixOne only: on MySQL/MariaDB every function but mo_cdc_build_mysql_uri is
 * MO_E_UNSUPPORTED with nothing sent. Conventions of mocore/managers.h: task names are
 * backtick-quoted identifiers; URIs, sink type, table mapping and options are escaped
 * literals. Passwords inside URIs are redacted ('***') in log lines and error messages. */
#ifndef MOCORE_CDC_H
#define MOCORE_CDC_H
#include "mocore/common.h"
#include "mocore/managers.h"
#include "mocore/strmap.h"

MO_BEGIN_DECLS

typedef struct mo_cdc_task mo_cdc_task;
typedef struct mo_cdc_task_list mo_cdc_task_list;
typedef struct mo_cdc_watermark mo_cdc_watermark;
typedef struct mo_cdc_watermark_list mo_cdc_watermark_list;

/* CDCTaskInfo: the columns of mo_catalog.mo_cdc_task, as text. */
/** The CDC task's `id` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_id(const mo_cdc_task *t);
/** The CDC task's `name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_name(const mo_cdc_task *t);
/** The CDC task's `source_uri` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_source_uri(const mo_cdc_task *t);
/** The CDC task's `sink_uri` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_sink_uri(const mo_cdc_task *t);
/** The CDC task's `sink_type` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_sink_type(const mo_cdc_task *t);
/** The mapping: the "table" member of the tables JSON when there is one, else the raw text. */
MO_API const char *mo_cdc_task_table_mapping(const mo_cdc_task *t);
/** The raw `tables` column. */
MO_API const char *mo_cdc_task_tables(const mo_cdc_task *t);
/** The CDC task's `filters` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_filters(const mo_cdc_task *t);
/** The CDC task's `start_ts` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_start_ts(const mo_cdc_task *t);
/** The CDC task's `end_ts` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_end_ts(const mo_cdc_task *t);
/** The CDC task's `state` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_state(const mo_cdc_task *t);
/** The CDC task's `checkpoint` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_checkpoint(const mo_cdc_task *t);
/** The CDC task's `no_full` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_no_full(const mo_cdc_task *t);
/** The CDC task's `err_msg` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_err_msg(const mo_cdc_task *t);
/** The CDC task's `created_time` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_task_created_time(const mo_cdc_task *t);
/** The options as a JSON object text (additional_config; for a created task, the options
 *  sent). */
MO_API const char *mo_cdc_task_additional_config(const mo_cdc_task *t);
/** Release a CDC task record. NULL, or a record borrowed from a list, is a no-op. */
MO_API void mo_cdc_task_free(mo_cdc_task *t);
/** The number of CDC task records in the list (0 for NULL). */
MO_API size_t mo_cdc_task_list_count(const mo_cdc_task_list *l);
/** Record `index` of the list, borrowed (valid until the list is freed); NULL when index >= the count. */
MO_API const mo_cdc_task *mo_cdc_task_list_get(const mo_cdc_task_list *l, size_t index);
/** Release the list and its records. NULL is a no-op. */
MO_API void mo_cdc_task_list_free(mo_cdc_task_list *l);

/* CDCWatermarkInfo. */
/** The CDC watermark's `task_id` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_watermark_task_id(const mo_cdc_watermark *w);
/** The CDC watermark's `task_name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_watermark_task_name(const mo_cdc_watermark *w);
/** The CDC watermark's `database` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_watermark_database(const mo_cdc_watermark *w);
/** The CDC watermark's `table` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_watermark_table(const mo_cdc_watermark *w);
/** The CDC watermark's `watermark` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_watermark_watermark(const mo_cdc_watermark *w);
/** The CDC watermark's `err_msg` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_cdc_watermark_err_msg(const mo_cdc_watermark *w);
/** In mo_cdc_list_late_table_watermarks: how far the watermark lags, in milliseconds
 *  (0 elsewhere). */
MO_API int64_t mo_cdc_watermark_lag_ms(const mo_cdc_watermark *w);
/** Release a CDC watermark record. NULL, or a record borrowed from a list, is a no-op. */
MO_API void mo_cdc_watermark_free(mo_cdc_watermark *w);
/** The number of CDC watermark records in the list (0 for NULL). */
MO_API size_t mo_cdc_watermark_list_count(const mo_cdc_watermark_list *l);
/** Record `index` of the list, borrowed (valid until the list is freed); NULL when index >= the count. */
MO_API const mo_cdc_watermark *mo_cdc_watermark_list_get(const mo_cdc_watermark_list *l,
                                                         size_t index);
/** Release the list and its records. NULL is a no-op. */
MO_API void mo_cdc_watermark_list_free(mo_cdc_watermark_list *l);

/** mysql://[account#]user:password@host:port with account, user and password
 *  percent-encoded (RFC 3986 userinfo; the SDK pastes them raw, so '@', ':' or '/' in a
 *  password breaks its URI). An IPv6 host is bracketed. port 1..65535; password and account
 *  may be NULL. Pure: nothing is sent, any server. *uri is borrowed from the executor until
 *  its next call. */
MO_API mo_status mo_cdc_build_mysql_uri(mo_executor *ex, const char **uri, const char *host,
                                        unsigned port, const char *user, const char *password,
                                        const char *account);

/** CREATE CDC `task` 'source_uri' 'sink_type' 'sink_uri' 'table_mapping' [{'k'='v', ...}].
 *  sink_type "mysql" or "matrixone" (case-insensitive). options may be NULL; its values are
 *  sent as text (use "true"/"false" for the SDK's booleans). *out (may be NULL) is built
 *  locally, as the SDK does. */
MO_API mo_status mo_cdc_create(mo_cdc_task **out, mo_executor *ex, const char *task_name,
                               const char *source_uri, const char *sink_type,
                               const char *sink_uri, const char *table_mapping,
                               const mo_strmap *options);
/** A database task: mapping "source_db:sink_db" (sink_database NULL = the source), option
 *  Level = 'database' appended unless present (a present Level must say database, any case:
 *  "Level option mismatch: expected 'database', got '<x>'"). */
MO_API mo_status mo_cdc_create_database_task(mo_cdc_task **out, mo_executor *ex,
                                             const char *task_name, const char *source_uri,
                                             const char *sink_type, const char *sink_uri,
                                             const char *source_database,
                                             const char *sink_database,
                                             const mo_strmap *options);
/** A table task, Level = 'table'. Each entry of table_mappings (in order) is one mapping:
 *    key "db.t",  value NULL      -> db.t:db.t        (the SDK's (db, t))
 *    key "db.t",  value "st"      -> db.t:db.st       (the SDK's (db, t, st))
 *    key "db.t",  value "sdb.st"  -> db.t:sdb.st      (the SDK's (db, t, sdb, st), dict)
 *    key "a:b",   value NULL      -> a:b as given     (the SDK's string items)
 *  joined with ','. */
MO_API mo_status mo_cdc_create_table_task(mo_cdc_task **out, mo_executor *ex,
                                          const char *task_name, const char *source_uri,
                                          const char *sink_type, const char *sink_uri,
                                          const mo_strmap *table_mappings,
                                          const mo_strmap *options);
/** DROP CDC TASK <name>. */
MO_API mo_status mo_cdc_drop(mo_executor *ex, const char *task_name);
/** DROP CDC ALL. */
MO_API mo_status mo_cdc_drop_all(mo_executor *ex);
/** PAUSE CDC TASK <name>. */
MO_API mo_status mo_cdc_pause(mo_executor *ex, const char *task_name);
/** PAUSE CDC ALL. */
MO_API mo_status mo_cdc_pause_all(mo_executor *ex);
/** RESUME CDC TASK <name>. */
MO_API mo_status mo_cdc_resume(mo_executor *ex, const char *task_name);
/** RESUME CDC TASK `task` 'restart'. */
MO_API mo_status mo_cdc_restart(mo_executor *ex, const char *task_name);
/** SHOW CDC ALL; *out is the raw result (owned by the caller). */
MO_API mo_status mo_cdc_show_all(mo_result **out, mo_executor *ex);
/** SHOW CDC TASK <name>; *out is the raw result (owned by the caller). */
MO_API mo_status mo_cdc_show_task(mo_result **out, mo_executor *ex, const char *task_name);
/** The SDK's cdc.list(task_name=None) (renamed: mo_cdc_task_list is the list type). */
MO_API mo_status mo_cdc_list_tasks(mo_cdc_task_list **out, mo_executor *ex,
                                   const char *task_name);
/** MO_E_NOT_FOUND "CDC task '<name>' not found". */
MO_API mo_status mo_cdc_get(mo_cdc_task **out, mo_executor *ex, const char *task_name);
/** *exists = 1 when a task of that name exists (mo_cdc_get without MO_E_NOT_FOUND), else 0. */
MO_API mo_status mo_cdc_exists(mo_executor *ex, const char *task_name, int *exists);
/** task_name NULL: every task of the account. */
MO_API mo_status mo_cdc_list_watermarks(mo_cdc_watermark_list **out, mo_executor *ex,
                                        const char *task_name);
/** Tasks whose err_msg is set. */
MO_API mo_status mo_cdc_list_failing_tasks(mo_cdc_task_list **out, mo_executor *ex);
/** Running tasks (or tasks without a state) with a watermark that reports an error; one
 *  watermark query per such task, as the SDK. */
MO_API mo_status mo_cdc_list_stuck_tasks(mo_cdc_task_list **out, mo_executor *ex);
/** Watermarks older than their threshold: thresholds["<task>.<table>"], else
 *  thresholds["<table>"] (values "<n>ms|s|m|h" or seconds), else the task's Frequency option
 *  + 10 minutes, else default_threshold_ms (< 0: 10 minutes). Watermarks are read as a
 *  nanosecond timestamp prefix ("1700000000000000000-1") or an ISO date-time (naive = UTC);
 *  unreadable ones are skipped. now_ms: milliseconds since the epoch (0 = now). */
MO_API mo_status mo_cdc_list_late_table_watermarks(mo_cdc_watermark_list **out,
                                                   mo_executor *ex, const char *task_name,
                                                   int64_t default_threshold_ms,
                                                   const mo_strmap *thresholds, int64_t now_ms);

MO_END_DECLS
#endif
