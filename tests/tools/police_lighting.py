#!/usr/bin/env python3
"""Recounts the lighting coverage a run infers from the police's street-lighting
record at night crashes (STATS19 light codes: 4 lights lit; 5 lights unlit and
6 no lighting: not lit; 7 unknown), independently of rumble, from the run's own
crashes and segments layers: a segment is lit where more of its matched night
crashes of the study say lit than not, unlit where fewer, unknown on a tie or
with none; the figures count the crashes on segments whose lighting is known.
Checks the summary's coverage.kinds[lighting].

usage: police_lighting.py RUN.gpkg RUN.summary.json LIGHT_FIELD"""
import json
import sqlite3
import sys

gpkg, summary, field = sys.argv[1:4]
k = [x for x in json.load(open(summary))["coverage"]["kinds"] if x["kind"] == "lighting"][0]
db = sqlite3.connect(gpkg)
rows = db.execute('select segment_id, light, severity, "%s" from crashes where segment_id is not null and in_study = 1'
                  % field).fetchall()
length = dict(db.execute("select segment_id, length_m from segments"))
vote = {}
for seg, light, sev, code in rows:
    if light == "dark" and code in ("4", "5", "6"):
        vote[seg] = vote.get(seg, 0) + (1 if code == "4" else -1)
lit = {s: v > 0 for s, v in vote.items() if v != 0}
want = {
    "km_known": sum(length[s] for s in lit) / 1000,
    "km_covered": sum(length[s] for s, l in lit.items() if l) / 1000,
    "km": sum(length.values()) / 1000,
    "crashes": sum(1 for r in rows if r[0] in lit),
    "crashes_in": sum(1 for r in rows if lit.get(r[0])),
    "ksi": sum(1 for r in rows if r[0] in lit and r[2] in ("K", "A")),
    "night": sum(1 for r in rows if r[0] in lit and r[1] == "dark"),
    "night_in": sum(1 for r in rows if r[0] in lit and r[1] == "dark" and r[3] == "4"),
    "night_out": sum(1 for r in rows if r[0] in lit and r[1] == "dark" and r[3] in ("5", "6")),
}
bad = [(f, k[f], v) for f, v in want.items() if abs(k[f] - v) > (1e-3 if f.startswith("km") else 0)]
for f, got, v in bad:
    print("%s: summary %g, recounted %g" % (f, got, v))
print("%d figures recounted over %d segments of known lighting, %d differ" % (len(want), len(lit), len(bad)))
sys.exit(1 if bad else 0)
