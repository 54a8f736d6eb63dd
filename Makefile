# chartprov — the entry points (README.md). Each target installs what it needs first, so each
# works on a fresh Debian 12 machine as root: `make demo`, `make test`.
#
#   make deps    Debian build dependencies (scripts/install-deps.sh; root)
#   make peers   real peer tools: helm v4/v3, gpg, sq, rnp, registry, SoftHSM, ... (root)
#   make build   build/chartprov (+ helper build/chartprov-rnp), Release, incremental
#   make test    deps + peers + build, then every test (ctest)
#   make demo    deps + peers + build, then scripts/demo.sh: key, package+sign, verify, tamper
#   make asan    ASan + UBSan build (clang) in build-asan, then its unit and e2e tests
#   make fuzz    the same build's libFuzzer targets, each for FUZZ_SECONDS (or FUZZ_RUNS)
#   make bench   Google Benchmark executables in build/bench
#   make format  clang-format -i over the C++ sources
#   make format-check  the same files, clang-format --dry-run -Werror: fails on any change
#   make check-layers  scripts/check-layers.py: includes and links follow src/LAYERS (no build)
#   make tidy    clang-tidy over src/ and tools/ with .clang-tidy's fixed checks; fails on any finding
#   make clean   remove build, build-asan (and an old build-fuzz)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
# Steps share apt's lock and one build dir; ninja and ctest parallelise inside each step.
.NOTPARALLEL:

BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
# One clang build with ASan, UBSan and the fuzzer's coverage hooks serves `make asan` (its
# tests) and `make fuzz` (its fuzz targets): src/ is compiled once for both.
FUZZ_DIR  ?= $(ASAN_DIR)
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
# Per-target fuzz time in seconds; FUZZ_RUNS=N runs N inputs per target instead.
FUZZ_SECONDS ?= 15
FUZZ_RUNS ?=
# A test without its own TIMEOUT property that runs this long is hung.
CTEST_ARGS ?= --output-on-failure --timeout 300

# Sanitizer and fuzz builds: -O1 with line tables only compiles much faster than -O2 -g and
# still gives file:line stacks; no NDEBUG, so assertions are checked too.
SAN_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS_RELWITHDEBINFO='-O1 -g1' \
             -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g1' \
             -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
             -DCHARTPROV_SANITIZE=ON -DCHARTPROV_FUZZ=ON -DCHARTPROV_BENCH=OFF
# Sanitizer reports must fail the run, with a stack that says where.
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1 \
           UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

CXX_SOURCES = git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' '*.h' ':!tests/data/**'

.PHONY: help deps peers build test demo asan fuzz bench format format-check check-layers tidy clean

help:
	@sed -n 's/^#   make/make/p' Makefile

deps:
	@bash scripts/install-deps.sh

peers:
	@bash scripts/install-peers.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	ninja -C $(BUILD_DIR) -j $(JOBS)

test: deps peers build
	ctest --test-dir $(BUILD_DIR) $(CTEST_ARGS) -j $(JOBS)

demo: deps peers build
	bash scripts/demo.sh $(BUILD_DIR)

asan: deps peers
	cmake -S . -B $(ASAN_DIR) -G Ninja $(SAN_FLAGS) >/dev/null
	$(SAN_ENV) ninja -C $(ASAN_DIR) -j $(JOBS)
	$(SAN_ENV) ctest --test-dir $(ASAN_DIR) $(CTEST_ARGS) -j $(JOBS) -L '^(unit|e2e)$$'

fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -G Ninja $(SAN_FLAGS) >/dev/null
	ninja -C $(FUZZ_DIR) -j $(JOBS) fuzzers
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_JOBS=$(JOBS) bash scripts/run-fuzz-smoke.sh $(FUZZ_DIR)

bench: deps peers build
	ninja -C $(BUILD_DIR) -j $(JOBS) benchmarks
	bash scripts/run-benchmarks.sh $(BUILD_DIR)
	bash bench/run-verify-bench.sh $(BUILD_DIR)
	bash bench/run-sign-bench.sh $(BUILD_DIR)
	bash bench/run-cosign-bench.sh $(BUILD_DIR)
	bash bench/run-keyless-bench.sh $(BUILD_DIR)
	bash bench/run-serve-bench.sh $(BUILD_DIR)
	bash bench/run-log-bench.sh $(BUILD_DIR)
	bash bench/run-log-monitor-bench.sh $(BUILD_DIR)
	bash bench/admission_load.sh $(BUILD_DIR)

format: deps
	$(CXX_SOURCES) | xargs -r clang-format -i

format-check: deps
	$(CXX_SOURCES) | xargs -r clang-format --dry-run -Werror
	@echo "format-check: clean"

# The layer map (src/LAYERS, docs/ARCHITECTURE.md#layers); also ctest check-layers.
check-layers:
	python3 scripts/check-layers.py
	@echo "check-layers: clean"

# Fails on any finding (.clang-tidy: WarningsAsErrors '*'); needs the build's generated headers.
tidy: build
	git ls-files -- 'src/*.cpp' 'tools/*.cpp' | xargs -r -P $(JOBS) -n 4 clang-tidy -p $(BUILD_DIR) --quiet 2>&1 \
	  | sed '/^[0-9]* warnings\? generated\.$$/d; /^Suppressed [0-9]* warnings/d; /^Use -header-filter/d'
	@echo "tidy: clean"

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(FUZZ_DIR) build-fuzz
