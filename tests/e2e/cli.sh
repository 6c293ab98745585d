#!/bin/sh
# tests/e2e/cli.sh - the casus binary on real files: options, exit statuses,
# and every kind of bad input the foundation issue lists.
. tests/e2e/lib.sh

# --- options and help
run version 0 --version && expect version "$T/out" "casus 0."
run help 0 --help && expect help "$T/out" "tokenize"
run command-help 0 sentences --help && expect command-help "$T/out" "char_start"
run no-command 2 && expect no-command "$T/err" "Usage:"
run unknown-command 2 frobnicate && expect unknown-command "$T/err" "unknown command 'frobnicate'"
run unknown-option 2 sentences --bogus && expect unknown-option "$T/err" "unknown option '--bogus'"
run bad-date 2 --date 2024-02-30 sentences && expect bad-date "$T/err" "not a valid date"
run bad-format 2 --input pdf sentences && expect bad-format "$T/err" "unknown format 'pdf'"
run missing-value 2 sentences --date && expect missing-value "$T/err" "needs a value"

# --- good input, offsets point back into the file
printf 'Iran blamed Israel. ISKP claimed the attack.\n\nIt killed over 90 people.\n' >"$T/a.txt"
if run sentences-txt 0 sentences "$T/a.txt"; then
    n=$(grep -c '"type":"sentence"' "$T/out")
    [ "$n" -ge 2 ] && ok sentences-count || fail sentences-count "$n sentences"
    good=1
    while IFS= read -r line; do
        s=$(json_int char_start "$line"); e=$(json_int char_end "$line")
        want=$(printf '%s\n' "$line" | sed -n 's/.*"text":"\(.*\)"}$/\1/p')
        got=$(dd if="$T/a.txt" bs=1 skip="$s" count=$((e - s)) 2>/dev/null)
        [ "$got" = "$want" ] || { good=0; fail sentence-offsets "[$s,$e) is '$got', text '$want'"; }
    done <"$T/out"
    [ $good = 1 ] && ok sentence-offsets
fi
if run tokenize-txt 0 tokenize "$T/a.txt"; then
    expect tokenize-newdoc "$T/out" "# newdoc id = a.txt"
    expect tokenize-range "$T/out" "TokenRange=0:4"
fi
printf 'From stdin.\n' | "$CASUS" sentences >"$T/out" 2>"$T/err" && \
    expect stdin-default "$T/out" '"doc_id":"stdin"' || fail stdin-default "exit $?"
printf 'From stdin.\n' | "$CASUS" sentences - >"$T/out" 2>"$T/err" && \
    expect stdin-dash "$T/out" '"text":"From stdin."' || fail stdin-dash "exit $?"

# --- bad files: a clear message, the good inputs still processed, exit 1
run missing-file 1 sentences "$T/nope.txt" "$T/a.txt" && {
    expect missing-file-msg "$T/err" "nope.txt: cannot open: No such file"
    expect missing-file-others "$T/out" '"doc_id":"a.txt"'
    expect missing-file-json "$T/out" '"type":"diagnostic"'
}
run directory 1 sentences "$T" && expect directory "$T/err" "is a directory"
: >"$T/empty.txt"
run empty-file 1 sentences "$T/empty.txt" && expect empty-file "$T/err" "empty.txt: warning: empty input"
run read-error 1 sentences /proc/self/mem && expect read-error "$T/err" "/proc/self/mem: read error"
printf 'secret text\n' >"$T/locked.txt"; chmod 000 "$T/locked.txt"
if [ "$(id -u)" != 0 ]; then
    run unreadable 1 sentences "$T/locked.txt" && expect unreadable "$T/err" "Permission denied"
elif command -v setpriv >/dev/null 2>&1; then
    chmod 755 "$T"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$CASUS" sentences "$T/locked.txt" >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -eq 1 ]; then expect unreadable "$T/err" "locked.txt: cannot open: Permission denied"
    else fail unreadable "exit $rc: $(cat "$T/err")"; fi
else
    skip unreadable "running as root and setpriv is not installed"
fi

# --- bad bytes: repaired, reported with file and line, output stays valid
printf 'Line one.\nBad \377 byte and a NUL \000 here.\n' >"$T/bad.txt"
run invalid-utf8 1 sentences "$T/bad.txt" && {
    expect invalid-utf8-msg "$T/err" "bad.txt:2: warning: invalid UTF-8"
    expect nul-msg "$T/err" "bad.txt:2: warning: NUL byte"
    expect invalid-utf8-out "$T/out" "$(printf 'Bad \357\277\275 byte')"
    expect invalid-utf8-diag "$T/out" '"severity":"warning","line":2'
}

# --- output that cannot be written
if [ -w /dev/full ]; then
    "$CASUS" sentences "$T/a.txt" >/dev/full 2>"$T/err"
    rc=$?
    [ $rc -eq 3 ] && expect write-error "$T/err" "cannot write output" || fail write-error "exit $rc"
else
    skip write-error "/dev/full is not available"
fi
exit 0
