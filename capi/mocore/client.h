/** @file
 * capi/mocore/client.h — a connected client: autocommit statements, sessions, the journal. */
#ifndef MOCORE_CLIENT_H
#define MOCORE_CLIENT_H
#include "mocore/common.h"
#include "mocore/config.h"

MO_BEGIN_DECLS

/** A connection to one server in autocommit mode, and the factory for sessions. Opaque.
 *  Use from one thread at a time (concurrent use is reported as MO_E_MISUSE).
 *  Sessions and results created from a client keep it alive. */

/** Flags for the _execute_ex calls. Choose one result mode and at most one log override. */
enum {
    MO_EXEC_BUFFERED = 0x00,   /* read the whole result into memory (default) */
    MO_EXEC_STREAMING = 0x01,  /* read rows from the wire one at a time */
    MO_EXEC_PREPARED = 0x04,   /* run it as a server-side prepared statement (the binary
                                * protocol, cached per connection by SQL text); falls back to
                                * the text protocol where the server or statement cannot */
    MO_EXEC_MORE_RESULTS = 0x02, /* buffered only: read the further result sets of a CALL
                                  * too, for mo_result_next_set(), instead of discarding them */
    MO_EXEC_LOG_DEFAULT = 0x00,
    MO_EXEC_LOG_OFF = 0x10,
    MO_EXEC_LOG_SIMPLE = 0x20,
    MO_EXEC_LOG_FULL = 0x30,
    MO_EXEC_LOG_AUTO = 0x40
};

/** Connect with a real handshake (nothing is sent in dry-run). The config is copied.
 *  Unreachable server -> MO_E_CONNECT, bad credentials -> MO_E_AUTH, bad settings ->
 *  MO_E_INVALID_ARGUMENT. On success *out is owned by the caller (mo_client_close). */
MO_API mo_status mo_client_connect(mo_client **out, const mo_config *cfg);

/** Close the connection. Open sessions and results stay valid until they are released
 *  themselves (they hold their own reference). NULL is a no-op. */
MO_API void mo_client_close(mo_client *c);

/** Run one statement in autocommit. `?` placeholders are filled from params (may be NULL:
 *  then the SQL is sent verbatim). *out is owned by the caller (mo_result_free). When the
 *  answer is lost (read timeout, connection lost) a statement that may have written is
 *  MO_E_OUTCOME_UNKNOWN, a read-only one MO_E_TIMEOUT / MO_E_CONNECTION_LOST
 *  (docs/security.md). A statement too large for the server's max_allowed_packet is
 *  MO_E_INVALID_ARGUMENT, nothing sent. */
MO_API mo_status mo_client_execute(mo_result **out, mo_client *c, const char *sql,
                                   size_t sql_len, const mo_params *params);
/** mo_client_execute with MO_EXEC_* flags: the result mode (buffered, streaming, more
 *  results) and a log mode override for this statement. */
MO_API mo_status mo_client_execute_ex(mo_result **out, mo_client *c, const char *sql,
                                      size_t sql_len, const mo_params *params, unsigned flags);

/** A round trip to the server. A lost connection gives MO_E_CONNECTION_LOST. */
MO_API mo_status mo_client_ping(mo_client *c);

/** The server kind (never MO_SERVER_AUTO after connect). */
MO_API mo_server_kind mo_client_server_kind(const mo_client *c);
/** The raw version string from the handshake ("" in dry-run). Borrowed from c. */
MO_API const char *mo_client_server_version(const mo_client *c);
/** The parsed server version. For MatrixOne this is the MatrixOne release (999.0.0 for a
 *  development build); for MySQL/MariaDB the server version. MO_E_NOT_FOUND when unknown. */
MO_API mo_status mo_client_version(const mo_client *c, unsigned *major, unsigned *minor,
                                   unsigned *patch);
/** The server's connection id (0 in dry-run). */
MO_API mo_status mo_client_connection_id(const mo_client *c, uint64_t *out);

/** Stop the statement running on the server connection `connection_id` (a client's or a
 *  session's: mo_client_connection_id, mo_session_connection_id) with `KILL QUERY`, sent on
 *  a new connection made from this client's configuration and closed afterwards. The
 *  statement ends with MO_E_INTERRUPTED (server error 1317) as its answer and its connection
 *  stays usable; a session's transaction stays open (the server rolls back only the
 *  statement). Safe to call from another thread while `c` (or a session of it) is busy with
 *  the statement: `c` is only read. A statement that already ended is not affected, and
 *  the next statement on that connection starts normally. Errors: the server's (an unknown
 *  id is MO_E_NOT_FOUND, server error 1094), or the kill connection's own connect errors.
 *  Non-blocking form: mo_client_kill_query_start (async.h). */
MO_API mo_status mo_client_kill_query(mo_client *c, uint64_t connection_id);

/** Parse a server version string the way the MatrixOne SDK does (reference §8):
 *  "X.Y.Z-MatrixOne-vA.B.C" -> A.B.C, "X.Y.Z-MatrixOne-vA.B" -> A.B.99999,
 *  "X.Y.Z-MatrixOne-v" -> 999.0.0 (development), "MatrixOne A.B.C" / "Version A.B.C" /
 *  "A.B.C" -> A.B.C, "X.Y.Z-MariaDB..." -> MariaDB X.Y.Z, other "X.Y.Z..." -> MySQL.
 *  *kind is the server kind the string names. MO_E_INVALID_ARGUMENT when unparsable. */
MO_API mo_status mo_server_version_parse(const char *version, mo_server_kind *kind,
                                         unsigned *major, unsigned *minor, unsigned *patch);

/* ---- the statement cache of the client's connection (server-side prepared statements) ---- */
/** What mo_client_statement_cache_stat reports. */
typedef enum {
    MO_STMT_CACHE_SIZE = 0,       /* statements prepared on the server and cached now */
    MO_STMT_CACHE_HITS = 1,       /* executions that reused a prepared statement */
    MO_STMT_CACHE_MISSES = 2,     /* executions that prepared their statement first */
    MO_STMT_CACHE_EVICTIONS = 3,  /* statements closed to make room */
    MO_STMT_CACHE_REPREPARES = 4, /* re-prepared after the server said so (1615: a table changed) */
    MO_STMT_CACHE_FALLBACKS = 5   /* executions that asked for the binary protocol and ran in the
                                   * text protocol (the server could not prepare the statement,
                                   * or its prepared statement was busy with an unread result) */
} mo_stmt_cache_stat;
/** *out = the counter `which` of the client's connection since it connected (0 in dry-run).
 *  MO_E_INVALID_ARGUMENT for an unknown `which`. */
MO_API mo_status mo_client_statement_cache_stat(const mo_client *c, mo_stmt_cache_stat which,
                                                uint64_t *out);

/* ---- dry-run journal: every statement a dry-run client (and its sessions) would send ---- */
/** *out = the number of statements in the dry-run journal. */
MO_API mo_status mo_client_journal_count(const mo_client *c, size_t *out);
/** Statement i (0-based), borrowed until the journal is cleared or the client closed. */
MO_API mo_status mo_client_journal_get(const mo_client *c, size_t index, const char **sql,
                                       size_t *sql_len);
/** Empty the journal (invalidates the strings mo_client_journal_get returned). */
MO_API mo_status mo_client_journal_clear(mo_client *c);

MO_END_DECLS
#endif
