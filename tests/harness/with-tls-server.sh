#!/usr/bin/env bash
# tests/harness/with-tls-server.sh CMD... — run CMD against a throwaway MariaDB of its own that
# offers TLS (test-server.sh with MOCORE_TEST_SERVER_TLS=1), with MOCORE_TEST_URL pointing at
# it and MOCORE_TEST_REQUIRE_TLS=1 (a TLS test then fails instead of skipping). The server is
# stopped and its directory removed afterwards, whatever CMD returned.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v openssl >/dev/null 2>&1 || { echo "with-tls-server: openssl not installed: skipped"; exit 77; }
dir=$(mktemp -d /tmp/mocore-tls-XXXXXX)
trap '"$here/test-server.sh" stop "$dir/server" >/dev/null 2>&1; rm -rf "$dir"' EXIT
unset MOCORE_TEST_URL MOCORE_TEST_ROOT_URL
MOCORE_TEST_SERVER_TLS=1 "$here/test-server.sh" start "$dir/server" || exit 1
MOCORE_TEST_URL=$(<"$dir/server/url") MOCORE_TEST_ROOT_URL=$(<"$dir/server/root_url") \
    MOCORE_TEST_REQUIRE_TLS=1 "$@"
