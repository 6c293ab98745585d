#!/bin/sh
# tests/e2e/forecast_store.sh - `casus forecast --db --actor`: analyst
# forecasts from a store filled by `casus ingest` of event records, and
# `casus forecast calibrate` on a small made-up temporal graph.
. tests/e2e/lib.sh
DB=$T/f.db
ev() { # doc date source target cameo
    printf '{"type":"event","doc_id":"%s","pub_date":"%s","sentence_index":0,"char_start":0,"char_end":9,"date":"%s","source":{"code":"%s","text":"a","start":0,"end":1},"target":{"code":"%s","text":"b","start":2,"end":3},"cameo":"%s","goldstein":-9.0,"quad_class":4,"plover_type":"","plover_mode":"","negated":false,"text":"a hit b."}\n' "$1" "$2" "$2" "$3" "$4" "$5"
}
{ ev d1 2024-01-03 IRN PAK 190; ev d2 2024-01-10 IRN PAK 183; ev d3 2024-01-12 PAK IRN 190
  ev d4 2024-01-15 IRN ISR 111; ev d5 2024-01-16 IRN USA 010; } >"$T/ev.jsonl"
run forecast-store-ingest 0 --db "$DB" ingest "$T/ev.jsonl"
if run forecast-store-actor 0 forecast --db "$DB" --actor IRN --horizon 30; then
    expect forecast-store-type "$T/out" '{"type":"forecast","actor":"IRN","actor_match":"state","as_of":"2024-01-17","horizon":30'
    expect forecast-store-top "$T/out" '"rank":1,"target":"PAK"'
    expect forecast-store-precedent "$T/out" '"date":"2024-01-12","source":"PAK","target":"IRN","cameo":"190","doc_id":"d3"'
    n=$(wc -l <"$T/out")
    [ "$n" = 1 ] && ok forecast-store-one-line || fail forecast-store-one-line "$n lines"
fi
run forecast-store-as-of 0 forecast --db "$DB" --actor IRN --as-of 2024-01-11 --horizon 7 && \
    expect forecast-store-as-of-events "$T/out" '"events_read":2'
run forecast-store-unknown 0 forecast --db "$DB" --actor XXX && {
    expect forecast-store-unknown-empty "$T/out" '"targets":[]'
    expect forecast-store-unknown-reason "$T/out" '"reason":"the store has no event with actor XXX"'
    expect forecast-store-unknown-stderr "$T/err" "no targets for XXX"; }
# A country code stands for the state: IRNMILIRG's strike and the attack
# on IRNMIL count for IRN (and PAKMIL folds into PAK); --exact does not.
DB2=$T/g.db
{ ev g1 2024-02-01 IRNMILIRG PAKMIL 195; ev g2 2024-02-03 IRNREB IRNMIL 190
  ev g3 2024-02-04 IRN USA 111; ev g4 2024-02-05 IRNINS PAK 190; } >"$T/g.jsonl"
run forecast-group-ingest 0 --db "$DB2" ingest "$T/g.jsonl"
run forecast-group 0 forecast --db "$DB2" --actor IRN && {
    expect forecast-group-state "$T/out" '"actor_match":"state","as_of":"2024-02-05"'
    expect forecast-group-read "$T/out" '"events_read":3,"candidates":3'
    expect forecast-group-fold "$T/out" '"target":"PAK","probability"'
    expect forecast-group-rebels "$T/out" '"target":"IRNREB","probability"'
    expect forecast-group-coded "$T/out" '"source":"IRNMILIRG","target":"PAKMIL"'; }
run forecast-group-exact 0 forecast --db "$DB2" --actor IRN --exact && {
    expect forecast-group-exact-read "$T/out" '"actor_match":"exact","as_of":"2024-02-05","horizon":30,"history_from":"2023-02-05","events_read":1,"candidates":1'; }
run forecast-group-agent 0 forecast --db "$DB2" --actor IRNMIL && \
    expect forecast-group-agent-exact "$T/out" '"actor_match":"exact","as_of":"2024-02-04"'
run forecast-store-bad-horizon 2 forecast --db "$DB" --actor IRN --horizon 9 && \
    expect forecast-store-bad-horizon-msg "$T/err" "not 7, 14 or 30"
run forecast-store-bad-date 2 forecast --db "$DB" --actor IRN --as-of 2024-02-30
run forecast-store-no-db 3 forecast --db "$T/none.db" --actor IRN
# calibrate: A fights B every third day over 60 days.
D=$T/kg
mkdir -p "$D"
printf 'A\t0\nB\t1\nC\t2\nD\t3\n' >"$D/entity2id.txt"
printf 'Use_conventional_military_force\t0\nMake_statement\t1\n' >"$D/relation2id.txt"
: >"$D/train.txt"; : >"$D/valid.txt"; : >"$D/test.txt"
t=0
while [ $t -lt 60 ]; do
    f=train; [ $t -ge 40 ] && f=valid; [ $t -ge 50 ] && f=test
    [ $((t % 3)) = 0 ] && printf '0\t0\t1\t%s\t-1\n' $t >>"$D/$f.txt"
    [ $((t % 2)) = 0 ] && printf '2\t1\t3\t%s\t-1\n' $t >>"$D/$f.txt"
    t=$((t + 1))
done
if run forecast-calibrate 0 forecast calibrate --data "$D" --horizon 3,7 --write-model "$T/m.h"; then
    expect forecast-calibrate-h3 "$T/out" "horizon 3 days"
    expect forecast-calibrate-baselines "$T/out" "persistence"
    expect forecast-calibrate-model "$T/m.h" "fcal_models[]"
fi
run forecast-calibrate-bad-horizon 2 forecast calibrate --data "$D" --horizon 7,x
run forecast-calibrate-too-long 1 forecast calibrate --data "$D" --horizon 30 && \
    expect forecast-calibrate-too-long-msg "$T/err" "does not fit"
printf '0\t0\tnine\t60\t-1\n' >"$D/test.txt"
run forecast-calibrate-bad-line 1 forecast calibrate --data "$D" && \
    expect forecast-calibrate-bad-line-msg "$T/err" "test.txt:1"
exit 0
