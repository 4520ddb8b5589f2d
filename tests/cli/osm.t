# OpenStreetMap roads through GDAL's OSM driver: a small extract written here.

#> an OSM extract: roads only, ways split where they share a node, ref and name as routes, tags as fields
run: printf '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="rumble test">\n<node id="1" lat="53.8000" lon="-1.5600" version="1"/>\n<node id="2" lat="53.8000" lon="-1.5500" version="1"/>\n<node id="3" lat="53.8000" lon="-1.5400" version="1"/>\n<node id="4" lat="53.7950" lon="-1.5500" version="1"/>\n<node id="5" lat="53.8050" lon="-1.5500" version="1"/>\n<node id="6" lat="53.8020" lon="-1.5600" version="1"/>\n<node id="7" lat="53.8020" lon="-1.5400" version="1"/>\n<node id="8" lat="53.8000" lon="-1.5300" version="1"/>\n<way id="11" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="ref" v="A6120"/><tag k="maxspeed" v="30 mph"/><tag k="lanes" v="2"/><tag k="lit" v="yes"/></way>\n<way id="12" version="1"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="Oak Street"/></way>\n<way id="13" version="1"><nd ref="6"/><nd ref="7"/><tag k="highway" v="footway"/></way>\n<way id="14" version="1"><nd ref="3"/><nd ref="8"/><tag k="highway" v="tertiary"/><tag k="bridge" v="yes"/><tag k="ref" v="A6120"/></way>\n</osm>\n' > t.osm
run: printf 'id,lon,lat\nc1,-1.5501,53.80005\nc2,-1.5450,53.80002\nc3,-1.5350,53.80001\n' > c.csv
$ screen --roads t.osm --crashes c.csv -o out.gpkg --accept no_severity,measure_empty
# the footway is not a road; way 11 (1-2-3) and way 12 (4-2-5) cross at node 2 and are cut there; 14 stays whole
check: [ "$(q out.gpkg "select group_concat(segment_id, ',') from (select segment_id from segments order by segment_id)")" = "11:1,11:2,12:1,12:2,14" ]
check: [ "$(q out.gpkg "select count(*) from segments where highway = 'footway'")" = 0 ]
# the crossing is a four-legged junction; node 3 joins two pieces of one road and is not one
check: [ "$(q out.gpkg "select count(*) || ':' || max(n_legs) from intersections")" = "1:4" ]
# ref A6120 chains ways 11 and 14 into one route; Oak Street has no ref and is chained by its name
check: [ "$(q out.gpkg "select count(distinct route_id) from segments where route_id = 'A6120'")" = 1 ] && [ "$(q out.gpkg "select count(*) from segments where route_id = 'Oak Street'")" = 2 ]
check: [ "$(q out.gpkg "select abs(max(to_m) - sum(length_m)) < 0.01 from segments where route_id = 'A6120'")" = 1 ]
# the tags come through as fields; the crashes are matched to the split pieces (c1 just west of node 2)
check: [ "$(q out.gpkg "select maxspeed || ':' || lanes || ':' || lit from segments where segment_id = '11:1'")" = "30 mph:2:yes" ] && [ "$(q out.gpkg "select bridge from segments where segment_id = '14'")" = yes ]
check: [ "$(q out.gpkg "select group_concat(segment_id, ',') from (select segment_id from crashes order by crash_id)")" = "11:1,11:2,14" ]

#> an OSM extract: the highway values read as roads are configurable
run: printf '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n<node id="1" lat="53.8" lon="-1.56"/>\n<node id="2" lat="53.8" lon="-1.55"/>\n<node id="3" lat="53.81" lon="-1.55"/>\n<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>\n<way id="2"><nd ref="2"/><nd ref="3"/><tag k="highway" v="track"/></way>\n</osm>\n' > t.osm
run: printf 'id,lon,lat\nc1,-1.555,53.8\n' > c.csv
$ match --roads t.osm --crashes c.csv -o out.gpkg -c cfg.json
run: printf '{ "osm": { "highways": "primary,track" } }' > cfg.json
check: [ "$(q out.gpkg "select count(*) from segments")" = 2 ]

#> an OSM extract: a bridge over a road with no node between them (layer 1); the road the record names settles which, else the crash is ambiguous with both
run: printf '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n<node id="1" lat="53.80" lon="-1.56"/>\n<node id="2" lat="53.80" lon="-1.55"/>\n<node id="3" lat="53.80" lon="-1.54"/>\n<node id="4" lat="53.795" lon="-1.55"/>\n<node id="5" lat="53.805" lon="-1.55"/>\n<way id="21"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="ref" v="A1"/></way>\n<way id="22"><nd ref="4"/><nd ref="5"/><tag k="highway" v="motorway"/><tag k="ref" v="M62"/><tag k="bridge" v="yes"/><tag k="layer" v="1"/></way>\n</osm>\n' > t.osm
run: printf 'id,lon,lat,road\nc1,-1.55005,53.80008,A1\nc2,-1.55005,53.80008,M62\nc3,-1.55005,53.80008,\nc4,-1.545,53.80002,A1\n' > c.csv
$ match --roads t.osm --crashes c.csv --road-field road -o out.gpkg
# c1-c3 lie 3.3 m west of the bridge (0.00005 deg of longitude at 53.8 N) and
# 8.9 m north of the road (0.00008 deg of latitude): the bridge is nearer, the
# road within 3.3 + 15 m and at layer 0
check: [ "$(q out.gpkg "select group_concat(crash_id || ':' || segment_id || ':' || ambiguous || ':' || grade_separated || ':' || coalesce(alt_segment_id, '') || ':' || road_hint || ':' || match_quality, ' ') from (select * from crashes order by crash_id)")" = "c1:21:0:1:22:moved:good c2:22:0:1:21:agrees:exact c3:22:1:1:21::ambiguous c4:21:0:0::agrees:exact" ]
check: grep -Eq '"grade_separated":\s*3,' out.summary.json

#> an OSM extract through rumble run: a way without a bridge tag (a null field) reads as unknown, not a crash of the run
run: printf '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n<node id="1" lat="53.80" lon="-1.56"/>\n<node id="2" lat="53.80" lon="-1.55"/>\n<node id="3" lat="53.80" lon="-1.54"/>\n<node id="4" lat="53.795" lon="-1.55"/>\n<node id="5" lat="53.805" lon="-1.55"/>\n<way id="21"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="ref" v="A1"/></way>\n<way id="22"><nd ref="4"/><nd ref="5"/><tag k="highway" v="motorway"/><tag k="ref" v="M62"/><tag k="bridge" v="yes"/><tag k="layer" v="1"/></way>\n</osm>\n' > t.osm
run: printf 'id,lon,lat,date,severity\nc1,-1.55005,53.80008,2020-01-02,K\nc2,-1.545,53.80002,2021-03-04,A\n' > c.csv
$ run --roads t.osm --crashes c.csv --date-field date --severity-field severity --budget 100000 -o r.gpkg -q
check: [ "$(q r.gpkg "select count(*) || ':' || sum(bridge is null) from segments")" = "2:1" ]

#> an OSM extract through rumble run: the lit tag is the roads' lighting flag, its coverage in the summary
# Way 11 (A6120, lit=yes) runs from -1.56 to -1.54 at latitude 53.8: 0.02 degrees x 111,320 m x cos 53.8 = 1,315 m
# (the UTM working CRS within a few metres); ways 12 and 14 say nothing (unknown, left out of the shares). The night
# crash and the day crash on way 11 are on lit road; the night crash on way 14, on road of unknown lighting, is
# counted nowhere. The network: way 11 1,315 m, way 12 0.01 degrees of latitude = 1,113 m, way 14 0.01 degrees of
# longitude at 53.8 = 657 m: 3,085 m, "3.1 km".
run: printf '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n<node id="1" lat="53.8000" lon="-1.5600"/>\n<node id="2" lat="53.8000" lon="-1.5500"/>\n<node id="3" lat="53.8000" lon="-1.5400"/>\n<node id="4" lat="53.7950" lon="-1.5500"/>\n<node id="5" lat="53.8050" lon="-1.5500"/>\n<node id="8" lat="53.8000" lon="-1.5300"/>\n<way id="11"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="ref" v="A6120"/><tag k="lit" v="yes"/></way>\n<way id="12"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="Oak Street"/></way>\n<way id="14"><nd ref="3"/><nd ref="8"/><tag k="highway" v="tertiary"/><tag k="ref" v="A6120"/></way>\n</osm>\n' > t.osm
run: printf 'id,lon,lat,date,severity,light\nc1,-1.5550,53.80003,2020-01-02,K,dark\nc2,-1.5350,53.80002,2021-03-04,A,dark\nc3,-1.5450,53.80001,2021-05-06,C,day\n' > c.csv
$ run --roads t.osm --crashes c.csv --date-field date --severity-field severity --light-field light --budget 100000 -o r.gpkg
out: coverage: lit road 1.3 of the 1.3 km whose lighting is known (100.0 %; the network 3.1 km), 2 of the 2 crashes there
check: python3 -c "import json, sys; k = json.load(open('r.summary.json'))['coverage']['kinds'][0]; sys.exit(not (k['kind'] == 'lighting' and abs(k['km_covered'] - 1.315) < 0.01 and k['km_known'] == k['km_covered'] and k['km'] > 2.9 and k['night'] == 1 and k['night_in'] == 1 and k['night_out'] == 0 and k['source'].startswith(\"the roads' lighting flag\")))"
