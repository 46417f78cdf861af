/* src/managers/stage.c — stages (reference §9.12). MatrixOne-only.
 *
 * Differences from the SDK: the name is backtick-quoted; URL, credential keys and values,
 * comment and LIKE pattern are escaped literals (the SDK pastes them raw); the name in get()
 * is an escaped literal; create_local normalises the path as os.path.abspath does but in C;
 * errors never carry a credential (the server's message is scrubbed of every credential value
 * before it reaches the caller). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "managers/managers_internal.h"

#define STAGE_SELECT \
    "SELECT stage_name, url, stage_status, comment, created_time FROM mo_catalog.mo_stages"

enum { STAGE_NAME, STAGE_URL, STAGE_STATUS, STAGE_COMMENT, STAGE_CREATED };
static const int stage_map[] = {STAGE_NAME, STAGE_URL, STAGE_STATUS, STAGE_COMMENT, STAGE_CREATED};

MO_RECORD_TYPE(mo_stage, mo_stage, MO_REC_STAGE)
MO_TEXT_FIELD(mo_stage, mo_stage_name, MO_REC_STAGE, STAGE_NAME)
MO_TEXT_FIELD(mo_stage, mo_stage_url, MO_REC_STAGE, STAGE_URL)
MO_TEXT_FIELD(mo_stage, mo_stage_status, MO_REC_STAGE, STAGE_STATUS)
MO_TEXT_FIELD(mo_stage, mo_stage_comment, MO_REC_STAGE, STAGE_COMMENT)
MO_TEXT_FIELD(mo_stage, mo_stage_created_time, MO_REC_STAGE, STAGE_CREATED)

/* ------------------------------------------------------------------ pieces */

static mo_status check_map(const mo_strmap *m, const char *what, const char *op) {
    if (m && !mo_handle_is_live(m, MO_HANDLE_STRMAP))
        return mo_error_set(MO_E_MISUSE, op, "%s is not a live strmap handle", what);
    return MO_OK;
}

/* CREDENTIALS={'k'='v', ...} (nothing for an empty map). */
static void append_credentials(mo_buf *sql, const mo_executor *ex, const mo_strmap *creds) {
    if (!creds || !creds->count) return;
    mo_buf_append_str(sql, " CREDENTIALS={");
    for (size_t i = 0; i < creds->count; i++) {
        if (i) mo_buf_append_str(sql, ", ");
        mo_mgr_literal(ex, sql, creds->keys[i]);
        mo_buf_append_char(sql, '=');
        mo_mgr_literal(ex, sql, creds->values[i]);
    }
    mo_buf_append_char(sql, '}');
}

static void scrub_credentials(const mo_executor *ex, const mo_strmap *creds) {
    for (size_t i = 0; creds && i < creds->count; i++) mo_mgr_scrub_secret(ex, creds->values[i]);
}

/* get() on an entered executor (a mo_mgr_get_fn: also the read-back of alter and the lookup
 * of exists); name is the stage's. */
static mo_status stage_get(void **out, mo_executor *ex, const void *ctx, const char *op) {
    const char *name = ctx;
    mo_status st = mo_mgr_require(name, op, "Stage name must be a non-empty string");
    if (st < 0) return st;
    mo_buf sql;
    mo_buf_init(&sql);
    mo_buf_append_str(&sql, STAGE_SELECT " WHERE stage_name = ");
    mo_mgr_literal(ex, &sql, name);
    mo_result *r = NULL;
    st = mo_mgr_exec(ex, &sql, op, &r);
    mo_buf_free(&sql);
    if (st < 0) return mo_mgr_wrap(st, op, "Failed to get stage '%s'", name);
    mo_record_list *l = NULL;
    st = mo_records_from_result(&l, r, MO_REC_STAGE, stage_map, 5, NULL, NULL, op);
    mo_result_free(r);
    if (st < 0) return st;
    mo_record *rec = NULL;
    st = mo_mgr_first_record(&rec, ex, l, MO_REC_STAGE, STAGE_NAME, name, "Stage", op);
    return mo_mgr_hand_out(out, rec, st, op);
}

/* ------------------------------------------------------------------ create */

static mo_status stage_create(mo_stage **out, mo_executor *ex, const char *name, const char *url,
                              const mo_strmap *creds, const char *comment, int if_not_exists,
                              const char *op) {
    mo_buf sql;
    mo_buf_init(&sql);
    mo_status st = mo_mgr_require(name, op, "Stage name must be a non-empty string");
    if (st >= 0) st = mo_mgr_require(url, op, "Stage URL must be a non-empty string");
    if (st >= 0) {
        mo_buf_append_str(&sql, if_not_exists ? "CREATE STAGE IF NOT EXISTS " : "CREATE STAGE ");
        st = mo_mgr_ident(&sql, name, "stage name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " URL=");
        mo_mgr_literal(ex, &sql, url);
        append_credentials(&sql, ex, creds);
        if (comment) {
            mo_buf_append_str(&sql, " COMMENT=");
            mo_mgr_literal(ex, &sql, comment);
        }
        st = mo_mgr_exec(ex, &sql, op, NULL);
        if (st < 0) {
            scrub_credentials(ex, creds);
            mo_mgr_wrap(st, op, "Failed to create stage '%s'", name);
        }
    }
    mo_buf_free(&sql);
    if (st < 0 || !out) return st;
    /* The SDK's locally built Stage: no read-back. */
    mo_record *rec = mo_record_new(MO_REC_STAGE);
    if (!rec) return mo_error_oom(op);
    st = mo_record_set_str(rec, STAGE_NAME, name, op);
    if (st >= 0) st = mo_record_set_str(rec, STAGE_URL, url, op);
    if (st >= 0) st = mo_record_set_str(rec, STAGE_STATUS, "enabled", op);
    if (st >= 0) st = mo_record_set_str(rec, STAGE_COMMENT, comment, op);
    return mo_mgr_hand_out((void **)out, rec, st, op);
}

mo_status mo_stage_create(mo_stage **out, mo_executor *ex, const char *name, const char *url,
                          const mo_strmap *credentials, const char *comment, int if_not_exists) {
    const char *op = "stage.create";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = check_map(credentials, "credentials", op);
    if (st >= 0) st = stage_create(out, ex, name, url, credentials, comment, if_not_exists, op);
    mo_mgr_leave(ex);
    return st;
}

/* os.path.abspath(os.path.expanduser(path)): absolute, '.', '..' and repeated '/' removed. */
static mo_status absolute_path(mo_buf *out, const char *path, const char *op) {
    mo_buf raw;
    mo_buf_init(&raw);
    if (path[0] == '~' && (path[1] == '/' || path[1] == 0) && getenv("HOME")) {
        mo_buf_append_str(&raw, getenv("HOME"));
        mo_buf_append_str(&raw, path + 1);
    } else if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd) {
            mo_buf_free(&raw);
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "cannot resolve '%s': no current directory",
                                path);
        }
        mo_buf_append_str(&raw, cwd);
        mo_buf_append_char(&raw, '/');
        mo_buf_append_str(&raw, path);
        free(cwd);
    } else {
        mo_buf_append_str(&raw, path);
    }
    if (!mo_buf_ok(&raw)) {
        mo_buf_free(&raw);
        return mo_error_oom(op);
    }
    /* Normalise segment by segment; out holds "/a/b" (or "" for the root). */
    const char *p = mo_buf_cstr(&raw);
    while (*p) {
        while (*p == '/') p++;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (out->len > 0 && out->data[out->len - 1] != '/') out->len--;
            if (out->len > 0) out->len--;
        } else {
            mo_buf_append_char(out, '/');
            mo_buf_append(out, p, n);
        }
        p += n;
    }
    if (out->data) out->data[out->len] = 0;
    mo_buf_free(&raw);
    return mo_mgr_sql_ok(out, op);
}

mo_status mo_stage_create_local(mo_stage **out, mo_executor *ex, const char *name,
                                const char *path, const char *comment, int if_not_exists) {
    const char *op = "stage.create_local";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(path, op, "path must be a non-empty string");
    mo_buf dir, url;
    mo_buf_init(&dir);
    mo_buf_init(&url);
    if (st >= 0) st = absolute_path(&dir, path, op);
    if (st >= 0) {
        mo_buf_printf(&url, "file://%s/", mo_buf_cstr(&dir));
        st = mo_mgr_sql_ok(&url, op);
    }
    if (st >= 0)
        st = stage_create(out, ex, name, mo_buf_cstr(&url), NULL, comment, if_not_exists, op);
    mo_buf_free(&dir);
    mo_buf_free(&url);
    mo_mgr_leave(ex);
    return st;
}

static const char *arg_or_env(const char *arg, const char *env1, const char *env2) {
    if (arg && *arg) return arg;
    const char *v = getenv(env1);
    if (v && *v) return v;
    v = getenv(env2);
    return v && *v ? v : NULL;
}

mo_status mo_stage_create_s3(mo_stage **out, mo_executor *ex, const char *name,
                             const char *bucket, const char *path, const char *aws_key_id,
                             const char *aws_secret_key, const char *aws_region,
                             const char *endpoint, const char *comment, int if_not_exists) {
    const char *op = "stage.create_s3";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = mo_mgr_require(bucket, op, "bucket must be a non-empty string");
    mo_buf url;
    mo_buf_init(&url);
    mo_strmap creds = {0};
    if (st >= 0) {
        mo_buf_printf(&url, "s3://%s", bucket);
        const char *p = path ? path : "";
        while (*p == '/') p++;
        size_t n = strlen(p);
        while (n > 0 && p[n - 1] == '/') n--;
        if (n) {
            mo_buf_append_char(&url, '/');
            mo_buf_append(&url, p, n);
        }
        st = mo_mgr_sql_ok(&url, op);
    }
    const char *key = arg_or_env(aws_key_id, "AWS_ACCESS_KEY_ID", "AWS_KEY_ID");
    const char *secret = arg_or_env(aws_secret_key, "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY");
    const char *region = arg_or_env(aws_region, "AWS_DEFAULT_REGION", "AWS_REGION");
    /* A stack map (not a handle): the four keys in the SDK's order. */
    char *keys[4], *values[4];
    if (st >= 0 && key && secret) {
        creds.keys = keys;
        creds.values = values;
        keys[creds.count] = "AWS_KEY_ID", values[creds.count++] = (char *)key;
        keys[creds.count] = "AWS_SECRET_KEY", values[creds.count++] = (char *)secret;
        if (region) keys[creds.count] = "AWS_REGION", values[creds.count++] = (char *)region;
        if (endpoint && *endpoint)
            keys[creds.count] = "ENDPOINT", values[creds.count++] = (char *)endpoint;
    }
    if (st >= 0)
        st = stage_create(out, ex, name, mo_buf_cstr(&url), creds.count ? &creds : NULL, comment,
                          if_not_exists, op);
    mo_buf_free(&url);
    mo_mgr_leave(ex);
    return st;
}

/* ------------------------------------------------------------------ alter, drop, read */

mo_status mo_stage_alter(mo_stage **out, mo_executor *ex, const char *name, const char *url,
                         const mo_strmap *credentials, const char *comment, int enable,
                         int if_exists) {
    const char *op = "stage.alter";
    if (out) *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0) st = mo_mgr_require(name, op, "Stage name must be a non-empty string");
    if (st >= 0) st = check_map(credentials, "credentials", op);
    int has_creds = credentials && credentials->count;
    if (st >= 0 && !url && !has_creds && !comment && enable < 0)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                          "At least one of url, credentials, comment, or enable must be provided");
    if (st >= 0) {
        mo_buf_append_str(&sql, if_exists ? "ALTER STAGE IF EXISTS " : "ALTER STAGE ");
        st = mo_mgr_ident(&sql, name, "stage name", op);
    }
    if (st >= 0) {
        mo_buf_append_str(&sql, " SET");
        if (url) {
            mo_buf_append_str(&sql, " URL=");
            mo_mgr_literal(ex, &sql, url);
        }
        append_credentials(&sql, ex, credentials);
        if (comment) {
            mo_buf_append_str(&sql, " COMMENT=");
            mo_mgr_literal(ex, &sql, comment);
        }
        if (enable >= 0) mo_buf_append_str(&sql, enable ? " ENABLE=TRUE" : " ENABLE=FALSE");
        st = mo_mgr_exec(ex, &sql, op, NULL);
        if (st < 0) scrub_credentials(ex, credentials);
        if (st >= 0) st = stage_get((void **)out, ex, name, op);
        if (st < 0) mo_mgr_wrap(st, op, "Failed to alter stage '%s'", name);
    }
    mo_buf_free(&sql);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_stage_drop(mo_executor *ex, const char *name, int if_exists) {
    return mo_mgr_drop_named(ex, "stage.drop", 1, if_exists ? "DROP STAGE IF EXISTS " : "DROP STAGE ",
                             name, "Stage name must be a non-empty string", "stage name",
                             "Failed to drop stage '%s'", name ? name : "");
}

static mo_status stage_rows(mo_stage_list **out, mo_executor *ex, mo_buf *sql, const char *op,
                            const char *what) {
    mo_result *r = NULL;
    mo_status st = mo_mgr_exec(ex, sql, op, &r);
    mo_record_list *l = NULL;
    if (st < 0) mo_mgr_wrap(st, op, "Failed to %s", what);
    else st = mo_records_from_result(&l, r, MO_REC_STAGE, stage_map, 5, NULL, NULL, op);
    mo_result_free(r);
    st = mo_mgr_hand_out_list((void **)out, l, st, op);
    return st;
}

mo_status mo_stage_show(mo_stage_list **out, mo_executor *ex, const char *like_pattern) {
    const char *op = "stage.show";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0) {
        mo_buf_append_str(&sql, "SHOW STAGES");
        if (like_pattern) {
            mo_buf_append_str(&sql, " LIKE ");
            mo_mgr_literal(ex, &sql, like_pattern);
        }
        st = stage_rows(out, ex, &sql, op, "show stages");
    }
    mo_buf_free(&sql);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_stage_list_stages(mo_stage_list **out, mo_executor *ex) {
    const char *op = "stage.list";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    mo_buf sql;
    mo_buf_init(&sql);
    if (st >= 0) {
        mo_buf_append_str(&sql, STAGE_SELECT);
        st = stage_rows(out, ex, &sql, op, "list stages");
    }
    mo_buf_free(&sql);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_stage_get(mo_stage **out, mo_executor *ex, const char *name) {
    const char *op = "stage.get";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    mo_status st = mo_mgr_enter(ex, op);
    if (st < 0) return st;
    st = mo_mgr_require_matrixone(ex, op, NULL, 0, 0, 0);
    if (st >= 0) st = stage_get((void **)out, ex, name, op);
    mo_mgr_leave(ex);
    return st;
}

mo_status mo_stage_exists(mo_executor *ex, const char *name, int *exists) {
    return mo_mgr_exists(ex, "stage.exists", stage_get, name, exists);
}
