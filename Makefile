# Thin wrapper over CMake presets: `make demo` and `make test` are all a newcomer needs.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all setup configure build test demo bench bench-gpu fuzz format clean

all: build

setup:
	@scripts/setup-deps

configure: setup
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# CTEST_ARGS: more ctest options, e.g. CTEST_ARGS="-E '^Networks/'" (.ci/run's debug suite).
test: build
	@ctest --preset $(PRESET) $(CTEST_ARGS)

demo: build
	@scripts/demo $(BUILD_DIR)/tools/rnncc

bench: build
	@scripts/run-bench $(BUILD_DIR)

bench-gpu: build
	@scripts/run-bench-gpu $(BUILD_DIR)

# libFuzzer targets (build/fuzz, clang-14), each run for FUZZ_SECONDS: docs/fuzzing.md.
FUZZ_SECONDS ?= 60
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/run-fuzz

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	@rm -rf build
