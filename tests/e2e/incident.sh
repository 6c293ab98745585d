#!/bin/sh
# tests/e2e/incident.sh - casus incidents on examples/kerman.txt and the
# mission's article (../shared/seed/article.txt) with --date 2024-01-25.
. tests/e2e/lib.sh
SEED=${SHARED:-../shared}/seed/article.txt

if run incidents-kerman 0 incidents -q --date 2024-01-25 examples/kerman.txt; then
    expect incidents-record "$T/out" '{"type":"incident","id":"kerman.txt#'
    expect incidents-evidence "$T/out" '"evidence":[{"doc_id":"kerman.txt","sentence_index":'
    if grep -q '"location":{"name":"Kerman"' "$T/out"; then
        k=$(grep '"location":{"name":"Kerman"' "$T/out" | head -1)
        printf '%s\n' "$k" >"$T/k"
        expect incidents-kerman-date "$T/k" '"date_start":"2024-01-03"'
        expect incidents-kerman-killed "$T/k" '"killed":{"min":91,"max":null}'
        expect incidents-kerman-claimed "$T/k" '"code":"IMGMUSISK","status":"claimed"'
        expect incidents-kerman-blamed "$T/k" '"code":"ISR","status":"blamed","blamed_by":"Iranian officials"'
        expect incidents-kerman-method "$T/k" '"method":"suicide-attack"'
        tehran=$(grep -c '"date_start":"2017-06-01"' "$T/out")
        [ "$tehran" -ge 1 ] && ok incidents-tehran-apart || fail incidents-tehran-apart "no June 2017 record"
    else
        skip incidents-kerman-fields "no gazetteer (data/gazetteer.bin): locations are null"
    fi
fi

if [ -f "$SEED" ]; then
    if run incidents-seed 0 incidents -q --date 2024-01-25 "$SEED"; then
        for place in Kerman Mashhad Shiraz Ahvaz; do
            if grep -q "\"location\":{\"name\":\"$place\"" "$T/out"; then ok "incidents-seed-$place"
            elif ! grep -q '"location":{' "$T/out"; then skip "incidents-seed-$place" "no gazetteer"
            else fail "incidents-seed-$place" "no record located in $place"; fi
        done
        n=$(grep -c '"type":"incident"' "$T/out")
        [ "$n" -ge 6 ] && ok incidents-seed-count || fail incidents-seed-count "$n records"
        # Kerman: Israel and the United States blamed by Iran's pro-government
        # media, ISKP claimed, and Iran not a perpetrator of the attack on it
        if grep -q '"location":{"name":"Kerman"' "$T/out"; then
            grep '"location":{"name":"Kerman"' "$T/out" | head -1 >"$T/sk"
            expect incidents-seed-kerman-blamed "$T/sk" '"code":"ISR","status":"blamed","blamed_by":"Iran’s pro-government media"'
            expect incidents-seed-kerman-claimed "$T/sk" '"code":"IMGMUSISK","status":"claimed"'
            # targets of Iran's later (or only possible) strikes are not Kerman's
            if grep -Eq '"targets":\[[^]]*("code":"IMGMUSISK"|Baluchi)' "$T/sk"; then
                fail incidents-seed-kerman-targets "$(grep -o '"targets":\[[^]]*\]' "$T/sk")"
            else ok incidents-seed-kerman-targets; fi
            n=$(grep -c '"location":{"name":"Kerman"' "$T/out")
            [ "$n" = 1 ] && ok incidents-seed-kerman-once || fail incidents-seed-kerman-once "$n records at Kerman"
            if grep -q '"code":"IRN","status"' "$T/sk"; then
                fail incidents-seed-kerman-not-iran "Iran among the perpetrators"
            else ok incidents-seed-kerman-not-iran; fi
        fi
        # Iran's strikes in Balochistan: the target carries its code
        grep '"location":{"name":"Balochistan"' "$T/out" | head -1 >"$T/sb"
        expect incidents-seed-jaa-code "$T/sb" '"code":"IRNINSJAA","type":"armed group"'
        # June 2017 (parliament, mausoleum) and Ahvaz 2018: IS, reported
        for d in 2017-06-01 2018-09-01; do
            grep "\"date_start\":\"$d\"" "$T/out" | head -1 >"$T/sd"
            expect "incidents-seed-is-$d" "$T/sd" '"perpetrators":[{"name":"IS","code":"IMGMUSISI","status":"reported"'
        done
    fi
else
    skip incidents-seed "$SEED not present"
fi

# bad input: an impossible date and an overflowing count give nulls and warnings
printf 'A bomb exploded in Kabul on February 30, 2024, killing 99999999999999999999 people.\n' >"$T/bad.txt"
if run incidents-bad 1 incidents --date 2024-03-01 "$T/bad.txt"; then
    expect incidents-bad-null "$T/out" '"killed":null'
    expect incidents-bad-date "$T/out" '"date_start":null'
    expect incidents-bad-diag "$T/err" 'too large'
fi
# a document without attacks: no records, exit 0
printf 'The minister met his counterpart in Geneva.\n' >"$T/none.txt"
if run incidents-none 0 incidents -q "$T/none.txt"; then
    [ ! -s "$T/out" ] && ok incidents-none-empty || fail incidents-none-empty "$(head -c 200 "$T/out")"
fi
# casus code: the incident records follow the events
if run incidents-code 0 code -q --date 2024-01-25 examples/kerman.txt; then
    expect incidents-code-records "$T/out" '{"type":"incident","id":"kerman.txt#1"'
    last_event=$(grep -n '"type":"event"' "$T/out" | tail -1 | cut -d: -f1)
    first_inc=$(grep -n '"type":"incident"' "$T/out" | head -1 | cut -d: -f1)
    if [ -n "$first_inc" ] && [ "${last_event:-0}" -lt "$first_inc" ]; then ok incidents-code-order
    else fail incidents-code-order "incident records before events"; fi
fi
