using Fuchun.Domain.Layers;

namespace Fuchun.Storage.Layers;

/// <summary>
/// Writes a project's layers in bulk: the one place where the two backends really differ (prepared inserts
/// into the GeoPackage with its R-tree, binary COPY into PostGIS). A layer is written whole or not at all.
/// </summary>
public interface ILayerStore
{
    /// <summary>
    /// Replaces the project's layer of <paramref name="kind"/> with these features, in one transaction.
    /// Parcel layers take <paramref name="parcels"/>, reference layers <paramref name="features"/>.
    /// </summary>
    Task<Layer> ReplaceLayerAsync(
        int projectId, LayerKind kind, string name,
        IReadOnlyCollection<Parcel> parcels, IReadOnlyCollection<ReferenceFeature> features,
        CancellationToken cancellationToken = default);
}
