using Fuchun.Spatial.Tiles;
using NetTopologySuite.Features;
using NetTopologySuite.IO.VectorTiles.Mapbox;

namespace Fuchun.Testing;

/// <summary>Reads the tiles the platform serves back, as a map client would.</summary>
public static class VectorTiles
{
    /// <summary>The features of the tile's <c>parcels</c> layer; none for an empty (zero-byte) tile.</summary>
    public static List<IFeature> Parcels(byte[] bytes, TileAddress tile)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            return [];
        }

        using var stream = new MemoryStream(bytes);
        var decoded = new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(tile.X, tile.Y, tile.Z));
        return [.. decoded.Layers.Single(l => l.Name == "parcels").Features];
    }
}
