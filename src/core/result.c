/* src/core/result.c — cursors over buffered and streaming results, typed getters. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "connection.h"

static mo_type type_of(const MYSQL_FIELD *f) {
    MARIADB_CONST_STRING format = {NULL, 0};
    /* MariaDB marks JSON (a LONGTEXT alias) and UUID through extended metadata. */
    if (mariadb_field_attr(&format, f, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 && format.str) {
        if (format.length == 4 && strncasecmp(format.str, "json", 4) == 0) return MO_TYPE_JSON;
        if (format.length == 4 && strncasecmp(format.str, "uuid", 4) == 0) return MO_TYPE_UUID;
    }
    switch (f->type) {
    case MYSQL_TYPE_NULL: return MO_TYPE_NULL;
    case MYSQL_TYPE_TINY: return MO_TYPE_INT8;
    case MYSQL_TYPE_SHORT: return MO_TYPE_INT16;
    case MYSQL_TYPE_INT24: return MO_TYPE_INT24;
    case MYSQL_TYPE_LONG: return MO_TYPE_INT32;
    case MYSQL_TYPE_LONGLONG: return MO_TYPE_INT64;
    case MYSQL_TYPE_FLOAT: return MO_TYPE_FLOAT;
    case MYSQL_TYPE_DOUBLE: return MO_TYPE_DOUBLE;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL: return MO_TYPE_DECIMAL;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE: return MO_TYPE_DATE;
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2: return MO_TYPE_TIME;
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2: return MO_TYPE_DATETIME;
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2: return MO_TYPE_TIMESTAMP;
    case MYSQL_TYPE_YEAR: return MO_TYPE_YEAR;
    case MYSQL_TYPE_BIT: return MO_TYPE_BIT;
    case MYSQL_TYPE_JSON: return MO_TYPE_JSON;
    case MYSQL_TYPE_ENUM: return MO_TYPE_ENUM;
    case MYSQL_TYPE_SET: return MO_TYPE_SET;
    case MYSQL_TYPE_GEOMETRY: return MO_TYPE_GEOMETRY;
    case MYSQL_TYPE_VARCHAR:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
        /* The text protocol sends ENUM and SET as strings with a flag. */
        if (f->flags & ENUM_FLAG) return MO_TYPE_ENUM;
        if (f->flags & SET_FLAG) return MO_TYPE_SET;
        return f->charsetnr == 63 ? MO_TYPE_BLOB : MO_TYPE_TEXT;
    default: return MO_TYPE_OTHER;
    }
}

void mo_result_mark_vector_column(mo_result *r, const char *name) {
    if (!r || !name || !r->fields) return;
    for (size_t i = 0; i < r->column_count; i++)
        if (r->types[i] == MO_TYPE_TEXT && r->fields[i].name &&
            strcasecmp(r->fields[i].name, name) == 0)
            r->types[i] = MO_TYPE_VECTOR;
}

/* A block of `size` bytes for a result of `client`, its first `zeroed` bytes zeroed: its
 * spare (the memory of the last result freed) when that is large enough, else new. */
static mo_result *result_block(mo_client *client, size_t size, size_t zeroed) {
    mo_result *r = client ? atomic_exchange(&client->spare_result, NULL) : NULL;
    size_t have = r ? r->block_size : size;
    if (r && have < size) {
        free(r);
        r = NULL;
        have = size;
    }
    if (!r) r = malloc(size);
    if (!r) return NULL;
    memset(r, 0, zeroed);
    r->block_size = have;
    return r;
}

/* The last release: the block goes to its client's spare (the one there, if any, is freed).
 * The caller still holds its reference to the client. */
static void result_block_free(mo_result *r, mo_client *client) {
    if (r->block_size && client) r = atomic_exchange(&client->spare_result, r);
    free(r);
}

mo_status mo_result_create(mo_result **out, mo_client *client, mo_session *session,
                           mo_conn *conn, MYSQL_RES *res, int streaming, const char *operation) {
    *out = NULL;
    mo_result *r = res ? calloc(1, sizeof *r) : result_block(client, sizeof *r, sizeof *r);
    if (!r) return mo_error_oom(operation);
    atomic_init(&r->refs, 1);
    r->res = res;
    if (res) {
        r->column_count = mysql_num_fields(res);
        r->fields = mysql_fetch_fields(res);
        r->types = calloc(r->column_count ? r->column_count : 1, sizeof *r->types);
        r->lengths = calloc(r->column_count ? r->column_count : 1, sizeof *r->lengths);
        if (!r->types || !r->lengths) {
            free(r->types);
            free(r->lengths);
            free(r);
            return mo_error_oom(operation);
        }
        for (size_t i = 0; i < r->column_count; i++) r->types[i] = type_of(&r->fields[i]);
    }
    if (mo_handle_register(&r->h, MO_HANDLE_RESULT, operation) < 0) {
        free(r->types);
        free(r->lengths);
        free(r);
        return MO_E_RESOURCE;
    }
    if (conn) {
        r->affected_rows = streaming ? 0 : (uint64_t)mysql_affected_rows(conn->mysql);
        r->insert_id = (uint64_t)mysql_insert_id(conn->mysql);
        r->warnings = mysql_warning_count(conn->mysql);
    }
    r->streaming = streaming;
    r->client = client;
    mo_client_ref(client);
    if (session) {
        r->session = session;
        mo_session_ref(session);
    }
    if (streaming) {
        r->conn = conn;
        mo_conn_ref(conn);
        conn->stream = r;
    }
    if (!res) r->done = 1;
    *out = r;
    return MO_OK;
}

mo_status mo_result_create_binary(mo_result **out, mo_client *client, mo_session *session,
                                  mo_conn *conn, mo_stmt *stmt, int streaming,
                                  const char *operation) {
    *out = NULL;
    MYSQL_STMT *h = stmt->handle;
    size_t n = mysql_stmt_field_count(h);
    if (!n) streaming = 0;
    /* One block for every per-column array; the text forms last, not zeroed (text_row says
     * which are made). */
    size_t cols = n ? n : 1;
    size_t arrays = cols * (sizeof(mo_type) + sizeof(size_t) + sizeof(unsigned char *) +
                            sizeof(size_t) + sizeof(uint64_t) + 2 * sizeof(char *) + 1 +
                            sizeof(int));
    size_t zeroed = (sizeof(mo_result) + arrays + 7) & ~(size_t)7;
    size_t size = zeroed + cols * MO_CELL_TEXT;
    mo_result *r = result_block(client, size, zeroed);
    if (!r) {
        mo_stmt_unref(stmt);
        return mo_error_oom(operation);
    }
    char *at = (char *)(r + 1);
    r->lengths = (size_t *)at;
    at += cols * sizeof(size_t);
    r->text_len = (size_t *)at;
    at += cols * sizeof(size_t);
    r->text_row = (uint64_t *)at;
    at += cols * sizeof(uint64_t);
    r->cells = (const unsigned char **)at;
    at += cols * sizeof(unsigned char *);
    r->row_values = (const char **)at;
    at += cols * sizeof(char *);
    r->typed_values = (const void **)at;
    at += cols * sizeof(void *);
    r->types = (mo_type *)at;
    at += cols * sizeof(mo_type);
    r->kinds = (int *)at;
    at += cols * sizeof(int);
    r->widths = (signed char *)at;
    r->text = (char *)r + zeroed; /* 8-byte aligned: the number slots of mo_result_row_typed */
    atomic_init(&r->refs, 1);
    r->binary_block = 1;
    r->column_count = n;
    r->fields = h->fields;
    for (size_t i = 0; i < n; i++) {
        r->types[i] = type_of(&r->fields[i]);
        r->widths[i] = (signed char)mo_binary_wire_width(r->fields[i].type);
        r->text_row[i] = UINT64_MAX; /* no text form made */
    }
    if (mo_handle_register(&r->h, MO_HANDLE_RESULT, operation) < 0) {
        mo_stmt_unref(stmt);
        free(r);
        return MO_E_RESOURCE;
    }
    r->affected_rows = !n ? (uint64_t)mysql_stmt_affected_rows(h)
                       : streaming ? 0 : (uint64_t)mysql_stmt_num_rows(h);
    r->insert_id = (uint64_t)mysql_stmt_insert_id(h);
    r->warnings = mysql_warning_count(conn->mysql);
    r->client = client;
    mo_client_ref(client);
    if (session) {
        r->session = session;
        mo_session_ref(session);
    }
    if (!n) {
        /* nothing to read: the statement is free for its next execution at once */
        mo_stmt_unref(stmt);
        r->done = 1;
    } else {
        r->stmt = stmt;
        mysql_stmt_attr_set(h, STMT_ATTR_CB_USER_DATA, r);
        if (!streaming) r->cursor = h->result_cursor;
    }
    if (streaming) {
        r->streaming = 1;
        r->stmt_pending = 1;
        r->conn = conn;
        mo_conn_ref(conn);
        conn->stream = r;
    }
    *out = r;
    return MO_OK;
}

void mo_result_ref(mo_result *r) { atomic_fetch_add(&r->refs, 1); }

void mo_result_unref(mo_result *r) {
    if (!r || atomic_fetch_sub(&r->refs, 1) != 1) return;
    if (r->streaming && r->conn) {
        mo_conn *c = r->conn;
        /* Not in a child of fork(): the rest of the rows are the parent's to read. */
        if (c->stream == r && !c->poisoned && c->process == mo_process_generation() &&
            mo_conn_enter(c, "result.free") >= 0) {
            /* Freed before its end: read the rest so the connection stays in sync. */
            mo_error_guard guard;
            mo_error_guard_begin(&guard);
            mo_stream_end m;
            /* The machine takes and drops its own reference; keep one so that drop is not
             * the last (this is the last release already). */
            atomic_store(&r->refs, 1);
            mo_stream_end_init(&m, r, 0);
            c->operation = "result.free";
            mo_status st = mo_stream_end_run(&m, MO_OK);
            while (st == MO_AGAIN) {
                st = mo_conn_continue(c, mo_conn_wait(c));
                if (st != MO_AGAIN) st = mo_stream_end_run(&m, st);
            }
            mo_error_guard_end(&guard);
            mo_conn_leave(c);
        } else if (c->stream == r) {
            c->stream = NULL;
        }
        if (r->res) {
            /* On a poisoned connection rows may still be pending: free the memory without
             * letting libmariadb read them from a connection we no longer trust. */
            r->res->handle = NULL;
            mysql_free_result(r->res);
        }
        mo_conn_unref(c);
    } else if (r->res) {
        mysql_free_result(r->res);
    }
    mo_stmt_unref(r->stmt);
    if (!r->binary_block) {
        free(r->types);
        free(r->lengths);
        free(r->kinds);
    }
    mo_result_free(r->next_set);   /* the rest of the chain nobody took */
    mo_session_unref(r->session);
    mo_client *client = r->client;
    result_block_free(r, client);
    mo_client_unref(client);
}

static void copy_lengths(mo_result *r) {
    unsigned long *lengths = mysql_fetch_lengths(r->res);
    for (size_t i = 0; i < r->column_count; i++) r->lengths[i] = lengths[i];
}

/* The next-row machine of a streaming result: fetch one row; at the end (or after a server
 * error) read what is left so the wire is free again. The op holds the result's and the
 * connection's busy flags. */
enum { NEXT_BEGIN = 0, NEXT_FETCH, NEXT_END };

static mo_status next_run(mo_op *op, mo_status st) {
    mo_result *r = op->result;
    mo_conn *c = r->conn;
    switch (op->stage) {
    case NEXT_BEGIN:
        op->stage = NEXT_FETCH;
        c->operation = "result.next";
        if (r->stmt) r->rows_read++; /* the row the callback fills (text forms are per row) */
        st = r->stmt ? mo_conn_stmt_fetch_start(c, r->stmt->handle)
                     : mo_conn_fetch_row_start(c, r->res);
        if (st == MO_AGAIN) return st;
        /* fall through */
    case NEXT_FETCH:
        if (r->stmt) {
            if (st == MO_ROW) {
                r->row = (MYSQL_ROW)r->cells;
                return MO_ROW;
            }
            r->rows_read--;
            if (st == MO_DONE) {
                r->stmt_pending = 0;
                st = MO_OK;
            }
        } else if (st >= 0 && c->ret_row) {
            r->row = c->ret_row;
            copy_lengths(r);
            r->rows_read++;
            return MO_ROW;
        }
        if (st >= 0) {
            r->affected_rows = r->rows_read;
            op->pending = MO_DONE;
        } else {
            r->row = NULL;
            r->done = 1;
            if (c->poisoned) {
                c->stream = NULL;
                return st;
            }
            /* A server error mid-stream ends the result set; keep the wire in sync but
             * report the error. */
            op->pending = st;
            mo_error_keep(&op->kept);
        }
        op->stage = NEXT_END;
        mo_stream_end_init(&op->se, r, 0);
        st = MO_OK;
        /* fall through */
    case NEXT_END:
        st = mo_stream_end_run(&op->se, st);
        if (st == MO_AGAIN) return st;
        if (op->pending < 0) {
            mo_error_put_back(&op->kept);
            return op->pending;
        }
        return st < 0 ? st : MO_DONE;
    }
    return mo_error_set(MO_E_INTERNAL, "result.next", "unknown stage");
}

/* Everything that needs no I/O: abandoned, done, buffered. Returns MO_AGAIN when a streaming
 * fetch is needed. */
static mo_status next_without_io(mo_result *r) {
    if (r->abandoned)
        return mo_error_set(MO_E_MISUSE, "result.next",
                            "this streaming result was abandoned: another statement ran on its "
                            "connection before all rows were read");
    if (r->done) {
        r->row = NULL;
        return MO_DONE;
    }
    if (r->streaming) return MO_AGAIN;
    if (r->stmt) {
        /* stored rows, read where libmariadb keeps them (no I/O, no copy) */
        MYSQL_ROWS *row = r->cursor;
        if (!row) {
            r->row = NULL;
            r->done = 1;
            return MO_DONE;
        }
        r->cursor = row->next;
        r->rows_read++;
        mo_binary_decode_row(r, (const unsigned char *)row->data);
        r->row = (MYSQL_ROW)r->cells;
        return MO_ROW;
    }
    r->row = mysql_fetch_row(r->res);
    if (!r->row) {
        r->done = 1;
        return MO_DONE;
    }
    copy_lengths(r);
    return MO_ROW;
}

/* A fetch cancelled mid-row: the result ends without its rows (its connection is gone). */
static void abandon_result(mo_op *op) {
    mo_result *r = op->result;
    if (!r) return;
    r->row = NULL;
    r->done = 1;
    if (r->conn && r->conn->stream == r) r->conn->stream = NULL;
}

static void release_result(mo_op *op) {
    mo_result_unref(op->result);
    op->result = NULL;
}

static const mo_op_owner next_owner = {MO_OP_OUT_NONE, abandon_result, release_result};

mo_status mo_result_next_op(mo_op *op, mo_result *r) {
    const char *opname = "result.next";
    mo_op_init(op, opname, next_run, &next_owner);
    mo_status st = mo_handle_enter(r, MO_HANDLE_RESULT, opname);
    if (st < 0) return st;
    st = next_without_io(r);
    if (st != MO_AGAIN) {
        mo_handle_leave(r);
        return mo_op_complete(op, st);
    }
    st = mo_conn_enter(r->conn, opname);
    if (st < 0) {
        mo_handle_leave(r);
        return st;
    }
    op->busy_handle = r;
    op->busy_conn = r->conn;
    op->result = r;
    mo_result_ref(r);
    op->conn = r->conn;
    mo_conn_ref(r->conn);
    return mo_op_begin(op);
}

/* A streaming fetch started in place (next_in_place) that did not give a row at once: an op
 * takes it over at its fetch stage, holding the busy flags the caller took. */
static mo_status next_adopt(mo_op *op, mo_result *r, mo_status st) {
    mo_op_init(op, "result.next", next_run, &next_owner);
    op->busy_handle = r;
    op->busy_conn = r->conn;
    op->result = r;
    mo_result_ref(r);
    op->conn = r->conn;
    mo_conn_ref(r->conn);
    op->begun = 1;
    op->stage = NEXT_FETCH;
    if (st != MO_AGAIN) st = next_run(op, st);
    if (st != MO_AGAIN) return mo_op_complete(op, st);
    return st;
}

/* The next row of a streaming result (the handle held): most rows are already in
 * libmariadb's buffer, so the fetch step is started here and only one that has to wait, or
 * the end of the rows, goes through an op. */
static mo_status next_in_place(mo_result *r) {
    mo_conn *c = r->conn;
    mo_status st = mo_conn_enter(c, "result.next");
    if (st < 0) {
        mo_handle_leave(r);
        return st;
    }
    c->operation = "result.next";
    if (r->stmt) {
        r->rows_read++;
        st = mo_conn_stmt_fetch_start(c, r->stmt->handle);
        if (st == MO_ROW) r->row = (MYSQL_ROW)r->cells;
    } else {
        st = mo_conn_fetch_row_start(c, r->res);
        if (st >= 0 && st != MO_AGAIN && c->ret_row) {
            r->row = c->ret_row;
            copy_lengths(r);
            r->rows_read++;
            st = MO_ROW;
        } else if (st == MO_ROW) {
            st = MO_OK; /* never: a text fetch reports its row in ret_row */
        }
    }
    if (st == MO_ROW) {
        mo_conn_leave(c);
        mo_handle_leave(r);
        return MO_ROW;
    }
    mo_op op;
    st = mo_op_wait(&op, next_adopt(&op, r, st));
    mo_op_release(&op);
    return st;
}

mo_status mo_result_next(mo_result *r) {
    /* Buffered results (the common case) need no op at all, nor do streamed rows that
     * libmariadb already holds. */
    mo_status st = mo_handle_enter(r, MO_HANDLE_RESULT, "result.next");
    if (st < 0) return st;
    st = next_without_io(r);
    if (st == MO_AGAIN) return next_in_place(r);
    mo_handle_leave(r);
    return st;
}

mo_status mo_result_next_set(mo_result **out, mo_result *r) {
    const char *op = "result.next_set";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_handle_enter(r, MO_HANDLE_RESULT, op);
    if (st < 0) return st;
    *out = r->next_set;      /* ownership moves to the caller */
    r->next_set = NULL;
    mo_handle_leave(r);
    return *out ? MO_OK : MO_DONE;
}

void mo_result_free(mo_result *r) {
    if (!r || !mo_handle_is_live(r, MO_HANDLE_RESULT)) return;
    mo_handle_unregister(&r->h);
    mo_result_unref(r);
}

/* ------------------------------------------------------------------ metadata */

size_t mo_result_column_count(const mo_result *r) {
    return mo_handle_is_live(r, MO_HANDLE_RESULT) ? r->column_count : 0;
}

static mo_status check_column(const mo_result *r, size_t column, const char *operation) {
    mo_status st = mo_handle_check(r, MO_HANDLE_RESULT, operation);
    if (st < 0) return st;
    if (column >= r->column_count)
        return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                            "column %zu out of range (the result has %zu columns)", column,
                            r->column_count);
    return MO_OK;
}

mo_status mo_result_column_name(const mo_result *r, size_t column, const char **name,
                                size_t *name_len) {
    mo_status st = check_column(r, column, "result.column_name");
    if (st < 0) return st;
    if (!name) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.column_name", "name is NULL");
    *name = r->fields[column].name;
    if (name_len) *name_len = r->fields[column].name_length;
    return MO_OK;
}

mo_status mo_result_column_type(const mo_result *r, size_t column, mo_type *type) {
    mo_status st = check_column(r, column, "result.column_type");
    if (st < 0) return st;
    if (!type) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.column_type", "type is NULL");
    *type = r->types[column];
    return MO_OK;
}

mo_status mo_result_column_flags(const mo_result *r, size_t column, unsigned *flags) {
    mo_status st = check_column(r, column, "result.column_flags");
    if (st < 0) return st;
    if (!flags) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.column_flags", "flags is NULL");
    unsigned f = r->fields[column].flags, out = 0;
    if (f & UNSIGNED_FLAG) out |= MO_COLUMN_UNSIGNED;
    if (f & NOT_NULL_FLAG) out |= MO_COLUMN_NOT_NULL;
    if (f & PRI_KEY_FLAG) out |= MO_COLUMN_PRIMARY_KEY;
    if (f & UNIQUE_KEY_FLAG) out |= MO_COLUMN_UNIQUE_KEY;
    if ((f & BINARY_FLAG) || r->fields[column].charsetnr == 63) out |= MO_COLUMN_BINARY;
    if (f & AUTO_INCREMENT_FLAG) out |= MO_COLUMN_AUTO_INCREMENT;
    if (f & ZEROFILL_FLAG) out |= MO_COLUMN_ZEROFILL;
    *flags = out;
    return MO_OK;
}

mo_status mo_result_column_decimals(const mo_result *r, size_t column, unsigned *decimals) {
    mo_status st = check_column(r, column, "result.column_decimals");
    if (st < 0) return st;
    if (!decimals) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.column_decimals", "decimals is NULL");
    *decimals = r->fields[column].decimals;
    return MO_OK;
}

mo_status mo_result_column_length(const mo_result *r, size_t column, uint64_t *length) {
    mo_status st = check_column(r, column, "result.column_length");
    if (st < 0) return st;
    if (!length) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.column_length", "length is NULL");
    *length = r->fields[column].length;
    return MO_OK;
}

/* ------------------------------------------------------------------ values */

/* The current row's value of `column`, or an error: no row, NULL value (when !allow_null). */
static mo_status current_value(const mo_result *r, size_t column, const char *operation,
                               int allow_null, const char **value, size_t *len) {
    mo_status st = check_column(r, column, operation);
    if (st < 0) return st;
    if (!r->row)
        return mo_error_set(MO_E_MISUSE, operation,
                            "no current row (call mo_result_next and check for MO_ROW first)");
    *value = r->row[column]; /* binary: where the value lies (its text only for text types) */
    *len = r->lengths[column];
    if (!*value && !allow_null)
        return mo_error_set(MO_E_DATA, operation, "column %zu (%s) is NULL", column,
                            r->fields[column].name);
    return MO_OK;
}

mo_status mo_result_is_null(const mo_result *r, size_t column, int *is_null) {
    const char *v = NULL;
    size_t n = 0;
    if (!is_null) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.is_null", "is_null is NULL");
    mo_status st = current_value(r, column, "result.is_null", 1, &v, &n);
    if (st < 0) return st;
    *is_null = v == NULL;
    return MO_OK;
}

static int is_integer_type(mo_type t) {
    return t == MO_TYPE_INT8 || t == MO_TYPE_INT16 || t == MO_TYPE_INT24 || t == MO_TYPE_INT32 ||
           t == MO_TYPE_INT64 || t == MO_TYPE_YEAR || t == MO_TYPE_BIT;
}

static mo_status wrong_type(const mo_result *r, size_t column, const char *operation,
                            const char *wanted) {
    return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                        "column %zu (%s) is not %s; read it with mo_result_get_text", column,
                        r->fields[column].name, wanted);
}

/* Parse an integer column into either a signed or unsigned 64-bit value. BIT values arrive
 * as big-endian bytes in the text protocol. */
static mo_status read_integer(const mo_result *r, size_t column, const char *operation,
                              int want_signed, int64_t *s_out, uint64_t *u_out) {
    const char *v = NULL;
    size_t n = 0;
    mo_status st = current_value(r, column, operation, 0, &v, &n);
    if (st < 0) return st;
    if (!is_integer_type(r->types[column])) return wrong_type(r, column, operation, "an integer");
    if (r->stmt && mo_binary_is_number(r, column))
        return mo_binary_integer(r, column, want_signed, s_out, u_out, operation);
    if (r->types[column] == MO_TYPE_BIT) {
        uint64_t bits = 0;
        for (size_t i = 0; i < n; i++) bits = (bits << 8) | (unsigned char)v[i];
        if (want_signed && bits > (uint64_t)INT64_MAX)
            return mo_error_set(MO_E_DATA, operation, "BIT value does not fit in int64");
        if (want_signed) *s_out = (int64_t)bits;
        else *u_out = bits;
        return MO_OK;
    }
    char digits[32];
    if (n == 0 || n >= sizeof digits)
        return mo_error_set(MO_E_DATA, operation, "malformed integer in column %zu", column);
    memcpy(digits, v, n);
    digits[n] = 0;
    char *end;
    errno = 0;
    if (want_signed) {
        long long x = strtoll(digits, &end, 10);
        if (errno == ERANGE)
            return mo_error_set(MO_E_DATA, operation, "value %s of column %zu does not fit in int64",
                                digits, column);
        if (*end) return mo_error_set(MO_E_DATA, operation, "malformed integer in column %zu", column);
        *s_out = x;
    } else {
        if (digits[0] == '-')
            return mo_error_set(MO_E_DATA, operation, "negative value %s of column %zu does not fit in uint64",
                                digits, column);
        unsigned long long x = strtoull(digits, &end, 10);
        if (errno == ERANGE)
            return mo_error_set(MO_E_DATA, operation, "value %s of column %zu does not fit in uint64",
                                digits, column);
        if (*end) return mo_error_set(MO_E_DATA, operation, "malformed integer in column %zu", column);
        *u_out = x;
    }
    return MO_OK;
}

mo_status mo_result_get_int64(const mo_result *r, size_t column, int64_t *out) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.get_int64", "out is NULL");
    return read_integer(r, column, "result.get_int64", 1, out, NULL);
}

mo_status mo_result_get_uint64(const mo_result *r, size_t column, uint64_t *out) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.get_uint64", "out is NULL");
    return read_integer(r, column, "result.get_uint64", 0, NULL, out);
}

mo_status mo_result_get_double(const mo_result *r, size_t column, double *out) {
    const char *op = "result.get_double";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    const char *v = NULL;
    size_t n = 0;
    mo_status st = current_value(r, column, op, 0, &v, &n);
    if (st < 0) return st;
    mo_type t = r->types[column];
    if (t == MO_TYPE_BIT) {
        uint64_t u;
        st = read_integer(r, column, op, 0, NULL, &u);
        if (st >= 0) *out = (double)u;
        return st;
    }
    if (!is_integer_type(t) && t != MO_TYPE_FLOAT && t != MO_TYPE_DOUBLE && t != MO_TYPE_DECIMAL)
        return wrong_type(r, column, op, "numeric");
    if (r->stmt && mo_binary_is_number(r, column)) {
        *out = mo_binary_double(r, column);
        return MO_OK;
    }
    char digits[400];
    if (n == 0 || n >= sizeof digits)
        return mo_error_set(MO_E_DATA, op, "malformed number in column %zu", column);
    memcpy(digits, v, n);
    digits[n] = 0;
    char *end;
    errno = 0;
    double d = mo_strtod_c(digits, &end);
    if (*end) return mo_error_set(MO_E_DATA, op, "malformed number in column %zu", column);
    *out = d;
    return MO_OK;
}

mo_status mo_result_get_text(const mo_result *r, size_t column, const char **out, size_t *len) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.get_text", "out is NULL");
    size_t n;
    mo_status st = current_value(r, column, "result.get_text", 0, out, &n);
    if (st >= 0 && r->stmt && r->widths[column] != MO_WIRE_BYTES)
        mo_binary_text((mo_result *)r, column, out, &n);
    if (st >= 0 && len) *len = n;
    return st;
}

mo_status mo_result_get_blob(const mo_result *r, size_t column, const void **out, size_t *len) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.get_blob", "out is NULL");
    const char *v = NULL;
    size_t n = 0;
    mo_status st = current_value(r, column, "result.get_blob", 0, &v, &n);
    if (st < 0) return st;
    if (r->stmt) mo_binary_text((mo_result *)r, column, &v, &n);
    *out = v;
    if (len) *len = n;
    return MO_OK;
}

mo_status mo_result_row(const mo_result *r, const char *const **values, const size_t **lengths,
                        size_t *count) {
    const char *op = "result.row";
    mo_status st = mo_handle_check(r, MO_HANDLE_RESULT, op);
    if (st < 0) return st;
    if (!values || !lengths || !count)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "values, lengths and count must not be NULL");
    if (!r->row)
        return mo_error_set(MO_E_MISUSE, op, "no current row (call mo_result_next and check for MO_ROW first)");
    if (r->stmt) {
        /* The text view of a binary row: the lengths become the text forms' lengths. */
        mo_result *w = (mo_result *)r;
        for (size_t i = 0; i < r->column_count; i++)
            if (r->cells[i] && !mo_binary_has_text(r, i))
                mo_binary_text(w, i, &w->row_values[i], &w->lengths[i]);
            else
                w->row_values[i] = (const char *)r->cells[i];
        *values = w->row_values;
        *lengths = r->lengths;
        *count = r->column_count;
        return MO_OK;
    }
    *values = (const char *const *)r->row;
    *lengths = r->lengths;
    *count = r->column_count;
    return MO_OK;
}

mo_status mo_result_row_typed(const mo_result *r, const void *const **values,
                              const size_t **lengths, const int **kinds, size_t *count) {
    const char *op = "result.row_typed";
    mo_status st = mo_handle_check(r, MO_HANDLE_RESULT, op);
    if (st < 0) return st;
    if (!values || !lengths || !kinds || !count)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "values, lengths, kinds and count must not be NULL");
    if (!r->row)
        return mo_error_set(MO_E_MISUSE, op, "no current row (call mo_result_next and check for MO_ROW first)");
    mo_result *w = (mo_result *)r; /* the views are caches of the current row */
    size_t n = r->column_count;
    if (!r->kinds) {
        w->kinds = calloc(n ? n : 1, sizeof *w->kinds);
        if (!w->kinds) return mo_error_oom(op);
    }
    if (!r->stmt) {
        for (size_t i = 0; i < n; i++) w->kinds[i] = r->row[i] ? MO_CELL_BYTES : MO_CELL_NULL;
        *values = (const void *const *)r->row;
    } else {
        for (size_t i = 0; i < n; i++) {
            const unsigned char *cell = r->cells[i];
            if (!cell) {
                w->kinds[i] = MO_CELL_NULL;
                w->typed_values[i] = NULL;
                continue;
            }
            int width = r->widths[i];
            if (width > 0) {
                /* the number in the column's text slot (its text form is made again if asked) */
                void *slot = w->text + i * MO_CELL_TEXT;
                w->text_row[i] = UINT64_MAX;
                enum enum_field_types t = r->fields[i].type;
                if (t == MYSQL_TYPE_FLOAT || t == MYSQL_TYPE_DOUBLE) {
                    double d = mo_binary_double(r, i);
                    memcpy(slot, &d, sizeof d);
                    w->kinds[i] = MO_CELL_DOUBLE;
                } else if ((r->fields[i].flags & UNSIGNED_FLAG) || t == MYSQL_TYPE_YEAR) {
                    uint64_t u = 0;
                    mo_binary_integer(r, i, 0, NULL, &u, op);
                    memcpy(slot, &u, sizeof u);
                    w->kinds[i] = MO_CELL_UINT64;
                } else {
                    int64_t v = 0;
                    mo_binary_integer(r, i, 1, &v, NULL, op);
                    memcpy(slot, &v, sizeof v);
                    w->kinds[i] = MO_CELL_INT64;
                }
                w->typed_values[i] = slot;
            } else {
                const char *text;
                mo_binary_text(w, i, &text, &w->lengths[i]);
                w->typed_values[i] = text;
                w->kinds[i] = MO_CELL_BYTES;
            }
        }
        *values = w->typed_values;
    }
    *lengths = r->lengths;
    *kinds = r->kinds;
    *count = n;
    return MO_OK;
}

mo_status mo_result_affected_rows(const mo_result *r, uint64_t *out) {
    mo_status st = mo_handle_check(r, MO_HANDLE_RESULT, "result.affected_rows");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.affected_rows", "out is NULL");
    *out = r->affected_rows;
    return MO_OK;
}

mo_status mo_result_last_insert_id(const mo_result *r, uint64_t *out) {
    mo_status st = mo_handle_check(r, MO_HANDLE_RESULT, "result.last_insert_id");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.last_insert_id", "out is NULL");
    *out = r->insert_id;
    return MO_OK;
}

mo_status mo_result_warning_count(const mo_result *r, unsigned *out) {
    mo_status st = mo_handle_check(r, MO_HANDLE_RESULT, "result.warning_count");
    if (st < 0) return st;
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, "result.warning_count", "out is NULL");
    *out = r->warnings;
    return MO_OK;
}

mo_status mo_result_next_start(mo_op **out, mo_result *r) {
    mo_op *op;
    mo_status st = mo_op_new(&op, out, "result.next");
    if (st < 0) return st;
    return mo_op_publish(out, op, mo_result_next_op(op, r));
}
