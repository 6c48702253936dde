using System.Data.Common;
using System.Globalization;
using Fuchun.Spatial.IO;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fuchun.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode whose feature tables form an OGC GeoPackage (geometry as
/// GeoPackage blobs, registered in <c>gpkg_contents</c> and <c>gpkg_geometry_columns</c>, each with an R-tree).
/// </summary>
public sealed class SqliteFuchunDbContext(DbContextOptions<SqliteFuchunDbContext> options) : FuchunDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    // A SQLite transaction takes the database's one writer lock when it begins (BEGIN IMMEDIATE): appends are serial.
    protected override Task LockAuditChainAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static void Configure(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSqlite(connectionString, o => o.MigrationsHistoryTable("ef_migrations_history"))
            .AddInterceptors(GeoPackageFunctionsInterceptor.Instance)
            .ReplaceService<IMigrationsSqlGenerator, GeoPackageMigrationsSqlGenerator>();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // SQLite has no date type: keep instants as fixed-width UTC ISO 8601 text, which sorts and compares
        // correctly in SQL (EF cannot order by DateTimeOffset on SQLite otherwise).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcIsoTextConverter>();
    }

    internal sealed class UtcIsoTextConverter() : ValueConverter<DateTimeOffset, string>(
        v => v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));

    protected override void ConfigureGeometry(EntityTypeBuilder entity, PropertyBuilder geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.HasColumnName("geom").HasColumnType(GeoPackageMigrationsSqlGenerator.Prefix + "MULTIPOLYGON");
        geometry.Metadata.SetValueConverter(GeoPackageGeometry.Converter);
        geometry.Metadata.SetValueComparer(GeoPackageGeometry.Comparer);
    }

    /// <summary>Registers the GeoPackage SQL functions on every connection EF opens.</summary>
    private sealed class GeoPackageFunctionsInterceptor : DbConnectionInterceptor
    {
        public static readonly GeoPackageFunctionsInterceptor Instance = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
            GeoPackageBlob.RegisterFunctions((SqliteConnection)connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            GeoPackageBlob.RegisterFunctions((SqliteConnection)connection);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model to write its migrations.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteFuchunDbContext>
{
    public SqliteFuchunDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteFuchunDbContext>();
        SqliteFuchunDbContext.Configure(builder, "Data Source=design-time.gpkg");
        return new SqliteFuchunDbContext(builder.Options);
    }
}
