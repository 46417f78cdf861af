/* LOAD DATA, export, stages and CDC against the real MariaDB.
 *
 * - LOAD DATA LOCAL of a generated 100,000-row CSV, every row read back, progress totals;
 * - LOCAL refused: not allowed by the config, a file outside the allowed directories, a
 *   symlink escaping them, and a server-side request for a file no call asked for;
 * - SELECT ... INTO OUTFILE written by the server (into its secure_file_priv directory) and
 *   read back from disk byte for byte, then loaded again with server-side LOAD DATA INFILE;
 * - stage and CDC calls are MO_E_UNSUPPORTED without a single statement sent;
 * - credentials and URI passwords never appear in log lines or error messages, even when the
 *   server echoes the statement in a syntax error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test_support.h"

#define ROWS 100000

static char tmpdir[256], allowed[300], outside[300];

static int make_dirs(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mocore-load-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    snprintf(allowed, sizeof allowed, "%s/allowed", tmpdir);
    snprintf(outside, sizeof outside, "%s/outside", tmpdir);
    return mkdir(allowed, 0700) || mkdir(outside, 0700);
}

static int remove_dirs(void **state) {
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A client for the test server; `local_dir` allows LOAD DATA LOCAL under it (NULL: off). */
static mo_client *connect_with(const char *local_dir, mo_log_sink sink, void *userdata) {
    mo_config *cfg = mo_test_config();
    if (local_dir) assert_mo_ok(mo_config_add_local_infile_dir(cfg, local_dir));
    if (sink) {
        assert_mo_ok(mo_config_set_log_sink(cfg, sink, userdata));
        assert_mo_ok(mo_config_set_log_mode(cfg, MO_LOG_FULL));
    }
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

static int64_t questions(mo_client *c) {
    return mo_test_query_int(c, "SELECT CAST(VARIABLE_VALUE AS SIGNED) FROM "
                                "information_schema.SESSION_STATUS "
                                "WHERE VARIABLE_NAME = 'QUESTIONS'");
}

/* Row i of the generated file: id, a name with the characters CSV must survive, a value. */
static void row_name(char *buf, size_t size, long i) {
    snprintf(buf, size, "n%ld, \"q\" \\ é%s", i, i % 7 == 0 ? " ✓" : "");
}

typedef struct {
    uint64_t last, total, calls;
    int monotonic;
    uintptr_t caller;   /* the address of a local of the function calling the load */
    uintptr_t farthest; /* the largest distance from it to a local of the callback */
} progress;

static void on_progress(void *userdata, uint64_t sent, uint64_t total) {
    progress *p = userdata;
    volatile char local = 0;
    uintptr_t at = (uintptr_t)&local;
    uintptr_t distance = at > p->caller ? at - p->caller : p->caller - at;
    if (distance > p->farthest) p->farthest = distance;
    if (sent < p->last) p->monotonic = 0;
    p->last = sent;
    p->total = total;
    p->calls++;
}

static void write_csv(const char *path) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    char name[128];
    for (long i = 1; i <= ROWS; i++) {
        row_name(name, sizeof name, i);
        /* ENCLOSED BY '"' ESCAPED BY '\\': quotes and backslashes escaped with a backslash */
        fputc('"', fp);
        for (const char *p = name; *p; p++) {
            if (*p == '"' || *p == '\\') fputc('\\', fp);
            fputc(*p, fp);
        }
        fprintf(fp, "\";%ld;%ld\n", i * 3 - 1, i);
    }
    fclose(fp);
}

static void local_load_of_100000_rows_reads_back_every_row(void **state) {
    (void)state;
    char path[400];
    snprintf(path, sizeof path, "%s/rows.csv", allowed);
    write_csv(path);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);

    mo_client *c = connect_with(allowed, NULL, NULL);
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS load_rows");
    mo_test_exec_ok(c, "CREATE TABLE load_rows (id INT PRIMARY KEY, name VARCHAR(100), v BIGINT) "
                       "CHARACTER SET utf8mb4");
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_character_set(o, "utf8mb4"));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, ";"));
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, "\"", 1));
    assert_mo_ok(mo_load_options_set_fields_escaped_by(o, "\\"));
    assert_mo_ok(mo_load_options_set_lines_terminated_by(o, "\n"));
    /* columns in file order: name, v, id (v through a user variable, +1) */
    assert_mo_ok(mo_load_options_add_column(o, "name"));
    assert_mo_ok(mo_load_options_add_column(o, "@v"));
    assert_mo_ok(mo_load_options_add_column(o, "id"));
    assert_mo_ok(mo_load_options_add_set_expression(o, "v", "@v + 1"));
    volatile char caller_local = 0;
    progress p = {0, 0, 0, 1, (uintptr_t)&caller_local, 0};
    assert_mo_ok(mo_load_options_set_progress(o, on_progress, &p));
    uint64_t rows = 0;
    assert_mo_ok(mo_load_data_from_local_file(ex, path, "load_rows", o, &rows));
    assert_int_equal(rows, ROWS);
    /* progress: every byte of the file was reported, in order, in several steps */
    assert_int_equal(p.last, (uint64_t)sb.st_size);
    assert_int_equal(p.total, (uint64_t)sb.st_size);
    assert_true(p.monotonic);
    assert_true(p.calls >= 1); /* one per network step that sent bytes: on loopback maybe 1 */
    /* the callback ran on this thread's own stack (between network steps), not on
     * libmariadb's private coroutine stack (a heap block far from here) */
    assert_true(p.farthest < 256 * 1024);

    mo_result *r = NULL;
    const char *sql = "SELECT id, name, v FROM load_rows ORDER BY id";
    assert_mo_ok(mo_client_execute(&r, c, sql, strlen(sql), NULL));
    long i = 0;
    char name[128];
    mo_status st;
    while ((st = mo_result_next(r)) == MO_ROW) {
        i++;
        int64_t id, v;
        const char *text;
        size_t len;
        assert_mo_ok(mo_result_get_int64(r, 0, &id));
        assert_mo_ok(mo_result_get_text(r, 1, &text, &len));
        assert_mo_ok(mo_result_get_int64(r, 2, &v));
        row_name(name, sizeof name, i);
        assert_int_equal(id, i);
        assert_int_equal(len, strlen(name));
        assert_memory_equal(text, name, len);
        assert_int_equal(v, i * 3);
    }
    assert_int_equal(st, MO_DONE);
    assert_int_equal(i, ROWS);
    mo_result_free(r);
    mo_load_options_free(o);

    /* the same load inside a session: rolled back with it */
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_executor *sx = NULL;
    assert_mo_ok(mo_session_executor(&sx, s));
    mo_test_session_exec_ok(s, "DELETE FROM load_rows");
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, ";"));
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, "\"", 0));
    assert_mo_ok(mo_load_options_add_column(o, "name"));
    assert_mo_ok(mo_load_options_add_column(o, "v"));
    assert_mo_ok(mo_load_options_add_column(o, "id"));
    assert_mo_ok(mo_load_data_from_local_file(sx, path, "mocore_test.load_rows", o, &rows));
    assert_int_equal(rows, ROWS);
    mo_load_options_free(o);
    assert_mo_ok(mo_session_rollback(s));
    mo_executor_free(sx);
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM load_rows"), ROWS);
    mo_test_exec_ok(c, "DROP TABLE load_rows");
    mo_executor_free(ex);
    mo_client_close(c);
    unlink(path);
}

/* ---- a file that changes size while it is sent ---- */

/* The server is held at the first row (a trigger waits for a user lock the test holds), so
 * the client fills the socket and waits: the progress callback then runs in the middle of
 * the load, changes the file's size and opens the gate. */
typedef struct {
    const char *path;
    mo_client *holder;  /* holds the gate lock */
    int grow;
    int calls;
    uint64_t sent_then, total;
} resize_mid_load;

static void resize_then_open_the_gate(void *userdata, uint64_t sent, uint64_t total) {
    resize_mid_load *z = userdata;
    if (z->calls++) return;
    z->sent_then = sent;
    z->total = total;
    if (sent < total) {
        if (z->grow) {
            FILE *fp = fopen(z->path, "a");
            assert_non_null(fp);
            fputs("9999999,appended\n", fp);
            fclose(fp);
        } else {
            assert_int_equal(truncate(z->path, (off_t)(total / 2)), 0);
        }
    }
    mo_test_exec_ok(z->holder, "DO RELEASE_LOCK('mocore_load_gate')");
}

static void write_rows(const char *path, long rows) {
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (long i = 1; i <= rows; i++) fprintf(fp, "%ld,row %ld of the file that changes\n", i, i);
    fclose(fp);
}

static void load_while_resizing(int grow, int in_session) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s.csv", allowed, grow ? "grows" : "shrinks");
    write_rows(path, 200000); /* ~8 MB: more than the socket buffers hold */
    mo_client *c = connect_with(allowed, NULL, NULL);
    mo_client *holder = connect_with(NULL, NULL, NULL);
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS load_cut");
    mo_test_exec_ok(c, "CREATE TABLE load_cut (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB");
    mo_test_exec_ok(c, "CREATE TRIGGER load_cut_gate BEFORE INSERT ON load_cut FOR EACH ROW "
                       "SET @gate = IF(NEW.id = 1, GET_LOCK('mocore_load_gate', 30) + "
                       "RELEASE_LOCK('mocore_load_gate'), 0)");
    assert_int_equal(mo_test_query_int(holder, "SELECT GET_LOCK('mocore_load_gate', 0)"), 1);

    mo_session *s = NULL;
    mo_executor *ex = NULL;
    if (in_session) {
        assert_mo_ok(mo_session_open(&s, c));
        mo_test_session_exec_ok(s, "INSERT INTO load_cut VALUES (0, 'before the load')");
        assert_mo_ok(mo_session_executor(&ex, s));
    } else {
        assert_mo_ok(mo_client_executor(&ex, c));
    }
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, ","));
    resize_mid_load z = {path, holder, grow, 0, 0, 0};
    assert_mo_ok(mo_load_options_set_progress(o, resize_then_open_the_gate, &z));
    uint64_t rows = 0;
    mo_status st = mo_load_data_from_local_file(ex, path, "load_cut", o, &rows);
    assert_true(z.calls >= 1);
    assert_true(z.sent_then < z.total); /* the file did change in the middle of the load */
    assert_int_equal(st, MO_E_DATA);
    assert_non_null(strstr(mo_error_message(mo_error_last()), grow ? "grew" : "shrank"));
    if (s) assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    mo_load_options_free(o);
    mo_executor_free(ex);
    mo_session_close(s);
    mo_client_close(c);
    /* Never a part of the file: the server failed the statement (and the transaction). */
    assert_int_equal(mo_test_query_int(holder, "SELECT COUNT(*) FROM load_cut"), 0);
    mo_test_exec_ok(holder, "DROP TABLE load_cut");
    mo_client_close(holder);
}

static void a_local_file_that_grows_while_it_is_sent_fails_the_load(void **state) {
    (void)state;
    load_while_resizing(1, 0);
}

static void a_local_file_that_shrinks_while_it_is_sent_fails_the_load_and_its_transaction(
    void **state) {
    (void)state;
    load_while_resizing(0, 1);
}

static void local_load_is_refused_unless_allowed_for_that_file(void **state) {
    (void)state;
    char good[400], secret[400], link[400], dirlink[400], via[500];
    snprintf(good, sizeof good, "%s/ok.csv", allowed);
    snprintf(secret, sizeof secret, "%s/secret.csv", outside);
    snprintf(link, sizeof link, "%s/escape.csv", allowed);
    snprintf(dirlink, sizeof dirlink, "%s/up", allowed);
    snprintf(via, sizeof via, "%s/secret.csv", dirlink);
    FILE *fp = fopen(good, "w");
    fputs("1\n2\n", fp);
    fclose(fp);
    fp = fopen(secret, "w");
    fputs("666\n", fp);
    fclose(fp);
    unlink(link);
    unlink(dirlink);
    assert_int_equal(symlink(secret, link), 0);
    assert_int_equal(symlink(outside, dirlink), 0);

    /* not allowed at all: refused before sending; the capability is not even offered */
    mo_client *c = connect_with(NULL, NULL, NULL);
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS load_one");
    mo_test_exec_ok(c, "CREATE TABLE load_one (v INT)");
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    int64_t before = questions(c);
    assert_int_equal(mo_load_data_from_local_file(ex, good, "load_one", NULL, NULL),
                     MO_E_INVALID_ARGUMENT);
    assert_string_equal(mo_error_operation(mo_error_last()), "load_data.from_local_file");
    assert_int_equal(questions(c), before + 1); /* only the questions query itself */
    char sql[600];
    snprintf(sql, sizeof sql, "LOAD DATA LOCAL INFILE '%s' INTO TABLE load_one", good);
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, sql, strlen(sql), NULL);
    assert_true(st < 0); /* the server refuses: the client did not offer LOCAL */
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM load_one"), 0);
    mo_executor_free(ex);
    mo_client_close(c);

    /* allowed under `allowed`: outside, through a symlinked file or directory: refused */
    c = connect_with(allowed, NULL, NULL);
    assert_mo_ok(mo_client_executor(&ex, c));
    before = questions(c);
    const char *bad[] = {secret, link, via};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(mo_load_data_from_local_file(ex, bad[i], "load_one", NULL, NULL),
                         MO_E_INVALID_ARGUMENT);
        assert_non_null(strstr(mo_error_message(mo_error_last()), "not under a directory allowed"));
    }
    assert_int_equal(questions(c), before + 1);
    /* a LOCAL request no mocore call armed (here: a statement through execute) is refused by
     * the handler, even for a file under the allowed directory; the server gets nothing */
    const char *asked[] = {good, secret};
    for (size_t i = 0; i < 2; i++) {
        snprintf(sql, sizeof sql, "LOAD DATA LOCAL INFILE '%s' INTO TABLE load_one", asked[i]);
        st = mo_client_execute(&r, c, sql, strlen(sql), NULL);
        assert_int_equal(st, MO_E_SERVER);
        assert_int_equal(mo_error_server_code(mo_error_last()), 1148);
        assert_non_null(strstr(mo_error_message(mo_error_last()), "refused by mocore"));
        assert_null(r);
    }
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM load_one"), 0);
    /* the connection is in sync after a refusal, and the allowed file loads */
    uint64_t rows = 0;
    assert_mo_ok(mo_load_data_from_local_file(ex, good, "load_one", NULL, &rows));
    assert_int_equal(rows, 2);
    assert_int_equal(mo_test_query_int(c, "SELECT CAST(SUM(v) AS SIGNED) FROM load_one"), 3);
    mo_test_exec_ok(c, "DROP TABLE load_one");
    mo_executor_free(ex);
    mo_client_close(c);
    unlink(link);
    unlink(dirlink);
    unlink(good);
    unlink(secret);
}

static char *read_all(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, fp);
    buf[*len] = 0;
    fclose(fp);
    return buf;
}

static void export_writes_the_file_the_options_describe(void **state) {
    (void)state;
    mo_client *c = connect_with(NULL, NULL, NULL);
    mo_result *r = NULL;
    const char *q = "SELECT @@secure_file_priv";
    assert_mo_ok(mo_client_execute(&r, c, q, strlen(q), NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    const char *dir = NULL;
    size_t dir_len = 0;
    int is_null = 0;
    assert_mo_ok(mo_result_is_null(r, 0, &is_null));
    char files[512] = "";
    if (!is_null) {
        assert_mo_ok(mo_result_get_text(r, 0, &dir, &dir_len));
        snprintf(files, sizeof files, "%.*s", (int)dir_len, dir);
    }
    mo_result_free(r);
    size_t n = strlen(files);
    while (n > 1 && files[n - 1] == '/') files[--n] = 0;
    struct stat sb;
    if (!n || stat(files, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        mo_client_close(c);
        skip(); /* the server's file directory is not on this machine */
    }
    char out[700], out2[700];
    snprintf(out, sizeof out, "%s/export-%d.csv", files, (int)getpid());
    snprintf(out2, sizeof out2, "%s/export-%d.tsv", files, (int)getpid());
    unlink(out);
    unlink(out2);

    mo_test_exec_ok(c, "DROP TABLE IF EXISTS export_src");
    mo_test_exec_ok(c, "CREATE TABLE export_src (id INT, name VARCHAR(50)) CHARACTER SET utf8mb4");
    mo_test_exec_ok(c, "INSERT INTO export_src VALUES (1, 'plain'), (2, 'a|b'), "
                       "(3, 'say \"hi\"'), (4, 'ü✓'), (5, NULL)");
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 4));
    uint64_t rows = 0;
    /* every option is honoured: '|' separator AND '"' quotes AND CRLF lines */
    assert_mo_ok(mo_export_to_csv(ex, out, "SELECT id, name FROM export_src WHERE id <= ? "
                                           "ORDER BY id;", p, "|", "\"", "\r\n", 0, &rows));
    assert_int_equal(rows, 4);
    size_t len = 0;
    char *text = read_all(out, &len);
    assert_non_null(text);
    assert_string_equal(text, "\"1\"|\"plain\"\r\n\"2\"|\"a|b\"\r\n\"3\"|\"say \\\"hi\\\"\"\r\n"
                              "\"4\"|\"ü✓\"\r\n");
    free(text);
    /* and it loads back with server-side LOAD DATA INFILE and the same options */
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS export_back");
    mo_test_exec_ok(c, "CREATE TABLE export_back (id INT, name VARCHAR(50)) CHARACTER SET utf8mb4");
    mo_load_options *o = NULL;
    assert_mo_ok(mo_load_options_new(&o));
    assert_mo_ok(mo_load_options_set_fields_terminated_by(o, "|"));
    assert_mo_ok(mo_load_options_set_fields_enclosed_by(o, "\"", 0));
    assert_mo_ok(mo_load_options_set_lines_terminated_by(o, "\r\n"));
    assert_mo_ok(mo_load_options_set_character_set(o, "utf8mb4"));
    assert_mo_ok(mo_load_data_from_file(ex, out, "export_back", o, &rows));
    assert_int_equal(rows, 4);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM export_back b JOIN export_src s "
                                          "ON b.id = s.id AND b.name = s.name"), 4);
    mo_load_options_free(o);
    /* jsonl to a file on MariaDB: the server's default layout (tab-separated) */
    assert_mo_ok(mo_export_to_jsonl(ex, out2, "SELECT id, name FROM export_src WHERE id = 2",
                                    NULL, &rows));
    text = read_all(out2, &len);
    assert_string_equal(text, "2\ta|b\n");
    free(text);
    /* an existing file is the server's error, kept as such */
    assert_int_equal(mo_export_to_jsonl(ex, out2, "SELECT 1", NULL, NULL), MO_E_SERVER);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1086);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Failed to export query result"));
    /* header is MatrixOne's clause: refused here before sending */
    assert_int_equal(mo_export_to_csv(ex, out, "SELECT 1", NULL, NULL, NULL, NULL, 1, NULL),
                     MO_E_UNSUPPORTED);
    mo_params_free(p);
    mo_test_exec_ok(c, "DROP TABLE export_src");
    mo_test_exec_ok(c, "DROP TABLE export_back");
    mo_executor_free(ex);
    mo_client_close(c);
    unlink(out);
    unlink(out2);
}

static void stage_and_cdc_are_unsupported_without_io(void **state) {
    (void)state;
    mo_client *c = connect_with(NULL, NULL, NULL);
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    int64_t before = questions(c);
    mo_stage *s = NULL;
    mo_stage_list *sl = NULL;
    mo_cdc_task *t = NULL;
    mo_cdc_task_list *tl = NULL;
    mo_cdc_watermark_list *wl = NULL;
    mo_result *r = NULL;
    int exists = -1;
    assert_int_equal(mo_stage_create(&s, ex, "s", "file:///tmp/", NULL, NULL, 0), MO_E_UNSUPPORTED);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "MariaDB"));
    assert_int_equal(mo_stage_create_s3(&s, ex, "s", "b", NULL, "k", "v", NULL, NULL, NULL, 0),
                     MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_create_local(&s, ex, "s", "/tmp", NULL, 0), MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_alter(&s, ex, "s", "u", NULL, NULL, 1, 0), MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_drop(ex, "s", 1), MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_show(&sl, ex, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_list_stages(&sl, ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_get(&s, ex, "s"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_stage_exists(ex, "s", &exists), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_create(&t, ex, "t", "s", "mysql", "k", "a:b", NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_create_database_task(&t, ex, "t", "s", "mysql", "k", "a", NULL, NULL),
                     MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_create_table_task(&t, ex, "t", "s", "mysql", "k", NULL, NULL),
                     MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_drop(ex, "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_drop_all(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_pause(ex, "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_pause_all(ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_resume(ex, "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_restart(ex, "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_show_all(&r, ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_show_task(&r, ex, "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_list_tasks(&tl, ex, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_get(&t, ex, "t"), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_exists(ex, "t", &exists), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_list_watermarks(&wl, ex, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_list_failing_tasks(&tl, ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_list_stuck_tasks(&tl, ex), MO_E_UNSUPPORTED);
    assert_int_equal(mo_cdc_list_late_table_watermarks(&wl, ex, NULL, -1, NULL, 0),
                     MO_E_UNSUPPORTED);
    assert_int_equal(mo_load_data_from_stage(ex, "s", "f", "t", NULL, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_load_data_from_inline(ex, "1", 1, "t", NULL, NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_export_to_csv_stage(ex, "s", "f", "SELECT 1", NULL, NULL, NULL, NULL, 0,
                                            NULL), MO_E_UNSUPPORTED);
    assert_int_equal(mo_export_to_jsonl_stage(ex, "s", "f", "SELECT 1", NULL, NULL),
                     MO_E_UNSUPPORTED);
    assert_null(s), assert_null(sl), assert_null(t), assert_null(tl), assert_null(wl);
    assert_null(r);
    assert_int_equal(exists, 0);
    assert_int_equal(questions(c), before + 1); /* nothing was sent but the questions query */
    /* build_mysql_uri is pure and works on any server */
    const char *uri = NULL;
    assert_mo_ok(mo_cdc_build_mysql_uri(ex, &uri, "127.0.0.1", 6001, "root", "p@ss:w/rd", "sys"));
    assert_string_equal(uri, "mysql://sys#root:p%40ss%3Aw%2Frd@127.0.0.1:6001");
    mo_executor_free(ex);
    mo_client_close(c);
}

/* ------------------------------------------------------------------ secrets */

typedef struct {
    char text[1 << 15];
    size_t len;
    int lines;
} captured;

static void capture(void *userdata, int level, const char *message, size_t len) {
    (void)level;
    captured *cap = userdata;
    if (cap->len + len + 2 < sizeof cap->text) {
        memcpy(cap->text + cap->len, message, len);
        cap->len += len;
        cap->text[cap->len++] = '\n';
        cap->text[cap->len] = 0;
    }
    cap->lines++;
}

static void no_secret_in(const char *text, const char *const *secrets) {
    for (size_t i = 0; secrets[i]; i++) {
        if (strstr(text, secrets[i])) {
            fprintf(stderr, "secret '%s' leaked in:\n%s\n", secrets[i], text);
            fail();
        }
    }
}

static void credentials_never_reach_logs_or_errors(void **state) {
    (void)state;
    static captured cap;
    memset(&cap, 0, sizeof cap);
    /* Pose as MatrixOne so the statements really go to the server, which cannot parse them
     * and echoes them back in its syntax error. */
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_server_kind(cfg, MO_SERVER_MATRIXONE));
    assert_mo_ok(mo_config_set_log_sink(cfg, capture, &cap));
    assert_mo_ok(mo_config_set_log_mode(cfg, MO_LOG_FULL));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    mo_executor *ex = NULL;
    assert_mo_ok(mo_client_executor(&ex, c));
    static const char *const secrets[] = {"AKIAEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG", "hunter2pw",
                                          "sinkPassw0rd", "roleArnSecret", NULL};
    char errors[8192] = "";
#define KEEP_ERROR()                                                                         \
    strncat(errors, mo_error_message(mo_error_last()), sizeof errors - strlen(errors) - 2);  \
    strcat(errors, "\n")

    mo_status st = mo_stage_create_s3(NULL, ex, "s3stage", "bucket", "p", "AKIAEXAMPLEKEY",
                                      "wJalrXUtnFEMI/K7MDENG", "us-east-1", NULL, NULL, 0);
    assert_int_equal(st, MO_E_SYNTAX);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "Failed to create stage"));
    KEEP_ERROR();
    mo_strmap *creds = NULL;
    assert_mo_ok(mo_strmap_new(&creds));
    assert_mo_ok(mo_strmap_set(creds, "ROLE_ARN", "roleArnSecret"));
    assert_mo_ok(mo_strmap_set(creds, "AWS_SECRET_KEY", "it's hunter2pw"));
    assert_int_equal(mo_stage_alter(NULL, ex, "s3stage", NULL, creds, NULL, -1, 0), MO_E_SYNTAX);
    KEEP_ERROR();
    mo_strmap_free(creds);
    const char *src = NULL;
    assert_mo_ok(mo_cdc_build_mysql_uri(ex, &src, "127.0.0.1", 6001, "root", "hunter2pw", "sys"));
    char source[256];
    snprintf(source, sizeof source, "%s", src);
    assert_int_equal(mo_cdc_create(NULL, ex, "task1", source, "mysql",
                                   "mysql://admin:sinkPassw0rd@10.0.0.2:3306", "db1:db2", NULL),
                     MO_E_SYNTAX);
    KEEP_ERROR();
#undef KEEP_ERROR
    assert_true(cap.lines >= 3); /* the failed statements were logged, in full */
    assert_non_null(strstr(cap.text, "CREATE STAGE"));
    assert_non_null(strstr(cap.text, "CREATE CDC"));
    assert_non_null(strstr(cap.text, "***"));
    no_secret_in(cap.text, secrets);
    no_secret_in(errors, secrets);
    /* what is not secret stays readable */
    assert_non_null(strstr(cap.text, "us-east-1"));
    assert_non_null(strstr(cap.text, "10.0.0.2:3306"));
    mo_executor_free(ex);
    mo_client_close(c);
}

int main(void) {
    if (mo_test_server_is_matrixone()) {
        printf("skipped on MatrixOne (MOCORE_TEST_URL names one): this program tests MariaDB behaviour (local_infile, secure_file_priv, INTO OUTFILE options); the MatrixOne profile is test_managers_matrixone\n");
        return 77;
    }
    if (!mo_test_url()) {
        fprintf(stderr, "skipped: no test server (run through ctest or set MOCORE_TEST_URL)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(local_load_of_100000_rows_reads_back_every_row),
        cmocka_unit_test(local_load_is_refused_unless_allowed_for_that_file),
        cmocka_unit_test(a_local_file_that_grows_while_it_is_sent_fails_the_load),
        cmocka_unit_test(a_local_file_that_shrinks_while_it_is_sent_fails_the_load_and_its_transaction),
        cmocka_unit_test(export_writes_the_file_the_options_describe),
        cmocka_unit_test(stage_and_cdc_are_unsupported_without_io),
        cmocka_unit_test(credentials_never_reach_logs_or_errors),
    };
    return cmocka_run_group_tests(tests, make_dirs, remove_dirs);
}
