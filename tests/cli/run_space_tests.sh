#!/bin/sh
# msf space as a user meets it: the same figures for the same seed and for
# any --jobs; another seed gives other networks; a network written with
# --emit-spec gets from msf plan the RAM msf space computed for it (the
# three memory models); bad space files and arguments exit 2 naming the
# file and line.
# usage: run_space_tests.sh MSF SOURCE_DIR WORK_DIR
set -u
msf=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

check() {
    if eval "$2"; then pass; else fail "$1"; fi
}

space=$src/tests/space/small.space
run="$msf space $space --ram 20kB --flash 64KiB --samples 40 --max-overhead 1.3"

expect 0 "" "space, one job" -- $run -o "$work/a.csv"
cp "$work/stdout" "$work/a.txt"
check "progress line on stderr" "grep -q 'networks/s' '$work/stderr'"
check "a best configuration under each model" "[ \$(grep -c '^[a-zA-Z0-9 ()]* w0\.[0-9]*-r[0-9]* ' '$work/a.txt') -eq 3 ]"
check "CSV: a header and 4 configurations x 3 models" "[ \$(wc -l <'$work/a.csv') -eq 13 ]"
expect 0 "" "space, same seed again" -- $run -o "$work/b.csv"
check "same seed, same report" "cmp -s '$work/a.txt' '$work/stdout' && cmp -s '$work/a.csv' '$work/b.csv'"
for jobs in 2 3; do
    expect 0 "" "space --jobs $jobs" -- $run --jobs $jobs -o "$work/j$jobs.csv"
    check "--jobs $jobs: same report" "cmp -s '$work/a.txt' '$work/stdout' && cmp -s '$work/a.csv' '$work/j$jobs.csv'"
done
expect 0 "" "space --min-fit 100" -- $run --min-fit 100
check "--min-fit 100: best only where every network fits" "[ \$(grep -c ' 40/40 ' '$work/stdout') -eq \$(grep -c '^[a-zA-Z0-9 ()]* w0\.[0-9]*-r[0-9]* ' '$work/stdout') ]"
expect 2 "--min-fit takes a percentage" "--min-fit over 100" -- $run --min-fit 101
expect 0 "" "space --seed 2" -- $run --seed 2 -o "$work/s2.csv"
check "another seed, other networks" "! cmp -s '$work/a.csv' '$work/s2.csv'"

# The round trip: msf plan on an emitted network reports what msf space
# computed (layer by layer, MCUNetV2 heuristic, msf's planner at F).
for net in w0.25-r32:0 w0.25-r48:7 w0.5-r32:3 w0.5-r48:12 w0.5-r48:39; do
    f=$work/net.spec
    expect 0 "" "emit $net" -- "$msf" space "$space" --emit-spec "$f" --network "$net" --max-overhead 1.3
    ram=$(sed -n 's/.*layers \([0-9]*\), mcunetv2 \([0-9]*\), msf \([0-9]*\)$/\1 \2 \3/p' "$work/stdout")
    expect 0 "" "plan $net" -- "$msf" plan "$f" --min-ram --max-overhead 1.3 --json
    planned=$(sed 's/.*"vanilla":{"peak_ram":\([0-9]*\),.*"mcunetv2":{"peak_ram":\([0-9]*\),.*/\1 \2/' "$work/stdout")
    peak=$(sed 's/^[^}]*"streamed_output":false,"peak_ram":\([0-9]*\),.*/\1/' "$work/stdout")
    check "$net: msf plan gives the RAM msf space computed ($ram; plan: $planned $peak)" \
        "[ -n '$ram' ] && [ '$ram' = '$planned $peak' ]"
done
"$msf" space "$space" --emit-spec "$work/x1.spec" --network w0.5-r48:5 >/dev/null 2>&1
"$msf" space "$space" --emit-spec "$work/x2.spec" --network w0.5-r48:5 >/dev/null 2>&1
check "emit-spec is deterministic" "cmp -s '$work/x1.spec' '$work/x2.spec'"

if command -v gnuplot >/dev/null 2>&1; then
    expect 0 "" "space --plot" -- $run --plot "$work/cdf.svg"
    check "the plot is an SVG" "grep -q '<svg' '$work/cdf.svg'"
fi

printf 'width 0.5\nresolution 32\n\nstage c=8 s=2 depth=2 k=4,3 e=3\n' >"$work/bad.space"
expect 2 "$work/bad.space:4: k: values must ascend, each once" "bad space file" -- "$msf" space "$work/bad.space" --ram 1kB --flash 1kB
printf 'width 4\nresolution 512\nstage c=2048 s=1 depth=12 k=7 e=8\n' >"$work/huge.space"
expect 2 "huge.space: the largest network of the space" "a space no spec can hold" -- "$msf" space "$work/huge.space" --ram 1kB --flash 1kB
expect 2 "cannot open" "missing space" -- "$msf" space "$work/nope.space" --ram 1kB --flash 1kB
expect 2 "--ram SIZE and --flash SIZE are required" "no budget" -- "$msf" space "$space"
expect 2 "--samples takes 1..10000" "too many samples" -- $run --samples 10001
expect 2 "--jobs takes 1..64" "no jobs" -- $run --jobs 0
expect 2 "--max-overhead takes" "overhead below 1" -- $run --max-overhead 0.5
expect 2 "--ram takes bytes" "bad size" -- "$msf" space "$space" --ram lots --flash 1kB
expect 2 "--plot takes FILE.png or FILE.svg" "bad plot name" -- $run --plot "$work/cdf.pdf"
expect 2 "go together" "emit without network" -- "$msf" space "$space" --emit-spec "$work/n.spec"
expect 2 "--network takes a configuration" "unknown configuration" -- "$msf" space "$space" --emit-spec "$work/n.spec" --network w0.3-r32:1
expect 2 "not --emit-spec" "emit with a CSV" -- "$msf" space "$space" --emit-spec "$work/n.spec" --network w0.5-r32:1 -o "$work/n.csv"
expect 2 "will not write over it" "emit over the space" -- "$msf" space "$space" --emit-spec "$space" --network w0.5-r32:1
expect 0 "" "help" -- "$msf" space --help

finish
