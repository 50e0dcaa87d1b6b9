#!/usr/bin/env bash
# interop-test.sh: proves that bytes written by nasc decode with three independent readers.
#
# nasc compiles examples/ir/interop.nir to protobuf; then
#   (a) protoc --decode=nasc.ir.NascFile must decode it and show the format version, producer and every label,
#   (b) scripts/interop/read_nasc.py (Python protobuf, gencode from protoc --python_out) and
#   (c) scripts/interop/read_nasc.c (protobuf-c, gencode from protoc-c)
# must print identical summaries that equal scripts/interop/expected.txt.
# C and Python code is generated into a temp dir on every run; none of it is committed.
# Usage: scripts/interop-test.sh [path/to/nasc]   (default $NASC, else .build/debug/nasc; build it first)
# Exits non-zero, with a message, on any mismatch or missing tool.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "interop-test: error: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "$1 not found ($2)"; }

need protoc "apt-get install -y protobuf-compiler"
need protoc-c "apt-get install -y protobuf-c-compiler"
need cc "apt-get install -y gcc"
need python3 "apt-get install -y python3"
python3 -c "import google.protobuf" 2>/dev/null || fail "python protobuf not importable (pip install protobuf)"
[ -f /usr/include/protobuf-c/protobuf-c.h ] || fail "protobuf-c headers missing (apt-get install -y libprotobuf-c-dev)"

[ $# -le 1 ] || fail "usage: scripts/interop-test.sh [path/to/nasc]"
nasc=${1:-${NASC:-.build/debug/nasc}}
[ -x "$nasc" ] || fail "$nasc not found; run 'swift build' first (or pass the nasc path)"

schema_dir=IR/Schema
schema=$schema_dir/nasc.proto
sample=examples/ir/interop.nir
expected=scripts/interop/expected.txt
labels=(conv1 skip depth cell)   # op labels in the sample; the value choice is "width"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pb=$tmp/interop.pb

# The bytes under test, written by nasc itself.
"$nasc" compile "$sample" -o "$pb" || fail "nasc compile $sample failed"
[ -s "$pb" ] || fail "nasc compile wrote no bytes to $pb"

# Readers' generated code, fresh from the committed schema.
mkdir -p "$tmp/c" "$tmp/py"
protoc-c -I "$schema_dir" --c_out="$tmp/c" "$schema" || fail "protoc-c failed"
protoc -I "$schema_dir" --python_out="$tmp/py" "$schema" || fail "protoc --python_out failed"
cc -std=c99 -Wall -Wextra -Werror -O1 -I "$tmp/c" scripts/interop/read_nasc.c "$tmp/c/nasc.pb-c.c" \
   -lprotobuf-c -o "$tmp/read_nasc" || fail "compiling the C reader failed"

# (a) protoc --decode
protoc -I "$schema_dir" --decode=nasc.ir.NascFile "$schema" < "$pb" > "$tmp/a.txt" \
  || fail "protoc --decode=nasc.ir.NascFile could not decode the bytes"
grep -qx 'format_version: 1' "$tmp/a.txt" || fail "(a) protoc --decode shows no 'format_version: 1'"
grep -qx 'producer: "nasc"' "$tmp/a.txt" || fail "(a) protoc --decode shows no 'producer: \"nasc\"'"
for l in "${labels[@]}"; do
  grep -q "string_value: \"$l\"" "$tmp/a.txt" || fail "(a) protoc --decode does not show label \"$l\""
done
grep -q 'label: "width"' "$tmp/a.txt" || fail "(a) protoc --decode does not show value choice \"width\""
grep -q 'choice: "width"' "$tmp/a.txt" || fail "(a) protoc --decode does not show the \$width reference"
want_nodes=$(grep -c '^  ' "$expected")
got_nodes=$(grep -c '^ *op: "' "$tmp/a.txt" || true)
[ "$got_nodes" = "$want_nodes" ] || fail "(a) protoc --decode shows $got_nodes nodes, expected $want_nodes"

# (b) Python protobuf and (c) protobuf-c
PYTHONPATH="$tmp/py" python3 scripts/interop/read_nasc.py "$pb" > "$tmp/b.txt" || fail "(b) the Python reader failed"
"$tmp/read_nasc" "$pb" > "$tmp/c.txt" || fail "(c) the C reader failed"

if ! diff -u "$tmp/b.txt" "$tmp/c.txt" >&2; then fail "(b) Python and (c) C readers disagree (diff above)"; fi
if ! diff -u "$expected" "$tmp/b.txt" >&2; then fail "readers' output differs from $expected (diff above)"; fi

echo "interop-test: ok: protoc --decode, Python protobuf and protobuf-c agree on $sample ($(wc -c < "$pb") bytes, $want_nodes nodes)"
