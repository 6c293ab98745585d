#!/bin/sh
# tests/run.sh - runs every test and prints one closing line:
#   "N passed, N failed, N skipped"
# Arguments: the cmocka unit-test binaries. Also runs tests/e2e/*.sh (each
# prints "ok NAME", "FAIL NAME: why" or "skip NAME: why" lines).
BUILD=${BUILD:-build}
SHARED=${SHARED:-../shared}
export BUILD SHARED
passed=0; failed=0; skipped=0
log=$(mktemp)
for t in "$@"; do
    "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
    p=${p:-0}; f=${f:-0}; s=${s:-0}
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$f" -ne 0 ] || [ $rc -ne 0 ]; then
        echo "FAIL $(basename "$t")"; cat "$log"
    else
        echo "ok   $(basename "$t"): $p passed${s:+, $s skipped}"
        grep -E 'SKIPPED|skip' "$log" | sed 's/^/     /' | head -20
    fi
done
for e in tests/e2e/*.sh; do
    [ "$(basename "$e")" = lib.sh ] && continue
    [ -f "$e" ] || continue
    sh "$e" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^FAIL ' "$log"); s=$(grep -c '^skip ' "$log")
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAIL $e exited $rc"; fi
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$f" -ne 0 ]; then echo "FAIL $(basename "$e")"; cat "$log"
    else echo "ok   $(basename "$e"): $p passed"; grep '^skip ' "$log" | sed 's/^/     /'; fi
done
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
