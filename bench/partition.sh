#!/bin/bash
# Benchmark: a match split four ways by region and merged, against the whole run.
#
# On the grid of bench/gen_grid (its roads carry `region`, the quadrant of the
# grid each segment's middle lies in), runs
#   rumble match                        the whole network in one job
#   rumble match --partition region=Q   for Q in NE NW SE SW, two at a time (the
#                                       machine's two cores; a scheduler would
#                                       spread them over machines)
#   rumble merge                        the four outputs into one
# prints each time and peak memory, and checks that the merged output holds
# the whole run's rows, byte for byte after sorting (tests/tools/same_layers.sh).
# Routes are not used (--route-field not given): the grid's every route runs
# across the whole grid, so with whole routes kept one region would own them all.
#
# usage: bench/partition.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
grid_bench_start
args=(-q --data-dir "$ROOT/data" --roads "$WORK/roads.gpkg" --crashes "$WORK/crashes.gpkg" --road-id seg_id
      --aadt-field aadt --id-field crash_id --date-field crash_date --severity-field severity
      --crash-type-field crash_type --light-field light --tolerance 30 --no-timings)
timed() {   # timed NAME CMD...: wall seconds to stdout, peak KB to $WORK/NAME.mem
    local name=$1; shift
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%M" -o "$WORK/$name.mem" "$@"
    t1=$(now)
    secs "$t0" "$t1"
}
rm -f "$WORK"/whole.gpkg "$WORK"/part_*.gpkg "$WORK"/merged.gpkg
t_whole=$(timed whole "$B/rumble" match "${args[@]}" -o "$WORK/whole.gpkg")
export B WORK
t0=$(now)
printf '%s\n' NE NW SE SW | xargs -P 2 -I{} /usr/bin/time -f "%M" -o "$WORK/part_{}.mem" \
    "$B/rumble" match "${args[@]}" --partition region={} -o "$WORK/part_{}.gpkg"
t_parts=$(secs "$t0" "$(now)")
t_merge=$(timed merged "$B/rumble" merge -q "$WORK"/part_NE.gpkg "$WORK"/part_NW.gpkg "$WORK"/part_SE.gpkg \
          "$WORK"/part_SW.gpkg -o "$WORK/merged.gpkg")
peak() { echo $(( $(cat "$WORK/$1.mem") / 1024 )); }
echo "data: $N crashes, $M segments, four regions"
echo "whole match:                 ${t_whole} s  (peak $(peak whole) MB)"
echo "four partitions, two at once: ${t_parts} s  (peaks $(peak part_NE), $(peak part_NW), $(peak part_SE), $(peak part_SW) MB)"
echo "merge:                       ${t_merge} s  (peak $(peak merged) MB)"
if bash "$ROOT/tests/tools/same_layers.sh" "$WORK/whole.gpkg" "$WORK/merged.gpkg" crashes segments; then
    echo "merged = whole run (every row of crashes and segments, sorted, and their schema)"
else
    echo "merged output DIFFERS from the whole run" >&2
    exit 1
fi
