# rumble systemic: a systemic programme (plan.systemic) on the demo's region:
# KAZ-R1 and KAZ-R2 with their crashes and planted hazards, and KAZ-R3, a
# mountain road with ten sharp bends (radius 160-280 m) and only background
# crashes (gen_demo). The risk the planted curve on KAZ-R1 (km 46.6, R 220,
# 24 run-off-road crashes) shows is to find KAZ-R3's bends, most of which
# have no crash on record.

#> the demo's region: the sharp bends of KAZ-R3, without crash history, come first after the planted curve
run: mkdir -p d && "$GEN_DEMO" d > /dev/null
$ systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --systemic shoulder_rumble_strips --systemic-budget 300000 -o s.gpkg --no-timings
out: systemic: shoulder_rumble_strips on
out: (layer systemic)
# the planted curve ranks first and is not paid for twice: the plan treats it with the strips already
check: [ "$(q s.gpkg "select segment_id || ' ' || curve || ' ' || status from systemic where rank = 1")" = "R1-015 under 300 m in the plan" ]
# every one of KAZ-R3's ten bends is chosen, next in rank, each under 300 m of radius; eight or more have no focus crash
check: [ "$(q s.gpkg "select count(*) from systemic where segment_id like 'R3-%' and curve = 'under 300 m' and status = 'chosen' and rank between 2 and 11")" = 10 ]
check: [ "$(q s.gpkg "select count(*) >= 8 from systemic where segment_id like 'R3-%' and curve = 'under 300 m' and focus_crashes = 0")" = 1 ]
check: [ "$(q s.gpkg "select min(min_radius_m) >= 140 and max(min_radius_m) < 300 from systemic where segment_id like 'R3-%' and curve = 'under 300 m'")" = 1 ]
# the budget holds; the summary's km and cost are the layer's sums (a stretch of neighbours laid as one site, its
# cost shared by length); chosen rows carry a work-order site
check: python3 -c "import json, sqlite3, sys; s = json.load(open('s.summary.json'))['plan']['systemic']; db = sqlite3.connect('s.gpkg'); km, cost, n = db.execute(\"select sum(length_m) / 1000, sum(cost), count(*) from systemic where status = 'chosen'\").fetchone(); sys.exit(not (abs(s['km'] - km) < 1e-3 and abs(s['cost'] - cost) < 0.5 and s['chosen'] == n and cost <= 300000 and s['budget'] == 300000))"
check: [ "$(q s.gpkg "select count(*) from systemic where status = 'chosen' and site is null")" = 0 ]
# the work orders carry the programme's strips, at the sites the layer names
check: [ "$(q s.gpkg "select count(*) from work_lines w join systemic y on w.site = y.site where y.status = 'chosen' and w.countermeasure = 'shoulder_rumble_strips'")" -ge 10 ]
# each level's ratio is its crash share (add-one) over its length share, recomputed from the layer's own rows;
# a segment's score is the product of its levels' ratios
check: python3 $ROOT/tests/tools/systemic_weights.py s.gpkg s.summary.json
# the report tells the programme: its km and cost, and the factors' weights
check: "$RUMBLE" report -q s.gpkg -o r.html && grep -q 'id="systemic"' r.html && python3 -c "import json, re, sys; s = json.load(open('s.summary.json'))['plan']['systemic']; h = open('r.html').read(); km = re.search(r'id=\"sys-km\" data-v=\"([0-9.]+)\"', h).group(1); cost = re.search(r'id=\"sys-cost\" data-v=\"([0-9.]+)\"', h).group(1); sys.exit(not (abs(float(km) - s['km']) < 0.06 and float(cost) == s['cost'] and 'systemic-factors' in h))"

# in Russian the factors' levels are the locale's
check: "$RUMBLE" report -q s.gpkg -o ru.html --lang ru && grep -q 'менее 300 м' ru.html && grep -q 'Системная программа' ru.html

#> without a budget every segment of above-average risk is chosen; the choice is the same again
run: mkdir -p d && "$GEN_DEMO" d > /dev/null
$ systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --systemic shoulder_rumble_strips -o s.gpkg --no-timings -q
check: [ "$(q s.gpkg "select count(*) from systemic where score > 1 and status not in ('chosen', 'in the plan')")" = 0 ] && [ "$(q s.gpkg "select count(*) from systemic where score <= 1 and status not in ('below average risk', 'in the plan')")" = 0 ]
check: "$RUMBLE" systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --systemic shoulder_rumble_strips -o s2.gpkg --no-timings -q && [ "$(q s.gpkg "select group_concat(segment_id || status, ',') from systemic")" = "$(q s2.gpkg "select group_concat(segment_id || status, ',') from systemic")" ]
# rumble run takes the same options; without them no systemic layer
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o r.gpkg --no-timings -q && [ "$(q r.gpkg "select count(*) from gpkg_contents where table_name = 'systemic'")" = 0 ]

#> road lighting (laid along the road and at junctions) is a systemic programme too; --systemic none turns one off
run: mkdir -p d && "$GEN_DEMO" d > /dev/null
$ systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --systemic road_lighting --systemic-budget 500000 -o s.gpkg --no-timings -q
check: [ "$(q s.gpkg "select count(*) > 0 from systemic where status = 'chosen'")" = 1 ] && python3 $ROOT/tests/tools/systemic_weights.py s.gpkg s.summary.json
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --spf hsm_rural_2lane --budget 2000000 --systemic none -o n.gpkg --no-timings -q && [ "$(q n.gpkg "select count(*) from gpkg_contents where table_name = 'systemic'")" = 0 ]

#> refusals: no countermeasure named, one the catalogue lacks, an intersection countermeasure
$ systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv -o s.gpkg
? 2
err: systemic: name the countermeasure to roll out with --systemic ID
absent: s.gpkg
check: mkdir -p d && "$GEN_DEMO" d > /dev/null && "$RUMBLE" systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --systemic no_such_thing -o s.gpkg 2> e.txt; [ $? = 2 ] && grep -q "plan.systemic: 'no_such_thing' is not in the catalogue" e.txt && [ ! -e s.gpkg ]
check: "$RUMBLE" systemic --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --systemic transverse_rumble_strips -o s.gpkg 2> e.txt; [ $? = 2 ] && grep -q 'is an intersection countermeasure' e.txt && [ ! -e s.gpkg ]
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/region.gpkg --crashes d/region_crashes.csv --systemic-budget 1000 -o s.gpkg 2> e.txt; [ $? = 2 ] && grep -q 'without plan.systemic' e.txt && [ ! -e s.gpkg ]
