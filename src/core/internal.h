/* src/core/internal.h — declarations shared inside libmocore. Nothing here is exported. */
#ifndef MOCORE_INTERNAL_H
#define MOCORE_INTERNAL_H

#include <stdarg.h>
#include <stdatomic.h>
#include "mocore.h"

#define MO_INTERNAL __attribute__((visibility("hidden")))
#define MO_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ------------------------------------------------------------------ buf.c
 * A growable NUL-terminated byte buffer. Allocation failure is sticky (`failed`), so a
 * builder appends freely and checks mo_buf_ok() once at the end (as SQLite's StrAccum). */
typedef struct mo_buf {
    char *data;   /* NUL-terminated when len > 0 or after mo_buf_cstr() */
    size_t len;
    size_t cap;
    int failed;
} mo_buf;

MO_INTERNAL void mo_buf_init(mo_buf *b);
MO_INTERNAL void mo_buf_free(mo_buf *b);
MO_INTERNAL void mo_buf_reset(mo_buf *b); /* len = 0, keeps memory, clears `failed` */
MO_INTERNAL void mo_buf_append(mo_buf *b, const void *data, size_t len);
MO_INTERNAL void mo_buf_append_str(mo_buf *b, const char *s);
MO_INTERNAL void mo_buf_append_char(mo_buf *b, char c);
MO_INTERNAL void mo_buf_printf(mo_buf *b, const char *fmt, ...) MO_PRINTF(2, 3);
MO_INTERNAL void mo_buf_vprintf(mo_buf *b, const char *fmt, va_list ap);
MO_INTERNAL int mo_buf_ok(const mo_buf *b);
/* Always a valid C string ("" when empty or failed). */
MO_INTERNAL const char *mo_buf_cstr(mo_buf *b);
/* Hand the bytes to the caller (malloc'd, NUL-terminated); the buffer is left empty.
 * NULL when the buffer failed. */
MO_INTERNAL char *mo_buf_detach(mo_buf *b, size_t *len);
MO_INTERNAL char *mo_strdup(const char *s);          /* NULL in -> NULL out */
MO_INTERNAL char *mo_strndup(const char *s, size_t n);

/* ------------------------------------------------------------------ error.c */
struct mo_error {
    mo_status category;
    int server_code;
    char sqlstate[6];
    char operation[64];
    char message[2048];
};

/* The errors of a cleanup (a rollback after a failure, a result freed mid-stream, the release
 * of an operation) must not replace the error the caller needs to see. A cleanup that runs
 * within one call does so inside a guard: while the guard is open, errors go to the guard's
 * own record (on the caller's stack, written only when an error happens; mo_error_last reads
 * it) and are dropped when it ends. Nothing is copied or cleared: an operation that succeeds
 * touches no record. Guards nest, strictly (begin and end in one function). */
typedef struct mo_error_guard {
    struct mo_error record;
    int has_error;
    struct mo_error_guard *outer;
} mo_error_guard;
MO_INTERNAL void mo_error_guard_begin(mo_error_guard *g);
MO_INTERNAL void mo_error_guard_end(mo_error_guard *g);
/* Around a wait in the caller's own wait function (a coroutine loop that may run other mocore
 * calls on this thread before it returns): the thread's error state is set aside and put back
 * afterwards (the other calls start outside any guard). The thread's record is copied only
 * when it holds an error. */
typedef struct mo_error_suspended {
    mo_error_guard *guard;
    int had_error;
    struct mo_error record; /* written only when had_error */
} mo_error_suspended;
MO_INTERNAL void mo_error_suspend(mo_error_suspended *s);
MO_INTERNAL void mo_error_resume(const mo_error_suspended *s);
/* A cleanup that spans several steps of an asynchronous operation (they may run on other
 * threads) keeps the error in the op: a heap copy, made only when there is an error. */
typedef struct mo_error_kept {
    struct mo_error *record; /* NULL when there was none (or no memory for the copy) */
    mo_status category;      /* of the kept error; 0: none */
} mo_error_kept;
MO_INTERNAL void mo_error_keep(mo_error_kept *k);
/* Make the kept error this thread's last error again (none: the thread has none), and let
 * go of the copy. */
MO_INTERNAL void mo_error_put_back(mo_error_kept *k);
MO_INTERNAL void mo_error_kept_free(mo_error_kept *k);
/* Make a copy of `e` this thread's last error. */
MO_INTERNAL void mo_error_restore(const struct mo_error *e);
/* Copy an error record: the fields and the message up to its end, not the whole 2 KB. */
MO_INTERNAL void mo_error_copy(struct mo_error *dst, const struct mo_error *src);
/* Set this thread's last error and return `category`. The message is formatted and then has
 * secrets redacted. */
MO_INTERNAL mo_status mo_error_set(mo_status category, const char *operation, const char *fmt,
                                   ...) MO_PRINTF(3, 4);
/* A server/client error: the category is derived from the code and message
 * (mo_error_category_for_server) unless `category` is non-zero. */
MO_INTERNAL mo_status mo_error_set_server(mo_status category, const char *operation, int code,
                                          const char *sqlstate, const char *message);
MO_INTERNAL mo_status mo_error_oom(const char *operation);
/* The category of a server answer: the message rules of MatrixOne's catch-all numbers
 * (20101, 1105, ...: code + message prefix), else mo_error_category_for_code. */
MO_INTERNAL mo_status mo_error_category_for_server(int code, const char *message);
/* The two tables behind it, row by row (NULL past the end): for the error map in
 * docs/matrixone.md. `note` is non-NULL on the numbers MatrixOne sends. */
struct mo_code_entry {
    int code;
    mo_status category;
    const char *note;
};
struct mo_message_rule {
    int code;
    const char *prefix;   /* the message starts with it */
    const char *contains; /* and then contains it (NULL: anything) */
    mo_status category;
};
MO_INTERNAL const struct mo_code_entry *mo_error_code_entry(size_t i);
MO_INTERNAL const struct mo_message_rule *mo_error_message_rule(size_t i);

/* ------------------------------------------------------------------ handle.c
 * Every handle starts with a mo_handle. Live handles are kept in a registry, so a freed or
 * foreign pointer gives a clean MO_E_MISUSE instead of a crash, and a busy flag detects
 * concurrent use from two threads. */
typedef enum {
    MO_HANDLE_CONFIG = 0x6d6f4346,  /* 'moCF' */
    MO_HANDLE_CLIENT = 0x6d6f434c,  /* 'moCL' */
    MO_HANDLE_SESSION = 0x6d6f5345, /* 'moSE' */
    MO_HANDLE_RESULT = 0x6d6f5245,  /* 'moRE' */
    MO_HANDLE_PARAMS = 0x6d6f5041,  /* 'moPA' */
    MO_HANDLE_EXECUTOR = 0x6d6f4558, /* 'moEX' managers' executor (src/managers) */
    MO_HANDLE_RECORD = 0x6d6f5243,  /* 'moRC' a manager record (snapshot, pitr, ...) */
    MO_HANDLE_RECORD_LIST = 0x6d6f524c, /* 'moRL' a list of manager records */
    MO_HANDLE_OP = 0x6d6f4f50,      /* 'moOP' an asynchronous operation */
    MO_HANDLE_STRMAP = 0x6d6f534d, /* 'moSM' an ordered text map (strmap.c) */
    MO_HANDLE_LOAD_OPTIONS = 0x6d6f4c4f, /* 'moLO' LOAD DATA options (managers/load_data.c) */
    MO_HANDLE_POOL = 0x6d6f504c     /* 'moPL' a connection pool (pool.c) */
} mo_handle_type;

typedef struct mo_handle {
    uint32_t type;
    atomic_int busy;
    unsigned process;          /* mo_process_generation() when it was registered */
    int pid;                   /* the process that created it (for the error message) */
} mo_handle;

/* Fork safety. A child of fork() inherits every handle, connection and socket of its parent;
 * using them there would talk on the parent's connection (and break its TLS stream). Every
 * handle and connection remembers the process generation it was made in; a pthread_atfork
 * child handler bumps the generation, so the check is one comparison per call (getpid() is a
 * system call). In a child every call on an inherited handle fails with MO_E_MISUSE and does
 * no I/O; closing or freeing it only releases memory (mo_conn_unref sends nothing). */
MO_INTERNAL unsigned mo_process_generation(void);
/* This process's id as of the last fork (no system call). */
MO_INTERNAL int mo_process_pid(void);
/* 1 when the handle was created in another process (a parent of this one). */
MO_INTERNAL int mo_handle_inherited(const void *h);

MO_INTERNAL mo_status mo_handle_register(mo_handle *h, mo_handle_type type, const char *operation);
MO_INTERNAL void mo_handle_unregister(mo_handle *h);
/* NULL -> MO_E_INVALID_ARGUMENT; not a live handle of `type` -> MO_E_MISUSE. Sets the error. */
MO_INTERNAL mo_status mo_handle_check(const void *h, mo_handle_type type, const char *operation);
/* mo_handle_check, then take the busy flag (MO_E_MISUSE if another thread holds it). */
MO_INTERNAL mo_status mo_handle_enter(void *h, mo_handle_type type, const char *operation);
MO_INTERNAL void mo_handle_leave(void *h);
/* mo_handle_enter for a free function: also for a handle inherited over fork() (releasing
 * memory is allowed in a child; nothing else is). */
MO_INTERNAL mo_status mo_handle_enter_release(void *h, mo_handle_type type, const char *operation);
/* Non-setting probe: 1 when h is a live handle of `type`. */
MO_INTERNAL int mo_handle_is_live(const void *h, mo_handle_type type);

/* ------------------------------------------------------------------ sqltext.c
 * The one identifier-quoting function and the one string-literal function of the library. */

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
MO_INTERNAL int mo_utf8_valid(const char *s, size_t len);

/* Append `name` as a backtick-quoted identifier with inner backticks doubled. Rejects NULL,
 * empty, NUL-containing, invalid UTF-8 and names over 256 bytes with MO_E_INVALID_ARGUMENT
 * (error set, naming `what`, e.g. "snapshot name"). */
MO_INTERNAL mo_status mo_sql_append_identifier(mo_buf *b, const char *name, const char *what,
                                               const char *operation);

/* The character set mocore's connections use, and the introducer of hex-form literals. */
#define MO_SQL_DEFAULT_CHARSET "utf8mb4"
/* For servers without character set introducers (MatrixOne v4.2 rejects _utf8mb4 X'..' as
 * a syntax error): the hex form is CAST(X'..' AS CHAR), a string there. */
#define MO_SQL_NO_INTRODUCER ""

/* Append s[0..len) as a string literal whose extent is the same under every sql_mode and in
 * every client character set mocore allows (quotes are doubled: 'it''s').
 * MO_LITERAL_VALUE (where an expression goes): never a backslash; a value with a backslash,
 * NUL or ^Z is a hex literal behind the introducer `charset` (NULL: utf8mb4; "": none), e.g.
 * _utf8mb4 X'615C62' for a\b (CAST(X'615C62' AS CHAR) with MO_SQL_NO_INTRODUCER), so the
 * value is exact in every mode.
 * MO_LITERAL_QUOTED (where the grammar takes only a quoted string: IDENTIFIED BY, ESCAPED BY,
 * COMMENT, paths): backslash, NUL, \n, \r, ^Z are written \\, \0, \n, \r, \Z, exact in the
 * default mode; under NO_BACKSLASH_ESCAPES those arrive as written (never as anything that
 * ends the literal). */
typedef enum { MO_LITERAL_VALUE, MO_LITERAL_QUOTED } mo_literal_form;
MO_INTERNAL void mo_sql_append_string_literal(mo_buf *b, const char *s, size_t len,
                                              mo_literal_form form, const char *charset);

/* Append X'hex' (X'' for len 0). */
MO_INTERNAL void mo_sql_append_hex_literal(mo_buf *b, const void *data, size_t len);

/* Find the `?` placeholders outside string literals ('..' and ".."), quoted identifiers
 * (`..`), and comments (-- to end of line when followed by whitespace or end, # to end of
 * line, slash-star .. star-slash). The server's escape mode is not known, so when the text
 * holds a backslash it is read with and without backslash escapes (and with ANSI_QUOTES):
 * MO_SQL_AMBIGUOUS when the readings do not find the same placeholders. Otherwise writes at
 * most `max` offsets and returns the total count found. */
#define MO_SQL_AMBIGUOUS ((size_t)-1)
MO_INTERNAL size_t mo_sql_find_placeholders(const char *sql, size_t len, size_t *offsets,
                                            size_t max);

/* The placeholders of PyMySQL's format and pyformat styles, "%s" and "%(name)s", found where
 * mo_sql_find_placeholders finds `?` (outside literals, identifiers and comments, in every
 * reading): "%%" is no placeholder, nor is a '%' before anything else. Writes the offset and
 * length of at most `max` of them, the number of `?` outside literals to *qmarks (when not
 * NULL), and returns the total count, or MO_SQL_AMBIGUOUS. */
/* The one row of INSERT|REPLACE ... VALUES (row) [tail], the same in every reading: 1 with
 * out[0..1] the row's parentheses [start, end), out[2] its `?` count, out[3] the end of the
 * tail (before a final ';'); 0 when the statement is not of that shape (VALUES with several
 * rows or none, a `?` outside the row, a second statement). */
MO_INTERNAL int mo_sql_find_insert_row(const char *sql, size_t len, size_t out[4]);
MO_INTERNAL size_t mo_sql_find_format_placeholders(const char *sql, size_t len, size_t *offsets,
                                                   size_t *lengths, size_t max, size_t *qmarks);

/* The statement's first keyword, upper-cased into out (e.g. "SELECT"), skipping leading
 * whitespace, comments and '('. Returns its length, 0 if none. */
MO_INTERNAL size_t mo_sql_first_keyword(const char *sql, size_t len, char *out, size_t out_size);

/* The one reader of quotes outside the placeholder scan: if s[i] opens a quoted string or
 * identifier (' " or `), the index just past its closing quote with *closed = 1, or len with
 * *closed = 0 when it is unterminated; i itself (*closed = 0) when no quote opens there. Read
 * the default way (a backslash escapes inside '..' and ".."), which makes a literal longest.
 * `closed` may be NULL. */
MO_INTERNAL size_t mo_sql_quoted_end(const char *s, size_t len, size_t i, int *closed);

/* The offset of the next occurrence at or after `from` of the keyword `word` (upper case,
 * letters/digits/'_') as a whole word outside literals and comments, in any case; len when
 * there is none. */
MO_INTERNAL size_t mo_sql_find_word(const char *sql, size_t len, size_t from, const char *word);
/* 1 when a text value holds a backslash, NUL or ^Z: bytes whose reading depends on the server's
 * sql_mode, so a quoted literal cannot carry it the same way in every mode (sqltext.c). */
MO_INTERNAL int mo_sql_text_needs_hex_form(const char *s, size_t len);
/* 1 when sql[at] (a placeholder) is the search string of MATCH ... AGAINST(?): the text before
 * it is the keyword AGAINST and '(' (any case, blanks between). */
MO_INTERNAL int mo_sql_is_against_operand(const char *sql, size_t at);

/* A caller's SQL fragment (a WHERE or SET expression) that we embed must be closed in itself:
 * NULL when it is, else what is wrong ("a ';'", "an unterminated comment", "an executable
 * comment", "an unterminated quoted string or identifier", "unbalanced parentheses"), in any
 * reading of its backslashes. With `comments` 0 any comment is a problem ("a comment"): a
 * LOAD DATA statement carries none at all. */
MO_INTERNAL const char *mo_sql_fragment_problem(const char *s, size_t len, int comments);

/* 1 when the statement cannot change data (SELECT, SHOW, DESCRIBE, EXPLAIN, ...): losing the
 * connection while it runs in autocommit cannot leave an unknown outcome. Conservative:
 * anything it does not know is a write. */
MO_INTERNAL int mo_sql_is_read_only(const char *sql, size_t len);

/* 1 when `name` (any case) is a client character set in which no ASCII byte can be part of a
 * multi-byte character (utf8mb4, latin1, euckr, binary, ...); 0 for big5, gbk, gb18030, sjis,
 * cp932 and any name not known to be safe. */
MO_INTERNAL int mo_sql_charset_is_safe(const char *name, size_t len);
/* A SET statement (SET NAMES, SET CHARACTER SET, SET character_set_client = ..., also inside
 * executable comments) that names an unsafe client character set: MO_SQL_SET_UNSAFE_CHARSET
 * (the name in out, NUL-terminated, truncated to out_size - 1); one that takes
 * character_set_client out of session_track_system_variables: MO_SQL_SET_UNTRACKED (the
 * value in out); else 0. */
enum { MO_SQL_SET_UNSAFE_CHARSET = 1, MO_SQL_SET_UNTRACKED = 2 };
MO_INTERNAL int mo_sql_unsafe_charset_change(const char *sql, size_t len, char *out,
                                             size_t out_size);
/* What it means when the answer to a statement is lost (read timeout, connection reset, the
 * connection killed): the error category the caller gets (docs/security.md, "Lost answers").
 * The values are stored in mo_conn.outcome_sensitive while the statement runs. */
typedef enum {
    MO_LOSS_READ_ONLY = 0,   /* changes nothing: TIMEOUT or CONNECTION_LOST as it happened */
    MO_LOSS_UNKNOWN = 1,     /* may have committed (autocommit write, COMMIT, DDL, CALL...):
                              * OUTCOME_UNKNOWN */
    MO_LOSS_ROLLED_BACK = 2  /* inside an open transaction and not committing it: the
                              * transaction is lost, rolled back by the server when the
                              * connection goes: CONNECTION_LOST */
} mo_answer_loss;
/* Classify `sql`, run in autocommit (in_transaction 0) or inside a session's transaction. */
MO_INTERNAL mo_answer_loss mo_sql_answer_loss(const char *sql, size_t len, int in_transaction);

/* ------------------------------------------------------------------ params.c */
/* Render `sql` with every `?` replaced by the literal of the matching value. params == NULL:
 * the SQL is copied verbatim. A count mismatch is MO_E_INVALID_ARGUMENT (error set). */
MO_INTERNAL mo_status mo_params_render(mo_buf *out, const char *sql, size_t len,
                                       const mo_params *params, const char *charset,
                                       const char *operation);
/* The same with the placeholders already found: `found` offsets of `?` in sql (as
 * mo_sql_find_placeholders gives them, MO_SQL_AMBIGUOUS included). */
MO_INTERNAL mo_status mo_params_render_at(mo_buf *out, const char *sql, size_t len,
                                          const size_t *offsets, size_t found,
                                          const mo_params *params, const char *charset,
                                          const char *operation);
/* A private copy of src's values into *dst (allocated on first use, reused after): for the
 * binary protocol, which sends them after the caller's call returned. Not a handle: freed
 * with mo_params_free_copy, never given out. */
MO_INTERNAL mo_status mo_params_copy_values(struct mo_params **dst, const struct mo_params *src,
                                            const char *operation);
MO_INTERNAL void mo_params_free_copy(struct mo_params *p);
MO_INTERNAL int mo_params_is_copy(const struct mo_params *p);
/* The number of values, for a handle or a copy (no handle check). */
MO_INTERNAL size_t mo_params_length(const struct mo_params *p);
/* Value `index` as the binary protocol sends it: NULL, a signed or unsigned integer (a bool
 * as 1/0), a double, or bytes (text, JSON, temporal and vector text as a string; a blob; a
 * decimal's digits). */
typedef enum { MO_PARAM_NULL, MO_PARAM_INT64, MO_PARAM_UINT64, MO_PARAM_DOUBLE, MO_PARAM_STRING,
               MO_PARAM_BLOB, MO_PARAM_DECIMAL } mo_param_kind;
typedef struct mo_param_view {
    mo_param_kind kind;
    int64_t i;
    uint64_t u;
    double d;
    const char *bytes;
    size_t len;
} mo_param_view;
MO_INTERNAL mo_param_view mo_params_view(const struct mo_params *p, size_t index);
/* About the bytes the values take in the binary protocol's execute packet (at least). */
MO_INTERNAL size_t mo_params_wire_bytes(const struct mo_params *p);
/* Let p hold NaN and infinities: the values of a binding's manager call, which C checks by
 * the argument they are for before any is sent (a copy into another mo_params refuses them). */
MO_INTERNAL void mo_params_allow_non_finite(struct mo_params *p);
/* Append a copy of value `index` of src to dst, of the kind it was added as (a binding that
 * regroups values added in one mo_params: the rows of a manager call). */
MO_INTERNAL mo_status mo_params_add_copy(struct mo_params *dst, const struct mo_params *src,
                                         size_t index, const char *operation);
/* Append value `index` of params as its SQL literal (the rendering of mo_params_render). */
MO_INTERNAL void mo_params_append_value(mo_buf *out, const mo_params *params, size_t index,
                                        const char *charset);
/* Append the text of a vector, [x,y,...] in shortest round-trip form (f32: `values` is a
 * float array, else double). NaN/Inf -> MO_E_INVALID_ARGUMENT (error set). */
MO_INTERNAL mo_status mo_sql_append_vector_text(mo_buf *out, const void *values, size_t count,
                                                int f32, const char *operation);
/* Append one double in shortest round-trip form that MySQL reads as a DOUBLE. */
MO_INTERNAL void mo_sql_append_double(mo_buf *b, double v);

/* strtod in the C locale ('.' is the decimal point whatever setlocale() says): every number
 * core reads from the server or a caller's JSON goes through it (value_text.c). */
MO_INTERNAL double mo_strtod_c(const char *s, char **end);

/* ------------------------------------------------------------------ config.c */
struct mo_conn;
struct mo_config {
    mo_handle h;
    char *host;
    unsigned port;
    char *unix_socket;
    mo_transport transport;
    char *user;
    char *password;
    char *database;
    char *account;
    char *role;
    unsigned connect_timeout_ms;
    unsigned read_timeout_ms;
    unsigned write_timeout_ms;
    mo_tls_mode tls_mode;
    char *tls_ca;
    char *tls_cert;
    char *tls_key;
    mo_log_mode log_mode;
    unsigned log_slow_threshold_ms;
    unsigned log_max_display_length;
    mo_log_sink log_sink;
    void *log_sink_userdata;
    int dry_run;
    mo_server_kind server_kind;
    /* server_version=...: the version a dry-run client assumes (version gates and the SQL
     * forms chosen by version, e.g. restore); unknown by default. */
    int dry_run_version_known;
    unsigned dry_run_version[3];
    char *login_user;  /* cache for mo_config_login_user */
    unsigned connect_actions;       /* MO_CONNECT_* (hooks.h) */
    mo_connect_hook connect_hook;
    void *connect_hook_userdata;
    /* How to run the two above on a new connection: set by their setters (src/managers/
     * hooks.c), so core reaches the managers through this pointer and never calls up into
     * them. NULL: nothing to run. */
    void (*connect_hooks_runner)(mo_client *client, struct mo_conn *conn, const char *operation);
    mo_wait_function wait_function; /* NULL: poll() (async.h) */
    void *wait_function_userdata;
    unsigned statement_cache_size; /* prepared statements kept per connection (statement.c) */
    int prepare_threshold;         /* uses before a statement is prepared; -1: auto */
    char **local_infile_dirs;      /* resolved directories LOAD DATA LOCAL may read (local_infile.c) */
    size_t local_infile_dir_count; /* 0: LOCAL INFILE off */
};

/* Compute the login name into *out (malloc'd). MO_E_INVALID_ARGUMENT with the SDK's message
 * for invalid combinations. Does not need a handle (unit-testable). */
MO_INTERNAL mo_status mo_login_build(const char *user, const char *account, const char *role,
                                     char **out, const char *operation);
/* Deep copy without registering a handle (clients keep a private copy). */
MO_INTERNAL mo_status mo_config_clone_private(struct mo_config **out, const struct mo_config *src);
MO_INTERNAL void mo_config_free_private(struct mo_config *cfg);

/* ------------------------------------------------------------------ local_infile.c
 * The allowed directories of a config (see src/core/local_infile.h for the handler). */
MO_INTERNAL mo_status mo_local_infile_dirs_copy(struct mo_config *dst, const struct mo_config *src);
MO_INTERNAL void mo_local_infile_dirs_free(struct mo_config *cfg);

/* ------------------------------------------------------------------ strmap.c */
struct mo_strmap {
    mo_handle h;
    size_t count, cap;
    char **keys;
    char **values; /* NULL = no value */
};
/* The value of key ("" when it has none), or NULL when the key is absent (or m is NULL). */
MO_INTERNAL const char *mo_strmap_find(const mo_strmap *m, const char *key);

/* ------------------------------------------------------------------ hooks (client.c)
 * Run the configured connection hooks (the config's connect_hooks_runner) on a new physical
 * connection (conn NULL in dry-run). Never fails: every failure is logged. The client's kind
 * must already be known. */
MO_INTERNAL void mo_hooks_run(mo_client *client, struct mo_conn *conn, const char *operation);

/* ------------------------------------------------------------------ json.c
 * A small JSON reader (RFC 8259) for server answers such as mo_ctl's. */
typedef enum { MO_JSON_NULL, MO_JSON_BOOL, MO_JSON_NUMBER, MO_JSON_STRING, MO_JSON_ARRAY,
               MO_JSON_OBJECT } mo_json_type;
typedef struct mo_json {
    mo_json_type type;
    int boolean;
    double number;
    char *string;             /* STRING (NUL-terminated, may hold NUL: see len); object key */
    size_t len;
    char *key;                /* member name when inside an object */
    struct mo_json *child;    /* first element / member */
    struct mo_json *next;     /* next sibling */
} mo_json;
/* Parse text[0..len); NULL and *error set to a short reason on failure (or OOM). */
MO_INTERNAL mo_json *mo_json_parse(const char *text, size_t len, const char **error);
MO_INTERNAL void mo_json_free(mo_json *j);
/* Member `key` of an object (NULL when absent or j is not an object). */
MO_INTERNAL const mo_json *mo_json_get(const mo_json *j, const char *key);
/* Element i of an array (NULL when out of range). */
MO_INTERNAL const mo_json *mo_json_at(const mo_json *j, size_t i);
MO_INTERNAL size_t mo_json_count(const mo_json *j);

/* ------------------------------------------------------------------ log.c */
/* Format one query log line the way the MatrixOne SDK does (reference §4), corrected: SQL is
 * shown after parameter substitution with secrets redacted, and `off` silences everything.
 * Returns 0 when nothing is to be logged (mode off), else 1 and *level. seconds < 0: no
 * time shown; rows < 0: no row count shown. */
MO_INTERNAL int mo_log_format_query(mo_buf *out, int *level, mo_log_mode mode,
                                    unsigned slow_threshold_ms, unsigned max_display_length,
                                    const char *sql, size_t len, double seconds, int64_t rows,
                                    int success);
/* Log a query through cfg's sink; `mode_override` is one of MO_EXEC_LOG_* (0 = cfg's mode). */
MO_INTERNAL void mo_log_query(const struct mo_config *cfg, unsigned mode_override, const char *sql,
                              size_t len, double seconds, int64_t rows, int success);
/* 1 when mo_log_query would write a line (so a caller may skip building the text). */
MO_INTERNAL int mo_log_enabled(const struct mo_config *cfg, unsigned mode_override);
/* Log a free-form line (connect/disconnect/hook messages) if logging is not off. */
MO_INTERNAL void mo_log_message(const struct mo_config *cfg, int level, const char *fmt, ...)
    MO_PRINTF(3, 4);
/* The SDK's statement summary ("SELECT FROM USERS", "INSERT INTO T", ...). */
MO_INTERNAL void mo_sql_summary(mo_buf *out, const char *sql, size_t len);
/* Copy text with secrets replaced by '***': the literal after IDENTIFIED BY / PASSWORD,
 * credential values in CREDENTIALS={...} / 'aws_secret_access_key'=..., and the password in
 * scheme://user:password@ URIs. */
MO_INTERNAL void mo_redact_secrets(mo_buf *out, const char *text, size_t len);

#endif
