using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Fuchun.Spatial.Resources;

namespace Fuchun.Spatial.IO;

/// <summary>A column of a dBASE table: its name (decoded in the table's encoding), type letter, width and decimals.</summary>
public sealed record DbfColumn(string Name, char Type, int Offset, int Length, int Decimals)
{
    /// <summary>Numeric (N, F) columns: read as numbers.</summary>
    public bool IsNumeric => Type is 'N' or 'F';
}

/// <summary>
/// The layout of a shapefile's .dbf and the values of a record read in place, the way NetTopologySuite.IO.Esri
/// reads them: text up to its first NUL with trailing blanks removed (<c>null</c> when it starts with NUL), numbers
/// (<c>null</c> when blank), dates (yyyyMMdd), logicals. Used to read the attributes of many records on every core
/// straight from a block of the file; <see cref="GeometryFiles.OpenFeatures"/> reads the same values one record at
/// a time.
/// </summary>
public sealed class DbfTable
{
    private DbfTable(string path, Encoding encoding, int headerLength, int recordLength, long count, IReadOnlyList<DbfColumn> columns) =>
        (Path, Encoding, HeaderLength, RecordLength, Count, Columns, doubleBytes) =
            (path, encoding, headerLength, recordLength, count, columns, new(() => DoubleByteTable.For(encoding)));

    /// <summary>Built (once per code page) when the first text that is not ASCII is read.</summary>
    private readonly Lazy<DoubleByteTable?> doubleBytes;

    public string Path { get; }

    public Encoding Encoding { get; }

    public int HeaderLength { get; }

    /// <summary>Bytes per record, its deletion flag included.</summary>
    public int RecordLength { get; }

    public long Count { get; }

    public IReadOnlyList<DbfColumn> Columns { get; }

    /// <summary>Reads the header and column descriptors of <paramref name="path"/>.</summary>
    public static DbfTable Open(string path, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        using var stream = File.OpenRead(path);
        var header = new byte[32];
        if (stream.ReadAtLeast(header, 32, throwOnEndOfStream: false) < 32)
        {
            throw Unreadable(path, "header");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
        var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        if (headerLength < 33 || recordLength < 1)
        {
            throw Unreadable(path, "header");
        }

        var descriptors = new byte[headerLength - 32];
        if (stream.ReadAtLeast(descriptors, descriptors.Length, throwOnEndOfStream: false) < descriptors.Length)
        {
            throw Unreadable(path, "header");
        }

        var columns = new List<DbfColumn>();
        var offset = 1;
        for (var at = 0; at + 32 <= descriptors.Length && descriptors[at] != 0x0D; at += 32)
        {
            var d = descriptors.AsSpan(at, 32);
            var nameBytes = d[..11];
            var end = nameBytes.IndexOf((byte)0);
            var name = encoding.GetString(end < 0 ? nameBytes : nameBytes[..end]);
            var column = new DbfColumn(name, (char)d[11], offset, d[16], d[17]);
            columns.Add(column);
            offset += column.Length;
        }

        if (offset > recordLength)
        {
            throw Unreadable(path, "record length");
        }

        return new DbfTable(path, encoding, headerLength, recordLength, count, columns);
    }

    private static SpatialInputException Unreadable(string path, string what) =>
        new(SpatialMessages.Get("ShapefileUnreadable", path, what));

    /// <summary>The column named <paramref name="name"/> (ignoring case), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The bytes of column <paramref name="column"/> in <paramref name="record"/>.</summary>
    public ReadOnlySpan<byte> Raw(ReadOnlySpan<byte> record, int column)
    {
        var c = Columns[column];
        return record.Slice(c.Offset, c.Length);
    }

    /// <summary>A text column's value: up to the first NUL, trailing blanks removed; <c>null</c> when it starts with NUL.</summary>
    public string? Text(ReadOnlySpan<byte> record, int column)
    {
        // A column is at most 255 bytes, so as many characters in every encoding these files use.
        Span<char> chars = stackalloc char[256];
        var length = TextChars(record, column, chars);
        return length < 0 ? null : new string(chars[..length]);
    }

    /// <summary>
    /// <see cref="Text"/> decoded into <paramref name="destination"/> (at least the column's width): the number of
    /// characters, or -1 for <c>null</c>.
    /// </summary>
    public int TextChars(ReadOnlySpan<byte> record, int column, Span<char> destination)
    {
        var raw = Raw(record, column);
        var end = raw.IndexOf((byte)0);
        if (end == 0)
        {
            return -1;
        }

        var bytes = end < 0 ? raw : raw[..end];
        var length = System.Text.Ascii.IsValid(bytes) ? Encoding.ASCII.GetChars(bytes, destination)
            : doubleBytes.Value?.Decode(bytes, destination) is >= 0 and var decoded ? decoded
            : Encoding.GetChars(bytes, destination);
        return destination[..length].TrimEnd().Length;
    }

    /// <summary>A numeric column's value; <c>null</c> when blank. A value that is not a number is an error naming the record.</summary>
    public double? Number(ReadOnlySpan<byte> record, int column, long index)
    {
        var raw = Raw(record, column);
        var end = raw.IndexOf((byte)0);
        var text = (end < 0 ? raw : raw[..end]).Trim((byte)' ');
        if (text.IsEmpty)
        {
            return null;
        }

        if (Utf8Parser.TryParse(text, out double value, out var used) && used == text.Length)
        {
            return value;
        }

        // Forms the fast parser does not take (a leading '+', say): the framework's parser, as the field readers use.
        var s = Encoding.ASCII.GetString(text);
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            ? value
            : throw new SpatialInputException(SpatialMessages.Get("ShapefileUnreadable", Path, $"{Columns[column].Name} #{index + 1}: {s}"));
    }

    /// <summary>
    /// The number column's text when it is already the shortest form of its value that .NET writes (so that
    /// <c>Number(…).ToString("R")</c> would give these very characters back): an optional minus, an integer part
    /// without leading zeros, an optional fraction without trailing zeros, 15 significant digits at most (so the
    /// text names exactly one double, and no shorter text names the same one), at least 0.1 and below 10¹⁵ in
    /// size (so no exponent is written). Anything else — blanks, a '+', an exponent, "007", "1.50", "-0" — is false,
    /// and the caller formats the parsed value as before.
    /// </summary>
    public bool TryShortestNumberText(ReadOnlySpan<byte> record, int column, out ReadOnlySpan<byte> text)
    {
        var raw = Raw(record, column);
        var end = raw.IndexOf((byte)0);
        text = (end < 0 ? raw : raw[..end]).Trim((byte)' ');
        var digits = text.Length > 0 && text[0] == '-' ? text[1..] : text;
        var point = digits.IndexOf((byte)'.');
        var whole = point < 0 ? digits : digits[..point];
        var fraction = point < 0 ? default : digits[(point + 1)..];
        if (whole.IsEmpty || whole.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || (point >= 0 && (fraction.IsEmpty || fraction[^1] == '0')))
        {
            return false;
        }

        var significant = whole[0] != '0' ? whole.Length + fraction.Length
            : whole.Length == 1 && !fraction.IsEmpty && fraction[0] != '0' ? fraction.Length
            : 0;   // a leading zero before more digits, zero itself (and its minus), or below 0.1
        return significant is > 0 and <= 15;
    }

    /// <summary>
    /// The value as NetTopologySuite's reader gives it: string for text, double for numbers (integers as they
    /// convert to double), DateTime for dates, bool for logicals, <c>null</c> for blanks.
    /// </summary>
    public object? Value(ReadOnlySpan<byte> record, int column, long index) => Columns[column].Type switch
    {
        'N' or 'F' => Number(record, column, index),
        'D' => Date(record, column),
        'L' => Logical(record, column),
        _ => Text(record, column),
    };

    /// <summary>A date column's value (yyyyMMdd); <c>null</c> when blank or not a date.</summary>
    public DateTime? Date(ReadOnlySpan<byte> record, int column)
    {
        var raw = Raw(record, column);
        return raw.Length >= 8 && Utf8Parser.TryParse(raw[..4], out int y, out var a) && a == 4
            && Utf8Parser.TryParse(raw[4..6], out int m, out var b) && b == 2
            && Utf8Parser.TryParse(raw[6..8], out int d, out var c) && c == 2
            && m is >= 1 and <= 12 && y >= 1 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
            ? new DateTime(y, m, d, 0, 0, 0, DateTimeKind.Unspecified)
            : null;
    }

    /// <summary>A logical column's value: T/t/Y/y true, F/f/N/n false, anything else <c>null</c>.</summary>
    public bool? Logical(ReadOnlySpan<byte> record, int column) => Raw(record, column) switch
    {
        [(byte)'T' or (byte)'t' or (byte)'Y' or (byte)'y', ..] => true,
        [(byte)'F' or (byte)'f' or (byte)'N' or (byte)'n', ..] => false,
        _ => null,
    };
}
