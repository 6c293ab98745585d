#!/bin/sh
# scripts/pg-test-server.sh - a private, throw-away PostgreSQL server for the
# tests and benchmarks: initdb in DIR, listening only on a unix socket in
# DIR (no TCP port), a superuser and database named casus.
#
#   eval "$(sh scripts/pg-test-server.sh start /tmp/casus-pg)"   # sets CASUS_TEST_PG
#   sh scripts/pg-test-server.sh stop /tmp/casus-pg
#
# Works on a fresh Debian bookworm machine as root (the server runs as the
# postgres user, which the postgresql package creates) or as any other user.
# Needs the server binaries (Debian package postgresql).
set -eu
cmd=${1:-start}
D=${2:-/tmp/casus-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "pg-test-server: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
case $cmd in
start)
    mkdir -p "$D"
    [ "$(id -u)" = 0 ] && chown postgres "$D" && chmod 700 "$D"
    if [ ! -f "$D/data/PG_VERSION" ]; then
        as_owner "'$BIN/initdb' -D '$D/data' -A trust -U casus -E UTF8 --no-locale >'$D/initdb.log' 2>&1" ||
            { cat "$D/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "'$BIN/pg_ctl' -D '$D/data' status" >/dev/null 2>&1; then
        as_owner "'$BIN/pg_ctl' -D '$D/data' -l '$D/server.log' -w -t 60 \
            -o \"-k '$D' -c listen_addresses='' -c max_wal_size=4GB\" start" >/dev/null ||
            { cat "$D/server.log" >&2; exit 1; }
    fi
    as_owner "'$BIN/psql' -h '$D' -U casus -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname = 'casus'\"" | grep -q 1 ||
        as_owner "'$BIN/createdb' -h '$D' -U casus casus"
    echo "export CASUS_TEST_PG='postgresql:///casus?host=$D&user=casus'"
    ;;
stop)
    as_owner "'$BIN/pg_ctl' -D '$D/data' -m fast -w stop" >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: pg-test-server.sh start|stop [DIR]" >&2; exit 2 ;;
esac
