#!/bin/sh
# The kernels' DSP path (Cortex-M4 and M7 under QEMU) against the portable
# path on the same cases (tests/targets/kernel_cases.c): the host build, m7
# with -DMSF_NO_DSP and rv32 run the portable C, m4 and m7 the DSP
# instructions (which the firmware must contain); every build must print the
# same hash for every case. The host's portable kernels are checked against
# plain references by tests/kernels.
# Skips (exit 77) when the cross compilers or QEMU are not installed.
# usage: run_kernel_cases.sh HOST_CC SOURCE_DIR WORK_DIR
set -u
host_cc=$1 src=$2 work=$3

. "$(dirname "$0")/../harness.sh"
skip_without arm-none-eabi-gcc arm-none-eabi-objdump riscv64-unknown-elf-gcc qemu-system-arm qemu-system-riscv32 cc timeout
rm -rf "$work" && mkdir -p "$work"
cases=$src/tests/targets/kernel_cases.c

# shellcheck disable=SC2046
if ! "$host_cc" -std=c99 -O2 -Wall -Wextra -Werror -I"$src/runtime" "$cases" $(ls "$src"/runtime/*.c) \
    -o "$work/host" || ! "$work/host" >"$work/host.txt"; then
    fail "host build or run"; finish; exit 1
fi
grep -q "^cases 300$" "$work/host.txt" || { fail "host: not every case ran"; finish; exit 1; }

for b in m4 m7 m7-nodsp rv32; do
    t=${b%-nodsp} defines="-D KERNEL_CASES_FIRMWARE"
    [ "$b" = "$t" ] || defines="$defines -D MSF_NO_DSP"
    # shellcheck disable=SC2086
    if ! sh "$src/targets/build_program.sh" $t "$cases" "$work/$b.elf" $defines >"$work/$b.build" 2>&1; then
        fail "$b: build"; cat "$work/$b.build"; continue
    fi
    if [ "$t" != rv32 ]; then
        n=$(arm-none-eabi-objdump -d "$work/$b.elf" | grep -c -w -e smlad -e sxtab16)
        if [ "$b" = "$t" ] && [ "$n" -eq 0 ]; then
            fail "$b: no SMLAD or SXTAB16 in the DSP build"; continue
        elif [ "$b" != "$t" ] && [ "$n" -ne 0 ]; then
            fail "$b: DSP instructions in the -DMSF_NO_DSP build"; continue
        fi
    fi
    MSF_QEMU_TIMEOUT=120 sh "$src/targets/run_qemu.sh" $t "$work/$b.elf" >"$work/$b.txt" 2>&1
    status=$?
    grep -e "^case " -e "^cases " "$work/$b.txt" >"$work/$b.cases"
    if [ $status -ne 0 ]; then
        fail "$b: exit status $status"; tail -5 "$work/$b.txt"
    elif ! cmp -s "$work/host.txt" "$work/$b.cases"; then
        fail "$b: outputs differ from the host's portable kernels"
        diff "$work/host.txt" "$work/$b.cases" | head -10
    else
        pass
        echo "ok $b: 300 cases as on the host ($(sed -n 's/^msf: instructions //p' "$work/$b.txt") instructions)"
    fi
done

finish
