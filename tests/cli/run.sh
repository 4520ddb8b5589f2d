#!/bin/bash
# Runs the CLI cases in tests/cli/*.t against a rumble binary.
#
# A case file holds cases; each starts with "#> name" and has lines:
#   $ ARGS            the rumble command line (shell words; $SHARED, $BAD, $DATA expand)
#   ? CODE            the exit code wanted (default 0)
#   out: TEXT         stdout must contain TEXT
#   err: TEXT         stderr must contain TEXT
#   noerr: TEXT       stderr must not contain TEXT
#   check: SHELL      a shell test that must succeed, run in the case's directory;
#                     q FILE SQL prints the first value of an SQL query (GDAL's SQLite dialect)
#   absent: FILE      FILE must not exist (no half-written output)
#   run: SHELL        a set-up command run before the $ line ($RUMBLE and $GEN_DEMO: the plain
#                     build's when there is one, see SETUP_RUMBLE)
# Each line checked counts as one assertion. The last line printed is "N passed, N failed".
#
# usage: tests/cli/run.sh RUMBLE [FILE.t ...]
set -u
RUMBLE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export SHARED=${RUMBLE_SHARED_DATA:-$ROOT/../shared/data}
export ROOT
export BAD=$ROOT/tests/bad
export DATA=$ROOT/data
export GEN_DEMO=$(dirname "$RUMBLE")/gen_demo
# the benchmarks' street grid (plain build), for the partition cases
export GEN_GRID=$ROOT/build/gen_grid
# Set-up lines (run:) make a case's inputs, which are the same whichever build
# makes them: they use the plain build when there is one (the sanitizer build
# takes three times as long), so the sanitizers watch the commands under test.
SETUP_RUMBLE=$RUMBLE SETUP_GEN_DEMO=$GEN_DEMO
if [ -x "$ROOT/build/rumble" ] && [ -x "$ROOT/build/gen_demo" ]; then
    SETUP_RUMBLE=$ROOT/build/rumble SETUP_GEN_DEMO=$ROOT/build/gen_demo
fi
export RUMBLE
export RUMBLE_DATA_DIR=$DATA
files=("$@")
[ ${#files[@]} -eq 0 ] && files=("$ROOT"/tests/cli/*.t)

passed=0
failed=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# What set-up lines and the browser make once and reuse (gen_demo_cached.sh,
# browser.sh in tests/tools/):
# tests/run.sh gives one directory to all its jobs, else it is this run's own.
export RUMBLE_TEST_CACHE=${RUMBLE_TEST_CACHE:-$WORK/.cache}
export GEN_DEMO_BIN=$SETUP_GEN_DEMO
SETUP_GEN_DEMO=$ROOT/tests/tools/gen_demo_cached.sh

# The checks' Python scripts use only the standard library: they run on the
# system's python3 (Debian's, which CI installs) when there is one. A version
# manager's shim ahead of it on PATH (pyenv's) takes half a second to start.
PYTHON3=$(command -v python3)
[ -x /usr/bin/python3 ] && PYTHON3=/usr/bin/python3
export PYTHON3
python3() { "$PYTHON3" "$@"; }
export -f python3

# q FILE SQL: first value of the first row (GDAL SQLite dialect, spatial functions available).
# A GeoPackage queried without spatial functions goes to sqlite3, which starts in
# a millisecond where ogrinfo takes a tenth of a second to load GDAL (q runs some
# 700 times in make check); its values are written as ogrinfo writes them (a real
# without ".0", NULL as "(null)"). The harness starts as few processes as it can:
# a process start costs milliseconds (on the project's machine a fork 7 ms, a
# small program 11 ms), and a run of the CLI cases has some twenty thousand.
q() {
    case $1:$2 in
    *.gpkg:*ST_*|*.gpkg:*st_*|*.gpkg:*Gpkg*) ;;
    *.gpkg:*)
        if command -v sqlite3 >/dev/null; then
            local v
            v=$(sqlite3 -readonly -batch -noheader -list -separator $'\x1f' -nullvalue '(null)' "$1" "$2" 2>/dev/null)
            [ -z "$v" ] && return
            v=${v%%$'\n'*}
            v=${v%%$'\x1f'*}
            [[ $v =~ ^(-?[0-9]+)\.0(e[-+][0-9]+)?$ ]] && v=${BASH_REMATCH[1]}${BASH_REMATCH[2]}
            printf '%s\n' "$v"
            return
        fi ;;
    esac
    ogrinfo -ro -q -dialect sqlite -sql "$2" "$1" 2>/dev/null |
        sed -n 's/^  [^ ].* ([A-Za-z0-9]*) = //p' | head -1
}
export -f q

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL [$case] $*" >&2; }

run_case() {
    [ -z "${case:-}" ] && return
    local dir="$WORK/${case//[^A-Za-z0-9_]/_}"
    mkdir -p "$dir"
    local out="$dir/.stdout" err="$dir/.stderr" code
    (
        cd "$dir" || exit 99
        for s in "${setup[@]+"${setup[@]}"}"; do
            RUMBLE=$SETUP_RUMBLE GEN_DEMO=$SETUP_GEN_DEMO eval "$s" >/dev/null 2>&1
        done
        eval "\"$RUMBLE\" $args" >"$out" 2>"$err"
    )
    code=$?
    if [ "$code" = "$want_code" ]; then ok; else
        bad "exit $code, want $want_code: $args"; sed 's/^/    /' "$err" | head -5 >&2; fi
    # stdout and stderr as text, read by the shell itself (TEXT is found on a line)
    local otext etext
    IFS= read -r -d '' otext <"$out"
    IFS= read -r -d '' etext <"$err"
    for t in "${outs[@]+"${outs[@]}"}"; do
        if [[ $otext == *"$t"* ]]; then ok; else bad "stdout lacks '$t'"; fi
    done
    for t in "${errs[@]+"${errs[@]}"}"; do
        if [[ $etext == *"$t"* ]]; then ok; else bad "stderr lacks '$t'"; sed 's/^/    /' "$err" | head -5 >&2; fi
    done
    for t in "${noerrs[@]+"${noerrs[@]}"}"; do
        if [[ $etext == *"$t"* ]]; then bad "stderr has '$t'"; else ok; fi
    done
    for c in "${checks[@]+"${checks[@]}"}"; do
        if (cd "$dir" && eval "$c"); then ok; else bad "check failed: $c"; fi
    done
    for f in "${absents[@]+"${absents[@]}"}"; do
        if [ -e "$dir/$f" ] || compgen -G "$dir/*.tmp[0-9]*" >/dev/null; then
            bad "left '$f' or a temporary file"; else ok; fi
    done
}

for file in "${files[@]}"; do
    name=${file##*/}
    name=${name%.t}
    case=""
    while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in
        "#> "*)
            run_case
            case="$name: ${line#\#> }"
            args=""; want_code=0; outs=(); errs=(); noerrs=(); checks=(); absents=(); setup=() ;;
        "\$ "*) args="${line#\$ }" ;;
        "? "*) want_code="${line#\? }" ;;
        "out: "*) outs+=("${line#out: }") ;;
        "err: "*) errs+=("${line#err: }") ;;
        "noerr: "*) noerrs+=("${line#noerr: }") ;;
        "check: "*) checks+=("${line#check: }") ;;
        "absent: "*) absents+=("${line#absent: }") ;;
        "run: "*) setup+=("${line#run: }") ;;
        esac
    done <"$file"
    run_case
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
