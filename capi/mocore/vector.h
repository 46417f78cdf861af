/** @file
 * capi/mocore/vector.h — vector indexes and vector search (the SDK's client.vector_ops).
 *
 * Runs on a mo_executor (capi/mocore/managers.h), with the managers' conventions: names are
 * backtick-quoted identifiers, values escaped literals, bad input is MO_E_INVALID_ARGUMENT
 * with nothing sent, MatrixOne-only statements on MySQL/MariaDB are MO_E_UNSUPPORTED with
 * nothing sent, dry-run clients journal every statement. Operation names are
 * "vector_ops.<sdk method>". See docs/managers.md for the SQL and the differences from the SDK.
 *
 * A vector is a pointer to `count` elements of the type `element` says (float or double);
 * it is sent as MatrixOne's vector literal '[x,y,...]' in shortest round-trip form. NaN and
 * infinities are MO_E_INVALID_ARGUMENT.
 *
 * Search filters: `where_sql` is an SQL boolean expression written by the caller (not a
 * value: never paste user input into it) with `?` placeholders bound from `where_params`
 * (may be NULL), rendered exactly as mo_client_execute renders parameters. NULL = no filter.
 * `select_columns` is a comma-separated list of column names ("id, title"), each quoted;
 * NULL or "" = `*`. */
#ifndef MOCORE_VECTOR_H
#define MOCORE_VECTOR_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

/** The element type of a vector argument. */
typedef enum {
    MO_VECTOR_F32 = 0, /* const float *  (vecf32) */
    MO_VECTOR_F64 = 1  /* const double * (vecf64) */
} mo_vector_element;

/** Distance functions / index operator classes. */
typedef enum {
    MO_VECTOR_L2 = 0,            /* l2_distance,     op_type 'vector_l2_ops' (default) */
    MO_VECTOR_COSINE = 1,        /* cosine_distance, op_type 'vector_cosine_ops' */
    MO_VECTOR_INNER_PRODUCT = 2  /* inner_product,   op_type 'vector_ip_ops' */
} mo_vector_distance;

/** IVF rank mode of search_with_rank (BY RANK WITH OPTION 'mode=...'). */
typedef enum {
    MO_IVF_RANK_POST = 0, /* the SDK's default */
    MO_IVF_RANK_PRE = 1,
    MO_IVF_RANK_FORCE = 2
} mo_ivf_rank_mode;

/** SET experimental_ivf_index = 1; SET probe_limit = 1; CREATE INDEX `name` USING ivfflat ON
 *  `table`(`column`) LISTS n op_type '...'. lists <= 0 means 100. table may be "db.table". */
MO_API mo_status mo_vector_create_ivf(mo_executor *ex, const char *table, const char *name,
                                      const char *column, int lists, mo_vector_distance op);
/** SET experimental_hnsw_index = 1; CREATE INDEX `name` USING hnsw ON `table`(`column`) M m
 *  EF_CONSTRUCTION efc EF_SEARCH efs op_type '...'. Values <= 0 mean the SDK's defaults
 *  (16, 200, 50). */
MO_API mo_status mo_vector_create_hnsw(mo_executor *ex, const char *table, const char *name,
                                       const char *column, int m, int ef_construction,
                                       int ef_search, mo_vector_distance op);
/** DROP INDEX `name` ON `table` (plain MySQL: also runs on MySQL/MariaDB). */
MO_API mo_status mo_vector_drop(mo_executor *ex, const char *table, const char *name);
/** SET experimental_ivf_index = 1; SET probe_limit = n (n <= 0 means 1). */
MO_API mo_status mo_vector_enable_ivf(mo_executor *ex, int probe_limit);
/** SET experimental_ivf_index = 0. */
MO_API mo_status mo_vector_disable_ivf(mo_executor *ex);
/** SET experimental_hnsw_index = 1. */
MO_API mo_status mo_vector_enable_hnsw(mo_executor *ex);
/** SET experimental_hnsw_index = 0. */
MO_API mo_status mo_vector_disable_hnsw(mo_executor *ex);

/** INSERT INTO `table` (`c1`, ...) VALUES (...): one row, values[i] for columns[i] (add
 *  vectors with mo_params_add_vector_f32/_f64). The same statement as mo_table_insert;
 *  *affected_rows (may be NULL) gets the server's count (0 in dry-run). */
MO_API mo_status mo_vector_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                                  const char *const *columns, size_t column_count,
                                  const mo_params *values);
/** row_count rows of column_count values each, row after row in `values`; multi-row INSERTs
 *  split under max_allowed_packet, as mo_table_batch_insert. */
MO_API mo_status mo_vector_batch_insert(uint64_t *affected_rows, mo_executor *ex,
                                        const char *table, const char *const *columns,
                                        size_t column_count, const mo_params *values,
                                        size_t row_count);

/** SELECT cols, fn(`col`, '[..]') as distance FROM `table` [WHERE ...] ORDER BY distance
 *  LIMIT n. limit 0 means 10. *out is the result cursor (owned by the caller). */
MO_API mo_status mo_vector_similarity_search(mo_result **out, mo_executor *ex, const char *table,
                                             const char *vector_column, const void *query,
                                             size_t dimension, mo_vector_element element,
                                             uint64_t limit, const char *select_columns,
                                             const char *where_sql, const mo_params *where_params,
                                             mo_vector_distance distance);
/** Rows with l2_distance(`col`, '[..]') <= max_distance, ORDER BY distance (always L2, as
 *  the SDK). max_distance must be finite. */
MO_API mo_status mo_vector_range_search(mo_result **out, mo_executor *ex, const char *table,
                                        const char *vector_column, const void *query,
                                        size_t dimension, mo_vector_element element,
                                        double max_distance, const char *select_columns,
                                        const char *where_sql, const mo_params *where_params);
/** similarity_search + BY RANK WITH OPTION 'mode=pre|post|force'. */
MO_API mo_status mo_vector_search_with_rank(mo_result **out, mo_executor *ex, const char *table,
                                            const char *vector_column, const void *query,
                                            size_t dimension, mo_vector_element element,
                                            uint64_t limit, const char *select_columns,
                                            const char *where_sql,
                                            const mo_params *where_params,
                                            mo_vector_distance distance,
                                            mo_ivf_rank_mode rank_mode);

/* ---------------------------------------------------------------- IVF statistics */

typedef struct mo_ivf_stats mo_ivf_stats;

/** get_ivf_stats: the IVF index tables of `table`.`column` and how many entries each
 *  centroid holds. column NULL: the table's only vector column (information_schema lookup;
 *  MO_E_NOT_FOUND "No vector columns found in table t", MO_E_INVALID_ARGUMENT "Multiple
 *  vector columns found ..."). database NULL: the connection's database. No IVF index:
 *  MO_E_NOT_FOUND "No IVF index found for table t, column c". *out owned by the caller. */
MO_API mo_status mo_vector_get_ivf_stats(mo_ivf_stats **out, mo_executor *ex, const char *table,
                                         const char *column, const char *database);
/** The IVF statistics record's `database` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_ivf_stats_database(const mo_ivf_stats *s);
/** The IVF statistics record's `table_name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_ivf_stats_table_name(const mo_ivf_stats *s);
/** The IVF statistics record's `column_name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_ivf_stats_column_name(const mo_ivf_stats *s);
/** The hidden index tables by algo_table_type ("metadata", "centroids", "entries"); NULL
 *  when absent. */
MO_API const char *mo_ivf_stats_index_table(const mo_ivf_stats *s, const char *algo_table_type);
/** The distribution: one entry per centroid (id, version, number of entries). */
MO_API size_t mo_ivf_stats_centroid_count(const mo_ivf_stats *s);
/** Centroid `index` (0-based, < mo_ivf_stats_centroid_count): its id, version and number of
 *  entries; MO_E_INVALID_ARGUMENT when out of range. */
MO_API mo_status mo_ivf_stats_centroid(const mo_ivf_stats *s, size_t index, int64_t *centroid_id,
                                       int64_t *centroid_version, int64_t *entry_count);
/** Release the IVF statistics. NULL is a no-op. */
MO_API void mo_ivf_stats_free(mo_ivf_stats *s);

MO_END_DECLS
#endif
