#!/usr/bin/env bash
# tests/install/consumer-test.sh BUILD_DIR SOURCE_DIR TEST_SERVER_DIR — ctest install.consumer.
# Installs BUILD_DIR into a temporary prefix, checks the installed layout, builds
# examples/consumer against it with pkg-config and with find_package(mocore), runs both
# against the test server and expects "42".
set -uo pipefail
build=$1 src=$2 server_dir=$3
url=${MOCORE_TEST_URL:-$(cat "$server_dir/url" 2>/dev/null)}
[[ -n $url ]] || { echo "FAIL: no test server URL (MOCORE_TEST_URL or $server_dir/url)"; exit 1; }
tmp=$(mktemp -d /tmp/mocore-install.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix fail=0

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
libdir=$(dirname "$(find "$prefix" -name mocore.pc -path '*pkgconfig*' | head -1)")/..
for f in include/mocore.h include/mocore/common.h include/mocore/error_categories.def \
         lib/libmocore.so lib/libmocore.so.1 lib/libmocore.a lib/pkgconfig/mocore.pc \
         lib/cmake/mocore/mocoreConfig.cmake lib/cmake/mocore/mocoreConfigVersion.cmake \
         lib/cmake/mocore/mocoreTargets.cmake share/man/man3/mo_client_connect.3 \
         share/man/man3/mo_client_execute.3 share/man/man3/mo_session_open.3 share/man/man3/mo_result_next.3 \
         share/man/man3/mo_error_last.3 share/man/man3/mo_config_from_url.3; do
    [[ -e $prefix/$f ]] || { echo "FAIL: not installed: $f"; fail=1; }
done
grep -q "^prefix=$prefix\$" "$prefix/lib/pkgconfig/mocore.pc" ||
    { echo "FAIL: mocore.pc does not name the install prefix"; cat "$prefix/lib/pkgconfig/mocore.pc"; fail=1; }

run() {  # name binary
    local out
    out=$("$2" "$url" 2>&1)
    if [[ $out == 42 ]]; then echo "ok   [$1]: printed 42"; else echo "FAIL [$1]: printed '$out'"; fail=1; fi
}

# 1. pkg-config
if PKG_CONFIG_PATH=$prefix/lib/pkgconfig "$src/examples/consumer/build-pkgconfig.sh" \
        "$tmp/consumer-pkgconfig" >"$tmp/pc.log" 2>&1; then
    run pkg-config "$tmp/consumer-pkgconfig"
else
    cat "$tmp/pc.log"; echo "FAIL [pkg-config]: build failed"; fail=1
fi

# 2. find_package(mocore)
if cmake -S "$src/examples/consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
        >"$tmp/cm.log" 2>&1 && cmake --build "$tmp/cmake-build" >>"$tmp/cm.log" 2>&1; then
    run find_package "$tmp/cmake-build/consumer"
else
    cat "$tmp/cm.log"; echo "FAIL [find_package]: configure/build failed"; fail=1
fi
exit $fail
