#!/bin/bash
# Benchmark: rumble match against PostGIS doing the same job on the same files,
# and against the floor GDAL sets for the same input and output.
#
# Generates N crashes and M segments (bench/gen_grid, seeded, EPSG:32643, both
# GeoPackage), then times end to end:
#   rumble:  rumble match (read both layers, index, match within 30 m, per-segment
#            statistics, write the GeoPackage with crashes and segments)
#   PostGIS: as its best users write it: ogr2ogr load of both layers with GiST
#            indexes, ANALYZE, the nearest segment within 30 m per crash by a
#            LATERAL subquery that filters with ST_DWithin (so the GiST index
#            bounds the search) and orders by <-> (KNN) LIMIT 1, ST_LineLocatePoint
#            for the measure, parallel workers allowed; the crashes with all their
#            fields and the match, and the segments with all theirs and their
#            crash counts, exported to a GeoPackage (the same two layers)
#   floor:   GDAL reading both inputs (ogr2ogr to the Memory driver) plus
#            copying rumble's own output GeoPackage (ogr2ogr, read and write):
#            no tool that reads these inputs and writes that output can do less
# on a throwaway PostgreSQL cluster on a loopback port that the script starts
# and stops. Prints the times, the ratio to PostGIS and to the floor, and
# rumble's peak memory. RUMBLE_BENCH_OLD=1 also times the earlier benchmark's
# query (KNN without ST_DWithin, which scans far for crashes with no road
# near), labelled as such.
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
grid_data

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
# a cluster an earlier run left running in this directory holds the port: stop it first
[ -f "$PGDATA/postmaster.pid" ] && { [ "$(id -u)" = 0 ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop \
    || "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop; } >/dev/null 2>&1 || true
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
# the nearest segment within 30 m: ST_DWithin lets the GiST index bound the
# candidates, <-> orders them, and a crash with no road near costs one probe
$PSQL -d bench -c "
set max_parallel_workers_per_gather = 2;
create table matched as
select c.*, s.seg_id as matched_seg_id, s.dist as offset_m,
       ST_LineLocatePoint(s.geom, c.geom) * ST_Length(s.geom) as measure_m,
       case when s.seg_id is null then 'unmatched' else 'matched' end as match_status
from crashes c
left join lateral (
    select r.seg_id, r.geom, ST_Distance(r.geom, c.geom) as dist
    from roads r
    where ST_DWithin(r.geom, c.geom, 30)
    order by r.geom <-> c.geom
    limit 1
) s on true;
create table segments as
select r.*, coalesce(n.n_obs, 0) as n_obs
from roads r left join (select matched_seg_id, count(*) as n_obs from matched
                        where matched_seg_id is not null group by 1) n on n.matched_seg_id = r.seg_id;"
t2=$(now)
rm -f "$WORK/postgis_out.gpkg"
ogr2ogr -f GPKG "$WORK/postgis_out.gpkg" "$PG" matched -nln crashes
ogr2ogr -f GPKG -update "$WORK/postgis_out.gpkg" "$PG" segments -nln segments
t3=$(now)
matched_pg=$($PSQL -d bench -At -c "select count(*) from matched where match_status = 'matched'")
t_load=$(secs "$t0" "$t1"); t_query=$(secs "$t1" "$t2"); t_export=$(secs "$t2" "$t3")
t_pg=$(secs "$t0" "$t3")
t_old=""
if [ "${RUMBLE_BENCH_OLD:-0}" = 1 ]; then
    t4=$(now)
    $PSQL -d bench -c "
    create table matched_old as
    select c.fid, c.crash_id, s.seg_id, s.dist as offset_m,
           ST_LineLocatePoint(s.geom, c.geom) * ST_Length(s.geom) as measure_m, c.geom
    from crashes c
    left join lateral (
        select r.seg_id, r.geom, ST_Distance(r.geom, c.geom) as dist
        from roads r
        order by r.geom <-> c.geom
        limit 1
    ) s on s.dist <= 30;"
    t_old=$(secs "$t4" "$(now)")
fi

# ---- the GDAL floor: read both inputs, copy rumble's output ----
t0=$(now)
ogr2ogr -f Memory /vsimem/roads "$WORK/roads.gpkg"
ogr2ogr -f Memory /vsimem/crashes "$WORK/crashes.gpkg"
t1=$(now)
rm -f "$WORK/floor_copy.gpkg"
ogr2ogr -f GPKG -lco SPATIAL_INDEX=NO "$WORK/floor_copy.gpkg" "$WORK/rumble_out.gpkg"   # rumble writes none at this size
t2=$(now)
t_read=$(secs "$t0" "$t1"); t_copy=$(secs "$t1" "$t2"); t_floor=$(secs "$t0" "$t2")

echo "== N = $N crashes, M = $(ogrinfo -ro -q -sql 'select count(*) from roads' "$WORK/roads.gpkg" | sed -n 's/.* = //p') segments"
echo "rumble match:  ${t_rumble} s end to end, peak memory ${mem_mb} MB, matched $matched_rumble"
echo "  with GeoPackage spatial indexes on both layers (--spatial-index yes): ${t_rumble_ni} s, peak memory ${mem_ni_mb} MB"
echo "PostGIS:       ${t_pg} s end to end (load + index ${t_load} s, ST_DWithin + KNN query and counts ${t_query} s," \
     "export ${t_export} s), matched $matched_pg"
[ -n "$t_old" ] && echo "  (the earlier benchmark's query, KNN without ST_DWithin, alone: ${t_old} s)"
echo "GDAL floor:    ${t_floor} s (reading both inputs ${t_read} s, copying rumble's output ${t_copy} s)"
echo "ratios:        PostGIS / rumble = $(echo "$t_pg / $t_rumble" | bc -l | xargs printf '%.2f')x;" \
     "rumble / GDAL floor = $(echo "$t_rumble / $t_floor" | bc -l | xargs printf '%.2f')x"
[ "$matched_rumble" = "$matched_pg" ] || echo "WARNING: matched counts differ ($matched_rumble vs $matched_pg)"
