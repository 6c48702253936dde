using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Mosaic;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Tests.Mosaic;

public sealed class MosaicGeneratorTests
{
    private static readonly Lazy<(MosaicGenerator Generator, List<MosaicParcel> Before, List<MosaicParcel> After)> Mosaic = new(() =>
    {
        var generator = new MosaicGenerator(10_000, seed: 7);
        return (generator, generator.Before().ToList(), generator.After().ToList());
    });

    [Fact]
    public void Before_HasAboutTheParcelsAskedFor_WithKnownClassesAndUniqueIds()
    {
        var before = Mosaic.Value.Before;

        Assert.InRange(before.Count, 9_000, 11_000);
        Assert.Equal(before.Count, before.Select(p => p.Id).Distinct().Count());
        Assert.All(before, p => Assert.True(LandClassCatalog.TryGet(p.LandClass, out _), p.LandClass));
        Assert.All(before, p => Assert.Equal(12, p.LocationCode.Length));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parcels_AreValidAndFormAnExactCoverage_WithoutGaps(bool after)
    {
        var parcels = after ? Mosaic.Value.After : Mosaic.Value.Before;
        var polygons = parcels.Select(p => (Geometry)p.Geometry).ToArray();

        Assert.All(parcels, p => Assert.True(p.Geometry.IsValid, $"parcel {p.Id} is not valid"));
        var invalid = CoverageValidator.Validate(polygons);
        Assert.DoesNotContain(invalid, g => g is { IsEmpty: false });

        // No gap: the union is one polygon without holes, and its area is the parcels' total (no overlap either).
        var union = CoverageUnion.Union(polygons);
        var polygon = Assert.IsType<Polygon>(union);
        Assert.Equal(0, polygon.NumInteriorRings);
        Assert.Equal(polygons.Sum(p => p.Area), union.Area, 1e-6 * union.Area);
    }

    [Fact]
    public void Parcels_AreIrregular_MostlyTenToFortyVertices_WithHolesRoadsAndDitches()
    {
        var before = Mosaic.Value.Before;
        var fields = before.Where(p => p.LandClass is not ("1006" or "1107") && p.Geometry.NumInteriorRings == 0 && !IsIsland(p)).ToList();
        var vertices = fields.Select(p => p.Geometry.NumPoints - 1).ToList();

        Assert.True(vertices.Count(v => v is >= 10 and <= 40) > 0.9 * vertices.Count, $"median {Median(vertices)}");
        Assert.Contains(before, p => p.Geometry.NumInteriorRings > 0);
        Assert.Contains(before, p => p.LandClass == "1006");
        Assert.Contains(before, p => p.LandClass == "1107");
        var strips = before.Where(p => p.LandClass is "1107").Select(p => 2 * p.Geometry.Area / p.Geometry.Length).ToList();
        Assert.All(strips, w => Assert.InRange(w, 2.5, 8.5));

        static bool IsIsland(MosaicParcel p) => p.LandClass == "0702" && p.Geometry.NumPoints == 13;
    }

    [Fact]
    public void FarmlandSizes_AreLognormal_WithAMedianOfOneToThreeMu()
    {
        var farmland = Mosaic.Value.Before.Where(p => p.LandClass is "0101" or "0102" or "0103").Select(p => p.Geometry.Area / 666.6667).ToList();
        var logs = farmland.Select(a => Math.Log(a)).ToList();
        var mean = logs.Average();
        var sd = Math.Sqrt(logs.Sum(l => (l - mean) * (l - mean)) / logs.Count);

        Assert.InRange(Median(farmland), 1, 3);
        Assert.InRange(sd, 0.3, 1.2);
        Assert.True(farmland.Count > 0.4 * Mosaic.Value.Before.Count);
    }

    [Fact]
    public void After_ConsolidatesInsideTheZonesOnly()
    {
        var (generator, before, after) = Mosaic.Value;
        var zones = generator.Zones;
        static double Farmland(IEnumerable<MosaicParcel> ps) => ps.Where(p => p.LandClass is "0101" or "0102" or "0103").Sum(p => p.Geometry.Area);

        Assert.True(after.Count < before.Count);
        Assert.True(Farmland(after) > Farmland(before));
        Assert.Equal(before.Sum(p => p.Geometry.Area), after.Sum(p => p.Geometry.Area), 1e-3);

        // Zones do not follow parcel edges: some parcels straddle a zone boundary.
        Assert.Contains(before, p => zones.Any(z => z.Intersects(p.Geometry) && !z.Contains(p.Geometry)));

        // Away from every zone, the two layers are the same parcels.
        var far = zones.Select(z => z.Buffer(600)).ToList();
        var outsideBefore = before.Where(p => !far.Any(z => z.Intersects(p.Geometry))).Select(Key).ToHashSet();
        var outsideAfter = after.Where(p => !far.Any(z => z.Intersects(p.Geometry))).Select(Key).ToHashSet();
        Assert.NotEmpty(outsideBefore);
        Assert.True(outsideBefore.SetEquals(outsideAfter));

        static string Key(MosaicParcel p) => p.LandClass + p.Geometry.AsText();
    }

    [Fact]
    public void Generation_IsDeterministic_AndDependsOnTheSeed()
    {
        var a = new MosaicGenerator(2_000, seed: 3).Before().Take(300).Select(p => p.LandClass + p.Geometry.AsText()).ToList();
        var b = new MosaicGenerator(2_000, seed: 3).Before().Take(300).Select(p => p.LandClass + p.Geometry.AsText()).ToList();
        var c = new MosaicGenerator(2_000, seed: 4).Before().Take(300).Select(p => p.LandClass + p.Geometry.AsText()).ToList();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static int Median(List<int> values) => values.Order().ElementAt(values.Count / 2);
}
