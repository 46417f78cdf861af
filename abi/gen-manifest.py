#!/usr/bin/env python3
"""abi/gen-manifest.py — the exported functions of libmocore, read from the public headers.

Parses every `MO_API` declaration in capi/mocore/*.h and writes

  abi/mocore.manifest   one line per exported function, sorted by name:
                            name|return_type|arg_type,arg_type,...
                        (an empty third field means no arguments). Lines starting with '#'
                        are comments. The type vocabulary maps 1:1 to libffi / ctypes:
                            void      no value (return type only)
                            status    mo_status (C int; 0 ok, > 0 a state, < 0 an error)
                            int       int, and every C enum (enums are int-sized)
                            unsigned  unsigned int
                            size_t    size_t
                            int64     int64_t
                            uint64    uint64_t
                            double    double
                            float     float
                            string    const char * (a NUL-terminated string, in or out)
                            pointer   any other pointer: handles, out-parameters, buffers,
                                      function pointers, void *
  abi/mocore.map        with --map: the symbol lists of the version script. Symbols already
                        in a node stay there; symbols new in the headers go to the newest node
                        (or to --node NAME, created if missing, its parent the newest node);
                        symbols no longer declared are dropped with a warning.

The shipped nodes are listed in abi/releases (node, release commit, sha256 of the node's text).
A shipped node never changes: adding a symbol to it, or dropping one of its symbols, is an
error (new symbols need a new node: --node MOCORE_1.<n+1>), and abi/check-symbols.py checks
that its text in abi/mocore.map is byte-for-byte the text that shipped.

Usage:
  python3 abi/gen-manifest.py              write abi/mocore.manifest and abi/mocore.map
  python3 abi/gen-manifest.py --manifest-only
  python3 abi/gen-manifest.py --check      write nothing; exit 1 if either file is stale
  python3 abi/gen-manifest.py --out FILE   write the manifest to FILE only (for tests)
  python3 abi/gen-manifest.py --names      print the exported names, one per line

An unknown C type is an error: extend TYPE_MAP below (and tests/ffi, tests/ctypes) first.
Python 3 standard library only.
"""
import argparse
import difflib
import glob
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER_GLOB = os.path.join(ROOT, "capi", "mocore", "*.h")
MANIFEST = os.path.join(ROOT, "abi", "mocore.manifest")
MAP = os.path.join(ROOT, "abi", "mocore.map")
RELEASES = os.path.join(ROOT, "abi", "releases")

# Scalar C types (after typedef resolution, without const) -> manifest vocabulary.
TYPE_MAP = {
    "void": "void",
    "mo_status": "status",
    "int": "int", "signed": "int", "signed int": "int", "int32_t": "int",
    "unsigned": "unsigned", "unsigned int": "unsigned", "uint32_t": "unsigned",
    "size_t": "size_t",
    "int64_t": "int64",
    "uint64_t": "uint64",
    "double": "double",
    "float": "float",
}
QUALIFIERS = {"const", "volatile", "restrict", "struct", "enum"}


def die(msg):
    sys.stderr.write("gen-manifest: %s\n" % msg)
    sys.exit(1)


def strip_source(text):
    """Drop comments and preprocessor lines (with their continuations)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\\\n", " ", text)
    return "\n".join(l for l in text.split("\n") if not l.lstrip().startswith("#"))


def split_top(s, sep=","):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [p.strip() for p in out]


class Parser:
    def __init__(self):
        self.aliases = {}      # typedef name -> vocabulary type
        self.functions = {}    # name -> (ret, [args], header)

    def read_typedefs(self, text):
        for m in re.finditer(r"\btypedef\s+enum\b[^;{]*\{[^}]*\}\s*(\w+)\s*;", text):
            self.aliases[m.group(1)] = "int"
        for m in re.finditer(r"\btypedef\s+struct\s+\w+\s+(\w+)\s*;", text):
            self.aliases[m.group(1)] = "handle"
        for m in re.finditer(r"\btypedef\s+[^;]*?\(\s*\*\s*(\w+)\s*\)\s*\([^;]*\)\s*;", text):
            self.aliases[m.group(1)] = "pointer"
        for m in re.finditer(r"\btypedef\s+([\w\s]+?)\s+(\w+)\s*;", text):
            base = " ".join(m.group(1).split())
            if base.startswith(("struct ", "enum ")):
                continue
            if m.group(2) in TYPE_MAP:      # mo_status keeps its own name
                continue
            self.aliases[m.group(2)] = self.scalar(base, m.group(0))

    def scalar(self, base, where):
        if base in TYPE_MAP:
            return TYPE_MAP[base]
        if base in self.aliases:
            return self.aliases[base]
        die("unknown C type %r in %r: add it to TYPE_MAP in abi/gen-manifest.py" % (base, where))

    def map_type(self, decl, is_param, where):
        """decl is a parameter or a return type; returns the vocabulary type."""
        d = decl.strip()
        if "(" in d:                      # an inline function pointer parameter
            return "pointer"
        d = re.sub(r"\[[^\]]*\]", "*", d)  # arrays decay to pointers
        toks = re.findall(r"[A-Za-z_]\w*|\*", d)
        stars = toks.count("*")
        const_base = False
        words = []
        for i, t in enumerate(toks):
            if t == "*":
                continue
            if t == "const" and not any(x == "*" for x in toks[:i]):
                const_base = True
            if t in QUALIFIERS:
                continue
            words.append(t)
        # drop the parameter name: the last identifier when it follows a complete type
        if is_param and len(words) >= 2 and words[-1] not in TYPE_MAP and \
                words[-1] not in self.aliases and words[-1] not in ("int", "unsigned", "signed"):
            words = words[:-1]
        elif is_param and len(words) == 2 and stars and toks[-1] != "*":
            words = words[:-1]
        base = " ".join(words)
        if not base:
            die("cannot parse type %r in %r" % (decl, where))
        if stars == 0:
            t = self.scalar(base, where)
            if t == "handle":
                die("handle passed by value in %r" % where)
            return t
        if stars == 1 and base == "char" and const_base:
            return "string"
        if base not in TYPE_MAP and base not in self.aliases and base != "char":
            die("unknown C type %r in %r: add it to TYPE_MAP in abi/gen-manifest.py" % (base, where))
        return "pointer"

    def read_functions(self, text, header):
        for stmt in text.split(";"):
            if not re.search(r"\bMO_API\b", stmt):
                continue
            s = " ".join(stmt.split())
            s = s[s.index("MO_API") + len("MO_API"):].strip()
            m = re.match(r"^(.*?)\b(\w+)\s*\((.*)\)\s*$", s)
            if not m:
                die("cannot parse MO_API declaration %r in %s" % (s, header))
            ret, name, args = m.group(1).strip(), m.group(2), m.group(3).strip()
            where = "%s (%s)" % (name, os.path.basename(header))
            rtype = self.map_type(ret, False, where)
            if args in ("", "void"):
                atypes = []
            else:
                atypes = [self.map_type(a, True, where) for a in split_top(args)]
                if "void" in atypes:
                    die("void parameter in %s" % where)
            if name in self.functions:
                die("%s declared twice (%s and %s)" % (name, self.functions[name][2], header))
            self.functions[name] = (rtype, atypes, os.path.basename(header))


def parse(header_glob=HEADER_GLOB):
    headers = sorted(glob.glob(header_glob))
    if not headers:
        die("no headers match %s" % header_glob)
    texts = [(h, strip_source(open(h, encoding="utf-8").read())) for h in headers]
    p = Parser()
    for _ in range(2):                     # typedefs may refer to typedefs of other headers
        for _h, t in texts:
            p.read_typedefs(t)
    for h, t in texts:
        p.read_functions(t, h)
    if not p.functions:
        die("no MO_API declarations found")
    return p.functions


def manifest_text(functions):
    lines = [
        "# abi/mocore.manifest — generated by abi/gen-manifest.py from capi/mocore/*.h; do not edit.",
        "# name|return_type|arg_type,arg_type,...   types: void status int unsigned size_t int64",
        "# uint64 double float string pointer (see abi/gen-manifest.py)",
    ]
    for name in sorted(functions):
        ret, args, _h = functions[name]
        lines.append("%s|%s|%s" % (name, ret, ",".join(args)))
    return "\n".join(lines) + "\n"


def read_map(path):
    """[(node, [symbols], parent)] in file order, and the file's header comment."""
    text = open(path, encoding="utf-8").read()
    m = re.match(r"\s*/\*.*?\*/\s*", text, flags=re.S)
    header = m.group(0) if m else ""
    nodes = []
    body = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    body = re.sub(r"#[^\n]*", " ", body)
    for m in re.finditer(r"([\w.]+)\s*\{(.*?)\}\s*([\w.]*)\s*;", body, flags=re.S):
        node, inner, parent = m.group(1), m.group(2), m.group(3)
        glob_part = inner.split("local:")[0].replace("global:", " ")
        syms = [s.strip() for s in glob_part.split(";") if s.strip()]
        nodes.append((node, syms, parent))
    return nodes, header


def read_releases(path=RELEASES):
    """[(node, commit, sha256)] of the shipped nodes, oldest first (abi/releases)."""
    if not os.path.exists(path):
        return []
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) != 3:
            die("abi/releases: want 'node commit sha256', got %r" % " ".join(line))
        out.append(tuple(line))
    return out


def node_text(map_source, node):
    """The text of version node `node` in a map file, from its name to its closing '};'
    (or '} PARENT;') and newline; None when absent."""
    m = re.search(r"^%s \{.*?^\}[^;\n]*;\n" % re.escape(node), map_source, flags=re.S | re.M)
    return m.group(0) if m else None


def node_digest(map_source, node):
    t = node_text(map_source, node)
    return hashlib.sha256(t.encode("utf-8")).hexdigest() if t is not None else None


def map_text(functions, old_path=MAP, new_node=None, releases_path=RELEASES):
    nodes, header = read_map(old_path) if os.path.exists(old_path) else ([], "")
    shipped = {r[0] for r in read_releases(releases_path)}
    if not header.strip():
        header = ("/* abi/mocore.map — the exported symbols of libmocore.so.1, by name, no wildcards.\n"
                  " * One node per release that adds symbols; a shipped node never changes.\n"
                  " * Symbol lists are maintained by abi/gen-manifest.py. */\n")
    names = set(functions)
    seen = set()
    out_nodes = []
    for node, syms, parent in nodes:
        keep = []
        for s in syms:
            if s in names:
                keep.append(s)
                seen.add(s)
            elif node in shipped:
                die("%s (node %s, shipped) is not declared in the headers any more: removing "
                    "a shipped export is incompatible (a new SONAME, see abi/README.md)" % (s, node))
            else:
                sys.stderr.write("gen-manifest: warning: %s (node %s) is not declared in the "
                                 "headers any more; dropped from the map\n" % (s, node))
        out_nodes.append([node, keep, parent])
    new = sorted(names - seen)
    if new:
        if new_node and new_node not in [n[0] for n in out_nodes]:
            parent = out_nodes[-1][0] if out_nodes else ""
            out_nodes.append([new_node, [], parent])
        if not out_nodes:
            out_nodes.append([new_node or "MOCORE_1.0", [], ""])
        target = [n for n in out_nodes if n[0] == (new_node or out_nodes[-1][0])][0]
        if target[0] in shipped:
            die("node %s has shipped (abi/releases) and never changes; new symbols (%s) go in a "
                "new node: python3 abi/gen-manifest.py --node MOCORE_1.<n+1>"
                % (target[0], ", ".join(new)))
        target[1].extend(new)
    out = [header.rstrip("\n")]
    for i, (node, syms, parent) in enumerate(out_nodes):
        out.append("%s {" % node)
        if syms or i == 0:
            out.append("    global:")
        out.extend("        %s;" % s for s in sorted(syms))
        if i == 0:
            out.append("    local:")
            out.append("        *;")
        out.append("}%s;" % ((" " + parent) if parent else ""))
    return "\n".join(out) + "\n"


def show_diff(path, old, new):
    sys.stderr.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                               path + " (committed)", path + " (from headers)"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if a file is stale; write nothing")
    ap.add_argument("--manifest-only", action="store_true", help="do not touch abi/mocore.map")
    ap.add_argument("--map", action="store_true", help="(default) also regenerate abi/mocore.map")
    ap.add_argument("--node", help="version node for new symbols (default: the newest node)")
    ap.add_argument("--out", help="write the manifest to this file and nothing else")
    ap.add_argument("--names", action="store_true", help="print the exported names")
    ap.add_argument("--headers", default=HEADER_GLOB, help="header glob (default capi/mocore/*.h)")
    a = ap.parse_args()

    functions = parse(a.headers)
    if a.names:
        print("\n".join(sorted(functions)))
        return 0
    mtext = manifest_text(functions)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(mtext)
        return 0
    targets = [(MANIFEST, mtext)]
    if not a.manifest_only:
        targets.append((MAP, map_text(functions, MAP, a.node)))
    stale = 0
    for path, text in targets:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        if old == text:
            continue
        if a.check:
            stale += 1
            sys.stderr.write("gen-manifest: %s is stale; run python3 abi/gen-manifest.py\n"
                             % os.path.relpath(path, ROOT))
            show_diff(os.path.relpath(path, ROOT), old, text)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print("wrote %s (%d functions)" % (os.path.relpath(path, ROOT), len(functions)))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
