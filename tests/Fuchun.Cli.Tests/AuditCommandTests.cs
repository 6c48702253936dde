using Microsoft.Data.Sqlite;

namespace Fuchun.Cli.Tests;

/// <summary><c>fuchun audit verify</c> on a real database: whole after changes, and where an entry was edited.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-audit-cli-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Verify_SaysTheChainIsWhole_ThenNamesTheEditedEntry()
    {
        var db = Path.Combine(dir.FullName, "fuchun.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "-d", db, "--no-projects")).Exit);
        var (exit, _, error) = await Cli.RunAsync("package", "import", AnalyzeCommandTests.WritePackageIn(dir.FullName,
            projectJson: """{"id":"330111-2026-802","name":"审计测试项目","district":"330111","pilot":false,"townships":["330111001"]}"""), "-d", db);
        Assert.True(exit == 0, error);
        Assert.Equal(0, (await Cli.RunAsync("package", "export", "330111-2026-802", "-d", db, "-o", Path.Combine(dir.FullName, "out.gpkg"))).Exit);

        (exit, var output, error) = await Cli.RunAsync("audit", "verify", "-d", db);
        Assert.True(exit == 0, error);
        Assert.Contains("哈希链完整", output, StringComparison.Ordinal);

        // Who imported and who exported, from where: the console user, in the trail.
        await using (var connection = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT group_concat(action || '@' || source, ',') FROM (SELECT action, source FROM audit_log ORDER BY sequence)";
            var actions = (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            Assert.Contains("project.PackageImported@cli", actions, StringComparison.Ordinal);
            Assert.EndsWith("package.exported@cli", actions, StringComparison.Ordinal);
            await using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE audit_log SET subject = '330111-2026-000' WHERE sequence = 2";
            await edit.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        (exit, _, error) = await Cli.RunAsync("audit", "verify", "-d", db);
        Assert.Equal(1, exit);
        Assert.Contains("第 2 条", error, StringComparison.Ordinal);
        Assert.Contains("被修改", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_RefusesARetentionUnderSixMonths_AndKeepsWhatIsWithinIt()
    {
        var db = Path.Combine(dir.FullName, "prune.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "-d", db, "--no-projects")).Exit);
        Assert.Equal(0, (await Cli.RunAsync("accounts", "add", "wang", "--role", "city_bureau", "-d", db)).Exit);

        var (exit, _, error) = await Cli.RunAsync("audit", "prune", "--retention-days", "90", "-d", db);
        Assert.Equal(2, exit);
        Assert.Contains("不能少于 180 天", error, StringComparison.Ordinal);

        (exit, var output, error) = await Cli.RunAsync("audit", "prune", "--retention-days", "180", "-d", db);
        Assert.True(exit == 0, error);
        Assert.Contains("审计记录 0 条", output, StringComparison.Ordinal);
        Assert.Equal(0, (await Cli.RunAsync("audit", "verify", "-d", db)).Exit);
    }
}
