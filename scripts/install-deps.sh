#!/bin/sh
# scripts/install-deps.sh - installs the Debian packages casus builds and
# tests with (see docs/ARCHITECTURE.md, "Libraries", for why each one).
# Runs apt-get as root, or through sudo when not root. Idempotent.
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev \
libutf8proc-dev libxml2-dev libgumbo-dev libcmocka-dev \
util-linux time bc"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "install-deps: all packages present"; exit 0; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
