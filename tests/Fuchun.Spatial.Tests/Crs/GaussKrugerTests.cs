using System.Runtime.Intrinsics;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.Crs;

namespace Fuchun.Spatial.Tests.Crs;

public sealed class GaussKrugerTests
{
    private static readonly GaussKruger Zone40 = CoordinateSystems.Get(4528).Projection();

    /// <summary>Points over the zone and beyond its edges, from the equator to 60°N (x, y in EPSG:4528).</summary>
    public static TheoryData<double, double> ZonePoints()
    {
        var data = new TheoryData<double, double>();
        foreach (var lat in new[] { 0.5, 18.0, 30.2, 45.0, 60.0 })
        {
            foreach (var lon in new[] { 120.0, 118.5, 121.49, 122.7, 124.0 })
            {
                var (x, y) = Zone40.Forward(lon, lat);
                data.Add(x, y);
            }
        }

        return data;
    }

    [Fact]
    public void Inverse_ManyAtOnce_GivesEachVertexExactlyTheBitsItGetsAlone()
    {
        // Within the zone and far beyond it (where the lanes hand a vertex to the library), in every lane position.
        var random = new Random(4528);
        var points = new List<(double X, double Y)>();
        for (var i = 0; i < 4000; i++)
        {
            var far = i % 10 == 0;
            points.Add(Zone40.Forward(
                far ? 114 + (random.NextDouble() * 12) : 118.5 + (random.NextDouble() * 3),
                far ? 1 + (random.NextDouble() * 70) : 27 + (random.NextDouble() * 5)));
        }

        for (var length = 1; length <= 11; length++)
        {
            for (var start = 0; start + length <= points.Count; start += length + (start % 3))
            {
                var xy = points.Skip(start).Take(length).SelectMany(p => new[] { p.X, p.Y }).ToArray();
                var lonLat = new double[xy.Length];
                Zone40.Inverse(xy, lonLat);
                var inPlace = xy.ToArray();
                Zone40.Inverse(inPlace, inPlace);
                for (var k = 0; k < length; k++)
                {
                    var (lon, lat) = Zone40.Inverse(xy[2 * k], xy[(2 * k) + 1]);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(lon), BitConverter.DoubleToInt64Bits(lonLat[2 * k]));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(lat), BitConverter.DoubleToInt64Bits(lonLat[(2 * k) + 1]));
                }

                Assert.Equal(lonLat, inPlace);
            }
        }
    }

    [Fact]
    public void Inverse_UndoesForward_ToWellUnderAMicrometre()
    {
        var worst = 0.0;
        for (var lat = 0.5; lat < 60; lat += 0.37)
        {
            for (var lon = 118.0; lon < 122.0; lon += 0.013)
            {
                var (x, y) = Zone40.Forward(lon, lat);
                var (lon2, lat2) = Zone40.Inverse(x, y);
                worst = Math.Max(worst, Math.Max(Math.Abs(lon2 - lon), Math.Abs(lat2 - lat)));
            }
        }

        Assert.InRange(worst, 0, 1e-11);   // degrees: about a micrometre on the ground
    }

    [Theory]
    [MemberData(nameof(ZonePoints))]
    public void InverseSinCos_IsTheSineAndCosineOfTheInversesLatitude(double x, double y)
    {
        var (lon, lat) = Zone40.Inverse(x, y);

        Zone40.InverseSinCos(x, y, out var lambda, out var sinPhi, out var cosPhi);

        Assert.Equal(lon * Math.PI / 180, lambda, 1e-15);
        Assert.Equal(Math.Sin(lat * Math.PI / 180), sinPhi, 1e-15);
        Assert.Equal(Math.Cos(lat * Math.PI / 180), cosPhi, 1e-15);
    }

    [Theory]
    [MemberData(nameof(ZonePoints))]
    public void TryInverseSinCos_FourLanes_AgreeWithTheOneByOneInverse(double x, double y)
    {
        // Four neighbouring vertices, as a parcel's ring hands them over.
        var xs = Vector256.Create(x, x + 13.7, x - 250.2, x + 0.001);
        var ys = Vector256.Create(y, y - 8.1, y + 311.9, y + 0.002);

        if (!Zone40.TryInverseSinCos(new Lanes4(xs), new Lanes4(ys), out var lambda, out var sinPhi, out var cosPhi))
        {
            // Only far outside the zone may the four-lane form decline; 4° off the meridian is such a place.
            Assert.True(Math.Abs(Zone40.Inverse(x, y).Lon - 120) > 3.5, $"declined at {Zone40.Inverse(x, y)}");
            return;
        }

        for (var k = 0; k < 4; k++)
        {
            Zone40.InverseSinCos(xs[k], ys[k], out var l, out var s, out var c);
            Assert.Equal(l, lambda.V[k], 1e-15); // two units in the last place of a longitude near 2 rad
            Assert.Equal(s, sinPhi.V[k], 4.5e-16);
            Assert.Equal(c, cosPhi.V[k], 4.5e-16);
        }

        // Eight lanes (these four, then four others) are the same arithmetic: the same bits in the first four.
        var others = (Vector256.Create(x + 40.0, x - 1.5, x + 7.25, x), Vector256.Create(y - 60.0, y + 2.5, y, y + 90.125));
        Assert.True(Zone40.TryInverseSinCos(new Lanes8(xs, others.Item1), new Lanes8(ys, others.Item2), out var lambda8, out var sinPhi8, out var cosPhi8));
        Assert.Equal((lambda.V, sinPhi.V, cosPhi.V), (lambda8.Low, sinPhi8.Low, cosPhi8.Low));
        Assert.True(Zone40.TryInverseSinCos(new Lanes4(others.Item1), new Lanes4(others.Item2), out var lambdaHigh, out var sinHigh, out var cosHigh));
        Assert.Equal((lambdaHigh.V, sinHigh.V, cosHigh.V), (lambda8.High, sinPhi8.High, cosPhi8.High));
    }

    [Fact]
    public void TryInverseSinCos_FarOutsideTheZone_Declines()
    {
        var (x, y) = Zone40.Forward(131.0, 30.0);

        Assert.False(Zone40.TryInverseSinCos(new Lanes4(Vector256.Create(x)), new Lanes4(Vector256.Create(y)), out _, out _, out _));
        Assert.False(Zone40.TryInverseSinCos(Lanes8.Create(x), Lanes8.Create(y), out _, out _, out _));
    }

    [Fact]
    public void Area_OfAParcelBeyondTheFourLaneRange_IsTheGeographicArea()
    {
        // 8° east of the zone's meridian the four-lane inverse declines and the ring is taken vertex by vertex.
        var crs = CoordinateSystems.Get(4528);
        var lonLat = Cgcs2000.Factory.CreatePolygon(
        [
            new(128.0, 30.0), new(128.004, 30.0005), new(128.0035, 30.003), new(127.9995, 30.0028), new(128.0, 30.0),
        ]);
        var projected = CoordinateMap.Apply(lonLat, Generation.LocalFrame.MetricFactory, crs.Projection().Forward);

        Assert.False(crs.Projection().TryInverseSinCos(Lanes8.Create(projected.Coordinates[0].X), Lanes8.Create(projected.Coordinates[0].Y), out _, out _, out _));
        Assert.Equal(EllipsoidalArea.OfGeometry(lonLat), EllipsoidalArea.OfGeometry(projected, crs), 1e-6);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-9)]
    [InlineData(-3.3e-4)]
    [InlineData(9.99e-3)]
    [InlineData(-9.99e-3)]
    [InlineData(0.5)]
    public void SmallAngle_Series_AreTheLibraryFunctionsToTheLastBit(double d)
    {
        var (sin, cos) = SmallAngle.SinCos(d);
        var (vsin, vcos) = SmallAngle.SinCos(Lanes4.Create(d));

        Assert.Equal(Math.Sin(d), sin, Math.Abs(Math.Sin(d)) * 2.3e-16);
        Assert.Equal(Math.Cos(d), cos, 2.3e-16);
        Assert.Equal(Math.Exp(d), SmallAngle.Exp(d), Math.Exp(d) * 2.3e-16);
        if (Math.Abs(d) < SmallAngle.Limit)
        {
            Assert.Equal(Math.Sin(d), vsin.V[0], Math.Abs(Math.Sin(d)) * 2.3e-16);
            Assert.Equal(Math.Cos(d), vcos.V[0], 2.3e-16);
            Assert.Equal(Math.Exp(d), SmallAngle.Exp(Lanes4.Create(d)).V[0], Math.Exp(d) * 2.3e-16);
        }

        if (Math.Abs(d) < SmallAngle.AtanLimit)
        {
            Assert.Equal(Math.Atan(d * 10), SmallAngle.Atan(Lanes4.Create(d * 10)).V[0], Math.Abs(Math.Atan(d * 10)) * 2.3e-16);
        }
    }
}
