/** @file
 * capi/mocore/config.h — connection settings, built up by setters (no structs in the ABI). */
#ifndef MOCORE_CONFIG_H
#define MOCORE_CONFIG_H
#include "mocore/common.h"

MO_BEGIN_DECLS

/** Which server a client talks to. AUTO detects it from the handshake's version string. */
typedef enum {
    MO_SERVER_AUTO = 0,
    MO_SERVER_MATRIXONE = 1,
    MO_SERVER_MYSQL = 2,
    MO_SERVER_MARIADB = 3
} mo_server_kind;

/** TLS policy. PREFERRED uses TLS when the server offers it; REQUIRED fails without TLS;
 *  VERIFY_CA also verifies the certificate chain against the CA; VERIFY_IDENTITY also checks
 *  the host name. */
typedef enum {
    MO_TLS_DISABLED = 0,
    MO_TLS_PREFERRED = 1,
    MO_TLS_REQUIRED = 2,
    MO_TLS_VERIFY_CA = 3,
    MO_TLS_VERIFY_IDENTITY = 4
} mo_tls_mode;

/** How a client reaches the server. AUTO is libmariadb's rule: the Unix socket when a socket
 *  path is set or the host is "localhost" (or none), TCP otherwise. TCP always connects to
 *  host:port, also for "localhost" (the rule of PyMySQL, Go's driver and JDBC) and ignores a
 *  socket path; SOCKET always uses the Unix socket (the configured path, else libmariadb's
 *  default one). */
typedef enum {
    MO_TRANSPORT_AUTO = 0,
    MO_TRANSPORT_TCP = 1,
    MO_TRANSPORT_SOCKET = 2
} mo_transport;

/** SQL log modes (see mocore/log.h for what each prints). */
typedef enum {
    MO_LOG_OFF = 0,
    MO_LOG_SIMPLE = 1,
    MO_LOG_FULL = 2,
    MO_LOG_AUTO = 3
} mo_log_mode;

/** Log levels passed to a sink. */
typedef enum { MO_LOG_LEVEL_DEBUG = 10, MO_LOG_LEVEL_INFO = 20, MO_LOG_LEVEL_WARNING = 30,
               MO_LOG_LEVEL_ERROR = 40 } mo_log_level;

/** A log sink. `message` is borrowed for the duration of the call, NUL-terminated, and has
 *  passwords and credentials redacted. Called on the thread that made the mocore call. */
typedef void (*mo_log_sink)(void *userdata, int level, const char *message, size_t message_len);

/** A new configuration with the defaults: host "127.0.0.1", port 3306, user "root", no
 *  password, no database, utf8mb4, connect timeout 30 s, no read/write timeout, TLS preferred,
 *  log mode off, slow threshold 1000 ms, max display length 500, server kind auto.
 *  *out is owned by the caller (mo_config_free). */
MO_API mo_status mo_config_new(mo_config **out);

/** Parse "mysql://user:password@host:port/database?option=value&...", percent-decoding every
 *  part. Schemes: mysql, mariadb, matrixone (the last also sets the server kind). Options are
 *  the keys of mo_config_set(). A bad URL gives MO_E_INVALID_ARGUMENT naming the bad part;
 *  the password is never echoed. */
MO_API mo_status mo_config_from_url(mo_config **out, const char *url);

/** A deep copy. */
MO_API mo_status mo_config_copy(mo_config **out, const mo_config *cfg);
/** Release the config. NULL is a no-op. */
MO_API void mo_config_free(mo_config *cfg);

/** Server host name or address (copied). */
MO_API mo_status mo_config_set_host(mo_config *cfg, const char *host);
/** TCP port (1..65535). */
MO_API mo_status mo_config_set_port(mo_config *cfg, unsigned port);
/** A Unix socket path; when set, host and port are not used. NULL clears it. */
MO_API mo_status mo_config_set_unix_socket(mo_config *cfg, const char *path);
/** TCP or the Unix socket (see mo_transport); the default is MO_TRANSPORT_AUTO. */
MO_API mo_status mo_config_set_transport(mo_config *cfg, mo_transport transport);
/** The user, optionally in MatrixOne's "account#user[#role]" or "account:user[:role]" form. */
MO_API mo_status mo_config_set_user(mo_config *cfg, const char *user);
/** The password (copied; never logged). */
MO_API mo_status mo_config_set_password(mo_config *cfg, const char *password);
/** The default database; NULL or "" for none. */
MO_API mo_status mo_config_set_database(mo_config *cfg, const char *database);
/** MatrixOne account and role; NULL clears. Combined with the user by the login rules. */
MO_API mo_status mo_config_set_account(mo_config *cfg, const char *account);
/** See mo_config_set_account. */
MO_API mo_status mo_config_set_role(mo_config *cfg, const char *role);

/** Timeouts in milliseconds; 0 means none (connect: the library default of 30 s). */
MO_API mo_status mo_config_set_connect_timeout_ms(mo_config *cfg, unsigned ms);
/** See mo_config_set_connect_timeout_ms: how long one read from the server may wait. */
MO_API mo_status mo_config_set_read_timeout_ms(mo_config *cfg, unsigned ms);
/** See mo_config_set_connect_timeout_ms: how long one write to the server may wait. */
MO_API mo_status mo_config_set_write_timeout_ms(mo_config *cfg, unsigned ms);

/** TLS: disabled, preferred, required, verify_ca or verify_identity (mo_tls_mode). */
MO_API mo_status mo_config_set_tls_mode(mo_config *cfg, mo_tls_mode mode);
/** PEM file paths; NULL clears. Setting a CA does not by itself change the TLS mode. */
MO_API mo_status mo_config_set_tls_ca(mo_config *cfg, const char *path);
/** See mo_config_set_tls_ca: the client certificate. */
MO_API mo_status mo_config_set_tls_cert(mo_config *cfg, const char *path);
/** See mo_config_set_tls_ca: the client certificate's key. */
MO_API mo_status mo_config_set_tls_key(mo_config *cfg, const char *path);

/** Which statements are logged, and how (mo_log_mode). */
MO_API mo_status mo_config_set_log_mode(mo_config *cfg, mo_log_mode mode);
/** Statements at or above this duration are logged in full as [SLOW]. */
MO_API mo_status mo_config_set_log_slow_threshold_ms(mo_config *cfg, unsigned ms);
/** In AUTO mode, SQL longer than this is shown as a summary. Must be >= 1. */
MO_API mo_status mo_config_set_log_max_display_length(mo_config *cfg, unsigned chars);
/** The sink for log lines; NULL restores the default (stderr). */
MO_API mo_status mo_config_set_log_sink(mo_config *cfg, mo_log_sink sink, void *userdata);

/** Dry-run: connect sends nothing, every statement is recorded in the client's journal
 *  instead of being sent, and results are empty. */
MO_API mo_status mo_config_set_dry_run(mo_config *cfg, int enabled);
/** Server-side prepared statements (the binary protocol) kept per connection, least
 *  recently used closed first: 0..4096, default MO_STATEMENT_CACHE_DEFAULT (32); 0 turns
 *  the binary protocol off. Option name: statement_cache_size. */
MO_API mo_status mo_config_set_statement_cache_size(mo_config *cfg, unsigned statements);
/** How often the same SQL text (a SELECT, INSERT, REPLACE, UPDATE, DELETE or WITH) runs in the
 *  text protocol before it is prepared on the server and run in the binary protocol:
 *  0 never (only MO_EXEC_PREPARED prepares), N from its N-th execution on, or
 *  MO_PREPARE_THRESHOLD_AUTO (-1, the default): see docs/prepared-statements.md for what it
 *  chooses per server (never on MatrixOne). Option name: prepare_threshold ("auto" or N). */
MO_API mo_status mo_config_set_prepare_threshold(mo_config *cfg, int uses);
#define MO_STATEMENT_CACHE_DEFAULT 32
#define MO_STATEMENT_CACHE_MAX 4096
#define MO_PREPARE_THRESHOLD_AUTO (-1)
#define MO_PREPARE_THRESHOLD_MAX 1000000

/** The server kind to assume (mo_server_kind); auto reads it from the handshake. */
MO_API mo_status mo_config_set_server_kind(mo_config *cfg, mo_server_kind kind);

/** Set any option by name, as in a URL query: host, port, user, password, database, account,
 *  role, unix_socket, transport (auto, tcp, socket), connect_timeout, read_timeout, write_timeout (seconds, may be
 *  fractional), connect_timeout_ms, read_timeout_ms, write_timeout_ms, ssl_mode (disabled,
 *  preferred, required, verify_ca, verify_identity), ssl_ca, ssl_cert, ssl_key, log_mode (off,
 *  simple, full, auto), slow_query_threshold (seconds), max_sql_display_length, dry_run
 *  (true/false/1/0), server_kind (auto, matrixone, mysql, mariadb). Unknown keys and bad
 *  values give MO_E_INVALID_ARGUMENT. */
MO_API mo_status mo_config_set(mo_config *cfg, const char *key, const char *value);

/** The login name the server receives, after MatrixOne's account/role rules:
 *  "user", "account#user", "account#user#role", "sys#user#role". Invalid combinations give
 *  MO_E_INVALID_ARGUMENT with the SDK's message. *out is borrowed from cfg, valid until cfg
 *  changes or is freed. */
MO_API mo_status mo_config_login_user(mo_config *cfg, const char **out);

MO_END_DECLS
#endif
