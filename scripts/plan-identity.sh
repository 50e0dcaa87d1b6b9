#!/bin/bash
# plan-identity.sh: compiles every example space to plans with two nasc binaries and compares the written bytes.
# For each examples/*.nas (and examples/ir/*.nir): the subnet of the first and of the last value of every decision
# (a space without decisions: --plan), as a training and as an inference plan; and every supernet mode (darts,
# gumbel, sampled, proxyless), training and inference, where the space supports it (a mode both binaries reject
# with the same message counts as identical). Prints one line per plan and a summary; exits 1 on any difference.
# Usage: scripts/plan-identity.sh OLD_NASC NEW_NASC [SPACE...]
set -uo pipefail
old=${1:?usage: plan-identity.sh OLD_NASC NEW_NASC [SPACE...]}
new=${2:?usage: plan-identity.sh OLD_NASC NEW_NASC [SPACE...]}
shift 2
spaces=("$@")
[ ${#spaces[@]} -eq 0 ] && spaces=(examples/*.nas examples/ir/*.nir)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
same=0 differ=0 rejected=0

# compare NAME ARGS...: compile with both binaries and compare plans (or, when both fail, their messages).
compare() {
    local name=$1; shift
    "$old" compile "$@" -o "$work/old.pb" >"$work/old.out" 2>&1; local rc_old=$?
    "$new" compile "$@" -o "$work/new.pb" >"$work/new.out" 2>&1; local rc_new=$?
    if [ $rc_old -ne 0 ] && [ $rc_new -ne 0 ]; then
        if cmp -s "$work/old.out" "$work/new.out"; then
            echo "rejected by both  $name"; rejected=$((rejected + 1))
        else
            echo "DIFFERENT ERROR   $name"; diff "$work/old.out" "$work/new.out" | head -6; differ=$((differ + 1))
        fi
    elif [ $rc_old -ne 0 ] || [ $rc_new -ne 0 ]; then
        echo "DIFFERENT STATUS  $name (old $rc_old, new $rc_new)"; head -3 "$work/old.out" "$work/new.out"
        differ=$((differ + 1))
    elif cmp -s "$work/old.pb" "$work/new.pb"; then
        echo "identical         $name ($(stat -c %s "$work/new.pb") bytes)"; same=$((same + 1))
    else
        echo "DIFFERENT PLAN    $name"; differ=$((differ + 1))
    fi
}

for space in "${spaces[@]}"; do
    # One architecture per end of every decision's value list (NNI search-space JSON -> NNI 3.0 architecture JSON).
    "$new" space "$space" --format nni >"$work/space.json" 2>/dev/null || { echo "cannot read $space"; differ=$((differ + 1)); continue; }
    decisions=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$work/space.json")
    for plan in train infer; do
        flag=(); [ "$plan" = infer ] && flag=(--inference)
        if [ "$decisions" = 0 ]; then
            compare "$space fixed $plan" "$space" --plan "${flag[@]}"
        else
            for end in first last; do
                python3 - "$work/space.json" "$end" >"$work/arch-$end.json" <<'EOF'
import json, sys
space = json.load(open(sys.argv[1]))
pick = 0 if sys.argv[2] == "first" else -1
arch = {}
for label, d in space.items():
    values = d["_value"]
    if d["_type"] == "input_choice":
        n = d.get("n_chosen", 1) or 1
        arch[label] = list(range(len(values)))[pick:][:n] if pick == 0 else list(range(len(values)))[-n:]
    else:
        arch[label] = values[pick]
print(json.dumps(arch))
EOF
                compare "$space arch=$end $plan" "$space" --arch "$work/arch-$end.json" "${flag[@]}"
            done
        fi
        for mode in darts gumbel sampled proxyless; do
            [ "$decisions" = 0 ] && continue
            compare "$space supernet=$mode $plan" "$space" --supernet "$mode" "${flag[@]}"
        done
    done
done
echo "plans: $same identical, $rejected rejected by both with the same message, $differ different"
[ "$differ" -eq 0 ]
