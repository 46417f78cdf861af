#!/bin/sh
# bindings/lua/rockspec.sh [OUTDIR] — write OUTDIR/mocore-<version>-1.rockspec (OUTDIR
# defaults to .) from bindings/lua/mocore.rockspec.in, with the version of
# capi/mocore/common.h, and print its path:
#   cd <source tree> && luarocks make "$(bindings/lua/rockspec.sh /tmp)"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
out=${1:-.}
part() { sed -n "s/^#define MOCORE_VERSION_$1 \([0-9][0-9]*\)\$/\1/p" "$src/capi/mocore/common.h"; }
version=$(part MAJOR).$(part MINOR).$(part PATCH)
case $version in *..*|.*|*.) echo "rockspec.sh: no version in capi/mocore/common.h" >&2; exit 1 ;; esac
mkdir -p "$out"
file=$(cd "$out" && pwd)/mocore-$version-1.rockspec
sed "s/@VERSION@/$version/" "$here/mocore.rockspec.in" >"$file"
echo "$file"
