using System.CommandLine;
using System.Text.Json;
using Fuchun.Domain.LandClasses;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;

namespace Fuchun.Cli.Tests;

public sealed class CliTests
{
    private static IEnumerable<(string[] Path, Command Command)> Walk(Command command, string[] path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var child in Walk(sub, [.. path, sub.Name]))
            {
                yield return child;
            }
        }
    }

    [Fact]
    public async Task Help_OnEveryCommand_DescribesIt()
    {
        var commands = Walk(FuchunCli.Build(), []).ToList();
        Assert.True(commands.Count >= 6);
        foreach (var (path, command) in commands)
        {
            var (exit, output, _) = await Cli.RunAsync([.. path, "--help"]);
            Assert.Equal(0, exit);
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
            Assert.Contains(command.Description!, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Demo_WithoutOut_FailsNamingTheOption()
    {
        var (exit, _, error) = await Cli.RunAsync("demo");

        Assert.NotEqual(0, exit);
        Assert.Contains("--out", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_WritesEveryProjectAsAFolderPackage()
    {
        var dir = Directory.CreateTempSubdirectory("fuchun-demo-");
        try
        {
            var (exit, _, error) = await Cli.RunAsync("demo", "--out", dir.FullName);

            Assert.True(exit == 0, error);
            var packages = dir.GetDirectories();
            Assert.Equal(20, packages.Length);
            foreach (var package in packages)
            {
                foreach (var layer in new[] { "project_area", "zones", "parcels_before", "parcels_after", "dev_boundary", "eco_redline", "industrial_parks", "townships" })
                {
                    Assert.True(File.Exists(Path.Combine(package.FullName, layer + ".geojson")), $"{package.Name}: {layer}");
                }

                using var project = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(package.FullName, "project.json"), TestContext.Current.CancellationToken));
                Assert.Equal(package.Name, project.RootElement.GetProperty("id").GetString());
                Assert.Equal(6, project.RootElement.GetProperty("district").GetString()!.Length);
                Assert.Contains(project.RootElement.GetProperty("pilot").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
                Assert.False(string.IsNullOrEmpty(project.RootElement.GetProperty("name").GetString()));
            }

            // One package read back: its parcels carry the contract's fields and tile its project area.
            var first = packages.OrderBy(p => p.Name, StringComparer.Ordinal).First().FullName;
            var area = GeoJsonGeometryReader.ReadMultiPolygon(await File.ReadAllTextAsync(Path.Combine(first, "project_area.geojson"), TestContext.Current.CancellationToken));
            var parcelsText = await File.ReadAllTextAsync(Path.Combine(first, "parcels_before.geojson"), TestContext.Current.CancellationToken);
            var parcels = GeoJsonGeometryReader.ReadGeometries(parcelsText);
            var sum = parcels.Sum(EllipsoidalArea.OfGeometry);
            Assert.True(Math.Abs(sum - EllipsoidalArea.OfGeometry(area)) / sum < 1e-6);
            using var doc = JsonDocument.Parse(parcelsText);
            foreach (var feature in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var props = feature.GetProperty("properties");
                Assert.True(LandClassCatalog.TryGet(props.GetProperty("DLBM").GetString()!, out _));
                Assert.InRange(props.GetProperty("PBF").GetInt32(), 0, 1);
                Assert.InRange(props.GetProperty("HSF").GetInt32(), 0, 1);
                Assert.Equal(19, props.GetProperty("ZLDWDM").GetString()!.Length);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task SeedThenList_UsesTheRegistry()
    {
        var dir = Directory.CreateTempSubdirectory("fuchun-cli-db-");
        var file = Path.Combine(dir.FullName, "cli.gpkg");
        try
        {
            var seed = await Cli.RunAsync("db", "seed", "--database", file);
            Assert.True(seed.Exit == 0, seed.Error);
            Assert.Contains("已填充演示数据", seed.Output, StringComparison.Ordinal);
            Assert.Contains("未作改动", (await Cli.RunAsync("db", "seed", "--database", file)).Output, StringComparison.Ordinal);

            var (exit, output, error) = await Cli.RunAsync("projects", "list", "--database", file, "--district", "330111", "--json");

            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
            Assert.All(json.RootElement.GetProperty("projects").EnumerateArray(), p => Assert.Equal("330111", p.GetProperty("districtCode").GetString()));
            var pilots = await Cli.RunAsync("projects", "list", "--database", file, "--pilot");
            Assert.Contains("共 8 个项目", pilots.Output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }
}
