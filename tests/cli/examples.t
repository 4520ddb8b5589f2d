# The examples in examples/: each run as its README says, from a directory laid
# out as a user's checkout is (examples/ in it, the shared data at
# ../shared/data, outputs in build/), and checked against figures taken from
# the source files by other tools (awk on the CSVs, ogrinfo's SQL on the
# sources, GEOS/SpatiaLite distances on the output). The summary JSON is not
# asserted on by name.

#> Leeds: rumble run as examples/leeds/README.md says
run: mkdir -p build ../shared && ln -sfn "$SHARED" ../shared/data && ln -sfn "$ROOT/examples" examples
$ run -c examples/leeds/project.json -o build/leeds.gpkg -q
# the command run here is the one the README gives
check: grep -qF 'rumble run -c examples/leeds/project.json -o build/leeds.gpkg' "$ROOT/examples/leeds/README.md"
# every crash once: as many as distinct references in the CSV (awk), all casualty rows grouped
check: [ "$(q build/leeds.gpkg 'select count(*) from crashes')" = "$(awk -F, 'NR > 1 { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
check: [ "$(q build/leeds.gpkg 'select sum(n_records) from crashes')" = "$(awk 'END { print NR - 1 }' "$SHARED/leeds/casualties_2019.csv")" ]
# fatal crashes: a reference with any casualty of severity 1 (the 16th column)
check: [ "$(q build/leeds.gpkg "select count(*) from crashes where severity = 'K'")" = "$(awk -F, 'NR > 1 && $16 == 1 { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
# road surface (9th column) per crash: 2 wet or damp and 5 flood are wet, 3 snow and 4 frost or ice snow_ice
check: [ "$(q build/leeds.gpkg "select count(*) from crashes where surface = 'wet'")" = "$(awk -F, 'NR > 1 && ($9 == 2 || $9 == 5) { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
check: [ "$(q build/leeds.gpkg "select count(*) from crashes where surface = 'snow_ice'")" = "$(awk -F, 'NR > 1 && ($9 == 3 || $9 == 4) { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
# the network holds main roads only: 46 % of the crashes lie within 30 m of them (673 of 1,450 when written)
check: [ "$(q build/leeds.gpkg "select sum(match_status = 'matched') * 100.0 / count(*) between 44 and 48 from crashes")" = 1 ]
check: [ "$(q build/leeds.gpkg "select count(*) from crashes where match_status = 'unmatched' and unmatched_reason != 'beyond_tolerance'")" = 0 ]
# reference populations by road class: each segment's is its CLASSIFICA, three classes as in the source
check: [ "$(q build/leeds.gpkg 'select count(*) from segments where population is not CLASSIFICA')" = 0 ]
check: [ "$(q build/leeds.gpkg 'select count(distinct population) from segments')" = "$(q "$SHARED/leeds/roads.gpkg" 'select count(distinct CLASSIFICA) from leeds_road_network_merged_nomis')" ]
# left-hand traffic: every work point stands on the left, and there are some (devices: the plan's
# checked entries; signs come with --allow-unrated; tests/test_layout.c puts signs by drive side)
check: [ "$(q build/leeds.gpkg "select count(*) > 0 and sum(side != 'left') = 0 from work_points")" = 1 ]
# the plan's chosen alternatives pay: NPV = PV benefit - PV cost, BCR > 1
check: [ "$(q build/leeds.gpkg 'select count(*) from plan where selected = 1 and (abs(npv - (pv_benefit - pv_cost)) > 0.01 * pv_cost or bcr <= 1)')" = 0 ] && [ "$(q build/leeds.gpkg 'select count(*) from plan where selected = 1')" -gt 0 ]

#> Leeds: --crashes on the command line overrides the config's path
run: mkdir -p build && head -n 501 "$SHARED/leeds/casualties_2019.csv" > part.csv
$ run -c $ROOT/examples/leeds/project.json --roads $SHARED/leeds/roads.gpkg --crashes part.csv -o build/part.gpkg -q
check: [ "$(q build/part.gpkg 'select sum(n_records) from crashes')" = 500 ]
check: [ "$(q build/part.gpkg 'select count(*) from crashes')" = "$(awk -F, 'NR > 1 { print $1 }' part.csv | sort -u | wc -l)" ]

#> Leeds: the report of the run
run: mkdir -p build ../shared && ln -sfn "$SHARED" ../shared/data && ln -sfn "$ROOT/examples" examples
run: "$RUMBLE" run -c examples/leeds/project.json -o build/leeds.gpkg -q
$ report build/leeds.gpkg -o build/leeds.html
check: grep -qF 'rumble report build/leeds.gpkg -o build/leeds.html' "$ROOT/examples/leeds/README.md"
check: [ "$(grep -o '<svg' build/leeds.html | wc -l)" -gt 0 ] && ! grep -qiw 'nan' build/leeds.html

#> Montreal: rumble screen as examples/montreal/README.md says
run: mkdir -p build ../shared && ln -sfn "$SHARED" ../shared/data && ln -sfn "$ROOT/examples" examples
$ screen -c examples/montreal/project.json -o build/montreal.gpkg -q
check: grep -qF 'rumble screen -c examples/montreal/project.json -o build/montreal.gpkg' "$ROOT/examples/montreal/README.md"
# every crash of the source (ogrinfo's feature count), all within the config's 10 m
check: [ "$(q build/montreal.gpkg 'select count(*) from crashes')" = "$(ogrinfo -ro -so "$SHARED/montreal/bike_crashes_2016.gpkg" bike_accidents | sed -n 's/^Feature Count: //p')" ]
check: [ "$(q build/montreal.gpkg "select count(*) from crashes where match_status = 'matched' and offset_m <= 10")" = 347 ]
# road classes as reference populations
check: [ "$(q build/montreal.gpkg 'select count(*) from segments where population is not ClsRte')" = 0 ]
# a crash counts at an intersection within 76.2 m, the nearest one (GEOS distances), and none is missed
check: [ "$(q build/montreal.gpkg 'select count(*) from crashes c join intersections i on i.intersection_id = c.intersection_id where ST_Distance(c.geom, i.geom) > 76.2')" = 0 ]
check: [ "$(q build/montreal.gpkg 'select count(*) from crashes c where c.intersection_id is null and exists (select 1 from intersections i where ST_Distance(c.geom, i.geom) <= 76.2)')" = 0 ]
check: [ "$(q build/montreal.gpkg 'select count(*) from (select c.geom g, ST_Distance(c.geom, i.geom) d from crashes c join intersections i on i.intersection_id = c.intersection_id) x where exists (select 1 from intersections k where abs(ST_X(k.geom) - ST_X(x.g)) < x.d and abs(ST_Y(k.geom) - ST_Y(x.g)) < x.d and ST_Distance(x.g, k.geom) < x.d - 0.001)')" = 0 ]
check: [ "$(q build/montreal.gpkg 'select sum(n_obs) from intersections')" = "$(q build/montreal.gpkg 'select count(*) from crashes where intersection_id is not null')" ]
# ranked by crashes a year: the first window has the most
check: [ "$(q build/montreal.gpkg 'select (select freq_per_yr from windows where rank = 1) = max(freq_per_yr) from windows')" = 1 ]

#> Iowa: intersections screened alone as examples/iowa/README.md says
run: mkdir -p build ../shared && ln -sfn "$SHARED" ../shared/data && ln -sfn "$ROOT/examples" examples
$ screen -c examples/iowa/project.json -o build/iowa.gpkg -q
check: grep -qF 'rumble screen -c examples/iowa/project.json -o build/iowa.gpkg' "$ROOT/examples/iowa/README.md"
check: [ "$(q build/iowa.gpkg 'select count(*) from intersections')" = "$(ogrinfo -ro -so "$SHARED/iowa/intersections.gpkg" intersections | sed -n 's/^Feature Count: //p')" ]
check: [ "$(q build/iowa.gpkg 'select count(*) from crashes')" = "$(ogrinfo -ro -so "$SHARED/iowa/crashes_2016_2020.gpkg" crashes | sed -n 's/^Feature Count: //p')" ]
# KABCO from CSEVERITY 1..5, counted in the source
check: for k in 1:K 2:A 3:B 4:C 5:O; do [ "$(q build/iowa.gpkg "select count(*) from crashes where severity = '${k#*:}'")" = "$(q "$SHARED/iowa/crashes_2016_2020.gpkg" "select count(*) from crashes where CSEVERITY = ${k%:*}")" ] || exit 1; done
# each crash counted at an intersection lies within 76.2 m of it (geodesic distance; the work is in UTM)
check: [ "$(q build/iowa.gpkg 'select count(*) from crashes c join intersections i on i.intersection_id = c.intersection_id where ST_Distance(c.geom, i.geom, 1) > 76.5')" = 0 ]
check: [ "$(q build/iowa.gpkg 'select sum(n_obs) from intersections')" = 83 ]
# its report lists the ranked intersections, best first, to rank 50 (the worst's id and crashes as SQLite
# has them), and maps every intersection: one circle each, the worst one percent in the top class
check: "$RUMBLE" report build/iowa.gpkg -o iowa.html -q && t=$(sed -n '/id="intersections-table"/,/<\/table>/p' iowa.html) && [ "$(printf '%s\n' "$t" | grep -c '^<tr>')" = "$(q build/iowa.gpkg 'select count(*) from intersections where rank <= 50')" ] && printf '%s\n' "$t" | grep -m1 '^<tr>' | grep -qF "<td class=\"n\" data-v=\"1\">1</td><td>$(q build/iowa.gpkg 'select intersection_id from intersections where rank = 1')</td>"
check: [ "$(grep -o '<circle class="ix k[1-4]"' iowa.html | wc -l)" = "$(q build/iowa.gpkg 'select count(*) from intersections where geom is not null')" ] && [ "$(grep -o '<circle class="ix k1"' iowa.html | wc -l)" = "$(q build/iowa.gpkg 'select count(*) from intersections where rank <= max(1, 0.01 * (select count(rank) from intersections))')" ]

#> Iowa: crashes checked against route and milepost as examples/iowa/README.md says
run: mkdir -p build ../shared && ln -sfn "$SHARED" ../shared/data && ln -sfn "$ROOT/examples" examples
run: sed -n 's/^ogr2ogr /ogr2ogr /p' "$ROOT/examples/iowa/README.md" > ogr.sh && sh ogr.sh
$ match -c examples/iowa/milepost.json -o build/iowa_milepost.gpkg -q
check: grep -qF 'rumble match -c examples/iowa/milepost.json -o build/iowa_milepost.gpkg' "$ROOT/examples/iowa/README.md"
check: [ "$(wc -l < ogr.sh)" = 2 ] && [ -s build/iowa_routes.gpkg ] && [ -s build/iowa_mileposts.gpkg ]
# routes of a single crash have no line: their crashes are route_unknown (counted in the source)
check: [ "$(q build/iowa_milepost.gpkg "select count(*) from crashes where lr_status = 'route_unknown'")" = "$(q "$SHARED/iowa/crashes_2016_2020.gpkg" "select count(*) from crashes where ROUTEID in (select ROUTEID from crashes group by ROUTEID having count(*) < 2)")" ]
# 94.6 % of the 9,211 checked crashes lay within 50 m of their milepost's place when written
check: [ "$(q build/iowa_milepost.gpkg 'select count(*) > 9000 and sum(lr_distance_m < 50) * 100 >= 94 * count(*) from crashes where lr_distance_m is not null')" = 1 ]
check: [ "$(q build/iowa_milepost.gpkg "select count(*) from crashes where (lr_status = 'disagree' and lr_distance_m <= 250) or (lr_status = 'ok' and lr_distance_m > 250)")" = 0 ]

#> Washington: fit-spf as examples/washington/README.md says; R's MASS::glm.nb coefficients
run: mkdir -p build ../shared && ln -sfn "$SHARED" ../shared/data
$ fit-spf --sites ../shared/data/washington/segments_2016_2018.csv --count Total_crashes --aadt AADT --length Length --length-unit mi --id wa_rural --name "Washington rural segments, 2016-2018" -o build/wa_spf.json
check: grep -qF 'rumble fit-spf --sites ../shared/data/washington/segments_2016_2018.csv --count Total_crashes --aadt AADT --length Length --length-unit mi --id wa_rural --name "Washington rural segments, 2016-2018" -o build/wa_spf.json' "$ROOT/examples/washington/README.md"
# every site-year of the table (awk), none left out
check: grep -q "on $(awk 'END { print NR - 1 }' "$SHARED/washington/segments_2016_2018.csv") sites (0 left out)" .stdout
# R 4.2.2 / MASS 7.3-58: glm.nb(Total_crashes ~ log(AADT) + log(Length)), as in tests/cli/fit_spf.t
out:   const                 -9.212501     0.450798
out:   ln_aadt                1.115947     0.053634
out:   ln_length              0.744079     0.069703
out: log-likelihood -1097.9600, AIC 2203.9201
check: grep -q '"id":	"wa_rural"' build/wa_spf.json && grep -q '"length_unit":	"mi"' build/wa_spf.json
check: [ "$(wc -l < build/wa_spf_cure.csv)" = 1502 ]
# and the HSM's SPF calibrated to the same sites as the README says, beside it: its C, and the figures it quotes
check: "$RUMBLE" calibrate --sites ../shared/data/washington/segments_2016_2018.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi --site ID --year Year --compare build/wa_spf.json -o build/hsm_wa.json > cal.txt && grep -qF 'rumble calibrate --sites ../shared/data/washington/segments_2016_2018.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi --site ID --year Year --compare build/wa_spf.json -o build/hsm_wa.json' "$ROOT/examples/washington/README.md" && grep -q 'observed 695, predicted 544.2337: C = 1.2770' cal.txt && grep -q 'lower AIC: wa_rural' cal.txt && grep -qF 'C = 1.2770' "$ROOT/examples/washington/README.md"
