# Montreal: 347 cyclist crashes of 2016 on the street network, all within 10 m
# of a street. The chosen segment must be the nearest of all segments.

#> all 347 matched within 10 m, each on its nearest segment
$ match --roads $SHARED/montreal/roads.gpkg --crashes $SHARED/montreal/bike_crashes_2016.gpkg --date-field Date --date-format %Y/%m/%d -o out.gpkg
out: crashes: 347 from 347 records; matched 347
check: [ "$(q out.gpkg "select count(*) from crashes where match_status = 'matched' and offset_m <= 10")" = 347 ]
# brute force with GEOS: no segment is nearer than the chosen one (1 mm slack for rounding)
check: [ "$(q out.gpkg "select count(*) from crashes c where c.offset_m > (select min(ST_Distance(c.geom, s.geom)) from segments s) + 0.001")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from crashes c join segments s on s.segment_id = c.segment_id where abs(ST_Distance(c.geom, s.geom) - c.offset_m) > 0.001")" = 0 ]
check: [ "$(q out.gpkg "select min(crash_date) || ' ' || max(crash_date) from crashes")" = "2016-01-01 2016-12-31" ] || [ "$(q out.gpkg "select substr(min(crash_date), 1, 4) || substr(max(crash_date), 1, 4) from crashes")" = 20162016 ]
