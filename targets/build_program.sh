#!/bin/sh
# Builds firmware around a main of its own (a kernel benchmark or test, not
# a generated model): MAIN.c with the runtime and the target's HAL, with the
# flags of targets/build_firmware.sh.
#
# Usage: targets/build_program.sh TARGET MAIN.c OUT.elf [-D MACRO[=VALUE]]...
#   TARGET  m4, m7 or rv32; MACRO is defined for every source (-D MSF_NO_DSP:
#           the portable kernels on m4 and m7).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

[ $# -ge 3 ] || { echo "usage: $0 TARGET MAIN.c OUT.elf [-D MACRO[=VALUE]]..." >&2; exit 2; }
target=$1 main=$2 out=$3
shift 3
defines=""
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] && [ "$1" = -D ] || { echo "usage: $0 TARGET MAIN.c OUT.elf [-D MACRO[=VALUE]]..." >&2; exit 2; }
    defines="$defines -D$2"
    shift 2
done
. "$here/target_flags.sh"

obj="${out%.elf}.obj"
rm -rf "$obj" && mkdir -p "$obj"
cflags="$arch $copt
    -I$here -I$root/runtime$defines"
# One compiler at a time: the machine may be shared.
n=0
for src in $hal "$here/hal_common.c" "$main" "$root"/runtime/*.c; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    $cc $cflags -c "$src" -o "$obj/$n.o"
done
# shellcheck disable=SC2086
$cc $arch -nostdlib -nostartfiles -L"$here/ld" -T"$target.ld" -Wl,--gc-sections "$obj"/*.o -lgcc -o "$out"
