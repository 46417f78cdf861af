/* tests/unit/test_transaction_retry_pause.c — mo_transaction_retry_pause_ms: the random pause
 * before a retried transaction stays within its doubling cap, is random, and differs between a
 * forked child and its parent. (mo_client_transaction waiting it between real deadlocks:
 * tests/integration/test_transactions.c.) */
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test_support.h"

static unsigned cap_of(unsigned attempt) { return attempt >= 7 ? 500 : 5u << attempt; }

static void the_first_run_does_not_wait(void **state) {
    (void)state;
    for (int i = 0; i < 100; i++) assert_int_equal(mo_transaction_retry_pause_ms(0), 0);
}

/* 2000 draws per attempt: each within [0, cap], and spread over the range (a draw in the lowest
 * and in the highest quarter; for 2000 uniform draws, missing one has odds below 1e-200). */
static void each_pause_is_spread_over_its_doubling_cap(void **state) {
    (void)state;
    const unsigned attempts[] = { 1, 2, 3, 4, 5, 6, 7, 8, 30, 31, 32, 1000, UINT_MAX };
    for (size_t a = 0; a < sizeof attempts / sizeof *attempts; a++) {
        unsigned cap = cap_of(attempts[a]), low = 0, high = 0;
        for (int i = 0; i < 2000; i++) {
            unsigned ms = mo_transaction_retry_pause_ms(attempts[a]);
            if (ms > cap) fail_msg("attempt %u: %u ms above the cap %u", attempts[a], ms, cap);
            low += ms <= cap / 4;
            high += ms >= cap - cap / 4;
        }
        if (!low || !high) fail_msg("attempt %u: draws not spread (%u low, %u high)", attempts[a], low, high);
    }
    assert_int_equal(cap_of(1), 10);
    assert_int_equal(cap_of(6), 320);
}

/* A generator seeded once and copied by fork() would give the child the parent's next pauses:
 * two forked workers that deadlocked would retry in lockstep again. */
static void a_forked_child_draws_its_own_pauses(void **state) {
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    (void)mo_transaction_retry_pause_ms(7); /* any state a generator keeps exists before fork */
    pid_t pid = fork();
    assert_true(pid >= 0);
    unsigned mine[16];
    for (int i = 0; i < 16; i++) mine[i] = mo_transaction_retry_pause_ms(7);
    if (pid == 0) {
        ssize_t n = write(fds[1], mine, sizeof mine);
        _exit(n == (ssize_t)sizeof mine ? 0 : 1);
    }
    unsigned childs[16];
    size_t got = 0;
    while (got < sizeof childs) {
        ssize_t n = read(fds[0], (char *)childs + got, sizeof childs - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(fds[0]);
    close(fds[1]);
    /* 16 draws of 501 values each agreeing by chance: odds of 501^-16 */
    assert_memory_not_equal(mine, childs, sizeof mine);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_run_does_not_wait),
        cmocka_unit_test(each_pause_is_spread_over_its_doubling_cap),
        cmocka_unit_test(a_forked_child_draws_its_own_pauses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
