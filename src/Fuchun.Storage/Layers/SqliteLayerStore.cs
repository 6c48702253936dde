using System.Buffers;
using System.Data.Common;
using Fuchun.Domain.Layers;
using Fuchun.Spatial;
using Fuchun.Spatial.IO;
using Fuchun.Spatial.Tiles;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using SQLitePCL;

namespace Fuchun.Storage.Layers;

/// <summary>Writes layers into the embedded GeoPackage with one prepared statement reused for every row.</summary>
public sealed class SqliteLayerStore(FuchunDbContext db, TimeProvider clock, TileOptions tiles, DatabaseSettings settings) : LayerStoreBase(db, clock, tiles)
{
    /// <summary>
    /// With <see cref="DatabaseSettings.ExclusiveLayerWrites"/>, takes the file out of WAL mode for the layer's
    /// transaction and puts it back afterwards. SQLite changes the mode only when no other connection has the file
    /// open; where one has, the mode stays WAL and the write goes on as it would have.
    /// </summary>
    /// <remarks>
    /// In WAL mode a million-parcel layer (700 MB) is written to the WAL and copied into the file by the checkpoint at
    /// commit; with the rollback journal its new pages go into the file once (the journal keeps only the pages the
    /// transaction changes that held data before). On the 1M mosaic (fuchun import, disk): 15.4 s -> 12.4 s without
    /// overviews (system time 4.6 -> 1.6 s), 30.7 s -> 28.1 s with them.
    /// </remarks>
    protected override async Task<IAsyncDisposable?> BeginLayerWriteAsync(CancellationToken cancellationToken)
    {
        if (!settings.ExclusiveLayerWrites)
        {
            return null;
        }

        // The pool's idle connections count as open ones: let them go (this one is dropped too when closed).
        await Db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)Db.Database.GetDbConnection();
        SqliteConnection.ClearPool(connection);
        if (JournalMode(connection, "DELETE") == "delete")
        {
            return new WalRestorer(Db, connection);
        }

        await Db.Database.CloseConnectionAsync();
        return null;
    }

    /// <summary>
    /// Asks for a journal mode once and gives the mode the file is in: where another connection holds the file,
    /// SQLite either keeps the mode or reports it busy (without waiting for it, unlike a command).
    /// </summary>
    private static string? JournalMode(SqliteConnection connection, string mode)
    {
        var db = connection.Handle!;
        using var statement = Prepare(db, $"PRAGMA journal_mode={mode}");
        var rc = raw.sqlite3_step(statement);
        return rc == raw.SQLITE_ROW ? raw.sqlite3_column_text(statement, 0).utf8_to_string() : null;
    }

    /// <summary>
    /// Puts the file back in WAL mode. Should another connection have opened it meanwhile and SQLite refuse, the file
    /// stays in rollback mode, as safe, until a host opening it puts it back (<see cref="StorageServices.MigrateAsync"/>).
    /// </summary>
    private sealed class WalRestorer(FuchunDbContext db, SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                JournalMode(connection, "WAL");
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    protected override async Task<(int Count, double AreaM2)> WriteParcelsAsync(
        DbConnection connection, DbTransaction transaction, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, long? expectedCount, CancellationToken cancellationToken)
    {
        // The GeoPackage's R-tree trigger calls back into .NET five times per row, each call copying the geometry
        // blob: for a layer's rows the trigger is set aside within the transaction and each row's bounds (the ones
        // the trigger would read from the blob header) go into the R-tree by a prepared statement; the trigger's
        // own SQL is put back before the transaction ends (and a rollback restores it too).
        const string trigger = "rtree_parcels_geom_insert";
        var triggerSql = await ScalarAsync(connection, transaction, $"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '{trigger}'", cancellationToken) as string;
        if (triggerSql is not null)
        {
            await ScalarAsync(connection, transaction, $"DROP TRIGGER {trigger}", cancellationToken);
        }

        var written = await InsertParcelsAsync(connection, layerId, parcels, indexed: triggerSql is not null, cancellationToken);
        if (triggerSql is not null)
        {
            await ScalarAsync(connection, transaction, triggerSql, cancellationToken);
        }

        return written;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <remarks>
    /// The rows go through SQLite's own prepared statements (SQLitePCLRaw, on which Microsoft.Data.Sqlite is built)
    /// rather than a <see cref="SqliteCommand"/>: the import has the attributes' JSON as UTF-8 already and the
    /// geometry written flat into one reused buffer, and binds both as they are, where the command took a string
    /// (decoded from the UTF-8 only to be encoded again) and an array per row, and looked up each parameter's
    /// index by name on every execution.
    /// </remarks>
    private static async Task<(int Count, double AreaM2)> InsertParcelsAsync(DbConnection connection, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, bool indexed, CancellationToken cancellationToken)
    {
        // The statements run on the connection's handle, within the transaction open on it.
        var db = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("the connection is not open");
        using var insert = Prepare(db, "INSERT INTO parcels (layer_id, dlbm, pbf, hsf, zldwdm, area_m2, attributes_json, geom) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        using var rtree = Prepare(db, "INSERT OR REPLACE INTO rtree_parcels_geom VALUES (last_insert_rowid(), ?1, ?2, ?3, ?4)");
        Check(db, raw.sqlite3_bind_int64(insert, 1, layerId));
        var blob = new ArrayBufferWriter<byte>(64 * 1024);
        var (count, total) = (0, 0.0);
        await foreach (var batch in parcels.WithCancellation(cancellationToken))
        {
            foreach (var p in batch)
            {
                Check(db, raw.sqlite3_bind_text(insert, 2, p.LandClass));
                Check(db, raw.sqlite3_bind_int(insert, 3, p.IsPbf ? 1 : 0));
                Check(db, raw.sqlite3_bind_int(insert, 4, p.IsHighStandard ? 1 : 0));
                Check(db, p.LocationCode is { } location ? raw.sqlite3_bind_text(insert, 5, location) : raw.sqlite3_bind_null(insert, 5));
                Check(db, raw.sqlite3_bind_double(insert, 6, p.AreaM2));
                var attributes = p.AttributesJsonUtf8();
                Check(db, !attributes.IsEmpty ? raw.sqlite3_bind_text(insert, 7, attributes)
                    : p.AttributesJson is null ? raw.sqlite3_bind_null(insert, 7) : raw.sqlite3_bind_text(insert, 7, ""));
                blob.ResetWrittenCount();
                var (minX, maxX, minY, maxY) = p.Bounds();
                if (p.Shell is { } shell)
                {
                    GeoPackageBlob.WriteShell(shell, Cgcs2000.Srid, (minX, maxX, minY, maxY), blob);
                }
                else if (PolygonEwkb.CanWrite(p.Geometry))
                {
                    GeoPackageBlob.WritePolygons(p.Geometry, (minX, maxX, minY, maxY), blob);
                }
                else
                {
                    blob.Write(GeoPackageBlob.Write(p.Geometry));
                }

                Check(db, raw.sqlite3_bind_blob(insert, 8, blob.WrittenSpan));
                Step(db, insert);
                if (indexed && minX <= maxX)
                {
                    Check(db, raw.sqlite3_bind_double(rtree, 1, minX));
                    Check(db, raw.sqlite3_bind_double(rtree, 2, maxX));
                    Check(db, raw.sqlite3_bind_double(rtree, 3, minY));
                    Check(db, raw.sqlite3_bind_double(rtree, 4, maxY));
                    Step(db, rtree);
                }

                (count, total) = (count + 1, total + p.AreaM2);
            }
        }

        return (count, total);
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    /// <summary>Runs the statement (an insert: no rows) and makes it ready for the next row's values.</summary>
    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        if (rc != raw.SQLITE_DONE)
        {
            try
            {
                // Before the reset, which would clear the message.
                SqliteException.ThrowExceptionForRC(rc, db);
            }
            finally
            {
                raw.sqlite3_reset(statement);
            }
        }

        raw.sqlite3_reset(statement);
    }

    private static void Check(sqlite3 db, int rc) => SqliteException.ThrowExceptionForRC(rc, db);

    public override Task<byte[]> ReadTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default) =>
        // CROSS JOIN makes SQLite drive the query from the R-tree: left to itself it walks the layer's rows (a
        // million) and probes the tree.
        ReadTileAsync(tile, """
            SELECT p.id, p.dlbm, p.pbf, p.hsf, p.geom FROM rtree_parcels_geom r CROSS JOIN parcels p ON p.id = r.id
            WHERE r.maxx >= $minx AND r.minx <= $maxx AND r.maxy >= $miny AND r.miny <= $maxy AND p.layer_id = $layer
            ORDER BY p.id
            """, parameters => parameters.AddWithValue("$layer", layerId), reader => new AttributesTable
            {
                { "id", reader.GetInt64(0) },
                { "dlbm", reader.GetString(1) },
                { "pbf", reader.GetInt64(2) },
                { "hsf", reader.GetInt64(3) },
            }, snapToGrid: false, cancellationToken);

    public override Task<byte[]> ReadOverviewTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default) =>
        ReadTileAsync(tile, """
            SELECT o.id, o.dlbm, 0, 0, o.geom FROM rtree_parcel_overviews_geom r CROSS JOIN parcel_overviews o ON o.id = r.id
            WHERE r.maxx >= $minx AND r.minx <= $maxx AND r.maxy >= $miny AND r.miny <= $maxy AND o.layer_id = $layer AND o.level = $level
            ORDER BY o.id
            """, parameters =>
            {
                parameters.AddWithValue("$layer", layerId);
                parameters.AddWithValue("$level", tile.Z);
            }, reader => new AttributesTable { { "dlbm", reader.GetString(1) }, { "generalised", 1 } }, snapToGrid: true, cancellationToken);

    /// <summary>
    /// A tile from a query over an R-tree (<c>$minx</c> … <c>$maxy</c> are the tile's bounds; the fifth column is the
    /// geometry): the GeoPackage R-tree finds the candidates, the builder clips them to the tile.
    /// </summary>
    private async Task<byte[]> ReadTileAsync(
        TileAddress tile, string sql, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, IAttributesTable> attributes,
        bool snapToGrid, CancellationToken cancellationToken)
    {
        var builder = new MvtTileBuilder(tile, "parcels", snapToGrid);
        // The R-tree's own rounding is not PostGIS's: it is asked for the rounded box, the builder then tests each box.
        var env = tile.CandidateBox();
        var connection = (SqliteConnection)Db.Database.GetDbConnection();
        await Db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$minx", env.MinX);
            command.Parameters.AddWithValue("$maxx", env.MaxX);
            command.Parameters.AddWithValue("$miny", env.MinY);
            command.Parameters.AddWithValue("$maxy", env.MaxY);
            bind(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                builder.Add(GeoPackageBlob.ReadMultiPolygon((byte[])reader.GetValue(4)), attributes(reader));
            }
        }
        finally
        {
            await Db.Database.CloseConnectionAsync();
        }

        return builder.ToBytes();
    }

    protected override async Task<(IReadOnlyList<Geometry> Geometries, IReadOnlyList<string> Classes)> ReadCellAsync(
        DbConnection connection, DbTransaction transaction, int layerId, Envelope cell, CancellationToken cancellationToken)
    {
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = """
            SELECT p.dlbm, p.geom FROM rtree_parcels_geom r CROSS JOIN parcels p ON p.id = r.id
            WHERE r.maxx >= $minx AND r.minx <= $maxx AND r.maxy >= $miny AND r.miny <= $maxy AND p.layer_id = $layer
            ORDER BY p.id
            """;
        command.Parameters.AddWithValue("$minx", cell.MinX);
        command.Parameters.AddWithValue("$maxx", cell.MaxX);
        command.Parameters.AddWithValue("$miny", cell.MinY);
        command.Parameters.AddWithValue("$maxy", cell.MaxY);
        command.Parameters.AddWithValue("$layer", layerId);
        var (geometries, classes) = (new List<Geometry>(), new List<string>());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            classes.Add(reader.GetString(0));
            geometries.Add(GeoPackageBlob.ReadFlatMultiPolygon((byte[])reader.GetValue(1)));
        }

        return (geometries, classes);
    }

    protected override async Task WriteOverviewsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ParcelOverview> overviews, CancellationToken cancellationToken)
    {
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = "INSERT INTO parcel_overviews (layer_id, level, dlbm, geom) VALUES ($layer, $level, $dlbm, $geom)";
        var layer = command.Parameters.Add("$layer", SqliteType.Integer);
        var level = command.Parameters.Add("$level", SqliteType.Integer);
        var dlbm = command.Parameters.Add("$dlbm", SqliteType.Text);
        var geom = command.Parameters.Add("$geom", SqliteType.Blob);
        command.Prepare();
        foreach (var o in overviews)
        {
            (layer.Value, level.Value, dlbm.Value, geom.Value) = (o.LayerId, o.Level, o.LandClass, GeoPackageBlob.Write(o.Geometry));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override async Task WriteFeaturesAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<ReferenceFeature> features, CancellationToken cancellationToken)
    {
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = "INSERT INTO reference_features (layer_id, kind, name, area_m2, attributes_json, geom) VALUES ($layer, $kind, $name, $area, $attributes, $geom)";
        var layer = command.Parameters.Add("$layer", SqliteType.Integer);
        var kind = command.Parameters.Add("$kind", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var area = command.Parameters.Add("$area", SqliteType.Real);
        var attributes = command.Parameters.Add("$attributes", SqliteType.Text);
        var geom = command.Parameters.Add("$geom", SqliteType.Blob);
        layer.Value = layerId;
        command.Prepare();
        foreach (var f in features)
        {
            kind.Value = (object?)f.Kind ?? DBNull.Value;
            name.Value = (object?)f.Name ?? DBNull.Value;
            area.Value = f.AreaM2;
            attributes.Value = (object?)f.AttributesJson ?? DBNull.Value;
            geom.Value = GeoPackageBlob.Write(f.Geometry);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
