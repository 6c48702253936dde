using Fuchun.Spatial.Validation;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tests.Validation;

public sealed class SimpleRingTests
{
    private static readonly GeometryFactory Factory = new();

    /// <summary>A closed ring of the points as interleaved x, y.</summary>
    private static double[] Closed(IReadOnlyList<(double X, double Y)> points) =>
        [.. points.Append(points[0]).SelectMany(p => new[] { p.X, p.Y })];

    private static bool ValidByNetTopologySuite(double[] xy)
    {
        var coordinates = Enumerable.Range(0, xy.Length / 2).Select(i => new Coordinate(xy[2 * i], xy[(2 * i) + 1])).ToArray();
        return Factory.CreatePolygon(coordinates).IsValid;
    }

    /// <summary>Star-shaped rings of 4–95 points around a centre in Gauss–Krüger metres: simple unless two angles coincide.</summary>
    private static IEnumerable<double[]> StarRings(int count, int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < count; r++)
        {
            var n = random.Next(3, SimpleRing.MaxPoints);
            var angles = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 * Math.PI).Order().ToArray();
            var (cx, cy) = (40_500_000 + (random.NextDouble() * 1e5), 3_350_000 + (random.NextDouble() * 1e5));
            yield return Closed([.. angles.Select(a => (a, r: 10 + (random.NextDouble() * 90))).Select(p => (cx + (p.r * Math.Cos(p.a)), cy + (p.r * Math.Sin(p.a))))]);
        }
    }

    /// <summary>Rings of random points, on a coarse grid (touching, collinear, repeated) or anywhere: mostly not simple.</summary>
    private static IEnumerable<double[]> RandomRings(int count, int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < count; r++)
        {
            var coarse = r % 2 == 0;
            var n = random.Next(3, r % 3 == 0 ? 40 : 9);
            yield return Closed([.. Enumerable.Range(0, n).Select(_ => coarse
                ? ((double)random.Next(6), (double)random.Next(5))
                : (random.NextDouble() * 100, random.NextDouble() * 100))]);
        }
    }

    [Fact]
    public void NeverAcceptsARingThatNetTopologySuiteRefuses()
    {
        var (accepted, refusedByBoth) = (0, 0);
        foreach (var xy in RandomRings(30_000, 11).Concat(StarRings(3_000, 12)))
        {
            var simple = SimpleRing.IsCertainlySimple(xy);
            var valid = ValidByNetTopologySuite(xy);
            Assert.False(simple && !valid, $"accepted a ring NetTopologySuite refuses: {string.Join(' ', xy)}");
            (accepted, refusedByBoth) = (accepted + (simple ? 1 : 0), refusedByBoth + (!simple && !valid ? 1 : 0));
        }

        // Both kinds of ring are common among them, so the answer is really tested both ways.
        Assert.True(accepted > 5_000, $"{accepted} accepted");
        Assert.True(refusedByBoth > 5_000, $"{refusedByBoth} refused");
    }

    [Fact]
    public void AcceptsStarShapedParcels_AsNetTopologySuiteDoes()
    {
        foreach (var xy in StarRings(5_000, 13))
        {
            Assert.Equal(ValidByNetTopologySuite(xy), SimpleRing.IsCertainlySimple(xy));
        }
    }

    [Theory]
    // A bow tie: the first and third edges cross.
    [InlineData(new double[] { 0, 0, 10, 10, 10, 0, 0, 10, 0, 0 })]
    // The first edge crosses the second last (the last is the first's neighbour and is not compared).
    [InlineData(new double[] { 0, 0, 10, 0, 10, 10, 5, -5, 0, 10, 0, 0 })]
    // A figure eight touching itself at a vertex.
    [InlineData(new double[] { 0, 0, 4, 0, 2, 2, 4, 4, 0, 4, 2, 2, 0, 0 })]
    // A vertex lying on another edge.
    [InlineData(new double[] { 0, 0, 10, 0, 10, 10, 5, 0, 0, 10, 0, 0 })]
    // A spike going back along its own edge, and a repeated point.
    [InlineData(new double[] { 0, 0, 10, 0, 5, 0, 5, 5, 0, 0 })]
    [InlineData(new double[] { 0, 0, 10, 0, 10, 0, 10, 10, 0, 0 })]
    // Not closed; NaN.
    [InlineData(new double[] { 0, 0, 10, 0, 10, 10, 0, 10, 0, 1 })]
    [InlineData(new double[] { 0, 0, 10, 0, double.NaN, 10, 0, 10, 0, 0 })]
    public void RefusesRingsThatAreNotCertainlySimple(double[] xy) => Assert.False(SimpleRing.IsCertainlySimple(xy));

    [Fact]
    public void RefusesEveryRingWithANonFiniteCoordinate_WhereverItIs()
    {
        // Finiteness is proved by the turns (four at a time, then the last few one by one): a NaN or an infinity
        // at any point of rings of every length the two paths split differently must leave some turn uncertain.
        foreach (var ring in StarRings(400, 14).Where(r => r.Length <= 2 * 14 && SimpleRing.IsCertainlySimple(r)))
        {
            for (var k = 0; k < ring.Length - 2; k++)
            {
                foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
                {
                    var xy = (double[])ring.Clone();
                    xy[k] = bad;
                    if (k < 2)
                    {
                        xy[xy.Length - 2 + k] = bad;   // the closing point too, so that the ring stays closed
                    }

                    Assert.False(SimpleRing.IsCertainlySimple(xy), $"accepted {bad} at {k} in {string.Join(' ', xy)}");
                }
            }
        }
    }

    [Fact]
    public void AcceptsASquareAndAConcaveRingWhoseEdgeBoxesOverlap()
    {
        Assert.True(SimpleRing.IsCertainlySimple([0, 0, 10, 0, 10, 10, 0, 10, 0, 0]));
        // A comb: every tooth's edges have boxes that meet the long base edge's box.
        Assert.True(SimpleRing.IsCertainlySimple([0, 0, 20, 0, 20, 10, 17, 10, 16, 2, 13, 10, 12, 2, 9, 10, 8, 2, 5, 10, 4, 2, 1, 10, 0, 10, 0, 0]));
    }
}
