#!/usr/bin/env python3
"""tests/ctypes/test_ctypes.py — libmocore from Python with ctypes only (no SWIG, no compiler).

    python3 tests/ctypes/test_ctypes.py path/to/libmocore.so.1 [test-server-dir]

Signatures come from abi/mocore.manifest (the same file the libffi harness uses). The server
URL is $MOCORE_TEST_URL, or the `url` file the ctest `server` fixture writes into
test-server-dir (default: build/test-server next to the library). Standard library only.
"""
import ctypes
import os
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFEST = os.path.join(ROOT, "abi", "mocore.manifest")

# Documented ABI constants (capi/mocore/common.h, error.h).
MO_OK, MO_ROW, MO_DONE = 0, 1, 2
MO_E_INVALID_ARGUMENT, MO_E_CONSTRAINT = -1, -13

CTYPES = {
    "void": None, "status": ctypes.c_int, "int": ctypes.c_int, "unsigned": ctypes.c_uint,
    "size_t": ctypes.c_size_t, "int64": ctypes.c_int64, "uint64": ctypes.c_uint64,
    "double": ctypes.c_double, "float": ctypes.c_float, "string": ctypes.c_char_p,
    "pointer": ctypes.c_void_p,
}

LIB_PATH = None
SERVER_DIR = None


def load(path):
    lib = ctypes.CDLL(path)
    names = []
    with open(MANIFEST, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, ret, args = line.split("|")
            fn = getattr(lib, name)          # AttributeError: the library lacks it
            fn.restype = CTYPES[ret]
            fn.argtypes = [CTYPES[a] for a in args.split(",")] if args else []
            names.append(name)
    return lib, names


def test_url():
    url = os.environ.get("MOCORE_TEST_URL")
    if url:
        return url
    d = SERVER_DIR or os.path.join(os.path.dirname(os.path.abspath(LIB_PATH)), "test-server")
    try:
        with open(os.path.join(d, "url"), encoding="utf-8") as f:
            return f.read().strip() or None
    except OSError:
        return None


class CtypesFlow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lib, cls.names = load(LIB_PATH)

    def ok(self, status, what):
        if status != MO_OK:
            e = self.lib.mo_error_last()
            msg = self.lib.mo_error_message(e).decode() if e else "(no error)"
            self.fail("%s: status %d: %s" % (what, status, msg))

    def test_every_manifest_entry_resolves(self):
        self.assertGreater(len(self.names), 50)
        self.assertEqual(self.lib.mo_version_string().decode().count("."), 2)

    def test_null_handles_are_invalid_argument(self):
        L = self.lib
        self.assertEqual(L.mo_session_commit(None), MO_E_INVALID_ARGUMENT)
        self.assertEqual(L.mo_result_next(None), MO_E_INVALID_ARGUMENT)
        self.assertEqual(L.mo_config_from_url(None, b"mysql://x@h/db"), MO_E_INVALID_ARGUMENT)
        self.assertEqual(L.mo_params_count(None), 0)
        self.assertEqual(L.mo_error_category(L.mo_error_last()), MO_E_INVALID_ARGUMENT)
        self.assertEqual(L.mo_error_category_name(MO_E_CONSTRAINT), b"constraint")
        L.mo_result_free(None)
        L.mo_client_close(None)

    def test_real_flow(self):
        L = self.lib
        url = test_url()
        if not url:
            self.fail("no test server: set MOCORE_TEST_URL or run through ctest (server fixture)")
        cfg, client, session = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
        params, res = ctypes.c_void_p(), ctypes.c_void_p()

        def execute(fn, handle, sql, p=None):
            r = ctypes.c_void_p()
            b = sql.encode()
            st = fn(ctypes.byref(r), handle, b, len(b), p)
            return st, r

        def exec_ok(fn, handle, sql, p=None):
            st, r = execute(fn, handle, sql, p)
            L.mo_result_free(r)
            self.ok(st, sql)

        try:
            self.ok(L.mo_config_from_url(ctypes.byref(cfg), url.encode()), "mo_config_from_url")
            self.ok(L.mo_client_connect(ctypes.byref(client), cfg), "mo_client_connect")
            exec_ok(L.mo_client_execute, client, "DROP TABLE IF EXISTS ctypes_t")
            exec_ok(L.mo_client_execute, client,
                    "CREATE TABLE ctypes_t (id BIGINT PRIMARY KEY, name VARCHAR(64), score DOUBLE)")

            self.ok(L.mo_session_open(ctypes.byref(session), client), "mo_session_open")
            self.ok(L.mo_params_new(ctypes.byref(params)), "mo_params_new")
            rows = [(-(2 ** 40), "älpha"), (7, "it's")]
            for i, (rid, name) in enumerate(rows):
                self.ok(L.mo_params_clear(params), "clear")
                self.ok(L.mo_params_add_int64(params, rid), "add_int64")
                nb = name.encode()
                self.ok(L.mo_params_add_text(params, nb, len(nb)), "add_text")
                self.ok(L.mo_params_add_double(params, 0.1 * (i + 1)), "add_double")
                self.assertEqual(L.mo_params_count(params), 3)
                exec_ok(L.mo_session_execute, session, "INSERT INTO ctypes_t VALUES (?, ?, ?)",
                        params)

            st, res = execute(L.mo_session_execute, session,
                              "SELECT id, name, score FROM ctypes_t ORDER BY id")
            self.ok(st, "SELECT")
            self.assertEqual(L.mo_result_column_count(res), 3)
            got = []
            while True:
                st = L.mo_result_next(res)
                if st != MO_ROW:
                    break
                rid, score = ctypes.c_int64(), ctypes.c_double()
                text, tlen = ctypes.c_char_p(), ctypes.c_size_t()
                self.ok(L.mo_result_get_int64(res, 0, ctypes.byref(rid)), "get_int64")
                self.ok(L.mo_result_get_text(res, 1, ctypes.byref(text), ctypes.byref(tlen)),
                        "get_text")
                self.ok(L.mo_result_get_double(res, 2, ctypes.byref(score)), "get_double")
                got.append((rid.value, ctypes.string_at(text, tlen.value).decode(), score.value))
            self.assertEqual(st, MO_DONE)
            L.mo_result_free(res)
            res = ctypes.c_void_p()
            self.assertEqual(got, [(rid, name, 0.1 * (i + 1)) for i, (rid, name) in enumerate(rows)])
            self.ok(L.mo_session_commit(session), "commit")

            # a duplicate key: category CONSTRAINT, server code 1062
            self.ok(L.mo_params_clear(params), "clear")
            self.ok(L.mo_params_add_int64(params, 7), "add_int64")
            self.ok(L.mo_params_add_text(params, b"dup", 3), "add_text")
            self.ok(L.mo_params_add_double(params, 1.0), "add_double")
            st, r = execute(L.mo_client_execute, client, "INSERT INTO ctypes_t VALUES (?, ?, ?)",
                            params)
            L.mo_result_free(r)
            self.assertEqual(st, MO_E_CONSTRAINT)
            e = L.mo_error_last()
            self.assertTrue(e)
            self.assertEqual(L.mo_error_category(e), MO_E_CONSTRAINT)
            self.assertEqual(L.mo_error_server_code(e), 1062)
            # MatrixOne sends its duplicate key as 1062 with SQLSTATE HY000 (docs/matrixone.md)
            matrixone = L.mo_client_server_kind(client) == 1
            self.assertEqual(L.mo_error_sqlstate(e), b"HY000" if matrixone else b"23000")
            self.assertIn(b"Duplicate entry", L.mo_error_message(e))
            exec_ok(L.mo_client_execute, client, "DROP TABLE ctypes_t")
        finally:
            L.mo_result_free(res)
            L.mo_params_free(params)
            L.mo_session_close(session)
            L.mo_client_close(client)
            L.mo_config_free(cfg)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    LIB_PATH = sys.argv[1]
    SERVER_DIR = sys.argv[2] if len(sys.argv) > 2 else None
    unittest.main(argv=[sys.argv[0], "-v"])
