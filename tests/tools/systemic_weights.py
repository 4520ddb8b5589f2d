#!/usr/bin/env python3
"""Recomputes a systemic programme's risk-factor weights from its layer's own
rows, independently of rumble: each level's ratio is its share of the focus
crashes, with one crash more spread by length ((c + length share) / (C + 1)),
over its share of the length, over the segments whose level is known; a
segment's score is the product of its levels' ratios over the length-weighted
mean of those products. Checks the summary's ratios and the layer's scores.

usage: systemic_weights.py RUN.gpkg RUN.summary.json"""
import json
import math
import sqlite3
import sys

gpkg, summary = sys.argv[1], sys.argv[2]
s = json.load(open(summary))["plan"]["systemic"]
db = sqlite3.connect(gpkg)
names = ["curve", "curve_change", "curve_density", "shoulder", "aadt", "speed", "junctions", "lighting"]
rows = db.execute("select length_m, focus_crashes, %s, score from systemic" % ", ".join(names)).fetchall()
ratio = {}
for k, f in enumerate(names):
    known = [r for r in rows if r[2 + k] is not None]
    levels = sorted({r[2 + k] for r in known})
    KM = sum(r[0] for r in known)
    C = sum(r[1] for r in known)
    for lv in levels:
        km = sum(r[0] for r in known if r[2 + k] == lv)
        c = sum(r[1] for r in known if r[2 + k] == lv)
        ratio[(f, lv)] = ((c + km / KM) / (C + 1)) / (km / KM)
bad = 0
for f, lvs in s["factors"].items():
    for lv in lvs:
        want = ratio[(f, lv["level"])]
        if abs(lv["ratio"] - want) > 1e-4:
            print("ratio of %s %s: %g, recomputed %g" % (f, lv["level"], lv["ratio"], want))
            bad += 1
prod = [math.prod(ratio[(f, r[2 + k])] for k, f in enumerate(names) if r[2 + k] is not None) for r in rows]
mean = sum(p * r[0] for p, r in zip(prod, rows)) / sum(r[0] for r in rows)
for p, r in zip(prod, rows):
    p /= mean
    if abs(p - r[-1]) > 1e-4 * max(1, p):
        print("score %g, recomputed %g" % (r[-1], p))
        bad += 1
print("%d levels and %d scores recomputed, %d differ" % (len(ratio), len(rows), bad))
sys.exit(1 if bad else 0)
