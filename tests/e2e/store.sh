#!/bin/sh
# tests/e2e/store.sh - the real binary and a real store: ingest twice adds
# nothing, a changed document replaces its own rows, kill -9 in the middle of
# an ingest followed by a re-run loses nothing and doubles nothing, exports
# round-trip, and bad stores (corrupt, not casus, read-only, newer schema,
# full disk, unreachable PostgreSQL) fail clearly and change nothing. The
# core runs against SQLite, and against PostgreSQL when $CASUS_TEST_PG is set.
. tests/e2e/lib.sh

command -v sqlite3 >/dev/null 2>&1 && HAVE_SQLITE3=1 || HAVE_SQLITE3=0

# The SQL that takes a store's incidents back to schema 9 (no counts on the
# rows), for the tests that make an older store from a new one.
DOWN10="ALTER TABLE incidents DROP COLUMN n_documents; ALTER TABLE incidents DROP COLUMN n_evidence;"

# gen FILE DOCS [CAMEO]: event records, 5 per document, deterministic.
gen() {
    awk -v n="$2" -v cameo="${3:-190}" 'BEGIN {
        split("IRN IRQ SYR AFG PAK ISR USA RUS TUR YEM", c, " ");
        for (d = 0; d < n; d++) {
            for (e = 0; e < 5; e++) {
                s = c[(d + e) % 10 + 1]; t = c[(d * 7 + e) % 10 + 1];
                printf "{\"type\":\"event\",\"doc_id\":\"gen-%d\",\"url\":\"https://example.com/%d\",", d, d;
                printf "\"pub_date\":\"20%02d-%02d-01\",\"sentence_index\":%d,\"char_start\":%d,\"char_end\":%d,", 17 + d % 8, d % 12 + 1, e, e * 50, e * 50 + 49;
                printf "\"date\":\"20%02d-%02d-%02d\",\"source\":{\"code\":\"%sMIL\",\"text\":\"%s forces\",\"start\":%d,\"end\":%d},", 17 + d % 8, d % 12 + 1, e + 1, s, s, e * 50, e * 50 + 10;
                printf "\"target\":{\"code\":\"%sCVL\",\"text\":\"civilians\",\"start\":%d,\"end\":%d},", t, e * 50 + 20, e * 50 + 29;
                printf "\"cameo\":\"%s\",\"goldstein\":-10,\"quad_class\":4,\"plover_type\":\"ASSAULT\",\"plover_mode\":\"firearms\",", cameo;
                printf "\"negated\":false,\"text\":\"%s forces attacked civilians in sentence %d of document %d.\"}\n", s, e, d;
            }
        }
    }' >"$1"
}

# gen_inc FILE N: documents (JSON Lines) that each report one attack, in one
# of ten cities, a city's attacks a month apart (after 960 documents they
# repeat, and the incident stage merges the repeats).
gen_inc() {
    awk -v n="$2" 'BEGIN {
        split("Kerman Tehran Ahvaz Mashhad Shiraz Zahedan Kabul Quetta Baghdad Mosul", c, " ");
        split("January February March April May June July August September October November December", mo, " ");
        for (d = 0; d < n; d++) {
            q = int(d / 10); day = 1 + d % 28; m = 1 + q % 12; y = 17 + int(q / 12) % 8;
            printf "{\"id\":\"inc-%d\",\"date\":\"20%02d-%02d-28\",\"text\":\"A suicide bomber killed %d people at a market in %s on %d %s 20%02d. Islamic State claimed the attack.\"}\n", d, y, m, 3 + d % 40, c[d % 10 + 1], day, mo[m], y;
        }
    }' >"$1"
}

# incidents DB: the stored incidents with their evidence, as CSV.
incidents() {
    "$CASUS" --db "$1" query "SELECT i.incident_ref, i.start_date, i.country, i.location, i.killed_min, i.killed_max, i.method, i.perpetrators, i.targets, (SELECT count(*) FROM incident_evidence e WHERE e.incident_pk = i.incident_pk) AS ev, (SELECT count(DISTINCT e.doc_pk) FROM incident_evidence e WHERE e.incident_pk = i.incident_pk) AS docs FROM incidents i ORDER BY i.incident_ref" --format csv 2>&1
}

# consistent DB: every incident has evidence, every evidence row an incident
# and a document; prints the number of violations.
consistent() {
    "$CASUS" --db "$1" query "SELECT (SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_evidence e WHERE e.incident_pk = i.incident_pk)) + (SELECT count(*) FROM incident_evidence e WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.incident_pk = e.incident_pk) OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.doc_pk = e.doc_pk)) AS bad" --format csv 2>&1 | tail -1
}

# digest DB: counts and a checksum of every stored event (ids and runs aside).
digest() {
    "$CASUS" --db "$1" query "SELECT (SELECT count(*) FROM documents) || ' ' || (SELECT count(*) FROM sentences) || ' ' || (SELECT count(*) FROM events) AS n" --format csv 2>/dev/null | tail -1
    "$CASUS" --db "$1" export --format jsonl 2>/dev/null |
        sed -e 's/"event_id":[0-9]*,//' -e 's/,"run_id":[0-9]*//' | LC_ALL=C sort | cksum
}

# same_answers NAME DB: the named queries over whole months (read from the
# rollups) equal the same ranges in days (read from the events table).
same_answers() {
    sa_name=$1; sa_db=$2; bad=""
    for q in "timeline" "timeline --country IRN" "timeline --country I" \
             "dyads --limit 100000" "dyads --country SYR --limit 100000" \
             "actor IRN" "actor IRNMIL" "actor I"; do
        for r in "2017-01 2024-12 2017-01-01 2024-12-31" "2019-03 2020-02 2019-03-01 2020-02-31"; do
            set -- $r
            "$CASUS" --db "$sa_db" query $q --from "$1" --to "$2" --format csv >"$T/m.csv" 2>&1
            "$CASUS" --db "$sa_db" query $q --from "$3" --to "$4" --format csv >"$T/d.csv" 2>&1
            cmp -s "$T/m.csv" "$T/d.csv" || bad="$bad [$q $1..$2]"
        done
    done
    [ -n "$(sed -n 2p "$T/m.csv")" ] || bad="$bad [empty answers]"
    [ -z "$bad" ] && ok "$sa_name" || fail "$sa_name" "rollup answers differ:$bad"
}

# postings_ok NAME DB: the actor postings (schema 8) name every event on
# each side it has a code, in a posting whose dates cover the event's.
postings_ok() {
    po=""
    for side in source target; do
        k=0; [ $side = target ] && k=1
        n=$("$CASUS" --db "$2" query "SELECT count(*) AS n FROM events e WHERE e.${side}_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_actor a WHERE a.side = $k AND a.code = e.${side}_code AND a.event_id = e.event_id AND (e.event_date IS NULL OR (a.first_date <= e.event_date AND a.last_date >= e.event_date)))" --format csv 2>&1 | tail -1)
        [ "$n" = 0 ] || po="$po $side: $n"
    done
    [ -z "$po" ] && ok "$1" || fail "$1" "events missing from the postings:$po"
}

# core NAME DB RESET: the behaviour both backends share. RESET empties DB.
core() {
    B=$1; DB=$2; RESET=$3
    $RESET
    gen "$T/a.jsonl" 200
    if run "$B-ingest" 0 --db "$DB" ingest "$T/a.jsonl"; then
        expect "$B-ingest-summary" "$T/err" "200 documents added, 0 replaced, 0 unchanged; 1000 sentences and 1000 events"
    fi
    d1=$(digest "$DB")
    run "$B-ingest-again" 0 --db "$DB" ingest "$T/a.jsonl" &&
        expect "$B-ingest-again-summary" "$T/err" "0 documents added, 0 replaced, 200 unchanged"
    [ "$(digest "$DB")" = "$d1" ] && ok "$B-no-duplicates" || fail "$B-no-duplicates" "store changed on re-ingest"

    # A changed document replaces its own rows and no others.
    sed 's/"doc_id":"gen-7",\(.*\)"cameo":"190"/"doc_id":"gen-7",\1"cameo":"193"/' "$T/a.jsonl" >"$T/b.jsonl"
    run "$B-changed" 0 --db "$DB" ingest "$T/b.jsonl" &&
        expect "$B-changed-summary" "$T/err" "0 documents added, 1 replaced, 199 unchanged; 5 sentences and 5 events"
    "$CASUS" --db "$DB" query "SELECT d.doc_id, count(*) AS n FROM events e JOIN documents d ON d.doc_pk = e.doc_pk WHERE e.cameo = '193' GROUP BY d.doc_id" --format csv >"$T/out" 2>&1
    expect "$B-changed-rows" "$T/out" "gen-7,5"
    run "$B-changed-count" 0 --db "$DB" query "SELECT count(*) AS n FROM events" --format csv &&
        expect "$B-changed-count" "$T/out" "1000"
    same_answers "$B-rollups-after-replace" "$DB"
    postings_ok "$B-postings-after-replace" "$DB"
    # The forecast reads the postings' facts (schema 9); the replaced
    # document's events stay there with a tombstone each.
    "$CASUS" forecast --db "$DB" --actor IRN --horizon 30 >"$T/fc-replaced" 2>&1

    # A store of schema 7 (actor indexes, no postings) migrates to 10 on the
    # first writing open: postings of every event with their facts, the
    # indexes dropped, the same answers and forecast (this one without
    # tombstones: the facts come from the events left).
    down7="$DOWN10 DROP VIEW event_actor; DROP TABLE event_postings; CREATE INDEX events_source ON events(source_code, event_date); CREATE INDEX events_target ON events(target_code, event_date); UPDATE casus_meta SET value = '7' WHERE key = 'schema_version'"
    migrated=0
    if [ "$B" = sqlite ] && [ "$HAVE_SQLITE3" = 1 ]; then
        sqlite3 "$DB" "$down7" && migrated=1
    elif [ "$B" = pg ]; then
        psql -q "$DB" -c "$down7" >/dev/null 2>&1 && migrated=1
    fi
    if [ $migrated = 1 ]; then
        run "$B-migrate-8-readonly" 3 --db "$DB" query timeline &&
            expect "$B-migrate-8-readonly" "$T/err" "needs migrating to 10"
        run "$B-migrate-8" 0 --db "$DB" ingest "$T/b.jsonl" &&
            expect "$B-migrate-8" "$T/err" "0 documents added, 0 replaced, 200 unchanged"
        "$CASUS" --db "$DB" query "SELECT (SELECT value FROM casus_meta WHERE key = 'schema_version') || ' ' || (SELECT count(*) FROM events) AS v" --format csv >"$T/out" 2>&1
        expect "$B-migrate-8-version" "$T/out" "10 1000"
        postings_ok "$B-migrate-8-postings" "$DB"
        "$CASUS" forecast --db "$DB" --actor IRN --horizon 30 >"$T/fc-migrated" 2>&1
        if grep -q '"rank":1' "$T/fc-replaced" && cmp -s "$T/fc-replaced" "$T/fc-migrated"; then
            ok "$B-forecast-tombstones"
        else
            fail "$B-forecast-tombstones" "the forecast after a replacement differs from the one of the migrated store"
        fi
        same_answers "$B-migrate-8-answers" "$DB"
        run "$B-migrate-8-replace" 0 --db "$DB" ingest "$T/a.jsonl" &&
            expect "$B-migrate-8-replace" "$T/err" "0 documents added, 1 replaced, 199 unchanged"
        postings_ok "$B-migrate-8-replace-postings" "$DB"
        same_answers "$B-migrate-8-replace-answers" "$DB"
    else
        skip "$B-migrate-8" "no sqlite3 shell"
    fi

    # Export round trip: jsonl out, ingest into a fresh store, same rows.
    "$CASUS" --db "$DB" export --format jsonl >"$T/rt.jsonl" 2>"$T/err"
    rm -f "$T/rt.db"
    "$CASUS" --db "$T/rt.db" ingest "$T/rt.jsonl" 2>"$T/err"
    [ "$(digest "$T/rt.db")" = "$(digest "$DB")" ] && ok "$B-export-roundtrip" ||
        fail "$B-export-roundtrip" "re-ingested export differs"
    for f in csv gdelt phoenix acled plover; do
        if run "$B-export-$f" 0 --db "$DB" export --format $f; then
            n=$(wc -l <"$T/out")
            [ "$n" -ge 1000 ] && ok "$B-export-$f-rows" || fail "$B-export-$f-rows" "$n lines"
        fi
    done
    awk -F'\t' 'NF != 61 { bad = 1 } END { exit bad }' "$T/out" 2>/dev/null
    "$CASUS" --db "$DB" export --format gdelt | awk -F'\t' 'NF != 61 { bad++ } END { exit bad > 0 }' &&
        ok "$B-gdelt-61-columns" || fail "$B-gdelt-61-columns" "a line without 61 columns"
    "$CASUS" --db "$DB" export --format phoenix | awk -F'\t' 'NF != 26 { bad++ } END { exit bad > 0 }' &&
        ok "$B-phoenix-26-columns" || fail "$B-phoenix-26-columns" "a line without 26 columns"
    run "$B-query-timeline" 0 --db "$DB" query timeline --country IRN --from 2017-01 --to 2024-12 &&
        expect "$B-query-timeline" "$T/out" "material_conflict"
    run "$B-query-readonly" 2 --db "$DB" query "DROP TABLE events" &&
        expect "$B-query-readonly" "$T/err" "read-only"

    # Incidents: casus code --db stores them; a re-run adds nothing; an
    # incident of two documents is one row with the evidence of both; a
    # changed document replaces its own incidents and evidence.
    $RESET
    gen_inc "$T/inc.jsonl" 300
    cat >>"$T/inc.jsonl" <<'DOCS'
{"id":"x-a","date":"2019-05-20","text":"A suicide bomber killed 12 people at a market in Zahedan on 3 May 2019. Islamic State claimed the attack."}
{"id":"x-b","date":"2019-05-21","text":"At least 14 people were killed when a suicide bomber struck a market in Zahedan on 3 May 2019."}
{"id":"x-c","date":"2019-06-21","text":"Gunmen killed 4 police officers in Quetta on 2 June 2019."}
DOCS
    run "$B-inc-code" 0 --db "$DB" code "$T/inc.jsonl"
    incidents "$DB" >"$T/i1.csv"
    n=$(($(wc -l <"$T/i1.csv") - 1))
    [ "$n" = 302 ] && ok "$B-inc-stored" || fail "$B-inc-stored" "$n incidents, not 302"
    expect "$B-inc-row" "$T/i1.csv" 'inc-7#1,2017-01-08,PAK,Quetta,10,10,suicide-attack,"[{""name"":""Islamic State"",""code"":""IMGMUSISI"",""status"":""claimed"",""blamed_by"":null}]"'
    expect "$B-inc-two-docs" "$T/i1.csv" 'x-a#1,2019-05-03,IRN,Zahedan,14,,suicide-attack'
    grep -q '^x-a#1,.*,3,2$' "$T/i1.csv" && ok "$B-inc-two-docs-evidence" ||
        fail "$B-inc-two-docs-evidence" "$(grep '^x-a#1' "$T/i1.csv")"
    # casus ingest of incident records: recognized, skipped with a note,
    # nothing written (they are stored with their documents by casus code).
    "$CASUS" incidents "$T/inc.jsonl" >"$T/increc.jsonl" 2>/dev/null
    run "$B-inc-ingest-records" 0 --db "$DB" ingest "$T/increc.jsonl" &&
        expect "$B-inc-ingest-records-note" "$T/err" "incident or response records skipped"
    incidents "$DB" >"$T/i1b.csv"
    cmp -s "$T/i1.csv" "$T/i1b.csv" && ok "$B-inc-ingest-records-change-nothing" ||
        fail "$B-inc-ingest-records-change-nothing" "incidents changed by ingesting incident records"
    run "$B-inc-code-again" 0 --db "$DB" code "$T/inc.jsonl"
    incidents "$DB" >"$T/i2.csv"
    cmp -s "$T/i1.csv" "$T/i2.csv" && ok "$B-inc-no-duplicates" || fail "$B-inc-no-duplicates" "incidents changed on re-run"
    run "$B-inc-query" 0 --db "$DB" query incidents --country IRN --from 2019-05 --to 2019-05 --format csv &&
        expect "$B-inc-query-row" "$T/out" "x-a#1,2019-05-03,2019-05-03,day,IRN,Sistan and Baluchestan,Zahedan"
    run "$B-inc-query-json" 0 --db "$DB" query incidents --country PAK --from 2019-06-02 --to 2019-06-02 --format json &&
        expect "$B-inc-query-json-row" "$T/out" '"incident":"x-c#1","start_date":"2019-06-02"'
    run "$B-inc-acled" 0 --db "$DB" export --format acled &&
        expect "$B-inc-acled-place" "$T/out" ',,,PAK,Balochistan,,,Quetta,30.1'
    # x-b now reports another attack: x-a#1 keeps x-a's evidence only, x-b#1
    # appears; x-c reports none: x-c#1 goes with its evidence.
    sed -e 's/At least 14 people were killed when a suicide bomber struck a market in Zahedan on 3 May 2019./Gunmen killed 2 soldiers in Mosul on 9 May 2019./' \
        -e 's/Gunmen killed 4 police officers in Quetta on 2 June 2019./The weather was fine in Quetta./' "$T/inc.jsonl" >"$T/inc2.jsonl"
    run "$B-inc-changed" 0 --db "$DB" code "$T/inc2.jsonl"
    incidents "$DB" >"$T/i3.csv"
    grep -q '^x-a#1,.*,2,1$' "$T/i3.csv" && ok "$B-inc-changed-evidence" ||
        fail "$B-inc-changed-evidence" "$(grep '^x-a#1' "$T/i3.csv")"
    expect "$B-inc-changed-new" "$T/i3.csv" "x-b#1,2019-05-09,IRQ,Mosul,2,2"
    grep -q '^x-c#1' "$T/i3.csv" && fail "$B-inc-changed-gone" "x-c#1 is still stored" || ok "$B-inc-changed-gone"
    grep -v '^x-' "$T/i1.csv" >"$T/i1o.csv"; grep -v '^x-' "$T/i3.csv" >"$T/i3o.csv"
    cmp -s "$T/i1o.csv" "$T/i3o.csv" && ok "$B-inc-changed-others" || fail "$B-inc-changed-others" "other incidents changed"
    [ "$(consistent "$DB")" = 0 ] && ok "$B-inc-consistent" || fail "$B-inc-consistent" "$(consistent "$DB") rows without their incident, evidence or document"
    # a district is its own admin2 in ACLED's columns
    printf '%s\n' '{"id":"x-d","date":"2019-06-05","text":"Militants killed 5 soldiers in the Bajaur Agency on 4 June 2019."}' >"$T/adm2.jsonl"
    run "$B-inc-admin2-code" 0 --db "$DB" code "$T/adm2.jsonl" &&
        run "$B-inc-admin2-acled" 0 --db "$DB" export --format acled &&
        expect "$B-inc-admin2-acled-place" "$T/out" ',,,PAK,Khyber Pakhtunkhwa,Bājaur Agency,,Bājaur Agency,34.66'

    # Across runs: x-a, x-b and x-c coded in three daily runs give the rows
    # of one run (x-b joins the stored x-a#1: one row, the evidence of
    # both), and running any of them again writes nothing.
    $RESET
    grep '"id":"x-' "$T/inc.jsonl" >"$T/x.jsonl"
    run "$B-inc-cross-one" 0 --db "$DB" code "$T/x.jsonl"
    incidents "$DB" >"$T/xr1.csv"
    $RESET
    for id in x-a x-b x-c; do
        grep "\"id\":\"$id\"" "$T/inc.jsonl" >"$T/$id.jsonl"
        run "$B-inc-cross-$id" 0 --db "$DB" code "$T/$id.jsonl"
    done
    expect "$B-inc-cross-printed" "$T/out" '"type":"incident","id":"x-c#1"'
    incidents "$DB" >"$T/xr3.csv"
    grep -q '^x-a#1,.*,3,2$' "$T/xr3.csv" && ok "$B-inc-cross-one-row" ||
        fail "$B-inc-cross-one-row" "$(grep '^x-' "$T/xr3.csv")"
    cmp -s "$T/xr1.csv" "$T/xr3.csv" && ok "$B-inc-cross-as-one-run" ||
        fail "$B-inc-cross-as-one-run" "$(diff "$T/xr1.csv" "$T/xr3.csv")"
    runs() { "$CASUS" --db "$DB" query "SELECT doc_id, run_id FROM documents ORDER BY doc_id" --format csv 2>&1; "$CASUS" --db "$DB" query "SELECT incident_ref, run_id FROM incidents ORDER BY incident_ref" --format csv 2>&1; }
    runs >"$T/xruns1"
    run "$B-inc-cross-again-b" 0 --db "$DB" code "$T/x-b.jsonl"
    run "$B-inc-cross-again-all" 0 --db "$DB" code "$T/x.jsonl"
    runs >"$T/xruns2"
    incidents "$DB" >"$T/xr4.csv"
    cmp -s "$T/xruns1" "$T/xruns2" && cmp -s "$T/xr3.csv" "$T/xr4.csv" && ok "$B-inc-cross-rerun-writes-nothing" ||
        fail "$B-inc-cross-rerun-writes-nothing" "$(diff "$T/xruns1" "$T/xruns2")"
    # x-b changes (a higher toll) and is coded again alone: the row is the
    # merge of x-a's stored report and x-b's new one (x-b's old report is
    # gone), as one run of both gives
    sed -e 's/At least 14 people were killed/At least 20 people were killed/' "$T/x-b.jsonl" >"$T/x-b2.jsonl"
    cat "$T/x-a.jsonl" "$T/x-b2.jsonl" "$T/x-c.jsonl" >"$T/x2.jsonl"
    run "$B-inc-cross-replace" 0 --db "$DB" code "$T/x-b2.jsonl"
    incidents "$DB" >"$T/xr6.csv"
    $RESET
    run "$B-inc-cross-replace-one" 0 --db "$DB" code "$T/x2.jsonl"
    incidents "$DB" >"$T/xr7.csv"
    grep -q '^x-a#1,2019-05-03,IRN,Zahedan,20,,.*,3,2$' "$T/xr7.csv" && cmp -s "$T/xr6.csv" "$T/xr7.csv" &&
        ok "$B-inc-cross-replace-remerged" || fail "$B-inc-cross-replace-remerged" "$(diff "$T/xr7.csv" "$T/xr6.csv")"
    # x-b reports no attack now, coded alone: x-a#1 is what x-a reports
    # alone (as in a store of x-a only), not the old merge with x-b's toll;
    # then x-a reports none either: x-a#1 goes with its evidence
    sed -e 's/At least 20 people were killed when a suicide bomber struck a market in Zahedan on 3 May 2019./The weather was fine in Zahedan./' "$T/x-b2.jsonl" >"$T/x-b3.jsonl"
    sed -e 's/A suicide bomber killed 12 people at a market in Zahedan on 3 May 2019. Islamic State claimed the attack./Markets were busy in Zahedan./' "$T/x-a.jsonl" >"$T/x-a3.jsonl"
    run "$B-inc-dropped" 0 --db "$DB" code "$T/x-b3.jsonl"
    incidents "$DB" | grep '^x-a#1,' >"$T/xr8.csv"
    run "$B-inc-dropped-gone-code" 0 --db "$DB" code "$T/x-a3.jsonl"
    incidents "$DB" >"$T/xr9.csv"
    $RESET
    "$CASUS" --db "$DB" code "$T/x-a.jsonl" >/dev/null 2>&1
    incidents "$DB" | grep '^x-a#1,' >"$T/xr10.csv"
    grep -q '^x-a#1,2019-05-03,IRN,Zahedan,12,12,.*,2,1$' "$T/xr8.csv" && cmp -s "$T/xr8.csv" "$T/xr10.csv" &&
        ok "$B-inc-dropped-remerged" || fail "$B-inc-dropped-remerged" "$(cat "$T/xr8.csv") instead of $(cat "$T/xr10.csv")"
    grep -q '^x-a#1,' "$T/xr9.csv" && fail "$B-inc-dropped-gone" "x-a#1 is still stored" || ok "$B-inc-dropped-gone"
    $RESET
    for id in x-a x-b x-c; do "$CASUS" --db "$DB" code "$T/$id.jsonl" >/dev/null 2>&1; done

    # a version-6 store (no reports) migrates: one report per document and
    # incident, the row as it stands; a re-run still writes nothing
    if [ "$B" = sqlite ] && [ "$HAVE_SQLITE3" = 1 ]; then
        sqlite3 "$DB" "$DOWN10 DROP TABLE incident_reports; UPDATE casus_meta SET value = '6' WHERE key = 'schema_version'"
        run "$B-inc-migrate-7" 0 --db "$DB" code "$T/x.jsonl"
        nr=$("$CASUS" --db "$DB" query "SELECT (SELECT count(*) FROM incident_reports) || ' ' || (SELECT value FROM casus_meta WHERE key = 'schema_version') AS n" --format csv 2>&1 | tail -1)
        runs >"$T/xruns3"
        [ "$nr" = "3 10" ] && cmp -s "$T/xruns1" "$T/xruns3" && ok "$B-inc-migrate-7-reports" ||
            fail "$B-inc-migrate-7-reports" "$nr; $(diff "$T/xruns1" "$T/xruns3")"
    fi

    # another attack that day in Zahedan: its own incident; the stored one
    # it does not join is neither printed nor changed
    printf '%s\n' '{"id":"x-e","date":"2019-05-22","text":"Gunmen shot dead two policemen in Zahedan on 3 May 2019."}' >"$T/x-e.jsonl"
    run "$B-inc-cross-other" 0 --db "$DB" code "$T/x-e.jsonl" &&
        expect "$B-inc-cross-other-printed" "$T/out" '"type":"incident","id":"x-e#1"'
    grep -q '"id":"x-a#1"' "$T/out" && fail "$B-inc-cross-not-printed" "a stored incident no document of the run reports was printed" ||
        ok "$B-inc-cross-not-printed"
    incidents "$DB" | grep -v '^x-e#1,' >"$T/xr5.csv"
    cmp -s "$T/xr3.csv" "$T/xr5.csv" && ok "$B-inc-cross-other-apart" || fail "$B-inc-cross-other-apart" "$(diff "$T/xr3.csv" "$T/xr5.csv")"
    [ "$(consistent "$DB")" = 0 ] && ok "$B-inc-cross-consistent" || fail "$B-inc-cross-consistent" "$(consistent "$DB") inconsistent rows"

    # kill -9 in the middle of casus code --db, then run it again: whole
    # documents with their incidents, and the same incidents as a clean run.
    $RESET
    gen_inc "$T/ibig.jsonl" 6000
    "$CASUS" --db "$DB" code --batch 50 "$T/ibig.jsonl" >/dev/null 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 400 ]; do
        n=$("$CASUS" --db "$DB" query "SELECT count(*) FROM documents" --format csv 2>/dev/null | tail -1)
        [ "${n:-0}" -gt 500 ] 2>/dev/null && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.05; i=$((i + 1))
    done
    if kill -9 $pid 2>/dev/null; then
        wait $pid 2>/dev/null
        part=$("$CASUS" --db "$DB" query "SELECT count(*) FROM documents" --format csv 2>/dev/null | tail -1)
        ni=$("$CASUS" --db "$DB" query "SELECT count(*) FROM incidents" --format csv 2>/dev/null | tail -1)
        if [ "$part" -gt 0 ] && [ "$part" -lt 6000 ] && [ "$ni" -gt 0 ] && [ "$(consistent "$DB")" = 0 ]; then
            ok "$B-inc-kill9-whole-documents"
        else
            fail "$B-inc-kill9-whole-documents" "$part documents, $ni incidents, $(consistent "$DB") inconsistent after kill -9"
        fi
        run "$B-inc-kill9-rerun" 0 --db "$DB" code --batch 50 "$T/ibig.jsonl"
        incidents "$DB" >"$T/ik.csv"
        $RESET
        "$CASUS" --db "$DB" code "$T/ibig.jsonl" >/dev/null 2>&1
        incidents "$DB" >"$T/ic.csv"
        n=$(($(wc -l <"$T/ic.csv") - 1))
        [ "$n" -ge 900 ] && cmp -s "$T/ik.csv" "$T/ic.csv" && ok "$B-inc-kill9-no-loss-no-doubles" ||
            fail "$B-inc-kill9-no-loss-no-doubles" "$n incidents in a clean run; $(($(wc -l <"$T/ik.csv") - 1)) after kill -9 and a re-run"
    else
        wait $pid
        skip "$B-inc-kill9" "casus code finished before it could be killed"
    fi

    # kill -9 in the middle of a large ingest, then run it again.
    $RESET
    gen "$T/big.jsonl" 20000
    "$CASUS" --db "$DB" ingest --batch 50 "$T/big.jsonl" >/dev/null 2>&1 &
    pid=$!
    i=0; n=0
    while [ $i -lt 400 ]; do
        n=$("$CASUS" --db "$DB" query "SELECT count(*) FROM documents" --format csv 2>/dev/null | tail -1)
        [ "${n:-0}" -gt 2000 ] 2>/dev/null && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.05; i=$((i + 1))
    done
    if kill -9 $pid 2>/dev/null; then
        wait $pid 2>/dev/null
        part=$("$CASUS" --db "$DB" query "SELECT count(*) FROM documents" --format csv 2>/dev/null | tail -1)
        ev=$("$CASUS" --db "$DB" query "SELECT count(*) FROM events" --format csv 2>/dev/null | tail -1)
        if [ "$part" -gt 0 ] && [ "$part" -lt 20000 ] && [ "$ev" -eq $((part * 5)) ]; then
            ok "$B-kill9-whole-documents"
        else
            fail "$B-kill9-whole-documents" "$part documents, $ev events after kill -9"
        fi
        # The killed run held rollup deltas (schema 6): its marker is left,
        # and the named queries answer from the events until a writing open
        # settles it.
        pend=$("$CASUS" --db "$DB" query "SELECT value FROM casus_meta WHERE key = 'rollup_pending'" --format csv 2>/dev/null | tail -1)
        [ -n "$pend" ] && ok "$B-kill9-rollups-pending" ||
            fail "$B-kill9-rollups-pending" "no rollup marker after kill -9"
        same_answers "$B-rollups-pending-after-kill9" "$DB"
        postings_ok "$B-postings-after-kill9" "$DB"
        n=$("$CASUS" --db "$DB" query timeline --format csv 2>/dev/null | awk -F, 'NR > 1 { s += $2 } END { print s }')
        [ "$n" = "$ev" ] && ok "$B-kill9-timeline-counts-every-event" ||
            fail "$B-kill9-timeline-counts-every-event" "timeline counts $n of $ev events"
        run "$B-kill9-rerun" 0 --db "$DB" ingest --batch 50 "$T/big.jsonl" &&
            expect "$B-kill9-rerun-summary" "$T/err" "unchanged"
        pend=$("$CASUS" --db "$DB" query "SELECT value FROM casus_meta WHERE key = 'rollup_pending'" --format csv 2>/dev/null | tail -1)
        [ -z "$pend" ] && ok "$B-kill9-rerun-rollups-settled" ||
            fail "$B-kill9-rerun-rollups-settled" "marker '$pend' after the re-run"
        after=$(digest "$DB")
        same_answers "$B-rollups-after-kill9-rerun" "$DB"
        postings_ok "$B-postings-after-kill9-rerun" "$DB"
        $RESET
        "$CASUS" --db "$DB" ingest "$T/big.jsonl" 2>/dev/null
        clean=$(digest "$DB")
        [ "$after" = "$clean" ] && ok "$B-kill9-no-loss-no-doubles" ||
            fail "$B-kill9-no-loss-no-doubles" "after: $after; clean: $clean"
    else
        wait $pid
        skip "$B-kill9" "the ingest finished before it could be killed"
    fi

    # Compaction of the actor postings: casus compact drops the replaced
    # events' ids and the tombstones in one transaction (kill -9 during it
    # changes nothing), a writing run does it by itself once the tombstones
    # are at least 65536 and over an eighth of the events, and the answers
    # and the forecast stay those of a store that never had them.
    $RESET
    answers() {
        for q in "timeline --from 2017-01-01 --to 2024-12-31" "dyads --country IRN --from 2017-01-01 --to 2024-12-31 --limit 100000" "actor IRNMIL --from 2019-03-01 --to 2020-02-31" "timeline --country SYR"; do
            "$CASUS" --db "$1" query $q --format csv 2>&1
        done
        "$CASUS" forecast --db "$1" --actor IRN --horizon 30 2>&1
    }
    shape() { "$CASUS" --db "$1" query "SELECT (SELECT count(*) FROM event_tombstones) || ' ' || (SELECT sum(n) FROM event_postings) AS n" --format csv 2>&1 | tail -1; }
    gen "$T/cbig.jsonl" 20000
    "$CASUS" --db "$DB" ingest --batch 50 "$T/cbig.jsonl" 2>/dev/null
    # every tenth document changed: 10,000 tombstones, too few to compact
    gen "$T/cbig2.jsonl" 20000 191
    grep '"doc_id":"gen-[0-9]*0"' "$T/cbig2.jsonl" >"$T/cchg.jsonl"
    "$CASUS" --db "$DB" ingest "$T/cchg.jsonl" 2>/dev/null
    answers "$DB" >"$T/ca1"
    s1=$(shape "$DB")
    [ "$s1" = "10000 220000" ] && ok "$B-compact-not-yet" || fail "$B-compact-not-yet" "tombstones and posted ids: $s1"
    # kill -9 during casus compact, at its crash point (CASUS_CRASH_AT:
    # every posting rewritten and the tombstones deleted, not committed):
    # the store is as before and answers the same
    rc=0
    CASUS_CRASH_AT=compact "$CASUS" --db "$DB" compact 2>/dev/null || rc=$?
    [ "$rc" = 137 ] && ok "$B-compact-kill9-killed" || fail "$B-compact-kill9-killed" "exit status $rc, not 137 (SIGKILL at the crash point)"
    s2=$(shape "$DB")
    answers "$DB" >"$T/ca2"
    [ "$s2" = "$s1" ] && ok "$B-compact-kill9-rolled-back" || fail "$B-compact-kill9-rolled-back" "$s2 after kill -9, $s1 before"
    cmp -s "$T/ca1" "$T/ca2" && ok "$B-compact-kill9-answers" || fail "$B-compact-kill9-answers" "$(diff "$T/ca1" "$T/ca2" | head -5)"
    postings_ok "$B-compact-kill9-postings" "$DB"
    if [ "$s2" = "$s1" ]; then
        run "$B-compact" 0 --db "$DB" compact &&
            expect "$B-compact-summary" "$T/err" "compact: 10000 tombstones deleted"
    fi
    s3=$(shape "$DB")
    [ "$s3" = "0 200000" ] && ok "$B-compact-shrinks" || fail "$B-compact-shrinks" "tombstones and posted ids after: $s3 (before: $s1)"
    answers "$DB" >"$T/ca3"
    cmp -s "$T/ca1" "$T/ca3" && ok "$B-compact-same-answers" || fail "$B-compact-same-answers" "$(diff "$T/ca1" "$T/ca3" | head -5)"
    postings_ok "$B-compact-postings" "$DB"
    run "$B-compact-again" 0 --db "$DB" compact &&
        expect "$B-compact-again-nothing" "$T/err" "compact: 0 tombstones deleted; 0 postings rewritten (0 deleted), 0 ids dropped"
    # every document changed: 100,000 tombstones, compacted at the end of
    # the ingest; the answers are those of a store of the new documents only
    # (but for the precedents' event ids)
    gen "$T/cbig3.jsonl" 20000 192
    "$CASUS" --db "$DB" ingest "$T/cbig3.jsonl" 2>/dev/null
    s4=$(shape "$DB")
    [ "$s4" = "0 200000" ] && ok "$B-compact-auto" || fail "$B-compact-auto" "tombstones and posted ids after the ingest: $s4"
    answers "$DB" | sed 's/"event_id":[0-9]*//g' >"$T/ca4"
    $RESET
    "$CASUS" --db "$DB" ingest "$T/cbig3.jsonl" 2>/dev/null
    answers "$DB" | sed 's/"event_id":[0-9]*//g' >"$T/ca5"
    cmp -s "$T/ca4" "$T/ca5" && ok "$B-compact-auto-answers" || fail "$B-compact-auto-answers" "$(diff "$T/ca4" "$T/ca5" | head -5)"
    run "$B-compact-usage" 2 --db "$DB" compact "$T/cbig3.jsonl" &&
        expect "$B-compact-no-inputs" "$T/err" "compact takes no inputs"
}

rm_sqlite() { rm -f "$T/s.db" "$T/s.db-wal" "$T/s.db-shm"; }
core sqlite "$T/s.db" rm_sqlite

if [ -n "${CASUS_TEST_PG:-}" ]; then
    reset_pg() {
        psql -q "$CASUS_TEST_PG" -c "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
    }
    if reset_pg; then core pg "$CASUS_TEST_PG" reset_pg
    else skip pg "CASUS_TEST_PG is set but psql cannot reach it"; fi
else
    skip pg "CASUS_TEST_PG is not set (no PostgreSQL server to test against)"
fi

# --- bad stores: a clear error, nonzero exit, the store unchanged
gen "$T/small.jsonl" 10
printf 'this is not a database at all, just some text in a file ....\n' >"$T/junk.db"
cp "$T/junk.db" "$T/junk.orig"
run corrupt-file 3 --db "$T/junk.db" ingest "$T/small.jsonl" &&
    expect corrupt-file "$T/err" "not a SQLite database"
cmp -s "$T/junk.db" "$T/junk.orig" && ok corrupt-file-unchanged || fail corrupt-file-unchanged "file changed"
run corrupt-file-query 3 --db "$T/junk.db" query timeline &&
    expect corrupt-file-query "$T/err" "not a SQLite database"

if [ $HAVE_SQLITE3 = 1 ]; then
    sqlite3 "$T/other.db" "CREATE TABLE t (a); INSERT INTO t VALUES (1)"
    run not-casus 3 --db "$T/other.db" ingest "$T/small.jsonl" &&
        expect not-casus "$T/err" "not a casus store"
    [ "$(sqlite3 "$T/other.db" "SELECT count(*) FROM sqlite_master")" = 1 ] &&
        ok not-casus-unchanged || fail not-casus-unchanged "tables added"

    rm -f "$T/new.db"
    "$CASUS" --db "$T/new.db" ingest "$T/small.jsonl" 2>/dev/null
    sqlite3 "$T/new.db" "UPDATE casus_meta SET value = '99' WHERE key = 'schema_version'"
    before=$(sqlite3 "$T/new.db" "SELECT count(*) FROM events")
    run newer-schema 3 --db "$T/new.db" ingest "$T/a.jsonl" &&
        expect newer-schema "$T/err" "schema version 99, newer than this casus supports"
    run newer-schema-export 3 --db "$T/new.db" export --format jsonl &&
        expect newer-schema-export "$T/err" "newer"
    [ "$(sqlite3 "$T/new.db" "SELECT count(*) FROM events")" = "$before" ] &&
        ok newer-schema-unchanged || fail newer-schema-unchanged "rows changed"
else
    skip not-casus "sqlite3 (the CLI) is not installed"
    skip newer-schema "sqlite3 (the CLI) is not installed"
fi

# Read-only file: root ignores permissions, so test as nobody when root.
rm -f "$T/ro.db"
"$CASUS" --db "$T/ro.db" ingest "$T/small.jsonl" 2>/dev/null
chmod 444 "$T/ro.db"
ro_sum=$(cksum <"$T/ro.db")
if [ "$(id -u)" != 0 ]; then
    run read-only 3 --db "$T/ro.db" ingest "$T/a.jsonl" && expect read-only "$T/err" "cannot write"
elif command -v setpriv >/dev/null 2>&1; then
    chmod 755 "$T"; chmod 644 "$T/a.jsonl"
    setpriv --reuid=65534 --regid=65534 --clear-groups "$CASUS" --db "$T/ro.db" ingest "$T/a.jsonl" >"$T/out" 2>"$T/err"
    rc=$?
    [ $rc -eq 3 ] && expect read-only "$T/err" "cannot write" || fail read-only "exit $rc: $(cat "$T/err")"
else
    skip read-only "running as root and setpriv is not installed"
fi
[ "$(cksum <"$T/ro.db")" = "$ro_sum" ] && ok read-only-unchanged || fail read-only-unchanged "file changed"
run read-only-query 0 --db "$T/ro.db" query "SELECT count(*) AS n FROM events" --format csv &&
    expect read-only-query "$T/out" "50"

# Full disk, simulated with a file size limit: the batch in flight rolls
# back, the error says so, what was committed before is intact.
rm -f "$T/full.db"*
"$CASUS" --db "$T/full.db" ingest "$T/small.jsonl" 2>/dev/null
full_before=$(digest "$T/full.db")
gen "$T/fill.jsonl" 4000
(ulimit -f 2048; exec "$CASUS" --db "$T/full.db" ingest --batch 100000 "$T/fill.jsonl") >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 3 ] && expect full-disk "$T/err" "the disk or the file size limit is full" || fail full-disk "exit $rc: $(head -c 300 "$T/err")"
[ "$(digest "$T/full.db")" = "$full_before" ] && ok full-disk-unchanged || fail full-disk-unchanged "store changed"

# Unreachable PostgreSQL.
run pg-unreachable 3 --db "postgresql://casus@127.0.0.1:1/casus?connect_timeout=3" ingest "$T/small.jsonl" &&
    expect pg-unreachable "$T/err" "127.0.0.1"

# Missing store for query/export; bad options.
run missing-store 3 --db "$T/nope.db" query timeline && expect missing-store "$T/err" "cannot open the store"
[ -e "$T/nope.db" ] && fail missing-store-not-created "query created it" || ok missing-store-not-created
run missing-store-compact 3 --db "$T/nope.db" compact && expect missing-store-compact "$T/err" "cannot open the store"
[ -e "$T/nope.db" ] && fail missing-store-compact-not-created "compact created it" || ok missing-store-compact-not-created
run export-no-format 2 --db "$T/s.db" export && expect export-no-format "$T/err" "--format"
run export-bad-format 2 --db "$T/s.db" export --format xml && expect export-bad-format "$T/err" "unknown format 'xml'"
run query-bad-date 2 --db "$T/s.db" query timeline --from 2017-13x && expect query-bad-date "$T/err" "not a date"

# Documents (not records) are stored with their sentences; --db on sentences.
printf 'Iran blamed Israel. ISKP claimed the attack.\n' >"$T/doc.txt"
rm -f "$T/d.db"*
run ingest-text 0 --db "$T/d.db" ingest "$T/doc.txt" && expect ingest-text "$T/err" "1 documents added"
run sentences-db 0 --db "$T/d.db" sentences "$T/doc.txt" && expect sentences-db "$T/out" '"type":"sentence"'
run sentences-db-count 0 --db "$T/d.db" query "SELECT count(*) AS n FROM sentences" --format csv &&
    expect sentences-db-count "$T/out" "2"
