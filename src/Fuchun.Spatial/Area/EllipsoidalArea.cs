using System.Runtime.CompilerServices;
using Fuchun.Spatial.Crs;
using System.Runtime.Intrinsics;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Area;

/// <summary>
/// Ellipsoidal area (椭球面积) of polygons the way the land survey computes it, in m²: each vertex is taken to
/// geodetic latitude B and longitude L (by the Gauss–Krüger inverse when the data is projected), then every edge
/// contributes the ellipsoidal trapezoid between a reference parallel and the edge's mean latitude over the edge's
/// longitude difference, by the survey's series
/// S = 2b²ΔL[A·sin(½ΔB)cos(Bm) − B·sin(3/2ΔB)cos(3Bm) + C·sin(5/2ΔB)cos(5Bm) − D·sin(7/2ΔB)cos(7Bm) + E·sin(9/2ΔB)cos(9Bm) − …]
/// (carried two terms beyond the regulation's five; see <see cref="TrapezoidSeries"/>).
/// Edges along parallels and meridians are exact, so graticule-bounded map sheets give their theoretical area
/// (图幅理论面积). Areas are on the ellipsoid of the data's own datum (CGCS2000 by default).
/// </summary>
public static class EllipsoidalArea
{
    private static readonly TrapezoidSeries Cgcs2000Series = new(Ellipsoid.Cgcs2000);

    /// <summary>Area in m² of a polygonal geometry in CGCS2000 longitude/latitude; holes subtract, non-areal parts count zero.</summary>
    public static double OfGeometry(Geometry geometry) => OfGeometry(geometry, Cgcs2000Series, null);

    /// <summary>Area in m² of a polygonal geometry in the coordinate system <paramref name="crs"/>.</summary>
    public static double OfGeometry(Geometry geometry, CoordinateSystem crs) => For(crs).OfGeometry(geometry);

    /// <summary>Signed area of a closed ring in CGCS2000 longitude/latitude, m² (counter-clockwise positive).</summary>
    public static double OfRing(CoordinateSequence ring) => OfRing(ring, Cgcs2000Series, null);

    /// <summary>
    /// Area in m² of one polygon without holes given as its shell's interleaved longitude, latitude in CGCS2000
    /// (closed, either way round): what <see cref="OfGeometry(Geometry)"/> gives for that polygon, to the bit.
    /// </summary>
    public static double OfShell(ReadOnlySpan<double> xy) => xy.Length < 8 ? 0 : Math.Abs(OfRing(xy, Cgcs2000Series, null));

    private static double OfGeometry(Geometry geometry, TrapezoidSeries series, GaussKruger? projection)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double total = 0;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon polygon)
            {
                total += Math.Abs(OfRing(polygon.ExteriorRing.CoordinateSequence, series, projection));
                foreach (var hole in polygon.InteriorRings)
                {
                    total -= Math.Abs(OfRing(hole.CoordinateSequence, series, projection));
                }
            }
        }

        return total;
    }

    private static double OfRing(CoordinateSequence ring, TrapezoidSeries series, GaussKruger? projection)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var count = ring.Count;
        if (count < 4)
        {
            return 0;
        }

        // Read in place where the ring is held flat (every import's is): no copy.
        var xy = FlatCoordinates.Of(ring);
        return OfRing(xy, series, projection);
    }

    /// <summary>The measure of polygons in <paramref name="crs"/>, to be made once and used for many (it is thread-safe).</summary>
    public static Measure For(CoordinateSystem crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        return new Measure(crs.Datum == Datum.Cgcs2000 ? Cgcs2000Series : new TrapezoidSeries(crs.Ellipsoid), crs.IsGeographic ? null : crs.Projection());
    }

    /// <summary>Ellipsoidal areas in one coordinate system (see <see cref="For"/>).</summary>
    public sealed class Measure
    {
        private readonly TrapezoidSeries series;
        private readonly GaussKruger? projection;

        internal Measure(TrapezoidSeries series, GaussKruger? projection) => (this.series, this.projection) = (series, projection);

        /// <summary>Area in m² of a polygonal geometry; holes subtract, non-areal parts count zero.</summary>
        public double OfGeometry(Geometry geometry) => EllipsoidalArea.OfGeometry(geometry, series, projection);

        /// <summary>
        /// Area in m² of a shapefile polygon record given as its rings (<paramref name="xy"/> interleaved x, y;
        /// ring k runs from point <paramref name="partStarts"/>[k] to the next part's start or the end): clockwise
        /// rings are shells and add, counter-clockwise rings are holes and subtract, as a shapefile reader assigns them.
        /// </summary>
        public double OfRings(ReadOnlySpan<double> xy, ReadOnlySpan<int> partStarts)
        {
            double shells = 0, holes = 0;
            for (var k = 0; k < partStarts.Length; k++)
            {
                var end = k + 1 < partStarts.Length ? partStarts[k + 1] : xy.Length / 2;
                var ring = xy[(2 * partStarts[k])..(2 * end)];
                if (ring.Length < 8)
                {
                    continue;
                }

                var signed = OfRing(ring, series, projection);
                if (signed < 0)
                {
                    shells -= signed;
                }
                else
                {
                    holes += signed;
                }
            }

            return shells - holes;
        }
    }

    /// <summary>Signed area of a closed ring given as interleaved x, y (counter-clockwise positive), m².</summary>
    /// <remarks>
    /// Each edge's trapezoid is b²·[F(Bm) − F(B₀)]·ΔL with F(B) = Σ ±c_j sin((2j+1)B) (the series' product form
    /// sin(mΔB/2)cos(mBm) is half a difference of these sines), B₀ the first vertex's latitude. Every vertex is
    /// reduced once to L and sin B, cos B (by the Gauss–Krüger inverse without forming B when projected); an edge's
    /// mean latitude comes from its ends by the half-angle rules and F by the multiple-angle recurrence, so an edge
    /// costs no library call. Vertices go eight at a time (two AVX2 registers of doubles), edges four. Rounding stays
    /// below 10⁻⁶ m² on a parcel and 10⁻³ m² on a 1:1 000 000 sheet.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double OfRing(ReadOnlySpan<double> xy, TrapezoidSeries series, GaussKruger? projection)
    {
        var count = xy.Length / 2;
        if (count < 4)
        {
            return 0;
        }

        // Vertices go eight at a time (two groups of four interleaved: the inverse is a long chain of dependent
        // operations, and one group left the processor waiting on it), edges four at a time. Padded past the last
        // vertex with copies of it, so the last groups have edges of zero length.
        var padded = ((count + 7) & ~7) + 4;
        var l = padded <= 264 ? stackalloc double[padded] : new double[padded];
        var sin = padded <= 264 ? stackalloc double[padded] : new double[padded];
        var cos = padded <= 264 ? stackalloc double[padded] : new double[padded];
        for (var i = 0; i < count; i += 8)
        {
            var high = Math.Min(i + 4, count - 1);   // past the end, the last vertex again
            var x = new Lanes8(Lanes4.Gather(xy, i, count, 0), Lanes4.Gather(xy, high, count, 0));
            var y = new Lanes8(Lanes4.Gather(xy, i, count, 1), Lanes4.Gather(xy, high, count, 1));
            if (projection is null)
            {
                Store(Vector256.Multiply(x.Low, Math.PI / 180), Vector256.Multiply(x.High, Math.PI / 180), l[i..]);
                // Latitudes lie within ±π/2, where the lanes' own sine and cosine hold (compiled in here, where the
                // framework's generic ones ran unoptimised for much of an import); other values the framework's way.
                var latitude = y * (Math.PI / 180);
                if (Lanes8.All(Lanes8.LessThan(Lanes8.Abs(latitude), Lanes8.Create(LaneMath.SinCosLimit))))
                {
                    var (s, c) = LaneMath.SinCos(latitude);
                    Store(s.Low, s.High, sin[i..]);
                    Store(c.Low, c.High, cos[i..]);
                }
                else
                {
                    var (sLow, cLow) = Vector256.SinCos(latitude.Low);
                    var (sHigh, cHigh) = Vector256.SinCos(latitude.High);
                    Store(sLow, sHigh, sin[i..]);
                    Store(cLow, cHigh, cos[i..]);
                }
            }
            else if (projection.TryInverseSinCos(x, y, out var lambda, out var s, out var c))
            {
                Store(lambda.Low, lambda.High, l[i..]);
                Store(s.Low, s.High, sin[i..]);
                Store(c.Low, c.High, cos[i..]);
            }
            else
            {
                for (var k = 0; k < 8; k++)
                {
                    var (xk, yk) = k < 4 ? (x.Low[k], y.Low[k]) : (x.High[k - 4], y.High[k - 4]);
                    projection.InverseSinCos(xk, yk, out l[i + k], out sin[i + k], out cos[i + k]);
                }
            }
        }

        l[count..].Fill(l[count - 1]);
        sin[count..].Fill(sin[count - 1]);
        cos[count..].Fill(cos[count - 1]);

        var reference = Vector256.Create(series.Integral(sin[0], cos[0]));
        var half = Vector256.Create(0.5);
        var sum = Vector256<double>.Zero;
        for (var i = 0; i + 1 < count; i += 4)
        {
            var (s0, s1) = (Vector256.Create(sin[i..]), Vector256.Create(sin[(i + 1)..]));
            var (c0, c1) = (Vector256.Create(cos[i..]), Vector256.Create(cos[(i + 1)..]));
            var dL = Vector256.Create(l[(i + 1)..]) - Vector256.Create(l[i..]);

            // Bm = (B_i + B_i+1) / 2 by the half-angle rules; its cosine is never negative.
            var cosSum = (c0 * c1) - (s0 * s1);
            var sinSum = (s0 * c1) + (c0 * s1);
            var cosMean = Vector256.Sqrt((Vector256<double>.One + cosSum) * half);
            var sinMean = Vector256.ConditionalSelect(
                Vector256.GreaterThan(cosMean, half),
                sinSum / (2 * cosMean),
                Vector256.CopySign(Vector256.Sqrt((Vector256<double>.One - cosSum) * half), s0 + s1));
            sum += dL * (series.Integral(sinMean, cosMean) - reference);
        }

        return -series.SemiMinorSquared * Vector256.Sum(sum);
    }

    /// <summary>Eight values into <paramref name="to"/>: lanes 0–3, then 4–7.</summary>
    private static void Store(Vector256<double> low, Vector256<double> high, Span<double> to)
    {
        low.CopyTo(to);
        high.CopyTo(to[4..]);
    }

    /// <summary>
    /// The survey's series for the area of an ellipsoidal trapezoid per radian of longitude. The regulation prints
    /// five coefficients A–E, the expansion of ∫cosB/(1 − e²sin²B)²dB to e⁸; they follow
    /// c_j = Σ_k (k+1)·e^2k·C(2k+1, k−j) / ((2k+1)·4^k), and this class carries the same series to e¹² (seven
    /// terms), because the e¹⁰ term alone is 0.02 m² on a 1:1 000 000 sheet.
    /// </summary>
    internal sealed class TrapezoidSeries
    {
        /// <summary>The highest power of e² kept.</summary>
        public const int Order = 6;

        /// <summary>c_j with the series' alternating signs.</summary>
        private readonly double[] signedCoefficients;

        public TrapezoidSeries(Ellipsoid ellipsoid, int order = Order)
        {
            SemiMinorSquared = ellipsoid.SemiMinorAxis * ellipsoid.SemiMinorAxis;
            signedCoefficients = [.. Coefficients(ellipsoid.EccentricitySquared, order).Select((c, j) => j % 2 == 0 ? c : -c)];
        }

        /// <summary>b², m².</summary>
        public double SemiMinorSquared { get; }

        /// <summary>c_0 … c_order: the regulation's A, B, C, D, E, … for this e².</summary>
        internal static double[] Coefficients(double e2, int order)
        {
            var c = new double[order + 1];
            for (var k = 0; k <= order; k++)
            {
                var term = (k + 1) * Math.Pow(e2, k) / ((2 * k + 1) * Math.Pow(4, k));
                for (var j = 0; j <= k; j++)
                {
                    c[j] += term * Binomial(2 * k + 1, k - j);
                }
            }

            return c;
        }

        private static double Binomial(int n, int r)
        {
            double result = 1;
            for (var i = 1; i <= r; i++)
            {
                result = result * (n - r + i) / i;
            }

            return result;
        }

        /// <summary>F(B) = Σ (−1)^j c_j sin((2j+1)B), from sin B and cos B: b²·[F(B₂) − F(B₁)] is the area between the latitudes per radian of longitude.</summary>
        public double Integral(double sinB, double cosB)
        {
            // sin((m+2)B) = 2cos(2B)·sin(mB) − sin((m−2)B), from sin B and sin(−B).
            var twoCos2B = 2 * (cosB - sinB) * (cosB + sinB);
            double previous = -sinB, current = sinB, sum = 0;
            for (var j = 0; j < signedCoefficients.Length; j++)
            {
                sum += signedCoefficients[j] * current;
                (previous, current) = (current, (twoCos2B * current) - previous);
            }

            return sum;
        }

        /// <summary><see cref="Integral(double, double)"/> for four latitudes.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Vector256<double> Integral(Vector256<double> sinB, Vector256<double> cosB)
        {
            var twoCos2B = 2 * (cosB - sinB) * (cosB + sinB);
            var (previous, current, sum) = (-sinB, sinB, Vector256<double>.Zero);
            foreach (var c in signedCoefficients)
            {
                sum += Vector256.Create(c) * current;
                (previous, current) = (current, (twoCos2B * current) - previous);
            }

            return sum;
        }
    }
}
