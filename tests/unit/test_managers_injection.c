/* Injection sweep over every name and value argument of every snapshot, clone, branch,
 * restore, PITR, pubsub and account function.
 *
 * For each string argument of each function, and for each hostile payload (backticks, quotes,
 * backslashes, semicolons, comment starters, newlines, multibyte and invalid UTF-8 text), the
 * function is called on a dry-run client twice: once with a harmless marker in that argument
 * (the reference) and once with the payload in its place. Then either
 *   - the hostile call failed with MO_E_INVALID_ARGUMENT and the journal is empty (nothing was
 *     sent), or
 *   - the hostile call succeeded and every journaled statement has exactly the token structure
 *     of the reference statement: same tokens, same keywords, no extra statement separator or
 *     comment, and each quoted identifier / string literal that carried the marker now decodes
 *     (with the server's own unquoting rules) to the same text with the payload in place of the
 *     marker. That is "quoted so the statement means what was asked".
 * Anything else fails. Where the reference itself is rejected (an enum-like argument such as a
 * level or unit, for which the marker is not a valid value), every payload must be rejected.
 *
 * NUL: the C API takes NUL-terminated strings, so a NUL cannot reach a manager (it ends the
 * string); the bindings reject strings with embedded NULs before calling C (their tests). The
 * tokenizer below is deliberately independent of src/core/sqltext.c: it is the check on it. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"

#define MARKER "Zq9mkr"

static const char *const PAYLOADS[] = {
    "`",
    "x`; DROP TABLE t; --",
    "'",
    "x'; DROP TABLE t; -- ",
    "\\",
    "x\\' OR 1=1 -- ",
    "\\\\'",
    "\"; SELECT 1; \"",
    ";",
    "-- c",
    "x\n--y\nz",
    "/* c */",
    "#c",
    "a\r\n\tb",
    "\x1a",
    "%_",
    "\xe5\x90\x8d\xe5\xad\x97\xf0\x9f\x99\x82",   /* 名字🙂 */
    "\xbf'",                                        /* invalid UTF-8 before a quote */
    "\xbf\\",                                       /* invalid UTF-8 before a backslash */
    "\xc0\xa7",                                     /* overlong encoding of ' */
    " ",
    "``",
    "''",
};
#define N_PAYLOADS (sizeof PAYLOADS / sizeof PAYLOADS[0])

/* Each payload goes in three forms: alone, as the first part of a dotted name and as the
 * second (the "db.table" arguments split at the first dot). */
static const char *const FORMS[][2] = {{"", ""}, {"", ".t2"}, {"d2.", ""}};
#define N_FORMS (sizeof FORMS / sizeof FORMS[0])

/* ------------------------------------------------------------------ tokenizer */

typedef enum { TOK_WORD, TOK_PUNCT, TOK_IDENT, TOK_STRING, TOK_COMMENT, TOK_SEMI, TOK_BAD } tok_kind;

typedef struct {
    tok_kind kind;
    char *text; /* WORD/PUNCT: as written; IDENT/STRING: decoded value */
    size_t len;
} token;

typedef struct {
    token *v;
    size_t n, cap;
} tokens;

static void push(tokens *t, tok_kind k, const char *s, size_t len) {
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 32;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        assert_non_null(t->v);
    }
    t->v[t->n].kind = k;
    t->v[t->n].text = malloc(len + 1);
    assert_non_null(t->v[t->n].text);
    memcpy(t->v[t->n].text, s, len);
    t->v[t->n].text[len] = '\0';
    t->v[t->n].len = len;
    t->n++;
}

static void tokens_free(tokens *t) {
    for (size_t i = 0; i < t->n; i++) free(t->v[i].text);
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* MySQL's reading of a backslash escape inside a quoted string (backslash escapes on, the
 * dry-run default). \% and \_ keep the backslash. */
static size_t unescape(char c, char *out) {
    switch (c) {
    case '0': out[0] = '\0'; return 1;
    case 'b': out[0] = '\b'; return 1;
    case 'n': out[0] = '\n'; return 1;
    case 'r': out[0] = '\r'; return 1;
    case 't': out[0] = '\t'; return 1;
    case 'Z': out[0] = '\x1a'; return 1;
    case '%': case '_': out[0] = '\\'; out[1] = c; return 2;
    default: out[0] = c; return 1;
    }
}

static int is_word_char(unsigned char c) {
    return c == '_' || c == '$' || c >= 0x80 || (c >= '0' && c <= '9') ||
           (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void tokenize(tokens *t, const char *s, size_t len) {
    size_t i = 0;
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            i++;
        } else if (c == '`') {
            size_t n = 0;
            int closed = 0;
            for (i++; i < len; i++) {
                if (s[i] == '`') {
                    if (i + 1 < len && s[i + 1] == '`') { buf[n++] = '`'; i++; continue; }
                    closed = 1; i++; break;
                }
                buf[n++] = s[i];
            }
            push(t, closed ? TOK_IDENT : TOK_BAD, buf, n);
        } else if (c == '\'' || c == '"') {
            size_t n = 0;
            int closed = 0;
            for (i++; i < len; i++) {
                if (s[i] == '\\' && i + 1 < len) { n += unescape(s[++i], buf + n); continue; }
                if (s[i] == (char)c) {
                    if (i + 1 < len && s[i + 1] == (char)c) { buf[n++] = (char)c; i++; continue; }
                    closed = 1; i++; break;
                }
                buf[n++] = s[i];
            }
            push(t, closed ? TOK_STRING : TOK_BAD, buf, n);
        } else if (c == '#' || (c == '-' && i + 1 < len && s[i + 1] == '-') ||
                   (c == '/' && i + 1 < len && s[i + 1] == '*')) {
            push(t, TOK_COMMENT, s + i, len - i); /* never expected: the rest is suspect */
            i = len;
        } else if (c == ';') {
            push(t, TOK_SEMI, ";", 1);
            i++;
        } else if (is_word_char(c)) {
            size_t start = i;
            while (i < len && is_word_char((unsigned char)s[i])) i++;
            push(t, TOK_WORD, s + start, i - start);
        } else {
            push(t, TOK_PUNCT, s + i, 1);
            i++;
        }
    }
    free(buf);
}

/* `value` with every MARKER replaced by `payload`. */
static char *substitute(const char *value, const char *payload) {
    size_t cap = strlen(value) * (strlen(payload) + 1) + 1;
    char *out = malloc(cap), *o = out;
    assert_non_null(out);
    for (const char *p = value; *p;) {
        if (strncmp(p, MARKER, strlen(MARKER)) == 0) {
            o += sprintf(o, "%s", payload);
            p += strlen(MARKER);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* ------------------------------------------------------------------ the functions */

typedef mo_status (*call_fn)(mo_executor *ex, const char *const *a);

typedef struct {
    const char *name;      /* the operation, for messages */
    int nargs;
    const char *args[8];   /* benign values; NULL = passed as NULL and not swept */
    call_fn call;
    unsigned list_args;    /* bit i: argument i is a comma-separated name list, each item
                              trimmed of spaces (documented), so the payload is expected trimmed */
} case_def;

/* Release whatever record/list/result a call handed out: the sweep only looks at the SQL. */
#define REC(type, expr)                                                                         \
    do {                                                                                        \
        type *o_ = NULL;                                                                        \
        mo_status st_ = (expr);                                                                 \
        type##_free(o_);                                                                        \
        return st_;                                                                             \
    } while (0)

static mo_status c_snap_create(mo_executor *ex, const char *const *a) {
    REC(mo_snapshot, mo_snapshots_create(&o_, ex, a[0], a[1], a[2], a[3], a[4]));
}
static mo_status c_snap_create_tbl(mo_executor *ex, const char *const *a) {
    REC(mo_snapshot, mo_snapshots_create(&o_, ex, a[0], "table", a[1], a[2], NULL));
}
static mo_status c_snap_get(mo_executor *ex, const char *const *a) {
    REC(mo_snapshot, mo_snapshots_get(&o_, ex, a[0]));
}
static mo_status c_snap_delete(mo_executor *ex, const char *const *a) {
    return mo_snapshots_delete(ex, a[0]);
}
static mo_status c_snap_exists(mo_executor *ex, const char *const *a) {
    int e = 0;
    return mo_snapshots_exists(ex, a[0], &e);
}
static mo_status c_clone_db(mo_executor *ex, const char *const *a) {
    return mo_clone_database(ex, a[0], a[1], a[2], 1, a[3]);
}
static mo_status c_clone_tbl(mo_executor *ex, const char *const *a) {
    return mo_clone_table(ex, a[0], a[1], a[2], 1, a[3]);
}
static mo_status c_clone_db_snap(mo_executor *ex, const char *const *a) {
    return mo_clone_database_with_snapshot(ex, a[0], a[1], a[2], 0);
}
static mo_status c_clone_tbl_snap(mo_executor *ex, const char *const *a) {
    return mo_clone_table_with_snapshot(ex, a[0], a[1], a[2], 0);
}
static mo_status c_branch_create_tbl(mo_executor *ex, const char *const *a) {
    return mo_branch_create_table(ex, a[0], a[1], a[2], a[3]);
}
static mo_status c_branch_delete_tbl(mo_executor *ex, const char *const *a) {
    return mo_branch_delete_table(ex, a[0]);
}
static mo_status c_branch_create_db(mo_executor *ex, const char *const *a) {
    return mo_branch_create_database(ex, a[0], a[1]);
}
static mo_status c_branch_delete_db(mo_executor *ex, const char *const *a) {
    return mo_branch_delete_database(ex, a[0]);
}
static mo_status c_branch_diff_file(mo_executor *ex, const char *const *a) {
    REC(mo_result, mo_branch_diff_table(&o_, ex, a[0], a[1], a[2], a[3], MO_BRANCH_DIFF_FILE, 0,
                                        a[4]));
}
static mo_status c_branch_diff_as_table(mo_executor *ex, const char *const *a) {
    REC(mo_result, mo_branch_diff_table(&o_, ex, a[0], NULL, a[1], NULL,
                                        MO_BRANCH_DIFF_AS_TABLE, 0, a[2]));
}
static mo_status c_branch_merge(mo_executor *ex, const char *const *a) {
    return mo_branch_merge_table(ex, a[0], a[1], a[2]);
}
static mo_status c_restore_cluster(mo_executor *ex, const char *const *a) {
    return mo_restore_cluster(ex, a[0]);
}
static mo_status c_restore_tenant(mo_executor *ex, const char *const *a) {
    return mo_restore_tenant(ex, a[0], a[1], a[2]);
}
static mo_status c_restore_db(mo_executor *ex, const char *const *a) {
    return mo_restore_database(ex, a[0], a[1], a[2], a[3]);
}
static mo_status c_restore_tbl(mo_executor *ex, const char *const *a) {
    return mo_restore_table(ex, a[0], a[1], a[2], a[3], a[4]);
}
static mo_status c_pitr_cluster(mo_executor *ex, const char *const *a) {
    REC(mo_pitr, mo_pitr_create_cluster(&o_, ex, a[0], 1, a[1]));
}
static mo_status c_pitr_account(mo_executor *ex, const char *const *a) {
    REC(mo_pitr, mo_pitr_create_account(&o_, ex, a[0], a[1], 2, a[2]));
}
static mo_status c_pitr_db(mo_executor *ex, const char *const *a) {
    REC(mo_pitr, mo_pitr_create_database(&o_, ex, a[0], a[1], 3, a[2]));
}
static mo_status c_pitr_tbl(mo_executor *ex, const char *const *a) {
    REC(mo_pitr, mo_pitr_create_table(&o_, ex, a[0], a[1], a[2], 4, a[3]));
}
static mo_status c_pitr_get(mo_executor *ex, const char *const *a) {
    REC(mo_pitr, mo_pitr_get(&o_, ex, a[0]));
}
static mo_status c_pitr_list(mo_executor *ex, const char *const *a) {
    REC(mo_pitr_list, mo_pitr_list_pitrs(&o_, ex, a[0], a[1], a[2], a[3]));
}
static mo_status c_pitr_alter(mo_executor *ex, const char *const *a) {
    REC(mo_pitr, mo_pitr_alter(&o_, ex, a[0], 5, a[1]));
}
static mo_status c_pitr_delete(mo_executor *ex, const char *const *a) {
    return mo_pitr_delete(ex, a[0]);
}
static mo_status c_pub_db(mo_executor *ex, const char *const *a) {
    REC(mo_publication, mo_pubsub_create_database_publication(&o_, ex, a[0], a[1], a[2]));
}
static mo_status c_pub_tbl(mo_executor *ex, const char *const *a) {
    REC(mo_publication, mo_pubsub_create_table_publication(&o_, ex, a[0], a[1], a[2], a[3]));
}
static mo_status c_pub_get(mo_executor *ex, const char *const *a) {
    REC(mo_publication, mo_pubsub_get_publication(&o_, ex, a[0]));
}
static mo_status c_pub_list(mo_executor *ex, const char *const *a) {
    REC(mo_publication_list, mo_pubsub_list_publications(&o_, ex, a[0], a[1]));
}
static mo_status c_pub_alter(mo_executor *ex, const char *const *a) {
    REC(mo_publication, mo_pubsub_alter_publication(&o_, ex, a[0], a[1], a[2], a[3]));
}
static mo_status c_pub_drop(mo_executor *ex, const char *const *a) {
    return mo_pubsub_drop_publication(ex, a[0]);
}
static mo_status c_pub_show_create(mo_executor *ex, const char *const *a) {
    const char *sql = NULL;
    size_t len = 0;
    return mo_pubsub_show_create_publication(ex, a[0], &sql, &len);
}
static mo_status c_sub_create(mo_executor *ex, const char *const *a) {
    REC(mo_subscription, mo_pubsub_create_subscription(&o_, ex, a[0], a[1], a[2]));
}
static mo_status c_sub_get(mo_executor *ex, const char *const *a) {
    REC(mo_subscription, mo_pubsub_get_subscription(&o_, ex, a[0]));
}
static mo_status c_sub_list(mo_executor *ex, const char *const *a) {
    REC(mo_subscription_list, mo_pubsub_list_subscriptions(&o_, ex, a[0], a[1]));
}
static mo_status c_acct_create(mo_executor *ex, const char *const *a) {
    REC(mo_account, mo_account_create_account(&o_, ex, a[0], a[1], a[2], a[3]));
}
static mo_status c_acct_drop(mo_executor *ex, const char *const *a) {
    return mo_account_drop_account(ex, a[0], 1);
}
static mo_status c_acct_alter_comment(mo_executor *ex, const char *const *a) {
    REC(mo_account, mo_account_alter_account(&o_, ex, a[0], a[1], -1, NULL));
}
static mo_status c_acct_alter_suspend(mo_executor *ex, const char *const *a) {
    REC(mo_account, mo_account_alter_account(&o_, ex, a[0], NULL, 1, a[1]));
}
static mo_status c_acct_get(mo_executor *ex, const char *const *a) {
    REC(mo_account, mo_account_get_account(&o_, ex, a[0]));
}
static mo_status c_user_create(mo_executor *ex, const char *const *a) {
    REC(mo_user, mo_account_create_user(&o_, ex, a[0], a[1], a[2]));
}
static mo_status c_user_drop(mo_executor *ex, const char *const *a) {
    return mo_account_drop_user(ex, a[0], 1);
}
static mo_status c_user_alter_password(mo_executor *ex, const char *const *a) {
    REC(mo_user, mo_account_alter_user(&o_, ex, a[0], a[1], NULL, -1, NULL));
}
static mo_status c_user_alter_comment(mo_executor *ex, const char *const *a) {
    REC(mo_user, mo_account_alter_user(&o_, ex, a[0], NULL, a[1], -1, NULL));
}
static mo_status c_user_alter_lock(mo_executor *ex, const char *const *a) {
    REC(mo_user, mo_account_alter_user(&o_, ex, a[0], NULL, NULL, 1, a[1]));
}
static mo_status c_role_create(mo_executor *ex, const char *const *a) {
    REC(mo_role, mo_account_create_role(&o_, ex, a[0], a[1]));
}
static mo_status c_role_drop(mo_executor *ex, const char *const *a) {
    return mo_account_drop_role(ex, a[0], 1);
}
static mo_status c_role_get(mo_executor *ex, const char *const *a) {
    REC(mo_role, mo_account_get_role(&o_, ex, a[0]));
}
static mo_status c_grant_user(mo_executor *ex, const char *const *a) {
    return mo_account_grant_privilege(ex, a[0], a[1], a[2], a[3], NULL);
}
static mo_status c_grant_role(mo_executor *ex, const char *const *a) {
    return mo_account_grant_privilege(ex, a[0], a[1], a[2], NULL, a[3]);
}
static mo_status c_revoke_user(mo_executor *ex, const char *const *a) {
    return mo_account_revoke_privilege(ex, a[0], a[1], a[2], a[3], NULL);
}
static mo_status c_revoke_role(mo_executor *ex, const char *const *a) {
    return mo_account_revoke_privilege(ex, a[0], a[1], a[2], NULL, a[3]);
}
static mo_status c_grant_role_to_user(mo_executor *ex, const char *const *a) {
    return mo_account_grant_role(ex, a[0], a[1]);
}
static mo_status c_revoke_role_from_user(mo_executor *ex, const char *const *a) {
    return mo_account_revoke_role(ex, a[0], a[1]);
}
static mo_status c_list_grants(mo_executor *ex, const char *const *a) {
    REC(mo_grant_list, mo_account_list_grants(&o_, ex, a[0]));
}

/* Every function of capi/mocore/managers.h with a string argument; the ones without
 * (snapshots.list, accounts/users/roles lists, get_current_user) cannot carry a payload. */
static const case_def CASES[] = {
    {"snapshots.create(database)", 5, {"s1", "database", "db1", NULL, "desc"}, c_snap_create, 0},
    {"snapshots.create(table)", 3, {"s1", "db1", "t1"}, c_snap_create_tbl, 0},
    {"snapshots.get", 1, {"s1"}, c_snap_get, 0},
    {"snapshots.delete", 1, {"s1"}, c_snap_delete, 0},
    {"snapshots.exists", 1, {"s1"}, c_snap_exists, 0},
    {"clone.clone_database", 4, {"db2", "db1", "s1", "acc2"}, c_clone_db, 0},
    {"clone.clone_table", 4, {"db2.t2", "db1.t1", "s1", "acc2"}, c_clone_tbl, 0},
    {"clone.clone_database_with_snapshot", 3, {"db2", "db1", "s1"}, c_clone_db_snap, 0},
    {"clone.clone_table_with_snapshot", 3, {"db2.t2", "db1.t1", "s1"}, c_clone_tbl_snap, 0},
    {"branch.create_table", 4, {"db2.t2", "db1.t1", "s1", "acc2"}, c_branch_create_tbl, 0},
    {"branch.delete_table", 1, {"db1.t1"}, c_branch_delete_tbl, 0},
    {"branch.create_database", 2, {"db2", "db1"}, c_branch_create_db, 0},
    {"branch.delete_database", 1, {"db1"}, c_branch_delete_db, 0},
    {"branch.diff_table(file)", 5, {"db1.t1", "s1", "db2.t2", "s2", "/tmp/diff.csv"},
     c_branch_diff_file, 0},
    {"branch.diff_table(as table)", 3, {"db1.t1", "db2.t2", "db3.t3"}, c_branch_diff_as_table, 0},
    {"branch.merge_table", 3, {"db1.t1", "db2.t2", "skip"}, c_branch_merge, 0},
    {"restore.restore_cluster", 1, {"s1"}, c_restore_cluster, 0},
    {"restore.restore_tenant", 3, {"s1", "acc1", "acc2"}, c_restore_tenant, 0},
    {"restore.restore_database", 4, {"s1", "acc1", "db1", "acc2"}, c_restore_db, 0},
    {"restore.restore_table", 5, {"s1", "acc1", "db1", "t1", "acc2"}, c_restore_tbl, 0},
    {"pitr.create_cluster_pitr", 2, {"p1", "d"}, c_pitr_cluster, 0},
    {"pitr.create_account_pitr", 3, {"p1", "acc1", "d"}, c_pitr_account, 0},
    {"pitr.create_database_pitr", 3, {"p1", "db1", "h"}, c_pitr_db, 0},
    {"pitr.create_table_pitr", 4, {"p1", "db1", "t1", "mo"}, c_pitr_tbl, 0},
    {"pitr.get", 1, {"p1"}, c_pitr_get, 0},
    {"pitr.list", 4, {"table", "acc1", "db1", "t1"}, c_pitr_list, 0},
    {"pitr.alter", 2, {"p1", "y"}, c_pitr_alter, 0},
    {"pitr.delete", 1, {"p1"}, c_pitr_delete, 0},
    {"pubsub.create_database_publication", 3, {"pub1", "db1", "acc2"}, c_pub_db, 1u << 2},
    {"pubsub.create_table_publication", 4, {"pub1", "db1", "t1", "acc2"}, c_pub_tbl, (1u << 2) | (1u << 3)},
    {"pubsub.get_publication", 1, {"pub1"}, c_pub_get, 0},
    {"pubsub.list_publications", 2, {"acc1", "db1"}, c_pub_list, 0},
    {"pubsub.alter_publication", 4, {"pub1", "acc2", "db1", "t1"}, c_pub_alter, (1u << 1) | (1u << 3)},
    {"pubsub.drop_publication", 1, {"pub1"}, c_pub_drop, 0},
    {"pubsub.show_create_publication", 1, {"pub1"}, c_pub_show_create, 0},
    {"pubsub.create_subscription", 3, {"sub1", "pub1", "acc1"}, c_sub_create, 0},
    {"pubsub.get_subscription", 1, {"sub1"}, c_sub_get, 0},
    {"pubsub.list_subscriptions", 2, {"acc1", "db1"}, c_sub_list, 0},
    {"account.create_account", 4, {"acc1", "admin", "pw", "comment"}, c_acct_create, 0},
    {"account.drop_account", 1, {"acc1"}, c_acct_drop, 0},
    {"account.alter_account(comment)", 2, {"acc1", "comment"}, c_acct_alter_comment, 0},
    {"account.alter_account(suspend)", 2, {"acc1", "reason"}, c_acct_alter_suspend, 0},
    {"account.get_account", 1, {"acc1"}, c_acct_get, 0},
    {"account.create_user", 3, {"u1", "pw", "comment"}, c_user_create, 0},
    {"account.drop_user", 1, {"u1"}, c_user_drop, 0},
    {"account.alter_user(password)", 2, {"u1", "pw2"}, c_user_alter_password, 0},
    {"account.alter_user(comment)", 2, {"u1", "comment"}, c_user_alter_comment, 0},
    {"account.alter_user(lock)", 2, {"u1", "reason"}, c_user_alter_lock, 0},
    {"account.create_role", 2, {"r1", "comment"}, c_role_create, 0},
    {"account.drop_role", 1, {"r1"}, c_role_drop, 0},
    {"account.get_role", 1, {"r1"}, c_role_get, 0},
    {"account.grant_privilege(user)", 4, {"SELECT", "TABLE", "db1.t1", "u1"}, c_grant_user, 0},
    {"account.grant_privilege(role)", 4, {"SELECT", "DATABASE", "db1", "r1"}, c_grant_role, 0},
    {"account.revoke_privilege(user)", 4, {"INSERT", "TABLE", "db1.*", "u1"}, c_revoke_user, 0},
    {"account.revoke_privilege(role)", 4, {"ALL", "DATABASE", "db1", "r1"}, c_revoke_role, 0},
    {"account.grant_role", 2, {"r1", "u1"}, c_grant_role_to_user, 0},
    {"account.revoke_role", 2, {"r1", "u1"}, c_revoke_role_from_user, 0},
    {"account.list_grants", 1, {"u1"}, c_list_grants, 0},
};
#define N_CASES (sizeof CASES / sizeof CASES[0])

/* ------------------------------------------------------------------ the sweep */

typedef mo_test_dry_run fixture;

typedef struct {
    mo_status st;
    size_t count;
    tokens *stmts;
    char **texts;
} run;

static run run_call(fixture *f, const case_def *c, int arg, const char *value) {
    const char *args[8];
    run r = {0};
    memcpy(args, c->args, sizeof args);
    args[arg] = value;
    assert_mo_ok(mo_client_journal_clear(f->client));
    r.st = c->call(f->ex, args);
    assert_mo_ok(mo_client_journal_count(f->client, &r.count));
    r.stmts = calloc(r.count + 1, sizeof *r.stmts);
    r.texts = calloc(r.count + 1, sizeof *r.texts);
    for (size_t i = 0; i < r.count; i++) {
        const char *sql = NULL;
        size_t len = 0;
        assert_mo_ok(mo_client_journal_get(f->client, i, &sql, &len));
        tokenize(&r.stmts[i], sql, len);
        r.texts[i] = strdup(sql);
    }
    assert_mo_ok(mo_client_journal_clear(f->client));
    return r;
}

static void run_free(run *r) {
    for (size_t i = 0; i < r->count; i++) {
        tokens_free(&r->stmts[i]);
        free(r->texts[i]);
    }
    free(r->stmts);
    free(r->texts);
}

static int printable_failures;

/* Strip the spaces a list item loses; a side next to the form's dotted part keeps them (the
 * item is "d2.<payload>" or "<payload>.t2": only its outer ends are trimmed). */
static void trim_spaces(char *s, int keep_left, int keep_right) {
    size_t len = strlen(s), start = 0;
    if (!keep_right)
        while (len > 0 && s[len - 1] == ' ') s[--len] = '\0';
    if (!keep_left)
        while (s[start] == ' ') start++;
    memmove(s, s + start, len - start + 1);
}

/* Report one failed check with the statements involved (payload bytes shown escaped). */
static void report(const case_def *c, int arg, const char *input, const char *why,
                   const char *ref_sql, const char *got_sql) {
    fprintf(stderr, "FAIL %s arg %d input [", c->name, arg);
    for (const unsigned char *p = (const unsigned char *)input; *p; p++)
        fprintf(stderr, (*p < 0x20 || *p >= 0x7f) ? "\\x%02x" : "%c", *p);
    fprintf(stderr, "]: %s\n", why);
    if (ref_sql) fprintf(stderr, "  reference: %s\n", ref_sql);
    if (got_sql) fprintf(stderr, "  hostile:   %s\n", got_sql);
    printable_failures++;
}

/* Compare the hostile run with the reference run; returns 1 when it means what was asked. */
static int same_meaning(const case_def *c, int arg, const char *input, const char *payload,
                        const run *ref, const run *got) {
    if (got->count != ref->count) {
        report(c, arg, input, "different number of statements", ref->count ? ref->texts[0] : NULL,
               got->count ? got->texts[0] : NULL);
        return 0;
    }
    for (size_t s = 0; s < ref->count; s++) {
        const tokens *a = &ref->stmts[s], *b = &got->stmts[s];
        int ok = a->n == b->n;
        for (size_t i = 0; ok && i < a->n; i++) {
            const token *x = &a->v[i], *y = &b->v[i];
            if (x->kind != y->kind || x->kind == TOK_BAD || x->kind == TOK_COMMENT ||
                x->kind == TOK_SEMI) {
                ok = 0;
            } else if (x->kind == TOK_IDENT || x->kind == TOK_STRING) {
                char *want = substitute(x->text, payload);
                ok = strlen(want) == y->len && memcmp(want, y->text, y->len) == 0;
                free(want);
            } else {
                ok = x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
            }
        }
        if (!ok) {
            report(c, arg, input, "statement structure or value changed", ref->texts[s],
                   got->texts[s]);
            return 0;
        }
    }
    return 1;
}

static void sweep_every_argument_of_every_function(void **state) {
    fixture *f = *state;
    size_t quoted = 0, rejected = 0, refused = 0, args_swept = 0;
    for (size_t ci = 0; ci < N_CASES; ci++) {
        const case_def *c = &CASES[ci];
        for (int arg = 0; arg < c->nargs; arg++) {
            if (!c->args[arg]) continue;
            args_swept++;
            for (size_t fi = 0; fi < N_FORMS; fi++) {
                char ref_input[64];
                snprintf(ref_input, sizeof ref_input, "%s%s%s", FORMS[fi][0], MARKER, FORMS[fi][1]);
                run ref = run_call(f, c, arg, ref_input);
                /* The reference must not leak a statement on failure either. */
                if (ref.st < 0 && ref.count != 0)
                    report(c, arg, ref_input, "rejected reference left statements", ref.texts[0], NULL);
                if (ref.st >= 0) {
                    for (size_t s = 0; s < ref.count; s++)
                        for (size_t i = 0; i < ref.stmts[s].n; i++)
                            if (ref.stmts[s].v[i].kind >= TOK_COMMENT)
                                report(c, arg, ref_input, "reference is not clean SQL",
                                       ref.texts[s], NULL);
                }
                for (size_t pi = 0; pi < N_PAYLOADS; pi++) {
                    const char *payload = PAYLOADS[pi];
                    char input[128];
                    snprintf(input, sizeof input, "%s%s%s", FORMS[fi][0], payload, FORMS[fi][1]);
                    run got = run_call(f, c, arg, input);
                    /* what the argument means: a list item is read without its outer spaces */
                    char meant[128];
                    snprintf(meant, sizeof meant, "%s", payload);
                    if (c->list_args & (1u << arg)) trim_spaces(meant, FORMS[fi][0][0] != 0,
                                                                 FORMS[fi][1][0] != 0);
                    if (got.st == MO_E_INVALID_ARGUMENT) {
                        if (got.count != 0)
                            report(c, arg, input, "rejected but statements were journaled", NULL,
                                   got.texts[0]);
                        else
                            rejected++;
                    } else if (got.st < 0 && got.st == ref.st && got.count == 0) {
                        refused++; /* refused as the reference is (e.g. UNSUPPORTED), unsent */
                    } else if (got.st < 0) {
                        report(c, arg, input, mo_error_category_name(got.st), NULL, NULL);
                    } else if (ref.st < 0) {
                        report(c, arg, input,
                               "accepted a value of an argument whose marker was rejected", NULL,
                               got.count ? got.texts[0] : NULL);
                    } else if (same_meaning(c, arg, input, meant, &ref, &got)) {
                        quoted++;
                    }
                    run_free(&got);
                }
                run_free(&ref);
            }
        }
    }
    fprintf(stderr,
            "injection sweep: %zu call variants, %zu arguments, %zu payloads x %zu forms: "
            "%zu quoted and unchanged in meaning, %zu rejected with INVALID_ARGUMENT, %zu refused "
            "like the reference (nothing sent), %d failures\n",
            N_CASES, args_swept, N_PAYLOADS, N_FORMS, quoted, rejected, refused, printable_failures);
    assert_int_equal(printable_failures, 0);
    assert_true(quoted > 0 && rejected > 0);
}

/* The tokenizer is the judge, so it is checked against known answers first. */
static void tokenizer_reads_quotes_as_the_server_does(void **state) {
    (void)state;
    tokens t = {0};
    const char *sql = "CREATE SNAPSHOT `a``b` FOR ACCOUNT 'x\\'y''z\\\\' ; -- c";
    tokenize(&t, sql, strlen(sql));
    assert_int_equal(t.n, 8);
    assert_int_equal(t.v[2].kind, TOK_IDENT);
    assert_string_equal(t.v[2].text, "a`b");
    assert_int_equal(t.v[5].kind, TOK_STRING);
    assert_string_equal(t.v[5].text, "x'y'z\\");
    assert_int_equal(t.v[6].kind, TOK_SEMI);
    tokens_free(&t);
    tokenize(&t, "a --x", 5);
    assert_int_equal(t.v[1].kind, TOK_COMMENT);
    tokens_free(&t);
    tokenize(&t, "'unterminated", 13);
    assert_int_equal(t.v[0].kind, TOK_BAD);
    tokens_free(&t);
    char *s = substitute("d2." MARKER ".x" MARKER, "`;");
    assert_string_equal(s, "d2.`;.x`;");
    free(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokenizer_reads_quotes_as_the_server_does),
        mo_test_dry_run_test(sweep_every_argument_of_every_function),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
