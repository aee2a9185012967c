#!/bin/sh
# The code figure of each target in cli/board_targets.c, measured again:
# the demo model's firmware (targets/build_firmware.sh) less what msf info
# counts besides code (constants, multipliers and shifts, tables) and less
# the embedded input. Run it after the runtime or the firmware changes and
# copy the figures into the table (targets.qemu fails when they drift 5%).
# usage: scripts/measure_code.sh [BUILD_DIR]   (default build; needs make deps-cross)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/tools/msf-demo-model" "$work/demo.tflite" "$work/demo.bin" >/dev/null
"$build/cli/msf" gen "$work/demo.tflite" -o "$work/gen" --input "$work/demo.bin" >/dev/null
input=$(wc -c <"$work/demo.bin")
for t in m4 m7 rv32; do
    flash=$(sh "$root/targets/build_firmware.sh" $t "$work/gen" model -o "$work/$t.elf" --ram 4M | sed -n 's/^msf: flash //p')
    json=$("$build/cli/msf" info "$work/demo.tflite" --target $t --json)
    total=$(echo "$json" | sed -n 's/.*"total":\([0-9]*\)}.*/\1/p')
    code=$(echo "$json" | sed -n 's/.*"code":\([0-9]*\),.*/\1/p')
    echo "$t: code $((flash - input - (total - code))) B (the table has $code B)"
done
