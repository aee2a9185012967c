#!/bin/sh
# msf against hostile files and arguments: each case a reproducer of a
# problem found by an audit (issue 13). A plot name must not run commands;
# temp files must not follow planted symlinks; FIFOs and devices are neither
# waited on nor replaced; no output replaces an input; strings from a model
# reach the terminal escaped; --name refuses the runtime's names; the plan
# reader is strict JSON.
# usage: run_hostile_tests.sh MSF DEMO_MODEL_TOOL HOSTILE_MODEL_TOOL RUNTIME_DIR WORK_DIR
set -u
msf=$1 make_demo=$2 make_hostile=$3 runtime=$4 work=$5
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

model=$work/demo.tflite input=$work/demo_input.bin
"$make_demo" "$model" "$input" || { echo "FAIL cannot write the demo model"; exit 1; }
cp "$model" "$work/demo.orig"
"$msf" run "$model" --input "$input" --output "$work/expected.bin" >/dev/null || { echo "FAIL cannot run the demo"; exit 1; }
"$msf" plan "$model" --min-ram --max-overhead 1.3 -o "$work/plan.json" >/dev/null || { echo "FAIL cannot plan"; exit 1; }
nl='
'

# 1. Command injection: a plot name (and -o beside --plot) holding a quote,
# a newline and a gnuplot `system` command. It is a file name, nothing more.
mkdir -p "$work/plot"
evil="x'${nl}system 'touch PWNED'${nl}#.png"
expect 0 "" "plot named like a gnuplot command" -- env -C "$work/plot" "$msf" plan "$model" --pareto --plot "$evil"
[ ! -e "$work/plot/PWNED" ] && pass || fail "the plot name ran a command"
[ "$(head -c 4 "$work/plot/$evil" | od -An -c | tr -d ' ')" = "211PNG" ] && pass || fail "no PNG at the odd name"
evil_csv="a'${nl}system 'touch PWNED2'${nl}#.csv"
expect 0 "" "-o named like a gnuplot command, with --plot" -- env -C "$work/plot" "$msf" plan "$model" --pareto -o "$evil_csv" --plot f.svg
[ ! -e "$work/plot/PWNED2" ] && pass || fail "the -o name ran a command"
grep -q '^peak_ram_bytes,' "$work/plot/$evil_csv" && pass || fail "no CSV at the odd name"
grep -q '<svg' "$work/plot/f.svg" && pass || fail "--plot f.svg is not an SVG"
expect 2 "FILE.png or FILE.svg" "plot of another format" -- "$msf" plan "$model" --pareto --plot "$work/plot/f.gif"

# 2. Temp files: nothing in the working folder, no predictable name to plant
# a symlink at, devices and FIFOs written in place and never replaced, long
# names written.
mkdir -p "$work/cwd"
(cd "$work/cwd" && "$msf" plan "$model" --pareto --plot "$work/plot/front.png" >/dev/null 2>&1)
[ -z "$(ls -A "$work/cwd")" ] && pass || fail "--pareto --plot left files in the working folder: $(ls -A "$work/cwd")"
echo "victim" >"$work/victim"
# The next few hundred PIDs each get a planted link where msf used to put
# its temp file (PATH.tmpPID).
pid=$$
for i in $(seq 1 400); do ln -s "$work/victim" "$work/planted.bin.tmp$((pid + i))"; done
expect 0 "" "run with planted temp links" -- "$msf" run "$model" --input "$input" --output "$work/planted.bin"
[ "$(cat "$work/victim")" = "victim" ] && pass || fail "a planted symlink's target was written"
[ -f "$work/planted.bin" ] && [ ! -L "$work/planted.bin" ] && cmp -s "$work/planted.bin" "$work/expected.bin" && pass ||
    fail "the output is not the regular file of the expected bytes"
ln -s "$work/victim" "$work/link_out.bin"
expect 0 "" "output over a symlink" -- "$msf" run "$model" --input "$input" --output "$work/link_out.bin"
[ "$(cat "$work/victim")" = "victim" ] && [ ! -L "$work/link_out.bin" ] && pass || fail "output through a symlink"
ls "$work"/.msf-* >/dev/null 2>&1 && fail "temp files left behind" || pass
# A device node of our own (a copy of /dev/null, as root), so that a build
# that replaces devices harms only the copy.
if mknod "$work/null" c 1 3 2>/dev/null; then
    expect 0 "" "output to a character device" -- "$msf" run "$model" --input "$input" --output "$work/null"
    [ -c "$work/null" ] && pass || fail "the device node was replaced"
else
    echo "SKIP output to a character device: mknod needs root"
fi
mkfifo "$work/out.fifo"
timeout 20 cat "$work/out.fifo" >"$work/from_fifo.bin" &
reader=$!
expect 0 "" "output to a FIFO with a reader" -- timeout 10 "$msf" run "$model" --input "$input" --output "$work/out.fifo"
wait $reader
[ -p "$work/out.fifo" ] && cmp -s "$work/from_fifo.bin" "$work/expected.bin" && pass || fail "FIFO output replaced or wrong"
expect 1 "no reader" "output to a FIFO without a reader" -- timeout 10 "$msf" run "$model" --input "$input" --output "$work/out.fifo"
[ -p "$work/out.fifo" ] && pass || fail "a FIFO was replaced"
expect 2 "not a regular file" "output onto a directory" -- "$msf" run "$model" --input "$input" --output "$work/cwd"
long=$(printf '%0250d' 0)
expect 0 "" "an output name of 250 bytes" -- "$msf" run "$model" --input "$input" --output "$work/$long"
cmp -s "$work/$long" "$work/expected.bin" && pass || fail "long output name"

# 3. No output replaces an input (the same file by device and inode, also
# through a link).
expect 2 "is also an input" "plan -o onto the model" -- "$msf" plan "$model" --min-ram -o "$model"
expect 2 "is also an input" "run --output onto the model" -- "$msf" run "$model" --input "$input" --output "$model"
expect 2 "is also an input" "run --output onto the input" -- "$msf" run "$model" --input "$input" --output "$input"
expect 2 "is also an input" "run --output onto the plan" -- "$msf" run "$model" --input "$input" --plan "$work/plan.json" --output "$work/plan.json"
ln -s "$model" "$work/alias.tflite"
expect 2 "is also an input" "run --output onto a link to the model" -- "$msf" run "$model" --input "$input" --output "$work/alias.tflite"
expect 2 "is also an input" "pareto -o onto the model" -- "$msf" plan "$model" --pareto -o "$model"
printf 'input 8x8x3\nconv k=3 c=4\n' >"$work/small.spec"
cp "$work/small.spec" "$work/small.orig"
expect 2 "is also an input" "export onto the spec" -- "$msf" export "$work/small.spec" -o "$work/small.spec"
mkdir -p "$work/gen"
cp "$model" "$work/gen/net.h"
expect 2 "is also an input" "gen onto the model" -- "$msf" gen "$work/gen/net.h" -o "$work/gen" --name net
[ ! -e "$work/gen/net.c" ] && pass || fail "gen left NAME.c behind after refusing NAME.h"
cmp -s "$model" "$work/demo.orig" && cmp -s "$work/gen/net.h" "$work/demo.orig" && cmp -s "$work/small.spec" "$work/small.orig" &&
    pass || fail "an input was overwritten"
cp "$work/demo.orig" "$model" # so that a build that overwrote it fails only here

# 4. Inputs: FIFOs and devices refused at once, big files refused before
# being read.
mkfifo "$work/in.fifo"
expect 2 "not a regular file" "a FIFO as MODEL" -- timeout 10 "$msf" info "$work/in.fifo"
expect 2 "not a regular file" "a FIFO as --input" -- timeout 10 "$msf" run "$model" --input "$work/in.fifo"
expect 2 "not a regular file" "a FIFO as --plan" -- timeout 10 "$msf" run "$model" --input "$input" --plan "$work/in.fifo"
expect 2 "not a regular file" "/dev/zero as MODEL" -- timeout 10 "$msf" info /dev/zero
expect 2 "not a regular file" "/dev/urandom as --input" -- timeout 10 "$msf" run "$model" --input /dev/urandom
expect 2 "not a regular file" "/dev/zero as --plan" -- timeout 10 "$msf" run "$model" --input "$input" --plan /dev/zero
expect 2 "a directory" "a directory as MODEL" -- timeout 10 "$msf" info "$work"
truncate -s 300M "$work/huge.tflite"
expect 2 "larger than the limit" "a 300 MB model" -- timeout 10 "$msf" info "$work/huge.tflite"
expect 2 "larger than the limit" "a 300 MB input" -- timeout 10 "$msf" run "$model" --input "$work/huge.tflite"
rm -f "$work/huge.tflite"

# 5. Strings from a model, and file names, reach the terminal escaped.
"$make_hostile" "$work/escape.tflite" || fail "cannot write the hostile model"
expect 2 'x1b\]2;owned' "a tensor name with escape sequences" -- "$msf" info "$work/escape.tflite"
esc=$(printf '\033')
bel=$(printf '\007')
grep -q "$esc\|$bel" "$work/stderr" && fail "raw escape bytes reached stderr" || pass
[ "$(wc -l <"$work/stderr")" -eq 1 ] && pass || fail "a newline in a tensor name split the message"
expect 2 'x1b\[31m' "a file name with escape sequences" -- "$msf" info "$work/$(printf '\033[31mred')"
grep -q "$esc" "$work/stderr" && fail "raw escape bytes from a file name" || pass

# 6. --name: the runtime's names and headers NAME.h would shadow.
for name in msf msf_plan msf_run stdint MSF_x; do
    expect 2 "--name '$name'" "gen --name $name" -- "$msf" gen "$model" -o "$work/gen" --name "$name"
done
for header in "$runtime"/*.h; do
    base=$(basename "$header" .h)
    expect 2 "shadow\|runtime's names" "gen --name $base (a runtime header)" -- "$msf" gen "$model" -o "$work/gen" --name "$base"
done

# 7. The plan file is strict JSON, of this format version, each member once.
plan=$(cat "$work/plan.json")
bad_plan() { # DESCRIPTION PATTERN JSON
    printf '%s' "$3" >"$work/bad.json"
    expect 2 "$2" "$1" -- "$msf" run "$model" --input "$input" --plan "$work/bad.json"
}
blocks=$(printf '%s' "$plan" | sed 's/.*"blocks":\(\[[][0-9,]*\]\).*/\1/')
bad_plan "two blocks arrays" 'member "blocks" given twice' "$(printf '%s' "$plan" | sed "s/}\$/,\"blocks\":$blocks}/")"
bad_plan "two model hashes" 'member "model_hash" given twice' "$(printf '%s' "$plan" | sed 's/}$/,"model_hash":"0123456789abcdef"}/')"
bad_plan "a flag given twice" 'member "streamed_input" given twice' "$(printf '%s' "$plan" | sed 's/}$/,"streamed_input":true}/')"
bad_plan "1.-5 as a number" "malformed JSON" "$(printf '%s' "$plan" | sed 's/"peak_ram":[0-9]*/"peak_ram":1.-5/')"
bad_plan "1e+-5 as a number" "malformed JSON" "$(printf '%s' "$plan" | sed 's/"peak_ram":[0-9]*/"peak_ram":1e+-5/')"
bad_plan "format version 2" "plan format 2" "$(printf '%s' "$plan" | sed 's/"msf_plan":1/"msf_plan":2/')"
bad_plan "no format version" 'no "msf_plan"' "$(printf '%s' "$plan" | sed 's/"msf_plan":1,//')"
bad_plan "an unknown member" 'unknown member "passes"' "$(printf '%s' "$plan" | sed 's/}$/,"passes":4}/')"
bad_plan "a tile its block does not offer" 'cannot run h-cache in tiles of 3 rows' "$(printf '%s' "$plan" | sed 's/"schemes":\["[a-z-]*"/"schemes":["h-cache"/; s/"tiles":\[[0-9]*/"tiles":[3/; s/"peak_ram":[0-9]*,"macs":[0-9]*,//; s/,"block_ram".*$/}/')"
bad_plan "a tile that is no number" 'tile 0 is not a whole number' "$(printf '%s' "$plan" | sed 's/"tiles":\[[0-9]*/"tiles":["x"/')"
bad_plan "a flag that is a string" '"input_rows" is not true or false' "$(printf '%s' "$plan" | sed 's/"input_rows":false/"input_rows":"no"/')"
bad_plan "a block of three numbers" "block 0 is not" "$(printf '%s' "$plan" | sed 's/"blocks":\[\[[0-9]*,[0-9]*\]/"blocks":[[0,0,0]/')"
bad_plan "a fractional layer" "block 0 is not" "$(printf '%s' "$plan" | sed 's/"blocks":\[\[[0-9]*,[0-9]*\]/"blocks":[[0,0.5]/')"
bad_plan "text after the object" "text after" "$plan {}"
bad_plan "a scheme that cannot run its block" 'block [0-9] \[[0-9]*,[0-9]*\] cannot run as whole' "$(printf '%s' "$plan" | sed 's/"h-cache"/"whole"/; s/"line-buffer"/"whole"/')"
bad_plan "a scheme msf does not have" 'no scheme "tiles"' "$(printf '%s' "$plan" | sed 's/"schemes":\["[a-z-]*"/"schemes":["tiles"/')"
bad_plan "a scheme for each block but one" "schemes for" "$(printf '%s' "$plan" | sed 's/"schemes":\["[a-z-]*",/"schemes":[/')"
bad_plan "a peak RAM the blocks do not give" '"peak_ram" is 1 but' "$(printf '%s' "$plan" | sed 's/"peak_ram":[0-9]*/"peak_ram":1/')"
bad_plan "MACs the blocks do not give" '"macs" is 7 but' "$(printf '%s' "$plan" | sed 's/"macs":[0-9]*/"macs":7/')"
bad_plan "a block's RAM changed" '"block_ram" of block 0 is not' "$(printf '%s' "$plan" | sed 's/"block_ram":\[[0-9]*/"block_ram":[3/')"
bad_plan "a block's MACs changed" '"block_macs" of block 0 is not' "$(printf '%s' "$plan" | sed 's/"block_macs":\[[0-9]*/"block_macs":[3/')"
printf '%s' "$plan" | sed 's/"vanilla_macs":[0-9]*/"vanilla_macs":1234567890123456789/' >"$work/digits.json"
expect 0 "" "a valid 19-digit number" -- "$msf" run "$model" --input "$input" --plan "$work/digits.json" --output "$work/digits.bin"
cmp -s "$work/digits.bin" "$work/expected.bin" && pass || fail "plan with a 19-digit number: output differs"
printf '%s\n' "$plan" | sed 's/,/,\n  /g' >"$work/pretty.json"
expect 0 "" "a plan re-indented" -- "$msf" run "$model" --input "$input" --plan "$work/pretty.json" --output "$work/pretty.bin"

finish
