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
// Usage: Fuchun.Bench tiles SQLITE_FILE POSTGRES_CONNECTION PROJECT_CODE [KIND] [TILES_PER_ZOOM] [RUNS] [MIN_ZOOM MAX_ZOOM]
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

async Task<(AsyncServiceScope Scope, ILayerStore Store, int Layer)> OpenAsync(string database)
{
    var services = new ServiceCollection().AddFuchunStorage(DatabaseSettings.Parse(database)).BuildServiceProvider();
    var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
    var projectId = await db.Projects.Where(p => p.Code == project).Select(p => p.Id).SingleAsync();
    var layer = await db.Layers.Where(l => l.ProjectId == projectId && l.Kind == kind).Select(l => l.Id).SingleAsync();
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
    command.Parameters.AddWithValue("$l", ours.Layer);
    using var reader = command.ExecuteReader();
    reader.Read();
    (minX, maxX, minY, maxY) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3));
}

static int Features(byte[] tile, TileAddress address)
{
    if (tile.Length == 0)
    {
        return 0;
    }

    using var stream = new MemoryStream(tile);
    var decoded = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(address.X, address.Y, address.Z));
    return decoded.Layers.Sum(l => l.Features.Count);
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

Console.WriteLine($"layer extent {minX:F4},{minY:F4} – {maxX:F4},{maxY:F4}; {perZoom} tiles per zoom, median of {runs} runs per tile, backends alternating");
Console.WriteLine("| zoom | tiles | ours p50 ms | ours p95 ms | ST_AsMVT p50 ms | ST_AsMVT p95 ms | p95 ratio (ST_AsMVT / ours) | features ours / ST_AsMVT | mean KB ours / ST_AsMVT |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
var random = new Random(42);
for (var z = minZoom; z <= maxZoom; z++)
{
    var tiles = new HashSet<TileAddress>();
    while (tiles.Count < perZoom)
    {
        tiles.Add(TileAddress.Containing(minX + (random.NextDouble() * (maxX - minX)), minY + (random.NextDouble() * (maxY - minY)), z));
    }

    var (oursMs, anchorMs) = (new List<double>(), new List<double>());
    long oursFeatures = 0, anchorFeatures = 0, oursBytes = 0, anchorBytes = 0;
    foreach (var tile in tiles)
    {
        var (a, b) = (await ours.Store.ReadTileAsync(ours.Layer, tile), await anchor.Store.ReadTileAsync(anchor.Layer, tile));   // warm-up
        (oursFeatures, anchorFeatures) = (oursFeatures + Features(a, tile), anchorFeatures + Features(b, tile));
        (oursBytes, anchorBytes) = (oursBytes + a.Length, anchorBytes + b.Length);
        var (x, y) = (new List<double>(), new List<double>());
        for (var r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            await ours.Store.ReadTileAsync(ours.Layer, tile);
            x.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await anchor.Store.ReadTileAsync(anchor.Layer, tile);
            y.Add(sw.Elapsed.TotalMilliseconds);
        }

        oursMs.Add(x.Order().ElementAt(runs / 2));
        anchorMs.Add(y.Order().ElementAt(runs / 2));
    }

    oursMs.Sort();
    anchorMs.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {z} | {tiles.Count} | {Percentile(oursMs, 0.5):F1} | {Percentile(oursMs, 0.95):F1} | {Percentile(anchorMs, 0.5):F1} | {Percentile(anchorMs, 0.95):F1} | {Percentile(anchorMs, 0.95) / Percentile(oursMs, 0.95):F2} | {oursFeatures} / {anchorFeatures} | {oursBytes / 1024.0 / tiles.Count:F0} / {anchorBytes / 1024.0 / tiles.Count:F0} |"));
}

return 0;
