#!/bin/sh
# Prints the peak RAM and MACs of every P1 and P2 plan msf makes for the given
# models, each way of streaming: one line a plan, for comparing two builds
# (the figures a restructuring must leave unchanged).
# usage: scripts/plan_figures.sh MSF MODEL...
set -u
msf=$1
shift
for model in "$@"; do
    for stream in "" "--streamed-input" "--streamed-input --streamed-output" "--input-rows"; do
        for goal in "--min-ram --max-overhead 1.0" "--min-ram --max-overhead 1.1" "--min-ram --max-overhead 1.2" \
                    "--min-ram --max-overhead 1.3" "--min-ram --max-overhead 1.5" "--min-ram --max-overhead 2" \
                    "--min-ram" "--min-macs --max-ram 8kB" "--min-macs --max-ram 16kB" "--min-macs --max-ram 32kB" \
                    "--min-macs --max-ram 64kB" "--min-macs --max-ram 128kB" "--min-macs --max-ram 256kB" \
                    "--min-macs --max-ram 512kB"; do
            # shellcheck disable=SC2086
            out=$("$msf" plan "$model" $goal $stream --json 2>&1)
            figures=$(printf '%s' "$out" | sed -n 's/.*"peak_ram":\([0-9]*\),"macs":\([0-9]*\),.*"blocks":\(\[[][0-9,]*\]\).*/\1 \2 \3/p')
            [ -n "$figures" ] || figures="refused: $(printf '%s' "$out" | head -1)"
            echo "$(basename "$model") | $goal $stream | $figures"
        done
    done
done
