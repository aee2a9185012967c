# Shared by the shell tests (sourced after they set $work): counting checks,
# running a command that must exit with a given code and message, and the
# closing line CTest readers understand.
passed=0 failed=0

pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# expect CODE PATTERN DESCRIPTION -- COMMAND...: exit code CODE and, when
# PATTERN is not empty, stderr matching it (grep). stdout and stderr stay in
# $work/stdout and $work/stderr for further checks.
expect() {
    e_code=$1 e_pattern=$2 e_what=$3
    shift 4
    "$@" >"$work/stdout" 2>"$work/stderr"
    e_got=$?
    if [ "$e_got" -ne "$e_code" ]; then
        fail "$e_what: exit $e_got, expected $e_code; stderr: $(head -c 300 "$work/stderr")"
    elif [ -n "$e_pattern" ] && ! grep -q -- "$e_pattern" "$work/stderr"; then
        fail "$e_what: stderr lacks '$e_pattern': $(head -c 300 "$work/stderr")"
    else
        pass
    fi
}

# The closing line, and the exit status: 0 when nothing failed.
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
