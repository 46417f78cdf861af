"""The Ruby manager layer (lib/mocore/managers.rb) from the model.

`emit(surface) -> str` returns the text of the generated module; gen-managers.py writes it
(`--lang ruby --out FILE`), bindings/bindings.cmake runs it at build time into
<build>/bindings/ruby/mocore/managers.rb, and bindings/ruby/build-gem.rb into the gem's lib/.

What it writes: the choices (word -> C constant), the records as Structs (keyword_init) bound
to their C accessors, the load option table, one class per manager with a real `def` per
method and alias, and Managers::Access (the manager attributes and the table helpers of
Client, Session and HookConnection). A method has the SDK's arguments in the SDK's order:

    def create(name = NONE, level = NONE, database = NONE, ..., *extra, **named, &blk)

positional or by keyword (a positional argument given by name arrives in `named`), the
keyword-only ones and the load options as Ruby keywords with the SDK's defaults. NONE ("not
given") lets the runtime tell a missing argument from nil and apply the description's
defaults; `*extra`, `**named` and `&blk` let it raise the description's too_many / unknown /
twice messages instead of Ruby's ArgumentError. Every conversion, check and result is a call
into the hand-written runtime (bindings/ruby/lib/mocore/manager_runtime.rb): the body runs in
`run(:method, [values], extra, named, blk) { |cv, values...| ... }` where `cv` converts
(`cv.string("name", name)`) and releases the C handles it made once the call is over. A method
the description marks custom calls `custom_<manager>_<method>(cv, <its arguments>)` of the
runtime."""

from model import NO_DEFAULT

# converters whose last parameter says "no value is allowed"
OPTIONAL_FLAG = {"string", "text", "data", "table", "int", "positive", "number", "flag", "strmap",
                 "params", "callable", "column_types"}
# A callable load option cannot travel through a C setter from Ruby: the load runs through the
# binding's own entry point, which registers the proc (mocore_ruby.i).
PROGRESS_RUNNER = {"mo_load_data_from_local_file": "mo_rb_load_local_file"}
# Object's own methods a manager attribute must not hide when called with arguments.
OBJECT_METHODS = {"clone", "dup", "display", "method", "hash", "freeze", "send", "tap", "then"}
# names the generated bodies use themselves
RESERVED = {"cv", "ex", "rows", "extra", "named", "blk", "self", "end", "class", "def", "if",
            "in", "do", "then", "next", "nil", "true", "false", "begin", "module", "yield"}


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


def _conv(m, a, value=None):
    """The expression converting argument `a` for C: one call of the runtime's converter."""
    v = value or _name(m, a.name)
    args = [f":{a.type}", _rb(a.name), v]
    if a.type == "choice":
        default = a.default if isinstance(a.default, str) else a.default_word
        if default is None and a.accepts_no_value:
            args.append("true")
        args += [f'words: CHOICES["{a.choices}"]', f"default: {_rb(default)}"]
    elif a.type == "names":
        args += ["true" if a.accepts_no_value else "false", f"join: {_rb(a.join)}", f"empty_ok: {_rb(a.empty_ok)}"]
    elif a.type in OPTIONAL_FLAG and a.accepts_no_value:
        args.append("true")
    expr = f"cv.arg({', '.join(args)})"
    if a.type == "row":
        expr = "*" + expr
    return expr


def _check_order(m):
    seen_default = False
    for a in m.positional:
        if not a.required:
            seen_default = True
        elif seen_default:
            raise SystemExit(f"emit_ruby: {m.operation}.{m.name}: required {a.name} after a default")


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


def _all_values(m):
    return [a.name for a in m.args] + [o.name for o in m.load_options]


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


def _signature(m):
    """The runtime's Signature of a method: operation, positional and keyword names, the
    defaults of the optional ones, the argument a block fills, the names of `unknown`."""
    defaults = ", ".join(f"{a.name}: {_rb(_default(a))}" for a in m.positional if not a.required)
    callable_ = next((a.name for a in m.args if a.type == "callable"), None)
    pos = " ".join(a.name for a in m.positional)
    kw = " ".join(a.name for a in m.keyword_only) + "".join(" " + o.name for o in m.load_options)
    return [f'"{m.operation}"', f"%i[{pos}]", f"%i[{kw.strip()}]",
            f"{{ {defaults} }}".replace("{  }", "{}"), ":" + callable_ if callable_ else "nil"]


def _result(m, call):
    k = m.result.kind
    if k == "nothing":
        return [call, "nil"]
    if k == "true":
        return [call, "true"]
    if k == "self":
        return [call, "self"]
    if k == "owner":
        return [call, "@owner"]
    if k == "bool":
        return [f"{call} == 1"]
    if k in ("string", "count"):
        return [call]
    if k == "record":
        return [f'record("{m.result.record.kind}", {call})']
    if k == "records":
        return [f'records("{m.result.record.kind}", {call})']
    if k in ("rows", "result", "moctl", "ivf_stats", "result_set"):
        return [f"{k}({call})"]
    if k == "dicts":
        vc = _name(m, m.vector_column) if m.vector_column else "nil"
        return [f"dicts({call}, {vc})"]
    if k == "table_stats":
        return [f'table_stats({call}, :{m.result.variant})']
    raise SystemExit(f"emit_ruby: {m.operation}: result {k} not handled")


def _empty_rows_result(m):
    k = m.result.kind
    if k == "self":
        return "self"
    if k == "owner":
        return "@owner"
    if k == "result_set":
        return "result_set(0)"
    return "0"


def _call(fn, args, indent):
    """Core.fn(args), wrapped one argument a line (indented from the body) when long."""
    call = f"Core.{fn}({', '.join(args)})"
    if len(call) + len(indent) <= 110:
        return call
    return f"Core.{fn}(\n  " + ",\n  ".join(args) + ")"


def _body(mgr, m, indent):
    if m.custom and not m.target:
        return _wrap(f"custom_{m.manager}_{m.name}(", ["cv"] + [_name(m, a.name) for a in m.args], ")", 90)
    if m.target:
        return _alias_body(mgr, m)
    lines = []
    for a in m.args:
        if not a.passed:
            lines.append(_conv(m, a))  # checked, not sent
    args = ["ex"]
    for a in m.c_args:
        if a.type == "rows":
            lines.append(f"rows = {_conv(m, a)}")
            lines.append(f"next {_empty_rows_result(m)} if rows.nil?")
            args.append("*rows")
        else:
            args.append(_conv(m, a))
    call_fn = m.c
    if m.load_options:
        values = {o.name: o.name for o in m.load_options}
        values.update({a.option: _name(m, a.name) for a in m.args if a.option})
        lines += _wrap("options = cv.load_options(LOAD_OPTIONS, { ",
                       [f"{k}: {v}" for k, v in values.items()], " })", 94)
        args.append("options")
        if any(a.option and a.type == "callable" for a in m.args):
            runner = PROGRESS_RUNNER.get(m.c)
            if not runner:
                raise SystemExit(f"emit_ruby: {m.operation}: a progress option without a Ruby runner")
            with_progress = _result(m, _call(runner, args + ["cv.progress_id"], indent))
            lines.append(f"next {with_progress[0]} if cv.progress_id" if len(with_progress) == 1 else "")
            if len(with_progress) != 1:
                raise SystemExit(f"emit_ruby: {m.operation}: a progress load must return its count")
    return lines + _result(m, _call(call_fn, args, indent))


def _forward(target, mapping):
    return f"{target.name}(" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + ")"


def _alias_body(mgr, m):
    lines = []
    passed = [a for a in m.args if a.passed]
    used = {"database"} if m.database_alias_of else set()
    used |= {"inline"} if m.inline_alias_of else set()
    for a in m.args:
        if not a.passed:  # checked, not sent; database / inline pick the method
            lines.append(f"{a.name}_ = {_conv(m, a)}" if a.name in used else _conv(m, a))
    if m.database_alias_of:
        t = mgr.method(m.database_alias_of)
        pos = ", ".join(a.name for a in passed[:len(t.args)])
        lines.append(f"next {t.name}({pos}) if database_ == 1")
    if m.inline_alias_of:
        t = mgr.method(m.inline_alias_of)
        mine = {a.name for a in m.args}
        spare = [a.name for a in m.positional if a.passed and a.name not in {x.name for x in t.args}]
        mapping = {}
        for ta in t.args:
            mapping[ta.name] = ta.name if ta.name in mine else spare.pop(0)
        lines.append(f"next {_forward(t, mapping)} if inline_ == 1")
    mapping = {}
    for a in passed:
        if a.option:
            mapping[a.option] = _conv(m, a) if a.type == "choice" else a.name
        elif a.as_:
            mapping[a.as_] = a.name
        else:
            raise SystemExit(f"emit_ruby: {m.manager}.{m.name}: argument {a.name} has neither as nor option")
    for k, v in m.preset.items():
        mapping[k] = _rb(v)
    for k in m.unset:
        mapping[k] = "nil"
    lines += _wrap(f"{m.target.name}(", [f"{k}: {v}" for k, v in mapping.items()], ")", 90)
    return lines


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
    _check_order(m)
    doc = m.doc + (f" ({m.server} only)" if m.server else "")
    if m.target:
        doc += f" (forwards to {m.target.name})"
    out = _comment(doc, indent) + _usage_comment(m, indent)
    values = [_name(m, n) for n in _all_values(m)]
    out += _wrap(f"{indent}def {m.name}(", _def_line(m), ")")
    out += _wrap(f"{indent}  run(:{m.name}, [", values, "], extra, named, blk) do")
    out += _wrap(f"{indent}    |", ["cv"] + values, "|")
    out += [f"{indent}    {line}" for line in "\n".join(_body(mgr, m, indent + "    ")).split("\n")]
    out += [f"{indent}  end", f"{indent}end"]
    return out


def _record(surface, r):
    conv = []
    for f in r.fields:
        if f.convert:
            how, *arg = f.convert.split()
            conv.append(f"{f.name}: [:{how}, {_rb(arg[0]) if arg else 'nil'}]")
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
           "  module Managers",
           "    # the description's texts and checks: [messages], [value_kinds], [types]"]
    out += _rb_hash("Runtime.messages", surface.messages)
    out += _rb_hash("Runtime.value_kinds", surface.value_kinds)
    out += ["    Runtime.types("]
    for t in surface.types.values():
        checks = [f"expected: {_rb(t.expected)}"]
        if t.accepts:
            checks.append("accepts: %i[" + " ".join(t.accepts) + "]")
        checks += [f"{k}: {_rb(v)}" for k, v in t.checks.items() if k != "accepts"]
        out.append(f"      {t.name}: {{ " + ", ".join(checks) + " },")
    out[-1] = out[-1].rstrip(",")
    out.append("    )")
    out += ["",
            "    # ---------------------------------------------------------------- choices",
            "    # choice -> { word => the C constant or the text C receives }",
            "    CHOICES = {"]
    for c in surface.choices.values():
        words = [f'"{w}" => ' + (f"Core::{v}" if c.is_constant(w) else _rb(v)) for w, v in c.words.items()]
        out += _wrap(f'      "{c.name}" => {{ ', words, " }.freeze,")
    out[-1] = out[-1].rstrip(",")
    out += ["    }.freeze", "",
            "    # ---------------------------------------------------------------- records",
            "    # Structs (keyword_init) with the fields of mo_swig_record_fields (bindings/mocore.i);",
            "    # the conversions are [how, argument] (utc_ns: a UTC Time of that nanosecond field,",
            "    # choice: the word as a Symbol, json_object: the parsed JSON text)."]
    for r in surface.records.values():
        out += _record(surface, r)
    out += ["", "    # load_data's options: [name, mo_load_options_<setter>, type, with, each]",
            "    LOAD_OPTIONS = ["]
    for o in surface.load_options:
        out.append(f"      [:{o.name}, {_rb(o.setter)}, :{o.type}, "
                   f"{':' + o.with_ if o.with_ else 'nil'}, {_rb(o.each)}],")
    out[-1] = out[-1].rstrip(",")
    out.append("    ].freeze")
    for mgr in surface.managers:
        where = (f"client.{mgr.name}" if mgr.attach == "attribute"
                 else "the methods of clients and sessions (" + ", ".join(x.name for x in mgr.methods) + ")")
        out += ["", f"    # ---------------------------------------------------------------- {mgr.name}"]
        out += _comment(f"{where}: {mgr.doc}" + (f" ({mgr.server} only)" if mgr.server else ""), "    ")
        out.append(f"    class {mgr.class_name} < Manager")
        out.append("      SIGNATURES = {")
        for i, m in enumerate(mgr.methods):
            out += _wrap(f"        {m.name}: Signature.new(", _signature(m),
                         ")," if i < len(mgr.methods) - 1 else ")", 110)
        out.append("      }.freeze")
        for m in mgr.methods:
            out.append("")
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


def _rb_hash(call, d):
    """`call(` one `key: "text",` a line `)` (the description's tables)."""
    items = [f"      {k}: {_rb(v)}," for k, v in d.items()]
    items[-1] = items[-1].rstrip(",")
    return [f"    {call}("] + items + ["    )"]
