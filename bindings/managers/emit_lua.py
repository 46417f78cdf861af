"""The Lua manager layer from the model: <build>/bindings/lua/mocore_managers.lua.

`emit(surface) -> str` writes the module (gen-managers.py --lang lua --out FILE; built by
bindings/bindings.cmake next to mocore.lua). It holds, all from the description:

- the argument-error templates, value kinds and `{expected}` texts (given to the runtime);
- the choices (word -> C constant or text) and their enums (mocore.enums.DistanceType.L2);
- every record kind: class name, list functions and field accessors, from the field table
  of mo_swig_record_fields() in bindings/mocore.i that model.py reads;
- the load options (setter, type, `with`, `each`);
- every manager and every method and alias: its signature (names in the SDK's order, how
  many are positional, each argument's type, default and checks) and a body that collects
  the arguments, calls the C function with them in the C order and converts the result.

What stays hand-written is bindings/lua/mocore_managers_runtime.lua: the argument converters
per type, the arity checks, the result kinds, and the description's few `custom` bodies.

Lua idiom: m:create(name, level) positionally (the SDK's order), m:create{ name = ..., level
= ... } with one table of named arguments, or both in one table (m:create{ "s1", level = ...
}, the array part positional); records are tables (a metatable per kind); lists sequences;
nil is "not given" (the default applies) and mocore.null is "no value".

Lua differs from the description's richer conversions only where Lua has no such value:
record `convert`s are left as the C text (no date type, no JSON parser in Lua), moctl
answers are {method, return_str, json} (the JSON text), result_set is the affected-row
count.

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
# table argument always means "the arguments by name" (see R.collect).
_TABLE_TYPES = {"names", "strmap", "params", "vector", "row", "rows", "column_types",
                "table_mappings", "thresholds"}

# C entry points the Lua binding replaces by its own native (mocore_lua.i): a Lua function
# argument (the load progress) needs the lua_State.
_LUA_NATIVE = {"mo_load_data_from_local_file": "mo_lua_load_data_from_local_file"}


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

    # -------------------------------------------------------------- values

    def choice_value(self, c, word):
        v = c.words[word]
        return f"core.{v}" if c.is_constant(word) else lit(v)

    def no_value(self, t, choices, default_word):
        if t == "choice" and default_word:
            return self.choice_value(self.s.choices[choices], default_word)
        return "nil"

    def arg_spec(self, a, option=False, forwarded=False):
        parts = [_s(a.name), _s(a.type)]
        if forwarded:
            parts.append("raw = true")
        if a.default is not model.NO_DEFAULT and a.default is not None:
            parts.append(f"default = {lit(a.default)}")
        if a.accepts_no_value:
            parts.append("none = true")
        if a.choices and a.type == "choice":
            parts.append(f"choices = C.{a.choices}")
        if a.default_word:
            parts.append(f"none_value = {self.no_value(a.type, a.choices, a.default_word)}")
        if a.join != ",":
            parts.append(f"join = {_s(a.join)}")
        if a.empty_ok:
            parts.append("empty_ok = true")
        if option:
            o = next(o for o in self.s.load_options if o.name == a.option)
            if o.each:
                parts.append("each = true")
        return "{ " + ", ".join(parts) + " }"

    def option_arg(self, o, method):
        """A load option as a keyword-only argument of a method taking load options."""
        default = o.default
        if default is model.NO_DEFAULT or o.name in method.unset:
            default = None
        return model.Arg(name=o.name, type=o.type, required=False, default=default,
                         nullable=True, keyword_only=True, option=o.name)

    def signature_args(self, m):
        args = list(m.args)
        names = {a.name for a in args}
        for o in m.load_options:
            if o.name not in names:
                args.append(self.option_arg(o, m))
        return args

    # -------------------------------------------------------------- calls

    def call(self, m, values):
        """The C call of `m` with its arguments' Lua values (name -> expression) in the C
        order, then its load options (R.load_options) and a Lua function (the progress)."""
        fn = _LUA_NATIVE.get(m.c, m.c)
        vals = ["self:_executor()" if self.attach == "owner" else "self.owner:_executor()"]
        for a in m.c_args:
            e = values[a.name]
            if a.type == "row":
                vals += [f"{e}.columns", f"{e}.params"]
            elif a.type == "rows":
                vals += [f"{e}.columns", f"{e}.params", f"{e}.count"]
            else:
                vals.append(e)
        if m.load_options:
            opts = ", ".join(f"{o.name} = {values[o.name]}" for o in m.load_options)
            vals.append(f"R.load_options(sig, {{ {opts} }})")
        vals += [values[a.name] for a in m.args if a.type == "callable"]
        return f"R.call(sig, core.{fn}, {', '.join(vals)})"

    def result(self, m, call, vector_column=None):
        r = m.result
        k = r.kind
        if k == "nothing":
            return [call, "return"]
        if k == "true":
            return [call, "return true"]
        if k in ("self", "owner"):
            return [call, "return self"]
        if k == "bool":
            return [f"return {call} ~= 0"]
        if k in ("string", "count", "result_set"):
            return [f"return ({call})"]
        if k == "record":
            return [f"return R.record(K.{r.record.kind}, {call})"]
        if k == "records":
            return [f"return R.records(K.{r.record.kind}, {call})"]
        if k == "dicts":
            vc = f", {vector_column}" if vector_column else ""
            return [f"return R.dicts({call}{vc})"]
        if k == "table_stats":
            return [f"return R.table_stats(K.table_stats, {call}, {lit(r.variant == 'detail')})"]
        if k in ("rows", "result", "moctl", "ivf_stats"):
            return [f"return R.{k}({call})"]
        raise model.DescriptionError(f"{m.operation}: result {k} has no Lua conversion")

    def empty_rows(self, m, values):
        """`if <rows>.count == 0 then return <nothing sent> end` for a rows argument."""
        for a in m.c_args:
            if a.type == "rows":
                k = m.result.kind
                ret = {"self": "self", "owner": "self", "count": "0", "result_set": "0"}.get(k)
                if ret is None:
                    raise model.DescriptionError(f"{m.operation}: rows with result {k}")
                return [f"if {values[a.name]}.count == 0 then return {ret} end"]
        return []

    # -------------------------------------------------------------- methods

    def body(self, m):
        """The statements of a method's body after `local v[, given] = R.collect(...)`."""
        if m.target:
            return self.alias_body(m)
        values = {a.name: f"v.{a.name}" for a in self.signature_args(m)}
        vc = f"v.{m.vector_column}" if m.vector_column else None
        return self.empty_rows(m, values) + self.result(m, self.call(m, values), vc)

    def forwarded(self, m, a):
        """Whether an alias's argument goes to the target unchecked (the target checks it)."""
        return bool(m.target) and a.passed and not (a.option and a.type == "choice")

    def alias_body(self, m):
        """An alias: its own `pass = false` arguments are checked (R.collect), the others go
        to the target method as given, by their `as` name (load options by `option`, a choice
        converted), with `preset` and `unset` (no value); see the header of managers.toml."""
        def ref(name):
            return f"given.{name}" if _key(name) == name else f"given[{_s(name)}]"
        passed = [a for a in m.args if a.passed]
        lines = []
        if m.database_alias_of:
            d = self.manager.method(m.database_alias_of)
            flag = next(a for a in m.args if a.name == "database")
            pos = ", ".join(ref(a.name) for a in passed[:len(d.args)])
            lines.append(f"if v.{flag.name} ~= 0 then return self:{d.name}({pos}) end")
        if m.inline_alias_of:
            t = self.manager.method(m.inline_alias_of)
            mine = {a.name for a in m.args}
            tnames = {x.name for x in t.args}
            spare = [a.name for a in m.positional if a.passed and a.name not in tnames]
            mapping = {ta.name: ref(ta.name if ta.name in mine else spare.pop(0)) for ta in t.args}
            flag = next(a for a in m.args if a.name == "inline")
            lines.append(f"if v.{flag.name} ~= 0 then return self:{t.name}{self.table(mapping)} end")
        mapping = {}
        for a in passed:
            if a.option:
                mapping[a.option] = f"v.{a.name}" if a.type == "choice" else ref(a.name)
            elif a.as_:
                mapping[a.as_] = ref(a.name)
            else:
                raise model.DescriptionError(f"{m.manager}.{m.name}: argument {a.name} has neither as nor option")
        for k, val in m.preset.items():
            mapping[k] = lit(val)
        for k in m.unset:
            mapping[k] = "R.NULL"
        lines.append(f"return self:{m.target.name}{self.table(mapping)}")
        return lines

    @staticmethod
    def table(mapping):
        return "{ " + ", ".join(f"{_key(k)} = {v}" for k, v in mapping.items()) + " }"

    def method(self, mgr, m):
        args = self.signature_args(m)
        npos = len(m.positional)
        if npos and args[0].type in _TABLE_TYPES:
            raise model.DescriptionError(f"{m.operation}: the first positional argument is a table "
                                         f"({args[0].type}); Lua reads one table argument as named arguments")
        where = f"{mgr.name}:{m.name}" if mgr.attach != "owner" else f"client:{m.name}"
        sig_names = ", ".join(a.name for a in m.positional)
        kw = [a.name for a in args if a.keyword_only and not (a.option and m.load_options)]
        if m.load_options:
            kw.append("the load options")
        head = f"{where}({sig_names}{'; ' + ', '.join(kw) if kw else ''})"
        res = m.result.kind + (f" {m.result.record.kind}" if m.result.record and m.result.kind != "table_stats" else "")
        for x in _wrap(f"{head} -> {res}", "", 97):
            self.w("-- " + x)
        if m.target:
            self.w(f"-- an alias of {m.target.name}" + (f" ({m.database_alias_of} with database = true)"
                                                       if m.database_alias_of else ""))
        self.w(_comment(m.doc).rstrip("\n"))
        self.w("do")
        self.w(f"  local sig = R.signature({_s(m.operation)}, {_s(self.attach)}, {_s(where)}, {npos}, {{")
        for a in args:
            self.w(f"    {self.arg_spec(a, option=bool(a.option), forwarded=self.forwarded(m, a))},")
        self.w("  })")
        if m.custom:
            self.w(_comment("custom: " + m.custom, "  ").rstrip("\n"))
            self.w(f"  local custom = R.custom[{_s(m.manager + '.' + m.name)}]")
            self.w(f"  {self.cls}.{m.name} = function(self, ...)")
            self.w("    local v = R.collect(self, sig, ...)")
            self.w("    return custom(self, v, sig)")
            self.w("  end")
        else:
            self.w(f"  {self.cls}.{m.name} = function(self, ...)")
            self.w("    local v" + (", given" if m.target else "") + " = R.collect(self, sig, ...)")
            for line in self.body(m):
                self.w("    " + line)
            self.w("  end")
        self.w("end")
        self.w()

    # -------------------------------------------------------------- module

    def emit(self):
        s = self.s
        w = self.w
        w("-- mocore_managers.lua — the managers of the Lua binding (client.snapshots,")
        w("-- client.vector_ops, client.load_data, ..., client:insert): generated by")
        w("-- bindings/gen-managers.py (bindings/managers/emit_lua.py) from bindings/managers.toml.")
        w("-- Do not edit: change the description, or bindings/lua/mocore_managers_runtime.lua (the")
        w("-- argument converters, result kinds and custom bodies). docs/managers-reference.md")
        w("-- lists every method; bindings/lua/mocore.lua installs them on clients and sessions.")
        w('local R = require "mocore_managers_runtime"')
        w("local core = R.core")
        w()
        w("R.describe{")
        for name, table in (("messages", s.messages), ("value_kinds", s.value_kinds)):
            w(f"  {name} = {{")
            for k, text in table.items():
                w(f"    {_key(k)} = {_s(text)},")
            w("  },")
        w("  types = {")
        for name, t in s.types.items():
            checks = [f"expected = {_s(t.expected)}"]
            if t.accepts:
                checks.append("accepts = { " + ", ".join(f"{_key(k)} = true" for k in t.accepts) + " }")
            checks += [f"{k} = {lit(v)}" for k, v in t.checks.items() if k != "accepts"]
            w(f"    {_key(name)} = {{ " + ", ".join(checks) + " },")
        w("  },")
        w("}")
        w()
        w("-- choices: word -> the C constant or the text C receives")
        w("local C = {")
        for c in s.choices.values():
            w(f"  {c.name} = {{ " + ", ".join(f"{_key(word)} = {self.choice_value(c, word)}"
                                            for word in c.words) + " },")
        w("}")
        w("-- the SDK's enums: MEMBER -> word (mocore.enums.DistanceType.COSINE == \"cosine\")")
        w("local enums = {")
        for c in s.choices.values():
            if c.enum:
                w(f"  {c.enum} = {{ " + ", ".join(f"{_key(mem)} = {_s(word)}" for mem, word in c.members()) + " },")
        w("}")
        w()
        w("-- record kinds: fields (attribute, C accessor, s text / i integer / b flag) from")
        w("-- mo_swig_record_fields() in bindings/mocore.i")
        w("local K = {")
        for kind, r in s.records.items():
            w(f"  {kind} = R.record_kind({_s(kind)}, {_s(r.class_name)}, core.mo_{kind}_list_count, "
              f"core.mo_{kind}_list_get, {{")
            for f in r.fields:
                w(f"    {{ {_s(f.name)}, core.mo_{kind}_{f.accessor}, {_s(f.type)} }},")
            w("  }),")
        w("}")
        w()
        w("-- load options, in the description's order: name, type, setter, with, each")
        w("R.describe_load_options{")
        for o in s.load_options:
            if o.type == "callable":
                continue   # the progress function goes to mo_lua_load_data_from_local_file
            parts = [_s(o.name), _s(o.type), f"core.mo_load_options_{o.setter}" if o.setter else "nil"]
            if o.with_:
                parts.append(f"with = {_s(o.with_)}")
            if o.each:
                parts.append("each = true")
            w("  { " + ", ".join(parts) + " },")
        w("}")
        w()
        w("local managers, owner_methods = {}, {}")
        w()
        for mgr in s.managers:
            self.manager = mgr
            self.attach = mgr.attach
            w("-- " + "=" * 88)
            if mgr.attach == "owner":
                w(f"-- {mgr.class_name}: the client's and the session's own methods")
                self.cls = "owner_methods"
            else:
                w(f"-- {mgr.name}: {mgr.class_name}" + (f" ({mgr.server} only)" if mgr.server else ""))
                self.cls = f"managers.{mgr.name}"
                w(f"managers.{mgr.name} = R.manager_class({_s(mgr.class_name)})")
            w(_comment(mgr.doc).rstrip("\n"))
            w()
            for m in mgr.methods:
                self.method(mgr, m)
        w("return R.module(managers, owner_methods, K, C, enums)")
        return "".join(self.out)


def emit(surface):
    return _Emitter(surface).emit()

