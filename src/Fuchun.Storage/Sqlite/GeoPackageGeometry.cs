using Fuchun.Spatial.IO;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;

namespace Fuchun.Storage.Sqlite;

/// <summary>
/// Geometry in the embedded store is kept as OGC GeoPackage binary (<see cref="GeoPackageBlob"/>), so the database
/// file is a GeoPackage that QGIS and GDAL read as it is. These are the EF Core pieces that map it.
/// </summary>
public static class GeoPackageGeometry
{
    /// <summary>EF value converter MultiPolygon ↔ GeoPackage blob.</summary>
    public static ValueConverter<MultiPolygon, byte[]> Converter { get; } =
        new(g => GeoPackageBlob.Write(g), b => GeoPackageBlob.ReadMultiPolygon(b));

    /// <summary>Compares geometries by exact coordinates (geometries are replaced, never mutated in place).</summary>
    public static ValueComparer<MultiPolygon> Comparer { get; } = new(
        (a, b) => ReferenceEquals(a, b) || (a != null && b != null && a.EqualsExact(b)),
        g => g.NumPoints,
        g => (MultiPolygon)g.Copy());
}
