using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial;

/// <summary>
/// The China Geodetic Coordinate System 2000 (CGCS2000, EPSG:4490): the datum of every coordinate the
/// platform stores. Geographic coordinates are longitude (X) then latitude (Y), in degrees.
/// </summary>
public static class Cgcs2000
{
    /// <summary>EPSG code of CGCS2000 geographic coordinates (longitude, latitude in degrees).</summary>
    public const int Srid = 4490;

    /// <summary>Semi-major axis, metres.</summary>
    public const double SemiMajorAxis = 6378137.0;

    /// <summary>Inverse flattening of the CGCS2000 ellipsoid (differs from GRS80's 298.257222101 only in name).</summary>
    public const double InverseFlattening = 298.257222101;

    /// <summary>Flattening f = 1 / 298.257222101.</summary>
    public const double Flattening = 1.0 / InverseFlattening;

    /// <summary>First eccentricity squared, e² = f(2 − f).</summary>
    public const double EccentricitySquared = Flattening * (2 - Flattening);

    /// <summary>
    /// Factory for geometries in EPSG:4490. Coordinates keep full double precision: survey coordinates are
    /// stored as delivered.
    /// </summary>
    public static GeometryFactory Factory { get; } =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(), Srid);

    /// <summary>
    /// Factory for EPSG:4490 geometries whose coordinates sit in flat arrays of doubles instead of an object per
    /// vertex: what imports of millions of parcels build, for a third of the memory and far less garbage.
    /// </summary>
    public static GeometryFactory PackedFactory { get; } =
        new(new PrecisionModel(), Srid, NetTopologySuite.Geometries.Implementation.PackedCoordinateSequenceFactory.DoubleFactory);

    /// <summary>The OGC WKT of EPSG:4490, as registered in GeoPackage <c>gpkg_spatial_ref_sys</c>.</summary>
    public const string Wkt =
        "GEOGCS[\"China Geodetic Coordinate System 2000\",DATUM[\"China_2000\",SPHEROID[\"CGCS2000\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"1024\"]],AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4490\"]]";
}
