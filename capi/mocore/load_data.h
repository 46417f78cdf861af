/** @file
 * capi/mocore/load_data.h — LOAD DATA: files on the server, files on the client (LOCAL),
 * stage files and inline data (the MatrixOne SDK's client.load_data).
 *
 * Every function runs on a mo_executor (mocore/managers.h) and follows the managers'
 * conventions: names are backtick-quoted, values are escaped string literals, bad input is
 * MO_E_INVALID_ARGUMENT with nothing sent, MatrixOne-only forms on MySQL/MariaDB are
 * MO_E_UNSUPPORTED with nothing sent, dry-run clients journal the statement.
 * docs/managers.md maps the SDK's read_csv / read_json / read_parquet (+ _stage, _inline)
 * onto these functions and lists every difference. */
#ifndef MOCORE_LOAD_DATA_H
#define MOCORE_LOAD_DATA_H
#include "mocore/common.h"
#include "mocore/managers.h"

MO_BEGIN_DECLS

/* ============================================================== LOCAL INFILE policy */

/** Told the bytes of a LOCAL file sent so far and the file's size when the load started.
 *  Called on the thread of the load call, on that thread's own stack, between network steps
 *  (never inside libmariadb, whose reader runs on a small private stack): after every step in
 *  which bytes were sent, several blocks reported at once, so on a fast link the whole file
 *  may be one report. The last report is (bytes sent, size): (size, size) for an unchanged
 *  file. The callback cannot stop or break the load; mocore calls it makes do not change the
 *  load's outcome or its error. */
typedef void (*mo_load_progress)(void *userdata, uint64_t bytes_sent, uint64_t total_bytes);

/** Allow LOAD DATA LOCAL for files under `directory` (an existing directory; resolved now,
 *  symlinks followed). May be called several times. With no directory LOCAL is off: the
 *  client does not even offer the capability to the server. Whatever the directories, the
 *  server can only obtain the one file a mo_load_data_from_local_file call asked for, after
 *  that call resolved it (symlinks followed) to a regular file under an allowed directory;
 *  every other request from the server is refused. Takes effect for clients connected after
 *  the call. */
MO_API mo_status mo_config_add_local_infile_dir(mo_config *cfg, const char *directory);
/** LOCAL off again (no directory allowed). */
MO_API mo_status mo_config_clear_local_infile_dirs(mo_config *cfg);

/* ============================================================== options */

/** The optional clauses of a load, set one by one (defaults as the SDK's from_file: fields
 *  terminated by ",", nothing else). An options handle may be reused for many loads.
 *  Every setter copies its strings; NULL resets that option to its default. */
typedef struct mo_load_options mo_load_options;

/** Options with every setting at its default (the server's). *out is owned by the caller
 *  (mo_load_options_free). */
MO_API mo_status mo_load_options_new(mo_load_options **out);
/** Release the options. NULL is a no-op. */
MO_API void mo_load_options_free(mo_load_options *o);
/** FIELDS TERMINATED BY (default ","; "" is an error). For inline CSV: FIELDS TERMINATED BY. */
MO_API mo_status mo_load_options_set_fields_terminated_by(mo_load_options *o, const char *s);
/** [OPTIONALLY] ENCLOSED BY q (the SDK's quotechar / quoting). */
MO_API mo_status mo_load_options_set_fields_enclosed_by(mo_load_options *o, const char *q,
                                                        int optionally);
/** ESCAPED BY (the SDK's escapechar). */
MO_API mo_status mo_load_options_set_fields_escaped_by(mo_load_options *o, const char *e);
/** LINES STARTING BY s. */
MO_API mo_status mo_load_options_set_lines_starting_by(mo_load_options *o, const char *s);
/** LINES TERMINATED BY s. */
MO_API mo_status mo_load_options_set_lines_terminated_by(mo_load_options *o, const char *s);
/** IGNORE n LINES (the SDK's skiprows); n < 0 is "ignore_lines must be a non-negative
 *  integer"; 0 emits nothing. */
MO_API mo_status mo_load_options_set_ignore_lines(mo_load_options *o, int64_t n);
/** CHARACTER SET cs (the SDK's encoding); letters, digits and '_' only. */
MO_API mo_status mo_load_options_set_character_set(mo_load_options *o, const char *cs);
/** PARALLEL 'true' (MatrixOne only). */
MO_API mo_status mo_load_options_set_parallel(mo_load_options *o, int parallel);
/** Append a target column (the SDK's columns / names): a column name, or "@var" for a user
 *  variable. */
MO_API mo_status mo_load_options_add_column(mo_load_options *o, const char *column);
/** Append SET column = 'value' (value sent as an escaped literal). */
MO_API mo_status mo_load_options_add_set_value(mo_load_options *o, const char *column,
                                               const char *value);
/** Append SET column = expression, the expression being SQL text (e.g. "NOW()",
 *  "UPPER(@name)"): refused when it holds ';', a comment, NUL, or unbalanced quotes or
 *  parentheses. */
MO_API mo_status mo_load_options_add_set_expression(mo_load_options *o, const char *column,
                                                    const char *expression);
/** "csv" (default), "jsonline" or "parquet" (case-insensitive). jsonline and parquet use
 *  MatrixOne's brace form LOAD DATA INFILE {'filepath'=..., 'format'=...}. */
MO_API mo_status mo_load_options_set_format(mo_load_options *o, const char *format);
/** jsonline layout: "object" or "array" (the SDK's jsondata / orient records|values). */
MO_API mo_status mo_load_options_set_jsondata(mo_load_options *o, const char *jsondata);
/** Brace form 'compression' (e.g. "gzip", "bzip2", "lz4", "none"). With format csv it is an
 *  error (the SDK drops it silently). */
MO_API mo_status mo_load_options_set_compression(mo_load_options *o, const char *compression);
/** LOCAL loads: told the bytes sent between network steps (see mo_load_progress). */
MO_API mo_status mo_load_options_set_progress(mo_load_options *o, mo_load_progress progress,
                                              void *userdata);

/* ============================================================== loads
 * table may be "db.table". opts may be NULL (the defaults). *affected_rows (may be NULL) gets
 * the rows loaded (0 in dry-run). */

/** LOAD DATA INFILE 'file_path' (a path on the server; the SDK's from_file, read_csv,
 *  read_json, read_parquet). */
MO_API mo_status mo_load_data_from_file(mo_executor *ex, const char *file_path,
                                        const char *table, const mo_load_options *opts,
                                        uint64_t *affected_rows);
/** LOAD DATA LOCAL INFILE: the file is read by this process and sent (the SDK's
 *  from_local_file). Only under a directory allowed by mo_config_add_local_infile_dir;
 *  otherwise MO_E_INVALID_ARGUMENT before anything is sent. The path sent is the resolved
 *  one. */
MO_API mo_status mo_load_data_from_local_file(mo_executor *ex, const char *file_path,
                                              const char *table, const mo_load_options *opts,
                                              uint64_t *affected_rows);
/** LOAD DATA INFILE 'stage://stage/filename' (MatrixOne; the SDK's read_*_stage). */
MO_API mo_status mo_load_data_from_stage(mo_executor *ex, const char *stage_name,
                                         const char *filename, const char *table,
                                         const mo_load_options *opts, uint64_t *affected_rows);
/** LOAD DATA INLINE FORMAT='csv|jsonline', DATA='...' (MatrixOne; the SDK's read_*_inline).
 *  data may hold any bytes (NUL included). Uses the options format, jsondata, fields
 *  terminated/enclosed by (CSV only); any other option is an error. */
MO_API mo_status mo_load_data_from_inline(mo_executor *ex, const char *data, size_t data_len,
                                          const char *table, const mo_load_options *opts,
                                          uint64_t *affected_rows);

MO_END_DECLS
#endif
