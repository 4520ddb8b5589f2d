#!/bin/bash
# Benchmark: rumble match against PostGIS doing the same job on the same files.
#
# Generates N crashes and M segments (bench/gen_grid, seeded, EPSG:32643, both
# GeoPackage), then times end to end:
#   rumble:  rumble match (read both layers, index, match within 30 m, per-segment
#            statistics, write the GeoPackage with crashes and segments)
#   PostGIS: ogr2ogr load of both layers with GiST indexes, ANALYZE, the nearest
#            segment within 30 m per crash by a KNN (<->) LATERAL query with
#            ST_Distance and ST_LineLocatePoint into a table, and ogr2ogr export of
#            that table to a GeoPackage
# on a throwaway PostgreSQL cluster on a loopback port that the script starts
# and stops. Prints both times, the ratio and rumble's peak memory.
#
# usage: bench/match.sh [N] [M]     (default 1000000 1000000)
#        RUMBLE_BENCH_DIR=dir to keep the data (default: a temporary directory)
set -eu
. "$(dirname "$0")/common.sh" "$@"
PGPORT=${PGPORT:-55432}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

need=""
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || need="$need postgresql"
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need="$need postgis postgresql-15-postgis-3"
command -v /usr/bin/time >/dev/null || need="$need time"
if [ -n "$need" ]; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
        PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    else
        echo "bench: missing packages; run: sudo apt-get install -y$need" >&2
        exit 1
    fi
fi


machine
echo "== rumble $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(gcc --version | head -1), GDAL $(gdal-config --version), $($PGBIN/postgres --version), PostGIS $(ls /usr/share/postgresql/*/extension/postgis--*.sql | sed -n 's/.*postgis--\([0-9.]*\)\.sql/\1/p' | sort -V | tail -1)"
if [ ! -s "$WORK/roads.gpkg" ] || [ ! -s "$WORK/crashes.gpkg" ] || [ "$(cat "$WORK/size" 2>/dev/null)" != "$N $M" ]; then
    rm -f "$WORK/roads.gpkg" "$WORK/crashes.gpkg"
    "$B/gen_grid" "$WORK" "$N" "$M"
    echo "$N $M" > "$WORK/size"
fi

# ---- rumble ----
run_rumble() {   # run_rumble OUT [extra options]: prints seconds, writes peak KB to OUT.mem
    local out=$1; shift
    rm -f "$out"
    local t0 t1
    t0=$(now)
    /usr/bin/time -f "%M" -o "$out.mem" "$B/rumble" match -q --no-timings \
        --roads "$WORK/roads.gpkg" --crashes "$WORK/crashes.gpkg" --road-id seg_id --aadt-field aadt \
        --id-field crash_id --date-field crash_date --severity-field severity \
        --tolerance 30 -o "$out" "$@"
    t1=$(now)
    secs "$t0" "$t1"
}
t_rumble=$(run_rumble "$WORK/rumble_out.gpkg")
mem_mb=$(( $(cat "$WORK/rumble_out.gpkg.mem") / 1024 ))
t_rumble_ni=$(run_rumble "$WORK/rumble_indexed.gpkg" --spatial-index yes)
mem_ni_mb=$(( $(cat "$WORK/rumble_indexed.gpkg.mem") / 1024 ))
matched_rumble=$(ogrinfo -ro -q -sql "select count(*) from crashes where match_status = 'matched'" "$WORK/rumble_out.gpkg" | sed -n 's/.* = //p')

# ---- PostGIS ----
PGDATA=$WORK/pg
rm -rf "$PGDATA"
RUNAS=""
[ "$(id -u)" = 0 ] && { chown -R postgres "$WORK"; RUNAS="runuser -u postgres --"; }
$RUNAS "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null
$RUNAS "$PGBIN/pg_ctl" -D "$PGDATA" -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" -l "$PGDATA/log" -w start >/dev/null
trap '$RUNAS "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true' EXIT
PSQL="$PGBIN/psql -q -h 127.0.0.1 -p $PGPORT -U postgres -v ON_ERROR_STOP=1"
$PSQL -c "create database bench" >/dev/null
$PSQL -d bench -c "create extension postgis" >/dev/null
PG="PG:host=127.0.0.1 port=$PGPORT user=postgres dbname=bench"

t0=$(now)
ogr2ogr -f PostgreSQL "$PG" "$WORK/roads.gpkg" roads -nln roads -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST
ogr2ogr -f PostgreSQL "$PG" "$WORK/crashes.gpkg" crashes -nln crashes -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST
$PSQL -d bench -c "analyze roads; analyze crashes;"
t1=$(now)
$PSQL -d bench -c "
create table matched as
select c.fid, c.crash_id, s.seg_id, s.dist as offset_m,
       ST_LineLocatePoint(s.geom, c.geom) * ST_Length(s.geom) as measure_m,
       case when s.seg_id is null then 'unmatched' else 'matched' end as match_status, c.geom
from crashes c
left join lateral (
    select r.seg_id, r.geom, ST_Distance(r.geom, c.geom) as dist
    from roads r
    order by r.geom <-> c.geom
    limit 1
) s on s.dist <= 30;"
t2=$(now)
ogr2ogr -f GPKG "$WORK/postgis_out.gpkg" "$PG" matched -nln crashes -overwrite
t3=$(now)
matched_pg=$($PSQL -d bench -At -c "select count(*) from matched where match_status = 'matched'")
t_load=$(secs "$t0" "$t1"); t_query=$(secs "$t1" "$t2"); t_export=$(secs "$t2" "$t3")
t_pg=$(secs "$t0" "$t3")

echo "== N = $N crashes, M = $(ogrinfo -ro -q -sql 'select count(*) from roads' "$WORK/roads.gpkg" | sed -n 's/.* = //p') segments"
echo "rumble match:  ${t_rumble} s end to end, peak memory ${mem_mb} MB, matched $matched_rumble"
echo "  with GeoPackage spatial indexes on both layers (--spatial-index yes): ${t_rumble_ni} s, peak memory ${mem_ni_mb} MB"
echo "PostGIS:       ${t_pg} s end to end (load + index ${t_load} s, KNN query ${t_query} s, export ${t_export} s), matched $matched_pg"
echo "ratio:         PostGIS / rumble = $(echo "$t_pg / $t_rumble" | bc -l | xargs printf '%.1f')x" \
     "($(echo "$t_pg / $t_rumble_ni" | bc -l | xargs printf '%.1f')x with --spatial-index yes)"
[ "$matched_rumble" = "$matched_pg" ] || echo "WARNING: matched counts differ ($matched_rumble vs $matched_pg)"
