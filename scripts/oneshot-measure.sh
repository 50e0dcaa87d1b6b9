#!/usr/bin/env bash
# P-DARTS, CDARTS and DARTS against random architectures on SPACE: search (strategy defaults, --data digits, seed),
# retrain the export 15 epochs with nasc train; wall times of both. usage: scripts/oneshot-measure.sh SPACE SEED OUT (NASC= the binary, default .build/release/nasc)
set -u
nasc=${NASC:-.build/release/nasc}
space=$1; seed=$2; out=$3
mkdir -p "$out"
export OPENBLAS_NUM_THREADS=1
"$nasc" space "$space" --format nni > "$out/space.json"
acc_of() { grep -oE 'test accuracy: [0-9.]+' "$1" | tail -1 | awk '{print $3}'; }
for s in pdarts cdarts darts; do
  t0=$(date +%s.%N)
  "$nasc" run --strategy "$s" "$space" -o "$out/$s-$seed" --data digits --seed "$seed" > "$out/$s-$seed.log" 2>&1
  t1=$(date +%s.%N)
  "$nasc" train "$space" --arch "$out/$s-$seed/best_architecture.json" --data digits --epochs 15 --seed "$seed" > "$out/$s-$seed.train" 2>&1
  t2=$(date +%s.%N)
  echo "$(basename $space) $s seed $seed search_s $(echo "$t1 - $t0" | bc) retrain_s $(echo "$t2 - $t1" | bc) test_acc $(acc_of "$out/$s-$seed.train")" | tee -a "$out/summary.txt"
done
for r in 1 2 3; do
python3 - "$out" "$seed" "$r" <<'PY'
import json, random, sys
out, seed, r = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
space = json.load(open(out + "/space.json"))
rng = random.Random(seed * 100 + r)
arch = {}
for k, v in space.items():
    if v["_type"] == "input_choice":
        c = v["_value"]["candidates"]; n = v["_value"].get("n_chosen") or 1
        arch[k] = sorted(rng.sample(c, n))
    else:
        arch[k] = rng.choice(v["_value"])
json.dump(arch, open(f"{out}/random-{seed}-{r}.json", "w"))
PY
  t1=$(date +%s.%N)
  "$nasc" train "$space" --arch "$out/random-$seed-$r.json" --data digits --epochs 15 --seed "$seed" > "$out/random-$seed-$r.train" 2>&1
  t2=$(date +%s.%N)
  echo "$(basename $space) random-$r seed $seed search_s 0 retrain_s $(echo "$t2 - $t1" | bc) test_acc $(acc_of "$out/random-$seed-$r.train")" | tee -a "$out/summary.txt"
done
