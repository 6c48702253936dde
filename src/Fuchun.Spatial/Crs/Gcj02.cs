namespace Fuchun.Spatial.Crs;

/// <summary>
/// GCJ-02, the obfuscated datum of Chinese web maps (AMap, Tencent; DataV boundaries), converted to
/// WGS 84/CGCS2000 longitude and latitude by iterating the public reconstruction of its forward formula until it
/// reproduces the input to 1e-10°. The conversion is exactly as good as that public formula, which is not an
/// official transformation: fit for locating features digitised on a web map, not for survey-grade work.
/// </summary>
public static class Gcj02
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    /// <summary>True where GCJ-02 applies an offset (mainland China's bounding box); elsewhere it is WGS 84.</summary>
    public static bool Applies(double lon, double lat) => lon is >= 72.004 and <= 137.8347 && lat is >= 0.8293 and <= 55.8271;

    /// <summary>WGS 84 → GCJ-02 (the public formula).</summary>
    public static (double Lon, double Lat) FromWgs84(double lon, double lat)
    {
        if (!Applies(lon, lat))
        {
            return (lon, lat);
        }

        var (dLon, dLat) = (Lon(lon - 105, lat - 35), Lat(lon - 105, lat - 35));
        var radLat = lat / 180 * Math.PI;
        var magic = 1 - (Ee * Math.Sin(radLat) * Math.Sin(radLat));
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (lon + dLon, lat + dLat);
    }

    /// <summary>GCJ-02 → WGS 84 (taken as CGCS2000), by fixed-point iteration of <see cref="FromWgs84"/>.</summary>
    public static (double Lon, double Lat) ToWgs84(double lon, double lat)
    {
        var (x, y) = (lon, lat);
        for (var i = 0; i < 30; i++)
        {
            var (gx, gy) = FromWgs84(x, y);
            var (dx, dy) = (lon - gx, lat - gy);
            x += dx;
            y += dy;
            if (Math.Abs(dx) < 1e-10 && Math.Abs(dy) < 1e-10)
            {
                break;
            }
        }

        return (x, y);
    }

    private static double Lat(double x, double y) =>
        -100 + (2 * x) + (3 * y) + (0.2 * y * y) + (0.1 * x * y) + (0.2 * Math.Sqrt(Math.Abs(x)))
        + ((20 * Math.Sin(6 * x * Math.PI)) + (20 * Math.Sin(2 * x * Math.PI))) * 2 / 3
        + ((20 * Math.Sin(y * Math.PI)) + (40 * Math.Sin(y / 3 * Math.PI))) * 2 / 3
        + ((160 * Math.Sin(y / 12 * Math.PI)) + (320 * Math.Sin(y * Math.PI / 30))) * 2 / 3;

    private static double Lon(double x, double y) =>
        300 + x + (2 * y) + (0.1 * x * x) + (0.1 * x * y) + (0.1 * Math.Sqrt(Math.Abs(x)))
        + ((20 * Math.Sin(6 * x * Math.PI)) + (20 * Math.Sin(2 * x * Math.PI))) * 2 / 3
        + ((20 * Math.Sin(x * Math.PI)) + (40 * Math.Sin(x / 3 * Math.PI))) * 2 / 3
        + ((150 * Math.Sin(x / 12 * Math.PI)) + (300 * Math.Sin(x / 30 * Math.PI))) * 2 / 3;
}
