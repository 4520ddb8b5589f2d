#!/bin/bash
# Benchmark: placing crashes by road and measure against matching them by coordinates.
#
# On the grid data of bench/match.sh (gen_grid, seeded), the grid lines are cut
# into routes of ten segments (100,000 routes at M = 1,000,000), rumble screen
# gives every crash its route and chainage once, and those become a table of
# road + km post without coordinates. Then, on the same roads, it times
#   rumble match --crashes crashes.gpkg                    (by coordinates, GeoPackage)
#   rumble match --crashes xy.csv                          (by coordinates, CSV)
#   rumble match --crashes posts.csv --measure-field km    (by road and measure)
# and prints them and the ratios; the issue asks that linear referencing of a
# million crashes on a hundred thousand routes stay within the budget of
# coordinate matching. The like-for-like ratio is against the CSV of
# coordinates: a police export comes as a table either way.
#
# usage: bench/lref.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
grid_bench_start
if [ ! -s "$WORK/roads10.gpkg" ] || [ ! -s "$WORK/posts.csv" ]; then
    rm -f "$WORK/roads10.gpkg" "$WORK/posts.csv" "$WORK/placed.gpkg"
    ogr2ogr -f GPKG "$WORK/roads10.gpkg" "$WORK/roads.gpkg" -dialect sqlite -nln roads \
        -sql "SELECT seg_id, aadt, route || '/' || CAST(seg_id / 10 AS INTEGER) AS route, geom FROM roads"
    "$B/rumble" screen -q --data-dir "$ROOT/data" --roads "$WORK/roads10.gpkg" --road-id seg_id --route-field route \
        --crashes "$WORK/crashes.gpkg" --id-field crash_id --tolerance 30 --spatial-index no -o "$WORK/placed.gpkg"
    ogr2ogr -f CSV "$WORK/posts.csv" "$WORK/placed.gpkg" -dialect sqlite \
        -sql "SELECT crash_id, route_id AS road, printf('%.6f', chainage_m / 1000.0) AS km FROM crashes"
fi
if [ ! -s "$WORK/xy.csv" ]; then
    ogr2ogr -f CSV "$WORK/xy.csv" "$WORK/crashes.gpkg" -dialect sqlite \
        -sql "SELECT crash_id, printf('%.3f', ST_X(geom)) AS x, printf('%.3f', ST_Y(geom)) AS y FROM crashes"
fi
nroutes=$(ogrinfo -ro -q -dialect sqlite -sql "SELECT count(DISTINCT route) AS n FROM roads" "$WORK/roads10.gpkg" | sed -n 's/.* = //p')

timed() {   # timed OUT ARGS...: prints seconds
    local out=$1; shift
    rm -f "$out"
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%M" -o "$out.mem" "$B/rumble" match -q --data-dir "$ROOT/data" --roads "$WORK/roads10.gpkg" \
        --road-id seg_id --route-field route --tolerance 30 -o "$out" "$@"
    t1=$(now)
    secs "$t0" "$t1"
}
t_xy=$(timed "$WORK/by_xy.gpkg" --crashes "$WORK/crashes.gpkg" --id-field crash_id)
t_xyc=$(timed "$WORK/by_xyc.gpkg" --crashes "$WORK/xy.csv" --id-field crash_id --x-field x --y-field y \
    --crashes-crs EPSG:32643)
t_lr=$(timed "$WORK/by_lr.gpkg" --crashes "$WORK/posts.csv" --id-field crash_id --road-field road --measure-field km)
placed=$(tr -d ' \t\n' < "$WORK/by_lr.summary.json" | sed -n 's/.*"route_measure":\([0-9]*\).*/\1/p')
echo "data: $N crashes, $M segments on $nroutes routes; placed by road and measure: $placed"
echo "by coordinates:      ${t_xy} s  (peak $(( $(cat "$WORK/by_xy.gpkg.mem") / 1024 )) MB; $(stages "$WORK/by_xy.summary.json"))"
echo "by coordinates, CSV: ${t_xyc} s  (peak $(( $(cat "$WORK/by_xyc.gpkg.mem") / 1024 )) MB; $(stages "$WORK/by_xyc.summary.json"))"
echo "by road and measure: ${t_lr} s  (peak $(( $(cat "$WORK/by_lr.gpkg.mem") / 1024 )) MB; $(stages "$WORK/by_lr.summary.json"))"
echo "road and measure / coordinates (GeoPackage) = $(echo "$t_lr / $t_xy" | bc -l | xargs printf '%.2f')"
echo "road and measure / coordinates (CSV, like for like) = $(echo "$t_lr / $t_xyc" | bc -l | xargs printf '%.2f')"
