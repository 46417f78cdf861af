/** @file
 * capi/mocore/export.h — SELECT ... INTO OUTFILE (the SDK's client.export): query results
 * written as CSV or JSON lines by the server, to a path on the server or to a MatrixOne stage.
 *
 * Conventions of mocore/managers.h. The query is SQL text (a SELECT); a trailing ';' and
 * whitespace are dropped, and `?` placeholders are filled from params (may be NULL) exactly as
 * mo_client_execute does. The path, separators, quote character and line terminator are
 * escaped literals. *affected_rows (may be NULL) gets the row count the server reports: the
 * rows written on MySQL and MariaDB, always 0 on MatrixOne (v4.2 reports none for INTO
 * OUTFILE; count the rows with the query itself if needed), 0 in dry-run. On MatrixOne a CSV
 * export without header says header 'false' (the server writes a header by default). */
#ifndef MOCORE_EXPORT_H
#define MOCORE_EXPORT_H
#include "mocore/common.h"
#include "mocore/managers.h"
#include "mocore/params.h"

MO_BEGIN_DECLS

/** {query} INTO OUTFILE 'path' FIELDS TERMINATED BY 'sep' [ENCLOSED BY 'quotechar']
 *  LINES TERMINATED BY 'lineterminator' [header 'true'].
 *  sep NULL = ","; quotechar NULL = none; lineterminator NULL = "\n". Every one given is sent
 *  (the SDK drops sep when quotechar is set and quotechar when sep is ","). Errors as the SDK:
 *  "sep cannot be empty", "sep and quotechar cannot be the same: '<sep>'"; an empty
 *  lineterminator is an error too. header: a header line (MatrixOne's header 'true';
 *  MO_E_UNSUPPORTED elsewhere — the SDK only warns and writes none). */
MO_API mo_status mo_export_to_csv(mo_executor *ex, const char *path, const char *query,
                                  const mo_params *params, const char *sep,
                                  const char *quotechar, const char *lineterminator, int header,
                                  uint64_t *affected_rows);
/** {query} INTO OUTFILE 'path' (MatrixOne writes JSON lines for a .jsonl path). */
MO_API mo_status mo_export_to_jsonl(mo_executor *ex, const char *path, const char *query,
                                    const mo_params *params, uint64_t *affected_rows);
/** As mo_export_to_csv to 'stage://stage_name/filename' (MatrixOne). */
MO_API mo_status mo_export_to_csv_stage(mo_executor *ex, const char *stage_name,
                                        const char *filename, const char *query,
                                        const mo_params *params, const char *sep,
                                        const char *quotechar, const char *lineterminator,
                                        int header, uint64_t *affected_rows);
/** As mo_export_to_csv_stage, the rows written as JSON lines. */
MO_API mo_status mo_export_to_jsonl_stage(mo_executor *ex, const char *stage_name,
                                          const char *filename, const char *query,
                                          const mo_params *params, uint64_t *affected_rows);

MO_END_DECLS
#endif
