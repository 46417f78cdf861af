/* src/core/error.c — error categories, the server-code table and the per-thread last error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* One per thread: the most recent failure. `has_error` distinguishes "never failed". While a
 * cleanup's guard is open (`guard`), errors go to the innermost guard's record instead. */
static _Thread_local struct mo_error last_error;
static _Thread_local int has_error;
static _Thread_local mo_error_guard *guard;

/* The record errors are written to now, and its flag. */
static struct mo_error *current(int **has) {
    mo_error_guard *g = guard;
    if (g) {
        *has = &g->has_error;
        return &g->record;
    }
    *has = &has_error;
    return &last_error;
}

const mo_error *mo_error_last(void) {
    mo_error_guard *g = guard;
    if (g) return g->has_error ? &g->record : NULL;
    return has_error ? &last_error : NULL;
}

void mo_error_clear(void) {
    int *has;
    current(&has);
    *has = 0;
}

void mo_error_copy(struct mo_error *dst, const struct mo_error *src) {
    dst->category = src->category;
    dst->server_code = src->server_code;
    memcpy(dst->sqlstate, src->sqlstate, sizeof dst->sqlstate);
    memcpy(dst->operation, src->operation, sizeof dst->operation);
    size_t n = strnlen(src->message, sizeof src->message - 1);
    memcpy(dst->message, src->message, n);
    dst->message[n] = 0;
}

void mo_error_guard_begin(mo_error_guard *g) {
    g->has_error = 0;
    g->outer = guard;
    guard = g;
}

void mo_error_guard_end(mo_error_guard *g) { guard = g->outer; }

void mo_error_suspend(mo_error_suspended *s) {
    /* The guards' records are on this call's stack, out of the other calls' reach; the
     * thread's own record is not. */
    s->guard = guard;
    s->had_error = has_error;
    if (has_error) mo_error_copy(&s->record, &last_error);
    guard = NULL;
}

void mo_error_resume(const mo_error_suspended *s) {
    guard = s->guard;
    has_error = s->had_error;
    if (s->had_error) mo_error_copy(&last_error, &s->record);
}

void mo_error_restore(const struct mo_error *e) {
    int *has;
    struct mo_error *dst = current(&has);
    if (dst != e) mo_error_copy(dst, e);
    *has = 1;
}

void mo_error_keep(mo_error_kept *k) {
    const mo_error *e = mo_error_last();
    k->record = NULL;
    k->category = e ? e->category : 0;
    if (!e) return;
    k->record = malloc(sizeof *k->record);
    if (k->record) mo_error_copy(k->record, e);
}

void mo_error_put_back(mo_error_kept *k) {
    if (k->record) {
        mo_error_restore(k->record);
    } else if (k->category) {
        mo_error_set(k->category, "", "(the details of this error were lost: out of memory)");
    } else {
        mo_error_clear();
    }
    mo_error_kept_free(k);
}

void mo_error_kept_free(mo_error_kept *k) {
    free(k->record);
    k->record = NULL;
    k->category = 0;
}

mo_status mo_error_category(const mo_error *e) { return e ? e->category : MO_OK; }
int mo_error_server_code(const mo_error *e) { return e ? e->server_code : 0; }
const char *mo_error_sqlstate(const mo_error *e) { return e ? e->sqlstate : ""; }
const char *mo_error_message(const mo_error *e) { return e ? e->message : ""; }
const char *mo_error_operation(const mo_error *e) { return e ? e->operation : ""; }

/* error.h counts the categories to place MO_E__LAST_PLUS_ONE_, which is right only while the
 * .def numbers them 1, 2, 3, ... in the order it lists them. */
enum {
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249) CATEGORY_POSITION_##NAME,
#include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY
};
#define MO_ERROR_CATEGORY(NAME, NUMBER, LOWER, PEP249)                                    \
    _Static_assert(NUMBER == CATEGORY_POSITION_##NAME + 1,                                 \
                   "mocore/error_categories.def must number " #NAME " by its position");
#include "mocore/error_categories.def"
#undef MO_ERROR_CATEGORY

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
 * numbers (1000-1999, 3000+, 13000+), libmariadb client numbers (2000-2999), MatrixOne
 * (20000+). Sources: DESIGN.md §3, mo-sql-reference.md §7.3, mysqld_error.h, errmsg.h, and
 * MatrixOne's pkg/common/moerr (v4.2.0).
 *
 * What MatrixOne puts on the wire: an error of its own table whose MySQL twin is
 * ER_UNKNOWN_ERROR goes out under its own number (20101 internal error, 20701 deadlock, ...);
 * every other one under the MySQL number (ErrBadDB -> 1049, ErrDuplicateEntry -> 1062,
 * ErrLockWaitTimeout -> 1205); a failure that is not one of its errors is 1105. A row with a
 * note is a number MatrixOne v4.2 sends: docs/matrixone.md shows those rows and the message
 * rules below as its error map (tests/unit/test_error_map_doc.c keeps the two the same). */
static const struct mo_code_entry code_table[] = {
    /* AUTH: access denied */
    {1044, MO_E_AUTH, NULL}, {1045, MO_E_AUTH, NULL}, {1142, MO_E_AUTH, NULL},
    {1143, MO_E_AUTH, NULL}, {1227, MO_E_AUTH, NULL}, {1370, MO_E_AUTH, NULL},
    {1698, MO_E_AUTH, NULL}, {1820, MO_E_AUTH, NULL}, {1862, MO_E_AUTH, NULL},
    {2049, MO_E_AUTH, NULL}, {2059, MO_E_AUTH, NULL}, {2061, MO_E_AUTH, NULL},
    {3118, MO_E_AUTH, NULL}, {4151, MO_E_AUTH, NULL}, /* the account is locked (MySQL, MariaDB) */
    /* CONNECT: no connection could be made */
    {1040, MO_E_CONNECT, NULL}, {1129, MO_E_CONNECT, NULL}, {1130, MO_E_CONNECT, NULL},
    {2001, MO_E_CONNECT, NULL}, {2002, MO_E_CONNECT, NULL}, {2003, MO_E_CONNECT, NULL},
    {2004, MO_E_CONNECT, NULL}, {2005, MO_E_CONNECT, NULL}, {2012, MO_E_CONNECT, NULL},
    {2026, MO_E_CONNECT, NULL}, {2047, MO_E_CONNECT, NULL},
    /* CONNECTION_LOST: dropped while in use */
    {1053, MO_E_CONNECTION_LOST, NULL}, {1152, MO_E_CONNECTION_LOST, NULL},
    {1927, MO_E_CONNECTION_LOST, NULL}, {2006, MO_E_CONNECTION_LOST, NULL},
    {2013, MO_E_CONNECTION_LOST, NULL}, {2055, MO_E_CONNECTION_LOST, NULL},
    /* OUTCOME_UNKNOWN: the server itself does not know whether the commit happened */
    {20638, MO_E_OUTCOME_UNKNOWN, "txn commit status is unknown"},
    /* INTERRUPTED: statement killed or over its time limit */
    {1317, MO_E_INTERRUPTED, "query interrupted (ErrQueryInterrupted)"},
    {1969, MO_E_INTERRUPTED, NULL}, {3024, MO_E_INTERRUPTED, NULL},
    /* RETRYABLE: the transaction was rolled back; running it again may succeed */
    {1205, MO_E_RETRYABLE, "lock wait timeout (after `lock_wait_timeout`; ErrLockWaitTimeout)"},
    {1213, MO_E_RETRYABLE, NULL}, {1614, MO_E_RETRYABLE, NULL},
    {20502, MO_E_RETRYABLE, "backend connection closed (the transaction is rolled back)"},
    {20504, MO_E_RETRYABLE, "no available backend (the transaction is rolled back)"},
    {20505, MO_E_RETRYABLE, "cannot connect to backend (the transaction is rolled back)"},
    {20601, MO_E_RETRYABLE, "txn write conflict"},
    {20618, MO_E_RETRYABLE, "r-w conflict"},
    {20619, MO_E_RETRYABLE, "w-w conflict"},
    {20622, MO_E_RETRYABLE, "txn read conflict"},
    {20628, MO_E_RETRYABLE, "txn need retry (read committed)"},
    {20629, MO_E_RETRYABLE, "tae need retry"},
    {20631, MO_E_RETRYABLE, "txn need retry, definition changed"},
    {20632, MO_E_RETRYABLE, "txn is stale"},
    {20634, MO_E_RETRYABLE, "retry for CN rolling restart"},
    {20635, MO_E_RETRYABLE, "new txn in CN rolling restart"},
    {20642, MO_E_RETRYABLE, "GC is running, retry later"},
    {20701, MO_E_RETRYABLE, "deadlock detected (both transactions are rolled back)"},
    {20702, MO_E_RETRYABLE, "lock table bind changed"},
    {20703, MO_E_RETRYABLE, "lock table not found on the remote lock service"},
    {20704, MO_E_RETRYABLE, "deadlock check is busy"},
    {20706, MO_E_RETRYABLE, "lock conflict (fast-fail wait policy)"},
    {20709, MO_E_RETRYABLE, "remote lock wait timeout"},
    /* SYNTAX */
    {1064, MO_E_SYNTAX, "SQL parser error (ErrParseError)"},
    {1149, MO_E_SYNTAX, "SQL syntax error (ErrSyntaxError)"},
    {20302, MO_E_SYNTAX, NULL}, {20303, MO_E_SYNTAX, NULL},
    /* NOT_FOUND (not 1396 "Operation CREATE USER failed": it means "exists" as often as
     * "missing", so it stays SERVER) */
    {1008, MO_E_NOT_FOUND, "can't drop database; it doesn't exist (ErrDropNonExistsDB)"},
    {1049, MO_E_NOT_FOUND, "unknown database (ErrBadDB)"},
    {1051, MO_E_NOT_FOUND, NULL},
    {1054, MO_E_NOT_FOUND, "unknown column (ErrBadFieldError)"},
    {1072, MO_E_NOT_FOUND, "key column doesn't exist (ErrKeyColumnDoesNotExist)"},
    {1091, MO_E_NOT_FOUND, "can't drop field or key (ErrCantDropFieldOrKey)"},
    {1094, MO_E_NOT_FOUND, NULL} /* unknown thread id (KILL) */,
    {1122, MO_E_NOT_FOUND, "function doesn't exist (ErrDropNonExistsFunction)"},
    {1146, MO_E_NOT_FOUND, "no such table or sequence (ErrNoSuchTable)"},
    {1176, MO_E_NOT_FOUND, "key doesn't exist (ErrKeyDoesNotExist)"},
    {1305, MO_E_NOT_FOUND, NULL}, {1449, MO_E_NOT_FOUND, NULL},
    {20309, MO_E_NOT_FOUND, NULL}, {20402, MO_E_NOT_FOUND, NULL}, {20403, MO_E_NOT_FOUND, NULL},
    {20405, MO_E_NOT_FOUND, "file is not found"},
    {20440, MO_E_NOT_FOUND, "query id not found (result file)"},
    {20906, MO_E_NOT_FOUND, "task not found"},
    /* ALREADY_EXISTS */
    {1007, MO_E_ALREADY_EXISTS, "database already exists (ErrDBAlreadyExists)"},
    {1050, MO_E_ALREADY_EXISTS, "table already exists (ErrTableAlreadyExists)"},
    {1060, MO_E_ALREADY_EXISTS, "duplicate column name (ErrDupFieldName)"},
    {1061, MO_E_ALREADY_EXISTS, "duplicate key name (ErrDuplicateKey, ErrDuplicateKeyName)"},
    {1304, MO_E_ALREADY_EXISTS, NULL},
    {13180, MO_E_ALREADY_EXISTS, "function or procedure already exists"},
    {20406, MO_E_ALREADY_EXISTS, "file already exists (e.g. SELECT ... INTO OUTFILE onto an existing file)"},
    {20420, MO_E_ALREADY_EXISTS, NULL}, {20421, MO_E_ALREADY_EXISTS, NULL},
    {20904, MO_E_ALREADY_EXISTS, "the connector for the table already exists"},
    /* CONSTRAINT: integrity violation */
    {1048, MO_E_CONSTRAINT, NULL},
    {1062, MO_E_CONSTRAINT, "duplicate entry (SQLSTATE HY000 on MatrixOne, 23000 elsewhere)"},
    {1169, MO_E_CONSTRAINT, NULL}, {1216, MO_E_CONSTRAINT, NULL},
    {1217, MO_E_CONSTRAINT, "a foreign key constraint fails (ErrFKRowIsReferenced)"},
    {1364, MO_E_CONSTRAINT, NULL}, {1451, MO_E_CONSTRAINT, NULL},
    {1452, MO_E_CONSTRAINT, "a foreign key constraint fails (ErrFKNoReferencedRow2)"},
    {1557, MO_E_CONSTRAINT, NULL}, {1586, MO_E_CONSTRAINT, NULL},
    {3819, MO_E_CONSTRAINT, "constraint violation (ErrConstraintViolation)"},
    {4025, MO_E_CONSTRAINT, NULL}, {20304, MO_E_CONSTRAINT, NULL},
    {20305, MO_E_CONSTRAINT, "tae data: duplicate"},
    {20307, MO_E_CONSTRAINT, NULL},
    {20623, MO_E_CONSTRAINT, "duplicated primary key"},
    /* DATA: value out of range, truncated, invalid */
    {1264, MO_E_DATA, NULL}, {1265, MO_E_DATA, NULL}, {1292, MO_E_DATA, NULL},
    {1365, MO_E_DATA, "division by zero (ErrDivByZero)"},
    {1366, MO_E_DATA, "truncated wrong value for field (ErrTruncatedWrongValueForField)"},
    {1367, MO_E_DATA, NULL},
    {1406, MO_E_DATA, "data truncated / too long (ErrDataTruncated, ErrCastWidthExceeded)"},
    {1411, MO_E_DATA, NULL},
    {1426, MO_E_DATA, "too-big precision (ErrTooBigPrecision)"},
    {1690, MO_E_DATA, "data out of range (ErrOutOfRange)"},
    {3140, MO_E_DATA, NULL}, {4038, MO_E_DATA, NULL},
    {20203, MO_E_DATA, "invalid argument, bad value"},
    {20301, MO_E_DATA, "invalid input"},
    {20404, MO_E_DATA, "empty vector"},
    {20902, MO_E_DATA, "invalid value for an option"},
    /* UNSUPPORTED */
    {1235, MO_E_UNSUPPORTED, NULL}, {1289, MO_E_UNSUPPORTED, NULL},
    {20102, MO_E_UNSUPPORTED, "not yet implemented"},
    {20105, MO_E_UNSUPPORTED, "not supported"},
    {20901, MO_E_UNSUPPORTED, "unsupported option"},
    /* SERVER, documented: MatrixOne's catch-all numbers; see message_table */
    {1105, MO_E_SERVER, "unknown error: any other failure"},
    {20101, MO_E_SERVER, "internal error: any other message"},
    /* RESOURCE: memory, packet size, disk */
    {1021, MO_E_RESOURCE, NULL}, {1037, MO_E_RESOURCE, NULL}, {1038, MO_E_RESOURCE, NULL},
    {1041, MO_E_RESOURCE, NULL}, {1114, MO_E_RESOURCE, NULL}, {1153, MO_E_RESOURCE, NULL},
    {2008, MO_E_RESOURCE, NULL}, {2020, MO_E_RESOURCE, NULL},
    {3015, MO_E_RESOURCE, "out of memory (ErrOOM, ErrMPoolCapacity)"},
    {20508, MO_E_RESOURCE, "all CN servers are busy"},
    {20825, MO_E_RESOURCE, "recursive CTE memory quota exceeded"},
    {22001, MO_E_RESOURCE, "objectio: too large object size"},
};

/* MatrixOne answers many different failures under one number: 20101 ("internal error: ...")
 * carries a bad login, a missing object and a refused feature alike, and 1105 a cancelled
 * statement. For those numbers the category is in the message. One rule: the code, a prefix
 * the message starts with, and (when not NULL) a phrase the rest of the message contains.
 * The first rule that matches wins (so the specific rules come first); no match falls back
 * to code_table. Messages are MatrixOne v4.2.0's (pkg/frontend, pkg/sql/plan). */
static const struct mo_message_rule message_table[] = {
    /* A login that fails: unknown account or user, wrong password, locked or suspended. */
    {20101, "internal error: there is no tenant ", NULL, MO_E_AUTH},
    {20101, "internal error: there is no user ", NULL, MO_E_AUTH},
    {20101, "internal error: check password failed", NULL, MO_E_AUTH},
    {20101, "internal error: user is locked", NULL, MO_E_AUTH},
    {20101, "internal error: Account ", " is suspended", MO_E_AUTH},
    {20101, "internal error: there is no role ", NULL, MO_E_AUTH},
    {20101, "internal error: the role ", " has not been granted to the user", MO_E_AUTH},
    {20101, "internal error: do not have privilege", NULL, MO_E_AUTH},
    {20101, "internal error: ", " do not have the privilege", MO_E_AUTH},
    /* Savepoints (ROLLBACK TO SAVEPOINT) do not exist on MatrixOne v4.2. */
    {20101, "internal error: savepoint has not been implemented", NULL, MO_E_UNSUPPORTED},
    /* CREATE CDC without a PITR of at least 2 hours on the source: the PITR it needs is
     * missing ("no valid PITR configuration found for pattern: ..., minimum required length:
     * 2 hours"). */
    {20101, "internal error: no valid PITR configuration found", NULL, MO_E_NOT_FOUND},
    /* KILL of a connection id that does not exist. */
    {20101, "internal error: Unknown connection id ", NULL, MO_E_NOT_FOUND},
    /* Missing and existing objects (snapshots, PITRs, publications, accounts, ...). */
    {20101, "internal error: there is no account ", NULL, MO_E_NOT_FOUND},
    {20101, "internal error: ", " does not exist", MO_E_NOT_FOUND},
    {20101, "internal error: ", " not found", MO_E_NOT_FOUND},
    {20101, "internal error: ", " already exists", MO_E_ALREADY_EXISTS},
    /* The victim of KILL QUERY (the connection stays usable). */
    {1105, "context canceled", NULL, MO_E_INTERRUPTED},
    /* An unknown table in a query: a parser error on MatrixOne. */
    {1064, "SQL parser error: table ", " does not exist", MO_E_NOT_FOUND},
    /* An unknown column: "invalid input" on MatrixOne. */
    {20301, "invalid input: column ", " does not exist", MO_E_NOT_FOUND},
};

mo_status mo_error_category_for_code(int code) {
    for (size_t i = 0; i < sizeof code_table / sizeof code_table[0]; i++)
        if (code_table[i].code == code) return code_table[i].category;
    return MO_E_SERVER;
}

static int rule_matches(const struct mo_message_rule *r, int code, const char *message) {
    size_t n = strlen(r->prefix);
    if (r->code != code || strncmp(message, r->prefix, n) != 0) return 0;
    return !r->contains || strstr(message + n, r->contains) != NULL;
}

mo_status mo_error_category_for_server(int code, const char *message) {
    if (message)
        for (size_t i = 0; i < sizeof message_table / sizeof message_table[0]; i++)
            if (rule_matches(&message_table[i], code, message)) return message_table[i].category;
    return mo_error_category_for_code(code);
}

const struct mo_code_entry *mo_error_code_entry(size_t i) {
    return i < sizeof code_table / sizeof code_table[0] ? &code_table[i] : NULL;
}

const struct mo_message_rule *mo_error_message_rule(size_t i) {
    return i < sizeof message_table / sizeof message_table[0] ? &message_table[i] : NULL;
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
    int *has;
    struct mo_error *e = current(&has);
    e->category = category;
    e->server_code = code;
    copy_truncated(e->sqlstate, sizeof e->sqlstate, sqlstate ? sqlstate : "");
    copy_truncated(e->operation, sizeof e->operation, operation ? operation : "");
    copy_truncated(e->message, sizeof e->message,
                   mo_buf_ok(&redacted) ? mo_buf_cstr(&redacted) : "(message unavailable)");
    mo_buf_free(&redacted);
    *has = 1;
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
    if (category == 0) category = mo_error_category_for_server(code, message);
    store(category, operation, code, sqlstate, message ? message : "");
    return category;
}

mo_status mo_error_oom(const char *operation) {
    /* No formatting and no allocation: memory is what we are out of. */
    int *has;
    struct mo_error *e = current(&has);
    e->category = MO_E_RESOURCE;
    e->server_code = 0;
    e->sqlstate[0] = 0;
    copy_truncated(e->operation, sizeof e->operation, operation ? operation : "");
    strcpy(e->message, "out of memory");
    *has = 1;
    return MO_E_RESOURCE;
}

#define MO_STRINGIFY_(x) #x
#define MO_STRINGIFY(x) MO_STRINGIFY_(x)
const char *mo_version_string(void) {
    return MO_STRINGIFY(MOCORE_VERSION_MAJOR) "." MO_STRINGIFY(MOCORE_VERSION_MINOR) "."
        MO_STRINGIFY(MOCORE_VERSION_PATCH);
}
