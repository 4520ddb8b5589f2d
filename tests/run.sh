#!/bin/bash
# Runs every test: the unit test programs and the CLI cases, first on the plain
# build, then on the AddressSanitizer + UndefinedBehaviorSanitizer build.
# Prints each suite's result and, last, the total: "N passed, N failed".
# usage: tests/run.sh [plain|san ...]   (default: both)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export RUMBLE_ROOT=$ROOT
export RUMBLE_DATA_DIR=$ROOT/data
export RUMBLE_SHARED_DATA=${RUMBLE_SHARED_DATA:-$ROOT/../shared/data}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ ! -d "$RUMBLE_SHARED_DATA" ]; then
    echo "rumble: the shared data is not at $RUMBLE_SHARED_DATA (set RUMBLE_SHARED_DATA)" >&2
fi

modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(plain san)
total_pass=0
total_fail=0

tally() {   # tally NAME OUTPUT-FILE EXIT-CODE
    local last p f
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -1)
    if [ -z "$last" ]; then
        echo "  $1: no result line (exit $3): counted as 1 failure"
        tail -5 "$2" | sed 's/^/    /'
        total_fail=$((total_fail + 1))
        return
    fi
    p=${last%% passed*}
    f=${last#*, }
    f=${f%% failed*}
    if [ "$3" != 0 ] && [ "$f" = 0 ]; then
        echo "  $1: $last but exit $3: counted as 1 more failure"
        f=1
    else
        echo "  $1: $last"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

for mode in "${modes[@]}"; do
    case $mode in
    plain) bin=build ;;
    san) bin=build/san ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
    esac
    echo "== $mode build"
    for t in "$bin"/tests/test_*; do
        [ -x "$t" ] || continue
        out=$(mktemp)
        "$t" >"$out" 2>&1
        code=$?
        grep -E '^FAIL|ERROR|runtime error' "$out" | head -20 | sed 's/^/    /'
        tally "$(basename "$t")" "$out" "$code"
        rm -f "$out"
    done
    out=$(mktemp)
    bash tests/cli/run.sh "$bin/rumble" >"$out" 2>&1
    code=$?
    grep -E '^FAIL|^    ' "$out" | head -30
    tally "cli" "$out" "$code"
    rm -f "$out"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
