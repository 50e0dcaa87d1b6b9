#!/usr/bin/env bash
# demo.sh: the main job of `make demo` — a real architecture search on the bundled digits data.
# Random search, then regularized evolution, over examples/digits.nas (24 architectures of a small CNN for 8x8
# digits); every trial trains for real in its own `nasc trial` process. The best architecture is exported as NNI
# JSON and retrained with `nasc train`, which reports its test accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_DEMO_OUT:-.build/demo}
trials=${NASC_DEMO_TRIALS:-10}
epochs=${NASC_DEMO_EPOCHS:-4}
rm -rf "$out"
mkdir -p "$out"

echo "== the space"
"$nasc" inspect examples/digits.nas
echo
echo "== random search: $trials trials, $epochs epochs each, 2 at a time"
"$nasc" run --strategy random examples/digits.nas "$out/random" --data digits --train-epochs "$epochs" \
    --max-trials "$trials" --concurrency 2 --seed 1 --max-duration 10m
echo
echo "== regularized evolution: $trials trials (population 6, tournament 3)"
"$nasc" run --strategy evolution --strategy-option population_size=6 --strategy-option sample_size=3 \
    examples/digits.nas "$out/evolution" --data digits --train-epochs "$epochs" \
    --max-trials "$trials" --concurrency 2 --seed 1 --max-duration 10m
echo
echo "== top 3 of the evolution experiment"
"$nasc" experiment top-k "$out/evolution" -k 3
"$nasc" experiment export "$out/evolution" -k 1 -o "$out/best"
best=$(ls "$out"/best/*.nni-v3.json | head -1)
echo
echo "== retrain the best architecture ($best) for 15 epochs and test it"
"$nasc" train examples/digits.nas --arch "$best" --epochs 15 --save "$out/best/weights.pb"
