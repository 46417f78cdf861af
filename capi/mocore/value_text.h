/* capi/mocore/value_text.h — reading the server's text form of temporal and vector values.
 *
 * The text protocol sends every value as text (mo_result_get_text). These turn that text into
 * numbers the same way for every binding, so a DATETIME means the same moment in Python, Ruby
 * and C. They are plain functions of the text: no handle, no I/O, and, because a binding calls
 * them once per value and keeps the text when a value is not one (MySQL's zero dates), a
 * failure returns MO_E_DATA WITHOUT setting mo_error_last(). Numbers are read in the C locale
 * whatever the process's locale is. */
#ifndef MOCORE_VALUE_TEXT_H
#define MOCORE_VALUE_TEXT_H
#include <stddef.h>
#include "mocore/common.h"

MO_BEGIN_DECLS

/** A DATE ("YYYY-MM-DD"), DATETIME or TIMESTAMP ("YYYY-MM-DD HH:MM:SS[.fraction]", also with
 *  'T' for the space) as a date the calendar has: year 1-9999, month 1-12, a day the month
 *  has, hour 0-23, minute and second 0-59, the fraction in nanoseconds (digits past the ninth
 *  are dropped); the time parts are 0 for a DATE. MO_E_DATA for anything else, MySQL's zero
 *  dates ('0000-00-00', '2024-00-10') included; MO_E_INVALID_ARGUMENT when text or an output
 *  pointer is NULL. Outputs are written only on MO_OK. */
MO_API mo_status mo_text_to_datetime(const char *text, size_t len, int *year, int *month,
                                     int *day, int *hour, int *minute, int *second,
                                     int *nanosecond);

/** A TIME ("[-]H:MM:SS[.fraction]"; hours may pass 23: MySQL's TIME spans -838:59:59 to
 *  838:59:59, and up to 9 hour digits are read) as its sign (*negative 1 or 0) and parts.
 *  MO_E_DATA for anything else; MO_E_INVALID_ARGUMENT for NULL pointers. */
MO_API mo_status mo_text_to_time(const char *text, size_t len, int *negative, int *hours,
                                 int *minutes, int *seconds, int *nanoseconds);

/** A MatrixOne vector ("[1, 2.5, -3e-2]", "[]") as doubles: *count is the number of elements
 *  and the first min(count, capacity) are written to out (out may be NULL when capacity is
 *  0: call once to size, once to fill). MO_E_DATA when the text is not a bracketed,
 *  comma-separated list of finite numbers; MO_E_INVALID_ARGUMENT when text or count is NULL,
 *  or out is NULL with a capacity. */
MO_API mo_status mo_text_to_vector(const char *text, size_t len, double *out, size_t capacity,
                                   size_t *count);

MO_END_DECLS
#endif
