/* src/core/binary_row.c — the rows of the binary protocol, read where they lie.
 *
 * A prepared statement's row is one packet: a null bitmap, then each non-NULL value in its
 * wire form (integers and floats little-endian at their width, temporal values as a length
 * byte and packed fields, everything else as a length-encoded string). No buffers are bound:
 * libmariadb hands each column to mo_binary_row_column (STMT_ATTR_CB_RESULT), which records
 * where the value lies, and the getters decode it when asked: an integer is a load, not a
 * strtoll. The text form of a non-string value is made on demand, as the server writes it in
 * the text protocol (same digits, same date formats), so a result reads the same whichever
 * protocol carried it. */
#include <endian.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connection.h"

/* MariaDB's NOT_FIXED_DEC: a FLOAT/DOUBLE without a fixed number of decimals. */
#define FLOATING_DECIMALS 31

static uint64_t load_le(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

int mo_binary_wire_width(enum enum_field_types type) {
    switch (type) {
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: return MO_WIRE_TEMPORAL;
    case MYSQL_TYPE_NULL: return 0;
    case MYSQL_TYPE_TINY: return 1;
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_YEAR: return 2;
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_FLOAT: return 4;
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_DOUBLE: return 8;
    default: return MO_WIRE_BYTES;
    }
}

/* Record where column i's value lies at p; returns the byte after it. */
static inline const unsigned char *take_value(mo_result *r, size_t i, const unsigned char *p) {
    int width = r->widths[i];
    size_t n;
    if (width >= 0) { /* else a length, then the bytes (temporal values too) */
        n = (size_t)width;
    } else if (p[0] < 251) {
        n = p[0];
        p += 1;
    } else if (p[0] == 252) {
        n = (size_t)load_le(p + 1, 2);
        p += 3;
    } else if (p[0] == 253) {
        n = (size_t)load_le(p + 1, 3);
        p += 4;
    } else {
        n = (size_t)load_le(p + 1, 8);
        p += 9;
    }
    r->cells[i] = p;
    r->lengths[i] = n;
    return p + n;
}

void mo_binary_row_column(void *data, unsigned int column, unsigned char **row) {
    mo_result *r = data;
    if (!row) {
        r->cells[column] = NULL;
        r->lengths[column] = 0;
        return;
    }
    *row = (unsigned char *)take_value(r, column, *row);
}

void mo_binary_decode_row(mo_result *r, const unsigned char *row) {
    /* a 0x00 header, then the NULL bitmap (its first two bits are unused), then the values */
    const unsigned char *nulls = row + 1;
    const unsigned char *p = nulls + (r->column_count + 9) / 8;
    for (size_t i = 0; i < r->column_count; i++) {
        size_t bit = i + 2;
        if (nulls[bit >> 3] & (1u << (bit & 7))) {
            r->cells[i] = NULL;
            r->lengths[i] = 0;
        } else {
            p = take_value(r, i, p);
        }
    }
}

/* ------------------------------------------------------------------ numbers */

int mo_binary_is_number(const mo_result *r, size_t column) { return r->widths[column] > 0; }

mo_status mo_binary_integer(const mo_result *r, size_t column, int want_signed, int64_t *s_out,
                            uint64_t *u_out, const char *operation) {
    const unsigned char *p = r->cells[column];
    const MYSQL_FIELD *f = &r->fields[column];
    int is_unsigned = (f->flags & UNSIGNED_FLAG) != 0 || f->type == MYSQL_TYPE_YEAR;
    uint64_t bits;
    int64_t s;
    /* the wire is little-endian; a load of the width (INT24 comes as 4 bytes) */
    switch (r->widths[column]) {
    case 1: bits = p[0]; s = (int8_t)p[0]; break;
    case 2: { uint16_t v; memcpy(&v, p, 2); bits = le16toh(v); s = (int16_t)bits; break; }
    case 4: { uint32_t v; memcpy(&v, p, 4); bits = le32toh(v); s = (int32_t)bits; break; }
    default: { uint64_t v; memcpy(&v, p, 8); bits = le64toh(v); s = (int64_t)bits; break; }
    }
    if (want_signed) {
        if (is_unsigned && bits > (uint64_t)INT64_MAX)
            return mo_error_set(MO_E_DATA, operation,
                                "value %llu of column %zu does not fit in int64",
                                (unsigned long long)bits, column);
        *s_out = is_unsigned ? (int64_t)bits : s;
    } else {
        if (!is_unsigned && s < 0)
            return mo_error_set(MO_E_DATA, operation,
                                "negative value %lld of column %zu does not fit in uint64",
                                (long long)s, column);
        *u_out = is_unsigned ? bits : (uint64_t)s;
    }
    return MO_OK;
}

static size_t put_real(char *out, double v, int f32, unsigned decimals, int matrixone);

/* A FLOAT as the value of its text form (6 significant digits on MariaDB, the shortest that
 * reads back on MatrixOne), so both protocols give the same double. */
static double float_as_text_value(const mo_result *r, float f) {
    char text[MO_CELL_TEXT];
    size_t n = put_real(text, (double)f, 1, FLOATING_DECIMALS,
                        r->client && r->client->kind == MO_SERVER_MATRIXONE);
    text[n] = '\0';
    return mo_strtod_c(text, NULL);
}

double mo_binary_double(const mo_result *r, size_t column) {
    const unsigned char *p = r->cells[column];
    switch (r->fields[column].type) {
    case MYSQL_TYPE_FLOAT: {
        float f;
        memcpy(&f, p, 4);
        return float_as_text_value(r, f);
    }
    case MYSQL_TYPE_DOUBLE: {
        uint64_t bits;
        double d;
        memcpy(&bits, p, 8);
        bits = le64toh(bits);
        memcpy(&d, &bits, 8);
        return d;
    }
    default: {
        int64_t s;
        uint64_t u;
        if (r->fields[column].flags & UNSIGNED_FLAG || r->fields[column].type == MYSQL_TYPE_YEAR) {
            mo_binary_integer(r, column, 0, NULL, &u, "result.get_double");
            return (double)u;
        }
        mo_binary_integer(r, column, 1, &s, NULL, "result.get_double");
        return (double)s;
    }
    }
}

/* ------------------------------------------------------------------ text forms */

static size_t put_uint(char *out, uint64_t v) {
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

static const char two_digits[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* v in exactly `width` digits (2, 4 or 6 in the hot cases: two at a time). */
static size_t put_digits(char *out, unsigned v, int width) {
    int i = width;
    while (i >= 2) {
        memcpy(out + i - 2, two_digits + 2 * (v % 100), 2);
        v /= 100;
        i -= 2;
    }
    if (i) out[0] = (char)('0' + v % 10);
    return (size_t)width;
}

/* The digits of v as dtoa gives them: the shortest that read back as v (as a float when
 * f32), or for MariaDB's FLOAT the 6 significant digits its text protocol keeps. digits[]
 * has no trailing zeros; the value is 0.DIGITS x 10^decpt. */
static int real_digits(double v, int f32, int six, char digits[24], int *decpt) {
    char text[40];
    if (six) {
        snprintf(text, sizeof text, "%.5e", v);
    } else {
        /* FLT_DIG / DBL_DIG significant digits hold every shorter form of a normal value; a
         * subnormal one has fewer bits, so its shortest form may have fewer digits */
        int most = f32 ? 9 : 17;
        int first = f32 ? (fabs(v) < FLT_MIN ? 1 : 6) : (fabs(v) < DBL_MIN ? 1 : 15);
        for (int precision = first; precision <= most; precision++) {
            snprintf(text, sizeof text, "%.*e", precision - 1, v);
            if (precision == most) break;
            double back = mo_strtod_c(text, NULL);
            if (f32 ? (float)back == (float)v : back == v) break;
        }
    }
    /* text: [-]D.DDDDe[+-]XX */
    const char *p = text[0] == '-' ? text + 1 : text;
    int n = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    int exponent = *p == 'e' ? atoi(p + 1) : 0;
    while (n > 1 && digits[n - 1] == '0') n--;
    digits[n] = '\0';
    *decpt = exponent + 1;
    return n;
}

/* A FLOAT or DOUBLE as the server's text protocol writes it. MariaDB (and MySQL): my_gcvt,
 * the 'f' form unless the decimal point is far out (decpt below -14, or beyond 15 with no
 * fraction), a FLOAT to 6 significant digits, fixed decimals where the column has them.
 * MatrixOne: Go's shortest form, always 'f' (strconv.FormatFloat(v, 'f', -1, 32 or 64)). */
static size_t put_real(char *out, double v, int f32, unsigned decimals, int matrixone) {
    if (!matrixone && decimals < FLOATING_DECIMALS) {
        int n = snprintf(out, MO_CELL_TEXT, "%.*f", (int)decimals, v);
        /* the C locale's point, whatever setlocale() says */
        for (int i = 0; i < n; i++)
            if (out[i] == ',') out[i] = '.';
        return (size_t)n;
    }
    size_t n = 0;
    if (v == 0) {
        if (matrixone && signbit(v)) out[n++] = '-';
        out[n++] = '0';
        return n;
    }
    char digits[24];
    int decpt;
    int len = real_digits(v, f32, f32 && !matrixone, digits, &decpt);
    if (v < 0) out[n++] = '-';
    if (matrixone || (decpt >= -14 && (decpt <= 15 || len > decpt))) {
        if (decpt <= 0) {
            out[n++] = '0';
            out[n++] = '.';
            for (int i = decpt; i < 0; i++) out[n++] = '0';
            memcpy(out + n, digits, (size_t)len);
            n += (size_t)len;
        } else {
            for (int i = 0; i < len; i++) {
                out[n++] = digits[i];
                if (i + 1 == decpt && i + 1 < len) out[n++] = '.';
            }
            for (int i = len; i < decpt; i++) out[n++] = '0';
        }
        return n;
    }
    out[n++] = digits[0];
    if (len > 1) {
        out[n++] = '.';
        memcpy(out + n, digits + 1, (size_t)len - 1);
        n += (size_t)len - 1;
    }
    out[n++] = 'e';
    int e = decpt - 1;
    if (e < 0) {
        out[n++] = '-';
        e = -e;
    }
    n += put_uint(out + n, (uint64_t)e);
    return n;
}

/* Fractional seconds as the column declares them (DATETIME(3): 3 digits). */
static size_t put_fraction(char *out, unsigned long micro, unsigned decimals) {
    if (decimals > 6) decimals = micro ? 6 : 0;
    if (!decimals) return 0;
    char six[6];
    put_digits(six, (unsigned)micro, 6);
    out[0] = '.';
    memcpy(out + 1, six, decimals);
    return decimals + 1;
}

static inline void put2(char *out, unsigned v) { memcpy(out, two_digits + 2 * (v % 100), 2); }

static size_t put_date(char *out, const unsigned char *p, size_t n) {
    unsigned year = n >= 4 ? (unsigned)(p[0] | p[1] << 8) : 0, month = n >= 4 ? p[2] : 0,
             day = n >= 4 ? p[3] : 0;
    put2(out, year / 100);
    put2(out + 2, year);
    out[4] = '-';
    put2(out + 5, month);
    out[7] = '-';
    put2(out + 8, day);
    return 10;
}

static size_t put_clock(char *out, unsigned long hours, unsigned minute, unsigned second) {
    size_t n = 2;
    if (hours >= 100) n = put_uint(out, hours);
    else put2(out, (unsigned)hours);
    out[n] = ':';
    put2(out + n + 1, minute);
    out[n + 3] = ':';
    put2(out + n + 4, second);
    return n + 6;
}

static size_t put_temporal(char *out, enum enum_field_types type, const unsigned char *p,
                           size_t len, unsigned decimals) {
    size_t n = 0;
    if (type == MYSQL_TYPE_TIME) {
        /* neg(1) days(4) hour minute second [microseconds(4)] */
        int negative = len >= 8 && p[0];
        unsigned long hours = len >= 8 ? (unsigned long)load_le(p + 1, 4) * 24 + p[5] : 0;
        unsigned minute = len >= 8 ? p[6] : 0, second = len >= 8 ? p[7] : 0;
        unsigned long micro = len >= 12 ? (unsigned long)load_le(p + 8, 4) : 0;
        if (negative) out[n++] = '-';
        n += put_clock(out + n, hours, minute, second);
        return n + put_fraction(out + n, micro, decimals);
    }
    n = put_date(out, p, len);
    if (type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE) return n;
    /* YYYY-MM-DD hh:mm:ss */
    out[10] = ' ';
    put2(out + 11, len >= 7 ? p[4] : 0);
    out[13] = ':';
    put2(out + 14, len >= 7 ? p[5] : 0);
    out[16] = ':';
    put2(out + 17, len >= 7 ? p[6] : 0);
    if (!decimals) return 19;
    return 19 + put_fraction(out + 19, len >= 11 ? (unsigned long)load_le(p + 7, 4) : 0, decimals);
}

int mo_binary_has_text(const mo_result *r, size_t column) {
    return r->widths[column] == MO_WIRE_BYTES;
}

void mo_binary_text(mo_result *r, size_t column, const char **out, size_t *len) {
    const unsigned char *p = r->cells[column];
    if (!p || mo_binary_has_text(r, column)) {
        *out = (const char *)p;
        *len = r->lengths[column];
        return;
    }
    char *text = r->text + column * MO_CELL_TEXT;
    *out = text;
    if (r->text_row[column] == r->rows_read) {
        *len = r->text_len[column];
        return;
    }
    const MYSQL_FIELD *f = &r->fields[column];
    size_t n;
    if (r->widths[column] == MO_WIRE_TEMPORAL) {
        n = put_temporal(text, f->type, p, r->lengths[column], f->decimals);
    } else if (f->type == MYSQL_TYPE_FLOAT || f->type == MYSQL_TYPE_DOUBLE) {
        double d;
        if (f->type == MYSQL_TYPE_FLOAT) {
            float x;
            memcpy(&x, p, 4);
            d = x;
        } else {
            memcpy(&d, p, 8);
        }
        n = put_real(text, d, f->type == MYSQL_TYPE_FLOAT, f->decimals,
                     r->client && r->client->kind == MO_SERVER_MATRIXONE);
    } else {
        int64_t s = 0;
        uint64_t u = 0;
        int is_unsigned = (f->flags & UNSIGNED_FLAG) || f->type == MYSQL_TYPE_YEAR;
        if (is_unsigned) mo_binary_integer(r, column, 0, NULL, &u, "result.get_text");
        else mo_binary_integer(r, column, 1, &s, NULL, "result.get_text");
        n = 0;
        if (!is_unsigned && s < 0) {
            text[n++] = '-';
            u = (uint64_t)0 - (uint64_t)s;
        } else if (!is_unsigned) {
            u = (uint64_t)s;
        }
        n += put_uint(text + n, u);
        /* ZEROFILL (and YEAR): padded to the display width as the text protocol sends it */
        if ((f->flags & ZEROFILL_FLAG) && f->length > n && f->length < MO_CELL_TEXT) {
            size_t pad = f->length - n;
            memmove(text + pad, text, n);
            memset(text, '0', pad);
            n = f->length;
        }
    }
    text[n] = '\0';
    r->text_len[column] = n;
    r->text_row[column] = r->rows_read;
    *len = n;
}
