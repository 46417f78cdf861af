/** @file
 * capi/mocore/params.h — typed values for `?` placeholders. */
#ifndef MOCORE_PARAMS_H
#define MOCORE_PARAMS_H
#include "mocore/common.h"

MO_BEGIN_DECLS

/** An ordered list of typed values, one per `?` placeholder (0-based). The library renders
 *  each value as an SQL literal the server reads back exactly: strings escaped for the
 *  connection's current NO_BACKSLASH_ESCAPES mode, blobs as hex literals, temporal values
 *  quoted, floats in shortest round-trip form. Values are copied when added. */
MO_API mo_status mo_params_new(mo_params **out);
/** Release the parameters. NULL is a no-op. */
MO_API void mo_params_free(mo_params *p);
/** Remove every value, keeping the handle for reuse. */
MO_API mo_status mo_params_clear(mo_params *p);
/** The number of values added. 0 for NULL. */
MO_API size_t mo_params_count(const mo_params *p);

/** Append an SQL NULL. */
MO_API mo_status mo_params_add_null(mo_params *p);
/** Append a boolean (sent as 1 or 0: value != 0). */
MO_API mo_status mo_params_add_bool(mo_params *p, int value);
/** Append a signed integer. */
MO_API mo_status mo_params_add_int64(mo_params *p, int64_t value);
/** Append an unsigned integer. */
MO_API mo_status mo_params_add_uint64(mo_params *p, uint64_t value);
/** NaN and infinities are rejected with MO_E_INVALID_ARGUMENT. */
MO_API mo_status mo_params_add_double(mo_params *p, double value);
/** UTF-8 text; may contain NUL. Invalid UTF-8 is rejected with MO_E_INVALID_ARGUMENT. */
MO_API mo_status mo_params_add_text(mo_params *p, const char *value, size_t len);
/** Arbitrary bytes, sent as a hex literal X'...'. */
MO_API mo_status mo_params_add_blob(mo_params *p, const void *value, size_t len);
/** A decimal number given as text ("-12.50", "1e3"); validated, sent unquoted and exact. */
MO_API mo_status mo_params_add_decimal(mo_params *p, const char *value, size_t len);
/** A JSON document as UTF-8 text, sent as a string literal. */
MO_API mo_status mo_params_add_json(mo_params *p, const char *value, size_t len);
/** 'YYYY-MM-DD'. Out-of-range fields give MO_E_INVALID_ARGUMENT. */
MO_API mo_status mo_params_add_date(mo_params *p, int year, unsigned month, unsigned day);
/** '[-]HH:MM:SS[.ffffff]'; hours up to 838 as MySQL allows. */
MO_API mo_status mo_params_add_time(mo_params *p, int negative, unsigned hours, unsigned minutes,
                                    unsigned seconds, unsigned microseconds);
/** 'YYYY-MM-DD HH:MM:SS[.ffffff]'. */
MO_API mo_status mo_params_add_datetime(mo_params *p, int year, unsigned month, unsigned day,
                                        unsigned hour, unsigned minute, unsigned second,
                                        unsigned microsecond);
/** A vector literal '[x,y,...]' (MatrixOne vecf32/vecf64); NaN/Inf rejected. */
MO_API mo_status mo_params_add_vector_f32(mo_params *p, const float *values, size_t count);
/** See mo_params_add_vector_f32. */
MO_API mo_status mo_params_add_vector_f64(mo_params *p, const double *values, size_t count);

/** The placeholders of PyMySQL's `format` and `pyformat` styles in a statement template,
 *  found as the library finds `?`: outside string literals, quoted identifiers and comments,
 *  in every backslash-escape mode the server may be in (MO_E_INVALID_ARGUMENT when the modes
 *  disagree, as for `?`). A placeholder is `%s` or `%(name)s`; `%%` is none (it stands for
 *  one `%` once parameters are rendered), nor is a `%` before anything else. For the first
 *  `max` found, offsets[k] is its first byte and lengths[k] its length in bytes (2 for `%s`);
 *  *count is the number found and *qmarks the number of `?` outside literals (a `?` has no
 *  place in such a template). A binding turns the template into the `?` form with these:
 *  each placeholder becomes `?` and each `%%` one `%`; the values are still rendered by
 *  mo_params. offsets and lengths may be NULL when max is 0. */
MO_API mo_status mo_sql_format_placeholders(size_t *count, size_t *qmarks, const char *sql,
                                            size_t len, size_t *offsets, size_t *lengths,
                                            size_t max);

/** The one row of `INSERT|REPLACE ... VALUES (row) [tail]`, found by the library's lexer, so
 *  that a driver can send many parameter rows as one multi-row statement: head (up to
 *  *row_start), the row repeated with commas, then the tail [*row_end, *tail_end). MO_OK:
 *  [*row_start, *row_end) is the row with its parentheses, *row_placeholders the `?` in it,
 *  *tail_end where the statement ends before a final `;`. MO_DONE (outputs 0) when the
 *  statement is not of that shape: another statement, VALUES with several rows or none, a
 *  `?` outside the row, a second statement, or a text whose reading depends on the server's
 *  backslash mode. */
MO_API mo_status mo_sql_insert_row(size_t *row_start, size_t *row_end, size_t *row_placeholders,
                                   size_t *tail_end, const char *sql, size_t len);

MO_END_DECLS
#endif
