#!/usr/bin/env python3
"""A small rural network with a four-leg and a three-leg intersection, for
tests/cli/screen.t (HSM Chapter 10 intersection models).

usage: junction_roads.py DIR
DIR/roads.geojson (EPSG:32642): route A (AADT 8,000) from x 0 to 4,000 m,
split at its junctions; route B (AADT 1,500) crossing it at x 1,000 (four
legs); route C (AADT 800) leaving it at x 3,000 (three legs).
DIR/intersections.geojson: the two junctions with legs, control and the
major road's lanes (the four-leg one signalised), a five-leg point with no
model, a four-leg stop-controlled one on a four-lane major road, and two
urban ones (area): a four-leg signalised one with 1,500 pedestrians a day
(peds) and a three-leg stop-controlled one.
DIR/crashes.csv: 6 crashes within 20 m of the four-leg junction, 3 of the
three-leg one, 2020-2022."""
import json
import os
import sys

d = sys.argv[1]
segs = [("A1", "A", 8000, [[0, 0], [1000, 0]]), ("A2", "A", 8000, [[1000, 0], [3000, 0]]),
        ("A3", "A", 8000, [[3000, 0], [4000, 0]]), ("B1", "B", 1500, [[1000, -1000], [1000, 0]]),
        ("B2", "B", 1500, [[1000, 0], [1000, 1000]]), ("C1", "C", 800, [[3000, 0], [3000, 1500]])]
crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}}
def shift(c):
    return [c[0] + 500000, c[1] + 5000000]
feats = [{"type": "Feature", "properties": {"seg_id": s, "road": r, "aadt": a, "lanes": 2, "area": "rural"},
          "geometry": {"type": "LineString", "coordinates": [shift(c) for c in cs]}} for s, r, a, cs in segs]
json.dump({"type": "FeatureCollection", "name": "roads", "crs": crs, "features": feats},
          open(os.path.join(d, "roads.geojson"), "w"))
pts = [("J4", 1000, 0, 8000, 1500, 4, "signal", 2, None, None), ("J3", 3000, 0, 8000, 800, 3, "stop", 2, None, None),
       ("J5", 2000, 0, 8000, 600, 5, "stop", 2, None, None), ("J6", 3500, 0, 20000, 2000, 4, "stop", 4, None, None),
       ("J7", 2500, 0, 15000, 3000, 4, "signal", 4, "urban", 1500), ("J8", 500, 0, 12000, 1000, 3, "stop", 2, "urban", None)]
feats = [{"type": "Feature", "properties": {"id": i, "major": mj, "minor": mn, "legs": l, "control": c,
                                            "major_lanes": ln, "area": ar, "peds": pd},
          "geometry": {"type": "Point", "coordinates": shift([x, y])}} for i, x, y, mj, mn, l, c, ln, ar, pd in pts]
json.dump({"type": "FeatureCollection", "name": "intersections", "crs": crs, "features": feats},
          open(os.path.join(d, "intersections.geojson"), "w"))
with open(os.path.join(d, "crashes.csv"), "w") as f:
    f.write("id,x,y,date,severity\n")
    for k in range(6):
        f.write("a%d,%d,%d,%d-05-10,%s\n" % (k, 500000 + 1000 + 5 + k, 5000000 + 3, 2020 + k % 3, "BC"[k % 2]))
    for k in range(3):
        f.write("b%d,%d,%d,%d-05-10,C\n" % (k, 500000 + 3000 - 8 - k, 5000000 - 2, 2020 + k))
