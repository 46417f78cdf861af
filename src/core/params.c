/* src/core/params.c — typed values for `?` placeholders, rendered as SQL literals.
 *
 * Every value is validated and copied when it is added, so rendering cannot fail on a value.
 * Temporal values, vectors and decimals are formatted once at add time; only strings wait for
 * rendering because their form names the connection's client character set (see
 * mo_sql_append_string_literal: no backslash is ever written, whatever the sql_mode). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef enum {
    PARAM_NULL,
    PARAM_BOOL,
    PARAM_INT64,
    PARAM_UINT64,
    PARAM_DOUBLE,
    PARAM_STRING,  /* bytes rendered as a string literal (text, JSON, temporal, vector) */
    PARAM_BLOB,    /* bytes rendered as a hex literal */
    PARAM_NUMBER   /* bytes rendered as they are (a normalised decimal) */
} param_kind;

typedef struct param {
    param_kind kind;
    union {
        int64_t i;
        uint64_t u;
        double d;
    } v;
    size_t off; /* PARAM_STRING, PARAM_BLOB and PARAM_NUMBER: the bytes at arena + off */
    size_t len;
} param;

/* Every value's bytes live in one arena, NUL-terminated, one after the other: adding a value
 * allocates nothing once the arena and the item array have grown to a statement's size, and
 * mo_params_clear keeps both for the next statement. */
struct mo_params {
    mo_handle h;
    param *items;
    size_t count;
    size_t cap;
    int copied; /* a private copy (mo_params_copy_values), not a caller's handle */
    /* Holds NaN and infinities (mo_params_allow_non_finite): never rendered, only read. */
    int non_finite_ok;
    char *arena;
    size_t arena_len;
    size_t arena_cap;
};

static int has_bytes(const param *v) {
    return v->kind == PARAM_STRING || v->kind == PARAM_BLOB || v->kind == PARAM_NUMBER;
}

static const char *param_bytes(const mo_params *p, const param *v) { return p->arena + v->off; }

/* Room for n bytes and a NUL at the arena's end; NULL when out of memory. */
static char *arena_reserve(mo_params *p, size_t n) {
    if (n > SIZE_MAX - p->arena_len - 1) return NULL;
    size_t need = p->arena_len + n + 1;
    if (need > p->arena_cap) {
        size_t cap = p->arena_cap ? p->arena_cap * 2 : 256;
        while (cap < need) cap = cap * 2 > cap ? cap * 2 : need;
        char *arena = realloc(p->arena, cap);
        if (!arena) return NULL;
        p->arena = arena;
        p->arena_cap = cap;
    }
    return p->arena + p->arena_len;
}

/* A decimal's exponent is expanded into plain digits so the server reads an exact value (MySQL
 * reads 1e3 as a DOUBLE); beyond this the result would be absurdly long for any DECIMAL. */
#define DECIMAL_MAX_EXPONENT 1000

/* Large enough for any number this file formats ("-2.2250738585072014e-308e0" and such). */
#define NUMBER_TEXT_MAX 40

/* ------------------------------------------------------------------ numbers */

/* Rewrite printf's locale-dependent decimal point (which may be several bytes) as '.'. */
static size_t normalise_decimal_point(char *s) {
    size_t n = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e') {
            s[n++] = c;
        } else if (n == 0 || s[n - 1] != '.') {
            s[n++] = '.';
        }
    }
    s[n] = '\0';
    return n;
}

/* Fixed text for values callers are meant to reject before formatting. */
static size_t non_finite_text(char *out, double v) {
    const char *t = isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
    strcpy(out, t);
    return strlen(t);
}

/* The decimal digits of v at the end of buf[0..20), returning where they start. */
static char *u64_digits(char buf[20], uint64_t v) {
    char *p = buf + 20;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

static size_t format_u64(char *out, uint64_t v) {
    char tmp[20], *p = u64_digits(tmp, v);
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(out, p, n);
    return n;
}

static size_t format_i64(char *out, int64_t v) {
    if (v >= 0) return format_u64(out, (uint64_t)v);
    out[0] = '-';
    return 1 + format_u64(out + 1, 0 - (uint64_t)v);
}

/* The powers of ten a double holds exactly. */
static const double exact_power_of_ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The shortest decimal m * 10^-k (0 <= k <= 22) that reads back as a (finite, > 0), found
 * without printf when m < 2^52: 1 and *m, *k, or 0 when the value needs the general path.
 *
 * Why this is exact. At each k the candidates are the integers m whose m / 10^k rounds to a.
 * While a * 10^k < 2^52 the rounding interval of a, scaled by 10^k, is narrower than 1, so
 * at most one integer lies in it, within 0.5 of the exact product; the computed product is
 * within 0.25 of the exact one, so that integer is one of the three tried. m and 10^k are
 * exact doubles, so m / 10^k is the correctly rounded quotient, the value strtod gives for
 * the text "m e-k": the test is the round trip itself. The first k that has a candidate
 * gives the fewest digits, and that candidate is the only one: it is the number printf's
 * %.15g (or %.16g) prints, since every decimal of up to 15 digits reads back to itself. */
static int short_decimal(double a, uint64_t *m, int *k) {
    for (int j = 0; j < (int)(sizeof exact_power_of_ten / sizeof exact_power_of_ten[0]); j++) {
        double scaled = a * exact_power_of_ten[j];
        if (scaled >= 4503599627370496.0) return 0; /* 2^52 */
        uint64_t near = (uint64_t)(scaled + 0.5);
        for (int d = 0; d < 3; d++) {
            uint64_t c = d == 0 ? near : d == 1 ? near - 1 : near + 1;
            if (c > 0 && (double)c / exact_power_of_ten[j] == a) {
                *m = c;
                *k = j;
                return 1;
            }
        }
    }
    return 0;
}

/* The digits `digits` (no trailing zero) with decimal exponent x (the first digit's place),
 * laid out as printf's %.{precision}g lays them out. */
static size_t layout_g(char *out, const char *digits, int n, int x, int precision) {
    size_t len = 0;
    if (x < -4 || x >= precision) {
        out[len++] = digits[0];
        if (n > 1) {
            out[len++] = '.';
            memcpy(out + len, digits + 1, (size_t)n - 1);
            len += (size_t)n - 1;
        }
        out[len++] = 'e';
        out[len++] = x < 0 ? '-' : '+';
        unsigned e = (unsigned)(x < 0 ? -x : x);
        if (e >= 100) out[len++] = (char)('0' + e / 100);
        out[len++] = (char)('0' + e / 10 % 10);
        out[len++] = (char)('0' + e % 10);
    } else if (x < 0) {
        out[len++] = '0';
        out[len++] = '.';
        for (int z = -1; z > x; z--) out[len++] = '0';
        memcpy(out + len, digits, (size_t)n);
        len += (size_t)n;
    } else if (n <= x + 1) {
        memcpy(out, digits, (size_t)n);
        len = (size_t)n;
        for (int z = n; z <= x; z++) out[len++] = '0';
    } else {
        memcpy(out, digits, (size_t)x + 1);
        len = (size_t)x + 1;
        out[len++] = '.';
        memcpy(out + len, digits + x + 1, (size_t)(n - x - 1));
        len += (size_t)(n - x - 1);
    }
    out[len] = '\0';
    return len;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as v (%.17g always does). */
static size_t shortest_double_printf(char out[NUMBER_TEXT_MAX], double v) {
    for (int precision = 15; precision < 17; precision++) {
        snprintf(out, NUMBER_TEXT_MAX, "%.*g", precision, v);
        if (strtod(out, NULL) == v) return normalise_decimal_point(out);
    }
    snprintf(out, NUMBER_TEXT_MAX, "%.17g", v);
    return normalise_decimal_point(out);
}

/* The shortest text that reads back as v, as printf's %g writes it ("0.25", "1e+20",
 * "-0"): short_decimal when it applies, which is the common case, else printf. */
static size_t shortest_double(char out[NUMBER_TEXT_MAX], double v) {
    if (!isfinite(v)) return non_finite_text(out, v);
    size_t len = 0;
    if (signbit(v)) out[len++] = '-';
    double a = fabs(v);
    if (a == 0) {
        memcpy(out + len, "0", 2);
        return len + 1;
    }
    uint64_t m;
    int k;
    if (!short_decimal(a, &m, &k)) return shortest_double_printf(out, v);
    char tmp[20], *digits = u64_digits(tmp, m);
    int n = (int)(tmp + sizeof tmp - digits);
    int x = n - 1 - k;
    while (n > 1 && digits[n - 1] == '0') n--; /* only when k == 0 */
    return len + layout_g(out + len, digits, n, x, n > 15 ? n : 15);
}

/* The same for a float: the shortest of %.6g .. %.9g that strtof reads back as v. */
static size_t shortest_float(char out[NUMBER_TEXT_MAX], float v) {
    if (!isfinite(v)) return non_finite_text(out, v);
    for (int precision = 6; precision < 9; precision++) {
        snprintf(out, NUMBER_TEXT_MAX, "%.*g", precision, (double)v);
        if (strtof(out, NULL) == v) return normalise_decimal_point(out);
    }
    snprintf(out, NUMBER_TEXT_MAX, "%.9g", (double)v);
    return normalise_decimal_point(out);
}

/* A double as an SQL literal. MySQL reads "1" as an INT and "0.1" as an exact DECIMAL; only
 * a literal with an exponent is a DOUBLE. So every double without one gets "e0" ("1e0",
 * "0.1e0"): the value keeps its type in expressions (0.1e0 + 0.2e0 is double arithmetic). */
static size_t sql_double(char out[NUMBER_TEXT_MAX], double v) {
    size_t n = shortest_double(out, v);
    if (!strpbrk(out, "eni")) {
        memcpy(out + n, "e0", 3);
        n += 2;
    }
    return n;
}

void mo_sql_append_double(mo_buf *b, double v) {
    char text[NUMBER_TEXT_MAX];
    mo_buf_append(b, text, sql_double(text, v));
}

/* ------------------------------------------------------------------ the handle */

mo_status mo_params_new(mo_params **out) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "params.new", "out is NULL");
    *out = NULL;
    mo_params *p = calloc(1, sizeof *p);
    if (!p) return mo_error_oom("params.new");
    mo_status st = mo_handle_register(&p->h, MO_HANDLE_PARAMS, "params.new");
    if (st < 0) {
        free(p);
        return st;
    }
    *out = p;
    return MO_OK;
}

static void params_clear(mo_params *p) {
    p->count = 0;
    p->arena_len = 0;
}

/* ------------------------------------------------------------------ private copies
 * The binary protocol sends the values after the caller's call returned (asynchronous
 * operations, a session's BEGIN first): they are copied into a private set, one allocation
 * for all bytes, reused from statement to statement. */

mo_status mo_params_copy_values(mo_params **dst, const mo_params *src, const char *operation) {
    mo_params *d = *dst;
    if (!d) {
        d = calloc(1, sizeof *d);
        if (!d) return mo_error_oom(operation);
        d->copied = 1;
        *dst = d;
    }
    d->count = 0;
    if (src->count > d->cap) {
        param *items = src->count <= SIZE_MAX / sizeof *items
                           ? realloc(d->items, src->count * sizeof *items) : NULL;
        if (!items) return mo_error_oom(operation);
        d->items = items;
        d->cap = src->count;
    }
    d->arena_len = 0;
    if (src->arena_len && !arena_reserve(d, src->arena_len)) return mo_error_oom(operation);
    if (src->count) memcpy(d->items, src->items, src->count * sizeof *d->items);
    if (src->arena_len) memcpy(d->arena, src->arena, src->arena_len);
    d->arena_len = src->arena_len;
    d->count = src->count;
    return MO_OK;
}

void mo_params_free_copy(mo_params *p) {
    if (!p) return;
    free(p->items);
    free(p->arena);
    free(p);
}

int mo_params_is_copy(const mo_params *p) { return p && p->copied; }

size_t mo_params_length(const mo_params *p) { return p ? p->count : 0; }

/* Every value's bytes (the arena holds each with its NUL) and 9 more for its type, length
 * and NULL bit: at least what the execute packet carries. */
size_t mo_params_wire_bytes(const mo_params *p) { return p ? p->arena_len + 9 * p->count : 0; }

mo_param_view mo_params_view(const mo_params *p, size_t index) {
    const param *v = &p->items[index];
    mo_param_view out = {MO_PARAM_NULL, 0, 0, 0.0, has_bytes(v) ? param_bytes(p, v) : NULL, v->len};
    switch (v->kind) {
    case PARAM_NULL: out.kind = MO_PARAM_NULL; break;
    case PARAM_BOOL: out.kind = MO_PARAM_INT64; out.i = v->v.i != 0; break;
    case PARAM_INT64: out.kind = MO_PARAM_INT64; out.i = v->v.i; break;
    case PARAM_UINT64: out.kind = MO_PARAM_UINT64; out.u = v->v.u; break;
    case PARAM_DOUBLE: out.kind = MO_PARAM_DOUBLE; out.d = v->v.d; break;
    case PARAM_STRING: out.kind = MO_PARAM_STRING; break;
    case PARAM_BLOB: out.kind = MO_PARAM_BLOB; break;
    case PARAM_NUMBER: out.kind = MO_PARAM_DECIMAL; break;
    }
    return out;
}

void mo_params_free(mo_params *p) {
    if (!p || !mo_handle_is_live(p, MO_HANDLE_PARAMS)) return;
    free(p->items);
    free(p->arena);
    mo_handle_unregister(&p->h);
    free(p);
}

mo_status mo_params_clear(mo_params *p) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.clear");
    if (st < 0) return st;
    params_clear(p);
    mo_handle_leave(p);
    return MO_OK;
}

size_t mo_params_count(const mo_params *p) {
    return mo_handle_is_live(p, MO_HANDLE_PARAMS) ? p->count : 0;
}

/* Append `item` (its bytes, if any, already at the arena's end). */
static mo_status params_push(mo_params *p, param item, const char *operation) {
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        param *items = cap <= SIZE_MAX / sizeof *items ? realloc(p->items, cap * sizeof *items)
                                                       : NULL;
        if (!items) return mo_error_oom(operation);
        p->items = items;
        p->cap = cap;
    }
    p->items[p->count++] = item;
    return MO_OK;
}

/* Append the len bytes written at arena_reserve's pointer as a value of `kind`. */
static mo_status params_push_reserved(mo_params *p, param_kind kind, size_t len,
                                      const char *operation) {
    param item = {.kind = kind, .off = p->arena_len, .len = len};
    p->arena[p->arena_len + len] = '\0';
    mo_status st = params_push(p, item, operation);
    if (st >= 0) p->arena_len += len + 1;
    return st;
}

/* Append a copy of bytes[0..len) as a value of `kind`. */
static mo_status params_push_copy(mo_params *p, param_kind kind, const void *bytes, size_t len,
                                  const char *operation) {
    char *to = arena_reserve(p, len);
    if (!to) return mo_error_oom(operation);
    if (len) memcpy(to, bytes, len);
    return params_push_reserved(p, kind, len, operation);
}

void mo_params_allow_non_finite(mo_params *p) { p->non_finite_ok = 1; }

mo_status mo_params_add_copy(mo_params *dst, const mo_params *src, size_t index,
                            const char *operation) {
    param v = src->items[index];
    if (v.kind == PARAM_DOUBLE && !isfinite(v.v.d) && !dst->non_finite_ok)
        return mo_error_set(MO_E_INVALID_ARGUMENT, "params.add_double",
                            "NaN and infinity cannot be sent as SQL values");
    if (v.kind == PARAM_STRING || v.kind == PARAM_BLOB || v.kind == PARAM_NUMBER)
        return params_push_copy(dst, v.kind, src->arena + v.off, v.len, operation);
    return params_push(dst, v, operation);
}

/* Each public add_* function enters the handle, calls one of these, and leaves. */

static mo_status add_double(mo_params *p, double value) {
    if (!isfinite(value) && !p->non_finite_ok)
        return mo_error_set(MO_E_INVALID_ARGUMENT, "params.add_double",
                            "NaN and infinity cannot be sent as SQL values");
    return params_push(p, (param){.kind = PARAM_DOUBLE, .v.d = value}, "params.add_double");
}

static mo_status add_utf8(mo_params *p, const char *value, size_t len, const char *what,
                          const char *operation) {
    if (!value && len)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "%s value is NULL", what);
    /* The value itself stays out of the message: it may be a secret. */
    if (!mo_utf8_valid(value, len))
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "%s value is not valid UTF-8",
                            what);
    return params_push_copy(p, PARAM_STRING, value, len, operation);
}

static mo_status add_blob(mo_params *p, const void *value, size_t len) {
    if (!value && len)
        return mo_error_set(MO_E_INVALID_ARGUMENT, "params.add_blob", "blob value is NULL");
    return params_push_copy(p, PARAM_BLOB, value, len, "params.add_blob");
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A decimal's digits without the point: the integer digits, then the fraction digits. */
typedef struct digit_run {
    const char *int_digits;
    size_t int_len;
    const char *frac_digits;
} digit_run;

static char digit_at(const digit_run *r, long k) {
    return (size_t)k < r->int_len ? r->int_digits[k] : r->frac_digits[(size_t)k - r->int_len];
}

/* Write digits [from, to) of the run at out + w; returns the new end. */
static size_t append_digits(char *out, size_t w, const digit_run *r, long from, long to) {
    size_t a = (size_t)from, b = (size_t)to;
    if (a < r->int_len) {
        size_t n = (b < r->int_len ? b : r->int_len) - a;
        memcpy(out + w, r->int_digits + a, n);
        w += n;
    }
    if (b > r->int_len) {
        size_t f = a > r->int_len ? a : r->int_len;
        memcpy(out + w, r->frac_digits + (f - r->int_len), b - f);
        w += b - f;
    }
    return w;
}

/* 1 when s is [-]digits[.digits] without a superfluous leading zero: what add_decimal would
 * make of it is s itself (the usual value, "1234.56", takes this path). */
static int plain_decimal(const char *s, size_t len) {
    size_t i = s[0] == '-' ? 1 : 0, start = i;
    while (i < len && is_digit(s[i])) i++;
    if (i == start || (i - start > 1 && s[start] == '0')) return 0;
    if (i == len) return 1;
    if (s[i] != '.' || ++i == len) return 0;
    while (i < len && is_digit(s[i])) i++;
    return i == len;
}

/* Validate [+-](digits[.digits] | .digits)[e[+-]digits] and push it in plain notation with
 * the exponent applied: "1.5e3" -> "1500", ".5" -> "0.5", "-12.50" -> "-12.50". */
static mo_status add_decimal(mo_params *p, const char *s, size_t len) {
    static const char op[] = "params.add_decimal";
    if (!s && len) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "decimal value is NULL");
    if (len && plain_decimal(s, len)) return params_push_copy(p, PARAM_NUMBER, s, len, op);
    size_t i = 0;
    int negative = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    size_t int_start = i;
    while (i < len && is_digit(s[i])) i++;
    size_t int_len = i - int_start, frac_start = i, frac_len = 0;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && is_digit(s[i])) i++;
        frac_len = i - frac_start;
    }
    long exponent = 0;
    int exponent_ok = 1;
    if (int_len + frac_len > 0 && i < len && (s[i] == 'e' || s[i] == 'E')) {
        int exponent_negative = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) exponent_negative = s[i++] == '-';
        size_t exponent_start = i;
        for (; i < len && is_digit(s[i]); i++)
            if (exponent <= DECIMAL_MAX_EXPONENT) exponent = exponent * 10 + (s[i] - '0');
        exponent_ok = i > exponent_start;
        if (exponent_negative) exponent = -exponent;
    }
    if (int_len + frac_len == 0 || !exponent_ok || i != len)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "decimal value is not a number like -12.50 or 1.5e3");
    if (exponent > DECIMAL_MAX_EXPONENT || exponent < -DECIMAL_MAX_EXPONENT)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "decimal exponent is beyond +/-%d", DECIMAL_MAX_EXPONENT);

    /* The digits are s[int_start..) then s[frac_start..), n in all, with the decimal point
     * before digit `point` (which may lie outside them). */
    digit_run run = {s + int_start, int_len, s + frac_start};
    long n = (long)(int_len + frac_len), point = (long)int_len + exponent;
    long int_end = point < 0 ? 0 : point < n ? point : n;
    long first = 0;
    while (first < int_end && digit_at(&run, first) == '0') first++;
    /* At most a sign, the digits, |exponent| zeros, "0." */
    char *out = arena_reserve(p, (size_t)n + (size_t)(exponent < 0 ? -exponent : exponent) + 3);
    if (!out) return mo_error_oom(op);
    size_t w = 0;
    if (negative) out[w++] = '-';
    if (first == int_end) {
        out[w++] = '0'; /* no integer digits, or only zeros */
    } else {
        w = append_digits(out, w, &run, first, int_end);
        for (long k = n; k < point; k++) out[w++] = '0';
    }
    if (point < n) {
        out[w++] = '.';
        for (long k = point; k < 0; k++) out[w++] = '0';
        w = append_digits(out, w, &run, point > 0 ? point : 0, n);
    }
    return params_push_reserved(p, PARAM_NUMBER, w, op);
}

static int is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

/* MO_OK or the error for a date outside 0000-01-01 .. 9999-12-31 (zero dates included). */
static mo_status check_date(int year, unsigned month, unsigned day, const char *operation) {
    static const unsigned days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 0 || year > 9999)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "year %d is outside 0..9999", year);
    if (month < 1 || month > 12)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "month %u is outside 1..12", month);
    unsigned last = days_in_month[month - 1] + (month == 2 && is_leap_year(year));
    if (day < 1 || day > last)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "day %u is outside 1..%u for %04d-%02u", day, last, year, month);
    return MO_OK;
}

static mo_status check_clock(unsigned hour, unsigned max_hour, unsigned minute, unsigned second,
                             unsigned microsecond, const char *operation) {
    if (hour > max_hour)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "hour %u is outside 0..%u", hour,
                            max_hour);
    if (minute > 59)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "minute %u is outside 0..59",
                            minute);
    if (second > 59)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "second %u is outside 0..59",
                            second);
    if (microsecond > 999999)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "microsecond %u is outside 0..999999", microsecond);
    return MO_OK;
}

/* v (< 10^width) in exactly `width` digits, zero-padded. */
static size_t format_fixed(char *out, unsigned v, int width) {
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return (size_t)width;
}

/* "YYYY-MM-DD" for a date check_date accepted. */
static size_t format_date(char *out, int year, unsigned month, unsigned day) {
    format_fixed(out, (unsigned)year, 4);
    out[4] = '-';
    format_fixed(out + 5, month, 2);
    out[7] = '-';
    format_fixed(out + 8, day, 2);
    return 10;
}

/* "HH:MM:SS" with ".ffffff" only when there is a fraction; the hours take 2 or 3 digits. */
static size_t format_clock(char *out, unsigned hour, unsigned minute, unsigned second,
                           unsigned microsecond) {
    size_t n = format_fixed(out, hour, hour >= 100 ? 3 : 2);
    out[n++] = ':';
    n += format_fixed(out + n, minute, 2);
    out[n++] = ':';
    n += format_fixed(out + n, second, 2);
    if (microsecond) {
        out[n++] = '.';
        n += format_fixed(out + n, microsecond, 6);
    }
    return n;
}

static mo_status add_date(mo_params *p, int year, unsigned month, unsigned day) {
    static const char op[] = "params.add_date";
    mo_status st = check_date(year, month, day, op);
    if (st < 0) return st;
    char text[16];
    return params_push_copy(p, PARAM_STRING, text, format_date(text, year, month, day), op);
}

static mo_status add_time(mo_params *p, int negative, unsigned hours, unsigned minutes,
                          unsigned seconds, unsigned microseconds) {
    static const char op[] = "params.add_time";
    mo_status st = check_clock(hours, 838, minutes, seconds, microseconds, op);
    if (st < 0) return st;
    /* MySQL's TIME range ends at exactly 838:59:59; the server would clip anything beyond. */
    if (hours == 838 && minutes == 59 && seconds == 59 && microseconds)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "time is beyond 838:59:59");
    char text[32];
    size_t n = 0;
    if (negative) text[n++] = '-';
    n += format_clock(text + n, hours, minutes, seconds, microseconds);
    return params_push_copy(p, PARAM_STRING, text, n, op);
}

static mo_status add_datetime(mo_params *p, int year, unsigned month, unsigned day,
                              unsigned hour, unsigned minute, unsigned second,
                              unsigned microsecond) {
    static const char op[] = "params.add_datetime";
    mo_status st = check_date(year, month, day, op);
    if (st >= 0) st = check_clock(hour, 23, minute, second, microsecond, op);
    if (st < 0) return st;
    char text[40];
    size_t n = format_date(text, year, month, day);
    text[n++] = ' ';
    n += format_clock(text + n, hour, minute, second, microsecond);
    return params_push_copy(p, PARAM_STRING, text, n, op);
}

mo_status mo_sql_append_vector_text(mo_buf *text, const void *values, size_t count, int f32,
                                    const char *operation) {
    if (!values && count)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "vector values are NULL");
    mo_buf_append_char(text, '[');
    for (size_t i = 0; i < count; i++) {
        double v = f32 ? (double)((const float *)values)[i] : ((const double *)values)[i];
        if (!isfinite(v))
            return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                                "vector element %zu is NaN or infinite", i);
        char num[NUMBER_TEXT_MAX];
        size_t n = f32 ? shortest_float(num, (float)v) : shortest_double(num, v);
        if (i) mo_buf_append_char(text, ',');
        mo_buf_append(text, num, n);
    }
    mo_buf_append_char(text, ']');
    return MO_OK;
}

/* '[x,y,...]' from either element type; `f32` selects which array `values` is. */
static mo_status add_vector(mo_params *p, const void *values, size_t count, int f32,
                            const char *operation) {
    mo_buf text;
    mo_buf_init(&text);
    mo_status st = mo_sql_append_vector_text(&text, values, count, f32, operation);
    if (st < 0) {
        mo_buf_free(&text);
        return st;
    }
    st = mo_buf_ok(&text) ? params_push_copy(p, PARAM_STRING, text.data, text.len, operation)
                          : mo_error_oom(operation);
    mo_buf_free(&text);
    return st;
}

/* ------------------------------------------------------------------ the public add_* calls */

mo_status mo_params_add_null(mo_params *p) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_null");
    if (st < 0) return st;
    st = params_push(p, (param){.kind = PARAM_NULL}, "params.add_null");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_bool(mo_params *p, int value) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_bool");
    if (st < 0) return st;
    st = params_push(p, (param){.kind = PARAM_BOOL, .v.i = value != 0}, "params.add_bool");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_int64(mo_params *p, int64_t value) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_int64");
    if (st < 0) return st;
    st = params_push(p, (param){.kind = PARAM_INT64, .v.i = value}, "params.add_int64");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_uint64(mo_params *p, uint64_t value) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_uint64");
    if (st < 0) return st;
    st = params_push(p, (param){.kind = PARAM_UINT64, .v.u = value}, "params.add_uint64");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_double(mo_params *p, double value) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_double");
    if (st < 0) return st;
    st = add_double(p, value);
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_text(mo_params *p, const char *value, size_t len) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_text");
    if (st < 0) return st;
    st = add_utf8(p, value, len, "text", "params.add_text");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_blob(mo_params *p, const void *value, size_t len) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_blob");
    if (st < 0) return st;
    st = add_blob(p, value, len);
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_decimal(mo_params *p, const char *value, size_t len) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_decimal");
    if (st < 0) return st;
    st = add_decimal(p, value, len);
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_json(mo_params *p, const char *value, size_t len) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_json");
    if (st < 0) return st;
    st = add_utf8(p, value, len, "JSON", "params.add_json");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_date(mo_params *p, int year, unsigned month, unsigned day) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_date");
    if (st < 0) return st;
    st = add_date(p, year, month, day);
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_time(mo_params *p, int negative, unsigned hours, unsigned minutes,
                             unsigned seconds, unsigned microseconds) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_time");
    if (st < 0) return st;
    st = add_time(p, negative, hours, minutes, seconds, microseconds);
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_datetime(mo_params *p, int year, unsigned month, unsigned day,
                                 unsigned hour, unsigned minute, unsigned second,
                                 unsigned microsecond) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_datetime");
    if (st < 0) return st;
    st = add_datetime(p, year, month, day, hour, minute, second, microsecond);
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_vector_f32(mo_params *p, const float *values, size_t count) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_vector_f32");
    if (st < 0) return st;
    st = add_vector(p, values, count, 1, "params.add_vector_f32");
    mo_handle_leave(p);
    return st;
}

mo_status mo_params_add_vector_f64(mo_params *p, const double *values, size_t count) {
    mo_status st = mo_handle_enter(p, MO_HANDLE_PARAMS, "params.add_vector_f64");
    if (st < 0) return st;
    st = add_vector(p, values, count, 0, "params.add_vector_f64");
    mo_handle_leave(p);
    return st;
}

/* ------------------------------------------------------------------ rendering */

/* Append a numeric literal. After a '-' a negative number is parenthesised: "1-?" with -1
 * must not become "1--1", which other SQL dialects read as a comment, and a space instead
 * would make a real comment of "1--?". */
static void append_number(mo_buf *out, const char *text, size_t len) {
    int wrap = text[0] == '-' && out->len > 0 && out->data[out->len - 1] == '-';
    if (wrap) mo_buf_append_char(out, '(');
    mo_buf_append(out, text, len);
    if (wrap) mo_buf_append_char(out, ')');
}

static void append_param(mo_buf *out, const mo_params *p, const param *v, const char *charset) {
    char num[NUMBER_TEXT_MAX];
    switch (v->kind) {
    case PARAM_NULL: mo_buf_append_str(out, "NULL"); break;
    case PARAM_BOOL: mo_buf_append_str(out, v->v.i ? "TRUE" : "FALSE"); break;
    case PARAM_INT64:
        append_number(out, num, format_i64(num, v->v.i));
        break;
    case PARAM_UINT64:
        append_number(out, num, format_u64(num, v->v.u));
        break;
    case PARAM_DOUBLE: append_number(out, num, sql_double(num, v->v.d)); break;
    case PARAM_STRING:
        mo_sql_append_string_literal(out, param_bytes(p, v), v->len, MO_LITERAL_VALUE, charset);
        break;
    case PARAM_BLOB: mo_sql_append_hex_literal(out, param_bytes(p, v), v->len); break;
    case PARAM_NUMBER: append_number(out, param_bytes(p, v), v->len); break;
    }
}

void mo_params_append_value(mo_buf *out, const mo_params *params, size_t index,
                            const char *charset) {
    append_param(out, params, &params->items[index], charset);
}

/* 1 when bytes a b, side by side, would be read as one token: a value must stay one token of
 * its own, as a server-side placeholder is ("t?" with 1 is not the identifier t1, "?e3" with 5
 * not 5e3, "X?" with 'ab' not a hex literal, "'a'?" with 'b' not 'a''b'). A word before a
 * quote glues only when the quote opens the value (X'..', _utf8mb4'..'): after a value
 * (7'x') it is two tokens. */
enum { GLUE_WORD = 1, GLUE_DOT = 2, GLUE_QUOTE = 4, GLUE_MINUS = 8 };
#define GLUE_WORDS_10                                                                          \
    GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD,    \
        GLUE_WORD, GLUE_WORD
#define GLUE_WORDS_16 GLUE_WORDS_10, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD, GLUE_WORD
#define GLUE_WORDS_26 GLUE_WORDS_16, GLUE_WORDS_10
/* The bytes that can join a token: a word's (digits, letters, _, $, every byte from 0x80),
 * and '.', the quotes and '-'. Any other byte on either side keeps the two apart. */
static const unsigned char glue_class[256] = {
    ['$'] = GLUE_WORD,     ['"'] = GLUE_QUOTE,    ['\''] = GLUE_QUOTE,  ['-'] = GLUE_MINUS,
    ['.'] = GLUE_DOT,      ['0'] = GLUE_WORDS_10, ['A'] = GLUE_WORDS_26, ['_'] = GLUE_WORD,
    ['a'] = GLUE_WORDS_26, [0x80] = GLUE_WORDS_16, GLUE_WORDS_16, GLUE_WORDS_16, GLUE_WORDS_16,
    GLUE_WORDS_16,         GLUE_WORDS_16,         GLUE_WORDS_16,         GLUE_WORDS_16,
};

static int word_byte(unsigned char c) { return glue_class[c] & GLUE_WORD; }

static int glued(unsigned char a, unsigned char b, int value_first) {
    /* What follows a value or precedes one is mostly a comma, a parenthesis or a space. */
    if (!(glue_class[a] & (GLUE_WORD | GLUE_DOT | GLUE_QUOTE)) || !glue_class[b]) return 0;
    if (word_byte(a) && (word_byte(b) || (value_first && (b == '\'' || b == '"')))) return 1;
    if ((a == '.' && b >= '0' && b <= '9') || (b == '.' && a >= '0' && a <= '9')) return 1;
    if (value_first && (a == 'e' || a == 'E') && b == '-') return 1; /* "1E?" with -5: 1E-5 */
    return (a == '\'' && b == '\'') || (a == '"' && b == '"');
}

/* The value just appended at out[at..) is kept apart from its neighbours by a space where
 * they would glue: the text before it, and `next` (the template byte after the `?`, 0 at
 * the end). */
static void keep_apart(mo_buf *out, size_t at, unsigned char next) {
    if (!mo_buf_ok(out) || at >= out->len) return;
    unsigned char first = (unsigned char)out->data[at];
    /* "1e-?" with 5 would be the exponent 1e-5 */
    int exponent_sign = at >= 2 && (out->data[at - 1] == '-' || out->data[at - 1] == '+') &&
                        (out->data[at - 2] == 'e' || out->data[at - 2] == 'E') &&
                        first >= '0' && first <= '9';
    if (at > 0 && (exponent_sign || glued((unsigned char)out->data[at - 1], first, 1))) {
        mo_buf_append_char(out, ' ');
        if (!mo_buf_ok(out)) return;
        memmove(out->data + at + 1, out->data + at, out->len - 1 - at);
        out->data[at] = ' ';
    }
    if (next && glued((unsigned char)out->data[out->len - 1], next, 0)) mo_buf_append_char(out, ' ');
}

/* 'a\' , ? has a placeholder only under NO_BACKSLASH_ESCAPES: substituting on a guess of
 * the server's mode could put a value where the server reads SQL. */
static mo_status ambiguous_placeholders(const char *operation) {
    return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                        "the statement's placeholders depend on whether the server reads a "
                        "backslash in a quoted string as an escape (NO_BACKSLASH_ESCAPES); "
                        "pass that literal as a parameter instead");
}

mo_status mo_sql_format_placeholders(size_t *count, size_t *qmarks, const char *sql, size_t len,
                                     size_t *offsets, size_t *lengths, size_t max) {
    const char *op = "sql.format_placeholders";
    if (count) *count = 0;
    if (qmarks) *qmarks = 0;
    if (!count || !qmarks || (!sql && len) || (max && (!offsets || !lengths)))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "NULL argument");
    size_t found = mo_sql_find_format_placeholders(sql ? sql : "", len, offsets, lengths, max,
                                                   qmarks);
    if (found == MO_SQL_AMBIGUOUS) return ambiguous_placeholders(op);
    *count = found;
    return MO_OK;
}

mo_status mo_sql_insert_row(size_t *row_start, size_t *row_end, size_t *row_placeholders,
                            size_t *tail_end, const char *sql, size_t len) {
    if (!row_start || !row_end || !row_placeholders || !tail_end || (!sql && len))
        return mo_error_set(MO_E_INVALID_ARGUMENT, "sql.insert_row", "NULL argument");
    size_t out[4] = {0, 0, 0, 0};
    int found = sql && mo_sql_find_insert_row(sql, len, out);
    *row_start = out[0];
    *row_end = out[1];
    *row_placeholders = out[2];
    *tail_end = out[3];
    return found ? MO_OK : MO_DONE;
}

/* MatrixOne (no introducers: charset "") takes only a quoted string literal after AGAINST(,
 * and a text value with a backslash, NUL or ^Z has none there that reads the same with and
 * without NO_BACKSLASH_ESCAPES (which v4.2 honours but never reports); its exact form
 * CAST(X'..' AS CHAR) is a syntax error in that place. Such a value is refused, never sent
 * (docs/matrixone.md, "Character sets and sql_mode"). */
static int unsendable_against(const mo_params *p, const param *v, const char *charset,
                              const char *sql, size_t at) {
    return charset && !*charset && v->kind == PARAM_STRING && v->len &&
           mo_sql_text_needs_hex_form(param_bytes(p, v), v->len) &&
           mo_sql_is_against_operand(sql, at);
}

mo_status mo_params_render_at(mo_buf *out, const char *sql, size_t len, const size_t *offsets,
                              size_t found, const mo_params *params, const char *charset,
                              const char *operation) {
    size_t given = params ? params->count : 0;
    if (found == MO_SQL_AMBIGUOUS) return ambiguous_placeholders(operation);
    if (found != given)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "statement has %zu ? placeholder%s but %zu parameter%s given", found,
                            found == 1 ? "" : "s", given, given == 1 ? " was" : "s were");
    size_t from = 0;
    for (size_t k = 0; k < given; k++) {
        if (unsendable_against(params, &params->items[k], charset, sql, offsets[k]))
            return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                                "parameter %zu: a MATCH ... AGAINST search string on MatrixOne "
                                "cannot hold a backslash, NUL or ^Z (only a string literal is "
                                "accepted there, and none reads the same in every sql_mode)",
                                k + 1);
        mo_buf_append(out, sql + from, offsets[k] - from);
        size_t at = out->len;
        append_param(out, params, &params->items[k], charset);
        keep_apart(out, at, offsets[k] + 1 < len ? (unsigned char)sql[offsets[k] + 1] : 0);
        from = offsets[k] + 1;
    }
    mo_buf_append(out, sql + from, len - from);
    return mo_buf_ok(out) ? MO_OK : mo_error_oom(operation);
}

mo_status mo_params_render(mo_buf *out, const char *sql, size_t len, const mo_params *params,
                           const char *charset, const char *operation) {
    if (!sql && len) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "SQL text is NULL");
    if (!params) {
        mo_buf_append(out, sql, len);
        return mo_buf_ok(out) ? MO_OK : mo_error_oom(operation);
    }
    /* Locate the placeholders first so that a count mismatch is reported before any output;
     * the output is then built in one pass. */
    size_t given = params->count;
    size_t small[32];
    size_t *offsets = small;
    if (given > sizeof small / sizeof small[0]) {
        offsets = given <= SIZE_MAX / sizeof *offsets ? malloc(given * sizeof *offsets) : NULL;
        if (!offsets) return mo_error_oom(operation);
    }
    size_t found = mo_sql_find_placeholders(sql, len, offsets, given);
    mo_status st = mo_params_render_at(out, sql, len, offsets, found, params, charset, operation);
    if (offsets != small) free(offsets);
    return st;
}
