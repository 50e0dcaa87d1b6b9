#!/bin/bash
# compile-time.sh: supernet compile time per stage (`nasc compile --time-passes`) for every supernet mode, training
# and inference plans; each figure is the minimum over RUNS runs (processor time, then wall time, in ms).
# Usage: scripts/compile-time.sh [NASC_BINARY] [SPACE]   (defaults: .build/release/nasc examples/darts.nas; RUNS=5)
set -euo pipefail
bin=${1:-.build/release/nasc}
space=${2:-examples/darts.nas}
runs=${RUNS:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for mode in darts gumbel sampled proxyless; do
    for plan in train infer; do
        flag=(); [ "$plan" = infer ] && flag=(--inference)
        echo "== $mode $plan"
        for _ in $(seq "$runs"); do
            "$bin" compile "$space" --supernet "$mode" "${flag[@]}" --time-passes -o "$out/p.pb" 2>&1 >/dev/null | grep -E '^ +[0-9]'
        done | awk '{ gsub(/\([^)]*\)/, ""); n = $NF
                      if (!(n in c) || $1 < c[n]) c[n] = $1
                      if (!(n in w) || $2 < w[n]) w[n] = $2
                      if (!(n in o)) { o[n] = ++k; names[k] = n } }
                END { for (i = 1; i <= k; i++) printf "%-12s %7.1f ms cpu %7.1f ms wall\n", names[i], 1000 * c[names[i]], 1000 * w[names[i]] }'
    done
done
