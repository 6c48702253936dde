using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fuchun.Spatial.Crs;

/// <summary>
/// Sine, cosine, exponential and arctangent of small arguments by short Taylor series, exact to the last bit
/// within <see cref="Limit"/> (truncation below 10⁻²¹ relative; the arctangent's below 10⁻¹⁷ within
/// <see cref="AtanLimit"/>). The scalar forms hand larger arguments to <see cref="Math"/>; the lane forms
/// leave the range check to the caller. For the Gauss–Krüger series, where a full library call per vertex was
/// most of the cost of an area.
/// </summary>
/// <remarks>
/// The lane forms are inlined into their callers, the fully optimised Gauss–Krüger kernels: no code that
/// touches <see cref="Vector256{T}"/> is in the ReadyToRun image, so on their own they started unoptimised and
/// stayed so while a busy command kept compiling other methods (a tenth of `fuchun area`'s samples).
/// </remarks>
internal static class SmallAngle
{
    /// <summary>The largest argument of the sine, cosine and exponential series.</summary>
    public const double Limit = 1e-2;

    /// <summary>The largest argument of the arctangent series.</summary>
    public const double AtanLimit = 0.1;

    public static (double Sin, double Cos) SinCos(double d)
    {
        if (Math.Abs(d) >= Limit)
        {
            return Math.SinCos(d);
        }

        var d2 = d * d;
        var sin = d * (1 - (d2 / 6 * (1 - (d2 / 20 * (1 - (d2 / 42))))));
        var cos = 1 - (d2 / 2 * (1 - (d2 / 12 * (1 - (d2 / 30 * (1 - (d2 / 56)))))));
        return (sin, cos);
    }

    public static double Exp(double d)
    {
        if (Math.Abs(d) >= Limit)
        {
            return Math.Exp(d);
        }

        // Horner form of Σ dᵏ/k!, k ≤ 8.
        var sum = 1.0;
        for (var k = 8; k >= 1; k--)
        {
            sum = 1 + (d / k * sum);
        }

        return sum;
    }

    /// <summary>sin and cos of lanes each under <see cref="Limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (T Sin, T Cos) SinCos<T>(T d)
        where T : struct, ILanes<T> => LaneMath.SinCosSeries(d, SinReciprocals, CosReciprocals);

    /// <summary>exp of lanes each under <see cref="Limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T d)
        where T : struct, ILanes<T> => LaneMath.ExpSeries(d, ExpReciprocals);

    /// <summary>atan of lanes each under <see cref="AtanLimit"/>: t·Σ (−t²)ᵏ/(2k+1), k ≤ 7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Atan<T>(T t)
        where T : struct, ILanes<T>
    {
        var u = t * t;
        var sum = T.Create(1.0 / 15);
        foreach (var reciprocal in AtanReciprocals)
        {
            sum = T.Create(reciprocal) - (u * sum);
        }

        return t * sum;
    }

    // The series' coefficients as constants: in a loop the JIT divided 1.0 / k for each term of every call
    // (fifteen scalar divisions per four vertices of an area). The same quotients, so the same bits.

    /// <summary>1/((2j)(2j+1)) for j = 3 … 1: the sine's to d⁷, as the scalar form.</summary>
    private static ReadOnlySpan<double> SinReciprocals => [1.0 / 42, 1.0 / 20, 1.0 / 6];

    /// <summary>1/((2j−1)(2j)) for j = 4 … 1: the cosine's to d⁸, as the scalar form.</summary>
    private static ReadOnlySpan<double> CosReciprocals => [1.0 / 56, 1.0 / 30, 1.0 / 12, 1.0 / 2];

    /// <summary>1/k for k = 8 … 1, the exponential's Horner order.</summary>
    private static ReadOnlySpan<double> ExpReciprocals => [1.0 / 8, 1.0 / 7, 1.0 / 6, 1.0 / 5, 1.0 / 4, 1.0 / 3, 1.0 / 2, 1.0 / 1];

    /// <summary>1/(2k+1) for k = 6 … 0, the arctangent's Horner order.</summary>
    private static ReadOnlySpan<double> AtanReciprocals => [1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1.0 / 1];
}
