/* tests/fuzz/fuzz_params.c — `?` templates and typed parameters through mo_params_render.
 *
 * The input is a template and a list of typed values (text, JSON, blob, integers, double,
 * decimal, NULL, bool, date, time, datetime, float vectors). After a successful render the
 * output is read with the lexer of fuzz_common.h (not sqltext.c's): the text between the
 * placeholders must be the template's, token boundaries must fall exactly before and after
 * each value (no value glued to a neighbouring token), and each value must be one literal
 * that decodes back to exactly what was given. A rendering error (invalid UTF-8, a bad
 * decimal, a count mismatch, a placeholder that depends on the escape mode) is fine; a
 * crash, a wrong token or a wrong value is a finding.
 *
 * Input: [flags][template length: 2 bytes LE][template][values...], a value being one type
 * byte and its payload (see add_value). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>

#include "fuzz_common.h"
#include "internal.h"

#define MAX_VALUES 48

typedef enum { V_NULL, V_BOOL, V_INT64, V_UINT64, V_DOUBLE, V_TEXT, V_JSON, V_BLOB, V_DECIMAL,
               V_DATE, V_TIME, V_DATETIME, V_VEC32, V_VEC64, V_KINDS } vkind;

typedef struct expected {
    vkind kind;
    int64_t i;
    uint64_t u;
    double d;
    char text[64];            /* temporal values: the text they must read as */
    const uint8_t *bytes;     /* text, JSON, blob, decimal (borrowed from the input) */
    size_t len;
    float f32[16];
    double f64[16];
    size_t count;
} expected;

/* Read one value from the input, add it to params, describe it in *e. 0 when it was refused
 * (that is fine: nothing is expected for it). */
static int add_value(fuzz_in *in, mo_params *p, expected *e) {
    memset(e, 0, sizeof *e);
    e->kind = (vkind)(fuzz_u8(in) % V_KINDS);
    mo_status st = MO_OK;
    switch (e->kind) {
    case V_NULL: st = mo_params_add_null(p); break;
    case V_BOOL: e->i = fuzz_u8(in) & 1; st = mo_params_add_bool(p, (int)e->i); break;
    case V_INT64: e->i = (int64_t)fuzz_u64(in, 8); st = mo_params_add_int64(p, e->i); break;
    case V_UINT64: e->u = fuzz_u64(in, 8); st = mo_params_add_uint64(p, e->u); break;
    case V_DOUBLE: {
        uint64_t bits = fuzz_u64(in, 8);
        memcpy(&e->d, &bits, sizeof e->d);
        st = mo_params_add_double(p, e->d);
        break;
    }
    case V_TEXT: e->bytes = fuzz_piece(in, &e->len); st = mo_params_add_text(p, (const char *)e->bytes, e->len); break;
    case V_JSON: e->bytes = fuzz_piece(in, &e->len); st = mo_params_add_json(p, (const char *)e->bytes, e->len); break;
    case V_BLOB: e->bytes = fuzz_piece(in, &e->len); st = mo_params_add_blob(p, e->bytes, e->len); break;
    case V_DECIMAL: e->bytes = fuzz_piece(in, &e->len); st = mo_params_add_decimal(p, (const char *)e->bytes, e->len); break;
    case V_DATE: {
        int year = (int16_t)fuzz_u64(in, 2);
        unsigned month = fuzz_u8(in) % 14, day = fuzz_u8(in) % 33;
        st = mo_params_add_date(p, year, month, day);
        snprintf(e->text, sizeof e->text, "%04d-%02u-%02u", year, month, day);
        break;
    }
    case V_TIME: {
        int negative = fuzz_u8(in) & 1;
        unsigned h = (unsigned)fuzz_u64(in, 2) % 900, m = fuzz_u8(in) % 64, s = fuzz_u8(in) % 64;
        unsigned us = (unsigned)fuzz_u64(in, 3) % 1100000;
        st = mo_params_add_time(p, negative, h, m, s, us);
        int k = snprintf(e->text, sizeof e->text, "%s%02u:%02u:%02u", negative ? "-" : "", h, m, s);
        if (us) snprintf(e->text + k, sizeof e->text - (size_t)k, ".%06u", us);
        break;
    }
    case V_DATETIME: {
        int year = (int16_t)fuzz_u64(in, 2);
        unsigned mo = fuzz_u8(in) % 14, d = fuzz_u8(in) % 33, h = fuzz_u8(in) % 26,
                 mi = fuzz_u8(in) % 64, s = fuzz_u8(in) % 64, us = (unsigned)fuzz_u64(in, 3) % 1100000;
        st = mo_params_add_datetime(p, year, mo, d, h, mi, s, us);
        int k = snprintf(e->text, sizeof e->text, "%04d-%02u-%02u %02u:%02u:%02u", year, mo, d, h, mi, s);
        if (us) snprintf(e->text + k, sizeof e->text - (size_t)k, ".%06u", us);
        break;
    }
    case V_VEC32:
    case V_VEC64: {
        e->count = fuzz_u8(in) % 17;
        for (size_t k = 0; k < e->count; k++) {
            if (e->kind == V_VEC32) {
                uint32_t bits = (uint32_t)fuzz_u64(in, 4);
                memcpy(&e->f32[k], &bits, sizeof bits);
            } else {
                uint64_t bits = fuzz_u64(in, 8);
                memcpy(&e->f64[k], &bits, sizeof bits);
            }
        }
        st = e->kind == V_VEC32 ? mo_params_add_vector_f32(p, e->f32, e->count)
                                : mo_params_add_vector_f64(p, e->f64, e->count);
        break;
    }
    default: break;
    }
    if (st < 0 && mo_error_category(mo_error_last()) != MO_E_INVALID_ARGUMENT)
        FUZZ_FINDING("adding a value of kind %d failed with %d, not INVALID_ARGUMENT", e->kind, st);
    return st == MO_OK;
}

/* ------------------------------------------------------------------ checking numbers */

/* A number at out[i]: N, -N or (-N), N one lexer word. Its text (sign included) into buf. */
static int read_number(const char *s, size_t n, size_t i, int nbe, size_t *end, char *buf, size_t cap) {
    int paren = 0, minus = 0;
    if (i < n && s[i] == '(') paren = 1, i++;
    if (i < n && s[i] == '-') minus = 1, i++;
    if (paren && !minus) return 0;
    size_t e;
    if (i >= n || !(lx_digit((unsigned char)s[i]) || s[i] == '.') || lx_token(s, n, i, nbe, &e) != TOK_WORD)
        return 0;
    if (e - i + 2 > cap) return 0;
    size_t k = 0;
    if (minus) buf[k++] = '-';
    memcpy(buf + k, s + i, e - i);
    buf[k + e - i] = '\0';
    if (paren) {
        if (e >= n || s[e] != ')') return 0;
        e++;
    }
    *end = e;
    return 1;
}

/* Digits only, optional leading '-' (when `sign`), optional ".digits" (when `fraction`). */
static int plain_number(const char *t, int sign, int fraction) {
    if (sign && *t == '-') t++;
    if (!lx_digit((unsigned char)*t)) return 0;
    while (lx_digit((unsigned char)*t)) t++;
    if (fraction && *t == '.') {
        t++;
        if (!lx_digit((unsigned char)*t)) return 0;
        while (lx_digit((unsigned char)*t)) t++;
    }
    return *t == '\0';
}

/* The value of a decimal's text, canonical: sign, significant digits, exponent of the last
 * digit ("-12.50" -> -, "125", -1; zero -> "", sign +). 0 when it is not a decimal. */
typedef struct canon { int negative; char digits[1400]; long exponent; } canon;
static int canon_decimal(const char *s, size_t n, canon *c) {
    size_t i = 0, k = 0;
    c->negative = 0;
    c->exponent = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) c->negative = s[i++] == '-';
    size_t digits = 0;
    long frac = 0;
    int point = 0;
    for (; i < n; i++) {
        if (lx_digit((unsigned char)s[i])) {
            if (k || s[i] != '0') {
                if (k >= sizeof c->digits - 1) return 0;
                c->digits[k++] = s[i];
            }
            digits++;
            if (point) frac++;
        } else if (s[i] == '.' && !point) {
            point = 1;
        } else {
            break;
        }
    }
    if (!digits) return 0;
    long exp = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
        size_t start = i;
        for (; i < n && lx_digit((unsigned char)s[i]); i++)
            if (exp < 100000) exp = exp * 10 + (s[i] - '0');
        if (i == start) return 0;
        if (eneg) exp = -exp;
    }
    if (i != n) return 0;
    c->exponent = exp - frac;
    while (k && c->digits[k - 1] == '0') k--, c->exponent++;
    c->digits[k] = '\0';
    if (!k) c->negative = 0, c->exponent = 0;
    return 1;
}

/* ------------------------------------------------------------------ checking one value */

static int same_bytes(const char *a, size_t an, const void *b, size_t bn) {
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* The value at out[at] for `e` in reading `nbe`: its end, or a finding. */
static size_t check_value(const char *out, size_t n, size_t at, int nbe, const expected *e, size_t index) {
    size_t end = at;
    char num[1400]; /* a decimal's digits with its exponent (up to 1000) applied */
    switch (e->kind) {
    case V_NULL:
    case V_BOOL: {
        const char *word = e->kind == V_NULL ? "NULL" : e->i ? "TRUE" : "FALSE";
        size_t wl = strlen(word);
        if (n - at < wl || strncasecmp(out + at, word, wl) != 0)
            FUZZ_FINDING("value %zu: expected %s at offset %zu", index, word, at);
        return at + wl;
    }
    case V_INT64:
    case V_UINT64:
    case V_DOUBLE:
    case V_DECIMAL: {
        if (!read_number(out, n, at, nbe, &end, num, sizeof num))
            FUZZ_FINDING("value %zu: no number at offset %zu", index, at);
        errno = 0;
        if (e->kind == V_INT64) {
            if (!plain_number(num, 1, 0) || strtoll(num, NULL, 10) != e->i || errno)
                FUZZ_FINDING("value %zu: int64 %" PRId64 " rendered as %s", index, e->i, num);
        } else if (e->kind == V_UINT64) {
            if (!plain_number(num, 0, 0) || strtoull(num, NULL, 10) != e->u || errno)
                FUZZ_FINDING("value %zu: uint64 %" PRIu64 " rendered as %s", index, e->u, num);
        } else if (e->kind == V_DOUBLE) {
            double back = strtod(num, NULL);
            /* MySQL reads a literal without an exponent as an exact DECIMAL, not a DOUBLE. */
            if (!strpbrk(num, "eE") || back != e->d || signbit(back) != signbit(e->d))
                FUZZ_FINDING("value %zu: double %.17g rendered as %s", index, e->d, num);
        } else {
            canon want, got;
            if (!plain_number(num, 1, 1) || !canon_decimal((const char *)e->bytes, e->len, &want) ||
                !canon_decimal(num, strlen(num), &got) || want.negative != got.negative ||
                want.exponent != got.exponent || strcmp(want.digits, got.digits) != 0) {
                fuzz_dump("decimal given", e->bytes, e->len);
                FUZZ_FINDING("value %zu: decimal rendered as %s", index, num);
            }
        }
        return end;
    }
    default: break;
    }
    /* Everything else is a string value. */
    size_t len;
    char form, cs[32];
    char *v = lx_value_literal(out, n, at, nbe, &end, &len, &form, cs);
    if (!v) FUZZ_FINDING("value %zu (kind %d): no string literal at offset %zu", index, e->kind, at);
    if (e->kind == V_BLOB) {
        if (!(form == 'x' || (form == 'i' && strcmp(cs, "binary") == 0)))
            FUZZ_FINDING("value %zu: a blob is not a binary hex literal (form %c %s)", index, form, cs);
    } else if (form == 'x' || (form == 'i' && strcmp(cs, "binary") == 0)) {
        FUZZ_FINDING("value %zu: text value rendered as a binary string", index);
    }
    int ok = 1;
    switch (e->kind) {
    case V_TEXT:
    case V_JSON:
    case V_BLOB: ok = same_bytes(v, len, e->bytes, e->len); break;
    case V_DATE:
    case V_TIME:
    case V_DATETIME: ok = same_bytes(v, len, e->text, strlen(e->text)); break;
    case V_VEC32:
    case V_VEC64: {
        char *t = malloc(len + 1);
        memcpy(t, v, len);
        t[len] = '\0';
        ok = len >= 2 && t[0] == '[' && t[len - 1] == ']';
        char *q = t + 1;
        for (size_t k = 0; ok && k < e->count; k++) {
            char *stop;
            if (e->kind == V_VEC32) {
                float f = strtof(q, &stop);
                ok = stop != q && f == e->f32[k] && signbit(f) == signbit(e->f32[k]);
            } else {
                double d = strtod(q, &stop);
                ok = stop != q && d == e->f64[k] && signbit(d) == signbit(e->f64[k]);
            }
            q = stop;
            if (ok && k + 1 < e->count) ok = *q++ == ',';
        }
        if (ok) ok = q == t + len - 1;
        free(t);
        break;
    }
    default: break;
    }
    if (!ok) {
        fuzz_dump("decoded", v, len);
        FUZZ_FINDING("value %zu (kind %d): the literal does not decode to the value given", index, e->kind);
    }
    free(v);
    return end;
}

/* Walk the rendered text in reading `nbe`. */
static void check_render(const char *tpl, size_t tn, const char *out, size_t on, int nbe,
                         const expected *vals, size_t count) {
    size_t offsets[MAX_VALUES + 1];
    size_t found = lx_placeholders(tpl, tn, nbe, offsets, MAX_VALUES + 1);
    if (found != count)
        FUZZ_FINDING("rendered with %zu values, but the template has %zu placeholders (reading %d)",
                     count, found, nbe);
    size_t pos = 0, from = 0, lexpos = 0, end;
    for (size_t k = 0; k <= count; k++) {
        size_t seg_end = k < count ? offsets[k] : tn;
        size_t seg = seg_end - from;
        /* mocore may put one space between a value and a neighbour it would glue to. */
        if (k > 0 && pos < on && out[pos] == ' ' &&
            (on - pos < seg || memcmp(out + pos, tpl + from, seg) != 0))
            pos++;
        if (on - pos < seg || memcmp(out + pos, tpl + from, seg) != 0)
            FUZZ_FINDING("the text before value %zu is not the template's (offset %zu)", k, pos);
        pos += seg;
        if (k == count) break;
        if (pos < on && out[pos] == ' ') pos++; /* a value never starts with a space */
        /* A token boundary right before the value... */
        while (lexpos < pos) {
            lx_token(out, on, lexpos, nbe, &end);
            if (end > pos) FUZZ_FINDING("value %zu is glued to the token before it (offset %zu)", k, pos);
            lexpos = end;
        }
        size_t vend = check_value(out, on, pos, nbe, &vals[k], k);
        /* ...and right after it. */
        while (lexpos < vend) {
            lx_token(out, on, lexpos, nbe, &end);
            if (end > vend) FUZZ_FINDING("value %zu is glued to the token after it (offset %zu)", k, vend);
            lexpos = end;
        }
        pos = vend;
        from = offsets[k] + 1;
    }
    if (pos != on) FUZZ_FINDING("the rendered text goes on after the template's end");
}

/* The other readers of a template built on the same lexer: PyMySQL's placeholders (each
 * "%s" or "%(name)s", in order, inside the text, none overlapping) and the INSERT row (its
 * parentheses inside the text, the tail after it). */
static void check_template_readers(const char *tpl, size_t tn) {
    size_t count, qmarks, at[16], len[16];
    mo_status st = mo_sql_format_placeholders(&count, &qmarks, tpl, tn, at, len, 16);
    if (st == MO_OK) {
        size_t from = 0;
        for (size_t k = 0; k < count && k < 16; k++) {
            if (at[k] < from || len[k] < 2 || at[k] + len[k] > tn || tpl[at[k]] != '%' ||
                tpl[at[k] + len[k] - 1] != 's' || (len[k] > 2 && tpl[at[k] + 1] != '('))
                FUZZ_FINDING("format placeholder %zu at %zu (+%zu) is not %%s or %%(name)s", k,
                             at[k], len[k]);
            from = at[k] + len[k];
        }
    } else if (st != MO_E_INVALID_ARGUMENT) {
        FUZZ_FINDING("mo_sql_format_placeholders failed with %d", st);
    }
    size_t start, end, holes, tail_end;
    st = mo_sql_insert_row(&start, &end, &holes, &tail_end, tpl, tn);
    if (st == MO_OK) {
        if (!(start < end && end <= tail_end && tail_end <= tn && tpl[start] == '(' &&
              tpl[end - 1] == ')' && holes <= end - start))
            FUZZ_FINDING("insert row [%zu, %zu) tail %zu of %zu is not a row", start, end,
                         tail_end, tn);
    } else if (st != MO_DONE) {
        FUZZ_FINDING("mo_sql_insert_row failed with %d", st);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    int nbe = fuzz_u8(&in) & 1;
    size_t tn;
    const uint8_t *tp = fuzz_bytes(&in, (size_t)fuzz_u64(&in, 2), &tn);
    const char *tpl = (const char *)tp;
    mo_params *p = NULL;
    if (mo_params_new(&p) < 0) abort();
    static expected vals[MAX_VALUES];
    size_t count = 0;
    while (in.n && count < MAX_VALUES)
        if (add_value(&in, p, &vals[count])) count++;

    mo_buf out;
    mo_buf_init(&out);
#ifdef MO_SQL_AMBIGUOUS
    /* Literals that read the same in every escape mode: check both readings. */
    (void)nbe;
    mo_status st = mo_params_render(&out, tpl, tn, p, NULL, "fuzz.params");
    int readings[] = {0, 1};
#else
    mo_status st = mo_params_render(&out, tpl, tn, p, nbe, "fuzz.params");
    int readings[] = {nbe};
#endif
    fuzz_ctx_a = tpl, fuzz_ctx_a_len = tn, fuzz_ctx_a_label = "template";
    if (st == MO_OK) {
        fuzz_ctx_b = out.data, fuzz_ctx_b_len = out.len;
        for (size_t r = 0; r < sizeof readings / sizeof readings[0]; r++)
            check_render(tpl, tn, out.data ? out.data : "", out.len, readings[r], vals, count);
    } else if (st != MO_E_INVALID_ARGUMENT) {
        FUZZ_FINDING("render failed with %d (%s), not INVALID_ARGUMENT", st,
                     mo_error_message(mo_error_last()));
    }
    check_template_readers(tpl, tn);
    fuzz_ctx_a = fuzz_ctx_b = NULL;
    mo_buf_free(&out);
    mo_params_free(p);
    return 0;
}
