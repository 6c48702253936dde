using System.Data.Common;
using System.Globalization;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;
using Fuchun.Storage.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Fuchun.Storage.Layers;

/// <summary>Writes layers into PostGIS with binary COPY, the fastest path PostgreSQL offers.</summary>
public sealed class PostgresLayerStore(FuchunDbContext db, TimeProvider clock, TileOptions tiles) : LayerStoreBase(db, clock, tiles)
{
    private static readonly NetTopologySuite.NtsGeometryServices PackedServices = new(
        NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory, new PrecisionModel(), Fuchun.Spatial.Cgcs2000.Srid);

    /// <summary>
    /// Writes the layer into a table of its own (<c>parcels_{layer}</c>) with no index, then attaches it as the
    /// layer's partition of <c>parcels</c>: PostgreSQL builds the partition's key and GiST index once, sorted, at
    /// the attach, instead of maintaining them row by row during the COPY. All within the layer's transaction.
    /// </summary>
    protected override async Task<(int Count, double AreaM2)> WriteParcelsAsync(DbConnection connection, DbTransaction transaction, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var partition = PartitionName(layerId);
        // No parallel workers: a tile reads a few hundred of the layer's rows, and starting workers cost more than
        // they saved (ST_AsMVT at z16: 33 ms with two workers, 9 ms without).
        // The CHECK matches the partition's bound, so the attach need not scan the rows to prove it (PostgreSQL's
        // own advice); it is dropped once the bound holds in its place.
        await ExecuteAsync(npgsql, transaction, string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE {partition} (LIKE parcels INCLUDING DEFAULTS, CONSTRAINT {partition}_bound CHECK (layer_id = {layerId})) WITH (parallel_workers = 0)"), cancellationToken);
        var (count, total) = (0, 0.0);
        await using (var stream = await npgsql.BeginRawBinaryCopyAsync(
            $"COPY {partition} (layer_id, dlbm, pbf, hsf, zldwdm, area_m2, attributes_json, geom) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            try
            {
                var rows = new BinaryCopyRows(stream);
                rows.Header();
                await foreach (var batch in parcels.WithCancellation(cancellationToken))
                {
                    foreach (var p in batch)
                    {
                        WriteRow(rows, layerId, p);
                        (count, total) = (count + 1, total + p.AreaM2);
                        await rows.FlushIfFullAsync(cancellationToken);
                    }
                }

                await rows.FinishAsync(cancellationToken);
            }
            catch
            {
                // Left unfinished, the stream would end the COPY as it stands when disposed.
                await stream.CancelAsync();
                throw;
            }
        }

        await ExecuteAsync(npgsql, transaction, $"ALTER TABLE parcels ATTACH PARTITION {partition} FOR VALUES IN ({layerId})", cancellationToken);
        await ExecuteAsync(npgsql, transaction, $"ALTER TABLE {partition} DROP CONSTRAINT {partition}_bound", cancellationToken);
        return (count, total);
    }

    /// <summary>Drops the layers' partitions: quicker than deleting their rows, and it leaves nothing to vacuum.</summary>
    protected override async Task RemoveParcelsAsync(IReadOnlyList<int> layerIds, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        var transaction = Db.Database.CurrentTransaction!.GetDbTransaction();
        foreach (var id in layerIds)
        {
            await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {PartitionName(id)}", cancellationToken);
        }
    }

    private static string PartitionName(int layerId) => string.Create(CultureInfo.InvariantCulture, $"parcels_{layerId}");

    private static async Task ExecuteAsync(NpgsqlConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        // Attaching builds the partition's indexes, which takes as long as the layer is large: no time limit.
        await using var command = new NpgsqlCommand(sql, connection, (NpgsqlTransaction)transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void WriteRow(BinaryCopyRows rows, int layerId, Parcel p)
    {
        rows.StartRow(8);
        rows.Int32(layerId);
        rows.Text(p.LandClass);
        rows.Bool(p.IsPbf);
        rows.Bool(p.IsHighStandard);
        rows.Text(p.LocationCode);
        rows.Float8(p.AreaM2);
        rows.Utf8OrNull(p.AttributesJsonUtf8());
        rows.Geometry(p.Geometry);
    }

    // ST_AsMVTGeom clips to the tile (64-unit buffer) and snaps to the 4096 grid: PostGIS's own tiling. The
    // candidates are the parcels whose box meets the tile's longitude/latitude box rounded outward to floats
    // (TileAddress.CandidateBox, the embedded store's test too): ST_Transform(ST_TileEnvelope(…), 4490) lands a last
    // bit inside the edge, which made the two stores differ about parcels lying just beyond it.
    public override Task<byte[]> ReadTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default) =>
        ReadTileAsync(tile, layerId, """
            WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS tile),
            rows AS (
              SELECT p.id, p.dlbm, p.pbf::int AS pbf, p.hsf::int AS hsf,
                     ST_AsMVTGeom(ST_Transform(p.geom, 3857), bounds.tile, 4096, 64, true) AS geom
              FROM parcels p, bounds
              WHERE p.layer_id = @layer AND p.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4490))
            SELECT ST_AsMVT(rows.*, 'parcels', 4096, 'geom', 'id') FROM rows WHERE geom IS NOT NULL
            """, cancellationToken);

    public override Task<byte[]> ReadOverviewTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default) =>
        ReadTileAsync(tile, layerId, """
            WITH bounds AS (SELECT ST_TileEnvelope(@z, @x, @y) AS tile),
            rows AS (
              SELECT o.dlbm, 1 AS generalised,
                     ST_AsMVTGeom(ST_Transform(o.geom, 3857), bounds.tile, 4096, 64, true) AS geom
              FROM parcel_overviews o, bounds
              WHERE o.layer_id = @layer AND o.level = @z AND o.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4490))
            SELECT ST_AsMVT(rows.*, 'parcels', 4096, 'geom') FROM rows WHERE geom IS NOT NULL
            """, cancellationToken);

    private async Task<byte[]> ReadTileAsync(TileAddress tile, int layerId, string sql, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        await Db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("z", tile.Z);
            command.Parameters.AddWithValue("x", tile.X);
            command.Parameters.AddWithValue("y", tile.Y);
            command.Parameters.AddWithValue("layer", layerId);
            var box = tile.CandidateBox();
            command.Parameters.AddWithValue("minx", box.MinX);
            command.Parameters.AddWithValue("miny", box.MinY);
            command.Parameters.AddWithValue("maxx", box.MaxX);
            command.Parameters.AddWithValue("maxy", box.MaxY);
            return await command.ExecuteScalarAsync(cancellationToken) as byte[] ?? [];
        }
        finally
        {
            await Db.Database.CloseConnectionAsync();
        }
    }

    protected override async Task<(IReadOnlyList<Geometry> Geometries, IReadOnlyList<string> Classes)> ReadCellAsync(
        DbConnection connection, DbTransaction transaction, int layerId, Envelope cell, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT p.dlbm, ST_AsBinary(p.geom) FROM parcels p
            WHERE p.layer_id = @layer AND p.geom && ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4490)
            ORDER BY p.id
            """, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("layer", layerId);
        command.Parameters.AddWithValue("minx", cell.MinX);
        command.Parameters.AddWithValue("maxx", cell.MaxX);
        command.Parameters.AddWithValue("miny", cell.MinY);
        command.Parameters.AddWithValue("maxy", cell.MaxY);
        var (geometries, classes) = (new List<Geometry>(), new List<string>());
        // As WKB into flat coordinate arrays: a whole layer is read back, and an object per vertex raised a
        // million-parcel import's peak from 436 to 531 MB.
        var wkb = new NetTopologySuite.IO.WKBReader(PackedServices);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            classes.Add(reader.GetString(0));
            geometries.Add(wkb.Read(reader.GetFieldValue<byte[]>(1)));
        }

        return (geometries, classes);
    }

    protected override async Task WriteOverviewsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ParcelOverview> overviews, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using var writer = await npgsql.BeginBinaryImportAsync(
            "COPY parcel_overviews (layer_id, level, dlbm, geom) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var o in overviews)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(o.LayerId, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(o.Level, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(o.LandClass, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync<Geometry>(o.Geometry, NpgsqlDbType.Geometry, cancellationToken);
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
