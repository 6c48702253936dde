using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;

namespace Fuchun.Storage.Layers;

/// <summary>
/// Writes and tiles a project's layers: the one place where the two backends really differ (prepared inserts
/// into the GeoPackage with its R-tree and tiles built in-process; binary COPY into PostGIS and ST_AsMVT).
/// A layer is written whole or not at all.
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

    /// <summary>
    /// Replaces the project's parcel layer of <paramref name="kind"/> with parcels as they stream in, in one
    /// transaction: if the sequence throws (an import found a problem at its end), nothing is kept.
    /// <paramref name="expectedCount"/> is how many parcels the source says it holds, when it says: a hint the store
    /// may plan its writing by, not a promise.
    /// </summary>
    Task<Layer> ReplaceParcelLayerAsync(
        int projectId, LayerKind kind, string name, IAsyncEnumerable<IReadOnlyList<Parcel>> parcels,
        long? expectedCount = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the project's layer of <paramref name="kind"/> with its features, if it has one.</summary>
    Task RemoveLayerAsync(int projectId, LayerKind kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// The parcels of a parcel layer in one tile as a Mapbox Vector Tile (layer <c>parcels</c>; attributes
    /// <c>id</c>, <c>dlbm</c>, <c>pbf</c>, <c>hsf</c>); zero bytes when no parcel falls in the tile.
    /// </summary>
    Task<byte[]> ReadTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default);

    /// <summary>
    /// A low-zoom tile of a layer with overviews (<see cref="Layer.HasOverviews"/>), cut from the overview of the
    /// tile's zoom (layer <c>parcels</c>; attributes <c>dlbm</c> and <c>generalised</c> = 1); zero bytes when
    /// nothing falls in it or the zoom has no overview.
    /// </summary>
    Task<byte[]> ReadOverviewTileAsync(int layerId, TileAddress tile, CancellationToken cancellationToken = default);
}
