/** @file
 * capi/mocore/stage.h — MatrixOne stages (the SDK's client.stage): named locations (local
 * directories, S3 buckets) that LOAD DATA and exports use as stage://name/file.
 *
 * MatrixOne only: on MySQL/MariaDB every function is MO_E_UNSUPPORTED with nothing sent.
 * Conventions of mocore/managers.h. Credentials go into the statement as escaped literals and
 * never appear in a log line or an error message (they are redacted to '***'). */
#ifndef MOCORE_STAGE_H
#define MOCORE_STAGE_H
#include "mocore/common.h"
#include "mocore/managers.h"
#include "mocore/strmap.h"

MO_BEGIN_DECLS

typedef struct mo_stage mo_stage;
typedef struct mo_stage_list mo_stage_list;

/* Stage(name, url, status, comment, created_time). */
/** The stage's `name` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_stage_name(const mo_stage *s);
/** The stage's `url` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_stage_url(const mo_stage *s);
/** "enabled" / "disabled" as the server says (a created stage reports "enabled"). */
MO_API const char *mo_stage_status(const mo_stage *s);
/** The stage's `comment` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_stage_comment(const mo_stage *s);
/** The stage's `created_time` (borrowed until the record is freed; NULL when absent). */
MO_API const char *mo_stage_created_time(const mo_stage *s);
/** Release a stage record. NULL, or a record borrowed from a list, is a no-op. */
MO_API void mo_stage_free(mo_stage *s);
/** The number of stage records in the list (0 for NULL). */
MO_API size_t mo_stage_list_count(const mo_stage_list *l);
/** Record `index` of the list, borrowed (valid until the list is freed); NULL when index >= the count. */
MO_API const mo_stage *mo_stage_list_get(const mo_stage_list *l, size_t index);
/** Release the list and its records. NULL is a no-op. */
MO_API void mo_stage_list_free(mo_stage_list *l);

/** CREATE STAGE [IF NOT EXISTS] `name` URL='url' [CREDENTIALS={'k'='v', ...}] [COMMENT='c'].
 *  credentials and comment may be NULL. *out (may be NULL) is built locally, as the SDK does
 *  (status "enabled"; no read-back). */
MO_API mo_status mo_stage_create(mo_stage **out, mo_executor *ex, const char *name,
                                 const char *url, const mo_strmap *credentials,
                                 const char *comment, int if_not_exists);
/** A stage on a local directory: url file://<absolute path>/ (path made absolute against the
 *  current directory, "~/" expanded from $HOME; not resolved further). */
MO_API mo_status mo_stage_create_local(mo_stage **out, mo_executor *ex, const char *name,
                                       const char *path, const char *comment, int if_not_exists);
/** A stage on S3: url s3://bucket[/path]. Credentials are sent only when a key id and a secret
 *  are known: the arguments, else $AWS_ACCESS_KEY_ID / $AWS_KEY_ID, $AWS_SECRET_ACCESS_KEY /
 *  $AWS_SECRET_KEY and $AWS_DEFAULT_REGION / $AWS_REGION (as the SDK). Every string but name
 *  and bucket may be NULL. */
MO_API mo_status mo_stage_create_s3(mo_stage **out, mo_executor *ex, const char *name,
                                    const char *bucket, const char *path,
                                    const char *aws_key_id, const char *aws_secret_key,
                                    const char *aws_region, const char *endpoint,
                                    const char *comment, int if_not_exists);
/** ALTER STAGE [IF EXISTS] `name` SET [URL='..'] [CREDENTIALS={..}] [COMMENT='..']
 *  [ENABLE=TRUE|FALSE], then read it back. enable: -1 leave, 0 FALSE, 1 TRUE. At least one
 *  change is required. *out may be NULL. */
MO_API mo_status mo_stage_alter(mo_stage **out, mo_executor *ex, const char *name,
                                const char *url, const mo_strmap *credentials,
                                const char *comment, int enable, int if_exists);
/** DROP STAGE [IF EXISTS] <name>. */
MO_API mo_status mo_stage_drop(mo_executor *ex, const char *name, int if_exists);
/** SHOW STAGES [LIKE 'pattern']: name, url, status, comment of each row. */
MO_API mo_status mo_stage_show(mo_stage_list **out, mo_executor *ex, const char *like_pattern);
/** The SDK's stage.list() (renamed: mo_stage_list is the list type): every row of
 *  mo_catalog.mo_stages. */
MO_API mo_status mo_stage_list_stages(mo_stage_list **out, mo_executor *ex);
/** MO_E_NOT_FOUND "Stage '<name>' not found". */
MO_API mo_status mo_stage_get(mo_stage **out, mo_executor *ex, const char *name);
/** *exists = 1 when a stage of that name exists, else 0. */
MO_API mo_status mo_stage_exists(mo_executor *ex, const char *name, int *exists);

MO_END_DECLS
#endif
