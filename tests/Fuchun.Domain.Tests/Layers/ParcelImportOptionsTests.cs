using Fuchun.Domain.Layers;
using Fuchun.Spatial;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Tests.Layers;

public sealed class ParcelImportOptionsTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-options-");

    public void Dispose() => dir.Delete(recursive: true);

    private static double X(int i) => 119.95 + (i * 0.0005);

    private static double Y(int j) => 30.05 + (j * 0.0005);

    private static Polygon Box(double x0, double y0, double x1, double y1) =>
        Cgcs2000.Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    private static FeatureLayer Grid(int n, Func<int, Geometry>? replace = null) => new("grid.geojson", CoordinateSystems.Cgcs2000,
        [.. Enumerable.Range(0, n * n).Select(k => (IFeature)new Feature(
            replace?.Invoke(k) ?? Box(X(k % n), Y(k / n), X((k % n) + 1), Y((k / n) + 1)),
            new AttributesTable { { "DLBM", "0101" }, { "PBF", 0 } }))]);

    [Fact]
    public async Task ALargeLayerWithoutDlbm_IsRefusedAtOnce_WithoutWaitingForTheReader()
    {
        // More batches than the reading queue holds: the reader must be told to stop, or the check would hang.
        var features = Enumerable.Range(0, 20_000).Select(k => (IFeature)new Feature(
            Box(X(k % 200), Y(k / 200), X((k % 200) + 1), Y((k / 200) + 1)), new AttributesTable { { "NAME", "x" } })).ToList();

        var result = await Task.Run(() => ParcelImport.Convert(new FeatureLayer("big.geojson", CoordinateSystems.Cgcs2000, features)), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        var problem = Assert.Single(result.Problems);
        Assert.Contains("DLBM", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PbfFromASeparateLayer_FlagsParcelsMostlyInside_AndOverridesTheAttribute()
    {
        // The PBF layer covers the left column wholly and 30% of the middle column: only the left column is PBF.
        var pbf = Path.Combine(dir.FullName, "YJJBNTTB.geojson");
        FeatureFileWriter.Write(pbf, "YJJBNTTB", [new Feature(Box(X(0), Y(0), X(1) + (0.3 * 0.0005), Y(3)), new AttributesTable())]);

        var result = ParcelImport.Convert(Grid(3), new ParcelImportOptions { PbfLayer = FlagOverlay.Read(pbf) });

        Assert.True(result.Accepted, string.Join("\n", result.Problems));
        Assert.Equal([true, false, false, true, false, false, true, false, false], result.Parcels.Select(p => p.IsPbf));
        Assert.All(result.Parcels, p => Assert.False(p.IsHighStandard));
    }

    [Fact]
    public void Repair_FixesASelfIntersectingParcel_AndReportsIt_WithoutItTheLayerIsRefused()
    {
        // Cell 0 drawn as a bow-tie over its own square: the fixed polygon is the two triangles.
        var layer = Grid(2, k => k == 0
            ? Cgcs2000.Factory.CreatePolygon([new(X(0), Y(0)), new(X(1), Y(1)), new(X(1), Y(0)), new(X(0), Y(1)), new(X(0), Y(0))])
            : null!);
        var options = new ParcelImportOptions { Repair = true };

        var refused = ParcelImport.Convert(layer);
        var repaired = ParcelImport.Convert(layer, options);

        Assert.False(refused.Accepted);
        Assert.Contains(refused.Problems, p => p.Feature == 1 && p.Message.Contains("自相交", StringComparison.Ordinal));
        var repair = Assert.Single(options.Repairs);
        Assert.Equal(1, repair.Feature);
        Assert.Contains("已修复", repair.Message, StringComparison.Ordinal);

        // The repaired bow-tie no longer covers its whole square, so the coverage check still speaks up.
        Assert.False(repaired.Accepted);
        Assert.Contains(repaired.Problems, p => p.Message.Contains("缝隙", StringComparison.Ordinal));
    }
}
