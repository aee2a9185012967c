#!/bin/sh
# Prints, after a ctest run, why tests skipped (in whole or in part): ctest's
# summary names a skipped test but not its reason, which the test printed.
# Each line of a test's output that mentions skipping is shown with the
# test's name.
# usage: scripts/ctest_skips.sh BUILD_DIR
log=$1/Testing/Temporary/LastTest.log
[ -f "$log" ] || exit 0
awk '
    /^[0-9]+\/[0-9]+ Test: / { name = $3; inside = 0; next }
    /^Output:$/ { inside = 1; next }
    /^<end of output>$/ { inside = 0; next }
    inside && tolower($0) ~ /skip/ {
        if (!shown++) print "Skips (reference data: set MSF_SHARED_DIR, see README):"
        print "  " name ": " $0
    }
' "$log"
