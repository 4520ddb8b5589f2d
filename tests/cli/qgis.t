# The styles as QGIS itself reads and draws them: tests/tools/qgis_render.py,
# on Debian's python3-qgis (QGIS 3.22, headless, Qt's offscreen platform),
# opens every layer of a run's GeoPackage as a user does, with the style QGIS
# loads from layer_styles, and renders them (QgsMapRendererSequentialJob).
# styles.t checks the QML text; this checks what QGIS makes of it.
# Without the qgis module (python3-qgis not installed; .ci/run installs it)
# the script exits 77: the case passes with a "skipped" line in the summary.

#> qgis: the demo's run opened, styled and drawn by QGIS
run: mkdir -p d && "$GEN_DEMO" d
# work lines each of one piece (a budget of 5,000), and crashes beyond a 5 m tolerance that have a location to draw
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 5000 -o small.gpkg -q
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --tolerance 5 -o near.gpkg -q
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
check: python3 $ROOT/tests/tools/qgis_render.py run.gpkg small.gpkg near.gpkg >qgis.txt; r=$?; [ $r = 77 ] && { echo "    qgis.t: $(cat qgis.txt)"; : >skipped; }; [ $r = 0 ] || [ $r = 77 ] || { grep -v '^ok ' qgis.txt >&2; false; }
# every layer takes rumble's style from the GeoPackage (not QGIS's random symbol), and every feature has a symbol
check: n=$(q run.gpkg "select count(*) from gpkg_contents where data_type = 'features'") && [ "$n" -ge 8 ] && { [ -e skipped ] || { [ "$(grep -c '^ok style: [a-z_]*: .* from the GeoPackage ("Loaded from Provider")' qgis.txt)" = "$n" ] && [ "$(grep -c '^ok symbols: .*(0 without a symbol)' qgis.txt)" = "$n" ]; }; }
# coded fields are drop-downs (ValueMap) of their domain's codes
check: [ -e skipped ] || { grep -q '^ok valuemap: crashes.severity: ValueMap widget, 6 codes' qgis.txt && grep -q '^ok valuemap: hotspots.rule: ValueMap widget, 4 codes' qgis.txt && ! grep -q '^FAIL valuemap' qgis.txt; }
# layers by rank drawn in "rank" DESC NULLS FIRST, rank 1 last
check: [ -e skipped ] || { [ "$(grep -c '^ok order: [a-z]*: order-by on ("rank" DESC NULLS FIRST), [0-9]* features drawn from rank [0-9]* to rank 1 last' qgis.txt)" = 3 ]; }
# drawn around the rank-1 window: its colour at every point along it, and not so with the order-by off
check: [ -e skipped ] || { grep -q '^ok windows: rank 1 on top: \([0-9]*\) of \1 points' qgis.txt && grep -q '^ok windows: the check tells' qgis.txt && ! grep -q '^FAIL windows' qgis.txt; }
# intersections and crashes share no marker; the hotspot rules four colours apart
check: [ -e skipped ] || { grep -q '^ok markers: intersections drawn diamond' qgis.txt && grep -q '^ok hotspots: .* 4 colours' qgis.txt; }
# a crash not on the network: a symbol of its own, drawn in the style's colour; a matched one in its severity's
check: [ -e skipped ] || { [ "$(grep -c '^ok unmatched: ' qgis.txt)" = 4 ] && ! grep -q '^FAIL unmatched' qgis.txt; }
# work lines: MultiLineString in each run, also where every work line is one piece
check: [ -e skipped ] || { [ "$(grep -c '^ok work_lines: .*MultiLineString' qgis.txt)" = 3 ] && grep -q '^ok work_lines: .*small.gpkg: MultiLineString ([0-9]* features, at most 1 parts each)' qgis.txt; }
# every layer drawn at its full extent without an error
check: [ -e skipped ] || [ "$(grep -c '^ok render: ' qgis.txt)" = "$(q run.gpkg "select count(*) from gpkg_contents where data_type = 'features'")" ]
check: [ -e skipped ] || tail -1 qgis.txt | grep -qx '[0-9]* passed, 0 failed'
