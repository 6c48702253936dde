using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using NetTopologySuite.Simplify;

namespace Fuchun.Spatial.Tiles;

/// <summary>
/// Builds a Mapbox Vector Tile from features in longitude/latitude: each geometry is clipped to the tile plus a
/// 64-unit buffer and simplified to a quarter pixel at the tile's zoom, so tiles stay small at every zoom, then
/// encoded by NetTopologySuite.IO.VectorTiles (extent 4096).
/// </summary>
public sealed class MvtTileBuilder(TileAddress tile, string layerName)
{
    private const int Extent = 4096;
    private const int Buffer = 64;

    private readonly Layer layer = new() { Name = layerName };
    private readonly Geometry clip = ClipGeometry(tile);
    private readonly double tolerance = tile.PixelDegrees(Extent) / 4;

    public int Count => layer.Features.Count;

    /// <summary>Adds a feature; a geometry that ends up empty after clipping is left out.</summary>
    public void Add(Geometry geometry, IAttributesTable attributes)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var clipped = clip.EnvelopeInternal.Contains(geometry.EnvelopeInternal) ? geometry : Clip(geometry);
        if (clipped.IsEmpty)
        {
            return;
        }

        // From zoom 15 a quarter tile unit is under 5 cm: simplifying would only cost time, the encoder's grid
        // does the rest.
        var simplified = tile.Z >= 15 ? clipped : TopologyPreservingSimplifier.Simplify(clipped, tolerance);
        if (!simplified.IsEmpty && simplified.Dimension == Dimension.Surface)
        {
            layer.Features.Add(new Feature(simplified, attributes));
        }
    }

    private Geometry Clip(Geometry geometry)
    {
        try
        {
            return geometry.Intersection(clip);
        }
        catch (TopologyException)
        {
            // The classic overlay gives up on some valid but awkward rings (nearly coincident edges); the snap-rounding
            // overlay does not.
            return NetTopologySuite.Operation.OverlayNG.OverlayNGRobust.Overlay(geometry, clip, NetTopologySuite.Operation.Overlay.SpatialFunction.Intersection);
        }
    }

    /// <summary>The encoded tile; empty (zero bytes) when no feature falls in it.</summary>
    public byte[] ToBytes()
    {
        if (layer.Features.Count == 0)
        {
            return [];
        }

        var vectorTile = new VectorTile { TileId = new NetTopologySuite.IO.VectorTiles.Tiles.Tile(tile.X, tile.Y, tile.Z).Id };
        vectorTile.Layers.Add(layer);
        using var stream = new MemoryStream();
        // Polygons smaller than one tile unit are dropped by the encoder, as they would not show.
        vectorTile.Write(stream, minLinealExtent: 1, minPolygonalExtent: 1, extent: Extent);
        return stream.ToArray();
    }

    private static Geometry ClipGeometry(TileAddress tile)
    {
        var env = tile.LonLatEnvelope();
        var pad = tile.PixelDegrees(Extent) * Buffer;
        env.ExpandBy(pad, pad * Math.Cos(env.Centre.Y * Math.PI / 180));
        return Cgcs2000.Factory.ToGeometry(env);
    }
}
