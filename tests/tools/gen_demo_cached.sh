#!/bin/bash
# The demo generator for the CLI cases' set-up lines: "gen_demo DIR" (the
# default seed) is made once per test run and copied, since the generator is
# deterministic (tests/cli/demo.t checks it, with the build under test) and some
# fifty cases start from the demo. Anything else runs the generator itself.
#   GEN_DEMO_BIN       the generator (the plain build's)
#   RUMBLE_TEST_CACHE  where the one copy is kept (tests/cli/run.sh sets it)
set -eu
gen=${GEN_DEMO_BIN:?gen_demo_cached.sh: GEN_DEMO_BIN is not set}
if [ $# -ne 1 ] || [ ! -d "$1" ] || [ -z "${RUMBLE_TEST_CACHE:-}" ]; then
    exec "$gen" "$@"
fi
cache=$RUMBLE_TEST_CACHE/demo
if [ ! -d "$cache" ]; then
    mkdir -p "$RUMBLE_TEST_CACHE"
    tmp=$(mktemp -d "$cache.XXXXXX")
    "$gen" "$tmp" >"$tmp/.log" 2>&1 || { cat "$tmp/.log" >&2; rm -rf "$tmp"; exit 1; }
    rm -f "$tmp/.log"
    # the first job to finish puts its copy in place; a later one drops its own
    mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
fi
cp "$cache"/* "$1"/
