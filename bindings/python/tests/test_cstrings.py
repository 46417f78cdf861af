"""A NUL inside a name never truncates it: every `const char *` argument of every wrapped C
function refuses a str holding NUL with InvalidArgumentError before the C function runs, while
data arguments (`const char *, size_t` pairs: SQL text, parameter values, blobs, the fulltext
query) keep NUL as data.

The sweep reads the public headers (capi/mocore/*.h), so a function added later is covered
without touching this file."""

import glob
import os
import re
import unittest

import mocore
from servers import server_url
from test_managers import dry_client

HERE = os.path.dirname(os.path.abspath(__file__))
CAPI = os.path.join(HERE, "..", "..", "..", "capi", "mocore")

# Output parameters have no Python argument (the typemaps of bindings/mocore.i).
_OUT = re.compile(r"\*\*\s*\w+$|^(?:const\s+)?(?:int|unsigned|size_t|int64_t|uint64_t|double|"
                  r"mo_type|mo_server_kind)\s*\*\s*\w+$")


def _prototypes():
    """(function, [Python-level parameters as (C declaration, name)]) of every MO_API function
    that the binding wraps, from the headers."""
    out = []
    for path in sorted(glob.glob(os.path.join(CAPI, "*.h"))):
        text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
        for m in re.finditer(r"MO_API\s+[\w\s\*]+?\b(mo_\w+)\s*\(([^;{]*?)\)\s*;", text):
            name, params = m.group(1), " ".join(m.group(2).split())
            if params in ("", "void"):
                continue
            decls = [p.strip() for p in params.split(",")]
            out.append((name, decls))
    return out


def _python_args(decls):
    """Group C parameters into the binding's Python arguments: [(kind, C name)], kind is
    'cstr' (a plain C string), 'data' (a pair or vector: one argument), 'pointer' (a handle)
    or 'number'."""
    args, i = [], 0
    while i < len(decls):
        d = decls[i]
        name = d.split()[-1].lstrip("*")
        nxt = decls[i + 1] if i + 1 < len(decls) else ""
        if d.startswith("const char *const *") and "column_names" in d:
            args.append(("data", name)); i += 3; continue     # (names, types, count)
        if d.startswith("const char *const *"):
            args.append(("data", name)); i += 2; continue     # (names, count)
        if d.startswith("const void *") and "size_t" in nxt and "mo_vector_element" in (
                decls[i + 2] if i + 2 < len(decls) else ""):
            args.append(("data", name)); i += 3; continue     # a vector
        if re.match(r"const (char|void) \*\w+$", d) and nxt.startswith("size_t "):
            args.append(("data", name)); i += 2; continue     # data with a length
        if _OUT.search(d):
            i += 1; continue
        if re.match(r"const char \*\w+$", d):
            args.append(("cstr", name))
        else:
            args.append(("pointer" if "*" in d else "number", name))
        i += 1
    return args


class CStringSweep(unittest.TestCase):
    def test_every_c_string_argument_refuses_nul(self):
        core = mocore.mocore_core
        checked = 0
        for fname, decls in _prototypes():
            fn = getattr(core, fname, None)
            if fn is None:      # not wrapped (callbacks, raw pointers)
                continue
            args = _python_args(decls)
            for k, (kind, cname) in enumerate(args):
                if kind != "cstr":
                    continue
                # Everything before the NUL argument converts (None handles, 0 numbers, "x"
                # strings, b"" data); the NUL string must stop the call right there.
                call = []
                for j, (kj, _n) in enumerate(args):
                    if j == k:
                        call.append("a\0; DROP TABLE t")
                    elif kj == "cstr":
                        call.append("x")
                    elif kj in ("data", "pointer"):
                        call.append(None)
                    else:
                        call.append(0)
                with self.subTest(function=fname, argument=cname):
                    with self.assertRaises(mocore.InvalidArgumentError) as cm:
                        fn(*call)
                    self.assertIn(f"argument '{cname}' contains a NUL byte at offset 1",
                                  cm.exception.message)
                    self.assertEqual(cm.exception.operation, fname)
                checked += 1
        # the headers hold well over a hundred C-string arguments
        self.assertGreater(checked, 200)

    def test_manager_call_with_nul_sends_nothing(self):
        c = dry_client()
        with self.assertRaises(mocore.InvalidArgumentError) as cm:
            c.snapshots.create("a\0; DROP", "database", database="db")
        self.assertIn("'name'", cm.exception.message)
        with self.assertRaises(mocore.InvalidArgumentError):
            c.snapshots.create("s1", "database", database="db\0x")
        with self.assertRaises(mocore.InvalidArgumentError):
            c.account.create_user("u", "pw\0rest")
        with self.assertRaises(mocore.InvalidArgumentError):
            c.clone.clone_table("t2", "t1", snapshot_name="s\0")
        self.assertEqual(c.journal, [])
        # the same names without NUL go through
        c.snapshots.create("a; DROP", "database", database="db")
        self.assertTrue(c.journal[0].startswith("CREATE SNAPSHOT `a; DROP` FOR DATABASE `db`"))

    def test_session_and_config_names(self):
        c = dry_client()
        with c.session() as s:
            with self.assertRaises(mocore.InvalidArgumentError):
                s.savepoint("sp\0x")
        with self.assertRaises(mocore.InvalidArgumentError):
            mocore.connect("matrixone://u:p@127.0.0.1:1/db?dry_run=true", user="root\0admin")
        with self.assertRaises(mocore.InvalidArgumentError):
            mocore.connect("matrixone://u:p@127.0.0.1:1/db\0x?dry_run=true")

    def test_data_arguments_keep_nul_in_dry_run(self):
        c = dry_client()
        c.execute("SELECT ?, ?", ["a\0b", b"\x00\x01"])
        self.assertEqual(c.journal, ["SELECT CAST(X'610062' AS CHAR), X'0001'"])


class CStringServer(unittest.TestCase):
    def test_nul_in_values_round_trips(self):
        with mocore.connect(server_url()) as c:
            self.assertEqual(c.scalar("SELECT ?", ["a\0b"]), "a\0b")
            self.assertEqual(c.scalar("SELECT CAST(? AS BINARY)", [b"\x00x\x00"]), b"\x00x\x00")
            self.assertEqual(c.query("SELECT 'x\\0y'"), [("x\0y",)])   # NUL inside SQL text
            with self.assertRaises(mocore.InvalidArgumentError):
                c.session().savepoint("a\0b")
            self.assertEqual(c.scalar("SELECT 1"), 1)


if __name__ == "__main__":
    unittest.main()
