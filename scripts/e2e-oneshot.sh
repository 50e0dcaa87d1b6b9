#!/usr/bin/env bash
# e2e-oneshot.sh: one-shot NAS end to end on the bundled digits — each of darts, gumbel, enas, spos and proxyless searches
# examples/nb201_digits.nas (a reduced NAS-Bench-201 cell space for 8x8) with `nasc run`, writes DIR/oneshot.jsonl and DIR/best_architecture.json, and the
# export is retrained with `nasc train`, which prints its test accuracy. Fails if a retrained test accuracy is below
# NASC_E2E_MIN_ACC (default 0.95).
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_E2E_OUT:-.build/e2e-oneshot}
space=${NASC_E2E_SPACE:-examples/nb201_digits.nas}
search_epochs=${NASC_E2E_SEARCH_EPOCHS:-10}
train_epochs=${NASC_E2E_TRAIN_EPOCHS:-15}
min_acc=${NASC_E2E_MIN_ACC:-0.95}
strategies=${NASC_E2E_STRATEGIES:-darts gumbel enas spos proxyless}
rm -rf "$out"
mkdir -p "$out"
status=0
for s in $strategies; do
    echo "== $s: search ($search_epochs epochs)"
    start=$(date +%s)
    "$nasc" run --strategy "$s" "$space" -o "$out/$s" --data digits --train-epochs "$search_epochs" --lr 0.05 --seed 1
    echo "== $s: search took $(( $(date +%s) - start )) s; retrain the export ($train_epochs epochs)"
    "$nasc" train "$space" --arch "$out/$s/best_architecture.json" --data digits --epochs "$train_epochs" --seed 1 2>&1 \
        | tee "$out/$s/retrain.txt"
    acc=$(grep -oE 'test accuracy: [0-9.]+' "$out/$s/retrain.txt" | tail -1 | awk '{print $3}')
    echo "== $s: retrained test accuracy ${acc:-unknown}"
    echo "$s ${acc:-unknown}" >> "$out/summary.txt"
    if [ -z "$acc" ] || awk -v a="$acc" -v m="$min_acc" 'BEGIN { exit !(a < m) }'; then status=1; fi
done
echo "== summary (strategy, retrained test accuracy)"
cat "$out/summary.txt"
exit $status
