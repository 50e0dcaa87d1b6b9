#!/usr/bin/env bash
# demo.sh: the main job of `make demo`. Today nasc compiles and inspects the bundled spaces; the search itself
# (nasc run over the bundled digits data) replaces this once the runtime and strategies land.
set -euo pipefail
cd "$(dirname "$0")/.."
nasc=${1:-.build/release/nasc}
out=${NASC_DEMO_OUT:-.build/demo}
mkdir -p "$out"

echo "== nasc inspect examples/digits.nas (the space sized for the bundled 8x8 digits data)"
"$nasc" inspect examples/digits.nas
echo
echo "== nasc compile: every bundled space -> verified, shape-inferred IR (protobuf)"
for f in examples/*.nas; do
    name=$(basename "$f" .nas)
    start=$(date +%s%N)
    "$nasc" compile "$f" -o "$out/$name.pb"
    end=$(date +%s%N)
    printf '  %-12s %8d bytes  %5d ms   space size %s\n' "$name" "$(stat -c %s "$out/$name.pb")" \
        $(( (end - start) / 1000000 )) "$("$nasc" inspect "$out/$name.pb" --samples 16 | sed -n 's/^space size: \([0-9]*\).*/\1/p')"
done
echo
echo "== the NAS-Bench-201 space as NNI search-space JSON (first lines)"
"$nasc" space examples/nb201.nas --format nni | head -c 400; echo " ..."
echo
echo "== a Graphviz view of the digits space: $out/digits.dot"
"$nasc" dump "$out/digits.pb" --format dot > "$out/digits.dot"
echo
echo "== the guide's MNIST space with its wrong fc1 (NNI only fails at training time; nasc says why, before anything runs)"
"$nasc" compile Tests/NASCFrontendTests/Diagnostics/mnist_guide.nas -o "$out/guide.pb" || echo "(exit $? as expected)"
