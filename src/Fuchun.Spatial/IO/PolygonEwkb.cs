using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;

namespace Fuchun.Spatial.IO;

/// <summary>
/// A two-dimensional multipolygon as PostGIS extended WKB (little-endian, SRID on the outer geometry): the bytes
/// NetTopologySuite's <c>PostGisWriter</c> writes for it, which is what PostGIS receives through a binary COPY.
/// </summary>
/// <remarks>
/// Written here for the import of a million parcels: Npgsql's NetTopologySuite plugin runs the writer twice per
/// geometry (once to count the bytes), with an envelope, a binary writer and streams each time — some 550 MB of
/// garbage and a CPU-second of the single COPY thread. Only the flat two-dimensional rings every import makes take
/// this way (<see cref="CanWrite"/>); a test holds the bytes to <c>PostGisWriter</c>'s.
/// </remarks>
public static class PolygonEwkb
{
    private const uint MultiPolygonType = 6;
    private const uint SridFlag = 0x20000000;
    private const uint MultiPolygonWithSrid = MultiPolygonType | SridFlag;
    private const uint PolygonType = 3;

    /// <summary>True when every ring is held flat in two dimensions (and nothing is empty): what <see cref="Write"/> takes.</summary>
    public static bool CanWrite(MultiPolygon geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.IsEmpty)
        {
            return false;
        }

        foreach (var part in geometry.Geometries)
        {
            if (part is not Polygon polygon || !IsFlat(polygon.Shell) || !polygon.Holes.All(IsFlat))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFlat(LinearRing ring) => FlatCoordinates.TryGet(ring.CoordinateSequence, out var xy) && xy.Length > 0;

    /// <summary>The geometry's extended WKB (with its SRID), appended to <paramref name="output"/>; its length.</summary>
    public static int Write(MultiPolygon geometry, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(output);
        var size = Size(geometry, withSrid: true);
        WriteTo(output.GetSpan(size)[..size], geometry, withSrid: true);
        output.Advance(size);
        return size;
    }

    /// <summary>
    /// The extended WKB (with <paramref name="srid"/>) of a multipolygon of one polygon without holes whose shell is
    /// <paramref name="shell"/> (interleaved x, y): the bytes <see cref="Write"/> gives for that geometry, appended to
    /// <paramref name="output"/>; its length.
    /// </summary>
    public static int WriteShell(ReadOnlySpan<double> shell, int srid, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = ShellSize(shell, withSrid: true);
        WriteShellTo(output.GetSpan(size)[..size], shell, srid, withSrid: true);
        output.Advance(size);
        return size;
    }

    /// <summary>The length of a one-shell multipolygon's WKB (<see cref="WriteShell"/>), with or without the SRID.</summary>
    internal static int ShellSize(ReadOnlySpan<double> shell, bool withSrid) => (withSrid ? 13 : 9) + 9 + RingSize(shell.Length / 2);

    /// <summary>Writes a one-shell multipolygon's WKB (<see cref="ShellSize"/> bytes) as <see cref="WriteTo"/> writes the geometry.</summary>
    internal static void WriteShellTo(Span<byte> span, ReadOnlySpan<double> shell, int srid, bool withSrid)
    {
        var at = MultiPolygonHeader(span, withSrid, srid, 1);
        at += Header(span[at..], PolygonType);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], 1);
        at += 4;
        Ring(span[at..], shell);
    }

    /// <summary>The length of the geometry's WKB, with or without the SRID (extended or ISO WKB).</summary>
    internal static int Size(MultiPolygon geometry, bool withSrid)
    {
        var size = withSrid ? 13 : 9;
        foreach (var part in geometry.Geometries)
        {
            var polygon = (Polygon)part;
            size += 9 + RingSize(polygon.Shell) + polygon.Holes.Sum(RingSize);
        }

        return size;
    }

    /// <summary>Writes the geometry's WKB (<see cref="Size"/> bytes) little-endian, with the SRID or as plain ISO WKB.</summary>
    internal static void WriteTo(Span<byte> span, MultiPolygon geometry, bool withSrid)
    {
        var at = MultiPolygonHeader(span, withSrid, geometry.SRID, geometry.NumGeometries);
        foreach (var part in geometry.Geometries)
        {
            var polygon = (Polygon)part;
            at += Header(span[at..], PolygonType);
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], 1 + polygon.Holes.Length);
            at += 4;
            at += Ring(span[at..], polygon.Shell);
            foreach (var hole in polygon.Holes)
            {
                at += Ring(span[at..], hole);
            }
        }
    }

    private static int RingSize(LinearRing ring) => RingSize(ring.NumPoints);

    private static int RingSize(int points) => 4 + (16 * points);

    /// <summary>A multipolygon's byte order, type, SRID when extended, and number of parts; its length.</summary>
    private static int MultiPolygonHeader(Span<byte> span, bool withSrid, int srid, int parts)
    {
        var at = Header(span, withSrid ? MultiPolygonWithSrid : MultiPolygonType);
        if (withSrid)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], srid);
            at += 4;
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[at..], parts);
        return at + 4;
    }

    private static int Header(Span<byte> span, uint type)
    {
        span[0] = 1;   // little-endian
        BinaryPrimitives.WriteUInt32LittleEndian(span[1..], type);
        return 5;
    }

    private static int Ring(Span<byte> span, LinearRing ring) => Ring(span, FlatCoordinates.Of(ring.CoordinateSequence));

    private static int Ring(Span<byte> span, ReadOnlySpan<double> xy)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span, xy.Length / 2);
        var bytes = MemoryMarshal.AsBytes(xy);
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(span[4..]);
        }
        else
        {
            for (var i = 0; i < xy.Length; i++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(span[(4 + (8 * i))..], xy[i]);
            }
        }

        return 4 + bytes.Length;
    }

    /// <summary>
    /// Reads a two-dimensional polygon or multipolygon written little-endian (ISO WKB, or extended WKB with an
    /// SRID) straight into flat rings made by <paramref name="factory"/>, whose SRID it keeps unless the bytes carry
    /// one; false for anything else (another byte order or type, Z or M, an empty part), which a caller leaves to a
    /// general reader. Written here for reading a layer back in bulk: NetTopologySuite's reader wraps every geometry
    /// in a stream and a binary reader and reads ordinate by ordinate.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> wkb, GeometryFactory factory, [NotNullWhen(true)] out MultiPolygon? geometry)
    {
        ArgumentNullException.ThrowIfNull(factory);
        geometry = null;
        if (!TryHeader(ref wkb, out var type) || (type & ~SridFlag) is not (MultiPolygonType or PolygonType))
        {
            return false;
        }

        if ((type & SridFlag) != 0)
        {
            if (wkb.Length < 4)
            {
                return false;
            }

            var srid = BinaryPrimitives.ReadInt32LittleEndian(wkb);
            wkb = wkb[4..];
            if (srid != factory.SRID)
            {
                factory = new GeometryFactory(factory.PrecisionModel, srid, factory.CoordinateSequenceFactory);
            }
        }

        if ((type & ~SridFlag) == PolygonType)
        {
            if (!TryPolygon(ref wkb, factory, out var single))
            {
                return false;
            }

            geometry = factory.CreateMultiPolygon([single]);
            return true;
        }

        if (wkb.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(wkb) is var count && count < 1 || count > wkb.Length / 13)
        {
            return false;
        }

        wkb = wkb[4..];
        var polygons = new Polygon[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryHeader(ref wkb, out var partType) || partType != PolygonType || !TryPolygon(ref wkb, factory, out polygons[i]!))
            {
                return false;
            }
        }

        geometry = factory.CreateMultiPolygon(polygons);
        return true;
    }

    private static bool TryHeader(ref ReadOnlySpan<byte> wkb, out uint type)
    {
        type = 0;
        if (wkb.Length < 5 || wkb[0] != 1)
        {
            return false;
        }

        type = BinaryPrimitives.ReadUInt32LittleEndian(wkb[1..]);
        wkb = wkb[5..];
        return true;
    }

    private static bool TryPolygon(ref ReadOnlySpan<byte> wkb, GeometryFactory factory, [NotNullWhen(true)] out Polygon? polygon)
    {
        polygon = null;
        if (wkb.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(wkb) is var rings && rings < 1 || rings > wkb.Length / 4)
        {
            return false;
        }

        wkb = wkb[4..];
        var shell = default(LinearRing);
        var holes = new LinearRing[rings - 1];
        for (var r = 0; r < rings; r++)
        {
            if (wkb.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(wkb) is var points && points < 4 || points > (wkb.Length - 4) / 16)
            {
                return false;
            }

            var xy = new double[2 * points];
            var bytes = wkb.Slice(4, 16 * points);
            if (BitConverter.IsLittleEndian)
            {
                bytes.CopyTo(MemoryMarshal.AsBytes(xy.AsSpan()));
            }
            else
            {
                for (var i = 0; i < xy.Length; i++)
                {
                    xy[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                }
            }

            wkb = wkb[(4 + (16 * points))..];
            var ring = factory.CreateLinearRing(new PackedDoubleCoordinateSequence(xy, 2, 0));
            if (r == 0)
            {
                shell = ring;
            }
            else
            {
                holes[r - 1] = ring;
            }
        }

        polygon = factory.CreatePolygon(shell, holes);
        return true;
    }
}
