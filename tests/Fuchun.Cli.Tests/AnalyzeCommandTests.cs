using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fuchun.Spatial.Area;
using Fuchun.Testing;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;

namespace Fuchun.Cli.Tests;

/// <summary>
/// <c>fuchun analyze</c> on a package small enough to check by hand. Near Fuyang (30.05° N), squares of 0.002°
/// (about 64 亩 each):
/// <code>
///   Fo Fo Fo Fo P3        Fo forest 0301; P3 dry land 0103, PBF, touching P2 at one corner only
///   P1 R  P2 .            P1, P2 paddy 0101, PBF; R a 5 m rural road 1006 between them
/// </code>
/// After consolidation P1, R and P2 are one PBF paddy field A1; Fo and P3 are unchanged.
/// </summary>
public sealed class AnalyzeCommandTests : IDisposable
{
    private const double X0 = 119.95, Y0 = 30.05, D = 0.002, W = 0.00005;
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-analyze-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    private static string Ring(params (double X, double Y)[] points) =>
        "[[" + string.Join(",", points.Append(points[0]).Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.X:R},{p.Y:R}]"))) + "]]";

    private static double Area(params (double X, double Y)[] points) =>
        EllipsoidalArea.OfGeometry(new GeometryFactory().CreatePolygon([.. points.Append(points[0]).Select(p => new Coordinate(p.X, p.Y))]));

    private static readonly (double, double)[] P1 = [(X0, Y0), (X0 + D, Y0), (X0 + D, Y0 + D), (X0, Y0 + D)];
    private static readonly (double, double)[] R = [(X0 + D, Y0), (X0 + D + W, Y0), (X0 + D + W, Y0 + D), (X0 + D, Y0 + D)];
    private static readonly (double, double)[] P2 = [(X0 + D + W, Y0), (X0 + (2 * D) + W, Y0), (X0 + (2 * D) + W, Y0 + D), (X0 + D + W, Y0 + D)];
    private static readonly (double, double)[] P3 = [(X0 + (2 * D) + W, Y0 + D), (X0 + (3 * D) + W, Y0 + D), (X0 + (3 * D) + W, Y0 + (2 * D)), (X0 + (2 * D) + W, Y0 + (2 * D))];
    private static readonly (double, double)[] Fo = [(X0, Y0 + D), (X0 + D, Y0 + D), (X0 + D + W, Y0 + D), (X0 + (2 * D) + W, Y0 + D), (X0 + (2 * D) + W, Y0 + (2 * D)), (X0, Y0 + (2 * D))];
    private static readonly (double, double)[] A1 = [(X0, Y0), (X0 + (2 * D) + W, Y0), (X0 + (2 * D) + W, Y0 + D), (X0 + D + W, Y0 + D), (X0 + D, Y0 + D), (X0, Y0 + D)];
    private static readonly (double, double)[] ProjectArea = [(X0, Y0), (X0 + (2 * D) + W, Y0), (X0 + (2 * D) + W, Y0 + D), (X0 + (3 * D) + W, Y0 + D), (X0 + (3 * D) + W, Y0 + (2 * D)), (X0, Y0 + (2 * D))];

    private static string Parcel(string dlbm, int pbf, (double, double)[] ring) =>
        $$$"""{"type":"Feature","properties":{"DLBM":"{{{dlbm}}}","PBF":{{{pbf}}},"HSF":{{{pbf}}}},"geometry":{"type":"Polygon","coordinates":{{{Ring(ring)}}}}}""";

    /// <summary>The before layer with P3 drawn as a bow tie (its ring crosses itself): invalid, but repairable.</summary>
    internal static string BeforeWithABowTie() => Collection(
        Parcel("0101", 1, P1), Parcel("1006", 0, R), Parcel("0101", 1, P2),
        Parcel("0103", 1, [P3[0], P3[2], P3[1], P3[3]]), Parcel("0301", 0, Fo));

    private static string Collection(params string[] features) => $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";

    private string WritePackage(string? beforeOverride = null, bool withZones = true) => WritePackageIn(dir.FullName, beforeOverride, withZones);

    /// <summary>Writes the hand-worked package (folder form) into <c>pkg</c> under <paramref name="root"/>.</summary>
    internal static string WritePackageIn(string root, string? beforeOverride = null, bool withZones = true, string projectJson = """{"id":"TEST-001","name":"测试项目","district":"330111","pilot":true,"extra_key":"kept"}""")
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "pkg")).FullName;
        File.WriteAllText(Path.Combine(folder, "project.json"), projectJson);
        File.WriteAllText(Path.Combine(folder, "project_area.geojson"), Collection($$$"""{"type":"Feature","properties":{"name":"项目区"},"geometry":{"type":"Polygon","coordinates":{{{Ring(ProjectArea)}}}}}"""));
        if (withZones)
        {
            File.WriteAllText(Path.Combine(folder, "zones.geojson"), Collection($$$"""{"type":"Feature","properties":{"zone_id":"Z1","name":"整治区一"},"geometry":{"type":"Polygon","coordinates":{{{Ring(P1)}}}}}"""));
        }

        File.WriteAllText(Path.Combine(folder, "parcels_before.geojson"), beforeOverride ?? Collection(
            Parcel("0101", 1, P1), Parcel("1006", 0, R), Parcel("0101", 1, P2), Parcel("0103", 1, P3), Parcel("0301", 0, Fo)));
        File.WriteAllText(Path.Combine(folder, "parcels_after.geojson"), Collection(
            Parcel("0101", 1, A1), Parcel("0103", 1, P3), Parcel("0301", 0, Fo)));
        return folder;
    }

    private static void AssertContractJson(JsonElement root, double tolerance)
    {
        var p1 = Area(P1);
        var p2 = Area(P2);
        var p3 = Area(P3);
        var r = Area(R);

        Assert.Equal(["project", "areas_m2", "transfer_m2", "blocks"], root.EnumerateObject().Take(4).Select(p => p.Name));
        Assert.Equal("TEST-001", root.GetProperty("project").GetString());
        var before = root.GetProperty("areas_m2").GetProperty("before");
        Assert.Equal(p1 + p2, before.GetProperty("0101").GetDouble(), tolerance);
        Assert.Equal(r, before.GetProperty("1006").GetDouble(), tolerance);
        Assert.Equal(p1 + p2 + r, root.GetProperty("areas_m2").GetProperty("after").GetProperty("0101").GetDouble(), tolerance);

        var transfer = root.GetProperty("transfer_m2").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("from").GetString(), c.GetProperty("to").GetString()), c => c.GetProperty("area_m2").GetDouble());
        Assert.Equal(4, transfer.Count);
        Assert.Equal(p1 + p2, transfer[("0101", "0101")], tolerance);
        Assert.Equal(r, transfer[("1006", "0101")], tolerance);
        Assert.Equal(p3, transfer[("0103", "0103")], tolerance);

        var blocks = root.GetProperty("blocks");
        Assert.Equal(["pbf_before", "pbf_after", "farmland_before", "farmland_after"], blocks.EnumerateObject().Select(p => p.Name));
        var pbfBefore = blocks.GetProperty("pbf_before").EnumerateArray().ToList();
        Assert.Equal(2, pbfBefore.Count);
        // P1 and P2 join across the road, which adds no area: 128 亩, a 百亩方; P3 meets P2 at a corner only.
        Assert.Equal(p1 + p2, pbfBefore[0].GetProperty("area_m2").GetDouble(), tolerance);
        Assert.Equal("百亩方", pbfBefore[0].GetProperty("tier").GetString());
        Assert.Equal(2, pbfBefore[0].GetProperty("parcels").GetInt32());
        Assert.Equal(p3, pbfBefore[1].GetProperty("area_m2").GetDouble(), tolerance);
        Assert.Equal("none", pbfBefore[1].GetProperty("tier").GetString());
        var pbfAfter = blocks.GetProperty("pbf_after").EnumerateArray().ToList();
        Assert.Equal(p1 + p2 + r, pbfAfter[0].GetProperty("area_m2").GetDouble(), tolerance);
        Assert.Equal(["百亩方", "none"], pbfAfter.Select(b => b.GetProperty("tier").GetString()));
        // Farmland: the paddy block, and the dry land alone.
        Assert.Equal([2, 1], blocks.GetProperty("farmland_before").EnumerateArray().Select(b => b.GetProperty("parcels").GetInt32()));
    }

    [Fact]
    public async Task Analyze_FolderPackage_PrintsTheContractsJson_WorkedOutByHand()
    {
        var (exit, output, error) = await Cli.RunAsync("analyze", WritePackage(), "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        AssertContractJson(json.RootElement, 1e-3);
        var zone = json.RootElement.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("scope").GetString() == "Z1");
        Assert.Equal(Area(P1), zone.GetProperty("before").GetProperty("total_m2").GetDouble(), 1e-3);
        var farmland = json.RootElement.GetProperty("changes_m2").EnumerateArray().Single(c => c.GetProperty("group").GetString() == "耕地");
        Assert.Equal(Area(R), farmland.GetProperty("gain").GetDouble(), 1e-3);
        Assert.Equal(0, farmland.GetProperty("loss").GetDouble());
    }

    [Fact]
    public async Task Analyze_WithoutJson_PrintsAReadableSummaryInChinese()
    {
        var (exit, output, error) = await Cli.RunAsync("analyze", WritePackage());

        Assert.True(exit == 0, error);
        Assert.Contains("项目 TEST-001", output, StringComparison.Ordinal);
        Assert.Contains("水田", output, StringComparison.Ordinal);
        Assert.Contains("百亩方 1 个", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_GeoPackagePackage_GivesTheSameAnswer()
    {
        var folder = WritePackage();
        var gpkg = Path.Combine(dir.FullName, "pkg.gpkg");
        foreach (var layer in new[] { "project_area", "zones", "parcels_before", "parcels_after" })
        {
            Ogr2Ogr(gpkg, Path.Combine(folder, layer + ".geojson"), layer);
        }

        using (var db = new SqliteConnection($"Data Source={gpkg}"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = """
                CREATE TABLE project (id INTEGER PRIMARY KEY, json TEXT NOT NULL);
                INSERT INTO project (json) VALUES ($json);
                INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('project', 'attributes', 'project');
                """;
            command.Parameters.AddWithValue("$json", File.ReadAllText(Path.Combine(folder, "project.json")));
            command.ExecuteNonQuery();
        }

        var (exit, output, error) = await Cli.RunAsync("analyze", gpkg, "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        AssertContractJson(json.RootElement, 1e-3);
    }

    [Fact]
    public async Task Analyze_TiersAndConnectors_AreConfigurable_AndBlocksCanBeWrittenOut()
    {
        var package = WritePackage();
        var blocksOut = Path.Combine(dir.FullName, "blocks");

        // A 百亩方 needs 130 亩 here: the 128 亩 block falls below it.
        var (exit, output, error) = await Cli.RunAsync("analyze", package, "--json", "--tiers", "10000,1000,130", "--blocks-out", blocksOut);
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.All(json.RootElement.GetProperty("blocks").GetProperty("pbf_before").EnumerateArray(), b => Assert.Equal("none", b.GetProperty("tier").GetString()));
            Assert.Equal(130, json.RootElement.GetProperty("reading").GetProperty("tiers_mu").GetProperty("百亩方").GetDouble());
        }

        foreach (var set in new[] { "pbf_before", "pbf_after", "farmland_before", "farmland_after" })
        {
            using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(blocksOut, set + ".geojson"), TestContext.Current.CancellationToken));
            Assert.Equal(2, file.RootElement.GetProperty("features").GetArrayLength()); // each set: the joined pair, and P3 alone
        }

        // Without 1006 among the connectors, the road no longer joins P1 and P2.
        (exit, output, error) = await Cli.RunAsync("analyze", package, "--json", "--connectors", "1107,1203");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(3, json.RootElement.GetProperty("blocks").GetProperty("pbf_before").GetArrayLength());
        }

        (exit, _, error) = await Cli.RunAsync("analyze", package, "--json", "--connectors", "1006,XXXX");
        Assert.NotEqual(0, exit);
        Assert.Contains("XXXX", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PrintsEveryRuleInTheContractsShape()
    {
        var (exit, output, error) = await Cli.RunAsync("check", WritePackage(), "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["project", "rules"], json.RootElement.EnumerateObject().Take(2).Select(p => p.Name));
        Assert.Equal("TEST-001", json.RootElement.GetProperty("project").GetString());
        var rules = json.RootElement.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"R{i:00}"), rules.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rules, r =>
        {
            Assert.Equal(["id", "verdict", "value", "threshold", "unit", "detail"], r.EnumerateObject().Take(6).Select(p => p.Name));
            Assert.True(r.GetProperty("verdict").GetString() is "pass" or "warn" or "fail" or "not_applicable" or "insufficient_data");
        });

        // Worked by hand: P1 + P2 (PBF, high-standard) and the road between them become one PBF paddy field in the
        // only zone, Z1 = P1: PBF in zones all high-standard (R01 pass, ratio 1); the pilot's largest PBF block is
        // 128 亩 + the road, a 百亩方 (R04 pass); no PBF adjustments layer (R05 insufficient); dates stated? no:
        // approved_on is not in project.json (R16 insufficient, never a pass).
        // (project.json states pilot: true.)
        var byId = rules.ToDictionary(r => r.GetProperty("id").GetString()!);
        Assert.Equal(("pass", 1.0), (byId["R01"].GetProperty("verdict").GetString(), byId["R01"].GetProperty("value").GetDouble()));
        Assert.Equal("pass", byId["R04"].GetProperty("verdict").GetString());
        Assert.Equal(Area(A1), byId["R04"].GetProperty("value").GetDouble(), 1e-3);
        Assert.Equal("m2", byId["R04"].GetProperty("unit").GetString());
        Assert.Equal("insufficient_data", byId["R05"].GetProperty("verdict").GetString());
        Assert.Equal("insufficient_data", byId["R16"].GetProperty("verdict").GetString());
        Assert.Equal("hz-2023-21/v1", json.RootElement.GetProperty("edition").GetString());
    }

    [Fact]
    public async Task Check_WithoutJson_PrintsATable_AndUnreadableInputExitsTwo()
    {
        var (exit, output, error) = await Cli.RunAsync("check", WritePackage());
        Assert.True(exit == 0, error);
        Assert.Contains("R01 （三）", output, StringComparison.Ordinal);
        Assert.Contains("✔ 通过", output, StringComparison.Ordinal);

        (exit, _, error) = await Cli.RunAsync("check", Path.Combine(dir.FullName, "missing"), "--json");
        Assert.Equal(2, exit);
        Assert.Contains("project.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_PackageWithoutZones_ExitsTwo_NamingTheMissingLayer()
    {
        var (exit, output, error) = await Cli.RunAsync("analyze", WritePackage(withZones: false), "--json");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("zones", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_UnknownLandClass_ExitsTwo_NamingFileAndFeature()
    {
        var before = Collection(Parcel("0101", 1, P1), Parcel("9999", 0, R), Parcel("0101", 1, P2), Parcel("0103", 1, P3), Parcel("0301", 0, Fo));

        var (exit, _, error) = await Cli.RunAsync("analyze", WritePackage(before), "--json");

        Assert.Equal(2, exit);
        Assert.Contains("parcels_before.geojson", error, StringComparison.Ordinal);
        Assert.Contains("第 2 个图斑", error, StringComparison.Ordinal);
        Assert.Contains("9999", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_NotAPackage_ExitsTwo()
    {
        var (exit, _, error) = await Cli.RunAsync("analyze", Path.Combine(dir.FullName, "nothing-here"), "--json");

        Assert.Equal(2, exit);
        Assert.Contains("project.json", error, StringComparison.Ordinal);
    }

    private static void Ogr2Ogr(string target, string source, string layer)
    {
        const string ogr2ogr = "/usr/bin/ogr2ogr";
        if (!File.Exists(ogr2ogr))
        {
            Requirements.Missing("GDAL's ogr2ogr is not installed: apt-get install gdal-bin");
        }

        var start = new ProcessStartInfo(ogr2ogr) { RedirectStandardError = true };
        foreach (var a in new[] { "-f", "GPKG", "-append", target, source, "-nln", layer, "-a_srs", "EPSG:4490" })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
    }
}
