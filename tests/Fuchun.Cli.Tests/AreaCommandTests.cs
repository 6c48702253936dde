using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fuchun.Testing;

namespace Fuchun.Cli.Tests;

public sealed class AreaCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-area-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    private static double[] Areas(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("areas_m2").EnumerateArray().Select(a => a.GetDouble())];

    /// <summary>Three parcels of clearly different sizes near Fuyang, in CGCS2000 longitude/latitude.</summary>
    private string WriteParcels()
    {
        static string Square(double lon, double lat, double size) => string.Create(CultureInfo.InvariantCulture,
            $$$"""{"type":"Feature","properties":{"DLBM":"0101"},"geometry":{"type":"Polygon","coordinates":[[[{{{lon}}},{{{lat}}}],[{{{lon + size}}},{{{lat}}}],[{{{lon + size}}},{{{lat + size}}}],[{{{lon}}},{{{lat + size}}}],[{{{lon}}},{{{lat}}}]]]}}""");
        var path = Path.Combine(dir.FullName, "parcels.geojson");
        File.WriteAllText(path, $$"""{"type":"FeatureCollection","features":[{{Square(119.95, 30.05, 0.0010)}},{{Square(119.96, 30.05, 0.0003)}},{{Square(119.97, 30.05, 0.0020)}}]}""");
        return path;
    }

    private string Ogr2Ogr(string source, string target, int epsg, params string[] extra)
    {
        const string ogr2ogr = "/usr/bin/ogr2ogr";
        if (!File.Exists(ogr2ogr))
        {
            Requirements.Missing("GDAL's ogr2ogr is not installed: apt-get install gdal-bin");
        }

        var path = Path.Combine(dir.FullName, target);
        var start = new ProcessStartInfo(ogr2ogr) { RedirectStandardError = true };
        foreach (var a in new[] { "-f", Path.GetExtension(target) == ".shp" ? "ESRI Shapefile" : "GPKG", path, source, "-s_srs", "EPSG:4490", "-t_srs", $"EPSG:{epsg}" }.Concat(extra))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return path;
    }

    [Fact]
    public async Task Area_GeoJson_PrintsEachAreaInInputOrder()
    {
        var (exit, output, _) = await Cli.RunAsync("area", WriteParcels(), "--json");

        Assert.Equal(0, exit);
        var areas = Areas(output);
        Assert.Equal(3, areas.Length);
        Assert.True(areas[1] < areas[0] && areas[0] < areas[2]);
        Assert.InRange(areas[0], 10_000, 11_000); // 0.001° × 0.001° at 30°N ≈ 96 m × 111 m
    }

    [Theory]
    [InlineData("parcels.shp", 4549)]
    [InlineData("parcels_zone40.shp", 4528)]
    [InlineData("parcels.gpkg", 4528)]
    [InlineData("parcels_xian80.gpkg", 2385)]
    public async Task Area_ProjectedByGdal_EqualsTheGeographicArea(string target, int epsg)
    {
        var source = WriteParcels();
        var expected = Areas((await Cli.RunAsync("area", source, "--json")).Output);
        var projected = epsg == 2385
            // Same coordinates reprojected within Xi'an 1980 (no datum shift): compare on that datum's own ellipsoid.
            ? Ogr2Ogr(Ogr2Ogr(source, "xian_geographic.gpkg", 4610, "-s_srs", "EPSG:4610"), target, epsg, "-s_srs", "EPSG:4610")
            : Ogr2Ogr(source, target, epsg);

        var (exit, output, error) = await Cli.RunAsync("area", projected, "--json");

        Assert.True(exit == 0, error);
        var areas = Areas(output);
        var reference = epsg == 2385 ? Areas((await Cli.RunAsync("area", Path.Combine(dir.FullName, "xian_geographic.gpkg"), "--json")).Output) : expected;
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(areas[i] - reference[i]) < 1e-3, $"{target}: {areas[i]} vs {reference[i]}");
        }
    }

    [Fact]
    public void WriteJson_IsExactlyWhatTheSerializerWrites()
    {
        // Over three formatting chunks, with whole numbers, tiny and huge values among ordinary areas.
        var random = new Random(7);
        double[] areas = [0, 1, 1e-7, 2505.594118821047, 1e15, 123456789.125, .. Enumerable.Range(0, 200_000).Select(_ => Math.Exp(random.NextDouble() * 20))];
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        Commands.AreaCommand.WriteJson(writer, areas);

        Assert.Equal(JsonSerializer.Serialize(new Dictionary<string, double[]> { ["areas_m2"] = areas }) + writer.NewLine, writer.ToString());
    }

    [Fact]
    public async Task Area_ShapefileRecordsWithHolesAndParts_MatchTheGeometryReader()
    {
        // A field with a pond in it, and a two-part parcel one part of which has a hole: the Shapefile is measured
        // from its records' rings, the GeoPackage through geometries; both must give the same areas.
        var path = Path.Combine(dir.FullName, "holes.geojson");
        File.WriteAllText(path, """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"DLBM":"0101"},"geometry":{"type":"Polygon","coordinates":[
              [[119.95,30.05],[119.952,30.05],[119.952,30.052],[119.95,30.052],[119.95,30.05]],
              [[119.9505,30.0505],[119.9505,30.051],[119.951,30.051],[119.951,30.0505],[119.9505,30.0505]]]}},
            {"type":"Feature","properties":{"DLBM":"0301"},"geometry":{"type":"MultiPolygon","coordinates":[
              [[[119.96,30.05],[119.961,30.05],[119.961,30.051],[119.96,30.051],[119.96,30.05]]],
              [[[119.97,30.05],[119.973,30.05],[119.973,30.053],[119.97,30.053],[119.97,30.05]],
               [[119.971,30.051],[119.971,30.052],[119.972,30.052],[119.972,30.051],[119.971,30.051]]]]}}]}
            """);
        var shp = Ogr2Ogr(path, "holes.shp", 4549);
        var gpkg = Ogr2Ogr(path, "holes.gpkg", 4549);

        var fromRecords = Areas((await Cli.RunAsync("area", shp, "--json")).Output);
        var fromGeometries = Areas((await Cli.RunAsync("area", gpkg, "--json")).Output);

        Assert.Equal(2, fromRecords.Length);
        Assert.Equal(fromGeometries, fromRecords, (a, b) => Math.Abs(a - b) < 1e-6);
        // The holes subtract: the field is 2 × 2 thousandths of a degree less a half × half pond.
        var field = Areas((await Cli.RunAsync("area", WriteParcels(), "--json")).Output)[0];
        Assert.InRange(fromRecords[0], (4 - 0.25) * field * 0.99, (4 - 0.25) * field * 1.01);
    }

    [Fact]
    public async Task Area_ShapefileWithoutPrj_IsRefusedNotGuessed()
    {
        var shp = Ogr2Ogr(WriteParcels(), "noprj.shp", 4549);
        File.Delete(Path.ChangeExtension(shp, ".prj"));

        var (exit, _, error) = await Cli.RunAsync("area", shp, "--json");

        Assert.Equal(2, exit);
        Assert.Contains(".prj", error, StringComparison.Ordinal);
        Assert.Contains("noprj.shp", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Area_StatedZoneWithoutItsPrefix_IsOutsideTheRange()
    {
        // Coordinates without the zone prefix (EPSG:4549) declared as zone 40 with prefix (EPSG:4528).
        var shp = Ogr2Ogr(WriteParcels(), "wrongzone.shp", 4549);
        File.Delete(Path.ChangeExtension(shp, ".prj"));

        var (exit, _, error) = await Cli.RunAsync("area", shp, "--crs", "4528", "--json");

        Assert.Equal(2, exit);
        Assert.Contains("超出 EPSG:4528", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Area_ShapefileWithoutShx_NamesTheMissingFile()
    {
        var shp = Ogr2Ogr(WriteParcels(), "noshx.shp", 4549);
        File.Delete(Path.ChangeExtension(shp, ".shx"));

        var (exit, _, error) = await Cli.RunAsync("area", shp);

        Assert.Equal(2, exit);
        Assert.Contains(".shx", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Area_WithGcj02_ConvertsBeforeMeasuring()
    {
        var file = Fuchun.Tests.SharedData.PathOf("data", "hangzhou", "330100_full.datav_v3.geojson");

        var raw = Areas((await Cli.RunAsync("area", file, "--json")).Output);
        var converted = Areas((await Cli.RunAsync("area", file, "--json", "--gcj02")).Output);

        Assert.Equal(13, converted.Length);
        // GCJ-02's offset varies across the city, so it distorts areas (by up to 0.25 % in shared/data's finding).
        Assert.Contains(Enumerable.Range(0, 13), i => Math.Abs(converted[i] - raw[i]) / raw[i] > 1e-4);
    }

    [Fact]
    public async Task Area_UnknownFormatOrMissingFile_ExitsTwo()
    {
        var csv = Path.Combine(dir.FullName, "parcels.csv");
        await File.WriteAllTextAsync(csv, "x,y", TestContext.Current.CancellationToken);

        Assert.Equal(2, (await Cli.RunAsync("area", csv)).Exit);
        Assert.Equal(2, (await Cli.RunAsync("area", Path.Combine(dir.FullName, "missing.geojson"))).Exit);
    }

    [Fact]
    public async Task Area_PlatformGeoPackage_ReadsANamedLayer()
    {
        var gpkg = Path.Combine(dir.FullName, "platform.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "--database", gpkg, "--no-projects")).Exit);

        var ambiguous = await Cli.RunAsync("area", gpkg);
        Assert.Equal(2, ambiguous.Exit);
        Assert.Contains("districts", ambiguous.Error, StringComparison.Ordinal);

        var (exit, output, error) = await Cli.RunAsync("area", gpkg, "--layer", "districts", "--json");
        Assert.True(exit == 0, error);
        var total = Areas(output).Sum() / 1e6;
        Assert.InRange(total, 16_850, 16_870); // Tianditu's districts: 16 859.6 km²
    }
}
