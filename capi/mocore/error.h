/** @file
 * capi/mocore/error.h — error categories and the per-thread last error. */
#ifndef MOCORE_ERROR_H
#define MOCORE_ERROR_H
#include "mocore/common.h"

MO_BEGIN_DECLS

/** Error categories: negative mo_status values, generated from mocore/error_categories.def.
 *  Numbers are stable; new categories are only appended. */
enum {
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249) MO_E_##NAME = -(NUMBER),
#include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY
    /* Not a category: one past the last, for range checks. The .def numbers its categories
     * 1, 2, 3, ... in order (src/core/error.c checks it), so counting them gives the end. */
    MO_E__LAST_PLUS_ONE_ = -1
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249) - 1
#include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY
};

/** Details of the most recent failure on the calling thread, or NULL if no call on this
 *  thread has failed yet. Borrowed: valid until the next failing mocore call on this thread.
 *  A successful call does not clear it. */
MO_API const mo_error *mo_error_last(void);

/** Forget this thread's last error (mo_error_last() returns NULL afterwards). */
MO_API void mo_error_clear(void);

/** The category (a negative MO_E_* value); MO_OK for NULL. */
MO_API mo_status mo_error_category(const mo_error *e);
/** The server's error number (e.g. 1062), or 0 when the error did not come from a server. */
MO_API int mo_error_server_code(const mo_error *e);
/** The five-character SQLSTATE, or "" when there is none. Never NULL. */
MO_API const char *mo_error_sqlstate(const mo_error *e);
/** A human-readable message with secrets redacted. Never NULL. */
MO_API const char *mo_error_message(const mo_error *e);
/** The operation that failed, e.g. "client.connect", "session.commit", "snapshots.create".
 *  Never NULL. */
MO_API const char *mo_error_operation(const mo_error *e);

/** The lower-case name of a category ("constraint", "retryable", ...) for a status value;
 *  "ok" for MO_OK, "unknown" for anything else. Static storage. */
MO_API const char *mo_error_category_name(mo_status category);

/** The category a server or client error number maps to (MySQL, MariaDB, MatrixOne and
 *  libmariadb client numbers), MO_E_SERVER for unknown server numbers. */
MO_API mo_status mo_error_category_for_code(int server_code);

MO_END_DECLS
#endif
