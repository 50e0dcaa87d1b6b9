#!/usr/bin/env bash
# e2e.sh: the end-to-end evidence of `make e2e` — a real multi-trial search on the bundled digits with the default
# strategy of `nasc run`, selection of the best architecture by VALIDATION accuracy only, a retrain of that
# architecture with `nasc train --arch`, and its TEST accuracy, which must reach the threshold (exit 1 otherwise).
# Then every scripts/e2e-*.sh present (e.g. the one-shot end-to-end check) runs with the same nasc binary.
#
# Knobs (environment): NASC_E2E_OUT (.build/e2e), NASC_E2E_TRIALS (24), NASC_E2E_EPOCHS (epochs per trial, 12),
# NASC_E2E_RETRAIN_EPOCHS (30), NASC_E2E_CONCURRENCY (2), NASC_E2E_THRESHOLD (0.97).
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_E2E_OUT:-.build/e2e}
trials=${NASC_E2E_TRIALS:-24}
epochs=${NASC_E2E_EPOCHS:-12}
retrain_epochs=${NASC_E2E_RETRAIN_EPOCHS:-30}
concurrency=${NASC_E2E_CONCURRENCY:-2}
threshold=${NASC_E2E_THRESHOLD:-0.97}
space=examples/digits_e2e.nas
# Training recipe of every trial and of the retrain: SGD with momentum, cosine schedule, weight decay, random crop.
recipe=(--data digits --lr 0.05 --weight-decay 0.0005 --crop-padding 1 --batch-size 32)
# The final training, fixed before the search: a longer schedule with label smoothing 0.1 on the whole training
# split (the 10% validation hold-out only served to select the architecture). The test split is used only here.
final=(--epochs "$retrain_epochs" --label-smoothing 0.1 --validation 0)

[ -x "$nasc" ] || { echo "e2e: $nasc not found (make release)" >&2; exit 1; }
[ "$trials" -ge 20 ] || { echo "e2e: at least 20 trials are required, got $trials" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)

echo "== the space"
"$nasc" inspect "$space"
echo
echo "== search: default strategy, $trials trials of $epochs epochs, $concurrency at a time (metric: validation accuracy)"
"$nasc" run "$space" "$out/search" "${recipe[@]}" --train-epochs "$epochs" --train-seed 1 \
    --max-trials "$trials" --concurrency "$concurrency" --seed 1 --max-duration 30m --no-live
echo
"$nasc" experiment list "$out/search" | tail -1   # mean per-trial overhead
echo "== top 3 by validation accuracy"
"$nasc" experiment top-k "$out/search" -k 3
"$nasc" experiment export "$out/search" -k 1 -o "$out/best" > /dev/null
best=$(ls "$out"/best/*.nni-v3.json | head -1)
echo "best architecture: $best"
cat "$best"; echo
echo
echo "== retrain the best architecture: $retrain_epochs epochs, label smoothing 0.1, all training data; then test it"
"$nasc" train "$space" --arch "$best" "${recipe[@]}" "${final[@]}" --seed 1 --save "$out/best/weights.pb" --json \
    > "$out/best/result.json"
cat "$out/best/result.json"
test_acc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["test_accuracy"])' "$out/best/result.json")
elapsed=$(( $(date +%s) - start ))
echo
echo "e2e: test accuracy $test_acc (threshold $threshold), $trials trials, ${elapsed}s"
if ! python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$test_acc" "$threshold"; then
    echo "e2e: FAILED: test accuracy $test_acc is below $threshold" >&2
    exit 1
fi
echo "e2e: PASSED"

shopt -s nullglob
for extra in scripts/e2e-*.sh; do
    echo
    echo "== $extra"
    bash "$extra" "$nasc"
done
