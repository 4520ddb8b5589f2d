#!/usr/bin/env python3
"""Point devices credited only inside their zones of influence, recomputed
from a run's layers with SQLite (tests/cli/demo.t).

usage: zones.py RUN.gpkg CATALOGUE.json
For every chosen alternative with a point device (the catalogue's layout rule
"point": a crossing, a beacon, a camera), alone or with strips, signs, spaced
devices or section cameras, from the crashes layer and the work orders
(work_points, work_lines), independently of rumble's code:
- the site's crashes: counted (in_study) crashes matched on its route with a
  chainage from its from_m to its to_m; at an intersection site, the
  junction's counted crashes;
- each stands for expected_per_yr / n crashes a year;
- a crash's share of the device's zone: at an intersection site 1; else half
  for each direction's traffic whose zone holds it (upstream_m before the
  device to downstream_m past it; radius_m both ways);
- a strip's share: 1 on a laid line of it, else 0; signs, spaced devices and
  section cameras: 1 (the whole site);
- a crash's CMF: the product over the members that target it of
  1 - share x (1 - CMF);
- target a year: the stand-for of each crash some member acts on; avoided: of
  each, 1 - its CMF.
Prints one line per alternative and exits 1 when any differs from the plan
layer's target_per_yr or crashes_avoided_per_yr, or when none was checked."""
import json
import sqlite3
import sys

gpkg, catalogue = sys.argv[1], sys.argv[2]
cat = {c['id']: c for c in json.load(open(catalogue, encoding='utf-8'))['countermeasures']}
db = sqlite3.connect(gpkg)


def targeted(t, crash):
    sev, ctype, light, surface = crash
    if not sev or sev not in t.get('severities', 'KABCO'):
        return False
    types = t.get('crash_types', 'all')
    if types != 'all' and ctype not in types:
        return False
    if 'light' in t and light not in t['light']:
        return False
    if 'surface' in t and surface not in t['surface']:
        return False
    return True


bad = checked = 0
rows = db.execute('select site, route_id, from_m, to_m, countermeasure, expected_per_yr, target_per_yr, '
                  'crashes_avoided_per_yr, intersection_id from plan where selected = 1 order by site').fetchall()
for site, route, a, b, cm_ids, expected, target, avoided, junction in rows:
    members = [cat[k] for k in cm_ids.split('+')]
    rules = [cm['layout']['rule'] for cm in members]
    if 'point' not in rules or 'curve' in rules:
        continue
    if junction is not None:
        crashes = db.execute('select severity, crash_type, light, surface, chainage_m from crashes '
                             'where in_study = 1 and intersection_id = ?', (junction,)).fetchall()
    else:
        crashes = db.execute('select severity, crash_type, light, surface, chainage_m from crashes '
                             'where in_study = 1 and segment_id is not null and route_id = ? '
                             'and chainage_m >= ? and chainage_m <= ?', (route, a, b)).fetchall()
    if not crashes:
        print(f'site {site} {cm_ids}: no crashes found')
        bad += 1
        continue

    def share_of(cm, x):
        rule = cm['layout']['rule']
        if junction is not None or rule in ('signs', 'spaced', 'section'):
            return 1.0
        if rule == 'strip':
            lines = db.execute('select from_m, to_m from work_lines where site = ? and countermeasure = ?',
                               (site, cm['id'])).fetchall()
            return float(any(f <= x <= t for f, t in lines))
        zone = cm['layout']['zone']
        up = zone.get('upstream_m', zone.get('radius_m'))
        down = zone.get('downstream_m', zone.get('radius_m'))
        p = db.execute('select from_m from work_points where site = ? and countermeasure = ?',
                       (site, cm['id'])).fetchone()[0]
        return ((p - up <= x <= p + down) + (p - down <= x <= p + up)) / 2

    w = expected / len(crashes)
    want_target = want_avoided = 0.0
    for c in crashes:
        f, hit = 1.0, False
        for cm in members:
            share = share_of(cm, c[4]) if targeted(cm['targets'], c[:4]) else 0
            if share > 0:
                f *= 1 - share * (1 - cm['cmf'])
                hit = True
        if hit:
            want_target += w
            want_avoided += w * (1 - f)
    ok = abs(want_target - target) <= 1e-9 * max(1, target) and abs(want_avoided - avoided) <= 1e-9 * max(1, avoided)
    print(f'site {site} {cm_ids}: target {target:.6f} (want {want_target:.6f}), '
          f'avoided {avoided:.6f} (want {want_avoided:.6f}) {"ok" if ok else "DIFFERS"}')
    bad += not ok
    checked += 1
print(f'{checked} checked, {bad} differ')
sys.exit(1 if bad or not checked else 0)
