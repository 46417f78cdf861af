/* examples/consumer/consumer.c — an external program using an installed mocore.
 * Usage: consumer URL   (e.g. mysql://user:pw@127.0.0.1:3306/db). Prints SELECT 40 + ? with 2. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <mocore.h>

static int fail(const char *what, mo_status st) {
    const mo_error *e = mo_error_last();
    fprintf(stderr, "%s: %s (%d): %s\n", what, mo_error_category_name(st), st, mo_error_message(e));
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    mo_config *cfg = NULL;
    mo_client *client = NULL;
    mo_params *params = NULL;
    mo_result *res = NULL;
    int rc = 1;
    mo_status st;
    const char *sql = "SELECT 40 + ?";
    int64_t v = 0;

    if ((st = mo_config_from_url(&cfg, argv[1])) < 0) { rc = fail("config", st); goto out; }
    if ((st = mo_client_connect(&client, cfg)) < 0) { rc = fail("connect", st); goto out; }
    if ((st = mo_params_new(&params)) < 0 || (st = mo_params_add_int64(params, 2)) < 0) {
        rc = fail("params", st);
        goto out;
    }
    if ((st = mo_client_execute(&res, client, sql, strlen(sql), params)) < 0) {
        rc = fail("execute", st);
        goto out;
    }
    if ((st = mo_result_next(res)) != MO_ROW) { rc = fail("next", st); goto out; }
    if ((st = mo_result_get_int64(res, 0, &v)) < 0) { rc = fail("get_int64", st); goto out; }
    printf("%" PRId64 "\n", v);
    rc = 0;
out:
    mo_result_free(res);
    mo_params_free(params);
    mo_client_close(client);
    mo_config_free(cfg);
    return rc;
}
