#!/usr/bin/env bash
# abi/check-abi.sh — compare libmocore.so.1 with the committed ABI baseline (see abi/README.md).
#
#   abi/check-abi.sh [--source DIR] [BUILD_DIR]   check
#   abi/check-abi.sh --update [BUILD_DIR]         refresh abi/libmocore.so.1.abi
#
# BUILD_DIR: use BUILD_DIR/libmocore.so.1 as it is (it must be built with -g, e.g. the default
# RelWithDebInfo). Without it the library is configured and built (shared library target only)
# in build-abicheck/ under the source tree. --source DIR takes the public headers (DIR/capi) and,
# without BUILD_DIR, the sources from DIR instead of this checkout (used by the "checker can
# fail" test).
#
# The library is described with abidw (public types only: --headers-dir capi
# --drop-private-types; no absolute paths) and compared with abidiff using
# abi/suppressions.abignore. abidiff's exit bits are 1 error, 2 usage, 4 ABI changed,
# 8 incompatible. abidiff sets 8 only for removed symbols; a changed parameter type or a
# renumbered enumerator only sets 4. So this script decides from the change summary:
#   exit 0  identical, or only added functions/variables (reported: compatible additions)
#   exit 1  an error (abidw/abidiff failed, no debug info, ...)
#   exit 2  usage
#   exit 8  incompatible: anything removed or changed (after suppressions)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASELINE=$ROOT/abi/libmocore.so.1.abi
SUPPRESSIONS=$ROOT/abi/suppressions.abignore

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "check-abi: error: $*" >&2; exit 1; }

update=0 source=$ROOT build=
while [[ $# -gt 0 ]]; do
    case $1 in
        --update) update=1 ;;
        --source) [[ $# -ge 2 ]] || usage; source=$(cd "$2" && pwd) || exit 2; shift ;;
        -h|--help) usage ;;
        -*) usage ;;
        *) [[ -z $build ]] || usage; build=$1 ;;
    esac
    shift
done
command -v abidw >/dev/null && command -v abidiff >/dev/null ||
    die "abidw/abidiff not found (apt-get install abigail-tools)"

if [[ -z $build ]]; then
    build=$source/build-abicheck
    # Configured every time, so that a directory made before these options were set gets
    # them too. Without link-time optimisation: it merges the translation units into one
    # "<artificial>-NNNN" unit whose number changes from build to build.
    cmake -S "$source" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
          -DMOCORE_BUILD_TESTS=OFF -DMOCORE_LTO=OFF >"$build.log" 2>&1 || { cat "$build.log" >&2; die "configure failed"; }
    rm -f "$build.log"
    cmake --build "$build" --target mocore >/dev/null || die "build failed in $build"
fi
lib=$build/libmocore.so.1
[[ -f $lib ]] || die "$lib not found (build the mocore target first)"
readelf -S "$lib" | grep -q '\.debug_info' || die "$lib has no debug info (build with -g)"

tmp=$(mktemp -d) || die "mktemp"
trap 'rm -rf "$tmp"' EXIT
# abidw's only machine-specific output is the translation unit paths: keep them relative.
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --drop-undefined-syms \
      --headers-dir "$source/capi" --drop-private-types "$lib" >"$tmp/raw.abi" ||
    die "abidw failed on $lib"
sed -E "s#path='[^']*/(src/[^']*)'#path='\\1'#" "$tmp/raw.abi" >"$tmp/current.abi"

if [[ $update == 1 ]]; then
    if [[ -f $BASELINE ]]; then
        abidiff --suppressions "$SUPPRESSIONS" "$BASELINE" "$tmp/current.abi" >"$tmp/diff"
        rc=$?
        (( rc & 8 )) && echo "check-abi: WARNING: this update records an INCOMPATIBLE change;" \
                             "that needs a new SONAME (see abi/README.md)" >&2
        grep -E 'changes summary' "$tmp/diff" | sed 's/^/check-abi: /'
    fi
    cp "$tmp/current.abi" "$BASELINE"
    echo "check-abi: wrote ${BASELINE#$ROOT/} from $lib"
    exit 0
fi

[[ -f $BASELINE ]] || die "no baseline ${BASELINE#$ROOT/}; create it with abi/check-abi.sh --update"
abidiff --suppressions "$SUPPRESSIONS" "$BASELINE" "$tmp/current.abi" >"$tmp/diff" 2>&1
rc=$?
if (( rc & 3 )); then
    cat "$tmp/diff" >&2
    die "abidiff failed (exit $rc)"
fi
# Count what was removed or changed, and what was added, over every summary line
# ("Functions changes summary: 0 Removed, 1 Changed (2 filtered out), 3 Added functions").
read -r removed changed added < <(awk '
    /changes summary:/ {
        for (i = 1; i <= NF; i++) {
            if ($(i+1) ~ /^Removed/) r += $i
            if ($(i+1) ~ /^Changed/) c += $i
            if ($(i+1) ~ /^Added/) a += $i
        }
    }
    END { print r+0, c+0, a+0 }' "$tmp/diff")

if (( rc & 8 )) || (( removed > 0 || changed > 0 )); then
    cat "$tmp/diff"
    echo "check-abi: FAIL: INCOMPATIBLE ABI change against ${BASELINE#$ROOT/}" \
         "($removed removed, $changed changed; abidiff exit $rc)." >&2
    echo "check-abi: a released ABI never changes; an incompatible change needs a new SONAME" \
         "(see abi/README.md)." >&2
    exit 8
fi
if (( added > 0 )); then
    cat "$tmp/diff"
    echo "check-abi: OK: compatible additions only ($added added). Refresh the baseline with" \
         "abi/check-abi.sh --update and commit it."
    exit 0
fi
echo "check-abi: OK: $lib matches ${BASELINE#$ROOT/} (abidiff exit $rc)"
exit 0
