#!/bin/sh
# examples/m4_app as a user runs it: its Makefile generates the demo model
# with labels and a min-RAM plan, builds the firmware and runs it under QEMU;
# the top class it prints must be the one `msf run` gives for the same input.
# Skips (exit 77) without the cross compiler or QEMU.
# usage: run_m4_app.sh MSF DEMO_MODEL_TOOL SOURCE_DIR WORK_DIR
set -u
msf=$1 make_demo=$2 src=$3 work=$4
for tool in arm-none-eabi-gcc qemu-system-arm make timeout; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool not installed (scripts/install-deps.sh cross)"; exit 77; }
done
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"
. "$(dirname "$0")/top_class.sh"

"$make_demo" "$work/demo.tflite" || { echo "FAIL cannot write the demo model"; exit 1; }
if timeout 300 make -C "$src/examples/m4_app" run MSF="$msf" MSF_DIR="$src" MODEL="$work/demo.tflite" \
    BUILD="$work/build" PLAN="--min-ram --max-overhead 20%" >"$work/make.log" 2>&1; then
    pass
else
    fail "make run: $(tail -5 "$work/make.log")"
fi
pattern_input 6912 "$work/input.bin"
"$msf" run "$work/demo.tflite" --input "$work/input.bin" --output "$work/out.bin" --min-ram --max-overhead 20% >/dev/null
top=$(top_class "$work/out.bin")
label=$(sed -n "$((top + 1))p" "$src/examples/m4_app/labels.txt")
grep -q "^app: top class $top ($label), score [0-9]*/1000$" "$work/make.log" && pass ||
    fail "the firmware's answer is not class $top ($label): $(grep '^app:' "$work/make.log")"
grep '^app:' "$work/make.log"
finish
