using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Fuchun.Spatial.IO;

/// <summary>
/// OGC GeoPackage geometry blobs (a header with SRS id and envelope, then WKB), and the SQL functions the
/// GeoPackage R-tree triggers call.
/// </summary>
public static class GeoPackageBlob
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
        var bits = littleEndian ? BinaryPrimitives.ReadInt64LittleEndian(span) : BinaryPrimitives.ReadInt64BigEndian(span);
        return BitConverter.Int64BitsToDouble(bits);
    }
}
