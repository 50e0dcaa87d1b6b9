#!/usr/bin/env bash
# e2e-textnas.sh: TextNAS end to end on the bundled fortunes set (docs/sequence.md, section "TextNAS"). ENAS (the
# paper's strategy) and one multi-trial strategy (tpe by default) search examples/textnas.nas; the two architectures
# found and a fixed baseline (examples/fortunes_conv.nas with one conv k=3 of width 32) are retrained with the same
# recipe over several seeds with `nasc train`, which reports their test accuracy. Prints the search wall times and
# each model's test accuracy mean and spread (DIR/summary.txt); fails (exit 1) if a search fails, a retrain fails or
# a retrained test accuracy is below NASC_TEXTNAS_MIN_ACC (default 0.5; the largest class is 35% of the test split).
#
# usage: scripts/e2e-textnas.sh [NASC] (default .build/release/nasc). Knobs (environment): NASC_TEXTNAS_OUT
# (.build/e2e-textnas), NASC_TEXTNAS_SEARCH_EPOCHS (ENAS supernet epochs, 3), NASC_TEXTNAS_STRATEGY (tpe),
# NASC_TEXTNAS_TRIALS (10), NASC_TEXTNAS_TRIAL_EPOCHS (2), NASC_TEXTNAS_RETRAIN_EPOCHS (6), NASC_TEXTNAS_SEEDS ("1 2 3").
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_TEXTNAS_OUT:-.build/e2e-textnas}
search_epochs=${NASC_TEXTNAS_SEARCH_EPOCHS:-3}
strategy=${NASC_TEXTNAS_STRATEGY:-tpe}
trials=${NASC_TEXTNAS_TRIALS:-10}
trial_epochs=${NASC_TEXTNAS_TRIAL_EPOCHS:-2}
retrain_epochs=${NASC_TEXTNAS_RETRAIN_EPOCHS:-6}
seeds=${NASC_TEXTNAS_SEEDS:-1 2 3}
min_acc=${NASC_TEXTNAS_MIN_ACC:-0.5}
space=examples/textnas.nas
data='text:examples/data/fortunes/train.tsv?test=examples/data/fortunes/test.tsv&length=48&min_count=2&max_vocab=5000'
# One recipe for the multi-trial search's trials, every retrain and the baseline (NNI's TextNAS search: Adam, lr
# 5e-3). ENAS trains its supernet with its own defaults (SGD with momentum, cosine; DIR/enas/settings.json).
recipe=(--optimizer adam --lr 0.005 --batch-size 32)
export OPENBLAS_NUM_THREADS=1

[ -x "$nasc" ] || { echo "e2e-textnas: $nasc not found (make release)" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
now() { date +%s.%N; }
seconds() { python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.0f}")' "$1" "$2"; }

"$nasc" inspect "$space" | head -5

echo "== enas: $search_epochs supernet epochs"
t0=$(now)
"$nasc" run --strategy enas "$space" -o "$out/enas" --data "$data" --train-epochs "$search_epochs" --batch-size 32 --seed 1 \
    > "$out/enas.log" 2>&1 || { tail -5 "$out/enas.log"; echo "e2e-textnas: FAILED: the enas search" >&2; exit 1; }
enas_s=$(seconds "$t0" "$(now)")
cp "$out/enas/best_architecture.json" "$out/enas.json"
echo "enas search ${enas_s}s: $(tr -d ' \n' < "$out/enas.json")"

echo "== $strategy: $trials trials of $trial_epochs epochs (20% of the training file held out for validation)"
t0=$(now)
"$nasc" run "$space" "$out/$strategy" --strategy "$strategy" --data "$data" --train-epochs "$trial_epochs" "${recipe[@]}" \
    --validation 0.2 --max-trials "$trials" --concurrency 1 --seed 1 --train-seed 1 --no-live > "$out/$strategy.log" 2>&1 \
    || { tail -5 "$out/$strategy.log"; echo "e2e-textnas: FAILED: the $strategy search" >&2; exit 1; }
multi_s=$(seconds "$t0" "$(now)")
"$nasc" experiment top-k "$out/$strategy" -k 3
"$nasc" experiment export "$out/$strategy" -k 1 -o "$out/$strategy-best" > /dev/null
cp "$(ls "$out/$strategy-best"/*.nni-v3.json | head -1)" "$out/$strategy.json"
echo "$strategy search ${multi_s}s: $(tr -d ' \n' < "$out/$strategy.json")"

echo '{"op": "conv3", "width": 32}' > "$out/baseline.json"
status=0
: > "$out/accuracies.txt"
retrain() {  # name space arch
    for seed in $seeds; do
        if ! "$nasc" train "$2" --arch "$3" --data "$data" --epochs "$retrain_epochs" "${recipe[@]}" --validation 0 \
            --seed "$seed" --json > "$out/$1-$seed.json" 2> "$out/$1-$seed.log"; then
            tail -3 "$out/$1-$seed.log"; echo "e2e-textnas: FAILED: retraining $1 (seed $seed)" >&2; status=1; continue
        fi
        acc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_accuracy"])' "$out/$1-$seed.json")
        echo "$1 seed $seed: test accuracy $acc"
        echo "$1 $seed $acc" >> "$out/accuracies.txt"
        if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$acc" "$min_acc"; then
            echo "e2e-textnas: FAILED: $1 (seed $seed) tests at $acc, below $min_acc" >&2; status=1
        fi
    done
}
echo "== retrain: $retrain_epochs epochs, all training data, seeds $seeds"
retrain enas "$space" "$out/enas.json"
retrain "$strategy" "$space" "$out/$strategy.json"
retrain baseline examples/fortunes_conv.nas "$out/baseline.json"

python3 - "$out/accuracies.txt" "$enas_s" "$strategy" "$multi_s" "$trials" "$search_epochs" "$trial_epochs" "$retrain_epochs" \
    > "$out/summary.txt" <<'PY'
import statistics, sys
path, enas_s, strategy, multi_s, trials, search_epochs, trial_epochs, retrain_epochs = sys.argv[1:]
rows = [line.split() for line in open(path) if line.strip()]
search = {"enas": f"{enas_s} s ({search_epochs} supernet epochs)",
          strategy: f"{multi_s} s ({trials} trials x {trial_epochs} epochs)", "baseline": "-"}
print(f"| model | search wall time | test accuracy, {retrain_epochs}-epoch retrain (mean ± std over seeds) | per seed |")
print("|---|---|---|---|")
for name in ["enas", strategy, "baseline"]:
    accs = [float(a) for n, _, a in rows if n == name]
    if not accs:
        continue
    std = statistics.stdev(accs) if len(accs) > 1 else 0.0
    print(f"| {name} | {search[name]} | {statistics.mean(accs):.4f} ± {std:.4f} | {', '.join(f'{a:.4f}' for a in accs)} |")
PY
cat "$out/summary.txt"
[ "$status" -eq 0 ] && echo "e2e-textnas: PASSED" || echo "e2e-textnas: FAILED" >&2
exit "$status"
