#!/usr/bin/env bash
# tests/abi/checker-detects-breakage.sh SOURCE_DIR — proves abi/check-abi.sh can fail.
#
# Copies the sources to a temporary directory, and for each deliberately incompatible change
# (a changed parameter type, a removed export, a renumbered enumerator) rebuilds only the
# shared library there (Ninja, -O0 -g, one build directory reused) and asserts that
# abi/check-abi.sh exits with 8 (incompatible). An unmodified copy must pass first, so a
# stale baseline shows up as a clear failure here too.
set -uo pipefail
src=$(cd "${1:?usage: $0 SOURCE_DIR}" && pwd)
work=$(mktemp -d /tmp/mocore-abi-break.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
fail=0

# what configuring and building the shared library needs (tests and bindings are off in the
# copy; docs/ holds the Doxyfile template that configure writes)
for d in CMakeLists.txt capi src abi cmake examples docs; do
    [[ -e $src/$d ]] && cp -r "$src/$d" "$work/"
done
cmake -S "$work" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMOCORE_BUILD_TESTS=OFF \
      -DMOCORE_BINDINGS= -DCMAKE_C_FLAGS_DEBUG="-O0 -g" >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }

check() {  # name expected-exit
    if ! ninja -C "$work/build" mocore >"$work/build.log" 2>&1; then
        cat "$work/build.log"; echo "FAIL [$1]: the modified library does not build"; fail=1; return
    fi
    "$src/abi/check-abi.sh" --source "$work" "$work/build" >"$work/check.log" 2>&1
    local rc=$?
    if [[ $rc == "$2" ]]; then
        echo "ok   [$1]: check-abi.sh exit $rc"
        grep -E "changes summary|FAIL|enumerator|parameter|Removed|removed" "$work/check.log" | head -6 | sed 's/^/       /'
    else
        cat "$work/check.log"
        echo "FAIL [$1]: check-abi.sh exit $rc, expected $2"; fail=1
    fi
}
mutate() {  # file sed-expression pattern-that-must-appear-afterwards
    cp "$src/$1" "$work/$1"
    sed -i -E "$2" "$work/$1"
    if ! grep -qE "$3" "$work/$1"; then
        echo "FAIL: mutation '$2' did not apply to $1 (the source changed; update this test)"; fail=1
        return 1
    fi
}
restore() { for f in "$@"; do cp "$src/$f" "$work/$f"; done; }

check "unmodified copy" 0

# 1. a parameter type changes: mo_config_set_port(mo_config *, unsigned) -> (..., uint64_t)
if mutate capi/mocore/config.h 's/(mo_config_set_port\(mo_config \*cfg, )unsigned port\)/\1uint64_t port)/' \
          'mo_config_set_port\(mo_config \*cfg, uint64_t port\)' &&
   mutate src/core/config.c 's/(mo_config_set_port\(mo_config \*cfg, )unsigned port\)/\1uint64_t port)/' \
          'mo_config_set_port\(mo_config \*cfg, uint64_t port\)'; then
    check "changed parameter type" 8
fi
restore capi/mocore/config.h src/core/config.c

# 2. an exported function disappears from the version script (it becomes local)
if mutate abi/mocore.map '/^[[:space:]]+mo_params_count;/d' '^[[:space:]]+mo_params_add_null;'; then
    grep -q 'mo_params_count;' "$work/abi/mocore.map" && { echo "FAIL: map mutation"; fail=1; }
    check "removed function" 8
fi
restore abi/mocore.map

# 3. an enumerator is renumbered: MO_SERVER_MYSQL = 2 -> 5
if mutate capi/mocore/config.h 's/MO_SERVER_MYSQL = 2/MO_SERVER_MYSQL = 5/' 'MO_SERVER_MYSQL = 5'; then
    check "renumbered enum value" 8
fi
restore capi/mocore/config.h

exit $fail
