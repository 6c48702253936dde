using System.Data.Common;
using System.Globalization;
using Fuchun.Domain.Layers;
using Fuchun.Spatial;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Tiles;
using Fuchun.Storage.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;
using Npgsql;

namespace Fuchun.Storage.Layers;

/// <summary>Writes layers into PostGIS with binary COPY, the fastest path PostgreSQL offers.</summary>
public sealed class PostgresLayerStore(FuchunDbContext db, TimeProvider clock, TileOptions tiles) : LayerStoreBase(db, clock, tiles)
{
    private static readonly NetTopologySuite.NtsGeometryServices PackedServices = new(
        NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory, new PrecisionModel(), Fuchun.Spatial.Cgcs2000.Srid);

    /// <summary>Rows per chunk of a layer (<see cref="ParcelStaging"/>); tests make it small.</summary>
    internal int ChunkRows { get; init; } = ParcelStaging.DefaultChunkRows;

    /// <summary>A quarter of the server's shared buffers, as the chunks are sized for it (<see cref="ParcelStaging.SizeChunksAsync"/>); read from the server when null. Tests set it.</summary>
    internal long? RingBytes { get; init; }

    /// <summary>
    /// Writes the layer in chunks of its own tables with no index, each chunk's key and GiST index built (once,
    /// sorted) as soon as its rows are in, while the next is being copied (<see cref="ParcelStaging"/>), then
    /// attaches them in the layer's transaction as the layer's partition of <c>parcels</c> — one chunk as that
    /// partition itself, several as the partitions of a layer partition split by id.
    /// </summary>
    protected override async Task<(int Count, double AreaM2)> WriteParcelsAsync(
        DbConnection connection, DbTransaction transaction, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, long? expectedCount, CancellationToken cancellationToken)
    {
        var (npgsql, layerTransaction) = ((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        // The layers earlier writes replaced are dropped meanwhile, on a session of their own (RetiredParcels).
        var sweep = DropRetiredAsync(npgsql, cancellationToken);
        try
        {
            return await WriteChunkedAsync(npgsql, layerTransaction, layerId, parcels, expectedCount, cancellationToken);
        }
        finally
        {
            await sweep;
        }
    }

    private async Task<(int Count, double AreaM2)> WriteChunkedAsync(
        NpgsqlConnection npgsql, NpgsqlTransaction layerTransaction, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, long? expectedCount, CancellationToken cancellationToken)
    {
        var (count, total) = (0, 0.0);
        await using var staging = new ParcelStaging(npgsql, layerTransaction, layerId, ChunkRows, expectedCount) { RingBytes = RingBytes };
        ParcelStaging.ChunkWriter? writer = null;
        try
        {
            await foreach (var batch in parcels.WithCancellation(cancellationToken))
            {
                if (staging.ChunksToSize && batch.Count > 0)
                {
                    await staging.SizeChunksAsync(await CopyBytesPerRowAsync(batch, layerId, cancellationToken), cancellationToken);
                }

                foreach (var p in batch)
                {
                    if (writer is not null && writer.Count >= writer.Capacity)
                    {
                        await staging.FinishChunkAsync(writer, more: true, cancellationToken);
                        writer = null;
                    }

                    writer ??= await staging.StartChunkAsync(cancellationToken);
                    WriteRow(writer.Rows, writer.Chunk.FirstId + writer.Count, layerId, p);
                    writer.Count++;
                    (count, total) = (count + 1, total + p.AreaM2);
                    await writer.Rows.FlushIfFullAsync(cancellationToken);
                }
            }

            if (writer is not null)
            {
                await staging.FinishChunkAsync(writer, more: false, cancellationToken);
                writer = null;
            }

            await staging.CompleteAsync();
        }
        catch
        {
            await staging.DiscardAsync(writer);
            throw;
        }

        await AttachAsync(npgsql, layerTransaction, layerId, staging.Chunks, cancellationToken);
        return (count, total);
    }

    /// <summary>
    /// Drops the retired tables on a session beside <paramref name="layerConnection"/>'s. A failure is the sweep's
    /// alone: the layer being written does not depend on it, and the next write sweeps again.
    /// </summary>
    private static async Task DropRetiredAsync(NpgsqlConnection layerConnection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await using var session = (NpgsqlConnection)((ICloneable)layerConnection).Clone();   // the same data source: its pool, its credentials
            await session.OpenAsync(cancellationToken);
            await RetiredParcels.DropAsync(session, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            // Left for the next write; a cancelled import reports its cancellation itself.
        }
    }

    /// <summary>
    /// Makes the chunks the layer's partition. Their CHECKs prove the bounds and their indexes match the parent's,
    /// so attaching scans nothing but the rows' layer ids for the foreign key; the CHECKs go once the bounds hold.
    /// </summary>
    private static async Task AttachAsync(NpgsqlConnection connection, DbTransaction transaction, int layerId, IReadOnlyList<ParcelStaging.Chunk> chunks, CancellationToken cancellationToken)
    {
        var partition = PartitionName(layerId);
        string Sql(FormattableString sql) => sql.ToString(CultureInfo.InvariantCulture);
        if (chunks.Count == 0)
        {
            await ExecuteAsync(connection, transaction, Sql($"CREATE TABLE {partition} PARTITION OF parcels FOR VALUES IN ({layerId}) WITH (parallel_workers = 0)"), cancellationToken);
            return;
        }

        if (chunks.Count == 1)
        {
            var only = chunks[0];
            await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE {only.Table} RENAME TO {partition}"), cancellationToken);
            await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE parcels ATTACH PARTITION {partition} FOR VALUES IN ({layerId})"), cancellationToken);
            await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE {partition} DROP CONSTRAINT {only.Table}_bound"), cancellationToken);
            return;
        }

        // The layer's partition is made whole on its own and attached last: creating it as a partition of parcels
        // would lock parcels against every reader until the commit, attaching takes a lock readers pass.
        await ExecuteAsync(connection, transaction, Sql($"CREATE TABLE {partition} (LIKE parcels INCLUDING DEFAULTS) PARTITION BY RANGE (id)"), cancellationToken);
        await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE {partition} ADD CONSTRAINT {partition}_pkey PRIMARY KEY (id, layer_id)"), cancellationToken);
        await ExecuteAsync(connection, transaction, Sql($"CREATE INDEX {partition}_geom ON {partition} USING gist (geom)"), cancellationToken);
        foreach (var chunk in chunks)
        {
            await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE {partition} ATTACH PARTITION {chunk.Table} FOR VALUES FROM ({chunk.FirstId}) TO ({chunk.EndId})"), cancellationToken);
        }

        await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE parcels ATTACH PARTITION {partition} FOR VALUES IN ({layerId})"), cancellationToken);
        foreach (var chunk in chunks)
        {
            await ExecuteAsync(connection, transaction, Sql($"ALTER TABLE {chunk.Table} DROP CONSTRAINT {chunk.Table}_bound"), cancellationToken);
        }
    }

    /// <summary>
    /// Retires the layers' partitions, to be dropped by the next parcel layer written (<see cref="RetiredParcels"/>):
    /// quicker than deleting their rows, it leaves nothing to vacuum, and the commit does not wait for their files.
    /// </summary>
    protected override async Task RemoveParcelsAsync(IReadOnlyList<int> layerIds, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)Db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)Db.Database.CurrentTransaction!.GetDbTransaction();
        foreach (var id in layerIds)
        {
            await RetiredParcels.RetireAsync(connection, transaction, PartitionName(id), cancellationToken);
        }
    }

    private static string PartitionName(int layerId) => string.Create(CultureInfo.InvariantCulture, $"parcels_{layerId}");

    private static Task ExecuteAsync(NpgsqlConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken) =>
        Statements.ExecuteAsync(connection, (NpgsqlTransaction)transaction, sql, cancellationToken);

    /// <summary>What a row of <paramref name="sample"/> takes in the COPY, on average: the rows written to nowhere and counted.</summary>
    private static async Task<double> CopyBytesPerRowAsync(IReadOnlyList<Parcel> sample, int layerId, CancellationToken cancellationToken)
    {
        var rows = new BinaryCopyRows(Stream.Null);
        foreach (var p in sample)
        {
            WriteRow(rows, 0, layerId, p);
            await rows.FlushIfFullAsync(cancellationToken);
        }

        return (double)rows.Written / sample.Count;
    }

    private static void WriteRow(BinaryCopyRows rows, long id, int layerId, Parcel p)
    {
        rows.StartRow(9);
        rows.Int64(id);
        rows.Int32(layerId);
        rows.Text(p.LandClass);
        rows.Bool(p.IsPbf);
        rows.Bool(p.IsHighStandard);
        rows.Text(p.LocationCode);
        rows.Float8(p.AreaM2);
        rows.Utf8OrNull(p.AttributesJsonUtf8());
        if (p.Shell is { } shell)
        {
            rows.Shell(shell, Cgcs2000.Srid);
        }
        else
        {
            rows.Geometry(p.Geometry);
        }
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
            // A tile reads a few hundred rows by index; a large layer's partition is split in chunks, and over them
            // PostgreSQL would start parallel workers (a Parallel Append) that cost more than the tile (leaves cannot
            // be told no on a partitioned table's behalf): none for the tile's query, set and reset in its round trip.
            await using var command = new NpgsqlCommand(
                $"SET max_parallel_workers_per_gather = 0; {sql}; RESET max_parallel_workers_per_gather", connection);
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
        // million-parcel import's peak from 436 to 531 MB. The WKB PostGIS sends is read straight from the bytes.
        var wkb = new NetTopologySuite.IO.WKBReader(PackedServices);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            classes.Add(reader.GetString(0));
            var bytes = reader.GetFieldValue<byte[]>(1);
            geometries.Add(PolygonEwkb.TryRead(bytes, Cgcs2000.PackedFactory, out var flat) ? flat : wkb.Read(bytes));
        }

        return (geometries, classes);
    }

    protected override Task WriteOverviewsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ParcelOverview> overviews, CancellationToken cancellationToken) =>
        Statements.CopyAsync((NpgsqlConnection)connection, "COPY parcel_overviews (layer_id, level, dlbm, geom) FROM STDIN (FORMAT BINARY)", overviews, (rows, o) =>
        {
            rows.StartRow(4);
            rows.Int32(o.LayerId);
            rows.Int32(o.Level);
            rows.Text(o.LandClass);
            rows.Geometry(o.Geometry);
        }, cancellationToken);

    protected override Task WriteFeaturesAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<ReferenceFeature> features, CancellationToken cancellationToken) =>
        Statements.CopyAsync((NpgsqlConnection)connection, "COPY reference_features (layer_id, kind, name, area_m2, attributes_json, geom) FROM STDIN (FORMAT BINARY)", features, (rows, f) =>
        {
            rows.StartRow(6);
            rows.Int32(layerId);
            rows.Text(f.Kind);
            rows.Text(f.Name);
            rows.Float8(f.AreaM2);
            rows.Text(f.AttributesJson);
            rows.Geometry(f.Geometry);
        }, cancellationToken);
}
