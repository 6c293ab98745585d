#!/bin/sh
# setup.sh - one command for a new user: installs the dependencies, builds
# casus and runs the main job on the bundled example article: events coded
# from examples/kerman.txt into an embedded SQLite store (casus.db).
set -eu
cd "$(dirname "$0")"
sh scripts/install-deps.sh
make -j"$(nproc 2>/dev/null || echo 2)"
rm -f casus.db
echo
echo "== casus code --db casus.db examples/kerman.txt   (events as JSON Lines, stored in SQLite)"
build/casus --date 2024-01-25 --db casus.db code examples/kerman.txt
echo
echo "== casus query timeline   (from the store)"
build/casus --db casus.db query timeline
