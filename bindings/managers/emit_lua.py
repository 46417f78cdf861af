"""The Lua manager layer from the model — a stub: the Lua backend is written next.

Contract (what emit_python.py does for Python, see there for a complete backend):

- `emit(surface) -> str` returns the text of the generated module; gen-managers.py writes it
  (`--lang lua --out FILE`), bindings/bindings.cmake runs it at build time and installs the
  result as bindings/lua/mocore_managers.lua (into <build>/bindings/lua/).
- Input: the frozen dataclasses of model.py — `surface.managers` ([Manager], each with
  `.methods` [Method]), `surface.records` (kind -> Record with `.fields`),
  `surface.choices`, `surface.types`, `surface.load_options`, `surface.messages`
  (templates) and `surface.value_kinds`.
- Per Method: `args` in the SDK's order (`positional` / `keyword_only`), each Arg with
  `type`, `required`, `default` (model.NO_DEFAULT when required; None = no value),
  `nullable`, `passed` (False: checked, not sent), `choices`, `default_word`,
  `join`, `empty_ok`, `option` (a load option), `as_` (aliases); `c_args` the passed
  arguments in the C function's order; `c` the C function (None for aliases: `target` is
  the Method forwarded to, `database_alias_of` the one for database=true); `result`
  (Result.kind, .record, .variant); `operation` (the error's operation); `custom` (a
  reason: emit a call to a hand-written body instead of the generated one); `load_options`,
  `preset`, `unset`; `vector_column`; `doc`.
- Idiom: methods callable as m:create(name, level, database) or m:create{name = ..., level = ...}; records as tables with a per-kind metatable; lists as sequences; no value = nil.
- Emit the data, not only code: the messages, value kinds, each type's `expected` text and
  every choice table (word -> C constant / text) go into the generated module, so the
  runtime holds no message text of its own (emit_python.py: _rt.MESSAGES, VALUE_KINDS,
  EXPECTED, CHOICES).
- Aliases (Method.target set) check their `pass = false` arguments, then forward: see the
  alias rules in the header of bindings/managers.toml (emit_python._alias_body does it).
  Only branch.diff_table and metadata.scan are custom.
- The runtime (hand-written, small; Python's is mocore/_manager_runtime.py) must provide:
  one converter per `surface.types` entry raising the invalid_argument category with exactly
  `surface.message(key, ...)` (`{got}` from `surface.value_kinds`, `{expected}` from the
  type), the arity checks (too_many, unknown — the alphabetically first —, twice, missing,
  in that order), record conversion from handles via mo_swig_record_fields (+ Field.convert),
  list conversion (mo_<kind>_list_count / _get), the result kinds of model.RESULT_KINDS, the
  load options builder, the two custom bodies, and the owner's executor (client, session or
  hook connection). The binding's test replays tests/vectors/manager_argument_errors.toml.
"""


def emit(surface):
    raise NotImplementedError("the Lua manager backend is not written yet (bindings/managers/emit_lua.py)")
