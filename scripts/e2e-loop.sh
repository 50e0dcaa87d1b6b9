#!/usr/bin/env bash
# e2e-loop.sh: the open loop end to end — (1) a search of examples/digits.nas whose trials are a PyTorch training
# script (examples/trial/digits_torch_trial.py via --trial-command), (2) an Optuna-driven search
# (examples/strategies/optuna_strategy.py via --strategy external) on the synthetic benchmark and (3) on digits with
# nasc's own training trials. Fails when a search does not finish all its trials, or when the best validation
# accuracy of a digits search is below NASC_E2E_LOOP_MIN_ACC (default 0.9).
#
# Knobs: NASC_E2E_LOOP_OUT (.build/e2e-loop), NASC_E2E_LOOP_TRIALS (12), NASC_E2E_LOOP_EPOCHS (8).
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=$(realpath "${1:-.build/release/nasc}")
out=${NASC_E2E_LOOP_OUT:-.build/e2e-loop}
trials=${NASC_E2E_LOOP_TRIALS:-12}
epochs=${NASC_E2E_LOOP_EPOCHS:-8}
min_acc=${NASC_E2E_LOOP_MIN_ACC:-0.9}
optuna="python3 $(pwd)/examples/strategies/optuna_strategy.py --n-startup-trials 5"
rm -rf "$out"
mkdir -p "$out"
status=0

check() {  # check NAME DIR: every trial succeeded; prints the best; fails below min_acc when $3 is "acc"
    local summary="$out/$1.txt"
    grep -q "finished (max-trials): $trials trials, $trials succeeded, 0 failed" "$summary" \
        || { echo "e2e-loop: $1: not every trial succeeded" >&2; status=1; }
    local best; best=$(grep -oE '^best: trial [0-9]+, metric [0-9.]+' "$summary" | awk '{print $5}')
    echo "== $1: best validation metric $best"
    if [ "${3:-}" = acc ] && ! python3 -c "import sys; sys.exit(0 if float('$best') >= $min_acc else 1)"; then
        echo "e2e-loop: $1: best $best < $min_acc" >&2; status=1
    fi
}

echo "== 1. PyTorch trials: $trials trials of examples/trial/digits_torch_trial.py ($epochs epochs), TPE"
start=$(date +%s)
"$nasc" run examples/digits.nas "$out/torch" --seed 1 --strategy-option n_startup_jobs=6 \
    --trial-command "python3 examples/trial/digits_torch_trial.py --epochs $epochs" \
    --max-trials "$trials" --concurrency 2 --max-duration 30m --no-live | tee "$out/torch.txt"
echo "   took $(( $(date +%s) - start )) s"
"$nasc" experiment list "$out/torch" | tail -1
check torch "$out/torch" acc

echo "== 2. Optuna TPE on the synthetic benchmark (examples/mlp.nas, $trials trials)"
"$nasc" run examples/mlp.nas "$out/optuna-synthetic" --strategy external --strategy-command "$optuna" --seed 1 \
    --benchmark synthetic:1 --max-trials "$trials" --concurrency 2 --no-live | tee "$out/optuna-synthetic.txt"
check optuna-synthetic "$out/optuna-synthetic"

echo "== 3. Optuna TPE on digits: nasc training trials ($trials trials of $epochs epochs)"
start=$(date +%s)
"$nasc" run examples/digits.nas "$out/optuna-digits" --strategy external --strategy-command "$optuna" --seed 1 \
    --data digits --train-epochs "$epochs" --max-trials "$trials" --concurrency 2 --max-duration 30m --no-live \
    | tee "$out/optuna-digits.txt"
echo "   took $(( $(date +%s) - start )) s"
check optuna-digits "$out/optuna-digits" acc

exit $status
