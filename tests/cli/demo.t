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
