#!/usr/bin/env bash
# scripts/test.sh — build mocore and run every test: unit, integration against a real MariaDB
# (the ctest fixture starts and stops a throwaway server per build directory), then the same
# again with ASan + UBSan. Exits non-zero if anything fails.
#
# MOCORE_TEST_URL / MOCORE_TEST_ROOT_URL point the integration tests at an existing server
# instead; MOCORE_TEST_MATRIXONE_URL enables the MatrixOne-only tests.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh || exit 1

declare -A summary=()
declare -A status=()
order=()

run_build() {   # name dir ctest-env... -- cmake-args...
    local name=$1 dir=$2; shift 2
    local -a envs=()
    while [[ $1 != -- ]]; do envs+=("$1"); shift; done
    shift
    order+=("$name")
    echo "==== [$name] configure + build ($dir)"
    if ! cmake -S . -B "$dir" -G Ninja "$@" >"$dir.configure.log" 2>&1; then
        cat "$dir.configure.log"
        summary[$name]="configure failed"; status[$name]=1; return
    fi
    rm -f "$dir.configure.log"
    if ! cmake --build "$dir" -j2; then
        summary[$name]="build failed"; status[$name]=1; return
    fi
    echo "==== [$name] ctest"
    local log=$dir/ctest.log
    env "${envs[@]}" ctest --test-dir "$dir" --output-on-failure -j2 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    summary[$name]=$(grep -E 'tests passed|No tests were found' "$log" | tail -1)
    [[ -n ${summary[$name]} ]] || summary[$name]="ctest exited with $rc"
    status[$name]=$rc
}

mkdir -p build build-asan
run_build release build -- -DMOCORE_WERROR=ON
run_build asan build-asan \
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    -- -DMOCORE_SANITIZE=ON -DMOCORE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug

echo
echo "==== summary"
rc=0
for name in "${order[@]}"; do
    if [[ ${status[$name]} == 0 ]]; then mark=PASS; else mark=FAIL; rc=1; fi
    printf '%-8s %-4s %s\n' "$name" "$mark" "${summary[$name]}"
done
exit $rc
