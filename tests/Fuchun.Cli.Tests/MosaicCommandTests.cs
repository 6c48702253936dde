using Fuchun.Spatial.IO;

namespace Fuchun.Cli.Tests;

public sealed class MosaicCommandTests : IDisposable
{
    private static readonly string[] Files = ["before.gpkg", "before.shp", "before.geojson", "before-shuffled.gpkg", "before-shuffled.shp", "before-shuffled.geojson"];

    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-mosaic-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Mosaic_WritesTheSameParcelsInEveryFormatAndOrder_AsTheSurveyDeliversThem()
    {
        var (exit, output, error) = await Cli.RunAsync("mosaic", "--parcels", "2000", "--seed", "5", "--out", dir.FullName);

        Assert.True(exit == 0, error);
        Assert.Contains("zones.geojson", output, StringComparison.Ordinal);
        var layers = Files.Select(f => GeometryFiles.ReadFeatures(Path.Combine(dir.FullName, f)))
            .ToList();

        // Projected CGCS2000 zone 40 as 三调 data comes, recognised from each format's own CRS record.
        Assert.All(layers, l => Assert.Equal(4528, l.Crs.Epsg));

        // The same parcels everywhere; the shuffled files in another order.
        static List<string> Keys(FeatureLayer l) => [.. l.Features.Select(f => $"{f.Attributes["BSM"]}|{f.Attributes["DLBM"]}|{f.Attributes["坐落单位"]}|{f.Geometry.Area:F3}")];
        var sorted = Keys(layers[0]);
        Assert.InRange(sorted.Count, 1_800, 2_200);
        Assert.All(layers.Take(3), l => Assert.Equal(sorted, Keys(l)));
        Assert.All(layers.Skip(3), l => Assert.Equal(sorted.Order(StringComparer.Ordinal), Keys(l).Order(StringComparer.Ordinal)));
        Assert.NotEqual(sorted, Keys(layers[3]));

        // The Shapefile's DBF is GBK, with the Chinese field name decoded whole.
        Assert.Equal("GBK", File.ReadAllText(Path.Combine(dir.FullName, "before.cpg")));
        Assert.StartsWith("富春第", layers[1].Features[0].Attributes["坐落单位"].ToString(), StringComparison.Ordinal);

        // And it passes the platform's own import checks (valid geometry, known classes, an exact coverage).
        var (validateExit, validated, validateError) = await Cli.RunAsync("validate", Path.Combine(dir.FullName, "before-shuffled.shp"));
        Assert.True(validateExit == 0, validateError);
        Assert.Contains($"{sorted.Count} 个图斑", validated, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProgressBar_IsNotDrawnIntoARedirectedStream()
    {
        // The test's writers stand for a pipe or a log file: long work must leave no bar in them.
        var (exit, output, error) = await Cli.RunAsync("mosaic", "--parcels", "500", "--out", dir.FullName, "--format", "geojson", "--order", "sorted");

        Assert.True(exit == 0, error);
        Assert.DoesNotContain('\r', error + output);
        Assert.DoesNotContain("[#", error + output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(".geojson", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Mosaic_RefusesAnUnknownFormat()
    {
        var (exit, _, error) = await Cli.RunAsync("mosaic", "--out", dir.FullName, "--format", "kml");

        Assert.Equal(1, exit);
        Assert.Contains("kml", error, StringComparison.Ordinal);
    }
}
