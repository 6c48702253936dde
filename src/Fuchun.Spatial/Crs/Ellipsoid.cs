namespace Fuchun.Spatial.Crs;

/// <summary>A reference ellipsoid: semi-major axis <c>a</c> in metres and inverse flattening <c>1/f</c>.</summary>
public sealed record Ellipsoid(string Name, double SemiMajorAxis, double InverseFlattening)
{
    /// <summary>CGCS2000 (numerically GRS80 but for 1/f's last digits, which agree to 1e-10).</summary>
    public static Ellipsoid Cgcs2000 { get; } = new("CGCS2000", 6378137.0, 298.257222101);

    public static Ellipsoid Wgs84 { get; } = new("WGS 84", 6378137.0, 298.257223563);

    /// <summary>IAG-75, the ellipsoid of the Xi'an 1980 datum.</summary>
    public static Ellipsoid Iag75 { get; } = new("IAG 1975", 6378140.0, 298.257);

    /// <summary>Krasovsky 1940, the ellipsoid of the Beijing 1954 datum.</summary>
    public static Ellipsoid Krasovsky { get; } = new("Krasovsky 1940", 6378245.0, 298.3);

    public double Flattening => 1 / InverseFlattening;

    public double SemiMinorAxis => SemiMajorAxis * (1 - Flattening);

    /// <summary>First eccentricity squared, e² = f(2 − f).</summary>
    public double EccentricitySquared => Flattening * (2 - Flattening);

    /// <summary>The third flattening n = f / (2 − f), the parameter of the Krüger series.</summary>
    public double ThirdFlattening => Flattening / (2 - Flattening);
}
