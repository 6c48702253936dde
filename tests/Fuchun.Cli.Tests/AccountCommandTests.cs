using Microsoft.Data.Sqlite;

namespace Fuchun.Cli.Tests;

/// <summary><c>fuchun accounts</c> and <c>fuchun tokens</c>: what an administrator does at the console.</summary>
public sealed class AccountCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-accounts-cli-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }

    [Fact]
    public async Task AddAccounts_IssueAndRevokeTokens_StoringOnlyTheirHashes()
    {
        var db = Path.Combine(dir.FullName, "fuchun.gpkg");
        Assert.Equal(0, (await Cli.RunAsync("db", "seed", "-d", db, "--no-projects")).Exit);

        var (exit, output, error) = await Cli.RunAsync("accounts", "add", "wang.city", "--name", "王某（市局耕保处）", "--role", "city_bureau", "-d", db);
        Assert.True(exit == 0, error);
        Assert.Contains("市局", output, StringComparison.Ordinal);

        // A district officer needs a district; an unknown role is named.
        (exit, _, error) = await Cli.RunAsync("accounts", "add", "li.fy", "--role", "district_officer", "-d", db);
        Assert.Equal(1, exit);
        Assert.Contains("区县", error, StringComparison.Ordinal);
        (exit, _, error) = await Cli.RunAsync("accounts", "add", "li.fy", "--role", "mayor", "-d", db);
        Assert.Equal(1, exit);
        Assert.Contains("mayor", error, StringComparison.Ordinal);
        (exit, _, error) = await Cli.RunAsync("accounts", "add", "li.fy", "--role", "district_officer", "--district", "330111", "-d", db);
        Assert.True(exit == 0, error);
        Assert.Contains("li.fy\tli.fy\tdistrict_officer\t330111", (await Cli.RunAsync("accounts", "list", "-d", db)).Output, StringComparison.Ordinal);

        (exit, output, error) = await Cli.RunAsync("tokens", "issue", "wang.city", "--days", "7", "-d", db);
        Assert.True(exit == 0, error);
        var token = output.Trim();
        Assert.StartsWith("fct_", token, StringComparison.Ordinal);
        Assert.Contains("令牌编号 1", error, StringComparison.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={db};Pooling=false"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT token_hash FROM api_tokens";
            var stored = (string)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal(64, stored.Length);
            Assert.DoesNotContain(token[4..], stored, StringComparison.Ordinal);
        }

        Assert.Equal(1, (await Cli.RunAsync("tokens", "issue", "wang.city", "--days", "400", "-d", db)).Exit);
        Assert.Equal(0, (await Cli.RunAsync("tokens", "revoke", "1", "-d", db)).Exit);
        Assert.Equal(1, (await Cli.RunAsync("tokens", "revoke", "99", "-d", db)).Exit);
        Assert.Equal(0, (await Cli.RunAsync("audit", "verify", "-d", db)).Exit);
    }
}
