#!/usr/bin/env bash
# e2e-oneshot.sh: one-shot NAS end to end on the bundled digits — each of darts, gumbel, enas, spos, proxyless, cdarts and pdarts searches
# examples/nb201_digits.nas (a reduced NAS-Bench-201 cell space for 8x8) with `nasc run`, writes DIR/oneshot.jsonl and DIR/best_architecture.json, and the
# export is retrained with `nasc train`, which prints its test accuracy. Fails if a retrained test accuracy is below
# NASC_E2E_MIN_ACC (default 0.95). For comparison, NASC_E2E_RANDOM (default 5) uniformly random architectures of the
# space (seeded) and the degenerate all-`none`, all-skip and all-pool ones (NASC_E2E_FIXED, for nb201_digits) are
# retrained with the same recipe; the summary lists them next to the strategies (they do not affect the exit code).
# The searches use each strategy's own training defaults (see DIR/settings.json); only --train-epochs and --seed are set.
# pdarts's --train-epochs is per stage (3 stages): NASC_E2E_PDARTS_EPOCHS (default 4) keeps its run brief.
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_E2E_OUT:-.build/e2e-oneshot}
space=${NASC_E2E_SPACE:-examples/nb201_digits.nas}
search_epochs=${NASC_E2E_SEARCH_EPOCHS:-10}
train_epochs=${NASC_E2E_TRAIN_EPOCHS:-15}
min_acc=${NASC_E2E_MIN_ACC:-0.95}
strategies=${NASC_E2E_STRATEGIES:-darts gumbel enas spos proxyless cdarts pdarts}
random_archs=${NASC_E2E_RANDOM:-5}
fixed_archs=${NASC_E2E_FIXED:-none skip_connect avg_pool_3x3}
rm -rf "$out"
mkdir -p "$out"
status=0
for s in $strategies; do
    epochs=$search_epochs
    [ "$s" = pdarts ] && epochs=${NASC_E2E_PDARTS_EPOCHS:-4}
    echo "== $s: search ($epochs epochs)"
    start=$(date +%s)
    "$nasc" run --strategy "$s" "$space" -o "$out/$s" --data digits --train-epochs "$epochs" --seed 1
    echo "== $s: search took $(( $(date +%s) - start )) s; retrain the export ($train_epochs epochs)"
    "$nasc" train "$space" --arch "$out/$s/best_architecture.json" --data digits --epochs "$train_epochs" --seed 1 2>&1 \
        | tee "$out/$s/retrain.txt"
    acc=$(grep -oE 'test accuracy: [0-9.]+' "$out/$s/retrain.txt" | tail -1 | awk '{print $3}')
    echo "== $s: retrained test accuracy ${acc:-unknown}"
    echo "$s ${acc:-unknown}" >> "$out/summary.txt"
    if [ -z "$acc" ] || awk -v a="$acc" -v m="$min_acc" 'BEGIN { exit !(a < m) }'; then status=1; fi
done
# Baselines: uniformly random architectures (seeded) and every choice set to one candidate, same retraining recipe.
if [ "$random_archs" -gt 0 ] || [ -n "$fixed_archs" ]; then
    mkdir -p "$out/baseline"
    "$nasc" space "$space" --format nni > "$out/baseline/space.json"
    python3 - "$out/baseline" "$random_archs" $fixed_archs <<'PY'
import json, random, sys
out, count, fixed = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
space = json.load(open(out + "/space.json"))
rng = random.Random(1)
def pick(spec, choose):
    if spec["_type"] == "layer_choice":
        return choose(spec["_value"])
    return spec["_value"][0] if spec["_type"] == "choice" else None
archs = {f"random{i}": {k: pick(v, rng.choice) for k, v in space.items()} for i in range(count)}
for op in fixed:
    archs[f"all_{op}"] = {k: pick(v, lambda vs: op if op in vs else vs[0]) for k, v in space.items()}
for name, arch in archs.items():
    json.dump({k: v for k, v in arch.items() if v is not None}, open(f"{out}/{name}.json", "w"))
    print(name)
PY
    for f in "$out"/baseline/random*.json "$out"/baseline/all_*.json; do
        [ -e "$f" ] || continue
        name=$(basename "$f" .json)
        "$nasc" train "$space" --arch "$f" --data digits --epochs "$train_epochs" --seed 1 > "$out/baseline/$name.txt" 2>&1 || true
        acc=$(grep -oE 'test accuracy: [0-9.]+' "$out/baseline/$name.txt" | tail -1 | awk '{print $3}')
        echo "== baseline $name ($(tr -d '\n ' < "$f")): retrained test accuracy ${acc:-unknown}"
        echo "baseline:$name ${acc:-unknown}" >> "$out/summary.txt"
    done
fi
echo "== summary (strategy or baseline architecture, retrained test accuracy)"
cat "$out/summary.txt"
exit $status
