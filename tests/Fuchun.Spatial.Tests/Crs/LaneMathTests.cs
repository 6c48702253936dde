using System.Runtime.Intrinsics;
using Fuchun.Spatial.Crs;

namespace Fuchun.Spatial.Tests.Crs;

public sealed class LaneMathTests
{
    // Equal values (+0 and −0 among them) are no units apart; otherwise the distance of same-signed bit patterns.
    private static long Ulps(double a, double b) => a == b ? 0 : Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));

    [Fact]
    public void SinCos_OverItsRange_IsTheLibrarysToTwoUnitsInTheLastPlace()
    {
        var random = new Random(2025);
        var worst = (Sin: 0L, Cos: 0L);
        var edges = new[] { 0.0, -0.0, 1e-300, Math.PI / 4, -Math.PI / 4, Math.BitIncrement(Math.PI / 4), Math.PI / 2, -Math.PI / 2, 0.52, 2.25, -2.25 };
        foreach (var x in edges.Concat(Enumerable.Range(0, 400_000).Select(_ => ((random.NextDouble() * 2) - 1) * LaneMath.SinCosLimit)))
        {
            var (sin, cos) = LaneMath.SinCos(Lanes4.Create(x));

            worst = (Math.Max(worst.Sin, Ulps(sin.V[0], Math.Sin(x))), Math.Max(worst.Cos, Ulps(cos.V[0], Math.Cos(x))));
            Assert.Equal(Math.Sin(x), sin.V[0], 1.2e-16);
            Assert.Equal(Math.Cos(x), cos.V[0], 1.2e-16);
        }

        Assert.InRange(worst.Sin, 0, 2);
        Assert.InRange(worst.Cos, 0, 2);
    }

    [Fact]
    public void Exp_OverItsRange_IsTheLibrarysToAUnitInTheLastPlace()
    {
        var random = new Random(4490);
        foreach (var x in new[] { 0.0, 1e-12, -1e-12, 0.35, -0.35 }.Concat(Enumerable.Range(0, 400_000).Select(_ => ((random.NextDouble() * 2) - 1) * LaneMath.ExpLimit)))
        {
            Assert.InRange(Ulps(LaneMath.Exp(Lanes4.Create(x)).V[0], Math.Exp(x)), 0, 1);
        }
    }

    [Fact]
    public void EachLane_GetsTheBitsItGetsAlone()
    {
        // Neighbours of every size and quadrant must not change a lane's result.
        var xs = Vector256.Create(0.3, -2.2, 1.6, 1e-9);
        var (sin, cos) = LaneMath.SinCos(new Lanes4(xs));
        var exp = LaneMath.Exp(new Lanes4(xs * 0.1));
        for (var k = 0; k < 4; k++)
        {
            var (alone, aloneCos) = LaneMath.SinCos(Lanes4.Create(xs[k]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(alone.V[0]), BitConverter.DoubleToInt64Bits(sin.V[k]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(aloneCos.V[0]), BitConverter.DoubleToInt64Bits(cos.V[k]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(LaneMath.Exp(Lanes4.Create(xs[k] * 0.1)).V[0]), BitConverter.DoubleToInt64Bits(exp.V[k]));
        }
    }

    [Fact]
    public void InRange_IsFalseBeyondTheLimitsAndForWhatIsNotANumber()
    {
        var mask = LaneMath.InRange(
            new Lanes4(Vector256.Create(2.2, 2.3, double.NaN, 0.5)),
            new Lanes4(Vector256.Create(0.3, 0.1, 0.1, double.PositiveInfinity)));

        Assert.Equal(0b0001u, Vector256.ExtractMostSignificantBits(mask.V));
        Assert.Equal(0b0010u, Vector256.ExtractMostSignificantBits(LaneMath.InRange(
            new Lanes4(Vector256.Create(0.0, 0.0, 0.0, 0.0)), new Lanes4(Vector256.Create(0.36, -0.3, -0.36, double.NaN))).V));
    }
}
