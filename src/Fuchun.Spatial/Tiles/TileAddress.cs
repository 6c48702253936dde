using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tiles;

/// <summary>
/// A tile of the web-mercator (EPSG:3857) tile pyramid, XYZ scheme (y counted from the north). Its envelope is
/// given in longitude and latitude, which is how CGCS2000 data is queried (CGCS2000 and WGS 84 differ by
/// centimetres, far below a pixel).
/// </summary>
public readonly record struct TileAddress(int Z, int X, int Y)
{
    /// <summary>The deepest zoom the platform serves.</summary>
    public const int MaxZoom = 22;

    public bool IsValid => Z is >= 0 and <= MaxZoom && X >= 0 && Y >= 0 && X < (1 << Z) && Y < (1 << Z);

    /// <summary>The tile's extent in longitude/latitude degrees.</summary>
    public Envelope LonLatEnvelope() => LonLatEnvelope(0);

    /// <summary>
    /// The tile's extent widened by <paramref name="buffer"/> units of a tile <paramref name="extent"/> units wide,
    /// in longitude/latitude degrees: exactly the web-mercator box a tile server clips to (longitude is linear in
    /// mercator x, latitude a monotone function of y, so the box maps to a longitude/latitude box).
    /// </summary>
    public Envelope LonLatEnvelope(double buffer, int extent = 4096)
    {
        var n = 1 << Z;
        var pad = buffer / extent;
        static double Lat(double yFraction) => Math.Atan(Math.Sinh(Math.PI * (1 - (2 * yFraction)))) * 180 / Math.PI;
        return new Envelope(
            ((X - pad) * 360.0 / n) - 180, ((X + 1 + pad) * 360.0 / n) - 180,
            Lat((Y + 1 + pad) / n), Lat((Y - pad) / n));
    }

    /// <summary>
    /// The box a tile's features are chosen by: <see cref="LonLatEnvelope()"/> rounded outward to single precision
    /// (see <see cref="RoundOutward"/>). Both stores take a feature into a tile when its box, rounded the same way,
    /// meets this one.
    /// </summary>
    public Envelope CandidateBox() => RoundOutward(LonLatEnvelope());

    /// <summary>
    /// A box rounded outward to single precision, as PostGIS keeps a geometry's box (and a query's) for its
    /// <c>&amp;&amp;</c> test. Testing these boxes on both backends puts a parcel lying just beyond a tile's edge (in
    /// its buffer only) into neither store's tile or into both.
    /// </summary>
    public static Envelope RoundOutward(Envelope box)
    {
        ArgumentNullException.ThrowIfNull(box);
        static double Down(double v) => (float)v > v ? MathF.BitDecrement((float)v) : (float)v;
        static double Up(double v) => (float)v < v ? MathF.BitIncrement((float)v) : (float)v;
        return new Envelope(Down(box.MinX), Up(box.MaxX), Down(box.MinY), Up(box.MaxY));
    }

    /// <summary>The tile at zoom <paramref name="z"/> that contains a point (longitude, latitude in degrees).</summary>
    public static TileAddress Containing(double lon, double lat, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var latRad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n);
        return new TileAddress(z, Math.Clamp(x, 0, n - 1), Math.Clamp(y, 0, n - 1));
    }

    /// <summary>The size of one pixel of a 4096-unit tile at this zoom, in degrees of longitude.</summary>
    public double PixelDegrees(int extent = 4096) => 360.0 / (1 << Z) / extent;
}
