/* src/managers/hooks.c — connection hooks (reference §3): the SDK's on_connect actions and a
 * user callback, run once on every new physical connection.
 *
 * The setters below install run_connect_hooks as the config's connect_hooks_runner; the
 * client runs it (mo_hooks_run) right after its connection is made (before its handle is
 * handed out) and a session right after its own connection is made (before BEGIN). The hook
 * runs on an executor bound to that connection, so the statements land on the new connection
 * and not on whatever the client's connection is doing. Failures are logged, never fatal, as
 * in the SDK. */
#include <string.h>
#include "managers/managers_internal.h"

static const struct {
    unsigned flag;
    const char *sql;
    const char *done;  /* the SDK's debug line */
    const char *what;  /* for the SDK's failure line "Failed to enable <what>: <e>" */
} actions[] = {
    {MO_CONNECT_ENABLE_IVF, "SET experimental_ivf_index = 1", "✓ Enabled IVF vector operations", "IVF"},
    {MO_CONNECT_ENABLE_HNSW, "SET experimental_hnsw_index = 1", "✓ Enabled HNSW vector operations", "HNSW"},
    {MO_CONNECT_ENABLE_FULLTEXT, "SET experimental_fulltext_index = 1",
     "✓ Enabled fulltext search operations", "fulltext"},
};

static void run_connect_hooks(mo_client *client, struct mo_conn *conn, const char *op) {
    const struct mo_config *cfg = client->cfg;
    /* Whatever happens here must not replace the caller's view of the last error. */
    mo_error_guard guard;
    mo_error_guard_begin(&guard);
    mo_executor *ex = NULL;
    if (mo_executor_bind(&ex, client, conn, op) < 0) {
        mo_log_message(cfg, MO_LOG_LEVEL_WARNING, "Connection hook execution failed: %s",
                       mo_error_message(mo_error_last()));
        mo_error_guard_end(&guard);
        return;
    }
    if (cfg->connect_actions && client->kind != MO_SERVER_MATRIXONE) {
        mo_log_message(cfg, MO_LOG_LEVEL_WARNING,
                       "Connection hook actions skipped: the experimental index switches are "
                       "MatrixOne session variables");
    } else {
        for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
            if (!(cfg->connect_actions & actions[i].flag)) continue;
            mo_buf sql;
            mo_buf_init(&sql);
            mo_buf_append_str(&sql, actions[i].sql);
            mo_status st = mo_mgr_enter(ex, op);
            if (st >= 0) {
                st = mo_mgr_exec(ex, &sql, op, NULL);
                mo_mgr_leave(ex);
            }
            mo_buf_free(&sql);
            if (st < 0)
                mo_log_message(cfg, MO_LOG_LEVEL_WARNING, "Failed to enable %s: %s", actions[i].what,
                               mo_error_message(mo_error_last()));
            else
                mo_log_message(cfg, MO_LOG_LEVEL_DEBUG, "%s", actions[i].done);
        }
    }
    if (cfg->connect_hook) {
        mo_status st = cfg->connect_hook(ex, cfg->connect_hook_userdata);
        if (st < 0) {
            const mo_error *e = mo_error_last();
            mo_log_message(cfg, MO_LOG_LEVEL_WARNING, "Connection hook execution failed: %s",
                           e ? mo_error_message(e) : "the callback returned an error");
        }
    }
    mo_executor_free(ex);
    mo_error_guard_end(&guard);
}

/* ------------------------------------------------------------------ configuration */

static void install_runner(mo_config *cfg) {
    cfg->connect_hooks_runner = cfg->connect_actions || cfg->connect_hook ? run_connect_hooks : NULL;
}

mo_status mo_config_set_connect_actions(mo_config *cfg, unsigned flags) {
    const char *op = "config.set_connect_actions";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    if (flags & ~(unsigned)MO_CONNECT_ENABLE_ALL)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "unknown connect action bits 0x%x",
                          flags & ~(unsigned)MO_CONNECT_ENABLE_ALL);
    else
        cfg->connect_actions = flags;
    install_runner(cfg);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_connect_hook(mo_config *cfg, mo_connect_hook hook, void *userdata) {
    const char *op = "config.set_connect_hook";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    cfg->connect_hook = hook;
    cfg->connect_hook_userdata = hook ? userdata : NULL;
    install_runner(cfg);
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_connect_action_parse(const char *name, unsigned *out) {
    const char *op = "config.connect_action_parse";
    static const struct { const char *name; unsigned flags; } names[] = {
        {"enable_ivf", MO_CONNECT_ENABLE_IVF},       {"enable_hnsw", MO_CONNECT_ENABLE_HNSW},
        {"enable_fulltext", MO_CONNECT_ENABLE_FULLTEXT}, {"enable_vector", MO_CONNECT_ENABLE_VECTOR},
        {"enable_all", MO_CONNECT_ENABLE_ALL},
    };
    if (!name || !out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "name or out is NULL");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (mo_mgr_ieq(name, names[i].name)) {
            *out = names[i].flags;
            return MO_OK;
        }
    }
    return mo_error_set(MO_E_INVALID_ARGUMENT, op, "'%s' is not a valid ConnectionAction", name);
}
