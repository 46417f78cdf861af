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

# ---- server: [flags][chunk: 2-byte LE length + bytes]...; chunk 0 is the greeting, each
# later chunk answers the client's next message (handshake response, the query, the ping).
def packet(seq, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def lenenc(b):
    if isinstance(b, str):
        b = b.encode()
    assert len(b) < 251
    return bytes([len(b)]) + b


CAPS = 0x1 | 0x2 | 0x4 | 0x8 | 0x200 | 0x2000 | 0x8000 | 0x10000 | 0x20000 | 0x40000 | 0x80000


def greeting(version):
    return packet(0, b"\x0a" + version.encode() + b"\0" + struct.pack("<I", 42) + b"abcdefgh" + b"\0"
                  + struct.pack("<H", CAPS & 0xFFFF) + bytes([45]) + struct.pack("<H", 2)
                  + struct.pack("<H", CAPS >> 16) + bytes([21]) + b"\0" * 10 + b"ijklmnopqrst\0"
                  + b"mysql_native_password\0")


def ok(seq, status=2):
    return packet(seq, b"\x00\x00\x00" + struct.pack("<HH", status, 0))


def eof(seq, status=2):
    return packet(seq, b"\xfe\x00\x00" + struct.pack("<H", status))


def coldef(seq, name, type_, flags=0, charset=63, length=20, decimals=0):
    return packet(seq, lenenc("def") + lenenc("db") + lenenc("t") + lenenc("t") + lenenc(name) + lenenc(name)
                  + b"\x0c" + struct.pack("<HIBHB", charset, length, type_, flags, decimals) + b"\0\0")


def resultset(columns, rows):
    out = packet(1, bytes([len(columns)]))
    seq = 2
    for c in columns:
        out += coldef(seq, *c)
        seq += 1
    out += eof(seq)
    seq += 1
    for r in rows:
        out += packet(seq, b"".join(b"\xfb" if v is None else lenenc(v) for v in r))
        seq += 1
    return out + eof(seq)


def server(flags, *chunks):
    return bytes([flags]) + b"".join(struct.pack("<H", len(c)) + c for c in chunks)


select1 = resultset([("1", 8, 0x81)], [["1"]])
write("server", "mariadb-select", server(0, greeting("10.11.6-MariaDB"), ok(2), select1, ok(1)))
write("server", "matrixone-select", server(1, greeting("8.0.30-MatrixOne-v4.2.0"), ok(2), select1, ok(1)))
write("server", "typed-rows", server(0, greeting("10.11.6-MariaDB"), ok(2),
                                     resultset([("i", 3), ("d", 5), ("s", 253, 0, 45), ("b", 252, 0x90), ("n", 246, 0, 63, 10, 2),
                                                ("t", 12)],
                                               [["-7", "1.5", "it's", "\x00\xff", "12.50", "2024-02-29 10:00:00"],
                                                [None, None, None, None, None, None], ["99999999999999999999", "x", "", "", "-", "0"]]),
                                     ok(1)))
write("server", "query-error", server(0, greeting("10.11.6-MariaDB"), ok(2),
                                      packet(1, b"\xff" + struct.pack("<H", 1146) + b"#42S02Table 'db.t' doesn't exist")))
write("server", "auth-error", server(0, greeting("5.7.44"),
                                     packet(2, b"\xff" + struct.pack("<H", 1045) + b"#28000Access denied for user")))
write("server", "ok-then-close", server(0, greeting("8.0.36"), ok(2), ok(1, 2 | 0x200)))
write("server", "auth-switch", server(0, greeting("10.11.6-MariaDB"),
                                      packet(2, b"\xfemysql_native_password\0abcdefghijklmnopqrst\0"), ok(4), select1))
