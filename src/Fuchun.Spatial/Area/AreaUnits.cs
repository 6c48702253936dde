namespace Fuchun.Spatial.Area;

/// <summary>
/// Conversions between square metres, the unit every area is kept in, and the units shown to users.
/// 1 亩 (mu) = 10000/15 m²; 1 hectare = 10000 m².
/// </summary>
public static class AreaUnits
{
    /// <summary>Square metres in one 亩.</summary>
    public const double SquareMetresPerMu = 10000.0 / 15.0;

    /// <summary>Square metres in one hectare.</summary>
    public const double SquareMetresPerHectare = 10000.0;

    public static double ToMu(double areaM2) => areaM2 / SquareMetresPerMu;

    public static double ToHectares(double areaM2) => areaM2 / SquareMetresPerHectare;

    public static double FromMu(double mu) => mu * SquareMetresPerMu;
}
