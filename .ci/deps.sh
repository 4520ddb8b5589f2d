#!/bin/sh
# Installs what rumble needs to build and test, when it is missing: with apt-get
# as root or through sudo; otherwise stops and prints the exact command to run.
# Used by `make`, `make check`, `make demo` and .ci/run; `deps.sh test` adds
# what the tests need besides (the report's browser tests: chromium, python3;
# sqlite3 for quick queries of GeoPackages).
PKGS="build-essential pkg-config libgdal-dev libcjson-dev gdal-bin"
[ "${1:-}" = test ] && PKGS="$PKGS chromium python3 groff-base sqlite3"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "rumble: missing packages:$missing" >&2
    echo "rumble: install them with: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "rumble: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
    echo "rumble: apt-get install failed; run: sudo apt-get install -y$missing" >&2
    exit 1
}
