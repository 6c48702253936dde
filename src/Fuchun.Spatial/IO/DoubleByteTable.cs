using System.Collections.Concurrent;
using System.Text;

namespace Fuchun.Spatial.IO;

/// <summary>
/// A double-byte code page (GBK, GB18030's one- and two-byte part, Big5, ...) as two lookup tables taken from the
/// framework's own decoder: every single byte and every lead–trail pair it decodes to one character. Text made only
/// of those decodes to exactly what <see cref="Encoding.GetChars(ReadOnlySpan{byte}, Span{char})"/> gives, without
/// the two objects the framework's code-page decoder allocates per call; anything else (a four-byte GB18030
/// sequence, a stray lead byte) is left to the framework.
/// </summary>
/// <remarks>
/// A million-parcel Shapefile has two Chinese text columns per record: decoding them through the framework was
/// about 390 MB of garbage and 1.5–2 CPU-seconds of an import.
/// </remarks>
internal sealed class DoubleByteTable
{
    private const char Invalid = '\uFFFF';   // a noncharacter: no code page decodes to it
    private static readonly ConcurrentDictionary<int, DoubleByteTable?> Tables = new();

    private readonly char[] singles = new char[256];
    private readonly char[] pairs = new char[256 * 256];

    private DoubleByteTable(Encoding encoding)
    {
        var marked = Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(Invalid.ToString()));
        Span<byte> bytes = stackalloc byte[2];
        Span<char> chars = stackalloc char[8];
        for (var lead = 0; lead < 256; lead++)
        {
            bytes[0] = (byte)lead;
            singles[lead] = marked.GetChars(bytes[..1], chars) == 1 ? chars[0] : Invalid;
            if (singles[lead] != Invalid)
            {
                continue;
            }

            for (var trail = 0; trail < 256; trail++)
            {
                bytes[1] = (byte)trail;
                pairs[(lead << 8) | trail] = marked.GetChars(bytes, chars) == 1 ? chars[0] : Invalid;
            }
        }

    }

    /// <summary>The table for <paramref name="encoding"/>'s code page, or null when it is not a double-byte one.</summary>
    public static DoubleByteTable? For(Encoding encoding) =>
        encoding.IsSingleByte || encoding is UTF8Encoding or UnicodeEncoding or UTF32Encoding
            ? null
            : Tables.GetOrAdd(encoding.CodePage, static (_, e) => new DoubleByteTable(e), encoding);

    /// <summary>
    /// Decodes <paramref name="bytes"/> into <paramref name="destination"/> (at least as long): the number of
    /// characters, or -1 when the text holds a sequence the tables do not know (decode it the framework's way).
    /// </summary>
    public int Decode(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        var written = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var c = singles[bytes[i]];
            if (c == Invalid)
            {
                if (i + 1 == bytes.Length || (c = pairs[(bytes[i] << 8) | bytes[i + 1]]) == Invalid)
                {
                    return -1;
                }

                i++;
            }

            destination[written++] = c;
        }

        return written;
    }
}
