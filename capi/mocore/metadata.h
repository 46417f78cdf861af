/** @file
 * capi/mocore/metadata.h — MatrixOne's metadata_scan table function and table statistics
 * (the SDK's client.metadata). Managers' conventions (capi/mocore/managers.h); operation names
 * "metadata.<method>". MatrixOne-only.
 *
 * The scanned object is "db.table", "db.table.#" (tombstone), "db.table.?index" or
 * "db.table.?index.#", sent inside a string literal; names containing '.' cannot be expressed
 * there and are MO_E_INVALID_ARGUMENT. */
#ifndef MOCORE_METADATA_H
#define MOCORE_METADATA_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

/** SELECT * FROM metadata_scan('<ref>', '*') g, or SELECT DISTINCT(object_name) as
 *  object_name, * ... with distinct_object_name. index_name may be NULL. columns: NULL/""/"*"
 *  = every column; otherwise a comma-separated subset of col_name, object_name, is_hidden,
 *  obj_loc, create_ts, delete_ts, rows_cnt, null_cnt, compress_size, origin_size, min, max,
 *  sum, selected in SQL (unknown names: MO_E_INVALID_ARGUMENT). *out is the cursor. */
MO_API mo_status mo_metadata_scan(mo_result **out, mo_executor *ex, const char *database,
                                  const char *table, int is_tombstone, const char *index_name,
                                  int distinct_object_name, const char *columns);

/* MetadataRow(col_name, object_name, is_hidden, obj_loc, create_ts, delete_ts, rows_cnt,
 * null_cnt, compress_size, origin_size, min, max, sum). */
typedef struct mo_metadata_row mo_metadata_row;
typedef struct mo_metadata_row_list mo_metadata_row_list;

/** The scan as typed rows (the SDK's columns='*'). */
MO_API mo_status mo_metadata_scan_rows(mo_metadata_row_list **out, mo_executor *ex,
                                       const char *database, const char *table,
                                       int is_tombstone, const char *index_name,
                                       int distinct_object_name);
/** The metadata row's `col_name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_col_name(const mo_metadata_row *r);
/** The metadata row's `object_name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_object_name(const mo_metadata_row *r);
/** 1 when the server said 'true'. */
MO_API int mo_metadata_row_is_hidden(const mo_metadata_row *r);
/** The metadata row's `obj_loc` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_obj_loc(const mo_metadata_row *r);
/** The metadata row's `create_ts` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_create_ts(const mo_metadata_row *r);
/** The metadata row's `delete_ts` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_delete_ts(const mo_metadata_row *r);
/** The metadata row's `rows_cnt` as a number; 0 when absent. */
MO_API int64_t mo_metadata_row_rows_cnt(const mo_metadata_row *r);
/** The metadata row's `null_cnt` as a number; 0 when absent. */
MO_API int64_t mo_metadata_row_null_cnt(const mo_metadata_row *r);
/** The metadata row's `compress_size` as a number; 0 when absent. */
MO_API int64_t mo_metadata_row_compress_size(const mo_metadata_row *r);
/** The metadata row's `origin_size` as a number; 0 when absent. */
MO_API int64_t mo_metadata_row_origin_size(const mo_metadata_row *r);
/** min/max/sum as the server's text (binary encodings included), NULL when absent. */
MO_API const char *mo_metadata_row_min(const mo_metadata_row *r);
/** The metadata row's `max` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_max(const mo_metadata_row *r);
/** The metadata row's `sum` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_metadata_row_sum(const mo_metadata_row *r);
/** Release a metadata row record. NULL, or a record borrowed from a list, is a no-op. */
MO_API void mo_metadata_row_free(mo_metadata_row *r);
/** The number of metadata row records in the list (0 for NULL). */
MO_API size_t mo_metadata_row_list_count(const mo_metadata_row_list *l);
/** Record `index` of the list, borrowed (valid until the list is freed); NULL when index >= the count. */
MO_API const mo_metadata_row *mo_metadata_row_list_get(const mo_metadata_row_list *l,
                                                       size_t index);
/** Release the list and its records. NULL is a no-op. */
MO_API void mo_metadata_row_list_free(mo_metadata_row_list *l);

/* ---------------------------------------------------------------- statistics
 * One record per scanned key: the table name (scan with is_tombstone/index_name), then
 * "tombstone" when include_tombstone, then each index of include_indexes (comma-separated
 * names, may be NULL). Keys whose scan has no rows are left out, as the SDK does. */
typedef struct mo_table_stats mo_table_stats;
typedef struct mo_table_stats_list mo_table_stats_list;

/** get_table_brief_stats: per key, distinct objects and summed sizes/counts. */
MO_API mo_status mo_metadata_brief_stats(mo_table_stats_list **out, mo_executor *ex,
                                         const char *database, const char *table,
                                         int is_tombstone, const char *index_name,
                                         int include_tombstone, const char *include_indexes);
/** get_table_detail_stats: per key, one record per scanned row (object_name, create_ts,
 *  delete_ts, counts and sizes of that row; total_objects is 1). */
MO_API mo_status mo_metadata_detail_stats(mo_table_stats_list **out, mo_executor *ex,
                                          const char *database, const char *table,
                                          int is_tombstone, const char *index_name,
                                          int include_tombstone, const char *include_indexes);
/** The table statistics record's `key` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_table_stats_key(const mo_table_stats *s);
/** The table statistics record's `object_name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_table_stats_object_name(const mo_table_stats *s); /* detail only */
/** The table statistics record's `create_ts` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_table_stats_create_ts(const mo_table_stats *s);   /* detail only */
/** The table statistics record's `delete_ts` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_table_stats_delete_ts(const mo_table_stats *s);   /* detail only */
/** The table statistics record's `total_objects` as a number; 0 when absent. */
MO_API int64_t mo_table_stats_total_objects(const mo_table_stats *s);
/** The table statistics record's `row_cnt` as a number; 0 when absent. */
MO_API int64_t mo_table_stats_row_cnt(const mo_table_stats *s);
/** The table statistics record's `null_cnt` as a number; 0 when absent. */
MO_API int64_t mo_table_stats_null_cnt(const mo_table_stats *s);
/** The table statistics record's `original_size` as a number; 0 when absent. */
MO_API int64_t mo_table_stats_original_size(const mo_table_stats *s);
/** The table statistics record's `compress_size` as a number; 0 when absent. */
MO_API int64_t mo_table_stats_compress_size(const mo_table_stats *s);
/** The sizes as the SDK formats them: "0 B", "1.5 KB", "12 MB" (1024 base, 2 decimals at
 *  most, trailing zeros dropped). */
MO_API const char *mo_table_stats_original_size_text(const mo_table_stats *s);
/** The table statistics record's `compress_size_text` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_table_stats_compress_size_text(const mo_table_stats *s);
/** Release a table statistics record record. NULL, or a record borrowed from a list, is a no-op. */
MO_API void mo_table_stats_free(mo_table_stats *s);
/** The number of table statistics record records in the list (0 for NULL). */
MO_API size_t mo_table_stats_list_count(const mo_table_stats_list *l);
/** Record `index` of the list, borrowed (valid until the list is freed); NULL when index >= the count. */
MO_API const mo_table_stats *mo_table_stats_list_get(const mo_table_stats_list *l, size_t index);
/** Release the list and its records. NULL is a no-op. */
MO_API void mo_table_stats_list_free(mo_table_stats_list *l);

MO_END_DECLS
#endif
