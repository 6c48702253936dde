using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Fuchun.Storage.Sqlite;

/// <summary>
/// Geometry in the embedded store is kept as OGC GeoPackage binary (a header with SRS id and envelope, then
/// WKB), so the database file is a GeoPackage that QGIS and GDAL read as it is.
/// </summary>
public static class GeoPackageGeometry
{
    public static byte[] Write(Geometry geometry)
    {
        var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
        return writer.Write(geometry);
    }

    public static MultiPolygon ReadMultiPolygon(byte[] blob)
    {
        var geometry = new GeoPackageGeoReader { HandleSRID = true }.Read(blob);
        return geometry switch
        {
            MultiPolygon mp => mp,
            Polygon p => p.Factory.CreateMultiPolygon([p]),
            _ => throw new InvalidDataException($"expected a (multi)polygon, found {geometry.GeometryType}"),
        };
    }

    /// <summary>EF value converter MultiPolygon ↔ GeoPackage blob.</summary>
    public static ValueConverter<MultiPolygon, byte[]> Converter { get; } =
        new(g => Write(g), b => ReadMultiPolygon(b));

    /// <summary>Compares geometries by exact coordinates (geometries are replaced, never mutated in place).</summary>
    public static ValueComparer<MultiPolygon> Comparer { get; } = new(
        (a, b) => ReferenceEquals(a, b) || (a != null && b != null && a.EqualsExact(b)),
        g => g.NumPoints,
        g => (MultiPolygon)g.Copy());

    /// <summary>
    /// Registers the SQL functions the GeoPackage R-tree triggers call (ST_IsEmpty, ST_MinX, ST_MaxX, ST_MinY,
    /// ST_MaxY), reading the envelope straight from the blob header as GDAL does.
    /// </summary>
    public static void RegisterFunctions(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.CreateFunction("ST_IsEmpty", (byte[]? b) => b is null ? (long?)null : IsEmpty(b) ? 1 : 0, isDeterministic: true);
        connection.CreateFunction("ST_MinX", (byte[]? b) => Bound(b, 0), isDeterministic: true);
        connection.CreateFunction("ST_MaxX", (byte[]? b) => Bound(b, 1), isDeterministic: true);
        connection.CreateFunction("ST_MinY", (byte[]? b) => Bound(b, 2), isDeterministic: true);
        connection.CreateFunction("ST_MaxY", (byte[]? b) => Bound(b, 3), isDeterministic: true);
    }

    // Header: 'G' 'P' version flags srs_id(4) envelope(0/32/48/64 bytes). Flags bit 0: little endian;
    // bits 1-3: envelope kind; bit 4: empty geometry.
    private static bool IsEmpty(byte[] b) => b.Length < 8 || (b[3] & 0x10) != 0;

    private static double? Bound(byte[]? b, int index)
    {
        if (b is null || IsEmpty(b))
        {
            return null;
        }

        var envelopeKind = (b[3] >> 1) & 0x07;
        if (envelopeKind == 0)
        {
            var env = new GeoPackageGeoReader().Read(b).EnvelopeInternal;
            return index switch { 0 => env.MinX, 1 => env.MaxX, 2 => env.MinY, _ => env.MaxY };
        }

        var littleEndian = (b[3] & 0x01) != 0;
        var span = b.AsSpan(8 + (index * 8), 8);
        var bits = littleEndian ? System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(span)
            : System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(span);
        return BitConverter.Int64BitsToDouble(bits);
    }
}
