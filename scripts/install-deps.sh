#!/bin/sh
# Installs the Debian packages msf's build and tests need, only those missing.
# Usage: scripts/install-deps.sh [host|cross|browser]   (cross adds the MCU toolchains and QEMU;
# browser is Chromium alone, for the report's test in a real browser)
set -eu

packages="cmake make gcc clang libclang-rt-14-dev gnuplot-nox libcjson-dev"
[ "${1:-host}" = cross ] && packages="$packages gcc-arm-none-eabi gcc-riscv64-unknown-elf qemu-system-arm qemu-system-misc"
[ "${1:-host}" = browser ] && packages="chromium"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "msf: installing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
