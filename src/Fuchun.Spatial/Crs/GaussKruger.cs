using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    /// The very arithmetic of <see cref="Inverse(ReadOnlySpan{double}, Span{double})"/> (in one lane of four), so a
    /// vertex gets the same bits whichever way it is taken: neighbouring parcels' shared edges must match exactly.
    /// </remarks>
    public (double Lon, double Lat) Inverse(double x, double y)
    {
        var (lon, lat, valid) = InverseLanes(new Lanes4(Vector256.Create(x)), new Lanes4(Vector256.Create(y)));
        return (Vector256.ExtractMostSignificantBits(valid.V) & 1) != 0 ? (lon.V[0], lat.V[0]) : InverseByLibrary(x, y);
    }

    /// <summary>
    /// Interleaved easting, northing (metres) to interleaved longitude, latitude (degrees), eight vertices at a time;
    /// <paramref name="lonLat"/> may be <paramref name="xy"/> itself. Each vertex gets exactly what
    /// <see cref="Inverse(double, double)"/> gives it, wherever it falls among the eight.
    /// </summary>
    // The vector kernels are compiled fully optimised at their first call rather than taken from the ReadyToRun
    // image: that code cannot inline the framework's FMA and vector-math helpers, and a command of a few seconds
    // ran on it until tiering caught up (`fuchun area` of the 1M mosaic 2.05–2.29 s → 1.63–1.78 s).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Inverse(ReadOnlySpan<double> xy, Span<double> lonLat)
    {
        var n = xy.Length / 2;
        if (lonLat.Length < 2 * n)
        {
            throw new ArgumentException("the output is shorter than the input", nameof(lonLat));
        }

        // Two groups of four interleaved, as the area's kernel takes them: the inverse is a long chain of dependent
        // operations, and one group left the processor waiting on it. A last group of fewer than eight repeats its
        // last vertex: every lane computes a real vertex.
        for (var i = 0; i < n; i += 8)
        {
            var high = Math.Min(i + 4, n - 1);
            var (lon, lat, validLanes) = InverseLanes(
                new Lanes8(Lanes4.Gather(xy, i, n, 0), Lanes4.Gather(xy, high, n, 0)),
                new Lanes8(Lanes4.Gather(xy, i, n, 1), Lanes4.Gather(xy, high, n, 1)));
            var valid = Vector256.ExtractMostSignificantBits(validLanes.Low) | (Vector256.ExtractMostSignificantBits(validLanes.High) << 4);
            for (var k = 0; k < 8 && i + k < n; k++)
            {
                var j = 2 * (i + k);
                (lonLat[j], lonLat[j + 1]) = ((valid >> k) & 1) == 0 ? InverseByLibrary(xy[j], xy[j + 1])
                    : k < 4 ? (lon.Low[k], lat.Low[k]) : (lon.High[k - 4], lat.High[k - 4]);
            }
        }
    }

    /// <summary>
    /// Vertices' longitude and latitude (degrees), and a mask that is set in the lanes where the short series hold
    /// (within a zone and well beyond it); the other lanes are to be taken by <see cref="InverseByLibrary"/>.
    /// </summary>
    /// <remarks>
    /// As <see cref="TryInverseSinCos"/> up to the conformal latitude χ, which is then found without an arctangent:
    /// ξ' is known as an angle (ξ − dξ) and χ differs from it by under 10⁻³ (sin χ = sin ξ' / cosh η'), so
    /// χ = ξ' + atan(tan(χ − ξ')) with the tangent from the sines and cosines of both, by the short series.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (T Lon, T Lat, T Valid) InverseLanes<T>(T x, T y)
        where T : struct, ILanes<T>
    {
        var xi = y / T.Create(scaledA);
        var eta = (x - T.Create(falseEasting)) / T.Create(scaledA);

        // Sine, cosine and exponential each lane alone (a vertex's bits must not depend on its neighbours).
        var (sinXi, cosXi) = LaneMath.SinCos(xi);
        var lanes = Series(sinXi, cosXi, LaneMath.Exp(eta));

        // χ from ξ' = ξ − dξ: χ = ξ' + atan(tan(χ − ξ')), the tangent from the sines and cosines of both.
        var offset = ((lanes.SinChi * lanes.CosXiP) - (lanes.CosChi * lanes.SinXiP)) / ((lanes.CosChi * lanes.CosXiP) + (lanes.SinChi * lanes.SinXiP));
        var valid = lanes.Valid & LaneMath.InRange(xi, eta) & T.LessThan(T.Abs(offset), T.Create(SmallAngle.AtanLimit));
        var chi = xi - lanes.DXi + SmallAngle.Atan(offset);
        var phi = chi + lanes.PhiMinusChi;
        var lambda = T.Create(centralMeridian) + SmallAngle.Atan(lanes.Tangent);
        var pi = T.Create(Math.PI);
        return (lambda * 180 / pi, phi * 180 / pi, valid);
    }

    /// <summary>
    /// Krüger's series for four vertices from sin ξ, cos ξ and exp η: the corrections dξ, dη, then sin and cos of ξ',
    /// sinh η', the conformal latitude χ as its sine and cosine, φ − χ, and tan(λ − λ₀); with the lanes where the
    /// short series hold (all ones) and those to be taken otherwise (zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SeriesLanes<T> Series<T>(T sinXi, T cosXi, T expEta)
        where T : struct, ILanes<T>
    {
        Corrections(sinXi, cosXi, expEta, out var dXi, out var dEta);
        var one = T.Create(1.0);
        var half = T.Create(0.5);
        var limit = T.Create(SmallAngle.Limit);
        var valid = T.LessThan(T.Abs(dXi), limit) & T.LessThan(T.Abs(dEta), limit);

        var (sinD, cosD) = SmallAngle.SinCos(dXi);
        var sinXiP = (sinXi * cosD) - (cosXi * sinD);
        var cosXiP = (cosXi * cosD) + (sinXi * sinD);
        var expEtaP = expEta * SmallAngle.Exp(-dEta);
        var (sinhEtaP, coshEtaP) = ((expEtaP - (one / expEtaP)) * half, (expEtaP + (one / expEtaP)) * half);
        var sinChi = sinXiP / coshEtaP;
        var cosChi = T.Sqrt((sinhEtaP * sinhEtaP) + (cosXiP * cosXiP)) / coshEtaP;

        var (sin2Chi, cos2Chi) = (2 * sinChi * cosChi, (cosChi - sinChi) * (cosChi + sinChi));
        T c1 = default, c2 = default;
        for (var k = delta.Length - 1; k >= 0; k--)
        {
            (c1, c2) = ((2 * cos2Chi * c1) - c2 + T.Create(delta[k]), c1);
        }

        // λ − λ₀ = atan(sinh η' / cos ξ'), by its series: within a zone the ratio is a few hundredths.
        var tangent = sinhEtaP / cosXiP;
        valid &= T.LessThan(T.Abs(tangent), T.Create(SmallAngle.AtanLimit)) & T.GreaterThan(cosXiP, T.Create(0.0));
        SeriesLanes<T> lanes;
        (lanes.Valid, lanes.DXi, lanes.SinXiP, lanes.CosXiP) = (valid, dXi, sinXiP, cosXiP);
        (lanes.SinChi, lanes.CosChi, lanes.PhiMinusChi, lanes.Tangent) = (sinChi, cosChi, c1 * sin2Chi, tangent);
        return lanes;
    }

    /// <summary>
    /// The corrections dξ, dη of ζ' = ζ − Σ β_j sin(2jζ), ζ = ξ + iη, as the imaginary and real parts of a complex
    /// Clenshaw recurrence. A method of its own: with eight lanes the whole series was more than the compiler would
    /// inline into one method, and the operations it left as calls cost more than the interleaving saved.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Corrections<T>(T sinXi, T cosXi, T expEta, out T dXi, out T dEta)
        where T : struct, ILanes<T>
    {
        var half = T.Create(0.5);
        var (sin2Xi, cos2Xi) = (2 * sinXi * cosXi, (cosXi - sinXi) * (cosXi + sinXi));
        var exp2Eta = expEta * expEta;
        var inverse = T.Create(1.0) / exp2Eta;
        var (sinh2Eta, cosh2Eta) = ((exp2Eta - inverse) * half, (exp2Eta + inverse) * half);
        var (sinRe, sinIm) = (sin2Xi * cosh2Eta, cos2Xi * sinh2Eta);
        var (twoCosRe, twoCosIm) = (2 * cos2Xi * cosh2Eta, -2 * sin2Xi * sinh2Eta);
        T b1Re = default, b1Im = default, b2Re = default, b2Im = default;
        for (var k = beta.Length - 1; k >= 0; k--)
        {
            var re = (twoCosRe * b1Re) - (twoCosIm * b1Im) - b2Re + T.Create(beta[k]);
            var im = (twoCosRe * b1Im) + (twoCosIm * b1Re) - b2Im;
            (b2Re, b2Im, b1Re, b1Im) = (b1Re, b1Im, re, im);
        }

        dXi = (b1Re * sinRe) - (b1Im * sinIm);
        dEta = (b1Re * sinIm) + (b1Im * sinRe);
    }

    /// <summary>What <see cref="Series"/> gives for each lane (fields, so that filling it costs no call).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "A private bundle of lanes.")]
    private struct SeriesLanes<T>
    {
        public T Valid, DXi, SinXiP, CosXiP, SinChi, CosChi, PhiMinusChi, Tangent;
    }

    /// <summary>One vertex by the library's arctangents: for the vertices <see cref="InverseLanes"/> leaves (far outside a zone).</summary>
    private (double Lon, double Lat) InverseByLibrary(double x, double y)
    {
        var (lambda, sinChi, cosChi, phiMinusChi) = Conformal(x, y);
        var phi = Math.Atan2(sinChi, cosChi) + phiMinusChi;
        return (lambda * 180 / Math.PI, phi * 180 / Math.PI);
    }

    /// <summary>
    /// Easting and northing (metres) to longitude λ (radians) and the sine and cosine of latitude φ, without forming
    /// φ itself: what the survey's area needs of every vertex.
    /// </summary>
    internal void InverseSinCos(double x, double y, out double lambda, out double sinPhi, out double cosPhi)
    {
        (lambda, var sinChi, var cosChi, var d) = Conformal(x, y);
        var (sinD, cosD) = SmallAngle.SinCos(d);
        sinPhi = (sinChi * cosD) + (cosChi * sinD);
        cosPhi = (cosChi * cosD) - (sinChi * sinD);
    }

    /// <summary>
    /// <see cref="InverseSinCos(double, double, out double, out double, out double)"/> for four or eight vertices at
    /// once, the same arithmetic lane by lane. False (and nothing written) when a lane's corrections are beyond the
    /// short series' range (a point far outside its zone); the caller then takes those vertices one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool TryInverseSinCos<T>(T x, T y, out T lambda, out T sinPhi, out T cosPhi)
        where T : struct, ILanes<T>
    {
        var a = T.Create(scaledA);
        var xi = y / a;
        var eta = (x - T.Create(falseEasting)) / a;
        var (sinXi, cosXi) = LaneMath.SinCos(xi);
        var lanes = Series(sinXi, cosXi, LaneMath.Exp(eta));
        if (!T.All(lanes.Valid & LaneMath.InRange(xi, eta)))
        {
            (lambda, sinPhi, cosPhi) = (default, default, default);
            return false;
        }

        var (sinE, cosE) = SmallAngle.SinCos(lanes.PhiMinusChi);
        sinPhi = (lanes.SinChi * cosE) + (lanes.CosChi * sinE);
        cosPhi = (lanes.CosChi * cosE) - (lanes.SinChi * sinE);
        lambda = T.Create(centralMeridian) + SmallAngle.Atan(lanes.Tangent);
        return true;
    }

    /// <summary>
    /// Longitude λ (radians), the conformal latitude χ as its sine and cosine, and φ − χ.
    /// </summary>
    /// <remarks>
    /// The two trigonometric series are summed by Clenshaw's recurrence (complex for the first). Each point costs
    /// one SinCos, one Exp and one Atan2: ξ' and η' differ from ξ and η by under 10⁻³, so their sine, cosine and
    /// exponential follow from ξ's and η's by the angle-sum rules with short Taylor series (exact to the last bit at
    /// that size); χ is kept as its sine and cosine. The import of a million parcels inverts some twenty million vertices.
    /// </remarks>
    private (double Lambda, double SinChi, double CosChi, double PhiMinusChi) Conformal(double x, double y)
    {
        var xi = y / scaledA;
        var eta = (x - falseEasting) / scaledA;

        // ζ' = ζ − Σ β_j sin(2jζ), ζ = ξ + iη, summed as Im/Re parts of a complex Clenshaw recurrence.
        var (sinXi, cosXi) = Math.SinCos(xi);
        var (sin2Xi, cos2Xi) = (2 * sinXi * cosXi, (cosXi - sinXi) * (cosXi + sinXi));
        var expEta = Math.Exp(eta);
        var exp2Eta = expEta * expEta;
        var (sinh2Eta, cosh2Eta) = ((exp2Eta - (1 / exp2Eta)) / 2, (exp2Eta + (1 / exp2Eta)) / 2);
        var (sinRe, sinIm) = (sin2Xi * cosh2Eta, cos2Xi * sinh2Eta);
        var (twoCosRe, twoCosIm) = (2 * cos2Xi * cosh2Eta, -2 * sin2Xi * sinh2Eta);
        double b1Re = 0, b1Im = 0, b2Re = 0, b2Im = 0;
        for (var k = beta.Length - 1; k >= 0; k--)
        {
            var re = (twoCosRe * b1Re) - (twoCosIm * b1Im) - b2Re + beta[k];
            var im = (twoCosRe * b1Im) + (twoCosIm * b1Re) - b2Im;
            (b2Re, b2Im, b1Re, b1Im) = (b1Re, b1Im, re, im);
        }

        var dXi = (b1Re * sinRe) - (b1Im * sinIm);
        var dEta = (b1Re * sinIm) + (b1Im * sinRe);

        // sin, cos ξ' and exp η' from ξ's and η's: ξ' = ξ − dξ, η' = η − dη with |dξ|, |dη| < 10⁻³.
        var (sinD, cosD) = SmallAngle.SinCos(dXi);
        var sinXiP = (sinXi * cosD) - (cosXi * sinD);
        var cosXiP = (cosXi * cosD) + (sinXi * sinD);
        var expEtaP = expEta * SmallAngle.Exp(-dEta);
        var (sinhEtaP, coshEtaP) = ((expEtaP - (1 / expEtaP)) / 2, (expEtaP + (1 / expEtaP)) / 2);

        // χ = asin(sin ξ' / cosh η'); cos χ = √(sinh²η' + cos²ξ') / cosh η' (well conditioned at every latitude).
        var sinChi = sinXiP / coshEtaP;
        var cosChi = Math.Sqrt((sinhEtaP * sinhEtaP) + (cosXiP * cosXiP)) / coshEtaP;

        // φ − χ = Σ δ_j sin(2jχ).
        var (sin2Chi, cos2Chi) = (2 * sinChi * cosChi, (cosChi - sinChi) * (cosChi + sinChi));
        double c1 = 0, c2 = 0;
        for (var k = delta.Length - 1; k >= 0; k--)
        {
            (c1, c2) = ((2 * cos2Chi * c1) - c2 + delta[k], c1);
        }

        var lambda = centralMeridian + Math.Atan2(sinhEtaP, cosXiP);
        return (lambda, sinChi, cosChi, c1 * sin2Chi);
    }
}
