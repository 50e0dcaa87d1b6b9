#!/usr/bin/env bash
# gen-proto.sh: regenerate IR/Generated/nasc.pb.swift (and its schema stamp) from IR/Schema/nasc.proto.
#
# Uses Debian's protoc and protoc-gen-swift built from the pinned swift-protobuf dependency into
# .build-tools (never the SwiftPM build plugin). Usage:
#   scripts/gen-proto.sh           regenerate and overwrite the committed files
#   scripts/gen-proto.sh --check   regenerate into a temp dir; exit 1 if the committed files differ
set -euo pipefail
cd "$(dirname "$0")/.."

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  *) echo "usage: scripts/gen-proto.sh [--check]" >&2; exit 2 ;;
esac

schema_dir=IR/Schema
schema=nasc.proto
out_dir=IR/Generated

command -v protoc >/dev/null || { echo "gen-proto: protoc not found (apt-get install -y protobuf-compiler)" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "gen-proto: sha256sum not found (coreutils)" >&2; exit 1; }

swift build --product protoc-gen-swift --scratch-path .build-tools >&2
plugin=.build-tools/debug/protoc-gen-swift
[ -x "$plugin" ] || { echo "gen-proto: $plugin was not built" >&2; exit 1; }

# Generates into $1: nasc.pb.swift and nasc.proto.sha256.
generate() {
  protoc --plugin=protoc-gen-swift="$plugin" \
         --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
         --swift_out="$1" -I "$schema_dir" "$schema_dir/$schema"
  (cd "$schema_dir" && sha256sum "$schema") > "$1/$schema.sha256"
}

if [ "$mode" = write ]; then
  mkdir -p "$out_dir"
  generate "$out_dir"
  echo "gen-proto: wrote $out_dir/nasc.pb.swift and $out_dir/$schema.sha256" >&2
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  generate "$tmp"
  if diff -u "$out_dir/nasc.pb.swift" "$tmp/nasc.pb.swift" >&2 && diff -u "$out_dir/$schema.sha256" "$tmp/$schema.sha256" >&2; then
    echo "gen-proto: generated code is up to date" >&2
  else
    echo "gen-proto: error: $out_dir is stale; run scripts/gen-proto.sh and commit the result" >&2
    exit 1
  fi
fi
