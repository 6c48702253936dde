using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;
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

    /// <summary>
    /// A multipolygon held flat (<see cref="PolygonEwkb.CanWrite"/>) as the blob <see cref="Write"/> makes of it,
    /// appended to <paramref name="output"/>, its header's envelope <paramref name="bounds"/> (the geometry's
    /// <see cref="FlatCoordinates.Bounds(MultiPolygon)"/>, which the caller has at hand): written in place for a
    /// layer's million rows, with no stream, writer, envelope or array per parcel.
    /// </summary>
    public static int WritePolygons(MultiPolygon geometry, (double MinX, double MaxX, double MinY, double MaxY) bounds, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(output);
        var wkb = PolygonEwkb.Size(geometry, withSrid: false);
        var size = HeaderSize + wkb;
        var span = output.GetSpan(size)[..size];
        Header(span, geometry.SRID, bounds);
        PolygonEwkb.WriteTo(span[HeaderSize..], geometry, withSrid: false);
        output.Advance(size);
        return size;
    }

    /// <summary>
    /// A multipolygon of one polygon without holes, given as its shell (interleaved x, y) and its SRID, as the blob
    /// <see cref="WritePolygons"/> makes of that geometry, appended to <paramref name="output"/>.
    /// </summary>
    public static int WriteShell(ReadOnlySpan<double> shell, int srid, (double MinX, double MaxX, double MinY, double MaxY) bounds, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = HeaderSize + PolygonEwkb.ShellSize(shell, withSrid: false);
        var span = output.GetSpan(size)[..size];
        Header(span, srid, bounds);
        PolygonEwkb.WriteShellTo(span[HeaderSize..], shell, srid, withSrid: false);
        output.Advance(size);
        return size;
    }

    private static void Header(Span<byte> span, int srid, (double MinX, double MaxX, double MinY, double MaxY) bounds)
    {
        (span[0], span[1], span[2], span[3]) = ((byte)'G', (byte)'P', 0, XyEnvelopeLittleEndian);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], srid);
        BinaryPrimitives.WriteDoubleLittleEndian(span[8..], bounds.MinX);
        BinaryPrimitives.WriteDoubleLittleEndian(span[16..], bounds.MaxX);
        BinaryPrimitives.WriteDoubleLittleEndian(span[24..], bounds.MinY);
        BinaryPrimitives.WriteDoubleLittleEndian(span[32..], bounds.MaxY);
    }

    // Flags: envelope kind 1 (min x, max x, min y, max y) in bits 1-3, little-endian in bit 0.
    private const byte XyEnvelopeLittleEndian = (1 << 1) | 1;
    private const int HeaderSize = 8 + 32;

    public static MultiPolygon ReadMultiPolygon(byte[] blob) => ReadMultiPolygon(new GeoPackageGeoReader { HandleSRID = true }, blob);

    /// <summary>
    /// The blob's (multi)polygon with its rings held flat in two dimensions, as an import holds them (one array per
    /// ring rather than an object per vertex): for reading a layer back in bulk.
    /// </summary>
    public static MultiPolygon ReadFlatMultiPolygon(byte[] blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        // The blobs the platform writes (a header with an XY envelope, little-endian two-dimensional WKB) are read
        // straight from the bytes; anything else by NetTopologySuite's reader.
        if (blob.Length >= 8 && blob[0] == (byte)'G' && blob[1] == (byte)'P' && (blob[3] & 0x10) == 0 && (blob[3] & 1) == 1
            && ((blob[3] >> 1) & 7) is var kind and <= 4
            && PolygonEwkb.TryRead(blob.AsSpan(8 + (kind switch { 0 => 0, 1 => 32, 4 => 64, _ => 48 })), FactoryFor(BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(4))), out var geometry))
        {
            return geometry;
        }

        return ReadMultiPolygon(new GeoPackageGeoReader(PackedCoordinateSequenceFactory.DoubleFactory, new PrecisionModel(), Ordinates.XY) { HandleSRID = true }, blob);
    }

    private static GeometryFactory FactoryFor(int srid) =>
        srid == Cgcs2000.Srid ? Cgcs2000.PackedFactory : new GeometryFactory(new PrecisionModel(), srid, PackedCoordinateSequenceFactory.DoubleFactory);

    private static MultiPolygon ReadMultiPolygon(GeoPackageGeoReader reader, byte[] blob)
    {
        var geometry = reader.Read(blob);
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
