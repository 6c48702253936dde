using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Area;

/// <summary>
/// Ellipsoidal area (椭球面积) of polygons given in geographic coordinates on CGCS2000 (EPSG:4490), in m².
/// Each edge is a straight line in longitude and latitude, as the land survey treats it; the area under an
/// edge (between it and the equator) is the integral of the authalic zone function over the edge, computed by
/// Gauss–Legendre quadrature. Edges along parallels and meridians are exact, so graticule-bounded map sheets
/// reproduce their theoretical area (图幅理论面积).
/// </summary>
/// <remarks>
/// The zone area between the equator and latitude φ over a longitude span Δλ (radians) is
/// Δλ·b²/2·q(φ) with q(φ) = sinφ/(1 − e²sin²φ) + (1/2e)·ln((1 + e·sinφ)/(1 − e·sinφ)).
/// The survey's own Gauss–Krüger inverse plus trapezoid series (issue 3) will sit beside this routine.
/// </remarks>
public static class EllipsoidalArea
{
    private static readonly double E2 = Cgcs2000.EccentricitySquared;
    private static readonly double E = Math.Sqrt(E2);
    private static readonly double B2 = Math.Pow(Cgcs2000.SemiMajorAxis * (1 - Cgcs2000.Flattening), 2);

    // 8-point Gauss–Legendre nodes and weights on [-1, 1]: exact for polynomials to degree 15, so far
    // beyond the curvature of q(φ) over an edge of a few kilometres.
    private static readonly double[] Nodes =
    [
        -0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
        0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363,
    ];

    private static readonly double[] Weights =
    [
        0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
        0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763,
    ];

    /// <summary>Area of a polygonal geometry in m²; holes are subtracted, non-areal parts count zero.</summary>
    public static double OfGeometry(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double total = 0;
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon polygon)
            {
                total += Math.Abs(OfRing(polygon.ExteriorRing.CoordinateSequence));
                foreach (var hole in polygon.InteriorRings)
                {
                    total -= Math.Abs(OfRing(hole.CoordinateSequence));
                }
            }
        }

        return total;
    }

    /// <summary>Signed area of a closed ring of (longitude, latitude) degrees in m² (counter-clockwise positive).</summary>
    public static double OfRing(CoordinateSequence ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        double sum = 0;
        for (var i = 0; i + 1 < ring.Count; i++)
        {
            sum += UnderEdge(ring.GetX(i), ring.GetY(i), ring.GetX(i + 1), ring.GetY(i + 1));
        }

        return -sum * B2 / 2;
    }

    // ∫ q(φ(λ)) dλ from λ1 to λ2 along the straight edge, λ in radians.
    private static double UnderEdge(double lon1, double lat1, double lon2, double lat2)
    {
        var dLon = (lon2 - lon1) * Math.PI / 180;
        if (dLon == 0)
        {
            return 0;
        }

        if (lat1 == lat2)
        {
            return dLon * Q(lat1 * Math.PI / 180);
        }

        double integral = 0;
        var phi1 = lat1 * Math.PI / 180;
        var phi2 = lat2 * Math.PI / 180;
        for (var k = 0; k < Nodes.Length; k++)
        {
            var t = (Nodes[k] + 1) / 2;
            integral += Weights[k] * Q(phi1 + ((phi2 - phi1) * t));
        }

        return dLon * integral / 2;
    }

    private static double Q(double phi)
    {
        var s = Math.Sin(phi);
        var es = E * s;
        return (s / (1 - (E2 * s * s))) + (Math.Log((1 + es) / (1 - es)) / (2 * E));
    }
}
