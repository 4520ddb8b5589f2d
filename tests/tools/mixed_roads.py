#!/usr/bin/env python3
"""A small network of mixed road types for tests/cli/screen.t (HSM site types).

usage: mixed_roads.py DIR
Writes DIR/roads.geojson (EPSG:32642, one straight 3 km segment a road):
R2 rural two-lane, R4U rural four-lane undivided, R4D rural four-lane
divided, RU urban four-lane undivided (60 km/h), U2 urban two-lane (40 km/h,
three major commercial driveways), U5 urban five-lane (speed limit not
given), U6 urban six-lane divided (no member of the hsm set fits it), with
AADT, lanes, speed limit and driveways, and R2 alone its lane width (3.0 m)
and lighting (lit yes); and DIR/crashes.csv: crashes on each, 2020-2022."""
import json
import os
import sys

d = sys.argv[1]
roads = [("R2", 2, "rural", "no", 6000, 90, 0), ("R4U", 4, "rural", "no", 15000, 90, 0),
         ("R4D", 4, "rural", "yes", 30000, 110, 0), ("RU", 4, "urban", "no", 20000, 60, 0),
         ("U2", 2, "urban", "no", 9000, 40, 3), ("U5", 5, "urban", "no", 25000, None, None),
         ("U6", 6, "urban", "yes", 40000, 60, 0)]
feats = []
for i, (name, lanes, area, div, aadt, speed, dw) in enumerate(roads):
    y = 5000000 + i * 1000
    props = {"seg_id": name + "-1", "road": name, "aadt": aadt, "lanes": lanes, "area": area, "divided": div,
             "speed": speed, "dw_mc": dw, "lane_w": 3.0 if name == "R2" else None, "lit": "yes" if name == "R2" else None}
    feats.append({"type": "Feature", "properties": props,
                  "geometry": {"type": "LineString", "coordinates": [[500000, y], [503000, y]]}})
json.dump({"type": "FeatureCollection", "name": "roads",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}}, "features": feats},
          open(os.path.join(d, "roads.geojson"), "w"))
with open(os.path.join(d, "crashes.csv"), "w") as f:
    f.write("id,x,y,date,severity\n")
    n = 0
    for i, (name, lanes, area, div, aadt, speed, dw) in enumerate(roads):
        for k in range(3 + 2 * i):
            n += 1
            f.write("c%d,%d,%d,%d-06-15,%s\n" % (n, 500100 + 200 * k, 5000000 + i * 1000 + 3, 2020 + k % 3, "BC"[k % 2]))
