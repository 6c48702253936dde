using System.Diagnostics;
using Fuchun.Domain.Layers;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fuchun.Storage.Tests;

public sealed class GeoPackageSchemaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_EmbeddedFile_IsAGeoPackageInWalMode()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var connection = new SqliteConnection($"Data Source={database.FilePath};Mode=ReadOnly");
        await connection.OpenAsync(Ct);

        Assert.Equal(0x47504B47L, await Scalar<long>(connection, "PRAGMA application_id"));
        Assert.Equal(10400L, await Scalar<long>(connection, "PRAGMA user_version"));
        Assert.Equal("wal", await Scalar<string>(connection, "PRAGMA journal_mode"));
        Assert.Equal(16384L, await Scalar<long>(connection, "PRAGMA page_size"));
        Assert.Equal(7L, await Scalar<long>(connection, "SELECT count(*) FROM gpkg_contents WHERE data_type = 'features' AND srs_id = 4490"));
        Assert.Equal("MULTIPOLYGON", await Scalar<string>(connection, "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'parcels'"));
        Assert.Equal("MULTIPOLYGON", await Scalar<string>(connection, "SELECT type FROM pragma_table_info('parcels') WHERE name = 'geom'"));
        Assert.Equal(1L, await Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'rtree_parcels_geom'"));
        Assert.Equal(1L, await Scalar<long>(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'rtree_parcel_overviews_geom'"));
        Assert.Equal("ok", await Scalar<string>(connection, "PRAGMA integrity_check"));

        // QGIS opens the parcel tables in the land classes' colours: a default style each, on the dlbm column.
        Assert.Equal("attributes", await Scalar<string>(connection, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"));
        foreach (var table in new[] { "parcels", "parcel_overviews" })
        {
            var qml = await Scalar<string>(connection, $"SELECT styleQML FROM layer_styles WHERE f_table_name = '{table}' AND f_geometry_column = 'geom' AND useAsDefault = 1");
            Assert.Equal("dlbm", System.Xml.Linq.XDocument.Parse(qml).Root!.Element("renderer-v2")!.Attribute("attr")!.Value);
        }

        // Opened again, the store is not written to (the styles are as they should be).
        var written = await Scalar<string>(connection, "SELECT group_concat(id || update_time) FROM layer_styles");
        await using (var scope = database.Services.CreateAsyncScope())
        {
            await StorageServices.MigrateAsync(scope.ServiceProvider.GetRequiredService<FuchunDbContext>(), Ct);
        }

        Assert.Equal(written, await Scalar<string>(connection, "SELECT group_concat(id || update_time) FROM layer_styles"));
        Assert.Equal(2L, await Scalar<long>(connection, "SELECT count(*) FROM layer_styles"));
    }

    [Fact]
    public async Task SeedDemo_Embedded_FillsEveryLayerAndItsRtree()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var scope = database.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: true, cancellationToken: Ct));
            await DemoAssertions.HoldTheDemoAsync(scope.ServiceProvider.GetRequiredService<FuchunDbContext>());
            Assert.False(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: true, cancellationToken: Ct));
        }

        await using var connection = new SqliteConnection($"Data Source={database.FilePath};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        var parcels = await Scalar<long>(connection, "SELECT count(*) FROM parcels");
        var indexed = await Scalar<long>(connection, "SELECT count(*) FROM rtree_parcels_geom");
        Assert.True(parcels == indexed, $"{parcels} parcels, {indexed} R-tree entries");
        // The R-tree answers a window query (the whole city, 118–121°E, 29–31°N) the way GIS clients use it.
        var inWindow = await Scalar<long>(connection,
            "SELECT count(*) FROM rtree_parcels_geom r JOIN parcels p ON p.id = r.id WHERE r.maxx >= 118.0 AND r.minx <= 121.0 AND r.maxy >= 29.0 AND r.miny <= 31.0");
        Assert.Equal(parcels, inWindow);
        Assert.Equal(13L, await Scalar<long>(connection, "SELECT count(*) FROM rtree_districts_geom"));

        // GDAL, the library under QGIS, opens the file as a GeoPackage and reads the layers as typed features in EPSG:4490.
        var info = RunOgrInfo(database.FilePath!, "parcels");
        Assert.Contains("GPKG", info, StringComparison.Ordinal);
        Assert.Contains("Geometry: Multi Polygon", info, StringComparison.Ordinal);
        Assert.Contains($"Feature Count: {parcels}", info, StringComparison.Ordinal);
        Assert.Contains("4490", info, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR", info, StringComparison.Ordinal);
    }

    private static string RunOgrInfo(string file, string layer)
    {
        const string ogrinfo = "/usr/bin/ogrinfo";
        if (!File.Exists(ogrinfo))
        {
            Requirements.Missing("GDAL's ogrinfo is not installed: apt-get install gdal-bin");
        }

        var start = new ProcessStartInfo(ogrinfo) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-ro", "-so", "-al", file, layer })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        return "GPKG " + output + stderr.Result + RunDriver(ogrinfo, file);
    }

    private static string RunDriver(string ogrinfo, string file)
    {
        var start = new ProcessStartInfo(ogrinfo) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-ro", file })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Contains("using driver `GPKG'", output, StringComparison.Ordinal);
        return output;
    }

    internal static async Task<T> Scalar<T>(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}

public sealed class PostgisSchemaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Migrate_Postgres_HasTypedGeometryWithGistIndexes()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync(Ct);

        await using (var command = new NpgsqlCommand("SELECT type, srid FROM geometry_columns WHERE f_table_name = 'parcels' AND f_geometry_column = 'geom'", connection))
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal("MULTIPOLYGON", reader.GetString(0));
            Assert.Equal(4490, reader.GetInt32(1));
        }

        await using var gist = new NpgsqlCommand("SELECT count(*) FROM pg_indexes WHERE indexdef ILIKE '%USING gist (geom)%'", connection);
        Assert.Equal(7L, (long)(await gist.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Migrate_Postgres_AppliesTheMigrationsAnOlderDatabaseLacks_AndLeavesACurrentOneAlone()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var scope = database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();
        var all = db.Database.GetMigrations().ToList();
        db.Database.SetCommandTimeout(TimeSpan.Zero);
        await Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>(db).MigrateAsync("20261130075312_AccountTownship", Ct);
        Assert.Equal(2, (await db.Database.GetPendingMigrationsAsync(Ct)).Count());   // EF Core's own reckoning

        await StorageServices.MigrateAsync(db, Ct);

        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync(Ct));
        Assert.Equal("p", await Scalar(database, "SELECT relkind::text FROM pg_class WHERE relname = 'parcels'"));

        // Current: nothing is run again (a migration run twice would fail on the tables it creates).
        await StorageServices.MigrateAsync(db, Ct);
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync(Ct));
    }

    [Fact]
    public async Task Migrate_Postgres_CreatesAMissingDatabase()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Postgres, await PostgresServer.CreateDatabaseAsync());
        var missing = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Database = "fuchun_missing_" + Guid.NewGuid().ToString("N")[..12] }.ConnectionString;
        var services = new ServiceCollection().AddFuchunStorage(settings with { ConnectionString = missing }).BuildServiceProvider();
        await using (services)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();

            await StorageServices.MigrateAsync(db, Ct);

            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));
            await db.Database.EnsureDeletedAsync(Ct);
        }
    }

    private static async Task<string?> Scalar(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task SeedDemo_Postgres_FillsEveryLayer()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var scope = database.Services.CreateAsyncScope();

        Assert.True(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: true, cancellationToken: Ct));

        await DemoAssertions.HoldTheDemoAsync(scope.ServiceProvider.GetRequiredService<FuchunDbContext>());
        await using var connection = new NpgsqlConnection(database.Settings.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var invalid = new NpgsqlCommand("SELECT count(*) FROM parcels WHERE NOT ST_IsValid(geom)", connection);
        Assert.Equal(0L, (long)(await invalid.ExecuteScalarAsync(Ct))!);
        // Areas stored are the ellipsoidal areas: PostGIS's geodesic area agrees to well under 1e-5 for such small parcels.
        // Tolerance as issue 3 sets it for parcels: 1e-5 relative or 0.5 m², whichever is larger.
        await using var area = new NpgsqlCommand(
            "SELECT count(*) FROM parcels WHERE abs(ST_Area(geom::geography, true) - area_m2) > greatest(1e-5 * area_m2, 0.5)", connection);
        Assert.Equal(0L, (long)(await area.ExecuteScalarAsync(Ct))!);
    }
}

internal static class DemoAssertions
{
    public static async Task HoldTheDemoAsync(FuchunDbContext db)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(13, await db.Districts.CountAsync(ct));
        Assert.Equal(191, await db.Townships.CountAsync(ct));
        var projects = await db.Projects.Include(p => p.Zones).ToListAsync(ct);
        Assert.True(projects.Count >= 20);
        Assert.True(projects.Select(p => p.DistrictCode).Distinct().Count() >= 8);
        Assert.True(projects.Count(p => p.IsPilot) >= 6);
        Assert.All(projects, p => Assert.NotEmpty(p.Zones));
        Assert.All(projects, p => Assert.True(p.AreaM2 > 0));
        var layers = await db.Layers.ToListAsync(ct);
        Assert.Equal(projects.Count * 5, layers.Count);
        foreach (var layer in layers.Where(l => l.Kind.HoldsParcels()))
        {
            Assert.Equal(layer.FeatureCount, await db.Parcels.CountAsync(p => p.LayerId == layer.Id, ct));
        }

        // Each project's history shows how it reached its stage: created, geometry, then one entry per stage.
        var project = projects.OrderByDescending(p => p.Stage).First();
        var changes = await db.ProjectChanges.CountAsync(c => c.ProjectId == project.Id, ct);
        Assert.Equal(2 + (int)project.Stage, changes);
    }
}
