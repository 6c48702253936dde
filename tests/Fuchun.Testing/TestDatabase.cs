using Fuchun.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Testing;

/// <summary>
/// A fresh, migrated database of one backend for one test: a new GeoPackage file in a temporary folder, or a
/// new database on the throwaway PostgreSQL server. Resolve services from <see cref="Services"/> in a scope.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? directory;

    private TestDatabase(DatabaseSettings settings, string? directory)
    {
        Settings = settings;
        this.directory = directory;
        var services = new ServiceCollection();
        services.AddFuchunStorage(settings);
        Services = services.BuildServiceProvider();
    }

    public DatabaseSettings Settings { get; }

    public ServiceProvider Services { get; }

    /// <summary>The GeoPackage file, for the embedded backend.</summary>
    public string? FilePath { get; private init; }

    /// <param name="provider">The backend.</param>
    /// <param name="configure">Changes to the settings the database is used with (the file or server is as ever).</param>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, Func<DatabaseSettings, DatabaseSettings>? configure = null)
    {
        configure ??= s => s;
        TestDatabase db;
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "fuchun-test-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, "fuchun.gpkg");
            db = new TestDatabase(configure(DatabaseSettings.Embedded(file)), dir) { FilePath = file };
        }
        else
        {
            db = new TestDatabase(configure(new DatabaseSettings(DatabaseProvider.Postgres, await PostgresServer.CreateDatabaseAsync())), null);
        }

        await using var scope = db.Services.CreateAsyncScope();
        await StorageServices.MigrateAsync(scope.ServiceProvider.GetRequiredService<FuchunDbContext>());
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (Settings.Provider == DatabaseProvider.Sqlite)
        {
            // This file's pooled connections only: clearing every pool closed the connections of tests running
            // beside this one, and with the last of them SQLite folds a file's WAL away under its test.
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection(Settings.ConnectionString);
            Microsoft.Data.Sqlite.SqliteConnection.ClearPool(connection);
        }

        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
