# tests/e2e/lib.sh - helpers for the end-to-end tests (sourced).
# Each check prints "ok NAME", "FAIL NAME: why" or "skip NAME: why".
CASUS=${CASUS:-$PWD/${BUILD:-build}/casus}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "skip $1: $2"; }

# run NAME EXPECTED_RC ARGS... : runs casus, keeps stdout in $T/out and
# stderr in $T/err, and checks the exit status.
run() {
    name=$1; want=$2; shift 2
    "$CASUS" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit $rc, expected $want; stderr: $(head -c 400 "$T/err")"
        return 1
    fi
    return 0
}

# expect NAME FILE PATTERN : FILE contains the fixed string PATTERN.
expect() {
    if grep -qF -- "$3" "$2"; then ok "$1"; else
        fail "$1" "$(basename "$2") lacks '$3'; it has: $(head -c 400 "$2")"; fi
}

# json_int FIELD LINE : the integer value of FIELD in a JSON line.
json_int() { printf '%s\n' "$2" | sed -n "s/.*\"$1\":\([0-9-]*\).*/\1/p"; }
