using Fuchun.Spatial.Tiles;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Fuchun.Testing;

namespace Fuchun.Spatial.Tests.Tiles;

public sealed class MvtTileBuilderTests
{
    private static readonly TileAddress Tile = TileAddress.Containing(120.15, 30.27, 12);

    /// <summary>A rectangle in tile units (x right, y down from the tile's top-left corner), in longitude/latitude.</summary>
    private static Polygon Rect(double x0, double y0, double x1, double y1)
    {
        var env = Tile.LonLatEnvelope();
        double Lon(double x) => env.MinX + (x / 4096 * env.Width);
        double Lat(double y) => env.MaxY - (y / 4096 * env.Height);
        return Cgcs2000.Factory.CreatePolygon([new(Lon(x0), Lat(y0)), new(Lon(x1), Lat(y0)), new(Lon(x1), Lat(y1)), new(Lon(x0), Lat(y1)), new(Lon(x0), Lat(y0))]);
    }

    [Fact]
    public void SliversTooThinForTheGrid_AreSnappedAsStAsMvtGeomDoes_AndTheTileReadsBack()
    {
        var builder = new MvtTileBuilder(Tile, "parcels");
        var field = Rect(100, 100, 900, 900);
        // A sliver within one unit beside the field (it collapses on the grid), one alone across a unit boundary
        // (it becomes one unit wide), and one alone within a unit (it collapses and the feature goes).
        builder.Add(Cgcs2000.Factory.CreateMultiPolygon([field, Rect(1000.6, 100, 1000.9, 2000)]), new AttributesTable { { "id", 1L } });
        builder.Add(Rect(2000.2, 100, 2000.6, 3000), new AttributesTable { { "id", 2L } });
        builder.Add(Rect(2500.6, 100, 2500.9, 3000), new AttributesTable { { "id", 4L } });
        // A field with a thin ditch-shaped hole within one unit and a proper pond.
        var withHoles = Cgcs2000.Factory.CreatePolygon((LinearRing)Rect(1000, 1000, 3000, 3000).ExteriorRing,
            [(LinearRing)Rect(1100.6, 1100, 1100.9, 2900).ExteriorRing.Reverse(), (LinearRing)Rect(2000, 2000, 2500, 2500).ExteriorRing.Reverse()]);
        builder.Add(withHoles, new AttributesTable { { "id", 3L } });

        var features = VectorTiles.Parcels(builder.ToBytes(), Tile);

        Assert.Equal([1L, 2L, 3L], features.Select(f => Convert.ToInt64(f.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(1, features[0].Geometry.NumGeometries);
        var strip = features[1].Geometry.EnvelopeInternal;
        Assert.Equal(Tile.LonLatEnvelope().Width / 4096, strip.Width, Tile.LonLatEnvelope().Width / 4096 * 0.01);
        var decoded = (Polygon)features[2].Geometry.GetGeometryN(0);
        Assert.Equal(1, decoded.NumInteriorRings);
        Assert.All(features, f => Assert.True(f.Geometry.IsValid));
    }

    [Fact]
    public void AParcelInTheBufferOnly_IsLeftOut_UnlessWithinAFloatStepOfTheEdge()
    {
        // PostGIS takes a parcel into a tile when its box, rounded outward to single precision, meets the tile's:
        // one a tenth of a unit beyond the east edge is in, one a unit beyond (within the 64-unit buffer) is not.
        var builder = new MvtTileBuilder(Tile, "parcels");
        builder.Add(Rect(4096.1, 100, 4120, 900), new AttributesTable { { "id", 1L } });
        builder.Add(Rect(4097, 1000, 4120, 1900), new AttributesTable { { "id", 2L } });
        builder.Add(Rect(4000, 2000, 4120, 2900), new AttributesTable { { "id", 3L } });

        var features = VectorTiles.Parcels(builder.ToBytes(), Tile);

        Assert.Equal([1L, 3L], features.Select(f => Convert.ToInt64(f.Attributes["id"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void SnappedToTheGrid_AHoleCloseToItsShellStaysValid()
    {
        // The hole's left edge is 0.6 units from the shell's: the encoder's rounding alone puts them on one line.
        var polygon = Cgcs2000.Factory.CreatePolygon((LinearRing)Rect(100, 100, 900, 900).ExteriorRing,
            [(LinearRing)Rect(100.6, 300, 500, 600).ExteriorRing.Reverse()]);
        var (plain, snapped) = (new MvtTileBuilder(Tile, "parcels"), new MvtTileBuilder(Tile, "parcels", snapToGrid: true));
        plain.Add(polygon, new AttributesTable { { "id", 1L } });
        snapped.Add(polygon, new AttributesTable { { "id", 1L } });

        var fromPlain = Assert.Single(VectorTiles.Parcels(plain.ToBytes(), Tile)).Geometry;
        var fromSnapped = Assert.Single(VectorTiles.Parcels(snapped.ToBytes(), Tile)).Geometry;

        Assert.False(fromPlain.IsValid);
        Assert.True(fromSnapped.IsValid);
        Assert.Equal(polygon.Area, fromSnapped.Area, 0.01 * polygon.Area);
    }
}
