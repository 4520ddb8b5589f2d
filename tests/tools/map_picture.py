#!/usr/bin/env python3
"""map_picture.py REPORT.html RUN.gpkg: the report's map drew the network's
lower classes as a picture (rumble report --map-points): the PNG in the SVG is
twice the map's size (to the pixel the viewBox is written to), and every segment outside the best 20 % by rank has its
first point drawn (a non-transparent pixel where the map's own transform puts
it), while the map's corners, 10 px from any road, are empty. The transform is
recomputed here from the segments' extent (SpatiaLite through ogr2ogr): scale
s = min(940 / dx, 700 / dy), 10 px of margin. Pixels are read through GDAL
(gdal_translate to raw bytes). Prints the counts; exits 1 on a failure."""
import base64, re, subprocess, sys, tempfile, os, math

html, gpkg = sys.argv[1], sys.argv[2]
s = open(html, encoding="utf-8").read()
m = re.search(r'<svg[^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)"', s[s.index('<section id="map"'):])
w, h = float(m.group(1)), float(m.group(2))
img = re.search(r'<image class="net" x="0" y="0" width="([0-9.]+)" height="([0-9.]+)"[^>]*href="data:image/png;base64,([^"]*)"', s)
if not img:
    sys.exit("no picture in the map")
tmp = tempfile.mkdtemp()
png = os.path.join(tmp, "map.png")
open(png, "wb").write(base64.b64decode(img.group(3)))
raw = os.path.join(tmp, "map.raw")
subprocess.run(["gdal_translate", "-q", "-of", "ENVI", png, raw], check=True)
hdr = open(raw[:-4] + ".hdr").read()
ncols = int(re.search(r"samples\s*=\s*(\d+)", hdr).group(1))
nrows = int(re.search(r"lines\s*=\s*(\d+)", hdr).group(1))
data = open(raw, "rb").read()   # one byte a pixel, row by row from the top
grid = [data[j * ncols:(j + 1) * ncols] for j in range(nrows)]
# the viewBox is written to the pixel, the picture made from the unrounded size
if abs(ncols - 2 * w) > 2 or abs(nrows - 2 * h) > 2:
    sys.exit("picture %d x %d, map %g x %g" % (ncols, nrows, w, h))

def sql(q):
    out = subprocess.run(["ogr2ogr", "-f", "CSV", "/vsistdout/", "-dialect", "SQLite", "-sql", q, gpkg],
                         check=True, capture_output=True, text=True).stdout.strip().split("\n")
    return [[v.strip('"') for v in r.split(",")] for r in out[1:]]

x0, y0, x1, y1 = map(float, sql("select min(ST_MinX(geom)), min(ST_MinY(geom)), max(ST_MaxX(geom)), "
                                  "max(ST_MaxY(geom)) from segments")[0])
sc = min(940 / max(x1 - x0, 1e-9), 700 / max(y1 - y0, 1e-9))
ox, oy = x0 - 10 / sc, y1 + 10 / sc
ranked = int(sql("select count(rank) from segments")[0][0])
rows = sql("select rank, ST_X(ST_PointN(ST_GeometryN(geom, 1), 1)), ST_Y(ST_PointN(ST_GeometryN(geom, 1), 1)) "
           "from segments where rank is null or rank > %.6f" % (0.2 * ranked))
drawn = 0
for r in rows:
    px, py = (float(r[1]) - ox) * sc * 2, (oy - float(r[2])) * sc * 2
    i, j = min(int(px), ncols - 1), min(int(py), nrows - 1)
    if grid[j][i] == 0:
        sys.exit("segment ranked %s: its first point (pixel %d, %d) is not drawn" % (r[0], i, j))
    drawn += 1
corners = [grid[0][0], grid[0][ncols - 1], grid[nrows - 1][0], grid[nrows - 1][ncols - 1]]
if any(corners):
    sys.exit("a corner of the picture is drawn: %s" % corners)
print("%d segments of the lower classes drawn, corners empty, picture %d x %d" % (drawn, ncols, nrows))
