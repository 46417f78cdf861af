/* src/core/config.c — connection settings: setters, options by name, URLs, login rules.
 *
 * Every value is validated when it is set, so a client never connects with a setting that
 * could only fail later (or worse, be silently ignored). The password is treated as a secret
 * throughout: it is wiped before its memory is freed and never appears in an error message,
 * not even in part, whatever is wrong with the URL around it. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Prefixes for messages: setters report plainly, URL parsing says the URL was at fault. */
#define PLAIN ""
#define IN_URL "invalid URL: "

/* ------------------------------------------------------------------ small helpers */

/* Zero a secret before free(). The volatile store keeps the compiler from eliding it as a
 * dead store (what explicit_bzero does, without depending on its availability). */
static void wipe_and_free(char *s) {
    if (!s) return;
    volatile char *p = s;
    while (*p) *p++ = 0;
    free(s);
}

static void wipe_n_and_free(char *s, size_t n) {
    volatile char *p = s;
    for (size_t i = 0; i < n; i++) p[i] = 0;
    free(s);
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static int equals_ci(const char *a, const char *b) {
    while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b)) a++, b++;
    return *a == 0 && *b == 0;
}

static int equals_ci_n(const char *a, size_t n, const char *b) {
    size_t i = 0;
    for (; i < n && b[i]; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return 0;
    return i == n && b[i] == 0;
}

/* 1 when s[0..n) may be quoted back in an error message: short, valid UTF-8, no control
 * characters. Anything else is described rather than echoed. */
static int echoable(const char *s, size_t n) {
    if (n > 100 || !mo_utf8_valid(s, n)) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
    return 1;
}

/* Decimal digits only (no sign, no spaces), at most `max`. */
static int parse_unsigned(const char *s, size_t n, unsigned long max, unsigned long *out) {
    unsigned long long v = 0;
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
        if (v > max) return 0;
    }
    *out = (unsigned long)v;
    return 1;
}

/* Seconds as "D", "D.F", ".F" or "D." into whole milliseconds, rounded to nearest. strtod is
 * avoided on purpose: it is locale-dependent and accepts "inf", "nan", hex and exponents. */
static int parse_seconds_ms(const char *s, unsigned *out_ms) {
    unsigned long long whole = 0, frac_ms = 0;
    size_t digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        whole = whole * 10 + (unsigned)(*p - '0');
        if (whole > 0xFFFFFFFFull) return 0;
    }
    if (*p == '.') {
        unsigned place = 100;
        size_t k = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, k++) {
            if (k < 3) {
                frac_ms += (unsigned)(*p - '0') * place;
                place /= 10;
            } else if (k == 3 && *p >= '5') {
                frac_ms += 1; /* the first digit below a millisecond rounds; the rest cannot */
            }
        }
    }
    if (*p != 0 || digits == 0) return 0;
    unsigned long long ms = whole * 1000 + frac_ms;
    if (ms > 0xFFFFFFFFull) return 0;
    *out_ms = (unsigned)ms;
    return 1;
}

static int parse_bool(const char *s, int *out) {
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (equals_ci(s, yes[i])) { *out = 1; return 1; }
        if (equals_ci(s, no[i])) { *out = 0; return 1; }
    }
    return 0;
}

/* ------------------------------------------------------------------ field setters
 * These work on a struct that the caller already owns (a public setter holding the handle,
 * or mo_config_from_url on the config it is building). `prefix` starts every message. */

enum {
    TEXT_REQUIRED = 1,      /* NULL and "" are errors */
    TEXT_EMPTY_IS_NONE = 2, /* "" clears, like NULL */
    TEXT_SECRET = 4         /* wiped when replaced; never quoted */
};

static mo_status put_text(char **slot, const char *value, unsigned flags, const char *what,
                          const char *prefix, const char *op) {
    char *copy = NULL;
    if (value && !*value && (flags & TEXT_EMPTY_IS_NONE)) value = NULL;
    if (!value && (flags & TEXT_REQUIRED))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s%s must not be NULL", prefix, what);
    if (value) {
        if (!*value && (flags & TEXT_REQUIRED))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s%s must not be empty", prefix, what);
        if (!mo_utf8_valid(value, strlen(value)))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%s%s is not valid UTF-8", prefix, what);
        copy = mo_strdup(value);
        if (!copy) return mo_error_oom(op);
    }
    if (flags & TEXT_SECRET) wipe_and_free(*slot);
    else free(*slot);
    *slot = copy;
    return MO_OK;
}

/* The user, account and role decide the login name; a change drops the cached one. */
static void forget_login(struct mo_config *cfg) {
    free(cfg->login_user);
    cfg->login_user = NULL;
}

static mo_status put_user(struct mo_config *cfg, const char *v, const char *prefix, const char *op) {
    mo_status st = put_text(&cfg->user, v, TEXT_REQUIRED, "user", prefix, op);
    if (st == MO_OK) forget_login(cfg);
    return st;
}

/* An empty account or role means "none": the SDK would build "#user" from account="",
 * which no server accepts. */
static mo_status put_account(struct mo_config *cfg, const char *v, const char *prefix,
                             const char *op) {
    mo_status st = put_text(&cfg->account, v, TEXT_EMPTY_IS_NONE, "account", prefix, op);
    if (st == MO_OK) forget_login(cfg);
    return st;
}

static mo_status put_role(struct mo_config *cfg, const char *v, const char *prefix, const char *op) {
    mo_status st = put_text(&cfg->role, v, TEXT_EMPTY_IS_NONE, "role", prefix, op);
    if (st == MO_OK) forget_login(cfg);
    return st;
}

static mo_status put_port(struct mo_config *cfg, unsigned port, const char *prefix,
                          const char *op) {
    if (port < 1 || port > 65535)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sport must be between 1 and 65535 (got %u)",
                            prefix, port);
    cfg->port = port;
    return MO_OK;
}

static mo_status put_tls_mode(struct mo_config *cfg, int mode, const char *prefix,
                              const char *op) {
    if (mode < MO_TLS_DISABLED || mode > MO_TLS_VERIFY_IDENTITY)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sinvalid TLS mode %d", prefix, mode);
    cfg->tls_mode = (mo_tls_mode)mode;
    return MO_OK;
}

static mo_status put_log_mode(struct mo_config *cfg, int mode, const char *prefix,
                              const char *op) {
    if (mode < MO_LOG_OFF || mode > MO_LOG_AUTO)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sinvalid log mode %d", prefix, mode);
    cfg->log_mode = (mo_log_mode)mode;
    return MO_OK;
}

static mo_status put_server_kind(struct mo_config *cfg, int kind, const char *prefix,
                                 const char *op) {
    if (kind < MO_SERVER_AUTO || kind > MO_SERVER_MARIADB)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sinvalid server kind %d", prefix, kind);
    cfg->server_kind = (mo_server_kind)kind;
    return MO_OK;
}

static mo_status put_max_display_length(struct mo_config *cfg, unsigned chars,
                                        const char *prefix, const char *op) {
    if (chars < 1)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%smax display length must be at least 1",
                            prefix);
    cfg->log_max_display_length = chars;
    return MO_OK;
}

/* ------------------------------------------------------------------ options by name */

typedef enum {
    OPT_HOST, OPT_PORT, OPT_USER, OPT_PASSWORD, OPT_DATABASE, OPT_ACCOUNT, OPT_ROLE,
    OPT_UNIX_SOCKET, OPT_TRANSPORT, OPT_CONNECT_TIMEOUT, OPT_READ_TIMEOUT, OPT_WRITE_TIMEOUT,
    OPT_CONNECT_TIMEOUT_MS, OPT_READ_TIMEOUT_MS, OPT_WRITE_TIMEOUT_MS, OPT_SSL_MODE, OPT_SSL_CA,
    OPT_SSL_CERT, OPT_SSL_KEY, OPT_LOG_MODE, OPT_SLOW_QUERY_THRESHOLD, OPT_MAX_SQL_DISPLAY_LENGTH,
    OPT_DRY_RUN, OPT_SERVER_KIND, OPT_SERVER_VERSION, OPT_STATEMENT_CACHE_SIZE,
    OPT_PREPARE_THRESHOLD
} option_id;

static const struct {
    const char *name;
    option_id id;
    const char *expected; /* for "invalid value" messages */
} options[] = {
    {"host", OPT_HOST, "a host name"},
    {"port", OPT_PORT, "1..65535"},
    {"user", OPT_USER, "a user name"},
    {"password", OPT_PASSWORD, "a password"},
    {"database", OPT_DATABASE, "a database name"},
    {"account", OPT_ACCOUNT, "an account name"},
    {"role", OPT_ROLE, "a role name"},
    {"unix_socket", OPT_UNIX_SOCKET, "a path"},
    {"transport", OPT_TRANSPORT, "auto, tcp or socket"},
    {"connect_timeout", OPT_CONNECT_TIMEOUT, "seconds, e.g. 30 or 1.5"},
    {"read_timeout", OPT_READ_TIMEOUT, "seconds, e.g. 30 or 1.5"},
    {"write_timeout", OPT_WRITE_TIMEOUT, "seconds, e.g. 30 or 1.5"},
    {"connect_timeout_ms", OPT_CONNECT_TIMEOUT_MS, "milliseconds"},
    {"read_timeout_ms", OPT_READ_TIMEOUT_MS, "milliseconds"},
    {"write_timeout_ms", OPT_WRITE_TIMEOUT_MS, "milliseconds"},
    {"ssl_mode", OPT_SSL_MODE, "disabled, preferred, required, verify_ca or verify_identity"},
    {"ssl_ca", OPT_SSL_CA, "a path"},
    {"ssl_cert", OPT_SSL_CERT, "a path"},
    {"ssl_key", OPT_SSL_KEY, "a path"},
    {"log_mode", OPT_LOG_MODE, "off, simple, full or auto"},
    {"slow_query_threshold", OPT_SLOW_QUERY_THRESHOLD, "seconds, e.g. 1 or 0.5"},
    {"max_sql_display_length", OPT_MAX_SQL_DISPLAY_LENGTH, "a length >= 1"},
    {"dry_run", OPT_DRY_RUN, "true, false, 1, 0, yes, no, on or off"},
    {"server_kind", OPT_SERVER_KIND, "auto, matrixone, mysql or mariadb"},
    {"server_version", OPT_SERVER_VERSION,
     "a server version, e.g. 4.2.0 or 8.0.30-MatrixOne-v4.2.0 (used by dry-run)"},
    {"statement_cache_size", OPT_STATEMENT_CACHE_SIZE, "a number of statements, 0..4096"},
    {"prepare_threshold", OPT_PREPARE_THRESHOLD, "auto or a number of uses, 0 (never)..1000000"},
};

static const char *const tls_mode_names[] = {"disabled", "preferred", "required", "verify_ca",
                                             "verify_identity"};
static const char *const transport_names[] = {"auto", "tcp", "socket"};
static const char *const log_mode_names[] = {"off", "simple", "full", "auto"};
static const char *const server_kind_names[] = {"auto", "matrixone", "mysql", "mariadb"};

static int lookup_name(const char *value, const char *const *names, int count) {
    for (int i = 0; i < count; i++)
        if (equals_ci(value, names[i])) return i;
    return -1;
}

/* Set option `key` from its text form. `prefix` is "" or "invalid URL: ". */
static mo_status apply_option(struct mo_config *cfg, const char *key, const char *value,
                              const char *prefix, const char *op) {
    size_t i, n = sizeof options / sizeof options[0];
    for (i = 0; i < n; i++)
        if (strcmp(key, options[i].name) == 0) break;
    if (i == n) {
        if (echoable(key, strlen(key)))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sunknown option '%s'", prefix, key);
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sunknown option", prefix);
    }
    option_id id = options[i].id;

    /* Text options take NULL (clear, where allowed) as the typed setter does. */
    switch (id) {
    case OPT_HOST: return put_text(&cfg->host, value, TEXT_REQUIRED, "host", prefix, op);
    case OPT_USER: return put_user(cfg, value, prefix, op);
    case OPT_PASSWORD: return put_text(&cfg->password, value, TEXT_SECRET, "password", prefix, op);
    case OPT_DATABASE:
        return put_text(&cfg->database, value, TEXT_EMPTY_IS_NONE, "database", prefix, op);
    case OPT_ACCOUNT: return put_account(cfg, value, prefix, op);
    case OPT_ROLE: return put_role(cfg, value, prefix, op);
    case OPT_UNIX_SOCKET:
        return put_text(&cfg->unix_socket, value, TEXT_EMPTY_IS_NONE, "unix_socket", prefix, op);
    case OPT_SSL_CA: return put_text(&cfg->tls_ca, value, TEXT_EMPTY_IS_NONE, "ssl_ca", prefix, op);
    case OPT_SSL_CERT:
        return put_text(&cfg->tls_cert, value, TEXT_EMPTY_IS_NONE, "ssl_cert", prefix, op);
    case OPT_SSL_KEY:
        return put_text(&cfg->tls_key, value, TEXT_EMPTY_IS_NONE, "ssl_key", prefix, op);
    default: break;
    }

    if (!value)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%soption '%s' needs a value", prefix, key);

    unsigned long num = 0;
    unsigned ms = 0;
    int flag = 0, idx = -1, ok = 0;
    switch (id) {
    case OPT_PORT:
        if ((ok = parse_unsigned(value, strlen(value), 65535, &num) && num >= 1))
            cfg->port = (unsigned)num;
        break;
    case OPT_CONNECT_TIMEOUT:
        if ((ok = parse_seconds_ms(value, &ms))) cfg->connect_timeout_ms = ms;
        break;
    case OPT_READ_TIMEOUT:
        if ((ok = parse_seconds_ms(value, &ms))) cfg->read_timeout_ms = ms;
        break;
    case OPT_WRITE_TIMEOUT:
        if ((ok = parse_seconds_ms(value, &ms))) cfg->write_timeout_ms = ms;
        break;
    case OPT_SLOW_QUERY_THRESHOLD:
        if ((ok = parse_seconds_ms(value, &ms))) cfg->log_slow_threshold_ms = ms;
        break;
    case OPT_CONNECT_TIMEOUT_MS:
        if ((ok = parse_unsigned(value, strlen(value), 0xFFFFFFFFul, &num)))
            cfg->connect_timeout_ms = (unsigned)num;
        break;
    case OPT_READ_TIMEOUT_MS:
        if ((ok = parse_unsigned(value, strlen(value), 0xFFFFFFFFul, &num)))
            cfg->read_timeout_ms = (unsigned)num;
        break;
    case OPT_WRITE_TIMEOUT_MS:
        if ((ok = parse_unsigned(value, strlen(value), 0xFFFFFFFFul, &num)))
            cfg->write_timeout_ms = (unsigned)num;
        break;
    case OPT_MAX_SQL_DISPLAY_LENGTH:
        if ((ok = parse_unsigned(value, strlen(value), 0xFFFFFFFFul, &num) && num >= 1))
            cfg->log_max_display_length = (unsigned)num;
        break;
    case OPT_SSL_MODE:
        if ((ok = (idx = lookup_name(value, tls_mode_names, 5)) >= 0))
            cfg->tls_mode = (mo_tls_mode)idx;
        break;
    case OPT_TRANSPORT:
        if ((ok = (idx = lookup_name(value, transport_names, 3)) >= 0))
            cfg->transport = (mo_transport)idx;
        break;
    case OPT_LOG_MODE:
        if ((ok = (idx = lookup_name(value, log_mode_names, 4)) >= 0))
            cfg->log_mode = (mo_log_mode)idx;
        break;
    case OPT_SERVER_KIND:
        if ((ok = (idx = lookup_name(value, server_kind_names, 4)) >= 0))
            cfg->server_kind = (mo_server_kind)idx;
        break;
    case OPT_DRY_RUN:
        if ((ok = parse_bool(value, &flag))) cfg->dry_run = flag;
        break;
    case OPT_STATEMENT_CACHE_SIZE:
        if ((ok = parse_unsigned(value, strlen(value), MO_STATEMENT_CACHE_MAX, &num)))
            cfg->statement_cache_size = (unsigned)num;
        break;
    case OPT_PREPARE_THRESHOLD:
        if (equals_ci(value, "auto")) {
            ok = 1;
            cfg->prepare_threshold = MO_PREPARE_THRESHOLD_AUTO;
        } else if ((ok = parse_unsigned(value, strlen(value), MO_PREPARE_THRESHOLD_MAX, &num))) {
            cfg->prepare_threshold = (int)num;
        }
        break;
    case OPT_SERVER_VERSION: {
        unsigned v[3];
        if ((ok = mo_server_version_parse(value, NULL, &v[0], &v[1], &v[2]) >= 0)) {
            memcpy(cfg->dry_run_version, v, sizeof v);
            cfg->dry_run_version_known = 1;
        }
        mo_error_clear();
        break;
    }
    default: break;
    }
    if (ok) return MO_OK;
    if (echoable(value, strlen(value)))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "%sinvalid value '%s' for option '%s' (expected %s)", prefix, value,
                            key, options[i].expected);
    return mo_error_set(MO_E_INVALID_ARGUMENT, op, "%sinvalid value for option '%s' (expected %s)",
                        prefix, key, options[i].expected);
}

/* ------------------------------------------------------------------ life cycle */

static void free_fields(struct mo_config *cfg) {
    free(cfg->host);
    free(cfg->unix_socket);
    free(cfg->user);
    wipe_and_free(cfg->password);
    free(cfg->database);
    free(cfg->account);
    free(cfg->role);
    free(cfg->tls_ca);
    free(cfg->tls_cert);
    free(cfg->tls_key);
    free(cfg->login_user);
    mo_local_infile_dirs_free(cfg);
}

/* A config with the defaults of config.h, not registered. */
static mo_status new_private(struct mo_config **out, const char *op) {
    struct mo_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) return mo_error_oom(op);
    cfg->host = mo_strdup("127.0.0.1");
    cfg->user = mo_strdup("root");
    if (!cfg->host || !cfg->user) {
        mo_config_free_private(cfg);
        return mo_error_oom(op);
    }
    cfg->port = 3306;
    cfg->connect_timeout_ms = 30000;
    cfg->tls_mode = MO_TLS_PREFERRED;
    cfg->log_mode = MO_LOG_OFF;
    cfg->log_slow_threshold_ms = 1000;
    cfg->log_max_display_length = 500;
    cfg->server_kind = MO_SERVER_AUTO;
    cfg->statement_cache_size = MO_STATEMENT_CACHE_DEFAULT;
    cfg->prepare_threshold = MO_PREPARE_THRESHOLD_AUTO;
    *out = cfg;
    return MO_OK;
}

mo_status mo_config_new(mo_config **out) {
    const char *op = "config.new";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    struct mo_config *cfg = NULL;
    mo_status st = new_private(&cfg, op);
    if (st < 0) return st;
    st = mo_handle_register(&cfg->h, MO_HANDLE_CONFIG, op);
    if (st < 0) {
        mo_config_free_private(cfg);
        return st;
    }
    *out = cfg;
    return MO_OK;
}

void mo_config_free_private(struct mo_config *cfg) {
    if (!cfg) return;
    free_fields(cfg);
    free(cfg);
}

void mo_config_free(mo_config *cfg) {
    /* A freed or foreign pointer is ignored: freeing must never crash. */
    if (!cfg || !mo_handle_is_live(cfg, MO_HANDLE_CONFIG)) return;
    mo_handle_unregister(&cfg->h);
    mo_config_free_private(cfg);
}

static mo_status dup_field(char **dst, const char *src) {
    if (!src) return MO_OK;
    *dst = mo_strdup(src);
    return *dst ? MO_OK : -1;
}

mo_status mo_config_clone_private(struct mo_config **out, const struct mo_config *src) {
    const char *op = "config.copy";
    *out = NULL;
    struct mo_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) return mo_error_oom(op);
    *cfg = *src;
    /* The copy is not a handle (yet), and owns none of src's strings. */
    memset(&cfg->h, 0, sizeof cfg->h);
    cfg->host = cfg->unix_socket = cfg->user = cfg->password = cfg->database = NULL;
    cfg->account = cfg->role = cfg->tls_ca = cfg->tls_cert = cfg->tls_key = NULL;
    cfg->login_user = NULL;
    if (mo_local_infile_dirs_copy(cfg, src) < 0 || dup_field(&cfg->host, src->host) ||
        dup_field(&cfg->unix_socket, src->unix_socket) ||
        dup_field(&cfg->user, src->user) || dup_field(&cfg->password, src->password) ||
        dup_field(&cfg->database, src->database) || dup_field(&cfg->account, src->account) ||
        dup_field(&cfg->role, src->role) || dup_field(&cfg->tls_ca, src->tls_ca) ||
        dup_field(&cfg->tls_cert, src->tls_cert) || dup_field(&cfg->tls_key, src->tls_key)) {
        mo_config_free_private(cfg);
        return mo_error_oom(op);
    }
    *out = cfg;
    return MO_OK;
}

mo_status mo_config_copy(mo_config **out, const mo_config *cfg) {
    const char *op = "config.copy";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    /* Entering marks the source busy: a copy taken while another thread changes it would be
     * torn. The flag is atomic, so casting away const only touches bookkeeping. */
    mo_status st = mo_handle_enter((void *)cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    struct mo_config *copy = NULL;
    st = mo_config_clone_private(&copy, cfg);
    mo_handle_leave((void *)cfg);
    if (st < 0) return st;
    st = mo_handle_register(&copy->h, MO_HANDLE_CONFIG, op);
    if (st < 0) {
        mo_config_free_private(copy);
        return st;
    }
    *out = copy;
    return MO_OK;
}

/* ------------------------------------------------------------------ public setters
 * Each one: take the handle (NULL -> INVALID_ARGUMENT, freed/foreign/busy -> MISUSE), set,
 * give it back. Nothing changes when validation fails. */

mo_status mo_config_set_host(mo_config *cfg, const char *host) {
    const char *op = "config.set_host";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->host, host, TEXT_REQUIRED, "host", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_port(mo_config *cfg, unsigned port) {
    const char *op = "config.set_port";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_port(cfg, port, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_unix_socket(mo_config *cfg, const char *path) {
    const char *op = "config.set_unix_socket";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->unix_socket, path, TEXT_EMPTY_IS_NONE, "unix socket path", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_transport(mo_config *cfg, mo_transport transport) {
    const char *op = "config.set_transport";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    if ((int)transport < MO_TRANSPORT_AUTO || (int)transport > MO_TRANSPORT_SOCKET)
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "unknown transport %d", (int)transport);
    else
        cfg->transport = transport;
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_user(mo_config *cfg, const char *user) {
    const char *op = "config.set_user";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_user(cfg, user, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_password(mo_config *cfg, const char *password) {
    const char *op = "config.set_password";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->password, password, TEXT_SECRET, "password", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_database(mo_config *cfg, const char *database) {
    const char *op = "config.set_database";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->database, database, TEXT_EMPTY_IS_NONE, "database", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_account(mo_config *cfg, const char *account) {
    const char *op = "config.set_account";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_account(cfg, account, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_role(mo_config *cfg, const char *role) {
    const char *op = "config.set_role";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_role(cfg, role, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_connect_timeout_ms(mo_config *cfg, unsigned ms) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_connect_timeout_ms");
    if (st < 0) return st;
    cfg->connect_timeout_ms = ms;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_read_timeout_ms(mo_config *cfg, unsigned ms) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_read_timeout_ms");
    if (st < 0) return st;
    cfg->read_timeout_ms = ms;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_write_timeout_ms(mo_config *cfg, unsigned ms) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_write_timeout_ms");
    if (st < 0) return st;
    cfg->write_timeout_ms = ms;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_tls_mode(mo_config *cfg, mo_tls_mode mode) {
    const char *op = "config.set_tls_mode";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_tls_mode(cfg, (int)mode, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_tls_ca(mo_config *cfg, const char *path) {
    const char *op = "config.set_tls_ca";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->tls_ca, path, TEXT_EMPTY_IS_NONE, "TLS CA path", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_tls_cert(mo_config *cfg, const char *path) {
    const char *op = "config.set_tls_cert";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->tls_cert, path, TEXT_EMPTY_IS_NONE, "TLS certificate path", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_tls_key(mo_config *cfg, const char *path) {
    const char *op = "config.set_tls_key";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_text(&cfg->tls_key, path, TEXT_EMPTY_IS_NONE, "TLS key path", PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_log_mode(mo_config *cfg, mo_log_mode mode) {
    const char *op = "config.set_log_mode";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_log_mode(cfg, (int)mode, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_log_slow_threshold_ms(mo_config *cfg, unsigned ms) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_log_slow_threshold_ms");
    if (st < 0) return st;
    cfg->log_slow_threshold_ms = ms;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_log_max_display_length(mo_config *cfg, unsigned chars) {
    const char *op = "config.set_log_max_display_length";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_max_display_length(cfg, chars, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_log_sink(mo_config *cfg, mo_log_sink sink, void *userdata) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_log_sink");
    if (st < 0) return st;
    cfg->log_sink = sink; /* NULL: the default sink (stderr) */
    cfg->log_sink_userdata = sink ? userdata : NULL;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_wait_function(mo_config *cfg, mo_wait_function fn, void *userdata) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_wait_function");
    if (st < 0) return st;
    cfg->wait_function = fn; /* NULL: poll() */
    cfg->wait_function_userdata = fn ? userdata : NULL;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_dry_run(mo_config *cfg, int enabled) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.set_dry_run");
    if (st < 0) return st;
    cfg->dry_run = enabled != 0;
    mo_handle_leave(cfg);
    return MO_OK;
}

mo_status mo_config_set_statement_cache_size(mo_config *cfg, unsigned statements) {
    const char *op = "config.set_statement_cache_size";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    if (statements > MO_STATEMENT_CACHE_MAX) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "at most %u statements can be cached",
                          (unsigned)MO_STATEMENT_CACHE_MAX);
    } else {
        cfg->statement_cache_size = statements;
    }
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_prepare_threshold(mo_config *cfg, int uses) {
    const char *op = "config.set_prepare_threshold";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    if (uses < MO_PREPARE_THRESHOLD_AUTO || uses > MO_PREPARE_THRESHOLD_MAX) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                          "the threshold is MO_PREPARE_THRESHOLD_AUTO (-1), 0 (never) or a "
                          "number of uses up to %d", MO_PREPARE_THRESHOLD_MAX);
    } else {
        cfg->prepare_threshold = uses;
    }
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set_server_kind(mo_config *cfg, mo_server_kind kind) {
    const char *op = "config.set_server_kind";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    st = put_server_kind(cfg, (int)kind, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_set(mo_config *cfg, const char *key, const char *value) {
    const char *op = "config.set";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    if (!key) st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "option name is NULL");
    else st = apply_option(cfg, key, value, PLAIN, op);
    mo_handle_leave(cfg);
    return st;
}

/* ------------------------------------------------------------------ login rules */

/* The SDK's _build_login_info (reference §1.3), with its ValueError messages verbatim.
 * NULL account/role stand for Python's None (and print as None in the conflict message). */
mo_status mo_login_build(const char *user, const char *account, const char *role, char **out,
                         const char *operation) {
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "out is NULL");
    *out = NULL;
    if (!user) return mo_error_set(MO_E_INVALID_ARGUMENT, operation, "user is NULL");

    /* '#' wins over ':' when both appear: "acc#user:x" is account "acc", user "user:x". */
    char delim = strchr(user, '#') ? '#' : strchr(user, ':') ? ':' : 0;
    if (delim && (account || role))
        return mo_error_set(
            MO_E_INVALID_ARGUMENT, operation,
            "Conflict: user parameter '%s' already contains account/role info, but "
            "account='%s' and role='%s' are also provided. Use either user format or "
            "separate account/role parameters, not both.",
            user, account ? account : "None", role ? role : "None");
    mo_buf b;
    mo_buf_init(&b);
    if (delim) {
        size_t parts = 1;
        for (const char *p = user; *p; p++)
            if (*p == delim) parts++;
        if (parts != 2 && parts != 3)
            return mo_error_set(MO_E_INVALID_ARGUMENT, operation,
                                "Invalid user format: '%s'. Expected 'user', 'account#user', "
                                "'account#user#role', 'account:user', or 'account:user:role'",
                                user);
        /* The '#' form is passed through unchanged; the ':' form becomes the '#' form. */
        for (const char *p = user; *p; p++) mo_buf_append_char(&b, *p == delim ? '#' : *p);
    } else if (!account && !role) {
        mo_buf_append_str(&b, user);
    } else {
        mo_buf_append_str(&b, account ? account : "sys");
        mo_buf_append_char(&b, '#');
        mo_buf_append_str(&b, user);
        if (role) {
            mo_buf_append_char(&b, '#');
            mo_buf_append_str(&b, role);
        }
    }
    char *s = mo_buf_detach(&b, NULL); /* also frees the buffer */
    if (!s) return mo_error_oom(operation);
    *out = s;
    return MO_OK;
}

mo_status mo_config_login_user(mo_config *cfg, const char **out) {
    const char *op = "config.login_user";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    if (!out) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    } else {
        *out = NULL;
        if (!cfg->login_user)
            st = mo_login_build(cfg->user, cfg->account, cfg->role, &cfg->login_user, op);
        if (st == MO_OK) *out = cfg->login_user;
    }
    mo_handle_leave(cfg);
    return st;
}

/* ------------------------------------------------------------------ URLs
 * scheme://[user[:password]@]host[:port][/database][?key=value&...]
 *
 * What may be quoted back in a message: the scheme, the port text, option names and values
 * (never the password option's value). Every one of them lies where no part of the password
 * can be once the checks below have passed: the userinfo ends at the last '@' of the
 * authority, and an '@' anywhere after the authority is refused before anything after it is
 * looked at. That '@' means a '/' or '?' inside the userinfo cut it short, so whatever
 * follows may be password text. */

enum { DECODE_OK = 0, DECODE_BAD_ESCAPE = 1, DECODE_NUL = 2, DECODE_OOM = 3 };

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into a new string. '+' stays '+': this is a URL, not a form. */
static int percent_decode(const char *s, size_t n, char **out) {
    *out = NULL;
    char *d = malloc(n + 1);
    if (!d) return DECODE_OOM;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            d[j++] = s[i];
            continue;
        }
        /* Exactly two hex digits must follow; "%4" at the end or "%zz" is an error. */
        int hi = n - i >= 3 ? hex_value(s[i + 1]) : -1;
        int lo = hi < 0 ? -1 : hex_value(s[i + 2]);
        /* The part may be a password: what was decoded so far is wiped, not just freed. */
        if (hi < 0 || lo < 0) {
            wipe_n_and_free(d, j);
            return DECODE_BAD_ESCAPE;
        }
        if (hi == 0 && lo == 0) { /* a NUL would silently cut the C string short */
            wipe_n_and_free(d, j);
            return DECODE_NUL;
        }
        d[j++] = (char)(hi * 16 + lo);
        i += 2;
    }
    d[j] = 0;
    *out = d;
    return DECODE_OK;
}

/* Decode one URL part and report failures naming `what` (never its content). */
static mo_status decode_part(const char *s, size_t n, char **out, const char *what,
                             const char *op) {
    switch (percent_decode(s, n, out)) {
    case DECODE_OK: return MO_OK;
    case DECODE_BAD_ESCAPE:
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "bad percent-escape in %s", what);
    case DECODE_NUL:
        return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "NUL byte (%%00) in %s", what);
    default: return mo_error_oom(op);
    }
}

static mo_status parse_scheme(struct mo_config *cfg, const char *url, size_t n, int *is_matrixone,
                              const char *op) {
    *is_matrixone = 0;
    for (size_t i = 0; i < n; i++) {
        char c = url[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        /* Not a scheme: do not quote it, it may be "user:password@host" without one. */
        if (!ok) return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "malformed scheme");
    }
    if (n == 0) return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "missing scheme");
    if (equals_ci_n(url, n, "mysql") || equals_ci_n(url, n, "mariadb")) return MO_OK;
    if (equals_ci_n(url, n, "matrixone")) {
        *is_matrixone = 1;
        cfg->server_kind = MO_SERVER_MATRIXONE;
        return MO_OK;
    }
    return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                        IN_URL "unknown scheme '%.*s' (expected mysql, mariadb or matrixone)",
                        (int)n, url);
}

static mo_status parse_userinfo(struct mo_config *cfg, const char *s, size_t n, const char *op) {
    const char *colon = memchr(s, ':', n);
    size_t user_len = colon ? (size_t)(colon - s) : n;
    char *text = NULL;
    mo_status st = decode_part(s, user_len, &text, "user", op);
    if (st < 0) return st;
    st = put_user(cfg, text, IN_URL, op);
    free(text);
    if (st < 0 || !colon) return st;

    /* "user:@host" is an empty password, which is not the same as none. */
    const char *pw = colon + 1;
    size_t pw_len = n - user_len - 1;
    st = decode_part(pw, pw_len, &text, "password", op);
    if (st < 0) return st;
    st = put_text(&cfg->password, text, TEXT_SECRET, "password", IN_URL, op);
    wipe_and_free(text);
    return st;
}

static mo_status parse_hostport(struct mo_config *cfg, const char *s, size_t n, int *has_port,
                                const char *op) {
    const char *host = s, *rest;
    size_t host_len;
    char *text = NULL;
    mo_status st;

    *has_port = 0;
    if (n > 0 && s[0] == '[') { /* "[::1]:3306": an IPv6 literal, brackets not part of it */
        const char *close = memchr(s, ']', n);
        if (!close) return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "unterminated '[' in host");
        host = s + 1;
        host_len = (size_t)(close - host);
        for (size_t i = 0; i < host_len; i++) {
            char c = host[i];
            if (!(hex_value(c) >= 0 || c == ':' || c == '.'))
                return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "bad IPv6 address in host");
        }
        if (host_len == 0) return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "missing host");
        rest = close + 1;
        if (rest < s + n && *rest != ':')
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "unexpected text after ']' in host");
    } else {
        const char *colon = memchr(s, ':', n);
        host_len = colon ? (size_t)(colon - s) : n;
        rest = s + host_len;
        if (host_len == 0) return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "missing host");
    }

    if (rest < s + n) { /* *rest == ':' */
        const char *port = rest + 1;
        size_t port_len = (size_t)(s + n - port);
        unsigned long v = 0;
        if (!parse_unsigned(port, port_len, 65535, &v) || v == 0) {
            if (echoable(port, port_len))
                return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "bad port '%.*s'",
                                    (int)port_len, port);
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "bad port");
        }
        cfg->port = (unsigned)v;
        *has_port = 1;
    }

    st = decode_part(host, host_len, &text, "host", op);
    if (st < 0) return st;
    st = put_text(&cfg->host, text, TEXT_REQUIRED, "host", IN_URL, op);
    free(text);
    return st;
}

static mo_status parse_query(struct mo_config *cfg, const char *s, size_t n, const char *op) {
    const char *end = s + n;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        const char *pair_end = amp ? amp : end;
        if (pair_end > s) { /* "a=1&&b=2" and a trailing '&' are harmless */
            const char *eq = memchr(s, '=', (size_t)(pair_end - s));
            char *key = NULL, *value = NULL;
            mo_status st = decode_part(s, (size_t)((eq ? eq : pair_end) - s), &key,
                                       "option name", op);
            if (st < 0) return st;
            if (!eq) {
                if (echoable(key, strlen(key)))
                    st = mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "option '%s' has no value",
                                      key);
                else
                    st = mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "option without a value");
                free(key);
                return st;
            }
            int secret = strcmp(key, "password") == 0;
            switch (percent_decode(eq + 1, (size_t)(pair_end - eq - 1), &value)) {
            case DECODE_OK: break;
            case DECODE_OOM: st = mo_error_oom(op); break;
            default:
                if (echoable(key, strlen(key)))
                    st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                      IN_URL "bad percent-escape in the value of option '%s'", key);
                else
                    st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                      IN_URL "bad percent-escape in an option value");
                break;
            }
            if (st == MO_OK) st = apply_option(cfg, key, value, IN_URL, op);
            free(key);
            if (secret) wipe_and_free(value);
            else free(value);
            if (st < 0) return st;
        }
        s = amp ? amp + 1 : end;
    }
    return MO_OK;
}

static mo_status parse_url(struct mo_config *cfg, const char *url, const char *op) {
    /* '#' would start a fragment. It is refused rather than dropped: it is almost always an
     * unencoded "account#user" or a '#' in a password, and dropping it would connect as
     * someone else. */
    if (strchr(url, '#'))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            IN_URL "fragment not allowed (percent-encode '#' as %%23)");

    const char *sep = strstr(url, "://");
    if (!sep) return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "missing scheme");
    int is_matrixone = 0;
    mo_status st = parse_scheme(cfg, url, (size_t)(sep - url), &is_matrixone, op);
    if (st < 0) return st;

    const char *auth = sep + 3;
    size_t auth_len = strcspn(auth, "/?");
    const char *after = auth + auth_len;
    if (strchr(after, '@'))
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            IN_URL "'@' after the host (percent-encode '@', '/' and '?' in the "
                            "user, password, database and options)");

    /* The userinfo ends at the last '@', so a raw '@' in a password still parses. */
    const char *at = NULL;
    for (const char *p = auth; p < after; p++)
        if (*p == '@') at = p;
    const char *hostport = auth;
    if (at) {
        st = parse_userinfo(cfg, auth, (size_t)(at - auth), op);
        if (st < 0) return st;
        hostport = at + 1;
    }
    int has_port = 0;
    st = parse_hostport(cfg, hostport, (size_t)(after - hostport), &has_port, op);
    if (st < 0) return st;
    if (is_matrixone && !has_port) cfg->port = 6001; /* MatrixOne's default port */

    const char *query = NULL;
    if (*after == '/') {
        const char *db = after + 1;
        size_t db_len = strcspn(db, "?");
        if (memchr(db, '/', db_len))
            return mo_error_set(MO_E_INVALID_ARGUMENT, op, IN_URL "unexpected '/' in database");
        char *text = NULL;
        st = decode_part(db, db_len, &text, "database", op);
        if (st < 0) return st;
        st = put_text(&cfg->database, text, TEXT_EMPTY_IS_NONE, "database", IN_URL, op);
        free(text);
        if (st < 0) return st;
        if (db[db_len] == '?') query = db + db_len + 1;
    } else if (*after == '?') {
        query = after + 1;
    }
    if (query) return parse_query(cfg, query, strlen(query), op);
    return MO_OK;
}

mo_status mo_config_from_url(mo_config **out, const char *url) {
    const char *op = "config.from_url";
    if (!out) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "out is NULL");
    *out = NULL;
    if (!url) return mo_error_set(MO_E_INVALID_ARGUMENT, op, "URL is NULL");

    /* Built privately and registered only when complete: a half-parsed config is never a
     * live handle. */
    struct mo_config *cfg = NULL;
    mo_status st = new_private(&cfg, op);
    if (st < 0) return st;
    st = parse_url(cfg, url, op);
    if (st == MO_OK) st = mo_handle_register(&cfg->h, MO_HANDLE_CONFIG, op);
    if (st < 0) {
        mo_config_free_private(cfg);
        return st;
    }
    *out = cfg;
    return MO_OK;
}
