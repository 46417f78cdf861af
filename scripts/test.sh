#!/usr/bin/env bash
# scripts/test.sh — build mocore and run every test: unit, integration against a real MariaDB
# (the ctest fixture starts and stops a throwaway server per build directory), then the same
# again with ASan + UBSan. Exits non-zero if anything fails.
#
# Then two clang builds: `fuzz` (build-fuzz/: every tests/fuzz target replays its corpus, then
# is fuzzed for MOCORE_FUZZ_SECONDS, default 45, by libFuzzer with ASan + UBSan; any finding
# fails; executions and coverage per target are in the summary) and `tsan` (build-tsan/: the
# threaded tests under ThreadSanitizer; any report fails). docs/fuzzing.md has longer runs.
#
# MOCORE_TEST_URL / MOCORE_TEST_ROOT_URL point the integration tests at an existing server
# instead; MOCORE_TEST_MATRIXONE_URL enables the MatrixOne-only tests. MOCORE_TEST_BUILDS
# (e.g. "release fuzz") runs only the named builds.
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

wanted() { [[ -z ${MOCORE_TEST_BUILDS:-} || " $MOCORE_TEST_BUILDS " == *" $1 "* ]]; }

# Fuzz every target of build-fuzz for a bounded time, two at a time (2 cores). The work corpus
# starts from the committed one (tests/fuzz/corpus/<target>) and stays in build-fuzz/.
fuzz_lines=()
run_fuzzing() {
    local dir=$1 seconds=${MOCORE_FUZZ_SECONDS:-45} t rc=0
    local -a targets=() pids=()
    for t in "$dir"/fuzz_*; do [[ -x $t && -f $t ]] && targets+=("$(basename "$t")"); done
    echo "==== [fuzz] ${#targets[@]} targets, ${seconds}s each"
    for t in "${targets[@]}"; do
        local short=${t#fuzz_}
        mkdir -p "$dir/fuzz-corpus/$short" "$dir/fuzz-artifacts/$short"
        [[ -d tests/fuzz/corpus/$short ]] && cp -n tests/fuzz/corpus/"$short"/* "$dir/fuzz-corpus/$short/" 2>/dev/null
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            "$dir/$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$dir/fuzz-artifacts/$short/" "$dir/fuzz-corpus/$short" \
            >"$dir/fuzz-$short.log" 2>&1 &
        pids+=($!)
        if (( ${#pids[@]} >= 2 )); then wait "${pids[0]}" || true; pids=("${pids[@]:1}"); fi
    done
    wait
    for t in "${targets[@]}"; do
        local short=${t#fuzz_} log=$dir/fuzz-${t#fuzz_}.log
        local execs cov ft line
        execs=$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}')
        line=$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -1)
        cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
        ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
        local mark=ok
        if grep -a -q -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error:|FINDING|Test unit written' "$log" \
            || [[ -z $execs ]]; then
            mark=FINDING; rc=1
            echo "---- [fuzz] $short: finding (build-fuzz/fuzz-$short.log)"
            grep -a -E 'FINDING|ERROR:|runtime error:|SUMMARY|Test unit written' "$log" | head -20
        fi
        fuzz_lines+=("$(printf '  fuzz.%-14s %-7s execs: %-9s cov: %-6s ft: %s' "$short" "$mark" "${execs:-?}" "${cov:-?}" "${ft:-?}")")
    done
    return $rc
}

mkdir -p build build-asan build-fuzz build-tsan
wanted release && run_build release build -- -DMOCORE_WERROR=ON
wanted asan && run_build asan build-asan \
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    -- -DMOCORE_SANITIZE=ON -DMOCORE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug
# libFuzzer targets (clang): the corpus replays are its ctest, then the bounded fuzzing.
if wanted fuzz; then
    run_build fuzz build-fuzz \
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        -- -DCMAKE_C_COMPILER=clang -DMOCORE_FUZZ=ON -DMOCORE_BUILD_TESTS=OFF \
           -DCMAKE_BUILD_TYPE=RelWithDebInfo
    if [[ ${status[fuzz]} == 0 ]]; then
        run_fuzzing build-fuzz || { status[fuzz]=1; summary[fuzz]="${summary[fuzz]}; fuzzing found something"; }
    fi
fi
# ThreadSanitizer (clang) over the threaded tests; a report makes the program exit 66.
wanted tsan && run_build tsan build-tsan \
    TSAN_OPTIONS="second_deadlock_stack=1:history_size=4:suppressions=$PWD/tests/tsan.supp" \
    -- -DCMAKE_C_COMPILER=clang -DMOCORE_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo

echo
echo "==== summary"
rc=0
for name in "${order[@]}"; do
    if [[ ${status[$name]} == 0 ]]; then mark=PASS; else mark=FAIL; rc=1; fi
    printf '%-8s %-4s %s\n' "$name" "$mark" "${summary[$name]}"
    if [[ $name == fuzz ]]; then for l in "${fuzz_lines[@]}"; do echo "$l"; done; fi
done
exit $rc
