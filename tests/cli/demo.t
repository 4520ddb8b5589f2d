# The demo: gen_demo is deterministic for a seed, and the planted hazards
# (hazards.csv) stand out at the top of the ranking by crash rate.

#> the generator is deterministic
run: mkdir -p a b && "$GEN_DEMO" a 7 && "$GEN_DEMO" b 7
$ --version
check: cmp -s a/crashes.csv b/crashes.csv && cmp -s a/roads.gpkg b/roads.gpkg

#> every planted hazard lies on a segment in the top eight by crash rate
run: mkdir -p d && "$GEN_DEMO" d
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --rank-by rate_per_mvkm -o out.gpkg
out: top 5 segments by rate_per_mvkm
check: [ "$(q out.gpkg 'select count(*) from crashes')" = "$(q d/crashes.csv 'select count(distinct crash_id) from crashes')" ]
check: [ "$(q out.gpkg "select count(*) from crashes where unmatched_reason = 'swapped_coordinates'")" -ge 1 ]
check: n=0; while IFS=, read -r road from to rest; do [ "$road" = road ] && continue; r=$(q out.gpkg "select min(rank) from segments where route_id = '$road' and from_km < $to and from_km + length_m / 1000.0 > $from"); [ -n "$r" ] && [ "$r" -le 8 ] || { echo "hazard $from-$to ranks $r" >&2; exit 1; }; n=$((n + 1)); done < d/hazards.csv; [ "$n" = 5 ]
# Russian words of the export map onto the vocabulary: no unknown severities or types
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'U' or crash_type in ('unknown', 'other') or light = 'unknown'")" -lt 40 ]
check: [ "$(q out.gpkg "select count(*) from crashes where crash_type = 'animal' and light = 'dark'")" -ge 15 ]
# surface words map onto dry / wet / snow_ice: each crash's code agrees with its own record's word
check: [ "$(q out.gpkg "select count(*) from crashes where surface = 'unknown'")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from crashes where not ((src_surface = 'сухое' and surface = 'dry') or (src_surface = 'мокрое' and surface = 'wet') or (src_surface = 'снег' and surface = 'snow_ice'))")" = 0 ]

#> rumble run: the planted hazards' patterns call for their planted treatments, and each gets one
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg
out: plan: 
# every planted treatment is among the alternatives diagnosis found at a site over the hazard
check: n=0; while IFS=, read -r road from to pattern treat; do [ "$road" = road ] && continue; for t in $(echo "$treat" | tr ';' ' '); do c=$(q run.gpkg "select count(*) from plan where route_id = '$road' and from_m < $to * 1000 and to_m > $from * 1000 and (countermeasure = '$t' or countermeasure like '$t+%' or countermeasure like '%+$t' or countermeasure like '%+$t+%')"); [ "$c" -ge 1 ] || { echo "hazard $from-$to: $t not considered" >&2; exit 1; }; n=$((n + 1)); done; done < d/hazards.csv; [ "$n" = 7 ]
# and every hazard's site has a selected alternative
check: while IFS=, read -r road from to rest; do [ "$road" = road ] && continue; c=$(q run.gpkg "select count(*) from plan where selected and route_id = '$road' and from_m < $to * 1000 and to_m > $from * 1000"); [ "$c" -ge 1 ] || { echo "hazard $from-$to: nothing selected" >&2; exit 1; }; done < d/hazards.csv
# the appraisal's own arithmetic holds on every row, and the choice fits the budget
check: [ "$(q run.gpkg "select count(*) from plan where abs(npv - (pv_benefit - pv_cost)) > 1.01 or abs(bcr - pv_benefit / pv_cost) > 1e-3 * bcr")" = 0 ]
check: [ "$(q run.gpkg "select sum(install_cost) <= 2000000 from plan where selected")" = 1 ]
check: [ "$(q run.gpkg "select count(*) from (select site, sum(selected) s from plan group by site) where s > 1")" = 0 ]
# km posts as crews write them
check: [ "$(q run.gpkg "select count(*) from plan where from_km <> printf('km %d+%03d', cast(round(from_m) as integer) / 1000, cast(round(from_m) as integer) % 1000)")" = 0 ]
# the summary gives the plan's totals, equal to the selected rows'
check: [ "$(q run.gpkg "select sum(selected) from plan")" = "$(sed -n 's/.*"selected":[[:space:]]*\([0-9]*\).*/\1/p' run.summary.json | head -1)" ]

# rank: every alternative once, by NPV; incremental B/C prefers one alternative a site (when one has BCR > 1)
check: [ "$(q run.gpkg "select count(distinct rank) = count(*) and min(rank) = 1 and max(rank) = count(*) from plan")" = 1 ]
check: [ "$(q run.gpkg "select count(*) from plan a join plan b on a.rank < b.rank where a.npv < b.npv")" = 0 ]
check: [ "$(q run.gpkg "select count(*) from (select site, sum(ibc_site_rank = 1) n, max(bcr) m from plan group by site) where n != (m > 1)")" = 0 ]
check: [ "$(q run.gpkg "select count(*) from plan where ibc_rank > 0 and ibc_site_rank != 1")" = 0 ]

#> rumble run by default: no countermeasure whose CMF is not checked against its source is planned; the summary counts those left out
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
# the ids whose status is not "checked", read from the catalogue itself; none in any alternative but as a member of a checked package (its own CMF), whose members the catalogue lists
check: ids=$(python3 -c "import json; print(' '.join(c['id'] for c in json.load(open('$DATA/countermeasures.json'))['countermeasures'] if c['status'] != 'checked'))") && [ -n "$ids" ] && for i in $ids; do [ "$(q run.gpkg "select count(*) from plan where '+' || countermeasure || '+' like '%+$i+%' and package is null")" = 0 ] || exit 1; done
check: python3 -c "import json, sqlite3, sys; pk = {p['id']: (p['status'], set(p['of'])) for p in json.load(open('$DATA/countermeasures.json'))['packages']}; rows = sqlite3.connect('run.gpkg').execute('select package, countermeasure from plan where package is not null').fetchall(); sys.exit(not rows or not all(pk[p][0] == 'checked' and set(c.split('+')) == pk[p][1] for p, c in rows))"
check: [ "$(q run.gpkg "select count(*) from plan where cmf_status != 'checked'")" = 0 ]
# point devices (crossings, beacons, a camera; alone and with lighting) are credited only with the target crashes inside their zones: recomputed from the crashes and work_points layers (tests/tools/zones.py)
check: python3 $ROOT/tests/tools/zones.py run.gpkg $DATA/countermeasures.json > zones.txt && grep -q '^[5-9] checked, 0 differ' zones.txt && grep -q 'fixed_speed_cameras' zones.txt && grep -q 'intersection_flashing_beacons' zones.txt && grep -q '+pedestrian_crossing_upgrade' zones.txt
check: python3 -c "import json, sys; sys.exit(not json.load(open('run.summary.json'))['plan']['unrated_left_out'] > 0)"
# allowed, the same run plans some of them, flagged
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --allow-unrated yes -o all.gpkg -q && [ "$(q all.gpkg "select count(*) from plan where cmf_status in ('to_verify', 'unrated')")" -ge 1 ] && python3 -c "import json, sys; sys.exit(json.load(open('all.summary.json'))['plan']['unrated_left_out'] != 0)"

#> rumble run: work orders for the chosen treatments, in whole units, clear of bridges and settlements (every entry allowed, the layouts of surfacing and advance signs too)
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --allow-unrated yes -o run.gpkg
out: plan: 
# every work item belongs to a selected alternative at its site, and every selected countermeasure has work
check: [ "$(q run.gpkg "select count(*) from (select site, countermeasure from work_lines union all select site, countermeasure from work_points) w where not exists (select 1 from plan p where p.selected and p.site = w.site and '+' || p.countermeasure || '+' like '%+' || w.countermeasure || '+%')")" = 0 ]
check: q run.gpkg "select group_concat(site || ':' || countermeasure, ' ') from plan where selected" | tr ' ' '\n' | while IFS=: read -r site cms; do for c in $(echo "$cms" | tr '+' ' '); do n=$(q run.gpkg "select (select count(*) from work_lines where site = $site and countermeasure = '$c') + (select count(*) from work_points where site = $site and countermeasure = '$c')"); [ "$n" -ge 1 ] || { echo "site $site: $c has no work" >&2; exit 1; }; done; done
# strips come in whole 300 m units (rumble strips, wide centreline) and 100 m (fencing)
check: [ "$(q run.gpkg "select count(*) from work_lines where countermeasure in ('shoulder_rumble_strips', 'centreline_rumble_strips', 'wide_centreline') and abs(length_m - 300 * units) > 0.01")" = 0 ]
check: [ "$(q run.gpkg "select count(*) from work_lines where countermeasure = 'livestock_fencing' and abs(length_m - 100 * units) > 0.01")" = 0 ]
# the head-on straight's strip stops 15 m short of the bridge at km 122.40-122.46, on both sides
check: [ "$(q run.gpkg "select count(*) from work_lines where route_id = 'KAZ-R1' and from_m < 122475 and to_m > 122385")" = 0 ]
check: [ "$(q run.gpkg "select count(*) from work_lines where route_id = 'KAZ-R1' and (abs(to_m - 122385) < 0.01 or abs(from_m - 122475) < 0.01)")" = 2 ]
# no strip within 200 m of a settlement (the urban segments); surfacing, which goes through them, in the next test
check: [ "$(q run.gpkg "select count(*) from work_lines w join segments s on s.route_id = w.route_id and s.area = 'urban' where w.countermeasure != 'high_friction_surfacing' and w.from_m < s.to_m + 200 and w.to_m > s.from_m - 200")" = 0 ]
# advance signs 335 m ahead at 90 km/h, 366 m at 100 km/h (MUTCD Table 2C-4, 60 and 65 mph rows), each way
check: [ "$(q run.gpkg "select count(*) from work_points w join plan p on p.site = w.site and p.selected where w.countermeasure = 'advance_warning_signs' and not ((w.direction = 'increasing' and abs(w.from_m - max(0, p.from_m - (case when w.speed_kmh = 100 then 366 when w.speed_kmh = 90 then 335 end))) < 0.01) or (w.direction = 'decreasing' and abs(w.from_m - (p.to_m + (case when w.speed_kmh = 100 then 366 when w.speed_kmh = 90 then 335 end))) < 0.01))")" = 0 ]
# the crews' list holds every line and point once, sorted by route and chainage
check: [ "$(($(wc -l < run_work.csv) - 1))" = "$(q run.gpkg "select (select count(*) from work_lines) + (select count(*) from work_points)")" ]
check: tail -n +2 run_work.csv | awk -F, '{ if ($4 < r || ($4 == r && $7 + 0 < m)) { print "out of order at " NR > "/dev/stderr"; exit 1 } r = $4; m = $7 + 0 }'


#> rumble run: surfacing goes through a settlement where strips stop short of it (layout.gaps false), on a plan ranked by EPDO that surfaces a stretch through a village
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --rank-by epdo_per_yr --budget 2000000 --allow-unrated yes -o run.gpkg -q
check: [ "$(q run.gpkg "select count(*) from work_lines w join segments s on s.route_id = w.route_id and s.area = 'urban' where w.countermeasure != 'high_friction_surfacing' and w.from_m < s.to_m + 200 and w.to_m > s.from_m - 200")" = 0 ]
check: [ "$(q run.gpkg "select count(*) from work_lines w join segments s on s.route_id = w.route_id and s.area = 'urban' where w.countermeasure = 'high_friction_surfacing' and w.from_m < s.to_m and w.to_m > s.from_m")" -ge 1 ]

#> rumble run on a tight budget: the curve gets chevrons (a barrier no longer fits), laid by its radius
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 90000 -o run.gpkg
out: plan: 
check: [ "$(q run.gpkg "select count(*) from work_points where item = 'chevron' and route_id = 'KAZ-R1' and from_m between 46000 and 47500 and radius_m > 122 and radius_m <= 213")" -ge 6 ]
# 37 m apart on a bend of radius 122-213 m (MUTCD Table 2C-5: 120 ft), at least 3 each way
check: [ "$(q run.gpkg "select count(*) from work_points a join work_points b on a.site = b.site and a.direction = b.direction and b.work_id = (select min(work_id) from work_points c where c.site = a.site and c.item = 'chevron' and c.direction = a.direction and c.from_m > a.from_m) where a.item = 'chevron' and a.radius_m > 122 and a.radius_m <= 213 and abs(b.from_m - a.from_m - 37) > 0.01")" = 0 ]
check: [ "$(q run.gpkg "select min(n) >= 3 from (select count(*) n from work_points where item = 'chevron' group by site, direction)")" = 1 ]

#> rumble run prices fatal and serious crashes at one cost by default (plan.severity_costs ka), their mix on the network; each alternative's NPV with each severity at its own cost is beside it
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --severity-costs kabco -o kabco.gpkg -q
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
# the combined cost: the shipped K and A costs weighted by the counted crashes on the network (SQL over the crashes layer)
check: python3 -c "import json, sqlite3, sys; c = json.load(open('$DATA/crash_costs.json'))['cost_per_crash']; k, a = sqlite3.connect('run.gpkg').execute(\"select sum(severity = 'K'), sum(severity = 'A') from crashes where in_study = 1 and segment_id is not null and chainage_m is not null\").fetchone(); p = json.load(open('run.summary.json'))['plan']; sys.exit(not (k > 0 and a > 0 and p['severity_costs'] == 'ka' and abs(p['cost_combined'] - (k * c['K'] + a * c['A']) / (k + a)) <= 0.5))"
# each severity its own cost: on the demo the same alternatives (bundles are formed by single BCRs, which could differ), whose NPV and rank are the default run's npv_kabco and rank_kabco (to the unit)
check: python3 -c "import sqlite3, sys; q = 'select site, countermeasure, npv, rank, npv_kabco, rank_kabco from plan'; k = {(r[0], r[1]): r[2:] for r in sqlite3.connect('kabco.gpkg').execute(q)}; r = {(x[0], x[1]): x[2:] for x in sqlite3.connect('run.gpkg').execute(q)}; sys.exit(not (k and k.keys() == r.keys() and all(abs(k[x][0] - r[x][2]) <= 1 and k[x][1] == r[x][3] and k[x][0] == k[x][2] for x in k)))"
# the summary says how the ten best change between the two
check: python3 -c "import json, sqlite3, sys; p = json.load(open('run.summary.json'))['plan']; n = sqlite3.connect('run.gpkg').execute('select count(*) from plan where rank <= 10 and rank_kabco <= 10').fetchone()[0]; sys.exit(not (p['top10'] == 10 and p['top10_also_by_kabco'] == n and n < 10))"

#> rumble plan --screen: the same plan from a saved screening as rumble run makes in one go
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o screen.gpkg -q
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ plan --config $DATA/demo/project.json --screen screen.gpkg --budget 2000000 -o plan.gpkg
out: wrote plan.gpkg (layers plan, work_lines, work_points), plan_work.csv, plan.summary.json
# the same alternatives and choice; money equal to the unit (the saved EB estimates are rounded)
check: [ "$(q plan.gpkg "select count(*) || ':' || sum(selected) || ':' || group_concat(site || countermeasure, ',') from plan")" = "$(q run.gpkg "select count(*) || ':' || sum(selected) || ':' || group_concat(site || countermeasure, ',') from plan")" ]
check: a=$(q plan.gpkg "select sum(npv) from plan where selected"); b=$(q run.gpkg "select sum(npv) from plan where selected"); awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; exit !(d * d <= 100 && b > 0) }'
# the same strips, to the centimetre (the saved geometry went through the output CRS and back)
check: a=$(q plan.gpkg "select group_concat(countermeasure || ' ' || from_m || ' ' || to_m, ' ') from work_lines"); b=$(q run.gpkg "select group_concat(countermeasure || ' ' || from_m || ' ' || to_m, ' ') from work_lines"); awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x, " "); if (n < 3 || n != split(b, y, " ")) exit 1; for (i = 1; i <= n; i++) if (i % 3 == 1 ? x[i] != y[i] : (x[i] - y[i]) ^ 2 > 1e-4) exit 1 }'
check: [ "$(wc -l < plan_work.csv)" = "$(wc -l < run_work.csv)" ] && grep -q '"command":	"plan"' plan.summary.json && grep -q '"screen":	"screen.gpkg"' plan.summary.json

#> rumble plan --screen without the config: the screening's settings come with it (road fields, crash schema, the config's plan options), so the plan equals rumble run's
# the demo's project with a discount rate of 7 % (the default is 4 %), in a file of its own
run: mkdir -p d && "$GEN_DEMO" d
run: python3 -c "import json; c = json.load(open('$DATA/demo/project.json')); c['plan'] = {'discount_rate': 0.07}; json.dump(c, open('p7.json', 'w'))"
run: "$RUMBLE" screen --config p7.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o screen.gpkg -q
run: "$RUMBLE" run --config p7.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
check: [ "$(q screen.gpkg "select group_concat(key, ' ') from settings")" = "@config roads.path crashes.path screen.spf" ] && [ "$(q screen.gpkg "select value = cast(readfile('p7.json') as text) from settings where key = '@config'")" = 1 ]
$ plan --screen screen.gpkg --budget 2000000 -o plan.gpkg
out: wrote plan.gpkg (layers plan, work_lines, work_points), plan_work.csv, plan.summary.json
check: [ "$(q plan.gpkg "select count(*) || ':' || sum(selected) || ':' || group_concat(site || countermeasure, ',') from plan")" = "$(q run.gpkg "select count(*) || ':' || sum(selected) || ':' || group_concat(site || countermeasure, ',') from plan")" ]
check: a=$(q plan.gpkg "select sum(npv) from plan where selected"); b=$(q run.gpkg "select sum(npv) from plan where selected"); awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; exit !(d * d <= 100 && b > 0) }'
check: ! grep -q screen_settings plan.summary.json
# the screening alone, elsewhere: the roads and crashes it read are not looked for again
check: mkdir -p far && cp screen.gpkg far/ && (cd far && "$RUMBLE" plan --screen screen.gpkg --budget 2000000 -o p.gpkg -q) && [ "$(q far/p.gpkg "select round(sum(npv)) from plan where selected")" = "$(q plan.gpkg "select round(sum(npv)) from plan where selected")" ]

#> rumble plan --screen of a screening without its settings (an older one): planned with the defaults (no SPF, 4 %), and said so; a flag given to plan goes over saved settings
run: mkdir -p d && "$GEN_DEMO" d
run: python3 -c "import json; c = json.load(open('$DATA/demo/project.json')); c['plan'] = {'discount_rate': 0.07}; json.dump(c, open('p7.json', 'w'))"
run: "$RUMBLE" screen --config p7.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o screen.gpkg -q
run: cp screen.gpkg old.gpkg && python3 -c "import sqlite3; c = sqlite3.connect('old.gpkg'); c.execute('drop table settings'); c.execute(\"delete from gpkg_contents where table_name = 'settings'\"); c.commit()"
run: "$RUMBLE" plan --screen screen.gpkg --budget 2000000 -o p7.gpkg -q
run: "$RUMBLE" plan --screen screen.gpkg --discount-rate 0.04 --budget 2000000 -o flag.gpkg -q
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run4.gpkg -q
$ plan --screen old.gpkg --budget 2000000 -o old_plan.gpkg
err: warning [screen_settings]: old.gpkg holds no settings of the screening
check: grep -q '"code":	"screen_settings"' old_plan.summary.json
# without the settings the sites' expected crashes are observed ones (no SPF named): not EB
check: [ "$(q old_plan.gpkg "select count(*) from plan where expected_is_eb and intersection_id is null")" = 0 ] && [ "$(q p7.gpkg "select count(*) from plan where expected_is_eb and intersection_id is null")" -ge 1 ]
# --discount-rate 0.04 over the saved 7 %: the plan of rumble run at 4 % (money to the unit)
check: a=$(q flag.gpkg "select sum(npv) from plan where selected"); b=$(q run4.gpkg "select sum(npv) from plan where selected"); c=$(q p7.gpkg "select sum(npv) from plan where selected"); awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN { d = a - b; exit !(d * d <= 100 && b > c * 1.1) }'

#> rumble plan --screen: hotspots edited by hand are planned as they stand
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o screen.gpkg -q
run: ogrinfo -q screen.gpkg -sql "DELETE FROM hotspots WHERE NOT (route_id = 'KAZ-R1' AND from_m < 125000 AND to_m > 120000)" >/dev/null
$ plan --config $DATA/demo/project.json --screen screen.gpkg --budget 2000000 -o plan.gpkg -q
check: [ "$(q plan.gpkg "select count(*) from plan where intersection_id is null and (from_m > 126000 or to_m < 119000)")" = 0 ] && [ "$(q plan.gpkg "select count(*) from plan where selected")" -ge 1 ]
check: [ "$(q plan.gpkg "select count(*) from work_lines where countermeasure like '%centreline%'")" -ge 1 ]

#> rumble plan --screen: a hotspot on a route the segments do not have is an error naming it
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o screen.gpkg -q
run: ogrinfo -q screen.gpkg -sql "UPDATE hotspots SET route_id = 'KAZ-R9' WHERE fid = 3" >/dev/null
$ plan --screen screen.gpkg -o plan.gpkg
? 1
err: screen.gpkg: layer 'hotspots', feature 3: route 'KAZ-R9'
absent: plan.gpkg

#> rumble plan without --screen screens first: rumble run
run: mkdir -p d && "$GEN_DEMO" d
$ plan --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg
out: work orders:
check: [ "$(q run.gpkg "select count(*) from work_lines")" -ge 1 ]

#> rumble plan --screen: with the stretch over the junction gone, the junction is planned as an intersection
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o screen.gpkg -q
run: ogrinfo -q screen.gpkg -sql "DELETE FROM hotspots WHERE route_id = 'KAZ-R1' AND from_m < 76000 AND to_m > 74000" >/dev/null
$ plan --config $DATA/demo/project.json --screen screen.gpkg --budget 2000000 -o plan.gpkg -q
# the junction of KAZ-R1 and KAZ-R2 at km 75 (76.2 m either side), its angle crashes calling for intersection measures only
check: [ "$(q plan.gpkg "select count(distinct site) || ':' || min(from_m) || ':' || max(to_m) from plan where intersection_id is not null")" = "1:74923.8:75076.2" ]
check: [ "$(q plan.gpkg "select count(*) from plan where intersection_id is not null and (countermeasure like '%rumble_strips%' and countermeasure not like '%transverse%')")" = 0 ]
check: [ "$(q plan.gpkg "select count(*) from plan where intersection_id is not null and countermeasure like '%intersection_flashing_beacons%'")" -ge 1 ]
# its crashes are the ones screening gave the junction
check: [ "$(q plan.gpkg "select min(target_per_yr) > 0 from plan where intersection_id is not null")" = 1 ]

#> rumble run over three yearly budgets: each treatment gets a year, no year overspends
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budgets 300000,300000,300000 -o run.gpkg
out: over 3 years
check: [ "$(q run.gpkg "select count(*) from plan where selected and (year < 1 or year > 3)")" = 0 ] && [ "$(q run.gpkg "select count(*) from plan where not selected and year != 0")" = 0 ]
check: [ "$(q run.gpkg "select count(*) from (select year, sum(install_cost) s from plan where selected group by year) where s > 300000")" = 0 ]
check: [ "$(q run.gpkg "select count(distinct year) from plan where selected")" -ge 2 ]
# the summary's spending by year is the plan's; the work list carries the year
check: y1=$(q run.gpkg "select cast(round(sum(install_cost)) as integer) from plan where selected and year = 1"); tr -d ' \t\n' < run.summary.json | grep -q "\"spent_by_year\":\[$y1,"
check: [ "$(q run.gpkg "select count(*) from work_points w join plan p on p.site = w.site and p.selected where w.year != p.year")" = 0 ]

#> rumble run over yearly budgets with carry-over: a barrier dearer than any one year fits once money carries over (unrated entries allowed: the barrier's CMF is to_verify)
run: mkdir -p d && "$GEN_DEMO" d
# (each alternative over its own life, --analysis-period 0: so counted, the 403,680 barrier is worth more than what the three budgets buy without it)
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budgets 300000,300000,300000 --carry-over yes --allow-unrated yes --analysis-period 0 -o carry.gpkg -q
check: [ "$(q carry.gpkg "select count(*) from plan where selected and install_cost > 300000")" -ge 1 ] && [ "$(q carry.gpkg "select count(*) from plan where selected and install_cost > 300000 and year < 2")" = 0 ]
check: [ "$(q carry.gpkg "select max(c) <= 900000 from (select a.year y, (select sum(install_cost) from plan b where b.selected and b.year <= a.year) c from plan a where a.selected)")" = 1 ]

#> rumble run: one budget or yearly budgets, not both
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 1000 --budgets 500,500 -o run.gpkg
? 2
err: give one budget (--budget) or yearly budgets (--budgets), not both
absent: run.gpkg

#> rumble run with reference populations: a site's crash pattern is compared with similar sites' (its population)
run: mkdir -p d && "$GEN_DEMO" d && printf '{ "screen": { "population_by": "area" } }' > p.json
$ run --config $DATA/demo/project.json --config p.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
# the reference share is the pattern's share among the population's counted crashes of known severity
check: [ "$(q run.gpkg "with r as (select s.population pp, sum(c.crash_type in ('pedestrian', 'bicycle')) * 1.0 / count(*) ped, sum(c.crash_type = 'animal') * 1.0 / count(*) ani from crashes c join segments s on s.segment_id = c.segment_id where c.in_study and c.severity in ('K', 'A', 'B', 'C', 'O') group by 1) select count(*) || ':' || sum(abs(reference_share - case countermeasure when 'pedestrian_crossing_upgrade' then ped else ani end) < 1e-12) from plan join r on pp = population where countermeasure in ('pedestrian_crossing_upgrade', 'livestock_fencing')")" = "2:2" ]
# and the two populations' shares differ, so it is not the whole network's
check: [ "$(q run.gpkg "select count(distinct population) from plan")" = 2 ]

#> road and measure: the demo's rows without usable coordinates are placed by road and km post, the rest checked against them
run: mkdir -p d && "$GEN_DEMO" d
$ screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --measure-field km -o out.gpkg
out: matched 746 (100.0%
# the 20 with no, zero or swapped coordinates, at the chainage their "km+m" post says (no posts: measure = chainage)
check: [ "$(q out.gpkg "select count(*) from crashes where located_by = 'route_measure' and unmatched_reason is null and match_status = 'matched'")" = 20 ]
check: [ "$(q out.gpkg "select count(*) from crashes where located_by = 'route_measure' and abs(chainage_m - (cast(substr(km, 1, instr(km, '+') - 1) as integer) * 1000 + cast(substr(km, instr(km, '+') + 1) as integer))) > 0.01")" = 0 ]
# the GPS points agree with their posts to within the GPS error
check: [ "$(q out.gpkg "select count(*) from crashes where located_by = 'coordinates' and not (lr_status = 'ok' and lr_distance_m < 30)")" = 0 ]
check: tr -d ' \t\n' < out.summary.json | grep -q '"located_by":{"none":0,"coordinates":726,"route_measure":20,"override":0}'
# drawn where they were placed, on their road
check: [ "$(q out.gpkg "select count(*) from crashes c join segments s on s.segment_id = c.segment_id where c.located_by = 'route_measure' and ST_Distance(c.geom, s.geom) > 0.01")" = 0 ]

#> overrides: an analyst's fixes are applied on every run, and one that no longer applies is reported
run: mkdir -p d && "$GEN_DEMO" d && printf 'crash_id,segment_id,note\n2020-00001,R2-003,on the branch road (photo)\n2020-00013,R1-007,\n2020-00002,R1-999,segment since removed\n' > fixes.csv
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --overrides fixes.csv -o out.gpkg
err: fixes.csv: row 4: segment 'R1-999' is not in this run; the override no longer applies
check: [ "$(q out.gpkg "select segment_id || ':' || located_by || ':' || match_quality from crashes where crash_id = '2020-00001'")" = "R2-003:override:exact" ]
# one without coordinates goes to the middle of its segment
check: [ "$(q out.gpkg "select c.segment_id || ':' || (abs(c.measure_m - s.length_m / 2) < 0.01) from crashes c join segments s on s.segment_id = c.segment_id where c.crash_id = '2020-00013'")" = "R1-007:1" ]
# the stale one stays as the matcher had it
check: [ "$(q out.gpkg "select located_by from crashes where crash_id = '2020-00002'")" = coordinates ]
check: tr -d ' \t\n' < out.summary.json | grep -q '"overrides":{"applied":2,"no_longer_apply":1}'

#> overrides by road and km post: the analyst gives where it happened, not the segment
run: mkdir -p d && "$GEN_DEMO" d && printf 'crash_id,segment_id,road,measure\n2020-00001,,kaz r1,97+000\n2020-00002,,KAZ-R9,5+000\n' > fixes.csv
$ screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --overrides fixes.csv -o out.gpkg
err: fixes.csv: row 3: its road and measure are not on the network; the override no longer applies
check: [ "$(q out.gpkg "select located_by || ':' || route_id || ':' || chainage_m from crashes where crash_id = '2020-00001'")" = "override:KAZ-R1:97000.0" ]
check: tr -d ' \t\n' < out.summary.json | grep -q '"overrides":{"applied":1,"no_longer_apply":1}'

#> the road the record names: an overpass, a frontage road, a road too far, a road the network lacks
run: printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32643"}},"features":[{"type":"Feature","properties":{"id":"a1-1","road":"A1"},"geometry":{"type":"LineString","coordinates":[[500000,4800000],[501000,4800000]]}},{"type":"Feature","properties":{"id":"m5-1","road":"M5"},"geometry":{"type":"LineString","coordinates":[[500500,4799500],[500500,4800500]]}},{"type":"Feature","properties":{"id":"f1-1","road":"F1"},"geometry":{"type":"LineString","coordinates":[[500000,4800012],[501000,4800012]]}}]}' > roads.geojson
run: printf 'id,x,y,road\nunder,500503,4800001,m 5\nsame,500100,4800001,a-1\nfrontage,500200,4800005,f1\nfar,500540,4800001,M5\nnowhere,500700,4800001,B99\nnone,500800,4800001,\n' > c.csv
$ match --roads roads.geojson --road-id id --route-field road --crashes c.csv --crashes-crs EPSG:32643 --x-field x --y-field y --road-field road -o out.gpkg
# under the overpass the record says M5: it goes to the bridge (3 m) not the road beneath (1 m), which stays on record
check: [ "$(q out.gpkg "select segment_id || ':' || road_hint || ':' || alt_segment_id || ':' || offset_m || ':' || ambiguous from crashes where crash_id = 'under'")" = "m5-1:moved:a1-1:3.0:0" ]
check: [ "$(q out.gpkg "select segment_id || ':' || road_hint from crashes where crash_id = 'same'")" = "a1-1:agrees" ]
# the frontage road, 7 m away where the main road is 5 m
check: [ "$(q out.gpkg "select segment_id || ':' || road_hint || ':' || offset_m from crashes where crash_id = 'frontage'")" = "f1-1:moved:7.0" ]
# M5 40 m away, beyond the 30 m tolerance: the match stands, flagged, graded fair
check: [ "$(q out.gpkg "select segment_id || ':' || road_hint || ':' || match_quality from crashes where crash_id = 'far'")" = "a1-1:disagrees:fair" ]
check: [ "$(q out.gpkg "select road_hint from crashes where crash_id = 'nowhere'")" = unknown_road ] && [ "$(q out.gpkg "select coalesce(road_hint, '') from crashes where crash_id = 'none'")" = "" ]
check: tr -d ' \t\n' < out.summary.json | grep -q '"road_named":{"agrees":1,"moved":2,"disagrees":1,"unknown_road":1}'

#> a divided road: the direction of travel picks the carriageway; without one the nearer is taken and flagged
run: printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32643"}},"features":[{"type":"Feature","properties":{"id":"nb","road":"M1"},"geometry":{"type":"LineString","coordinates":[[500000,4800000],[500000,4801000]]}},{"type":"Feature","properties":{"id":"sb","road":"M1"},"geometry":{"type":"LineString","coordinates":[[500015,4801000],[500015,4800000]]}}]}' > roads.geojson
run: printf 'id,x,y,dir\nnorth,500010,4800500,N\nsouth,500010,4800600,SB\nnone,500010,4800700,\nwest,500010,4800800,270\ndeg,500010,4800900,10\n' > c.csv
$ match --roads roads.geojson --road-id id --route-field road --crashes c.csv --crashes-crs EPSG:32643 --x-field x --y-field y --direction-field dir -o out.gpkg
# northbound: the northbound carriageway 10 m away, not the southbound 5 m away (kept as the other road)
check: [ "$(q out.gpkg "select segment_id || ':' || travel_direction || ':' || alt_segment_id || ':' || ambiguous from crashes where crash_id = 'north'")" = "nb:moved:sb:0" ]
check: [ "$(q out.gpkg "select segment_id || ':' || travel_direction from crashes where crash_id = 'south'")" = "sb:agrees" ] && [ "$(q out.gpkg "select segment_id || ':' || travel_direction from crashes where crash_id = 'deg'")" = "nb:moved" ]
# no direction: the nearer, flagged ambiguous with the other; a direction neither runs: the match stands
check: [ "$(q out.gpkg "select segment_id || ':' || ambiguous || ':' || alt_segment_id || ':' || coalesce(travel_direction, '') from crashes where crash_id = 'none'")" = "sb:1:nb:" ]
check: [ "$(q out.gpkg "select segment_id || ':' || travel_direction from crashes where crash_id = 'west'")" = "sb:no_fit" ]

#> units: --units us writes mileposts (MP, international miles, two decimals) in from_mp and to_mp, and prints them
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --units us -o us.gpkg
out: KAZ-R1     MP 
check: [ "$(q us.gpkg "select count(*) from work_lines where from_mp <> printf('MP %.2f', from_m / 1609.344) or to_mp <> printf('MP %.2f', to_m / 1609.344)")" = 0 ]
check: [ "$(q us.gpkg "select count(*) from plan where from_mp like 'MP %'")" = "$(q us.gpkg 'select count(*) from plan')" ]
check: head -1 us_work.csv | grep -q ',from_mp,to_mp,'

#> every alternative over a common analysis period (20 years by default): each countermeasure renewed at the end of its life, the unexpired part counted back
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
# a single strip's PV cost from its first cost alone (Python, from the prices file): first cost x (renewals at 0, L, 2L, ... < 20, each x 1.04^-t) + upkeep a unit x units x the 20-year annuity - the unexpired fraction at 20 x first cost x 1.04^-20; units = first cost / unit cost
check: python3 -c "import json, math, sqlite3, sys; P = json.load(open('$DATA/prices/example_usd_2024.json'))['prices']; d = lambda t: 1.04 ** -t; a = (1 - d(20)) / 0.04; rows = sqlite3.connect('run.gpkg').execute(\"select countermeasure, install_cost, pv_cost from plan where countermeasure in ('shoulder_rumble_strips', 'centreline_rumble_strips', 'wide_centreline')\").fetchall(); f = lambda p: sum(d(t) for t in range(0, 20, p['life_yr'])) + p.get('upkeep_per_yr', 0) / p['unit_cost'] * a - (math.ceil(20 / p['life_yr']) * p['life_yr'] - 20) / p['life_yr'] * d(20); sys.exit(not (len(set(r[0] for r in rows)) >= 2 and all(abs(pv - ic * f(P[cm])) <= 0.5 + 1e-6 * pv for cm, ic, pv in rows)))"
check: python3 -c "import json, sys; sys.exit(json.load(open('run.summary.json'))['plan']['analysis_period_yr'] != 20)"
# an analysis period that is not whole years: refused
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --analysis-period 12.5 -o no.gpkg -q 2> no.err; [ $? = 2 ] && grep -q 'the analysis period must be whole years' no.err && [ ! -e no.gpkg ]

#> an agency's own prices and crash costs (--prices, --crash-costs): its currency and year throughout; what it does not price is not planned, and the run says so
run: mkdir -p d && "$GEN_DEMO" d
# tenge at 500 to the dollar, both of 2024; the prices file prices all but road lighting
run: python3 -c "import json; p = json.load(open('$DATA/prices/example_usd_2024.json')); pr = {k: dict(v, unit_cost=v['unit_cost'] * 500, upkeep_per_yr=v.get('upkeep_per_yr', 0) * 500) for k, v in p['prices'].items() if k != 'road_lighting'}; json.dump({'\$comment': 'test agency', 'currency': 'KZT', 'price_year': 2024, 'prices': pr}, open('kzt.json', 'w')); c = json.load(open('$DATA/crash_costs.json')); json.dump(dict(c, currency='KZT', year=2024, cost_per_crash={k: v * 500 for k, v in c['cost_per_crash'].items()}), open('kzt_costs.json', 'w'))"
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --price-index 2001=1,2024=1 -o usd.gpkg -q
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 1000000000 --prices kzt.json --crash-costs kzt_costs.json -o kzt.gpkg
err: warning [unpriced]:
# the summary names the file and its currency; the plan layer's currency is its
check: python3 -c "import json, sys; p = json.load(open('kzt.summary.json'))['plan']; sys.exit(not (p['currency'] == 'KZT' and p['prices'] == 'kzt.json' and p['prices_example'] is False and p['price_year'] == 2024 and p['crash_cost_factor'] == 1 and p['unpriced_left_out'] > 0))" && [ "$(q kzt.gpkg "select count(distinct currency) || currency from plan")" = 1KZT ]
# the report's price basis: the agency's file, no example flag, both of 2024
check: "$RUMBLE" report kzt.gpkg -o kzt.html -q && grep -qF '<p class="meta" id="price-basis">Currency: <b>KZT</b> · prices of 2024 (kzt.json) · crash costs of 2024</p>' kzt.html
check: [ "$(q kzt.gpkg "select count(*) from plan where countermeasure like '%road_lighting%'")" = 0 ] && [ "$(q usd.gpkg "select count(*) from plan where countermeasure like '%road_lighting%'")" -ge 1 ]
# a single countermeasure's money is 500 times the dollars' (each rounded to a unit: within 500 x 0.5 + 0.5), its BCR the same
check: python3 -c "import sqlite3, sys; q = \"select site, countermeasure, npv, pv_cost, bcr from plan where countermeasure not like '%+%'\"; a = {(r[0], r[1]): r[2:] for r in sqlite3.connect('usd.gpkg').execute(q)}; b = {(r[0], r[1]): r[2:] for r in sqlite3.connect('kzt.gpkg').execute(q)}; sys.exit(not (b and set(b) <= set(a) and all(abs(b[k][0] - 500 * a[k][0]) <= 250.5 and abs(b[k][1] - 500 * a[k][1]) <= 250.5 and abs(b[k][2] - a[k][2]) < 1e-9 for k in b)))"
# the catalogue's example prices with crash costs in another currency: refused before any data is read
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --prices kzt.json -o no.gpkg -q 2> no.err; [ $? = 2 ] && grep -q "prices are in KZT but the crash costs in USD" no.err && [ ! -e no.gpkg ]
# a prices file naming a countermeasure the catalogue does not have: the file and the id
check: echo '{"currency": "KZT", "prices": {"gold_plated_strips": {"unit_cost": 1, "life_yr": 1}}}' > bad.json && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --prices bad.json --crash-costs kzt_costs.json -o no.gpkg -q 2> no.err; [ $? != 0 ] && grep -q "bad.json: prices 'gold_plated_strips', which the catalogue does not have" no.err

#> prices and crash costs of different years: a warning naming both without an index; with one, the crash costs are brought to the prices' year
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o as.gpkg
err: warning [price_years]: the catalogue's prices are of
# the years are the data files' own (read here with Python), the factor 1 without an index
check: py=$(python3 -c "import json; print(json.load(open('$DATA/prices/example_usd_2024.json'))['price_year'])") && cy=$(python3 -c "import json; print(json.load(open('$DATA/crash_costs.json'))['year'])") && [ "$py" != "$cy" ] && grep -qF "prices are of $py but the crash costs of $cy" .stderr && python3 -c "import json, sys; p = json.load(open('as.summary.json'))['plan']; sys.exit(not (p['price_year'] == $py and p['crash_cost_year'] == $cy and p['crash_cost_factor'] == 1))"
# with an index (US CPI-U annual averages here), no warning; every alternative's benefit is the unindexed one
# times the ratio (both written rounded to a whole unit: within half a unit times the ratio, plus half)
check: py=$(python3 -c "import json; print(json.load(open('$DATA/prices/example_usd_2024.json'))['price_year'])") && cy=$(python3 -c "import json; print(json.load(open('$DATA/crash_costs.json'))['year'])") && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --price-index "$cy=177.1,$py=313.689" -o ix.gpkg 2> ix.err >/dev/null && ! grep -q price_years ix.err && python3 -c "import json, sqlite3, sys; f = 313.689 / 177.1; q = 'select site, countermeasure, pv_benefit from plan'; a = {(r[0], r[1]): r[2] for r in sqlite3.connect('as.gpkg').execute(q)}; b = {(r[0], r[1]): r[2] for r in sqlite3.connect('ix.gpkg').execute(q)}; p = json.load(open('ix.summary.json'))['plan']; sys.exit(not (a and a.keys() == b.keys() and all(abs(b[k] - a[k] * f) <= 0.5 * f + 0.5 + 1e-6 for k in a) and abs(p['crash_cost_factor'] - f) < 1e-12))"
# an index without one of the years, or not YEAR=INDEX pairs: exit 2
# the report says whose prices they are and that the crash costs were not brought to their year, or by how much
check: "$RUMBLE" report as.gpkg -o as.html -q && grep -qF "Currency: <b>USD</b> · prices of 2024 (example_usd_2024.json: <span class=\"flag\">example prices, not the agency's</span>) · crash costs of 2001, <span class=\"flag\">not brought to the price year (no index given)</span>" as.html
check: "$RUMBLE" report ix.gpkg -o ix.html -q && grep -qF 'crash costs of 2001, brought to the price year ×1.771</p>' ix.html
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --price-index 1999=100 -o no.gpkg -q 2> no.err; [ $? = 2 ] && grep -q 'plan.price_index has no index for' no.err && [ ! -e no.gpkg ]
check: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --price-index 2001:177 -o no.gpkg -q 2> no.err; [ $? = 2 ] && grep -q 'is YEAR=INDEX pairs' no.err
