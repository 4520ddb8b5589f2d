# Sourced by the grid benchmarks: sizes from the arguments, paths, timing helpers.
# usage in a script: . "$(dirname "$0")/common.sh" "$@"
N=${1:-1000000}
M=${2:-$N}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build
WORK=${RUMBLE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
machine() { echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"; }

# The start of a grid benchmark: GNU time at hand, the machine and build named,
# the grid data made.
grid_bench_start() {
    command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
    machine
    echo "== rumble $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(gcc --version | head -1), GDAL $(gdal-config --version)"
    grid_data
}

# The grid data in $WORK (made once per size; kept with RUMBLE_BENCH_DIR).
grid_data() {
    if [ ! -s "$WORK/roads.gpkg" ] || [ ! -s "$WORK/crashes.gpkg" ] || [ "$(cat "$WORK/size" 2>/dev/null)" != "$N $M typed lanes area region" ]; then
        rm -f "$WORK/roads.gpkg" "$WORK/crashes.gpkg"
        "$B/gen_grid" "$WORK" "$N" "$M"
        echo "$N $M typed lanes area region" > "$WORK/size"
    fi
}

# rumble_timed CMD OUT [extra]: runs rumble CMD on the grid data, prints the
# wall seconds; the peak memory (KB) goes to OUT.mem.
rumble_timed() {
    local cmd=$1 out=$2; shift 2
    rm -f "$out"
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%M" -o "$out.mem" "$B/rumble" "$cmd" -q --data-dir "$ROOT/data" \
        --roads "$WORK/roads.gpkg" --crashes "$WORK/crashes.gpkg" --road-id seg_id --aadt-field aadt \
        --route-field route --id-field crash_id --date-field crash_date --severity-field severity \
        --crash-type-field crash_type --light-field light --tolerance 30 -o "$out" "$@"
    t1=$(now)
    secs "$t0" "$t1"
}
# the stage timings of a run's summary
stages() { tr -d '\t\n' < "$1" | sed -n 's/.*"timings_s":{\([^}]*\)}.*/\1/p' | tr -d '"' | sed 's/,/, /g'; }
