#!/bin/bash
# doc/mkman.sh RUMBLE > doc/rumble.1: the man page, made from each command's
# --help (options, config keys, examples) and the words below, so the page and
# the program cannot disagree. tests/cli/help.t checks doc/rumble.1 is current.
set -eu
R=$1
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/" -e 's/-/\\-/g'; }
cat <<'HEAD'
.\" -*- coding: utf-8 -*-
.TH RUMBLE 1 "2026" "rumble" "User Commands"
.SH NAME
rumble \- crashes onto roads, network screening, countermeasures and work orders
.SH SYNOPSIS
.B rumble
.I command
.RI [ options ]
.SH DESCRIPTION
.B rumble
reads police crash records and a road network (anything GDAL reads: Shapefile,
GeoPackage, PostGIS, CSV, XLSX, OpenStreetMap), puts every crash on its road or
says why not, screens the network with the Highway Safety Manual's measures
(SPFs, Empirical Bayes, sliding windows, peak searching, the continuous risk
profile) and the crash-concentration rule, diagnoses each site's crash
pattern, picks countermeasures with their crash modification factors, weighs
benefit against cost under a budget, lays out the work orders, and writes a
report.
Outputs open ready-styled in QGIS.
.PP
Options may come from a JSON config
.RB ( \-\-config )
under the key shown in brackets; flags given on the command line win.
HEAD
for cmd in match screen run plan report fit-spf calibrate systemic evaluate merge; do
    echo ".SH \"RUMBLE $(echo "$cmd" | tr a-z A-Z)\""
    "$R" "$cmd" --help | awk -v q="'" '
        NR == 1 { sub(/^usage: /, ""); print ".SS Usage"; print ".nf"; print; print ".fi"; next }
        /^Options/ { print ".SS Options"; next }
        /^Screening:/ { print ".SS \"Screening and planning\""; next }
        /^GDAL-style/ { print ".SS \"GDAL-style options\""; next }
        /^Examples/ { print ".SS Examples"; print ".nf"; ex = 1; next }
        ex { print; next }
        /^  / && !ex {
            left = substr($0, 3, 32); rest = substr($0, 36)
            sub(/ +$/, "", left); sub(/^ +/, "", left)
            print ".TP"; print left; print rest; next }
        { }
        END { if (ex) print ".fi" }' | esc_lines=1 sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e 's/^\\\\-/\\-/' \
        -e 's/^\.\\\(TP\|SS\|nf\|fi\)/.\1/' -e 's/^\.SS \(.*\)\\-\(.*\)$/.SS \1-\2/'
done
cat <<'TAIL'
.SH "EXIT STATUS"
.TP
0
success
.TP
1
the input cannot be read or trusted (the message names file, row and field); no output is left behind
.TP
2
wrong command line or config
.TP
3
out of memory
.TP
4
\-\-strict was given and the input had warnings; no output is left
.SH FILES
.TP
data/
vocabulary.json (values and their synonyms), crash_costs.json, countermeasures.json (the catalogue with CMFs and sources),
placement.json (sign distances, chevron spacing, strip gaps), spf/ (safety performance functions), locale/ (report labels),
osmconf.ini (OpenStreetMap tags as fields); \-\-data\-dir or RUMBLE_DATA_DIR to use another.
.SH ENVIRONMENT
.TP
RUMBLE_DATA_DIR
where the data files are, when \-\-data\-dir is not given
.SH "SEE ALSO"
.BR ogr2ogr (1),
.BR ogrinfo (1),
.BR qgis (1);
doc/methods.md (the methods and their sources), doc/outputs.md (the output fields) and doc/config.md (every config key), installed with the source tree.
TAIL
