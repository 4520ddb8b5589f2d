#!/usr/bin/python3
"""qgis_render.py RUN.gpkg [OTHER.gpkg ...] [--png DIR]: rumble's styles as
QGIS itself reads and draws them (PyQGIS, headless; Debian's python3-qgis).

RUN.gpkg is a `rumble run` output; every feature table of it is opened with
QGIS's OGR provider, as a user opening the file gets it, and checked:
  style:     its default style comes from the GeoPackage's layer_styles (QGIS
             says "Loaded from Provider"), with the renderer and the colours
             the QML names, not QGIS's random single symbol;
  symbols:   every feature gets a symbol (none falls outside the classes);
  valuemap:  every field with a GeoPackage field domain has a ValueMap
             editor widget (a drop-down) holding the domain's codes, and
             every value in the column is one of them;
  order:     layers by rank (segments, windows, intersections) are drawn in
             the order "rank" DESC NULLS FIRST, and the feature QGIS draws
             last is the one of rank 1;
  markers:   intersections and crashes share no marker shape;
  hotspots:  the rules' colours at least 100 apart in RGB, feature by feature;
  unmatched: a crash not on the network gets a symbol no matched crash has;
             one with a location (from whichever GeoPackage has one) drawn
             alone is mostly the colour rumble's QML gives it (over white),
             and a matched one its severity's colour;
  render:    each layer drawn at its full extent without error, not blank;
  windows:   the windows drawn (QgsMapRendererSequentialJob, no antialiasing)
             at a fixed extent around the rank-1 window: at points along it,
             placed in the image by the map settings' own transform, the
             pixel has the colour of the rank-1 class; drawn again with the
             order-by off, some of those pixels are not (the check can tell).
  work_lines: a multi-line layer; in each OTHER.gpkg (another run of the
             same data, e.g. a small budget whose work lines are each one
             piece) a line layer of the same geometry type as RUN's.
--png DIR writes the windows renderings there (windows.png, windows_unordered.png).

Prints "ok TOPIC: ..." or "FAIL TOPIC: ..." per check, and last
"N passed, N failed"; exits 1 on a failure, 77 (skipped) when the qgis module
cannot be imported, 2 on bad usage."""
import os
import shutil
import sqlite3
import sys
import tempfile
import xml.etree.ElementTree as ET

args = sys.argv[1:]
png_dir = None
if '--png' in args:
    i = args.index('--png')
    png_dir = args[i + 1]
    del args[i:i + 2]
if not args or not all(a.endswith('.gpkg') and os.path.isfile(a) for a in args):
    sys.stderr.write(__doc__)
    sys.exit(2)
RUN, OTHERS = args[0], args[1:]

# headless: Qt's offscreen platform, and a profile and runtime directory of our own
os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
TMP = tempfile.mkdtemp(prefix='qgis_render.')
os.environ.setdefault('XDG_RUNTIME_DIR', TMP)
os.environ['TMPDIR'] = TMP     # Qt's and QGIS's temporary files (qt_temp.*), removed with it
try:
    from qgis.core import (Qgis, QgsApplication, QgsExpressionContext, QgsExpressionContextUtils, QgsFeatureRequest,
                           QgsGeometry, QgsMapRendererSequentialJob, QgsMapSettings,
                           QgsPointXY, QgsRectangle, QgsRenderContext,
                           QgsSpatialIndex, QgsVectorLayer,
                           QgsWkbTypes)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
except ImportError as e:
    print('skipped: the qgis Python module cannot be imported (%s); '
          'install it with: apt-get install python3-qgis qgis-providers' % e)
    shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(77)

passed = failed = 0


def check(ok, topic, text):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    print('%s %s: %s' % ('ok' if ok else 'FAIL', topic, text))
    sys.stdout.flush()
    return ok


app = QgsApplication([], False, TMP)
app.initQgis()


def rgb(c):
    return (c.red(), c.green(), c.blue())


def qml_of(gpkg):
    """the default style's QML of each table, from layer_styles (sqlite3)"""
    db = sqlite3.connect('file:%s?mode=ro' % gpkg, uri=True)
    try:
        rows = db.execute('select f_table_name, styleQML from layer_styles where useAsDefault').fetchall()
    finally:
        db.close()
    return dict(rows)


def sql(gpkg, query, *params):
    db = sqlite3.connect('file:%s?mode=ro' % gpkg, uri=True)
    try:
        return db.execute(query, params).fetchall()
    finally:
        db.close()


def open_layer(gpkg, name, styled=True):
    opts = QgsVectorLayer.LayerOptions()
    opts.loadDefaultStyle = styled
    return QgsVectorLayer('%s|layername=%s' % (gpkg, name), name, 'ogr', opts)


class Symbols:
    """the renderer's symbol for each feature, as QGIS would draw it"""

    def __init__(self, layer):
        self.layer = layer
        self.ctx = QgsRenderContext()
        ec = QgsExpressionContext()
        ec.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        self.ctx.setExpressionContext(ec)
        self.renderer = layer.renderer().clone()
        self.renderer.startRender(self.ctx, layer.fields())

    def of(self, feature):
        self.ctx.expressionContext().setFeature(feature)
        return self.renderer.symbolsForFeature(feature, self.ctx)

    def close(self):
        self.renderer.stopRender(self.ctx)


def key(symbol):
    """what tells a symbol apart on the map: its marker shape (or kind) and colour"""
    sl = symbol.symbolLayer(0)
    shape = sl.encodeShape(sl.shape()) if hasattr(sl, 'shape') else sl.layerType()
    return (shape, rgb(symbol.color()))


# ---- every layer of the run ---------------------------------------------------------
tables = [t for (t,) in sql(RUN, "select table_name from gpkg_contents where data_type = 'features' order by table_name")]
qmls = qml_of(RUN)
check(len(tables) >= 7 and set(tables) <= set(qmls), 'style',
      '%d feature layers (%s), each with a default style in layer_styles' % (len(tables), ' '.join(tables)))
domains = {}
for t, c, d in sql(RUN, 'select table_name, column_name, constraint_name from gpkg_data_columns where constraint_name is not null'):
    domains.setdefault(t, {})[c] = {v for (v,) in sql(RUN, "select value from gpkg_data_column_constraints "
                                                         "where constraint_name = ? and constraint_type = 'enum'", d)}
layers = {}
for name in tables:
    plain = open_layer(RUN, name, styled=False)
    layer = open_layer(RUN, name)
    if not check(layer.isValid() and plain.isValid(), 'style', '%s opens in QGIS (%d features)' % (name, layer.featureCount())):
        continue
    layers[name] = layer
    # the style QGIS gives the layer when it is opened, and loaded again explicitly
    msg, loaded = plain.loadDefaultStyle()
    root = ET.fromstring(qmls[name])
    r = root.find('renderer-v2')
    want_type = r.get('type')
    want_colors = [tuple(int(x) for x in p.get('v').split(',')[:3]) for p in r.iter('prop')
                   if p.get('k') in ('color', 'line_color')]
    have_colors = [rgb(s.color()) for s in layer.renderer().symbols(QgsRenderContext())]
    check(loaded and msg == 'Loaded from Provider' and plain.renderer().type() == want_type
          and layer.renderer().type() == want_type and have_colors == want_colors, 'style',
          '%s: %s from the GeoPackage ("%s"), colours %s' % (name, layer.renderer().type(), msg,
                                                             ' '.join('%d,%d,%d' % c for c in have_colors)))
    # every feature has a symbol
    syms = Symbols(layer)
    none = [f.id() for f in layer.getFeatures() if not syms.of(f)]
    syms.close()
    check(not none, 'symbols', '%s: every feature drawn (%d without a symbol%s)' %
          (name, len(none), ', fid ' + ' '.join(map(str, none[:5])) if none else ''))
    # coded fields: drop-downs of the domain's codes, holding every value of the column
    for field, codes in sorted(domains.get(name, {}).items()):
        setup = layer.fields().field(field).editorWidgetSetup()
        vm = {}
        for m in setup.config().get('map', []):
            vm.update(m)
        values = {f[field] for f in layer.getFeatures() if f[field] not in (None, '') and not
                  (hasattr(f[field], 'isNull') and f[field].isNull())}
        check(setup.type() == 'ValueMap' and set(vm.values()) == codes and values <= codes, 'valuemap',
              '%s.%s: %s widget, %d codes (the domain has %d), the column\'s %d values among them%s' %
              (name, field, setup.type() or 'no', len(vm), len(codes), len(values),
               '' if values <= codes else ' (not: %s)' % ' '.join(sorted(values - codes))))

# ---- drawing order: the worst on top -----------------------------------------------------
for name in ('segments', 'windows', 'intersections'):
    if name not in layers:
        continue
    layer = layers[name]
    r = layer.renderer()
    clauses = r.orderBy().list()
    ok = (r.orderByEnabled() and len(clauses) == 1 and clauses[0].expression().expression() == '"rank"'
          and not clauses[0].ascending() and clauses[0].nullsFirst())
    # the features in the order QGIS draws them: the last is rank 1
    order = [f['rank'] for f in layer.getFeatures(QgsFeatureRequest().setOrderBy(r.orderBy()))]
    ranks = sorted(v for v in order if v is not None)
    check(ok and order and order[-1] == 1 == ranks[0] and order[:len(order) - len(ranks)] == [None] * (len(order) - len(ranks)),
          'order', '%s: order-by %s (%s), %d features drawn from rank %s to rank %s last' %
          (name, 'on' if r.orderByEnabled() else 'off', r.orderBy().dump(), len(order),
           order[0] if order else '-', order[-1] if order else '-'))


def feature_keys(layer, where=None):
    syms = Symbols(layer)
    keys = {}
    for f in layer.getFeatures():
        if where is None or where(f):
            for s in syms.of(f):
                keys.setdefault(key(s), 0)
                keys[key(s)] += 1
    syms.close()
    return keys


def show(keys):
    return ' '.join('%s/%d,%d,%d' % (k[0], *k[1]) for k in sorted(keys))


# ---- intersections apart from crashes; the unmatched apart from the counted ---------------
if 'crashes' in layers:
    crashes = layers['crashes']
    matched = feature_keys(crashes, lambda f: f['match_status'] != 'unmatched')
    unmatched = feature_keys(crashes, lambda f: f['match_status'] == 'unmatched')
    n_un = sql(RUN, "select count(*) from crashes where match_status = 'unmatched'")[0][0]
    check(n_un > 0 and sum(unmatched.values()) == n_un and unmatched and not set(unmatched) & set(matched), 'unmatched',
          '%d unmatched crashes drawn %s; the matched %s' % (n_un, show(unmatched), show(matched)))
    if 'intersections' in layers:
        inter = feature_keys(layers['intersections'])
        shapes_i = {k[0] for k in inter}
        shapes_c = {k[0] for k in list(matched) + list(unmatched)}
        check(inter and not shapes_i & shapes_c, 'markers',
              'intersections drawn %s, crashes %s: no shape in common' % (show(inter), show(set(matched) | set(unmatched))))

# ---- hotspot rules ---------------------------------------------------------------------------
if 'hotspots' in layers:
    layer = layers['hotspots']
    syms = Symbols(layer)
    by_rule = {}
    for f in layer.getFeatures():
        for s in syms.of(f):
            by_rule.setdefault(f['rule'], set()).add(rgb(s.color()))
    syms.close()
    cat = {c.value(): rgb(c.symbol().color()) for c in layer.renderer().categories()}
    one = all(len(v) == 1 for v in by_rule.values())
    colors = sorted(cat.items())
    dist = min((sum((a - b) ** 2 for a, b in zip(c1, c2)) ** 0.5
                for i, (_, c1) in enumerate(colors) for (_, c2) in colors[i + 1:]), default=0)
    check(one and len(by_rule) >= 2 and len({next(iter(v)) for v in by_rule.values()}) == len(by_rule)
          and len(cat) == 4 and dist >= 100, 'hotspots',
          'rules %s; the %d features of %d rules in %d colours; categories %s, nearest two %.0f apart in RGB' %
          (' '.join(sorted(by_rule)), layer.featureCount(), len(by_rule), len({c for v in by_rule.values() for c in v}),
           ' '.join('%s=%d,%d,%d' % (k, *c) for k, c in colors), dist))

# ---- work_lines: one line geometry type in every run ---------------------------------------------
if 'work_lines' in layers:
    t0 = layers['work_lines'].wkbType()
    check(QgsWkbTypes.geometryType(t0) == QgsWkbTypes.LineGeometry and QgsWkbTypes.isMultiType(t0), 'work_lines',
          '%s: %s, a line type that holds one piece or more' % (RUN, QgsWkbTypes.displayString(t0)))
    for other in OTHERS:
        wl = open_layer(other, 'work_lines')
        parts = [f.geometry().constGet().numGeometries() if f.geometry().isMultipart() else 1 for f in wl.getFeatures()]
        check(wl.isValid() and QgsWkbTypes.geometryType(t0) == QgsWkbTypes.LineGeometry and wl.wkbType() == t0,
              'work_lines', '%s: %s (%d features, at most %d parts each); %s: %s' %
              (RUN, QgsWkbTypes.displayString(t0), layers['work_lines'].featureCount(), max(
                  [f.geometry().constGet().numGeometries() for f in layers['work_lines'].getFeatures()] or [0]),
               other, QgsWkbTypes.displayString(wl.wkbType()) + ' (%d features, at most %d parts each)' % (len(parts), max(parts or [0]))))


# ---- rendering ---------------------------------------------------------------------------------
def render(layer, extent, size):
    ms = QgsMapSettings()
    ms.setLayers([layer])
    ms.setDestinationCrs(layer.crs())
    ms.setOutputSize(QSize(size, size))
    ms.setOutputDpi(300)
    ms.setBackgroundColor(QColor(255, 255, 255))
    ms.setFlag(QgsMapSettings.Antialiasing, False)
    ms.setExtent(extent)
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), ms, [e.message for e in job.errors()]


for name, layer in sorted(layers.items()):
    extent = QgsRectangle(layer.extent())
    if extent.width() < 1 or extent.height() < 1:   # a single point: 1 km around it
        extent.grow(500)
    img, ms, errors = render(layer, extent, 600)
    drawn = sum(1 for y in range(0, img.height(), 3) for x in range(0, img.width(), 3)
                if rgb(QColor(img.pixel(x, y))) != (255, 255, 255))
    check(not errors and drawn > 0, 'render', '%s: full extent drawn, %d of %d sampled pixels not background%s' %
          (name, drawn, (img.height() // 3 + 1) * (img.width() // 3 + 1), '; errors: ' + '; '.join(errors) if errors else ''))



def composite(c):
    """a colour of alpha a drawn over white"""
    a = c.alpha() / 255
    return tuple(round(v * a + 255 * (1 - a)) for v in rgb(c))


def qml_color(gpkg, table, category):
    """the colour rumble's QML gives a category (as written, not as QGIS reads it)"""
    r = ET.fromstring(qml_of(gpkg)[table]).find('renderer-v2')
    num = [c.get('symbol') for c in r.iter('category') if c.get('value') == category][0]
    sym = [s for s in r.iter('symbol') if s.get('name') == num][0]
    v = [int(x) for x in [p.get('v') for p in sym.iter('prop') if p.get('k') == 'color'][0].split(',')]
    return QColor(*v)


def drawn_alone(gpkg, layer, where, category):
    """a feature matching where with no other feature within 10 m: drawn alone in
    6 m around it, the colour most of its symbol's pixels have, and the colour
    rumble's style gives its category, over white"""
    index = QgsSpatialIndex(layer.getFeatures())
    for f in layer.getFeatures():
        if not where(f) or not f.hasGeometry():
            continue
        p = f.geometry().asPoint()
        near = [i for i in index.nearestNeighbor(p, 2) if i != f.id()]
        if near and layer.getFeature(near[0]).geometry().distance(f.geometry()) < 10:
            continue
        img, ms, errors = render(layer, QgsRectangle(p.x() - 3, p.y() - 3, p.x() + 3, p.y() + 3), 120)
        c = ms.mapToPixel().transform(QgsPointXY(p))
        count = {}
        for y in range(int(c.y()) - 12, int(c.y()) + 13):
            for x in range(int(c.x()) - 12, int(c.x()) + 13):
                v = rgb(QColor(img.pixel(x, y)))
                if v != (255, 255, 255):
                    count[v] = count.get(v, 0) + 1
        most = max(count, key=count.get) if count else None
        return f, most, composite(qml_color(gpkg, layer.name(), category(f))), errors
    return None, None, None, []


# ---- a crash not on the network, drawn: not like a counted one -----------------------------------
seen = False
for gpkg in [RUN] + OTHERS:
    crashes = open_layer(gpkg, 'crashes')
    un, un_most, un_want, e1 = drawn_alone(gpkg, crashes, lambda f: f['match_status'] == 'unmatched',
                                           lambda f: 'unmatched')
    if un is None:
        continue
    seen = True
    m, m_most, m_want, e2 = drawn_alone(gpkg, crashes, lambda f: f['match_status'] == 'matched',
                                        lambda f: f['severity'])
    check(not e1 and un_most == un_want, 'unmatched',
          '%s: crash %s (unmatched, %s) drawn mostly %s, the style\'s colour over white %s' %
          (gpkg, un['crash_id'] if 'crash_id' in un.fields().names() else un.id(), un['unmatched_reason'],
           '%d,%d,%d' % un_most if un_most else 'nothing', '%d,%d,%d' % un_want))
    check(m is not None and not e2 and m_most == m_want and m_most != un_most, 'unmatched',
          '%s: a matched crash (severity %s) drawn mostly %s, as its style says (%s), not as the unmatched' %
          (gpkg, m['severity'] if m else '-', '%d,%d,%d' % m_most if m_most else 'nothing',
           '%d,%d,%d' % m_want if m_want else '-'))
    break
check(seen, 'unmatched', 'an unmatched crash with a location to draw in %s' % ' '.join([RUN] + OTHERS))

if 'windows' in layers:
    layer = layers['windows']
    top = [f for f in layer.getFeatures(QgsFeatureRequest().setFilterExpression('"rank" = 1'))]
    geom = QgsGeometry(top[0].geometry()) if len(top) == 1 else None
    if check(geom is not None and not geom.isEmpty(), 'windows', '%d window of rank 1 (fid %s, %.0f m)' %
             (len(top), top[0].id() if top else '-', geom.length() if geom else 0)):
        syms = Symbols(layer)
        want = rgb(syms.of(top[0])[0].color())
        syms.close()
        # a square around the window, a tenth wider than it
        bb = geom.boundingBox()
        cx, cy = bb.center().x(), bb.center().y()
        half = max(bb.width(), bb.height()) * 0.55
        extent = QgsRectangle(cx - half, cy - half, cx + half, cy + half)
        size = 800
        img, ms, errors = render(layer, extent, size)
        m2p = ms.mapToPixel()
        # points along the window, 2 % to 98 % of its length, in pixels by the map settings
        pts = []
        for i in range(1, 50):
            p = geom.interpolate(geom.length() * (0.02 + 0.96 * i / 50)).asPoint()
            px = m2p.transform(QgsPointXY(p))
            pts.append((int(px.x()), int(px.y())))
        pts = [(x, y) for x, y in pts if 0 <= x < size and 0 <= y < size]
        got = [rgb(QColor(img.pixel(x, y))) for x, y in pts]
        # the same with QGIS's default order (the provider's, by fid)
        unordered = layer.clone()
        r = unordered.renderer().clone()
        r.setOrderByEnabled(False)
        unordered.setRenderer(r)
        img2, _, errors2 = render(unordered, extent, size)
        got2 = [rgb(QColor(img2.pixel(x, y))) for x, y in pts]
        if png_dir:
            img.save(os.path.join(png_dir, 'windows.png'))
            img2.save(os.path.join(png_dir, 'windows_unordered.png'))
        others = sorted({c for c in got if c != want})
        check(not errors and len(pts) >= 40 and all(c == want for c in got), 'windows',
              'rank 1 on top: %d of %d points along it (extent %.0f,%.0f-%.0f,%.0f, %dx%d px) have the rank-1 colour %d,%d,%d%s' %
              (sum(c == want for c in got), len(pts), extent.xMinimum(), extent.yMinimum(), extent.xMaximum(),
               extent.yMaximum(), size, size, *want, '; others: ' + ' '.join('%d,%d,%d' % c for c in others) if others else ''))
        covered = sorted({c for c in got2 if c != want})
        check(not errors2 and covered, 'windows',
              'the check tells: with the order-by off, %d of the %d points are covered by lower ranks (%s)' %
              (sum(c != want for c in got2), len(pts), ' '.join('%d,%d,%d' % c for c in covered) or 'none'))

print('QGIS %s' % Qgis.QGIS_VERSION)
print('%d passed, %d failed' % (passed, failed))
sys.stdout.flush()
shutil.rmtree(TMP, ignore_errors=True)
# out without QGIS's teardown: exitQgis() with the layers and renderers Python
# still holds crashes PyQGIS 3.22 on its way out (exit 139 after the result)
os._exit(1 if failed else 0)
