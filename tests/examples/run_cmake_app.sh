#!/bin/sh
# examples/cmake_host as a user builds it: a CMake project adding msf with
# add_subdirectory and its model with msf_add_model (msf gen at build time,
# labels, a min-RAM plan); its top class must be the one `msf run` gives.
# usage: run_cmake_app.sh MSF DEMO_MODEL_TOOL SOURCE_DIR WORK_DIR
set -u
msf=$1 make_demo=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"
. "$(dirname "$0")/top_class.sh"

"$make_demo" "$work/demo.tflite" || { echo "FAIL cannot write the demo model"; exit 1; }
if cmake -S "$src/examples/cmake_host" -B "$work/build" -DMSF_DIR="$src" -DMODEL="$work/demo.tflite" \
    >"$work/cmake.log" 2>&1 && cmake --build "$work/build" -j 2 --target app >>"$work/cmake.log" 2>&1; then
    pass
else
    fail "the example does not build: $(tail -8 "$work/cmake.log")"
fi
grep -q "msf gen .*demo.tflite --min-ram --max-overhead 20%" "$work/cmake.log" && pass ||
    fail "msf gen did not run at build time"
pattern_input 6912 "$work/input.bin"
"$msf" run "$work/demo.tflite" --input "$work/input.bin" --output "$work/out.bin" --min-ram --max-overhead 20% >/dev/null
top=$(top_class "$work/out.bin")
label=$(sed -n "$((top + 1))p" "$src/examples/m4_app/labels.txt")
"$work/build/app" "$work/input.bin" >"$work/app.txt" 2>&1
grep -q "^app: top class $top ($label), score " "$work/app.txt" && pass ||
    fail "the application's answer is not class $top ($label): $(cat "$work/app.txt")"
cat "$work/app.txt"
# A changed model is generated again on the next build.
touch "$work/demo.tflite"
cmake --build "$work/build" --target app >"$work/rebuild.log" 2>&1 && grep -q "msf gen" "$work/rebuild.log" && pass ||
    fail "a changed model was not generated again"
finish
