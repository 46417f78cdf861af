/* src/core/local_infile.h — LOAD DATA LOCAL INFILE, with the client deciding what is read.
 *
 * In the LOCAL protocol the server names the file the client must send. A client that obeys
 * blindly lets any server (or anyone who can inject a LOAD DATA LOCAL statement) read any file
 * the process can read. mocore therefore installs its own libmariadb handler on every
 * connection. The handler serves a file only while a mocore load call has "armed" it on this
 * thread for this connection, only the very file that call checked (the resolved path, the
 * same device and inode, a regular file under an allowed directory), and only once. Every
 * other request is refused; the server then sees an empty file. */
#ifndef MOCORE_LOCAL_INFILE_H
#define MOCORE_LOCAL_INFILE_H

#include <sys/types.h>
#include <mysql.h>
#include "internal.h"

/* Apply cfg's LOCAL INFILE policy to a new connection: the capability flag is on only when
 * the config lists allowed directories; the refusing handler is installed always. Returns
 * non-zero when libmariadb rejected an option. */
MO_INTERNAL int mo_local_infile_install(MYSQL *mysql, const struct mo_config *cfg);

typedef struct mo_local_infile_file {
    char *path;            /* realpath of the file the call asked for (malloc'd) */
    dev_t dev;
    ino_t ino;
    uint64_t size;         /* at check time */
} mo_local_infile_file;

/* Check that `path` may be sent under cfg's policy: LOCAL allowed, the file resolves (every
 * symlink followed) to a regular file under one of the allowed directories. Fills *file
 * (release with mo_local_infile_file_free). MO_E_INVALID_ARGUMENT (error set) otherwise. */
MO_INTERNAL mo_status mo_local_infile_check(mo_local_infile_file *file,
                                            const struct mo_config *cfg, const char *path,
                                            const char *operation);
MO_INTERNAL void mo_local_infile_file_free(mo_local_infile_file *file);

/* Arm the handler of `mysql` on this thread for `file` until mo_local_infile_disarm(). The
 * handler only counts the bytes it hands to the wire; the progress callback (may be NULL) is
 * told them by mo_local_infile_report. */
MO_INTERNAL void mo_local_infile_arm(MYSQL *mysql, const mo_local_infile_file *file,
                                     mo_load_progress progress, void *progress_userdata);
/* Tell the progress callback armed for `mysql` the bytes sent since its last report, if any.
 * Called by the connection after every libmariadb step of a query, i.e. on the caller's own
 * stack and never inside libmariadb's coroutine; the step that ends the query reports the
 * last bytes, so the final report is (bytes sent, size). */
MO_INTERNAL void mo_local_infile_report(MYSQL *mysql);
/* Why the armed load was cut, or NULL: the file grew or shrank while it was sent (its size at
 * open against the bytes read and its size at the end), and the connection was given up so
 * the server fails the statement instead of loading a part of the file. Valid until disarm. */
MO_INTERNAL const char *mo_local_infile_changed(void);
/* Disarm; returns the number of bytes sent for the armed file (0 when never requested). */
MO_INTERNAL uint64_t mo_local_infile_disarm(void);

#endif
