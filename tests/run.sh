#!/bin/bash
# Runs every test: the unit test programs (tests/test_*.c) and the CLI cases
# (tests/cli/*.t) and the fuzz corpora (tests/fuzz/NAME/, each file replayed
# through its harness), on the plain build and on the AddressSanitizer +
# UndefinedBehaviorSanitizer build, and the install test (tests/install.sh) once.
# The jobs run N at a time (default: the number of processors), slowest first;
# each CLI file runs in a directory of its own (tests/cli/run.sh makes one).
# When all are done it prints, per build, each suite's result and its failures,
# and, last, the total: "N passed, N failed". Exits non-zero when anything failed.
# usage: tests/run.sh [-j N] [plain|san ...]   (default: both)
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

njobs=$(nproc 2>/dev/null || echo 2)
if [ "${1:-}" = -j ]; then
    njobs=${2:?-j needs a number}
    shift 2
fi
case $njobs in ''|*[!0-9]*|0) echo "tests/run.sh: -j wants a positive number, not '$njobs'" >&2; exit 2 ;; esac
modes=("$@")
[ ${#modes[@]} -eq 0 ] && modes=(plain san)
for mode in "${modes[@]}"; do
    case $mode in plain|san) ;; *) echo "unknown mode $mode" >&2; exit 2 ;; esac
done
bindir() { if [ "$1" = plain ]; then echo build; else echo build/san; fi; }

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# one cache for all the jobs: the demo the set-up lines start from, the browser's
# renderings of byte-identical pages (tests/tools/gen_demo_cached.sh, browser.sh)
export RUMBLE_TEST_CACHE=$OUT/cache
# the last run's times, to start the slowest first (written at the end)
TIMES=build/.test-times

# ---- the jobs: "id weight" lines; the id names the command (see run_job) ------
# A job's weight is its time in the last run when known; otherwise a guess: a
# CLI file by its size, the browser's cases and the sanitizer build counted
# heavier, a unit test light (test programs take seconds, CLI files minutes).
guess() {   # guess ID FILE
    local w
    w=$(wc -c <"$2")
    case $1 in *.t) w=$((w + 4000 * $(grep -c 'browser.sh' "$2"))) ;; *) w=$((w / 20)) ;; esac
    case $1 in san/*) w=$((w * 3 / 2)) ;; esac
    echo "$w"
}
weight() {  # weight ID FILE: the last time in ms, or the guess
    local ms
    ms=$(awk -v id="$1" '$1 == id { print $2 * 1000 }' "$TIMES" 2>/dev/null | tail -1)
    if [ -n "$ms" ]; then echo "${ms%.*}"; else guess "$1" "$2"; fi
}
: >"$OUT/jobs"
for mode in "${modes[@]}"; do
    bin=$(bindir "$mode")
    for t in "$bin"/tests/test_*; do
        [ -x "$t" ] || continue
        id=$mode/$(basename "$t")
        echo "$id $(weight "$id" "tests/$(basename "$t").c")" >>"$OUT/jobs"
    done
    for f in tests/cli/*.t; do
        [ -e "$f" ] || continue
        id=$mode/cli/$(basename "$f")
        echo "$id $(weight "$id" "$f")" >>"$OUT/jobs"
    done
    # the fuzz corpora, each replayed through its harness (tests/fuzz/replay.c)
    for t in "$bin"/fuzz/replay_*; do
        [ -x "$t" ] || continue
        id=$mode/fuzz/${t##*/replay_}
        echo "$id $(weight "$id" "tests/fuzz/fuzz_${id##*/}.c")" >>"$OUT/jobs"
    done
done
case " ${modes[*]} " in *" plain "*) echo "install $(weight install tests/install.sh)" >>"$OUT/jobs" ;; esac

run_job() {   # run_job ID: output in $OUT/KEY.out, exit code in .rc, "ID seconds" in .sec
    local id=$1 key start end
    key=${id//\//_}
    start=$(date +%s.%N)
    case $id in
    install) bash tests/install.sh ;;
    */cli/*) bash tests/cli/run.sh "$(bindir "${id%%/*}")/rumble" "tests/cli/${id##*/}" ;;
    */fuzz/*) "$(bindir "${id%%/*}")/fuzz/replay_${id##*/}" "tests/fuzz/${id##*/}" ;;
    *) "$(bindir "${id%%/*}")/tests/${id#*/}" ;;
    esac >"$OUT/$key.out" 2>&1
    echo $? >"$OUT/$key.rc"
    end=$(date +%s.%N)
    awk -v id="$id" -v a="$start" -v b="$end" 'BEGIN { printf "%s %.1f\n", id, b - a }' >"$OUT/$key.sec"
}

# the pool: at most njobs at once, heaviest first
while read -r id _; do
    while [ "$(jobs -rp | wc -l)" -ge "$njobs" ]; do wait -n 2>/dev/null || true; done
    run_job "$id" &
done < <(sort -k2,2nr -k1,1 "$OUT/jobs")
wait

# ---- results, in a fixed order -----------------------------------------------------
total_pass=0
total_fail=0
P=0 F=0     # set by result

result() {   # result KEY: P and F from the job's last result line; 1 when there is none
    local last
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$OUT/$1.out" 2>/dev/null | tail -1)
    [ -z "$last" ] && return 1
    P=${last%% passed*}
    F=${last#*, }
    F=${F%% failed*}
}

tally() {   # tally NAME KEY: one suite's line, for a job whose output is its own
    local code
    code=$(cat "$OUT/$2.rc" 2>/dev/null || echo "?")
    if ! result "$2"; then
        echo "  $1: no result line (exit $code): counted as 1 failure"
        tail -5 "$OUT/$2.out" | sed 's/^/    /'
        total_fail=$((total_fail + 1))
        return
    fi
    if [ "$code" != 0 ] && [ "$F" = 0 ]; then
        echo "  $1: $P passed, $F failed but exit $code: counted as 1 more failure"
        F=1
    else
        echo "  $1: $P passed, $F failed"
    fi
    total_pass=$((total_pass + P))
    total_fail=$((total_fail + F))
}

for mode in "${modes[@]}"; do
    echo "== $mode build"
    bin=$(bindir "$mode")
    for t in "$bin"/tests/test_*; do
        [ -x "$t" ] || continue
        key=${mode}_$(basename "$t")
        grep -E '^FAIL|ERROR|runtime error' "$OUT/$key.out" | head -20 | sed 's/^/    /'
        tally "$(basename "$t")" "$key"
    done
    for t in "$bin"/fuzz/replay_*; do
        [ -x "$t" ] || continue
        key=${mode}_fuzz_${t##*/replay_}
        grep -E 'property broken|ERROR|runtime error' "$OUT/$key.out" | head -20 | sed 's/^/    /'
        tally "fuzz corpus ${t##*/replay_}" "$key"
    done
    # the CLI files: their failures, then one line for all of them, as one suite
    cp=0 cf=0 notes=""
    for f in tests/cli/*.t; do
        [ -e "$f" ] || continue
        key=${mode}_cli_$(basename "$f")
        code=$(cat "$OUT/$key.rc" 2>/dev/null || echo "?")
        grep -E '^FAIL|^    ' "$OUT/$key.out" | head -30
        if ! result "$key"; then
            notes+="    $(basename "$f"): no result line (exit $code): counted as 1 failure"$'\n'
            notes+=$(tail -5 "$OUT/$key.out" | sed 's/^/      /')$'\n'
            cf=$((cf + 1))
            continue
        fi
        if [ "$code" != 0 ] && [ "$F" = 0 ]; then
            notes+="    $(basename "$f"): $P passed, 0 failed but exit $code: counted as 1 more failure"$'\n'
            F=1
        fi
        cp=$((cp + P)) cf=$((cf + F))
    done
    echo "  cli: $cp passed, $cf failed"
    printf '%s' "$notes"
    total_pass=$((total_pass + cp))
    total_fail=$((total_fail + cf))
    if [ "$mode" = plain ]; then
        grep -E '^FAIL|^    ' "$OUT/install.out" | head -30
        tally install install
    fi
done

# the times of this run, for the order of the next (slowest first)
if [ -d build ]; then
    { cat "$OUT"/*.sec; cat "$TIMES"; } 2>/dev/null | awk '!seen[$1]++' | sort -k2,2nr >"$TIMES.new" &&
        mv "$TIMES.new" "$TIMES"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
