#!/usr/bin/env bash
# e2e-rl.sh: PolicyBasedRL end to end on the bundled digits — REINFORCE and PPO (`--strategy rl --strategy-option
# algorithm=reinforce|ppo`) each search examples/digits.nas with nasc's own training trials. Fails when a search does
# not finish every trial, when settings.json does not name the algorithm, or when the best validation accuracy is
# below NASC_E2E_RL_MIN_ACC (default 0.9).
#
# Knobs: NASC_E2E_RL_OUT (.build/e2e-rl), NASC_E2E_RL_TRIALS (8), NASC_E2E_RL_EPOCHS (5).
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=$(realpath "${1:-.build/release/nasc}")
out=${NASC_E2E_RL_OUT:-.build/e2e-rl}
trials=${NASC_E2E_RL_TRIALS:-8}
epochs=${NASC_E2E_RL_EPOCHS:-5}
min_acc=${NASC_E2E_RL_MIN_ACC:-0.9}
rm -rf "$out"
mkdir -p "$out"
status=0
for alg in reinforce ppo; do
    echo "== rl, algorithm=$alg: $trials trials of $epochs epochs on examples/digits.nas"
    start=$(date +%s)
    # Both update the policy after each batch of told results: batch_size 4 gives two updates in 8 trials.
    "$nasc" run examples/digits.nas "$out/$alg" --strategy rl --strategy-option "algorithm=$alg" --strategy-option batch_size=4 --seed 1 \
        --data digits --train-epochs "$epochs" --max-trials "$trials" --concurrency 2 --max-duration 30m --no-live \
        | tee "$out/$alg.txt"
    echo "   took $(( $(date +%s) - start )) s"
    grep -q "finished (max-trials): $trials trials, $trials succeeded, 0 failed" "$out/$alg.txt" \
        || { echo "e2e-rl: $alg: not every trial succeeded" >&2; status=1; }
    python3 - "$out/$alg/settings.json" "$alg" <<'PY' || status=1
import json, sys
s = json.load(open(sys.argv[1]))
text = json.dumps(s)
if f'"algorithm": "{sys.argv[2]}"' not in text and f'"algorithm":"{sys.argv[2]}"' not in text:
    sys.exit(f"e2e-rl: {sys.argv[1]} does not record algorithm {sys.argv[2]}: {text[:300]}")
PY
    best=$(grep -oE '^best: trial [0-9]+, metric [0-9.]+' "$out/$alg.txt" | awk '{print $5}')
    echo "== $alg: best validation accuracy $best"
    if ! python3 -c "import sys; sys.exit(0 if float('${best:-0}') >= $min_acc else 1)"; then
        echo "e2e-rl: $alg: best ${best:-none} < $min_acc" >&2; status=1
    fi
done
exit $status
