#!/bin/sh
# The msf command as a user meets it, on the bundled demo model: exit codes,
# messages for bad usage and bad input, outputs written whole or not at all,
# and truncated or corrupted model files refused with exit 2.
# usage: run_cli_tests.sh MSF DEMO_MODEL_TOOL WORK_DIR
set -u
msf=$1 make_demo=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

model=$work/demo.tflite input=$work/demo_input.bin
"$make_demo" "$model" "$input" || { echo "FAIL cannot write the demo model"; exit 1; }

expect 0 "" "help" -- "$msf" --help
expect 0 "" "info help" -- "$msf" info --help
expect 0 "" "run help" -- "$msf" run --help
expect 2 "unknown command 'frobnicate'" "unknown command" -- "$msf" frobnicate
[ "$(wc -l <"$work/stderr")" -eq 2 ] && grep -q "^Run 'msf --help' for usage" "$work/stderr" && pass ||
    fail "unknown command: not a message and a one-line hint: $(cat "$work/stderr")"
expect 2 "no command given" "no command" -- "$msf"
# Usage errors: the message and a one-line hint, never the whole help.
for cmd in info plan run gen export; do
    expect 2 "unexpected argument '--bogus'" "$cmd bad option" -- "$msf" $cmd "$model" --bogus
    [ "$(wc -l <"$work/stderr")" -eq 2 ] && grep -q "^Run 'msf $cmd --help' for usage" "$work/stderr" && pass ||
        fail "$cmd usage error: not a message and a one-line hint: $(cat "$work/stderr")"
done
# Each command's help lists only its options: --cost is msf plan's.
expect 0 "" "plan help" -- "$msf" plan --help
grep -q -- "--cost" "$work/stdout" && pass || fail "plan help lacks --cost"
for cmd in run gen; do
    expect 0 "" "$cmd help" -- "$msf" $cmd --help
    grep -q -- "--cost\|--pareto\|--plot" "$work/stdout" && fail "$cmd help lists another command's option" || pass
done
expect 2 "no MODEL" "info without model" -- "$msf" info
expect 2 "unexpected argument" "info bad option" -- "$msf" info "$model" --bogus
expect 2 "cannot open" "missing model" -- "$msf" info "$work/nope.tflite"
expect 2 "--input is required" "run without input" -- "$msf" run "$model"
expect 2 "needs a value" "option without value" -- "$msf" run "$model" --input
expect 0 "" "info" -- "$msf" info "$model"
expect 0 "" "info json" -- "$msf" info "$model" --json
grep -q '"peak_ram":' "$work/stdout" && pass || fail "info --json lacks peak_ram"
# The analysis report: I/O with shapes as numbers, per-layer MAC shares
# adding up to 1, kernels as arrays, the flash estimate; KiB in the table.
grep -q '"inputs":\[{"index":0,"name":"input","type":"int8","shape":\[1,48,48,3\],"scale":0.00392156886,"zero_point":-128,"bytes":6912}\]' \
    "$work/stdout" && pass || fail "info --json inputs: $(head -c 300 "$work/stdout")"
grep -q '"kernel":\[3,3\],"stride":\[2,2\]' "$work/stdout" && pass || fail "info --json kernel not numeric"
share=$(grep -o '"macs_share":[0-9.]*' "$work/stdout" | cut -d: -f2 | awk '{ s += $1 } END { printf "%.3f", s }')
[ "$share" = "1.000" ] && pass || fail "info MAC shares add up to $share"
grep -q '"flash":{"target":"m4","constants":[0-9]*,"params":[0-9]*,"tables":[0-9]*,"code":[0-9]*,"total":[0-9]*}' \
    "$work/stdout" && pass || fail "info --json flash"
expect 0 "" "info table" -- "$msf" info "$model" --target rv32
grep -q "^input  0  int8    1x48x48x3" "$work/stdout" && grep -q "^output 0  int8    1x10" "$work/stdout" && pass ||
    fail "info lacks the I/O lines"
grep -q "^peak RAM, layer by layer, input held *59904 B *58.50 KiB" "$work/stdout" && pass || fail "info: no KiB"
grep -q "^flash, estimated for rv32" "$work/stdout" && pass || fail "info --target rv32"
expect 2 "--target takes one of m4, m7, rv32, not 'z80'" "info bad target" -- "$msf" info "$model" --target z80

expect 0 "" "run" -- "$msf" run "$model" --input "$input" --output "$work/out.bin" --json
grep -q '"arena_high_water":' "$work/stdout" && pass || fail "run --json lacks arena_high_water"
[ -s "$work/out.bin" ] && pass || fail "run wrote no output"

# --dump: every activation tensor and an index line for each, the output
# tensor's bytes those of the run; a fused plan dumps the same bytes.
expect 0 "" "run --dump" -- "$msf" run "$model" --input "$input" --output "$work/dumped_out.bin" --dump "$work/dump/a"
lines=$(grep -vc '^#' "$work/dump/a/index.txt")
[ "$lines" -eq "$(ls "$work/dump/a" | grep -c '^t[0-9]*\.bin$')" ] && [ "$lines" -gt 15 ] && pass ||
    fail "--dump: $lines index lines, $(ls "$work/dump/a" | wc -l) files"
sizes_ok=1
while IFS="$(printf '\t')" read -r idx type bytes rest; do
    case $idx in \#*) continue ;; esac
    [ "$(wc -c <"$work/dump/a/t$idx.bin")" -eq "$bytes" ] || sizes_ok=0
done <"$work/dump/a/index.txt"
[ $sizes_ok -eq 1 ] && pass || fail "--dump: a file's size differs from its index line"
last=$(grep -v '^#' "$work/dump/a/index.txt" | grep "SOFTMAX" | cut -f1)
cmp -s "$work/dump/a/t$last.bin" "$work/dumped_out.bin" && pass || fail "--dump: the output tensor differs from the output"
grep -q "^0	INT8	6912	\[1,48,48,3\]	input	-1	GRAPH_INPUT	0.003921568859368563	-128$" "$work/dump/a/index.txt" && pass ||
    fail "--dump: index line of the input: $(sed -n 2p "$work/dump/a/index.txt")"
expect 0 "" "run --dump fused" -- "$msf" run "$model" --input "$input" --min-ram --streamed-input --dump "$work/dump/b"
diff -r "$work/dump/a" "$work/dump/b" >/dev/null && pass || fail "--dump under a fused plan differs"
touch "$work/dump/file"
expect 2 "is not a folder" "--dump onto a file" -- "$msf" run "$model" --input "$input" --dump "$work/dump/file"

head -c 10 "$input" >"$work/short.bin"
expect 2 "bytes, the model's input needs" "input of the wrong size" -- "$msf" run "$model" --input "$work/short.bin" --output "$work/never.bin"
[ ! -e "$work/never.bin" ] && pass || fail "output written after an error"
expect 1 "cannot write" "unwritable output" -- "$msf" run "$model" --input "$input" --output "$work/no/such/dir/out.bin"

# Plans: made, written, run back with identical output bytes; refused for
# another model, when malformed, or when they do not cover the layers.
expect 0 "" "run layer by layer" -- "$msf" run "$model" --input "$input" --output "$work/vanilla.bin"
expect 0 "" "plan min-ram" -- "$msf" plan "$model" --min-ram --max-overhead 1.3 -o "$work/plan.json"
expect 0 "" "run the plan" -- "$msf" run "$model" --input "$input" --plan "$work/plan.json" --output "$work/planned.bin" --json
cmp -s "$work/vanilla.bin" "$work/planned.bin" && pass || fail "planned output differs"
hw=$(sed -n 's/.*"arena_high_water":\([0-9]*\).*/\1/p' "$work/stdout")
planned=$(sed -n 's/.*"planned_peak_ram":\([0-9]*\).*/\1/p' "$work/stdout")
[ -n "$hw" ] && [ "$hw" = "$planned" ] && pass || fail "high-water $hw != planned $planned"
expect 0 "" "run min-macs on the fly" -- "$msf" run "$model" --input "$input" --min-macs --max-ram 40kB --streamed-input --output "$work/p2.bin"
cmp -s "$work/vanilla.bin" "$work/p2.bin" && pass || fail "P2 output differs"
expect 0 "" "pareto" -- "$msf" plan "$model" --pareto -o "$work/front.csv"
[ "$(head -1 "$work/front.csv")" = "peak_ram_bytes,macs,overhead,blocks" ] && pass || fail "pareto CSV header"
expect 0 "" "pareto plot" -- "$msf" plan "$model" --pareto --streamed-input --plot "$work/front.png"
[ "$(head -c 4 "$work/front.png" | od -An -c | tr -d ' ')" = "211PNG" ] && pass || fail "pareto plot is not a PNG"
# The front drawn by msf itself as SVG: the model's name, steps in KiB, the
# baselines; not gnuplot's PNG under an .svg name.
expect 0 "" "pareto svg" -- "$msf" plan "$model" --pareto --plot "$work/front.svg"
head -c 4 "$work/front.svg" | grep -q "<svg" && grep -q "demo.tflite: Pareto front" "$work/front.svg" &&
    grep -q "peak RAM (KiB)" "$work/front.svg" && grep -q "msf-CNN space (H-cache)" "$work/front.svg" && pass ||
    fail "pareto svg: $(head -c 200 "$work/front.svg")"
# msf report: one self-contained page (no scripts, nothing fetched), both
# figures inline, the fit; names escaped; the format follows the file name.
cp "$model" "$work/a<b>&.tflite"
expect 0 "" "report" -- "$msf" report "$work/a<b>&.tflite" -o "$work/report.html" --max-overhead 20%
[ "$(grep -o "<svg" "$work/report.html" | wc -l)" -eq 2 ] && pass || fail "report: not two inline figures"
grep -q "<script\|src=\|href=" "$work/report.html" && fail "report refers to something outside the page" || pass
grep -q "msf report: a&lt;b&gt;&amp;.tflite" "$work/report.html" && ! grep -q "a<b>" "$work/report.html" && pass ||
    fail "report: the model's name is not escaped"
grep -q "fits: [0-9]* B of RAM and [0-9]* B of flash free" "$work/report.html" && grep -q "this plan" "$work/report.html" && pass ||
    fail "report lacks the fit or the plan"
printf 'input 64x64x8\nconv k=3 c=8\n' >"$work/big_input.spec"
expect 0 "" "report on rv32" -- "$msf" report "$work/big_input.spec" -o "$work/report16.html" --target rv32 --min-ram
grep -q "does not fit: over by [0-9]* B of RAM" "$work/report16.html" && grep -q "stack (predicted)" "$work/report16.html" &&
    pass || fail "report: a 32 KiB input fits 16 KiB?"
expect 3 "no plan fits" "report for rv32, no plan fits" -- "$msf" report "$work/big_input.spec" -o "$work/r.html" --target rv32
expect 2 "name it FILE.html" "report as .pdf" -- "$msf" report "$model" -o "$work/report.pdf"
expect 2 "--target takes one of" "report bad target" -- "$msf" report "$model" -o "$work/r.html" --target pdp11
expect 2 "--pareto is for msf plan" "report --pareto" -- "$msf" report "$model" -o "$work/r.html" --pareto
expect 3 "no plan fits" "report infeasible" -- "$msf" report "$model" -o "$work/r.html" --min-macs --max-ram 1K
[ ! -e "$work/r.html" ] && pass || fail "report written after an error"
# Whole-board budgets: the fit line (arena + predicted stack + static RAM,
# estimated flash); a board alone asks for the least MACs that fit it.
expect 0 "" "plan for m4" -- "$msf" plan "$model" --target m4
grep -q "^m4: fits: [0-9]* B of RAM and [0-9]* B of flash free (RAM: arena [0-9]* + stack 3584 + static 32 = " \
    "$work/stdout" && pass || fail "plan --target m4: no fit line: $(tail -1 "$work/stdout")"
expect 0 "" "plan --ram-total" -- "$msf" plan "$model" --min-ram --ram-total 8K --flash 32K
grep -q "^board: does not fit: over by [0-9]* B of RAM and [0-9]* B of flash" "$work/stdout" && pass ||
    fail "plan --ram-total 8K: $(tail -1 "$work/stdout")"
expect 0 "" "plan --ram-total, no flash" -- "$msf" plan "$model" --min-ram --ram-total 1M
grep -q "^board: fits: [0-9]* B of RAM free (flash not checked: no --flash)" "$work/stdout" && pass ||
    fail "plan --ram-total 1M: $(tail -1 "$work/stdout")"
expect 0 "" "P2 for 16 KiB" -- "$msf" plan "$model" --ram-total 16K
arena=$(sed -n 's/.*(RAM: arena \([0-9]*\) + stack \([0-9]*\) + static \([0-9]*\) = \([0-9]*\) of 16384 B.*/\4/p' "$work/stdout")
[ -n "$arena" ] && [ "$arena" -le 16384 ] && grep -q "^board: fits" "$work/stdout" && pass ||
    fail "plan --ram-total 16K: $(tail -1 "$work/stdout")"
expect 3 "no plan fits" "a board too small" -- "$msf" plan "$model" --ram-total 4K
grep -q "board: 4096 B of RAM less the fused-block stack" "$work/stderr" && pass || fail "a board too small: $(cat "$work/stderr")"
expect 0 "" "gen for rv32" -- "$msf" gen "$model" -o "$work/gen_rv32" --target rv32 --streamed-input
grep -q "^rv32: fits: " "$work/stdout" && pass || fail "gen --target rv32: $(cat "$work/stdout")"
# A min-RAM plan within an overhead that does not fit: the overhead that would.
expect 0 "" "F = 1 on 16 KiB" -- "$msf" plan "$model" --min-ram --max-overhead 1 --ram-total 16K
f=$(sed -n 's/^  --max-overhead \([0-9.]*\) (or the board alone.*would fit.*/\1/p' "$work/stdout")
[ -n "$f" ] && pass || fail "no overhead hint: $(tail -2 "$work/stdout")"
expect 0 "" "the overhead named" -- "$msf" plan "$model" --min-ram --max-overhead "$f" --ram-total 16K
grep -q "^board: fits" "$work/stdout" && pass || fail "--max-overhead $f does not fit: $(tail -2 "$work/stdout")"
expect 0 "" "layer by layer on rv32" -- "$msf" plan "$model" --layers --target rv32
grep -q "^rv32: does not fit: over by [0-9]* B of RAM (RAM: arena 59904 + stack 2048 + " "$work/stdout" && pass ||
    fail "plan --layers --target rv32: $(tail -1 "$work/stdout")"
expect 2 "contradicts" "--layers with --min-ram" -- "$msf" plan "$model" --layers --min-ram
expect 2 "--target takes one of m4, m7, rv32, not 'z80'" "plan bad target" -- "$msf" plan "$model" --target z80
expect 2 "choose one" "--target and --ram-total" -- "$msf" plan "$model" --target m4 --ram-total 1M
expect 2 "--flash goes with --ram-total" "--flash alone" -- "$msf" plan "$model" --min-ram --flash 1M
expect 2 "--ram-total takes" "bad --ram-total" -- "$msf" plan "$model" --ram-total lots
expect 2 "leave out the board" "--pareto with a board" -- "$msf" plan "$model" --pareto --ram-total 64K
expect 2 "draws the front in MACs" "--pareto --plot with a target" -- "$msf" plan "$model" --pareto --target m4 --plot "$work/t.svg"
# With a target, compute is the time model's predicted instructions: the
# front's CSV and the plan file carry them, and a plan prints their total.
expect 0 "" "--pareto with a target" -- "$msf" plan "$model" --pareto --target m4
head -1 "$work/stdout" | grep -qx "peak_ram_bytes,macs,instructions,overhead,blocks" && pass ||
    fail "--pareto --target m4: header $(head -1 "$work/stdout")"
expect 0 "" "plan with a target" -- "$msf" plan "$model" --min-ram --max-overhead 1.1 --target m7 -o "$work/timed.json"
grep -q '"target":"m7","instructions":[0-9]*,"vanilla_instructions":[0-9]*,"block_instructions":\[' "$work/timed.json" &&
    grep -q "^m7: instructions predicted [0-9]*, layer by layer [0-9]* (overhead 1\.0[0-9]*\|^m7: instructions predicted [0-9]*, layer by layer [0-9]* (overhead 0\." "$work/stdout" && pass ||
    fail "plan --target m7: no predicted instructions, or over 1.1x: $(cat "$work/stdout")"
expect 0 "" "run a plan with its instructions" -- "$msf" run "$model" --input "$input" --plan "$work/timed.json" --output "$work/timed.bin"
expect 2 "needs --max-ram" "min-macs without max-ram" -- "$msf" plan "$model" --min-macs
expect 2 "takes bytes, or with K, M" "bad size" -- "$msf" plan "$model" --min-macs --max-ram 12parsecs
# Sizes with binary and decimal suffixes, overheads as percentages.
for size in 40K 40KiB 40960 40960B 0.05M; do
    code=0; [ "$size" = 0.05M ] && code=2
    expect $code "" "--max-ram $size" -- "$msf" plan "$model" --min-macs --max-ram "$size" --json
    [ $code -ne 0 ] || grep -q '"peak_ram":' "$work/stdout" && pass || fail "--max-ram $size: no plan"
done
"$msf" plan "$model" --min-macs --max-ram 40K --json >"$work/k.json" 2>/dev/null
"$msf" plan "$model" --min-macs --max-ram 40960 --json >"$work/b.json" 2>/dev/null
cmp -s "$work/k.json" "$work/b.json" && pass || fail "40K is not 40960 bytes"
"$msf" plan "$model" --min-macs --max-ram 1M --json >"$work/m.json" 2>/dev/null
"$msf" plan "$model" --min-macs --max-ram 1048576 --json >"$work/b.json" 2>/dev/null
cmp -s "$work/m.json" "$work/b.json" && pass || fail "1M is not 1048576 bytes"
"$msf" plan "$model" --min-ram --max-overhead 30% --json >"$work/pct.json" 2>/dev/null
"$msf" plan "$model" --min-ram --max-overhead 1.3 --json >"$work/f.json" 2>/dev/null
[ -s "$work/pct.json" ] && cmp -s "$work/pct.json" "$work/f.json" && pass || fail "--max-overhead 30% is not 1.3"
expect 2 "percentage" "bad overhead" -- "$msf" plan "$model" --min-ram --max-overhead 20%%
expect 2 "percentage" "overhead below 1" -- "$msf" plan "$model" --min-ram --max-overhead 0.5
expect 2 "choose --min-ram" "plan without a goal" -- "$msf" plan "$model"
expect 3 "no plan fits" "infeasible P2" -- "$msf" plan "$model" --min-macs --max-ram 10
# Infeasible is an answer: the least RAM under the same options, which is
# then feasible, and which ways of streaming would fit the budget.
least=$(sed -n 's/.*the least RAM any plan needs with these options: \([0-9]*\) B.*/\1/p' "$work/stderr")
[ -n "$least" ] && pass || fail "infeasible P2: no least RAM: $(cat "$work/stderr")"
expect 0 "" "P2 at the least RAM" -- "$msf" plan "$model" --min-macs --max-ram "$least" --json
expect 3 "no plan fits" "P2 just below the least RAM" -- "$msf" plan "$model" --min-macs --max-ram $((least - 1))
streamed=$(sed -n 's/.*with --streamed-input --streamed-output: least \([0-9]*\) B.*/\1/p' "$work/stderr")
[ -n "$streamed" ] && [ "$streamed" -lt "$least" ] && pass || fail "no smaller streamed figure: $(cat "$work/stderr")"
expect 3 "with --streamed-input --streamed-output: least $streamed B .*: fits" "streaming named as fitting" -- \
    "$msf" plan "$model" --min-macs --max-ram $((streamed + (least - streamed) / 2))
expect 0 "" "the streaming named fits" -- "$msf" plan "$model" --min-macs --max-ram $((streamed + (least - streamed) / 2)) \
    --streamed-input --streamed-output
expect 3 "no plan fits" "run: infeasible" -- "$msf" run "$model" --input "$input" --min-macs --max-ram 1K
expect 3 "the least RAM" "gen: infeasible" -- "$msf" gen "$model" -o "$work/never" --min-macs --max-ram 1K
[ ! -e "$work/never" ] && pass || fail "gen made its folder for an infeasible plan"
sed 's/"model_hash":"[0-9a-f]*"/"model_hash":"0123456789abcdef"/' "$work/plan.json" >"$work/other.json"
expect 2 "made for another model" "plan of another model" -- "$msf" run "$model" --input "$input" --plan "$work/other.json"
head -c 40 "$work/plan.json" >"$work/cut.json"
expect 2 "malformed JSON\|truncated" "truncated plan" -- "$msf" run "$model" --input "$input" --plan "$work/cut.json"
sed 's/"blocks":\[\[0,[0-9]*\]/"blocks":[[1,1]/' "$work/plan.json" >"$work/gap.json"
expect 2 "does not continue" "plan with a gap" -- "$msf" run "$model" --input "$input" --plan "$work/gap.json"
expect 2 "no such\|cannot open" "missing plan" -- "$msf" run "$model" --input "$input" --plan "$work/none.json"
# A plan file fusing a pool whose window is the map but which is no global
# pool (SAME, stride 1 on a map 2 high: 2x1 outputs) runs it as a pool.
printf 'input 2x8x3\nconv k=1 c=32 act=relu\navgpool k=2x8 s=1x8\n' >"$work/pool.spec"
head -c 48 "$input" >"$work/pool_input.bin"
expect 0 "" "plan of the pool spec" -- "$msf" plan "$work/pool.spec" --min-ram -o "$work/pool.json"
# Blocks edited by hand: the figures msf recorded for the old blocks go too
# (a plan file's figures must be what its blocks give).
sed 's/"peak_ram":[0-9]*,"macs":[0-9]*,//; s/"blocks":.*$/"blocks":[[0,1]]}/' "$work/pool.json" >"$work/pool_fused.json"
grep -q '"blocks":\[\[0,1\]\]' "$work/pool_fused.json" && pass || fail "cannot edit the pool plan"
expect 0 "" "pool layer by layer" -- "$msf" run "$work/pool.spec" --input "$work/pool_input.bin" --output "$work/pool_layers.bin"
expect 0 "" "pool fused by a plan file" -- "$msf" run "$work/pool.spec" --input "$work/pool_input.bin" --plan "$work/pool_fused.json" --output "$work/pool_fused.bin" --json
cmp -s "$work/pool_layers.bin" "$work/pool_fused.bin" && pass || fail "fused pool output differs"
hw=$(sed -n 's/.*"arena_high_water":\([0-9]*\).*/\1/p' "$work/stdout")
planned=$(sed -n 's/.*"planned_peak_ram":\([0-9]*\).*/\1/p' "$work/stdout")
[ -n "$hw" ] && [ "$hw" = "$planned" ] && pass || fail "fused pool high-water $hw != planned $planned"
sed 's/"streamed_input":false/"streamed_input":true/; s/"input_rows":false/"input_rows":true/' "$work/plan.json" >"$work/two_ways.json"
expect 2 "streaming does not fit" "plan streaming the input two ways" -- "$msf" run "$model" --input "$input" --plan "$work/two_ways.json"

# msf-CNN's analytic accounting: a plan of one of its chains (its published
# F=inf peak), the demo model refused (not a chain), msf run refused.
chain=$(dirname "$0")/../../models/mn2-vww5-r80.spec
expect 0 "" "plan --cost msfcnn" -- "$msf" plan "$chain" --cost msfcnn --min-ram --json
grep -q '^{"cost":"msfcnn",.*"peak_ram":12000,' "$work/stdout" && pass || fail "msfcnn F=inf peak"
expect 2 "covers chains" "msfcnn on a non-chain" -- "$msf" plan "$model" --cost msfcnn --min-ram
expect 2 "unexpected argument '--cost'" "run --cost msfcnn" -- "$msf" run "$chain" --input "$input" --cost msfcnn --min-ram
expect 2 "takes exact or msfcnn" "bad --cost" -- "$msf" plan "$chain" --cost tvm --min-ram

# Truncated and byte-flipped models: refused with exit 2 and a message, or
# (a flip that leaves a valid model) run; never a crash.
size=$(wc -c <"$model")
for cut in 0 4 8 16 64 200 1000 $((size / 2)) $((size - 1)); do
    head -c "$cut" "$model" >"$work/cut.tflite"
    expect 2 "msf: " "model truncated to $cut bytes" -- "$msf" info "$work/cut.tflite"
done
offset=0
while [ "$offset" -lt 2000 ] && [ "$offset" -lt "$size" ]; do
    cp "$model" "$work/flip.tflite"
    printf '\377' | dd of="$work/flip.tflite" bs=1 seek="$offset" conv=notrunc 2>/dev/null
    "$msf" run "$work/flip.tflite" --input "$input" --output "$work/flip.bin" >/dev/null 2>"$work/stderr"
    rc=$?
    if [ "$rc" -ne 0 ] && { [ "$rc" -ne 2 ] || ! grep -q "msf: " "$work/stderr"; }; then
        fail "byte $offset set to 0xff: exit $rc: $(head -c 300 "$work/stderr")"
    else
        pass
    fi
    offset=$((offset + 7))
done


# msf-CNN's space (H-cache, a row a step) as the plan's baseline, its least
# RAM at any MACs: msf's own space holds it, so msf's least RAM is no more.
printf 'input 24x24x8\ndw k=3 act=relu\npw c=8\ndw k=3 act=relu\npw c=8\n' >"$work/chain.spec"
expect 0 "" "plan with msf-CNN's space" -- "$msf" plan "$work/chain.spec" --min-ram --streamed-input --streamed-output --json
ours=$(sed -n 's/^{[^{]*"peak_ram":\([0-9]*\).*/\1/p' "$work/stdout")
paper=$(sed -n 's/.*"msfcnn_space":{"peak_ram":\([0-9]*\).*/\1/p' "$work/stdout")
[ -n "$ours" ] && [ -n "$paper" ] && [ "$ours" -le "$paper" ] && pass ||
    fail "msf's space ($ours B) against msf-CNN's ($paper B)"
expect 0 "" "plan printed with msf-CNN's space" -- "$msf" plan "$work/chain.spec" --min-ram --streamed-input --streamed-output
grep -q "^msf-CNN space (H-cache) *$paper " "$work/stdout" && pass || fail "no msf-CNN space line: $(cat "$work/stdout")"

finish
