#!/bin/sh
# bench/run.sh - speed, memory and quality benchmarks (make bench; make eval
# runs only the quality part). Needs ../shared/data. Results go to stdout;
# copy them into BENCHMARKS.md with the command that produced them.
set -eu
BUILD=${BUILD:-build}
SHARED=${SHARED:-../shared}
DATA=$SHARED/data
CASUS=$BUILD/casus
mode=${1:-all}
if [ ! -d "$DATA" ]; then
    echo "bench: skipped: $DATA not present"; exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

echo "== quality: UD English EWT, casus tokenization of each document's raw text"
for split in dev test; do
    f=$DATA/ud-english-ewt/en_ewt-ud-$split.conllu
    echo "-- $split"
    "$BUILD/bench/ewt_eval" "$f" --min-token-f1 98.5 --min-sentence-f1 80
done
if [ -f data/gazetteer.bin ]; then
    echo
    echo "== quality: places on the Wikipedia incident lists (preliminary; docs/ARCHITECTURE.md, Places)"
    "$BUILD/bench/where_eval" "$DATA/wiki-incidents/incidents.dev.csv"
    echo
    echo "== quality: incidents on the Wikipedia incident lists (BENCHMARKS.md, Incidents)"
    "$BUILD/bench/incident_eval" "$DATA/wiki-incidents/incidents.dev.csv"
fi
[ "$mode" = eval ] && exit 0

NEWS=$DATA/bench-news/news.jsonl
bytes=$(wc -c <"$NEWS")
echo
echo "== speed: library tokenize + split on bench-news ($bytes bytes of JSONL)"
"$BUILD/bench/tokspeed" "$NEWS"
if [ -f data/gazetteer.bin ]; then
    echo
    echo "== speed: place lookup on bench-news"
    "$BUILD/bench/where_speed" "$NEWS"
fi

# best of N wall-clock runs of a command, in seconds
best() {
    n=$1; shift
    b=""
    for i in $(seq "$n"); do
        /usr/bin/time -f "%e %M" -o "$T/time" "$@" >/dev/null 2>"$T/err" || true
        t=$(cut -d' ' -f1 "$T/time")
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
echo
echo "== speed: the CLI end to end (read JSONL, normalise, tokenize, split, write)"
for cmd in sentences tokenize; do
    s=$(best 5 "$CASUS" "$cmd" "$NEWS")
    echo "casus $cmd: best of 5 ${s}s = $(echo "scale=1; $bytes / 1000000 / $s" | bc) MB/s"
done

echo
echo "== memory: peak RSS of casus sentences on a 1x and a 20x JSONL stream"
for k in 1 20; do
    /usr/bin/time -f "%M" -o "$T/rss" sh -c \
        "for i in \$(seq $k); do cat '$NEWS'; done | '$CASUS' sentences --input jsonl - >/dev/null"
    echo "${k}x ($((bytes * k)) bytes): peak RSS $(cat "$T/rss") KiB"
done
printf '{"id":"big","text":"' >"$T/big.jsonl"
head -c 100000000 /dev/zero | tr '\0' 'a' >>"$T/big.jsonl"
printf '"}\n{"id":"small","text":"After the big line."}\n' >>"$T/big.jsonl"
/usr/bin/time -f "%M" -o "$T/rss" "$CASUS" sentences "$T/big.jsonl" >"$T/out" 2>/dev/null || true
echo "100 MB line + 1 record: peak RSS $(tail -1 "$T/rss") KiB, records out: $(grep -c '"type":"sentence"' "$T/out")"
