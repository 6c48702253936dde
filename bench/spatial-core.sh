#!/usr/bin/env bash
# Reproduces the spatial-core figures in bench/RESULTS.md: the generated mosaic (fuchun mosaic), then each anchor
# and ours back to back on the same data and the same PostgreSQL server, RUNS times, printing median wall time and
# peak memory (GNU time's maximum resident set size) of each.
#
#   PGPORT=5499 bench/spatial-core.sh            # a PostgreSQL 15 + PostGIS 3 server on 127.0.0.1:$PGPORT, user postgres
#   STEPS=area RUNS=5 PGPORT=5499 bench/spatial-core.sh   # the area comparison alone (loads the anchor's table if missing)
#   STEPS=import-gpkg RUNS=3 bench/spatial-core.sh        # one store's import alone (import-postgis, import-gpkg)
#
#   READY_TO_RUN=0 STEPS=import-postgis bench/spatial-core.sh   # ours from the plain build rather than as published
#
# Needs: the .NET SDK, GDAL's ogr2ogr, psql, GNU time, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000000}
RUNS=${RUNS:-3}
STEPS=${STEPS:-import,area}
DIR=${DIR:-/tmp/fuchun-bench}
PGPORT=${PGPORT:-5432}
PGCONN="host=127.0.0.1 port=$PGPORT user=postgres"
FUCHUN_PG="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=fuchun_bench"
PROJECT=330106-2024-020
mkdir -p "$DIR"

# The CLI as it is shipped (README): self-contained, its code and the framework's precompiled as one composite
# ReadyToRun image, so that it starts without compiling EF Core, Npgsql and the rest first (ogr2ogr, the anchor, is
# native code too). Publishing takes a few minutes. READY_TO_RUN=0 times the plain build instead.
if [ "${READY_TO_RUN:-1}" = 1 ]; then
  RID=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
  # A framework-dependent publish's ReadyToRun intermediates would be taken for this one's (and the reverse).
  rm -rf "$DIR/cli" "src/Fuchun.Cli/obj/Release/net10.0/$RID/R2R"
  dotnet publish src/Fuchun.Cli -c Release -r "$RID" --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$DIR/cli" -v q -nologo >/dev/null
  FUCHUN=("$DIR/cli/fuchun")
else
  dotnet build src/Fuchun.Cli -c Release -v q -nologo >/dev/null
  FUCHUN=(dotnet src/Fuchun.Cli/bin/Release/net10.0/fuchun.dll)
fi
fuchun() { "${FUCHUN[@]}" "$@"; }
psql_q() { psql "$PGCONN dbname=$1" -v ON_ERROR_STOP=1 -qAt -c "$2"; }

[ -f "$DIR/before.shp" ] || fuchun mosaic --parcels "$N" --seed 1 --out "$DIR" --format shp --order sorted
SHP="$DIR/before.shp"

# "import" is both stores; "import-postgis" and "import-gpkg" one each, alone or listed together.
DO_PG=; DO_GPKG=
if [[ ,$STEPS, == *,import,* || ,$STEPS, == *,import-postgis,* ]]; then DO_PG=1; fi
if [[ ,$STEPS, == *,import,* || ,$STEPS, == *,import-gpkg,* ]]; then DO_GPKG=1; fi

# Databases: the anchor's, and ours (migrated, with the demo projects to import into).
if [ -n "$DO_PG" ]; then
  psql_q postgres "DROP DATABASE IF EXISTS anchor_bench" && psql_q postgres "CREATE DATABASE anchor_bench" && psql_q anchor_bench "CREATE EXTENSION postgis"
  psql_q postgres "DROP DATABASE IF EXISTS fuchun_bench" && psql_q postgres "CREATE DATABASE fuchun_bench"
  fuchun db seed --database "$FUCHUN_PG" >/dev/null
elif [[ $STEPS == *area* ]] && { [ "$(psql_q postgres "SELECT count(*) FROM pg_database WHERE datname = 'anchor_bench'")" = 0 ] \
  || [ -z "$(psql_q anchor_bench "SELECT to_regclass('dltb')")" ]; }; then
  # The area anchor reads the table ogr2ogr makes; made once here, untimed.
  psql_q postgres "DROP DATABASE IF EXISTS anchor_bench" && psql_q postgres "CREATE DATABASE anchor_bench" && psql_q anchor_bench "CREATE EXTENSION postgis"
  ogr2ogr -f PostgreSQL "PG:$PGCONN dbname=anchor_bench" "$SHP" -nln dltb -nlt PROMOTE_TO_MULTI --config PG_USE_COPY YES
fi
if [ -n "$DO_GPKG" ]; then
  rm -f "$DIR/ours-seed.gpkg"*; fuchun db seed --database "$DIR/ours-seed.gpkg" >/dev/null
fi

RESULTS="$DIR/times.tsv"; : > "$RESULTS"
# Each timed step starts on a quiet server: what the steps before wrote is vacuumed and analysed here, untimed, and
# any autovacuum worker has finished, so that no step pays for the vacuum of the previous one's million rows (on a
# two-core machine an autovacuum of the last import took a core from the next step, anchor's or ours alike).
quiet() {
  [ -n "$DO_PG" ] || [[ $STEPS == *area* ]] || return 0
  for db in anchor_bench fuchun_bench; do
    [ "$(psql_q postgres "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 1 ] && psql_q "$db" "VACUUM (ANALYZE)"
  done
  while [ "$(psql_q postgres "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ]; do sleep 1; done
}
timed() { # name command...
  local name=$1; shift
  quiet
  /usr/bin/time -f "%e %M" -o "$DIR/time.txt" "$@" >/dev/null
  echo -e "$name\t$(cat "$DIR/time.txt" | tail -1 | tr ' ' '\t')" >> "$RESULTS"
}

ogr_postgis() {
  ogr2ogr -f PostgreSQL "PG:$PGCONN dbname=anchor_bench" "$SHP" -nln dltb -lco SPATIAL_INDEX=NONE -nlt PROMOTE_TO_MULTI --config PG_USE_COPY YES -overwrite
  psql_q anchor_bench "CREATE INDEX ON dltb USING gist (wkb_geometry)"
}
copy_floor() {
  psql_q anchor_bench "DROP TABLE IF EXISTS dltb_copy; CREATE TABLE dltb_copy (LIKE dltb)"
  psql "$PGCONN dbname=anchor_bench" -qAt -c "\\copy dltb_copy FROM '$DIR/dltb.bin' (FORMAT binary)"
  psql_q anchor_bench "CREATE INDEX ON dltb_copy USING gist (wkb_geometry)"
}

# GNU time runs programs, not shell functions: the two-step anchors run in a child bash.
export PGCONN SHP DIR
export -f psql_q ogr_postgis copy_floor

for run in $(seq "$RUNS"); do
  if [ -n "$DO_PG" ]; then
    timed "import-postgis ogr2ogr" bash -c ogr_postgis
    [ -f "$DIR/dltb.bin" ] || psql "$PGCONN dbname=anchor_bench" -qAt -c "\\copy dltb TO '$DIR/dltb.bin' (FORMAT binary)"
    timed "import-postgis COPY floor" bash -c copy_floor
    # Ours as users run it (a layer this large also gets its low-zoom overviews), and the import alone: the
    # same work as ogr2ogr's and more (checks, CGCS2000, areas), without the overviews it has no counterpart for.
    timed "import-postgis fuchun, no overviews" env Fuchun__Tiles__OverviewMinParcels=1000000000 "${FUCHUN[@]}" import "$SHP" --project $PROJECT --kind parcels_as_built --database "$FUCHUN_PG"
    # Before a time counts: ours stored as many parcels as ogr2ogr stored rows, and its layer says so too.
    stored=$(psql_q fuchun_bench "SELECT l.feature_count || ' ' || (SELECT count(*) FROM parcels p WHERE p.layer_id = l.id) FROM layers l JOIN projects pr ON pr.id = l.project_id WHERE pr.code = '$PROJECT' AND l.kind = 'ParcelsAsBuilt'")
    rows=$(psql_q anchor_bench "SELECT count(*) FROM dltb")
    [ "$stored" = "$rows $rows" ] || { echo "import-postgis: ours stored '$stored' (layer, rows), ogr2ogr $rows rows" >&2; exit 1; }
    timed "import-postgis fuchun, with overviews" "${FUCHUN[@]}" import "$SHP" --project $PROJECT --kind parcels_as_built --database "$FUCHUN_PG"
  fi
  if [ -n "$DO_GPKG" ]; then
    # Each side writes into a store without the layer: ogr2ogr a new file, ours a copy of the seeded database
    # (untimed; replacing a million-parcel layer in the embedded store first deletes its rows, reported apart).
    rm -f "$DIR/ogr.gpkg"
    timed "import-gpkg ogr2ogr" ogr2ogr -f GPKG "$DIR/ogr.gpkg" "$SHP" -nln dltb -nlt PROMOTE_TO_MULTI
    rm -f "$DIR/ours.gpkg"*; cp "$DIR/ours-seed.gpkg" "$DIR/ours.gpkg"
    timed "import-gpkg fuchun, no overviews" env Fuchun__Tiles__OverviewMinParcels=1000000000 "${FUCHUN[@]}" import "$SHP" --project $PROJECT --kind parcels_as_built --database "$DIR/ours.gpkg"
    # Before a time counts: ours stored as many parcels as ogr2ogr wrote features, and its layer says so too.
    counts=$(python3 - "$DIR" "$PROJECT" <<'PY'
import sqlite3, sys
ours = sqlite3.connect(f"file:{sys.argv[1]}/ours.gpkg?mode=ro", uri=True)
stored = ours.execute("""SELECT l.feature_count, (SELECT count(*) FROM parcels p WHERE p.layer_id = l.id)
    FROM layers l JOIN projects pr ON pr.id = l.project_id WHERE pr.code = ? AND l.kind = 'ParcelsAsBuilt'""", (sys.argv[2],)).fetchone()
rows = sqlite3.connect(f"file:{sys.argv[1]}/ogr.gpkg?mode=ro", uri=True).execute("SELECT count(*) FROM dltb").fetchone()[0]
print(f"{stored[0]} {stored[1]} {rows}")
PY
)
    read -r layer stored rows <<< "$counts"
    [ "$layer $stored" = "$rows $rows" ] || { echo "import-gpkg: ours stored '$layer $stored' (layer, rows), ogr2ogr $rows rows" >&2; exit 1; }
    rm -f "$DIR/ours.gpkg"*; cp "$DIR/ours-seed.gpkg" "$DIR/ours.gpkg"
    timed "import-gpkg fuchun, with overviews" "${FUCHUN[@]}" import "$SHP" --project $PROJECT --kind parcels_as_built --database "$DIR/ours.gpkg"
  fi
  [[ $STEPS == *area* ]] || continue
  timed "area PostGIS ST_Area(geography)" psql "$PGCONN dbname=anchor_bench" -qAt -o "$DIR/areas-postgis.txt" -c "SELECT ST_Area(ST_Transform(wkb_geometry, 4490)::geography) FROM dltb ORDER BY ogc_fid"
  timed "area fuchun (file to areas)" sh -c "\"\$@\" area '$SHP' --json > '$DIR/areas-fuchun.json'" _ "${FUCHUN[@]}"
done

# Each parcel's longest edge, to apply the issue's tolerance (edges under 300 m) to the area comparison.
[[ $STEPS == *area* ]] && psql "$PGCONN dbname=anchor_bench" -qAt -o "$DIR/maxedge.txt" -c "SELECT (SELECT max(ST_Length((d).geom)) FROM ST_DumpSegments(wkb_geometry) d) FROM dltb ORDER BY ogc_fid"

python3 - "$RESULTS" "$DIR" "$STEPS" <<'PY'
import json, statistics, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, seconds, kb = line.rstrip("\n").split("\t")
    rows[name].append((float(seconds), int(kb)))
print("| step | runs | median s | min s | max s | peak RSS MB (max) |")
print("|---|---|---|---|---|---|")
for name, values in rows.items():
    s = [v[0] for v in values]
    print(f"| {name} | {len(s)} | {statistics.median(s):.1f} | {min(s):.1f} | {max(s):.1f} | {max(v[1] for v in values) / 1024:.0f} |")
if "area" not in sys.argv[3]:
    sys.exit(0)
ours = json.load(open(sys.argv[2] + "/areas-fuchun.json"))["areas_m2"]
postgis = [float(x) for x in open(sys.argv[2] + "/areas-postgis.txt")]
assert len(ours) == len(postgis), (len(ours), len(postgis))
edges = [float(x) for x in open(sys.argv[2] + "/maxedge.txt")]
short = [(a, b) for a, b, m in zip(ours, postgis, edges) if m < 300]
long = [(a, b) for a, b, m in zip(ours, postgis, edges) if m >= 300]
def worst(pairs):
    return max(abs(a - b) for a, b in pairs), max(abs(a - b) / b for a, b in pairs)
print(f"\nareas, survey formula vs PostGIS geography, {len(ours)} parcels:")
print(f"- {len(short)} with every edge under 300 m: max |diff| {worst(short)[0]:.4f} m², max relative {worst(short)[1]:.2e}, "
      f"over max(0.5 m², 1e-5 relative): {sum(1 for a, b in short if abs(a - b) > max(0.5, 1e-5 * b))}")
if long:
    print(f"- {len(long)} with an edge of 300 m or more (outer road strips): max |diff| {worst(long)[0]:.4f} m², max relative {worst(long)[1]:.2e}")
PY
