#!/bin/sh
# tests/harness/run-example.sh SERVER_DIR PROGRAM [ARGS...] — run an example program against the
# test server: MOCORE_URL (which every example reads when it gets no URL argument) is
# MOCORE_TEST_URL when set, else the URL the harness wrote into SERVER_DIR/url.
dir=$1; shift
url=${MOCORE_TEST_URL:-$(cat "$dir/url" 2>/dev/null)}
[ -n "$url" ] || { echo "FAIL: no test server URL ($dir/url)"; exit 1; }
MOCORE_URL=$url exec "$@"
