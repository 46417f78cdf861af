#!/usr/bin/env bash
# tests/abi/previous-release.sh SOURCE_DIR BUILD_DIR TEST_SERVER_DIR — ctest abi.previous_release.
#
# The programs of the previous release, built against that release's public headers, run
# unchanged against the library of this tree. The release is the newest shipped node of
# abi/releases; its commit gives, from git, the headers (capi/) and two programs as they were
# then: examples/c/quickstart.c (connect, a transaction, parameters, typed getters, an error)
# and examples/consumer/consumer.c (SELECT 40 + ?). Each is compiled against the old headers
# only and linked against BUILD_DIR/libmocore.so; the program must need no symbol version
# newer than the release's node (readelf -V), and both must work against the test server.
# Exit 77 (skipped) when SOURCE_DIR is not a git checkout holding that commit (an sdist).
set -uo pipefail
src=$1 build=$2 server_dir=$3
url=${MOCORE_TEST_URL:-$(cat "$server_dir/url" 2>/dev/null)}
[[ -n $url ]] || { echo "FAIL: no test server URL (MOCORE_TEST_URL or $server_dir/url)"; exit 1; }

read -r node commit _digest < <(grep -v '^[[:space:]]*#' "$src/abi/releases" | awk 'NF' | tail -1)
[[ -n ${commit:-} ]] || { echo "FAIL: abi/releases names no shipped node"; exit 1; }
if ! git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "SKIPPED: $src is not a git checkout holding release commit $commit ($node)"
    exit 77
fi
tmp=$(mktemp -d /tmp/mocore-previous.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# The release's headers, exactly as committed then.
mkdir -p "$tmp/include"
git -C "$src" archive "$commit" capi | tar -x -C "$tmp/include" --strip-components=1 ||
    { echo "FAIL: cannot extract capi/ of $commit"; exit 1; }
[[ -f $tmp/include/mocore.h ]] || { echo "FAIL: $commit has no capi/mocore.h"; exit 1; }
echo "release $node = $commit: $(ls "$tmp/include/mocore" | wc -l) header files"

lib=$build/libmocore.so.1
[[ -f $lib ]] || { echo "FAIL: $lib not built"; exit 1; }
mkdir -p "$tmp/lib"
ln -s "$lib" "$tmp/lib/libmocore.so"

check_program() {  # name path-in-release
    local name=$1 path=$2 exe=$tmp/$1
    git -C "$src" show "$commit:$path" >"$tmp/$name.c" || { echo "FAIL [$name]: no $path in $commit"; fail=1; return; }
    # Only the old headers: no -I into this tree.
    if ! ${CC:-cc} -std=c11 -Wall -Wextra -o "$exe" "$tmp/$name.c" -I"$tmp/include" \
            -L"$tmp/lib" -lmocore -Wl,-rpath,"$(dirname "$lib")" 2>"$tmp/$name.log"; then
        cat "$tmp/$name.log"; echo "FAIL [$name]: does not compile against the $node headers"; fail=1; return
    fi
    # The versions it binds to: the release's node and older ones only.
    local needed
    needed=$(readelf -V --wide "$exe" | sed -n 's/.*Name: \(MOCORE_[0-9.]*\).*/\1/p' | sort -u | tr '\n' ' ')
    if [[ -z $needed ]]; then
        echo "FAIL [$name]: binds to no MOCORE_* version (unversioned symbols?)"; fail=1
    fi
    local v
    for v in $needed; do
        if ! grep -qE "^$v[[:space:]]" <(grep -v '^[[:space:]]*#' "$src/abi/releases"); then
            echo "FAIL [$name]: needs version $v, newer than the release ($node)"; fail=1
        fi
    done
    local out rc
    out=$(MOCORE_URL=$url "$exe" "$url" 2>&1); rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "$out"; echo "FAIL [$name]: exit $rc against the new library"; fail=1; return
    fi
    echo "ok   [$name]: built against the $node headers, needs ${needed% }, ran against $(readlink -f "$lib" | xargs basename)"
    printf '%s\n' "$out" | sed 's/^/       /' | head -5
}

check_program consumer examples/consumer/consumer.c
check_program quickstart examples/c/quickstart.c
# The consumer prints 42: the answer itself, not just exit status.
out=$(MOCORE_URL=$url "$tmp/consumer" "$url" 2>&1)
[[ $out == 42 ]] || { echo "FAIL [consumer]: printed '$out', want 42"; fail=1; }
exit $fail
