#!/usr/bin/env python3
"""abi/check-symbols.py LIB — the symbol contract of a built libmocore.so.1 (ctest abi.symbols).

Fails (exit 1, one line per problem) when
  * a defined GLOBAL dynamic symbol of LIB (readelf --dyn-syms --wide) is not in abi/mocore.map,
    or is exported outside a MOCORE_* version node;
  * a symbol named in abi/mocore.map is not exported by LIB in that node;
  * abi/mocore.map or abi/mocore.manifest differs from what abi/gen-manifest.py generates from
    capi/mocore/*.h (a function declared with MO_API but not mapped, a stale signature, ...);
  * a shipped node (abi/releases) is missing, or its text in abi/mocore.map is not byte-for-byte
    the text that shipped; the nodes do not form one chain, each node's parent the one before;
  * the library does not define every node of the map as a version.
Python 3 standard library only.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
gen = __import__("gen-manifest")


def exported(lib):
    """{name: version} of the defined GLOBAL/WEAK dynamic symbols (not the version nodes)."""
    out = subprocess.run(["readelf", "--dyn-syms", "--wide", lib], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) < 8 or not f[0].endswith(":"):
            continue
        typ, bind, ndx, name = f[3], f[4], f[6], f[7]
        if ndx == "UND" or bind not in ("GLOBAL", "WEAK"):
            continue
        if typ == "OBJECT" and ndx == "ABS" and "@" not in name:
            continue                        # the version node definitions themselves
        m = re.match(r"^([^@]+)@@?(.*)$", name)
        syms[m.group(1) if m else name] = m.group(2) if m else ""
    return syms


def defined_versions(lib):
    """The version names the library defines (readelf -V, .gnu.version_d), without the base."""
    out = subprocess.run(["readelf", "-V", "--wide", lib], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    names = []
    in_defs = False
    for line in out.splitlines():
        if "Version definition section" in line:
            in_defs = True
            continue
        if in_defs and "Version needs section" in line:
            break
        m = re.search(r"Flags: (\S+).*Name: (\S+)", line)
        if in_defs and m and m.group(1) != "BASE":
            names.append(m.group(2))
    return names


def node_problems(nodes, map_source):
    problems = []
    order = [n for n, _s, _p in nodes]
    for i, (node, _syms, parent) in enumerate(nodes):
        want = order[i - 1] if i else ""
        if parent != want:
            problems.append("node %s has parent %r, want %r (each node extends the one before)"
                            % (node, parent, want))
    for node, _commit, digest in gen.read_releases():
        if node not in order:
            problems.append("shipped node %s (abi/releases) is missing from abi/mocore.map" % node)
        elif gen.node_digest(map_source, node) != digest:
            problems.append("shipped node %s changed: its text in abi/mocore.map is not the text "
                            "that shipped (sha256 %s in abi/releases); a shipped node never "
                            "changes, new symbols go in a new node" % (node, digest))
    return problems


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: abi/check-symbols.py path/to/libmocore.so.1\n")
        return 2
    lib = sys.argv[1]
    problems = []
    nodes, _ = gen.read_map(gen.MAP)
    mapped = {s: node for node, syms, _p in nodes for s in syms}
    lib_syms = exported(lib)
    problems.extend(node_problems(nodes, open(gen.MAP, encoding="utf-8").read()))
    versions = defined_versions(lib)
    for node, _s, _p in nodes:
        if node not in versions:
            problems.append("the library defines no version %s (built with an older map?)" % node)

    for s in sorted(set(lib_syms) - set(mapped)):
        problems.append("exported by the library but missing from abi/mocore.map: %s@%s"
                        % (s, lib_syms[s] or "(unversioned)"))
    for s in sorted(set(mapped) - set(lib_syms)):
        problems.append("in abi/mocore.map (node %s) but not exported by the library: %s "
                        "(not defined, or not MO_API)" % (mapped[s], s))
    for s in sorted(set(mapped) & set(lib_syms)):
        if lib_syms[s] != mapped[s]:
            problems.append("%s is exported in version %r but the map puts it in node %s"
                            % (s, lib_syms[s], mapped[s]))

    functions = gen.parse()
    for s in sorted(set(functions) - set(mapped)):
        problems.append("declared MO_API in %s but missing from abi/mocore.map: %s "
                        "(run python3 abi/gen-manifest.py)" % (functions[s][2], s))
    for s in sorted(set(mapped) - set(functions)):
        problems.append("in abi/mocore.map but not declared MO_API in capi/mocore/*.h: %s" % s)

    with tempfile.NamedTemporaryFile("w+", suffix=".manifest") as tmp:
        tmp.write(gen.manifest_text(functions))
        tmp.flush()
        fresh = open(tmp.name, encoding="utf-8").read()
    committed = open(gen.MANIFEST, encoding="utf-8").read() if os.path.exists(gen.MANIFEST) else ""
    if fresh != committed:
        problems.append("abi/mocore.manifest is stale (differs from the headers); "
                        "run python3 abi/gen-manifest.py. Diff:")
        gen.show_diff("abi/mocore.manifest", committed, fresh)

    if problems:
        for p in problems:
            sys.stderr.write("abi.symbols: FAIL: %s\n" % p)
        return 1
    counts = ", ".join("%s: %d" % (n, len(s)) for n, s, _p in nodes)
    print("abi.symbols: OK: %d exported symbols = %d map entries = %d manifest entries "
          "(%s; shipped unchanged: %s)" % (len(lib_syms), len(mapped), len(functions), counts,
                                           ", ".join(r[0] for r in gen.read_releases()) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
