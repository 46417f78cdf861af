/* src/managers/managers_internal.h — the shared path of every manager (executor.c).
 *
 * A public manager function:
 *   1. mo_mgr_enter(ex, op)          claim the executor and its client/session handle;
 *   2. mo_mgr_require_matrixone(...)  gate MatrixOne-only SQL (UNSUPPORTED, nothing sent);
 *   3. validate its arguments and build the SQL with mo_mgr_ident/_qualified/_literal, which
 *      use THE identifier and THE string-literal function of src/core/sqltext.c;
 *   4. mo_mgr_exec(ex, &sql, op, &result): mo_execute on the client (autocommit) or
 *      mo_session_run on the session (inside its transaction);
 *   5. mo_mgr_leave(ex).
 * Steps 4-5 are one call for the usual tails: mo_mgr_finish (a statement), mo_mgr_finish_read_back
 * (a create/alter: the statement, then the record read back through a mo_mgr_get_fn); whole
 * methods: mo_mgr_drop_named, mo_mgr_exists.
 * Records are one internal struct (mo_record) behind eight public opaque types. */
#ifndef MOCORE_MANAGERS_INTERNAL_H
#define MOCORE_MANAGERS_INTERNAL_H

#include "connection.h"

struct mo_executor {
    mo_handle h;
    mo_client *client;   /* referenced */
    mo_session *session; /* referenced; NULL for a client executor */
    char *text;          /* borrowed-out strings (show_create_publication) */
    /* A hook executor (connection hooks, src/managers/hooks.c) is bound to one physical
     * connection (NULL in dry-run) and runs there in autocommit; it claims only itself, as
     * its client or session is still being set up by the thread that runs the hook. */
    int bound;
    mo_conn *conn;
};

typedef enum {
    MO_REC_SNAPSHOT = 1,
    MO_REC_PITR,
    MO_REC_PUBLICATION,
    MO_REC_SUBSCRIPTION,
    MO_REC_ACCOUNT,
    MO_REC_USER,
    MO_REC_ROLE,
    MO_REC_GRANT,
    MO_REC_IVF_STATS,
    MO_REC_METADATA_ROW,
    MO_REC_TABLE_STATS,
    MO_REC_MOCTL,
    MO_REC_STAGE,
    MO_REC_CDC_TASK,
    MO_REC_CDC_WATERMARK
} mo_record_kind;

#define MO_RECORD_TEXTS 16

typedef struct mo_record {
    mo_handle h;
    int kind;
    int borrowed;                    /* owned by a list: _free is a no-op */
    char *text[MO_RECORD_TEXTS];     /* NULL = absent */
    int64_t num;                     /* the one numeric field of the kind */
    int64_t *nums;                   /* further numbers (kinds that need them), owned */
    size_t num_count;
} mo_record;

typedef struct mo_record_list {
    mo_handle h;
    int kind;
    size_t count, cap;
    mo_record **items;
} mo_record_list;

/* ------------------------------------------------------------------ executor */
/* An executor bound to `conn` (hooks; see struct mo_executor). Registered; free with
 * mo_executor_free. */
MO_INTERNAL mo_status mo_executor_bind(mo_executor **out, mo_client *client, mo_conn *conn,
                                       const char *op);
MO_INTERNAL mo_status mo_mgr_enter(mo_executor *ex, const char *op);
MO_INTERNAL void mo_mgr_leave(mo_executor *ex);
MO_INTERNAL int mo_mgr_dry_run(const mo_executor *ex);
MO_INTERNAL mo_server_kind mo_mgr_kind(const mo_executor *ex);
/* UNSUPPORTED unless the server is MatrixOne (and, when its version is known, at least
 * maj.min.pat; feature = the SDK's feature name for the message, NULL = no version gate). */
MO_INTERNAL mo_status mo_mgr_require_matrixone(const mo_executor *ex, const char *op,
                                               const char *feature, unsigned maj, unsigned min,
                                               unsigned pat);
/* 1 when the server is MatrixOne and its version is known and at least maj.min.pat (a
 * dry-run client knows a version only when configured with server_version=...). For SQL
 * whose form changed between releases: the old form stays the default while the version is
 * unknown, as the SDK's conformance vectors expect. */
MO_INTERNAL int mo_mgr_matrixone_since(const mo_executor *ex, unsigned maj, unsigned min,
                                       unsigned pat);
/* Run the statement; *out may be NULL (the result is then freed). */
MO_INTERNAL mo_status mo_mgr_exec(mo_executor *ex, mo_buf *sql, const char *op, mo_result **out);
/* Re-set the current error (keeping category, server code and SQLSTATE) with the SDK's
 * message prefix: "<prefix>: <message>". Returns st. */
MO_INTERNAL mo_status mo_mgr_wrap(mo_status st, const char *op, const char *fmt, ...)
    MO_PRINTF(3, 4);
/* The tail every statement-only method shares: when st is ok run `sql` (result to *out, or
 * freed when out is NULL) and prefix a failure with the SDK's message (fmt); then release the
 * buffer and leave the executor. Returns the final status. */
MO_INTERNAL mo_status mo_mgr_finish(mo_executor *ex, mo_buf *sql, mo_status st, const char *op,
                                    mo_result **out, const char *fmt, ...) MO_PRINTF(6, 7);
/* A get() on an entered executor: read one record into *out (out may be NULL: the record is
 * read and discarded, so the dry-run journal is the same). ctx is the method's own (usually the
 * object's name). The read-back of a create/alter, and the lookup of exists(). */
typedef mo_status (*mo_mgr_get_fn)(void **out, mo_executor *ex, const void *ctx, const char *op);
/* mo_mgr_finish for a create/alter that hands out a record: when st is ok run `sql`, then
 * read_back(out, ex, ctx, op); a failure of either is prefixed with fmt; then release the
 * buffer and leave the executor. Returns the final status. */
MO_INTERNAL mo_status mo_mgr_finish_read_back(mo_executor *ex, mo_buf *sql, mo_status st,
                                              const char *op, mo_mgr_get_fn read_back,
                                              const void *ctx, void **out, const char *fmt, ...)
    MO_PRINTF(8, 9);
/* The one exists() of a MatrixOne-only object: enter, gate, get(NULL, ex, ctx, op); *exists is
 * 1 when found (in dry-run get() finds a record carrying the name), 0 on NOT_FOUND (then MO_OK);
 * other failures are returned. */
MO_INTERNAL mo_status mo_mgr_exists(mo_executor *ex, const char *op, mo_mgr_get_fn get,
                                    const void *ctx, int *exists);
/* The one "drop a named object" method: `<statement><name>` (statement e.g. "DROP USER IF
 * EXISTS "), name required (`required` is the message) and quoted as an identifier, gated to
 * MatrixOne when matrixone_only; a failure is prefixed with fmt as by mo_mgr_finish. */
MO_INTERNAL mo_status mo_mgr_drop_named(mo_executor *ex, const char *op, int matrixone_only,
                                        const char *statement, const char *name,
                                        const char *required, const char *what,
                                        const char *fmt, ...) MO_PRINTF(8, 9);
/* Remove a secret (a credential value, a password) from the current error message: every
 * occurrence of it, raw or as the body of its escaped literal, becomes "***". The category,
 * server code and SQLSTATE stay. For statements whose text carries secrets a server may echo
 * in a syntax error. */
MO_INTERNAL void mo_mgr_scrub_secret(const mo_executor *ex, const char *secret);
/* INVALID_ARGUMENT with `msg` when s is NULL or empty. */
MO_INTERNAL mo_status mo_mgr_require(const char *s, const char *op, const char *msg);

/* SQL pieces. Each returns MO_OK or INVALID_ARGUMENT (error set). */
MO_INTERNAL mo_status mo_mgr_ident(mo_buf *b, const char *name, const char *what, const char *op);
/* "a.b" -> `a`.`b` (split at the first '.'); "a" -> `a`. With allow_star, a part that is
 * exactly "*" is emitted bare (grant objects). */
MO_INTERNAL mo_status mo_mgr_qualified(mo_buf *b, const char *name, const char *what,
                                       int allow_star, const char *op);
/* The CREATE TABLE of mo_table_create (table.c): columns of the SDK's type strings, an optional
 * PRIMARY KEY ("a" or "a,b"). With auto_increment, a single integer primary key column gets
 * AUTO_INCREMENT, as the SDK's SQLAlchemy table builder renders it (mocore.matrixone's
 * create_table through mo_py_create_table_sql); mo_table_create itself passes 0. */
MO_INTERNAL mo_status mo_table_create_sql(mo_buf *sql, const char *table,
                                          const char *const *column_names,
                                          const char *const *column_types, size_t column_count,
                                          const char *primary_key, int auto_increment,
                                          const char *op);
/* "a,b" -> `a`, `b` (each part trimmed of spaces, quoted). */
MO_INTERNAL mo_status mo_mgr_ident_list(mo_buf *b, const char *names, const char *what,
                                        const char *op);
MO_INTERNAL void mo_mgr_literal(const mo_executor *ex, mo_buf *b, const char *s);
/* The caller's filter: " WHERE (" or " AND (" (`joiner`), where_sql with `?` bound from
 * params (rendered as mo_client_execute does), ")". NULL/empty where_sql appends nothing. */
MO_INTERNAL mo_status mo_mgr_where(const mo_executor *ex, mo_buf *b, const char *joiner,
                                   const char *where_sql, const mo_params *params,
                                   const char *op);
/* The one reading of a table argument for the methods that need its database and name apart
 * (catalog lookups, metadata_scan, mo_ctl): "db.t" is database db, table t (split at the
 * first '.'); a bare "t" is in `database`, else in the connection's database. A "db.t" with
 * a different `database` is INVALID_ARGUMENT, as is no database at all. *db_out and
 * *table_out are malloc'd (free both). */
MO_INTERNAL mo_status mo_mgr_split_table(const mo_executor *ex, const char *table,
                                         const char *database, char **db_out, char **table_out,
                                         const char *op);
/* "a, b" -> `a`, `b`; NULL or "" -> "*". */
MO_INTERNAL mo_status mo_mgr_select_list(mo_buf *b, const char *columns, const char *op);
/* A vector as a quoted literal '[x,y]' (f32: values are floats). */
MO_INTERNAL mo_status mo_mgr_vector_literal(mo_buf *b, const void *values, size_t count, int f32,
                                            const char *op);
/* A name sent as a string literal (catalog lookups) follows the identifier rules too:
 * non-empty, UTF-8, no NUL, <= 256 bytes. */
MO_INTERNAL mo_status mo_mgr_check_name(const char *name, const char *what, const char *op);
/* A name that travels inside a string literal (metadata_scan, mo_ctl): the identifier rules
 * (non-empty, UTF-8, <= 256 bytes) and no '.', which the server would split at. */
MO_INTERNAL mo_status mo_mgr_dotless_name(const char *name, const char *what, const char *op);
/* The string literal of s[0..len). */
MO_INTERNAL void mo_mgr_literal_n(const mo_executor *ex, mo_buf *b, const char *s, size_t len);
/* The rows of table.insert / batch_insert (table.c), for the vector manager too. The executor
 * is entered by the caller. */
MO_INTERNAL mo_status mo_table_insert_rows(uint64_t *affected, mo_executor *ex, const char *table,
                                           const char *const *columns, size_t column_count,
                                           const mo_params *values, size_t row_count,
                                           const char *op);
/* The connection's client character set, the introducer of hex-form literals (utf8mb4 in
 * dry-run). */
MO_INTERNAL const char *mo_mgr_charset(const mo_executor *ex);
/* The connection statements of ex run on (a bound hook connection, the session's or the
 * client's; NULL in dry-run). */
MO_INTERNAL mo_conn *mo_mgr_conn(const mo_executor *ex);
/* Finish a statement: OOM check. */
MO_INTERNAL mo_status mo_mgr_sql_ok(const mo_buf *b, const char *op);

/* ------------------------------------------------------------------ records */
MO_INTERNAL mo_record *mo_record_new(int kind);
/* Register (top-level record handed to the caller) or free on failure. */
MO_INTERNAL mo_status mo_record_publish(mo_record *r, const char *op);
MO_INTERNAL void mo_record_destroy(mo_record *r);
MO_INTERNAL mo_status mo_record_set(mo_record *r, int field, const char *s, size_t len,
                                    const char *op);
MO_INTERNAL mo_status mo_record_set_str(mo_record *r, int field, const char *s, const char *op);
MO_INTERNAL mo_record_list *mo_record_list_new(int kind);
MO_INTERNAL mo_status mo_record_list_add(mo_record_list *l, mo_record *r, const char *op);
/* Register the list and its items, or destroy it on failure. */
MO_INTERNAL mo_status mo_record_list_publish(mo_record_list *l, const char *op);
MO_INTERNAL void mo_record_list_destroy(mo_record_list *l);

/* Read every row of r into records of `kind`: column i -> text field map[i] (map[i] < 0:
 * skipped). filter(row record, userdata) decides whether a row is kept (NULL: all).
 * *out gets the list (unpublished). */
typedef int (*mo_record_filter)(const mo_record *rec, void *userdata);
MO_INTERNAL mo_status mo_records_from_result(mo_record_list **out, mo_result *r, int kind,
                                             const int *map, size_t map_len,
                                             mo_record_filter filter, void *userdata,
                                             const char *op);
/* pubsub.c: the rows of a SHOW SUBSCRIPTIONS result as subscription records, kept when
 * pub_account / pub_database (each NULL: any) match exactly. */
MO_INTERNAL mo_status mo_pubsub_subscriptions_from_result(mo_record_list **out, mo_result *r,
                                                          const char *pub_account,
                                                          const char *pub_database,
                                                          const char *op);
/* Move item i out of a list (the list keeps a NULL hole). */
MO_INTERNAL mo_record *mo_record_list_take(mo_record_list *l, size_t i);

/* The one read-back of every get(): the first record of `l` (the list is consumed), or in
 * dry-run a record carrying only the looked-up name in field `name_field` (so a create's whole
 * statement sequence is journaled), or MO_E_NOT_FOUND "<what> '<name>' not found". */
MO_INTERNAL mo_status mo_mgr_first_record(mo_record **out, const mo_executor *ex,
                                          mo_record_list *l, int kind, int name_field,
                                          const char *name, const char *what, const char *op);
/* Hand a record to the caller: publish it into *out when out is not NULL and st is ok,
 * otherwise destroy it. Returns the final status. */
MO_INTERNAL mo_status mo_mgr_hand_out(void **out, mo_record *rec, mo_status st, const char *op);

/* Hand a list to the caller: publish it (and its items) into *out when st is ok, otherwise
 * destroy it (l may be NULL then). Returns the final status. */
MO_INTERNAL mo_status mo_mgr_hand_out_list(void **out, mo_record_list *l, mo_status st,
                                           const char *op);

/* The record (list) behind a public handle when it is live and of `kind`, else NULL. */
MO_INTERNAL const mo_record *mo_live_record(const void *p, int kind);
MO_INTERNAL const mo_record_list *mo_live_record_list(const void *p, int kind);

/* The public accessors of a record type, generated: MO_RECORD_TYPE gives _free, _list_count,
 * _list_get and _list_free; MO_TEXT_FIELD one text accessor; MO_NUM_FIELD the numeric one. */
#define MO_TEXT_FIELD(type, fn, kind, idx)                                                   \
    const char *fn(const type *x) {                                                          \
        const mo_record *r = mo_live_record(x, kind);                                           \
        return r ? r->text[idx] : NULL;                                                      \
    }
#define MO_NUM_FIELD(type, fn, kind)                                                         \
    int64_t fn(const type *x) {                                                              \
        const mo_record *r = mo_live_record(x, kind);                                           \
        return r ? r->num : 0;                                                               \
    }
#define MO_RECORD_TYPE(type, prefix, kind)                                                   \
    void prefix##_free(type *x) {                                                            \
        mo_record *r = (mo_record *)mo_live_record(x, kind);                                    \
        if (!r || r->borrowed) return;                                                       \
        mo_handle_unregister(&r->h);                                                         \
        mo_record_destroy(r);                                                                \
    }                                                                                        \
    size_t prefix##_list_count(const type##_list *x) {                                       \
        const mo_record_list *l = mo_live_record_list(x, kind);                                        \
        return l ? l->count : 0;                                                             \
    }                                                                                        \
    const type *prefix##_list_get(const type##_list *x, size_t index) {                      \
        const mo_record_list *l = mo_live_record_list(x, kind);                                        \
        return l && index < l->count ? (const type *)(const void *)l->items[index] : NULL;   \
    }                                                                                        \
    void prefix##_list_free(type##_list *x) {                                                \
        mo_record_list *l = (mo_record_list *)mo_live_record_list(x, kind);                            \
        if (!l) return;                                                                      \
        mo_handle_unregister(&l->h);                                                         \
        mo_record_list_destroy(l);                                                           \
    }


/* cdc.c, for the unit tests: "<n>ms|s|m|h" (or bare seconds) in ms, -1 when unreadable; a
 * watermark in ms since the epoch (0 when unreadable); the lag threshold of a task's table
 * (thresholds, else the Frequency option of the task's JSON config + 10 min, else default). */
MO_INTERNAL int64_t mo_cdc_duration_ms(const char *s, int bare_seconds);
MO_INTERNAL int mo_cdc_watermark_ms(const char *s, int64_t *out);
MO_INTERNAL int64_t mo_cdc_threshold_ms(const char *task, const char *table, const char *config,
                                        const mo_strmap *thresholds, int64_t default_ms);

/* 1 when s equals t ignoring ASCII case. */
MO_INTERNAL int mo_mgr_ieq(const char *s, const char *t);

#endif
