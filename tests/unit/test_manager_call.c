/* mo_call (bindings/managers/call.h): manager calls as data, against a dry-run MatrixOne
 * client (no server).
 *
 * (a) every case of tests/vectors/manager_argument_errors.toml (the build's JSON copy of the
 *     project's file) gives its category, operation and message, and nothing reaches the
 *     journal; (b) the SQL a call writes to the journal is the SQL the direct C call writes,
 *     aliases and defaults included; (c) the outcome trees: a record map, a list, a count, a
 *     result. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "call.h"
#include "internal.h" /* mo_json_parse, to read the vectors */

typedef mo_test_dry_run fixture;

/* ---------------------------------------------------------------- building calls */

/* Append JSON value j to the call: its node to shape, its leaves to the values. A number
 * without a fraction is an integer (the vectors' numbers are integers, or vectors). */
static void add_json(mo_buf *shape, mo_params *p, const mo_json *j) {
    switch (j->type) {
    case MO_JSON_NULL: mo_buf_append_char(shape, 'n'); assert_mo_ok(mo_params_add_null(p)); break;
    case MO_JSON_BOOL: mo_buf_append_char(shape, 'b'); assert_mo_ok(mo_params_add_bool(p, j->boolean)); break;
    case MO_JSON_NUMBER:
        if (j->number == (double)(int64_t)j->number) {
            mo_buf_append_char(shape, 'i');
            assert_mo_ok(mo_params_add_int64(p, (int64_t)j->number));
        } else {
            mo_buf_append_char(shape, 'd');
            assert_mo_ok(mo_params_add_double(p, j->number));
        }
        break;
    case MO_JSON_STRING:
        mo_buf_append_char(shape, 's');
        assert_mo_ok(mo_params_add_text(p, j->string, j->len));
        break;
    case MO_JSON_ARRAY: case MO_JSON_OBJECT:
        mo_buf_append_char(shape, j->type == MO_JSON_ARRAY ? '(' : '{');
        for (const mo_json *x = j->child; x; x = x->next) {
            if (j->type == MO_JSON_OBJECT) {
                mo_buf_append_char(shape, 's');
                assert_mo_ok(mo_params_add_text(p, x->key, strlen(x->key)));
            }
            add_json(shape, p, x);
        }
        mo_buf_append_char(shape, j->type == MO_JSON_ARRAY ? ')' : '}');
        break;
    }
}

/* A call of `method` with `shape`; each leaf takes the next argument: s const char *, i long
 * long, d double, b int, n and f nothing. */
static mo_call *new_call(const char *method, const char *shape, va_list ap) {
    mo_call *c = NULL;
    assert_mo_ok(mo_call_new(&c, method));
    mo_params *p = mo_call_values(c);
    for (const char *k = shape; *k; k++) {
        switch (*k) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            assert_mo_ok(mo_params_add_text(p, s, strlen(s)));
            break;
        }
        case 'i': assert_mo_ok(mo_params_add_int64(p, va_arg(ap, long long))); break;
        case 'd': assert_mo_ok(mo_params_add_double(p, va_arg(ap, double))); break;
        case 'b': assert_mo_ok(mo_params_add_bool(p, va_arg(ap, int))); break;
        case 'n': case 'f': assert_mo_ok(mo_params_add_null(p)); break;
        default: break;
        }
    }
    assert_mo_ok(mo_call_set_shape(c, shape));
    return c;
}

/* Run a call that must succeed (returned for its outcome; the caller frees it). */
static mo_call *run(fixture *f, const char *method, const char *shape, ...) {
    va_list ap;
    va_start(ap, shape);
    mo_call *c = new_call(method, shape, ap);
    va_end(ap);
    assert_mo_ok(mo_call_run(c, f->ex));
    return c;
}

/* The journal's statements joined by "\n;\n", then the journal cleared. */
static char *take_journal(mo_client *client) {
    size_t n = 0;
    assert_mo_ok(mo_client_journal_count(client, &n));
    mo_buf b;
    mo_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        const char *sql = NULL;
        size_t len = 0;
        assert_mo_ok(mo_client_journal_get(client, i, &sql, &len));
        if (i) mo_buf_append_str(&b, "\n;\n");
        mo_buf_append(&b, sql, len);
    }
    assert_mo_ok(mo_client_journal_clear(client));
    char *out = mo_strdup(mo_buf_cstr(&b));
    mo_buf_free(&b);
    return out;
}

/* The journal of a successful call (its outcome dropped). */
static char *sql_of(fixture *f, const char *method, const char *shape, ...) {
    va_list ap;
    va_start(ap, shape);
    mo_call *c = new_call(method, shape, ap);
    va_end(ap);
    mo_status st = mo_call_run(c, f->ex);
    if (st < 0) mo_test_print_error(st, method);
    assert_true(st >= 0);
    mo_call_free(c);
    return take_journal(f->client);
}

/* The call's SQL equals what the direct C call `direct` writes. */
#define SAME_SQL(f, direct, ...)                                                           \
    do {                                                                                   \
        char *via_call_ = sql_of((f), __VA_ARGS__);                                        \
        assert_mo_ok(direct);                                                              \
        char *direct_ = take_journal((f)->client);                                         \
        assert_true(direct_[0] != '\0');                                                   \
        assert_string_equal(via_call_, direct_);                                           \
        free(via_call_);                                                                   \
        free(direct_);                                                                     \
    } while (0)

/* ---------------------------------------------------------------- (a) the vectors */

static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    mo_buf b;
    mo_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) mo_buf_append(&b, chunk, n);
    fclose(fp);
    assert_true(mo_buf_ok(&b));
    return mo_buf_detach(&b, len);
}

static const char *member(const mo_json *j, const char *key) {
    const mo_json *m = mo_json_get(j, key);
    return m && m->type == MO_JSON_STRING ? m->string : NULL;
}

static void every_argument_error_vector(void **state) {
    fixture *f = *state;
    size_t len = 0, cases = 0;
    char *text = read_file(MOCORE_MANAGER_VECTORS_JSON, &len);
    const char *error = NULL;
    mo_json *doc = mo_json_parse(text, len, &error);
    assert_non_null(doc);
    const mo_json *list = mo_json_get(doc, "case");
    assert_non_null(list);
    for (const mo_json *k = list->child; k; k = k->next, cases++) {
        char method[128];
        snprintf(method, sizeof method, "%s.%s", member(k, "manager"), member(k, "method"));
        mo_call *c = NULL;
        assert_mo_ok(mo_call_new(&c, method));
        mo_buf shape;
        mo_buf_init(&shape);
        const mo_json *args = mo_json_get(k, "args"), *kwargs = mo_json_get(k, "kwargs");
        mo_buf_append_char(&shape, '(');
        for (const mo_json *a = args ? args->child : NULL; a; a = a->next)
            add_json(&shape, mo_call_values(c), a);
        mo_buf_append_char(&shape, ')');
        if (kwargs) add_json(&shape, mo_call_values(c), kwargs);
        assert_mo_ok(mo_call_set_shape(c, mo_buf_cstr(&shape)));
        mo_status st = mo_call_run(c, f->ex);
        const mo_error *e = mo_error_last();
        if (st >= 0 || strcmp(mo_error_message(e), member(k, "message")) != 0 ||
            strcmp(mo_error_operation(e), member(k, "operation")) != 0)
            print_message("case %s %s: got status %d, %s: %s\n", method, mo_buf_cstr(&shape), st,
                          mo_error_operation(e), mo_error_message(e));
        assert_true(st < 0);
        assert_string_equal(mo_error_category_name(mo_error_category(e)), member(k, "category"));
        assert_string_equal(mo_error_operation(e), member(k, "operation"));
        assert_string_equal(mo_error_message(e), member(k, "message"));
        JOURNAL_EMPTY(f->client);
        mo_buf_free(&shape);
        mo_call_free(c);
    }
    assert_true(cases >= 30);
    mo_json_free(doc);
    free(text);
}

/* The arity mistakes are marked as such (Python raises them as TypeError too); the others
 * are not. */
static void arity_mistakes_are_marked(void **state) {
    fixture *f = *state;
    mo_call *c = NULL;
    assert_mo_ok(mo_call_new(&c, "snapshots.get"));
    assert_mo_ok(mo_call_set_shape(c, "()"));
    error_is(mo_call_run(c, f->ex), MO_E_INVALID_ARGUMENT, "snapshots.get", "name is required");
    assert_true(mo_call_arity_mistake(c));
    assert_mo_ok(mo_params_add_null(mo_call_values(c)));
    assert_mo_ok(mo_call_set_shape(c, "(n)"));
    error_is(mo_call_run(c, f->ex), MO_E_INVALID_ARGUMENT, "snapshots.get", "name is required");
    assert_false(mo_call_arity_mistake(c));
    mo_call_free(c);
    error_is(mo_call_new(&c, "snapshots.nope"), MO_E_INVALID_ARGUMENT, "call.new", NULL);
    assert_null(c);
    /* a string holding NUL never reaches C */
    assert_mo_ok(mo_call_new(&c, "snapshots.get"));
    assert_mo_ok(mo_params_add_text(mo_call_values(c), "a\0b", 3));
    assert_mo_ok(mo_call_set_shape(c, "(s)"));
    error_is(mo_call_run(c, f->ex), MO_E_INVALID_ARGUMENT, "snapshots.get",
             "argument 'name' contains a NUL byte at offset 1: names and options cannot hold "
             "NUL (it would cut the value short)");
    /* a shape that does not match its values is refused */
    assert_mo_ok(mo_call_set_shape(c, "(ss)"));
    error_is(mo_call_run(c, f->ex), MO_E_INVALID_ARGUMENT, "call.run", NULL);
    mo_call_free(c);
    JOURNAL_EMPTY(f->client);
}

/* The error of a call that must fail, and its mistake kind (mo_call_arity_mistake). */
static int fails(fixture *f, const char *op, const char *message, const char *method,
                 const char *shape, ...) {
    va_list ap;
    va_start(ap, shape);
    mo_call *c = new_call(method, shape, ap);
    va_end(ap);
    error_is(mo_call_run(c, f->ex), MO_E_INVALID_ARGUMENT, op, message);
    int kind = mo_call_arity_mistake(c);
    mo_call_free(c);
    JOURNAL_EMPTY(f->client);
    return kind;
}

static void map_forms_and_mistake_kinds(void **state) {
    fixture *f = *state;
    mo_executor *ex = f->ex;
    /* an empty list is the empty map; a list of (key, value) lists a map in that order */
    assert_int_equal(fails(f, "table.insert", "data must not be empty", "table.insert", "(s())", "t"), 0);
    const char *names[] = {"id", "v"}, *types[] = {"bigint", "vecf32(3)"};
    SAME_SQL(f, mo_table_create(ex, "t", names, types, 2, "id"), "table.create_table",
             "(s((ss)(ss))s)", "t", "id", "bigint", "v", "vecf32(3)", "id");
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    assert_mo_ok(mo_strmap_set(m, "b", "2"));
    assert_mo_ok(mo_strmap_set(m, "a", "true"));
    SAME_SQL(f, mo_stage_create(NULL, ex, "st", "s3://b", m, NULL, 0), "stage.create",
             "(ss((ss)(sb)))", "st", "s3://b", "b", "2", "a", 1);
    mo_strmap_free(m);
    /* the kinds of mistakes */
    assert_int_equal(fails(f, "snapshots.get", "too many arguments (2 for at most 1)",
                           "snapshots.get", "(ss)", "a", "b"), 1);
    assert_int_equal(fails(f, "snapshots.get", "name must be a string, not an integer",
                           "snapshots.get", "(i)", 1LL), 2);
    assert_int_equal(fails(f, "vector_ops.similarity_search",
                           "query_vector: vector elements must be numbers, not a string",
                           "vector_ops.similarity_search", "(ss(s))", "t", "v", "x"), 2);
    assert_int_equal(fails(f, "stage.create", "credentials must be a map, not a list",
                           "stage.create", "(ss((s)))", "st", "u", "k"), 2);
    /* NaN reaches the argument type: C's vector check, the SQL value check */
    assert_int_equal(fails(f, "vector_ops.similarity_search", "vector element 1 is NaN or infinite",
                           "vector_ops.similarity_search", "(ss(dd))", "t", "v", 1.0, 0.0 / 0.0), 0);
    fails(f, "table.insert", "NaN and infinity cannot be sent as SQL values", "table.insert",
          "(s{sd})", "t", "a", 1.0 / 0.0);
    /* a load option: false is no string; a setter's error is the method's */
    assert_int_equal(fails(f, "load_data.from_file", "fields_terminated_by must be a string, not a boolean",
                           "load_data.from_file", "(ss){sb}", "/f", "t", "fields_terminated_by", 0), 2);
    fails(f, "load_data.from_file", NULL, "load_data.from_file", "(ss){si}", "/f", "t",
          "ignore_lines", -1LL);
    /* aliases forward a choice word as given */
    mo_result *r = NULL;
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", NULL, "b", "s", MO_BRANCH_DIFF_COUNT, 0, NULL),
             "branch.diff", "(ssss)", "a", "b", "s", "count");
    mo_result_free(r);
}

/* ---------------------------------------------------------------- (b) the same SQL */

static void snapshots_clone_pitr_account_sql(void **state) {
    fixture *f = *state;
    mo_executor *ex = f->ex;
    SAME_SQL(f, mo_snapshots_create(NULL, ex, "s1", "cluster", NULL, NULL, NULL),
             "snapshots.create", "(ss)", "s1", "cluster");
    SAME_SQL(f, mo_snapshots_create(NULL, ex, "s2", "table", "db", "t", "why"),
             "snapshots.create", "(s){ssssssss}", "s2", "level", "table", "database", "db",
             "table", "t", "description", "why");
    SAME_SQL(f, mo_snapshots_delete(ex, "s1"), "snapshots.delete", "(s)", "s1");
    SAME_SQL(f, mo_clone_database(ex, "t", "s", "snap", 1, NULL), "clone.clone_database",
             "(sss){sb}", "t", "s", "snap", "if_not_exists", 1);
    SAME_SQL(f, mo_clone_table(ex, "d.t", "d.s", NULL, 0, "acc"), "clone.clone_table",
             "(ss){ss}", "d.t", "d.s", "to_account", "acc");
    SAME_SQL(f, mo_pitr_create_cluster(NULL, ex, "p", 1, "d"), "pitr.create_cluster_pitr",
             "(s)", "p");
    SAME_SQL(f, mo_pitr_create_table(NULL, ex, "p", "db", "t", 7, "mo"),
             "pitr.create_table_pitr", "(sssis)", "p", "db", "t", 7LL, "mo");
    SAME_SQL(f, mo_pubsub_create_database_publication(NULL, ex, "p", "db", "a1,a2"),
             "pubsub.create_database_publication", "(ss(ss))", "p", "db", "a1", "a2");
    SAME_SQL(f, mo_pubsub_create_table_publication(NULL, ex, "p", "db", "t1,t2", "all"),
             "pubsub.create_table_publication", "(sss){ss}", "p", "db", "t1,t2", "account", "all");
    SAME_SQL(f, mo_account_create_user(NULL, ex, "u", "pw", NULL), "account.create_user",
             "(ss)", "u", "pw");
    SAME_SQL(f, mo_account_alter_user(NULL, ex, "u", NULL, NULL, 1, "why"), "account.alter_user",
             "(s){sbss}", "u", "lock", 1, "lock_reason", "why");
    SAME_SQL(f, mo_account_drop_account(ex, "a", 1), "account.drop_account", "(sb)", "a", 1);
    SAME_SQL(f, mo_stage_create(NULL, ex, "st", "file:///tmp", NULL, "c", 0), "stage.create",
             "(ss){ss}", "st", "file:///tmp", "comment", "c");
}

static void branch_and_its_aliases_sql(void **state) {
    fixture *f = *state;
    mo_executor *ex = f->ex;
    mo_result *r = NULL;
    SAME_SQL(f, mo_branch_create_table(ex, "t", "s", NULL, NULL), "branch.create", "(ss)", "t", "s");
    SAME_SQL(f, mo_branch_create_table(ex, "t", "s", "snap", NULL), "branch.create", "(sss)",
             "t", "s", "snap");
    SAME_SQL(f, mo_branch_create_database(ex, "d2", "d1"), "branch.create", "(ss){sb}", "d2",
             "d1", "database", 1);
    SAME_SQL(f, mo_branch_delete_table(ex, "t"), "branch.delete", "(s)", "t");
    SAME_SQL(f, mo_branch_delete_database(ex, "d"), "branch.delete", "(s){sb}", "d", "database", 1);
    SAME_SQL(f, mo_branch_merge_table(ex, "a", "b", "skip"), "branch.merge", "(ss)", "a", "b");
    SAME_SQL(f, mo_branch_merge_table(ex, "a", "b", "accept"), "branch.merge_table", "(sss)",
             "a", "b", "accept");
    /* diff_table: output picks what reaches output_target */
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", NULL, "b", NULL, MO_BRANCH_DIFF_ROWS, 0, NULL),
             "branch.diff_table", "(ss)", "a", "b");
    mo_result_free(r);
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", "s0", "b", "s1", MO_BRANCH_DIFF_COUNT, 0, NULL),
             "branch.diff_table", "(sss){ssss}", "a", "b", "s1",
             "output", "COUNT", "table_snapshot", "s0");
    mo_result_free(r);
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", NULL, "b", NULL, MO_BRANCH_DIFF_LIMIT, 5, NULL),
             "branch.diff_table", "(ss){sssi}", "a", "b", "output", "limit", "limit", 5LL);
    mo_result_free(r);
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", NULL, "b", NULL, MO_BRANCH_DIFF_FILE, 0, "/tmp/d"),
             "branch.diff_table", "(ss){ssss}", "a", "b", "output", "file", "output_file", "/tmp/d");
    mo_result_free(r);
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", NULL, "b", NULL, MO_BRANCH_DIFF_AS_TABLE, 0, "t2"),
             "branch.diff_table", "(ss){ssss}", "a", "b", "output", "as_table", "output_table", "t2");
    mo_result_free(r);
    SAME_SQL(f, mo_branch_diff_table(&r, ex, "a", NULL, "b", NULL, MO_BRANCH_DIFF_COUNT, 0, NULL),
             "branch.diff", "(ssns)", "a", "b", "count");
    mo_result_free(r);
}

static void load_data_options_and_readers_sql(void **state) {
    fixture *f = *state;
    mo_executor *ex = f->ex;
    mo_load_options *o = NULL;
    /* from_file: the default separator is set, as the SDK does */
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, ","));
    SAME_SQL(f, mo_load_data_from_file(ex, "/f.csv", "t", o, NULL), "load_data.from_file",
             "(ss)", "/f.csv", "t");
    mo_load_options_free(o);
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, ";"));
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, "\"", 1));
    assert_mo_ok(mo_load_options_set_ignore_lines(o, 1));
    assert_mo_ok(mo_load_options_add_column(o, "a"));
    assert_mo_ok(mo_load_options_add_column(o, "b"));
    assert_mo_ok(mo_load_options_set_parallel(o, 1));
    assert_mo_ok(mo_load_options_add_set_expression(o, "c", "NOW()"));
    SAME_SQL(f, mo_load_data_from_file(ex, "/f.csv", "db.t", o, NULL), "load_data.from_file",
             "(ss){sssssbsis(ss)sbs{ss}}", "/f.csv", "db.t", "fields_terminated_by", ";",
             "fields_enclosed_by", "\"", "fields_optionally_enclosed", 1, "ignore_lines", 1LL,
             "columns", "a", "b", "parallel", 1, "set_clause", "c", "NOW()");
    mo_load_options_free(o);
    /* read_csv: its pandas-like names become the options */
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, "|"));
    assert_mo_ok(mo_load_options_set_ignore_lines(o, 2));
    assert_mo_ok(mo_load_options_add_column(o, "x"));
    SAME_SQL(f, mo_load_data_from_file(ex, "/f.csv", "t", o, NULL), "load_data.read_csv",
             "(ss){sssiss}", "/f.csv", "t", "sep", "|",
             "skiprows", 2LL, "names", "x");
    mo_load_options_free(o);
    /* read_json: jsonline, objects, no field separator */
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_format(o, "jsonline"));
    assert_mo_ok(mo_load_options_set_jsondata(o, "array"));
    SAME_SQL(f, mo_load_data_from_file(ex, "/f.jl", "t", o, NULL), "load_data.read_json",
             "(ss){ss}", "/f.jl", "t", "orient", "VALUES");
    mo_load_options_free(o);
    /* read_csv with inline = true: read_csv_inline, the text itself */
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, ","));
    assert_mo_ok(mo_load_options_set_format(o, "csv"));
    SAME_SQL(f, mo_load_data_from_inline(ex, "1,2\n", 4, "t", o, NULL), "load_data.read_csv",
             "(ss){sb}", "1,2\n", "t", "inline", 1);
    mo_load_options_free(o);
    /* read_parquet_stage */
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_format(o, "parquet"));
    SAME_SQL(f, mo_load_data_from_stage(ex, "stg", "f.parquet", "t", o, NULL),
             "load_data.read_parquet_stage", "(sss)", "stg", "f.parquet", "t");
    mo_load_options_free(o);
}

static void cdc_vector_metadata_sql(void **state) {
    fixture *f = *state;
    mo_executor *ex = f->ex;
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    assert_mo_ok(mo_strmap_set(m, "db.t", NULL));
    assert_mo_ok(mo_strmap_set(m, "db.u", "db2"));
    assert_mo_ok(mo_strmap_set(m, "a.b:c.d", NULL));
    SAME_SQL(f, mo_cdc_create_table_task(NULL, ex, "task", "mysql://u:p@h:1", "mysql",
                                         "mysql://u:p@h:2", m, NULL),
             "cdc.create_table_task", "(ssss((ss)(sss)s))", "task", "mysql://u:p@h:1", "mysql",
             "mysql://u:p@h:2", "db", "t", "db", "u", "db2", "a.b:c.d");
    mo_strmap_free(m);
    assert_mo_ok(mo_strmap_new(&m));
    assert_mo_ok(mo_strmap_set(m, "db.t:db2.t", NULL));
    SAME_SQL(f, mo_cdc_create_table_task(NULL, ex, "task", "src", "matrixone", "sink", m, NULL),
             "cdc.create_table_task", "(ssss){s{ss}}", "task", "src", "matrixone", "sink",
             "table_mappings", "db.t", "db2.t");
    mo_strmap_free(m);

    mo_result *r = NULL;
    const double q[] = {1.0, 2.5};
    SAME_SQL(f, mo_vector_similarity_search(&r, ex, "t", "v", q, 2, MO_VECTOR_F64, 5, NULL, NULL,
                                            NULL, MO_VECTOR_COSINE),
             "vector_ops.similarity_search", "(ss(dd)i){ss}", "t", "v", 1.0, 2.5, 5LL,
             "distance_type", "Cosine");
    mo_result_free(r);
    SAME_SQL(f, mo_vector_range_search(&r, ex, "t", "v", q, 2, MO_VECTOR_F64, 0.5, "id, v", NULL,
                                       NULL),
             "vector_ops.range_search", "(ss(dd)d(ss))", "t", "v", 1.0, 2.5, 0.5, "id", "v");
    mo_result_free(r);
    SAME_SQL(f, mo_vector_create_ivf(ex, "t", "idx", "v", 100, MO_VECTOR_L2), "vector_ops.create_ivf",
             "(sss)", "t", "idx", "v");

    mo_metadata_row_list *rows = NULL;
    SAME_SQL(f, mo_metadata_scan(&r, ex, "db", "t", 0, NULL, 0, NULL), "metadata.scan", "(ss)",
             "db", "t");
    mo_result_free(r);
    SAME_SQL(f, mo_metadata_scan_rows(&rows, ex, "db", "t", 1, NULL, 0), "metadata.scan",
             "(ssb){ss}", "db", "t", 1, "columns", "*");
    mo_metadata_row_list_free(rows);
    SAME_SQL(f, mo_metadata_scan(&r, ex, "db", "t", 0, "i", 1, "rows_cnt, null_cnt"),
             "metadata.scan", "(ss){sssbs(ss)}", "db", "t", "indexname", "i",
             "distinct_object_name", 1, "columns", "rows_cnt", "null_cnt");
    mo_result_free(r);
}

/* ---------------------------------------------------------------- (c) outcomes */

static void outcomes(void **state) {
    fixture *f = *state;
    size_t len = 0;
    /* a record: the map of its fields in mo_swig_record_fields order */
    mo_call *c = run(f, "snapshots.create", "(ss)", "s1", "cluster");
    assert_string_equal(mo_call_outcome_shape(c), "{sssnsnsnsnsnsisn}");
    assert_string_equal(mo_call_outcome_kind(c), "record");
    assert_string_equal(mo_call_outcome_text(c, 0, &len), "name");
    assert_string_equal(mo_call_outcome_text(c, 1, &len), "s1");
    assert_int_equal(len, 2);
    assert_string_equal(mo_call_outcome_text(c, 12, NULL), "ts");
    assert_int_equal(mo_call_outcome_int(c, 13), 0);
    assert_null(mo_call_outcome_text(c, 13, &len));
    mo_call_free(c);
    free(take_journal(f->client));
    /* a list of records (the dry run reads none) */
    c = run(f, "snapshots.list", "()");
    assert_string_equal(mo_call_outcome_shape(c), "()");
    assert_string_equal(mo_call_outcome_kind(c), "records");
    mo_call_free(c);
    /* a count */
    c = run(f, "load_data.from_inline", "(ss)", "1\n", "t");
    assert_string_equal(mo_call_outcome_shape(c), "i");
    assert_int_equal(mo_call_outcome_int(c, 0), 0);
    mo_call_free(c);
    /* a result: the handle, taken once */
    c = run(f, "cdc.show_all", "()");
    assert_string_equal(mo_call_outcome_shape(c), "r");
    mo_result *r = mo_call_take_result(c);
    assert_non_null(r);
    assert_null(mo_call_take_result(c));
    mo_result_free(r);
    mo_call_free(c);
    /* a result not taken is released with the call */
    c = run(f, "metadata.scan", "(ss){s(ss)}", "db", "t", "columns", "min", "max");
    assert_string_equal(mo_call_outcome_kind(c), "dicts");
    mo_call_free(c);
    /* a flag, and self */
    c = run(f, "snapshots.exists", "(s)", "s1");
    assert_string_equal(mo_call_outcome_shape(c), "b");
    mo_call_free(c);
    c = run(f, "vector_ops.enable_ivf", "()");
    assert_string_equal(mo_call_outcome_shape(c), "");
    assert_string_equal(mo_call_outcome_kind(c), "self");
    mo_call_free(c);
    /* an empty list of rows sends nothing */
    c = run(f, "table.batch_insert", "(s())", "t");
    assert_string_equal(mo_call_outcome_shape(c), "{s()s()si}");
    assert_int_equal(mo_call_outcome_int(c, 2), 0);
    mo_call_free(c);
    mo_client_journal_clear(f->client);
    /* one row */
    c = run(f, "table.insert", "(s{sisn})", "t", "a", 1LL, "b");
    assert_int_equal(mo_call_outcome_int(c, 2), 0);
    mo_call_free(c);
    char *sql = take_journal(f->client);
    assert_string_equal(sql, "INSERT INTO `t` (`a`, `b`) VALUES (1, NULL)");
    free(sql);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        mo_test_dry_run_test(every_argument_error_vector),
        mo_test_dry_run_test(arity_mistakes_are_marked),
        mo_test_dry_run_test(map_forms_and_mistake_kinds),
        mo_test_dry_run_test(snapshots_clone_pitr_account_sql),
        mo_test_dry_run_test(branch_and_its_aliases_sql),
        mo_test_dry_run_test(load_data_options_and_readers_sql),
        mo_test_dry_run_test(cdc_vector_metadata_sql),
        mo_test_dry_run_test(outcomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
