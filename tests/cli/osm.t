# OpenStreetMap roads through GDAL's OSM driver: a small extract written here.

#> an OSM extract: roads only, ways split where they share a node, ref and name as routes, tags as fields
run: printf '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="rumble test">\n<node id="1" lat="53.8000" lon="-1.5600" version="1"/>\n<node id="2" lat="53.8000" lon="-1.5500" version="1"/>\n<node id="3" lat="53.8000" lon="-1.5400" version="1"/>\n<node id="4" lat="53.7950" lon="-1.5500" version="1"/>\n<node id="5" lat="53.8050" lon="-1.5500" version="1"/>\n<node id="6" lat="53.8020" lon="-1.5600" version="1"/>\n<node id="7" lat="53.8020" lon="-1.5400" version="1"/>\n<node id="8" lat="53.8000" lon="-1.5300" version="1"/>\n<way id="11" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="ref" v="A6120"/><tag k="maxspeed" v="30 mph"/><tag k="lanes" v="2"/><tag k="lit" v="yes"/></way>\n<way id="12" version="1"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/><tag k="name" v="Oak Street"/></way>\n<way id="13" version="1"><nd ref="6"/><nd ref="7"/><tag k="highway" v="footway"/></way>\n<way id="14" version="1"><nd ref="3"/><nd ref="8"/><tag k="highway" v="tertiary"/><tag k="bridge" v="yes"/><tag k="ref" v="A6120"/></way>\n</osm>\n' > t.osm
run: printf 'id,lon,lat\nc1,-1.5501,53.80005\nc2,-1.5450,53.80002\nc3,-1.5350,53.80001\n' > c.csv
$ screen --roads t.osm --crashes c.csv -o out.gpkg
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
