using System.Diagnostics;
using System.Globalization;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;
using Fuchun.Storage;
using Fuchun.Storage.Layers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.IO.VectorTiles.Mapbox;

// Side-by-side vector tile timing: the embedded store's in-process tiles (NetTopologySuite.IO.VectorTiles) against
// PostGIS ST_AsMVT(ST_AsMVTGeom(...)) for the same tiles of the same layer, imported into both with fuchun import.
// Tiles are read as the map reads them: zooms 9-13 of a large layer from its overviews, the parcels from z14.
// Also: Fuchun.Bench overviews EMBEDDED_FILE [RUNS] (see OverviewBench).
// Usage: Fuchun.Bench tiles SQLITE_FILE POSTGRES_CONNECTION PROJECT_CODE [KIND] [TILES_PER_ZOOM] [RUNS] [MIN_ZOOM MAX_ZOOM]
if (args.Length > 1 && args[0] == "overviews")
{
    return OverviewBench.Run(args[1..]);
}

if (args.Length > 0 && args[0] is "blocks" or "transfer" or "check")
{
    return args[0] switch
    {
        "blocks" => AnalysisBench.Blocks(args[1..]),
        "transfer" => AnalysisBench.Transfer(args[1..]),
        _ => AnalysisBench.Check(args[1..]),
    };
}

if (args.Length < 4 || args[0] != "tiles")
{
    Console.Error.WriteLine("usage: Fuchun.Bench tiles SQLITE_FILE POSTGRES_CONNECTION PROJECT_CODE [KIND=parcels_before] [TILES_PER_ZOOM=40] [RUNS=3] [MIN_ZOOM=12 MAX_ZOOM=16]");
    return 2;
}

var (sqliteFile, postgres, project) = (args[1], args[2], args[3]);
var kind = LayerKinds.ParcelKindFromPackageName(args.Length > 4 ? args[4] : "parcels_before")
    ?? throw new ArgumentException($"{args[4]} is not a parcel layer");
var perZoom = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 40;
var runs = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 3;
var (minZoom, maxZoom) = args.Length > 8 ? (int.Parse(args[7], CultureInfo.InvariantCulture), int.Parse(args[8], CultureInfo.InvariantCulture)) : (12, 16);

async Task<(AsyncServiceScope Scope, ILayerStore Store, Layer Layer)> OpenAsync(string database)
{
    var services = new ServiceCollection().AddFuchunStorage(DatabaseSettings.Parse(database)).BuildServiceProvider();
    var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
    var projectId = await db.Projects.Where(p => p.Code == project).Select(p => p.Id).SingleAsync();
    var layer = await db.Layers.AsNoTracking().SingleAsync(l => l.ProjectId == projectId && l.Kind == kind);
    return (scope, scope.ServiceProvider.GetRequiredService<ILayerStore>(), layer);
}

var ours = await OpenAsync(sqliteFile);
var anchor = await OpenAsync(postgres);

// The layer's extent, from the GeoPackage R-tree.
double minX, maxX, minY, maxY;
using (var connection = new SqliteConnection($"Data Source={sqliteFile};Mode=ReadOnly"))
{
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT min(r.minx), max(r.maxx), min(r.miny), max(r.maxy) FROM rtree_parcels_geom r JOIN parcels p ON p.id = r.id WHERE p.layer_id = $l";
    command.Parameters.AddWithValue("$l", ours.Layer.Id);
    using var reader = command.ExecuteReader();
    reader.Read();
    (minX, maxX, minY, maxY) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
}

// Features counted from the protobuf itself (Tile.layers = 3, Layer.features = 2), so that a tile whose geometry
// NetTopologySuite's reader would refuse is still counted; whether the reader takes it is reported apart.
static int Features(byte[] tile, TileAddress address)
{
    static ulong Varint(byte[] b, ref int i)
    {
        ulong v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var x = b[i++];
            v |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80)
            {
                return v;
            }
        }
    }

    static int Count(byte[] b, int start, int end, int field, Func<int, int, int>? inner)
    {
        var (i, n) = (start, 0);
        while (i < end)
        {
            var key = Varint(b, ref i);
            var (number, wire) = ((int)(key >> 3), (int)(key & 7));
            switch (wire)
            {
                case 0: Varint(b, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)Varint(b, ref i);
                    if (number == field)
                    {
                        n += inner is null ? 1 : inner(i, i + length);
                    }

                    i += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }

        return n;
    }

    return Count(tile, 0, tile.Length, 3, (a, b) => Count(tile, a, b, 2, null));
}

static bool Readable(byte[] tile, TileAddress address)
{
    try
    {
        using var stream = new MemoryStream(tile);
        _ = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(address.X, address.Y, address.Z));
        return true;
    }
    catch (InvalidOperationException)
    {
        return false;
    }
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

Console.WriteLine($"layer extent {minX:F4},{minY:F4} – {maxX:F4},{maxY:F4}; {perZoom} tiles per zoom, median of {runs} runs per tile, backends alternating");
Console.WriteLine("| zoom | tiles | ours p50 ms | ours p95 ms | ST_AsMVT p50 ms | ST_AsMVT p95 ms | p95 ratio (ST_AsMVT / ours) | features ours / ST_AsMVT | mean KB ours / ST_AsMVT | largest KB |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
var random = new Random(42);
for (var z = minZoom; z <= maxZoom; z++)
{
    var tiles = new HashSet<TileAddress>();
    // At low zooms the layer spans fewer tiles than asked for: take those there are.
    for (var draw = 0; tiles.Count < perZoom && draw < 100 * perZoom; draw++)
    {
        tiles.Add(TileAddress.Containing(minX + (random.NextDouble() * (maxX - minX)), minY + (random.NextDouble() * (maxY - minY)), z));
    }

    var (oursMs, anchorMs) = (new List<double>(), new List<double>());
    long oursFeatures = 0, anchorFeatures = 0, oursBytes = 0, anchorBytes = 0, largest = 0;
    foreach (var tile in tiles)
    {
        var (a, b) = (await ours.Store.ReadLayerTileAsync(ours.Layer, tile), await anchor.Store.ReadLayerTileAsync(anchor.Layer, tile));   // warm-up
        (oursFeatures, anchorFeatures) = (oursFeatures + Features(a, tile), anchorFeatures + Features(b, tile));
        if (Features(a, tile) != Features(b, tile))
        {
            Console.Error.WriteLine($"tile {tile.Z}/{tile.X}/{tile.Y}: {Features(a, tile)} features ours, {Features(b, tile)} ST_AsMVT");
        }

        (oursBytes, anchorBytes) = (oursBytes + a.Length, anchorBytes + b.Length);
        largest = Math.Max(largest, Math.Max(a.Length, b.Length));
        foreach (var (side, bytes) in new[] { ("ours", a), ("ST_AsMVT", b) })
        {
            if (bytes.Length > 0 && !Readable(bytes, tile))
            {
                Console.Error.WriteLine($"{side} tile {tile.Z}/{tile.X}/{tile.Y}: NetTopologySuite's reader refuses a polygon (no shell)");
            }
        }
        var (x, y) = (new List<double>(), new List<double>());
        for (var r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            await ours.Store.ReadLayerTileAsync(ours.Layer, tile);
            x.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await anchor.Store.ReadLayerTileAsync(anchor.Layer, tile);
            y.Add(sw.Elapsed.TotalMilliseconds);
        }

        oursMs.Add(x.Order().ElementAt(runs / 2));
        anchorMs.Add(y.Order().ElementAt(runs / 2));
    }

    oursMs.Sort();
    anchorMs.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {z} | {tiles.Count} | {Percentile(oursMs, 0.5):F1} | {Percentile(oursMs, 0.95):F1} | {Percentile(anchorMs, 0.5):F1} | {Percentile(anchorMs, 0.95):F1} | {Percentile(anchorMs, 0.95) / Percentile(oursMs, 0.95):F2} | {oursFeatures} / {anchorFeatures} | {oursBytes / 1024.0 / tiles.Count:F0} / {anchorBytes / 1024.0 / tiles.Count:F0} | {largest / 1024.0:F0} |"));
}

return 0;
