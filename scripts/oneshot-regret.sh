#!/usr/bin/env bash
# One-shot exports on examples/nb201_digits3.nas, looked up in the committed table. usage: scripts/oneshot-regret.sh OUT STRATEGY... (NASC= the binary, default .build/release/nasc; NASC_ARGS= extra flags, e.g. "--strategy-option export_samples=40"); 5 seeds each
set -u
out=$1; shift
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
mkdir -p "$out"
for seed in 1 2 3 4 5; do
  for s in "$@"; do
    t0=$(date +%s.%N)
    "${NASC:-.build/release/nasc}" run --strategy "$s" examples/nb201_digits3.nas -o "$out/$s-$seed" --data digits --seed "$seed" ${NASC_ARGS:-} > "$out/$s-$seed.log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    python3 - "$out/$s-$seed/best_architecture.json" "$s" "$seed" "$(echo "$t1 - $t0" | bc)" "$rc" <<'PY' | tee -a "$out/summary.txt"
import json, sys
path, s, seed, secs, rc = sys.argv[1:]
rows = [json.loads(l) for l in open("examples/tables/nb201_digits3.jsonl")]
best = max(r["test"] for r in rows)
try:
    arch = json.load(open(path))
    row = next(r for r in rows if r["arch"] == arch)
    print(f"{s} seed {seed} search_s {float(secs):.0f} test {row['test']:.4f} regret {best - row['test']:.4f} arch {json.dumps(arch, separators=(',', ':'))}")
except Exception as e:
    print(f"{s} seed {seed} search_s {float(secs):.0f} rc {rc} failed: {e}")
PY
  done
done
