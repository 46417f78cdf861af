/* Server-side prepared statements (the binary protocol): the same values as the text
 * protocol for every column type, the statement cache (hits, misses, eviction, the threshold
 * policy), re-preparing after a table changed, the fall back to text, streaming, errors that
 * keep the connection and a killed connection, sessions and the asynchronous API. */
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "test_support.h"

/* A client whose statements run in the text protocol unless MO_EXEC_PREPARED says otherwise. */
static mo_client *connect_with(int threshold, unsigned cache_size) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_prepare_threshold(cfg, threshold));
    assert_mo_ok(mo_config_set_statement_cache_size(cfg, cache_size));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

static int setup(void **state) {
    *state = connect_with(0, 32);
    return 0;
}

static int teardown(void **state) {
    mo_client_close(*state);
    return 0;
}

static uint64_t stat_of(mo_client *c, mo_stmt_cache_stat which) {
    uint64_t v = 0;
    assert_mo_ok(mo_client_statement_cache_stat(c, which, &v));
    return v;
}

static mo_result *run(mo_client *c, const char *sql, const mo_params *p, unsigned flags) {
    mo_result *r = NULL;
    mo_status st = mo_client_execute_ex(&r, c, sql, strlen(sql), p, flags);
    if (st < 0) mo_test_print_error(st, sql);
    assert_mo_ok(st);
    return r;
}

static int64_t session_status(mo_client *c, const char *name) {
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT CAST(VARIABLE_VALUE AS SIGNED) FROM information_schema.SESSION_STATUS "
                              "WHERE VARIABLE_NAME = '%s'", name);
    return mo_test_query_int(c, sql);
}

static double ten_to(int e) {
    double v = 1;
    for (; e > 0; e--) v *= 10;
    for (; e < 0; e++) v /= 10;
    return v;
}

/* Every getter of every column of the current rows of a and b gives the same answer. */
static void assert_same_row(mo_result *a, mo_result *b, size_t row) {
    size_t n = mo_result_column_count(a);
    assert_int_equal(n, mo_result_column_count(b));
    const char *const *va, *const *vb;
    const size_t *la, *lb;
    size_t ca, cb;
    /* the typed view: text results have bytes and NULLs only; a binary one's numbers are the
     * getters' values */
    const void *const *ta_v, *const *tb_v;
    const size_t *ta_l, *tb_l;
    const int *ka, *kb;
    size_t tca, tcb;
    assert_mo_ok(mo_result_row_typed(a, &ta_v, &ta_l, &ka, &tca));
    assert_mo_ok(mo_result_row_typed(b, &tb_v, &tb_l, &kb, &tcb));
    assert_int_equal(tca, n);
    assert_int_equal(tcb, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(ka[i] == MO_CELL_NULL || ka[i] == MO_CELL_BYTES);
        assert_int_equal(ka[i] == MO_CELL_NULL, kb[i] == MO_CELL_NULL);
        int64_t iv;
        uint64_t uv;
        double dv;
        switch (kb[i]) {
        case MO_CELL_INT64:
            assert_mo_ok(mo_result_get_int64(b, i, &iv));
            assert_true(*(const int64_t *)tb_v[i] == iv);
            break;
        case MO_CELL_UINT64:
            assert_mo_ok(mo_result_get_uint64(b, i, &uv));
            assert_true(*(const uint64_t *)tb_v[i] == uv);
            break;
        case MO_CELL_DOUBLE:
            assert_mo_ok(mo_result_get_double(b, i, &dv));
            assert_memory_equal(tb_v[i], &dv, sizeof dv);
            break;
        case MO_CELL_BYTES:
            if (ta_l[i] != tb_l[i] || memcmp(ta_v[i], tb_v[i], ta_l[i]) != 0)
                fail_msg("row %zu column %zu: typed bytes differ", row, i);
            break;
        default: assert_int_equal(kb[i], MO_CELL_NULL);
        }
    }
    assert_int_equal(mo_result_row_typed(a, NULL, &ta_l, &ka, &tca), MO_E_INVALID_ARGUMENT);
    assert_mo_ok(mo_result_row(a, &va, &la, &ca));
    assert_mo_ok(mo_result_row(b, &vb, &lb, &cb));
    assert_int_equal(ca, cb);
    for (size_t i = 0; i < n; i++) {
        const char *name;
        size_t name_len;
        assert_mo_ok(mo_result_column_name(a, i, &name, &name_len));
        char where[160];
        snprintf(where, sizeof where, "row %zu column %zu (%s)", row, i, name);
        mo_type ta, tb;
        unsigned fa, fb, da, db;
        assert_mo_ok(mo_result_column_type(a, i, &ta));
        assert_mo_ok(mo_result_column_type(b, i, &tb));
        if (ta != tb) fail_msg("%s: type %d (text) vs %d (binary)", where, ta, tb);
        assert_mo_ok(mo_result_column_flags(a, i, &fa));
        assert_mo_ok(mo_result_column_flags(b, i, &fb));
        if (fa != fb) fail_msg("%s: flags %x vs %x", where, fa, fb);
        assert_mo_ok(mo_result_column_decimals(a, i, &da));
        assert_mo_ok(mo_result_column_decimals(b, i, &db));
        if (da != db) fail_msg("%s: decimals %u vs %u", where, da, db);
        int na, nb;
        assert_mo_ok(mo_result_is_null(a, i, &na));
        assert_mo_ok(mo_result_is_null(b, i, &nb));
        if (na != nb) fail_msg("%s: NULL %d vs %d", where, na, nb);
        if ((va[i] == NULL) != (vb[i] == NULL)) fail_msg("%s: row view NULL differs", where);
        if (va[i] && (la[i] != lb[i] || memcmp(va[i], vb[i], la[i]) != 0))
            fail_msg("%s: row view '%.*s' vs '%.*s'", where, (int)la[i], va[i], (int)lb[i], vb[i]);
        const char *ta_text = NULL, *tb_text = NULL;
        size_t tla = 0, tlb = 0;
        mo_status sa = mo_result_get_text(a, i, &ta_text, &tla);
        mo_status sb = mo_result_get_text(b, i, &tb_text, &tlb);
        if (sa != sb) fail_msg("%s: get_text %d vs %d", where, sa, sb);
        if (sa >= 0 && (tla != tlb || memcmp(ta_text, tb_text, tla) != 0))
            fail_msg("%s: text '%.*s' vs '%.*s'", where, (int)tla, ta_text, (int)tlb, tb_text);
        const void *ba, *bb;
        sa = mo_result_get_blob(a, i, &ba, &tla);
        sb = mo_result_get_blob(b, i, &bb, &tlb);
        if (sa != sb || (sa >= 0 && (tla != tlb || memcmp(ba, bb, tla) != 0)))
            fail_msg("%s: blob differs", where);
        int64_t ia = 0, ib = 0;
        sa = mo_result_get_int64(a, i, &ia);
        sb = mo_result_get_int64(b, i, &ib);
        if (sa != sb || ia != ib)
            fail_msg("%s: int64 %d/%lld vs %d/%lld", where, sa, (long long)ia, sb, (long long)ib);
        uint64_t ua = 0, ub = 0;
        sa = mo_result_get_uint64(a, i, &ua);
        sb = mo_result_get_uint64(b, i, &ub);
        if (sa != sb || ua != ub) fail_msg("%s: uint64 %d vs %d", where, sa, sb);
        double xa = 0, xb = 0;
        sa = mo_result_get_double(a, i, &xa);
        sb = mo_result_get_double(b, i, &xb);
        if (sa != sb || memcmp(&xa, &xb, sizeof xa) != 0)
            fail_msg("%s: double %d/%.17g vs %d/%.17g", where, sa, xa, sb, xb);
    }
}

/* Run sql in the text protocol, in the binary protocol buffered and streaming, and compare
 * every value of every row. Returns the number of rows. */
static size_t compare_protocols(mo_client *c, const char *sql, const mo_params *p) {
    mo_client *text = connect_with(0, 0); /* no cache: the text protocol whatever the flags */
    mo_result *a = run(text, sql, p, 0);
    mo_result *b = run(c, sql, p, MO_EXEC_PREPARED);
    size_t rows = 0;
    mo_status sa, sb;
    while ((sa = mo_result_next(a)) == MO_ROW) {
        sb = mo_result_next(b);
        assert_int_equal(sb, MO_ROW);
        assert_same_row(a, b, rows++);
    }
    assert_int_equal(sa, MO_DONE);
    assert_int_equal(mo_result_next(b), MO_DONE);
    mo_result_free(a);
    mo_result_free(b);

    a = run(text, sql, p, MO_EXEC_STREAMING);
    b = run(c, sql, p, MO_EXEC_PREPARED | MO_EXEC_STREAMING);
    size_t streamed = 0;
    while ((sa = mo_result_next(a)) == MO_ROW) {
        assert_int_equal(mo_result_next(b), MO_ROW);
        assert_same_row(a, b, streamed++);
    }
    assert_int_equal(sa, MO_DONE);
    assert_int_equal(mo_result_next(b), MO_DONE);
    assert_int_equal(streamed, rows);
    mo_result_free(a);
    mo_result_free(b);
    mo_client_close(text);
    return rows;
}

static void every_column_type_reads_the_same_in_both_protocols(void **state) {
    mo_client *c = *state;
    MO_TEST_SKIP_ON_MATRIXONE("MatrixOne's column types: see the matrixone test below");
    mo_test_exec_ok(c, "SET SESSION sql_mode = ''"); /* zero dates */
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS kinds");
    mo_test_exec_ok(c,
        "CREATE TABLE kinds (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,"
        " su SMALLINT UNSIGNED, mi MEDIUMINT, mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED,"
        " bi BIGINT, bu BIGINT UNSIGNED, zf INT(6) ZEROFILL, yr YEAR, f FLOAT, d DOUBLE,"
        " f2 FLOAT(7,3), d2 DOUBLE(12,4), dec1 DECIMAL(30,10), dec0 DECIMAL(5,0),"
        " dt DATE, dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6), ts TIMESTAMP NULL,"
        " tm TIME, tm2 TIME(2), ch CHAR(4), vc VARCHAR(40), tx TEXT, bin BINARY(3),"
        " vb VARBINARY(10), bl BLOB, js JSON, bt BIT(12), en ENUM('a','b'), st SET('x','y'),"
        " u UUID)");
    mo_test_exec_ok(c,
        "INSERT INTO kinds VALUES"
        " (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,"
        "  -9223372036854775808, 18446744073709551615, 42, 2024, 1.5, 0.1, 3.14159, 2.5,"
        "  '12345678901234567890.0123456789', -99999, '2024-02-29', '2024-01-02 03:04:05',"
        "  '2024-01-02 03:04:05.120', '1999-12-31 23:59:59.999999', '2038-01-19 03:14:07',"
        "  '-838:59:59', '12:34:56.78', 'ab', 'héllo wörld ✓', 'long text', 'a\\0b',"
        "  x'00ff0010', x'000102ff', '{\"k\": [1, 2.5, null]}', b'101010101010', 'b', 'x,y',"
        "  '123e4567-e89b-12d3-a456-426614174000'),"
        " (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0, 1901,"
        "  -2.25e10, -1.7976931348623157e308, -0.001, -1e7, '-0.0000000001', 0, '0000-00-00',"
        "  '0000-00-00 00:00:00', '0000-00-00 00:00:00', '1000-01-01 00:00:00.000001', NULL,"
        "  '838:59:59', '-00:00:00.01', '', '', '', x'000000', '', '', '[]', b'0', 'a', '',"
        "  NULL),"
        " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
        " (4, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 123456, 0, 1e30, 5e-324, 0, 0, 0, 0, '9999-12-31',"
        "  '9999-12-31 23:59:59', '2024-06-01 00:00:00.5', '2024-06-01 00:00:00', "
        "  '1970-01-01 00:00:01', '00:00:00', '100:00:00', 'abcd', ' trailing ', '\\n\\t',"
        "  x'616263', x'00', x'', 'null', b'111111111111', NULL, 'y', NULL)");
    assert_int_equal(compare_protocols(c, "SELECT * FROM kinds ORDER BY id", NULL), 4);
    /* the same through a parameter, and expressions the server types itself */
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 2));
    assert_int_equal(compare_protocols(c, "SELECT * FROM kinds WHERE id >= ? ORDER BY id", p), 3);
    mo_params_free(p);
    assert_int_equal(
        compare_protocols(c,
                          "SELECT 1, -5, 1e20, 1/3e0, -2.5e-10, 123456789012345678e0, 1e15, "
                          "100e0, NULL, 'abc', CAST('2024-01-02 03:04:05.123456' AS DATETIME(6)),"
                          " CAST('-838:59:59' AS TIME), 12.50, x'00ff', b'101', "
                          "1234567890123456.7e0, 1e-15, 1.5e-14, 9007199254740993e0, "
                          "CAST(1.5 AS FLOAT), NOW() - NOW(), CURDATE() + 0, 18446744073709551615",
                          NULL),
        1);
    mo_test_exec_ok(c, "DROP TABLE kinds");
    mo_test_exec_ok(c, "SET SESSION sql_mode = DEFAULT");
}

/* MatrixOne's column types (its text protocol writes numbers its own way: Go's shortest
 * plain form). */
static void matrixone_column_types_read_the_same_in_both_protocols(void **state) {
    mo_client *c = *state;
    if (!mo_test_server_is_matrixone()) skip();
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS kinds");
    mo_test_exec_ok(c,
        "CREATE TABLE kinds (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT,"
        " su SMALLINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED,"
        " f FLOAT, d DOUBLE, dec1 DECIMAL(30,10), dec0 DECIMAL(5,0), dt DATE, dtm DATETIME,"
        " dtm6 DATETIME(6), ts TIMESTAMP NULL, tm TIME, ch CHAR(4), vc VARCHAR(40), tx TEXT,"
        " bl BLOB, js JSON, b BOOL, u UUID, v VECF32(3))");
    mo_test_exec_ok(c,
        "INSERT INTO kinds VALUES"
        " (1, -128, 255, -32768, 65535, -2147483648, 4294967295, -9223372036854775808,"
        "  18446744073709551615, 1.5, 0.1, '12345678901234567890.0123456789', -99999,"
        "  '2024-02-29', '2024-01-02 03:04:05', '1999-12-31 23:59:59.999999',"
        "  '2038-01-19 03:14:07', '-838:59:59', 'ab', 'héllo wörld ✓', 'long text',"
        "  'a\\0b', '{\"k\": [1, 2.5, null]}', true, '123e4567-e89b-12d3-a456-426614174000',"
        "  '[1.5, -2, 3.25]'),"
        " (2, 127, 0, 32767, 0, 2147483647, 0, 9223372036854775807, 0, 3.14159265, 1e300,"
        "  '-0.0000000001', 0, '0001-01-01', '0001-01-01 00:00:00', '1000-01-01 00:00:00.000001',"
        "  NULL, '12:34:56', '', '', '', '', '[]', false, NULL, '[0, 0, 0]'),"
        " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        "  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
    assert_int_equal(compare_protocols(c, "SELECT * FROM kinds ORDER BY id", NULL), 3);
    mo_test_exec_ok(c, "DROP TABLE kinds");
}

static void doubles_are_written_as_the_server_writes_them(void **state) {
    mo_client *c = *state;
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS reals");
    mo_test_exec_ok(c, "CREATE TABLE reals (id INT PRIMARY KEY, d DOUBLE, f FLOAT)");
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    srand(19);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    for (int i = 0; i < 2000; i++) {
        /* random bit patterns (finite), random decimal magnitudes, integers */
        double d;
        if (i % 3 == 0) {
            uint64_t bits = ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
            memcpy(&d, &bits, sizeof d);
            if (!isfinite(d)) d = (double)i;
        } else if (i % 3 == 1) {
            d = (rand() / (double)RAND_MAX - 0.5) * ten_to(rand() % 40 - 20);
        } else {
            d = (double)(rand() % 100000) * ten_to(rand() % 24);
        }
        mo_params_clear(p);
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_double(p, d));
        assert_mo_ok(mo_params_add_double(p, fabs(d) < 3e38 && fabs(d) > 1e-37 ? d : 1.25));
        mo_result *r = NULL;
        const char *ins = "INSERT INTO reals VALUES (?, ?, ?)";
        assert_mo_ok(mo_session_execute_ex(&r, s, ins, strlen(ins), p, MO_EXEC_PREPARED));
        mo_result_free(r);
    }
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    mo_params_free(p);
    assert_int_equal(compare_protocols(c, "SELECT * FROM reals ORDER BY id", NULL), 2000);
    mo_test_exec_ok(c, "DROP TABLE reals");
}

static void the_cache_hits_misses_and_evicts_the_least_recently_used(void **state) {
    (void)state;
    mo_client *c = connect_with(0, 2);
    int64_t closed0 = mo_test_server_is_matrixone() ? 0 : session_status(c, "COM_STMT_CLOSE");
    const char *q1 = "SELECT 1", *q2 = "SELECT 2", *q3 = "SELECT 3";
    mo_result_free(run(c, q1, NULL, MO_EXEC_PREPARED));  /* miss */
    mo_result_free(run(c, q1, NULL, MO_EXEC_PREPARED));  /* hit */
    mo_result_free(run(c, q2, NULL, MO_EXEC_PREPARED));  /* miss */
    assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 2);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), 1);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 2);
    mo_result_free(run(c, q1, NULL, MO_EXEC_PREPARED));  /* hit: q1 is now the newest */
    mo_result_free(run(c, q3, NULL, MO_EXEC_PREPARED));  /* miss: q2 goes */
    assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 2);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_EVICTIONS), 1);
    if (!mo_test_server_is_matrixone())
        assert_int_equal(session_status(c, "COM_STMT_CLOSE") - closed0, 1);
    mo_result_free(run(c, q1, NULL, MO_EXEC_PREPARED));  /* still cached */
    assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), 3);
    mo_result_free(run(c, q2, NULL, MO_EXEC_PREPARED));  /* prepared again */
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 4);
    /* without the flag and with threshold 0: the text protocol, nothing counted */
    mo_result_free(run(c, q1, NULL, 0));
    assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), 3);
    mo_client_close(c);

    /* size 0: never prepared, whatever the flag */
    c = connect_with(0, 0);
    mo_result *r = run(c, q1, NULL, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_result_free(r);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 0);
    mo_client_close(c);
}

static int64_t first_int(mo_result *r) {
    int64_t v = 0;
    assert_int_equal(mo_result_next(r), MO_ROW);
    assert_mo_ok(mo_result_get_int64(r, 0, &v));
    return v;
}

/* Prepared statements and texts known only to the text protocol have a budget each: text
 * statements never push a prepared one out, and a full cache whose prepared statements are
 * all being read keeps the one it adds (it prepares beyond its size until a result is done). */
static void text_statements_leave_the_prepared_ones_and_a_full_cache_keeps_what_it_adds(
    void **state) {
    (void)state;
    mo_client *c = connect_with(0, 2);
    mo_result_free(run(c, "SELECT 1", NULL, MO_EXEC_PREPARED));
    mo_result_free(run(c, "SELECT 2", NULL, MO_EXEC_PREPARED));
    for (int i = 10; i < 20; i++) {
        char sql[32];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        mo_result *r = run(c, sql, NULL, 0);
        assert_int_equal(first_int(r), i);
        mo_result_free(r);
    }
    mo_result_free(run(c, "SELECT 1", NULL, MO_EXEC_PREPARED));
    mo_result_free(run(c, "SELECT 2", NULL, MO_EXEC_PREPARED));
    assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), 2);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 2);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_EVICTIONS), 0);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 2);
    mo_client_close(c);

    c = connect_with(0, 1);
    mo_result *held[3];
    for (int i = 0; i < 3; i++) {
        char sql[32];
        snprintf(sql, sizeof sql, "SELECT %d", 100 + i);
        held[i] = run(c, sql, NULL, MO_EXEC_PREPARED); /* each result reads its statement */
    }
    assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 3);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_EVICTIONS), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(first_int(held[i]), 100 + i);
        mo_result_free(held[i]);
    }
    /* the next statement to prepare makes room: the cache is back at its size */
    mo_result *r = run(c, "SELECT 200", NULL, MO_EXEC_PREPARED);
    assert_int_equal(first_int(r), 200);
    mo_result_free(r);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 1);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_EVICTIONS), 3);
    mo_client_close(c);

    /* a text over 64 KB gets an entry only when the flag asks for the binary protocol */
    c = connect_with(2, 4);
    size_t n = 70000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    memcpy(big, "SELECT 64", 9);
    big[n] = '\0';
    for (int i = 0; i < 3; i++) {
        r = run(c, big, NULL, 0);
        assert_int_equal(first_int(r), 64);
        mo_result_free(r);
    }
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES) + stat_of(c, MO_STMT_CACHE_HITS), 0);
    for (int i = 0; i < 2; i++) {
        r = run(c, big, NULL, MO_EXEC_PREPARED);
        assert_int_equal(first_int(r), 64);
        mo_result_free(r);
    }
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 1);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), 1);
    free(big);
    mo_client_close(c);
}

/* The text protocol renders a cached statement from the placeholders found at its first use:
 * every run gets its own values, and a statement whose placeholders are ambiguous or do not
 * match the values is refused every time, before anything is sent. */
static void the_text_protocol_renders_a_repeated_statement_from_its_first_scan(void **state) {
    (void)state;
    mo_client *c = connect_with(0, 4);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 0; i < 5; i++) {
        mo_params_clear(p);
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_text(p, "?'x", 3));
        assert_mo_ok(mo_params_add_int64(p, 10 * i));
        mo_result *r = run(c, "SELECT ? + 1, CONCAT('?', ?), ? -- ?\n", p, 0);
        assert_int_equal(mo_result_next(r), MO_ROW);
        int64_t a = 0, b = 0;
        const char *text = NULL;
        size_t len = 0;
        assert_mo_ok(mo_result_get_int64(r, 0, &a));
        assert_mo_ok(mo_result_get_text(r, 1, &text, &len));
        assert_mo_ok(mo_result_get_int64(r, 2, &b));
        assert_int_equal(a, i + 1);
        assert_int_equal(len, 4);
        assert_memory_equal(text, "?" "?'x", 4); /* no trigraph */
        assert_int_equal(b, 10 * i);
        mo_result_free(r);
    }
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 0); /* all of it in the text protocol */
    for (int i = 0; i < 2; i++) {
        mo_result *r = NULL;
        const char *ambiguous = "SELECT 'a\\', ?";
        assert_int_equal(mo_client_execute_ex(&r, c, ambiguous, strlen(ambiguous), p, 0),
                         MO_E_INVALID_ARGUMENT);
        assert_null(r);
        const char *two = "SELECT ?, ?";
        assert_int_equal(mo_client_execute_ex(&r, c, two, strlen(two), p, 0),
                         MO_E_INVALID_ARGUMENT);
        assert_non_null(strstr(mo_error_message(mo_error_last()), "2 ? placeholders but 3"));
    }
    assert_int_equal(mo_test_query_int(c, "SELECT 41 + 1"), 42); /* the connection is fine */
    mo_params_free(p);
    mo_client_close(c);
}

/* A connection keeps the memory of its last rendered text for the next statement (below
 * 16 KB): whatever ran before, long or short, failed or not, the next statement sends its own
 * text and nothing of an earlier one. */
static void each_statement_sends_its_own_text_whatever_ran_before(void **state) {
    (void)state;
    mo_client *c = connect_with(0, 4);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    static char big[20000];
    const size_t sizes[] = {20000, 3, 9000, 0, 12000, 1};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        memset(big, 'a' + (int)k, n);
        mo_params_clear(p);
        assert_mo_ok(mo_params_add_text(p, big, n));
        /* a refused statement in between renders nothing that is sent */
        mo_result *r = NULL;
        const char *two = "SELECT LENGTH(?), ?";
        assert_int_equal(mo_client_execute_ex(&r, c, two, strlen(two), p, 0),
                         MO_E_INVALID_ARGUMENT);
        r = run(c, k % 2 ? "SELECT LENGTH(?), 'end'" : "SELECT LENGTH(CONCAT(?, 'xyz')), 'end'",
                p, 0);
        assert_int_equal(mo_result_next(r), MO_ROW);
        int64_t got = 0;
        const char *end = NULL;
        size_t end_len = 0;
        assert_mo_ok(mo_result_get_int64(r, 0, &got));
        assert_mo_ok(mo_result_get_text(r, 1, &end, &end_len));
        assert_int_equal(got, (int64_t)n + (k % 2 ? 0 : 3));
        assert_int_equal(end_len, 3);
        assert_memory_equal(end, "end", 3);
        mo_result_free(r);
        assert_int_equal(mo_test_query_int(c, "SELECT 6 * 7"), 42);
    }
    mo_params_free(p);
    mo_client_close(c);
}

static void the_threshold_prepares_from_the_nth_use(void **state) {
    (void)state;
    mo_client *c = connect_with(3, 8);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 1; i <= 5; i++) {
        mo_params_clear(p);
        assert_mo_ok(mo_params_add_int64(p, i));
        mo_result *r = run(c, "SELECT ? + 1", p, 0);
        assert_int_equal(mo_result_next(r), MO_ROW);
        int64_t v = 0;
        assert_mo_ok(mo_result_get_int64(r, 0, &v));
        assert_int_equal(v, i + 1);
        mo_result_free(r);
        assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), i >= 3);
        assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), i > 3 ? i - 3 : 0);
    }
    /* statements of other kinds never are */
    for (int i = 0; i < 4; i++) mo_test_exec_ok(c, "SET @x = 1");
    assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 1);
    mo_params_free(p);
    mo_client_close(c);

    /* the option by name */
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set(cfg, "prepare_threshold", "auto"));
    assert_mo_ok(mo_config_set(cfg, "prepare_threshold", "2"));
    assert_mo_ok(mo_config_set(cfg, "statement_cache_size", "4"));
    assert_int_equal(mo_config_set(cfg, "prepare_threshold", "-3"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set(cfg, "statement_cache_size", "5000"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_prepare_threshold(cfg, -2), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_statement_cache_size(cfg, 4097), MO_E_INVALID_ARGUMENT);
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    mo_result_free(run(c, "SELECT 7", NULL, 0));
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 0);
    mo_result_free(run(c, "SELECT 7", NULL, 0));
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 1);
    assert_int_equal(mo_client_statement_cache_stat(c, (mo_stmt_cache_stat)99, &(uint64_t){0}),
                     MO_E_INVALID_ARGUMENT);
    mo_client_close(c);
}

static void a_changed_table_is_prepared_again_transparently(void **state) {
    mo_client *c = *state;
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS altered");
    mo_test_exec_ok(c, "CREATE TABLE altered (a INT)");
    mo_test_exec_ok(c, "INSERT INTO altered VALUES (1), (2)");
    const char *q = "SELECT * FROM altered ORDER BY 1";
    mo_result *r = run(c, q, NULL, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_column_count(r), 1);
    mo_result_free(r);
    uint64_t before = stat_of(c, MO_STMT_CACHE_REPREPARES);
    mo_test_exec_ok(c, "ALTER TABLE altered ADD COLUMN b VARCHAR(8) DEFAULT 'x'");
    r = run(c, q, NULL, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_column_count(r), 2);
    assert_int_equal(mo_result_next(r), MO_ROW);
    const char *t;
    size_t n;
    assert_mo_ok(mo_result_get_text(r, 1, &t, &n));
    assert_int_equal(n, 1);
    assert_memory_equal(t, "x", 1);
    mo_result_free(r);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_REPREPARES), before + 1);
    /* the connection stays in sync: the next statements run normally */
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM altered"), 2);
    mo_test_exec_ok(c, "ALTER TABLE altered DROP COLUMN a");
    r = run(c, q, NULL, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_column_count(r), 1);
    mo_result_free(r);
    mo_test_exec_ok(c, "DROP TABLE altered");
    /* the table is gone: the server's error, and the statement prepares again later */
    assert_int_equal(mo_client_execute_ex(&r, c, q, strlen(q), NULL, MO_EXEC_PREPARED),
                     MO_E_NOT_FOUND);
    mo_test_exec_ok(c, "CREATE TABLE altered (z INT)");
    r = run(c, q, NULL, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_column_count(r), 1);
    mo_result_free(r);
    mo_test_exec_ok(c, "DROP TABLE altered");
}

static void what_cannot_be_prepared_runs_as_text(void **state) {
    mo_client *c = *state;
    uint64_t fallbacks = stat_of(c, MO_STMT_CACHE_FALLBACKS);
    /* the server refuses to prepare it: the text protocol's run says why, with its category */
    mo_result *r = NULL;
    const char *bad = "SELECT FROM nowhere";
    assert_int_equal(mo_client_execute_ex(&r, c, bad, strlen(bad), NULL, MO_EXEC_PREPARED),
                     MO_E_SYNTAX);
    /* MatrixOne prepares anything and parses it when it executes (docs/matrixone.md) */
    if (!mo_test_server_is_matrixone() && stat_of(c, MO_STMT_CACHE_FALLBACKS) != fallbacks + 1)
        fail_msg("fallbacks %llu -> %llu, misses %llu, hits %llu: %s",
                 (unsigned long long)fallbacks,
                 (unsigned long long)stat_of(c, MO_STMT_CACHE_FALLBACKS),
                 (unsigned long long)stat_of(c, MO_STMT_CACHE_MISSES),
                 (unsigned long long)stat_of(c, MO_STMT_CACHE_HITS), mo_error_message(mo_error_last()));
    /* statement kinds that stay in the text protocol, flag or not */
    r = run(c, "SHOW TABLES", NULL, MO_EXEC_PREPARED);
    mo_result_free(r);
    mo_test_exec_ok(c, "SET @v = 5");
    r = run(c, "  /* comment */ SELECT @v", NULL, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_next(r), MO_ROW);
    mo_result_free(r);
    /* a statement whose prepared form is still read by a result runs as text meanwhile */
    const char *q = "SELECT 41 + 1";
    mo_result *first = run(c, q, NULL, MO_EXEC_PREPARED);
    uint64_t fb = stat_of(c, MO_STMT_CACHE_FALLBACKS);
    mo_result *second = run(c, q, NULL, MO_EXEC_PREPARED);
    assert_int_equal(stat_of(c, MO_STMT_CACHE_FALLBACKS), fb + 1);
    int64_t v1 = 0, v2 = 0;
    assert_int_equal(mo_result_next(second), MO_ROW);
    assert_int_equal(mo_result_next(first), MO_ROW);
    assert_mo_ok(mo_result_get_int64(first, 0, &v1));
    assert_mo_ok(mo_result_get_int64(second, 0, &v2));
    assert_int_equal(v1, 42);
    assert_int_equal(v2, 42);
    mo_result_free(first);
    mo_result_free(second);
    /* a CALL with its result sets stays text */
    if (!mo_test_server_is_matrixone()) {
        mo_test_exec_ok(c, "DROP PROCEDURE IF EXISTS two_sets");
        mo_test_exec_ok(c, "CREATE PROCEDURE two_sets() BEGIN SELECT 1; SELECT 2; END");
        r = run(c, "CALL two_sets()", NULL, MO_EXEC_PREPARED | MO_EXEC_MORE_RESULTS);
        mo_result *next = NULL;
        assert_mo_ok(mo_result_next_set(&next, r));
        mo_result_free(next);
        mo_result_free(r);
        mo_test_exec_ok(c, "DROP PROCEDURE two_sets");
    }
}

static void errors_keep_the_connection_and_count_mismatches_are_refused(void **state) {
    mo_client *c = *state;
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS uniq");
    mo_test_exec_ok(c, "CREATE TABLE uniq (id INT PRIMARY KEY, v VARCHAR(4) NOT NULL)");
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 1));
    assert_mo_ok(mo_params_add_text(p, "a", 1));
    const char *ins = "INSERT INTO uniq VALUES (?, ?)";
    mo_result *r = run(c, ins, p, MO_EXEC_PREPARED);
    uint64_t n = 0;
    assert_mo_ok(mo_result_affected_rows(r, &n));
    assert_int_equal(n, 1);
    mo_result_free(r);
    assert_int_equal(mo_client_execute_ex(&r, c, ins, strlen(ins), p, MO_EXEC_PREPARED),
                     MO_E_CONSTRAINT);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1062);
    /* NULL into NOT NULL */
    mo_params_clear(p);
    assert_mo_ok(mo_params_add_int64(p, 2));
    assert_mo_ok(mo_params_add_null(p));
    assert_int_equal(mo_client_execute_ex(&r, c, ins, strlen(ins), p, MO_EXEC_PREPARED),
                     MO_E_CONSTRAINT);
    /* the count is the server's: INVALID_ARGUMENT, nothing executed */
    mo_params_clear(p);
    assert_mo_ok(mo_params_add_int64(p, 3));
    assert_int_equal(mo_client_execute_ex(&r, c, ins, strlen(ins), p, MO_EXEC_PREPARED),
                     MO_E_INVALID_ARGUMENT);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "2 ? placeholders"));
    /* the same connection goes on: values of every parameter type */
    mo_params_clear(p);
    assert_mo_ok(mo_params_add_uint64(p, 18446744073709551615ull));
    assert_mo_ok(mo_params_add_double(p, 0.1));
    assert_mo_ok(mo_params_add_text(p, "it's \\ \"q\"", 10));
    assert_mo_ok(mo_params_add_blob(p, "\0\1\xff", 3));
    assert_mo_ok(mo_params_add_decimal(p, "-12.50", 6));
    assert_mo_ok(mo_params_add_datetime(p, 2024, 2, 29, 23, 59, 58, 123456));
    assert_mo_ok(mo_params_add_bool(p, 1));
    assert_mo_ok(mo_params_add_null(p));
    assert_mo_ok(mo_params_add_json(p, "{\"a\": 1}", 8));
    const char *sel = "SELECT ?, ?, ?, ?, ?, CAST(? AS DATETIME(6)), ?, ?, ?";
    mo_client *text = connect_with(0, 0);
    mo_result *a = run(text, sel, p, 0), *b = run(c, sel, p, MO_EXEC_PREPARED);
    assert_int_equal(mo_result_next(a), MO_ROW);
    assert_int_equal(mo_result_next(b), MO_ROW);
    for (size_t i = 0; i < 9; i++) {
        const char *ta = NULL, *tb = NULL;
        size_t la = 0, lb = 0;
        mo_status sa = mo_result_get_text(a, i, &ta, &la), sb = mo_result_get_text(b, i, &tb, &lb);
        assert_int_equal(sa, sb);
        if (sa >= 0 && (la != lb || memcmp(ta, tb, la)))
            fail_msg("parameter %zu: '%.*s' (text) vs '%.*s' (binary)", i, (int)la, ta, (int)lb, tb);
    }
    mo_result_free(a);
    mo_result_free(b);
    mo_client_close(text);
    mo_params_free(p);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM uniq"), 1);
    mo_test_exec_ok(c, "DROP TABLE uniq");
}

static void streaming_results_read_abandon_and_free_cleanly(void **state) {
    mo_client *c = *state;
    const char *q = "SELECT seq, CONCAT('row-', seq), seq * 0.5e0 FROM seq_1_to_50000";
    if (mo_test_server_is_matrixone())
        q = "SELECT result, CONCAT('row-', result), result * 0.5e0 FROM generate_series(1, 50000) g";
    mo_result *r = run(c, q, NULL, MO_EXEC_PREPARED | MO_EXEC_STREAMING);
    int64_t sum = 0, v = 0;
    size_t rows = 0;
    mo_status st;
    while ((st = mo_result_next(r)) == MO_ROW) {
        assert_mo_ok(mo_result_get_int64(r, 0, &v));
        sum += v;
        rows++;
    }
    assert_int_equal(st, MO_DONE);
    assert_int_equal(rows, 50000);
    assert_int_equal(sum, (int64_t)50000 * 50001 / 2);
    mo_result_free(r);
    /* abandoned after 10 rows: the next statement reads the rest first */
    r = run(c, q, NULL, MO_EXEC_PREPARED | MO_EXEC_STREAMING);
    for (int i = 0; i < 10; i++) assert_int_equal(mo_result_next(r), MO_ROW);
    assert_int_equal(mo_test_query_int(c, "SELECT 5"), 5);
    assert_int_equal(mo_result_next(r), MO_E_MISUSE);
    mo_result_free(r);
    /* freed after 10 rows: drained by the free */
    r = run(c, q, NULL, MO_EXEC_PREPARED | MO_EXEC_STREAMING);
    for (int i = 0; i < 10; i++) assert_int_equal(mo_result_next(r), MO_ROW);
    mo_result_free(r);
    assert_int_equal(mo_test_query_int(c, "SELECT 6"), 6);
    /* and the cached statement serves a buffered execution afterwards */
    r = run(c, q, NULL, MO_EXEC_PREPARED);
    uint64_t n = 0;
    assert_mo_ok(mo_result_affected_rows(r, &n));
    assert_int_equal(n, 50000);
    mo_result_free(r);
}

/* The automatic policy: from the 2nd execution of a text on MySQL/MariaDB, never on
 * MatrixOne; and a dry-run client journals the rendered text whatever the flags. */
static void the_automatic_policy_and_the_dry_run(void **state) {
    (void)state;
    mo_client *c = connect_with(MO_PREPARE_THRESHOLD_AUTO, MO_STATEMENT_CACHE_DEFAULT);
    for (int i = 0; i < 3; i++) mo_result_free(run(c, "SELECT 'auto'", NULL, 0));
    if (mo_test_server_is_matrixone()) {
        assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 0);
    } else {
        assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 1);
        assert_int_equal(stat_of(c, MO_STMT_CACHE_HITS), 1);
    }
    mo_client_close(c);

    c = mo_test_dry_run_client("&prepare_threshold=1");
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, "it's", 4));
    mo_result *r = NULL;
    const char *q = "SELECT * FROM t WHERE name = ?";
    assert_mo_ok(mo_client_execute_ex(&r, c, q, strlen(q), p, MO_EXEC_PREPARED));
    mo_result_free(r);
    JOURNAL(c, "SELECT * FROM t WHERE name = 'it''s'");
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 0);
    mo_params_free(p);
    mo_client_close(c);
}

/* A pool resets a connection it takes back (COM_RESET_CONNECTION), which drops the server's
 * prepared statements: the cache forgets them, and the next execution prepares again. */
static void a_pool_reset_forgets_the_prepared_statements(void **state) {
    (void)state;
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_prepare_threshold(cfg, 0));
    mo_pool *pool = NULL;
    assert_mo_ok(mo_pool_new(&pool, cfg));
    mo_config_free(cfg);
    assert_mo_ok(mo_pool_set_size(pool, 1));
    for (int round = 0; round < 3; round++) {
        mo_client *c = NULL;
        assert_mo_ok(mo_pool_acquire(&c, pool));
        mo_result *r = run(c, "SELECT 40 + 2", NULL, MO_EXEC_PREPARED);
        assert_int_equal(mo_result_next(r), MO_ROW);
        int64_t v = 0;
        assert_mo_ok(mo_result_get_int64(r, 0, &v));
        assert_int_equal(v, 42);
        mo_result_free(r);
        /* the same connection each round, its statement prepared again after each reset
         * (MatrixOne v4.2 fails COM_RESET_CONNECTION: the pool makes a new connection) */
        if (!mo_test_server_is_matrixone())
            assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), (uint64_t)round + 1);
        assert_int_equal(stat_of(c, MO_STMT_CACHE_SIZE), 1);
        mo_client_close(c);
    }
    mo_pool_free(pool);
}

/* ------------------------------------------------------------------ killed mid-execute */

struct killer {
    uint64_t victim;
    int delay_ms;
};

static void *kill_after(void *arg) {
    struct killer *k = arg;
    usleep((useconds_t)k->delay_ms * 1000);
    mo_client *admin = mo_test_connect();
    char sql[64];
    snprintf(sql, sizeof sql, "KILL %llu", (unsigned long long)k->victim);
    mo_test_exec(admin, sql);
    mo_client_close(admin);
    return NULL;
}

static void a_killed_connection_mid_execute_is_categorised(void **state) {
    (void)state;
    MO_TEST_SKIP_ON_MATRIXONE("KILL of a connection: MariaDB");
    for (int write = 0; write <= 1; write++) {
        mo_client *c = connect_with(0, 8);
        struct killer k = {0, 300};
        assert_mo_ok(mo_client_connection_id(c, &k.victim));
        pthread_t t;
        pthread_create(&t, NULL, kill_after, &k);
        const char *q = write ? "INSERT INTO killed_t SELECT SLEEP(5)" : "SELECT SLEEP(5)";
        if (write) {
            mo_test_exec_ok(c, "DROP TABLE IF EXISTS killed_t");
            mo_test_exec_ok(c, "CREATE TABLE killed_t (v INT)");
        }
        mo_result *r = NULL;
        mo_status st = mo_client_execute_ex(&r, c, q, strlen(q), NULL, MO_EXEC_PREPARED);
        pthread_join(t, NULL);
        /* a read's answer lost: CONNECTION_LOST; an autocommit write's: OUTCOME_UNKNOWN */
        assert_int_equal(st, write ? MO_E_OUTCOME_UNKNOWN : MO_E_CONNECTION_LOST);
        assert_null(r);
        /* the handle is poisoned, never out of sync */
        assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE);
        mo_client_close(c);
        if (write) {
            mo_client *admin = mo_test_connect();
            mo_test_exec_ok(admin, "DROP TABLE killed_t");
            mo_client_close(admin);
        }
    }
}

/* ------------------------------------------------------------------ sessions, async, log */

/* Drive a pending op with poll() until it is done (a caller's event loop of one). */
static mo_status drive(mo_op *op, mo_status st) {
    while (st == MO_AGAIN) {
        int ev = mo_op_events(op);
        struct pollfd p = {mo_op_socket(op),
                           (short)(((ev & MO_WAIT_READ) ? POLLIN : 0) |
                                   ((ev & MO_WAIT_WRITE) ? POLLOUT : 0)), 0};
        int ready = poll(&p, 1, (ev & MO_WAIT_TIMEOUT) ? (int)mo_op_timeout_ms(op) : -1);
        assert_true(ready >= 0);
        int happened = 0;
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) happened |= MO_WAIT_READ;
        if (p.revents & POLLOUT) happened |= MO_WAIT_WRITE;
        if (ready == 0) happened |= MO_WAIT_TIMEOUT;
        st = mo_op_continue(op, happened);
    }
    return st;
}

static void sessions_insert_through_the_binary_protocol(void **state) {
    mo_client *c = *state;
    mo_test_exec_ok(c, "DROP TABLE IF EXISTS batch");
    mo_test_exec_ok(c, "CREATE TABLE batch (id INT PRIMARY KEY, name VARCHAR(20), at DATETIME)");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    const char *ins = "INSERT INTO batch VALUES (?, ?, ?)";
    for (int i = 0; i < 50; i++) {
        mo_params *p = NULL;
        assert_mo_ok(mo_params_new(&p));
        char name[16];
        int n = snprintf(name, sizeof name, "n-%d", i);
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_text(p, name, (size_t)n));
        assert_mo_ok(mo_params_add_datetime(p, 2024, 1, 1, 0, 0, (unsigned)i, 0));
        mo_op *op = NULL;
        mo_status st = mo_session_execute_start(&op, s, ins, strlen(ins), p, MO_EXEC_PREPARED);
        mo_params_free(p); /* the values were copied by the start */
        assert_true(st >= 0);
        assert_true(drive(op, st) >= 0);
        mo_result *r = NULL;
        assert_mo_ok(mo_op_finish_result(op, &r));
        mo_op_free(op);
        mo_result_free(r);
    }
    assert_mo_ok(mo_session_rollback(s));
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM batch"), 0);
    mo_result *r = NULL;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    for (int i = 0; i < 20; i++) {
        mo_params_clear(p);
        assert_mo_ok(mo_params_add_int64(p, i));
        assert_mo_ok(mo_params_add_text(p, "x", 1));
        assert_mo_ok(mo_params_add_null(p));
        assert_mo_ok(mo_session_execute_ex(&r, s, ins, strlen(ins), p, MO_EXEC_PREPARED));
        mo_result_free(r);
    }
    assert_mo_ok(mo_session_commit(s));
    mo_session_close(s);
    mo_params_free(p);
    assert_int_equal(mo_test_query_int(c, "SELECT COUNT(*) FROM batch"), 20);
    mo_test_exec_ok(c, "DROP TABLE batch");
}

static void asynchronous_executions_copy_their_values(void **state) {
    mo_client *c = *state;
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_text(p, "copied", 6));
    assert_mo_ok(mo_params_add_int64(p, 40));
    const char *q = "SELECT CONCAT(?, '!'), ? + 2";
    for (int round = 0; round < 2; round++) {
        mo_op *op = NULL;
        mo_status st = mo_client_execute_start(&op, c, q, strlen(q), p, MO_EXEC_PREPARED);
        assert_true(st >= 0);
        if (round == 1) mo_params_clear(p); /* the values are the op's own */
        assert_true(drive(op, st) >= 0);
        mo_result *r = NULL;
        assert_mo_ok(mo_op_finish_result(op, &r));
        mo_op_free(op);
        assert_int_equal(mo_result_next(r), MO_ROW);
        const char *t;
        size_t n;
        int64_t v;
        assert_mo_ok(mo_result_get_text(r, 0, &t, &n));
        assert_int_equal(n, 7);
        assert_memory_equal(t, "copied!", 7);
        assert_mo_ok(mo_result_get_int64(r, 1, &v));
        assert_int_equal(v, 42);
        mo_result_free(r);
    }
    mo_params_free(p);
}

static char logged[4096];
static void keep_line(void *userdata, int level, const char *message, size_t len) {
    (void)userdata;
    (void)level;
    snprintf(logged, sizeof logged, "%.*s", (int)len, message);
}

static void the_log_shows_the_values_of_a_prepared_statement(void **state) {
    (void)state;
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_log_mode(cfg, MO_LOG_FULL));
    assert_mo_ok(mo_config_set_log_sink(cfg, keep_line, NULL));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    mo_params *p = NULL;
    assert_mo_ok(mo_params_new(&p));
    assert_mo_ok(mo_params_add_int64(p, 1234));
    mo_result_free(run(c, "SELECT ? + 0", p, MO_EXEC_PREPARED));
    assert_non_null(strstr(logged, "SELECT 1234 + 0"));
    assert_int_equal(stat_of(c, MO_STMT_CACHE_MISSES), 1);
    mo_params_free(p);
    mo_client_close(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_column_type_reads_the_same_in_both_protocols, setup, teardown),
        cmocka_unit_test_setup_teardown(matrixone_column_types_read_the_same_in_both_protocols, setup, teardown),
        cmocka_unit_test_setup_teardown(doubles_are_written_as_the_server_writes_them, setup, teardown),
        cmocka_unit_test(the_cache_hits_misses_and_evicts_the_least_recently_used),
        cmocka_unit_test(the_threshold_prepares_from_the_nth_use),
        cmocka_unit_test(text_statements_leave_the_prepared_ones_and_a_full_cache_keeps_what_it_adds),
        cmocka_unit_test(the_text_protocol_renders_a_repeated_statement_from_its_first_scan),
        cmocka_unit_test(each_statement_sends_its_own_text_whatever_ran_before),
        cmocka_unit_test_setup_teardown(a_changed_table_is_prepared_again_transparently, setup, teardown),
        cmocka_unit_test_setup_teardown(what_cannot_be_prepared_runs_as_text, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_keep_the_connection_and_count_mismatches_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(streaming_results_read_abandon_and_free_cleanly, setup, teardown),
        cmocka_unit_test(the_automatic_policy_and_the_dry_run),
        cmocka_unit_test(a_pool_reset_forgets_the_prepared_statements),
        cmocka_unit_test(a_killed_connection_mid_execute_is_categorised),
        cmocka_unit_test_setup_teardown(sessions_insert_through_the_binary_protocol, setup, teardown),
        cmocka_unit_test_setup_teardown(asynchronous_executions_copy_their_values, setup, teardown),
        cmocka_unit_test(the_log_shows_the_values_of_a_prepared_statement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
