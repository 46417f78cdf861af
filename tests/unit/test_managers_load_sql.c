/* The SQL of load_data, stage, cdc and export, checked through the dry-run journal.
 *
 * 1. Conformance: every vector of tests/conformance/load_stage_cdc_vectors.json (a copy of the
 *    SDK's vectors for these managers) is replayed from its JSON arguments. The journal is
 *    compared, whitespace-normalised, with the mocore text stated in `expectations` below
 *    (mocore backtick-quotes names the SDK pastes raw and escapes '"' inside literals), and
 *    that mocore text must say the same as the SDK's: with the identifier backticks removed
 *    and \" written as ", it equals the vector's expected SQL.
 * 2. Own cases for every method the vectors miss, validation messages and categories.
 * 3. An injection sweep: hostile text in every name and value argument is either quoted so
 *    the statement means what was asked, or rejected with MO_E_INVALID_ARGUMENT; nothing else
 *    reaches the journal. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_support.h"
#include "connection.h" /* internal: the JSON reader, posing as another server */

typedef mo_test_dry_run fixture;


/* ------------------------------------------------------------------ journal helpers */

static size_t journal_count(mo_client *c) {
    size_t n = 0;
    assert_mo_ok(mo_client_journal_count(c, &n));
    return n;
}

static const char *journal_at(mo_client *c, size_t i) {
    const char *sql = NULL;
    size_t len = 0;
    assert_mo_ok(mo_client_journal_get(c, i, &sql, &len));
    return sql;
}

/* ------------------------------------------------------------------ the vector file */

typedef struct {
    char *text;
    size_t len;
    mo_json *all; /* the parsed array (src/core/json.c, the library's one JSON reader) */
} vectors_file;

static vectors_file load_vectors(void) {
    vectors_file v = {0};
    FILE *fp = fopen(MOCORE_SOURCE_DIR "/tests/conformance/load_stage_cdc_vectors.json", "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    v.text = malloc((size_t)n + 1);
    assert_int_equal(fread(v.text, 1, (size_t)n, fp), (size_t)n);
    v.text[n] = 0;
    v.len = (size_t)n;
    fclose(fp);
    const char *why = NULL;
    v.all = mo_json_parse(v.text, v.len, &why);
    if (!v.all) fail_msg("vectors: %s", why);
    assert_int_equal(v.all->type, MO_JSON_ARRAY);
    return v;
}

/* The node at "a.b.0" below vector `index` (object members by name, array elements by
 * number), or NULL. */
static const mo_json *jnode(const vectors_file *v, size_t index, const char *path) {
    const mo_json *j = mo_json_at(v->all, index);
    char part[128];
    while (j && *path) {
        size_t n = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, path);
        if (j->type == MO_JSON_ARRAY) j = mo_json_at(j, (size_t)atoi(part));
        else j = mo_json_get(j, part);
        path += n + (path[n] == '.');
    }
    return j;
}

/* The value at `path`: a string (malloc'd; numbers as integers, booleans as true/false), or
 * NULL when absent or null. */
static char *jget(const vectors_file *v, size_t index, const char *path) {
    const mo_json *j = jnode(v, index, path);
    if (!j || j->type == MO_JSON_NULL) return NULL;
    char buf[64];
    switch (j->type) {
    case MO_JSON_STRING: return strdup(j->string);
    case MO_JSON_NUMBER: snprintf(buf, sizeof buf, "%lld", (long long)j->number); return strdup(buf);
    case MO_JSON_BOOL: return strdup(j->boolean ? "true" : "false");
    default: return strdup("");
    }
}

static int jtrue(const vectors_file *v, size_t index, const char *path) {
    char *s = jget(v, index, path);
    int t = s && !strcmp(s, "true");
    free(s);
    return t;
}

/* ------------------------------------------------------------------ replaying a vector */

/* Separates the statements of a sequence in the expected texts below. */
#define SEQ "\x1e"

/* What mocore sends for each vector, in file order ("manager.method#n"). SEQ separates the
 * statements of a sequence. For build_mysql_uri the value is the URI; NULL = not applicable
 * (with the reason in the comment). */
static const char *const expectations[] = {
    /* load_data.read_csv#1..#6, load_data.from_file#1 */
    "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ','",
    "LOAD DATA INFILE '/path/to/data.txt' INTO TABLE `test_table` FIELDS TERMINATED BY '|'",
    "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ',' "
    "ENCLOSED BY '\"'",
    "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ',' "
    "IGNORE 1 LINES",
    "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ',' "
    "(`id`, `name`, `email`)",
    "LOAD DATA INFILE '/path/to/data.csv' INTO TABLE `test_table` FIELDS TERMINATED BY ',' "
    "PARALLEL 'true'",
    "LOAD DATA INFILE '/path/to/data.txt' INTO TABLE `test_table` FIELDS TERMINATED BY '|' "
    "ENCLOSED BY '\"' IGNORE 1 LINES",
    /* stage.create#1..#4 */
    "CREATE STAGE `my_stage` URL='file:///data/'",
    "CREATE STAGE IF NOT EXISTS `my_stage` URL='file:///data/'",
    "CREATE STAGE `my_stage` URL='file:///data/' COMMENT='test stage'",
    "CREATE STAGE `s3_stage` URL='s3://bucket/path/' CREDENTIALS={'AWS_KEY_ID'='key123', "
    "'AWS_SECRET_KEY'='secret456'}",
    /* stage.alter#1..#4 (each reads the stage back) */
    "ALTER STAGE `my_stage` SET URL='file:///new/'" SEQ "SELECT stage_name, url, stage_status, comment, "
    "created_time FROM mo_catalog.mo_stages WHERE stage_name = 'my_stage'",
    "ALTER STAGE `my_stage` SET ENABLE=FALSE" SEQ "SELECT stage_name, url, stage_status, comment, "
    "created_time FROM mo_catalog.mo_stages WHERE stage_name = 'my_stage'",
    "ALTER STAGE `test_stage` SET URL='file:///new/path/' COMMENT='Updated' ENABLE=TRUE" SEQ "SELECT "
    "stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages WHERE "
    "stage_name = 'test_stage'",
    "ALTER STAGE IF EXISTS `my_stage` SET COMMENT='test'" SEQ "SELECT stage_name, url, stage_status, "
    "comment, created_time FROM mo_catalog.mo_stages WHERE stage_name = 'my_stage'",
    /* stage.drop#1, #2, show#1, #2, list#1, get#1: the SDK's text but for the quoted name */
    "DROP STAGE `my_stage`",
    "DROP STAGE IF EXISTS `my_stage`",
    "SHOW STAGES",
    "SHOW STAGES LIKE 'my_stage%'",
    "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages",
    "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages WHERE "
    "stage_name = 'my_stage'",
    /* cdc.build_mysql_uri#1, #2 (values); #3: a string port is a type error in Python; in C the
     * port is an unsigned int, so the case cannot arise (port 0 is checked below instead) */
    "mysql://root:111@127.0.0.1:6001",
    "mysql://acc#admin:pwd@127.0.0.1:6001",
    NULL,
    /* cdc.create_table_task#1..#3 */
    "CREATE CDC `table_alpha` 'mysql://src' 'matrixone' 'mysql://sink' "
    "'db1.orders:backup_db.orders' {'NoFull'='true', 'Frequency'='1h', 'Level'='table'}",
    "CREATE CDC `table_beta` 'mysql://src' 'matrixone' 'mysql://sink' "
    "'db1.customers:backup_db.customers' {'Frequency'='2h', 'MaxSqlLength'='2097152', "
    "'Level'='table'}",
    "CREATE CDC `table_gamma` 'mysql://src' 'matrixone' 'mysql://sink' "
    "'db1.events:backup_db.events' {'Frequency'='24h', 'SendSqlTimeout'='45m', "
    "'InitSnapshotSplitTxn'='false', 'Level'='table'}",
    /* cdc.drop, drop_all, pause, pause_all, resume, restart, show_all, show_task */
    "DROP CDC TASK `cdc_task`",
    "DROP CDC ALL",
    "PAUSE CDC TASK `cdc_task`",
    "PAUSE CDC ALL",
    "RESUME CDC TASK `task1`",
    "RESUME CDC TASK `task1` 'restart'",
    "SHOW CDC ALL",
    "SHOW CDC TASK `task_x`",
};

/* Build a strmap from the JSON object at path (values as text, in document order). */
static mo_strmap *jmap(const vectors_file *v, size_t index, const char *path) {
    const mo_json *obj = jnode(v, index, path);
    if (!obj || obj->type != MO_JSON_OBJECT) return NULL;
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    for (const mo_json *c = obj->child; c; c = c->next) {
        char sub[300];
        snprintf(sub, sizeof sub, "%s.%s", path, c->key);
        char *value = jget(v, index, sub);
        assert_mo_ok(mo_strmap_set(m, c->key, value));
        free(value);
    }
    return m;
}

/* Run vector i; returns 0 when it is not applicable. *value gets a non-SQL result. */
static int replay(fixture *f, const vectors_file *v, size_t i, char **value) {
    char *manager = jget(v, i, "manager"), *method = jget(v, i, "method");
    int ran = 1;
    *value = NULL;
#define A(name) jget(v, i, "args." name)
    if (!strcmp(manager, "load_data")) {
        mo_load_options *o = NULL;
        assert_mo_ok(mo_load_options_new(&o));
        char *path, *table, *sep, *quote, *skip;
        if (!strcmp(method, "read_csv")) {
            path = A("filepath_or_buffer"), table = A("table"), sep = A("sep"),
            quote = A("quotechar"), skip = A("skiprows");
            for (size_t k = 0;; k++) {
                char p[64];
                snprintf(p, sizeof p, "args.names.%zu", k);
                char *col = jget(v, i, p);
                if (!col) break;
                assert_mo_ok(mo_load_options_add_column(o, col));
                free(col);
            }
            if (jtrue(v, i, "args.parallel")) assert_mo_ok(mo_load_options_set_parallel(o, 1));
        } else {
            path = A("file_path"), table = A("table_name_or_model"),
            sep = A("fields_terminated_by"), quote = A("fields_enclosed_by"),
            skip = A("ignore_lines");
        }
        if (sep) assert_mo_ok(mo_load_options_set_fields_terminated_by(o, sep));
        if (quote) assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, quote, 0));
        if (skip) assert_mo_ok(mo_load_options_set_ignore_lines(o, atoll(skip)));
        assert_mo_ok(mo_load_data_from_file(f->ex, path, table, o, NULL));
        mo_load_options_free(o);
        free(path), free(table), free(sep), free(quote), free(skip);
    } else if (!strcmp(manager, "stage")) {
        char *name = A("name"), *url = A("url"), *comment = A("comment"), *like = A("like_pattern");
        mo_strmap *creds = jmap(v, i, "args.credentials");
        char *enable = A("enable");
        int en = enable ? !strcmp(enable, "true") : -1;
        if (!strcmp(method, "create")) {
            mo_stage *s = NULL;
            assert_mo_ok(mo_stage_create(&s, f->ex, name, url, creds, comment,
                                         jtrue(v, i, "args.if_not_exists")));
            assert_string_equal(mo_stage_name(s), name);
            assert_string_equal(mo_stage_status(s), "enabled");
            mo_stage_free(s);
        } else if (!strcmp(method, "alter")) {
            mo_stage *s = NULL;
            assert_mo_ok(mo_stage_alter(&s, f->ex, name, url, creds, comment, en,
                                        jtrue(v, i, "args.if_exists")));
            assert_string_equal(mo_stage_name(s), name); /* dry-run read-back */
            mo_stage_free(s);
        } else if (!strcmp(method, "drop")) {
            assert_mo_ok(mo_stage_drop(f->ex, name, jtrue(v, i, "args.if_exists")));
        } else if (!strcmp(method, "show")) {
            mo_stage_list *l = NULL;
            assert_mo_ok(mo_stage_show(&l, f->ex, like));
            assert_int_equal(mo_stage_list_count(l), 0);
            mo_stage_list_free(l);
        } else if (!strcmp(method, "list")) {
            mo_stage_list *l = NULL;
            assert_mo_ok(mo_stage_list_stages(&l, f->ex));
            mo_stage_list_free(l);
        } else if (!strcmp(method, "get")) {
            mo_stage *s = NULL;
            assert_mo_ok(mo_stage_get(&s, f->ex, name));
            mo_stage_free(s);
        } else {
            fail_msg("unknown stage method %s", method);
        }
        mo_strmap_free(creds);
        free(name), free(url), free(comment), free(like), free(enable);
    } else if (!strcmp(manager, "cdc")) {
        char *task = A("task_name");
        if (!strcmp(method, "build_mysql_uri")) {
            char *port = A("port");
            const mo_json *pj = jnode(v, i, "args.port");
            if (!pj || pj->type != MO_JSON_NUMBER) {
                ran = 0; /* a string port: not expressible in C */
            } else {
                char *host = A("host"), *user = A("user"), *pw = A("password"),
                     *acc = A("account");
                const char *uri = NULL;
                assert_mo_ok(mo_cdc_build_mysql_uri(f->ex, &uri, host, (unsigned)atoi(port), user,
                                                    pw, acc));
                *value = strdup(uri);
                free(host), free(user), free(pw), free(acc);
            }
            free(port);
        } else if (!strcmp(method, "create_table_task")) {
            char *src = A("source_uri"), *type = A("sink_type"), *sink = A("sink_uri");
            mo_strmap *maps = NULL, *opts = jmap(v, i, "args.options");
            assert_mo_ok(mo_strmap_new(&maps));
            for (size_t k = 0;; k++) {
                char p[64];
                snprintf(p, sizeof p, "args.table_mappings.%zu.0", k);
                char *a = jget(v, i, p);
                if (!a) break;
                char *parts[4] = {a, NULL, NULL, NULL};
                size_t n = 1;
                for (; n < 4; n++) {
                    snprintf(p, sizeof p, "args.table_mappings.%zu.%zu", k, n);
                    if (!(parts[n] = jget(v, i, p))) break;
                }
                /* the SDK's tuple forms onto (key, value) */
                char key[256], val[256];
                if (n == 2 && strchr(parts[0], '.') && strchr(parts[1], '.')) {
                    snprintf(key, sizeof key, "%s", parts[0]);
                    snprintf(val, sizeof val, "%s", parts[1]);
                } else if (n == 4) {
                    snprintf(key, sizeof key, "%s.%s", parts[0], parts[1]);
                    snprintf(val, sizeof val, "%s.%s", parts[2], parts[3]);
                } else {
                    fail_msg("mapping form not in the vectors: %zu parts", n);
                }
                assert_mo_ok(mo_strmap_set(maps, key, val));
                for (size_t q = 0; q < n; q++) free(parts[q]);
            }
            mo_cdc_task *t = NULL;
            assert_mo_ok(mo_cdc_create_table_task(&t, f->ex, task, src, type, sink, maps, opts));
            assert_string_equal(mo_cdc_task_name(t), task);
            mo_cdc_task_free(t);
            mo_strmap_free(maps);
            mo_strmap_free(opts);
            free(src), free(type), free(sink);
        } else if (!strcmp(method, "drop")) {
            assert_mo_ok(mo_cdc_drop(f->ex, task));
        } else if (!strcmp(method, "drop_all")) {
            assert_mo_ok(mo_cdc_drop_all(f->ex));
        } else if (!strcmp(method, "pause")) {
            assert_mo_ok(mo_cdc_pause(f->ex, task));
        } else if (!strcmp(method, "pause_all")) {
            assert_mo_ok(mo_cdc_pause_all(f->ex));
        } else if (!strcmp(method, "resume")) {
            assert_mo_ok(mo_cdc_resume(f->ex, task));
        } else if (!strcmp(method, "restart")) {
            assert_mo_ok(mo_cdc_restart(f->ex, task));
        } else if (!strcmp(method, "show_all") || !strcmp(method, "show_task")) {
            mo_result *r = NULL;
            if (task) assert_mo_ok(mo_cdc_show_task(&r, f->ex, task));
            else assert_mo_ok(mo_cdc_show_all(&r, f->ex));
            assert_int_equal(mo_result_next(r), MO_DONE);
            mo_result_free(r);
        } else {
            fail_msg("unknown cdc method %s", method);
        }
        free(task);
    } else {
        fail_msg("unknown manager %s", manager);
    }
#undef A
    free(manager);
    free(method);
    return ran;
}

static void every_vector_replays_to_the_stated_mocore_sql(void **state) {
    fixture *f = *state;
    vectors_file v = load_vectors();
    size_t count = mo_json_count(v.all), checked = 0;
    assert_int_equal(count, sizeof expectations / sizeof expectations[0]);
    for (size_t i = 0; i < count; i++) {
        char *value = NULL;
        int ran = replay(f, &v, i, &value);
        if (!expectations[i]) {
            assert_false(ran);
            assert_int_equal(journal_count(f->client), 0);
            continue;
        }
        assert_true(ran);
        char *sdk_value = jget(&v, i, "expected_value");
        if (sdk_value) {
            /* a value, not SQL: mocore gives the SDK's text (nothing needed encoding) */
            assert_string_equal(value, expectations[i]);
            assert_string_equal(value, sdk_value);
            assert_int_equal(journal_count(f->client), 0);
            free(sdk_value);
            free(value);
            checked++;
            continue;
        }
        /* the mocore statements, one per '|' */
        char *want = strdup(expectations[i]);
        size_t n = journal_count(f->client), k = 0;
        for (char *save = NULL, *part = strtok_r(want, SEQ, &save); part;
             part = strtok_r(NULL, SEQ, &save), k++) {
            assert_true(k < n);
            char *got = mo_test_normalise(journal_at(f->client, k), 0);
            char *expect = mo_test_normalise(part, 0);
            if (strcmp(got, expect)) {
                fprintf(stderr, "vector %zu statement %zu:\n got  [%s]\n want [%s]\n", i, k, got,
                        expect);
                fail();
            }
            /* the same statement as the SDK's, up to quoting */
            char path[64];
            snprintf(path, sizeof path, "expected_sql_sequence.%zu", k);
            char *sdk = jget(&v, i, path);
            if (!sdk && k == 0) sdk = jget(&v, i, "expected_sql");
            assert_non_null(sdk);
            char *a = mo_test_normalise(part, 1), *b = mo_test_normalise(sdk, 1);
            if (strcmp(a, b)) {
                fprintf(stderr, "vector %zu differs from the SDK beyond quoting:\n mocore [%s]\n sdk "
                                "   [%s]\n", i, a, b);
                fail();
            }
            free(a), free(b), free(sdk), free(got), free(expect);
        }
        assert_int_equal(k, n);
        char *seq_extra = NULL;
        {
            char path[64];
            snprintf(path, sizeof path, "expected_sql_sequence.%zu", k);
            seq_extra = jget(&v, i, path);
        }
        assert_null(seq_extra); /* the SDK sends nothing more */
        free(want);
        assert_mo_ok(mo_client_journal_clear(f->client));
        checked++;
    }
    fprintf(stderr, "conformance: %zu vectors, %zu checked, %zu not applicable\n", count, checked,
            count - checked);
    assert_int_equal(checked, 34);
    mo_json_free(v.all);
    free(v.text);
}

/* ------------------------------------------------------------------ load_data: own cases */

static void load_options_every_clause(void **state) {
    fixture *f = *state;
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_character_set(o, "utf8mb4"));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, "\t"));
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, "'", 1));
    assert_mo_ok(mo_load_options_set_fields_escaped_by(o, "\\"));
    assert_mo_ok(mo_load_options_set_lines_starting_by(o, "> "));
    assert_mo_ok(mo_load_options_set_lines_terminated_by(o, "\r\n"));
    assert_mo_ok(mo_load_options_set_ignore_lines(o, 2));
    assert_mo_ok(mo_load_options_add_column(o, "id"));
    assert_mo_ok(mo_load_options_add_column(o, "@raw"));
    assert_mo_ok(mo_load_options_add_set_value(o, "src", "it's"));
    assert_mo_ok(mo_load_options_add_set_expression(o, "name", "UPPER(@raw)"));
    assert_mo_ok(mo_load_options_set_parallel(o, 1));
    uint64_t rows = 7;
    assert_mo_ok(mo_load_data_from_file(f->ex, "/data/in.tsv", "db.t", o, &rows));
    assert_int_equal(rows, 0);
    JOURNAL(f->client, "LOAD DATA INFILE '/data/in.tsv' INTO TABLE `db`.`t` CHARACTER SET utf8mb4 "
                       "FIELDS TERMINATED BY '\t' OPTIONALLY ENCLOSED BY '''' ESCAPED BY '\\\\' "
                       "LINES STARTING BY '> ' TERMINATED BY '\\r\\n' IGNORE 2 LINES (`id`, @`raw`) "
                       "SET `src`='it''s', `name`=UPPER(@raw) PARALLEL 'true'");
    /* NULL resets an option to its default */
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, NULL));
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, NULL, 1));
    assert_mo_ok(mo_load_options_set_fields_escaped_by(o, NULL));
    assert_mo_ok(mo_load_options_set_lines_starting_by(o, NULL));
    assert_mo_ok(mo_load_options_set_lines_terminated_by(o, NULL));
    assert_mo_ok(mo_load_options_set_character_set(o, NULL));
    assert_mo_ok(mo_load_options_set_ignore_lines(o, 0));
    assert_mo_ok(mo_load_options_set_parallel(o, 0));
    mo_load_options_free(o);
    mo_load_options_free(NULL);
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_data_from_file(f->ex, "/d", "t", o, NULL));
    assert_mo_ok(mo_load_data_from_file(f->ex, "/d", "t", NULL, NULL));
    JOURNAL(f->client, "LOAD DATA INFILE '/d' INTO TABLE `t` FIELDS TERMINATED BY ','",
            "LOAD DATA INFILE '/d' INTO TABLE `t` FIELDS TERMINATED BY ','");
    /* validation, with the SDK's messages where it has them */
    error_is(mo_load_data_from_file(f->ex, "", "t", o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_file", "file_path must be a non-empty string");
    error_is(mo_load_data_from_file(f->ex, "/d", NULL, o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_file", "table_name must be a non-empty string");
    error_is(mo_load_options_set_ignore_lines(o, -1), MO_E_INVALID_ARGUMENT,
             "load_options.set_ignore_lines", "ignore_lines must be a non-negative integer");
    error_is(mo_load_options_set_fields_terminated_by(o, ""), MO_E_INVALID_ARGUMENT,
             "load_options.set_fields_terminated_by", "fields_terminated_by cannot be empty");
    error_is(mo_load_options_set_format(o, "xml"), MO_E_INVALID_ARGUMENT, "load_options.set_format",
             "format must be one of csv, jsonline, parquet, got 'xml'");
    error_is(mo_load_options_set_jsondata(o, "list"), MO_E_INVALID_ARGUMENT,
             "load_options.set_jsondata", "jsondata must be 'object' or 'array', got 'list'");
    error_is(mo_load_options_set_character_set(o, "utf8; DROP"), MO_E_INVALID_ARGUMENT,
             "load_options.set_character_set", NULL);
    error_is(mo_load_options_set_compression(o, "g'z"), MO_E_INVALID_ARGUMENT,
             "load_options.set_compression", NULL);
    error_is(mo_load_options_add_column(o, "@"), MO_E_INVALID_ARGUMENT, "load_options.add_column", NULL);
    error_is(mo_load_options_add_set_value(o, "c", NULL), MO_E_INVALID_ARGUMENT,
             "load_options.add_set_value", NULL);
    static const char *const bad_expressions[] = {"1; DROP TABLE t", "1 -- c", "1 # c", "1 /* c",
                                                  "'open", "f(1", "f(1))", "\"x", ""};
    for (size_t i = 0; i < sizeof bad_expressions / sizeof bad_expressions[0]; i++)
        error_is(mo_load_options_add_set_expression(o, "c", bad_expressions[i]),
                 MO_E_INVALID_ARGUMENT, "load_options.add_set_expression", NULL);
    assert_mo_ok(mo_load_options_add_set_expression(o, "c", "CONCAT(@a, ';--', \"#\", `x``y`)"));
    assert_mo_ok(mo_load_data_from_file(f->ex, "/d", "t", o, NULL));
    JOURNAL(f->client, "LOAD DATA INFILE '/d' INTO TABLE `t` FIELDS TERMINATED BY ',' "
                       "SET `c`=CONCAT(@a, ';--', \"#\", `x``y`)");
    /* a freed options handle is misuse, not a crash */
    mo_load_options_free(o);
    error_is(mo_load_data_from_file(f->ex, "/d", "t", o, NULL), MO_E_MISUSE, "load_data.from_file",
             NULL);
    JOURNAL_EMPTY(f->client);
}

static void load_brace_stage_and_inline_forms(void **state) {
    fixture *f = *state;
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_format(o, "JSONLINE"));
    assert_mo_ok(mo_load_options_set_jsondata(o, "Array"));
    assert_mo_ok(mo_load_options_set_compression(o, "gzip"));
    assert_mo_ok(mo_load_data_from_file(f->ex, "/d/x.jl.gz", "t", o, NULL));
    assert_mo_ok(mo_load_data_from_stage(f->ex, "st", "x.jl", "t", o, NULL));
    assert_mo_ok(mo_load_options_set_format(o, "parquet"));
    assert_mo_ok(mo_load_options_set_jsondata(o, NULL));
    assert_mo_ok(mo_load_options_set_compression(o, NULL));
    assert_mo_ok(mo_load_data_from_file(f->ex, "/d/x.parquet", "db.t", o, NULL));
    JOURNAL(f->client,
            "LOAD DATA INFILE {'filepath'='/d/x.jl.gz', 'format'='jsonline', 'jsondata'='array', "
            "'compression'='gzip'} INTO TABLE `t`",
            "LOAD DATA INFILE {'filepath'='stage://st/x.jl', 'format'='jsonline', "
            "'jsondata'='array', 'compression'='gzip'} INTO TABLE `t`",
            "LOAD DATA INFILE {'filepath'='/d/x.parquet', 'format'='parquet'} INTO TABLE `db`.`t`");
    /* options a form cannot carry are errors (the SDK drops them) */
    assert_mo_ok(mo_load_options_set_ignore_lines(o, 1));
    error_is(mo_load_data_from_file(f->ex, "/d", "t", o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_file", "ignore_lines cannot be used with format 'parquet' (CSV form only)");
    assert_mo_ok(mo_load_options_set_ignore_lines(o, 0));
    assert_mo_ok(mo_load_options_set_jsondata(o, "object"));
    error_is(mo_load_data_from_file(f->ex, "/d", "t", o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_file", "jsondata applies to format 'jsonline' only");
    assert_mo_ok(mo_load_options_set_format(o, "csv"));
    assert_mo_ok(mo_load_options_set_jsondata(o, NULL));
    assert_mo_ok(mo_load_options_set_compression(o, "gzip"));
    error_is(mo_load_data_from_file(f->ex, "/d", "t", o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_file",
             "compression needs format 'jsonline' or 'parquet' (the CSV form has no compression "
             "clause)");
    assert_mo_ok(mo_load_options_set_compression(o, NULL));
    /* stage paths (the SDK's read_csv_stage) */
    assert_mo_ok(mo_load_data_from_stage(f->ex, "my stage", "dir/a.csv", "t", o, NULL));
    JOURNAL(f->client, "LOAD DATA INFILE 'stage://my stage/dir/a.csv' INTO TABLE `t` FIELDS "
                       "TERMINATED BY ','");
    error_is(mo_load_data_from_stage(f->ex, "a/b", "f", "t", o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_stage", "stage_name must not contain '/'");
    error_is(mo_load_data_from_stage(f->ex, "s", "", "t", o, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_stage", "filename must be a non-empty string");
    /* inline (the SDK's read_csv_inline / read_json_inline): data may hold NUL */
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, "\"", 0));
    assert_mo_ok(mo_load_data_from_inline(f->ex, "1,'a'\n2,b\0c", 11, "t", o, NULL));
    mo_load_options *j = NULL;
    assert_mo_ok(mo_load_options_new(&j));
    assert_mo_ok(mo_load_options_set_format(j, "jsonline"));
    assert_mo_ok(mo_load_options_set_jsondata(j, "object"));
    assert_mo_ok(mo_load_data_from_inline(f->ex, "{\"a\":1}", 7, "db.t", j, NULL));
    assert_mo_ok(mo_load_data_from_inline(f->ex, "", 0, "t", NULL, NULL));
    JOURNAL(f->client,
            "LOAD DATA INLINE FORMAT='csv', DATA='1,''a''\\n2,b\\0c' INTO TABLE `t` FIELDS "
            "TERMINATED BY ',' ENCLOSED BY '\"'",
            "LOAD DATA INLINE FORMAT='jsonline', DATA='{\"a\":1}', JSONTYPE='object' INTO TABLE "
            "`db`.`t`",
            "LOAD DATA INLINE FORMAT='csv', DATA='' INTO TABLE `t` FIELDS TERMINATED BY ','");
    assert_mo_ok(mo_load_options_set_ignore_lines(j, 1));
    error_is(mo_load_data_from_inline(f->ex, "x", 1, "t", j, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_inline", "ignore_lines cannot be used with inline data");
    assert_mo_ok(mo_load_options_set_ignore_lines(j, 0));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(j, "|"));
    error_is(mo_load_data_from_inline(f->ex, "x", 1, "t", j, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_inline", NULL);
    assert_mo_ok(mo_load_options_set_format(j, "parquet"));
    error_is(mo_load_data_from_inline(f->ex, "x", 1, "t", j, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_inline", "inline data must be csv or jsonline");
    error_is(mo_load_data_from_inline(f->ex, NULL, 0, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_inline", "data must not be NULL");
    JOURNAL_EMPTY(f->client);
    mo_load_options_free(o);
    mo_load_options_free(j);
}

/* A dry-run client whose config allows LOCAL under `dir` (NULL: LOCAL off). */
static mo_client *local_client(const char *dir, mo_executor **ex) {
    mo_config *cfg = NULL;
    mo_client *c = NULL;
    assert_mo_ok(mo_config_from_url(&cfg, "matrixone://u:p@127.0.0.1:1/db?dry_run=true"));
    if (dir) assert_mo_ok(mo_config_add_local_infile_dir(cfg, dir));
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    assert_mo_ok(mo_client_executor(ex, c));
    return c;
}

static void local_infile_policy_is_checked_before_sending(void **state) {
    (void)state;
    char base[] = "/tmp/mocore-local-XXXXXX";
    assert_non_null(mkdtemp(base));
    char allowed[256], outside[256], file[300], secret[300], link[300], dirlink[300], buf[600];
    snprintf(allowed, sizeof allowed, "%s/allowed", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    assert_int_equal(mkdir(allowed, 0700), 0);
    assert_int_equal(mkdir(outside, 0700), 0);
    snprintf(file, sizeof file, "%s/data.csv", allowed);
    snprintf(secret, sizeof secret, "%s/secret.txt", outside);
    FILE *fp = fopen(file, "w");
    fputs("1,a\n", fp);
    fclose(fp);
    fp = fopen(secret, "w");
    fputs("secret\n", fp);
    fclose(fp);
    snprintf(link, sizeof link, "%s/escape.csv", allowed);
    assert_int_equal(symlink(secret, link), 0);
    snprintf(dirlink, sizeof dirlink, "%s/up", allowed);
    assert_int_equal(symlink(outside, dirlink), 0);

    mo_executor *ex = NULL;
    mo_client *c = local_client(NULL, &ex);
    error_is(mo_load_data_from_local_file(ex, file, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_local_file",
             "LOAD DATA LOCAL is not allowed: the client's config lists no directory for it "
             "(mo_config_add_local_infile_dir)");
    JOURNAL_EMPTY(c);
    mo_executor_free(ex);
    mo_client_close(c);

    c = local_client(allowed, &ex);
    /* the allowed file, also through a relative-looking path with '..' */
    assert_mo_ok(mo_load_data_from_local_file(ex, file, "t", NULL, NULL));
    snprintf(buf, sizeof buf, "%s/../allowed/./data.csv", allowed);
    assert_mo_ok(mo_load_data_from_local_file(ex, buf, "t", NULL, NULL));
    char *real = realpath(file, NULL);
    snprintf(buf, sizeof buf, "LOAD DATA LOCAL INFILE '%s' INTO TABLE `t` FIELDS TERMINATED BY ','",
             real);
    free(real);
    JOURNAL(c, buf, buf);
    /* outside, through a symlinked file, through a symlinked directory, missing, a directory */
    error_is(mo_load_data_from_local_file(ex, secret, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_local_file", NULL);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "not under a directory allowed"));
    error_is(mo_load_data_from_local_file(ex, link, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_local_file", NULL);
    snprintf(buf, sizeof buf, "%s/secret.txt", dirlink);
    error_is(mo_load_data_from_local_file(ex, buf, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_local_file", NULL);
    snprintf(buf, sizeof buf, "%s/missing.csv", allowed);
    error_is(mo_load_data_from_local_file(ex, buf, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_local_file", NULL);
    snprintf(buf, sizeof buf, "%s/..", file);
    error_is(mo_load_data_from_local_file(ex, allowed, "t", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "load_data.from_local_file", NULL);
    JOURNAL_EMPTY(c);
    mo_executor_free(ex);
    mo_client_close(c);

    /* config: bad directories; clearing turns LOCAL off again */
    mo_config *cfg = NULL;
    assert_mo_ok(mo_config_new(&cfg));
    error_is(mo_config_add_local_infile_dir(cfg, file), MO_E_INVALID_ARGUMENT,
             "config.add_local_infile_dir", NULL);
    error_is(mo_config_add_local_infile_dir(cfg, "/no/such/dir"), MO_E_INVALID_ARGUMENT,
             "config.add_local_infile_dir", NULL);
    error_is(mo_config_add_local_infile_dir(cfg, ""), MO_E_INVALID_ARGUMENT,
             "config.add_local_infile_dir", NULL);
    assert_mo_ok(mo_config_add_local_infile_dir(cfg, allowed));
    mo_config *copy = NULL;
    assert_mo_ok(mo_config_copy(&copy, cfg));
    assert_mo_ok(mo_config_clear_local_infile_dirs(cfg));
    mo_config_free(cfg);
    assert_mo_ok(mo_config_set_dry_run(copy, 1));
    assert_mo_ok(mo_config_set_server_kind(copy, MO_SERVER_MATRIXONE));
    assert_mo_ok(mo_client_connect(&c, copy)); /* the copy kept the directory */
    mo_config_free(copy);
    assert_mo_ok(mo_client_executor(&ex, c));
    assert_mo_ok(mo_load_data_from_local_file(ex, file, "t", NULL, NULL));
    mo_executor_free(ex);
    mo_client_close(c);

    unlink(link);
    unlink(dirlink);
    unlink(file);
    unlink(secret);
    rmdir(allowed);
    rmdir(outside);
    rmdir(base);
}

/* ------------------------------------------------------------------ stage: own cases */

static void stage_methods_beyond_the_vectors(void **state) {
    fixture *f = *state;
    mo_stage *s = NULL;
    assert_mo_ok(mo_stage_create_local(&s, f->ex, "loc", "/data//x/./y/../z", "c", 1));
    assert_string_equal(mo_stage_url(s), "file:///data/x/z/");
    assert_string_equal(mo_stage_comment(s), "c");
    assert_null(mo_stage_created_time(s));
    mo_stage_free(s);
    char cwd[512], want[700];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_mo_ok(mo_stage_create_local(NULL, f->ex, "rel", "sub", NULL, 0));
    snprintf(want, sizeof want, "CREATE STAGE `rel` URL='file://%s/sub/'", cwd);
    JOURNAL(f->client, "CREATE STAGE IF NOT EXISTS `loc` URL='file:///data/x/z/' COMMENT='c'", want);

    /* S3: explicit credentials, region and endpoint; then from the environment; then none */
    unsetenv("AWS_ACCESS_KEY_ID"), unsetenv("AWS_KEY_ID"), unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SECRET_KEY"), unsetenv("AWS_DEFAULT_REGION"), unsetenv("AWS_REGION");
    assert_mo_ok(mo_stage_create_s3(&s, f->ex, "s3", "bkt", "/a/b/", "AK", "S'K", "us-east-1",
                                    "http://minio:9000", NULL, 0));
    assert_string_equal(mo_stage_url(s), "s3://bkt/a/b");
    mo_stage_free(s);
    setenv("AWS_KEY_ID", "envkey", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
    assert_mo_ok(mo_stage_create_s3(NULL, f->ex, "s3e", "bkt", NULL, NULL, NULL, NULL, NULL,
                                    "cmt", 1));
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_mo_ok(mo_stage_create_s3(NULL, f->ex, "s3n", "bkt", "", NULL, NULL, "eu", NULL, NULL, 0));
    unsetenv("AWS_KEY_ID");
    JOURNAL(f->client,
            "CREATE STAGE `s3` URL='s3://bkt/a/b' CREDENTIALS={'AWS_KEY_ID'='AK', "
            "'AWS_SECRET_KEY'='S''K', 'AWS_REGION'='us-east-1', 'ENDPOINT'='http://minio:9000'}",
            "CREATE STAGE IF NOT EXISTS `s3e` URL='s3://bkt' CREDENTIALS={'AWS_KEY_ID'='envkey', "
            "'AWS_SECRET_KEY'='envsecret'} COMMENT='cmt'",
            "CREATE STAGE `s3n` URL='s3://bkt'");

    /* alter with credentials; exists; an empty credentials map sends no clause */
    mo_strmap *creds = NULL;
    assert_mo_ok(mo_strmap_new(&creds));
    assert_mo_ok(mo_stage_alter(NULL, f->ex, "st", NULL, creds, "x", -1, 0));
    assert_mo_ok(mo_strmap_set(creds, "AWS_KEY_ID", "k"));
    assert_mo_ok(mo_stage_alter(NULL, f->ex, "st", NULL, creds, NULL, 1, 0));
    int exists = 0;
    assert_mo_ok(mo_stage_exists(f->ex, "st", &exists));
    assert_int_equal(exists, 1); /* dry-run: the read-back placeholder counts as found */
#define STAGE_GET(n) "SELECT stage_name, url, stage_status, comment, created_time FROM " \
                     "mo_catalog.mo_stages WHERE stage_name = '" n "'"
    JOURNAL(f->client, "ALTER STAGE `st` SET COMMENT='x'", STAGE_GET("st"),
            "ALTER STAGE `st` SET CREDENTIALS={'AWS_KEY_ID'='k'} ENABLE=TRUE", STAGE_GET("st"),
            STAGE_GET("st"));

    /* validation */
    error_is(mo_stage_alter(NULL, f->ex, "st", NULL, NULL, NULL, -1, 0), MO_E_INVALID_ARGUMENT,
             "stage.alter", "At least one of url, credentials, comment, or enable must be provided");
    error_is(mo_stage_create(NULL, f->ex, "", "file:///x/", NULL, NULL, 0), MO_E_INVALID_ARGUMENT,
             "stage.create", "Stage name must be a non-empty string");
    error_is(mo_stage_create(NULL, f->ex, "s", NULL, NULL, NULL, 0), MO_E_INVALID_ARGUMENT,
             "stage.create", "Stage URL must be a non-empty string");
    error_is(mo_stage_create_s3(NULL, f->ex, "s", "", NULL, NULL, NULL, NULL, NULL, NULL, 0),
             MO_E_INVALID_ARGUMENT, "stage.create_s3", "bucket must be a non-empty string");
    error_is(mo_stage_create_local(NULL, f->ex, "s", NULL, NULL, 0), MO_E_INVALID_ARGUMENT,
             "stage.create_local", "path must be a non-empty string");
    error_is(mo_stage_drop(f->ex, NULL, 1), MO_E_INVALID_ARGUMENT, "stage.drop", NULL);
    error_is(mo_stage_get(NULL, f->ex, "x"), MO_E_INVALID_ARGUMENT, "stage.get", NULL);
    error_is(mo_stage_exists(f->ex, "", &exists), MO_E_INVALID_ARGUMENT, "stage.exists", NULL);
    mo_strmap_free(creds);
    error_is(mo_stage_create(NULL, f->ex, "s", "u", creds, NULL, 0), MO_E_MISUSE, "stage.create",
             NULL);
    JOURNAL_EMPTY(f->client);
}

static void strmap_keeps_order_and_replaces_in_place(void **state) {
    (void)state;
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    assert_mo_ok(mo_strmap_set(m, "b", "1"));
    assert_mo_ok(mo_strmap_set(m, "a", NULL));
    assert_mo_ok(mo_strmap_set(m, "b", "2"));
    assert_int_equal(mo_strmap_count(m), 2);
    assert_string_equal(mo_strmap_key(m, 0), "b");
    assert_string_equal(mo_strmap_value(m, 0), "2");
    assert_string_equal(mo_strmap_key(m, 1), "a");
    assert_null(mo_strmap_value(m, 1));
    assert_null(mo_strmap_key(m, 2));
    error_is(mo_strmap_set(m, "", "x"), MO_E_INVALID_ARGUMENT, "strmap.set",
             "key must be a non-empty string");
    mo_strmap_free(m);
    assert_int_equal(mo_strmap_count(m), 0); /* freed: reads as empty, no crash */
    error_is(mo_strmap_set(m, "k", "v"), MO_E_MISUSE, "strmap.set", NULL);
    mo_strmap_free(NULL);
}

/* ------------------------------------------------------------------ cdc: own cases */

#define TASKS_SQL                                                                            \
    "SELECT task_id, task_name, source_uri, sink_uri, sink_type, tables, filters, start_ts, " \
    "end_ts, state, checkpoint, no_full, err_msg, task_create_time, additional_config FROM "   \
    "mo_catalog.mo_cdc_task WHERE account_id = current_account_id()"
#define MARKS_SQL                                                                            \
    "SELECT w.task_id, t.task_name, w.db_name, w.table_name, w.watermark, w.err_msg FROM "    \
    "mo_catalog.mo_cdc_watermark w JOIN mo_catalog.mo_cdc_task t ON w.task_id = t.task_id "  \
    "WHERE w.account_id = current_account_id()"

static void cdc_methods_beyond_the_vectors(void **state) {
    fixture *f = *state;
    const char *uri = NULL;
    /* percent-encoding, unlike the SDK */
    assert_mo_ok(mo_cdc_build_mysql_uri(f->ex, &uri, "db.example.com", 6001, "a@b", "p:w/@#%",
                                        "acc 1"));
    assert_string_equal(uri, "mysql://acc%201#a%40b:p%3Aw%2F%40%23%25@db.example.com:6001");
    assert_mo_ok(mo_cdc_build_mysql_uri(f->ex, &uri, "::1", 3306, "root", NULL, NULL));
    assert_string_equal(uri, "mysql://root:@[::1]:3306");
    error_is(mo_cdc_build_mysql_uri(f->ex, &uri, "", 1, "u", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "cdc.build_mysql_uri", "host is required");
    error_is(mo_cdc_build_mysql_uri(f->ex, &uri, "h", 0, "u", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "cdc.build_mysql_uri", "port must be an integer between 1 and 65535");
    error_is(mo_cdc_build_mysql_uri(f->ex, &uri, "h", 70000, "u", NULL, NULL),
             MO_E_INVALID_ARGUMENT, "cdc.build_mysql_uri", NULL);
    error_is(mo_cdc_build_mysql_uri(f->ex, &uri, "h", 1, NULL, NULL, NULL), MO_E_INVALID_ARGUMENT,
             "cdc.build_mysql_uri", "user is required");
    error_is(mo_cdc_build_mysql_uri(f->ex, &uri, "h/x@y", 1, "u", NULL, NULL),
             MO_E_INVALID_ARGUMENT, "cdc.build_mysql_uri", "host must be a host name or an IP address");

    /* create (generic), database tasks and the Level rule */
    mo_strmap *opts = NULL;
    assert_mo_ok(mo_strmap_new(&opts));
    assert_mo_ok(mo_strmap_set(opts, "Frequency", "1h"));
    mo_cdc_task *t = NULL;
    assert_mo_ok(mo_cdc_create(&t, f->ex, "t1", "mysql://u:p@h:1", "MySQL", "mysql://v:q@h:2",
                               "db1.a:db2.a", opts));
    assert_string_equal(mo_cdc_task_sink_type(t), "mysql");
    assert_string_equal(mo_cdc_task_table_mapping(t), "db1.a:db2.a");
    assert_string_equal(mo_cdc_task_additional_config(t), "{\"Frequency\": \"1h\"}");
    assert_null(mo_cdc_task_id(t));
    mo_cdc_task_free(t);
    assert_mo_ok(mo_cdc_create(NULL, f->ex, "t0", "s", "matrixone", "k", "a:b", NULL));
    assert_mo_ok(mo_cdc_create_database_task(&t, f->ex, "d1", "s", "matrixone", "k", "src", NULL,
                                             NULL));
    assert_string_equal(mo_cdc_task_additional_config(t), "{\"Level\": \"database\"}");
    mo_cdc_task_free(t);
    assert_mo_ok(mo_strmap_set(opts, "Level", "DATABASE"));
    assert_mo_ok(mo_strmap_set(opts, "NoFull", "true"));
    assert_mo_ok(mo_cdc_create_database_task(NULL, f->ex, "d2", "s", "matrixone", "k", "src",
                                             "dst", opts));
    JOURNAL(f->client,
            "CREATE CDC `t1` 'mysql://u:p@h:1' 'mysql' 'mysql://v:q@h:2' 'db1.a:db2.a' "
            "{'Frequency'='1h'}",
            "CREATE CDC `t0` 's' 'matrixone' 'k' 'a:b'",
            "CREATE CDC `d1` 's' 'matrixone' 'k' 'src:src' {'Level'='database'}",
            "CREATE CDC `d2` 's' 'matrixone' 'k' 'src:dst' {'Frequency'='1h', "
            "'Level'='DATABASE', 'NoFull'='true'}");
    error_is(mo_cdc_create_table_task(NULL, f->ex, "t", "s", "mysql", "k", NULL, opts),
             MO_E_INVALID_ARGUMENT, "cdc.create_table_task", "table_mappings cannot be None");
    mo_strmap *maps = NULL;
    assert_mo_ok(mo_strmap_new(&maps));
    error_is(mo_cdc_create_table_task(NULL, f->ex, "t", "s", "mysql", "k", maps, NULL),
             MO_E_INVALID_ARGUMENT, "cdc.create_table_task", "table_mappings cannot be empty");
    assert_mo_ok(mo_strmap_set(maps, "db.a", NULL));
    assert_mo_ok(mo_strmap_set(maps, "db.b", "b2"));
    assert_mo_ok(mo_strmap_set(maps, "db.c", "bk.c"));
    assert_mo_ok(mo_strmap_set(maps, "x.y:z.w", NULL));
    error_is(mo_cdc_create_table_task(NULL, f->ex, "t", "s", "mysql", "k", maps, opts),
             MO_E_INVALID_ARGUMENT, "cdc.create_table_task",
             "Level option mismatch: expected 'table', got 'DATABASE'");
    assert_mo_ok(mo_strmap_set(opts, "Level", "Table"));
    assert_mo_ok(mo_cdc_create_table_task(NULL, f->ex, "tt", "s", "mysql", "k", maps, opts));
    JOURNAL(f->client, "CREATE CDC `tt` 's' 'mysql' 'k' 'db.a:db.a,db.b:db.b2,db.c:bk.c,x.y:z.w' "
                       "{'Frequency'='1h', 'Level'='Table', 'NoFull'='true'}");
    static const char *const bad_keys[] = {"nodot", "db.", ".t", "db.t,x", "d:b.t", "a.b.c"};
    for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        mo_strmap *m = NULL;
        assert_mo_ok(mo_strmap_new(&m));
        assert_mo_ok(mo_strmap_set(m, bad_keys[i], strchr(bad_keys[i], ':') ? "x" : NULL));
        error_is(mo_cdc_create_table_task(NULL, f->ex, "t", "s", "mysql", "k", m, NULL),
                 MO_E_INVALID_ARGUMENT, "cdc.create_table_task", NULL);
        mo_strmap_free(m);
    }
    assert_mo_ok(mo_strmap_set(maps, "db.a", "s.t,u"));
    error_is(mo_cdc_create_table_task(NULL, f->ex, "t", "s", "mysql", "k", maps, NULL),
             MO_E_INVALID_ARGUMENT, "cdc.create_table_task", NULL);
    error_is(mo_cdc_create_database_task(NULL, f->ex, "t", "s", "mysql", "k", "a:b", NULL, NULL),
             MO_E_INVALID_ARGUMENT, "cdc.create_database_task", NULL);
    error_is(mo_cdc_create(NULL, f->ex, "t", "s", "kafka", "k", "a:b", NULL), MO_E_INVALID_ARGUMENT,
             "cdc.create", "sink_type must be 'mysql' or 'matrixone', got 'kafka'");
    assert_mo_ok(mo_strmap_set(opts, "Empty", NULL));
    error_is(mo_cdc_create(NULL, f->ex, "t", "s", "mysql", "k", "a:b", opts), MO_E_INVALID_ARGUMENT,
             "cdc.create", "option 'Empty' needs a value");
    error_is(mo_cdc_drop(f->ex, ""), MO_E_INVALID_ARGUMENT, "cdc.drop", "task_name is required");
    error_is(mo_cdc_show_task(NULL, f->ex, "t"), MO_E_INVALID_ARGUMENT, "cdc.show_task", NULL);
    JOURNAL_EMPTY(f->client);
    mo_strmap_free(opts);
    mo_strmap_free(maps);

    /* reads */
    mo_cdc_task_list *tl = NULL;
    assert_mo_ok(mo_cdc_list_tasks(&tl, f->ex, NULL));
    assert_int_equal(mo_cdc_task_list_count(tl), 0);
    assert_null(mo_cdc_task_list_get(tl, 0));
    mo_cdc_task_list_free(tl);
    assert_mo_ok(mo_cdc_list_tasks(&tl, f->ex, "t'1"));
    mo_cdc_task_list_free(tl);
    assert_mo_ok(mo_cdc_get(&t, f->ex, "t1"));
    assert_string_equal(mo_cdc_task_name(t), "t1");
    mo_cdc_task_free(t);
    int exists = 0;
    assert_mo_ok(mo_cdc_exists(f->ex, "t1", &exists));
    assert_int_equal(exists, 1);
    mo_cdc_watermark_list *wl = NULL;
    assert_mo_ok(mo_cdc_list_watermarks(&wl, f->ex, NULL));
    assert_int_equal(mo_cdc_watermark_list_count(wl), 0);
    mo_cdc_watermark_list_free(wl);
    assert_mo_ok(mo_cdc_list_watermarks(&wl, f->ex, "t1"));
    mo_cdc_watermark_list_free(wl);
    assert_mo_ok(mo_cdc_list_failing_tasks(&tl, f->ex));
    mo_cdc_task_list_free(tl);
    assert_mo_ok(mo_cdc_list_stuck_tasks(&tl, f->ex));
    mo_cdc_task_list_free(tl);
    mo_strmap *th = NULL;
    assert_mo_ok(mo_strmap_new(&th));
    assert_mo_ok(mo_strmap_set(th, "t1.orders", "90s"));
    assert_mo_ok(mo_cdc_list_late_table_watermarks(&wl, f->ex, "t1", -1, th, 0));
    mo_cdc_watermark_list_free(wl);
    assert_mo_ok(mo_strmap_set(th, "x", "soon"));
    error_is(mo_cdc_list_late_table_watermarks(&wl, f->ex, NULL, -1, th, 0), MO_E_INVALID_ARGUMENT,
             "cdc.list_late_table_watermarks", NULL);
    mo_strmap_free(th);
    JOURNAL(f->client, TASKS_SQL, TASKS_SQL " AND task_name = 't''1'",
            TASKS_SQL " AND task_name = 't1'", TASKS_SQL " AND task_name = 't1'", MARKS_SQL,
            MARKS_SQL " AND t.task_name = 't1'", TASKS_SQL, TASKS_SQL,
            TASKS_SQL " AND task_name = 't1'", MARKS_SQL " AND t.task_name = 't1'");
    mo_cdc_task_free(NULL);
    mo_cdc_watermark_free(NULL);
    assert_null(mo_cdc_watermark_table(NULL));
    assert_int_equal(mo_cdc_watermark_lag_ms(NULL), 0);
}

/* ------------------------------------------------------------------ export: own cases */

static void export_honours_every_format_option(void **state) {
    fixture *f = *state;
    uint64_t rows = 9;
    assert_mo_ok(mo_export_to_csv(f->ex, "/tmp/o.csv", "SELECT * FROM t ; \n", NULL, NULL, NULL,
                                  NULL, 0, &rows));
    assert_int_equal(rows, 0);
    /* the SDK drops sep here (quotechar set, sep not ',') */
    assert_mo_ok(mo_export_to_csv(f->ex, "/tmp/o.csv", "SELECT 1", NULL, "|", "\"", "\r\n", 0, NULL));
    /* ... and quotechar here (sep ',') */
    assert_mo_ok(mo_export_to_csv(f->ex, "/tmp/o.csv", "SELECT 1", NULL, ",", "'", NULL, 1, NULL));
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, "x'y", 3));
    assert_mo_ok(mo_params_add_int64(p, 5));
    assert_mo_ok(mo_export_to_jsonl(f->ex, "/tmp/o.jsonl", "SELECT * FROM t WHERE a = ? AND b > ?;",
                                    p, NULL));
    assert_mo_ok(mo_export_to_csv_stage(f->ex, "st", "out/o.csv", "SELECT 1", NULL, "\t", NULL,
                                        "\n", 0, NULL));
    assert_mo_ok(mo_export_to_jsonl_stage(f->ex, "st", "o.jsonl", "SELECT 1", NULL, NULL));
    JOURNAL(f->client,
            "SELECT * FROM t INTO OUTFILE '/tmp/o.csv' FIELDS TERMINATED BY ',' LINES TERMINATED "
            "BY '\\n'",
            "SELECT 1 INTO OUTFILE '/tmp/o.csv' FIELDS TERMINATED BY '|' ENCLOSED BY '\"' LINES "
            "TERMINATED BY '\\r\\n'",
            "SELECT 1 INTO OUTFILE '/tmp/o.csv' FIELDS TERMINATED BY ',' ENCLOSED BY '''' LINES "
            "TERMINATED BY '\\n' header 'true'",
            "SELECT * FROM t WHERE a = 'x''y' AND b > 5 INTO OUTFILE '/tmp/o.jsonl'",
            "SELECT 1 INTO OUTFILE 'stage://st/out/o.csv' FIELDS TERMINATED BY '\t' LINES "
            "TERMINATED BY '\\n'",
            "SELECT 1 INTO OUTFILE 'stage://st/o.jsonl'");
    error_is(mo_export_to_csv(f->ex, "/o", "SELECT 1", NULL, "", NULL, NULL, 0, NULL),
             MO_E_INVALID_ARGUMENT, "export.to_csv", "sep cannot be empty");
    error_is(mo_export_to_csv(f->ex, "/o", "SELECT 1", NULL, "|", "|", NULL, 0, NULL),
             MO_E_INVALID_ARGUMENT, "export.to_csv", "sep and quotechar cannot be the same: '|'");
    error_is(mo_export_to_csv(f->ex, "/o", "SELECT 1", NULL, ",", "\"\"", NULL, 0, NULL),
             MO_E_INVALID_ARGUMENT, "export.to_csv", NULL);
    error_is(mo_export_to_csv(f->ex, "/o", "SELECT 1", NULL, ",", NULL, "", 0, NULL),
             MO_E_INVALID_ARGUMENT, "export.to_csv", "lineterminator cannot be empty");
    error_is(mo_export_to_jsonl(f->ex, "/o", " ; ", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "export.to_jsonl", "query must be a non-empty string");
    error_is(mo_export_to_jsonl(f->ex, "", "SELECT 1", NULL, NULL), MO_E_INVALID_ARGUMENT,
             "export.to_jsonl", "path must be a non-empty string");
    mo_params *none = NULL;
    assert_mo_ok(mo_params_new(&none));
    error_is(mo_export_to_jsonl(f->ex, "/o", "SELECT ?", none, NULL), MO_E_INVALID_ARGUMENT,
             "export.to_jsonl", NULL); /* a placeholder without a parameter */
    mo_params_free(none);
    error_is(mo_export_to_csv_stage(f->ex, "a/b", "f", "SELECT 1", NULL, NULL, NULL, NULL, 0, NULL),
             MO_E_INVALID_ARGUMENT, "export.to_csv_stage", "stage_name must not contain '/'");
    error_is(mo_export_to_jsonl_stage(f->ex, "s", NULL, "SELECT 1", NULL, NULL),
             MO_E_INVALID_ARGUMENT, "export.to_jsonl_stage", "filename must be a non-empty string");
    mo_params_free(p);
    error_is(mo_export_to_jsonl(f->ex, "/o", "SELECT ?", p, NULL), MO_E_MISUSE, "export.to_jsonl",
             NULL);
    JOURNAL_EMPTY(f->client);
}

/* ------------------------------------------------------------------ server gating */

static void matrixone_only_forms_are_unsupported_elsewhere(void **state) {
    fixture *f = *state;
    f->client->kind = MO_SERVER_MARIADB;
    const char *mo = "is a MatrixOne-only operation; the server is MariaDB";
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    /* the standard forms work everywhere */
    assert_mo_ok(mo_load_data_from_file(f->ex, "/d", "t", o, NULL));
    assert_mo_ok(mo_export_to_csv(f->ex, "/o", "SELECT 1", NULL, NULL, NULL, NULL, 0, NULL));
    assert_mo_ok(mo_export_to_jsonl(f->ex, "/o", "SELECT 1", NULL, NULL));
    const char *uri = NULL;
    assert_mo_ok(mo_cdc_build_mysql_uri(f->ex, &uri, "h", 1, "u", "p", NULL));
    JOURNAL(f->client, "LOAD DATA INFILE '/d' INTO TABLE `t` FIELDS TERMINATED BY ','",
            "SELECT 1 INTO OUTFILE '/o' FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n'",
            "SELECT 1 INTO OUTFILE '/o'");
    mo_status st;
#define UNSUPPORTED(call, op)                                                                \
    st = (call);                                                                             \
    error_is(st, MO_E_UNSUPPORTED, op, NULL);                                                \
    assert_non_null(strstr(mo_error_message(mo_error_last()), mo))
    assert_mo_ok(mo_load_options_set_parallel(o, 1));
    UNSUPPORTED(mo_load_data_from_file(f->ex, "/d", "t", o, NULL), "load_data.from_file");
    assert_mo_ok(mo_load_options_set_parallel(o, 0));
    assert_mo_ok(mo_load_options_set_format(o, "parquet"));
    UNSUPPORTED(mo_load_data_from_file(f->ex, "/d", "t", o, NULL), "load_data.from_file");
    UNSUPPORTED(mo_load_data_from_stage(f->ex, "s", "f", "t", NULL, NULL), "load_data.from_stage");
    UNSUPPORTED(mo_load_data_from_inline(f->ex, "1", 1, "t", NULL, NULL), "load_data.from_inline");
    UNSUPPORTED(mo_export_to_csv(f->ex, "/o", "SELECT 1", NULL, NULL, NULL, NULL, 1, NULL),
                "export.to_csv");
    UNSUPPORTED(mo_export_to_csv_stage(f->ex, "s", "f", "SELECT 1", NULL, NULL, NULL, NULL, 0, NULL),
                "export.to_csv_stage");
    UNSUPPORTED(mo_export_to_jsonl_stage(f->ex, "s", "f", "SELECT 1", NULL, NULL),
                "export.to_jsonl_stage");
    UNSUPPORTED(mo_stage_create(NULL, f->ex, "s", "u", NULL, NULL, 0), "stage.create");
    UNSUPPORTED(mo_stage_create_local(NULL, f->ex, "s", "/p", NULL, 0), "stage.create_local");
    UNSUPPORTED(mo_stage_create_s3(NULL, f->ex, "s", "b", NULL, NULL, NULL, NULL, NULL, NULL, 0),
                "stage.create_s3");
    UNSUPPORTED(mo_stage_alter(NULL, f->ex, "s", "u", NULL, NULL, -1, 0), "stage.alter");
    UNSUPPORTED(mo_stage_drop(f->ex, "s", 0), "stage.drop");
    mo_stage_list *sl = NULL;
    mo_stage *s = NULL;
    int exists = 0;
    UNSUPPORTED(mo_stage_show(&sl, f->ex, NULL), "stage.show");
    UNSUPPORTED(mo_stage_list_stages(&sl, f->ex), "stage.list");
    UNSUPPORTED(mo_stage_get(&s, f->ex, "s"), "stage.get");
    UNSUPPORTED(mo_stage_exists(f->ex, "s", &exists), "stage.exists");
    UNSUPPORTED(mo_cdc_create(NULL, f->ex, "t", "s", "mysql", "k", "a:b", NULL), "cdc.create");
    UNSUPPORTED(mo_cdc_create_database_task(NULL, f->ex, "t", "s", "mysql", "k", "a", NULL, NULL),
                "cdc.create_database_task");
    UNSUPPORTED(mo_cdc_create_table_task(NULL, f->ex, "t", "s", "mysql", "k", NULL, NULL),
                "cdc.create_table_task");
    UNSUPPORTED(mo_cdc_drop(f->ex, "t"), "cdc.drop");
    UNSUPPORTED(mo_cdc_drop_all(f->ex), "cdc.drop_all");
    UNSUPPORTED(mo_cdc_pause(f->ex, "t"), "cdc.pause");
    UNSUPPORTED(mo_cdc_pause_all(f->ex), "cdc.pause_all");
    UNSUPPORTED(mo_cdc_resume(f->ex, "t"), "cdc.resume");
    UNSUPPORTED(mo_cdc_restart(f->ex, "t"), "cdc.restart");
    mo_result *r = NULL;
    UNSUPPORTED(mo_cdc_show_all(&r, f->ex), "cdc.show_all");
    UNSUPPORTED(mo_cdc_show_task(&r, f->ex, "t"), "cdc.show_task");
    mo_cdc_task_list *tl = NULL;
    mo_cdc_task *t = NULL;
    mo_cdc_watermark_list *wl = NULL;
    UNSUPPORTED(mo_cdc_list_tasks(&tl, f->ex, NULL), "cdc.list");
    UNSUPPORTED(mo_cdc_get(&t, f->ex, "t"), "cdc.get");
    UNSUPPORTED(mo_cdc_exists(f->ex, "t", &exists), "cdc.exists");
    UNSUPPORTED(mo_cdc_list_watermarks(&wl, f->ex, NULL), "cdc.list_watermarks");
    UNSUPPORTED(mo_cdc_list_failing_tasks(&tl, f->ex), "cdc.list_failing_tasks");
    UNSUPPORTED(mo_cdc_list_stuck_tasks(&tl, f->ex), "cdc.list_stuck_tasks");
    UNSUPPORTED(mo_cdc_list_late_table_watermarks(&wl, f->ex, NULL, -1, NULL, 0),
                "cdc.list_late_table_watermarks");
#undef UNSUPPORTED
    assert_null(sl), assert_null(s), assert_null(r), assert_null(tl), assert_null(t), assert_null(wl);
    JOURNAL_EMPTY(f->client);
    mo_load_options_free(o);
    f->client->kind = MO_SERVER_MATRIXONE;
}

/* ------------------------------------------------------------------ late-watermark rules */

/* Internal (src/managers/managers_internal.h). */
int64_t mo_cdc_duration_ms(const char *s, int bare_seconds);
int mo_cdc_watermark_ms(const char *s, int64_t *out);
int64_t mo_cdc_threshold_ms(const char *task, const char *table, const char *config,
                            const mo_strmap *thresholds, int64_t default_ms);

static void late_watermark_rules(void **state) {
    (void)state;
    assert_int_equal(mo_cdc_duration_ms("250ms", 0), 250);
    assert_int_equal(mo_cdc_duration_ms(" 3S ", 0), 3000);
    assert_int_equal(mo_cdc_duration_ms("2m", 0), 120000);
    assert_int_equal(mo_cdc_duration_ms("1H", 0), 3600000);
    assert_int_equal(mo_cdc_duration_ms("15", 0), -1);
    assert_int_equal(mo_cdc_duration_ms("15", 1), 15000);
    assert_int_equal(mo_cdc_duration_ms("1d", 1), -1);
    assert_int_equal(mo_cdc_duration_ms("-1s", 1), -1);
    assert_int_equal(mo_cdc_duration_ms("99999999999999999999h", 1), -1);
    int64_t ms = 0;
    assert_true(mo_cdc_watermark_ms("1700000000123456789-1", &ms));
    assert_int_equal(ms, 1700000000123LL);
    assert_true(mo_cdc_watermark_ms("2023-11-14 22:13:20", &ms));
    assert_int_equal(ms, 1700000000000LL);
    assert_true(mo_cdc_watermark_ms("2023-11-14T22:13:20.5Z", &ms));
    assert_int_equal(ms, 1700000000500LL);
    assert_true(mo_cdc_watermark_ms("2023-11-15 00:13:20+02:00", &ms));
    assert_int_equal(ms, 1700000000000LL);
    assert_true(mo_cdc_watermark_ms("2023-11-14", &ms));
    assert_int_equal(ms, 1699920000000LL);
    assert_false(mo_cdc_watermark_ms("yesterday", &ms));
    assert_false(mo_cdc_watermark_ms("2023-13-01", &ms));
    assert_false(mo_cdc_watermark_ms("", &ms));
    mo_strmap *th = NULL;
    assert_mo_ok(mo_strmap_new(&th));
    assert_mo_ok(mo_strmap_set(th, "task1.orders", "30s"));
    assert_mo_ok(mo_strmap_set(th, "orders", "2m"));
    assert_mo_ok(mo_strmap_set(th, "items", "45"));
    const char *cfg = "{\"Frequency\": \"1h\", \"Level\": \"table\"}";
    assert_int_equal(mo_cdc_threshold_ms("task1", "orders", cfg, th, 600000), 30000);
    assert_int_equal(mo_cdc_threshold_ms("task2", "orders", cfg, th, 600000), 120000);
    assert_int_equal(mo_cdc_threshold_ms("task2", "items", NULL, th, 600000), 45000);
    assert_int_equal(mo_cdc_threshold_ms("task2", "other", cfg, th, 600000), 4200000);
    assert_int_equal(mo_cdc_threshold_ms("task2", "other", "{\"Frequency\": \"often\"}", th, 7), 7);
    assert_int_equal(mo_cdc_threshold_ms("task2", "other", "not json", NULL, 7), 7);
    mo_strmap_free(th);
}

/* ------------------------------------------------------------------ injection sweep */

/* The test's own model of correct quoting (independent of the library's functions). */
static void model_ident(mo_buf *b, const char *s) {
    mo_buf_append_char(b, '`');
    for (; *s; s++) {
        if (*s == '`') mo_buf_append_char(b, '`');
        mo_buf_append_char(b, *s);
    }
    mo_buf_append_char(b, '`');
}

static void model_qualified(mo_buf *b, const char *s) {
    const char *dot = strchr(s, '.');
    if (!dot) return model_ident(b, s);
    char *head = strndup(s, (size_t)(dot - s));
    model_ident(b, head);
    free(head);
    mo_buf_append_char(b, '.');
    model_ident(b, dot + 1);
}

static void model_literal_n(mo_buf *b, const char *s, size_t n) {
    mo_buf_append_char(b, '\'');
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        /* mocore's quoted form: mysql_real_escape_string's escapes, but the quote doubled */
        const char *e = c == '\\' ? "\\\\" : c == '\'' ? "''" : c == 0 ? "\\0"
                      : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == 0x1a ? "\\Z" : NULL;
        if (e) mo_buf_append_str(b, e);
        else mo_buf_append_char(b, c);
    }
    mo_buf_append_char(b, '\'');
}

static void model_literal(mo_buf *b, const char *s) { model_literal_n(b, s, strlen(s)); }

/* A `?` parameter's form: quotes doubled, or a hex literal cast to a string when the text holds a
 * backslash (whose reading depends on NO_BACKSLASH_ESCAPES) or ^Z. */
static void model_value(mo_buf *b, const char *s) {
    if (!strchr(s, '\\') && !strchr(s, 0x1a)) {
        mo_buf_append_char(b, '\'');
        for (; *s; s++) {
            if (*s == '\'') mo_buf_append_char(b, '\'');
            mo_buf_append_char(b, *s);
        }
        mo_buf_append_char(b, '\'');
        return;
    }
    mo_buf_append_str(b, "CAST(X'"); /* the fixture poses as MatrixOne: no introducers */
    for (; *s; s++) mo_buf_printf(b, "%02X", (unsigned char)*s);
    mo_buf_append_str(b, "' AS CHAR)");
}

/* One argument position: run the call with `in` there (safe values elsewhere), and the
 * statement it must produce: `tmpl` with %I (identifier), %Q (qualified identifier), %L
 * (literal), %S (literal of "stage://<in>/f"), %T (literal of "stage://s/<in>") replaced. */
typedef struct {
    const char *name;
    mo_status (*call)(mo_executor *ex, const char *in);
    const char *tmpl;
} slot;

static mo_status s_load_path(mo_executor *ex, const char *in) {
    return mo_load_data_from_file(ex, in, "t", NULL, NULL);
}
static mo_status s_load_table(mo_executor *ex, const char *in) {
    return mo_load_data_from_file(ex, "/d", in, NULL, NULL);
}
/* one option of a fresh options handle, then a file load */
static mo_status with_option(mo_executor *ex, int which, const char *in) {
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    mo_status st;
    switch (which) {
    case 0: st = mo_load_options_set_fields_terminated_by(o, in); break;
    case 1: st = mo_load_options_set_fields_enclosed_by(o, in, 0); break;
    case 2: st = mo_load_options_set_fields_escaped_by(o, in); break;
    case 3: st = mo_load_options_set_lines_starting_by(o, in); break;
    case 4: st = mo_load_options_set_lines_terminated_by(o, in); break;
    case 5: st = mo_load_options_add_column(o, in); break;
    case 6: st = mo_load_options_add_set_value(o, in, "v"); break;
    case 7: st = mo_load_options_add_set_value(o, "c", in); break;
    case 8: st = mo_load_options_set_character_set(o, in); break;
    case 9: st = mo_load_options_add_set_expression(o, in, "1"); break;
    default: st = mo_load_options_set_compression(o, in); break;
    }
    if (st >= 0) st = mo_load_data_from_file(ex, "/d", "t", o, NULL);
    mo_load_options_free(o);
    return st;
}
static mo_status s_opt0(mo_executor *ex, const char *in) { return with_option(ex, 0, in); }
static mo_status s_opt1(mo_executor *ex, const char *in) { return with_option(ex, 1, in); }
static mo_status s_opt2(mo_executor *ex, const char *in) { return with_option(ex, 2, in); }
static mo_status s_opt3(mo_executor *ex, const char *in) { return with_option(ex, 3, in); }
static mo_status s_opt4(mo_executor *ex, const char *in) { return with_option(ex, 4, in); }
static mo_status s_opt5(mo_executor *ex, const char *in) { return with_option(ex, 5, in); }
static mo_status s_opt6(mo_executor *ex, const char *in) { return with_option(ex, 6, in); }
static mo_status s_opt7(mo_executor *ex, const char *in) { return with_option(ex, 7, in); }
static mo_status s_opt8(mo_executor *ex, const char *in) { return with_option(ex, 8, in); }
static mo_status s_opt9(mo_executor *ex, const char *in) { return with_option(ex, 9, in); }
static mo_status s_opt10(mo_executor *ex, const char *in) { return with_option(ex, 10, in); }
static mo_status s_load_stage(mo_executor *ex, const char *in) {
    return mo_load_data_from_stage(ex, in, "f", "t", NULL, NULL);
}
static mo_status s_load_stage_file(mo_executor *ex, const char *in) {
    return mo_load_data_from_stage(ex, "s", in, "t", NULL, NULL);
}
static mo_status s_inline_data(mo_executor *ex, const char *in) {
    return mo_load_data_from_inline(ex, in, strlen(in), "t", NULL, NULL);
}
static mo_status s_inline_table(mo_executor *ex, const char *in) {
    return mo_load_data_from_inline(ex, "1", 1, in, NULL, NULL);
}
static mo_status s_stage_name(mo_executor *ex, const char *in) {
    return mo_stage_create(NULL, ex, in, "u", NULL, NULL, 0);
}
static mo_status s_stage_url(mo_executor *ex, const char *in) {
    return mo_stage_create(NULL, ex, "s", in, NULL, NULL, 0);
}
static mo_status s_stage_comment(mo_executor *ex, const char *in) {
    return mo_stage_create(NULL, ex, "s", "u", NULL, in, 0);
}
static mo_status cred(mo_executor *ex, const char *k, const char *v) {
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    mo_status st = mo_strmap_set(m, k, v);
    if (st >= 0) st = mo_stage_create(NULL, ex, "s", "u", m, NULL, 0);
    mo_strmap_free(m);
    return st;
}
static mo_status s_cred_key(mo_executor *ex, const char *in) { return cred(ex, in, "v"); }
static mo_status s_cred_value(mo_executor *ex, const char *in) { return cred(ex, "k", in); }
static mo_status s_stage_alter_url(mo_executor *ex, const char *in) {
    return mo_stage_alter(NULL, ex, "s", in, NULL, NULL, -1, 0);
}
static mo_status s_stage_drop(mo_executor *ex, const char *in) { return mo_stage_drop(ex, in, 0); }
static mo_status s_stage_like(mo_executor *ex, const char *in) {
    mo_stage_list *l = NULL;
    mo_status st = mo_stage_show(&l, ex, in);
    mo_stage_list_free(l);
    return st;
}
static mo_status s_stage_get(mo_executor *ex, const char *in) {
    mo_stage *s = NULL;
    mo_status st = mo_stage_get(&s, ex, in);
    mo_stage_free(s);
    return st;
}
static mo_status s_s3_bucket(mo_executor *ex, const char *in) {
    return mo_stage_create_s3(NULL, ex, "s", in, NULL, "k", "v", NULL, NULL, NULL, 0);
}
static mo_status s_s3_secret(mo_executor *ex, const char *in) {
    return mo_stage_create_s3(NULL, ex, "s", "b", NULL, "k", in, NULL, NULL, NULL, 0);
}
static mo_status s_cdc_task(mo_executor *ex, const char *in) {
    return mo_cdc_create(NULL, ex, in, "s", "mysql", "k", "a:b", NULL);
}
static mo_status s_cdc_source(mo_executor *ex, const char *in) {
    return mo_cdc_create(NULL, ex, "t", in, "mysql", "k", "a:b", NULL);
}
static mo_status s_cdc_mapping(mo_executor *ex, const char *in) {
    return mo_cdc_create(NULL, ex, "t", "s", "mysql", "k", in, NULL);
}
static mo_status cdc_opt(mo_executor *ex, const char *k, const char *v) {
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    mo_status st = mo_strmap_set(m, k, v);
    if (st >= 0) st = mo_cdc_create(NULL, ex, "t", "s", "mysql", "k", "a:b", m);
    mo_strmap_free(m);
    return st;
}
static mo_status s_cdc_opt_key(mo_executor *ex, const char *in) { return cdc_opt(ex, in, "v"); }
static mo_status s_cdc_opt_value(mo_executor *ex, const char *in) { return cdc_opt(ex, "k", in); }
static mo_status s_cdc_db(mo_executor *ex, const char *in) {
    return mo_cdc_create_database_task(NULL, ex, "t", "s", "mysql", "k", in, "d", NULL);
}
static mo_status s_cdc_table_key(mo_executor *ex, const char *in) {
    mo_strmap *m = NULL;
    assert_mo_ok(mo_strmap_new(&m));
    char key[128];
    snprintf(key, sizeof key, "db.%s", in);
    mo_status st = mo_strmap_set(m, key, NULL);
    if (st >= 0) st = mo_cdc_create_table_task(NULL, ex, "t", "s", "mysql", "k", m, NULL);
    mo_strmap_free(m);
    return st;
}
static mo_status s_cdc_drop(mo_executor *ex, const char *in) { return mo_cdc_drop(ex, in); }
static mo_status s_cdc_restart(mo_executor *ex, const char *in) { return mo_cdc_restart(ex, in); }
static mo_status s_cdc_list(mo_executor *ex, const char *in) {
    mo_cdc_task_list *l = NULL;
    mo_status st = mo_cdc_list_tasks(&l, ex, in);
    mo_cdc_task_list_free(l);
    return st;
}
static mo_status s_cdc_marks(mo_executor *ex, const char *in) {
    mo_cdc_watermark_list *l = NULL;
    mo_status st = mo_cdc_list_watermarks(&l, ex, in);
    mo_cdc_watermark_list_free(l);
    return st;
}
static mo_status s_export_path(mo_executor *ex, const char *in) {
    return mo_export_to_jsonl(ex, in, "SELECT 1", NULL, NULL);
}
static mo_status s_export_sep(mo_executor *ex, const char *in) {
    return mo_export_to_csv(ex, "/o", "SELECT 1", NULL, in, NULL, "\n", 0, NULL);
}
static mo_status s_export_quote(mo_executor *ex, const char *in) {
    return mo_export_to_csv(ex, "/o", "SELECT 1", NULL, "|", in, "\n", 0, NULL);
}
static mo_status s_export_lines(mo_executor *ex, const char *in) {
    return mo_export_to_csv(ex, "/o", "SELECT 1", NULL, ",", NULL, in, 0, NULL);
}
static mo_status s_export_param(mo_executor *ex, const char *in) {
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    mo_status st = mo_params_add_text(p, in, strlen(in)); /* rejects invalid UTF-8 */
    if (st >= 0) st = mo_export_to_jsonl(ex, "/o", "SELECT ?", p, NULL);
    mo_params_free(p);
    return st;
}
static mo_status s_export_stage_file(mo_executor *ex, const char *in) {
    return mo_export_to_jsonl_stage(ex, "s", in, "SELECT 1", NULL, NULL);
}

#define FILE_LOAD "LOAD DATA INFILE '/d' INTO TABLE `t` FIELDS TERMINATED BY "
static const slot slots[] = {
    {"load path", s_load_path, "LOAD DATA INFILE %L INTO TABLE `t` FIELDS TERMINATED BY ','"},
    {"load table", s_load_table, "LOAD DATA INFILE '/d' INTO TABLE %Q FIELDS TERMINATED BY ','"},
    {"fields terminated", s_opt0, FILE_LOAD "%L"},
    {"enclosed", s_opt1, FILE_LOAD "',' ENCLOSED BY %L"},
    {"escaped", s_opt2, FILE_LOAD "',' ESCAPED BY %L"},
    {"lines starting", s_opt3, FILE_LOAD "',' LINES STARTING BY %L"},
    {"lines terminated", s_opt4, FILE_LOAD "',' LINES TERMINATED BY %L"},
    {"column", s_opt5, FILE_LOAD "',' (%I)"},
    {"set column", s_opt6, FILE_LOAD "',' SET %I='v'"},
    {"set value", s_opt7, FILE_LOAD "',' SET `c`=%L"},
    {"character set", s_opt8, NULL}, /* only [A-Za-z0-9_]+: anything hostile is rejected */
    {"set expression column", s_opt9, FILE_LOAD "',' SET %I=1"},
    {"compression", s_opt10, NULL},
    {"load stage", s_load_stage, "LOAD DATA INFILE %S INTO TABLE `t` FIELDS TERMINATED BY ','"},
    {"load stage file", s_load_stage_file,
     "LOAD DATA INFILE %T INTO TABLE `t` FIELDS TERMINATED BY ','"},
    {"inline data", s_inline_data,
     "LOAD DATA INLINE FORMAT='csv', DATA=%L INTO TABLE `t` FIELDS TERMINATED BY ','"},
    {"inline table", s_inline_table,
     "LOAD DATA INLINE FORMAT='csv', DATA='1' INTO TABLE %Q FIELDS TERMINATED BY ','"},
    {"stage name", s_stage_name, "CREATE STAGE %I URL='u'"},
    {"stage url", s_stage_url, "CREATE STAGE `s` URL=%L"},
    {"stage comment", s_stage_comment, "CREATE STAGE `s` URL='u' COMMENT=%L"},
    {"credential key", s_cred_key, "CREATE STAGE `s` URL='u' CREDENTIALS={%L='v'}"},
    {"credential value", s_cred_value, "CREATE STAGE `s` URL='u' CREDENTIALS={'k'=%L}"},
    {"stage alter url", s_stage_alter_url,
     "ALTER STAGE `s` SET URL=%L" SEQ "SELECT stage_name, url, stage_status, comment, created_time FROM "
     "mo_catalog.mo_stages WHERE stage_name = 's'"},
    {"stage drop", s_stage_drop, "DROP STAGE %I"},
    {"stage like", s_stage_like, "SHOW STAGES LIKE %L"},
    {"stage get", s_stage_get,
     "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages WHERE "
     "stage_name = %L"},
    {"s3 bucket", s_s3_bucket, NULL}, /* checked below: the bucket is inside the URL literal */
    {"s3 secret", s_s3_secret,
     "CREATE STAGE `s` URL='s3://b' CREDENTIALS={'AWS_KEY_ID'='k', 'AWS_SECRET_KEY'=%L}"},
    {"cdc task", s_cdc_task, "CREATE CDC %I 's' 'mysql' 'k' 'a:b'"},
    {"cdc source uri", s_cdc_source, "CREATE CDC `t` %L 'mysql' 'k' 'a:b'"},
    {"cdc mapping", s_cdc_mapping, "CREATE CDC `t` 's' 'mysql' 'k' %L"},
    {"cdc option key", s_cdc_opt_key, "CREATE CDC `t` 's' 'mysql' 'k' 'a:b' {%L='v'}"},
    {"cdc option value", s_cdc_opt_value, "CREATE CDC `t` 's' 'mysql' 'k' 'a:b' {'k'=%L}"},
    {"cdc database", s_cdc_db, NULL}, /* checked below: inside the mapping literal */
    {"cdc table mapping", s_cdc_table_key, NULL},
    {"cdc drop", s_cdc_drop, "DROP CDC TASK %I"},
    {"cdc restart", s_cdc_restart, "RESUME CDC TASK %I 'restart'"},
    {"cdc list", s_cdc_list,
     TASKS_SQL " AND task_name = %L"},
    {"cdc watermarks", s_cdc_marks, MARKS_SQL " AND t.task_name = %L"},
    {"export path", s_export_path, "SELECT 1 INTO OUTFILE %L"},
    {"export sep", s_export_sep,
     "SELECT 1 INTO OUTFILE '/o' FIELDS TERMINATED BY %L LINES TERMINATED BY '\\n'"},
    {"export quotechar", s_export_quote,
     "SELECT 1 INTO OUTFILE '/o' FIELDS TERMINATED BY '|' ENCLOSED BY %L LINES TERMINATED BY "
     "'\\n'"},
    {"export lineterminator", s_export_lines,
     "SELECT 1 INTO OUTFILE '/o' FIELDS TERMINATED BY ',' LINES TERMINATED BY %L"},
    {"export parameter", s_export_param, "SELECT %V INTO OUTFILE '/o'"},
    {"export stage file", s_export_stage_file, "SELECT 1 INTO OUTFILE %T"},
};

static char *expand(const char *tmpl, const char *in) {
    mo_buf b;
    mo_buf_init(&b);
    for (const char *p = tmpl; *p; p++) {
        if (*p != '%' || !p[1]) {
            mo_buf_append_char(&b, *p);
            continue;
        }
        char stage[256];
        switch (*++p) {
        case 'I': model_ident(&b, in); break;
        case 'Q': model_qualified(&b, in); break;
        case 'L': model_literal(&b, in); break;
        case 'V': model_value(&b, in); break;
        case 'S':
            snprintf(stage, sizeof stage, "stage://%s/f", in);
            model_literal(&b, stage);
            break;
        case 'T':
            snprintf(stage, sizeof stage, "stage://s/%s", in);
            model_literal(&b, stage);
            break;
        default: mo_buf_append_char(&b, '%'), mo_buf_append_char(&b, *p);
        }
    }
    char *s = mo_buf_detach(&b, NULL);
    mo_buf_free(&b);
    return s;
}

static void hostile_text_is_quoted_or_rejected_everywhere(void **state) {
    fixture *f = *state;
    static const char *const hostile[] = {
        "a`b", "x'; DROP TABLE t; --", "back\\slash", "semi;colon", "-- comment", "new\nline",
        "cr\rlf", "\"dq\"", "数据`ü", "a.b", "/* c */", "#hash", "\x1a", "", "bad\xff",
        "`", "'", "\\", "x''", "p'q\"r`s\\t",
    };
    size_t quoted = 0, rejected = 0;
    for (size_t s = 0; s < sizeof slots / sizeof slots[0]; s++) {
        for (size_t h = 0; h < sizeof hostile / sizeof hostile[0]; h++) {
            const char *in = hostile[h];
            mo_status st = slots[s].call(f->ex, in);
            size_t n = journal_count(f->client);
            if (st == MO_E_INVALID_ARGUMENT) {
                if (n) {
                    fprintf(stderr, "%s [%s]: rejected but journaled [%s]\n", slots[s].name, in,
                            journal_at(f->client, 0));
                    fail();
                }
                rejected++;
                continue;
            }
            if (st < 0) {
                mo_test_print_error(st, slots[s].name);
                fail_msg("%s: neither quoted nor INVALID_ARGUMENT for [%s]", slots[s].name, in);
            }
            const char *tmpl = slots[s].tmpl;
            if (slots[s].call == s_s3_secret && !*in) /* an empty secret is no secret (SDK) */
                tmpl = "CREATE STAGE `s` URL='s3://b'";
            if (slots[s].call == s_cdc_list && !*in) tmpl = TASKS_SQL; /* "" = no filter (SDK) */
            if (slots[s].call == s_cdc_marks && !*in) tmpl = MARKS_SQL;
            char want_buf[512];
            if (!tmpl && slots[s].call == s_s3_bucket) {
                char url[256];
                snprintf(url, sizeof url, "s3://%s", in);
                mo_buf b;
                mo_buf_init(&b);
                model_literal(&b, url);
                snprintf(want_buf, sizeof want_buf,
                         "CREATE STAGE `s` URL=%s CREDENTIALS={'AWS_KEY_ID'='k', 'AWS_SECRET_KEY'='v'}",
                         mo_buf_cstr(&b));
                mo_buf_free(&b);
                tmpl = NULL;
            } else if (!tmpl && (slots[s].call == s_cdc_db || slots[s].call == s_cdc_table_key)) {
                char map[256];
                if (slots[s].call == s_cdc_db) snprintf(map, sizeof map, "%s:d", in);
                else snprintf(map, sizeof map, "db.%s:db.%s", in, in);
                mo_buf b;
                mo_buf_init(&b);
                model_literal(&b, map);
                snprintf(want_buf, sizeof want_buf, "CREATE CDC `t` 's' 'mysql' 'k' %s {'Level'='%s'}",
                         mo_buf_cstr(&b), slots[s].call == s_cdc_db ? "database" : "table");
                mo_buf_free(&b);
            } else if (!tmpl) {
                fail_msg("%s: accepted [%s], which it should reject", slots[s].name, in);
            }
            char *want = tmpl ? expand(tmpl, in) : strdup(want_buf);
            size_t k = 0;
            for (char *save = NULL, *part = strtok_r(want, SEQ, &save); part;
                 part = strtok_r(NULL, SEQ, &save), k++) {
                if (k >= n || strcmp(journal_at(f->client, k), part) != 0) {
                    fprintf(stderr, "%s [%s]:\n got  [%s]\n want [%s]\n", slots[s].name, in,
                            k < n ? journal_at(f->client, k) : "(none)", part);
                    fail();
                }
            }
            assert_int_equal(k, n);
            free(want);
            assert_mo_ok(mo_client_journal_clear(f->client));
            quoted++;
        }
    }
    /* NUL inside data that carries a length */
    assert_mo_ok(mo_load_data_from_inline(f->ex, "a\0'; DROP TABLE t; --", 21, "t", NULL, NULL));
    JOURNAL(f->client, "LOAD DATA INLINE FORMAT='csv', DATA='a\\0''; DROP TABLE t; --' INTO TABLE "
                       "`t` FIELDS TERMINATED BY ','");
    /* build_mysql_uri: user, password and account are percent-encoded, whatever they hold */
    for (size_t h = 0; h < sizeof hostile / sizeof hostile[0]; h++) {
        const char *uri = NULL;
        mo_status st = mo_cdc_build_mysql_uri(f->ex, &uri, "h", 1, "u", hostile[h], hostile[h]);
        assert_mo_ok(st);
        const char *at = strrchr(uri, '@');
        for (const char *p = uri + 8; p < at; p++)
            assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                   "-._~%#:", *p));
        assert_string_equal(at, "@h:1");
    }
    JOURNAL_EMPTY(f->client);
    fprintf(stderr, "injection sweep: %zu argument positions x %zu inputs: %zu quoted, %zu rejected\n",
            sizeof slots / sizeof slots[0], sizeof hostile / sizeof hostile[0], quoted, rejected);
}

/* log.c: inside CREDENTIALS={...} every value is hidden but the plainly public ones. */
static void credential_maps_are_redacted_whatever_the_key(void **state) {
    (void)state;
    const char *in = "CREATE STAGE s URL='s3://b' CREDENTIALS = {'ROLE_ARN'='x1', "
                     "'External_Id'='x2', 'AWS_REGION'='eu', 'ENDPOINT'='http://e', "
                     "aws_session_token=x3, 'it''s'='x4', 'k'='a''b'} COMMENT='keep'";
    mo_buf b;
    mo_buf_init(&b);
    mo_redact_secrets(&b, in, strlen(in));
    assert_string_equal(mo_buf_cstr(&b),
                        "CREATE STAGE s URL='s3://b' CREDENTIALS = {'ROLE_ARN'='***', "
                        "'External_Id'='***', 'AWS_REGION'='eu', 'ENDPOINT'='http://e', "
                        "aws_session_token=***, 'it''s'='***', 'k'='***'} COMMENT='keep'");
    mo_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        mo_test_dry_run_test(every_vector_replays_to_the_stated_mocore_sql),
        mo_test_dry_run_test(load_options_every_clause),
        mo_test_dry_run_test(load_brace_stage_and_inline_forms),
        cmocka_unit_test(local_infile_policy_is_checked_before_sending),
        mo_test_dry_run_test(stage_methods_beyond_the_vectors),
        cmocka_unit_test(strmap_keeps_order_and_replaces_in_place),
        mo_test_dry_run_test(cdc_methods_beyond_the_vectors),
        mo_test_dry_run_test(export_honours_every_format_option),
        mo_test_dry_run_test(matrixone_only_forms_are_unsupported_elsewhere),
        cmocka_unit_test(late_watermark_rules),
        mo_test_dry_run_test(hostile_text_is_quoted_or_rejected_everywhere),
        cmocka_unit_test(credential_maps_are_redacted_whatever_the_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
