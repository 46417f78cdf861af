/* src/managers/vector.c — vector indexes and search (reference §9.8, client.vector_ops). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "managers/managers_internal.h"

static const char *op_type_name(mo_vector_distance d) {
    switch (d) {
    case MO_VECTOR_L2: return "vector_l2_ops";
    case MO_VECTOR_COSINE: return "vector_cosine_ops";
    case MO_VECTOR_INNER_PRODUCT: return "vector_ip_ops";
    }
    return NULL;
}

static const char *distance_fn(mo_vector_distance d) {
    switch (d) {
    case MO_VECTOR_L2: return "l2_distance";
    case MO_VECTOR_COSINE: return "cosine_distance";
    case MO_VECTOR_INNER_PRODUCT: return "inner_product";
    }
    return NULL;
}

/* Run fixed statements one after the other (the SET switches). */
static mo_status run_fixed(mo_executor *ex, const char *const *sqls, size_t n, const char *op) {
    mo_status st = MO_OK;
    for (size_t i = 0; i < n && st >= 0; i++) {
        mo_buf sql;
        mo_buf_init(&sql);
        mo_buf_append_str(&sql, sqls[i]);
        st = mo_mgr_exec(ex, &sql, op, NULL);
        mo_buf_free(&sql);
    }
    return st;
}

/* "ON `t`(`col`)" */
static mo_status index_target(mo_buf *b, const char *table, const char *column, const char *op) {
    mo_buf_append_str(b, " ON ");
    mo_status st = mo_mgr_qualified(b, table, "table name", 0, op);
    mo_buf_append_char(b, '(');
    if (st >= 0) st = mo_mgr_ident(b, column, "column name", op);
    mo_buf_append_char(b, ')');
    return st;
}

mo_status mo_vector_create_ivf(mo_executor *ex, const char *table, const char *name,
                               const char *column, int lists, mo_vector_distance op_type) {
    const char *op = "vector_ops.create_ivf";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    const char *ops = op_type_name(op_type);
    if (st >= 0 && !ops) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid op_type %d", (int)op_type);
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "CREATE INDEX ");
    if (st >= 0) st = mo_mgr_ident(&sql, name, "index name", op);
    mo_buf_append_str(&sql, " USING ivfflat");
    if (st >= 0) st = index_target(&sql, table, column, op);
    mo_buf_printf(&sql, " LISTS %d op_type '%s'", lists > 0 ? lists : 100, ops ? ops : "");
    if (st >= 0) {
        static const char *const sets[] = {"SET experimental_ivf_index = 1", "SET probe_limit = 1"};
        st = run_fixed(ex, sets, 2, op);
        if (st < 0)
            mo_mgr_wrap(st, op, "Failed to create IVFFLAT vector index %s on table %s", name, table);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL,
                         "Failed to create IVFFLAT vector index %s on table %s", name, table);
}

mo_status mo_vector_create_hnsw(mo_executor *ex, const char *table, const char *name,
                                const char *column, int m, int ef_construction, int ef_search,
                                mo_vector_distance op_type) {
    const char *op = "vector_ops.create_hnsw";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    const char *ops = op_type_name(op_type);
    if (st >= 0 && !ops) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid op_type %d", (int)op_type);
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "CREATE INDEX ");
    if (st >= 0) st = mo_mgr_ident(&sql, name, "index name", op);
    mo_buf_append_str(&sql, " USING hnsw");
    if (st >= 0) st = index_target(&sql, table, column, op);
    mo_buf_printf(&sql, " M %d EF_CONSTRUCTION %d EF_SEARCH %d op_type '%s'", m > 0 ? m : 16,
                  ef_construction > 0 ? ef_construction : 200, ef_search > 0 ? ef_search : 50,
                  ops ? ops : "");
    if (st >= 0) {
        /* The SDK relies on the connect hook here; a connection without it would refuse the
         * index, so the switch is set as create_ivf sets its own. */
        static const char *const sets[] = {"SET experimental_hnsw_index = 1"};
        st = run_fixed(ex, sets, 1, op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to create HNSW vector index %s on table %s", name, table);
    }
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to create HNSW vector index %s on table %s",
                         name, table);
}

mo_status mo_vector_drop(mo_executor *ex, const char *table, const char *name) {
    const char *op = "vector_ops.drop";
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "DROP INDEX ");
    st = mo_mgr_ident(&sql, name, "index name", op);
    mo_buf_append_str(&sql, " ON ");
    if (st >= 0) st = mo_mgr_qualified(&sql, table, "table name", 0, op);
    return mo_mgr_finish(ex, &sql, st, op, NULL, "Failed to drop vector index %s from table %s",
                         name, table);
}

static mo_status switch_statements(mo_executor *ex, const char *op, const char *const *sqls,
                                   size_t n, const char *fail) {
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) {
        st = run_fixed(ex, sqls, n, op);
        if (st < 0) mo_mgr_wrap(st, op, "%s", fail);
    }
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_vector_enable_ivf(mo_executor *ex, int probe_limit) {
    char probe[48];
    snprintf(probe, sizeof probe, "SET probe_limit = %d", probe_limit > 0 ? probe_limit : 1);
    const char *const sqls[] = {"SET experimental_ivf_index = 1", probe};
    return switch_statements(ex, "vector_ops.enable_ivf", sqls, 2, "IVF indexing is not supported");
}

mo_status mo_vector_disable_ivf(mo_executor *ex) {
    static const char *const sqls[] = {"SET experimental_ivf_index = 0"};
    return switch_statements(ex, "vector_ops.disable_ivf", sqls, 1, "Failed to disable IVF indexing");
}

mo_status mo_vector_enable_hnsw(mo_executor *ex) {
    static const char *const sqls[] = {"SET experimental_hnsw_index = 1"};
    return switch_statements(ex, "vector_ops.enable_hnsw", sqls, 1, "HNSW indexing is not supported");
}

mo_status mo_vector_disable_hnsw(mo_executor *ex) {
    static const char *const sqls[] = {"SET experimental_hnsw_index = 0"};
    return switch_statements(ex, "vector_ops.disable_hnsw", sqls, 1, "Failed to disable HNSW indexing");
}

/* ------------------------------------------------------------------ rows */

static mo_status insert_common(uint64_t *affected, mo_executor *ex, const char *table,
                               const char *const *columns, size_t column_count,
                               const mo_params *values, size_t rows, const char *op) {
    if (affected) *affected = 0;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_table_insert_rows(affected, ex, table, columns, column_count, values, rows, op);
    if (st < 0 && st != MO_E_INVALID_ARGUMENT)
        mo_mgr_wrap(st, op, "Failed to insert into table %s", table);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_vector_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                           const char *const *columns, size_t column_count,
                           const mo_params *values) {
    return insert_common(affected_rows, ex, table, columns, column_count, values, 1,
                         "vector_ops.insert");
}

mo_status mo_vector_batch_insert(uint64_t *affected_rows, mo_executor *ex, const char *table,
                                 const char *const *columns, size_t column_count,
                                 const mo_params *values, size_t row_count) {
    return insert_common(affected_rows, ex, table, columns, column_count, values, row_count,
                         "vector_ops.batch_insert");
}

/* ------------------------------------------------------------------ search */

typedef struct {
    const char *table, *column, *select_columns, *where_sql;
    const void *query;
    size_t dimension;
    mo_vector_element element;
    const mo_params *where_params;
} search_args;

/* "SELECT cols, fn(`col`, '[..]') as distance FROM `t`" */
static mo_status search_head(mo_buf *b, const mo_executor *ex, const search_args *a,
                             const char *fn, const char *op) {
    if (a->element != MO_VECTOR_F32 && a->element != MO_VECTOR_F64)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid vector element type %d",
                            (int)a->element);
    if (!a->query) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "query vector is NULL");
    mo_buf_append_str(b, "SELECT ");
    mo_status st = mo_mgr_select_list(b, a->select_columns, op);
    mo_buf_append_str(b, ", ");
    mo_buf_append_str(b, fn);
    mo_buf_append_char(b, '(');
    if (st >= 0) st = mo_mgr_ident(b, a->column, "vector column name", op);
    mo_buf_append_str(b, ", ");
    if (st >= 0)
        st = mo_mgr_vector_literal(b, a->query, a->dimension, a->element == MO_VECTOR_F32, op);
    mo_buf_append_str(b, ") as distance FROM ");
    if (st >= 0) st = mo_mgr_qualified(b, a->table, "table name", 0, op);
    (void)ex;
    return st;
}

static mo_status knn_search(mo_result **out, mo_executor *ex, const search_args *a,
                            uint64_t limit, mo_vector_distance distance, int rank,
                            mo_ivf_rank_mode rank_mode, const char *op, const char *what) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    const char *fn = distance_fn(distance);
    if (st >= 0 && !fn)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "invalid distance type %d", (int)distance);
    static const char *const modes[] = {"post", "pre", "force"};
    if (st >= 0 && rank && ((unsigned)rank_mode > 2))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                          "Failed to perform vector search with rank on table %s: '%d' is not a "
                          "valid IVFRankMode", a->table ? a->table : "", (int)rank_mode);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0) st = search_head(&sql, ex, a, fn, op);
    if (st >= 0) st = mo_mgr_where(ex, &sql, " WHERE ", a->where_sql, a->where_params, op);
    mo_buf_printf(&sql, " ORDER BY distance LIMIT %" PRIu64, limit ? limit : 10);
    if (rank && st >= 0) mo_buf_printf(&sql, " BY RANK WITH OPTION 'mode=%s'", modes[rank_mode]);
    st = mo_mgr_finish(ex, &sql, st, op, out, "Failed to perform %s on table %s", what, a->table);
    if (st >= 0) mo_result_mark_vector_column(*out, a->column);
    return st;
}

mo_status mo_vector_similarity_search(mo_result **out, mo_executor *ex, const char *table,
                                      const char *vector_column, const void *query,
                                      size_t dimension, mo_vector_element element,
                                      uint64_t limit, const char *select_columns,
                                      const char *where_sql, const mo_params *where_params,
                                      mo_vector_distance distance) {
    search_args a = {table, vector_column, select_columns, where_sql, query, dimension, element,
                     where_params};
    return knn_search(out, ex, &a, limit, distance, 0, MO_IVF_RANK_POST,
                      "vector_ops.similarity_search",
                      "vector similarity search");
}

mo_status mo_vector_search_with_rank(mo_result **out, mo_executor *ex, const char *table,
                                     const char *vector_column, const void *query,
                                     size_t dimension, mo_vector_element element, uint64_t limit,
                                     const char *select_columns, const char *where_sql,
                                     const mo_params *where_params, mo_vector_distance distance,
                                     mo_ivf_rank_mode rank_mode) {
    search_args a = {table, vector_column, select_columns, where_sql, query, dimension, element,
                     where_params};
    return knn_search(out, ex, &a, limit, distance, 1, rank_mode, "vector_ops.search_with_rank",
                      "vector search with rank");
}

mo_status mo_vector_range_search(mo_result **out, mo_executor *ex, const char *table,
                                 const char *vector_column, const void *query, size_t dimension,
                                 mo_vector_element element, double max_distance,
                                 const char *select_columns, const char *where_sql,
                                 const mo_params *where_params) {
    const char *op = "vector_ops.range_search";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0 && !isfinite(max_distance))
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "max_distance must be a finite number");
    search_args a = {table, vector_column, select_columns, where_sql, query, dimension, element,
                     where_params};
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0) st = search_head(&sql, ex, &a, "l2_distance", op);
    mo_buf_append_str(&sql, " WHERE ");
    if (st >= 0 && where_sql && *where_sql) {
        st = mo_mgr_where(ex, &sql, "", where_sql, where_params, op);
        mo_buf_append_str(&sql, " AND ");
    } else if (st >= 0) {
        st = mo_mgr_where(ex, &sql, "", NULL, where_params, op);
    }
    mo_buf_append_str(&sql, "l2_distance(");
    if (st >= 0) st = mo_mgr_ident(&sql, vector_column, "vector column name", op);
    mo_buf_append_str(&sql, ", ");
    if (st >= 0) st = mo_mgr_vector_literal(&sql, query, dimension, element == MO_VECTOR_F32, op);
    mo_buf_append_str(&sql, ") <= ");
    mo_sql_append_double(&sql, max_distance);
    mo_buf_append_str(&sql, " ORDER BY distance");
    st = mo_mgr_finish(ex, &sql, st, op, out, "Failed to perform vector range search on table %s",
                       table);
    if (st >= 0) mo_result_mark_vector_column(*out, vector_column);
    return st;
}

/* ------------------------------------------------------------------ IVF statistics
 * Record fields: 0 database, 1 table, 2 column, 3 metadata table, 4 centroids table,
 * 5 entries table; nums: (centroid id, version, entry count) triples. */

enum { IVF_DB, IVF_TABLE, IVF_COLUMN, IVF_METADATA, IVF_CENTROIDS, IVF_ENTRIES };

/* Run sql and return its cursor. */
static mo_status query(mo_executor *ex, mo_buf *sql, const char *op, mo_result **r) {
    mo_status st = mo_mgr_exec(ex, sql, op, r);
    mo_buf_reset(sql);
    return st;
}

static mo_status ivf_find_column(mo_executor *ex, mo_record *rec, const char *db,
                                 const char *table, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_schema = ");
    mo_mgr_literal(ex, &sql, db);
    mo_buf_append_str(&sql, " AND table_name = ");
    mo_mgr_literal(ex, &sql, table);
    mo_buf_append_str(&sql, " AND (data_type LIKE '%VEC%' OR data_type LIKE '%vec%')");
    mo_result *r = NULL;
    mo_status st = query(ex, &sql, op, &r);
    size_t found = 0;
    mo_buf names;
    mo_buf_init(&names);
    while (st >= 0 && (st = mo_result_next(r)) == MO_ROW) {
        const char *name;
        size_t len;
        st = mo_result_get_text(r, 0, &name, &len);
        if (st < 0) break;
        if (found++ == 0) st = mo_record_set(rec, IVF_COLUMN, name, len, op);
        else mo_buf_append_str(&names, ", ");
        mo_buf_append(&names, name, len);
    }
    mo_result_free(r);
    if (st >= 0 && found == 0 && !mo_mgr_dry_run(ex))
        st = mo_error_set(MO_E_NOT_FOUND, op, "No vector columns found in table %s", table);
    else if (st >= 0 && found > 1)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                          "Multiple vector columns found in table %s: %s. Please specify "
                          "column_name parameter.", table, mo_buf_cstr(&names));
    mo_buf_free(&names);
    mo_buf_free(&sql);
    return st < 0 ? st : MO_OK;
}

static mo_status ivf_index_tables(mo_executor *ex, mo_record *rec, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, "SELECT i.algo_table_type, i.index_table_name FROM "
                            "`mo_catalog`.`mo_indexes` AS i JOIN `mo_catalog`.`mo_tables` AS t "
                            "ON i.table_id = t.rel_id AND i.column_name = ");
    mo_mgr_literal(ex, &sql, rec->text[IVF_COLUMN]);
    mo_buf_append_str(&sql, " AND t.relname = ");
    mo_mgr_literal(ex, &sql, rec->text[IVF_TABLE]);
    mo_buf_append_str(&sql, " AND t.reldatabase = ");
    mo_mgr_literal(ex, &sql, rec->text[IVF_DB]);
    mo_buf_append_str(&sql, " AND i.algo='ivfflat'");
    mo_result *r = NULL;
    mo_status st = query(ex, &sql, op, &r);
    size_t found = 0;
    while (st >= 0 && (st = mo_result_next(r)) == MO_ROW) {
        const char *type, *name;
        size_t tl, nl;
        if ((st = mo_result_get_text(r, 0, &type, &tl)) < 0) break;
        if ((st = mo_result_get_text(r, 1, &name, &nl)) < 0) break;
        found++;
        int field = !type ? -1 : strcmp(type, "metadata") == 0 ? IVF_METADATA
                  : strcmp(type, "centroids") == 0 ? IVF_CENTROIDS
                  : strcmp(type, "entries") == 0 ? IVF_ENTRIES : -1;
        if (field >= 0) st = mo_record_set(rec, field, name, nl, op);
        if (st < 0) break;
    }
    mo_result_free(r);
    mo_buf_free(&sql);
    if (st < 0) return st;
    if (!found && mo_mgr_dry_run(ex)) return MO_OK;
    if (!found)
        return mo_error_set(MO_E_NOT_FOUND, op, "No IVF index found for table %s, column %s",
                            rec->text[IVF_TABLE], rec->text[IVF_COLUMN]);
    if (!rec->text[IVF_ENTRIES])
        return mo_error_set(MO_E_NOT_FOUND, op, "No entries table found in IVF index");
    return MO_OK;
}

static mo_status ivf_distribution(mo_executor *ex, mo_record *rec, const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    /* The SDK's text, triple spaces included. */
    mo_buf_append_str(&sql, "SELECT   COUNT(*) AS centroid_count,   __mo_index_centroid_fk_id AS "
                            "centroid_id,   __mo_index_centroid_fk_version AS centroid_version "
                            "FROM ");
    mo_status st = mo_mgr_ident(&sql, rec->text[IVF_DB], "database name", op);
    mo_buf_append_char(&sql, '.');
    if (st >= 0) st = mo_mgr_ident(&sql, rec->text[IVF_ENTRIES], "table name", op);
    mo_buf_append_str(&sql, " GROUP BY `__mo_index_centroid_fk_id`, `__mo_index_centroid_fk_version`");
    mo_result *r = NULL;
    if (st >= 0) st = query(ex, &sql, op, &r);
    size_t cap = 0;
    while (st >= 0 && (st = mo_result_next(r)) == MO_ROW) {
        int64_t count = 0, id = 0, version = 0;
        if ((st = mo_result_get_int64(r, 0, &count)) < 0) break;
        if ((st = mo_result_get_int64(r, 1, &id)) < 0) break;
        if ((st = mo_result_get_int64(r, 2, &version)) < 0) break;
        if (rec->num_count + 3 > cap) {
            size_t ncap = cap ? cap * 2 : 48;
            int64_t *n = realloc(rec->nums, ncap * sizeof *n);
            if (!n) {
                st = mo_error_oom(op);
                break;
            }
            rec->nums = n;
            cap = ncap;
        }
        rec->nums[rec->num_count++] = id;
        rec->nums[rec->num_count++] = version;
        rec->nums[rec->num_count++] = count;
    }
    mo_result_free(r);
    mo_buf_free(&sql);
    return st < 0 ? st : MO_OK;
}

mo_status mo_vector_get_ivf_stats(mo_ivf_stats **out, mo_executor *ex, const char *table_arg,
                                  const char *column, const char *database_arg) {
    const char *op = "vector_ops.get_ivf_stats";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    char *database = NULL, *table = NULL;
    if (st >= 0) st = mo_mgr_split_table(ex, table_arg, database_arg, &database, &table, op);
    if (st >= 0) st = mo_mgr_check_name(table, "table name", op);
    if (st >= 0) st = mo_mgr_check_name(database, "database name", op);
    if (st >= 0 && column && *column) st = mo_mgr_check_name(column, "column name", op);
    mo_record *rec = st >= 0 ? mo_record_new(MO_REC_IVF_STATS) : NULL;
    if (st >= 0 && !rec) st = mo_error_oom(op);
    if (st >= 0) st = mo_record_set_str(rec, IVF_DB, database, op);
    if (st >= 0) st = mo_record_set_str(rec, IVF_TABLE, table, op);
    if (st >= 0 && column && *column) st = mo_record_set_str(rec, IVF_COLUMN, column, op);
    else if (st >= 0) st = ivf_find_column(ex, rec, database, table, op);
    /* Dry-run: each query needs the answer of the one before (the vector column, then the
     * index tables), so the journal holds the statements up to the first that needs a name
     * only the server knows, and the record carries what was asked. */
    if (st >= 0 && rec->text[IVF_COLUMN]) st = ivf_index_tables(ex, rec, op);
    if (st >= 0 && rec->text[IVF_ENTRIES]) st = ivf_distribution(ex, rec, op);
    if (st < 0 && st != MO_E_INVALID_ARGUMENT && st != MO_E_NOT_FOUND && st != MO_E_UNSUPPORTED)
        mo_mgr_wrap(st, op, "Failed to get IVF stats for table %s", table_arg);
    st = mo_mgr_hand_out((void **)out, rec, st, op);
    free(database);
    free(table);
    mo_mgr_leave(ex);
    return st;
}
