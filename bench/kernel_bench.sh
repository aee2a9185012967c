#!/bin/sh
# `make kernel-bench`: msf's conv, depthwise and fully connected kernels on
# every distinct layer shape of mlperf_resnet8 and mlperf_vww96, on m7
# (mps2-an500) under QEMU, next to CMSIS-NN's instructions for the same
# shapes (bench/kernel_bench.c has the table and its source). Builds the
# firmware twice, with the DSP path and with the portable one (-DMSF_NO_DSP);
# every output must hash as TFLite's arithmetic does, in both builds.
# Prints a Markdown table: per shape msf's DSP instructions, CMSIS-NN's, the
# ratio, the portable build's instructions; then the whole-model totals
# (each shape weighted by how often it occurs).
#
# --target rv32: the portable kernels RV32 runs (one build, both columns;
# the CMSIS-NN column stays m7's), linked with 4 MiB of RAM and run on
# QEMU's virt board (sifive_e's 16 KiB hold no layer's tensors), which
# counts the same instructions.
#
# Usage: bench/kernel_bench.sh [--work DIR] [--target m4|m7|rv32]
# Exit status: 0 ok, 1 a wrong output or a failed run, 2 bad usage or tools.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=build-targets/kernel-bench
target=m7
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || { echo "usage: $0 [--work DIR] [--target m4|m7|rv32]" >&2; exit 2; }
    case $1 in
    --work) work=$2 ;;
    --target) target=$2 ;;
    *) echo "usage: $0 [--work DIR] [--target m4|m7|rv32]" >&2; exit 2 ;;
    esac
    shift 2
done
case $target in
m4 | m7 | rv32) ;;
*) echo "msf: kernel-bench runs on m4, m7 or rv32" >&2; exit 2 ;;
esac
mkdir -p "$work"

# rv32: targets/build_program.sh's flags and sources, RAM enlarged at link.
build_rv32() {
    (
        here=$root/targets # target_flags.sh's startup files are relative to it
        # shellcheck source=../targets/target_flags.sh
        . "$here/target_flags.sh"
        obj="${1%.elf}.obj"
        rm -rf "$obj" && mkdir -p "$obj"
        n=0
        for src in $hal "$here/hal_common.c" "$root/bench/kernel_bench.c" "$root"/runtime/*.c; do
            n=$((n + 1))
            # shellcheck disable=SC2086
            $cc $arch $copt -I"$here" -I"$root/runtime" -c "$src" -o "$obj/$n.o" || exit 1
        done
        # shellcheck disable=SC2086
        $cc $arch -nostdlib -nostartfiles -L"$here/ld" -T"$target.ld" -Wl,--gc-sections \
            -Wl,--defsym=__ram_size=4194304 "$obj"/*.o -lgcc -o "$1"
    )
}

status=0
if [ "$target" = rv32 ]; then
    build_rv32 "$work/portable.elf" || { echo "msf: error: building the rv32 firmware failed" >&2; exit 1; }
    MSF_QEMU_TIMEOUT=${MSF_QEMU_TIMEOUT:-300} sh "$root/targets/run_qemu.sh" rv32-virt "$work/portable.elf" \
        >"$work/portable.txt" 2>&1 || { cat "$work/portable.txt"; echo "msf: error: the rv32 run failed" >&2; exit 1; }
    cp "$work/portable.counts" "$work/dsp.counts"
    cp "$work/portable.txt" "$work/dsp.txt"
fi
for variant in dsp portable; do
    [ "$target" = rv32 ] && break
    define=""
    [ $variant = portable ] && define="-D MSF_NO_DSP"
    # shellcheck disable=SC2086
    if ! sh "$root/targets/build_program.sh" $target "$here/kernel_bench.c" "$work/$variant.elf" $define; then
        echo "msf: error: building the $variant firmware failed" >&2; exit 1
    fi
    MSF_QEMU_TIMEOUT=${MSF_QEMU_TIMEOUT:-300} sh "$root/targets/run_qemu.sh" $target "$work/$variant.elf" \
        >"$work/$variant.txt" 2>&1 || { cat "$work/$variant.txt"; echo "msf: error: the $variant run failed" >&2; exit 1; }
done

# Region k + 1 of the counts is shape k (region 0: the markers alone).
awk -v target=$target '
    FNR == 1 { file++ }
    file == 1 && $1 == "insncount.region" { dsp[$2] = $3 }
    file == 2 && $1 == "insncount.region" { port[$2] = $3 }
    file == 3 && $1 == "msf:" && $2 == "shape" {
        n++; name[n] = $3; model[n] = $4; count[n] = $5; macs[n] = $6; cmsis[n] = $7; hash[n] = $8; want[n] = $9
    }
    file == 4 && $1 == "msf:" && $2 == "shape" { m++; phash[m] = $8 }
    END {
        printf "Kernels on %s (QEMU instructions, one call a layer; CMSIS-NN: ../shared/reference/cmsis-nn-m7.md)\n\n", target
        print "| shape | MACs | msf | msf /MAC | CMSIS-NN | msf / CMSIS-NN | portable | output |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        bad = 0; worse = 0
        for (i = 1; i <= n; i++) {
            d = dsp[i] - dsp[0]; p = port[i] - port[0]
            ok = hash[i] == phash[i] && hash[i] == want[i]
            if (!ok) bad++
            if (d > cmsis[i]) worse++
            printf "| %s | %d | %d | %.2f | %d | %.3f | %d | %s |\n", name[i], macs[i], d, d / macs[i], cmsis[i],
                   d / cmsis[i], p, ok ? "ok" : "DIFFERS (" hash[i] " portable " phash[i] " want " want[i] ")"
            tm[model[i]] += count[i] * macs[i]; td[model[i]] += count[i] * d
            tc[model[i]] += count[i] * cmsis[i]; tp[model[i]] += count[i] * p
        }
        print ""
        print "| model (conv, depthwise, FC layers) | MACs | msf | /MAC | CMSIS-NN | /MAC | msf / CMSIS-NN | portable | /MAC |"
        print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (k in tm)
            printf "| %s | %d | %d | %.2f | %d | %.2f | %.3f | %d | %.2f |\n", k, tm[k], td[k], td[k] / tm[k], tc[k],
                   tc[k] / tm[k], td[k] / tc[k], tp[k], tp[k] / tm[k]
        print ""
        printf "shapes above CMSIS-NN: %d of %d; outputs differing: %d\n", worse, n, bad
        exit bad ? 1 : 0
    }' "$work/dsp.counts" "$work/portable.counts" "$work/dsp.txt" "$work/portable.txt" || status=1
exit $status
