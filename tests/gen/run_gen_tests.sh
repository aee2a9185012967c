#!/bin/sh
# msf gen end to end: for the demo model and (with ../shared) each reference
# model, C generated for the layer-by-layer plan and P1 plans (input held,
# input streamed, both ends streamed) is compiled as freestanding C99 with
# -Werror -Wpedantic,
# linked with the runtime and a host main (gen_main.c), and run: output
# bytes equal to `msf run` under the same plan, arena high-water mark and
# executed MACs equal to NAME.h's, NAME_ARENA_BYTES equal to `msf plan --json`'s
# peak_ram. One operator model per kind of op, layer by layer. Also: the
# error paths, and cross-compiles for Cortex-M4 and RV32 when the compilers
# are installed.
# usage: run_gen_tests.sh MSF DEMO_MODEL_TOOL CC SOURCE_DIR SHARED_DIR WORK_DIR
set -u
msf=$1 make_demo=$2 cc=$3 src=$4 shared=$5 work=$6
rt=$src/runtime
rm -rf "$work" && mkdir -p "$work/obj"
. "$(dirname "$0")/../harness.sh"
strict="-std=c99 -Wall -Wextra -Werror -Wpedantic -O2"

# The runtime, compiled once: the counting build, as firmware would with
# -DMSF_COUNT_MACS to measure MACs.
for f in "$rt"/*.c; do
    $cc $strict -ffreestanding -DMSF_COUNT_MACS -I"$rt" -c "$f" -o "$work/obj/$(basename "$f" .c).o" &
done
wait
ls "$work"/obj/*.o >/dev/null 2>&1 && [ "$(ls "$work"/obj/*.o | wc -l)" -eq "$(ls "$rt"/*.c | wc -l)" ] ||
    { echo "FAIL the runtime does not compile with $cc $strict"; exit 1; }

# A top-level number field of a one-line JSON object (not one nested in
# "baselines"), and the layer-by-layer peak among the baselines.
json_field() { sed -n "s/^{[^{]*\"$2\":\([0-9]*\).*/\1/p" "$1"; }
vanilla_peak() { sed -n 's/.*"vanilla":{"peak_ram":\([0-9]*\).*/\1/p' "$1"; }

# build DIR NAME [CFLAGS...]: DIR/NAME.c with the host main into DIR/run.
# (sh has no local variables: each function's names carry its initials.)
build() {
    b_dir=$1 b_name=$2
    shift 2
    b_upper=$(echo "$b_name" | tr a-z A-Z)
    $cc $strict -I"$rt" -I"$b_dir" -c "$b_dir/$b_name.c" -o "$b_dir/$b_name.o" 2>"$b_dir/cc.txt" &&
        $cc $strict -DMSF_COUNT_MACS -DGEN_NAME="$b_name" -DGEN_UPPER="$b_upper" -DGEN_HEADER="\"$b_name.h\"" "$@" \
            -I"$rt" -I"$src/plan" -I"$b_dir" "$src/tests/gen/gen_main.c" "$src/plan/measured_run.c" "$b_dir/$b_name.o" \
            "$work"/obj/*.o -o "$b_dir/run" \
            2>>"$b_dir/cc.txt"
}

# check_plan WHAT MODEL INPUT PEAK [PLAN ARGS...]: generate, compile, run,
# compare with msf run and the planned peak.
check_plan() {
    cp_what=$1 cp_model=$2 cp_input=$3 cp_peak=$4
    shift 4
    cp_dir=$work/$cp_what
    mkdir -p "$cp_dir"
    if ! "$msf" gen "$cp_model" -o "$cp_dir" "$@" >/dev/null 2>"$cp_dir/err.txt"; then
        fail "$cp_what: msf gen: $(head -c 300 "$cp_dir/err.txt")"; return
    fi
    cp_arena=$(sed -n 's/^#define MODEL_ARENA_BYTES \([0-9]*\)u.*/\1/p' "$cp_dir/model.h")
    if [ -z "$cp_peak" ] || [ "$cp_arena" != "$cp_peak" ]; then
        fail "$cp_what: MODEL_ARENA_BYTES $cp_arena, msf plan's peak_ram $cp_peak"; return
    fi
    if ! build "$cp_dir" model; then
        fail "$cp_what: the generated code does not compile: $(head -c 600 "$cp_dir/cc.txt")"; return
    fi
    if ! "$cp_dir/run" "$cp_input" "$cp_dir/out.bin" 2>"$cp_dir/err.txt"; then
        fail "$cp_what: generated code: $(head -c 300 "$cp_dir/err.txt")"; return
    fi
    if ! "$msf" run "$cp_model" --input "$cp_input" --output "$cp_dir/ref.bin" "$@" >/dev/null 2>"$cp_dir/err.txt"; then
        fail "$cp_what: msf run: $(head -c 300 "$cp_dir/err.txt")"; return
    fi
    cmp -s "$cp_dir/out.bin" "$cp_dir/ref.bin" || { fail "$cp_what: output differs from msf run's"; return; }
    pass
}

# check_model WHAT MODEL INPUT: the layer-by-layer plan, P1 plans (F 1.3)
# holding the input, streaming it, taking it a row at a time (models with a
# 1xHxWxC input), and streaming both ends.
check_model() {
    cm_what=$1 cm_model=$2 cm_input=$3
    mkdir -p "$work/$cm_what"
    for cm_plan in p1 streamed rows streams; do
        case $cm_plan in
        p1) cm_opts= ;;
        streamed) cm_opts=--streamed-input ;;
        rows) cm_opts="--input-rows --streamed-output" ;;
        streams) cm_opts="--streamed-input --streamed-output" ;;
        esac
        cm_file=$work/$cm_what/$cm_plan.json
        if ! "$msf" plan "$cm_model" --min-ram --max-overhead 1.3 $cm_opts -o "$cm_file" >"$work/plan.out" 2>&1; then
            [ "$cm_plan" = rows ] && grep -q "input-rows needs" "$work/plan.out" && continue
            fail "$cm_what: msf plan $cm_opts failed"; continue
        fi
        check_plan "$cm_what/$cm_plan" "$cm_model" "$cm_input" "$(json_field "$cm_file" peak_ram)" --plan "$cm_file"
    done
    check_plan "$cm_what/layers" "$cm_model" "$cm_input" "$(vanilla_peak "$work/$cm_what/p1.json")"
}

demo=$work/demo.tflite demo_input=$work/demo_input.bin
"$make_demo" "$demo" "$demo_input" || { echo "FAIL cannot write the demo model"; exit 1; }
check_model demo "$demo" "$demo_input"

# One op streamed at both ends: no arena at all.
printf 'input 5x5x3\nconv k=1 c=4\n' >"$work/one_op.spec"
head -c 75 "$demo_input" >"$work/one_op.bin"
check_model one_op "$work/one_op.spec" "$work/one_op.bin"
grep -q "define MODEL_ARENA_BYTES 0u" "$work/one_op/streams/model.h" && pass ||
    fail "one op streamed at both ends: the arena is not empty"

if [ -d "$shared/reference/models" ]; then
    for model in "$shared"/reference/models/*.tflite; do
        name=$(basename "$model" .tflite)
        input=$(ls "$shared/reference/vectors/$name/"*.in.bin | head -1)
        check_model "$name" "$model" "$input"
    done
    # One operator model per kind of op (the name up to the first '_').
    for opdir in "$shared"/reference/ops/*/; do
        op=$(basename "$opdir")
        kind=${op%%_*}
        [ -d "$work/ops_$kind" ] && continue
        mkdir -p "$work/ops_$kind"
        opin=$(ls "$opdir"*.in.bin | head -1)
        check_plan "ops_$kind/$op" "$opdir/model.tflite" "$opin" \
            "$("$msf" run "$opdir/model.tflite" --input "$opin" --json | json_field /dev/stdin planned_peak_ram)"
    done
else
    echo "skipped the reference models: $shared/reference not found"
fi

# The same plan from a plan file and from the options: the same bytes. A
# NAME and an embedded input: the same output.
dir=$work/named
mkdir -p "$dir"
"$msf" gen "$demo" -o "$dir" --min-ram --max-overhead 1.3 >/dev/null &&
    cmp -s "$dir/model.c" "$work/demo/p1/model.c" && cmp -s "$dir/model.h" "$work/demo/p1/model.h" && pass ||
    fail "gen --min-ram and gen --plan of the same plan differ"
if "$msf" gen "$demo" -o "$dir" --name kws_2 --input "$demo_input" --plan "$work/demo/p1.json" >/dev/null &&
    build "$dir" kws_2 -DGEN_EMBEDDED_INPUT && "$dir/run" - "$dir/out.bin" && cmp -s "$dir/out.bin" "$work/demo/p1/ref.bin"; then
    pass
else
    fail "--name kws_2 --input: $(head -c 600 "$dir/cc.txt")"
fi

# The header's I/O part: macros, quantize helpers and labels (escaped, any
# bytes) compiled and checked by io_main.c; the output folder is made.
labels=$work/labels.txt
printf 'a "quoted" \\ back??=slash\r\ncaf\303\251 */\n' >"$labels"
for i in 3 4 5 6 7 8 9 10; do echo "class $i" >>"$labels"; done
io=$work/io/made/here
if "$msf" gen "$demo" -o "$io" --name io --labels "$labels" >/dev/null 2>"$work/io.err" &&
    $cc $strict -DGEN_NAME=io -DGEN_UPPER=IO -DGEN_HEADER='"io.h"' -I"$rt" -I"$io" "$src/tests/gen/io_main.c" \
        -o "$work/io/run" 2>"$work/io.err" && "$work/io/run" >"$work/io.out"; then
    pass
else
    fail "header I/O: $(cat "$work/io.err" "$work/io.out" 2>/dev/null | head -c 600)"
fi
head -3 "$labels" >"$work/few.txt"
expect 2 "3 labels, the model's output has 10 classes" "too few labels" -- "$msf" gen "$demo" -o "$work/io" --labels "$work/few.txt"
{ printf 'bad\033[2Jlabel\n'; tail -9 "$labels"; } >"$work/esc.txt"
expect 2 "1: control character 0x1b" "escape in a label" -- "$msf" gen "$demo" -o "$work/io" --labels "$work/esc.txt"
{ head -c 300 /dev/zero | tr '\0' x; echo; tail -9 "$labels"; } >"$work/long.txt"
expect 2 "1: label of 300 bytes" "label too long" -- "$msf" gen "$demo" -o "$work/io" --labels "$work/long.txt"
{ head -5 "$labels"; echo; tail -4 "$labels"; } >"$work/blank.txt"
expect 2 "6: empty label" "empty label" -- "$msf" gen "$demo" -o "$work/io" --labels "$work/blank.txt"
{ printf 'a\000b\n'; tail -9 "$labels"; } >"$work/nul.txt"
expect 2 "NUL byte" "NUL in a label" -- "$msf" gen "$demo" -o "$work/io" --labels "$work/nul.txt"
expect 2 "cannot open\|no such" "missing labels" -- "$msf" gen "$demo" -o "$work/io" --labels "$work/none.txt"

# Other compilers: gcc and clang both, and the MCU targets when installed.
for other in gcc clang; do
    if command -v $other >/dev/null; then
        $other $strict -I"$rt" -I"$dir" -c "$dir/kws_2.c" -o "$dir/other.o" && pass ||
            fail "$other does not compile the generated code"
    fi
done
cross() {
    target=$1 tool=$2
    shift 2
    if ! command -v "$tool" >/dev/null; then
        echo "skipped $target: $tool not installed"; return
    fi
    mkdir -p "$work/$target"
    for f in "$rt"/*.c "$work/demo/p1/model.c" "$work/demo/streams/model.c" "$dir/kws_2.c"; do
        "$tool" $strict -ffreestanding "$@" -I"$rt" -I"$(dirname "$f")" -c "$f" \
            -o "$work/$target/$(basename "$(dirname "$f")")_$(basename "$f" .c).o" &
    done
    wait
    if [ "$(ls "$work/$target" | wc -l)" -eq $(($(ls "$rt"/*.c | wc -l) + 3)) ]; then
        pass
        echo "$target: $("${tool%gcc}size" "$work/$target/p1_model.o" | tail -1 | awk '{print $1 " bytes of flash, " $3 " bytes of arena"}') (demo, P1)"
    else
        fail "$target: the runtime or the generated code does not compile"
    fi
}
cross m4 arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
cross rv32 riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32

# Errors: bad usage and bad names exit 2, unwritable places exit 1, and
# nothing is left behind.
out=$work/errors
mkdir -p "$out"
expect 0 "" "gen help" -- "$msf" gen --help
expect 2 "-o DIR is required" "no -o" -- "$msf" gen "$demo"
expect 2 "no MODEL" "no model" -- "$msf" gen -o "$out"
for bad in 9lives my-model "has space" _reserved "" \
    x123456789012345678901234567890123456789012345678901234567890abcd; do
    expect 2 "not a C identifier" "--name '$bad'" -- "$msf" gen "$demo" -o "$out" --name "$bad"
done
expect 2 "input needs" "input of the wrong size" -- "$msf" gen "$demo" -o "$out" --input "$work/demo/p1/model.h"
expect 2 "pareto" "pareto" -- "$msf" gen "$demo" -o "$out" --pareto
[ -z "$(ls -A "$out")" ] && pass || fail "files left after refused commands: $(ls -A "$out")"
touch "$out/file"
expect 2 "is not a folder" "DIR is a file" -- "$msf" gen "$demo" -o "$out/file"
expect 2 "is not a folder" "DIR under a file" -- "$msf" gen "$demo" -o "$out/file/sub"
mkdir -p "$out/model.h"
expect 2 "not a regular file" "NAME.h is a directory" -- "$msf" gen "$demo" -o "$out"
[ "$(ls -A "$out")" = "file
model.h" ] && [ -z "$(ls -A "$out/model.h")" ] && pass || fail "files left after failed writes: $(ls -A "$out")"

finish
