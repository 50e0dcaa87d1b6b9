#!/usr/bin/env bash
# fuzz.sh: build the libFuzzer targets (Tests/Fuzz, release + ASan, scratch path .build-fuzz) and run each one.
#   bash scripts/fuzz.sh              `make fuzz`: each target for 1,000,000 executions, capped at FUZZ_MAX_SECONDS
#                                     (default 600) for slow targets; the table says which limit ended each run.
#   bash scripts/fuzz.sh --smoke 20   CI: each target for 20 seconds.
# Work corpora grow in .build-fuzz/corpus (seeded from Tests/Fuzz/corpus); a crash, leak, timeout or OOM leaves
# its input in .build-fuzz/crashes/TARGET/ and makes the script fail (not .build-fuzz/artifacts: SwiftPM owns that
# folder of its scratch path and empties it on every build). Fixed crash inputs belong in
# Tests/Fuzz/regressions/TARGET/, which `make test` replays (FuzzRegressionTests).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
runs=1000000
seconds="${FUZZ_MAX_SECONDS:-600}"
if [ "${1:-}" = "--smoke" ]; then runs=0; seconds="${2:-20}"; fi
targets="${FUZZ_TARGETS:-nas textir proto arch idx csv}"
scratch="$root/.build-fuzz"

start=$(date +%s)
mkdir -p "$scratch"
if ! (cd Tests/Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
        --scratch-path "$scratch" --product nasc-fuzz >"$scratch/build.log" 2>&1); then
    grep -E "error" "$scratch/build.log" | head -20 >&2
    echo "fuzz.sh: the fuzz build failed (log: $scratch/build.log)" >&2
    exit 1
fi
bin="$scratch/release/nasc-fuzz"
echo "fuzz build: $(( $(date +%s) - start )) s"

max_len() { case "$1" in proto|idx) echo 65536 ;; *) echo 16384 ;; esac; }
status=0
printf "%-8s %12s %8s %10s %8s  %s\n" target executions seconds "exec/s" crashes "ended by"
for t in $targets; do
    work="$scratch/corpus/$t"; art="$scratch/crashes/$t"
    mkdir -p "$work" "$art"
    args=(-dict="Tests/Fuzz/dict/$t.dict" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=4096
          -max_total_time="$seconds" -artifact_prefix="$art/" -print_final_stats=1)
    [ "$runs" -gt 0 ] && args+=(-runs="$runs")
    log="$scratch/$t.log"
    set +e
    NASC_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=0 "$bin" "${args[@]}" "$work" "Tests/Fuzz/corpus/$t" >"$log" 2>&1
    code=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1 || true)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
    crashes=$(find "$art" -type f | wc -l)
    ended="time ($seconds s)"
    [ "$runs" -gt 0 ] && [ "${execs:-0}" -ge "$runs" ] && ended="executions ($runs)"
    printf "%-8s %12s %8s %10s %8s  %s\n" "$t" "${execs:-?}" "${secs:-?}" "${rate:-?}" "$crashes" "$ended"
    if [ $code -ne 0 ] || [ "$crashes" -gt 0 ]; then
        status=1
        echo "fuzz.sh: target $t failed (exit $code); log $log; inputs in $art:" >&2
        grep -E "ERROR|SUMMARY|Fatal error|panic|==[0-9]+==" "$log" | head -5 >&2 || true
        ls "$art" >&2
    fi
done
echo "fuzz total: $(( $(date +%s) - start )) s"
exit $status
