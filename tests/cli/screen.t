# rumble screen: routes, sliding windows, SPF + EB measures and crash
# concentration sites, on the demo (whose planted hazards are known) and Leeds.

#> the demo: every planted hazard is found by the crash concentration rule
run: mkdir -p d && "$GEN_DEMO" d
$ screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o out.gpkg
out: top 5 windows by excess_per_yr
out: wrote out.gpkg (layers crashes, segments, windows, hotspots, intersections)
check: n=0; while IFS=, read -r road from to rest; do [ "$road" = road ] && continue; h=$(q out.gpkg "select count(*) from hotspots where rule = 'crash_concentration' and route_id = '$road' and from_m <= $to * 1000 and to_m >= $from * 1000"); [ "$h" -ge 1 ] || { echo "hazard $from-$to not found" >&2; exit 1; }; n=$((n + 1)); done < d/hazards.csv; [ "$n" = 5 ]
# the ten worst windows by excess (EB) all lie on planted hazards
check: [ "$(q out.gpkg "select count(*) from windows where rank <= 10 and not ((from_m < 47200 and to_m > 46300) or (from_m < 125000 and to_m > 120000) or (from_m < 160000 and to_m > 157500) or (from_m < 88300 and to_m > 87500) or (from_m < 75150 and to_m > 74850))")" = 0 ]
# the rule's thresholds: 5 of any type or 3 of one type, injury crashes only
check: [ "$(q out.gpkg "select count(*) from hotspots where rule = 'crash_concentration' and not (n_qualifying >= 5 or (crash_type is not null and n_qualifying >= 3))")" = 0 ]
# peak searching and sliding windows flag 20 sites each, ranked 1..20 within the rule, none overlapping
check: [ "$(q out.gpkg "select group_concat(rule || ':' || n, ' ') from (select rule, count(*) n from hotspots where rule != 'crash_concentration' group by rule order by rule)")" = "crp:20 peak_search:20 sliding_window:20" ]
check: [ "$(q out.gpkg "select count(*) from (select rule, count(*) n, sum(rank) r, count(distinct rank) d from hotspots group by rule) where r != n * (n + 1) / 2 or d != n")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from hotspots a, hotspots b where a.rule = b.rule and a.rule != 'crash_concentration' and a.fid < b.fid and a.route_id = b.route_id and a.from_m < b.to_m and a.to_m > b.from_m")" = 0 ]
# a peak lies inside one segment and was measured by excess (EB): its value is a window's
check: [ "$(q out.gpkg "select count(*) from hotspots h where rule = 'peak_search' and measure = 'excess_per_yr' and value > 0 and exists (select 1 from segments s where s.route_id = h.route_id and s.from_m <= h.from_m + 0.001 and s.to_m >= h.to_m - 0.001)")" = 20 ]
# four of the five planted hazards are among the five strongest peaks
check: [ "$(q out.gpkg "select count(*) from hotspots where rule = 'peak_search' and rank <= 5 and ((from_m < 47200 and to_m > 46300) or (from_m < 125000 and to_m > 120000) or (from_m < 160000 and to_m > 157500) or (from_m < 88300 and to_m > 87500) or (from_m < 75150 and to_m > 74850))")" -ge 4 ]
# the continuous risk profile: its four strongest runs are four planted hazards, and a run
# holds the study period's crashes whose chainage lies in it (bins are half-open)
check: [ "$(q out.gpkg "select count(*) from hotspots where rule = 'crp' and rank <= 4 and measure = 'crp_excess_per_yr' and ((from_m < 47200 and to_m > 46300) or (from_m < 125000 and to_m > 120000) or (from_m < 160000 and to_m > 157500) or (from_m < 88300 and to_m > 87500) or (from_m < 75150 and to_m > 74850))")" = 4 ]
check: [ "$(q out.gpkg "select count(*) from hotspots h where rule = 'crp' and (n_obs < 2 or n_obs != (select count(*) from crashes c where c.in_study = 1 and c.route_id = h.route_id and c.chainage_m >= h.from_m - 0.0005 and c.chainage_m < h.to_m - 0.0005))")" = 0 ]
# every window has its LOSS from the SPF, and the method-of-moments excess averages zero
check: [ "$(q out.gpkg "select count(*) from windows where loss not in (1, 2, 3, 4)")" = 0 ]
check: [ "$(q out.gpkg "select abs(avg(mom_excess_per_yr)) < 1e-9 from windows")" = 1 ]
# the one junction (KAZ-R2 meets KAZ-R1 at 75 km, a planted angle-crash hazard): three legs,
# and its crashes are the study period's crashes within 76.2 m of it, counted by SpatiaLite
check: [ "$(q out.gpkg "select count(*) || ':' || n_legs || ':' || segment_ids from intersections")" = "1:3:R1-023;R1-024;R2-001" ]
check: [ "$(q out.gpkg "select n_obs from intersections")" = "$(q out.gpkg "select count(*) from crashes c, intersections i where c.in_study = 1 and ST_Distance(c.geom, i.geom) < 76.2")" ]
check: [ "$(q out.gpkg "select n_obs >= 8 and abs(rate_per_mev - n_obs / (entering_aadt * 365 * n_years / 1e6)) < 1e-9 from intersections")" = 1 ]
# chainage: KAZ-R1 from 0 at Aksu to 240 km at Kapal; every matched crash has one
check: [ "$(q out.gpkg "select count(*) from crashes where match_status = 'matched' and (route_id is null or chainage_m is null)")" = 0 ]
check: [ "$(q out.gpkg "select cast(round(max(to_m) / 1000) as int) from segments where route_id = 'KAZ-R1'")" = 240 ]
# EB lies between the prediction and the observed frequency
check: [ "$(q out.gpkg "select count(*) from windows where eb_per_yr < min(pred_per_yr, freq_per_yr) - 1e-9 or eb_per_yr > max(pred_per_yr, freq_per_yr) + 1e-9")" = 0 ]
check: grep -q '"command":	"screen"' out.summary.json && grep -q '"spf":	"hsm_rural_2lane"' out.summary.json
check: grep -q '"intersections":	1' out.summary.json && grep -q '"peak_search":	20' out.summary.json && grep -q '"crp":	20' out.summary.json && grep -q "\"crash_concentration_sites\":	$(q out.gpkg "select count(*) from hotspots where rule = 'crash_concentration'")," out.summary.json

#> Leeds without an SPF: each segment is its own route; windows by the HSM rule
$ screen --config $ROOT/tests/cli/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o out.gpkg -q
check: [ "$(q out.gpkg 'select count(*) from windows')" = "$(q out.gpkg 'select sum(case when length_m <= 300 then 1 else cast((length_m - 300) / 100 as int) + 1 + (case when cast((length_m - 300) / 100 as int) * 100 + 300 < length_m - 0.001 then 1 else 0 end) end) from segments where length_m > 0')" ]
# a window counts the crashes of the study period whose chainage lies in it
check: [ "$(q out.gpkg "select count(*) from windows w where n_obs != (select count(*) from crashes c where c.route_id = w.route_id and c.in_study = 1 and c.chainage_m >= w.from_m - 0.0005 and c.chainage_m <= w.to_m + 0.0005)")" = 0 ]
# ranks are a permutation
check: [ "$(q out.gpkg 'select count(distinct rank) = count(*) and min(rank) = 1 from windows')" = 1 ]

#> bad screening options
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --confidence 0.8
? 2
err: 'screen.confidence' (--confidence) is 0.85, 0.90, 0.95, 0.99 or 0.995, not

#> an SPF that does not exist
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --spf nope
? 2
err: no SPF 'nope'
err: the SPFs are: hsm, hsm_int, hsm_rural_2lane, hsm_rural_2lane_3st, hsm_rural_2lane_4sg, hsm_rural_2lane_4st, hsm_rural_4d, hsm_rural_4d_kabc, hsm_rural_4u, hsm_rural_4u_kabc, hsm_rural_multilane_3st, hsm_rural_multilane_4sg, hsm_rural_multilane_4st
absent: out.gpkg

#> a target crash type: proportions, the beta model, and a single hotspot rule
run: mkdir -p d && "$GEN_DEMO" d && printf '{ "screen": { "target_type": "animal", "hotspot_rules": "peak_search", "hotspot_top": 3 } }' > t.json
$ screen --config $DATA/demo/project.json --config t.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.gpkg -q
# excess proportion = the window's proportion minus the population's (SQL over the windows layer)
check: [ "$(q out.gpkg "select count(*) from windows, (select sum(p_target * n_obs) / sum(n_obs) p from windows where n_obs > 0) pop where n_obs > 0 and abs(excess_prop - (p_target - pop.p)) > 1e-9")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from windows where n_obs > 0 and not (p_exceed between 0 and 1)")" = 0 ]
# the planted animal-at-night stretch (157.5-160 km) holds a window almost surely above the network's share
check: [ "$(q out.gpkg "select max(p_exceed) > 0.95 from windows where from_m >= 157500 and to_m <= 160000")" = 1 ]
check: [ "$(q out.gpkg "select group_concat(distinct rule) || ':' || count(*) from hotspots")" = "peak_search:3" ]

#> a focus group of conditions: the proportion measures count night crashes (dark or dusk), wet or icy roads, fog
run: mkdir -p d && "$GEN_DEMO" d && printf '{ "screen": { "target_type": "night" } }' > n.json && printf '{ "screen": { "target_type": "fog" } }' > f.json
$ screen --config $DATA/demo/project.json --config n.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.gpkg -q
# each segment's p_target is its share of counted crashes in the dark or at dusk (SQLite over the crashes layer)
check: [ "$(q out.gpkg "select count(*) from segments s where n_obs > 0 and abs(p_target - (select 1.0 * sum(light in ('dark', 'dusk')) / count(*) from crashes c where c.segment_id = s.segment_id and c.in_study = 1)) > 1e-9")" = 0 ] && [ "$(q out.gpkg "select count(*) from segments where p_target > 0")" -ge 10 ]
# the beta model's p_exceed is a probability wherever there are crashes
check: [ "$(q out.gpkg "select count(*) from windows where n_obs > 0 and not (p_exceed between 0 and 1)")" = 0 ]
# fog: the demo's foggy crashes (dry autumn and spring mornings), counted the same way
check: "$RUMBLE" screen --config $DATA/demo/project.json --config f.json --roads d/roads.gpkg --crashes d/crashes.csv -o fog.gpkg -q && [ "$(q fog.gpkg "select count(*) from segments s where n_obs > 0 and abs(p_target - (select 1.0 * sum(weather = 'fog') / count(*) from crashes c where c.segment_id = s.segment_id and c.in_study = 1)) > 1e-9")" = 0 ] && [ "$(q fog.gpkg "select count(*) from segments where p_target > 0")" -ge 1 ]

#> an unknown hotspot rule
run: printf '{ "screen": { "hotspot_rules": "sliding_window,kde" } }' > r.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config r.json
? 2
err: screen.hotspot_rules 'sliding_window,kde'
absent: out.gpkg

#> an unknown target crash type
run: printf '{ "screen": { "target_type": "cows" } }' > t.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config t.json
? 2
err: screen.target_type 'cows' is neither a crash type (run_off_road, head_on, pedestrian, animal or livestock, ...) nor a focus group (night, wet_icy, rain, snow, fog, wind, motorcycle, moped, e_scooter, heavy_vehicle)

#> an unknown way to count entering vehicles
run: printf '{ "screen": { "entering": "all" } }' > e.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config e.json
? 2
err: 'screen.entering' is half or sum, not

#> AADT by year: a year without its field takes the nearest year's (the earlier on a tie)
run: mkdir -p d && "$GEN_DEMO" d && ogr2ogr -q -nln roads y.gpkg d/roads.gpkg -sql "select *, 800.0 as aadt_2020, 1200.0 as aadt_2024, 1.9 as sh_base from roads" && printf '{ "roads": { "aadt_by_year": "aadt_{year}", "shoulder_m": "sh_base" } }' > y.json
$ screen --config $DATA/demo/project.json --config y.json --roads y.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o out.gpkg -q
# 2020-2024 read 2020, 2020, 2020 (the tie), 2024, 2024: 800, 800, 800, 1,200, 1,200, mean 960
check: [ "$(q out.gpkg "select count(*) || ':' || sum(aadt != 960) from segments")" = "$(q out.gpkg "select count(*) from segments"):0" ]
# the HSM SPF is linear in AADT: the yearly predictions average to one at 960 (the shoulders 1.9 m, 6.2 ft: the
# shoulder CMF's base row, 1.00 at any AADT)
check: [ "$(q out.gpkg "select count(*) from segments where abs(pred_per_yr / (960 * length_m / 1609.344 * 365e-6 * exp(-0.312)) - 1) > 1e-6")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from windows where abs(aadt - 960) > 1e-9")" = 0 ]

#> AADT by year without {year}, or with no such field
run: printf '{ "roads": { "aadt_by_year": "aadt" } }' > y.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config y.json
? 2
err: roads.aadt_by_year 'aadt' has no {year} in it
absent: out.gpkg

#> AADT by year with no field for any study year
run: printf '{ "roads": { "aadt_by_year": "traffic_{year}" }, "study": { "from_year": 2019, "to_year": 2019 } }' > z.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config z.json
? 1
err: no field for roads.aadt_by_year 'traffic_{year}' in 2019-2019
absent: out.gpkg

#> settlements from polygons: a crash inside one uses the urban length, ahead of roads.area
run: mkdir -p d && "$GEN_DEMO" d && ogr2ogr -q -a_srs EPSG:32643 -nln town all.gpkg d/roads.gpkg -dialect sqlite -sql "select ST_Buffer(ST_Envelope(ST_Collect(geom)), 100) as geom from roads" && ogr2ogr -q -a_srs EPSG:32643 -nln town none.gpkg d/roads.gpkg -dialect sqlite -sql "select ST_Translate(ST_Buffer(ST_Envelope(ST_Collect(geom)), 100), 1000000, 0, 0) as geom from roads"
run: for v in "--ccs-length 200 -o short.gpkg" "--settlements none.gpkg -o all_out.gpkg" "--ccs-length-urban 1000 -o long.gpkg"; do "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -q $v; done
$ screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --settlements all.gpkg -o all_in.gpkg -q
# every crash inside a settlement is the same as a 200 m limit everywhere; none inside, 1,000 m everywhere
check: s="select count(*) || ':' || sum(from_m) || ':' || sum(to_m) from hotspots where rule = 'crash_concentration'"; [ "$(q all_in.gpkg "$s")" = "$(q short.gpkg "$s")" ] && [ "$(q all_out.gpkg "$s")" = "$(q long.gpkg "$s")" ] && [ "$(q all_in.gpkg "$s")" != "$(q all_out.gpkg "$s")" ]

#> a settlements file that has no polygons
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --settlements $BAD/roads.geojson
? 1
err: the settlements layer has no polygons
absent: out.gpkg

#> homogeneous sections: touching segments of a route with one AADT merge
run: mkdir -p d && "$GEN_DEMO" d && printf '{ "screen": { "sections_by": "aadt" } }' > s.json
$ screen --config $DATA/demo/project.json --config s.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o out.gpkg
out: wrote out.gpkg (layers crashes, segments, windows, hotspots, intersections, sections)
# every segment in exactly one section, every crash and metre kept
check: [ "$(q out.gpkg "select sum(n_segments) || ':' || sum(n_obs) || ':' || cast(round(sum(length_m)) as int) from sections")" = "$(q out.gpkg "select count(*) || ':' || sum(n_obs) || ':' || cast(round(sum(length_m)) as int) from segments")" ]
check: [ "$(q out.gpkg "select count(*) < (select count(*) from segments) from sections")" = 1 ]
# a section holds the segments within its chainage, all of its AADT, and their crashes
check: [ "$(q out.gpkg "select count(*) from sections x where n_segments != (select count(*) from segments s where s.route_id = x.route_id and s.from_m >= x.from_m - 0.001 and s.to_m <= x.to_m + 0.001 and abs(s.aadt - x.aadt) < 1e-6) or n_obs != (select sum(n_obs) from segments s where s.route_id = x.route_id and s.from_m >= x.from_m - 0.001 and s.to_m <= x.to_m + 0.001)")" = 0 ]
# sections that touch on a route differ in AADT (else they would have merged)
check: [ "$(q out.gpkg "select count(*) from sections a, sections b where a.route_id = b.route_id and abs(a.to_m - b.from_m) < 0.001 and abs(a.aadt - b.aadt) < 1e-6")" = 0 ]
check: [ "$(q out.gpkg 'select count(distinct rank) = count(*) and min(rank) = 1 from sections')" = 1 ]

#> sections by a field the roads do not have
run: printf '{ "screen": { "sections_by": "aadt,surface_kind" } }' > s.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config s.json
? 1
err: no field 'surface_kind' (screen.sections_by)
absent: out.gpkg

#> a road area in the vocabulary's words (село for urban, вне населённого пункта for rural) is the same as urban/rural
run: mkdir -p d && "$GEN_DEMO" d && ogr2ogr -q -nln roads ru.gpkg d/roads.gpkg -sql "select *, case when area = 'urban' then 'Село' else 'вне населённого пункта' end as area_ru from roads" && printf '{ "roads": { "area": "area_ru" } }' > ru.json && "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -q -o en.gpkg
$ screen --config $DATA/demo/project.json --config ru.json --roads ru.gpkg --crashes d/crashes.csv -o out.gpkg -q
check: s="select count(*) || ':' || sum(from_m) || ':' || sum(to_m) from hotspots where rule = 'crash_concentration'"; [ "$(q out.gpkg "$s")" = "$(q en.gpkg "$s")" ] && [ -n "$(q en.gpkg "$s")" ]

#> intersections from a point layer alongside the roads: the network's junction given back as a point counts the same crashes
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o nodes.gpkg -q
run: ogr2ogr -f GPKG pts.gpkg nodes.gpkg intersections -nln pts -dialect sqlite -sql "SELECT geom, 'J1' AS jid, aadt_major AS maj, aadt_minor AS mn, n_obs AS n_nodes FROM intersections"
run: printf '{ "intersections": { "id": "jid", "major_aadt": "maj", "minor_aadt": "mn" } }' > i.json
$ screen --config $DATA/demo/project.json --config i.json --roads d/roads.gpkg --crashes d/crashes.csv --intersections pts.gpkg -o out.gpkg
out: wrote out.gpkg (layers crashes, segments, windows, hotspots, intersections)
check: [ "$(q out.gpkg "select intersection_id || ':' || n_obs || ':' || cast(entering_aadt as int) || ':' || (n_legs = 0) from intersections")" = "J1:$(q pts.gpkg "select n_nodes from pts"):$(q pts.gpkg "select cast(maj + mn as int) from pts"):1" ]
check: [ "$(q out.gpkg "select count(*) from crashes where intersection_id = 'J1' and in_study = 1")" = "$(q out.gpkg "select n_obs from intersections")" ]
# the segments and windows do not change
check: [ "$(q out.gpkg "select sum(n_obs) || ':' || sum(epdo) from windows")" = "$(q nodes.gpkg "select sum(n_obs) || ':' || sum(epdo) from windows")" ]

#> reference populations by road area: critical rates and the method of moments against each population alone
run: mkdir -p d && "$GEN_DEMO" d && printf '{ "screen": { "population_by": "area", "sections_by": "lanes" } }' > p.json
$ screen --config $DATA/demo/project.json --config p.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.gpkg -q
check: [ "$(q out.gpkg "select group_concat(population || ':' || n, ',') from (select population, count(*) as n from segments group by 1 order by 1)")" = "$(q d/roads.gpkg "select group_concat(area || ':' || n, ',') from (select area, count(*) as n from roads group by 1 order by 1)")" ]
# R_a = sum of crashes / sum of exposure (million vehicle-km) over the segment's population; lengths are written to the mm, hence 1e-6
check: [ "$(q out.gpkg "with s as (select *, aadt * 365 * n_years * length_m / 1e9 as e from segments), p as (select population as pp, sum(n_obs) / sum(e) as ra from s where e > 0 group by 1) select count(*) || ':' || sum(abs(crit_rate_per_mvkm - (ra + 1.645 * sqrt(ra / e) + 1 / (2 * e))) < 1e-6) from s join p on s.population = p.pp where e > 0")" = "$(q out.gpkg "select count(*) || ':' || count(*) from segments")" ]
# the whole layer as one population would give other critical rates
check: [ "$(q out.gpkg "with s as (select *, aadt * 365 * n_years * length_m / 1e9 as e from segments), p as (select sum(n_obs) / sum(e) as ra from s where e > 0) select sum(abs(crit_rate_per_mvkm - (ra + 1.645 * sqrt(ra / e) + 1 / (2 * e))) < 1e-6) from s, p where e > 0")" = 0 ]
# method of moments: N + (mean / var)(mean - N) - mean, with the population's mean and sample variance
check: [ "$(q out.gpkg "with p as (select population as pp, avg(freq_per_yr) as m, (sum(freq_per_yr * freq_per_yr) - count(*) * avg(freq_per_yr) * avg(freq_per_yr)) / (count(*) - 1) as v from segments group by 1) select count(*) || ':' || sum(abs(mom_excess_per_yr - (freq_per_yr + m / v * (m - freq_per_yr) - m)) < 1e-9) from segments join p on population = pp")" = "$(q out.gpkg "select count(*) || ':' || count(*) from segments")" ]
# a section never straddles two populations; windows carry one too
check: [ "$(q out.gpkg "select count(*) from sections x where population != (select population from segments where segment_id = x.first_segment) or population != (select population from segments where segment_id = x.last_segment)")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from windows where population is null")" = 0 ] && [ "$(q out.gpkg "select count(distinct population) from windows")" = 2 ]
check: grep -q '"populations":	\["rural", "urban"\]' out.summary.json
# with sections, peak searching runs on them: every peak lies inside one section
check: [ "$(q out.gpkg "select count(*) from hotspots h where rule = 'peak_search' and not exists (select 1 from sections x where x.route_id = h.route_id and x.from_m <= h.from_m + 1e-6 and h.to_m <= x.to_m + 1e-6)")" = 0 ] && [ "$(q out.gpkg "select count(*) from hotspots where rule = 'peak_search'")" -gt 0 ]

#> a reference population field that is not there
run: printf '{ "screen": { "population_by": "road, nope" } }' > p.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config p.json
? 1
err: no field 'nope' (screen.population_by)
absent: out.gpkg

#> more section fields than sections_by takes
run: printf '{ "screen": { "sections_by": "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q" } }' > s.json
$ screen --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --config s.json
? 1
err: screen.sections_by: at most 16 fields
absent: out.gpkg

#> screen --spf hsm: each segment screened with the HSM model for its kind of road (area, lanes, divided), the rest on the fallback, counted
run: python3 $ROOT/tests/tools/mixed_roads.py . && printf '%s\n' '{ "roads": { "id": "seg_id", "route": "road", "aadt": "aadt", "lanes": "lanes", "area": "area", "divided": "divided", "speed_limit": "speed" },' '  "screen": { "spf_fields": "driveways_major_commercial=dw_mc, lane_width_m=lane_w, lit=lit" },' '  "crashes": { "x": "x", "y": "y", "crs": "EPSG:32642", "id": "id", "date": "date", "date_format": "%Y-%m-%d", "severity": "severity" },' '  "study": { "from_year": 2020, "to_year": 2022 } }' > p.json
$ screen --config p.json --roads roads.geojson --crashes crashes.csv --spf hsm -o s.gpkg
err: warning [spf_conditions]: the SPF set 'hsm' has no member for some segments, which fell back to 'hsm_rural_2lane'
# R2 rural two-lane, R4U and R4D rural four-lane undivided and divided, RU urban 4U, U2 urban 2U, U5 urban 5T,
# U6 urban six-lane divided (no member: the fallback); the three urban ones took defaults (driveway types not mapped)
check: python3 -c "import json, sys; s = json.load(open('s.summary.json'))['screening']; sys.exit(not (s['spf'] == 'hsm' and s['spf_segments'] == {'hsm_rural_2lane': 2, 'hsm_rural_4u': 1, 'hsm_rural_4d': 1, 'hsm_urban_2u': 1, 'hsm_urban_3t': 0, 'hsm_urban_4u': 1, 'hsm_urban_4d': 0, 'hsm_urban_5t': 1} and s['spf_fallback_segments'] == 1 and s['spf_fallback'] == 'hsm_rural_2lane' and s['spf_defaults_segments'] == 3 and s['cmf_segments']['hsm_rural_2lane']['lane_width'] == {'given': 1, 'base': 1} and s['cmf_segments']['hsm_rural_2lane']['grade'] == {'given': 0, 'base': 2} and s['cmf_segments']['hsm_rural_4u']['lighting'] == {'given': 0, 'base': 1}))"
check: [ "$(q s.gpkg "select group_concat(segment_id || ':' || spf, ',') from (select * from segments order by segment_id)")" = "R2-1:hsm_rural_2lane,R4D-1:hsm_rural_4d,R4U-1:hsm_rural_4u,RU-1:hsm_urban_4u,U2-1:hsm_urban_2u,U5-1:hsm_urban_5t,U6-1:hsm_rural_2lane" ]
# the segments layer's spf_cmf: the product of the CMFs each segment's attributes give (1 at base conditions)
check: [ "$(q s.gpkg "select group_concat(segment_id || ':' || round(spf_cmf, 7), ',') from (select * from segments where segment_id in ('R2-1', 'R4U-1') order by segment_id)")" = "R2-1:1.080244,R4U-1:1.0" ]
# each segment's prediction and EB estimate by hand (L = 3,000 m in miles; 3 study years, one AADT):
# Ch. 10 eq. 10-6 AADT x L x 365e-6 x e^-0.312, k = 0.236 / L, R2 with its CMFs for a 3.0 m lane (9.84 ft, a 10-ft lane
# to the foot; at AADT over 2,000: (1.30 - 1) x 0.574 + 1 = 1.1722) and lighting (1 - (1 - 0.72 x 0.382 - 0.83 x 0.618) x 0.370); Ch. 11 eq. 11-7 exp(a + b ln AADT + ln L), k = 1 / exp(c + ln L)
# (4U a -9.653 b 1.176 c 1.675; 4D a -9.025 b 1.049 c 1.549); EB w = 1 / (1 + k x 3 N), w N + (1 - w) n_obs / 3
# Ch. 12: N = (MV + SV + DW)(1 + f_ped + f_bike), MV and SV exp(a + b ln AADT + ln L) (Tables 12-3, 12-5),
# DW = n x N_j x (AADT / 15,000)^t (Table 12-7), f by speed up to 30 mph (48.28 km/h) or over (Tables 12-8, 12-9; not
# known: over), k = sum k_i mu_i^2 / (MV + SV + DW)^2
check: python3 -c "import math, sqlite3, sys; L = 3000 / 1609.344; eb = lambda N, k, o: (lambda w: w * N + (1 - w) * o / 3)(1 / (1 + k * 3 * N)); r2 = lambda a: a * L * 365e-6 * math.exp(-0.312); m = lambda a, b, c, A: math.exp(a + b * math.log(A) + math.log(L)); u = lambda A, mv, sv, dw, f: (lambda p: (sum(p) * (1 + f), sum(k * x * x for k, x in zip((mv[2], sv[2], dw[2]), p)) / sum(p) ** 2))((m(mv[0], mv[1], 0, A), m(sv[0], sv[1], 0, A), dw[0] * (A / 15000) ** dw[1])); want = {'R2-1': (r2(6000) * 1.1722 * (1 - (1 - 0.72 * 0.382 - 0.83 * 0.618) * 0.370), 0.236 / L), 'R4U-1': (m(-9.653, 1.176, 0, 15000), 1 / math.exp(1.675 + math.log(L))), 'R4D-1': (m(-9.025, 1.049, 0, 30000), 1 / math.exp(1.549 + math.log(L))), 'RU-1': u(20000, (-11.63, 1.33, 1.01), (-7.99, 0.81, 0.91), (0, 1.172, 0.81), 0.009 + 0.002), 'U2-1': u(9000, (-15.22, 1.68, 0.84), (-5.47, 0.56, 0.81), (3 * 0.158, 1.0, 0.81), 0.036 + 0.018), 'U5-1': u(25000, (-9.70, 1.17, 0.81), (-4.82, 0.54, 0.52), (0, 1.172, 0.10), 0.023 + 0.012), 'U6-1': (r2(40000), 0.236 / L)}; rows = sqlite3.connect('s.gpkg').execute('select segment_id, pred_per_yr, eb_per_yr, n_obs from segments').fetchall(); sys.exit(not (len(rows) == 7 and all(abs(p - want[s][0]) < 1e-9 * want[s][0] and abs(e - eb(want[s][0], want[s][1], o)) < 1e-9 for s, p, e, o in rows)))"
# a window takes its segment's model: every 300 m window on R4U predicts exp(a + b ln 15,000 + ln(0.3 km in miles)), on U2 the 2U sum
# with its share of the segment's three driveways (300 m of 3,000)
check: python3 -c "import math, sqlite3, sys; p = math.exp(-9.653 + 1.176 * math.log(15000) + math.log(300 / 1609.344)); rows = sqlite3.connect('s.gpkg').execute(\"select pred_per_yr, length_m from windows where route_id = 'R4U'\").fetchall(); sys.exit(not (rows and all(abs(l - 300) < 1e-6 and abs(v - p) < 1e-9 for v, l in rows)))"
check: python3 -c "import math, sqlite3, sys; L = 300 / 1609.344; p = (math.exp(-15.22 + 1.68 * math.log(9000)) * L + math.exp(-5.47 + 0.56 * math.log(9000)) * L + 3 * 0.158 * 9000 / 15000 * 300 / 3000) * 1.054; rows = sqlite3.connect('s.gpkg').execute(\"select pred_per_yr from windows where route_id = 'U2'\").fetchall(); sys.exit(not (rows and all(abs(v - p) < 1e-9 for v, in rows)))"
# a variable rumble reads itself, or one named twice, is refused
check: printf '{ "screen": { "spf_fields": "speed_limit_kmh=speed" } }' > dup.json && "$RUMBLE" screen --config p.json --config dup.json --roads roads.geojson --crashes crashes.csv --spf hsm -o dup.gpkg -q 2> e7; [ $? = 2 ] && grep -q "screen.spf_fields: 'speed_limit_kmh' is given twice, and rumble reads it itself" e7 && [ ! -e dup.gpkg ]
# a plan from that screening types its segments again from their roads
check: "$RUMBLE" plan --screen s.gpkg -o p.gpkg -q && [ "$(q p.gpkg 'select count(*) from plan')" -ge 0 ]

#> screen --spf hsm on the demo: its villages take the urban 2U model; a plan from the saved screening keeps each site's EB
run: mkdir -p d && "$GEN_DEMO" d
$ run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm --budget 2000000 -o r.gpkg -q
check: python3 -c "import json, sys; s = json.load(open('r.summary.json'))['screening']['spf_segments']; sys.exit(not (s['hsm_urban_2u'] > 0 and s['hsm_rural_2lane'] > 0))"
# rumble plan --screen reads the k each segment's model had back from its EB weight (an urban model's k varies
# with its components' mix): every site's expected crashes EB, as the one-process run has them
check: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm -o s.gpkg -q && "$RUMBLE" plan --config $DATA/demo/project.json --screen s.gpkg --budget 2000000 -o p.gpkg -q && python3 -c "import sqlite3, sys; q = 'select site, from_m, expected_per_yr, expected_is_eb from plan'; a = dict(((s, round(f)), (e, b)) for s, f, e, b in sqlite3.connect('r.gpkg').execute(q)); b = dict(((s, round(f)), (e, b)) for s, f, e, b in sqlite3.connect('p.gpkg').execute(q)); sys.exit(not (a and a.keys() == b.keys() and all(a[k][1] == 1 and b[k][1] == 1 and abs(a[k][0] - b[k][0]) < 1e-5 * a[k][0] for k in a)))"
# and the village segments' windows in the plan's sites are among them
check: [ "$(q s.gpkg "select count(*) from segments where spf = 'hsm_urban_2u' and eb_weight > 0 and eb_weight < 1")" -gt 0 ]

#> screen --int-spf hsm_int: each intersection screened with the HSM Chapter 10 model for its legs and control; EB at intersections
run: python3 $ROOT/tests/tools/junction_roads.py . && printf '%s\n' '{ "roads": { "id": "seg_id", "route": "road", "aadt": "aadt", "lanes": "lanes", "area": "area" },' '  "crashes": { "x": "x", "y": "y", "crs": "EPSG:32642", "id": "id", "date": "date", "date_format": "%Y-%m-%d", "severity": "severity" },' '  "study": { "from_year": 2020, "to_year": 2022 } }' > p.json
$ screen --config p.json --roads roads.geojson --crashes crashes.csv --spf hsm --int-spf hsm_int -o s.gpkg -q
# the network's nodes: a four-leg and a three-leg one, their control not known (taken as stop, counted)
check: python3 -c "import json, sys; s = json.load(open('s.summary.json'))['screening']; sys.exit(not (s['int_spf'] == 'hsm_int' and s['int_spf_intersections'] == {'hsm_rural_2lane_3st': 1, 'hsm_rural_2lane_4st': 1, 'hsm_rural_2lane_4sg': 0, 'hsm_rural_multilane_3st': 0, 'hsm_rural_multilane_4st': 0, 'hsm_rural_multilane_4sg': 0, 'hsm_urban_3st': 0, 'hsm_urban_4st': 0, 'hsm_urban_3sg': 0, 'hsm_urban_4sg': 0} and s['int_no_model'] == 0 and s['int_control_assumed_stop'] == 2 and s['int_spf_defaults'] == 0))"
# by hand (HSM eq. 10-8, 10-9): N = exp(a + b ln AADTmaj + c ln AADTmin); EB w = 1 / (1 + k x 3 N), w N + (1 - w) n_obs / 3
check: python3 -c "import math, sqlite3, sys; m = {'hsm_rural_2lane_4st': (-8.56, 0.60, 0.61, 0.24), 'hsm_rural_2lane_3st': (-9.86, 0.79, 0.49, 0.54)}; rows = sqlite3.connect('s.gpkg').execute('select spf, aadt_major, aadt_minor, n_obs, pred_per_yr, eb_per_yr, excess_per_yr from intersections').fetchall(); ok = len(rows) == 2; exec('for s, M, n, o, p, e, x in rows:\n a, b, c, k = m[s]; N = math.exp(a + b * math.log(M) + c * math.log(n)); w = 1 / (1 + k * 3 * N); ok = ok and abs(p - N) < 1e-9 and abs(e - (w * N + (1 - w) * o / 3)) < 1e-9 and abs(x - (e - N)) < 1e-9'); sys.exit(not ok)"
# ranked by their EB excess
check: [ "$(q s.gpkg "select intersection_id from intersections where rank = 1")" = "$(q s.gpkg "select intersection_id from intersections order by excess_per_yr desc limit 1")" ]
# a point layer giving legs, control and the major road's lanes: the four-leg one signalised (4SG), a five-leg one with no model and no prediction, a four-leg one on a four-lane road with Chapter 11's (Table 11-7: a -10.008, b 0.848, c 0.448)
check: printf '%s\n' '{ "roads": { "id": "seg_id", "route": "road", "aadt": "aadt" }, "crashes": { "x": "x", "y": "y", "crs": "EPSG:32642", "id": "id", "date": "date", "date_format": "%Y-%m-%d", "severity": "severity" }, "intersections": { "path": "intersections.geojson", "id": "id", "major_aadt": "major", "minor_aadt": "minor", "legs": "legs", "control": "control", "major_lanes": "major_lanes" }, "study": { "from_year": 2020, "to_year": 2022 } }' > q.json && "$RUMBLE" screen --config q.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_int -o t.gpkg -q && python3 -c "import math, sqlite3, sys; r = dict((i, (s, p)) for i, s, p in sqlite3.connect('t.gpkg').execute('select intersection_id, spf, pred_per_yr from intersections')); sys.exit(not (r['J4'][0] == 'hsm_rural_2lane_4sg' and abs(r['J4'][1] - math.exp(-5.13 + 0.60 * math.log(8000) + 0.20 * math.log(1500))) < 1e-9 and r['J3'][0] == 'hsm_rural_2lane_3st' and r['J5'] == (None, None) and r['J6'][0] == 'hsm_rural_multilane_4st' and abs(r['J6'][1] - math.exp(-10.008 + 0.848 * math.log(20000) + 0.448 * math.log(2000))) < 1e-9))"
# urban intersections (intersections.area): J7 four-leg signalised with its pedestrians (intersections.spf_fields ped_volume=peds),
# J8 three-leg stop-controlled (HSM Chapter 12): MV and SV exp(a + b ln AADTmaj + c ln AADTmin) (Tables 12-10, 12-12),
# bicycles f_bikei (MV + SV), pedestrians at a signal exp(a + b ln(maj + min) + c ln(min / maj) + d ln PedVol + e lanes),
# at a stop sign f_pedi (MV + SV); k = sum k_i (scaled mu_i)^2 / N^2. J8 gives no pedestrians: not wanted, no default counted
check: printf '%s\n' '{ "roads": { "id": "seg_id", "route": "road", "aadt": "aadt" }, "crashes": { "x": "x", "y": "y", "crs": "EPSG:32642", "id": "id", "date": "date", "date_format": "%Y-%m-%d", "severity": "severity" }, "intersections": { "path": "intersections.geojson", "id": "id", "major_aadt": "major", "minor_aadt": "minor", "legs": "legs", "control": "control", "major_lanes": "major_lanes", "area": "area", "spf_fields": "ped_volume=peds" }, "study": { "from_year": 2020, "to_year": 2022 } }' > u.json && "$RUMBLE" screen --config u.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_int -o u.gpkg -q && python3 -c "import math, sqlite3, sys; L = math.log; r = dict((i, (s, p, e, o)) for i, s, p, e, o in sqlite3.connect('u.gpkg').execute('select intersection_id, spf, pred_per_yr, eb_per_yr, n_obs from intersections')); eb = lambda N, k, o: (lambda w: w * N + (1 - w) * o / 3)(1 / (1 + k * 3 * N)); mv = math.exp(-10.99 + 1.07 * L(15000) + 0.23 * L(3000)); sv = math.exp(-10.21 + 0.68 * L(15000) + 0.27 * L(3000)); ped = math.exp(-9.53 + 0.40 * L(18000) + 0.26 * L(3000 / 15000) + 0.45 * L(1500) + 0.04 * 4); n7 = (mv + sv) * 1.015 + ped; k7 = (0.39 * (mv * 1.015) ** 2 + 0.36 * (sv * 1.015) ** 2 + 0.24 * ped ** 2) / n7 ** 2; m8 = math.exp(-13.36 + 1.11 * L(12000) + 0.41 * L(1000)); s8 = math.exp(-6.81 + 0.16 * L(12000) + 0.51 * L(1000)); n8 = (m8 + s8) * (1 + 0.021 + 0.016); k8 = (0.80 * m8 ** 2 + 1.14 * s8 ** 2) / (m8 + s8) ** 2; sys.exit(not (r['J7'][0] == 'hsm_urban_4sg' and abs(r['J7'][1] - n7) < 1e-9 and abs(r['J7'][2] - eb(n7, k7, r['J7'][3])) < 1e-9 and r['J8'][0] == 'hsm_urban_3st' and abs(r['J8'][1] - n8) < 1e-9 and abs(r['J8'][2] - eb(n8, k8, r['J8'][3])) < 1e-9 and r['J4'][0] == 'hsm_rural_2lane_4sg'))" && python3 -c "import json, sys; s = json.load(open('u.summary.json'))['screening']; sys.exit(not (s['int_spf_intersections']['hsm_urban_4sg'] == 1 and s['int_spf_intersections']['hsm_urban_3st'] == 1 and s['int_spf_defaults'] == 0))"
# without the pedestrian field, J7 takes 700 a day (the HSM's medium level) and is counted
check: sed 's/, "spf_fields": "ped_volume=peds"//' u.json > v.json && "$RUMBLE" screen --config v.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_int -o v.gpkg -q && python3 -c "import json, sys; s = json.load(open('v.summary.json'))['screening']; sys.exit(not s['int_spf_defaults'] == 1)"
# a field that is not there, and fields for network nodes (which have none)
check: sed 's/ped_volume=peds/ped_volume=nope/' u.json > w.json && "$RUMBLE" screen --config w.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_int -o w.gpkg -q 2> e3; [ $? != 0 ] && grep -q "no field 'nope' (intersections.spf_fields, for ped_volume)" e3
check: printf '{ "intersections": { "spf_fields": "ped_volume=peds" } }' > n.json && "$RUMBLE" screen --config p.json --config n.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_int -o n.gpkg -q 2> e4; [ $? != 0 ] && grep -q "intersections.spf_fields: the intersections have no fields" e4
# a segment SPF is not an intersection model, nor the other way round
check: "$RUMBLE" screen --config p.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_rural_2lane -o no.gpkg -q 2> e1; [ $? != 0 ] && grep -q "'hsm_rural_2lane' is not an intersection SPF" e1
check: "$RUMBLE" screen --config p.json --roads roads.geojson --crashes crashes.csv --spf hsm_int -o no.gpkg -q 2> e2; [ $? != 0 ] && grep -q "'hsm_int' is a set of segment SPFs without a fallback\|'hsm_int' is not a segment SPF" e2
# an intersection model that is not there is refused before anything is read, the models there listed
check: "$RUMBLE" screen --config p.json --roads roads.geojson --crashes crashes.csv --int-spf hsm_nope -o no.gpkg -q 2> e5; [ $? = 2 ] && grep -q "screen.int_spf: no SPF 'hsm_nope'" e5 && grep -q "hsm_urban_4sg" e5 && [ ! -e no.gpkg ]
