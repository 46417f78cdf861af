/** @file
 * capi/mocore/moctl.h — MatrixOne's mo_ctl() control function (the SDK's client.moctl).
 * Managers' conventions (capi/mocore/managers.h); operation names "moctl.<method>";
 * MatrixOne-only.
 *
 * The server answers with one JSON document {"method": ..., "result": [{"returnStr": ...}]}.
 * It is parsed: a returnStr other than "OK" is an MO_E_SERVER error "mo_ctl operation
 * failed: <returnStr>"; no row is MO_E_SERVER "mo_ctl command returned no results: <sql>";
 * text that is not such a document is MO_E_SERVER "Failed to parse mo_ctl result: ...". */
#ifndef MOCORE_MOCTL_H
#define MOCORE_MOCTL_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

typedef struct mo_moctl_result mo_moctl_result;

/** SELECT mo_ctl('dn', 'flush', 'db.table'). *out may be NULL. */
MO_API mo_status mo_moctl_flush_table(mo_moctl_result **out, mo_executor *ex,
                                      const char *database, const char *table);
/** SELECT mo_ctl('dn', 'checkpoint', ''). */
MO_API mo_status mo_moctl_increment_checkpoint(mo_moctl_result **out, mo_executor *ex);
/** SELECT mo_ctl('dn', 'globalcheckpoint', ''). */
MO_API mo_status mo_moctl_global_checkpoint(mo_moctl_result **out, mo_executor *ex);
/** "method" of the answer (e.g. "Flush"); NULL when absent or in dry-run. */
MO_API const char *mo_moctl_result_method(const mo_moctl_result *r);
/** result[0].returnStr ("OK"; "OK" in dry-run). */
MO_API const char *mo_moctl_result_return_str(const mo_moctl_result *r);
/** The whole JSON text as the server sent it ("" in dry-run). */
MO_API const char *mo_moctl_result_json(const mo_moctl_result *r);
/** Release the result (and the strings borrowed from it). NULL is a no-op. */
MO_API void mo_moctl_result_free(mo_moctl_result *r);

MO_END_DECLS
#endif
