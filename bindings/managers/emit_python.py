"""The Python manager layer (mocore/managers.py) from the model.

Writes real `def` methods with the SDK's signatures and docstrings (help() and inspect show
them), the records as dataclasses, the choices with an SDK enum as `str` enums, and the
`_Managers` mixin of Client, Session, HookConnection, the ORM sessions and (awaitable,
through mocore.aio) the async classes. Every conversion and message is a call into the
hand-written runtime mocore/_manager_runtime.py (`_rt`); a method the description marks
custom calls `_rt.<manager>_<method>(self, op, <its arguments>)`."""

from model import NO_DEFAULT

# types whose no-value default is given per argument (the others: the type's `optional`)
OPTIONAL_FLAG = {"string", "text", "names", "int", "positive", "flag", "strmap", "callable"}


def _py(v):
    return repr(v)


def _choice_const(name):
    return f"_CH_{name.upper()}"


def _conv(m, a):
    """The expression converting argument `a` for C: one call of the runtime's converter."""
    args = [f'op, "{a.name}", "{a.type}", {a.name}']
    if a.type == "choice":
        default = a.default if isinstance(a.default, str) else a.default_word
        args.append(f"{a.accepts_no_value and default is None}, {_choice_const(a.choices)}, {_py(default)}")
    elif a.type == "names":
        args.append(f"{a.accepts_no_value}, join={_py(a.join)}, empty_ok={a.empty_ok}")
    elif a.type in OPTIONAL_FLAG and a.accepts_no_value:
        args.append("True")
    expr = f"_rt.arg({', '.join(args)})"
    if a.type == "row":
        expr = "*" + expr
    return expr


def _signature(m, options=()):
    parts = ["self"]
    for a in m.positional:
        parts.append(a.name if a.required else f"{a.name}={_py(a.default)}")
    kw = [a.name if a.required else f"{a.name}={_py(a.default)}" for a in m.keyword_only]
    kw += [f"{o.name}={_py(None if o.default is NO_DEFAULT else o.default)}" for o in options]
    if kw:
        parts.append("*")
        parts.extend(kw)
    return ", ".join(parts)


def _doc(m, indent):
    text = m.doc
    if m.server:
        text += f" ({m.server} only)"
    return f'{indent}"""{text}"""'.replace("\\", "\\\\") if '"""' not in text else f"{indent}{text!r}"


def _check_order(m):
    seen_default = False
    for a in m.positional:
        if not a.required:
            seen_default = True
        elif seen_default:
            raise SystemExit(f"emit_python: {m.operation}.{m.name}: required {a.name} after a default")


def _result(m, call):
    k = m.result.kind
    if k == "nothing":
        return [f"{call}"]
    if k == "true":
        return [call, "return True"]
    if k in ("self", "owner"):
        return [call, "return self"]
    if k == "bool":
        return [f"return bool({call})"]
    if k in ("string", "count"):
        return [f"return {call}"]
    if k == "record":
        return [f'return _rt.record("{m.result.record.kind}", {call})']
    if k == "records":
        return [f'return _rt.records("{m.result.record.kind}", {call})']
    if k == "rows":
        return [f"return _rt.row_tuples({call})"]
    if k == "result":
        return [f"return _rt.result({call})"]
    if k == "dicts":
        vc = m.vector_column if m.vector_column else "None"
        return [f"return _rt.dicts({call}, {vc})"]
    if k == "moctl":
        return [f"return _rt.moctl({call})"]
    if k == "ivf_stats":
        return [f"return _rt.ivf_stats({call})"]
    if k == "table_stats":
        return [f'return _rt.table_stats({call}, "{m.result.variant}")']
    if k == "result_set":
        return [f"return _rt.ResultSet(affected_rows={call})"]
    raise SystemExit(f"emit_python: {m.operation}: result {k} not handled")


def _empty_rows_result(m):
    k = m.result.kind
    if k in ("self", "owner"):
        return "return self"
    if k == "result_set":
        return "return _rt.ResultSet(affected_rows=0)"
    return "return 0"


def _body(mgr, m):
    ex = "self._executor()" if mgr.attach == "owner" else "self._ex()"
    lines = [f'op = "{m.operation}"']
    if m.custom and not m.target:
        raw = ", ".join(a.name for a in m.args)
        lines.append(f"return _rt.{m.manager}_{m.name}(self, op, {raw})")
        return lines
    if m.target:
        return lines + _alias_body(mgr, m)
    for a in m.args:
        if not a.passed:
            lines.append(_conv(m, a))  # checked, not sent
    args = [ex]
    for a in m.c_args:
        if a.type == "rows":
            lines.append(f"rows = {_conv(m, a)}")
            lines.append("if rows is None:")
            lines.append(f"    {_empty_rows_result(m)}")
            args.append("*rows")
        else:
            args.append(_conv(m, a))
    if m.load_options:
        values = {o.name: o.name for o in m.load_options}
        values.update({a.option: a.name for a in m.args if a.option})
        items = ", ".join(f'"{k}": {v}' for k, v in values.items())
        args.append(f"_rt.load_options(op, _LOAD_OPTIONS, {{{items}}})")
    call = f"_core.{m.c}({', '.join(args)})"
    if len(call) > 80:
        call = f"_core.{m.c}(\n            " + ",\n            ".join(args) + ")"
    return lines + _result(m, call)


def _forward(target, mapping):
    return f"self.{target.name}(" + ", ".join(f"{k}={v}" for k, v in mapping.items()) + ")"


def _alias_body(mgr, m):
    lines = []
    passed = [a for a in m.args if a.passed]
    for a in m.args:
        if not a.passed:
            lines.append(f"{a.name}_ = {_conv(m, a)}")
    if m.database_alias_of:
        t = mgr.method(m.database_alias_of)
        pos = ", ".join(a.name for a in passed[:len(t.args)])
        lines += ["if database_:", f"    return self.{t.name}({pos})"]
    if m.inline_alias_of:
        t = mgr.method(m.inline_alias_of)
        mine = {a.name for a in m.args}
        spare = [a.name for a in m.positional if a.passed and a.name not in {x.name for x in t.args}]
        mapping = {}
        for ta in t.args:
            mapping[ta.name] = ta.name if ta.name in mine else spare.pop(0)
        lines += ["if inline_:", f"    return {_forward(t, mapping)}"]
    mapping = {}
    for a in passed:
        if a.option:
            v = _conv(m, a) if a.type == "choice" else a.name
            mapping[a.option] = v
        elif a.as_:
            mapping[a.as_] = a.name
        else:
            raise SystemExit(f"emit_python: {m.manager}.{m.name}: argument {a.name} has neither as nor option")
    for k, v in m.preset.items():
        mapping[k] = _py(v)
    for k in m.unset:
        mapping[k] = "None"
    lines.append(f"return {_forward(m.target, mapping)}")
    return lines


def _method(mgr, m, indent="    "):
    _check_order(m)
    out = [f'{indent}@_rt.checked("{m.operation}")',
           f"{indent}def {m.name}({_signature(m, m.load_options)}):",
           _doc(m, indent + "    ")]
    out += [f"{indent}    {line}" for line in _body(mgr, m)]
    return out


FIELD_TYPE = {"s": ("Optional[str]", "None"), "i": ("int", "0"), "b": ("bool", "False")}


def _record(surface, r):
    out = ["", "", "@_dataclass", f"class {r.class_name}:", f'    """{r.doc[:1].upper() + r.doc[1:]}."""']
    conv = {}
    for f in r.fields:
        t, d = FIELD_TYPE[f.type]
        if f.convert:
            how, *arg = f.convert.split()
            if how == "utc_ns":
                t, d = "Optional[_dt.datetime]", "None"
                conv[f.name] = f'("utc_ns", "{arg[0]}")'
            elif how == "choice":
                t, d = "object", "None"
                conv[f.name] = f'("choice", {surface.choices[arg[0]].enum})'
            elif how == "json_object":
                t, d = "dict", "_field(default_factory=dict)"
                conv[f.name] = '("json_object", None)'
        out.append(f"    {f.name}: {t} = {d}")
    items = ", ".join(f'"{k}": {v}' for k, v in conv.items())
    out += ["", "", f'_rt.register_record("{r.kind}", {r.class_name}, {{{items}}})']
    return out


def emit(surface):
    enums = [c for c in surface.choices.values() if c.enum]
    records = list(surface.records.values())
    managers = [m for m in surface.managers if m.attach == "attribute"]
    public = ([c.enum for c in enums] + [r.class_name for r in records] +
              [m.class_name for m in managers] + ["ResultSet"])
    out = ['"""The mocore managers with the MatrixOne Python SDK\'s surface: '
           + ", ".join(f"``{m.name}``" for m in managers) + ",",
           "and the table helpers ``insert``, ``batch_insert``, ``create_table``, ``drop_table``,",
           "on a client (autocommit), a session (inside its transaction) and the connection an",
           "on_connect hook receives. The SQL is built in C; docs/managers.md describes each manager",
           "and docs/managers-reference.md lists every method, argument and message.",
           "",
           "Generated by bindings/gen-managers.py from bindings/managers.toml: do not edit.\"\"\"",
           "",
           "import datetime as _dt",
           "import enum as _enum",
           "from dataclasses import dataclass as _dataclass, field as _field",
           "from typing import Optional",
           "",
           "from . import mocore_core as _core",
           "from . import _manager_runtime as _rt",
           "from ._manager_runtime import ResultSet",
           "",
           "__all__ = [" + ", ".join(f'"{n}"' for n in public) + "]",
           "",
           f"_rt.MESSAGES.update({surface.messages!r})",
           f"_rt.VALUE_KINDS.update({surface.value_kinds!r})",
           "_rt.TYPES.update({" + ",\n    ".join(f"{t.name!r}: {dict(t.checks, expected=t.expected)!r}"
                                               for t in surface.types.values()) + "})"]
    out += ["", "# ---------------------------------------------------------------- choices", ""]
    for c in surface.choices.values():
        words = ", ".join(f'"{w}": ' + (f"_core.{v}" if c.is_constant(w) else _py(v))
                          for w, v in c.words.items())
        out.append(f'{_choice_const(c.name)} = _rt.CHOICES["{c.name}"] = {{{words}}}')
    for c in enums:
        out += ["", "", f"class {c.enum}(str, _enum.Enum):",
                f'    """{c.doc[:1].upper() + c.doc[1:]} (the words are accepted too, case-insensitive)."""']
        out += [f"    {member} = {_py(word)}" for member, word in c.members()]
    out += ["", "", "# ---------------------------------------------------------------- records"]
    for r in records:
        out += _record(surface, r)
    spec = ", ".join(f"({_py(o.name)}, {_py(o.setter)}, {_py(o.type)}, {_py(o.with_)}, {o.each})"
                     for o in surface.load_options)
    out += ["", "", "# load_data's options: (name, mo_load_options_<setter>, type, with, each)",
            f"_LOAD_OPTIONS = ({spec})"]
    for mgr in managers:
        out += ["", "", f"# ---------------------------------------------------------------- {mgr.name}",
                "", f"class {mgr.class_name}(_rt.Manager):",
                f'    """``client.{mgr.name}``: {mgr.doc}"""']
        for m in mgr.methods:
            out.append("")
            out += _method(mgr, m)
    out += ["", "", "# ---------------------------------------------------------------- the mixin",
            "", "class _Managers:",
            '    """The manager attributes (and the table helpers) of Client, Session, HookConnection',
            '    and the ORM sessions: anything with ``_executor()``."""']
    for mgr in managers:
        out += ["", "    @property", f"    def {mgr.name}(self):", f'        """{mgr.class_name}: {mgr.doc}"""',
                f"        return {mgr.class_name}(self)"]
    for mgr in surface.managers:
        if mgr.attach == "owner":
            for m in mgr.methods:
                out.append("")
                out += _method(mgr, m)
    return "\n".join(out) + "\n"
