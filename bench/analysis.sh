#!/usr/bin/env bash
# Reproduces the analysis figures in bench/RESULTS.md: contiguous blocks (with their geometries) against PostGIS
# (pgRouting components + ST_Union) and GeoPandas (sjoin + SciPy components + dissolve), and the transfer matrix
# against the PostGIS ST_Intersection query, all on the generated mosaic, back to back, RUNS times; then checks that
# the answers agree before printing ratios.
#
#   PGPORT=5499 N=100000 bench/analysis.sh        # PostgreSQL 15 + PostGIS 3 + pgRouting on 127.0.0.1:$PGPORT
#   PGPORT=5499 N=1000000 SKIP_TRANSFER=1 bench/analysis.sh     # blocks only (the matrix runs on its own 200k data)
#
# Needs: the .NET SDK, GDAL's ogr2ogr, psql, GNU time, python3 with geopandas and scipy
# (apt-get install gdal-bin postgresql-15-postgis-3 postgresql-15-pgrouting python3-geopandas python3-scipy).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
RUNS=${RUNS:-3}
SET=${SET:-farmland}
DIR=${DIR:-/tmp/fuchun-analysis-$N}
TRANSFER_N=${TRANSFER_N:-200000}
TDIR=${TDIR:-/tmp/fuchun-analysis-$TRANSFER_N}
PGPORT=${PGPORT:-5432}
PGCONN="host=127.0.0.1 port=$PGPORT user=postgres"
PY=${PY:-/usr/bin/python3}
mkdir -p "$DIR" "$TDIR"

dotnet build src/Fuchun.Cli -c Release -v q -nologo >/dev/null
dotnet build bench/Fuchun.Bench -c Release -v q -nologo >/dev/null
fuchun() { dotnet src/Fuchun.Cli/bin/Release/net10.0/fuchun.dll "$@"; }
BENCH=bench/Fuchun.Bench/bin/Release/net10.0/Fuchun.Bench.dll
psql_q() { psql "$PGCONN dbname=$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }

[ -f "$DIR/before.gpkg" ] || fuchun mosaic --parcels "$N" --seed 1 --out "$DIR" --format gpkg --order sorted
[ -f "$TDIR/after.gpkg" ] || fuchun mosaic --parcels "$TRANSFER_N" --seed 2 --out "$TDIR" --format gpkg --order sorted --after

psql_q postgres "DROP DATABASE IF EXISTS analysis_bench" && psql_q postgres "CREATE DATABASE analysis_bench"
psql_q analysis_bench "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting"
load() { # file table
  ogr2ogr -f PostgreSQL "PG:$PGCONN dbname=analysis_bench" "$1" -nln "$2" -lco GEOMETRY_NAME=geom -lco FID=ogc_fid -preserve_fid -nlt PROMOTE_TO_MULTI -overwrite
  psql_q analysis_bench "CREATE INDEX ON $2 USING gist (geom); ANALYZE $2"
}
load "$DIR/before.gpkg" dltb
[ -n "${SKIP_TRANSFER:-}" ] || load "$TDIR/before.gpkg" dltb_before
[ -n "${SKIP_TRANSFER:-}" ] || load "$TDIR/after.gpkg" dltb_after

if [ "$SET" = pbf ]; then MEMBERS="pbf = 1"; else MEMBERS="dlbm IN ('0101','0102','0103')"; fi
RESULTS="$DIR/analysis-times.tsv"; : > "$RESULTS"
timed() { # name command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" > "$DIR/last.out"
  echo -e "$name\t$(tail -1 "$DIR/time.txt" | tr ' ' '\t')\t$(grep -E '^(blocks|transfer|geopandas)' "$DIR/last.out" | tr '\t' ' ')" >> "$RESULTS"
}
for run in $(seq "$RUNS"); do
  timed "blocks PostGIS (pgRouting + ST_Union)" psql "$PGCONN dbname=analysis_bench" -q -v members="$MEMBERS" -v connectors="'1006','1107','1203'" -v out="$DIR/blocks-postgis.tsv" -f bench/sql/blocks.sql
  [ -n "${SKIP_GEOPANDAS:-}" ] || timed "blocks GeoPandas (sjoin + scipy + dissolve)" "$PY" bench/blocks_geopandas.py "$DIR/before.gpkg" "$SET" "$DIR/blocks-geopandas.tsv"
  timed "blocks fuchun (one process: read, a warm-up, then 3 timed runs)" dotnet "$BENCH" blocks "$DIR/before.gpkg" "$SET" 3 "$DIR/blocks-fuchun.tsv"
  [ -z "${SKIP_TRANSFER:-}" ] || continue
  timed "transfer PostGIS planar" psql "$PGCONN dbname=analysis_bench" -q -v area="ST_Area(g)" -v out="$TDIR/transfer-postgis.tsv" -f bench/sql/transfer.sql
  timed "transfer PostGIS ellipsoidal (geography)" psql "$PGCONN dbname=analysis_bench" -q -v area="ST_Area(ST_Transform(g, 4490)::geography)" -v out="$TDIR/transfer-postgis-geography.tsv" -f bench/sql/transfer.sql
  timed "transfer fuchun (one process: read, then 3 timed runs)" dotnet "$BENCH" transfer "$TDIR/before.gpkg" "$TDIR/after.gpkg" 3 "$TDIR/transfer-fuchun.tsv"
done

"$PY" - "$RESULTS" "$DIR" "$TDIR" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
notes = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, seconds, kb, note = (line.rstrip("\n").split("\t") + [""])[:4]
    rows[name].append((float(seconds), int(kb)))
    if note: notes[name].append(note)
print("| step | runs | median wall s | peak RSS MB (client) | in-process figures (last run) |")
print("|---|---|---|---|---|")
for name, v in rows.items():
    print(f"| {name} | {len(v)} | {statistics.median(x[0] for x in v):.1f} | {max(x[1] for x in v)/1024:.0f} | {notes[name][-1] if notes[name] else ''} |")

def blocks(path):
    out = {}
    for line in open(path):
        first, n, area, union = line.rstrip("\n").split("\t")[:4]
        out[int(first)] = (int(n), float(area), float(union))
    return out
def tier(area_m2):
    mu = area_m2 / (10000 / 15)
    return "万亩方" if mu >= 10000 else "千亩方" if mu >= 1000 else "百亩方" if mu >= 100 else "none"
ours = blocks(sys.argv[2] + "/blocks-fuchun.tsv")
for anchor in ["postgis", "geopandas"]:
    try:
        theirs = blocks(f"{sys.argv[2]}/blocks-{anchor}.tsv")
    except FileNotFoundError:
        continue
    same_keys = set(ours) == set(theirs)
    members = all(ours[k][0] == theirs[k][0] for k in ours if k in theirs)
    rel = max((abs(ours[k][1] - theirs[k][1]) / theirs[k][1] for k in ours if k in theirs), default=0)
    rel_union = max((abs(ours[k][2] - theirs[k][2]) / theirs[k][2] for k in ours if k in theirs), default=0)
    tiers = collections.Counter(tier(v[1]) for v in ours.values()) == collections.Counter(tier(v[1]) for v in theirs.values())
    print(f"check blocks vs {anchor}: {len(ours)} vs {len(theirs)} blocks, same first members {same_keys}, same member counts {members}, "
          f"max relative difference of block area {rel:.2e}, of union geometry area {rel_union:.2e}, same counts per tier {tiers}")
print("tiers (ours):", dict(collections.Counter(tier(v[1]) for v in ours.values())))

def cells(path):
    out = {}
    for line in open(path):
        a, b, area = line.rstrip("\n").split("\t")
        out[(a, b)] = float(area)
    return out
import os
if not os.path.exists(sys.argv[3] + "/transfer-postgis.tsv"):
    sys.exit(0)
ours = cells(sys.argv[3] + "/transfer-fuchun.tsv")
theirs = {k: v for k, v in cells(sys.argv[3] + "/transfer-postgis.tsv").items() if v > 0}
worst = max(abs(ours.get(k, 0) - theirs.get(k, 0)) for k in set(ours) | set(theirs))
print(f"check transfer vs PostGIS (planar): {len(ours)} vs {len(theirs)} non-zero cells, largest cell difference {worst:.6f} m²")
PY
