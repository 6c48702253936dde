using System.Data.Common;
using Fuchun.Domain.Layers;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Fuchun.Storage.Layers;

/// <summary>Writes layers into PostGIS with binary COPY, the fastest path PostgreSQL offers.</summary>
public sealed class PostgresLayerStore(FuchunDbContext db, TimeProvider clock) : LayerStoreBase(db, clock)
{
    protected override async Task WriteParcelsAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var writer = await npgsql.BeginBinaryImportAsync(
            "COPY parcels (layer_id, dlbm, pbf, hsf, zldwdm, area_m2, attributes_json, geom) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var p in parcels)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(layerId, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(p.LandClass, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(p.IsPbf, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(p.IsHighStandard, NpgsqlDbType.Boolean, cancellationToken);
            await WriteNullableAsync(writer, p.LocationCode, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(p.AreaM2, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, p.AttributesJson, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync<Geometry>(p.Geometry, NpgsqlDbType.Geometry, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    protected override async Task WriteFeaturesAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<ReferenceFeature> features, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var writer = await npgsql.BeginBinaryImportAsync(
            "COPY reference_features (layer_id, kind, name, area_m2, attributes_json, geom) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var f in features)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(layerId, NpgsqlDbType.Integer, cancellationToken);
            await WriteNullableAsync(writer, f.Kind, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(writer, f.Name, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(f.AreaM2, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, f.AttributesJson, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync<Geometry>(f.Geometry, NpgsqlDbType.Geometry, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);
}
