# Check before work, and no input ever overwritten (issue 15).
# Every option, path and value is checked before the first feature is read:
# the FIFO cases prove no input was opened (opening a FIFO with no writer
# blocks; `timeout` turns a hang into exit 124, not the 2 wanted).

#> a typo in a plan option on a large input: exit 2 before any reading, nothing written
run: awk 'BEGIN { print "id,lon,lat,date"; for (i = 0; i < 300000; i++) printf "%d,%.6f,%.6f,2021-01-01\n", i, 76 + i % 1000 * 1e-4, 43 + int(i / 1000) * 1e-4 }' > big.csv
$ run --roads $BAD/roads.geojson --crashes big.csv --x-field lon --y-field lat --drive-side middle -o out.gpkg
? 2
err: 'plan.drive_side' (--drive-side) is right or left, not 'middle'
absent: out.gpkg
check: [ "$(wc -l < big.csv)" = 300001 ]

#> an invalid invocation never opens its inputs (FIFOs that would block any read)
run: mkfifo roads.gpkg crashes.csv
$ --version
check: timeout 20 "$RUMBLE" run --roads roads.gpkg --crashes crashes.csv --objective most -o out.gpkg 2>e1; [ $? = 2 ] && grep -q "(--objective) is npv or crashes, not 'most'" e1
check: timeout 20 "$RUMBLE" screen --roads roads.gpkg --crashes crashes.csv --confidence 0.5 -o out.gpkg 2>e2; [ $? = 2 ] && grep -q "(--confidence) is 0.85, 0.90, 0.95, 0.99 or 0.995, not '0.5'" e2
check: timeout 20 "$RUMBLE" match --roads roads.gpkg --crashes crashes.csv -o nodir/out.gpkg 2>e3; [ $? = 2 ] && grep -q "the directory 'nodir' does not exist" e3
check: timeout 20 "$RUMBLE" match --roads roads.gpkg --crashes crashes.csv -o out.xlsx 2>e4; [ $? = 2 ] && grep -q "cannot tell the output format of 'out.xlsx'" e4
check: timeout 20 "$RUMBLE" match --roads roads.gpkg --crashes crashes.csv --from-year 2024 --to-year 2020 -o out.gpkg 2>e5; [ $? = 2 ] && grep -q "from_year 2024 is after to_year 2020" e5
check: timeout 20 "$RUMBLE" screen --roads roads.gpkg --crashes crashes.csv --spf hsm_urban -o out.gpkg 2>e6; [ $? = 2 ] && grep -q "the SPFs are: hsm, hsm_int, hsm_rural_2lane, " e6
check: timeout 20 "$RUMBLE" run --roads roads.gpkg --crashes crashes.csv --catalogue nope.json -o out.gpkg 2>e7; [ $? = 2 ] && grep -q "cannot read 'nope.json'" e7
check: timeout 20 "$RUMBLE" match --roads roads.gpkg --crashes crashes.csv --rank-by worst -o out.gpkg 2>e8; [ $? = 2 ] && grep -q "cannot rank by 'worst'" e8
check: timeout 20 "$RUMBLE" match --roads roads.gpkg --crashes crashes.csv -o roads.gpkg 2>e9; [ $? = 2 ] && grep -q "is the input" e9

#> the summary is OUT.summary.json: a config kept beside the output is never touched
run: printf '{ "match": { "tolerance_m": 30 } }' > project.json && cp project.json keep.json
$ match -c project.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o project.gpkg
out: project.summary.json
check: cmp -s project.json keep.json && [ -s project.summary.json ] && [ -s project.gpkg ]

#> --summary onto the config: exit 2 naming both, the config untouched
run: printf '{ "match": { "tolerance_m": 30 } }' > c.json && cp c.json keep.json
$ match -c c.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --summary c.json
? 2
err: the output 'c.json' is the input 'c.json'
check: cmp -s c.json keep.json
absent: out.gpkg

#> the output is the road network: exit 2, the roads untouched
run: cp $ROOT/tests/bad/roads.geojson r.geojson && cp r.geojson keep.geojson && "$RUMBLE" match -q --roads r.geojson --crashes $BAD/good.csv -o r.gpkg && cp r.gpkg r0.gpkg
$ match --roads r.gpkg --roads-layer segments --crashes $BAD/good.csv -o r.gpkg
? 2
err: the output 'r.gpkg' is the input 'r.gpkg'
check: cmp -s r.gpkg r0.gpkg

#> the same file through a symlink, ./ and ../ spellings, and a hard link
run: cp $ROOT/tests/bad/roads.geojson r.geojson && "$RUMBLE" match -q --roads r.geojson --crashes $BAD/good.csv -o r.gpkg && cp r.gpkg r0.gpkg && ln -s r.gpkg link.gpkg && mkdir -p sub && ln r.gpkg hard.gpkg
$ --version
check: "$RUMBLE" match --roads r.gpkg --roads-layer segments --crashes $BAD/good.csv -o link.gpkg 2>e; [ $? = 2 ] && grep -q "is the input" e
check: "$RUMBLE" match --roads ./r.gpkg --roads-layer segments --crashes $BAD/good.csv -o r.gpkg 2>e; [ $? = 2 ] && grep -q "is the input './r.gpkg'" e
check: "$RUMBLE" match --roads r.gpkg --roads-layer segments --crashes $BAD/good.csv -o sub/../r.gpkg 2>e; [ $? = 2 ] && grep -q "is the input" e
check: "$RUMBLE" match --roads r.gpkg --roads-layer segments --crashes $BAD/good.csv -o hard.gpkg 2>e; [ $? = 2 ] && grep -q "is the input" e
check: cmp -s r.gpkg r0.gpkg

#> crashes named after their layer: -o crashes.csv would write crashes.csv over the input
run: cp $ROOT/tests/bad/good.csv crashes.csv && cp crashes.csv keep.csv
$ match --roads $BAD/roads.geojson --crashes crashes.csv -o crashes.csv
? 2
err: the output 'crashes.csv' is the input 'crashes.csv'
check: cmp -s crashes.csv keep.csv

#> a CSV output named otherwise writes one file per layer and leaves its namesake alone
run: cp $ROOT/tests/bad/good.csv c.csv && cp c.csv keep.csv
$ match -q --roads $BAD/roads.geojson --crashes c.csv -o c.csv
check: cmp -s c.csv keep.csv && [ -s c_crashes.csv ] && [ -s c_segments.csv ]

#> a shapefile's sibling: the output would write the input's .dbf
run: ogr2ogr -f "ESRI Shapefile" segments.shp $ROOT/tests/bad/roads.geojson && cp segments.dbf keep.dbf
$ match --roads segments.shp --crashes $BAD/good.csv -o segments.dbf -f "ESRI Shapefile"
? 2
err: is the input
check: cmp -s segments.dbf keep.dbf

#> plan onto its own screening: exit 2, the screening untouched
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" screen -q --config $ROOT/data/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o s.gpkg && cp s.gpkg s0.gpkg
$ plan --config $ROOT/data/demo/project.json --screen s.gpkg -o s.gpkg
? 2
err: the output 's.gpkg' is the input 's.gpkg'
check: cmp -s s.gpkg s0.gpkg

#> two outputs that are the same file
$ match --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg --summary ./out.gpkg
? 2
err: two outputs are the same file
absent: out.gpkg

#> the config file's values are checked against the same table as the flags
run: printf '{ "plan": { "objective": "most" } }' > p.json
$ run -c p.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
? 2
err: p.json: 'plan.objective' (--objective) is npv or crashes, not 'most'
absent: out.gpkg

#> the grade level field has a key of its own: --layer-field no longer sets the roads' source layer
$ match -q --roads $BAD/roads.geojson --crashes $BAD/good.csv --layer-field seg -o out.gpkg
check: [ -s out.gpkg ]

#> RUMBLE_DATA_DIR set but empty: the data built in is used, for the SPF as for the vocabulary
$ --version
check: RUMBLE_DATA_DIR= "$RUMBLE" screen -q --roads $BAD/roads.geojson --crashes $BAD/good.csv --spf hsm_rural_2lane --accept measure_empty,no_severity -o out.gpkg && [ -s out.gpkg ]

#> report onto its own input, or onto the run's summary: exit 2, nothing touched
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" screen -q --config $ROOT/data/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o s.gpkg && cp s.summary.json keep.json
check: "$RUMBLE" report s.gpkg -o s.summary.json 2>e; [ $? = 2 ] && grep -q "name it .html" e
check: ln -s s.summary.json s.html && "$RUMBLE" report s.gpkg -o s.html 2>e; [ $? = 2 ] && grep -q "is the input 's.summary.json'" e && cmp -s s.summary.json keep.json
$ --version

#> fit-spf onto its sites table: exit 2, the table untouched
run: cp $SHARED/washington/segments_2016_2018.csv sites.csv && cp sites.csv keep.csv
$ fit-spf --sites sites.csv --count Total_crashes --covariates lnaadt,lnlength -o sites.json --cure sites.csv
? 2
err: the output 'sites.csv' is the input 'sites.csv'
check: cmp -s sites.csv keep.csv
absent: sites.json
