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

        return db.InTransactionAsync(async () =>
        {
            var old = await db.Layers.Where(l => l.ProjectId == projectId && l.Kind == kind).Select(l => l.Id).ToListAsync(cancellationToken);
            if (old.Count > 0)
            {
                await db.Parcels.Where(p => old.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);
                await db.ReferenceFeatures.Where(p => old.Contains(p.LayerId)).ExecuteDeleteAsync(cancellationToken);
                await db.Layers.Where(l => old.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
            }

            var layer = new Layer(projectId, kind, name, clock.GetUtcNow());
            db.Layers.Add(layer);
            await db.SaveChangesAsync(cancellationToken);

            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            if (kind.HoldsParcels())
            {
                await WriteParcelsAsync(connection, transaction, layer.Id, parcels, cancellationToken);
                layer.SetTotals(parcels.Count, parcels.Sum(p => p.AreaM2));
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

    public abstract Task<byte[]> ReadTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default);

    protected abstract Task WriteParcelsAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<Parcel> parcels, CancellationToken cancellationToken);

    protected abstract Task WriteFeaturesAsync(DbConnection connection, DbTransaction transaction, int layerId, IReadOnlyCollection<ReferenceFeature> features, CancellationToken cancellationToken);
}
