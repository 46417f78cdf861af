/* bindings/managers/call_internal.h — what call.c and the generated method table share.
 *
 * managers_table.c (bindings/managers/emit_c.py, from bindings/managers.toml) defines the
 * tables declared at the end; call.c, call_types.c and call_outcome.c read them. Not
 * installed, not part of any ABI. */
#ifndef MOCORE_BINDINGS_CALL_INTERNAL_H
#define MOCORE_BINDINGS_CALL_INTERNAL_H
#include "call.h"
#include "internal.h" /* mo_buf, mo_error_set, mo_params_view: the module links the core */

/* The keys of [messages] (the order emit_c.py writes them in). */
enum {
    MO_CALL_MSG_MISSING, MO_CALL_MSG_TYPE, MO_CALL_MSG_EMPTY, MO_CALL_MSG_TOO_MANY,
    MO_CALL_MSG_UNKNOWN, MO_CALL_MSG_TWICE, MO_CALL_MSG_CHOICE, MO_CALL_MSG_POSITIVE,
    MO_CALL_MSG_ROW_TYPE, MO_CALL_MSG_ROW_COLUMNS, MO_CALL_MSG__COUNT
};

/* The kinds of [value_kinds]: what a shape node is, as the messages name it. */
enum {
    MO_CALL_KIND_NULL, MO_CALL_KIND_BOOLEAN, MO_CALL_KIND_INTEGER, MO_CALL_KIND_NUMBER,
    MO_CALL_KIND_STRING, MO_CALL_KIND_BYTES, MO_CALL_KIND_LIST, MO_CALL_KIND_MAP,
    MO_CALL_KIND_FUNCTION, MO_CALL_KIND_OBJECT, MO_CALL_KIND__COUNT
};
#define MO_CALL_ACCEPTS(kind) (1u << (kind))

/* The argument types of [types.*]; each has its builder in call_types.c. */
enum {
    MO_CALL_T_STRING, MO_CALL_T_TEXT, MO_CALL_T_DATA, MO_CALL_T_NAMES, MO_CALL_T_TABLE,
    MO_CALL_T_INT, MO_CALL_T_POSITIVE, MO_CALL_T_NUMBER, MO_CALL_T_FLAG, MO_CALL_T_TRISTATE,
    MO_CALL_T_CHOICE, MO_CALL_T_STRMAP, MO_CALL_T_PARAMS, MO_CALL_T_VECTOR, MO_CALL_T_ROW,
    MO_CALL_T_ROWS, MO_CALL_T_COLUMN_TYPES, MO_CALL_T_TABLE_MAPPINGS, MO_CALL_T_DURATION_MS,
    MO_CALL_T_THRESHOLDS, MO_CALL_T_CALLABLE, MO_CALL_T__COUNT
};

typedef struct mo_call_type {
    const char *name;
    const char *expected;  /* {expected} of the `type` message */
    unsigned accepts;      /* MO_CALL_ACCEPTS bits; 0: the builder checks */
    int has_min;
    int64_t min;
    int non_empty;
    int optional;          /* no value is always allowed */
    int64_t no_value;      /* what an integer-like type becomes without a value */
} mo_call_type;

typedef struct mo_call_word {
    const char *word;
    int constant;          /* the C constant, when text is NULL */
    const char *text;      /* the text C receives instead */
} mo_call_word;

typedef struct mo_call_choice {
    const char *name;
    const mo_call_word *words; /* sorted by word */
    size_t count;
} mo_call_choice;

/* Argument flags. */
#define MO_CALL_REQUIRED 1u     /* no default: must be given */
#define MO_CALL_NULLABLE 2u     /* may be given as no value */
#define MO_CALL_KEYWORD_ONLY 4u
#define MO_CALL_NO_PASS 8u      /* checked, not given to C */
#define MO_CALL_EMPTY_OK 16u    /* names: an empty list is "" */

typedef struct mo_call_arg {
    const char *name;
    int type;                   /* MO_CALL_T_* */
    unsigned flags;
    char def;                   /* default: 'r' none (required), 'n' no value, 'b', 'i', 's' */
    const char *def_text;
    int64_t def_int;
    const mo_call_choice *choice;
    const char *default_word;   /* choice: the word used without a value */
    const char *join;           /* names: the separator of a list */
    int option;                 /* index in mo_call_load_options, or -1 */
} mo_call_arg;

/* How an alias fills one argument of its target. */
enum { MO_CALL_FW_ABSENT, MO_CALL_FW_ARG, MO_CALL_FW_TEXT, MO_CALL_FW_NONE };
typedef struct mo_call_forward {
    int kind;
    int arg;                    /* FW_ARG: the alias's argument */
    const char *text;           /* FW_TEXT: a preset */
} mo_call_forward;

/* One argument converted for C (which members are set depends on its type). */
typedef struct mo_call_value {
    const char *s;              /* string, table, names (joined), text, data; NULL: no value */
    size_t len;
    int64_t i;                  /* int, positive, flag, tristate, choice constant, duration */
    double d;                   /* number */
    void *map;                  /* strmap, table_mappings, thresholds: a mo_strmap */
    mo_params *params;          /* params, row, rows */
    const char **names;         /* row, rows, column_types: the columns */
    const char **types;         /* column_types */
    size_t count;               /* the columns; vector: its dimension */
    size_t rows;                /* rows */
    const void *vec;            /* vector: the numbers (double) */
    mo_vector_element elem;
    int given;                  /* 0: no value (or rows: an empty list) */
} mo_call_value;

/* What a C function gives back. */
typedef struct mo_call_out {
    void *handle;               /* a record, list, result, moctl, ivf stats */
    const char *text;           /* string results (borrowed: copied at once) */
    size_t len;
    int flag;
    uint64_t count;
} mo_call_out;

typedef mo_status (*mo_call_thunk)(mo_executor *ex, const mo_call_value *v,
                                   const mo_load_options *lo, mo_call_out *out);

/* One field value of a record, in mo_swig_record_fields order. */
typedef struct mo_call_field {
    const char *s;
    int64_t i;
} mo_call_field;

/* A field of a record given as another value than its C one (managers.toml's `convert`):
 * 'j' its JSON text as the parsed tree ({} when empty, {"raw": text} when unreadable), 't' a
 * UTC time (a t leaf; n when 0) of field `source`'s nanoseconds. */
typedef struct mo_call_field_convert {
    size_t field;
    char how;
    size_t source;
} mo_call_field_convert;

typedef struct mo_call_record {
    const char *kind;
    size_t field_count;
    const mo_call_field_convert *converts;
    size_t convert_count;
    void (*read)(const void *h, mo_call_field *fields);
    size_t (*list_count)(const void *l);
    const void *(*list_get)(const void *l, size_t i);
    void (*free)(void *h);
    void (*list_free)(void *l);
} mo_call_record;

typedef struct mo_call_load_option {
    const char *name;
    int type;
    mo_status (*set)(mo_load_options *o, const char *s, const char *s2, int64_t i);
    int with;                   /* the option given to the same setter, or -1 */
    int each;                   /* the setter takes one item of a list / map at a time */
} mo_call_load_option;

enum {
    MO_CALL_R_NOTHING, MO_CALL_R_TRUE, MO_CALL_R_SELF, MO_CALL_R_OWNER, MO_CALL_R_BOOL,
    MO_CALL_R_STRING, MO_CALL_R_COUNT, MO_CALL_R_RECORD, MO_CALL_R_RECORDS, MO_CALL_R_ROWS,
    MO_CALL_R_RESULT, MO_CALL_R_DICTS, MO_CALL_R_MOCTL, MO_CALL_R_IVF_STATS,
    MO_CALL_R_TABLE_STATS, MO_CALL_R_RESULT_SET
};
enum { MO_CALL_CUSTOM_NONE, MO_CALL_CUSTOM_BRANCH_DIFF_TABLE, MO_CALL_CUSTOM_METADATA_SCAN };

typedef struct mo_call_method {
    const char *name;           /* "branch.create" */
    const char *operation;      /* "branch.create_table_branch" (an alias: its target's) */
    const mo_call_arg *args;    /* the SDK's order, then the load options */
    size_t arg_count;
    size_t positional;          /* the first `positional` args may be given by position */
    int result;                 /* MO_CALL_R_* */
    const mo_call_record *record;
    int detail;                 /* table_stats detail (else brief) */
    mo_call_thunk thunk;        /* NULL: an alias or a custom body */
    int custom;
    int target;                 /* alias: the method it forwards to (index), else -1 */
    const mo_call_forward *forward;
    int database_target;        /* ... with database = true */
    const mo_call_forward *database_forward;
    int inline_target;          /* ... with inline = true */
    const mo_call_forward *inline_forward;
} mo_call_method;

extern const char *const mo_call_message_text[MO_CALL_MSG__COUNT];
extern const char *const mo_call_kind_text[MO_CALL_KIND__COUNT];
extern const mo_call_type mo_call_types[MO_CALL_T__COUNT];
extern const mo_call_record mo_call_records[];
extern const size_t mo_call_record_count;
extern const mo_call_load_option mo_call_load_options[];
extern const size_t mo_call_load_option_count;
extern const mo_call_method mo_call_methods[];
extern const size_t mo_call_method_count;

/* ---------------------------------------------------------------- the call (call.c) */

/* One node of a shape, pre-order. */
typedef struct mo_call_node {
    char kind;                  /* the shape character */
    size_t leaf;                /* a leaf: the index of its value */
    size_t children;            /* a list: its items; a map: keys and values */
    size_t end;                 /* the index of the node after this one's subtree */
} mo_call_node;

/* A value as the converters see it: a node of the arguments, a default or a preset. */
typedef struct mo_call_item {
    char kind;                  /* a shape character; 'n' for no value */
    const char *s;              /* s, y, v: the bytes (NUL-terminated) */
    size_t len;
    int64_t i;                  /* b, i */
    double d;                   /* d (and i) */
    size_t node;                /* ( { v: the node */
} mo_call_item;

typedef struct mo_call_leaf {
    int64_t i;
    double d;
    char *text;                 /* s, y: owned */
    size_t len;
} mo_call_leaf;

typedef struct mo_call_owned {
    void *p;
    void (*release)(void *p);
} mo_call_owned;

struct mo_call {
    const mo_call_method *method;
    mo_params *values;
    char *shape;
    mo_load_options *options;
    int arity_mistake;
    mo_call_node *nodes;
    size_t node_count;
    mo_call_owned *owned;       /* what the converters built for this run */
    size_t owned_count, owned_cap;
    mo_buf out_shape;           /* the outcome */
    mo_call_leaf *leaves;
    size_t leaf_count, leaf_cap;
    mo_result *result;
    const char *kind;           /* the result kind produced ("record", "dicts", ...) */
};

/* The entries of a map argument: a map node, an empty list (a language whose empty list is
 * also its empty map), or a list of (key, value) lists (a language whose maps have no order
 * gives ordered maps so). */
typedef struct mo_call_entries {
    const mo_call *c;
    size_t at, end;
    int pairs;
} mo_call_entries;
/* 1 and *e when `it` is a map in one of those forms, else 0. */
int mo_call_entries_of(const mo_call *c, const mo_call_item *it, mo_call_entries *e);
/* The next entry's key and value nodes: 1, or 0 at the end. */
int mo_call_next_entry(mo_call_entries *e, size_t *key, size_t *value);
/* The number of entries. */
size_t mo_call_entry_count(const mo_call_entries *e);

/* The item of node `n`. */
mo_call_item mo_call_item_of(const mo_call *c, size_t n);
/* The kind of an item as [value_kinds] names it (MO_CALL_KIND_*). */
int mo_call_kind(const mo_call_item *it);
/* Set the invalid-argument error of [messages] `key` with its {fields}: pairs of name and
 * text, NULL-terminated. Returns MO_E_INVALID_ARGUMENT. */
mo_status mo_call_fail(const char *op, int key, ...);
/* Mark the mistake just set as one of a value's kind (mo_call_arity_mistake gives 2). */
void mo_call_mark_type_mistake(void);
/* The `type` mistake of argument `what`: it must be types[type].expected, not it. */
mo_status mo_call_wrong(const char *op, const char *what, int type, const mo_call_item *it);
/* An invalid-argument error a helper of the core set (mo_strmap_set, a load options setter,
 * a params adder) under its own operation, re-set under the method's `op`. */
mo_status mo_call_relabel(mo_status st, const char *op);
/* Keep p until the run ends (released by release); 0, or -1 out of memory (p released). */
int mo_call_keep(mo_call *c, void *p, void (*release)(void *p));
/* A copy of text[0..len) kept until the run ends; NULL when out of memory. */
char *mo_call_keep_text(mo_call *c, const char *text, size_t len);

/* record_fields.c: the one field table of the records (also wrapped by SWIG). */
const char *mo_swig_record_fields(const char *kind);

/* call_types.c: argument `a` of `item` (its kind 'n' for no value) -> v. */
mo_status mo_call_convert(mo_call *c, const char *op, const mo_call_arg *a,
                          const mo_call_item *item, mo_call_value *v);

/* call_outcome.c: the outcome of a method's C call. */
void mo_call_outcome_reset(mo_call *c);
mo_status mo_call_outcome_build(mo_call *c, const mo_call_method *m, int result,
                                const mo_call_record *record, mo_call_out *out);

#endif
