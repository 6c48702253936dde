using System.Globalization;

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

    /// <summary>
    /// The OGC WKT 1 definition (with its EPSG authority), as GDAL writes into a <c>.prj</c> or a GeoPackage's
    /// <c>gpkg_spatial_ref_sys</c>; <see cref="CoordinateSystems.FromWkt"/> reads it back to this system.
    /// </summary>
    public string ToWkt()
    {
        var (datumName, datumCode, spheroidName, spheroidCode, geographicCode) = Datum switch
        {
            Datum.Cgcs2000 => ("China_2000", 1043, "CGCS2000", 1024, 4490),
            Datum.Wgs84 => ("WGS_1984", 6326, "WGS 84", 7030, 4326),
            Datum.Xian1980 => ("Xian_1980", 6610, "IAG 1975", 7049, 4610),
            _ => ("Beijing_1954", 6214, "Krassowsky 1940", 7024, 4214),
        };
        var e = Ellipsoid;
        var geographicName = CoordinateSystems.Get(geographicCode).Name;
        var geographic = string.Create(CultureInfo.InvariantCulture,
            $"GEOGCS[\"{geographicName}\",DATUM[\"{datumName}\",SPHEROID[\"{spheroidName}\",{e.SemiMajorAxis:R},{e.InverseFlattening:R},AUTHORITY[\"EPSG\",\"{spheroidCode}\"]],AUTHORITY[\"EPSG\",\"{datumCode}\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]]");
        if (CentralMeridian is not { } cm)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{geographic},AUTHORITY[\"EPSG\",\"{Epsg}\"]]");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"PROJCS[\"{Name}\",{geographic},AUTHORITY[\"EPSG\",\"{geographicCode}\"]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{cm:R}],PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",{FalseEasting:R}],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Northing\",NORTH],AXIS[\"Easting\",EAST],AUTHORITY[\"EPSG\",\"{Epsg}\"]]");
    }

    /// <summary>The projection of a Gauss–Krüger system; throws for a geographic one.</summary>
    public GaussKruger Projection() => CentralMeridian is { } cm
        ? new GaussKruger(Ellipsoid, cm, FalseEasting)
        : throw new InvalidOperationException($"EPSG:{Epsg} is geographic");
}
