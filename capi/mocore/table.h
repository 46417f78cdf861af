/** @file
 * capi/mocore/table.h — insert / batch_insert of typed rows and create_table / drop_table
 * (the SDK's Client.insert, batch_insert, create_table, drop_table). Managers' conventions
 * (capi/mocore/managers.h); operation names "table.<method>". Plain MySQL: runs on every
 * server (vector column types need MatrixOne).
 *
 * A row is `column_count` column names plus a mo_params holding one typed value per column,
 * in the same order: every value is rendered by the parameter code (strings escaped for the
 * connection's mode, blobs as hex, NULL, dates, vectors...), never pasted. */
#ifndef MOCORE_TABLE_H
#define MOCORE_TABLE_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

/** INSERT INTO `table` (`c1`, `c2`) VALUES (v1, v2). values must hold exactly column_count
 *  values. table may be "db.table". *affected_rows (may be NULL) is the server's count. */
MO_API mo_status mo_table_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                                 const char *const *columns, size_t column_count,
                                 const mo_params *values);
/** row_count rows, row after row in `values` (row_count * column_count values). Sent as
 *  multi-row INSERTs, each kept under the server's max_allowed_packet (read once per
 *  connection with SELECT @@max_allowed_packet; 16 MiB in dry-run). A single row that does not
 *  fit is MO_E_RESOURCE with nothing of it sent. row_count 0 sends nothing. On a client
 *  executor each statement commits on its own: after a failure, the rows of the statements
 *  before it are in the table and *affected_rows says how many; use a session executor for
 *  all-or-nothing. */
MO_API mo_status mo_table_batch_insert(uint64_t *affected_rows, mo_executor *ex,
                                       const char *table, const char *const *columns,
                                       size_t column_count, const mo_params *values,
                                       size_t row_count);
/** CREATE TABLE `table` (`c1` TYPE, ...[, PRIMARY KEY (`k1`, ...)]). Types are the SDK's
 *  strings (case-insensitive): int, integer, bigint, bigint unsigned, smallint, tinyint,
 *  float, float(p), double, decimal(p,s), varchar(n), char(n), text, tinytext, mediumtext,
 *  longtext, date, datetime, timestamp, time, boolean, bool, json, jsonb, blob, tinyblob,
 *  mediumblob, longblob, binary(n), varbinary(n), vecf32(n), vecf64(n); anything else is
 *  MO_E_INVALID_ARGUMENT "Unsupported column type '<t>' for column '<c>'. Supported types:
 *  ...". primary_key: comma-separated column names or NULL. */
MO_API mo_status mo_table_create(mo_executor *ex, const char *table,
                                 const char *const *column_names,
                                 const char *const *column_types, size_t column_count,
                                 const char *primary_key);
/** DROP TABLE IF EXISTS `table`. */
MO_API mo_status mo_table_drop(mo_executor *ex, const char *table);

MO_END_DECLS
#endif
