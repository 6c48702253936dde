using Fuchun.Spatial;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fuchun.Storage.Postgres;

/// <summary>The server store: PostgreSQL 15 with PostGIS 3; geometry columns typed and SRID-constrained, with GiST indexes.</summary>
public sealed class PostgresFuchunDbContext(DbContextOptions<PostgresFuchunDbContext> options) : FuchunDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>The advisory lock that serialises appends to the audit trail ('FCAU').</summary>
    private const long AuditLock = 0x46434155;

    protected override Task LockAuditChainAsync(CancellationToken cancellationToken) =>
        Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AuditLock})", cancellationToken);

    public static void Configure(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseNpgsql(connectionString, o => o.UseNetTopologySuite().MigrationsHistoryTable("ef_migrations_history"));
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasPostgresExtension("postgis");
        base.OnModelCreating(modelBuilder);
    }

    protected override void ConfigureGeometry(EntityTypeBuilder entity, PropertyBuilder geometry)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.HasColumnName("geom").HasColumnType($"geometry(MultiPolygon,{Cgcs2000.Srid})");
        entity.HasIndex(geometry.Metadata.Name).HasMethod("gist");
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model to write its migrations.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresFuchunDbContext>
{
    public PostgresFuchunDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresFuchunDbContext>();
        PostgresFuchunDbContext.Configure(builder, "Host=localhost;Database=fuchun_design");
        return new PostgresFuchunDbContext(builder.Options);
    }
}
