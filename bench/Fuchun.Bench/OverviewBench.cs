using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Tiles;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

/// <summary>
/// <c>overviews FILE [RUNS]</c>: the generalisation behind a large layer's low-zoom overviews, alone. FILE is an
/// embedded store a layer was imported into (<c>fuchun import</c>); its largest parcel layer is read once, cell by
/// cell as the store groups it, and every cell's overviews are built as the store builds them (as many cells at a
/// time as cores, at least two), timed per run. Prints the median, what was allocated, and a hash of every level's
/// polygons, so that two builds can be held to the same output before their times are compared.
/// </summary>
internal static class OverviewBench
{
    public static int Run(string[] args)
    {
        var (path, runs) = (args[0], args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3);
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT dlbm, geom FROM parcels
            WHERE layer_id = (SELECT layer_id FROM parcels GROUP BY layer_id ORDER BY count(*) DESC LIMIT 1) ORDER BY id
            """;
        var cells = new Dictionary<(int X, int Y), List<(string Class, byte[] Blob)>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var blob = (byte[])reader.GetValue(1);
                var centre = GeoPackageBlob.ReadFlatMultiPolygon(blob).EnvelopeInternal.Centre;
                var cell = TileAddress.Containing(centre.X, centre.Y, LayerOverviews.CellZoom);
                if (!cells.TryGetValue((cell.X, cell.Y), out var rows))
                {
                    cells[(cell.X, cell.Y)] = rows = [];
                }

                rows.Add((reader.GetString(0), blob));
            }
        }

        var keys = cells.Keys.Order().ToArray();
        Console.Error.WriteLine($"{cells.Values.Sum(c => c.Count)} parcels in {keys.Length} cells of {path}");
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes();
            var hashes = new byte[keys.Length][];
            var sw = Stopwatch.StartNew();
            Parallel.For(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) }, i =>
            {
                var rows = cells[keys[i]];
                var writer = new WKBWriter();
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var parcels = rows.Select(r => (Geometry)GeoPackageBlob.ReadFlatMultiPolygon(r.Blob)).ToList();
                foreach (var (level, polygons) in LayerOverviews.Build(parcels, [.. rows.Select(r => r.Class)]))
                {
                    foreach (var p in polygons)
                    {
                        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{level} {p.LandClass} "));
                        hash.AppendData(writer.Write(p.Geometry));
                    }
                }

                hashes[i] = hash.GetHashAndReset();
            });
            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {sw.Elapsed.TotalSeconds:F2} s, {(GC.GetTotalAllocatedBytes() - allocated) / 1e9:F2} GB allocated, output {Convert.ToHexString(SHA256.HashData(hashes.SelectMany(h => h).ToArray()))[..16]}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overviews: median {Median(times):F2} s of {runs} runs"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
