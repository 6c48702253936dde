using System.Runtime.Intrinsics;

namespace Fuchun.Spatial.Crs;

/// <summary>
/// Sine, cosine, exponential and arctangent of small arguments by short Taylor series, exact to the last bit
/// within <see cref="Limit"/> (truncation below 10⁻²¹ relative; the arctangent's below 10⁻¹⁷ within
/// <see cref="AtanLimit"/>). The scalar forms hand larger arguments to <see cref="Math"/>; the four-lane forms
/// leave the range check to the caller. For the Gauss–Krüger series, where a full library call per vertex was
/// most of the cost of an area.
/// </summary>
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

    /// <summary>sin and cos of four arguments each under <see cref="Limit"/>.</summary>
    public static (Vector256<double> Sin, Vector256<double> Cos) SinCos(Vector256<double> d)
    {
        var one = Vector256<double>.One;
        var d2 = d * d;
        var sin = d * (one - (d2 * (1.0 / 6) * (one - (d2 * (1.0 / 20) * (one - (d2 * (1.0 / 42)))))));
        var cos = one - (d2 * 0.5 * (one - (d2 * (1.0 / 12) * (one - (d2 * (1.0 / 30) * (one - (d2 * (1.0 / 56))))))));
        return (sin, cos);
    }

    /// <summary>exp of four arguments each under <see cref="Limit"/>.</summary>
    public static Vector256<double> Exp(Vector256<double> d)
    {
        var one = Vector256<double>.One;
        var sum = one;
        for (var k = 8; k >= 1; k--)
        {
            sum = one + (d * (1.0 / k) * sum);
        }

        return sum;
    }

    /// <summary>atan of four arguments each under <see cref="AtanLimit"/>: t·Σ (−t²)ᵏ/(2k+1), k ≤ 7.</summary>
    public static Vector256<double> Atan(Vector256<double> t)
    {
        var u = t * t;
        var sum = Vector256.Create(1.0 / 15);
        for (var k = 6; k >= 0; k--)
        {
            sum = Vector256.Create(1.0 / ((2 * k) + 1)) - (u * sum);
        }

        return t * sum;
    }
}
