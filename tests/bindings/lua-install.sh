#!/usr/bin/env bash
# tests/bindings/lua-install.sh rock|cmake LUA SOURCE_DIR BUILD_DIR TEST_SERVER_DIR — ctest
# lua.rock and lua.install: install the Lua module the way a user does, into a temporary
# directory, then load it from there alone (LUA_PATH/LUA_CPATH name only that directory) and
# query the test server through `require "mocore"` and `require "mocore.luasql"`.
#   rock:  luarocks make --tree TMP (the rockspec written by bindings/lua/rockspec.sh)
#   cmake: cmake --install BUILD_DIR --prefix TMP
set -uo pipefail
mode=$1 lua=$2 src=$3 build=$4 server_dir=$5
url=${MOCORE_TEST_URL:-$(cat "$server_dir/url" 2>/dev/null)}
[[ -n $url ]] || { echo "FAIL: no test server URL"; exit 1; }
tmp=$(mktemp -d /tmp/mocore-lua-install.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
case $mode in
rock)
    command -v luarocks >/dev/null || { echo "SKIPPED: luarocks not installed"; exit 77; }
    rockspec=$("$src/bindings/lua/rockspec.sh" "$tmp") || { echo "FAIL: rockspec.sh"; exit 1; }
    echo "rockspec: $(basename "$rockspec")"
    (cd "$src" && luarocks --lua-version 5.4 make --tree "$root" "$rockspec") >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log"; echo "FAIL: luarocks make"; exit 1; }
    grep -q "^version = \"$(basename "$rockspec" .rockspec | sed 's/^mocore-//')\"" "$rockspec" ||
        { echo "FAIL: the rockspec's version is not its file name's"; exit 1; } ;;
cmake)
    cmake --install "$build" --prefix "$root" >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; } ;;
*) echo "usage: $0 rock|cmake LUA SOURCE_DIR BUILD_DIR TEST_SERVER_DIR"; exit 2 ;;
esac

fail=0
for f in share/lua/5.4/mocore.lua share/lua/5.4/mocore_async.lua share/lua/5.4/mocore_managers.lua \
         share/lua/5.4/mocore_managers_runtime.lua share/lua/5.4/mocore/luasql.lua lib/lua/5.4/mocore_core.so; do
    [[ -f $root/$f ]] || { echo "FAIL: not installed: $f"; fail=1; }
done
(( fail == 0 )) || { find "$root" -type f; exit 1; }

# From a directory without a mocore module, with only the installed tree on the paths.
out=$(cd "$tmp" && LUA_PATH="$root/share/lua/5.4/?.lua" LUA_CPATH="$root/lib/lua/5.4/?.so" \
      MOCORE_URL="$url" MOCORE_ROOT="$root" "$lua" -e '
local mocore = require "mocore"
assert(package.searchpath("mocore", package.path):find(os.getenv("MOCORE_ROOT"), 1, true), "mocore.lua is not the installed one")
local c = mocore.connect(os.getenv("MOCORE_URL"))
io.write(mocore.VERSION, " ", c:execute("SELECT 40 + 2"):scalar(), " ")
c:close()
local user, pw, host, port, db = os.getenv("MOCORE_URL"):match("^%w+://([^:]+):([^@]+)@([^:]+):(%d+)/(.+)$")
local env = require("mocore.luasql").mysql()
local conn = assert(env:connect(db, user, pw, host, tonumber(port)))
local cur = assert(conn:execute("SELECT 6 * 7 AS answer"))
io.write(cur:fetch({}, "a").answer, " ", type(require("mocore_async").connect), "\n")
conn:close(); env:close()' 2>&1)
want_version=$(sed -n 's/^#define MOCORE_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)$/\2/p' "$src/capi/mocore/common.h" | paste -sd.)
if [[ $out == "$want_version 42 42 function" ]]; then
    echo "ok [$mode]: require \"mocore\" and \"mocore.luasql\" from the installed tree: $out"
else
    echo "FAIL [$mode]: printed '$out' (want '$want_version 42 42 function')"; exit 1
fi
