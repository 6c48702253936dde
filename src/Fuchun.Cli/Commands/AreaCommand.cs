using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;

namespace Fuchun.Cli.Commands;

/// <summary>
/// <c>fuchun area FILE --json</c>: each feature's ellipsoidal area on the ellipsoid of its datum (CGCS2000 for
/// CGCS2000 data), in m², in input order, as the CLI contract in <c>project-package.md</c> says.
/// </summary>
internal static class AreaCommand
{
    /// <summary>Exit code for input that cannot be read (the CLI contract).</summary>
    public const int UnreadableInput = 2;

    /// <summary>The explicit switch for GCJ-02 (web map) coordinates.</summary>
    public static Option<bool> Gcj02Option() => new("--gcj02")
    {
        Description = "坐标为 GCJ-02（高德等网络地图坐标），先转换为 CGCS2000；按公开算法迭代反算，仅适用于网络地图上勾绘的数据，不作测绘精度",
    };

    public static Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "GeoJSON、Shapefile（.shp，需 .shx、.dbf、.prj）或 GeoPackage 文件" };
        var layer = new Option<string?>("--layer") { Description = "GeoPackage 中要读取的要素表（文件中只有一个时可省略）" };
        var crs = new Option<int?>("--crs") { Description = "文件未声明坐标系时指定 EPSG 代码（例如 4490、4528、4549）；文件已声明的以文件为准" };
        var json = new Option<bool>("--json") { Description = "输出 JSON：{\"areas_m2\": [...]}" };
        var gcj02 = Gcj02Option();
        var command = new Command("area", "计算每个图斑的椭球面积（平方米，按输入顺序；高斯投影坐标先反算为大地坐标）") { file, layer, crs, json, gcj02 };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            (string Source, CoordinateSystem Crs) read;
            List<double> areas;
            JsonNumbers? numbers = null;
            try
            {
                var stated = parse.GetValue(crs) is { } epsg ? CoordinateSystems.Get(epsg) : null;
                var path = parse.GetValue(file)!.FullName;
                // A Shapefile is read record by record as stored (no geometry objects); anything that is not a
                // polygon record sends it to the general reader, which names the problem.
                var fast = !parse.GetValue(gcj02) && Path.GetExtension(path).Equals(".shp", StringComparison.OrdinalIgnoreCase)
                    ? ShapefileAreas(path, stated, parse.GetValue(json)) : null;
                if (fast is { } f)
                {
                    (read, areas, numbers) = ((f.Source, f.Crs), f.Areas, f.Numbers);
                }
                else
                {
                    var general = GeometryFiles.OpenGeometries(path, parse.GetValue(layer), stated, parse.GetValue(gcj02));
                    read = (general.Source, general.Crs);
                    if (GeneralAreas(general.Source, general.Crs, general.Geometries, error) is not { } computed)
                    {
                        return Task.FromResult(UnreadableInput);
                    }

                    areas = computed;
                }
            }
            catch (Exception ex) when (ex is SpatialInputException or UnknownCoordinateSystemException)
            {
                error.WriteLine(ex.Message);
                return Task.FromResult(UnreadableInput);
            }

            if (numbers is not null)
            {
                numbers.WriteTo(output);
            }
            else if (parse.GetValue(json))
            {
                WriteJson(output, areas);
            }
            else
            {
                for (var i = 0; i < areas.Count; i++)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}\t{areas[i]:0.00} m²\t{AreaUnits.ToMu(areas[i]):0.0000} 亩"));
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"共 {areas.Count} 个图斑，合计 {areas.Sum():0.00} m²（{AreaUnits.ToMu(areas.Sum()):0.00} 亩），坐标系 EPSG:{read.Crs.Epsg} {read.Crs.Name}"));
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// <c>{"areas_m2":[…]}</c>, exactly as <see cref="JsonSerializer"/> writes it (shortest round-trip numbers), with
    /// the numbers formatted on every core: for a million parcels the serializer's single thread took a fifth of the
    /// command's time.
    /// </summary>
    internal static void WriteJson(TextWriter output, IReadOnlyList<double> areas)
    {
        const int Chunk = 1 << 16;
        var chunks = new JsonNumbers[(areas.Count + Chunk - 1) / Chunk];
        Parallel.For(0, chunks.Length, c =>
        {
            var (start, end) = (c * Chunk, Math.Min((c + 1) * Chunk, areas.Count));
            chunks[c] = new JsonNumbers(first: start == 0);
            for (var i = start; i < end; i++)
            {
                chunks[c].Add(areas[i]);
            }
        });
        JsonNumbers.WriteTo(output, chunks);
    }

    /// <summary>
    /// Numbers of <c>{"areas_m2":[…]}</c> formatted into character buffers as they come (no string per number), to
    /// be written once all are known: a Shapefile's are formatted block by block while the next blocks are measured.
    /// </summary>
    internal sealed class JsonNumbers(bool first = true)
    {
        // A double's shortest round-trip form is at most 24 characters ("-1.2345678901234567E-308"), and a comma.
        private const int MaxNumber = 25;

        // Filled buffers, and the one being filled as fields of its own: the number-by-number path touches no
        // generic collection, whose methods for these types are not precompiled and ran unoptimised (3 % of
        // `fuchun area`'s samples).
        private readonly List<(char[] Text, int Length)> filled = [];
        private char[] text = new char[1 << 16];
        private int length;
        private bool first = first;

        public void Add(double value)
        {
            if (text.Length - length < MaxNumber)
            {
                filled.Add((text, length));
                (text, length) = (new char[1 << 16], 0);
            }

            if (!first)
            {
                text[length++] = ',';
            }

            first = false;
            if (!value.TryFormat(text.AsSpan(length), out var written, "R", CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{value} did not fit its buffer");
            }

            length += written;
        }

        public void WriteTo(TextWriter output) => WriteTo(output, [this]);

        public static void WriteTo(TextWriter output, IEnumerable<JsonNumbers> parts)
        {
            output.Write("{\"areas_m2\":[");
            foreach (var part in parts)
            {
                foreach (var (text, length) in part.filled)
                {
                    output.Write(text, 0, length);
                }

                output.Write(part.text, 0, part.length);
            }

            output.WriteLine("]}");
        }
    }

    /// <summary>
    /// Areas of a geometry stream, batch by batch (see <see cref="InBatches"/>). Null (with the message written)
    /// when a feature is not a polygon.
    /// </summary>
    private static List<double>? GeneralAreas(string source, CoordinateSystem crs, IEnumerable<Geometry> geometries, TextWriter error)
    {
        var seen = 0;
        var measure = EllipsoidalArea.For(crs);
        return InBatches(geometries, batch =>
        {
            if (batch.Select((g, i) => (g, i)).FirstOrDefault(x => x.g is not (Polygon or MultiPolygon)) is { g: not null } bad)
            {
                error.WriteLine($"{source}: feature {seen + bad.i + 1} is a {bad.g.GeometryType}, not a polygon");
                return false;
            }

            seen += batch.Length;
            return true;
        }, measure.OfGeometry);
    }

    /// <summary>
    /// Areas of a Shapefile's polygon records straight from their rings, read in blocks and computed on every core
    /// (see <see cref="ShapeRecords"/>); with <paramref name="json"/>, each block's numbers are formatted while the
    /// next blocks are computed (at the end, the formatting ran as a phase of its own, much of it in code not yet
    /// recompiled optimised). Null when a record is not a polygon.
    /// </summary>
    private static (string Source, CoordinateSystem Crs, List<double> Areas, JsonNumbers? Numbers)? ShapefileAreas(string path, CoordinateSystem? stated, bool json)
    {
        var records = GeometryFiles.OpenShapeRecords(path, stated);
        var measure = EllipsoidalArea.For(records.Crs);
        // Filled in place (no Add per area: List<double>'s is not precompiled), then cut to what was read.
        var areas = new List<double>();
        CollectionsMarshal.SetCount(areas, checked((int)records.Count));
        var all = CollectionsMarshal.AsSpan(areas);
        var count = 0;
        var numbers = json ? new JsonNumbers() : null;
        foreach (var block in records.MapBlocks(r => r.IsPolygon ? measure.OfRings(r.Xy, r.Parts) : (double?)null))
        {
            foreach (var area in block)
            {
                if (area is not { } value)
                {
                    return null;
                }

                all[count++] = value;
                numbers?.Add(value);
            }
        }

        CollectionsMarshal.SetCount(areas, count);
        return (records.Source, records.Crs, areas, numbers);
    }

    /// <summary>
    /// The area of each item, in batches computed on every core while the next batch is read: a million parcels
    /// never sit in memory at once, and reading overlaps the arithmetic. Null as soon as <paramref name="accept"/>
    /// refuses a batch.
    /// </summary>
    private static List<double>? InBatches<T>(IEnumerable<T> items, Func<T[], bool> accept, Func<T, double> area)
    {
        var areas = new List<double>();
        Task<double[]>? computing = null;
        foreach (var batch in items.Chunk(8192))
        {
            if (!accept(batch))
            {
                return null;
            }

            var next = Task.Run(() =>
            {
                var computed = new double[batch.Length];
                Parallel.For(0, batch.Length, i => computed[i] = area(batch[i]));
                return computed;
            });
            if (computing is not null)
            {
                areas.AddRange(computing.GetAwaiter().GetResult());
            }

            computing = next;
        }

        if (computing is not null)
        {
            areas.AddRange(computing.GetAwaiter().GetResult());
        }

        return areas;
    }
}
