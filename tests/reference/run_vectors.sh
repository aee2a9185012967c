#!/bin/sh
# Every reference model x case and every one-operator case of
# ../shared/reference through `msf run`: output bytes equal to TFLite Micro's,
# arena high-water mark equal to the planned arena, executed MACs equal to
# the MACs `msf info` reports. Exit 77 (skipped) without ../shared.
# usage: run_vectors.sh MSF SHARED_DIR WORK_DIR
set -u
msf=$1 ref=$2/reference work=$3
if [ ! -d "$ref/vectors" ] || [ ! -d "$ref/ops" ]; then
    echo "skipped: $ref not found (the reference models are not part of the repository; set MSF_SHARED_DIR)"
    exit 77
fi
mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

json_field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" "$1"; }

# check_case MODEL IN EXPECTED NAME
check_case() {
    out=$work/out.bin log=$work/run.json
    if ! "$msf" run "$1" --input "$2" --output "$out" --json >"$log" 2>"$work/err.txt"; then
        fail "$4: msf run failed: $(cat "$work/err.txt")"; return
    fi
    if ! cmp -s "$out" "$3"; then
        fail "$4: output differs from TFLite Micro's ($(cmp "$out" "$3" 2>&1 | head -1))"; return
    fi
    hw=$(json_field "$log" arena_high_water) planned=$(json_field "$log" arena_planned)
    if [ "$hw" != "$planned" ]; then
        fail "$4: arena high-water $hw bytes, planned $planned bytes"; return
    fi
    "$msf" info "$1" --json >"$work/info.json" || { fail "$4: msf info failed"; return; }
    macs=$(json_field "$log" macs) info_macs=$(sed -n 's/.*\],"macs":\([0-9]*\).*/\1/p' "$work/info.json")
    if [ "$macs" != "$info_macs" ]; then
        fail "$4: executed $macs MACs, msf info says $info_macs"; return
    fi
    pass
}

for dir in "$ref"/vectors/*/; do
    model=$(basename "$dir")
    for in in "$dir"*.in.bin; do
        case=$(basename "$in" .in.bin)
        check_case "$ref/models/$model.tflite" "$in" "$dir$case.out.bin" "$model/$case"
    done
done
# msf run --dump under a fused plan: every tensor TFLite Micro's run left in
# seed1.tensors, byte for byte, and the same index (scales written the same).
for dir in "$ref"/vectors/*/; do
    model=$(basename "$dir") want=$dir/seed1.tensors got=$work/dump_$model
    [ -f "$want/index.txt" ] || continue
    rm -rf "$got"
    if ! "$msf" run "$ref/models/$model.tflite" --input "$dir/seed1.in.bin" --min-ram --dump "$got" >/dev/null 2>"$work/err.txt"; then
        fail "$model: msf run --dump: $(cat "$work/err.txt")"; continue
    fi
    bad=""
    for f in "$want"/t*.bin; do
        cmp -s "$f" "$got/$(basename "$f")" || bad="$bad $(basename "$f")"
    done
    if [ -n "$bad" ]; then
        fail "$model: dumped tensors differ from TFLite Micro's:$bad"
    elif ! cmp -s "$want/index.txt" "$got/index.txt"; then
        fail "$model: dump index differs: $(diff "$want/index.txt" "$got/index.txt" | head -3)"
    else
        pass
    fi
done

for dir in "$ref"/ops/*/; do
    op=$(basename "$dir")
    for in in "$dir"*.in.bin; do
        case=$(basename "$in" .in.bin)
        check_case "$dir/model.tflite" "$in" "$dir$case.out.bin" "ops/$op/$case"
    done
done
finish
