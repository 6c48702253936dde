namespace Fuchun.Domain.Demo;

/// <summary>
/// A smooth, deterministic random field over the plane (a sum of plane waves with random directions and
/// phases), used to give land use spatially correlated patterns instead of salt and pepper.
/// </summary>
internal sealed class SmoothField
{
    private readonly (double Kx, double Ky, double Phase, double Amplitude)[] waves;

    public SmoothField(Random random, double minWavelengthM, double maxWavelengthM, int count = 7)
    {
        waves = new (double, double, double, double)[count];
        for (var i = 0; i < count; i++)
        {
            var wavelength = minWavelengthM + (random.NextDouble() * (maxWavelengthM - minWavelengthM));
            var angle = random.NextDouble() * Math.PI;
            var k = 2 * Math.PI / wavelength;
            waves[i] = (k * Math.Cos(angle), k * Math.Sin(angle), random.NextDouble() * 2 * Math.PI, 0.5 + random.NextDouble());
        }
    }

    /// <summary>The raw field value, roughly in [−1, 1]; callers rank-normalise it.</summary>
    public double At(double x, double y)
    {
        double sum = 0, norm = 0;
        foreach (var (kx, ky, phase, amplitude) in waves)
        {
            sum += amplitude * Math.Sin((kx * x) + (ky * y) + phase);
            norm += amplitude;
        }

        return sum / norm;
    }
}

/// <summary>Maps raw field values to their quantile among a reference sample, so thresholds are shares of area.</summary>
internal sealed class Quantiles(IEnumerable<double> sample)
{
    private readonly double[] sorted = [.. sample.Order()];

    public double Of(double value)
    {
        var i = Array.BinarySearch(sorted, value);
        if (i < 0)
        {
            i = ~i;
        }

        return sorted.Length == 0 ? 0.5 : (double)i / sorted.Length;
    }
}
