#!/bin/sh
# msf with architecture specs, as a user meets it: info and run take a
# .spec where they take a .tflite; export writes the same network as a
# .tflite (info prints the same table, run the same output bytes); a bad
# spec is refused with its file and line, exit 2.
# usage: run_spec_cli.sh MSF MODELS_DIR WORK_DIR
set -u
msf=$1 models=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

check() {
    if eval "$2"; then pass; else fail "$1"; fi
}

for spec in mbv2-w035-r144:18909490 mn2-vww5-r80:11578496 mn2-320k-r176:81625520 mobilenetv3-small-r224:56510400; do
    name=${spec%%:*} macs=${spec#*:}
    expect 0 "" "info $name" -- "$msf" info "$models/$name.spec"
    check "$name: MACs $macs" "grep -qx 'MACs: $macs' '$work/stdout'"
done

spec=$models/mobilenetv2-w035-r144.spec
expect 0 "" "export help" -- "$msf" export --help
expect 0 "" "export" -- "$msf" export "$spec" -o "$work/mbv2.tflite"
expect 0 "" "export --output=" -- "$msf" export --output="$work/again.tflite" "$spec"
check "export is deterministic" "cmp -s '$work/mbv2.tflite' '$work/again.tflite'"
"$msf" info "$spec" >"$work/info_spec.txt" 2>&1
"$msf" info "$work/mbv2.tflite" >"$work/info_tflite.txt" 2>&1
check "info of the spec and of its export agree" "cmp -s '$work/info_spec.txt' '$work/info_tflite.txt'"

head -c 62208 /dev/zero | tr '\000' '\141' >"$work/input.bin"
expect 0 "" "run the spec" -- "$msf" run "$spec" --input "$work/input.bin" --output "$work/out_spec.bin"
expect 0 "" "run the export" -- "$msf" run "$work/mbv2.tflite" --input "$work/input.bin" --output "$work/out_tflite.bin"
check "spec and export give the same output" "cmp -s '$work/out_spec.bin' '$work/out_tflite.bin'"
check "1000 output bytes" "[ \$(wc -c <'$work/out_spec.bin') -eq 1000 ]"

printf 'input 8x8x3\npw c=4\n\nconvv k=3\n' >"$work/bad.spec"
expect 2 "$work/bad.spec:4: unknown layer type 'convv'" "info of a bad spec" -- "$msf" info "$work/bad.spec"
expect 2 "$work/bad.spec:4: unknown layer type 'convv'" "run of a bad spec" -- "$msf" run "$work/bad.spec" --input "$work/input.bin"
expect 2 "$work/bad.spec:4: unknown layer type 'convv'" "export of a bad spec" -- "$msf" export "$work/bad.spec" -o "$work/never.tflite"
check "nothing written after an error" "[ ! -e '$work/never.tflite' ]"
expect 2 "cannot open" "missing spec" -- "$msf" info "$work/nope.spec"

# A squeeze-excite MUL whose gate has other channels than its map: info and
# plan name the line, exit 2.
printf 'input 8x8x3\npw c=8 name=a\ngap\nfc c=4 act=logistic\nmul from=a\n' >"$work/se.spec"
expect 2 "$work/se.spec:5: mul: 'a' has 8 channels, the current vector 4" "info of a bad mul" -- "$msf" info "$work/se.spec"
expect 2 "$work/se.spec:5: mul: 'a' has 8 channels" "plan of a bad mul" -- "$msf" plan "$work/se.spec" --min-ram

# An NCHW input (layout=nchw: a TRANSPOSE to NHWC first): planned and run
# with the input held or streamed; --input-rows is refused (a row of NCHW is
# a row of one channel); a bad layout names its line.
printf 'input 8x6x3 layout=nchw\nconv k=3 s=2 c=4\n' >"$work/nchw.spec"
head -c 144 /dev/zero | tr '\000' '\141' >"$work/nchw.bin"
expect 0 "" "run of an NCHW input, streamed" -- "$msf" run "$work/nchw.spec" --input "$work/nchw.bin" --min-ram --streamed-input
expect 2 "the input is NCHW" "--input-rows with an NCHW input" -- "$msf" plan "$work/nchw.spec" --min-ram --input-rows
printf 'input 8x6x3 layout=chwn\n' >"$work/layout.spec"
expect 2 "$work/layout.spec:1: layout: 'chwn' is not nhwc or nchw" "a bad layout" -- "$msf" info "$work/layout.spec"
expect 2 "-o OUT.tflite is required" "export without -o" -- "$msf" export "$spec"
expect 2 "no SPEC given" "export without a spec" -- "$msf" export -o "$work/x.tflite"
expect 2 "needs a value" "-o without a value" -- "$msf" export "$spec" -o
expect 2 "unexpected argument" "export with two specs" -- "$msf" export "$spec" "$spec" -o "$work/x.tflite"
expect 1 "cannot write" "export to an unwritable place" -- "$msf" export "$spec" -o "$work/no/such/dir/x.tflite"

finish
