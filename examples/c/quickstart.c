/* examples/c/quickstart.c — connect, write in a transaction, read back, handle an error.
 *
 *   quickstart mysql://user:password@127.0.0.1:3306/database
 *   MOCORE_URL=matrixone://root:111@127.0.0.1:6001/test quickstart
 *
 * Build: part of the mocore CMake build (target `quickstart`); scripts/demo.sh runs it against
 * a throwaway MariaDB. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mocore.h>

/* Print the last error and say which step failed. */
static void report(mo_status st, const char *step) {
    const mo_error *e = mo_error_last();
    fprintf(stderr, "quickstart: %s failed: %s", step, mo_error_category_name(st));
    if (mo_error_server_code(e) != 0)
        fprintf(stderr, " (error %d, SQLSTATE %s)", mo_error_server_code(e),
                mo_error_sqlstate(e));
    fprintf(stderr, ": %s\n", mo_error_message(e));
}

static const char *server_kind_name(mo_server_kind kind) {
    switch (kind) {
    case MO_SERVER_MATRIXONE: return "MatrixOne";
    case MO_SERVER_MYSQL: return "MySQL";
    case MO_SERVER_MARIADB: return "MariaDB";
    default: return "unknown";
    }
}

/* Run a statement without parameters and discard its result. */
static mo_status run(mo_client *client, const char *sql) {
    mo_result *res = NULL;
    mo_status st = mo_client_execute(&res, client, sql, strlen(sql), NULL);
    mo_result_free(res);
    return st;
}

struct product {
    int64_t id;
    const char *name;
    const char *price; /* DECIMAL values travel as text: exact, no binary rounding */
};

static const struct product products[] = {
    {1, "espresso", "2.50"},
    {2, "flat white", "3.80"},
    {3, "caf\xc3\xa9 cr\xc3\xa8me", "4.15"}, /* UTF-8 is fine: the connection is utf8mb4 */
};

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : getenv("MOCORE_URL");
    if (!url || !*url) {
        fprintf(stderr, "usage: %s URL   (or set MOCORE_URL)\n"
                        "  e.g. %s mysql://user:password@127.0.0.1:3306/test\n",
                argv[0], argv[0]);
        return 2;
    }

    int exit_code = 1;
    mo_config *cfg = NULL;
    mo_client *client = NULL;
    mo_session *session = NULL;
    mo_params *params = NULL;
    mo_result *res = NULL;
    mo_status st;
    const char *sql;
    unsigned major = 0, minor = 0, patch = 0;

    /* 1. Connect. The URL's password never appears in error messages or logs. */
    if ((st = mo_config_from_url(&cfg, url)) < 0) { report(st, "parsing the URL"); goto done; }
    if ((st = mo_client_connect(&client, cfg)) < 0) { report(st, "connecting"); goto done; }
    if (mo_client_version(client, &major, &minor, &patch) < 0) major = minor = patch = 0;
    printf("connected to %s %u.%u.%u (%s)\n", server_kind_name(mo_client_server_kind(client)),
           major, minor, patch, mo_client_server_version(client));

    /* 2. A table for the demo. */
    if ((st = run(client, "DROP TABLE IF EXISTS quickstart_demo")) < 0 ||
        (st = run(client, "CREATE TABLE quickstart_demo (id BIGINT PRIMARY KEY, "
                          "name VARCHAR(64) NOT NULL, price DECIMAL(10,2) NOT NULL)")) < 0) {
        report(st, "creating the table");
        goto done;
    }

    /* 3. Insert three rows with `?` parameters inside one transaction. */
    if ((st = mo_session_open(&session, client)) < 0) { report(st, "opening a session"); goto done; }
    if ((st = mo_params_new(&params)) < 0) { report(st, "mo_params_new"); goto done; }
    sql = "INSERT INTO quickstart_demo (id, name, price) VALUES (?, ?, ?)";
    for (size_t i = 0; i < sizeof products / sizeof products[0]; i++) {
        const struct product *p = &products[i];
        if ((st = mo_params_clear(params)) < 0 ||
            (st = mo_params_add_int64(params, p->id)) < 0 ||
            (st = mo_params_add_text(params, p->name, strlen(p->name))) < 0 ||
            (st = mo_params_add_decimal(params, p->price, strlen(p->price))) < 0) {
            report(st, "binding parameters");
            goto done;
        }
        if ((st = mo_session_execute(&res, session, sql, strlen(sql), params)) < 0) {
            report(st, "inserting a row");
            goto done;
        }
        mo_result_free(res);
        res = NULL;
    }
    if ((st = mo_session_commit(session)) < 0) { report(st, "committing"); goto done; }
    mo_session_close(session);
    session = NULL;
    printf("inserted %zu rows\n", sizeof products / sizeof products[0]);

    /* 4. Read them back: a cursor loop. Strings are borrowed until the next mo_result_next. */
    sql = "SELECT id, name, price FROM quickstart_demo WHERE price > ? ORDER BY id";
    if ((st = mo_params_clear(params)) < 0 || (st = mo_params_add_decimal(params, "0", 1)) < 0) {
        report(st, "binding parameters");
        goto done;
    }
    if ((st = mo_client_execute(&res, client, sql, strlen(sql), params)) < 0) {
        report(st, "querying");
        goto done;
    }
    while ((st = mo_result_next(res)) == MO_ROW) {
        int64_t id;
        const char *name, *price;
        size_t name_len, price_len;
        if ((st = mo_result_get_int64(res, 0, &id)) < 0 ||
            (st = mo_result_get_text(res, 1, &name, &name_len)) < 0 ||
            (st = mo_result_get_text(res, 2, &price, &price_len)) < 0) {
            report(st, "reading a row");
            goto done;
        }
        printf("  %" PRId64 "  %6.*s  %.*s\n", id, (int)price_len, price, (int)name_len, name);
    }
    if (st != MO_DONE) { report(st, "reading the result"); goto done; } /* an error is not the end */
    mo_result_free(res);
    res = NULL;

    /* 5. Errors come with a category (stable, for code) and the server's own number. */
    sql = "INSERT INTO quickstart_demo (id, name, price) VALUES (1, 'duplicate', 0)";
    st = run(client, sql);
    if (st == MO_E_CONSTRAINT) {
        const mo_error *e = mo_error_last();
        printf("duplicate key -> category \"%s\", server error %d (SQLSTATE %s)\n",
               mo_error_category_name(st), mo_error_server_code(e), mo_error_sqlstate(e));
    } else {
        if (st >= 0) fprintf(stderr, "quickstart: the duplicate insert unexpectedly succeeded\n");
        else report(st, "the duplicate insert");
        goto done;
    }

    /* 6. Clean up. */
    if ((st = run(client, "DROP TABLE quickstart_demo")) < 0) { report(st, "dropping the table"); goto done; }
    printf("done\n");
    exit_code = 0;

done:
    mo_result_free(res);
    mo_params_free(params);
    mo_session_close(session); /* rolls back if still open */
    mo_client_close(client);
    mo_config_free(cfg);
    return exit_code;
}
