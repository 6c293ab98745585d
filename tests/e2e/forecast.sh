#!/bin/sh
# tests/e2e/forecast.sh - `casus forecast eval` on a small temporal graph made
# here, its predictions file, and bad datasets.
. tests/e2e/lib.sh
D=$T/kg
mkdir -p "$D"
printf 'Iran\t0\nPakistan\t1\nJaish_al-Adl\t2\nISKP\t3\n' >"$D/entity2id.txt"
printf 'Use_conventional_military_force\t0\nMake_statement\t1\n' >"$D/relation2id.txt"
# Iran strikes Jaish al-Adl again and again; Pakistan comments.
: >"$D/train.txt"
for t in 0 10 20 30 40; do
    printf '0\t0\t2\t%s\t-1\n1\t1\t0\t%s\t-1\n' "$t" "$((t + 1))" >>"$D/train.txt"
done
printf '0\t0\t2\t50\t-1\n' >"$D/valid.txt"
printf '0\t0\t2\t60\t-1\n3\t0\t0\t61\t-1\n' >"$D/test.txt"
if run forecast-eval 0 forecast eval --data "$D" --model strict --predictions "$T/pred.tsv"; then
    expect forecast-header "$T/out" "model strict"
    expect forecast-both "$T/out" "both"
    # Query 0, object direction: Jaish al-Adl (2) is the top candidate.
    first=$(grep -P '^0\to\t' "$T/pred.tsv" | head -1 | cut -f3)
    [ "$first" = 2 ] && ok forecast-top-candidate || fail forecast-top-candidate "got '$first'"
    bad=$(awk -F'\t' 'NF != 4 || ($2 != "o" && $2 != "s")' "$T/pred.tsv" | wc -l)
    [ "$bad" = 0 ] && ok forecast-tsv-shape || fail forecast-tsv-shape "$bad malformed lines"
fi
run forecast-explain 0 forecast eval --data "$D" --model casus --explain 1 && \
    expect forecast-explain-json "$T/out" '"evidence":[{"rule":'
printf '0\t0\tnine\t60\t-1\n' >"$D/test.txt"
run forecast-bad-line 1 forecast eval --data "$D" && expect forecast-bad-line-msg "$T/err" "test.txt:1"
printf '0\t0\t9\t60\t-1\n' >"$D/test.txt"
run forecast-unknown-id 1 forecast eval --data "$D" && expect forecast-unknown-id-msg "$T/err" "test.txt:1"
run forecast-missing 1 forecast eval --data "$T/none" && expect forecast-missing-msg "$T/err" "entity2id.txt"
run forecast-usage 2 forecast eval && expect forecast-usage-msg "$T/err" "expected 'eval --data DIR'"
run forecast-bad-model 2 forecast eval --data "$D" --model oracle && expect forecast-bad-model-msg "$T/err" "unknown model 'oracle'"
exit 0
