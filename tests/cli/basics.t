# The command line itself: help, version, usage errors and exit codes.

#> version
$ --version
out: rumble 0.1.0

#> help lists commands and exit codes
$ --help
out: match
out: Exit codes:
out: --strict was given

#> match help shows options with their config keys and examples
$ match --help
out: --tolerance M
out: [match.tolerance_m]
out: rumble match --config data/demo/project.json --roads build/demo/roads.gpkg

#> unknown command
$ frobnicate
? 2
err: rumble: 'frobnicate' is not a rumble command

#> unknown option
$ match --roads x --bogus
? 2
err: unknown option '--bogus'

#> missing required options
$ match --roads $BAD/roads.geojson
? 2
err: needs --roads, --crashes and -o OUT

#> option without its value
$ match --tolerance
? 2
err: option '--tolerance' needs M

#> non-numeric tolerance
$ match --roads $BAD/roads.geojson --crashes $BAD/good.csv --tolerance far -o out.gpkg
? 2
err: 'match.tolerance_m' wants a number, not 'far'
absent: out.gpkg

#> the happy path on the small fixture, with --option=value
$ match --roads $BAD/roads.geojson --road-id seg --aadt-field aadt --crashes $BAD/good.csv --severity-field severity --date-field=date -o out.gpkg --csv
out: crashes: 3 from 3 records; matched 3
out: wrote out.gpkg
err: assuming EPSG:4326
check: [ "$(q out.gpkg 'select count(*) from crashes')" = 3 ]
check: [ "$(q out.gpkg "select severity from crashes where crash_id = '1'")" = K ]
check: [ "$(q out.gpkg "select segment_id from crashes where crash_id = '2'")" = A2 ]
check: [ "$(q out.gpkg "select count(*) from segments where segment_id = 'A1' and n_obs = 2 and n_k = 1")" = 1 ]
check: [ -s out_crashes.csv ] && [ -s out_segments.csv ] && [ -s out.summary.json ]
check: grep -q '"matched":	3' out.summary.json
# the output CRS is the roads' (CRS84 / EPSG:4326): the crash keeps its lon/lat
check: [ "$(q out.gpkg "select round(ST_X(geom), 6) from crashes where crash_id = '1'")" = 76.92 ]

#> quiet prints nothing
$ match -q --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
check: [ ! -s .stdout ] && [ ! -s .stderr ]

#> output format from the extension
$ match -q --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.geojson
check: [ -s out_crashes.geojson ] && [ -s out_segments.geojson ]

#> unknown output format
$ match --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.xyz
? 2
err: cannot tell the output format of 'out.xyz'
absent: out.xyz

#> the same input gives byte-identical outputs
run: "$RUMBLE" match -q --no-timings --roads "$BAD/roads.geojson" --crashes "$BAD/good.csv" -o a.gpkg --csv
$ match -q --no-timings --roads $BAD/roads.geojson --crashes $BAD/good.csv -o b.gpkg --csv
check: cmp -s a.gpkg b.gpkg && cmp -s a_crashes.csv b_crashes.csv && cmp -s a_segments.csv b_segments.csv
check: sed 's/"a\./"b./g; s/"a_/"b_/g' a.summary.json | cmp -s - b.summary.json

#> --config=FILE works like --config FILE, and a flag overrides it
run: printf '{ "match": { "tolerance_m": 1 } }' > c.json
$ match --config=c.json --tolerance 30 --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --no-timings
check: grep -q '"tolerance_m":	30' out.summary.json

#> a config file's value applies when no flag overrides it
run: printf '{ "match": { "tolerance_m": 1 } }' > c.json
$ match -c c.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
? 5
out: unmatched 3
err: error [no_match]: none of the 3 crashes lies within 1 m of a road (beyond_tolerance 3)

#> small GeoPackage layers get a spatial index; --spatial-index no leaves it out
$ match -q --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
check: [ "$(q out.gpkg "select count(*) from sqlite_master where sql like 'CREATE VIRTUAL TABLE%rtree%'")" = 2 ]

#> --spatial-index no
$ match -q --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --spatial-index no
check: [ "$(q out.gpkg "select count(*) from sqlite_master where sql like 'CREATE VIRTUAL TABLE%rtree%'")" = 0 ]

#> --spatial-index takes auto, yes or no
$ match -q --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --spatial-index maybe
? 2
err: --spatial-index wants auto, yes or no

#> EPDO weights from the command line
$ match -q --roads $BAD/roads.geojson --road-id seg --crashes $BAD/good.csv --severity-field severity --epdo-weights K=100,A=10 -o out.gpkg
# segment A1 holds crash 1 (fatal) and crash 3 (slight = B, default weight 79000/7400)
check: [ "$(q out.gpkg "select round(epdo, 6) from segments where segment_id = 'A1'")" = "$(q out.gpkg "select round(100 + 79000.0 / 7400, 6)")" ]
check: grep -q '"K":	100' out.summary.json

#> a crash table in XLSX
run: ogr2ogr -f XLSX police.xlsx "$BAD/good.csv" -nln police
$ match --roads $BAD/roads.geojson --crashes police.xlsx --x-field lon --y-field lat --severity-field severity -o out.gpkg
out: crashes: 3 from 3 records; matched 3
check: [ "$(q out.gpkg "select severity from crashes where crash_id = '1'")" = K ]

#> a crash table in ODS
run: ogr2ogr -f ODS police.ods "$BAD/good.csv" -nln police
$ match --roads $BAD/roads.geojson --crashes police.ods --x-field lon --y-field lat -o out.gpkg
out: crashes: 3 from 3 records; matched 3

#> progress into a log (stderr not a terminal): a plain line as each stage begins, the layers written among them, counters to the whole (RUMBLE_PROGRESS_AFTER_S=0: a short run's lines too)
run: mkdir -p d && "$GEN_DEMO" d
$ --version
check: RUMBLE_PROGRESS_AFTER_S=0 "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 -o out.gpkg 2> log >/dev/null
check: for l in 'rumble run: reading crashes' 'rumble run: matching 100% (746/746)' 'rumble run: screening segments and windows at' 'rumble run: finding hotspots at' 'rumble run: planning at' 'rumble run: writing crashes 100% (746/746)' 'rumble run: writing work_points'; do grep -qF "$l" log || { echo "no '$l'"; exit 1; }; done
check: ! grep -q $'\r' log && ! grep -q $'\033' log

#> progress: none in a log for a run shorter than three seconds (a short run's log holds only what matters)
run: mkdir -p d && "$GEN_DEMO" d
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.gpkg
noerr: rumble match: matching
