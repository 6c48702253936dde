using Fuchun.Domain.Layers;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Storage.Tests;

/// <summary>
/// <see cref="DatabaseSettings.ExclusiveLayerWrites"/> on the embedded file: a layer written through the rollback
/// journal when the file is the writer's alone, through the WAL otherwise, and the file in WAL mode afterwards.
/// </summary>
public sealed class SqliteLayerWriteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<Parcel> Layer(string landClass) =>
        [.. Enumerable.Range(0, 3_000).Select(i => RegistryContract.Parcel(119.5 + (i * 0.001), landClass))];

    private static async Task<(TestDatabase Database, int ProjectId)> CreateAsync(bool exclusive)
    {
        var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, s => s with { ExclusiveLayerWrites = exclusive });
        await using var scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: Ct);
        var project = await scope.ServiceProvider.GetRequiredService<ProjectRegistry>().CreateAsync(RegistryContract.Details(), "a", cancellationToken: Ct);
        return (database, project.Id);
    }

    private static async Task<Layer> WriteAsync(TestDatabase database, int projectId, IReadOnlyCollection<Parcel> parcels)
    {
        await using var scope = database.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ILayerStore>().ReplaceLayerAsync(projectId, LayerKind.ParcelsBefore, "before", parcels, [], Ct);
    }

    /// <summary>A connection of its own (not pooled) that has read the file: it holds the file open in WAL mode.</summary>
    private static async Task<SqliteConnection> OpenReadAsync(TestDatabase database)
    {
        var connection = new SqliteConnection($"Data Source={database.FilePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM parcels";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!);
        return connection;
    }

    /// <summary>
    /// The file's journal mode, its parcels, and the pages in its WAL: what the writes since the WAL last started
    /// over put there.
    /// </summary>
    private static async Task<(string Mode, long Parcels, long WalPages)> InspectAsync(TestDatabase database)
    {
        await using var connection = new SqliteConnection($"Data Source={database.FilePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        var mode = (string)(await command.ExecuteScalarAsync(Ct))!;
        command.CommandText = "SELECT count(*) FROM parcels";
        var parcels = (long)(await command.ExecuteScalarAsync(Ct))!;
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        return (mode, parcels, reader.GetInt64(1));
    }

    [Fact]
    public async Task ReplaceLayer_WithTheFileToItself_WritesThePagesOnce_AndLeavesTheFileInWalMode()
    {
        var (shared, sharedProject) = await CreateAsync(exclusive: false);
        await using var _ = shared;
        var (alone, aloneProject) = await CreateAsync(exclusive: true);
        await using var __ = alone;
        // The WAL of the file written in WAL mode is kept (SQLite folds it away when the last connection closes).
        await using var keeper = await OpenReadAsync(shared);

        await WriteAsync(shared, sharedProject, Layer("0101"));
        await WriteAsync(alone, aloneProject, Layer("0101"));

        // In WAL mode the layer's pages (16 KB each, more than a megabyte in all) pass through the WAL; without it
        // they do not, and the WAL starts over empty.
        var (sharedMode, sharedParcels, sharedPages) = await InspectAsync(shared);
        Assert.Equal(("wal", 3_000L), (sharedMode, sharedParcels));
        Assert.True(sharedPages > 60, $"{sharedPages} pages in the WAL");
        Assert.Equal(("wal", 3_000L, 0L), await InspectAsync(alone));
    }

    [Fact]
    public async Task ReplaceLayer_WhileTheFileIsOpenElsewhere_WritesThroughTheWal()
    {
        var (database, projectId) = await CreateAsync(exclusive: true);
        await using var _ = database;
        // A connection that has read the file (as a server's has) holds it in WAL mode.
        await using var reader = await OpenReadAsync(database);
        await using var command = reader.CreateCommand();
        command.CommandText = "SELECT count(*) FROM parcels";

        await WriteAsync(database, projectId, Layer("0101"));

        Assert.Equal(3_000L, (long)(await command.ExecuteScalarAsync(Ct))!);
        var (mode, parcels, pages) = await InspectAsync(database);
        Assert.Equal(("wal", 3_000L), (mode, parcels));
        Assert.True(pages > 60, $"{pages} pages in the WAL");
    }

    [Fact]
    public async Task ReplaceLayer_WithTheFileToItself_WhenAFeatureFails_KeepsThePreviousLayer_AndWalMode()
    {
        var (database, projectId) = await CreateAsync(exclusive: true);
        await using var _ = database;
        await WriteAsync(database, projectId, Layer("0101"));
        var bad = Layer("0103");
        bad[2_500] = new Parcel(null!, false, false, null, bad[2_500].Geometry, bad[2_500].AreaM2);

        await Assert.ThrowsAsync<SqliteException>(() => WriteAsync(database, projectId, bad));

        Assert.Equal(("wal", 3_000L, 0L), await InspectAsync(database));
        await using var scope = database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
        Assert.Equal(["0101"], await db.Parcels.Select(p => p.LandClass).Distinct().ToListAsync(Ct));
        Assert.False(File.Exists(database.FilePath + "-journal"));
    }
}
