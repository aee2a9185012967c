#!/bin/sh
# make calibrate: measures the instructions of every block of several plans
# of several models on m4, m7 and rv32 under QEMU, and fits the time model's
# coefficients to them (plan/time_model.h), written as plan/time_table.c.
# Prints, per plan and target, a whole inference's instructions measured and
# predicted by the new table.
#
# Usage: targets/calibrate.sh [-o TABLE.c] [--msf MSF] [--tool TOOL] [--demo-tool DEMO] [--work DIR]
#                             [--targets "m4 m7 rv32"] [--models "PATH..."] [--exclude TEXT] [--via TEXT]
#   TABLE.c    default plan/time_table.c
#   MSF        default build/cli/msf; TOOL build/tools/msf-time-calibrate;
#              DEMO build/tools/msf-demo-model
#   DIR        scratch files, default out/calibrate (emptied first)
#   --models   default: the demo model, models/*.spec and, when present,
#              ../shared/reference/models/*.tflite
#   --exclude  plans whose id (MODEL/PLAN) contains TEXT are measured and
#              reported but left out of the fit
#   --via      how the command was run, for the table's header
#
# Plans: layer by layer, and P1 at F = 1.0, 1.2, 2 and inf (the schemes and
# tiles those choose), input and output held in the arena; a plan equal to
# an earlier one of its model is skipped. Each block runs alone between two
# instruction-count markers (targets/calibrate_main.c). rv32 code is linked
# with 4 MiB of RAM and run on QEMU's virt board (sifive_e has 16 KiB): the
# same instructions. A plan that does not link on m4 (192 KiB of RAM) is
# skipped there. The runtime is compiled once per target with the firmware's
# flags (targets/target_flags.sh), so the blocks run the code
# build_firmware.sh links.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=plan/time_table.c msf=build/cli/msf tool=build/tools/msf-time-calibrate demo_tool=build/tools/msf-demo-model
work=out/calibrate targets="m4 m7 rv32" models="" exclude="" via="sh targets/calibrate.sh $*"
usage() {
    sed -n '/^# Usage/,/^#   --via/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    -o) out=$2 ;;
    --msf) msf=$2 ;;
    --tool) tool=$2 ;;
    --demo-tool) demo_tool=$2 ;;
    --work) work=$2 ;;
    --targets) targets=$2 ;;
    --models) models=$2 ;;
    --exclude) exclude=$2 ;;
    --via) via=$2 ;;
    *) usage ;;
    esac
    shift 2
done
for t in $targets; do
    case $t in m4 | m7 | rv32) ;; *) echo "msf: unknown target '$t' (m4, m7, rv32)" >&2; exit 2 ;; esac
done
for t in "$msf" "$tool" "$demo_tool"; do
    [ -x "$t" ] || { echo "msf: $t not found (make build)" >&2; exit 2; }
done
if [ -e "$work" ] && [ ! -f "$work/.calibrate" ]; then
    echo "msf: $work exists and was not made by $0: pick another --work" >&2
    exit 2
fi
rm -rf "$work" && mkdir -p "$work" && : >"$work/.calibrate" || exit 2
samples=$work/samples.txt
: >"$samples"

if [ -z "$models" ]; then
    "$demo_tool" "$work/demo.tflite" >/dev/null || exit 1
    models="$work/demo.tflite $(ls "$root"/models/*.spec) $(ls "$root"/../shared/reference/models/*.tflite 2>/dev/null)"
fi

# The runtime and HAL objects of target $1, once, in $work/$1/rt.
runtime_objects() {
    target=$1
    . "$here/target_flags.sh"
    mkdir -p "$work/$1/rt"
    n=0
    for src in $hal "$here/hal_common.c" "$root"/runtime/*.c; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        $cc $arch $copt -I"$here" -I"$root/runtime" -c "$src" -o "$work/$1/rt/$n.o" || return 1
    done
}

# measure TARGET DIR NAME ID: builds DIR/NAME.c with calibrate_main.c, runs
# it, and appends its blocks (with DIR/features.txt) and invoke to the samples.
measure() {
    target=$1
    . "$here/target_flags.sh"
    elf=$2/$1/cal.elf
    mkdir -p "$2/$1"
    ram="" qemu_target=$1
    [ "$1" = rv32 ] && ram="-Wl,--defsym=__ram_size=4194304" qemu_target=rv32-virt
    upper=$(echo "$3" | tr a-z A-Z)
    for src in "$here/calibrate_main.c" "$2/$3.c"; do
        # shellcheck disable=SC2086
        $cc $arch $copt -I"$here" -I"$root/runtime" -I"$2" -DMSF_MODEL="$3" -DMSF_MODEL_UPPER="$upper" \
            -DMSF_MODEL_HEADER="\"$3.h\"" -c "$src" -o "$2/$1/$(basename "$src" .c).o" || return 1
    done
    # shellcheck disable=SC2086
    if ! $cc $arch -nostdlib -nostartfiles -L"$here/ld" -T"$1.ld" -Wl,--gc-sections $ram "$work/$1"/rt/*.o \
        "$2/$1"/*.o -lgcc -o "$elf" >"$2/$1/link.txt" 2>&1; then
        echo "skipped $4 on $1: it does not link (RAM or flash)"
        return 0
    fi
    sh "$here/run_qemu.sh" "$qemu_target" "$elf" >"$2/$1/run.txt" 2>&1 || { cat "$2/$1/run.txt"; return 1; }
    blocks=$(sed -n 's/^msf: blocks //p' "$2/$1/run.txt")
    # Regions: the markers' cost, the blocks, the invoke.
    awk -v t="$1" -v id="$4" -v blocks="$blocks" -v features="$2/features.txt" '
        $1 == "insncount.region" { r[$2] = $3; n++ }
        END {
            if (n != blocks + 2) { print "msf: " id " on " t ": " n " regions for " blocks " blocks" > "/dev/stderr"; exit 1 }
            for (i = 1; i <= blocks; i++) {
                if ((getline f < features) <= 0) { print "msf: " id ": too few feature lines" > "/dev/stderr"; exit 1 }
                print "block", t, id, r[i] - r[0], f
            }
            print "invoke", t, id, r[blocks + 1] - r[0]
        }' "${elf%.elf}.counts" >>"$samples"
}

for t in $targets; do
    runtime_objects "$t" || { echo "msf: the runtime does not compile for $t" >&2; exit 1; }
done
for model in $models; do
    base=$(basename "$model")
    base=${base%.*}
    name=$(echo "$base" | tr -c 'A-Za-z0-9_\n' '_')
    case $name in [0-9]*) name=m_$name ;; esac
    mdir=$work/$name
    mkdir -p "$mdir"
    "$msf" gen "$model" -o "$mdir/probe" --name probe >/dev/null || { echo "msf: msf gen $model failed" >&2; exit 1; }
    # Any bytes do: the kernels' instructions do not depend on the values.
    bytes=$(sed -n 's/^#define PROBE_INPUT_BYTES \([0-9]*\)u\{0,1\}$/\1/p' "$mdir/probe/probe.h")
    LC_ALL=C awk -v n="$bytes" 'BEGIN { for (i = 0; i < n; i++) printf "%c", (i * 73 + 41) % 256 }' >"$mdir/input.bin"
    for plan in layers:--layers f1.0:"--min-ram --max-overhead 1.0" f1.2:"--min-ram --max-overhead 1.2" \
        f2:"--min-ram --max-overhead 2" inf:--min-ram; do
        pname=${plan%%:*} pdir=$mdir/${plan%%:*}
        mkdir -p "$pdir"
        # shellcheck disable=SC2086
        "$msf" plan "$model" ${plan#*:} -o "$pdir/plan.json" >/dev/null 2>&1 || { echo "skipped $name/$pname: no plan"; continue; }
        dup=""
        for other in "$mdir"/*/plan.json; do
            [ "$other" != "$pdir/plan.json" ] && [ -f "$other.used" ] && cmp -s "$other" "$pdir/plan.json" && dup=$other
        done
        [ -z "$dup" ] || { echo "skipped $name/$pname: the same plan as $(basename "$(dirname "$dup")")"; continue; }
        : >"$pdir/plan.json.used"
        "$msf" gen "$model" -o "$pdir" --name "$name" --input "$mdir/input.bin" --plan "$pdir/plan.json" >/dev/null &&
            "$tool" features "$model" "$pdir/plan.json" >"$pdir/features.txt" || exit 1
        for t in $targets; do
            measure "$t" "$pdir" "$name" "$name/$pname" || { echo "msf: measuring $name/$pname on $t failed" >&2; exit 1; }
        done
        echo "measured $name/$pname"
    done
done
"$tool" fit "$samples" -o "$out" --command "$via" ${exclude:+--exclude "$exclude"}
