#!/bin/sh
# Shared by the example tests: the pattern input the examples feed
# (element i is (i mod 256) / 255, quantized at scale 1/255 and zero point
# -128: byte (i mod 256) - 128), and the top class of an output file.
# pattern_input N FILE: N bytes of the pattern.
pattern_input() {
    LC_ALL=C awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%c", (i % 256 + 128) % 256 }' >"$2"
}
# top_class FILE: the index of the largest int8 (the first of equals).
top_class() {
    od -An -v -td1 "$1" | tr -s ' ' '\n' | awk 'NF { if (n == 0 || $1 > best) { best = $1; at = n } n++ } END { print at }'
}
