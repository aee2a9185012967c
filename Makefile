# Front door. `make demo` runs msf on the bundled demo model; `make test` runs
# every test: the release build, the AddressSanitizer + UBSan build, and a
# short run of each libFuzzer target (`make fuzz` runs them longer). Both
# install missing Debian packages first (scripts/install-deps.sh).

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD := build
ASAN := build-asan
FUZZ := build-fuzz
OUT := out

.PHONY: all deps deps-cross build demo test test-release test-asan test-fuzz fuzz bench space-bench mcu-bench kernel-bench calibrate clean

all: build

deps:
	@sh scripts/install-deps.sh host

# The cross compilers and QEMU, for the target tests.
deps-cross:
	@sh scripts/install-deps.sh cross

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p $(OUT)
	$(BUILD)/tools/msf-demo-model $(OUT)/demo.tflite $(OUT)/demo_input.bin
	$(BUILD)/cli/msf info $(OUT)/demo.tflite
	$(BUILD)/cli/msf run $(OUT)/demo.tflite --input $(OUT)/demo_input.bin --output $(OUT)/demo_layers.bin
	$(BUILD)/cli/msf plan $(OUT)/demo.tflite --min-ram --max-overhead 1.3 -o $(OUT)/demo_plan.json
	$(BUILD)/cli/msf run $(OUT)/demo.tflite --input $(OUT)/demo_input.bin --plan $(OUT)/demo_plan.json \
		--output $(OUT)/demo_output.bin
	cmp $(OUT)/demo_layers.bin $(OUT)/demo_output.bin
	@echo "fused plan: same output bytes as layer by layer, in $(OUT)/demo_output.bin"

test: test-release test-asan test-fuzz

# ctest's summary names skipped tests; ctest_skips.sh adds why.
test-release: build deps-cross
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS); rc=$$?; sh scripts/ctest_skips.sh $(BUILD); exit $$rc

test-asan: deps
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DMSF_SANITIZE=ON
	cmake --build $(ASAN) -j $(JOBS)
	ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS); rc=$$?; sh scripts/ctest_skips.sh $(ASAN); exit $$rc

# Every libFuzzer target (tests/fuzz) briefly, on fresh corpora.
test-fuzz: deps
	cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DMSF_FUZZ=ON -DMSF_SANITIZE=ON
	cmake --build $(FUZZ) -j $(JOBS) --target fuzzers
	ctest --test-dir $(FUZZ) --output-on-failure -L fuzz
	@cat $(FUZZ)/tests/fuzz/*/summary.txt

# Every libFuzzer target for FUZZ_SECONDS each, one after the other, each
# on its own corpus kept in out/fuzz/NAME (crashing inputs land there too);
# prints each target's runs and coverage at the end.
FUZZ_SECONDS ?= 600
fuzz: deps
	cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang -DMSF_FUZZ=ON -DMSF_SANITIZE=ON
	cmake --build $(FUZZ) -j $(JOBS) --target fuzzers
	MSF_FUZZ_OUT=$(abspath $(OUT))/fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) cmake --build $(FUZZ) -j 1 --target fuzz-soak

# Figures, not tests: every P1/P2 plan of every model checked (bytes, arena,
# MACs), then per-model settings with planned and measured RAM, MACs and
# host time, then the solver's speed.
REFERENCE_MODELS := $(wildcard ../shared/reference/models/*.tflite)
bench: build
	@mkdir -p $(OUT)
	$(BUILD)/tools/msf-demo-model $(OUT)/demo.tflite
	$(BUILD)/tests/test_fused_exact models/*.spec
	$(BUILD)/bench/bench_plans $(OUT)/demo.tflite models/*.spec $(REFERENCE_MODELS)
	$(BUILD)/bench/bench_solve
	$(BUILD)/tests/test_msfcnn_results || [ $$? -eq 77 ]

# msf space's speed on MCUNet's experiment: 108 configurations x 1000
# networks of the bundled mobile space, 320 KiB / 1 MiB, on one core; the
# last line is the rate (networks/s).
space-bench: build
	$(BUILD)/cli/msf space models/mcunet-mobile.space --ram 320KiB --flash 1024KiB --jobs 1 2>&1 >/dev/null | tr '\r' '\n' | tail -1

# The firmware of every model under several plans (layer by layer, min-RAM,
# P2) on m4, m7 and rv32 under QEMU, each output checked against msf run;
# writes BENCHMARKS.md (RAM, flash, exact instructions) and prints it.
mcu-bench: build deps-cross
	sh targets/mcu_bench.sh --msf $(BUILD)/cli/msf --demo-tool $(BUILD)/tools/msf-demo-model \
		--work $(OUT)/mcu-bench -o BENCHMARKS.md --via "make mcu-bench"

# msf's conv, depthwise and fully connected kernels against CMSIS-NN's
# instructions on every layer shape of MLPerf Tiny's ResNet-8 and VWW, on m7
# under QEMU (outputs checked against TFLite's arithmetic, DSP and portable).
kernel-bench: deps-cross
	sh bench/kernel_bench.sh --work $(OUT)/kernel-bench

# The time model's calibration: every block of several plans of every model
# measured under QEMU on m4, m7 and rv32, the coefficients fitted and
# written to plan/time_table.c (commit it); prints each plan's instructions
# measured and predicted.
calibrate: build deps-cross
	sh targets/calibrate.sh --msf $(BUILD)/cli/msf --tool $(BUILD)/tools/msf-time-calibrate \
		--demo-tool $(BUILD)/tools/msf-demo-model --work $(OUT)/calibrate -o plan/time_table.c --via "make calibrate"

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) $(OUT)
