#!/bin/sh
# tests/e2e/golden.sh - data-driven golden cases, as jq and SQLite keep them.
# Each tests/cases/NNNN-name/ holds the inputs, `args` (the casus command
# line, run inside the case folder), `expected` (standard output) and
# optionally `rc` (exit status, default 0). IDs are never renumbered; a bug
# fix adds a case. UPDATE=1 rewrites `expected` from the current output
# (review the diff before committing).
. tests/e2e/lib.sh
for d in tests/cases/*/; do
    [ -f "$d/args" ] || continue
    name=$(basename "$d")
    want_rc=0
    [ -f "$d/rc" ] && want_rc=$(cat "$d/rc")
    (cd "$d" && eval "\"$CASUS\" $(cat args)") >"$T/out" 2>"$T/err"
    rc=$?
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$T/out" "$d/expected"
        [ "$rc" != 0 ] && echo "$rc" >"$d/rc"
    fi
    if [ "$rc" != "$want_rc" ]; then
        fail "$name" "exit $rc, expected $want_rc: $(head -c 300 "$T/err")"
    elif ! cmp -s "$T/out" "$d/expected"; then
        fail "$name" "output differs: $(diff "$d/expected" "$T/out" | head -20)"
    else
        ok "$name"
    fi
done
