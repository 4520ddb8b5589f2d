# Well-formed but wrong input (tests/wrong/README.md): each case ends with the
# finding's code, its numbers, the exit code (5: the result cannot be trusted;
# 0: a warning; 1: the input cannot be read), every row read accounted for,
# and no nan anywhere. The Leeds figures: 1,450 crashes from 1,907 casualty
# rows, 673 (46%) within 30 m of the main-road network (tests/cli/leeds.t).

#> wrong: Leeds eastings and northings declared as longitude/latitude: they look like metres, and EPSG:27700 (the roads' CRS) is named
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --crashes-crs EPSG:4326 -o out.gpkg
? 5
err: error [coords_look_projected]: 1450 of a sample of 1450 crashes have coordinates outside longitude/latitude range (x 414747 to 445481, y 423157 to 449599): they look like metres; read in EPSG:27700, 46% lie on a road: declare it with --crashes-crs EPSG:27700
err: error [no_match]: none of the 1450 crashes lies within 30 m of a road (out_of_range 1450)
err: the result cannot be trusted (coords_look_projected,no_match)
# the span named is the CSV's own: SQL over its rows (GDAL's CSV driver, no rumble)
check: s="select min(cast(\"Grid Ref: Easting\" as integer)) || ' to ' || max(cast(\"Grid Ref: Easting\" as integer)) || ', y ' || min(cast(\"Grid Ref: Northing\" as integer)) || ' to ' || max(cast(\"Grid Ref: Northing\" as integer)) from casualties_2019"; grep -qF "(x $(q $SHARED/leeds/casualties_2019.csv "$s"))" .stderr
check: python3 -c "import json,sys; d=json.load(open('out.summary.json')); w={x['code']: x for x in d['warnings']}; sys.exit(not (d['trusted'] is False and w['no_match']['untrusted'] and w['no_match']['count'] == 1450 and d['crashes']['rows_read'] == 1907 and d['crashes']['rows_rejected'] == 0))"
# the report opens with the findings, in the box of a result that cannot be trusted
check: "$RUMBLE" report out.gpkg -o r.html -q && grep -q 'class="findings untrusted"' r.html && grep -q '<li class="bad"><code>coords_look_projected</code>' r.html && ! grep -qiw nan r.html
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: Leeds with x and y exchanged (their ranges overlap): 7% on a road as given, 46% exchanged
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --x-field "Grid Ref: Northing" --y-field "Grid Ref: Easting" -o out.gpkg
? 5
err: error [axes_swapped]: x and y look exchanged: read as (y, x), 46% of a sample of 1450 crashes lie on a road, against 7% as given
err: error [low_match]: only 102 of 1450 crashes (7%) lie within 30 m of a road
# both shares worked out by SQL over the output: each crash as given (x the
# northing) and exchanged, within 30 m of a segment (its R-tree, then the distance)
check: near() { q out.gpkg "select count(*) from crashes c where exists (select 1 from rtree_segments_geom r join segments s on s.fid = r.id where r.minx <= $1 + 30 and r.maxx >= $1 - 30 and r.miny <= $2 + 30 and r.maxy >= $2 - 30 and ST_Distance(MakePoint($1, $2, ST_SRID(s.geom)), s.geom) <= 30)"; }; n=$(q out.gpkg 'select count(*) from crashes'); a=$(near 'ST_X(c.geom)' 'ST_Y(c.geom)'); b=$(near 'ST_Y(c.geom)' 'ST_X(c.geom)'); pa=$(awk -v a=$a -v n=$n 'BEGIN { printf "%.0f", 100 * a / n }'); pb=$(awk -v b=$b -v n=$n 'BEGIN { printf "%.0f", 100 * b / n }'); grep -qF "only $a of $n crashes ($pa%)" .stderr && grep -qF "read as (y, x), $pb% of a sample of $n crashes lie on a road, against $pa% as given" .stderr
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: --accept says a finding is meant: the run trusts its result and exits 0, the finding kept as accepted
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --x-field "Grid Ref: Northing" --y-field "Grid Ref: Easting" --accept axes_swapped,low_match -o out.gpkg
err: warning [axes_swapped]
err: (accepted)
noerr: cannot be trusted
check: python3 -c "import json,sys; d=json.load(open('out.summary.json')); sys.exit(not (d['trusted'] is True and all(x.get('accepted', True) for x in d['warnings'] if 'untrusted' in x)))"

#> wrong: an unknown code to --accept is exit 2 before any data is read, listing the codes
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --accept no_matches -o out.gpkg
? 2
err: accept: 'no_matches' is not a finding's code; the codes are no_match, low_match
absent: out.gpkg

#> wrong: Leeds with a date format that matches no row: no dates, said once with the fix, not 1,450 nans; a measure per year then has no value anywhere
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --date-format %Y-%m-%d --rank-by freq_per_yr -o out.gpkg
? 5
err: error [no_dates]: none of the 1450 crashes has a date that could be read: 1450 dates in 'Accident Date' do not parse in the format '%Y-%m-%d'
err: error [measure_empty]: the ranking measure 'freq_per_yr' has no value at any of the 3661 segments: it needs a study period
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: Leeds (2019) screened for 2015-2016: the period holds no crash, and the dates' span is named
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --from-year 2015 --to-year 2016 -o out.gpkg
? 5
err: error [period_empty]: no crash falls in the study period 2015-2016; the crashes' dates run from 2019 to 2019
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: an SPF screening on roads without AADT: the excess has no value anywhere, and the message says AADT is missing
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv --spf hsm_rural_2lane --rank-by excess_per_yr -o out.gpkg
? 5
err: error [measure_empty]: the ranking measure 'excess_per_yr' has no value at any of the 2 segments: it needs AADT, and no AADT field is named (--aadt-field)
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: ranking by crash rate on Leeds' roads without AADT: the rate has no value anywhere, and the message says AADT is missing
$ match -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --rank-by rate_per_mvkm -o out.gpkg
? 5
err: error [measure_empty]: the ranking measure 'rate_per_mvkm' has no value at any of the 3661 segments: it needs AADT, and no AADT field is named (--aadt-field)
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: the road class as the route key chains segments kilometres apart: split where a gap exceeds the window, every window with its geometry and none longer than the window
$ screen -c $ROOT/tests/wrong/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --route-field CLASSIFICA -o out.gpkg
err: warning [route_gaps]: 3 route keys chain segments that lie apart
check: [ "$(q out.gpkg 'select count(*) from windows where geom is null')" = 0 ]
check: [ "$(q out.gpkg 'select count(*) from windows where to_m - from_m > 300.001')" = 0 ]
check: [ "$(q out.gpkg "select count(distinct route_id) from windows where route_id like 'A Road#%'")" -gt 1 ]
# no window reaches across a gap or onto a branch that leaves the road: before the split, 585
# windows spread over more than 1 km and one over 10.8 km; now none over 1.6 km (both
# carriageways and the slip roads of a junction may be drawn, so its length is not the test)
check: [ "$(q out.gpkg 'select count(*) from windows where ST_MaxX(geom) - ST_MinX(geom) > 1600 or ST_MaxY(geom) - ST_MinY(geom) > 1600')" = 0 ]
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: Montreal's bike crashes have no severity: screening by EPDO would rank nothing, so the result is not trusted
$ screen --roads $SHARED/montreal/roads.gpkg --crashes $SHARED/montreal/bike_crashes_2016.gpkg --date-field Date --date-format %Y/%m/%d -o out.gpkg
? 5
err: error [no_severity]: no crash has a severity (no severity field is named): EPDO counts nothing and the ranking by it is arbitrary
err: warning [no_route]: no route field: each of the 2945 segments is a route of its own
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: Montreal ranked by crash count instead: no severity is then a warning, and the run trusted
$ screen --roads $SHARED/montreal/roads.gpkg --crashes $SHARED/montreal/bike_crashes_2016.gpkg --date-field Date --date-format %Y/%m/%d --rank-by freq_per_yr -o out.gpkg
err: warning [no_severity]
noerr: cannot be trusted

#> wrong: Iowa's intersections screened for a period before the data: no crash in it
$ screen -c $ROOT/tests/wrong/iowa_intersections.json --intersections $SHARED/iowa/intersections.gpkg --crashes $SHARED/iowa/crashes_2016_2020.gpkg --from-year 2001 --to-year 2003 -o out.gpkg
? 5
err: error [period_empty]: no crash falls in the study period 2001-2003; the crashes' dates run from 2016 to 2020
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: the demo's crashes in UTM metres with no CRS declared: they look like metres, and EPSG:32643 (the roads') is named
run: mkdir -p d && "$GEN_DEMO" d && ogr2ogr -f CSV utm.csv d/crashes.csv -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -s_srs EPSG:4326 -t_srs EPSG:32643 -lco GEOMETRY=AS_XY
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes utm.csv --x-field X --y-field Y -o out.gpkg
? 5
err: error [coords_look_projected]
err: they look like metres; read in EPSG:32643, 99% lie on a road: declare it with --crashes-crs EPSG:32643
check: ! grep -qiw nan .stdout .stderr out.summary.json

#> wrong: an HTML error page pasted into the demo's CSV: its 5 lines are set aside (layer rejected), not crashes; rows read = records + rejected
run: mkdir -p d && "$GEN_DEMO" d && { head -300 d/crashes.csv; printf '<html><head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n</body>\n</html>\n'; tail -n +301 d/crashes.csv; } > html.csv
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes html.csv -o out.gpkg
err: warning [rows_rejected]: 5 of the 993 rows read are not crash records (the first: row 301, markup, not a record
out: (5 more rows set aside as not crash records: layer rejected)
check: [ "$(q out.gpkg 'select count(*) from rejected')" = 5 ]
check: [ "$(q out.gpkg 'select text from rejected where row = 303')" = '<center><h1>502 Bad Gateway</h1></center>' ]
check: [ "$(q out.gpkg "select count(*) from crashes where crash_id like '<%'")" = 0 ]
# every data line of the file is a row read; every row read is a crash's record or rejected
check: python3 -c "import json,sys; c=json.load(open('out.summary.json'))['crashes']; n=sum(1 for _ in open('html.csv', encoding='utf-8')) - 1; sys.exit(not (c['rows_read'] == n == c['records'] + c['rows_rejected'] and c['rows_rejected'] == 5))"

#> wrong: a quote left open in the demo's CSV would swallow the rest of the file: exit 1 naming the row and line, nothing written
run: mkdir -p d && "$GEN_DEMO" d && awk 'NR == 200 { sub(/"/, "") } { print }' d/crashes.csv > quote.csv
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes quote.csv -o out.gpkg
? 1
err: quote.csv: row 200 (line 200): a quote opened on this line is never closed
absent: out.gpkg

#> wrong: on every input in tests/bad and in the cases above, rows read = crashes' records + rejected rows, and for a CSV without line breaks in values, its data lines
run: mkdir -p d && "$GEN_DEMO" d
$ --version
check: for f in $BAD/*.csv d/crashes.csv; do "$RUMBLE" match -q --roads $BAD/roads.geojson --crashes "$f" -o o.gpkg --accept no_match,low_match,dates_unparsed,crs_mismatch,axes_swapped,coords_look_projected 2>/dev/null; [ -s o.summary.json ] || continue; python3 -c "import json,sys; c=json.load(open('o.summary.json'))['crashes']; n=sum(1 for l in open('$f', encoding='utf-8', errors='replace') if l.strip()) - 1; sys.exit(not (c['rows_read'] == c['records'] + c['rows_rejected'] and (c['rows_read'] == n or '$f'.endswith('multiline.csv'))))" || { echo "rows not accounted for in $f"; exit 1; }; rm -f o.gpkg o.summary.json; done

#> wrong: the demo planned without its light field: night-time patterns cannot come up, and the run says so (a warning)
run: mkdir -p d && "$GEN_DEMO" d && python3 -c "import json; d = json.load(open('$DATA/demo/project.json')); d['crashes'].pop('light'); json.dump(d, open('nolight.json', 'w'), ensure_ascii=False)"
$ run --config nolight.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 -o out.gpkg
err: warning [no_conditions]: no crash has light conditions: the diagnosis cannot find night-time patterns, so lighting is never proposed; name --light-field
noerr: cannot be trusted
