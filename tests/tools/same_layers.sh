#!/bin/bash
# same_layers.sh A B [LAYER...]: the layers (default crashes, segments,
# rejected) of two outputs hold the same rows, byte for byte once each
# layer's rows (as CSV with WKT geometry, every field) are sorted, with the
# same fields, types, domains, CRS, extent and feature count. Prints the first
# differences and fails when they differ.
set -u
a=$1 b=$2
shift 2
layers=("$@")
[ ${#layers[@]} -eq 0 ] && layers=(crashes segments rejected)
dump() {
    for l in "${layers[@]}"; do
        echo "== $l"
        ogrinfo -ro -so "$1" "$l" 2>/dev/null | grep -v '^INFO: Open of'
        ogr2ogr -f CSV /vsistdout/ -lco GEOMETRY=AS_WKT "$1" "$l" 2>/dev/null | LC_ALL=C sort
    done
}
if ! diff <(dump "$a") <(dump "$b") > /dev/null; then
    diff <(dump "$a") <(dump "$b") | head -20 >&2
    exit 1
fi
