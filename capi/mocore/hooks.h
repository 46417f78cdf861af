/** @file
 * capi/mocore/hooks.h — connection hooks: statements and a callback run once on every new
 * physical connection (the client's own at mo_client_connect, and each session's at
 * mo_session_open), as the SDK's on_connect. A failing hook is logged (warning level, through
 * the configured log sink) and never fails the connect. */
#ifndef MOCORE_HOOKS_H
#define MOCORE_HOOKS_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

/** Actions (bit flags), in the SDK's order: IVF, HNSW, fulltext. The statements are
 *  MatrixOne session variables (SET experimental_ivf_index = 1, SET experimental_hnsw_index =
 *  1, SET experimental_fulltext_index = 1); on another server they are skipped (logged). */
enum {
    MO_CONNECT_ENABLE_IVF = 1,
    MO_CONNECT_ENABLE_HNSW = 2,
    MO_CONNECT_ENABLE_FULLTEXT = 4,
    MO_CONNECT_ENABLE_VECTOR = 3, /* IVF + HNSW */
    MO_CONNECT_ENABLE_ALL = 7     /* IVF + HNSW + fulltext */
};

/** Called after the actions with an executor bound to the new connection (statements run in
 *  autocommit on it, before a session's BEGIN). The executor is valid only during the call.
 *  A negative return is logged and ignored. */
typedef mo_status (*mo_connect_hook)(mo_executor *ex, void *userdata);

/** The actions to run (0 = none, the default; the SDK's default is ALL). Unknown bits are
 *  MO_E_INVALID_ARGUMENT. */
MO_API mo_status mo_config_set_connect_actions(mo_config *cfg, unsigned actions);
/** The callback (NULL removes it). userdata is passed through untouched. */
MO_API mo_status mo_config_set_connect_hook(mo_config *cfg, mo_connect_hook hook, void *userdata);
/** The SDK's action names: "enable_ivf", "enable_hnsw", "enable_fulltext", "enable_vector",
 *  "enable_all" (case-insensitive) -> flags. */
MO_API mo_status mo_connect_action_parse(const char *name, unsigned *out);

/** Run one statement on the executor's connection (client, session or hook), with `?`
 *  parameters (params may be NULL). *out is owned by the caller. */
MO_API mo_status mo_executor_execute(mo_result **out, mo_executor *ex, const char *sql,
                                     size_t sql_len, const mo_params *params);

MO_END_DECLS
#endif
