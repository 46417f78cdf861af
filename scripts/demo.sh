#!/usr/bin/env bash
# scripts/demo.sh [URL] — build mocore and run the C quickstart (examples/c/quickstart.c).
#
# Without a URL (argument or MOCORE_URL) it starts a throwaway MariaDB on a free loopback port
# (tests/harness/test-server.sh) and stops it afterwards. With one it uses that server, e.g.
#   scripts/demo.sh 'mysql://root:111@127.0.0.1:6001/test'     # a MatrixOne or MySQL server
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/deps.sh

build=${MOCORE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target quickstart -j2

url=${1:-${MOCORE_URL:-}}
if [[ -z $url ]]; then
    server_dir=$(mktemp -d /tmp/mocore-demo.XXXXXX)
    rmdir "$server_dir"   # test-server.sh creates it (and refuses foreign directories)
    trap '"$root/tests/harness/test-server.sh" stop "$server_dir"' EXIT
    tests/harness/test-server.sh start "$server_dir"
    url=$(<"$server_dir/url")
fi

echo "---- $build/quickstart"
"$build/quickstart" "$url"
