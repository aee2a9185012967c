#!/bin/sh
# make mcu-bench: every model under several plans as firmware on m4, m7 and
# rv32 under QEMU, each output checked byte for byte against the host's
# `msf run` under the same plan, and the figures (arena, stack, static RAM,
# peak RAM, flash, exact instructions and those the time model predicts)
# written to a Markdown file.
#
# Usage: targets/mcu_bench.sh [-o FILE.md] [--msf MSF] [--demo-tool TOOL] [--work DIR]
#                             [--targets "m4 m7 rv32"] [--models "PATH..."] [--via TEXT] [-D MACRO]...
#   FILE.md    default BENCHMARKS.md
#   MSF        default build/cli/msf; TOOL default build/tools/msf-demo-model
#   DIR        scratch files, default out/mcu-bench (emptied first)
#   --models   instead of the demo, models/*.spec and ../shared/reference/models/*.tflite
#   --via      how the command was run, for the file's header (make mcu-bench passes it)
#   -D MACRO   passed to targets/build_firmware.sh (e.g. -D MSF_NO_DSP)
#
# Models: the demo model (with the demo tool's input), the bundled specs (an
# LCG input: x = (1103515245 x + 12345) mod 2^31 from x = 1, byte = x >> 16,
# the reference vectors' seed1 rule), and the reference models when
# ../shared/reference is present (their seed1 input).
# Plans: layer by layer and min-RAM (P1, F = inf) with the input held in the
# arena; min-RAM with both ends streamed (input read in place from flash,
# output written to the firmware's buffer outside the arena); the smallest P2
# plan (least --max-ram that is feasible, by bisection); and P2 at each
# board's budget (least MACs with the arena that leaves room for that board's
# measured stack and static RAM). P2 points equal to another row are skipped.
# A plan that does not fit a board (the link overflows RAM or flash, or the
# run faults) is reported as such with the reason; a wrong output, a failed
# run or a timeout fails the command (exit 1).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cmdline="sh targets/mcu_bench.sh"
for arg in "$@"; do
    case $arg in
    *[!A-Za-z0-9_./=-]* | "") cmdline="$cmdline '$arg'" ;;
    *) cmdline="$cmdline $arg" ;;
    esac
done

out=BENCHMARKS.md msf=build/cli/msf demo_tool=build/tools/msf-demo-model work=out/mcu-bench
targets="m4 m7 rv32" models="" via="" fwopts=""
usage() {
    sed -n '/^# Usage/,/^#   -D/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    -o) out=$2 ;;
    --msf) msf=$2 ;;
    --demo-tool) demo_tool=$2 ;;
    --work) work=$2 ;;
    --targets) targets=$2 ;;
    --models) models=$2 ;;
    --via) via=$2 ;;
    -D) fwopts="$fwopts -D $2" ;;
    *) usage ;;
    esac
    shift 2
done
for tool in "$msf" arm-none-eabi-gcc riscv64-unknown-elf-gcc qemu-system-arm qemu-system-riscv32 cc timeout; do
    command -v "$tool" >/dev/null || { echo "msf: $tool not found (make build deps-cross)" >&2; exit 2; }
done
shared=$root/../shared/reference
started=$(date +%s)
# The scratch folder is emptied: only one this script made (it leaves a mark).
if [ -e "$work" ] && [ ! -f "$work/.mcu-bench" ]; then
    echo "msf: $work exists and was not made by $0: pick another --work" >&2
    exit 2
fi
rm -rf "$work" && mkdir -p "$work" && : >"$work/.mcu-bench" || exit 2
results=$work/results.tsv models_tsv=$work/models.tsv notes=$work/notes.txt
: >"$results"
: >"$models_tsv"
: >"$notes"
failures=0

ram_of() {
    case $1 in m4) echo 196608 ;; m7) echo 524288 ;; rv32) echo 16384 ;; esac
}
# The macro VALUE from a generated header: hdr FILE SUFFIX.
hdr() { sed -n "s/^#define [A-Z0-9_]*_$2 \(UINT64_C(\)\{0,1\}\([0-9]*\)u\{0,1\}.*/\2/p" "$1"; }
# KEY's value in run_qemu.sh / build_firmware.sh output: val FILE KEY.
val() { sed -n "s/^msf: $2 //p" "$1" | head -1; }
# A number field of a one-line JSON object, outside nested objects.
jnum() { sed -n "s/^{[^{]*\"$2\":\([0-9.]*\).*/\1/p" "$1"; }
jblocks() { sed -n 's/.*"blocks":\(\[[][0-9,]*\]\).*/\1/p' "$1"; }
say() { echo "$*"; }
note() { echo "$*" >>"$notes"; echo "note: $*"; }

lcg_input() { # BYTES FILE
    LC_ALL=C awk -v n="$1" 'BEGIN {
        x = 1; ah = 16838; al = 20077   # 1103515245 = 16838 * 2^16 + 20077, kept exact in doubles
        for (i = 0; i < n; i++) {
            xh = int(x / 65536); xl = x % 65536
            x = (((ah * xl + al * xh) % 32768) * 65536 + al * xl + 12345) % 2147483648
            printf "%c", int(x / 65536) % 256
        }
    }' >"$2"
}

# ---------------------------------------------------------------------------
# One plan of one model on one target.
# run_target MODEL_NAME PLAN_ID DIR TARGET: DIR holds NAME.c/.h, host.bin and
# the plan's fields; writes the row of results.tsv to DIR/TARGET.row.
run_target() {
    rt_name=$1 rt_plan=$2 rt_dir=$3 rt_t=$4
    # A folder per board: run_qemu.sh builds its plugin next to the ELF.
    rt_tdir=$rt_dir/$rt_t
    mkdir -p "$rt_tdir"
    rt_elf=$rt_tdir/fw.elf rt_size=$rt_tdir/fw.size rt_log=$rt_tdir/fw.txt
    rt_ram=$(ram_of "$rt_t")
    rt_arena=$(hdr "$rt_dir/$rt_name.h" ARENA_BYTES)
    rt_macs=$(hdr "$rt_dir/$rt_name.h" MACS)
    rt_stack=4096 rt_status="" rt_reason="" rt_shrunk=0 rt_fover=""
    # Link; when RAM overflows, give the stack what is left (at least 256 B).
    while :; do
        # shellcheck disable=SC2086
        if sh "$here/build_firmware.sh" "$rt_t" "$rt_dir" "$rt_name" -o "$rt_elf" --stack "$rt_stack" $fwopts \
            >"$rt_size" 2>&1; then
            break
        fi
        rt_over=$(sed -n "s/.*region .RAM' overflowed by \([0-9]*\) bytes.*/\1/p" "$rt_size" | head -1)
        rt_fover=$(sed -n "s/.*region .FLASH' overflowed by \([0-9]*\) bytes.*/\1/p" "$rt_size" | head -1)
        if [ -n "$rt_fover" ]; then
            rt_status=nofit rt_reason="flash overflowed by $rt_fover B (the weights and code do not fit the board's flash)"
            break
        elif [ -z "$rt_over" ]; then
            rt_status=FAIL rt_reason="build failed: $(grep -m1 -i error "$rt_size")"
            break
        fi
        rt_next=$(((rt_stack - rt_over) / 16 * 16))
        if [ "$rt_next" -lt 256 ]; then
            # The stack is a multiple of 16 B right below .data: without it
            # the link would overflow by rt_over - rt_stack.
            rt_status=nofit
            if [ "$rt_over" -gt "$rt_stack" ]; then
                rt_reason="static RAM (.data + .bss: arena $rt_arena B + output + a few words) exceeds the $rt_ram B of RAM by $((rt_over - rt_stack)) B before any stack"
            else
                rt_reason="RAM overflowed by $rt_over B with a $rt_stack B stack (less than 256 B left for a stack)"
            fi
            break
        fi
        rt_stack=$rt_next rt_shrunk=1
    done
    rt_minstack="" rt_insns="" rt_ipm="" rt_ahw="" rt_shw="" rt_static="" rt_data="" rt_bss="" rt_flash="" rt_peak_check=0
    if [ -z "$rt_status" ]; then
        rt_flash=$(val "$rt_size" flash) rt_data=$(val "$rt_size" data) rt_bss=$(val "$rt_size" bss)
        sh "$here/run_qemu.sh" "$rt_t" "$rt_elf" >"$rt_log" 2>&1
        rt_rc=$?
        if [ $rt_rc -ge 100 ] && [ $rt_rc -lt 124 ]; then
            rt_status=nofit
            rt_what=$(sed -n 's/^msf: fault: \(stack overflow by [0-9]* bytes\)/\1/p' "$rt_log" | head -1)
            [ -n "$rt_what" ] || rt_what=$(sed -n 's/^msf: fault: //p' "$rt_log" | head -1)
            rt_reason="fault at run time (status $rt_rc) with a $rt_stack B stack: $rt_what"
        elif [ $rt_rc -ne 0 ]; then
            rt_status=FAIL rt_reason="firmware exit status $rt_rc: $(grep -m1 'error' "$rt_log")"
        elif [ "$(val "$rt_log" output)" != "$(od -An -v -tx1 "$rt_dir/host.bin" | tr -d ' \n')" ]; then
            rt_status=FAIL rt_reason="output differs from msf run's"
        else
            rt_ahw=$(val "$rt_log" arena_high_water) rt_shw=$(val "$rt_log" stack_high_water)
            rt_peak_check=$((rt_shw + rt_data + rt_bss))
            rt_static=$(val "$rt_log" static_ram) rt_insns=$(val "$rt_log" instructions)
            rt_ipm=$(val "$rt_log" instructions_per_mac)
            if [ "$rt_ahw" != "$rt_arena" ]; then
                rt_status=FAIL rt_reason="arena high-water $rt_ahw B, planned $rt_arena B"
            elif [ "$(val "$rt_log" stack_high_water)" = "$rt_stack" ]; then
                rt_status=FAIL rt_reason="the stack high-water mark is the whole stack (overflowed?)"
            else
                rt_status=ok
            fi
        fi
    fi
    # rv32: the smallest stack that works, by measurement: the high-water mark
    # rounded up to the 16-byte alignment, linked and run again.
    if [ "$rt_status" = ok ] && [ "$rt_t" = rv32 ]; then
        rt_try=$(((rt_shw + 15) / 16 * 16))
        while [ "$rt_try" -le "$rt_stack" ]; do
            # shellcheck disable=SC2086
            if sh "$here/build_firmware.sh" "$rt_t" "$rt_dir" "$rt_name" -o "$rt_tdir/min.elf" \
                --stack "$rt_try" $fwopts >/dev/null 2>&1 &&
                sh "$here/run_qemu.sh" "$rt_t" "$rt_tdir/min.elf" >"$rt_tdir/min.txt" 2>&1 &&
                [ "$(val "$rt_tdir/min.txt" output)" = "$(val "$rt_log" output)" ]; then
                rt_minstack=$rt_try
                break
            fi
            rt_try=$((rt_try + 16))
        done
        [ -n "$rt_minstack" ] || rt_reason="no stack up to $rt_stack B ran again"
    fi
    # rv32: by how much it does not fit, measured on QEMU's virt board, which
    # runs the same rv32imac code linked with more RAM.
    if [ "$rt_status" = nofit ] && [ "$rt_t" = rv32 ] && [ -z "$rt_fover" ]; then
        rt_venv=$rt_tdir/virt
        # shellcheck disable=SC2086
        if sh "$here/build_firmware.sh" rv32 "$rt_dir" "$rt_name" -o "$rt_venv.elf" --ram 4M $fwopts \
            >"$rt_venv.size" 2>&1; then
            timeout "${MSF_QEMU_TIMEOUT:-60}" qemu-system-riscv32 -M virt -bios none -display none -monitor none \
                -serial none -chardev stdio,id=con -semihosting-config enable=on,target=native,chardev=con \
                -device loader,file="$rt_venv.elf" -device loader,addr=0x20400000,cpu-num=0 \
                </dev/null >"$rt_venv.txt" 2>&1
            rt_vshw=$(val "$rt_venv.txt" stack_high_water)
            if [ -n "$rt_vshw" ] && [ "$rt_vshw" -lt 4096 ] &&
                [ "$(val "$rt_venv.txt" output)" = "$(od -An -v -tx1 "$rt_dir/host.bin" | tr -d ' \n')" ]; then
                rt_need=$((rt_vshw + $(val "$rt_venv.size" data) + $(val "$rt_venv.size" bss)))
                rt_reason="needs $rt_need B: over by $((rt_need - rt_ram)) B (stack $rt_vshw + static $(val "$rt_venv.txt" static_ram), on QEMU virt with more RAM); $rt_reason"
            fi
        fi
    fi
    [ "$rt_shrunk" = 1 ] && [ "$rt_status" = ok ] && rt_reason="stack shrunk to $rt_stack B to fit"
    # msf's prediction (stack, RAM, flash without the embedded input, and
    # whether it fits) against the measurement: the stack and RAM never above
    # it, the flash within 5%, and a plan msf says fits must fit.
    read -r rt_pstack rt_pram rt_pflash rt_verdict <"$rt_dir/$rt_t.pred" || rt_verdict=""
    if [ -z "$rt_verdict" ]; then
        rt_status=FAIL rt_reason="msf run --target $rt_t printed no fit line"
    else
        rt_pflash=$((rt_pflash + $(wc -c <"$rt_dir/input.bin")))
        if [ "$rt_status" = ok ] && [ "$rt_shw" -gt "$rt_pstack" ]; then
            rt_status=FAIL rt_reason="stack high-water $rt_shw B over the predicted $rt_pstack B"
        elif [ "$rt_status" = ok ] && [ "$rt_peak_check" -gt "$rt_pram" ] 2>/dev/null; then
            rt_status=FAIL rt_reason="RAM $rt_peak_check B over the predicted $rt_pram B"
        elif [ "$rt_status" = ok ] && { [ $((rt_pflash * 100)) -gt $((rt_flash * 105)) ] ||
            [ $((rt_pflash * 100)) -lt $((rt_flash * 95)) ]; }; then
            rt_status=FAIL rt_reason="flash predicted $rt_pflash B, linked $rt_flash B: over 5% apart"
        elif [ "$rt_status" = nofit ] && [ "$rt_verdict" = fits ]; then
            rt_status=FAIL rt_reason="msf said it fits: $rt_reason"
        fi
    fi
    rm -rf "$rt_tdir"/*.obj
    rt_peak=""
    [ -n "$rt_shw" ] && rt_peak=$((rt_shw + rt_data + rt_bss))
    # The time model's prediction (msf run --target) against the count.
    rt_ipred=$(cat "$rt_dir/$rt_t.ipred") rt_iratio=""
    [ -n "$rt_insns" ] && [ -n "$rt_ipred" ] && rt_iratio=$(awk -v m="$rt_insns" -v p="$rt_ipred" 'BEGIN { printf "%.4f", m / p }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
        "$rt_name" "$rt_plan" "$rt_t" "$rt_status" "$rt_arena" "$rt_ahw" "$rt_shw" "$rt_stack" "$rt_minstack" \
        "$rt_static" "$rt_data" "$rt_bss" "$rt_peak" "$rt_flash" "$rt_insns" "$rt_ipm" "$rt_macs" "$rt_reason" \
        "$rt_pstack" "$rt_pram" "$rt_pflash" "$rt_verdict" "$rt_ipred" "$rt_iratio" >"$rt_dir/$rt_t.row"
    if [ "$rt_status" = ok ]; then
        say "  $rt_t: ok, output = host; arena $rt_arena (high-water $rt_ahw), stack $rt_shw" \
            "${rt_minstack:+(runs in $rt_minstack) }static $rt_static, peak RAM $rt_peak, flash $rt_flash," \
            "$rt_insns instructions ($rt_ipm per MAC, $rt_ipred predicted)${rt_reason:+; $rt_reason};" \
            "predicted stack $rt_pstack, RAM $rt_pram, flash $rt_pflash ($rt_verdict)"
    else
        say "  $rt_t: $rt_status: $rt_reason"
    fi
}

# run_plan MODEL_NAME MODEL_FILE INPUT PLAN_ID LABEL [PLAN OPTIONS...]: gen,
# host run, then every target.
run_plan() {
    rp_name=$1 rp_model=$2 rp_input=$3 rp_plan=$4 rp_label=$5
    shift 5
    rp_dir=$work/$rp_name/$rp_plan
    mkdir -p "$rp_dir"
    cp "$rp_input" "$rp_dir/input.bin"
    say "$rp_name / $rp_label"
    if ! "$msf" gen "$rp_model" -o "$rp_dir" --name "$rp_name" --input "$rp_input" "$@" >"$rp_dir/gen.txt" 2>&1 ||
        ! "$msf" run "$rp_model" --input "$rp_input" --output "$rp_dir/host.bin" --json "$@" \
            >"$rp_dir/host.json" 2>"$rp_dir/host.err"; then
        say "  FAIL: msf gen or msf run: $(cat "$rp_dir/gen.txt" "$rp_dir/host.err" | head -3)"
        failures=$((failures + 1))
        return
    fi
    rp_arena=$(hdr "$rp_dir/$rp_name.h" ARENA_BYTES) rp_macs=$(hdr "$rp_dir/$rp_name.h" MACS)
    if [ "$(jnum "$rp_dir/host.json" arena_high_water)" != "$rp_arena" ] ||
        [ "$(jnum "$rp_dir/host.json" macs)" != "$rp_macs" ]; then
        say "  FAIL: host run: $(cat "$rp_dir/host.json"), generated arena $rp_arena, MACs $rp_macs"
        failures=$((failures + 1))
        return
    fi
    printf '%s\t%s\t%s\n' "$rp_name" "$rp_plan" "$rp_label" >>"$work/plans.tsv"
    # What msf predicts for each board: its fit line under the same plan.
    [ $# -gt 0 ] || set -- --layers
    # With the instructions the time model predicts there.
    for t in $targets; do
        "$msf" run "$rp_model" --input "$rp_input" --target "$t" "$@" >"$rp_dir/$t.fit" 2>&1
        tail -1 "$rp_dir/$t.fit" | sed -n \
            "s/^$t: \(fits\|does not fit\).* (RAM: arena [0-9]* + stack \([0-9]*\) + static [0-9]* = \([0-9]*\) of [0-9]* B; flash \([0-9]*\) B)\$/\2 \3 \4 \1/p" \
            >"$rp_dir/$t.pred"
        sed -n "s/^$t: instructions predicted \([0-9]*\),.*/\1/p" "$rp_dir/$t.fit" >"$rp_dir/$t.ipred"
    done
    # The boards in parallel (QEMU runs on one core), their lines in order.
    for t in $targets; do
        run_target "$rp_name" "$rp_plan" "$rp_dir" "$t" >"$rp_dir/$t.say" &
    done
    wait
    for t in $targets; do
        cat "$rp_dir/$t.say"
        cat "$rp_dir/$t.row" >>"$results"
    done
}

# plan_file FILE OPTIONS...: msf plan -o FILE; exit status of msf plan.
plan_file() {
    pf_file=$1
    shift
    "$msf" plan "$pf_model" "$@" -o "$pf_file" --json >"$pf_file.out" 2>&1
}

# The row of MODEL PLAN TARGET in results.tsv, field N.
field() { awk -F '\t' -v m="$1" -v p="$2" -v t="$3" -v n="$4" '$1 == m && $2 == p && $3 == t { print $n }' "$results"; }

# ---------------------------------------------------------------------------
# One model: its plans in order, the P2 budgets from the measured rows.
bench_model() {
    bm_name=$1 bm_model=$2 bm_input=$3 bm_input_what=$4 bm_out=$5
    bm_dir=$work/$bm_name
    mkdir -p "$bm_dir"
    pf_model=$bm_model
    if ! plan_file "$bm_dir/minram.json" --min-ram ||
        ! plan_file "$bm_dir/minram-si.json" --min-ram --streamed-input ||
        ! plan_file "$bm_dir/minram-s.json" --min-ram --streamed-input --streamed-output; then
        say "FAIL $bm_name: msf plan: $(cat "$bm_dir"/minram*.json.out | head -3)"
        failures=$((failures + 1))
        return
    fi
    bm_vmacs=$(jnum "$bm_dir/minram.json" vanilla_macs)
    # The streamed setting the firmware needs less RAM in: the output held in
    # the arena (read there in place), or streamed into a buffer of its own.
    bm_asi=$(jnum "$bm_dir/minram-si.json" peak_ram) bm_as=$(jnum "$bm_dir/minram-s.json" peak_ram)
    if [ $((bm_asi + 64)) -lt $((bm_as + bm_out)) ]; then
        bm_mode=si bm_opts=--streamed-input bm_what="streamed input"
    else
        bm_mode=s bm_opts="--streamed-input --streamed-output" bm_what="streamed input and output"
    fi
    # The smallest feasible P2 budget: msf plan --min-macs exits 3 when none fits.
    bm_lo=0 bm_hi=$(jnum "$bm_dir/minram-$bm_mode.json" peak_ram)
    while [ $((bm_hi - bm_lo)) -gt 1 ]; do
        bm_mid=$(((bm_lo + bm_hi) / 2))
        # shellcheck disable=SC2086
        plan_file "$bm_dir/bisect.json" --min-macs --max-ram "$bm_mid" $bm_opts
        case $? in
        0) bm_hi=$bm_mid ;;
        3) bm_lo=$bm_mid ;;
        *) say "FAIL $bm_name: msf plan --max-ram $bm_mid: $(head -3 "$bm_dir/bisect.json.out")"
           failures=$((failures + 1)); return ;;
        esac
    done
    # shellcheck disable=SC2086
    plan_file "$bm_dir/p2min.json" --min-macs --max-ram "$bm_hi" $bm_opts
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$bm_name" "$(basename "$bm_model")" "$bm_input_what" "$bm_vmacs" \
        "$bm_hi" "$bm_what" "$bm_out" >>"$models_tsv"
    say "== $bm_name ($bm_model, $bm_input_what, $bm_out output bytes): P2 with $bm_what," \
        "smallest feasible --max-ram $bm_hi B (bisection)"

    run_plan "$bm_name" "$bm_model" "$bm_input" layers "layer by layer"
    run_plan "$bm_name" "$bm_model" "$bm_input" minram "min-RAM (P1 F=inf)" --plan "$bm_dir/minram.json"
    bm_seen=$(jblocks "$bm_dir/minram-$bm_mode.json")
    bm_same=""
    [ "$(jblocks "$bm_dir/p2min.json")" = "$bm_seen" ] && bm_same=" = smallest P2 (--max-ram $bm_hi)"
    if [ $bm_mode = si ]; then
        run_plan "$bm_name" "$bm_model" "$bm_input" minram-si "min-RAM (P1 F=inf)$bm_same, streamed input" \
            --plan "$bm_dir/minram-si.json"
        run_plan "$bm_name" "$bm_model" "$bm_input" minram-s "min-RAM (P1 F=inf), streamed input and output" \
            --plan "$bm_dir/minram-s.json"
    else
        run_plan "$bm_name" "$bm_model" "$bm_input" minram-s \
            "min-RAM (P1 F=inf)$bm_same, streamed input and output" --plan "$bm_dir/minram-s.json"
    fi
    if [ -z "$bm_same" ]; then
        run_plan "$bm_name" "$bm_model" "$bm_input" p2min "smallest P2 (--max-ram $bm_hi), $bm_what" \
            --plan "$bm_dir/p2min.json"
        bm_seen="$bm_seen $(jblocks "$bm_dir/p2min.json")"
    fi
    # P2 at each board's budget: its RAM less the stack and the static RAM
    # besides the arena that the min-RAM firmware of the same setting
    # measured there.
    for t in $targets; do
        [ "$(field "$bm_name" "minram-$bm_mode" "$t" 4)" = ok ] || continue
        bt_shw=$(field "$bm_name" "minram-$bm_mode" "$t" 7) bt_static=$(field "$bm_name" "minram-$bm_mode" "$t" 10)
        bt_arena=$(field "$bm_name" "minram-$bm_mode" "$t" 5)
        bt_budget=$(($(ram_of "$t") - (bt_shw + 15) / 16 * 16 - (bt_static - bt_arena)))
        # shellcheck disable=SC2086
        plan_file "$bm_dir/p2-$t.json" --min-macs --max-ram "$bt_budget" $bm_opts || continue
        bt_blocks=$(jblocks "$bm_dir/p2-$t.json")
        if [ "$(jnum "$bm_dir/p2-$t.json" macs)" = "$bm_vmacs" ]; then
            say "$bm_name / P2 at the $t budget ($bt_budget B): layer by layer (skipped: no fusion needed)"
            continue
        fi
        case " $bm_seen " in
        *" $bt_blocks "*)
            say "$bm_name / P2 at the $t budget ($bt_budget B): a plan already measured (skipped)"
            continue ;;
        esac
        bm_seen="$bm_seen $bt_blocks"
        # shellcheck disable=SC2086
        run_plan "$bm_name" "$bm_model" "$bm_input" "p2-$t" "P2 --max-ram $bt_budget (the $t budget), $bm_what" \
            --plan "$bm_dir/p2-$t.json"
    done
    # The plan msf makes for the 16 KiB board by itself: whenever msf says it
    # fits, the rv32 firmware must link and run (run_target checks it).
    # shellcheck disable=SC2086
    plan_file "$bm_dir/target-rv32.json" --target rv32 $bm_opts || return 0
    run_plan "$bm_name" "$bm_model" "$bm_input" target-rv32 "msf plan --target rv32, $bm_what" \
        --plan "$bm_dir/target-rv32.json"
}

# ---------------------------------------------------------------------------
: >"$work/plans.tsv"
mkdir -p "$work/inputs"
if [ -z "$models" ]; then
    "$demo_tool" "$work/inputs/demo.tflite" "$work/inputs/demo.bin" >/dev/null ||
        { echo "msf: $demo_tool failed" >&2; exit 2; }
    models="$work/inputs/demo.tflite $root/models/*.spec"
    if [ -d "$shared/models" ]; then
        models="$models $shared/models/*.tflite"
    else
        note "the reference models were skipped: ../shared/reference/models not found"
    fi
fi
# shellcheck disable=SC2086
for model in $models; do
    base=$(basename "$model")
    base=${base%.*}
    name=$(echo "$base" | tr -c 'A-Za-z0-9_\n' '_')
    case $name in [0-9]*) name=m_$name ;; esac
    # The input and output sizes from the generated header.
    if ! "$msf" gen "$model" -o "$work/inputs" --name probe >/dev/null 2>&1; then
        say "FAIL $model: msf gen"; failures=$((failures + 1)); continue
    fi
    if [ "$model" = "$work/inputs/demo.tflite" ]; then
        input=$work/inputs/demo.bin what="the demo tool's input"
    elif [ -f "$shared/vectors/$base/seed1.in.bin" ]; then
        input=$shared/vectors/$base/seed1.in.bin what="input: reference vector seed1"
    else
        input=$work/inputs/$name.bin what="input: LCG seed 1"
        lcg_input "$(hdr "$work/inputs/probe.h" INPUT_BYTES)" "$input"
    fi
    bench_model "$name" "$model" "$input" "$what" "$(hdr "$work/inputs/probe.h" OUTPUT_BYTES)"
done
elapsed=$(($(date +%s) - started))
failures=$((failures + $(awk -F '\t' '$4 == "FAIL"' "$results" | wc -l)))

# ---------------------------------------------------------------------------
# The Markdown.
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain -- runtime targets cli plan import codegen models tools 2>/dev/null | awk '{ print $2 }' |
    tr '\n' ' ')
{
    echo "# MCU benchmarks"
    echo
    echo "Generated by \`${via:-$cmdline}\`${via:+ (which ran \`$cmdline\`)}; do not edit."
    echo "Source: commit $commit${dirty:+, with uncommitted changes in: $dirty}. Cross compilers:"
    echo "$(arm-none-eabi-gcc --version | head -1), $(riscv64-unknown-elf-gcc --version | head -1);"
    echo "$(qemu-system-arm --version | head -1)${fwopts:+; firmware built with$fwopts}."
    echo "Wall time of the run: $elapsed s."
    echo
    cat <<'EOF'
Each model is generated with `msf gen` under each plan, built by `targets/build_firmware.sh` for
each board, and run by `targets/run_qemu.sh`; the firmware runs the inference twice over
differently painted arenas. Every row marked ok printed output bytes equal to the host's
`msf run` under the same plan, and an arena high-water mark equal to the planned arena.

Boards: `m4` netduinoplus2 (Cortex-M4F, 192 KiB RAM, 1 MiB flash), `m7` mps2-an500
(Cortex-M7, RAM budget 512 KiB, 2 MiB flash), `rv32` sifive_e (RV32IMAC, 16 KiB RAM, 4 MiB
flash). Compiler: GCC -O2. QEMU counts instructions, not cycles.

Plans: *layer by layer* is vanilla execution (one operator at a time, the input copied into
the arena, the output left in the arena); *min-RAM* is P1 with F = inf (least peak RAM at
any compute cost). *streamed input*: `--streamed-input`, the input is read in place from
flash (`NAME_input`). *streamed input and output*: also `--streamed-output`, `NAME_invoke`
writes the output straight into a buffer of the firmware outside the arena. A held output is
read where the plan left it in the arena (no second copy). Min-RAM with only the input
streamed is shown when it needs more than 64 B less RAM than streaming both ends (a large
output: the arena can hold it in space the working tensors free); that setting is then the
one the model's P2 rows use. *smallest P2* is `msf plan --min-macs --max-ram B` at the least
feasible B (bisection: B - 1 is infeasible); *P2 (the BOARD budget)* is the least-MACs plan
whose arena leaves room for the stack and the other static RAM that the min-RAM firmware of
the same setting measured on that board. P2 points equal to layer by layer or to a row above
are not repeated.

Does not fit: the link overflows the board's RAM or flash (the static RAM beyond the board is
given), or the run faults (a stack overflow). On rv32, the RAM such a firmware needs is
measured on QEMU's `virt` board, which runs the same rv32imac code linked with 4 MiB of RAM:
"needs N B" is its stack high-water mark + .data + .bss, "over by" N - 16384.

Columns:

| column | meaning |
| --- | --- |
| arena | the planned arena (`NAME_ARENA_BYTES`, the plan's peak RAM) |
| arena hw | the arena high-water mark measured on the board (paint and scan, two patterns) |
| stack hw | the stack high-water mark measured on the board (the stack is painted at reset) |
| stack | the stack reserved by the link: 4 KiB, or (\*) what the board had left; on rv32 also the smallest reserved stack the firmware ran with again (the high-water mark rounded up to 16 B) |
| static | .data + .bss: the arena, a streamed output's buffer, a few words |
| peak RAM | stack hw + .data + .bss: all the RAM the firmware touches (the arena is inside .bss) |
| flash | .text + .rodata + .data: code, weights and tables, the input (`NAME_input`) |
| instructions | executed by one inference, exactly (a QEMU TCG plugin between two markers) |
| predicted | the instructions msf's time model predicts for the plan on the board (`msf run --target BOARD`: plan/time_table.c, from `make calibrate`) |
| meas./pred. | instructions measured / predicted |
| /MAC | instructions per multiply-accumulate |
| MACs | per inference, as planned (the host run counted the same) |

EOF
    echo "## Key rows"
    echo
    echo "| model | plan | board | arena | stack hw (runs in) | static | peak RAM | flash | instructions | /MAC | MACs |"
    echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -F '\t' -v models=" mbv2_w035_r144 mlperf_vww96 mn2_vww5_r80 " '
        FILENAME == ARGV[1] { if (index(models, " " $1 " ") && $2 != "layers" && $2 != "minram") key[++n] = $1 "/" $2
                              label[$1 "/" $2] = $3; next }
        { row[$1 "/" $2 "/" $3] = $0 }
        END {
            for (i = 1; i <= n; i++) {
                r = row[key[i] "/rv32"]
                if (r == "") continue
                split(r, f, "\t")
                if (f[4] == "ok")
                    printf "| %s | %s | rv32 | %d | %d (%s) | %d | %d | %d | %d | %s | %d |\n", f[1], label[key[i]],
                        f[5], f[7], f[9], f[10], f[13], f[14], f[15], f[16], f[17]
                else
                    printf "| %s | %s | rv32 | %d | %s |||||||\n", f[1], label[key[i]], f[5],
                        (f[4] == "nofit" ? "does not fit: " : "FAILED: ") f[18]
            }
        }' "$work/plans.tsv" "$results"
    echo
    echo "## Outputs against the host"
    echo
    echo "ok: byte-identical to \`msf run\`; no: does not fit the board (reason below); FAILED: a wrong or no output."
    echo "Streamed: the min-RAM plan of the streamed setting each model's P2 rows use."
    echo
    echo "| model | layer by layer m4 | m7 | rv32 | min-RAM m4 | m7 | rv32 | min-RAM streamed m4 | m7 | rv32 |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    awk -F '\t' '
        FILENAME == ARGV[1] { model[++nm] = $1; mode[$1] = ($6 == "streamed input" ? "minram-si" : "minram-s"); next }
        { st[$1 "/" $2 "/" $3] = ($4 == "ok" ? "ok" : $4 == "nofit" ? "no" : "FAILED") }
        END {
            for (i = 1; i <= nm; i++) {
                m = model[i]
                line = "| " m
                split("layers minram " mode[m], p, " ")
                for (j = 1; j <= 3; j++) {
                    line = line " | " st[m "/" p[j] "/m4"] " | " st[m "/" p[j] "/m7"] " | " st[m "/" p[j] "/rv32"]
                }
                print line " |"
            }
        }' "$models_tsv" "$results"
    echo
    awk -F '\t' '
        { n[$3]++; if ($4 == "ok") ok[$3]++; else if ($4 == "nofit") nofit[$3]++; else bad[$3]++ }
        END {
            for (t in n)
                printf "- %s: %d runs, %d byte-identical to the host, %d do not fit, %d failed\n", t, n[t], ok[t], nofit[t], bad[t]
        }' "$results" | sort
    echo
    echo "Predicted (\`msf run --target BOARD\`: the stack model, arena + stack + static RAM, the flash"
    echo "estimate plus the embedded input) against measured, over the runs that fit:"
    echo
    awk -F '\t' '
        $4 == "ok" {
            n[$3]++
            if ($7 > smax[$3]) smax[$3] = $7
            if ($19 > ps[$3]) ps[$3] = $19
            room = $20 - $13; if (!($3 in rmin) || room < rmin[$3]) rmin[$3] = room
            d = ($21 - $14) / $14; if (d < 0) d = -d; if (d > fdev[$3]) fdev[$3] = d
        }
        $22 == "fits" { said[$3]++; if ($4 == "ok") kept[$3]++ }
        END {
            for (t in n)
                printf "- %s: stack at most %d B measured, %d B predicted; RAM at least %d B under the prediction; flash within %.2f%%; %d of %d plans msf said fit ran\n",
                    t, smax[t], ps[t], rmin[t], 100 * fdev[t], kept[t], said[t]
        }' "$results" | sort
    echo
    echo "The time model's predicted instructions against QEMU's count, over the runs that fit:"
    echo
    awk -F '\t' '
        $4 == "ok" && $23 != "" {
            n[$3]++; d = $15 / $23 - 1; if (d < 0) d = -d; sum[$3] += d; if (d > worst[$3]) worst[$3] = d
            if (d <= 0.03) within[$3]++
        }
        END {
            for (t in n)
                printf "- %s: %d runs, mean |error| %.2f%%, worst %.2f%%, %d within 3%%\n", t, n[t], 100 * sum[t] / n[t],
                    100 * worst[t], within[t]
        }' "$results" | sort
    if [ -s "$notes" ]; then
        echo
        sed 's/^/- /' "$notes"
    fi
    echo
    awk -F '\t' '
        FILENAME == ARGV[1] { label[$1 "/" $2] = $3; order[++np] = $1 "/" $2; next }
        FILENAME == ARGV[2] { model[++nm] = $1; file[$1] = $2; input[$1] = $3; vmacs[$1] = $4; p2min[$1] = $5
                              mode[$1] = $6; obytes[$1] = $7; next }
        { key = $1 "/" $2; rows[key] = rows[key] "\n" $0 }
        END {
            print "## Every model"
            for (i = 1; i <= nm; i++) {
                m = model[i]
                printf "\n### %s\n\n`%s`, %s; output %d B; %d MACs layer by layer; P2 with %s, smallest feasible --max-ram %d B.\n\n",
                    m, file[m], input[m], obytes[m], vmacs[m], mode[m], p2min[m]
                print "| plan | board | arena | arena hw | stack hw | stack | static | peak RAM | flash | instructions | predicted | meas./pred. | /MAC | MACs | predicted stack / RAM / flash |"
                print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
                for (j = 1; j <= np; j++) {
                    split(order[j], pk, "/")
                    if (pk[1] != m) continue
                    nr = split(substr(rows[order[j]], 2), r, "\n")
                    for (q = 1; q <= nr; q++) {
                        split(r[q], f, "\t")
                        if (f[4] == "ok") {
                            stack = f[8] (f[9] != "" ? " (runs in " f[9] ")" : "")
                            if (f[18] ~ /^stack shrunk/) stack = stack " \\*"
                            else if (f[18] != "") stack = stack " (" f[18] ")"
                            printf "| %s | %s | %d | %d | %d | %s | %d | %d | %d | %d | %s | %s | %s | %d | %s / %s / %s |\n", label[order[j]], f[3],
                                f[5], f[6], f[7], stack, f[10], f[13], f[14], f[15], f[23], f[24], f[16], f[17], f[19], f[20], f[21]
                        } else {
                            printf "| %s | %s | %d | %s ||||||| %s ||| %d | %s / %s / %s (%s) |\n", label[order[j]], f[3], f[5],
                                (f[4] == "nofit" ? "does not fit: " : "FAILED: ") f[18], f[23], f[17], f[19], f[20], f[21], f[22]
                        }
                    }
                }
            }
            print "\n\\* the stack was shrunk from 4 KiB to what the board had left."
        }' "$work/plans.tsv" "$models_tsv" "$results"
} >"$out.tmp" && mv "$out.tmp" "$out"

echo
echo "wrote $out ($elapsed s)"
sed -n '/^## Key rows/,/^## Every model/p' "$out" | sed '$d'
if [ $failures -ne 0 ]; then
    echo "mcu-bench: $failures failures" >&2
    exit 1
fi
