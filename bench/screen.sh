#!/bin/bash
# Benchmark: what screening costs on top of matching.
#
# On the same generated data (bench/gen_grid, seeded: N crashes, M segments of
# 100 m on a street grid, one route per grid line), runs
#   rumble match   read, index, match, per-segment statistics, write crashes + segments
#   rumble screen  the same, plus routes and chainage, segments and sliding windows
#                  (300 m by 100 m) with every measure (critical rate, EPDO, RSI,
#                  method of moments, HSM rural two-lane SPF, LOSS, EB, EB-EPDO),
#                  HSM peak searching on every segment, the continuous risk profile,
#                  crash concentration sites,
#                  and the windows and hotspots layers written as well
# and prints both wall times, the difference and the ratio, with the stage
# timings from each run's summary. The issue's target: screening under 5 s
# beyond matching at N = M = 1,000,000 on a 2-core machine.
#
# usage: bench/screen.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
grid_bench_start

t_match=$(rumble_timed match "$WORK/match.gpkg")
t_screen=$(rumble_timed screen "$WORK/screen.gpkg" --spf hsm_rural_2lane)
nwin=$(ogrinfo -ro -q -sql "select count(*) from windows" "$WORK/screen.gpkg" | sed -n 's/.* = //p')
nhot=$(ogrinfo -ro -q -sql "select count(*) from hotspots" "$WORK/screen.gpkg" | sed -n 's/.* = //p')
echo "data: $N crashes, $M segments; screen made $nwin windows and $nhot hotspots"
echo "rumble match:  ${t_match} s  (peak $(( $(cat "$WORK/match.gpkg.mem") / 1024 )) MB; $(stages "$WORK/match.summary.json"))"
echo "rumble screen: ${t_screen} s  (peak $(( $(cat "$WORK/screen.gpkg.mem") / 1024 )) MB; $(stages "$WORK/screen.summary.json"))"
echo "screening beyond matching: $(secs "$t_match" "$t_screen") s; screen / match = $(echo "$t_screen / $t_match" | bc -l | xargs printf '%.2f')"
