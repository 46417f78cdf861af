/* bindings/python/mocore_python.i — Python idioms for bindings/mocore.i.
 *
 * Built with `swig -python -threads`: every wrapped C call releases the GIL around the C
 * call itself (connect, execute, commit... block on the network), and re-takes it to build
 * Python objects. The row builder and the parameter packer below touch Python objects, so
 * they are %nothread and release the GIL themselves only around mo_result_next() on a
 * streaming result.
 *
 * Exceptions: mo_swig_raise() calls the factory that mocore/errors.py registers
 * (mocore_core.mo_py_set_error_factory); the factory returns an instance of the category's
 * class (generated from the category table) and it is raised as is. */

%begin %{
#define PY_SSIZE_T_CLEAN
%}
%{
#include <Python.h>
#include <datetime.h>

static PyObject *mo_py_error_factory = NULL;   /* callable(category, code, sqlstate, msg, op) */
static PyObject *mo_py_decimal = NULL;         /* decimal.Decimal */
static PyObject *mo_py_json_dumps = NULL;      /* json.dumps */

static void mo_swig_raise(const mo_error *e, mo_status status) {
    mo_status cat = e ? mo_error_category(e) : status;
    int code = e ? mo_error_server_code(e) : 0;
    const char *state = e ? mo_error_sqlstate(e) : "";
    const char *msg = e ? mo_error_message(e) : mo_error_category_name(status);
    const char *op = e ? mo_error_operation(e) : "";
    if (PyErr_Occurred()) return;  /* a Python error (e.g. from a typemap) wins */
    if (!mo_py_error_factory) {
        PyErr_Format(PyExc_RuntimeError, "mocore %s error: %s", mo_error_category_name(cat), msg);
        return;
    }
    PyObject *m = PyUnicode_DecodeUTF8(msg, (Py_ssize_t)strlen(msg), "replace");
    if (!m) return;
    PyObject *exc = PyObject_CallFunction(mo_py_error_factory, "iisOs", (int)cat, code, state, m, op);
    Py_DECREF(m);
    if (!exc) return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

/* A caller mistake found in the wrapper before the C call (e.g. a NUL inside a name): the
 * INVALID_ARGUMENT class, built by the same factory as every other mocore error. */
static void mo_swig_raise_invalid(const char *op, const char *msg) {
    if (PyErr_Occurred()) return;
    if (!mo_py_error_factory) { PyErr_SetString(PyExc_ValueError, msg); return; }
    PyObject *exc = PyObject_CallFunction(mo_py_error_factory, "iisss", (int)MO_E_INVALID_ARGUMENT,
                                          0, "", msg, op);
    if (!exc) return;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
}

/* If obj exports a C-contiguous 1-D buffer of float32 ('f') or float64 ('d') — array('f'),
 * numpy float arrays, a memoryview of them — fill *view (release it later) and return the
 * element size (4 or 8); otherwise 0 with no view and no error. */
static int mo_py_float_view(PyObject *obj, Py_buffer *view) {
    if (PyBytes_Check(obj) || PyByteArray_Check(obj) || !PyObject_CheckBuffer(obj)) return 0;
    if (PyObject_GetBuffer(obj, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) { PyErr_Clear(); return 0; }
    const char *f = view->format ? view->format : "B";
    if (*f == '@' || *f == '=' || *f == '<') f++;
    if (view->ndim <= 1 && f[0] == 'f' && !f[1] && view->itemsize == 4) return 4;
    if (view->ndim <= 1 && f[0] == 'd' && !f[1] && view->itemsize == 8) return 8;
    PyBuffer_Release(view);
    return 0;
}
%}

%init %{
    PyDateTime_IMPORT;
%}

/* C strings in (the shared typemap in mocore.i rejects a NUL): str -> its UTF-8 bytes (cached
 * in the str object, which the call's argument tuple keeps alive), None -> NULL. */
%define MO_SWIG_CSTR_GET(INPUT, PTR, LEN)
    if ((INPUT) == Py_None) { PTR = NULL; LEN = 0; }
    else if (PyUnicode_Check(INPUT)) {
        Py_ssize_t cstr_n = 0;
        PTR = (char *)PyUnicode_AsUTF8AndSize((INPUT), &cstr_n);
        if (!PTR) SWIG_fail;
        LEN = (size_t)cstr_n;
    } else {
        PyErr_Format(PyExc_TypeError, "in method '$symname', argument '$1_name' must be str or None, not %.100s",
                     Py_TYPE(INPUT)->tp_name);
        SWIG_fail;
    }
%enddef

/* ---------------------------------------------------------------- typemaps */
%define MO_SWIG_OUT_VOID
    $result = SWIG_Py_Void();
%enddef
%define MO_SWIG_OUT_INT(X)
    $result = PyLong_FromLong((long)(X));
%enddef

%define MO_HANDLE_OUT(TYPE)
%typemap(in, numinputs=0) TYPE **out (TYPE *tmp = NULL) { $1 = &tmp; }
%typemap(argout) TYPE **out {
    $result = SWIG_Python_AppendOutput($result,
        SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*descriptor, SWIG_POINTER_OWN));
}
%enddef

/* str (UTF-8 encoded), bytes-like, or None (NULL, 0 — the C side then reports
 * INVALID_ARGUMENT where NULL is not allowed). */
%typemap(in) (const char *MO_BYTES, size_t MO_BYTES_LEN) (Py_buffer view, int have_view = 0) {
    if ($input == Py_None) { $1 = NULL; $2 = 0; }
    else if (PyUnicode_Check($input)) {
        Py_ssize_t n = 0;
        $1 = ($1_ltype)PyUnicode_AsUTF8AndSize($input, &n);
        if (!$1) SWIG_fail;
        $2 = (size_t)n;
    } else if (PyObject_CheckBuffer($input)) {
        if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) < 0) SWIG_fail;
        have_view = 1;
        $1 = ($1_ltype)view.buf; $2 = (size_t)view.len;
    } else {
        PyErr_Format(PyExc_TypeError, "expected str or bytes, not %.100s", Py_TYPE($input)->tp_name);
        SWIG_fail;
    }
}
%typemap(freearg) (const char *MO_BYTES, size_t MO_BYTES_LEN) {
    if (have_view$argnum) PyBuffer_Release(&view$argnum);
}

%typemap(in, numinputs=0) (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN)
    (const char *s = NULL, size_t n = 0) { $1 = ($1_ltype)&s; $2 = &n; }
%typemap(argout) (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN) {
    PyObject *o = *$1 ? PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)*$2, "surrogateescape") : SWIG_Py_Void();
    if (!o) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}
%typemap(in, numinputs=0) const char **MO_CSTR_OUT (const char *s = NULL) { $1 = ($1_ltype)&s; }
%typemap(argout) const char **MO_CSTR_OUT {
    PyObject *o = *$1 ? PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)strlen(*$1), "surrogateescape") : SWIG_Py_Void();
    if (!o) SWIG_fail;
    $result = SWIG_Python_AppendOutput($result, o);
}
%define MO_INT_OUT_TYPE(TYPE, CONV)
%typemap(in, numinputs=0) TYPE *MO_INT_OUT (TYPE v = 0) { $1 = &v; }
%typemap(argout) TYPE *MO_INT_OUT { $result = SWIG_Python_AppendOutput($result, CONV); }
%enddef
MO_INT_OUT_TYPE(int, PyLong_FromLong((long)*$1))
MO_INT_OUT_TYPE(unsigned, PyLong_FromUnsignedLong((unsigned long)*$1))
MO_INT_OUT_TYPE(mo_type, PyLong_FromLong((long)*$1))
MO_INT_OUT_TYPE(mo_server_kind, PyLong_FromLong((long)*$1))
MO_INT_OUT_TYPE(size_t, PyLong_FromSize_t(*$1))
MO_INT_OUT_TYPE(int64_t, PyLong_FromLongLong((long long)*$1))
MO_INT_OUT_TYPE(uint64_t, PyLong_FromUnsignedLongLong((unsigned long long)*$1))
%typemap(in, numinputs=0) double *MO_DOUBLE_OUT (double v = 0) { $1 = &v; }
%typemap(argout) double *MO_DOUBLE_OUT { $result = SWIG_Python_AppendOutput($result, PyFloat_FromDouble(*$1)); }

/* A vector (vector_ops, table helpers): a buffer of float32 ('f': array('f'), numpy float32) or float64 ('d')
 * is passed as is (no copy); any other sequence of real numbers (list, tuple, array('i')...) is
 * copied into float64. None -> NULL (the C side reports INVALID_ARGUMENT). */
%typemap(in) (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM)
    (Py_buffer view, int have_view = 0, double *copy = NULL) {
    $1 = NULL; $2 = 0; $3 = MO_VECTOR_F64;
    if ($input != Py_None) {
        int size = mo_py_float_view($input, &view);
        if (size) {
            have_view = 1;
            $1 = view.buf; $2 = (size_t)view.len / (size_t)size;
            $3 = size == 4 ? MO_VECTOR_F32 : MO_VECTOR_F64;
        } else if (PyBytes_Check($input) || PyByteArray_Check($input) || PyUnicode_Check($input)) {
            PyErr_Format(PyExc_TypeError, "a vector must be numbers or a float buffer, not %.100s",
                         Py_TYPE($input)->tp_name);
            SWIG_fail;
        } else {   /* not a float buffer: read it as a sequence of numbers */
            PyObject *seq = PySequence_Fast($input, "a vector must be a sequence of numbers or a float buffer");
            if (!seq) SWIG_fail;
            Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
            copy = (double *)malloc((size_t)(n > 0 ? n : 1) * sizeof *copy);
            if (!copy) { Py_DECREF(seq); PyErr_NoMemory(); SWIG_fail; }
            for (Py_ssize_t i = 0; i < n; i++) {
                PyObject *x = PySequence_Fast_GET_ITEM(seq, i);
                if (!PyNumber_Check(x) || PyBool_Check(x)) {
                    Py_DECREF(seq);
                    PyErr_Format(PyExc_TypeError, "vector element %zd must be a number, not %.100s",
                                 i, Py_TYPE(x)->tp_name);
                    SWIG_fail;
                }
                copy[i] = PyFloat_AsDouble(x);
                if (copy[i] == -1.0 && PyErr_Occurred()) { Py_DECREF(seq); SWIG_fail; }
            }
            Py_DECREF(seq);
            $1 = copy; $2 = (size_t)n; $3 = MO_VECTOR_F64;
        }
    }
}
%typemap(freearg) (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM) {
    if (have_view$argnum) PyBuffer_Release(&view$argnum);
    free(copy$argnum);
}

/* A list of names (insert columns): a sequence of str, each checked for NUL; None -> NULL. */
%{
/* Fill v[0..n) with the UTF-8 of the str items of seq (borrowed from seq). -1 with an error. */
static int mo_py_strv(PyObject *seq, const char **v, Py_ssize_t n, Py_ssize_t stride, Py_ssize_t at,
                      const char *what, const char *op) {
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *x = PySequence_Fast_GET_ITEM(seq, i);
        if (stride) {   /* a (name, type) pair */
            if (!PyTuple_Check(x) && !PyList_Check(x)) {
                PyErr_Format(PyExc_TypeError, "%s[%zd] must be a (name, type) pair, not %.100s",
                             what, i, Py_TYPE(x)->tp_name);
                return -1;
            }
            if (PySequence_Size(x) != 2) {
                PyErr_Format(PyExc_TypeError, "%s[%zd] must be a (name, type) pair", what, i);
                return -1;
            }
            x = PyList_Check(x) ? PyList_GET_ITEM(x, at) : PyTuple_GET_ITEM(x, at);
        }
        if (!PyUnicode_Check(x)) {
            PyErr_Format(PyExc_TypeError, "%s[%zd] must be a str, not %.100s", what, i, Py_TYPE(x)->tp_name);
            return -1;
        }
        Py_ssize_t len = 0;
        v[i] = PyUnicode_AsUTF8AndSize(x, &len);
        if (!v[i]) return -1;
        char msg[160];
        if (mo_swig_cstr_nul(v[i], (size_t)len, what, msg, sizeof msg)) {
            mo_swig_raise_invalid(op, msg);
            return -1;
        }
    }
    return 0;
}
%}
%typemap(in) (const char *const *MO_STRV, size_t MO_STRV_LEN) (PyObject *seq = NULL, const char **v = NULL) {
  if ($input == Py_None) { $1 = NULL; $2 = 0; }   /* the C side reports INVALID_ARGUMENT */
  else {
    seq = PySequence_Fast($input, "expected a sequence of names");
    if (!seq) SWIG_fail;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    v = (const char **)calloc((size_t)(n > 0 ? n : 1), sizeof *v);
    if (!v) { PyErr_NoMemory(); SWIG_fail; }
    if (mo_py_strv(seq, v, n, 0, 0, "$1_name", "$symname") < 0) SWIG_fail;
    $1 = ($1_ltype)v; $2 = (size_t)n;
  }
}
%typemap(freearg) (const char *const *MO_STRV, size_t MO_STRV_LEN) {
    free((void *)v$argnum);
    Py_XDECREF(seq$argnum);
}
/* create_table's columns: a sequence of (name, type) pairs. */
%typemap(in) (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN)
    (PyObject *seq = NULL, const char **v = NULL) {
  if ($input == Py_None) { $1 = NULL; $2 = NULL; $3 = 0; }
  else {
    seq = PySequence_Fast($input, "expected a sequence of (name, type) pairs");
    if (!seq) SWIG_fail;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    v = (const char **)calloc((size_t)(n > 0 ? 2 * n : 1), sizeof *v);
    if (!v) { PyErr_NoMemory(); SWIG_fail; }
    if (mo_py_strv(seq, v, n, 1, 0, "column name", "$symname") < 0 ||
        mo_py_strv(seq, v + n, n, 1, 1, "column type", "$symname") < 0) SWIG_fail;
    $1 = ($1_ltype)v; $2 = ($2_ltype)(v + n); $3 = (size_t)n;
  }
}
%typemap(freearg) (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN) {
    free((void *)v$argnum);
    Py_XDECREF(seq$argnum);
}

/* Pass Python objects straight through to the helpers below. */
%typemap(in) PyObject *MO_PYOBJ { $1 = $input; }
%typemap(out) PyObject *MO_PYRET { $result = $1; }

/* ---------------------------------------------------------------- row builder, params, sink */
%define MO_SWIG_LANGUAGE_EXTRAS
%nothread mo_py_fetch;
%nothread mo_py_meta;
%nothread mo_py_params_add;
%nothread mo_py_set_error_factory;
%nothread mo_py_config_set_log_callable;
%nothread mo_py_config_set_connect_callable;
%nothread mo_py_load_options_set_progress_callable;
%nothread mo_py_config_set_wait_callable;
%apply PyObject *MO_PYOBJ { PyObject *meta, PyObject *values, PyObject *factory, PyObject *fn };
%apply PyObject *MO_PYRET { PyObject *mo_py_fetch, PyObject *mo_py_meta, PyObject *mo_py_row };
%nothread mo_py_row;
%{
/* Copy a short numeric cell into a NUL-terminated buffer. */
static int mo_py_cstr(char *buf, size_t cap, const char *s, size_t n) {
    if (n >= cap) return -1;
    memcpy(buf, s, n); buf[n] = '\0';
    return 0;
}
/* DATE / DATETIME / TIMESTAMP, read by mo_text_to_datetime (the same reading in every
 * binding). Zero dates and anything else that is not a calendar date stay strings. */
static PyObject *mo_py_temporal(const char *s, size_t n, int with_time) {
    int y, mo, d, h, mi, se, ns;
    if (mo_text_to_datetime(s, n, &y, &mo, &d, &h, &mi, &se, &ns) == MO_OK) {
        PyObject *o = with_time ? PyDateTime_FromDateAndTime(y, mo, d, h, mi, se, ns / 1000)
                                : PyDate_FromDate(y, mo, d);
        if (o) return o;
        PyErr_Clear();
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
}
/* TIME "[-]H+:MM:SS[.ffffff]" (mo_text_to_time) -> datetime.timedelta. */
static PyObject *mo_py_time(const char *s, size_t n) {
    int neg, h, mi, se, ns;
    if (mo_text_to_time(s, n, &neg, &h, &mi, &se, &ns) != MO_OK)
        return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
    long secs = (long)h * 3600 + mi * 60 + se;
    int us = ns / 1000;
    if (neg) { secs = -secs; us = -us; }
    return PyDelta_FromDSU(0, (int)secs, us);  /* normalised by Python */
}
static PyObject *mo_py_decimal_from(const char *s, size_t n) {
    if (!mo_py_decimal) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (!mod) return NULL;
        mo_py_decimal = PyObject_GetAttrString(mod, "Decimal");
        Py_DECREF(mod);
        if (!mo_py_decimal) return NULL;
    }
    PyObject *str = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
    if (!str) return NULL;
    PyObject *o = PyObject_CallOneArg(mo_py_decimal, str);
    Py_DECREF(str);
    return o;
}
/* MatrixOne's vector text as a list of float, parsed once (again only beyond 64 elements);
 * NULL without a Python error when the text is not a vector. */
static PyObject *mo_py_vector_list(const char *s, size_t n) {
    double small[64];
    size_t count;
    if (mo_text_to_vector(s, n, small, 64, &count) != MO_OK) return NULL;
    double *v = small;
    if (count > 64) {
        if (!(v = (double *)malloc(count * sizeof *v))) return PyErr_NoMemory();
        mo_text_to_vector(s, n, v, count, &count);
    }
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *f = PyFloat_FromDouble(v[i]);
        if (!f) { Py_CLEAR(list); break; }
        PyList_SET_ITEM(list, (Py_ssize_t)i, f);
    }
    if (v != small) free(v);
    return list;
}

/* A vector column's cell: its list, or its text when it is not a vector. */
static PyObject *mo_py_vector(const char *s, size_t n) {
    PyObject *list = mo_py_vector_list(s, n);
    if (list || PyErr_Occurred()) return list;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, "replace");
}

static PyObject *mo_py_cell(mo_type t, unsigned flags, const char *s, size_t n) {
    /* MatrixOne prints a DOUBLE in full (2.25e100 as 101 digits, 1e-300 as
     * 0.000...01): up to ~330 characters, as mo_result_get_double reads them */
    char buf[400];
    if (!s) Py_RETURN_NONE;
    switch (t) {
    case MO_TYPE_INT8: case MO_TYPE_INT16: case MO_TYPE_INT24: case MO_TYPE_INT32:
    case MO_TYPE_INT64: case MO_TYPE_YEAR:
        if (mo_py_cstr(buf, sizeof buf, s, n) == 0) {
            char *end; errno = 0;
            if (flags & MO_COLUMN_UNSIGNED) {
                unsigned long long v = strtoull(buf, &end, 10);
                if (!errno && *end == '\0' && end != buf) return PyLong_FromUnsignedLongLong(v);
            } else {
                long long v = strtoll(buf, &end, 10);
                if (!errno && *end == '\0' && end != buf) return PyLong_FromLongLong(v);
            }
            return PyLong_FromString(buf, NULL, 10);
        }
        break;
    case MO_TYPE_FLOAT: case MO_TYPE_DOUBLE:
        if (mo_py_cstr(buf, sizeof buf, s, n) == 0) {
            char *end;
            double v = strtod(buf, &end);
            if (*end == '\0' && end != buf) return PyFloat_FromDouble(v);
        }
        break;
    case MO_TYPE_DECIMAL: return mo_py_decimal_from(s, n);
    case MO_TYPE_DATE: return mo_py_temporal(s, n, 0);
    case MO_TYPE_DATETIME: case MO_TYPE_TIMESTAMP: return mo_py_temporal(s, n, 1);
    case MO_TYPE_TIME: return mo_py_time(s, n);
    case MO_TYPE_BIT: {  /* raw big-endian bytes */
        unsigned long long v = 0;
        for (size_t i = 0; i < n && i < 8; i++) v = (v << 8) | (unsigned char)s[i];
        return PyLong_FromUnsignedLongLong(v);
    }
    case MO_TYPE_BLOB: case MO_TYPE_GEOMETRY:
        return PyBytes_FromStringAndSize(s, (Py_ssize_t)n);
    case MO_TYPE_VECTOR: return mo_py_vector(s, n);
    default: break;
    }
    /* TEXT, JSON, ENUM, SET, UUID, OTHER (and unparsable numbers): str; bytes if not UTF-8. */
    PyObject *o = PyUnicode_DecodeUTF8(s, (Py_ssize_t)n, NULL);
    if (!o) { PyErr_Clear(); o = PyBytes_FromStringAndSize(s, (Py_ssize_t)n); }
    return o;
}

/* The current row as a tuple: numbers of a binary-protocol result straight from their
 * values (mo_result_row_typed), everything else from its text with the column's type. */
static PyObject *mo_py_typed_row(mo_result *r, const unsigned char *m, size_t ncol) {
    const void *const *vals; const size_t *lens; const int *kinds; size_t cnt;
    mo_status st = mo_result_row_typed(r, &vals, &lens, &kinds, &cnt);
    if (st < 0) { mo_swig_raise(mo_error_last(), st); return NULL; }
    PyObject *row = PyTuple_New((Py_ssize_t)cnt);
    for (size_t i = 0; row && i < cnt; i++) {
        PyObject *cell;
        switch (kinds[i]) {
        case MO_CELL_INT64: cell = PyLong_FromLongLong(*(const int64_t *)vals[i]); break;
        case MO_CELL_UINT64: cell = PyLong_FromUnsignedLongLong(*(const uint64_t *)vals[i]); break;
        case MO_CELL_DOUBLE: cell = PyFloat_FromDouble(*(const double *)vals[i]); break;
        default:
            cell = mo_py_cell(i < ncol ? (mo_type)m[2 * i] : MO_TYPE_OTHER,
                              i < ncol ? m[2 * i + 1] : 0u, (const char *)vals[i], lens[i]);
        }
        if (!cell) { Py_CLEAR(row); break; }
        PyTuple_SET_ITEM(row, (Py_ssize_t)i, cell);
    }
    return row;
}
%}
%inline %{
/* The column types and flags of a result, packed two bytes per column, read once when the
 * result is created (a finished stream no longer has its metadata).
 * Then mo_py_fetch: up to `max_rows` rows (all when < 0) as a list of tuples, in one call:
 * mo_result_next + mo_result_row + those column types. An empty list means the result is done. Set `release`
 * for streaming results: the GIL is released around each mo_result_next (it may read the
 * network). */
PyObject *mo_py_meta(mo_result *r) {
    size_t ncol = mo_result_column_count(r);
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(2 * ncol));
    if (!b) return NULL;
    unsigned char *m = (unsigned char *)PyBytes_AS_STRING(b);
    for (size_t i = 0; i < ncol; i++) {
        mo_type t; unsigned f;
        mo_status st = mo_result_column_type(r, i, &t);
        if (st >= 0) st = mo_result_column_flags(r, i, &f);
        if (st < 0) { Py_DECREF(b); mo_swig_raise(mo_error_last(), st); return NULL; }
        m[2 * i] = (unsigned char)t; m[2 * i + 1] = (unsigned char)f;
    }
    return b;
}

PyObject *mo_py_fetch(mo_result *r, PyObject *meta, long max_rows, int release) {
    PyObject *rows = NULL;
    if (!r) { mo_swig_raise(NULL, MO_E_INVALID_ARGUMENT); return NULL; }
    if (!PyBytes_Check(meta)) { PyErr_SetString(PyExc_TypeError, "meta must come from mo_py_meta"); return NULL; }
    const unsigned char *m = (const unsigned char *)PyBytes_AS_STRING(meta);
    size_t ncol = (size_t)PyBytes_GET_SIZE(meta) / 2;
    rows = PyList_New(0);
    while (rows && (max_rows < 0 || PyList_GET_SIZE(rows) < max_rows)) {
        mo_status st;
        if (release) { Py_BEGIN_ALLOW_THREADS st = mo_result_next(r); Py_END_ALLOW_THREADS }
        else st = mo_result_next(r);
        if (st == MO_DONE) break;
        if (st != MO_ROW) {
            mo_swig_raise(mo_error_last(), st < 0 ? st : MO_E_INTERNAL);
            Py_CLEAR(rows); break;
        }
        PyObject *row = mo_py_typed_row(r, m, ncol);
        if (!row) { Py_CLEAR(rows); break; }
        if (!row || PyList_Append(rows, row) < 0) { Py_XDECREF(row); Py_CLEAR(rows); break; }
        Py_DECREF(row);
    }
    return rows;
}

/* Append Python values to `p`, each as its typed mo_params value: None, bool, int (int64,
 * else uint64), float, str, bytes-like, decimal.Decimal, datetime.datetime, datetime.date,
 * datetime.time, datetime.timedelta, list/tuple of numbers (vector f64), a float32/float64
 * buffer such as array('f') (vector f32/f64), dict (JSON). */
void mo_py_params_add(mo_params *p, PyObject *values) {
    PyObject *seq = PySequence_Fast(values, "params must be a sequence");
    if (!seq) return;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PySequence_Fast_GET_ITEM(seq, i);
        mo_status st;
        if (v == Py_None) st = mo_params_add_null(p);
        else if (PyBool_Check(v)) st = mo_params_add_bool(p, v == Py_True);
        else if (PyLong_Check(v)) {
            int overflow = 0;
            long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
            if (!overflow) st = mo_params_add_int64(p, x);
            else {
                unsigned long long u = PyLong_AsUnsignedLongLong(v);
                if (PyErr_Occurred()) {
                    PyErr_Format(PyExc_OverflowError, "parameter %zd: integer out of 64-bit range", i);
                    break;
                }
                st = mo_params_add_uint64(p, u);
            }
        } else if (PyFloat_Check(v)) st = mo_params_add_double(p, PyFloat_AS_DOUBLE(v));
        else if (PyUnicode_Check(v)) {
            Py_ssize_t len; const char *s = PyUnicode_AsUTF8AndSize(v, &len);
            if (!s) break;
            st = mo_params_add_text(p, s, (size_t)len);
        } else if (PyBytes_Check(v)) {
            st = mo_params_add_blob(p, PyBytes_AS_STRING(v), (size_t)PyBytes_GET_SIZE(v));
        } else if (PyObject_CheckBuffer(v) && !PyByteArray_Check(v)) {
            /* array('f') / numpy float32 -> vecf32 text, 'd' -> vecf64; other buffers: bytes */
            Py_buffer view;
            int size = mo_py_float_view(v, &view);
            if (size == 4) st = mo_params_add_vector_f32(p, (const float *)view.buf, (size_t)view.len / 4);
            else if (size == 8) st = mo_params_add_vector_f64(p, (const double *)view.buf, (size_t)view.len / 8);
            else {
                if (PyObject_GetBuffer(v, &view, PyBUF_SIMPLE) < 0) break;
                st = mo_params_add_blob(p, view.buf, (size_t)view.len);
            }
            PyBuffer_Release(&view);
        } else if (PyByteArray_Check(v) || PyMemoryView_Check(v)) {
            Py_buffer view;
            if (PyObject_GetBuffer(v, &view, PyBUF_SIMPLE) < 0) break;
            st = mo_params_add_blob(p, view.buf, (size_t)view.len);
            PyBuffer_Release(&view);
        } else if (PyDateTime_Check(v)) {
            if (((PyDateTime_DateTime *)v)->hastzinfo && ((PyDateTime_DateTime *)v)->tzinfo != Py_None) {
                /* aware datetimes are sent as they read; the server has no zone for DATETIME */
            }
            st = mo_params_add_datetime(p, PyDateTime_GET_YEAR(v), PyDateTime_GET_MONTH(v),
                PyDateTime_GET_DAY(v), PyDateTime_DATE_GET_HOUR(v), PyDateTime_DATE_GET_MINUTE(v),
                PyDateTime_DATE_GET_SECOND(v), PyDateTime_DATE_GET_MICROSECOND(v));
        } else if (PyDate_Check(v)) {
            st = mo_params_add_date(p, PyDateTime_GET_YEAR(v), PyDateTime_GET_MONTH(v), PyDateTime_GET_DAY(v));
        } else if (PyTime_Check(v)) {
            st = mo_params_add_time(p, 0, PyDateTime_TIME_GET_HOUR(v), PyDateTime_TIME_GET_MINUTE(v),
                PyDateTime_TIME_GET_SECOND(v), PyDateTime_TIME_GET_MICROSECOND(v));
        } else if (PyDelta_Check(v)) {
            long long us = ((long long)PyDateTime_DELTA_GET_DAYS(v) * 86400 +
                            PyDateTime_DELTA_GET_SECONDS(v)) * 1000000LL +
                           PyDateTime_DELTA_GET_MICROSECONDS(v);
            int neg = us < 0;
            if (neg) us = -us;
            long long secs = us / 1000000;
            st = mo_params_add_time(p, neg, (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                                    (unsigned)(secs % 60), (unsigned)(us % 1000000));
        } else if (PyList_Check(v) || PyTuple_Check(v)) {
            Py_ssize_t m = PySequence_Size(v);
            double *d = (double *)malloc((size_t)(m > 0 ? m : 1) * sizeof *d);
            if (!d) { PyErr_NoMemory(); break; }
            Py_ssize_t k = 0;
            for (; k < m; k++) {
                PyObject *x = PySequence_GetItem(v, k);
                d[k] = x ? PyFloat_AsDouble(x) : -1.0;
                Py_XDECREF(x);
                if (PyErr_Occurred()) break;
            }
            if (k < m) {
                free(d);
                PyErr_Format(PyExc_TypeError, "parameter %zd: a list parameter must hold numbers (a vector)", i);
                break;
            }
            st = mo_params_add_vector_f64(p, d, (size_t)m);
            free(d);
        } else if (PyDict_Check(v)) {
            if (!mo_py_json_dumps) {
                PyObject *mod = PyImport_ImportModule("json");
                if (!mod) break;
                mo_py_json_dumps = PyObject_GetAttrString(mod, "dumps");
                Py_DECREF(mod);
                if (!mo_py_json_dumps) break;
            }
            PyObject *js = PyObject_CallOneArg(mo_py_json_dumps, v);
            if (!js) break;
            Py_ssize_t len; const char *s = PyUnicode_AsUTF8AndSize(js, &len);
            st = s ? mo_params_add_json(p, s, (size_t)len) : MO_E_INVALID_ARGUMENT;
            Py_DECREF(js);
            if (!s) break;
        } else {
            if (!mo_py_decimal) {
                PyObject *mod = PyImport_ImportModule("decimal");
                if (mod) { mo_py_decimal = PyObject_GetAttrString(mod, "Decimal"); Py_DECREF(mod); }
                if (!mo_py_decimal) break;
            }
            int isdec = PyObject_IsInstance(v, mo_py_decimal);
            if (isdec < 0) break;
            if (!isdec) {
                PyErr_Format(PyExc_TypeError, "parameter %zd: cannot send a %.100s to the server",
                             i, Py_TYPE(v)->tp_name);
                break;
            }
            PyObject *str = PyObject_Str(v);
            if (!str) break;
            Py_ssize_t len; const char *s = PyUnicode_AsUTF8AndSize(str, &len);
            st = s ? mo_params_add_decimal(p, s, (size_t)len) : MO_E_INVALID_ARGUMENT;
            Py_DECREF(str);
            if (!s) break;
        }
        if (st < 0) { mo_swig_raise(mo_error_last(), st); break; }
    }
    Py_DECREF(seq);
}

/* The current row of `r` (after MO_ROW from mo_result_next or an asynchronous next) as a
 * tuple, with the column types of mo_py_meta. */
PyObject *mo_py_row(mo_result *r, PyObject *meta) {
    if (!PyBytes_Check(meta)) { PyErr_SetString(PyExc_TypeError, "meta must come from mo_py_meta"); return NULL; }
    const unsigned char *m = (const unsigned char *)PyBytes_AS_STRING(meta);
    size_t ncol = (size_t)PyBytes_GET_SIZE(meta) / 2;
    return mo_py_typed_row(r, m, ncol);
}

void mo_py_set_error_factory(PyObject *factory) {
    Py_XINCREF(factory);
    Py_XSETREF(mo_py_error_factory, factory);
}
%}
%{
/* The log sink: calls fn(level, message) with the GIL held. Exceptions in fn are printed
 * (a logging failure must never break a statement). */
static void mo_py_log_sink(void *userdata, int level, const char *message, size_t len) {
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *msg = PyUnicode_DecodeUTF8(message, (Py_ssize_t)len, "replace");
    PyObject *r = msg ? PyObject_CallFunction((PyObject *)userdata, "iO", level, msg) : NULL;
    if (!r) PyErr_WriteUnraisable((PyObject *)userdata);
    Py_XDECREF(r);
    Py_XDECREF(msg);
    PyGILState_Release(g);
}
/* The connection hook (hooks.h): fn(executor) with the GIL held, on every new physical
 * connection of a client made from this config. The executor object does not own the handle
 * (it is valid only during the call). fn is mocore's own wrapper (mocore.hooks), which catches
 * and logs the user's exceptions; anything escaping it is printed and reported as a failure. */
static mo_status mo_py_connect_hook(mo_executor *ex, void *userdata) {
    PyGILState_STATE g = PyGILState_Ensure();
    mo_status st = MO_OK;
    PyObject *h = SWIG_NewPointerObj(SWIG_as_voidptr(ex), SWIGTYPE_p_mo_executor, 0);
    PyObject *r = h ? PyObject_CallOneArg((PyObject *)userdata, h) : NULL;
    if (!r) { PyErr_WriteUnraisable((PyObject *)userdata); st = MO_E_INTERNAL; }
    Py_XDECREF(r);
    Py_XDECREF(h);
    PyGILState_Release(g);
    return st;
}
/* LOAD DATA LOCAL progress (load_data.h): fn(bytes_sent, total_bytes) with the GIL held, on
 * the thread of the load call (which released the GIL). A progress report must never break
 * the load: an exception in fn is printed and the load goes on. */
static void mo_py_load_progress(void *userdata, uint64_t bytes_sent, uint64_t total_bytes) {
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *r = PyObject_CallFunction((PyObject *)userdata, "KK",
                                        (unsigned long long)bytes_sent,
                                        (unsigned long long)total_bytes);
    if (!r) PyErr_WriteUnraisable((PyObject *)userdata);
    Py_XDECREF(r);
    PyGILState_Release(g);
}
/* The wait function (async.h): fn(fd, events, timeout_ms) -> the events that happened, with
 * the GIL held, on the thread of the blocking call (which released the GIL). fn may switch
 * greenlets before it returns (mocore._green): the GIL is held at every switch, and the
 * suspended C stack resumes where it left off. A negative answer cancels the call; so does an
 * exception escaping fn (a bug in fn: printed). */
static int mo_py_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
    return Py_IsFinalizing();
#else
    return _Py_IsFinalizing();
#endif
}
static int mo_py_wait(void *userdata, int fd, int events, unsigned timeout_ms) {
    /* A handle released while the interpreter shuts down (a session's rollback, a goodbye)
     * must not run Python code any more: wait as the library would. */
    if (mo_py_finalizing()) return MO_WAIT_USE_POLL;
    PyGILState_STATE g = PyGILState_Ensure();
    int happened = -1;
    PyObject *r = PyObject_CallFunction((PyObject *)userdata, "iiI", fd, events, timeout_ms);
    if (r) {
        happened = (int)PyLong_AsLong(r);
        if (happened == -1 && PyErr_Occurred()) PyErr_WriteUnraisable((PyObject *)userdata);
    } else {
        PyErr_WriteUnraisable((PyObject *)userdata);
    }
    Py_XDECREF(r);
    PyGILState_Release(g);
    return happened;
}
%}
%inline %{
/* The wait function of the config: fn(fd, events, timeout_ms) (None restores poll()). fn is
 * kept forever (one reference per call): clients copy it and may outlive every Python object
 * that knew it; it is a module-level function (mocore._green.wait). */
void mo_py_config_set_wait_callable(mo_config *cfg, PyObject *fn) {
    if (fn != Py_None) Py_INCREF(fn);
    mo_status st = (fn == Py_None) ? mo_config_set_wait_function(cfg, NULL, NULL)
                                   : mo_config_set_wait_function(cfg, mo_py_wait, fn);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
}
/* The progress callable of load options: fn(bytes_sent, total_bytes) (None removes it). The
 * caller keeps fn alive for as long as the options are used (mocore.load_data does). */
void mo_py_load_options_set_progress_callable(mo_load_options *o, PyObject *fn) {
    mo_status st = (fn == Py_None) ? mo_load_options_set_progress(o, NULL, NULL)
                                   : mo_load_options_set_progress(o, mo_py_load_progress, fn);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
}
/* The connection hook of the config: fn(executor) (None removes it). The caller keeps fn
 * alive for as long as any client made from this config exists (mocore.Client stores it). */
void mo_py_config_set_connect_callable(mo_config *cfg, PyObject *fn) {
    mo_status st = (fn == Py_None) ? mo_config_set_connect_hook(cfg, NULL, NULL)
                                   : mo_config_set_connect_hook(cfg, mo_py_connect_hook, fn);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
}
/* Route the config's log lines to fn(level, message). The caller keeps fn alive for as long
 * as any client made from this config exists (mocore.Client stores it). None restores the
 * default sink. */
void mo_py_config_set_log_callable(mo_config *cfg, PyObject *fn) {
    mo_status st = (fn == Py_None) ? mo_config_set_log_sink(cfg, NULL, NULL)
                                   : mo_config_set_log_sink(cfg, mo_py_log_sink, fn);
    if (st < 0) mo_swig_raise(mo_error_last(), st);
}
%}

/* ---------------------------------------------------------------- mocore.dbapi description
 * mo_py_describe: the PEP 249 ``cursor.description`` of a result in one call (the cursor asks
 * for it after every statement that returns rows; column by column it took 2-3 calls per
 * column). One 7-tuple per column: (name, type_code, None, display_size = the column length,
 * precision and scale = length and decimals for DECIMAL/FLOAT/DOUBLE else None, null_ok).
 * Names decode as mo_result_column_name's wrapper does (UTF-8, surrogateescape). Read it
 * before a stream is drained (a finished stream no longer has its metadata). */
%nothread mo_py_describe;
%apply PyObject *MO_PYRET { PyObject *mo_py_describe };
%inline %{
PyObject *mo_py_describe(mo_result *r) {
    if (!r) { mo_swig_raise(NULL, MO_E_INVALID_ARGUMENT); return NULL; }
    size_t ncol = mo_result_column_count(r);
    PyObject *desc = PyList_New((Py_ssize_t)ncol);
    for (size_t i = 0; desc && i < ncol; i++) {
        const char *name = NULL; size_t name_len = 0;
        mo_type t; unsigned flags, decimals; uint64_t length;
        mo_status st = mo_result_column_name(r, i, &name, &name_len);
        if (st >= 0) st = mo_result_column_type(r, i, &t);
        if (st >= 0) st = mo_result_column_flags(r, i, &flags);
        if (st >= 0) st = mo_result_column_length(r, i, &length);
        if (st >= 0) st = mo_result_column_decimals(r, i, &decimals);
        if (st < 0) { mo_swig_raise(mo_error_last(), st); Py_CLEAR(desc); break; }
        int numeric = t == MO_TYPE_DECIMAL || t == MO_TYPE_FLOAT || t == MO_TYPE_DOUBLE;
        PyObject *n = name ? PyUnicode_DecodeUTF8(name, (Py_ssize_t)name_len, "surrogateescape")
                           : (Py_INCREF(Py_None), Py_None);
        PyObject *col = !n ? NULL
            : numeric ? Py_BuildValue("(NkOKKkO)", n, (unsigned long)t, Py_None,
                                      (unsigned long long)length, (unsigned long long)length,
                                      (unsigned long)decimals,
                                      (flags & MO_COLUMN_NOT_NULL) ? Py_False : Py_True)
                      : Py_BuildValue("(NkOKOOO)", n, (unsigned long)t, Py_None,
                                      (unsigned long long)length, Py_None, Py_None,
                                      (flags & MO_COLUMN_NOT_NULL) ? Py_False : Py_True);
        if (!col) { Py_CLEAR(desc); break; }
        PyList_SET_ITEM(desc, (Py_ssize_t)i, col);
    }
    return desc;
}
%}
/* ---------------------------------------------------------------- end of mocore.dbapi description */
/* A text leaf of a manager call's outcome (bindings/managers/call.h) with its length: str
 * (undecodable bytes as surrogates, as every C text of the binding), None for no text. */
%nothread mo_py_call_text;
%apply PyObject *MO_PYRET { PyObject *mo_py_call_text };
%inline %{
PyObject *mo_py_call_text(const mo_call *c, size_t leaf) {
    size_t len = 0;
    const char *s = mo_call_outcome_text(c, leaf, &len);
    if (!s) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "surrogateescape");
}
%}
/* A str in MatrixOne's vector form ("[1,2.5]", as a search sends a vecf32 column) as a list
 * of float, parsed by mo_text_to_vector (mo_py_vector); any other value as it is. */
%nothread mo_py_text_vector;
%apply PyObject *MO_PYRET { PyObject *mo_py_text_vector };
%inline %{
PyObject *mo_py_text_vector(PyObject *value) {
    Py_ssize_t n = 0;
    const char *s = PyUnicode_Check(value) ? PyUnicode_AsUTF8AndSize(value, &n) : NULL;
    PyObject *list = s ? mo_py_vector_list(s, (size_t)n) : NULL;
    if (list || (s && PyErr_Occurred())) return list;
    PyErr_Clear();   /* a str that is not UTF-8 is no vector either */
    Py_INCREF(value);
    return value;
}
%}
%enddef

/* The helpers that set a Python error return None otherwise; check it. */
%exception mo_py_params_add {
    $action
    if (PyErr_Occurred()) SWIG_fail;
}
%exception mo_py_set_error_factory { $action }
%exception mo_py_config_set_log_callable {
    $action
    if (PyErr_Occurred()) SWIG_fail;
}
%exception mo_py_config_set_connect_callable {
    $action
    if (PyErr_Occurred()) SWIG_fail;
}
%exception mo_py_config_set_wait_callable {
    $action
    if (PyErr_Occurred()) SWIG_fail;
}
%exception mo_py_load_options_set_progress_callable {
    $action
    if (PyErr_Occurred()) SWIG_fail;
}
%exception {
    mo_swig_status = MO_OK;
    $action
}

/* ---------------------------------------------------------------- mocore.dbapi placeholders
 * mo_py_format: a statement written with PyMySQL's placeholders in the `?` form the C core
 * renders, and its values in placeholder order. `named` 0: the format style, `%s` filled from
 * the sequence `params`; 1: the pyformat style, `%(name)s` filled from the mapping `params`.
 * The placeholders are the ones mo_sql_format_placeholders finds (the library's lexer: none
 * inside literals, identifiers or comments). Each becomes `?`; a list or tuple value becomes
 * `(?, ?, ...)` with its items as the values (PyMySQL's expansion for IN; `()` when empty);
 * every `%%` becomes `%`, inside literals too (PyMySQL runs Python's `%` over the whole text
 * once parameters are given). Returns (sql, values), or None for a sequence and a statement
 * with `?` placeholders and no `%s` (the qmark style: the C core takes it as it is). Every
 * mistake is INVALID_ARGUMENT naming the style it saw. Values are never pasted here: the
 * C core renders them into the `?` places. */
%nothread mo_py_format;
%apply PyObject *MO_PYOBJ { PyObject *sql, PyObject *params };
%apply PyObject *MO_PYRET { PyObject *mo_py_format };
%{
typedef struct { char *data; size_t len, cap; } mo_py_text;

static int mo_py_text_add(mo_py_text *t, const char *s, size_t n) {
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n) cap *= 2;
        char *d = realloc(t->data, cap);
        if (!d) { PyErr_NoMemory(); return -1; }
        t->data = d; t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    return 0;
}

/* Template bytes s[0..n) with each %% as one %. */
static int mo_py_text_add_template(mo_py_text *t, const char *s, size_t n) {
    size_t run = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '%' || s[i + 1] != '%') continue;
        if (mo_py_text_add(t, s + run, i + 1 - run) < 0) return -1;
        run = i + 2;
        i++;
    }
    return mo_py_text_add(t, s + run, n - run);
}

static PyObject *mo_py_format_fail(const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    mo_swig_raise_invalid("cursor.execute", msg);
    return NULL;
}
%}
%inline %{
PyObject *mo_py_format(PyObject *sql, PyObject *params, int named) {
    Py_ssize_t sql_n;
    const char *s = PyUnicode_Check(sql) ? PyUnicode_AsUTF8AndSize(sql, &sql_n) : NULL;
    if (!s) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "sql must be a str");
        return NULL;
    }
    size_t len = (size_t)sql_n, count = 0, qmarks = 0;
    size_t small_at[32], small_len[32];
    size_t *at = small_at, *hole_len = small_len;
    mo_status st = mo_sql_format_placeholders(&count, &qmarks, s, len, at, hole_len, 32);
    if (st < 0) { mo_swig_raise(mo_error_last(), st); return NULL; }
    if (count > 32) {
        at = malloc(count * sizeof *at);
        hole_len = malloc(count * sizeof *hole_len);
        if (!at || !hole_len) { free(at); free(hole_len); return PyErr_NoMemory(); }
        st = mo_sql_format_placeholders(&count, &qmarks, s, len, at, hole_len, count);
        if (st < 0) { free(at); free(hole_len); mo_swig_raise(mo_error_last(), st); return NULL; }
    }
    PyObject *result = NULL, *values = NULL;
    mo_py_text out = {NULL, 0, 0};
    size_t positional = 0;
    for (size_t k = 0; k < count; k++) positional += hole_len[k] == 2;
    if (!named && qmarks && !count) { Py_INCREF(Py_None); result = Py_None; goto done; }
    if (qmarks) {
        mo_py_format_fail("statement mixes ? placeholders (qmark style) with %s; use one style",
                          count ? "%s or %(name)s placeholders (format/pyformat)"
                                : "a mapping of parameters (pyformat takes %(name)s)");
        goto done;
    }
    if (!named && positional != count) {
        mo_py_format_fail("statement has %%(name)s placeholders (pyformat style): give the "
                          "parameters as a mapping, not a sequence");
        goto done;
    }
    if (named && positional) {
        mo_py_format_fail("statement has %%s placeholders (format style): give the parameters "
                          "as a sequence, not a mapping");
        goto done;
    }
    if (!named && (Py_ssize_t)count != PySequence_Size(params)) {
        Py_ssize_t given = PySequence_Size(params);
        if (given < 0) goto done;
        mo_py_format_fail("statement has %zu %%s placeholder%s (format style) but %zd parameter%s "
                          "given", count, count == 1 ? "" : "s", given,
                          given == 1 ? " was" : "s were");
        goto done;
    }
    values = PyList_New(0);
    if (!values) goto done;
    size_t from = 0;
    for (size_t k = 0; k < count; k++) {
        if (mo_py_text_add_template(&out, s + from, at[k] - from) < 0) goto done;
        from = at[k] + hole_len[k];
        PyObject *v;
        if (named) {
            PyObject *key = PyUnicode_DecodeUTF8(s + at[k] + 2, (Py_ssize_t)(hole_len[k] - 4),
                                                 "surrogateescape");
            if (!key) goto done;
            v = PyObject_GetItem(params, key);
            if (!v && PyErr_ExceptionMatches(PyExc_KeyError)) {
                PyErr_Clear();
                mo_py_format_fail("statement has the placeholder %%(%.200s)s (pyformat style) "
                                  "but the parameters have no '%.200s'", PyUnicode_AsUTF8(key),
                                  PyUnicode_AsUTF8(key));
            }
            Py_DECREF(key);
        } else {
            v = PySequence_GetItem(params, (Py_ssize_t)k);
        }
        if (!v) goto done;
        int failed;
        if (PyList_Check(v) || PyTuple_Check(v)) {
            /* PyMySQL's rule: a sequence is a parenthesized list of its items (IN %s). */
            Py_ssize_t n = PySequence_Size(v);
            failed = n < 0 || mo_py_text_add(&out, "(", 1) < 0;
            for (Py_ssize_t i = 0; !failed && i < n; i++) {
                PyObject *item = PySequence_GetItem(v, i);
                failed = !item || mo_py_text_add(&out, i ? ",?" : "?", i ? 2 : 1) < 0 ||
                         PyList_Append(values, item) < 0;
                Py_XDECREF(item);
            }
            if (!failed) failed = mo_py_text_add(&out, ")", 1) < 0;
        } else {
            failed = mo_py_text_add(&out, "?", 1) < 0 || PyList_Append(values, v) < 0;
        }
        Py_DECREF(v);
        if (failed) goto done;
    }
    if (mo_py_text_add_template(&out, s + from, len - from) < 0) goto done;
    PyObject *text = PyUnicode_DecodeUTF8(out.data ? out.data : "", (Py_ssize_t)out.len,
                                          "surrogatepass");
    if (text) result = PyTuple_Pack(2, text, values);
    Py_XDECREF(text);
done:
    Py_XDECREF(values);
    free(out.data);
    if (at != small_at) { free(at); free(hole_len); }
    return result;
}
%}

/* mo_py_insert_row: for executemany, INSERT|REPLACE ... VALUES (row) [tail] cut where
 * mo_sql_insert_row says: (head, row, tail, placeholders in the row) as str, the tail without
 * a final ';'; None when the statement is not of that shape. */
%nothread mo_py_insert_row;
%apply PyObject *MO_PYRET { PyObject *mo_py_insert_row };
%inline %{
PyObject *mo_py_insert_row(PyObject *sql) {
    Py_ssize_t n;
    const char *s = PyUnicode_Check(sql) ? PyUnicode_AsUTF8AndSize(sql, &n) : NULL;
    if (!s) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "sql must be a str");
        return NULL;
    }
    size_t start, end, holes, tail_end;
    mo_status st = mo_sql_insert_row(&start, &end, &holes, &tail_end, s, (size_t)n);
    if (st < 0) { mo_swig_raise(mo_error_last(), st); return NULL; }
    if (st == MO_DONE) Py_RETURN_NONE;
    return Py_BuildValue("(s#s#s#n)", s, (Py_ssize_t)start, s + start, (Py_ssize_t)(end - start),
                         s + end, (Py_ssize_t)(tail_end - end), (Py_ssize_t)holes);
}
%}

/* mo_py_quote_identifier: `name` as a backtick-quoted identifier, by the library's one
 * identifier function (mo_sql_append_identifier: inner backticks doubled; NUL, invalid UTF-8,
 * empty and overlong names refused with InvalidArgumentError naming `what` and `op`). For the
 * Python layers that build a statement no C manager makes (mocore.matrixone's index helpers):
 * the same quoting as every manager's. */
%nothread mo_py_quote_identifier;
%apply PyObject *MO_PYOBJ { PyObject *name };
%apply PyObject *MO_PYRET { PyObject *mo_py_quote_identifier };
%{
#include "internal.h"   /* mo_sql_append_identifier */
%}
%inline %{
PyObject *mo_py_quote_identifier(PyObject *name, const char *what, const char *op) {
    Py_ssize_t n;
    const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &n) : NULL;
    if (!s) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "%s must be a str, not %s", what ? what : "name",
                         Py_TYPE(name)->tp_name);
        return NULL;
    }
    if (strlen(s) != (size_t)n) {
        mo_swig_raise_invalid(op ? op : "quote_identifier", "a name must not contain NUL");
        return NULL;
    }
    mo_buf b;
    mo_buf_init(&b);
    mo_status st = mo_sql_append_identifier(&b, s, what ? what : "name",
                                            op ? op : "quote_identifier");
    if (st < 0) { mo_buf_free(&b); mo_swig_raise(mo_error_last(), st); return NULL; }
    if (!mo_buf_ok(&b)) { mo_buf_free(&b); return PyErr_NoMemory(); }
    PyObject *out = PyUnicode_FromStringAndSize(b.data, (Py_ssize_t)b.len);
    mo_buf_free(&b);
    return out;
}
%}

/* mo_py_create_table_sql: the CREATE TABLE of mocore.matrixone's create_table helpers: mo_table_create's
 * statement (the same type strings, the same quoting) where a single integer primary key column
 * also gets AUTO_INCREMENT, as the SDK's SQLAlchemy table builder gives it. The Python layer
 * runs the text on the right connection (a client, a session's transaction, an async target). */
%nothread mo_py_create_table_sql;
%apply PyObject *MO_PYRET { PyObject *mo_py_create_table_sql };
%apply (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN) {
    (const char *const *column_names, const char *const *column_types, size_t column_count) };
%{
#include "managers_internal.h"   /* mo_table_create_sql */
%}
%inline %{
PyObject *mo_py_create_table_sql(const char *table, const char *const *column_names,
                                 const char *const *column_types, size_t column_count,
                                 const char *primary_key) {
    const char *op = "table.create_table";
    mo_buf b;
    mo_buf_init(&b);
    mo_status st = mo_table_create_sql(&b, table, column_names, column_types, column_count,
                                       primary_key, 1, op);
    if (st < 0) { mo_buf_free(&b); mo_swig_raise(mo_error_last(), st); return NULL; }
    if (!mo_buf_ok(&b)) { mo_buf_free(&b); return PyErr_NoMemory(); }
    PyObject *out = PyUnicode_FromStringAndSize(b.data, (Py_ssize_t)b.len);
    mo_buf_free(&b);
    return out;
}
%}
