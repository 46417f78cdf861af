/** @file
 * capi/mocore/fulltext.h — fulltext indexes and MATCH ... AGAINST search (the SDK's
 * client.fulltext_index). Managers' conventions (capi/mocore/managers.h); operation names
 * "fulltext_index.<method>". CREATE/DROP and MATCH are plain MySQL and run on MySQL/MariaDB
 * too; the experimental switch and the json parser are MatrixOne-only. */
#ifndef MOCORE_FULLTEXT_H
#define MOCORE_FULLTEXT_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

typedef enum {
    MO_FULLTEXT_NATURAL = 0,        /* AGAINST('q') */
    MO_FULLTEXT_BOOLEAN = 1,        /* AGAINST('q' IN BOOLEAN MODE) */
    MO_FULLTEXT_QUERY_EXPANSION = 2 /* AGAINST('q' WITH QUERY EXPANSION) */
} mo_fulltext_mode;

/** CREATE FULLTEXT INDEX `name` ON `table` (`c1`, `c2`)[ WITH PARSER ngram|json].
 *  columns: comma-separated names. parser: NULL/"" (none), "ngram" or "json"
 *  (case-insensitive; anything else is MO_E_INVALID_ARGUMENT). Server errors keep their
 *  message (the SDK drops it). */
MO_API mo_status mo_fulltext_create(mo_executor *ex, const char *table, const char *name,
                                    const char *columns, const char *parser);
/** DROP INDEX `name` ON `table`. */
MO_API mo_status mo_fulltext_drop(mo_executor *ex, const char *table, const char *name);
/** SET experimental_fulltext_index = 1 / 0 (MatrixOne). */
MO_API mo_status mo_fulltext_enable(mo_executor *ex);
/** See mo_fulltext_enable. */
MO_API mo_status mo_fulltext_disable(mo_executor *ex);
/** SELECT cols FROM `table` WHERE MATCH(`c1`, `c2`) AGAINST('<query>'[ mode])
 *  [AND (where_sql)] [LIMIT n]. The query is an escaped literal and may contain NUL
 *  (query_len bytes, valid UTF-8). select_columns NULL/"" = `*`; where_sql/where_params as in
 *  capi/mocore/vector.h; limit 0 = no LIMIT. *out is the result cursor. */
MO_API mo_status mo_fulltext_search(mo_result **out, mo_executor *ex, const char *table,
                                    const char *columns, const char *query, size_t query_len,
                                    mo_fulltext_mode mode, const char *select_columns,
                                    const char *where_sql, const mo_params *where_params,
                                    uint64_t limit);

MO_END_DECLS
#endif
