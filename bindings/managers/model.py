"""The data model of bindings/managers.toml, as every emitter receives it.

`load(toml_path, record_source)` reads the description and the record field table
(mo_swig_record_fields in bindings/managers/record_fields.c), checks the description's own consistency and
returns a `Surface`. `check_against_manifest(surface, manifest_path)` checks it against the C
ABI (every C function exists with the arity the arguments need). An emitter is a module with
`emit(surface) -> str` (the text of the file it writes); see emit_python.py (complete) and
emit_docs.py; emit_lua.py / emit_ruby.py document what a language backend must do.

Everything is a frozen dataclass; the emitters only read it. Lookups an emitter needs:

    surface.managers                      [Manager], in file order
    surface.records[kind]                 Record (kind "snapshot", ...)
    surface.choices[name]                 Choice
    surface.types[name]                   TypeInfo (argument types)
    surface.load_options                  [LoadOption], in file order
    surface.messages[key]                 message template ("{arg} is required", ...)
    surface.message(key, **fields)        a filled-in message
    surface.value_kinds[kind]             how {got} names a value's kind ("an integer")
    manager.methods                       [Method]
    method.operation                      "snapshots.create": the operation errors carry
    method.args                           [Arg] in the SDK's order (positional, then keyword-only)
    method.c_args                         [Arg] in the C function's order (the passed ones)
    method.target                         the Method an alias forwards to (None otherwise)
"""

import re

try:
    import tomllib  # Python >= 3.11
except ModuleNotFoundError:  # older interpreters: the same parser as a package
    import tomli as tomllib
from dataclasses import dataclass, field
from typing import Optional

# the result kinds an emitter must handle (see the header of bindings/managers.toml)
RESULT_KINDS = ("nothing", "true", "self", "owner", "bool", "string", "count", "record",
                "records", "rows", "result", "dicts", "moctl", "ivf_stats", "table_stats",
                "result_set")
# C out-parameters of each result kind (a method's `c_out` overrides)
RESULT_C_OUT = {"nothing": 0, "true": 0, "self": 0, "owner": 0}

NO_DEFAULT = type("NoDefault", (), {"__repr__": lambda self: "NO_DEFAULT", "__bool__": lambda self: False})()


# the checks a [types.<t>] may carry (the order each language's converter applies them)
_TYPE_CHECKS = ("optional", "no_value", "accepts", "min", "non_empty")


class DescriptionError(Exception):
    """bindings/managers.toml contradicts itself, the records table or the ABI manifest."""


@dataclass(frozen=True)
class TypeInfo:
    name: str           # "string", "names", "choice", ...
    expected: str       # what the `type` message says the value must be ("a string")
    c_slots: int        # C parameters one value fills
    doc: str
    checks: dict = field(default_factory=dict)  # accepts, no_value, optional, min, non_empty

    @property
    def accepts(self):
        return self.checks.get("accepts")


@dataclass(frozen=True)
class Choice:
    name: str                   # "vector_distance"
    doc: str
    words: dict                 # word -> C constant ("MO_VECTOR_L2") or the text C receives
    enum: Optional[str] = None  # the SDK's enum class name ("DistanceType"), if any
    enum_members: dict = field(default_factory=dict)  # MEMBER -> word (default: WORD -> word)

    def is_constant(self, word):
        return self.words[word].startswith("MO_")

    def members(self):
        """(MEMBER, word) pairs of the enum."""
        if self.enum_members:
            return list(self.enum_members.items())
        return [(w.upper(), w) for w in self.words]


@dataclass(frozen=True)
class Field:
    name: str           # the record attribute ("grant_statement")
    accessor: str       # the C accessor is mo_<kind>_<accessor> ("statement")
    type: str           # "s" text, "i" integer, "b" flag (0/1 in C, a boolean in the language)
    convert: Optional[str] = None  # "utc_ns ts", "choice snapshot_level", "json_object"


@dataclass(frozen=True)
class Record:
    kind: str           # "snapshot": C type mo_snapshot, list mo_snapshot_list
    class_name: str     # "Snapshot"
    doc: str
    fields: tuple       # (Field, ...) in mo_swig_record_fields order


@dataclass(frozen=True)
class LoadOption:
    name: str                    # "fields_terminated_by"
    type: str                    # an argument type name
    setter: Optional[str]        # mo_load_options_<setter>; None: read by another option's setter
    default: object = NO_DEFAULT # applied unless an argument, `preset` or `unset` says otherwise
    with_: Optional[str] = None  # option given to the same setter as its second argument
    each: bool = False           # the setter is called once per item (list / map entries)
    local_only: bool = False     # only for from_local_file (per-language setter, e.g. progress)


@dataclass(frozen=True)
class Arg:
    name: str
    type: str                       # a key of surface.types
    required: bool                  # no default: must be given
    default: object = NO_DEFAULT    # the SDK's default; None = "no value" (C gets NULL/-1/0)
    nullable: bool = False          # a required argument that may be given as "no value"
    keyword_only: bool = False
    passed: bool = True             # False: checked, not given to C
    choices: Optional[str] = None   # a key of surface.choices (type choice; for a string: documentary)
    default_word: Optional[str] = None  # choice: the word used when no value is given
    join: str = ","                 # names: the separator of a list
    empty_ok: bool = False          # names: an empty list is allowed ("")
    option: Optional[str] = None    # fills this load option instead of a C parameter
    as_: Optional[str] = None       # alias methods: the argument of the target it becomes

    @property
    def optional(self):
        return not self.required

    @property
    def accepts_no_value(self):
        return self.nullable or self.default is None


@dataclass(frozen=True)
class Result:
    kind: str                         # one of RESULT_KINDS
    record: Optional[Record] = None   # record / records
    variant: Optional[str] = None     # table_stats: "brief" or "detail"


@dataclass(frozen=True)
class Method:
    manager: str
    name: str
    operation: str          # "manager.method" of the C function's method (aliases: the target's)
    doc: str
    args: tuple             # (Arg, ...) the SDK's order
    result: Result
    c: Optional[str] = None             # the C function (None for an alias)
    also_c: tuple = ()                  # other C functions a custom body calls
    c_order: tuple = ()                 # C parameter order by argument name (default: args order)
    c_out: Optional[int] = None
    custom: Optional[str] = None        # why the body is hand-written
    server: Optional[str] = None        # "matrixone": MatrixOne only (C raises UnsupportedError)
    alias_of: Optional[str] = None      # forwards to this method of the manager
    database_alias_of: Optional[str] = None  # ... or this one when database=true
    inline_alias_of: Optional[str] = None    # ... or this one when inline=true (custom)
    load_options: tuple = ()            # (LoadOption, ...) accepted as keyword arguments
    preset: dict = field(default_factory=dict)  # load option -> value always set
    unset: tuple = ()                   # load options left unset (their default not applied)
    vector_column: Optional[str] = None # dicts: the argument naming the vector column
    target: Optional["Method"] = None   # the aliased Method (resolved)

    @property
    def c_args(self):
        """The arguments passed to C, in the C function's order."""
        by = {a.name: a for a in self.args}
        passed = [a for a in self.args if a.passed and a.option is None]
        if not self.c_order:
            return passed
        return [by[n] for n in self.c_order if n in by and by[n].passed and by[n].option is None]

    @property
    def positional(self):
        return [a for a in self.args if not a.keyword_only]

    @property
    def keyword_only(self):
        return [a for a in self.args if a.keyword_only]


@dataclass(frozen=True)
class Manager:
    name: str           # the attribute on clients and sessions ("snapshots")
    class_name: str     # "SnapshotManager"
    doc: str
    methods: tuple
    server: Optional[str] = None
    since: Optional[str] = None     # MatrixOne version the manager needs (documentary; C checks)
    attach: str = "attribute"       # "owner": methods are the client's / session's own

    def method(self, name):
        for m in self.methods:
            if m.name == name:
                return m
        return None


@dataclass(frozen=True)
class Surface:
    messages: dict
    value_kinds: dict
    types: dict
    choices: dict
    records: dict
    load_options: tuple
    managers: tuple

    def message(self, key, **fields):
        return self.messages[key].format(**fields)

    def methods(self):
        for m in self.managers:
            yield from ((m, x) for x in m.methods)


# ---------------------------------------------------------------- loading

_MESSAGES = ("missing", "type", "empty", "too_many", "unknown", "twice", "choice", "positive",
             "row_type", "row_columns")
_ARG_KEYS = {"name", "type", "default", "optional", "nullable", "keyword_only", "pass",
             "choices", "default_word", "join", "empty_ok", "option", "as"}
_METHOD_KEYS = {"name", "c", "also_c", "result", "doc", "args", "c_order", "c_out", "custom",
                "server", "alias_of", "database_alias_of", "inline_alias_of", "load_options",
                "preset", "unset", "vector_column"}
_MANAGER_KEYS = {"name", "class", "doc", "server", "since", "attach", "method"}


def _fail(where, what):
    raise DescriptionError(f"bindings/managers.toml: {where}: {what}")


def _only(where, table, allowed):
    extra = set(table) - allowed
    if extra:
        _fail(where, f"unknown key(s) {sorted(extra)}")


def read_record_fields(source_text):
    """kind -> [(attr, accessor, type)] from mo_swig_record_fields() in
    bindings/managers/record_fields.c."""
    body = source_text.split("mo_swig_record_fields(const char *kind)", 1)
    if len(body) != 2:
        raise DescriptionError("bindings/managers/record_fields.c: mo_swig_record_fields() not found")
    table = body[1].split("};", 1)[0]
    out = {}
    for m in re.finditer(r'\{\s*"(\w+)",((?:\s*"[^"]*")+)\s*\}', table):
        items = "".join(re.findall(r'"([^"]*)"', m.group(2))).split()
        out[m.group(1)] = [tuple(i.split(":")) for i in items]
    return out


def _arg(where, a, types, choices, options):
    _only(where, a, _ARG_KEYS)
    for k in ("name", "type"):
        if k not in a:
            _fail(where, f"argument without {k}")
    where = f"{where} argument {a['name']}"
    if a["type"] not in types:
        _fail(where, f"unknown type {a['type']!r}")
    if "default" in a and a.get("optional"):
        _fail(where, "both default and optional")
    if a["type"] == "choice" and a.get("choices") not in choices:
        _fail(where, f"choice without a known `choices` ({a.get('choices')!r})")
    if a.get("choices") and a["choices"] not in choices:
        _fail(where, f"unknown choices {a['choices']!r}")
    if a.get("option") and a["option"] not in options:
        _fail(where, f"unknown load option {a['option']!r}")
    if "default" in a and a["type"] == "choice" and a["default"] not in choices[a["choices"]].words:
        _fail(where, f"default {a['default']!r} is not a word of {a['choices']}")
    if a.get("default_word") and a["default_word"] not in choices[a["choices"]].words:
        _fail(where, f"default_word {a['default_word']!r} is not a word of {a['choices']}")
    required = "default" not in a and not a.get("optional")
    default = a["default"] if "default" in a else (None if a.get("optional") else NO_DEFAULT)
    return Arg(name=a["name"], type=a["type"], required=required, default=default,
               nullable=bool(a.get("nullable")), keyword_only=bool(a.get("keyword_only")),
               passed=a.get("pass", True), choices=a.get("choices"),
               default_word=a.get("default_word"), join=a.get("join", ","),
               empty_ok=bool(a.get("empty_ok")), option=a.get("option"), as_=a.get("as"))


def _result(where, text, records):
    parts = text.split()
    if not parts or parts[0] not in RESULT_KINDS:
        _fail(where, f"unknown result {text!r}")
    kind = parts[0]
    if kind in ("record", "records"):
        if len(parts) != 2 or parts[1] not in records:
            _fail(where, f"result {text!r}: unknown record kind")
        return Result(kind, record=records[parts[1]])
    if kind == "table_stats":
        if len(parts) != 2 or parts[1] not in ("brief", "detail"):
            _fail(where, "result table_stats needs brief or detail")
        return Result(kind, record=records.get("table_stats"), variant=parts[1])
    if len(parts) != 1:
        _fail(where, f"result {text!r} takes no kind")
    return Result(kind)


def load(toml_path, record_source_path):
    with open(toml_path, "rb") as f:
        d = tomllib.load(f)
    with open(record_source_path, encoding="utf-8") as f:
        fields_by_kind = read_record_fields(f.read())
    _only("top level", d, {"messages", "value_kinds", "types", "choices", "records",
                           "load_options", "manager"})
    messages = d["messages"]
    for k in _MESSAGES:
        if k not in messages:
            _fail("[messages]", f"missing {k}")
    types = {}
    for name, t in d["types"].items():
        _only(f"[types.{name}]", t, {"expected", "c_slots", "doc"} | set(_TYPE_CHECKS))
        for k in t.get("accepts", ()):
            if k not in d["value_kinds"]:
                _fail(f"[types.{name}]", f"accepts {k!r}: not a value kind")
        checks = {k: t[k] for k in _TYPE_CHECKS if k in t}
        types[name] = TypeInfo(name, t["expected"], t["c_slots"], t.get("doc", ""), checks)
    choices = {}
    for name, c in d["choices"].items():
        c = dict(c)
        doc, enum, members = c.pop("doc", ""), c.pop("enum", None), c.pop("enum_members", {})
        for member, word in members.items():
            if word not in c:
                _fail(f"[choices.{name}]", f"enum member {member} names unknown word {word!r}")
        choices[name] = Choice(name, doc, c, enum, members)
    records = {}
    for kind, r in d["records"].items():
        _only(f"[records.{kind}]", r, {"class", "doc", "convert"})
        if kind not in fields_by_kind:
            _fail(f"[records.{kind}]", "no such kind in mo_swig_record_fields (bindings/managers/record_fields.c)")
        conv = r.get("convert", {})
        names = [f[0] for f in fields_by_kind[kind]]
        for fname, how in conv.items():
            if fname not in names:
                _fail(f"[records.{kind}]", f"convert names unknown field {fname!r}")
            word = how.split()
            if word[0] == "utc_ns" and (len(word) != 2 or word[1] not in names):
                _fail(f"[records.{kind}]", f"{how!r}: utc_ns needs a field")
            elif word[0] == "choice" and (len(word) != 2 or word[1] not in choices):
                _fail(f"[records.{kind}]", f"{how!r}: unknown choices")
            elif word[0] not in ("utc_ns", "choice", "json_object"):
                _fail(f"[records.{kind}]", f"unknown conversion {how!r}")
        flds = tuple(Field(a, acc, t, conv.get(a)) for a, acc, t in fields_by_kind[kind])
        records[kind] = Record(kind, r["class"], r.get("doc", ""), flds)
    missing = set(fields_by_kind) - set(records)
    if missing:
        _fail("[records]", f"kinds of mo_swig_record_fields without an entry: {sorted(missing)}")
    options = {}
    for name, o in d["load_options"].items():
        _only(f"[load_options] {name}", o, {"setter", "type", "default", "with", "each", "local_only"})
        if o["type"] not in types:
            _fail(f"[load_options] {name}", f"unknown type {o['type']!r}")
        options[name] = LoadOption(name, o["type"], o.get("setter"), o.get("default", NO_DEFAULT),
                                   o.get("with"), bool(o.get("each")), bool(o.get("local_only")))
    for o in options.values():
        if o.with_ and o.with_ not in options:
            _fail(f"[load_options] {o.name}", f"with names unknown option {o.with_!r}")

    managers, seen = [], set()
    for m in d["manager"]:
        _only(f"manager {m.get('name')}", m, _MANAGER_KEYS)
        if m["name"] in seen:
            _fail(f"manager {m['name']}", "defined twice")
        seen.add(m["name"])
        methods = []
        for x in m.get("method", []):
            where = f"{m['name']}.{x.get('name')}"
            _only(where, x, _METHOD_KEYS)
            if ("c" in x) == ("alias_of" in x):
                _fail(where, "needs exactly one of c and alias_of")
            if any(y.name == x["name"] for y in methods):
                _fail(where, "defined twice")
            args = tuple(_arg(where, a, types, choices, options) for a in x["args"])
            names = [a.name for a in args]
            if len(set(names)) != len(names):
                _fail(where, "an argument twice")
            seen_kw = False
            for a in args:
                if a.keyword_only:
                    seen_kw = True
                elif seen_kw:
                    _fail(where, f"positional {a.name} after keyword-only arguments")
            lopts = ()
            if x.get("load_options") == "all":
                lopts = tuple(o for o in options.values() if not o.local_only)
            elif "load_options" in x:
                _fail(where, "load_options must be \"all\"")
            for k in list(x.get("preset", {})) + list(x.get("unset", [])):
                if k not in options:
                    _fail(where, f"preset/unset names unknown load option {k!r}")
            for n in x.get("c_order", []):
                if n not in names and n != "output_target":
                    _fail(where, f"c_order names unknown argument {n!r}")
            if x.get("vector_column") and x["vector_column"] not in names:
                _fail(where, "vector_column names no argument")
            methods.append(Method(
                manager=m["name"], name=x["name"], operation=f"{m['name']}.{x['name']}",
                doc=x.get("doc", ""), args=args, result=_result(where, x["result"], records),
                c=x.get("c"), also_c=tuple(x.get("also_c", ())), c_order=tuple(x.get("c_order", ())),
                c_out=x.get("c_out"), custom=x.get("custom"), server=x.get("server"),
                alias_of=x.get("alias_of"), database_alias_of=x.get("database_alias_of"),
                inline_alias_of=x.get("inline_alias_of"), load_options=lopts,
                preset=dict(x.get("preset", {})), unset=tuple(x.get("unset", ())),
                vector_column=x.get("vector_column")))
        # resolve aliases: the operation of an alias is its target's
        by = {x.name: x for x in methods}
        resolved = []
        for x in methods:
            if x.alias_of:
                where = f"{m['name']}.{x.name}"
                for t in (x.alias_of, x.database_alias_of, x.inline_alias_of):
                    if t and (t not in by or by[t].alias_of and t != x.inline_alias_of):
                        _fail(where, f"aliases unknown or aliased method {t!r}")
                target = by[x.alias_of]
                tnames = {a.name for a in target.args} | {o.name for o in target.load_options}
                for a in x.args:
                    if a.as_ and a.as_ not in tnames:
                        _fail(where, f"argument {a.name} as {a.as_!r}: not an argument of {target.name}")
                    if a.option and not target.load_options:
                        _fail(where, f"argument {a.name}: {target.name} takes no load options")
                x = Method(**{**x.__dict__, "operation": target.operation, "target": target})
            resolved.append(x)
        attach = m.get("attach", "attribute")
        if attach not in ("attribute", "owner"):
            _fail(f"manager {m['name']}", f"attach must be attribute or owner, not {attach!r}")
        managers.append(Manager(m["name"], m["class"], m.get("doc", ""), tuple(resolved),
                                m.get("server"), m.get("since"), attach))
    return Surface(messages, d["value_kinds"], types, choices, records, tuple(options.values()),
                   tuple(managers))


# ---------------------------------------------------------------- the ABI

def read_manifest(path):
    """name -> (return type, [argument types]) from abi/mocore.manifest."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, ret, args = line.rstrip("\n").split("|")
            out[name] = (ret, [a for a in args.split(",") if a])
    return out


def c_arity(surface, method):
    """The number of C parameters `method` needs: the executor, its passed arguments, the load
    options and the result's out-parameters."""
    n = 1 + sum(surface.types[a.type].c_slots for a in method.c_args)
    if method.load_options:
        n += 1
    if method.c_out is not None:
        n += method.c_out
    else:
        n += RESULT_C_OUT.get(method.result.kind, 1)
    return n


def check_against_manifest(surface, manifest_path, constants_text=""):
    """Every C function exists with a compatible arity; every record accessor and list
    function exists; every load option setter exists; every C constant of a choice is
    declared (constants_text: the capi headers)."""
    abi = read_manifest(manifest_path)
    errors = []
    for mgr, m in surface.methods():
        where = m.manager + "." + m.name
        if m.c:
            if m.c not in abi:
                errors.append(f"{where}: {m.c} is not in abi/mocore.manifest")
            elif not m.custom and len(abi[m.c][1]) != c_arity(surface, m):
                errors.append(f"{where}: {m.c} takes {len(abi[m.c][1])} parameters, the "
                              f"description needs {c_arity(surface, m)}")
        for c in m.also_c:
            if c not in abi:
                errors.append(f"{where}: {c} is not in abi/mocore.manifest")
    for kind, r in surface.records.items():
        for f in r.fields:
            if f"mo_{kind}_{f.accessor}" not in abi:
                errors.append(f"record {kind}: accessor mo_{kind}_{f.accessor} missing")
        for fn in ("list_count", "list_get"):
            if f"mo_{kind}_{fn}" not in abi:
                errors.append(f"record {kind}: mo_{kind}_{fn} missing")
    for o in surface.load_options:
        if o.setter and o.type != "callable" and f"mo_load_options_{o.setter}" not in abi:
            errors.append(f"load option {o.name}: mo_load_options_{o.setter} missing")
    for c in surface.choices.values():
        for w, v in c.words.items():
            if v.startswith("MO_") and constants_text and not re.search(rf"\b{v}\b", constants_text):
                errors.append(f"choices {c.name}: {v} is not declared in capi/mocore/*.h")
    if errors:
        raise DescriptionError("\n".join(errors))
