using System.CommandLine;
using Fuchun.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Cli.Commands;

/// <summary>Options and plumbing several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> Database() => new("--database", "-d")
    {
        Description = "数据库：GeoPackage 文件路径，或 PostgreSQL 连接串（Host=…）/URI（postgres://…）。默认 " + DatabaseSettings.DefaultFile,
    };

    /// <summary>A service scope over the chosen database, migrated.</summary>
    public static async Task<(ServiceProvider Services, AsyncServiceScope Scope)> OpenAsync(string? database, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        // The server's Fuchun:Tiles:OverviewMinParcels setting, so a layer imported here is tiled alike. A command
        // runs alone: an embedded file it has to itself takes a layer through the rollback journal.
        services.AddFuchunStorage(
            DatabaseSettings.Parse(database) with { ExclusiveLayerWrites = true },
            Storage.Layers.TileOptions.FromSetting(Environment.GetEnvironmentVariable("Fuchun__Tiles__OverviewMinParcels")));
        var provider = services.BuildServiceProvider();
        var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
        await StorageServices.MigrateAsync(db, cancellationToken);
        (db.AuditActor, db.AuditSource) = (Actor, "cli");
        return (provider, scope);
    }

    /// <summary>The actor recorded for changes made from the command line.</summary>
    public static string Actor => "cli:" + Environment.UserName;
}
