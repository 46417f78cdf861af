#!/usr/bin/env python3
"""tests/fuzz/make_seeds.py — write the hand-made seed inputs of tests/fuzz/corpus/<target>/.

The seeds follow each target's input layout (see the comment at the top of its fuzz_*.c).
Regression inputs (regress-*) found by fuzzing sit next to them and are not written here.
Run from anywhere: python3 tests/fuzz/make_seeds.py"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def piece(b):
    if isinstance(b, str):
        b = b.encode()
    assert len(b) < 256
    return bytes([len(b)]) + b


# ---- params: [flags][template len: 2 LE][template][values]; kinds as in fuzz_params.c
NULL, BOOL, INT64, UINT64, DOUBLE, TEXT, JSON, BLOB, DECIMAL, DATE, TIME, DATETIME, VEC32, VEC64 = range(14)


def params(flags, template, *values):
    t = template.encode()
    return bytes([flags]) + struct.pack("<H", len(t)) + t + b"".join(values)


write("params", "insert", params(0, "INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)",
                                  bytes([TEXT]) + piece("it's"), bytes([INT64]) + struct.pack("<q", -5),
                                  bytes([DOUBLE]) + struct.pack("<d", 0.1), bytes([NULL])))
write("params", "backslash", params(1, "SELECT ?, '?', `?`, \"?\" -- ?\n, ?",
                                     bytes([TEXT]) + piece("a\\'b\x00\x1a\n"), bytes([BLOB]) + piece(b"\x00\xff'")))
write("params", "minus", params(0, "SELECT 1-?, 2--?, ?e1, t?",
                                 bytes([INT64]) + struct.pack("<q", -1), bytes([DECIMAL]) + piece("-1.5e2"),
                                 bytes([UINT64]) + struct.pack("<Q", 7), bytes([BOOL, 1])))
write("params", "temporal", params(0, "SELECT ?,?,?,?,?",
                                    bytes([DATE]) + struct.pack("<h", 2024) + bytes([2, 29]),
                                    bytes([TIME, 1]) + struct.pack("<H", 838) + bytes([59, 59]) + b"\0\0\0",
                                    bytes([DATETIME]) + struct.pack("<h", 1999) + bytes([12, 31, 23, 59, 59]) + b"\x40\x42\x0f",
                                    bytes([VEC32, 2]) + struct.pack("<ff", 0.1, -2.5),
                                    bytes([VEC64, 1]) + struct.pack("<d", 1e300)))
write("params", "json-comments", params(0, "/* ? */ SELECT # ?\n ? /*! ? */",
                                         bytes([JSON]) + piece('{"a": "x\\"y"}')))

# ---- identifier: the bytes are the name
for name, s in [("plain", b"orders"), ("backtick", b"a`b``c"), ("utf8", "数据库".encode()),
                ("long", b"x" * 300), ("invalid-utf8", b"a\xff")]:
    write("identifier", name, s)

# ---- config_redact: [selector bit0: 1 url, 0 redact] then that part's layout
def url(mode, scheme, user, pw, host, tail):
    return bytes([1, mode]) + piece(scheme) + piece(user) + piece(pw) + piece(host) + piece(tail)


def redact(mode, pre, pw, post):
    return bytes([0, mode]) + piece(pre) + piece(pw) + piece(post)


write("config_redact", "url-userinfo", url(0x10, "", "root", "s3cr3t!pw", "127.0.0.1:6001", "/test?connect_timeout=5"))
write("config_redact", "url-query", url(0x01, "", "dump#user", "pa%40ss%2Fword", "[::1]:3306", "/db"))
write("config_redact", "url-bad", url(0x04, "my sql", "u", "hunter22", "h:99999", "/a/b"))
write("config_redact", "identified", redact(0, "select 1,", "it's a secret", ""))
write("config_redact", "uri", redact(1, "", "topsecret", "(x)"))
write("config_redact", "credentials", redact(2 | 8, "CREATE STAGE s URL=", "AKIAsecret\\'", ""))
write("config_redact", "password", redact(3, "", "pass\nword", ""))

# ---- json: the bytes are the document
for name, s in [("object", b'{"a": [1, -2.5e3, true, false, null], "b": {"c": "\\u00e9\\ud83d\\ude00"}}'),
                ("deep", b"[" * 70 + b"]" * 70), ("string", b'"a\\"b\\\\c\\/\\n"'), ("bad", b'{"a":01}')]:
    write("json", name, s)

# ---- load_data: [how][table][source][filename] then (op, value[, value]) pairs
def load(how, table, source, filename, *ops):
    return bytes([how]) + piece(table) + piece(source) + piece(filename) + b"".join(ops)


def op(k, *vals):
    return bytes([k]) + b"".join(piece(v) for v in vals)


write("load_data", "file", load(0, "db.t", "/data/in.csv", "", op(0, ","), op(1, '"'), op(2, "\\"),
                                 op(4, "\r\n"), op(5, "\x01"), op(8, "a"), op(8, "@b"), op(9, "c", "it's"),
                                 op(10, "d", "UPPER(@b)"), op(6, "utf8mb4")))
write("load_data", "stage", load(1, "t", "my_stage", "dir/file 1.jsonl", op(11, "jsonline"), op(12, "gzip")))
write("load_data", "inline", load(2, "t", "1,'a'\\n2,\"b\"\n", "", op(0, "|"), op(1, "'")))
