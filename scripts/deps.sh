#!/usr/bin/env bash
# scripts/deps.sh — install what a fresh Debian 12 machine needs to build and test mocore.
# Idempotent and quiet: does nothing when every package is already installed.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config   # the build
    libmariadb-dev                                 # the wire (MariaDB Connector/C)
    mariadb-server mariadb-client                  # the real server the integration tests start
    libcmocka-dev libffi-dev                       # unit tests, the libffi ABI harness
    swig liblua5.4-dev lua5.4 ruby-dev python3-pip # bindings
    ruby-minitest ruby-mysql2 ruby-async           # Ruby binding tests (+ a Fiber scheduler), benchmark peer
    lua-busted python3-pytest                      # the Lua and Python test runners
    abigail-tools valgrind clang                   # ABI checks, memory checks
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
if (( ${#missing[@]} == 0 )); then
    exit 0
fi

if (( EUID == 0 )); then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "deps.sh: missing packages: ${missing[*]}" >&2
    echo "deps.sh: not root and no sudo; install them as root" >&2
    exit 1
fi

echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
echo "deps.sh: done"
