#!/bin/bash
# Benchmark: what planning costs on top of screening.
#
# On the same generated data as bench/screen.sh (bench/gen_grid, seeded: N
# crashes with severity, crash type and light, M segments of 100 m on a street
# grid), runs
#   rumble screen  match, routes, every screening measure, hotspots, all layers
#   rumble run     the same, then planning: sites from the hotspots, diagnosis,
#                  alternatives with their work-order layout, appraisal, the
#                  exact budget choice, the incremental B/C ranks, work orders
#                  and the plan, work_lines and work_points layers and work list
# and prints both wall times and the ratio. The issue's target: rumble run
# within 2x of match plus screen (rumble screen does both) at N = M = 1,000,000.
#
# usage: bench/run.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
grid_bench_start
field() { tr -d '\t\n' < "$1" | sed -n "s/.*\"plan\":{[^}]*\"$2\":\([^,}]*\).*/\1/p"; }

t_screen=$(rumble_timed screen "$WORK/screen.gpkg" --spf hsm_rural_2lane)
t_run=$(rumble_timed run "$WORK/run.gpkg" --spf hsm_rural_2lane --budget 2000000)
echo "data: $N crashes, $M segments; the plan: $(field "$WORK/run.summary.json" sites) sites, $(field "$WORK/run.summary.json" alternatives) alternatives, $(field "$WORK/run.summary.json" selected) chosen, $(field "$WORK/run.summary.json" work_lines) work lines, $(field "$WORK/run.summary.json" work_points) work points"
echo "rumble screen: ${t_screen} s  (peak $(( $(cat "$WORK/screen.gpkg.mem") / 1024 )) MB; $(stages "$WORK/screen.summary.json"))"
echo "rumble run:    ${t_run} s  (peak $(( $(cat "$WORK/run.gpkg.mem") / 1024 )) MB; $(stages "$WORK/run.summary.json"))"
echo "planning beyond screening: $(secs "$t_screen" "$t_run") s; run / (match + screen) = $(echo "$t_run / $t_screen" | bc -l | xargs printf '%.2f')"
