"""The C method table of mo_call (managers_table.c, in the build tree) from the model.

call.c (hand-written) checks and converts arguments and builds outcomes; what differs from
method to method is data, written here: the [messages] and [value_kinds] texts, the [types]
checks, the [choices] words with their C constants, the load options with a setter thunk
each, the record readers (one accessor call per field of mo_swig_record_fields), and per
method its arguments, result kind, aliases and a thunk that calls the C function with the
converted values. The thunks are ordinary C calls of the real prototypes (the file includes
mocore.h), so a description that disagrees with a header fails to compile."""

import glob
import os
import re

from model import NO_DEFAULT, DescriptionError, LoadOption

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

MESSAGE_KEYS = ("missing", "type", "empty", "too_many", "unknown", "twice", "choice", "positive",
                "row_type", "row_columns")
KIND_KEYS = ("null", "boolean", "integer", "number", "string", "bytes", "list", "map", "function",
             "object")
RESULT = {"nothing": "NOTHING", "true": "TRUE", "self": "SELF", "owner": "OWNER", "bool": "BOOL",
          "string": "STRING", "count": "COUNT", "record": "RECORD", "records": "RECORDS",
          "rows": "ROWS", "result": "RESULT", "dicts": "DICTS", "moctl": "MOCTL",
          "ivf_stats": "IVF_STATS", "table_stats": "TABLE_STATS", "result_set": "RESULT_SET"}
CUSTOM = {"branch.diff_table": "MO_CALL_CUSTOM_BRANCH_DIFF_TABLE",
          "metadata.scan": "MO_CALL_CUSTOM_METADATA_SCAN"}


def _c(s):
    """A C string literal."""
    if s is None:
        return "NULL"
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append(f"\\{ch:03o}")
    return '"' + "".join(out) + '"'


def _ident(s):
    return re.sub(r"\W", "_", s)


# ---------------------------------------------------------------- prototypes

def prototypes():
    """C function name -> [(type text, parameter name)] from capi/mocore/*.h."""
    text = "".join(open(p, encoding="utf-8").read()
                   for p in sorted(glob.glob(os.path.join(ROOT, "capi", "mocore", "*.h"))))
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    out = {}
    for m in re.finditer(r"MO_API\s+mo_status\s+(\w+)\s*\(([^)]*)\)", text):
        params = []
        for p in m.group(2).split(","):
            p = " ".join(p.split())
            pm = re.match(r"(.*?)(\w+)$", p)
            if pm:
                params.append((pm.group(1).strip(), pm.group(2)))
        out[m.group(1)] = params
    return out


def _out_kind(ctype):
    """How an out-parameter of this C type is received, or None if it is an input."""
    t = ctype.replace(" ", "")
    if t == "constchar**":
        return "text"
    if t == "size_t*":
        return "len"
    if t == "int*":
        return "flag"
    if t == "uint64_t*":
        return "count"
    if t.endswith("**") and not t.startswith("const"):
        return "handle"
    return None


def _slots(surface, a, k):
    t = a.type
    if t in ("string", "table", "names"):
        return [f"v[{k}].s"]
    if t in ("text", "data"):
        return [f"v[{k}].s", f"v[{k}].len"]
    if t in ("int", "positive", "flag", "tristate", "duration_ms"):
        return [f"v[{k}].i"]
    if t == "choice":
        c = surface.choices[a.choices]
        return [f"v[{k}].i" if c.is_constant(next(iter(c.words))) else f"v[{k}].s"]
    if t == "number":
        return [f"v[{k}].d"]
    if t in ("strmap", "table_mappings", "thresholds"):
        return [f"v[{k}].map"]
    if t == "params":
        return [f"v[{k}].params"]
    if t == "vector":
        return [f"v[{k}].vec", f"v[{k}].count", f"v[{k}].elem"]
    if t == "row":
        return [f"v[{k}].names", f"v[{k}].count", f"v[{k}].params"]
    if t == "rows":
        return [f"v[{k}].names", f"v[{k}].count", f"v[{k}].params", f"v[{k}].rows"]
    if t == "column_types":
        return [f"v[{k}].names", f"v[{k}].types", f"v[{k}].count"]
    if t == "callable":
        return []
    raise DescriptionError(f"emit_c: no C slots for type {t}")


def _all_args(surface, m):
    """The method's arguments as call.c sees them: its own, then (load_options = "all") each
    load option as a keyword-only argument."""
    args = list(m.args)
    if m.load_options:
        names = {a.name for a in args}
        for o in m.load_options:
            if o.name not in names:
                args.append(o)
    return args


def _thunk(surface, m, protos):
    if m.c not in protos:
        raise DescriptionError(f"emit_c: {m.operation}: no prototype of {m.c} in capi/mocore/*.h")
    params = protos[m.c]
    args = _all_args(surface, m)
    index = {a.name: k for k, a in enumerate(args)}
    fill = []
    for a in m.c_args:
        fill += _slots(surface, a, index[a.name])
    decl, call, after = [], [], []
    for ctype, pname in params:
        kind = _out_kind(ctype)
        if ctype.replace(" ", "") == "mo_executor*":
            call.append("ex")
        elif ctype.replace(" ", "") == "constmo_load_options*":
            call.append("lo")
        elif kind == "handle":
            base = ctype.replace("*", "").strip()
            decl.append(f"    {base} *h = NULL;")
            call.append("&h")
            after.append("    out->handle = h;")
        elif kind is not None:
            call.append(f"&out->{kind}")
        else:
            if not fill:
                raise DescriptionError(f"emit_c: {m.operation}: {m.c} has more inputs than the description")
            call.append(fill.pop(0))
    if fill:
        raise DescriptionError(f"emit_c: {m.operation}: {m.c} has fewer inputs than the description")
    name = f"call_{_ident(m.operation)}"
    lines = [f"static mo_status {name}(mo_executor *ex, const mo_call_value *v, "
             "const mo_load_options *lo, mo_call_out *out) {"]
    lines += decl
    lines.append(f"    mo_status st = {m.c}({', '.join(call)});")
    lines += after
    lines += ["    return st;", "}"]
    return name, lines


# ---------------------------------------------------------------- tables

def _default(d):
    """(kind, text, integer) of a default value: 'r' required, 'n' no value, 'b', 'i', 's'."""
    if d is NO_DEFAULT:
        return "'r'", "NULL", "0"
    if d is None:
        return "'n'", "NULL", "0"
    if isinstance(d, bool):
        return "'b'", "NULL", "1" if d else "0"
    if isinstance(d, int):
        return "'i'", "NULL", str(d)
    return "'s'", _c(str(d)), "0"


def _option_row(o, options):
    """A load option as a keyword-only argument (default: the option's, else no value)."""
    kind, text, num = _default(None if o.default is NO_DEFAULT else o.default)
    return (f"{{{_c(o.name)}, MO_CALL_T_{o.type.upper()}, MO_CALL_KEYWORD_ONLY | MO_CALL_NULLABLE, "
            f"{kind}, {text}, {num}, NULL, NULL, \",\", {options.index(o.name)}}}")


def _arg_row(surface, a, options):
    """One mo_call_arg of an argument of the description."""
    flags = []
    if a.required:
        flags.append("MO_CALL_REQUIRED")
    if a.nullable or a.default is None:
        flags.append("MO_CALL_NULLABLE")
    if a.keyword_only:
        flags.append("MO_CALL_KEYWORD_ONLY")
    if not a.passed:
        flags.append("MO_CALL_NO_PASS")
    if a.empty_ok:
        flags.append("MO_CALL_EMPTY_OK")
    kind, text, num = _default(a.default)
    choice = f"&choice_{a.choices}" if a.type == "choice" else "NULL"
    word = a.default if a.type == "choice" and isinstance(a.default, str) else a.default_word
    opt = options.index(a.option) if a.option else -1
    return (f"{{{_c(a.name)}, MO_CALL_T_{a.type.upper()}, {' | '.join(flags) or '0'}, {kind}, "
            f"{text}, {num}, {choice}, {_c(word if a.type == 'choice' else None)}, {_c(a.join)}, {opt}}}")


def _forward_rows(surface, m, target, mapping):
    """mo_call_forward rows over `target`'s arguments; mapping: target arg name -> (kind, x)."""
    rows = []
    for ta in _all_args(surface, target):
        kind, x = mapping.get(ta.name, ("ABSENT", None))
        if kind == "ARG":
            rows.append(f"{{MO_CALL_FW_ARG, {x}, NULL}}")
        elif kind == "TEXT":
            rows.append(f"{{MO_CALL_FW_TEXT, -1, {_c(x)}}}")
        elif kind == "NONE":
            rows.append("{MO_CALL_FW_NONE, -1, NULL}")
        else:
            rows.append("{MO_CALL_FW_ABSENT, -1, NULL}")
    return rows


def _alias_forwards(surface, mgr, m):
    """(target, rows), (database target, rows), (inline target, rows) of an alias."""
    idx = {a.name: k for k, a in enumerate(m.args)}
    passed = [a for a in m.args if a.passed]
    out = {}
    mapping = {}
    for a in passed:
        key = a.option if a.option else a.as_
        if key is None:
            raise DescriptionError(f"emit_c: {m.operation}: {m.name}.{a.name} has neither as nor option")
        mapping[key] = ("ARG", idx[a.name])
    for k, v in m.preset.items():
        mapping[k] = ("TEXT", str(v))
    for k in m.unset:
        mapping[k] = ("NONE", None)
    out["target"] = (m.target, _forward_rows(surface, m, m.target, mapping))
    if m.database_alias_of:
        t = mgr.method(m.database_alias_of)
        mp = {ta.name: ("ARG", idx[a.name]) for ta, a in zip(t.args, passed)}
        out["database"] = (t, _forward_rows(surface, m, t, mp))
    if m.inline_alias_of:
        t = mgr.method(m.inline_alias_of)
        mine = {a.name for a in m.args}
        spare = [a.name for a in m.positional if a.passed and a.name not in {x.name for x in t.args}]
        mp = {}
        for ta in t.args:
            mp[ta.name] = ("ARG", idx[ta.name if ta.name in mine else spare.pop(0)])
        out["inline"] = (t, _forward_rows(surface, m, t, mp))
    return out


def _record_reader(r):
    lines = [f"static void read_{r.kind}(const void *h, mo_call_field *f) {{",
             f"    const mo_{r.kind} *r = h;"]
    for k, f in enumerate(r.fields):
        slot = "s" if f.type == "s" else "i"
        lines.append(f"    f[{k}].{slot} = mo_{r.kind}_{f.accessor}(r);")
    lines += ["}",
              f"static size_t count_{r.kind}(const void *l) {{ return mo_{r.kind}_list_count(l); }}",
              f"static const void *get_{r.kind}(const void *l, size_t i) {{ return mo_{r.kind}_list_get(l, i); }}",
              f"static void free_{r.kind}(void *h) {{ mo_{r.kind}_free(h); }}",
              f"static void free_{r.kind}_list(void *l) {{ mo_{r.kind}_list_free(l); }}"]
    return lines


def _convert_of(f):
    """C's conversion of a field: 't' (utc_ns <source>) or 'j' (json_object); a choice is
    the language's (its enum)."""
    how = (f.convert or "").split()
    return {"utc_ns": "t", "json_object": "j"}.get(how[0]) if how else None


def _record_converts(r):
    names = [f.name for f in r.fields]
    rows = []
    for k, f in enumerate(r.fields):
        how = _convert_of(f)
        if how:
            source = names.index(f.convert.split()[1]) if how == "t" else k
            rows.append(f"    {{{k}, '{how}', {source}}},")
    return [f"static const mo_call_field_convert converts_{r.kind}[] = {{", *rows, "};"] if rows else []


def _option_setter(o):
    name = f"set_{o.name}"
    if o.setter is None or o.type == "callable":
        return "NULL", []
    fn = f"mo_load_options_{o.setter}"
    if o.with_:
        body = f"return {fn}(o, s, (int)i);"
    elif o.type == "strmap":
        body = f"return {fn}(o, s, s2);"
    elif o.type in ("int", "flag"):
        body = f"return {fn}(o, i);"
    else:
        body = f"return {fn}(o, s);"
    return name, [f"static mo_status {name}(mo_load_options *o, const char *s, const char *s2, int64_t i) {{",
                  f"    {body}", "}"]


def emit(surface):
    protos = prototypes()
    out = ["/* managers_table.c — generated by bindings/gen-managers.py (bindings/managers/emit_c.py)",
           " * from bindings/managers.toml: do not edit. The data call.c runs manager calls with. */",
           '#include "call_internal.h"', ""]
    out.append("const char *const mo_call_message_text[MO_CALL_MSG__COUNT] = {")
    out += [f"    {_c(surface.messages[k])}," for k in MESSAGE_KEYS]
    out += ["};", "const char *const mo_call_kind_text[MO_CALL_KIND__COUNT] = {"]
    out += [f"    {_c(surface.value_kinds[k])}," for k in KIND_KEYS]
    out += ["};", "", "const mo_call_type mo_call_types[MO_CALL_T__COUNT] = {"]
    for t in surface.types.values():
        ch = t.checks
        accepts = " | ".join(f"MO_CALL_ACCEPTS({'MO_CALL_KIND_' + k.upper()})" for k in ch.get("accepts", ())) or "0"
        out.append(f"    [MO_CALL_T_{t.name.upper()}] = {{{_c(t.name)}, {_c(t.expected)}, {accepts}, "
                   f"{1 if 'min' in ch else 0}, {ch.get('min', 0)}, {1 if ch.get('non_empty') else 0}, "
                   f"{1 if ch.get('optional') else 0}, {ch.get('no_value', 0)}}},")
    out += ["};", ""]
    used = {a.choices for _, m in surface.methods() for a in m.args if a.type == "choice"}
    for c in surface.choices.values():
        if c.name not in used:
            continue
        out.append(f"static const mo_call_word words_{c.name}[] = {{")
        for w, v in sorted(c.words.items()):
            if c.is_constant(w):
                out.append(f"    {{{_c(w)}, {v}, NULL}},")
            else:
                out.append(f"    {{{_c(w)}, 0, {_c(v)}}},")
        out += ["};", f"static const mo_call_choice choice_{c.name} = {{{_c(c.name)}, words_{c.name}, "
                f"{len(c.words)}}};"]
    out.append("")
    kinds = list(surface.records.values())
    for r in kinds:
        out += _record_reader(r)
        out += _record_converts(r)
    out.append("const mo_call_record mo_call_records[] = {")
    for r in kinds:
        n = sum(1 for f in r.fields if _convert_of(f))
        converts = f"converts_{r.kind}, {n}" if n else "NULL, 0"
        out.append(f"    {{{_c(r.kind)}, {len(r.fields)}, {converts}, read_{r.kind}, count_{r.kind}, "
                   f"get_{r.kind}, free_{r.kind}, free_{r.kind}_list}},")
    out += ["};", f"const size_t mo_call_record_count = {len(kinds)};", ""]
    options = [o.name for o in surface.load_options]
    setters = []
    for o in surface.load_options:
        name, lines = _option_setter(o)
        out += lines
        setters.append(name)
    out.append("const mo_call_load_option mo_call_load_options[] = {")
    for o, s in zip(surface.load_options, setters):
        w = options.index(o.with_) if o.with_ else -1
        out.append(f"    {{{_c(o.name)}, MO_CALL_T_{o.type.upper()}, {s}, {w}, {1 if o.each else 0}}},")
    out += ["};", f"const size_t mo_call_load_option_count = {len(options)};", ""]

    methods = [(mgr, m) for mgr, m in surface.methods()]
    number = {(m.manager, m.name): k for k, (mgr, m) in enumerate(methods)}
    rows = []
    for mgr, m in methods:
        key = _ident(f"{m.manager}_{m.name}")
        args = _all_args(surface, m)
        if len(args) > 32:
            raise DescriptionError(f"emit_c: {m.operation}: more than 32 arguments (MAX_ARGS of call.c)")
        out.append(f"static const mo_call_arg args_{key}[] = {{")
        for a in args:
            if isinstance(a, LoadOption):
                out.append(f"    {_option_row(a, options)},")
            else:
                out.append(f"    {_arg_row(surface, a, options)},")
        if not args:
            out.append("    {NULL, 0, 0, 0, NULL, 0, NULL, NULL, NULL, -1},")
        out.append("};")
        thunk, custom = "NULL", "0"
        fw = {"target": ("-1", "NULL"), "database": ("-1", "NULL"), "inline": ("-1", "NULL")}
        if m.target:
            for which, (t, frows) in _alias_forwards(surface, mgr, m).items():
                out.append(f"static const mo_call_forward fw_{which}_{key}[] = {{")
                out += [f"    {r}," for r in frows] or ["    {MO_CALL_FW_ABSENT, -1, NULL},"]
                out.append("};")
                fw[which] = (str(number[(t.manager, t.name)]), f"fw_{which}_{key}")
        elif m.custom:
            custom = CUSTOM.get(m.operation)
            if custom is None:
                raise DescriptionError(f"emit_c: {m.operation}: custom body not written in call.c")
        else:
            thunk, lines = _thunk(surface, m, protos)
            out += lines
        res = m.result
        record = "NULL"
        if res.record is not None:
            record = f"&mo_call_records[{kinds.index(res.record)}]"
        npos = len(m.positional)
        rows.append(f"    {{{_c(m.manager + '.' + m.name)}, {_c(m.operation)}, args_{key}, {len(args)}, "
                    f"{npos}, MO_CALL_R_{RESULT[res.kind]}, {record}, "
                    f"{1 if res.variant == 'detail' else 0}, {thunk}, {custom}, "
                    f"{fw['target'][0]}, {fw['target'][1]}, {fw['database'][0]}, {fw['database'][1]}, "
                    f"{fw['inline'][0]}, {fw['inline'][1]}}},")
    out += ["", "const mo_call_method mo_call_methods[] = {"] + rows + ["};",
            f"const size_t mo_call_method_count = {len(methods)};"]
    return "\n".join(out) + "\n"
