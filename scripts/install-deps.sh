#!/usr/bin/env bash
# install-deps.sh: install whatever nasc's build and tests need and this machine lacks (Debian/Ubuntu).
# Idempotent and quiet when everything is present; called by `make build`, `make test` and `make demo`.
set -euo pipefail

need_apt=()
pkg-config --exists openblas 2>/dev/null || need_apt+=(libopenblas-dev pkg-config)
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v protoc-c >/dev/null 2>&1 || need_apt+=(protobuf-c-compiler)
[ -f /usr/include/protobuf-c/protobuf-c.h ] || need_apt+=(libprotobuf-c-dev)
[ -f /usr/include/sqlite3.h ] || need_apt+=(libsqlite3-dev)
command -v cc >/dev/null 2>&1 || need_apt+=(gcc)
[ -f /usr/include/google/protobuf/struct.proto ] || need_apt+=(libprotobuf-dev)   # TensorBoard HParams schema import
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)                       # headless browser for the HTML report test
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)                            # DOT rendering checks

if [ ${#need_apt[@]} -gt 0 ]; then
    echo "install-deps: installing ${need_apt[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: swift is not on PATH; install Swift 6.1 or newer (https://swift.org/install)" >&2
    exit 1
fi

# Python's protobuf runtime is one of the three independent readers in the interop test.
if ! python3 -c "import google.protobuf" >/dev/null 2>&1; then
    echo "install-deps: installing python protobuf" >&2
    python3 -m pip install --quiet protobuf >&2
fi

# Pinned Python counterparts of the tests (PyTorch, onnxruntime, safetensors, TensorBoard, Optuna, Ray):
# installed only when a pinned version is missing.
req="$(dirname "$0")/requirements-test.txt"
if ! python3 "$(dirname "$0")/check-requirements.py" "$req" >/dev/null 2>&1; then
    echo "install-deps: installing pinned Python packages from $req" >&2
    python3 -m pip install --quiet --disable-pip-version-check -r "$req" >&2
fi
