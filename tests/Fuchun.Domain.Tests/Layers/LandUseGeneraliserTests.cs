using Fuchun.Domain.Layers;
using Fuchun.Domain.Mosaic;
using Fuchun.Spatial;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Tests.Layers;

public sealed class LandUseGeneraliserTests
{
    private const double Lat0 = 30.0;
    private const double Lon0 = 119.9;
    private static readonly double Kx = 111_320 * Math.Cos(Lat0 * Math.PI / 180);
    private const double Ky = 111_320;

    private static readonly Lazy<(Geometry[] Parcels, string[] Classes)> Mosaic = new(() =>
    {
        var inverse = MosaicGenerator.Crs.Projection();
        var parcels = new MosaicGenerator(3_000, seed: 5).Before().ToList();
        return ([.. parcels.Select(p => CoordinateMap.Apply(p.Geometry, Cgcs2000.PackedFactory, inverse.Inverse))], [.. parcels.Select(p => p.LandClass)]);
    });

    /// <summary>A rectangle given in metres east and north of (Lon0, Lat0).</summary>
    private static Polygon Rect(double x0, double y0, double x1, double y1) => Cgcs2000.Factory.CreatePolygon(
    [
        new(Lon0 + (x0 / Kx), Lat0 + (y0 / Ky)), new(Lon0 + (x1 / Kx), Lat0 + (y0 / Ky)), new(Lon0 + (x1 / Kx), Lat0 + (y1 / Ky)),
        new(Lon0 + (x0 / Kx), Lat0 + (y1 / Ky)), new(Lon0 + (x0 / Kx), Lat0 + (y0 / Ky)),
    ]);

    /// <summary>
    /// Fields of 40 m × 40 m (0101) in a 5 × 5 grid, with 5 m field roads (1006) between them: every rectangle of the
    /// grid a polygon, so that neighbours share their edges exactly.
    /// </summary>
    private static (Geometry[] Parcels, string[] Classes) FieldsAndRoads()
    {
        var breaks = new List<double> { 0 };
        for (var i = 0; i < 5; i++)
        {
            breaks.Add(breaks[^1] + 40);
            if (i < 4)
            {
                breaks.Add(breaks[^1] + 5);
            }
        }

        var (parcels, classes) = (new List<Geometry>(), new List<string>());
        for (var i = 0; i + 1 < breaks.Count; i++)
        {
            for (var j = 0; j + 1 < breaks.Count; j++)
            {
                parcels.Add(Rect(breaks[i], breaks[j], breaks[i + 1], breaks[j + 1]));
                classes.Add(i % 2 == 0 && j % 2 == 0 ? "0101" : "1006");
            }
        }

        return ([.. parcels], [.. classes]);
    }

    [Fact]
    public void FieldRoadsTooThinToShow_AreDissolvedWithTheFieldsIntoOneBlock()
    {
        var (parcels, classes) = FieldsAndRoads();

        // z13: a pixel is about 16.5 m here, the 5 m roads are a third of one.
        var result = LandUseGeneraliser.Generalise(parcels, classes, 13);

        var block = Assert.Single(result);
        Assert.Equal("0101", block.LandClass);
        Assert.Equal(parcels.Sum(p => p.Area), block.Geometry.Area, 1e-12);
        Assert.True(block.Geometry.IsValid);
    }

    [Fact]
    public void AtAZoomWhereTheRoadsShow_FieldsStayApart()
    {
        var (parcels, classes) = FieldsAndRoads();

        // z17: a pixel is about 1 m, the roads are five.
        var result = LandUseGeneraliser.Generalise(parcels, classes, 17);

        Assert.Equal(25, result.Count(r => r.LandClass == "0101"));
        // The road rectangles join up into one network.
        Assert.Single(result, r => r.LandClass == "1006");
    }

    [Fact]
    public void ASmallParcelInsideAField_TakesTheFieldsClass()
    {
        // A 200 m square of forest with a 10 m square of pond (1104) in the middle: a hole in the forest polygon.
        var pond = Rect(95, 95, 105, 105);
        var forest = Cgcs2000.Factory.CreatePolygon(
            (LinearRing)Rect(0, 0, 200, 200).ExteriorRing, [(LinearRing)pond.ExteriorRing.Reverse()]);

        var atZoom12 = LandUseGeneraliser.Generalise([forest, pond], ["0301", "1104"], 12);
        var atZoom18 = LandUseGeneraliser.Generalise([forest, pond], ["0301", "1104"], 18);

        var whole = Assert.Single(atZoom12);
        Assert.Equal("0301", whole.LandClass);
        Assert.Equal(0, ((Polygon)whole.Geometry.GetGeometryN(0)).NumInteriorRings);
        Assert.Equal(2, atZoom18.Count);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(11)]
    public void OnAMosaic_TheResultIsACoverageOfTheSameGroundWithFarFewerPolygons(int zoom)
    {
        var (parcels, classes) = Mosaic.Value;

        var result = LandUseGeneraliser.Generalise(parcels, classes, zoom);

        Assert.InRange(result.Count, 1, parcels.Length / 5);
        var geometries = result.Select(r => r.Geometry).ToArray();
        Assert.All(geometries, g => Assert.True(g.IsValid));
        // No overlap and no gap between the generalised polygons, and the same ground: the input's outline is kept.
        Assert.True(CoverageValidator.IsValid(geometries));
        Assert.Equal(parcels.Sum(p => p.Area), geometries.Sum(g => g.Area), 1e-9 * parcels.Sum(p => p.Area));
        Assert.Equal(CoverageUnion.Union(parcels).Area, CoverageUnion.Union(geometries).Area, 1e-9 * parcels.Sum(p => p.Area));
        Assert.All(result, r => Assert.Contains(r.LandClass, classes));
    }

    [Fact]
    public void Overviews_AreBuiltLevelByLevel_EachCoarserThanTheOneAbove()
    {
        var (parcels, classes) = Mosaic.Value;

        var levels = LayerOverviews.Build(parcels, classes).ToList();

        Assert.Equal(Enumerable.Range(LayerOverviews.MinLevel, LayerOverviews.MaxLevel - LayerOverviews.MinLevel + 1).Reverse(), levels.Select(l => l.Level));
        var counts = levels.Select(l => l.Polygons.Count).ToList();
        Assert.True(counts.Zip(counts.Skip(1)).All(pair => pair.First >= pair.Second), string.Join(", ", counts));
        Assert.True(counts[0] < parcels.Length);
    }
}
