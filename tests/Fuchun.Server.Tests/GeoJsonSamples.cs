using System.Globalization;
using Fuchun.Domain.Reference;

namespace Fuchun.Server.Tests;

/// <summary>Small polygons inside a real district, as GeoJSON text.</summary>
internal static class GeoJsonSamples
{
    /// <summary>A point well inside 富阳区 (its boundary's interior point).</summary>
    public static (double Lon, double Lat) InFuyang { get; } = Interior("330111");

    private static (double, double) Interior(string code)
    {
        var p = HangzhouReferenceData.FindDistrict(code)!.Boundary.InteriorPoint;
        return (p.X, p.Y);
    }

    public static string Square(double lon, double lat, double size) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{lon}},{{lat}}],[{{lon + size}},{{lat}}],[{{lon + size}},{{lat + size}}],[{{lon}},{{lat + size}}],[{{lon}},{{lat}}]]]}""");

    public static string Zones(params (string Id, string Name, string Geometry)[] zones) =>
        $$"""{"type":"FeatureCollection","features":[{{string.Join(",", zones.Select(z =>
            $$"""{"type":"Feature","properties":{"zone_id":"{{z.Id}}","name":"{{z.Name}}"},"geometry":{{z.Geometry}}}"""))}}]}""";

    public const string BowTie = """{"type":"Polygon","coordinates":[[[119.9,30.0],[119.91,30.01],[119.91,30.0],[119.9,30.01],[119.9,30.0]]]}""";
}
