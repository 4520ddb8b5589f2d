#!/bin/bash
# Benchmark: screening with a model for each kind of road (--spf hsm) against
# one model for all (--spf hsm_rural_2lane), on the same generated data
# (bench/gen_grid: every fifth grid line four lanes, every tenth divided,
# every third urban, so the hsm set gives rural two-lane, four-lane undivided
# and divided and urban 2U, 4U and 4D models, the urban ones summed from
# their components, each with its CMFs for the shoulder widths given).
# Prints both wall times and the ratio; with RUMBLE_BASELINE=path/to/rumble
# (a build from before the Part C models, with its own data/ beside it) also
# that build's --spf hsm_rural_2lane, the issue's "today's" time. The
# issue's target: within 10 % at N = M = 1,000,000.
#
# usage: bench/spf_types.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
grid_bench_start

fields="--lanes-field lanes --divided-field divided --area-field area --speed-field speed_kmh --shoulder-field shoulder_m"
t_one=$(rumble_timed screen "$WORK/one.gpkg" --spf hsm_rural_2lane $fields)
t_set=$(rumble_timed screen "$WORK/set.gpkg" --spf hsm $fields)
types=$(tr -d '\t\n ' < "$WORK/set.summary.json" | sed -n 's/.*"spf_segments":{\([^}]*\)}.*/\1/p')
echo "data: $N crashes, $M segments; hsm typed them $types"
echo "rumble screen --spf hsm_rural_2lane: ${t_one} s  (peak $(( $(cat "$WORK/one.gpkg.mem") / 1024 )) MB)"
echo "rumble screen --spf hsm:             ${t_set} s  (peak $(( $(cat "$WORK/set.gpkg.mem") / 1024 )) MB)"
echo "hsm / hsm_rural_2lane = $(echo "$t_set / $t_one" | bc -l | xargs printf '%.3f')"
if [ -n "${RUMBLE_BASELINE:-}" ]; then
    base_dir=$(cd "$(dirname "$RUMBLE_BASELINE")/.." && pwd)
    t_base=$(B=$(dirname "$RUMBLE_BASELINE") ROOT=$base_dir rumble_timed screen "$WORK/base.gpkg" --spf hsm_rural_2lane \
             --lanes-field lanes --divided-field divided)
    echo "baseline $RUMBLE_BASELINE --spf hsm_rural_2lane: ${t_base} s  (peak $(( $(cat "$WORK/base.gpkg.mem") / 1024 )) MB)"
    echo "hsm / baseline hsm_rural_2lane = $(echo "$t_set / $t_base" | bc -l | xargs printf '%.3f')"
fi
