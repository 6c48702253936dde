using Fuchun.Spatial.Crs;
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
    public static double OfGeometry(Geometry geometry, CoordinateSystem crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var series = crs.Datum == Datum.Cgcs2000 ? Cgcs2000Series : new TrapezoidSeries(crs.Ellipsoid);
        return OfGeometry(geometry, series, crs.IsGeographic ? null : crs.Projection());
    }

    /// <summary>Signed area of a closed ring in CGCS2000 longitude/latitude, m² (counter-clockwise positive).</summary>
    public static double OfRing(CoordinateSequence ring) => OfRing(ring, Cgcs2000Series, null);

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

        var xy = new double[2 * count];
        for (var i = 0; i < count; i++)
        {
            (xy[2 * i], xy[(2 * i) + 1]) = (ring.GetX(i), ring.GetY(i));
        }

        return OfRing(xy, series, projection);
    }

    /// <summary>
    /// Area in m² of a shapefile polygon record given as its rings (<paramref name="xy"/> interleaved x, y; ring k
    /// runs from point <paramref name="parts"/>[k] to <paramref name="parts"/>[k + 1]): clockwise rings are shells
    /// and add, counter-clockwise rings are holes and subtract, as a shapefile reader assigns them.
    /// </summary>
    public static double OfRings(ReadOnlySpan<double> xy, ReadOnlySpan<int> parts, CoordinateSystem crs)
    {
        ArgumentNullException.ThrowIfNull(crs);
        var series = crs.Datum == Datum.Cgcs2000 ? Cgcs2000Series : new TrapezoidSeries(crs.Ellipsoid);
        var projection = crs.IsGeographic ? null : crs.Projection();
        double shells = 0, holes = 0;
        for (var k = 0; k + 1 < parts.Length; k++)
        {
            var ring = xy[(2 * parts[k])..(2 * parts[k + 1])];
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

    /// <summary>Signed area of a closed ring given as interleaved x, y (counter-clockwise positive), m².</summary>
    private static double OfRing(ReadOnlySpan<double> xy, TrapezoidSeries series, GaussKruger? projection)
    {
        var count = xy.Length / 2;
        if (count < 4)
        {
            return 0;
        }

        var b = count <= 256 ? stackalloc double[count] : new double[count];
        var l = count <= 256 ? stackalloc double[count] : new double[count];
        var reference = double.MaxValue;
        for (var i = 0; i < count; i++)
        {
            var (lon, lat) = projection is null ? (xy[2 * i], xy[(2 * i) + 1]) : projection.Inverse(xy[2 * i], xy[(2 * i) + 1]);
            b[i] = lat * Math.PI / 180;
            l[i] = lon * Math.PI / 180;
            reference = Math.Min(reference, b[i]);
        }

        // The reference parallel is the ring's southernmost latitude: the trapezoids stay small and the sum exact.
        double sum = 0;
        for (var i = 0; i + 1 < count; i++)
        {
            var dL = l[i + 1] - l[i];
            if (dL != 0)
            {
                sum += dL * series.Zone(reference, (b[i] + b[i + 1]) / 2);
            }
        }

        return -sum;
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

        private readonly double twoB2;
        private readonly double[] coefficients;

        public TrapezoidSeries(Ellipsoid ellipsoid, int order = Order)
        {
            twoB2 = 2 * ellipsoid.SemiMinorAxis * ellipsoid.SemiMinorAxis;
            coefficients = Coefficients(ellipsoid.EccentricitySquared, order);
        }

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

        /// <summary>Area between latitudes <paramref name="b1"/> and <paramref name="b2"/> (radians) per radian of longitude, m².</summary>
        public double Zone(double b1, double b2)
        {
            var dB = b2 - b1;
            var bm = (b1 + b2) / 2;
            double sum = 0;
            for (var j = 0; j < coefficients.Length; j++)
            {
                var m = (2 * j) + 1;
                var term = coefficients[j] * Math.Sin(m * dB / 2) * Math.Cos(m * bm);
                sum += j % 2 == 0 ? term : -term;
            }

            return twoB2 * sum;
        }
    }
}
