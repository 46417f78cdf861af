/* bench/c/bench.c — C: mocore against raw libmariadb, side by side (run by bench/run.sh).
 *
 *   bench_c setup URL ROWS        create and fill bench_rows (the table every language reads)
 *   bench_c run URL ROWS INSERTS REPEAT
 *
 * Tasks (best of REPEAT runs, wall clock):
 *   fetch   SELECT all ROWS rows x 5 columns (INT, VARCHAR(32), DOUBLE, DATETIME, DECIMAL),
 *           buffered, every cell read as its type: integer (strtoll / mo_result_get_int64),
 *           double (strtod / mo_result_get_double), the rest as text (pointer + length).
 *   insert  INSERTS single-row INSERTs with 5 values in one transaction: mocore with typed
 *           `?` parameters, raw libmariadb with mysql_real_escape_string + snprintf.
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

static double mo_fetch(mo_client *c, size_t rows) {
    double t0 = now(), sum = 0;
    size_t n = 0, bytes = 0;
    mo_result *r = NULL;
    mo_status st = mo_client_execute(&r, c, FETCH_SQL, strlen(FETCH_SQL), NULL);
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

static double mo_insert(mo_client *c, size_t inserts) {
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
        if ((st = mo_session_execute(&r, s, INSERT_SQL, strlen(INSERT_SQL), p)) < 0) die_mo(st, "insert");
        mo_result_free(r);
    }
    if ((st = mo_session_commit(s)) < 0) die_mo(st, "commit");
    mo_session_close(s);
    mo_params_free(p);
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

static double my_fetch(MYSQL *m, size_t rows) {
    double t0 = now(), sum = 0;
    size_t n = 0, bytes = 0;
    if (mysql_real_query(m, FETCH_SQL, strlen(FETCH_SQL))) die_my(m, "fetch");
    MYSQL_RES *res = mysql_store_result(m);
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

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "setup") == 0) {
        setup(argv[2], (size_t)strtoull(argv[3], NULL, 10));
        return 0;
    }
    if (argc != 6 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: bench_c setup URL ROWS | bench_c run URL ROWS INSERTS REPEAT\n");
        return 2;
    }
    const char *url = argv[2];
    size_t rows = (size_t)strtoull(argv[3], NULL, 10), inserts = (size_t)strtoull(argv[4], NULL, 10);
    int repeat = atoi(argv[5]);
    mo_client *c = mo_open(url);
    MYSQL *m = my_open(url);
    double best[4] = { 1e9, 1e9, 1e9, 1e9 };
    for (int i = 0; i < repeat; i++) {   /* interleaved: both see the same machine state */
        double t;
        if ((t = mo_fetch(c, rows)) < best[0]) best[0] = t;
        if ((t = my_fetch(m, rows)) < best[1]) best[1] = t;
        if ((t = mo_insert(c, inserts)) < best[2]) best[2] = t;
        if ((t = my_insert(m, inserts)) < best[3]) best[3] = t;
    }
    printf("BENCH c mocore fetch %.4f\nBENCH c libmariadb fetch %.4f\n", best[0], best[1]);
    printf("BENCH c mocore insert %.4f\nBENCH c libmariadb insert %.4f\n", best[2], best[3]);
    mysql_close(m);
    mo_client_close(c);
    return 0;
}
