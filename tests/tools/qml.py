#!/usr/bin/env python3
"""qml.py STYLES.csv LAYER   (layer_styles exported by ogr2ogr -f CSV), or
qml.py FILE.qml: parses the QML (xml.etree) and prints one line,
  "<renderer type> <attr> <values>"
with the categories' values, or the ranges as lower-upper, comma-separated,
and the number of symbols; it fails when the XML does not parse, a category or
range names a symbol that is not there, or the layer has no default style."""
import csv
import sys
import xml.etree.ElementTree as ET

if sys.argv[1].endswith('.qml'):
    text = open(sys.argv[1], encoding='utf-8').read()
else:
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
print(kind, attr, ','.join(vals), len(symbols))
