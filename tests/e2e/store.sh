#!/bin/sh
# tests/e2e/store.sh - the real binary and a real store: ingest twice adds
# nothing, a changed document replaces its own rows, kill -9 in the middle of
# an ingest followed by a re-run loses nothing and doubles nothing, exports
# round-trip, and bad stores (corrupt, not casus, read-only, newer schema,
# full disk, unreachable PostgreSQL) fail clearly and change nothing. The
# core runs against SQLite, and against PostgreSQL when $CASUS_TEST_PG is set.
. tests/e2e/lib.sh

command -v sqlite3 >/dev/null 2>&1 && HAVE_SQLITE3=1 || HAVE_SQLITE3=0

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
        run "$B-kill9-rerun" 0 --db "$DB" ingest --batch 50 "$T/big.jsonl" &&
            expect "$B-kill9-rerun-summary" "$T/err" "unchanged"
        after=$(digest "$DB")
        same_answers "$B-rollups-after-kill9-rerun" "$DB"
        $RESET
        "$CASUS" --db "$DB" ingest "$T/big.jsonl" 2>/dev/null
        clean=$(digest "$DB")
        [ "$after" = "$clean" ] && ok "$B-kill9-no-loss-no-doubles" ||
            fail "$B-kill9-no-loss-no-doubles" "after: $after; clean: $clean"
    else
        wait $pid
        skip "$B-kill9" "the ingest finished before it could be killed"
    fi
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
