#!/bin/sh
# msf's limits on work (README, Limits): a model of 100,000 operators
# analysed and planned in seconds (the quadratic analyses took 3 and 7
# minutes), one over the operator limit refused, a 34-byte spec asking
# 130 GMAC refused by the commands that plan or run it unless --max-macs
# allows it, a plan needing more MACs than the model refused the same way,
# over 4 GiB alive at once refused as a limit (exit 2) by every command, and
# so are thousands of tensors alive together (the layout's work).
# usage: run_limit_tests.sh MSF LIMIT_MODELS_TOOL WORK_DIR
set -u
msf=$1 make_model=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

# A bound far above the seconds these take, far below the minutes the
# quadratic analyses took: no flake on a loaded machine, and no hang.
# Planning the chain takes 6 s in the release build, 36 s alone under
# AddressSanitizer (measured 2026-12-02), more beside other tests.
bound=120

chain=$work/chain100k.tflite
"$make_model" chain 100000 "$chain" || { echo "FAIL cannot write the 100,000-operator model"; exit 1; }
expect 0 "" "info of 100,000 operators within ${bound} s" -- timeout $bound "$msf" info "$chain"
grep -q "^layers: 100000$" "$work/stdout" && pass || fail "info does not list 100,000 layers"
grep -q "^peak RAM, layer by layer, input held *96 B" "$work/stdout" && pass || fail "info's peak RAM of the chain"
expect 0 "" "plan --min-ram of 100,000 operators within ${bound} s" -- \
    timeout $bound "$msf" plan "$chain" --min-ram --json
# 46 B: each residual unit a block writing its output over its input.
grep -q '"peak_ram":46,"macs":4800000,' "$work/stdout" && pass || fail "the chain's plan: $(head -c 200 "$work/stdout")"
expect 0 "" "pareto of 100,000 operators within ${bound} s" -- timeout $bound "$msf" plan "$chain" --pareto
rm -f "$chain"

"$make_model" chain 200001 "$work/over.tflite" || { echo "FAIL cannot write the 200,001-operator model"; exit 1; }
expect 2 "200001 operators, over msf's limit of 200000" "operator limit, info" -- \
    timeout $bound "$msf" info "$work/over.tflite"
expect 2 "over msf's limit of 200000" "operator limit, plan" -- timeout $bound "$msf" plan "$work/over.tflite" --min-ram
rm -f "$work/over.tflite"

# 2048x2048x16 by an 11x11 convolution of 16 channels: 129,922,760,704 MACs.
bomb=$work/bomb.spec
printf 'input 2048x2048x16\nconv k=11 c=16\n' >"$bomb"
[ "$(wc -c <"$bomb")" -eq 34 ] && pass || fail "the MAC bomb is not 34 bytes"
expect 2 "raise it with --max-macs" "MAC limit, plan" -- timeout $bound "$msf" plan "$bomb" --min-ram
grep -q "129922760704 MACs" "$work/stderr" && pass || fail "the MAC limit message lacks the MACs"
expect 2 "raise it with --max-macs" "MAC limit, pareto" -- timeout $bound "$msf" plan "$bomb" --pareto
expect 2 "raise it with --max-macs" "MAC limit, run" -- timeout $bound "$msf" run "$bomb" --input /dev/null
expect 2 "raise it with --max-macs" "MAC limit, gen" -- timeout $bound "$msf" gen "$bomb" -o "$work"
expect 0 "" "info reports the MACs" -- timeout $bound "$msf" info "$bomb"
grep -q "^MACs: 129922760704$" "$work/stdout" && pass || fail "info's MACs of the bomb"
expect 0 "" "plan with --max-macs raised" -- timeout $bound "$msf" plan "$bomb" --min-ram --max-macs 130G
expect 0 "" "plan with --max-macs=N raised" -- timeout $bound "$msf" plan "$bomb" --min-ram --max-macs=129922760704
expect 2 "raise it with --max-macs" "one MAC short" -- "$msf" plan "$bomb" --min-ram --max-macs 129922760703
expect 2 "takes a count of MACs" "bad --max-macs" -- "$msf" plan "$bomb" --min-ram --max-macs 13x
expect 2 "takes a count of MACs" "--max-macs overflow" -- "$msf" plan "$bomb" --min-ram --max-macs 99999999999999999G
expect 2 "needs a value" "--max-macs without a value" -- "$msf" plan "$bomb" --min-ram --max-macs

# Four 3x3 convolutions: 995,328 MACs layer by layer, 3,787,776 in the
# least-RAM plan (rows recomputed); the plan is held to the limit too.
recompute=$work/recompute.spec
printf 'input 24x24x4\nconv k=3 c=8\nconv k=3 c=8\nconv k=3 c=8\nconv k=3 c=4\n' >"$recompute"
expect 2 "the plan needs 3787776 MACs" "plan MAC limit" -- "$msf" plan "$recompute" --min-ram --max-macs 1M
expect 0 "" "plan within the MAC limit" -- "$msf" plan "$recompute" --min-ram --max-macs 3787776
head -c 2304 /dev/zero >"$work/recompute_in.bin"
expect 2 "the plan needs 3787776 MACs" "run MAC limit" -- \
    "$msf" run "$recompute" --input "$work/recompute_in.bin" --min-ram --max-macs 1M
expect 0 "" "run layer by layer within the MAC limit" -- \
    "$msf" run "$recompute" --input "$work/recompute_in.bin" --max-macs 1M

# 17 inputs of 256 MiB added up: over 4 GiB alive before the first ADD.
huge=$work/huge.tflite
"$make_model" huge-arena "$huge" || { echo "FAIL cannot write the huge-arena model"; exit 1; }
expect 2 "exceed 4 GiB" "arena limit, info" -- "$msf" info "$huge"
expect 2 "exceed 4 GiB" "arena limit, plan" -- "$msf" plan "$huge" --min-ram --max-macs 100G
expect 2 "exceed 4 GiB" "arena limit, pareto" -- "$msf" plan "$huge" --pareto --max-macs 100G
expect 2 "exceed 4 GiB" "arena limit, run" -- "$msf" run "$huge" --input /dev/null --max-macs 100G
expect 2 "exceed 4 GiB" "arena limit, gen" -- "$msf" gen "$huge" -o "$work" --max-macs 100G

# 9,000 one-byte inputs added up: all alive at the first step, 80 million
# pairs of buffers for the layout to compare: refused at once.
"$make_model" busy "$work/busy.tflite" || { echo "FAIL cannot write the busy model"; exit 1; }
expect 2 "pairs of buffers alive at the same steps" "layout work limit, info" -- \
    timeout $bound "$msf" info "$work/busy.tflite"
expect 2 "pairs of buffers alive at the same steps" "layout work limit, plan" -- \
    timeout $bound "$msf" plan "$work/busy.tflite" --min-ram

finish
