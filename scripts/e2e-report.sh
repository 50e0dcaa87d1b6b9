#!/usr/bin/env bash
# e2e-report.sh NASC: the HTML report of the e2e search (.build/e2e/search, from scripts/e2e.sh) and of a one-shot
# DARTS run, each loaded in headless Chromium (fails on any console message) and saved as a screenshot:
# .build/e2e/report.png and .build/e2e/report-oneshot.png.
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_E2E_OUT:-.build/e2e}
mkdir -p "$out"
if [ ! -f "$out/search/experiment.sqlite" ]; then
    "$nasc" run --strategy random examples/mlp.nas "$out/search" --benchmark synthetic:1 --max-trials 30 --no-live > /dev/null
fi
rm -rf "$out/oneshot-report"
"$nasc" run --strategy darts examples/digits_oneshot.nas -o "$out/oneshot-report" --data digits --train-epochs 10 \
    --strategy-option arch_lr=0.01 > /dev/null
status=0
for pair in "search:report" "oneshot-report:report-oneshot"; do
    dir=${pair%%:*}; name=${pair##*:}
    "$nasc" experiment report "$out/$dir" -o "$out/$name.html"
    profile=$(mktemp -d)
    log=$(chromium --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$profile" --enable-logging=stderr --v=0 \
          --window-size=1280,2400 --screenshot="$out/$name.png" "file://$(realpath "$out/$name.html")" 2>&1 >/dev/null || true)
    rm -rf "$profile"
    if grep -q ":CONSOLE" <<<"$log"; then
        echo "e2e-report: FAILED: console messages on $out/$name.html:" >&2
        grep ":CONSOLE" <<<"$log" >&2
        status=1
    fi
    [ -s "$out/$name.png" ] || { echo "e2e-report: FAILED: no screenshot $out/$name.png" >&2; status=1; }
    echo "e2e-report: $out/$name.html -> $out/$name.png"
done
exit $status
