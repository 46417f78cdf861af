/* tests/unit/test_params_printf.c — the hand-written formatting of parameter values
 * (src/core/params.c: integers, shortest round-trip doubles, dates, times, datetimes) against
 * printf, the reference it replaced, kept here as the oracle, on a large random corpus with
 * the edge cases (subnormals, +-0, the extremes, powers of ten and of two).
 *
 * The rule for doubles: the text always reads back (strtod) as the same double; where printf's
 * shortest of %.15g/%.16g/%.17g is as short as the new text it is the same text; the new text
 * is never longer (it can be shorter: %.16g rounds to the nearest 16 digits, which can miss a
 * 16-digit decimal that reads back, at a power of two). */
#include "test_support.h"
#include "internal.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* 1,000,000 values of each kind; a fiftieth under valgrind, which runs every unit program. */
static size_t corpus_size(void) { return RUNNING_ON_VALGRIND ? 20000 : 1000000; }

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t next_random(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------------ doubles */

/* The formatter params.c had before: printf, then the "e0" that keeps a double a double. */
static size_t printf_double(char out[64], double v) {
    int n = 0;
    for (int precision = 15; precision <= 17; precision++) {
        n = snprintf(out, 64, "%.*g", precision, v);
        if (precision == 17 || strtod(out, NULL) == v) break;
    }
    if (!strpbrk(out, "eni")) {
        memcpy(out + n, "e0", 3);
        n += 2;
    }
    return (size_t)n;
}

static int significant_digits(const char *s) {
    int n = 0, leading = 1;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9') continue;
        if (leading && *s == '0') continue;
        leading = 0;
        n++;
    }
    return n ? n : 1;
}

static unsigned long long shorter_than_printf;

static void check_double(double v) {
    char expected[64];
    size_t expected_len = printf_double(expected, v);
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_double(&b, v);
    const char *got = mo_buf_cstr(&b);
    double back = strtod(got, NULL);
    if (memcmp(&back, &v, sizeof v) != 0) fail_msg("%s does not read back as %.17g", got, v);
    if (b.len != expected_len || memcmp(got, expected, expected_len) != 0) {
        int g = significant_digits(got), e = significant_digits(expected);
        if (g >= e) fail_msg("%.17g: \"%s\", printf \"%s\"", v, got, expected);
        shorter_than_printf++;
    }
    mo_buf_free(&b);
}

static uint64_t bits_of(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static double double_of(uint64_t b) {
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* 2^e for -1074 <= e <= 1023, from its bits (no libm in this program). */
static double power_of_two(int e) {
    return e < -1022 ? double_of(1ULL << (e + 1074)) : double_of((uint64_t)(e + 1023) << 52);
}

/* v and the doubles just above and below it in magnitude, with both signs. */
static void check_double_and_neighbours(double v) {
    uint64_t b = bits_of(fabs(v));
    for (int d = -1; d <= 1; d++) {
        if ((d < 0 && b == 0) || (d > 0 && b >= 0x7fefffffffffffffULL)) continue;
        double w = double_of(b + (uint64_t)(int64_t)d);
        check_double(w);
        check_double(-w);
    }
}

static void doubles_match_printf_at_the_edges(void **state) {
    (void)state;
    static const double edges[] = {0.0, -0.0, DBL_MIN, DBL_MAX, DBL_EPSILON, DBL_TRUE_MIN,
                                   DBL_MIN / 3, 1.0, 0.1, 0.2, 0.3, 0.5, 1.5, 2.5, 123.456,
                                   4503599627370496.0, 9007199254740992.0, 9007199254740993.0,
                                   1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 5e-324, 1e-5, 1e-4,
                                   0.0001234, 123456789012345.0, 1234567890123456.0};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) check_double_and_neighbours(edges[i]);
    for (int e = -324; e <= 308; e++) {
        char text[16];
        snprintf(text, sizeof text, "1e%d", e);
        check_double_and_neighbours(strtod(text, NULL));
        snprintf(text, sizeof text, "5e%d", e);
        check_double_and_neighbours(strtod(text, NULL));
    }
    for (int e = -1074; e <= 1023; e++) check_double_and_neighbours(power_of_two(e));
    for (int i = -100000; i <= 100000; i++) {
        check_double(i);
        check_double(i * 0.25);
        check_double(i * 0.1);
        check_double(i / 100.0);
    }
}

static void random_doubles_match_printf(void **state) {
    (void)state;
    size_t n = corpus_size();
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random();
        double v;
        switch (i % 4) {
        case 0: /* any bit pattern: normals, subnormals, both signs */
            memcpy(&v, &r, sizeof v);
            if (!isfinite(v)) continue;
            break;
        case 1: { /* a short decimal m / 10^k, the values people send */
            char text[48];
            unsigned digits = 1 + (unsigned)(r % 17);
            uint64_t m = (r >> 8) % 100000000000000000ULL;
            for (unsigned d = digits; d < 17; d++) m /= 10;
            snprintf(text, sizeof text, "%" PRIu64 "e%d", m, (int)((r >> 60) % 16) - 12 -
                                                                  (int)((r >> 5) % 8));
            v = strtod(text, NULL);
            break;
        }
        case 2: /* an integer up to 2^53 and beyond */
            v = (double)(r >> (r % 64));
            break;
        default: /* a double in a human range, any digits */
            v = (double)(r >> 11) * power_of_two((int)(r % 80) - 90);
            break;
        }
        check_double(v);
    }
    print_message("doubles: %llu shorter than printf's %%.16g/%%.17g (and read back)\n",
                  shorter_than_printf);
}

/* ------------------------------------------------------------------ integers and temporals */

static void assert_rendered(mo_params *p, const char *expected) {
    mo_buf out;
    mo_buf_init(&out);
    assert_int_equal(mo_params_render(&out, "?", 1, p, NULL, "test.render"), MO_OK);
    if (strcmp(mo_buf_cstr(&out), expected) != 0)
        fail_msg("rendered \"%s\", printf \"%s\"", mo_buf_cstr(&out), expected);
    mo_buf_free(&out);
    assert_int_equal(mo_params_clear(p), MO_OK);
}

static void integers_match_printf(void **state) {
    (void)state;
    mo_params *p = NULL;
    assert_int_equal(mo_params_new(&p), MO_OK);
    static const int64_t edges[] = {0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    char expected[32];
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        assert_int_equal(mo_params_add_int64(p, edges[i]), MO_OK);
        snprintf(expected, sizeof expected, "%" PRId64, edges[i]);
        assert_rendered(p, expected);
    }
    assert_int_equal(mo_params_add_uint64(p, UINT64_MAX), MO_OK);
    assert_rendered(p, "18446744073709551615");
    size_t n = corpus_size();
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random() >> (i % 64);
        if (i % 2) {
            assert_int_equal(mo_params_add_uint64(p, r), MO_OK);
            snprintf(expected, sizeof expected, "%" PRIu64, r);
        } else {
            int64_t v = (int64_t)(i % 4 ? r : 0 - r);
            assert_int_equal(mo_params_add_int64(p, v), MO_OK);
            snprintf(expected, sizeof expected, "%" PRId64, v);
        }
        assert_rendered(p, expected);
    }
    mo_params_free(p);
}

static void temporals_match_printf(void **state) {
    (void)state;
    mo_params *p = NULL;
    assert_int_equal(mo_params_new(&p), MO_OK);
    char expected[64], clock[32];
    size_t n = corpus_size();
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random();
        int year = (int)(r % 10000);
        unsigned month = 1 + (unsigned)(r >> 16) % 12, day = 1 + (unsigned)(r >> 20) % 28;
        unsigned hour = (unsigned)(r >> 25) % 24, minute = (unsigned)(r >> 30) % 60;
        unsigned second = (unsigned)(r >> 36) % 60;
        unsigned micro = (r >> 42) % 3 ? (unsigned)(r >> 44) % 1000000 : 0;
        if (micro)
            snprintf(clock, sizeof clock, "%02u:%02u:%02u.%06u", hour, minute, second, micro);
        else
            snprintf(clock, sizeof clock, "%02u:%02u:%02u", hour, minute, second);
        switch (i % 3) {
        case 0:
            assert_int_equal(mo_params_add_date(p, year, month, day), MO_OK);
            snprintf(expected, sizeof expected, "'%04d-%02u-%02u'", year, month, day);
            break;
        case 1:
            assert_int_equal(mo_params_add_datetime(p, year, month, day, hour, minute, second,
                                                    micro),
                             MO_OK);
            snprintf(expected, sizeof expected, "'%04d-%02u-%02u %s'", year, month, day, clock);
            break;
        default: {
            unsigned hours = (unsigned)(r >> 50) % 839;
            int negative = (int)(r >> 63);
            if (hours == 838 && minute == 59 && second == 59) micro = 0;
            if (micro)
                snprintf(clock, sizeof clock, "%02u:%02u:%02u.%06u", hours, minute, second,
                         micro);
            else
                snprintf(clock, sizeof clock, "%02u:%02u:%02u", hours, minute, second);
            assert_int_equal(mo_params_add_time(p, negative, hours, minute, second, micro),
                             MO_OK);
            snprintf(expected, sizeof expected, "'%s%s'", negative ? "-" : "", clock);
            break;
        }
        }
        assert_rendered(p, expected);
    }
    /* the ends of the ranges */
    assert_int_equal(mo_params_add_date(p, 0, 1, 1), MO_OK);
    assert_rendered(p, "'0000-01-01'");
    assert_int_equal(mo_params_add_datetime(p, 9999, 12, 31, 23, 59, 59, 999999), MO_OK);
    assert_rendered(p, "'9999-12-31 23:59:59.999999'");
    assert_int_equal(mo_params_add_time(p, 1, 838, 59, 59, 0), MO_OK);
    assert_rendered(p, "'-838:59:59'");
    assert_int_equal(mo_params_add_time(p, 0, 0, 0, 0, 1), MO_OK);
    assert_rendered(p, "'00:00:00.000001'");
    mo_params_free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubles_match_printf_at_the_edges),
        cmocka_unit_test(random_doubles_match_printf),
        cmocka_unit_test(integers_match_printf),
        cmocka_unit_test(temporals_match_printf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
