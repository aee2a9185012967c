# The compiler, architecture flags and startup files of a target, for the
# firmware build scripts: sourced with $target and $here (the targets/
# folder) set; sets cc, arch, hal and copt (the flags every firmware
# source is compiled with), or exits 2.
copt="-std=c99 -O2 -g -ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror"
case $target in
m4)
    cc=arm-none-eabi-gcc
    arch="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
    hal="$here/arm/startup.S $here/arm/hal_arm.c" ;;
m7)
    cc=arm-none-eabi-gcc
    arch="-mcpu=cortex-m7 -mthumb -mfloat-abi=hard -mfpu=fpv5-d16"
    hal="$here/arm/startup.S $here/arm/hal_arm.c" ;;
rv32)
    cc=riscv64-unknown-elf-gcc
    # -misa-spec=2.2 implies Zicsr and keeps GCC 12 on the rv32imac/ilp32
    # multilib (libgcc); rv32imac_zicsr would select the rv64 one.
    arch="-march=rv32imac -mabi=ilp32 -misa-spec=2.2 -mcmodel=medany"
    hal="$here/rv32/startup.S $here/rv32/hal_rv32.c" ;;
*) echo "msf: unknown target '$target' (m4, m7, rv32)" >&2; exit 2 ;;
esac
command -v $cc >/dev/null || { echo "msf: $cc not found: scripts/install-deps.sh cross" >&2; exit 2; }
