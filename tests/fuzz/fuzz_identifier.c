/* tests/fuzz/fuzz_identifier.c — mo_sql_append_identifier, the one identifier-quoting function.
 *
 * The input (up to its first NUL) is a name. Either it is refused with INVALID_ARGUMENT and
 * nothing is written, or the output is exactly one `..` token of the lexer in fuzz_common.h,
 * whatever the escape mode, that decodes back to the name. A short plain ASCII name must be
 * accepted. */
#include "fuzz_common.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *name = fuzz_cstr(data, size);
    size_t len = strlen(name);
    mo_buf b;
    mo_buf_init(&b);
    mo_buf_append_str(&b, "x");   /* the name is appended after text already in the buffer */
    mo_status st = mo_sql_append_identifier(&b, name, "identifier", "fuzz.identifier");
    fuzz_ctx_a = name, fuzz_ctx_a_len = len, fuzz_ctx_a_label = "name";
    fuzz_ctx_b = b.data, fuzz_ctx_b_len = b.len;
    if (st < 0) {
        if (st != MO_E_INVALID_ARGUMENT) FUZZ_FINDING("refused with %d, not INVALID_ARGUMENT", st);
        if (b.len != 1) FUZZ_FINDING("a refused name left %zu bytes in the buffer", b.len - 1);
        int plain = len >= 1 && len <= 64;
        for (size_t i = 0; i < len; i++)
            plain &= lx_alpha((unsigned char)name[i]) || lx_digit((unsigned char)name[i]) || name[i] == '_';
        if (plain) FUZZ_FINDING("a plain name was refused: %s", mo_error_message(mo_error_last()));
    } else {
        const char *out = b.data + 1;
        size_t n = b.len - 1, end;
        for (int nbe = 0; nbe <= 1; nbe++) {
            if (lx_token(out, n, 0, nbe, &end) != TOK_QIDENT || end != n)
                FUZZ_FINDING("the output is not one quoted identifier token (reading %d)", nbe);
            size_t dl;
            char *decoded = lx_unquote(out, 0, n, nbe, &dl);
            if (dl != len || memcmp(decoded, name, len) != 0)
                FUZZ_FINDING("the quoted identifier does not decode to the name");
            free(decoded);
        }
    }
    fuzz_ctx_a = fuzz_ctx_b = NULL;
    mo_buf_free(&b);
    free(name);
    return 0;
}
