#!/bin/sh
# tests/e2e/code.sh - `casus code` on real files: the example article, the
# mission's article (when ../shared is present), options, and the store.
. tests/e2e/lib.sh

if [ ! -r data/models/parser.bin ]; then
    skip code "data/models/parser.bin missing"
    exit 0
fi

# events EVENTS_FILE: "sentence source target cameo negated" lines
events() {
    sed -n 's/.*"sentence_index":\([0-9]*\).*"source":{"code":"\([^"]*\)".*"target":\(null\|{"code":"\([^"]*\)"\).*"cameo":"\([^"]*\)".*"negated":\([a-z]*\).*/\1 \2 \4 \5 \6/p' "$1"
}
# has NAME REGEX: an event line matches the extended regex
has() {
    if events "$T/out" | grep -Eq -- "$2"; then ok "$1"; else
        fail "$1" "no event matches '$2'; events: $(events "$T/out" | tr '\n' ';' | head -c 600)"; fi
}

run code-help 0 code --help && expect code-help "$T/out" "--dictionaries"
run code-bad-dicts 3 code --dictionaries "$T/none" examples/kerman.txt &&
    expect code-bad-dicts "$T/err" "casus:"

# --- the example article
if run code-kerman 0 code -q --date 2024-01-25 examples/kerman.txt; then
    n=$(grep -c '"type":"event"' "$T/out")
    [ "$n" -ge 3 ] && ok code-kerman-count || fail code-kerman-count "$n events"
    has code-kerman-claim '^[0-9]+ IMGMUSISK  015 false'
    has code-kerman-strike '^[0-9]+ IRN[A-Z]* [A-Z]+ 19[0-9]+ false'
    # every event record carries the sentence as evidence, with its offsets
    # (incident records, which follow the events, carry theirs as a list)
    grep '"type":"event"' "$T/out" >"$T/ev"
    good=1
    while IFS= read -r line; do
        s=$(json_int char_start "$line"); e=$(json_int char_end "$line")
        want=$(printf '%s\n' "$line" | sed -n 's/.*"text":"\(.*\)"}$/\1/p')
        got=$(dd if=examples/kerman.txt bs=1 skip="$s" count=$((e - s)) 2>/dev/null | tr '\n' ' ')
        want=$(printf '%s' "$want" | sed 's/\\n/ /g; s/\\"/"/g')
        [ "$got" = "$want" ] || { good=0; fail code-evidence "[$s,$e) is '$got', text '$want'"; break; }
    done <"$T/ev"
    [ $good = 1 ] && ok code-evidence
fi

# --- stdin, and --db stores the events
if printf 'Iran attacked Pakistan on January 16, 2024.\n' >"$T/s.txt" &&
   run code-stdin 0 code -q --date 2024-01-25 - <"$T/s.txt"; then
    has code-stdin-event '^0 IRN PAK 190 false'
    expect code-stdin-date "$T/out" '"date":"2024-01-16"'
fi
if run code-db 0 --db "$T/c.db" code -q --date 2024-01-25 examples/kerman.txt; then
    run code-db-query 0 --db "$T/c.db" query "SELECT count(*) FROM events" &&
    n=$(tr -dc '0-9\n' <"$T/out" | grep -E '^[0-9]+$' | tail -1)
    [ "${n:-0}" -ge 3 ] && ok code-db-events || fail code-db-events "stored '$n' events"
fi

# --- the mission's article
ART=${SHARED:-../shared}/seed/article.txt
if [ ! -r "$ART" ]; then
    skip code-article "$ART not present"
    exit 0
fi
if run code-article 0 code -q --date 2024-01-25 "$ART"; then
    # the Kerman bombing by IS against Iran (an Iranian target), on January 3
    has article-kerman '^0 IMGMUSIS[IK] IRN[A-Z]* 1[89][0-9]* false'
    expect article-kerman-date "$T/out" '"date":"2024-01-03"'
    # ISKP claiming responsibility
    has article-claim '^[0-9]+ IMGMUSISK  015 false'
    # Iranian media accusing Israel and the United States
    has article-blame-isr '^[0-9]+ IRN[A-Z]* ISR 112[0-9]* false'
    has article-blame-usa '^[0-9]+ IRN[A-Z]* USA 112[0-9]* false'
    # June 2017: "the IS" (the acronym, not the verb "is") stormed the
    # Iranian parliament; Sept 2018: "it" attacked the parade is IS again
    has article-is-parliament '^16 IMGMUSISI IRNLEG 19[0-9]* false'
    has article-is-mausoleum '^16 IMGMUSISI IRNELI 19[0-9]* false'
    has article-it-ahvaz '^17 IMGMUSISI [A-Z]* *19[0-9]* false'
    if events "$T/out" | grep -Eq '^1[67] IRN'; then
        fail article-no-iran-attacker "an Iranian source in sentence 16/17: $(events "$T/out" | grep -E '^1[67] ' | tr '\n' ';')"
    else ok article-no-iran-attacker; fi
    # Iranian missile strikes on Pakistan, against Jaish al-Adl
    has article-strike-pak '^[0-9]+ IRN[A-Z]* PAK 19[0-9]+ false'
    has article-strike-jaa '^[0-9]+ IRN[A-Z]* IRNINSJAA 19[0-9]+ false'
    # "claiming to target Jaish al-Adl" states a purpose: no claim (015)
    if events "$T/out" | grep -Eq '^46 [A-Z]+ [A-Z]* *015 '; then
        fail article-purpose-no-claim "sentence 46 coded 015"
    else ok article-purpose-no-claim; fi
    # no sentence about possible future cooperation is an event
    bad=$(grep -E '"text":"(The attack in Kerman may force|Vahidi may explore|He could also expand|Vahidi could expand|He could move towards|IRGC could also provide|In addition to joint intelligence|It is too early|This may not be easy)' "$T/out" | head -3)
    [ -z "$bad" ] && ok article-no-future || fail article-no-future "$(printf '%s' "$bad" | cut -c1-300)"
fi
