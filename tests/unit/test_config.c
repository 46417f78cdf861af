/* tests/unit/test_config.c — mo_config: defaults, setters, options by name, URLs, login rules,
 * copies, and handle misuse. */
#include <stdio.h>
#include <stdlib.h>
#include "test_support.h"
#include "internal.h"

static const char *last_message(void) { return mo_error_message(mo_error_last()); }

#define assert_ok(expr)                                                                    \
    do {                                                                                   \
        mo_status st__ = (expr);                                                           \
        if (st__ != MO_OK) fail_msg("%s -> %d: %s", #expr, st__, last_message());          \
    } while (0)

static mo_config *new_config(void) {
    mo_config *cfg = NULL;
    assert_ok(mo_config_new(&cfg));
    assert_non_null(cfg);
    return cfg;
}

static mo_config *from_url(const char *url) {
    mo_config *cfg = NULL;
    mo_status st = mo_config_from_url(&cfg, url);
    if (st != MO_OK) fail_msg("'%s' -> %d: %s", url, st, last_message());
    assert_non_null(cfg);
    return cfg;
}

/* The URL is refused with exactly `message`, and *out is left NULL. */
static void assert_url_error(const char *url, const char *message) {
    mo_config *cfg = (mo_config *)&cfg; /* any non-NULL value: it must be reset */
    mo_status st = mo_config_from_url(&cfg, url);
    if (st != MO_E_INVALID_ARGUMENT) fail_msg("'%s' -> %d, expected INVALID_ARGUMENT", url, st);
    assert_null(cfg);
    if (strcmp(last_message(), message) != 0)
        fail_msg("'%s': message\n  '%s'\nexpected\n  '%s'", url, last_message(), message);
    assert_string_equal(mo_error_operation(mo_error_last()), "config.from_url");
}

static void assert_set_error(mo_config *cfg, const char *key, const char *value,
                             const char *message) {
    mo_status st = mo_config_set(cfg, key, value);
    if (st != MO_E_INVALID_ARGUMENT) fail_msg("set %s -> %d, expected INVALID_ARGUMENT", key, st);
    if (message && strcmp(last_message(), message) != 0)
        fail_msg("set %s: message\n  '%s'\nexpected\n  '%s'", key, last_message(), message);
}

/* ------------------------------------------------------------------ defaults */

static void new_config_has_the_documented_defaults(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    assert_string_equal(cfg->host, "127.0.0.1");
    assert_int_equal(cfg->port, 3306);
    assert_string_equal(cfg->user, "root");
    assert_null(cfg->password);
    assert_null(cfg->database);
    assert_null(cfg->account);
    assert_null(cfg->role);
    assert_null(cfg->unix_socket);
    assert_int_equal(cfg->connect_timeout_ms, 30000);
    assert_int_equal(cfg->read_timeout_ms, 0);
    assert_int_equal(cfg->write_timeout_ms, 0);
    assert_int_equal(cfg->tls_mode, MO_TLS_PREFERRED);
    assert_null(cfg->tls_ca);
    assert_int_equal(cfg->log_mode, MO_LOG_OFF);
    assert_int_equal(cfg->log_slow_threshold_ms, 1000);
    assert_int_equal(cfg->log_max_display_length, 500);
    assert_null(cfg->log_sink);
    assert_int_equal(cfg->dry_run, 0);
    assert_int_equal(cfg->server_kind, MO_SERVER_AUTO);
    mo_config_free(cfg);
}

static void new_config_needs_an_out_pointer(void **state) {
    (void)state;
    assert_int_equal(mo_config_new(NULL), MO_E_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------------ URLs: happy paths */

static void url_with_every_part_sets_every_field(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://alice:s3cret@db.example.com:3307/shop");
    assert_string_equal(cfg->user, "alice");
    assert_string_equal(cfg->password, "s3cret");
    assert_string_equal(cfg->host, "db.example.com");
    assert_int_equal(cfg->port, 3307);
    assert_string_equal(cfg->database, "shop");
    assert_int_equal(cfg->server_kind, MO_SERVER_AUTO);
    mo_config_free(cfg);
}

static void url_with_only_a_host_keeps_the_defaults(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://localhost");
    assert_string_equal(cfg->host, "localhost");
    assert_int_equal(cfg->port, 3306);
    assert_string_equal(cfg->user, "root");
    assert_null(cfg->password);
    assert_null(cfg->database);
    mo_config_free(cfg);

    cfg = from_url("mysql://localhost/");
    assert_null(cfg->database);
    mo_config_free(cfg);
}

static void mariadb_scheme_is_accepted_and_leaves_the_kind_auto(void **state) {
    (void)state;
    mo_config *cfg = from_url("mariadb://u@h");
    assert_string_equal(cfg->user, "u");
    assert_null(cfg->password);
    assert_int_equal(cfg->port, 3306);
    assert_int_equal(cfg->server_kind, MO_SERVER_AUTO);
    mo_config_free(cfg);

    cfg = from_url("MySQL://h"); /* schemes are case-insensitive */
    assert_string_equal(cfg->host, "h");
    mo_config_free(cfg);
}

static void matrixone_scheme_sets_the_kind_and_port_6001(void **state) {
    (void)state;
    mo_config *cfg = from_url("matrixone://root:111@127.0.0.1/test");
    assert_int_equal(cfg->server_kind, MO_SERVER_MATRIXONE);
    assert_int_equal(cfg->port, 6001);
    mo_config_free(cfg);

    cfg = from_url("matrixone://h:7001");
    assert_int_equal(cfg->port, 7001);
    mo_config_free(cfg);

    cfg = from_url("matrixone://h?server_kind=auto"); /* options come after the scheme */
    assert_int_equal(cfg->server_kind, MO_SERVER_AUTO);
    mo_config_free(cfg);
}

static void ipv6_host_is_written_in_brackets(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u:p@[::1]:3310/db");
    assert_string_equal(cfg->host, "::1");
    assert_int_equal(cfg->port, 3310);
    assert_string_equal(cfg->database, "db");
    mo_config_free(cfg);

    cfg = from_url("mysql://[2001:db8::7]");
    assert_string_equal(cfg->host, "2001:db8::7");
    assert_int_equal(cfg->port, 3306);
    mo_config_free(cfg);
}

static void empty_password_is_an_empty_string_not_none(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u:@h");
    assert_string_equal(cfg->user, "u");
    assert_non_null(cfg->password);
    assert_string_equal(cfg->password, "");
    mo_config_free(cfg);
}

static void password_may_contain_raw_at_and_colon(void **state) {
    (void)state;
    /* The userinfo ends at the last '@'; the password at the first ':' after the user. */
    mo_config *cfg = from_url("mysql://u:p@ss:w@rd@h");
    assert_string_equal(cfg->user, "u");
    assert_string_equal(cfg->password, "p@ss:w@rd");
    assert_string_equal(cfg->host, "h");
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ URLs: percent-decoding */

static void user_is_percent_decoded(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://acc%23admin%23r1:pw@h");
    assert_string_equal(cfg->user, "acc#admin#r1");
    const char *login = NULL;
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "acc#admin#r1");
    mo_config_free(cfg);

    cfg = from_url("mysql://a%3Ab%40c@h"); /* ':' and '@' inside the user */
    assert_string_equal(cfg->user, "a:b@c");
    assert_null(cfg->password);
    mo_config_free(cfg);
}

static void password_is_percent_decoded(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u:p%40ss%3Aw%2Fo%3Fr%23d%25%2b@h");
    assert_string_equal(cfg->password, "p@ss:w/o?r#d%+");
    mo_config_free(cfg);
}

static void plus_is_not_a_space(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u+v:a+b@h/d+b?ssl_ca=/x+y.pem");
    assert_string_equal(cfg->user, "u+v");
    assert_string_equal(cfg->password, "a+b");
    assert_string_equal(cfg->database, "d+b");
    assert_string_equal(cfg->tls_ca, "/x+y.pem");
    mo_config_free(cfg);
}

static void host_and_database_are_percent_decoded(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://my%2Dhost/my%20db%C3%A9");
    assert_string_equal(cfg->host, "my-host");
    assert_string_equal(cfg->database, "my db\xC3\xA9");
    mo_config_free(cfg);
}

static void query_keys_and_values_are_percent_decoded(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://h?ssl%5Fca=%2Fetc%2Fca%20file.pem&%72ole=r%231");
    assert_string_equal(cfg->tls_ca, "/etc/ca file.pem");
    assert_string_equal(cfg->role, "r#1");
    mo_config_free(cfg);
}

static void percent_escapes_accept_both_cases_of_hex(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u:%c3%a9%C3%A9@h");
    assert_string_equal(cfg->password, "\xC3\xA9\xC3\xA9");
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ URLs: query options */

static void query_options_set_timeouts_in_seconds(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://h?connect_timeout=1.5&read_timeout=10&write_timeout=0.25"
                              "&slow_query_threshold=0.1");
    assert_int_equal(cfg->connect_timeout_ms, 1500);
    assert_int_equal(cfg->read_timeout_ms, 10000);
    assert_int_equal(cfg->write_timeout_ms, 250);
    assert_int_equal(cfg->log_slow_threshold_ms, 100);
    mo_config_free(cfg);

    cfg = from_url("mysql://h?connect_timeout_ms=750&read_timeout_ms=0&write_timeout_ms=5");
    assert_int_equal(cfg->connect_timeout_ms, 750);
    assert_int_equal(cfg->read_timeout_ms, 0);
    assert_int_equal(cfg->write_timeout_ms, 5);
    mo_config_free(cfg);
}

static void query_options_set_tls_log_dry_run_and_kind(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://h/db?ssl_mode=VERIFY_IDENTITY&ssl_ca=/ca.pem"
                              "&ssl_cert=/c.pem&ssl_key=/k.pem&log_mode=full"
                              "&max_sql_display_length=80&dry_run=yes&server_kind=mariadb");
    assert_int_equal(cfg->tls_mode, MO_TLS_VERIFY_IDENTITY);
    assert_string_equal(cfg->tls_ca, "/ca.pem");
    assert_string_equal(cfg->tls_cert, "/c.pem");
    assert_string_equal(cfg->tls_key, "/k.pem");
    assert_int_equal(cfg->log_mode, MO_LOG_FULL);
    assert_int_equal(cfg->log_max_display_length, 80);
    assert_int_equal(cfg->dry_run, 1);
    assert_int_equal(cfg->server_kind, MO_SERVER_MARIADB);
    assert_string_equal(cfg->database, "db");
    mo_config_free(cfg);
}

static void query_options_override_the_authority(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u:p@h:1/d?port=2&user=v&password=q&database=e"
                              "&account=acc&unix_socket=/tmp/s.sock");
    assert_int_equal(cfg->port, 2);
    assert_string_equal(cfg->user, "v");
    assert_string_equal(cfg->password, "q");
    assert_string_equal(cfg->database, "e");
    assert_string_equal(cfg->account, "acc");
    assert_string_equal(cfg->unix_socket, "/tmp/s.sock");
    mo_config_free(cfg);
}

static void empty_query_pairs_are_ignored(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://h?&&dry_run=1&");
    assert_int_equal(cfg->dry_run, 1);
    mo_config_free(cfg);
    cfg = from_url("mysql://h?");
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ URLs: errors */

static void url_errors_name_the_bad_part(void **state) {
    (void)state;
    assert_url_error("mysql://h:abc/db", "invalid URL: bad port 'abc'");
    assert_url_error("mysql://h:0", "invalid URL: bad port '0'");
    assert_url_error("mysql://h:65536", "invalid URL: bad port '65536'");
    assert_url_error("mysql://h:-1", "invalid URL: bad port '-1'");
    assert_url_error("mysql://h:", "invalid URL: bad port ''");
    assert_url_error("mysql://[::1]:x", "invalid URL: bad port 'x'");
    assert_url_error("mysql:///db", "invalid URL: missing host");
    assert_url_error("mysql://u:p@/db", "invalid URL: missing host");
    assert_url_error("mysql://:3306", "invalid URL: missing host");
    assert_url_error("mysql://[]:3306", "invalid URL: missing host");
    assert_url_error("mysql://[::1:3306", "invalid URL: unterminated '[' in host");
    assert_url_error("mysql://[zz::1]", "invalid URL: bad IPv6 address in host");
    assert_url_error("mysql://[::1]x", "invalid URL: unexpected text after ']' in host");
    assert_url_error("postgres://h", "invalid URL: unknown scheme 'postgres' (expected mysql, "
                                     "mariadb or matrixone)");
    assert_url_error("h:3306", "invalid URL: missing scheme");
    assert_url_error("://h", "invalid URL: missing scheme");
    assert_url_error("my sql://h", "invalid URL: malformed scheme");
    assert_url_error("mysql://h?nope=1", "invalid URL: unknown option 'nope'");
    assert_url_error("mysql://h?dry_run", "invalid URL: option 'dry_run' has no value");
    assert_url_error("mysql://h?port=abc",
                     "invalid URL: invalid value 'abc' for option 'port' (expected 1..65535)");
    assert_url_error("mysql://h?connect_timeout=-1", "invalid URL: invalid value '-1' for option "
                                                     "'connect_timeout' (expected seconds, e.g. "
                                                     "30 or 1.5)");
    assert_url_error("mysql://h?ssl_mode=maybe",
                     "invalid URL: invalid value 'maybe' for option 'ssl_mode' (expected "
                     "disabled, preferred, required, verify_ca or verify_identity)");
    assert_url_error("mysql://h/a/b", "invalid URL: unexpected '/' in database");
    assert_url_error("mysql://u@h#frag", "invalid URL: fragment not allowed (percent-encode '#' "
                                         "as %23)");
    assert_url_error("mysql://acc#user:pw@h", "invalid URL: fragment not allowed "
                                              "(percent-encode '#' as %23)");
}

static void bad_percent_escapes_are_reported_per_part(void **state) {
    (void)state;
    assert_url_error("mysql://u%zz@h", "invalid URL: bad percent-escape in user");
    assert_url_error("mysql://u:p%zz@h", "invalid URL: bad percent-escape in password");
    assert_url_error("mysql://u:p%4@h", "invalid URL: bad percent-escape in password");
    assert_url_error("mysql://u:p%@h", "invalid URL: bad percent-escape in password");
    assert_url_error("mysql://h%g1", "invalid URL: bad percent-escape in host");
    assert_url_error("mysql://h/d%", "invalid URL: bad percent-escape in database");
    assert_url_error("mysql://h?k%x=1", "invalid URL: bad percent-escape in option name");
    assert_url_error("mysql://h?role=%2", "invalid URL: bad percent-escape in the value of option "
                                          "'role'");
    assert_url_error("mysql://u:a%00b@h", "invalid URL: NUL byte (%00) in password");
    assert_url_error("mysql://u:%FF@h", "invalid URL: password is not valid UTF-8");
    assert_url_error("mysql://%C3%28@h", "invalid URL: user is not valid UTF-8");
}

static void raw_slash_or_question_mark_in_the_password_is_refused(void **state) {
    (void)state;
    const char *message = "invalid URL: '@' after the host (percent-encode '@', '/' and '?' in "
                          "the user, password, database and options)";
    assert_url_error("mysql://u:pa/ss@h/db", message);
    assert_url_error("mysql://u:pa?ss@h/db", message);
    assert_url_error("mysql://u:p@a?ss@h", message);
}

/* No malformed URL may echo any part of the password: every 3-byte piece of it is looked for
 * in the message. */
static void assert_secret_absent(const char *message, const char *secret) {
    size_t n = strlen(secret);
    for (size_t i = 0; i + 3 <= n; i++) {
        char piece[4];
        memcpy(piece, secret + i, 3);
        piece[3] = 0;
        if (strstr(message, piece)) fail_msg("message '%s' contains '%s' of the password", message,
                                             piece);
    }
}

static void password_never_appears_in_any_url_error(void **state) {
    (void)state;
    static const char *const urls[] = {
        "mysql://u:Qz7%zzXk9Wv@h/db",
        "mysql://u:Qz7Xk9Wv%@h/db",
        "mysql://u:Qz7/Xk9Wv@h/db",
        "mysql://u:Qz7?Xk9Wv@h/db",
        "mysql://u:Qz7?Xk9Wv=1@h/db",
        "mysql://u:Qz7#Xk9Wv@h/db",
        "mysql://u:Qz7%00Xk9Wv@h/db",
        "mysql://u:Qz7%FFXk9Wv@h/db",
        "mysql://u:Qz7Xk9Wv@h:abc/db",
        "mysql://u:Qz7Xk9Wv@/db",
        "mysql://u:Qz7Xk9Wv@[::1/db",
        "mysql://u:Qz7Xk9Wv@h/a/b",
        "postgres://u:Qz7Xk9Wv@h/db",
        "mysql//u:Qz7Xk9Wv@h/db",
        "u:Qz7Xk9Wv@h/x://y",
        "mysql://u:Qz7Xk9Wv@h/db?nope=1",
        "mysql://u:Qz7Xk9Wv@h/db?password=Qz7%zzXk9Wv",
        "mysql://u:Qz7Xk9Wv@h/db?password=Qz7%FFXk9Wv",
        "mysql://u:Qz7Xk9Wv@h/db?password",
        "mysql://u:Qz7Xk9Wv@h/db?password=%FF&port=1",
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        mo_config *cfg = NULL;
        mo_status st = mo_config_from_url(&cfg, urls[i]);
        if (st != MO_E_INVALID_ARGUMENT) fail_msg("'%s' -> %d, expected an error", urls[i], st);
        assert_secret_absent(last_message(), "Qz7Xk9Wv");
    }
}

static void url_needs_out_and_url(void **state) {
    (void)state;
    mo_config *cfg = (mo_config *)&cfg;
    assert_int_equal(mo_config_from_url(NULL, "mysql://h"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_from_url(&cfg, NULL), MO_E_INVALID_ARGUMENT);
    assert_null(cfg);
}

/* ------------------------------------------------------------------ mo_config_set */

static void set_accepts_every_documented_key(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    assert_ok(mo_config_set(cfg, "host", "db1"));
    assert_ok(mo_config_set(cfg, "port", "6001"));
    assert_ok(mo_config_set(cfg, "user", "admin"));
    assert_ok(mo_config_set(cfg, "password", "pw"));
    assert_ok(mo_config_set(cfg, "database", "d"));
    assert_ok(mo_config_set(cfg, "account", "acc"));
    assert_ok(mo_config_set(cfg, "role", "r"));
    assert_ok(mo_config_set(cfg, "unix_socket", "/run/mysqld.sock"));
    assert_ok(mo_config_set(cfg, "connect_timeout", "2.5"));
    assert_ok(mo_config_set(cfg, "read_timeout", ".5"));
    assert_ok(mo_config_set(cfg, "write_timeout", "3."));
    assert_ok(mo_config_set(cfg, "ssl_mode", "required"));
    assert_ok(mo_config_set(cfg, "ssl_ca", "/ca"));
    assert_ok(mo_config_set(cfg, "ssl_cert", "/cert"));
    assert_ok(mo_config_set(cfg, "ssl_key", "/key"));
    assert_ok(mo_config_set(cfg, "log_mode", "AUTO"));
    assert_ok(mo_config_set(cfg, "slow_query_threshold", "2"));
    assert_ok(mo_config_set(cfg, "max_sql_display_length", "1"));
    assert_ok(mo_config_set(cfg, "dry_run", "On"));
    assert_ok(mo_config_set(cfg, "server_kind", "MatrixOne"));
    assert_string_equal(cfg->host, "db1");
    assert_int_equal(cfg->port, 6001);
    assert_string_equal(cfg->user, "admin");
    assert_string_equal(cfg->password, "pw");
    assert_string_equal(cfg->database, "d");
    assert_string_equal(cfg->account, "acc");
    assert_string_equal(cfg->role, "r");
    assert_string_equal(cfg->unix_socket, "/run/mysqld.sock");
    assert_int_equal(cfg->connect_timeout_ms, 2500);
    assert_int_equal(cfg->read_timeout_ms, 500);
    assert_int_equal(cfg->write_timeout_ms, 3000);
    assert_int_equal(cfg->tls_mode, MO_TLS_REQUIRED);
    assert_string_equal(cfg->tls_ca, "/ca");
    assert_string_equal(cfg->tls_cert, "/cert");
    assert_string_equal(cfg->tls_key, "/key");
    assert_int_equal(cfg->log_mode, MO_LOG_AUTO);
    assert_int_equal(cfg->log_slow_threshold_ms, 2000);
    assert_int_equal(cfg->log_max_display_length, 1);
    assert_int_equal(cfg->dry_run, 1);
    assert_int_equal(cfg->server_kind, MO_SERVER_MATRIXONE);
    mo_config_free(cfg);
}

static void fractional_seconds_round_to_the_nearest_millisecond(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    static const struct {
        const char *text;
        unsigned ms;
    } cases[] = {{"0", 0},          {"1", 1000},         {"1.5", 1500},    {"0.001", 1},
                 {"0.0004", 0},     {"0.0005", 1},       {"0.1239", 124},  {"60.000", 60000},
                 {"4294967", 4294967000u}, {"007", 7000}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_ok(mo_config_set(cfg, "read_timeout", cases[i].text));
        if (cfg->read_timeout_ms != cases[i].ms)
            fail_msg("'%s' -> %u ms, expected %u", cases[i].text, cfg->read_timeout_ms,
                     cases[i].ms);
    }
    mo_config_free(cfg);
}

static void bad_timeouts_are_refused_and_change_nothing(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    static const char *const bad[] = {"-1", "", ".", "1e3", " 1", "1 ", "abc", "inf", "nan",
                                      "0x10", "1,5", "+1", "4294968", "1.2.3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_set_error(cfg, "connect_timeout", bad[i], NULL);
        assert_int_equal(cfg->connect_timeout_ms, 30000);
    }
    assert_set_error(cfg, "connect_timeout", "-1",
                     "invalid value '-1' for option 'connect_timeout' (expected seconds, e.g. 30 "
                     "or 1.5)");
    assert_set_error(cfg, "read_timeout_ms", "1.5", NULL);
    assert_set_error(cfg, "read_timeout_ms", "4294967296", NULL);
    mo_config_free(cfg);
}

static void booleans_take_the_usual_spellings(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    static const struct {
        const char *text;
        int value;
    } cases[] = {{"true", 1}, {"TRUE", 1}, {"1", 1},  {"yes", 1},   {"Yes", 1}, {"on", 1},
                 {"false", 0}, {"False", 0}, {"0", 0}, {"no", 0}, {"NO", 0},  {"off", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_ok(mo_config_set(cfg, "dry_run", cases[i].text));
        assert_int_equal(cfg->dry_run, cases[i].value);
    }
    assert_set_error(cfg, "dry_run", "2",
                     "invalid value '2' for option 'dry_run' (expected true, false, 1, 0, yes, no, "
                     "on or off)");
    assert_set_error(cfg, "dry_run", "", NULL);
    assert_set_error(cfg, "dry_run", NULL, "option 'dry_run' needs a value");
    mo_config_free(cfg);
}

static void unknown_and_null_keys_are_refused(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    assert_set_error(cfg, "colour", "red", "unknown option 'colour'");
    assert_set_error(cfg, "Host", "h", "unknown option 'Host'"); /* keys are exact */
    assert_set_error(cfg, NULL, "x", "option name is NULL");
    assert_set_error(cfg, "\xff", "x", "unknown option");
    mo_config_free(cfg);
}

static void set_never_echoes_a_password_value(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    assert_set_error(cfg, "password", "Qz7Xk9Wv\xff", "password is not valid UTF-8");
    assert_secret_absent(last_message(), "Qz7Xk9Wv");
    assert_null(cfg->password);
    mo_config_free(cfg);
}

static void set_clears_optional_strings_with_null(void **state) {
    (void)state;
    mo_config *cfg = from_url("mysql://u:p@h/db?account=a&role=r&ssl_ca=/ca&unix_socket=/s");
    assert_ok(mo_config_set(cfg, "password", NULL));
    assert_ok(mo_config_set(cfg, "database", NULL));
    assert_ok(mo_config_set(cfg, "account", NULL));
    assert_ok(mo_config_set(cfg, "role", ""));
    assert_ok(mo_config_set(cfg, "ssl_ca", NULL));
    assert_ok(mo_config_set(cfg, "unix_socket", NULL));
    assert_null(cfg->password);
    assert_null(cfg->database);
    assert_null(cfg->account);
    assert_null(cfg->role);
    assert_null(cfg->tls_ca);
    assert_null(cfg->unix_socket);
    assert_set_error(cfg, "host", NULL, "host must not be NULL");
    assert_set_error(cfg, "user", "", "user must not be empty");
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ typed setters */

static void setters_store_valid_values(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    assert_ok(mo_config_set_host(cfg, "example.org"));
    assert_ok(mo_config_set_port(cfg, 65535));
    assert_ok(mo_config_set_port(cfg, 1));
    assert_ok(mo_config_set_unix_socket(cfg, "/tmp/mysql.sock"));
    assert_ok(mo_config_set_user(cfg, "bob"));
    assert_ok(mo_config_set_password(cfg, "pw"));
    assert_ok(mo_config_set_password(cfg, "pw2")); /* replacing wipes the old one */
    assert_ok(mo_config_set_database(cfg, "d"));
    assert_ok(mo_config_set_account(cfg, "acc"));
    assert_ok(mo_config_set_role(cfg, "r"));
    assert_ok(mo_config_set_connect_timeout_ms(cfg, 0));
    assert_ok(mo_config_set_read_timeout_ms(cfg, 100));
    assert_ok(mo_config_set_write_timeout_ms(cfg, 200));
    assert_ok(mo_config_set_tls_mode(cfg, MO_TLS_VERIFY_CA));
    assert_ok(mo_config_set_tls_ca(cfg, "/ca"));
    assert_ok(mo_config_set_tls_cert(cfg, "/cert"));
    assert_ok(mo_config_set_tls_key(cfg, "/key"));
    assert_ok(mo_config_set_log_mode(cfg, MO_LOG_SIMPLE));
    assert_ok(mo_config_set_log_slow_threshold_ms(cfg, 5));
    assert_ok(mo_config_set_log_max_display_length(cfg, 1));
    assert_ok(mo_config_set_log_sink(cfg, (mo_log_sink)NULL, NULL));
    assert_ok(mo_config_set_dry_run(cfg, 42));
    assert_ok(mo_config_set_server_kind(cfg, MO_SERVER_MYSQL));
    assert_string_equal(cfg->host, "example.org");
    assert_int_equal(cfg->port, 1);
    assert_string_equal(cfg->unix_socket, "/tmp/mysql.sock");
    assert_string_equal(cfg->user, "bob");
    assert_string_equal(cfg->password, "pw2");
    assert_string_equal(cfg->database, "d");
    assert_int_equal(cfg->connect_timeout_ms, 0);
    assert_int_equal(cfg->read_timeout_ms, 100);
    assert_int_equal(cfg->write_timeout_ms, 200);
    assert_int_equal(cfg->tls_mode, MO_TLS_VERIFY_CA);
    assert_int_equal(cfg->log_mode, MO_LOG_SIMPLE);
    assert_int_equal(cfg->log_slow_threshold_ms, 5);
    assert_int_equal(cfg->log_max_display_length, 1);
    assert_int_equal(cfg->dry_run, 1);
    assert_int_equal(cfg->server_kind, MO_SERVER_MYSQL);
    assert_ok(mo_config_set_database(cfg, "")); /* "" means none */
    assert_null(cfg->database);
    assert_ok(mo_config_set_password(cfg, "")); /* "" is an empty password */
    assert_string_equal(cfg->password, "");
    mo_config_free(cfg);
}

static void setters_refuse_invalid_values_and_keep_the_old_one(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    assert_int_equal(mo_config_set_port(cfg, 0), MO_E_INVALID_ARGUMENT);
    assert_string_equal(last_message(), "port must be between 1 and 65535 (got 0)");
    assert_int_equal(mo_config_set_port(cfg, 65536), MO_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->port, 3306);
    assert_string_equal(mo_error_operation(mo_error_last()), "config.set_port");

    assert_int_equal(mo_config_set_host(cfg, ""), MO_E_INVALID_ARGUMENT);
    assert_string_equal(last_message(), "host must not be empty");
    assert_int_equal(mo_config_set_host(cfg, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_host(cfg, "h\xc0\xafx"), MO_E_INVALID_ARGUMENT); /* overlong */
    assert_string_equal(last_message(), "host is not valid UTF-8");
    assert_string_equal(cfg->host, "127.0.0.1");

    assert_int_equal(mo_config_set_user(cfg, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_user(cfg, "\xed\xa0\x80"), MO_E_INVALID_ARGUMENT); /* surrogate */
    assert_string_equal(cfg->user, "root");
    assert_int_equal(mo_config_set_database(cfg, "\xff"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_account(cfg, "\x80"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_role(cfg, "\xc3"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_tls_ca(cfg, "\xfe"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_unix_socket(cfg, "\xfe"), MO_E_INVALID_ARGUMENT);

    assert_int_equal(mo_config_set_tls_mode(cfg, (mo_tls_mode)5), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_tls_mode(cfg, (mo_tls_mode)-1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->tls_mode, MO_TLS_PREFERRED);
    assert_int_equal(mo_config_set_log_mode(cfg, (mo_log_mode)4), MO_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->log_mode, MO_LOG_OFF);
    assert_int_equal(mo_config_set_server_kind(cfg, (mo_server_kind)4), MO_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->server_kind, MO_SERVER_AUTO);
    assert_int_equal(mo_config_set_log_max_display_length(cfg, 0), MO_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->log_max_display_length, 500);
    assert_set_error(cfg, "max_sql_display_length", "0", NULL);
    assert_set_error(cfg, "port", "0", NULL);
    assert_set_error(cfg, "port", "65536", NULL);
    assert_set_error(cfg, "server_kind", "oracle", NULL);
    assert_set_error(cfg, "log_mode", "verbose", NULL);
    mo_config_free(cfg);
}

static void test_sink(void *userdata, int level, const char *message, size_t len) {
    (void)userdata, (void)level, (void)message, (void)len;
}

static void sink_and_userdata_are_stored_together(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    int token = 0;
    assert_ok(mo_config_set_log_sink(cfg, test_sink, &token));
    assert_true(cfg->log_sink == test_sink);
    assert_ptr_equal(cfg->log_sink_userdata, &token);
    assert_ok(mo_config_set_log_sink(cfg, NULL, &token)); /* default sink, no userdata */
    assert_null(cfg->log_sink);
    assert_null(cfg->log_sink_userdata);
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ login rules (§1.3) */

typedef struct {
    const char *user, *account, *role, *expected;
} login_case;

/* Written from reference §1.3 (the conformance file has no client._build_login_info
 * vectors). */
static const login_case login_cases[] = {
    {"root", NULL, NULL, "root"},
    {"admin", NULL, "r1", "sys#admin#r1"},
    {"admin", "acc1", NULL, "acc1#admin"},
    {"admin", "acc1", "r1", "acc1#admin#r1"},
    {"acc1#admin", NULL, NULL, "acc1#admin"},
    {"acc1#admin#r1", NULL, NULL, "acc1#admin#r1"},
    {"acc1:admin", NULL, NULL, "acc1#admin"},
    {"acc1:admin:r1", NULL, NULL, "acc1#admin#r1"},
    {"acc1#admin:x", NULL, NULL, "acc1#admin:x"}, /* '#' is checked first; passed unchanged */
    {"#admin", NULL, NULL, "#admin"},             /* the SDK only counts the parts */
};

static void login_names_follow_the_sdk_rules(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof login_cases / sizeof login_cases[0]; i++) {
        const login_case *c = &login_cases[i];
        char *out = NULL;
        mo_status st = mo_login_build(c->user, c->account, c->role, &out, "test");
        if (st != MO_OK) fail_msg("'%s': %s", c->user, last_message());
        assert_string_equal(out, c->expected);
        free(out);
    }
}

static void assert_login_error(const char *user, const char *account, const char *role,
                               const char *message) {
    char *out = (char *)&out;
    assert_int_equal(mo_login_build(user, account, role, &out, "test"), MO_E_INVALID_ARGUMENT);
    assert_null(out);
    assert_string_equal(last_message(), message);
}

static void user_with_account_info_conflicts_with_account_or_role(void **state) {
    (void)state;
    assert_login_error("acc1#admin", "acc2", NULL,
                       "Conflict: user parameter 'acc1#admin' already contains account/role "
                       "info, but account='acc2' and role='None' are also provided. Use either "
                       "user format or separate account/role parameters, not both.");
    assert_login_error("acc1:admin", NULL, "r",
                       "Conflict: user parameter 'acc1:admin' already contains account/role "
                       "info, but account='None' and role='r' are also provided. Use either "
                       "user format or separate account/role parameters, not both.");
    assert_login_error("a#b#c", "x", "y",
                       "Conflict: user parameter 'a#b#c' already contains account/role info, "
                       "but account='x' and role='y' are also provided. Use either user format "
                       "or separate account/role parameters, not both.");
    /* The conflict is checked before the format. */
    assert_login_error("a#b#c#d", "x", NULL,
                       "Conflict: user parameter 'a#b#c#d' already contains account/role info, "
                       "but account='x' and role='None' are also provided. Use either user "
                       "format or separate account/role parameters, not both.");
}

static void user_with_too_many_parts_is_an_invalid_format(void **state) {
    (void)state;
    static const char *const users[] = {"a#b#c#d", "a:b:c:d", "a##b#", ":::"};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        char expected[512];
        snprintf(expected, sizeof expected,
                 "Invalid user format: '%s'. Expected 'user', 'account#user', "
                 "'account#user#role', 'account:user', or 'account:user:role'",
                 users[i]);
        assert_login_error(users[i], NULL, NULL, expected);
    }
}

static void login_user_is_computed_from_the_config_and_cached(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    const char *login = NULL;
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "root");
    const char *again = NULL;
    assert_ok(mo_config_login_user(cfg, &again));
    assert_ptr_equal(again, login); /* cached */

    assert_ok(mo_config_set_role(cfg, "reader"));
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "sys#root#reader");
    assert_ok(mo_config_set_account(cfg, "acme"));
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "acme#root#reader");
    assert_ok(mo_config_set_user(cfg, "other"));
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "acme#other#reader");
    assert_ok(mo_config_set(cfg, "role", NULL));
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "acme#other");

    assert_ok(mo_config_set_user(cfg, "acc:u"));
    assert_int_equal(mo_config_login_user(cfg, &login), MO_E_INVALID_ARGUMENT);
    assert_null(login);
    assert_non_null(strstr(last_message(), "Conflict: user parameter 'acc:u'"));
    assert_ok(mo_config_set_account(cfg, NULL));
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "acc#u");
    assert_int_equal(mo_config_login_user(cfg, NULL), MO_E_INVALID_ARGUMENT);
    mo_config_free(cfg);
}

static void empty_account_or_role_in_a_config_means_none(void **state) {
    (void)state;
    /* mo_login_build follows Python (a "" account is given), but a config stores "" as none so
     * that "?account=" in a URL cannot produce the login "#user". */
    mo_config *cfg = from_url("mysql://acc%23u@h?account=&role=");
    const char *login = NULL;
    assert_ok(mo_config_login_user(cfg, &login));
    assert_string_equal(login, "acc#u");
    mo_config_free(cfg);
}

/* ------------------------------------------------------------------ copies */

static void copy_is_deep_and_independent(void **state) {
    (void)state;
    mo_config *a = from_url("matrixone://u:pw@h:1/db?account=acc&role=r&ssl_ca=/ca&ssl_cert=/c"
                            "&ssl_key=/k&unix_socket=/s&dry_run=1&log_mode=simple");
    const char *login = NULL;
    assert_ok(mo_config_login_user(a, &login));
    mo_config *b = NULL;
    assert_ok(mo_config_copy(&b, a));
    assert_ptr_not_equal(a, b);
    assert_ptr_not_equal(a->host, b->host);
    assert_ptr_not_equal(a->password, b->password);
    assert_string_equal(b->host, "h");
    assert_int_equal(b->port, 1);
    assert_string_equal(b->user, "u");
    assert_string_equal(b->password, "pw");
    assert_string_equal(b->database, "db");
    assert_string_equal(b->account, "acc");
    assert_string_equal(b->role, "r");
    assert_string_equal(b->tls_ca, "/ca");
    assert_string_equal(b->tls_cert, "/c");
    assert_string_equal(b->tls_key, "/k");
    assert_string_equal(b->unix_socket, "/s");
    assert_int_equal(b->dry_run, 1);
    assert_int_equal(b->log_mode, MO_LOG_SIMPLE);
    assert_int_equal(b->server_kind, MO_SERVER_MATRIXONE);

    assert_ok(mo_config_set_host(a, "changed"));
    assert_ok(mo_config_set_password(a, NULL));
    assert_string_equal(b->host, "h");
    assert_string_equal(b->password, "pw");
    mo_config_free(a); /* the copy outlives the original */
    assert_ok(mo_config_login_user(b, &login));
    assert_string_equal(login, "acc#u#r");
    assert_ok(mo_config_set_port(b, 2)); /* a live handle of its own */
    mo_config_free(b);
}

static void private_clone_is_not_a_handle(void **state) {
    (void)state;
    mo_config *a = from_url("mysql://u:pw@h/db");
    struct mo_config *p = NULL;
    assert_ok(mo_config_clone_private(&p, a));
    assert_string_equal(p->password, "pw");
    assert_int_equal(mo_config_set_port(p, 5), MO_E_MISUSE);
    mo_config_free(p); /* not a live handle: ignored, so the private free is needed */
    mo_config_free(a);
    assert_string_equal(p->host, "h");
    mo_config_free_private(p);
    mo_config_free_private(NULL);
}

/* ------------------------------------------------------------------ handle misuse */

static void null_config_is_an_invalid_argument_everywhere(void **state) {
    (void)state;
    const char *s = NULL;
    mo_config *out = NULL;
    assert_int_equal(mo_config_set_host(NULL, "h"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_port(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_unix_socket(NULL, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_user(NULL, "u"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_password(NULL, "p"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_database(NULL, "d"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_account(NULL, "a"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_role(NULL, "r"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_connect_timeout_ms(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_read_timeout_ms(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_write_timeout_ms(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_tls_mode(NULL, MO_TLS_REQUIRED), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_tls_ca(NULL, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_tls_cert(NULL, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_tls_key(NULL, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_log_mode(NULL, MO_LOG_FULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_log_slow_threshold_ms(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_log_max_display_length(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_log_sink(NULL, NULL, NULL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_dry_run(NULL, 1), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set_server_kind(NULL, MO_SERVER_MYSQL), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_set(NULL, "host", "h"), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_login_user(NULL, &s), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_copy(&out, NULL), MO_E_INVALID_ARGUMENT);
    assert_null(out);
    assert_int_equal(mo_config_copy(NULL, NULL), MO_E_INVALID_ARGUMENT);
    mo_config_free(NULL);
}

static void freed_config_is_misuse_not_a_crash(void **state) {
    (void)state;
    mo_config *cfg = new_config();
    mo_config_free(cfg);
    /* The pointer is dangling; the registry recognises it without dereferencing it. */
    const char *s = NULL;
    mo_config *out = NULL;
    assert_int_equal(mo_config_set_host(cfg, "h"), MO_E_MISUSE);
    assert_int_equal(mo_config_set_port(cfg, 1), MO_E_MISUSE);
    assert_int_equal(mo_config_set(cfg, "port", "1"), MO_E_MISUSE);
    assert_int_equal(mo_config_login_user(cfg, &s), MO_E_MISUSE);
    assert_int_equal(mo_config_copy(&out, cfg), MO_E_MISUSE);
    assert_null(out);
    mo_config_free(cfg); /* double free is ignored */
}

static void foreign_pointer_is_misuse(void **state) {
    (void)state;
    struct mo_config not_a_config;
    memset(&not_a_config, 0, sizeof not_a_config);
    assert_int_equal(mo_config_set_port(&not_a_config, 1), MO_E_MISUSE);
    mo_config_free(&not_a_config); /* ignored */
}

/* ------------------------------------------------------------------ transport */

static void transport_is_auto_by_default_and_set_by_name_url_or_setter(void **state) {
    (void)state;
    mo_config *cfg = NULL;
    assert_int_equal(mo_config_new(&cfg), MO_OK);
    assert_int_equal(cfg->transport, MO_TRANSPORT_AUTO);
    assert_int_equal(mo_config_set(cfg, "transport", "tcp"), MO_OK);
    assert_int_equal(cfg->transport, MO_TRANSPORT_TCP);
    assert_int_equal(mo_config_set(cfg, "transport", "SOCKET"), MO_OK);
    assert_int_equal(cfg->transport, MO_TRANSPORT_SOCKET);
    assert_int_equal(mo_config_set_transport(cfg, MO_TRANSPORT_TCP), MO_OK);
    assert_int_equal(cfg->transport, MO_TRANSPORT_TCP);
    assert_set_error(cfg, "transport", "udp",
                     "invalid value 'udp' for option 'transport' (expected auto, tcp or socket)");
    assert_int_equal(mo_config_set_transport(cfg, (mo_transport)7), MO_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->transport, MO_TRANSPORT_TCP);
    mo_config *copy = NULL;
    assert_int_equal(mo_config_copy(&copy, cfg), MO_OK);
    assert_int_equal(copy->transport, MO_TRANSPORT_TCP);
    mo_config_free(copy);
    mo_config_free(cfg);
    assert_int_equal(mo_config_set_transport(NULL, MO_TRANSPORT_TCP), MO_E_INVALID_ARGUMENT);
    assert_int_equal(mo_config_from_url(&cfg, "mysql://u@localhost/db?transport=tcp"), MO_OK);
    assert_int_equal(cfg->transport, MO_TRANSPORT_TCP);
    mo_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_config_has_the_documented_defaults),
        cmocka_unit_test(transport_is_auto_by_default_and_set_by_name_url_or_setter),
        cmocka_unit_test(new_config_needs_an_out_pointer),
        cmocka_unit_test(url_with_every_part_sets_every_field),
        cmocka_unit_test(url_with_only_a_host_keeps_the_defaults),
        cmocka_unit_test(mariadb_scheme_is_accepted_and_leaves_the_kind_auto),
        cmocka_unit_test(matrixone_scheme_sets_the_kind_and_port_6001),
        cmocka_unit_test(ipv6_host_is_written_in_brackets),
        cmocka_unit_test(empty_password_is_an_empty_string_not_none),
        cmocka_unit_test(password_may_contain_raw_at_and_colon),
        cmocka_unit_test(user_is_percent_decoded),
        cmocka_unit_test(password_is_percent_decoded),
        cmocka_unit_test(plus_is_not_a_space),
        cmocka_unit_test(host_and_database_are_percent_decoded),
        cmocka_unit_test(query_keys_and_values_are_percent_decoded),
        cmocka_unit_test(percent_escapes_accept_both_cases_of_hex),
        cmocka_unit_test(query_options_set_timeouts_in_seconds),
        cmocka_unit_test(query_options_set_tls_log_dry_run_and_kind),
        cmocka_unit_test(query_options_override_the_authority),
        cmocka_unit_test(empty_query_pairs_are_ignored),
        cmocka_unit_test(url_errors_name_the_bad_part),
        cmocka_unit_test(bad_percent_escapes_are_reported_per_part),
        cmocka_unit_test(raw_slash_or_question_mark_in_the_password_is_refused),
        cmocka_unit_test(password_never_appears_in_any_url_error),
        cmocka_unit_test(url_needs_out_and_url),
        cmocka_unit_test(set_accepts_every_documented_key),
        cmocka_unit_test(fractional_seconds_round_to_the_nearest_millisecond),
        cmocka_unit_test(bad_timeouts_are_refused_and_change_nothing),
        cmocka_unit_test(booleans_take_the_usual_spellings),
        cmocka_unit_test(unknown_and_null_keys_are_refused),
        cmocka_unit_test(set_never_echoes_a_password_value),
        cmocka_unit_test(set_clears_optional_strings_with_null),
        cmocka_unit_test(setters_store_valid_values),
        cmocka_unit_test(setters_refuse_invalid_values_and_keep_the_old_one),
        cmocka_unit_test(sink_and_userdata_are_stored_together),
        cmocka_unit_test(login_names_follow_the_sdk_rules),
        cmocka_unit_test(user_with_account_info_conflicts_with_account_or_role),
        cmocka_unit_test(user_with_too_many_parts_is_an_invalid_format),
        cmocka_unit_test(login_user_is_computed_from_the_config_and_cached),
        cmocka_unit_test(empty_account_or_role_in_a_config_means_none),
        cmocka_unit_test(copy_is_deep_and_independent),
        cmocka_unit_test(private_clone_is_not_a_handle),
        cmocka_unit_test(null_config_is_an_invalid_argument_everywhere),
        cmocka_unit_test(freed_config_is_misuse_not_a_crash),
        cmocka_unit_test(foreign_pointer_is_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
