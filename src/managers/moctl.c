/* src/managers/moctl.c — mo_ctl() (reference §9.15, client.moctl). The answer is a JSON
 * document; result[0].returnStr other than "OK" is a failure reported with the server's text.
 * Record fields: 0 method, 1 returnStr, 2 the JSON text. */
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

enum { CTL_METHOD, CTL_RETURN, CTL_JSON };

/* Parse the answer into rec; MO_E_SERVER with the SDK's messages when it is not OK. */
static mo_status parse_answer(mo_record *rec, const char *text, size_t len, const char *op) {
    const char *why = NULL;
    mo_json *j = mo_json_parse(text, len, &why);
    if (!j) return mo_error_set(MO_E_SERVER, op, "Failed to parse mo_ctl result: %s", why);
    const mo_json *method = mo_json_get(j, "method");
    const mo_json *ret = mo_json_get(mo_json_at(mo_json_get(j, "result"), 0), "returnStr");
    mo_status st = MO_OK;
    if (method && method->type == MO_JSON_STRING)
        st = mo_record_set(rec, CTL_METHOD, method->string, method->len, op);
    if (st >= 0 && (!ret || ret->type != MO_JSON_STRING))
        st = mo_error_set(MO_E_SERVER, op, "Failed to parse mo_ctl result: no result[0].returnStr");
    if (st >= 0) st = mo_record_set(rec, CTL_RETURN, ret->string, ret->len, op);
    if (st >= 0 && strcmp(rec->text[CTL_RETURN], "OK") != 0)
        st = mo_error_set(MO_E_SERVER, op, "mo_ctl operation failed: %s", rec->text[CTL_RETURN]);
    mo_json_free(j);
    return st;
}

static mo_status moctl(mo_moctl_result **out, mo_executor *ex, const char *command,
                       const char *database, const char *table, const char *op) {
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0 && database) st = mo_mgr_dotless_name(database, "database name", op);
    if (st >= 0 && database) st = mo_mgr_dotless_name(table, "table name", op);
    mo_buf arg, sql;
    mo_buf_init(&arg);
    mo_buf_init(&sql);
    if (database) mo_buf_printf(&arg, "%s.%s", database, table);
    mo_buf_printf(&sql, "SELECT mo_ctl('dn', '%s', ", command);
    mo_mgr_literal(ex, &sql, mo_buf_cstr(&arg));
    mo_buf_append_char(&sql, ')');
    mo_buf_free(&arg);
    mo_result *r = NULL;
    mo_record *rec = NULL;
    if (st >= 0) {
        rec = mo_record_new(MO_REC_MOCTL);
        if (!rec) st = mo_error_oom(op);
    }
    if (st >= 0) {
        st = mo_mgr_exec(ex, &sql, op, &r);
        if (st < 0) mo_mgr_wrap(st, op, "mo_ctl operation failed");
    }
    if (st >= 0 && mo_mgr_dry_run(ex)) {
        st = mo_record_set_str(rec, CTL_RETURN, "OK", op);
        if (st >= 0) st = mo_record_set_str(rec, CTL_JSON, "", op);
    } else if (st >= 0) {
        st = mo_result_next(r);
        const char *text = NULL;
        size_t len = 0;
        if (st == MO_ROW) {
            st = mo_result_get_text(r, 0, &text, &len);
            if (st >= 0 && !text) st = mo_error_set(MO_E_SERVER, op, "Failed to parse mo_ctl result: NULL");
            if (st >= 0) st = mo_record_set(rec, CTL_JSON, text, len, op);
            if (st >= 0) st = parse_answer(rec, text, len, op);
        } else if (st >= 0) {
            st = mo_error_set(MO_E_SERVER, op, "mo_ctl command returned no results: %s",
                              mo_buf_cstr(&sql));
        }
    }
    mo_result_free(r);
    mo_buf_free(&sql);
    st = mo_mgr_hand_out((void **)out, rec, st, op);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_moctl_flush_table(mo_moctl_result **out, mo_executor *ex, const char *database,
                               const char *table) {
    const char *op = "moctl.flush_table";
    if (out) *out = NULL;
    char *db = NULL, *name = NULL;
    mo_status st = mo_mgr_split_table(ex, table, database, &db, &name, op);
    if (st >= 0) st = moctl(out, ex, "flush", db, name, op);
    free(db);
    free(name);
    return st;
}

mo_status mo_moctl_increment_checkpoint(mo_moctl_result **out, mo_executor *ex) {
    return moctl(out, ex, "checkpoint", NULL, NULL, "moctl.increment_checkpoint");
}

mo_status mo_moctl_global_checkpoint(mo_moctl_result **out, mo_executor *ex) {
    return moctl(out, ex, "globalcheckpoint", NULL, NULL, "moctl.global_checkpoint");
}
