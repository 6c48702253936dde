using Fuchun.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Tests;

/// <summary>
/// <c>fuchun package import|export</c> and <c>fuchun projects stage</c> on the hand-worked package of
/// <see cref="AnalyzeCommandTests"/>: in paddy P1 (zone Z1) nothing is gained, so R02 (new farmland ≥ 5% of the
/// zones' farmland) fails and stops plan review.
/// </summary>
public sealed class PackageCommandTests : IDisposable
{
    private const string ProjectJson = """{"id":"330111-2026-801","name":"银湖测试项目","district":"330111","pilot":false,"townships":["330111001"],"compensations":[{"class":"water","area_m2":100.0}],"extra_key":"kept"}""";
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-package-cli-");

    private string Db => Path.Combine(dir.FullName, "fuchun.gpkg");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    private async Task<string> SeededAsync()
    {
        var (exit, _, error) = await Cli.RunAsync("db", "seed", "-d", Db, "--no-projects");
        Assert.True(exit == 0, error);
        return Db;
    }

    [Fact]
    public async Task ImportThenExport_BothForms_CheckTheSameAsThePackage()
    {
        var package = AnalyzeCommandTests.WritePackageIn(dir.FullName, projectJson: ProjectJson);
        // The package's own township shape (the whole project area): kept, and exported again, so R14 reads the same.
        var area = await File.ReadAllTextAsync(Path.Combine(package, "project_area.geojson"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(package, "townships.geojson"),
            area.Replace("\"name\":\"项目区\"", "\"code\":\"330111001\",\"name\":\"银湖街道\"", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var db = await SeededAsync();
        var (exit, output, error) = await Cli.RunAsync("package", "import", package, "-d", db);
        Assert.True(exit == 0, error);
        Assert.Contains("330111-2026-801", output, StringComparison.Ordinal);
        Assert.Contains("储备", output, StringComparison.Ordinal);

        var expected = (await Cli.RunAsync("check", package, "--json")).Output;
        foreach (var target in new[] { Path.Combine(dir.FullName, "out.gpkg"), Path.Combine(dir.FullName, "out") })
        {
            (exit, _, error) = await Cli.RunAsync("package", "export", "330111-2026-801", "-d", db, "-o", target);
            Assert.True(exit == 0, error);
            Assert.Equal(expected, (await Cli.RunAsync("check", target, "--json")).Output);
            Assert.Equal((await Cli.RunAsync("analyze", package, "--json")).Output, (await Cli.RunAsync("analyze", target, "--json")).Output);
        }

        Assert.Contains("\"extra_key\": \"kept\"", await File.ReadAllTextAsync(Path.Combine(dir.FullName, "out", "project.json"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ARefusedPackage_ExitsTwo_NamingTheKey_AndStoresNothing()
    {
        var db = await SeededAsync();
        var package = AnalyzeCommandTests.WritePackageIn(dir.FullName, projectJson: ProjectJson.Replace("\"330111\"", "\"339999\"", StringComparison.Ordinal));
        var (exit, _, error) = await Cli.RunAsync("package", "import", package, "-d", db);
        Assert.Equal(2, exit);
        Assert.Contains("project.json", error, StringComparison.Ordinal);
        Assert.Contains("339999", error, StringComparison.Ordinal);
        Assert.Contains("共 0 个项目", (await Cli.RunAsync("projects", "list", "-d", db)).Output, StringComparison.Ordinal);

        File.Delete(Path.Combine(package, "zones.geojson"));
        (exit, _, error) = await Cli.RunAsync("package", "import", package, "-d", db);
        Assert.Equal(2, exit);
        Assert.Contains("zones", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_PlanReviewWithAFailingRule_NeedsAWaiverFromTheCity()
    {
        var db = await SeededAsync();
        var (exit, _, error) = await Cli.RunAsync("package", "import", AnalyzeCommandTests.WritePackageIn(dir.FullName, projectJson: ProjectJson), "-d", db);
        Assert.True(exit == 0, error);
        // 立项 needs an approved annual plan of the district listing the project (paragraph (七)).
        await using (var services = new ServiceCollection().AddFuchunStorage(DatabaseSettings.Embedded(db)).BuildServiceProvider())
        {
            await Testing.PlanFixtures.ListForApprovalAsync(services, "330111", "330111-2026-801");
            await Testing.DocumentFixtures.FileAsync(services, "330111-2026-801", "approval_reply", "plan_review_opinion");
        }

        foreach (var stage in new[] { "SurveyEvaluation", "Approval", "PlanReview" })
        {
            (exit, _, error) = await Cli.RunAsync("projects", "stage", "330111-2026-801", "--to", stage, "-d", db);
            Assert.True(exit == 0, error);
        }

        (exit, _, error) = await Cli.RunAsync("projects", "stage", "330111-2026-801", "--to", "Implementation", "-d", db);
        Assert.Equal(1, exit);
        Assert.Contains("R02", error, StringComparison.Ordinal);

        // Waivers come from accounts: the console acts as the account whose token it is given.
        Assert.Equal(0, (await Cli.RunAsync("accounts", "add", "li.fy", "--role", "district_officer", "--district", "330111", "-d", db)).Exit);
        Assert.Equal(0, (await Cli.RunAsync("accounts", "add", "wang.city", "--role", "city_bureau", "-d", db)).Exit);
        var districtToken = (await Cli.RunAsync("tokens", "issue", "li.fy", "-d", db)).Output.Trim();
        var cityToken = (await Cli.RunAsync("tokens", "issue", "wang.city", "-d", db)).Output.Trim();

        (exit, _, error) = await Cli.RunAsync("projects", "stage", "330111-2026-801", "--to", "Implementation", "-d", db, "--waiver", "区县先行", "--token", districtToken);
        Assert.Equal(1, exit);
        Assert.Contains("市局", error, StringComparison.Ordinal);

        (exit, _, error) = await Cli.RunAsync("projects", "stage", "330111-2026-801", "--to", "Implementation", "-d", db, "--waiver", "区县先行", "--token", "fct_forged");
        Assert.Equal(1, exit);
        Assert.Contains("令牌无效", error, StringComparison.Ordinal);

        (exit, _, error) = await Cli.RunAsync("projects", "stage", "330111-2026-801", "--to", "Implementation", "-d", db, "--waiver", "新增耕地在相邻整治区统筹", "--token", cityToken);
        Assert.True(exit == 0, error);
        Assert.Contains("实施", (await Cli.RunAsync("projects", "list", "-d", db)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidButRepairableGeometry_IsRefused_UnlessRepairIsAsked_AndTheRepairIsReported()
    {
        var package = AnalyzeCommandTests.WritePackageIn(dir.FullName, AnalyzeCommandTests.BeforeWithABowTie(), projectJson: ProjectJson);
        var (exit, _, error) = await Cli.RunAsync("check", package, "--json");
        Assert.Equal(2, exit);
        Assert.Contains("parcels_before", error, StringComparison.Ordinal);

        (exit, var output, error) = await Cli.RunAsync("check", package, "--json", "--repair");
        Assert.True(exit == 0, error);
        Assert.Contains("parcels_before", error, StringComparison.Ordinal);
        Assert.Contains("4", error, StringComparison.Ordinal);
        Assert.StartsWith("{\"project\":\"330111-2026-801\"", output, StringComparison.Ordinal);

        var db = await SeededAsync();
        (exit, _, error) = await Cli.RunAsync("package", "import", package, "-d", db);
        Assert.Equal(2, exit);
        (exit, _, error) = await Cli.RunAsync("package", "import", package, "-d", db, "--repair");
        Assert.True(exit == 0, error);
    }
}
