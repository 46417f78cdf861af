"""The Lua manager layer from the model: <build>/bindings/lua/mocore_managers.lua.

`emit(surface) -> str` writes the module (gen-managers.py --lang lua --out FILE; built by
bindings/bindings.cmake next to mocore.lua). It holds, all from the description:

- the SDK's enums (mocore.enums.DistanceType.L2 == "l2");
- every record kind's class (a metatable per kind: the fields come from C);
- every manager and every method and alias: its doc comment (the signature with its
  defaults, the result kind) and a body that hands the Lua arguments to the one C call of the
  method (R.call: bindings/managers/call.h checks, defaults, aliases and builds everything)
  and converts the outcome by the result kind.

What stays hand-written is bindings/lua/mocore_managers_runtime.lua: the Lua value -> shape
walker, the calling convention, the record classes, result objects, rows and dicts.

Lua idiom: m:create(name, level) positionally (the SDK's order), m:create{ name = ..., level
= ... } with one table of named arguments, or both in one table (m:create{ "s1", level = ...
}, the array part positional); records are tables (a metatable per kind); lists sequences;
nil is "not given" (the default applies) and mocore.null is "no value".

Lua differs from the description's richer conversions only where Lua has no such value:
a utc_ns field is C's UTC text (Lua has no time type; json_object fields come parsed by C), moctl
answers are C's tree of the JSON answer with return_str (the text of its first result),
result_set is the affected-row count.

"""
import re

import model

_KEYWORDS = set("and break do else elseif end false for function goto if in local nil not or "
                "repeat return then true until while".split())


def _s(text):
    """A Lua string literal."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 32 or o == 127:
            out.append("\\%03d" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _key(k):
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k) and k not in _KEYWORDS:
        return k
    return "[" + _s(k) + "]"


def lit(v):
    """A Lua literal of a TOML value."""
    if v is None:
        return "nil"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        r = repr(v)
        return r if ("." in r or "e" in r or "n" in r) else r + ".0"
    if isinstance(v, str):
        return _s(v)
    if isinstance(v, (list, tuple)):
        return "{ " + ", ".join(lit(x) for x in v) + " }" if v else "{}"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {lit(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(f"no Lua literal for {v!r}")


def _comment(text, indent=""):
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > 92 - len(indent):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "".join(f"{indent}-- {x}\n" for x in lines)


# Types whose value is a Lua table: never the first positional argument, so that a single
# table argument always means "the arguments by name" (see R.call).
_TABLE_TYPES = {"names", "strmap", "params", "vector", "row", "rows", "column_types",
                "table_mappings", "thresholds"}

# Map types whose order matters: a Lua map (which has none) is refused; an array of {key,
# value} pairs is the way (C takes it as the map, in that order).
_ORDERED_TYPES = {"column_types"}

# The record kind of the records a custom method may return (C's custom body picks it).
_CUSTOM_RECORDS = {"metadata.scan": "K.metadata_row"}


def _wrap(line, indent, width=100):
    """`line` broken after commas (outside string literals) into lines of at most `width`,
    the continuations indented four more."""
    if len(indent) + len(line) <= width:
        return [indent + line]
    pieces, start, quote, i = [], 0, None, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "," and line[i + 1:i + 2] == " ":
            pieces.append(line[start:i + 1])
            start = i + 2
        i += 1
    pieces.append(line[start:])
    out, cur = [], indent + pieces[0]
    for p in pieces[1:]:
        if len(cur) + 1 + len(p) > width:
            out.append(cur)
            cur = indent + "    " + p
        else:
            cur += " " + p
    out.append(cur)
    return out


class _Emitter:
    def __init__(self, surface):
        self.s = surface
        self.out = []

    def w(self, text=""):
        """One line of the module; code longer than 100 columns is broken after commas."""
        body = text.lstrip(" ")
        lines = [text] if body.startswith("--") else _wrap(body, text[:len(text) - len(body)])
        self.out.extend(x + "\n" for x in lines)

    @staticmethod
    def signature_args(m):
        """The SDK's arguments, then the load options a method takes as keywords."""
        args = list(m.args)
        names = {a.name for a in args}
        for o in m.load_options:
            if o.name not in names:
                default = None if o.default is model.NO_DEFAULT or o.name in m.unset else o.default
                args.append(model.Arg(name=o.name, type=o.type, required=False, default=default,
                                      nullable=True, keyword_only=True, option=o.name))
        return args

    @staticmethod
    def param(a):
        """An argument in the doc comment: name, name = default, name? (no value)."""
        if a.required:
            return a.name + ("?" if a.nullable else "")
        if a.default is None or a.default is model.NO_DEFAULT:
            return f"{a.name} = {lit(a.default_word)}" if a.default_word else a.name + "?"
        return f"{a.name} = {lit(a.default)}"

    def result(self, m, call):
        """The body's statements: the call, its outcome converted by the result kind."""
        r = m.result
        k = r.kind
        if k == "nothing":
            return [call]
        if k == "true":
            return [call, "return true"]
        if k in ("self", "owner"):
            return [call, "return self"]
        if k in ("record", "records") and not m.custom:
            return [f"return R.{k}(K.{r.record.kind}, {call})"]
        if k == "dicts" and m.vector_column:
            return [f"local out, _, given = {call}", f"return R.dicts(out, given.{m.vector_column})"]
        if m.custom:   # C picks the kind at run time
            return [f"return R.outcome({_CUSTOM_RECORDS.get(m.operation, 'nil')}, {call})"]
        if k in ("rows", "result", "dicts", "moctl"):
            return [f"return R.{k}({call})"]
        if k == "result_set":   # the affected-row count
            return [f"return ({call}).affected_rows"]
        if k in ("bool", "string", "count", "ivf_stats", "table_stats"):
            return [f"return ({call})"]   # C's outcome is the value itself
        raise model.DescriptionError(f"{m.operation}: result {k} has no Lua conversion")

    def method(self, mgr, m):
        where = f"{mgr.name}:{m.name}" if mgr.attach != "owner" else f"client:{m.name}"
        args = self.signature_args(m)
        if m.positional and m.positional[0].type in _TABLE_TYPES:
            raise model.DescriptionError(f"{m.operation}: the first positional argument is a table "
                                         f"({m.positional[0].type}); Lua reads one table argument as named arguments")
        pos = ", ".join(self.param(a) for a in m.positional)
        kw = ", ".join(self.param(a) for a in args if a.keyword_only)
        res = m.result.kind + (f" {m.result.record.kind}" if m.result.record and m.result.kind != "table_stats"
                               else f" {m.result.variant}" if m.result.variant else "")
        for x in _wrap(f"{where}({pos}{'; ' + kw if kw else ''}) -> {res}", "", 97):
            self.w("-- " + x)
        if m.target:
            self.w(f"-- an alias of {m.target.name}" + (f" ({m.database_alias_of} with database = true)"
                                                       if m.database_alias_of else "")
                   + (f" ({m.inline_alias_of} with inline = true)" if m.inline_alias_of else ""))
        self.w(_comment(m.doc).rstrip("\n"))
        self.w("do")
        # the positional names; the required arguments nil leaves as no value (as mocore.null);
        # the maps whose order matters (a Lua map has none)
        extra = {"nullable": [a.name for a in m.args if a.required and a.nullable],
                 "ordered": [a.name for a in args if a.type in _ORDERED_TYPES]}
        names = lit([a.name for a in m.positional])
        extra = ", ".join(f"{k} = {lit(v)}" for k, v in extra.items() if v)
        if extra:
            names = names[:-1].rstrip() + (", " if m.positional else " ") + extra + " }"
        self.w("  local P = " + names)
        self.w(f"  {self.cls}.{m.name} = function(self, ...)")
        for line in self.result(m, f"R.call(self, {_s(m.manager + '.' + m.name)}, P, ...)"):
            self.w("    " + line)
        self.w("  end")
        self.w("end")
        self.w()

    def emit(self):
        s = self.s
        w = self.w
        w("-- mocore_managers.lua — the managers of the Lua binding (client.snapshots,")
        w("-- client.vector_ops, client.load_data, ..., client:insert): generated by")
        w("-- bindings/gen-managers.py (bindings/managers/emit_lua.py) from bindings/managers.toml.")
        w("-- Do not edit: change the description, or bindings/lua/mocore_managers_runtime.lua (the")
        w("-- Lua idiom around the one C call of each method). docs/managers-reference.md lists")
        w("-- every method; bindings/lua/mocore.lua installs them on clients and sessions.")
        w('local R = require "mocore_managers_runtime"')
        w()
        w("-- the SDK's enums: MEMBER -> word (mocore.enums.DistanceType.COSINE == \"cosine\")")
        w("local enums = {")
        for c in s.choices.values():
            if c.enum:
                w(f"  {c.enum} = {{ " + ", ".join(f"{_key(mem)} = {_s(word)}" for mem, word in c.members()) + " },")
        w("}")
        w()
        w("-- the record classes (metatables): the fields come from C, in the order of")
        w("-- mo_swig_record_fields() in bindings/mocore.i")
        w("local K = {")
        for kind, r in s.records.items():
            w(f"  {_key(kind)} = {{ __name = {_s('mocore.' + r.class_name)}, class = {_s(r.class_name)} }},")
        w("}")
        w()
        w("local managers, owner_methods = {}, {}")
        w()
        for mgr in s.managers:
            w("-- " + "=" * 88)
            if mgr.attach == "owner":
                w(f"-- {mgr.class_name}: the client's and the session's own methods")
                self.cls = "owner_methods"
            else:
                w(f"-- {mgr.name}: {mgr.class_name}" + (f" ({mgr.server} only)" if mgr.server else ""))
                self.cls = f"managers.{mgr.name}"
                w(f"managers.{mgr.name} = {{ __name = {_s('mocore.' + mgr.class_name)} }}")
                w(f"managers.{mgr.name}.__index = managers.{mgr.name}")
            w(_comment(mgr.doc).rstrip("\n"))
            w()
            for m in mgr.methods:
                self.method(mgr, m)
        w("return R.module(managers, owner_methods, K, enums)")
        return "".join(self.out)


def emit(surface):
    return _Emitter(surface).emit()
