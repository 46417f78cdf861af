/* src/core/buf.c — the growable byte buffer every SQL and message builder uses.
 *
 * Allocation failure is sticky: once `failed` is set every append is a no-op, so a builder
 * appends without checking and tests mo_buf_ok() once at the end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void mo_buf_init(mo_buf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void mo_buf_free(mo_buf *b) {
    free(b->data);
    mo_buf_init(b);
}

void mo_buf_reset(mo_buf *b) {
    b->len = 0;
    b->failed = 0;
    if (b->data) b->data[0] = '\0';
}

/* Make room for `extra` more bytes plus the terminating NUL. 0 (and `failed` set) when the
 * memory cannot be had or the size would overflow. */
static int buf_reserve(mo_buf *b, size_t extra) {
    if (b->failed) return 0;
    if (extra > SIZE_MAX - 1 - b->len) {
        b->failed = 1;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return 0;
    }
    b->data = data;
    b->cap = cap;
    return 1;
}

/* The appends test for room first: rendering a statement appends a dozen short pieces, and
 * most fit in the memory the buffer already has. (A buffer without memory has cap == len ==
 * 0 and always takes buf_reserve.) */
void mo_buf_append(mo_buf *b, const void *data, size_t len) {
    if (len == 0 || ((b->failed || len >= b->cap - b->len) && !buf_reserve(b, len))) return;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void mo_buf_append_str(mo_buf *b, const char *s) {
    if (s) mo_buf_append(b, s, strlen(s));
}

void mo_buf_append_char(mo_buf *b, char c) {
    if ((b->failed || b->cap - b->len < 2) && !buf_reserve(b, 1)) return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void mo_buf_vprintf(mo_buf *b, const char *fmt, va_list ap) {
    if (b->failed) return;
    /* Format once into the spare room; only a result that does not fit is formatted again. */
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        mo_buf_append(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n)) return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void mo_buf_printf(mo_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    mo_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

int mo_buf_ok(const mo_buf *b) { return !b->failed; }

const char *mo_buf_cstr(mo_buf *b) {
    if (b->failed || !b->data) return "";
    return b->data;
}

char *mo_buf_detach(mo_buf *b, size_t *len) {
    char *out = NULL;
    if (!b->failed) {
        /* An empty buffer may own no memory yet; the caller still gets a real string. */
        out = b->data ? b->data : calloc(1, 1);
        b->data = NULL;
    }
    if (len) *len = out ? b->len : 0;
    mo_buf_free(b);
    return out;
}

char *mo_strdup(const char *s) { return s ? mo_strndup(s, strlen(s)) : NULL; }

/* Copies exactly n bytes (which may include NUL) and terminates the copy. */
char *mo_strndup(const char *s, size_t n) {
    if (!s || n == SIZE_MAX) return NULL;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}
