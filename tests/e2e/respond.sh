#!/bin/sh
# tests/e2e/respond.sh - response links: casus code on the mission's article
# (../shared/seed/article.txt, --date 2024-01-25) links Kerman (Jan 2024) to
# the strikes into Pakistan, Ahvaz (Sept 2018) to the October 2018 strikes
# and Tehran (June 2017) to the strikes on IS in Syria; casus code --db
# stores the links (ids and the events standing for their sides) in
# response_links, in SQLite and (with $CASUS_TEST_PG) PostgreSQL, and
# re-running changes nothing.
. tests/e2e/lib.sh
SEED=${SHARED:-../shared}/seed/article.txt

# the incident record with id $1 in $T/out
incident() { grep "{\"type\":\"incident\",\"id\":\"$1\"" "$T/out"; }

# link NAME TRIGGER_PATTERN RESPONSE_PATTERN BASIS: some response record
# whose trigger and response incidents match the patterns
link() {
    found=""
    grep '"type":"response"' "$T/out" >"$T/links"
    while IFS= read -r l; do
        t=$(printf '%s\n' "$l" | sed -n 's/.*"trigger":"\([^"]*\)".*/\1/p')
        r=$(printf '%s\n' "$l" | sed -n 's/.*"response":"\([^"]*\)".*/\1/p')
        if incident "$t" | grep -qF -- "$2" && incident "$r" | grep -qF -- "$3" &&
            printf '%s\n' "$l" | grep -qF -- "\"basis\":\"$4\""; then found=$l; fi
    done <"$T/links"
    if [ -n "$found" ]; then ok "$1"; else fail "$1" "no link $2 -> $3 ($4): $(cat "$T/links")"; fi
}

if [ ! -f "$SEED" ]; then
    skip respond-article "$SEED not present"
elif ! run respond-article 0 code -q --date 2024-01-25 "$SEED"; then
    :
elif ! grep -q '"location":{' "$T/out"; then
    skip respond-article "no gazetteer (data/gazetteer.bin): the links need places"
else
    link respond-kerman '"name":"Kerman"' '"country":"PAK"' "text:two weeks after"
    link respond-ahvaz '"name":"Ahvaz"' '"date_start":"2018-10-01"' "text:after"
    link respond-tehran '"name":"Tehran"' '"date_start":"2017-01-01","date_end":"2017-12-31","date_precision":"year"' "text:following"
    n=$(grep -c '"type":"response"' "$T/out")
    [ "$n" -eq 3 ] && ok respond-article-count || fail respond-article-count "$n links"
    last_inc=$(grep -n '"type":"incident"' "$T/out" | tail -1 | cut -d: -f1)
    first_link=$(grep -n '"type":"response"' "$T/out" | head -1 | cut -d: -f1)
    [ "${last_inc:-0}" -lt "${first_link:-0}" ] && ok respond-order ||
        fail respond-order "response records before incident records"
    # all three stored, with the ids of the JSON records
    if run respond-article-db 0 --db "$T/article.db" code -q --date 2024-01-25 "$SEED" &&
        run respond-article-db-query 0 --db "$T/article.db" query "SELECT trigger_ref || '>' || response_ref || ' ' || kind || ' ' || (response_event_id IS NOT NULL) AS l FROM response_links ORDER BY link_id" --format csv; then
        [ "$(grep -c '^article.txt#[0-9]*>article.txt#[0-9]* text:.* 1$' "$T/out")" -eq 3 ] &&
            ok respond-article-db-links || fail respond-article-db-links "$(cat "$T/out")"
    fi
    run respond-article-again 0 code -q --date 2024-01-25 "$SEED"
    l=$(grep '"basis":"text:two weeks after"' "$T/out")
    [ "$(json_int lag_days "$l")" -ge 7 ] && [ "$(json_int lag_days "$l")" -le 17 ] &&
        ok respond-kerman-lag || fail respond-kerman-lag "$l"
fi

# not responses: a strike before the attack, a state not attacked, a group
printf 'On March 1, Iran launched missile strikes on militants in Pakistan. On March 10, gunmen attacked a police station in Zahedan, Iran, killing 11 policemen.\n' >"$T/before.txt"
printf 'On April 1, gunmen attacked a police station in Zahedan, Iran, killing 11 policemen. On April 5, Turkey launched air strikes on Kurdish militants in northern Iraq.\n' >"$T/unrelated.txt"
printf 'On May 1, gunmen attacked a police station in Zahedan, Iran, killing 11 policemen. On May 5, Jaish al-Adl militants attacked a border post in Saravan, Iran, in retaliation for the arrest of their members.\n' >"$T/group.txt"
if run respond-negative 0 code -q --date 2024-06-01 "$T/before.txt" "$T/unrelated.txt" "$T/group.txt"; then
    if grep -q '"type":"response"' "$T/out"; then fail respond-negative "$(grep '"type":"response"' "$T/out")"
    else ok respond-negative; fi
fi

# the store: the links with their ids and events, idempotent
pos='On January 3, Islamic State militants attacked a memorial in Kerman, Iran, killing 90 people. On January 16, Iran launched missile strikes on Jaish al-Adl bases in Pakistan in retaliation for the Kerman attack.'
printf '%s\n' "$pos" >"$T/pos.txt"
store() {  # store BACKEND DB
    B=respond-$1
    if run "$B-code" 0 --db "$2" code -q --date 2024-01-20 "$T/pos.txt"; then
        expect "$B-record" "$T/out" '"basis":"text:in retaliation for"'
        q="SELECT t.source_code || '>' || t.target_code || ' ' || r.source_code || '>' || r.target_code || ' ' || l.kind || ' ' || l.lag_days AS link FROM response_links l JOIN events t ON t.event_id = l.event_id JOIN events r ON r.event_id = l.response_event_id"
        if run "$B-query" 0 --db "$2" query "$q" --format csv; then
            expect "$B-row" "$T/out" 'IMGMUSISI'
            expect "$B-row-response" "$T/out" 'IRN>IRNINSJAA text:in retaliation for 13'
        fi
        run "$B-again" 0 --db "$2" code -q --date 2024-01-20 "$T/pos.txt"
        if run "$B-count" 0 --db "$2" query "SELECT count(*) AS n FROM response_links" --format csv; then
            [ "$(tail -1 "$T/out")" = 1 ] && ok "$B-idempotent" || fail "$B-idempotent" "$(cat "$T/out")"
        fi
    fi
    # the article's incidents, stored and answered by query incidents
    [ -f "$SEED" ] || return 0
    if run "$B-article" 0 --db "$2" code -q --date 2024-01-25 "$SEED" &&
        run "$B-article-incidents" 0 --db "$2" query incidents --country IRN --from 2017-01 --to 2024-12 --format csv; then
        expect "$B-article-kerman" "$T/out" "article.txt#1,2024-01-03,2024-01-03,day,IRN,Kerman,Kerman,30.28"
        expect "$B-article-tehran-2017" "$T/out" "article.txt#2,2017-06-01,2017-06-30,month,IRN,Tehran,Tehran,35.69"
        expect "$B-article-ahvaz-2018" "$T/out" "article.txt#3,2018-09-01,2018-09-30,month,IRN,Khuzestan,Ahvaz"
        grep -q "Balochistan" "$T/out" && fail "$B-article-country" "Pakistan's Balochistan listed for IRN" ||
            ok "$B-article-country"
        sed 1d "$T/out" | sort >"$T/inc1"
        run "$B-article-again" 0 --db "$2" code -q --date 2024-01-25 "$SEED"
        "$CASUS" --db "$2" query incidents --country IRN --from 2017-01 --to 2024-12 --format csv | sed 1d | sort >"$T/inc2"
        cmp -s "$T/inc1" "$T/inc2" && ok "$B-article-idempotent" || fail "$B-article-idempotent" "incidents changed on re-run"
        run "$B-article-acled" 0 --db "$2" export --format acled &&
            expect "$B-article-acled-fatalities" "$T/out" "killed 17 locals.\",17,"
    fi
}
if grep -q '"location":{' "$T/out" 2>/dev/null || [ -f data/gazetteer.bin ]; then
    store sqlite "$T/r.db"
    if [ -n "${CASUS_TEST_PG:-}" ]; then
        if psql -q "$CASUS_TEST_PG" -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1; then
            store pg "$CASUS_TEST_PG"
        else
            skip respond-pg "CASUS_TEST_PG is set but psql cannot reach it"
        fi
    else
        skip respond-pg "CASUS_TEST_PG is not set (no PostgreSQL server to test against)"
    fi
else
    skip respond-store "no gazetteer (data/gazetteer.bin): the links need places"
fi

# the case-study tool codes its own store (--code) and reports the stored link
CS=${BUILD:-build}/bench/iran_case_study
if [ ! -x "$CS" ]; then
    skip respond-case-study "$CS not built"
elif [ ! -f data/gazetteer.bin ]; then
    skip respond-case-study "no gazetteer (data/gazetteer.bin)"
else
    printf 'trigger_date\ttrigger\tclaimed_by\tresponse_date\tstate_response\tsources\n2024-01-03\tKerman\tIS\t2024-01-16\tstrikes\tx\n' >"$T/ep.tsv"
    if "$CS" --db "$T/cs.db" --date 2024-01-20 --code "$T/pos.txt" --episodes "$T/ep.tsv" \
        --horizon 30 >"$T/out" 2>"$T/err"; then
        expect respond-case-study-coded "$T/err" 'coded 1 documents'
        expect respond-case-study-forecast "$T/out" '"target":"IMGMUSISI'
        expect respond-case-study-link "$T/out" 'pos.txt#1,2024-01-03,pos.txt#2,2024-01-16,IRN,text:in retaliation for,13'
    else
        fail respond-case-study "exit $?: $(head -c 300 "$T/err")"
    fi
fi
