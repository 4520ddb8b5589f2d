#!/usr/bin/env python3
"""qml.py STYLES.csv LAYER [WHAT]  (layer_styles exported by ogr2ogr -f CSV), or
qml.py FILE.qml [WHAT]: parses the QML (xml.etree) and prints one line,
  "<renderer type> <attr> <values>"
with the categories' values, or the ranges as lower-upper, comma-separated,
and the number of symbols; it fails when the XML does not parse, a category or
range names a symbol that is not there, or the layer has no default style.
WHAT "order": the drawing order instead ("none", or "<expression> asc|desc
nulls first|last"); "markers": each symbol's marker name and colour, by
symbol number ("0:circle:183,28,28 1:..."); "colors": each symbol's colour."""
import csv
import sys
import xml.etree.ElementTree as ET

what = ''
if sys.argv[1].endswith('.qml'):
    text = open(sys.argv[1], encoding='utf-8').read()
    what = sys.argv[2] if len(sys.argv) > 2 else ''
else:
    what = sys.argv[3] if len(sys.argv) > 3 else ''
    csv.field_size_limit(1 << 24)
    rows = [r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8'))
            if r['f_table_name'] == sys.argv[2] and r['useAsDefault'] in ('1', 'true', 'True')]
    assert len(rows) == 1, 'want one default style for %s, have %d' % (sys.argv[2], len(rows))
    text = rows[0]['styleQML']
root = ET.fromstring(text)
assert root.tag == 'qgis'
r = root.find('renderer-v2')
symbols = {s.get('name') for s in r.find('symbols').findall('symbol')}
kind, attr = r.get('type'), r.get('attr') or ''
if kind == 'categorizedSymbol':
    items = r.find('categories').findall('category')
    vals = [c.get('value') for c in items]
elif kind == 'graduatedSymbol':
    items = r.find('ranges').findall('range')
    vals = ['%g-%g' % (float(x.get('lower')), float(x.get('upper'))) for x in items]
else:
    items, vals = [], []
for it in items:
    assert it.get('symbol') in symbols, 'no symbol %s' % it.get('symbol')


def prop(layer, key):
    for p in layer.iter('prop'):
        if p.get('k') == key:
            return p.get('v')
    for o in layer.iter('Option'):
        if o.get('name') == key:
            return o.get('value')
    return ''


if what == 'order':
    clauses = r.findall('orderby/orderByClause')
    if r.get('enableorderby') != '1' or not clauses:
        print('none')
    else:
        print(', '.join('%s %s nulls %s' % (c.text, 'asc' if c.get('asc') == '1' else 'desc',
                                             'first' if c.get('nullsFirst') == '1' else 'last') for c in clauses))
elif what in ('markers', 'colors'):
    out = []
    for sym in sorted(r.find('symbols').findall('symbol'), key=lambda e: int(e.get('name'))):
        layer = sym.find('layer')
        color = ','.join((prop(layer, 'color') or prop(layer, 'line_color')).split(',')[:3])
        out.append('%s:%s:%s' % (sym.get('name'), prop(layer, 'name'), color) if what == 'markers'
                   else '%s:%s' % (sym.get('name'), color))
    print(' '.join(out))
else:
    print(kind, attr, ','.join(vals), len(symbols))
