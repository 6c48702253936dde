using System.Diagnostics;
using System.Globalization;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.LandClasses;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;

/// <summary>
/// The analysis side of the side-by-side benchmarks (bench/analysis.sh runs the anchors): contiguous blocks and the
/// transfer matrix on a generated mosaic, timed in-process after the layer is read (as PostGIS times a query on a
/// loaded table), with the answer written out so that the script can check it against the anchors' before any
/// ratio counts. Areas are planar in the file's own projected coordinates here, as the anchors compute them, so the
/// comparison is exact; the platform itself uses ellipsoidal areas.
/// </summary>
internal static class AnalysisBench
{
    private sealed record Layer(Geometry[] Geometries, string[] Classes, bool[] Pbf, long[] Ids);

    private static Layer Read(string path)
    {
        var sw = Stopwatch.StartNew();
        var source = GeometryFiles.OpenFeatures(path);
        var (geometries, classes, pbf, ids) = (new List<Geometry>(), new List<string>(), new List<bool>(), new List<long>());
        // Held with packed coordinates (flat arrays of doubles), as an import holds them.
        var packed = new GeometryFactory(new PrecisionModel(), source.Crs.Epsg, NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory);
        foreach (var f in source.Features)
        {
            geometries.Add(packed.CreateGeometry(f.Geometry));
            classes.Add(f.Attributes["DLBM"]?.ToString() ?? "");
            pbf.Add(Convert.ToInt32(f.Attributes["PBF"] ?? 0, CultureInfo.InvariantCulture) == 1);
            ids.Add(ids.Count + 1);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read {geometries.Count} parcels from {path} in {sw.Elapsed.TotalSeconds:F1} s"));
        return new([.. geometries], [.. classes], [.. pbf], [.. ids]);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>
    /// <c>blocks FILE SET RUNS OUT</c>: SET is <c>farmland</c> or <c>pbf</c>; OUT gets one line per block
    /// (first member's feature id, members, member area sum, area of the union geometry), sorted by first member.
    /// </summary>
    public static int Blocks(string[] args)
    {
        var (path, set, runs, output) = (args[0], args.Length > 1 ? args[1] : "farmland", args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3, args.Length > 3 ? args[3] : null);
        var layer = Read(path);
        var roles = new ContiguityRole[layer.Geometries.Length];
        for (var i = 0; i < roles.Length; i++)
        {
            var member = set == "pbf" ? layer.Pbf[i] : LandClassGroups.IsFarmland(layer.Classes[i]);
            roles[i] = member ? ContiguityRole.Member : ContiguityOptions.Default.IsConnector(layer.Classes[i]) ? ContiguityRole.Connector : ContiguityRole.None;
        }

        var areas = layer.Geometries.Select(g => g.Area).ToArray();
        var (find, union) = (new List<double>(), new List<double>());
        IReadOnlyList<ContiguousBlock> blocks = [];
        var cold = 0.0;
        // One warm-up run first (fresh memory is paged in, code is compiled), reported apart as the cold figure.
        for (var r = -1; r < runs; r++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            blocks = ContiguousBlocks.Find(layer.Geometries, roles, areas, ContiguityOptions.Default.TierOf);
            find.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            blocks = ContiguousBlocks.Find(layer.Geometries, roles, areas, ContiguityOptions.Default.TierOf, withGeometry: true);
            union.Add(sw.Elapsed.TotalSeconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {(r < 0 ? "warm-up" : (r + 1).ToString(CultureInfo.InvariantCulture))}: blocks {find[^1]:F3} s, with geometries {union[^1]:F3} s"));
            if (r < 0)
            {
                cold = union[^1];
                find.Clear();
                union.Clear();
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"blocks\t{set}\t{layer.Geometries.Length}\t{blocks.Count}\tfind_median_s={Median(find):F3}\twith_geometry_median_s={Median(union):F3}\twith_geometry_cold_s={cold:F3}\tpeak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
        if (output is not null)
        {
            File.WriteAllLines(output, blocks.OrderBy(b => b.Members[0]).Select(b => string.Create(CultureInfo.InvariantCulture,
                $"{layer.Ids[b.Members[0]]}\t{b.Members.Length}\t{b.AreaM2:R}\t{b.Geometry!.Area:R}\t{b.Tier}")));
        }

        return 0;
    }

    /// <summary>
    /// <c>transfer BEFORE AFTER RUNS OUT</c>: the matrix with planar areas (written to OUT, for the check) and with
    /// ellipsoidal areas on CGCS2000 (what the platform computes; the file's projection is inverted per vertex).
    /// </summary>
    public static int Transfer(string[] args)
    {
        var (beforePath, afterPath, runs, output) = (args[0], args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3, args.Length > 3 ? args[3] : null);
        var crs = GeometryFiles.OpenFeatures(beforePath).Crs;
        ParcelSet Set(Layer l) => new(l.Geometries, l.Classes, [.. l.Geometries.Select(g => g.Area)], l.Pbf, l.Pbf, l.Ids);
        var before = Set(Read(beforePath));
        var after = Set(Read(afterPath));
        var (planar, ellipsoidal) = (new List<double>(), new List<double>());
        TransferMatrixResult result = null!;
        for (var r = 0; r < runs; r++)
        {
            GC.Collect();
            var sw = Stopwatch.StartNew();
            result = TransferMatrix.Compute(before, after, null, g => g.Area);
            planar.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            TransferMatrix.Compute(before, after, null, g => EllipsoidalArea.OfGeometry(g, crs));
            ellipsoidal.Add(sw.Elapsed.TotalSeconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {r + 1}: planar {planar[^1]:F3} s, ellipsoidal {ellipsoidal[^1]:F3} s"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"transfer\t{before.Count}x{after.Count}\t{result.Cells.Count} cells\tplanar_median_s={Median(planar):F3}\tellipsoidal_median_s={Median(ellipsoidal):F3}\tpeak_working_set_mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576}"));
        if (output is not null)
        {
            File.WriteAllLines(output, result.Cells.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.From}\t{c.To}\t{c.AreaM2:R}")));
        }

        return 0;
    }

    /// <summary>
    /// <c>check PACKAGE RUNS</c>: the policy checks of a project package (all sixteen rules, on its full before and
    /// after layers), timed in-process after the package is read, with a warm-up run reported apart.
    /// </summary>
    public static int Check(string[] args)
    {
        var (path, runs) = (args[0], args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3);
        var sw = Stopwatch.StartNew();
        var input = Fuchun.Domain.Packages.PackageReader.Read(path).ToCheckInput();
        var read = sw.Elapsed.TotalSeconds;
        var times = new List<double>();
        for (var r = -1; r < runs; r++)
        {
            sw.Restart();
            var results = Fuchun.Domain.Policy.PolicyChecker.Check(input);
            times.Add(sw.Elapsed.TotalSeconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {(r < 0 ? "warm-up" : (r + 1).ToString(CultureInfo.InvariantCulture))}: {times[^1]:F3} s, {results.Count(x => x.Verdict == Fuchun.Domain.Policy.Verdict.Pass)} pass"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"check\t{input.Analysis.Before.Count}+{input.Analysis.After.Count} parcels\tread_s={read:F3}\tcold_s={times[0]:F3}\tmedian_s={Median(times.Skip(1).ToList()):F3}"));
        return 0;
    }
}
