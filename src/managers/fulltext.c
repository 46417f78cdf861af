/* src/managers/fulltext.c — fulltext indexes and MATCH ... AGAINST (reference §9.9,
 * client.fulltext_index). */
#include <inttypes.h>
#include <string.h>
#include "managers/managers_internal.h"

mo_status mo_fulltext_create(mo_executor *ex, const char *table, const char *name,
                             const char *columns, const char *parser) {
    const char *op = "fulltext_index.create";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    const char *with = NULL;
    if (parser && *parser) {
        if (mo_mgr_ieq(parser, "ngram")) with = "ngram";
        else if (mo_mgr_ieq(parser, "json")) with = "json";
        else st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                               "Invalid parser '%s': must be 'ngram' or 'json'", parser);
    }
    /* The json parser exists only in MatrixOne. */
    if (st >= 0 && with && with[0] == 'j') st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "CREATE FULLTEXT INDEX ");
    if (st >= 0) st = mo_mgr_ident(&sql, name, "index name", op);
    mo_buf_append_str(&sql, " ON ");
    if (st >= 0) st = mo_mgr_qualified(&sql, table, "table name", 0, op);
    mo_buf_append_str(&sql, " (");
    if (st >= 0) st = mo_mgr_ident_list(&sql, columns, "column name", op);
    mo_buf_append_char(&sql, ')');
    if (with) mo_buf_printf(&sql, " WITH PARSER %s", with);
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to create fulltext index %s on table %s",
                         name, table);
}

mo_status mo_fulltext_drop(mo_executor *ex, const char *table, const char *name) {
    const char *op = "fulltext_index.drop";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "DROP INDEX ");
    st = mo_mgr_ident(&sql, name, "index name", op);
    mo_buf_append_str(&sql, " ON ");
    if (st >= 0) st = mo_mgr_qualified(&sql, table, "table name", 0, op);
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to drop fulltext index %s from table %s",
                         name, table);
}

static mo_status set_switch(mo_executor *ex, const char *op, const char *text, const char *fail) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, text);
    return mo_mgr_finish(ex, &sql, st, op, NULL, "%s", fail);
}

mo_status mo_fulltext_enable(mo_executor *ex) {
    return set_switch(ex, "fulltext_index.enable_fulltext", "SET experimental_fulltext_index = 1",
                      "Failed to enable fulltext indexing");
}

mo_status mo_fulltext_disable(mo_executor *ex) {
    return set_switch(ex, "fulltext_index.disable_fulltext", "SET experimental_fulltext_index = 0",
                      "Failed to disable fulltext indexing");
}

mo_status mo_fulltext_search(mo_result **out, mo_executor *ex, const char *table,
                             const char *columns, const char *query, size_t query_len,
                             mo_fulltext_mode mode, const char *select_columns,
                             const char *where_sql, const mo_params *where_params,
                             uint64_t limit) {
    const char *op = "fulltext_index.search";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    static const char *const modifiers[] = {"", " IN BOOLEAN MODE", " WITH QUERY EXPANSION"};
    if ((unsigned)mode > 2)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid fulltext mode %d", (int)mode);
    if (st >= 0 && !query && query_len)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "query is NULL");
    if (st >= 0 && !mo_utf8_valid(query ? query : "", query ? query_len : 0))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "query is not valid UTF-8");
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SELECT ");
    if (st >= 0) st = mo_mgr_select_list(&sql, select_columns, op);
    mo_buf_append_str(&sql, " FROM ");
    if (st >= 0) st = mo_mgr_qualified(&sql, table, "table name", 0, op);
    mo_buf_append_str(&sql, " WHERE MATCH(");
    if (st >= 0) st = mo_mgr_ident_list(&sql, columns, "column name", op);
    mo_buf_append_str(&sql, ") AGAINST(");
    if (st >= 0) {
        mo_mgr_literal_n(ex, &sql, query ? query : "", query ? query_len : 0);
        mo_buf_append_str(&sql, modifiers[mode]);
    }
    mo_buf_append_char(&sql, ')');
    if (st >= 0) st = mo_mgr_where(ex, &sql, " AND ", where_sql, where_params, op);
    if (limit) mo_buf_printf(&sql, " LIMIT %" PRIu64, limit);
    return mo_mgr_finish(ex, &sql, st, op, out, "Failed to search fulltext index on table %s",
                         table);
}
