/* src/core/local_infile.c — the LOAD DATA LOCAL INFILE policy (see local_infile.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "local_infile.h"

/* MySQL's "The used command is not allowed with this MySQL version" (ER_NOT_ALLOWED_COMMAND),
 * the server's own answer to a LOCAL load it does not permit. A client error number
 * (2xxx) would mark the connection lost, while after a refusal it is perfectly in sync. */
#define MO_LOCAL_INFILE_REFUSED 1148

/* ------------------------------------------------------------------ allowed directories */

mo_status mo_config_add_local_infile_dir(mo_config *cfg, const char *directory) {
    const char *op = "config.add_local_infile_dir";
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, op);
    if (st < 0) return st;
    char *resolved = NULL;
    struct stat sb;
    if (!directory || !*directory) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "directory must be a non-empty path");
    } else if (!(resolved = realpath(directory, NULL))) {
        st = errno == ENOMEM ? mo_error_oom(op)
                             : mo_error_set(MO_E_INVALID_ARGUMENT, op, "directory '%s': %s",
                                            directory, strerror(errno));
    } else if (stat(resolved, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        st = mo_error_set(MO_E_INVALID_ARGUMENT, op, "'%s' is not a directory", directory);
    } else {
        char **dirs = realloc(cfg->local_infile_dirs,
                              (cfg->local_infile_dir_count + 1) * sizeof *dirs);
        if (!dirs) {
            st = mo_error_oom(op);
        } else {
            cfg->local_infile_dirs = dirs;
            dirs[cfg->local_infile_dir_count++] = resolved;
            resolved = NULL;
        }
    }
    free(resolved);
    mo_handle_leave(cfg);
    return st;
}

mo_status mo_config_clear_local_infile_dirs(mo_config *cfg) {
    mo_status st = mo_handle_enter(cfg, MO_HANDLE_CONFIG, "config.clear_local_infile_dirs");
    if (st < 0) return st;
    mo_local_infile_dirs_free(cfg);
    mo_handle_leave(cfg);
    return MO_OK;
}

void mo_local_infile_dirs_free(struct mo_config *cfg) {
    for (size_t i = 0; i < cfg->local_infile_dir_count; i++) free(cfg->local_infile_dirs[i]);
    free(cfg->local_infile_dirs);
    cfg->local_infile_dirs = NULL;
    cfg->local_infile_dir_count = 0;
}

mo_status mo_local_infile_dirs_copy(struct mo_config *dst, const struct mo_config *src) {
    dst->local_infile_dirs = NULL;
    dst->local_infile_dir_count = 0;
    if (!src->local_infile_dir_count) return MO_OK;
    dst->local_infile_dirs = calloc(src->local_infile_dir_count, sizeof *dst->local_infile_dirs);
    if (!dst->local_infile_dirs) return mo_error_oom("config.copy");
    for (size_t i = 0; i < src->local_infile_dir_count; i++) {
        dst->local_infile_dirs[i] = mo_strdup(src->local_infile_dirs[i]);
        dst->local_infile_dir_count++;
        if (!dst->local_infile_dirs[i]) {
            mo_local_infile_dirs_free(dst);
            return mo_error_oom("config.copy");
        }
    }
    return MO_OK;
}

/* ------------------------------------------------------------------ the client-side check */

/* 1 when `path` (resolved) is strictly inside `dir` (resolved). */
static int is_under(const char *path, const char *dir) {
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return path[0] == '/' && path[1] != 0;
    return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1] != 0;
}

mo_status mo_local_infile_check(mo_local_infile_file *file, const struct mo_config *cfg,
                                const char *path, const char *op) {
    memset(file, 0, sizeof *file);
    if (!cfg->local_infile_dir_count)
        return mo_error_set(MO_E_INVALID_ARGUMENT, op,
                            "LOAD DATA LOCAL is not allowed: the client's config lists no "
                            "directory for it (mo_config_add_local_infile_dir)");
    char *resolved = realpath(path, NULL);
    if (!resolved) {
        int e = errno;
        return e == ENOMEM ? mo_error_oom(op)
                           : mo_error_set(MO_E_INVALID_ARGUMENT, op, "local file '%s': %s",
                                          path, strerror(e));
    }
    size_t i = 0;
    while (i < cfg->local_infile_dir_count && !is_under(resolved, cfg->local_infile_dirs[i])) i++;
    if (i == cfg->local_infile_dir_count) {
        mo_status st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                    "local file '%s' (resolved '%s') is not under a directory "
                                    "allowed for LOAD DATA LOCAL", path, resolved);
        free(resolved);
        return st;
    }
    struct stat sb;
    if (stat(resolved, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        mo_status st = mo_error_set(MO_E_INVALID_ARGUMENT, op,
                                    "local file '%s' is not a regular file", path);
        free(resolved);
        return st;
    }
    file->path = resolved;
    file->dev = sb.st_dev;
    file->ino = sb.st_ino;
    file->size = (uint64_t)sb.st_size;
    return MO_OK;
}

void mo_local_infile_file_free(mo_local_infile_file *file) {
    free(file->path);
    memset(file, 0, sizeof *file);
}

/* ------------------------------------------------------------------ the handler */

/* What the current load call on this thread has armed. The handler runs inside
 * mysql_real_query on the calling thread (also in libmariadb's non-blocking mode, whose
 * coroutine is resumed by the same blocking loop), so thread-local state reaches it.
 *
 * The handler only records the bytes sent: it runs inside libmariadb's coroutine, on a small
 * private stack (tens of KiB) where a language callback (Python, Lua) that recurses or
 * allocates deeply overflows it. mo_local_infile_report, called by the connection after every
 * network step (conn.c), tells the progress callback on the caller's own stack. */
typedef struct {
    MYSQL *mysql;
    const mo_local_infile_file *file;
    mo_load_progress progress;
    void *progress_userdata;
    uint64_t bytes_sent;
    uint64_t bytes_reported; /* what the progress callback was last told */
    int served;
    char changed[300];       /* why the load was cut (the file changed size), "" if it was not */
} armed_state;
static _Thread_local armed_state armed;

void mo_local_infile_arm(MYSQL *mysql, const mo_local_infile_file *file,
                         mo_load_progress progress, void *progress_userdata) {
    armed.mysql = mysql;
    armed.file = file;
    armed.progress = progress;
    armed.progress_userdata = progress_userdata;
    armed.bytes_sent = 0;
    armed.bytes_reported = 0;
    armed.served = 0;
    armed.changed[0] = '\0';
}

const char *mo_local_infile_changed(void) { return armed.changed[0] ? armed.changed : NULL; }

void mo_local_infile_report(MYSQL *mysql) {
    if (!mysql || armed.mysql != mysql || !armed.progress || !armed.file ||
        armed.bytes_sent == armed.bytes_reported)
        return;
    armed.bytes_reported = armed.bytes_sent;
    /* The callback may run mocore calls of its own, even a load on another client (which arms
     * and disarms this thread's state) or one that fails: both are put back afterwards, the
     * report must not change the outcome of the load. */
    armed_state mine = armed;
    mo_error_guard guard;
    mo_error_guard_begin(&guard);
    mine.progress(mine.progress_userdata, mine.bytes_sent, mine.file->size);
    mo_error_guard_end(&guard);
    armed = mine;
}

uint64_t mo_local_infile_disarm(void) {
    uint64_t sent = armed.bytes_sent;
    memset(&armed, 0, sizeof armed);
    return sent;
}

typedef struct {
    int fd;
    uint64_t size;     /* at open */
    uint64_t read;     /* bytes handed to libmariadb */
    int code;
    char message[512];
} infile_state;

static int refuse(infile_state *s, const char *why, const char *filename) {
    s->code = MO_LOCAL_INFILE_REFUSED;
    snprintf(s->message, sizeof s->message, "LOAD DATA LOCAL INFILE '%.200s' refused by mocore: %s",
             filename ? filename : "", why);
    return 1;
}

static int infile_init(void **ptr, const char *filename, void *userdata) {
    infile_state *s = calloc(1, sizeof *s);
    *ptr = s;
    if (!s) return 1;
    s->fd = -1;
    if (armed.mysql != (MYSQL *)userdata || !armed.file)
        return refuse(s, "no mocore load call asked for a local file on this connection "
                         "(use mo_load_data_from_local_file)", filename);
    if (armed.served) return refuse(s, "the file of this call was already sent", filename);
    if (!filename || strcmp(filename, armed.file->path) != 0)
        return refuse(s, "the server asked for a file other than the one this call sent",
                      filename);
    int fd = open(armed.file->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_dev != armed.file->dev ||
        sb.st_ino != armed.file->ino) {
        if (fd >= 0) close(fd);
        return refuse(s, "the file changed since it was checked", filename);
    }
    s->fd = fd;
    s->size = (uint64_t)sb.st_size;
    armed.served = 1;
    return 0;
}

/* The file changed size while it was sent. Returning an error to libmariadb is not enough:
 * it would still end the data with the empty packet, and the server would load (and in
 * autocommit commit) the part it got as if it were the whole file. The connection is given
 * up instead, so the server sees it end in the middle of the data and fails the statement
 * (rolling back what it had loaded, and the transaction around it). */
static int cut_load(infile_state *s, const char *how, uint64_t now) {
    s->code = MO_LOCAL_INFILE_REFUSED;
    snprintf(armed.changed, sizeof armed.changed,
             "LOAD DATA LOCAL: the file %s while it was sent (%llu bytes at open, %llu now); the "
             "connection was given up so the server does not load a part of it",
             how, (unsigned long long)s->size, (unsigned long long)now);
    snprintf(s->message, sizeof s->message, "%s", armed.changed);
    my_socket fd = armed.mysql ? mysql_get_socket(armed.mysql) : MARIADB_INVALID_SOCKET;
    if (fd != MARIADB_INVALID_SOCKET) shutdown(fd, SHUT_RDWR);
    return -1;
}

static int infile_read(void *ptr, char *buf, unsigned int len) {
    infile_state *s = ptr;
    ssize_t n;
    do n = read(s->fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        s->code = MO_LOCAL_INFILE_REFUSED;
        snprintf(s->message, sizeof s->message, "LOAD DATA LOCAL INFILE: read failed: %s",
                 strerror(errno));
        return -1;
    }
    /* Never more bytes than the file had at open, and at its end exactly that many. */
    if (n > 0 && s->read + (uint64_t)n > s->size) return cut_load(s, "grew", s->read + (uint64_t)n);
    if (n == 0) {
        struct stat sb;
        if (s->read != s->size) return cut_load(s, "shrank", s->read);
        if (fstat(s->fd, &sb) == 0 && (uint64_t)sb.st_size != s->size)
            return cut_load(s, "changed size", (uint64_t)sb.st_size);
    }
    s->read += (uint64_t)n;
    /* Recorded only: reported by mo_local_infile_report, off libmariadb's stack. */
    if (n > 0) armed.bytes_sent += (uint64_t)n;
    return (int)n;
}

static void infile_end(void *ptr) {
    infile_state *s = ptr;
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    free(s);
}

static int infile_error(void *ptr, char *buf, unsigned int len) {
    infile_state *s = ptr;
    snprintf(buf, len, "%s", s ? s->message : "LOAD DATA LOCAL INFILE: out of memory");
    return s ? s->code : MO_LOCAL_INFILE_REFUSED;
}

int mo_local_infile_install(MYSQL *mysql, const struct mo_config *cfg) {
    unsigned allow = cfg->local_infile_dir_count ? 1 : 0;
    int failed = mysql_options(mysql, MYSQL_OPT_LOCAL_INFILE, &allow);
    mysql_set_local_infile_handler(mysql, infile_init, infile_read, infile_end, infile_error,
                                   mysql);
    return failed;
}
