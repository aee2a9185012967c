#!/bin/sh
# Builds the firmware that runs one inference of a generated model on a
# target, and prints its flash and RAM sizes.
#
# Usage: targets/build_firmware.sh TARGET DIR NAME [-o OUT.elf] [--ram SIZE] [--stack SIZE] [--flash SIZE]
#                                  [-D MACRO[=VALUE]]...
#   TARGET  m4 (netduinoplus2), m7 (mps2-an500) or rv32 (sifive_e)
#   DIR     holds NAME.c and NAME.h from `msf gen`
#   OUT     default build-targets/TARGET/NAME.elf
#   SIZE    bytes, or with K, KiB, M, MiB (x1024) or kB, MB (x1000), as msf
#           takes sizes. RAM defaults: m4 192K, m7 512K
#           (the MPU budget: a multiple of an eighth of the next power of
#           two), rv32 16K. Stack default 4K: the fused-block executor
#           needs about 2.7 KiB; the run prints the stack's high-water mark.
#   MACRO   defined for every source, e.g. -D MSF_NO_DSP: the portable
#           kernels on m4 and m7 instead of the DSP instructions.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

usage() {
    echo "usage: $0 TARGET DIR NAME [-o OUT.elf] [--ram SIZE] [--stack SIZE] [--flash SIZE] [-D MACRO[=VALUE]]..." >&2
    exit 2
}
[ $# -ge 3 ] || usage
target=$1 dir=$2 name=$3
shift 3
out="build-targets/$target/$name.elf"
defsyms=""
defines=""
# bytes SIZE: SIZE in bytes (the suffixes msf takes), or exit 2.
bytes() {
    b_num=${1%%[!0-9]*}
    case ${1#"$b_num"} in
    "" | B) b_unit=1 ;;
    K | KiB | KB) b_unit=1024 ;;
    M | MiB) b_unit=1048576 ;;
    kB) b_unit=1000 ;;
    MB) b_unit=1000000 ;;
    *) b_num="" ;;
    esac
    [ -n "$b_num" ] || { echo "msf: '$1' is not a size (bytes, K, KiB, M, MiB, kB, MB)" >&2; exit 2; }
    echo $((b_num * b_unit))
}
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    -o) out=$2 ;;
    --ram) defsyms="$defsyms -Wl,--defsym=__ram_size=$(bytes "$2")" || exit 2 ;;
    --stack) defsyms="$defsyms -Wl,--defsym=__stack_size=$(bytes "$2")" || exit 2 ;;
    --flash) defsyms="$defsyms -Wl,--defsym=__flash_size=$(bytes "$2")" || exit 2 ;;
    -D) defines="$defines -D$2" ;;
    *) usage ;;
    esac
    shift 2
done

. "$here/target_flags.sh"
[ -f "$dir/$name.c" ] && [ -f "$dir/$name.h" ] || { echo "msf: no $dir/$name.c and $dir/$name.h" >&2; exit 2; }
grep -q "${name}_input\[" "$dir/$name.h" ||
    { echo "msf: $dir/$name.h has no ${name}_input: run msf gen with --input IN.bin" >&2; exit 2; }

upper=$(echo "$name" | tr a-z A-Z)
obj="${out%.elf}.obj"
rm -rf "$obj" && mkdir -p "$obj"
cflags="$arch $copt
    -I$here -I$root/runtime -I$dir -DMSF_MODEL=$name -DMSF_MODEL_UPPER=$upper -DMSF_MODEL_HEADER=\"$name.h\"$defines"
# One compiler per source, in parallel; a failed one leaves its object out.
n=0
for src in $hal "$here/hal_common.c" "$here/firmware_main.c" "$root"/runtime/*.c "$dir/$name.c"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    $cc $cflags -c "$src" -o "$obj/$n.o" &
done
wait
[ "$(ls "$obj" | wc -l)" -eq $n ] || exit 1
# shellcheck disable=SC2086
$cc $arch -nostdlib -nostartfiles -L"$here/ld" -T"$target.ld" -Wl,--gc-sections -Wl,-Map="${out%.elf}.map" \
    $defsyms "$obj"/*.o -lgcc -o "$out"

# Flash holds the code, the constants and the initial values of .data;
# static RAM is .data + .bss (the arena is in .bss); the stack is reserved
# on top of that.
${cc%gcc}size -A "$out" | awk -v out="$out" '
    { s[$1] = $2 }
    END {
        printf "msf: elf %s\n", out
        printf "msf: text %d\nmsf: rodata %d\nmsf: data %d\nmsf: bss %d\nmsf: stack_bytes %d\n",
               s[".text"], s[".rodata"], s[".data"], s[".bss"], s[".stack"]
        printf "msf: flash %d\nmsf: static_ram %d\n",
               s[".text"] + s[".rodata"] + s[".ARM.exidx"] + s[".data"], s[".data"] + s[".bss"]
    }'
