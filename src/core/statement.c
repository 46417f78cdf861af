/* src/core/statement.c — server-side prepared statements: each connection's cache of them by
 * SQL text, the policy that decides when a statement runs in the binary protocol, and the
 * binding of its values.
 *
 * The executor (execute.c) looks every statement up (mo_stmt_lookup) and asks mo_stmt_choose
 * whether the binary protocol runs it; NULL means the text protocol. The cache is a list,
 * most recently used first: a loop that runs one statement finds it at the head, so a lookup
 * is a length compare and a memcmp. Entries are made on a statement's first use, whatever
 * the protocol: each keeps what is known of its text (where its `?` are, its answer-loss
 * class), so the text protocol does not scan a repeated statement again either. They count
 * their uses for the prepare_threshold policy and are prepared on the server when the
 * binary protocol is chosen for them. Prepared entries and the others have a budget each
 * (statement_cache_size): the least recently used entry of the kind that no result is
 * reading goes when its budget is full. A prepared one is closed on the server
 * (COM_STMT_CLOSE, a write the server does not answer) before another is prepared. When the
 * connection closes, the server frees its statements itself: the cache only frees memory. */
#include <stdlib.h>
#include <string.h>
#include "connection.h"

/* The automatic policy's threshold on MySQL and MariaDB (docs/prepared-statements.md): from
 * the 2nd execution of the same text on, a statement is prepared. The prepare costs one round
 * trip, paid back by the first execution that skips rendering and the server's parse. On
 * MatrixOne the automatic policy never prepares: its binary protocol has open server bugs
 * (DESIGN.md §4); MO_EXEC_PREPARED or an explicit threshold still does. */
#define AUTO_THRESHOLD_MYSQL 2

void mo_stmt_cache_init(mo_stmt_cache *cache, const struct mo_config *cfg) {
    memset(cache, 0, sizeof *cache);
    cache->capacity = cfg->statement_cache_size;
    cache->threshold = cfg->prepare_threshold;
}

static int threshold_for(const mo_stmt_cache *cache, mo_server_kind kind) {
    if (cache->threshold != MO_PREPARE_THRESHOLD_AUTO) return cache->threshold;
    return kind == MO_SERVER_MATRIXONE ? 0 : AUTO_THRESHOLD_MYSQL;
}

/* Statements the binary protocol runs as the text protocol would: the row-returning and
 * row-changing ones. Everything else (SET, transaction control, DDL, CALL with its several
 * result sets, SHOW, LOAD DATA, USE, ...) stays in the text protocol, where session tracking
 * and multiple result sets are handled. The text must start with the keyword itself (no
 * comment before it: an executable comment could hide another statement kind). */
static int eligible(const char *sql, size_t len) {
    size_t i = 0;
    while (i < len && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r')) i++;
    if (i < len && sql[i] == '(') return 1; /* (SELECT ...) UNION ... */
    char kw[8];
    size_t n = 0;
    while (i < len && n < sizeof kw - 1 &&
           ((sql[i] >= 'a' && sql[i] <= 'z') || (sql[i] >= 'A' && sql[i] <= 'Z'))) {
        kw[n++] = (char)(sql[i] >= 'a' ? sql[i] - 32 : sql[i]);
        i++;
    }
    kw[n] = '\0';
    if (i < len && ((sql[i] >= 'a' && sql[i] <= 'z') || (sql[i] >= 'A' && sql[i] <= 'Z') ||
                    sql[i] == '_' || (sql[i] >= '0' && sql[i] <= '9')))
        return 0;
    return strcmp(kw, "SELECT") == 0 || strcmp(kw, "INSERT") == 0 || strcmp(kw, "UPDATE") == 0 ||
           strcmp(kw, "DELETE") == 0 || strcmp(kw, "REPLACE") == 0 || strcmp(kw, "WITH") == 0;
}

static void list_unlink(mo_stmt_cache *cache, mo_stmt *s) {
    if (s->prev) s->prev->next = s->next;
    else cache->head = s->next;
    if (s->next) s->next->prev = s->prev;
    else cache->tail = s->prev;
    s->prev = s->next = NULL;
}

static void list_push_front(mo_stmt_cache *cache, mo_stmt *s) {
    s->prev = NULL;
    s->next = cache->head;
    if (cache->head) cache->head->prev = s;
    cache->head = s;
    if (!cache->tail) cache->tail = s;
}

static void stmt_free(mo_stmt *s) {
    /* With its connection closed (mysql_close detached it) this only frees memory. */
    if (s->handle) mysql_stmt_close(s->handle);
    free(s->marks);
    free(s->sql);
    free(s);
}

void mo_stmt_unref(mo_stmt *s) {
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) stmt_free(s);
}

/* Whether a statement may be closed on the server now: nothing is pending on the wire. */
static int can_send(const mo_conn *c) {
    return c->mysql && c->connected && !c->poisoned && !c->stream &&
           c->mysql->status == MYSQL_STATUS_READY;
}

/* The cache holds at most `capacity` statements prepared on the server and, apart from
 * them, at most `capacity` texts known only to the text protocol (or not prepared yet): a
 * loop of text statements never pushes out a prepared one. Too many of the kind: unprepared
 * ones beyond their budget, or prepared ones filling theirs (room is made before a prepare). */
static int too_many(const mo_stmt_cache *cache, int prepared) {
    return prepared ? cache->prepared >= cache->capacity
                    : cache->count - cache->prepared > cache->capacity;
}

/* Drop least recently used entries of one kind (prepared or not) that no result is reading,
 * never `keep` (the one the caller is about to use), while there are too many of the kind. */
static void evict(mo_conn *c, const mo_stmt *keep, int prepared) {
    mo_stmt_cache *cache = &c->stmts;
    mo_stmt *s = cache->tail;
    while (s && too_many(cache, prepared)) {
        mo_stmt *prev = s->prev;
        int one = 1;
        /* Closing a prepared statement writes on the wire: only when nothing is pending. */
        if (s != keep && !s->prepared == !prepared && (!s->handle || can_send(c)) &&
            atomic_compare_exchange_strong(&s->refs, &one, 0)) {
            list_unlink(cache, s);
            cache->count--;
            if (s->prepared) {
                cache->evictions++;
                cache->prepared--;
            }
            stmt_free(s);
        }
        s = prev;
    }
}

static mo_stmt *find(const mo_stmt_cache *cache, const char *sql, size_t len) {
    for (mo_stmt *s = cache->head; s; s = s->next)
        if (s->len == len && memcmp(s->sql, sql, len) == 0) return s;
    return NULL;
}

/* The flags and the policy allow the binary protocol at all (for an entry of the cache). */
static int allowed(const mo_stmt_cache *cache, mo_server_kind kind, unsigned flags) {
    return (flags & MO_EXEC_PREPARED) || threshold_for(cache, kind);
}

static int keeps(const mo_stmt_cache *cache, unsigned flags) {
    return cache->capacity && !(flags & MO_EXEC_MORE_RESULTS);
}

/* A new entry copies its text. One longer than this (a bulk INSERT with its values written
 * out, say) rarely runs twice, and copying it on every run would cost more than the scans an
 * entry saves: it gets one only when the caller asks for the binary protocol. */
#define MAX_TEXT_WITHOUT_FLAG (64 * 1024)

static int may_add(const char *sql, size_t len, unsigned flags) {
    return (len <= MAX_TEXT_WITHOUT_FLAG || (flags & MO_EXEC_PREPARED)) && eligible(sql, len);
}

int mo_stmt_cacheable(const mo_conn *c, const char *sql, size_t len, unsigned flags) {
    /* a cached text was eligible when it was added: the usual case reads no keyword */
    return keeps(&c->stmts, flags) && (find(&c->stmts, sql, len) || may_add(sql, len, flags));
}

mo_stmt *mo_stmt_lookup(mo_conn *c, const char *sql, size_t len, unsigned flags) {
    mo_stmt_cache *cache = &c->stmts;
    if (!keeps(cache, flags)) return NULL;
    mo_stmt *s = find(cache, sql, len);
    if (s) {
        if (s != cache->head) {
            list_unlink(cache, s);
            list_push_front(cache, s);
        }
        return s;
    }
    if (!may_add(sql, len, flags)) return NULL;
    s = calloc(1, sizeof *s);
    char *copy = s ? mo_strndup(sql, len) : NULL;
    if (!copy) {
        free(s);
        return NULL; /* out of memory: the text protocol needs nothing more */
    }
    s->sql = copy;
    s->len = len;
    s->loss[0] = s->loss[1] = -1;
    atomic_init(&s->refs, 1);
    list_push_front(cache, s);
    cache->count++;
    evict(c, s, 0);
    return s;
}

mo_stmt *mo_stmt_choose(mo_conn *c, mo_server_kind kind, mo_stmt *s, unsigned flags) {
    mo_stmt_cache *cache = &c->stmts;
    int wanted = (flags & MO_EXEC_PREPARED) != 0;
    int threshold = threshold_for(cache, kind);
    if (!s || !allowed(cache, kind, flags)) return NULL;
    if (s->uses < UINT32_MAX) s->uses++;
    if (!wanted && s->uses < (unsigned)threshold) return NULL;
    if (s->unpreparable || atomic_load(&s->refs) > 1) {
        /* A result still reads the rows of its last execution (an execution would free
         * them), or the server cannot prepare it. */
        cache->fallbacks++;
        return NULL;
    }
    if (s->prepared) {
        cache->hits++;
    } else {
        cache->misses++;
        evict(c, s, 1);
    }
    atomic_fetch_add(&s->refs, 1);
    return s;
}

const size_t *mo_stmt_placeholders(mo_stmt *s, size_t *count) {
    if (!s->marks_known) {
        size_t n = mo_sql_find_placeholders(s->sql, s->len, NULL, 0);
        size_t *marks = NULL;
        if (n != MO_SQL_AMBIGUOUS && n > 0) {
            marks = malloc(n * sizeof *marks);
            if (!marks) return NULL; /* the caller scans for itself */
            mo_sql_find_placeholders(s->sql, s->len, marks, n);
        }
        s->marks = marks;
        s->mark_count = n;
        s->marks_known = 1;
    }
    *count = s->mark_count;
    static const size_t none[1];
    return s->marks ? s->marks : none;
}

int mo_stmt_answer_loss(mo_stmt *s, int in_transaction) {
    if (s->loss[in_transaction] < 0)
        s->loss[in_transaction] = (signed char)mo_sql_answer_loss(s->sql, s->len, in_transaction);
    return s->loss[in_transaction];
}

void mo_stmt_cache_forget(mo_conn *c) {
    mo_stmt_cache *cache = &c->stmts;
    mo_stmt *s = cache->head;
    while (s) {
        mo_stmt *next = s->next;
        s->prev = s->next = NULL;
        mo_stmt_unref(s); /* a result still reading one frees it when it is done */
        s = next;
    }
    cache->head = cache->tail = NULL;
    cache->count = 0;
    cache->prepared = 0;
}

void mo_stmt_cache_clear(mo_conn *c) {
    mo_stmt_cache_forget(c);
    free(c->binds);
    free(c->bind_values);
    c->binds = NULL;
    c->bind_values = NULL;
    c->bind_cap = 0;
    mo_params_free_copy(c->stmt_params);
    c->stmt_params = NULL;
    mo_buf_free(&c->text);
}

mo_status mo_stmt_open(mo_conn *c, mo_stmt *s, const char *operation) {
    if (s->handle) return MO_OK;
    s->handle = mysql_stmt_init(c->mysql);
    if (!s->handle) return mo_error_oom(operation);
    /* Rows are read where they lie (binary_row.c): no buffers are bound, libmariadb hands
     * every column to the callback instead. */
    if (mysql_stmt_attr_set(s->handle, STMT_ATTR_CB_RESULT, (const void *)mo_binary_row_column)) {
        mysql_stmt_close(s->handle);
        s->handle = NULL;
        return mo_error_set(MO_E_INTERNAL, operation,
                            "libmariadb does not support result callbacks (3.1 or later needed)");
    }
    return MO_OK;
}

void mo_stmt_refused(mo_stmt *s, int code, const char *message) {
    /* 1295: "This command is not supported in the prepared statement protocol yet"; other
     * refusals of the statement kind (MatrixOne's) are UNSUPPORTED. Any other error (a table
     * that does not exist yet) is reported by the text protocol's run this time and the
     * statement is tried again next time. */
    if (code == 1295 || mo_error_category_for_server(code, message) == MO_E_UNSUPPORTED)
        s->unpreparable = 1;
}

mo_status mo_stmt_bind(mo_conn *c, mo_stmt *s, const struct mo_params *params,
                       const char *operation) {
    size_t given = mo_params_length(params);
    unsigned long wanted = mysql_stmt_param_count(s->handle);
    if (given != wanted)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "statement has %lu ? placeholder%s but %zu parameter%s given", wanted,
                            wanted == 1 ? "" : "s", given, given == 1 ? " was" : "s were");
    if (!given) return MO_OK;
    if (given > c->bind_cap) {
        MYSQL_BIND *binds = realloc(c->binds, given * sizeof *binds);
        if (binds) c->binds = binds;
        union mo_bind_value *values = binds ? realloc(c->bind_values, given * sizeof *values) : NULL;
        if (values) c->bind_values = values;
        if (!binds || !values) return mo_error_oom(operation);
        c->bind_cap = given;
    }
    MYSQL_BIND *b = c->binds;
    union mo_bind_value *v = c->bind_values;
    memset(b, 0, given * sizeof *b);
    for (size_t i = 0; i < given; i++) {
        mo_param_view p = mo_params_view(params, i);
        switch (p.kind) {
        case MO_PARAM_NULL: b[i].buffer_type = MYSQL_TYPE_NULL; break;
        case MO_PARAM_INT64:
            v[i].i = p.i;
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = &v[i].i;
            break;
        case MO_PARAM_UINT64:
            v[i].u = p.u;
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = &v[i].u;
            b[i].is_unsigned = 1;
            break;
        case MO_PARAM_DOUBLE:
            v[i].d = p.d;
            b[i].buffer_type = MYSQL_TYPE_DOUBLE;
            b[i].buffer = &v[i].d;
            break;
        case MO_PARAM_STRING:
        case MO_PARAM_BLOB:
        case MO_PARAM_DECIMAL:
            /* Text (and JSON, temporal and vector text) goes as a string in the connection's
             * character set, a decimal as its digits: the server converts them as it reads
             * the quoted literal of the text protocol. */
            b[i].buffer_type = p.kind == MO_PARAM_BLOB      ? MYSQL_TYPE_BLOB
                               : p.kind == MO_PARAM_DECIMAL ? MYSQL_TYPE_NEWDECIMAL
                                                            : MYSQL_TYPE_STRING;
            b[i].buffer = (void *)p.bytes;
            b[i].buffer_length = (unsigned long)p.len;
            b[i].length_value = (unsigned long)p.len;
            b[i].length = &b[i].length_value;
            break;
        }
    }
    if (mysql_stmt_bind_param(s->handle, b))
        return mo_error_set_server(0, operation, (int)mysql_stmt_errno(s->handle),
                                   mysql_stmt_sqlstate(s->handle), mysql_stmt_error(s->handle));
    return MO_OK;
}

/* ------------------------------------------------------------------ the public API */

mo_status mo_client_statement_cache_stat(const mo_client *c, mo_stmt_cache_stat which,
                                         uint64_t *out) {
    const char *op = "client.statement_cache_stat";
    mo_status st = mo_handle_check(c, MO_HANDLE_CLIENT, op);
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = 0;
    const mo_stmt_cache *cache = c->conn ? &c->conn->stmts : NULL;
    switch (which) {
    case MO_STMT_CACHE_SIZE: *out = cache ? cache->prepared : 0; break;
    case MO_STMT_CACHE_HITS: *out = cache ? cache->hits : 0; break;
    case MO_STMT_CACHE_MISSES: *out = cache ? cache->misses : 0; break;
    case MO_STMT_CACHE_EVICTIONS: *out = cache ? cache->evictions : 0; break;
    case MO_STMT_CACHE_REPREPARES: *out = cache ? cache->reprepares : 0; break;
    case MO_STMT_CACHE_FALLBACKS: *out = cache ? cache->fallbacks : 0; break;
    default:
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "unknown statistic %d", (int)which);
    }
    return MO_OK;
}
