# Iowa: 10,179 crashes with KABCO severity in CSEVERITY (1 K ... 5 O) and a
# year. No road lines come with the set, so the case builds each route's line
# from its own crashes ordered by milepost (spatialite MakeLine) and matches the
# crashes back onto them.

#> KABCO severity read from CSEVERITY, years from CRASH_YEAR
run: ogr2ogr -f GPKG roads.gpkg "$SHARED/iowa/crashes_2016_2020.gpkg" -dialect sqlite -sql "SELECT ROUTEID AS route, MakeLine(geom) AS geom FROM (SELECT ROUTEID, MEASURE, geom FROM crashes ORDER BY ROUTEID, MEASURE) GROUP BY ROUTEID HAVING COUNT(*) >= 2" -nln roads
$ match --roads roads.gpkg --route-field route --crashes $SHARED/iowa/crashes_2016_2020.gpkg --id-field CRASH_KEY --severity-field CSEVERITY --severity-map 1=K,2=A,3=B,4=C,5=O --date-field CRASH_YEAR --date-format %Y -o out.gpkg
out: crashes: 10179 from 10179 records
out: study period: 2016-2020
check: for k in 1:K 2:A 3:B 4:C 5:O; do [ "$(q out.gpkg "select count(*) from crashes where severity = '${k#*:}'")" = "$(q $SHARED/iowa/crashes_2016_2020.gpkg "select count(*) from crashes where CSEVERITY = ${k%:*}")" ] || exit 1; done
check: [ "$(q out.gpkg "select count(*) from crashes where severity = 'U'")" = 0 ]
# every crash on a route of two or more crashes is a vertex of that route's line: matched at 0 m
check: [ "$(q out.gpkg "select count(*) from crashes where match_status = 'matched'")" -ge "$(q $SHARED/iowa/crashes_2016_2020.gpkg "select count(*) from crashes where ROUTEID in (select ROUTEID from crashes group by ROUTEID having count(*) >= 2)")" ]
check: [ "$(q out.gpkg "select count(*) from segments where n_2016 + n_2017 + n_2018 + n_2019 + n_2020 != n_obs or n_years != 5")" = 0 ]
check: [ "$(q out.gpkg "select count(*) from segments where route_id is null")" = 0 ]
