#!/bin/sh
# Runs a firmware from build_firmware.sh under QEMU and prints its lines,
# the instructions of the inference, and the exit status.
#
# Usage: targets/run_qemu.sh TARGET ELF
#   TARGET  m4, m7, rv32, or rv32-virt: rv32 code linked with more RAM
#           (build_firmware.sh --ram 4M) on QEMU's virt board, which counts
#           the same instructions as sifive_e's 16 KiB would.
# Environment: MSF_QEMU_TIMEOUT seconds (default 60).
# Exit status: the firmware's (0 ok, 1 the model failed, 2 bad set-up, 3 the
# two runs disagree, 100 + N fault N), 124 timeout, 2 bad usage.
#
# Instructions are counted exactly by a TCG plugin (targets/qemu/insncount.c,
# built here with the host compiler next to ELF): from entering
# hal_insn_begin to entering hal_insn_end, minus the markers' own cost that
# the firmware's empty first region measures.
set -u

here=$(cd "$(dirname "$0")" && pwd)

[ $# -eq 2 ] || { echo "usage: $0 TARGET ELF" >&2; exit 2; }
target=$1 elf=$2
case $target in
m4) qemu=qemu-system-arm machine=netduinoplus2 nm=arm-none-eabi-nm ;;
m7) qemu=qemu-system-arm machine=mps2-an500 nm=arm-none-eabi-nm ;;
rv32) qemu=qemu-system-riscv32 machine=sifive_e nm=riscv64-unknown-elf-nm ;;
rv32-virt) qemu=qemu-system-riscv32 machine=virt nm=riscv64-unknown-elf-nm ;;
*) echo "msf: unknown target '$target' (m4, m7, rv32, rv32-virt)" >&2; exit 2 ;;
esac
for tool in $qemu $nm cc timeout; do
    command -v $tool >/dev/null || { echo "msf: $tool not found: scripts/install-deps.sh cross" >&2; exit 2; }
done
[ -f "$elf" ] || { echo "msf: no file $elf" >&2; exit 2; }

dir=$(dirname "$elf")
plugin="$dir/insncount.so"
if [ ! -f "$plugin" ] || [ "$here/qemu/insncount.c" -nt "$plugin" ]; then
    cc -shared -fPIC -O2 -fvisibility=hidden -o "$plugin" "$here/qemu/insncount.c" || exit 2
fi

# nm prints Thumb functions without the Thumb bit: the address QEMU reports.
symbol() { $nm "$elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
begin=$(symbol hal_insn_begin) end=$(symbol hal_insn_end)
[ -n "$begin" ] && [ -n "$end" ] || { echo "msf: $elf has no hal_insn_begin/hal_insn_end" >&2; exit 2; }

base="${elf%.elf}"
timeout=${MSF_QEMU_TIMEOUT:-60}
echo "msf: target $target ($machine)"
# virt has no boot ROM for the flash: load the ELF and start at the flash.
if [ "$target" = rv32-virt ]; then
    set -- -bios none -device "loader,file=$elf" -device loader,addr=0x20400000,cpu-num=0
else
    set -- -kernel "$elf"
fi
timeout "$timeout" $qemu -M $machine -display none -monitor none -serial none \
    -chardev stdio,id=con -semihosting-config enable=on,target=native,chardev=con \
    -plugin "$plugin,begin=$begin,end=$end,out=$base.counts" \
    "$@" </dev/null >"$base.log" 2>"$base.err"
status=$?
cat "$base.log"
case $status in
0)
    # Region 0 is the empty one, region 1 the inference.
    awk -v logfile="$base.log" '
        $1 == "insncount.region" { r[$2] = $3 }
        END {
            if (!(0 in r) || !(1 in r)) { print "msf: error: no instruction count"; exit 1 }
            n = r[1] - r[0]
            print "msf: instructions " n
            while ((getline line < logfile) > 0) {
                split(line, f, " ")
                if (f[2] == "macs" && f[3] > 0) printf "msf: instructions_per_mac %.3f\n", n / f[3]
            }
        }' "$base.counts" || status=1
    ;;
124) echo "msf: error: QEMU timed out after ${timeout} s" ;;
*)
    cat "$base.err" >&2
    if [ $status -ge 100 ] && [ $status -lt 124 ]; then
        echo "msf: error: the firmware faulted (status $status: exception/trap $((status - 100)))"
    else
        echo "msf: error: the firmware failed with status $status"
    fi ;;
esac
echo "msf: exit $status"
exit $status
