/* bindings/mocore.i — the one SWIG description of the mocore C ABI.
 *
 * Every language's binding is generated from this file. It wraps the public headers in
 * capi/mocore/ directly: handles become classes whose destructor is the C _free/_close,
 * `TYPE **out` parameters become return values, `const char *, size_t` pairs take the
 * language's string/bytes, and every mo_status is checked: a negative status raises the
 * language's exception built from mo_error_last() (category, server code, SQLSTATE,
 * message, operation). Error classes are generated at load time from the table in
 * capi/mocore/error_categories.def (mo_swig_category_* below), never written out by hand.
 *
 * The per-language file is included FIRST because it defines the typemaps for the named
 * patterns used here (MO_HANDLE_OUT, MO_BYTES, MO_STR_OUT, MO_INT_OUT, MO_DOUBLE_OUT), the
 * function mo_swig_raise(), and the language's fast row builder (one C call per row or per
 * batch of rows, using mo_result_row() + the column types).
 *
 * Status checking: %exception resets mo_swig_status before the call (so no error is ever
 * stale) and releases the GIL/GVL where the language needs it; the `out` typemap of
 * mo_status checks the returned status and raises. Functions that return a state
 * (mo_result_next) return the integer; all others return nothing or their out values.
 *
 * Generated code is produced by the build (CMake or setup.py); it is never committed. */
%module mocore_core

%{
#include "mocore.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>

/* The status of the wrapped call in flight (per thread: calls release the GIL/GVL). */
static _Thread_local mo_status mo_swig_status = MO_OK;

/* The error-category table, from the one .def file. */
typedef struct { const char *name; int number; const char *lower; const char *pep249; }
    mo_swig_category;
static const mo_swig_category mo_swig_categories[] = {
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249) { #NAME, NUMBER, #LOWER, #PEP249 },
#include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY
};
#define MO_SWIG_NCATEGORIES (sizeof mo_swig_categories / sizeof mo_swig_categories[0])
/* The INVALID_ARGUMENT message for a C-string argument holding a NUL (NULL when none). */
static const char *mo_swig_cstr_nul(const char *s, size_t len, const char *arg, char *buf, size_t cap) {
    const char *nul = s ? (const char *)memchr(s, '\0', len) : NULL;
    if (!nul) return NULL;
    snprintf(buf, cap, "argument '%s' contains a NUL byte at offset %zu: names and options "
             "cannot hold NUL (it would cut the value short)", arg, (size_t)(nul - s));
    return buf;
}
%}

%nodefaultctor;

#if defined(SWIGPYTHON)
%include "python/mocore_python.i"
#elif defined(SWIGRUBY)
%include "ruby/mocore_ruby.i"
#elif defined(SWIGLUA)
%include "lua/mocore_lua.i"
#else
#error "mocore.i: no idiom file for this language"
#endif

/* ---------------------------------------------------------------- the category table */
%inline %{
/* Number of categories; then name ("CONSTRAINT"), number (13, status -13), lower name
 * ("constraint") and PEP 249 base ("IntegrityError") of entry i. */
static int mo_swig_category_count(void) { return (int)MO_SWIG_NCATEGORIES; }
static const char *mo_swig_category_name(int i) {
    return (i >= 0 && (size_t)i < MO_SWIG_NCATEGORIES) ? mo_swig_categories[i].name : "";
}
static int mo_swig_category_number(int i) {
    return (i >= 0 && (size_t)i < MO_SWIG_NCATEGORIES) ? mo_swig_categories[i].number : 0;
}
static const char *mo_swig_category_lower(int i) {
    return (i >= 0 && (size_t)i < MO_SWIG_NCATEGORIES) ? mo_swig_categories[i].lower : "";
}
static const char *mo_swig_category_pep249(int i) {
    return (i >= 0 && (size_t)i < MO_SWIG_NCATEGORIES) ? mo_swig_categories[i].pep249 : "";
}
%}

/* ---------------------------------------------------------------- status checking */
%typemap(out) mo_status {
    if ($1 < 0) { mo_swig_status = $1; mo_swig_raise(mo_error_last(), $1); SWIG_fail; }
    MO_SWIG_OUT_VOID
}
/* mo_result_next returns MO_ROW / MO_DONE to the caller. */
%typemap(out) mo_status mo_result_next {
    if ($1 < 0) { mo_swig_status = $1; mo_swig_raise(mo_error_last(), $1); SWIG_fail; }
    MO_SWIG_OUT_INT($1)
}
/* The asynchronous calls (mocore/async.h) return their state too: MO_AGAIN while the op
 * waits, else its final status (MO_OK, MO_ROW, MO_DONE); errors raise. */
%typemap(out) mo_status mo_client_connect_start, mo_status mo_client_execute_start,
    mo_status mo_client_ping_start, mo_status mo_client_close_start,
    mo_status mo_client_kill_query_start,
    mo_status mo_session_open_start, mo_status mo_session_execute_start,
    mo_status mo_session_commit_start, mo_status mo_session_rollback_start,
    mo_status mo_session_close_start, mo_status mo_result_next_start,
    mo_status mo_pool_acquire_start,
    mo_status mo_op_continue, mo_status mo_op_finish {
    if ($1 < 0) { mo_swig_status = $1; mo_swig_raise(mo_error_last(), $1); SWIG_fail; }
    MO_SWIG_OUT_INT($1)
}

/* ---------------------------------------------------------------- C strings in
 * Every other `const char *` argument (names, options, URLs, paths, filters) is a C string:
 * a NUL inside the language's string would end it early and the C side would see a shorter
 * value without anyone noticing ("a\0; DROP" would become "a"). So every binding takes the
 * language string WITH its length and refuses one that contains a NUL, with the language's
 * invalid-argument error (operation: the C function; message: the argument), before the C
 * function runs. Arguments that are data — `(const char *, size_t)` pairs: SQL text,
 * parameter values, blobs, the fulltext query — keep accepting NUL as data (MO_BYTES below).
 *
 * One typemap for all languages; each language file provides two pieces:
 *   MO_SWIG_CSTR_GET(INPUT, PTR, LEN)  read the argument: nil/None -> PTR = NULL, a string ->
 *                                      PTR + LEN (its bytes, alive during the call), anything
 *                                      else -> the language's type error and SWIG_fail;
 *   mo_swig_raise_invalid(op, msg)     set the INVALID_ARGUMENT error of the language.
 * A language file that does not define MO_SWIG_CSTR_GET keeps its own `const char *`
 * typemap (it must then reject NUL itself). */
#ifdef MO_SWIG_CSTR_GET
%typemap(in) const char * (size_t cstr_len = 0, char cstr_msg[160]) {
    MO_SWIG_CSTR_GET($input, $1, cstr_len)
    if (mo_swig_cstr_nul($1, cstr_len, "$1_name", cstr_msg, sizeof cstr_msg)) {
        mo_swig_raise_invalid("$symname", cstr_msg);
        SWIG_fail;
    }
}
%typemap(freearg) const char * ""
#endif

/* ---------------------------------------------------------------- parameter patterns */
MO_HANDLE_OUT(mo_config)
MO_HANDLE_OUT(mo_client)
MO_HANDLE_OUT(mo_session)
MO_HANDLE_OUT(mo_result)
MO_HANDLE_OUT(mo_params)
MO_HANDLE_OUT(mo_op)
MO_HANDLE_OUT(mo_pool)
/* managers: the executor, every record and every list come back owned */
MO_HANDLE_OUT(mo_executor)
MO_HANDLE_OUT(mo_snapshot)      MO_HANDLE_OUT(mo_snapshot_list)
MO_HANDLE_OUT(mo_pitr)          MO_HANDLE_OUT(mo_pitr_list)
MO_HANDLE_OUT(mo_publication)   MO_HANDLE_OUT(mo_publication_list)
MO_HANDLE_OUT(mo_subscription)  MO_HANDLE_OUT(mo_subscription_list)
MO_HANDLE_OUT(mo_account)       MO_HANDLE_OUT(mo_account_list)
MO_HANDLE_OUT(mo_user)          MO_HANDLE_OUT(mo_user_list)
MO_HANDLE_OUT(mo_role)          MO_HANDLE_OUT(mo_role_list)
MO_HANDLE_OUT(mo_grant)         MO_HANDLE_OUT(mo_grant_list)
/* vector.h, metadata.h, moctl.h */
MO_HANDLE_OUT(mo_ivf_stats)     MO_HANDLE_OUT(mo_moctl_result)
MO_HANDLE_OUT(mo_metadata_row)  MO_HANDLE_OUT(mo_metadata_row_list)
MO_HANDLE_OUT(mo_table_stats)   MO_HANDLE_OUT(mo_table_stats_list)
/* load_data / stage / cdc / export (load_data.h, stage.h, cdc.h, strmap.h) */
MO_HANDLE_OUT(mo_strmap)        MO_HANDLE_OUT(mo_load_options)
MO_HANDLE_OUT(mo_stage)         MO_HANDLE_OUT(mo_stage_list)
MO_HANDLE_OUT(mo_cdc_task)      MO_HANDLE_OUT(mo_cdc_task_list)
MO_HANDLE_OUT(mo_cdc_watermark) MO_HANDLE_OUT(mo_cdc_watermark_list)

%apply (const char *MO_BYTES, size_t MO_BYTES_LEN) {
    (const char *sql, size_t sql_len), (const char *value, size_t len),
    (const void *value, size_t len), (const char *query, size_t query_len),
    (const char *data, size_t data_len) };
/* A vector argument (a list of numbers or a float buffer: one language value for
 * pointer + element count + element type), name lists (insert columns), and the (name, type)
 * pairs of create_table. Each language file defines the MO_VEC, MO_STRV and MO_NAMES/MO_TYPES
 * typemaps; every string in a list is checked for NUL like a C-string argument. */
%apply (const void *MO_VEC, size_t MO_VEC_LEN, mo_vector_element MO_VEC_ELEM) {
    (const void *query, size_t dimension, mo_vector_element element) };
%apply (const char *const *MO_STRV, size_t MO_STRV_LEN) {
    (const char *const *columns, size_t column_count) };
%apply (const char *const *MO_NAMES, const char *const *MO_TYPES, size_t MO_PAIRS_LEN) {
    (const char *const *column_names, const char *const *column_types, size_t column_count) };
%apply int64_t *MO_INT_OUT { int64_t *centroid_id, int64_t *centroid_version, int64_t *entry_count };
%apply uint64_t *MO_INT_OUT { uint64_t *affected_rows };
%apply (const char **MO_STR_OUT, size_t *MO_STR_OUT_LEN) {
    (const char **sql, size_t *sql_len), (const char **name, size_t *name_len),
    (const char **out, size_t *len) };
%apply const char **MO_CSTR_OUT { const char **out, const char **uri, const char **host };
%apply int *MO_INT_OUT { int *is_null, int *exists, int *up };
%apply unsigned *MO_INT_OUT { unsigned *out, unsigned *major, unsigned *minor, unsigned *patch,
                              unsigned *flags, unsigned *decimals, unsigned *port,
                              unsigned *connections };
%apply mo_type *MO_INT_OUT { mo_type *type };
%apply mo_server_kind *MO_INT_OUT { mo_server_kind *kind };
%apply size_t *MO_INT_OUT { size_t *out, size_t *up_count };
%apply int64_t *MO_INT_OUT { int64_t *out };
%apply uint64_t *MO_INT_OUT { uint64_t *out, uint64_t *length };
%apply double *MO_DOUBLE_OUT { double *out };

/* Raw pointers and callbacks that have no meaning in a scripting language: the whole-row
 * accessor is used by the row builders in C; blobs come through the row builders; the log
 * sink and the transaction callback have per-language wrappers. */
%ignore mo_result_row;
%ignore mo_result_row_typed;
%ignore mo_result_get_blob;
%ignore mo_config_set_log_sink;
%ignore mo_client_transaction;
%ignore mo_params_add_vector_f32;
%ignore mo_params_add_vector_f64;
%ignore mo_config_set_connect_hook;   /* per language: mo_py_config_set_connect_callable */
%ignore mo_config_set_wait_function; /* per language: mo_py_config_set_wait_callable */
%ignore mo_load_options_set_progress; /* per language: mo_py_load_options_set_progress_callable */
%ignore mo_sql_format_placeholders; /* per language: mo_py_format (Python's DB-API) */
%ignore mo_sql_insert_row;          /* per language: mo_py_insert_row (Python's DB-API) */
%ignore MO_E__LAST_PLUS_ONE_;

/* ---------------------------------------------------------------- handles */
/* SWIG sees each opaque handle as an empty struct so that it can own it; the destructor is
 * the C release function (which accepts NULL, and which the C side makes safe in any
 * order: a result keeps its session and client alive). */
struct mo_config {};  struct mo_client {};  struct mo_session {};
struct mo_result {};  struct mo_params {};
%extend mo_config  { ~mo_config()  { mo_config_free($self); } }
%extend mo_client  { ~mo_client()  { mo_client_close($self); } }
%extend mo_session { ~mo_session() { mo_session_close($self); } }
%extend mo_result  { ~mo_result()  { mo_result_free($self); } }
%extend mo_params  { ~mo_params()  { mo_params_free($self); } }
%ignore mo_config_free; %ignore mo_client_close; %ignore mo_session_close;
%ignore mo_result_free; %ignore mo_params_free;
struct mo_op {};
%extend mo_op { ~mo_op() { mo_op_free($self); } }
%ignore mo_op_free;
/* A pool is shared by threads; its clients are ordinary clients (their destructor,
 * mo_client_close, gives them back). */
struct mo_pool {};
%extend mo_pool { ~mo_pool() { mo_pool_free($self); } }
%ignore mo_pool_free;

/* Managers (capi/mocore/managers.h). The executor and every record/list handle are owned
 * objects whose destructor is the C _free. A list's _get(i) returns a record BORROWED from the
 * list: it is wrapped as a non-owning object (no destructor), and each language's thin layer
 * copies its fields into a native object (dataclass / table / Struct) at once, while it still
 * holds the list, so no borrowed record outlives its list. (Were one kept anyway, its
 * accessors return NULL/0 once the list is gone: the handle registry checks every call.)
 * The field names of each record (for generic conversion) come from mo_swig_record_fields()
 * below, one table for every language. */
%define MO_SWIG_RECORD(T)
struct T {};
%extend T { ~T() { T##_free($self); } }
%ignore T##_free;
struct T##_list {};
%extend T##_list { ~T##_list() { T##_list_free($self); } }
%ignore T##_list_free;
%enddef
struct mo_executor {};
%extend mo_executor { ~mo_executor() { mo_executor_free($self); } }
%ignore mo_executor_free;
MO_SWIG_RECORD(mo_snapshot)     MO_SWIG_RECORD(mo_pitr)
MO_SWIG_RECORD(mo_publication)  MO_SWIG_RECORD(mo_subscription)
MO_SWIG_RECORD(mo_account)      MO_SWIG_RECORD(mo_user)
MO_SWIG_RECORD(mo_role)         MO_SWIG_RECORD(mo_grant)
MO_SWIG_RECORD(mo_metadata_row) MO_SWIG_RECORD(mo_table_stats)
struct mo_ivf_stats {};
%extend mo_ivf_stats { ~mo_ivf_stats() { mo_ivf_stats_free($self); } }
%ignore mo_ivf_stats_free;
struct mo_moctl_result {};
%extend mo_moctl_result { ~mo_moctl_result() { mo_moctl_result_free($self); } }
%ignore mo_moctl_result_free;
MO_SWIG_RECORD(mo_stage)        MO_SWIG_RECORD(mo_cdc_task)
MO_SWIG_RECORD(mo_cdc_watermark)
struct mo_strmap {};
%extend mo_strmap { ~mo_strmap() { mo_strmap_free($self); } }
%ignore mo_strmap_free;
struct mo_load_options {};
%extend mo_load_options { ~mo_load_options() { mo_load_options_free($self); } }
%ignore mo_load_options_free;
/* Borrowed parents have no use in a scripting language (the binding keeps its own). */
%ignore mo_executor_client;
%ignore mo_executor_session;

/* The error accessors are exposed for completeness; the raise path uses them in C. */
%ignore mo_error_last;

/* ---------------------------------------------------------------- the headers */
#define MO_API
#define MO_BEGIN_DECLS
#define MO_END_DECLS
%include <stdint.i>
typedef int mo_status;
%include "mocore/common.h"
/* Category constants MO_E_<NAME>, from the same table. */
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249) %constant int MO_E_##NAME = -(NUMBER);
%include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY
%include "mocore/error.h"
%include "mocore/config.h"
%include "mocore/params.h"
%include "mocore/client.h"
%include "mocore/session.h"
%include "mocore/result.h"
%include "mocore/managers.h"
%include "mocore/vector.h"
%include "mocore/fulltext.h"
%include "mocore/metadata.h"
%include "mocore/moctl.h"
%include "mocore/table.h"
%include "mocore/hooks.h"
%include "mocore/strmap.h"
%include "mocore/load_data.h"
%include "mocore/stage.h"
%include "mocore/cdc.h"
%include "mocore/export.h"

/* ---------------------------------------------------------------- record field tables */
/* The fields of each record kind: bindings/managers/record_fields.c (one table, read by C's
 * manager calls, by bindings/managers/model.py and, through this, by every language). */
%{
const char *mo_swig_record_fields(const char *kind);
%}
const char *mo_swig_record_fields(const char *kind);
/* ---------------------------------------------------------------- manager calls
 * bindings/managers/call.h: a manager method called with its arguments as a shape and one
 * mo_params of leaf values, checked and run in C. Each language file may give
 * mo_call_outcome_text its (pointer, length) typemap; the default reads a C string. */
%{
#include "managers/call.h"
%}
struct mo_call {};
%extend mo_call { ~mo_call() { mo_call_free($self); } }
%ignore mo_call_free;
MO_HANDLE_OUT(mo_call)
%newobject mo_call_take_result;
%include "managers/call.h"

%include "mocore/async.h"
%include "mocore/pool.h"

#if defined(SWIGPYTHON)
/* Not in the C ABI: the server's max_allowed_packet as the core reads it (once per
 * connection, shared with the executor's own check and the batch inserts), for mocore.dbapi,
 * whose executemany splits rows by it. The extension links the library's objects, so the
 * internal function is there. */
%{
mo_status mo_client_max_allowed_packet(mo_client *c, uint64_t *out);
%}
mo_status mo_client_max_allowed_packet(mo_client *c, uint64_t *out);
#endif

/* The per-language extras that need the declarations above (row builders, sinks). */
MO_SWIG_LANGUAGE_EXTRAS
