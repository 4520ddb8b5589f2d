# Leeds (UK): 1,907 casualty rows of 2019 grouped into crashes, on the main-road
# network. Expected values come from GDAL's SQLite dialect and spatialite run on
# the source files and on our output, not from rumble.
# Leeds main roads are only motorways, A and primary roads: about half the
# crashes happened on minor roads and must be unmatched "beyond_tolerance".

#> every crash once, grouped from casualty rows, about half matched
$ match --config $ROOT/tests/cli/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o out.gpkg --csv
out: crashes: 1450 from 1907 records
# as many crashes as distinct references in the source (1,450), each once
check: [ "$(q out.gpkg 'select count(*) from crashes')" = "$(q $SHARED/leeds/casualties_2019.csv 'select count(distinct "Reference Number") from casualties_2019')" ]
check: [ "$(q out.gpkg 'select count(distinct crash_id) from crashes')" = 1450 ]
check: [ "$(q out.gpkg 'select sum(n_records) from crashes')" = 1907 ]
# matched + unmatched = all; every unmatched one has the reason
check: [ "$(q out.gpkg "select count(*) from crashes where match_status = 'matched' or (match_status = 'unmatched' and unmatched_reason = 'beyond_tolerance')")" = 1450 ]
check: m=$(q out.gpkg "select count(*) from crashes where match_status = 'matched'"); [ "$m" -ge 600 ] && [ "$m" -le 750 ]
# worst casualty severity: a crash is K when any casualty row says 1
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'K'")" = "$(q $SHARED/leeds/casualties_2019.csv "select count(distinct \"Reference Number\") from casualties_2019 where \"Casualty Severity\" = '1'")" ]
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'A'")" = "$(q $SHARED/leeds/casualties_2019.csv "select count(*) from (select min(\"Casualty Severity\") s from casualties_2019 group by \"Reference Number\") where s = '2'")" ]
# offsets agree with GEOS's distance to the chosen segment (to the millimetre)
check: [ "$(q out.gpkg "select count(*) from crashes c join segments s on s.segment_id = c.segment_id where abs(c.offset_m - ST_Distance(c.geom, s.geom)) > 0.0011")" = 0 ]
# measures agree with GEOS's linear referencing along the chosen segment
check: [ "$(q out.gpkg "select count(*) from crashes c join segments s on s.segment_id = c.segment_id where c.ambiguous = 0 and abs(c.measure_m - ST_Line_Locate_Point(s.geom, c.geom) * ST_Length(s.geom)) > 0.01")" = 0 ]
# nothing unmatched has a road within 30 m (brute force over all segments)
check: [ "$(q out.gpkg "select count(*) from crashes c, segments s where c.match_status = 'unmatched' and ST_Distance(c.geom, s.geom) <= 30")" = 0 ]
# the statistics add up: crashes on segments = matched crashes; EPDO weights from the HSM costs
check: [ "$(q out.gpkg 'select sum(n_obs) from segments')" = "$(q out.gpkg "select count(*) from crashes where match_status = 'matched'")" ]
check: [ "$(q out.gpkg 'select count(*) from segments where n_2019 != n_obs or n_years != 1')" = 0 ]
check: [ "$(q out.gpkg 'select count(*) from segments where abs(epdo - (n_k * 4008900.0 + n_a * 216600.0 + n_b * 79000.0 + n_c * 44900.0 + n_o * 7400.0) / 7400.0) > 1e-6')" = 0 ]
check: [ "$(q out.gpkg 'select count(*) from segments where n_obs > 0 and abs(rate_per_mvkm - n_obs / (total_traffic * 365.0 * ST_Length(geom) / 1000.0 / 1e6)) > 1e-9 * rate_per_mvkm')" = 0 ]
# ranks are a permutation
check: [ "$(q out.gpkg 'select count(distinct rank) || ":" || min(rank) || ":" || max(rank) from segments')" = "3661:1:3661" ]
check: [ "$(wc -l < out_crashes.csv)" -eq 1451 ]

#> screen.target_type motorcycle: the crashes whose casualty rows name a motorcycle (crashes.vehicle, STATS19's vehicle codes mapped)
run: printf '%s' '{ "crashes": { "vehicle": { "field": "Type of Vehicle", "map": { "1": "bicycle", "2": "moped", "3": "motorcycle", "4": "motorcycle", "5": "motorcycle", "23": "motorcycle", "97": "motorcycle", "8": "car", "9": "car", "19": "car", "10": "bus", "11": "bus", "20": "truck", "21": "truck", "98": "truck", "16": "other", "17": "other", "22": "other", "90": "other" } } }, "screen": { "target_type": "motorcycle" } }' > v.json
$ screen --config $ROOT/tests/cli/leeds.json --config v.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o v.gpkg -q
# Python over the CSV: each crash's vehicles, the union of its casualty rows' (in the enum's order), as the crashes layer
# has them; and on each segment the in-study crashes involving a motorcycle, as p_target x n_obs
check: python3 -c "import csv, sqlite3, sys, collections; m = {'1': 'bicycle', '2': 'moped', '3': 'motorcycle', '4': 'motorcycle', '5': 'motorcycle', '23': 'motorcycle', '97': 'motorcycle', '8': 'car', '9': 'car', '19': 'car', '10': 'bus', '11': 'bus', '20': 'truck', '21': 'truck', '98': 'truck', '16': 'other', '17': 'other', '22': 'other', '90': 'other'}; order = ['car', 'motorcycle', 'moped', 'e_scooter', 'bicycle', 'truck', 'bus', 'other', 'unknown']; v = collections.defaultdict(set); [v[r['Reference Number']].add(m.get(r['Type of Vehicle'], 'unknown')) for r in csv.DictReader(open('$SHARED/leeds/casualties_2019.csv', encoding='utf-8-sig')) if r['Type of Vehicle']]; db = sqlite3.connect('v.gpkg'); rows = db.execute('select crash_id, vehicles, segment_id, in_study from crashes').fetchall(); ok = all((x or '') == ';'.join(k for k in order if k in v.get(c, ())) for c, x, s, i in rows); want = collections.Counter(s for c, x, s, i in rows if i and s and 'motorcycle' in v.get(c, ())); got = dict((s, round(p * n)) for s, p, n in db.execute('select segment_id, p_target, n_obs from segments where n_obs > 0')); sys.exit(not (ok and len(rows) > 1000 and sum(want.values()) > 20 and all(got.get(s, 0) == n for s, n in want.items()) and sum(got.values()) == sum(want.values())))"
# a vehicle focus group without the vehicle column is refused, saying which to name
check: printf '{ "screen": { "target_type": "moped" } }' > t.json && "$RUMBLE" screen --config $ROOT/tests/cli/leeds.json --config t.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o w.gpkg -q 2> e; [ $? = 2 ] && grep -q 'crashes.vehicle, --vehicle-field' e && [ ! -e w.gpkg ]

#> coverage: lit road by the police records of street lighting (STATS19 light codes 4 lit, 5 and 6 not), in summary and report
# The Leeds roads carry no lighting flag; the stats19 preset maps the light field's codes to street lighting too.
# Recounted from the run's own crashes and segments layers (tests/tools/police_lighting.py).
$ run -c $ROOT/examples/leeds/project.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o l.gpkg --no-timings
out: coverage: lit road (by the police records of night crashes)
check: python3 $ROOT/tests/tools/police_lighting.py l.gpkg l.summary.json "Lighting Conditions"
check: python3 -c "import json, sys; k = json.load(open('l.summary.json'))['coverage']['kinds'][0]; sys.exit(not (k['kind'] == 'lighting' and k['source'].startswith('the police records') and 0 < k['km_covered'] <= k['km_known'] < k['km']))"
check: "$RUMBLE" report -q l.gpkg -o l.html && grep -q 'id="coverage-table"' l.html
