using Fuchun.Spatial.Validation;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace Fuchun.Spatial.Tests.Validation;

public sealed class RingOrientationTests
{
    /// <summary>
    /// Rings of 4–12 points on a coarse grid (so that repeated points, collinear runs, flat rings, A-B-A spikes and
    /// self-crossings are common) or anywhere (rings as imported), each closed, each read both ways.
    /// </summary>
    private static IEnumerable<double[]> Rings(int count, int seed)
    {
        var random = new Random(seed);
        for (var r = 0; r < count; r++)
        {
            var coarse = r % 2 == 0;
            var n = random.Next(3, 12);
            var xy = new double[2 * (n + 1)];
            for (var i = 0; i < n; i++)
            {
                xy[2 * i] = coarse ? random.Next(4) : 119.9 + (random.NextDouble() * 1e-3);
                xy[(2 * i) + 1] = coarse ? random.Next(3) : 30.2 + (random.NextDouble() * 1e-3);
            }

            (xy[2 * n], xy[(2 * n) + 1]) = (xy[0], xy[1]);
            yield return xy;
        }
    }

    [Fact]
    public void AnswersAsNetTopologySuite_ForValidAndInvalidRings()
    {
        var (counterClockwise, clockwise) = (0, 0);
        foreach (var xy in Rings(20000, 7))
        {
            var coordinates = Enumerable.Range(0, xy.Length / 2).Select(i => new Coordinate(xy[2 * i], xy[(2 * i) + 1])).ToArray();
            var expected = Orientation.IsCCW(coordinates);

            Assert.Equal(expected, RingOrientation.IsCounterClockwise(xy));
            Assert.Equal(expected, RingOrientation.IsCounterClockwise(new PackedDoubleCoordinateSequence(xy, 2, 0)));
            Assert.Equal(expected, RingOrientation.IsCounterClockwise(new CoordinateArraySequence(coordinates)));
            _ = expected ? counterClockwise++ : clockwise++;
        }

        // Both answers were given many times (the test is not one-sided).
        Assert.InRange(counterClockwise, 5000, 15000);
        Assert.InRange(clockwise, 5000, 15000);
    }

    [Fact]
    public void ShortOrFlatRing_IsNotCounterClockwise_AsForNetTopologySuite()
    {
        double[] shortRing = [0, 0, 1, 1, 0, 0];
        double[] flat = [0, 0, 1, 0, 2, 0, 0, 0];

        Assert.False(RingOrientation.IsCounterClockwise(shortRing));
        Assert.False(Orientation.IsCCW(new PackedDoubleCoordinateSequence(shortRing, 2, 0)));
        Assert.False(RingOrientation.IsCounterClockwise(flat));
        Assert.False(Orientation.IsCCW(new PackedDoubleCoordinateSequence(flat, 2, 0)));
    }
}
