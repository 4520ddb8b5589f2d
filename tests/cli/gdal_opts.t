# The options GDAL users know: -f, -lco, -dsco, -oo, -t_srs, -where (one dash,
# or two), on the demo data; each checked against GDAL/SQLite reading the result.

#> gdal options: -f picks the driver whatever the extension; -lco reaches the layers; -t_srs reprojects every output
run: mkdir -p d && "$GEN_DEMO" d
$ screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.dat -f GPKG -lco GEOMETRY_NAME=geometry -t_srs EPSG:4326 -q
check: ogrinfo -ro -so out.dat crashes 2>/dev/null | grep -q 'Geometry Column = geometry'
check: ogrinfo -ro -so out.dat segments 2>/dev/null | grep -q 'ID\["EPSG",4326\]'
# the demo road lies at 75-77 E, 43-45 N: lon/lat now, not UTM metres
check: [ "$(q out.dat 'select min(ST_X(geometry)) > 70 and max(ST_X(geometry)) < 80 and min(ST_Y(geometry)) > 40 and max(ST_Y(geometry)) < 50 from crashes')" = 1 ]
# the styles follow the geometry column's name
check: [ "$(q out.dat "select count(*) from layer_styles where f_geometry_column = 'geometry'")" = "$(q out.dat "select count(*) from layer_styles")" ]

#> gdal options: -where keeps the crash rows its filter keeps (crashes counted by SQLite on the CSV itself)
run: mkdir -p d && "$GEN_DEMO" d
$ match --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o out.gpkg --where "crash_type = 'опрокидывание'" -q
check: [ "$(q out.gpkg 'select count(*) from crashes')" = "$(q d/crashes.csv "select count(distinct crash_id) from crashes where crash_type = 'опрокидывание'")" ]
check: [ "$(q out.gpkg "select count(*) from crashes where crash_type <> 'rollover'")" = 0 ]

#> gdal options: -oo reaches the inputs (a CSV without its header row read with HEADERS=NO)
run: mkdir -p d && "$GEN_DEMO" d && tail -n +2 d/crashes.csv > nh.csv
$ match --roads d/roads.gpkg --crashes nh.csv -oo HEADERS=NO --x-field field_4 --y-field field_5 -o out.gpkg -q
check: [ "$(q out.gpkg 'select count(*) from crashes')" = "$(wc -l < nh.csv)" ]

#> gdal options: wrong ones are named and nothing is written
run: mkdir -p d && "$GEN_DEMO" d
$ match --roads d/roads.gpkg --crashes d/crashes.csv -o out.gpkg -where "no_such_field = 1"
? 2
err: -where 'no_such_field = 1' is not a filter on its fields
absent: out.gpkg
check: "$RUMBLE" match --roads d/roads.gpkg --crashes d/crashes.csv -o o2.gpkg -lco FOO 2> e2; [ $? = 2 ] && grep -q 'lco needs NAME=VALUE' e2 && [ ! -e o2.gpkg ]
check: "$RUMBLE" match --roads d/roads.gpkg --crashes d/crashes.csv -o o3.gpkg -f PDF 2> e3; [ $? = 2 ] && grep -q 'rumble writes GPKG' e3 && [ ! -e o3.gpkg ]
check: "$RUMBLE" match --roads d/roads.gpkg --crashes d/crashes.csv -o o4.gpkg -t_srs EPSG:999999 2> e4; [ $? = 2 ] && [ ! -e o4.gpkg ]
