# Partitioned runs: rumble match --partition KEY=VALUE for each region, then
# rumble merge, give the whole network's output: every layer's rows the same,
# byte for byte once sorted, with the same fields, types, domains, CRS and
# extent (tests/tools/same_layers.sh). Without the demo project's
# crashes.road, which a partition refuses (the road a record names may lie in
# another region).

#> the demo split by road (two partitions, a crossing between them) merges to the whole run
run: mkdir -p d && "$GEN_DEMO" d && python3 -c "import json; d = json.load(open('$DATA/demo/project.json')); del d['crashes']['road']; json.dump(d, open('p.json', 'w'))"
run: "$RUMBLE" match -q --config p.json --roads d/roads.gpkg --crashes d/crashes.csv --no-timings -o whole.gpkg
run: "$RUMBLE" match -q --config p.json --roads d/roads.gpkg --crashes d/crashes.csv --no-timings --partition road=KAZ-R1 -o r1.gpkg
$ match --config p.json --roads d/roads.gpkg --crashes d/crashes.csv --no-timings --partition road=KAZ-R2 -o r2.gpkg
check: [ -s r2.gpkg ]
# the terminal says what is the region's own, as the summary counts it
out: partition road=KAZ-R2: 9 of the 85 segments its own,
check: python3 -c "import json, sys; c = json.load(open('r2.summary.json'))['partition']['crashes']; sys.exit(0 if 'crashes: %d on its roads, %d on another region' % (c['own'], c['halo']) in open(sys.argv[1]).read() else 1)" .stdout
# the partition writes its own segments and every crash but those another region owns
check: [ "$(q r2.gpkg 'select count(*) from segments')" = "$(q d/roads.gpkg "select count(*) from roads where road = 'KAZ-R2'")" ]
check: [ "$(q r2.gpkg "select count(*) from crashes where partition = 'own'")" = "$(q whole.gpkg "select count(*) from crashes c join segments s on c.segment_id = s.segment_id where s.route_id = 'KAZ-R2'")" ]
check: [ "$(q r2.gpkg "select count(*) from crashes where partition = 'halo'")" = 0 ]
check: python3 -c "import json, sys; p = json.load(open('r2.summary.json'))['partition']; c = p['crashes']; sys.exit(not (p['roads_read'] == 85 and p['segments_owned'] == 9 and p['segments_halo'] > 0 and c['own'] + c['halo'] + c['in'] + c['out'] == 746))"
# merged: identical to the whole run, and the partitions' own fields gone
check: "$RUMBLE" merge r1.gpkg r2.gpkg -o merged.gpkg > merge.txt && grep -q 'merged 2 partitions: 746 crashes' merge.txt
check: bash $ROOT/tests/tools/same_layers.sh whole.gpkg merged.gpkg crashes segments
check: [ "$(q merged.gpkg "select count(*) from pragma_table_info('crashes') where name in ('partition', 'crash_seq')")" = 0 ]
check: python3 -c "import json, sys; s = json.load(open('merged.summary.json')); sys.exit(not (s['command'] == 'merge' and s['crashes']['total'] == 746 and s['segments']['total'] == 85 and len(s['partitions']) == 2))"
# in input order, not only the same rows: the crash ids as the whole run lists them
check: [ "$(q whole.gpkg "select group_concat(crash_id, ',') from crashes")" = "$(q merged.gpkg "select group_concat(crash_id, ',') from crashes")" ]

#> a street grid split four ways by quadrant merges to the whole run, rejected rows and ranks too
# the grid's crashes as a police export: a CSV of x, y with an empty row and a total row at the end
run: mkdir -p g && "$GEN_GRID" g 30000 30000 > /dev/null && ogr2ogr -f CSV g/c.csv g/crashes.gpkg -lco GEOMETRY=AS_XY && (cat g/c.csv; echo ',,,,,,'; echo 'Total: 30000,,,,,,') > c.csv
run: for r in NE NW SE SW; do "$RUMBLE" match -q --roads g/roads.gpkg --crashes c.csv --x-field X --y-field Y --crashes-crs EPSG:32643 --road-id seg_id --aadt-field aadt --id-field crash_id --date-field crash_date --severity-field severity --tolerance 30 --no-timings --partition region=$r -o p_$r.gpkg || exit 1; done
$ match -q --roads g/roads.gpkg --crashes c.csv --x-field X --y-field Y --crashes-crs EPSG:32643 --road-id seg_id --aadt-field aadt --id-field crash_id --date-field crash_date --severity-field severity --tolerance 30 --no-timings -o whole.gpkg
check: [ "$(q whole.gpkg 'select count(*) from rejected')" = 1 ] && [ "$(q whole.gpkg 'select count(*) from crashes')" = 30001 ]
check: "$RUMBLE" merge -q p_NE.gpkg p_NW.gpkg p_SE.gpkg p_SW.gpkg -o merged.gpkg
check: bash $ROOT/tests/tools/same_layers.sh whole.gpkg merged.gpkg crashes segments rejected
# every partition kept a halo, and the four own every segment once
check: [ "$(( $(q p_NE.gpkg 'select count(*) from segments') + $(q p_NW.gpkg 'select count(*) from segments') + $(q p_SE.gpkg 'select count(*) from segments') + $(q p_SW.gpkg 'select count(*) from segments') ))" = 30000 ]
check: python3 -c "import json, sys; sys.exit(not all(json.load(open('p_%s.summary.json' % r))['partition']['segments_halo'] > 0 for r in ('NE', 'NW', 'SE', 'SW')))"
# ranks over the whole network: 1 to 30000, each once, the order of the whole run's
check: [ "$(q merged.gpkg 'select count(distinct rank) = 30000 and min(rank) = 1 and max(rank) = 30000 from segments')" = 1 ]
check: [ "$(q merged.gpkg "select group_concat(segment_id, ',') from (select segment_id from segments order by rank limit 50)")" = "$(q whole.gpkg "select group_concat(segment_id, ',') from (select segment_id from segments order by rank limit 50)")" ]
# the merge in another order of the partitions is the same
check: "$RUMBLE" merge -q p_SW.gpkg p_SE.gpkg p_NW.gpkg p_NE.gpkg -o merged2.gpkg && bash $ROOT/tests/tools/same_layers.sh merged.gpkg merged2.gpkg crashes segments rejected

#> the halo: a road of another region 20 m away takes the crashes nearer to it, as in the whole run
# two parallel roads, a (y = 0) and b (y = 20), each its own region; by hand (tolerance 30, ambiguity margin 5):
# y = 5 and y = 9 are a's (b 15 and 11 away: 9 is ambiguous, b within 2 m more), y = 15 and 33 are b's
# (5 and 13 from it), y = 10.5 is b's (9.5 against 10.5: ambiguous with a), y = -32 is no road's (32 from a:
# nearest_m 32, within 30 + 5), y = 100 is no road's, with none within 35 m
run: printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32643"}},"features":[{"type":"Feature","properties":{"id":"a1","reg":"a"},"geometry":{"type":"LineString","coordinates":[[500000,4700000],[501000,4700000]]}},{"type":"Feature","properties":{"id":"b1","reg":"b"},"geometry":{"type":"LineString","coordinates":[[500000,4700020],[501000,4700020]]}}]}' > roads.geojson
run: printf 'id,x,y\nc1,500500,4700005\nc2,500500,4700009\nc3,500500,4700015\nc4,500500,4700033\nc5,500500,4700010.5\nc6,500500,4699968\nc7,500500,4700100\n' > crashes.csv
run: for r in a b; do "$RUMBLE" match -q --roads roads.geojson --crashes crashes.csv --x-field x --y-field y --crashes-crs EPSG:32643 --road-id id --id-field id --tolerance 30 --no-timings --partition reg=$r -o p_$r.gpkg || exit 1; done
$ merge p_b.gpkg p_a.gpkg -o merged.gpkg
out: merged 2 partitions: 7 crashes (5 matched; unmatched 1 near a road, 1 far from all), 2 segments
check: "$RUMBLE" match -q --roads roads.geojson --crashes crashes.csv --x-field x --y-field y --crashes-crs EPSG:32643 --road-id id --id-field id --tolerance 30 --no-timings -o whole.gpkg && bash $ROOT/tests/tools/same_layers.sh whole.gpkg merged.gpkg crashes segments
check: [ "$(q merged.gpkg "select group_concat(crash_id || ':' || coalesce(segment_id, '-') || ':' || coalesce(ambiguous, '-'), ' ') from crashes")" = "c1:a1:0 c2:a1:1 c3:b1:0 c4:b1:0 c5:b1:1 c6:-:- c7:-:-" ]
check: [ "$(q merged.gpkg "select nearest_m = 32 from crashes where crash_id = 'c6'")" = 1 ] && [ "$(q merged.gpkg "select nearest_m is null from crashes where crash_id = 'c7'")" = 1 ]
# each region kept the other's road as its halo, and owns its crashes only
check: [ "$(q p_a.gpkg "select group_concat(crash_id || ':' || partition, ' ') from crashes")" = "c1:own c2:own c6:in c7:out" ]

#> routes are kept whole: a region owns the routes whose first segment lies in it, so on the grid (every route starts at the south or west edge) the north-east owns none
run: mkdir -p g && "$GEN_GRID" g 2000 2000 > /dev/null
$ match --roads g/roads.gpkg --crashes g/crashes.gpkg --road-id seg_id --route-field route --id-field crash_id --tolerance 30 --partition region=NE -o ne.gpkg
? 1
err: no route belongs to region=NE (a route belongs to the value its first segment has; case counts): the 3 values that own routes are 'SW', 'NW', 'SE'
absent: ne.gpkg
check: "$RUMBLE" match -q --roads g/roads.gpkg --crashes g/crashes.gpkg --road-id seg_id --route-field route --id-field crash_id --tolerance 30 --partition region=SW -o sw.gpkg && [ "$(q sw.gpkg "select count(distinct route_id) from segments")" = "$(q g/roads.gpkg "select count(distinct route) from roads where route in (select route from roads where region = 'SW')")" ] && [ "$(q sw.gpkg "select count(*) from segments")" = "$(q g/roads.gpkg "select count(*) from roads where route in (select route from roads where region = 'SW')")" ]

#> a merge refuses partitions that leave a region out, repeat one, or are not partitions
run: mkdir -p d && "$GEN_DEMO" d && python3 -c "import json; d = json.load(open('$DATA/demo/project.json')); del d['crashes']['road']; json.dump(d, open('p.json', 'w'))"
run: for r in KAZ-R1 KAZ-R2; do "$RUMBLE" match -q --config p.json --roads d/roads.gpkg --crashes d/crashes.csv --partition road=$r -o $r.gpkg || exit 1; done
run: "$RUMBLE" match -q --config p.json --roads d/roads.gpkg --crashes d/crashes.csv -o whole.gpkg
$ merge KAZ-R1.gpkg -o m.gpkg
? 1
err: in no partition given
absent: m.gpkg
check: "$RUMBLE" merge KAZ-R1.gpkg KAZ-R1.gpkg -o m2.gpkg 2> e2.txt; [ $? = 1 ] && grep -q 'are both the partition road=KAZ-R1' e2.txt && [ ! -e m2.gpkg ]
check: "$RUMBLE" merge whole.gpkg KAZ-R2.gpkg -o m3.gpkg 2> e3.txt; [ $? = 1 ] && grep -q 'no partition in this summary' e3.txt && [ ! -e m3.gpkg ]
# never over an input
check: "$RUMBLE" merge KAZ-R1.gpkg KAZ-R2.gpkg -o KAZ-R1.gpkg 2> e4.txt; [ $? = 2 ] && [ "$(q KAZ-R1.gpkg "select count(*) from crashes where partition = 'own'")" -gt 0 ]

#> --partition is refused where a region's run could not be the whole run's
run: mkdir -p d && "$GEN_DEMO" d
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --partition road=KAZ-R1 -o p.gpkg
? 2
err: --partition does not work with the road a record names (crashes.road)
check: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --partition road=KAZ-R1 -o s.gpkg 2> e.txt; [ $? = 2 ] && grep -q "unknown option '--partition'" e.txt
check: "$RUMBLE" match --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --partition road -o p.gpkg 2> e.txt; [ $? = 2 ] && grep -q 'wants FIELD=VALUE' e.txt
check: "$RUMBLE" match --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --partition oblast=north -o p.gpkg 2> e.txt; [ $? = 2 ] && grep -q "no field 'oblast' to partition by" e.txt
check: "$RUMBLE" match --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --partition road=KAZ-R1 -o p.csv 2> e.txt; [ $? = 2 ] && grep -q 'name the output .gpkg' e.txt

#> a merge refuses partitions made with other options or in another CRS, and says when the merged result cannot be trusted
run: mkdir -p d && "$GEN_DEMO" d
run: for r in KAZ-R1 KAZ-R2; do "$RUMBLE" match -q --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --road-id seg_id --route-field road --partition road=$r -o $r.gpkg || exit 1; done
run: "$RUMBLE" match -q --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --road-id seg_id --route-field road --epdo-weights K=1,A=1,B=1,C=1,O=1 --partition road=KAZ-R2 -o w2.gpkg
run: "$RUMBLE" match -q --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --road-id seg_id --route-field road -t_srs EPSG:4326 --partition road=KAZ-R2 -o g2.gpkg
$ merge KAZ-R1.gpkg w2.gpkg -o m.gpkg
? 1
err: were not made from the same inputs with the same options
absent: m.gpkg
check: "$RUMBLE" merge KAZ-R1.gpkg g2.gpkg -o m2.gpkg 2> e.txt; [ $? = 1 ] && grep -q "layer 'crashes' is in EPSG:32643 and EPSG:4326" e.txt && [ ! -e m2.gpkg ]
# x and y exchanged: each region sees few crashes near its roads, the merge sees that almost none lie on a road (exit 5, written to be looked at)
check: for r in KAZ-R1 KAZ-R2; do "$RUMBLE" match -q --roads d/roads.gpkg --crashes d/crashes.csv --x-field lat --y-field lon --crashes-crs EPSG:4326 --road-id seg_id --route-field road --partition road=$r -o s_$r.gpkg; done; "$RUMBLE" merge s_KAZ-R1.gpkg s_KAZ-R2.gpkg -o sw.gpkg 2> e.txt > /dev/null; [ $? = 5 ] && grep -q 'untrusted: only [0-9]* of the 988 crashes ([0-9]*%) lie on a road: run rumble match without --partition' e.txt && [ -s sw.gpkg ] && python3 -c "import json, sys; sys.exit(json.load(open('sw.summary.json'))['trusted'] is not False)"
# --summary elsewhere is refused: the merge reads the summary beside the output
check: "$RUMBLE" match -q --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --road-id seg_id --partition road=KAZ-R1 --summary x.json -o x.gpkg 2> e.txt; [ $? = 2 ] && grep -q 'leave out --summary' e.txt
# a partition ranks its own segments only: 1 to its count, in the whole run's order
check: "$RUMBLE" match -q --roads d/roads.gpkg --crashes d/crashes.csv --x-field lon --y-field lat --crashes-crs EPSG:4326 --road-id seg_id --route-field road -o whole.gpkg && [ "$(q KAZ-R2.gpkg 'select count(distinct rank) = count(*) and min(rank) = 1 and max(rank) = count(*) from segments')" = 1 ] && [ "$(ogr2ogr -f CSV /vsistdout/ -sql 'select segment_id from segments order by rank' KAZ-R2.gpkg | tail -n +2 | paste -sd,)" = "$(ogr2ogr -f CSV /vsistdout/ -sql "select segment_id from segments where route_id = 'KAZ-R2' order by rank" whole.gpkg | tail -n +2 | paste -sd,)" ]

#> roads without a value of the key form the partition KEY= ; an input field named like a partition's own is kept as src_
run: printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32643"}},"features":[{"type":"Feature","properties":{"id":"a1","reg":"a"},"geometry":{"type":"LineString","coordinates":[[500000,4700000],[501000,4700000]]}},{"type":"Feature","properties":{"id":"b1","reg":null},"geometry":{"type":"LineString","coordinates":[[500000,4700020],[501000,4700020]]}}]}' > roads.geojson
run: printf 'id,x,y,partition\nc1,500500,4700005,north\nc2,500500,4700015,south\nc3,500500,4700100,east\n' > crashes.csv
run: for r in a ''; do "$RUMBLE" match -q --roads roads.geojson --crashes crashes.csv --x-field x --y-field y --crashes-crs EPSG:32643 --road-id id --id-field id --tolerance 30 --no-timings --partition "reg=$r" -o "p_$r.gpkg" || exit 1; done
$ merge p_a.gpkg p_.gpkg -o merged.gpkg
out: merged 2 partitions: 3 crashes (2 matched
check: "$RUMBLE" match -q --roads roads.geojson --crashes crashes.csv --x-field x --y-field y --crashes-crs EPSG:32643 --road-id id --id-field id --tolerance 30 --no-timings -o whole.gpkg && bash $ROOT/tests/tools/same_layers.sh whole.gpkg merged.gpkg crashes segments
check: [ "$(q merged.gpkg "select group_concat(crash_id || ':' || coalesce(segment_id, '-') || ':' || src_partition, ' ') from crashes")" = "c1:a1:north c2:b1:south c3:-:east" ]
check: [ "$(q p_.gpkg "select group_concat(segment_id) from segments")" = b1 ]
