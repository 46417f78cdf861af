/* src/core/error.c — error categories, the server-code table and the per-thread last error. */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* One per thread: the most recent failure. `has_error` distinguishes "never failed". */
static _Thread_local struct mo_error last_error;
static _Thread_local int has_error;

const mo_error *mo_error_last(void) { return has_error ? &last_error : NULL; }

void mo_error_clear(void) { has_error = 0; }

void mo_error_save(struct mo_error *saved, int *had_error) {
    *saved = last_error;
    *had_error = has_error;
}

void mo_error_restore(const struct mo_error *saved, int had_error) {
    last_error = *saved;
    has_error = had_error;
}

mo_status mo_error_category(const mo_error *e) { return e ? e->category : MO_OK; }
int mo_error_server_code(const mo_error *e) { return e ? e->server_code : 0; }
const char *mo_error_sqlstate(const mo_error *e) { return e ? e->sqlstate : ""; }
const char *mo_error_message(const mo_error *e) { return e ? e->message : ""; }
const char *mo_error_operation(const mo_error *e) { return e ? e->operation : ""; }

const char *mo_error_category_name(mo_status category) {
    switch (category) {
    case MO_OK: return "ok";
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249) case MO_E_##NAME: return #LOWER;
#include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY
    default: return "unknown";
    }
}

/* Server and client error numbers with a category other than SERVER. MySQL/MariaDB server
 * numbers (1000-1999, 3000+), libmariadb client numbers (2000-2999), MatrixOne (20000+).
 * Sources: DESIGN.md §3, mo-sql-reference.md §7.3, mysqld_error.h, errmsg.h. */
static const struct { int code; mo_status category; } code_table[] = {
    /* AUTH: access denied */
    {1044, MO_E_AUTH}, {1045, MO_E_AUTH}, {1142, MO_E_AUTH}, {1143, MO_E_AUTH},
    {1227, MO_E_AUTH}, {1370, MO_E_AUTH}, {1698, MO_E_AUTH}, {1820, MO_E_AUTH},
    {1862, MO_E_AUTH}, {2049, MO_E_AUTH}, {2059, MO_E_AUTH}, {2061, MO_E_AUTH},
    {3118, MO_E_AUTH}, {4151, MO_E_AUTH}, /* the account is locked (MySQL, MariaDB) */
    /* CONNECT: no connection could be made */
    {1040, MO_E_CONNECT}, {1129, MO_E_CONNECT}, {1130, MO_E_CONNECT}, {2001, MO_E_CONNECT},
    {2002, MO_E_CONNECT}, {2003, MO_E_CONNECT}, {2004, MO_E_CONNECT}, {2005, MO_E_CONNECT},
    {2012, MO_E_CONNECT}, {2026, MO_E_CONNECT}, {2047, MO_E_CONNECT},
    /* CONNECTION_LOST: dropped while in use */
    {1053, MO_E_CONNECTION_LOST}, {1152, MO_E_CONNECTION_LOST}, {1927, MO_E_CONNECTION_LOST},
    {2006, MO_E_CONNECTION_LOST}, {2013, MO_E_CONNECTION_LOST}, {2055, MO_E_CONNECTION_LOST},
    /* INTERRUPTED: statement killed or over its time limit */
    {1317, MO_E_INTERRUPTED}, {1969, MO_E_INTERRUPTED}, {3024, MO_E_INTERRUPTED},
    /* RETRYABLE: the transaction was rolled back */
    {1205, MO_E_RETRYABLE}, {1213, MO_E_RETRYABLE}, {1614, MO_E_RETRYABLE},
    {20502, MO_E_RETRYABLE},
    /* SYNTAX */
    {1064, MO_E_SYNTAX}, {1149, MO_E_SYNTAX}, {20302, MO_E_SYNTAX}, {20303, MO_E_SYNTAX},
    /* NOT_FOUND (not 1396 "Operation CREATE USER failed": it means "exists" as often as
     * "missing", so it stays SERVER) */
    {1049, MO_E_NOT_FOUND}, {1051, MO_E_NOT_FOUND}, {1054, MO_E_NOT_FOUND},
    {1091, MO_E_NOT_FOUND}, {1094, MO_E_NOT_FOUND} /* unknown thread id (KILL) */,
    {1146, MO_E_NOT_FOUND}, {1176, MO_E_NOT_FOUND},
    {1305, MO_E_NOT_FOUND}, {1449, MO_E_NOT_FOUND},
    {20309, MO_E_NOT_FOUND}, {20402, MO_E_NOT_FOUND}, {20403, MO_E_NOT_FOUND},
    /* ALREADY_EXISTS */
    {1007, MO_E_ALREADY_EXISTS}, {1050, MO_E_ALREADY_EXISTS}, {1061, MO_E_ALREADY_EXISTS},
    {1304, MO_E_ALREADY_EXISTS}, {20420, MO_E_ALREADY_EXISTS}, {20421, MO_E_ALREADY_EXISTS},
    /* CONSTRAINT: integrity violation */
    {1048, MO_E_CONSTRAINT}, {1062, MO_E_CONSTRAINT}, {1169, MO_E_CONSTRAINT},
    {1216, MO_E_CONSTRAINT}, {1217, MO_E_CONSTRAINT}, {1364, MO_E_CONSTRAINT},
    {1451, MO_E_CONSTRAINT}, {1452, MO_E_CONSTRAINT}, {1557, MO_E_CONSTRAINT},
    {1586, MO_E_CONSTRAINT}, {3819, MO_E_CONSTRAINT}, {4025, MO_E_CONSTRAINT},
    {20304, MO_E_CONSTRAINT}, {20307, MO_E_CONSTRAINT}, {20623, MO_E_CONSTRAINT},
    /* DATA: value out of range, truncated, invalid */
    {1264, MO_E_DATA}, {1265, MO_E_DATA}, {1292, MO_E_DATA}, {1366, MO_E_DATA},
    {1367, MO_E_DATA}, {1406, MO_E_DATA}, {1690, MO_E_DATA}, {1411, MO_E_DATA},
    {1365, MO_E_DATA}, {3140, MO_E_DATA}, {4038, MO_E_DATA}, {20301, MO_E_DATA},
    /* UNSUPPORTED */
    {1235, MO_E_UNSUPPORTED}, {1289, MO_E_UNSUPPORTED}, {20105, MO_E_UNSUPPORTED},
    /* RESOURCE: memory, packet size, disk */
    {1021, MO_E_RESOURCE}, {1037, MO_E_RESOURCE}, {1038, MO_E_RESOURCE},
    {1041, MO_E_RESOURCE}, {1114, MO_E_RESOURCE}, {1153, MO_E_RESOURCE},
    {2008, MO_E_RESOURCE}, {2020, MO_E_RESOURCE},
};

mo_status mo_error_category_for_code(int code) {
    for (size_t i = 0; i < sizeof code_table / sizeof code_table[0]; i++)
        if (code_table[i].code == code) return code_table[i].category;
    return MO_E_SERVER;
}

/* Copy `text` into `dst` (size `size`), cutting at a UTF-8 character boundary. */
static void copy_truncated(char *dst, size_t size, const char *text) {
    size_t n = strlen(text);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, text, n);
    dst[n] = 0;
}

static void store(mo_status category, const char *operation, int code, const char *sqlstate,
                  const char *message) {
    mo_buf redacted;
    mo_buf_init(&redacted);
    mo_redact_secrets(&redacted, message, strlen(message));
    last_error.category = category;
    last_error.server_code = code;
    copy_truncated(last_error.sqlstate, sizeof last_error.sqlstate, sqlstate ? sqlstate : "");
    copy_truncated(last_error.operation, sizeof last_error.operation, operation ? operation : "");
    copy_truncated(last_error.message, sizeof last_error.message,
                   mo_buf_ok(&redacted) ? mo_buf_cstr(&redacted) : "(message unavailable)");
    mo_buf_free(&redacted);
    has_error = 1;
}

mo_status mo_error_set(mo_status category, const char *operation, const char *fmt, ...) {
    char message[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    store(category, operation, 0, "", message);
    return category;
}

mo_status mo_error_set_server(mo_status category, const char *operation, int code,
                              const char *sqlstate, const char *message) {
    if (category == 0) category = mo_error_category_for_code(code);
    store(category, operation, code, sqlstate, message ? message : "");
    return category;
}

mo_status mo_error_oom(const char *operation) {
    /* No formatting and no allocation: memory is what we are out of. */
    last_error.category = MO_E_RESOURCE;
    last_error.server_code = 0;
    last_error.sqlstate[0] = 0;
    copy_truncated(last_error.operation, sizeof last_error.operation, operation ? operation : "");
    strcpy(last_error.message, "out of memory");
    has_error = 1;
    return MO_E_RESOURCE;
}

const char *mo_version_string(void) { return "1.0.0"; }
