using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fuchun.Spatial.Crs;

/// <summary>
/// Sine, cosine and exponential of lanes over the ranges the Gauss–Krüger inverse meets (ξ, the northing over the
/// meridian's rectifying radius, up to <see cref="SinCosLimit"/>; η, the easting's, up to <see cref="ExpLimit"/>),
/// by Taylor series within two units in the last place of the library's. Lanes beyond those ranges, or not numbers,
/// are for the caller to take another way (<see cref="InRange"/>).
/// </summary>
/// <remarks>
/// Written here rather than taken from <see cref="Vector256.SinCos(Vector256{double})"/> and
/// <see cref="Vector256.Exp(Vector256{double})"/> for two reasons, both measured: the framework's vector forms are
/// generic methods that no ReadyToRun image holds for doubles, so a command of a few seconds ran them as unoptimised
/// code for much of its life (11 % of `fuchun area`'s samples, against 2.6 % once optimised); and they choose their
/// method by all four lanes at once, so a vertex's bits could depend on its neighbours. These are inlined into the
/// fully optimised kernels and work each lane alone.
/// </remarks>
internal static class LaneMath
{
    /// <summary>The largest |ξ| <see cref="SinCos{T}"/> takes: within three eighths of a turn, one quarter-turn off.</summary>
    public const double SinCosLimit = 2.25;

    /// <summary>The largest |η| <see cref="Exp{T}"/> takes: about 2 200 km of easting from the central meridian.</summary>
    public const double ExpLimit = 0.35;

    /// <summary>π/2 as a double, and what it falls short of π/2 by.</summary>
    private const double HalfPiHigh = Math.PI / 2, HalfPiLow = 6.123233995736766e-17;

    /// <summary>All ones where sin, cos of <paramref name="xi"/> and exp of <paramref name="eta"/> hold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InRange<T>(T xi, T eta)
        where T : struct, ILanes<T> =>
        T.LessThan(T.Abs(xi), T.Create(SinCosLimit)) & T.LessThan(T.Abs(eta), T.Create(ExpLimit));

    /// <summary>
    /// sin x and cos x for |x| ≤ <see cref="SinCosLimit"/>: x less the nearest multiple k·π/2 (k = −1, 0 or 1, so
    /// the products are exact and the difference too, by Sterbenz's lemma), whose sine and cosine are series in
    /// r, |r| ≤ π/4, to r¹⁷ and r¹⁸ (truncation under 10⁻¹⁹); then a quarter turn back where k is not 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T Sin, T Cos) SinCos<T>(T x)
        where T : struct, ILanes<T>
    {
        var one = T.Create(1.0);
        var k = T.Round(x * (2 / Math.PI));
        var r = x - (k * HalfPiHigh) - (k * HalfPiLow);
        var (sin, cos) = SinCosSeries(r, SinReciprocals, CosReciprocals);

        // k = 0: (sin r, cos r); k = 1: (cos r, −sin r); k = −1: (−cos r, sin r). Products by 0 and ±1 are exact.
        var unturned = one - (k * k);
        return ((unturned * sin) + (k * cos), (unturned * cos) - (k * sin));
    }

    /// <summary>
    /// sin r = r(1 − r²c₁(1 − r²c₂(1 − …))) and cos r = 1 − r²d₁(1 − r²d₂(1 − …)), evaluated from the inside out,
    /// with c and d given innermost first (1/((2j)(2j+1)) and 1/((2j−1)(2j)) from the highest j down).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (T Sin, T Cos) SinCosSeries<T>(T r, ReadOnlySpan<double> sinReciprocals, ReadOnlySpan<double> cosReciprocals)
        where T : struct, ILanes<T>
    {
        var one = T.Create(1.0);
        var r2 = r * r;
        var sin = one;
        foreach (var reciprocal in sinReciprocals)
        {
            sin = one - (r2 * reciprocal * sin);
        }

        var cos = one;
        foreach (var reciprocal in cosReciprocals)
        {
            cos = one - (r2 * reciprocal * cos);
        }

        return (r * sin, cos);
    }

    /// <summary>exp x for |x| ≤ <see cref="ExpLimit"/>: Σ xᵏ/k!, k ≤ 14, in Horner form (truncation under 10⁻¹⁸).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : struct, ILanes<T> => ExpSeries(x, ExpReciprocals);

    /// <summary>
    /// Σ xᵏ/k! up to the k whose 1/k comes first in <paramref name="reciprocals"/> (1/k from there down to 1/1), as
    /// 1 + x/1 (1 + x/2 (1 + …)) evaluated from the inside out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T ExpSeries<T>(T x, ReadOnlySpan<double> reciprocals)
        where T : struct, ILanes<T>
    {
        var one = T.Create(1.0);
        var sum = one;
        foreach (var reciprocal in reciprocals)
        {
            sum = one + (x * reciprocal * sum);
        }

        return sum;
    }

    /// <summary>1/((2j)(2j+1)) for j = 8 … 1: sin r = r(1 − r²/6 (1 − r²/20 (1 − …))).</summary>
    private static ReadOnlySpan<double> SinReciprocals =>
        [1.0 / 272, 1.0 / 210, 1.0 / 156, 1.0 / 110, 1.0 / 72, 1.0 / 42, 1.0 / 20, 1.0 / 6];

    /// <summary>1/((2j−1)(2j)) for j = 9 … 1: cos r = 1 − r²/2 (1 − r²/12 (1 − …)).</summary>
    private static ReadOnlySpan<double> CosReciprocals =>
        [1.0 / 306, 1.0 / 240, 1.0 / 182, 1.0 / 132, 1.0 / 90, 1.0 / 56, 1.0 / 30, 1.0 / 12, 1.0 / 2];

    /// <summary>1/k for k = 14 … 1.</summary>
    private static ReadOnlySpan<double> ExpReciprocals =>
        [1.0 / 14, 1.0 / 13, 1.0 / 12, 1.0 / 11, 1.0 / 10, 1.0 / 9, 1.0 / 8, 1.0 / 7, 1.0 / 6, 1.0 / 5, 1.0 / 4, 1.0 / 3, 1.0 / 2, 1.0 / 1];
}
