# The corpus of bad inputs in tests/bad/: each gives a clear message naming the
# file, the row and the field; rows that can be kept are kept, unmatched with a
# reason; a run that cannot be trusted exits non-zero and leaves no output.

#> missing crash file
$ match --roads $BAD/roads.geojson --crashes nope.csv -o out.gpkg
? 2
err: cannot open crashes 'nope.csv': no such file
absent: out.gpkg

#> missing road file
$ match --roads nope.gpkg --crashes $BAD/good.csv -o out.gpkg
? 2
err: cannot open roads 'nope.gpkg'
absent: out.gpkg

#> a file that is not geodata
$ match --roads $BAD/broken.json --crashes $BAD/good.csv -o out.gpkg
? 1
err: cannot open roads
absent: out.gpkg

#> wrong layer name
$ match --roads $BAD/roads.geojson --roads-layer streets --crashes $BAD/good.csv -o out.gpkg
? 1
err: no layer 'streets' (layers: roads)
absent: out.gpkg

#> a mapped column that is not there
$ match --roads $BAD/roads.geojson --crashes $BAD/good.csv --x-field LONG --y-field lat -o out.gpkg
? 1
err: good.csv: no field 'LONG' (crashes.x); fields are: id, lon, lat, date, severity
absent: out.gpkg

#> a mapped road field that is not there
$ match --roads $BAD/roads.geojson --aadt-field traffic --crashes $BAD/good.csv -o out.gpkg
? 1
err: no field 'traffic' (roads.aadt)
absent: out.gpkg

#> non-numeric, NaN, infinite and missing coordinates are kept, unmatched with a reason
$ match --roads $BAD/roads.geojson --crashes $BAD/bad_coords.csv -o out.gpkg
? 5
err: error [low_match]: only 1 of 6 crashes (17%) lie within 30 m of a road (unmatched: no_coordinates 2, invalid_coordinates 3)
err: --accept low_match
check: [ "$(q out.gpkg 'select count(*) from crashes')" = 6 ]
check: [ "$(q out.gpkg "select count(*) from crashes where unmatched_reason = 'invalid_coordinates'")" = 3 ]
check: [ "$(q out.gpkg "select count(*) from crashes where unmatched_reason = 'no_coordinates'")" = 2 ]
check: [ "$(q out.gpkg "select match_status from crashes where crash_id = '5'")" = matched ]
check: [ "$(q out.gpkg "select count(*) from crashes where geom is null")" = 5 ]

#> out of range, swapped and zero coordinates are detected and said
$ match --roads $BAD/roads.geojson --crashes $BAD/bad_range.csv -o out.gpkg --accept low_match
noerr: error [low_match]
err: warning [low_match]: only 1 of 6 crashes (17%)
out: out_of_range 2
out: swapped_coordinates 1
out: zero_coordinates 1
check: [ "$(q out.gpkg "select unmatched_reason from crashes where crash_id = '1'")" = out_of_range ]
check: [ "$(q out.gpkg "select unmatched_reason from crashes where crash_id = '2'")" = swapped_coordinates ]
check: [ "$(q out.gpkg "select unmatched_reason from crashes where crash_id = '3'")" = zero_coordinates ]
check: [ "$(q out.gpkg "select unmatched_reason from crashes where crash_id = '4'")" = out_of_range ]
check: [ "$(q out.gpkg "select match_status from crashes where crash_id = '5'")" = matched ]
check: [ "$(q out.gpkg "select unmatched_reason from crashes where crash_id = '6'")" = beyond_tolerance ]

#> an empty file
$ match --roads $BAD/roads.geojson --crashes $BAD/empty.csv -o out.gpkg
? 1
err: empty.csv
absent: out.gpkg

#> a header and no rows
$ match --roads $BAD/roads.geojson --crashes $BAD/header_only.csv -o out.gpkg
? 1
err: header_only.csv: no crash records
absent: out.gpkg

#> rows with too many or too few fields are named, and kept
$ match --roads $BAD/roads.geojson --crashes $BAD/ragged.csv -o out.gpkg
err: ragged.csv: row 3 has 3 fields, the header has 4
err: ragged.csv: row 4 has 6 fields, the header has 4
check: [ "$(q out.gpkg 'select count(*) from crashes')" = 4 ]

#> --strict turns those warnings into a failure that leaves nothing
$ match --strict --roads $BAD/roads.geojson --crashes $BAD/ragged.csv -o out.gpkg
? 4
err: --strict: no output written
absent: out.gpkg

#> invalid dates are named; the crash is kept with its date empty
$ match --roads $BAD/roads.geojson --crashes $BAD/bad_dates.csv --date-field date --date-format %Y-%m-%d -o out.gpkg
? 5
err: error [dates_unparsed]: 2 of 3 dates (67%) could not be read in the format '%Y-%m-%d'
err: bad_dates.csv: row 2, field 'date': '2020-02-30' is not a date in the format '%Y-%m-%d'
err: bad_dates.csv: row 3, field 'date': 'yesterday' is not a date
check: [ "$(q out.gpkg "select count(*) from crashes where date_invalid = 1 and crash_date is null")" = 2 ]
check: [ "$(q out.gpkg "select crash_date from crashes where crash_id = '3'")" = 2020-02-29 ]

#> duplicate crash ids are named and both kept
$ match --roads $BAD/roads.geojson --crashes $BAD/dup_ids.csv --id-field id -o out.gpkg
err: dup_ids.csv: row 3: crash id '7' already used at row 2
err: set crashes.group_by
check: [ "$(q out.gpkg "select count(*) from crashes where crash_id = '7' and duplicate_id = 1")" = 2 ]
check: [ "$(q out.gpkg 'select count(*) from crashes')" = 3 ]

#> invalid UTF-8 is named and replaced
$ match --roads $BAD/roads.geojson --crashes $BAD/bad_utf8.csv -o out.gpkg
err: bad_utf8.csv: row 3, field 'note': invalid UTF-8 replaced by U+FFFD
check: [ "$(q out.gpkg "select count(*) from crashes where note = 'bad ' || char(65533) || char(65533) || ' byte'")" = 1 ]

#> a Cyrillic file in CP1251 read with --encoding
$ match --roads $BAD/roads.geojson --crashes $BAD/cp1251.csv --road-field road --encoding CP1251 -o out.gpkg
noerr: invalid UTF-8
check: [ "$(q out.gpkg "select road_ref from crashes")" = "Алматы" ]

#> zero-length, doubled-back and geometry-less segments are named and kept
$ match --roads $BAD/roads_broken.geojson --road-id seg --crashes $BAD/good.csv -o out.gpkg
err: segment 'zero' has zero length
err: segment 'back' doubles back over itself
err: feature 3: no geometry
err: segment id 'ok' is used more than once
check: [ "$(q out.gpkg "select geom_issue from segments where segment_id = 'zero'")" = zero_length ]
check: [ "$(q out.gpkg "select geom_issue from segments where segment_id = 'nogeom'")" = no_geometry ]
check: [ "$(q out.gpkg "select count(*) from segments")" = 5 ]
# lengths in metres: against spatialite's own transform to the same UTM zone (43N),
# and against the geodesic length within the zone's scale error (0.1 %)
check: [ "$(q out.gpkg "select abs(length_m - ST_Length(ST_Transform(SetSRID(geom, 4326), 32643))) < 0.001 from segments where segment_id = 'back'")" = 1 ]
check: [ "$(q out.gpkg "select abs(length_m / ST_Length(SetSRID(geom, 4326), 1) - 1) < 0.001 from segments where segment_id = 'back'")" = 1 ]
# a multi-part line's length is the sum of its parts, gaps left out
check: [ "$(q out.gpkg "select abs(length_m - ST_Length(ST_Transform(SetSRID(geom, 4326), 32643))) < 0.001 from segments where segment_id = 'ok' and length_m < 2000")" = 1 ]

#> broken JSON config names line and column
$ match --config $BAD/broken.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
? 2
err: broken.json:2:
err: invalid JSON
absent: out.gpkg

#> a misspelt config key is an error, not silence
$ match --config $BAD/unknown_key.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
? 2
err: unknown key 'crashes.sevrity'

#> a value map onto a code that does not exist
$ match --config $BAD/bad_map.json --roads $BAD/roads.geojson --crashes $BAD/good.csv -o out.gpkg
? 2
err: maps '1' to 'X', which is not a severity code

#> a CRS that is not one
$ match --roads $BAD/roads.geojson --crashes $BAD/good.csv --crashes-crs EPSG:999999 -o out.gpkg
? 2
err: cannot understand CRS 'EPSG:999999'
absent: out.gpkg

#> a file named .csv is read by GDAL's CSV driver alone: GeoJSON points saved as .csv are not taken for GeoJSON
run: printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"1"},"geometry":{"type":"Point","coordinates":[76.92,43.2]}}]}\n' > points.csv
$ match --roads $BAD/roads.geojson --crashes points.csv -o out.gpkg
? 1
err: points.csv: no point geometry and no coordinate columns
absent: out.gpkg

#> the same points saved as .geojson are read as GeoJSON
run: printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"1"},"geometry":{"type":"Point","coordinates":[76.92,43.2]}}]}\n' > points.geojson
$ match --roads $BAD/roads.geojson --crashes points.geojson -o out.gpkg
? 0
check: [ "$(sqlite3 out.gpkg 'select count(*) from crashes')" = 1 ]
