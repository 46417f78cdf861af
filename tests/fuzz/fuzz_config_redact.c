/* tests/fuzz/fuzz_config_redact.c — URL parsing (mo_config_from_url) and secret redaction
 * (mo_redact_secrets, the error messages).
 *
 * A URL is built from fuzz pieces around a password (in the userinfo or as ?password=), and
 * texts are built around a password in the places the redactor knows (IDENTIFIED BY '..',
 * scheme://user:pw@host, CREDENTIALS={'aws_secret_access_key'='..'}, PASSWORD '..'). Parsing
 * and redaction never crash, and the password — as given, percent-decoded, or as the hex of
 * a hex-form literal — never appears in the error message, the redacted text, or an error
 * message that quotes the URL. The raw input is also redacted as it is (no crash, no read out
 * of bounds). A password of fewer than 4 bytes, or one that the text holds elsewhere too, is
 * not checked (it would be found by chance). */
#include "fuzz_common.h"
#include "internal.h"

#define MIN_SECRET 4

/* Bytes mapped into a character set (the pieces around a secret stay plain text). */
static void mapped(mo_buf *b, const uint8_t *p, size_t n, const char *set) {
    size_t k = strlen(set);
    for (size_t i = 0; i < n; i++) mo_buf_append_char(b, set[p[i] % k]);
}

static char *hex_of(const char *s, size_t n) {
    static const char digits[] = "0123456789ABCDEF";
    char *h = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) h[2 * i] = digits[(unsigned char)s[i] >> 4], h[2 * i + 1] = digits[s[i] & 15];
    h[2 * n] = '\0';
    return h;
}

/* The forms of the secret that must not show in `out`; skipped when `without` (the same
 * text built with an empty secret) holds one of them. */
static void check_hidden(const char *what, const char *secret, size_t sn, const char *without,
                         size_t wn, const char *out, size_t on) {
    if (sn < MIN_SECRET) return;
    char *hex = hex_of(secret, sn);
    const char *forms[] = {secret, hex};
    size_t lens[] = {sn, 2 * sn};
    for (int f = 0; f < 2; f++) {
        if (fuzz_memmem(without, wn, forms[f], lens[f])) continue;
        if (fuzz_memmem(out, on, forms[f], lens[f])) {
            fuzz_dump("secret", secret, sn);
            fuzz_ctx_b = out, fuzz_ctx_b_len = on;
            FUZZ_FINDING("%s shows the secret (%s)", what, f ? "as hex" : "as it is");
        }
    }
    free(hex);
}

/* The error message of `st` must not show the secret. */
static void check_error(const char *what, const char *secret, size_t sn, const char *without, size_t wn) {
    const char *m = mo_error_message(mo_error_last());
    /* A secret of letters and punctuation only may be words of the message itself ("user
     * must not be...", "sword," of "password, database"). */
    int word = 1;
    for (size_t i = 0; i < sn; i++)
        word &= lx_alpha((unsigned char)secret[i]) || (secret[i] && strchr(" _',.()@/?-", secret[i]));
    if (word) return;
    check_hidden(what, secret, sn, without, wn, m, strlen(m));
}

static int hexval(char c) { return lx_hex_digit(c); }

/* Percent-decode (the parser's job, done here independently). */
static size_t percent_decode(const char *s, size_t n, char *out) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 0 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    return o;
}

static void fuzz_url(fuzz_in *in) {
    uint8_t mode = fuzz_u8(in);
    size_t scheme_n, user_n, pw_n, host_n, tail_n;
    const uint8_t *scheme = fuzz_piece(in, &scheme_n), *user = fuzz_piece(in, &user_n),
                  *pw = fuzz_piece(in, &pw_n), *host = fuzz_piece(in, &host_n),
                  *tail = fuzz_piece(in, &tail_n);
    static const char *const schemes[] = {"mysql", "matrixone", "mariadb", "mo"};
    mo_buf url, without;
    mo_buf_init(&url);
    mo_buf_init(&without);
    mo_buf *bufs[2] = {&url, &without};
    for (int k = 0; k < 2; k++) {
        mo_buf *b = bufs[k];
        if (mode & 4) mo_buf_append(b, scheme, scheme_n);
        else mo_buf_append_str(b, schemes[(mode >> 4) & 3]);
        mo_buf_append_str(b, "://");
        mo_buf_append(b, user, user_n);
        if (!(mode & 1)) {
            mo_buf_append_char(b, ':');
            if (k == 0) mo_buf_append(b, pw, pw_n);
        }
        mo_buf_append_char(b, '@');
        mo_buf_append(b, host, host_n);
        mo_buf_append(b, tail, tail_n);
        if (mode & 1) {
            mo_buf_append_str(b, (mode & 2) ? "?x=1&password=" : "?password=");
            if (k == 0) mo_buf_append(b, pw, pw_n);
        }
    }
    const char *u = mo_buf_cstr(&url), *w = mo_buf_cstr(&without);
    size_t un = strlen(u), wn = strlen(w); /* a NUL in the pieces ends the C string */
    fuzz_ctx_a = u, fuzz_ctx_a_len = un, fuzz_ctx_a_label = "url";
    char *decoded = malloc(pw_n + 1);
    size_t dn = percent_decode((const char *)pw, pw_n, decoded);
    mo_config *cfg = NULL;
    mo_status st = mo_config_from_url(&cfg, u);
    if (st < 0) {
        if (cfg) FUZZ_FINDING("a failed parse handed out a config");
        if (st != MO_E_INVALID_ARGUMENT && st != MO_E_RESOURCE)
            FUZZ_FINDING("parse failed with %d, not INVALID_ARGUMENT", st);
        check_error("the URL error message", (const char *)pw, pw_n, w, wn);
        check_error("the URL error message", decoded, dn, w, wn);
    } else {
        if (!cfg) FUZZ_FINDING("parse succeeded without a config");
        /* Only when the config's password is the piece as written (no escapes, and not cut
         * elsewhere by '&', '/', '@'...) is that piece known to be the password. */
        int is_password = cfg->password && strlen(cfg->password) == pw_n &&
                          memcmp(cfg->password, pw, pw_n) == 0;
        mo_config_free(cfg);
        /* An error message that quotes a URL that parses (as a connect failure might) is
         * redacted. */
        mo_error_set(MO_E_CONNECT, "fuzz.config", "cannot connect to %s", u);
        /* Free text does not say where a URL ends: the redactor ends it at a blank or a
         * quote (log.c), so a user or password holding one is not checked. */
        int blank = !is_password;
        for (size_t i = 0; i < pw_n; i++) blank |= lx_space(pw[i]) || strchr("'\"`\\", pw[i]);
        for (size_t i = 0; i < user_n; i++) blank |= lx_space(user[i]) || strchr("'\"`\\", user[i]);
        if (!blank) check_error("an error quoting the URL", (const char *)pw, pw_n, w, wn);
    }
    free(decoded);
    mo_buf_free(&url);
    mo_buf_free(&without);
}

/* A secret literal in one of the forms mocore writes. */
static void literal(mo_buf *b, const char *s, size_t n, int form) {
#ifdef MO_SQL_AMBIGUOUS
    mo_sql_append_string_literal(b, s, n, form ? MO_LITERAL_VALUE : MO_LITERAL_QUOTED, NULL);
#else
    mo_sql_append_string_literal(b, s, n, form);
#endif
}

static void fuzz_redact(fuzz_in *in) {
    uint8_t mode = fuzz_u8(in);
    size_t pre_n, post_n, pw_n;
    const uint8_t *pre = fuzz_piece(in, &pre_n), *pw = fuzz_piece(in, &pw_n), *post = fuzz_piece(in, &post_n);
    static const char plain[] = "abcXYZ019 ,()=_.\n";
    static const char uri_safe[] = "abcXYZ019-._~!$&*+,;=%";
    const char *secret = (const char *)pw;
    size_t sn = pw_n;
    mo_buf text, without, out;
    mo_buf_init(&text);
    mo_buf_init(&without);
    mo_buf_init(&out);
    mo_buf uri_pw;
    mo_buf_init(&uri_pw);
    int shape = mode % 5;
    if (shape == 1) { /* the URI form takes the secret as URI text */
        mapped(&uri_pw, pw, pw_n, uri_safe);
        secret = mo_buf_cstr(&uri_pw);
        sn = uri_pw.len;
    }
    mo_buf *bufs[2] = {&text, &without};
    for (int k = 0; k < 2; k++) {
        mo_buf *b = bufs[k];
        const char *s = k == 0 ? secret : "";
        size_t n = k == 0 ? sn : 0;
        mapped(b, pre, pre_n, plain);
        switch (shape) {
        case 0: mo_buf_append_str(b, " CREATE USER u IDENTIFIED BY "); literal(b, s, n, (mode >> 3) & 1); break;
        case 1: mo_buf_append_str(b, " mysql://root:"); mo_buf_append(b, s, n); mo_buf_append_str(b, "@db:3306/x "); break;
        case 2:
            mo_buf_append_str(b, " CREDENTIALS={'AWS_KEY_ID'='id','AWS_SECRET_ACCESS_KEY'=");
            literal(b, s, n, (mode >> 3) & 1);
            mo_buf_append_str(b, "} ");
            break;
        case 3: mo_buf_append_str(b, " ALTER USER u PASSWORD "); literal(b, s, n, (mode >> 3) & 1); break;
        default: mo_buf_append_str(b, " SET PASSWORD = "); literal(b, s, n, (mode >> 3) & 1); break;
        }
        mapped(b, post, post_n, plain);
    }
    fuzz_ctx_a = text.data, fuzz_ctx_a_len = text.len, fuzz_ctx_a_label = "text";
    mo_redact_secrets(&out, text.data, text.len);
    check_hidden("the redacted text", secret, sn, without.data, without.len, out.data, out.len);
    mo_error_set(MO_E_SERVER, "fuzz.redact", "statement failed: %s", mo_buf_cstr(&text));
    check_error("an error message quoting the statement", secret, sn, without.data, without.len);
    mo_buf_free(&uri_pw);
    mo_buf_free(&text);
    mo_buf_free(&without);
    mo_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* The raw bytes as text to redact: no crash, no read past the end. */
    mo_buf raw;
    mo_buf_init(&raw);
    mo_redact_secrets(&raw, (const char *)data, size);
    mo_buf_free(&raw);

    fuzz_in in = {data, size};
    if (fuzz_u8(&in) & 1) fuzz_url(&in);
    else fuzz_redact(&in);
    fuzz_ctx_a = fuzz_ctx_b = NULL;
    return 0;
}
