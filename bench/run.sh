#!/usr/bin/env bash
# bench/run.sh — mocore against the usual driver of each language, side by side, on one
# throwaway local MariaDB (tests/harness/test-server.sh). Not part of the tests.
#
#   bench/run.sh [--ir] [BUILD_DIR] (default build-bench/, configured as Release)
#
# --ir: instead of wall-clock times, the instructions each C implementation executes (callgrind
# Ir, which a loaded machine does not change) per row (fetch, stream) or per statement (insert,
# select1): every task runs under callgrind with N and with 2N rows/statements, and the
# difference is divided by N, so connecting and loading count for nothing. Environment:
# MOCORE_BENCH_IR_ROWS (20000), MOCORE_BENCH_IR_STATEMENTS (1000).
#
# Tasks: fetch ROWS rows x 5 typed columns (INT, VARCHAR(32), DOUBLE, DATETIME, DECIMAL(12,2))
# and INSERTS single-row INSERTs in one transaction (a bench may add tasks: Python also times
# row-by-row iteration and executemany). Every bench/<lang>/bench.* script prints lines
# "BENCH <lang> <impl> <task> <seconds>" (best of REPEAT); this script runs every one that
# exists (c, python, lua, ruby, ...), then prints one table with each peer's time as a ratio
# of mocore's (ratio > 1: mocore is faster). The reference of a task is the impl "mocore", or
# the first impl named mocore.* when "mocore" does not run it (Python's "many": mocore.dbapi).
#
# The pool (bench/c/pool.c): 16 and 64 threads of point queries on a mo_pool of 16
# connections against one private client per thread (tasks pool16, pool64); a second table
# gives each one's throughput and the pool's acquire time (p50, p99, max).
#
# Environment: MOCORE_BENCH_ROWS (100000), MOCORE_BENCH_INSERTS (10000),
# MOCORE_BENCH_REPEAT (5), MOCORE_BENCH_LANGS (the languages to run, e.g. "c python";
# default: every bench/<lang>/ there is), MOCORE_BENCH_POOL_QUERIES (500 point queries per
# thread; the pool tasks take the best of min(REPEAT, 3)). Peers: pip install mysqlclient PyMySQL; apt install
# lua-sql-mysql ruby-mysql2; a missing peer is skipped with a message.
set -euo pipefail

IR=0
if [[ ${1:-} == --ir ]]; then IR=1; shift; fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(realpath -m "${1:-$ROOT/build-bench}")
export MOCORE_BENCH_ROWS=${MOCORE_BENCH_ROWS:-100000}
export MOCORE_BENCH_INSERTS=${MOCORE_BENCH_INSERTS:-10000}
export MOCORE_BENCH_REPEAT=${MOCORE_BENCH_REPEAT:-5}
export MOCORE_BENCH_POOL_QUERIES=${MOCORE_BENCH_POOL_QUERIES:-500}

# ---------------------------------------------------------------- build (Release)
if [[ ! -f $BUILD/build.ninja && ! -f $BUILD/Makefile ]]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
# Every target of a binding (the module and each target copying its files: mocore_lua,
# mocore_lua_files, mocore_lua_async_files, mocore_python_managers, ...), taken from the build
# system itself, so that a freshly configured directory gets everything a bench loads.
targets=(mocore)
[[ $IR == 1 || ${MOCORE_BENCH_LANGS:-} == c ]] || while read -r t; do targets+=("$t"); done < <(
    cmake --build "$BUILD" --target help 2>/dev/null |
        sed -nE 's@^(.*/)?(mocore_(python|lua|ruby)[A-Za-z0-9_]*): .*@\2@p' | sort -u)
cmake --build "$BUILD" -j2 --target "${targets[@]}" >/dev/null
cc -O2 -std=c11 -I"$ROOT/capi" "$ROOT/bench/c/bench.c" -o "$BUILD/bench_c" -L"$BUILD" -lmocore \
   -Wl,-rpath,"$BUILD" $(pkg-config --cflags --libs libmariadb)
cc -O2 -std=c11 -I"$ROOT/capi" "$ROOT/bench/c/pool.c" -o "$BUILD/bench_pool" -L"$BUILD" -lmocore \
   -Wl,-rpath,"$BUILD" -pthread

# ---------------------------------------------------------------- server and data
SERVER_DIR=$(mktemp -d /tmp/mocore-bench.XXXXXX)
trap '"$ROOT/tests/harness/test-server.sh" stop "$SERVER_DIR" >/dev/null 2>&1 || true' EXIT
"$ROOT/tests/harness/test-server.sh" start "$SERVER_DIR" >&2
export MOCORE_BENCH_URL=$(cat "$SERVER_DIR/url")
"$BUILD/bench_c" setup "$MOCORE_BENCH_URL" "$MOCORE_BENCH_ROWS"

# ---------------------------------------------------------------- instruction counts (--ir)
if [[ $IR == 1 ]]; then
    IR_ROWS=${MOCORE_BENCH_IR_ROWS:-20000}
    IR_STATEMENTS=${MOCORE_BENCH_IR_STATEMENTS:-1000}
    CG=$(mktemp -d /tmp/mocore-bench-cg.XXXXXX)
    ir_of() {  # ir_of <task> <impl> <n>: the Ir of one run
        valgrind --tool=callgrind --callgrind-out-file="$CG/out" "$BUILD/bench_c" one \
            "$MOCORE_BENCH_URL" "$1" "$2" "$3" >/dev/null 2>"$CG/log" || { cat "$CG/log" >&2; return 1; }
        sed -n 's/^summary: //p; s/^totals: //p' "$CG/out" | head -1
    }
    echo
    echo "callgrind Ir per row (fetch, stream: $IR_ROWS vs $((2 * IR_ROWS)) rows) or per statement"
    echo "(insert, select1: $IR_STATEMENTS vs $((2 * IR_STATEMENTS))); ratio = peer Ir / mocore.prepared Ir"
    printf "%-8s %-16s %12s %8s\n" task impl Ir ratio
    for task in fetch stream insert select1; do
        n=$IR_STATEMENTS
        [[ $task == fetch || $task == stream ]] && n=$IR_ROWS
        declare -A per=()
        for impl in mocore mocore.prepared libmariadb libmariadb.stmt; do
            a=$(ir_of "$task" "$impl" "$n") && b=$(ir_of "$task" "$impl" $((2 * n))) || { echo "bench: $task $impl failed" >&2; continue; }
            per[$impl]=$(( (b - a) / n ))
        done
        ref=${per[mocore.prepared]:-0}
        for impl in mocore mocore.prepared libmariadb libmariadb.stmt; do
            [[ -n ${per[$impl]:-} ]] || continue
            printf "%-8s %-16s %12d %8s\n" "$task" "$impl" "${per[$impl]}" \
                "$(awk -v p="${per[$impl]}" -v m="$ref" 'BEGIN { if (m > 0) printf "%.2f", p / m; else print "-" }')"
        done
        unset per
    done
    rm -rf "$CG"
    exit 0
fi

# ---------------------------------------------------------------- every language's bench
OUT=$(mktemp /tmp/mocore-bench-out.XXXXXX)
trap 'rm -f "$OUT"; "$ROOT/tests/harness/test-server.sh" stop "$SERVER_DIR" >/dev/null 2>&1 || true' EXIT
run() {  # run <label> <command...>: keep the BENCH lines, show the rest on stderr
    echo "bench: $1" >&2
    "${@:2}" | tee -a "$OUT" | { grep -v "^BENCH" >&2 || true; }
    [[ ${PIPESTATUS[0]} -eq 0 ]] || echo "bench: $1 failed" >&2
}
for dir in "$ROOT"/bench/*/; do
    lang=$(basename "$dir")
    [[ -z ${MOCORE_BENCH_LANGS:-} || " $MOCORE_BENCH_LANGS " == *" $lang "* ]] || continue
    case $lang in
    c)      run c "$BUILD/bench_c" run "$MOCORE_BENCH_URL" "$MOCORE_BENCH_ROWS" "$MOCORE_BENCH_INSERTS" "$MOCORE_BENCH_REPEAT"
            run c.pool "$BUILD/bench_pool" "$MOCORE_BENCH_URL" "$MOCORE_BENCH_ROWS" "$MOCORE_BENCH_POOL_QUERIES" \
                $(( MOCORE_BENCH_REPEAT < 3 ? MOCORE_BENCH_REPEAT : 3 )) ;;
    python) [[ -f $dir/bench.py ]] && PYTHONPATH="$BUILD/bindings/python" run python python3 "$dir/bench.py" ;;
    lua)    [[ -f $dir/bench.lua ]] && LUA_PATH="$BUILD/bindings/lua/?.lua;;" LUA_CPATH="$BUILD/bindings/lua/?.so;;" \
                run lua lua5.4 "$dir/bench.lua" ;;
    ruby)   [[ -f $dir/bench.rb ]] && run ruby ruby -I"$BUILD/bindings/ruby" "$dir/bench.rb" ;;
    *)      for f in "$dir"/bench.*; do [[ -x $f ]] && run "$lang" "$f"; done ;;
    esac
done

# ---------------------------------------------------------------- the table
echo
echo "rows=$MOCORE_BENCH_ROWS inserts=$MOCORE_BENCH_INSERTS best of $MOCORE_BENCH_REPEAT; ratio = peer time / mocore time (>1: mocore faster);"
echo "vs.prep = peer time / mocore.prepared time (the binary protocol, where a bench runs it)"
awk '$1 == "BENCH" { key = $2 " " $4; t[$2, $3, $4] = $5; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
                     impls[key] = impls[key] " " $3 }
     END {
       printf "%-8s %-7s %-16s %10s %8s %9s\n", "lang", "task", "impl", "seconds", "ratio", "vs.prep"
       for (i = 1; i <= n; i++) {
         split(order[i], k, " "); lang = k[1]; task = k[2]
         cnt = split(impls[order[i]], list, " ")
         ref = ""
         for (j = 1; j <= cnt; j++) if (list[j] == "mocore") ref = "mocore"
         for (j = 1; j <= cnt && ref == ""; j++) if (list[j] ~ /^mocore\./) ref = list[j]
         m = t[lang, ref, task]
         pr = ((lang, "mocore.prepared", task) in t) ? t[lang, "mocore.prepared", task] : 0
         for (j = 0; j <= cnt; j++) {
           name = j == 0 ? ref : list[j]
           if (name == "" || (j > 0 && name == ref)) continue
           p = t[lang, name, task]
           vs = pr > 0 ? sprintf("%9.2f", p / pr) : sprintf("%9s", "")
           printf "%-8s %-7s %-16s %10.4f %8.2f %s\n", lang, task, name, p, (m > 0 ? p / m : 0), vs
         }
       }
     }' "$OUT"

# ---------------------------------------------------------------- the pool's table
if grep -q "^POOL" "$OUT"; then
    echo
    echo "pool: 16 pooled connections; throughput in queries/s, ratio = impl / private (>1: more"
    echo "queries than one private connection per thread); acquire time of the pool in microseconds"
    awk '$1 == "POOL" { q[$3, $4] = $5; p50[$3, $4] = $6; p99[$3, $4] = $7; mx[$3, $4] = $8
                        if (!(($4) in seen)) { seen[$4] = 1; tasks[++n] = $4 }
                        if (!(($3) in iseen)) { iseen[$3] = 1; impls[++m] = $3 } }
         END {
           printf "%-8s %-18s %10s %8s %10s %10s %10s\n", "task", "impl", "queries/s", "ratio",
                  "p50 us", "p99 us", "max us"
           for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) {
             t = tasks[i]; k = impls[j]
             if (!((k, t) in q)) continue
             base = q["private", t]
             printf "%-8s %-18s %10d %8.2f %10s %10s %10s\n", t, k, q[k, t],
                    (base > 0 ? q[k, t] / base : 0), p50[k, t], p99[k, t], mx[k, t]
           }
         }' "$OUT"
fi
