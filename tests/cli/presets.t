# Crash schema presets (data/presets): --preset NAME and a config's "preset"
# key, read before the config, which extends them; flags override both.
# Expected values come from awk on the source CSV, not from rumble.

#> Leeds from the stats19 preset: only the file's own field names on the command line, no map
$ match --preset stats19 --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --x-field "Grid Ref: Easting" --y-field "Grid Ref: Northing" --id-field "Reference Number" --group-by "Reference Number" --date-field "Accident Date" --time-field "Time (24hr)" --severity-field "Casualty Severity" --light-field "Lighting Conditions" --surface-field "Road Surface" --weather-field "Weather Conditions" -o out.gpkg -q
# the preset's CRS (EPSG:27700) and date format (dd/mm/yyyy): about half matched, every date read
check: m=$(q out.gpkg "select count(*) from crashes where match_status = 'matched'"); [ "$m" -ge 600 ] && [ "$m" -le 750 ]
check: [ "$(q out.gpkg "select count(*) from crashes where crash_date is null or crash_date not like '2019-%'")" = 0 ]
# STATS19 severity 1 fatal -> K (16th column), 2 serious -> A (worst of the crash's casualties), 3 slight -> C
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'K'")" = "$(awk -F, 'NR > 1 && $16 == 1 { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'A'")" = "$(awk -F, 'NR > 1 { if (!($1 in w) || $16 < w[$1]) w[$1] = $16 } END { for (k in w) if (w[k] == 2) n++; print n }' "$SHARED/leeds/casualties_2019.csv")" ]
check: [ "$(q out.gpkg "select count(*) from crashes where severity not in ('K', 'A', 'C')")" = 0 ]
# light 4-7 (darkness, lit or not) -> dark (10th column); surface 2 wet or damp and 5 flood -> wet (9th)
check: [ "$(q out.gpkg "select count(*) from crashes where light = 'dark'")" = "$(awk -F, 'NR > 1 && $10 >= 4 && $10 <= 7 { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
check: [ "$(q out.gpkg "select count(*) from crashes where surface = 'wet'")" = "$(awk -F, 'NR > 1 && ($9 == 2 || $9 == 5) { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]
# the surface 9 (unknown) of two rows is the preset's unknown, not an unmapped value
check: [ "$(q out.gpkg "select count(*) from crashes where surface = 'unknown'")" = "$(awk -F, 'NR > 1 && $9 == 9 { print $1 }' "$SHARED/leeds/casualties_2019.csv" | sort -u | wc -l)" ]

#> a flag's map entry overrides the preset's: slight as B
$ match --preset stats19 --severity-map 3=B --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv --x-field "Grid Ref: Easting" --y-field "Grid Ref: Northing" --id-field "Reference Number" --group-by "Reference Number" --date-field "Accident Date" --time-field "Time (24hr)" --severity-field "Casualty Severity" --light-field "Lighting Conditions" --surface-field "Road Surface" --weather-field "Weather Conditions" -o out.gpkg -q
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'C'")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'B'")" = "$(awk -F, 'NR > 1 { if (!($1 in w) || $16 < w[$1]) w[$1] = $16 } END { for (k in w) if (w[k] == 3) n++; print n }' "$SHARED/leeds/casualties_2019.csv")" ]

#> a preset's field the file lacks is an error naming the key, the field and the fields there are
$ match --preset stats19 --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o out.gpkg
? 1
err: no field 'collision_index' (crashes.id); fields are: Reference Number
absent: out.gpkg

#> an unknown preset exits 2 listing the presets, before anything is read
$ match --preset stat19 --roads nowhere.gpkg --crashes nowhere.csv -o out.gpkg
? 2
err: unknown preset 'stat19'; the presets are iowa, kz_police, mmucc, stats19
absent: out.gpkg

#> an unknown preset in a config names the config
run: printf '{ "preset": "iowa_dot" }' > project.json
$ screen -c project.json --crashes nowhere.gpkg --intersections nowhere.gpkg -o out.gpkg
? 2
err: project.json: unknown preset 'iowa_dot'

#> an agency's own preset by its path, extending a shipped one; the config over it
run: printf '{ "preset": "iowa", "crashes": { "severity": { "map": { "4": "B" } } } }' > agency.json
run: printf '{ "preset": "agency.json", "crashes": { "path": "%s" }, "intersections": { "path": "%s", "major_aadt": "major_AADT", "minor_aadt": "minor_AADT" } }' "$SHARED/iowa/crashes_2016_2020.gpkg" "$SHARED/iowa/intersections.gpkg" > project.json
$ screen -c project.json -o out.gpkg -q
# CSEVERITY 4 is the agency's B; 1-3 and 5 stay iowa's K, A, B, O (counted in the source)
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'B'")" = "$(q "$SHARED/iowa/crashes_2016_2020.gpkg" "select count(*) from crashes where CSEVERITY in (3, 4)")" ]
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'C'")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'K'")" = "$(q "$SHARED/iowa/crashes_2016_2020.gpkg" "select count(*) from crashes where CSEVERITY = 1")" ]
# the summary says which preset the run read
check: python3 -c 'import json, sys; sys.exit(json.load(open("out.summary.json"))["inputs"]["preset"] != "agency.json")'

#> --preset on the command line replaces the config's preset
run: printf '{ "preset": "stats19", "crashes": { "path": "%s" }, "intersections": { "path": "%s" } }' "$SHARED/iowa/crashes_2016_2020.gpkg" "$SHARED/iowa/intersections.gpkg" > project.json
$ screen -c project.json --preset iowa -o out.gpkg -q
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'O'")" = "$(q "$SHARED/iowa/crashes_2016_2020.gpkg" "select count(*) from crashes where CSEVERITY = 5")" ]
