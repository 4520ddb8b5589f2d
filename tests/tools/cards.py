#!/usr/bin/env python3
"""The report's site cards against the run's layers (tests/cli/report.t).

usage: cards.py REPORT.html RUN.gpkg
Exits 0 when every hotspot (read from the GeoPackage with SQLite) overlaps a
card's stretch on its route, no "site visit needed" card overlaps a plan row,
and there is at least one of those; else prints what is wrong and exits 1."""
import re
import sqlite3
import sys

html, gpkg = sys.argv[1], sys.argv[2]
cards = [(bool(m.group(1)), m.group(2), float(m.group(3)), float(m.group(4)))
         for m in re.finditer(r'<article class="card( nofit)?" id="[^"]*" data-crashes="[0-9]*" '
                              r'data-route="([^"]*)" data-from="([0-9.]*)" data-to="([0-9.]*)"',
                              open(html, encoding='utf-8').read())]
db = sqlite3.connect(gpkg)
hot = db.execute('select route_id, from_m, to_m from hotspots').fetchall()
plan = db.execute('select route_id, from_m, to_m from plan').fetchall()
lost = [h for h in hot if not any(r == h[0] and f < h[2] and t > h[1] for _, r, f, t in cards)]
wrong = [c for c in cards if c[0] and any(r == c[1] and f < c[3] and t > c[2] for r, f, t in plan)]
bad = []
if not hot:
    bad.append('no hotspots')
if lost:
    bad.append('hotspots without a card: %s' % lost[:5])
if wrong:
    bad.append('"site visit" cards on a planned stretch: %s' % wrong[:5])
if not any(c[0] for c in cards):
    bad.append('no "site visit" card')
print('; '.join(bad) or '%d cards cover %d hotspots' % (len(cards), len(hot)))
sys.exit(1 if bad else 0)
