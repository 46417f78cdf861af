/* tests/ffi/ffi_harness.c — libmocore loaded the way a header-less FFI user loads it.
 *
 *   ffi_harness MANIFEST MAP [TEST_SERVER_DIR]
 *
 * dlopen("libmocore.so.1") (found through LD_LIBRARY_PATH), no mocore header included. Driven
 * by abi/mocore.manifest (name|return|args, see abi/gen-manifest.py):
 *   1. coverage: every exported symbol (readelf of the loaded file, and every name in the map)
 *      has a manifest entry, and every manifest entry resolves with dlsym;
 *   2. every function is called through ffi_call with NULL handles / zero arguments and must
 *      return the documented value (mo_status functions: MO_E_INVALID_ARGUMENT) without
 *      crashing;
 *   3. a real flow against the test MariaDB, through ffi_call only: config from URL, connect,
 *      session, CREATE TABLE, INSERT with int64/text/double parameters, SELECT with typed
 *      reads, commit, a duplicate key (MO_E_CONSTRAINT, server code 1062), close/free.
 * The constants below are the documented ABI values (capi/mocore/ headers); they are part of the
 * contract, so a change to any of them must break this test. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <ffi.h>
#include <inttypes.h>
#include <link.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ST_OK = 0, ST_ROW = 1, ST_DONE = 2, E_INVALID_ARGUMENT = -1, E_CONSTRAINT = -13 };
enum { SERVER_AUTO = 0, SERVER_MATRIXONE = 1, SESSION_POISONED = 3 };

typedef enum { T_VOID, T_STATUS, T_INT, T_UNSIGNED, T_SIZE, T_INT64, T_UINT64, T_DOUBLE,
               T_FLOAT, T_STRING, T_POINTER } vtype;

static const struct { const char *name; vtype t; } VOCAB[] = {
    {"void", T_VOID},     {"status", T_STATUS}, {"int", T_INT},       {"unsigned", T_UNSIGNED},
    {"size_t", T_SIZE},   {"int64", T_INT64},   {"uint64", T_UINT64}, {"double", T_DOUBLE},
    {"float", T_FLOAT},   {"string", T_STRING}, {"pointer", T_POINTER}};

#define MAX_ARGS 16
typedef struct {
    char name[128];
    vtype ret;
    int nargs;
    vtype args[MAX_ARGS];
    void *fn;
    ffi_cif cif;
    ffi_type *atypes[MAX_ARGS];
    int covered; /* called in the NULL pass */
} entry;

static entry entries[512];
static int n_entries;
static void *lib;
static int failures;

#define FAIL(...)                                                                              \
    do {                                                                                       \
        fprintf(stderr, "ffi.harness: FAIL: " __VA_ARGS__);                                    \
        fputc('\n', stderr);                                                                   \
        failures++;                                                                            \
    } while (0)

static ffi_type *ffi_of(vtype t) {
    switch (t) {
    case T_VOID: return &ffi_type_void;
    case T_STATUS:
    case T_INT: return &ffi_type_sint;
    case T_UNSIGNED: return &ffi_type_uint;
    case T_SIZE: return sizeof(size_t) == 8 ? &ffi_type_uint64 : &ffi_type_uint32;
    case T_INT64: return &ffi_type_sint64;
    case T_UINT64: return &ffi_type_uint64;
    case T_DOUBLE: return &ffi_type_double;
    case T_FLOAT: return &ffi_type_float;
    case T_STRING:
    case T_POINTER: return &ffi_type_pointer;
    }
    return NULL;
}

static int parse_type(const char *s, size_t n, vtype *out) {
    for (size_t i = 0; i < sizeof VOCAB / sizeof VOCAB[0]; i++)
        if (strlen(VOCAB[i].name) == n && memcmp(VOCAB[i].name, s, n) == 0) {
            *out = VOCAB[i].t;
            return 0;
        }
    return -1;
}

static entry *find(const char *name) {
    for (int i = 0; i < n_entries; i++)
        if (strcmp(entries[i].name, name) == 0) return &entries[i];
    return NULL;
}

static int load_manifest(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        if (line[0] == '#' || line[0] == 0) continue;
        char *p1 = strchr(line, '|'), *p2 = p1 ? strchr(p1 + 1, '|') : NULL;
        if (!p2 || n_entries == (int)(sizeof entries / sizeof entries[0]) ||
            (size_t)(p1 - line) >= sizeof entries[0].name) {
            fprintf(stderr, "%s:%d: bad manifest line\n", path, lineno);
            fclose(f);
            return -1;
        }
        entry *e = &entries[n_entries++];
        memset(e, 0, sizeof *e);
        memcpy(e->name, line, (size_t)(p1 - line));
        if (parse_type(p1 + 1, (size_t)(p2 - p1 - 1), &e->ret) < 0) {
            fprintf(stderr, "%s:%d: unknown return type\n", path, lineno);
            fclose(f);
            return -1;
        }
        const char *a = p2 + 1;
        while (*a) {
            size_t n = strcspn(a, ",");
            if (e->nargs == MAX_ARGS || parse_type(a, n, &e->args[e->nargs]) < 0 ||
                e->args[e->nargs] == T_VOID) {
                fprintf(stderr, "%s:%d: bad argument type\n", path, lineno);
                fclose(f);
                return -1;
            }
            e->atypes[e->nargs] = ffi_of(e->args[e->nargs]);
            e->nargs++;
            a += n + (a[n] == ',');
        }
        if (ffi_prep_cif(&e->cif, FFI_DEFAULT_ABI, (unsigned)e->nargs, ffi_of(e->ret),
                         e->atypes) != FFI_OK) {
            fprintf(stderr, "%s: ffi_prep_cif failed\n", e->name);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

/* ------------------------------------------------------------------ coverage */

static int name_in_manifest_or_fail(const char *name, const char *where) {
    if (find(name)) return 1;
    FAIL("%s exports %s but abi/mocore.manifest has no entry for it", where, name);
    return 0;
}

static void check_map(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        FAIL("cannot open %s", path);
        return;
    }
    char line[512];
    int n = 0, in_global = 0;
    while (fgets(line, sizeof line, f)) {
        char *s = line + strspn(line, " \t");
        s[strcspn(s, "\r\n")] = 0;
        if (strncmp(s, "global:", 7) == 0) { in_global = 1; continue; }
        if (strncmp(s, "local:", 6) == 0 || s[0] == '}') { in_global = 0; continue; }
        if (!in_global || !s[0] || s[0] == '/' || s[0] == '*') continue;
        char *semi = strchr(s, ';');
        if (!semi) continue;
        *semi = 0;
        n++;
        name_in_manifest_or_fail(s, "abi/mocore.map");
        if (!dlsym(lib, s)) FAIL("map symbol %s not found by dlsym", s);
    }
    fclose(f);
    if (n != n_entries) FAIL("abi/mocore.map names %d symbols, the manifest %d", n, n_entries);
}

static int check_dynsym(const char *libpath) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "readelf --dyn-syms --wide '%s'", libpath);
    FILE *p = popen(cmd, "r");
    if (!p) {
        FAIL("cannot run readelf");
        return 0;
    }
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, p)) {
        char num[32], val[64], size[32], type[32], bind[32], vis[32], ndx[32], name[512];
        if (sscanf(line, "%31s %63s %31s %31s %31s %31s %31s %511s", num, val, size, type, bind,
                   vis, ndx, name) != 8)
            continue;
        if (strcmp(ndx, "UND") == 0 || (strcmp(bind, "GLOBAL") && strcmp(bind, "WEAK"))) continue;
        if (!strchr(num, ':')) continue;
        char *at = strchr(name, '@');
        if (!at && strcmp(ndx, "ABS") == 0) continue;
        if (strcmp(ndx, "ABS") == 0 && strcmp(type, "OBJECT") == 0 && !at) continue;
        if (at) *at = 0;
        if (strcmp(type, "OBJECT") == 0 && strcmp(ndx, "ABS") == 0) continue; /* version node */
        n++;
        name_in_manifest_or_fail(name, "the library (.dynsym)");
    }
    pclose(p);
    return n;
}

/* ------------------------------------------------------------------ calling */

typedef union {
    ffi_arg u;
    ffi_sarg s;
    int64_t i64;
    uint64_t u64;
    double d;
    float f;
    void *p;
    unsigned char pad[16];
} rv;

typedef union {
    int i;
    unsigned u;
    size_t z;
    int64_t i64;
    uint64_t u64;
    double d;
    float f;
    void *p;
} value;

/* Call `name` with arguments given as `value`s in the order of the manifest. */
static value callv(const char *name, const value *args) {
    entry *e = find(name);
    value out;
    memset(&out, 0, sizeof out);
    if (!e) {
        FAIL("%s: not in the manifest", name);
        exit(1);
    }
    void *avalues[MAX_ARGS];
    for (int i = 0; i < e->nargs; i++) avalues[i] = (void *)&args[i];
    rv r;
    memset(&r, 0, sizeof r);
    ffi_call(&e->cif, FFI_FN(e->fn), &r, avalues);
    switch (e->ret) {
    case T_VOID: break;
    case T_STATUS:
    case T_INT: out.i = (int)r.s; break;
    case T_UNSIGNED: out.u = (unsigned)r.u; break;
    case T_SIZE: out.z = (size_t)r.u; break;
    case T_INT64: out.i64 = r.i64; break;
    case T_UINT64: out.u64 = r.u64; break;
    case T_DOUBLE: out.d = r.d; break;
    case T_FLOAT: out.f = r.f; break;
    case T_STRING:
    case T_POINTER: out.p = r.p; break;
    }
    return out;
}

/* call("name", v1, v2, ...): each vN a `value` */
#define call(name, ...) callv(name, (const value[]){{0}, __VA_ARGS__} + 1)
#define call0(name) callv(name, (const value[]){{0}})
#define P(x) ((value){.p = (void *)(x)})
#define Z(x) ((value){.z = (size_t)(x)})
#define I64(x) ((value){.i64 = (int64_t)(x)})
#define D(x) ((value){.d = (double)(x)})
#define U(x) ((value){.u = (unsigned)(x)})
#define INT(x) ((value){.i = (int)(x)})

/* ------------------------------------------------------------------ NULL pass */

static const char *cstr(value v) { return (const char *)v.p; }

/* The documented result of calling a function with NULL handles and zero arguments. */
static void null_pass(void) {
    for (int i = 0; i < n_entries; i++) {
        entry *e = &entries[i];
        value args[MAX_ARGS];
        memset(args, 0, sizeof args);
        int has_pointer = 0;
        for (int a = 0; a < e->nargs; a++)
            if (e->args[a] == T_POINTER || e->args[a] == T_STRING) has_pointer = 1;
        value r = callv(e->name, args);
        e->covered = 1;
        const char *n = e->name;

        /* documented special cases (capi/mocore/ headers) */
        if (!strcmp(n, "mo_error_category")) { /* "MO_OK for NULL" */
            if (r.i != ST_OK) FAIL("mo_error_category(NULL) = %d, documented MO_OK", r.i);
        } else if (!strcmp(n, "mo_error_server_code")) { /* 0: not from a server */
            if (r.i != 0) FAIL("mo_error_server_code(NULL) = %d, want 0", r.i);
        } else if (!strcmp(n, "mo_error_sqlstate") || !strcmp(n, "mo_error_message") ||
                   !strcmp(n, "mo_error_operation")) { /* "Never NULL" */
            if (!r.p) FAIL("%s(NULL) returned NULL; documented never NULL", n);
        } else if (!strcmp(n, "mo_error_category_name")) { /* "ok" for MO_OK */
            if (!r.p || strcmp(cstr(r), "ok")) FAIL("mo_error_category_name(0) != \"ok\"");
        } else if (!strcmp(n, "mo_version_string")) {
            if (!r.p || !strchr(cstr(r), '.')) FAIL("mo_version_string() is not x.y.z");
        } else if (!strcmp(n, "mo_client_server_version")) { /* borrowed; "" when unknown */
            if (r.p && strcmp(cstr(r), "")) FAIL("mo_client_server_version(NULL) = %s", cstr(r));
        } else if (!strcmp(n, "mo_client_server_kind")) {
            if (r.i != SERVER_AUTO) FAIL("mo_client_server_kind(NULL) = %d, want AUTO", r.i);
        } else if (!strcmp(n, "mo_session_get_state")) {
            if (r.i != SESSION_POISONED) FAIL("mo_session_get_state(NULL) = %d, want POISONED", r.i);
        } else if (!strcmp(n, "mo_error_last")) {
            /* after the failures above: a last error exists, with category INVALID_ARGUMENT */
        } else if (!strcmp(n, "mo_error_category_for_code") || !strcmp(n, "mo_error_clear")) {
            /* no handle argument: any status / nothing; only "does not crash" */
        } else {
            /* the general rules */
            switch (e->ret) {
            case T_STATUS:
                if (has_pointer && r.i != E_INVALID_ARGUMENT)
                    FAIL("%s(NULL, ...) = %d, want MO_E_INVALID_ARGUMENT (-1)", n, r.i);
                if (has_pointer && r.i == E_INVALID_ARGUMENT) {
                    value last = call0("mo_error_last");
                    if (!last.p || call("mo_error_category", last).i != E_INVALID_ARGUMENT)
                        FAIL("%s(NULL): mo_error_last() does not say INVALID_ARGUMENT", n);
                }
                break;
            case T_SIZE:
                if (r.z != 0) FAIL("%s(NULL) = %zu, want 0", n, r.z);
                break;
            case T_STRING:
                if (r.p && strcmp(cstr(r), "")) FAIL("%s(NULL) = \"%s\", want \"\" or NULL", n, cstr(r));
                break;
            case T_POINTER:
                if (r.p) FAIL("%s(NULL) returned a non-NULL pointer", n);
                break;
            case T_INT:
            case T_UNSIGNED:
            case T_INT64:
            case T_UINT64:
                if (has_pointer && r.u64 != 0 && r.i != E_INVALID_ARGUMENT)
                    FAIL("%s(NULL) = %" PRId64 ", want 0 or -1", n, r.i64);
                break;
            default: break; /* void: no crash is the test */
            }
        }
    }
    /* a last error now exists and reads consistently through the accessors */
    value last = call0("mo_error_last");
    if (!last.p) FAIL("mo_error_last() is NULL after failing calls");
    call0("mo_error_clear");
    if (call0("mo_error_last").p) FAIL("mo_error_last() not NULL after mo_error_clear()");
}

/* ------------------------------------------------------------------ the real flow */

#define CHECK_OK(expr, what)                                                                   \
    do {                                                                                       \
        int st_ = (expr).i;                                                                    \
        if (st_ != ST_OK) {                                                                    \
            value le_ = call0("mo_error_last");                                                \
            FAIL("%s: status %d: %s", what, st_,                                               \
                 le_.p ? cstr(call("mo_error_message", le_)) : "(no error)");                  \
            goto done;                                                                         \
        }                                                                                      \
    } while (0)

static int exec_sql(const char *fn, void *h, const char *sql, void *params, void **res) {
    void *r = NULL;
    int st = call(fn, P(&r), P(h), P(sql), Z(strlen(sql)), P(params)).i;
    if (res) *res = r;
    else call("mo_result_free", P(r));
    return st;
}

static void real_flow(const char *url) {
    void *cfg = NULL, *client = NULL, *session = NULL, *params = NULL, *res = NULL;
    CHECK_OK(call("mo_config_from_url", P(&cfg), P(url)), "mo_config_from_url");
    CHECK_OK(call("mo_client_connect", P(&client), P(cfg)), "mo_client_connect");
    printf("connected: %s\n", cstr(call("mo_client_server_version", P(client))));

    CHECK_OK(((value){.i = exec_sql("mo_client_execute", client,
                                    "DROP TABLE IF EXISTS ffi_harness_t", NULL, NULL)}),
             "DROP TABLE");
    CHECK_OK(((value){.i = exec_sql("mo_client_execute", client,
                                    "CREATE TABLE ffi_harness_t (id BIGINT PRIMARY KEY, "
                                    "name VARCHAR(64), score DOUBLE)", NULL, NULL)}),
             "CREATE TABLE");

    CHECK_OK(call("mo_session_open", P(&session), P(client)), "mo_session_open");
    CHECK_OK(call("mo_params_new", P(&params)), "mo_params_new");
    static const char *names[] = {"alpha", "b\xc3\xa9ta 'quoted'"};
    for (int i = 0; i < 2; i++) {
        CHECK_OK(call("mo_params_clear", P(params)), "mo_params_clear");
        CHECK_OK(call("mo_params_add_int64", P(params), I64(INT64_C(9000000000) + i)), "add_int64");
        CHECK_OK(call("mo_params_add_text", P(params), P(names[i]), Z(strlen(names[i]))), "add_text");
        CHECK_OK(call("mo_params_add_double", P(params), D(1.5 + i)), "add_double");
        if (call("mo_params_count", P(params)).z != 3) FAIL("mo_params_count != 3");
        CHECK_OK(((value){.i = exec_sql("mo_session_execute", session,
                                        "INSERT INTO ffi_harness_t VALUES (?, ?, ?)", params,
                                        &res)}),
                 "INSERT");
        uint64_t affected = 0;
        CHECK_OK(call("mo_result_affected_rows", P(res), P(&affected)), "affected_rows");
        if (affected != 1) FAIL("INSERT affected %" PRIu64 " rows", affected);
        call("mo_result_free", P(res));
        res = NULL;
    }

    CHECK_OK(((value){.i = exec_sql("mo_session_execute", session,
                                    "SELECT id, name, score FROM ffi_harness_t ORDER BY id", NULL,
                                    &res)}),
             "SELECT");
    if (call("mo_result_column_count", P(res)).z != 3) FAIL("SELECT: column count != 3");
    int rows = 0, st;
    while ((st = call("mo_result_next", P(res)).i) == ST_ROW) {
        int64_t id = 0;
        double score = 0;
        const char *name = NULL;
        size_t name_len = 0;
        CHECK_OK(call("mo_result_get_int64", P(res), Z(0), P(&id)), "get_int64");
        CHECK_OK(call("mo_result_get_text", P(res), Z(1), P(&name), P(&name_len)), "get_text");
        CHECK_OK(call("mo_result_get_double", P(res), Z(2), P(&score)), "get_double");
        if (rows < 2) {
            if (id != INT64_C(9000000000) + rows) FAIL("row %d: id %" PRId64, rows, id);
            if (name_len != strlen(names[rows]) || memcmp(name, names[rows], name_len))
                FAIL("row %d: name %.*s", rows, (int)name_len, name);
            if (score != 1.5 + rows) FAIL("row %d: score %g", rows, score);
        }
        printf("row: %" PRId64 " %.*s %g\n", id, (int)name_len, name, score);
        rows++;
    }
    if (st != ST_DONE) FAIL("mo_result_next ended with %d, not MO_DONE", st);
    if (rows != 2) FAIL("SELECT returned %d rows, want 2", rows);
    call("mo_result_free", P(res));
    res = NULL;
    CHECK_OK(call("mo_session_commit", P(session)), "mo_session_commit");

    /* committed: visible from the client's own connection */
    CHECK_OK(((value){.i = exec_sql("mo_client_execute", client,
                                    "SELECT COUNT(*) FROM ffi_harness_t", NULL, &res)}),
             "SELECT COUNT");
    int64_t count = -1;
    if (call("mo_result_next", P(res)).i != ST_ROW) FAIL("COUNT: no row");
    CHECK_OK(call("mo_result_get_int64", P(res), Z(0), P(&count)), "COUNT get_int64");
    if (count != 2) FAIL("after commit: %" PRId64 " rows, want 2", count);
    call("mo_result_free", P(res));
    res = NULL;

    /* a duplicate key: category CONSTRAINT, server code 1062 */
    CHECK_OK(call("mo_params_clear", P(params)), "mo_params_clear");
    CHECK_OK(call("mo_params_add_int64", P(params), I64(INT64_C(9000000000))), "add_int64");
    CHECK_OK(call("mo_params_add_text", P(params), P("dup"), Z(3)), "add_text");
    CHECK_OK(call("mo_params_add_double", P(params), D(0.25)), "add_double");
    st = exec_sql("mo_client_execute", client, "INSERT INTO ffi_harness_t VALUES (?, ?, ?)",
                  params, NULL);
    value le = call0("mo_error_last");
    if (st != E_CONSTRAINT) FAIL("duplicate key: status %d, want MO_E_CONSTRAINT (-13)", st);
    else if (!le.p) FAIL("duplicate key: mo_error_last() is NULL");
    else {
        int code = call("mo_error_server_code", le).i;
        int cat = call("mo_error_category", le).i;
        const char *cname = cstr(call("mo_error_category_name", INT(cat)));
        printf("duplicate key: %s (%d), server %d, sqlstate %s: %s\n", cname, cat, code,
               cstr(call("mo_error_sqlstate", le)), cstr(call("mo_error_message", le)));
        if (code != 1062) FAIL("duplicate key: server code %d, want 1062", code);
        if (cat != E_CONSTRAINT || strcmp(cname, "constraint"))
            FAIL("duplicate key: category %d (%s)", cat, cname);
        /* MatrixOne sends its duplicate key as 1062 with SQLSTATE HY000 (docs/matrixone.md) */
        const char *want = call("mo_client_server_kind", P(client)).i == SERVER_MATRIXONE
                               ? "HY000" : "23000";
        if (strcmp(cstr(call("mo_error_sqlstate", le)), want))
            FAIL("duplicate key: sqlstate %s, want %s", cstr(call("mo_error_sqlstate", le)), want);
    }
    exec_sql("mo_client_execute", client, "DROP TABLE IF EXISTS ffi_harness_t", NULL, NULL);

done:
    call("mo_result_free", P(res));
    call("mo_params_free", P(params));
    call("mo_session_close", P(session));
    call("mo_client_close", P(client));
    call("mo_config_free", P(cfg));
}

static const char *test_url(const char *server_dir, char *buf, size_t size) {
    const char *v = getenv("MOCORE_TEST_URL");
    if (v && *v) return v;
    if (!server_dir) return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/url", server_dir);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    if (!fgets(buf, (int)size, f)) buf[0] = 0;
    fclose(f);
    buf[strcspn(buf, "\r\n")] = 0;
    return buf[0] ? buf : NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s abi/mocore.manifest abi/mocore.map [test-server-dir]\n", argv[0]);
        return 2;
    }
    lib = dlopen("libmocore.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "dlopen(libmocore.so.1): %s\n", dlerror());
        return 1;
    }
    struct link_map *lm = NULL;
    if (dlinfo(lib, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
        fprintf(stderr, "dlinfo failed\n");
        return 1;
    }
    printf("loaded %s\n", lm->l_name);
    if (load_manifest(argv[1]) < 0) return 1;
    for (int i = 0; i < n_entries; i++) {
        entries[i].fn = dlsym(lib, entries[i].name);
        if (!entries[i].fn) FAIL("manifest names %s but the library lacks it", entries[i].name);
    }
    check_map(argv[2]);
    int dyn = check_dynsym(lm->l_name);
    if (dyn != n_entries) FAIL("the library exports %d functions, the manifest lists %d", dyn, n_entries);
    if (failures) {
        fprintf(stderr, "ffi.harness: coverage failed; not calling anything\n");
        return 1;
    }

    null_pass();
    int covered = 0;
    for (int i = 0; i < n_entries; i++) covered += entries[i].covered;
    printf("NULL/invalid-argument pass: %d of %d exported functions called, %d failures\n",
           covered, n_entries, failures);

    char buf[1024];
    const char *url = test_url(argc > 3 ? argv[3] : NULL, buf, sizeof buf);
    if (!url) {
        FAIL("no test server: set MOCORE_TEST_URL or run through ctest (server fixture)");
    } else {
        real_flow(url);
    }
    printf("exports %d, manifest entries %d, covered %d: %s\n", dyn, n_entries, covered,
           failures ? "FAIL" : "OK");
    /* no dlclose: the library's per-process state (thread-local last error, one-time init)
     * stays reachable for LeakSanitizer, exactly as in a process that linked it */
    return failures ? 1 : 0;
}
