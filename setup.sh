#!/bin/sh
# setup.sh - one command for a new user: installs the dependencies, builds
# casus and runs it on the bundled example article.
set -eu
cd "$(dirname "$0")"
sh scripts/install-deps.sh
make -j"$(nproc 2>/dev/null || echo 2)"
echo
echo "== casus sentences examples/kerman.txt"
build/casus --date 2024-01-25 sentences examples/kerman.txt
