using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Fuchun.Spatial.IO;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Fuchun.Storage.Postgres;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (the documented file format: a signature, then per row a field count
/// and each field as its length and its bytes, big-endian), gathered in one buffer and written to a raw COPY stream
/// in large pieces.
/// </summary>
/// <remarks>
/// Npgsql's <c>NpgsqlBinaryImporter</c> does the same field by field, each through a parameter, a converter
/// lookup and an async step: on a million-parcel import that was some four CPU-seconds of the one thread that feeds
/// the COPY, and the attributes' JSON went from UTF-8 to a string and back. Here a field is a few stores into the
/// buffer; text goes in as UTF-8 and the geometry as extended WKB (<see cref="PolygonEwkb"/>), which is what
/// PostGIS's binary input reads. A test holds the rows to what the importer stores.
/// </remarks>
internal sealed class BinaryCopyRows(Stream output) : IBufferWriter<byte>
{
    private const int FlushAt = 256 * 1024;
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];   // "PGCOPY\n\377\r\n\0"

    private byte[] buffer = new byte[FlushAt * 2];
    private int length;
    private long sent;

    /// <summary>Bytes of the stream so far, sent or still gathered.</summary>
    public long Written => sent + length;

    /// <summary>The signature, flags and (empty) header extension that start the stream.</summary>
    public void Header()
    {
        Signature.CopyTo(Take(Signature.Length));
        Int32Raw(0);
        Int32Raw(0);
    }

    public void StartRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Take(2), fields);

    public void Int32(int value)
    {
        Int32Raw(4);
        Int32Raw(value);
    }

    public void Int64(long value)
    {
        Int32Raw(8);
        BinaryPrimitives.WriteInt64BigEndian(Take(8), value);
    }

    public void Float8(double value)
    {
        Int32Raw(8);
        BinaryPrimitives.WriteDoubleBigEndian(Take(8), value);
    }

    public void Bool(bool value)
    {
        Int32Raw(1);
        Take(1)[0] = value ? (byte)1 : (byte)0;
    }

    public void Null() => Int32Raw(-1);

    /// <summary>Text (text, varchar) as UTF-8, the client encoding Npgsql sets; null as SQL NULL.</summary>
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var span = Take(4 + Encoding.UTF8.GetMaxByteCount(value.Length), advance: false);
        var written = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, written);
        length += 4 + written;
    }

    /// <summary>Text already in UTF-8; an empty span as SQL NULL (no text column here holds an empty value from it).</summary>
    public void Utf8OrNull(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Null();
            return;
        }

        Int32Raw(value.Length);
        value.CopyTo(Take(value.Length));
    }

    /// <summary>A geometry as extended WKB with its SRID, as PostGIS's binary input takes it.</summary>
    public void Geometry(Geometry geometry)
    {
        var at = length;
        Int32Raw(0);
        var size = geometry is MultiPolygon multi && PolygonEwkb.CanWrite(multi)
            ? PolygonEwkb.Write(multi, this)
            : WriteOther(geometry);
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), size);
    }

    /// <summary>
    /// A multipolygon of one polygon without holes, given as its shell (interleaved x, y) and SRID, as
    /// <see cref="Geometry"/> writes that geometry.
    /// </summary>
    public void Shell(ReadOnlySpan<double> shell, int srid)
    {
        var at = length;
        Int32Raw(0);
        var size = PolygonEwkb.WriteShell(shell, srid, this);
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(at), size);
    }

    private int WriteOther(Geometry geometry)
    {
        var bytes = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false).Write(geometry);
        bytes.CopyTo(Take(bytes.Length));
        return bytes.Length;
    }

    /// <summary>Sends what has gathered once it is large enough to be worth a write.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        length >= FlushAt ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await output.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
        sent += length;
        length = 0;
    }

    /// <summary>The trailer (a field count of -1), then everything still gathered.</summary>
    public ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        BinaryPrimitives.WriteInt16BigEndian(Take(2), -1);
        return FlushAsync(cancellationToken);
    }

    void IBufferWriter<byte>.Advance(int count) => length += count;

    Memory<byte> IBufferWriter<byte>.GetMemory(int sizeHint) => buffer.AsMemory(Reserve(Math.Max(sizeHint, 1)));

    Span<byte> IBufferWriter<byte>.GetSpan(int sizeHint) => buffer.AsSpan(Reserve(Math.Max(sizeHint, 1)));

    private void Int32Raw(int value) => BinaryPrimitives.WriteInt32BigEndian(Take(4), value);

    private Span<byte> Take(int count, bool advance = true)
    {
        var at = Reserve(count);
        if (advance)
        {
            length += count;
        }

        return buffer.AsSpan(at, count);
    }

    /// <summary>Room for <paramref name="count"/> more bytes; where they start.</summary>
    private int Reserve(int count)
    {
        if (length + count > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        }

        return length;
    }
}
