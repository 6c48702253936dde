using System.Globalization;
using Fuchun.Domain.Projects;
using Fuchun.Spatial;
using Fuchun.Spatial.IO;
using Fuchun.Storage;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace Fuchun.Cli.Tests;

public sealed class ImportCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-import-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    /// <summary>A cell of a regular grid near Fuyang: cells (i, j) share edges exactly.</summary>
    private static Polygon Cell(int i, int j, double shift = 0)
    {
        // Each corner computed the same way by every cell that has it, so shared edges match to the bit.
        static double X(int i) => 119.95 + (i * 0.0005);
        static double Y(int j) => 30.05 + (j * 0.0005);
        double x0 = X(i) + shift, x1 = X(i + 1) + shift, y0 = Y(j), y1 = Y(j + 1);
        return Cgcs2000.Factory.CreatePolygon([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);
    }

    private string GeoJson(string name, params (Polygon Shape, string Dlbm)[] parcels)
    {
        var path = Path.Combine(dir.FullName, name);
        var features = parcels.Select(p => string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"Feature","properties":{"DLBM":"{{p.Dlbm}}","PBF":1,"QSXZ":"30"},"geometry":{{System.Text.Json.JsonSerializer.Serialize(p.Shape, GeoJsonGeometryReader.SerializerOptions)}}}"""));
        File.WriteAllText(path, $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""");
        return path;
    }

    [Fact]
    public async Task Validate_AGoodMosaic_Passes()
    {
        var file = GeoJson("good.geojson", (Cell(0, 0), "0101"), (Cell(1, 0), "0103"), (Cell(0, 1), "1006"), (Cell(1, 1), "0201K"));

        var (exit, output, error) = await Cli.RunAsync("validate", file);

        Assert.True(exit == 0, error);
        Assert.Contains("检查通过：4 个图斑", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AGapBetweenParcels_IsRefusedWithItsPlaceAndArea()
    {
        var cells = Enumerable.Range(0, 9).Where(k => k != 4).Select(k => (Cell(k % 3, k / 3), "0101")).ToArray();
        var file = GeoJson("gap.geojson", cells);

        var (exit, _, error) = await Cli.RunAsync("validate", file);

        Assert.Equal(2, exit);
        Assert.Contains("缝隙", error, StringComparison.Ordinal);
        Assert.Contains("119.950", error, StringComparison.Ordinal);
        Assert.Contains("平方米", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unclosed", """{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120.01,30.01],[120,30.01]]]}""", "closed")]
    [InlineData("short", """{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[120,30]]]}""", "环的顶点过少")]
    [InlineData("empty", """{"type":"Polygon","coordinates":[]}""", "几何图形为空")]
    [InlineData("infinite", """{"type":"Polygon","coordinates":[[[120,30],[120.01,30],[1e999,30.01],[120,30]]]}""", "Infinity")]
    [InlineData("selfcrossing", """{"type":"Polygon","coordinates":[[[120,30],[120.01,30.01],[120.01,30],[120,30.01],[120,30]]]}""", "自相交")]
    public async Task Validate_BrokenGeometry_IsRefusedNamingTheFileAndTheProblem(string name, string geometry, string expected)
    {
        var path = Path.Combine(dir.FullName, name + ".geojson");
        File.WriteAllText(path, $$"""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"DLBM":"0101"},"geometry":{{geometry}}}]}""");

        var (exit, _, error) = await Cli.RunAsync("validate", path);

        Assert.Equal(2, exit);
        Assert.Contains(name + ".geojson", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownCodeAndOverlap_NamesEachFeature()
    {
        var file = GeoJson("bad.geojson", (Cell(0, 0), "0101"), (Cell(1, 0), "9999"), (Cell(0, 1), "0103"));
        var overlapping = GeoJson("overlap.geojson", (Cell(0, 0), "0101"), (Cell(0, 0, shift: 0.0002), "0103"));

        var bad = await Cli.RunAsync("validate", file);
        var overlap = await Cli.RunAsync("validate", overlapping);

        Assert.Equal(2, bad.Exit);
        Assert.Contains("第 2 个图斑", bad.Error, StringComparison.Ordinal);
        Assert.Contains("“9999”", bad.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("第 1 个图斑", bad.Error, StringComparison.Ordinal);
        Assert.Equal(2, overlap.Exit);
        Assert.Contains("重叠", overlap.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingLandClassField_SaysWhichField()
    {
        var path = Path.Combine(dir.FullName, "nofield.geojson");
        await File.WriteAllTextAsync(path, """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"NAME":"x"},"geometry":{"type":"Polygon","coordinates":[[[119.95,30.05],[119.951,30.05],[119.951,30.051],[119.95,30.05]]]}}]}""", TestContext.Current.CancellationToken);

        var (exit, _, error) = await Cli.RunAsync("validate", path);

        Assert.Equal(2, exit);
        Assert.Contains("DLBM", error, StringComparison.Ordinal);
    }

    private string GbkShapefile(string name, bool withCpg)
    {
        var path = Path.Combine(dir.FullName, name + ".shp");
        var options = new ShapefileWriterOptions(ShapeType.Polygon) { Encoding = GeometryFiles.Gb18030 };
        options.AddCharacterField("DLBM", 5);
        options.AddCharacterField("地类名称", 20);
        options.AddCharacterField("ZLDWDM", 19);
        options.AddNumericInt32Field("PBF");
        options.Projection = """GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]""";
        using (var writer = Shapefile.OpenWrite(path, options))
        {
            foreach (var (cell, code, label) in new[] { (Cell(0, 0), "0101", "水田"), (Cell(1, 0), "0301", "乔木林地") })
            {
                writer.Geometry = Cgcs2000.Factory.CreateMultiPolygon([cell]);
                writer.Fields["DLBM"].Value = code;
                writer.Fields["地类名称"].Value = label;
                writer.Fields["ZLDWDM"].Value = "3301110010010000000";
                writer.Fields["PBF"].Value = code == "0101" ? 1 : 0;
                writer.Write();
            }
        }

        var cpg = Path.ChangeExtension(path, ".cpg");
        if (withCpg)
        {
            File.WriteAllText(cpg, "GBK");
        }
        else if (File.Exists(cpg))
        {
            File.Delete(cpg);
        }

        return path;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Import_GbkShapefile_StoresTheLayerWithItsChineseFields(bool withCpg)
    {
        var database = Path.Combine(dir.FullName, "city.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "--database", database, "--no-projects")).Exit);
        await CreateProjectAsync(database);
        var shp = GbkShapefile(withCpg ? "gbk_cpg" : "gbk_plain", withCpg);

        var (exit, output, error) = await Cli.RunAsync("import", shp, "--project", "330111-2025-990", "--kind", "parcels_before", "--database", database);

        Assert.True(exit == 0, error);
        Assert.Contains("已导入 2 个图斑", output, StringComparison.Ordinal);
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var parcels = await scope.ServiceProvider.GetRequiredService<FuchunDbContext>().Parcels.OrderBy(p => p.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["0101", "0301"], parcels.Select(p => p.LandClass));
        Assert.True(parcels[0].IsPbf);
        Assert.Equal("3301110010010000000", parcels[0].LocationCode);
        Assert.Contains("\"地类名称\":\"水田\"", parcels[0].AttributesJson, StringComparison.Ordinal);
        Assert.Contains("\"地类名称\":\"乔木林地\"", parcels[1].AttributesJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WithAProblem_StoresNothing()
    {
        var database = Path.Combine(dir.FullName, "city.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "--database", database, "--no-projects")).Exit);
        await CreateProjectAsync(database);
        var file = GeoJson("bad.geojson", (Cell(0, 0), "0101"), (Cell(1, 0), "9999"));

        var (exit, _, error) = await Cli.RunAsync("import", file, "--project", "330111-2025-990", "--database", database);

        Assert.Equal(2, exit);
        Assert.Contains("9999", error, StringComparison.Ordinal);
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
        Assert.Equal(0, await db.Layers.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Parcels.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("export.geojson", false)]
    [InlineData("export.gpkg", false)]
    [InlineData("export_gbk.shp", true)]
    public async Task Export_ThenImport_RoundTripsTheLayer(string target, bool gbk)
    {
        var database = Path.Combine(dir.FullName, "city.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "--database", database, "--no-projects")).Exit);
        await CreateProjectAsync(database);
        Assert.Equal(0, (await Cli.RunAsync("import", GbkShapefile("source", withCpg: true), "--project", "330111-2025-990", "--database", database)).Exit);
        var file = Path.Combine(dir.FullName, target);

        string[] exportArgs = ["export", "--project", "330111-2025-990", "--kind", "parcels_before", "--out", file, "--database", database];
        var export = await Cli.RunAsync(gbk ? [.. exportArgs, "--gbk"] : exportArgs);
        Assert.True(export.Exit == 0, export.Error);
        Assert.Equal(0, (await Cli.RunAsync("validate", file)).Exit);
        var again = await Cli.RunAsync("import", file, "--project", "330111-2025-990", "--kind", "parcels_after", "--database", database);
        Assert.True(again.Exit == 0, again.Error);

        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
        var layers = await db.Layers.OrderBy(l => l.Kind).ToListAsync(TestContext.Current.CancellationToken);
        var before = await db.Parcels.Where(p => p.LayerId == layers[0].Id).OrderBy(p => p.Id).ToListAsync(TestContext.Current.CancellationToken);
        var after = await db.Parcels.Where(p => p.LayerId == layers[1].Id).OrderBy(p => p.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(before.Select(p => (p.LandClass, p.IsPbf, p.IsHighStandard, p.LocationCode)), after.Select(p => (p.LandClass, p.IsPbf, p.IsHighStandard, p.LocationCode)));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.True(before[i].Geometry.EqualsTopologically(after[i].Geometry));
            Assert.Equal(before[i].AreaM2, after[i].AreaM2, 1e-6);
            Assert.Contains("地类名称", after[i].AttributesJson, StringComparison.Ordinal);
        }

        if (target.EndsWith(".geojson", StringComparison.Ordinal))
        {
            return;
        }

        // GDAL reads the export as it is: the GeoPackage, and the Shapefile in its declared encoding.
        var info = OgrInfo(file);
        Assert.Contains("Feature Count: 2", info, StringComparison.Ordinal);
        Assert.Contains("水田", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ChineseFieldNameTooLongForUtf8Dbf_SaysSoAndSuggestsGbk()
    {
        var database = Path.Combine(dir.FullName, "city.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "--database", database, "--no-projects")).Exit);
        await CreateProjectAsync(database);
        Assert.Equal(0, (await Cli.RunAsync("import", GbkShapefile("source", withCpg: true), "--project", "330111-2025-990", "--database", database)).Exit);

        var (exit, _, error) = await Cli.RunAsync("export", "--project", "330111-2025-990", "--out", Path.Combine(dir.FullName, "utf8.shp"), "--database", database);

        Assert.Equal(1, exit);
        Assert.Contains("地类名称", error, StringComparison.Ordinal);
        Assert.Contains("--gbk", error, StringComparison.Ordinal);
    }

    private string Zip(string name, params (string Entry, string File)[] entries)
    {
        var path = Path.Combine(dir.FullName, name);
        using var archive = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var (entry, file) in entries)
        {
            using var target = archive.CreateEntry(entry).Open();
            using var source = File.OpenRead(file);
            source.CopyTo(target);
        }

        return path;
    }

    private static readonly string[] ShapefileExtensions = [".shp", ".shx", ".dbf", ".prj", ".cpg"];

    private static (string Entry, string File)[] ShapefileParts(string shp, string prefix = "") =>
        [.. ShapefileExtensions.Select(ext => (prefix + Path.GetFileNameWithoutExtension(shp) + ext, Path.ChangeExtension(shp, ext)))];

    [Fact]
    public async Task Validate_ZippedGbkShapefile_IsRead()
    {
        var zip = Zip("dltb.zip", ShapefileParts(GbkShapefile("zipped", withCpg: true), "DLTB/"));

        var (exit, output, error) = await Cli.RunAsync("validate", zip);

        Assert.True(exit == 0, error);
        Assert.Contains("2 个图斑", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ZipEntryEscapingItsFolder_IsRefused()
    {
        var shp = GbkShapefile("escape", withCpg: true);
        var zip = Zip("evil.zip", [.. ShapefileParts(shp), ("../../outside.txt", shp)]);

        var (exit, _, error) = await Cli.RunAsync("validate", zip);

        Assert.Equal(2, exit);
        Assert.Contains("指向压缩包目录之外", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "outside.txt")));
    }

    [Fact]
    public async Task Validate_ZipWithTwoLayers_AsksWhichOne()
    {
        var zip = Zip("two.zip", [.. ShapefileParts(GbkShapefile("first", withCpg: true)), .. ShapefileParts(GbkShapefile("second", withCpg: true))]);

        var ambiguous = await Cli.RunAsync("validate", zip);
        var named = await Cli.RunAsync("validate", zip, "--layer", "second");

        Assert.Equal(2, ambiguous.Exit);
        Assert.Contains("first.shp", ambiguous.Error, StringComparison.Ordinal);
        Assert.True(named.Exit == 0, named.Error);
    }

    private static string OgrInfo(string file)
    {
        const string ogrinfo = "/usr/bin/ogrinfo";
        if (!File.Exists(ogrinfo))
        {
            Fuchun.Testing.Requirements.Missing("GDAL's ogrinfo is not installed: apt-get install gdal-bin");
        }

        var start = new System.Diagnostics.ProcessStartInfo(ogrinfo) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-ro", "-al", file })
        {
            start.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        return output;
    }

    private static ServiceProvider Services(string database)
    {
        var services = new ServiceCollection();
        services.AddFuchunStorage(DatabaseSettings.Parse(database));
        return services.BuildServiceProvider();
    }

    private static async Task CreateProjectAsync(string database)
    {
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ProjectRegistry>().CreateAsync(new ProjectDetails
        {
            Code = "330111-2025-990",
            Name = "导入测试项目",
            DistrictCode = "330111",
        }, "test", cancellationToken: TestContext.Current.CancellationToken);
    }
}
