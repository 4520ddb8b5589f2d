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
check: [ "$(q run.gpkg "select sum(selected) from plan")" = "$(sed -n 's/.*"selected":[[:space:]]*\([0-9]*\).*/\1/p' run.json | head -1)" ]
