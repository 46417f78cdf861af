"""The Ruby manager layer (lib/mocore/managers.rb) from the model.

`emit(surface) -> str` returns the text of the generated module; gen-managers.py writes it
(`--lang ruby --out FILE`), bindings/bindings.cmake runs it at build time into
<build>/bindings/ruby/mocore/managers.rb, and bindings/ruby/build-gem.rb into the gem's lib/.

What it writes: the choices' words, the records as Structs (keyword_init) with their
conversions, one class per manager with a real `def` per method and alias, and
Managers::Access (the manager attributes and the table helpers of Client, Session and
HookConnection). A method has the SDK's arguments in the SDK's order:

    def create(name = NONE, level = NONE, database = NONE, ..., *extra, **named, &blk)

positional or by keyword (a positional argument given by name arrives in `named`), the
keyword-only ones and the load options as Ruby keywords with the SDK's defaults. NONE ("not
given") leaves a default to C; `*extra`, `**named` and `&blk` go to C too, which says
too_many / unknown / twice. The body is one call of the method in C (bindings/managers/call.h)
through the runtime (bindings/ruby/lib/mocore/manager_runtime.rb), `invoke("snapshots.create",
names, values, extra, keywords, named, blk)`, whose outcome the result kind converts
(`record("snapshot", ...)`, `dicts(...)`, `self`). C checks every argument with the
description's one message per mistake, applies the defaults and aliases and runs the C
function."""

from model import NO_DEFAULT

# Object's own methods a manager attribute must not hide when called with arguments.
OBJECT_METHODS = {"clone", "dup", "display", "method", "hash", "freeze", "send", "tap", "then"}
# names the generated bodies use themselves
RESERVED = {"extra", "named", "blk", "self", "end", "class", "def", "if", "in", "do", "then",
            "next", "nil", "true", "false", "begin", "module", "yield"}
# the SQL values of an argument type are this deep inside it (Walk of the runtime)
SQL_DEPTH = {"params": 1, "row": 1, "rows": 2}


def _rb(v):
    """A Ruby literal of a description value."""
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        out = '"'
        for ch in v:
            out += {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\", "#": "\\#"}.get(ch, ch)
        return out + '"'
    raise SystemExit(f"emit_ruby: no Ruby literal for {v!r}")


def _default(a):
    return None if a.default is NO_DEFAULT else a.default


def _name(m, n):
    if n in RESERVED:
        raise SystemExit(f"emit_ruby: {m.operation}: argument name {n!r} collides with the generated body")
    return n


def _def_line(m):
    parts = [f"{_name(m, a.name)} = NONE" for a in m.positional]
    parts.append("*extra")
    for a in m.keyword_only:
        parts.append(f"{_name(m, a.name)}: {'NONE' if a.required else _rb(_default(a))}")
    for o in m.load_options:
        parts.append(f"{_name(m, o.name)}: {_rb(None if o.default is NO_DEFAULT else o.default)}")
    parts += ["**named", "&blk"]
    return parts


def _wrap(head, items, tail, width=100):
    """head + items joined by ", " + tail, continued under the first item when too long."""
    line = head + ", ".join(items) + tail
    if len(line) <= width or not items:
        return [line]
    out, cur, pad = [], head, " " * len(head)
    for i, item in enumerate(items):
        piece = item + (tail if i == len(items) - 1 else ",")
        if cur not in (head, pad) and len(cur) + 1 + len(piece) > width:
            out.append(cur)
            cur = pad
        cur += ("" if cur in (head, pad) else " ") + piece
    out.append(cur)
    return out


def _usage(m):
    """The comment line showing the call: create(name, level, database = nil, ...) -> Snapshot."""
    parts = []
    for a in m.positional:
        parts.append(a.name if a.required else f"{a.name} = {_rb(_default(a))}")
    for a in m.keyword_only:
        parts.append(f"{a.name}:" if a.required else f"{a.name}: {_rb(_default(a))}")
    if m.load_options:
        parts.append("<load options>:")
    r = m.result
    shown = {"nothing": "nil", "true": "true", "self": "self", "owner": "the client or session",
             "bool": "true or false", "string": "String", "count": "Integer",
             "rows": "Array of row Arrays", "result": "MoCore::Result",
             "dicts": "Array of Hashes", "moctl": "Hash (the parsed answer)",
             "ivf_stats": "MoCore::IvfStats", "result_set": "MoCore::ResultSet"}
    if r.kind == "record":
        res = f"MoCore::{r.record.class_name}"
    elif r.kind == "records":
        res = f"Array of MoCore::{r.record.class_name}"
    elif r.kind == "table_stats":
        res = ("{ key => MoCore::TableStats }" if r.variant == "brief"
               else "{ key => [MoCore::TableStats, ...] }")
    else:
        res = shown[r.kind]
    return f"{m.name}({', '.join(parts)}) -> {res}"


def _usage_comment(m, indent):
    head, _, rest = _usage(m).partition("(")
    args, _, result = rest.rpartition(") -> ")
    lines = _wrap(f"{indent}#   {head}(", args.split(", ") if args else [], f") -> {result}")
    return [lines[0]] + [f"{indent}#" + x[len(indent) + 1:] for x in lines[1:]]


def _invoke(mgr, m):
    """invoke(...) of the runtime: the method's one C call with the Ruby arguments."""
    pos = [_name(m, a.name) for a in m.positional]
    kws = [a.name for a in m.keyword_only] + [o.name for o in m.load_options]
    pairs = [f"{_name(m, k)}: {k}" for k in kws] or ["{}"]
    if kws:
        pairs[0] = "{ " + pairs[0]
        pairs[-1] += " }"
    args = [_rb(f"{mgr.name}.{m.name}"), "%i[" + " ".join(pos) + "]", "[" + ", ".join(pos) + "]", "extra",
            *pairs, "named", "blk"]
    callable_ = next((a.name for a in m.args if a.type == "callable"), None)
    if callable_:
        args.append(f"block_as: :{callable_}")
    if m.operation != f"{mgr.name}.{m.name}":
        args.append(f"op: {_rb(m.operation)}")
    sql = [f"{a.name}: {SQL_DEPTH[a.type]}" for a in m.args if a.type in SQL_DEPTH]
    if sql:
        args.append("sql: { " + ", ".join(sql) + " }")
    return args


def _given(m, name):
    """The value of argument `name` as the caller gave it (positionally or by name)."""
    a = next(a for a in m.args if a.name == name)
    return name if a.keyword_only else f"given({name}, named, :{name})"


def _body(mgr, m, indent):
    """The call, its outcome converted by the result kind."""
    head = "invoke("
    kind = m.result.kind
    t = m.target or m
    if (mgr.name, m.name) == ("metadata", "scan"):
        return _wrap(f"{indent}metadata_scan(invoke(", _invoke(mgr, m), f"), {_given(m, 'columns')})")
    after = {"nothing": "nil", "true": "true", "self": "self", "owner": "@owner"}.get(kind)
    if after:
        return _wrap(indent + head, _invoke(mgr, m), ")") + [indent + after]
    if kind in ("bool", "string", "count", "moctl"):
        return _wrap(indent + head, _invoke(mgr, m), ")")
    if kind in ("record", "records"):
        return _wrap(f'{indent}{kind}("{m.result.record.kind}", invoke(', _invoke(mgr, m), "))")
    if kind == "table_stats":
        return _wrap(f"{indent}table_stats(invoke(", _invoke(mgr, m), "))")
    if kind == "dicts" and t.vector_column:
        vc = t.vector_column if m is t else next(a.name for a in m.args if a.as_ == t.vector_column)
        return _wrap(f"{indent}dicts(invoke(", _invoke(mgr, m), f"), {_given(m, vc)})")
    if kind in ("rows", "result", "dicts", "ivf_stats", "result_set"):
        return _wrap(f"{indent}{kind}(invoke(", _invoke(mgr, m), "))")
    raise SystemExit(f"emit_ruby: {m.operation}: result {kind} not handled")


def _comment(text, indent, width=100):
    words, out, line = text.split(), [], indent + "#"
    for w in words:
        if len(line) + 1 + len(w) > width and line != indent + "#":
            out.append(line)
            line = indent + "#"
        line += " " + w
    out.append(line)
    return out


def _method(mgr, m, indent="    "):
    doc = m.doc + (f" ({m.server} only)" if m.server else "")
    if m.target:
        doc += f" (forwards to {m.target.name})"
    out = _comment(doc, indent) + _usage_comment(m, indent)
    out += _wrap(f"{indent}def {m.name}(", _def_line(m), ")")
    out += _body(mgr, m, indent + "  ")
    out += [f"{indent}end"]
    return out


def _record(surface, r):
    conv = []   # C converts utc_ns (a t leaf: a Time) and json_object (the parsed tree)
    for f in r.fields:
        how, *arg = (f.convert or "").split() or [None]
        if how == "choice":
            conv.append(f"{f.name}: {_rb(arg[0])}")
    return [f'    Record.define("{r.kind}", :{r.class_name}, {{ {", ".join(conv)} }})'.replace("{  }", "{}")]


def emit(surface):
    managers = [m for m in surface.managers if m.attach == "attribute"]
    owners = [m for m in surface.managers if m.attach == "owner"]
    about = ("The managers with the MatrixOne Python SDK's surface: "
             + ", ".join(f"client.{m.name}" for m in managers) + ", and the table helpers "
             + ", ".join(f"client.{x.name}" for o in owners for x in o.methods)
             + " (the same on a session, inside its transaction, and on the connection an "
             "on_connect hook receives).")
    out = ["# frozen_string_literal: true",
           "",
           "# Generated by bindings/gen-managers.py (bindings/managers/emit_ruby.py) from",
           "# bindings/managers.toml: do not edit. docs/managers-reference.md lists every method,",
           "# argument and message; docs/managers.md describes each manager and where it differs",
           "# from the MatrixOne Python SDK; the runtime this calls is mocore/manager_runtime.rb.",
           "module MoCore"] + _comment(about, "  ") + [
           "  module Managers"]
    out += ["    # ---------------------------------------------------------------- choices",
            "    # choice -> its words (a Symbol or a String of any case is one; C checks)",
            "    CHOICES = {"]
    for c in surface.choices.values():
        out += _wrap(f'      "{c.name}" => [', [_rb(w) for w in c.words], "].freeze,")
    out[-1] = out[-1].rstrip(",")
    out += ["    }.freeze", "",
            "    # ---------------------------------------------------------------- records",
            "    # Structs (keyword_init) with the fields of mo_swig_record_fields (bindings/mocore.i);",
            "    # the fields of a choice (field => its choices): the word as a Symbol."]
    for r in surface.records.values():
        out += _record(surface, r)
    for mgr in surface.managers:
        where = (f"client.{mgr.name}" if mgr.attach == "attribute"
                 else "the methods of clients and sessions (" + ", ".join(x.name for x in mgr.methods) + ")")
        out += ["", f"    # ---------------------------------------------------------------- {mgr.name}"]
        out += _comment(f"{where}: {mgr.doc}" + (f" ({mgr.server} only)" if mgr.server else ""), "    ")
        out.append(f"    class {mgr.class_name} < Manager")
        for i, m in enumerate(mgr.methods):
            out += [""] if i else []
            out += _method(mgr, m, "      ")
        if any(m.name == "exists" for m in mgr.methods):
            out += ["", "      alias exists? exists"]
        out.append("    end")
    out += ["", "    # ---------------------------------------------------------------- the attributes",
            "    # The manager attributes and the table helpers of Client, Session and HookConnection",
            "    # (anything with a private #executor: Runtime's Owner).",
            "    module Access",
            "      include Owner"]
    for mgr in managers:
        out.append("")
        out += _comment(f"{mgr.class_name}: {mgr.doc}", "      ")
        if mgr.name in OBJECT_METHODS:
            out += [f"      # (Object#{'#'}{mgr.name} is still reached with arguments.)",
                    f"      def {mgr.name}(*args, **kw, &blk)",
                    "        return super if !args.empty? || !kw.empty? || blk",
                    "",
                    f"        {mgr.class_name}.new(self)",
                    "      end"]
        else:
            out.append(f"      def {mgr.name} = {mgr.class_name}.new(self)")
    for mgr in owners:
        for m in mgr.methods:
            out.append("")
            out += _comment(m.doc, "      ") + _usage_comment(m, "      ")
            out.append(f"      def {m.name}(*args, **named, &blk) = "
                       f"{mgr.class_name}.new(self).{m.name}(*args, **named, &blk)")
    out += ["    end", "  end", "end"]
    return "\n".join(out) + "\n"
