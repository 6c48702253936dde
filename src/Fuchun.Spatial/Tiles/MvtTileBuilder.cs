using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using NetTopologySuite.Simplify;

namespace Fuchun.Spatial.Tiles;

/// <summary>
/// Builds a Mapbox Vector Tile from features in longitude/latitude: each geometry is clipped to the tile plus a
/// 64-unit buffer and simplified to a quarter pixel at the tile's zoom, so tiles stay small at every zoom, then
/// encoded by NetTopologySuite.IO.VectorTiles (extent 4096). Rings too thin to draw are left out first: the encoder
/// rounds each vertex to the tile grid, which can turn a sliver ring the wrong way round (a shell read as a hole,
/// a polygon no reader accepts). With <c>snapToGrid</c> each geometry is also snap-rounded to the tile grid first and
/// so stays valid there, as PostGIS's ST_AsMVTGeom does: what large generalised polygons need (rounding can make
/// their rings touch or cross), at a cost parcels need not pay.
/// </summary>
public sealed class MvtTileBuilder(TileAddress tile, string layerName, bool snapToGrid = false)
{
    private const int Extent = 4096;
    private const int Buffer = 64;

    private readonly Layer layer = new() { Name = layerName };
    private readonly Geometry clip = ClipGeometry(tile);
    private readonly double tolerance = tile.PixelDegrees(Extent) / 4;

    // Tile units per degree of longitude and (at the tile's latitude, web mercator) of latitude.
    private readonly double unitsPerLon = 1 / tile.PixelDegrees(Extent);
    private readonly double unitsPerLat = 1 / tile.PixelDegrees(Extent) / Math.Cos(tile.LonLatEnvelope().Centre.Y * Math.PI / 180);

    /// <summary>
    /// Rings narrower than this on average (twice their area over their length, in tile units; 16 units make a
    /// pixel of a 256-pixel tile) are dropped. Rounding moves each vertex by less than a unit in each direction, so
    /// it changes a ring's area by less than its length times √2: a ring at least three units wide keeps its
    /// orientation and its three corners.
    /// </summary>
    private const double MinRingWidth = 3;

    /// <summary>The tile itself (no buffer), rounded outward as PostGIS rounds boxes.</summary>
    private readonly Envelope tileBox = tile.CandidateBox();

    public int Count => layer.Features.Count;

    /// <summary>
    /// Adds a feature; a geometry whose box misses the tile itself (only the buffer; boxes compared as
    /// <see cref="TileAddress.RoundOutward"/> rounds them, the test PostGIS makes), or that ends up empty after
    /// clipping, is left out.
    /// </summary>
    public void Add(Geometry geometry, IAttributesTable attributes)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (!TileAddress.RoundOutward(geometry.EnvelopeInternal).Intersects(tileBox))
        {
            return;
        }

        var clipped = clip.EnvelopeInternal.Contains(geometry.EnvelopeInternal) ? geometry : Clip(geometry);
        if (clipped.IsEmpty)
        {
            return;
        }

        // From zoom 15 a quarter tile unit is under 5 cm: simplifying would only cost time, the encoder's grid
        // does the rest. Parcels are simplified vertex by vertex (Douglas–Peucker, moving no boundary by more than a
        // quarter unit, which the encoder's rounding to whole units outweighs anyway); the topology-preserving
        // simplifier, which builds an index per geometry, took two thirds of a z14 tile (p50 159 -> 68 ms). Large
        // generalised polygons, snapped to the grid afterwards, keep the topology-preserving one.
        var simplified = tile.Z >= 15 ? clipped
            : snapToGrid ? TopologyPreservingSimplifier.Simplify(clipped, tolerance)
            : new DouglasPeuckerSimplifier(clipped) { DistanceTolerance = tolerance, EnsureValidTopology = false }.GetResultGeometry();
        if (simplified.IsEmpty || simplified.Dimension != Dimension.Surface)
        {
            return;
        }

        if (snapToGrid)
        {
            simplified = SnapToGrid(simplified);
            if (!simplified.IsEmpty && Drawable(simplified) is { } generalised)
            {
                layer.Features.Add(new Feature(generalised, attributes));
            }

            return;
        }

        // A parcel with a ring too thin to survive the encoder's rounding is snap-rounded to the grid instead, as
        // ST_AsMVTGeom does with every geometry: it stays valid there, and is left out only if it collapses. The
        // few thin parcels (a corner of a field in the buffer, a ditch at a low zoom) pay for it, not the rest.
        var drawable = Drawable(simplified);
        if (drawable == simplified)
        {
            layer.Features.Add(new Feature(drawable, attributes));
        }
        else if (SnapToGrid(simplified) is { IsEmpty: false } snapped)
        {
            layer.Features.Add(new Feature(snapped, attributes));
        }
    }

    /// <summary>
    /// The geometry snap-rounded to whole tile units (NetTopologySuite's precision reducer keeps it valid), given back
    /// in longitude/latitude at the middle of each unit, so that the encoder's own rounding (it truncates) lands on
    /// the same units whatever the last bits of its arithmetic.
    /// </summary>
    private Geometry SnapToGrid(Geometry geometry)
    {
        var n = (double)(1 << tile.Z);
        var inUnits = CoordinateMap.Apply(geometry, geometry.Factory, (lon, lat) =>
        {
            var phi = lat * Math.PI / 180;
            return ((((lon + 180) / 360 * n) - tile.X) * Extent,
                ((((1 - (Math.Log(Math.Tan(phi) + (1 / Math.Cos(phi))) / Math.PI)) / 2 * n) - tile.Y) * Extent));
        });
        var snapped = NetTopologySuite.Precision.GeometryPrecisionReducer.Reduce(inUnits, new PrecisionModel(1));
        static double Middle(double k) => k >= 0 ? k + 0.5 : k - 0.5;
        return CoordinateMap.Apply(snapped, geometry.Factory, (x, y) =>
            (((tile.X + (Middle(x) / Extent)) / n * 360) - 180,
             Math.Atan(Math.Sinh(Math.PI * (1 - (2 * (tile.Y + (Middle(y) / Extent)) / n)))) * 180 / Math.PI));
    }

    /// <summary>The polygons and holes of <paramref name="geometry"/> wide enough to survive the grid; null if none.</summary>
    private Geometry? Drawable(Geometry geometry)
    {
        var polygons = new List<Polygon>(geometry.NumGeometries);
        var changed = false;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is not Polygon polygon || Width(polygon.Shell) < MinRingWidth)
            {
                changed = true;
                continue;
            }

            var holes = polygon.Holes.Where(h => Width(h) >= MinRingWidth).ToArray();
            if (holes.Length < polygon.NumInteriorRings)
            {
                changed = true;
                polygon = geometry.Factory.CreatePolygon(polygon.Shell, holes);
            }

            polygons.Add(polygon);
        }

        return polygons.Count == 0 ? null
            : !changed ? geometry
            : polygons.Count == 1 ? polygons[0]
            : geometry.Factory.CreateMultiPolygon([.. polygons]);
    }

    private double Width(LineString ring)
    {
        // Relative to the first vertex: absolute coordinates in tile units are large enough to lose the area.
        var sequence = ring.CoordinateSequence;
        var (ox, oy) = (sequence.GetX(0), sequence.GetY(0));
        double area = 0, length = 0;
        for (var k = 1; k < sequence.Count; k++)
        {
            var (x0, y0) = ((sequence.GetX(k - 1) - ox) * unitsPerLon, (sequence.GetY(k - 1) - oy) * unitsPerLat);
            var (x1, y1) = ((sequence.GetX(k) - ox) * unitsPerLon, (sequence.GetY(k) - oy) * unitsPerLat);
            area += (x0 * y1) - (x1 * y0);
            length += Math.Sqrt(((x1 - x0) * (x1 - x0)) + ((y1 - y0) * (y1 - y0)));
        }

        return length == 0 ? 0 : Math.Abs(area) / length;
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

    // The tile plus its buffer, the box PostGIS's ST_AsMVTGeom clips to as well.
    private static Geometry ClipGeometry(TileAddress tile) => Cgcs2000.Factory.ToGeometry(tile.LonLatEnvelope(Buffer, Extent));
}
