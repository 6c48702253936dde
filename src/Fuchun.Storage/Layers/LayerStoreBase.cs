using System.Data.Common;
using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fuchun.Storage.Layers;

/// <summary>What both layer stores share: the layer row, the old layer's removal, the transaction.</summary>
public abstract class LayerStoreBase(FuchunDbContext db, TimeProvider clock) : ILayerStore
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

        return ReplaceAsync(projectId, kind, name, OneBatch(parcels), features, cancellationToken);
    }

    public Task<Layer> ReplaceParcelLayerAsync(
        int projectId, LayerKind kind, string name, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        if (!kind.HoldsParcels())
        {
            throw new ArgumentException($"layer {kind.PackageName()} takes reference features only");
        }

        return ReplaceAsync(projectId, kind, name, parcels, [], cancellationToken);
    }

    private static async IAsyncEnumerable<IReadOnlyList<Parcel>> OneBatch(IReadOnlyCollection<Parcel> parcels)
    {
        await Task.CompletedTask;
        yield return parcels as IReadOnlyList<Parcel> ?? [.. parcels];
    }

    private Task<Layer> ReplaceAsync(
        int projectId, LayerKind kind, string name,
        IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, IReadOnlyCollection<ReferenceFeature> features,
        CancellationToken cancellationToken)
    {
        return db.InTransactionAsync(async () =>
        {
            await RemoveLayerAsync(projectId, kind, cancellationToken);
            var layer = new Layer(projectId, kind, name, clock.GetUtcNow());
            db.Layers.Add(layer);
            await db.SaveChangesAsync(cancellationToken);

            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            if (kind.HoldsParcels())
            {
                var (count, area) = await WriteParcelsAsync(connection, transaction, layer.Id, parcels, cancellationToken);
                layer.SetTotals(count, area);
            }
            else
            {
                await WriteFeaturesAsync(connection, transaction, layer.Id, features, cancellationToken);
                layer.SetTotals(features.Count, features.Sum(p => p.AreaM2));
            }

            await db.SaveChangesAsync(cancellationToken);
            return layer;
        }, cancellationToken);
    }

    public Task RemoveLayerAsync(int projectId, LayerKind kind, CancellationToken cancellationToken = default) =>
        db.InTransactionAsync(async () =>
        {
            var old = await db.Layers.Where(l => l.ProjectId == projectId && l.Kind == kind).Select(l => l.Id).ToListAsync(cancellationToken);
            if (old.Count > 0)
            {
                await db.Parcels.Where(p => old.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);
                await db.ReferenceFeatures.Where(p => old.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);
                await db.Layers.Where(l => old.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
            }

            return old.Count;
        }, cancellationToken);

    public abstract Task<byte[]> ReadTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default);

    /// <summary>Writes the parcels as they come; returns how many and their total area.</summary>
    protected abstract Task<(int Count, double AreaM2)> WriteParcelsAsync(DbConnection connection, DbTransaction transaction, int layerId, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels, CancellationToken cancellationToken);

    protected abstract Task WriteFeaturesAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<ReferenceFeature> features, CancellationToken cancellationToken);
}
