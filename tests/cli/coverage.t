# Coverage of what the network already has: lit road (roads.lit) and existing
# assets (assets.path) on the demo's region (gen_demo: villages lit; a speed
# camera facing the traffic along KAZ-R1 at km 191.4, flashing beacons at the
# junction with KAZ-R2 at km 75, shoulder rumble strips along KAZ-R1 from km
# 100 to 110). Every figure is recounted here from the output's own layers
# with SQL, or worked by hand; the plan does not propose again what is there.

#> the region's coverage: lit road, a camera's zone for the traffic it faces, beacons, a stretch of strips
run: mkdir -p d && "$GEN_DEMO" d > /dev/null
$ run --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --assets d/assets.geojson --lit-field lit -o c.gpkg --no-timings
# by hand from gen_demo's design: the network is KAZ-R1 240.0 + KAZ-R2 35.6 + KAZ-R3 34.6 = 310.2 km; the lit
# village streets 3.0 + 2.5 + 3.0 + 2.0 + 2.0 + 3.0 + 4.0 = 19.5 km, 19.5 / 310.2 = 6.3 %; the camera's zone
# 0.1 + 1.0 = 1.1 km, 1.1 / 310.2 = 0.35 %; the beacons stand at the planted junction hazard, whose plan site
# (km 74+700 to 75+300) the run without assets below proposes beacons at
out: coverage: lit road 19.5 of the 310.2 km whose lighting is known (6.3 %; the network 310.2 km)
out: coverage: fixed_speed_cameras: assets 1 (off the roads 0), 1.1 km (0.35 %) covered
out: coverage: not proposed, already there or not combinable with what is: KAZ-R1 km 74+700 - km 75+300 intersection_flashing_beacons
# lit road: the segments' own lengths where lit = yes; night crashes on the unlit ones, counted with SQL
check: python3 -c "import json, sqlite3, sys; k = {x['kind']: x for x in json.load(open('c.summary.json'))['coverage']['kinds']}; db = sqlite3.connect('c.gpkg'); lit = db.execute(\"select sum(length_m) / 1000 from segments where lit = 'yes'\").fetchone()[0]; night, out = db.execute(\"select count(*), sum(s.lit = 'no') from crashes c join segments s on c.segment_id = s.segment_id where c.light = 'dark' and c.in_study = 1\").fetchone(); L = k['lighting']; sys.exit(not (abs(L['km_covered'] - lit) < 1e-3 and L['night'] == night and L['night_out'] == out and abs(L['night_out_share'] - round(out / night, 4)) < 1e-9))"
# the camera faces the traffic along the chainage: 100 m before it, 1 km past it (Hoye 2015, the catalogue's zone)
check: python3 -c "import json, sqlite3, sys; k = {x['kind']: x for x in json.load(open('c.summary.json'))['coverage']['kinds']}; db = sqlite3.connect('c.gpkg'); n = db.execute(\"select count(*) from crashes where route_id = 'KAZ-R1' and in_study = 1 and chainage_m between 191300 and 192400\").fetchone()[0]; C = k['fixed_speed_cameras']; sys.exit(not (abs(C['km_covered'] - 1.1) < 0.002 and C['crashes_in'] == n))"
# the beacons: the catalogue's radius (76.2 m) either side; the strips: km 100 to 110
check: python3 -c "import json, sys; k = {x['kind']: x for x in json.load(open('c.summary.json'))['coverage']['kinds']}; sys.exit(not (abs(k['intersection_flashing_beacons']['km_covered'] - 0.1524) < 0.002 and abs(k['shoulder_rumble_strips']['km_covered'] - 10) < 0.01))"
check: python3 -c "import json, sqlite3, sys; k = {x['kind']: x for x in json.load(open('c.summary.json'))['coverage']['kinds']}; n = sqlite3.connect('c.gpkg').execute(\"select count(*) from crashes where route_id = 'KAZ-R1' and in_study = 1 and chainage_m between 100000 and 110000\").fetchone()[0]; sys.exit(not abs(k['shoulder_rumble_strips']['crashes_in'] - n) <= 1)"
# the layers: each kind's stretches sum to its km; the routes' figures to the network's
check: python3 -c "import json, sqlite3, sys; k = {x['kind']: x for x in json.load(open('c.summary.json'))['coverage']['kinds']}; db = sqlite3.connect('c.gpkg'); a = dict(db.execute('select kind, sum(length_m) / 1000 from coverage group by kind')); b = {r[0]: r[1:] for r in db.execute('select kind, sum(km_covered), sum(crashes_in), sum(night_out) from coverage_routes group by kind')}; sys.exit(not all(abs(a[x] - k[x]['km_covered']) < 1e-3 and abs(b[x][0] - k[x]['km_covered']) < 1e-3 and b[x][1] == k[x]['crashes_in'] and b[x][2] == k[x]['night_out'] for x in k))"
# what is there is not proposed again: the same run without the assets puts a speed camera at km 191 and beacons
# at the junction; with them, neither (nor the section cameras the catalogue will not combine with fixed ones)
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 -o w.gpkg --no-timings -q && [ "$(q w.gpkg "select count(*) from plan where selected = 1 and route_id = 'KAZ-R1' and ((from_m < 191500 and to_m > 191300 and countermeasure like '%speed_cameras%') or (from_m < 75100 and to_m > 74900 and countermeasure like '%beacons%'))")" = 2 ]
check: [ "$(q c.gpkg "select count(*) from plan where route_id = 'KAZ-R1' and ((from_m < 191500 and to_m > 191300 and countermeasure like '%speed_cameras%') or (from_m < 75100 and to_m > 74900 and countermeasure like '%beacons%'))")" = 0 ]
check: python3 -c "import json, sys; p = json.load(open('c.summary.json'))['plan']; a = {(x['route_id'], x['countermeasure']) for x in p['already_there']}; sys.exit(not (p['present_left_out'] == len(p['already_there']) >= 3 and ('KAZ-R1', 'fixed_speed_cameras') in a and ('KAZ-R1', 'intersection_flashing_beacons') in a and ('KAZ-R1', 'section_speed_cameras') in a))"
check: "$RUMBLE" report -q c.gpkg -o rc.html && grep -q 'class="present">Already there:' rc.html
# no lighting proposed on lit road
check: [ "$(q c.gpkg "select count(*) from plan p join segments s on p.route_id = s.route_id and p.from_m >= s.from_m and p.to_m <= s.to_m where s.lit = 'yes' and p.countermeasure like '%road_lighting%'")" = 0 ]
# the report tells it
check: "$RUMBLE" report -q c.gpkg -o r.html && grep -q 'id="coverage-table"' r.html && grep -q 'What the network already has' r.html

#> a camera facing the other way covers 1 km before its place and 100 m past it
run: mkdir -p d && "$GEN_DEMO" d > /dev/null && python3 -c "import json; a = json.load(open('d/assets.geojson')); f = a['features'][0]; f['properties']['bearing'] = (f['properties']['bearing'] + 180) % 360; a['features'] = [f]; json.dump(a, open('back.geojson', 'w'))"
$ run --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --assets back.geojson -o c.gpkg --no-timings -q
check: python3 -c "import json, sqlite3, sys; C = json.load(open('c.summary.json'))['coverage']['kinds'][0]; n = sqlite3.connect('c.gpkg').execute(\"select count(*) from crashes where route_id = 'KAZ-R1' and in_study = 1 and chainage_m between 190400 and 191500\").fetchone()[0]; sys.exit(not (C['kind'] == 'fixed_speed_cameras' and abs(C['km_covered'] - 1.1) < 0.002 and C['crashes_in'] == n))"

#> a systemic programme does not lay strips where they are
run: mkdir -p d && "$GEN_DEMO" d > /dev/null
$ systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --systemic shoulder_rumble_strips --assets d/assets.geojson -o s.gpkg --no-timings -q
check: [ "$(q s.gpkg "select count(*) >= 2 from systemic where status = 'already there' and route_id = 'KAZ-R1' and from_m < 110000 and to_m > 100000")" = 1 ] && [ "$(q s.gpkg "select count(*) from systemic where status = 'chosen' and route_id = 'KAZ-R1' and from_m >= 100000 and to_m <= 110000")" = 0 ]

#> assets: one naming a countermeasure the catalogue lacks, one off the roads: said, left out
run: mkdir -p d && "$GEN_DEMO" d > /dev/null && printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32643"}},"features":[{"type":"Feature","properties":{"id":"X-1","countermeasure":"teleporter"},"geometry":{"type":"Point","coordinates":[500000,4800000]}},{"type":"Feature","properties":{"id":"X-2","countermeasure":"fixed_speed_cameras"},"geometry":{"type":"Point","coordinates":[100000,100000]}}]}' > odd.geojson
$ run --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --budget 2000000 --assets odd.geojson -o c.gpkg --no-timings
err: odd.geojson: asset X-1: countermeasure 'teleporter' is not in the catalogue; left out
err: odd.geojson: asset X-2 (fixed_speed_cameras) lies on no road within 30 m; left out
check: python3 -c "import json, sys; C = json.load(open('c.summary.json'))['coverage']['kinds']; sys.exit(not (len(C) == 1 and C[0]['assets'] == 1 and C[0]['assets_off_road'] == 1 and C[0]['km_covered'] == 0))"
