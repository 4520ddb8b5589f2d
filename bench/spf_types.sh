#!/bin/bash
# Benchmark: screening with a model for each kind of road (--spf hsm) against
# one model for all (--spf hsm_rural_2lane), on the same generated data
# (bench/gen_grid: every fifth grid line four lanes, every tenth divided, so
# the hsm set gives 80 % of the segments the two-lane model, 10 % four-lane
# undivided and 10 % four-lane divided). Prints both wall times and the ratio.
# The issue's target: within 10 % at N = M = 1,000,000.
#
# usage: bench/spf_types.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
grid_bench_start

t_one=$(rumble_timed screen "$WORK/one.gpkg" --spf hsm_rural_2lane --lanes-field lanes --divided-field divided)
t_set=$(rumble_timed screen "$WORK/set.gpkg" --spf hsm --lanes-field lanes --divided-field divided)
types=$(tr -d '\t\n ' < "$WORK/set.summary.json" | sed -n 's/.*"spf_segments":{\([^}]*\)}.*/\1/p')
echo "data: $N crashes, $M segments; hsm typed them $types"
echo "rumble screen --spf hsm_rural_2lane: ${t_one} s  (peak $(( $(cat "$WORK/one.gpkg.mem") / 1024 )) MB)"
echo "rumble screen --spf hsm:             ${t_set} s  (peak $(( $(cat "$WORK/set.gpkg.mem") / 1024 )) MB)"
echo "hsm / hsm_rural_2lane = $(echo "$t_set / $t_one" | bc -l | xargs printf '%.3f')"
