/* bench/c/bench.c — C: mocore against raw libmariadb, side by side (run by bench/run.sh).
 *
 *   bench_c setup URL ROWS        create and fill bench_rows (the table every language reads)
 *   bench_c run URL ROWS INSERTS REPEAT
 *   bench_c one URL TASK IMPL N   run one task once with N rows / statements (for callgrind:
 *                                 bench/run.sh --ir takes the Ir of N and 2N and divides)
 *
 * Tasks (best of REPEAT runs, wall clock):
 *   fetch   SELECT all ROWS rows x 5 columns (INT, VARCHAR(32), DOUBLE, DATETIME, DECIMAL),
 *           buffered, every cell read as its type: integer (strtoll / mo_result_get_int64),
 *           double (strtod / mo_result_get_double), the rest as text (pointer + length).
 *   stream  the same rows read one at a time from the wire (mysql_use_result, streaming).
 *   insert  INSERTS single-row INSERTs with 5 values in one transaction: mocore with typed
 *           `?` parameters, raw libmariadb with mysql_real_escape_string + snprintf.
 *   select1 INSERTS times `SELECT ?` with an integer, its row read.
 * Implementations: mocore (text protocol), mocore.prepared (MO_EXEC_PREPARED: the binary
 * protocol, statement cached), libmariadb (text: mysql_real_query), libmariadb.stmt
 * (mysql_stmt_*, prepared once, buffers bound: the binary protocol's floor).
 * Prints "BENCH c <impl> <task> <seconds>". */
#define _POSIX_C_SOURCE 200809L
#include <mocore.h>
#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FETCH_SQL "SELECT id, name, score, created, amount FROM bench_rows"
#define INSERT_SQL "INSERT INTO bench_ins (id, name, score, created, amount) VALUES (?, ?, ?, ?, ?)"
#define SELECT1_SQL "SELECT ?"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die_mo(mo_status st, const char *what) {
    fprintf(stderr, "bench_c: %s: %s: %s\n", what, mo_error_category_name(st),
            mo_error_message(mo_error_last()));
    exit(1);
}

static void die_my(MYSQL *m, const char *what) {
    fprintf(stderr, "bench_c: %s: %s\n", what, mysql_error(m));
    exit(1);
}

/* ---------------------------------------------------------------- mocore */
static mo_client *mo_open(const char *url) {
    mo_config *cfg = NULL;
    mo_client *c = NULL;
    mo_status st;
    if ((st = mo_config_from_url(&cfg, url)) < 0) die_mo(st, "config");
    /* "mocore" is the text protocol; "mocore.prepared" asks for the binary one per call */
    if ((st = mo_config_set_prepare_threshold(cfg, 0)) < 0) die_mo(st, "config");
    if ((st = mo_client_connect(&c, cfg)) < 0) die_mo(st, "connect");
    mo_config_free(cfg);
    return c;
}

static void mo_exec(mo_client *c, const char *sql) {
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, sql, strlen(sql), NULL);
    if (st < 0) die_mo(st, sql);
    mo_result_free(r);
}

static const char *fetch_sql(size_t rows) {
    static char sql[160];
    snprintf(sql, sizeof sql, "%s LIMIT %zu", FETCH_SQL, rows);
    return sql;
}

static double mo_fetch(mo_client *c, size_t rows, unsigned flags) {
    double t0 = now(), sum = 0;
    size_t n = 0, bytes = 0;
    mo_result *r = NULL;
    const char *sql = fetch_sql(rows);
    mo_status st = mo_client_execute_ex(&r, c, sql, strlen(sql), NULL, flags);
    if (st < 0) die_mo(st, "fetch");
    while ((st = mo_result_next(r)) == MO_ROW) {
        int64_t id; double score; const char *s; size_t len;
        if (mo_result_get_int64(r, 0, &id) < 0 || mo_result_get_double(r, 2, &score) < 0)
            die_mo(-1, "get");
        sum += (double)id + score;
        for (size_t col = 1; col < 5; col += (col == 1 ? 2 : 1)) {   /* 1, 3, 4 as text */
            if (mo_result_get_text(r, col, &s, &len) < 0) die_mo(-1, "get_text");
            bytes += len;
        }
        n++;
    }
    if (st != MO_DONE) die_mo(st, "next");
    mo_result_free(r);
    if (n != rows || sum == 0 || bytes == 0) { fprintf(stderr, "bench_c: mocore read %zu rows\n", n); exit(1); }
    return now() - t0;
}

static double mo_insert(mo_client *c, size_t inserts, unsigned flags) {
    mo_exec(c, "TRUNCATE TABLE bench_ins");
    double t0 = now();
    mo_session *s = NULL;
    mo_params *p = NULL;
    mo_status st;
    if ((st = mo_session_open(&s, c)) < 0) die_mo(st, "session");
    if ((st = mo_params_new(&p)) < 0) die_mo(st, "params");
    char name[32];
    for (size_t i = 0; i < inserts; i++) {
        int n = snprintf(name, sizeof name, "name-%zu", i);
        mo_result *r = NULL;
        mo_params_clear(p);
        if (mo_params_add_int64(p, (int64_t)i) < 0 || mo_params_add_text(p, name, (size_t)n) < 0 ||
            mo_params_add_double(p, (double)i * 0.25) < 0 ||
            mo_params_add_datetime(p, 2024, 1, 1 + (unsigned)(i % 28), 12, 30, 15, 0) < 0 ||
            mo_params_add_decimal(p, "1234.56", 7) < 0)
            die_mo(-1, "params");
        if ((st = mo_session_execute_ex(&r, s, INSERT_SQL, strlen(INSERT_SQL), p, flags)) < 0)
            die_mo(st, "insert");
        mo_result_free(r);
    }
    if ((st = mo_session_commit(s)) < 0) die_mo(st, "commit");
    mo_session_close(s);
    mo_params_free(p);
    return now() - t0;
}

static double mo_select1(mo_client *c, size_t count, unsigned flags) {
    double t0 = now();
    mo_params *p = NULL;
    mo_status st;
    int64_t sum = 0;
    if ((st = mo_params_new(&p)) < 0) die_mo(st, "params");
    for (size_t i = 0; i < count; i++) {
        mo_result *r = NULL;
        int64_t v = 0;
        mo_params_clear(p);
        mo_params_add_int64(p, (int64_t)i);
        if ((st = mo_client_execute_ex(&r, c, SELECT1_SQL, strlen(SELECT1_SQL), p, flags)) < 0)
            die_mo(st, "select1");
        if (mo_result_next(r) != MO_ROW || mo_result_get_int64(r, 0, &v) < 0) die_mo(-1, "row");
        sum += v;
        mo_result_free(r);
    }
    mo_params_free(p);
    if (sum != (int64_t)(count * (count - 1) / 2)) { fprintf(stderr, "bench_c: select1 sum\n"); exit(1); }
    return now() - t0;
}

/* ---------------------------------------------------------------- raw libmariadb */
static MYSQL *my_open(const char *url) {
    char user[128], pw[128], host[128], db[128];
    unsigned port;
    if (sscanf(url, "%*[a-z]://%127[^:]:%127[^@]@%127[^:]:%u/%127s", user, pw, host, &port, db) != 5) {
        fprintf(stderr, "bench_c: cannot parse %s\n", url);
        exit(1);
    }
    MYSQL *m = mysql_init(NULL);
    if (!mysql_real_connect(m, host, user, pw, db, port, NULL, 0)) die_my(m, "connect");
    if (mysql_set_character_set(m, "utf8mb4")) die_my(m, "charset");
    return m;
}

static double my_fetch(MYSQL *m, size_t rows, int streaming) {
    double t0 = now(), sum = 0;
    size_t n = 0, bytes = 0;
    const char *sql = fetch_sql(rows);
    if (mysql_real_query(m, sql, strlen(sql))) die_my(m, "fetch");
    MYSQL_RES *res = streaming ? mysql_use_result(m) : mysql_store_result(m);
    if (!res) die_my(m, "store");
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res))) {
        unsigned long *len = mysql_fetch_lengths(res);
        sum += (double)strtoll(row[0], NULL, 10) + strtod(row[2], NULL);
        bytes += len[1] + len[3] + len[4];
        n++;
    }
    mysql_free_result(res);
    if (n != rows || sum == 0 || bytes == 0) { fprintf(stderr, "bench_c: raw read %zu rows\n", n); exit(1); }
    return now() - t0;
}

static double my_insert(MYSQL *m, size_t inserts) {
    if (mysql_query(m, "TRUNCATE TABLE bench_ins")) die_my(m, "truncate");
    double t0 = now();
    char name[32], esc[80], sql[256];
    if (mysql_query(m, "BEGIN")) die_my(m, "begin");
    for (size_t i = 0; i < inserts; i++) {
        int n = snprintf(name, sizeof name, "name-%zu", i);
        mysql_real_escape_string(m, esc, name, (unsigned long)n);
        int len = snprintf(sql, sizeof sql,
                           "INSERT INTO bench_ins (id, name, score, created, amount) VALUES "
                           "(%zu, '%s', %.17g, '2024-01-%02u 12:30:15', 1234.56)",
                           i, esc, (double)i * 0.25, 1 + (unsigned)(i % 28));
        if (mysql_real_query(m, sql, (unsigned long)len)) die_my(m, "insert");
    }
    if (mysql_query(m, "COMMIT")) die_my(m, "commit");
    return now() - t0;
}

static void die_stmt(MYSQL_STMT *s, const char *what) {
    fprintf(stderr, "bench_c: %s: %s\n", what, mysql_stmt_error(s));
    exit(1);
}

/* The binary protocol's floor: prepared once, result buffers bound once, rows copied into
 * them by mysql_stmt_fetch. */
static double my_stmt_fetch(MYSQL *m, size_t rows, int streaming) {
    double t0 = now(), sum = 0;
    size_t n = 0, bytes = 0;
    const char *sql = fetch_sql(rows);
    MYSQL_STMT *s = mysql_stmt_init(m);
    if (mysql_stmt_prepare(s, sql, strlen(sql)) || mysql_stmt_execute(s)) die_stmt(s, "fetch");
    if (!streaming && mysql_stmt_store_result(s)) die_stmt(s, "store");
    int32_t id;
    double score;
    char name[64], amount[64];
    MYSQL_TIME created;
    unsigned long len[5];
    my_bool null[5];
    MYSQL_BIND b[5];
    memset(b, 0, sizeof b);
    b[0].buffer_type = MYSQL_TYPE_LONG; b[0].buffer = &id;
    b[1].buffer_type = MYSQL_TYPE_STRING; b[1].buffer = name; b[1].buffer_length = sizeof name;
    b[2].buffer_type = MYSQL_TYPE_DOUBLE; b[2].buffer = &score;
    b[3].buffer_type = MYSQL_TYPE_DATETIME; b[3].buffer = &created;
    b[4].buffer_type = MYSQL_TYPE_STRING; b[4].buffer = amount; b[4].buffer_length = sizeof amount;
    for (int i = 0; i < 5; i++) { b[i].length = &len[i]; b[i].is_null = &null[i]; }
    if (mysql_stmt_bind_result(s, b)) die_stmt(s, "bind");
    while (mysql_stmt_fetch(s) == 0) {
        sum += (double)id + score;
        bytes += len[1] + len[4] + created.day;
        n++;
    }
    mysql_stmt_close(s);
    if (n != rows || sum == 0 || bytes == 0) { fprintf(stderr, "bench_c: stmt read %zu rows\n", n); exit(1); }
    return now() - t0;
}

static double my_stmt_insert(MYSQL *m, size_t inserts) {
    if (mysql_query(m, "TRUNCATE TABLE bench_ins")) die_my(m, "truncate");
    double t0 = now();
    if (mysql_query(m, "BEGIN")) die_my(m, "begin");
    MYSQL_STMT *s = mysql_stmt_init(m);
    if (mysql_stmt_prepare(s, INSERT_SQL, strlen(INSERT_SQL))) die_stmt(s, "prepare");
    int64_t id;
    double score;
    char name[32], amount[] = "1234.56";
    unsigned long name_len, amount_len = 7;
    MYSQL_TIME created;
    memset(&created, 0, sizeof created);
    created.year = 2024; created.month = 1; created.hour = 12; created.minute = 30;
    created.second = 15; created.time_type = MYSQL_TIMESTAMP_DATETIME;
    MYSQL_BIND b[5];
    memset(b, 0, sizeof b);
    b[0].buffer_type = MYSQL_TYPE_LONGLONG; b[0].buffer = &id;
    b[1].buffer_type = MYSQL_TYPE_STRING; b[1].buffer = name; b[1].length = &name_len;
    b[2].buffer_type = MYSQL_TYPE_DOUBLE; b[2].buffer = &score;
    b[3].buffer_type = MYSQL_TYPE_DATETIME; b[3].buffer = &created;
    b[4].buffer_type = MYSQL_TYPE_NEWDECIMAL; b[4].buffer = amount; b[4].length = &amount_len;
    for (size_t i = 0; i < inserts; i++) {
        id = (int64_t)i;
        name_len = (unsigned long)snprintf(name, sizeof name, "name-%zu", i);
        score = (double)i * 0.25;
        created.day = 1 + (unsigned)(i % 28);
        if (mysql_stmt_bind_param(s, b) || mysql_stmt_execute(s)) die_stmt(s, "insert");
    }
    mysql_stmt_close(s);
    if (mysql_query(m, "COMMIT")) die_my(m, "commit");
    return now() - t0;
}

static double my_select1(MYSQL *m, size_t count) {
    double t0 = now();
    int64_t sum = 0;
    char sql[64];
    for (size_t i = 0; i < count; i++) {
        int len = snprintf(sql, sizeof sql, "SELECT %zu", i);
        if (mysql_real_query(m, sql, (unsigned long)len)) die_my(m, "select1");
        MYSQL_RES *res = mysql_store_result(m);
        MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
        if (!row) die_my(m, "row");
        sum += strtoll(row[0], NULL, 10);
        mysql_free_result(res);
    }
    if (sum != (int64_t)(count * (count - 1) / 2)) { fprintf(stderr, "bench_c: select1 sum\n"); exit(1); }
    return now() - t0;
}

static double my_stmt_select1(MYSQL *m, size_t count) {
    double t0 = now();
    int64_t sum = 0, in = 0, out = 0;
    MYSQL_STMT *s = mysql_stmt_init(m);
    if (mysql_stmt_prepare(s, SELECT1_SQL, strlen(SELECT1_SQL))) die_stmt(s, "prepare");
    MYSQL_BIND p, r;
    memset(&p, 0, sizeof p);
    memset(&r, 0, sizeof r);
    p.buffer_type = MYSQL_TYPE_LONGLONG; p.buffer = &in;
    r.buffer_type = MYSQL_TYPE_LONGLONG; r.buffer = &out;
    for (size_t i = 0; i < count; i++) {
        in = (int64_t)i;
        if (mysql_stmt_bind_param(s, &p) || mysql_stmt_execute(s) || mysql_stmt_store_result(s) ||
            mysql_stmt_bind_result(s, &r) || mysql_stmt_fetch(s) != 0)
            die_stmt(s, "select1");
        sum += out;
        mysql_stmt_free_result(s);
    }
    mysql_stmt_close(s);
    if (sum != (int64_t)(count * (count - 1) / 2)) { fprintf(stderr, "bench_c: stmt select1 sum\n"); exit(1); }
    return now() - t0;
}

static void setup(const char *url, size_t rows) {
    mo_client *c = mo_open(url);
    char sql[512];
    mo_exec(c, "DROP TABLE IF EXISTS bench_rows");
    mo_exec(c, "CREATE TABLE bench_rows (id INT PRIMARY KEY, name VARCHAR(32), score DOUBLE,"
               " created DATETIME, amount DECIMAL(12,2))");
    snprintf(sql, sizeof sql,
             "INSERT INTO bench_rows SELECT seq, CONCAT('name-', seq), seq * 0.25e0,"
             " '2024-01-01 00:00:00' + INTERVAL seq MINUTE, seq / 100 FROM seq_1_to_%zu", rows);
    mo_exec(c, sql);
    mo_exec(c, "DROP TABLE IF EXISTS bench_ins");
    mo_exec(c, "CREATE TABLE bench_ins LIKE bench_rows");
    mo_client_close(c);
}

/* One task of one implementation, once (N rows or statements). */
static double one(mo_client *c, MYSQL *m, const char *task, const char *impl, size_t n) {
    int prepared = strcmp(impl, "mocore.prepared") == 0, stmt = strcmp(impl, "libmariadb.stmt") == 0;
    int mocore = prepared || strcmp(impl, "mocore") == 0;
    unsigned pf = prepared ? MO_EXEC_PREPARED : 0;
    if (strcmp(task, "fetch") == 0 || strcmp(task, "stream") == 0) {
        int streaming = strcmp(task, "stream") == 0;
        if (mocore) return mo_fetch(c, n, pf | (streaming ? MO_EXEC_STREAMING : 0));
        return stmt ? my_stmt_fetch(m, n, streaming) : my_fetch(m, n, streaming);
    }
    if (strcmp(task, "insert") == 0) {
        if (mocore) return mo_insert(c, n, pf);
        return stmt ? my_stmt_insert(m, n) : my_insert(m, n);
    }
    if (strcmp(task, "select1") == 0) {
        if (mocore) return mo_select1(c, n, pf);
        return stmt ? my_stmt_select1(m, n) : my_select1(m, n);
    }
    fprintf(stderr, "bench_c: unknown task %s\n", task);
    exit(2);
}

static const char *const impls[] = {"mocore", "mocore.prepared", "libmariadb", "libmariadb.stmt"};
static const char *const tasks[] = {"fetch", "stream", "insert", "select1"};

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "setup") == 0) {
        setup(argv[2], (size_t)strtoull(argv[3], NULL, 10));
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "one") == 0) {
        mo_client *c = mo_open(argv[2]);
        MYSQL *m = my_open(argv[2]);
        one(c, m, argv[3], argv[4], (size_t)strtoull(argv[5], NULL, 10));
        mysql_close(m);
        mo_client_close(c);
        return 0;
    }
    if (argc != 6 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: bench_c setup URL ROWS | bench_c run URL ROWS INSERTS REPEAT |"
                        " bench_c one URL TASK IMPL N\n");
        return 2;
    }
    const char *url = argv[2];
    size_t rows = (size_t)strtoull(argv[3], NULL, 10), inserts = (size_t)strtoull(argv[4], NULL, 10);
    int repeat = atoi(argv[5]);
    mo_client *c = mo_open(url);
    MYSQL *m = my_open(url);
    double best[4][4];
    for (int t = 0; t < 4; t++)
        for (int i = 0; i < 4; i++) best[t][i] = 1e9;
    for (int k = 0; k < repeat; k++) {   /* interleaved: every impl sees the same machine state */
        for (int t = 0; t < 4; t++)
            for (int i = 0; i < 4; i++) {
                double d = one(c, m, tasks[t], impls[i], t < 2 ? rows : inserts);
                if (d < best[t][i]) best[t][i] = d;
            }
    }
    for (int t = 0; t < 4; t++)
        for (int i = 0; i < 4; i++) printf("BENCH c %s %s %.4f\n", impls[i], tasks[t], best[t][i]);
    mysql_close(m);
    mo_client_close(c);
    return 0;
}
