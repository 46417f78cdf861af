/* src/core/value_text.c — the server's text of temporal and vector values, read once for
 * every binding (capi/mocore/value_text.h), and the C-locale number reader core uses. */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ------------------------------------------------------------------ numbers in the C locale */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void) { c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

/* The powers of ten a double holds exactly. */
static const double exact_power_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/* The number a server prints most ("-12.5", "0.25", "42"): [-]digits[.digits] with at most 15
 * digits, then a byte that cannot continue a number. 1 with *out and *end, else 0. The value is
 * m / 10^k with m < 10^15 and 10^k exact doubles, so the division's correctly rounded quotient
 * is exactly what strtod returns for the text. */
static int read_short_decimal(const char *s, double *out, char **end) {
    const char *p = s;
    int negative = *p == '-';
    if (negative) p++;
    uint64_t m = 0;
    int digits = 0, fraction = 0, seen_point = 0;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++digits > 15) return 0;
            m = m * 10 + (uint64_t)(*p - '0');
            fraction += seen_point;
        } else if (*p == '.' && !seen_point) {
            seen_point = 1;
        } else {
            break;
        }
    }
    /* a digit on both sides of a point ("1.", ".5" go to strtod), and nothing after the
     * number that strtod would read on with (an exponent, a second point, hex) */
    if (!digits || p[-1] == '.' || s[negative] == '.') return 0;
    if (*p == 'e' || *p == 'E' || *p == '.' || *p == 'x' || *p == 'X' || *p == 'p' || *p == 'P')
        return 0;
    double v = (double)m / exact_power_of_ten[fraction];
    *out = negative ? -v : v;
    *end = (char *)p;
    return 1;
}

/* strtod, but '.' is the decimal point whatever setlocale() says: a server's "2.5" is two and
 * a half in a process running in a decimal-comma locale too. */
double mo_strtod_c(const char *s, char **end) {
    double v;
    char *stop;
    if (read_short_decimal(s, &v, &stop)) {
        if (end) *end = stop;
        return v;
    }
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale ? strtod_l(s, end, c_locale) : strtod(s, end);
}

/* ------------------------------------------------------------------ temporal text */

/* Exactly `width` digits at s[*pos] (width 0: 1 to 9 digits) into *out. */
static int read_digits(const char *s, size_t len, size_t *pos, int width, int *out) {
    int value = 0, count = 0, most = width ? width : 9;
    while (*pos < len && count < most && s[*pos] >= '0' && s[*pos] <= '9') {
        value = value * 10 + (s[*pos] - '0');
        (*pos)++;
        count++;
    }
    if (count == 0 || (width && count != width)) return 0;
    if (!width && *pos < len && s[*pos] >= '0' && s[*pos] <= '9') return 0; /* too many */
    *out = value;
    return 1;
}

static int expect(const char *s, size_t len, size_t *pos, char c) {
    if (*pos >= len || s[*pos] != c) return 0;
    (*pos)++;
    return 1;
}

/* "HH:MM:SS[.fraction]" to the end of the text (hours: 2 digits, or 1 to 9 when `any_hours`). */
static int read_clock(const char *s, size_t len, size_t *pos, int any_hours, int *h, int *mi,
                      int *sec, int *ns) {
    if (!read_digits(s, len, pos, any_hours ? 0 : 2, h) || !expect(s, len, pos, ':') ||
        !read_digits(s, len, pos, 2, mi) || !expect(s, len, pos, ':') ||
        !read_digits(s, len, pos, 2, sec) || *mi > 59 || *sec > 59)
        return 0;
    *ns = 0;
    if (*pos == len) return 1;
    if (!expect(s, len, pos, '.') || *pos == len) return 0;
    int digits = 0;
    for (; *pos < len; (*pos)++) {
        char c = s[*pos];
        if (c < '0' || c > '9') return 0;
        if (digits < 9) {
            *ns = *ns * 10 + (c - '0');
            digits++;
        }
    }
    for (; digits < 9; digits++) *ns *= 10;
    return 1;
}

static int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

mo_status mo_text_to_datetime(const char *text, size_t len, int *year, int *month, int *day,
                              int *hour, int *minute, int *second, int *nanosecond) {
    if (!text || !year || !month || !day || !hour || !minute || !second || !nanosecond)
        return MO_E_INVALID_ARGUMENT;
    size_t pos = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0, ns = 0;
    if (!read_digits(text, len, &pos, 4, &y) || !expect(text, len, &pos, '-') ||
        !read_digits(text, len, &pos, 2, &mo) || !expect(text, len, &pos, '-') ||
        !read_digits(text, len, &pos, 2, &d))
        return MO_E_DATA;
    if (pos < len) {
        if (text[pos] != ' ' && text[pos] != 'T') return MO_E_DATA;
        pos++;
        if (!read_clock(text, len, &pos, 0, &h, &mi, &sec, &ns) || h > 23) return MO_E_DATA;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return MO_E_DATA;
    *year = y;
    *month = mo;
    *day = d;
    *hour = h;
    *minute = mi;
    *second = sec;
    *nanosecond = ns;
    return MO_OK;
}

mo_status mo_text_to_time(const char *text, size_t len, int *negative, int *hours, int *minutes,
                          int *seconds, int *nanoseconds) {
    if (!text || !negative || !hours || !minutes || !seconds || !nanoseconds)
        return MO_E_INVALID_ARGUMENT;
    size_t pos = 0;
    int neg = expect(text, len, &pos, '-');
    int h, mi, sec, ns;
    if (!read_clock(text, len, &pos, 1, &h, &mi, &sec, &ns)) return MO_E_DATA;
    *negative = neg;
    *hours = h;
    *minutes = mi;
    *seconds = sec;
    *nanoseconds = ns;
    return MO_OK;
}

/* ------------------------------------------------------------------ vector text */

static size_t skip_spaces(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* One finite number at s[*pos], in at most 63 characters (MatrixOne prints float32/64
 * elements in a few dozen). */
static int read_number(const char *s, size_t len, size_t *pos, double *out) {
    size_t start = *pos, end = start;
    while (end < len && end - start < 64 &&
           ((s[end] >= '0' && s[end] <= '9') || s[end] == '-' || s[end] == '+' || s[end] == '.' ||
            s[end] == 'e' || s[end] == 'E'))
        end++;
    char buf[64];
    size_t n = end - start;
    if (n == 0 || n >= sizeof buf) return 0;
    memcpy(buf, s + start, n);
    buf[n] = 0;
    char *stop;
    double v = mo_strtod_c(buf, &stop);
    if (*stop || !isfinite(v)) return 0;
    *out = v;
    *pos = end;
    return 1;
}

mo_status mo_text_to_vector(const char *text, size_t len, double *out, size_t capacity,
                            size_t *count) {
    if (!text || !count || (!out && capacity)) return MO_E_INVALID_ARGUMENT;
    size_t pos = skip_spaces(text, len, 0), n = 0;
    if (!expect(text, len, &pos, '[')) return MO_E_DATA;
    pos = skip_spaces(text, len, pos);
    if (!expect(text, len, &pos, ']')) {
        for (;;) {
            double v;
            if (!read_number(text, len, &pos, &v)) return MO_E_DATA;
            if (n < capacity) out[n] = v;
            n++;
            pos = skip_spaces(text, len, pos);
            if (expect(text, len, &pos, ']')) break;
            if (!expect(text, len, &pos, ',')) return MO_E_DATA;
            pos = skip_spaces(text, len, pos);
        }
    }
    if (skip_spaces(text, len, pos) != len) return MO_E_DATA;
    *count = n;
    return MO_OK;
}
