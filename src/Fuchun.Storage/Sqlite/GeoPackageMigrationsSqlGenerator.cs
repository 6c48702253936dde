using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Fuchun.Storage.Sqlite;

/// <summary>
/// Writes GeoPackage geometry columns as plain typed BLOB columns (<c>geom MULTIPOLYGON</c>). EF's SQLite provider
/// would otherwise take a column typed MULTIPOLYGON for SpatiaLite and emit <c>InitSpatialMetaData()</c> and
/// <c>AddGeometryColumn()</c>, which need the SpatiaLite extension and produce a SpatiaLite database, not a GeoPackage.
/// The model types such columns <c>GPKG:MULTIPOLYGON</c>; only the DDL drops the prefix.
/// </summary>
public sealed class GeoPackageMigrationsSqlGenerator(
    MigrationsSqlGeneratorDependencies dependencies,
    IRelationalAnnotationProvider migrationsAnnotations)
    : SqliteMigrationsSqlGenerator(dependencies, migrationsAnnotations)
{
    /// <summary>Marks a column type as a GeoPackage geometry type.</summary>
    public const string Prefix = "GPKG:";

    protected override void ColumnDefinition(string? schema, string table, string name, ColumnOperation operation, IModel? model, MigrationCommandListBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.ColumnType is { } type && type.StartsWith(Prefix, StringComparison.Ordinal))
        {
            operation.ColumnType = type[Prefix.Length..];
        }

        base.ColumnDefinition(schema, table, name, operation, model, builder);
    }
}
