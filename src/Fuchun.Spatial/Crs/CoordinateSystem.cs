namespace Fuchun.Spatial.Crs;

/// <summary>The geodetic datums of the data users bring.</summary>
public enum Datum
{
    /// <summary>China Geodetic Coordinate System 2000, the datum of the Third National Land Survey.</summary>
    Cgcs2000,

    Wgs84,

    /// <summary>Xi'an 1980 (IAG-75 ellipsoid), the datum of the Second National Land Survey.</summary>
    Xian1980,

    /// <summary>Beijing 1954 (Krasovsky ellipsoid).</summary>
    Beijing1954,
}

/// <summary>
/// A coordinate reference system the platform reads and writes: geographic (longitude, latitude in degrees) or a
/// Gauss–Krüger 3° zone (easting with or without the zone number prefixed, northing, in metres).
/// </summary>
public sealed record CoordinateSystem(int Epsg, string Name, Datum Datum, double? CentralMeridian = null, double FalseEasting = 0, int? Zone = null)
{
    public bool IsGeographic => CentralMeridian is null;

    public Ellipsoid Ellipsoid => Datum switch
    {
        Datum.Cgcs2000 => Ellipsoid.Cgcs2000,
        Datum.Wgs84 => Ellipsoid.Wgs84,
        Datum.Xian1980 => Ellipsoid.Iag75,
        _ => Ellipsoid.Krasovsky,
    };

    /// <summary>The projection of a Gauss–Krüger system; throws for a geographic one.</summary>
    public GaussKruger Projection() => CentralMeridian is { } cm
        ? new GaussKruger(Ellipsoid, cm, FalseEasting)
        : throw new InvalidOperationException($"EPSG:{Epsg} is geographic");
}
