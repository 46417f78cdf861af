/* bindings/managers/call.h — one manager call, described as data, checked and run in C.
 *
 * Every binding's manager layer (generated from bindings/managers.toml) turns a method call
 * into one mo_manager_call: the method's name ("snapshots.create"), the arguments as a small
 * tree (a shape string plus the leaf values in one mo_params), and the executor. C then does
 * what each language used to do by hand, once: the arity check, the defaults, each argument's
 * type check with the one message of [messages] per mistake, the aliases, the building of
 * composite values (strmap, names, rows, column types, table mappings, thresholds, load
 * options), the call of the C function, and the outcome as a tree of the same alphabet. The
 * languages keep only their idiom: walking a native value into a shape, and a shape back into
 * native values (records, enums, times).
 *
 * Compiled into each SWIG module with the generated method table (managers_table.c, written by
 * bindings/managers/emit_c.py); not part of libmocore's ABI.
 *
 * The shape alphabet (one character per node, pre-order; every leaf takes the next value of
 * the call's mo_params, in order):
 *   (  )     a list                      {  }    a map: key, value, key, value ... (keys are
 *                                                 leaves, s for the keyword arguments)
 *   n        no value (None / nil)       b       a boolean (the value is 1 or 0)
 *   i        an integer                  d       a floating-point number
 *   s        a string (text)             y       bytes
 *   v        another SQL value: decimal, date, time, datetime, JSON, a float32/float64 buffer
 *            (as the language's params adder stores it)
 *   f        a function (the value is a placeholder NULL; see mo_call_progress)
 *   o        any other object (a placeholder NULL; it can only be a mistake)
 *   r        (outcome only) the result handle; take it with mo_call_take_result
 *   t        (outcome only) a UTC time: nanoseconds since 1970 in mo_call_outcome_int, C's
 *            text of it ("2026-12-02 21:53:51.123456") in mo_call_outcome_text
 * Every letter but the brackets is a leaf and takes one value (n, f and o a NULL one), in the
 * arguments as in the outcome (where n and r take a leaf index too).
 * The arguments: "(" positional ")" "{" keyword name, value ... "}", e.g. snapshots.create("s1",
 * level="cluster") is the shape "(s){ss}" with the values "s1", "level", "cluster".
 * Where an argument is a map, an empty list is the empty map too, and a list of (key, value)
 * lists is a map in that order ("((ss)(ss))"): languages whose empty list is their empty map,
 * or whose maps have no order. A map key may be any leaf (C checks it is text where it must).
 * A list of numbers as an SQL value (params, row, rows) is a float64 vector.
 * The call's values may hold NaN and infinities: the argument they are for refuses them.
 *
 * The outcome per result kind: nothing, self, owner ""; true "b" (1); bool "b"; string "s"
 * (n: none); count "i"; record a map field -> value ({s s|n s i s b ...}, in the order of
 * mo_swig_record_fields: t = s text or n, i an integer, b a flag; a field managers.toml
 * converts is a t leaf or n (utc_ns) or a JSON tree (json_object)); records a list of those
 * maps; rows, result, dicts "r" (mo_call_take_result; metadata.scan: see mo_call_outcome_kind);
 * moctl the server's JSON answer as a tree (else {"method": s, "result": ({"returnStr": s})});
 * ivf_stats {"index_tables": {"metadata"|"centroids"|"entries": s ...}, "distribution":
 * {"centroid_count": (i...), "centroid_id": (i...), "centroid_version": (i...)}, "database",
 * "table_name", "column_name": s}; table_stats brief {key: {"total_objects", "row_cnt",
 * "null_cnt": i, "original_size", "compress_size": s}}, detail {key: ({"object_name",
 * "create_ts", "delete_ts": s, "row_cnt", "null_cnt": i, "original_size", "compress_size": s}
 * ...)}; result_set {"columns": (), "rows": (), "affected_rows": i}.
 */
#ifndef MOCORE_BINDINGS_CALL_H
#define MOCORE_BINDINGS_CALL_H
#include "mocore.h"

/** One manager call: its arguments, then its outcome. Opaque; one thread at a time. */
typedef struct mo_call mo_call;

/** A call of `method` ("manager.method" or "manager.alias", as in bindings/managers.toml).
 *  *out is owned by the caller (mo_call_free). An unknown method is MO_E_INVALID_ARGUMENT. */
mo_status mo_call_new(mo_call **out, const char *method);

/** The mo_params the leaves' values go into (borrowed; the language's own params adder fills
 *  it: mo_py_params_add, mo_lua_params_pack, mo_rb_params_add). */
mo_params *mo_call_values(mo_call *c);

/** Set the shape of the arguments (copied). */
mo_status mo_call_set_shape(mo_call *c, const char *shape);

/** Where a function argument (shape f) goes: a load-data progress callback is set by the
 *  language on these load options (the language's progress setter), which the call then fills
 *  with the other options. Borrowed; created on first use, released when the run ends (set it
 *  again before another run). */
mo_load_options *mo_call_progress(mo_call *c);

/** Check the arguments and run the method on `ex`. On failure the error is set as every
 *  mo_status failure is (mo_error_last): a mistake is MO_E_INVALID_ARGUMENT with the
 *  operation "manager.method" (an alias: its target's) and the message of [messages];
 *  mo_call_arity_mistake then says which kind of mistake it was: 1 a call that does not fit
 *  the signature (too many, unknown, given twice, missing), 2 a value of the wrong kind (the
 *  `type` and `row_type` messages, a vector element that is no number), 0 any other; Python
 *  raises 1 and 2 as a TypeError too. */
mo_status mo_call_run(mo_call *c, mo_executor *ex);
int mo_call_arity_mistake(const mo_call *c);

/** The outcome of a successful run: its shape ("" for nothing; a record is a map of its
 *  fields in the order of mo_swig_record_fields; a list of records a list of maps; "r" a
 *  result) and its leaves, read by index in shape order. Borrowed until mo_call_free. */
const char *mo_call_outcome_shape(const mo_call *c);
int64_t mo_call_outcome_int(const mo_call *c, size_t leaf);
double mo_call_outcome_number(const mo_call *c, size_t leaf);
/* NULL for a leaf that is not s/y; *len the length (may hold NUL bytes). */
const char *mo_call_outcome_text(const mo_call *c, size_t leaf, size_t *len);

/** The result kind the outcome is, as bindings/managers.toml names them ("nothing", "true",
 *  "self", "owner", "bool", "string", "count", "record", "records", "rows", "result",
 *  "dicts", "moctl", "ivf_stats", "table_stats", "result_set"); "" before a successful run.
 *  It is the method's result kind, except where C picks it: metadata.scan gives "result",
 *  "records" (metadata_row) or "dicts" by its columns. */
const char *mo_call_outcome_kind(const mo_call *c);

/** Take the outcome's result handle (shape "r"): owned by the caller; NULL if none. */
mo_result *mo_call_take_result(mo_call *c);

/** Release the call, its values and whatever it still owns. NULL is a no-op. */
void mo_call_free(mo_call *c);

#endif
