#!/usr/bin/env python3
"""The report's ranked list against the run's layers (tests/cli/report.t).

usage: ranked.py REPORT.html RUN.gpkg
One row per place: every hotspot (SQLite over the layer) lies inside exactly
one row's stretch on its route, rows on a route do not overlap, each row's rank
is the best of its hotspots', its rules cell names each of their rules once,
and its crashes are the crashes counted in the study (in_study) on the
stretch. Prints what is wrong and exits 1, else exits 0."""
import html as H
import re
import sqlite3
import sys

page, gpkg = sys.argv[1], sys.argv[2]
text = open(page, encoding='utf-8').read()
table = text[text.index('id="ranked-table"'):]
table = table[:table.index('</table>')]
rows = []
for m in re.finditer(r'<tr data-route="([^"]*)" data-from="([0-9.]*)" data-to="([0-9.]*)">(.*?)</tr>', table):
    cells = re.findall(r'<td[^>]*?(?: data-v="([^"]*)")?>(.*?)</td>', m.group(4))
    rows.append({'route': H.unescape(m.group(1)), 'from': float(m.group(2)), 'to': float(m.group(3)),
                 'rank': float(cells[0][0]), 'crashes': int(cells[5][0]), 'rules': H.unescape(cells[6][1])})
db = sqlite3.connect(gpkg)
hot = db.execute('select route_id, from_m, to_m, rule, rank from hotspots').fetchall()
bad = []
for r, f, t, rule, rank in hot:
    inside = [w for w in rows if w['route'] == r and w['from'] <= f + 1e-3 and w['to'] >= t - 1e-3]
    if len(inside) != 1:
        bad.append('hotspot %s %.0f-%.0f in %d rows' % (r, f, t, len(inside)))
for i, a in enumerate(rows):
    for b in rows[i + 1:]:
        if a['route'] == b['route'] and a['from'] < b['to'] and b['from'] < a['to']:
            bad.append('rows overlap on %s at %.0f' % (a['route'], a['from']))
    members = [h for h in hot if h[0] == a['route'] and a['from'] <= h[1] + 1e-3 and a['to'] >= h[2] - 1e-3]
    if members and a['rank'] != min(h[4] for h in members):
        bad.append('row %s %.0f: rank %g, best of its hotspots %g' % (a['route'], a['from'], a['rank'],
                                                                     min(h[4] for h in members)))
    if len(set(h[3] for h in members)) != len(a['rules'].split(' · ')):
        bad.append('row %s %.0f: rules "%s" for %s' % (a['route'], a['from'], a['rules'],
                                                       sorted(set(h[3] for h in members))))
    n = db.execute('select count(*) from crashes where in_study and route_id = ? and chainage_m >= ? and '
                   'chainage_m <= ?', (a['route'], a['from'], a['to'])).fetchone()[0]
    if n != a['crashes']:
        bad.append('row %s %.0f: %d crashes, SQLite counts %d' % (a['route'], a['from'], a['crashes'], n))
if not rows:
    bad.append('no rows')
print('; '.join(bad[:5]) or '%d rows hold %d hotspots' % (len(rows), len(hot)))
sys.exit(1 if bad else 0)
