# QGIS-ready outputs: each layer's default style in the GeoPackage's
# layer_styles table (read back with GDAL: ogr2ogr to CSV, then the QML parsed
# by tests/tools/qml.py with Python's xml.etree), coded fields with GeoPackage
# field domains, sidecar .qml files for one-layer formats.

#> styles: every layer of a run has one default style; its renderer and classes are the ones computed here
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
check: ogr2ogr -f CSV styles.csv run.gpkg layer_styles
check: [ "$(q run.gpkg "select count(*) || ':' || count(distinct f_table_name) || ':' || sum(useAsDefault) from layer_styles")" = "8:8:8" ]
check: [ "$(q run.gpkg "select group_concat(f_table_name || '/' || f_geometry_column, ' ') from (select * from layer_styles order by f_table_name)")" = "crashes/geom hotspots/geom intersections/geom plan/geom segments/geom windows/geom work_lines/geom work_points/geom" ]
# crashes by severity: one category per KABCO code, and every severity the layer holds is one
check: [ "$(python3 $ROOT/tests/tools/qml.py styles.csv crashes)" = "categorizedSymbol CASE WHEN \"match_status\" = 'unmatched' THEN 'unmatched' ELSE \"severity\" END K,A,B,C,O,U,unmatched 7" ]
check: for v in $(ogrinfo -ro -q -sql "select distinct severity from crashes" run.gpkg | sed -n 's/.* = //p'); do python3 $ROOT/tests/tools/qml.py styles.csv crashes | grep -q "[ ,]$v[, ]" || exit 1; done
# segments and windows graduated by rank: the best 1 %, 5 %, 20 % (rounded up) and the rest, from the layer's count
check: for l in segments windows; do n=$(q run.gpkg "select count(*) from $l"); e=$(awk -v n=$n 'function c(x) { return x == int(x) ? x : int(x) + 1 } BEGIN { a = c(n / 100); if (a < 1) a = 1; b = c(n * 5 / 100); if (b < a) b = a; d = c(n * 20 / 100); if (d < b) d = b; printf "0-%d,%d-%d,%d-%d,%d-%d", a, a, b, b, d, d, n }'); [ "$(python3 $ROOT/tests/tools/qml.py styles.csv $l)" = "graduatedSymbol rank $e 4" ] || exit 1; done
# demo figures: 85 segments give ranks 1, 2-5, 6-17, 18-85
check: [ "$(python3 $ROOT/tests/tools/qml.py styles.csv segments)" = "graduatedSymbol rank 0-1,1-5,5-17,17-85 4" ]
check: [ "$(python3 $ROOT/tests/tools/qml.py styles.csv hotspots)" = "categorizedSymbol rule crash_concentration,peak_search,sliding_window,crp 4" ]
check: python3 $ROOT/tests/tools/qml.py styles.csv plan | grep -q "^categorizedSymbol CASE WHEN \"selected\" THEN 'chosen' ELSE 'alternative' END chosen,alternative 2$"
check: [ "$(python3 $ROOT/tests/tools/qml.py styles.csv work_lines)" = "singleSymbol   1" ] && [ "$(python3 $ROOT/tests/tools/qml.py styles.csv work_points)" = "categorizedSymbol item sign,chevron,device,entry,exit 5" ]
# layers by rank are drawn worst last (on top): ordered by rank, descending, the unranked first
check: for l in segments windows intersections; do [ "$(python3 $ROOT/tests/tools/qml.py styles.csv $l order)" = '"rank" desc nulls first' ] || exit 1; done
# intersections are diamonds, crashes circles (the unmatched a cross): no marker shape in common
check: i=$(python3 $ROOT/tests/tools/qml.py styles.csv intersections markers | tr ' ' '\n' | cut -d: -f2 | sort -u) && c=$(python3 $ROOT/tests/tools/qml.py styles.csv crashes markers | tr ' ' '\n' | cut -d: -f2 | sort -u) && [ "$i" = diamond ] && [ -z "$(comm -12 <(echo "$i") <(echo "$c"))" ]
# the four hotspot rules: colours at least 100 apart in RGB, pair by pair
check: python3 $ROOT/tests/tools/qml.py styles.csv hotspots colors | tr ' ' '\n' | cut -d: -f2 | awk -F, '{ r[NR] = $1; g[NR] = $2; b[NR] = $3 } END { if (NR != 4) exit 1; for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++) if (sqrt((r[i]-r[j])^2 + (g[i]-g[j])^2 + (b[i]-b[j])^2) < 100) exit 1 }'
# a crash not on the network is drawn apart from the counted ones, whatever its severity
check: [ "$(q run.gpkg "select count(*) from crashes where match_status = 'unmatched'")" -ge 1 ] && python3 $ROOT/tests/tools/qml.py styles.csv crashes markers | grep -q ' 6:cross2:'
# every item the work points hold has its symbol
check: for v in $(ogrinfo -ro -q -sql "select distinct item from work_points" run.gpkg | sed -n 's/.* = //p'); do python3 $ROOT/tests/tools/qml.py styles.csv work_points | grep -q "[ ,]$v[, ]" || exit 1; done

#> styles: coded fields carry GeoPackage field domains with their labels
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
check: ogrinfo -ro -so run.gpkg crashes | grep -q 'severity: String (0.0), domain name=rumble_severity'
check: ogrinfo -ro -so run.gpkg crashes | grep -q 'match_status: String (0.0), domain name=rumble_match_status'
check: ogrinfo -ro -so run.gpkg hotspots | grep -q 'rule: String (0.0), domain name=rumble_rule'
check: ogrinfo -ro -so run.gpkg plan | grep -q 'countermeasure: String (0.0), domain name=rumble_countermeasure'
check: ogrinfo -ro run.gpkg -fielddomain rumble_severity | grep -q '^    K: fatal$'
# every value the layers hold is a code of its domain: severities, crash types, countermeasures (combinations too)
check: ogrinfo -ro run.gpkg -fielddomain rumble_crash_type > ct.txt && for v in $(ogrinfo -ro -q -sql "select distinct crash_type from crashes" run.gpkg | sed -n 's/.* = //p'); do grep -q "^    $v: " ct.txt || exit 1; done
check: ogrinfo -ro run.gpkg -fielddomain rumble_countermeasure > cm.txt && for v in $(ogrinfo -ro -q -sql "select distinct countermeasure from plan union select distinct countermeasure from work_points" run.gpkg | sed -n 's/.* = //p'); do grep -q "^    $v: " cm.txt || exit 1; done
# a combination is labelled with its parts' catalogue names
check: grep -qF '    road_lighting+pedestrian_crossing_upgrade: Road lighting + Pedestrian crossing upgrade (refuge island, markings, lighting)' cm.txt

#> styles: a Shapefile output gets a sidecar .qml per layer (QGIS opens name.shp with name.qml); CSV tables none; reruns are byte-identical
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o a.gpkg -q
$ screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.shp --csv -q
check: python3 $ROOT/tests/tools/qml.py out_crashes.qml | grep -q ' K,A,B,C,O,U,unmatched 7$'
check: python3 $ROOT/tests/tools/qml.py out_segments.qml | grep -q '^graduatedSymbol rank '
check: [ -s out_hotspots.qml ] && [ -s out_windows.qml ]
check: [ ! -e out_crashes.csv.qml ] && [ "$(ls | grep -c 'qml$')" = "$(ls | grep -c 'shp$')" ] && ! ls | grep -q tmp
check: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o b.gpkg -q && cmp -s a.gpkg b.gpkg

#> styles: a layer of stretches has one geometry type in every run (a QGIS project keeps it): MultiLineString even when no row has two pieces
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 5000 -o small.gpkg -q
# this run's work lines are each one piece (SpatiaLite counts them), the layer still multi
check: [ "$(q small.gpkg 'select max(ST_NumGeometries(geom)) from work_lines')" = 1 ] && [ "$(q small.gpkg 'select count(*) from work_lines')" -ge 1 ]
check: for l in work_lines plan hotspots windows; do ogrinfo -ro -so small.gpkg $l | grep -qx 'Geometry: Multi Line String' || exit 1; done
check: ogrinfo -ro -so small.gpkg segments | grep -qx 'Geometry: Line String'
