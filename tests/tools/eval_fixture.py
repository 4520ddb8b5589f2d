#!/usr/bin/env python3
"""A run's GeoPackage (segments and crashes layers, as rumble match writes
them) and a treatments CSV for tests/cli/evaluate.t, written into DIR:

hsm/  the HSM's Chapter 9 EB before-after sample (Highway Safety Manual, 1st
      ed., 2010, Part B, Chapter 9): 13 rural two-lane segments, their lengths,
      AADT before and after, crashes 5 years before and 2 after, as the R
      package HSM holds them (github.com/cn838/HSM, data/X9_10_seg.RData).
      Years 2011-2015 before, works through 2016 (3 crashes at site 1 then,
      which no period may count), 2017-2018 after; AADT in per-year columns
      aadt_YYYY (the aadt column is a decoy, 99999).
rtor/ Hauer's right-turn-on-red data for the comparison-group method (as
      quoted in course notes from Hauer 1997): target crashes 167 before and
      313 after at one treated site, 3566 and 6121 at one comparison site.

usage: eval_fixture.py DIR"""
import os
import subprocess
import sys

out = sys.argv[1]
L_MI = [1.114, 0.88, 0.479, 1.0, 0.459, 0.5, 0.987, 0.71, 0.88, 0.72, 0.78, 1.11, 0.92]
AADT_B = [8858, 11190, 11190, 6408, 6402, 6268, 6268, 5503, 5523, 5523, 5523, 5523, 5523]
AADT_A = [8832, 11156, 11156, 6388, 6382, 6250, 6250, 5061, 5024, 5024, 5024, 5024, 5024]
OB = [16, 6, 4, 16, 1, 5, 17, 12, 8, 3, 9, 9, 16]
OA = [2, 2, 2, 1, 1, 1, 9, 0, 0, 0, 5, 6, 1]


def spread(n, years):
    """n dates spread over the years given, one a few days apart."""
    days = []
    for i in range(n):
        y = years[i % len(years)]
        d = 1 + (i // len(years)) * 7 % 360
        m, dd = 1 + (d - 1) // 30, 1 + (d - 1) % 28
        days.append("%04d-%02d-%02d" % (y, min(m, 12), dd))
    return days


def write(dirname, segs, crashes, treatments):
    os.makedirs(dirname, exist_ok=True)
    years = sorted({int(k[5:]) for s in segs for k in s if k.startswith("aadt_")})
    with open(os.path.join(dirname, "segments.csv"), "w") as f:
        f.write("WKT,segment_id,length_m,aadt" + "".join(",aadt_%d" % y for y in years) + "\n")
        for i, s in enumerate(segs):
            y0 = 4800000 + 1000 * i
            f.write('"LINESTRING (500000 %d,%.3f %d)",%s,%.3f,%d' % (y0, 500000 + s["length_m"], y0, s["id"],
                                                                 s["length_m"], s["aadt"]))
            f.write("".join(",%d" % s.get("aadt_%d" % y, 0) for y in years) + "\n")
    with open(os.path.join(dirname, "crashes.csv"), "w") as f:
        f.write("crash_id,segment_id,crash_date,severity,crash_type\n")
        for i, (seg, date, sev, ct) in enumerate(crashes):
            f.write("c%d,%s,%s,%s,%s\n" % (i + 1, seg, date, sev, ct))
    with open(os.path.join(dirname, "treatments.csv"), "w") as f:
        f.write("segment_id,countermeasure,work_start,work_end,role\n")
        for t in treatments:
            f.write(",".join(t) + "\n")
    gpkg = os.path.join(dirname, "run.gpkg")
    subprocess.run(["ogr2ogr", "-f", "GPKG", gpkg, os.path.join(dirname, "segments.csv"), "-nln", "segments",
                    "-oo", "GEOM_POSSIBLE_NAMES=WKT", "-oo", "KEEP_GEOM_COLUMNS=NO", "-oo", "AUTODETECT_TYPE=YES",
                    "-a_srs", "EPSG:32643"], check=True)
    subprocess.run(["ogr2ogr", "-update", gpkg, os.path.join(dirname, "crashes.csv"), "-nln", "crashes"], check=True)


# the HSM sample
segs, crashes, treat = [], [], []
for i in range(13):
    s = {"id": "S%d" % (i + 1), "length_m": L_MI[i] * 1609.344, "aadt": 99999}
    for y in range(2011, 2016):
        s["aadt_%d" % y] = AADT_B[i]
    s["aadt_2016"] = 1
    for y in (2017, 2018):
        s["aadt_%d" % y] = AADT_A[i]
    segs.append(s)
    crashes += [(s["id"], d, "O", "run_off_road") for d in spread(OB[i], range(2011, 2016))]
    crashes += [(s["id"], d, "O", "run_off_road") for d in spread(OA[i], (2017, 2018))]
    treat.append((s["id"], "shoulder_rumble_strips", "2016-01-01", "2016-12-31", "treated"))
crashes += [("S1", d, "O", "run_off_road") for d in ("2016-01-01", "2016-06-15", "2016-12-31")]
write(os.path.join(out, "hsm"), segs, crashes, treat)

# Hauer's right turn on red, for the comparison group
segs = [{"id": "T", "length_m": 1609.344, "aadt": 5000}, {"id": "C", "length_m": 1609.344, "aadt": 5000}]
crashes = [("T", d, "O", "angle") for d in spread(167, range(2011, 2016))]
crashes += [("T", d, "O", "angle") for d in spread(313, (2017, 2018))]
crashes += [("C", d, "O", "angle") for d in spread(3566, range(2011, 2016))]
crashes += [("C", d, "O", "angle") for d in spread(6121, (2017, 2018))]
treat = [("T", "intersection_flashing_beacons", "2016-01-01", "2016-12-31", "treated"), ("C", "", "", "", "comparison")]
write(os.path.join(out, "rtor"), segs, crashes, treat)
