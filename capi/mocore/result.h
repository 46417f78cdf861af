/** @file
 * capi/mocore/result.h — a cursor over the rows of one statement. */
#ifndef MOCORE_RESULT_H
#define MOCORE_RESULT_H
#include "mocore/common.h"

MO_BEGIN_DECLS

/** A cursor. mo_result_next() moves to the next row: MO_ROW, MO_DONE, or an error.
 *  Getters read the current row; strings they return are borrowed until the next
 *  mo_result_next() or mo_result_free() on this result.
 *  A buffered result holds all its rows; a streaming result reads them from the connection and
 *  keeps the connection busy until it is done or freed. Freeing a streaming result early drains
 *  the rest; starting another statement on the connection drains it too, and the abandoned
 *  result then reports MO_E_MISUSE. A result keeps its client/session alive. */

/** Column types, independent of the wire protocol's numbering. */
typedef enum {
    MO_TYPE_NULL = 0,
    MO_TYPE_INT8 = 1, MO_TYPE_INT16 = 2, MO_TYPE_INT24 = 3, MO_TYPE_INT32 = 4,
    MO_TYPE_INT64 = 5,
    MO_TYPE_FLOAT = 6, MO_TYPE_DOUBLE = 7, MO_TYPE_DECIMAL = 8,
    MO_TYPE_DATE = 9, MO_TYPE_TIME = 10, MO_TYPE_DATETIME = 11, MO_TYPE_TIMESTAMP = 12,
    MO_TYPE_YEAR = 13,
    MO_TYPE_TEXT = 14,    /* CHAR, VARCHAR, TEXT with a text character set */
    MO_TYPE_BLOB = 15,    /* BINARY, VARBINARY, BLOB (binary character set) */
    MO_TYPE_JSON = 16,
    MO_TYPE_BIT = 17,
    MO_TYPE_ENUM = 18, MO_TYPE_SET = 19,
    MO_TYPE_GEOMETRY = 20,
    MO_TYPE_VECTOR = 21,  /* MatrixOne vecf32 / vecf64 */
    MO_TYPE_UUID = 22,
    MO_TYPE_OTHER = 99
} mo_type;

/** Column flags (bit set). */
enum {
    MO_COLUMN_UNSIGNED = 0x01,
    MO_COLUMN_NOT_NULL = 0x02,
    MO_COLUMN_PRIMARY_KEY = 0x04,
    MO_COLUMN_UNIQUE_KEY = 0x08,
    MO_COLUMN_BINARY = 0x10,
    MO_COLUMN_AUTO_INCREMENT = 0x20,
    MO_COLUMN_ZEROFILL = 0x40
};

/** MO_ROW, MO_DONE, or an error (the connection error category for streaming results). */
MO_API mo_status mo_result_next(mo_result *r);

/** Number of columns; 0 for statements that return no rows, and for NULL. */
MO_API size_t mo_result_column_count(const mo_result *r);
/** The column's name (borrowed from the result) and its length. */
MO_API mo_status mo_result_column_name(const mo_result *r, size_t column, const char **name,
                                       size_t *name_len);
/** The column's type (mo_type). */
MO_API mo_status mo_result_column_type(const mo_result *r, size_t column, mo_type *type);
/** The column's MO_COLUMN_* flags. */
MO_API mo_status mo_result_column_flags(const mo_result *r, size_t column, unsigned *flags);
/** Digits after the decimal point (DECIMAL, FLOAT, DOUBLE, fractional seconds). */
MO_API mo_status mo_result_column_decimals(const mo_result *r, size_t column,
                                           unsigned *decimals);
/** The column's display length as the server reports it. */
MO_API mo_status mo_result_column_length(const mo_result *r, size_t column, uint64_t *length);

/** *is_null is 1 when the current row's value is SQL NULL. */
MO_API mo_status mo_result_is_null(const mo_result *r, size_t column, int *is_null);
/** Integer columns (any width, YEAR, BIT). NULL values and other types give an error:
 *  NULL -> MO_E_DATA, wrong type -> MO_E_INVALID_ARGUMENT, out of range -> MO_E_DATA. */
MO_API mo_status mo_result_get_int64(const mo_result *r, size_t column, int64_t *out);
/** See mo_result_get_int64: unsigned. */
MO_API mo_status mo_result_get_uint64(const mo_result *r, size_t column, uint64_t *out);
/** Integer, FLOAT, DOUBLE and DECIMAL columns. */
MO_API mo_status mo_result_get_double(const mo_result *r, size_t column, double *out);
/** Any non-NULL value as the server sent it in text form (DECIMAL, dates, JSON...).
 *  For BIT and binary columns these are the raw bytes. */
MO_API mo_status mo_result_get_text(const mo_result *r, size_t column, const char **out,
                                    size_t *len);
/** The raw bytes of any non-NULL value. */
MO_API mo_status mo_result_get_blob(const mo_result *r, size_t column, const void **out,
                                    size_t *len);

/** The whole current row at once: values[i] points at column i's bytes (NULL for SQL NULL),
 *  lengths[i] is its length. Both arrays are borrowed like other getters. */
MO_API mo_status mo_result_row(const mo_result *r, const char *const **values,
                               const size_t **lengths, size_t *count);

/** What mo_result_row_typed says a value is. Stable numbers. */
typedef enum {
    MO_CELL_NULL = 0,   /* SQL NULL: values[i] is NULL */
    MO_CELL_BYTES = 1,  /* lengths[i] bytes: the value's text form, as mo_result_row gives it */
    MO_CELL_INT64 = 2,  /* values[i] points at an int64_t (integer and YEAR columns) */
    MO_CELL_UINT64 = 3, /* values[i] points at a uint64_t (unsigned integer columns) */
    MO_CELL_DOUBLE = 4  /* values[i] points at a double (FLOAT, DOUBLE: mo_result_get_double's
                         * value) */
} mo_cell_kind;

/** The whole current row like mo_result_row, with the numbers of a result that came in the
 *  binary protocol (a prepared statement) already decoded, so a binding builds its native
 *  values without reading text: kinds[i] (a mo_cell_kind) says what values[i] points at.
 *  A text-protocol result has only MO_CELL_NULL and MO_CELL_BYTES. All three arrays are
 *  borrowed like other getters. */
MO_API mo_status mo_result_row_typed(const mo_result *r, const void *const **values,
                                     const size_t **lengths, const int **kinds,
                                     size_t *count);

/** Rows changed by an INSERT/UPDATE/DELETE (for a buffered query: rows returned). */
MO_API mo_status mo_result_affected_rows(const mo_result *r, uint64_t *out);
/** The AUTO_INCREMENT value an INSERT generated (0 if none). */
MO_API mo_status mo_result_last_insert_id(const mo_result *r, uint64_t *out);
/** The number of warnings the statement raised. */
MO_API mo_status mo_result_warning_count(const mo_result *r, unsigned *out);

/** The next result set of the statement that produced `r` (a CALL returns one per SELECT in
 *  the procedure, then one without columns for the CALL's status), when it ran with
 *  MO_EXEC_MORE_RESULTS: MO_OK with *out owned by the caller (mo_result_free), or MO_DONE
 *  with *out NULL when there is none (also for results made without the flag, and in
 *  dry-run). Every set was read by the execute call (an error in a later set fails that call),
 *  so this does no I/O and the sets stay valid while other statements run. Each set is handed
 *  out once: call it on the set it returned to walk the chain. */
MO_API mo_status mo_result_next_set(mo_result **out, mo_result *r);

/** Release the result; a streaming result is drained first. NULL is a no-op. */
MO_API void mo_result_free(mo_result *r);

MO_END_DECLS
#endif
