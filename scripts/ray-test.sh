#!/usr/bin/env bash
# ray-test.sh NASC: `nasc run --engine ray` against a real Ray head started here on loopback only, then stopped.
# Checks: an unreachable address; nasc trial and a Python trial command as Ray jobs (same results as the local pool);
# an external (Optuna) strategy on Ray; --max-duration stops the jobs; kill -9 then resume stops the orphaned job;
# a job that disappears (the head restarted) stops the run with one line and resume finishes it.
# Prints the per-trial wall time of the local pool, a local trial command and Ray jobs, measured side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
NASC=$(realpath "${1:-.build/debug/nasc}")
MLP=examples/mlp.nas
PORT=${NASC_RAY_PORT:-6391}
DPORT=${NASC_RAY_DASHBOARD_PORT:-8291}
ADDR="http://127.0.0.1:$DPORT"
T=$(mktemp -d /tmp/nasc-ray.XXXXXX)   # short: Ray's socket paths must fit in 107 bytes
export RAY_USAGE_STATS_ENABLED=0 RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
fails=0
# The ray CLI of the Python that has the pinned ray (whether or not its scripts directory is on PATH).
ray() { python3 -m ray.scripts.scripts "$@"; }
# HTTP without curl: http GET URL, or http POST URL JSON; prints the body.
http() {
    python3 - "$@" <<'PY'
import sys, urllib.request
method, url = sys.argv[1], sys.argv[2]
data = sys.argv[3].encode() if len(sys.argv) > 3 else None
req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    sys.stdout.write(r.read().decode())
PY
}

say() { echo "ray-test: $*"; }
fail() { echo "ray-test: FAIL: $*" >&2; fails=$((fails + 1)); }

start_head() {
    ray start --head --node-ip-address=127.0.0.1 --port="$PORT" --dashboard-host=127.0.0.1 --dashboard-port="$DPORT" \
        --num-cpus=2 --temp-dir="$T/ray" --disable-usage-stats --include-dashboard=true >"$T/ray-start.log" 2>&1 \
        || { cat "$T/ray-start.log" >&2; exit 1; }
    for _ in $(seq 1 120); do
        http GET "$ADDR/api/version" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "ray-test: the Jobs API at $ADDR did not come up" >&2
    exit 1
}
stop_head() { ray stop --force >/dev/null 2>&1 || true; }
trap 'stop_head; rm -rf "$T"' EXIT

# Checks that "$T/$1.err" is exactly one line starting with $2, and that the exit code $3 is 1.
one_line() {
    local lines; lines=$(grep -c '' "$T/$1.err" || true)
    [ "$3" = 1 ] || fail "$1: exit code $3, expected 1"
    [ "$lines" = 1 ] || fail "$1: $lines lines on stderr: $(cat "$T/$1.err")"
    grep -q "^$2" "$T/$1.err" || fail "$1: stderr is '$(cat "$T/$1.err")', expected '$2...'"
}

# Metrics of an experiment, in trial order.
metrics() { "$NASC" experiment list "$1" | awk '$1 ~ /^[0-9]+$/ {print $3}' | tr '\n' ' '; }
count() {
    local n
    n=$("$NASC" experiment list "$1" 2>/dev/null | awk -v s="$2" '$1 ~ /^[0-9]+$/ && $2 == s' | wc -l) || true
    echo "${n:-0}"
}
# Ray jobs of an experiment directory that are still pending or running.
live_jobs() {
    http GET "$ADDR/api/jobs/" | python3 -c '
import json, sys
jobs = json.load(sys.stdin)
print(sum(1 for j in jobs if j["status"] in ("PENDING", "RUNNING")))'
}

PYTRIAL="$T/trial.py"
cat >"$PYTRIAL" <<EOF
import os, sys, time
sys.path.insert(0, "$(pwd)/examples/trial")
import nasc_report
print("hello from a Ray job")
arch = nasc_report.get_architecture()
time.sleep(float(os.environ.get("SLEEP", "0")))
nasc_report.report_final_result(arch["width"] / 1000 + arch["depth"] / 100)
EOF

# 1. Unreachable address: one line, exit 1, no experiment created.
set +e
"$NASC" run $MLP "$T/unreachable" --engine ray --ray-address http://127.0.0.1:9 --benchmark synthetic:1 --max-trials 2 --no-live \
    >/dev/null 2>"$T/unreachable.err"
code=$?
set -e
one_line unreachable "--ray-address: error: cannot reach the Ray Jobs API at http://127.0.0.1:9" $code
[ ! -e "$T/unreachable/experiment.sqlite" ] || fail "unreachable: an experiment was created"

say "starting a loopback-only Ray head (about 20-30 s)"
start_head
say "Ray $(http GET "$ADDR/api/version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ray_version"])') at $ADDR"

# 2. nasc trial as Ray jobs: the same results as the local pool with the same seed.
"$NASC" run --strategy random --seed 3 $MLP "$T/local" --benchmark synthetic:1 --max-trials 6 --concurrency 2 --no-live >/dev/null
"$NASC" run --strategy random --seed 3 $MLP "$T/ray" --engine ray --ray-address "$ADDR" --benchmark synthetic:1 \
    --max-trials 6 --concurrency 2 --no-live >"$T/ray.out" 2>"$T/ray.err" || fail "nasc trial on Ray: $(cat "$T/ray.err")"
grep -q "finished (max-trials): 6 trials, 6 succeeded, 0 failed" "$T/ray.out" || fail "nasc trial on Ray: $(cat "$T/ray.out")"
[ "$(metrics "$T/ray")" = "$(metrics "$T/local")" ] || fail "Ray metrics '$(metrics "$T/ray")' != local '$(metrics "$T/local")'"
"$NASC" experiment show "$T/ray" 1 | grep -q "intermediate: epoch 1 .*epoch 3 " || fail "nasc trial on Ray: intermediate metrics missing"

# 3. A Python trial command as Ray jobs; its print() goes to the trial log, Ray's own lines are not protocol.
"$NASC" run --strategy random --seed 5 $MLP "$T/pyray" --engine ray --ray-address "$ADDR" --trial-command "python3 $PYTRIAL" \
    --max-trials 4 --concurrency 2 --no-live >"$T/pyray.out" 2>"$T/pyray.err" || fail "trial command on Ray: $(cat "$T/pyray.err")"
grep -q "4 trials, 4 succeeded" "$T/pyray.out" || fail "trial command on Ray: $(cat "$T/pyray.out")"
grep -q "hello from a Ray job" "$T/pyray/trials/1.log" || fail "trial command on Ray: the job's output is not in trials/1.log"

# 4. An external (Optuna) strategy with Ray trials.
"$NASC" run $MLP "$T/optuna" --engine ray --ray-address "$ADDR" --strategy external \
    --strategy-command "python3 $(pwd)/examples/strategies/optuna_strategy.py --n-startup-trials 2" --benchmark synthetic:1 \
    --max-trials 4 --concurrency 2 --no-live >"$T/optuna.out" 2>"$T/optuna.err" || fail "Optuna on Ray: $(cat "$T/optuna.err")"
grep -q "4 trials, 4 succeeded" "$T/optuna.out" || fail "Optuna on Ray: $(cat "$T/optuna.out")"

# 5. --max-duration stops the jobs; a command that never reports is one line, exit 1.
set +e
"$NASC" run $MLP "$T/hang" --engine ray --ray-address "$ADDR" --trial-command "sleep 600" --max-duration 6s --concurrency 2 \
    --no-live >/dev/null 2>"$T/hang.err"
code=$?
set -e
one_line hang "--trial-command: no trial reported a final metric before --max-duration" $code
[ "$(count "$T/hang" queued)" = 2 ] || fail "hang: expected 2 unfinished trials"
for _ in $(seq 1 40); do [ "$(live_jobs)" = 0 ] && break; sleep 0.5; done
[ "$(live_jobs)" = 0 ] || fail "hang: Ray jobs still running after --max-duration"

# 6. kill -9 while jobs run, then resume: the orphaned job is stopped, finished trials kept, the rest retried.
"$NASC" run --strategy random --seed 2 $MLP "$T/kill" --engine ray --ray-address "$ADDR" --benchmark synthetic:2 --epochs 2 \
    --epoch-ms 1500 --max-trials 4 --concurrency 1 --no-live >"$T/kill.out" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
    [ "$(count "$T/kill" succeeded)" -ge 1 ] && [ "$(count "$T/kill" running)" -ge 1 ] && break
    sleep 0.25
done
sleep 1
kill -9 $pid; wait $pid 2>/dev/null || true
before_ok=$(count "$T/kill" succeeded)
[ "$(live_jobs)" -ge 1 ] || fail "kill: no Ray job was running when nasc was killed"
"$NASC" run --resume "$T/kill" --no-live >"$T/kill2.out" 2>"$T/kill2.err" || fail "kill: resume failed: $(cat "$T/kill2.err")"
grep -q "finished (max-trials): 4 trials, 4 succeeded, 0 failed" "$T/kill2.out" || fail "kill: $(cat "$T/kill2.out")"
grep -q "resuming: $before_ok finished trials kept" "$T/kill2.out" || fail "kill: finished trials not kept: $(cat "$T/kill2.out")"
[ "$(live_jobs)" = 0 ] || fail "kill: a Ray job of the killed run is still running"
"$NASC" run --strategy random --seed 2 $MLP "$T/kill-ref" --benchmark synthetic:2 --epochs 2 --max-trials 4 --no-live >/dev/null
[ "$(metrics "$T/kill")" = "$(metrics "$T/kill-ref")" ] || fail "kill: metrics differ from an uninterrupted run"

# 7. Per-trial wall time, side by side (the same N benchmark trials, one at a time): local pool, local command, Ray.
N=${NASC_RAY_OVERHEAD_TRIALS:-8}
for engine in local command ray; do
    args=(--benchmark synthetic:1 --epochs 1)
    case $engine in
        command) args=(--trial-command "python3 $PYTRIAL") ;;
        ray) args+=(--engine ray --ray-address "$ADDR") ;;
    esac
    start=$(date +%s.%N)
    "$NASC" run --strategy random --seed 9 $MLP "$T/ovh-$engine" "${args[@]}" --max-trials "$N" --concurrency 1 --no-live >/dev/null
    end=$(date +%s.%N)
    python3 -c "import sys; print('ray-test: per-trial wall time, %-7s engine: %.3f s (%d trials, concurrency 1)' % ('$engine', ($end - $start) / $N, $N))"
    say "  $engine: $("$NASC" experiment list "$T/ovh-$engine" | tail -1)"
done

# The submission itself (POST /api/jobs/ of a trivial job), 5 times.
posts=$(python3 - "$ADDR" <<'PY'
import sys, time, urllib.request
times = []
for _ in range(5):
    req = urllib.request.Request(sys.argv[1] + "/api/jobs/", data=b'{"entrypoint":"true","entrypoint_num_cpus":1}',
                                 method="POST", headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    urllib.request.urlopen(req, timeout=10).read()
    times.append(time.perf_counter() - t)
print(" ".join("%.3f" % x for x in sorted(times)))
PY
)
say "POST /api/jobs/ round trips (s, sorted): $posts"

# 8. A job that disappears: the head restarts while the trial runs (the new head does not know the job).
# One line, exit 1, the trial unfinished; resume on the new head finishes it.
"$NASC" run --strategy random --seed 4 $MLP "$T/gone" --engine ray --ray-address "$ADDR" --benchmark synthetic:1 --epochs 3 \
    --epoch-ms 3000 --max-trials 1 --no-live >/dev/null 2>"$T/gone.err" &
pid=$!
for _ in $(seq 1 240); do [ "$(count "$T/gone" running)" -ge 1 ] && break; sleep 0.25; done
sleep 1
stop_head
start_head
set +e
wait $pid
code=$?
set -e
one_line gone "--ray-address: error: Ray job nasc-" $code
grep -q "disappeared" "$T/gone.err" || fail "gone: $(cat "$T/gone.err")"
[ "$(count "$T/gone" queued)" = 1 ] || fail "gone: the lost trial is not unfinished"
"$NASC" run --resume "$T/gone" --no-live >"$T/gone2.out" 2>&1 || fail "gone: resume failed: $(cat "$T/gone2.out")"
grep -q "finished (max-trials): 1 trials, 1 succeeded, 0 failed" "$T/gone2.out" || fail "gone: $(cat "$T/gone2.out")"

if [ $fails -gt 0 ]; then echo "ray-test: $fails check(s) failed" >&2; exit 1; fi
say "all checks passed"
