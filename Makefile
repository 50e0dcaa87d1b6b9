# nasc: two commands on a fresh Debian/Ubuntu machine — `make demo` and `make test`.
SWIFT ?= swift
NASC_DEBUG := .build/debug/nasc
NASC_RELEASE := .build/release/nasc
RELEASE_FLAGS := -c release

.PHONY: deps build release test test-ray demo e2e bench fuzz fuzz-smoke check-proto interop clean

## Install missing system packages (OpenBLAS, protoc, protobuf-c, python protobuf).
deps:
	@bash scripts/install-deps.sh

## Debug build of everything, tests included.
build: deps
	$(SWIFT) build --build-tests

## Optimized build of the nasc binary.
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product nasc

## Every test: Swift unit and golden tests, protobuf interop, generated-code freshness.
test: build
	$(SWIFT) test --skip-build
	bash scripts/interop-test.sh $(NASC_DEBUG)
	bash scripts/gen-proto.sh --check
	$(MAKE) test-ray

## `nasc run --engine ray` against a loopback-only Ray head that the script starts and stops (ray is pinned in
## scripts/requirements-test.txt; about 2 min).
test-ray: build
	bash scripts/ray-test.sh $(NASC_DEBUG)

## The main job on the bundled data.
demo: release
	bash scripts/demo.sh $(NASC_RELEASE)

## End-to-end evidence: a real search on digits with the default strategy; fails below 97% test accuracy; then scripts/e2e-*.sh.
e2e: release
	bash scripts/e2e.sh $(NASC_RELEASE)

## Benchmark: release nasc-bench vs PyTorch (../shared/bench/torch_ref.py) at 1 and 2 threads; table + .build/bench/results.jsonl.
bench: deps
	bash scripts/bench.sh

## Fuzzing (docs/fuzzing.md): libFuzzer + ASan build in .build-fuzz, each target 1M executions (capped at 600 s).
fuzz: deps
	bash scripts/fuzz.sh

## A short fuzz of every target (CI): 20 s each.
fuzz-smoke: deps
	bash scripts/fuzz.sh --smoke 20

clean:
	rm -rf .build .build-tools .build-fuzz
