using System.Data.Common;
using System.Runtime.CompilerServices;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;

namespace Fuchun.Storage.Layers;

/// <summary>
/// How vector tiles of large layers are made: parcel layers with at least <paramref name="OverviewMinParcels"/>
/// parcels get pre-built overviews for the low zooms (<see cref="LayerOverviews"/>).
/// </summary>
public sealed record TileOptions(int OverviewMinParcels = LayerOverviews.DefaultMinParcels)
{
    /// <summary>
    /// The options a host's <c>Fuchun:Tiles:OverviewMinParcels</c> setting (env <c>Fuchun__Tiles__OverviewMinParcels</c>)
    /// gives; the defaults when it is not set.
    /// </summary>
    public static TileOptions FromSetting(string? overviewMinParcels) =>
        int.TryParse(overviewMinParcels, System.Globalization.CultureInfo.InvariantCulture, out var n) ? new(n) : new();
}

/// <summary>What both layer stores share: the layer row, the old layer's removal, the overviews, the transaction.</summary>
public abstract class LayerStoreBase(FuchunDbContext db, TimeProvider clock, TileOptions tiles) : ILayerStore
{
    protected FuchunDbContext Db => db;

    public Task<Layer> ReplaceLayerAsync(
        int projectId, LayerKind kind, string name,
        IReadOnlyCollection<Parcel> parcels, IReadOnlyCollection<ReferenceFeature> features,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        ArgumentNullException.ThrowIfNull(features);
        if (kind.HoldsParcels() ? features.Count > 0 : parcels.Count > 0)
        {
            throw new ArgumentException($"layer {kind.PackageName()} takes {(kind.HoldsParcels() ? "parcels" : "reference features")} only");
        }

        return ReplaceAsync(projectId, kind, name, OneBatch(parcels), parcels.Count, features, cancellationToken);
    }

    public Task<Layer> ReplaceParcelLayerAsync(
        int projectId, LayerKind kind, string name, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels,
        long? expectedCount = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        if (!kind.HoldsParcels())
        {
            throw new ArgumentException($"layer {kind.PackageName()} takes reference features only");
        }

        return ReplaceAsync(projectId, kind, name, parcels, expectedCount, [], cancellationToken);
    }

    private static async IAsyncEnumerable<IReadOnlyList<Parcel>> OneBatch(IReadOnlyCollection<Parcel> parcels)
    {
        await Task.CompletedTask;
        yield return parcels as IReadOnlyList<Parcel> ?? [.. parcels];
    }

    private async Task<Layer> ReplaceAsync(
        int projectId, LayerKind kind, string name,
        IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, long? expectedCount, IReadOnlyCollection<ReferenceFeature> features,
        CancellationToken cancellationToken)
    {
        await using var bulk = db.Database.CurrentTransaction is null ? await BeginLayerWriteAsync(cancellationToken) : null;
        return await db.InTransactionAsync(async () =>
        {
            // The old layer goes at the end, so that whatever removing it locks is held for a moment, not for the
            // whole import (dropping a PostGIS partition locks the parcels table against readers).
            var old = await LayerIdsAsync(projectId, kind, cancellationToken);
            var layer = new Layer(projectId, kind, name, clock.GetUtcNow());
            db.Layers.Add(layer);
            await db.SaveChangesAsync(cancellationToken);

            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            if (kind.HoldsParcels())
            {
                var extent = new Envelope();
                var (count, area) = await WriteParcelsAsync(connection, transaction, layer.Id, Measured(parcels, extent, cancellationToken), expectedCount, cancellationToken);
                layer.SetTotals(count, area);
                if (count > 0 && count >= tiles.OverviewMinParcels)
                {
                    await BuildOverviewsAsync(connection, transaction, layer.Id, extent, cancellationToken);
                    layer.MarkOverviewsBuilt();
                }
            }
            else
            {
                await WriteFeaturesAsync(connection, transaction, layer.Id, features, cancellationToken);
                layer.SetTotals(features.Count, features.Sum(p => p.AreaM2));
            }

            await db.SaveChangesAsync(cancellationToken);
            await RemoveLayersAsync(old, cancellationToken);
            return layer;
        }, cancellationToken);
    }

    /// <summary>
    /// Prepares the store for writing a layer in a transaction of its own (one not within a caller's); what it returns
    /// is disposed once that transaction has ended. Nothing by default.
    /// </summary>
    protected virtual Task<IAsyncDisposable?> BeginLayerWriteAsync(CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>Passes the parcels on, widening <paramref name="extent"/> to take them in.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<Parcel>> Measured(
        IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, Envelope extent, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in parcels.WithCancellation(cancellationToken))
        {
            foreach (var p in batch)
            {
                Widen(extent, p);
            }

            yield return batch;
        }
    }

    /// <summary>Widens <paramref name="extent"/> by the parcel's box (worked out once per parcel, see <see cref="Parcel.Bounds"/>).</summary>
    private static void Widen(Envelope extent, Parcel parcel)
    {
        var (minX, maxX, minY, maxY) = parcel.Bounds();
        if (minX <= maxX)
        {
            extent.ExpandToInclude(minX, minY);
            extent.ExpandToInclude(maxX, maxY);
        }
    }

    /// <summary>
    /// Generalises the layer just written, cell by cell (read back from the store, so memory is bounded by a cell),
    /// and writes each level's polygons, within the layer's transaction.
    /// </summary>
    private async Task BuildOverviewsAsync(DbConnection connection, DbTransaction transaction, int layerId, Envelope extent, CancellationToken cancellationToken)
    {
        var first = TileAddress.Containing(extent.MinX, extent.MaxY, LayerOverviews.CellZoom);
        var last = TileAddress.Containing(extent.MaxX, extent.MinY, LayerOverviews.CellZoom);
        var pending = new Queue<Task<List<ParcelOverview>>>();
        for (var x = first.X; x <= last.X; x++)
        {
            for (var y = first.Y; y <= last.Y; y++)
            {
                var cell = new TileAddress(LayerOverviews.CellZoom, x, y).LonLatEnvelope();
                var (candidates, candidateClasses) = await ReadCellAsync(connection, transaction, layerId, cell, cancellationToken);
                // Each parcel belongs to the cell holding the centre of its bounding box, taken from the coordinates
                // (the indexes keep bounds as single floats, rounded differently in each backend).
                var (geometries, classes) = (new List<Geometry>(), new List<string>());
                for (var i = 0; i < candidates.Count; i++)
                {
                    var centre = candidates[i].EnvelopeInternal.Centre;
                    if (centre.X >= cell.MinX && centre.X < cell.MaxX && centre.Y >= cell.MinY && centre.Y < cell.MaxY)
                    {
                        geometries.Add(candidates[i]);
                        classes.Add(candidateClasses[i]);
                    }
                }

                // Generalising is CPU work and the connection is idle meanwhile: the next cell is read (and another
                // generalised) while this one is; reads and writes stay one at a time on the connection.
                pending.Enqueue(Task.Run(() => LayerOverviews.Build(geometries, classes)
                    .SelectMany(l => l.Polygons.Select(p => new ParcelOverview(layerId, l.Level, p.LandClass, AsMultiPolygon(p.Geometry))))
                    .ToList(), cancellationToken));
                while (pending.Count >= Math.Max(2, Environment.ProcessorCount))
                {
                    await WriteOverviewsAsync(connection, transaction, await pending.Dequeue(), cancellationToken);
                }
            }
        }

        while (pending.Count > 0)
        {
            await WriteOverviewsAsync(connection, transaction, await pending.Dequeue(), cancellationToken);
        }
    }

    private static MultiPolygon AsMultiPolygon(Geometry geometry) => geometry switch
    {
        MultiPolygon m => m,
        Polygon p => geometry.Factory.CreateMultiPolygon([p]),
        _ => throw new ArgumentException($"an overview is polygonal, not {geometry.GeometryType}"),
    };

    public Task RemoveLayerAsync(int projectId, LayerKind kind, CancellationToken cancellationToken = default) =>
        db.InTransactionAsync(async () =>
        {
            var old = await LayerIdsAsync(projectId, kind, cancellationToken);
            await RemoveLayersAsync(old, cancellationToken);
            return old.Count;
        }, cancellationToken);

    private Task<List<int>> LayerIdsAsync(int projectId, LayerKind kind, CancellationToken cancellationToken) =>
        db.Layers.Where(l => l.ProjectId == projectId && l.Kind == kind).Select(l => l.Id).ToListAsync(cancellationToken);

    private async Task RemoveLayersAsync(List<int> ids, CancellationToken cancellationToken)
    {
        if (ids.Count > 0)
        {
            await db.ParcelOverviews.Where(p => ids.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);
            await RemoveParcelsAsync(ids, cancellationToken);
            await db.ReferenceFeatures.Where(p => ids.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);
            await db.Layers.Where(l => ids.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>Removes the parcels of these layers (within the caller's transaction).</summary>
    protected virtual Task RemoveParcelsAsync(IReadOnlyList<int> layerIds, CancellationToken cancellationToken) =>
        db.Parcels.Where(p => layerIds.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);

    public abstract Task<byte[]> ReadTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default);

    public abstract Task<byte[]> ReadOverviewTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default);

    /// <summary>The parcels of the layer that may touch <paramref name="cell"/>, with their land classes, in id order.</summary>
    protected abstract Task<(IReadOnlyList<Geometry> Geometries, IReadOnlyList<string> Classes)> ReadCellAsync(
        DbConnection connection, DbTransaction transaction, int layerId, Envelope cell, CancellationToken cancellationToken);

    protected abstract Task WriteOverviewsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ParcelOverview> overviews, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the parcels as they come; returns how many and their total area. <paramref name="expectedCount"/>, when
    /// known, is how many the source says it holds (a store may plan by it).
    /// </summary>
    protected abstract Task<(int Count, double AreaM2)> WriteParcelsAsync(
        DbConnection connection, DbTransaction transaction, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, long? expectedCount, CancellationToken cancellationToken);

    protected abstract Task WriteFeaturesAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<ReferenceFeature> features, CancellationToken cancellationToken);
}
