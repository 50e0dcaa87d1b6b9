#!/usr/bin/env bash
# bench.sh: release-build nasc-bench and run it alternately with ../shared/bench/torch_ref.py (1 and 2 threads); print a table.
# Env: ROUNDS (3), ITERS (20), WARMUP (5), THREADS ("1 2"), MODELS ("a c b"), MODES ("train infer"), TORCH_REF (path),
# DARTS_MODELS ("b2"; "" skips): models timed on a whole first-order DARTS step against scripts/bench/torch_darts_step.py.
# ATTENTION_MODELS ("attn64 attn128"; "" skips): one self-attention layer, batch 32, T 64, D 64/128, 1 thread, against
# scripts/bench/torch_attention.py.
# RECURRENT_MODELS ("lstm gru"; "" skips): one recurrent layer, batch 32, T 64, D = H = 128, 1 thread, against
# scripts/bench/torch_recurrent.py.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}; ITERS=${ITERS:-20}; WARMUP=${WARMUP:-5}
THREADS=${THREADS:-"1 2"}; MODELS=${MODELS:-"a c b"}; MODES=${MODES:-"train infer"}
DARTS_MODELS=${DARTS_MODELS-"b2"}
ATTENTION_MODELS=${ATTENTION_MODELS-"attn64 attn128"}
RECURRENT_MODELS=${RECURRENT_MODELS-"lstm gru"}
TORCH_REF=${TORCH_REF:-../shared/bench/torch_ref.py}
[ -f "$TORCH_REF" ] || TORCH_REF=/work/shared/bench/torch_ref.py
OUT=.build/bench; mkdir -p "$OUT"
RAW="$OUT/raw.jsonl"; RESULTS="$OUT/results.jsonl"; : > "$RAW"

swift build -c release --product nasc-bench >&2
BIN=.build/release/nasc-bench
if ! python3 -c "import torch" 2>/dev/null; then
    pip install 'torch==2.13.0+cpu' >&2   # never plain 'pip install torch'
fi

start=$(date +%s)
for t in $THREADS; do
    for m in $MODELS; do
        for mode in $MODES; do
            rounds=$ROUNDS; iters=$ITERS; warmup=$WARMUP
            # The supernet (b) is ~6x slower per step than (c) on both sides: one short round keeps the run short.
            if [ "$m" = b ]; then rounds=1; iters=$(( ITERS < 5 ? ITERS : 5 )); warmup=$(( WARMUP < 2 ? WARMUP : 2 )); fi
            for r in $(seq 1 "$rounds"); do
                # Alternate which side goes first so both see similar machine load.
                if [ $(( r % 2 )) -eq 1 ]; then order="nasc torch"; else order="torch nasc"; fi
                for side in $order; do
                    if [ "$side" = nasc ]; then
                        # nasc splits work over its own $t workers and calls OpenBLAS single-threaded.
                        OPENBLAS_NUM_THREADS=1 "$BIN" --model "$m" --mode "$mode" --threads "$t" \
                            --warmup "$warmup" --iters "$iters" --json "$RAW" >&2
                    else
                        OMP_NUM_THREADS=$t python3 "$TORCH_REF" --model "$m" --mode "$mode" --threads "$t" \
                            --warmup "$warmup" --iters "$iters" --json "$RAW.torch" >&2
                        python3 -c 'import json,sys
l=open(sys.argv[1]).read().splitlines()[-1]; d=json.loads(l); d["impl"]="torch"; print(json.dumps(d))' "$RAW.torch" >> "$RAW"
                    fi
                done
            done
        done
    done
done
# One first-order DARTS step (architecture step on a validation batch + weight step on a training batch) on the
# supernet models, one short round each, alternating sides as above.
for t in $THREADS; do
    for m in $DARTS_MODELS; do
        case "$m" in b) layers=4 ;; b2) layers=2 ;; *) echo "bench.sh: no DARTS reference for model $m" >&2; exit 2 ;; esac
        iters=$(( ITERS < 5 ? ITERS : 5 )); warmup=$(( WARMUP < 2 ? WARMUP : 2 ))
        for side in nasc torch; do
            if [ "$side" = nasc ]; then
                OPENBLAS_NUM_THREADS=1 "$BIN" --model "$m" --mode darts --threads "$t" --warmup "$warmup" --iters "$iters" \
                    --json "$RAW" >&2
            else
                OMP_NUM_THREADS=$t python3 scripts/bench/torch_darts_step.py --torch-ref "$TORCH_REF" --layers "$layers" \
                    --threads "$t" --warmup "$warmup" --iters "$iters" --json "$RAW.torch" >&2
                python3 -c 'import json,sys
l=open(sys.argv[1]).read().splitlines()[-1]; d=json.loads(l); d["impl"]="torch"; print(json.dumps(d))' "$RAW.torch" >> "$RAW"
            fi
        done
    done
done
# One layer at text-classification sizes (batch 32, T 64), 1 thread, alternating sides per round: MODEL against
# the PyTorch script SCRIPT.
sequence_layer() {
    local m=$1 script=$2
    for mode in train infer; do
        for r in $(seq 1 "$ROUNDS"); do
            if [ $(( r % 2 )) -eq 1 ]; then order="nasc torch"; else order="torch nasc"; fi
            for side in $order; do
                if [ "$side" = nasc ]; then
                    OPENBLAS_NUM_THREADS=1 "$BIN" --model "$m" --mode "$mode" --threads 1 --batch 32 \
                        --warmup "$WARMUP" --iters "$ITERS" --json "$RAW" >&2
                else
                    OMP_NUM_THREADS=1 python3 "$script" --torch-ref "$TORCH_REF" --model "$m" \
                        --mode "$mode" --threads 1 --batch 32 --warmup "$WARMUP" --iters "$ITERS" --json "$RAW.torch" >&2
                    python3 -c 'import json,sys
l=open(sys.argv[1]).read().splitlines()[-1]; d=json.loads(l); d["impl"]="torch"; print(json.dumps(d))' "$RAW.torch" >> "$RAW"
                fi
            done
        done
    done
}
for m in $ATTENTION_MODELS; do sequence_layer "$m" scripts/bench/torch_attention.py; done
for m in $RECURRENT_MODELS; do sequence_layer "$m" scripts/bench/torch_recurrent.py; done
rm -f "$RAW.torch"
echo "elapsed $(( $(date +%s) - start )) s" >&2
python3 scripts/bench_table.py "$RAW" "$RESULTS"
