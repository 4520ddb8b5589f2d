#!/usr/bin/env python3
"""The report's "when" profiles against the run's crashes (tests/cli/report.t).

usage: when.py REPORT.html RUN.gpkg
For each stretch card, counts with SQLite the crashes the screening counts
(in_study) on the card's route between its from and to chainage, by hour of
crash_time, weekday of crash_date (Python's calendar, Monday first) and month,
and compares them with the bars' data-n. Exits 0 when every card agrees and at
least one card has all three profiles; else prints the first difference."""
import datetime
import re
import sqlite3
import sys

html, gpkg = sys.argv[1], sys.argv[2]
page = open(html, encoding='utf-8').read()
db = sqlite3.connect(gpkg)
bad, checked = [], 0
for m in re.finditer(r'<article class="card[^"]*" id="([^"]*)" data-crashes="[0-9]*" data-route="([^"]*)" '
                     r'data-from="([0-9.]*)" data-to="([0-9.]*)">(.*?)</article>', page, re.S):
    cid, route, a, b, body = m.group(1), m.group(2), float(m.group(3)), float(m.group(4)), m.group(5)
    if 'class="when"' not in body or '<h4>' not in body:
        continue
    rows = db.execute('select crash_date, crash_time from crashes where in_study = 1 and route_id = ? and '
                      'chainage_m >= ? and chainage_m <= ?', (route, a, b)).fetchall()
    want = {'hour': [0] * 24, 'weekday': [0] * 7, 'month': [0] * 12}
    for d, t in rows:
        if t:
            want['hour'][int(t[:2])] += 1
        if d:
            day = datetime.date.fromisoformat(d)
            want['weekday'][day.weekday()] += 1
            want['month'][day.month - 1] += 1
    for kind in want:
        svg = re.search(r'data-when="%s" data-n="([0-9]*)">(.*?)</svg>' % kind, body, re.S)
        if not svg:
            if sum(want[kind]):
                bad.append('%s: no %s profile for %d crashes' % (cid, kind, sum(want[kind])))
            continue
        got = [int(n) for n in re.findall(r'<rect class="b"[^>]* data-n="([0-9]*)"', svg.group(2))]
        if got != want[kind] or int(svg.group(1)) != sum(want[kind]):
            bad.append('%s %s: report %s, SQLite %s' % (cid, kind, got, want[kind]))
    checked += 1
if not checked:
    bad.append('no card with a "when" profile')
print('; '.join(bad[:3]) or '%d cards: hour, weekday and month profiles as SQLite counts them' % checked)
sys.exit(1 if bad else 0)
