/** @file
 * capi/mocore/strmap.h — an ordered map of text keys to text values, the C form of the small
 * Python dicts the manager API takes: stage credentials, CDC options, CDC table mappings and
 * watermark thresholds.
 *
 * Keys keep the order of their first insertion (as a Python dict); adding a key that is
 * already present replaces its value in place. Values may be NULL (a key without a value). */
#ifndef MOCORE_STRMAP_H
#define MOCORE_STRMAP_H
#include "mocore/common.h"

MO_BEGIN_DECLS

typedef struct mo_strmap mo_strmap;

/** An empty map. *out is owned by the caller (mo_strmap_free). */
MO_API mo_status mo_strmap_new(mo_strmap **out);
/** Add or replace key -> value. key must be a non-empty string; value may be NULL. Both are
 *  copied. */
MO_API mo_status mo_strmap_set(mo_strmap *m, const char *key, const char *value);
/** The number of entries (0 for NULL). */
MO_API size_t mo_strmap_count(const mo_strmap *m);
/** The key / value at index (insertion order); NULL when out of range. Borrowed until the map
 *  changes or is freed. */
MO_API const char *mo_strmap_key(const mo_strmap *m, size_t index);
/** The value at index (see mo_strmap_key). */
MO_API const char *mo_strmap_value(const mo_strmap *m, size_t index);
/** Release. NULL is a no-op. */
MO_API void mo_strmap_free(mo_strmap *m);

MO_END_DECLS
#endif
