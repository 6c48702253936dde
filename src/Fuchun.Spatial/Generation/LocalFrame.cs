using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Generation;

/// <summary>
/// A local east/north frame in metres around an origin on CGCS2000, for generating synthetic shapes.
/// The mapping to longitude and latitude is affine (so shared vertices stay shared and straight edges stay
/// straight); it is accurate to about 1e-4 relative over a few kilometres, which is enough to make shapes and
/// is never used to measure them.
/// </summary>
public sealed class LocalFrame
{
    private readonly double metresPerDegreeLon;
    private readonly double metresPerDegreeLat;

    public LocalFrame(double originLon, double originLat)
    {
        OriginLon = originLon;
        OriginLat = originLat;
        var phi = originLat * Math.PI / 180;
        var e2 = Cgcs2000.EccentricitySquared;
        var w = Math.Sqrt(1 - (e2 * Math.Sin(phi) * Math.Sin(phi)));
        var n = Cgcs2000.SemiMajorAxis / w;                       // prime vertical radius
        var m = Cgcs2000.SemiMajorAxis * (1 - e2) / (w * w * w);  // meridian radius
        metresPerDegreeLon = n * Math.Cos(phi) * Math.PI / 180;
        metresPerDegreeLat = m * Math.PI / 180;
    }

    public double OriginLon { get; }

    public double OriginLat { get; }

    public static GeometryFactory MetricFactory { get; } = new(new PrecisionModel(), 0);

    public Coordinate ToLocal(double lon, double lat) =>
        new((lon - OriginLon) * metresPerDegreeLon, (lat - OriginLat) * metresPerDegreeLat);

    public Coordinate ToLonLat(double x, double y) =>
        new(OriginLon + (x / metresPerDegreeLon), OriginLat + (y / metresPerDegreeLat));

    /// <summary>The geometry in local metres (SRID 0).</summary>
    public Geometry ToLocal(Geometry lonLat) =>
        CoordinateMap.Apply(lonLat, MetricFactory, (lon, lat) => { var c = ToLocal(lon, lat); return (c.X, c.Y); });

    /// <summary>The geometry in CGCS2000 longitude and latitude (SRID 4490).</summary>
    public Geometry ToLonLat(Geometry local) =>
        CoordinateMap.Apply(local, Cgcs2000.Factory, (x, y) => { var c = ToLonLat(x, y); return (c.X, c.Y); });
}
