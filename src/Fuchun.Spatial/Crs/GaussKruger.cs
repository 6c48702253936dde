using System.Numerics;

namespace Fuchun.Spatial.Crs;

/// <summary>
/// The Gauss–Krüger (transverse Mercator, scale 1 on the central meridian) projection used by China's 3° and 6°
/// zone grids, by Krüger's series in the third flattening n to order n⁶ (Karney 2011), which is accurate to
/// well under a millimetre within a zone. Coordinates: easting X and northing Y in metres; longitude and latitude
/// in degrees.
/// </summary>
/// <remarks>
/// Written here rather than taken from ProjNET: the survey's area depends on exactly this inverse, and the
/// tests hold it to PostGIS/PROJ's transform within a millimetre.
/// </remarks>
public sealed class GaussKruger
{
    private readonly double centralMeridian;
    private readonly double falseEasting;
    private readonly double e;
    private readonly double scaledA;
    private readonly double[] alpha;
    private readonly double[] beta;
    private readonly double[] delta;

    public GaussKruger(Ellipsoid ellipsoid, double centralMeridianDegrees, double falseEasting)
    {
        ArgumentNullException.ThrowIfNull(ellipsoid);
        centralMeridian = centralMeridianDegrees * Math.PI / 180;
        this.falseEasting = falseEasting;
        var n = ellipsoid.ThirdFlattening;
        e = Math.Sqrt(ellipsoid.EccentricitySquared);
        double n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
        scaledA = ellipsoid.SemiMajorAxis / (1 + n) * (1 + (n2 / 4) + (n4 / 64) + (n6 / 256));
        alpha =
        [
            (n / 2) - (2 * n2 / 3) + (5 * n3 / 16) + (41 * n4 / 180) - (127 * n5 / 288) + (7891 * n6 / 37800),
            (13 * n2 / 48) - (3 * n3 / 5) + (557 * n4 / 1440) + (281 * n5 / 630) - (1983433 * n6 / 1935360),
            (61 * n3 / 240) - (103 * n4 / 140) + (15061 * n5 / 26880) + (167603 * n6 / 181440),
            (49561 * n4 / 161280) - (179 * n5 / 168) + (6601661 * n6 / 7257600),
            (34729 * n5 / 80640) - (3418889 * n6 / 1995840),
            212378941 * n6 / 319334400,
        ];
        beta =
        [
            (n / 2) - (2 * n2 / 3) + (37 * n3 / 96) - (n4 / 360) - (81 * n5 / 512) + (96199 * n6 / 604800),
            (n2 / 48) + (n3 / 15) - (437 * n4 / 1440) + (46 * n5 / 105) - (1118711 * n6 / 3870720),
            (17 * n3 / 480) - (37 * n4 / 840) - (209 * n5 / 4480) + (5569 * n6 / 90720),
            (4397 * n4 / 161280) - (11 * n5 / 504) - (830251 * n6 / 7257600),
            (4583 * n5 / 161280) - (108847 * n6 / 3991680),
            20648693 * n6 / 638668800,
        ];
        delta =
        [
            (2 * n) - (2 * n2 / 3) - (2 * n3) + (116 * n4 / 45) + (26 * n5 / 45) - (2854 * n6 / 675),
            (7 * n2 / 3) - (8 * n3 / 5) - (227 * n4 / 45) + (2704 * n5 / 315) + (2323 * n6 / 945),
            (56 * n3 / 15) - (136 * n4 / 35) - (1262 * n5 / 105) + (73814 * n6 / 2835),
            (4279 * n4 / 630) - (332 * n5 / 35) - (399572 * n6 / 14175),
            (4174 * n5 / 315) - (144838 * n6 / 6237),
            601676 * n6 / 22275,
        ];
    }

    /// <summary>Longitude and latitude (degrees) to easting and northing (metres).</summary>
    public (double X, double Y) Forward(double lon, double lat)
    {
        var phi = lat * Math.PI / 180;
        var lambda = (lon * Math.PI / 180) - centralMeridian;
        var sinPhi = Math.Sin(phi);
        var t = Math.Sinh(Math.Atanh(sinPhi) - (e * Math.Atanh(e * sinPhi)));
        var xiP = Math.Atan2(t, Math.Cos(lambda));
        var etaP = Math.Atanh(Math.Sin(lambda) / Math.Sqrt(1 + (t * t)));
        double xi = xiP, eta = etaP;
        for (var j = 1; j <= 6; j++)
        {
            xi += alpha[j - 1] * Math.Sin(2 * j * xiP) * Math.Cosh(2 * j * etaP);
            eta += alpha[j - 1] * Math.Cos(2 * j * xiP) * Math.Sinh(2 * j * etaP);
        }

        return (falseEasting + (scaledA * eta), scaledA * xi);
    }

    /// <summary>Easting and northing (metres) to longitude and latitude (degrees).</summary>
    /// <remarks>
    /// The two trigonometric series are summed by Clenshaw's recurrence (complex for the first), so each point
    /// costs about ten transcendental calls instead of forty: the import of a million parcels inverts some twenty
    /// million vertices.
    /// </remarks>
    public (double Lon, double Lat) Inverse(double x, double y)
    {
        var xi = y / scaledA;
        var eta = (x - falseEasting) / scaledA;

        // ζ' = ζ − Σ β_j sin(2jζ), ζ = ξ + iη.
        var (sin2Xi, cos2Xi) = Math.SinCos(2 * xi);
        var exp2Eta = Math.Exp(2 * eta);
        var (sinh2Eta, cosh2Eta) = ((exp2Eta - (1 / exp2Eta)) / 2, (exp2Eta + (1 / exp2Eta)) / 2);
        var sinT = new Complex(sin2Xi * cosh2Eta, cos2Xi * sinh2Eta);
        var twoCosT = new Complex(2 * cos2Xi * cosh2Eta, -2 * sin2Xi * sinh2Eta);
        Complex b1 = Complex.Zero, b2 = Complex.Zero;
        for (var k = beta.Length - 1; k >= 0; k--)
        {
            (b1, b2) = ((twoCosT * b1) - b2 + beta[k], b1);
        }

        var sum = b1 * sinT;
        var (xiP, etaP) = (xi - sum.Real, eta - sum.Imaginary);

        var (sinXiP, cosXiP) = Math.SinCos(xiP);
        var expEtaP = Math.Exp(etaP);
        var (sinhEtaP, coshEtaP) = ((expEtaP - (1 / expEtaP)) / 2, (expEtaP + (1 / expEtaP)) / 2);
        var chi = Math.Asin(sinXiP / coshEtaP);

        // φ = χ + Σ δ_j sin(2jχ).
        var (sin2Chi, cos2Chi) = Math.SinCos(2 * chi);
        double c1 = 0, c2 = 0;
        for (var k = delta.Length - 1; k >= 0; k--)
        {
            (c1, c2) = ((2 * cos2Chi * c1) - c2 + delta[k], c1);
        }

        var phi = chi + (c1 * sin2Chi);
        var lambda = centralMeridian + Math.Atan2(sinhEtaP, cosXiP);
        return (lambda * 180 / Math.PI, phi * 180 / Math.PI);
    }
}
