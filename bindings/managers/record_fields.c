/* bindings/managers/record_fields.c — the field table of every manager record kind.
 *
 * One table for every consumer: C's manager calls build outcome maps from it (call_outcome.c),
 * bindings/managers/model.py reads it to generate the record types and the record readers of
 * managers_table.c, and each language gets it through SWIG (bindings/mocore.i). */
#include <string.h>

#include "call_internal.h"

/* The fields of a record kind ("snapshot", "pitr", "publication", "subscription", "account",
 * "user", "role", "grant", "metadata_row", "table_stats") as one space-separated string of
 * "<attribute>:<accessor suffix>:<t>" (t = s text, i integer, b flag), in the order of the MatrixOne SDK's dataclass, so every binding
 * builds its native record from one table: attribute `grant_statement` is read with
 * mo_grant_statement, every other with mo_<kind>_<attribute>. "" for an unknown kind. */
const char *mo_swig_record_fields(const char *kind) {
    static const struct { const char *kind, *fields; } t[] = {
        { "snapshot", "name:name:s level:level:s created_at:created_at:s "
                      "description:description:s database:database:s table:table:s "
                      "ts:ts:i account:account:s" },
        { "pitr", "name:name:s created_time:created_time:s modified_time:modified_time:s "
                  "level:level:s account_name:account_name:s database_name:database_name:s "
                  "table_name:table_name:s range_value:range_value:i range_unit:range_unit:s" },
        { "publication", "name:name:s database:database:s tables:tables:s "
                         "sub_account:sub_account:s subscribed_accounts:subscribed_accounts:s "
                         "created_time:created_time:s update_time:update_time:s "
                         "comments:comments:s" },
        { "subscription", "pub_name:pub_name:s pub_account:pub_account:s "
                          "pub_database:pub_database:s pub_tables:pub_tables:s "
                          "sub_name:sub_name:s pub_comment:pub_comment:s pub_time:pub_time:s "
                          "sub_time:sub_time:s status:status:i" },
        { "account", "name:name:s admin_name:admin_name:s created_time:created_time:s "
                     "status:status:s comment:comment:s suspended_time:suspended_time:s "
                     "suspended_reason:suspended_reason:s" },
        { "user", "name:name:s host:host:s account:account:s created_time:created_time:s "
                  "status:status:s comment:comment:s locked_time:locked_time:s "
                  "locked_reason:locked_reason:s" },
        { "role", "name:name:s id:id:i created_time:created_time:s comment:comment:s" },
        { "grant", "grant_statement:statement:s privilege:privilege:s "
                   "object_type:object_type:s object_name:object_name:s user:user:s" },
        /* metadata.h; t = b: a flag (int 0/1 in C, a boolean in the language) */
        { "metadata_row", "col_name:col_name:s object_name:object_name:s is_hidden:is_hidden:b "
                          "obj_loc:obj_loc:s create_ts:create_ts:s delete_ts:delete_ts:s "
                          "rows_cnt:rows_cnt:i null_cnt:null_cnt:i compress_size:compress_size:i "
                          "origin_size:origin_size:i min:min:s max:max:s sum:sum:s" },
        { "table_stats", "key:key:s object_name:object_name:s create_ts:create_ts:s "
                         "delete_ts:delete_ts:s total_objects:total_objects:i row_cnt:row_cnt:i "
                         "null_cnt:null_cnt:i original_size:original_size:i "
                         "compress_size:compress_size:i original_size_text:original_size_text:s "
                         "compress_size_text:compress_size_text:s" },
        /* load_data / stage / cdc */
        { "stage", "name:name:s url:url:s status:status:s comment:comment:s "
                   "created_time:created_time:s" },
        { "cdc_task", "task_id:id:s task_name:name:s source_uri:source_uri:s "
                      "sink_uri:sink_uri:s sink_type:sink_type:s table_mapping:table_mapping:s "
                      "tables:tables:s filters:filters:s start_ts:start_ts:s end_ts:end_ts:s "
                      "state:state:s checkpoint:checkpoint:s no_full:no_full:s "
                      "err_msg:err_msg:s created_time:created_time:s "
                      "additional_config:additional_config:s" },
        { "cdc_watermark", "task_id:task_id:s task_name:task_name:s database:database:s "
                           "table:table:s watermark:watermark:s err_msg:err_msg:s "
                           "lag_ms:lag_ms:i" },
    };
    if (!kind) return "";
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].kind, kind) == 0) return t[i].fields;
    return "";
}
