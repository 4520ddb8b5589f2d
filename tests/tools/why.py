#!/usr/bin/env python3
"""The report's "why" line on each plan site's card against the plan layer
(tests/cli/report.t).

usage: why.py REPORT.html RUN.gpkg
For each card of a plan site, from SQLite over the plan layer: the chosen
alternative and the site's best by NPV give the line's kind (best: the chosen
is worth the most here; budget: another is worth more, and it is the one
named; none_value: nothing chosen, none worth its cost; none_budget: nothing
chosen though one is). Prints the kinds seen and exits 0 when every card
agrees, else prints the first disagreements and exits 1."""
import html
import re
import sqlite3
import sys

page, gpkg = sys.argv[1], sys.argv[2]
text = open(page, encoding='utf-8').read()
db = sqlite3.connect(gpkg)
bad, seen = [], {}
for m in re.finditer(r'<article class="card" id="site-([0-9]+)"', text):
    site = int(m.group(1))
    end = text.find('<article', m.end())
    card = text[m.end():end if end >= 0 else len(text)]
    w = re.search(r'<p class="why ([a-z_]+)">(.*?)</p>', card)
    rows = db.execute('select countermeasure, npv, selected from plan where site = ?', (site,)).fetchall()
    best = max(rows, key=lambda r: r[1])
    chosen = [r for r in rows if r[2]]
    if chosen and chosen[0][1] >= best[1]:
        want = 'best'
    elif chosen:
        want = 'budget'
    else:
        want = 'none_value' if best[1] <= 0 else 'none_budget'
    got = w.group(1) if w else None
    seen[got] = seen.get(got, 0) + 1
    if got != want:
        bad.append('site %d: "%s", want "%s"' % (site, got, want))
    elif want == 'budget' and 'data-cm="%s"' % html.escape(best[0]) not in w.group(2):
        bad.append('site %d: names not %s' % (site, best[0]))
print('; '.join(bad[:5]) or ' '.join('%s %d' % kv for kv in sorted(seen.items())))
sys.exit(1 if bad or not seen else 0)
