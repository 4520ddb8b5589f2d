#!/usr/bin/env python3
"""The cards' incremental benefit-cost lines against the plan layer (tests/cli/report.t).

usage: ibc.py REPORT.html RUN.gpkg
For each plan site's card, finds with SQLite the chosen alternative and, of
the site's alternatives whose BCR exceeds 1 and whose PV cost is lower, the
dearest (the HSM's next cheaper, Part B, Chapter 8); its incremental ratio is
(B chosen - B it) / (C chosen - C it) over the layer's pv_benefit and pv_cost.
Exits 0 when every card that should have the line has it, against that
alternative and with that ratio (to 1e-5, relative), and at least one has;
else prints the first difference."""
import re
import sqlite3
import sys

page = open(sys.argv[1], encoding='utf-8').read()
db = sqlite3.connect(sys.argv[2])
bad, seen = [], 0
for m in re.finditer(r'<article class="card" id="site-([0-9]+)"(.*?)</article>', page, re.S):
    site, body = int(m.group(1)), m.group(2)
    rows = db.execute('select countermeasure, pv_benefit, pv_cost, bcr, selected from plan where site = ?',
                      (site,)).fetchall()
    chosen = [r for r in rows if r[4] == 1]
    line = re.search(r'<p class="why ibc" data-against="([^"]*)" data-ibc="([^"]*)">', body)
    cheaper = [r for r in rows if chosen and r is not chosen[0] and r[3] is not None and r[3] > 1
               and r[2] < chosen[0][2]]
    if not chosen or not cheaper:
        if line:
            bad.append('site %d: a line with nothing to compare' % site)
        continue
    c = chosen[0]
    nxt = max(cheaper, key=lambda r: r[2])
    want = (c[1] - nxt[1]) / (c[2] - nxt[2])
    if not line:
        bad.append('site %d: no line (against %s, %.4f)' % (site, nxt[0], want))
    elif line.group(1) != nxt[0] or abs(float(line.group(2)) - want) > 1e-5 * max(1, abs(want)):
        bad.append('site %d: %s %s, SQLite %s %.6g' % (site, line.group(1), line.group(2), nxt[0], want))
    else:
        seen += 1
if not seen:
    bad.append('no card with an incremental line')
print('; '.join(bad[:3]) or '%d cards: the incremental ratio against the next cheaper alternative as SQLite has it' % seen)
sys.exit(1 if bad else 0)
