/* tests/fuzz/fuzz_server.c — the client on arbitrary server bytes.
 *
 * A fake server (a thread of this program on a Unix socket) answers the client with the fuzz
 * input: chunk 0 is sent as soon as the client connects (the greeting), and each later chunk
 * after the client has sent something (the handshake response, each statement). When the
 * chunks run out the server closes the connection, so nothing waits for a timeout. The
 * client connects, runs a query, reads every row with every typed getter and the column
 * metadata, and asks for a next result set. Everything must end in a state (MO_ROW, MO_DONE)
 * or a categorised error (mo_status < 0, mo_error_last() with a known category): never a
 * crash, an out-of-bounds read or a hang.
 *
 * Input: [flags][chunk: 2-byte LE length + bytes]... */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "internal.h"

#define MAX_CHUNKS 8

static char socket_path[108];
static int listen_fd = -1;

typedef struct {
    const uint8_t *chunk[MAX_CHUNKS];
    size_t len[MAX_CHUNKS];
    size_t count;
    atomic_int done; /* the client has finished: stop waiting */
} script;

static void remove_socket(void) {
    if (socket_path[0]) unlink(socket_path);
}

static void start_listening(void) {
    snprintf(socket_path, sizeof socket_path, "/tmp/mocore-fuzz-server-%d.sock", (int)getpid());
    unlink(socket_path);
    listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    memcpy(a.sun_path, socket_path, strlen(socket_path) + 1);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(listen_fd, 4) != 0) {
        perror("fuzz_server: listen");
        abort();
    }
    atexit(remove_socket);
}

/* Wait up to ms for fd to be readable (or the client to finish). 1 readable, 0 not. */
static int wait_readable(int fd, int ms, script *s) {
    for (int waited = 0; waited < ms && !atomic_load(&s->done); waited += 5) {
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, 5);
        if (r > 0) return 1;
        if (r < 0 && errno != EINTR) return 0;
    }
    return 0;
}

static void send_all(int fd, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return;
        p += w;
        n -= (size_t)w;
    }
}

static void *serve(void *arg) {
    script *s = arg;
    if (!wait_readable(listen_fd, 2000, s)) return NULL;
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return NULL;
    for (size_t k = 0; k < s->count; k++) {
        if (k > 0) {
            /* The client's next message (or, if it waits for more of the last answer, a
             * short pause): drain what it sent. */
            if (wait_readable(fd, 10, s)) {
                char buf[4096];
                ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
                if (r == 0) break; /* the client closed */
            }
        }
        send_all(fd, s->chunk[k], s->len[k]);
    }
    /* Out of answers: end the connection, the client sees it at once. */
    shutdown(fd, SHUT_RDWR);
    close(fd);
    return NULL;
}

/* A failure must be a categorised error with its details. MOCORE_FUZZ_VERBOSE=1 prints
 * each step (to see how far a seed gets). */
static void check_status(mo_status st, const char *what) {
    static int verbose = -1;
    if (verbose < 0) verbose = getenv("MOCORE_FUZZ_VERBOSE") != NULL;
    if (verbose)
        fprintf(stderr, "fuzz_server: %s -> %d %s\n", what, st,
                st < 0 && mo_error_last() ? mo_error_message(mo_error_last()) : "");
    if (st >= 0) return;
    const mo_error *e = mo_error_last();
    if (!e) FUZZ_FINDING("%s failed with %d and no last error", what, st);
    if (mo_error_category(e) != st)
        FUZZ_FINDING("%s returned %d but the last error is %d", what, st, mo_error_category(e));
    if (strcmp(mo_error_category_name(st), "unknown") == 0)
        FUZZ_FINDING("%s failed with %d, not a known category", what, st);
    if (st == MO_E_INTERNAL) FUZZ_FINDING("%s: INTERNAL (%s)", what, mo_error_message(e));
}

/* Touch every byte the library hands out, so ASan sees a read past a buffer. */
static volatile unsigned sink;
static void touch(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) sink += b[i];
}

static void read_result(mo_result *r) {
    size_t columns = mo_result_column_count(r);
    for (size_t c = 0; c <= columns; c++) { /* one past the end: a clean error */
        const char *name;
        size_t nl;
        mo_type type;
        unsigned flags, decimals;
        uint64_t length;
        if (mo_result_column_name(r, c, &name, &nl) == MO_OK) touch(name, nl);
        check_status(mo_result_column_type(r, c, &type), "column_type");
        mo_result_column_flags(r, c, &flags);
        mo_result_column_decimals(r, c, &decimals);
        mo_result_column_length(r, c, &length);
    }
    mo_status st;
    int rows = 0;
    while ((st = mo_result_next(r)) == MO_ROW && rows++ < 10000) {
        for (size_t c = 0; c <= columns; c++) {
            int is_null;
            int64_t i;
            uint64_t u;
            double d;
            const char *t;
            const void *b;
            size_t n;
            mo_result_is_null(r, c, &is_null);
            mo_result_get_int64(r, c, &i);
            mo_result_get_uint64(r, c, &u);
            mo_result_get_double(r, c, &d);
            if (mo_result_get_text(r, c, &t, &n) == MO_OK) touch(t, n);
            if (mo_result_get_blob(r, c, &b, &n) == MO_OK) touch(b, n);
        }
        const char *const *values;
        const size_t *lengths;
        size_t count;
        if (mo_result_row(r, &values, &lengths, &count) == MO_OK)
            for (size_t c = 0; c < count; c++)
                if (values[c]) touch(values[c], lengths[c]);
    }
    check_status(st, "result_next");
    uint64_t v;
    unsigned w;
    mo_result_affected_rows(r, &v);
    mo_result_last_insert_id(r, &v);
    mo_result_warning_count(r, &w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* libmariadb 3.3 (Debian 12) dereferences a NULL server version when an error packet
     * with code 65535 (MariaDB's progress report) arrives before the greeting was read:
     * ma_net_safe_read calls mariadb_connection(), a strstr on mysql->server_version. That is
     * a crash inside libmariadb that mocore cannot reach around, so inputs holding such a
     * packet (bytes ff ff ff) are skipped; see docs/fuzzing.md. */
    if (fuzz_memmem(data, size, "\xff\xff\xff", 3)) return 0;
    if (listen_fd < 0) start_listening();
    fuzz_in in = {data, size};
    uint8_t flags = fuzz_u8(&in);
    static script s;
    s.count = 0;
    atomic_store(&s.done, 0);
    while (in.n && s.count < MAX_CHUNKS) {
        size_t n;
        const uint8_t *p = fuzz_bytes(&in, (size_t)fuzz_u64(&in, 2), &n);
        s.chunk[s.count] = p, s.len[s.count++] = n;
    }
    pthread_t server;
    if (pthread_create(&server, NULL, serve, &s) != 0) abort();

    mo_config *cfg = NULL;
    if (mo_config_new(&cfg) < 0 || mo_config_set_unix_socket(cfg, socket_path) < 0 ||
        mo_config_set_user(cfg, "fuzz") < 0 || mo_config_set_password(cfg, "pw") < 0 ||
        mo_config_set_tls_mode(cfg, MO_TLS_DISABLED) < 0 ||
        mo_config_set_connect_timeout_ms(cfg, 2000) < 0 || mo_config_set_read_timeout_ms(cfg, 2000) < 0 ||
        mo_config_set_write_timeout_ms(cfg, 2000) < 0 ||
        mo_config_set_server_kind(cfg, (flags & 1) ? MO_SERVER_MATRIXONE : MO_SERVER_AUTO) < 0)
        abort();
    mo_client *c = NULL;
    mo_status st = mo_client_connect(&c, cfg);
    check_status(st, "connect");
    if (st == MO_OK) {
        if (!c) FUZZ_FINDING("connect succeeded without a client");
        const char *version = mo_client_server_version(c);
        if (version) touch(version, strlen(version));
        static const char *const queries[] = {"SELECT 1", "SHOW TABLES", "SELECT ?, ?"};
        const char *sql = queries[(flags >> 1) % 3];
        mo_params *p = NULL;
        if ((flags >> 1) % 3 == 2) {
            mo_params_new(&p);
            mo_params_add_int64(p, 1);
            mo_params_add_text(p, "x", 1);
        }
        mo_result *r = NULL;
        st = mo_client_execute(&r, c, sql, strlen(sql), p);
        check_status(st, "execute");
        for (int sets = 0; st == MO_OK && r && sets < 8; sets++) {
            read_result(r);
            mo_result *next = NULL;
            st = mo_result_next_set(&next, r);
            check_status(st, "next_set");
            mo_result_free(r);
            r = st == MO_OK ? next : NULL;
        }
        mo_result_free(r);
        mo_params_free(p);
        check_status(mo_client_ping(c), "ping");
        mo_client_close(c);
    } else if (c) {
        FUZZ_FINDING("a failed connect handed out a client");
    }
    mo_config_free(cfg);
    atomic_store(&s.done, 1);
    pthread_join(server, NULL);
    return 0;
}
