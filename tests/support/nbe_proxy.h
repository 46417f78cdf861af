/* tests/support/nbe_proxy.h — a loopback relay between a client and a real MariaDB that
 * clears one bit: SERVER_STATUS_NO_BACKSLASH_ESCAPES (0x200) in the status flags of the
 * server's OK and EOF packets. Everything else passes unchanged, in both directions, so the
 * server really runs with NO_BACKSLASH_ESCAPES while the client is never told — what
 * MatrixOne does. It never makes up a result.
 *
 * One relay thread serves the connections accepted on its port, one at a time. */
#ifndef MOCORE_NBE_PROXY_H
#define MOCORE_NBE_PROXY_H
#include <stddef.h>

typedef struct nbe_proxy nbe_proxy;

/* Listen on 127.0.0.1 (a free port) and relay to server_host:server_port. NULL on failure. */
nbe_proxy *nbe_proxy_start(const char *server_host, int server_port);
/* The port clients connect to. */
int nbe_proxy_port(const nbe_proxy *p);
/* How many status flags had the bit set and were cleared so far. */
size_t nbe_proxy_cleared(nbe_proxy *p);
/* Stop relaying, close every socket and free. NULL is a no-op. */
void nbe_proxy_stop(nbe_proxy *p);

#endif
