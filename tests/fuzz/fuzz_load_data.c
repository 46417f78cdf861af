/* tests/fuzz/fuzz_load_data.c — LOAD DATA option rendering, through a dry-run client's journal.
 *
 * The input sets load options (terminators, enclosure, escape, SET values and expressions,
 * columns, format, character set...) and runs one load (from a server file, a stage, or
 * inline data) on a dry-run MatrixOne client. Whatever is refused is fine; every statement
 * that reaches the journal is read with the lexer of fuzz_common.h: no comment, no second
 * statement, every value given (path, terminators, SET values, inline data...) is one
 * literal that decodes back to it, and (with the escape-mode-proof literals) the statement
 * splits into the same tokens whether or not the server reads backslashes as escapes. */
#include "fuzz_common.h"
#include "internal.h"

#define MAX_VALUES 32

typedef struct { const char *v[MAX_VALUES]; size_t len[MAX_VALUES]; size_t n; } values;

static void expect(values *vals, const char *s, size_t len) {
    if (vals->n < MAX_VALUES && len) vals->v[vals->n] = s, vals->len[vals->n++] = len;
}

/* The statement in reading `nbe`: no comment, no ';'; token ends into ends (if given). */
static size_t tokens(const char *sql, size_t n, int nbe, size_t *ends, size_t max) {
    size_t i = 0, end, count = 0;
    tok_kind k;
    while ((k = lx_token(sql, n, i, nbe, &end)) != TOK_END) {
        if (k == TOK_COMMENT) FUZZ_FINDING("a comment at offset %zu (reading %d)", i, nbe);
        if (k == TOK_OP && sql[i] == ';') FUZZ_FINDING("a ';' at offset %zu (reading %d)", i, nbe);
        if (ends && count < max) ends[count] = end;
        count++;
        i = end;
    }
    return count;
}

static int found_literal(const char *sql, size_t n, const char *v, size_t vl) {
    size_t i = 0, end;
    while (lx_token(sql, n, i, 0, &end) != TOK_END) {
        size_t lend, dl;
        char form, cs[32];
        char *d = lx_value_literal(sql, n, i, 0, &lend, &dl, &form, cs);
        int hit = d && dl == vl && memcmp(d, v, vl) == 0;
        free(d);
        if (hit) return 1;
        i = end;
    }
    return 0;
}

/* A SET expression is the caller's SQL text, like a `?` template: it may read differently in
 * the two modes (both closed), so statements with one are checked in the default mode only. */
static int has_expression;

static void check_statement(const char *sql, size_t n, const values *vals) {
    fuzz_ctx_b = sql, fuzz_ctx_b_len = n;
    static size_t e0[4096], e1[4096];
    size_t c0 = tokens(sql, n, 0, e0, 4096);
#ifdef MO_SQL_AMBIGUOUS
    size_t c1 = has_expression ? c0 : tokens(sql, n, 1, e1, 4096);
    if (!has_expression && (c0 != c1 || memcmp(e0, e1, (c0 < 4096 ? c0 : 4096) * sizeof *e0) != 0))
        FUZZ_FINDING("the statement splits differently under NO_BACKSLASH_ESCAPES");
#else
    (void)c0, (void)e1; /* backslash-escaped literals: only the dry run's (default) mode */
#endif
    for (size_t k = 0; k < vals->n; k++)
        if (!found_literal(sql, n, vals->v[k], vals->len[k])) {
            fuzz_dump("value", vals->v[k], vals->len[k]);
            FUZZ_FINDING("value %zu is not one literal of the statement", k);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_in in = {data, size};
    mo_config *cfg = NULL;
    mo_client *c = NULL;
    mo_executor *ex = NULL;
    mo_load_options *o = NULL;
    if (mo_config_new(&cfg) < 0 || mo_config_set_dry_run(cfg, 1) < 0 ||
        mo_config_set_server_kind(cfg, MO_SERVER_MATRIXONE) < 0 || mo_client_connect(&c, cfg) < 0 ||
        mo_client_executor(&ex, c) < 0 || mo_load_options_new(&o) < 0)
        abort();
    char *strs[64];
    size_t nstr = 0;
    values vals = {{0}, {0}, 0};
    has_expression = 0;
    uint8_t how = fuzz_u8(&in);
    size_t n;
    const uint8_t *p;
#define NEXT_STR() (p = fuzz_piece(&in, &n), strs[nstr] = fuzz_cstr(p, n), strs[nstr++])
    char *table = NEXT_STR();
    char *source = NEXT_STR();
    char *filename = NEXT_STR();
    while (in.n && nstr < 60) {
        uint8_t op = fuzz_u8(&in) % 13;
        char *s = NEXT_STR();
        mo_status st = MO_OK;
        switch (op) {
        case 0: st = mo_load_options_set_fields_terminated_by(o, s); break;
        case 1: st = mo_load_options_set_fields_enclosed_by(o, s, (int)(n & 1)); break;
        case 2: st = mo_load_options_set_fields_escaped_by(o, s); break;
        case 3: st = mo_load_options_set_lines_starting_by(o, s); break;
        case 4: st = mo_load_options_set_lines_terminated_by(o, s); break;
        case 5: st = mo_load_options_set_ignore_lines(o, (int64_t)(int8_t)(n ? s[0] : 0)); break;
        case 6: st = mo_load_options_set_character_set(o, s); break;
        case 7: st = mo_load_options_set_parallel(o, (int)(n & 1)); break;
        case 8: st = mo_load_options_add_column(o, s); break;
        case 9: {
            char *v = NEXT_STR();
            st = mo_load_options_add_set_value(o, s, v);
            if (st == MO_OK) expect(&vals, v, strlen(v));
            break;
        }
        case 10:
            st = mo_load_options_add_set_expression(o, s, NEXT_STR());
            if (st == MO_OK) has_expression = 1;
            break;
        case 11: st = mo_load_options_set_format(o, s); break;
        default: st = mo_load_options_set_compression(o, s); break;
        }
        if (st < 0 && st != MO_E_INVALID_ARGUMENT)
            FUZZ_FINDING("option %d refused with %d, not INVALID_ARGUMENT", op, st);
        /* A later setting replaces an earlier one: only SET values accumulate. */
    }
    mo_status st;
    switch (how % 3) {
    case 0: st = mo_load_data_from_file(ex, source, table, o, NULL); break;
    case 1: st = mo_load_data_from_stage(ex, source, filename, table, o, NULL); break;
    default: st = mo_load_data_from_inline(ex, source, strlen(source), table, o, NULL); break;
    }
    if (st < 0 && st != MO_E_INVALID_ARGUMENT && st != MO_E_UNSUPPORTED)
        FUZZ_FINDING("the load failed with %d (%s)", st, mo_error_message(mo_error_last()));
    if (st == MO_OK && how % 3 != 1) expect(&vals, source, strlen(source));
    size_t count = 0;
    mo_client_journal_count(c, &count);
    if (st == MO_OK && count == 0) FUZZ_FINDING("a load that succeeded journalled nothing");
    for (size_t k = 0; k < count; k++) {
        const char *sql;
        size_t len;
        if (mo_client_journal_get(c, k, &sql, &len) < 0) FUZZ_FINDING("journal entry %zu unreadable", k);
        /* The SET values and the source belong to the LOAD statement (the last one). */
        values none = {{0}, {0}, 0};
        check_statement(sql, len, k + 1 == count ? &vals : &none);
    }
    fuzz_ctx_b = NULL;
    for (size_t k = 0; k < nstr; k++) free(strs[k]);
    mo_load_options_free(o);
    mo_executor_free(ex);
    mo_client_close(c);
    mo_config_free(cfg);
    return 0;
}
