using Fuchun.Domain.Layers;
using Fuchun.Spatial.Tiles;

namespace Fuchun.Storage.Layers;

/// <summary>Which tiles a parcel layer is drawn from at each zoom.</summary>
public static class LayerTiles
{
    /// <summary>
    /// The map's tile of <paramref name="layer"/>: nothing below <see cref="Layer.TilesMinZoom"/>; cut from the
    /// overview of the zoom for a large layer up to <see cref="LayerOverviews.MaxLevel"/>; the parcels otherwise.
    /// Zero bytes when nothing falls in the tile.
    /// </summary>
    public static Task<byte[]> ReadLayerTileAsync(this ILayerStore store, Layer layer, TileAddress tile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(layer);
        if (tile.Z < layer.TilesMinZoom)
        {
            return Task.FromResult(Array.Empty<byte>());
        }

        return layer.HasOverviews && tile.Z <= LayerOverviews.MaxLevel
            ? store.ReadOverviewTileAsync(layer.Id, tile, cancellationToken)
            : store.ReadTileAsync(layer.Id, tile, cancellationToken);
    }
}
