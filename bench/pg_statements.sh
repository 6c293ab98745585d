#!/bin/sh
# bench/pg_statements.sh URL SERVER_LOG [EVENTS] - where a PostgreSQL ingest
# spends its time: one store_bench run of EVENTS (default 1,000,000) events
# with incidents on an emptied schema of URL, every statement's duration
# logged by the server (log_min_duration_statement = 0 for this client), then
# the durations in SERVER_LOG summed per statement, largest first.
# Example (a server of scripts/pg-test-server.sh):
#   eval "$(sh scripts/pg-test-server.sh start /tmp/p)"
#   sh bench/pg_statements.sh "$CASUS_TEST_PG" /tmp/p/server.log
set -eu
[ $# -ge 2 ] || { echo "usage: $0 URL SERVER_LOG [EVENTS]" >&2; exit 2; }
url=$1 log=$2 n=${3:-1000000}
[ -r "$log" ] || { echo "$0: $log: cannot read the server log" >&2; exit 1; }
psql -q "$url" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
start=$(wc -l <"$log")
PGOPTIONS="-c log_min_duration_statement=0" build/bench/store_bench --events "$n" \
    --export 0 --incidents 1 --db "" --pg "$url" | grep "ingest:"
tail -n +$((start + 1)) "$log" | awk '
    match($0, /duration: [0-9.]+ ms/) {
        ms = substr($0, RSTART + 10, RLENGTH - 13) + 0
        rest = substr($0, RSTART + RLENGTH)
        sub(/^ +(statement|execute [^:]*|parse [^:]*|bind [^:]*): /, "", rest)
        key = substr(rest, 1, 90); t[key] += ms; c[key]++
    }
    END { for (k in t) printf "%9.2f s %7d  %s\n", t[k] / 1000, c[k], k }' |
    sort -rn | head -15
