# Shared by the shell tests (sourced after they set $work): skipping without
# the tools a test needs, counting checks, running a command that must exit
# with a given code and message, and the closing line CTest readers
# understand.
passed=0 failed=0

# skip_without TOOL...: exits 77 (CTest's skip) naming the tools not installed.
skip_without() {
    s_missing=""
    for s_tool in "$@"; do
        command -v "$s_tool" >/dev/null 2>&1 || s_missing="$s_missing $s_tool"
    done
    if [ -n "$s_missing" ]; then
        echo "SKIP: not installed:$s_missing (scripts/install-deps.sh cross installs them)"
        exit 77
    fi
}

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
