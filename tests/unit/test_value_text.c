/* tests/unit/test_value_text.c — the server's text of DATE/DATETIME/TIME and vector values,
 * read the same way for every binding (mo_text_to_datetime, _time, _vector). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test_support.h"
#include "internal.h"

typedef struct {
    const char *text;
    int y, mo, d, h, mi, s, ns;
} datetime_case;

static void datetimes_the_calendar_has_parse(void **state) {
    static const datetime_case cases[] = {
        {"2024-02-29", 2024, 2, 29, 0, 0, 0, 0},
        {"2000-02-29 23:59:59", 2000, 2, 29, 23, 59, 59, 0},
        {"1999-12-31T08:05:01", 1999, 12, 31, 8, 5, 1, 0},
        {"2024-06-01 10:00:00.5", 2024, 6, 1, 10, 0, 0, 500000000},
        {"2024-06-01 10:00:00.123456", 2024, 6, 1, 10, 0, 0, 123456000},
        {"2024-06-01 10:00:00.1234567891", 2024, 6, 1, 10, 0, 0, 123456789},
        {"0001-01-01", 1, 1, 1, 0, 0, 0, 0},
        {"9999-12-31 23:59:59.999999", 9999, 12, 31, 23, 59, 59, 999999000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const datetime_case *c = &cases[i];
        int y, mo, d, h, mi, s, ns;
        mo_status st = mo_text_to_datetime(c->text, strlen(c->text), &y, &mo, &d, &h, &mi, &s, &ns);
        if (st != MO_OK) fail_msg("'%s' did not parse (%d)", c->text, st);
        if (y != c->y || mo != c->mo || d != c->d || h != c->h || mi != c->mi || s != c->s || ns != c->ns)
            fail_msg("'%s' -> %d-%d-%d %d:%d:%d.%09d", c->text, y, mo, d, h, mi, s, ns);
    }
}

static void zero_dates_and_impossible_dates_stay_text(void **state) {
    static const char *const bad[] = {
        "0000-00-00", "0000-00-00 00:00:00", "2024-00-10", "2024-01-00", "2023-02-29",
        "1900-02-29", "2024-04-31", "2024-13-01", "2024-06-01 24:00:00", "2024-06-01 10:60:00",
        "2024-06-01 10:00:60", "2024-06-01 10:00:00.", "2024-06-01 10:00", "2024-6-01",
        "24-06-01", "2024-06-01x", "2024-06-01 10:00:00 ", "", "x", "2024-06-01 1:00:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int y = -7, mo, d, h, mi, s, ns;
        mo_error_clear();
        mo_status st = mo_text_to_datetime(bad[i], strlen(bad[i]), &y, &mo, &d, &h, &mi, &s, &ns);
        if (st != MO_E_DATA) fail_msg("'%s' gave %d, expected MO_E_DATA", bad[i], st);
        assert_int_equal(y, -7);                 /* outputs untouched */
        assert_null(mo_error_last());            /* per-value: no error recorded */
    }
    /* the length bounds the text: no NUL needed, nothing read past it */
    int y, mo, d, h, mi, s, ns;
    assert_int_equal(mo_text_to_datetime("2024-06-01 10:00:00garbage", 19, &y, &mo, &d, &h, &mi, &s, &ns), MO_OK);
    assert_int_equal(s, 0);
    assert_int_equal(mo_text_to_datetime(NULL, 0, &y, &mo, &d, &h, &mi, &s, &ns), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_text_to_datetime("2024-06-01", 10, NULL, &mo, &d, &h, &mi, &s, &ns),
                     MO_E_INVALID_ARGUMENT);
}

static void times_keep_sign_and_long_hours(void **state) {
    int neg, h, mi, s, ns;
    assert_int_equal(mo_text_to_time("838:59:59", 9, &neg, &h, &mi, &s, &ns), MO_OK);
    assert_int_equal(neg, 0);
    assert_int_equal(h, 838);
    assert_int_equal(mi, 59);
    assert_int_equal(s, 59);
    assert_int_equal(mo_text_to_time("-00:00:01.25", 12, &neg, &h, &mi, &s, &ns), MO_OK);
    assert_int_equal(neg, 1);
    assert_int_equal(h, 0);
    assert_int_equal(s, 1);
    assert_int_equal(ns, 250000000);
    assert_int_equal(mo_text_to_time("7:05:00", 7, &neg, &h, &mi, &s, &ns), MO_OK);
    assert_int_equal(h, 7);
    static const char *const bad[] = {"", "-", "12:5:00", "12:00", "12:60:00", "1234567890:00:00",
                                      "12:00:00.", "+12:00:00", "12:00:00x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mo_text_to_time(bad[i], strlen(bad[i]), &neg, &h, &mi, &s, &ns) != MO_E_DATA)
            fail_msg("'%s' parsed as a TIME", bad[i]);
}

static void vectors_parse_in_the_c_locale_and_size_first(void **state) {
    const char *v = "[1, 2.5,-3e-2 ,4]";
    size_t n = 99;
    assert_int_equal(mo_text_to_vector(v, strlen(v), NULL, 0, &n), MO_OK);
    assert_int_equal(n, 4);
    double out[4] = {0};
    /* a decimal-comma locale (if installed) must not change how "2.5" reads */
    const char *old = setlocale(LC_NUMERIC, NULL);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", old ? old : "C");
    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8"))
        fail_msg("the de_DE.UTF-8 locale is missing (scripts/deps.sh generates it)");
    char comma[8];
    snprintf(comma, sizeof comma, "%.1f", 2.5);
    assert_string_equal(comma, "2,5");  /* the locale really writes a decimal comma */
    assert_int_equal(mo_text_to_vector(v, strlen(v), out, 2, &n), MO_OK);
    setlocale(LC_NUMERIC, saved);
    assert_int_equal(n, 4);          /* the whole count, though only two fit */
    assert_true(out[0] == 1.0 && out[1] == 2.5);
    assert_true(out[2] == 0.0);      /* beyond the capacity: untouched */
    assert_int_equal(mo_text_to_vector("[]", 2, NULL, 0, &n), MO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(mo_text_to_vector(" [ 7 ] ", 7, out, 4, &n), MO_OK);
    assert_true(n == 1 && out[0] == 7.0);
    static const char *const bad[] = {"", "1,2", "[1,2", "[1,,2]", "[1 2]", "[,]", "[nan]",
                                      "[inf]", "[1e999]", "[0x10]", "[1]x", "[a]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mo_text_to_vector(bad[i], strlen(bad[i]), out, 4, &n) != MO_E_DATA)
            fail_msg("'%s' parsed as a vector", bad[i]);
    assert_int_equal(mo_text_to_vector(v, strlen(v), NULL, 3, &n), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_text_to_vector(v, strlen(v), out, 4, NULL), MO_E_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------------ numbers */

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

static uint64_t rng_state = 0x853c49e6748fea9bULL;
static uint64_t next_random(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void same_as_strtod(const char *text) {
    char *end_got, *end_want;
    double got = mo_strtod_c(text, &end_got), want = strtod(text, &end_want);
    if (memcmp(&got, &want, sizeof got) != 0 || end_got != end_want)
        fail_msg("\"%s\": %.17g (%td read), strtod %.17g (%td read)", text, got,
                 end_got - text, want, end_want - text);
}

/* mo_strtod_c reads the short decimals servers print without strtod: the same double and the
 * same end as strtod (in the C locale this program runs in), on a random corpus of such numbers
 * and of the texts around them that must go to strtod. */
static void numbers_read_as_strtod_reads_them(void **state) {
    (void)state;
    static const char *const edges[] = {
        "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.3", "1.5", "123456789012345",
        "999999999999999", "9999999999999999", "0.000000000000001", "1234567890.12345", "1.",
        ".5", "-.5", "-", "", "+1", " 1", "1e5", "1E-5", "1.5.3", "0x10", "0x1p3", "inf", "nan",
        "1.5 ", "1.5,2", "12abc", "00012.500", "-00000000000000000001"};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) same_as_strtod(edges[i]);
    static const char tails[] = "\0\0\0 ,]eE.x";
    char text[64];
    int count = RUNNING_ON_VALGRIND ? 20000 : 1000000; /* valgrind runs every unit program */
    for (int i = 0; i < count; i++) {
        uint64_t r = next_random();
        size_t n = 0;
        if (r & 1) text[n++] = '-';
        int digits = 1 + (int)((r >> 1) % 18), point = (int)((r >> 6) % 20);
        for (int d = 0; d < digits; d++) {
            if (d == point && d > 0) text[n++] = '.';
            text[n++] = (char)('0' + (next_random() % 10));
        }
        text[n++] = tails[(r >> 12) % (sizeof tails - 1)];
        text[n] = 0;
        same_as_strtod(text);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(datetimes_the_calendar_has_parse),
        cmocka_unit_test(numbers_read_as_strtod_reads_them),
        cmocka_unit_test(zero_dates_and_impossible_dates_stay_text),
        cmocka_unit_test(times_keep_sign_and_long_hours),
        cmocka_unit_test(vectors_parse_in_the_c_locale_and_size_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
