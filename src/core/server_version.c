/* src/core/server_version.c — what kind of server a version string names, and its version.
 *
 * MatrixOne strings follow the SDK's VersionManager._parse_matrixone_version exactly
 * (reference §8), including the strings it refuses: a client must not guess a MatrixOne
 * release from the MySQL-compatibility prefix ("8.0.30-MatrixOne" is not MatrixOne 8.0.30).
 * The SDK only knows MatrixOne; MySQL and MariaDB strings are recognised here so that one
 * parser serves every server kind. */
#include <string.h>
#include "internal.h"

#define OPERATION "version.parse"

typedef struct {
    unsigned v[3];
} triple;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* One run of decimal digits at *p (at least one). Refuses values that overflow unsigned. */
static int parse_number(const char **p, const char *end, unsigned *out) {
    const char *s = *p;
    unsigned v = 0;
    if (s == end || !is_digit(*s)) return 0;
    while (s < end && is_digit(*s)) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (0xFFFFFFFFu - d) / 10u) return 0;
        v = v * 10u + d;
        s++;
    }
    *out = v;
    *p = s;
    return 1;
}

/* \d+\.\d+\.\d+ at *p; on success *p is just past it. Digit runs are greedy, as in the
 * SDK's regular expressions (no backtracking can change a match of this pattern). */
static int parse_triple(const char **p, const char *end, triple *t) {
    const char *s = *p;
    if (!parse_number(&s, end, &t->v[0])) return 0;
    if (s == end || *s != '.') return 0;
    s++;
    if (!parse_number(&s, end, &t->v[1])) return 0;
    if (s == end || *s != '.') return 0;
    s++;
    if (!parse_number(&s, end, &t->v[2])) return 0;
    *p = s;
    return 1;
}

/* re.search(r"\d+\.\d+\.\d+"): the leftmost position where the pattern matches. */
static int search_triple(const char *s, const char *end, triple *t) {
    for (const char *p = s; p < end; p++) {
        const char *q = p;
        if (parse_triple(&q, end, t)) return 1;
    }
    return 0;
}

static int starts_with(const char *s, const char *end, const char *prefix) {
    size_t n = strlen(prefix);
    return (size_t)(end - s) >= n && memcmp(s, prefix, n) == 0;
}

/* Case-insensitive substring test (ASCII). */
static int contains_ci(const char *s, const char *end, const char *needle) {
    size_t n = strlen(needle);
    for (const char *p = s; (size_t)(end - p) >= n; p++) {
        size_t i = 0;
        while (i < n) {
            char a = p[i], b = needle[i];
            if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
            if (a != b) break;
            i++;
        }
        if (i == n) return 1;
    }
    return 0;
}

/* The MatrixOne forms anchored on "X.Y.Z-MatrixOne-v": 1 when s is one of them (t set). */
static int parse_matrixone_suffix(const char *s, const char *end, triple *t) {
    static const char marker[] = "-MatrixOne-v";
    const char *p = s;
    triple compat;
    if (!parse_triple(&p, end, &compat)) return 0;
    if (!starts_with(p, end, marker)) return 0;
    p += sizeof marker - 1;

    if (p == end) { /* "X.Y.Z-MatrixOne-v": a development build, newer than any release */
        t->v[0] = 999;
        t->v[1] = 0;
        t->v[2] = 0;
        return 1;
    }
    const char *q = p;
    if (parse_triple(&q, end, t) && q == end) return 1; /* "-vA.B.C" */
    q = p;
    if (!parse_number(&q, end, &t->v[0])) return 0;
    if (q == end || *q != '.') return 0;
    q++;
    if (!parse_number(&q, end, &t->v[1]) || q != end) return 0;
    t->v[2] = 99999; /* "-vA.B": the SDK ranks it above every A.B.x patch release */
    return 1;
}

static int parse(const char *s, const char *end, mo_server_kind *kind, triple *t) {
    const char *p;

    /* 1. The SDK's rules, in its order. */
    if (parse_matrixone_suffix(s, end, t)) {
        *kind = MO_SERVER_MATRIXONE;
        return 1;
    }
    if (starts_with(s, end, "MatrixOne ") || starts_with(s, end, "Version ")) {
        *kind = MO_SERVER_MATRIXONE;
        return search_triple(s, end, t);
    }
    p = s;
    if (parse_triple(&p, end, t) && p == end) {
        /* A bare "A.B.C" is what MatrixOne's git_version() fallback returns; the SDK reads it
         * as a MatrixOne release. MySQL and MariaDB always append a suffix in practice
         * ("-log", "-0ubuntu...", "-MariaDB"), but a bare MySQL build is read as MatrixOne. */
        *kind = MO_SERVER_MATRIXONE;
        return 1;
    }
    /* Everything else that mentions MatrixOne is a form the SDK refuses ("8.0.30-MatrixOne",
     * "8.0.30-MatrixOne-v-"); falling through to the MySQL rule would misreport it. */
    if (contains_ci(s, end, "matrixone")) return 0;

    /* 2. MariaDB and MySQL, which the SDK does not parse. */
    if (contains_ci(s, end, "mariadb")) {
        *kind = MO_SERVER_MARIADB;
        /* Older MariaDB servers prefix "5.5.5-" so that MySQL 5.x replication slaves accept
         * them: "5.5.5-10.11.6-MariaDB-1:10.11.6+maria~ubu2204" is MariaDB 10.11.6. */
        p = s;
        if (starts_with(s, end, "5.5.5-")) {
            const char *q = s + 6;
            if (parse_triple(&q, end, t)) return 1;
        }
        return parse_triple(&p, end, t);
    }
    p = s;
    if (parse_triple(&p, end, t)) { /* "8.0.36-0ubuntu0.22.04.1", "8.0.36-log", ... */
        *kind = MO_SERVER_MYSQL;
        return 1;
    }
    return 0;
}

mo_status mo_server_version_parse(const char *version, mo_server_kind *kind, unsigned *major,
                                  unsigned *minor, unsigned *patch) {
    if (!version)
        return mo_error_set(MO_E_INVALID_ARGUMENT, OPERATION, "version string is NULL");

    /* The SDK strips surrounding whitespace before matching. */
    const char *s = version, *end = version + strlen(version);
    while (s < end && is_space(*s)) s++;
    while (end > s && is_space(end[-1])) end--;

    mo_server_kind k = MO_SERVER_AUTO;
    triple t = {{0, 0, 0}};
    if (!parse(s, end, &k, &t))
        return mo_error_set(MO_E_INVALID_ARGUMENT, OPERATION, "unparsable server version '%.200s'",
                            version);
    if (kind) *kind = k;
    if (major) *major = t.v[0];
    if (minor) *minor = t.v[1];
    if (patch) *patch = t.v[2];
    return MO_OK;
}
