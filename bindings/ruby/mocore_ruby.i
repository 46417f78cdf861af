/* bindings/ruby/mocore_ruby.i — Ruby idioms for bindings/mocore.i.
 *
 * GVL: every exported call that may block runs without the GVL. Ruby can only release it
 * around a function (rb_thread_call_without_gvl), so the build generates one shim per such
 * call from the ABI manifest (bindings/ruby/gen_nogvl.rb -> mocore_ruby_nogvl.h) and
 * redirects SWIG's calls to them with function-like macros. The shims never touch Ruby
 * objects; conversions happen before and after, with the GVL held.
 *
 * Errors: mo_swig_raise() calls the factory that lib/mocore/errors.rb registers
 * (mo_rb_set_error_factory); it returns an instance of the category's class (generated from
 * the category table) and that is raised.
 *
 * Rows: mo_rb_fetch() builds each row in one C call (an Array, or a Hash with the given
 * keys) from mo_result_next + mo_result_row + the column types read once (mo_rb_meta), and
 * yields it when a block is given. */

#pragma SWIG nowarn=801  /* "Wrong class name (corrected to `Mo_client')": the handle classes are internal */
%begin %{
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1   /* gmtime_r, tzset (the build is -std=c11) */
#endif
%}
%{
#include <ruby/thread.h>
#include <ruby/encoding.h>
#include <pthread.h>
#include <time.h>
#include <limits.h>
#include "mocore_ruby_nogvl.h"
#include "managers/call.h"   /* the manager calls (bindings/managers/call.h): mo_rb_call */
#include "internal.h"   /* mo_sql_append_string_literal: mo_rb_escape_string */

static VALUE mo_rb_error_factory = Qnil;   /* responds to call(status, code, sqlstate, msg, op) */

static void mo_swig_raise(const mo_error *e, mo_status status) {
    mo_status cat = e ? mo_error_category(e) : status;
    if (cat >= 0) cat = status < 0 ? status : MO_E_INTERNAL;
    int code = e ? mo_error_server_code(e) : 0;
    VALUE msg = rb_utf8_str_new_cstr(e ? mo_error_message(e) : mo_error_category_name(cat));
    VALUE state = rb_utf8_str_new_cstr(e ? mo_error_sqlstate(e) : "");
    VALUE op = rb_utf8_str_new_cstr(e ? mo_error_operation(e) : "");
    if (NIL_P(mo_rb_error_factory))
        rb_raise(rb_eRuntimeError, "mocore %s error: %s", mo_error_category_name(cat), StringValueCStr(msg));
    VALUE exc = rb_funcall(mo_rb_error_factory, rb_intern("call"), 5, INT2NUM(cat), INT2NUM(code),
                           state, msg, op);
    rb_exc_raise(exc);
}

/* A caller mistake found before calling C: raised as the INVALID_ARGUMENT class. */
static void mo_rb_invalid(const char *operation, const char *fmt, ...);
#define mo_swig_raise_invalid(op, msg) mo_rb_invalid((op), "%s", (msg))
static void mo_rb_invalid(const char *operation, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (NIL_P(mo_rb_error_factory)) rb_raise(rb_eArgError, "%s", buf);
    rb_exc_raise(rb_funcall(mo_rb_error_factory, rb_intern("call"), 5, INT2NUM(MO_E_INVALID_ARGUMENT),
                            INT2NUM(0), rb_utf8_str_new_cstr(""), rb_utf8_str_new_cstr(buf),
                            rb_utf8_str_new_cstr(operation)));
}
%}

/* ---------------------------------------------------------------- typemaps */
%define MO_SWIG_OUT_VOID
    $result = Qnil;
%enddef
%define MO_SWIG_OUT_INT(X)
    $result = INT2NUM((int)(X));
%enddef

%define MO_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) TYPE **out {
    $result = SWIG_Ruby_AppendOutput($result, SWIG_NewPointerObj(*$1, $*descriptor, SWIG_POINTER_OWN));
}
%enddef

/* A String (its bytes, any encoding), or nil (NULL, 0: the C side reports INVALID_ARGUMENT
 * where NULL is not allowed). */
/* The call may run without the GVL, while another thread could modify the String: pass the
 * bytes of a frozen snapshot of it (cheap: it shares the buffer; a later write copies). */
%typemap(in) (const char *MO_BYTES, size_t MO_BYTES_LEN) (VALUE keep = Qnil) {
    if (NIL_P($input)) { $1 = NULL; $2 = 0; }
    else if (RB_TYPE_P($input, T_STRING)) {
        keep = rb_str_new_frozen($input);
        $1 = ($1_ltype)RSTRING_PTR(keep); $2 = (size_t)RSTRING_LEN(keep);
    } else rb_raise(rb_eTypeError, "expected a String, got %s", rb_obj_classname($input));
}
%typemap(freearg) (const char *MO_BYTES, size_t MO_BYTES_LEN) { RB_GC_GUARD(keep$argnum); }
/* Names and options: a String, a Symbol, or nil. Ruby keeps its own `const char *` typemap
 * (it does not define MO_SWIG_CSTR_GET of mocore.i): the bytes are copied into a GC-managed,
 * NUL-terminated temporary buffer, because the call may run without the GVL while another
 * thread changes the String. A NUL inside is refused as in every binding (mocore.i's
 * mo_swig_cstr_nul message, InvalidArgumentError, the C function as operation). */
%typemap(in) const char * (VALUE tmpbuf = 0, char cstr_msg[160]) {
    if (NIL_P($input)) $1 = NULL;
    else {
        VALUE str = $input;
        if (RB_TYPE_P(str, T_SYMBOL)) str = rb_sym2str(str);
        if (!RB_TYPE_P(str, T_STRING))
            rb_raise(rb_eTypeError, "argument '$1_name' must be a String, got %s", rb_obj_classname($input));
        long n = RSTRING_LEN(str);
        if (mo_swig_cstr_nul(RSTRING_PTR(str), (size_t)n, "$1_name", cstr_msg, sizeof cstr_msg))
            mo_swig_raise_invalid("$symname", cstr_msg);
        char *buf = (char *)rb_alloc_tmp_buffer(&tmpbuf, n + 1);
        memcpy(buf, RSTRING_PTR(str), (size_t)n);
        buf[n] = '\0';
        $1 = ($1_ltype)buf;
    }
}
%typemap(freearg) const char * { if (tmpbuf$argnum) rb_free_tmp_buffer(&tmpbuf$argnum); }
/* Strings from C (names, record fields, versions) are UTF-8 (SWIG's default is ASCII-8BIT);
 * NULL (an absent field) is nil. */
%typemap(out) const char * { $result = $1 ? rb_utf8_str_new_cstr($1) : Qnil; }
%typemap(in, numinputs=0) (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN)
    (const char *s = NULL, size_t n = 0) { $1 = ($1_ltype)&s; $2 = &n; }
%typemap(argout) (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN) {
    $result = SWIG_Ruby_AppendOutput($result, *$1 ? rb_utf8_str_new(*$1, (long)*$2) : Qnil);
}
%typemap(in, numinputs=0) const char **MO_CSTR_OUT (const char *s = NULL) { $1 = ($1_ltype)&s; }
%typemap(argout) const char **MO_CSTR_OUT {
    $result = SWIG_Ruby_AppendOutput($result, *$1 ? rb_utf8_str_new_cstr(*$1) : Qnil);
}
%define MO_INT_OUT_TYPE(TYPE, CONV)
%typemap(in, numinputs=0) TYPE *MO_INT_OUT (TYPE v = 0) { $1 = &v; }
%typemap(argout) TYPE *MO_INT_OUT { $result = SWIG_Ruby_AppendOutput($result, CONV); }
%enddef
MO_INT_OUT_TYPE(int, INT2NUM(*$1))
MO_INT_OUT_TYPE(unsigned, UINT2NUM(*$1))
MO_INT_OUT_TYPE(mo_type, INT2NUM((int)*$1))
MO_INT_OUT_TYPE(mo_server_kind, INT2NUM((int)*$1))
MO_INT_OUT_TYPE(size_t, SIZET2NUM(*$1))
MO_INT_OUT_TYPE(int64_t, LL2NUM((long long)*$1))
MO_INT_OUT_TYPE(uint64_t, ULL2NUM((unsigned long long)*$1))
%typemap(in, numinputs=0) double *MO_DOUBLE_OUT (double v = 0) { $1 = &v; }
%typemap(argout) double *MO_DOUBLE_OUT { $result = SWIG_Ruby_AppendOutput($result, DBL2NUM(*$1)); }

/* Argument shapes of the vector, fulltext and table managers (mocore.i applies them).
 * Buffers are GC-managed temporaries (rb_alloc_tmp_buffer): nothing leaks when a later
 * argument raises, and the strings are copies, safe while the call runs without the GVL. nil -> NULL (the C side reports
 * INVALID_ARGUMENT); a wrong shape is InvalidArgumentError naming the C function. */
%{
/* Copy `n` Strings into one buffer: n pointers, then the NUL-terminated bytes. `get(i)` is
 * element i of `ary` (pairs: element `at` of each [name, type] pair). */
static const char **mo_rb_strv(VALUE ary, long n, int at, VALUE *tmp, const char *what, const char *op) {
    size_t bytes = (size_t)(n > 0 ? n : 1) * sizeof(char *);
    for (int pass = 0; pass < 2; pass++) {
        char **v = pass ? (char **)rb_alloc_tmp_buffer(tmp, (long)bytes) : NULL;
        char *p = v ? (char *)(v + (n > 0 ? n : 1)) : NULL;
        for (long i = 0; i < n; i++) {
            VALUE e = RARRAY_AREF(ary, i);
            if (at >= 0) {
                if (!RB_TYPE_P(e, T_ARRAY) || RARRAY_LEN(e) != 2)
                    mo_rb_invalid(op, "columns must be [name, type] pairs (or a Hash of name => type)");
                e = RARRAY_AREF(e, at);
            }
            if (RB_TYPE_P(e, T_SYMBOL)) e = rb_sym2str(e);
            if (!RB_TYPE_P(e, T_STRING)) mo_rb_invalid(op, "%s %ld must be a String, not %s", what, i, rb_obj_classname(e));
            size_t len = (size_t)RSTRING_LEN(e);
            if (!pass) {
                char msg[160];
                if (mo_swig_cstr_nul(RSTRING_PTR(e), len, what, msg, sizeof msg)) mo_rb_invalid(op, "%s", msg);
                bytes += len + 1;
                continue;
            }
            memcpy(p, RSTRING_PTR(e), len);
            p[len] = '\0';
            v[i] = p;
            p += len + 1;
        }
        if (pass) return (const char **)v;
    }
    return NULL;
}
static VALUE mo_rb_array_arg(VALUE v, const char *op, const char *what) {
    if (RB_TYPE_P(v, T_HASH)) return rb_funcall(v, rb_intern("to_a"), 0);
    if (!RB_TYPE_P(v, T_ARRAY)) mo_rb_invalid(op, "%s must be an Array, not %s", what, rb_obj_classname(v));
    return v;
}
%}
/* A vector: an Array of numbers, sent as float64. */
%typemap(in) (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM) (VALUE tmp = 0) {
    $1 = NULL; $2 = 0; $3 = MO_VECTOR_F64;
    if (!NIL_P($input)) {
        VALUE ary = mo_rb_array_arg($input, "$symname", "a vector");
        long n = RARRAY_LEN(ary);
        double *d = (double *)rb_alloc_tmp_buffer(&tmp, (long)((n > 0 ? n : 1) * (long)sizeof(double)));
        for (long i = 0; i < n; i++) {
            VALUE x = RARRAY_AREF(ary, i);
            if (!RB_FLOAT_TYPE_P(x) && !RB_INTEGER_TYPE_P(x)) mo_rb_invalid("$symname", "vector elements must be numbers");
            d[i] = NUM2DBL(x);
        }
        $1 = d; $2 = (size_t)n;
    }
}
%typemap(freearg) (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM) { if (tmp$argnum) rb_free_tmp_buffer(&tmp$argnum); }
/* Names (insert columns): an Array of Strings or Symbols. */
%typemap(in) (const char *const *MO_STRV, size_t MO_STRV_LEN) (VALUE tmp = 0) {
    $1 = NULL; $2 = 0;
    if (!NIL_P($input)) {
        VALUE ary = mo_rb_array_arg($input, "$symname", "columns");
        $1 = ($1_ltype)mo_rb_strv(ary, RARRAY_LEN(ary), -1, &tmp, "column", "$symname");
        $2 = (size_t)RARRAY_LEN(ary);
    }
}
%typemap(freearg) (const char *const *MO_STRV, size_t MO_STRV_LEN) { if (tmp$argnum) rb_free_tmp_buffer(&tmp$argnum); }
/* create_table's columns: [[name, type], ...] or { name => type }. */
%typemap(in) (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN)
    (VALUE tmp1 = 0, VALUE tmp2 = 0) {
    $1 = NULL; $2 = NULL; $3 = 0;
    if (!NIL_P($input)) {
        VALUE ary = mo_rb_array_arg($input, "$symname", "columns");
        $1 = ($1_ltype)mo_rb_strv(ary, RARRAY_LEN(ary), 0, &tmp1, "column name", "$symname");
        $2 = ($2_ltype)mo_rb_strv(ary, RARRAY_LEN(ary), 1, &tmp2, "column type", "$symname");
        $3 = (size_t)RARRAY_LEN(ary);
        RB_GC_GUARD(ary);
    }
}
%typemap(freearg) (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN) {
    if (tmp1$argnum) rb_free_tmp_buffer(&tmp1$argnum);
    if (tmp2$argnum) rb_free_tmp_buffer(&tmp2$argnum);
}

/* ---------------------------------------------------------------- rows, params, release */
%define MO_SWIG_LANGUAGE_EXTRAS
%{
static ID mo_rb_id_call, mo_rb_id_civil, mo_rb_id_BigDecimal, mo_rb_id_generate, mo_rb_id_year,
          mo_rb_id_mon, mo_rb_id_mday, mo_rb_id_to_s, mo_rb_id_encode;

/* Row building options (flags of mo_rb_fetch). */
/* MO_RB_CURRENT: build the row the result already holds (after mo_result_next_start
 * finished with MO_ROW) instead of calling mo_result_next: one row. */
/* MO_RB_TEXT: every value as its text (mysql2's cast: false): a String, ASCII-8BIT for binary
 * columns. MO_RB_MYSQL2: mysql2's casting where it differs from MoCore's (lib/mocore/mysql2.rb):
 * BIT and vectors as their bytes, DECIMAL without a fraction as Integer, TIME as a Time on
 * 2000-01-01, a date the calendar has not ('0000-00-00') as nil. */
enum { MO_RB_STREAM = 1, MO_RB_HASH = 2, MO_RB_UTC = 4, MO_RB_DECIMAL_STRING = 8, MO_RB_CURRENT = 16,
       MO_RB_TEXT = 32, MO_RB_MYSQL2 = 64 };

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long long mo_rb_days(int y, int m, int d) {
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* The local UTC offset of a wall-clock time, cached per day: mktime() is slow, and a day
 * whose midnight and last second have the same offset has it all day long. The cache is
 * dropped when ENV["TZ"] changes. Rows are built with the GVL held: one thread at a time. */
#define MO_RB_TZ_SLOTS 1024
static struct { long long day; long off; int valid; } mo_rb_tz_cache[MO_RB_TZ_SLOTS];
static char mo_rb_tz_name[128];
static void mo_rb_tz_check(void) {
    const char *tz = getenv("TZ");
    if (!tz) tz = "";
    if (strncmp(tz, mo_rb_tz_name, sizeof mo_rb_tz_name - 1) != 0) {
        snprintf(mo_rb_tz_name, sizeof mo_rb_tz_name, "%s", tz);
        memset(mo_rb_tz_cache, 0, sizeof mo_rb_tz_cache);
        tzset();
    }
}
static long mo_rb_mktime_off(int y, int mo, int d, int h, int mi, int s, int *ok) {
    struct tm tm = {0};
    tm.tm_year = y - 1900; tm.tm_mon = mo - 1; tm.tm_mday = d;
    tm.tm_hour = h; tm.tm_min = mi; tm.tm_sec = s; tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    *ok = !(t == (time_t)-1 && tm.tm_year != 69);
    long long wall = mo_rb_days(y, mo, d) * 86400LL + h * 3600 + mi * 60 + s;
    return (long)(wall - (long long)t);
}
static long mo_rb_local_offset(int y, int mo, int d, int h, int mi, int s, int *ok) {
    long long day = mo_rb_days(y, mo, d);
    size_t slot = (size_t)(day & (MO_RB_TZ_SLOTS - 1));
    *ok = 1;
    if (mo_rb_tz_cache[slot].valid && mo_rb_tz_cache[slot].day == day) return mo_rb_tz_cache[slot].off;
    int ok1, ok2;
    long a = mo_rb_mktime_off(y, mo, d, 0, 0, 0, &ok1), b = mo_rb_mktime_off(y, mo, d, 23, 59, 59, &ok2);
    if (ok1 && ok2 && a == b) {
        mo_rb_tz_cache[slot].day = day; mo_rb_tz_cache[slot].off = a; mo_rb_tz_cache[slot].valid = 1;
        return a;
    }
    return mo_rb_mktime_off(y, mo, d, h, mi, s, ok);   /* a transition day */
}

/* DATE -> Date, DATETIME/TIMESTAMP -> Time (local, or UTC with MO_RB_UTC), read by
 * mo_text_to_datetime (the same reading in every binding). Zero dates and anything else that
 * is not a calendar date stay Strings. */
static VALUE mo_rb_temporal(const char *s, size_t n, int with_time, int flags) {
    int y, mo, d, h, mi, se, nsec;
    if (mo_text_to_datetime(s, n, &y, &mo, &d, &h, &mi, &se, &nsec) != MO_OK) goto text;
    long ns = nsec;
    if (!with_time) {
        static VALUE date_class = Qnil;
        if (NIL_P(date_class)) {
            date_class = rb_path2class("Date");
            rb_gc_register_address(&date_class);
        }
        return rb_funcall(date_class, mo_rb_id_civil, 3, INT2FIX(y), INT2FIX(mo), INT2FIX(d));
    }
    {
        struct timespec ts;
        long long wall = mo_rb_days(y, mo, d) * 86400LL + h * 3600 + mi * 60 + se;
        if (flags & MO_RB_UTC) {
            ts.tv_sec = (time_t)wall; ts.tv_nsec = ns;
            return rb_time_timespec_new(&ts, INT_MAX - 1);
        }
        int ok;
        long off = mo_rb_local_offset(y, mo, d, h, mi, se, &ok);
        if (!ok) goto text;
        ts.tv_sec = (time_t)(wall - off); ts.tv_nsec = ns;
        return rb_time_timespec_new(&ts, INT_MAX);
    }
text:
    return rb_utf8_str_new(s, (long)n);
}

/* MatrixOne's vector text as an Array of Float, parsed once (again only beyond 64
 * elements); Qundef when the text is not a vector. */
static VALUE mo_rb_vector_array(const char *s, size_t n) {
    double small[64];
    size_t count;
    if (mo_text_to_vector(s, n, small, 64, &count) != MO_OK) return Qundef;
    VALUE ary = rb_ary_new_capa((long)count), buffer = 0;
    double *v = small;
    if (count > 64) {
        v = ALLOCV_N(double, buffer, count); /* freed by the GC if a push raises */
        mo_text_to_vector(s, n, v, count, &count);
    }
    for (size_t i = 0; i < count; i++) rb_ary_push(ary, DBL2NUM(v[i]));
    if (buffer) ALLOCV_END(buffer);
    return ary;
}

/* A vector column's cell: its Array, or its text when it is not a vector. */
static VALUE mo_rb_vector(const char *s, size_t n) {
    VALUE ary = mo_rb_vector_array(s, n);
    return ary == Qundef ? rb_utf8_str_new(s, (long)n) : ary;
}

static VALUE mo_rb_cell(mo_type t, unsigned fl, const char *s, size_t n, int flags) {
    /* MatrixOne prints a DOUBLE in full (2.25e100 as 101 digits, 1e-300 as
     * 0.000...01): up to ~330 characters, as mo_result_get_double reads them */
    char buf[400];
    if (!s) return Qnil;
    if (flags & MO_RB_TEXT)
        return t == MO_TYPE_BLOB || t == MO_TYPE_GEOMETRY || t == MO_TYPE_BIT
                   ? rb_str_new(s, (long)n) : rb_utf8_str_new(s, (long)n);
    if (flags & MO_RB_MYSQL2) {
        switch (t) {
        case MO_TYPE_BIT: return rb_str_new(s, (long)n);
        case MO_TYPE_VECTOR: return rb_utf8_str_new(s, (long)n);
        case MO_TYPE_DECIMAL:   /* the server writes a '.' exactly when the scale is not 0 */
            if (!(flags & MO_RB_DECIMAL_STRING) && n && n < sizeof buf && !memchr(s, '.', n)) {
                memcpy(buf, s, n); buf[n] = '\0';
                return rb_cstr2inum(buf, 10);
            }
            break;
        case MO_TYPE_DATE: case MO_TYPE_DATETIME: case MO_TYPE_TIMESTAMP: {
            VALUE v = mo_rb_temporal(s, n, t != MO_TYPE_DATE, flags);
            return RB_TYPE_P(v, T_STRING) ? Qnil : v;
        }
        case MO_TYPE_TIME: {
            int neg, hh, mi, se, ns;
            if (mo_text_to_time(s, n, &neg, &hh, &mi, &se, &ns) == MO_OK && !neg && hh < 24) {
                int k = snprintf(buf, sizeof buf, "2000-01-01 %02d:%02d:%02d.%09d", hh, mi, se, ns);
                return mo_rb_temporal(buf, (size_t)k, 1, flags);
            }
            return rb_utf8_str_new(s, (long)n);   /* a duration past a day: the text */
        }
        default: break;
        }
    }
    switch (t) {
    case MO_TYPE_INT8: case MO_TYPE_INT16: case MO_TYPE_INT24: case MO_TYPE_INT32:
    case MO_TYPE_INT64: case MO_TYPE_YEAR: {
        /* Up to 18 digits cannot overflow: parse in place. */
        size_t i = 0; int neg = 0;
        if (n && s[0] == '-') { neg = 1; i = 1; }
        if (n > i && n - i <= 18) {
            long long v = 0;
            for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) v = v * 10 + (s[i] - '0');
            if (i == n) return LL2NUM(neg ? -v : v);
        }
        if (n < sizeof buf) {
            memcpy(buf, s, n); buf[n] = '\0';
            return rb_cstr2inum(buf, 10);
        }
        break;
    }
    case MO_TYPE_FLOAT: case MO_TYPE_DOUBLE:
        if (n < sizeof buf) {
            char *end;
            memcpy(buf, s, n); buf[n] = '\0';
            double v = strtod(buf, &end);
            if (*end == '\0' && end != buf) return DBL2NUM(v);
        }
        break;
    case MO_TYPE_DECIMAL:
        if (flags & MO_RB_DECIMAL_STRING) break;
        return rb_funcall(rb_mKernel, mo_rb_id_BigDecimal, 1, rb_usascii_str_new(s, (long)n));
    case MO_TYPE_DATE: return mo_rb_temporal(s, n, 0, flags);
    case MO_TYPE_DATETIME: case MO_TYPE_TIMESTAMP: return mo_rb_temporal(s, n, 1, flags);
    case MO_TYPE_BIT: {  /* raw big-endian bytes */
        unsigned long long v = 0;
        for (size_t i = 0; i < n && i < 8; i++) v = (v << 8) | (unsigned char)s[i];
        return ULL2NUM(v);
    }
    case MO_TYPE_BLOB: case MO_TYPE_GEOMETRY:
        return rb_str_new(s, (long)n);    /* ASCII-8BIT */
    case MO_TYPE_VECTOR: return mo_rb_vector(s, n);
    default: break;
    }
    /* TEXT, TIME, JSON, ENUM, SET, UUID, OTHER (and DECIMAL as text): a UTF-8 String. */
    return rb_utf8_str_new(s, (long)n);
}

void mo_rb_params_add(mo_params *p, VALUE values);
struct mo_rb_pack { mo_params *p; VALUE values; };
static VALUE mo_rb_pack_cb(VALUE arg) {
    struct mo_rb_pack *x = (struct mo_rb_pack *)arg;
    mo_rb_params_add(x->p, x->values);
    return Qnil;
}

/* The pointer of a client or session object: the exact class compared first (the common
 * case, no ivar lookup), SWIG's full check otherwise. 1 for a session, 0 for a client. */
static int mo_rb_target(VALUE target, void **h) {
    if (RB_TYPE_P(target, T_DATA) && !RTYPEDDATA_P(target)) {
        VALUE klass = rb_obj_class(target);
        if (klass == ((swig_class *)SWIGTYPE_p_mo_session->clientdata)->klass && (*h = DATA_PTR(target))) return 1;
        if (klass == ((swig_class *)SWIGTYPE_p_mo_client->clientdata)->klass && (*h = DATA_PTR(target))) return 0;
    }
    if (SWIG_IsOK(SWIG_ConvertPtr(target, h, SWIGTYPE_p_mo_session, 0)) && *h) return 1;
    if (SWIG_IsOK(SWIG_ConvertPtr(target, h, SWIGTYPE_p_mo_client, 0)) && *h) return 0;
    rb_raise(rb_eTypeError, "expected an open mocore client or session, got %s", rb_obj_classname(target));
    return 0;
}
/* The params object of the blocking execute, reused from call to call (taken while a call
 * uses it, with the GVL held: another thread or a nested call makes its own). */
static mo_params *mo_rb_spare_params;

/* When obj wraps a `type`, take its pointer away from it (the caller releases it). */
static int mo_rb_is(VALUE obj, swig_type_info *type, void **out) {
    if (!SWIG_IsOK(SWIG_ConvertPtr(obj, out, type, 0))) return 0;
    return SWIG_IsOK(SWIG_ConvertPtr(obj, out, type, SWIG_POINTER_RELEASE));
}

static mo_result *mo_rb_result_ptr(VALUE robj) {
    void *r = NULL;
    if (!SWIG_IsOK(SWIG_ConvertPtr(robj, &r, SWIGTYPE_p_mo_result, 0)))
        rb_raise(rb_eTypeError, "expected a mocore result, got %s", rb_obj_classname(robj));
    if (!r) mo_rb_invalid("result.fetch", "the result is closed");
    return (mo_result *)r;
}
%}
%inline %{
/* The column types and flags of a result, two bytes per column: read once, when the result
 * is made (a finished stream no longer reports them). */
VALUE mo_rb_meta(VALUE robj) {
    mo_result *r = mo_rb_result_ptr(robj);
    size_t ncol = mo_result_column_count(r);
    VALUE b = rb_str_new(NULL, (long)(2 * ncol));
    unsigned char *m = (unsigned char *)RSTRING_PTR(b);
    for (size_t i = 0; i < ncol; i++) {
        mo_type t; unsigned f;
        mo_status st = mo_result_column_type(r, i, &t);
        if (st >= 0) st = mo_result_column_flags(r, i, &f);
        if (st < 0) mo_swig_raise(mo_error_last(), st);
        m[2 * i] = (unsigned char)t; m[2 * i + 1] = (unsigned char)f;
    }
    return b;
}

/* Up to `max` rows (all when max < 0) of the result `robj`, each built in this one call: an
 * Array of native values, or a Hash keyed by `keys` (MO_RB_HASH). With a block, each row is
 * yielded and the number of rows is returned; without, an Array of the rows. Fewer rows than
 * asked means the result is done. MO_RB_STREAM: the GVL is released around each
 * mo_result_next (it may read the network). The block may close the result: the loop checks
 * the handle after each yield. */
VALUE mo_rb_fetch(VALUE robj, VALUE meta, VALUE keys, int flags, long max) {
    mo_result *r = mo_rb_result_ptr(robj);
    Check_Type(meta, T_STRING);
    size_t ncol = (size_t)RSTRING_LEN(meta) / 2;
    int hash = (flags & MO_RB_HASH) != 0;
    if (hash) {
        Check_Type(keys, T_ARRAY);
        if ((size_t)RARRAY_LEN(keys) != ncol) rb_raise(rb_eArgError, "keys do not match the columns");
    }
    int yield = rb_block_given_p();
    VALUE out = yield ? Qnil : rb_ary_new();
    long count = 0;
    if (flags & MO_RB_STREAM) {} else mo_rb_tz_check();
    if (flags & MO_RB_CURRENT) max = 1;
    while (max < 0 || count < max) {
        mo_status st = (flags & MO_RB_CURRENT) ? MO_ROW
                     : (flags & MO_RB_STREAM) ? mo_rb_nogvl_mo_result_next(r) : (mo_result_next)(r);
        if (st == MO_DONE) break;
        if (st != MO_ROW) mo_swig_raise(mo_error_last(), st < 0 ? st : MO_E_INTERNAL);
        const char *const *vals; const size_t *lens; size_t cnt;
        st = mo_result_row(r, &vals, &lens, &cnt);
        if (st < 0) mo_swig_raise(mo_error_last(), st);
        if (flags & MO_RB_STREAM) mo_rb_tz_check();
        const unsigned char *m = (const unsigned char *)RSTRING_PTR(meta);
        VALUE row;
        if (hash) {
            row = rb_hash_new();
            for (size_t i = 0; i < cnt && i < ncol; i++)
                rb_hash_aset(row, RARRAY_AREF(keys, (long)i),
                             mo_rb_cell((mo_type)m[2 * i], m[2 * i + 1], vals[i], lens[i], flags));
        } else {
            row = rb_ary_new_capa((long)cnt);
            for (size_t i = 0; i < cnt; i++)
                rb_ary_push(row, mo_rb_cell(i < ncol ? (mo_type)m[2 * i] : MO_TYPE_OTHER,
                                            i < ncol ? m[2 * i + 1] : 0u, vals[i], lens[i], flags));
        }
        count++;
        if (yield) {
            rb_yield(row);
            if (DATA_PTR(robj) != r) break;   /* closed by the block */
        } else rb_ary_push(out, row);
    }
    return yield ? LONG2NUM(count) : out;
}

/* The body of a quoted string literal of `str` (what goes between the quotes of '...'), by the
 * library's one string-literal function (mo_sql_append_string_literal, MO_LITERAL_QUOTED):
 * quotes doubled, backslash, NUL, CR, LF and ^Z backslash-escaped. mysql2's Client#escape.
 * The result keeps the encoding of `str`. Not in the C ABI: the extension links the library's
 * objects, so the internal function is there. */
VALUE mo_rb_escape_string(VALUE str) {
    if (!RB_TYPE_P(str, T_STRING)) rb_raise(rb_eTypeError, "escape expects a String, not %s", rb_obj_classname(str));
    mo_buf b;
    mo_buf_init(&b);
    mo_sql_append_string_literal(&b, RSTRING_PTR(str), (size_t)RSTRING_LEN(str), MO_LITERAL_QUOTED, NULL);
    if (!mo_buf_ok(&b) || b.len < 2) {
        mo_buf_free(&b);
        rb_raise(rb_eNoMemError, "mocore: out of memory escaping a string");
    }
    VALUE out = rb_enc_str_new(b.data + 1, (long)(b.len - 2), rb_enc_get(str));
    mo_buf_free(&b);
    RB_GC_GUARD(str);
    return out;
}

/* `name` as a backtick-quoted identifier, by the library's one identifier function
 * (mo_sql_append_identifier: inner backticks doubled; NUL, invalid UTF-8, empty and overlong
 * names refused with InvalidArgumentError naming `what`). For mysql2's select_db. */
VALUE mo_rb_quote_identifier(VALUE name, const char *what) {
    if (!RB_TYPE_P(name, T_STRING)) rb_raise(rb_eTypeError, "%s must be a String, not %s", what, rb_obj_classname(name));
    mo_buf b;
    mo_buf_init(&b);
    const char *cname = StringValueCStr(name);   /* ArgumentError for an embedded NUL */
    mo_status st = mo_sql_append_identifier(&b, cname, what, "client.select_db");
    if (st < 0) { mo_buf_free(&b); mo_swig_raise(mo_error_last(), st); }
    if (!mo_buf_ok(&b)) { mo_buf_free(&b); rb_raise(rb_eNoMemError, "mocore: out of memory quoting a name"); }
    VALUE out = rb_utf8_str_new(b.data, (long)b.len);
    mo_buf_free(&b);
    RB_GC_GUARD(name);
    return out;
}

/* The number of `?` placeholders of `sql` as the library finds them (outside literals,
 * quoted identifiers and comments; mo_sql_format_placeholders): mysql2's
 * Statement#param_count. */
VALUE mo_rb_placeholder_count(VALUE sql) {
    if (!RB_TYPE_P(sql, T_STRING)) rb_raise(rb_eTypeError, "sql must be a String, not %s", rb_obj_classname(sql));
    size_t count = 0, qmarks = 0;
    mo_status st = mo_sql_format_placeholders(&count, &qmarks, RSTRING_PTR(sql), (size_t)RSTRING_LEN(sql), NULL, NULL, 0);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
    RB_GC_GUARD(sql);
    return SIZET2NUM(qmarks);
}

/* client.execute / session.execute in one call: check sql and params, pack the parameters
 * (freed even when packing raises), run the statement without the GVL, return the owned
 * result. `target` is a client or a session.
 * With `start` (mo_rb_execute_start), the same checks and packing, then the non-blocking
 * mo_*_execute_start with the GVL held: returns [status, op] (MO_AGAIN while it waits; the
 * caller drives the op, lib/mocore/io_wait.rb). */
static VALUE mo_rb_execute_common(VALUE target, VALUE sql, VALUE params, int flags, int start,
                                  int counts) {
    void *h = NULL;
    int session = mo_rb_target(target, &h);
    const char *op = session ? "session.execute" : "client.execute";
    if (!RB_TYPE_P(sql, T_STRING)) mo_rb_invalid(op, "sql must be a String, not %s", rb_obj_classname(sql));
    if (!NIL_P(params) && !RB_TYPE_P(params, T_ARRAY))
        mo_rb_invalid(op, "params must be an Array of values, not %s", rb_obj_classname(params));
    VALUE keep = rb_str_new_frozen(sql);   /* the bytes are read without the GVL */
    mo_params *p = NULL;
    mo_status st;
    if (!NIL_P(params)) {
        if (!start && mo_rb_spare_params) {   /* emptied here: a copy in a fork()ed child fails */
            p = mo_rb_spare_params;
            mo_rb_spare_params = NULL;
            if (mo_params_clear(p) < 0) { mo_params_free(p); p = NULL; }
        }
        if (!p && (st = mo_params_new(&p)) < 0) mo_swig_raise(mo_error_last(), st);
        struct mo_rb_pack x = { p, params };
        int state = 0;
        rb_protect(mo_rb_pack_cb, (VALUE)&x, &state);
        if (state) { mo_params_free(p); rb_jump_tag(state); }
    }
    const char *text = RSTRING_PTR(keep);
    size_t len = (size_t)RSTRING_LEN(keep);
    if (start) {
        /* the op copies (renders) sql and params at start: both may go right after */
        mo_op *o = NULL;
        st = session ? (mo_session_execute_start)(&o, h, text, len, p, (unsigned)flags)
                     : (mo_client_execute_start)(&o, h, text, len, p, (unsigned)flags);
        mo_params_free(p);
        RB_GC_GUARD(keep);
        if (st < 0) mo_swig_raise(mo_error_last(), st);
        return rb_ary_new_from_args(2, INT2NUM(st), SWIG_NewPointerObj(o, SWIGTYPE_p_mo_op, SWIG_POINTER_OWN));
    }
    mo_result *r = NULL;
    st = session ? mo_rb_nogvl_mo_session_execute_ex(&r, h, text, len, p, (unsigned)flags)
                 : mo_rb_nogvl_mo_client_execute_ex(&r, h, text, len, p, (unsigned)flags);
    if (p && !mo_rb_spare_params) mo_rb_spare_params = p;   /* kept for the next call */
    else mo_params_free(p);
    RB_GC_GUARD(keep);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
    if (counts && mo_result_column_count(r) == 0) {
        /* no rows to read: the counters now, and the result released here (no I/O) */
        uint64_t affected = 0, last_id = 0;
        unsigned warnings = 0;
        if ((st = mo_result_affected_rows(r, &affected)) < 0 ||
            (st = mo_result_last_insert_id(r, &last_id)) < 0 ||
            (st = mo_result_warning_count(r, &warnings)) < 0) {
            mo_result_free(r);
            mo_swig_raise(mo_error_last(), st);
        }
        mo_result_free(r);
        /* the common case, a few rows without an insert id or warnings: the count alone */
        if (last_id == 0 && warnings == 0 && affected < 64) return INT2FIX((int)affected);
        return rb_ary_new_from_args(3, ULL2NUM(affected), ULL2NUM(last_id), UINT2NUM(warnings));
    }
    return SWIG_NewPointerObj(r, SWIGTYPE_p_mo_result, SWIG_POINTER_OWN);
}
VALUE mo_rb_execute(VALUE target, VALUE sql, VALUE params, int flags) {
    return mo_rb_execute_common(target, sql, params, flags, 0, 0);
}
/* mo_rb_execute, but a statement without rows gives its counters [affected rows, last insert
 * id, warning count], or the affected rows alone (an Integer below 64) when the other two are
 * 0, and no result handle (Executor#execute then makes no Result of a handle). */
VALUE mo_rb_execute_counts(VALUE target, VALUE sql, VALUE params, int flags) {
    return mo_rb_execute_common(target, sql, params, flags, 0, 1);
}
VALUE mo_rb_execute_start(VALUE target, VALUE sql, VALUE params, int flags) {
    return mo_rb_execute_common(target, sql, params, flags, 1, 0);
}

/* Close a client or session without blocking: the object gives up its handle (as
 * mo_rb_release does) and mo_*_close_start releases it at once; returns [status, op] for the
 * goodbye / rollback still to send, or nil when there was nothing to close. Should the start
 * be refused, the handle is closed the blocking way instead (never leaked). */
VALUE mo_rb_close_start(VALUE obj) {
    void *h = NULL;
    mo_op *o = NULL;
    mo_status st;
    int session;
    if (NIL_P(obj) || TYPE(obj) != T_DATA || DATA_PTR(obj) == NULL) return Qnil;
    if (mo_rb_is(obj, SWIGTYPE_p_mo_session, &h)) session = 1;
    else if (mo_rb_is(obj, SWIGTYPE_p_mo_client, &h)) session = 0;
    else rb_raise(rb_eTypeError, "expected a mocore client or session, got %s", rb_obj_classname(obj));
    st = session ? (mo_session_close_start)(&o, h) : (mo_client_close_start)(&o, h);
    if (st < 0) {
        if (session) mo_rb_nogvl_mo_session_close(h); else mo_rb_nogvl_mo_client_close(h);
        return Qnil;
    }
    return rb_ary_new_from_args(2, INT2NUM(st), SWIG_NewPointerObj(o, SWIGTYPE_p_mo_op, SWIG_POINTER_OWN));
}

/* What a new Result reads, in one call: [column count, affected rows, last insert id,
 * warning count, meta (see mo_rb_meta) or nil, column names]. */
VALUE mo_rb_result_info(VALUE robj) {
    mo_result *r = mo_rb_result_ptr(robj);
    size_t ncol = mo_result_column_count(r);
    uint64_t affected = 0, last_id = 0;
    unsigned warnings = 0;
    mo_status st;
    if ((st = mo_result_affected_rows(r, &affected)) < 0 || (st = mo_result_last_insert_id(r, &last_id)) < 0 ||
        (st = mo_result_warning_count(r, &warnings)) < 0)
        mo_swig_raise(mo_error_last(), st);
    VALUE names = rb_ary_new_capa((long)ncol);
    for (size_t i = 0; i < ncol; i++) {
        const char *n; size_t len;
        if ((st = mo_result_column_name(r, i, &n, &len)) < 0) mo_swig_raise(mo_error_last(), st);
        rb_ary_push(names, rb_obj_freeze(rb_utf8_str_new(n, (long)len)));
    }
    rb_obj_freeze(names);
    return rb_ary_new_from_args(6, SIZET2NUM(ncol), ULL2NUM(affected), ULL2NUM(last_id), UINT2NUM(warnings),
                                ncol ? mo_rb_meta(robj) : Qnil, names);
}

/* Append Ruby values to `p`, each as its typed mo_params value: nil, true/false, Integer
 * (int64, else uint64), Float, String (UTF-8 text; binary ASCII-8BIT strings as blobs;
 * other encodings converted to UTF-8), Symbol (text), BigDecimal (decimal), Time
 * (datetime in the Time's own zone, microseconds), Date (date; DateTime as datetime),
 * Array of numbers (vector), Hash (JSON). */
void mo_rb_params_add(mo_params *p, VALUE values) {
    static VALUE bigdecimal = Qnil, fixed = Qnil, date = Qnil, datetime = Qnil, json = Qnil;
    if (!p) mo_rb_invalid("params", "params handle is nil");
    Check_Type(values, T_ARRAY);
    for (long i = 0; i < RARRAY_LEN(values); i++) {
        VALUE v = RARRAY_AREF(values, i);
        mo_status st;
        if (NIL_P(v)) st = mo_params_add_null(p);
        else if (v == Qtrue || v == Qfalse) st = mo_params_add_bool(p, v == Qtrue);
        else if (FIXNUM_P(v)) st = mo_params_add_int64(p, (int64_t)FIX2LONG(v));
        else if (RB_TYPE_P(v, T_BIGNUM)) {
            if (RBIGNUM_NEGATIVE_P(v)) st = mo_params_add_int64(p, (int64_t)rb_big2ll(v));
            else {
                unsigned long long u = rb_big2ull(v);   /* RangeError beyond 64 bits */
                st = u <= (unsigned long long)INT64_MAX ? mo_params_add_int64(p, (int64_t)u)
                                                        : mo_params_add_uint64(p, (uint64_t)u);
            }
        } else if (RB_FLOAT_TYPE_P(v)) st = mo_params_add_double(p, RFLOAT_VALUE(v));
        else if (RB_TYPE_P(v, T_STRING) || RB_TYPE_P(v, T_SYMBOL)) {
            VALUE s = RB_TYPE_P(v, T_SYMBOL) ? rb_sym2str(v) : v;
            int enc = ENCODING_GET(s);
            if (enc == rb_ascii8bit_encindex())
                st = mo_params_add_blob(p, RSTRING_PTR(s), (size_t)RSTRING_LEN(s));
            else {
                if (enc != rb_utf8_encindex() && enc != rb_usascii_encindex())
                    s = rb_funcall(s, mo_rb_id_encode, 1, rb_str_new_cstr("UTF-8"));
                st = mo_params_add_text(p, RSTRING_PTR(s), (size_t)RSTRING_LEN(s));
            }
            RB_GC_GUARD(s);
        } else if (rb_obj_is_kind_of(v, rb_cTime)) {
            struct timespec ts = rb_time_timespec(v);
            long off = NUM2LONG(rb_time_utc_offset(v));
            time_t wall = ts.tv_sec + off;
            struct tm tm;
            if (!gmtime_r(&wall, &tm)) mo_rb_invalid("params", "parameter %ld: Time out of range", i);
            st = mo_params_add_datetime(p, tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday,
                                        (unsigned)tm.tm_hour, (unsigned)tm.tm_min, (unsigned)tm.tm_sec,
                                        (unsigned)(ts.tv_nsec / 1000));
        } else if (RB_TYPE_P(v, T_ARRAY)) {
            long m = RARRAY_LEN(v);
            double *d = (double *)ruby_xmalloc2((size_t)(m > 0 ? m : 1), sizeof *d);
            for (long k = 0; k < m; k++) {
                VALUE x = RARRAY_AREF(v, k);
                if (!RB_FLOAT_TYPE_P(x) && !RB_INTEGER_TYPE_P(x)) {
                    ruby_xfree(d);
                    rb_raise(rb_eTypeError, "parameter %ld: an Array parameter must hold numbers (a vector)", i);
                }
                d[k] = NUM2DBL(x);
            }
            st = mo_params_add_vector_f64(p, d, (size_t)m);
            ruby_xfree(d);
        } else {
            if (NIL_P(bigdecimal) && rb_const_defined(rb_cObject, rb_intern("BigDecimal"))) {
                bigdecimal = rb_const_get(rb_cObject, rb_intern("BigDecimal"));
                rb_gc_register_address(&bigdecimal);
                fixed = rb_obj_freeze(rb_str_new_cstr("F"));
                rb_gc_register_address(&fixed);
            }
            /* the other classes are looked up only for a value that is no BigDecimal */
            int is_decimal = !NIL_P(bigdecimal) && rb_obj_is_kind_of(v, bigdecimal);
            if (!is_decimal && NIL_P(date) && rb_const_defined(rb_cObject, rb_intern("Date"))) {
                date = rb_const_get(rb_cObject, rb_intern("Date"));
                rb_gc_register_address(&date);
                datetime = rb_const_get(rb_cObject, rb_intern("DateTime"));
                rb_gc_register_address(&datetime);
            }
            if (!is_decimal && NIL_P(json) && rb_const_defined(rb_cObject, rb_intern("JSON"))) {
                json = rb_const_get(rb_cObject, rb_intern("JSON"));
                rb_gc_register_address(&json);
            }
            if (is_decimal) {
                VALUE s = rb_funcall(v, mo_rb_id_to_s, 1, fixed);
                st = mo_params_add_decimal(p, RSTRING_PTR(s), (size_t)RSTRING_LEN(s));
                RB_GC_GUARD(s);
            } else if (!NIL_P(datetime) && rb_obj_is_kind_of(v, datetime)) {
                VALUE t = rb_funcall(v, rb_intern("to_time"), 0);   /* keeps the offset */
                VALUE one = rb_ary_new_from_args(1, t);
                mo_rb_params_add(p, one);
                continue;
            } else if (!NIL_P(date) && rb_obj_is_kind_of(v, date)) {
                st = mo_params_add_date(p, NUM2INT(rb_funcall(v, mo_rb_id_year, 0)),
                                        NUM2UINT(rb_funcall(v, mo_rb_id_mon, 0)),
                                        NUM2UINT(rb_funcall(v, mo_rb_id_mday, 0)));
            } else if (RB_TYPE_P(v, T_HASH) && !NIL_P(json)) {
                VALUE s = rb_funcall(json, mo_rb_id_generate, 1, v);
                st = mo_params_add_json(p, RSTRING_PTR(s), (size_t)RSTRING_LEN(s));
                RB_GC_GUARD(s);
            } else {
                rb_raise(rb_eTypeError, "parameter %ld: cannot send a %s to the server", i,
                         rb_obj_classname(v));
            }
        }
        if (st < 0) mo_swig_raise(mo_error_last(), st);
    }
}

/* Release a handle now (not at garbage collection): the Ruby object no longer owns it and
 * any later use of it raises. Closing a session rolls back an open transaction, freeing a
 * streaming result drains it, closing a client says goodbye: those run without the GVL.
 * A released object (or nil) is a no-op; a non-owning object (a record borrowed from a
 * list) is only detached. */
void mo_rb_release(VALUE obj) {
    void *h = NULL;
    if (NIL_P(obj)) return;
    if (TYPE(obj) != T_DATA) rb_raise(rb_eTypeError, "expected a mocore handle, got %s", rb_obj_classname(obj));
    if (DATA_PTR(obj) == NULL) return;
    /* Check the type first: SWIG_POINTER_RELEASE clears the object before it checks. */
    if (mo_rb_is(obj, SWIGTYPE_p_mo_result, &h)) mo_rb_nogvl_mo_result_free(h);
    else if (mo_rb_is(obj, SWIGTYPE_p_mo_session, &h)) mo_rb_nogvl_mo_session_close(h);
    else if (mo_rb_is(obj, SWIGTYPE_p_mo_client, &h)) mo_rb_nogvl_mo_client_close(h);
    else {
        /* Any other owned handle (params, config, executor, records, lists): its SWIG
         * destructor, the C _free, which does no I/O. */
        RUBY_DATA_FUNC dfree = RDATA(obj)->dfree;
        if (!SWIG_IsOK(SWIG_ConvertPtr(obj, &h, NULL, 0)) || !SWIG_MangleStr(obj) ||
            strncmp(SWIG_MangleStr(obj), "_p_mo_", 6) != 0)
            rb_raise(rb_eTypeError, "expected a mocore handle, got %s", rb_obj_classname(obj));
        DATA_PTR(obj) = NULL;
        RDATA(obj)->dfree = 0;
        if (dfree && h) dfree(h);
    }
}

/* true once mo_rb_release has run on obj. */
int mo_rb_released(VALUE obj) {
    return TYPE(obj) == T_DATA && DATA_PTR(obj) == NULL;
}

void mo_rb_set_error_factory(VALUE factory) {
    mo_rb_error_factory = factory;
}
%}
%{
/* Callbacks from C into Ruby: the log sink and the connection hook of a client's config.
 *
 * The C userdata is not a Ruby object but a number, the key of MoCore::Callbacks' table
 * (lib/mocore/callbacks.rb), which holds the Ruby side (logger, hook block): a log line can
 * come from a handle that outlives its Client object (a result freed later), and the number
 * stays harmless where a VALUE could already be collected. The receiver (MoCore::Callbacks)
 * is a GC root.
 *
 * A callback may come from a call running without the GVL (connect, execute: see
 * gen_nogvl.rb, mo_rb_nogvl_active): it takes the GVL back with rb_thread_call_with_gvl. It
 * may also come from a SWIG destructor inside the garbage collector, where no Ruby code may
 * run: then a log line goes to stderr as the C library's default sink writes it, and a hook
 * is not run. Exceptions never cross into C (rb_protect): a statement must not fail because
 * its log line could not be written. */
static VALUE mo_rb_callback_receiver = Qnil;

/* A LOAD DATA LOCAL with a progress proc runs on a worker thread (mo_rb_call below): libmariadb reads the file inside its non-blocking coroutine, on a small stack of its
 * own, and Ruby code must never run there (the VM checks and the GC scans the thread's own
 * machine stack). Every callback of the worker (progress, a log line) is handed to the Ruby
 * thread that made the call, which runs it with the GVL on its own stack while the worker
 * waits. */
struct mo_rb_load_job {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    void *(*fn)(void *);   /* a callback the calling thread is to run (NULL: none) */
    void *arg, *result;
    int done;
    mo_call *call;  /* the manager call (bindings/managers/call.h) the worker runs */
    mo_executor *ex;
    mo_status st;
    VALUE raised;   /* a non-StandardError the progress proc raised (Interrupt...), or an
                     * exception delivered to the waiting thread: re-raised after */
    int jump_tag;   /* a non-exception jump delivered to the waiting thread (Thread#kill):
                     * made after */
    int err_category, err_code;   /* the worker's error (mo_error_last is per thread) */
    char *err_sqlstate, *err_message, *err_operation;
};
static _Thread_local struct mo_rb_load_job *mo_rb_worker_job;

static void *mo_rb_call_with_gvl(void *(*fn)(void *), void *arg) {
    struct mo_rb_load_job *j = mo_rb_worker_job;
    if (j) {   /* on a load worker: the calling Ruby thread runs fn, this thread waits */
        pthread_mutex_lock(&j->mu);
        j->fn = fn;
        j->arg = arg;
        pthread_cond_broadcast(&j->cv);
        while (j->fn) pthread_cond_wait(&j->cv, &j->mu);
        void *r = j->result;
        pthread_mutex_unlock(&j->mu);
        return r;
    }
    if (!mo_rb_nogvl_active) return fn(arg);
    mo_rb_nogvl_active = 0;
    void *r = rb_thread_call_with_gvl(fn, arg);
    mo_rb_nogvl_active = 1;
    return r;
}

static void mo_rb_log_stderr(const char *prefix, const char *msg, size_t len) {
    if (prefix) fputs(prefix, stderr);
    fwrite(msg, 1, len, stderr);
    fputc('\n', stderr);
}

struct mo_rb_log_line { unsigned long id; int level; const char *msg; size_t len; };
static VALUE mo_rb_log_ruby(VALUE arg) {
    struct mo_rb_log_line *l = (struct mo_rb_log_line *)arg;
    return rb_funcall(mo_rb_callback_receiver, rb_intern("dispatch_log"), 3, ULONG2NUM(l->id),
                      INT2NUM(l->level), rb_utf8_str_new(l->msg, (long)l->len));
}
static void *mo_rb_log_with_gvl(void *arg) {
    struct mo_rb_log_line *l = (struct mo_rb_log_line *)arg;
    if (NIL_P(mo_rb_callback_receiver) || rb_during_gc()) {
        mo_rb_log_stderr(NULL, l->msg, l->len);
        return NULL;
    }
    int state = 0;
    rb_protect(mo_rb_log_ruby, (VALUE)arg, &state);
    if (state) {
        rb_set_errinfo(Qnil);
        mo_rb_log_stderr("mocore: the Ruby logger raised; the line was: ", l->msg, l->len);
    }
    return NULL;
}
static void mo_rb_log_sink(void *userdata, int level, const char *message, size_t len) {
    struct mo_rb_log_line l = { (unsigned long)(uintptr_t)userdata, level, message, len };
    mo_rb_call_with_gvl(mo_rb_log_with_gvl, &l);
}

struct mo_rb_hook_call { unsigned long id; mo_executor *ex; VALUE exo; mo_status st; };
static VALUE mo_rb_hook_ruby(VALUE arg) {
    struct mo_rb_hook_call *h = (struct mo_rb_hook_call *)arg;
    return rb_funcall(mo_rb_callback_receiver, rb_intern("dispatch_hook"), 2, ULONG2NUM(h->id), h->exo);
}
static void *mo_rb_hook_with_gvl(void *arg) {
    struct mo_rb_hook_call *h = (struct mo_rb_hook_call *)arg;
    h->st = MO_E_INTERNAL;
    if (NIL_P(mo_rb_callback_receiver) || rb_during_gc()) return NULL;
    int state = 0;
    /* The executor is borrowed: valid only during the call, so the object is emptied after
     * it (a kept reference then raises instead of touching a dead handle). */
    h->exo = SWIG_NewPointerObj(SWIG_as_voidptr(h->ex), SWIGTYPE_p_mo_executor, 0);
    VALUE r = rb_protect(mo_rb_hook_ruby, (VALUE)arg, &state);
    DATA_PTR(h->exo) = NULL;
    if (state) rb_set_errinfo(Qnil);   /* the Ruby side logs what it catches; this is a backstop */
    else if (RTEST(r)) h->st = MO_OK;
    RB_GC_GUARD(h->exo);
    return NULL;
}
static mo_status mo_rb_connect_hook(mo_executor *ex, void *userdata) {
    struct mo_rb_hook_call h = { (unsigned long)(uintptr_t)userdata, ex, Qnil, MO_E_INTERNAL };
    mo_rb_call_with_gvl(mo_rb_hook_with_gvl, &h);
    return h.st;
}

/* LOAD DATA LOCAL progress (load_data.h), on the load worker (see mo_rb_load_job): the
 * calling thread runs MoCore::Callbacks.dispatch_progress(id, bytes_sent, total_bytes) with the
 * GVL. A progress report never breaks the load: a StandardError of the proc is reported by the
 * Ruby side; anything else (Interrupt, SystemExit) is kept, the later reports are dropped, and
 * it is raised once the load is over (nothing may longjmp through the C library). Anywhere but
 * on a worker (the coroutine stack of a plain call) the report is dropped. */
struct mo_rb_progress_call { unsigned long id; uint64_t sent, total; struct mo_rb_load_job *job; };
static VALUE mo_rb_progress_ruby(VALUE arg) {
    struct mo_rb_progress_call *p = (struct mo_rb_progress_call *)arg;
    return rb_funcall(mo_rb_callback_receiver, rb_intern("dispatch_progress"), 3, ULONG2NUM(p->id),
                      ULL2NUM((unsigned long long)p->sent), ULL2NUM((unsigned long long)p->total));
}
static void *mo_rb_progress_with_gvl(void *arg) {
    struct mo_rb_progress_call *p = arg;
    if (NIL_P(mo_rb_callback_receiver) || rb_during_gc() || !NIL_P(p->job->raised)) return NULL;
    int state = 0;
    rb_protect(mo_rb_progress_ruby, (VALUE)arg, &state);
    if (state) {
        VALUE err = rb_errinfo();
        if (rb_obj_is_kind_of(err, rb_eException)) p->job->raised = err;
        rb_set_errinfo(Qnil);
    }
    return NULL;
}
static void mo_rb_load_progress(void *userdata, uint64_t bytes_sent, uint64_t total_bytes) {
    struct mo_rb_progress_call p = { (unsigned long)(uintptr_t)userdata, bytes_sent, total_bytes, mo_rb_worker_job };
    if (p.job) mo_rb_call_with_gvl(mo_rb_progress_with_gvl, &p);
}

static char *mo_rb_strdup(const char *s) {
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s ? s : "", n);
    return d;
}
static void *mo_rb_load_worker(void *arg) {
    struct mo_rb_load_job *j = arg;
    mo_rb_worker_job = j;
    /* this thread has no GVL to release */
    mo_status st = mo_call_run(j->call, j->ex);
    if (st < 0) {
        const mo_error *e = mo_error_last();
        j->err_category = e ? mo_error_category(e) : st;
        j->err_code = e ? mo_error_server_code(e) : 0;
        j->err_sqlstate = mo_rb_strdup(e ? mo_error_sqlstate(e) : "");
        j->err_message = mo_rb_strdup(e ? mo_error_message(e) : mo_error_category_name(st));
        j->err_operation = mo_rb_strdup(e ? mo_error_operation(e) : "load_data.from_local_file");
    }
    mo_rb_worker_job = NULL;
    pthread_mutex_lock(&j->mu);
    j->st = st;
    j->done = 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}
/* Without the GVL: wait until the worker has a callback to run or is done. (Called through
 * rb_thread_call_without_gvl2, which never raises: with an interrupt pending it returns at
 * once without waiting; see mo_rb_load_interrupts. A raise here would leave the worker with a
 * dead stack frame.) */
static void *mo_rb_load_wait(void *arg) {
    struct mo_rb_load_job *j = arg;
    pthread_mutex_lock(&j->mu);
    while (!j->fn && !j->done) pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}
static VALUE mo_rb_check_ints(VALUE unused) {
    (void)unused;
    rb_thread_check_ints();
    return Qnil;
}
/* The wait returned at once because an interrupt is pending (the timer's "let another thread
 * run", a signal trap, Thread#raise). Serve it now, with the GVL: switch threads, run the
 * trap. Left pending, every later wait would return at once too, and the loading thread would
 * wait for the worker holding the GVL, every other thread stopped, to the end of the load.
 * What the interrupt raises cannot cross the worker's frames: it is kept, and raised (or the
 * jump made) once the load is over. */
static void mo_rb_load_interrupts(struct mo_rb_load_job *j) {
    int state = 0;
    rb_protect(mo_rb_check_ints, Qnil, &state);
    if (!state) return;
    VALUE err = rb_errinfo();
    if (rb_obj_is_kind_of(err, rb_eException)) {
        rb_set_errinfo(Qnil);
        if (NIL_P(j->raised)) j->raised = err;
    } else if (!j->jump_tag) {
        j->jump_tag = state;   /* (the VM's own errinfo of a kill stays for the jump) */
    }
}
%}
%{
/* One manager call (bindings/managers/call.h) for lib/mocore/manager_runtime.rb, which walks
 * the Ruby arguments into the shape and the leaf values:
 *
 *   mo_rb_call(executor, method, shape, leaves, progress_id) -> the outcome as Ruby values
 *
 * The leaves are packed by mo_rb_params_add; the call runs without the GVL, or, with a
 * progress proc registered under progress_id (non-zero; MoCore::Callbacks.register_progress),
 * on a worker thread whose callbacks this thread runs (see mo_rb_load_job). A mistake or a
 * failure is raised as every mocore error is. The outcome: a list an Array, a map a Hash
 * (String keys), b true/false, i an Integer, d a Float, s a UTF-8 String, y a binary String,
 * n nil, r the owned result handle. The call is freed however the body ends (rb_ensure). */

struct mo_rb_call_run { mo_call *c; mo_executor *ex; const char *shape; VALUE leaves; unsigned long progress; mo_status st; };

static void *mo_rb_call_nogvl(void *arg) {
    struct mo_rb_call_run *x = arg;
    int was = mo_rb_nogvl_active;
    mo_rb_nogvl_active = 1;
    x->st = mo_call_run(x->c, x->ex);
    mo_rb_nogvl_active = was;
    return NULL;
}

/* With progress: the load's worker thread (the body of the former LOAD DATA LOCAL runner). */
static void mo_rb_call_on_worker(mo_call *c, mo_executor *ex, unsigned long progress_id) {
    struct mo_rb_load_job j;
    memset(&j, 0, sizeof j);
    j.call = c; j.ex = ex;
    j.raised = Qnil;   /* j lives on this stack: the GC sees the VALUE */
    mo_load_options *opts = mo_call_progress(c);
    mo_status st = opts ? mo_load_options_set_progress(opts, mo_rb_load_progress, (void *)(uintptr_t)progress_id)
                        : MO_E_RESOURCE;
    if (st < 0) mo_swig_raise(mo_error_last(), st);
    pthread_t worker;
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.cv, NULL);
    if (pthread_create(&worker, NULL, mo_rb_load_worker, &j) != 0) {
        mo_load_options_set_progress(opts, NULL, NULL);
        pthread_mutex_destroy(&j.mu);
        pthread_cond_destroy(&j.cv);
        VALUE msg = rb_utf8_str_new_cstr("could not start the load thread");
        rb_exc_raise(rb_funcall(mo_rb_error_factory, rb_intern("call"), 5, INT2NUM(MO_E_RESOURCE), INT2NUM(0),
                                rb_utf8_str_new_cstr(""), msg, rb_utf8_str_new_cstr("load_data.from_local_file")));
    }
    for (;;) {
        rb_thread_call_without_gvl2(mo_rb_load_wait, &j, NULL, NULL);
        pthread_mutex_lock(&j.mu);
        void *(*fn)(void *) = j.fn;
        void *fn_arg = j.arg;
        int done = j.done;
        pthread_mutex_unlock(&j.mu);
        if (fn) {   /* a callback of the worker: run it here, with the GVL (it never raises) */
            void *r = fn(fn_arg);
            pthread_mutex_lock(&j.mu);
            j.result = r;
            j.fn = NULL;
            pthread_cond_broadcast(&j.cv);
            pthread_mutex_unlock(&j.mu);
            continue;
        }
        if (done) break;
        mo_rb_load_interrupts(&j);   /* the wait returned at once: an interrupt is pending */
    }
    pthread_join(worker, NULL);
    pthread_mutex_destroy(&j.mu);
    pthread_cond_destroy(&j.cv);
    /* (the run has released its load options, and the progress with them) */
    if (!NIL_P(j.raised) || j.jump_tag) {
        free(j.err_sqlstate); free(j.err_message); free(j.err_operation);
        if (!NIL_P(j.raised)) rb_exc_raise(j.raised);
        rb_jump_tag(j.jump_tag);
    }
    if (j.st < 0) {
        int cat = j.err_category < 0 ? j.err_category : MO_E_INTERNAL;
        VALUE state = rb_utf8_str_new_cstr(j.err_sqlstate ? j.err_sqlstate : "");
        VALUE msg = rb_utf8_str_new_cstr(j.err_message ? j.err_message : "load failed");
        VALUE op = rb_utf8_str_new_cstr(j.err_operation ? j.err_operation : "load_data.from_local_file");
        free(j.err_sqlstate); free(j.err_message); free(j.err_operation);
        if (NIL_P(mo_rb_error_factory)) rb_raise(rb_eRuntimeError, "mocore error: %s", StringValueCStr(msg));
        rb_exc_raise(rb_funcall(mo_rb_error_factory, rb_intern("call"), 5, INT2NUM(cat), INT2NUM(j.err_code),
                                state, msg, op));
    }
}

static VALUE mo_rb_outcome(mo_call *c, const char **shape, size_t *leaf) {
    char kind = *(*shape)++;
    if (kind == '(' || kind == '{') {
        char end = kind == '(' ? ')' : '}';
        VALUE out = kind == '(' ? rb_ary_new() : rb_hash_new();
        while (**shape && **shape != end) {
            VALUE v = mo_rb_outcome(c, shape, leaf);
            if (kind == '(') rb_ary_push(out, v);
            else rb_hash_aset(out, v, mo_rb_outcome(c, shape, leaf));
        }
        if (**shape) (*shape)++;
        return out;
    }
    size_t i = (*leaf)++, len = 0;
    const char *s;
    switch (kind) {
    case 'b': return mo_call_outcome_int(c, i) ? Qtrue : Qfalse;
    case 'i': return LL2NUM((long long)mo_call_outcome_int(c, i));
    case 'd': return DBL2NUM(mo_call_outcome_number(c, i));
    case 't': {   /* a UTC time of nanoseconds */
        int64_t ns = mo_call_outcome_int(c, i);
        return rb_funcall(rb_time_nano_new(ns / 1000000000, ns % 1000000000), rb_intern("utc"), 0);
    }
    case 's': case 'y': case 'v':
        s = mo_call_outcome_text(c, i, &len);
        if (!s) return Qnil;
        return kind == 'y' ? rb_str_new(s, (long)len) : rb_utf8_str_new(s, (long)len);
    case 'r': {
        mo_result *r = mo_call_take_result(c);
        return r ? SWIG_NewPointerObj(SWIG_as_voidptr(r), SWIGTYPE_p_mo_result, SWIG_POINTER_OWN) : Qnil;
    }
    default: return Qnil;   /* n */
    }
}

static VALUE mo_rb_call_body(VALUE arg) {
    struct mo_rb_call_run *x = (struct mo_rb_call_run *)arg;
    mo_rb_params_add(mo_call_values(x->c), x->leaves);
    mo_status st = mo_call_set_shape(x->c, x->shape);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
    if (x->progress) {
        mo_rb_call_on_worker(x->c, x->ex, x->progress);
    } else {
        rb_thread_call_without_gvl(mo_rb_call_nogvl, x, NULL, NULL);
        if (x->st < 0) mo_swig_raise(mo_error_last(), x->st);
    }
    const char *out = mo_call_outcome_shape(x->c);
    size_t leaf = 0;
    return out && *out ? mo_rb_outcome(x->c, &out, &leaf) : Qnil;
}

static VALUE mo_rb_call_free(VALUE arg) {
    mo_call_free(((struct mo_rb_call_run *)arg)->c);
    return Qnil;
}
%}
%inline %{
VALUE mo_rb_call(mo_executor *ex, const char *method, const char *shape, VALUE leaves, unsigned long progress_id) {
    struct mo_rb_call_run x = { NULL, ex, shape, leaves, progress_id, MO_OK };
    Check_Type(leaves, T_ARRAY);
    mo_status st = mo_call_new(&x.c, method);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
    return rb_ensure(mo_rb_call_body, (VALUE)&x, mo_rb_call_free, (VALUE)&x);
}
/* A String in MatrixOne's vector form ("[1,2.5]", as a search sends a vecf32 column) as an
 * Array of Float, parsed by mo_text_to_vector (mo_rb_vector_array); any other value as it is. */
VALUE mo_rb_text_vector(VALUE value) {
    if (!RB_TYPE_P(value, T_STRING)) return value;
    VALUE ary = mo_rb_vector_array(RSTRING_PTR(value), (size_t)RSTRING_LEN(value));
    return ary == Qundef ? value : ary;
}
/* The receiver of the callbacks: an object with dispatch_log(id, level, message),
 * dispatch_hook(id, executor) -> true/false and dispatch_progress(id, bytes_sent, total). */
void mo_rb_set_callback_receiver(VALUE receiver) {
    mo_rb_callback_receiver = receiver;
}
/* Route cfg's log lines (log != 0) and its connection hook (hook != 0) to the Ruby
 * callbacks registered under `id`. */
void mo_rb_config_set_callbacks(mo_config *cfg, unsigned long id, int log, int hook) {
    mo_status st = MO_OK;
    void *ud = (void *)(uintptr_t)id;
    if (log) st = mo_config_set_log_sink(cfg, mo_rb_log_sink, ud);
    if (st >= 0 && hook) st = mo_config_set_connect_hook(cfg, mo_rb_connect_hook, ud);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
}
%}
%enddef

%init %{
    rb_gc_register_address(&mo_rb_error_factory);
    rb_gc_register_address(&mo_rb_callback_receiver);
    mo_rb_id_call = rb_intern("call");
    mo_rb_id_civil = rb_intern("civil");
    mo_rb_id_BigDecimal = rb_intern("BigDecimal");
    mo_rb_id_generate = rb_intern("generate");
    mo_rb_id_year = rb_intern("year");
    mo_rb_id_mon = rb_intern("mon");
    mo_rb_id_mday = rb_intern("mday");
    mo_rb_id_to_s = rb_intern("to_s");
    mo_rb_id_encode = rb_intern("encode");
%}

%exception {
    mo_swig_status = MO_OK;
    $action
}
