/* Sessions and transactions against the real server: visibility, rollback, savepoints,
 * the scoped helper, deadlocks, lock wait timeouts, killed connections and a connection
 * lost after COMMIT was sent. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "test_support.h"

static mo_client *client;

static int setup(void **state) {
    client = mo_test_connect();
    mo_test_exec_ok(client, "DROP TABLE IF EXISTS acct");
    mo_test_exec_ok(client, "CREATE TABLE acct (id INT PRIMARY KEY, balance INT) ENGINE=InnoDB");
    return 0;
}

static int teardown(void **state) {
    mo_test_exec(client, "DROP TABLE IF EXISTS acct");
    mo_client_close(client);
    return 0;
}

static int reset(void **state) {
    mo_test_exec_ok(client, "DELETE FROM acct");
    mo_test_exec_ok(client, "INSERT INTO acct VALUES (1, 100), (2, 100)");
    return 0;
}

static int64_t count_rows(void) { return mo_test_query_int(client, "SELECT COUNT(*) FROM acct"); }

static void commit_makes_writes_visible_to_other_connections(void **state) {
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, client));
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (3, 5)");
    assert_int_equal(count_rows(), 2); /* not yet visible */
    assert_mo_ok(mo_session_commit(s));
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IDLE);
    assert_int_equal(count_rows(), 3);
    /* The next statement begins a new transaction. */
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (4, 5)");
    assert_int_equal(mo_session_get_state(s), MO_SESSION_IN_TRANSACTION);
    assert_mo_ok(mo_session_commit(s));
    assert_int_equal(count_rows(), 4);
    assert_int_equal(mo_session_commit(s), MO_E_MISUSE); /* nothing open */
    mo_session_close(s);
}

static void rollback_discards_writes(void **state) {
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, client));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (3, 5)");
    assert_mo_ok(mo_session_rollback(s));
    assert_int_equal(count_rows(), 2);
    assert_mo_ok(mo_session_rollback(s)); /* rolling back nothing is fine */
    mo_session_close(s);
}

static void closing_without_commit_rolls_back(void **state) {
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, client));
    mo_test_session_exec_ok(s, "UPDATE acct SET balance = 0");
    mo_session_close(s);
    assert_int_equal(mo_test_query_int(client, "SELECT CAST(SUM(balance) AS SIGNED) FROM acct"), 200);
}

static void savepoints_roll_back_part_of_a_transaction(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("MatrixOne has no savepoints; they are refused before sending "
                              "(test_errors_matrixone.c)");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, client));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (3, 1)");
    assert_mo_ok(mo_session_savepoint(s, "before `four`"));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (4, 1)");
    assert_mo_ok(mo_session_rollback_to_savepoint(s, "before `four`"));
    assert_mo_ok(mo_session_savepoint(s, "sp2"));
    assert_mo_ok(mo_session_release_savepoint(s, "sp2"));
    assert_int_equal(mo_session_rollback_to_savepoint(s, "sp2"), MO_E_NOT_FOUND); /* released */
    assert_int_equal(mo_error_server_code(mo_error_last()), 1305);
    assert_int_equal(mo_session_savepoint(s, ""), MO_E_INVALID_ARGUMENT);
    assert_mo_ok(mo_session_commit(s));
    assert_int_equal(count_rows(), 3);
    assert_int_equal(mo_test_query_int(client, "SELECT COUNT(*) FROM acct WHERE id = 4"), 0);
    assert_int_equal(mo_session_savepoint(s, "x"), MO_E_MISUSE); /* no transaction */
    mo_session_close(s);
}

static mo_status transfer_then_fail(mo_session *s, void *userdata) {
    mo_status st = mo_test_session_exec(s, "UPDATE acct SET balance = balance - 50 WHERE id = 1");
    if (st < 0) return st;
    return mo_test_session_exec(s, "INSERT INTO acct VALUES (2, 0)"); /* duplicate key */
}

static mo_status transfer(mo_session *s, void *userdata) {
    mo_status st = mo_test_session_exec(s, "UPDATE acct SET balance = balance - 50 WHERE id = 1");
    if (st < 0) return st;
    return mo_test_session_exec(s, "UPDATE acct SET balance = balance + 50 WHERE id = 2");
}

static void the_scoped_helper_commits_on_success_and_rolls_back_on_error(void **state) {
    assert_int_equal(mo_client_transaction(client, 3, transfer_then_fail, NULL), MO_E_CONSTRAINT);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1062);
    assert_int_equal(mo_test_query_int(client, "SELECT balance FROM acct WHERE id = 1"), 100);
    assert_mo_ok(mo_client_transaction(client, 3, transfer, NULL));
    assert_int_equal(mo_test_query_int(client, "SELECT balance FROM acct WHERE id = 1"), 50);
    assert_int_equal(mo_test_query_int(client, "SELECT balance FROM acct WHERE id = 2"), 150);
    assert_int_equal(mo_client_transaction(client, 0, NULL, NULL), MO_E_INVALID_ARGUMENT);
}

/* ---- deadlocks ---- */

struct locker {
    mo_session *s;
    const char *sql;
    mo_status st;
};

static void *run_locker(void *arg) {
    struct locker *l = arg;
    l->st = mo_test_session_exec(l->s, l->sql);
    return NULL;
}

static void a_real_deadlock_is_retryable_and_rolls_the_transaction_back(void **state) {
    mo_session *a = NULL, *b = NULL;
    assert_mo_ok(mo_session_open(&a, client));
    assert_mo_ok(mo_session_open(&b, client));
    mo_test_session_exec_ok(a, "UPDATE acct SET balance = balance + 1 WHERE id = 1");
    mo_test_session_exec_ok(b, "UPDATE acct SET balance = balance + 1 WHERE id = 2");
    struct locker la = {a, "UPDATE acct SET balance = balance + 1 WHERE id = 2", 0};
    pthread_t t;
    pthread_create(&t, NULL, run_locker, &la);
    usleep(300 * 1000); /* a now waits for b's row */
    mo_status sb = mo_test_session_exec(b, "UPDATE acct SET balance = balance + 1 WHERE id = 1");
    pthread_join(t, NULL);
    /* InnoDB picks exactly one victim; MatrixOne may abort both sides of the cycle. */
    mo_session *side[2] = {a, b};
    mo_status outcome[2] = {la.st, sb};
    int victims = (la.st == MO_E_RETRYABLE) + (sb == MO_E_RETRYABLE);
    if (mo_test_server_is_matrixone()) assert_true(victims >= 1);
    else assert_int_equal(victims, 1);
    for (int k = 0; k < 2; k++) {
        if (outcome[k] != MO_E_RETRYABLE) {
            assert_mo_ok(outcome[k]); /* the survivor's UPDATE went through */
            assert_mo_ok(mo_session_commit(side[k]));
            continue;
        }
        assert_int_equal(mo_session_get_state(side[k]), MO_SESSION_ABORTED);
        assert_int_equal(mo_test_session_exec(side[k], "SELECT 1"), MO_E_MISUSE);
        assert_int_equal(mo_session_commit(side[k]), MO_E_MISUSE);
        assert_mo_ok(mo_session_rollback(side[k]));
        assert_int_equal(mo_session_get_state(side[k]), MO_SESSION_IDLE);
        mo_test_session_exec_ok(side[k], "SELECT 1"); /* usable again */
    }
    mo_session_close(a);
    mo_session_close(b);
    /* Each survivor added 1 to both rows; a victim's updates were rolled back. */
    assert_int_equal(mo_test_query_int(client, "SELECT CAST(SUM(balance) AS SIGNED) FROM acct"),
                     200 + 2 * (2 - victims));
}

struct deadlock_body {
    int attempts;
    mo_status other;
    /* The other side says when it holds row 2 (the body waits for that, not for a time). */
    atomic_int holding;
};

static void signal_holding(struct deadlock_body *d) { atomic_store(&d->holding, 1); }

static void *heavy_conflicting_transaction(void *arg) {
    struct deadlock_body *d = arg;
    mo_session *o = NULL;
    d->other = mo_session_open(&o, client);
    if (d->other < 0) {
        signal_holding(d);
        return NULL;
    }
    /* Much work first, so InnoDB picks the light transaction (the body) as the victim. */
    d->other = mo_test_session_exec(o, mo_test_server_is_matrixone()
                                           ? "INSERT INTO acct SELECT result, 0 FROM generate_series(100, 400) g"
                                           : "INSERT INTO acct SELECT seq, 0 FROM seq_100_to_400");
    if (d->other >= 0) d->other = mo_test_session_exec(o, "UPDATE acct SET balance = balance + 1 WHERE id = 2");
    signal_holding(d); /* (also on failure: the body must not wait forever) */
    usleep(200 * 1000);
    if (d->other >= 0) d->other = mo_test_session_exec(o, "UPDATE acct SET balance = balance + 1 WHERE id = 1");
    if (d->other >= 0) d->other = mo_session_commit(o);
    mo_session_close(o);
    return NULL;
}

static mo_status deadlocking_body(mo_session *s, void *userdata) {
    struct deadlock_body *d = userdata;
    d->attempts++;
    mo_status st = mo_test_session_exec(s, "UPDATE acct SET balance = balance - 1 WHERE id = 1");
    if (st < 0) return st;
    if (d->attempts == 1) {
        pthread_t t;
        pthread_create(&t, NULL, heavy_conflicting_transaction, d);
        while (!atomic_load(&d->holding)) usleep(10 * 1000);
        usleep(100 * 1000); /* the other side holds row 2 and goes on to wait for row 1 */
        st = mo_test_session_exec(s, "UPDATE acct SET balance = balance - 1 WHERE id = 2");
        pthread_detach(t);
        if (st < 0) {
            usleep(300 * 1000); /* let the winner commit before the re-run */
            return st;
        }
        return st;
    }
    return mo_test_session_exec(s, "UPDATE acct SET balance = balance - 1 WHERE id = 2");
}

static void the_scoped_helper_reruns_a_deadlocked_transaction(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("the check needs InnoDB's victim choice (the light transaction); "
                              "MatrixOne picks either side or both, and its retry is checked "
                              "with both sides retrying in test_errors_matrixone.c");
    struct deadlock_body d = {0, 0, 0};
    assert_mo_ok(mo_client_transaction(client, 2, deadlocking_body, &d));
    assert_int_equal(d.attempts, 2);
    usleep(300 * 1000);
    assert_mo_ok(d.other);
    /* Both transactions took effect exactly once. */
    assert_int_equal(mo_test_query_int(client, "SELECT balance FROM acct WHERE id = 1"), 100);
    assert_int_equal(mo_test_query_int(client, "SELECT balance FROM acct WHERE id = 2"), 100);
    assert_int_equal(count_rows(), 2 + 301);
}

/* MatrixOne has lock_wait_timeout (no innodb_lock_wait_timeout), and a SET inside a
 * transaction commits it there (mocore refuses SET on a MatrixOne session): set it when the
 * connection is made. */
static mo_status short_lock_wait(mo_executor *ex, void *userdata) {
    (void)userdata;
    static const char sql[] = "SET SESSION lock_wait_timeout = 1";
    mo_result *r = NULL;
    mo_status st = mo_executor_execute(&r, ex, sql, sizeof sql - 1, NULL);
    mo_result_free(r);
    return st;
}

static void a_lock_wait_timeout_is_retryable(void **state) {
    mo_session *holder = NULL, *waiter = NULL;
    mo_client *waiting_client = client;
    if (mo_test_server_is_matrixone()) {
        mo_config *cfg = mo_test_config();
        assert_mo_ok(mo_config_set_connect_hook(cfg, short_lock_wait, NULL));
        assert_mo_ok(mo_client_connect(&waiting_client, cfg));
        mo_config_free(cfg);
    }
    assert_mo_ok(mo_session_open(&holder, client));
    assert_mo_ok(mo_session_open(&waiter, waiting_client));
    mo_test_session_exec_ok(holder, "UPDATE acct SET balance = 0 WHERE id = 1");
    if (!mo_test_server_is_matrixone())
        mo_test_session_exec_ok(waiter, "SET SESSION innodb_lock_wait_timeout = 1");
    mo_test_session_exec_ok(waiter, "UPDATE acct SET balance = 7 WHERE id = 2");
    assert_int_equal(mo_test_session_exec(waiter, "UPDATE acct SET balance = 1 WHERE id = 1"),
                     MO_E_RETRYABLE);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1205);
    assert_int_equal(mo_session_get_state(waiter), MO_SESSION_ABORTED);
    mo_session_close(holder);
    /* The whole transaction was rolled back, not only the statement. */
    assert_mo_ok(mo_session_begin(waiter));
    mo_result *r = NULL;
    assert_mo_ok(mo_session_execute(&r, waiter, "SELECT balance FROM acct WHERE id = 2", 37, NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t v;
    assert_mo_ok(mo_result_get_int64(r, 0, &v));
    assert_int_equal(v, 100);
    mo_result_free(r);
    mo_session_close(waiter);
    if (waiting_client != client) mo_client_close(waiting_client);
}

static void a_killed_connection_poisons_the_session(void **state) {
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, client));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (3, 3)");
    mo_result *r = NULL;
    assert_mo_ok(mo_session_execute(&r, s, "SELECT CONNECTION_ID()", 22, NULL));
    assert_int_equal(mo_result_next(r), MO_ROW);
    int64_t id;
    assert_mo_ok(mo_result_get_int64(r, 0, &id));
    mo_result_free(r);
    char sql[64];
    snprintf(sql, sizeof sql, "KILL CONNECTION %lld", (long long)id);
    mo_test_exec_ok(client, sql);
    usleep(100 * 1000);
    assert_int_equal(mo_test_session_exec(s, "SELECT 1"), MO_E_CONNECTION_LOST);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    /* Later calls fail fast without I/O and never reconnect. */
    assert_int_equal(mo_test_session_exec(s, "SELECT 1"), MO_E_MISUSE);
    assert_int_equal(mo_session_commit(s), MO_E_MISUSE);
    assert_int_equal(mo_session_rollback(s), MO_E_MISUSE);
    mo_session_close(s);
    assert_int_equal(count_rows(), 2); /* the server rolled the transaction back */
}

static void a_statement_killed_by_kill_query_is_interrupted(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("max_statement_time is MariaDB's (KILL QUERY on MatrixOne: "
                              "test_kill_query.c)");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, client));
    mo_test_session_exec_ok(s, "SET SESSION max_statement_time = 0.2");
    assert_int_equal(mo_test_session_exec(s, "SELECT SLEEP(2) FROM acct"), MO_E_INTERRUPTED);
    assert_int_equal(mo_error_server_code(mo_error_last()), 1969);
    mo_test_session_exec_ok(s, "SELECT 1"); /* the session goes on */
    mo_session_close(s);
}

/* ---- a connection lost after COMMIT was sent ---- */

/* A one-connection TCP proxy that forwards COMMIT to the server, waits for the server's
 * answer, and then drops both sockets instead of passing the answer on (or, with `hold`,
 * keeps the client's socket open and silent until the client goes away). */
struct proxy {
    int listen_fd;
    int port;
    int upstream_port;
    int hold;
    pthread_t thread;
};

struct relay {
    int client_fd;
    int upstream_port;
    int hold;
};

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void *relay_main(void *arg) {
    struct relay *rl = arg;
    int client_fd = rl->client_fd;
    int server_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)rl->upstream_port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    /* on the heap: memcheck runs with --max-stackframe=32768 (tests/valgrind) */
    enum { PENDING_MAX = 1 << 16 };
    unsigned char *pending = malloc(PENDING_MAX);
    size_t pending_len = 0;
    if (!pending || connect(server_fd, (struct sockaddr *)&addr, sizeof addr) != 0) goto done;
    for (;;) {
        struct pollfd fds[2] = {{client_fd, POLLIN, 0}, {server_fd, POLLIN, 0}};
        if (poll(fds, 2, 10000) <= 0) goto done;
        unsigned char buf[1 << 14];
        if (fds[1].revents) {
            ssize_t n = read(server_fd, buf, sizeof buf);
            if (n <= 0 || write_all(client_fd, buf, (size_t)n)) goto done;
        }
        if (fds[0].revents) {
            ssize_t n = read(client_fd, pending + pending_len, PENDING_MAX - pending_len);
            if (n <= 0) goto done;
            pending_len += (size_t)n;
            /* Forward whole packets; look at each for COM_QUERY "COMMIT". */
            while (pending_len >= 4) {
                size_t len = pending[0] | (pending[1] << 8) | (pending[2] << 16);
                if (pending_len < 4 + len) break;
                int is_commit = len >= 7 && pending[4] == 0x03 && memcmp(pending + 5, "COMMIT", 6) == 0;
                if (write_all(server_fd, pending, 4 + len)) goto done;
                memmove(pending, pending + 4 + len, pending_len - 4 - len);
                pending_len -= 4 + len;
                if (is_commit) {
                    struct pollfd sp = {server_fd, POLLIN, 0};
                    poll(&sp, 1, 5000);
                    read(server_fd, buf, sizeof buf); /* the server's OK, never delivered */
                    if (rl->hold) {
                        /* Silence: the client waits for an answer until its timeout. */
                        struct pollfd cp = {client_fd, POLLIN, 0};
                        while (poll(&cp, 1, 10000) > 0 && read(client_fd, buf, sizeof buf) > 0) {}
                    }
                    goto done;
                }
            }
        }
    }
done:
    free(pending);
    close(client_fd);
    close(server_fd);
    free(rl);
    return NULL;
}

/* Relay two connections (the client's and its session's), each in its own thread. */
static void *proxy_main(void *arg) {
    struct proxy *px = arg;
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        struct relay *rl = malloc(sizeof *rl);
        rl->client_fd = accept(px->listen_fd, NULL, NULL);
        rl->upstream_port = px->upstream_port;
        rl->hold = px->hold;
        pthread_create(&threads[i], NULL, relay_main, rl);
    }
    for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
    return NULL;
}

static int url_port(const char *url) {
    const char *at = strrchr(url, '@');
    const char *colon = at ? strchr(at, ':') : NULL;
    return colon ? atoi(colon + 1) : 3306;
}

/* A client (or session) through a proxy that never passes COMMIT's answer on. */
static void proxy_start(struct proxy *px, int hold) {
    memset(px, 0, sizeof *px);
    px->hold = hold;
    px->upstream_port = url_port(mo_test_url());
    px->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    assert_int_equal(bind(px->listen_fd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(px->listen_fd, 1), 0);
    socklen_t alen = sizeof addr;
    getsockname(px->listen_fd, (struct sockaddr *)&addr, &alen);
    px->port = ntohs(addr.sin_port);
    pthread_create(&px->thread, NULL, proxy_main, px);
}

static mo_client *proxy_client(const struct proxy *px, const char *read_timeout) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set_host(cfg, "127.0.0.1"));
    assert_mo_ok(mo_config_set_port(cfg, (unsigned)px->port));
    if (read_timeout) assert_mo_ok(mo_config_set(cfg, "read_timeout", read_timeout));
    mo_client *proxied = NULL;
    assert_mo_ok(mo_client_connect(&proxied, cfg));
    mo_config_free(cfg);
    return proxied;
}

static void proxy_stop(struct proxy *px) {
    pthread_join(px->thread, NULL);
    close(px->listen_fd);
}

static void a_connection_lost_after_commit_was_sent_is_outcome_unknown(void **state) {
    struct proxy px;
    proxy_start(&px, 0);
    mo_client *proxied = proxy_client(&px, NULL);
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, proxied));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (9, 9)");
    assert_int_equal(mo_session_commit(s), MO_E_OUTCOME_UNKNOWN);
    assert_int_equal(mo_error_server_code(mo_error_last()), 2013);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    assert_int_equal(mo_session_commit(s), MO_E_MISUSE); /* no reconnect, no second try */
    mo_session_close(s);
    mo_client_close(proxied); /* closes the other relayed connection */
    proxy_stop(&px);
    /* It did commit: reporting "failed" would have been wrong. */
    assert_int_equal(mo_test_query_int(client, "SELECT COUNT(*) FROM acct WHERE id = 9"), 1);
}

/* ---- lost answers: a timeout is OUTCOME_UNKNOWN for what may have committed ---- */

static void a_commit_whose_answer_never_arrives_is_outcome_unknown(void **state) {
    struct proxy px;
    proxy_start(&px, 1);
    mo_client *proxied = proxy_client(&px, "1");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, proxied));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (9, 9)");
    /* The server commits and answers; the answer stays in the proxy: the read times out. */
    assert_int_equal(mo_session_commit(s), MO_E_OUTCOME_UNKNOWN);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "may or may not have taken effect"));
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    mo_session_close(s);
    mo_client_close(proxied);
    proxy_stop(&px);
    assert_int_equal(mo_test_query_int(client, "SELECT COUNT(*) FROM acct WHERE id = 9"), 1);
}

static mo_client *client_with_read_timeout(const char *seconds) {
    mo_config *cfg = mo_test_config();
    assert_mo_ok(mo_config_set(cfg, "read_timeout", seconds));
    mo_client *c = NULL;
    assert_mo_ok(mo_client_connect(&c, cfg));
    mo_config_free(cfg);
    return c;
}

/* A locking read waits for the row lock of the statement still running on the server, so it
 * returns the row as that statement left it once it finished (committed or rolled back). */
static int64_t balance_after_the_server_finished(int id) {
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT balance FROM acct WHERE id = %d FOR UPDATE", id);
    return mo_test_query_int(client, sql);
}

static void an_autocommit_write_cut_by_the_read_timeout_is_outcome_unknown(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("MatrixOne v4.2 cancels a running statement when its connection "
                              "goes away, so the write the check expects never happens");
    mo_client *c = client_with_read_timeout("1");
    const char *sql = "UPDATE acct SET balance = balance + 1 WHERE id = 1 AND SLEEP(3) = 0";
    mo_result *r = NULL;
    assert_int_equal(mo_client_execute(&r, c, sql, strlen(sql), NULL), MO_E_OUTCOME_UNKNOWN);
    assert_null(r);
    assert_string_equal(mo_error_operation(mo_error_last()), "client.execute");
    assert_non_null(strstr(mo_error_message(mo_error_last()), "timeout"));
    /* No reconnect and no second try on that client. */
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE);
    mo_client_close(c);
    /* The server finished the statement and committed it: "timed out" would have lied. */
    assert_int_equal(balance_after_the_server_finished(1), 101);
}

static void a_read_only_statement_cut_by_the_read_timeout_is_a_timeout(void **state) {
    mo_client *c = client_with_read_timeout("1");
    assert_int_equal(mo_test_exec(c, "SELECT SLEEP(3)"), MO_E_TIMEOUT);
    assert_int_equal(mo_test_exec(c, "SELECT 1"), MO_E_MISUSE); /* the connection is given up */
    mo_client_close(c);
}

static void a_session_write_cut_by_the_read_timeout_loses_the_transaction(void **state) {
    mo_client *c = client_with_read_timeout("1");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (9, 9)");
    assert_int_equal(mo_test_session_exec(s, "UPDATE acct SET balance = balance + 1 "
                                             "WHERE id = 1 AND SLEEP(3) = 0"),
                     MO_E_CONNECTION_LOST);
    assert_non_null(strstr(mo_error_message(mo_error_last()), "nothing of it is committed"));
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    assert_int_equal(mo_session_commit(s), MO_E_MISUSE);
    mo_session_close(s);
    mo_client_close(c);
    /* The server rolled the whole transaction back when it saw the connection gone. */
    assert_int_equal(balance_after_the_server_finished(1), 100);
    assert_int_equal(mo_test_query_int(client, "SELECT COUNT(*) FROM acct WHERE id = 9"), 0);
}

static void a_session_ddl_cut_by_the_read_timeout_is_outcome_unknown(void **state) {
    MO_TEST_SKIP_ON_MATRIXONE("MatrixOne v4.2 runs DDL inside the transaction (no implicit "
                              "commit) and cancels it with its connection");
    /* DDL commits the open transaction implicitly, so its lost answer may mean committed. */
    mo_client *c = client_with_read_timeout("1");
    mo_session *s = NULL;
    assert_mo_ok(mo_session_open(&s, c));
    mo_test_session_exec_ok(s, "INSERT INTO acct VALUES (9, 9)");
    assert_int_equal(mo_test_session_exec(s, "CREATE TABLE acct_outcome AS SELECT SLEEP(3) AS x"),
                     MO_E_OUTCOME_UNKNOWN);
    assert_int_equal(mo_session_get_state(s), MO_SESSION_POISONED);
    mo_session_close(s);
    mo_client_close(c);
    /* Waits for the DDL's metadata lock: it did commit, and the INSERT with it. */
    mo_test_exec_ok(client, "DROP TABLE acct_outcome");
    assert_int_equal(mo_test_query_int(client, "SELECT COUNT(*) FROM acct WHERE id = 9"), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(commit_makes_writes_visible_to_other_connections, reset),
        cmocka_unit_test_setup(rollback_discards_writes, reset),
        cmocka_unit_test_setup(closing_without_commit_rolls_back, reset),
        cmocka_unit_test_setup(savepoints_roll_back_part_of_a_transaction, reset),
        cmocka_unit_test_setup(the_scoped_helper_commits_on_success_and_rolls_back_on_error, reset),
        cmocka_unit_test_setup(a_real_deadlock_is_retryable_and_rolls_the_transaction_back, reset),
        cmocka_unit_test_setup(the_scoped_helper_reruns_a_deadlocked_transaction, reset),
        cmocka_unit_test_setup(a_lock_wait_timeout_is_retryable, reset),
        cmocka_unit_test_setup(a_killed_connection_poisons_the_session, reset),
        cmocka_unit_test_setup(a_statement_killed_by_kill_query_is_interrupted, reset),
        cmocka_unit_test_setup(a_connection_lost_after_commit_was_sent_is_outcome_unknown, reset),
        cmocka_unit_test_setup(a_commit_whose_answer_never_arrives_is_outcome_unknown, reset),
        cmocka_unit_test_setup(an_autocommit_write_cut_by_the_read_timeout_is_outcome_unknown, reset),
        cmocka_unit_test_setup(a_read_only_statement_cut_by_the_read_timeout_is_a_timeout, reset),
        cmocka_unit_test_setup(a_session_write_cut_by_the_read_timeout_loses_the_transaction, reset),
        cmocka_unit_test_setup(a_session_ddl_cut_by_the_read_timeout_is_outcome_unknown, reset),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
