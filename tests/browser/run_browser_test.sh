#!/bin/sh
# msf report in a real browser: headless Chromium (Debian's, installed by
# scripts/install-deps.sh browser when missing) loads the page from a file
# with nothing else reachable, and must build a DOM holding both figures and
# every table; its screenshot is kept as WORK_DIR/report.png (the README's
# picture). Skips (exit 77) when Chromium cannot be installed.
# usage: run_browser_test.sh MSF DEMO_MODEL_TOOL SOURCE_DIR WORK_DIR
set -u
msf=$1 make_demo=$2 src=$3 work=$4
if ! command -v chromium >/dev/null 2>&1; then
    sh "$src/scripts/install-deps.sh" browser >/dev/null 2>&1
    command -v chromium >/dev/null 2>&1 || { echo "SKIP: chromium is not installed and could not be (apt-get install chromium)"; exit 77; }
fi
rm -rf "$work" && mkdir -p "$work"
. "$(dirname "$0")/../harness.sh"

"$make_demo" "$work/demo.tflite" || { echo "FAIL cannot write the demo model"; exit 1; }
expect 0 "" "report" -- "$msf" report "$work/demo.tflite" -o "$work/report.html" --max-overhead 20%
# Root needs --no-sandbox; a profile of its own keeps the run from touching $HOME.
browse() {
    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
        --window-size=1000,2300 "$@" "file://$work/report.html" 2>"$work/chromium.err"
}
if browse --dump-dom >"$work/dom.html"; then
    pass
else
    fail "chromium --dump-dom: $(tail -3 "$work/chromium.err")"
fi
[ "$(grep -o "<svg" "$work/dom.html" | wc -l)" -eq 2 ] && pass || fail "the DOM lacks the two figures"
[ "$(grep -o "<table" "$work/dom.html" | wc -l)" -eq 5 ] && pass || fail "the DOM lacks a table"
grep -q "<polyline" "$work/dom.html" && grep -q "Pareto front" "$work/dom.html" && pass || fail "the figures are empty"
browse --screenshot="$work/report.png" >/dev/null
[ "$(head -c 4 "$work/report.png" 2>/dev/null | od -An -c | tr -d ' ')" = "211PNG" ] &&
    [ "$(wc -c <"$work/report.png")" -gt 20000 ] && pass || fail "no screenshot"
echo "screenshot: $work/report.png"
finish
