#!/bin/sh
# make demo: generate the demo data (seeded) and run the main job on it.
# usage: data/demo/run.sh BUILD_DIR
set -e
B=${1:-build}
OUT=$B/demo
mkdir -p "$OUT"
"$B/gen_demo" "$OUT"
"$B/rumble" run --config data/demo/project.json \
    --roads "$OUT/roads.gpkg" --crashes "$OUT/crashes.csv" \
    --data-dir data --spf hsm_rural_2lane --budget 2000000 -o "$OUT/run.gpkg" --csv
# before the crashes happen: shoulder rumble strips where the risk factors of run-off-road crashes score
# highest, over the region (KAZ-R1, KAZ-R2 and the mountain road KAZ-R3 with its sharp bends), with what
# the region already has (lit village streets, a speed camera, beacons, a stretch of strips)
"$B/rumble" systemic --config data/demo/project.json --roads "$OUT/region.gpkg" --crashes "$OUT/region_crashes.csv" \
    --data-dir data --spf hsm_rural_2lane --budget 2000000 --systemic shoulder_rumble_strips \
    --systemic-budget 300000 --assets "$OUT/assets.geojson" --lit-field lit -o "$OUT/systemic.gpkg" > "$OUT/systemic.txt"
grep '^systemic:\|^coverage:\|^wrote' "$OUT/systemic.txt"
"$B/rumble" report "$OUT/systemic.gpkg" -o "$OUT/systemic_report.html" --data-dir data
# did it work? the history (2015-2024) with shoulder rumble strips laid in 2019
"$B/rumble" match --config data/demo/project.json --roads "$OUT/roads.gpkg" --crashes "$OUT/history.csv" \
    --from-year 2015 --to-year 2024 --data-dir data -q -o "$OUT/history.gpkg"
"$B/rumble" evaluate "$OUT/history.gpkg" --treatments "$OUT/treatments.csv" --spf hsm_rural_2lane \
    --data-dir data -o "$OUT/evaluation.gpkg"
"$B/rumble" report "$OUT/run.gpkg" -o "$OUT/report.html" --data-dir data --evaluation "$OUT/evaluation.gpkg"
echo
echo "demo inputs:  $OUT/roads.gpkg, $OUT/crashes.csv (planted hazards: $OUT/hazards.csv); $OUT/history.csv and $OUT/treatments.csv (shoulder rumble strips in 2019, planted theta 0.6 on their target crashes)"
echo "demo outputs: $OUT/report.html (open in a browser), $OUT/run.gpkg (open in QGIS, styled: layers work_lines, work_points, plan, hotspots, windows, segments, crashes), $OUT/run_work.csv (the work list), $OUT/run_crashes.csv, $OUT/run_segments.csv, $OUT/run.summary.json (the run summary), $OUT/evaluation.gpkg (the before-after evaluation, in the report), $OUT/systemic.gpkg and $OUT/systemic_report.html (the systemic programme and the coverage of what is there, on the region: $OUT/region.gpkg, $OUT/region_crashes.csv, $OUT/assets.geojson)"
