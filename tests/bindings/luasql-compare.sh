#!/usr/bin/env bash
# tests/bindings/luasql-compare.sh LUA SOURCE_DIR BUILD_LUA_DIR TEST_SERVER_DIR — ctest
# lua.luasql: bindings/lua/tests/luasql_program.lua run unchanged with LuaSQL itself
# (require "luasql.mysql", Debian lua-sql-mysql) and with mocore's layer (require
# "mocore.luasql"), against the same server; the two outputs must be identical.
set -uo pipefail
lua=$1 src=$2 mod=$3 server_dir=$4
url=${MOCORE_TEST_URL:-$(cat "$server_dir/url" 2>/dev/null)}
[[ -n $url ]] || { echo "FAIL: no test server URL"; exit 1; }
[[ $url == mysql://* ]] || { echo "SKIPPED: LuaSQL's MySQL driver needs a mysql:// server"; exit 77; }
if ! "$lua" -e 'require "luasql.mysql"' 2>/dev/null; then
    echo "SKIPPED: luasql.mysql not installed (apt install lua-sql-mysql)"; exit 77
fi
tmp=$(mktemp -d /tmp/mocore-luasql.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
prog=$src/bindings/lua/tests/luasql_program.lua
"$lua" "$prog" luasql.mysql "$url" >"$tmp/luasql.out" 2>&1 || { cat "$tmp/luasql.out"; echo "FAIL: the program under LuaSQL"; exit 1; }
LUA_PATH="$mod/?.lua;;" LUA_CPATH="$mod/?.so;;" "$lua" "$prog" mocore.luasql "$url" >"$tmp/mocore.out" 2>&1 ||
    { cat "$tmp/mocore.out"; echo "FAIL: the program under mocore.luasql"; exit 1; }
if diff -u "$tmp/luasql.out" "$tmp/mocore.out"; then
    echo "ok: the same $(wc -l <"$tmp/mocore.out") lines under luasql.mysql and mocore.luasql"
else
    echo "FAIL: the outputs differ (- LuaSQL, + mocore.luasql)"; exit 1
fi
