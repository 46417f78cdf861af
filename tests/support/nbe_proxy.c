/* tests/support/nbe_proxy.c — see nbe_proxy.h.
 *
 * The relay reads the server's stream packet by packet (3-byte length, 1-byte sequence) and
 * follows the text protocol just far enough to know which packets are OK or EOF:
 *   - the handshake: the first packet starting with 0x00 after the greeting is the login OK;
 *   - a command (a client packet with sequence 0) starts a response: 0x00 is an OK, 0xFF an
 *     error, 0xFB a LOCAL INFILE request, anything else a column count; then that many column
 *     definitions, an EOF (0xFE, shorter than 9 bytes) unless the client deprecated it
 *     (CLIENT_DEPRECATE_EOF, read from its handshake response), rows, and a terminating
 *     EOF/OK starting with 0xFE. SERVER_MORE_RESULTS_EXIST in a final status means another
 *     response follows (CALL).
 * Rows starting with 0xFE would need a first column of 16 MiB or more; the tests send none. */
#include "nbe_proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NO_BACKSLASH_ESCAPES 0x0200u
#define MORE_RESULTS 0x0008u

enum { HANDSHAKE, IDLE, RESPONSE, COLUMNS, ROWS };

struct nbe_proxy {
    int listen_fd;
    int wake[2]; /* a pipe: stop */
    struct sockaddr_in server;
    pthread_t thread;
    atomic_size_t cleared;
};

typedef struct {
    unsigned char *data;
    size_t len, cap;
} buffer;

static int append(buffer *b, const void *p, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        while (cap < b->len + n) cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static void consume(buffer *b, size_t n) {
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Skip a length-encoded integer at p[*i]; its value. */
static uint64_t lenenc(const unsigned char *p, size_t n, size_t *i) {
    if (*i >= n) return 0;
    unsigned char c = p[(*i)++];
    size_t bytes = c < 0xfb ? 0 : c == 0xfc ? 2 : c == 0xfd ? 3 : c == 0xfe ? 8 : 0;
    if (c < 0xfb) return c;
    uint64_t v = 0;
    for (size_t k = 0; k < bytes && *i < n; k++) v |= (uint64_t)p[(*i)++] << (8 * k);
    return v;
}

typedef struct {
    nbe_proxy *proxy;
    int state;
    uint64_t columns_left;
    int deprecate_eof;  /* CLIENT_DEPRECATE_EOF negotiated: no EOF after the columns */
    int middle_eof_due; /* a classic EOF between columns and rows is next */
} parser;

/* Clear the bit in the status flags at payload[at..at+2); the status. */
static unsigned clear_status(parser *ps, unsigned char *payload, size_t n, size_t at) {
    if (at + 2 > n) return 0;
    unsigned status = payload[at] | (unsigned)payload[at + 1] << 8;
    if (status & NO_BACKSLASH_ESCAPES) {
        status &= ~NO_BACKSLASH_ESCAPES;
        payload[at] = (unsigned char)(status & 0xff);
        payload[at + 1] = (unsigned char)(status >> 8);
        atomic_fetch_add(&ps->proxy->cleared, 1);
    }
    return status;
}

/* An OK packet (0x00, or the 0xFE that ends a result set when EOF is deprecated): header,
 * affected rows, insert id, status. */
static unsigned ok_packet(parser *ps, unsigned char *payload, size_t n) {
    size_t i = 1;
    lenenc(payload, n, &i);
    lenenc(payload, n, &i);
    return clear_status(ps, payload, n, i);
}

/* What follows a packet that ends a response. */
static int after_final(unsigned status) { return status & MORE_RESULTS ? RESPONSE : IDLE; }

static void server_packet(parser *ps, unsigned char *payload, size_t n) {
    if (n == 0) return;
    unsigned char first = payload[0];
    switch (ps->state) {
    case HANDSHAKE:
        if (first == 0x00) { /* the login OK (0x01 more data, 0xFE switch pass through) */
            ok_packet(ps, payload, n);
            ps->state = IDLE;
        }
        return;
    case IDLE:
        return;
    case RESPONSE:
        if (first == 0x00) {
            ps->state = after_final(ok_packet(ps, payload, n));
        } else if (first == 0xff || first == 0xfb) {
            ps->state = IDLE;
        } else {
            size_t i = 0;
            ps->columns_left = lenenc(payload, n, &i);
            ps->state = COLUMNS;
            ps->middle_eof_due = !ps->deprecate_eof;
        }
        return;
    case COLUMNS:
        if (--ps->columns_left == 0) ps->state = ROWS;
        return;
    case ROWS:
        if (first == 0xff) {
            ps->state = IDLE;
        } else if (first == 0xfe && !ps->deprecate_eof && n < 9) {
            unsigned status = clear_status(ps, payload, n, 3); /* 0xFE, warnings, status */
            if (ps->middle_eof_due) ps->middle_eof_due = 0;
            else ps->state = after_final(status);
        } else if (first == 0xfe && ps->deprecate_eof) {
            ps->state = after_final(ok_packet(ps, payload, n));
        }
        return;
    }
}

/* Relay one connection until either side closes or the proxy stops. */
static void relay(nbe_proxy *p, int client) {
    int server = socket(AF_INET, SOCK_STREAM, 0);
    if (server < 0 || connect(server, (struct sockaddr *)&p->server, sizeof p->server) < 0) {
        if (server >= 0) close(server);
        return;
    }
    parser ps = {p, HANDSHAKE, 0, 0, 0};
    buffer from_server = {0}, from_client = {0};
    unsigned char chunk[16384]; /* small: memcheck runs with --max-stackframe=32768 */
    for (;;) {
        struct pollfd f[3] = {{client, POLLIN, 0}, {server, POLLIN, 0}, {p->wake[0], POLLIN, 0}};
        if (poll(f, 3, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (f[2].revents) break;
        if (f[0].revents) {
            ssize_t r = recv(client, chunk, sizeof chunk, 0);
            if (r <= 0) break;
            if (append(&from_client, chunk, (size_t)r) < 0) break;
            /* whole packets only, to see where a command (sequence 0) starts */
            while (from_client.len >= 4) {
                unsigned char *h = from_client.data;
                size_t n = h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16;
                if (from_client.len < 4 + n) break;
                if (ps.state == HANDSHAKE && h[3] == 1 && n >= 4) {
                    /* the handshake response: the client's capabilities (CLIENT_DEPRECATE_EOF
                     * is bit 24 and only set when the server offered it) */
                    uint32_t caps = h[4] | (uint32_t)h[5] << 8 | (uint32_t)h[6] << 16 |
                                    (uint32_t)h[7] << 24;
                    ps.deprecate_eof = (caps >> 24) & 1;
                }
                if (h[3] == 0 && ps.state != HANDSHAKE) ps.state = RESPONSE;
                if (write_all(server, h, 4 + n) < 0) goto done;
                consume(&from_client, 4 + n);
            }
        }
        if (f[1].revents) {
            ssize_t r = recv(server, chunk, sizeof chunk, 0);
            if (r <= 0) break;
            if (append(&from_server, chunk, (size_t)r) < 0) break;
            while (from_server.len >= 4) {
                unsigned char *h = from_server.data;
                size_t n = h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16;
                if (from_server.len < 4 + n) break;
                server_packet(&ps, h + 4, n);
                if (write_all(client, h, 4 + n) < 0) goto done;
                consume(&from_server, 4 + n);
            }
        }
    }
done:
    free(from_server.data);
    free(from_client.data);
    close(server);
}

static void *run(void *arg) {
    nbe_proxy *p = arg;
    for (;;) {
        struct pollfd f[2] = {{p->listen_fd, POLLIN, 0}, {p->wake[0], POLLIN, 0}};
        if (poll(f, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (f[1].revents) break;
        int client = accept(p->listen_fd, NULL, NULL);
        if (client < 0) continue;
        relay(p, client);
        close(client);
    }
    return NULL;
}

nbe_proxy *nbe_proxy_start(const char *server_host, int server_port) {
    nbe_proxy *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    atomic_init(&p->cleared, 0);
    p->server.sin_family = AF_INET;
    p->server.sin_port = htons((uint16_t)server_port);
    if (inet_pton(AF_INET, server_host, &p->server.sin_addr) != 1) goto fail;
    p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (p->listen_fd < 0) goto fail;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(p->listen_fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(p->listen_fd, 4) < 0)
        goto fail_socket;
    if (pipe(p->wake) < 0) goto fail_socket;
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        close(p->wake[0]);
        close(p->wake[1]);
        goto fail_socket;
    }
    return p;
fail_socket:
    close(p->listen_fd);
fail:
    free(p);
    return NULL;
}

int nbe_proxy_port(const nbe_proxy *p) {
    struct sockaddr_in a;
    socklen_t n = sizeof a;
    if (getsockname(p->listen_fd, (struct sockaddr *)&a, &n) < 0) return -1;
    return ntohs(a.sin_port);
}

size_t nbe_proxy_cleared(nbe_proxy *p) { return atomic_load(&p->cleared); }

void nbe_proxy_stop(nbe_proxy *p) {
    if (!p) return;
    ssize_t w;
    do {
        w = write(p->wake[1], "x", 1);
    } while (w < 0 && errno == EINTR);
    pthread_join(p->thread, NULL);
    close(p->wake[0]);
    close(p->wake[1]);
    close(p->listen_fd);
    free(p);
}
